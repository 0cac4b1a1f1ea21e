/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A batch of random I/O requests (run by a worker thread the supervisor
 * starts and waits for): opens with random access, share, dispositions and
 * options; control codes of every device type, function, method and
 * access; reads and writes of random lengths and offsets; information,
 * volume, flush and cancel requests; completion-port bindings; closes
 * while requests pend; directory queries and change notifications (dirctl
 * branch). Pointers come from memory.c.
 *
 * The self-preservation policy (README.md): requests that may legitimately
 * wait for ever are sent only on asynchronous handles, where the worker's
 * end cancels them. So a synchronous handle of a device that waits for
 * input (serial, keyboard) gets no read, write, flush or control code, and
 * iotest's PEND code never goes to a synchronous handle. A valid
 * IOCTL_BEEP_SET with a duration above IOFUZZ_BEEP_MS is skipped (a long
 * beep is legitimate). Everything else goes out as drawn.
 *
 * The checks: no request succeeds with a buffer that is clearly bad for a
 * non-zero length where Windows probes it (README.md), no request on a
 * synchronous handle returns STATUS_PENDING, and nothing writes the
 * read-only page.
 */
#include "iofuzz.h"
#include "../../drivers/test/iotest/iotest.h"

#define IOFUZZ_BEEP_MS            100
#define IOFUZZ_TYPE_SERIAL        0x1B
#define IOFUZZ_TYPE_KEYBOARD      0x0B
#define IOFUZZ_TYPE_BEEP          0x01
#define IOFUZZ_WAIT_ON_MASK       0x001B0048u /* IOCTL_SERIAL_WAIT_ON_MASK */
#define FileCompletionInfo        30
#define FILE_OPEN                 1
#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010u
#define MAXIMUM_ALLOWED_ACCESS    0x02000000u
#define FILE_USE_POSITION         (-2ll)
#define FILE_WRITE_TO_END         (-1ll)

IOFUZZ_STATE Iofuzz;

VOID IofuzzAnomaly(const char *Format, ...)
{
    va_list Arguments;

    Iofuzz.Anomalies++;
    if (Iofuzz.Anomalies > 1)
        return;
    Iofuzz.FirstCall = Iofuzz.CurrentCall;
    va_start(Arguments, Format);
    _vsnprintf(Iofuzz.FirstWhy, sizeof(Iofuzz.FirstWhy) - 1, Format, Arguments);
    va_end(Arguments);
    IofuzzPrint("iofuzz: anomaly at call %llu: %s\n", Iofuzz.CurrentCall, Iofuzz.FirstWhy);
}

static VOID NTAPI IofuzzApc(PVOID Context, PVOID IoStatusBlock, ULONG Reserved)
{
    (void)Context;
    (void)IoStatusBlock;
    (void)Reserved;
    Iofuzz.ApcsRun++;
}

/* ---- picking targets ------------------------------------------------------------------ */

static IOFUZZ_HANDLE *IofuzzPickHandle(VOID)
{
    if (Iofuzz.HandleCount == 0)
        return NULL;
    return &Iofuzz.Handles[IofuzzBelow(Iofuzz.HandleCount)];
}

/* A handle for a request: mostly one of the pool, sometimes a bad one. */
static HANDLE IofuzzTargetHandle(IOFUZZ_HANDLE **Entry)
{
    static const ULONG_PTR Bad[] = {0,      (ULONG_PTR)-1, (ULONG_PTR)-2, 4,
                                    0x1230, 0xFFFFFFFF,    0x7FFFFFF0};

    *Entry = NULL;
    if (IofuzzChance(95) && (*Entry = IofuzzPickHandle()) != NULL)
        return (*Entry)->Handle;
    if (IofuzzChance(30))
        return Iofuzz.Events[0]; /* a handle of another type */
    return (HANDLE)Bad[IofuzzBelow(ARRAYSIZE(Bad))];
}

