/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The generated dispatcher and unmarshallers (build/ntos/ntsvc_table.c from
 * ntos/services.def) with the capture routines (ntos/ke/svccapture.c) and
 * the ke handlers (display, yield, time): numbers and argument counts,
 * required and optional pointers, bad and misaligned pointers, counted
 * string lengths, write-back rules.
 */

#include "test.h"

/* ---- dispatch ------------------------------------------------------------------------ */

TEST(dispatch_unknown_number)
{
    CHECK_STATUS(Call(NTSVC_COUNT, 0), STATUS_INVALID_SYSTEM_SERVICE);
    CHECK_STATUS(Call(0x7fffffff, 1, 4), STATUS_INVALID_SYSTEM_SERVICE);
    CHECK_STATUS(Call(~(seL4_Word)0, 0), STATUS_INVALID_SYSTEM_SERVICE);
}

TEST(dispatch_wrong_argument_count)
{
    ULONG_PTR Counter = UserAlloc(8);

    CHECK_STATUS(Call(NTSVC_Close, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Call(NTSVC_Close, 2, 4, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(Call(NTSVC_YieldExecution, 1, 0), STATUS_INVALID_PARAMETER);
    /* A rejected call has no effect: the counter is not written. */
    FakeEnableTsc(1000);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 1, Counter), STATUS_INVALID_PARAMETER);
    CHECK_EQ(*(LONGLONG *)Counter, 0);
}

TEST(dispatch_names_and_presence)
{
    CHECK(strcmp(KiServiceName(NTSVC_Close), "NtClose") == 0);
    CHECK(strcmp(KiServiceName(NTSVC_DisplayString), "NtDisplayString") == 0);
    CHECK(KiServiceName(NTSVC_COUNT) == NULL);
    CHECK(KiServiceImplemented(NTSVC_Close));
    CHECK(KiServiceImplemented(NTSVC_QueryObject));
    /* ps/ is not linked into this program. */
    CHECK(!KiServiceImplemented(NTSVC_TerminateProcess));
    CHECK(!KiServiceImplemented(NTSVC_COUNT));
}

TEST(dispatch_handler_not_linked)
{
    CHECK_STATUS(Call(NTSVC_TerminateProcess, 2, -1, 0), STATUS_NOT_IMPLEMENTED);
    CHECK_STATUS(Call(NTSVC_TerminateThread, 2, 0, 0), STATUS_NOT_IMPLEMENTED);
}

TEST(yield_answers)
{
    CHECK_STATUS(Call(NTSVC_YieldExecution, 0), STATUS_SUCCESS);
}

/* ---- NtDisplayString: a captured UNICODE_STRING --------------------------------------------- */

TEST(display_prints)
{
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, UserUnicodeString("hello, world\n")), STATUS_SUCCESS);
    CHECK_EQ(FakeConsoleLength, 13);
    CHECK(memcmp(FakeConsole, "hello, world\n", 13) == 0);
}

TEST(display_long_string_in_chunks)
{
    char Text[1001];

    memset(Text, 'x', 1000);
    Text[1000] = 0;
    Text[999] = '!';
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, UserUnicodeString(Text)), STATUS_SUCCESS);
    CHECK_EQ(FakeConsoleLength, 1000);
    CHECK(memcmp(FakeConsole, Text, 1000) == 0);
}

TEST(display_non_ascii_becomes_question_mark)
{
    ULONG_PTR At = UserUnicodeString("a-b");
    UNICODE_STRING *String = (UNICODE_STRING *)At;

    String->Buffer[1] = 0x00e9;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_SUCCESS);
    CHECK_EQ(FakeConsoleLength, 3);
    CHECK(memcmp(FakeConsole, "a?b", 3) == 0);
}

TEST(display_empty_string)
{
    UNICODE_STRING *String = (UNICODE_STRING *)UserAlloc(sizeof(*String));

    CHECK_STATUS(Call(NTSVC_DisplayString, 1, (ULONG_PTR)String), STATUS_SUCCESS);
    CHECK_EQ(FakeConsoleLength, 0);
}

TEST(display_null_is_access_violation)
{
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, 0), STATUS_ACCESS_VIOLATION);
}

