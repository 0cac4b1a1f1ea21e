/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB invocations (spec §12.2, §15, §10 initial state): Read/Write/Copy
 * registers (count checks, sanitising of RFLAGS and non-canonical addresses,
 * resume/suspend flags, self-invocation refused), the state of a new TCB,
 * priorities and MCP checks against the authority, Suspend/Resume,
 * SetTLSBase, SetFlags, SetIPCBuffer/SetSpace/Configure with their errors,
 * DomainSet_Set, DebugNameThread, and labels a TCB does not implement.
 */
#include "conf.h"

static volatile seL4_Word t_counter, t_flag, t_seen_fs;

static void spinner(seL4_Word unused0, seL4_Word unused1)
{
    for (;;)
        t_counter++;
}

static void set_flag(seL4_Word v, seL4_Word unused)
{
    t_flag = v;
}

CTEST(tcb_new_thread_registers)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext r = {0};
    seL4_Word *w = (seL4_Word *)&r, nonzero = 0;

    if (!CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, seL4_UserContextWords, &r), seL4_NoError))
        return;
    CHECK_EQ(r.rflags, 0x202);
    for (int i = 0; i < seL4_UserContextWords; i++)
        nonzero += i != 2 && w[i] != 0;
    CHECK_EQ(nonzero, 0);
}

CTEST(tcb_read_registers_count_range)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext r = {0};

    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 0, &r), seL4_RangeError);
    CHECK_RANGE(1, 20);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 21, &r), seL4_RangeError);
    CHECK_RANGE(1, 20);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 1, &r), seL4_NoError);
}

CTEST(tcb_self_register_access_refused)
{
    seL4_UserContext r = {0};

    memset(&r, 0, sizeof(r));
    CHECK_ERR(seL4_TCB_ReadRegisters(ROOT_TCB, 0, 0, 20, &r), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_WriteRegisters(ROOT_TCB, 0, 0, 20, &r), seL4_IllegalOperation);
}

CTEST(tcb_write_read_roundtrip)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext w, r;
    seL4_Word *ww = (seL4_Word *)&w, *rr = (seL4_Word *)&r;

    for (int i = 0; i < seL4_UserContextWords; i++)
        ww[i] = 0x1000 + i * 0x111;
    w.rflags = 0x202;
    if (!CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, seL4_UserContextWords, &w), seL4_NoError))
        return;
    memset(&r, 0, sizeof(r));
    if (!CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, seL4_UserContextWords, &r), seL4_NoError))
        return;
    for (int i = 0; i < seL4_UserContextWords; i++)
        if (!CHECK_EQ(rr[i], ww[i]))
            printf("    register %d\n", i);
    /* A prefix only changes that prefix. */
    w.rip = 0x777000;
    w.rsp = 0x888000;
    CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, 1, &w), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 2, &r), seL4_NoError);
    CHECK_EQ(r.rip, 0x777000);
    CHECK_EQ(r.rsp, 0x1000 + 0x111);
}

CTEST(tcb_write_sanitises_rflags)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext w, r;

    memset(&w, 0, sizeof(w));
    w.rflags = ~0ul;
    CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, 3, &w), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 3, &r), seL4_NoError);
    CHECK_EQ(r.rflags, (0xffful & ~0x128ul) | 0x202);
    w.rflags = 0;
    CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, 3, &w), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 3, &r), seL4_NoError);
    CHECK_EQ(r.rflags, 0x202);
}

CTEST(tcb_write_noncanonical_zeroed)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext w, r;

    memset(&w, 0, sizeof(w));
    w.rip = 0x0000800000000000ul;
    w.rflags = 0x202;
    w.fs_base = 0x1234000000000000ul;
    w.gs_base = 0x8000000000000000ul;
    w.rax = 0x0000800000000000ul; /* not an address: kept */
    CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, 20, &w), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.rip, 0);
    CHECK_EQ(r.fs_base, 0);
    CHECK_EQ(r.gs_base, 0);
    CHECK_EQ(r.rax, 0x0000800000000000ul);
    w.rip = 0x00007ffffffff000ul;
    w.fs_base = 0xffffffff80000000ul;
    CHECK_ERR(seL4_TCB_WriteRegisters(t, 0, 0, 20, &w), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.rip, 0x00007ffffffff000ul);
    CHECK_EQ(r.fs_base, 0xffffffff80000000ul);
}

CTEST(tcb_write_registers_truncated)
{
    seL4_CPtr t = c_tcb();
    seL4_Word mr[22] = {0, 20};

    CHECK_ERR(c_invoke(t, TCBWriteRegisters, 10, mr, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBWriteRegisters, 1, mr, 0, NULL), seL4_TruncatedMessage);
    mr[1] = 8;
    mr[4] = 0x202;
    CHECK_ERR(c_invoke(t, TCBWriteRegisters, 10, mr, 0, NULL), seL4_NoError);
    CHECK_ERR(c_invoke(t, TCBReadRegisters, 1, mr, 0, NULL), seL4_TruncatedMessage);
}

