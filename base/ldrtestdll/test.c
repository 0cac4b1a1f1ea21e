/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ldrtestdll.dll: records every call of its DllMain and of its TLS callback
 * (reason, whether the third argument was set, whether the loader lock was
 * held, whether its import ldrdepdll.dll was attached first) for
 * base/ntapitest/ldr.c, and has a TLS template whose per-thread copies the
 * tests read. Its final DLL_PROCESS_DETACH is reported into memory of the
 * caller's choosing, since the DLL's own memory goes with it, and printed
 * when the process ends (tests/system/nt-loader's dllimport case).
 */
#include <ldrtest.h>

__declspec(dllimport) LONG LdrDepAttached(VOID);
__declspec(dllimport) int LdrDepAdd(int A, int B);

static LDRTEST_EVENT LdrTestEvents[LDRTEST_MAX_EVENTS];
static ULONG LdrTestEventCount;
static volatile ULONG *LdrTestDetachTarget;
extern IMAGE_DOS_HEADER __ImageBase;

/* The TLS directory (the linker points the image's TLS entry at _tls_used). */
static LDRTEST_TLS LdrTestTlsTemplate = {LDRTEST_TLS_MAGIC, 5};
ULONG _tls_index = 0x7777;
static VOID NTAPI LdrTestTlsCallback(PVOID Base, ULONG Reason, PVOID Reserved);
static PIMAGE_TLS_CALLBACK const LdrTestTlsCallbacks[] = {LdrTestTlsCallback, NULL};
const IMAGE_TLS_DIRECTORY64 _tls_used = {
    (ULONGLONG)&LdrTestTlsTemplate, (ULONGLONG)(&LdrTestTlsTemplate + 1),
    (ULONGLONG)&_tls_index,         (ULONGLONG)LdrTestTlsCallbacks,
    LDRTEST_TLS_ZERO_FILL,          0};

static VOID LdrTestRecord(ULONG Kind, PVOID Base, ULONG Reason, PVOID Reserved)
{
    PPEB Peb = NtCurrentTeb()->ProcessEnvironmentBlock;
    LDRTEST_EVENT *Event;

    if (LdrTestEventCount == LDRTEST_MAX_EVENTS)
        return;
    Event = &LdrTestEvents[LdrTestEventCount++];
    Event->Kind = Kind;
    Event->Reason = Reason;
    Event->ReservedSet = Reserved != NULL;
    Event->LoaderLocked = RtlIsCriticalSectionLockedByThread(Peb->LoaderLock) != 0;
    Event->OwnBase = Base == &__ImageBase;
    Event->DepAttached = LdrDepAttached() > 0;
    Event->ThreadId = NtCurrentTeb()->ClientId.UniqueThread;
}

static VOID NTAPI LdrTestTlsCallback(PVOID Base, ULONG Reason, PVOID Reserved)
{
    LdrTestRecord(LDRTEST_KIND_TLS, Base, Reason, Reserved);
}

__declspec(dllexport) ULONG LdrTestGetEvents(const LDRTEST_EVENT **Events)
{
    *Events = LdrTestEvents;
    return LdrTestEventCount;
}

__declspec(dllexport) VOID LdrTestSetDetachTarget(volatile ULONG *Target)
{
    LdrTestDetachTarget = Target;
}

__declspec(dllexport) LDRTEST_TLS *LdrTestThreadData(VOID)
{
    PVOID *Vector = NtCurrentTeb()->ThreadLocalStoragePointer;

    return Vector ? Vector[_tls_index] : NULL;
}

__declspec(dllexport) int LdrTestDepSum(int A, int B)
{
    return LdrDepAdd(A, B);
}

BOOLEAN NTAPI DllMain(PVOID Base, ULONG Reason, PVOID Reserved)
{
    LdrTestRecord(LDRTEST_KIND_DLLMAIN, Base, Reason, Reserved);
    if (Reason == 0 && LdrTestDetachTarget)
        *LdrTestDetachTarget = 0x100 | Reason;
    if (Reason == 0 && Reserved)
        DbgPrint("ldrtestdll: DLL_PROCESS_DETACH at the process's end\n");
    return TRUE;
}
