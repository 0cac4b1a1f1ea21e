/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paging structures of user address spaces (PML4, PDPT, PD, PT), each
 * retyped from a 4 KiB untyped of its own. These objects are 4 KiB like
 * frames, so straight from MmAllocateObject they would share the frames'
 * chunks; frames are never deleted (the free page list keeps them), so
 * those chunks never empty and the hole a deleted table leaves was never
 * used again: every process that ended lost its tables' pages for good
 * (ps_crash_teardown counts it as untyped free pages). Here a table is
 * freed by revoking its untyped, which then has no children and serves
 * the next table from its start (sel4-abi.md §10 rule 9); idle untypeds
 * wait on a spare list and count as available memory.
 */
#include "mi.h"

#define MI_MAX_SPARE_UNTYPEDS 4096 /* 16 MiB of tables; beyond, freed for real */

static seL4_CPtr MiSpareUntypeds[MI_MAX_SPARE_UNTYPEDS];
static ULONG MiSpareUntypedCount;

ULONG MiSparePagingUntypeds(void)
{
    return MiSpareUntypedCount;
}

NTSTATUS MiAllocatePagingObject(seL4_Word Type, seL4_CPtr *Cap, seL4_CPtr *Untyped)
{
    seL4_CPtr Parent;
    NTSTATUS Status;

    *Cap = *Untyped = seL4_CapNull;
    if (MiSpareUntypedCount > 0) {
        Parent = MiSpareUntypeds[--MiSpareUntypedCount];
    } else {
        Status = MmAllocateObject(seL4_UntypedObject, seL4_PageBits, &Parent);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = MmRetypeUntyped(Parent, Type, 0, Cap);
    if (!NT_SUCCESS(Status)) {
        MiFreePagingObject(Cap, &Parent);
        return Status;
    }
    *Untyped = Parent;
    return STATUS_SUCCESS;
}

void MiFreePagingObject(seL4_CPtr *Cap, seL4_CPtr *Untyped)
{
    if (*Untyped == seL4_CapNull)
        return;
    /* Revoking the untyped deletes the table's cap (which unmaps it, or for
     * a PML4 gives its ASID back) and rewinds the untyped. */
    seL4_CNode_Revoke(MmRootCNode, *Untyped, MM_CPTR_DEPTH);
    if (*Cap != seL4_CapNull)
        MmFreeSlot(*Cap);
    if (MiSpareUntypedCount < MI_MAX_SPARE_UNTYPEDS)
        MiSpareUntypeds[MiSpareUntypedCount++] = *Untyped;
    else
        MmFreeObject(*Untyped);
    *Cap = *Untyped = seL4_CapNull;
}
