/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes of the iofilter driver (drivers/test/iofilter), shared
 * with base/ntapitest/xcall.c. They go to \Device\IoFilterCtl. */
#pragma once

#define IOFILTER_CTL(Function) ((0x22u << 16) | ((Function) << 2))

/* in: ULONG Which (0: \Device\IoTestBuffered, 1: \Device\IoTestDirect).
 * ATTACH opens it (IoGetDeviceObjectPointer) and puts a filter device on
 * its stack; DETACH takes the filter off and deletes it. */
#define IOCTL_IOFILTER_ATTACH IOFILTER_CTL(0x900)
#define IOCTL_IOFILTER_DETACH IOFILTER_CTL(0x901)
/* out: IOFILTER_COUNTS */
#define IOCTL_IOFILTER_COUNTS IOFILTER_CTL(0x902)
/* in: 16 bytes; out: IOFILTER_BUILT. The driver opens \Device\IoTestBuffered
 * itself, sends IOCTL_IOTEST_ECHO (IoBuildDeviceIoControlRequest) and a read
 * of 16 bytes at offset 5 (IoBuildSynchronousFsdRequest), each waited for on
 * an event in its dispatch routine, and closes it. */
#define IOCTL_IOFILTER_BUILD IOFILTER_CTL(0x903)
/* The filter driver faults: its process ends with IRPs it forwarded out. */
#define IOCTL_IOFILTER_CRASH IOFILTER_CTL(0x904)
/* HOLD opens \Device\IoTestDirect (IoGetDeviceObjectPointer) and keeps the
 * file object; READ_HELD reads 16 bytes through it (an IRP of its own,
 * waited for; the request's status is the read's); DROP dereferences it. */
#define IOCTL_IOFILTER_HOLD      IOFILTER_CTL(0x905)
#define IOCTL_IOFILTER_READ_HELD IOFILTER_CTL(0x906)
#define IOCTL_IOFILTER_DROP      IOFILTER_CTL(0x907)

/* What the filters' completion routines saw. */
typedef struct _IOFILTER_COUNTS {
    unsigned int Forwarded;   /* IRPs sent down */
    unsigned int Completed;   /* completion routines run */
    unsigned int PendingSeen; /* ... with Irp->PendingReturned */
    int LastStatus;           /* the status of the last one */
} IOFILTER_COUNTS;

typedef struct _IOFILTER_BUILT {
    int EchoStatus;
    unsigned int EchoInformation;
    unsigned char Echo[16];
    int ReadStatus;
    unsigned int ReadInformation;
    unsigned char Read[16];
    unsigned int DeviceType, DeviceFlags, StackSize; /* of the proxy */
} IOFILTER_BUILT;

/* The filter's completion routine writes this over the first byte of what a
 * read (and IOCTL_IOTEST_ECHO) returns, so tests see that it ran. */
#define IOFILTER_MARK 0xF1
