/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process-wide locks of ntdll: the loader lock (Peb->LoaderLock), held
 * while the module list changes and while DllMain and TLS callbacks run,
 * and the PEB lock (Peb->FastPebLock), held while the process parameters
 * (the current directory, the environment) are read or changed. Both are
 * critical sections, so they nest for their owner. Exported as Windows
 * does: LdrLockLoaderLock / LdrUnlockLoaderLock, RtlAcquirePebLock /
 * RtlReleasePebLock.
 */
#include "ldrp.h"

static RTL_CRITICAL_SECTION LdrpLoaderLock;
static RTL_CRITICAL_SECTION RtlpPebLock;

VOID LdrpInitializeLocks(PPEB Peb)
{
    RtlInitializeCriticalSection(&LdrpLoaderLock);
    RtlInitializeCriticalSection(&RtlpPebLock);
    Peb->LoaderLock = &LdrpLoaderLock;
    Peb->FastPebLock = &RtlpPebLock;
}

VOID LdrpAcquireLoaderLock(void)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
}

VOID LdrpReleaseLoaderLock(void)
{
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

VOID NTAPI RtlAcquirePebLock(void)
{
    RtlEnterCriticalSection(&RtlpPebLock);
}

VOID NTAPI RtlReleasePebLock(void)
{
    RtlLeaveCriticalSection(&RtlpPebLock);
}

/* Flags: LDR_LOCK_LOADER_LOCK_FLAG_TRY_ONLY (2) only tries (Disposition 2:
 * busy); bit 0 (raise on error) changes nothing without exceptions.
 * Disposition: 1 acquired, 2 not acquired. Cookie: the owner's thread id,
 * which LdrUnlockLoaderLock checks. */
NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PULONG_PTR Cookie)
{
    if (Flags & ~3u)
        return STATUS_INVALID_PARAMETER_1;
    if (!Cookie || ((Flags & 2) && !Disposition))
        return (Flags & 2) && !Disposition ? STATUS_INVALID_PARAMETER_2
                                           : STATUS_INVALID_PARAMETER_3;
    *Cookie = 0;
    if (Disposition)
        *Disposition = 0;
    if (Flags & 2) {
        if (!RtlTryEnterCriticalSection(&LdrpLoaderLock)) {
            *Disposition = 2;
            return STATUS_SUCCESS;
        }
    } else {
        RtlEnterCriticalSection(&LdrpLoaderLock);
    }
    if (Disposition)
        *Disposition = 1;
    *Cookie = (ULONG_PTR)NtdllpCurrentTeb()->ClientId.UniqueThread;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, ULONG_PTR Cookie)
{
    if (Flags & ~1u)
        return STATUS_INVALID_PARAMETER_1;
    if (!Cookie)
        return STATUS_SUCCESS;
    if (Cookie != (ULONG_PTR)NtdllpCurrentTeb()->ClientId.UniqueThread)
        return STATUS_INVALID_PARAMETER_2;
    return RtlLeaveCriticalSection(&LdrpLoaderLock);
}
