/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iofuzz.exe, suite io-fuzz (README.md): loads every driver (those smss
 * loads, plus iotest), opens every device under \Device, and sends
 * `calls` random I/O requests in batches of `batch`, each batch in a fresh
 * worker thread (its end cancels what it left pending). The supervisor
 * (this thread) waits for each batch with a time-out (a hang is a
 * failure), checks that the system lives (a null read and write round trip,
 * a service call, iotest's echo), crashes iotest on purpose every `crash`
 * calls and checks what follows (the pending request fails with
 * DRIVER_PROCESS_TERMINATED, the driver loads again and serves again), and
 * at the end checks that handles and memory came back (`leaks=1`).
 * Configuration: the block below (testrun.py --config), keys seed, calls,
 * batch, crash, leaks, trace.
 */
#include "iofuzz.h"
#include "../../drivers/test/iotest/iotest.h"

#define IOFUZZ_CONFIG_MAGIC      16
#define IOFUZZ_SERVICES          L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
#define FILE_GENERIC_READ_ACCESS 0x00120089u
#define FILE_GENERIC_RW_ACCESS   0x0012019Fu
#define THREAD_ALL               0x001FFFFFu
#define IO_COMPLETION_ALL        0x001F0003u
#define FileFsDeviceInformation  4
#define FILE_OPEN                1
#define IOFUZZ_PAGE_SLACK        64 /* pages the run may keep: caches that grow once */
#define IOFUZZ_CRASH_PAGES       4  /* a reload after a random crash: caches, not the process */
#define IOFUZZ_CRASH_SLACK       16 /* all supervised crashes together: caches that grow once */

const char *IofuzzOpName(ULONG Op);

__attribute__((used, aligned(16))) char IofuzzConfig[256] = "NEREID-CONFIG-V1";

/* The drivers smss.cfg loads, the one the suite crashes, and (pnp branch)
 * a WDM driver, whose stack is opened through its root PDO's name. */
static const char *const IofuzzDrivers[] = {"Null",     "Beep",    "Serial", "i8042prt",
                                            "kbdclass", "Console", "IoTest", "PnpTest"};

static struct {
    ULONG Crashes, CrashFailures, Reloads, BatchFailures;
    LONG CrashPages; /* available pages the supervisor's crashes and reloads cost */
    char CrashWhy[160], BatchWhy[160];
} IofuzzSuper;

/* ---- helpers ------------------------------------------------------------------------------ */

VOID IofuzzPrint(const char *Format, ...)
{
    CHAR Text[512];
    WCHAR Wide[512];
    UNICODE_STRING String;
    va_list Arguments;
    int Length;

    va_start(Arguments, Format);
    Length = _vsnprintf(Text, sizeof(Text) - 1, Format, Arguments);
    va_end(Arguments);
    if (Length < 0 || Length > (int)sizeof(Text) - 1)
        Length = sizeof(Text) - 1;
    for (int i = 0; i < Length; i++)
        Wide[i] = (WCHAR)(UCHAR)Text[i];
    String.Buffer = Wide;
    String.Length = (USHORT)(Length * sizeof(WCHAR));
    String.MaximumLength = sizeof(Wide);
    NtDisplayString(&String);
}

UNICODE_STRING IofuzzString(PCWSTR Text)
{
    UNICODE_STRING String;
    USHORT Length = 0;

    while (Text[Length])
        Length++;
    String.Length = String.MaximumLength = Length * sizeof(WCHAR);
    String.Buffer = (PWSTR)Text;
    return String;
}

NTSTATUS IofuzzOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Options, HANDLE *Handle)
{
    UNICODE_STRING Name = IofuzzString(Path);
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    *Handle = NULL;
    return NtCreateFile(Handle, Access, &Attributes, &Iosb, NULL, 0,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, Options, NULL, 0);
}

