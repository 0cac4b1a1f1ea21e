/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Faults (spec §14): delivery as a Call on the faulting thread's fault
 * endpoint with that cap's badge; the message layout of each fault type
 * (cap fault for send and receive phases, unknown syscall from `syscall`
 * with unimplemented numbers and from `int $0xa0`, user exceptions #UD, #DE,
 * #GP, #BP, VM faults on read, write, fetch and on a read-only page); the
 * replies that resume a thread (possibly with changed registers) or leave it
 * inactive; double faults (no usable fault endpoint); and Suspend/Resume of a
 * faulted thread. Helper threads always fault, never the root task.
 */
#include "conf.h"

extern volatile seL4_Word c_fault_result;
extern char c_probe_unknown_syscall[], c_probe_unknown_syscall_insn[];
extern char c_probe_int_a0[], c_probe_int_a0_insn[];
extern char c_probe_ud[], c_probe_ud_insn[];
extern char c_probe_de[], c_probe_de_insn[], c_probe_de_after[];
extern char c_probe_gp[], c_probe_gp_insn[], c_probe_gp_after[];
extern char c_probe_bp[], c_probe_bp_insn[], c_probe_bp_after[];
extern char c_probe_read[], c_probe_read_insn[];
extern char c_probe_write[], c_probe_write_insn[];
extern char c_probe_fetch[], c_probe_raw_syscall[];

#define UNMAPPED_VADDR (TEST_VADDR + 0x40000000ul)

static volatile seL4_Word f_done;

struct faulter {
    seL4_CPtr ep;   /* root: the fault endpoint (receive side) */
    seL4_CPtr fcap; /* root: badged cap given to the thread as its fault endpoint */
    cthread_t t;
};

/* A thread at the root's priority running `fn` with fault endpoint `rights`. */
static bool start_faulter(struct faulter *f, void *fn, seL4_Word a0, seL4_Word a1, seL4_Word rights,
                          bool ipcbuf)
{
    f->ep = c_ep();
    f->fcap = c_mint(f->ep, rights, FAULT_BADGE);
    c_fault_result = 0;
    f_done = 0;
    if (!f->fcap || !c_thread_new(&f->t, seL4_MaxPrio, f->fcap, ipcbuf))
        return false;
    return c_thread_start(&f->t, (c_thread_fn)fn, a0, a1);
}

/* Wait for the fault message; checks badge, label and length. */
static bool get_fault(struct faulter *f, seL4_Word label, seL4_Word len)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;

    if (!CHECK(c_recv(f->ep, &badge, &info, WAIT_MS)))
        return false;
    return CHECK_EQ(badge, FAULT_BADGE) && CHECK_EQ(seL4_MessageInfo_get_label(info), label) &&
           CHECK_EQ(seL4_MessageInfo_get_length(info), len);
}

static void call_cptr(seL4_Word cptr, seL4_Word unused)
{
    seL4_Call(cptr, seL4_MessageInfo_new(0, 0, 0, 0));
    f_done = 1;
}

static void recv_cptr(seL4_Word cptr, seL4_Word unused)
{
    seL4_Word badge = 0;
    seL4_Recv(cptr, &badge);
    c_fault_result = badge;
    f_done = 1;
}

static void nbsend_cptr(seL4_Word cptr, seL4_Word unused)
{
    seL4_NBSend(cptr, seL4_MessageInfo_new(0, 0, 0, 0));
    f_done = 1;
}