static HANDLE IofuzzEvent(VOID)
{
    switch (IofuzzBelow(8)) {
    case 0:
    case 1:
        return Iofuzz.Events[0];
    case 2:
        return Iofuzz.Events[1];
    case 3:
        return Iofuzz.Port; /* no event */
    case 4:
        return (HANDLE)0x1234;
    default:
        return NULL;
    }
}

static PVOID IofuzzApcRoutine(VOID)
{
    return IofuzzChance(15) ? (PVOID)IofuzzApc : NULL;
}

static PVOID IofuzzApcContext(VOID)
{
    return IofuzzChance(50) ? NULL : (PVOID)(ULONG_PTR)(IofuzzRandom() & 0xFFFF);
}

static LARGE_INTEGER *IofuzzOffset(VOID)
{
    PLARGE_INTEGER Offset = (PLARGE_INTEGER)(IofuzzScratch() + IOFUZZ_IOSBS * 16 - 16);

    switch (IofuzzBelow(8)) {
    case 0:
        return NULL;
    case 1:
        Offset->QuadPart = FILE_USE_POSITION;
        break;
    case 2:
        Offset->QuadPart = FILE_WRITE_TO_END;
        break;
    case 3:
        Offset->QuadPart = (LONGLONG)IofuzzRandom();
        break;
    case 4:
        return (PLARGE_INTEGER)0xFFFF800000000000ull;
    default:
        Offset->QuadPart = IofuzzBelow(0x20000);
        break;
    }
    return Offset;
}

/* A control code: the device's own type (or another, or any) and a
 * function near the ones drivers use (0..63, 0x800..0x80F) or any. */
static ULONG IofuzzControlCode(const IOFUZZ_DEVICE *Device)
{
    static const ULONG Types[] = {0x01, 0x09, 0x0B, 0x12, 0x14, 0x1B, 0x22, 0x23, 0x29};
    ULONG Type, Function;

    if (IofuzzChance(3))
        return (ULONG)IofuzzRandom();
    Type = IofuzzChance(60) && Device ? Device->DeviceType
           : IofuzzChance(70)         ? Types[IofuzzBelow(ARRAYSIZE(Types))]
                                      : IofuzzBelow(0x10000);
    Function = IofuzzChance(45)   ? IofuzzBelow(64)
               : IofuzzChance(70) ? 0x800 + IofuzzBelow(32) /* iotest's 0x800-0x816 */
                                  : IofuzzBelow(0x1000);
    return (Type << 16) | (IofuzzBelow(4) << 14) | (Function << 2) | IofuzzBelow(4);
}

/* ---- the policy --------------------------------------------------------------------------- */

static BOOLEAN IofuzzMayWaitForEver(const IOFUZZ_HANDLE *Entry, IOFUZZ_OP Op, ULONG Code)
{
    const IOFUZZ_DEVICE *Device;

    if (Entry == NULL || !Entry->Synchronous)
        return FALSE;
    Device = &Iofuzz.Devices[Entry->Device];
    if (Op == IofuzzOpIoctl || Op == IofuzzOpFsctl) {
        if (Code == IOCTL_IOTEST_PEND || Code == IOCTL_IOTEST_NEITHER_PEND ||
            Code == IOFUZZ_WAIT_ON_MASK)
            return TRUE;
    }
    if (Op == IofuzzOpDirectory && Code != 0)
        return TRUE; /* a change notification: iotest's wait for a change */
    return Device->MayWait && (Op == IofuzzOpIoctl || Op == IofuzzOpFsctl || Op == IofuzzOpRead ||
                               Op == IofuzzOpWrite || Op == IofuzzOpFlush);
}

