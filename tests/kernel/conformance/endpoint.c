/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoint IPC (spec §5, §13.1-§13.4, §13.7): Send/Recv, NBSend/NBRecv,
 * Call/Reply/ReplyRecv between threads of one address space and of two
 * (separate VSpace and CSpace); message registers in registers and in the
 * IPC buffer, 120-MR messages, the 120 clamp, transfers to and from threads
 * without an IPC buffer; labels and 64-bit badges; FIFO order of senders and
 * receivers; reply caps with and without Grant/GrantReply (a Call without
 * either leaves the caller inactive); capability transfer with Grant,
 * unwrapping of caps to the same endpoint, occupied receive slots and caps
 * that cannot be derived; and the effect of Recv, Suspend and Resume on
 * pending IPC.
 */
#include "conf.h"

#define RIGHTS_CALL (seL4_CapRightsWord_Write | seL4_CapRightsWord_GrantReply)

static volatile seL4_Word r_done, r_badge, r_label, r_len, r_caps, r_unwrapped;
static volatile seL4_Word r_mr[seL4_MsgMaxLength];

static void reset_results(void)
{
    r_done = r_badge = r_label = r_len = r_caps = r_unwrapped = 0;
    for (int i = 0; i < seL4_MsgMaxLength; i++)
        r_mr[i] = 0;
}

static void record(seL4_MessageInfo_t info, seL4_Word badge)
{
    r_badge = badge;
    r_label = seL4_MessageInfo_get_label(info);
    r_len = seL4_MessageInfo_get_length(info);
    r_caps = seL4_MessageInfo_get_extraCaps(info);
    r_unwrapped = seL4_MessageInfo_get_capsUnwrapped(info);
}

/* Helper: send `n` MRs (value 0x100 + i) with label 0x77 on `cap`. */
static void sender(seL4_Word cap, seL4_Word n)
{
    for (seL4_Word i = 0; i < n && i < seL4_MsgMaxLength; i++)
        seL4_SetMR((int)i, 0x100 + i);
    seL4_Send(cap, seL4_MessageInfo_new(0x77, 0, 0, n));
    r_done = 1;
}

/* Helper: receive once on `cap` and record everything, MRs from the buffer. */
static void receiver(seL4_Word cap, seL4_Word unused)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(cap, &badge);
    record(info, badge);
    for (seL4_Word i = 0; i < r_len; i++)
        r_mr[i] = seL4_GetMR((int)i);
    r_done = 1;
}

/* Helper without an IPC buffer: MR0..3 only come in registers. */
static void receiver_regs(seL4_Word cap, seL4_Word unused)
{
    seL4_Word badge = 0, m[4] = {0, 0, 0, 0};
    seL4_MessageInfo_t info = seL4_RecvWithMRs(cap, &badge, &m[0], &m[1], &m[2], &m[3]);
    record(info, badge);
    for (int i = 0; i < 4; i++)
        r_mr[i] = m[i];
    r_done = 1;
}

static void sender_regs(seL4_Word cap, seL4_Word n)
{
    seL4_Word m[4] = {0x100, 0x101, 0x102, 0x103};
    seL4_SendWithMRs(cap, seL4_MessageInfo_new(0x77, 0, 0, n), &m[0], &m[1], &m[2], &m[3]);
    r_done = 1;
}

/* Helper: Call `cap` with MR0 = a1, record the reply. */
static void caller(seL4_Word cap, seL4_Word a1)
{
    seL4_SetMR(0, a1);
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(0x9, 0, 0, 1));
    record(info, 0);
    r_mr[0] = seL4_GetMR(0);
    r_done = 1;
}

CTEST(ep_send_recv)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 0x31);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, sender, b, 3))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, 0x31);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x77);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 3);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(seL4_GetMR(0), 0x100);
    CHECK_EQ(seL4_GetMR(2), 0x102);
    CHECK(c_wait_flag(&r_done, WAIT_MS));
}

