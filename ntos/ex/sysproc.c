/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NtQuerySystemInformation classes of processes, the processor and the
 * time of day (sysinfo.c asks here first): SystemProcessorInformation (1,
 * from CPUID), SystemTimeOfDayInformation (3: boot time = the system time
 * less the time since boot; the CMOS clock is UTC, so the bias is 0) and
 * SystemProcessInformation (5: ps's process list, PsQueryProcessList).
 */
#include <string.h>
#include <ntsvc.h>
#include <ex.h>
#include <ke.h>
#include <mm.h>
#include <ps.h>

#include "exp.h"

#define EXP_SYSINFO_TAG 0x6f666e49 /* 'Info' */

/* The classes and records: include/nt/sysinfo.h (through ex.h). */

#define PROCESSOR_ARCHITECTURE_AMD64 9

/* KF_* feature bits and the CPUID leaf 1 EDX bits they come from. */
static const struct {
    ULONG Feature, Edx;
} ExpFeatures[] = {
    {0x00000002, 1u << 4},  /* KF_RDTSC: TSC */
    {0x00000004, 1u << 3},  /* KF_CR4: PSE implies CR4 */
    {0x00000008, 1u << 15}, /* KF_CMOV */
    {0x00000010, 1u << 13}, /* KF_GLOBAL_PAGE: PGE */
    {0x00000020, 1u << 3},  /* KF_LARGE_PAGE: PSE */
    {0x00000040, 1u << 12}, /* KF_MTRR */
    {0x00000080, 1u << 8},  /* KF_CMPXCHG8B: CX8 */
    {0x00000100, 1u << 23}, /* KF_MMX */
    {0x00000400, 1u << 16}, /* KF_PAT */
    {0x00000800, 1u << 24}, /* KF_FXSR */
    {0x00001000, 1u << 11}, /* KF_FAST_SYSCALL: SEP */
    {0x00002000, 1u << 25}, /* KF_XMMI: SSE */
    {0x00010000, 1u << 26}, /* KF_XMMI64: SSE2 */
};

static void ExpCpuid(ULONG Leaf, ULONG *Eax, ULONG *Ebx, ULONG *Ecx, ULONG *Edx)
{
    __asm__ volatile("cpuid" : "=a"(*Eax), "=b"(*Ebx), "=c"(*Ecx), "=d"(*Edx) : "a"(Leaf), "c"(0));
}

static void ExpProcessorInformation(SYSTEM_PROCESSOR_INFORMATION *Info)
{
    ULONG Eax, Ebx, Ecx, Edx, Family, Model;

    ExpCpuid(1, &Eax, &Ebx, &Ecx, &Edx);
    /* Windows' level and revision: the family and model as CPUID
     * reports them with their extended parts, the stepping. */
    Family = (Eax >> 8) & 0xf;
    Model = (Eax >> 4) & 0xf;
    if (Family == 0xf)
        Family += (Eax >> 20) & 0xff;
    if (Family >= 6)
        Model |= ((Eax >> 16) & 0xf) << 4;
    memset(Info, 0, sizeof(*Info));
    Info->ProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    Info->ProcessorLevel = (USHORT)Family;
    Info->ProcessorRevision = (USHORT)((Model << 8) | (Eax & 0xf));
    Info->MaximumProcessors = 1; /* single core (DESIGN.md) */
    for (ULONG i = 0; i < ARRAYSIZE(ExpFeatures); i++) {
        if (Edx & ExpFeatures[i].Edx)
            Info->ProcessorFeatureBits |= ExpFeatures[i].Feature;
    }
}

static NTSTATUS ExpTimeOfDay(SYSTEM_TIMEOFDAY_INFORMATION *Info)
{
    NTSTATUS Status;

    memset(Info, 0, sizeof(*Info));
    Status = NtQuerySystemTime(&Info->CurrentTime);
    if (!NT_SUCCESS(Status))
        return Status;
    Info->BootTime.QuadPart = Info->CurrentTime.QuadPart - (LONGLONG)KeQueryInterruptTime();
    return STATUS_SUCCESS; /* TimeZoneBias 0, TimeZoneId 0: UTC, no zone */
}

static NTSTATUS ExpCopyOut(const void *Data, ULONG Size, USER_BUFFER Buffer)
{
    return MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, Data, Size);
}

static NTSTATUS ExpProcessList(USER_BUFFER Buffer, ULONG Length, ULONG *ReturnLength)
{
    ULONG Needed = PsQueryProcessList(NULL, 0, Buffer.Address);
    UCHAR *Block;
    NTSTATUS Status;

    if (ReturnLength)
        *ReturnLength = Needed;
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    Block = ExAllocatePoolWithTag(Needed, EXP_SYSINFO_TAG);
    if (Block == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    PsQueryProcessList(Block, Needed, Buffer.Address);
    Status = ExpCopyOut(Block, Needed, Buffer);
    ExFreePoolWithTag(Block, EXP_SYSINFO_TAG);
    return Status;
}

NTSTATUS ExpQueryProcessClasses(ULONG Class, USER_BUFFER Buffer, ULONG Length, ULONG *ReturnLength)
{
    SYSTEM_PROCESSOR_INFORMATION Processor;
    SYSTEM_TIMEOFDAY_INFORMATION TimeOfDay;
    NTSTATUS Status;

    switch (Class) {
    case SystemProcessorInformation:
        if (ReturnLength)
            *ReturnLength = sizeof(Processor);
        if (Length != sizeof(Processor))
            return STATUS_INFO_LENGTH_MISMATCH;
        ExpProcessorInformation(&Processor);
        return ExpCopyOut(&Processor, sizeof(Processor), Buffer);
    case SystemTimeOfDayInformation:
        /* Windows returns the first Length bytes of the record. */
        if (Length > sizeof(TimeOfDay))
            return STATUS_INFO_LENGTH_MISMATCH;
        Status = ExpTimeOfDay(&TimeOfDay);
        if (NT_SUCCESS(Status))
            Status = ExpCopyOut(&TimeOfDay, Length, Buffer);
        if (NT_SUCCESS(Status) && ReturnLength)
            *ReturnLength = Length;
        return Status;
    case SystemProcessInformation:
        return ExpProcessList(Buffer, Length, ReturnLength);
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
}
