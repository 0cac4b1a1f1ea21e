/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The allocator hook behind every Rtl function that hands out a new string
 * buffer (RtlCreateUnicodeString, the Allocate forms of the conversions,
 * RtlDosPathNameToNtPathName_U) and behind RtlFree*String. The heap comes
 * later; until the owner of the rtl sets a hook, allocation fails cleanly.
 */
#include "rtlp.h"

static RTLP_ALLOCATE_ROUTINE RtlpAllocateRoutine;
static RTLP_FREE_ROUTINE RtlpFreeRoutine;

VOID RtlpSetStringAllocator(RTLP_ALLOCATE_ROUTINE Allocate, RTLP_FREE_ROUTINE Free)
{
    RtlpAllocateRoutine = Allocate;
    RtlpFreeRoutine = Free;
}

PVOID RtlpAllocateStringMemory(SIZE_T Size)
{
    if (!RtlpAllocateRoutine)
        return NULL;
    return RtlpAllocateRoutine(Size);
}

VOID RtlpFreeStringMemory(PVOID Pointer)
{
    if (Pointer && RtlpFreeRoutine)
        RtlpFreeRoutine(Pointer);
}