CTEST(tcb_write_registers_resume_runs)
{
    cthread_t t;
    seL4_UserContext r = {0};

    t_flag = 0;
    if (!c_thread_new(&t, seL4_MaxPrio, 0, true))
        return;
    c_thread_regs(&t, &r, set_flag, 0x51, 0);
    CHECK_ERR(seL4_TCB_WriteRegisters(t.tcb, 0, 0, 20, &r), seL4_NoError);
    c_spin_yield(5);
    CHECK_EQ(t_flag, 0);
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    CHECK(c_wait_flag(&t_flag, WAIT_MS));
    CHECK_EQ(t_flag, 0x51);
}

CTEST(tcb_suspend_resume)
{
    cthread_t t;
    seL4_Word before;

    t_counter = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, spinner, 0, 0))
        return;
    if (!CHECK(c_wait_flag(&t_counter, WAIT_MS)))
        return;
    CHECK_ERR(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    before = t_counter;
    c_spin_yield(20);
    CHECK_EQ(t_counter, before);
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    /* Resuming a running thread changes nothing. */
    CHECK_ERR(seL4_TCB_Resume(t.tcb), seL4_NoError);
    c_spin_yield(5);
    CHECK(t_counter != before);
    CHECK_ERR(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    CHECK_ERR(seL4_TCB_Suspend(t.tcb), seL4_NoError);
}

CTEST(tcb_read_registers_suspend_source)
{
    cthread_t t;
    seL4_UserContext r = {0};
    seL4_Word before;

    t_counter = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, spinner, 0, 0))
        return;
    if (!CHECK(c_wait_flag(&t_counter, WAIT_MS)))
        return;
    CHECK_ERR(seL4_TCB_ReadRegisters(t.tcb, 1, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.fs_base, t.tp);
    before = t_counter;
    c_spin_yield(10);
    CHECK_EQ(t_counter, before);
}

CTEST(tcb_copy_registers)
{
    seL4_CPtr src = c_tcb(), dst = c_tcb();
    seL4_UserContext w, r;
    seL4_Word *ww = (seL4_Word *)&w;

    for (int i = 0; i < 20; i++)
        ww[i] = 0x4000 + i;
    w.rflags = 0x202;
    CHECK_ERR(seL4_TCB_WriteRegisters(src, 0, 0, 20, &w), seL4_NoError);
    /* Frame only: FS/GS stay. */
    CHECK_ERR(seL4_TCB_CopyRegisters(dst, src, 0, 0, 1, 0, 0), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(dst, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.rip, 0x4000);
    CHECK_EQ(r.r15, 0x4000 + 17);
    CHECK_EQ(r.fs_base, 0);
    CHECK_EQ(r.gs_base, 0);
    /* Integer only. */
    CHECK_ERR(seL4_TCB_CopyRegisters(dst, src, 0, 0, 0, 1, 0), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(dst, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.fs_base, 0x4000 + 18);
    CHECK_EQ(r.gs_base, 0x4000 + 19);
    CHECK_ERR(c_invoke(dst, TCBCopyRegisters, 1, (seL4_Word[]){3}, 0, NULL), seL4_TruncatedMessage);
}

CTEST(tcb_copy_registers_resume_target)
{
    cthread_t a, b;
    seL4_UserContext r = {0};

    t_flag = 0;
    if (!c_thread_new(&a, seL4_MaxPrio, 0, true) || !c_thread_new(&b, seL4_MaxPrio, 0, true))
        return;
    /* a holds the start registers of "set_flag(0x66)" but is not started. */
    c_thread_regs(&b, &r, set_flag, 0x66, 0);
    CHECK_ERR(seL4_TCB_WriteRegisters(a.tcb, 0, 0, 20, &r), seL4_NoError);
    CHECK_ERR(seL4_TCB_CopyRegisters(b.tcb, a.tcb, 0, 1, 1, 1, 0), seL4_NoError);
    CHECK(c_wait_flag(&t_flag, WAIT_MS));
    CHECK_EQ(t_flag, 0x66);
}

CTEST(tcb_priority_mcp_checks)
{
    seL4_CPtr target = c_tcb(), auth = c_tcb(), ep = c_ep();

    CHECK_ERR(seL4_TCB_SetMCPriority(auth, ROOT_TCB, 50), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetPriority(target, auth, 51), seL4_RangeError);
    CHECK_RANGE(0, 50);
    CHECK_ERR(seL4_TCB_SetPriority(target, auth, 50), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetMCPriority(target, auth, 60), seL4_RangeError);
    CHECK_RANGE(0, 50);
    CHECK_ERR(seL4_TCB_SetMCPriority(target, auth, 40), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetSchedParams(target, auth, 51, 10), seL4_RangeError);
    CHECK_RANGE(0, 50);
    CHECK_ERR(seL4_TCB_SetSchedParams(target, auth, 10, 51), seL4_RangeError);
    CHECK_RANGE(0, 50);
    CHECK_ERR(seL4_TCB_SetSchedParams(target, auth, 50, 50), seL4_NoError);
    /* A new TCB has MCP 0. */
    CHECK_ERR(seL4_TCB_SetPriority(auth, target, 1), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetPriority(auth, c_tcb(), 1), seL4_RangeError);
    CHECK_RANGE(0, 0);
    CHECK_ERR(seL4_TCB_SetPriority(target, ep, 1), seL4_InvalidCapability);
    CHECK_MR0(1);
    CHECK_ERR(seL4_TCB_SetMCPriority(target, ep, 1), seL4_InvalidCapability);
    CHECK_MR0(1);
}

CTEST(tcb_priority_truncated)
{
    seL4_CPtr t = c_tcb(), root = ROOT_TCB;

    CHECK_ERR(c_invoke(t, TCBSetPriority, 0, NULL, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBSetPriority, 1, (seL4_Word[]){3}, 0, NULL), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBSetSchedParams, 1, (seL4_Word[]){3}, 1, &root), seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBSetMCPriority, 0, NULL, 1, &root), seL4_TruncatedMessage);
}

