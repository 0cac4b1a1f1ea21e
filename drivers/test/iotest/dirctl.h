/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iotest's directory (drivers/test/iotest/dirctl.c), shared with
 * base/ntapitest/dirctl.c: the entries IRP_MN_QUERY_DIRECTORY lists on
 * either iotest device, in this order, and the control code that
 * completes the pending IRP_MN_NOTIFY_CHANGE_DIRECTORY requests.
 */
#pragma once

#include "iotest.h"

/* Completes every pending change notification with one
 * FILE_NOTIFY_INFORMATION {Action FILE_ACTION_MODIFIED, "alpha.txt"}
 * (STATUS_NOTIFY_ENUM_DIR when it does not fit); Information = how many. */
#define IOCTL_IOTEST_TOUCH IOTEST_CTL(0x840, 0, 0)

#define IOTEST_DIR_COUNT   5
#define IOTEST_DIR_TOUCHED L"alpha.txt"

/* Name, EndOfFile, FileAttributes; AllocationSize is EndOfFile rounded up
 * to 512, FileId the position + 1, the times IOTEST_DIR_TIME + position. */
#define IOTEST_DIR_ENTRIES                                                                         \
    {                                                                                              \
        {L"alpha.txt", 100, 0x20}, {L"beta.sys", 2000, 0x21}, {L"gamma.sys", 30000, 0x20},         \
            {L"delta.dat", 4, 0x20}, {L"readme", 0, 0x80},                                         \
    }
#define IOTEST_DIR_TIME 0x01d9000000000000ll

#ifdef _NTDDK_
/* The dispatch hooks iotest.c calls (dirctl.c). */
NTSTATUS IoTestDirectoryControl(PIRP Irp, PIO_STACK_LOCATION Stack);
NTSTATUS IoTestTouch(PIRP Irp);
VOID IoTestDirectoryCleanup(PFILE_OBJECT FileObject); /* IRP_MJ_CLEANUP: NOTIFY_CLEANUP */
VOID IoTestDirectoryClose(PFILE_OBJECT FileObject);   /* IRP_MJ_CLOSE: the scan goes */
#endif