static BOOLEAN IofuzzLongBeep(const IOFUZZ_HANDLE *Entry, ULONG Code, PVOID In, ULONG InLength,
                              ULONG Bad)
{
    const BEEP_SET_PARAMETERS *Beep = In;
    PUCHAR Scratch = IofuzzScratch();

    if (Entry == NULL || Iofuzz.Devices[Entry->Device].DeviceType != IOFUZZ_TYPE_BEEP ||
        Code != IOCTL_BEEP_SET || Bad || InLength < sizeof(*Beep))
        return FALSE;
    /* Only a readable parameter block of the scratch area is a valid beep. */
    if ((PUCHAR)In < Scratch || (PUCHAR)In + sizeof(*Beep) > Scratch + IOFUZZ_SCRATCH)
        return FALSE;
    return Beep->Duration > IOFUZZ_BEEP_MS;
}

const char *IofuzzOpName(ULONG Op);

/* ---- the operations ----------------------------------------------------------------------- */

static VOID IofuzzCount(IOFUZZ_OP Op, const IOFUZZ_HANDLE *Entry, NTSTATUS Status)
{
    IOFUZZ_DEVICE *Device = Entry ? &Iofuzz.Devices[Entry->Device] : NULL;

    Iofuzz.PerOp[Op]++;
    if (Device)
        Device->Calls++;
    /* A synchronous file's caller waits for the request's end. */
    if (Status == STATUS_PENDING && Entry && Entry->Synchronous && Op != IofuzzOpDrain)
        IofuzzAnomaly("%s on a synchronous handle returned STATUS_PENDING", IofuzzOpName(Op));
    if (Status == STATUS_PENDING) {
        Iofuzz.Pending++;
        if (Device)
            Device->Pending++;
    }
    if (NT_SUCCESS(Status)) {
        Iofuzz.Successes++;
        Iofuzz.PerOpSuccess[Op]++;
        if (Device)
            Device->Successes++;
    }
}

