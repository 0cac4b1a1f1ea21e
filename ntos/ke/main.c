/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The executive's initialisation, in order: the memory manager (CSpace,
 * untyped memory, physmap, pool), the service endpoint, ntos's own
 * priority, then the first process from the system archive and the service
 * loop. Built a second time with -DNTOS_SELFTEST for the self-test image,
 * whose main runs ntos/tests/ instead of starting a process.
 */
#include "kep.h"
#include <ob.h>
#include <ex.h>
#include <io.h> /* sections branch: IoInitSystem */

seL4_CPtr KiServiceEndpoint;

/* The first program; a build may override this weak default (the pointer
 * is not const, or gcc folds the default into its uses and the override
 * never takes effect). */
const char *KeFirstProgram __attribute__((weak)) = "smss.exe";

/* ps/ may not be linked yet: test the weak reference before calling it. */
#pragma weak PsCreateProcessFromArchive

static void KiCreateServiceEndpoint(void)
{
    NTSTATUS Status = MmAllocateObject(seL4_EndpointObject, 0, &KiServiceEndpoint);

    if (!NT_SUCCESS(Status))
        KeBugCheck("no memory for the service endpoint (0x%08x)", (unsigned)Status);
}

static void KiSetOwnPriority(void)
{
    seL4_Error Error =
        seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, KI_NTOS_PRIORITY);

    if (Error != seL4_NoError)
        KeBugCheck("cannot set ntos's priority (seL4 error %d)", (int)Error);
}

static void KiInitializeExecutive(seL4_BootInfo *BootInfo)
{
    KePrint("ntos: Nereid NT Executive starting (bootinfo %p, %lu untypeds)\n", (void *)BootInfo,
            (unsigned long)(BootInfo->untyped.end - BootInfo->untyped.start));
    MmInitSystem(BootInfo);
    /* The namespace: before anything names objects (\SystemRoot, ...). */
    if (!NT_SUCCESS(ObInitSystem()))
        KeBugCheck("no memory for the object namespace");
    KiCreateServiceEndpoint();
    KiSetOwnPriority();
    KiInitializeTimers(BootInfo);
    if (!NT_SUCCESS(ExInitializeSynchronization()))
        KeBugCheck("cannot create the synchronisation object types");
    /* io: the File type and \SystemRoot (after ob's initialisation). */
    if (!NT_SUCCESS(IoInitSystem()))
        KeBugCheck("io: cannot initialise the I/O manager");
}

#ifdef NTOS_SELFTEST

int KiRunSelfTests(const char *Suite); /* ntos/tests/ */

void KiSystemStartup(seL4_BootInfo *BootInfo)
{
    KiInitializeExecutive(BootInfo);
    KiPowerOff(KiRunSelfTests("ntos-core"));
}

#else

static void KiStartFirstProcess(void)
{
    static WCHAR CommandLine[64];
    PEPROCESS Process;
    const void *Data;
    SIZE_T Size;
    NTSTATUS Status;

    if (!PsCreateProcessFromArchive) {
        KePrint("ntos: no process manager linked yet; idle\n");
        return;
    }
    if (!KeFindArchiveFile(KeFirstProgram, &Data, &Size)) {
        KePrint("ntos: %s is not in the system archive; idle\n", KeFirstProgram);
        return;
    }
    /* The command line is the program's name (ASCII, widened). */
    for (size_t i = 0; i + 1 < ARRAYSIZE(CommandLine) && KeFirstProgram[i]; i++)
        CommandLine[i] = (WCHAR)(UCHAR)KeFirstProgram[i];
    Status = PsCreateProcessFromArchive(KeFirstProgram, CommandLine, &Process);
    if (!NT_SUCCESS(Status))
        KePrint("ntos: cannot start %s: 0x%08x\n", KeFirstProgram, (unsigned)Status);
    else
        KePrint("ntos: started %s\n", KeFirstProgram);
}

void KiSystemStartup(seL4_BootInfo *BootInfo)
{
    KiInitializeExecutive(BootInfo);
    KiStartFirstProcess();
    KiServiceLoop();
}

#endif
