/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of process creation and termination (ps/): refusals of a
 * missing or unsuitable image, the state a new process and its first thread
 * start in (PEB, process parameters, TEB, KUSER_SHARED_DATA, the CONTEXT on
 * the stack, the registers LdrInitializeThunk gets), an image mapped a
 * second time (relocated), and termination giving back every page and
 * slot. ntos runs above user priority and these tests never block, so the
 * hello.exe threads they create never run.
 */
#include "ktest.h"

#include <nt/context.h>
#include <nt/kuser.h>
#include <nt/peb.h>
#include <nt/teb.h>
#include <ntsvc.h>
#include <svc.h>
#include <ob.h>
#include <string.h>

#include "../ps/psp.h"

static PEPROCESS KtCreateHello(void)
{
    PEPROCESS Process = NULL;

    if (!CHECK_EQ(PsCreateProcessFromArchive("hello.exe", u"hello.exe -t", &Process),
                  STATUS_SUCCESS))
        return NULL;
    ObReferenceObject(Process); /* keep it past its end */
    return Process;
}

static void KtEndProcess(PEPROCESS Process, NTSTATUS Status)
{
    PsTerminateProcess(Process, Status);
    CHECK_EQ(Process->ActiveThreads, 0);
    CHECK_EQ(Process->ExitStatus, Status);
    CHECK(Process->AddressSpace == NULL);
    ObDereferenceObject(Process);
}