static VOID IofuzzOpenOne(VOID)
{
    static const ACCESS_MASK Access[] = {0,
                                         FILE_READ_DATA,
                                         FILE_WRITE_DATA,
                                         FILE_READ_DATA | FILE_WRITE_DATA,
                                         FILE_READ_ATTRIBUTES,
                                         GENERIC_READ,
                                         GENERIC_WRITE,
                                         GENERIC_READ | GENERIC_WRITE,
                                         MAXIMUM_ALLOWED_ACCESS,
                                         0x001F01FF /* FILE_ALL_ACCESS */};
    WCHAR Path[IOFUZZ_NAME_CHARS + 8];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IOFUZZ_DEVICE *Device;
    IO_STATUS_BLOCK *Iosb = IofuzzIosb();
    ACCESS_MASK Desired;
    ULONG Share, Disposition, Options, Length, FileAttributes = IofuzzBelow(0x100);
    HANDLE Handle = NULL;
    NTSTATUS Status;
    ULONG Index = IofuzzBelow(Iofuzz.DeviceCount);

    if (Iofuzz.DeviceCount == 0)
        return;
    Device = &Iofuzz.Devices[Index];
    for (Length = 0; Device->Name[Length]; Length++)
        Path[Length] = Device->Name[Length];
    if (IofuzzChance(8)) { /* a name below the device: the driver's create sees it */
        static const WCHAR *const Tails[] = {L"\\x", L"\\", L"\\..\\a", L"\\\x00e9:*?"};
        const WCHAR *Tail = Tails[IofuzzBelow(ARRAYSIZE(Tails))];
        while (*Tail)
            Path[Length++] = *Tail++;
    }
    Path[Length] = 0;
    Name = IofuzzString(Path);
    NtProgObjectAttributes(&Attributes, &Name, IofuzzChance(80) ? OBJ_CASE_INSENSITIVE : 0, NULL);
    Desired = IofuzzChance(90) ? Access[IofuzzBelow(ARRAYSIZE(Access))] : (ULONG)IofuzzRandom();
    if (IofuzzChance(60))
        Desired |= SYNCHRONIZE;
    Share = IofuzzChance(90) ? IofuzzBelow(8) : (ULONG)IofuzzRandom();
    Disposition = IofuzzChance(90) ? IofuzzBelow(6) : IofuzzBelow(0x100);
    Options = IofuzzChance(50) ? FILE_SYNCHRONOUS_IO_NONALERT : 0;
    if (IofuzzChance(10))
        Options = FILE_SYNCHRONOUS_IO_ALERT;
    if (IofuzzChance(20))
        Options |= FILE_NON_DIRECTORY_FILE;
    if (IofuzzChance(5))
        Options |= 1u << IofuzzBelow(24);
    if (IofuzzChance(50)) { /* half the opens are plausible, so requests reach drivers */
        Desired = (IofuzzChance(50) ? GENERIC_READ | GENERIC_WRITE : FILE_READ_DATA) | SYNCHRONIZE;
        Share = FILE_SHARE_READ | FILE_SHARE_WRITE;
        Disposition = FILE_OPEN;
        Options &= FILE_SYNCHRONOUS_IO_NONALERT | FILE_SYNCHRONOUS_IO_ALERT;
        FileAttributes = 0;
    }
    Device->Opens++;
    Status = NtCreateFile(&Handle, Desired, &Attributes, Iosb, NULL, FileAttributes, Share,
                          Disposition, Options, NULL, 0);
    Iofuzz.PerOp[IofuzzOpOpen]++;
    if (Iofuzz.Trace)
        IofuzzPrint("iofuzz: open %lu access %lx share %lx disposition %lx options %lx: %lx\n",
                    Index, Desired, Share, Disposition, Options, (ULONG)Status);
    if (!NT_SUCCESS(Status))
        return;
    Iofuzz.PerOpSuccess[IofuzzOpOpen]++;
    Iofuzz.Successes++;
    Device->OpensOk++;
    if (Iofuzz.HandleCount == IOFUZZ_MAX_HANDLES) {
        NtClose(Handle);
        return;
    }
    Iofuzz.Handles[Iofuzz.HandleCount++] = (IOFUZZ_HANDLE){
        .Handle = Handle,
        .Device = Index,
        .Synchronous = (Options & (FILE_SYNCHRONOUS_IO_NONALERT | FILE_SYNCHRONOUS_IO_ALERT)) != 0,
    };
}

static VOID IofuzzCloseOne(VOID)
{
    IOFUZZ_HANDLE *Entry = IofuzzPickHandle();
    NTSTATUS Status;

    if (Entry == NULL)
        return;
    /* Sometimes cancel first; otherwise the close goes while requests pend. */
    if (IofuzzChance(30))
        NtCancelIoFile(Entry->Handle, IofuzzIosb());
    Status = NtClose(Entry->Handle);
    IofuzzCount(IofuzzOpClose, Entry, Status);
    if (!NT_SUCCESS(Status))
        IofuzzAnomaly("NtClose of a pool handle: 0x%08lx", (ULONG)Status);
    *Entry = Iofuzz.Handles[--Iofuzz.HandleCount];
}

static VOID IofuzzCheckBuffer(const char *What, NTSTATUS Status, ULONG Bad)
{
    if (Bad && NT_SUCCESS(Status))
        IofuzzAnomaly("%s with a bad buffer succeeded (0x%08lx)", What, (ULONG)Status);
}

