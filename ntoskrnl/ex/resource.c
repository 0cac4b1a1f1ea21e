/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ERESOURCE: a reader/writer lock with recursion on both sides. State,
 * under the resource's own SpinLock: ActiveCount (acquisitions held: by
 * the exclusive owner, or by all shared owners), Flag's
 * ResourceOwnedExclusive bit with OwnerEntry.OwnerThread, and OwnerTable,
 * an array of (thread, count) for the shared owners (its capacity in
 * Reserved2). Waiters sleep on ExclusiveWaiters (a synchronization event)
 * or SharedWaiters (a semaphore), both made at initialisation. A release
 * that frees the resource hands it on: to one exclusive waiter first
 * (marking it owned exclusive for whoever wakes), else to every shared
 * waiter at once. New shared requests wait behind exclusive waiters
 * (ExAcquireSharedStarveExclusive does not), unless the caller already
 * holds the resource.
 */
#include "ntoskrnl.h"

#define EXP_RESOURCE_TAG 0x73655245u /* "ERes" */
#define EXP_HANDED_OFF   ((ERESOURCE_THREAD)1)

static ERESOURCE_THREAD ExpSelf(VOID)
{
    return (ERESOURCE_THREAD)KiCurrentThread();
}

NTKRNL_EXPORT NTSTATUS NTAPI ExInitializeResourceLite(PERESOURCE Resource)
{
    memset(Resource, 0, sizeof(*Resource));
    InitializeListHead(&Resource->SystemResourcesList);
    Resource->ExclusiveWaiters =
        ExAllocatePoolWithTag(NonPagedPool, sizeof(KEVENT), EXP_RESOURCE_TAG);
    Resource->SharedWaiters =
        ExAllocatePoolWithTag(NonPagedPool, sizeof(KSEMAPHORE), EXP_RESOURCE_TAG);
    if (!Resource->ExclusiveWaiters || !Resource->SharedWaiters) {
        if (Resource->ExclusiveWaiters)
            ExFreePoolWithTag(Resource->ExclusiveWaiters, EXP_RESOURCE_TAG);
        if (Resource->SharedWaiters)
            ExFreePoolWithTag(Resource->SharedWaiters, EXP_RESOURCE_TAG);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KeInitializeEvent(Resource->ExclusiveWaiters, SynchronizationEvent, FALSE);
    KeInitializeSemaphore(Resource->SharedWaiters, 0, MAXLONG);
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI ExDeleteResourceLite(PERESOURCE Resource)
{
    if (Resource->OwnerTable)
        ExFreePoolWithTag(Resource->OwnerTable, EXP_RESOURCE_TAG);
    if (Resource->ExclusiveWaiters)
        ExFreePoolWithTag(Resource->ExclusiveWaiters, EXP_RESOURCE_TAG);
    if (Resource->SharedWaiters)
        ExFreePoolWithTag(Resource->SharedWaiters, EXP_RESOURCE_TAG);
    memset(Resource, 0, sizeof(*Resource));
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI ExReinitializeResourceLite(PERESOURCE Resource)
{
    ExDeleteResourceLite(Resource);
    return ExInitializeResourceLite(Resource);
}

/* Under the lock: Thread's entry among the shared owners (made if Create). */
static POWNER_ENTRY ExpSharedEntry(PERESOURCE Resource, ERESOURCE_THREAD Thread, BOOLEAN Create)
{
    ULONG Capacity = (ULONG)(ULONG_PTR)Resource->Reserved2;
    POWNER_ENTRY Free = NULL, Table;

    for (ULONG i = 0; i < Capacity; i++) {
        if (Resource->OwnerTable[i].OwnerThread == Thread)
            return &Resource->OwnerTable[i];
        if (!Free && Resource->OwnerTable[i].OwnerThread == 0)
            Free = &Resource->OwnerTable[i];
    }
    if (!Create || Free)
        return Free && Create ? (Free->OwnerThread = Thread, Free->OwnerCount = 0, Free) : NULL;
    Table =
        ExAllocatePoolWithTag(NonPagedPool, (Capacity + 8) * sizeof(OWNER_ENTRY), EXP_RESOURCE_TAG);
    if (!Table)
        KeBugCheckEx(NO_MORE_SYSTEM_PTES, 2, (ULONG_PTR)Resource, 0, 0);
    memset(Table, 0, (Capacity + 8) * sizeof(OWNER_ENTRY));
    if (Capacity) {
        memcpy(Table, Resource->OwnerTable, Capacity * sizeof(OWNER_ENTRY));
        ExFreePoolWithTag(Resource->OwnerTable, EXP_RESOURCE_TAG);
    }
    Resource->OwnerTable = Table;
    Resource->Reserved2 = (PVOID)(ULONG_PTR)(Capacity + 8);
    Table[Capacity].OwnerThread = Thread;
    Table[Capacity].OwnerCount = 0;
    return &Table[Capacity];
}

/* Under the lock, when ActiveCount reached 0: give the resource to the waiters. */
static VOID ExpGrantWaiters(PERESOURCE Resource)
{
    if (Resource->NumberOfExclusiveWaiters) {
        Resource->NumberOfExclusiveWaiters--;
        Resource->Flag |= ResourceOwnedExclusive;
        Resource->OwnerEntry.OwnerThread = EXP_HANDED_OFF;
        Resource->ActiveCount = 1;
        KeSetEvent(Resource->ExclusiveWaiters, 0, FALSE);
    } else if (Resource->NumberOfSharedWaiters) {
        LONG Count = (LONG)Resource->NumberOfSharedWaiters;
        Resource->NumberOfSharedWaiters = 0;
        Resource->ActiveCount = (SHORT)Count;
        KeReleaseSemaphore(Resource->SharedWaiters, 0, Count, FALSE);
    }
}

NTKRNL_EXPORT BOOLEAN NTAPI ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait)
{
    ERESOURCE_THREAD Self = ExpSelf();
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);

    if (Resource->ActiveCount == 0) {
        Resource->Flag |= ResourceOwnedExclusive;
        Resource->OwnerEntry.OwnerThread = Self;
        Resource->ActiveCount = 1;
    } else if ((Resource->Flag & ResourceOwnedExclusive) &&
               Resource->OwnerEntry.OwnerThread == Self) {
        Resource->ActiveCount++;
    } else if (!Wait) {
        KeReleaseSpinLock(&Resource->SpinLock, Irql);
        return FALSE;
    } else {
        Resource->NumberOfExclusiveWaiters++;
        Resource->ContentionCount++;
        KeReleaseSpinLock(&Resource->SpinLock, Irql);
        KeWaitForSingleObject(Resource->ExclusiveWaiters, Executive, KernelMode, FALSE, NULL);
        Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
        Resource->OwnerEntry.OwnerThread = Self; /* handed to us by the releaser */
    }
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    return TRUE;
}

static BOOLEAN ExpAcquireShared(PERESOURCE Resource, BOOLEAN Wait, BOOLEAN StarveExclusive)
{
    ERESOURCE_THREAD Self = ExpSelf();
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
    POWNER_ENTRY Entry;

    if ((Resource->Flag & ResourceOwnedExclusive) && Resource->OwnerEntry.OwnerThread == Self) {
        Resource->ActiveCount++; /* the exclusive owner may take it shared too */
        goto granted;
    }
    if (!(Resource->Flag & ResourceOwnedExclusive)) {
        Entry = ExpSharedEntry(Resource, Self, FALSE);
        if (Entry || Resource->ActiveCount == 0 || StarveExclusive ||
            Resource->NumberOfExclusiveWaiters == 0) {
            Entry = ExpSharedEntry(Resource, Self, TRUE);
            Entry->OwnerCount++;
            Resource->ActiveCount++;
            goto granted;
        }
    }
    if (!Wait) {
        KeReleaseSpinLock(&Resource->SpinLock, Irql);
        return FALSE;
    }
    Resource->NumberOfSharedWaiters++;
    Resource->ContentionCount++;
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    KeWaitForSingleObject(Resource->SharedWaiters, Executive, KernelMode, FALSE, NULL);
    Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
    /* The releaser counted us in ActiveCount already. */
    ExpSharedEntry(Resource, Self, TRUE)->OwnerCount++;
granted:
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    return TRUE;
}

NTKRNL_EXPORT BOOLEAN NTAPI ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, FALSE);
}

