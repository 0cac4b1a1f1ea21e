/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared machinery of the kernel conformance suite (suite `kernel`): the
 * per-test environment (a pool untyped that is revoked after every test and
 * a range of root CNode slots that is emptied after every test, so tests are
 * independent), raw invocations for malformed messages, error-detail checks,
 * helper threads that are recycled between tests, separate address spaces
 * and CSpaces for them, and bounded waits (poll + yield with a TSC timeout)
 * so that a kernel bug fails one test instead of hanging the suite.
 *
 * Everything here relies only on the ABI contract (spec/sel4-abi.md).
 */
#ifndef CONF_H
#define CONF_H

#include "roottask.h"
#include "test.h"

/*
 * CTEST(name): a TEST whose body runs inside a fresh environment and whose
 * objects are all destroyed afterwards, even when the body returns early.
 * The name is the stable test id.
 */
#define CTEST(name)                                                                                \
    static void cbody_##name(void);                                                                \
    TEST(name)                                                                                     \
    {                                                                                              \
        env_begin();                                                                               \
        cbody_##name();                                                                            \
        env_end();                                                                                 \
    }                                                                                              \
    static void cbody_##name(void)

#define ROOT_CNODE seL4_CapInitThreadCNode
#define ROOT_TCB   seL4_CapInitThreadTCB
#define ROOT_VS    seL4_CapInitThreadVSpace
#define DEPTH      seL4_WordBits

/* Badge carried by every fault endpoint cap the suite gives to threads. */
#define FAULT_BADGE 0xfa17

/* Virtual range where tests map frames in the root VSpace (far from the image). */
#define TEST_VADDR 0x100000000000ul

/* ---- environment --------------------------------------------------------------- */

void env_init(void);
void env_begin(void);
void env_end(void);

/* The pool untyped and its bootinfo description. */
extern seL4_CPtr env_pool;
extern seL4_Word env_pool_bits, env_pool_paddr;
extern seL4_Word env_pool_index; /* index in untypedList */

/* An empty root CNode slot (0 when the per-test range is used up). */
seL4_CPtr c_slot(void);
/* `n` consecutive empty slots. */
seL4_CPtr c_slots(seL4_Word n);

/* One object from the pool into a fresh slot; 0 (and a failed check) on error. */
seL4_CPtr c_obj(seL4_Word type, seL4_Word size_bits);
seL4_CPtr c_untyped(seL4_Word size_bits);
seL4_CPtr c_ep(void);
seL4_CPtr c_ntfn(void);
seL4_CPtr c_tcb(void);
seL4_CPtr c_frame(void);

/*
 * A device untyped of at least `min_bits` from bootinfo (its cap, not a
 * copy), revoked at the end of the test; 0 if none. *paddr gets its address.
 */
seL4_CPtr c_device_untyped(seL4_Word min_bits, seL4_Word *size_bits, seL4_Word *paddr);

/* Mint/copy `src` into a fresh slot; 0 on error (with a failed check). */
seL4_CPtr c_mint(seL4_CPtr src, seL4_Word rights, seL4_Word badge);
seL4_CPtr c_copy(seL4_CPtr src);

static inline seL4_CapRights_t c_rights(seL4_Word w)
{
    seL4_CapRights_t r;
    r.words[0] = w;
    return r;
}

static inline seL4_Word c_ident(seL4_CPtr cap)
{
    return seL4_DebugCapIdentify(cap);
}

/* ---- raw invocations and error details ---------------------------------------- */

/*
 * Call `cap` with the given label, `len` MRs from mr[] and `ncaps` extra caps;
 * returns the reply's MessageInfo and leaves MR0..3 of the reply in the IPC
 * buffer so seL4_GetMR works for every MR.
 */
seL4_MessageInfo_t c_call(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word *mr,
                          seL4_Word ncaps, const seL4_CPtr *caps);
/* Its error (the reply label). */
seL4_Word c_invoke(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word *mr,
                   seL4_Word ncaps, const seL4_CPtr *caps);

