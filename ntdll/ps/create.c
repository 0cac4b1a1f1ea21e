/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RtlCreateUserThread and RtlCreateUserProcess on top of NtCreateThreadEx
 * and NtCreateUserProcess. As on Windows, RtlCreateUserProcess leaves the
 * first thread suspended (the caller resumes it) and reports the client id
 * and the image's SECTION_IMAGE_INFORMATION in RTL_USER_PROCESS_INFORMATION.
 *
 * FIXME: security descriptors are ignored (no security yet); a parent
 * other than the caller, a debug port and a token are NOT_IMPLEMENTED.
 */
#include "rtlpsp.h"

#define THREAD_ALL_ACCESS  0x001fffffu
#define PROCESS_ALL_ACCESS 0x001fffffu

#define RTLP_CREATE_SUSPENDED     0x1u
#define RTLP_INHERIT_HANDLES      0x4u
#define RTLP_ATTRIBUTE_CLIENT_ID  0x10003u
#define RTLP_ATTRIBUTE_IMAGE_NAME 0x20005u
#define RTLP_ATTRIBUTE_IMAGE_INFO 0x00006u

typedef struct _RTLP_PS_ATTRIBUTE {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value;
    PSIZE_T ReturnLength;
} RTLP_PS_ATTRIBUTE;

typedef struct _RTLP_PS_ATTRIBUTE_LIST {
    SIZE_T TotalLength;
    RTLP_PS_ATTRIBUTE Attributes[3];
} RTLP_PS_ATTRIBUTE_LIST;

/* PS_CREATE_INFO, Windows x64 (0x58 bytes; the outputs are not needed here). */
typedef struct _RTLP_PS_CREATE_INFO {
    SIZE_T Size;
    UCHAR Rest[0x50];
} RTLP_PS_CREATE_INFO;

NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
                                   BOOLEAN CreateSuspended, ULONG ZeroBits, SIZE_T MaximumStackSize,
                                   SIZE_T CommittedStackSize,
                                   PRTL_THREAD_START_ROUTINE StartAddress, PVOID Parameter,
                                   PHANDLE Thread, PCLIENT_ID ClientId)
{
    RTLP_PS_ATTRIBUTE_LIST List;
    CLIENT_ID Id;
    HANDLE Handle = NULL;
    NTSTATUS Status;

    (void)ThreadSecurityDescriptor;
    List.TotalLength = sizeof(SIZE_T) + sizeof(RTLP_PS_ATTRIBUTE);
    List.Attributes[0] =
        (RTLP_PS_ATTRIBUTE){RTLP_ATTRIBUTE_CLIENT_ID, sizeof(Id), (ULONG_PTR)&Id, NULL};
    Status = NtCreateThreadEx(&Handle, THREAD_ALL_ACCESS, NULL, Process, (PVOID)StartAddress,
                              Parameter, CreateSuspended ? RTLP_CREATE_SUSPENDED : 0, ZeroBits,
                              CommittedStackSize, MaximumStackSize, &List);
    if (!NT_SUCCESS(Status))
        return Status;
    if (ClientId)
        *ClientId = Id;
    if (Thread)
        *Thread = Handle;
    else
        NtClose(Handle);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PVOID ProcessSecurityDescriptor, PVOID ThreadSecurityDescriptor,
                                    HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
                                    HANDLE TokenHandle,
                                    PRTL_USER_PROCESS_INFORMATION ProcessInformation)
{
    RTLP_PS_ATTRIBUTE_LIST List;
    RTLP_PS_CREATE_INFO CreateInfo;
    PRTL_USER_PROCESS_INFORMATION Info = ProcessInformation;

    (void)Attributes;
    (void)ProcessSecurityDescriptor;
    (void)ThreadSecurityDescriptor;
    if (!NtImagePathName || !ProcessParameters || !Info)
        return STATUS_INVALID_PARAMETER;
    if ((ParentProcess && ParentProcess != NtCurrentProcess()) || DebugPort || TokenHandle)
        return STATUS_NOT_IMPLEMENTED;
    memset(Info, 0, sizeof(*Info));
    memset(&CreateInfo, 0, sizeof(CreateInfo));
    CreateInfo.Size = sizeof(CreateInfo);
    List.TotalLength = sizeof(List);
    List.Attributes[0] = (RTLP_PS_ATTRIBUTE){RTLP_ATTRIBUTE_IMAGE_NAME, NtImagePathName->Length,
                                             (ULONG_PTR)NtImagePathName->Buffer, NULL};
    List.Attributes[1] = (RTLP_PS_ATTRIBUTE){RTLP_ATTRIBUTE_CLIENT_ID, sizeof(Info->ClientId),
                                             (ULONG_PTR)&Info->ClientId, NULL};
    List.Attributes[2] =
        (RTLP_PS_ATTRIBUTE){RTLP_ATTRIBUTE_IMAGE_INFO, sizeof(Info->ImageInformation),
                            (ULONG_PTR)&Info->ImageInformation, NULL};
    Info->Length = sizeof(*Info);
    return NtCreateUserProcess(&Info->ProcessHandle, &Info->ThreadHandle, PROCESS_ALL_ACCESS,
                               THREAD_ALL_ACCESS, NULL, NULL,
                               InheritHandles ? RTLP_INHERIT_HANDLES : 0, RTLP_CREATE_SUSPENDED,
                               ProcessParameters, &CreateInfo, &List);
}
