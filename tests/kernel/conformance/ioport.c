/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O ports (spec §17, §12.5): IOPortControl_Issue and its errors (range
 * order, overlap with an issued range, occupied destination, truncated
 * message), In8/16/32 and Out8/16/32 on the CMOS/RTC ports 0x70-0x71 with
 * the access-width range checks, a copied IOPort cap, freeing the range when
 * the last copy is deleted, and the control cap refusing to be copied.
 */
#include "conf.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
/* A CMOS byte outside the clock and status registers, as scratch space. */
#define CMOS_SCRATCH 0x7d

static seL4_Error issue(seL4_Word first, seL4_Word last, seL4_CPtr dest)
{
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, first, last, ROOT_CNODE, dest,
                                        DEPTH);
}

static seL4_CPtr cmos_cap(void)
{
    seL4_CPtr s = c_slot();
    if (!CHECK_ERR(issue(CMOS_INDEX, CMOS_DATA, s), seL4_NoError))
        return 0;
    return s;
}

static uint8_t cmos_read(seL4_CPtr cap, uint8_t reg)
{
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_INDEX, reg), seL4_NoError);
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(cap, CMOS_DATA);
    CHECK_ERR(r.error, seL4_NoError);
    return r.result;
}

CTEST(ioport_issue_and_read_rtc)
{
    seL4_CPtr cap = cmos_cap();
    uint8_t sec, regb;

    if (!cap)
        return;
    CHECK_EQ(c_ident(cap), seL4_CapType_IOPort);
    regb = cmos_read(cap, 0x0b);
    sec = cmos_read(cap, 0x00);
    /* Seconds are 0..59, in BCD unless status B bit 2 selects binary. */
    if (regb & 4)
        CHECK(sec < 60);
    else
        CHECK((sec & 0xf) < 10 && sec < 0x60);
}

CTEST(ioport_out_then_in)
{
    seL4_CPtr cap = cmos_cap();
    seL4_X86_IOPort_In16_t r16;
    uint8_t saved;

    if (!cap)
        return;
    saved = cmos_read(cap, CMOS_SCRATCH);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_INDEX, CMOS_SCRATCH), seL4_NoError);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_DATA, 0x5a), seL4_NoError);
    CHECK_EQ(cmos_read(cap, CMOS_SCRATCH), 0x5a);
    /* Out8 truncates the data to 8 bits. */
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_INDEX, CMOS_SCRATCH), seL4_NoError);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_DATA, 0x1a5), seL4_NoError);
    CHECK_EQ(cmos_read(cap, CMOS_SCRATCH), 0xa5);
    /* A 16-bit write to 0x70 sets the index (low byte) and writes the data (high byte). */
    CHECK_ERR(seL4_X86_IOPort_Out16(cap, CMOS_INDEX, (0x3cu << 8) | CMOS_SCRATCH), seL4_NoError);
    CHECK_EQ(cmos_read(cap, CMOS_SCRATCH), 0x3c);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_INDEX, CMOS_SCRATCH), seL4_NoError);
    r16 = seL4_X86_IOPort_In16(cap, CMOS_INDEX);
    CHECK_ERR(r16.error, seL4_NoError);
    CHECK_EQ(r16.result >> 8, 0x3c);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_INDEX, CMOS_SCRATCH), seL4_NoError);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, CMOS_DATA, saved), seL4_NoError);
}

CTEST(ioport_access_outside_range)
{
    seL4_CPtr cap = cmos_cap(), wide = c_slot();

    if (!cap)
        return;
    CHECK_ERR(seL4_X86_IOPort_In8(cap, 0x72).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In8(cap, 0x6f).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In16(cap, CMOS_DATA).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In32(cap, CMOS_INDEX).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out8(cap, 0x72, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out16(cap, CMOS_DATA, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out32(cap, CMOS_INDEX, 0), seL4_IllegalOperation);
    /* A 4-port range allows 32-bit accesses (PIT counters 0x40-0x43: read only). */
    if (CHECK_ERR(issue(0x40, 0x43, wide), seL4_NoError)) {
        CHECK_ERR(seL4_X86_IOPort_In32(wide, 0x40).error, seL4_NoError);
        CHECK_ERR(seL4_X86_IOPort_In32(wide, 0x41).error, seL4_IllegalOperation);
        CHECK_ERR(seL4_X86_IOPort_In16(wide, 0x42).error, seL4_NoError);
    }
}

CTEST(ioport_issue_errors)
{
    seL4_CPtr a = c_slot(), b = c_slot(), ep = c_ep(), root = ROOT_CNODE;

    CHECK_ERR(issue(0x71, 0x70, a), seL4_InvalidArgument);
    CHECK_MR0(1);
    if (!CHECK_ERR(issue(0x70, 0x71, a), seL4_NoError))
        return;
    CHECK_ERR(issue(0x70, 0x71, b), seL4_RevokeFirst);
    CHECK_ERR(issue(0x71, 0x72, b), seL4_RevokeFirst);
    CHECK_ERR(issue(0x60, 0x70, b), seL4_RevokeFirst);
    CHECK_ERR(issue(0x60, 0x80, b), seL4_RevokeFirst);
    CHECK_ERR(issue(0x72, 0x72, ep), seL4_DeleteFirst);
    CHECK_ERR(c_invoke(seL4_CapIOPortControl, X86IOPortControlIssue, 3,
                       (seL4_Word[]){0x72, 0x72, b}, 1, &root),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(seL4_CapIOPortControl, X86IOPortControlIssue, 4,
                       (seL4_Word[]){0x72, 0x72, b, DEPTH}, 0, NULL),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(seL4_CapIOPortControl, X86IOPortIn8, 1, (seL4_Word[]){0x70}, 0, NULL),
              seL4_IllegalOperation);
    CHECK_EQ(c_ident(b), 0);
    /* Adjacent ranges are fine. */
    CHECK_ERR(issue(0x72, 0x72, b), seL4_NoError);
}

CTEST(ioport_ports_taken_mod_64k)
{
    seL4_CPtr a = c_slot(), b = c_slot();

    CHECK_ERR(issue(0x10070, 0x10071, a), seL4_NoError);
    CHECK_ERR(issue(0x70, 0x70, b), seL4_RevokeFirst);
    /* The cap works on the truncated range. */
    cmos_read(a, 0x0a);
}

CTEST(ioport_copies_and_release)
{
    seL4_CPtr a = c_slot(), b = c_slot(), cp;

    if (!CHECK_ERR(issue(0x70, 0x71, a), seL4_NoError))
        return;
    cp = c_copy(a);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, a, DEPTH), seL4_NoError);
    /* The copy still works and still holds the range. */
    cmos_read(cp, 0x0a);
    CHECK_ERR(issue(0x70, 0x71, b), seL4_RevokeFirst);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, cp, DEPTH), seL4_NoError);
    CHECK_ERR(issue(0x70, 0x71, b), seL4_NoError);
}

CTEST(ioport_truncated_and_labels)
{
    seL4_CPtr cap = cmos_cap();

    if (!cap)
        return;
    CHECK_ERR(c_invoke(cap, X86IOPortIn8, 0, NULL, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(cap, X86IOPortOut8, 1, (seL4_Word[]){0x70}, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(cap, X86IOPortControlIssue, 4, (seL4_Word[]){0x70, 0x71, 0, DEPTH}, 0, NULL),
              seL4_IllegalOperation);
    CHECK_ERR(c_invoke(cap, X86PageMap, 1, (seL4_Word[]){0x70}, 0, NULL), seL4_IllegalOperation);
}
