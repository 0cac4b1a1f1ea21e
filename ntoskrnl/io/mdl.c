/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/mdl.c: the MDLs the runtime builds for direct I/O over pages ntos has
 * mapped into this process, made with krnlrt's IoAllocateMdl and
 * MmBuildMdlForNonPagedPool (mm/mdl.c), so a driver may IoFreeMdl them as
 * Windows allows for the MDL of an IRP it built. The MDL says its pages are
 * mapped already (MDL_SOURCE_IS_NONPAGED_POOL, MappedSystemVa = the
 * buffer), so the ddk's MmGetSystemAddressForMdlSafe needs no call.
 */

#include "iop.h"

PMDL IopBuildMdl(PVOID VirtualAddress, ULONG Length)
{
    PMDL Mdl = IoAllocateMdl(VirtualAddress, Length, FALSE, FALSE, NULL);

    if (Mdl != NULL)
        MmBuildMdlForNonPagedPool(Mdl);
    return Mdl;
}

VOID IopFreeMdl(PMDL Mdl)
{
    IoFreeMdl(Mdl);
}
