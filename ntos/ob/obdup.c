/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtDuplicateObject: a new handle, in the same or another process, to the
 * object behind an existing one. Without security descriptors yet, the new
 * handle gets the access asked for (or the source's with
 * DUPLICATE_SAME_ACCESS). As on Windows, DUPLICATE_CLOSE_SOURCE closes the
 * source handle whatever else happens, once the source process is known.
 */

#include <ntsvc.h>
#include "obp.h"

#define OBP_DUPLICATE_OPTIONS                                                                      \
    (DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES)

/* Make the copy of Object in TargetProcessHandle's process. */
static NTSTATUS ObpInsertDuplicate(HANDLE TargetProcessHandle, PVOID Object, ACCESS_MASK Access,
                                   ULONG Attributes, HANDLE *TargetHandle)
{
    NTSTATUS Status;
    PEPROCESS Target = NULL;
    HANDLE New;

    Status = ObReferenceObjectByHandle(TargetProcessHandle, PsProcessType, PROCESS_DUP_HANDLE,
                                       (PVOID *)&Target);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = ObCreateHandle(Target, Object, Access, Attributes, &New);
    if (!NT_SUCCESS(Status))
        goto out;
    /* FIXME: with no TargetHandle pointer the new handle is unreachable, as on
     * Windows; it goes when the target process ends. */
    if (TargetHandle != NULL)
        *TargetHandle = New;
out:
    if (Target != NULL)
        ObDereferenceObject(Target);
    return Status;
}

NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
                           HANDLE TargetProcessHandle, HANDLE *TargetHandle,
                           ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options)
{
    NTSTATUS Status;
    PEPROCESS Source = NULL;
    PVOID Object = NULL;
    ACCESS_MASK Granted;
    ULONG Attributes;

    if ((Options & ~OBP_DUPLICATE_OPTIONS) || (HandleAttributes & ~OBJ_VALID_ATTRIBUTES)) {
        Status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    Status = ObReferenceObjectByHandle(SourceProcessHandle, PsProcessType, PROCESS_DUP_HANDLE,
                                       (PVOID *)&Source);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = ObReferenceObjectByHandleInProcess(Source, SourceHandle, NULL, 0, &Object, &Granted,
                                                &Attributes);
    if (!NT_SUCCESS(Status) || (TargetProcessHandle == NULL && (Options & DUPLICATE_CLOSE_SOURCE)))
        goto out;
    if (!(Options & DUPLICATE_SAME_ACCESS))
        Granted = DesiredAccess;
    if (!(Options & DUPLICATE_SAME_ATTRIBUTES))
        Attributes = HandleAttributes;
    Status = ObpInsertDuplicate(TargetProcessHandle, Object, Granted, Attributes, TargetHandle);
out:
    if (Source != NULL && (Options & DUPLICATE_CLOSE_SOURCE) &&
        SourceHandle != NtCurrentProcess() && SourceHandle != NtCurrentThread())
        ObCloseHandle(Source, SourceHandle);
    if (Object != NULL)
        ObDereferenceObject(Object);
    if (Source != NULL)
        ObDereferenceObject(Source);
    return Status;
}