static VOID IofuzzControl(BOOLEAN FileSystem)
{
    IOFUZZ_OP Op = FileSystem ? IofuzzOpFsctl : IofuzzOpIoctl;
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    ULONG Code = IofuzzControlCode(Entry ? &Iofuzz.Devices[Entry->Device] : NULL);
    ULONG InLength = IofuzzLength(), OutLength = IofuzzLength();
    ULONG InBad, OutBad;
    PVOID In = IofuzzBuffer(&InLength, FALSE, &InBad);
    PVOID Out = IofuzzBuffer(&OutLength, TRUE, &OutBad);
    NTSTATUS Status;

    if (Entry && Iofuzz.Devices[Entry->Device].IoTest && Code == IOCTL_IOTEST_CRASH)
        Iofuzz.RandomCrashes++;
    if (IofuzzMayWaitForEver(Entry, Op, Code) || IofuzzLongBeep(Entry, Code, In, InLength, InBad)) {
        Iofuzz.Skipped++;
        return;
    }
    if (FileSystem)
        Status = NtFsControlFile(Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(),
                                 IofuzzIosb(), Code, In, InLength, Out, OutLength);
    else
        Status =
            NtDeviceIoControlFile(Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(),
                                  IofuzzIosb(), Code, In, InLength, Out, OutLength);
    IofuzzCount(Op, Entry, Status);
    /* Every method: METHOD_NEITHER's buffers are mapped into the driver
     * too, after the probe a Windows driver makes (neither branch). */
    IofuzzCheckBuffer(FileSystem ? "NtFsControlFile input" : "NtDeviceIoControlFile input", Status,
                      InBad);
    IofuzzCheckBuffer(FileSystem ? "NtFsControlFile output" : "NtDeviceIoControlFile output",
                      Status, OutBad);
}

static VOID IofuzzTransfer(BOOLEAN Write)
{
    IOFUZZ_OP Op = Write ? IofuzzOpWrite : IofuzzOpRead;
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    ULONG Length = IofuzzLength();
    ULONG Bad;
    PVOID Buffer = IofuzzBuffer(&Length, !Write, &Bad);
    PVOID Key = IofuzzChance(90) ? NULL : (PVOID)(ULONG_PTR)IofuzzRandom();
    NTSTATUS Status;

    if (IofuzzMayWaitForEver(Entry, Op, 0)) {
        Iofuzz.Skipped++;
        return;
    }
    if (Write)
        Status = NtWriteFile(Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(),
                             IofuzzIosb(), Buffer, Length, IofuzzOffset(), Key);
    else
        Status = NtReadFile(Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(),
                            IofuzzIosb(), Buffer, Length, IofuzzOffset(), Key);
    IofuzzCount(Op, Entry, Status);
    /* A write's buffer is probed for reading, which on Windows checks the
     * range only (a device doing neither I/O never touches it): only a
     * range outside user space must fail. */
    IofuzzCheckBuffer(Write ? "NtWriteFile" : "NtReadFile", Status,
                      Write && Bad != IOFUZZ_BAD_RANGE ? IOFUZZ_BAD_NONE : Bad);
}

static VOID IofuzzInformation(IOFUZZ_OP Op)
{
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    ULONG Length = IofuzzChance(70) ? IofuzzBelow(600) : IofuzzLength();
    ULONG Class = IofuzzChance(90) ? IofuzzBelow(80) : (ULONG)IofuzzRandom();
    ULONG Bad;
    PVOID Buffer = IofuzzBuffer(&Length, Op != IofuzzOpSetInfo, &Bad);
    NTSTATUS Status;

    switch (Op) {
    case IofuzzOpQueryInfo:
        Status = NtQueryInformationFile(Handle, IofuzzIosb(), Buffer, Length, Class);
        break;
    case IofuzzOpSetInfo:
        /* FileCompletionInformation is the bind operation's. */
        if (Class == FileCompletionInfo)
            Class = 14; /* FilePositionInformation */
        Status = NtSetInformationFile(Handle, IofuzzIosb(), Buffer, Length, Class);
        break;
    default:
        Class = IofuzzChance(90) ? IofuzzBelow(16) : Class;
        Status = NtQueryVolumeInformationFile(Handle, IofuzzIosb(), Buffer, Length, Class);
        break;
    }
    IofuzzCount(Op, Entry, Status);
    /* Queries probe their output for writing; a set copies its input. */
    IofuzzCheckBuffer(IofuzzOpName(Op), Status, Bad);
}

