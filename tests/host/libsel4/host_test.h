/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared pieces of the libsel4 host test program: the check macro, the test
 * registry and the fake kernel that the generated stubs call instead of
 * `syscall` (SEL4_SYSCALL_HOOK). The expected values in the tests are typed
 * in from spec/sel4-abi.md, never taken from the generator, so a wrong
 * declaration in sel4.abi shows up here.
 */
#pragma once

#include <sel4/sel4.h>

/* A test returns NULL on success or a static description of the failure. */
typedef const char *(*host_test_fn)(void);

typedef struct host_test {
    const char *name;
    host_test_fn fn;
} host_test;

#define HT_STR2(x) #x
#define HT_STR(x)  HT_STR2(x)
/* Fail the current test with the failing expression and its line. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return __FILE__ ":" HT_STR(__LINE__) ": " #cond;                                       \
    } while (0)

extern const host_test layout_tests[];
extern const host_test stub_tests[];

/* What the fake kernel saw on the last system call, and what it answers. */
typedef struct fake_kernel {
    int calls;
    seL4_SyscallRegs in;   /* registers at the last `syscall` */
    seL4_IPCBuffer buf_in; /* the caller's IPC buffer at that point */
    int reply_set;         /* if set, these registers are returned */
    seL4_SyscallRegs out;
    seL4_Word reply_buf_mr[seL4_MsgMaxLength]; /* MR4+ of the reply */
} fake_kernel;

extern fake_kernel fk;
extern seL4_IPCBuffer test_ipc_buffer;

void fake_kernel_reset(void);
/* Make the next call return label/length with MR0..3 = m[0..3], MR4.. = m[4..]. */
void fake_kernel_reply(seL4_Word label, seL4_Word length, const seL4_Word *m);
