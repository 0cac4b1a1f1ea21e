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

/* Header flags. */
#define OBP_FLAG_PERMANENT 0x1u /* the name stays without handles (OBJ_PERMANENT) */
#define OBP_FLAG_EXCLUSIVE 0x2u /* made with OBJ_EXCLUSIVE: ExclusiveProcessId may open it */
#define OBP_FLAG_SYSTEM    0x4u /* named by ntos itself: never made temporary by a caller */

/*
 * Lies just before the body; 80 bytes so bodies stay 16-byte aligned. A
 * named object has Name (its last component, pool memory) and Directory
 * (its parent, referenced by the name); the directory's entry references
 * the object in turn, so a name keeps both alive until it is removed
 * (ob/obinsert.c: when the last handle goes, unless permanent).
 */
typedef struct _OBJECT_HEADER {
    LONG_PTR PointerCount; /* references, one per handle included */
    LONG_PTR HandleCount;  /* handles in every process's table */
    POBJECT_TYPE Type;
    ULONG Magic;
    ULONG Flags;         /* OBP_FLAG_* */
    UNICODE_STRING Name; /* empty when unnamed */
    PVOID Directory;     /* parent directory body while named, else NULL */
    struct _OBJECT_HEADER *NextInDirectory;
    ULONG_PTR ExclusiveProcessId; /* OBP_FLAG_EXCLUSIVE: the creator's id */
    ULONG_PTR Reserved;
} OBJECT_HEADER, *POBJECT_HEADER;
_Static_assert(sizeof(OBJECT_HEADER) == 80, "bodies keep the pool's 16-byte alignment");

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

/* ---- the namespace (obdir.c, obsymlink.c, obname.c, obinsert.c, obinit.c) ----------------- */

#define OBP_NAME_TAG      0x6d4e624fu /* "ObNm": names and reparse buffers */
#define OBP_DIRECTORY_TAG 0x6944624fu /* "ObDi" */
#define OBP_SYMLINK_TAG   0x7953624fu /* "ObSy" */

#define DIRECTORY_QUERY               0x0001u
#define DIRECTORY_TRAVERSE            0x0002u
#define DIRECTORY_CREATE_OBJECT       0x0004u
#define DIRECTORY_CREATE_SUBDIRECTORY 0x0008u
#define DIRECTORY_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | 0xFu)
#define SYMBOLIC_LINK_QUERY           0x0001u
#define SYMBOLIC_LINK_ALL_ACCESS      (STANDARD_RIGHTS_REQUIRED | 0x1u)

/* The longest name a caller may give, in bytes (Windows: a name and its
 * NUL must fit a UNICODE_STRING). */
#define OBP_MAX_NAME_LENGTH 0xFFFCu

/* Symbolic links followed in one lookup before it gives up (a loop). */
#define OBP_MAX_REPARSE 32u

/* A directory: its named children newest first (headers chained through
 * NextInDirectory). Each entry holds a reference to its object. */
typedef struct _OBJECT_DIRECTORY {
    POBJECT_HEADER First;
    ULONG Count;
} OBJECT_DIRECTORY, *POBJECT_DIRECTORY;

/* A symbolic link: its target path (pool memory, NUL-terminated:
 * MaximumLength = Length + 2). */
typedef struct _OBJECT_SYMBOLIC_LINK {
    UNICODE_STRING Target;
} OBJECT_SYMBOLIC_LINK, *POBJECT_SYMBOLIC_LINK;

extern POBJECT_TYPE ObpDirectoryObjectType, ObpSymbolicLinkObjectType, ObpTypeObjectType;
extern POBJECT_DIRECTORY ObpRootDirectory; /* NULL until ObInitSystem */

/* Every type made so far, for \ObjectTypes (obtype.c). */
POBJECT_TYPE ObpFirstType(void);
POBJECT_TYPE ObpNextType(POBJECT_TYPE Type);
/* Every type is an OBP_TYPE (obtype.c): record / read its high-water counts
 * (after each new object or handle) and its index. */
void ObpNoteTypeCounts(POBJECT_TYPE Type);
void ObpQueryTypeCounts(POBJECT_TYPE Type, ULONG *HighWaterObjects, ULONG *HighWaterHandles,
                        ULONG *Index);
/* Name a type in \ObjectTypes (a no-op before ObInitSystem). */
void ObpNameType(POBJECT_TYPE Type);

NTSTATUS ObpCreateDirectoryType(void);
NTSTATUS ObpCreateSymbolicLinkType(void);
/* A new unnamed symbolic link to Target (copied); one reference, the caller's. */
NTSTATUS ObpCreateSymbolicLink(const WCHAR *Target, USHORT Length, PVOID *Link);

/* Directory entries (obdir.c). Lookup gives an unreferenced body or NULL. */
PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, const WCHAR *Name, USHORT Length,
                              BOOLEAN CaseInsensitive);
/* Name Object in Directory (Name copied; the entry and the parent link take
 * a reference each). STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object, const WCHAR *Name,
                                 USHORT Length);
/* Remove Object's name (drops both references; Object may go with it). */
void ObpRemoveDirectoryEntry(PVOID Object);

/* What a lookup is asked for (obname.c). */
typedef struct _OBP_LOOKUP {
    HANDLE RootHandle;          /* NULL: Name is absolute */
    const UNICODE_STRING *Name; /* not NULL, Length > 0 unless RootHandle */
    ULONG Attributes;           /* OBJ_CASE_INSENSITIVE, OBJ_OPENLINK */
    POBJECT_TYPE Type;          /* the type the caller opens (NULL: any) */
    ACCESS_MASK DesiredAccess;  /* for parse procedures */
    PVOID ParseContext;
    PVOID InsertObject; /* non-NULL: name this object (the last component must be new) */
} OBP_LOOKUP;

/*
 * Resolve Lookup->Name. Open: *Found is the referenced object the name
 * reaches (links followed, parse procedures called). Insert: the object is
 * named and *Found is it (referenced) with STATUS_SUCCESS, or *Found is the
 * existing object of that name (referenced) with STATUS_OBJECT_NAME_EXISTS
 * (OBJ_OPENIF, same type), or an error (COLLISION, TYPE_MISMATCH...). May
 * wait (parse procedures).
 */
NTSTATUS ObpLookupObjectName(const OBP_LOOKUP *Lookup, PVOID *Found);

/* Remove the name of an object with no handle left unless it is permanent
 * (obinsert.c; handle.c calls it when a handle count drops to 0). */
void ObpDeleteNameCheck(PVOID Object);

/* The full path of Object ("\\A\\B"), widened into Buffer (NULL: measure):
 * the length in bytes without a NUL; 0 for an unnamed object. */
ULONG ObpQueryFullName(PVOID Object, WCHAR *Buffer, ULONG Capacity);
/* A type's name widened (NULL: measure); the length in bytes without NUL. */
ULONG ObpTypeName(POBJECT_TYPE Type, WCHAR *Buffer, ULONG Capacity);
/* Compare two counted wide strings (case-insensitive as RtlUpcaseUnicodeChar). */
BOOLEAN ObpEqualNames(const WCHAR *A, USHORT ALength, const WCHAR *B, USHORT BLength,
                      BOOLEAN CaseInsensitive);
