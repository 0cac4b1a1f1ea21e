/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes: the process and thread object types, creation of a process
 * from a file of the system archive (address space, the image and
 * ntdll.dll, KUSER_SHARED_DATA, PEB and process parameters, the first
 * thread), termination, and the services NtTerminateProcess and
 * NtTerminateThread (NtQueryInformationProcess is in query.c).
 *
 * Lifetime: an EPROCESS lives while anything references it; its first
 * reference stands for "running" and is dropped when the process ends
 * (its last thread is gone), each thread holds one more. Ending frees the
 * handle table and the address space at once; the object itself may
 * outlive that (a handle to an ended process stays valid, as on NT).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <io.h>
#include <string.h>
#include <io.h>

#pragma weak IoHalProcessEnded

#include "ntsvc.h"

#define PSP_NTDLL_NAME          "ntdll.dll"
#define PSP_THREAD_START_EXPORT "LdrInitializeThunk"
#define PSP_EXCEPTION_EXPORT    "KiUserExceptionDispatcher"
#define PSP_USER_THREAD_EXPORT  "RtlUserThreadStart"
#define PSP_MAX_DEFERRED        8

static ULONG_PTR PspNextProcessId = 4; /* NT ids are multiples of 4; 0 is the idle process */
static PPSP_PROCESS PspProcessList;    /* running processes, newest first */

PEPROCESS PspLookupProcessById(ULONG_PTR ProcessId)
{
    for (PPSP_PROCESS p = PspProcessList; p; p = p->NextProcess) {
        if (p->Pcb.UniqueProcessId == ProcessId)
            return &p->Pcb;
    }
    return NULL;
}

void PspLinkProcess(PEPROCESS Process)
{
    PspProcess(Process)->NextProcess = PspProcessList;
    PspProcessList = PspProcess(Process);
}

PEPROCESS PspFirstProcess(void)
{
    return PspProcessList ? &PspProcessList->Pcb : NULL;
}

PEPROCESS PspNextProcess(PEPROCESS Process)
{
    PPSP_PROCESS Next = PspProcess(Process)->NextProcess;

    return Next ? &Next->Pcb : NULL;
}

static void PspUnlinkProcess(PEPROCESS Process)
{
    PPSP_PROCESS *Link = &PspProcessList;

    while (*Link && *Link != PspProcess(Process))
        Link = &(*Link)->NextProcess;
    if (*Link)
        *Link = PspProcess(Process)->NextProcess;
}

/* ---- deferred dereference -------------------------------------------------------------- */

/* Objects whose last "running" reference must wait: ke still reads the
 * current thread (and its process) after the handler that ended them. */
static PVOID PspDeferred[PSP_MAX_DEFERRED];
static ULONG PspDeferredCount;

void PspFlushDeferred(void)
{
    PETHREAD Current = KeGetCurrentThread();

    for (ULONG i = 0; i < PspDeferredCount;) {
        PVOID Object = PspDeferred[i];

        if (Object == Current || (Current && Object == Current->Process)) {
            i++;
            continue;
        }
        PspDeferred[i] = PspDeferred[--PspDeferredCount];
        ObDereferenceObject(Object);
    }
}

void PspDereferenceObject(PVOID Object)
{
    PETHREAD Current = KeGetCurrentThread();

    PspFlushDeferred();
    if (Current == NULL || (Object != Current && Object != Current->Process)) {
        ObDereferenceObject(Object);
        return;
    }
    /* Only the current thread and its process are ever deferred. */
    ASSERT(PspDeferredCount < PSP_MAX_DEFERRED);
    PspDeferred[PspDeferredCount++] = Object;
}

/* ---- object types ------------------------------------------------------------------------ */

void PspDeleteThread(PVOID Object); /* thread.c */

