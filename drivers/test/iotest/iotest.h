/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes of the iotest driver (drivers/test/iotest), shared with
 * base/ntapitest/device.c. */
#pragma once

#define IOTEST_CTL(Function, Method, Access) ((0x22u << 16) | ((Access) << 14) | ((Function) << 2) | (Method))

#define IOCTL_IOTEST_PEND    IOTEST_CTL(0x800, 0, 0) /* pends until cancelled or released */
#define IOCTL_IOTEST_RELEASE IOTEST_CTL(0x801, 0, 0) /* completes the pended ones (SUCCESS) */
#define IOCTL_IOTEST_CRASH   IOTEST_CTL(0x802, 0, 0) /* the driver faults */
#define IOCTL_IOTEST_ECHO    IOTEST_CTL(0x803, 0, 0) /* buffered: the input back */
#define IOCTL_IOTEST_FILL_OUT IOTEST_CTL(0x804, 2, 0) /* OUT_DIRECT: fills the output with 0x5a */
#define IOCTL_IOTEST_NEED_READ  IOTEST_CTL(0x805, 0, 1) /* FILE_READ_ACCESS */
#define IOCTL_IOTEST_NEED_WRITE IOTEST_CTL(0x806, 0, 2) /* FILE_WRITE_ACCESS */
#define IOCTL_IOTEST_NEITHER IOTEST_CTL(0x807, 3, 0)
/* buffered: two ULONGs, the IRP_MJ_CLEANUP and IRP_MJ_CLOSE requests seen so far */
#define IOCTL_IOTEST_FILE_ENDS IOTEST_CTL(0x808, 0, 0)
/* xcall: IN_DIRECT: Information = the sum of the output buffer's bytes (read through the MDL) */
#define IOCTL_IOTEST_SUM_IN IOTEST_CTL(0x840, 1, 0)

/* Reads give byte (Offset + i) & 0xff at position i. */
