/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntbench.exe, the NT benchmarks of `make bench` (tools/bench.py boots the
 * ntos image whose first program it is, build/base/ntbench/
 * ntos-ntbench.elf, under -icount shift=0,sleep=off and under plain TCG).
 * Each figure is TSC ticks (lfence; rdtsc; lfence) around Count operations,
 * after untimed warm-up ones, divided by Count; under -icount the TSC
 * counts guest instructions (the program's, the kernel's and ntos's), so
 * those figures are exact. Output, the protocol of docs/testing.md:
 *
 *   BENCH tsc_mhz <n>               the TSC's rate, from the performance counter
 *   BENCH <metric>_tsc <ticks>      a figure
 *   BENCH-MISSING <metric> <why>    a figure the system cannot give yet
 *   SUITE-END bench
 *
 * Metrics (docs/testing.md): nt_null_service (NtClose of a handle that is
 * not there: the round trip of a service that does nothing), page_fault
 * (the first write to a committed demand-zero page), thread_create_exit
 * (NtCreateThreadEx, the thread ending, the creator's wait on it seeing
 * that, NtClose) and process_create_exit (NtCreateUserProcess of this
 * program with the argument `child`, which returns at once, the wait on
 * the process, the two NtClose); irp_null_roundtrip (a zero-byte read of
 * \Device\Null, an IRP to the null driver's process and back),
 * read4k_buffered and read4k_direct (4 KiB reads of drivers/test/iotest's
 * buffered and direct devices); irp_forward_roundtrip (xcall: a zero-byte
 * read of iotest's buffered device through drivers/test/iofilter's filter,
 * which passes it through ntos to iotest's process and gets its completion
 * back). A service that answers NOT_IMPLEMENTED
 * makes its metric missing, never zero.
 */
#include <ntnative.h>
#include <ntsvc.h>

#define NTBENCH_NULL_COUNT     2000
#define NTBENCH_NULL_WARMUP    200
#define NTBENCH_FAULT_PAGES    256
#define NTBENCH_THREAD_COUNT   20
#define NTBENCH_THREAD_WARMUP  2
#define NTBENCH_PROCESS_COUNT  10
#define NTBENCH_PROCESS_WARMUP 1
#define NTBENCH_PAGE           0x1000ull

#define NTBENCH_BAD_HANDLE ((HANDLE)(ULONG_PTR)0x7ffffff0)
/* A wait that has not ended after 5 s never will: the metric is missing. */
#define NTBENCH_WAIT_LIMIT (-50000000ll)

#define MEM_COMMIT     0x1000
#define MEM_RESERVE    0x2000
#define MEM_RELEASE    0x8000
#define PAGE_READWRITE 0x04

#define PROCESS_ALL_ACCESS 0x001fffffu
#define THREAD_ALL_ACCESS  0x001fffffu

NTSYSAPI void *memset(void *Destination, int Value, size_t Count);

static LARGE_INTEGER NtbenchWaitLimit = {.QuadPart = NTBENCH_WAIT_LIMIT};

static ULONG64 NtbenchTsc(VOID)
{
    ULONG Low, High;

    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(Low), "=d"(High)::"memory");
    return ((ULONG64)High << 32) | Low;
}

/* "BENCH <name>_tsc <ticks/count>", two decimals. */
static VOID NtbenchReport(PCSTR Name, ULONG64 Ticks, ULONG64 Count)
{
    ULONG64 Centi = (Ticks * 100 + Count / 2) / Count;

    DbgPrint("BENCH %s_tsc %I64u.%02I64u\n", Name, Centi / 100, Centi % 100);
}

static VOID NtbenchMissing(PCSTR Name, PCSTR Why, NTSTATUS Status)
{
    DbgPrint("BENCH-MISSING %s %s (status 0x%08lx)\n", Name, Why, (ULONG)Status);
}

/* The TSC's rate: the performance counter is the TSC scaled to its
 * frequency, so a stretch of both gives it (MHz, rounded). */
static VOID NtbenchTscMhz(VOID)
{
    LARGE_INTEGER Start, Now, Frequency;
    ULONG64 TscStart, TscEnd;

    if (!NT_SUCCESS(NtQueryPerformanceCounter(&Start, &Frequency)) || Frequency.QuadPart <= 0)
        return;
    TscStart = NtbenchTsc();
    do
        NtQueryPerformanceCounter(&Now, NULL);
    while (Now.QuadPart - Start.QuadPart < Frequency.QuadPart / 200); /* 5 ms */
    TscEnd = NtbenchTsc();
    DbgPrint("BENCH tsc_mhz %I64u\n", ((TscEnd - TscStart) * (ULONG64)Frequency.QuadPart /
                                           (ULONG64)(Now.QuadPart - Start.QuadPart) +
                                       500000) /
                                          1000000);
}

static VOID NtbenchNullService(VOID)
{
    NTSTATUS Status = NtClose(NTBENCH_BAD_HANDLE);
    ULONG64 Start;
    ULONG Index;

    if (Status != STATUS_INVALID_HANDLE) {
        NtbenchMissing("nt_null_service", "NtClose of a bad handle did not fail", Status);
        return;
    }
    for (Index = 0; Index < NTBENCH_NULL_WARMUP; Index++)
        NtClose(NTBENCH_BAD_HANDLE);
    Start = NtbenchTsc();
    for (Index = 0; Index < NTBENCH_NULL_COUNT; Index++)
        NtClose(NTBENCH_BAD_HANDLE);
    NtbenchReport("nt_null_service", NtbenchTsc() - Start, NTBENCH_NULL_COUNT);
}

/* Committed, never touched memory of Pages pages, or NULL. */
static volatile UCHAR *NtbenchCommit(ULONG64 Pages, NTSTATUS *Status)
{
    PVOID Base = NULL;
    SIZE_T Size = Pages * NTBENCH_PAGE;

    *Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                      PAGE_READWRITE);
    return NT_SUCCESS(*Status) ? Base : NULL;
}

