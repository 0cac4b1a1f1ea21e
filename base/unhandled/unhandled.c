/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unhandled.exe: raises an exception that nothing handles, so that the
 * executive's self-test (ntos/tests/keunhandled.c) can check that the
 * process ends with the exception's code, as on Windows: ntdll's
 * dispatcher finds no handler and raises it again as a second chance
 * (NtRaiseException, FirstChance FALSE), and ntos ends the process. With
 * "raise" on its command line it raises UNHANDLED_STATUS with
 * RtlRaiseStatus; otherwise it writes to an unmapped address (an access
 * violation from the CPU).
 */
#include <ntnative.h>

#define UNHANDLED_STATUS ((NTSTATUS)0xE0001234)

NTSYSAPI VOID NTAPI RtlRaiseStatus(NTSTATUS Status);

static BOOLEAN UnhandledWantsRaise(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS Params = Peb->ProcessParameters;

    if (Params == NULL || Params->CommandLine.Buffer == NULL)
        return FALSE;
    for (ULONG i = 0; i + 1 < Params->CommandLine.Length / sizeof(WCHAR); i++)
        if (Params->CommandLine.Buffer[i] == L' ' && Params->CommandLine.Buffer[i + 1] == L'r')
            return TRUE;
    return FALSE;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    if (UnhandledWantsRaise(Peb))
        RtlRaiseStatus(UNHANDLED_STATUS);
    else {
        ULONG_PTR Address = 0x10;
        __asm__("" : "+r"(Address)); /* a run-time address, not a constant */
        *(volatile ULONG *)Address = 1;
    }
    /* Not reached: the exception ends the process. Exit with a status the
     * test does not expect. */
    NtTerminateProcess(NtCurrentProcess(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}