TEST(display_odd_length)
{
    ULONG_PTR At = UserUnicodeString("abc");

    ((UNICODE_STRING *)At)->Length = 3;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_INVALID_PARAMETER);
    CHECK_EQ(FakeConsoleLength, 0);
}

TEST(display_length_above_maximum)
{
    ULONG_PTR At = UserUnicodeString("abc");

    ((UNICODE_STRING *)At)->MaximumLength = 4;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_INVALID_PARAMETER);
}

TEST(display_bad_pointers)
{
    ULONG_PTR At = UserUnicodeString("abc");

    /* The structure unmapped, in the first 64 KiB, in ntos's half, misaligned. */
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, FAKE_UNMAPPED), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, 0x1000), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, 0xffff800000001000ull), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At + 2), STATUS_DATATYPE_MISALIGNMENT);
    /* The buffer: unmapped, misaligned, running past the end of user space. */
    ((UNICODE_STRING *)At)->Buffer = (PWSTR)FAKE_UNMAPPED;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_ACCESS_VIOLATION);
    ((UNICODE_STRING *)At)->Buffer = (PWSTR)(UserAlloc(8) + 1);
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_DATATYPE_MISALIGNMENT);
    ((UNICODE_STRING *)At)->Buffer = (PWSTR)(MM_USER_TOP - 3);
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_ACCESS_VIOLATION);
    CHECK_EQ(FakeConsoleLength, 0);
}

TEST(display_buffer_partly_unmapped)
{
    ULONG_PTR At = UserAlloc(sizeof(UNICODE_STRING));
    UNICODE_STRING *String = (UNICODE_STRING *)At;

    /* The last 4 bytes of the arena, but 8 bytes long. */
    String->Buffer = (PWSTR)((ULONG_PTR)FakeUserArena + sizeof(FakeUserArena) - 4);
    String->Length = String->MaximumLength = 8;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_ACCESS_VIOLATION);
    /* Reading a read-only page is fine. */
    String->Length = 4;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, At), STATUS_SUCCESS);
}

TEST(display_pool_exhausted)
{
    FakePoolFailAfter = 0;
    CHECK_STATUS(Call(NTSVC_DisplayString, 1, UserUnicodeString("abc")),
                 STATUS_INSUFFICIENT_RESOURCES);
}

/* ---- out pointers: NtQueryPerformanceCounter, NtQuerySystemTime ------------------------- */

TEST(first_performance_counter_without_tsc)
{
    LARGE_INTEGER *Counter = (LARGE_INTEGER *)UserAlloc(16);

    KiBootInfo = NULL;
    Counter[0].QuadPart = 77;
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, (ULONG_PTR)Counter, 0),
                 STATUS_NOT_IMPLEMENTED);
    CHECK_EQ(Counter[0].QuadPart, 77); /* not written on failure */
}

TEST(performance_counter_and_frequency)
{
    LARGE_INTEGER *Out = (LARGE_INTEGER *)UserAlloc(32);

    FakeEnableTsc(1000);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, (ULONG_PTR)&Out[0], (ULONG_PTR)&Out[1]),
                 STATUS_SUCCESS);
    CHECK_EQ(Out[1].QuadPart, 10000000);
    CHECK(Out[0].QuadPart > 0);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, (ULONG_PTR)&Out[2], 0), STATUS_SUCCESS);
    CHECK(Out[2].QuadPart >= Out[0].QuadPart);
}

TEST(performance_counter_optional_null)
{
    LARGE_INTEGER *Out = (LARGE_INTEGER *)UserAlloc(32);

    FakeEnableTsc(2000);
    Out[1].QuadPart = 5;
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, (ULONG_PTR)Out, 0), STATUS_SUCCESS);
    CHECK(Out[0].QuadPart != 0);
    CHECK_EQ(Out[1].QuadPart, 5);
}

TEST(performance_counter_required_null)
{
    LARGE_INTEGER *Out = (LARGE_INTEGER *)UserAlloc(16);

    FakeEnableTsc(1000);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, 0, (ULONG_PTR)Out),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Out[0].QuadPart, 0);
}

