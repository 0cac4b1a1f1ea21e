/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot console and the executive's last resorts: KePrint (formatted
 * output to the kernel's debug serial line; FIXME: also VGA text once a
 * display exists), KeDisplayString, KeBugCheck (print and stop for good)
 * and KiLogFailure (the trace behind RET_ERR).
 */
#include "kep.h"

void KeDisplayString(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        seL4_DebugPutChar(s[i]);
}

int KiVPrint(const char *Format, va_list Args)
{
    char Buffer[512];
    va_list Copy;
    int Length;

    va_copy(Copy, Args);
    Length = vsnprintf(Buffer, sizeof(Buffer), Format, Copy);
    va_end(Copy);
    if (Length < 0)
        return Length;
    KeDisplayString(Buffer, (size_t)Length < sizeof(Buffer) ? (size_t)Length : sizeof(Buffer) - 1);
    return Length;
}

int KePrint(const char *fmt, ...)
{
    va_list Args;
    int Length;

    va_start(Args, fmt);
    Length = KiVPrint(fmt, Args);
    va_end(Args);
    return Length;
}

void KeBugCheck(const char *fmt, ...)
{
    va_list Args;

    KePrint("\n*** ntos bugcheck: ");
    va_start(Args, fmt);
    KiVPrint(fmt, Args);
    va_end(Args);
    KePrint("\n");
    /* Corrupted state: nothing more may run. The self-test counts on the
     * missing SUITE-END to report it. */
    seL4_DebugHalt();
    for (;;)
        seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

void KiLogFailure(const char *expr, const char *file, int line, NTSTATUS status)
{
    const char *Name, *Message;

    if (!RtlpNtStatusText(status, &Name, &Message))
        Name = "?";
    KePrint("ntos: %s:%d: %s failed: 0x%08x %s\n", file, line, expr, (unsigned)status, Name);
}
