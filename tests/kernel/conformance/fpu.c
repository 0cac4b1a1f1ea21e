/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The x87/SSE state of a thread is its own (spec §4.2: preserved across
 * system calls): XMM0..15, x87 st0 and MXCSR survive IPC ping-pong through
 * the fast and the slow path, with a partner that uses the FPU or not, and
 * a new thread starts with the default state.
 */
#include "conf.h"

/* Load xmm0..15 = seed+i, x87 st0 = seed, MXCSR = mx (unless seed == 0: FPU
 * untouched before); syscall(no, rdi, rsi); store xmm0..15, st0 (fistp),
 * MXCSR to out[0..17] (unless seed == 0). Returns RSI. */
static seL4_Word fp_syscall(seL4_Word no, seL4_Word rdi, seL4_Word rsi, seL4_Word seed, uint64_t mx,
                            uint64_t *out)
{
    uint64_t in[2] = {seed, mx};
    register uint64_t *pin __asm__("r12") = in;
    register uint64_t *pout __asm__("r13") = out;
    __asm__ volatile(
        "cmpq $0, 0(%%r12)\n je 1f\n"
        "movq 0(%%r12), %%rax\n"
        "movq %%rax, %%xmm0\n inc %%rax\n movq %%rax, %%xmm1\n inc %%rax\n movq %%rax, %%xmm2\n"
        "inc %%rax\n movq %%rax, %%xmm3\n inc %%rax\n movq %%rax, %%xmm4\n inc %%rax\n movq %%rax, %%xmm5\n"
        "inc %%rax\n movq %%rax, %%xmm6\n inc %%rax\n movq %%rax, %%xmm7\n inc %%rax\n movq %%rax, %%xmm8\n"
        "inc %%rax\n movq %%rax, %%xmm9\n inc %%rax\n movq %%rax, %%xmm10\n inc %%rax\n movq %%rax, %%xmm11\n"
        "inc %%rax\n movq %%rax, %%xmm12\n inc %%rax\n movq %%rax, %%xmm13\n inc %%rax\n movq %%rax, %%xmm14\n"
        "inc %%rax\n movq %%rax, %%xmm15\n"
        "fninit\n fildq 0(%%r12)\n ldmxcsr 8(%%r12)\n"
        "1: movq %%rsp, %%rbx\n syscall\n movq %%rbx, %%rsp\n"
        "cmpq $0, 0(%%r12)\n je 2f\n"
        "movq %%xmm0, 0(%%r13)\n movq %%xmm1, 8(%%r13)\n movq %%xmm2, 16(%%r13)\n movq %%xmm3, 24(%%r13)\n"
        "movq %%xmm4, 32(%%r13)\n movq %%xmm5, 40(%%r13)\n movq %%xmm6, 48(%%r13)\n movq %%xmm7, 56(%%r13)\n"
        "movq %%xmm8, 64(%%r13)\n movq %%xmm9, 72(%%r13)\n movq %%xmm10, 80(%%r13)\n movq %%xmm11, 88(%%r13)\n"
        "movq %%xmm12, 96(%%r13)\n movq %%xmm13, 104(%%r13)\n movq %%xmm14, 112(%%r13)\n movq %%xmm15, 120(%%r13)\n"
        "fistpq 128(%%r13)\n stmxcsr 136(%%r13)\n"
        "2:\n"
        : "+D"(rdi), "+S"(rsi), "+d"(no)
        : "r"(pin), "r"(pout)
        : "rax", "rbx", "rcx", "r8", "r9", "r10", "r11", "r14", "r15", "memory", "xmm0", "xmm1",
          "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
          "xmm13", "xmm14", "xmm15", "st");
    return rsi;
}

static seL4_Word fp_bad(const uint64_t *out, seL4_Word seed, uint64_t mx)
{
    seL4_Word bad = 0;
    for (int i = 0; i < 16; i++)
        if (out[i] != seed + i)
            bad++;
    if (out[16] != seed)
        bad++;
    if ((uint32_t)out[17] != (uint32_t)mx)
        bad++;
    return bad;
}

static volatile seL4_Word s_srv_bad, s_srv_rounds;

/* Echo server: uses the FPU with seed a1 (0: never touches it); `len` MRs in replies. */
static void fp_server(seL4_Word ep, seL4_Word seed)
{
    uint64_t out[18];
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    for (;;) {
        seL4_Word info =
            seL4_MessageInfo_get_length(seL4_GetIPCBuffer() ? seL4_MessageInfo_new(0, 0, 0, 0)
                                                            : seL4_MessageInfo_new(0, 0, 0, 0));
        (void)info;
        /* reply with the same length the client used: client sends length in MR... keep 1 or 5 via
         * seed parity */
        seL4_Word len = (seed & 0x100) ? 5 : 1;
        fp_syscall(seL4_SysReplyRecv, ep, seL4_MessageInfo_new(0, 0, 0, len).words[0],
                   seed & ~0x100ull, 0x1f80 | ((seed & 3) << 13), out);
        if ((seed & ~0x100ull) && fp_bad(out, seed & ~0x100ull, 0x1f80 | ((seed & 3) << 13)))
            s_srv_bad++;
        s_srv_rounds++;
    }
}

