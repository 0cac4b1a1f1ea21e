/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The executive support component (ex/): system information today;
 * events, semaphores, mutants and timers later. The pool is mm's
 * (ExAllocatePoolWithTag in mm.h).
 */
#pragma once

#include <ntos.h>

/* The kernel's boot information, as ntos received it (read-only; NULL
 * before start-up). Implemented by ke/bootinfo.c; FIXME: declare it in
 * ke.h once that header is free to edit. */
const seL4_BootInfo *KeQueryBootInfo(void);

/* NtQuerySystemInformation classes ex answers. */
typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution; /* 100 ns units */
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    KAFFINITY ActiveProcessorsAffinityMask;
    CHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;
_Static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 0x40, "SYSTEM_BASIC_INFORMATION");
_Static_assert(offsetof(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress) == 0x20, "SBI.Min");
_Static_assert(offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors) == 0x38, "SBI.CPUs");

/* The SystemBasicInformation record (RAM from the boot untypeds). */
void ExQueryBasicInformation(SYSTEM_BASIC_INFORMATION *Info);
