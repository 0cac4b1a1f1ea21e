/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of number conversion (convert.c), bitmaps (bitmap.c), time
 * (time.c) and the NTSTATUS text table (status.c).
 */
#include <string.h>
#include "rtl_test.h"

static const char *int_to_char(void)
{
    CHAR buf[40];

    memset(buf, 'x', sizeof(buf));
    CHECK(RtlIntegerToChar(1234, 0, 0, buf) == STATUS_SUCCESS && strcmp(buf, "1234") == 0);
    CHECK(RtlIntegerToChar(255, 16, 0, buf) == STATUS_SUCCESS && strcmp(buf, "FF") == 0);
    CHECK(RtlIntegerToChar(5, 2, 0, buf) == STATUS_SUCCESS && strcmp(buf, "101") == 0);
    CHECK(RtlIntegerToChar(8, 8, 0, buf) == STATUS_SUCCESS && strcmp(buf, "10") == 0);
    CHECK(RtlIntegerToChar(0xFFFFFFFF, 10, 0, buf) == STATUS_SUCCESS &&
          strcmp(buf, "4294967295") == 0);
    CHECK(RtlIntegerToChar(0, 10, 0, buf) == STATUS_SUCCESS && strcmp(buf, "0") == 0);
    return NULL;
}

static const char *int_to_char_length(void)
{
    CHAR buf[8] = "zzzzzzz";

    CHECK(RtlIntegerToChar(12345, 10, 4, buf) == STATUS_BUFFER_OVERFLOW);
    CHECK(RtlIntegerToChar(1234, 10, 4, buf) == STATUS_SUCCESS);
    CHECK(memcmp(buf, "1234z", 5) == 0); /* exactly Length: no NUL */
    CHECK(RtlIntegerToChar(12, 10, 4, buf) == STATUS_SUCCESS && strcmp(buf, "12") == 0);
    return NULL;
}

static const char *int_to_char_errors(void)
{
    CHAR buf[8];

    CHECK(RtlIntegerToChar(1, 3, 0, buf) == STATUS_INVALID_PARAMETER);
    CHECK(RtlIntegerToChar(1, 10, 0, NULL) == STATUS_ACCESS_VIOLATION);
    return NULL;
}

static const char *int_to_unicode(void)
{
    WCHAR buf[12];
    UNICODE_STRING s = {0, sizeof(buf), buf};

    CHECK(RtlIntegerToUnicodeString(4096, 16, &s) == STATUS_SUCCESS);
    CHECK(rt_ustr_equal(&s, u"1000") && buf[4] == 0);
    CHECK(RtlIntegerToUnicodeString(1, 7, &s) == STATUS_INVALID_PARAMETER);
    return NULL;
}

static const char *int_to_unicode_overflow(void)
{
    WCHAR buf[3];
    UNICODE_STRING s = {0, sizeof(buf), buf};

    CHECK(RtlIntegerToUnicodeString(123, 10, &s) == STATUS_BUFFER_OVERFLOW);
    CHECK(RtlIntegerToUnicodeString(12, 10, &s) == STATUS_SUCCESS && rt_ustr_equal(&s, u"12"));
    return NULL;
}

static const char *char_to_int(void)
{
    ULONG v;

    CHECK(RtlCharToInteger("  123xyz", 0, &v) == STATUS_SUCCESS && v == 123);
    CHECK(RtlCharToInteger("-1", 10, &v) == STATUS_SUCCESS && v == 0xFFFFFFFF);
    CHECK(RtlCharToInteger("+7", 0, &v) == STATUS_SUCCESS && v == 7);
    CHECK(RtlCharToInteger("ff", 16, &v) == STATUS_SUCCESS && v == 255);
    CHECK(RtlCharToInteger("", 10, &v) == STATUS_SUCCESS && v == 0);
    return NULL;
}

static const char *char_to_int_prefixes(void)
{
    ULONG v;

    CHECK(RtlCharToInteger("0x1F", 0, &v) == STATUS_SUCCESS && v == 31);
    CHECK(RtlCharToInteger("0o17", 0, &v) == STATUS_SUCCESS && v == 15);
    CHECK(RtlCharToInteger("0b101", 0, &v) == STATUS_SUCCESS && v == 5);
    CHECK(RtlCharToInteger("0x1F", 16, &v) == STATUS_SUCCESS && v == 0); /* no prefix */
    CHECK(RtlCharToInteger("012", 0, &v) == STATUS_SUCCESS && v == 12);
    return NULL;
}

