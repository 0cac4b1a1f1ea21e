/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PEB and the process parameters of a new process (nt-abi §2.2, §2.4),
 * built in ntos and copied into fresh committed pages of the process. The
 * parameters are normalised (string Buffers are user pointers), with the
 * image path, the command line, a current directory, an empty DLL path and
 * a small environment. What the loader owns (Ldr, the heap, the TLS
 * bitmaps, the loader lock) is left to ntdll's LdrInitializeThunk.
 *
 * FIXME: the current directory is the placeholder "C:\" and the image path
 * "C:\Windows\System32\<name>" until a file system and the object
 * namespace exist; no standard handles or console are passed yet.
 */
#include "psp.h"

#include <mm.h>
#include <nt/peb.h>
#include <string.h>

#define PSP_SYSTEM_DIRECTORY  u"C:\\Windows\\System32\\"
#define PSP_CURRENT_DIRECTORY u"C:\\"
#define PSP_CURDIR_CHARS      260 /* MAX_PATH: room for SetCurrentDirectory */
#define PSP_MAX_COMMAND_LINE  4096
#define PSP_MAX_PARAMETERS    0x4000

static const WCHAR PspEnvironment[] = u"Path=C:\\Windows\\System32\0"
                                      u"SystemRoot=C:\\Windows\0";

/* The parameters block under construction: ntos bytes and their user address. */
typedef struct _PSP_PARAMS_BUILDER {
    UCHAR *Buffer;
    ULONG Used;
    ULONG_PTR UserBase;
} PSP_PARAMS_BUILDER;

static UCHAR PspParamsScratch[PSP_MAX_PARAMETERS] __attribute__((aligned(16)));

static SIZE_T PspWideLength(const WCHAR *s)
{
    SIZE_T n = 0;

    while (s[n])
        n++;
    return n;
}

/* Append Prefix and then Ascii (widened, may be NULL) with a NUL and room for
 * MaxChars characters in all; describe it in String. */
