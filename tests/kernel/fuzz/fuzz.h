/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared state of the kernel fuzzer: the supervisor (main.c, the root task)
 * and the fuzz threads (gen.c) communicate only through these structures
 * in the root task's memory and through faults on the supervisor's endpoint.
 */
#ifndef NEREID_FUZZ_H
#define NEREID_FUZZ_H

#include "roottask.h"

#define FUZZ_THREADS      2
#define FUZZ_CNODE_RADIX  6  /* 64 slots */
#define FUZZ_SUB_RADIX    4  /* a second-level CNode of 16 slots */
#define FUZZ_UNTYPED_BITS 16 /* memory a fuzz thread may retype */
#define FUZZ_STACK_SIZE   8192
#define FUZZ_BIT(n)       (1ull << (n))

/* Slots of a fuzz thread's CNode (the rest start empty). */
enum fuzz_slot {
    FS_FAULT_EP = 1, /* badged supervisor endpoint: its fault handler */
    FS_EP,           /* endpoint shared by the fuzz threads */
    FS_EP_BADGED,    /* the same endpoint, badged */
    FS_NTFN,         /* notification shared by the fuzz threads */
    FS_OWN_TCB,      /* its own TCB */
    FS_SPARE_TCB,    /* an inactive TCB of its own */
    FS_SUB_CNODE,    /* a CNode of 2^FUZZ_SUB_RADIX slots */
    FS_UNTYPED,      /* 2^FUZZ_UNTYPED_BITS bytes of untyped */
    FS_PML4,         /* a VSpace of its own (with an ASID) */
    FS_PDPT,
    FS_PD,
    FS_PT,
    FS_FRAME0,
    FS_FRAME1,
    FS_IOPORT, /* port 0x80 only (POST codes: harmless) */
    FS_DOMAIN,
    FS_SELF_CNODE, /* its own CNode */
    FS_FIRST_FREE
};

struct fuzz_thread {
    int id;
    seL4_CPtr tcb;       /* in the root CNode */
    seL4_CPtr spare_tcb; /* in the root CNode */
    seL4_CPtr cnode;     /* its CSpace root, in the root CNode */
    seL4_CPtr sub_cnode;
    seL4_CPtr untyped;
    seL4_CPtr pml4, pdpt, pd, pt, frame[2];
    seL4_CPtr ipc_frame;
    seL4_IPCBuffer *ipc;
    char *stack_top;
    uint64_t rng;
    volatile uint64_t calls;      /* system calls issued */
    volatile uint64_t violations; /* kernel replies that broke the ABI */
    volatile uint64_t last_bad_info, last_bad_num, last_bad_tag;
};

struct sys_out {
    uint64_t badge, info;
};

/* A `syscall` with every argument register given (no TLS, no IPC buffer):
 * RDX num, RDI cptr, RSI info, R10/R8/R9/R15 mr[0..3] (spec §4). */
struct sys_out raw_syscall(int64_t num, uint64_t cptr, uint64_t info, uint64_t mr[4]);

/* Entry of a fuzz thread (never returns). */
void fuzz_thread_main(struct fuzz_thread *ft) __attribute__((noreturn));

/* xorshift64* */
static inline uint64_t fuzz_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

#endif /* NEREID_FUZZ_H */
