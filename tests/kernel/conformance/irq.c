/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupts (spec §16, §12.4): IRQControl_Get refused in the IOAPIC
 * configuration, GetIOAPIC and GetMSI with every range check and their
 * detail MRs, a vector that already has a handler (RevokeFirst), handler
 * caps (copy, delete frees the vector, SetNotification rights, Clear, Ack,
 * truncated messages), and real delivery from a device: the RTC's periodic
 * interrupt on ISA IRQ 8 (IOAPIC 0 pin 8, edge, active high), signalled to a
 * notification with its badge, masked until Ack, dropped after Clear.
 */
#include "conf.h"

#define RTC_PIN  8
#define VECTOR_A 20
#define VECTOR_B 21

static seL4_Error get_ioapic(seL4_CPtr dest, seL4_Word ioapic, seL4_Word pin, seL4_Word level,
                             seL4_Word polarity, seL4_Word vector)
{
    return seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT_CNODE, dest, DEPTH, ioapic, pin,
                                     level, polarity, vector);
}

static seL4_Error get_msi(seL4_CPtr dest, seL4_Word bus, seL4_Word dev, seL4_Word func,
                          seL4_Word vector)
{
    return seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT_CNODE, dest, DEPTH, bus, dev, func, 0,
                                  vector);
}

CTEST(irq_control_get_refused)
{
    seL4_CPtr d = c_slot();

    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 8, ROOT_CNODE, d, DEPTH),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT_CNODE, d, DEPTH),
              seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
}

CTEST(irq_ioapic_range_errors)
{
    seL4_CPtr d = c_slot();

    CHECK_ERR(get_ioapic(d, 0, RTC_PIN, 2, 0, VECTOR_A), seL4_RangeError);
    CHECK_RANGE(0, 1);
    CHECK_ERR(get_ioapic(d, 0, RTC_PIN, 0, 2, VECTOR_A), seL4_RangeError);
    CHECK_RANGE(0, 1);
    CHECK_ERR(get_ioapic(d, 0, RTC_PIN, 0, 0, 108), seL4_RangeError);
    CHECK_RANGE(0, 107);
    CHECK_ERR(get_ioapic(d, 0, RTC_PIN, 0, 0, ~0ul), seL4_RangeError);
    CHECK_RANGE(0, 107);
    CHECK_ERR(get_ioapic(d, 0, 1000, 0, 0, VECTOR_A), seL4_RangeError);
    CHECK_ERR(get_ioapic(d, 200, RTC_PIN, 0, 0, VECTOR_A), seL4_RangeError);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(get_ioapic(d, 0, RTC_PIN, 0, 0, 107), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_IRQHandler);
}

CTEST(irq_ioapic_dest_and_truncated)
{
    seL4_CPtr ep = c_ep(), d = c_slot(), root = ROOT_CNODE;
    seL4_Word mr[7] = {d, DEPTH, 0, RTC_PIN, 0, 0, VECTOR_A};

    CHECK_ERR(get_ioapic(ep, 0, RTC_PIN, 0, 0, VECTOR_A), seL4_DeleteFirst);
    CHECK_ERR(c_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerIOAPIC, 6, mr, 1, &root),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerIOAPIC, 7, mr, 0, NULL),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerMSI, 6, mr, 1, &root),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(seL4_CapIRQControl, X86PageMap, 7, mr, 1, &root), seL4_IllegalOperation);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(c_invoke(seL4_CapIRQControl, X86IRQIssueIRQHandlerIOAPIC, 7, mr, 1, &root),
              seL4_NoError);
}

