/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the driver tests (beep.c, console.c, keyboard.c, serial.c) share:
 * loading a driver, opening its device for asynchronous I/O, and I/O that
 * waits for its completion with a bound (drvutil.c); the IOCTL codes and
 * records of the devices, with Windows' values (ntddser.h, ntddkbd.h,
 * ntddbeep.h) and console.sys's own query (drivers/include/nrconsole.h).
 */
#pragma once

#include "ntapitest.h"

#define FILE_DEVICE_BEEP        0x00000001
#define FILE_DEVICE_KEYBOARD    0x0000000b
#define FILE_DEVICE_SERIAL_PORT 0x0000001b
#define FILE_DEVICE_CONSOLE     0x00000050
#define METHOD_BUFFERED         0
#define FILE_ANY_ACCESS         0
#define NTAPI_CTL_CODE(Type, Function, Method, Access)                                             \
    (((Type) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))

#define GENERIC_WRITE 0x40000000u

/* NtLoadDriver of \Registry\Machine\System\CurrentControlSet\Services\<Name>;
 * STATUS_IMAGE_ALREADY_LOADED counts as success (another test loaded it). */
NTSTATUS NtapiLoadDriver(PCWSTR Name);
/* NtCreateFile of a device path for asynchronous I/O (no synchronous
 * flag: a pending read must not hold the handle's other requests). */
NTSTATUS NtapiOpenDevice(PCWSTR Path, ACCESS_MASK Access, HANDLE *Handle);
/* A UNICODE_STRING over a NUL-terminated constant. */
UNICODE_STRING NtapiUnicode(PCWSTR Text);
/* NtCreateFile (FILE_OPEN) of a device path with the share access and
 * options given. */
NTSTATUS NtapiOpenDeviceEx(PCWSTR Path, ACCESS_MASK Access, ULONG ShareAccess, ULONG Options,
                           HANDLE *Handle);
/* Load the driver, then open its device; NULL if either fails (the check
 * that failed says why). */
HANDLE NtapiLoadAndOpen(PCWSTR Driver, PCWSTR Device);

/* I/O that waits (at most 10 s; then it is cancelled and STATUS_IO_TIMEOUT
 * returned) and returns the final status; *Information gets the
 * IO_STATUS_BLOCK's. */
NTSTATUS NtapiDeviceIoControl(HANDLE Handle, ULONG Code, PVOID In, ULONG InLength, PVOID Out,
                              ULONG OutLength, ULONG_PTR *Information);
NTSTATUS NtapiDeviceRead(HANDLE Handle, PVOID Buffer, ULONG Length, ULONG_PTR *Information);
NTSTATUS NtapiDeviceWrite(HANDLE Handle, const VOID *Buffer, ULONG Length, ULONG_PTR *Information);

/* Start a read that may pend: the event and IO_STATUS_BLOCK are the
 * caller's (NtapiFinishIo waits for it). */
NTSTATUS NtapiStartRead(HANDLE Handle, HANDLE Event, IO_STATUS_BLOCK *Iosb, PVOID Buffer,
                        ULONG Length);
NTSTATUS NtapiFinishIo(HANDLE Handle, HANDLE Event, NTSTATUS Started, IO_STATUS_BLOCK *Iosb,
                       ULONG Milliseconds);
HANDLE NtapiCreateIoEvent(VOID);
