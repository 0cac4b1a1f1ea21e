/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread start in ntdll: what LdrInitializeThunk (thunk.S) does, and how
 * threads and processes end (RtlExitUserThread, RtlExitUserProcess). The
 * contract with ntos (ps/, nt-abi §2.8): RCX = a CONTEXT whose Rip is the
 * start routine, Rcx its argument (the PEB for the first thread) and Rsp
 * the stack to run it on (0: the current one), RDX = ntdll's base, GS base
 * = the TEB, and for a new process a PEB with Ldr = NULL. The start routine
 * gets Rcx and Rdx as its two arguments, so a CONTEXT may also name
 * RtlUserThreadStart with Rcx = the routine and Rdx = its parameter, as
 * Windows does. On the first
 * thread the loader normalises the process parameters, records the program
 * and ntdll in Peb->Ldr, snaps the program's imports (from ntdll only, for
 * now) and calls the entry point as NtProcessStartup(PPEB); what it returns
 * ends the process (RtlExitUserProcess). A failure is reported with
 * DbgPrint and ends the process with its status. Later threads (Peb->Ldr
 * set) run their start routine the same way and end with
 * RtlExitUserThread.
 *
 * The process heap and the loader and PEB locks come first; DLLs the
 * program imports are loaded and attached (DllMain) before the entry runs,
 * TLS is set up per thread, later threads send DLL_THREAD_ATTACH and
 * ending threads DLL_THREAD_DETACH; the process's end detaches every DLL.
 * FIXME: the CONTEXT is not resumed with NtContinue (only its Rip, Rcx and
 * Rsp are used).
 */
#include "ldrp.h"
#include <ntsvc.h>
#include "../heap/heapp.h"

extern IMAGE_DOS_HEADER __ImageBase; /* ntdll's own headers (ld defines it) */

/* The DOS path ntdll is known by: %SystemRoot%\System32\ntdll.dll, with
 * the system root ntos writes into KUSER_SHARED_DATA (C:\Windows when it
 * is empty). */
static VOID LdrpNtdllPath(PUNICODE_STRING Path)
{
    static const WCHAR Tail[] = u"\\System32\\ntdll.dll";
    static const WCHAR DefaultRoot[] = u"C:\\Windows";
    static WCHAR Buffer[128];
    const KUSER_SHARED_DATA *Shared = (const KUSER_SHARED_DATA *)KUSER_SHARED_DATA_USER_VA;
    PCWSTR Root = Shared->NtSystemRoot[0] ? Shared->NtSystemRoot : DefaultRoot;
    SIZE_T Length = 0;

    while (Root[Length] && Length < ARRAYSIZE(Buffer) - ARRAYSIZE(Tail))
        Length++;
    memcpy(Buffer, Root, Length * sizeof(WCHAR));
    memcpy(Buffer + Length, Tail, sizeof(Tail));
    Path->Buffer = Buffer;
    Path->Length = (USHORT)((Length + ARRAYSIZE(Tail) - 1) * sizeof(WCHAR));
    Path->MaximumLength = (USHORT)(Path->Length + sizeof(WCHAR));
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

/* The program's static imports (DLLs loaded now are pinned), TLS for the
 * first thread, then DLL_PROCESS_ATTACH in initialisation order and the
 * program's TLS callbacks. Runs under the loader lock. */
static NTSTATUS LdrpLoadStaticImports(PLDR_DATA_TABLE_ENTRY Program)
{
    NTSTATUS Status;

    LdrpProcessInitializing = TRUE;
    Status = LdrpSnapModule(Program);
    LdrpProcessInitializing = FALSE;
    if (NT_SUCCESS(Status))
        Status = LdrpAddTlsModule(Program);
    if (NT_SUCCESS(Status))
        Status = LdrpAllocateThreadTls();
    if (NT_SUCCESS(Status))
        Status = LdrpRunInitializers();
    if (NT_SUCCESS(Status))
        LdrpCallTlsCallbacks(Program, DLL_PROCESS_ATTACH);
    return Status;
}

static NTSTATUS LdrpInitializeProcess(PPEB Peb, PVOID NtdllBase)
{
    PLDR_DATA_TABLE_ENTRY Program, Ntdll;
    UNICODE_STRING ProgramPath, NtdllPath;
    NTSTATUS Status;

    RtlNormalizeProcessParams(Peb->ProcessParameters);
    LdrpInitializeLocks(Peb);
    Status = RtlpInitializeProcessHeap(Peb);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: cannot create the process heap: 0x%08x\n", Status);
        return Status;
    }
    LdrpInitializeModuleList(Peb);
    LdrpProgramPath(Peb, &ProgramPath);
    LdrpNtdllPath(&NtdllPath);
    Status = LdrpCreateModule(Peb->ImageBaseAddress, &ProgramPath, 0, &Program);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: the program at %p is not a valid x64 image\n", Peb->ImageBaseAddress);
        return Status;
    }
    Status = LdrpCreateModule(NtdllBase, &NtdllPath,
                              LDRP_IMAGE_DLL | LDRP_ENTRY_PROCESSED | LDRP_PROCESS_ATTACH_CALLED,
                              &Ntdll);
    if (!NT_SUCCESS(Status))
        return Status;
    LdrpInsertInitOrder(Ntdll);
    LdrpAcquireLoaderLock();
    Status = LdrpLoadStaticImports(Program);
    LdrpReleaseLoaderLock();
    if (!NT_SUCCESS(Status))
        return Status;
    Peb->Ldr->Initialized = TRUE;
    return STATUS_SUCCESS;
}