/* `key=value` of the configuration block (decimal or 0x-hex), or Default. */
static ULONG64 IofuzzConfigValue(const char *Key, ULONG64 Default)
{
    const volatile char *P = IofuzzConfig + IOFUZZ_CONFIG_MAGIC;
    const char *K;

    while (*P) {
        while (*P == ' ')
            P++;
        for (K = Key; *K && *P == *K; K++, P++)
            ;
        if (*K == 0 && *P == '=') {
            ULONG64 Value = 0;
            ULONG Base = 10, Digit;

            P++;
            if (P[0] == '0' && (P[1] == 'x' || P[1] == 'X')) {
                Base = 16;
                P += 2;
            }
            for (;; P++) {
                char C = *P;
                Digit = C >= '0' && C <= '9'   ? (ULONG)(C - '0')
                        : C >= 'a' && C <= 'f' ? (ULONG)(C - 'a' + 10)
                        : C >= 'A' && C <= 'F' ? (ULONG)(C - 'A' + 10)
                                               : 99;
                if (Digit >= Base)
                    return Value;
                Value = Value * Base + Digit;
            }
        }
        while (*P && *P != ' ')
            P++;
    }
    return Default;
}

static NTSTATUS IofuzzLoad(const char *Name)
{
    WCHAR Key[128];
    UNICODE_STRING String;
    ULONG Length = 0;

    for (PCWSTR P = IOFUZZ_SERVICES; *P; P++)
        Key[Length++] = *P;
    for (const char *P = Name; *P && Length < ARRAYSIZE(Key) - 1; P++)
        Key[Length++] = (WCHAR)*P;
    Key[Length] = 0;
    String = IofuzzString(Key);
    return NtLoadDriver(&String);
}

static ULONG IofuzzHandleCount(VOID)
{
    ULONG Count = ~0u;

    if (!NT_SUCCESS(NtQueryInformationProcess(NtCurrentProcess(), 20 /* ProcessHandleCount */,
                                              &Count, sizeof(Count), NULL)))
        return ~0u;
    return Count;
}

static ULONG IofuzzAvailablePages(VOID)
{
    SYSTEM_PERFORMANCE_INFORMATION Info;

    if (!NT_SUCCESS(
            NtQuerySystemInformation(SystemPerformanceInformation, &Info, sizeof(Info), NULL)))
        return 0;
    return Info.AvailablePages;
}

static BOOLEAN IofuzzNameIs(PCWSTR Name, PCWSTR Prefix)
{
    for (; *Prefix; Name++, Prefix++)
        if (*Name != *Prefix)
            return FALSE;
    return TRUE;
}

/* ---- the devices ---------------------------------------------------------------------------- */

static VOID IofuzzAddDevice(const UNICODE_STRING *Leaf)
{
    IOFUZZ_DEVICE *Device = &Iofuzz.Devices[Iofuzz.DeviceCount];
    static const WCHAR Prefix[] = L"\\Device\\";
    ULONG Length = 0, Chars = Leaf->Length / sizeof(WCHAR);
    struct {
        ULONG DeviceType, Characteristics;
    } Info = {0, 0};
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    if (Iofuzz.DeviceCount == IOFUZZ_MAX_DEVICES || Chars + 9 > IOFUZZ_NAME_CHARS)
        return;
    for (ULONG i = 0; Prefix[i]; i++)
        Device->Name[Length++] = Prefix[i];
    for (ULONG i = 0; i < Chars; i++)
        Device->Name[Length++] = Leaf->Buffer[i];
    Device->Name[Length] = 0;
    if (NT_SUCCESS(IofuzzOpen(Device->Name, FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                              FILE_SYNCHRONOUS_IO_NONALERT, &Handle))) {
        if (!NT_SUCCESS(NtQueryVolumeInformationFile(Handle, &Iosb, &Info, sizeof(Info),
                                                     FileFsDeviceInformation)))
            Info.DeviceType = 0;
        NtClose(Handle);
    }
    Device->DeviceType = Info.DeviceType;
    Device->IoTest = IofuzzNameIs(Leaf->Buffer, L"IoTest");
    /* Serial ports and keyboards read input that may never come; the
     * names cover a driver that does not answer the volume query. */
    Device->MayWait = Info.DeviceType == 0x1B || Info.DeviceType == 0x0B ||
                      IofuzzNameIs(Leaf->Buffer, L"Serial") ||
                      IofuzzNameIs(Leaf->Buffer, L"Keyboard");
    Iofuzz.DeviceCount++;
}

