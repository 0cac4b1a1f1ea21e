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
