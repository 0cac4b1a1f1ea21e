/* SPDX-License-Identifier: BSD-2-Clause */
/* The control code and result of the krnltest driver (drivers/test/krnltest),
 * shared with base/ntapitest/krnlrt.c. METHOD_BUFFERED; answers a
 * KRNLTEST_RESULT. */
#pragma once

#define IOCTL_KRNLTEST_RUN ((0x22u << 16) | (0x910 << 2))

typedef struct _KRNLTEST_RESULT {
    unsigned int Failed;          /* 0, or the line in krnltest.c of the first failed check */
    unsigned int DpcIrql;         /* the inline KeGetCurrentIrql in a timer DPC */
    unsigned int ThreadDone;      /* 1 once the system thread's object was signalled */
    unsigned int Ticks;           /* KeQueryTickCount's advance over a 200 ms delay */
    long long SystemTimeDelta;    /* KeQuerySystemTime's advance over it (100 ns) */
    long long InterruptTimeDelta; /* KeQueryInterruptTime's */
    unsigned short Text[32];      /* RtlStringCbPrintfW's output */
} KRNLTEST_RESULT;
