/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object manager (ob/): object types, object headers and reference
 * counts, per-process handle tables. Every executive object (process,
 * thread, event, file, ...) is allocated by ObCreateObject: its OBJECT_HEADER
 * (ob/obp.h) lies just before the body the caller gets, so a body pointer is
 * all the rest of ntos passes around. The namespace comes later.
 */
#pragma once

#include <ntos.h>

/* ---- access rights ------------------------------------------------------------------ */

#define DELETE                   0x00010000u
#define READ_CONTROL             0x00020000u
#define WRITE_DAC                0x00040000u
#define WRITE_OWNER              0x00080000u
#define SYNCHRONIZE              0x00100000u
#define STANDARD_RIGHTS_REQUIRED 0x000F0000u
#define STANDARD_RIGHTS_ALL      0x001F0000u
#define SPECIFIC_RIGHTS_ALL      0x0000FFFFu
#define MAXIMUM_ALLOWED          0x02000000u
#define GENERIC_READ             0x80000000u
#define GENERIC_WRITE            0x40000000u
#define GENERIC_EXECUTE          0x20000000u
#define GENERIC_ALL              0x10000000u

#define PROCESS_DUP_HANDLE 0x0040u
#define PROCESS_TERMINATE  0x0001u
#define PROCESS_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFFu)
#define THREAD_TERMINATE   0x0001u
#define THREAD_ALL_ACCESS  (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFFu)

/* NtDuplicateObject options. */
#define DUPLICATE_CLOSE_SOURCE    0x1u
#define DUPLICATE_SAME_ACCESS     0x2u
#define DUPLICATE_SAME_ATTRIBUTES 0x4u

/* The pseudo-handles: never in a handle table, always mean the caller. */
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* Handle attributes kept in a handle table entry. */
#define OBP_HANDLE_ATTRIBUTES (OBJ_INHERIT | OBJ_PROTECT_CLOSE)

typedef struct _GENERIC_MAPPING {
    ACCESS_MASK GenericRead;
    ACCESS_MASK GenericWrite;
    ACCESS_MASK GenericExecute;
    ACCESS_MASK GenericAll;
} GENERIC_MAPPING;

/* NtQueryObject, class ObjectBasicInformation (0). */
typedef enum _OBJECT_INFORMATION_CLASS {
    ObjectBasicInformation = 0,
    ObjectNameInformation = 1,
    ObjectTypeInformation = 2,
    ObjectHandleFlagInformation = 4,
} OBJECT_INFORMATION_CLASS;

