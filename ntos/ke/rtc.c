/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CMOS real-time clock's registers, read through an IOPort capability
 * for ports 0x70 (index) and 0x71 (data), from ke/ioport.c (the kernel
 * issues each port once, and driver processes reach the same ports).
 */

#include <string.h>
#include <mm.h>
#include <ke.h>
#include "kitime.h"

#define KI_CMOS_INDEX_PORT         0x70
#define KI_CMOS_DATA_PORT          0x71
#define KI_CMOS_UPDATE_IN_PROGRESS 0x80
#define KI_CMOS_ATTEMPTS           1000

static seL4_CPtr KiCmosPorts;

static NTSTATUS KiIssueCmosPorts(void)
{
    if (KiCmosPorts != seL4_CapNull)
        return STATUS_SUCCESS;
    return KeGetIoPortCap(KI_CMOS_INDEX_PORT, 2, &KiCmosPorts); /* ke/ioport.c */
}

static UCHAR KiReadCmos(UCHAR Register)
{
    seL4_X86_IOPort_Out8(KiCmosPorts, KI_CMOS_INDEX_PORT, Register);
    return seL4_X86_IOPort_In8(KiCmosPorts, KI_CMOS_DATA_PORT).result;
}

static void KiReadCmosOnce(KI_CMOS_CLOCK *Clock)
{
    static const UCHAR Wanted[] = {KiCmosSeconds, KiCmosMinutes, KiCmosHours,   KiCmosDay,
                                   KiCmosMonth,   KiCmosYear,    KiCmosStatusB, KiCmosCentury};
    ULONG Index;

    for (Index = 0; Index < ARRAYSIZE(Wanted); Index++)
        Clock->Regs[Wanted[Index]] = KiReadCmos(Wanted[Index]);
}

NTSTATUS KiReadCmosClock(KI_CMOS_CLOCK *Clock)
{
    NTSTATUS Status = KiIssueCmosPorts();
    KI_CMOS_CLOCK Again;
    ULONG Attempt;

    if (!NT_SUCCESS(Status))
        return Status;
    memset(Clock, 0, sizeof(*Clock));
    memset(&Again, 0, sizeof(Again));
    /* Two equal readings with no update in progress before either. */
    for (Attempt = 0; Attempt < KI_CMOS_ATTEMPTS; Attempt++) {
        if (KiReadCmos(KiCmosStatusA) & KI_CMOS_UPDATE_IN_PROGRESS)
            continue;
        KiReadCmosOnce(Clock);
        if (KiReadCmos(KiCmosStatusA) & KI_CMOS_UPDATE_IN_PROGRESS)
            continue;
        KiReadCmosOnce(&Again);
        if (memcmp(Clock, &Again, sizeof(Again)) == 0)
            return STATUS_SUCCESS;
    }
    return STATUS_DEVICE_NOT_READY;
}
