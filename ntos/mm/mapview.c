/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtMapViewOfSection and NtUnmapViewOfSection: Windows' checks of the
 * arguments (in its order), the section rights a view's protection needs
 * and the protections a section allows its views, the rounding of the
 * offset and size (the offset down to 64 KiB, the size grown by as much
 * and up to whole pages), and the mapping itself (view.c, image.c).
 */
#include "misect.h"
#include <ps.h>

#include "ntsvc.h"

#define ViewShare 1
#define ViewUnmap 2

#define MEM_RESERVE     0x00002000u
#define MEM_TOP_DOWN    0x00100000u
#define SEC_NO_CHANGE   0x00400000u
#define MEM_LARGE_PAGES 0x20000000u
#define MEM_DOS_LIM     0x40000000u
#define MI_MAP_VALID_TYPES                                                                         \
    (MEM_RESERVE | MEM_TOP_DOWN | SEC_NO_CHANGE | MEM_LARGE_PAGES | MEM_DOS_LIM)

#define PROCESS_VM_OPERATION 0x0008u

/* The section right a view of protection Protect needs (NT's table). */
static ACCESS_MASK MiSectionAccessFor(ULONG Protect)
{
    switch (Protect & 0xff) {
    case PAGE_READWRITE:
        return SECTION_MAP_WRITE;
    case PAGE_EXECUTE:
        return SECTION_MAP_EXECUTE;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY:
        return SECTION_MAP_EXECUTE | SECTION_MAP_READ;
    case PAGE_EXECUTE_READWRITE:
        return SECTION_MAP_EXECUTE | SECTION_MAP_WRITE;
    default: /* NOACCESS, READONLY, WRITECOPY */
        return SECTION_MAP_READ;
    }
}

/* Whether a section of protection Section allows views of protection View. */
static bool MiCompatibleProtection(ULONG Section, ULONG View)
{
    ULONG Allowed;

    switch (Section & 0xff) {
    case PAGE_READONLY:
    case PAGE_WRITECOPY:
        Allowed = PAGE_NOACCESS | PAGE_READONLY | PAGE_WRITECOPY;
        break;
    case PAGE_READWRITE:
        Allowed = PAGE_NOACCESS | PAGE_READONLY | PAGE_WRITECOPY | PAGE_READWRITE;
        break;
    case PAGE_EXECUTE:
        Allowed = PAGE_NOACCESS | PAGE_EXECUTE;
        break;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY:
        Allowed = PAGE_NOACCESS | PAGE_READONLY | PAGE_WRITECOPY | PAGE_EXECUTE |
                  PAGE_EXECUTE_READ | PAGE_EXECUTE_WRITECOPY;
        break;
    default: /* EXECUTE_READWRITE */
        Allowed = 0xff;
        break;
    }
    return (View & 0xff & Allowed) != 0;
}

