/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processors, affinity, priorities, floating point. A driver process sees
 * one processor (ntos runs on one CPU): processor 0, affinity mask 1. The
 * priorities drivers give their threads are recorded and reported back;
 * ntos schedules the driver's threads by its own priorities (FIXME: pass
 * them on with NtSetInformationThread). The floating-point state of an NT
 * thread is its own and survives every switch, so saving and restoring it
 * around kernel floating-point use needs nothing.
 */
#include "ntoskrnl.h"

#define KI_DEFAULT_PRIORITY 8 /* NT's normal priority */

NTKRNL_EXPORT volatile CCHAR KeNumberProcessors = 1;

NTKRNL_EXPORT KAFFINITY NTAPI KeQueryActiveProcessors(VOID)
{
    return 1;
}

NTKRNL_EXPORT ULONG NTAPI KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
    if (ActiveProcessors)
        *ActiveProcessors = 1;
    return 1;
}

NTKRNL_EXPORT ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
    return GroupNumber == 0 || GroupNumber == ALL_PROCESSOR_GROUPS ? 1 : 0;
}

NTKRNL_EXPORT ULONG NTAPI KeQueryMaximumProcessorCount(VOID)
{
    return 1;
}

NTKRNL_EXPORT ULONG NTAPI KeQueryMaximumProcessorCountEx(USHORT GroupNumber)
{
    return KeQueryActiveProcessorCountEx(GroupNumber);
}

NTKRNL_EXPORT USHORT NTAPI KeQueryActiveGroupCount(VOID)
{
    return 1;
}

NTKRNL_EXPORT USHORT NTAPI KeGetCurrentNodeNumber(VOID)
{
    return 0;
}

NTKRNL_EXPORT ULONG NTAPI KeGetRecommendedSharedDataAlignment(VOID)
{
    return 64; /* a cache line */
}

/* Every thread may run on the one processor: affinity changes nothing. */
NTKRNL_EXPORT VOID NTAPI KeSetSystemAffinityThread(KAFFINITY Affinity)
{
}

NTKRNL_EXPORT KAFFINITY NTAPI KeSetSystemAffinityThreadEx(KAFFINITY Affinity)
{
    return 1;
}

NTKRNL_EXPORT VOID NTAPI KeRevertToUserAffinityThread(VOID)
{
}

NTKRNL_EXPORT VOID NTAPI KeRevertToUserAffinityThreadEx(KAFFINITY Affinity)
{
}

NTKRNL_EXPORT KPRIORITY NTAPI KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    KPRIORITY Old = Thread->Priority ? Thread->Priority : KI_DEFAULT_PRIORITY;

    Thread->Priority = Priority;
    return Old;
}

NTKRNL_EXPORT KPRIORITY NTAPI KeQueryPriorityThread(PKTHREAD Thread)
{
    return Thread->Priority ? Thread->Priority : KI_DEFAULT_PRIORITY;
}

NTKRNL_EXPORT LONG NTAPI KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment)
{
    LONG Old = Thread->BasePriorityIncrement;

    Thread->BasePriorityIncrement = Increment;
    return Old;
}

NTKRNL_EXPORT NTSTATUS NTAPI KeSaveFloatingPointState(PKFLOATING_SAVE FloatSave)
{
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT NTSTATUS NTAPI KeRestoreFloatingPointState(PKFLOATING_SAVE FloatSave)
{
    return STATUS_SUCCESS;
}

NTKRNL_EXPORT VOID NTAPI KeEnterGuardedRegion(VOID)
{
    KiCurrentThread()->CriticalRegion++;
}

NTKRNL_EXPORT VOID NTAPI KeLeaveGuardedRegion(VOID)
{
    KiCurrentThread()->CriticalRegion--;
}

/* Processor features as KUSER_SHARED_DATA lists them. */
NTKRNL_EXPORT BOOLEAN NTAPI ExIsProcessorFeaturePresent(ULONG ProcessorFeature)
{
    PKUSER_SHARED_DATA Data = (PKUSER_SHARED_DATA)0x7FFE0000;

    return ProcessorFeature < PROCESSOR_FEATURE_MAX && Data->ProcessorFeatures[ProcessorFeature];
}

/* The clock is UTC (KUSER_SHARED_DATA.TimeZoneBias is 0). */
NTKRNL_EXPORT VOID NTAPI ExSystemTimeToLocalTime(PLARGE_INTEGER SystemTime,
                                                 PLARGE_INTEGER LocalTime)
{
    *LocalTime = *SystemTime;
}

NTKRNL_EXPORT VOID NTAPI ExLocalTimeToSystemTime(PLARGE_INTEGER LocalTime,
                                                 PLARGE_INTEGER SystemTime)
{
    *SystemTime = *LocalTime;
}

/* The timer resolution is the clock tick; it cannot be changed. */
NTKRNL_EXPORT ULONG NTAPI ExSetTimerResolution(ULONG DesiredTime, BOOLEAN SetResolution)
{
    return KeQueryTimeIncrement();
}