static void read_fs(seL4_Word unused0, seL4_Word unused1)
{
    seL4_Word fs;
    __asm__ volatile("rdfsbase %0" : "=r"(fs));
    t_seen_fs = fs;
    t_flag = 1;
}

CTEST(tcb_set_tls_base)
{
    seL4_CPtr t = c_tcb();
    seL4_UserContext r = {0};
    seL4_Word mine;

    CHECK_ERR(seL4_TCB_SetTLSBase(t, 0x7000beef000ul), seL4_NoError);
    CHECK_ERR(seL4_TCB_ReadRegisters(t, 0, 0, 20, &r), seL4_NoError);
    CHECK_EQ(r.fs_base, 0x7000beef000ul);
    /* On the caller itself, to the value it has. */
    __asm__ volatile("rdfsbase %0" : "=r"(mine));
    CHECK_ERR(seL4_TCB_SetTLSBase(ROOT_TCB, mine), seL4_NoError);
    CHECK_ERR(c_invoke(t, TCBSetTLSBase, 0, NULL, 0, NULL), seL4_TruncatedMessage);
}

/* FS base written with wrfsbase survives a switch to another thread and back. */
CTEST(tcb_user_fs_base_persists)
{
    cthread_t t;
    seL4_Word mine, again;

    t_flag = 0;
    __asm__ volatile("rdfsbase %0" : "=r"(mine));
    if (!c_spawn(&t, seL4_MaxPrio, 0, read_fs, 0, 0))
        return;
    if (!CHECK(c_wait_flag(&t_flag, WAIT_MS)))
        return;
    CHECK_EQ(t_seen_fs, t.tp);
    __asm__ volatile("rdfsbase %0" : "=r"(again));
    CHECK_EQ(again, mine);
}

CTEST(tcb_set_flags)
{
    seL4_CPtr t = c_tcb();
    seL4_TCB_SetFlags_t r;

    r = seL4_TCB_SetFlags(t, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_ERR(r.error, seL4_NoError);
    CHECK_EQ(r.flags, 1);
    r = seL4_TCB_SetFlags(t, 0, ~1ul);
    CHECK_ERR(r.error, seL4_NoError);
    CHECK_EQ(r.flags, 1);
    r = seL4_TCB_SetFlags(t, 1, 0);
    CHECK_ERR(r.error, seL4_NoError);
    CHECK_EQ(r.flags, 0);
    CHECK_ERR(c_invoke(t, TCBSetFlags, 1, (seL4_Word[]){0}, 0, NULL), seL4_TruncatedMessage);
}

CTEST(tcb_set_ipc_buffer)
{
    seL4_CPtr t = c_tcb(), f = c_frame(), ep = c_ep();
    seL4_Word dbits;
    seL4_CPtr dev = c_device_untyped(12, &dbits, NULL), df = c_slot();

    CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000400, f), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000200, f), seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000008, f), seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0, 0), seL4_NoError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000000, ep), seL4_IllegalOperation);
    if (CHECK(dev != 0) &&
        CHECK_ERR(seL4_Untyped_Retype(dev, seL4_X86_4K, 0, ROOT_CNODE, 0, 0, df, 1), seL4_NoError))
        CHECK_ERR(seL4_TCB_SetIPCBuffer(t, 0x10000000, df), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(t, TCBSetIPCBuffer, 1, (seL4_Word[]){0x1000}, 0, NULL),
              seL4_TruncatedMessage);
}

