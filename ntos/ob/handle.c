/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-process handle tables: creating, looking up and closing handles, and
 * the pseudo-handles NtCurrentProcess() / NtCurrentThread(). A table is
 * created on a process's first handle and freed by ObKillProcessHandleTable
 * when the process ends. Each entry holds a reference to its object and the
 * access granted when the handle was made; lookups check the type and the
 * access the caller asks for.
 */

#include <string.h>
#include "obp.h"

static NTSTATUS ObpCreateHandleTable(PEPROCESS Process)
{
    HANDLE_TABLE *Table;

    Table = ExAllocatePoolWithTag(sizeof(*Table), OBP_TABLE_TAG);
    if (Table == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Process->HandleTable = Table;
    return STATUS_SUCCESS;
}

static HANDLE_TABLE_ENTRY *ObpEntry(HANDLE_TABLE *Table, ULONG Index)
{
    ASSERT(Index / OBP_ENTRIES_PER_CHUNK < Table->ChunkCount);
    return &Table->Chunks[Index / OBP_ENTRIES_PER_CHUNK][Index % OBP_ENTRIES_PER_CHUNK];
}

/* Add a chunk and chain its entries (lowest index first) onto the free list. */
static NTSTATUS ObpGrowHandleTable(HANDLE_TABLE *Table)
{
    HANDLE_TABLE_ENTRY *Chunk;
    ULONG Base = Table->ChunkCount * OBP_ENTRIES_PER_CHUNK, Index;

    if (Table->ChunkCount == OBP_MAX_CHUNKS)
        return STATUS_INSUFFICIENT_RESOURCES;
    Chunk = ExAllocatePoolWithTag(OBP_ENTRIES_PER_CHUNK * sizeof(*Chunk), OBP_TABLE_TAG);
    if (Chunk == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Table->Chunks[Table->ChunkCount++] = Chunk;
    for (Index = OBP_ENTRIES_PER_CHUNK; Index-- > 0;) {
        Chunk[Index].NextFree = Table->FirstFree;
        Table->FirstFree = Base + Index + 1;
    }
    return STATUS_SUCCESS;
}

/* The entry Handle names in Table, or NULL (free, out of range, 0, pseudo). */
static HANDLE_TABLE_ENTRY *ObpLookupEntry(HANDLE_TABLE *Table, HANDLE Handle)
{
    ULONG_PTR Value = (ULONG_PTR)Handle & ~(ULONG_PTR)3;
    HANDLE_TABLE_ENTRY *Entry;

    if (Table == NULL || Value == 0 ||
        Value / 4 > (ULONG_PTR)Table->ChunkCount * OBP_ENTRIES_PER_CHUNK)
        return NULL;
    Entry = ObpEntry(Table, (ULONG)(Value / 4 - 1));
    return Entry->Object != NULL ? Entry : NULL;
}

NTSTATUS ObCreateHandle(PEPROCESS Process, PVOID Object, ACCESS_MASK DesiredAccess,
                        ULONG Attributes, HANDLE *Handle)
{
    NTSTATUS Status = STATUS_SUCCESS;
    POBJECT_HEADER Header = ObpHeader(Object);
    HANDLE_TABLE *Table;
    HANDLE_TABLE_ENTRY *Entry;
    ULONG Index;

    *Handle = NULL;
    if (Process->HandleTable == NULL)
        Status = ObpCreateHandleTable(Process);
    if (!NT_SUCCESS(Status))
        goto out;
    Table = Process->HandleTable;
    if (Table->FirstFree == 0)
        Status = ObpGrowHandleTable(Table);
    if (!NT_SUCCESS(Status))
        goto out;
    Index = Table->FirstFree - 1;
    Entry = ObpEntry(Table, Index);
    Table->FirstFree = Entry->NextFree;
    Entry->Object = Object;
    Entry->GrantedAccess = ObpMapAccess(Header->Type, DesiredAccess);
    Entry->Attributes = Attributes & OBP_HANDLE_ATTRIBUTES;
    Header->PointerCount++;
    Header->HandleCount++;
    Header->Type->TotalNumberOfHandles++;
    ObpNoteTypeCounts(Header->Type);
    Table->HandleCount++;
    *Handle = (HANDLE)(ULONG_PTR)((Index + 1) * 4);
out:
    return Status;
}

/* The caller's process or thread for a pseudo-handle, with every right. */
static NTSTATUS ObpResolvePseudoHandle(HANDLE Handle, PVOID *Object, POBJECT_TYPE *Type)
{
    PETHREAD Thread = KeGetCurrentThread();

    if (Handle == NtCurrentProcess() && PsProcessType != NULL) {
        *Object = Thread->Process;
        *Type = PsProcessType;
        return STATUS_SUCCESS;
    }
    if (Handle == NtCurrentThread() && PsThreadType != NULL) {
        *Object = Thread;
        *Type = PsThreadType;
        return STATUS_SUCCESS;
    }
    return STATUS_INVALID_HANDLE;
}

NTSTATUS ObReferenceObjectByHandleInProcess(PEPROCESS Process, HANDLE Handle, POBJECT_TYPE Type,
                                            ACCESS_MASK DesiredAccess, PVOID *Object,
                                            ACCESS_MASK *GrantedAccess, ULONG *Attributes)
{
    NTSTATUS Status = STATUS_SUCCESS;
    HANDLE_TABLE_ENTRY *Entry;
    POBJECT_TYPE Found;
    PVOID Body;
    ACCESS_MASK Granted, Wanted;
    ULONG Attrs = 0;

    *Object = NULL;
    if (Handle == NtCurrentProcess() || Handle == NtCurrentThread()) {
        Status = ObpResolvePseudoHandle(Handle, &Body, &Found);
        if (!NT_SUCCESS(Status))
            goto out;
        Granted = ObpMapAccess(Found, MAXIMUM_ALLOWED);
    } else {
        Entry = ObpLookupEntry(Process->HandleTable, Handle);
        if (Entry == NULL) {
            Status = STATUS_INVALID_HANDLE;
            goto out;
        }
        Body = Entry->Object;
        Found = ObpHeader(Body)->Type;
        Granted = Entry->GrantedAccess;
        Attrs = Entry->Attributes;
    }
    if (Type != NULL && Found != Type) {
        Status = STATUS_OBJECT_TYPE_MISMATCH;
        goto out;
    }
    Wanted = ObpMapAccess(Found, DesiredAccess & ~MAXIMUM_ALLOWED);
    if ((Granted & Wanted) != Wanted) {
        Status = STATUS_ACCESS_DENIED;
        goto out;
    }
    ObReferenceObject(Body);
    *Object = Body;
    if (GrantedAccess != NULL)
        *GrantedAccess = Granted;
    if (Attributes != NULL)
        *Attributes = Attrs;
out:
    return Status;
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, POBJECT_TYPE Type, ACCESS_MASK DesiredAccess,
                                   PVOID *Object)
{
    PETHREAD Thread = KeGetCurrentThread();

    ASSERT(Thread != NULL && Thread->Process != NULL); /* only requests look up handles */
    return ObReferenceObjectByHandleInProcess(Thread->Process, Handle, Type, DesiredAccess, Object,
                                              NULL, NULL);
}

/* Free Entry (index Index) and drop its reference. */
static void ObpCloseEntry(HANDLE_TABLE *Table, HANDLE_TABLE_ENTRY *Entry, ULONG Index)
{
    PVOID Object = Entry->Object;
    POBJECT_HEADER Header = ObpHeader(Object);

    ASSERT(Header->HandleCount > 0);
    Header->HandleCount--;
    Header->Type->TotalNumberOfHandles--;
    Table->HandleCount--;
    Entry->Object = NULL;
    Entry->Attributes = 0;
    Entry->NextFree = Table->FirstFree;
    Table->FirstFree = Index + 1;
    /* The last handle of a temporary named object takes its name along. */
    if (Header->HandleCount == 0)
        ObpDeleteNameCheck(Object);
    if (Header->Type->TypeInfo.CloseProcedure)
        Header->Type->TypeInfo.CloseProcedure(Object, Header->HandleCount);
    ObDereferenceObject(Object);
}

NTSTATUS ObCloseHandle(PEPROCESS Process, HANDLE Handle)
{
    HANDLE_TABLE *Table = Process->HandleTable;
    HANDLE_TABLE_ENTRY *Entry = ObpLookupEntry(Table, Handle);

    if (Entry == NULL)
        return STATUS_INVALID_HANDLE;
    if (Entry->Attributes & OBJ_PROTECT_CLOSE)
        return STATUS_HANDLE_NOT_CLOSABLE;
    ObpCloseEntry(Table, Entry, (ULONG)(((ULONG_PTR)Handle & ~(ULONG_PTR)3) / 4 - 1));
    return STATUS_SUCCESS;
}

NTSTATUS ObSetHandleAttributes(PEPROCESS Process, HANDLE Handle, ULONG Attributes)
{
    HANDLE_TABLE_ENTRY *Entry = ObpLookupEntry(Process->HandleTable, Handle);

    if (Entry == NULL)
        return STATUS_INVALID_HANDLE;
    Entry->Attributes = Attributes & OBP_HANDLE_ATTRIBUTES;
    return STATUS_SUCCESS;
}

void ObKillProcessHandleTable(PEPROCESS Process)
{
    HANDLE_TABLE *Table = Process->HandleTable;
    ULONG Index, Chunk;

    if (Table == NULL)
        return;
    for (Index = 0; Index < Table->ChunkCount * OBP_ENTRIES_PER_CHUNK; Index++) {
        HANDLE_TABLE_ENTRY *Entry = ObpEntry(Table, Index);
        if (Entry->Object != NULL)
            ObpCloseEntry(Table, Entry, Index);
    }
    ASSERT(Table->HandleCount == 0);
    for (Chunk = 0; Chunk < Table->ChunkCount; Chunk++)
        ExFreePoolWithTag(Table->Chunks[Chunk], OBP_TABLE_TAG);
    ExFreePoolWithTag(Table, OBP_TABLE_TAG);
    Process->HandleTable = NULL;
}

ULONG ObGetProcessHandleCount(PEPROCESS Process)
{
    return Process->HandleTable != NULL ? Process->HandleTable->HandleCount : 0;
}
