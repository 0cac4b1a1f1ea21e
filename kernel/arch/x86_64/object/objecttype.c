/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The x86 side of the per-cap-type operations that generic code
 * (kernel/object/objecttype.c) performs on every cap: derivation rules
 * (spec §7.5), rights masking of frames (§7.1, §18.2), finalisation of the
 * last cap to a paging object, ASID pool or IO port range, region and
 * object identity for the derivation tree, object sizes and creation for
 * Retype (§9), and the dispatch of x86 invocations. It also answers, for
 * every cap type, the base and size of the object a cap names, which the
 * generic untyped-region test needs.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <arch/object.h>
#include <arch/paging.h>
#include <object/objecttype.h>

bool Arch_isArchCap(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
    case cap_asid_control_cap:
    case cap_asid_pool_cap:
    case cap_io_port_cap:
    case cap_io_port_control_cap:
        return true;
    default:
        return false;
    }
}

static deriveCap_ret_t deriveResult(exception_t status, cap_t cap)
{
    if (status != EXCEPTION_NONE)
        current_syscall_error.type = seL4_IllegalOperation;
    return (deriveCap_ret_t){status, status == EXCEPTION_NONE ? cap : cap_null_cap_new()};
}

deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        /* An unmapped table could be mapped twice through two caps. */
        return deriveResult(cap.table.isMapped ? EXCEPTION_NONE : EXCEPTION_SYSCALL_ERROR, cap);
    case cap_pml4_cap:
        return deriveResult(cap.pml4.isMapped ? EXCEPTION_NONE : EXCEPTION_SYSCALL_ERROR, cap);
    case cap_frame_cap:
        /* A mapping belongs to one cap: copies start unmapped. */
        cap.frame.mappedASID = ASID_INVALID;
        cap.frame.mappedAddr = 0;
        return deriveResult(EXCEPTION_NONE, cap);
    case cap_io_port_control_cap:
        /* Can be used, never copied (spec §17). */
        return deriveResult(EXCEPTION_NONE, cap_null_cap_new());
    default:
        return deriveResult(EXCEPTION_NONE, cap);
    }
}

cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap)
{
    /* No x86 cap of this configuration takes cap data. */
    return cap;
}

cap_t Arch_maskCapRights(word_t rights, cap_t cap)
{
    if (cap_get_type(cap) == cap_frame_cap)
        cap.frame.vmRights = maskVMRights(cap.frame.vmRights, rights);
    return cap;
}

static void finaliseTable(cap_t cap)
{
    vptr_t vaddr = cap_table_mapped_vaddr(cap);
    word_t asid = cap.table.mappedASID;

    switch (cap_get_type(cap)) {
    case cap_page_table_cap:
        unmapPageTable(asid, vaddr, (pt_t *)cap.table.basePtr);
        break;
    case cap_page_directory_cap:
        unmapPageDirectory(asid, vaddr, (pd_t *)cap.table.basePtr);
        break;
    default:
        unmapPDPT(asid, vaddr, (pdpt_t *)cap.table.basePtr);
        break;
    }
}

finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
        /* Each frame cap owns its mapping, final or not. */
        if (cap.frame.mappedASID != ASID_INVALID)
            unmapPage(cap.frame.size, cap.frame.mappedASID, cap_frame_mapped_vaddr(cap),
                      cap.frame.basePtr);
        break;
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        if (final && cap.table.isMapped)
            finaliseTable(cap);
        break;
    case cap_pml4_cap:
        if (final && cap.pml4.isMapped)
            deleteASID(cap.pml4.mappedASID, (pml4_t *)cap.pml4.basePtr);
        break;
    case cap_asid_pool_cap:
        if (final)
            deleteASIDPool(cap.asid_pool.asidBase, (asid_pool_t *)cap.asid_pool.ptr);
        break;
    case cap_io_port_cap:
        /* Freed here rather than after the slot is cleared: nothing can
         * observe the difference on one core with interrupts off. */
        if (final)
            freeIOPortRange(cap.io_port.firstPort, cap.io_port.lastPort);
        break;
    default:
        break;
    }
    return (finaliseCap_ret_t){cap_null_cap_new(), cap_null_cap_new()};
}

bool Arch_sameRegionAs(cap_t a, cap_t b)
{
    cap_tag_t ta = cap_get_type(a), tb = cap_get_type(b);

    switch (ta) {
    case cap_frame_cap:
        if (tb == cap_frame_cap) {
            word_t botA = a.frame.basePtr, botB = b.frame.basePtr;
            word_t topA = botA + MASK(pageBitsForSize(a.frame.size));
            word_t topB = botB + MASK(pageBitsForSize(b.frame.size));
            return botA <= botB && topA >= topB && botB <= topB;
        }
        return false;
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        return tb == ta && a.table.basePtr == b.table.basePtr;
    case cap_pml4_cap:
        return tb == ta && a.pml4.basePtr == b.pml4.basePtr;
    case cap_asid_control_cap:
        return tb == cap_asid_control_cap;
    case cap_asid_pool_cap:
        return tb == cap_asid_pool_cap && a.asid_pool.ptr == b.asid_pool.ptr;
    case cap_io_port_control_cap:
        /* Issued IO port caps are its children in the MDB. */
        return tb == cap_io_port_control_cap || tb == cap_io_port_cap;
    case cap_io_port_cap:
        return tb == cap_io_port_cap && a.io_port.firstPort == b.io_port.firstPort &&
               a.io_port.lastPort == b.io_port.lastPort;
    default:
        return false;
    }
}