TEST(performance_counter_bad_pointers)
{
    ULONG_PTR Out = UserAlloc(32), Aligned4 = UserAlloc(16);

    FakeEnableTsc(1000);
    /* align=4: 4-aligned is accepted, 2-aligned is not. */
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, Aligned4 + 4, 0), STATUS_SUCCESS);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, Out + 2, 0), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, FAKE_UNMAPPED, 0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, Out, FAKE_UNMAPPED),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(*(LONGLONG *)Out, 0); /* the probe failed before the handler ran */
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, MM_USER_TOP - 3, 0),
                 STATUS_ACCESS_VIOLATION);
}

TEST(performance_counter_read_only_target)
{
    FakeEnableTsc(1000);
    /* Readable, so the probe passes; the write-back fails. */
    CHECK_STATUS(Call(NTSVC_QueryPerformanceCounter, 2, FAKE_READONLY_PAGE, 0),
                 STATUS_ACCESS_VIOLATION);
}

/* 2024-02-29 23:59:58 as BCD, 24-hour, century register 0x20. */
static void SetCmosBcd(void)
{
    memset(&FakeCmos, 0, sizeof(FakeCmos));
    FakeCmos.Regs[KiCmosSeconds] = 0x58;
    FakeCmos.Regs[KiCmosMinutes] = 0x59;
    FakeCmos.Regs[KiCmosHours] = 0x23;
    FakeCmos.Regs[KiCmosDay] = 0x29;
    FakeCmos.Regs[KiCmosMonth] = 0x02;
    FakeCmos.Regs[KiCmosYear] = 0x24;
    FakeCmos.Regs[KiCmosCentury] = 0x20;
    FakeCmos.Regs[KiCmosStatusB] = 0x02;
}

static LONGLONG NtTime(CSHORT Year, CSHORT Month, CSHORT Day, CSHORT Hour, CSHORT Minute,
                       CSHORT Second)
{
    TIME_FIELDS Fields = {Year, Month, Day, Hour, Minute, Second, 0, 0};
    LARGE_INTEGER Time = {.QuadPart = -1};

    RtlTimeFieldsToTime(&Fields, &Time);
    return Time.QuadPart;
}

TEST(cmos_clock_bcd_24_hour)
{
    LARGE_INTEGER Time;

    SetCmosBcd();
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_SUCCESS);
    CHECK_EQ(Time.QuadPart, NtTime(2024, 2, 29, 23, 59, 58));
}

TEST(cmos_clock_binary_12_hour)
{
    LARGE_INTEGER Time;

    SetCmosBcd();
    FakeCmos.Regs[KiCmosStatusB] = 0x04; /* binary, 12-hour */
    FakeCmos.Regs[KiCmosYear] = 99;
    FakeCmos.Regs[KiCmosCentury] = 0; /* none: 1970..2069 */
    FakeCmos.Regs[KiCmosMonth] = 12;
    FakeCmos.Regs[KiCmosDay] = 31;
    FakeCmos.Regs[KiCmosMinutes] = 30;
    FakeCmos.Regs[KiCmosSeconds] = 5;
    FakeCmos.Regs[KiCmosHours] = 0x80 | 12; /* 12 PM */
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_SUCCESS);
    CHECK_EQ(Time.QuadPart, NtTime(1999, 12, 31, 12, 30, 5));
    FakeCmos.Regs[KiCmosHours] = 12; /* 12 AM */
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_SUCCESS);
    CHECK_EQ(Time.QuadPart, NtTime(1999, 12, 31, 0, 30, 5));
    FakeCmos.Regs[KiCmosHours] = 0x80 | 7; /* 7 PM */
    FakeCmos.Regs[KiCmosYear] = 5;
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_SUCCESS);
    CHECK_EQ(Time.QuadPart, NtTime(2005, 12, 31, 19, 30, 5));
}

TEST(cmos_clock_invalid_date)
{
    LARGE_INTEGER Time;

    SetCmosBcd();
    FakeCmos.Regs[KiCmosMonth] = 0x13;
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_INVALID_PARAMETER);
    SetCmosBcd();
    FakeCmos.Regs[KiCmosYear] = 0x23; /* 2023-02-29 does not exist */
    CHECK_STATUS(KiCmosClockToTime(&FakeCmos, &Time), STATUS_INVALID_PARAMETER);
}

