/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ex/: the object types of the synchronisation objects
 * and the steps their services share (creation, opening by name, the
 * query classes).
 */
#pragma once

#include <ntos.h>
#include <ex.h>
#include <ke.h>
#include <mm.h>
#include <ob.h>
#include <svc.h>
#include <limits.h>

#include "ntsvc.h"

#define EXP_EVENT_TAG     0x76657645 /* 'Eeve' */
#define EXP_MUTANT_TAG    0x74754d45 /* 'EMut' */
#define EXP_SEMAPHORE_TAG 0x6d655345 /* 'ESem' */
#define EXP_TIMER_TAG     0x6d695445 /* 'ETim' */
#define EXP_KEYED_TAG     0x79654b45 /* 'EKey' */

/* Each file's type initialisation (once, from ExInitializeSynchronization). */
NTSTATUS ExpInitializeEvent(void);
NTSTATUS ExpInitializeMutant(void);
NTSTATUS ExpInitializeSemaphore(void);
NTSTATUS ExpInitializeTimer(void);
NTSTATUS ExpInitializeKeyedEvent(void);

/* A query's checks in Windows' order, before the handle: class 0 only
 * (INVALID_INFO_CLASS), Length == Size exactly (INFO_LENGTH_MISMATCH), then
 * the buffer (services.def: probe=handler), ULONG-aligned
 * (DATATYPE_MISALIGNMENT) and writable (ACCESS_VIOLATION). */
NTSTATUS ExpCheckQuery(ULONG Class, USER_BUFFER Buffer, ULONG Length, ULONG Size);
/* Copy Record (Size bytes) to the caller's Buffer; *ReturnLength = Size. */
NTSTATUS ExpReturnQuery(const void *Record, ULONG Size, USER_BUFFER Buffer, ULONG *ReturnLength);

/* ps's classes of NtQuerySystemInformation (ex/sysproc.c): processor (1),
 * time of day (3), processes and threads (5); STATUS_INVALID_INFO_CLASS for
 * any other class (sysinfo.c then tries its own). */
NTSTATUS ExpQueryProcessClasses(ULONG Class, USER_BUFFER Buffer, ULONG Length, ULONG *ReturnLength);
