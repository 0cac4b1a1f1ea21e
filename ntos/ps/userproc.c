/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateUserProcess: a process from the image named by the
 * PS_ATTRIBUTE_IMAGE_NAME attribute (an NT path under \SystemRoot, see
 * PspResolveImageName), with the caller's process parameters copied in
 * (params.c), the caller as its parent (InheritedFromUniqueProcessId),
 * the caller's inheritable handles when PROCESS_CREATE_FLAGS_INHERIT_HANDLES
 * asks, and its first thread at the image's entry point (suspended when
 * ThreadFlags asks); PS_CREATE_INFO reports PsCreateSuccess with the PEB
 * and parameters addresses. The caller gets a handle to each. The first
 * thread is made stopped and runs only once both handles exist.
 */
#include "psattr.h"

#include <ke.h>
#include <ob.h>
#include <string.h>

#include "ntsvc.h"
#include "../rtl/rtl.h"

#define PROCESS_CREATE_FLAGS_BREAKAWAY        0x01u
#define PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT 0x02u
#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES  0x04u
#define PSP_PROCESS_FLAGS_ACCEPTED                                                                 \
    (PROCESS_CREATE_FLAGS_BREAKAWAY | PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT |                      \
     PROCESS_CREATE_FLAGS_INHERIT_HANDLES)
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x01u
#define PSP_USER_THREAD_FLAGS_VALID          0xf7u /* as NtCreateThreadEx (create.c) */

#define PSP_MAX_IMAGE_NAME 260

/* PS_CREATE_INFO, Windows x64: the input size and the success output. */
enum { PsCreateInitialState, PsCreateFailOnFileOpen = 1, PsCreateSuccess = 6 };
typedef struct _PS_CREATE_INFO {
    SIZE_T Size;
    ULONG State;
    ULONG Padding;
    ULONG OutputFlags;
    ULONG Padding2;
    HANDLE FileHandle;
    HANDLE SectionHandle;
    ULONGLONG UserProcessParametersNative;
    ULONG UserProcessParametersWow64;
    ULONG CurrentParameterFlags;
    ULONGLONG PebAddressNative;
    ULONG PebAddressWow64;
    ULONG Padding3;
    ULONGLONG ManifestAddress;
    ULONG ManifestSize;
    ULONG Padding4;
} PS_CREATE_INFO;
_Static_assert(sizeof(PS_CREATE_INFO) == 0x58, "PS_CREATE_INFO");
_Static_assert(offsetof(PS_CREATE_INFO, PebAddressNative) == 0x38, "PS_CREATE_INFO.Peb");

/* Does Name (Chars characters) start with the ASCII Prefix, ignoring case? */
static bool PspHasPrefix(const WCHAR *Name, SIZE_T Chars, const char *Prefix)
{
    SIZE_T n = strlen(Prefix);

    if (Chars < n)
        return false;
    for (SIZE_T i = 0; i < n; i++) {
        WCHAR c = Name[i] >= 'a' && Name[i] <= 'z' ? Name[i] - 32 : Name[i];
        char p = Prefix[i] >= 'a' && Prefix[i] <= 'z' ? Prefix[i] - 32 : Prefix[i];
        if (c != (WCHAR)(UCHAR)p)
            return false;
    }
    return true;
}

/*
 * The archive file an NT image path names: \SystemRoot\<file> or
 * \SystemRoot\System32\<file> (and the same under \??\C:\Windows, the DOS
 * form of the system root). FIXME: goes through the \SystemRoot file store
 * and an image section when the sections branch lands.
 */
static NTSTATUS PspResolveImageName(const WCHAR *Name, SIZE_T Chars, char *File, SIZE_T Size)
{
    static const char *const Roots[] = {"\\SystemRoot\\System32\\", "\\SystemRoot\\",
                                        "\\??\\C:\\Windows\\System32\\", "\\??\\C:\\Windows\\"};
    SIZE_T Skip = 0, n = 0;
    const void *Data;
    SIZE_T DataSize;

    if (Chars == 0 || Name[0] != '\\')
        return STATUS_OBJECT_NAME_INVALID;
    for (ULONG i = 0; i < ARRAYSIZE(Roots) && Skip == 0; i++) {
        if (PspHasPrefix(Name, Chars, Roots[i]))
            Skip = strlen(Roots[i]);
    }
    if (Skip == 0)
        return STATUS_OBJECT_PATH_NOT_FOUND;
    for (SIZE_T i = Skip; i < Chars; i++) {
        if (Name[i] == '\\')
            return STATUS_OBJECT_PATH_NOT_FOUND; /* a directory the store does not have */
        if (Name[i] == 0 || Name[i] > 0x7e || n + 1 >= Size)
            return STATUS_OBJECT_NAME_INVALID;
        File[n++] = (char)Name[i];
    }
    File[n] = 0;
    if (n == 0)
        return STATUS_OBJECT_NAME_INVALID;
    return KeFindArchiveFile(File, &Data, &DataSize) ? STATUS_SUCCESS
                                                     : STATUS_OBJECT_NAME_NOT_FOUND;
}