CTEST(fault_cap_fault_send_phase)
{
    struct faulter f;
    seL4_Word bad = (1ul << 60) | 5;

    if (!start_faulter(&f, call_cptr, bad, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_CapFault, 7))
        return;
    CHECK(c_is_syscall_insn(seL4_GetMR(seL4_CapFault_IP)));
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), bad);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 64);
    /* Any reply restarts the system call: the same fault comes again. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!get_fault(&f, seL4_Fault_CapFault, 7))
        return;
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), bad);
    CHECK_EQ(f_done, 0);
}

CTEST(fault_cap_fault_recv_phase_then_fixed)
{
    struct faulter f;
    seL4_CPtr s = c_slot(), n = c_ntfn();

    if (!start_faulter(&f, recv_cptr, s, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_CapFault, 5))
        return;
    CHECK(c_is_syscall_insn(seL4_GetMR(seL4_CapFault_IP)));
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), s);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    /* Put a signalled notification there; the restarted Recv then succeeds. */
    CHECK_ERR(seL4_CNode_Mint(ROOT_CNODE, s, DEPTH, ROOT_CNODE, n, DEPTH, seL4_AllRights, 0x3c),
              seL4_NoError);
    seL4_Signal(s);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!CHECK(c_wait_flag(&f_done, WAIT_MS)))
        return;
    CHECK_EQ(c_fault_result, 0x3c);
}

CTEST(fault_cap_fault_recv_without_read)
{
    struct faulter f;
    seL4_CPtr ep = c_ep(), wo = c_mint(ep, seL4_CapRightsWord_Write, 0);

    if (!start_faulter(&f, recv_cptr, wo, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_CapFault, 5))
        return;
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), wo);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
}

/* Recv on a cap that is neither endpoint nor notification (here a TCB). */
CTEST(fault_cap_fault_recv_on_object)
{
    struct faulter f;
    seL4_CPtr t = c_tcb();

    if (!start_faulter(&f, recv_cptr, t, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_CapFault, 5))
        return;
    CHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), t);
    CHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
}

CTEST(fault_nbsend_invalid_cptr_silent)
{
    struct faulter f;

    if (!start_faulter(&f, nbsend_cptr, (1ul << 62) | 9, 0, seL4_CapRightsWord_All, true))
        return;
    if (!CHECK(c_wait_flag(&f_done, WAIT_MS)))
        return;
    CHECK(!c_recv(f.ep, NULL, NULL, NOWAIT_MS));
}

/* Call on an empty slot is an error reply, not a fault. */
CTEST(fault_invoke_null_cap_is_error)
{
    seL4_CPtr s = c_slot();
    seL4_MessageInfo_t info = seL4_Call(s, seL4_MessageInfo_new(0, 0, 0, 0));

    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
    CHECK_MR0(0);
}

/* Echo an UnknownSyscall message back as the reply, with FaultIP past the trap. */
static void reply_unknown(seL4_Word label, seL4_Word new_rax, bool keep_sp)
{
    seL4_Word m[18];
    for (int i = 0; i < 18; i++)
        m[i] = seL4_GetMR(i);
    m[seL4_UnknownSyscall_RAX] = new_rax;
    m[seL4_UnknownSyscall_FaultIP] += 2;
    (void)keep_sp;
    for (int i = 0; i < 18; i++)
        seL4_SetMR(i, m[i]);
    seL4_Reply(seL4_MessageInfo_new(label, 0, 0, 18));
}

CTEST(fault_unknown_syscall_layout)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_unknown_syscall, 0x1234, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UnknownSyscall, 19))
        return;
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RAX), 0xaaaa);
    CHECK_NE(seL4_GetMR(seL4_UnknownSyscall_RBX), 0);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RDX), 0x1234);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RSI), 0x5151);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RDI), 0xd1d1);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RBP), 0xb0b0);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R8), 0x8888);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R9), 0x9999);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R10), 0x1010);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R12), 0x1212);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R13), 0x1313);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R14), 0x1414);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R15), 0x1515);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)c_probe_unknown_syscall_insn);
    CHECK(seL4_GetMR(seL4_UnknownSyscall_FLAGS) & 0x200);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0x1234);
    /* Label 0 resumes at the (advanced) FaultIP with the new RAX. */
    reply_unknown(0, 0x600d, true);
    if (!CHECK(c_wait_flag(&c_fault_result, WAIT_MS)))
        return;
    CHECK_EQ(c_fault_result, 0x600d);
}