KTEST(ps_create_missing_image)
{
    PEPROCESS Process = NULL;

    CHECK_EQ(PsCreateProcessFromArchive("nosuch.exe", u"nosuch.exe", &Process),
             STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(Process == NULL);
}

KTEST(ps_create_dll_is_not_a_program)
{
    PEPROCESS Process = NULL;

    CHECK_EQ(PsCreateProcessFromArchive("ntdll.dll", u"ntdll.dll", &Process),
             STATUS_INVALID_IMAGE_FORMAT);
}

KTEST(ps_create_failure_leaks_nothing)
{
    PEPROCESS Process;
    ULONG Pages, Slots;

    /* Warm up (pool pages, slot CNodes), then the same again must be free. */
    PsCreateProcessFromArchive("ntdll.dll", u"x", &Process);
    Pages = MiFreePageCount(), Slots = MiFreeSlotCount();
    PsCreateProcessFromArchive("ntdll.dll", u"x", &Process);
    CHECK_EQ(MiFreePageCount(), Pages);
    CHECK_EQ(MiFreeSlotCount(), Slots);
}

static void KtCheckPeb(PEPROCESS Process)
{
    static PEB Peb;
    static RTL_USER_PROCESS_PARAMETERS Params;
    WCHAR Line[16] = {0};

    if (!CHECK_EQ(MmCopyFromUser(Process, &Peb, Process->PebAddress, sizeof(Peb)), 0))
        return;
    CHECK_EQ((ULONG_PTR)Peb.ImageBaseAddress, 0x140000000ull);
    CHECK_EQ(Peb.OSMajorVersion, 10);
    CHECK_EQ(Peb.NumberOfProcessors, 1);
    CHECK_EQ(Peb.ImageSubsystem, IMAGE_SUBSYSTEM_NATIVE);
    if (!CHECK_EQ(
            MmCopyFromUser(Process, &Params, (ULONG_PTR)Peb.ProcessParameters, sizeof(Params)), 0))
        return;
    CHECK(Params.Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    CHECK_EQ(Params.CommandLine.Length, 24);
    CHECK_EQ(MmCopyFromUser(Process, Line, (ULONG_PTR)Params.CommandLine.Buffer, 26), 0);
    CHECK(Line[0] == 'h' && Line[10] == '-' && Line[11] == 't' && Line[12] == 0);
    CHECK_EQ(Params.CurrentDirectory.DosPath.Length, 6);
    CHECK(Params.Environment != NULL && Params.EnvironmentSize > 4);
}

static void KtCheckTeb(PETHREAD Thread)
{
    static TEB Teb;
    PEPROCESS Process = Thread->Process;

    if (!CHECK_EQ(MmCopyFromUser(Process, &Teb, Thread->TebAddress, sizeof(Teb)), 0))
        return;
    CHECK_EQ((ULONG_PTR)Teb.NtTib.Self, Thread->TebAddress);
    CHECK(Teb.NtTib.ExceptionList == EXCEPTION_CHAIN_END);
    CHECK_EQ((ULONG_PTR)Teb.ProcessEnvironmentBlock, Process->PebAddress);
    CHECK_EQ((ULONG_PTR)Teb.ClientId.UniqueThread, Thread->UniqueThreadId);
    CHECK_EQ((ULONG_PTR)Teb.ClientId.UniqueProcess, Process->UniqueProcessId);
    CHECK_EQ((ULONG_PTR)Teb.NtTib.StackBase, Thread->StackBase);
    CHECK_EQ((ULONG_PTR)Teb.NtTib.StackLimit, Thread->StackLimit);
    CHECK((ULONG_PTR)Teb.DeallocationStack < Thread->StackLimit);
    CHECK_EQ((ULONG_PTR)Teb.ActivationContextStackPointer,
             Thread->TebAddress + offsetof(TEB, ActivationContextStack));
    CHECK_EQ((ULONG_PTR)Teb.StaticUnicodeString.Buffer,
             Thread->TebAddress + offsetof(TEB, StaticUnicodeBuffer));
    /* The IPC buffer page follows the TEB and is committed. */
    CHECK(MmLookupUserPage(Process->AddressSpace, Thread->TebAddress + 0x2000, false) != NULL);
}

static void KtCheckStart(PETHREAD Thread)
{
    static CONTEXT Context;
    PEPROCESS Process = Thread->Process;
    seL4_UserContext Regs = {0};

    if (!CHECK_EQ(seL4_TCB_ReadRegisters(Thread->Tcb, false, 0, 20, &Regs), seL4_NoError))
        return;
    CHECK_EQ(Regs.rip, PspProcess(Process)->ThreadStart);
    CHECK_EQ(Regs.rdx, Process->NtdllBase);
    CHECK_EQ(Regs.gs_base, Thread->TebAddress);
    CHECK_EQ(Regs.rsp % 16, 8); /* as just after a call */
    CHECK_EQ(Regs.rcx, Regs.rsp + 8);
    if (!CHECK_EQ(MmCopyFromUser(Process, &Context, Regs.rcx, sizeof(Context)), 0))
        return;
    CHECK(Context.Rip > Process->ImageBase && Context.Rip < Process->ImageBase + 0x100000);
    CHECK_EQ(Context.Rcx, Process->PebAddress);
    CHECK_EQ(Context.Rsp, Thread->StackBase - 0x28);
    CHECK_EQ(Context.MxCsr, 0x1f80);
}

KTEST(ps_process_start_state)
{
    static KUSER_SHARED_DATA Kuser;
    PEPROCESS Process = KtCreateHello();
    PETHREAD Thread;

    if (!Process)
        return;
    CHECK_EQ(Process->ImageBase, 0x140000000ull);
    CHECK(Process->NtdllBase != 0 && Process->PebAddress != 0);
    /* Optional export: 0, or an address inside ntdll. */
    CHECK(PsGetUserExceptionDispatcher(Process) == 0 ||
          PsGetUserExceptionDispatcher(Process) - Process->NtdllBase < 0x1000000);
    CHECK_EQ(Process->ActiveThreads, 1);
    CHECK_EQ(MmCopyFromUser(Process, &Kuser, KUSER_SHARED_DATA_USER_VA, sizeof(Kuser)), 0);
    CHECK_EQ(Kuser.NtMajorVersion, 10);
    CHECK_EQ(Kuser.NativeProcessorArchitecture, 9);
    CHECK_EQ(Kuser.TickCountMultiplier, 1u << 24);
    CHECK(Kuser.NumberOfPhysicalPages > 0);
    /* Times are set at process creation: after 2014, consistent halves. */
    CHECK(Kuser.SystemTime.High1Time > 0x01d00000);
    CHECK_EQ(Kuser.SystemTime.High1Time, Kuser.SystemTime.High2Time);
    /* Read-only for the process. */
    CHECK(MmCopyToUser(Process, KUSER_SHARED_DATA_USER_VA, &Kuser, 4) != STATUS_SUCCESS);
    KtCheckPeb(Process);
    Thread = &PspProcess(Process)->Threads->Tcb;
    if (CHECK(Thread != NULL)) {
        CHECK(KeLookupThread(Thread->UniqueThreadId) == Thread);
        KtCheckTeb(Thread);
        KtCheckStart(Thread);
    }
    KtEndProcess(Process, 0x77);
}

KTEST(ps_image_mapped_twice_is_relocated)
{
    PEPROCESS Process = KtCreateHello();
    ULONG_PTR Base = 0, Entry = 0;
    const void *File;
    SIZE_T Size;

    if (!Process)
        return;
    CHECK(KeFindArchiveFile("ntdll.dll", &File, &Size));
    CHECK_EQ(PspMapImage(Process, File, Size, &Base, &Entry), STATUS_SUCCESS);
    CHECK(Base != 0 && Base != Process->NtdllBase);
    CHECK_EQ(Base % 0x10000, 0);
    KtEndProcess(Process, 1);
}

KTEST(ps_terminate_frees_everything)
{
    PEPROCESS Process;
    ULONG Pages, Slots;

    Process = KtCreateHello();
    if (Process)
        KtEndProcess(Process, 0);
    Pages = MiFreePageCount(), Slots = MiFreeSlotCount();
    Process = KtCreateHello();
    if (Process) {
        PETHREAD Thread = &PspProcess(Process)->Threads->Tcb;
        ULONG_PTR Id = Thread->UniqueThreadId;

        KtEndProcess(Process, 0);
        CHECK(KeLookupThread(Id) == NULL);
    }
    CHECK_EQ(MiFreePageCount(), Pages);
    CHECK_EQ(MiFreeSlotCount(), Slots);
}

/* Run a handler as if Thread had called it (KeGetCurrentThread() = Thread). */
static KREQUEST KtRequest;

static void KtBecome(PETHREAD Thread)
{
    KtRequest = (KREQUEST){.Thread = Thread};
    KiCurrentRequest = Thread ? &KtRequest : NULL;
}

KTEST(ps_terminate_services)
{
    PEPROCESS Process = KtCreateHello();
    PETHREAD Thread;

    if (!Process)
        return;
    Thread = &PspProcess(Process)->Threads->Tcb;
    ObReferenceObject(Thread);
    KtBecome(Thread);
    CHECK_EQ(NtTerminateProcess((HANDLE)0x1234, 1), STATUS_INVALID_HANDLE);
    CHECK_EQ(NtTerminateThread((HANDLE)0x1234, 1), STATUS_INVALID_HANDLE);
    /* The last thread must end through NtTerminateProcess (services.def). */
    CHECK_EQ(NtTerminateThread(NULL, 1), STATUS_CANT_TERMINATE_SELF);
    CHECK_EQ(NtTerminateThread(NtCurrentThread(), 1), STATUS_CANT_TERMINATE_SELF);
    /* NULL: every other thread (there is none), not the process. */
    CHECK_EQ(NtTerminateProcess(NULL, 2), STATUS_SUCCESS);
    CHECK(!Thread->Terminated && Process->ActiveThreads == 1);
    NtTerminateProcess(NtCurrentProcess(), 0x1234);
    /* Ended, so ke sends no reply; the thread and the process are still
     * there while "ke" uses them. */
    CHECK(Thread->Terminated);
    CHECK_EQ(Process->ActiveThreads, 0);
    CHECK_EQ(Process->ExitStatus, 0x1234);
    KtBecome(NULL);
    PspFlushDeferred();
    ObDereferenceObject(Thread);
    ObDereferenceObject(Process);
}

KTEST(ps_second_thread_has_its_own_cspace)
{
    PEPROCESS Process = KtCreateHello();
    PETHREAD First, Second = NULL;

    if (!Process)
        return;
    First = &PspProcess(Process)->Threads->Tcb;
    if (CHECK_EQ(PspCreateThread(Process, Process->ImageBase + 0x1000, 0x55, &Second),
                 STATUS_SUCCESS)) {
        CHECK_EQ(Process->ActiveThreads, 2);
        CHECK(PspThread(Second)->CNode != PspThread(First)->CNode);
        CHECK(Second->UniqueThreadId != First->UniqueThreadId);
        CHECK(Second->TebAddress != First->TebAddress);
        CHECK(Second->StackBase != First->StackBase);
        ObReferenceObject(Second);
        PsTerminateThread(Second, 5);
        /* One thread ended: the process goes on. */
        CHECK(Second->Terminated && Second->Tcb == 0);
        CHECK_EQ(Process->ActiveThreads, 1);
        CHECK(Process->AddressSpace != NULL);
        CHECK(KeLookupThread(Second->UniqueThreadId) == NULL);
        CHECK(KeLookupThread(First->UniqueThreadId) == First);
        ObDereferenceObject(Second);
    }
    KtEndProcess(Process, 0);
}

/* hello.exe with another preferred base, in a pool copy. */
static void *KtHelloAt(ULONGLONG ImageBase, SIZE_T *Size)
{
    const void *File;
    UCHAR *Copy;
    LONG Lfanew;

    if (!CHECK(KeFindArchiveFile("hello.exe", &File, Size)))
        return NULL;
    Copy = ExAllocatePoolWithTag(*Size, PSP_PROCESS_TAG);
    if (!CHECK(Copy != NULL))
        return NULL;
    memcpy(Copy, File, *Size);
    memcpy(&Lfanew, Copy + 0x3c, 4);
    memcpy(Copy + Lfanew + 0x18 + offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase), &ImageBase, 8);
    return Copy;
}

KTEST(ps_image_base_outside_user_space_is_moved)
{
    static const ULONGLONG Bases[] = {0xffffffffffff0000ull, 0xffff800000000000ull,
                                      0x00007fffffff0000ull, 0x10000ull};
    PEPROCESS Process = KtCreateHello();
    ULONG_PTR Base, Entry;
    SIZE_T Size;

    if (!Process)
        return;
    for (SIZE_T i = 0; i < ARRAYSIZE(Bases); i++) {
        void *File = KtHelloAt(Bases[i], &Size);

        if (!File)
            break;
        Base = Entry = 0;
        CHECK_EQ(PspMapImage(Process, File, Size, &Base, &Entry), STATUS_SUCCESS);
        CHECK(Base >= 0x10000 && Base < MM_USER_TOP && Base % 0x10000 == 0);
        CHECK(Entry > Base && Entry < Base + 0x100000);
        ExFreePoolWithTag(File, PSP_PROCESS_TAG);
    }
    KtEndProcess(Process, 0);
}

KTEST(ps_query_information_process)
{
    PEPROCESS Process = KtCreateHello();
    ULONG_PTR Buffer = 0;
    ULONG Length = 0;
    UCHAR Out[0x30];
    USER_BUFFER User;

    if (!Process)
        return;
    KtBecome(&PspProcess(Process)->Threads->Tcb);
    CHECK_EQ(MmReserveRange(Process->AddressSpace, &Buffer, PAGE_SIZE, PAGE_READWRITE, true), 0);
    User = (USER_BUFFER){Buffer, sizeof(Out)};
    /* ProcessBasicInformation */
    CHECK_EQ(NtQueryInformationProcess(NtCurrentProcess(), 0, User, 0x30, &Length), 0);
    CHECK_EQ(Length, 0x30);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, sizeof(Out)), 0);
    CHECK_EQ(*(ULONG *)Out, STATUS_PENDING);
    CHECK_EQ(*(ULONG_PTR *)(Out + 8), Process->PebAddress);
    CHECK_EQ(*(ULONG_PTR *)(Out + 0x20), Process->UniqueProcessId);
    /* A fixed-size class leaves ReturnLength alone on a wrong length (Windows). */
    Length = 0;
    CHECK_EQ(NtQueryInformationProcess(NtCurrentProcess(), 0, User, 0x28, &Length),
             STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, 0);
    /* The buffer is probed first, ULONG-aligned. */
    CHECK_EQ(
        NtQueryInformationProcess((HANDLE)0x1234, 0, (USER_BUFFER){Buffer + 2, 0x30}, 0x30, NULL),
        STATUS_DATATYPE_MISALIGNMENT);
    /* ProcessTimes: created after 2014; ProcessWow64Information: not WOW64 */
    CHECK_EQ(NtQueryInformationProcess(NtCurrentProcess(), 4, User, 0x20, NULL), 0);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, 0x20), 0);
    CHECK(*(LONGLONG *)Out > 0x01d0000000000000ll);
    CHECK_EQ(NtQueryInformationProcess(NtCurrentProcess(), 26, User, 8, NULL), 0);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, 8), 0);
    CHECK_EQ(*(ULONG_PTR *)Out, 0);
    CHECK_EQ(NtQueryInformationProcess(NtCurrentProcess(), 1000, User, 4, NULL),
             STATUS_INVALID_INFO_CLASS);
    CHECK_EQ(NtQueryInformationProcess((HANDLE)0x1234, 0, User, 0x30, NULL), STATUS_INVALID_HANDLE);
    CHECK_EQ(NtQueryInformationProcess(NtCurrentThread(), 0, User, 0x30, NULL),
             STATUS_OBJECT_TYPE_MISMATCH);
    KtBecome(NULL);
    KtEndProcess(Process, 0);
}

