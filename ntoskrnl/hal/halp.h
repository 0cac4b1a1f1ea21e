/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's hardware access (hal: ntoskrnl/hal/, io/interrupt.c,
 * mm/iospace.c; ntoskrnl/README.md "Hardware access"): the ntos services
 * behind it (ntos/services.def 104-111, Nereid's own, answered for driver
 * processes only) and what its files share.
 */
#pragma once

#include "ntoskrnl.h"

NTSYSAPI NTSTATUS NTAPI NtDriverConnectInterrupt(ULONG Vector, BOOLEAN LevelSensitive,
                                                 BOOLEAN ActiveLow, ULONG_PTR *NotificationCap,
                                                 ULONG_PTR *HandlerCap);
NTSYSAPI NTSTATUS NTAPI NtDriverDisconnectInterrupt(ULONG Vector);
NTSYSAPI NTSTATUS NTAPI NtDriverMapIoSpace(ULONG_PTR PhysicalAddress, SIZE_T NumberOfBytes,
                                           ULONG CacheType, ULONG_PTR *BaseAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);
NTSYSAPI NTSTATUS NTAPI NtDriverAllocateContiguousMemory(SIZE_T NumberOfBytes,
                                                         ULONG_PTR HighestAcceptable,
                                                         ULONG_PTR *BaseAddress,
                                                         ULONG_PTR *PhysicalAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverFreeContiguousMemory(PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverQueryPhysicalAddress(PVOID VirtualAddress,
                                                     ULONG_PTR *PhysicalAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverQueryDisplay(PVOID Info, ULONG Length);

/* Interrupt lines are ISA IRQs / IOAPIC inputs 1..23 (ntos/io/halirq.c):
 * HalGetInterruptVector's vector is the line itself, and the DIRQL of
 * line n is HALP_DIRQL(n): the x64 device levels 3..11 (above
 * DISPATCH_LEVEL, below SYNCH_LEVEL 12), higher lines higher. */
#define HALP_MAX_LINE    23
#define HALP_FIRST_DIRQL 3
#define HALP_LAST_DIRQL  11
#define HALP_DIRQL(n)                                                                              \
    ((KIRQL)(HALP_FIRST_DIRQL + ((n) * (HALP_LAST_DIRQL - HALP_FIRST_DIRQL)) / HALP_MAX_LINE))
