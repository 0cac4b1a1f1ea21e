/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the generated libsel4 numbers, bit-field words and structure
 * layouts. Every expected value is copied from spec/sel4-abi.md (section in
 * the comment), so these tests check the declaration in libsel4/sel4.abi,
 * not just the generator's consistency.
 */
#include <stddef.h>

#include "host_test.h"

/* §5.1: the examples given for seL4_MessageInfo. */
static const char *msginfo_examples(void)
{
    CHECK(seL4_MessageInfo_new(1, 0, 0, 0).words[0] == 0x1000);
    CHECK(seL4_MessageInfo_new(0, 0, 0, 1).words[0] == 0x1);
    CHECK(seL4_MessageInfo_new(0, 0, 1, 0).words[0] == 0x80);
    CHECK(seL4_MessageInfo_new(0, 1, 0, 0).words[0] == 0x200);
    CHECK(seL4_MessageInfo_new(1, 0, 1, 6).words[0] == 0x1086);
    return NULL;
}

/* §5.1: field widths 52/3/2/7; out-of-range values do not spill over. */
static const char *msginfo_fields(void)
{
    seL4_MessageInfo_t m = seL4_MessageInfo_new(0xfffffffffffffull, 7, 3, 127);
    CHECK(m.words[0] == ~0ull);
    CHECK(seL4_MessageInfo_get_label(m) == 0xfffffffffffffull);
    CHECK(seL4_MessageInfo_get_capsUnwrapped(m) == 7);
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 3);
    CHECK(seL4_MessageInfo_get_length(m) == 127);
    m = seL4_MessageInfo_new(0, 0, 4, 128); /* both one past the field */
    CHECK(m.words[0] == 0);
    m = seL4_MessageInfo_set_label(m, 53);
    m = seL4_MessageInfo_set_length(m, 120);
    CHECK(m.words[0] == ((53ull << 12) | 120));
    seL4_MessageInfo_ptr_set_extraCaps(&m, 2);
    CHECK(seL4_MessageInfo_ptr_get_extraCaps(&m) == 2);
    CHECK(seL4_MessageInfo_ptr_get_label(&m) == 53);
    seL4_MessageInfo_ptr_set_capsUnwrapped(&m, 5);
    CHECK(m.words[0] == ((53ull << 12) | (5 << 9) | (2 << 7) | 120));
    return NULL;
}

/* §7.1: rights bits and the named combinations. */
static const char *caprights(void)
{
    CHECK(seL4_CanWrite.words[0] == 0x1);
    CHECK(seL4_CanRead.words[0] == 0x2);
    CHECK(seL4_CanGrant.words[0] == 0x4);
    CHECK(seL4_CanGrantReply.words[0] == 0x8);
    CHECK(seL4_AllRights.words[0] == 0xf);
    CHECK(seL4_ReadWrite.words[0] == 0x3);
    CHECK(seL4_NoWrite.words[0] == 0xe);
    CHECK(seL4_NoRead.words[0] == 0xd);
    CHECK(seL4_NoRights.words[0] == 0);
    CHECK(seL4_CapRightsWord_All == 0xf && seL4_CapRightsWord_ReadWrite == 0x3);
    CHECK(seL4_CapRightsWord_NoWrite == 0xe && seL4_CapRightsWord_NoRead == 0xd);
    CHECK(seL4_CapRightsWord_GrantReply == 0x8 && seL4_CapRightsWord_Grant == 0x4);
    seL4_CapRights_t r = seL4_CapRights_new(1, 0, 1, 0);
    CHECK(r.words[0] == 0xa);
    CHECK(seL4_CapRights_get_capAllowGrantReply(r) == 1);
    CHECK(seL4_CapRights_get_capAllowGrant(r) == 0);
    CHECK(seL4_CapRights_get_capAllowRead(r) == 1);
    CHECK(seL4_CapRights_get_capAllowWrite(r) == 0);
    return NULL;
}

/* §7.3: guard in 63..6, guard size in 5..0; the spec's 0x174 example. */
static const char *cnode_capdata(void)
{
    seL4_CNode_CapData_t d = seL4_CNode_CapData_new(5, 52);
    CHECK(d.words[0] == 0x174);
    CHECK(seL4_CNode_CapData_get_guard(d) == 5);
    CHECK(seL4_CNode_CapData_get_guardSize(d) == 52);
    CHECK(seL4_CNode_CapData_new(0, 52).words[0] == 52);
    CHECK(seL4_CNode_CapData_new(0, 64).words[0] == 0); /* size is 6 bits */
    CHECK(seL4_GuardBits == 58 && seL4_GuardSizeBits == 6);
    return NULL;
}