/* The image name attribute, resolved to an archive file name. */
static NTSTATUS PspImageNameAttribute(const PSP_ATTRIBUTES *Attributes, char *File, SIZE_T Size)
{
    static WCHAR Name[PSP_MAX_IMAGE_NAME];
    const PS_ATTRIBUTE *Attribute = PspFindAttribute(Attributes, PS_ATTRIBUTE_IMAGE_NAME);
    NTSTATUS Status;

    if (Attribute == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Attribute->Size > sizeof(Name))
        return STATUS_OBJECT_NAME_INVALID;
    Status = MmCopyFromUser(KeGetCurrentThread()->Process, Name, Attribute->Value, Attribute->Size);
    if (NT_SUCCESS(Status))
        Status = PspResolveImageName(Name, Attribute->Size / sizeof(WCHAR), File, Size);
    return Status;
}

/* PS_CREATE_INFO: its Size must be Windows'; it must be writable. */
static NTSTATUS PspCheckCreateInfo(USER_ADDRESS CreateInfo)
{
    PEPROCESS Caller = KeGetCurrentThread()->Process;
    SIZE_T Size;
    NTSTATUS Status;

    Status = KiProbeUser(Caller, CreateInfo.Value, sizeof(PS_CREATE_INFO), 8, FALSE,
                         STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);
    if (NT_SUCCESS(Status))
        Status = MmCopyFromUser(Caller, &Size, CreateInfo.Value, sizeof(Size));
    if (NT_SUCCESS(Status) && Size != sizeof(PS_CREATE_INFO))
        Status = STATUS_INVALID_PARAMETER;
    return Status;
}

static void PspWriteCreateState(USER_ADDRESS CreateInfo, ULONG State)
{
    MmCopyToUser(KeGetCurrentThread()->Process, CreateInfo.Value + offsetof(PS_CREATE_INFO, State),
                 &State, sizeof(State));
}

static void PspWriteCreateSuccess(USER_ADDRESS CreateInfo, PEPROCESS Process, ULONG_PTR Parameters,
                                  ULONG ParameterFlags)
{
    PS_CREATE_INFO Info;

    memset(&Info, 0, sizeof(Info));
    Info.Size = sizeof(Info);
    Info.State = PsCreateSuccess;
    Info.UserProcessParametersNative = Parameters;
    Info.CurrentParameterFlags = ParameterFlags;
    Info.PebAddressNative = Process->PebAddress;
    /* FileHandle and SectionHandle are optional: none until files exist. */
    MmCopyToUser(KeGetCurrentThread()->Process, CreateInfo.Value, &Info, sizeof(Info));
}

/* The address space, parameters, PEB, inherited handles and stopped first
 * thread of a new process (not yet in the process list). */
