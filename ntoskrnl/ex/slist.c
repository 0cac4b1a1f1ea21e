/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interlocked singly linked lists (SLIST_HEADER, amd64 layout: Depth in
 * the low 16 bits of the first word, the first entry's address >> 4 in the
 * second word's bits 4-63), which the ddk's inline lookaside routines use
 * through ExpInterlockedPop/PushEntrySList and ExQueryDepthSList. A header
 * changes under one runtime lock (ExpSListLock) instead of a 16-byte
 * compare-exchange: short, and free of the ABA problem.
 */
#include "ntoskrnl.h"

static KSPIN_LOCK ExpSListLock;

static VOID ExpLockSList(VOID)
{
    while (InterlockedCompareExchange64((LONG64 volatile *)&ExpSListLock, 1, 0) != 0)
        NtYieldExecution();
}

static VOID ExpUnlockSList(VOID)
{
    InterlockedExchange64((LONG64 volatile *)&ExpSListLock, 0);
}

static PSLIST_ENTRY ExpFirst(PSLIST_HEADER Head)
{
    return (PSLIST_ENTRY)(ULONG_PTR)(Head->Region & ~(ULONGLONG)15);
}

static VOID ExpSetFirst(PSLIST_HEADER Head, PSLIST_ENTRY Entry, LONG DepthChange)
{
    ULONGLONG Depth = (Head->Alignment & 0xFFFF) + DepthChange;
    ULONGLONG Sequence = ((Head->Alignment >> 16) + 1) & 0xFFFFFFFFFFFFull;

    Head->Alignment = (Sequence << 16) | (Depth & 0xFFFF);
    Head->Region = (ULONGLONG)(ULONG_PTR)Entry | (Head->Region & 15);
}

NTKRNL_EXPORT PSLIST_ENTRY NTAPI ExpInterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    PSLIST_ENTRY Entry;

    ExpLockSList();
    Entry = ExpFirst(ListHead);
    if (Entry)
        ExpSetFirst(ListHead, Entry->Next, -1);
    ExpUnlockSList();
    return Entry;
}

NTKRNL_EXPORT PSLIST_ENTRY NTAPI ExpInterlockedPushEntrySList(PSLIST_HEADER ListHead,
                                                              PSLIST_ENTRY ListEntry)
{
    PSLIST_ENTRY Old;

    ExpLockSList();
    Old = ExpFirst(ListHead);
    ListEntry->Next = Old;
    ExpSetFirst(ListHead, ListEntry, 1);
    ExpUnlockSList();
    return Old;
}

NTKRNL_EXPORT PSLIST_ENTRY NTAPI ExpInterlockedFlushSList(PSLIST_HEADER ListHead)
{
    PSLIST_ENTRY Old;

    ExpLockSList();
    Old = ExpFirst(ListHead);
    ExpSetFirst(ListHead, NULL, -(LONG)(ListHead->Alignment & 0xFFFF));
    ExpUnlockSList();
    return Old;
}

NTKRNL_EXPORT USHORT NTAPI ExQueryDepthSList(PSLIST_HEADER SListHead)
{
    return (USHORT)(SListHead->Alignment & 0xFFFF);
}

/* A function, not the inline, for amd64 drivers (wdm.h declares it imported
 * under _NTDDK_/_NTHAL_). */
NTKRNL_EXPORT VOID InitializeSListHead(PSLIST_HEADER SListHead)
{
    if ((ULONG_PTR)SListHead & 15)
        ExRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
    SListHead->Alignment = 0;
    SListHead->Region = 0;
}
