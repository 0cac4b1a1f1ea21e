/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzz threads: an endless loop of random system calls and invocations
 * with random labels, lengths, capability pointers, message registers and
 * IPC buffer contents. Interesting values (zero, all ones, kernel and
 * non-canonical addresses, page boundaries) are mixed with plain random
 * words. A thread uses no TLS (it may change its own FS base) and only its
 * own IPC buffer pointer from `struct fuzz_thread`.
 *
 * Calls on kernel objects are checked against the ABI (spec §8): the reply
 * label must be an seL4_Error and the reply length must be the number of
 * detail words that error carries, with badge 0. No endpoint cap has the
 * Grant right, so no other thread can change this thread's CSpace and the
 * cap type read just before a call is the one invoked.
 */
#include "fuzz.h"

#define MASK(n) (FUZZ_BIT(n) - 1ull)

static const uint64_t interesting[] = {
    0,
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    12,
    16,
    20,
    21,
    30,
    31,
    32,
    39,
    47,
    48,
    63,
    64,
    65,
    100,
    119,
    120,
    121,
    127,
    128,
    255,
    256,
    257,
    1023,
    1024,
    4095,
    4096,
    4097,
    0x200000,
    0x40000000,
    0x7fffffffe000ull,
    0x7fffffffefffull,
    0x7ffffffff000ull,
    0x800000000000ull,
    0xffff800000000000ull,
    0xffffffff80000000ull,
    0xfffffffffffff000ull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    ~0ull,
    ~1ull,
    0x400000,
    0x401000,
    0x10000000,
    0xf4,
    0x80,
    0x3f8,
};

/* Reply lengths an error label carries (spec §8); FailedLookup: 2..5. */
static bool reply_length_ok(uint64_t label, uint64_t length)
{
    switch (label) {
    case seL4_InvalidArgument:
    case seL4_InvalidCapability:
    case seL4_NotEnoughMemory:
        return length == 1;
    case seL4_RangeError:
        return length == 2;
    case seL4_FailedLookup:
        return length >= 2 && length <= 5;
    case seL4_IllegalOperation:
    case seL4_AlignmentError:
    case seL4_TruncatedMessage:
    case seL4_DeleteFirst:
    case seL4_RevokeFirst:
        return length == 0;
    default:
        return false;
    }
}

static uint64_t rand_word(uint64_t *s)
{
    uint64_t r = fuzz_rand(s);
    switch (r & 7) {
    case 0:
    case 1:
    case 2:
        return interesting[(r >> 8) % (sizeof(interesting) / sizeof(interesting[0]))];
    case 3:
        return (r >> 8) & 0xff;
    case 4:
        return (r >> 8) & 0xfffff000ull;
    default:
        return fuzz_rand(s);
    }
}

/* A capability pointer: mostly a slot of the first level, sometimes a slot
 * of the second-level CNode, sometimes anything. */
static uint64_t rand_cptr(uint64_t *s)
{
    uint64_t r = fuzz_rand(s);
    uint64_t slot = (r >> 8) % (r & 1 ? FS_FIRST_FREE : FUZZ_BIT(FUZZ_CNODE_RADIX));
    switch ((r >> 4) & 15) {
    case 0:
        return rand_word(s);
    case 1:
        return (FS_SUB_CNODE << FUZZ_SUB_RADIX) | ((r >> 20) & MASK(FUZZ_SUB_RADIX));
    default:
        return slot << FUZZ_SUB_RADIX;
    }
}

static int64_t rand_syscall(uint64_t *s)
{
    uint64_t r = fuzz_rand(s);
    switch (r & 15) {
    case 13:
        return -15 - (int64_t)((r >> 8) % 40); /* unconfigured numbers */
    case 14:
        return (int64_t)fuzz_rand(s); /* anything */
    case 15:
        return seL4_SysDebugCapIdentify;
    default:
        /* the eight API calls; never the debug calls that print or halt */
        return -1 - (int64_t)((r >> 8) % 8);
    }
}

static uint64_t rand_info(uint64_t *s)
{
    uint64_t r = fuzz_rand(s);
    uint64_t label = (r & 3) ? (r >> 8) % 56 : (fuzz_rand(s) & MASK(52));
    uint64_t length = (r >> 2) & 1 ? (r >> 16) % 12 : (r >> 16) & 0x7f;
    return (label << 12) | (((r >> 24) & 7) << 9) | (((r >> 28) & 3) << 7) | length;
}