CTEST(ep_recv_then_send)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 0x99);
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, receiver, ep, 0))
        return;
    seL4_Yield(); /* let it block in Recv */
    seL4_SetMR(0, 5);
    seL4_SetMR(1, 6);
    seL4_Send(b, seL4_MessageInfo_new(0x12, 0, 0, 2));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_badge, 0x99);
    CHECK_EQ(r_label, 0x12);
    CHECK_EQ(r_len, 2);
    CHECK_EQ(r_mr[0], 5);
    CHECK_EQ(r_mr[1], 6);
}

CTEST(ep_full_message_120)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_Word badge = 0, bad = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    for (int i = 0; i < seL4_MsgMaxLength; i++)
        seL4_SetMR(i, 0);
    if (!c_spawn(&t, seL4_MaxPrio, 0, sender, b, seL4_MsgMaxLength))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_MsgMaxLength);
    for (int i = 0; i < seL4_MsgMaxLength; i++)
        bad += seL4_GetMR(i) != 0x100ul + i;
    CHECK_EQ(bad, 0);
}

CTEST(ep_length_clamped_to_120)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, sender, b, 127))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_MsgMaxLength);
    CHECK_EQ(seL4_GetMR(119), 0x100 + 119);
}

CTEST(ep_sender_without_ipc_buffer)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!c_thread_new(&t, seL4_MaxPrio, 0, false) || !c_thread_start(&t, sender_regs, b, 10))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x77);
    CHECK_EQ(seL4_GetMR(0), 0x100);
    CHECK_EQ(seL4_GetMR(3), 0x103);
}

CTEST(ep_receiver_without_ipc_buffer)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 0x5);
    cthread_t t;

    reset_results();
    if (!c_thread_new(&t, seL4_MaxPrio, 0, false) || !c_thread_start(&t, receiver_regs, ep, 0))
        return;
    seL4_Yield();
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 0x200 + i);
    seL4_Send(b, seL4_MessageInfo_new(0x3, 0, 0, 10));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_len, 4);
    CHECK_EQ(r_badge, 5);
    CHECK_EQ(r_mr[0], 0x200);
    CHECK_EQ(r_mr[3], 0x203);
}

CTEST(ep_label_and_badge_full_width)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, ~0ul);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, receiver, ep, 0))
        return;
    seL4_Yield();
    seL4_Send(b, seL4_MessageInfo_new((1ul << 52) - 1, 0, 0, 0));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_label, (1ul << 52) - 1);
    CHECK_EQ(r_badge, ~0ul);
    CHECK_EQ(r_len, 0);
    (void)badge;
    (void)info;
}

CTEST(ep_nbsend_without_receiver_dropped)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 3);
    seL4_Word badge = 0;

    seL4_NBSend(b, seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK(!c_recv(ep, &badge, NULL, NOWAIT_MS));
    /* NBRecv on an empty endpoint returns badge 0. */
    badge = 77;
    seL4_NBRecv(ep, &badge);
    CHECK_EQ(badge, 0);
}

CTEST(ep_nbsend_to_waiting_receiver)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 0x44);
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, receiver, ep, 0))
        return;
    seL4_Yield();
    seL4_SetMR(0, 0xabc);
    seL4_NBSend(b, seL4_MessageInfo_new(2, 0, 0, 1));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_badge, 0x44);
    CHECK_EQ(r_mr[0], 0xabc);
}

CTEST(ep_senders_fifo)
{
    seL4_CPtr ep = c_ep();
    cthread_t t[3];
    seL4_Word badge = 0;

    for (int i = 0; i < 3; i++) {
        if (!c_spawn(&t[i], seL4_MaxPrio, 0, sender, c_mint(ep, seL4_CapRightsWord_All, i + 1), 0))
            return;
        seL4_Yield();
    }
    for (seL4_Word i = 0; i < 3; i++) {
        if (!CHECK(c_recv(ep, &badge, NULL, WAIT_MS)))
            return;
        CHECK_EQ(badge, i + 1);
    }
}

static volatile seL4_Word fifo_order[2], fifo_n;

