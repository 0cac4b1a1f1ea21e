/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private structures of the object manager: the object header that precedes
 * every body, and the per-process handle table (ob/handle.c).
 */
#pragma once

#include <ob.h>
#include <mm.h>

#define OBP_HEADER_MAGIC 0x6a624f4eu /* "NObj" */
#define OBP_TYPE_TAG     0x7954624fu /* "ObTy" */
#define OBP_TABLE_TAG    0x7448624fu /* "ObHt" */

/* Lies just before the body; 32 bytes so bodies stay 16-byte aligned. */
typedef struct _OBJECT_HEADER {
    LONG_PTR PointerCount; /* references, one per handle included */
    LONG_PTR HandleCount;  /* handles in every process's table */
    POBJECT_TYPE Type;
    ULONG Magic;
    ULONG Reserved;
} OBJECT_HEADER, *POBJECT_HEADER;
_Static_assert(sizeof(OBJECT_HEADER) == 32, "bodies keep the pool's 16-byte alignment");

static inline POBJECT_HEADER ObpHeader(PVOID Object)
{
    POBJECT_HEADER Header = (POBJECT_HEADER)Object - 1;
    ASSERT(Header->Magic == OBP_HEADER_MAGIC); /* only ObCreateObject bodies are objects */
    return Header;
}

/*
 * A handle table: a directory of chunks of entries, grown a chunk at a time
 * (each fits a pool block). Handle value = (index + 1) * 4; the low two bits
 * of a handle are ignored on lookup, as on Windows. Free entries (Object
 * NULL) are chained through NextFree (index + 1; 0 ends the chain).
 */
#define OBP_ENTRIES_PER_CHUNK 128u
#define OBP_MAX_CHUNKS        256u
#define OBP_MAX_HANDLES       (OBP_ENTRIES_PER_CHUNK * OBP_MAX_CHUNKS)

typedef struct _HANDLE_TABLE_ENTRY {
    PVOID Object; /* body; NULL when free */
    union {
        ACCESS_MASK GrantedAccess;
        ULONG NextFree;
    };
    ULONG Attributes; /* OBJ_INHERIT | OBJ_PROTECT_CLOSE */
} HANDLE_TABLE_ENTRY;
_Static_assert(sizeof(HANDLE_TABLE_ENTRY) == 16, "entry size");

struct _HANDLE_TABLE {
    HANDLE_TABLE_ENTRY *Chunks[OBP_MAX_CHUNKS];
    ULONG ChunkCount;
    ULONG FirstFree; /* index + 1 of the first free entry; 0: none */
    ULONG HandleCount;
};

/* Map generic rights through the type; MAXIMUM_ALLOWED gives every valid right. */
ACCESS_MASK ObpMapAccess(POBJECT_TYPE Type, ACCESS_MASK Access);
