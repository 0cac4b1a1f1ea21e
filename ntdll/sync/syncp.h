/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll's locks (ntdll/sync/): the calling thread's id
 * and the two keyed-event operations every lock sleeps with. A lock waits
 * on the system's keyed event (NULL handle) under a key derived from its
 * own address: a lock's address plus 0, 2, 4 or 6 (every lock is at least
 * 8 bytes and 8-aligned, so two locks never share a key, and keys stay
 * even as NtWaitForKeyedEvent requires). A release pairs with exactly one
 * wait: NtReleaseKeyedEvent blocks until a thread waits on the key, so a
 * thread that has announced itself as a waiter in the lock word must wait.
 */
#pragma once

#include "../ntdllp.h"
#include <ntsvc.h>

static inline HANDLE RtlpCurrentThreadId(void)
{
    return NtdllpCurrentTeb()->ClientId.UniqueThread;
}

static inline PVOID RtlpLockKey(const void *Lock, ULONG Which)
{
    return (PVOID)((ULONG_PTR)Lock + 2 * Which);
}

/* Sleep until a release of Key (Timeout NULL: no limit). */
NTSTATUS RtlpWaitOnKey(PVOID Key, LARGE_INTEGER *Timeout);
/* Wake one thread sleeping (or about to sleep) on Key. */
VOID RtlpReleaseKey(PVOID Key);
