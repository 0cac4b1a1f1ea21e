/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Windows values and records that the shell programs (base/smss,
 * base/ntcmd) pass to system services and include/nt/ does not define:
 * access rights, file open options, information classes and their
 * records, the beep device's request (ntcmd's keyboard records are in
 * base/ntcmd/cmdcore.h, which the host test compiles). Values and layouts are Windows'
 * (x64); the _Static_asserts pin the sizes.
 */
#pragma once

#include <nt/nt.h>

/* ---- C routines ntdll exports (ntdll/crt/) ----------------------------------------- */

#define NTPROG_CRT __declspec(dllimport)
NTPROG_CRT size_t strlen(const char *s);
NTPROG_CRT int strcmp(const char *a, const char *b);
NTPROG_CRT int strncmp(const char *a, const char *b, size_t n);
NTPROG_CRT int _stricmp(const char *a, const char *b);
NTPROG_CRT int _strnicmp(const char *a, const char *b, size_t n);
NTPROG_CRT char *strchr(const char *s, int c);
NTPROG_CRT unsigned long strtoul(const char *s, char **end, int base);
NTPROG_CRT void *memcpy(void *d, const void *s, size_t n);
NTPROG_CRT void *memmove(void *d, const void *s, size_t n);
NTPROG_CRT void *memset(void *d, int c, size_t n);
NTPROG_CRT int toupper(int c);

/* ---- access rights and options ---------------------------------------------------- */

#define SYNCHRONIZE                  0x00100000u
#define GENERIC_READ                 0x80000000u
#define GENERIC_WRITE                0x40000000u
#define FILE_READ_DATA               0x0001u
#define FILE_WRITE_DATA              0x0002u
#define FILE_READ_ATTRIBUTES         0x0080u
#define FILE_SHARE_READ              0x1u
#define FILE_SHARE_WRITE             0x2u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020u
#define FILE_NON_DIRECTORY_FILE      0x00000040u
#define DIRECTORY_QUERY              0x0001u
#define DIRECTORY_TRAVERSE           0x0002u
#define SYMBOLIC_LINK_QUERY          0x0001u
#define SYMBOLIC_LINK_ALL_ACCESS     0x000F0001u
#define PROCESS_TERMINATE            0x0001u
#define PROCESS_VM_READ              0x0010u
#define PROCESS_QUERY_INFORMATION    0x0400u
#define EVENT_ALL_ACCESS             0x001F0003u

#define NotificationEvent    0
#define SynchronizationEvent 1
#define WaitAny              1

#define ShutdownNoReboot 0
#define ShutdownReboot   1
#define ShutdownPowerOff 2

/* ---- process information ------------------------------------------------------------- */

#define ProcessBasicInformation 0

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PPEB PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;
_Static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 0x30, "PROCESS_BASIC_INFORMATION");

/* ---- file information ---------------------------------------------------------------- */

#define FileStandardInformation 5

typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize;
    LARGE_INTEGER EndOfFile;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending;
    BOOLEAN Directory;
} FILE_STANDARD_INFORMATION;
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 0x18, "FILE_STANDARD_INFORMATION");

/* ---- object namespace ------------------------------------------------------------------ */

typedef struct _OBJECT_DIRECTORY_INFORMATION {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION;
_Static_assert(sizeof(OBJECT_DIRECTORY_INFORMATION) == 0x20, "OBJECT_DIRECTORY_INFORMATION");

/* ---- system information ---------------------------------------------------------------- */

/* The classes and records ntos answers: include/nt/sysinfo.h. */
#include <nt/sysinfo.h>

/* ---- devices ------------------------------------------------------------------------------ */

/* \Device\Beep: IOCTL_BEEP_SET (CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED,
 * FILE_ANY_ACCESS)) with this record; Frequency 0 or Duration 0 is silence. */
#define IOCTL_BEEP_SET 0x00010000u

typedef struct _BEEP_SET_PARAMETERS {
    ULONG Frequency;
    ULONG Duration;
} BEEP_SET_PARAMETERS;

/* ---- helpers ----------------------------------------------------------------------------- */

static inline VOID NtProgObjectAttributes(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING Name,
                                          ULONG Flags, HANDLE Root)
{
    Attributes->Length = sizeof(*Attributes);
    Attributes->RootDirectory = Root;
    Attributes->ObjectName = Name;
    Attributes->Attributes = Flags;
    Attributes->SecurityDescriptor = NULL;
    Attributes->SecurityQualityOfService = NULL;
}
