/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes and records of stockdrv.sys (sys/stockdrv.c), shared
 * with its test program (driver.c). Plain C and CTL_CODE's layout only. */
#pragma once

#define STOCKDRV_CTL(Function, Method) ((0x22u << 16) | ((Function) << 2) | (Method))

#define IOCTL_STOCKDRV_STATS  STOCKDRV_CTL(0x900, 0) /* buffered: STOCKDRV_STATS out */
#define IOCTL_STOCKDRV_SUM_IN STOCKDRV_CTL(0x901, 1) /* IN_DIRECT: the output MDL summed */
#define IOCTL_STOCKDRV_FILL_OUT                                                                    \
    STOCKDRV_CTL(0x902, 2)                              /* OUT_DIRECT: filled from the input byte  \
                                                         */
#define IOCTL_STOCKDRV_PEND      STOCKDRV_CTL(0x903, 0) /* queued with a cancel routine */
#define IOCTL_STOCKDRV_RELEASE   STOCKDRV_CTL(0x904, 0) /* completes the queued ones */
#define IOCTL_STOCKDRV_TIMER     STOCKDRV_CTL(0x905, 0) /* KTIMER + KDPC set a KEVENT */
#define IOCTL_STOCKDRV_WORK_ITEM STOCKDRV_CTL(0x906, 0) /* pended, completed by a work item */
#define IOCTL_STOCKDRV_THREAD    STOCKDRV_CTL(0x907, 0) /* pended, completed by the system thread */
#define IOCTL_STOCKDRV_POOL      STOCKDRV_CTL(0x908, 0) /* ExAllocatePoolWithTag of the input size */
#define IOCTL_STOCKDRV_EXTENSION STOCKDRV_CTL(0x909, 0) /* the device extension's check word */

#define STOCKDRV_MAGIC      0x4E524431u /* "NRD1": the extension's check word */
#define STOCKDRV_WORK_VALUE 0x5157u     /* Information of a work item's completion */
#define STOCKDRV_DATA_MAX   4096u       /* what a write keeps, a read returns */

typedef struct _STOCKDRV_STATS {
    unsigned int Creates, Closes, Reads, Writes, Controls;
    unsigned int DpcRuns, WorkItems, ThreadRequests, Cancelled, Queued;
} STOCKDRV_STATS;