static const char *char_to_int_errors(void)
{
    ULONG v;

    CHECK(RtlCharToInteger("1", 5, &v) == STATUS_INVALID_PARAMETER);
    CHECK(RtlCharToInteger("1", 10, NULL) == STATUS_ACCESS_VIOLATION);
    CHECK(RtlCharToInteger("99999999999", 10, &v) == STATUS_SUCCESS); /* wraps, no error */
    return NULL;
}

static const char *ustr_to_int(void)
{
    UNICODE_STRING s;
    ULONG v;

    RtlInitUnicodeString(&s, u" -0x10");
    CHECK(RtlUnicodeStringToInteger(&s, 0, &v) == STATUS_SUCCESS && v == (ULONG)-16);
    RtlInitUnicodeString(&s, u"777");
    CHECK(RtlUnicodeStringToInteger(&s, 8, &v) == STATUS_SUCCESS && v == 511);
    s.Length = 2; /* only "7" counts */
    CHECK(RtlUnicodeStringToInteger(&s, 10, &v) == STATUS_SUCCESS && v == 7);
    CHECK(RtlUnicodeStringToInteger(&s, 9, &v) == STATUS_INVALID_PARAMETER);
    return NULL;
}

static ULONG bits[4];
static RTL_BITMAP map;

static VOID fresh_map(ULONG size)
{
    memset(bits, 0, sizeof(bits));
    RtlInitializeBitMap(&map, bits, size);
}

static const char *bitmap_set_clear(void)
{
    fresh_map(100);
    RtlSetBits(&map, 30, 5);
    CHECK(bits[0] == 0xC0000000 && bits[1] == 0x7);
    CHECK(RtlAreBitsSet(&map, 30, 5) && !RtlAreBitsSet(&map, 29, 5));
    RtlClearBits(&map, 31, 2);
    CHECK(RtlTestBit(&map, 30) && !RtlTestBit(&map, 31) && RtlTestBit(&map, 33));
    RtlSetBit(&map, 99);
    CHECK(RtlTestBit(&map, 99) && !RtlTestBit(&map, 100));
    RtlClearBit(&map, 99);
    CHECK(!RtlTestBit(&map, 99));
    return NULL;
}

static const char *bitmap_all(void)
{
    fresh_map(70);
    RtlSetAllBits(&map);
    CHECK(RtlNumberOfSetBits(&map) == 70 && RtlNumberOfClearBits(&map) == 0);
    CHECK(RtlAreBitsSet(&map, 0, 70));
    RtlClearAllBits(&map);
    CHECK(RtlNumberOfSetBits(&map) == 0 && RtlAreBitsClear(&map, 0, 70));
    return NULL;
}

static const char *bitmap_are_bits_range(void)
{
    fresh_map(64);
    CHECK(!RtlAreBitsClear(&map, 60, 5));
    CHECK(!RtlAreBitsClear(&map, 0, 0));
    CHECK(!RtlAreBitsClear(&map, 64, 1));
    CHECK(RtlAreBitsClear(&map, 63, 1));
    return NULL;
}

static const char *bitmap_count_ignores_tail(void)
{
    fresh_map(40);
    bits[1] = 0xFFFFFFFF; /* bits 40..63 lie outside the map */
    CHECK(RtlNumberOfSetBits(&map) == 8);
    return NULL;
}

static const char *bitmap_find_clear(void)
{
    fresh_map(64);
    RtlSetBits(&map, 0, 10);
    CHECK(RtlFindClearBits(&map, 5, 0) == 10);
    RtlSetBits(&map, 12, 40);
    CHECK(RtlFindClearBits(&map, 5, 0) == 52);
    CHECK(RtlFindClearBits(&map, 2, 0) == 10);
    CHECK(RtlFindClearBits(&map, 13, 0) == RTL_BITMAP_NOT_FOUND);
    CHECK(RtlFindClearBits(&map, 65, 0) == RTL_BITMAP_NOT_FOUND);
    return NULL;
}

static const char *bitmap_find_hint_wraps(void)
{
    fresh_map(64);
    RtlSetBits(&map, 40, 24);
    CHECK(RtlFindClearBits(&map, 4, 50) == 0);
    CHECK(RtlFindClearBits(&map, 4, 20) == 20);
    CHECK(RtlFindClearBits(&map, 4, 1000) == 0); /* hint outside: start at 0 */
    return NULL;
}

