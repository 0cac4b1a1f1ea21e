/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Start of the memory manager: the untyped list, the two-level CSpace, the
 * pool and the frame database, in the order each needs the previous one.
 */
#include "mi.h"

void MmInitSystem(seL4_BootInfo *BootInfo)
{
    MiInitializeUntypeds(BootInfo);
    MiInitializeCSpace(BootInfo);
    MiInitializePool();
    MiInitializePfnDatabase();
    KePrint("mm: %u free slots, RAM up to %p\n", MiFreeSlotCount(), (void *)MiHighestRam());
}
