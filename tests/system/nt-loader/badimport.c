/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A native program that imports from a DLL that does not exist
 * (badimport.def: nosuch.dll). The loader must refuse it before its entry
 * runs: "LDR: ... needs nosuch.dll" and exit status STATUS_DLL_NOT_FOUND.
 */
#include <ntnative.h>

__declspec(dllimport) NTSTATUS NoSuchFunction(void);

NTSTATUS NtProcessStartup(PPEB Peb)
{
    (void)Peb;
    return NoSuchFunction();
}