/* Every object of type Device under \Device. */
static NTSTATUS IofuzzFindDevices(VOID)
{
    UNICODE_STRING Name = IofuzzString(L"\\Device");
    OBJECT_ATTRIBUTES Attributes;
    ULONG Buffer[256], Context = 0, Returned;
    OBJECT_DIRECTORY_INFORMATION *Entry = (PVOID)Buffer;
    UNICODE_STRING DeviceType = IofuzzString(L"Device");
    HANDLE Directory;
    NTSTATUS Status;
    BOOLEAN First = TRUE;

    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    Status = NtOpenDirectoryObject(&Directory, DIRECTORY_QUERY | DIRECTORY_TRAVERSE, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    for (;;) {
        Status = NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), TRUE, First, &Context,
                                        &Returned);
        First = FALSE;
        if (!NT_SUCCESS(Status))
            break;
        if (Entry->TypeName.Length == DeviceType.Length &&
            IofuzzNameIs(Entry->TypeName.Buffer, L"Device"))
            IofuzzAddDevice(&Entry->Name);
    }
    NtClose(Directory);
    return Status == STATUS_NO_MORE_ENTRIES ? STATUS_SUCCESS : Status;
}

/* ---- the supervisor's checks ------------------------------------------------------------------
 */

/* A null read and write round trip, a service, iotest's echo. NULL: fine. */
static const char *IofuzzSystemLives(VOID)
{
    static UCHAR Data[64];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Time;
    HANDLE Handle;
    NTSTATUS Status;

    if (!NT_SUCCESS(NtQuerySystemTime(&Time)))
        return "NtQuerySystemTime failed";
    if (!NT_SUCCESS(IofuzzOpen(L"\\Device\\Null", FILE_GENERIC_RW_ACCESS,
                               FILE_SYNCHRONOUS_IO_NONALERT, &Handle)))
        return "\\Device\\Null does not open";
    Status = NtWriteFile(Handle, NULL, NULL, NULL, &Iosb, Data, sizeof(Data), NULL, NULL);
    if (Status != STATUS_SUCCESS || Iosb.Information != sizeof(Data)) {
        NtClose(Handle);
        return "a write of \\Device\\Null failed";
    }
    Status = NtReadFile(Handle, NULL, NULL, NULL, &Iosb, Data, sizeof(Data), NULL, NULL);
    NtClose(Handle);
    if (Status != STATUS_END_OF_FILE)
        return "a read of \\Device\\Null is not END_OF_FILE";
    /* iotest: loaded again if a random request crashed it. */
    if (!NT_SUCCESS(IofuzzOpen(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ_ACCESS,
                               FILE_SYNCHRONOUS_IO_NONALERT, &Handle))) {
        if (!NT_SUCCESS(IofuzzLoad("IoTest")))
            return "iotest does not load again";
        IofuzzSuper.Reloads++;
        if (!NT_SUCCESS(IofuzzOpen(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ_ACCESS,
                                   FILE_SYNCHRONOUS_IO_NONALERT, &Handle)))
            return "\\Device\\IoTestBuffered does not open after a reload";
    }
    for (ULONG i = 0; i < sizeof(Data); i++)
        Data[i] = (UCHAR)(i * 7);
    Status = NtDeviceIoControlFile(Handle, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_ECHO, Data, 16,
                                   Data, 16);
    NtClose(Handle);
    if (Status != STATUS_SUCCESS || Iosb.Information != 16 || Data[15] != 15 * 7)
        return "iotest's echo failed";
    return NULL;
}

static BOOLEAN IofuzzCrashFail(const char *Why, NTSTATUS Status)
{
    IofuzzSuper.CrashFailures++;
    if (IofuzzSuper.CrashFailures == 1)
        _snprintf(IofuzzSuper.CrashWhy, sizeof(IofuzzSuper.CrashWhy) - 1, "crash %lu: %s (0x%08lx)",
                  IofuzzSuper.Crashes, Why, (ULONG)Status);
    return FALSE;
}

