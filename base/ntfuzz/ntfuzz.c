/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntfuzz.exe, the hostile test process of suite nt-fuzz: it issues `calls`
 * random service requests (seeded by `seed`; both from the configuration
 * block below, patched by the host with tools/rtconfig.py), checks that
 * each returns a plausible NTSTATUS, checks that the system still works,
 * and reports with the serial test protocol (docs/testing.md), then exits.
 * `trace=1` prints every request before it is sent (to find the one that
 * hangs); `skip=N` leaves service N out of the run; `leaks=1` (the suite
 * sets it) adds the test that the process ends with as many handles as it
 * started with.
 *
 * Plausible means: a number out of range gives INVALID_SYSTEM_SERVICE, a
 * wrong word count INVALID_PARAMETER, and otherwise the status is one the
 * .def declares for the service, never a success when a required pointer
 * is NULL or clearly bad (or partly unmapped for a fixed-size object), nor
 * when an out pointer is read-only; and nothing ever changes the read-only
 * area.
 */
#include "ntfuzz.h"

#define NTFUZZ_DEFAULT_SEED  1
#define NTFUZZ_DEFAULT_CALLS 50000
#define NTFUZZ_STACK_SCRATCH 2048
#define NTFUZZ_CONFIG_MAGIC  16
#define NTFUZZ_PROGRESS      5000

NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);
NTSYSAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                                          HANDLE TargetProcessHandle, PHANDLE TargetHandle,
                                          ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                          ULONG Options);

/* The configuration block (same layout as tests/kernel/lib/config.c). */
__attribute__((used, aligned(16))) char NtfuzzConfig[256] = "NEREID-CONFIG-V1";

typedef struct _NTFUZZ_RESULT {
    ULONG64 Issued, Skipped, Anomalies, Successes;
    /* By service number; [NTFUZZ_MAX_SERVICES]: numbers no service has. */
    ULONG64 PerService[NTFUZZ_MAX_SERVICES + 1], PerServiceSuccess[NTFUZZ_MAX_SERVICES + 1];
    BOOLEAN Have;
    NTFUZZ_CALL First;
    NTSTATUS FirstStatus;
    const char *FirstWhy;
} NTFUZZ_RESULT;

static NTFUZZ_RESULT NtfuzzResult;

VOID NtfuzzPrint(const char *Format, ...)
{
    CHAR Text[512];
    WCHAR Wide[512];
    UNICODE_STRING String;
    va_list Arguments;
    int Length, Index;

    va_start(Arguments, Format);
    Length = _vsnprintf(Text, sizeof(Text) - 1, Format, Arguments);
    va_end(Arguments);
    if (Length < 0 || Length > (int)sizeof(Text) - 1)
        Length = sizeof(Text) - 1;
    for (Index = 0; Index < Length; Index++)
        Wide[Index] = (WCHAR)(UCHAR)Text[Index];
    String.Buffer = Wide;
    String.Length = (USHORT)(Length * sizeof(WCHAR));
    String.MaximumLength = sizeof(Wide);
    NtDisplayString(&String);
}

