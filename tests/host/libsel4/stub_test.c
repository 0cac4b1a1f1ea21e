/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the generated system call stubs and invocation wrappers, and
 * the test program's main(). The stubs are compiled with SEL4_SYSCALL_HOOK,
 * so instead of `syscall` they hand their registers (§4.1) to a fake kernel
 * here, which records them and the IPC buffer and answers with a scripted
 * reply. The checks are the register convention (§4), the MR/IPC-buffer
 * split (§5.2) and each invocation's message layout (§12).
 */
#include <stdio.h>
#include <string.h>

/* This translation unit defines the thread-local IPC buffer pointer (§6). */
#define SEL4_IPC_BUFFER_DEFINE
#include "host_test.h"

fake_kernel fk;
seL4_IPCBuffer test_ipc_buffer;

void fake_kernel_reset(void)
{
    memset(&fk, 0, sizeof(fk));
    memset(&test_ipc_buffer, 0, sizeof(test_ipc_buffer));
    seL4_SetIPCBuffer(&test_ipc_buffer);
}

void fake_kernel_reply(seL4_Word label, seL4_Word length, const seL4_Word *m)
{
    fk.reply_set = 1;
    fk.out.rsi = seL4_MessageInfo_new(label, 0, 0, length).words[0];
    fk.out.r10 = length > 0 ? m[0] : 0;
    fk.out.r8 = length > 1 ? m[1] : 0;
    fk.out.r9 = length > 2 ? m[2] : 0;
    fk.out.r15 = length > 3 ? m[3] : 0;
    for (seL4_Word i = 4; i < length; i++)
        fk.reply_buf_mr[i] = m[i];
}

/* The hook the stubs call: the fake kernel's `syscall`. */
void fake_kernel_syscall(seL4_SyscallRegs *r)
{
    fk.calls++;
    fk.in = *r;
    fk.buf_in = test_ipc_buffer;
    if (!fk.reply_set)
        return; /* registers come back as they went in */
    seL4_Word len = seL4_MessageInfo_get_length((seL4_MessageInfo_t){{fk.out.rsi}});
    r->rdi = fk.out.rdi;
    r->rsi = fk.out.rsi;
    r->r10 = fk.out.r10;
    r->r8 = fk.out.r8;
    r->r9 = fk.out.r9;
    r->r15 = fk.out.r15;
    for (seL4_Word i = 4; i < len; i++)
        test_ipc_buffer.msg[i] = fk.reply_buf_mr[i];
}

/* §5.3: the buffer accessors. */
static const char *ipcbuf_accessors(void)
{
    fake_kernel_reset();
    seL4_SetMR(0, 11);
    seL4_SetMR(119, 22);
    CHECK(test_ipc_buffer.msg[0] == 11 && seL4_GetMR(119) == 22);
    seL4_SetUserData(0x55);
    CHECK(test_ipc_buffer.userData == 0x55 && seL4_GetUserData() == 0x55);
    seL4_SetCap(2, 9);
    CHECK(test_ipc_buffer.caps_or_badges[2] == 9 && seL4_GetCap(2) == 9);
    CHECK(seL4_GetBadge(2) == 9);
    seL4_SetCapReceivePath(2, 100, 64);
    seL4_CPtr cn = 0, idx = 0;
    seL4_Word depth = 0;
    seL4_GetCapReceivePath(&cn, &idx, &depth);
    CHECK(cn == 2 && idx == 100 && depth == 64);
    CHECK(test_ipc_buffer.receiveDepth == 64);
    CHECK(seL4_GetIPCBuffer() == &test_ipc_buffer);
    return NULL;
}

/* §4.1: Send puts MR0..3 (from the buffer) in R10/R8/R9/R15, the rest stays. */
static const char *stub_send(void)
{
    fake_kernel_reset();
    for (int i = 0; i < 6; i++)
        seL4_SetMR(i, (seL4_Word)(100 + i));
    seL4_MessageInfo_t info = seL4_MessageInfo_new(9, 0, 0, 6);
    seL4_Send(0x42, info);
    CHECK(fk.calls == 1 && (seL4_Int64)fk.in.rdx == seL4_SysSend);
    CHECK(fk.in.rdi == 0x42 && fk.in.rsi == info.words[0]);
    CHECK(fk.in.r10 == 100 && fk.in.r8 == 101 && fk.in.r9 == 102 && fk.in.r15 == 103);
    CHECK(fk.buf_in.msg[4] == 104 && fk.buf_in.msg[5] == 105);
    seL4_NBSend(0x43, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysNBSend && fk.in.r10 == 100 && fk.in.r8 == 0);
    return NULL;
}

