/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IO port capabilities: the one place ntos asks seL4 for them. The kernel
 * issues every port once (IOPortControl_Issue refuses a range that overlaps
 * one already issued), so the clock (rtc.c), the PIT (timer.c), QEMU's exit
 * port (startup.c) and the port emulation of driver processes
 * (io/halport.c) would lock each other out if each issued its own range.
 * Instead ports are issued here in aligned blocks of KI_PORT_BLOCK ports,
 * each at its first use, and the cap is kept for good: the block of the
 * PIT (0x40-0x43), of the clock (0x70-0x73) and of isa-debug-exit
 * (0xf4-0xf7) are exactly one block each, and no two users of different
 * ports of one block need to agree on more than the cap.
 */
#include "kep.h"

#define KI_PORT_BLOCK_BITS 2
#define KI_PORT_BLOCK      (1u << KI_PORT_BLOCK_BITS)
#define KI_PORT_BLOCKS     (0x10000u >> KI_PORT_BLOCK_BITS)

/* ntos cptrs fit in 32 bits (a level-1 index of 10 bits and 12 below it). */
static uint32_t KiPortCaps[KI_PORT_BLOCKS];

static NTSTATUS KiIssuePortBlock(ULONG Block, seL4_CPtr *Cap)
{
    seL4_CPtr Slot;
    ULONG First = Block << KI_PORT_BLOCK_BITS;

    if (KiPortCaps[Block] != 0) {
        *Cap = KiPortCaps[Block];
        return STATUS_SUCCESS;
    }
    Slot = MmAllocateSlot();
    if (Slot == seL4_CapNull)
        return STATUS_INSUFFICIENT_RESOURCES;
    ASSERT(Slot <= UINT32_MAX); /* see KiPortCaps */
    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, First, First + KI_PORT_BLOCK - 1,
                                     MmRootCNode, Slot, MM_CPTR_DEPTH) != seL4_NoError) {
        MmFreeSlot(Slot);
        return STATUS_NOT_SUPPORTED;
    }
    KiPortCaps[Block] = (uint32_t)Slot;
    *Cap = Slot;
    return STATUS_SUCCESS;
}

NTSTATUS KeGetIoPortCap(ULONG Port, ULONG Width, seL4_CPtr *Cap)
{
    *Cap = seL4_CapNull;
    if (Width == 0 || Port > 0xffff || Port + Width - 1 > 0xffff)
        return STATUS_INVALID_PARAMETER;
    /* One cap must cover the whole access. */
    if ((Port >> KI_PORT_BLOCK_BITS) != ((Port + Width - 1) >> KI_PORT_BLOCK_BITS))
        return STATUS_INVALID_PARAMETER;
    return KiIssuePortBlock(Port >> KI_PORT_BLOCK_BITS, Cap);
}