static void PspAppendString(PSP_PARAMS_BUILDER *B, const WCHAR *Prefix, const char *Ascii,
                            SIZE_T MaxChars, UNICODE_STRING *String)
{
    WCHAR *Out = (WCHAR *)(B->Buffer + B->Used);
    SIZE_T n = 0;

    for (SIZE_T i = 0; Prefix[i]; i++)
        Out[n++] = Prefix[i];
    for (SIZE_T i = 0; Ascii && Ascii[i]; i++)
        Out[n++] = (UCHAR)Ascii[i];
    Out[n] = 0;
    if (MaxChars < n + 1)
        MaxChars = n + 1;
    String->Length = (USHORT)(n * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(MaxChars * sizeof(WCHAR));
    String->Buffer = (PWSTR)(B->UserBase + B->Used);
    B->Used += (ULONG)((MaxChars * sizeof(WCHAR) + 7) & ~7ull);
}

static void PspBuildParameters(PSP_PARAMS_BUILDER *B, const char *ImageName,
                               const WCHAR *CommandLine)
{
    RTL_USER_PROCESS_PARAMETERS *P = (RTL_USER_PROCESS_PARAMETERS *)B->Buffer;

    memset(B->Buffer, 0, PSP_MAX_PARAMETERS);
    B->Used = sizeof(*P);
    P->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    PspAppendString(B, PSP_CURRENT_DIRECTORY, NULL, PSP_CURDIR_CHARS, &P->CurrentDirectory.DosPath);
    PspAppendString(B, u"", NULL, 1, &P->DllPath);
    PspAppendString(B, PSP_SYSTEM_DIRECTORY, ImageName, 0, &P->ImagePathName);
    PspAppendString(B, CommandLine, NULL, 0, &P->CommandLine);
    PspAppendString(B, u"", NULL, 1, &P->WindowTitle);
    PspAppendString(B, u"", NULL, 1, &P->DesktopInfo);
    PspAppendString(B, u"", NULL, 1, &P->ShellInfo);
    PspAppendString(B, u"", NULL, 1, &P->RuntimeData);
    P->Environment = (PWSTR)(B->UserBase + B->Used);
    P->EnvironmentSize = sizeof(PspEnvironment);
    memcpy(B->Buffer + B->Used, PspEnvironment, sizeof(PspEnvironment));
    B->Used += sizeof(PspEnvironment);
    P->MaximumLength = P->Length = B->Used;
}

static NTSTATUS PspCreateParameters(PEPROCESS Process, const char *ImageName,
                                    const WCHAR *CommandLine, ULONG_PTR *Parameters)
{
    PSP_PARAMS_BUILDER B = {PspParamsScratch, 0, 0};
    NTSTATUS Status;

    if (PspWideLength(CommandLine) > PSP_MAX_COMMAND_LINE || strlen(ImageName) > 64)
        return STATUS_INVALID_PARAMETER;
    Status = MmReserveRange(Process->AddressSpace, &B.UserBase, PSP_MAX_PARAMETERS, PAGE_READWRITE,
                            true);
    if (!NT_SUCCESS(Status))
        goto out;
    PspBuildParameters(&B, ImageName, CommandLine);
    ASSERT(B.Used <= PSP_MAX_PARAMETERS); /* the limits above keep it inside */
    Status = MmCopyToUser(Process, B.UserBase, B.Buffer, B.Used);
    *Parameters = B.UserBase;
out:
    return Status;
}

static void PspFillPeb(PPEB Peb, PEPROCESS Process, PPSP_IMAGE_INFO Image, ULONG_PTR Parameters)
{
    memset(Peb, 0, sizeof(*Peb));
    Peb->ImageBaseAddress = (PVOID)Process->ImageBase;
    Peb->ProcessParameters = (PRTL_USER_PROCESS_PARAMETERS)Parameters;
    Peb->NumberOfProcessors = 1;
    Peb->ActiveProcessAffinityMask = 1;
    Peb->CriticalSectionTimeout.QuadPart = -2592000ll * 10000000; /* 30 days */
    Peb->HeapSegmentReserve = 0x100000;
    Peb->HeapSegmentCommit = 0x2000;
    Peb->HeapDeCommitTotalFreeThreshold = 0x10000;
    Peb->HeapDeCommitFreeBlockThreshold = 0x1000;
    Peb->MaximumNumberOfHeaps = 16;
    Peb->OSMajorVersion = 10;
    Peb->OSMinorVersion = 0;
    Peb->OSBuildNumber = 19041;
    Peb->OSPlatformId = 2; /* VER_PLATFORM_WIN32_NT */
    Peb->ImageSubsystem = Image->Subsystem;
    Peb->ImageSubsystemMajorVersion = Image->SubsystemMajorVersion;
    Peb->ImageSubsystemMinorVersion = Image->SubsystemMinorVersion;
    Peb->SessionId = 0;
}

NTSTATUS PspCreatePebWithParameters(PEPROCESS Process, PPSP_IMAGE_INFO Image, ULONG_PTR Parameters)
{
    static PEB Peb; /* process creation never waits: one scratch PEB does */
    ULONG_PTR PebAddress = 0;
    NTSTATUS Status;

    Status = MmReserveRange(Process->AddressSpace, &PebAddress, PAGE_SIZE, PAGE_READWRITE, true);
    if (!NT_SUCCESS(Status))
        goto out;
    PspFillPeb(&Peb, Process, Image, Parameters);
    Status = MmCopyToUser(Process, PebAddress, &Peb, sizeof(Peb));
    if (NT_SUCCESS(Status))
        Process->PebAddress = PebAddress;
out:
    return Status;
}

NTSTATUS PspCreatePeb(PEPROCESS Process, PPSP_IMAGE_INFO Image, const char *ImageName,
                      const WCHAR *CommandLine)
{
    ULONG_PTR Parameters;
    NTSTATUS Status;

    Status = PspCreateParameters(Process, ImageName, CommandLine, &Parameters);
    if (NT_SUCCESS(Status))
        Status = PspCreatePebWithParameters(Process, Image, Parameters);
    return Status;
}
