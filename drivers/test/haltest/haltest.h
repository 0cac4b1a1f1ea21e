/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes and results of the haltest driver (drivers/test/haltest),
 * shared with base/ntapitest/hal.c. Every code is METHOD_BUFFERED and
 * answers a HALTEST_RESULT. */
#pragma once

#define HALTEST_CTL(Function) ((0x22u << 16) | ((Function) << 2))

#define IOCTL_HALTEST_RTC    HALTEST_CTL(0x900) /* IRQ 8 from the RTC's periodic interrupt */
#define IOCTL_HALTEST_VGA    HALTEST_CTL(0x901) /* MmMapIoSpace on VGA text memory */
#define IOCTL_HALTEST_CONTIG HALTEST_CTL(0x902) /* contiguous memory */
#define IOCTL_HALTEST_BUS    HALTEST_CTL(0x903) /* PCI bus data, stall, vectors */

#define HALTEST_INTERRUPTS 4 /* the RTC test waits for this many */

typedef struct _HALTEST_RESULT {
    unsigned int Failed;         /* 0, or the line in haltest.c of the first failed check */
    unsigned int Count;          /* RTC: interrupts the ISR saw; CONTIG: pages */
    unsigned int DpcRuns;        /* RTC: DPCs the ISR queued that ran */
    unsigned int Vector, Irql;   /* RTC: from HalGetInterruptVector */
    unsigned int Pci;            /* BUS: vendor and device of 00:00.0 */
    unsigned int SharerCalls;    /* RTC: calls of the ISR sharing the line */
    unsigned long long Physical; /* VGA, CONTIG: MmGetPhysicalAddress of the first byte */
} HALTEST_RESULT;
