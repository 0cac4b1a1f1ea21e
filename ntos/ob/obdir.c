/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory objects (type "Directory"): the nodes of the object namespace.
 * A directory keeps its named children newest first; each entry holds
 * a reference to its object and the object's header holds the name and a
 * reference to the directory, so neither can go while the name exists.
 * Also the services NtCreateDirectoryObject, NtOpenDirectoryObject and
 * NtQueryDirectoryObject (records first, then the strings, as Windows lays
 * them out).
 */

#include <string.h>
#include <ntsvc.h>
#include <svc.h>
#include "obp.h"

POBJECT_TYPE ObpDirectoryObjectType;

static void ObpDeleteDirectory(PVOID Object)
{
    /* Every child's name references its parent, so an object dies empty. */
    ASSERT(((POBJECT_DIRECTORY)Object)->Count == 0);
}

NTSTATUS ObpCreateDirectoryType(void)
{
    OBJECT_TYPE_INITIALIZER Init = {
        .ValidAccessMask = DIRECTORY_ALL_ACCESS,
        .GenericMapping = {READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                           READ_CONTROL | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
                           READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                           DIRECTORY_ALL_ACCESS},
        .PoolTag = OBP_DIRECTORY_TAG,
        .DeleteProcedure = ObpDeleteDirectory,
    };

    return ObCreateObjectType("Directory", &Init, &ObpDirectoryObjectType);
}

BOOLEAN ObpEqualNames(const WCHAR *A, USHORT ALength, const WCHAR *B, USHORT BLength,
                      BOOLEAN CaseInsensitive)
{
    ULONG Index;

    if (ALength != BLength)
        return FALSE;
    for (Index = 0; Index < ALength / sizeof(WCHAR); Index++) {
        WCHAR X = A[Index], Y = B[Index];
        if (X != Y && (!CaseInsensitive || RtlUpcaseUnicodeChar(X) != RtlUpcaseUnicodeChar(Y)))
            return FALSE;
    }
    return TRUE;
}

PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, const WCHAR *Name, USHORT Length,
                              BOOLEAN CaseInsensitive)
{
    POBJECT_HEADER Entry;

    for (Entry = Directory->First; Entry != NULL; Entry = Entry->NextInDirectory) {
        if (ObpEqualNames(Entry->Name.Buffer, Entry->Name.Length, Name, Length, CaseInsensitive))
            return Entry + 1;
    }
    return NULL;
}

NTSTATUS ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object, const WCHAR *Name,
                                 USHORT Length)
{
    POBJECT_HEADER Header = ObpHeader(Object);
    WCHAR *Copy;

    ASSERT(Header->Directory == NULL && Length > 0);
    Copy = ExAllocatePoolWithTag(Length + sizeof(WCHAR), OBP_NAME_TAG);
    if (Copy == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Copy, Name, Length);
    Copy[Length / sizeof(WCHAR)] = 0;
    Header->Name.Buffer = Copy;
    Header->Name.Length = Length;
    Header->Name.MaximumLength = Length + sizeof(WCHAR);
    Header->Directory = Directory;
    /* At the head, as Windows chains a bucket: a case-insensitive lookup
     * that matches several names finds the newest. */
    Header->NextInDirectory = Directory->First;
    Directory->First = Header;
    Directory->Count++;
    ObReferenceObject(Object);
    ObReferenceObject(Directory);
    return STATUS_SUCCESS;
}

void ObpRemoveDirectoryEntry(PVOID Object)
{
    POBJECT_HEADER Header = ObpHeader(Object), *Link;
    POBJECT_DIRECTORY Directory = Header->Directory;

    ASSERT(Directory != NULL);
    for (Link = &Directory->First; *Link != Header; Link = &(*Link)->NextInDirectory)
        ;
    *Link = Header->NextInDirectory;
    Directory->Count--;
    ExFreePoolWithTag(Header->Name.Buffer, OBP_NAME_TAG);
    memset(&Header->Name, 0, sizeof(Header->Name));
    Header->Directory = NULL;
    Header->NextInDirectory = NULL;
    ObDereferenceObject(Directory);
    ObDereferenceObject(Object);
}

/* ---- services --------------------------------------------------------------------------- */

NTSTATUS NtCreateDirectoryObject(HANDLE *DirectoryHandle, ACCESS_MASK DesiredAccess,
                                 const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    POBJECT_DIRECTORY Directory;
    NTSTATUS Status;

    Status = ObCreateObject(ObpDirectoryObjectType, sizeof(*Directory), (PVOID *)&Directory);
    if (!NT_SUCCESS(Status))
        return Status;
    return ObInsertObject(Directory, ObjectAttributes, DesiredAccess, DirectoryHandle);
}

NTSTATUS NtOpenDirectoryObject(HANDLE *DirectoryHandle, ACCESS_MASK DesiredAccess,
                               const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes)
{
    return ObOpenObjectByName(ObjectAttributes, ObpDirectoryObjectType, DesiredAccess, NULL,
                              DirectoryHandle);
}

