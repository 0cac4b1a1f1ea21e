/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Breakpoints: DbgBreakPoint and DbgUserBreakPoint execute int3, which
 * raises STATUS_BREAKPOINT in the calling thread. Without a debugger (and
 * until ntdll dispatches exceptions) ntos treats it as an unhandled fault.
 */
#include "../ntdllp.h"

VOID NTAPI DbgBreakPoint(VOID);
VOID NTAPI DbgUserBreakPoint(VOID);

VOID NTAPI DbgBreakPoint(VOID)
{
    __asm__ volatile("int3");
}

VOID NTAPI DbgUserBreakPoint(VOID)
{
    __asm__ volatile("int3");
}