/* Crash iotest with a request pending in it: the request fails with
 * DRIVER_PROCESS_TERMINATED, the devices go, NtLoadDriver starts it again
 * and it serves requests again. */
static BOOLEAN IofuzzCrashIoTest(VOID)
{
    static UCHAR Data[16];
    IO_STATUS_BLOCK Pending = {.Status = -1}, Iosb;
    LARGE_INTEGER Limit = {.QuadPart = -100000000ll};
    HANDLE Async = NULL, Sync = NULL, Handle;
    NTSTATUS Status;

    IofuzzSuper.Crashes++;
    Status = IofuzzOpen(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ_ACCESS, 0, &Async);
    if (!NT_SUCCESS(Status))
        return IofuzzCrashFail("the buffered device does not open", Status);
    Status = IofuzzOpen(L"\\Device\\IoTestDirect", FILE_GENERIC_READ_ACCESS,
                        FILE_SYNCHRONOUS_IO_NONALERT, &Sync);
    if (!NT_SUCCESS(Status)) {
        NtClose(Async);
        return IofuzzCrashFail("the direct device does not open", Status);
    }
    NtResetEvent(Iofuzz.Events[1], NULL);
    Status = NtDeviceIoControlFile(Async, Iofuzz.Events[1], NULL, NULL, &Pending, IOCTL_IOTEST_PEND,
                                   NULL, 0, NULL, 0);
    if (Status != STATUS_PENDING)
        IofuzzCrashFail("PEND did not pend", Status);
    Status =
        NtDeviceIoControlFile(Sync, NULL, NULL, NULL, &Iosb, IOCTL_IOTEST_CRASH, NULL, 0, NULL, 0);
    if (Status != STATUS_DRIVER_PROCESS_TERMINATED)
        IofuzzCrashFail("CRASH did not end with DRIVER_PROCESS_TERMINATED", Status);
    Status = NtWaitForSingleObject(Iofuzz.Events[1], FALSE, &Limit);
    if (Status != STATUS_SUCCESS)
        IofuzzCrashFail("the pending request did not complete", Status);
    else if (Pending.Status != STATUS_DRIVER_PROCESS_TERMINATED)
        IofuzzCrashFail("the pending request did not fail with DRIVER_PROCESS_TERMINATED",
                        Pending.Status);
    Status = NtReadFile(Sync, NULL, NULL, NULL, &Iosb, Data, sizeof(Data), NULL, NULL);
    if (Status != STATUS_DRIVER_PROCESS_TERMINATED)
        IofuzzCrashFail("a read through a handle of the dead driver", Status);
    NtClose(Sync);
    NtClose(Async);
    Status = IofuzzOpen(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ_ACCESS,
                        FILE_SYNCHRONOUS_IO_NONALERT, &Handle);
    if (NT_SUCCESS(Status)) {
        NtClose(Handle);
        return IofuzzCrashFail("the device of the dead driver still opens", Status);
    }
    Status = IofuzzLoad("IoTest");
    if (!NT_SUCCESS(Status))
        return IofuzzCrashFail("NtLoadDriver after the crash", Status);
    Status = IofuzzOpen(L"\\Device\\IoTestBuffered", FILE_GENERIC_READ_ACCESS,
                        FILE_SYNCHRONOUS_IO_NONALERT, &Handle);
    if (!NT_SUCCESS(Status))
        return IofuzzCrashFail("the device does not open after the reload", Status);
    Status = NtReadFile(Handle, NULL, NULL, NULL, &Iosb, Data, sizeof(Data), NULL, NULL);
    NtClose(Handle);
    if (Status != STATUS_SUCCESS || Iosb.Information != sizeof(Data) || Data[5] != 5)
        return IofuzzCrashFail("a read after the reload", Status);
    return TRUE;
}

