/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A native program that imports a name ntdll does not export
 * (badname.def: ntdll.dll!NtNoSuchService). The loader must refuse it
 * before its entry runs, naming the import, with exit status
 * STATUS_ENTRYPOINT_NOT_FOUND.
 */
#include <ntnative.h>

__declspec(dllimport) NTSTATUS NtNoSuchService(void);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    (void)Peb;
    return NtNoSuchService();
}