NTKRNL_EXPORT BOOLEAN NTAPI ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, TRUE);
}

NTKRNL_EXPORT BOOLEAN NTAPI ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, FALSE);
}

NTKRNL_EXPORT VOID NTAPI ExReleaseResourceForThreadLite(PERESOURCE Resource,
                                                        ERESOURCE_THREAD ResourceThreadId)
{
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
    POWNER_ENTRY Entry;

    if (Resource->Flag & ResourceOwnedExclusive) {
        if (Resource->OwnerEntry.OwnerThread != ResourceThreadId)
            goto not_owned;
        if (--Resource->ActiveCount == 0) {
            Resource->Flag &= ~ResourceOwnedExclusive;
            Resource->OwnerEntry.OwnerThread = 0;
        }
    } else {
        Entry = ExpSharedEntry(Resource, ResourceThreadId, FALSE);
        if (!Entry)
            goto not_owned;
        if (--Entry->OwnerCount == 0)
            Entry->OwnerThread = 0;
        Resource->ActiveCount--;
    }
    if (Resource->ActiveCount == 0)
        ExpGrantWaiters(Resource);
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    return;
not_owned:
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    KeBugCheckEx(RESOURCE_NOT_OWNED, (ULONG_PTR)Resource, ResourceThreadId, 0, 0);
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseResourceLite(PERESOURCE Resource)
{
    ExReleaseResourceForThreadLite(Resource, ExpSelf());
}

NTKRNL_EXPORT VOID FASTCALL ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource)
{
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

NTKRNL_EXPORT PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(Resource, TRUE);
    return KiCurrentThread()->Teb;
}