static const char *bitmap_find_and_set(void)
{
    fresh_map(32);
    CHECK(RtlFindClearBitsAndSet(&map, 3, 0) == 0);
    CHECK(RtlFindClearBitsAndSet(&map, 3, 0) == 3);
    CHECK(bits[0] == 0x3F);
    CHECK(RtlFindSetBitsAndClear(&map, 2, 1) == 1);
    CHECK(bits[0] == 0x39);
    CHECK(RtlFindSetBits(&map, 3, 0) == 3);
    return NULL;
}

static const char *bitmap_runs(void)
{
    ULONG start;

    fresh_map(96);
    RtlSetBits(&map, 0, 3);
    RtlSetBits(&map, 10, 2);
    RtlSetBits(&map, 50, 46);
    CHECK(RtlFindFirstRunClear(&map, &start) == 7 && start == 3);
    CHECK(RtlFindNextForwardRunClear(&map, 8, &start) == 2 && start == 8);
    CHECK(RtlFindNextForwardRunClear(&map, 11, &start) == 38 && start == 12);
    CHECK(RtlFindLongestRunClear(&map, &start) == 38 && start == 12);
    CHECK(RtlFindNextForwardRunClear(&map, 60, &start) == 0);
    return NULL;
}

static const char *bitmap_significant_bits(void)
{
    CHECK(RtlFindMostSignificantBit(0) == -1 && RtlFindLeastSignificantBit(0) == -1);
    CHECK(RtlFindMostSignificantBit(1) == 0 && RtlFindLeastSignificantBit(1) == 0);
    CHECK(RtlFindMostSignificantBit(0x8000000000000001ULL) == 63);
    CHECK(RtlFindLeastSignificantBit(0x8000000000000000ULL) == 63);
    CHECK(RtlFindLeastSignificantBit(0x50) == 4);
    return NULL;
}

static const char *time_epoch_1601(void)
{
    LARGE_INTEGER t = {.QuadPart = 0};
    TIME_FIELDS f;

    RtlTimeToTimeFields(&t, &f);
    CHECK(f.Year == 1601 && f.Month == 1 && f.Day == 1 && f.Hour == 0 && f.Weekday == 1);
    return NULL;
}

static const char *time_unix_epoch(void)
{
    LARGE_INTEGER t;
    TIME_FIELDS f;

    RtlSecondsSince1970ToTime(0, &t);
    CHECK(t.QuadPart == 116444736000000000LL);
    RtlTimeToTimeFields(&t, &f);
    CHECK(f.Year == 1970 && f.Month == 1 && f.Day == 1 && f.Weekday == 4);
    return NULL;
}

static const char *time_fields_round_trip(void)
{
    TIME_FIELDS f = {2024, 2, 29, 23, 59, 58, 999, 0}, g;
    LARGE_INTEGER t;

    CHECK(RtlTimeFieldsToTime(&f, &t));
    RtlTimeToTimeFields(&t, &g);
    CHECK(g.Year == 2024 && g.Month == 2 && g.Day == 29 && g.Hour == 23 && g.Minute == 59 &&
          g.Second == 58 && g.Milliseconds == 999 && g.Weekday == 4);
    return NULL;
}

static const char *time_century_days(void)
{
    TIME_FIELDS f = {2000, 12, 31, 12, 0, 0, 0, 0}, g;
    LARGE_INTEGER t;

    CHECK(RtlTimeFieldsToTime(&f, &t));
    RtlTimeToTimeFields(&t, &g);
    CHECK(g.Year == 2000 && g.Month == 12 && g.Day == 31 && g.Weekday == 0);
    f.Year = 2100, f.Month = 3, f.Day = 1;
    CHECK(RtlTimeFieldsToTime(&f, &t));
    RtlTimeToTimeFields(&t, &g);
    CHECK(g.Year == 2100 && g.Month == 3 && g.Day == 1 && g.Weekday == 1);
    return NULL;
}

static const char *time_fields_invalid(void)
{
    TIME_FIELDS f = {2023, 2, 29, 0, 0, 0, 0, 0};
    LARGE_INTEGER t;

    CHECK(!RtlTimeFieldsToTime(&f, &t)); /* 2023 is not a leap year */
    f.Day = 28, f.Hour = 24;
    CHECK(!RtlTimeFieldsToTime(&f, &t));
    f.Hour = 0, f.Month = 13;
    CHECK(!RtlTimeFieldsToTime(&f, &t));
    f.Month = 1, f.Year = 1600;
    CHECK(!RtlTimeFieldsToTime(&f, &t));
    f.Year = 1900, f.Month = 2, f.Day = 29; /* 1900 is not a leap year */
    CHECK(!RtlTimeFieldsToTime(&f, &t));
    return NULL;
}

