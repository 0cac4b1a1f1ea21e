/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MDLs. A driver process has one address space, so an MDL describes pages
 * of it and "mapping to system space" hands back the same address. The PFN
 * array holds the pages' virtual page numbers (VA >> PAGE_SHIFT): the
 * runtime cannot see physical frames; a driver that needs one for DMA asks
 * MmGetPhysicalAddress (hal's mm/iospace.c). MmProbeAndLockPages checks
 * with NtQueryVirtualMemory that every page is committed and allows the
 * access (raising STATUS_ACCESS_VIOLATION otherwise, as NT does), then
 * touches each page so it is present; the pages of a driver process are
 * never paged out, so "locked" needs nothing more.
 */
#include "ntoskrnl.h"

#define MMP_MDL_TAG       0x206C644Du /* "Mdl " */
#define MMP_MAX_MDL_BYTES 0xFFFFFFFFu

typedef struct _MMP_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} MMP_BASIC_INFORMATION;

#define MMP_MEM_COMMIT 0x1000
#define MMP_WRITABLE                                                                               \
    (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)

NTKRNL_EXPORT SIZE_T NTAPI MmSizeOfMdl(PVOID Base, SIZE_T Length)
{
    return sizeof(MDL) + ADDRESS_AND_SIZE_TO_SPAN_PAGES(Base, Length) * sizeof(PFN_NUMBER);
}

NTKRNL_EXPORT PMDL NTAPI IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                                       BOOLEAN ChargeQuota, PIRP Irp)
{
    SIZE_T Size = MmSizeOfMdl(VirtualAddress, Length);
    PMDL Mdl;

    if (Length == 0 || Size > MAXSHORT)
        return NULL;
    Mdl = ExAllocatePoolWithTag(NonPagedPool, Size, MMP_MDL_TAG);
    if (!Mdl)
        return NULL;
    MmInitializeMdl(Mdl, VirtualAddress, Length);
    if (Irp) {
        if (SecondaryBuffer && Irp->MdlAddress) {
            PMDL Last = Irp->MdlAddress;
            while (Last->Next)
                Last = Last->Next;
            Last->Next = Mdl;
        } else {
            Irp->MdlAddress = Mdl;
        }
    }
    return Mdl;
}

NTKRNL_EXPORT VOID NTAPI IoFreeMdl(PMDL Mdl)
{
    ExFreePoolWithTag(Mdl, MMP_MDL_TAG);
}

NTKRNL_EXPORT PMDL NTAPI MmCreateMdl(PMDL MemoryDescriptorList, PVOID Base, SIZE_T Length)
{
    PMDL Mdl = MemoryDescriptorList;

    if (!Mdl) {
        SIZE_T Size = MmSizeOfMdl(Base, Length);
        if (Size > MAXSHORT || Length > MMP_MAX_MDL_BYTES)
            return NULL;
        Mdl = ExAllocatePoolWithTag(NonPagedPool, Size, MMP_MDL_TAG);
        if (!Mdl)
            return NULL;
    }
    MmInitializeMdl(Mdl, Base, Length);
    return Mdl;
}

static VOID MmpFillPfns(PMDL Mdl)
{
    PPFN_NUMBER Pfns = MmGetMdlPfnArray(Mdl);
    ULONG_PTR Page = (ULONG_PTR)Mdl->StartVa >> PAGE_SHIFT;
    ULONG Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl), Mdl->ByteCount);

    for (ULONG i = 0; i < Pages; i++)
        Pfns[i] = Page + i;
}

NTKRNL_EXPORT VOID NTAPI MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList)
{
    MmpFillPfns(MemoryDescriptorList);
    MemoryDescriptorList->MappedSystemVa = MmGetMdlVirtualAddress(MemoryDescriptorList);
    MemoryDescriptorList->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}

/* Whether the page at Address is committed and allows the access. */
static BOOLEAN MmpPageAllows(PVOID Address, BOOLEAN Write)
{
    MMP_BASIC_INFORMATION Info;

    if (!NT_SUCCESS(
            NtQueryVirtualMemory(NtCurrentProcess(), Address, 0, &Info, sizeof(Info), NULL)))
        return FALSE;
    if (Info.State != MMP_MEM_COMMIT || (Info.Protect & (PAGE_NOACCESS | PAGE_GUARD)))
        return FALSE;
    return !Write || (Info.Protect & MMP_WRITABLE);
}

NTKRNL_EXPORT VOID NTAPI MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                             LOCK_OPERATION Operation)
{
    PMDL Mdl = MemoryDescriptorList;
    BOOLEAN Write = Operation != IoReadAccess;
    ULONG Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl), Mdl->ByteCount);

    for (ULONG i = 0; i < Pages; i++) {
        PUCHAR Page = (PUCHAR)Mdl->StartVa + (SIZE_T)i * PAGE_SIZE;
        if (!MmpPageAllows(Page, Write))
            ExRaiseStatus(STATUS_ACCESS_VIOLATION);
        (void)*(volatile UCHAR *)Page; /* present from now on */
    }
    MmpFillPfns(Mdl);
    Mdl->MdlFlags |= MDL_PAGES_LOCKED | (Write ? MDL_WRITE_OPERATION : 0);
}

NTKRNL_EXPORT VOID NTAPI MmUnlockPages(PMDL MemoryDescriptorList)
{
    MemoryDescriptorList->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA);
}

NTKRNL_EXPORT PVOID NTAPI MmMapLockedPagesSpecifyCache(
    PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode, MEMORY_CACHING_TYPE CacheType,
    PVOID RequestedAddress, ULONG BugCheckOnFailure, MM_PAGE_PRIORITY Priority)
{
    PMDL Mdl = MemoryDescriptorList;

    if (!(Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL))) {
        DbgPrint("ntoskrnl: MmMapLockedPages of MDL %p, whose pages are not locked\n", Mdl);
        if (BugCheckOnFailure)
            KeBugCheckEx(NO_MORE_SYSTEM_PTES, 4, (ULONG_PTR)Mdl, 0, 0);
        return NULL;
    }
    Mdl->MappedSystemVa = MmGetMdlVirtualAddress(Mdl);
    if (AccessMode == KernelMode)
        Mdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
    return Mdl->MappedSystemVa;
}

NTKRNL_EXPORT PVOID NTAPI MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode)
{
    return MmMapLockedPagesSpecifyCache(MemoryDescriptorList, AccessMode, MmCached, NULL, TRUE,
                                        NormalPagePriority);
}

NTKRNL_EXPORT VOID NTAPI MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList)
{
    MemoryDescriptorList->MdlFlags &= ~MDL_MAPPED_TO_SYSTEM_VA;
}

NTKRNL_EXPORT BOOLEAN NTAPI MmIsAddressValid(PVOID VirtualAddress)
{
    return MmpPageAllows(PAGE_ALIGN(VirtualAddress), FALSE);
}

NTKRNL_EXPORT BOOLEAN NTAPI MmIsNonPagedSystemAddressValid(PVOID VirtualAddress)
{
    return MmIsAddressValid(VirtualAddress);
}