/* §3: numbers by position, counting down from -1. */
static const char *syscall_numbers(void)
{
    CHECK(seL4_SysCall == -1 && seL4_SysReplyRecv == -2);
    CHECK(seL4_SysSend == -3 && seL4_SysNBSend == -4);
    CHECK(seL4_SysRecv == -5 && seL4_SysReply == -6);
    CHECK(seL4_SysYield == -7 && seL4_SysNBRecv == -8);
    CHECK(seL4_SysDebugPutChar == -9 && seL4_SysDebugDumpScheduler == -10);
    CHECK(seL4_SysDebugHalt == -11 && seL4_SysDebugCapIdentify == -12);
    CHECK(seL4_SysDebugSnapshot == -13 && seL4_SysDebugNameThread == -14);
    return NULL;
}

/* §11.2: the whole label table of the reference configuration. */
static const char *invocation_labels(void)
{
    static const int expect[] = {
        InvalidInvocation,
        UntypedRetype,
        TCBReadRegisters,
        TCBWriteRegisters,
        TCBCopyRegisters,
        TCBConfigure,
        TCBSetPriority,
        TCBSetMCPriority,
        TCBSetSchedParams,
        TCBSetIPCBuffer,
        TCBSetSpace,
        TCBSuspend,
        TCBResume,
        TCBBindNotification,
        TCBUnbindNotification,
        TCBSetTLSBase,
        TCBSetFlags,
        CNodeRevoke,
        CNodeDelete,
        CNodeCancelBadgedSends,
        CNodeCopy,
        CNodeMint,
        CNodeMove,
        CNodeMutate,
        CNodeRotate,
        CNodeSaveCaller,
        IRQIssueIRQHandler,
        IRQAckIRQ,
        IRQSetIRQHandler,
        IRQClearIRQHandler,
        DomainSetSet,
        DomainScheduleConfigure,
        DomainScheduleSetStart,
        X86PDPTMap,
        X86PDPTUnmap,
        X86PageDirectoryMap,
        X86PageDirectoryUnmap,
        X86PageTableMap,
        X86PageTableUnmap,
        X86PageMap,
        X86PageUnmap,
        X86PageGetAddress,
        X86ASIDControlMakePool,
        X86ASIDPoolAssign,
        X86IOPortControlIssue,
        X86IOPortIn8,
        X86IOPortIn16,
        X86IOPortIn32,
        X86IOPortOut8,
        X86IOPortOut16,
        X86IOPortOut32,
        X86IRQIssueIRQHandlerIOAPIC,
        X86IRQIssueIRQHandlerMSI,
    };
    for (int i = 0; i < (int)(sizeof(expect) / sizeof(expect[0])); i++)
        CHECK(expect[i] == i);
    CHECK(nInvocationLabels == 33);
    CHECK(nSeL4ArchInvocationLabels == 35);
    CHECK(nArchInvocationLabels == 53);
    return NULL;
}

/* §9: object types and their sentinels. */
static const char *object_types(void)
{
    CHECK(seL4_UntypedObject == 0 && seL4_TCBObject == 1);
    CHECK(seL4_EndpointObject == 2 && seL4_NotificationObject == 3);
    CHECK(seL4_CapTableObject == 4 && seL4_X86_PDPTObject == 5);
    CHECK(seL4_IA32_PDPTObject == 5 && seL4_X64_PML4Object == 6);
    CHECK(seL4_X64_HugePageObject == 7 && seL4_X86_4K == 8);
    CHECK(seL4_X86_LargePageObject == 9 && seL4_X86_PageTableObject == 10);
    CHECK(seL4_X86_PageDirectoryObject == 11 && seL4_ObjectTypeCount == 12);
    CHECK(seL4_X86_IOPageTableObject == 0xffffff && seL4_X86_VCPUObject == 0xfffffe);
    CHECK(seL4_X86_EPTPTObject == 0xfffffa);
    return NULL;
}

