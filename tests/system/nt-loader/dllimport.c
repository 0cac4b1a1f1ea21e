/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A native program that imports from a DLL other than ntdll
 * (dllimport.def: ldrtestdll.dll, which imports ldrdepdll.dll; both are
 * linked for the same base, so one of them is relocated). Before the
 * entry runs the loader must have loaded both, pinned them, called
 * ldrtestdll's TLS callback and then its DllMain with DLL_PROCESS_ATTACH,
 * lpReserved set (a static load), the loader lock held and ldrdepdll
 * already attached, and given this thread a copy of its TLS template.
 * Prints one line per failed check and "dllimport: N checks, M failed";
 * exits with 0x600D when none failed. At the end ldrtestdll's DllMain
 * reports DLL_PROCESS_DETACH for the process's end (run.py checks it).
 */
#include <ldrtest.h>

__declspec(dllimport) ULONG LdrTestGetEvents(const LDRTEST_EVENT **Events);
__declspec(dllimport) LDRTEST_TLS *LdrTestThreadData(VOID);
__declspec(dllimport) int LdrTestDepSum(int A, int B);

static ULONG Checks, Failed;

static VOID Check(BOOLEAN Ok, PCSTR What)
{
    Checks++;
    if (!Ok) {
        Failed++;
        DbgPrint("dllimport: FAILED: %s\n", What);
    }
}

static PLDR_DATA_TABLE_ENTRY Entry(PCWSTR Name)
{
    UNICODE_STRING String;
    PVOID Base = NULL;
    PLDR_DATA_TABLE_ENTRY Module = NULL;

    RtlInitUnicodeString(&String, Name);
    if (NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &String, &Base)))
        LdrFindEntryForAddress(Base, &Module);
    return Module;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    const LDRTEST_EVENT *Events = NULL;
    ULONG Count = LdrTestGetEvents(&Events);
    PLDR_DATA_TABLE_ENTRY Test = Entry(u"ldrtestdll.dll"), Dep = Entry(u"ldrdepdll.dll");
    LDRTEST_TLS *Data = LdrTestThreadData();

    Check(Test != NULL && Dep != NULL, "both DLLs are loaded");
    Check(Test && Test->ObsoleteLoadCount == 0xffff, "ldrtestdll is pinned");
    Check(Dep && Dep->ObsoleteLoadCount == 0xffff, "ldrdepdll is pinned");
    Check(Test && Dep && Test->DllBase != Dep->DllBase, "different bases");
    Check(Count == 2, "two calls before the entry");
    Check(Count >= 1 && Events[0].Kind == LDRTEST_KIND_TLS && Events[0].Reason == 1,
          "the TLS callback first, with DLL_PROCESS_ATTACH");
    Check(Count >= 2 && Events[1].Kind == LDRTEST_KIND_DLLMAIN && Events[1].Reason == 1,
          "then DllMain with DLL_PROCESS_ATTACH");
    Check(Count >= 2 && Events[1].ReservedSet, "lpReserved set for a static load");
    Check(Count >= 2 && Events[1].LoaderLocked, "the loader lock held");
    Check(Count >= 2 && Events[1].OwnBase, "its own base");
    Check(Count >= 2 && Events[1].DepAttached, "its import attached first");
    Check(LdrTestDepSum(40, 2) == 42, "calls through both import tables");
    Check(Data && Data->Magic == LDRTEST_TLS_MAGIC && Data->Value == 5, "its TLS for this thread");
    Check(!RtlIsCriticalSectionLocked(Peb->LoaderLock), "the loader lock free at the entry");
    Check(Test && NT_SUCCESS(LdrUnloadDll(Test->DllBase)) && Entry(u"ldrtestdll.dll") == Test,
          "unloading a static DLL keeps it");
    DbgPrint("dllimport: %u checks, %u failed\n", Checks, Failed);
    return Failed ? (NTSTATUS)Failed : 0x600D;
}