static VOID NtbenchRelease(volatile UCHAR *Base)
{
    PVOID Address = (PVOID)Base;
    SIZE_T Size = 0;

    NtFreeVirtualMemory(NtCurrentProcess(), &Address, &Size, MEM_RELEASE);
}

static VOID NtbenchPageFault(VOID)
{
    volatile UCHAR *Warm, *Pages;
    NTSTATUS Status;
    ULONG64 Start, Ticks;
    ULONG Index;

    Warm = NtbenchCommit(4, &Status);
    Pages = Warm ? NtbenchCommit(NTBENCH_FAULT_PAGES, &Status) : NULL;
    if (Pages == NULL) {
        NtbenchMissing("page_fault", "NtAllocateVirtualMemory failed", Status);
        if (Warm)
            NtbenchRelease(Warm);
        return;
    }
    for (Index = 0; Index < 4; Index++) /* the fault path's first use */
        Warm[Index * NTBENCH_PAGE] = 1;
    Start = NtbenchTsc();
    for (Index = 0; Index < NTBENCH_FAULT_PAGES; Index++)
        Pages[Index * NTBENCH_PAGE] = 1;
    Ticks = NtbenchTsc() - Start;
    NtbenchReport("page_fault", Ticks, NTBENCH_FAULT_PAGES);
    NtbenchRelease(Pages);
    NtbenchRelease(Warm);
}

static ULONG NTAPI NtbenchThreadStart(PVOID Argument)
{
    (void)Argument;
    NtTerminateThread(NtCurrentThread(), 0);
    return 0;
}

