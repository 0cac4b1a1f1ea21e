/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The executive support component (ex/): system information today;
 * events, semaphores, mutants and timers later. The pool is mm's
 * (ExAllocatePoolWithTag in mm.h).
 */
#pragma once

#include <ntos.h>
#include <nt/sysinfo.h>

/* The kernel's boot information, as ntos received it (read-only; NULL
 * before start-up). Implemented by ke/bootinfo.c; FIXME: declare it in
 * ke.h once that header is free to edit. */
const seL4_BootInfo *KeQueryBootInfo(void);

/* NtQuerySystemInformation's classes and records: include/nt/sysinfo.h. */

/* The SystemBasicInformation record (RAM from the boot untypeds). */
void ExQueryBasicInformation(SYSTEM_BASIC_INFORMATION *Info);

/* ---- executive objects that programs wait for (ex/event.c, mutant.c,
 * semaphore.c, timer.c, keyedevent.c); their waits are ke's (ke.h). ---- */

#define EVENT_QUERY_STATE      0x0001u
#define EVENT_MODIFY_STATE     0x0002u
#define MUTANT_QUERY_STATE     0x0001u
#define SEMAPHORE_QUERY_STATE  0x0001u
#define SEMAPHORE_MODIFY_STATE 0x0002u
#define TIMER_QUERY_STATE      0x0001u
#define TIMER_MODIFY_STATE     0x0002u
#define KEYEDEVENT_WAIT        0x0001u
#define KEYEDEVENT_WAKE        0x0002u

struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *ExEventObjectType, *ExMutantObjectType, *ExSemaphoreObjectType,
    *ExTimerObjectType, *ExKeyedEventObjectType;

/* Create the types and the system's keyed event (boot; later calls do
 * nothing). STATUS_NO_MEMORY / INSUFFICIENT_RESOURCES. */
NTSTATUS ExInitializeSynchronization(void);

/* The "signal" half of NtSignalAndWaitForSingleObject: set an event,
 * release a semaphore once or a mutant the caller owns. GrantedAccess is
 * the handle's: EVENT_MODIFY_STATE, SEMAPHORE_MODIFY_STATE or SYNCHRONIZE
 * (mutant) is needed. STATUS_OBJECT_TYPE_MISMATCH for other objects,
 * STATUS_ACCESS_DENIED, MUTANT_NOT_OWNED, SEMAPHORE_LIMIT_EXCEEDED. */
NTSTATUS ExSignalObject(PVOID Object, ACCESS_MASK GrantedAccess);