CTEST(irq_vector_in_use)
{
    seL4_CPtr a = c_slot(), b = c_slot(), c = c_slot();

    if (!CHECK_ERR(get_ioapic(a, 0, RTC_PIN, 0, 0, VECTOR_A), seL4_NoError))
        return;
    CHECK_ERR(get_ioapic(b, 0, RTC_PIN + 1, 0, 0, VECTOR_A), seL4_RevokeFirst);
    CHECK_ERR(get_msi(b, 0, 3, 0, VECTOR_A), seL4_RevokeFirst);
    CHECK_ERR(get_msi(b, 0, 3, 0, VECTOR_B), seL4_NoError);
    /* Deleting the last handler cap frees the vector. */
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, a, DEPTH), seL4_NoError);
    CHECK_ERR(get_ioapic(c, 0, RTC_PIN, 0, 0, VECTOR_A), seL4_NoError);
}

CTEST(irq_msi_range_errors)
{
    seL4_CPtr d = c_slot();

    CHECK_ERR(get_msi(d, 256, 0, 0, VECTOR_A), seL4_RangeError);
    CHECK_RANGE(0, 255);
    CHECK_ERR(get_msi(d, 0, 32, 0, VECTOR_A), seL4_RangeError);
    CHECK_RANGE(0, 31);
    CHECK_ERR(get_msi(d, 0, 0, 8, VECTOR_A), seL4_RangeError);
    CHECK_RANGE(0, 7);
    CHECK_ERR(get_msi(d, 0, 0, 0, 108), seL4_RangeError);
    CHECK_RANGE(0, 107);
    CHECK_EQ(c_ident(d), 0);
    CHECK_ERR(get_msi(d, 255, 31, 7, 0), seL4_NoError);
    CHECK_EQ(c_ident(d), seL4_CapType_IRQHandler);
}

CTEST(irq_handler_set_notification)
{
    seL4_CPtr h = c_slot(), n = c_ntfn(), ro = c_mint(n, seL4_CapRightsWord_Read, 0), ep = c_ep();

    if (!CHECK_ERR(get_msi(h, 0, 4, 0, VECTOR_A), seL4_NoError))
        return;
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, ro), seL4_InvalidCapability);
    CHECK_MR0(0);
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability);
    CHECK_MR0(0);
    CHECK_ERR(c_invoke(h, IRQSetIRQHandler, 0, NULL, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, n), seL4_NoError);
    CHECK_ERR(seL4_IRQHandler_Clear(h), seL4_NoError);
    CHECK_ERR(seL4_IRQHandler_Clear(h), seL4_NoError);
    CHECK_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    CHECK_ERR(c_invoke(h, IRQIssueIRQHandler, 0, NULL, 0, NULL), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(h, X86PageUnmap, 0, NULL, 0, NULL), seL4_IllegalOperation);
}

CTEST(irq_handler_copies)
{
    seL4_CPtr h = c_slot(), again = c_slot(), cp;

    if (!CHECK_ERR(get_ioapic(h, 0, RTC_PIN, 0, 0, VECTOR_B), seL4_NoError))
        return;
    cp = c_copy(h);
    CHECK_EQ(c_ident(cp), seL4_CapType_IRQHandler);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, h, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_IRQHandler_Ack(cp), seL4_NoError);
    CHECK_ERR(get_ioapic(again, 0, RTC_PIN, 0, 0, VECTOR_B), seL4_RevokeFirst);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, cp, DEPTH), seL4_NoError);
    CHECK_ERR(get_ioapic(again, 0, RTC_PIN, 0, 0, VECTOR_B), seL4_NoError);
}

/* ---- the RTC's periodic interrupt ---- */

static seL4_CPtr rtc_io;

static uint8_t rtc_read(uint8_t reg)
{
    seL4_X86_IOPort_Out8(rtc_io, 0x70, reg);
    return seL4_X86_IOPort_In8(rtc_io, 0x71).result;
}

static void rtc_write(uint8_t reg, uint8_t v)
{
    seL4_X86_IOPort_Out8(rtc_io, 0x70, reg);
    seL4_X86_IOPort_Out8(rtc_io, 0x71, v);
}

