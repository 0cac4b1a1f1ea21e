/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fault_roundtrip: a helper thread executes `ud2` (2 bytes) in a loop. Each
 * one raises #UD, which the kernel delivers as a UserException fault IPC
 * (label 3, length 5, §14.5) to the thread's fault endpoint, where the root
 * thread waits. The handler replies (seL4_ReplyRecvWithMRs, label 0, length
 * 3: FaultIP + 2, RSP and RFLAGS unchanged), which resumes the thread right
 * after the ud2 while the handler waits for the next fault. #UD is a fault
 * (FaultIP = the ud2 itself), so nothing depends on how trap-type exceptions
 * report their RIP. Both threads run at priority 255. Measured on the
 * faulting thread: ticks per fault + reply, loop overhead included. It then
 * hands the figure over with a plain Send of label FAULT_DONE and suspends.
 */
#include "bench.h"

#define UD2_LENGTH 2
#define UD_VECTOR  6      /* #UD */
#define FAULT_DONE 0x600d /* label of the faulting thread's final message */

static volatile uint64_t fault_ticks;

static inline void ud2_loop(uint64_t count)
{
    for (uint64_t i = 0; i < count; i++)
        __asm__ volatile("ud2" ::: "memory");
}

/* The faulting thread; arg1 = timed iterations, warm-up in the high half. */
static void faulter(seL4_Word ep, seL4_Word counts)
{
    uint64_t start, end;

    ud2_loop(counts >> 32);
    start = rt_rdtsc();
    ud2_loop(counts & 0xffffffffu);
    end = rt_rdtsc();
    fault_ticks = end - start;
    seL4_Send(ep, seL4_MessageInfo_new(FAULT_DONE, 0, 0, 0));
}

/*
 * Serve faults until FAULT_DONE. Returns the number of faults handled, or
 * stops at the first message that is not a #UD from the faulting thread.
 */
static uint64_t handle_faults(seL4_CPtr ep, seL4_MessageInfo_t *last)
{
    seL4_Word badge, ip = 0, sp = 0, flags = 0, vector = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(ep, &badge, &ip, &sp, &flags, &vector);
    seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, seL4_UserException_FLAGS + 1);
    uint64_t faults = 0;

    while (seL4_MessageInfo_get_label(info) == seL4_Fault_UserException && vector == UD_VECTOR) {
        faults++;
        ip += UD2_LENGTH;
        info = seL4_ReplyRecvWithMRs(ep, reply, &badge, &ip, &sp, &flags, &vector);
    }
    *last = info;
    return faults;
}

static seL4_Error start_faulter(rt_thread_t *t, seL4_CPtr ep, const bench_params_t *p)
{
    seL4_Word counts = (p->warmup << 32) | (p->iterations & 0xffffffffu);
    /* Below the root thread, so it cannot fault before its endpoint is set. */
    seL4_Error err = rt_thread_start(t, faulter, ep, counts, BENCH_PRIO - 1);

    if (err == seL4_NoError)
        err =
            seL4_TCB_SetSpace(t->tcb, ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, BENCH_PRIO);
    return err;
}

void bench_fault(const bench_params_t *p)
{
    static rt_thread_t thread;
    seL4_MessageInfo_t last;
    seL4_CPtr ep;
    uint64_t faults;
    seL4_Error err = rt_alloc_object(seL4_EndpointObject, 0, &ep);

    if (p->warmup >> 32 || p->iterations >> 32) {
        bench_fail("fault_roundtrip", "iteration counts above 2^32", p->iterations);
        return;
    }
    if (err == seL4_NoError)
        err = start_faulter(&thread, ep, p);
    if (err != seL4_NoError) {
        bench_fail("fault_roundtrip", "setting up failed", err);
        return;
    }
    faults = handle_faults(ep, &last);
    if (seL4_MessageInfo_get_label(last) != FAULT_DONE)
        bench_fail("fault_roundtrip", "unexpected message, label",
                   seL4_MessageInfo_get_label(last));
    else if (faults != p->warmup + p->iterations)
        bench_fail("fault_roundtrip", "fault count differs from ud2 count", faults);
    else
        bench_report("fault_roundtrip", fault_ticks, p->iterations);
}