/* A crash and reload, and the pages it cost (kept apart from the fuzzing's). */
static VOID IofuzzMeasuredCrash(VOID)
{
    ULONG Before = IofuzzAvailablePages();
    LONG Cost;

    IofuzzCrashIoTest();
    Cost = (LONG)(Before - IofuzzAvailablePages());
    IofuzzSuper.CrashPages += Cost;
    IofuzzPrint("iofuzz: crash %lu cost %ld pages\n", IofuzzSuper.Crashes, Cost);
}

/* ---- batches ------------------------------------------------------------------------------- */

static NTSTATUS NTAPI IofuzzWorker(PVOID Count)
{
    IofuzzRunBatch((ULONG64)(ULONG_PTR)Count);
    return STATUS_SUCCESS;
}

/* One batch in a fresh thread; FALSE if it hung or could not start. */
static BOOLEAN IofuzzBatch(ULONG64 Count, ULONG Seconds)
{
    LARGE_INTEGER Limit = {.QuadPart = -(LONGLONG)Seconds * 10000000ll};
    HANDLE Thread;
    NTSTATUS Status;

    Status = NtCreateThreadEx(&Thread, THREAD_ALL, NULL, NtCurrentProcess(), (PVOID)IofuzzWorker,
                              (PVOID)(ULONG_PTR)Count, 0, 0, 0, 0, NULL);
    if (!NT_SUCCESS(Status)) {
        _snprintf(IofuzzSuper.BatchWhy, sizeof(IofuzzSuper.BatchWhy) - 1,
                  "NtCreateThreadEx of a worker: 0x%08lx", (ULONG)Status);
        return FALSE;
    }
    Status = NtWaitForSingleObject(Thread, FALSE, &Limit);
    if (Status != STATUS_SUCCESS) {
        _snprintf(IofuzzSuper.BatchWhy, sizeof(IofuzzSuper.BatchWhy) - 1,
                  "call %llu (%s, seed %llu) did not return within %lu s (0x%08lx)",
                  Iofuzz.CurrentCall, IofuzzOpName(Iofuzz.CurrentOp), Iofuzz.Seed, Seconds,
                  (ULONG)Status);
        NtTerminateThread(Thread, STATUS_TIMEOUT);
        NtClose(Thread);
        return FALSE;
    }
    NtClose(Thread);
    return TRUE;
}

/* ---- the report ---------------------------------------------------------------------------- */

static VOID IofuzzVerdict(const char *Test, BOOLEAN Pass, const char *Why)
{
    if (Pass)
        IofuzzPrint("TEST-PASS io-fuzz.%s\n", Test);
    else
        IofuzzPrint("TEST-FAIL io-fuzz.%s: %s\n", Test, Why);
}