/* §8, §14.1: errors, lookup failures, fault labels. */
static const char *errors_and_faults(void)
{
    CHECK(seL4_NoError == 0 && seL4_InvalidArgument == 1);
    CHECK(seL4_InvalidCapability == 2 && seL4_IllegalOperation == 3);
    CHECK(seL4_RangeError == 4 && seL4_AlignmentError == 5);
    CHECK(seL4_FailedLookup == 6 && seL4_TruncatedMessage == 7);
    CHECK(seL4_DeleteFirst == 8 && seL4_RevokeFirst == 9);
    CHECK(seL4_NotEnoughMemory == 10 && seL4_NumErrors == 11);
    CHECK(seL4_NoFailure == 0 && seL4_InvalidRoot == 1);
    CHECK(seL4_MissingCapability == 2 && seL4_DepthMismatch == 3);
    CHECK(seL4_GuardMismatch == 4);
    CHECK(seL4_Fault_NullFault == 0 && seL4_Fault_CapFault == 1);
    CHECK(seL4_Fault_UnknownSyscall == 2 && seL4_Fault_UserException == 3);
    CHECK(seL4_Fault_VMFault == 5);
    return NULL;
}

/* §14.2-§14.5: fault message layouts. */
static const char *fault_messages(void)
{
    CHECK(seL4_CapFault_IP == 0 && seL4_CapFault_Addr == 1);
    CHECK(seL4_CapFault_InRecvPhase == 2 && seL4_CapFault_LookupFailureType == 3);
    CHECK(seL4_CapFault_BitsLeft == 4 && seL4_CapFault_DepthMismatch_BitsFound == 5);
    CHECK(seL4_CapFault_GuardMismatch_GuardFound == 5);
    CHECK(seL4_CapFault_GuardMismatch_BitsFound == 6);
    CHECK(seL4_VMFault_IP == 0 && seL4_VMFault_Addr == 1);
    CHECK(seL4_VMFault_PrefetchFault == 2 && seL4_VMFault_FSR == 3);
    CHECK(seL4_VMFault_Length == 4);
    CHECK(seL4_UnknownSyscall_RAX == 0 && seL4_UnknownSyscall_RDI == 5);
    CHECK(seL4_UnknownSyscall_R8 == 7 && seL4_UnknownSyscall_R15 == 14);
    CHECK(seL4_UnknownSyscall_FaultIP == 15 && seL4_UnknownSyscall_SP == 16);
    CHECK(seL4_UnknownSyscall_FLAGS == 17 && seL4_UnknownSyscall_Syscall == 18);
    CHECK(seL4_UnknownSyscall_Length == 19);
    CHECK(seL4_UserException_FaultIP == 0 && seL4_UserException_SP == 1);
    CHECK(seL4_UserException_FLAGS == 2 && seL4_UserException_Number == 3);
    CHECK(seL4_UserException_Code == 4 && seL4_UserException_Length == 5);
    return NULL;
}

/* §2: sizes and limits. */
static const char *basic_constants(void)
{
    CHECK(seL4_WordBits == 64 && seL4_WordSizeBits == 3);
    CHECK(seL4_PageBits == 12 && seL4_LargePageBits == 21 && seL4_HugePageBits == 30);
    CHECK(seL4_SlotBits == 5 && seL4_TCBBits == 11);
    CHECK(seL4_EndpointBits == 4 && seL4_NotificationBits == 5);
    CHECK(seL4_PageTableBits == 12 && seL4_PageDirBits == 12);
    CHECK(seL4_PDPTBits == 12 && seL4_PML4Bits == 12 && seL4_VSpaceBits == 12);
    CHECK(seL4_ASIDPoolBits == 12 && seL4_ASIDPoolIndexBits == 9);
    CHECK(seL4_NumASIDPoolsBits == 3);
    CHECK(seL4_MinUntypedBits == 4 && seL4_MaxUntypedBits == 47);
    CHECK(seL4_MsgMaxLength == 120 && seL4_MsgLengthBits == 7);
    CHECK(seL4_MsgMaxExtraCaps == 3 && seL4_MsgExtraCapBits == 2);
    CHECK(seL4_FastMessageRegisters == 4 && seL4_IPCBufferSizeBits == 10);
    CHECK(seL4_UntypedRetypeMaxObjects == 256 && seL4_CapRightsBits == 4);
    CHECK(seL4_MinPrio == 0 && seL4_MaxPrio == 255);
    CHECK(seL4_NumInitialCaps == 16 && seL4_BootInfoFrameBits == 12);
    CHECK(seL4_UserTop == 0x00007ffffffff000ull);
    CHECK(seL4_UserVSpaceTop == 0x00007fffffffefffull);
    CHECK(IRQ_OFFSET == 48 && VECTOR_MIN == 0 && VECTOR_MAX == 109);
    CHECK(SEL4_MAPPING_LOOKUP_LEVEL == 2 && SEL4_MAPPING_LOOKUP_NO_PT == 21);
    CHECK(SEL4_MAPPING_LOOKUP_NO_PD == 30 && SEL4_MAPPING_LOOKUP_NO_PDPT == 39);
    CHECK(seL4_X86_WriteBack == 0 && seL4_X86_WriteThrough == 1);
    CHECK(seL4_X86_CacheDisabled == 2 && seL4_X86_Uncacheable == 3);
    CHECK(seL4_X86_WriteCombining == 4 && seL4_X86_Default_VMAttributes == 0);
    CHECK(seL4_TCBFlag_fpuDisabled == 1);
    return NULL;
}

