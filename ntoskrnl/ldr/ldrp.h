/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/ldrp.h: private declarations of the driver image loader (ldr/).
 */
#pragma once

#include <ntoskrnl.h>
#include <ntimage.h>
#include <string.h>

#ifndef SEC_IMAGE
#define SEC_IMAGE 0x1000000
#endif

NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                               PSIZE_T RegionSize, ULONG NewProtect,
                                               PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics,
                                   PUNICODE_STRING DllName, PVOID *BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *ProcedureAddress);

/* A mapped image: Base and Size (SizeOfImage) bound every access to it. */
typedef struct _LDRP_IMAGE {
    PUCHAR Base;
    SIZE_T Size;
    PIMAGE_NT_HEADERS64 Headers;
} LDRP_IMAGE;

/* image.c: Image->Headers after checking the headers lie inside the image
 * and describe an x64 PE32+ image (INVALID_IMAGE_FORMAT otherwise). */
NTSTATUS LdrpCheckImage(LDRP_IMAGE *Image);

/* image.c: Count elements of Element bytes at Rva, inside the image; NULL
 * if they are not. */
PVOID LdrpImageArray(const LDRP_IMAGE *Image, ULONG Rva, SIZE_T Count, SIZE_T Element);

/* image.c: the NUL-terminated string at Rva, inside the image; NULL if it
 * runs past the end. */
PCSTR LdrpImageString(const LDRP_IMAGE *Image, ULONG Rva);

/* image.c: give every section the protection its characteristics ask
 * for (after the imports are bound). */
NTSTATUS LdrpProtectSections(const LDRP_IMAGE *Image);

/* image.c: redirect the code's references to KUSER_SHARED_DATA's kernel
 * address (KiPatchSharedUserData on each executable section). */
NTSTATUS LdrpPatchSharedData(const LDRP_IMAGE *Image);

/* import.c: bind every import of Image; the first unresolved one is named
 * on the debug output and fails the load. */
NTSTATUS LdrpBindImports(const LDRP_IMAGE *Image);

/* export.c: an export of the runtime itself (ntoskrnl.exe and hal.dll
 * imports), by name with a hint or by ordinal (Name NULL); forwarders to
 * ntdll are followed. STATUS_DRIVER_ENTRYPOINT_NOT_FOUND /
 * STATUS_DRIVER_ORDINAL_NOT_FOUND when it has none. */
NTSTATUS LdrpFindRuntimeExport(PCSTR Name, USHORT Hint, ULONG Ordinal, PVOID *Address);