/* Poll the notification for up to `ms`; returns its word (0 = nothing). */
static seL4_Word wait_irq(seL4_CPtr n, uint64_t ms)
{
    uint64_t start = rt_rdtsc(), limit = c_ms(ms);
    seL4_Word word = 0;

    while (rt_rdtsc() - start < limit) {
        seL4_Poll(n, &word);
        if (word)
            return word;
    }
    return 0;
}

static bool rtc_setup(seL4_CPtr *h, seL4_CPtr *n)
{
    rtc_io = c_slot();
    *h = c_slot();
    *n = c_ntfn();
    if (!CHECK_ERR(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x70, 0x71, ROOT_CNODE,
                                                rtc_io, DEPTH),
                   seL4_NoError) ||
        !CHECK_ERR(get_ioapic(*h, 0, RTC_PIN, 0, 0, VECTOR_A), seL4_NoError) ||
        !CHECK_ERR(seL4_IRQHandler_SetNotification(*h, c_mint(*n, seL4_CapRightsWord_Write, 0x800)),
                   seL4_NoError))
        return false;
    /* 1024 Hz periodic interrupt, then clear any pending flag and unmask. */
    rtc_write(0x0a, (rtc_read(0x0a) & 0xf0) | 0x06);
    rtc_write(0x0b, rtc_read(0x0b) | 0x40);
    rtc_read(0x0c);
    return CHECK_ERR(seL4_IRQHandler_Ack(*h), seL4_NoError);
}

static void rtc_stop(void)
{
    rtc_write(0x0b, rtc_read(0x0b) & ~0x40);
    rtc_read(0x0c);
}

CTEST(irq_rtc_periodic_delivery)
{
    seL4_CPtr h, n;

    if (!rtc_setup(&h, &n))
        goto out;
    for (int i = 0; i < 3; i++) {
        if (!CHECK_EQ(wait_irq(n, 1000), 0x800)) {
            /* Tell a silent device from an undelivered interrupt. */
            printf("    RTC status C after the wait: 0x%x\n", rtc_read(0x0c));
            goto out;
        }
        /* Masked until Ack: the next periodic interrupt is not signalled yet. */
        rtc_read(0x0c);
        if (i == 0)
            CHECK_EQ(wait_irq(n, 20), 0);
        rtc_read(0x0c);
        CHECK_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    }
out:
    rtc_stop();
}

CTEST(irq_rtc_clear_drops_interrupts)
{
    seL4_CPtr h, n;

    if (!rtc_setup(&h, &n))
        goto out;
    if (!CHECK_EQ(wait_irq(n, 1000), 0x800))
        goto out;
    CHECK_ERR(seL4_IRQHandler_Clear(h), seL4_NoError);
    rtc_read(0x0c);
    CHECK_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    CHECK_EQ(wait_irq(n, 30), 0);
    /* Set again (badged, so a delivered signal is told from "nothing"):
     * delivery resumes. */
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, c_mint(n, seL4_CapRightsWord_Write, 0x800)),
              seL4_NoError);
    rtc_read(0x0c);
    CHECK_ERR(seL4_IRQHandler_Ack(h), seL4_NoError);
    CHECK_EQ(wait_irq(n, 1000), 0x800);
out:
    rtc_stop();
}

/* A thread blocked on the notification is woken by the interrupt. */
static volatile seL4_Word irq_woken;

static void irq_waiter(seL4_Word n, seL4_Word unused)
{
    seL4_Word w = 0;
    seL4_Wait(n, &w);
    irq_woken = w;
}

CTEST(irq_rtc_wakes_waiting_thread)
{
    seL4_CPtr h, n;
    cthread_t t;

    irq_woken = 0;
    if (!rtc_setup(&h, &n))
        goto out;
    if (!c_spawn(&t, seL4_MaxPrio, 0, irq_waiter, n, 0))
        goto out;
    CHECK(c_wait_flag(&irq_woken, 1000));
    CHECK_EQ(irq_woken, 0x800);
out:
    rtc_stop();
}