/* §20.3 initial caps, §20.5 chunk ids, §7.6 cap type tags. */
static const char *slots_ids_tags(void)
{
    CHECK(seL4_CapNull == 0 && seL4_CapInitThreadTCB == 1);
    CHECK(seL4_CapInitThreadCNode == 2 && seL4_CapInitThreadVSpace == 3);
    CHECK(seL4_CapInitThreadPD == 3 && seL4_CapIRQControl == 4);
    CHECK(seL4_CapASIDControl == 5 && seL4_CapInitThreadASIDPool == 6);
    CHECK(seL4_CapIOPortControl == 7 && seL4_CapIOSpace == 8);
    CHECK(seL4_CapBootInfoFrame == 9 && seL4_CapInitThreadIPCBuffer == 10);
    CHECK(seL4_CapDomain == 11 && seL4_CapSMC == 15);
    CHECK(SEL4_BOOTINFO_HEADER_PADDING == 0 && SEL4_BOOTINFO_HEADER_X86_VBE == 1);
    CHECK(SEL4_BOOTINFO_HEADER_X86_MBMMAP == 2 && SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP == 3);
    CHECK(SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER == 4);
    CHECK(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ == 5 && SEL4_BOOTINFO_HEADER_FDT == 6);
    CHECK(seL4_CapType_Null == 0 && seL4_CapType_Frame == 1 && seL4_CapType_Untyped == 2);
    CHECK(seL4_CapType_Endpoint == 4 && seL4_CapType_PML4 == 9);
    CHECK(seL4_CapType_CNode == 10 && seL4_CapType_TCB == 12);
    CHECK(seL4_CapType_IRQHandler == 16 && seL4_CapType_Zombie == 18);
    CHECK(seL4_CapType_IOPort == 19 && seL4_CapType_Domain == 20);
    CHECK(seL4_CapType_IOPortControl == 31);
    return NULL;
}

/* §5.3 and §15. */
static const char *ipcbuffer_usercontext(void)
{
    CHECK(sizeof(seL4_IPCBuffer) == 1024);
    CHECK(offsetof(seL4_IPCBuffer, tag) == 0 && offsetof(seL4_IPCBuffer, msg) == 8);
    CHECK(offsetof(seL4_IPCBuffer, userData) == 968);
    CHECK(offsetof(seL4_IPCBuffer, caps_or_badges) == 976);
    CHECK(offsetof(seL4_IPCBuffer, receiveCNode) == 1000);
    CHECK(offsetof(seL4_IPCBuffer, receiveIndex) == 1008);
    CHECK(offsetof(seL4_IPCBuffer, receiveDepth) == 1016);
    CHECK(sizeof(seL4_UserContext) == 160);
    CHECK(offsetof(seL4_UserContext, rip) == 0 && offsetof(seL4_UserContext, rflags) == 16);
    CHECK(offsetof(seL4_UserContext, rax) == 24 && offsetof(seL4_UserContext, rbp) == 72);
    CHECK(offsetof(seL4_UserContext, r8) == 80 && offsetof(seL4_UserContext, r15) == 136);
    CHECK(offsetof(seL4_UserContext, fs_base) == 144);
    CHECK(offsetof(seL4_UserContext, gs_base) == 152);
    return NULL;
}

