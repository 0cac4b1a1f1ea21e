/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel fuzzer's supervisor (suite `kernel-fuzz`). It builds a world
 * for FUZZ_THREADS unprivileged threads (setup.c), lets them issue random
 * system calls and invocations (gen.c) until `iterations` calls were made
 * (config block: `seed`, `iterations`), and keeps them going: a thread that
 * faults is restarted, a thread that stops making progress (blocked,
 * suspended, double-faulted, priority lowered) gets its world rebuilt.
 * The supervisor shares their priority and yields between rounds, so the
 * kernel's round robin must keep everyone alive. Afterwards it checks that
 * the kernel still works: ABI replies, IPC, a fuzzed thread restarted into a
 * known function, the initial CSpace untouched, and the memory given to the
 * fuzz threads reusable.
 */
#include "fuzz.h"
#include "test.h"

#define FUZZ_PRIO    100
#define STALL_ROUNDS 64

extern seL4_CPtr fuzz_fault_ep, fuzz_shared_ep, fuzz_shared_ntfn, fuzz_ioport;
seL4_Error fuzz_shared_init(void);
seL4_Error fuzz_thread_init(struct fuzz_thread *ft, int id, uint64_t seed);
void fuzz_populate(struct fuzz_thread *ft);
seL4_Error fuzz_restart(struct fuzz_thread *ft, void (*fn)(struct fuzz_thread *), seL4_Word prio);

static struct fuzz_thread threads[FUZZ_THREADS];
static uint64_t seed, iterations, total_calls, restarts, rebuilds;
static uint64_t fault_labels[8];
static bool setup_ok, run_ok;

static uint64_t calls_now(void)
{
    uint64_t sum = 0;
    for (int i = 0; i < FUZZ_THREADS; i++)
        sum += threads[i].calls;
    return sum;
}

static void rebuild(struct fuzz_thread *ft)
{
    seL4_TCB_Suspend(ft->tcb);
    fuzz_populate(ft);
    fuzz_restart(ft, fuzz_thread_main, FUZZ_PRIO);
    rebuilds++;
}

/* A message on the fault endpoint: a fault (or a fuzz thread sending on its
 * fault endpoint cap, which it may do). Either way, restart the sender. */
static void on_fault_message(seL4_Word badge, seL4_MessageInfo_t info)
{
    seL4_Word label = seL4_MessageInfo_get_label(info);
    fault_labels[label < 7 ? label : 7]++;
    if (badge >= 1 && badge <= FUZZ_THREADS) {
        fuzz_restart(&threads[badge - 1], fuzz_thread_main, FUZZ_PRIO);
        restarts++;
    }
}

static void check_progress(uint64_t *seen, int *stalled)
{
    for (int i = 0; i < FUZZ_THREADS; i++) {
        if (threads[i].calls != seen[i]) {
            seen[i] = threads[i].calls;
            stalled[i] = 0;
        } else if (++stalled[i] > STALL_ROUNDS) {
            rebuild(&threads[i]);
            stalled[i] = 0;
        }
    }
}

static void supervise(void)
{
    uint64_t seen[FUZZ_THREADS] = {0}, next_report = 20000;
    int stalled[FUZZ_THREADS] = {0};

    while ((total_calls = calls_now()) < iterations) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(fuzz_fault_ep, &badge);
        if (badge != 0) {
            on_fault_message(badge, info);
            continue;
        }
        check_progress(seen, stalled);
        if (total_calls >= next_report) {
            printf("fuzz: %lu calls, %lu restarts, %lu rebuilds\n", (unsigned long)total_calls,
                   (unsigned long)restarts, (unsigned long)rebuilds);
            next_report += 20000;
        }
        seL4_Yield();
    }
    for (int i = 0; i < FUZZ_THREADS; i++)
        seL4_TCB_Suspend(threads[i].tcb);
}

static void setup(void)
{
    seed = rt_config_u64("seed", 1);
    iterations = rt_config_u64("iterations", 100000);
    printf("fuzz: seed %lu, %lu iterations, %d threads\n", (unsigned long)seed,
           (unsigned long)iterations, FUZZ_THREADS);
    if (seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, FUZZ_PRIO) ||
        fuzz_shared_init())
        return;
    for (int i = 0; i < FUZZ_THREADS; i++) {
        if (fuzz_thread_init(&threads[i], i, seed))
            return;
        fuzz_populate(&threads[i]);
        if (fuzz_restart(&threads[i], fuzz_thread_main, FUZZ_PRIO))
            return;
    }
    setup_ok = true;
}

TEST(setup_fuzz_world)
{
    setup();
    CHECK(setup_ok);
}

TEST(fuzz_run_completes)
{
    if (!CHECK(setup_ok))
        return;
    supervise();
    run_ok = true;
    printf("fuzz: done: %lu calls, %lu restarts, %lu rebuilds; fault labels:",
           (unsigned long)total_calls, (unsigned long)restarts, (unsigned long)rebuilds);
    for (int i = 0; i < 8; i++)
        printf(" %lu", (unsigned long)fault_labels[i]);
    printf("\n");
    CHECK(total_calls >= iterations);
}