static void receiver_order(seL4_Word cap, seL4_Word id)
{
    seL4_Word badge = 0;
    seL4_Recv(cap, &badge);
    fifo_order[fifo_n++] = id * 16 + badge;
}

CTEST(ep_receivers_fifo)
{
    seL4_CPtr ep = c_ep();
    cthread_t a, b;
    seL4_CPtr b1 = c_mint(ep, seL4_CapRightsWord_All, 1),
              b2 = c_mint(ep, seL4_CapRightsWord_All, 2);

    fifo_n = 0;
    if (!c_spawn(&a, seL4_MaxPrio, 0, receiver_order, ep, 1))
        return;
    seL4_Yield();
    if (!c_spawn(&b, seL4_MaxPrio, 0, receiver_order, ep, 2))
        return;
    seL4_Yield();
    seL4_Send(b1, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Send(b2, seL4_MessageInfo_new(0, 0, 0, 0));
    c_spin_yield(5);
    if (!CHECK_EQ(fifo_n, 2))
        return;
    /* The first receiver (1) got the first message (badge 1). */
    CHECK((fifo_order[0] == 0x11 && fifo_order[1] == 0x22) ||
          (fifo_order[0] == 0x22 && fifo_order[1] == 0x11));
}

CTEST(ep_call_and_reply)
{
    seL4_CPtr ep = c_ep(), cap = c_mint(ep, RIGHTS_CALL, 0x21);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, caller, cap, 0x5150))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, 0x21);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 9);
    CHECK_EQ(seL4_GetMR(0), 0x5150);
    CHECK_EQ(r_done, 0);
    seL4_SetMR(0, 0x6160);
    seL4_Reply(seL4_MessageInfo_new(0x33, 0, 0, 1));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_label, 0x33);
    CHECK_EQ(r_mr[0], 0x6160);
    /* Replies carry no badge. */
    CHECK_EQ(r_badge, 0);
}

/* §13.4: a Call through a cap without Grant or GrantReply leaves the caller inactive. */
CTEST(ep_call_without_grant_leaves_caller_inactive)
{
    seL4_CPtr ep = c_ep(), cap = c_mint(ep, seL4_CapRightsWord_Write, 0x22), s = c_slot();
    seL4_Word badge = 0;
    cthread_t t;
    seL4_UserContext regs;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, caller, cap, 1))
        return;
    if (!CHECK(c_recv(ep, &badge, NULL, WAIT_MS)))
        return;
    CHECK_EQ(badge, 0x22);
    /* No reply cap was made. */
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, s, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(s), 0);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    c_spin_yield(10);
    CHECK_EQ(r_done, 0);
    CHECK_ERR(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &regs), seL4_NoError);
}

CTEST(ep_call_with_grant_gets_reply)
{
    seL4_CPtr ep = c_ep(), cap = c_mint(ep, seL4_CapRightsWord_Write | seL4_CapRightsWord_Grant, 1);
    seL4_CPtr s = c_slot();
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, caller, cap, 1))
        return;
    if (!CHECK(c_recv(ep, NULL, NULL, WAIT_MS)))
        return;
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, s, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(s), seL4_CapType_Reply);
    seL4_Send(s, seL4_MessageInfo_new(0x8, 0, 0, 0));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_label, 8);
}

/* A receive drops a pending reply cap: the caller then waits forever. */
CTEST(ep_recv_drops_pending_reply)
{
    seL4_CPtr ep = c_ep(), other = c_ep(), cap = c_mint(ep, RIGHTS_CALL, 1), s = c_slot();
    seL4_Word badge;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, caller, cap, 1))
        return;
    if (!CHECK(c_recv(ep, NULL, NULL, WAIT_MS)))
        return;
    seL4_NBRecv(other, &badge);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT_CNODE, s, DEPTH), seL4_NoError);
    CHECK_EQ(c_ident(s), 0);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    c_spin_yield(10);
    CHECK_EQ(r_done, 0);
}

CTEST(ep_reply_without_caller_is_noop)
{
    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK(true);
}