TEST(system_time_from_cmos_and_tsc)
{
    LARGE_INTEGER *Out = (LARGE_INTEGER *)UserAlloc(16);
    LONGLONG Expected = NtTime(2024, 2, 29, 23, 59, 58);

    SetCmosBcd();
    FakeEnableTsc(1000);
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)&Out[0]), STATUS_SUCCESS);
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)&Out[1]), STATUS_SUCCESS);
    /* Read once, then carried by the TSC: later, never earlier. */
    CHECK(Out[0].QuadPart >= Expected && Out[0].QuadPart < Expected + 600 * 10000000ll);
    CHECK(Out[1].QuadPart >= Out[0].QuadPart);
    CHECK(FakeCmosReads <= 1);
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, 0), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)Out + 2), STATUS_DATATYPE_MISALIGNMENT);
}

TEST(first_system_time_without_tsc_or_clock)
{
    LARGE_INTEGER *Out = (LARGE_INTEGER *)UserAlloc(8);

    KiBootInfo = NULL;
    Out->QuadPart = 9;
    FakeCmosStatus = STATUS_NOT_SUPPORTED;
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)Out), STATUS_NOT_SUPPORTED);
    CHECK_EQ(Out->QuadPart, 9); /* not written on failure */
    /* Without a TSC rate the clock is read on every query. */
    FakeCmosStatus = STATUS_SUCCESS;
    SetCmosBcd();
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)Out), STATUS_SUCCESS);
    CHECK_EQ(Out->QuadPart, NtTime(2024, 2, 29, 23, 59, 58));
    FakeCmos.Regs[KiCmosSeconds] = 0x59;
    CHECK_STATUS(Call(NTSVC_QuerySystemTime, 1, (ULONG_PTR)Out), STATUS_SUCCESS);
    CHECK_EQ(Out->QuadPart, NtTime(2024, 2, 29, 23, 59, 59));
    CHECK_EQ(FakeCmosReads, 3);
}

/* ---- capture routines directly ---------------------------------------------------------- */

TEST(capture_object_attributes)
{
    OBJECT_ATTRIBUTES *Oa = (OBJECT_ATTRIBUTES *)UserAlloc(sizeof(*Oa));
    CAPTURED_OBJECT_ATTRIBUTES Cap;

    Oa->Length = sizeof(*Oa);
    Oa->RootDirectory = (HANDLE)8;
    Oa->ObjectName = (PUNICODE_STRING)UserUnicodeString("\\Device\\Null");
    Oa->Attributes = OBJ_CASE_INSENSITIVE;
    Oa->SecurityDescriptor = (PVOID)0x1234;
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, (ULONG_PTR)Oa, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_SUCCESS);
    CHECK(Cap.ObjectName == &Cap.Name);
    CHECK_EQ(Cap.Name.Length, 24);
    CHECK(Cap.Name.Buffer != Oa->ObjectName->Buffer); /* a copy in ntos */
    CHECK(memcmp(Cap.Name.Buffer, Oa->ObjectName->Buffer, 24) == 0);
    CHECK_EQ((ULONG_PTR)Cap.RootDirectory, 8);
    CHECK_EQ(Cap.Attributes, OBJ_CASE_INSENSITIVE);
    CHECK_EQ(Cap.SecurityDescriptor.Value, 0x1234);
    KiReleaseObjectAttributes(&Cap);
    CHECK(Cap.Name.Buffer == NULL);
}

TEST(capture_object_attributes_rejects)
{
    OBJECT_ATTRIBUTES *Oa = (OBJECT_ATTRIBUTES *)UserAlloc(sizeof(*Oa));
    CAPTURED_OBJECT_ATTRIBUTES Cap;

    Oa->Length = sizeof(*Oa) - 8;
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, (ULONG_PTR)Oa, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_INVALID_PARAMETER);
    Oa->Length = sizeof(*Oa);
    Oa->Attributes = 0x80000000u;
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, (ULONG_PTR)Oa, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_INVALID_PARAMETER);
    Oa->Attributes = 0;
    Oa->ObjectName = (PUNICODE_STRING)UserUnicodeString("abc");
    Oa->ObjectName->Length = 5;
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, (ULONG_PTR)Oa, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_OBJECT_NAME_INVALID);
    Oa->ObjectName = NULL;
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, (ULONG_PTR)Oa, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_SUCCESS);
    CHECK(Cap.ObjectName == NULL);
    KiReleaseObjectAttributes(&Cap);
    CHECK_STATUS(
        KiCaptureObjectAttributes(FakeProcess, FAKE_UNMAPPED, &Cap, STATUS_OBJECT_NAME_INVALID),
        STATUS_ACCESS_VIOLATION);
}