/* §4.2: Signal is a Send of length 1, label 0, without loading MRs. */
static const char *stub_signal_yield(void)
{
    fake_kernel_reset();
    seL4_SetMR(0, 77);
    seL4_Signal(5);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysSend && fk.in.rdi == 5 && fk.in.rsi == 1);
    CHECK(fk.in.r10 == 0);
    seL4_Yield();
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysYield && fk.calls == 2);
    return NULL;
}

/* §4.2: Call sends from the buffer and copies the reply's MR0..3 back. */
static const char *stub_call(void)
{
    fake_kernel_reset();
    seL4_SetMR(0, 1);
    seL4_SetMR(3, 0xdead);
    const seL4_Word reply[] = {7, 8, 9};
    fake_kernel_reply(0x33, 3, reply);
    seL4_MessageInfo_t out = seL4_Call(3, seL4_MessageInfo_new(1, 0, 0, 1));
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysCall && fk.in.r10 == 1 && fk.in.r15 == 0);
    CHECK(seL4_MessageInfo_get_label(out) == 0x33 && seL4_MessageInfo_get_length(out) == 3);
    CHECK(seL4_GetMR(0) == 7 && seL4_GetMR(1) == 8 && seL4_GetMR(2) == 9);
    CHECK(seL4_GetMR(3) == 0xdead); /* not part of the reply: untouched */
    return NULL;
}

/* §4.2: the register variants never touch the IPC buffer for MR0..3. */
static const char *stub_withmrs(void)
{
    fake_kernel_reset();
    seL4_Word a = 5, b = 6, c = 0, d = 0;
    const seL4_Word reply[] = {50, 60, 70, 80};
    fake_kernel_reply(0, 4, reply);
    seL4_MessageInfo_t out =
        seL4_CallWithMRs(1, seL4_MessageInfo_new(0, 0, 0, 2), &a, &b, &c, NULL);
    CHECK(fk.in.r10 == 5 && fk.in.r8 == 6 && fk.in.r9 == 0);
    CHECK(a == 50 && b == 60 && c == 70 && d == 0);
    CHECK(seL4_MessageInfo_get_length(out) == 4 && test_ipc_buffer.msg[0] == 0);
    seL4_SendWithMRs(2, seL4_MessageInfo_new(0, 0, 0, 4), NULL, &b, NULL, &a);
    CHECK(fk.in.r10 == 0 && fk.in.r8 == 60 && fk.in.r15 == 50);
    return NULL;
}

/* §4.2, §13.1: Recv starts with RSI = 0 and returns the badge from RDI. */
static const char *stub_recv(void)
{
    fake_kernel_reset();
    seL4_Word badge = 0;
    const seL4_Word msg[] = {1, 2, 3, 4, 5};
    fake_kernel_reply(4, 5, msg);
    fk.out.rdi = 0xbad6e;
    seL4_MessageInfo_t info = seL4_Recv(8, &badge);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysRecv && fk.in.rdi == 8 && fk.in.rsi == 0);
    CHECK(badge == 0xbad6e && seL4_MessageInfo_get_label(info) == 4);
    CHECK(seL4_GetMR(0) == 1 && seL4_GetMR(3) == 4 && seL4_GetMR(4) == 5);
    seL4_Word m0 = 0;
    (void)seL4_NBRecvWithMRs(9, NULL, &m0, NULL, NULL, NULL);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysNBRecv && m0 == 1);
    seL4_Wait(10, NULL);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysRecv);
    (void)seL4_Poll(10, NULL);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysNBRecv);
    return NULL;
}

/* §4.2: Reply has no RDI operand; ReplyRecv sends then receives on RDI. */
static const char *stub_reply(void)
{
    fake_kernel_reset();
    seL4_SetMR(0, 3);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysReply && fk.in.r10 == 3 && fk.in.rdi == 0);
    seL4_Word badge = 1;
    fake_kernel_reply(0, 0, NULL);
    fk.out.rdi = 0;
    (void)seL4_ReplyRecv(12, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysReplyRecv && fk.in.rdi == 12 && badge == 0);
    CHECK(fk.in.r10 == 3);
    return NULL;
}

