/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver process as drivers see it: one EPROCESS object (type
 * PsProcessType) made on first use, what PsGetCurrentProcess and
 * IoGetCurrentProcess return and ObReferenceObjectByHandle gives for
 * NtCurrentProcess(); and the version queries (NT 10.0.19041, as
 * KUSER_SHARED_DATA and RtlGetVersion report).
 */
#include "ntoskrnl.h"

#define PSP_MAJOR_VERSION 10
#define PSP_MINOR_VERSION 0
#define PSP_BUILD_NUMBER  19041

static PEPROCESS volatile PspProcess;

PEPROCESS KiGetCurrentProcess(VOID)
{
    PEPROCESS Process;

    if (PspProcess)
        return PspProcess;
    if (!NT_SUCCESS(ObpCreateObject(&ObpProcessType, sizeof(*Process), (PVOID *)&Process)))
        KeBugCheckEx(NO_MORE_SYSTEM_PTES, 5, 0, 0, 0);
    KiInitializeDispatcherHeader(&Process->Pcb.Header, KI_PROCESS_OBJECT,
                                 sizeof(*Process) / sizeof(LONG), 0);
    Process->UniqueProcessId = KiReadTebPointer(0x40);
    if (InterlockedCompareExchangePointer((PVOID volatile *)&PspProcess, Process, NULL) != NULL)
        ObDereferenceObject(Process); /* another thread made it first */
    return PspProcess;
}

#undef PsGetCurrentProcess
NTKRNL_EXPORT PEPROCESS NTAPI PsGetCurrentProcess(VOID)
{
    return KiGetCurrentProcess();
}

NTKRNL_EXPORT HANDLE NTAPI PsGetProcessId(PEPROCESS Process)
{
    return Process->UniqueProcessId;
}

NTKRNL_EXPORT BOOLEAN NTAPI PsGetVersion(PULONG MajorVersion, PULONG MinorVersion,
                                         PULONG BuildNumber, PUNICODE_STRING CSDVersion)
{
    if (MajorVersion)
        *MajorVersion = PSP_MAJOR_VERSION;
    if (MinorVersion)
        *MinorVersion = PSP_MINOR_VERSION;
    if (BuildNumber)
        *BuildNumber = PSP_BUILD_NUMBER;
    if (CSDVersion) {
        CSDVersion->Length = 0;
        if (CSDVersion->Buffer && CSDVersion->MaximumLength >= sizeof(WCHAR))
            CSDVersion->Buffer[0] = 0;
    }
    return FALSE; /* a free build, not a checked one */
}
