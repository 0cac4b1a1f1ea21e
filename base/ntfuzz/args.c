/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The argument generator of ntfuzz.exe: a random request per call, built
 * from the parameter kinds of ntos/services.def (svctable.h), plus the
 * policy that keeps the fuzzer alive, and the pool of handles and
 * allocations the calls hand back.
 *
 * Policy (services that can legally destroy the caller, see README.md):
 *   - NtTerminateProcess / NtTerminateThread: never NULL, the pseudo-handles
 *     or any handle that names a process (thread) - checked with
 *     NtQueryInformationProcess (Thread) just before; such calls are skipped.
 *   - NtAllocate/Free/ProtectVirtualMemory: the base address is in the
 *     arena or clearly bad, the size keeps an arena range inside the arena;
 *     what they point at is always memory the fuzzer controls or bad.
 *     Memory allocated outside the arena is freed again at once.
 *   - NtWriteVirtualMemory: the target is the arena, the straddle page or
 *     bad, never longer than the arena's room; NtReadVirtualMemory's
 *     destination buffer likewise (the source may be anything).
 *   - NtUnmapViewOfSection: the address is in the arena or bad, never the
 *     fuzzer's own image or ntdll (views a process may legally unmap).
 *     A view NtMapViewOfSection makes is unmapped again at once.
 *   - Handles go into the pool also when the out pointer was in the arena.
 *   - NtDelayExecution and the waits (NtWaitForSingleObject,
 *     NtWaitForMultipleObjects, NtSignalAndWaitForSingleObject,
 *     NtWait/ReleaseKeyedEvent): the interval is short (at most 2 ms
 *     relative, or an absolute time in 1601); a wait always has a time-out.
 *   - NtDisplayString: a string that can be printed is at most 8 blanks.
 *   - NtDuplicateObject: no target process without a TargetHandle pointer
 *     (the copy would be legal but unreachable: a leak the check would see).
 *   - Code the executive would run in the fuzzer (APC routines of
 *     NtQueueApcThread, NtSetTimer, NtReadFile/NtWriteFile; start routines
 *     of threads NtCreateThreadEx makes in the fuzzer) is a routine of its
 *     own that does nothing (NtfuzzApcSink; threads: end at once), never a
 *     random address.
 *   - NtContinue / NtSetContextThread / NtRaiseException: the CONTEXT is NULL
 *     or clearly bad (a readable one would move the fuzzer to random
 *     registers; a second-chance raise ends it).
 *   - NtSuspendThread: never on a thread that may be the fuzzer's own.
 *   - NtUnmapViewOfSection: the address is in the arena or bad, never the
 *     fuzzer's own image or ntdll; a view NtMapViewOfSection maps into the
 *     fuzzer is unmapped again at once.
 *   - Handles any service returns (its `out ... HANDLE` parameters, marked
 *     by svctable.py) go to the pool, which closes them in the end; also
 *     when the out pointer was in the arena.
 */
#include "ntfuzz.h"

#define NTFUZZ_DEFINE_TABLE
#include "svctable.h"

const NTFUZZ_SERVICE *const NtfuzzTable = NtfuzzServices;
const ULONG NtfuzzServiceCount = NTFUZZ_SERVICE_COUNT;

#define NTFUZZ_POOL 32
#define MEM_RELEASE 0x8000

static HANDLE NtfuzzHandles[NTFUZZ_POOL];
static ULONG NtfuzzHandleNext;
static const WCHAR NtfuzzBlanks[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};

/* Service numbers the policy needs, found once by name. */
static LONG SvcTerminateProcess = -2, SvcTerminateThread, SvcAllocate, SvcFree, SvcProtect,
            SvcWrite, SvcRead, SvcDelay, SvcWait, SvcDisplay, SvcQueryProcess, SvcQueryThread,
            SvcClose, SvcOpenProcess, SvcOpenThread, SvcDuplicate, SvcSetInformationObject;
/* Services 23.. whose calls the policy bounds. */
static LONG SvcWaitMultiple, SvcSignalAndWait, SvcWaitKeyed, SvcReleaseKeyed, SvcSetTimer,
    SvcReadFile, SvcWriteFile, SvcMapView, SvcUnmapView, SvcCreateThread, SvcSuspendThread,
    SvcCreateSection, SvcSetContext, SvcContinue, SvcRaiseException, SvcQueueApc;
/* Services 84.. (issue 4: I/O, completion ports, shutdown) whose calls the policy bounds. */
static LONG SvcLoadDriver, SvcUnloadDriver, SvcDeviceIoControl, SvcFsControl, SvcRemoveIoCompletion,
    SvcShutdown;
/* dirctl branch: NtQueryDirectoryFile, NtNotifyChangeDirectoryFile. */
static LONG SvcQueryDirectoryFile, SvcNotifyChangeDirectory;

LONG NtfuzzServiceNumber(const char *Name)
{
    ULONG Index;
    const char *A, *B;

    for (Index = 0; Index < NTFUZZ_SERVICE_COUNT; Index++) {
        for (A = NtfuzzServices[Index].Name, B = Name; *A && *A == *B; A++, B++)
            ;
        if (*A == 0 && *B == 0)
            return (LONG)NtfuzzServices[Index].Number;
    }
    return -1;
}

