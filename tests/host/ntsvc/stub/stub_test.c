/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's side of the system call on the host: the generated stubs
 * (build/ntdll/ntsvc_stubs.c) and their transport (ntdll/ntsvc.c) compiled
 * with SEL4_SYSCALL_HOOK, so that seL4_Call lands in StubKernel below
 * instead of the kernel. GS points at a fake TEB (arch_prctl), as ntos sets
 * it for a thread, with the IPC buffer at TEB + 0x2000. Checks what a
 * request carries: the endpoint cap, the label, the length, MR0..3 in
 * registers and MR4.. in the IPC buffer, and that the reply's MR0 is what
 * the stub returns.
 */

#include <asm/prctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <nt/nt.h>
#include <nt/ntstatus.h>
#include <sel4/sel4.h>
#include "ntsvc.h"

/* The last request, as the fake kernel saw it. */
static seL4_SyscallRegs Seen;
static seL4_Word SeenBuffer[8];
static int Calls, Yields;
static NTSTATUS Reply;
static struct {
    UCHAR Teb[0x2000];
    seL4_IPCBuffer Ipc;
} __attribute__((aligned(4096))) Fake;
static int Failures;

void StubKernel(seL4_SyscallRegs *Regs)
{
    if ((seL4_Int64)Regs->rdx == seL4_SysYield) {
        Yields++;
        return;
    }
    Calls++;
    Seen = *Regs;
    memcpy(SeenBuffer, Fake.Ipc.msg, sizeof(SeenBuffer));
    /* The reply: label 0, one word. */
    Regs->rsi = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
    Regs->r10 = (seL4_Word)(ULONG)Reply;
    Regs->rdi = 0;
}

#define CHECK(name, c)                                                                             \
    do {                                                                                           \
        if (c) {                                                                                   \
            printf("TEST-PASS ntsvc.%s\n", name);                                                  \
        } else {                                                                                   \
            printf("TEST-FAIL ntsvc.%s: %s (line %d)\n", name, #c, __LINE__);                      \
            Failures++;                                                                            \
        }                                                                                          \
    } while (0)

static seL4_Word Label(void)
{
    return Seen.rsi >> 12;
}

static seL4_Word Length(void)
{
    return Seen.rsi & 0x7f;
}

int main(void)
{
    HANDLE Target;
    LARGE_INTEGER Counter;
    NTSTATUS Status;

    *(void **)&Fake.Teb[0x30] = &Fake; /* NtTib.Self */
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)&Fake) != 0) {
        printf("TEST-FAIL ntsvc.stub_gs_base: arch_prctl(ARCH_SET_GS) failed\n");
        return 1;
    }

    Reply = STATUS_INVALID_HANDLE;
    Status = NtClose((HANDLE)0x44);
    CHECK("stub_one_argument", Calls == 1 && Seen.rdx == (seL4_Word)seL4_SysCall && Seen.rdi == 1 &&
                                   Label() == 1 && Length() == 1 && Seen.r10 == 0x44);
    CHECK("stub_returns_reply_mr0", Status == STATUS_INVALID_HANDLE);

    Reply = STATUS_SUCCESS;
    Status = ZwDuplicateObject((HANDLE)-1, (HANDLE)8, (HANDLE)-2, &Target, 0x1f0003, 2, 7);
    CHECK("stub_zw_seven_arguments",
          Status == STATUS_SUCCESS && Label() == 7 && Length() == 7 && Seen.r10 == (seL4_Word)-1 &&
              Seen.r8 == 8 && Seen.r9 == (seL4_Word)-2 && Seen.r15 == (seL4_Word)&Target &&
              SeenBuffer[4] == 0x1f0003 && SeenBuffer[5] == 2 && SeenBuffer[6] == 7);

    /* A 32-bit status travels sign-extended; ntos reads the low half. */
    Status = NtTerminateProcess((HANDLE)-1, STATUS_ACCESS_VIOLATION);
    CHECK("stub_status_argument",
          Label() == 2 && Length() == 2 && (NTSTATUS)Seen.r8 == STATUS_ACCESS_VIOLATION);

    Status = NtQueryPerformanceCounter(&Counter, NULL);
    CHECK("stub_pointer_arguments",
          Label() == 5 && Seen.r10 == (seL4_Word)&Counter && Seen.r8 == 0);

    Yields = 0;
    Status = NtYieldExecution();
    CHECK("stub_no_arguments_and_yield",
          Label() == 4 && Length() == 0 && Yields == 1 && Status == STATUS_SUCCESS);
    Reply = STATUS_NOT_IMPLEMENTED;
    Status = NtYieldExecution();
    CHECK("stub_no_yield_on_failure", Yields == 1 && Status == STATUS_NOT_IMPLEMENTED);
    printf("ntsvc stub program: %d calls\n", Calls);
    return Failures != 0;
}
