/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read-only access to the kernel's boot information for the components
 * outside ke (system information in ex/); ke keeps the pointer itself
 * (KiBootInfo, ke/startup.c).
 */

#include <ex.h>
#include "kep.h"

const seL4_BootInfo *KeQueryBootInfo(void)
{
    return KiBootInfo;
}