static VOID NtfuzzFindServices(VOID)
{
    SvcTerminateProcess = NtfuzzServiceNumber("NtTerminateProcess");
    SvcTerminateThread = NtfuzzServiceNumber("NtTerminateThread");
    SvcAllocate = NtfuzzServiceNumber("NtAllocateVirtualMemory");
    SvcFree = NtfuzzServiceNumber("NtFreeVirtualMemory");
    SvcProtect = NtfuzzServiceNumber("NtProtectVirtualMemory");
    SvcWrite = NtfuzzServiceNumber("NtWriteVirtualMemory");
    SvcRead = NtfuzzServiceNumber("NtReadVirtualMemory");
    SvcDelay = NtfuzzServiceNumber("NtDelayExecution");
    SvcWait = NtfuzzServiceNumber("NtWaitForSingleObject");
    SvcDisplay = NtfuzzServiceNumber("NtDisplayString");
    SvcQueryProcess = NtfuzzServiceNumber("NtQueryInformationProcess");
    SvcQueryThread = NtfuzzServiceNumber("NtQueryInformationThread");
    SvcClose = NtfuzzServiceNumber("NtClose");
    SvcOpenProcess = NtfuzzServiceNumber("NtOpenProcess");
    SvcOpenThread = NtfuzzServiceNumber("NtOpenThread");
    SvcDuplicate = NtfuzzServiceNumber("NtDuplicateObject");
    SvcSetInformationObject = NtfuzzServiceNumber("NtSetInformationObject");
    SvcWaitMultiple = NtfuzzServiceNumber("NtWaitForMultipleObjects");
    SvcSignalAndWait = NtfuzzServiceNumber("NtSignalAndWaitForSingleObject");
    SvcWaitKeyed = NtfuzzServiceNumber("NtWaitForKeyedEvent");
    SvcReleaseKeyed = NtfuzzServiceNumber("NtReleaseKeyedEvent");
    SvcSetTimer = NtfuzzServiceNumber("NtSetTimer");
    SvcReadFile = NtfuzzServiceNumber("NtReadFile");
    SvcWriteFile = NtfuzzServiceNumber("NtWriteFile");
    SvcMapView = NtfuzzServiceNumber("NtMapViewOfSection");
    SvcUnmapView = NtfuzzServiceNumber("NtUnmapViewOfSection");
    SvcCreateThread = NtfuzzServiceNumber("NtCreateThreadEx");
    SvcCreateSection = NtfuzzServiceNumber("NtCreateSection");
    SvcSuspendThread = NtfuzzServiceNumber("NtSuspendThread");
    SvcSetContext = NtfuzzServiceNumber("NtSetContextThread");
    SvcContinue = NtfuzzServiceNumber("NtContinue");
    SvcRaiseException = NtfuzzServiceNumber("NtRaiseException");
    SvcQueueApc = NtfuzzServiceNumber("NtQueueApcThread");
    SvcLoadDriver = NtfuzzServiceNumber("NtLoadDriver");
    SvcUnloadDriver = NtfuzzServiceNumber("NtUnloadDriver");
    SvcDeviceIoControl = NtfuzzServiceNumber("NtDeviceIoControlFile");
    SvcFsControl = NtfuzzServiceNumber("NtFsControlFile");
    SvcRemoveIoCompletion = NtfuzzServiceNumber("NtRemoveIoCompletion");
    SvcShutdown = NtfuzzServiceNumber("NtShutdownSystem");
    SvcQueryDirectoryFile = NtfuzzServiceNumber("NtQueryDirectoryFile");
    SvcNotifyChangeDirectory = NtfuzzServiceNumber("NtNotifyChangeDirectoryFile");
}

/* What the executive may run in the fuzzer: the user APC routine the fuzz
 * queues (APCs run in the fuzzer), and a thread that ends at once. */
static VOID NTAPI NtfuzzApcSink(PVOID Argument1, PVOID Argument2, PVOID Argument3)
{
    (void)Argument1, (void)Argument2, (void)Argument3;
}

static ULONG NTAPI NtfuzzThreadNop(PVOID Argument)
{
    ULONG_PTR Args[2] = {(ULONG_PTR)NtCurrentThread(), 0};

    (void)Argument;
    NtfuzzRawCall(SvcTerminateThread, Args, 2);
    return 0; /* ntdll's thread start ends the thread the same way */
}

static VOID NtfuzzKeepHandle(HANDLE Handle);

