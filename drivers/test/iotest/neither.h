/* SPDX-License-Identifier: BSD-2-Clause */
/* iotest's neither I/O (neither.c), called from iotest.c. */
#pragma once

#include <ntddk.h>

NTSTATUS IoTestNeitherControl(PIRP Irp,
                              PIO_STACK_LOCATION Stack); /* unknown codes: INVALID_DEVICE_REQUEST */
BOOLEAN IoTestIsNeitherDevice(PDEVICE_OBJECT DeviceObject);
NTSTATUS IoTestNeitherTransfer(PIRP Irp, PIO_STACK_LOCATION Stack); /* its reads and writes */
NTSTATUS IoTestNeitherCreateDevice(PDRIVER_OBJECT DriverObject);
VOID IoTestNeitherDeleteDevice(VOID);
/* Byte i = (Offset + i) & 0xff, eight bytes at a time (iotest.c's reads too). */
VOID IoTestFillPattern(PUCHAR Buffer, ULONG Length, ULONG Offset);