/* OBJECT_DIRECTORY_INFORMATION as a 64-bit caller sees it. */
typedef struct _OBP_DIRECTORY_RECORD {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBP_DIRECTORY_RECORD;
_Static_assert(sizeof(OBP_DIRECTORY_RECORD) == 32, "OBJECT_DIRECTORY_INFORMATION");

/* The bytes one entry takes: its record and both strings with their NULs. */
static ULONG ObpEntrySize(POBJECT_HEADER Entry)
{
    return sizeof(OBP_DIRECTORY_RECORD) + Entry->Name.Length + sizeof(WCHAR) +
           ObpTypeName(Entry->Type, NULL, 0) + sizeof(WCHAR);
}

/* Lay out Count entries from First into Out (Size bytes, ntos memory) for
 * a caller buffer at UserBase: records, a zeroed record, then the strings.
 * Returns the bytes used. */
static ULONG ObpFillDirectoryBuffer(POBJECT_HEADER First, ULONG Count, UCHAR *Out,
                                    ULONG_PTR UserBase)
{
    OBP_DIRECTORY_RECORD *Record = (OBP_DIRECTORY_RECORD *)Out;
    ULONG Strings = (Count + 1) * sizeof(OBP_DIRECTORY_RECORD), Index;
    POBJECT_HEADER Entry = First;

    memset(&Record[Count], 0, sizeof(Record[Count]));
    for (Index = 0; Index < Count; Index++, Entry = Entry->NextInDirectory) {
        WCHAR *Name = (WCHAR *)(Out + Strings);
        ULONG TypeLength;

        memcpy(Name, Entry->Name.Buffer, Entry->Name.Length);
        Name[Entry->Name.Length / sizeof(WCHAR)] = 0;
        Record[Index].Name.Length = Entry->Name.Length;
        Record[Index].Name.MaximumLength = Entry->Name.Length + sizeof(WCHAR);
        Record[Index].Name.Buffer = (PWSTR)(UserBase + Strings);
        Strings += Entry->Name.Length + sizeof(WCHAR);
        TypeLength = ObpTypeName(Entry->Type, (WCHAR *)(Out + Strings), ~0u);
        ((WCHAR *)(Out + Strings))[TypeLength / sizeof(WCHAR)] = 0;
        Record[Index].TypeName.Length = (USHORT)TypeLength;
        Record[Index].TypeName.MaximumLength = (USHORT)(TypeLength + sizeof(WCHAR));
        Record[Index].TypeName.Buffer = (PWSTR)(UserBase + Strings);
        Strings += TypeLength + sizeof(WCHAR);
    }
    return Strings;
}

/* Which entries from Skip on fit in Length bytes: *First, *Count and the
 * bytes they need (*Used, with the zeroed record); *Single the bytes the
 * first alone would need. */
static void ObpMeasureEntries(POBJECT_DIRECTORY Directory, ULONG Skip, ULONG Length,
                              BOOLEAN ReturnSingleEntry, POBJECT_HEADER *First, ULONG *Count,
                              ULONG *Used, ULONG *Single)
{
    POBJECT_HEADER Entry = Directory->First;

    for (; Entry != NULL && Skip > 0; Skip--)
        Entry = Entry->NextInDirectory;
    *First = Entry;
    *Count = 0;
    *Used = sizeof(OBP_DIRECTORY_RECORD);
    *Single = Entry != NULL ? sizeof(OBP_DIRECTORY_RECORD) + ObpEntrySize(Entry) : 0;
    for (; Entry != NULL; Entry = Entry->NextInDirectory) {
        if (*Used + ObpEntrySize(Entry) > Length)
            break;
        *Used += ObpEntrySize(Entry);
        (*Count)++;
        if (ReturnSingleEntry)
            break;
    }
}

NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, USER_BUFFER Buffer, ULONG Length,
                                BOOLEAN ReturnSingleEntry, BOOLEAN RestartScan, ULONG *Context,
                                ULONG *ReturnLength)
{
    PETHREAD Thread = KeGetCurrentThread();
    POBJECT_DIRECTORY Directory = NULL;
    POBJECT_HEADER First;
    ULONG Skip = RestartScan ? 0 : *Context, Count, Used, Single, Local = 0;
    UCHAR *Out = NULL;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(DirectoryHandle, ObpDirectoryObjectType, DIRECTORY_QUERY,
                                       (PVOID *)&Directory);
    if (!NT_SUCCESS(Status))
        goto out;
    ObpMeasureEntries(Directory, Skip, Length, ReturnSingleEntry, &First, &Count, &Used, &Single);
    Local = sizeof(OBP_DIRECTORY_RECORD);
    if (First == NULL) {
        Status = STATUS_NO_MORE_ENTRIES;
        goto out;
    }
    if (Count == 0 && ReturnSingleEntry) {
        Local = Single;
        Status = STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    Status = Count < Directory->Count - Skip ? STATUS_MORE_ENTRIES : STATUS_SUCCESS;
    if (ReturnSingleEntry)
        Status = STATUS_SUCCESS;
    /* Nothing fitted (a buffer smaller than a record): no terminator either. */
    if (Length >= sizeof(OBP_DIRECTORY_RECORD)) {
        Out = ExAllocatePoolWithTag(Used, OBP_NAME_TAG);
        if (Out == NULL) {
            Status = STATUS_INSUFFICIENT_RESOURCES;
            goto out;
        }
        Local = ObpFillDirectoryBuffer(First, Count, Out, Buffer.Address);
        NTSTATUS Copy = MmCopyToUser(Thread->Process, Buffer.Address, Out, Local);
        if (!NT_SUCCESS(Copy)) {
            Status = Copy;
            goto out;
        }
    }
    *Context = Skip + Count;
out:
    if (ReturnLength != NULL)
        *ReturnLength = Local;
    if (Out != NULL)
        ExFreePoolWithTag(Out, OBP_NAME_TAG);
    if (Directory != NULL)
        ObDereferenceObject(Directory);
    return Status;
}
