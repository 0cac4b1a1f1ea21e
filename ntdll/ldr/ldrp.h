/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll's user-mode loader (ntdll/ldr/): the module
 * list (module.c), bounds-checked access to mapped images (image.c), export
 * lookup with forwarders (export.c), import snapping (import.c) and process
 * start-up (init.c, thunk.S). Every function that reads an image checks
 * each RVA against SizeOfImage first, so a bad table gives a status
 * (STATUS_INVALID_IMAGE_FORMAT) instead of a fault.
 */
#pragma once

#include "../ntdllp.h"
#include <nt/memory.h>

/* LDR_DATA_TABLE_ENTRY.Flags (Windows values). */
#define LDRP_STATIC_LINK           0x00000002
#define LDRP_IMAGE_DLL             0x00000004
#define LDRP_LOAD_IN_PROGRESS      0x00001000
#define LDRP_PROCESS_ATTACH_CALLED 0x00080000
#define LDRP_ENTRY_PROCESSED       0x00004000
#define LDRP_DONT_CALL_FOR_THREADS 0x00040000

/* LdrGetDllHandleEx and LdrAddRefDll flags (Windows values). */
#define LDR_GET_DLL_HANDLE_EX_UNCHANGED_REFCOUNT 0x00000001
#define LDR_GET_DLL_HANDLE_EX_PIN                0x00000002
#define LDR_ADDREF_DLL_PIN                       0x00000001

#ifndef CONTAINING_RECORD
#define CONTAINING_RECORD(address, type, field) ((type *)((PUCHAR)(address)-offsetof(type, field)))
#endif

/* DllMain and TLS callback reasons. */
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH  2
#define DLL_THREAD_DETACH  3

/* An entry of the module list with what only the loader needs: the
 * modules it holds a reference on through its imports, and whether its
 * view is the loader's to unmap. LDR_DATA_TABLE_ENTRY comes first, so a
 * list link is also a pointer to this. */
typedef struct _LDRP_MODULE {
    LDR_DATA_TABLE_ENTRY Entry;
    PLDR_DATA_TABLE_ENTRY *Dependencies; /* process heap */
    ULONG DependencyCount;
    ULONG DependencyCapacity;
    BOOLEAN Mapped;   /* the loader mapped it (LdrLoadDll): unmap on unload */
    PWSTR PathBuffer; /* FullDllName's buffer when the loader allocated it */
} LDRP_MODULE, *PLDRP_MODULE;

/* A forwarder chain longer than this is treated as a loop. */
#define LDRP_MAX_FORWARDER_DEPTH 16

/* ---- images (image.c) --------------------------------------------------------- */

/* Base + Rva when [Rva, Rva + Length) lies inside the image, else NULL. */
PVOID LdrpImageRange(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva, SIZE_T Length);
/* The same for an array of Count elements of Size bytes, which must also be
 * aligned to the largest power of two dividing Size, at most 8 (every
 * linker aligns PE tables; a misaligned one is treated as corrupt). */
PVOID LdrpImageArray(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva, SIZE_T Count, SIZE_T Size);
/* The NUL-terminated ASCII string at Rva, or NULL when it runs past the
 * image's end. */
PCSTR LdrpImageString(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva);
/* The section header holding Rva, or NULL (headers checked). */
PIMAGE_SECTION_HEADER LdrpImageSection(PLDR_DATA_TABLE_ENTRY Module, ULONG Rva);
/* Data directory Index of a mapped image, bounds-checked and 4-byte
 * aligned: STATUS_SUCCESS
 * with *Data = NULL when the directory is empty. */
NTSTATUS LdrpImageDirectory(PLDR_DATA_TABLE_ENTRY Module, ULONG Index, PVOID *Data, PULONG Rva,
                            PULONG Size);

/* ---- the module list (module.c) -------------------------------------------------- */

/* Point Peb->Ldr at the loader's data and empty its lists. */
VOID LdrpInitializeModuleList(PPEB Peb);
/* Record a mapped image (headers already checked) under FullName (the DOS
 * path; the base name is its last component). The strings are referenced,
 * not copied. STATUS_NO_MEMORY when the static entry pool is exhausted,
 * STATUS_INVALID_IMAGE_FORMAT for bad headers. */
NTSTATUS LdrpCreateModule(PVOID Base, PCUNICODE_STRING FullName, ULONG Flags,
                          PLDR_DATA_TABLE_ENTRY *Module);
/* A loaded module whose base name is Name (Length characters, narrow or
 * WCHAR; a directory part is ignored, ".dll" is implied when the name has
 * no extension), compared case-insensitively. NULL when none. */
PLDR_DATA_TABLE_ENTRY LdrpFindModuleByName(const void *Name, SIZE_T Length, BOOLEAN Wide);
PLDR_DATA_TABLE_ENTRY LdrpFindModuleByBase(PVOID Base);

