/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/symlink.c: IoCreateSymbolicLink / IoDeleteSymbolicLink. The link is an
 * ordinary symbolic link object in ntos's namespace (NtCreateSymbolicLink-
 * Object), made permanent so it outlives the handle, as Windows' kernel
 * links do. The runtime keeps the handles: IoDeleteSymbolicLink makes a
 * link temporary again and closes it, and unload removes those the driver
 * left behind.
 */

#include "iop.h"

NTSYSAPI NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                   POBJECT_ATTRIBUTES ObjectAttributes,
                                                   PUNICODE_STRING LinkTarget);
NTSYSAPI NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                 POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE Handle);

typedef struct _IOP_SYMLINK {
    LIST_ENTRY Links;
    HANDLE Handle;
    UNICODE_STRING Name; /* its characters follow */
} IOP_SYMLINK;

static LIST_ENTRY IopSymbolicLinks = {&IopSymbolicLinks, &IopSymbolicLinks};

NTKRNL_EXPORT NTSTATUS NTAPI IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName,
                                                  PUNICODE_STRING DeviceName)
{
    OBJECT_ATTRIBUTES Attributes;
    IOP_SYMLINK *Link;
    NTSTATUS Status;

    Link = IopAllocate(sizeof(IOP_SYMLINK) + SymbolicLinkName->Length);
    if (Link == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Link->Name.Buffer = (PWCH)(Link + 1);
    Link->Name.Length = Link->Name.MaximumLength = SymbolicLinkName->Length;
    RtlCopyMemory(Link->Name.Buffer, SymbolicLinkName->Buffer, SymbolicLinkName->Length);
    InitializeObjectAttributes(&Attributes, SymbolicLinkName, OBJ_CASE_INSENSITIVE | OBJ_PERMANENT,
                               NULL, NULL);
    Status = NtCreateSymbolicLinkObject(&Link->Handle, SYMBOLIC_LINK_ALL_ACCESS, &Attributes,
                                        DeviceName);
    if (!NT_SUCCESS(Status)) {
        IopFree(Link);
        return Status;
    }
    InsertTailList(&IopSymbolicLinks, &Link->Links);
    return STATUS_SUCCESS;
}

static VOID IopDeleteLink(IOP_SYMLINK *Link)
{
    NtMakeTemporaryObject(Link->Handle);
    NtClose(Link->Handle);
    RemoveEntryList(&Link->Links);
    IopFree(Link);
}

/* A link this driver made is found by name; any other one is opened and
 * made temporary, as Windows lets a driver delete any link. */
NTKRNL_EXPORT NTSTATUS NTAPI IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName)
{
    OBJECT_ATTRIBUTES Attributes;
    PLIST_ENTRY Entry;
    HANDLE Handle;
    NTSTATUS Status;

    for (Entry = IopSymbolicLinks.Flink; Entry != &IopSymbolicLinks; Entry = Entry->Flink) {
        IOP_SYMLINK *Link = CONTAINING_RECORD(Entry, IOP_SYMLINK, Links);

        if (RtlEqualUnicodeString(&Link->Name, SymbolicLinkName, TRUE)) {
            IopDeleteLink(Link);
            return STATUS_SUCCESS;
        }
    }
    InitializeObjectAttributes(&Attributes, SymbolicLinkName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenSymbolicLinkObject(&Handle, DELETE, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtMakeTemporaryObject(Handle);
    NtClose(Handle);
    return Status;
}

VOID IopDeleteAllSymbolicLinks(VOID)
{
    while (!IsListEmpty(&IopSymbolicLinks))
        IopDeleteLink(CONTAINING_RECORD(IopSymbolicLinks.Flink, IOP_SYMLINK, Links));
}