KTEST(ps_open_and_query_thread)
{
    PEPROCESS Process = KtCreateHello();
    CAPTURED_OBJECT_ATTRIBUTES Attributes = {0};
    CLIENT_ID Cid;
    HANDLE ProcessHandle = NULL, ThreadHandle = NULL;
    ULONG_PTR Buffer = 0;
    ULONG Length = 0;
    UCHAR Out[0x30];
    PETHREAD Thread;

    if (!Process)
        return;
    Thread = &PspProcess(Process)->Threads->Tcb;
    KtBecome(Thread);
    CHECK_EQ(MmReserveRange(Process->AddressSpace, &Buffer, PAGE_SIZE, PAGE_READWRITE, true), 0);
    Cid = (CLIENT_ID){(HANDLE)Process->UniqueProcessId, (HANDLE)Thread->UniqueThreadId};
    CHECK_EQ(NtOpenProcess(&ProcessHandle, MAXIMUM_ALLOWED, &Attributes, &Cid), 0);
    CHECK(ProcessHandle != NULL);
    CHECK_EQ(NtOpenThread(&ThreadHandle, MAXIMUM_ALLOWED, &Attributes, &Cid), 0);
    CHECK(ThreadHandle != NULL);
    CHECK_EQ(ObGetProcessHandleCount(Process), 2);
    /* Refusals: unknown ids, a thread of another process, no id, id and name. */
    Cid = (CLIENT_ID){(HANDLE)0x7774, 0};
    CHECK_EQ(NtOpenProcess(&ProcessHandle, MAXIMUM_ALLOWED, &Attributes, &Cid), STATUS_INVALID_CID);
    Cid = (CLIENT_ID){(HANDLE)0x7774, (HANDLE)Thread->UniqueThreadId};
    CHECK_EQ(NtOpenThread(&ThreadHandle, MAXIMUM_ALLOWED, &Attributes, &Cid), STATUS_INVALID_CID);
    CHECK_EQ(NtOpenProcess(&ProcessHandle, MAXIMUM_ALLOWED, &Attributes, NULL),
             STATUS_INVALID_PARAMETER);
    Attributes.ObjectName = &Attributes.Name;
    CHECK_EQ(NtOpenThread(&ThreadHandle, MAXIMUM_ALLOWED, &Attributes, &Cid),
             STATUS_INVALID_PARAMETER_MIX);
    /* The thread through its new handle. */
    CHECK_EQ(NtQueryInformationThread(ThreadHandle, 0, (USER_BUFFER){Buffer, 0x30}, 0x30, &Length),
             0);
    CHECK_EQ(Length, 0x30);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, 0x30), 0);
    CHECK_EQ(*(ULONG *)Out, STATUS_PENDING);
    CHECK_EQ(*(ULONG_PTR *)(Out + 8), Thread->TebAddress);
    CHECK_EQ(*(ULONG_PTR *)(Out + 0x18), Thread->UniqueThreadId);
    CHECK_EQ(NtQueryInformationThread(NtCurrentThread(), 12, (USER_BUFFER){Buffer, 4}, 4, NULL), 0);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, 4), 0);
    CHECK_EQ(*(ULONG *)Out, 1); /* the last thread */
    CHECK_EQ(NtQueryInformationThread(NtCurrentThread(), 9, (USER_BUFFER){Buffer, 8}, 8, NULL), 0);
    CHECK_EQ(MmCopyFromUser(Process, Out, Buffer, 8), 0);
    CHECK_EQ(*(ULONG_PTR *)Out, PspThread(Thread)->StartAddress);
    CHECK_EQ(NtQueryInformationThread(NtCurrentThread(), 0, (USER_BUFFER){Buffer, 8}, 8, &Length),
             STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(NtQueryInformationThread(ProcessHandle, 0, (USER_BUFFER){Buffer, 0x30}, 0x30, NULL),
             STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_EQ(NtQueryInformationProcess(ProcessHandle, 0, (USER_BUFFER){Buffer, 0x30}, 0x30, NULL),
             0);
    KtBecome(NULL);
    KtEndProcess(Process, 0); /* closes the two handles */
}
