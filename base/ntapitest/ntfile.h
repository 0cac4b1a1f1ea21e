/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Windows values and helpers of the file and section tests (file.c,
 * section.c): access rights, open options, information classes and the
 * records these tests read, with Windows' layouts.
 */
#pragma once

#include "ntapitest.h"

NTSYSAPI void *memcpy(void *Destination, const void *Source, size_t Count);

#define FILE_READ_DATA               0x0001u
#define FILE_WRITE_DATA              0x0002u
#define FILE_EXECUTE                 0x0020u
#define FILE_READ_ATTRIBUTES         0x0080u
#define FILE_GENERIC_READ            0x00120089u
#define FILE_SHARE_READ              0x1u
#define FILE_OPEN                    1u
#define FILE_CREATE                  2u
#define FILE_OPEN_IF                 3u
#define FILE_DIRECTORY_FILE          0x00000001u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020u
#define FILE_NON_DIRECTORY_FILE      0x00000040u
#define FILE_OPENED                  1u

#define FileBasicInformation    4
#define FileStandardInformation 5
#define FileInternalInformation 6
#define FileNameInformation     9
#define FilePositionInformation 14
#define FileAllInformation      18

typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize, EndOfFile;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending, Directory;
} FILE_STANDARD_INFORMATION;
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 24, "FILE_STANDARD_INFORMATION");

#define SEC_FILE                0x00800000u
#define SEC_IMAGE               0x01000000u
#define SEC_RESERVE             0x04000000u
#define SEC_COMMIT              0x08000000u
#define SECTION_QUERY           0x0001u
#define SECTION_MAP_READ        0x0004u
#define SECTION_ALL_ACCESS      0x000F001Fu
#define ViewShare               1
#define ViewUnmap               2
#define MEM_TOP_DOWN            0x00100000u
#define SectionBasicInformation 0
#define SectionImageInformation 1

#define PAGE_NOACCESS     0x01
#define PAGE_READONLY     0x02
#define PAGE_READWRITE    0x04
#define PAGE_WRITECOPY    0x08
#define PAGE_EXECUTE_READ 0x20

/* Open \SystemRoot\<Name> (Name: a wide literal) with Access and Options. */
NTSTATUS NtapiOpenSystemFile(PCWSTR Name, ACCESS_MASK Access, ULONG Options, HANDLE *Handle);