CTEST(fault_unknown_syscall_reply_label_stops)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_unknown_syscall, 0x99, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UnknownSyscall, 19))
        return;
    reply_unknown(1, 0x600d, true);
    c_spin_yield(10);
    CHECK_EQ(c_fault_result, 0);
    CHECK(!c_recv(f.ep, NULL, NULL, NOWAIT_MS));
}

/* Every number the configuration does not implement is an UnknownSyscall (§3, §21). */
static void raw_numbers(seL4_Word unused0, seL4_Word unused1)
{
    static const long nums[] = {-15, -16, -17, -18, -19, -20, -21, -22, -23, -24,  -25,
                                -26, -27, -28, -29, -30, -31, 0,   1,   7,   1000, -1000};
    typedef void (*raw_fn)(seL4_Word, seL4_Word);
    for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        ((raw_fn)(void *)c_probe_raw_syscall)((seL4_Word)nums[i], 0);
    f_done = 1;
}

CTEST(fault_unimplemented_syscall_numbers)
{
    static const long nums[] = {-15, -16, -17, -18, -19, -20, -21, -22, -23, -24,  -25,
                                -26, -27, -28, -29, -30, -31, 0,   1,   7,   1000, -1000};
    struct faulter f;

    if (!start_faulter(&f, raw_numbers, 0, 0, seL4_CapRightsWord_All, true))
        return;
    for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        if (!get_fault(&f, seL4_Fault_UnknownSyscall, 19) ||
            !CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), (seL4_Word)nums[i]))
            return;
        reply_unknown(0, 0, true);
    }
    CHECK(c_wait_flag(&f_done, WAIT_MS));
}

CTEST(fault_unknown_syscall_without_ipc_buffer)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_unknown_syscall, 0x4321, 0, seL4_CapRightsWord_All, false) ||
        !get_fault(&f, seL4_Fault_UnknownSyscall, 19))
        return;
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R12), 0x1212);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0x4321);
    reply_unknown(0, 0x5eed, true);
    CHECK(c_wait_flag(&c_fault_result, WAIT_MS));
    CHECK_EQ(c_fault_result, 0x5eed);
}

CTEST(fault_int_0xa0)
{
    struct faulter f;
    seL4_Word sp;

    if (!start_faulter(&f, c_probe_int_a0, 0, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UnknownSyscall, 19))
        return;
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0xffffffffa0000077ul);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)c_probe_int_a0_insn);
    CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RAX), 0x77);
    /* Entered by an interrupt gate: RSP is the real one, and equals RBX here. */
    sp = seL4_GetMR(seL4_UnknownSyscall_SP);
    CHECK_EQ(sp, seL4_GetMR(seL4_UnknownSyscall_RBX));
    reply_unknown(0, 0xa0a0, true);
    if (!CHECK(c_wait_flag(&c_fault_result, WAIT_MS)))
        return;
    CHECK_EQ(c_fault_result, 0xa0a0);
}

/* Reply to a UserException: FaultIP, RSP, RFLAGS. */
static void reply_exception(seL4_Word ip)
{
    seL4_Word sp = seL4_GetMR(seL4_UserException_SP), fl = seL4_GetMR(seL4_UserException_FLAGS);
    seL4_SetMR(0, ip);
    seL4_SetMR(1, sp);
    seL4_SetMR(2, fl);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 3));
}

static bool exception_case(void *fn, seL4_Word insn, seL4_Word vector, seL4_Word resume_at)
{
    struct faulter f;

    if (!start_faulter(&f, fn, 0, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UserException, 5))
        return false;
    if (vector == 3)
        CHECK(seL4_GetMR(seL4_UserException_FaultIP) == insn ||
              seL4_GetMR(seL4_UserException_FaultIP) == insn + 1);
    else
        CHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), insn);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), vector);
    CHECK(seL4_GetMR(seL4_UserException_SP) > 0x400000);
    CHECK(seL4_GetMR(seL4_UserException_FLAGS) & 0x200);
    reply_exception(resume_at);
    return CHECK(c_wait_flag(&c_fault_result, WAIT_MS));
}