/* §20.4 and §20.5. */
static const char *bootinfo_layout(void)
{
    CHECK(sizeof(seL4_BootInfo) == 3848);
    CHECK(offsetof(seL4_BootInfo, numIOPTLevels) == 24);
    CHECK(offsetof(seL4_BootInfo, ipcBuffer) == 32 && offsetof(seL4_BootInfo, empty) == 40);
    CHECK(offsetof(seL4_BootInfo, sharedFrames) == 56);
    CHECK(offsetof(seL4_BootInfo, userImageFrames) == 72);
    CHECK(offsetof(seL4_BootInfo, userImagePaging) == 88);
    CHECK(offsetof(seL4_BootInfo, ioSpaceCaps) == 104);
    CHECK(offsetof(seL4_BootInfo, extraBIPages) == 120);
    CHECK(offsetof(seL4_BootInfo, initThreadCNodeSizeBits) == 136);
    CHECK(offsetof(seL4_BootInfo, initThreadDomain) == 144);
    CHECK(offsetof(seL4_BootInfo, untyped) == 152);
    CHECK(offsetof(seL4_BootInfo, untypedList) == 168);
    CHECK(sizeof(seL4_UntypedDesc) == 16 && offsetof(seL4_UntypedDesc, sizeBits) == 8);
    CHECK(offsetof(seL4_UntypedDesc, isDevice) == 9);
    CHECK(sizeof(((seL4_BootInfo *)0)->untypedList) / 16 == 230);
    CHECK(sizeof(seL4_BootInfoHeader) == 16);
    CHECK(sizeof(seL4_X86_BootInfo_VBE) == 800);
    CHECK(offsetof(seL4_X86_BootInfo_VBE, vbeModeInfoBlock) == 528);
    CHECK(offsetof(seL4_X86_BootInfo_VBE, vbeMode) == 784);
    CHECK(sizeof(seL4_X86_BootInfo_mmap_t) == 1220 && sizeof(seL4_X86_mb_mmap_t) == 24);
    CHECK(offsetof(seL4_X86_BootInfo_mmap_t, mmap) == 20);
    CHECK(sizeof(seL4_X86_BootInfo_RSDP) == 52 && sizeof(seL4_X86_BootInfo_fb_t) == 38);
    CHECK(sizeof(seL4_X86_BootInfo_TSCFreq) == 20);
    return NULL;
}

/* seL4_BootInfo_FindChunk walks the chunks after the bootinfo frame (§20.5). */
static const char *bootinfo_chunks(void)
{
    static union {
        seL4_BootInfo bi;
        unsigned char bytes[4096 + 1292];
    } frame;
    unsigned char *extra = frame.bytes + 4096;
    seL4_BootInfoHeader h[3] = {{3, 52}, {2, 1220}, {5, 20}};
    frame.bi.extraLen = 1292;
    __builtin_memcpy(extra, &h[0], 16);
    __builtin_memcpy(extra + 52, &h[1], 16);
    __builtin_memcpy(extra + 52 + 1220, &h[2], 16);
    const seL4_BootInfoHeader *c =
        seL4_BootInfo_FindChunk(&frame.bi, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    CHECK(c != NULL && (const unsigned char *)c == extra + 1272 && c->len == 20);
    CHECK(seL4_BootInfo_FindChunk(&frame.bi, SEL4_BOOTINFO_HEADER_X86_VBE) == NULL);
    return NULL;
}

const host_test layout_tests[] = {
    {"msginfo_examples", msginfo_examples},
    {"msginfo_fields", msginfo_fields},
    {"caprights", caprights},
    {"cnode_capdata", cnode_capdata},
    {"syscall_numbers", syscall_numbers},
    {"invocation_labels", invocation_labels},
    {"object_types", object_types},
    {"errors_and_faults", errors_and_faults},
    {"fault_messages", fault_messages},
    {"basic_constants", basic_constants},
    {"slots_ids_tags", slots_ids_tags},
    {"ipcbuffer_usercontext", ipcbuffer_usercontext},
    {"bootinfo_layout", bootinfo_layout},
    {"bootinfo_chunks", bootinfo_chunks},
    {NULL, NULL},
};
