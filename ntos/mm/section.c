/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Section objects (type "Section") and the services that make, open and
 * describe them: NtCreateSection (pagefile-backed memory, a file's data,
 * a PE image), NtOpenSection and NtQuerySection. A section holds a
 * reference on its segment (segment.c), which owns the pages; views
 * (view.c) hold references on the section.
 */
#include "misect.h"
#include <io.h>

#include "ntsvc.h"

#define SectionBasicInformation 0
#define SectionImageInformation 1

POBJECT_TYPE MmSectionObjectType;

typedef struct _SECTION_BASIC_INFORMATION {
    ULONG_PTR BaseAddress;
    ULONG AllocationAttributes;
    LARGE_INTEGER MaximumSize;
} SECTION_BASIC_INFORMATION;
_Static_assert(sizeof(SECTION_BASIC_INFORMATION) == 24, "SECTION_BASIC_INFORMATION");

static void MiDeleteSection(PVOID Object)
{
    PSECTION Section = Object;

    if (Section->Segment)
        MiDereferenceSegment(Section->Segment);
}

static NTSTATUS MiCreateSectionType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = SECTION_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | SECTION_QUERY | SECTION_MAP_READ,
                           READ_CONTROL | SECTION_MAP_WRITE, READ_CONTROL | SECTION_MAP_EXECUTE,
                           SECTION_ALL_ACCESS},
        .PoolTag = MI_SECTION_TAG,
        .DeleteProcedure = MiDeleteSection,
    };

    if (MmSectionObjectType != NULL)
        return STATUS_SUCCESS;
    return ObCreateObjectType("Section", &Init, &MmSectionObjectType);
}

NTSTATUS MiCreateSectionObject(MI_SEGMENT *Segment, LONGLONG MaximumSize, ULONG Protect,
                               ULONG Attributes, PSECTION *Result)
{
    PSECTION Section;
    NTSTATUS Status = MiCreateSectionType();

    if (NT_SUCCESS(Status))
        Status = ObCreateObject(MmSectionObjectType, sizeof(*Section), (PVOID *)&Section);
    if (!NT_SUCCESS(Status)) {
        MiDereferenceSegment(Segment);
        return Status;
    }
    *Section = (SECTION){Segment, MaximumSize, Protect, Attributes};
    *Result = Section;
    return STATUS_SUCCESS;
}

/* A section protection: one base value, no modifiers but SEC_NOCACHE's. */
static bool MiValidSectionProtection(ULONG Protect)
{
    return MiValidProtection(Protect) && !(Protect & ~0xffu) && Protect != PAGE_NOACCESS;
}

/* The file rights a section of Protect needs of its file. */
static ACCESS_MASK MiFileAccessFor(ULONG Protect)
{
    ACCESS_MASK Access = FILE_READ_DATA;

    if (Protect == PAGE_READWRITE || Protect == PAGE_EXECUTE_READWRITE)
        Access |= FILE_WRITE_DATA;
    if (Protect &
        (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY))
        Access |= FILE_EXECUTE;
    return Access;
}

/* The segment of a file section and the size the section reports. */
static NTSTATUS MiFileSegment(HANDLE FileHandle, ULONG Protect, ULONG Attributes,
                              const LARGE_INTEGER *MaximumSize, MI_SEGMENT **Segment,
                              LONGLONG *Size)
{
    bool Image = Attributes & SEC_IMAGE;
    LONGLONG Wanted = MaximumSize ? MaximumSize->QuadPart : 0;
    PFILE_OBJECT FileObject;
    const void *Data;
    SIZE_T FileSize;
    NTSTATUS Status = ObReferenceObjectByHandle(
        FileHandle, IoFileObjectType,
        Image ? FILE_READ_DATA | FILE_EXECUTE : MiFileAccessFor(Protect), (PVOID *)&FileObject);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoGetFileData(FileObject, &Data, &FileSize);
    ObDereferenceObject(FileObject); /* the archive's bytes stay */
    if (!NT_SUCCESS(Status))
        return Status;
    if (FileSize == 0)
        return STATUS_MAPPED_FILE_SIZE_ZERO;
    if (!Image && (ULONGLONG)Wanted > FileSize)
        return STATUS_SECTION_TOO_BIG; /* a read-only file cannot grow */
    Status = MiGetFileSegment(Data, FileSize, Image ? MiSegmentImage : MiSegmentData, Segment);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Wanted == 0)
        Wanted = Image ? (*Segment)->Image->SizeOfImage : (LONGLONG)FileSize;
    *Size = Wanted;
    return STATUS_SUCCESS;
}

