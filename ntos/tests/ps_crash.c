/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crash teardown: 100 processes running crashme.exe (base/crashme/: it
 * writes to an unmapped address and has no handler) are started and served
 * by the real service loop until each has died of its access violation.
 * Afterwards everything they took must be back: free frames (mm's free
 * page list), untyped memory (every kernel object retyped from a chunk is
 * deleted again), free CSpace slots, the executive's pool (blocks and bytes
 * in use) and the object and handle counts of every object type (the
 * process and thread types by name, then all of ob's types). Chunks themselves may be cut anew: a
 * chunk comes back only when all its objects are gone and its holes are not reused (mm/untyped.c),
 * so churn can leave one more chunk per object size, each holding a slot for its cap; slots are
 * therefore compared with the chunk caps counted in. Crashers run a batch at a time (so that memory
 * is not the limit), and one batch runs before the counts are taken: what a batch's peak leaves
 * cached for good (pool pages, slot CNodes, chunks, frames on the free list) is then in place, and
 * ten more batches must not need any more of it.
 */
#include "ktest.h"

#include <ob.h>
#include <ps.h>

#include "../ob/obp.h"
#include "../ps/psp.h"

#define KT_CRASHERS    100
#define KT_CRASH_BATCH 10
#define KT_MAX_TYPES   64

typedef struct _KT_USAGE {
    ULONG FreePages, FreeSlots, Chunks, LiveObjects;
    SIZE_T PoolBlocks, PoolBytes;
    ULONG Processes, Threads, ProcessHandles, ThreadHandles;
    ULONG Types; /* every object type, in creation order: */
    ULONG TypeObjects[KT_MAX_TYPES], TypeHandles[KT_MAX_TYPES];
} KT_USAGE;

static PEPROCESS KtCrashers[KT_CRASH_BATCH];
static ULONG KtCrasherCount;

static void KtMeasure(KT_USAGE *Usage)
{
    PspFlushDeferred();
    Usage->FreePages = MiFreePageCount();
    Usage->FreeSlots = MiFreeSlotCount();
    Usage->Chunks = MiChunkTotal();
    Usage->LiveObjects = MiLiveObjectCount();
    MiQueryPoolUsage(&Usage->PoolBlocks, &Usage->PoolBytes);
    Usage->Processes = PsProcessType->TotalNumberOfObjects;
    Usage->Threads = PsThreadType->TotalNumberOfObjects;
    Usage->ProcessHandles = PsProcessType->TotalNumberOfHandles;
    Usage->ThreadHandles = PsThreadType->TotalNumberOfHandles;
    Usage->Types = 0;
    for (POBJECT_TYPE Type = ObpFirstType(); Type != NULL && Usage->Types < KT_MAX_TYPES;
         Type = ObpNextType(Type), Usage->Types++) {
        Usage->TypeObjects[Usage->Types] = Type->TotalNumberOfObjects;
        Usage->TypeHandles[Usage->Types] = Type->TotalNumberOfHandles;
    }
}

static bool KtCrashersEnded(void)
{
    for (ULONG i = 0; i < KtCrasherCount; i++)
        if (KtCrashers[i]->ActiveThreads != 0)
            return false;
    return true;
}

/* Starts Count crashers, serves them until all have ended, checks how they
 * ended and lets them go; the number that died of an access violation. */
static ULONG KtRunCrashers(ULONG Count)
{
    ULONG Crashed = 0;

    KtCrasherCount = 0;
    for (ULONG i = 0; i < Count; i++) {
        PEPROCESS Process = NULL;

        if (!CHECK_EQ(PsCreateProcessFromArchive("crashme.exe", u"crashme.exe", &Process),
                      STATUS_SUCCESS))
            break;
        ObReferenceObject(Process); /* keep it past its end, to read its status */
        KtCrashers[KtCrasherCount++] = Process;
    }
    if (KtCrasherCount > 0 && !KtCrashersEnded())
        KiRunServiceLoop(KtCrashersEnded);
    for (ULONG i = 0; i < KtCrasherCount; i++) {
        PEPROCESS Process = KtCrashers[i];

        CHECK(Process->AddressSpace == NULL);
        if (CHECK_EQ(Process->ExitStatus, STATUS_ACCESS_VIOLATION))
            Crashed++;
        ObDereferenceObject(Process);
    }
    KtCrasherCount = 0;
    PspFlushDeferred();
    return Crashed;
}

KTEST(ps_crash_teardown_100_processes)
{
    KT_USAGE Before, After;
    ULONG Crashed = 0;

    if (!CHECK_EQ(KtRunCrashers(KT_CRASH_BATCH), KT_CRASH_BATCH))
        return;
    KtMeasure(&Before);
    for (ULONG Done = 0; Done < KT_CRASHERS; Done += KT_CRASH_BATCH)
        Crashed += KtRunCrashers(KT_CRASH_BATCH);
    KtMeasure(&After);
    CHECK_EQ(Crashed, KT_CRASHERS);
    CHECK_EQ(After.FreePages, Before.FreePages);
    CHECK_EQ(After.LiveObjects, Before.LiveObjects);
    CHECK_EQ(After.FreeSlots + After.Chunks, Before.FreeSlots + Before.Chunks);
    /* Fragmentation, not a leak: at most a chunk or two of holes. */
    CHECK(After.Chunks <= Before.Chunks + 2);
    CHECK_EQ(After.PoolBlocks, Before.PoolBlocks);
    CHECK_EQ(After.PoolBytes, Before.PoolBytes);
    CHECK_EQ(After.Processes, Before.Processes);
    CHECK_EQ(After.Threads, Before.Threads);
    CHECK_EQ(After.ProcessHandles, Before.ProcessHandles);
    CHECK_EQ(After.ThreadHandles, Before.ThreadHandles);
    if (CHECK_EQ(After.Types, Before.Types)) {
        for (ULONG i = 0; i < After.Types; i++) {
            CHECK_EQ(After.TypeObjects[i], Before.TypeObjects[i]);
            CHECK_EQ(After.TypeHandles[i], Before.TypeHandles[i]);
        }
    }
}