static void PspDeleteProcess(PVOID Object)
{
    PEPROCESS Process = Object;

    /* Ending already freed what it owned; a process that never ran has
     * nothing, except one of NtCreateProcessEx whose last handle went
     * before it had a thread (Dormant): it goes now. */
    ASSERT(Process->ActiveThreads == 0);
    if (PspProcess(Process)->Dormant && !PspProcess(Process)->AddressSpaceDeleted) {
        PspUnlinkProcess(Process);
        ObKillProcessHandleTable(Process);
        MmDeleteAddressSpace(Process->AddressSpace);
        Process->AddressSpace = NULL;
        PspProcess(Process)->AddressSpaceDeleted = true;
    }
}

NTSTATUS PspInitialize(void)
{
    OBJECT_TYPE_INITIALIZER Process = {
        .ValidAccessMask = PROCESS_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | 0x1410, READ_CONTROL | 0x0bea,
                           READ_CONTROL | SYNCHRONIZE | 0x1000, PROCESS_ALL_ACCESS},
        .PoolTag = PSP_PROCESS_TAG,
        .DeleteProcedure = PspDeleteProcess,
    };
    OBJECT_TYPE_INITIALIZER Thread = {
        .ValidAccessMask = THREAD_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | 0x0848, READ_CONTROL | 0x0037,
                           READ_CONTROL | SYNCHRONIZE | 0x1800, THREAD_ALL_ACCESS},
        .PoolTag = PSP_THREAD_TAG,
        .DeleteProcedure = PspDeleteThread,
    };
    NTSTATUS Status = STATUS_SUCCESS;

    if (PsProcessType == NULL)
        Status = ObCreateObjectType("Process", &Process, &PsProcessType);
    if (NT_SUCCESS(Status) && PsThreadType == NULL)
        Status = ObCreateObjectType("Thread", &Thread, &PsThreadType);
    return Status;
}

/* ---- creation ----------------------------------------------------------------------------- */

/* ntdll.dll, and the address of its LdrInitializeThunk. */
static NTSTATUS PspMapNtdll(PEPROCESS Process)
{
    static PSP_IMAGE_INFO NtdllInfo; /* creation never waits: one scratch description does */
    PPSP_IMAGE_INFO Info = &NtdllInfo;
    PSP_MAPPED_VIEW Mapped;
    PSP_IMAGE_VIEW View;
    const void *File;
    SIZE_T Size;
    ULONG Rva;
    NTSTATUS Status;

    if (!KeFindArchiveFile(PSP_NTDLL_NAME, &File, &Size))
        return STATUS_DLL_NOT_FOUND;
    Status = PspMapImageFile(Process, File, Size, Info, &Process->NtdllBase);
    if (!NT_SUCCESS(Status))
        goto out;
    PspInitializeImageView(&View, &Mapped, Process, Process->NtdllBase, Info->SizeOfImage);
    Status = PspFindExport(&View, Info, PSP_THREAD_START_EXPORT, &Rva);
    if (!NT_SUCCESS(Status))
        goto out;
    PspProcess(Process)->ThreadStart = Process->NtdllBase + Rva;
    /* Optional: without it ke ends a process whose thread faults. */
    if (NT_SUCCESS(PspFindExport(&View, Info, PSP_EXCEPTION_EXPORT, &Rva)))
        PspProcess(Process)->ExceptionDispatcher = Process->NtdllBase + Rva;
    /* Optional: without it NtCreateThreadEx starts the routine directly. */
    if (NT_SUCCESS(PspFindExport(&View, Info, PSP_USER_THREAD_EXPORT, &Rva)))
        PspProcess(Process)->UserThreadStart = Process->NtdllBase + Rva;
out:
    return Status;
}

ULONG_PTR PsGetUserExceptionDispatcher(PEPROCESS Process)
{
    return PspProcess(Process)->ExceptionDispatcher;
}

