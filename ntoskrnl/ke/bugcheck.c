/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KeBugCheckEx: a driver's fatal error ends its own process only. The
 * runtime prints the code and parameters on the debug output and ends the
 * driver process with the bug-check code as its exit status; ntos then
 * fails the driver's outstanding IRPs (docs/io.md, "A crashed driver").
 */
#include "ntoskrnl.h"

NTKRNL_EXPORT DECLSPEC_NORETURN VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1,
                                                        ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    DbgPrint("ntoskrnl: *** STOP 0x%08lx (0x%p, 0x%p, 0x%p, 0x%p): the driver process ends\n",
             BugCheckCode, (PVOID)P1, (PVOID)P2, (PVOID)P3, (PVOID)P4);
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)BugCheckCode);
    for (;;)
        NtYieldExecution();
}

NTKRNL_EXPORT DECLSPEC_NORETURN VOID NTAPI KeBugCheck(ULONG BugCheckCode)
{
    KeBugCheckEx(BugCheckCode, 0, 0, 0, 0);
}