static VOID IofuzzSimple(IOFUZZ_OP Op)
{
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    NTSTATUS Status;

    if (IofuzzMayWaitForEver(Entry, Op, 0)) {
        Iofuzz.Skipped++;
        return;
    }
    Status = Op == IofuzzOpFlush ? NtFlushBuffersFile(Handle, IofuzzIosb())
                                 : NtCancelIoFile(Handle, IofuzzIosb());
    IofuzzCount(Op, Entry, Status);
}

/* dirctl: a directory query (a class the I/O manager knows, mostly; a mask
 * now and then) or, on asynchronous handles only, a change notification. */
static VOID IofuzzDirectory(VOID)
{
    static const ULONG Classes[] = {1, 2, 3, 12, 37, 38, 29, 32, 33};
    static const WCHAR *const Masks[] = {L"*", L"*.sys", L"a?pha.txt", L"<.dat", L"\x01>\"\\"};
    BOOLEAN Notify = IofuzzChance(25);
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    ULONG Length = IofuzzChance(70) ? IofuzzBelow(1200) : IofuzzLength();
    ULONG Class = IofuzzChance(90) ? Classes[IofuzzBelow(ARRAYSIZE(Classes))] : IofuzzBelow(80);
    ULONG Bad;
    PVOID Buffer = IofuzzBuffer(&Length, TRUE, &Bad);
    UNICODE_STRING *Mask = (PVOID)(IofuzzScratch() + IOFUZZ_IOSBS * 16 + 160);
    NTSTATUS Status;

    if (IofuzzMayWaitForEver(Entry, IofuzzOpDirectory, Notify)) {
        Iofuzz.Skipped++;
        return;
    }
    RtlInitUnicodeString(Mask, Masks[IofuzzBelow(ARRAYSIZE(Masks))]);
    if (Notify)
        Status = NtNotifyChangeDirectoryFile(
            Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(), IofuzzIosb(), Buffer,
            Length, IofuzzChance(90) ? 1 + IofuzzBelow(0xFFF) : (ULONG)IofuzzRandom(),
            IofuzzChance(50));
    else
        Status = NtQueryDirectoryFile(Handle, IofuzzEvent(), IofuzzApcRoutine(), IofuzzApcContext(),
                                      IofuzzIosb(), Buffer, Length, Class, IofuzzChance(30),
                                      IofuzzChance(40) ? Mask : NULL, IofuzzChance(30));
    IofuzzCount(IofuzzOpDirectory, Entry, Status);
    IofuzzCheckBuffer(Notify ? "NtNotifyChangeDirectoryFile" : "NtQueryDirectoryFile", Status, Bad);
}

/* FileCompletionInformation: the port, a key; a bad port handle at times. */
static VOID IofuzzBindPort(VOID)
{
    IOFUZZ_HANDLE *Entry;
    HANDLE Handle = IofuzzTargetHandle(&Entry);
    struct {
        HANDLE Port;
        PVOID Key;
    } *Info = (PVOID)(IofuzzScratch() + IOFUZZ_IOSBS * 16 + 64);
    NTSTATUS Status;

    Info->Port = IofuzzChance(85) ? Iofuzz.Port : Iofuzz.Events[0];
    Info->Key = (PVOID)(ULONG_PTR)IofuzzRandom();
    Status = NtSetInformationFile(Handle, IofuzzIosb(), Info, sizeof(*Info), FileCompletionInfo);
    IofuzzCount(IofuzzOpBindPort, Entry, Status);
    if (NT_SUCCESS(Status) && Entry)
        Entry->Bound = TRUE;
}

