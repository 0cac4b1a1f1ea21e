/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A native program built the way anyone would build one with stock
 * mingw-w64: its own declarations, linked against mingw's libntdll.a (whose
 * import hints are Windows' name-table indices, not ours) and carrying its
 * own memset, since that library has no C routines. It must load against
 * Nereid's ntdll unchanged; the ntdll-build suite snaps its imports on the
 * host (ldr_test). It prints a line and exits with 0x4321.
 */
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint16_t Length, MaximumLength;
    uint16_t *Buffer;
} STOCK_UNICODE_STRING;

__declspec(dllimport) void RtlInitUnicodeString(STOCK_UNICODE_STRING *, const uint16_t *);
__declspec(dllimport) int32_t NtDisplayString(STOCK_UNICODE_STRING *);
__declspec(dllimport) int32_t NtTerminateProcess(void *, int32_t);
__declspec(dllimport) int32_t RtlIntegerToChar(uint32_t, uint32_t, int32_t, char *);

void *memset(void *Dest, int Value, size_t Count)
{
    volatile unsigned char *d = Dest;

    while (Count--)
        *d++ = (unsigned char)Value;
    return Dest;
}

int32_t NtProcessStartup(void *Peb)
{
    STOCK_UNICODE_STRING String;
    char Digits[12];

    (void)Peb;
    memset(Digits, 0, sizeof(Digits));
    RtlIntegerToChar(0x4321, 16, sizeof(Digits), Digits);
    RtlInitUnicodeString(&String, u"Hello from a program linked with stock libntdll.a\n");
    NtDisplayString(&String);
    NtTerminateProcess((void *)-1, 0x4321);
    return 0x4321;
}
