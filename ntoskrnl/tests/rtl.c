/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Rtl and C routines the runtime implements itself (rtl/memory.c).
 */
#include "ktest.h"

#undef RtlCopyMemory
#undef RtlZeroMemory
#undef RtlFillMemory
#undef RtlMoveMemory
NTSYSAPI VOID NTAPI RtlCopyMemory(PVOID Destination, const VOID *Source, SIZE_T Length);
NTSYSAPI VOID NTAPI RtlZeroMemory(PVOID Destination, SIZE_T Length);
NTSYSAPI VOID NTAPI RtlFillMemory(PVOID Destination, SIZE_T Length, UCHAR Fill);
NTSYSAPI VOID NTAPI RtlMoveMemory(PVOID Destination, const VOID *Source, SIZE_T Length);
NTSTATUS NTAPI RtlAppendAsciizToString(PSTRING Destination, PCSZ Source);
int __cdecl sprintf(char *Buffer, const char *Format, ...);
char *__cdecl strncat(char *Destination, const char *Source, size_t Count);
wchar_t *__cdecl wcsncpy(wchar_t *Destination, const wchar_t *Source, size_t Count);

TEST(rtl, memory_routines)
{
    UCHAR A[16] = "abcdefghijklmno", B[16] = "abcdXfghijklmno";
    ULONG Words[4] = {7, 7, 7, 8};

    CHECK_EQ(RtlCompareMemory(A, B, 16), 4);
    CHECK_EQ(RtlCompareMemory(A, A, 16), 16);
    CHECK_EQ(RtlCompareMemoryUlong(Words, sizeof(Words), 7), 12);
    CHECK_EQ(RtlCompareMemoryUlong(Words, 6, 7), 4);
    RtlCopyMemory(B, A, 16);
    CHECK_EQ(RtlCompareMemory(A, B, 16), 16);
    RtlMoveMemory(A + 1, A, 8); /* overlapping */
    CHECK(A[1] == 'a' && A[8] == 'h');
    RtlFillMemory(A, 4, 'z');
    CHECK(A[0] == 'z' && A[3] == 'z' && A[4] != 'z');
    RtlZeroMemory(A, 16);
    CHECK(A[0] == 0 && A[15] == 0);
}

TEST(rtl, counted_strings)
{
    CHAR Buf[8];
    STRING Hello = RTL_CONSTANT_STRING("Hello"), Lower = RTL_CONSTANT_STRING("hello");
    STRING Dest = {0, sizeof(Buf), Buf};

    CHECK(RtlCompareString(&Hello, &Lower, FALSE) < 0);
    CHECK_EQ(RtlCompareString(&Hello, &Lower, TRUE), 0);
    CHECK(RtlEqualString(&Hello, &Lower, TRUE));
    CHECK(!RtlEqualString(&Hello, &Lower, FALSE));
    RtlCopyString(&Dest, &Lower);
    CHECK_EQ(Dest.Length, 5);
    RtlUpperString(&Dest, &Dest);
    CHECK(RtlEqualString(&Dest, &Hello, FALSE) == FALSE && memcmp(Buf, "HELLO", 5) == 0);
    CHECK_STATUS(RtlAppendStringToString(&Dest, &Hello), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(RtlAppendAsciizToString(&Dest, "!!"), STATUS_SUCCESS);
    CHECK_EQ(Dest.Length, 7);
}

TEST(rtl, c_routines)
{
    char Text[32] = "ab";
    wchar_t Wide[6];

    CHECK_EQ(sprintf(Text, "%s-%d", "x", 42), 4);
    CHECK(strcmp(Text, "x-42") == 0);
    strncat(Text, "abcdef", 3);
    CHECK(strcmp(Text, "x-42abc") == 0);
    wcsncpy(Wide, L"hi", 6);
    CHECK(Wide[0] == L'h' && Wide[2] == 0 && Wide[5] == 0);
}

int __cdecl _snwprintf(wchar_t *Buffer, size_t Count, const wchar_t *Format, ...);
int __cdecl swprintf_s(wchar_t *Buffer, size_t Count, const wchar_t *Format, ...);
int __cdecl _swprintf(wchar_t *Buffer, const wchar_t *Format, ...);

static BOOLEAN KTestWideEqual(const wchar_t *A, const wchar_t *B)
{
    while (*A && *A == *B) {
        A++;
        B++;
    }
    return *A == *B;
}

TEST(rtl, wide_printf)
{
    wchar_t Out[64];
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"Serial0");
    ANSI_STRING Ansi = RTL_CONSTANT_STRING("ab");

    CHECK_EQ(_snwprintf(Out, 64, L"\\Device\\Serial%d", 3), 15);
    CHECK(KTestWideEqual(Out, L"\\Device\\Serial3"));
    CHECK_EQ(_snwprintf(Out, 64, L"[%5d|%-4x|%04X|%+d|%u]", -42, 0xab, 0x1f, 7, 4000000000u), 31);
    CHECK(KTestWideEqual(Out, L"[  -42|ab  |001F|+7|4000000000]"));
    CHECK_EQ(_snwprintf(Out, 64, L"%s/%S/%hs/%ls/%c%C", L"w", "n", "h", L"l", L'x', 'y'), 10);
    CHECK(KTestWideEqual(Out, L"w/n/h/l/xy"));
    CHECK_EQ(_snwprintf(Out, 64, L"%wZ %Z %I64x %.3s %%", &Name, &Ansi, 0x123456789ull, L"abcdef"),
             26);
    CHECK(KTestWideEqual(Out, L"Serial0 ab 123456789 abc %"));
    CHECK_EQ(_snwprintf(Out, 64, L"%#x %p", 255, (PVOID)0x1234), 21);
    CHECK(KTestWideEqual(Out, L"0xff 0000000000001234"));
    /* Microsoft's limits: exactly Count characters without the NUL; -1 beyond. */
    Out[4] = L'!';
    CHECK_EQ(_snwprintf(Out, 4, L"%s", L"abcd"), 4);
    CHECK(Out[3] == L'd' && Out[4] == L'!');
    CHECK_EQ(_snwprintf(Out, 4, L"%s", L"abcde"), -1);
    CHECK_EQ(swprintf_s(Out, 4, L"%s", L"abcd"), -1);
    CHECK_EQ(Out[0], 0);
    CHECK_EQ(_swprintf(Out, L"%d-%d", 1, 2), 3);
    CHECK(KTestWideEqual(Out, L"1-2"));
}
