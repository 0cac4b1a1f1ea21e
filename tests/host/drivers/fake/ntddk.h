/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few ddk names the drivers' pure parts use (drivers/video/console's
 * terminal), for compiling them on the host under the sanitizers
 * (tests/host/drivers). Not the ddk: only types and the Rtl memory macros.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#define VOID void
#define NTAPI
#define TRUE  1
#define FALSE 0
typedef uint8_t UCHAR, *PUCHAR, BOOLEAN;
typedef uint16_t USHORT, *PUSHORT;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, NTSTATUS;
typedef uint64_t ULONGLONG;
typedef size_t SIZE_T;

#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlZeroMemory(Destination, Length)         memset((Destination), 0, (Length))