/* One thread created, ended and waited for; its status. */
static NTSTATUS NtbenchThreadOnce(PCSTR *Why)
{
    HANDLE Thread = NULL;
    NTSTATUS Status;

    *Why = "NtCreateThreadEx failed";
    Status = NtCreateThreadEx(&Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                              (PVOID)NtbenchThreadStart, NULL, 0, 0, 0, 0, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    *Why = "NtWaitForSingleObject on the thread failed or timed out";
    Status = NtWaitForSingleObject(Thread, FALSE, &NtbenchWaitLimit);
    NtClose(Thread);
    return Status; /* STATUS_WAIT_0 (0) when it ended */
}

static VOID NtbenchThreadCreateExit(VOID)
{
    NTSTATUS Status = STATUS_SUCCESS;
    PCSTR Why = NULL;
    ULONG64 Start;
    ULONG Index;

    for (Index = 0; Index < NTBENCH_THREAD_WARMUP && Status == STATUS_SUCCESS; Index++)
        Status = NtbenchThreadOnce(&Why);
    Start = NtbenchTsc();
    for (Index = 0; Index < NTBENCH_THREAD_COUNT && Status == STATUS_SUCCESS; Index++)
        Status = NtbenchThreadOnce(&Why);
    if (Status != STATUS_SUCCESS)
        NtbenchMissing("thread_create_exit", Why, Status);
    else
        NtbenchReport("thread_create_exit", NtbenchTsc() - Start, NTBENCH_THREAD_COUNT);
}

/* ---- process creation: Windows' records for NtCreateUserProcess ---------------------- */

#define PS_ATTRIBUTE_IMAGE_NAME 0x00020005ull /* PsAttributeImageName, input */

typedef struct _PS_ATTRIBUTE {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value; /* or a pointer to the value */
    PSIZE_T ReturnLength;
} PS_ATTRIBUTE;

typedef struct _PS_ATTRIBUTE_LIST {
    SIZE_T TotalLength;
    PS_ATTRIBUTE Attributes[1];
} PS_ATTRIBUTE_LIST;
_Static_assert(sizeof(PS_ATTRIBUTE_LIST) == 0x28, "PS_ATTRIBUTE_LIST");

/* PS_CREATE_INFO: Size, State (PsCreateInitialState 0) and a union the
 * caller zeroes in that state. */
typedef struct _PS_CREATE_INFO {
    SIZE_T Size;
    ULONG State;
    ULONG Reserved;
    UCHAR Union[0x48];
} PS_CREATE_INFO;
_Static_assert(sizeof(PS_CREATE_INFO) == 0x58, "PS_CREATE_INFO");

static WCHAR NtbenchNtImage[] = u"\\??\\C:\\Windows\\System32\\ntbench.exe";
static WCHAR NtbenchDosImage[] = u"C:\\Windows\\System32\\ntbench.exe";
static WCHAR NtbenchChildLine[] = u"ntbench.exe child";
static WCHAR NtbenchDirectory[] = u"C:\\Windows\\System32\\";
static WCHAR NtbenchEnvironment[] = u"SystemRoot=C:\\Windows\0";

static VOID NtbenchString(PUNICODE_STRING String, PWSTR Buffer, SIZE_T Bytes)
{
    String->Buffer = Buffer;
    String->Length = (USHORT)(Bytes - sizeof(WCHAR));
    String->MaximumLength = (USHORT)Bytes;
}

/* Normalized process parameters (absolute pointers) for the child. */
static VOID NtbenchChildParameters(PRTL_USER_PROCESS_PARAMETERS Parameters)
{
    memset(Parameters, 0, sizeof(*Parameters));
    Parameters->MaximumLength = Parameters->Length = sizeof(*Parameters);
    Parameters->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    NtbenchString(&Parameters->ImagePathName, NtbenchDosImage, sizeof(NtbenchDosImage));
    NtbenchString(&Parameters->CommandLine, NtbenchChildLine, sizeof(NtbenchChildLine));
    NtbenchString(&Parameters->CurrentDirectory.DosPath, NtbenchDirectory,
                  sizeof(NtbenchDirectory));
    Parameters->Environment = NtbenchEnvironment;
    Parameters->EnvironmentSize = sizeof(NtbenchEnvironment);
}

/* One child created, ended and waited for; its status. */
static NTSTATUS NtbenchProcessOnce(PRTL_USER_PROCESS_PARAMETERS Parameters, PCSTR *Why)
{
    PS_CREATE_INFO CreateInfo;
    PS_ATTRIBUTE_LIST Attributes;
    HANDLE Process = NULL, Thread = NULL;
    NTSTATUS Status;

    memset(&CreateInfo, 0, sizeof(CreateInfo));
    CreateInfo.Size = sizeof(CreateInfo);
    Attributes.TotalLength = sizeof(Attributes);
    Attributes.Attributes[0] =
        (PS_ATTRIBUTE){PS_ATTRIBUTE_IMAGE_NAME, sizeof(NtbenchNtImage) - sizeof(WCHAR),
                       (ULONG_PTR)NtbenchNtImage, NULL};
    *Why = "NtCreateUserProcess failed";
    Status = NtCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL,
                                 NULL, 0, 0, Parameters, &CreateInfo, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    *Why = "NtWaitForSingleObject on the process failed or timed out";
    Status = NtWaitForSingleObject(Process, FALSE, &NtbenchWaitLimit);
    NtClose(Thread);
    NtClose(Process);
    return Status; /* STATUS_WAIT_0 (0) when it ended */
}

static VOID NtbenchProcessCreateExit(VOID)
{
    static RTL_USER_PROCESS_PARAMETERS Parameters;
    NTSTATUS Status = STATUS_SUCCESS;
    PCSTR Why = NULL;
    ULONG64 Start;
    ULONG Index;

    NtbenchChildParameters(&Parameters);
    for (Index = 0; Index < NTBENCH_PROCESS_WARMUP && Status == STATUS_SUCCESS; Index++)
        Status = NtbenchProcessOnce(&Parameters, &Why);
    Start = NtbenchTsc();
    for (Index = 0; Index < NTBENCH_PROCESS_COUNT && Status == STATUS_SUCCESS; Index++)
        Status = NtbenchProcessOnce(&Parameters, &Why);
    if (Status != STATUS_SUCCESS)
        NtbenchMissing("process_create_exit", Why, Status);
    else
        NtbenchReport("process_create_exit", NtbenchTsc() - Start, NTBENCH_PROCESS_COUNT);
}

/* ---- device I/O (iocore): IRPs to driver processes ---------------------------------------- */

#define NTBENCH_IRP_COUNT            200
#define NTBENCH_IRP_WARMUP           20
#define FILE_READ_DATA               0x0001u
#define FILE_GENERIC_READ            0x00120089u
#define FILE_OPEN                    1u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020u

static UCHAR NtbenchBuffer[4096] __attribute__((aligned(4096)));

static UNICODE_STRING NtbenchName(PCWSTR Name)
{
    UNICODE_STRING String = {0, 0, (PWSTR)Name};

    while (Name[String.Length / sizeof(WCHAR)])
        String.Length += sizeof(WCHAR);
    String.MaximumLength = String.Length;
    return String;
}

/* Load the driver of Key (loaded already will do) and open Device for
 * synchronous reads; NULL with *Why and *Status on failure. */
static HANDLE NtbenchOpenDevice(PCWSTR Key, PCWSTR Device, PCSTR *Why, NTSTATUS *Status)
{
    UNICODE_STRING KeyName = NtbenchName(Key), DeviceName = NtbenchName(Device);
    OBJECT_ATTRIBUTES Attributes = {sizeof(Attributes),   NULL, &DeviceName,
                                    OBJ_CASE_INSENSITIVE, NULL, NULL};
    IO_STATUS_BLOCK Iosb;
    HANDLE File = NULL;

    *Status = NtLoadDriver(&KeyName);
    if (!NT_SUCCESS(*Status) && *Status != STATUS_IMAGE_ALREADY_LOADED) {
        *Why = "NtLoadDriver failed";
        return NULL;
    }
    *Status = NtCreateFile(&File, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, 0, FILE_OPEN,
                           FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    *Why = "opening the device failed";
    return NT_SUCCESS(*Status) ? File : NULL;
}

/* Metric Name: Length-byte reads of Device (Expected: their status). */
static VOID NtbenchDeviceRead(PCSTR Name, PCWSTR Key, PCWSTR Device, ULONG Length,
                              NTSTATUS Expected)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 0};
    PCSTR Why;
    NTSTATUS Status;
    HANDLE File = NtbenchOpenDevice(Key, Device, &Why, &Status);
    ULONG64 Start;
    ULONG Index;

    if (File == NULL) {
        NtbenchMissing(Name, Why, Status);
        return;
    }
    for (Index = 0; Index < NTBENCH_IRP_WARMUP; Index++)
        Status = NtReadFile(File, NULL, NULL, NULL, &Iosb, NtbenchBuffer, Length, &Offset, NULL);
    if (Status != Expected) {
        NtbenchMissing(Name, "the read failed", Status);
        NtClose(File);
        return;
    }
    Start = NtbenchTsc();
    for (Index = 0; Index < NTBENCH_IRP_COUNT; Index++)
        NtReadFile(File, NULL, NULL, NULL, &Iosb, NtbenchBuffer, Length, &Offset, NULL);
    NtbenchReport(Name, NtbenchTsc() - Start, NTBENCH_IRP_COUNT);
    NtClose(File);
}