TEST(probe_user_buffer)
{
    USER_BUFFER Buffer;
    ULONG_PTR At = UserAlloc(64);

    CHECK_STATUS(KiProbeUserBuffer(At, 64, FALSE, STATUS_ACCESS_VIOLATION, &Buffer),
                 STATUS_SUCCESS);
    CHECK_EQ(Buffer.Address, At);
    CHECK_EQ(Buffer.Length, 64);
    /* Length 0: nothing is touched, any address will do (as on Windows). */
    CHECK_STATUS(
        KiProbeUserBuffer(0xffff800000000000ull, 0, FALSE, STATUS_ACCESS_VIOLATION, &Buffer),
        STATUS_SUCCESS);
    CHECK_EQ(Buffer.Length, 0);
    CHECK_STATUS(KiProbeUserBuffer(0, 16, FALSE, STATUS_INVALID_PARAMETER, &Buffer),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(KiProbeUserBuffer(0, 16, TRUE, STATUS_INVALID_PARAMETER, &Buffer), STATUS_SUCCESS);
    CHECK_EQ(Buffer.Address, 0);
    CHECK_EQ(Buffer.Length, 0);
    CHECK_STATUS(KiProbeUserBuffer(At, ~(SIZE_T)0 - 8, FALSE, STATUS_ACCESS_VIOLATION, &Buffer),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(KiProbeUserBuffer(MM_USER_TOP, 2, FALSE, STATUS_ACCESS_VIOLATION, &Buffer),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(KiProbeUserBuffer(MM_USER_TOP, 1, FALSE, STATUS_ACCESS_VIOLATION, &Buffer),
                 STATUS_SUCCESS);
}

TEST(probe_class_buffer)
{
    ULONG_PTR At = UserAlloc(64);
    USER_BUFFER Buffer = {At, 16};

    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_WRITE), STATUS_SUCCESS);
    Buffer.Address = At + 2;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_READ), STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 2, KI_PROBE_READ), STATUS_SUCCESS);
    Buffer.Address = At + 1;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 1, KI_PROBE_READ), STATUS_SUCCESS);
    /* Length 0: nothing is checked, not even the alignment (Windows). */
    Buffer.Length = 0;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 8, KI_PROBE_WRITE), STATUS_SUCCESS);
    /* NULL and unmapped buffers pass a read probe (the copy fails later),
     * not a write probe, which touches them. */
    Buffer.Address = 0;
    Buffer.Length = 16;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_READ), STATUS_SUCCESS);
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_WRITE), STATUS_ACCESS_VIOLATION);
    Buffer.Address = FAKE_UNMAPPED;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_READ), STATUS_SUCCESS);
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_WRITE), STATUS_ACCESS_VIOLATION);
    Buffer.Address = FAKE_READONLY_PAGE;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_WRITE), STATUS_ACCESS_VIOLATION);
    /* Past the top of user space or wrapping: refused by either. */
    Buffer.Address = MM_USER_TOP + 1 - 8;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_READ), STATUS_ACCESS_VIOLATION);
    Buffer.Address = At;
    Buffer.Length = ~(SIZE_T)0 - 8;
    CHECK_STATUS(KiProbeClassBuffer(Buffer, 4, KI_PROBE_READ), STATUS_ACCESS_VIOLATION);
}

