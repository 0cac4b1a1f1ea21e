/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runner and checks of the compat programs (compat.h), and the C
 * routines a freestanding program must bring along when it links against
 * stock mingw-w64's libntdll.a, which imports none of ntdll's. Only the
 * ntdll exports DbgPrint and NtTerminateProcess are used here, declared
 * with their Windows prototypes.
 */
#include "compat.h"

__declspec(dllimport) long __stdcall NtTerminateProcess(void *ProcessHandle, long ExitStatus);

static const char *CompatCurrent;
static int CompatCurrentFailed;
static unsigned long CompatPassed, CompatFailed;

void *memset(void *Destination, int Value, __SIZE_TYPE__ Count)
{
    volatile unsigned char *d = Destination;

    while (Count--)
        *d++ = (unsigned char)Value;
    return Destination;
}

void *memcpy(void *Destination, const void *Source, __SIZE_TYPE__ Count)
{
    volatile unsigned char *d = Destination;
    const unsigned char *s = Source;

    while (Count--)
        *d++ = *s++;
    return Destination;
}

int memcmp(const void *First, const void *Second, __SIZE_TYPE__ Count)
{
    const unsigned char *a = First, *b = Second;

    for (; Count; Count--, a++, b++)
        if (*a != *b)
            return *a < *b ? -1 : 1;
    return 0;
}

/* The start of a failure: the protocol line the first time, `also:` after. */
static void CompatFailPrefix(const char *File, int Line)
{
    if (!CompatCurrentFailed)
        DbgPrint("TEST-FAIL compat.%s_%s: %s:%d ", CompatProgram, CompatCurrent, File, Line);
    else
        DbgPrint("  also: %s:%d ", File, Line);
    CompatCurrentFailed = 1;
}

int CompatCheck(int Ok, const char *File, int Line, const char *Expression)
{
    if (Ok)
        return 1;
    CompatFailPrefix(File, Line);
    DbgPrint("%s\n", Expression);
    return 0;
}

int CompatCheckEq(unsigned long long Got, unsigned long long Expected, const char *File, int Line,
                  const char *Expression)
{
    if (Got == Expected)
        return 1;
    CompatFailPrefix(File, Line);
    DbgPrint("%s: got 0x%I64x expected 0x%I64x\n", Expression, Got, Expected);
    return 0;
}

void CompatRun(const char *Name, void (*Routine)(void))
{
    CompatCurrent = Name;
    CompatCurrentFailed = 0;
    Routine();
    if (CompatCurrentFailed) {
        CompatFailed++;
    } else {
        DbgPrint("TEST-PASS compat.%s_%s\n", CompatProgram, Name);
        CompatPassed++;
    }
}

void CompatFinish(void)
{
    DbgPrint("compat: %s: %lu passed, %lu failed\n", CompatProgram, CompatPassed, CompatFailed);
    DbgPrint("compat: %s done\n", CompatProgram);
    NtTerminateProcess((void *)(long long)-1, (long)CompatFailed);
    for (;;)
        ;
}
