/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Handle inheritance: a new process created with
 * PROCESS_CREATE_FLAGS_INHERIT_HANDLES gets a copy of each handle of its
 * parent marked OBJ_INHERIT, at the same handle value, with the same access
 * and attributes (as on Windows, so a parent can pass a handle's value on a
 * command line). Each copy holds its own reference.
 */

#include <string.h>
#include "obp.h"

/* Put the free entries of Table on its free list, lowest index first. */
static void ObpRebuildFreeList(HANDLE_TABLE *Table)
{
    ULONG Count = Table->ChunkCount * OBP_ENTRIES_PER_CHUNK;

    Table->FirstFree = 0;
    for (ULONG Index = Count; Index-- > 0;) {
        HANDLE_TABLE_ENTRY *Entry =
            &Table->Chunks[Index / OBP_ENTRIES_PER_CHUNK][Index % OBP_ENTRIES_PER_CHUNK];
        if (Entry->Object == NULL) {
            Entry->NextFree = Table->FirstFree;
            Table->FirstFree = Index + 1;
        }
    }
}

static void ObpCopyInheritable(HANDLE_TABLE_ENTRY *To, const HANDLE_TABLE_ENTRY *From,
                               HANDLE_TABLE *Table)
{
    for (ULONG i = 0; i < OBP_ENTRIES_PER_CHUNK; i++) {
        POBJECT_HEADER Header;

        if (From[i].Object == NULL || !(From[i].Attributes & OBJ_INHERIT))
            continue;
        Header = ObpHeader(From[i].Object);
        To[i] = From[i];
        Header->PointerCount++;
        Header->HandleCount++;
        Header->Type->TotalNumberOfHandles++;
        Table->HandleCount++;
    }
}

NTSTATUS ObInheritHandles(PEPROCESS Parent, PEPROCESS Child)
{
    HANDLE_TABLE *From = Parent->HandleTable, *To;

    ASSERT(Child->HandleTable == NULL); /* a new process, before its first handle */
    if (From == NULL)
        return STATUS_SUCCESS;
    To = ExAllocatePoolWithTag(sizeof(*To), OBP_TABLE_TAG);
    if (To == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Child->HandleTable = To;
    for (ULONG c = 0; c < From->ChunkCount; c++) {
        To->Chunks[c] = ExAllocatePoolWithTag(OBP_ENTRIES_PER_CHUNK * sizeof(HANDLE_TABLE_ENTRY),
                                              OBP_TABLE_TAG);
        if (To->Chunks[c] == NULL) {
            ObpRebuildFreeList(To);
            return STATUS_INSUFFICIENT_RESOURCES; /* ObKillProcessHandleTable frees it */
        }
        To->ChunkCount++;
        ObpCopyInheritable(To->Chunks[c], From->Chunks[c], To);
    }
    ObpRebuildFreeList(To);
    return STATUS_SUCCESS;
}