/* Put Module on the initialisation-order list (its DllMain runs in that
 * order; ntdll first). */
VOID LdrpInsertInitOrder(PLDR_DATA_TABLE_ENTRY Module);
/* Take Module off every list and free its entry (not its view). */
VOID LdrpDeleteModule(PLDR_DATA_TABLE_ENTRY Module);
/* The head of the load-order and initialisation-order lists. */
PLIST_ENTRY LdrpLoadOrderList(void);
PLIST_ENTRY LdrpInitOrderList(void);
/* Count a reference (Pin: pin it for good). */
VOID LdrpReferenceModule(PLDR_DATA_TABLE_ENTRY Module, BOOLEAN Pin);

/* ---- loading and unloading DLLs (dll.c) ----------------------------------------------- */

/* The process heap, where loader records live. */
PVOID LdrpHeap(void);

/* TRUE while the process's static imports are being loaded: what loads
 * then is pinned. */
extern BOOLEAN LdrpProcessInitializing;
/* The module named Name (Chars WCHARs; a base name is searched for in
 * \SystemRoot\System32 then \SystemRoot, a path is taken as it is), with
 * a reference: found among the loaded ones, or mapped (NtOpenFile,
 * NtCreateSection SEC_IMAGE, NtMapViewOfSection), relocated, its imports
 * loaded and snapped, its TLS set up. Its DllMain is not called yet
 * (LdrpRunInitializers). STATUS_DLL_NOT_FOUND, STATUS_INVALID_IMAGE_FORMAT,
 * the import errors of LdrpSnapModule, STATUS_NO_MEMORY. */
NTSTATUS LdrpLoadDll(PCWSTR Name, SIZE_T Chars, PLDR_DATA_TABLE_ENTRY *Module);
/* Drop a reference; the last one detaches (DllMain, TLS callbacks),
 * drops the module's own references on its imports and unmaps it. */
VOID LdrpDereferenceModule(PLDR_DATA_TABLE_ENTRY Module);
/* Call DLL_PROCESS_ATTACH (TLS callbacks, then DllMain) for every DLL on
 * the initialisation list not attached yet. STATUS_DLL_INIT_FAILED when a
 * DllMain returns FALSE (that DLL is marked so it is not detached). */
NTSTATUS LdrpRunInitializers(void);
/* DLL_THREAD_ATTACH / DLL_THREAD_DETACH to every attached DLL (and the
 * program's TLS callbacks); detach runs in reverse order. */
VOID LdrpNotifyThread(ULONG Reason);
/* DLL_PROCESS_DETACH to every attached DLL in reverse order (process end). */
VOID LdrpShutdownProcess(void);
/* Record that Module's imports hold a reference on Target. */
NTSTATUS LdrpAddDependency(PLDR_DATA_TABLE_ENTRY Module, PLDR_DATA_TABLE_ENTRY Target);

/* ---- TLS (tls.c) --------------------------------------------------------------------------- */

/* Give Module (if it has a TLS directory) an index and a copy of its
 * template in every thread. STATUS_INVALID_IMAGE_FORMAT, STATUS_NO_MEMORY. */
NTSTATUS LdrpAddTlsModule(PLDR_DATA_TABLE_ENTRY Module);
VOID LdrpRemoveTlsModule(PLDR_DATA_TABLE_ENTRY Module);
/* The calling thread's TLS vector, with a copy of every module's template. */
NTSTATUS LdrpAllocateThreadTls(void);
VOID LdrpFreeThreadTls(void);
VOID LdrpCallTlsCallbacks(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason);

/* ---- exports (export.c) ------------------------------------------------------------ */

/* The address Module exports under Name (Hint: a guess at its index in the
 * name table, checked before searching) or under Ordinal, following
 * forwarders into other loaded modules. STATUS_ENTRYPOINT_NOT_FOUND /
 * STATUS_ORDINAL_NOT_FOUND, STATUS_DLL_NOT_FOUND for a forwarder to a
 * module that is not loaded, STATUS_INVALID_IMAGE_FORMAT for bad tables. */
NTSTATUS LdrpGetExportByName(PLDR_DATA_TABLE_ENTRY Module, PCSTR Name, USHORT Hint, ULONG Depth,
                             PVOID *Address);
NTSTATUS LdrpGetExportByOrdinal(PLDR_DATA_TABLE_ENTRY Module, ULONG Ordinal, ULONG Depth,
                                PVOID *Address);

/* ---- imports (import.c) --------------------------------------------------------------- */

/* Fill every IAT slot of Module, loading the DLLs it names that are not
 * loaded yet (LdrpLoadDll); each such import holds a reference recorded
 * as a dependency of Module. The failing names are reported with
 * DbgPrint. */