/* Real handles to start with: the process and the thread, duplicated. */
static VOID NtfuzzSeedHandles(VOID)
{
    HANDLE Copy;
    ULONG_PTR Args[7] = {(ULONG_PTR)NtCurrentProcess(),
                         0,
                         (ULONG_PTR)NtCurrentProcess(),
                         (ULONG_PTR)&Copy,
                         0,
                         0,
                         2 /* DUPLICATE_SAME_ACCESS */};
    ULONG Round;

    for (Round = 0; Round < 4; Round++) {
        Copy = NULL;
        Args[1] = (ULONG_PTR)(Round & 1 ? NtCurrentThread() : NtCurrentProcess());
        if (NT_SUCCESS(NtfuzzRawCall(SvcDuplicate, Args, 7)) && Copy != NULL)
            NtfuzzKeepHandle(Copy);
    }
}

static ULONG_PTR NtfuzzHandle(VOID)
{
    HANDLE Live = NtfuzzHandles[NtfuzzBelow(NTFUZZ_POOL)];

    if (!NtfuzzHostile()) {
        if (Live != NULL && NtfuzzChance(60))
            return (ULONG_PTR)Live;
        return NtfuzzChance(70) ? (ULONG_PTR)NtCurrentProcess() : (ULONG_PTR)NtCurrentThread();
    }
    switch (NtfuzzBelow(10)) {
    case 0:
        return 0;
    case 1:
        return (ULONG_PTR)NtCurrentProcess();
    case 2:
        return (ULONG_PTR)NtCurrentThread();
    case 3:
        return (ULONG_PTR)-3 - NtfuzzBelow(6);
    case 4:
        return 4 * (1 + NtfuzzBelow(32));
    case 5:
    case 6:
        return (ULONG_PTR)Live;
    case 7:
        return (ULONG_PTR)Live | (1 + NtfuzzBelow(3));
    case 8:
        return NtfuzzRandom() & 0xffffffff;
    default:
        return NtfuzzRandom();
    }
}

/* A pointer whose target the fuzzer controls, or a bad one (never read-only or arena). */
static ULONG_PTR NtfuzzControlledPointer(ULONG64 Size, UCHAR *Class)
{
    ULONG_PTR Pointer;

    do
        Pointer = NtfuzzPointer(Size, Class, FALSE);
    while (*Class == PTR_READONLY);
    return Pointer;
}

static VOID NtfuzzFill(ULONG_PTR Pointer, ULONG64 Size)
{
    PUCHAR Bytes = (PUCHAR)Pointer;
    ULONG64 Index;

    if (!NtfuzzWritable(Pointer, Size))
        return;
    for (Index = 0; Index < Size; Index++)
        Bytes[Index] = (UCHAR)NtfuzzRandom();
}

static VOID NtfuzzStore(ULONG_PTR Pointer, ULONG_PTR Value)
{
    if (NtfuzzWritable(Pointer, sizeof(Value)))
        __builtin_memcpy((PVOID)Pointer, &Value, sizeof(Value));
}

/* A UNICODE_STRING (its structure and buffer) at a random place. */
static ULONG_PTR NtfuzzUnicodeString(UCHAR *Class, BOOLEAN Printable)
{
    ULONG_PTR Pointer = Printable ? NtfuzzControlledPointer(sizeof(UNICODE_STRING), Class)
                                  : NtfuzzPointer(sizeof(UNICODE_STRING), Class, TRUE);
    UNICODE_STRING String;
    UCHAR BufferClass;

    if (!NtfuzzWritable(Pointer, sizeof(String)))
        return Pointer;
    String.Length = (USHORT)(NtfuzzHostile() ? NtfuzzValue(2) : 2 * NtfuzzBelow(0x21));
    String.MaximumLength =
        (USHORT)(NtfuzzHostile() ? NtfuzzValue(2) : String.Length + 2 * NtfuzzBelow(4));
    String.Buffer = (PWSTR)NtfuzzPointer(String.Length, &BufferClass, !Printable);
    if (Printable && (BufferClass == PTR_VALID || BufferClass == PTR_READONLY)) {
        String.Buffer = (PWSTR)NtfuzzBlanks;
        String.Length = (USHORT)NtfuzzBelow(sizeof(NtfuzzBlanks) + 1);
    }
    __builtin_memcpy((PVOID)Pointer, &String, sizeof(String));
    return Pointer;
}

/* An OBJECT_ATTRIBUTES, often well formed, with a random name. */
static ULONG_PTR NtfuzzObjectAttributes(UCHAR *Class)
{
    ULONG_PTR Pointer = NtfuzzPointer(sizeof(OBJECT_ATTRIBUTES), Class, TRUE);
    OBJECT_ATTRIBUTES Attributes;
    UCHAR NameClass;

    if (!NtfuzzWritable(Pointer, sizeof(Attributes)))
        return Pointer;
    __builtin_memset(&Attributes, 0, sizeof(Attributes));
    Attributes.Length = NtfuzzHostile() ? (ULONG)NtfuzzValue(4) : sizeof(Attributes);
    Attributes.RootDirectory = NtfuzzHostile() ? (HANDLE)NtfuzzHandle() : NULL;
    Attributes.ObjectName =
        NtfuzzHostile() ? (PUNICODE_STRING)NtfuzzUnicodeString(&NameClass, FALSE) : NULL;
    Attributes.Attributes = NtfuzzHostile() ? (ULONG)NtfuzzValue(4) : 0;
    Attributes.SecurityDescriptor = NtfuzzHostile() ? (PVOID)NtfuzzRandom() : NULL;
    Attributes.SecurityQualityOfService = NtfuzzHostile() ? (PVOID)NtfuzzRandom() : NULL;
    /* The name may have been built over the structure: write it last. */
    __builtin_memcpy((PVOID)Pointer, &Attributes, sizeof(Attributes));
    return Pointer;
}