NTSTATUS PspMapProcessImages(PEPROCESS Process, const void *File, SIZE_T Size, PPSP_IMAGE_INFO Info)
{
    NTSTATUS Status;

    Status = MmCreateAddressSpace(&Process->AddressSpace);
    if (!NT_SUCCESS(Status))
        goto out;
    /* The program first, so that it gets its preferred base. */
    Status = PspMapImageFile(Process, File, Size, Info, &Process->ImageBase);
    if (!NT_SUCCESS(Status))
        goto out;
    if (Info->EntryPointRva == 0 || (Info->Characteristics & IMAGE_FILE_DLL)) {
        Status = STATUS_INVALID_IMAGE_FORMAT; /* a DLL is not a program */
        goto out;
    }
    Status = PspMapNtdll(Process);
    if (!NT_SUCCESS(Status))
        goto out;
    PspProcess(Process)->StackReserve = Info->StackReserve;
    PspProcess(Process)->StackCommit = Info->StackCommit;
    Status = PspMapSharedUserData(Process);
out:
    return Status;
}

/* The program (described in Info), ntdll and the program's user-mode blocks. */
static NTSTATUS PspSetUpProcess(PEPROCESS Process, const char *ImageName, const WCHAR *CommandLine,
                                PPSP_IMAGE_INFO Info)
{
    const void *File;
    SIZE_T Size;
    NTSTATUS Status;

    if (!KeFindArchiveFile(ImageName, &File, &Size))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    Status = PspMapProcessImages(Process, File, Size, Info);
    if (NT_SUCCESS(Status))
        Status = PspCreatePeb(Process, Info, ImageName, CommandLine);
    return Status;
}

/* Undo a creation that failed before any thread ran. */
void PspAbandonProcess(PEPROCESS Process)
{
    if (Process->AddressSpace)
        MmDeleteAddressSpace(Process->AddressSpace);
    Process->AddressSpace = NULL;
    PspProcess(Process)->AddressSpaceDeleted = true;
    ObKillProcessHandleTable(Process);
    ObDereferenceObject(Process);
}