TEST(probe_user_pointer_pages)
{
    /* An out object that straddles the end of the arena, or lies in its
     * read-only last page, fails in the probe (before any handler acts);
     * one that ends just below the read-only page passes. */
    ULONG_PTR End = (ULONG_PTR)FakeUserArena + sizeof(FakeUserArena);

    CHECK_STATUS(
        KiProbeUser(FakeProcess, End - 8, 16, 8, FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        KiProbeUser(FakeProcess, End - 16, 16, 8, FALSE, STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(KiProbeUser(FakeProcess, FAKE_READONLY_PAGE - 16, 16, 8, FALSE,
                             STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE),
                 STATUS_SUCCESS);
    CHECK_STATUS(KiProbeUser(FakeProcess, FAKE_READONLY_PAGE - 8, 16, 8, FALSE,
                             STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        KiProbeUser(FakeProcess, 0, 16, 8, FALSE, STATUS_INVALID_PARAMETER, KI_PROBE_WRITE),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(KiProbeUser(FakeProcess, 0, 16, 8, TRUE, STATUS_INVALID_PARAMETER, KI_PROBE_WRITE),
                 STATUS_SUCCESS);
}

/* ---- in, opt in and inout pointers, through handlers the test provides ---------------------- */

/* Handlers of services whose owners are not linked here: the table's weak
 * references bind to these, so the generated unmarshallers for in/inout
 * pointers and ADDRESS values run against a known handler. */
static NTSTATUS TestHandlerStatus;
static ULONG_PTR SeenBase;
static SIZE_T SeenSize;
static LONGLONG SeenTimeout;
static BOOLEAN SeenTimeoutNull;

NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS *BaseAddress,
                                 ULONG_PTR ZeroBits, SIZE_T *RegionSize, ULONG AllocationType,
                                 ULONG Protect)
{
    SeenBase = BaseAddress->Value;
    SeenSize = *RegionSize;
    BaseAddress->Value = 0x7ff00000;
    *RegionSize = 0x3000;
    return TestHandlerStatus;
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, const LARGE_INTEGER *Timeout)
{
    SeenTimeoutNull = Timeout == NULL;
    SeenTimeout = Timeout != NULL ? Timeout->QuadPart : 0;
    return TestHandlerStatus;
}

TEST(inout_captured_and_written_back_on_success)
{
    ULONG_PTR *Base = (ULONG_PTR *)UserAlloc(8);
    SIZE_T *Size = (SIZE_T *)UserAlloc(8);

    *Base = 0x50000;
    *Size = 100;
    TestHandlerStatus = STATUS_SUCCESS;
    CHECK_STATUS(
        Call(NTSVC_AllocateVirtualMemory, 6, -1, (ULONG_PTR)Base, 0, (ULONG_PTR)Size, 0x3000, 4),
        STATUS_SUCCESS);
    CHECK_EQ(SeenBase, 0x50000);
    CHECK_EQ(SeenSize, 100);
    CHECK_EQ(*Base, 0x7ff00000);
    CHECK_EQ(*Size, 0x3000);
}

TEST(inout_untouched_on_failure)
{
    ULONG_PTR *Base = (ULONG_PTR *)UserAlloc(8);
    SIZE_T *Size = (SIZE_T *)UserAlloc(8);

    *Base = 0x50000;
    *Size = 100;
    TestHandlerStatus = STATUS_CONFLICTING_ADDRESSES;
    CHECK_STATUS(
        Call(NTSVC_AllocateVirtualMemory, 6, -1, (ULONG_PTR)Base, 0, (ULONG_PTR)Size, 0x3000, 4),
        STATUS_CONFLICTING_ADDRESSES);
    CHECK_EQ(*Base, 0x50000);
    CHECK_EQ(*Size, 100);
}

TEST(inout_bad_pointers)
{
    ULONG_PTR Base = UserAlloc(16), Size = UserAlloc(16);

    TestHandlerStatus = STATUS_SUCCESS;
    SeenSize = 0;
    CHECK_STATUS(Call(NTSVC_AllocateVirtualMemory, 6, -1, 0, 0, Size, 0x3000, 4),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_AllocateVirtualMemory, 6, -1, Base, 0, Size + 4, 0x3000, 4),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_AllocateVirtualMemory, 6, -1, Base, 0, FAKE_UNMAPPED, 0x3000, 4),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(SeenSize, 0); /* the handler never ran */
    CHECK_STATUS(Call(NTSVC_AllocateVirtualMemory, 5, -1, Base, 0, Size, 0x3000),
                 STATUS_INVALID_PARAMETER);
}

/* ---- probe=handler and write=handler, through a handler the test provides ----------------- */

/* NtQueryInformationThread (ps is not linked here): the raw buffer it got,
 * and the ReturnLength it stores when ThreadReportLength is not 0. */
static USER_BUFFER SeenBuffer;
static ULONG SeenReturnLength, ThreadReportLength;

NTSTATUS NtQueryInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass,
                                  USER_BUFFER ThreadInformation, ULONG ThreadInformationLength,
                                  ULONG *ReturnLength)
{
    SeenBuffer = ThreadInformation;
    SeenReturnLength = ReturnLength != NULL ? *ReturnLength : 0;
    if (ReturnLength != NULL && ThreadReportLength != 0)
        *ReturnLength = ThreadReportLength;
    return TestHandlerStatus;
}

TEST(probe_handler_buffer_unchecked)
{
    /* NULL, misaligned, unmapped and kernel buffers all reach the handler as given. */
    static const ULONG_PTR Addresses[] = {0, 1, FAKE_UNMAPPED + 2, 0xffff800000000000ull};
    ULONG Index;

    TestHandlerStatus = STATUS_SUCCESS;
    ThreadReportLength = 0;
    for (Index = 0; Index < sizeof(Addresses) / sizeof(Addresses[0]); Index++) {
        SeenBuffer.Address = SeenBuffer.Length = 77;
        CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, Addresses[Index], 0x30, 0),
                     STATUS_SUCCESS);
        CHECK_EQ(SeenBuffer.Address, Addresses[Index]);
        CHECK_EQ(SeenBuffer.Length, 0x30);
    }
}