typedef struct _OBJECT_HANDLE_FLAG_INFORMATION {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION;
_Static_assert(sizeof(OBJECT_HANDLE_FLAG_INFORMATION) == 2, "OBJECT_HANDLE_FLAG_INFORMATION");

typedef struct _OBJECT_BASIC_INFORMATION {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG PagedPoolCharge;
    ULONG NonPagedPoolCharge;
    ULONG Reserved[3];
    ULONG NameInfoSize;
    ULONG TypeInfoSize;
    ULONG SecurityDescriptorSize;
    LARGE_INTEGER CreationTime;
} OBJECT_BASIC_INFORMATION;
_Static_assert(sizeof(OBJECT_BASIC_INFORMATION) == 0x38, "OBJECT_BASIC_INFORMATION");
_Static_assert(offsetof(OBJECT_BASIC_INFORMATION, CreationTime) == 0x30, "OBI.CreationTime");

/* ---- types ---------------------------------------------------------------------------- */

/* Called once, when the last reference to Object goes: release what the body
 * owns (not the body itself, which ob frees afterwards). Must not fail. */
typedef void (*OB_DELETE_METHOD)(PVOID Object);
/* Called after a handle of Object was closed (NtClose, a process's end),
 * HandleCount = the handles left in every process; the caller's reference
 * is still held. The I/O manager sends IRP_MJ_CLEANUP at the last one. */
typedef void (*OB_CLOSE_METHOD)(PVOID Object, ULONG HandleCount);

/*
 * Called when a name lookup reaches an object of this type with part of the
 * name left over (RemainingName, without its leading backslash; empty when
 * the name ends at the object): the object resolves the rest itself (a
 * device or the \SystemRoot file store opening a file). ParseContext is what
 * the caller of ObOpenObjectByName/ObReferenceObjectByName passed. Returns a
 * referenced object in *Result, or an NTSTATUS (OBJECT_NAME_NOT_FOUND...).
 * May wait.
 */
typedef NTSTATUS (*OB_PARSE_METHOD)(PVOID Object, const UNICODE_STRING *RemainingName,
                                    ULONG Attributes, ACCESS_MASK DesiredAccess, PVOID ParseContext,
                                    PVOID *Result);

typedef struct _OBJECT_TYPE_INITIALIZER {
    ACCESS_MASK ValidAccessMask; /* rights a handle may hold (0: any) */
    GENERIC_MAPPING GenericMapping;
    ULONG PoolTag;                    /* tag of the objects' pool blocks */
    OB_DELETE_METHOD DeleteProcedure; /* may be NULL */
    OB_CLOSE_METHOD CloseProcedure;   /* may be NULL */
    OB_PARSE_METHOD ParseProcedure;   /* NULL: names end at these objects */
} OBJECT_TYPE_INITIALIZER;

typedef struct _OBJECT_TYPE {
    const char *Name;
    OBJECT_TYPE_INITIALIZER TypeInfo;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
} OBJECT_TYPE, *POBJECT_TYPE;

/* Register a type (Name must outlive it: a literal). STATUS_NO_MEMORY. */
NTSTATUS ObCreateObjectType(const char *Name, const OBJECT_TYPE_INITIALIZER *Initializer,
                            POBJECT_TYPE *Type);

/*
 * The process and thread types. ob defines the variables; ps/ creates the
 * types at its initialisation and must allocate every EPROCESS and ETHREAD
 * with ObCreateObject(PsProcessType / PsThreadType, ...): the pseudo-handles
 * -1 and -2 reference the caller's EPROCESS / ETHREAD as objects. While they
 * are NULL, the pseudo-handles give STATUS_INVALID_HANDLE.
 */
extern POBJECT_TYPE PsProcessType, PsThreadType;

/* ---- objects and references ---------------------------------------------------------- */

/* A zeroed body of BodySize bytes with one reference, the caller's.
 * STATUS_INSUFFICIENT_RESOURCES when the pool is out. */
NTSTATUS ObCreateObject(POBJECT_TYPE Type, SIZE_T BodySize, PVOID *Object);
/* Take / drop a reference. The last drop runs the type's delete procedure
 * and frees the object; dropping a reference one does not hold is our bug. */
void ObReferenceObject(PVOID Object);
void ObDereferenceObject(PVOID Object);
POBJECT_TYPE ObGetObjectType(PVOID Object);
/* Current counts (tests, NtQueryObject). Handles hold a reference each. */
LONG_PTR ObGetObjectPointerCount(PVOID Object);
LONG_PTR ObGetObjectHandleCount(PVOID Object);

/* ---- handles -------------------------------------------------------------------------- */

/*
 * Insert Object into Process's handle table (created on first use) with
 * DesiredAccess (generic rights mapped by the type; MAXIMUM_ALLOWED = all
 * valid rights) and the OBJ_INHERIT / OBJ_PROTECT_CLOSE bits of Attributes.
 * The handle takes a reference of its own: the caller keeps its reference.
 * Handles are multiples of 4, never 0. STATUS_INSUFFICIENT_RESOURCES when
 * the table is full or the pool is out.
 */
NTSTATUS ObCreateHandle(PEPROCESS Process, PVOID Object, ACCESS_MASK DesiredAccess,
                        ULONG Attributes, HANDLE *Handle);

/*
 * Reference the object behind Handle in the calling thread's process
 * (KeGetCurrentThread()), or behind a pseudo-handle. Type NULL accepts any
 * type. STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED
 * (a right of DesiredAccess, after generic mapping, is not granted). On
 * success the caller owns one reference: ObDereferenceObject it.
 */
NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, POBJECT_TYPE Type, ACCESS_MASK DesiredAccess,
                                   PVOID *Object);
/* The same in a given process (pseudo-handles mean the calling thread's). */
NTSTATUS ObReferenceObjectByHandleInProcess(PEPROCESS Process, HANDLE Handle, POBJECT_TYPE Type,
                                            ACCESS_MASK DesiredAccess, PVOID *Object,
                                            ACCESS_MASK *GrantedAccess, ULONG *Attributes);

/* Close Handle of Process: STATUS_INVALID_HANDLE (also for the pseudo-
 * handles), STATUS_HANDLE_NOT_CLOSABLE (OBJ_PROTECT_CLOSE). Drops the
 * handle's reference. */
NTSTATUS ObCloseHandle(PEPROCESS Process, HANDLE Handle);

/* Replace the OBJ_INHERIT / OBJ_PROTECT_CLOSE bits of Handle in Process:
 * STATUS_INVALID_HANDLE (also for the pseudo-handles). */
NTSTATUS ObSetHandleAttributes(PEPROCESS Process, HANDLE Handle, ULONG Attributes);