#define CHECK_ERR(expr, err) CHECK_EQ((seL4_Word)(expr), (seL4_Word)(err))
/* RangeError details. */
#define CHECK_RANGE(min, max) c_check_range((min), (max), __FILE__, __LINE__)
static inline bool c_check_range(seL4_Word min, seL4_Word max, const char *file, int line)
{
    bool a = rt_check_eq(seL4_GetMR(0), min, file, line, "RangeError min == MR0");
    bool b = rt_check_eq(seL4_GetMR(1), max, file, line, "RangeError max == MR1");
    return a && b;
}
/* InvalidArgument / InvalidCapability index. */
#define CHECK_MR0(v) CHECK_EQ(seL4_GetMR(0), (v))

/* ---- mapping ---------------------------------------------------------------------- */

/* Map a frame into `vspace`, creating missing paging structures from the pool. */
seL4_Error c_map(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr, seL4_Word rights,
                 seL4_Word attr);
/* A 4 KiB frame from the pool, mapped read-write in the root VSpace at `vaddr`. */
void *c_map_new(seL4_Word vaddr);
/* A new PML4 with an ASID from the root task's pool. */
seL4_CPtr c_vspace(void);
/* Map (copies of) every root task image frame into `vspace` at the same addresses. */
bool c_vspace_clone_image(seL4_CPtr vspace);

/* ---- helper threads ------------------------------------------------------------- */

#define C_MAX_THREADS 8

typedef void (*c_thread_fn)(seL4_Word a0, seL4_Word a1);

typedef struct cthread {
    seL4_CPtr tcb;       /* its TCB, in the root CNode */
    seL4_CPtr self;      /* its TCB as named in its own CSpace (for the final Suspend) */
    int idx;             /* stack/IPC buffer/TLS set in use */
    seL4_IPCBuffer *ipc; /* its IPC buffer (in the image) */
    seL4_CPtr ipc_frame; /* image frame cap of that buffer */
    seL4_Word tp;        /* its thread pointer */
    seL4_Word stack_top;
} cthread_t;

/*
 * Create a TCB (priority `prio`, MCP 0) in the root CSpace and VSpace with
 * fault endpoint CPtr `fault_ep` and, if `ipcbuf`, its IPC buffer; not started.
 */
bool c_thread_new(cthread_t *t, seL4_Word prio, seL4_CPtr fault_ep, bool ipcbuf);
/* Start it in fn(a0, a1) (WriteRegisters with resume). */
bool c_thread_start(cthread_t *t, c_thread_fn fn, seL4_Word a0, seL4_Word a1);
/* Both, with an IPC buffer. */
bool c_spawn(cthread_t *t, seL4_Word prio, seL4_CPtr fault_ep, c_thread_fn fn, seL4_Word a0,
             seL4_Word a1);
/* Registers a thread of `t` would start with (for tests that write their own). */
void c_thread_regs(cthread_t *t, seL4_UserContext *regs, c_thread_fn fn, seL4_Word a0,
                   seL4_Word a1);

/* Entry of helper threads (entry.S). */
extern char c_thread_entry_asm[];

/* ---- bounded waiting ------------------------------------------------------------- */

/* Milliseconds to TSC ticks (using the bootinfo TSC frequency). */
uint64_t c_ms(uint64_t ms);

/*
 * Poll `ep` (endpoint or notification) until something with a non-zero badge
 * arrives, yielding in between, for at most `ms` milliseconds. Returns true
 * and sets *badge and *info when it came.
 */
bool c_recv(seL4_CPtr ep, seL4_Word *badge, seL4_MessageInfo_t *info, uint64_t ms);
#define WAIT_MS   2000
#define NOWAIT_MS 30

/* Yield until *flag != 0 or `ms` passed; returns whether it became set. */
bool c_wait_flag(volatile seL4_Word *flag, uint64_t ms);
/* Yield for about `ms` milliseconds. */
void c_spin_yield(uint64_t ms);

/* Address of the `syscall` instruction a blocked thread will re-execute. */
static inline bool c_is_syscall_insn(seL4_Word rip)
{
    const unsigned char *p = (const unsigned char *)rip;
    return rip > 0x400000 && p[0] == 0x0f && p[1] == 0x05;
}

#endif /* CONF_H */