NTSTATUS LdrpSnapModule(PLDR_DATA_TABLE_ENTRY Module);

/* ---- locks (lock.c) ------------------------------------------------------------------ */

/* Initialise the loader lock and the PEB lock and point the PEB at them. */
VOID LdrpInitializeLocks(PPEB Peb);
VOID LdrpAcquireLoaderLock(void);
VOID LdrpReleaseLoaderLock(void);
NTSTATUS NTAPI LdrLockLoaderLock(ULONG Flags, PULONG Disposition, PULONG_PTR Cookie);
NTSTATUS NTAPI LdrUnlockLoaderLock(ULONG Flags, ULONG_PTR Cookie);
VOID NTAPI RtlAcquirePebLock(void);
VOID NTAPI RtlReleasePebLock(void);

/* ---- start-up (init.c, thunk.S) -------------------------------------------------------- */

/* Called by LdrInitializeThunk on an aligned stack; never returns. */
VOID LdrpInitialize(PCONTEXT Context, PVOID NtdllBase) __attribute__((noreturn));
/* How a thread ends when its start routine returns: the first thread ends
 * the process, later ones only themselves (RtlExitUserThread). */
typedef VOID (*LDRP_EXIT_ROUTINE)(NTSTATUS Status);
/* Switch to Stack (0: stay on this one), call Entry(Argument1, Argument2)
 * and pass what it returns to Exit, which must not return (thunk.S). */
VOID LdrpStartThread(PVOID Entry, PVOID Argument1, PVOID Argument2, ULONG_PTR Stack,
                     LDRP_EXIT_ROUTINE Exit) __attribute__((noreturn));

/* ---- exported loader API ---------------------------------------------------------------- */

VOID NTAPI LdrInitializeThunk(PCONTEXT Context, PVOID NtdllBase);
/* End the calling thread (the process, when it is the last thread). */
VOID NTAPI RtlExitUserThread(NTSTATUS Status) __attribute__((noreturn));
/* Windows' thread start routine: Start(Parameter), then RtlExitUserThread
 * with its result. A CONTEXT may name it as Rip with Rcx = Start and Rdx =
 * Parameter instead of naming Start itself. */
typedef NTSTATUS(NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID Parameter);
VOID NTAPI RtlUserThreadStart(PUSER_THREAD_START_ROUTINE Start, PVOID Parameter)
    __attribute__((noreturn));
/* End the calling process: the other threads first, then DLL_PROCESS_DETACH
 * of every DLL (init.c). */
VOID NTAPI RtlExitUserProcess(NTSTATUS Status) __attribute__((noreturn));
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                      PVOID *ProcedureAddress);
NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                               PVOID *DllHandle);
NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *Module);
/* LdrGetDllHandle that also counts a reference (unless
 * UNCHANGED_REFCOUNT) or pins the module (PIN). */
NTSTATUS NTAPI LdrGetDllHandleEx(ULONG Flags, PWSTR DllPath, PULONG DllCharacteristics,
                                 PUNICODE_STRING DllName, PVOID *DllHandle);
/* The module's full DOS path (DllHandle NULL: the program's) copied into
 * FullDllName; STATUS_BUFFER_TOO_SMALL when it does not fit with its NUL. */
NTSTATUS NTAPI LdrGetDllFullName(PVOID DllHandle, PUNICODE_STRING FullDllName);
NTSTATUS NTAPI LdrAddRefDll(ULONG Flags, PVOID BaseAddress);
/* The module's base, with a reference: a loaded one, or one mapped now
 * from \SystemRoot\System32 or \SystemRoot (ldr/dll.c). */
NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                          PVOID *BaseAddress);
/* Drop a reference; pinned modules stay. */
NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress);
NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID BaseAddress);
/* The base of the loaded image holding PcValue (also in *BaseOfImage), or
 * NULL. */
PVOID NTAPI RtlPcToFileHeader(PVOID PcValue, PVOID *BaseOfImage);
PIMAGE_NT_HEADERS64 NTAPI RtlImageNtHeader(PVOID Base);
NTSTATUS NTAPI RtlImageNtHeaderEx(ULONG Flags, PVOID Base, ULONG64 Size,
                                  PIMAGE_NT_HEADERS64 *OutHeaders);
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Directory,
                                         PULONG Size);
PIMAGE_SECTION_HEADER NTAPI RtlImageRvaToSection(PIMAGE_NT_HEADERS64 Nt, PVOID Base, ULONG Rva);
PVOID NTAPI RtlImageRvaToVa(PIMAGE_NT_HEADERS64 Nt, PVOID Base, ULONG Rva,
                            PIMAGE_SECTION_HEADER *LastRvaSection);