/* Close every handle of Process (protected ones too) and free its table;
 * ps/ calls it when the process ends. Safe when the process has none. */
void ObKillProcessHandleTable(PEPROCESS Process);
/* Handles open in Process (tests, debug). */
ULONG ObGetProcessHandleCount(PEPROCESS Process);

/* ps (ob/obinherit.c): give the new process Child (no handles yet) a copy
 * of each OBJ_INHERIT handle of Parent at the same value, access and
 * attributes, each with its own reference. STATUS_INSUFFICIENT_RESOURCES
 * (the copies made stay in Child: ObKillProcessHandleTable frees them). */
NTSTATUS ObInheritHandles(PEPROCESS Parent, PEPROCESS Child);

/* ---- the namespace (ob/obinsert.c) --------------------------------------------------------- */

typedef struct _CAPTURED_OBJECT_ATTRIBUTES CAPTURED_OBJECT_ATTRIBUTES; /* svc.h */

/*
 * Give a new object (from ObCreateObject) its name, if Attributes has one
 * (relative to Attributes->RootDirectory, a directory handle, or absolute),
 * and a handle in the calling thread's process with DesiredAccess and the
 * handle bits of Attributes->Attributes. Attributes NULL or without a name:
 * an unnamed object. OBJ_PERMANENT keeps the name after the last handle.
 * The caller's reference is always consumed: on success the handle holds
 * the object, on failure the object is gone. With OBJ_OPENIF and an object
 * of the same type under the name, *Handle is a new handle to that one and
 * the status STATUS_OBJECT_NAME_EXISTS (the new object is dropped).
 * Errors: OBJECT_NAME_COLLISION, OBJECT_NAME_INVALID, OBJECT_PATH_NOT_FOUND,
 * OBJECT_PATH_SYNTAX_BAD, OBJECT_TYPE_MISMATCH (OPENIF, other type),
 * INVALID_HANDLE (RootDirectory), INSUFFICIENT_RESOURCES.
 */
NTSTATUS ObInsertObject(PVOID Object, const CAPTURED_OBJECT_ATTRIBUTES *Attributes,
                        ACCESS_MASK DesiredAccess, HANDLE *Handle);

/*
 * Open the object Attributes names (symbolic links followed, parse methods
 * called with ParseContext) as a handle of the calling thread's process.
 * Type NULL accepts any type. Errors: OBJECT_NAME_NOT_FOUND,
 * OBJECT_PATH_NOT_FOUND, OBJECT_NAME_INVALID (no name), OBJECT_TYPE_MISMATCH,
 * ACCESS_DENIED, INVALID_HANDLE (RootDirectory), INSUFFICIENT_RESOURCES.
 */
NTSTATUS ObOpenObjectByName(const CAPTURED_OBJECT_ATTRIBUTES *Attributes, POBJECT_TYPE Type,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, HANDLE *Handle);

/* The same for ntos itself: an absolute Name, a referenced object. */
NTSTATUS ObReferenceObjectByName(const UNICODE_STRING *Name, ULONG Attributes, POBJECT_TYPE Type,
                                 PVOID ParseContext, PVOID *Object);

/*
 * Make the namespace: the Directory and SymbolicLink types, the root and the
 * standard tree (\??, \GLOBAL??, \Device, \Driver, \ObjectTypes, \KnownDlls,
 * \BaseNamedObjects, \KernelObjects, \DosDevices -> \??). ke/main.c calls it
 * right after MmInitSystem; whatever inserts names of its own (\SystemRoot)
 * runs after it. Fails only when the pool is out.
 */
NTSTATUS ObInitSystem(void);

/* Name an object of ntos at an absolute Path ("\\Device\\Null"), permanent
 * (the namespace takes a reference of its own; the caller keeps its own).
 * The parent directories must exist. Boot-time use. */
NTSTATUS ObInsertPermanentObject(PVOID Object, const char *Path);

/* io: take an object's name away now, whatever its handles and
 * OBJ_PERMANENT (IoDeleteDevice, a driver that goes): lookups fail from
 * then on; the references held elsewhere stay. Nothing for an unnamed one. */
void ObMakeTemporaryObject(PVOID Object);

/* shell branch: an object's full name ("\\Device\\Serial0") into Buffer
 * (Capacity bytes; NULL measures), no NUL: its length in bytes, 0 for an
 * unnamed object; when it does not fit nothing is written (io/device.c's
 * list of devices for NtQuerySystemInformation). */
ULONG ObQueryNameString(PVOID Object, WCHAR *Buffer, ULONG Capacity);