static NTSTATUS PspBuildUserProcess(PEPROCESS Process, const char *File, ULONG_PTR UserParameters,
                                    ULONG ProcessFlags, const PSP_ATTRIBUTES *Attributes,
                                    ULONG_PTR *Parameters, ULONG *ParameterFlags, PETHREAD *Thread)
{
    static PSP_IMAGE_INFO Info; /* creation never waits: one scratch description does */
    static SECTION_IMAGE_INFORMATION ImageInfo;
    PSP_THREAD_START Start = {.Suspended = true};
    const void *Data;
    SIZE_T Size;
    NTSTATUS Status;

    if (!KeFindArchiveFile(File, &Data, &Size))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    Status = PspMapProcessImages(Process, Data, Size, &Info);
    if (NT_SUCCESS(Status))
        Status = PspCopyProcessParameters(Process, UserParameters, Parameters, ParameterFlags);
    if (NT_SUCCESS(Status))
        Status = PspCreatePebWithParameters(Process, &Info, *Parameters);
    if (NT_SUCCESS(Status) && (ProcessFlags & PROCESS_CREATE_FLAGS_INHERIT_HANDLES))
        Status = ObInheritHandles(KeGetCurrentThread()->Process, Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Start.ContextRip = Start.Win32StartAddress = Process->ImageBase + Info.EntryPointRva;
    Start.ContextRcx = Process->PebAddress;
    Status = PspCreateThreadEx(Process, &Start, Thread);
    if (NT_SUCCESS(Status)) {
        PspFillImageInformation(&Info, Data, Size, Size, &ImageInfo);
        PspWriteImageInfoAttribute(Attributes, &ImageInfo, sizeof(ImageInfo));
    }
    return Status;
}

/* Both handles for the caller; on failure the new process ends. */
static NTSTATUS PspCreateUserHandles(PEPROCESS Process, PETHREAD Thread, ACCESS_MASK ProcessAccess,
                                     ACCESS_MASK ThreadAccess,
                                     const CAPTURED_OBJECT_ATTRIBUTES *ProcessAttributes,
                                     const CAPTURED_OBJECT_ATTRIBUTES *ThreadAttributes,
                                     HANDLE *ProcessHandle, HANDLE *ThreadHandle)
{
    PEPROCESS Caller = KeGetCurrentThread()->Process;
    NTSTATUS Status;

    Status = ObCreateHandle(Caller, Process, ProcessAccess,
                            ProcessAttributes ? ProcessAttributes->Attributes : 0, ProcessHandle);
    if (!NT_SUCCESS(Status))
        goto fail;
    Status = ObCreateHandle(Caller, Thread, ThreadAccess,
                            ThreadAttributes ? ThreadAttributes->Attributes : 0, ThreadHandle);
    if (NT_SUCCESS(Status))
        return Status;
    ObCloseHandle(Caller, *ProcessHandle);
fail:
    PsTerminateProcess(Process, Status);
    return Status;
}

static NTSTATUS PspCheckCreateFlags(ULONG ProcessFlags, ULONG ThreadFlags)
{
    /* FIXME: the other PROCESS_CREATE_FLAGS_* (protected processes, large
     * pages, address space override) are refused until they mean something. */
    if ((ProcessFlags & ~PSP_PROCESS_FLAGS_ACCEPTED) ||
        (ThreadFlags & ~PSP_USER_THREAD_FLAGS_VALID))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateUserProcess(HANDLE *ProcessHandle, HANDLE *ThreadHandle,
                             ACCESS_MASK ProcessDesiredAccess, ACCESS_MASK ThreadDesiredAccess,
                             const CAPTURED_OBJECT_ATTRIBUTES *ProcessObjectAttributes,
                             const CAPTURED_OBJECT_ATTRIBUTES *ThreadObjectAttributes,
                             ULONG ProcessFlags, ULONG ThreadFlags, USER_ADDRESS ProcessParameters,
                             USER_ADDRESS CreateInfo, USER_ADDRESS AttributeList)
{
    static PSP_ATTRIBUTES Attributes; /* creation never waits */
    static char File[PSP_MAX_IMAGE_NAME];
    PEPROCESS Process = NULL;
    PETHREAD Thread = NULL;
    ULONG_PTR Parameters = 0;
    ULONG ParameterFlags = 0;
    NTSTATUS Status;

    PspFlushDeferred();
    Status = PspCheckCreateFlags(ProcessFlags, ThreadFlags);
    if (NT_SUCCESS(Status))
        Status = PspCheckCreateInfo(CreateInfo);
    if (NT_SUCCESS(Status))
        Status = PspCaptureAttributes(
            AttributeList, PSP_ACCEPT_IMAGE_NAME | PSP_ACCEPT_CLIENT_ID | PSP_ACCEPT_IMAGE_INFO,
            &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = PspImageNameAttribute(&Attributes, File, sizeof(File));
    if (!NT_SUCCESS(Status)) {
        PspWriteCreateState(CreateInfo, PsCreateFailOnFileOpen);
        return Status;
    }
    Status = PspAllocateProcess(File, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    PspProcess(Process)->ParentProcessId = KeGetCurrentThread()->Process->UniqueProcessId;
    Status = PspBuildUserProcess(Process, File, ProcessParameters.Value, ProcessFlags, &Attributes,
                                 &Parameters, &ParameterFlags, &Thread);
    if (!NT_SUCCESS(Status)) {
        PspAbandonProcess(Process);
        return Status;
    }
    PspLinkProcess(Process);
    Status = PspCreateUserHandles(Process, Thread, ProcessDesiredAccess, ThreadDesiredAccess,
                                  ProcessObjectAttributes, ThreadObjectAttributes, ProcessHandle,
                                  ThreadHandle);
    if (!NT_SUCCESS(Status))
        return Status;
    PspWriteThreadAttributes(&Attributes, Thread);
    PspWriteCreateSuccess(CreateInfo, Process, Parameters, ParameterFlags);
    if (!(ThreadFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED))
        PsResumeThread(Thread, NULL);
    return STATUS_SUCCESS;
}