/* §21: debug calls; the thread name goes at msg[0] as bytes. */
static const char *stub_debug(void)
{
    fake_kernel_reset();
    seL4_DebugPutChar('A');
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysDebugPutChar && fk.in.rdi == 'A');
    fake_kernel_reply(0, 0, NULL);
    fk.out.rdi = seL4_CapType_TCB;
    CHECK(seL4_DebugCapIdentify(1) == seL4_CapType_TCB && fk.in.rdi == 1);
    seL4_DebugNameThread(1, "root");
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysDebugNameThread);
    CHECK(memcmp(&fk.buf_in.msg[0], "root", 5) == 0);
    seL4_DebugSnapshot();
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysDebugSnapshot);
    seL4_DebugDumpScheduler();
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysDebugDumpScheduler);
    seL4_DebugHalt();
    CHECK((seL4_Int64)fk.in.rdx == seL4_SysDebugHalt);
    return NULL;
}

/* §10, §12.1: label 1, one cap, 6 MRs (MR4/5 in the buffer). */
static const char *inv_untyped_retype(void)
{
    fake_kernel_reset();
    fake_kernel_reply(0, 0, NULL);
    seL4_Error e =
        seL4_Untyped_Retype(50, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, 200, 3);
    CHECK(e == seL4_NoError && (seL4_Int64)fk.in.rdx == seL4_SysCall);
    CHECK(fk.in.rdi == 50 && fk.in.rsi == 0x1086);
    CHECK(fk.in.r10 == seL4_EndpointObject && fk.in.r8 == 0);
    CHECK(fk.in.r9 == 0 && fk.in.r15 == 0);
    CHECK(fk.buf_in.msg[4] == 200 && fk.buf_in.msg[5] == 3);
    CHECK(fk.buf_in.caps_or_badges[0] == seL4_CapInitThreadCNode);
    return NULL;
}

/* §8: error details are readable with seL4_GetMR after a failed call. */
static const char *inv_error_details(void)
{
    fake_kernel_reset();
    const seL4_Word detail[] = {0, 2, 30};
    fake_kernel_reply(seL4_FailedLookup, 3, detail);
    seL4_Error e = seL4_X86_Page_Map(20, seL4_CapInitThreadVSpace, 0x10000000, seL4_ReadWrite,
                                     seL4_X86_Default_VMAttributes);
    CHECK(e == seL4_FailedLookup);
    CHECK(seL4_GetMR(1) == seL4_MissingCapability);
    CHECK(seL4_MappingFailedLookupLevel() == SEL4_MAPPING_LOOKUP_NO_PD);
    CHECK(fk.in.rsi == ((seL4_Word)X86PageMap << 12 | 1 << 7 | 3));
    CHECK(fk.in.r10 == 0x10000000 && fk.in.r8 == 3 && fk.in.r9 == 0);
    return NULL;
}

/* §12.3: Mint's six MRs; depth is masked to 8 bits; Rotate's two caps. */
static const char *inv_cnode(void)
{
    fake_kernel_reset();
    fake_kernel_reply(0, 0, NULL);
    (void)seL4_CNode_Mint(2, 300, 64, 2, 7, 64, seL4_AllRights, 0x99);
    CHECK(fk.in.rsi == ((seL4_Word)CNodeMint << 12 | 1 << 7 | 6));
    CHECK(fk.in.r10 == 300 && fk.in.r8 == 64 && fk.in.r9 == 7 && fk.in.r15 == 64);
    CHECK(fk.buf_in.msg[4] == 0xf && fk.buf_in.msg[5] == 0x99);
    (void)seL4_CNode_Rotate(2, 1, 64, 5, 3, 2, 64, 6, 4, 3, 64);
    CHECK(fk.in.rsi == ((seL4_Word)CNodeRotate << 12 | 2 << 7 | 8));
    CHECK(fk.in.r10 == 1 && fk.in.r9 == 5 && fk.in.r15 == 2);
    CHECK(fk.buf_in.msg[5] == 6 && fk.buf_in.msg[6] == 3 && fk.buf_in.msg[7] == 64);
    CHECK(fk.buf_in.caps_or_badges[0] == 3 && fk.buf_in.caps_or_badges[1] == 4);
    (void)seL4_CNode_Delete(2, 9, (seL4_Uint8)0x140);
    CHECK(fk.in.r8 == 0x40 && fk.in.rsi == ((seL4_Word)CNodeDelete << 12 | 2));
    return NULL;
}

