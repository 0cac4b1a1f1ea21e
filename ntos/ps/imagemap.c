/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping a PE image into a process: through mm's image sections
 * (MmMapImageFile, mm/image.c). The file is validated and laid out once
 * per archive file; each process maps that image section, sharing its
 * read-only pages and copying its writable ones on the first write. An
 * image whose preferred base is taken goes anywhere and is relocated
 * (those pages become the process's own).
 */
#include "psp.h"

/* The physmap address of a mapped image page, for reading (the export
 * lookup): a shared page must never be written this way. */
static UCHAR *PspMappedPage(void *Context, ULONG PageRva)
{
    PSP_MAPPED_VIEW *Mapped = Context;
    PMMPFN Pfn = MmLookupUserPage(Mapped->Space, Mapped->Base + PageRva, false);

    return Pfn ? MmPageAddress(Pfn) : NULL;
}

void PspInitializeImageView(PPSP_IMAGE_VIEW View, PSP_MAPPED_VIEW *Mapped, PEPROCESS Process,
                            ULONG_PTR Base, ULONG SizeOfImage)
{
    Mapped->Space = Process->AddressSpace;
    Mapped->Base = Base;
    *View = (PSP_IMAGE_VIEW){Mapped, PspMappedPage, SizeOfImage, NULL};
}

NTSTATUS PspMapImageFile(PEPROCESS Process, const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info,
                         ULONG_PTR *ImageBase)
{
    NTSTATUS Status = MmMapImageFile(Process->AddressSpace, File, FileSize, ImageBase, Info);

    /* Relocated is a success here: the caller reads the base. On failure
     * the view (if any) was unmapped. */
    return Status == STATUS_IMAGE_NOT_AT_BASE ? STATUS_SUCCESS : Status;
}

/* One image at a time: mapping never waits, so one scratch description does. */
static PSP_IMAGE_INFO PspScratchInfo;

NTSTATUS PspMapImage(PEPROCESS Process, const void *File, SIZE_T FileSize, ULONG_PTR *ImageBase,
                     ULONG_PTR *EntryPoint)
{
    NTSTATUS Status = PspMapImageFile(Process, File, FileSize, &PspScratchInfo, ImageBase);

    if (NT_SUCCESS(Status))
        *EntryPoint = PspScratchInfo.EntryPointRva ? *ImageBase + PspScratchInfo.EntryPointRva : 0;
    return Status;
}
