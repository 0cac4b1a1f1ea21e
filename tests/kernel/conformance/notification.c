/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications (spec §13.1, §13.5, §13.6, §12.2 Bind/Unbind): signal then
 * wait, badges OR-ed while nobody waits, polling, waking a blocked waiter
 * (also with badge 0), FIFO waiters, rights, Call on a notification, bound
 * notifications waking an endpoint Recv or answering it at once, not waking
 * a thread blocked in Call, and every Bind/Unbind error.
 */
#include "conf.h"

static volatile seL4_Word n_done, n_word, n_order[2], n_count;

static void waiter(seL4_Word cap, seL4_Word id)
{
    seL4_Word word = 0;
    seL4_Wait(cap, &word);
    n_word = word;
    n_order[n_count++] = id;
    n_done = 1;
}

CTEST(ntfn_signal_then_wait)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x10);
    seL4_Word word = 0;

    seL4_Signal(b);
    seL4_Wait(n, &word);
    CHECK_EQ(word, 0x10);
    /* The word was cleared. */
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0);
}

CTEST(ntfn_badges_or)
{
    seL4_CPtr n = c_ntfn();
    seL4_Word word = 0;

    for (seL4_Word bit = 0; bit < 64; bit += 9)
        seL4_Signal(c_mint(n, seL4_CapRightsWord_All, 1ul << bit));
    seL4_Signal(c_mint(n, seL4_CapRightsWord_All, 1));
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x8040201008040201ul);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0);
}

CTEST(ntfn_nbsend_and_send_signal)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_Write, 0x6);
    seL4_Word word = 0;

    seL4_NBSend(b, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x6);
    seL4_Send(b, seL4_MessageInfo_new(5, 0, 0, 2));
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x6);
}

CTEST(ntfn_call_signals_and_replies_empty)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x21);
    seL4_Word word = 0, m[4] = {1, 2, 3, 4};
    seL4_MessageInfo_t info;

    info = seL4_CallWithMRs(b, seL4_MessageInfo_new(7, 0, 0, 4), &m[0], &m[1], &m[2], &m[3]);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 0);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x21);
}

CTEST(ntfn_wait_blocks_until_signal)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x300);
    cthread_t t;

    n_done = n_word = n_count = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, waiter, n, 1))
        return;
    c_spin_yield(5);
    CHECK_EQ(n_done, 0);
    seL4_Signal(b);
    if (!CHECK(c_wait_flag(&n_done, WAIT_MS)))
        return;
    CHECK_EQ(n_word, 0x300);
}

CTEST(ntfn_unbadged_signal_wakes_with_zero)
{
    seL4_CPtr n = c_ntfn();
    cthread_t t;

    n_done = 0;
    n_word = 99;
    n_count = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, waiter, n, 1))
        return;
    seL4_Yield();
    seL4_Signal(n);
    if (!CHECK(c_wait_flag(&n_done, WAIT_MS)))
        return;
    CHECK_EQ(n_word, 0);
}

CTEST(ntfn_waiters_fifo)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 1);
    cthread_t t1, t2;

    n_done = n_count = 0;
    if (!c_spawn(&t1, seL4_MaxPrio, 0, waiter, n, 1))
        return;
    seL4_Yield();
    if (!c_spawn(&t2, seL4_MaxPrio, 0, waiter, n, 2))
        return;
    seL4_Yield();
    seL4_Signal(b);
    c_spin_yield(5);
    if (!CHECK_EQ(n_count, 1))
        return;
    CHECK_EQ(n_order[0], 1);
    seL4_Signal(b);
    c_spin_yield(5);
    CHECK_EQ(n_count, 2);
    CHECK_EQ(n_order[1], 2);
}

CTEST(ntfn_rights)
{
    seL4_CPtr n = c_ntfn(), ro = c_mint(n, seL4_CapRightsWord_Read, 0);
    seL4_CPtr wo = c_mint(n, seL4_CapRightsWord_Write, 0x5);
    seL4_MessageInfo_t info;
    seL4_Word word = 0;

    /* Signal through a cap without Write: nothing (Call reports InvalidCapability). */
    seL4_Signal(ro);
    info = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
    CHECK_MR0(0);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0);
    seL4_Signal(wo);
    seL4_Poll(ro, &word);
    CHECK_EQ(word, 0x5);
}

/* ---- bound notifications (§13.6) ---- */

static volatile seL4_Word b_badge, b_label, b_done;

static void recv_on_ep(seL4_Word ep, seL4_Word unused)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    b_badge = badge;
    b_label = seL4_MessageInfo_get_label(info);
    b_done = 1;
}

CTEST(ntfn_bound_signal_wakes_ep_recv)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x4000);
    cthread_t t;

    b_done = b_badge = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    CHECK_ERR(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    if (!c_thread_start(&t, recv_on_ep, ep, 0))
        return;
    c_spin_yield(5);
    CHECK_EQ(b_done, 0);
    seL4_Signal(b);
    if (!CHECK(c_wait_flag(&b_done, WAIT_MS)))
        return;
    CHECK_EQ(b_badge, 0x4000);
}