/* A CLIENT_ID: often the caller's own, so the open services find something. */
static VOID NtfuzzClientId(ULONG_PTR Pointer)
{
    CLIENT_ID Id = NtCurrentTeb()->ClientId;

    if (NtfuzzHostile())
        Id.UniqueProcess = (HANDLE)NtfuzzValue(0);
    if (NtfuzzHostile())
        Id.UniqueThread = NtfuzzChance(50) ? NULL : (HANDLE)NtfuzzValue(0);
    if (NtfuzzWritable(Pointer, sizeof(Id)))
        __builtin_memcpy((PVOID)Pointer, &Id, sizeof(Id));
}

static VOID NtfuzzParam(NTFUZZ_CALL *Call, const NTFUZZ_SERVICE *Svc, ULONG Index)
{
    const NTFUZZ_PARAM *P = &Svc->Params[Index];
    BOOLEAN Mm = (LONG)Svc->Number == SvcAllocate || (LONG)Svc->Number == SvcFree ||
                 (LONG)Svc->Number == SvcProtect;
    ULONG_PTR *Arg = &Call->Args[Index];

    switch (P->Kind) {
    case NTFUZZ_VALUE:
        *Arg = NtfuzzValue(P->Size);
        break;
    case NTFUZZ_HANDLE:
        *Arg = NtfuzzHandle();
        break;
    case NTFUZZ_ADDR:
        *Arg = NtfuzzChance(80) ? NtfuzzPointer(64, &Call->Class[Index], TRUE) : NtfuzzRandom();
        break;
    case NTFUZZ_IN:
    case NTFUZZ_OUT:
    case NTFUZZ_INOUT:
        *Arg = Mm ? NtfuzzControlledPointer(P->Size, &Call->Class[Index])
                  : NtfuzzPointer(P->Size, &Call->Class[Index], TRUE);
        if (P->Kind != NTFUZZ_OUT)
            NtfuzzFill(*Arg, P->Size);
        break;
    case NTFUZZ_USTRING:
        *Arg = NtfuzzUnicodeString(&Call->Class[Index], (LONG)Svc->Number == SvcDisplay);
        break;
    case NTFUZZ_OBJATTR:
        *Arg = NtfuzzObjectAttributes(&Call->Class[Index]);
        break;
    default: /* NTFUZZ_INBUF, NTFUZZ_OUTBUF */
        NtfuzzBuffer(Arg, &Call->Args[(ULONG)P->LenParam], &Call->Class[Index]);
        break;
    }
}

/* Short waits only: relative up to 2 ms, or absolute in 1601. */
static VOID NtfuzzBoundInterval(ULONG_PTR Pointer)
{
    static const LONG64 Intervals[] = {0, -1, -10, -1000, -20000, 1, 0x100, 10000000};

    NtfuzzStore(Pointer,
                (ULONG_PTR)Intervals[NtfuzzBelow(sizeof(Intervals) / sizeof(Intervals[0]))]);
}

/* For the memory services: an address in the arena or a bad one, and a size
 * that keeps the range in the arena (or is absurd). */
static VOID NtfuzzBoundMemory(NTFUZZ_CALL *Call, ULONG BaseIndex, ULONG SizeIndex)
{
    ULONG_PTR Base = NtfuzzMemoryServiceAddress();
    ULONG_PTR Size;

    if (NtfuzzChance(10))
        Size = NtfuzzChance(50) ? 0x8000000000000000ull : ~0ull - NtfuzzBelow(0x2000);
    else if (NtfuzzChance(15))
        Size = 0;
    else
        Size = 1 + NtfuzzBelow(8 * NTFUZZ_PAGE);
    if (Size <= 8 * NTFUZZ_PAGE && Size > NtfuzzTargetRoom(Base))
        Size = NtfuzzTargetRoom(Base);
    NtfuzzStore(Call->Args[BaseIndex], Base);
    NtfuzzStore(Call->Args[SizeIndex], Size);
}

/* TRUE if Handle may name the fuzzer's own process (thread): it is then
 * never given to a terminate service. */
static BOOLEAN NtfuzzMayBeSelf(ULONG_PTR Handle, LONG QueryService)
{
    UCHAR Buffer[64];
    ULONG_PTR Args[5] = {Handle, 0, (ULONG_PTR)Buffer, sizeof(Buffer), 0};
    NTSTATUS Status;

    if (Handle == 0 || Handle == (ULONG_PTR)NtCurrentProcess() ||
        Handle == (ULONG_PTR)NtCurrentThread() || QueryService < 0)
        return TRUE;
    Status = NtfuzzRawCall(QueryService, Args, 5);
    return Status != STATUS_INVALID_HANDLE && Status != STATUS_OBJECT_TYPE_MISMATCH;
}