VOID NTAPI RtlExitUserProcess(NTSTATUS Status)
{
    static BOOLEAN Exiting;
    PPEB Peb = NtdllpCurrentPeb();

    if (!Exiting && Peb->Ldr && Peb->Ldr->Initialized) {
        Exiting = TRUE; /* a DllMain that ends the process does not detach again */
        NtTerminateProcess(NULL, Status); /* the other threads first, as Windows does */
        LdrpAcquireLoaderLock();
        LdrpShutdownProcess();
        LdrpReleaseLoaderLock();
    }
    for (;;) {
        NtTerminateProcess(NtCurrentProcess(), Status);
        /* Ending the caller's own process cannot fail; if it ever returns,
         * fault so that ntos ends the process. */
        __builtin_trap();
    }
}

VOID NTAPI RtlExitUserThread(NTSTATUS Status)
{
    PPEB Peb = NtdllpCurrentPeb();
    ULONG Last = 0;

    /* The last thread of a process may not end itself this way (Windows
     * answers STATUS_CANT_TERMINATE_SELF): it ends the process instead. */
    if (NT_SUCCESS(NtQueryInformationThread(NtCurrentThread(), 12 /* ThreadAmILastThread */, &Last,
                                            sizeof(Last), NULL)) &&
        Last)
        RtlExitUserProcess(Status);
    if (Peb->Ldr && Peb->Ldr->Initialized) {
        LdrpAcquireLoaderLock();
        LdrpNotifyThread(DLL_THREAD_DETACH);
        LdrpFreeThreadTls();
        LdrpReleaseLoaderLock();
    }
    NtTerminateThread(NtCurrentThread(), Status);
    RtlExitUserProcess(Status);
}

VOID NTAPI RtlUserThreadStart(PUSER_THREAD_START_ROUTINE Start, PVOID Parameter)
{
    RtlExitUserThread(Start(Parameter));
}

/* Threads after the first: their TLS and DLL_THREAD_ATTACH, then the
 * start routine of the CONTEXT. */
static __attribute__((noreturn)) VOID LdrpStartLaterThread(PCONTEXT Context)
{
    NTSTATUS Status;

    if (!Context || !Context->Rip) {
        DbgPrint("LDR: a thread started without a start address\n");
        RtlExitUserThread(STATUS_INVALID_PARAMETER);
    }
    LdrpAcquireLoaderLock();
    Status = LdrpAllocateThreadTls();
    if (NT_SUCCESS(Status))
        LdrpNotifyThread(DLL_THREAD_ATTACH);
    LdrpReleaseLoaderLock();
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: no TLS for a new thread: 0x%08x\n", Status);
        NtTerminateThread(NtCurrentThread(), Status);
    }
    LdrpStartThread((PVOID)Context->Rip, (PVOID)Context->Rcx, (PVOID)Context->Rdx, Context->Rsp,
                    RtlExitUserThread);
}

VOID LdrpInitialize(PCONTEXT Context, PVOID NtdllBase)
{
    PPEB Peb = NtdllpCurrentPeb();
    PLDR_DATA_TABLE_ENTRY Program;
    PVOID Entry;
    NTSTATUS Status;

    if (!NtdllBase)
        NtdllBase = &__ImageBase;
    if (Peb->Ldr)
        LdrpStartLaterThread(Context);
    Status = LdrpInitializeProcess(Peb, NtdllBase);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("LDR: process initialisation failed: 0x%08x\n", Status);
        RtlExitUserProcess(Status);
    }
    Program = (PLDR_DATA_TABLE_ENTRY)Peb->Ldr->InLoadOrderModuleList.Flink;
    Entry = Context && Context->Rip ? (PVOID)Context->Rip : Program->EntryPoint;
    if (!Entry) {
        DbgPrint("LDR: the program has no entry point\n");
        RtlExitUserProcess(STATUS_INVALID_IMAGE_FORMAT);
    }
    /* ntos passes the entry's argument in the CONTEXT's Rcx (the PEB for
     * the first thread); without one the PEB is what a native entry takes. */
    LdrpStartThread(Entry, Context && Context->Rcx ? (PVOID)Context->Rcx : (PVOID)Peb,
                    Context ? (PVOID)Context->Rdx : NULL, Context ? Context->Rsp : 0,
                    RtlExitUserProcess);
}