TEST(write_handler_return_length)
{
    ULONG *Length = (ULONG *)UserAlloc(sizeof(ULONG));

    /* The handler sees the caller's value. */
    *Length = 0x55555555;
    TestHandlerStatus = STATUS_INFO_LENGTH_MISMATCH;
    ThreadReportLength = 0;
    CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, 0, 0, (ULONG_PTR)Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(SeenReturnLength, 0x55555555);
    CHECK_EQ(*Length, 0x55555555); /* left alone: not written back */
    /* A failure with a value the handler stored: written back. */
    ThreadReportLength = 0x40;
    CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, 0, 0, (ULONG_PTR)Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(*Length, 0x40);
    /* Success: written back. */
    TestHandlerStatus = STATUS_SUCCESS;
    ThreadReportLength = 0x30;
    CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, 0, 0, (ULONG_PTR)Length),
                 STATUS_SUCCESS);
    CHECK_EQ(*Length, 0x30);
    /* Still probed before the handler: misaligned or read-only. */
    SeenReturnLength = 7;
    CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, 0, 0, (ULONG_PTR)Length + 1),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(Call(NTSVC_QueryInformationThread, 5, -2, 0, 0, 0, FAKE_READONLY_PAGE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ(SeenReturnLength, 7); /* the handler never ran */
    ThreadReportLength = 0;
}

TEST(in_optional_pointer)
{
    LARGE_INTEGER *Timeout = (LARGE_INTEGER *)UserAlloc(8);

    TestHandlerStatus = STATUS_TIMEOUT;
    Timeout->QuadPart = -10000000;
    CHECK_STATUS(Call(NTSVC_WaitForSingleObject, 3, 4, 0, (ULONG_PTR)Timeout), STATUS_TIMEOUT);
    CHECK(!SeenTimeoutNull);
    CHECK_EQ(SeenTimeout, -10000000);
    CHECK_STATUS(Call(NTSVC_WaitForSingleObject, 3, 4, 0, 0), STATUS_TIMEOUT);
    CHECK(SeenTimeoutNull);
    CHECK_STATUS(Call(NTSVC_WaitForSingleObject, 3, 4, 0, FAKE_UNMAPPED), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(Call(NTSVC_WaitForSingleObject, 3, 4, 0, (ULONG_PTR)Timeout + 2),
                 STATUS_DATATYPE_MISALIGNMENT);
    /* In pointers are only read: a read-only page will do. */
    CHECK_STATUS(Call(NTSVC_WaitForSingleObject, 3, 4, 0, FAKE_READONLY_PAGE), STATUS_TIMEOUT);
}

TEST(services_without_handlers)
{
    ULONG_PTR Out = UserAlloc(64);

    CHECK_STATUS(Call(NTSVC_DelayExecution, 2, 0, Out), STATUS_NOT_IMPLEMENTED);
    CHECK_STATUS(Call(NTSVC_QueryInformationProcess, 5, -1, 0, Out, 48, 0), STATUS_NOT_IMPLEMENTED);
    CHECK(!KiServiceImplemented(NTSVC_FreeVirtualMemory));
    CHECK(KiServiceImplemented(NTSVC_AllocateVirtualMemory));
}

/* ---- OBJECT_ATTRIBUTES through the dispatcher (a test handler for NtOpenProcess) ------------ */

static ULONG SeenAttributes;
static USHORT SeenNameLength;
static WCHAR SeenNameFirst;
static BOOLEAN SeenName, SeenClientId;
static ULONG_PTR SeenUniqueProcess;

NTSTATUS NtOpenProcess(HANDLE *ProcessHandle, ACCESS_MASK DesiredAccess,
                       const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                       const CLIENT_ID *ClientId)
{
    SeenAttributes = ObjectAttributes->Attributes;
    SeenName = ObjectAttributes->ObjectName != NULL;
    SeenNameLength = SeenName ? ObjectAttributes->ObjectName->Length : 0;
    SeenNameFirst = SeenNameLength ? ObjectAttributes->ObjectName->Buffer[0] : 0;
    SeenClientId = ClientId != NULL;
    SeenUniqueProcess = ClientId ? (ULONG_PTR)ClientId->UniqueProcess : 0;
    *ProcessHandle = (HANDLE)0x1234;
    return TestHandlerStatus;
}

TEST(object_attributes_captured_for_the_handler)
{
    OBJECT_ATTRIBUTES *Oa = (OBJECT_ATTRIBUTES *)UserAlloc(sizeof(*Oa));
    CLIENT_ID *Cid = (CLIENT_ID *)UserAlloc(sizeof(*Cid));
    HANDLE *Handle = (HANDLE *)UserAlloc(sizeof(HANDLE));

    Oa->Length = sizeof(*Oa);
    Oa->Attributes = OBJ_INHERIT;
    Cid->UniqueProcess = (HANDLE)0x40;
    TestHandlerStatus = STATUS_SUCCESS;
    CHECK_STATUS(
        Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0x1fffff, (ULONG_PTR)Oa, (ULONG_PTR)Cid),
        STATUS_SUCCESS);
    CHECK_EQ(SeenAttributes, OBJ_INHERIT);
    CHECK(!SeenName && SeenClientId);
    CHECK_EQ(SeenUniqueProcess, 0x40);
    CHECK_EQ((ULONG_PTR)*Handle, 0x1234);
    /* A name is captured (its pool copy freed afterwards: the leak check). */
    Oa->ObjectName = (PUNICODE_STRING)UserUnicodeString("\\Process");
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, (ULONG_PTR)Oa, 0),
                 STATUS_SUCCESS);
    CHECK(SeenName && !SeenClientId);
    CHECK_EQ(SeenNameLength, 16);
    CHECK_EQ(SeenNameFirst, '\\');
}

