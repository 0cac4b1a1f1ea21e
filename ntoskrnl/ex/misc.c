/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small executive routines: the previous mode, raising exceptions, the
 * ExInterlocked list routines (their spin lock serialises the list, as on
 * NT; nothing here can be interrupted, so no interrupts are held off).
 */
#include "ntoskrnl.h"

NTSYSAPI VOID NTAPI RtlRaiseStatus(NTSTATUS Status);

NTKRNL_EXPORT KPROCESSOR_MODE NTAPI ExGetPreviousMode(VOID)
{
    return KiCurrentThread()->PreviousMode;
}

NTKRNL_EXPORT KPROCESSOR_MODE NTAPI PsGetCurrentThreadPreviousMode(VOID)
{
    return KiCurrentThread()->PreviousMode;
}

NTKRNL_EXPORT DECLSPEC_NORETURN VOID NTAPI ExRaiseStatus(NTSTATUS Status)
{
    RtlRaiseStatus(Status);
    for (;;)
        NtYieldExecution();
}

NTKRNL_EXPORT DECLSPEC_NORETURN VOID NTAPI ExRaiseAccessViolation(VOID)
{
    ExRaiseStatus(STATUS_ACCESS_VIOLATION);
}

NTKRNL_EXPORT DECLSPEC_NORETURN VOID NTAPI ExRaiseDatatypeMisalignment(VOID)
{
    ExRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
}

/* ---- ExInterlocked lists ----------------------------------------------------------- */

#undef ExInterlockedInsertHeadList
#undef ExInterlockedInsertTailList
#undef ExInterlockedRemoveHeadList
#undef ExInterlockedPopEntryList
#undef ExInterlockedPushEntryList
#undef ExInterlockedAddUlong

NTKRNL_EXPORT PLIST_ENTRY NTAPI ExInterlockedInsertHeadList(PLIST_ENTRY ListHead,
                                                            PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock)
{
    PLIST_ENTRY First;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    First = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
    InsertHeadList(ListHead, ListEntry);
    KeReleaseSpinLock(Lock, Irql);
    return First;
}

NTKRNL_EXPORT PLIST_ENTRY NTAPI ExInterlockedInsertTailList(PLIST_ENTRY ListHead,
                                                            PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock)
{
    PLIST_ENTRY Last;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    Last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
    InsertTailList(ListHead, ListEntry);
    KeReleaseSpinLock(Lock, Irql);
    return Last;
}

NTKRNL_EXPORT PLIST_ENTRY NTAPI ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
    PLIST_ENTRY First = NULL;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    if (!IsListEmpty(ListHead))
        First = RemoveHeadList(ListHead);
    KeReleaseSpinLock(Lock, Irql);
    return First;
}

NTKRNL_EXPORT PSINGLE_LIST_ENTRY NTAPI ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                                 PKSPIN_LOCK Lock)
{
    PSINGLE_LIST_ENTRY First;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    First = ListHead->Next;
    if (First)
        ListHead->Next = First->Next;
    KeReleaseSpinLock(Lock, Irql);
    return First;
}

NTKRNL_EXPORT PSINGLE_LIST_ENTRY NTAPI ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                                  PSINGLE_LIST_ENTRY ListEntry,
                                                                  PKSPIN_LOCK Lock)
{
    PSINGLE_LIST_ENTRY First;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    First = ListHead->Next;
    ListEntry->Next = First;
    ListHead->Next = ListEntry;
    KeReleaseSpinLock(Lock, Irql);
    return First;
}

NTKRNL_EXPORT ULONG NTAPI ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock)
{
    ULONG Old;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    Old = *Addend;
    *Addend = Old + Increment;
    KeReleaseSpinLock(Lock, Irql);
    return Old;
}

NTKRNL_EXPORT LARGE_INTEGER NTAPI ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend,
                                                               LARGE_INTEGER Increment,
                                                               PKSPIN_LOCK Lock)
{
    LARGE_INTEGER Old;
    KIRQL Irql = KeAcquireSpinLockRaiseToDpc(Lock);

    Old = *Addend;
    Addend->QuadPart = Old.QuadPart + Increment.QuadPart;
    KeReleaseSpinLock(Lock, Irql);
    return Old;
}

/* The x86 (FASTCALL) names, which some import tables carry. */
NTKRNL_EXPORT PLIST_ENTRY FASTCALL ExfInterlockedInsertHeadList(PLIST_ENTRY ListHead,
                                                                PLIST_ENTRY ListEntry,
                                                                PKSPIN_LOCK Lock)
{
    return ExInterlockedInsertHeadList(ListHead, ListEntry, Lock);
}

NTKRNL_EXPORT PLIST_ENTRY FASTCALL ExfInterlockedInsertTailList(PLIST_ENTRY ListHead,
                                                                PLIST_ENTRY ListEntry,
                                                                PKSPIN_LOCK Lock)
{
    return ExInterlockedInsertTailList(ListHead, ListEntry, Lock);
}

NTKRNL_EXPORT PLIST_ENTRY FASTCALL ExfInterlockedRemoveHeadList(PLIST_ENTRY ListHead,
                                                                PKSPIN_LOCK Lock)
{
    return ExInterlockedRemoveHeadList(ListHead, Lock);
}

NTKRNL_EXPORT PSINGLE_LIST_ENTRY FASTCALL ExfInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                                     PKSPIN_LOCK Lock)
{
    return ExInterlockedPopEntryList(ListHead, Lock);
}

NTKRNL_EXPORT PSINGLE_LIST_ENTRY FASTCALL ExfInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                                      PSINGLE_LIST_ENTRY ListEntry,
                                                                      PKSPIN_LOCK Lock)
{
    return ExInterlockedPushEntryList(ListHead, ListEntry, Lock);
}

NTKRNL_EXPORT ULONG FASTCALL ExfInterlockedAddUlong(PULONG Addend, ULONG Increment,
                                                    PKSPIN_LOCK Lock)
{
    return ExInterlockedAddUlong(Addend, Increment, Lock);
}
