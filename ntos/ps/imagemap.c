/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping a PE image into a process: the range SizeOfImage is reserved at
 * the preferred base (anywhere else if that is taken, then relocated),
 * each page is built from the file by the PE reader (image.c) in a fresh
 * zeroed frame and mapped with its section's protection.
 *
 * FIXME: every process gets private copies of every image page. Sharing
 * the read-only pages of one image between processes (an image section
 * object with copy-on-write for writable sections, as DESIGN.md says)
 * comes with mm's section objects; until then WRITECOPY is mapped as a
 * plain private READWRITE.
 */
#include "psp.h"

/* Private pages: copy-on-write needs no sharing yet (see above). */
static ULONG PspPrivateProtection(ULONG Protect)
{
    if (Protect == PAGE_WRITECOPY)
        return PAGE_READWRITE;
    if (Protect == PAGE_EXECUTE_WRITECOPY)
        return PAGE_EXECUTE_READWRITE;
    return Protect;
}

/* Reserve SizeOfImage at the preferred base, else anywhere (§4.1). */
static NTSTATUS PspReserveImage(MMADDRESS_SPACE *Space, PPSP_IMAGE_INFO Info, ULONG_PTR *Base)
{
    NTSTATUS Status = STATUS_CONFLICTING_ADDRESSES;

    *Base = Info->ImageBase;
    /* A base the file chose may be anywhere in 64 bits: compare without wrapping. */
    if (Info->ImageBase >= PSP_IMAGE_BASE_ALIGNMENT &&
        Info->ImageBase <= MM_USER_TOP + 1 - Info->SizeOfImage)
        Status = MmReserveRange(Space, Base, Info->SizeOfImage, PAGE_EXECUTE_READWRITE, false);
    if (NT_SUCCESS(Status) || (Info->Characteristics & IMAGE_FILE_RELOCS_STRIPPED))
        return Status;
    *Base = 0;
    return MmReserveRange(Space, Base, Info->SizeOfImage, PAGE_EXECUTE_READWRITE, false);
}

static NTSTATUS PspMapImagePages(MMADDRESS_SPACE *Space, PPSP_IMAGE_INFO Info, const void *File,
                                 SIZE_T FileSize, ULONG_PTR Base)
{
    NTSTATUS Status = STATUS_SUCCESS;
    PMMPFN Pfn;

    for (ULONG Rva = 0; Rva < Info->SizeOfImage && NT_SUCCESS(Status); Rva += PAGE_SIZE) {
        Status = MmAllocatePhysicalPage(&Pfn);
        if (!NT_SUCCESS(Status))
            break;
        PspBuildImagePage(Info, File, FileSize, Rva, MmPageAddress(Pfn));
        Status = MmMapPage(Space, Base + Rva, Pfn,
                           PspPrivateProtection(PspImagePageProtection(Info, Rva)));
        MmDereferencePage(Pfn); /* the mapping holds its own reference */
    }
    return Status;
}

/* The physmap address of a mapped image page: ntos writes there whatever
 * the page's user protection is (relocations of read-only sections). */
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
    *View = (PSP_IMAGE_VIEW){Mapped, PspMappedPage, SizeOfImage};
}

NTSTATUS PspMapImageFile(PEPROCESS Process, const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info,
                         ULONG_PTR *ImageBase)
{
    PSP_MAPPED_VIEW Mapped;
    PSP_IMAGE_VIEW View;
    NTSTATUS Status;

    Status = PspParseImage(File, FileSize, Info);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = PspReserveImage(Process->AddressSpace, Info, ImageBase);
    if (!NT_SUCCESS(Status))
        goto out;
    /* On failure the pages stay until the address space goes with the process. */
    Status = PspMapImagePages(Process->AddressSpace, Info, File, FileSize, *ImageBase);
    if (!NT_SUCCESS(Status))
        goto out;
    PspInitializeImageView(&View, &Mapped, Process, *ImageBase, Info->SizeOfImage);
    Status = PspRelocateImage(&View, Info, *ImageBase);
out:
    return Status;
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