CTEST(ntfn_bound_active_answers_recv)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), sender = c_mint(ep, seL4_CapRightsWord_All, 0x1);
    cthread_t t;

    b_done = b_badge = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    CHECK_ERR(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    seL4_Signal(c_mint(n, seL4_CapRightsWord_All, 0x3000));
    seL4_Signal(c_mint(n, seL4_CapRightsWord_All, 0x0200));
    if (!c_thread_start(&t, recv_on_ep, ep, 0))
        return;
    if (!CHECK(c_wait_flag(&b_done, WAIT_MS)))
        return;
    CHECK_EQ(b_badge, 0x3200);
    (void)sender;
}

CTEST(ntfn_bound_thread_may_wait_directly)
{
    seL4_CPtr n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x9);
    cthread_t t;

    n_done = n_count = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    CHECK_ERR(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    if (!c_thread_start(&t, waiter, n, 1))
        return;
    seL4_Yield();
    seL4_Signal(b);
    if (!CHECK(c_wait_flag(&n_done, WAIT_MS)))
        return;
    CHECK_EQ(n_word, 0x9);
}

/* A thread blocked in Call is not woken by its bound notification. */
static void bound_caller(seL4_Word ep, seL4_Word ntfn)
{
    seL4_Word word = 0;
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0x1, 0, 0, 0));
    b_label = seL4_MessageInfo_get_label(info);
    seL4_Poll(ntfn, &word);
    b_badge = word;
    b_done = 1;
}

CTEST(ntfn_bound_does_not_wake_call)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), b = c_mint(n, seL4_CapRightsWord_All, 0x70);
    seL4_CPtr cap = c_mint(ep, seL4_CapRightsWord_Write | seL4_CapRightsWord_GrantReply, 0x2);
    cthread_t t;

    b_done = b_badge = b_label = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    CHECK_ERR(seL4_TCB_BindNotification(t.tcb, n), seL4_NoError);
    if (!c_thread_start(&t, bound_caller, cap, n))
        return;
    if (!CHECK(c_recv(ep, NULL, NULL, WAIT_MS)))
        return;
    seL4_Signal(b);
    c_spin_yield(5);
    CHECK_EQ(b_done, 0);
    seL4_Reply(seL4_MessageInfo_new(0x44, 0, 0, 0));
    if (!CHECK(c_wait_flag(&b_done, WAIT_MS)))
        return;
    CHECK_EQ(b_label, 0x44);
    CHECK_EQ(b_badge, 0x70);
}

static volatile seL4_Word other_done;

static void wait_other(seL4_Word n, seL4_Word unused)
{
    seL4_Word w;
    seL4_Wait(n, &w);
    other_done = 1;
}

/* Only the bound thread may Recv on a bound notification: others take a cap fault. */
CTEST(ntfn_bound_other_thread_cap_fault)
{
    seL4_CPtr n = c_ntfn(), fep = c_ep(), f = c_mint(fep, seL4_CapRightsWord_All, FAULT_BADGE);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t owner, other;

    other_done = 0;
    if (!c_thread_new(&owner, seL4_MaxPrio, 0, true) ||
        !CHECK_ERR(seL4_TCB_BindNotification(owner.tcb, n), seL4_NoError))
        return;
    if (!c_spawn(&other, seL4_MaxPrio, f, wait_other, n, 0))
        return;
    if (!CHECK(c_recv(fep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, FAULT_BADGE);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    CHECK_EQ(other_done, 0);
}

CTEST(ntfn_bind_errors)
{
    seL4_CPtr n = c_ntfn(), n2 = c_ntfn(), t1 = c_tcb(), t2 = c_tcb();
    seL4_CPtr wo = c_mint(n2, seL4_CapRightsWord_Write, 0);

    CHECK_ERR(seL4_TCB_UnbindNotification(t1), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(t1, wo), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(t1, n), seL4_NoError);
    CHECK_ERR(seL4_TCB_BindNotification(t1, n2), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(t2, n), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(t2, TCBBindNotification, 0, NULL, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(seL4_TCB_UnbindNotification(t1), seL4_NoError);
    CHECK_ERR(seL4_TCB_UnbindNotification(t1), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(t2, n), seL4_NoError);
}

CTEST(ntfn_bind_with_waiter_refused)
{
    seL4_CPtr n = c_ntfn(), t2 = c_tcb();
    cthread_t t;

    n_done = n_count = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, waiter, n, 1))
        return;
    seL4_Yield();
    CHECK_ERR(seL4_TCB_BindNotification(t2, n), seL4_IllegalOperation);
    seL4_Signal(n);
    CHECK(c_wait_flag(&n_done, WAIT_MS));
    CHECK_ERR(seL4_TCB_BindNotification(t2, n), seL4_NoError);
}

/* Deleting the notification unbinds it. */
CTEST(ntfn_delete_unbinds)
{
    seL4_CPtr n = c_ntfn(), n2 = c_ntfn(), t = c_tcb();

    CHECK_ERR(seL4_TCB_BindNotification(t, n), seL4_NoError);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, n, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_TCB_UnbindNotification(t), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(t, n2), seL4_NoError);
}
