/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Debug system calls (spec §21, §7.6): DebugPutChar, DebugCapIdentify of
 * every cap type this configuration can make (and 0 for a failed lookup),
 * DebugNameThread (in tcb.c); DebugDumpScheduler and DebugSnapshot are in
 * zz_debug_dump.c so that they run last. DebugHalt is used only by the runtime's exit.
 */
#include "conf.h"

CTEST(debug_put_char)
{
    const char *s = "debug_put_char: ok\n";
    while (*s)
        seL4_DebugPutChar(*s++);
    CHECK(true);
}

CTEST(debug_cap_identify_objects)
{
    static const struct {
        seL4_Word type, bits, tag;
    } objs[] = {
        {seL4_UntypedObject, 4, seL4_CapType_Untyped},
        {seL4_TCBObject, 0, seL4_CapType_TCB},
        {seL4_EndpointObject, 0, seL4_CapType_Endpoint},
        {seL4_NotificationObject, 0, seL4_CapType_Notification},
        {seL4_CapTableObject, 1, seL4_CapType_CNode},
        {seL4_X86_4K, 0, seL4_CapType_Frame},
        {seL4_X86_LargePageObject, 0, seL4_CapType_Frame},
        {seL4_X86_PageTableObject, 0, seL4_CapType_PageTable},
        {seL4_X86_PageDirectoryObject, 0, seL4_CapType_PageDirectory},
        {seL4_X86_PDPTObject, 0, seL4_CapType_PDPT},
        {seL4_X64_PML4Object, 0, seL4_CapType_PML4},
    };
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        seL4_CPtr s = c_obj(objs[i].type, objs[i].bits);
        CHECK_EQ(c_ident(s), objs[i].tag);
    }
}

CTEST(debug_cap_identify_other_caps)
{
    seL4_CPtr pool = c_slot(), irq = c_slot(), io = c_slot(), ut = c_untyped(12);

    CHECK_ERR(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT_CNODE, pool, DEPTH),
              seL4_NoError);
    CHECK_EQ(c_ident(pool), seL4_CapType_ASIDPool);
    CHECK_ERR(seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT_CNODE, irq, DEPTH, 0, 5, 0, 0, 40),
              seL4_NoError);
    CHECK_EQ(c_ident(irq), seL4_CapType_IRQHandler);
    CHECK_ERR(
        seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x80, 0x80, ROOT_CNODE, io, DEPTH),
        seL4_NoError);
    CHECK_EQ(c_ident(io), seL4_CapType_IOPort);
    CHECK_EQ(c_ident(seL4_CapIRQControl), seL4_CapType_IRQControl);
    CHECK_EQ(c_ident(seL4_CapASIDControl), seL4_CapType_ASIDControl);
    CHECK_EQ(c_ident(seL4_CapIOPortControl), seL4_CapType_IOPortControl);
    CHECK_EQ(c_ident(seL4_CapDomain), seL4_CapType_Domain);
    /* A copy of the domain cap is a domain cap too. */
    CHECK_EQ(c_ident(c_copy(seL4_CapDomain)), seL4_CapType_Domain);
}

CTEST(debug_cap_identify_failed_lookup)
{
    seL4_CPtr ep = c_ep();

    CHECK_EQ(c_ident(ep | (1ul << 63)), 0);
    CHECK_EQ(c_ident(ep | (1ul << 12)), 0);
    CHECK_EQ(c_ident(~0ul), 0);
    CHECK_EQ(c_ident(c_slot()), 0);
    CHECK_EQ(c_ident(ep), seL4_CapType_Endpoint);
}
