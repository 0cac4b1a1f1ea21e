/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateProcessEx: a process from an image section (NtCreateSection
 * with SEC_IMAGE), with no thread: its address space holds the image (the
 * section's cached image segment, shared as every mapping of it is),
 * ntdll, KUSER_SHARED_DATA and a PEB without process parameters. The
 * creator writes those (RtlCreateProcessParameters, NtAllocateVirtualMemory
 * / NtWriteVirtualMemory, Peb->ProcessParameters) and starts the first
 * thread with NtCreateThreadEx at the image's entry with the PEB as its
 * argument, as Windows' older CreateProcess did. Until that thread exists
 * the process is Dormant (psp.h): its handles keep it; closing the last
 * one or NtTerminateProcess ends it.
 *
 * FIXME: no SectionHandle (a copy of the parent's address space, fork) and
 * debug / exception ports (no debug objects, no LPC) are NOT_IMPLEMENTED;
 * JobMemberLevel is ignored (no jobs).
 */
#include "psp.h"

#include <ke.h>
#include <ob.h>
#include <string.h>

#include "ntsvc.h"
#include "../mm/misect.h" /* FIXME: mm should export "the file of an image section" */

#define PROCESS_CREATE_PROCESS 0x0080u
#define PSP_PROCESS_EX_FLAGS   0x7u /* BREAKAWAY, NO_DEBUG_INHERIT, INHERIT_HANDLES */
#define PSP_INHERIT_HANDLES    0x4u

/* The image section behind SectionHandle: its file's bytes. */
static NTSTATUS PspReferenceImageSection(HANDLE SectionHandle, PSECTION *Section)
{
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(SectionHandle, MmSectionObjectType, SECTION_MAP_EXECUTE,
                                       (PVOID *)Section);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!((*Section)->Attributes & SEC_IMAGE) || (*Section)->Segment->Kind != MiSegmentImage ||
        (*Section)->Segment->File == NULL) {
        ObDereferenceObject(*Section);
        *Section = NULL;
        return STATUS_SECTION_NOT_IMAGE;
    }
    return STATUS_SUCCESS;
}

/* The process's images, PEB (no parameters) and inherited handles. */
static NTSTATUS PspBuildSectionProcess(PEPROCESS Process, PEPROCESS Parent, PSECTION Section,
                                       ULONG Flags)
{
    static PSP_IMAGE_INFO Info; /* creation never waits: one scratch description does */
    NTSTATUS Status;

    Status =
        PspMapProcessImages(Process, Section->Segment->File, Section->Segment->FileSize, &Info);
    if (NT_SUCCESS(Status))
        Status = PspCreatePebWithParameters(Process, &Info, 0);
    if (NT_SUCCESS(Status) && (Flags & PSP_INHERIT_HANDLES))
        Status = ObInheritHandles(Parent, Process);
    return Status;
}

static NTSTATUS PspCreateSectionProcess(PEPROCESS Parent, PSECTION Section, ULONG Flags,
                                        PEPROCESS *ProcessOut)
{
    char Name[64] = "unnamed.exe";
    PEPROCESS Process;
    NTSTATUS Status;

    KeArchiveFileName(Section->Segment->File, Name, sizeof(Name));
    Status = PspAllocateProcess(Name, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    PspProcess(Process)->ParentProcessId = Parent->UniqueProcessId;
    Status = PspBuildSectionProcess(Process, Parent, Section, Flags);
    if (!NT_SUCCESS(Status)) {
        PspAbandonProcess(Process);
        return Status;
    }
    PspLinkProcess(Process);
    *ProcessOut = Process;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateProcessEx(HANDLE *ProcessHandle, ACCESS_MASK DesiredAccess,
                           const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes, HANDLE ParentProcess,
                           ULONG Flags, HANDLE SectionHandle, HANDLE DebugPort,
                           HANDLE ExceptionPort, ULONG JobMemberLevel)
{
    PEPROCESS Parent = NULL, Process;
    PSECTION Section = NULL;
    NTSTATUS Status;

    (void)JobMemberLevel;
    PspFlushDeferred();
    if (Flags & ~PSP_PROCESS_EX_FLAGS)
        return STATUS_INVALID_PARAMETER;
    if (ParentProcess == NULL)
        return STATUS_INVALID_PARAMETER; /* only the system creates a process without one */
    Status = ObReferenceObjectByHandle(ParentProcess, PsProcessType, PROCESS_CREATE_PROCESS,
                                       (PVOID *)&Parent);
    if (!NT_SUCCESS(Status))
        return Status;
    if (SectionHandle == NULL || DebugPort != NULL || ExceptionPort != NULL)
        Status = STATUS_NOT_IMPLEMENTED;
    else
        Status = PspReferenceImageSection(SectionHandle, &Section);
    if (NT_SUCCESS(Status) && PspProcess(Parent)->Terminating)
        Status = STATUS_PROCESS_IS_TERMINATING;
    if (NT_SUCCESS(Status))
        Status = PspCreateSectionProcess(Parent, Section, Flags, &Process);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = ObCreateHandle(KeGetCurrentThread()->Process, Process, DesiredAccess,
                            ObjectAttributes ? ObjectAttributes->Attributes : 0, ProcessHandle);
    /* Its handle keeps it from now on (Dormant); without one it goes. */
    PspProcess(Process)->Dormant = true;
    ObDereferenceObject(Process);
out:
    if (Section)
        ObDereferenceObject(Section);
    ObDereferenceObject(Parent);
    return Status;
}