static void server(seL4_Word ep, seL4_Word count)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (seL4_Word i = 0; i < count; i++) {
        seL4_Word len = seL4_MessageInfo_get_length(info);
        seL4_SetMR(0, seL4_GetMR(0) + badge);
        if (len > 4)
            seL4_SetMR(4, seL4_GetMR(4) * 2);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(len, 0, 0, len), &badge);
    }
    r_done = 1;
}

/* The root task calls a server that answers with ReplyRecv (fast and slow path lengths). */
CTEST(ep_call_replyrecv_server)
{
    seL4_CPtr ep = c_ep(), cap = c_mint(ep, RIGHTS_CALL, 1000);
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, server, ep, 1000))
        return;
    seL4_Yield();
    for (seL4_Word i = 0; i < 20; i++) {
        seL4_Word len = (i & 1) ? 5 : 1;
        seL4_SetMR(0, i);
        seL4_SetMR(4, i + 7);
        seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(0, 0, 0, len));
        if (!CHECK_EQ(seL4_MessageInfo_get_label(info), len) ||
            !CHECK_EQ(seL4_MessageInfo_get_length(info), len) || !CHECK_EQ(seL4_GetMR(0), i + 1000))
            return;
        if (len > 4 && !CHECK_EQ(seL4_GetMR(4), (i + 7) * 2))
            return;
    }
}

/* Call/Reply between address spaces: separate VSpace and CSpace. */
static void remote_caller(seL4_Word ep_cptr, seL4_Word value)
{
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, value + i);
    seL4_MessageInfo_t info = seL4_Call(ep_cptr, seL4_MessageInfo_new(0x4, 0, 0, 6));
    record(info, 0);
    r_mr[0] = seL4_GetMR(0);
    r_mr[5] = seL4_GetMR(5);
    r_done = 1;
}

CTEST(ep_ipc_between_address_spaces)
{
    seL4_CPtr ep = c_ep(), vs = c_vspace(), cn = c_obj(seL4_CapTableObject, 4);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    reset_results();
    if (!vs || !cn || !c_vspace_clone_image(vs) || !c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    /* Its CSpace: slot 1 = endpoint (badged), slot 2 = its own TCB; 4-bit radix, 60-bit guard. */
    CHECK_ERR(seL4_CNode_Mint(cn, 1, 4, ROOT_CNODE, ep, DEPTH, c_rights(RIGHTS_CALL), 0xe0),
              seL4_NoError);
    CHECK_ERR(seL4_CNode_Copy(cn, 2, 4, ROOT_CNODE, t.tcb, DEPTH, seL4_AllRights), seL4_NoError);
    if (!CHECK_ERR(seL4_TCB_SetSpace(t.tcb, 0, cn, seL4_CNode_CapData_new(0, 60).words[0], vs, 0),
                   seL4_NoError))
        return;
    t.self = 2;
    if (!c_thread_start(&t, remote_caller, 1, 0x4000))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, 0xe0);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 6);
    CHECK_EQ(seL4_GetMR(0), 0x4000);
    CHECK_EQ(seL4_GetMR(5), 0x4005);
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, 0x5000 + i);
    seL4_Reply(seL4_MessageInfo_new(0x6, 0, 0, 6));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_label, 6);
    CHECK_EQ(r_len, 6);
    CHECK_EQ(r_mr[0], 0x5000);
    CHECK_EQ(r_mr[5], 0x5005);
}

/* ---- capability transfer (§13.7) ---- */

static void send_caps(seL4_Word cap, seL4_Word packed)
{
    /* packed: count in bits 63..56, up to three 16-bit CPtrs below. */
    seL4_Word n = packed >> 56;
    for (seL4_Word i = 0; i < n; i++)
        seL4_SetCap((int)i, (packed >> (16 * i)) & 0xffff);
    seL4_SetMR(0, 0xc0);
    seL4_Send(cap, seL4_MessageInfo_new(0x1, 0, n, 1));
    r_done = 1;
}

static seL4_Word pack_caps(seL4_Word n, seL4_CPtr a, seL4_CPtr b, seL4_CPtr c)
{
    return (n << 56) | a | (b << 16) | (c << 32);
}

