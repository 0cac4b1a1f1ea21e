/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Process start-up in ntdll: what LdrInitializeThunk (thunk.S) does on the
 * first thread of a process. The contract with ntos (ps/, nt-abi §2.8):
 * RCX = a CONTEXT whose Rip is the program's entry point, Rcx its argument
 * (the PEB) and Rsp the stack to run it on (0: the current one), RDX =
 * ntdll's base, GS base
 * = the TEB, the PEB built with Ldr = NULL. The loader normalises the
 * process parameters, records the program and ntdll in Peb->Ldr, snaps the
 * program's imports (from ntdll only, for now) and calls the entry point
 * as NtProcessStartup(PPEB); what it returns ends the process through
 * NtTerminateProcess(NtCurrentProcess(), status). A failure is reported
 * with DbgPrint and ends the process with its status.
 *
 * FIXME: the CONTEXT is not resumed with NtContinue (the entry is called
 * with the CONTEXT's Rip, Rcx and Rsp; other registers are not loaded); threads
 * after the first, the process heap, TLS, DLL loading and DllMain calls.
 */
#include "ldrp.h"

extern IMAGE_DOS_HEADER __ImageBase; /* ntdll's own headers (ld defines it) */

/* The DOS path ntdll is known by. FIXME: build it from KUSER_SHARED_DATA's
 * NtSystemRoot once ntos fills it. */
static VOID LdrpNtdllPath(PUNICODE_STRING Path)
{
    static WCHAR NtdllPath[] = u"C:\\Windows\\System32\\ntdll.dll";

    Path->Buffer = NtdllPath;
    Path->Length = sizeof(NtdllPath) - sizeof(WCHAR);
    Path->MaximumLength = sizeof(NtdllPath);
}

/* The program's name: ImagePathName, or "program.exe" when ntos gave none. */
static VOID LdrpProgramPath(PPEB Peb, PUNICODE_STRING Path)
{
    static WCHAR Unnamed[] = u"program.exe";

    if (Peb->ProcessParameters && Peb->ProcessParameters->ImagePathName.Length) {
        *Path = Peb->ProcessParameters->ImagePathName;
        return;
    }
    Path->Buffer = Unnamed;
    Path->Length = sizeof(Unnamed) - sizeof(WCHAR);
    Path->MaximumLength = sizeof(Unnamed);
}

static NTSTATUS LdrpInitializeProcess(PPEB Peb, PVOID NtdllBase)
{
    PLDR_DATA_TABLE_ENTRY Program, Ntdll;
    UNICODE_STRING ProgramPath, NtdllPath;
    NTSTATUS Status;

    RtlNormalizeProcessParams(Peb->ProcessParameters);
    LdrpInitializeModuleList(Peb);
    LdrpProgramPath(Peb, &ProgramPath);
    LdrpNtdllPath(&NtdllPath);
    Status = LdrpCreateModule(Peb->ImageBaseAddress, &ProgramPath, 0, &Program);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: the program at %p is not a valid x64 image\n", Peb->ImageBaseAddress);
        return Status;
    }
    Status = LdrpCreateModule(NtdllBase, &NtdllPath, LDRP_IMAGE_DLL | LDRP_ENTRY_PROCESSED, &Ntdll);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = LdrpSnapModule(Program);
    if (!NT_SUCCESS(Status))
        return Status;
    Peb->Ldr->Initialized = TRUE;
    return STATUS_SUCCESS;
}

VOID LdrpExitProcess(NTSTATUS Status)
{
    for (;;) {
        NtTerminateProcess(NtCurrentProcess(), Status);
        /* Termination cannot fail for the current process; if it ever
         * returns, fault so that ntos ends the process. */
        __builtin_trap();
    }
}

VOID LdrpInitialize(PCONTEXT Context, PVOID NtdllBase)
{
    PPEB Peb = NtdllpCurrentPeb();
    PVOID Entry;
    NTSTATUS Status;

    if (!NtdllBase)
        NtdllBase = &__ImageBase;
    if (Peb->Ldr) {
        /* FIXME: a thread after the first: TLS and DLL_THREAD_ATTACH. */
        DbgPrint("LDR: threads after the first are not supported yet\n");
        LdrpExitProcess(STATUS_NOT_IMPLEMENTED);
    }
    Status = LdrpInitializeProcess(Peb, NtdllBase);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: process initialisation failed: 0x%08x\n", Status);
        LdrpExitProcess(Status);
    }
    Entry = Context && Context->Rip
                ? (PVOID)Context->Rip
                : ((PLDR_DATA_TABLE_ENTRY)Peb->Ldr->InLoadOrderModuleList.Flink)->EntryPoint;
    if (!Entry) {
        DbgPrint("LDR: the program has no entry point\n");
        LdrpExitProcess(STATUS_INVALID_IMAGE_FORMAT);
    }
    /* ntos passes the entry's argument in the CONTEXT's Rcx (the PEB for
     * the first thread); without one the PEB is what a native entry takes. */
    LdrpStartProcess(Entry, Context && Context->Rcx ? (PVOID)Context->Rcx : (PVOID)Peb,
                     Context ? Context->Rsp : 0);
}