TEST(invocation_replies_follow_abi)
{
    for (int i = 0; i < FUZZ_THREADS; i++) {
        struct fuzz_thread *ft = &threads[i];
        if (ft->violations)
            FAIL("thread %d: %lu bad replies, last: reply 0x%lx to info 0x%lx on cap type %lu", i,
                 (unsigned long)ft->violations, (unsigned long)ft->last_bad_info,
                 (unsigned long)ft->last_bad_num, (unsigned long)ft->last_bad_tag);
    }
}

/* A fuzzed thread, rebuilt, runs a known function: it calls its fault
 * endpoint cap with a label and a word, which the supervisor must see. It
 * has no TLS (FS base 0), so it uses the raw call. */
static void probe_main(struct fuzz_thread *ft)
{
    uint64_t mr[4] = {0xfeed, 0, 0, 0};
    raw_syscall(seL4_SysCall, FS_FAULT_EP << FUZZ_SUB_RADIX,
                seL4_MessageInfo_new(0x77, 0, 0, 1).words[0], mr);
    for (;;)
        raw_syscall(seL4_SysYield, 0, 0, mr);
}

TEST(fuzzed_thread_restarts_cleanly)
{
    if (!CHECK(run_ok))
        return;
    struct fuzz_thread *ft = &threads[0];
    seL4_TCB_Suspend(ft->tcb);
    fuzz_populate(ft);
    seL4_Word badge = 0;
    while (seL4_NBRecv(fuzz_fault_ep, &badge), badge != 0) /* drain stale faults */
        badge = 0;
    if (!CHECK_EQ(fuzz_restart(ft, probe_main, FUZZ_PRIO), seL4_NoError))
        return;
    seL4_MessageInfo_t info = seL4_Recv(fuzz_fault_ep, &badge);
    CHECK_EQ(badge, 1);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x77);
    CHECK_EQ(seL4_GetMR(0), 0xfeed);
    seL4_TCB_Suspend(ft->tcb);
}

TEST(initial_cspace_intact)
{
    static const struct {
        seL4_CPtr slot;
        seL4_Word tag;
    } expect[] = {
        {seL4_CapInitThreadTCB, seL4_CapType_TCB},
        {seL4_CapInitThreadCNode, seL4_CapType_CNode},
        {seL4_CapInitThreadVSpace, seL4_CapType_PML4},
        {seL4_CapIRQControl, seL4_CapType_IRQControl},
        {seL4_CapASIDControl, seL4_CapType_ASIDControl},
        {seL4_CapInitThreadASIDPool, seL4_CapType_ASIDPool},
        {seL4_CapIOPortControl, seL4_CapType_IOPortControl},
        {seL4_CapBootInfoFrame, seL4_CapType_Frame},
        {seL4_CapInitThreadIPCBuffer, seL4_CapType_Frame},
        {seL4_CapDomain, seL4_CapType_Domain},
    };
    for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        CHECK_EQ(seL4_DebugCapIdentify(expect[i].slot), expect[i].tag);
}

/* Everything the fuzz threads made came from their untypeds: once revoked,
 * each untyped must be retypable in full again (spec §10 rule 9). */
TEST(fuzz_memory_reusable)
{
    if (!CHECK(setup_ok))
        return;
    for (int i = 0; i < FUZZ_THREADS; i++) {
        struct fuzz_thread *ft = &threads[i];
        seL4_TCB_Suspend(ft->tcb);
        CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ft->untyped, 64), seL4_NoError);
        seL4_CPtr slot = rt_slot_alloc();
        CHECK_EQ(seL4_Untyped_Retype(ft->untyped, seL4_UntypedObject, FUZZ_UNTYPED_BITS,
                                     seL4_CapInitThreadCNode, 0, 0, slot, 1),
                 seL4_NoError);
        CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ft->untyped, 64), seL4_NoError);
    }
}

static void echo_server(seL4_Word ep, seL4_Word unused)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    for (;;) {
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    }
}

TEST(ipc_still_works)
{
    seL4_CPtr ep;
    rt_thread_t t;
    if (!CHECK_EQ(rt_alloc_object(seL4_EndpointObject, 0, &ep), seL4_NoError))
        return;
    if (!CHECK_EQ(rt_thread_start(&t, echo_server, ep, 0, FUZZ_PRIO + 1), seL4_NoError))
        return;
    for (seL4_Word i = 0; i < 100; i++) {
        seL4_SetMR(0, i);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        if (!CHECK_EQ(seL4_GetMR(0), i + 1))
            break;
    }
    seL4_TCB_Suspend(t.tcb);
}

int main(seL4_BootInfo *bi)
{
    return rt_run_tests("kernel-fuzz", NULL);
}