/* §12.2: Configure has three caps and four MRs in declaration order. */
static const char *inv_tcb_configure(void)
{
    fake_kernel_reset();
    fake_kernel_reply(0, 0, NULL);
    (void)seL4_TCB_Configure(60, 61, 62, seL4_CNode_CapData_new(0, 52).words[0], 63, 0, 0x500000,
                             64);
    CHECK(fk.in.rsi == ((seL4_Word)TCBConfigure << 12 | 3 << 7 | 4));
    CHECK(fk.in.r10 == 61 && fk.in.r8 == 52 && fk.in.r9 == 0 && fk.in.r15 == 0x500000);
    CHECK(fk.buf_in.caps_or_badges[0] == 62 && fk.buf_in.caps_or_badges[1] == 63);
    CHECK(fk.buf_in.caps_or_badges[2] == 64);
    (void)seL4_TCB_SetPriority(60, 1, 200);
    CHECK(fk.in.rsi == ((seL4_Word)TCBSetPriority << 12 | 1 << 7 | 1) && fk.in.r10 == 200);
    return NULL;
}

/* §12.2, §15: WriteRegisters always sends 22 words; flags pack into MR0. */
static const char *inv_tcb_registers(void)
{
    fake_kernel_reset();
    fake_kernel_reply(0, 0, NULL);
    seL4_UserContext uc;
    for (int i = 0; i < 20; i++)
        ((seL4_Word *)&uc)[i] = (seL4_Word)(1000 + i);
    (void)seL4_TCB_WriteRegisters(70, 1, 0xab, 20, &uc);
    CHECK(fk.in.rsi == ((seL4_Word)TCBWriteRegisters << 12 | 22));
    CHECK(fk.in.r10 == (1 | 0xab << 8) && fk.in.r8 == 20);
    CHECK(fk.in.r9 == 1000 && fk.in.r15 == 1001);
    CHECK(fk.buf_in.msg[4] == 1002 && fk.buf_in.msg[21] == 1019);
    (void)seL4_TCB_CopyRegisters(70, 71, 1, 0, 1, 1, 2);
    CHECK(fk.in.r10 == (1 | 4 | 8 | 2 << 8) && fk.buf_in.caps_or_badges[0] == 71);
    CHECK(fk.in.rsi == ((seL4_Word)TCBCopyRegisters << 12 | 1 << 7 | 1));
    return NULL;
}

/* §12.2: ReadRegisters fills `count` registers from MR0.. of the reply. */
static const char *inv_tcb_read_registers(void)
{
    fake_kernel_reset();
    seL4_Word vals[20];
    for (int i = 0; i < 20; i++)
        vals[i] = (seL4_Word)(500 + i);
    fake_kernel_reply(0, 6, vals);
    seL4_UserContext uc;
    memset(&uc, 0xff, sizeof(uc));
    CHECK(seL4_TCB_ReadRegisters(70, 1, 0, 6, &uc) == seL4_NoError);
    CHECK(fk.in.r10 == 1 && fk.in.r8 == 6);
    CHECK(uc.rip == 500 && uc.rsp == 501 && uc.rax == 503 && uc.rcx == 505);
    CHECK(uc.rdx == ~0ull); /* beyond count: untouched */
    return NULL;
}