static const char *time_seconds_1970(void)
{
    LARGE_INTEGER t;
    ULONG s;

    RtlSecondsSince1970ToTime(1700000000, &t);
    CHECK(RtlTimeToSecondsSince1970(&t, &s) && s == 1700000000);
    t.QuadPart = 116444736000000000LL - 1;
    CHECK(!RtlTimeToSecondsSince1970(&t, &s));
    t.QuadPart = (0x100000000LL + 11644473600LL) * 10000000LL;
    CHECK(!RtlTimeToSecondsSince1970(&t, &s));
    return NULL;
}

static const char *time_seconds_1980(void)
{
    LARGE_INTEGER t;
    TIME_FIELDS f;
    ULONG s;

    RtlSecondsSince1980ToTime(86400, &t);
    RtlTimeToTimeFields(&t, &f);
    CHECK(f.Year == 1980 && f.Month == 1 && f.Day == 2);
    CHECK(RtlTimeToSecondsSince1980(&t, &s) && s == 86400);
    return NULL;
}

static const char *status_text(void)
{
    const char *name, *message;

    CHECK(RtlpNtStatusText(STATUS_ACCESS_DENIED, &name, &message));
    CHECK(strcmp(name, "STATUS_ACCESS_DENIED") == 0 && message[0]);
    CHECK(RtlpNtStatusText(STATUS_SUCCESS, &name, &message) && strcmp(name, "STATUS_SUCCESS") == 0);
    CHECK(RtlpNtStatusText(STATUS_BUFFER_OVERFLOW, &name, &message));
    CHECK(!RtlpNtStatusText((NTSTATUS)0xC0DEC0DE, &name, &message) && !name && !message);
    CHECK(NTSTATUS_KNOWN_COUNT >= 300 && STATUS_WAIT_0 == STATUS_SUCCESS);
    return NULL;
}

static const char *status_macros(void)
{
    CHECK(NT_SUCCESS(STATUS_SUCCESS) && NT_SUCCESS(STATUS_PENDING));
    CHECK(NT_SUCCESS(STATUS_OBJECT_NAME_EXISTS) && NT_INFORMATION(STATUS_OBJECT_NAME_EXISTS));
    CHECK(!NT_SUCCESS(STATUS_BUFFER_OVERFLOW) && NT_WARNING(STATUS_BUFFER_OVERFLOW));
    CHECK(NT_ERROR(STATUS_ACCESS_VIOLATION) && (ULONG)STATUS_ACCESS_VIOLATION == 0xC0000005);
    return NULL;
}

const rtl_test number_tests[] = {
    {"int_to_char", int_to_char},
    {"int_to_char_length", int_to_char_length},
    {"int_to_char_errors", int_to_char_errors},
    {"int_to_unicode", int_to_unicode},
    {"int_to_unicode_overflow", int_to_unicode_overflow},
    {"char_to_int", char_to_int},
    {"char_to_int_prefixes", char_to_int_prefixes},
    {"char_to_int_errors", char_to_int_errors},
    {"ustr_to_int", ustr_to_int},
    {"bitmap_set_clear", bitmap_set_clear},
    {"bitmap_all", bitmap_all},
    {"bitmap_are_bits_range", bitmap_are_bits_range},
    {"bitmap_count_ignores_tail", bitmap_count_ignores_tail},
    {"bitmap_find_clear", bitmap_find_clear},
    {"bitmap_find_hint_wraps", bitmap_find_hint_wraps},
    {"bitmap_find_and_set", bitmap_find_and_set},
    {"bitmap_runs", bitmap_runs},
    {"bitmap_significant_bits", bitmap_significant_bits},
    {"time_epoch_1601", time_epoch_1601},
    {"time_unix_epoch", time_unix_epoch},
    {"time_fields_round_trip", time_fields_round_trip},
    {"time_century_days", time_century_days},
    {"time_fields_invalid", time_fields_invalid},
    {"time_seconds_1970", time_seconds_1970},
    {"time_seconds_1980", time_seconds_1980},
    {"status_text", status_text},
    {"status_macros", status_macros},
    {NULL, NULL},
};
