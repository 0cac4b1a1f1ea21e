/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes and threads (ps/): creation from a PE image in the system
 * archive, TEB/PEB/process parameters, start in ntdll's
 * LdrInitializeThunk, termination.
 */
#pragma once

#include <ntos.h>

/* Create a process running ImageName (a file of the system archive) with
 * CommandLine; its first thread starts at once. */
NTSTATUS PsCreateProcessFromArchive(const char *ImageName, const WCHAR *CommandLine,
                                    PEPROCESS *Process);
/* End a thread / process with a status; frees what it owned. */
void PsTerminateThread(PETHREAD Thread, NTSTATUS ExitStatus);
void PsTerminateProcess(PEPROCESS Process, NTSTATUS ExitStatus);

/* Map a PE image (its headers and sections, relocated if needed) into a
 * process; returns the base and the entry point. */
NTSTATUS PspMapImage(PEPROCESS Process, const void *File, SIZE_T FileSize, ULONG_PTR *ImageBase,
                     ULONG_PTR *EntryPoint);
