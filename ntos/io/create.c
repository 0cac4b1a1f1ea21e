/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtCreateFile and NtOpenFile: the checks of the arguments that Windows
 * makes before any name is looked up (IoCreateFile), then the open through
 * the object namespace with an open packet for the parse routine of the
 * object the name reaches (today only \SystemRoot, store.c).
 */
#include "iop.h"

#include "ntsvc.h"

static NTSTATUS IopCheckCreateArguments(ACCESS_MASK Access, ULONG FileAttributes, ULONG ShareAccess,
                                        ULONG Disposition, ULONG Options)
{
    ULONG Sync = Options & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT);

    if (Disposition > FILE_MAXIMUM_DISPOSITION || (FileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS) ||
        (ShareAccess & ~FILE_SHARE_VALID_FLAGS) || (Options & ~FILE_VALID_OPTION_FLAGS))
        return STATUS_INVALID_PARAMETER;
    if (Sync == (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT) ||
        (Sync && !(Access & SYNCHRONIZE)))
        return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DELETE_ON_CLOSE) && !(Access & DELETE))
        return STATUS_INVALID_PARAMETER;
    if ((Options & FILE_DIRECTORY_FILE) &&
        ((Options & FILE_NON_DIRECTORY_FILE) ||
         (Disposition != FILE_CREATE && Disposition != FILE_OPEN && Disposition != FILE_OPEN_IF)))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static NTSTATUS IopOpen(HANDLE *FileHandle, const CAPTURED_OBJECT_ATTRIBUTES *Attributes,
                        PIOP_OPEN_PACKET Packet)
{
    NTSTATUS Status = IoInitSystem();

    if (!NT_SUCCESS(Status))
        return Status;
    /* The name reaches \SystemRoot's parse method (store.c) with the packet. */
    return ObOpenObjectByName(Attributes, IoFileObjectType, Packet->DesiredAccess, Packet,
                              FileHandle);
}

NTSTATUS NtCreateFile(HANDLE *FileHandle, ACCESS_MASK DesiredAccess,
                      const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                      IO_STATUS_BLOCK *IoStatusBlock, const LARGE_INTEGER *AllocationSize,
                      ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition,
                      ULONG CreateOptions, USER_ADDRESS EaBuffer, ULONG EaLength)
{
    IOP_OPEN_PACKET Packet = {
        .DesiredAccess = IopMapFileAccess(DesiredAccess),
        .ShareAccess = ShareAccess,
        .Disposition = CreateDisposition,
        .Options = CreateOptions,
        .FileAttributes = FileAttributes,
        .EaLength = EaLength,
    };
    NTSTATUS Status;

    (void)AllocationSize; /* only a new file's */
    if (EaLength != 0 && EaBuffer.Value == 0)
        return STATUS_INVALID_PARAMETER;
    Status = IopCheckCreateArguments(Packet.DesiredAccess, FileAttributes, ShareAccess,
                                     CreateDisposition, CreateOptions);
    if (NT_SUCCESS(Status))
        Status = IopOpen(FileHandle, ObjectAttributes, &Packet);
    if (NT_SUCCESS(Status))
        *IoStatusBlock = (IO_STATUS_BLOCK){.Status = Status, .Information = Packet.Information};
    return Status;
}

NTSTATUS NtOpenFile(HANDLE *FileHandle, ACCESS_MASK DesiredAccess,
                    const CAPTURED_OBJECT_ATTRIBUTES *ObjectAttributes,
                    IO_STATUS_BLOCK *IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    return NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, NULL, 0,
                        ShareAccess, FILE_OPEN, OpenOptions, (USER_ADDRESS){0}, 0);
}
