/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MDLs and addresses (mm/mdl.c, mm/routine.c): building MDLs over pool and
 * over probed memory, the IRP chain, the "system" mapping (the same
 * address), probing refusals, MmIsAddressValid, MmGetSystemRoutineAddress.
 */
#include "ktest.h"

NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(PWSTR Path, PULONG Characteristics, PUNICODE_STRING Name,
                                        PVOID *Base);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID Base, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *Address);

#define KTEST_MDL_TAG 0x4C444D54u

TEST(mdl, nonpaged_pool_mdl)
{
    PUCHAR Buffer = ExAllocatePoolWithTag(NonPagedPool, 3 * PAGE_SIZE, KTEST_MDL_TAG);
    PUCHAR Start;
    PMDL Mdl;
    PPFN_NUMBER Pfns;

    if (!CHECK(Buffer != NULL))
        return;
    Start = Buffer + 100;
    Mdl = IoAllocateMdl(Start, 2 * PAGE_SIZE, FALSE, FALSE, NULL);
    if (!CHECK(Mdl != NULL))
        goto out;
    CHECK_EQ(Mdl->Size, MmSizeOfMdl(Start, 2 * PAGE_SIZE));
    CHECK(Mdl->StartVa == PAGE_ALIGN(Start));
    CHECK_EQ(Mdl->ByteOffset, BYTE_OFFSET(Start));
    CHECK_EQ(MmGetMdlByteCount(Mdl), 2 * PAGE_SIZE);
    CHECK(MmGetMdlVirtualAddress(Mdl) == Start);
    MmBuildMdlForNonPagedPool(Mdl);
    CHECK(Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
    CHECK(MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority) == Start);
    Pfns = MmGetMdlPfnArray(Mdl);
    for (ULONG i = 0; i < ADDRESS_AND_SIZE_TO_SPAN_PAGES(Start, 2 * PAGE_SIZE); i++)
        CHECK_EQ(Pfns[i], ((ULONG_PTR)PAGE_ALIGN(Start) >> PAGE_SHIFT) + i);
    IoFreeMdl(Mdl);
out:
    ExFreePoolWithTag(Buffer, KTEST_MDL_TAG);
}

TEST(mdl, irp_chain)
{
    UCHAR Buffer[64];
    IRP *Irp = ExAllocatePoolZero(NonPagedPool, sizeof(IRP), KTEST_MDL_TAG);
    PMDL First, Second;

    if (!CHECK(Irp != NULL))
        return;
    First = IoAllocateMdl(Buffer, sizeof(Buffer), FALSE, FALSE, Irp);
    CHECK(Irp->MdlAddress == First);
    Second = IoAllocateMdl(Buffer, 8, TRUE, FALSE, Irp);
    CHECK(Irp->MdlAddress == First && First && First->Next == Second);
    CHECK(IoAllocateMdl(Buffer, 0, FALSE, FALSE, NULL) == NULL);
    IoFreeMdl(Second);
    IoFreeMdl(First);
    ExFreePoolWithTag(Irp, KTEST_MDL_TAG);
}

TEST(mdl, probe_lock_map_unlock)
{
    UCHAR Buffer[3 * PAGE_SIZE];
    PMDL Mdl = IoAllocateMdl(Buffer + 10, sizeof(Buffer) - 20, FALSE, FALSE, NULL);
    PVOID Mapped;

    if (!CHECK(Mdl != NULL))
        return;
    MmProbeAndLockPages(Mdl, KernelMode, IoWriteAccess);
    CHECK(Mdl->MdlFlags & MDL_PAGES_LOCKED);
    CHECK_EQ(MmGetMdlPfnArray(Mdl)[0], (ULONG_PTR)PAGE_ALIGN(Buffer + 10) >> PAGE_SHIFT);
    Mapped = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority);
    CHECK(Mapped == Buffer + 10);
    CHECK(Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    CHECK(MmMapLockedPages(Mdl, KernelMode) == Buffer + 10);
    MmUnmapLockedPages(Mapped, Mdl);
    CHECK(!(Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA));
    MmUnlockPages(Mdl);
    CHECK(!(Mdl->MdlFlags & MDL_PAGES_LOCKED));
    /* An MDL that is neither locked nor built cannot be mapped. */
    CHECK(MmMapLockedPagesSpecifyCache(Mdl, KernelMode, MmCached, NULL, FALSE,
                                       NormalPagePriority) == NULL);
    IoFreeMdl(Mdl);
}

static VOID KTestProbeWrite(PVOID Mdl)
{
    MmProbeAndLockPages(Mdl, KernelMode, IoWriteAccess);
}

static VOID KTestProbeRead(PVOID Mdl)
{
    MmProbeAndLockPages(Mdl, KernelMode, IoReadAccess);
}

TEST(mdl, probe_refuses_bad_access)
{
    PMDL ReadOnly = IoAllocateMdl((PVOID)0x7FFE0000, 16, FALSE, FALSE, NULL);
    PMDL Unmapped = IoAllocateMdl((PVOID)0x1000, 16, FALSE, FALSE, NULL);

    if (!CHECK(ReadOnly && Unmapped))
        return;
    /* KUSER_SHARED_DATA is read-only: reading is fine, writing is refused. */
    CHECK_STATUS(KTestCatch(KTestProbeRead, ReadOnly), 0);
    CHECK_STATUS(KTestCatch(KTestProbeWrite, ReadOnly), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(KTestCatch(KTestProbeRead, Unmapped), STATUS_ACCESS_VIOLATION);
    IoFreeMdl(ReadOnly);
    IoFreeMdl(Unmapped);
}

TEST(mdl, address_validity)
{
    UCHAR Local;
    PVOID Pool = ExAllocatePoolWithTag(NonPagedPool, 8, KTEST_MDL_TAG);

    CHECK(MmIsAddressValid(&Local));
    CHECK(MmIsAddressValid(Pool));
    CHECK(MmIsAddressValid((PVOID)0x7FFE0000));
    CHECK(!MmIsAddressValid(NULL));
    CHECK(!MmIsAddressValid((PVOID)0x1000));
    ExFreePoolWithTag(Pool, KTEST_MDL_TAG);
}

static PVOID KTestLookup(PCWSTR Name)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Name);
    return MmGetSystemRoutineAddress(&String);
}

TEST(mdl, system_routine_address)
{
    UNICODE_STRING Ntdll;
    ANSI_STRING Name;
    PVOID Base = NULL, Expected = NULL;

    CHECK(KTestLookup(L"KeSetEvent") == (PVOID)KeSetEvent);
    CHECK(KTestLookup(L"ExAllocatePoolWithTag") == (PVOID)ExAllocatePoolWithTag);
    CHECK(KTestLookup(L"NoSuchRoutine") == NULL);
    CHECK(KTestLookup(L"") == NULL);
    /* A forwarder leads to ntdll's routine. */
    RtlInitUnicodeString(&Ntdll, L"ntdll.dll");
    RtlInitAnsiString(&Name, "RtlInitUnicodeString");
    CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &Ntdll, &Base), STATUS_SUCCESS);
    CHECK_STATUS(LdrGetProcedureAddress(Base, &Name, 0, &Expected), STATUS_SUCCESS);
    CHECK(Expected != NULL && KTestLookup(L"RtlInitUnicodeString") == Expected);
}
