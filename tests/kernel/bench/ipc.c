/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC round trips: the root thread (client) does seL4_CallWithMRs on an
 * endpoint where an echo server waits; the server answers with
 * seL4_ReplyRecvWithMRs carrying as many words as it received. Message words
 * travel in registers only (length <= 4, no IPC-buffer copies), so on a
 * kernel with a fastpath both halves may take it. Client and server run at
 * the same priority. Measured on the client: ticks per Call (send, switch to
 * the server, its ReplyRecv, switch back), loop overhead included.
 *
 *   ipc_roundtrip_{0,1,4}word   server in a second address space (vspace.c)
 *   ipc_roundtrip_1word_same_as server in the root address space
 */
#include "bench.h"

/* Values the client sends; the echo must bring them back unchanged. */
static const seL4_Word payload[4] = {0x1111, 0x2222, 0x3333, 0x4444};

/* Echo server: never returns; stays blocked in ReplyRecv once the client stops. */
static void echo_server(seL4_Word ep, seL4_Word unused)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(ep, &badge, &m0, &m1, &m2, &m3);

    for (;;) {
        seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, seL4_MessageInfo_get_length(info));
        info = seL4_ReplyRecvWithMRs(ep, reply, &badge, &m0, &m1, &m2, &m3);
    }
}

/* `count` Calls of `words` words from m[]; m[] receives the last reply's words. */
static seL4_MessageInfo_t call_loop(seL4_CPtr ep, seL4_Word words, uint64_t count, seL4_Word m[4])
{
    seL4_MessageInfo_t tag = seL4_MessageInfo_new(0, 0, 0, words);
    seL4_MessageInfo_t reply = tag;

    for (uint64_t i = 0; i < count; i++)
        reply = seL4_CallWithMRs(ep, tag, &m[0], &m[1], &m[2], &m[3]);
    return reply;
}

static bool is_echo(seL4_MessageInfo_t reply, const seL4_Word m[4], seL4_Word words)
{
    if (seL4_MessageInfo_get_length(reply) != words || seL4_MessageInfo_get_label(reply) != 0)
        return false;
    return memcmp(m, payload, words * sizeof(seL4_Word)) == 0;
}

static void measure(const char *name, seL4_CPtr ep, seL4_Word words, const bench_params_t *p)
{
    seL4_Word m[4];
    seL4_MessageInfo_t reply;
    uint64_t start, end;

    memcpy(m, payload, sizeof(m));
    reply = call_loop(ep, words, p->warmup ? p->warmup : 1, m);
    if (!is_echo(reply, m, words)) {
        bench_fail(name, "reply is not the echo of the call (warm-up)", words);
        return;
    }
    start = rt_rdtsc();
    reply = call_loop(ep, words, p->iterations, m);
    end = rt_rdtsc();
    if (is_echo(reply, m, words))
        bench_report(name, end - start, p->iterations);
    else
        bench_fail(name, "reply is not the echo of the call", words);
}

static void bench_ipc_other_as(const bench_params_t *p)
{
    static bench_vspace_t vs;
    seL4_CPtr ep, tcb;
    seL4_Error err = rt_alloc_object(seL4_EndpointObject, 0, &ep);

    if (err == seL4_NoError)
        err = bench_vspace_create(&vs);
    if (err == seL4_NoError)
        err = bench_vspace_thread_start(&vs, echo_server, ep, 0, BENCH_PRIO, &tcb);
    if (err != seL4_NoError) {
        bench_fail("ipc_roundtrip", "setting up the server's address space failed", err);
        return;
    }
    measure("ipc_roundtrip_0word", ep, 0, p);
    measure("ipc_roundtrip_1word", ep, 1, p);
    measure("ipc_roundtrip_4word", ep, 4, p);
}

static void bench_ipc_same_as(const bench_params_t *p)
{
    static rt_thread_t server;
    seL4_CPtr ep;
    seL4_Error err = rt_alloc_object(seL4_EndpointObject, 0, &ep);

    if (err == seL4_NoError)
        err = rt_thread_start(&server, echo_server, ep, 0, BENCH_PRIO);
    if (err != seL4_NoError) {
        bench_fail("ipc_roundtrip_1word_same_as", "starting the server failed", err);
        return;
    }
    measure("ipc_roundtrip_1word_same_as", ep, 1, p);
}

void bench_ipc(const bench_params_t *p)
{
    bench_ipc_other_as(p);
    bench_ipc_same_as(p);
}
