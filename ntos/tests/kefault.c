/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-test of the fault path with a real user thread: a thread in an
 * address space of its own, whose fault endpoint is ntos's endpoint badged
 * with its id | KI_BADGE_FAULT, writes to a demand-zero page. The loop
 * receives the VM fault, mm maps a zeroed page, the answer restarts the
 * thread, and its write lands in the page ntos sees through the physmap.
 */
#include "ktest.h"

#define KT_CODE_VA 0x400000ull
#define KT_DATA_VA 0x500000ull

/* mov qword [rdi], 0x42; jmp $ */
static const UCHAR KtUserCode[] = {0x48, 0xc7, 0x07, 0x42, 0x00, 0x00, 0x00, 0xeb, 0xfe};

static EPROCESS KtFaultProcess;
static ETHREAD KtFaultThread;

static bool KtDataPageMaterialised(void)
{
    MMPTE *Pte = MiGetPte(KtFaultProcess.AddressSpace, KT_DATA_VA, false);

    return Pte != NULL && Pte->Pfn != NULL;
}

static bool KtMapUserCode(MMADDRESS_SPACE *Space)
{
    PMMPFN Code;
    ULONG_PTR Data = KT_DATA_VA;
    bool Ok;

    if (!NT_SUCCESS(MmAllocatePhysicalPage(&Code)))
        return false;
    memcpy(MmPageAddress(Code), KtUserCode, sizeof(KtUserCode));
    Ok = NT_SUCCESS(MmMapPage(Space, KT_CODE_VA, Code, PAGE_EXECUTE_READ)) &&
         NT_SUCCESS(MmReserveRange(Space, &Data, PAGE_SIZE, PAGE_READWRITE, true));
    MmDereferencePage(Code); /* the mapping holds its own reference */
    return Ok;
}

/* A CNode of 2^4 slots (guard 60) with the badged fault endpoint. */
static bool KtMakeThreadCSpace(seL4_CPtr *CNode)
{
    seL4_CapRights_t Rights = seL4_CapRights_new(1, 0, 0, 1); /* GrantReply + Write */

    if (!NT_SUCCESS(MmAllocateObject(seL4_CapTableObject, 4, CNode)))
        return false;
    return seL4_CNode_Mint(*CNode, KI_FAULT_SLOT, 4, MmRootCNode, KiServiceEndpoint, MM_CPTR_DEPTH,
                           Rights, KtFaultThread.UniqueThreadId | KI_BADGE_FAULT) == seL4_NoError;
}

static bool KtStartUserThread(seL4_CPtr CNode)
{
    seL4_UserContext Regs = {
        .rip = KT_CODE_VA, .rsp = KT_DATA_VA + 0x800, .rdi = KT_DATA_VA, .rflags = 0x202};
    seL4_Word Guard = seL4_CNode_CapData_new(0, 60).words[0];

    if (!NT_SUCCESS(MmAllocateObject(seL4_TCBObject, 0, &KtFaultThread.Tcb)))
        return false;
    /* Same priority as ntos: its Yield below lets the thread run. */
    return seL4_TCB_Configure(KtFaultThread.Tcb, KI_FAULT_SLOT, CNode, Guard,
                              MmAddressSpaceRoot(KtFaultProcess.AddressSpace), 0, 0,
                              0) == seL4_NoError &&
           seL4_TCB_SetPriority(KtFaultThread.Tcb, seL4_CapInitThreadTCB, KI_NTOS_PRIORITY) ==
               seL4_NoError &&
           seL4_TCB_WriteRegisters(KtFaultThread.Tcb, true, 0, sizeof(Regs) / sizeof(seL4_Word),
                                   &Regs) == seL4_NoError;
}

KTEST(fault_user_thread_demand_zero_write)
{
    seL4_CPtr CNode = seL4_CapNull;
    ULONG64 Value = 0;

    KtFaultProcess = (EPROCESS){0};
    KtFaultThread = (ETHREAD){.Process = &KtFaultProcess};
    if (!CHECK(NT_SUCCESS(MmCreateAddressSpace(&KtFaultProcess.AddressSpace))) ||
        !CHECK(KtMapUserCode(KtFaultProcess.AddressSpace)) ||
        !CHECK(KeRegisterThread(&KtFaultThread) != 0) || !CHECK(KtMakeThreadCSpace(&CNode)) ||
        !CHECK(KtStartUserThread(CNode)))
        return;
    KiRunServiceLoop(KtDataPageMaterialised); /* the write's VM fault */
    CHECK(KtDataPageMaterialised());
    /* Let the restarted thread run its write (it then spins). */
    for (int i = 0; i < 20 && Value != 0x42; i++) {
        seL4_Yield();
        CHECK(NT_SUCCESS(MmCopyFromUser(&KtFaultProcess, &Value, KT_DATA_VA, sizeof(Value))));
    }
    CHECK_EQ(Value, 0x42);
    seL4_TCB_Suspend(KtFaultThread.Tcb);
    MmFreeObject(KtFaultThread.Tcb);
    MmFreeObject(CNode);
    KeUnregisterThread(&KtFaultThread);
    MmDeleteAddressSpace(KtFaultProcess.AddressSpace);
}
