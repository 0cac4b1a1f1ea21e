/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PS_ATTRIBUTE_LIST of the creation services (ps/attrib.c): the Windows
 * x64 records and attribute values, and the captured form ps works on.
 */
#pragma once

#include "psp.h"

#include <svc.h>

/* PsAttributeValue(Number, Thread 0x10000, Input 0x20000, Additive 0x40000). */
#define PS_ATTRIBUTE_CLIENT_ID   0x10003u
#define PS_ATTRIBUTE_TEB_ADDRESS 0x10004u
#define PS_ATTRIBUTE_IMAGE_NAME  0x20005u
#define PS_ATTRIBUTE_IMAGE_INFO  0x00006u

typedef struct _PS_ATTRIBUTE {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value;        /* the value, or a user pointer to it */
    ULONG_PTR ReturnLength; /* user SIZE_T *, may be 0 */
} PS_ATTRIBUTE;
_Static_assert(sizeof(PS_ATTRIBUTE) == 32, "PS_ATTRIBUTE");

/* SECTION_IMAGE_INFORMATION, Windows x64. */
#define PSP_SECTION_IMAGE_INFORMATION_SIZE 0x40

/* Which attributes a service accepts (any other: STATUS_INVALID_PARAMETER). */
#define PSP_ACCEPT_CLIENT_ID   0x1u
#define PSP_ACCEPT_TEB_ADDRESS 0x2u
#define PSP_ACCEPT_IMAGE_NAME  0x4u
#define PSP_ACCEPT_IMAGE_INFO  0x8u

typedef struct _PSP_ATTRIBUTES {
    ULONG Count;
    PS_ATTRIBUTE Entries[32];
} PSP_ATTRIBUTES;

/* Capture the list at List (0: none) of the calling thread's process.
 * STATUS_INVALID_PARAMETER (bad TotalLength, an attribute not accepted or
 * too small), STATUS_ACCESS_VIOLATION (unreadable list, unwritable
 * output). */
NTSTATUS PspCaptureAttributes(USER_ADDRESS List, ULONG Accepted, PSP_ATTRIBUTES *Out);
const PS_ATTRIBUTE *PspFindAttribute(const PSP_ATTRIBUTES *List, ULONG_PTR Attribute);
/* Write the client id and TEB address outputs of a new thread. */
void PspWriteThreadAttributes(const PSP_ATTRIBUTES *List, PETHREAD Thread);
void PspWriteImageInfoAttribute(const PSP_ATTRIBUTES *List, const void *Info, SIZE_T Size);
