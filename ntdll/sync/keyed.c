/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two keyed-event operations behind every contended lock of
 * ntdll/sync/ (syncp.h explains the keys). Both go to the system's keyed
 * event, services 54/55 with a NULL handle. A release that fails can only
 * mean the caller broke the lock's protocol: its status is raised, as
 * Windows does.
 */
#include "syncp.h"

VOID NTAPI RtlRaiseStatus(NTSTATUS Status);

NTSTATUS RtlpWaitOnKey(PVOID Key, LARGE_INTEGER *Timeout)
{
    return NtWaitForKeyedEvent(NULL, Key, FALSE, Timeout);
}

VOID RtlpReleaseKey(PVOID Key)
{
    NTSTATUS Status = NtReleaseKeyedEvent(NULL, Key, FALSE, NULL);

    if (!NT_SUCCESS(Status)) {
        DbgPrint("SYNC: releasing key %p failed: 0x%08x\n", Key, Status);
        RtlRaiseStatus(Status);
    }
}
