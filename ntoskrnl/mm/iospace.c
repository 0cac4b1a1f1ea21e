/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device memory and physically contiguous memory of a driver process, each
 * the runtime's half of an ntos service (ntos/io/halmem.c): MmMapIoSpace /
 * MmUnmapIoSpace (NtDriverMapIoSpace: device memory, never RAM),
 * MmAllocateContiguousMemory(SpecifyCache) / MmFreeContiguousMemory(SpecifyCache)
 * (NtDriverAllocateContiguousMemory: RAM in one aligned power-of-two
 * block) and MmGetPhysicalAddress (NtDriverQueryPhysicalAddress). The
 * mappings are in the driver's own address space, so "system addresses"
 * are user addresses of the driver process. MmMapIoSpace's cache type
 * becomes the mapping's memory type in ntos; contiguous memory is always
 * cached (the service takes no cache type), the value is still checked.
 */
#include "../hal/halp.h"

NTKRNL_EXPORT PVOID NTAPI MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes,
                                       MEMORY_CACHING_TYPE CacheType)
{
    ULONG_PTR Base;

    if (PhysicalAddress.QuadPart < 0 ||
        !NT_SUCCESS(NtDriverMapIoSpace((ULONG_PTR)PhysicalAddress.QuadPart, NumberOfBytes,
                                       (ULONG)CacheType, &Base)))
        return NULL;
    return (PVOID)Base;
}

NTKRNL_EXPORT VOID NTAPI MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes)
{
    NTSTATUS Status = NtDriverUnmapIoSpace(BaseAddress, NumberOfBytes);

    if (!NT_SUCCESS(Status))
        DbgPrint("ntoskrnl: MmUnmapIoSpace(%p, %Iu): not a mapping of MmMapIoSpace (0x%08lx)\n",
                 BaseAddress, NumberOfBytes, Status);
}

NTKRNL_EXPORT PHYSICAL_ADDRESS NTAPI MmGetPhysicalAddress(PVOID BaseAddress)
{
    PHYSICAL_ADDRESS Physical = {.QuadPart = 0};
    ULONG_PTR Address;

    if (NT_SUCCESS(NtDriverQueryPhysicalAddress(BaseAddress, &Address)))
        Physical.QuadPart = (LONGLONG)Address;
    return Physical;
}

/* Whether [Physical, Physical + Size) crosses a multiple of Boundary (0: none). */
static BOOLEAN MiCrossesBoundary(ULONG_PTR Physical, SIZE_T Size, ULONGLONG Boundary)
{
    return Boundary != 0 && Physical / Boundary != (Physical + Size - 1) / Boundary;
}

NTKRNL_EXPORT PVOID NTAPI MmAllocateContiguousMemorySpecifyCache(
    SIZE_T NumberOfBytes, PHYSICAL_ADDRESS LowestAcceptableAddress,
    PHYSICAL_ADDRESS HighestAcceptableAddress, PHYSICAL_ADDRESS BoundaryAddressMultiple,
    MEMORY_CACHING_TYPE CacheType)
{
    ULONG_PTR Base, Physical;

    if ((ULONG)CacheType >= MmMaximumCacheType || HighestAcceptableAddress.QuadPart <= 0)
        return NULL;
    if (!NT_SUCCESS(NtDriverAllocateContiguousMemory(
            NumberOfBytes, (ULONG_PTR)HighestAcceptableAddress.QuadPart, &Base, &Physical)))
        return NULL;
    /* ntos cannot choose where the block lies: one that misses the
     * caller's other limits is given back. FIXME: try again elsewhere. */
    if ((LONGLONG)Physical < LowestAcceptableAddress.QuadPart ||
        MiCrossesBoundary(Physical, NumberOfBytes, (ULONGLONG)BoundaryAddressMultiple.QuadPart)) {
        NtDriverFreeContiguousMemory((PVOID)Base);
        return NULL;
    }
    return (PVOID)Base;
}

NTKRNL_EXPORT PVOID NTAPI MmAllocateContiguousMemory(SIZE_T NumberOfBytes,
                                                     PHYSICAL_ADDRESS HighestAcceptableAddress)
{
    PHYSICAL_ADDRESS None = {.QuadPart = 0};

    return MmAllocateContiguousMemorySpecifyCache(NumberOfBytes, None, HighestAcceptableAddress,
                                                  None, MmCached);
}

NTKRNL_EXPORT VOID NTAPI MmFreeContiguousMemory(PVOID BaseAddress)
{
    NTSTATUS Status = NtDriverFreeContiguousMemory(BaseAddress);

    if (!NT_SUCCESS(Status))
        DbgPrint("ntoskrnl: MmFreeContiguousMemory(%p): not contiguous memory (0x%08lx)\n",
                 BaseAddress, Status);
}

NTKRNL_EXPORT VOID NTAPI MmFreeContiguousMemorySpecifyCache(PVOID BaseAddress, SIZE_T NumberOfBytes,
                                                            MEMORY_CACHING_TYPE CacheType)
{
    MmFreeContiguousMemory(BaseAddress);
}