static VOID IofuzzReport(ULONG HandlesBefore, ULONG PagesBefore, BOOLEAN LeakTest,
                         const char *Lives, ULONG64 CrashEvery)
{
    ULONG HandlesAfter, PagesAfter, Allowance;
    LONG Lost;
    char Why[240];

    /* Writes to the serial port and the console share the test's line:
     * start the report on a line of its own. */
    IofuzzPrint("\n");
    for (ULONG i = 0; i < Iofuzz.DeviceCount; i++) {
        IOFUZZ_DEVICE *D = &Iofuzz.Devices[i];
        char Name[IOFUZZ_NAME_CHARS];

        for (ULONG j = 0; j < IOFUZZ_NAME_CHARS; j++)
            Name[j] = (char)D->Name[j];
        IofuzzPrint("iofuzz: device %-26s type 0x%02lx%s opens %llu/%llu requests %llu ok %llu "
                    "pending %llu\n",
                    Name, D->DeviceType, D->MayWait ? " (waits)" : "", D->OpensOk, D->Opens,
                    D->Calls, D->Successes, D->Pending);
    }
    for (ULONG Op = 0; Op < IofuzzOpCount; Op++)
        IofuzzPrint("iofuzz: %-12s %6llu calls %6llu successes\n", IofuzzOpName(Op),
                    Iofuzz.PerOp[Op], Iofuzz.PerOpSuccess[Op]);
    IofuzzPrint("iofuzz: seed=%llu calls=%llu issued=%llu successes=%llu pending=%llu "
                "skipped=%llu anomalies=%llu devices=%lu apcs=%llu packets=%llu crashes=%lu "
                "crash-codes-sent=%llu reloads=%lu\n",
                Iofuzz.Seed, Iofuzz.Calls, Iofuzz.Issued, Iofuzz.Successes, Iofuzz.Pending,
                Iofuzz.Skipped, Iofuzz.Anomalies, Iofuzz.DeviceCount, Iofuzz.ApcsRun,
                Iofuzz.PacketsRemoved, IofuzzSuper.Crashes, Iofuzz.RandomCrashes,
                IofuzzSuper.Reloads);
    _snprintf(Why, sizeof(Why) - 1, "%llu of %llu; %s", Iofuzz.Issued, Iofuzz.Calls,
              IofuzzSuper.BatchWhy);
    IofuzzVerdict("calls_completed", Iofuzz.Issued == Iofuzz.Calls && !IofuzzSuper.BatchFailures,
                  Why);
    if (!IofuzzReadOnlyIntact())
        IofuzzAnomaly("the read-only page changed");
    _snprintf(Why, sizeof(Why) - 1, "%llu anomalies; first at call %llu (seed %llu): %s",
              Iofuzz.Anomalies, Iofuzz.FirstCall, Iofuzz.Seed, Iofuzz.FirstWhy);
    IofuzzVerdict("statuses_plausible", Iofuzz.Anomalies == 0, Why);
    if (CrashEvery)
        IofuzzVerdict("crash_recovery", IofuzzSuper.Crashes > 0 && IofuzzSuper.CrashFailures == 0,
                      IofuzzSuper.Crashes ? IofuzzSuper.CrashWhy : "iotest was never crashed");
    IofuzzVerdict("system_works", Lives == NULL, Lives);
    if (!LeakTest)
        return;
    HandlesAfter = IofuzzHandleCount();
    PagesAfter = IofuzzAvailablePages();
    IofuzzPrint("iofuzz: handles before %lu after %lu; available pages before %lu after %lu\n",
                HandlesBefore, HandlesAfter, PagesBefore, PagesAfter);
    _snprintf(Why, sizeof(Why) - 1, "%lu handles before, %lu after", HandlesBefore, HandlesAfter);
    IofuzzVerdict("no_handle_leak", HandlesBefore != ~0u && HandlesAfter == HandlesBefore, Why);
    /* The fuzzing's share: what the supervisor's crashes cost is judged
     * apart; reloads after a crash a random request caused get the
     * allowance of one crash each. */
    Lost = (LONG)(PagesBefore - PagesAfter) - IofuzzSuper.CrashPages;
    Allowance = IOFUZZ_PAGE_SLACK + IofuzzSuper.Reloads * IOFUZZ_CRASH_PAGES;
    _snprintf(Why, sizeof(Why) - 1,
              "%ld pages lost to the fuzzing (%lu available before, %lu after, %ld of them to "
              "%lu crashes), allowance %lu",
              Lost, PagesBefore, PagesAfter, IofuzzSuper.CrashPages, IofuzzSuper.Crashes,
              Allowance);
    IofuzzVerdict("no_memory_leak", PagesBefore != 0 && Lost <= (LONG)Allowance, Why);
    if (IofuzzSuper.Crashes == 0)
        return;
    /* A driver process that ends gives back everything (the paging
     * structures and pool runs of its address space included, mm's
     * ps_crash_teardown tests): whatever the number of crashes, only caches
     * that grow once may keep pages. */
    _snprintf(Why, sizeof(Why) - 1,
              "a crashed driver loaded again keeps %ld pages a time (%ld pages over %lu crashes, "
              "allowance %u in all)",
              IofuzzSuper.CrashPages / (LONG)IofuzzSuper.Crashes, IofuzzSuper.CrashPages,
              IofuzzSuper.Crashes, IOFUZZ_CRASH_SLACK);
    IofuzzVerdict("crash_releases_memory", IofuzzSuper.CrashPages <= IOFUZZ_CRASH_SLACK, Why);
}

