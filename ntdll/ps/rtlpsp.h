/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll/ps/: the system services its code calls
 * (Windows' signatures, as the generated stubs define them) and the
 * helpers the files share.
 */
#pragma once

#include "ntdllp.h"

#include <nt/rtlps.h>
#include <nt/memory.h>
#include <ntsvc.h> /* the generated service prototypes */

/* Fresh zeroed committed memory of the caller (Size bytes, rounded up),
 * and its release. */
NTSTATUS RtlpAllocateBlock(SIZE_T Size, PVOID *Block);
VOID RtlpFreeBlock(PVOID Block);
/* Bytes of an environment block up to and with its final "\0\0" (2 for
 * an empty one). */
SIZE_T RtlpEnvironmentSize(PCWSTR Environment);
