/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Environment blocks ("NAME=VALUE\0...\0\0"): creation (empty or a clone
 * of the caller's), destruction, setting and removing a variable (the
 * block is rebuilt in fresh pages, kept sorted by name without case as
 * Windows keeps it), queries and %NAME% expansion. A NULL environment
 * means the caller's own block in its process parameters; setting a
 * variable there replaces that block.
 * The caller's own block is read and replaced under the PEB lock
 * (RtlAcquirePebLock), as Windows does.
 */
#include "rtlpsp.h"

/* The caller's environment when this file made it (else NULL). */
static PWSTR RtlpOwnBlock;

static PWSTR RtlpCurrentEnvironment(VOID)
{
    PPEB Peb = NtdllpCurrentPeb();

    return Peb && Peb->ProcessParameters ? Peb->ProcessParameters->Environment : NULL;
}

/* Compare the name of Entry ("NAME=...") with Name, without case: <0, 0, >0. */
static LONG RtlpCompareName(PCWSTR Entry, PCWSTR Name, SIZE_T NameChars)
{
    SIZE_T i = 0;

    /* The first character is part of the name even when it is '='. */
    for (; i < NameChars; i++) {
        WCHAR a, b;

        if (Entry[i] == 0 || (i > 0 && Entry[i] == '='))
            return -1; /* Entry's name is a prefix of Name */
        a = RtlUpcaseUnicodeChar(Entry[i]);
        b = RtlUpcaseUnicodeChar(Name[i]);
        if (a != b)
            return a < b ? -1 : 1;
    }
    return Entry[i] == '=' ? 0 : 1;
}

static SIZE_T RtlpEntryChars(PCWSTR Entry)
{
    SIZE_T n = 0;

    while (Entry[n])
        n++;
    return n;
}

/* The entry for Name, or NULL. */
static PCWSTR RtlpFindVariable(PCWSTR Environment, PCWSTR Name, SIZE_T NameChars)
{
    for (PCWSTR e = Environment; e && *e; e += RtlpEntryChars(e) + 1) {
        if (RtlpCompareName(e, Name, NameChars) == 0)
            return e;
    }
    return NULL;
}

NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN CloneCurrentEnvironment, PVOID *Environment)
{
    PCWSTR Current = CloneCurrentEnvironment ? RtlpCurrentEnvironment() : NULL;
    SIZE_T Size = Current ? RtlpEnvironmentSize(Current) : 2 * sizeof(WCHAR);
    NTSTATUS Status;

    Status = RtlpAllocateBlock(Size, Environment);
    if (NT_SUCCESS(Status) && Current)
        memcpy(*Environment, Current, Size);
    return Status;
}

NTSTATUS NTAPI RtlDestroyEnvironment(PVOID Environment)
{
    RtlpFreeBlock(Environment);
    return STATUS_SUCCESS;
}

/* Old with Name's entry removed and, if Value, NAME=VALUE at its sorted place. */
static VOID RtlpRebuild(PCWSTR Old, PWSTR New, PCUNICODE_STRING Name, PCUNICODE_STRING Value)
{
    SIZE_T NameChars = Name->Length / sizeof(WCHAR);
    BOOLEAN Placed = Value == NULL;

    for (PCWSTR e = Old; e && *e; e += RtlpEntryChars(e) + 1) {
        LONG Order = RtlpCompareName(e, Name->Buffer, NameChars);

        if (!Placed && Order >= 0) {
            memcpy(New, Name->Buffer, Name->Length);
            New += NameChars;
            *New++ = '=';
            memcpy(New, Value->Buffer, Value->Length);
            New += Value->Length / sizeof(WCHAR);
            *New++ = 0;
            Placed = TRUE;
        }
        if (Order == 0)
            continue;
        memcpy(New, e, (RtlpEntryChars(e) + 1) * sizeof(WCHAR));
        New += RtlpEntryChars(e) + 1;
    }
    if (!Placed) {
        memcpy(New, Name->Buffer, Name->Length);
        New += NameChars;
        *New++ = '=';
        memcpy(New, Value->Buffer, Value->Length);
        New += Value->Length / sizeof(WCHAR);
        *New++ = 0;
    }
    *New = 0;
}