#define NTBENCH_SERVICES L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

/* xcall: iofilter.sys's control codes (drivers/test/iofilter/iofilter.h). */
#define NTBENCH_IOFILTER_ATTACH ((0x22u << 16) | (0x900 << 2))
#define NTBENCH_IOFILTER_DETACH ((0x22u << 16) | (0x901 << 2))

/* A zero-byte read through a filter in another driver process. */
static VOID NtbenchForwardedRead(VOID)
{
    static const PCSTR Name = "irp_forward_roundtrip";
    ULONG Buffered = 0;
    IO_STATUS_BLOCK Iosb;
    PCSTR Why;
    NTSTATUS Status;
    HANDLE Control =
        NtbenchOpenDevice(NTBENCH_SERVICES L"IoFilter", L"\\Device\\IoFilterCtl", &Why, &Status);

    if (Control == NULL) {
        NtbenchMissing(Name, Why, Status);
        return;
    }
    Status = NtDeviceIoControlFile(Control, NULL, NULL, NULL, &Iosb, NTBENCH_IOFILTER_ATTACH,
                                   &Buffered, sizeof(Buffered), NULL, 0);
    if (!NT_SUCCESS(Status))
        NtbenchMissing(Name, "attaching the filter failed", Status);
    else
        NtbenchDeviceRead(Name, NTBENCH_SERVICES L"IoTest", L"\\Device\\IoTestBuffered", 0,
                          STATUS_SUCCESS);
    NtDeviceIoControlFile(Control, NULL, NULL, NULL, &Iosb, NTBENCH_IOFILTER_DETACH, &Buffered,
                          sizeof(Buffered), NULL, 0);
    NtClose(Control);
}