/* §12.2, §12.5, §17: invocations that return a value in MR0. */
static const char *inv_returning_values(void)
{
    fake_kernel_reset();
    const seL4_Word pa[] = {0x1234000};
    fake_kernel_reply(0, 1, pa);
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(30);
    CHECK(ga.error == seL4_NoError && ga.paddr == 0x1234000);
    CHECK(fk.in.rsi == (seL4_Word)X86PageGetAddress << 12);
    const seL4_Word in[] = {0x1ff};
    fake_kernel_reply(0, 1, in);
    seL4_X86_IOPort_In8_t r8 = seL4_X86_IOPort_In8(31, 0x3f8);
    CHECK(r8.error == 0 && r8.result == 0xff && fk.in.r10 == 0x3f8);
    seL4_X86_IOPort_In32_t r32 = seL4_X86_IOPort_In32(31, 0xcfc);
    CHECK(r32.result == 0x1ff && fk.in.rsi == ((seL4_Word)X86IOPortIn32 << 12 | 1));
    const seL4_Word fl[] = {1};
    fake_kernel_reply(0, 1, fl);
    seL4_TCB_SetFlags_t sf = seL4_TCB_SetFlags(70, 0, seL4_TCBFlag_fpuDisabled);
    CHECK(sf.error == 0 && sf.flags == 1 && fk.in.r8 == 1);
    return NULL;
}

/* §12.4, §12.5, §16.2, §17, §18.5: argument order of the x86 methods. */
static const char *inv_x86(void)
{
    fake_kernel_reset();
    fake_kernel_reply(0, 0, NULL);
    (void)seL4_IRQControl_GetIOAPIC(4, 2, 400, 64, 0, 4, 1, 1, 3);
    CHECK(fk.in.rsi == ((seL4_Word)X86IRQIssueIRQHandlerIOAPIC << 12 | 1 << 7 | 7));
    CHECK(fk.in.r10 == 400 && fk.in.r8 == 64 && fk.in.r9 == 0 && fk.in.r15 == 4);
    CHECK(fk.buf_in.msg[4] == 1 && fk.buf_in.msg[5] == 1 && fk.buf_in.msg[6] == 3);
    (void)seL4_X86_IOPortControl_Issue(7, 0xf4, 0xf7, 2, 401, 64);
    CHECK(fk.in.r10 == 0xf4 && fk.in.r8 == 0xf7 && fk.in.r9 == 401 && fk.in.r15 == 64);
    (void)seL4_X86_IOPort_Out8(8, 0xf4, 0x10);
    CHECK(fk.in.rsi == ((seL4_Word)X86IOPortOut8 << 12 | 2) && fk.in.r8 == 0x10);
    (void)seL4_X86_ASIDControl_MakePool(5, 90, 2, 402, 64);
    CHECK(fk.buf_in.caps_or_badges[0] == 90 && fk.buf_in.caps_or_badges[1] == 2);
    CHECK(fk.in.rsi == ((seL4_Word)X86ASIDControlMakePool << 12 | 2 << 7 | 2));
    (void)seL4_X86_PageTable_Map(91, 3, 0x400000, seL4_X86_WriteBack);
    CHECK(fk.in.rsi == ((seL4_Word)X86PageTableMap << 12 | 1 << 7 | 2));
    (void)seL4_DomainSet_Set(11, 0, 1);
    CHECK(fk.in.rsi == ((seL4_Word)DomainSetSet << 12 | 1 << 7 | 1));
    return NULL;
}

const host_test stub_tests[] = {
    {"ipcbuf_accessors", ipcbuf_accessors},
    {"stub_send", stub_send},
    {"stub_signal_yield", stub_signal_yield},
    {"stub_call", stub_call},
    {"stub_withmrs", stub_withmrs},
    {"stub_recv", stub_recv},
    {"stub_reply", stub_reply},
    {"stub_debug", stub_debug},
    {"inv_untyped_retype", inv_untyped_retype},
    {"inv_error_details", inv_error_details},
    {"inv_cnode", inv_cnode},
    {"inv_tcb_configure", inv_tcb_configure},
    {"inv_tcb_registers", inv_tcb_registers},
    {"inv_tcb_read_registers", inv_tcb_read_registers},
    {"inv_returning_values", inv_returning_values},
    {"inv_x86", inv_x86},
    {NULL, NULL},
};

static int run(const host_test *t)
{
    int failed = 0;
    for (; t->name != NULL; t++) {
        const char *why = t->fn();
        if (why == NULL) {
            printf("TEST-PASS libsel4.%s\n", t->name);
        } else {
            printf("TEST-FAIL libsel4.%s: %s\n", t->name, why);
            failed++;
        }
    }
    return failed;
}

/* Prints one line per test; the suite end marker is the runner's. */
int main(void)
{
    int failed = run(layout_tests) + run(stub_tests);
    return failed ? 1 : 0;
}