static void scramble_ipc_buffer(struct fuzz_thread *ft, uint64_t *s)
{
    seL4_IPCBuffer *b = ft->ipc;
    uint64_t r = fuzz_rand(s);
    unsigned n = (r >> 8) % 16;
    for (unsigned i = 0; i < n; i++)
        b->msg[fuzz_rand(s) % seL4_MsgMaxLength] = rand_word(s);
    for (int i = 0; i < 3; i++)
        b->caps_or_badges[i] = rand_cptr(s);
    if (r & 1) {
        b->receiveCNode = r & 2 ? FS_SELF_CNODE << FUZZ_SUB_RADIX : rand_cptr(s);
        b->receiveIndex = r & 4 ? FS_FIRST_FREE + (fuzz_rand(s) % 40) : rand_word(s);
        b->receiveDepth = r & 8 ? FUZZ_CNODE_RADIX + 54 : rand_word(s);
    }
}

/* A raw `syscall` with every argument register chosen (spec §4). RSP is
 * kept in RBX because the kernel returns with RSP = 0 (spec §4.2). */
struct sys_out raw_syscall(int64_t num, uint64_t cptr, uint64_t info, uint64_t mr[4])
{
    register uint64_t r10 __asm__("r10") = mr[0];
    register uint64_t r8 __asm__("r8") = mr[1];
    register uint64_t r9 __asm__("r9") = mr[2];
    register uint64_t r15 __asm__("r15") = mr[3];
    uint64_t rdi = cptr, rsi = info, rdx = (uint64_t)num;
    __asm__ volatile("movq %%rsp, %%rbx\n\tsyscall\n\tmovq %%rbx, %%rsp"
                     : "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15)
                     :
                     : "rbx", "rcx", "r11", "memory");
    mr[0] = r10, mr[1] = r8, mr[2] = r9, mr[3] = r15;
    return (struct sys_out){rdi, rsi};
}

static bool is_kernel_object_tag(uint64_t tag)
{
    return tag != seL4_CapType_Null && tag != seL4_CapType_Endpoint &&
           tag != seL4_CapType_Notification && tag != seL4_CapType_Reply && tag < 32;
}

struct fuzz_call {
    int64_t num;
    uint64_t cptr, info, mr[4];
    bool checked; /* a Call whose reply is checked against spec §8 */
};

static void make_call(struct fuzz_call *c, uint64_t *s)
{
    c->checked = fuzz_rand(s) % 3 == 0;
    c->num = c->checked ? seL4_SysCall : rand_syscall(s);
    c->cptr = rand_cptr(s);
    c->info = rand_info(s);
    for (int i = 0; i < 4; i++)
        c->mr[i] = rand_word(s);
}

static void check_reply(struct fuzz_thread *ft, const struct fuzz_call *c, uint64_t tag,
                        struct sys_out out)
{
    uint64_t label = out.info >> 12, length = out.info & 0x7f;
    if (!is_kernel_object_tag(tag))
        return;
    if (out.badge == 0 && (label == 0 || reply_length_ok(label, length)))
        return;
    ft->last_bad_info = out.info;
    ft->last_bad_num = c->info;
    ft->last_bad_tag = tag;
    ft->violations++;
}

/*
 * Every random choice of an iteration is made and the generator state saved
 * before the call: a call that faults gets the thread restarted, and it
 * must then go on with the next call instead of repeating this one.
 */
void fuzz_thread_main(struct fuzz_thread *ft)
{
    for (;;) {
        uint64_t s = ft->rng, none[4] = {0}, tag = 0;
        struct fuzz_call c;
        scramble_ipc_buffer(ft, &s);
        make_call(&c, &s);
        ft->rng = s;
        ft->calls++;
        if (c.checked)
            tag = raw_syscall(seL4_SysDebugCapIdentify, c.cptr, 0, none).badge;
        struct sys_out out = raw_syscall(c.num, c.cptr, c.info, c.mr);
        if (c.checked)
            check_reply(ft, &c, tag, out);
    }
}
