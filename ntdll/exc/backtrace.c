/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Stack back traces by virtual unwinding (RtlCaptureStackBackTrace): the
 * return addresses of the caller's frames, from .pdata, as far as the
 * stack and the loaded code go.
 */
#include "excp.h"

USHORT NTAPI RtlCaptureStackBackTrace(ULONG FramesToSkip, ULONG FramesToCapture, PVOID *BackTrace,
                                      PULONG BackTraceHash)
{
    UNWIND_HISTORY_TABLE History = {0};
    DISPATCHER_CONTEXT Dc;
    ULONG64 Low, High, Rsp;
    ULONG Count = 0, Hash = 0;
    CONTEXT Context;

    RtlpGetStackLimits(&Low, &High);
    RtlCaptureContext(&Context);
    RtlpUnwindFrame(UNW_FLAG_NHANDLER, &Context, &Dc, &History); /* leave this function */
    while (Count < FramesToCapture && Count < 0xffff &&
           RtlpIsStackAddress(Context.Rsp, Low, High) && RtlpIsCodeAddress(Context.Rip)) {
        if (FramesToSkip > 0) {
            FramesToSkip--;
        } else {
            BackTrace[Count++] = (PVOID)Context.Rip;
            Hash += (ULONG)Context.Rip;
        }
        Rsp = Context.Rsp;
        RtlpUnwindFrame(UNW_FLAG_NHANDLER, &Context, &Dc, &History);
        if (Context.Rsp <= Rsp)
            break; /* corrupt unwind data: frames must go up */
    }
    if (BackTraceHash)
        *BackTraceHash = Hash;
    return (USHORT)Count;
}
