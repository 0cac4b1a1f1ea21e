/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dirctl branch: the records and values of NtQueryDirectoryFile and
 * NtNotifyChangeDirectoryFile that programs (base/ntcmd, base/ntapitest)
 * use: Windows' FILE_*_INFORMATION directory classes (x64 layouts, pinned
 * by the asserts), FILE_NOTIFY_INFORMATION, the notify filters and the
 * directory open options. The services' prototypes come from the
 * generated ntsvc.h.
 */
#pragma once

#include <nt/nt.h>

#define FILE_LIST_DIRECTORY      0x0001u
#define FILE_DIRECTORY_FILE      0x00000001u
#define FILE_ATTRIBUTE_READONLY  0x00000001u
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010u

#define FileDirectoryInformation       1
#define FileFullDirectoryInformation   2
#define FileBothDirectoryInformation   3
#define FileNamesInformation           12
#define FileIdBothDirectoryInformation 37
#define FileIdFullDirectoryInformation 38

#define FILE_NOTIFY_CHANGE_FILE_NAME  0x00000001u
#define FILE_NOTIFY_CHANGE_DIR_NAME   0x00000002u
#define FILE_NOTIFY_CHANGE_SIZE       0x00000008u
#define FILE_NOTIFY_CHANGE_LAST_WRITE 0x00000010u
#define FILE_NOTIFY_VALID_MASK        0x00000fffu
#define FILE_ACTION_MODIFIED          0x00000003u

typedef struct _FILE_DIRECTORY_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_DIRECTORY_INFORMATION;
_Static_assert(sizeof(FILE_DIRECTORY_INFORMATION) == 72, "FILE_DIRECTORY_INFORMATION");

typedef struct _FILE_FULL_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    WCHAR FileName[1];
} FILE_FULL_DIR_INFORMATION;
_Static_assert(sizeof(FILE_FULL_DIR_INFORMATION) == 72, "FILE_FULL_DIR_INFORMATION");

typedef struct _FILE_ID_FULL_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    LARGE_INTEGER FileId;
    WCHAR FileName[1];
} FILE_ID_FULL_DIR_INFORMATION;
_Static_assert(sizeof(FILE_ID_FULL_DIR_INFORMATION) == 88, "FILE_ID_FULL_DIR_INFORMATION");

typedef struct _FILE_BOTH_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    CHAR ShortNameLength;
    WCHAR ShortName[12];
    WCHAR FileName[1];
} FILE_BOTH_DIR_INFORMATION;
_Static_assert(sizeof(FILE_BOTH_DIR_INFORMATION) == 96, "FILE_BOTH_DIR_INFORMATION");

typedef struct _FILE_ID_BOTH_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
    LARGE_INTEGER EndOfFile, AllocationSize;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    CHAR ShortNameLength;
    WCHAR ShortName[12];
    LARGE_INTEGER FileId;
    WCHAR FileName[1];
} FILE_ID_BOTH_DIR_INFORMATION;
_Static_assert(sizeof(FILE_ID_BOTH_DIR_INFORMATION) == 112, "FILE_ID_BOTH_DIR_INFORMATION");

typedef struct _FILE_NAMES_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_NAMES_INFORMATION;
_Static_assert(sizeof(FILE_NAMES_INFORMATION) == 16, "FILE_NAMES_INFORMATION");

typedef struct _FILE_NOTIFY_INFORMATION {
    ULONG NextEntryOffset;
    ULONG Action;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_NOTIFY_INFORMATION;
