/* SPDX-License-Identifier: BSD-2-Clause */
/* ldrfaildll.dll: its DllMain refuses DLL_PROCESS_ATTACH, so loading it fails. */
#include <ldrtest.h>

__declspec(dllexport) int LdrFailNeverCalled(VOID)
{
    return 1;
}

BOOLEAN NTAPI DllMain(PVOID Base, ULONG Reason, PVOID Reserved)
{
    (void)Base;
    (void)Reserved;
    return Reason != 1;
}
