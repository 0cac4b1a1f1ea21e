/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of the I/O manager: the \SystemRoot store's file
 * records and the open packet a name lookup carries to the store's parse
 * routine (ParseContext of ObOpenObjectByName).
 */
#pragma once

#include <ntos.h>
#include <ke.h>
#include <mm.h>
#include <ob.h>
#include <io.h>
#include <svc.h>
#include "../rtl/rtl.h"

#define IOP_FILE_TAG  0x656c6946 /* 'File' */
#define IOP_STORE_TAG 0x53656c46 /* 'FleS' */
#define IOP_NAME_TAG  0x4e656c46 /* 'FleN' */

#define IOP_MAX_NAME 47 /* the archive's names are 48 bytes with their NUL */

/* A file of the store: one per archive file, made at its first open and
 * kept (the store is permanent). The share counts are NT's SHARE_ACCESS. */
typedef struct _IOP_STORE_FILE {
    char Name[IOP_MAX_NAME + 1];
    const void *Data;
    SIZE_T Size;
    ULONGLONG Index; /* FileInternalInformation: 1, 2, ... in order of first open */
    ULONG OpenCount, Readers, Writers, Deleters;
    ULONG SharedRead, SharedWrite, SharedDelete;
    struct _IOP_STORE_FILE *Next;
} IOP_STORE_FILE, *PIOP_STORE_FILE;

/* What NtCreateFile/NtOpenFile ask of the parse routine, and what it says. */
typedef struct _IOP_OPEN_PACKET {
    ACCESS_MASK DesiredAccess; /* generic rights already mapped */
    ULONG ShareAccess;
    ULONG Disposition;
    ULONG Options;
    ULONG_PTR Information; /* IO_STATUS_BLOCK.Information on success */
} IOP_OPEN_PACKET, *PIOP_OPEN_PACKET;

/* The \SystemRoot object (store.c) and its parse method. */
extern PVOID IopSystemRoot;
NTSTATUS IopParseSystemRoot(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result);
NTSTATUS IopCreateStoreType(void);

/* File objects (file.c). */
NTSTATUS IopCreateFileType(void);
ACCESS_MASK IopMapFileAccess(ACCESS_MASK Access);
/* A new file object of File opened as Packet says, named Name (copied). */
NTSTATUS IopCreateFileObject(PIOP_STORE_FILE File, const UNICODE_STRING *Name,
                             PIOP_OPEN_PACKET Packet, PFILE_OBJECT *Result);

/* Completion ports (iocomp.c, iocomp branch). FileCompletionInformation of
 * NtSetInformationFile: bind FileObject to the port named in Buffer (a
 * FILE_COMPLETION_INFORMATION the caller gave, >= 16 bytes checked by the
 * caller) with its key; INVALID_PARAMETER when the file is bound already,
 * the port handle's errors. IopReleaseCompletionContext: the file's delete
 * procedure drops the binding. IopCompleteToPort: a request on FileObject
 * completed with Status/Information: queue a packet if the file is bound
 * and ApcContext is not 0 (Windows). */
NTSTATUS IopSetCompletionInformation(PFILE_OBJECT FileObject, USER_BUFFER Buffer,
                                     IO_STATUS_BLOCK *IoStatusBlock);
void IopReleaseCompletionContext(PFILE_OBJECT FileObject);
void IopCompleteToPort(PFILE_OBJECT FileObject, ULONG_PTR ApcContext, NTSTATUS Status,
                       ULONG_PTR Information);