static NTSTATUS RtlpCheckName(PCUNICODE_STRING Name)
{
    if (!Name || !Name->Buffer || Name->Length == 0 || (Name->Length & 1))
        return STATUS_INVALID_PARAMETER;
    for (SIZE_T i = 1; i < Name->Length / sizeof(WCHAR); i++) {
        if (Name->Buffer[i] == '=')
            return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS RtlpSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name,
                                           PUNICODE_STRING Value)
{
    PWSTR Old = Environment && *Environment ? *Environment : RtlpCurrentEnvironment();
    PPEB Peb = NtdllpCurrentPeb();
    SIZE_T Size;
    PWSTR New;
    NTSTATUS Status = RtlpCheckName(Name);

    if (!NT_SUCCESS(Status))
        return Status;
    if (Value && (Value->Length & 1))
        return STATUS_INVALID_PARAMETER;
    if (!(Environment && *Environment) && !(Peb && Peb->ProcessParameters))
        return STATUS_INVALID_PARAMETER; /* no block of the caller's to change */
    Size = (Old ? RtlpEnvironmentSize(Old) : 2 * sizeof(WCHAR)) + Name->Length +
           (Value ? Value->Length : 0) + 2 * sizeof(WCHAR);
    if (!Value && !RtlpFindVariable(Old, Name->Buffer, Name->Length / sizeof(WCHAR)))
        return STATUS_SUCCESS; /* nothing to remove */
    Status = RtlpAllocateBlock(Size, (PVOID *)&New);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlpRebuild(Old, New, Name, Value);
    if (Environment && *Environment) {
        *Environment = New;
        RtlpFreeBlock(Old); /* the caller's block, from RtlCreateEnvironment */
        return STATUS_SUCCESS;
    }
    Peb->ProcessParameters->Environment = New;
    Peb->ProcessParameters->EnvironmentSize = RtlpEnvironmentSize(New);
    /* The block ntos placed inside the parameters cannot be freed alone;
     * one this function made can. */
    if (RtlpOwnBlock)
        RtlpFreeBlock(RtlpOwnBlock);
    RtlpOwnBlock = New;
    return STATUS_SUCCESS;
}

static NTSTATUS RtlpQueryEnvironmentVariable(PVOID Environment, PUNICODE_STRING Name,
                                             PUNICODE_STRING Value)
{
    PCWSTR Block = Environment ? Environment : RtlpCurrentEnvironment();
    PCWSTR Entry;
    SIZE_T Bytes;

    if (!Name || !Value)
        return STATUS_INVALID_PARAMETER;
    Entry = RtlpFindVariable(Block, Name->Buffer, Name->Length / sizeof(WCHAR));
    if (!Entry)
        return STATUS_VARIABLE_NOT_FOUND;
    Entry += Name->Length / sizeof(WCHAR) + 1;
    Bytes = RtlpEntryChars(Entry) * sizeof(WCHAR);
    Value->Length = (USHORT)Bytes;
    if (Bytes > Value->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(Value->Buffer, Entry, Bytes);
    if (Bytes + sizeof(WCHAR) <= Value->MaximumLength)
        Value->Buffer[Bytes / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

/* Append Count characters at Out (while they fit in Room chars); the total grows. */
static VOID RtlpEmit(PWSTR Out, SIZE_T Room, SIZE_T *Total, PCWSTR Text, SIZE_T Count)
{
    for (SIZE_T i = 0; i < Count; i++, (*Total)++) {
        if (*Total < Room)
            Out[*Total] = Text[i];
    }
}

static NTSTATUS RtlpExpandEnvironmentStrings(PVOID Environment, PUNICODE_STRING Source,
                                             PUNICODE_STRING Destination, PULONG ReturnedLength)
{
    PCWSTR Block = Environment ? Environment : RtlpCurrentEnvironment();
    PCWSTR In = Source->Buffer;
    SIZE_T Chars = Source->Length / sizeof(WCHAR), Room = Destination->MaximumLength / 2;
    SIZE_T Total = 0, i = 0;

    while (i < Chars) {
        SIZE_T End = i + 1;
        PCWSTR Entry = NULL;

        while (In[i] == '%' && End < Chars && In[End] != '%')
            End++;
        if (In[i] == '%' && End < Chars && End > i + 1)
            Entry = RtlpFindVariable(Block, In + i + 1, End - i - 1);
        if (Entry) {
            Entry += End - i;
            RtlpEmit(Destination->Buffer, Room, &Total, Entry, RtlpEntryChars(Entry));
            i = End + 1;
        } else {
            RtlpEmit(Destination->Buffer, Room, &Total, In + i, 1);
            i++;
        }
    }
    if (ReturnedLength)
        *ReturnedLength = (ULONG)((Total + 1) * sizeof(WCHAR));
    if (Total + 1 > Room || (Total + 1) * sizeof(WCHAR) > 0xfffe)
        return STATUS_BUFFER_TOO_SMALL;
    Destination->Buffer[Total] = 0;
    Destination->Length = (USHORT)(Total * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* The exported forms: the caller's own block only under the PEB lock. */
NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name,
                                         PUNICODE_STRING Value)
{
    BOOLEAN Own = !(Environment && *Environment);
    NTSTATUS Status;

    if (Own)
        RtlAcquirePebLock();
    Status = RtlpSetEnvironmentVariable(Environment, Name, Value);
    if (Own)
        RtlReleasePebLock();
    return Status;
}

NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name,
                                             PUNICODE_STRING Value)
{
    NTSTATUS Status;

    if (!Environment)
        RtlAcquirePebLock();
    Status = RtlpQueryEnvironmentVariable(Environment, Name, Value);
    if (!Environment)
        RtlReleasePebLock();
    return Status;
}

NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PVOID Environment, PUNICODE_STRING Source,
                                             PUNICODE_STRING Destination, PULONG ReturnedLength)
{
    NTSTATUS Status;

    if (!Environment)
        RtlAcquirePebLock();
    Status = RtlpExpandEnvironmentStrings(Environment, Source, Destination, ReturnedLength);
    if (!Environment)
        RtlReleasePebLock();
    return Status;
}
