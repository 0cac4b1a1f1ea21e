/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/mdl.c: the MDLs the runtime builds for direct I/O over pages ntos has
 * mapped into this process. The MDL says its pages are mapped already
 * (MDL_SOURCE_IS_NONPAGED_POOL, MappedSystemVa = the buffer), so the ddk's
 * MmGetSystemAddressForMdlSafe and MmGetMdlVirtualAddress give the mapping
 * without a call. The MDL routines drivers call (IoAllocateMdl,
 * MmBuildMdlForNonPagedPool, ...) are krnlrt's (mm/).
 *
 * FIXME: the PFN array stays zero: nothing here knows physical page
 * numbers (NtDriverQueryPhysicalAddress could give them, for DMA).
 */

#include "iop.h"

PMDL IopBuildMdl(PVOID VirtualAddress, ULONG Length)
{
    SIZE_T Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length);
    PMDL Mdl = IopAllocate(sizeof(MDL) + Pages * sizeof(PFN_NUMBER));

    if (Mdl == NULL)
        return NULL;
    MmInitializeMdl(Mdl, VirtualAddress, Length);
    Mdl->MdlFlags = MDL_SOURCE_IS_NONPAGED_POOL;
    Mdl->MappedSystemVa = VirtualAddress;
    return Mdl;
}

VOID IopFreeMdl(PMDL Mdl)
{
    IopFree(Mdl);
}
