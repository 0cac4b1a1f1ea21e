/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process parameters NtCreateUserProcess gets from its caller: an
 * RTL_USER_PROCESS_PARAMETERS in the caller's memory, normalised (string
 * Buffers are pointers) or not (they are offsets from the block), and the
 * environment it points at (EnvironmentSize bytes, or up to its double NUL
 * when that is 0). Every string and the environment are captured into
 * ntos's pool, then laid out again, normalised, in fresh committed pages of
 * the new process, whose PEB points at them.
 *
 * FIXME: CurrentDirectory.Handle is not carried over (a directory handle
 * needs the file system); the console and standard handles are copied as
 * values, which is what Windows does for handles the child inherits.
 */
#include "psp.h"

#include <ke.h>
#include <nt/peb.h>
#include <string.h>

#define PSP_PARAMS_TAG      0x61726150 /* 'Para' */
#define PSP_MAX_ENVIRONMENT 0x100000   /* 1 MiB of environment at most */
#define PSP_PARAM_STRINGS   8

/* The captured block: the structure and a pool copy of each string. */
typedef struct _PSP_CAPTURED_PARAMETERS {
    RTL_USER_PROCESS_PARAMETERS Header;
    WCHAR *Strings[PSP_PARAM_STRINGS];
    WCHAR *Environment;
    SIZE_T EnvironmentSize;
} PSP_CAPTURED_PARAMETERS;

static UNICODE_STRING *PspParamString(RTL_USER_PROCESS_PARAMETERS *P, ULONG Index)
{
    UNICODE_STRING *Strings[PSP_PARAM_STRINGS] = {
        &P->CurrentDirectory.DosPath,
        &P->DllPath,
        &P->ImagePathName,
        &P->CommandLine,
        &P->WindowTitle,
        &P->DesktopInfo,
        &P->ShellInfo,
        &P->RuntimeData,
    };
    return Strings[Index];
}