/* `key=value` of the configuration block (decimal or 0x-hex), or Default. */
static ULONG64 NtfuzzConfigValue(const char *Key, ULONG64 Default)
{
    const volatile char *P = NtfuzzConfig + NTFUZZ_CONFIG_MAGIC;
    const char *K;
    ULONG64 Value;
    ULONG Base;

    while (*P) {
        while (*P == ' ')
            P++;
        for (K = Key; *K && *P == *K; K++, P++)
            ;
        if (*K == 0 && *P == '=') {
            P++;
            Base = (P[0] == '0' && (P[1] == 'x' || P[1] == 'X')) ? 16 : 10;
            P += Base == 16 ? 2 : 0;
            for (Value = 0;; P++) {
                char C = *P;
                ULONG Digit = C >= '0' && C <= '9'   ? (ULONG)(C - '0')
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

static BOOLEAN NtfuzzDeclared(const NTFUZZ_SERVICE *Svc, NTSTATUS Status)
{
    ULONG Index;

    for (Index = 0; Index < Svc->StatusCount; Index++)
        if (Svc->Statuses[Index] == Status)
            return TRUE;
    return FALSE;
}

/* Why Status is implausible for Call, or NULL. */
static const char *NtfuzzJudge(const NTFUZZ_CALL *Call, NTSTATUS Status)
{
    const NTFUZZ_SERVICE *Svc;
    ULONG Index;

    if (Call->Number >= NtfuzzServiceCount)
        return Status == STATUS_INVALID_SYSTEM_SERVICE ? NULL : "number out of range";
    Svc = &NtfuzzTable[Call->Number];
    if (Call->Count != Svc->ParamCount)
        return Status == STATUS_INVALID_PARAMETER ? NULL : "wrong argument count";
    if (!NtfuzzDeclared(Svc, Status))
        return "status not declared in services.def";
    if (!NT_SUCCESS(Status))
        return NULL;
    for (Index = 0; Index < Svc->ParamCount; Index++) {
        const NTFUZZ_PARAM *P = &Svc->Params[Index];
        UCHAR Class = Call->Class[Index];

        switch (P->Kind) {
        case NTFUZZ_IN:
        case NTFUZZ_OUT:
        case NTFUZZ_INOUT:
        case NTFUZZ_USTRING:
        case NTFUZZ_OBJATTR:
            if (Class == PTR_NULL && !P->Opt)
                return "success with a NULL required pointer";
            if (Class == PTR_BAD || Class == PTR_PARTIAL)
                return "success with a bad pointer";
            if (Class == PTR_READONLY && P->Kind != NTFUZZ_IN && P->Kind != NTFUZZ_USTRING &&
                P->Kind != NTFUZZ_OBJATTR)
                return "success with a read-only out pointer";
            break;
        case NTFUZZ_INBUF:
        case NTFUZZ_OUTBUF:
            if (Call->Args[(ULONG)P->LenParam] != 0 && Class == PTR_BAD)
                return "success with a bad buffer";
            if (Call->Args[(ULONG)P->LenParam] != 0 && Class == PTR_NULL && !P->Opt)
                return "success with a NULL buffer";
            break;
        default:
            break;
        }
    }
    return NULL;
}

static VOID NtfuzzTrace(const char *What, const NTFUZZ_CALL *Call, NTSTATUS Status)
{
    CHAR Line[400];
    int Length;
    ULONG Index;
    const char *Name = Call->Number < NtfuzzServiceCount ? NtfuzzTable[Call->Number].Name : "?";

    Length = _snprintf(Line, sizeof(Line),
                       "%s call %llu: service %lu (%s) words %lu caps %lu:", What, Call->Index,
                       (ULONG)Call->Number, Name, (ULONG)Call->Count, (ULONG)Call->ExtraCaps);
    for (Index = 0; Index < Call->Count && Index < NTFUZZ_MAX_PARAMS && Length > 0 &&
                    Length < (int)sizeof(Line) - 24;
         Index++)
        Length +=
            _snprintf(Line + Length, sizeof(Line) - Length, " %llx", (ULONG64)Call->Args[Index]);
    NtfuzzPrint("%s -> 0x%08lx\n", Line, (ULONG)Status);
}

/* The loop; its frame holds the stack scratch area the arguments may use. */
static VOID NtfuzzRun(ULONG64 Calls, BOOLEAN Trace, ULONG64 Skip)
{
    UCHAR Scratch[NTFUZZ_STACK_SCRATCH] __attribute__((aligned(16)));
    NTFUZZ_RESULT *R = &NtfuzzResult;
    NTFUZZ_CALL Call;
    NTSTATUS Status;
    const char *Why;
    ULONG Slot;

    NtfuzzSetStackScratch(Scratch, sizeof(Scratch));
    while (R->Issued < Calls) {
        if (!NtfuzzGenerate(&Call) || Call.Number == Skip) {
            R->Skipped++;
            continue;
        }
        Call.Index = R->Issued;
        if (Trace)
            NtfuzzTrace("ntfuzz: send", &Call, 0);
        Status = NtfuzzRawCallEx(Call.Number, Call.Args,
                                 Call.Count < NTFUZZ_MAX_PARAMS ? Call.Count : NTFUZZ_MAX_PARAMS,
                                 Call.Count, Call.ExtraCaps, Call.Caps);
        R->Issued++;
        Slot = Call.Number < NtfuzzServiceCount ? Call.Number : NTFUZZ_MAX_SERVICES;
        R->PerService[Slot]++;
        if (NT_SUCCESS(Status)) {
            R->Successes++;
            R->PerServiceSuccess[Slot]++;
        }
        Why = NtfuzzJudge(&Call, Status);
        if (Why == NULL && (R->Issued % 256 == 0) && !NtfuzzReadOnlyIntact())
            Why = "the read-only area changed (in the last 256 calls)";
        if (Why != NULL) {
            R->Anomalies++;
            if (R->Anomalies <= 10)
                NtfuzzTrace(Why, &Call, Status);
            if (!R->Have) {
                R->Have = TRUE;
                R->First = Call;
                R->FirstStatus = Status;
                R->FirstWhy = Why;
            }
        }
        NtfuzzHarvest(&Call, Status);
        if (R->Issued % NTFUZZ_PROGRESS == 0)
            NtfuzzPrint("ntfuzz: %llu calls, %llu anomalies\n", R->Issued, R->Anomalies);
    }
    NtfuzzSetStackScratch(NULL, 0);
}

/* The number of handles of the process (ProcessHandleCount), or ~0. */
static ULONG NtfuzzHandleCount(VOID)
{
    ULONG Count = ~0u;
    ULONG_PTR Args[5] = {(ULONG_PTR)NtCurrentProcess(), 20 /* ProcessHandleCount */,
                         (ULONG_PTR)&Count, sizeof(Count), 0};
    LONG Number = NtfuzzServiceNumber("NtQueryInformationProcess");

    if (Number < 0 || !NT_SUCCESS(NtfuzzRawCall(Number, Args, 5)))
        return ~0u;
    return Count;
}

/* After the storm: time, console and handles still work through ntdll. */
static const char *NtfuzzSystemWorks(VOID)
{
    LARGE_INTEGER Time;
    HANDLE Copy = NULL;
    NTSTATUS Status;
    ULONG Count = NtfuzzHandleCount();

    Status = NtQuerySystemTime(&Time);
    if (!NT_SUCCESS(Status) && Status != STATUS_NOT_SUPPORTED)
        return "NtQuerySystemTime failed";
    if (!NT_SUCCESS(NtDisplayString(&(UNICODE_STRING){0, 0, NULL})))
        return "NtDisplayString failed";
    Status = NtDuplicateObject(NtCurrentProcess(), NtCurrentProcess(), NtCurrentProcess(), &Copy, 0,
                               0, 2 /* DUPLICATE_SAME_ACCESS */);
    if (!NT_SUCCESS(Status) || Copy == NULL)
        return "NtDuplicateObject of the current process failed";
    if (Count != ~0u && NtfuzzHandleCount() != Count + 1)
        return "the duplicate is not counted in ProcessHandleCount";
    if (!NT_SUCCESS(NtClose(Copy)))
        return "NtClose of the duplicate failed";
    if (NtClose(Copy) != STATUS_INVALID_HANDLE)
        return "a closed handle still closes";
    return NULL;
}

static VOID NtfuzzReport(ULONG64 Calls, ULONG HandlesBefore, BOOLEAN LeakTest)
{
    ULONG HandlesAfter;
    NTFUZZ_RESULT *R = &NtfuzzResult;
    const char *Why;
    ULONG Index;

    NtfuzzPrint("\n");
    for (Index = 0; Index < NtfuzzServiceCount; Index++)
        NtfuzzPrint("ntfuzz: %2lu %-30s %6llu calls %6llu successes\n", Index,
                    NtfuzzTable[Index].Name, R->PerService[Index], R->PerServiceSuccess[Index]);
    NtfuzzPrint("ntfuzz: numbers no service has: %llu calls\n", R->PerService[NTFUZZ_MAX_SERVICES]);
    NtfuzzPrint("ntfuzz: %llu calls, %llu successes, %llu skipped by the policy, %llu anomalies\n",
                R->Issued, R->Successes, R->Skipped, R->Anomalies);
    if (R->Issued == Calls)
        NtfuzzPrint("TEST-PASS nt-fuzz.calls_completed\n");
    else
        NtfuzzPrint("TEST-FAIL nt-fuzz.calls_completed: %llu of %llu\n", R->Issued, Calls);
    if (!NtfuzzReadOnlyIntact() && !R->Have) {
        R->Anomalies++;
        R->Have = TRUE;
        R->FirstWhy = "the read-only area changed";
    }
    if (!R->Have) {
        NtfuzzPrint("TEST-PASS nt-fuzz.statuses_plausible\n");
    } else {
        CHAR Args[200];
        int Length = 0;

        Args[0] = 0;
        for (Index = 0;
             Index < R->First.Count && Index < NTFUZZ_MAX_PARAMS && Length >= 0 && Length < 170;
             Index++)
            Length += _snprintf(Args + Length, sizeof(Args) - Length, " %llx",
                                (ULONG64)R->First.Args[Index]);
        NtfuzzPrint("TEST-FAIL nt-fuzz.statuses_plausible: %llu anomalies; first at call %llu: "
                    "%s: service %lu words %lu caps %lu args%s -> 0x%08lx\n",
                    R->Anomalies, R->First.Index, R->FirstWhy, (ULONG)R->First.Number,
                    (ULONG)R->First.Count, (ULONG)R->First.ExtraCaps, Args, (ULONG)R->FirstStatus);
    }
    HandlesAfter = NtfuzzHandleCount();
    NtfuzzReleaseHarvest();
    NtfuzzPrint("ntfuzz: handles before %lu, at the end %lu, after closing the pool %lu\n",
                HandlesBefore, HandlesAfter, NtfuzzHandleCount());
    HandlesAfter = NtfuzzHandleCount();
    if (LeakTest && HandlesAfter == HandlesBefore && HandlesBefore != ~0u)
        NtfuzzPrint("TEST-PASS nt-fuzz.no_handle_leak\n");
    else if (LeakTest)
        NtfuzzPrint("TEST-FAIL nt-fuzz.no_handle_leak: %lu handles before, %lu after\n",
                    HandlesBefore, HandlesAfter);
    Why = NtfuzzSystemWorks();
    if (Why == NULL)
        NtfuzzPrint("TEST-PASS nt-fuzz.system_works\n");
    else
        NtfuzzPrint("TEST-FAIL nt-fuzz.system_works: %s\n", Why);
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    ULONG64 Seed = NtfuzzConfigValue("seed", NTFUZZ_DEFAULT_SEED);
    ULONG64 Calls = NtfuzzConfigValue("calls", NTFUZZ_DEFAULT_CALLS);
    BOOLEAN Trace = NtfuzzConfigValue("trace", 0) != 0;
    ULONG64 Skip = NtfuzzConfigValue("skip", ~0ull);
    BOOLEAN LeakTest = NtfuzzConfigValue("leaks", 0) != 0;
    ULONG HandlesBefore;

    (void)Peb;
    NtfuzzPrint("ntfuzz: seed=%llu calls=%llu services=%lu\n", Seed, Calls,
                (ULONG)NtfuzzServiceCount);
    NtfuzzSeed(Seed);
    if (!NtfuzzSetUpMemory()) {
        NtfuzzPrint("TEST-FAIL nt-fuzz.setup: no memory for the fuzzer\n");
    } else {
        HandlesBefore = NtfuzzHandleCount();
        NtfuzzRun(Calls, Trace, Skip);
        NtfuzzReport(Calls, HandlesBefore, LeakTest);
    }
    NtfuzzPrint("SUITE-END nt-fuzz\n");
    NtTerminateProcess(NtCurrentProcess(), 0);
    return 0;
}