/* Run send_caps through `send` and receive on `ep` into `slot`; returns the info. */
static bool transfer(seL4_CPtr ep, seL4_CPtr send, seL4_Word packed, seL4_CPtr slot,
                     seL4_MessageInfo_t *info)
{
    cthread_t t;

    reset_results();
    seL4_SetCapReceivePath(ROOT_CNODE, slot, DEPTH);
    if (!c_spawn(&t, seL4_MaxPrio, 0, send_caps, send, packed))
        return false;
    return CHECK(c_recv(ep, NULL, info, WAIT_MS));
}

CTEST(ep_cap_transfer_with_grant)
{
    seL4_CPtr ep = c_ep(), g = c_mint(ep, seL4_CapRightsWord_All, 1), n = c_ntfn();
    seL4_CPtr nb = c_mint(n, seL4_CapRightsWord_All, 0x8), slot = c_slot();
    seL4_MessageInfo_t info;
    seL4_Word word = 0;

    if (!transfer(ep, g, pack_caps(1, nb, 0, 0), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_EQ(seL4_GetMR(0), 0xc0);
    if (!CHECK_EQ(c_ident(slot), seL4_CapType_Notification))
        return;
    /* It is the same badged cap. */
    seL4_Signal(slot);
    seL4_Poll(n, &word);
    CHECK_EQ(word, 0x8);
    /* The sender keeps its cap. */
    CHECK_EQ(c_ident(nb), seL4_CapType_Notification);
}

CTEST(ep_cap_transfer_without_grant)
{
    seL4_CPtr ep = c_ep(), w = c_mint(ep, seL4_CapRightsWord_ReadWrite, 1), n = c_ntfn();
    seL4_CPtr slot = c_slot();
    seL4_MessageInfo_t info;

    if (!transfer(ep, w, pack_caps(1, n, 0, 0), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(c_ident(slot), 0);
    CHECK_EQ(seL4_GetMR(0), 0xc0);
}

CTEST(ep_cap_unwrap_same_endpoint)
{
    seL4_CPtr ep = c_ep(), g = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_CPtr other = c_mint(ep, seL4_CapRightsWord_All, 0x77), slot = c_slot();
    seL4_MessageInfo_t info;

    if (!transfer(ep, g, pack_caps(1, other, 0, 0), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 1);
    CHECK_EQ(seL4_GetBadge(0), 0x77);
    CHECK_EQ(c_ident(slot), 0);
}

CTEST(ep_cap_transfer_slot_occupied)
{
    seL4_CPtr ep = c_ep(), g = c_mint(ep, seL4_CapRightsWord_All, 1), n = c_ntfn();
    seL4_CPtr slot = c_ep();
    seL4_MessageInfo_t info;

    if (!transfer(ep, g, pack_caps(1, n, 0, 0), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(c_ident(slot), seL4_CapType_Endpoint);
}

/* One real cap per message; unwrapping does not use the slot. */
CTEST(ep_cap_transfer_three_caps)
{
    seL4_CPtr ep = c_ep(), g = c_mint(ep, seL4_CapRightsWord_All, 1);
    seL4_CPtr n1 = c_ntfn(), n2 = c_ntfn(), same = c_mint(ep, seL4_CapRightsWord_Write, 0x55);
    seL4_CPtr slot = c_slot();
    seL4_MessageInfo_t info;

    if (!transfer(ep, g, pack_caps(3, n1, same, n2), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 2);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 2);
    CHECK_EQ(seL4_GetBadge(1), 0x55);
    CHECK_EQ(c_ident(slot), seL4_CapType_Notification);
}

/* A cap that cannot be derived stops the transfer. */
CTEST(ep_cap_transfer_underivable)
{
    seL4_CPtr ep = c_ep(), g = c_mint(ep, seL4_CapRightsWord_All, 1), slot = c_slot();
    seL4_MessageInfo_t info;

    if (!transfer(ep, g, pack_caps(1, seL4_CapIRQControl, 0, 0), slot, &info))
        return;
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(c_ident(slot), 0);
    CHECK_EQ(c_ident(seL4_CapIRQControl), seL4_CapType_IRQControl);
}

/* Caps in a reply: only if the server received through a cap with Grant. */
static volatile seL4_Word rc_slot_type;

static void call_for_cap(seL4_Word cap, seL4_Word slot)
{
    seL4_SetCapReceivePath(ROOT_CNODE, slot, DEPTH);
    seL4_MessageInfo_t info = seL4_Call(cap, seL4_MessageInfo_new(0, 0, 0, 0));
    record(info, 0);
    rc_slot_type = seL4_DebugCapIdentify(slot);
    r_done = 1;
}

static void reply_with_cap(bool server_grant, seL4_Word want_caps, seL4_Word want_type)
{
    seL4_CPtr ep = c_ep(), n = c_ntfn(), slot = c_slot();
    seL4_CPtr cap = c_mint(ep, RIGHTS_CALL, 1);
    seL4_CPtr recv = server_grant ? ep : c_mint(ep, seL4_CapRightsWord_Read, 0);
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, call_for_cap, cap, slot))
        return;
    if (!CHECK(c_recv(recv, NULL, NULL, WAIT_MS)))
        return;
    seL4_SetCap(0, n);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 1, 0));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_caps, want_caps);
    CHECK_EQ(rc_slot_type, want_type);
}

CTEST(ep_reply_transfers_cap_with_grant)
{
    reply_with_cap(true, 1, seL4_CapType_Notification);
}

CTEST(ep_reply_no_cap_without_grant)
{
    reply_with_cap(false, 0, seL4_CapType_Null);
}

/* ---- rights, suspend/resume ---- */

CTEST(ep_rights_enforced)
{
    seL4_CPtr ep = c_ep(), ro = c_mint(ep, seL4_CapRightsWord_Read, 0);
    seL4_MessageInfo_t info;

    /* Send/NBSend without Write: silently nothing; Call: InvalidCapability(0). */
    seL4_Send(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_NBSend(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    info = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    CHECK_MR0(0);
}

CTEST(ep_suspend_dequeues_sender)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 6);
    seL4_Word badge = 0;
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, sender, b, 1))
        return;
    seL4_Yield();
    CHECK_ERR(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    CHECK(!c_recv(ep, &badge, NULL, NOWAIT_MS));
    /* Resume re-executes the Send. */
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    CHECK(c_recv(ep, &badge, NULL, WAIT_MS));
    CHECK_EQ(badge, 6);
    CHECK(c_wait_flag(&r_done, WAIT_MS));
}

CTEST(ep_resume_restarts_blocked_recv)
{
    seL4_CPtr ep = c_ep(), b = c_mint(ep, seL4_CapRightsWord_All, 7);
    cthread_t t;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, receiver, ep, 0))
        return;
    seL4_Yield();
    CHECK_ERR(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    seL4_NBSend(b, seL4_MessageInfo_new(1, 0, 0, 0));
    c_spin_yield(5);
    CHECK_EQ(r_done, 0);
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    seL4_Yield();
    seL4_NBSend(b, seL4_MessageInfo_new(2, 0, 0, 0));
    if (!CHECK(c_wait_flag(&r_done, WAIT_MS)))
        return;
    CHECK_EQ(r_label, 2);
    CHECK_EQ(r_badge, 7);
}

/* Deleting the endpoint releases its blocked receiver from the queue. */
CTEST(ep_delete_with_waiter)
{
    seL4_CPtr ep = c_ep(), copy = c_copy(ep);
    cthread_t t;
    seL4_UserContext regs;

    reset_results();
    if (!c_spawn(&t, seL4_MaxPrio, 0, receiver, copy, 0))
        return;
    seL4_Yield();
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, copy, DEPTH), seL4_NoError);
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, ep, DEPTH), seL4_NoError);
    c_spin_yield(5);
    CHECK_EQ(r_done, 0);
    CHECK_ERR(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &regs), seL4_NoError);
}
