/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interfaces of ps/: the PE reader (image.c, pure code that the
 * pe-image host suite compiles too), image mapping (imagemap.c), the
 * process and thread tables (process.c, thread.c), the user-mode blocks
 * ntos builds in a new process (peb.c, teb.c, kuser.c) and thread start.
 */
#pragma once

#include <ntos.h>
#include <mm.h>
#include <ps.h>
#include <nt/image.h>

/* ---- the PE reader (image.c) ------------------------------------------------------ */

#define PSP_MAX_SECTIONS         96          /* Windows' limit */
#define PSP_MAX_IMAGE_SIZE       0x40000000u /* 1 GiB: larger gives STATUS_SECTION_TOO_BIG */
#define PSP_IMAGE_BASE_ALIGNMENT 0x10000ull

/* What PspParseImage learnt from a validated PE32+ file. Sections points
 * into a copy owned by the structure, so the file may be unaligned. */
typedef struct _PSP_IMAGE_INFO {
    ULONGLONG ImageBase; /* preferred base, 64 KiB aligned */
    ULONG SizeOfImage;   /* rounded up to whole pages */
    ULONG SizeOfHeaders;
    ULONG EntryPointRva; /* 0: none (DLL) */
    ULONG SectionAlignment, FileAlignment;
    USHORT Characteristics, DllCharacteristics;
    USHORT Subsystem, SubsystemMajorVersion, SubsystemMinorVersion;
    ULONGLONG StackReserve, StackCommit;
    ULONG NumberOfSections;
    IMAGE_SECTION_HEADER Sections[PSP_MAX_SECTIONS];
    IMAGE_DATA_DIRECTORY Directories[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} PSP_IMAGE_INFO, *PPSP_IMAGE_INFO;

/* Validate File as a PE32+ image for x64 (nt-abi §4.1) and describe it.
 * Errors: STATUS_INVALID_IMAGE_NOT_MZ, STATUS_INVALID_IMAGE_NE_FORMAT,
 * STATUS_INVALID_IMAGE_LE_FORMAT, STATUS_INVALID_IMAGE_FORMAT,
 * STATUS_SECTION_TOO_BIG. Never reads outside [File, File + FileSize). */
NTSTATUS PspParseImage(const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info);

/* What Windows reports of a validated image (NtQuerySection class 1,
 * PS_ATTRIBUTE_IMAGE_INFO): Info from PspParseImage, Headers its first
 * HeadersSize bytes (the file or the header page), FileSize the file's. */
void PspFillImageInformation(PPSP_IMAGE_INFO Info, const void *Headers, SIZE_T HeadersSize,
                             SIZE_T FileSize, SECTION_IMAGE_INFORMATION *Out);

/* The bytes of one image page (PageRva page aligned, < SizeOfImage) as the
 * loader lays it out: headers, section raw data, zeros elsewhere. */
void PspBuildImagePage(PPSP_IMAGE_INFO Info, const void *File, SIZE_T FileSize, ULONG PageRva,
                       UCHAR *Page);

/* The NT protection of image page PageRva (headers read-only; a section's
 * pages, including its tail up to the next section, per nt-abi §4.2). */
ULONG PspImagePageProtection(PPSP_IMAGE_INFO Info, ULONG PageRva);
ULONG PspSectionProtection(ULONG Characteristics);

/* Access to a laid-out image, a page at a time: the mapper reaches pages
 * through the physmap, the host test through a buffer. PageAddress
 * returns the page that holds PageRva (page aligned, < Size), or NULL. */
typedef struct _PSP_IMAGE_VIEW {
    void *Context;
    UCHAR *(*PageAddress)(void *Context, ULONG PageRva);
    ULONG Size; /* SizeOfImage */
    /* sections branch: the page to write (relocations), if it differs from
     * PageAddress's: mm's image views give a private copy of a shared page.
     * NULL: writes go to PageAddress's page. */
    UCHAR *(*WritablePageAddress)(void *Context, ULONG PageRva);
} PSP_IMAGE_VIEW, *PPSP_IMAGE_VIEW;

NTSTATUS PspReadImage(PPSP_IMAGE_VIEW View, ULONG Rva, void *Buffer, ULONG Length);
NTSTATUS PspWriteImage(PPSP_IMAGE_VIEW View, ULONG Rva, const void *Buffer, ULONG Length);

/* Apply the base relocations for a view laid out at NewBase (nt-abi §4.5:
 * DIR64, HIGHLOW, ABSOLUTE). A bad block or entry is
 * STATUS_INVALID_IMAGE_FORMAT; an image with IMAGE_FILE_RELOCS_STRIPPED
 * that must move is STATUS_CONFLICTING_ADDRESSES. */
NTSTATUS PspRelocateImage(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, ULONGLONG NewBase);

/* The RVA of the export Name (case-sensitive, binary search of the sorted
 * name table, nt-abi §4.4). Errors: STATUS_PROCEDURE_NOT_FOUND (absent or a
 * forwarder), STATUS_INVALID_IMAGE_FORMAT (a broken export directory). */
NTSTATUS PspFindExport(PPSP_IMAGE_VIEW View, PPSP_IMAGE_INFO Info, const char *Name, ULONG *Rva);

/* ---- mapping into a process (imagemap.c) ------------------------------------------------ */

/* A view of an image mapped in a process, reached through the physmap. */
typedef struct _PSP_MAPPED_VIEW {
    MMADDRESS_SPACE *Space;
    ULONG_PTR Base;
} PSP_MAPPED_VIEW;

void PspInitializeImageView(PPSP_IMAGE_VIEW View, PSP_MAPPED_VIEW *Mapped, PEPROCESS Process,
                            ULONG_PTR Base, ULONG SizeOfImage);
/* PspMapImage with the image's description in Info (parsed, mapped, relocated). */
NTSTATUS PspMapImageFile(PEPROCESS Process, const void *File, SIZE_T FileSize, PPSP_IMAGE_INFO Info,
                         ULONG_PTR *ImageBase);

/* ---- processes and threads (process.c, thread.c) ------------------------------------------ */

#define PSP_PROCESS_TAG      0x636f7250 /* 'Proc' */
#define PSP_THREAD_TAG       0x64726854 /* 'Thrd' */
#define PSP_CNODE_BITS       4          /* 16 slots: KI_SERVICE_SLOT, KI_FAULT_SLOT, ... */
#define PSP_CNODE_GUARD_BITS (seL4_WordBits - PSP_CNODE_BITS)

struct _PSP_THREAD;

/* ps's view of a process: the EPROCESS ob and ke know, then ps's own fields. */
typedef struct _PSP_PROCESS {
    EPROCESS Pcb;
    ULONG_PTR ThreadStart;              /* ntdll!LdrInitializeThunk */
    ULONG_PTR ExceptionDispatcher;      /* ntdll!KiUserExceptionDispatcher, 0: none */
    ULONGLONG StackReserve;             /* from the image header */
    struct _PSP_THREAD *Threads;        /* live threads */
    LARGE_INTEGER CreateTime, ExitTime; /* system time (100 ns since 1601) */
    ULONG Cookie;                       /* ProcessCookie (RtlEncodePointer) */
    struct _PSP_PROCESS *NextProcess;   /* the list of running processes */
    bool Terminating;
    bool AddressSpaceDeleted;
    ULONG_PTR UserThreadStart; /* ntdll!RtlUserThreadStart, 0: none */
    ULONG_PTR ParentProcessId; /* InheritedFromUniqueProcessId */
    ULONGLONG StackCommit;     /* from the image header */
    ULONG HardErrorMode;       /* ProcessDefaultHardErrorMode */
    UCHAR PriorityClass;       /* PROCESS_PRIORITY_CLASS_* */
    LONG BasePriority;         /* from the class, or set */
    ULONG_PTR AffinityMask;
    ULONG ExecuteFlags; /* MEM_EXECUTE_OPTION_* */
    /* NtCreateProcessEx: no thread yet, so no "running" reference (the
     * handles keep it); the first thread takes one (thread.c). */
    bool Dormant;
} PSP_PROCESS, *PPSP_PROCESS;

/*
 * A thread. Each thread has its own CSpace, a CNode of 2^4 slots (guard
 * 60) holding its service endpoint cap (badge = its id) in KI_SERVICE_SLOT
 * and its fault endpoint cap (id | KI_BADGE_FAULT) in KI_FAULT_SLOT: ntdll
 * calls slot 1 in every thread, and the badge still names the thread.
 */
typedef struct _PSP_THREAD {
    ETHREAD Tcb;
    seL4_CPtr CNode;
    ULONG_PTR StackReservation; /* DeallocationStack: the whole reserve */
    struct _PSP_THREAD *NextInProcess;
    ULONG_PTR StartAddress; /* what its CONTEXT runs (Win32StartAddress) */
    NTSTATUS ExitStatus;    /* STATUS_PENDING while it runs */
    LARGE_INTEGER CreateTime, ExitTime;
    bool Registered;   /* KeRegisterThread gave it its id */
    bool TcbSuspended; /* its TCB is stopped by ps (created suspended or seL4_TCB_Suspend) */
    bool HideFromDebugger;
    LONG Priority;     /* NT priority 1..31, from BasePriority + the process's base */
    LONG BasePriority; /* increment over the process's base (-2..2, or ±16 saturation) */
    ULONG_PTR AffinityMask;
} PSP_THREAD, *PPSP_THREAD;

#define PspProcess(p) ((PPSP_PROCESS)(p))
#define PspThread(t)  ((PPSP_THREAD)(t))

/* Create the object types (once). */
NTSTATUS PspInitialize(void);
/* A thread of Process starting in ntdll with a CONTEXT for StartAddress(Parameter). */
NTSTATUS PspCreateThread(PEPROCESS Process, ULONG_PTR StartAddress, ULONG_PTR Parameter,
                         PETHREAD *Thread);
/* How a thread starts: its CONTEXT's Rip, Rcx and Rdx, what
 * ThreadQuerySetWin32StartAddress reports, its stack reservation and
 * initial commit (0: the image's) and whether it waits for NtResumeThread
 * (SuspendCount 1). */
typedef struct _PSP_THREAD_START {
    ULONG_PTR ContextRip, ContextRcx, ContextRdx;
    ULONG_PTR Win32StartAddress;
    ULONGLONG StackReserve, StackCommit;
    bool Suspended;
} PSP_THREAD_START;
NTSTATUS PspCreateThreadEx(PEPROCESS Process, const PSP_THREAD_START *Start, PETHREAD *Thread);
/* Insert a new process in the list of running processes (the process list
 * of SystemProcessInformation, lookups by id). */
void PspLinkProcess(PEPROCESS Process);
/* The running processes, newest first (ex/sysinfo.c walks them). */
PEPROCESS PspFirstProcess(void);
PEPROCESS PspNextProcess(PEPROCESS Process);
/* A new process object with an id, times, a cookie and default settings
 * (not yet running: PspAbandonProcess undoes it). */
NTSTATUS PspAllocateProcess(const char *ImageName, PEPROCESS *Process);
void PspAbandonProcess(PEPROCESS Process);
/* Map the program File (Info describes it), ntdll, KUSER_SHARED_DATA: the
 * address space of a new process, without PEB. */
NTSTATUS PspMapProcessImages(PEPROCESS Process, const void *File, SIZE_T Size,
                             PPSP_IMAGE_INFO Info);
/* NtResumeThread on an object: lower its suspend count, run it at 0. */
NTSTATUS PsResumeThread(PETHREAD Thread, ULONG *PreviousCount);
/* Map a thread's NT priority (1..31) onto its seL4 priority (below ntos's). */
void PspApplyPriority(PETHREAD Thread);
#define PSP_PRIORITY_NORMAL 8
ULONG_PTR PspThreadStackReservation(PETHREAD Thread);
/* A running process by id (no reference taken), or NULL. */
PEPROCESS PspLookupProcessById(ULONG_PTR ProcessId);
/* Called by thread.c when the last thread of a process has ended. */
void PspProcessEnded(PEPROCESS Process, NTSTATUS ExitStatus);
/* ObDereferenceObject, but for the current thread and its process only
 * once the request is over (ke uses them until it returns to the loop). */
void PspDereferenceObject(PVOID Object);
void PspFlushDeferred(void);

/* ---- user-mode blocks (peb.c, teb.c, kuser.c) ---------------------------------------------- */

NTSTATUS PspCreatePeb(PEPROCESS Process, PPSP_IMAGE_INFO Image, const char *ImageName,
                      const WCHAR *CommandLine);
/* Copy the caller's RTL_USER_PROCESS_PARAMETERS at UserParameters (and
 * its environment) into Process, normalised (params.c): *Parameters is the
 * child's address, *Flags its Flags. STATUS_INVALID_PARAMETER (NULL, bad
 * string lengths, environment over 1 MiB), STATUS_ACCESS_VIOLATION,
 * STATUS_INSUFFICIENT_RESOURCES, mm's errors. */
NTSTATUS PspCopyProcessParameters(PEPROCESS Process, ULONG_PTR UserParameters,
                                  ULONG_PTR *Parameters, ULONG *Flags);
/* The PEB pointing at process parameters already placed in the process. */
NTSTATUS PspCreatePebWithParameters(PEPROCESS Process, PPSP_IMAGE_INFO Image, ULONG_PTR Parameters);
/* The TEB and the IPC buffer after it; *IpcBufferPage is that frame. */
NTSTATUS PspCreateTeb(PETHREAD Thread, PMMPFN *IpcBufferPage);
NTSTATUS PspMapSharedUserData(PEPROCESS Process);
/* A value that differs between calls (the TSC, mixed). */
ULONG PspRandomUlong(void);