bool Arch_sameObjectAs(cap_t a, cap_t b)
{
    if (cap_get_type(a) == cap_io_port_control_cap && cap_get_type(b) == cap_io_port_cap)
        return false;
    if (cap_get_type(a) == cap_frame_cap && cap_get_type(b) == cap_frame_cap)
        return a.frame.basePtr == b.frame.basePtr && a.frame.size == b.frame.size &&
               a.frame.isDevice == b.frame.isDevice;
    return Arch_sameRegionAs(a, b);
}

word_t Arch_getObjectSize(word_t type)
{
    switch (type) {
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    case seL4_X86_PageTableObject:
        return seL4_PageTableBits;
    case seL4_X86_PageDirectoryObject:
        return seL4_PageDirBits;
    case seL4_X86_PDPTObject:
        return seL4_PDPTBits;
    case seL4_X64_PML4Object:
        return seL4_PML4Bits;
    default:
        /* Not an object type: Retype rejects it (spec §10), never us. */
        return 0;
    }
}

bool Arch_isFrameType(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

cap_t Arch_createObject(word_t type, void *regionBase, word_t userSize, bool deviceMemory)
{
    pptr_t base = (pptr_t)regionBase;

    switch (type) {
    case seL4_X86_4K:
        return cap_frame_cap_new(X86_SmallPage, VMReadWrite, deviceMemory, ASID_INVALID, 0, base);
    case seL4_X86_LargePageObject:
        return cap_frame_cap_new(X86_LargePage, VMReadWrite, deviceMemory, ASID_INVALID, 0, base);
    case seL4_X64_HugePageObject:
        return cap_frame_cap_new(X64_HugePage, VMReadWrite, deviceMemory, ASID_INVALID, 0, base);
    case seL4_X86_PageTableObject:
        return cap_table_cap_new(cap_page_table_cap, false, ASID_INVALID, 0, base);
    case seL4_X86_PageDirectoryObject:
        return cap_table_cap_new(cap_page_directory_cap, false, ASID_INVALID, 0, base);
    case seL4_X86_PDPTObject:
        return cap_table_cap_new(cap_pdpt_cap, false, ASID_INVALID, 0, base);
    case seL4_X64_PML4Object:
        kassert(!deviceMemory); /* Retype makes only frames from device memory */
        copyGlobalMappings((pml4_t *)regionBase);
        return cap_pml4_cap_new(false, ASID_INVALID, base);
    default:
        kpanic("Arch_createObject: type %lu is not an x86 object", (unsigned long)type);
    }
}

exception_t Arch_decodeInvocation(word_t invLabel, word_t length, cptr_t capIndex, cte_t *slot,
                                  cap_t cap, bool call, word_t *buffer)
{
    switch (cap_get_type(cap)) {
    case cap_io_port_control_cap:
        return decodeX86PortControlInvocation(invLabel, length, slot, cap, buffer);
    case cap_io_port_cap:
        return decodeX86PortInvocation(invLabel, length, slot, cap, call, buffer);
    default:
        return decodeX86MMUInvocation(invLabel, length, capIndex, slot, cap, call, buffer);
    }
}

/* --- object base and size, for every cap type ----------------------------- */

word_t cap_get_capPtr(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_untyped_cap:
        return cap.untyped.ptr;
    case cap_endpoint_cap:
        return cap_ptr_decode(cap.endpoint.ptr);
    case cap_notification_cap:
        return cap_ptr_decode(cap.notification.ptr);
    case cap_cnode_cap:
        return (word_t)(((sword_t)((word_t)cap.cnode.ptr << 22)) >> 16);
    case cap_thread_cap:
        /* The object starts at its internal CNode, below tcb_t. */
        return ROUND_DOWN(cap_ptr_decode(cap.thread.ptr), seL4_TCBBits);
    case cap_zombie_cap:
        return cap.zombie.zombieType == ZOMBIE_TYPE_TCB ? ROUND_DOWN(cap.zombie.ptr, seL4_TCBBits)
                                                        : cap.zombie.ptr;
    case cap_frame_cap:
        return cap.frame.basePtr;
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        return cap.table.basePtr;
    case cap_pml4_cap:
        return cap.pml4.basePtr;
    case cap_asid_pool_cap:
        return cap.asid_pool.ptr;
    default:
        return 0; /* not backed by memory: never inside an untyped */
    }
}

word_t cap_get_capSizeBits(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_untyped_cap:
        return cap.untyped.blockSize;
    case cap_endpoint_cap:
        return seL4_EndpointBits;
    case cap_notification_cap:
        return seL4_NotificationBits;
    case cap_cnode_cap:
        return cap.cnode.radix + seL4_SlotBits;
    case cap_thread_cap:
        return seL4_TCBBits;
    case cap_zombie_cap:
        return cap.zombie.zombieType == ZOMBIE_TYPE_TCB ? seL4_TCBBits
                                                        : cap.zombie.zombieType + seL4_SlotBits;
    case cap_frame_cap:
        return pageBitsForSize(cap.frame.size);
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
        return seL4_PageTableBits;
    case cap_asid_pool_cap:
        return seL4_ASIDPoolBits;
    default:
        return 0;
    }
}
