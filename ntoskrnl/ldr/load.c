/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/load.c: loading the driver's .sys into the driver process. The image
 * is opened under \SystemRoot, mapped as an image section (ntos lays out
 * the sections and, away from the preferred base, applies the base
 * relocations itself: STATUS_IMAGE_NOT_AT_BASE then means the view is
 * ready), its imports are bound (import.c), its code's references to
 * KUSER_SHARED_DATA's kernel address redirected (krnlrt's
 * KiPatchSharedUserData, image.c) and its sections protected as they ask
 * (image.c). Failures are explained once on the debug output.
 */

#include "ldrp.h"

#define LDRP_DRIVERS_DIRECTORY L"\\SystemRoot\\System32\\drivers\\"
#define LDRP_SYSTEM_DIRECTORY  L"\\SystemRoot\\System32\\"
#define LDRP_PATH_CHARS        260

static NTSTATUS LdrpMapPath(PCWSTR Path, PVOID *Base, SIZE_T *Size)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Io;
    HANDLE File = NULL, Section = NULL;
    NTSTATUS Status;

    RtlInitUnicodeString(&Name, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenFile(&File, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA, &Attributes, &Io,
                        FILE_SHARE_READ | FILE_SHARE_DELETE,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(
        &Section, SECTION_QUERY | SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_MAP_EXECUTE, NULL,
        NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    if (!NT_SUCCESS(Status))
        return Status;
    *Base = NULL;
    *Size = 0;
    Status = ZwMapViewOfSection(Section, NtCurrentProcess(), Base, 0, 0, NULL, Size, ViewShare, 0,
                                PAGE_READWRITE);
    NtClose(Section);
    if (Status == STATUS_IMAGE_NOT_AT_BASE)
        Status = STATUS_SUCCESS; /* relocated by ntos (mm/image.c) */
    return Status;
}

/* Build Directory + Name into Path; FALSE if it does not fit. */
static BOOLEAN LdrpJoinPath(PWCHAR Path, PCWSTR Directory, PCUNICODE_STRING Name)
{
    SIZE_T Used = 0, Chars = Name->Length / sizeof(WCHAR);

    while (Directory[Used] != 0)
        Used++;
    if (Used + Chars + 1 > LDRP_PATH_CHARS)
        return FALSE;
    RtlCopyMemory(Path, Directory, Used * sizeof(WCHAR));
    RtlCopyMemory(Path + Used, Name->Buffer, Chars * sizeof(WCHAR));
    Path[Used + Chars] = 0;
    return TRUE;
}

/*
 * Map ImageName: a full NT path as it is; a bare name from
 * \SystemRoot\System32\drivers, or \SystemRoot\System32 when the store has
 * no drivers directory (the system archive is flat: ntos/io/store.c).
 */
static NTSTATUS LdrpMapDriverImage(PCUNICODE_STRING ImageName, PVOID *Base, SIZE_T *Size)
{
    WCHAR Path[LDRP_PATH_CHARS];
    NTSTATUS Status;

    if (ImageName->Length >= sizeof(WCHAR) && ImageName->Buffer[0] == L'\\') {
        if (!LdrpJoinPath(Path, L"", ImageName))
            return STATUS_NAME_TOO_LONG;
        return LdrpMapPath(Path, Base, Size);
    }
    if (!LdrpJoinPath(Path, LDRP_DRIVERS_DIRECTORY, ImageName))
        return STATUS_NAME_TOO_LONG;
    Status = LdrpMapPath(Path, Base, Size);
    if (Status != STATUS_OBJECT_PATH_NOT_FOUND)
        return Status;
    if (!LdrpJoinPath(Path, LDRP_SYSTEM_DIRECTORY, ImageName))
        return STATUS_NAME_TOO_LONG;
    return LdrpMapPath(Path, Base, Size);
}

NTSTATUS LdrpLoadDriverImage(PCUNICODE_STRING ImageName, PVOID *ImageBase, SIZE_T *ImageSize,
                             PDRIVER_INITIALIZE *EntryPoint)
{
    LDRP_IMAGE Image = {NULL, 0, NULL};
    NTSTATUS Status;

    Status = LdrpMapDriverImage(ImageName, (PVOID *)&Image.Base, &Image.Size);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("cannot map %wZ (0x%08lx)\n", ImageName, (ULONG)Status);
        return Status;
    }
    Status = LdrpCheckImage(&Image);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("%wZ is not an x64 driver image (0x%08lx)\n", ImageName, (ULONG)Status);
        goto out;
    }
    Status = LdrpBindImports(&Image);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = LdrpPatchSharedData(&Image);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("cannot patch the code of %wZ (0x%08lx)\n", ImageName, (ULONG)Status);
        goto out;
    }
    Status = LdrpProtectSections(&Image);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("cannot protect the sections of %wZ (0x%08lx)\n", ImageName, (ULONG)Status);
        goto out;
    }
    *ImageBase = Image.Base;
    *ImageSize = Image.Headers->OptionalHeader.SizeOfImage;
    *EntryPoint =
        (PDRIVER_INITIALIZE)(Image.Base + Image.Headers->OptionalHeader.AddressOfEntryPoint);
out:
    if (!NT_SUCCESS(Status))
        ZwUnmapViewOfSection(NtCurrentProcess(), Image.Base);
    return Status;
}