NTSTATUS PspAllocateProcess(const char *ImageName, PEPROCESS *ProcessOut)
{
    PEPROCESS Process = NULL;
    NTSTATUS Status;

    Status = PspInitialize();
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObCreateObject(PsProcessType, sizeof(PSP_PROCESS), (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Process->UniqueProcessId = PspNextProcessId;
    PspNextProcessId += 4;
    NtQuerySystemTime(&PspProcess(Process)->CreateTime);
    PspProcess(Process)->Cookie = PspRandomUlong();
    PspProcess(Process)->HardErrorMode = 1; /* Windows' default: errors are shown */
    PspProcess(Process)->PriorityClass = 2; /* PROCESS_PRIORITY_CLASS_NORMAL */
    PspProcess(Process)->BasePriority = PSP_PRIORITY_NORMAL;
    PspProcess(Process)->AffinityMask = 1;   /* one processor */
    PspProcess(Process)->ExecuteFlags = 0x2; /* MEM_EXECUTE_OPTION_ENABLE: no NX */
    strncpy(Process->ImageName, ImageName, sizeof(Process->ImageName) - 1);
    *ProcessOut = Process;
    return STATUS_SUCCESS;
}

NTSTATUS PsCreateProcessFromArchive(const char *ImageName, const WCHAR *CommandLine,
                                    PEPROCESS *ProcessOut)
{
    static PSP_IMAGE_INFO Info; /* creation never waits: one scratch description does */
    PEPROCESS Process = NULL;
    PETHREAD Thread;
    NTSTATUS Status;

    PspFlushDeferred();
    Status = PspAllocateProcess(ImageName, &Process);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = PspSetUpProcess(Process, ImageName, CommandLine, &Info);
    if (NT_SUCCESS(Status))
        Status = PspCreateThread(Process, Process->ImageBase + Info.EntryPointRva,
                                 Process->PebAddress, &Thread);
    if (!NT_SUCCESS(Status)) {
        PspAbandonProcess(Process);
        goto out;
    }
    PspLinkProcess(Process);
    *ProcessOut = Process;
out:
    return Status;
}

/* ---- termination ---------------------------------------------------------------------------- */

void PspProcessEnded(PEPROCESS Process, NTSTATUS ExitStatus)
{
    ASSERT(Process->ActiveThreads == 0);
    if (!PspProcess(Process)->Terminating)
        Process->ExitStatus = ExitStatus;
    PspProcess(Process)->Terminating = true;
    NtQuerySystemTime(&PspProcess(Process)->ExitTime);
    PspUnlinkProcess(Process);
    if (Process->DriverHost)
        IoDriverProcessEnded(Process); /* io: its IRPs fail, its devices go */
    KePrint("process %s exited with status 0x%08x\n", Process->ImageName,
            (unsigned)Process->ExitStatus);
    ObKillProcessHandleTable(Process);
    if (Process->DriverHost && IoHalProcessEnded)
        IoHalProcessEnded(Process); /* hal: its interrupt lines and device memory */
    MmDeleteAddressSpace(Process->AddressSpace);
    Process->AddressSpace = NULL;
    PspProcess(Process)->AddressSpaceDeleted = true;
    KeProcessEnded(Process); /* its waiters wake */
    if (!PspProcess(Process)->Dormant)
        PspDereferenceObject(Process); /* the "running" reference */
}

void PsTerminateProcess(PEPROCESS Process, NTSTATUS ExitStatus)
{
    PPSP_PROCESS Psp = PspProcess(Process);

    if (Psp->Terminating)
        return;
    Psp->Terminating = true;
    Process->ExitStatus = ExitStatus;
    /* The last thread to go ends the process (PspProcessEnded), which may
     * then be freed: keep it until the loop is done. */
    ObReferenceObject(Process);
    while (Psp->Threads)
        PsTerminateThread(&Psp->Threads->Tcb, ExitStatus);
    /* A process of NtCreateProcessEx that never had a thread ends here. */
    if (!Psp->AddressSpaceDeleted && Process->ActiveThreads == 0)
        PspProcessEnded(Process, ExitStatus);
    PspDereferenceObject(Process);
}

/* iocomp branch (ex/shutdown.c): NtShutdownSystem(ShutdownNoReboot). Each
 * pass ends the first process not already ending; ending one unlinks it,
 * so the walk starts again. */
void PsTerminateAllProcesses(NTSTATUS ExitStatus)
{
    PPSP_PROCESS p;

    do {
        for (p = PspProcessList; p != NULL && p->Terminating; p = p->NextProcess)
            ;
        if (p != NULL)
            PsTerminateProcess(&p->Pcb, ExitStatus);
    } while (p != NULL);
}

/* Every thread of the caller's process but the caller. */
static void PspTerminateOtherThreads(PETHREAD Current, NTSTATUS ExitStatus)
{
    PPSP_THREAD Next;

    for (PPSP_THREAD t = PspProcess(Current->Process)->Threads; t; t = Next) {
        Next = t->NextInProcess;
        if (&t->Tcb != Current)
            PsTerminateThread(&t->Tcb, ExitStatus);
    }
}

NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    PETHREAD Current = KeGetCurrentThread();
    PEPROCESS Process;
    NTSTATUS Status;

    PspFlushDeferred();
    if (ProcessHandle == NULL) {
        PspTerminateOtherThreads(Current, ExitStatus);
        return STATUS_SUCCESS;
    }
    Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType, PROCESS_TERMINATE,
                                       (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    if (PspProcess(Process)->Terminating)
        Status = STATUS_PROCESS_IS_TERMINATING;
    else
        PsTerminateProcess(Process, ExitStatus);
    ObDereferenceObject(Process);
    return Status;
}

NTSTATUS NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
    PETHREAD Thread;
    NTSTATUS Status;

    PspFlushDeferred();
    Status = ObReferenceObjectByHandle(ThreadHandle ? ThreadHandle : NtCurrentThread(),
                                       PsThreadType, THREAD_TERMINATE, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Windows: the last thread must end through NtTerminateProcess. */
    if (Thread == KeGetCurrentThread() && Thread->Process->ActiveThreads == 1)
        Status = STATUS_CANT_TERMINATE_SELF;
    else
        PsTerminateThread(Thread, ExitStatus);
    ObDereferenceObject(Thread);
    return Status;
}