static void fp_pingpong(seL4_Word srv_seed, seL4_Word len, seL4_Word client_seed, bool other_as)
{
    cthread_t t;
    seL4_CPtr ep = c_ep();
    uint64_t out[18];
    seL4_Word bad = 0;

    s_srv_bad = s_srv_rounds = 0;
    if (!c_spawn(&t, 254, 0, fp_server, ep, srv_seed | (len > 4 ? 0x100 : 0)))
        return;
    seL4_Yield();
    for (int i = 0; i < 50; i++) {
        uint64_t mx = 0x1f80 | ((client_seed & 3) << 13);
        fp_syscall(seL4_SysCall, ep, seL4_MessageInfo_new(0, 0, 0, len).words[0], client_seed, mx,
                   out);
        bad += fp_bad(out, client_seed, mx);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(s_srv_bad, 0);
    CHECK_EQ(s_srv_rounds, 49);
}

CTEST(fpu_fastpath_both_use)
{
    fp_pingpong(0x5000, 1, 0x9000, false);
}
CTEST(fpu_fastpath_server_idle)
{
    fp_pingpong(0, 1, 0x7000, false);
}
CTEST(fpu_slowpath_both_use)
{
    fp_pingpong(0x5100, 5, 0xa000, false);
}
CTEST(fpu_slowpath_server_idle)
{
    fp_pingpong(0, 5, 0xb000, false);
}

static volatile uint64_t s_init[4];
static void fp_report_initial(seL4_Word a, seL4_Word b)
{
    uint64_t x0, mx = 0;
    uint16_t cw = 0;
    __asm__ volatile("movq %%xmm0, %0\n stmxcsr %1\n fnstcw %2" : "=r"(x0), "=m"(mx), "=m"(cw));
    s_init[0] = x0;
    s_init[1] = (uint32_t)mx;
    s_init[2] = cw;
    s_init[3] = 1;
}

CTEST(fpu_initial_state)
{
    cthread_t t;
    uint64_t out[18];
    /* dirty the FPU in root first */
    fp_syscall(seL4_SysYield, 0, 0, 0x4242, 0x1f80 | (1 << 13), out);
    s_init[3] = 0;
    if (!c_spawn(&t, 255, 0, fp_report_initial, 0, 0))
        return;
    c_wait_flag((volatile seL4_Word *)&s_init[3], 1000);
    printf("fpu initial: xmm0 %lx mxcsr %lx fcw %lx\n", (unsigned long)s_init[0],
           (unsigned long)s_init[1], (unsigned long)s_init[2]);
    CHECK_EQ(s_init[1], 0x1f80);
    CHECK_EQ(s_init[2], 0x37f);
    CHECK_EQ(fp_bad(out, 0x4242, 0x1f80 | (1 << 13)), 0);
}

/* A thread whose seL4_TCBFlag_fpuDisabled is set gets a UserException with
 * the #NM vector (7) for its first x87/SSE instruction (spec §12.2, §14.5);
 * with the flag cleared again it runs on. */
static volatile seL4_Word fpu_disabled_done;

static void fpu_disabled_user(seL4_Word a0, seL4_Word a1)
{
    __asm__ volatile("xorps %%xmm0, %%xmm0" ::: "xmm0");
    fpu_disabled_done = 1;
}

CTEST(fpu_disabled_flag_faults)
{
    cthread_t t;
    seL4_CPtr ep = c_ep();
    seL4_CPtr fep = c_mint(ep, seL4_CapRightsWord_Write | seL4_CapRightsWord_GrantReply, 0x77);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;

    fpu_disabled_done = 0;
    if (!CHECK(c_thread_new(&t, 255, fep, true)))
        return;
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(t.tcb, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(r.error, seL4_NoError);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    if (!CHECK(c_thread_start(&t, fpu_disabled_user, 0, 0)) ||
        !CHECK(c_recv(ep, &badge, &info, 1000)))
        goto out;
    CHECK_EQ(badge, 0x77);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 7);
    CHECK_EQ(fpu_disabled_done, 0);
    /* Allowed again: the same instruction is restarted by the reply. */
    r = seL4_TCB_SetFlags(t.tcb, seL4_TCBFlag_fpuDisabled, 0);
    CHECK_EQ(r.flags, 0);
    seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP));
    seL4_SetMR(1, seL4_GetMR(seL4_UserException_SP));
    seL4_SetMR(2, seL4_GetMR(seL4_UserException_FLAGS));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 3));
    CHECK(c_wait_flag(&fpu_disabled_done, 1000));
out:
    seL4_TCB_Suspend(t.tcb);
}
