/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calling thread's TEB and its process's PEB as ntdll exports them
 * (NtCurrentTeb, RtlGetCurrentPeb), the normalisation of the process
 * parameters that ntos writes with offsets instead of pointers
 * (RtlNormalizeProcessParams), and the current-directory query the rtl
 * path code asks its linker for (RtlpQueryCurrentDirectory).
 */
#include "ntdllp.h"
#include "rtl/rtlp.h"

PTEB NTAPI NtCurrentTeb(void)
{
    return NtdllpCurrentTeb();
}

PPEB NTAPI RtlGetCurrentPeb(void)
{
    return NtdllpCurrentPeb();
}

/* An offset stored in Buffer becomes Params + offset; NULL stays NULL. */
static void RtlpNormalizeString(PRTL_USER_PROCESS_PARAMETERS Params, PUNICODE_STRING String)
{
    if (String->Buffer)
        String->Buffer = (PWSTR)((PUCHAR)Params + (ULONG_PTR)String->Buffer);
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params)
{
    if (!Params || (Params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        return Params;
    RtlpNormalizeString(Params, &Params->CurrentDirectory.DosPath);
    RtlpNormalizeString(Params, &Params->DllPath);
    RtlpNormalizeString(Params, &Params->ImagePathName);
    RtlpNormalizeString(Params, &Params->CommandLine);
    RtlpNormalizeString(Params, &Params->WindowTitle);
    RtlpNormalizeString(Params, &Params->DesktopInfo);
    RtlpNormalizeString(Params, &Params->ShellInfo);
    RtlpNormalizeString(Params, &Params->RuntimeData);
    /* The environment block is an absolute pointer in both forms. */
    Params->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    return Params;
}

/* Without process parameters (or with an empty directory) the root of C:
 * stands in, so the path code always gets a directory ending in '\'.
 * FIXME: take the PEB lock once threads other than the first exist. */
VOID RtlpQueryCurrentDirectory(PUNICODE_STRING CurrentDirectory)
{
    static WCHAR DefaultDirectory[] = u"C:\\";
    PPEB Peb = NtdllpCurrentPeb();

    if (Peb && Peb->ProcessParameters && Peb->ProcessParameters->CurrentDirectory.DosPath.Length) {
        *CurrentDirectory = Peb->ProcessParameters->CurrentDirectory.DosPath;
        return;
    }
    CurrentDirectory->Length = sizeof(DefaultDirectory) - sizeof(WCHAR);
    CurrentDirectory->MaximumLength = sizeof(DefaultDirectory);
    CurrentDirectory->Buffer = DefaultDirectory;
}