/* Take what completed: packets from the port, APCs, a short alertable sleep. */
static VOID IofuzzDrain(VOID)
{
    LARGE_INTEGER Zero = {.QuadPart = 0}, Short = {.QuadPart = -10000};
    IO_STATUS_BLOCK *Iosb = (PVOID)(IofuzzScratch() + IOFUZZ_IOSBS * 16 + 96);
    ULONG_PTR *Key = (PVOID)(IofuzzScratch() + IOFUZZ_IOSBS * 16 + 128);
    NTSTATUS Status;

    for (ULONG i = 0; i < 8; i++) {
        Status = NtRemoveIoCompletion(Iofuzz.Port, Key, Key + 1, Iosb, &Zero);
        if (Status != STATUS_SUCCESS)
            break;
        Iofuzz.PacketsRemoved++;
    }
    NtTestAlert();
    Status = NtDelayExecution(TRUE, &Short);
    IofuzzCount(IofuzzOpDrain, NULL, Status);
}

static IOFUZZ_OP IofuzzPickOp(VOID)
{
    /* Weights of the operations, in IOFUZZ_OP order. */
    static const UCHAR Weights[IofuzzOpCount] = {8, 4, 26, 6, 14, 10, 5, 4, 4, 3, 5, 2, 5, 4};
    ULONG Pick, Sum;

    for (;;) {
        Pick = IofuzzBelow(100);
        Sum = 0;
        for (ULONG Op = 0; Op < IofuzzOpCount; Op++) {
            Sum += Weights[Op];
            if (Pick < Sum) {
                if (Iofuzz.OpMask & (1u << Op))
                    return (IOFUZZ_OP)Op;
                break;
            }
        }
    }
}

static const char *const IofuzzOpNames[IofuzzOpCount] = {
    "open",    "close",       "ioctl", "fsctl",  "read",     "write", "queryinfo",
    "setinfo", "queryvolume", "flush", "cancel", "bindport", "drain", "directory"};

const char *IofuzzOpName(ULONG Op)
{
    return Op < IofuzzOpCount ? IofuzzOpNames[Op] : "?";
}

VOID IofuzzRunBatch(ULONG64 Count)
{
    for (ULONG64 i = 0; i < Count && Iofuzz.Issued < Iofuzz.Calls; i++) {
        IOFUZZ_OP Op = Iofuzz.HandleCount < 2 ? IofuzzOpOpen : IofuzzPickOp();

        Iofuzz.CurrentCall = ++Iofuzz.Issued;
        Iofuzz.CurrentOp = Op;
        if (Iofuzz.Trace)
            IofuzzPrint("iofuzz: call %llu %s\n", Iofuzz.Issued, IofuzzOpNames[Op]);
        switch (Op) {
        case IofuzzOpOpen:
            IofuzzOpenOne();
            break;
        case IofuzzOpClose:
            IofuzzCloseOne();
            break;
        case IofuzzOpIoctl:
        case IofuzzOpFsctl:
            IofuzzControl(Op == IofuzzOpFsctl);
            break;
        case IofuzzOpRead:
        case IofuzzOpWrite:
            IofuzzTransfer(Op == IofuzzOpWrite);
            break;
        case IofuzzOpQueryInfo:
        case IofuzzOpSetInfo:
        case IofuzzOpQueryVolume:
            IofuzzInformation(Op);
            break;
        case IofuzzOpFlush:
        case IofuzzOpCancel:
            IofuzzSimple(Op);
            break;
        case IofuzzOpBindPort:
            IofuzzBindPort();
            break;
        case IofuzzOpDirectory:
            IofuzzDirectory();
            break;
        default:
            IofuzzDrain();
            break;
        }
    }
}

VOID IofuzzCloseAll(VOID)
{
    while (Iofuzz.HandleCount > 0) {
        IOFUZZ_HANDLE *Entry = &Iofuzz.Handles[--Iofuzz.HandleCount];
        NTSTATUS Status = NtClose(Entry->Handle);

        if (!NT_SUCCESS(Status))
            IofuzzAnomaly("NtClose of a pool handle at the end: 0x%08lx", (ULONG)Status);
    }
}