static NTSTATUS IofuzzSetUp(VOID)
{
    NTSTATUS Status;

    for (ULONG i = 0; i < ARRAYSIZE(IofuzzDrivers); i++) {
        Status = IofuzzLoad(IofuzzDrivers[i]);
        IofuzzPrint("iofuzz: load %s: 0x%08lx\n", IofuzzDrivers[i], (ULONG)Status);
    }
    Status = IofuzzFindDevices();
    if (!NT_SUCCESS(Status))
        return Status;
    for (ULONG i = 0; i < 2; i++) {
        Status = NtCreateEvent(&Iofuzz.Events[i], EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return NtCreateIoCompletion(&Iofuzz.Port, IO_COMPLETION_ALL, NULL, 0);
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    ULONG64 Batch = IofuzzConfigValue("batch", 250);
    ULONG64 CrashEvery = IofuzzConfigValue("crash", 2500), NextCrash;
    ULONG Timeout = (ULONG)IofuzzConfigValue("timeout", 120);
    BOOLEAN LeakTest = IofuzzConfigValue("leaks", 0) != 0;
    ULONG HandlesBefore = ~0u, PagesBefore = 0;
    const char *Lives = NULL;
    NTSTATUS Status;

    (void)Peb;
    Iofuzz.Seed = IofuzzConfigValue("seed", 1);
    Iofuzz.Calls = IofuzzConfigValue("calls", 10000);
    Iofuzz.Trace = IofuzzConfigValue("trace", 0) != 0;
    Iofuzz.OpMask = (ULONG)IofuzzConfigValue("ops", (1u << IofuzzOpCount) - 1);
    if ((Iofuzz.OpMask & ((1u << IofuzzOpCount) - 1)) == 0)
        Iofuzz.OpMask = 1u << IofuzzOpOpen;
    IofuzzPrint("iofuzz: seed=%llu calls=%llu batch=%llu crash=%llu\n", Iofuzz.Seed, Iofuzz.Calls,
                Batch, CrashEvery);
    IofuzzSeed(Iofuzz.Seed);
    if (!IofuzzSetUpMemory()) {
        IofuzzPrint("TEST-FAIL io-fuzz.setup: no memory for the fuzzer\n");
    } else if (!NT_SUCCESS(Status = IofuzzSetUp())) {
        IofuzzPrint("TEST-FAIL io-fuzz.setup: 0x%08lx\n", (ULONG)Status);
    } else {
        IofuzzPrint("iofuzz: %lu devices\n", Iofuzz.DeviceCount);
        /* Warm up (first opens of every device, the first worker thread)
         * before counting what the run keeps. */
        if ((Lives = IofuzzSystemLives()) == NULL) {
            HandlesBefore = IofuzzHandleCount();
            PagesBefore = IofuzzAvailablePages();
        }
        NextCrash = CrashEvery;
        while (Lives == NULL && Iofuzz.Issued < Iofuzz.Calls) {
            if (!IofuzzBatch(Batch, Timeout)) {
                IofuzzSuper.BatchFailures++;
                break;
            }
            if (CrashEvery && Iofuzz.Issued >= NextCrash) {
                IofuzzMeasuredCrash();
                while (NextCrash <= Iofuzz.Issued)
                    NextCrash += CrashEvery;
            }
            Lives = IofuzzSystemLives();
            if (Iofuzz.Issued % 2500 < Batch)
                IofuzzPrint("iofuzz: %llu calls, %llu anomalies\n", Iofuzz.Issued,
                            Iofuzz.Anomalies);
        }
        if (CrashEvery && IofuzzSuper.Crashes == 0 && Lives == NULL)
            IofuzzMeasuredCrash();
        IofuzzCloseAll();
        IofuzzReport(HandlesBefore, PagesBefore, LeakTest, Lives, CrashEvery);
    }
    IofuzzPrint("SUITE-END io-fuzz\n");
    NtTerminateProcess(NtCurrentProcess(), 0);
    return 0;
}