NTKRNL_EXPORT PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(Resource, TRUE);
    return KiCurrentThread()->Teb;
}

NTKRNL_EXPORT BOOLEAN NTAPI ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource)
{
    return (Resource->Flag & ResourceOwnedExclusive) &&
           Resource->OwnerEntry.OwnerThread == ExpSelf();
}

/* How many times the caller holds the resource (shared or exclusive). */
NTKRNL_EXPORT ULONG NTAPI ExIsResourceAcquiredSharedLite(PERESOURCE Resource)
{
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
    ULONG Count = 0;
    POWNER_ENTRY Entry;

    if (Resource->Flag & ResourceOwnedExclusive) {
        if (Resource->OwnerEntry.OwnerThread == ExpSelf())
            Count = Resource->ActiveCount;
    } else if ((Entry = ExpSharedEntry(Resource, ExpSelf(), FALSE)) != NULL) {
        Count = Entry->OwnerCount;
    }
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
    return Count;
}

NTKRNL_EXPORT VOID NTAPI ExConvertExclusiveToSharedLite(PERESOURCE Resource)
{
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(&Resource->SpinLock);
    ERESOURCE_THREAD Owner = Resource->OwnerEntry.OwnerThread;

    if ((Resource->Flag & ResourceOwnedExclusive) && Owner == ExpSelf()) {
        Resource->Flag &= ~ResourceOwnedExclusive;
        Resource->OwnerEntry.OwnerThread = 0;
        ExpSharedEntry(Resource, Owner, TRUE)->OwnerCount = Resource->ActiveCount;
        if (Resource->NumberOfSharedWaiters) {
            LONG Count = (LONG)Resource->NumberOfSharedWaiters;
            Resource->NumberOfSharedWaiters = 0;
            Resource->ActiveCount += (SHORT)Count;
            KeReleaseSemaphore(Resource->SharedWaiters, 0, Count, FALSE);
        }
    }
    KeReleaseSpinLock(&Resource->SpinLock, Irql);
}

NTKRNL_EXPORT ULONG NTAPI ExGetExclusiveWaiterCount(PERESOURCE Resource)
{
    return Resource->NumberOfExclusiveWaiters;
}

NTKRNL_EXPORT ULONG NTAPI ExGetSharedWaiterCount(PERESOURCE Resource)
{
    return Resource->NumberOfSharedWaiters;
}