CTEST(fault_user_exception_ud)
{
    if (exception_case(c_probe_ud, (seL4_Word)c_probe_ud_insn, 6, (seL4_Word)c_probe_ud_insn + 2))
        CHECK_EQ(c_fault_result, 1);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
}

CTEST(fault_user_exception_de)
{
    exception_case(c_probe_de, (seL4_Word)c_probe_de_insn, 0, (seL4_Word)c_probe_de_after);
    CHECK_EQ(c_fault_result, 2);
}

CTEST(fault_user_exception_gp)
{
    exception_case(c_probe_gp, (seL4_Word)c_probe_gp_insn, 13, (seL4_Word)c_probe_gp_after);
    CHECK_EQ(c_fault_result, 3);
}

CTEST(fault_user_exception_bp)
{
    exception_case(c_probe_bp, (seL4_Word)c_probe_bp_insn, 3, (seL4_Word)c_probe_bp_after);
    CHECK_EQ(c_fault_result, 4);
}

CTEST(fault_user_exception_reply_label_stops)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_ud, 0, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UserException, 5))
        return;
    seL4_SetMR(0, (seL4_Word)c_probe_ud_insn + 2);
    seL4_Reply(seL4_MessageInfo_new(3, 0, 0, 1));
    c_spin_yield(10);
    CHECK_EQ(c_fault_result, 0);
}

/* Suspending a faulted thread cancels the fault; Resume retries the instruction. */
CTEST(fault_suspend_resume_refaults)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_ud, 0, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_UserException, 5))
        return;
    CHECK_ERR(seL4_TCB_Suspend(f.t.tcb), seL4_NoError);
    CHECK_ERR(seL4_TCB_Resume(f.t.tcb), seL4_NoError);
    if (!get_fault(&f, seL4_Fault_UserException, 5))
        return;
    CHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)c_probe_ud_insn);
}

/* ---- VM faults (§14.3) ---- */

CTEST(fault_vm_read)
{
    struct faulter f;
    volatile seL4_Word *page;

    if (!start_faulter(&f, c_probe_read, UNMAPPED_VADDR + 8, 0, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_VMFault, 4))
        return;
    CHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)c_probe_read_insn);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), UNMAPPED_VADDR + 8);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0xf, 0x4);
    /* Map it and reply (MRs ignored): the read is retried and succeeds. */
    page = c_map_new(UNMAPPED_VADDR);
    if (!page)
        return;
    page[1] = 0x4ead;
    seL4_SetMR(0, 0xdead);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 4));
    if (!CHECK(c_wait_flag(&c_fault_result, WAIT_MS)))
        return;
    CHECK_EQ(c_fault_result, 0x4ead);
}

CTEST(fault_vm_write)
{
    struct faulter f;
    volatile seL4_Word *page;

    if (!start_faulter(&f, c_probe_write, UNMAPPED_VADDR + 16, 0x3141, seL4_CapRightsWord_All,
                       true) ||
        !get_fault(&f, seL4_Fault_VMFault, 4))
        return;
    CHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)c_probe_write_insn);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), UNMAPPED_VADDR + 16);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0xf, 0x6);
    page = c_map_new(UNMAPPED_VADDR);
    if (!page)
        return;
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!CHECK(c_wait_flag(&c_fault_result, WAIT_MS)))
        return;
    CHECK_EQ(page[2], 0x3141);
}

CTEST(fault_vm_fetch)
{
    struct faulter f;
    seL4_Word fsr;

    if (!start_faulter(&f, c_probe_fetch, UNMAPPED_VADDR + 0x100, 0, seL4_CapRightsWord_All,
                       true) ||
        !get_fault(&f, seL4_Fault_VMFault, 4))
        return;
    fsr = seL4_GetMR(seL4_VMFault_FSR);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_IP), UNMAPPED_VADDR + 0x100);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), UNMAPPED_VADDR + 0x100);
    /* The fetch bit is reported when the CPU sets error-code bit 4 (SMEP/NX). */
    CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), (fsr >> 4) & 1);
    CHECK_EQ(fsr & 0x7, 0x4);
}

