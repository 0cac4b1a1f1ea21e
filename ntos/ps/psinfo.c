/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process list of NtQuerySystemInformation(SystemProcessInformation):
 * one SYSTEM_PROCESS_INFORMATION per running process (Windows x64 layout),
 * followed by a SYSTEM_THREAD_INFORMATION per live thread and the image
 * name, chained by NextEntryOffset (0 on the last). ex/sysinfo.c owns the
 * service; ps lays the records out because it owns the lists.
 *
 * Thread states: the caller's own thread is Running; a suspended thread is
 * Waiting for reason Suspended; one whose request waits in ntos is Waiting
 * (UserRequest); every other is Ready (ntos cannot tell a thread that runs
 * from one queued on the single processor). FIXME: kernel and user times,
 * context switches and memory counters need accounting ntos does not keep.
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <string.h>
#include <nt/sysinfo.h>

/* SYSTEM_PROCESS_INFORMATION, SYSTEM_THREAD_INFORMATION: include/nt/sysinfo.h. */

enum { StateReady = 1, StateRunning = 2, StateWaiting = 5 };        /* KTHREAD_STATE */
enum { WaitExecutive = 0, WaitSuspended = 5, WaitUserRequest = 6 }; /* KWAIT_REASON */

static ULONG PspNameBytes(PEPROCESS Process)
{
    return (ULONG)((strlen(Process->ImageName) + 1) * sizeof(WCHAR) + 7) & ~7u;
}

static ULONG PspEntrySize(PEPROCESS Process)
{
    return sizeof(SYSTEM_PROCESS_INFORMATION) +
           Process->ActiveThreads * sizeof(SYSTEM_THREAD_INFORMATION) + PspNameBytes(Process);
}

static void PspThreadRecord(PPSP_THREAD Thread, SYSTEM_THREAD_INFORMATION *Out)
{
    PETHREAD Tcb = &Thread->Tcb;

    memset(Out, 0, sizeof(*Out));
    Out->CreateTime = Thread->CreateTime;
    Out->StartAddress = Thread->StartAddress;
    Out->ClientId.UniqueProcess = (HANDLE)Tcb->Process->UniqueProcessId;
    Out->ClientId.UniqueThread = (HANDLE)Tcb->UniqueThreadId;
    Out->Priority = Thread->Priority;
    Out->BasePriority = PspProcess(Tcb->Process)->BasePriority;
    if (Tcb == KeGetCurrentThread()) {
        Out->ThreadState = StateRunning;
    } else if (Tcb->SuspendCount != 0) {
        Out->ThreadState = StateWaiting;
        Out->WaitReason = WaitSuspended;
    } else if (Tcb->Fiber != NULL) {
        Out->ThreadState = StateWaiting;
        Out->WaitReason = WaitUserRequest;
    } else {
        Out->ThreadState = StateReady;
    }
}

/* One process's entry at Out (ntos memory) whose user address is User. */
static void PspProcessRecord(PEPROCESS Process, UCHAR *Out, ULONG_PTR User)
{
    SYSTEM_PROCESS_INFORMATION *P = (SYSTEM_PROCESS_INFORMATION *)Out;
    SYSTEM_THREAD_INFORMATION *T = (SYSTEM_THREAD_INFORMATION *)(P + 1);
    ULONG Count = 0, NameOffset;
    WCHAR *Name;
    SIZE_T n;

    memset(P, 0, sizeof(*P));
    for (PPSP_THREAD t = PspProcess(Process)->Threads; t; t = t->NextInProcess)
        PspThreadRecord(t, &T[Count++]);
    ASSERT(Count == Process->ActiveThreads); /* the list holds the live threads */
    P->NumberOfThreads = P->NumberOfThreadsHighWatermark = Count;
    P->CreateTime = PspProcess(Process)->CreateTime;
    P->BasePriority = PspProcess(Process)->BasePriority;
    P->UniqueProcessId = Process->UniqueProcessId;
    P->InheritedFromUniqueProcessId = PspProcess(Process)->ParentProcessId;
    P->HandleCount = ObGetProcessHandleCount(Process);
    P->UniqueProcessKey = Process->UniqueProcessId;
    NameOffset = sizeof(*P) + Count * sizeof(*T);
    Name = (WCHAR *)(Out + NameOffset);
    for (n = 0; Process->ImageName[n]; n++)
        Name[n] = (UCHAR)Process->ImageName[n];
    Name[n] = 0;
    P->ImageName.Length = (USHORT)(n * sizeof(WCHAR));
    P->ImageName.MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
    P->ImageName.Buffer = (PWSTR)(User + NameOffset);
}

ULONG PsQueryProcessList(UCHAR *Buffer, ULONG Length, ULONG_PTR UserAddress)
{
    ULONG Needed = 0, Offset = 0, Last = 0;

    for (PEPROCESS p = PspFirstProcess(); p; p = PspNextProcess(p))
        Needed += PspEntrySize(p);
    if (Needed > Length || Buffer == NULL)
        return Needed;
    for (PEPROCESS p = PspFirstProcess(); p; p = PspNextProcess(p)) {
        PspProcessRecord(p, Buffer + Offset, UserAddress + Offset);
        if (Offset)
            ((SYSTEM_PROCESS_INFORMATION *)(Buffer + Last))->NextEntryOffset = Offset - Last;
        Last = Offset;
        Offset += PspEntrySize(p);
    }
    return Needed;
}
