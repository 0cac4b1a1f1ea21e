/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/ring.c: the runtime's ends of the rings of include/nt/iohost.h. The
 * runtime consumes requests and produces completions; it trusts nothing in
 * the header beyond bounds checks (ntos writes it, a stray driver write can
 * corrupt it).
 */

#include "iop.h"

#include <sel4/sel4.h>

NTSYSAPI NTSTATUS NTAPI NtYieldExecution(VOID);

BOOLEAN IopHostless;

/* The host lock: recursive, owned by a thread (its TEB). */
static volatile LONG64 IopHostLockOwner;
static ULONG IopHostLockDepth;

VOID IopAcquireHostLock(VOID)
{
    LONG64 Self = (LONG64)(ULONG_PTR)KrnlCurrentTeb();

    if (IopHostLockOwner == Self) {
        IopHostLockDepth++;
        return;
    }
    /* The holder may be preempted: give it the processor rather than spin. */
    while (InterlockedCompareExchange64(&IopHostLockOwner, Self, 0) != 0)
        NtYieldExecution();
    IopHostLockDepth = 1;
}

VOID IopReleaseHostLock(VOID)
{
    ASSERT(IopHostLockOwner == (LONG64)(ULONG_PTR)KrnlCurrentTeb());
    if (--IopHostLockDepth == 0)
        InterlockedExchange64(&IopHostLockOwner, 0);
}

static IO_HOST_RING_HEADER *IopRingHeader(VOID)
{
    return (IO_HOST_RING_HEADER *)(ULONG_PTR)IopHostInfo.RingBase;
}

/* The header's slot arrays must lie inside the ring area: ntos sets them
 * once; checking them on every use costs little and keeps a corrupted
 * header from sending the runtime outside its mapping. */
static BOOLEAN IopRingArrayValid(ULONG Offset, ULONG Count, SIZE_T Slot)
{
    if (Count == 0 || (Count & (Count - 1)) != 0)
        return FALSE;
    return Offset <= IopHostInfo.RingSize && (ULONG64)Count * Slot <= IopHostInfo.RingSize - Offset;
}

VOID IopPostCompletion(ULONG64 Id, NTSTATUS Status, ULONG64 Information, ULONG64 Cookie)
{
    IO_HOST_RING_HEADER *Header = IopRingHeader();
    IO_HOST_COMPLETION *Slot;
    ULONG Tail, Count = Header->CompletionCount;

    if (!IopRingArrayValid(Header->CompletionOffset, Count, sizeof(IO_HOST_COMPLETION))) {
        DbgPrint("completion ring header is corrupt\n");
        return;
    }
    IopAcquireHostLock();
    Tail = Header->CompletionTail;
    /* Full: ntos drains completions from its loop; give it the processor.
     * (The self-test's ring has nobody to drain it: it loses the record.) */
    while (Tail - __atomic_load_n(&Header->CompletionHead, __ATOMIC_ACQUIRE) >= Count) {
        if (IopHostless) {
            DbgPrint("completion ring full: record of Id 0x%llx lost\n", Id);
            IopReleaseHostLock();
            return;
        }
        NtYieldExecution();
    }
    Slot = (IO_HOST_COMPLETION *)(ULONG_PTR)(IopHostInfo.RingBase + Header->CompletionOffset) +
           (Tail & (Count - 1));
    Slot->Id = Id;
    Slot->Status = Status;
    Slot->Reserved = 0;
    Slot->Information = Information;
    Slot->Cookie = Cookie;
    __atomic_store_n(&Header->CompletionTail, Tail + 1, __ATOMIC_RELEASE);
    if (!IopHostless)
        seL4_Signal((seL4_CPtr)IopHostInfo.NtosNotification);
    IopReleaseHostLock();
}

VOID IopReportDeviceFlags(PDEVICE_OBJECT Device)
{
    /* xcall: the high half tells ntos the alignment (iohost.h). */
    IopPostCompletion(IO_HOST_ID_DEVICE_FLAGS, STATUS_SUCCESS,
                      Device->Flags | (ULONG64)Device->AlignmentRequirement << 32,
                      (ULONG64)(ULONG_PTR)Device);
}

BOOLEAN IopTakeRequest(IO_HOST_REQUEST *Request)
{
    IO_HOST_RING_HEADER *Header = IopRingHeader();
    IO_HOST_REQUEST *Slot;
    ULONG Head = Header->RequestHead, Count = Header->RequestCount;

    if (!IopRingArrayValid(Header->RequestOffset, Count, sizeof(IO_HOST_REQUEST)))
        return FALSE;
    if (Head == __atomic_load_n(&Header->RequestTail, __ATOMIC_ACQUIRE))
        return FALSE;
    Slot = (IO_HOST_REQUEST *)(ULONG_PTR)(IopHostInfo.RingBase + Header->RequestOffset) +
           (Head & (Count - 1));
    *Request = *Slot;
    __atomic_store_n(&Header->RequestHead, Head + 1, __ATOMIC_RELEASE);
    return TRUE;
}

/* On the notification, or (once a call thread drains the ring: xcall.c)
 * on the queue it fills. */
VOID IopWaitForRequests(VOID)
{
    IopWaitForQueuedRequests();
}

VOID IopReportDriverEntry(NTSTATUS Status)
{
    ULONG64 Flags = 0;

    if (NT_SUCCESS(Status) && IopDriverObject != NULL) {
        IopReportNewDevices(TRUE);
        /* pnp: a WDM driver gets a root PDO (iohost.h). */
        if (IopDriverObject->DriverExtension->AddDevice != NULL)
            Flags |= IO_HOST_ENTRY_ADD_DEVICE;
        if (IopDriverObject->DriverUnload != NULL)
            Flags |= IO_HOST_ENTRY_UNLOAD;
    }
    IopPostCompletion(IOP_DRIVER_ENTRY_ID, Status, Flags, 0);
}
