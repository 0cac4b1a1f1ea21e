/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual IRQL (ke/irql.c) and the thread block behind gs:0x188
 * (ke/thread.c): the exported raise/lower routines move the TEB byte
 * ntos's `mov cr8` emulation uses; every thread has its KTHREAD.
 */
#include "ktest.h"

/* The exported routines, found as a driver's import would find them (the
 * ddk's inline forms would execute `mov cr8`). */
typedef KIRQL(NTAPI *KTEST_GET_IRQL)(VOID);
typedef KIRQL(NTAPI *KTEST_RAISE_IRQL)(KIRQL);
typedef VOID(NTAPI *KTEST_LOWER_IRQL)(KIRQL);

static PVOID KTestRoutine(PCWSTR Name)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Name);
    return MmGetSystemRoutineAddress(&String);
}

TEST(irql, raise_and_lower)
{
    KTEST_GET_IRQL KeGetCurrentIrqlExported = KTestRoutine(L"KeGetCurrentIrql");
    KTEST_RAISE_IRQL KfRaiseIrqlExported = KTestRoutine(L"KfRaiseIrql");
    KTEST_LOWER_IRQL KeLowerIrqlExported = KTestRoutine(L"KeLowerIrql");
    KTEST_GET_IRQL KeRaiseIrqlToDpcLevelExported = KTestRoutine(L"KeRaiseIrqlToDpcLevel");
    KTEST_GET_IRQL KeRaiseIrqlToSynchLevel = KTestRoutine(L"KeRaiseIrqlToSynchLevel");
    UCHAR TebByte;

    if (!CHECK(KeGetCurrentIrqlExported && KfRaiseIrqlExported && KeLowerIrqlExported &&
               KeRaiseIrqlToDpcLevelExported && KeRaiseIrqlToSynchLevel))
        return;
    CHECK_EQ(KeGetCurrentIrqlExported(), PASSIVE_LEVEL);
    CHECK_EQ(KfRaiseIrqlExported(APC_LEVEL), PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrqlExported(), APC_LEVEL);
    CHECK_EQ(KeRaiseIrqlToDpcLevelExported(), APC_LEVEL);
    /* The byte ntos's cr8 emulation reads and writes. */
    __asm__ volatile("movb %%gs:0x180, %0" : "=r"(TebByte));
    CHECK_EQ(TebByte, DISPATCH_LEVEL);
    CHECK_EQ(KeRaiseIrqlToSynchLevel(), DISPATCH_LEVEL);
    CHECK_EQ(KeGetCurrentIrqlExported(), 12);
    KeLowerIrqlExported(PASSIVE_LEVEL);
    CHECK_EQ(KeGetCurrentIrqlExported(), PASSIVE_LEVEL);
}

TEST(irql, thread_block_in_teb)
{
    PKTHREAD Thread;
    ULONG Processor;

    __asm__ volatile("movq %%gs:0x188, %0" : "=r"(Thread));
    __asm__ volatile("movl %%gs:0x184, %0" : "=r"(Processor));
    CHECK(Thread != NULL);
    CHECK(Thread == KeGetCurrentThread());
    CHECK((PVOID)Thread == (PVOID)PsGetCurrentThread());
    CHECK_EQ(Processor, 0);
    CHECK_EQ(Thread->Header.Type, KI_THREAD_OBJECT);
    CHECK(Thread->Cid.UniqueThread == PsGetCurrentThreadId());
    CHECK(Thread->Cid.UniqueProcess == PsGetCurrentProcessId());
    CHECK(PsGetCurrentThreadId() == KiReadTebPointer(0x48));
    CHECK(ObpGetObjectType(Thread) == *PsThreadType);
}

static VOID NTAPI KTestReportIrql(PVOID Context)
{
    PVOID *Out = Context;

    Out[0] = (PVOID)(ULONG_PTR)KiReadIrql();
    Out[1] = KeGetCurrentThread();
}

TEST(irql, system_thread_starts_at_passive)
{
    PVOID Out[2] = {(PVOID)0xFF, NULL};
    PKTHREAD Thread;

    Thread = KTestStart(KTestReportIrql, Out);
    CHECK(Thread != NULL);
    CHECK(KTestJoin(Thread, 5000));
    CHECK_EQ(Out[0], PASSIVE_LEVEL);
    CHECK(Out[1] != NULL && Out[1] != KeGetCurrentThread());
}

TEST(irql, one_processor_and_priorities)
{
    KAFFINITY Active = 0;
    PKTHREAD Thread = KeGetCurrentThread();
    KPRIORITY Old;

    CHECK_EQ(KeNumberProcessors, 1);
    CHECK_EQ(KeQueryActiveProcessors(), 1);
    CHECK_EQ(KeQueryActiveProcessorCount(&Active), 1);
    CHECK_EQ(Active, 1);
    CHECK_EQ(KeGetCurrentProcessorNumberEx(NULL), 0);
    Old = KeQueryPriorityThread(Thread);
    CHECK_EQ(Old, 8);
    CHECK_EQ(KeSetPriorityThread(Thread, LOW_REALTIME_PRIORITY), 8);
    CHECK_EQ(KeQueryPriorityThread(Thread), LOW_REALTIME_PRIORITY);
    KeSetPriorityThread(Thread, Old);
    CHECK_EQ(KeSetSystemAffinityThreadEx(1), 1);
    KeRevertToUserAffinityThreadEx(1);
    CHECK(ExIsProcessorFeaturePresent(PF_RDTSC_INSTRUCTION_AVAILABLE));
    CHECK(!ExIsProcessorFeaturePresent(PROCESSOR_FEATURE_MAX));
}