static NTSTATUS MiCheckSectionArguments(const LARGE_INTEGER *MaximumSize, ULONG Protect,
                                        ULONG Attributes, HANDLE FileHandle)
{
    ULONG Kind = Attributes & (SEC_IMAGE | SEC_RESERVE | SEC_COMMIT);

    if ((Attributes & ~(SEC_IMAGE | SEC_RESERVE | SEC_COMMIT | SEC_NOCACHE | SEC_FILE)) ||
        (Kind != SEC_IMAGE && Kind != SEC_RESERVE && Kind != SEC_COMMIT))
        return STATUS_INVALID_PARAMETER_6;
    if (!MiValidSectionProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (FileHandle == NULL && (Attributes & SEC_IMAGE))
        return STATUS_INVALID_FILE_FOR_SECTION;
    if (FileHandle == NULL && (MaximumSize == NULL || MaximumSize->QuadPart == 0))
        return STATUS_INVALID_PARAMETER_4;
    if (MaximumSize && MaximumSize->QuadPart < 0)
        return STATUS_SECTION_TOO_BIG;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateSection(HANDLE *SectionHandle, ACCESS_MASK DesiredAccess,
                         const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                         const LARGE_INTEGER *MaximumSize, ULONG SectionPageProtection,
                         ULONG AllocationAttributes, HANDLE FileHandle)
{
    MI_SEGMENT *Segment;
    PSECTION Section;
    LONGLONG Size;
    ULONG Reported;
    NTSTATUS Status = MiCheckSectionArguments(MaximumSize, SectionPageProtection,
                                              AllocationAttributes, FileHandle);

    if (!NT_SUCCESS(Status))
        return Status;
    if (FileHandle == NULL) {
        Size = (LONGLONG)ROUND_TO_PAGES((ULONGLONG)MaximumSize->QuadPart);
        Status = MiCreatePagefileSegment((ULONGLONG)Size, &Segment);
        Reported = AllocationAttributes & (SEC_RESERVE | SEC_COMMIT | SEC_NOCACHE);
    } else {
        Status = MiFileSegment(FileHandle, SectionPageProtection, AllocationAttributes, MaximumSize,
                               &Segment, &Size);
        /* A file section is SEC_FILE; SEC_COMMIT / SEC_RESERVE mean nothing there. */
        Reported = SEC_FILE | (AllocationAttributes & SEC_IMAGE);
    }
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiCreateSectionObject(Segment, Size, SectionPageProtection, Reported, &Section);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Consumes our reference: the handle holds the section, or it is gone. */
    return ObInsertObject(Section, ObjectAttributes, DesiredAccess, SectionHandle);
}

NTSTATUS NtOpenSection(HANDLE *SectionHandle, ACCESS_MASK DesiredAccess,
                       const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    NTSTATUS Status = MiCreateSectionType();

    if (!NT_SUCCESS(Status))
        return Status;
    return ObOpenObjectByName(ObjectAttributes, MmSectionObjectType, DesiredAccess, NULL,
                              SectionHandle);
}

/* SECTION_IMAGE_INFORMATION from the validated header and the header page. */
static void MiFillImageInformation(PSECTION Section, SECTION_IMAGE_INFORMATION *Info)
{
    MI_SEGMENT *Segment = Section->Segment;

    PspFillImageInformation(Segment->Image, MmPageAddress(Segment->Pages[0]), PAGE_SIZE,
                            Segment->FileSize, Info);
}

NTSTATUS NtQuerySection(HANDLE SectionHandle, ULONG SectionInformationClass,
                        USER_BUFFER SectionInformation, SIZE_T SectionInformationLength,
                        SIZE_T *ReturnLength)
{
    union {
        SECTION_BASIC_INFORMATION Basic;
        SECTION_IMAGE_INFORMATION Image;
    } Info;
    SIZE_T Length;
    PSECTION Section;
    NTSTATUS Status;

    if (SectionInformationClass == SectionBasicInformation)
        Length = sizeof(Info.Basic);
    else if (SectionInformationClass == SectionImageInformation)
        Length = sizeof(Info.Image);
    else
        return STATUS_INVALID_INFO_CLASS;
    if (SectionInformationLength < Length)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = MiCreateSectionType();
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(SectionHandle, MmSectionObjectType, SECTION_QUERY,
                                           (PVOID *)&Section);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Info, 0, sizeof(Info));
    if (SectionInformationClass == SectionBasicInformation) {
        Info.Basic.AllocationAttributes = Section->Attributes;
        Info.Basic.MaximumSize.QuadPart = Section->MaximumSize;
    } else if (Section->Segment->Kind != MiSegmentImage) {
        Status = STATUS_SECTION_NOT_IMAGE;
    } else {
        MiFillImageInformation(Section, &Info.Image);
    }
    if (NT_SUCCESS(Status))
        Status =
            MmCopyToUser(KeGetCurrentThread()->Process, SectionInformation.Address, &Info, Length);
    if (NT_SUCCESS(Status) && ReturnLength)
        *ReturnLength = Length;
    ObDereferenceObject(Section);
    return Status;
}
