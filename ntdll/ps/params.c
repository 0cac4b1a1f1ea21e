/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Process parameters: RtlCreateProcessParameters(Ex) build one block
 * (the RTL_USER_PROCESS_PARAMETERS, then each string with its NUL, then a
 * copy of the environment) in fresh pages of the caller, the way Windows
 * lays it out, normalised or with offsets; RtlDestroyProcessParameters
 * frees it; RtlDeNormalizeProcessParams turns pointers into offsets.
 * Defaults come from the caller's own parameters (DLL path, current
 * directory, environment).
 */
#include "rtlpsp.h"

#define RTLP_MAX_PATH_BYTES (260 * sizeof(WCHAR)) /* MAX_PATH: CurrentDirectory's room */

NTSTATUS RtlpAllocateBlock(SIZE_T Size, PVOID *Block)
{
    *Block = NULL;
    return NtAllocateVirtualMemory(NtCurrentProcess(), Block, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                   PAGE_READWRITE);
}

VOID RtlpFreeBlock(PVOID Block)
{
    SIZE_T Size = 0;

    NtFreeVirtualMemory(NtCurrentProcess(), &Block, &Size, MEM_RELEASE);
}

SIZE_T RtlpEnvironmentSize(PCWSTR Environment)
{
    PCWSTR p = Environment;

    if (!p[0])
        return 2 * sizeof(WCHAR);
    while (p[0] || p[1])
        p++;
    return (SIZE_T)(p - Environment + 2) * sizeof(WCHAR);
}

static SIZE_T RtlpAlign(SIZE_T n)
{
    return (n + 7) & ~(SIZE_T)7;
}

/* Room a string takes in the block (its bytes and a NUL, or MinRoom). */
static SIZE_T RtlpStringRoom(PCUNICODE_STRING String, SIZE_T MinRoom)
{
    SIZE_T Room = (String ? String->Length : 0) + sizeof(WCHAR);

    return RtlpAlign(Room > MinRoom ? Room : MinRoom);
}

/* Copy Source (NULL: empty) to *Cursor with room Room; describe it in Dest. */
static VOID RtlpPlaceString(PUCHAR *Cursor, PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                            SIZE_T Room)
{
    USHORT Length = Source ? Source->Length : 0;

    if (Length)
        memcpy(*Cursor, Source->Buffer, Length);
    ((PWSTR)*Cursor)[Length / sizeof(WCHAR)] = 0;
    Dest->Buffer = (PWSTR)*Cursor;
    Dest->Length = Length;
    Dest->MaximumLength = (USHORT)(Room > 0xfffe ? 0xfffe : Room);
    *Cursor += Room;
}

static PUNICODE_STRING RtlpParamString(PRTL_USER_PROCESS_PARAMETERS P, ULONG i)
{
    PUNICODE_STRING Strings[8] = {&P->CurrentDirectory.DosPath,
                                  &P->DllPath,
                                  &P->ImagePathName,
                                  &P->CommandLine,
                                  &P->WindowTitle,
                                  &P->DesktopInfo,
                                  &P->ShellInfo,
                                  &P->RuntimeData};
    return Strings[i];
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS Params)
{
    if (!Params || !(Params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        return Params;
    for (ULONG i = 0; i < 8; i++) {
        PUNICODE_STRING String = RtlpParamString(Params, i);

        if (String->Buffer)
            String->Buffer = (PWSTR)((PUCHAR)String->Buffer - (PUCHAR)Params);
    }
    /* The environment stays an absolute pointer in both forms. */
    Params->Flags &= ~RTL_USER_PROC_PARAMS_NORMALIZED;
    return Params;
}

/* The caller's parameters, normalised, or NULL. */
static PRTL_USER_PROCESS_PARAMETERS RtlpOwnParameters(VOID)
{
    PPEB Peb = NtdllpCurrentPeb();

    return Peb ? RtlNormalizeProcessParams(Peb->ProcessParameters) : NULL;
}

typedef struct _RTLP_PARAMS_INPUT {
    PUNICODE_STRING Strings[8]; /* in the structure's order, see RtlpParamString */
    PCWSTR Environment;
} RTLP_PARAMS_INPUT;

static SIZE_T RtlpParametersSize(const RTLP_PARAMS_INPUT *In, SIZE_T *EnvSize)
{
    SIZE_T Size = RtlpAlign(sizeof(RTL_USER_PROCESS_PARAMETERS));

    for (ULONG i = 0; i < 8; i++)
        Size += RtlpStringRoom(In->Strings[i], i == 0 ? RTLP_MAX_PATH_BYTES : 0);
    *EnvSize = In->Environment ? RtlpEnvironmentSize(In->Environment) : 0;
    return Size + *EnvSize;
}

static VOID RtlpFillParameters(PRTL_USER_PROCESS_PARAMETERS P, const RTLP_PARAMS_INPUT *In,
                               SIZE_T Size, SIZE_T EnvSize)
{
    PUCHAR Cursor = (PUCHAR)P + RtlpAlign(sizeof(*P));

    P->MaximumLength = P->Length = (ULONG)Size;
    P->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    for (ULONG i = 0; i < 8; i++)
        RtlpPlaceString(&Cursor, RtlpParamString(P, i), In->Strings[i],
                        RtlpStringRoom(In->Strings[i], i == 0 ? RTLP_MAX_PATH_BYTES : 0));
    if (In->Environment) {
        memcpy(Cursor, In->Environment, EnvSize);
        P->Environment = (PWSTR)Cursor;
        P->EnvironmentSize = EnvSize;
    }
}

NTSTATUS NTAPI RtlCreateProcessParametersEx(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                            PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                            PUNICODE_STRING CurrentDirectory,
                                            PUNICODE_STRING CommandLine, PVOID Environment,
                                            PUNICODE_STRING WindowTitle,
                                            PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                            PUNICODE_STRING RuntimeData, ULONG Flags)
{
    PRTL_USER_PROCESS_PARAMETERS Own = RtlpOwnParameters(), P;
    RTLP_PARAMS_INPUT In = {{CurrentDirectory, DllPath, ImagePathName, CommandLine, WindowTitle,
                             DesktopInfo, ShellInfo, RuntimeData},
                            Environment};
    SIZE_T Size, EnvSize;
    NTSTATUS Status;

    if (!ProcessParameters || !ImagePathName)
        return STATUS_INVALID_PARAMETER;
    *ProcessParameters = NULL;
    if (!In.Strings[0] && Own)
        In.Strings[0] = &Own->CurrentDirectory.DosPath;
    if (!In.Strings[1] && Own)
        In.Strings[1] = &Own->DllPath;
    if (!In.Strings[3])
        In.Strings[3] = ImagePathName;
    if (!In.Environment && Own)
        In.Environment = Own->Environment;
    Size = RtlpParametersSize(&In, &EnvSize);
    Status = RtlpAllocateBlock(Size, (PVOID *)&P);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlpFillParameters(P, &In, Size, EnvSize);
    if (!(Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        RtlDeNormalizeProcessParams(P);
    *ProcessParameters = P;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory,
                                          PUNICODE_STRING CommandLine, PVOID Environment,
                                          PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
                                          PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData)
{
    return RtlCreateProcessParametersEx(ProcessParameters, ImagePathName, DllPath, CurrentDirectory,
                                        CommandLine, Environment, WindowTitle, DesktopInfo,
                                        ShellInfo, RuntimeData, 0);
}

NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters)
{
    if (ProcessParameters)
        RtlpFreeBlock(ProcessParameters);
    return STATUS_SUCCESS;
}
