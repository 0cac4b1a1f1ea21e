/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fallback dispatcher until the generated service table
 * (build/ntos/ntsvc_table.c, ntos/services.def) is linked: every service
 * number is unknown. It is weak, so the generated KiDispatchService takes
 * over as soon as it exists; delete this file then.
 */
#include "kep.h"

__attribute__((weak)) NTSTATUS KiDispatchService(PETHREAD Thread, seL4_Word Label, seL4_Word *Args,
                                                 ULONG ArgCount)
{
    return STATUS_INVALID_SYSTEM_SERVICE;
}
