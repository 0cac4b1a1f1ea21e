/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/share.c: NT's share-access rules for drivers that keep their own
 * SHARE_ACCESS (file systems, exclusive devices): an open asking for read,
 * write or delete access must be allowed by every open so far, and must
 * itself allow what the opens so far have. An open asking for none of the
 * three (attributes only) never conflicts and is not counted. The access
 * and sharing an open was granted live in its FILE_OBJECT.
 */

#include "iop.h"

/* The three accesses and three sharings of an open, into its FILE_OBJECT. */
static BOOLEAN IopRecordAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                               PFILE_OBJECT FileObject)
{
    FileObject->ReadAccess = (DesiredAccess & (FILE_EXECUTE | FILE_READ_DATA)) != 0;
    FileObject->WriteAccess = (DesiredAccess & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    FileObject->DeleteAccess = (DesiredAccess & DELETE) != 0;
    FileObject->SharedRead = (DesiredShareAccess & FILE_SHARE_READ) != 0;
    FileObject->SharedWrite = (DesiredShareAccess & FILE_SHARE_WRITE) != 0;
    FileObject->SharedDelete = (DesiredShareAccess & FILE_SHARE_DELETE) != 0;
    return FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess;
}

static VOID IopCountAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess, LONG Delta)
{
    ShareAccess->OpenCount += Delta;
    ShareAccess->Readers += FileObject->ReadAccess ? Delta : 0;
    ShareAccess->Writers += FileObject->WriteAccess ? Delta : 0;
    ShareAccess->Deleters += FileObject->DeleteAccess ? Delta : 0;
    ShareAccess->SharedRead += FileObject->SharedRead ? Delta : 0;
    ShareAccess->SharedWrite += FileObject->SharedWrite ? Delta : 0;
    ShareAccess->SharedDelete += FileObject->SharedDelete ? Delta : 0;
}

NTKRNL_EXPORT NTSTATUS NTAPI IoCheckShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                                                PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess,
                                                BOOLEAN Update)
{
    if (!IopRecordAccess(DesiredAccess, DesiredShareAccess, FileObject))
        return STATUS_SUCCESS;
    if ((FileObject->ReadAccess && ShareAccess->SharedRead < ShareAccess->OpenCount) ||
        (FileObject->WriteAccess && ShareAccess->SharedWrite < ShareAccess->OpenCount) ||
        (FileObject->DeleteAccess && ShareAccess->SharedDelete < ShareAccess->OpenCount) ||
        (ShareAccess->Readers != 0 && !FileObject->SharedRead) ||
        (ShareAccess->Writers != 0 && !FileObject->SharedWrite) ||
        (ShareAccess->Deleters != 0 && !FileObject->SharedDelete))
        return STATUS_SHARING_VIOLATION;
    if (Update)
        IopCountAccess(FileObject, ShareAccess, 1);
    return STATUS_SUCCESS;
}

/* The first open of an object: the counts are its alone. */
NTKRNL_EXPORT VOID NTAPI IoSetShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                                          PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    RtlZeroMemory(ShareAccess, sizeof(*ShareAccess));
    if (IopRecordAccess(DesiredAccess, DesiredShareAccess, FileObject))
        IopCountAccess(FileObject, ShareAccess, 1);
}

NTKRNL_EXPORT VOID NTAPI IoUpdateShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess)
        IopCountAccess(FileObject, ShareAccess, 1);
}

NTKRNL_EXPORT VOID NTAPI IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess)
        IopCountAccess(FileObject, ShareAccess, -1);
}
