/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pschild.exe: the child process of the process creation tests
 * (base/ntapitest/userproc.c, rtlprocess.c). What it does is named on its
 * command line, "pschild.exe <verb> <number>", and its exit status is the
 * answer the test reads back:
 *   exit N     end with status N
 *   handle H   end with the status of NtQueryObject on handle value H
 *              (STATUS_SUCCESS when the handle was inherited)
 *   env N      end with N if the environment holds NEREID_CHILD=<N's
 *              decimal digits>, else STATUS_VARIABLE_NOT_FOUND
 *   parent 0   end with the parent's process id (InheritedFromUniqueProcessId)
 * Anything else ends it with STATUS_INVALID_PARAMETER; without process
 * parameters at all (a process of NtCreateProcessEx whose creator gave
 * none) it ends with PSCHILD_NO_PARAMETERS.
 */
#include <ntnative.h>
#include <ntsvc.h>

#define PSCHILD_BAD_COMMAND   ((NTSTATUS)0xC000000Du) /* STATUS_INVALID_PARAMETER */
#define PSCHILD_NOT_FOUND     ((NTSTATUS)0xC0000100u) /* STATUS_VARIABLE_NOT_FOUND */
#define PSCHILD_NO_PARAMETERS 0x600d

typedef struct _PSCHILD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PSCHILD_BASIC_INFORMATION;

/* Skip blanks, then the word starting there; returns the position after it. */
static SIZE_T PsChildWord(const WCHAR *Line, SIZE_T Length, SIZE_T At, SIZE_T *Start)
{
    while (At < Length && Line[At] == ' ')
        At++;
    *Start = At;
    while (At < Length && Line[At] != ' ')
        At++;
    return At;
}

static BOOLEAN PsChildIs(const WCHAR *Word, SIZE_T Length, const char *Verb)
{
    SIZE_T i = 0;

    for (; i < Length && Verb[i]; i++) {
        if (Word[i] != (WCHAR)Verb[i])
            return FALSE;
    }
    return i == Length && Verb[i] == 0;
}

/* A decimal or 0x-prefixed hexadecimal number. */
static ULONG_PTR PsChildNumber(const WCHAR *Word, SIZE_T Length)
{
    ULONG_PTR Value = 0, Base = 10;
    SIZE_T i = 0;

    if (Length > 2 && Word[0] == '0' && (Word[1] == 'x' || Word[1] == 'X')) {
        Base = 16;
        i = 2;
    }
    for (; i < Length; i++) {
        WCHAR c = Word[i];
        ULONG_PTR Digit = c >= '0' && c <= '9'   ? (ULONG_PTR)(c - '0')
                          : c >= 'a' && c <= 'f' ? (ULONG_PTR)(c - 'a' + 10)
                          : c >= 'A' && c <= 'F' ? (ULONG_PTR)(c - 'A' + 10)
                                                 : 99;
        if (Digit >= Base)
            break;
        Value = Value * Base + Digit;
    }
    return Value;
}

/* Is "NEREID_CHILD=<Value in decimal>" one of the environment's strings? */
static NTSTATUS PsChildEnvironment(PRTL_USER_PROCESS_PARAMETERS Params, ULONG_PTR Value)
{
    WCHAR Expected[40] = u"NEREID_CHILD=";
    WCHAR Digits[24];
    SIZE_T n = 0, Prefix = 13;
    const WCHAR *Env = Params->Environment;

    do {
        Digits[n++] = (WCHAR)('0' + Value % 10);
        Value /= 10;
    } while (Value);
    while (n)
        Expected[Prefix++] = Digits[--n];
    Expected[Prefix] = 0;
    for (; Env && *Env; Env += 1) {
        SIZE_T i = 0;

        while (Expected[i] && Env[i] == Expected[i])
            i++;
        if (Expected[i] == 0 && Env[i] == 0)
            return STATUS_SUCCESS;
        while (*Env)
            Env++;
    }
    return PSCHILD_NOT_FOUND;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS Params = Peb->ProcessParameters;
    const WCHAR *Line;
    SIZE_T Length;
    SIZE_T Verb, VerbEnd, Arg, ArgEnd;
    PSCHILD_BASIC_INFORMATION Basic;
    ULONG_PTR Number;
    UCHAR Buffer[0x38];

    if (Params == NULL)
        return PSCHILD_NO_PARAMETERS;
    Line = Params->CommandLine.Buffer;
    Length = Params->CommandLine.Length / sizeof(WCHAR);

    VerbEnd = PsChildWord(Line, Length, PsChildWord(Line, Length, 0, &Verb), &Verb);
    ArgEnd = PsChildWord(Line, Length, VerbEnd, &Arg);
    Number = PsChildNumber(Line + Arg, ArgEnd - Arg);
    if (PsChildIs(Line + Verb, VerbEnd - Verb, "exit"))
        return (NTSTATUS)Number;
    if (PsChildIs(Line + Verb, VerbEnd - Verb, "handle"))
        return NtQueryObject((HANDLE)Number, 0, Buffer, sizeof(Buffer), NULL);
    if (PsChildIs(Line + Verb, VerbEnd - Verb, "env")) {
        NTSTATUS Status = PsChildEnvironment(Params, Number);
        return NT_SUCCESS(Status) ? (NTSTATUS)Number : Status;
    }
    if (PsChildIs(Line + Verb, VerbEnd - Verb, "parent")) {
        NTSTATUS Status =
            NtQueryInformationProcess(NtCurrentProcess(), 0, &Basic, sizeof(Basic), NULL);
        return NT_SUCCESS(Status) ? (NTSTATUS)Basic.InheritedFromUniqueProcessId : Status;
    }
    return PSCHILD_BAD_COMMAND;
}
