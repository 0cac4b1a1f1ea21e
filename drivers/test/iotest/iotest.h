/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes of the iotest driver (drivers/test/iotest), shared with
 * base/ntapitest/device.c. */
#pragma once

#define IOTEST_CTL(Function, Method, Access)                                                       \
    ((0x22u << 16) | ((Access) << 14) | ((Function) << 2) | (Method))

#define IOCTL_IOTEST_PEND       IOTEST_CTL(0x800, 0, 0) /* pends until cancelled or released */
#define IOCTL_IOTEST_RELEASE    IOTEST_CTL(0x801, 0, 0) /* completes the pended ones (SUCCESS) */
#define IOCTL_IOTEST_CRASH      IOTEST_CTL(0x802, 0, 0) /* the driver faults */
#define IOCTL_IOTEST_ECHO       IOTEST_CTL(0x803, 0, 0) /* buffered: the input back */
#define IOCTL_IOTEST_FILL_OUT   IOTEST_CTL(0x804, 2, 0) /* OUT_DIRECT: fills the output with 0x5a */
#define IOCTL_IOTEST_NEED_READ  IOTEST_CTL(0x805, 0, 1) /* FILE_READ_ACCESS */
#define IOCTL_IOTEST_NEED_WRITE IOTEST_CTL(0x806, 0, 2) /* FILE_WRITE_ACCESS */
#define IOCTL_IOTEST_NEITHER    IOTEST_CTL(0x807, 3, 0)
/* buffered: two ULONGs, the IRP_MJ_CLEANUP and IRP_MJ_CLOSE requests seen so far */
#define IOCTL_IOTEST_FILE_ENDS IOTEST_CTL(0x808, 0, 0)
/* xcall: IN_DIRECT: Information = the sum of the output buffer's bytes (read through the MDL) */
#define IOCTL_IOTEST_SUM_IN IOTEST_CTL(0x840, 1, 0)

/* Reads give byte (Offset + i) & 0xff at position i. */

/* neither branch (drivers/test/iotest/neither.c): METHOD_NEITHER codes, the
 * input at Type3InputBuffer, the output at Irp->UserBuffer. ECHO copies
 * min(in, out) bytes from input to output; FILL writes byte i = 0xa5 ^ i;
 * DESCRIBE writes an IOTEST_NEITHER_VIEW; PEND pends until NEITHER_FINISH
 * or a cancel. */
#define IOCTL_IOTEST_NEITHER_ECHO     IOTEST_CTL(0x810, 3, 0)
#define IOCTL_IOTEST_NEITHER_FILL     IOTEST_CTL(0x811, 3, 0)
#define IOCTL_IOTEST_NEITHER_DESCRIBE IOTEST_CTL(0x812, 3, 0)
#define IOCTL_IOTEST_NEITHER_PEND     IOTEST_CTL(0x813, 3, 0)
/* buffered: each pended NEITHER_PEND copies its input to its output (as
 * ECHO) and completes; Information = how many */
#define IOCTL_IOTEST_NEITHER_FINISH IOTEST_CTL(0x814, 0, 0)
/* buffered: an IOTEST_NEITHER_WRITE, what the last write of \Device\IoTestNeither saw */
#define IOCTL_IOTEST_NEITHER_LAST_WRITE IOTEST_CTL(0x815, 0, 0)
/* no buffers: Information = 1 if the output of the last NEITHER_FILL or
 * NEITHER_PEND is still an address of this process (MmIsAddressValid), 0
 * once ntos unmapped it */
#define IOCTL_IOTEST_NEITHER_STALE IOTEST_CTL(0x816, 3, 0)
/* out: byte i = 0x3c ^ i, written through an MDL the driver builds over
 * Irp->UserBuffer (IoAllocateMdl, MmProbeAndLockPages for IoWriteAccess,
 * MmGetSystemAddressForMdlSafe), as Windows drivers of neither buffers do */
#define IOCTL_IOTEST_NEITHER_FILL_MDL IOTEST_CTL(0x817, 3, 0)

/* A device with neither DO_BUFFERED_IO nor DO_DIRECT_IO. */
#define IOTEST_NEITHER_DEVICE L"\\Device\\IoTestNeither"

/* What NEITHER_DESCRIBE saw: its addresses and lengths in the driver, and
 * the sum of its input bytes (read there). */
typedef struct _IOTEST_NEITHER_VIEW {
    unsigned long long Input, Output;
    unsigned int InputLength, OutputLength;
    unsigned long long InputSum;
} IOTEST_NEITHER_VIEW;

typedef struct _IOTEST_NEITHER_WRITE {
    unsigned long long Address; /* Irp->UserBuffer in the driver */
    unsigned long long Sum;     /* of the bytes written */
    unsigned int Length, Writes;
} IOTEST_NEITHER_WRITE;