/* TRUE if Handle names the fuzzer's own process for certain (its process id). */
static BOOLEAN NtfuzzIsSelfProcess(ULONG_PTR Handle)
{
    ULONG_PTR Info[6] = {0};
    ULONG_PTR Args[5] = {Handle, 0 /* ProcessBasicInformation */, (ULONG_PTR)Info, sizeof(Info), 0};

    if (Handle == (ULONG_PTR)NtCurrentProcess())
        return TRUE;
    return NT_SUCCESS(NtfuzzRawCall(SvcQueryProcess, Args, 5)) &&
           Info[4] == (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
}

/* TRUE if Handle names a process that is certainly not the fuzzer. */
static BOOLEAN NtfuzzIsOtherProcess(ULONG_PTR Handle)
{
    ULONG_PTR Info[6] = {0};
    ULONG_PTR Args[5] = {Handle, 0 /* ProcessBasicInformation */, (ULONG_PTR)Info, sizeof(Info), 0};

    if (Handle == (ULONG_PTR)NtCurrentProcess())
        return FALSE;
    return NT_SUCCESS(NtfuzzRawCall(SvcQueryProcess, Args, 5)) &&
           Info[4] != (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
}

/* A CONTEXT pointer the service cannot capture (NULL or clearly bad). */
static VOID NtfuzzUnusableContext(NTFUZZ_CALL *Call, ULONG Index)
{
    do
        Call->Args[Index] = NtfuzzPointer(0x4d0, &Call->Class[Index], FALSE);
    while (Call->Class[Index] != PTR_NULL && Call->Class[Index] != PTR_BAD);
}

/* An APC routine argument: none, or the routine that does nothing. */
static VOID NtfuzzBoundApc(NTFUZZ_CALL *Call, ULONG Index)
{
    Call->Args[Index] = NtfuzzChance(50) ? 0 : (ULONG_PTR)NtfuzzApcSink;
}

/* A driver service name that names no driver: its last character becomes
 * a control character, which no name may hold (loading real drivers is the
 * io-fuzz suite's job). A name the fuzzer cannot write is NULL, bad or the
 * read-only area's zeros. */
static VOID NtfuzzGarbageDriverName(ULONG_PTR Pointer)
{
    UNICODE_STRING String;

    if (!NtfuzzWritable(Pointer, sizeof(String)))
        return;
    __builtin_memcpy(&String, (PVOID)Pointer, sizeof(String));
    if (String.Length >= sizeof(WCHAR) &&
        NtfuzzWritable((ULONG_PTR)String.Buffer + String.Length - sizeof(WCHAR), sizeof(WCHAR)))
        String.Buffer[String.Length / sizeof(WCHAR) - 1] = 0x0001;
}

/* The policy for the I/O services (84..): FALSE skips the call.
 *   - NtShutdownSystem: only actions Windows does not define (its ULONG,
 *     the low 32 bits, above ShutdownPowerOff 2): INVALID_PARAMETER.
 *   - NtLoadDriver / NtUnloadDriver: garbage names only.
 *   - NtRemoveIoCompletion: a time-out, bounded as the waits' (never NULL,
 *     which would wait for ever on an empty port).
 *   - NtDeviceIoControlFile / NtFsControlFile: the APC routine as
 *     NtReadFile's; each buffer and its length drawn together, so that a
 *     driver's output cannot run past a scratch area into the fuzzer.
 *   - NtQueryDirectoryFile / NtNotifyChangeDirectoryFile (dirctl): the
 *     same, for their APC routine and output buffer (arguments 5 and 6). */
static BOOLEAN NtfuzzPolicyIo(NTFUZZ_CALL *Call)
{
    LONG N = (LONG)Call->Number;

    if (N == SvcShutdown) {
        if ((ULONG)Call->Args[0] <= 2)
            Call->Args[0] += 3 + NtfuzzBelow(8);
    } else if (N == SvcLoadDriver || N == SvcUnloadDriver) {
        NtfuzzGarbageDriverName(Call->Args[0]);
    } else if (N == SvcRemoveIoCompletion) {
        while (Call->Class[4] == PTR_ARENA || Call->Class[4] == PTR_NULL)
            Call->Args[4] = NtfuzzPointer(8, &Call->Class[4], FALSE);
        NtfuzzBoundInterval(Call->Args[4]);
    } else if (N == SvcDeviceIoControl || N == SvcFsControl) {
        NtfuzzBoundApc(Call, 2);
        NtfuzzBuffer(&Call->Args[6], &Call->Args[7], &Call->Class[6]);
        NtfuzzBuffer(&Call->Args[8], &Call->Args[9], &Call->Class[8]);
    } else if (N == SvcQueryDirectoryFile || N == SvcNotifyChangeDirectory) {
        NtfuzzBoundApc(Call, 2);
        NtfuzzBuffer(&Call->Args[5], &Call->Args[6], &Call->Class[5]);
    }
    return TRUE;
}

/* The policy for the services declared with the namespace, waits, files,
 * sections, process creation and context branches: FALSE skips the call. */
static BOOLEAN NtfuzzPolicyLater(NTFUZZ_CALL *Call)
{
    LONG N = (LONG)Call->Number;

    if (N >= SvcLoadDriver && SvcLoadDriver >= 0)
        return NtfuzzPolicyIo(Call);
    /* (The waits' time-outs are bounded in NtfuzzPolicy with NtWaitForSingleObject's.) */
    if (N == SvcSetTimer || N == SvcReadFile || N == SvcWriteFile)
        NtfuzzBoundApc(Call, 2);
    else if (N == SvcQueueApc)
        Call->Args[1] = (ULONG_PTR)NtfuzzApcSink;
    else if (N == SvcSuspendThread)
        return !NtfuzzMayBeSelf(Call->Args[0], SvcQueryThread);
    else if (N == SvcContinue)
        NtfuzzUnusableContext(Call, 0);
    else if (N == SvcSetContext || N == SvcRaiseException)
        NtfuzzUnusableContext(Call, 1);
    else if (N == SvcUnmapView)
        Call->Args[1] = NtfuzzMemoryServiceAddress();
    else if (N == SvcCreateThread && NtfuzzMayBeSelf(Call->Args[3], SvcQueryProcess)) {
        Call->Args[4] = (ULONG_PTR)NtfuzzThreadNop;
        Call->Args[6] &= ~1ull; /* not suspended: it must be able to end */
    }
    return TRUE;
}

/* Gentle memory requests get the flags a program would pass (hostile ones
 * keep their random words), so they reach the address-space code. */
static VOID NtfuzzPlausibleMemoryFlags(NTFUZZ_CALL *Call)
{
    static const ULONG Allocate[] = {0x1000, 0x2000, 0x3000, 0x80000, 0x103000};
    static const ULONG Free[] = {0x4000, 0x8000};
    static const ULONG Protect[] = {0x01, 0x02, 0x04, 0x10, 0x20, 0x40, 0x104, 0x204};
    LONG N = (LONG)Call->Number;

    if (!NtfuzzGentle)
        return;
    if (N == SvcAllocate) {
        Call->Args[2] = 0; /* ZeroBits */
        Call->Args[4] = Allocate[NtfuzzBelow(sizeof(Allocate) / sizeof(Allocate[0]))];
        Call->Args[5] = Protect[NtfuzzBelow(sizeof(Protect) / sizeof(Protect[0]))];
    } else if (N == SvcFree) {
        Call->Args[3] = Free[NtfuzzBelow(sizeof(Free) / sizeof(Free[0]))];
    } else if (N == SvcProtect) {
        Call->Args[3] = Protect[NtfuzzBelow(sizeof(Protect) / sizeof(Protect[0]))];
    }
}

/* Gentle thread (with `threads=1`) and section requests get the arguments a
 * program passes, so that threads start and end and pagefile sections are
 * made and mapped (the harvest closes the handles and unmaps the views).
 * Threads make a run depend on scheduling, hence the switch: `make test`
 * stays reproducible, the long runs (`make fuzz`, `make ntfuzz`) set it. */
BOOLEAN NtfuzzThreads;

static VOID NtfuzzPlausibleObjects(NTFUZZ_CALL *Call)
{
    LONG N = (LONG)Call->Number;

    if (!NtfuzzGentle)
        return;
    if (N == SvcCreateThread && NtfuzzThreads) {
        /* CreateFlags, ZeroBits, StackSize, MaximumStackSize, AttributeList */
        for (ULONG Index = 6; Index <= 10; Index++)
            Call->Args[Index] = 0;
        Call->Args[1] = 0x1fffff; /* THREAD_ALL_ACCESS */
    } else if (N == SvcCreateSection) {
        NtfuzzStore(Call->Args[3], 0x10000); /* MaximumSize: 64 KiB */
        Call->Args[1] = 0xf001f;             /* SECTION_ALL_ACCESS */
        Call->Args[4] = 0x04;                /* PAGE_READWRITE */
        Call->Args[5] = 0x8000000;           /* SEC_COMMIT */
        Call->Args[6] = 0;                   /* pagefile-backed */
    } else if (N == SvcMapView) {
        Call->Args[1] = (ULONG_PTR)NtCurrentProcess();
        NtfuzzStore(Call->Args[2], 0); /* BaseAddress: anywhere */
        Call->Args[3] = Call->Args[4] = 0;
        Call->Args[5] = 0; /* SectionOffset: none (optional) */
        Call->Class[5] = PTR_NULL;
        NtfuzzStore(Call->Args[6], 0); /* ViewSize: the whole section */
        Call->Args[7] = 1 + NtfuzzBelow(2);
        Call->Args[8] = 0;
        Call->Args[9] = 0x04;
    }
}

static BOOLEAN NtfuzzPolicy(NTFUZZ_CALL *Call)
{
    LONG N = (LONG)Call->Number;

    NtfuzzPlausibleObjects(Call);
    if (!NtfuzzPolicyLater(Call))
        return FALSE;
    NtfuzzPlausibleMemoryFlags(Call);

    if (N == SvcTerminateProcess)
        return !NtfuzzMayBeSelf(Call->Args[0], SvcQueryProcess);
    if (N == SvcTerminateThread)
        return !NtfuzzMayBeSelf(Call->Args[0], SvcQueryThread);
    if (N == SvcAllocate)
        NtfuzzBoundMemory(Call, 1, 3);
    else if (N == SvcFree || N == SvcProtect)
        NtfuzzBoundMemory(Call, 1, 2);
    else if (N == SvcWrite) {
        /* The target: the arena, the straddle page or bad; never longer than its room. */
        Call->Args[1] = NtfuzzChance(20) ? NtfuzzStraddleTarget() : NtfuzzMemoryServiceAddress();
        if (Call->Args[3] > NtfuzzTargetRoom(Call->Args[1]))
            Call->Args[3] = NtfuzzBelow(NtfuzzTargetRoom(Call->Args[1]) + 1);
    } else if (N == SvcRead) {
        /* The destination buffer: the same rule as a write's target. */
        Call->Args[2] = NtfuzzChance(20) ? NtfuzzStraddleTarget() : NtfuzzMemoryServiceAddress();
        /* Arena, straddle area or bad: the judge cannot tell which, so it
         * must not hold the class drawn for the replaced pointer. */
        Call->Class[2] = PTR_ARENA;
        if (Call->Args[3] > NtfuzzTargetRoom(Call->Args[2]))
            Call->Args[3] = NtfuzzBelow(NtfuzzTargetRoom(Call->Args[2]) + 1);
    } else if (N == SvcDelay) {
        if (Call->Class[1] == PTR_ARENA)
            Call->Args[1] = 0;
        NtfuzzBoundInterval(Call->Args[1]);
    } else if (N == SvcWait || N == SvcWaitMultiple || N == SvcSignalAndWait || N == SvcWaitKeyed ||
               N == SvcReleaseKeyed) {
        /* The time-out is the last parameter of each. */
        ULONG T = N == SvcWait ? 2 : N == SvcWaitMultiple ? 4 : 3;
        while (Call->Class[T] == PTR_ARENA || Call->Class[T] == PTR_NULL)
            Call->Args[T] = NtfuzzPointer(8, &Call->Class[T], FALSE);
        NtfuzzBoundInterval(Call->Args[T]);
    } else if (N == SvcOpenProcess || N == SvcOpenThread) {
        NtfuzzClientId(Call->Args[3]);
    } else if (N == SvcDuplicate && Call->Args[3] == 0) {
        /* A copy nobody hears of is legal but leaks: only close the source. */
        Call->Args[2] = 0;
    }
    return TRUE;
}

BOOLEAN NtfuzzGenerate(NTFUZZ_CALL *Call)
{
    const NTFUZZ_SERVICE *Svc;
    ULONG Index;

    if (SvcTerminateProcess == -2) {
        NtfuzzFindServices();
        NtfuzzSeedHandles();
    }
    __builtin_memset(Call->Args, 0, sizeof(Call->Args));
    Call->ExtraCaps = 0;
    if (NtfuzzChance(2)) {
        /* Capabilities ntos never asked for: its own endpoint (slot 1; a cap
         * pointer that does not resolve is a cap fault of the sender, which
         * ntos rightly punishes by ending the process). */
        Call->ExtraCaps = 1 + (ULONG)NtfuzzBelow(3);
        for (Index = 0; Index < 3; Index++)
            Call->Caps[Index] = 1;
    }
    __builtin_memset(Call->Class, PTR_VALID, sizeof(Call->Class));
    NtfuzzGentle = FALSE;
    if (NtfuzzChance(3)) {
        /* A number no service has: just above the table, or anything. */
        Call->Number = NtfuzzChance(50) ? NTFUZZ_SERVICE_COUNT + (ULONG)NtfuzzBelow(64)
                                        : (ULONG)NtfuzzRandom();
        if (Call->Number < NTFUZZ_SERVICE_COUNT)
            Call->Number += NTFUZZ_SERVICE_COUNT;
        Call->Count = (ULONG)NtfuzzBelow(NTFUZZ_MAX_PARAMS + 1);
        if (NtfuzzChance(10))
            Call->Count = 100 + (ULONG)NtfuzzBelow(28); /* up to 127: past the 120 MRs */
        for (Index = 0; Index < Call->Count && Index < NTFUZZ_MAX_PARAMS; Index++)
            Call->Args[Index] = NtfuzzValue(0);
        Call->Valid = FALSE;
        return TRUE;
    }
    Svc = &NtfuzzServices[NtfuzzBelow(NTFUZZ_SERVICE_COUNT)];
    NtfuzzGentle = NtfuzzChance(40);
    Call->Number = Svc->Number;
    Call->Count = Svc->ParamCount;
    Call->Valid = TRUE;
    /* Buffers last: NtfuzzBuffer sets the buffer's length parameter too, and
     * that value must not be drawn again afterwards (a length that is not the
     * buffer's lets a service write past the scratch area into the fuzzer). */
    for (Index = 0; Index < Svc->ParamCount; Index++)
        if (Svc->Params[Index].Kind != NTFUZZ_INBUF && Svc->Params[Index].Kind != NTFUZZ_OUTBUF)
            NtfuzzParam(Call, Svc, Index);
    for (Index = 0; Index < Svc->ParamCount; Index++)
        if (Svc->Params[Index].Kind == NTFUZZ_INBUF || Svc->Params[Index].Kind == NTFUZZ_OUTBUF)
            NtfuzzParam(Call, Svc, Index);
    if (NtfuzzChance(3)) {
        /* The wrong number of words: rejected before any argument is read. */
        while (Call->Count == Svc->ParamCount)
            Call->Count = NtfuzzChance(10) ? 100 + (ULONG)NtfuzzBelow(28)
                                           : (ULONG)NtfuzzBelow(NTFUZZ_MAX_PARAMS + 1);
        Call->Valid = FALSE;
        return TRUE;
    }
    return NtfuzzPolicy(Call);
}

/* Closes Handle even if a fuzzed NtSetInformationObject protected it. */
static VOID NtfuzzCloseHandle(HANDLE Handle)
{
    static const UCHAR Flags[2] = {0, 0}; /* Inherit, ProtectFromClose */
    ULONG_PTR Args[4] = {(ULONG_PTR)Handle, 4 /* ObjectHandleFlagInformation */, (ULONG_PTR)Flags,
                         sizeof(Flags)};

    if (SvcSetInformationObject >= 0)
        NtfuzzRawCall(SvcSetInformationObject, Args, 4);
    if (SvcClose >= 0)
        NtfuzzRawCall(SvcClose, Args, 1);
}

static VOID NtfuzzKeepHandle(HANDLE Handle)
{
    HANDLE Old = NtfuzzHandles[NtfuzzHandleNext];

    if (Old != NULL)
        NtfuzzCloseHandle(Old);
    NtfuzzHandles[NtfuzzHandleNext] = Handle;
    NtfuzzHandleNext = (NtfuzzHandleNext + 1) % NTFUZZ_POOL;
}

static VOID NtfuzzRelease(ULONG_PTR Base)
{
    ULONG_PTR Size = 0;
    ULONG_PTR Args[4] = {(ULONG_PTR)NtCurrentProcess(), (ULONG_PTR)&Base, (ULONG_PTR)&Size,
                         MEM_RELEASE};

    NtfuzzRawCall(SvcFree, Args, 4);
}

/* A view NtMapViewOfSection mapped into the fuzzer goes at once. */
static VOID NtfuzzUnmapView(ULONG_PTR Base)
{
    ULONG_PTR Args[2] = {(ULONG_PTR)NtCurrentProcess(), Base};

    NtfuzzRawCall(SvcUnmapView, Args, 2);
}

VOID NtfuzzHarvest(const NTFUZZ_CALL *Call, NTSTATUS Status)
{
    const NTFUZZ_SERVICE *Svc;
    LONG N = (LONG)Call->Number;
    ULONG_PTR Out = 0;
    ULONG Index;

    if (!Call->Valid || !NT_SUCCESS(Status))
        return;
    Svc = &NtfuzzServices[Call->Number];
    for (Index = 0; Index < Svc->ParamCount; Index++) {
        /* The handle went where the pointer says: a scratch area or the arena
         * (its page was writable a moment ago, or the call had failed). */
        if (!Svc->Params[Index].ReturnsHandle ||
            !(NtfuzzWritable(Call->Args[Index], sizeof(Out)) ||
              (NtfuzzInArena(Call->Args[Index]) &&
               NtfuzzInArena(Call->Args[Index] + sizeof(Out) - 1))))
            continue;
        /* A duplicate into another process is that process's handle. */
        if (N == SvcDuplicate && NtfuzzIsOtherProcess(Call->Args[2]))
            continue;
        __builtin_memcpy(&Out, (PVOID)Call->Args[Index], sizeof(Out));
        if (Out != 0)
            NtfuzzKeepHandle((HANDLE)Out);
    }
    if (N == SvcAllocate && NtfuzzWritable(Call->Args[1], sizeof(Out))) {
        __builtin_memcpy(&Out, (PVOID)Call->Args[1], sizeof(Out));
        /* Only the arena may keep what the fuzz allocates. */
        if (!NtfuzzInArena(Out))
            NtfuzzRelease(Out);
    } else if (N == SvcMapView && NtfuzzWritable(Call->Args[2], sizeof(Out)) &&
               NtfuzzIsSelfProcess(Call->Args[1])) {
        __builtin_memcpy(&Out, (PVOID)Call->Args[2], sizeof(Out));
        NtfuzzUnmapView(Out);
    }
}

VOID NtfuzzReleaseHarvest(VOID)
{
    ULONG Index;

    for (Index = 0; Index < NTFUZZ_POOL; Index++)
        NtfuzzKeepHandle(NULL);
}
