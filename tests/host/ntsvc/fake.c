/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test doubles and the runner of the ntsvc host program (see test.h). Each
 * test gets a fresh process and thread (objects of PsProcessType and
 * PsThreadType, as ps/ must make them), a zeroed user arena and an empty
 * console; afterwards its handles are closed and every pool block must be
 * back, so a leaked reference fails the test that leaked it.
 */

#include <stdarg.h>
#include <stdlib.h>
#include "test.h"

UCHAR FakeUserArena[FAKE_USER_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static SIZE_T FakeUserUsed;
PEPROCESS FakeProcess;
PETHREAD FakeThread;
POBJECT_TYPE FakeEventType;
ULONG FakeEventDeletes;
char FakeConsole[4096];
SIZE_T FakeConsoleLength;
SIZE_T FakePoolBlocks;
LONG FakePoolFailAfter = -1;
seL4_BootInfo *KiBootInfo;
char TestFailure[512];

/* ---- mm --------------------------------------------------------------------------- */

static BOOLEAN FakeInArena(ULONG_PTR Address, SIZE_T Len, BOOLEAN Write)
{
    ULONG_PTR Base = (ULONG_PTR)FakeUserArena, End = Base + sizeof(FakeUserArena);

    if (Write)
        End = FAKE_READONLY_PAGE;
    return Address >= Base && Address <= End && Len <= End - Address;
}

NTSTATUS MmCopyFromUser(PEPROCESS Process, void *Dst, ULONG_PTR UserSrc, SIZE_T Len)
{
    if (Process == NULL || !FakeInArena(UserSrc, Len, FALSE))
        return STATUS_ACCESS_VIOLATION;
    memcpy(Dst, (void *)UserSrc, Len);
    return STATUS_SUCCESS;
}

NTSTATUS MmCopyToUser(PEPROCESS Process, ULONG_PTR UserDst, const void *Src, SIZE_T Len)
{
    if (Process == NULL || !FakeInArena(UserDst, Len, TRUE))
        return STATUS_ACCESS_VIOLATION;
    memcpy((void *)UserDst, Src, Len);
    return STATUS_SUCCESS;
}

typedef struct _FAKE_BLOCK {
    ULONG Magic, Tag;
    SIZE_T Size;
    ULONGLONG Align;
} FAKE_BLOCK;

void *ExAllocatePoolWithTag(SIZE_T Size, ULONG Tag)
{
    FAKE_BLOCK *Block;

    if (FakePoolFailAfter == 0)
        return NULL;
    if (FakePoolFailAfter > 0)
        FakePoolFailAfter--;
    Block = calloc(1, sizeof(*Block) + Size);
    if (Block == NULL)
        return NULL;
    Block->Magic = 0x4b4c4250;
    Block->Tag = Tag;
    Block->Size = Size;
    FakePoolBlocks++;
    return Block + 1;
}

void ExFreePoolWithTag(void *Pointer, ULONG Tag)
{
    FAKE_BLOCK *Block = (FAKE_BLOCK *)Pointer - 1;

    if (Block->Magic != 0x4b4c4250 || (Tag != 0 && Block->Tag != Tag))
        KeBugCheck("ExFreePoolWithTag: bad block or tag %08x (allocated %08x)", Tag, Block->Tag);
    Block->Magic = 0;
    FakePoolBlocks--;
    free(Block);
}

/* ---- ke ------------------------------------------------------------------------------- */

PETHREAD KeGetCurrentThread(void)
{
    return FakeThread;
}

void KeDisplayString(const char *s, size_t len)
{
    if (len > sizeof(FakeConsole) - FakeConsoleLength)
        len = sizeof(FakeConsole) - FakeConsoleLength;
    memcpy(FakeConsole + FakeConsoleLength, s, len);
    FakeConsoleLength += len;
}

void KeBugCheck(const char *fmt, ...)
{
    va_list Args;

    va_start(Args, fmt);
    printf("TEST-FAIL ntsvc.bugcheck: ");
    vprintf(fmt, Args);
    printf("\n");
    va_end(Args);
    fflush(stdout);
    abort();
}

void KiLogFailure(const char *expr, const char *file, int line, NTSTATUS status)
{
    (void)expr, (void)file, (void)line, (void)status;
}

static struct {
    seL4_BootInfo Info;
    UCHAR Pad[PAGE_SIZE - sizeof(seL4_BootInfo)];
    seL4_X86_BootInfo_TSCFreq Tsc;
} __attribute__((aligned(4096))) FakeBootInfo;

void FakeEnableTsc(ULONG Mhz)
{
    FakeBootInfo.Info.extraLen = sizeof(FakeBootInfo.Tsc);
    FakeBootInfo.Tsc.header.id = SEL4_BOOTINFO_HEADER_X86_TSC_FREQ;
    FakeBootInfo.Tsc.header.len = sizeof(FakeBootInfo.Tsc);
    FakeBootInfo.Tsc.freq_mhz = Mhz;
    KiBootInfo = &FakeBootInfo.Info;
}

KI_CMOS_CLOCK FakeCmos;
NTSTATUS FakeCmosStatus;
ULONG FakeCmosReads;

NTSTATUS KiReadCmosClock(KI_CMOS_CLOCK *Clock)
{
    FakeCmosReads++;
    *Clock = FakeCmos;
    return FakeCmosStatus;
}

seL4_BootInfo *FakeBootInfoBlock(void)
{
    return &FakeBootInfo.Info;
}

/* ---- helpers -------------------------------------------------------------------------- */

ULONG_PTR UserAlloc(SIZE_T Size)
{
    ULONG_PTR At = (ULONG_PTR)FakeUserArena + FakeUserUsed;

    FakeUserUsed += (Size + 15) & ~(SIZE_T)15;
    if (FakeUserUsed > (FAKE_USER_PAGES - 1) * PAGE_SIZE)
        KeBugCheck("UserAlloc: the arena is full");
    return At;
}

ULONG_PTR UserUnicodeString(const char *Text)
{
    SIZE_T Len = strlen(Text), Index;
    UNICODE_STRING *String = (UNICODE_STRING *)UserAlloc(sizeof(*String));
    WCHAR *Buffer = (WCHAR *)UserAlloc(Len * sizeof(WCHAR) + sizeof(WCHAR));

    for (Index = 0; Index < Len; Index++)
        Buffer[Index] = (UCHAR)Text[Index];
    String->Buffer = Buffer;
    String->Length = (USHORT)(Len * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(Len * sizeof(WCHAR) + sizeof(WCHAR));
    return (ULONG_PTR)String;
}

NTSTATUS CallArray(seL4_Word Number, ULONG Count, const seL4_Word *Args)
{
    seL4_Word Copy[seL4_MsgMaxLength];

    /* The service loop hands over its own copy of the message registers. */
    memcpy(Copy, Args, sizeof(Copy));
    return KiDispatchService(FakeThread, Number, Copy, Count);
}

PEPROCESS FakeCreateProcess(void)
{
    PEPROCESS Process;

    if (!NT_SUCCESS(ObCreateObject(PsProcessType, sizeof(EPROCESS), (PVOID *)&Process)))
        KeBugCheck("FakeCreateProcess: no memory");
    return Process;
}

static void FakeDeleteEvent(PVOID Object)
{
    (void)Object;
    FakeEventDeletes++;
}

static void FakeDeleteProcess(PVOID Object)
{
    ObKillProcessHandleTable(Object);
}

static void FakeCreateTypes(void)
{
    OBJECT_TYPE_INITIALIZER Init = {0};

    Init.PoolTag = 0x636f7250;
    Init.ValidAccessMask = PROCESS_ALL_ACCESS;
    Init.DeleteProcedure = FakeDeleteProcess;
    if (!NT_SUCCESS(ObCreateObjectType("Process", &Init, &PsProcessType)))
        KeBugCheck("types");
    Init.PoolTag = 0x64726854;
    Init.ValidAccessMask = THREAD_ALL_ACCESS;
    Init.DeleteProcedure = NULL;
    if (!NT_SUCCESS(ObCreateObjectType("Thread", &Init, &PsThreadType)))
        KeBugCheck("types");
    /* An event-like type: read = 0x1, write = 0x2, all = 0x1f0003. */
    Init.PoolTag = 0x6e657645;
    Init.ValidAccessMask = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;
    Init.GenericMapping.GenericRead = READ_CONTROL | 0x1;
    Init.GenericMapping.GenericWrite = 0x2;
    Init.GenericMapping.GenericExecute = SYNCHRONIZE;
    Init.GenericMapping.GenericAll = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;
    Init.DeleteProcedure = FakeDeleteEvent;
    if (!NT_SUCCESS(ObCreateObjectType("Event", &Init, &FakeEventType)))
        KeBugCheck("types");
}

/* ---- runner ------------------------------------------------------------------------------ */

#define MAX_TESTS 256
static struct {
    const char *Name;
    TEST_FUNCTION Function;
} Tests[MAX_TESTS];
static ULONG TestCount;

void TestRegister(const char *Name, TEST_FUNCTION Function)
{
    if (TestCount == MAX_TESTS)
        KeBugCheck("too many tests");
    Tests[TestCount].Name = Name;
    Tests[TestCount++].Function = Function;
}

static void RunOne(ULONG Index)
{
    SIZE_T Baseline = FakePoolBlocks;

    memset(FakeUserArena, 0, sizeof(FakeUserArena));
    FakeUserUsed = 0;
    FakeConsoleLength = 0;
    FakeEventDeletes = 0;
    FakePoolFailAfter = -1;
    FakeCmosStatus = STATUS_SUCCESS;
    FakeCmosReads = 0;
    TestFailure[0] = 0;
    FakeProcess = FakeCreateProcess();
    if (!NT_SUCCESS(ObCreateObject(PsThreadType, sizeof(ETHREAD), (PVOID *)&FakeThread)))
        KeBugCheck("no thread");
    FakeThread->Process = FakeProcess;
    Tests[Index].Function();
    FakePoolFailAfter = -1;
    /* As ps/ does when a process ends: its handles go first (a handle to
     * itself would otherwise keep it alive). */
    ObKillProcessHandleTable(FakeProcess);
    ObDereferenceObject(FakeThread);
    ObDereferenceObject(FakeProcess);
    if (TestFailure[0] == 0 && FakePoolBlocks != Baseline)
        FAIL_AT("%ld pool blocks leaked", (long)(FakePoolBlocks - Baseline));
    if (TestFailure[0] != 0)
        printf("TEST-FAIL ntsvc.%s: %s\n", Tests[Index].Name, TestFailure);
    else
        printf("TEST-PASS ntsvc.%s\n", Tests[Index].Name);
    fflush(stdout);
}

static int ByName(const void *A, const void *B)
{
    return strcmp(*(const char *const *)A, *(const char *const *)B);
}

int main(void)
{
    ULONG Index;

    /* Stable order: by name, except that tests named first_* (which need
     * the state before any other test) run before the rest. */
    qsort(Tests, TestCount, sizeof(Tests[0]), ByName);
    FakeCreateTypes();
    for (Index = 0; Index < TestCount; Index++) {
        if (strncmp(Tests[Index].Name, "first_", 6) == 0)
            RunOne(Index);
    }
    for (Index = 0; Index < TestCount; Index++) {
        if (strncmp(Tests[Index].Name, "first_", 6) != 0)
            RunOne(Index);
    }
    printf("ntsvc host program: %u tests\n", TestCount);
    return 0;
}

/* ps's classes of NtQuerySystemInformation (ntos/ex/sysproc.c) need the
 * process list, which this program does not have: the suite nt tests them
 * in QEMU. Here every class goes on to sysinfo.c's own. */
NTSTATUS ExpQueryProcessClasses(ULONG Class, USER_BUFFER Buffer, ULONG Length, ULONG *ReturnLength)
{
    (void)Class, (void)Buffer, (void)Length, (void)ReturnLength;
    return STATUS_INVALID_INFO_CLASS;
}

/* mm's memory counters (ntos/mm/counters.c) for SystemPerformanceInformation:
 * this program has no memory manager, so it reports an idle machine with
 * nothing committed (the suite nt checks the real figures in QEMU). */
void MmQuerySystemCounters(MM_SYSTEM_COUNTERS *Counters)
{
    memset(Counters, 0, sizeof(*Counters));
}

/* io's device list (ntos/io/device.c) for SystemNereidDeviceInformation:
 * this program has no I/O manager, so no device exists (the suite nt
 * checks the real list in QEMU: nt.devtree_*). */
ULONG IoQueryDeviceList(UCHAR *Buffer, ULONG Length, ULONG_PTR UserAddress)
{
    (void)Buffer, (void)Length, (void)UserAddress;
    return 0;
}
