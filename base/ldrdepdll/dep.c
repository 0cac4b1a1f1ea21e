/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldrdepdll.dll: what ldrtestdll.dll imports. It keeps a pointer to its
 * own data in its data (a base relocation, so a copy mapped away from its
 * preferred base shows whether the loader relocated it) and counts its
 * DLL_PROCESS_ATTACH/DETACH.
 */
#include <ldrtest.h>

static int LdrDepGlobal;
int *volatile LdrDepGlobalPointer = &LdrDepGlobal;
static LONG LdrDepAttachCount;

__declspec(dllexport) int LdrDepAdd(int A, int B)
{
    return A + B;
}

__declspec(dllexport) BOOLEAN LdrDepRelocated(VOID)
{
    return LdrDepGlobalPointer == &LdrDepGlobal;
}

__declspec(dllexport) LONG LdrDepAttached(VOID)
{
    return LdrDepAttachCount;
}

BOOLEAN NTAPI DllMain(PVOID Base, ULONG Reason, PVOID Reserved)
{
    (void)Base;
    (void)Reserved;
    if (Reason == 1)
        LdrDepAttachCount++;
    else if (Reason == 0)
        LdrDepAttachCount--;
    return TRUE;
}