TEST(object_attributes_rejected_before_the_handler)
{
    OBJECT_ATTRIBUTES *Oa = (OBJECT_ATTRIBUTES *)UserAlloc(sizeof(*Oa));
    HANDLE *Handle = (HANDLE *)UserAlloc(sizeof(HANDLE));

    TestHandlerStatus = STATUS_SUCCESS;
    Oa->Length = sizeof(*Oa);
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, 0, 0), STATUS_ACCESS_VIOLATION);
    Oa->Length = 12;
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, (ULONG_PTR)Oa, 0),
                 STATUS_INVALID_PARAMETER);
    Oa->Length = sizeof(*Oa);
    Oa->ObjectName = (PUNICODE_STRING)UserUnicodeString("abc");
    Oa->ObjectName->Length = 7;
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, (ULONG_PTR)Oa, 0),
                 STATUS_INVALID_PARAMETER);
    Oa->ObjectName = NULL;
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, (ULONG_PTR)Oa, FAKE_UNMAPPED),
                 STATUS_ACCESS_VIOLATION);
    CHECK_EQ((ULONG_PTR)*Handle, 0);
    /* The handler failed: the out handle is not written. */
    TestHandlerStatus = STATUS_INVALID_CID;
    CHECK_STATUS(Call(NTSVC_OpenProcess, 4, (ULONG_PTR)Handle, 0, (ULONG_PTR)Oa, 0),
                 STATUS_INVALID_CID);
    CHECK_EQ((ULONG_PTR)*Handle, 0);
}