static VOID NtbenchDeviceIo(VOID)
{
    /* A zero-byte read of \Device\Null: the IRP round trip (END_OF_FILE). */
    NtbenchDeviceRead("irp_null_roundtrip", NTBENCH_SERVICES L"Null", L"\\Device\\Null", 0,
                      STATUS_END_OF_FILE);
    NtbenchDeviceRead("read4k_buffered", NTBENCH_SERVICES L"IoTest", L"\\Device\\IoTestBuffered",
                      4096, STATUS_SUCCESS);
    NtbenchDeviceRead("read4k_direct", NTBENCH_SERVICES L"IoTest", L"\\Device\\IoTestDirect", 4096,
                      STATUS_SUCCESS);
    NtbenchForwardedRead();
}

/* TRUE if the command line's last word is `child`. */
static BOOLEAN NtbenchIsChild(PPEB Peb)
{
    PUNICODE_STRING Line;
    static const WCHAR Child[] = u" child";
    USHORT Count = sizeof(Child) / sizeof(WCHAR) - 1, Index, Length;

    if (Peb->ProcessParameters == NULL)
        return FALSE;
    Line = &Peb->ProcessParameters->CommandLine;
    Length = Line->Length / sizeof(WCHAR);
    if (Line->Buffer == NULL || Length < Count)
        return FALSE;
    for (Index = 0; Index < Count; Index++)
        if (Line->Buffer[Length - Count + Index] != Child[Index])
            return FALSE;
    return TRUE;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    if (NtbenchIsChild(Peb))
        return STATUS_SUCCESS; /* the child of process_create_exit: nothing to do */
    DbgPrint("ntbench: NT benchmarks\n");
    NtbenchTscMhz();
    NtbenchNullService();
    NtbenchPageFault();
    NtbenchThreadCreateExit();
    NtbenchProcessCreateExit();
    NtbenchDeviceIo();
    DbgPrint("SUITE-END bench\n");
    NtTerminateProcess(NtCurrentProcess(), 0);
    return STATUS_SUCCESS;
}