CTEST(tcb_configure_errors)
{
    seL4_CPtr t = c_tcb(), f = c_frame(), pml4 = c_obj(seL4_X64_PML4Object, 0);

    CHECK_ERR(seL4_TCB_Configure(t, 0, ROOT_CNODE, 0, ROOT_VS, 0, 0x10000100, f),
              seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_Configure(t, 0, ROOT_CNODE, 0, pml4, 0, 0, f), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_Configure(t, 0, ROOT_CNODE, 0, ROOT_VS, 0, 0x10000000, f), seL4_NoError);
    CHECK_ERR(c_invoke(t, TCBConfigure, 4, (seL4_Word[]){0, 0, 0, 0}, 2,
                       (seL4_CPtr[]){ROOT_CNODE, ROOT_VS}),
              seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBConfigure, 3, (seL4_Word[]){0, 0, 0, 0}, 3,
                       (seL4_CPtr[]){ROOT_CNODE, ROOT_VS, f}),
              seL4_TruncatedMessage);
}

CTEST(tcb_set_space)
{
    seL4_CPtr t = c_tcb(), pml4 = c_obj(seL4_X64_PML4Object, 0);

    CHECK_ERR(seL4_TCB_SetSpace(t, 0, ROOT_CNODE, 0, pml4, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetSpace(t, 5, ROOT_CNODE, 0, ROOT_VS, 0), seL4_NoError);
    CHECK_ERR(
        c_invoke(t, TCBSetSpace, 2, (seL4_Word[]){0, 0, 0}, 2, (seL4_CPtr[]){ROOT_CNODE, ROOT_VS}),
        seL4_TruncatedMessage);
    CHECK_ERR(c_invoke(t, TCBSetSpace, 3, (seL4_Word[]){0, 0, 0}, 1, (seL4_CPtr[]){ROOT_CNODE}),
              seL4_TruncatedMessage);
}

CTEST(tcb_domain_set)
{
    seL4_CPtr t = c_tcb(), ep = c_ep();

    CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 0, t), seL4_NoError);
    CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 1, t), seL4_InvalidArgument);
    CHECK_MR0(0);
    CHECK_ERR(seL4_DomainSet_Set(seL4_CapDomain, 0, ep), seL4_InvalidArgument);
    CHECK_MR0(1);
}

CTEST(tcb_invalid_labels)
{
    seL4_CPtr t = c_tcb();

    CHECK_ERR(c_invoke(t, CNodeCopy, 5, (seL4_Word[]){0, 0, 0, 0, 0}, 0, NULL),
              seL4_IllegalOperation);
    CHECK_ERR(c_invoke(t, UntypedRetype, 0, NULL, 0, NULL), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(t, InvalidInvocation, 0, NULL, 0, NULL), seL4_IllegalOperation);
    CHECK_ERR(c_invoke(t, 5000, 0, NULL, 0, NULL), seL4_IllegalOperation);
}

CTEST(tcb_debug_name_thread)
{
    seL4_CPtr t = c_tcb();

    seL4_DebugNameThread(t, "conformance-helper");
    seL4_DebugNameThread(ROOT_TCB, "conformance");
    CHECK_EQ(c_ident(t), seL4_CapType_TCB);
}

/* A thread blocked in a system call reports the `syscall` instruction as its RIP. */
static void block_recv(seL4_Word ep, seL4_Word unused)
{
    seL4_Word b;
    seL4_Recv(ep, &b);
}

CTEST(tcb_blocked_thread_restart_point)
{
    seL4_CPtr ep = c_ep();
    seL4_UserContext r = {0};
    cthread_t t;

    if (!c_spawn(&t, seL4_MaxPrio, 0, block_recv, ep, 0))
        return;
    seL4_Yield();
    CHECK_ERR(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 20, &r), seL4_NoError);
    CHECK(c_is_syscall_insn(r.rip));
    CHECK_EQ(r.rdi, ep);
    CHECK_EQ(r.rdx, (seL4_Word)seL4_SysRecv);
}

/* Deleting a TCB of a running thread stops it. */
CTEST(tcb_delete_stops_thread)
{
    cthread_t t;
    seL4_Word before;

    t_counter = 0;
    if (!c_spawn(&t, seL4_MaxPrio, 0, spinner, 0, 0))
        return;
    if (!CHECK(c_wait_flag(&t_counter, WAIT_MS)))
        return;
    CHECK_ERR(seL4_CNode_Delete(ROOT_CNODE, t.tcb, DEPTH), seL4_NoError);
    before = t_counter;
    c_spin_yield(20);
    CHECK_EQ(t_counter, before);
}
