/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtDisplayString: good strings (plain, empty, with a NULL buffer and no
 * length, a length below MaximumLength, the longest a UNICODE_STRING can
 * describe), and the inconsistent ones the capture refuses: an odd Length,
 * Length above MaximumLength (STATUS_INVALID_PARAMETER), a buffer that is
 * not WCHAR-aligned (STATUS_DATATYPE_MISALIGNMENT) or not readable, and a
 * structure that is NULL, unmapped, kernel-side or misaligned
 * (STATUS_ACCESS_VIOLATION / STATUS_DATATYPE_MISALIGNMENT). Windows checks
 * SeTcbPrivilege first; Nereid has no privileges yet (services.def).
 */
#include "ntapitest.h"

static WCHAR NtapiDot[] = u".";

static UNICODE_STRING NtapiString(PWSTR Buffer, USHORT Length, USHORT MaximumLength)
{
    UNICODE_STRING String = {Length, MaximumLength, Buffer};
    return String;
}

TEST(display, good)
{
    UNICODE_STRING String = NtapiString(NtapiDot, sizeof(WCHAR), sizeof(NtapiDot));

    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

TEST(display, empty)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 0, sizeof(NtapiDot));

    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

TEST(display, empty_null_buffer)
{
    UNICODE_STRING String = NtapiString(NULL, 0, 0);

    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

TEST(display, length_below_maximum)
{
    static WCHAR Text[16] = u"..";
    UNICODE_STRING String = NtapiString(Text, 2 * sizeof(WCHAR), sizeof(Text));

    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

/* The longest string a UNICODE_STRING describes: 32767 characters. */
TEST(display, longest)
{
    static WCHAR Text[UNICODE_STRING_MAX_CHARS];
    UNICODE_STRING String = NtapiString(Text, UNICODE_STRING_MAX_BYTES, UNICODE_STRING_MAX_BYTES);
    ULONG Index;

    for (Index = 0; Index < UNICODE_STRING_MAX_CHARS; Index++)
        Text[Index] = Index % 64 == 63 ? u'\n' : u'=';
    Text[UNICODE_STRING_MAX_CHARS - 1] = u'\n';
    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

TEST(display, odd_length)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 1, sizeof(NtapiDot));

    CHECK_STATUS(NtDisplayString(&String), STATUS_INVALID_PARAMETER);
}

TEST(display, odd_length_both)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 3, 3);

    CHECK_STATUS(NtDisplayString(&String), STATUS_INVALID_PARAMETER);
}

TEST(display, length_above_maximum)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 2 * sizeof(WCHAR), sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_INVALID_PARAMETER);
}

TEST(display, misaligned_buffer)
{
    static WCHAR Text[4] = u"...";
    UNICODE_STRING String = NtapiString((PWSTR)((PCHAR)Text + 1), sizeof(WCHAR), sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_DATATYPE_MISALIGNMENT);
}

TEST(display, bad_buffer)
{
    UNICODE_STRING String = NtapiString(NTAPI_BAD_POINTER, sizeof(WCHAR), sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_ACCESS_VIOLATION);
}

TEST(display, kernel_buffer)
{
    UNICODE_STRING String = NtapiString(NTAPI_KERNEL_POINTER, sizeof(WCHAR), sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_ACCESS_VIOLATION);
}

TEST(display, null_buffer_with_length)
{
    UNICODE_STRING String = NtapiString(NULL, sizeof(WCHAR), sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_ACCESS_VIOLATION);
}

TEST(display, null_string)
{
    CHECK_STATUS(NtDisplayString(NULL), STATUS_ACCESS_VIOLATION);
}

TEST(display, bad_string)
{
    CHECK_STATUS(NtDisplayString(NTAPI_BAD_POINTER), STATUS_ACCESS_VIOLATION);
}

TEST(display, kernel_string)
{
    CHECK_STATUS(NtDisplayString(NTAPI_KERNEL_POINTER), STATUS_ACCESS_VIOLATION);
}

TEST(display, misaligned_string)
{
    static UNICODE_STRING Strings[2];
    PUNICODE_STRING String = (PUNICODE_STRING)((PCHAR)&Strings[0] + 2);

    CHECK_STATUS(NtDisplayString(String), STATUS_DATATYPE_MISALIGNMENT);
}

/* Characters outside ASCII print (as '?' on the serial console) and succeed. */
TEST(display, non_ascii)
{
    static WCHAR Text[] = u"\u00e9\u4e2d\n";
    UNICODE_STRING String = NtapiString(Text, sizeof(Text) - sizeof(WCHAR), sizeof(Text));

    CHECK_STATUS(NtDisplayString(&String), STATUS_SUCCESS);
}

TEST(display, length_all_ones)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 0xffff, 0xffff);

    CHECK_STATUS(NtDisplayString(&String), STATUS_INVALID_PARAMETER);
}

TEST(display, length_far_above_maximum)
{
    UNICODE_STRING String = NtapiString(NtapiDot, 0xfffe, sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_INVALID_PARAMETER);
}

/* A Length that runs past the end of the mapped buffer. */
TEST(display, length_past_buffer)
{
    UNICODE_STRING String =
        NtapiString((PWSTR)(ULONG_PTR)0x00007ffffffefffeull, 4 * sizeof(WCHAR), 4 * sizeof(WCHAR));

    CHECK_STATUS(NtDisplayString(&String), STATUS_ACCESS_VIOLATION);
}

TEST(display, zw_alias)
{
    UNICODE_STRING Good = NtapiString(NtapiDot, sizeof(WCHAR), sizeof(NtapiDot));
    UNICODE_STRING Odd = NtapiString(NtapiDot, 1, sizeof(NtapiDot));

    CHECK_STATUS(ZwDisplayString(&Good), STATUS_SUCCESS);
    CHECK_STATUS(ZwDisplayString(&Odd), STATUS_INVALID_PARAMETER);
}