/* The checks, and where a view may go (ZeroBits as NtAllocateVirtualMemory's). */
static NTSTATUS MiCheckMapArguments(ULONG_PTR ZeroBits, ULONG InheritDisposition,
                                    ULONG AllocationType, ULONG Win32Protect, MI_VIEW_PLACE *Place)
{
    if (InheritDisposition != ViewShare && InheritDisposition != ViewUnmap)
        return STATUS_INVALID_PARAMETER_8;
    if (AllocationType & ~MI_MAP_VALID_TYPES)
        return STATUS_INVALID_PARAMETER_9;
    if (!MiValidProtection(Win32Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!NT_SUCCESS(MiZeroBitsLimit(ZeroBits, &Place->Highest)))
        return STATUS_INVALID_PARAMETER_4;
    if (Place->Highest > MiViewAnywhere.Highest)
        Place->Highest = MiViewAnywhere.Highest;
    Place->TopDown = (AllocationType & MEM_TOP_DOWN) != 0;
    return STATUS_SUCCESS;
}

/*
 * A view of a pagefile or data section: FirstPage/PageCount from the
 * offset and size (rounded as NT does and written back), each page
 * committed with Protect unless the view only reserves.
 */
static NTSTATUS MiMapDataView(MMADDRESS_SPACE *Space, PSECTION Section, ULONG_PTR *Base,
                              LARGE_INTEGER *SectionOffset, SIZE_T *ViewSize, SIZE_T CommitSize,
                              ULONG AllocationType, ULONG Protect, const MI_VIEW_PLACE *Place)
{
    ULONGLONG Offset = SectionOffset ? (ULONGLONG)SectionOffset->QuadPart : 0;
    ULONGLONG Delta = Offset & (MI_ALLOCATION_GRANULARITY - 1), Size = *ViewSize, Limit;
    bool Reserve = (AllocationType & MEM_RESERVE) || (Section->Attributes & SEC_RESERVE);
    ULONG_PTR Pages, Commit;
    MMVAD *Vad;
    NTSTATUS Status;

    if ((AllocationType & MEM_RESERVE) && Section->Segment->Kind != MiSegmentPagefile)
        return STATUS_INVALID_PARAMETER_9;
    /* The view starts at the offset rounded down: a given base is its start. */
    Offset -= Delta;
    if (*Base & (MI_ALLOCATION_GRANULARITY - 1))
        return STATUS_MAPPED_ALIGNMENT;
    Limit = (ULONGLONG)Section->MaximumSize;
    if (Offset >= Limit)
        return STATUS_INVALID_VIEW_SIZE;
    if (Size == 0)
        Size = Limit - Offset;
    else if (Size + Delta > Limit - Offset || Size + Delta < Size)
        return STATUS_INVALID_VIEW_SIZE;
    else
        Size += Delta;
    Pages = ROUND_TO_PAGES(Size) / PAGE_SIZE;
    Status = MiInsertView(Space, Section, Offset / PAGE_SIZE, Pages, Base, Place, &Vad);
    if (!NT_SUCCESS(Status))
        return Status;
    Vad->Protect = Protect;
    /* A reserving view commits CommitSize bytes (NT: SEC_RESERVE sections). */
    Commit = Reserve ? ROUND_TO_PAGES(CommitSize) / PAGE_SIZE : Pages;
    for (ULONG_PTR i = 0; i < Commit && i < Pages && NT_SUCCESS(Status); i++)
        Status = MiCommitViewPage(Space, *Base + i * PAGE_SIZE, Protect);
    if (!NT_SUCCESS(Status)) {
        MmUnmapViewOfSection(Space, *Base);
        return Status;
    }
    if (SectionOffset)
        SectionOffset->QuadPart = (LONGLONG)Offset;
    *ViewSize = Pages * PAGE_SIZE;
    return STATUS_SUCCESS;
}

static NTSTATUS MiReferenceMapObjects(HANDLE SectionHandle, HANDLE ProcessHandle, ULONG Protect,
                                      PSECTION *Section, PEPROCESS *Process)
{
    NTSTATUS Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType, PROCESS_VM_OPERATION,
                                                (PVOID *)Process);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmSectionObjectType
                 ? ObReferenceObjectByHandle(SectionHandle, MmSectionObjectType,
                                             MiSectionAccessFor(Protect), (PVOID *)Section)
                 : STATUS_OBJECT_TYPE_MISMATCH; /* no section was ever made */
    if (!NT_SUCCESS(Status))
        ObDereferenceObject(*Process);
    return Status;
}

NTSTATUS NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, USER_ADDRESS *BaseAddress,
                            ULONG_PTR ZeroBits, SIZE_T CommitSize, LARGE_INTEGER *SectionOffset,
                            SIZE_T *ViewSize, ULONG InheritDisposition, ULONG AllocationType,
                            ULONG Win32Protect)
{
    PSECTION Section;
    PEPROCESS Process;
    MI_VIEW_PLACE Place;
    ULONG_PTR Base = BaseAddress->Value;
    NTSTATUS Status =
        MiCheckMapArguments(ZeroBits, InheritDisposition, AllocationType, Win32Protect, &Place);

    if (NT_SUCCESS(Status))
        Status =
            MiReferenceMapObjects(SectionHandle, ProcessHandle, Win32Protect, &Section, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Process->AddressSpace == NULL) {
        Status = STATUS_PROCESS_IS_TERMINATING;
    } else if (Section->Segment->Kind == MiSegmentImage) {
        if (Base & (MI_ALLOCATION_GRANULARITY - 1))
            Status = STATUS_MAPPED_ALIGNMENT;
        else
            Status = MiMapImageView(Process->AddressSpace, Section, &Base, &Place);
        if (NT_SUCCESS(Status))
            *ViewSize = Section->Segment->Image->SizeOfImage;
    } else if (!MiCompatibleProtection(Section->Protect, Win32Protect)) {
        Status = STATUS_SECTION_PROTECTION;
    } else {
        Status = MiMapDataView(Process->AddressSpace, Section, &Base, SectionOffset, ViewSize,
                               CommitSize, AllocationType, Win32Protect, &Place);
    }
    if (NT_SUCCESS(Status))
        BaseAddress->Value = Base;
    ObDereferenceObject(Section);
    ObDereferenceObject(Process);
    return Status;
}

NTSTATUS NtUnmapViewOfSection(HANDLE ProcessHandle, USER_ADDRESS BaseAddress)
{
    PEPROCESS Process;
    NTSTATUS Status = ObReferenceObjectByHandle(ProcessHandle, PsProcessType, PROCESS_VM_OPERATION,
                                                (PVOID *)&Process);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = Process->AddressSpace ? MmUnmapViewOfSection(Process->AddressSpace, BaseAddress.Value)
                                   : STATUS_PROCESS_IS_TERMINATING;
    ObDereferenceObject(Process);
    return Status;
}
