/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes and threads (ps/): creation from a PE image in the system
 * archive, TEB/PEB/process parameters, start in ntdll's
 * LdrInitializeThunk, termination.
 */
#pragma once

#include <ntos.h>

/* Create a process running ImageName (a file of the system archive) with
 * CommandLine; its first thread starts at once. *Process stays valid while
 * the process runs (no reference is passed: ObReferenceObject to keep it).
 * Errors: STATUS_OBJECT_NAME_NOT_FOUND (no such file), STATUS_DLL_NOT_FOUND
 * (no ntdll.dll), the PE reader's STATUS_INVALID_IMAGE_* and
 * STATUS_SECTION_TOO_BIG, STATUS_PROCEDURE_NOT_FOUND (ntdll without
 * LdrInitializeThunk), STATUS_INVALID_PARAMETER (command line over 4096
 * characters), and mm's STATUS_NO_MEMORY / STATUS_INSUFFICIENT_RESOURCES. */
NTSTATUS PsCreateProcessFromArchive(const char *ImageName, const WCHAR *CommandLine,
                                    PEPROCESS *Process);
/* End a thread / process with a status; frees what it owned (TCB, CSpace,
 * TEB and stack; for a process its handles and address space) at once and
 * sets ETHREAD.Terminated, so ke sends no reply to a request of an ended
 * thread. A process ends with its last thread; the console shows
 * "process <name> exited with status 0x...". The caller holds a reference
 * on the object (or it is the current thread's); both are no-ops when the
 * object already ends. Never waits. */
void PsTerminateThread(PETHREAD Thread, NTSTATUS ExitStatus);
void PsTerminateProcess(PEPROCESS Process, NTSTATUS ExitStatus);
/* ex/shutdown.c (iocomp branch): end every process, the caller's too, as
 * PsTerminateProcess does. Never waits. */
void PsTerminateAllProcesses(NTSTATUS ExitStatus);

/* Map a PE image (its headers and sections, relocated if needed) into a
 * process; returns the base and the entry point (0 for none). Validation
 * errors as PsCreateProcessFromArchive; STATUS_CONFLICTING_ADDRESSES when an
 * image without relocations cannot have its preferred base. */
NTSTATUS PspMapImage(PEPROCESS Process, const void *File, SIZE_T FileSize, ULONG_PTR *ImageBase,
                     ULONG_PTR *EntryPoint);

/* The user address of ntdll's KiUserExceptionDispatcher in Process, 0 if
 * ntdll does not export it: ke/ then ends the process on an unresolved
 * fault instead of raising the exception in the thread (ke/exception.c). */
ULONG_PTR PsGetUserExceptionDispatcher(PEPROCESS Process);

/* ps (ps/psinfo.c): the SystemProcessInformation records of every running
 * process and its threads, laid out at Buffer (ntos memory) for the user
 * address UserAddress, if they fit in Length bytes. Returns the size they
 * need (nothing is written when that exceeds Length). Never waits. */
ULONG PsQueryProcessList(UCHAR *Buffer, ULONG Length, ULONG_PTR UserAddress);

/* hal (io/halirq.c): a thread's CSpace root, a CNode of 2^PS_THREAD_CNODE_BITS
 * slots addressed in the thread as cptr = slot; slots from
 * PS_THREAD_FIRST_FREE_SLOT on are not ps's (interrupt caps of a driver
 * thread go there). seL4_CapNull once the thread has ended. */
#define PS_THREAD_CNODE_BITS      4
#define PS_THREAD_FIRST_FREE_SLOT 3
seL4_CPtr PsGetThreadCNode(PETHREAD Thread);

/* io: copy Source (a cap in ntos's CSpace, all rights kept) into Slot (above
 * KI_FAULT_SLOT) of the CSpace of Thread / of every live thread of Process,
 * replacing what was there. STATUS_INVALID_PARAMETER (slot),
 * STATUS_INSUFFICIENT_RESOURCES. A thread made later in a driver process
 * gets io's caps through IoInitializeDriverThread. */
NTSTATUS PsCopyCapToThread(PETHREAD Thread, seL4_Word Slot, seL4_CPtr Source);
NTSTATUS PsCopyCapToThreads(PEPROCESS Process, seL4_Word Slot, seL4_CPtr Source);