CTEST(fault_vm_write_to_read_only)
{
    struct faulter f;
    seL4_CPtr frame = c_frame();
    volatile seL4_Word *p = (volatile seL4_Word *)UNMAPPED_VADDR;

    if (!frame ||
        !CHECK_ERR(c_map(ROOT_VS, frame, UNMAPPED_VADDR, seL4_CapRightsWord_Read, 0), seL4_NoError))
        return;
    CHECK_EQ(p[0], 0);
    if (!start_faulter(&f, c_probe_write, UNMAPPED_VADDR, 0x7777, seL4_CapRightsWord_All, true) ||
        !get_fault(&f, seL4_Fault_VMFault, 4))
        return;
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), UNMAPPED_VADDR);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0x7, 0x7);
    /* Remap read-write (same cap, same address) and let it retry. */
    CHECK_ERR(seL4_X86_Page_Map(frame, ROOT_VS, UNMAPPED_VADDR, seL4_ReadWrite, 0), seL4_NoError);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!CHECK(c_wait_flag(&c_fault_result, WAIT_MS)))
        return;
    CHECK_EQ(p[0], 0x7777);
}

/* ---- fault endpoint rules (§14.1) ---- */

CTEST(fault_endpoint_grant_reply_enough)
{
    struct faulter f;

    if (!start_faulter(&f, c_probe_ud, 0, 0,
                       seL4_CapRightsWord_Write | seL4_CapRightsWord_GrantReply, true) ||
        !get_fault(&f, seL4_Fault_UserException, 5))
        return;
    reply_exception((seL4_Word)c_probe_ud_insn + 2);
    CHECK(c_wait_flag(&c_fault_result, WAIT_MS));
}

CTEST(fault_double_fault_without_grant)
{
    struct faulter f;
    seL4_UserContext r = {0};

    if (!start_faulter(&f, c_probe_ud, 0, 0, seL4_CapRightsWord_Write, true))
        return;
    CHECK(!c_recv(f.ep, NULL, NULL, NOWAIT_MS));
    CHECK_EQ(c_fault_result, 0);
    CHECK_ERR(seL4_TCB_ReadRegisters(f.t.tcb, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.rip, (seL4_Word)c_probe_ud_insn);
}

CTEST(fault_double_fault_no_endpoint)
{
    cthread_t t;
    seL4_CPtr empty = c_slot();
    seL4_UserContext r = {0};

    c_fault_result = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, empty, true) ||
        !c_thread_start(&t, (c_thread_fn)(void *)c_probe_ud, 0, 0))
        return;
    c_spin_yield(10);
    CHECK_EQ(c_fault_result, 0);
    CHECK_ERR(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.rip, (seL4_Word)c_probe_ud_insn);
    /* Inactive: a Resume retries the instruction (and double-faults again). */
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    c_spin_yield(5);
    CHECK_EQ(c_fault_result, 0);
}

/* The fault endpoint CPtr is looked up when the fault happens, in the thread's CSpace. */
CTEST(fault_endpoint_looked_up_at_fault_time)
{
    seL4_CPtr ep = c_ep(), s = c_slot();
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;
    cthread_t t;

    c_fault_result = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, s, true))
        return;
    CHECK_ERR(seL4_CNode_Mint(ROOT_CNODE, s, DEPTH, ROOT_CNODE, ep, DEPTH, seL4_AllRights, 0x5a),
              seL4_NoError);
    if (!c_thread_start(&t, (c_thread_fn)(void *)c_probe_ud, 0, 0))
        return;
    if (!CHECK(c_recv(ep, &badge, &info, WAIT_MS)))
        return;
    CHECK_EQ(badge, 0x5a);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
}