/* One string of the caller's block: Length bytes, room for MaximumLength. */
static NTSTATUS PspCaptureString(PEPROCESS Caller, ULONG_PTR Base, bool Normalized,
                                 UNICODE_STRING *String, WCHAR **Copy)
{
    ULONG_PTR Address = (ULONG_PTR)String->Buffer;

    *Copy = NULL;
    if ((String->Length & 1) || String->Length > String->MaximumLength)
        return STATUS_INVALID_PARAMETER;
    if (String->MaximumLength == 0)
        return STATUS_SUCCESS;
    if (!Normalized && Address != 0)
        Address += Base;
    *Copy = ExAllocatePoolWithTag(String->MaximumLength + sizeof(WCHAR), PSP_PARAMS_TAG);
    if (*Copy == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (String->Length == 0)
        return STATUS_SUCCESS;
    if (Address == 0)
        return STATUS_INVALID_PARAMETER;
    return MmCopyFromUser(Caller, *Copy, Address, String->Length);
}

/* The environment: EnvironmentSize bytes, or up to and with its "\0\0". */
static NTSTATUS PspCaptureEnvironment(PEPROCESS Caller, PSP_CAPTURED_PARAMETERS *C)
{
    ULONG_PTR Address = (ULONG_PTR)C->Header.Environment;
    SIZE_T Size = C->Header.EnvironmentSize, Chars = 0;
    WCHAR Pair[2] = {1, 1};

    if (Address == 0)
        return STATUS_SUCCESS;
    if (Size == 0) {
        /* A character at a time is slow but bounded, and rare (Windows
         * fills EnvironmentSize itself). */
        for (; Chars < PSP_MAX_ENVIRONMENT / sizeof(WCHAR); Chars++) {
            Pair[0] = Pair[1];
            RET_ERR(MmCopyFromUser(Caller, &Pair[1], Address + Chars * 2, sizeof(WCHAR)));
            if (Chars > 0 && Pair[0] == 0 && Pair[1] == 0)
                break;
        }
        Size = (Chars + 1) * sizeof(WCHAR);
    }
    if (Size > PSP_MAX_ENVIRONMENT || (Size & 1))
        return STATUS_INVALID_PARAMETER;
    C->Environment = ExAllocatePoolWithTag(Size, PSP_PARAMS_TAG);
    if (C->Environment == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    C->EnvironmentSize = Size;
    return MmCopyFromUser(Caller, C->Environment, Address, Size);
}

static void PspReleaseParameters(PSP_CAPTURED_PARAMETERS *C)
{
    for (ULONG i = 0; i < PSP_PARAM_STRINGS; i++) {
        if (C->Strings[i])
            ExFreePoolWithTag(C->Strings[i], PSP_PARAMS_TAG);
    }
    if (C->Environment)
        ExFreePoolWithTag(C->Environment, PSP_PARAMS_TAG);
}

static NTSTATUS PspCaptureParameters(ULONG_PTR Address, PSP_CAPTURED_PARAMETERS *C)
{
    PEPROCESS Caller = KeGetCurrentThread()->Process;
    bool Normalized;
    NTSTATUS Status;

    memset(C, 0, sizeof(*C));
    if (Address == 0)
        return STATUS_INVALID_PARAMETER;
    Status = MmCopyFromUser(Caller, &C->Header, Address, sizeof(C->Header));
    if (!NT_SUCCESS(Status))
        return Status;
    Normalized = C->Header.Flags & RTL_USER_PROC_PARAMS_NORMALIZED;
    for (ULONG i = 0; NT_SUCCESS(Status) && i < PSP_PARAM_STRINGS; i++)
        Status = PspCaptureString(Caller, Address, Normalized, PspParamString(&C->Header, i),
                                  &C->Strings[i]);
    if (NT_SUCCESS(Status))
        Status = PspCaptureEnvironment(Caller, C);
    return Status;
}

/* The size of the block laid out again in the child (8-byte aligned parts). */
static SIZE_T PspParametersSize(PSP_CAPTURED_PARAMETERS *C)
{
    SIZE_T Size = sizeof(RTL_USER_PROCESS_PARAMETERS);

    for (ULONG i = 0; i < PSP_PARAM_STRINGS; i++)
        Size += (PspParamString(&C->Header, i)->MaximumLength + 7) & ~7ull;
    return Size + C->EnvironmentSize;
}

/* Lay the block out at Block (ntos memory) for the child address UserBase. */
static void PspLayOutParameters(PSP_CAPTURED_PARAMETERS *C, UCHAR *Block, ULONG_PTR UserBase)
{
    RTL_USER_PROCESS_PARAMETERS *P = (RTL_USER_PROCESS_PARAMETERS *)Block;
    SIZE_T Used = sizeof(*P);

    *P = C->Header;
    P->CurrentDirectory.Handle = NULL;
    for (ULONG i = 0; i < PSP_PARAM_STRINGS; i++) {
        UNICODE_STRING *S = PspParamString(P, i);

        S->Buffer = S->MaximumLength ? (PWSTR)(UserBase + Used) : NULL;
        if (S->Length)
            memcpy(Block + Used, C->Strings[i], S->Length);
        Used += (S->MaximumLength + 7) & ~7ull;
    }
    P->Environment = C->Environment ? (PWSTR)(UserBase + Used) : NULL;
    P->EnvironmentSize = C->EnvironmentSize;
    if (C->Environment)
        memcpy(Block + Used, C->Environment, C->EnvironmentSize);
    P->MaximumLength = P->Length = (ULONG)(Used + C->EnvironmentSize);
    P->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
}

NTSTATUS PspCopyProcessParameters(PEPROCESS Process, ULONG_PTR UserParameters,
                                  ULONG_PTR *Parameters, ULONG *Flags)
{
    PSP_CAPTURED_PARAMETERS *C;
    UCHAR *Block = NULL;
    ULONG_PTR UserBase = 0;
    SIZE_T Size;
    NTSTATUS Status;

    C = ExAllocatePoolWithTag(sizeof(*C), PSP_PARAMS_TAG);
    if (C == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = PspCaptureParameters(UserParameters, C);
    if (!NT_SUCCESS(Status))
        goto out;
    Size = PspParametersSize(C);
    Block = ExAllocatePoolWithTag(Size, PSP_PARAMS_TAG);
    Status = Block ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status))
        Status = MmReserveRange(Process->AddressSpace, &UserBase, ROUND_TO_PAGES(Size),
                                PAGE_READWRITE, true);
    if (!NT_SUCCESS(Status))
        goto out;
    PspLayOutParameters(C, Block, UserBase);
    Status = MmCopyToUser(Process, UserBase, Block, Size);
    *Parameters = UserBase;
    *Flags = ((RTL_USER_PROCESS_PARAMETERS *)Block)->Flags;
out:
    if (Block)
        ExFreePoolWithTag(Block, PSP_PARAMS_TAG);
    PspReleaseParameters(C);
    ExFreePoolWithTag(C, PSP_PARAMS_TAG);
    return Status;
}
