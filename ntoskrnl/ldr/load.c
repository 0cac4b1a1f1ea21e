/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldr/load.c: loading the driver image (in progress).
 */

#include <ntoskrnl.h>

NTSTATUS LdrpLoadDriverImage(PCUNICODE_STRING ImageName, PVOID *ImageBase, SIZE_T *ImageSize,
                             PDRIVER_INITIALIZE *EntryPoint)
{
    return STATUS_NOT_IMPLEMENTED;
}
