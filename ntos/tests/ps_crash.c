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
    ULONGLONG UntypedPages; /* room for new frames (AvailablePages' other half) */
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
    Usage->UntypedPages = MiUntypedFreePages();
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

/* Starts Count crashers with command line Line, serves them until all have
 * ended, checks how they ended and lets them go; the number that ended with
 * Expected. */
static ULONG KtRunCrashersWith(ULONG Count, const WCHAR *Line, NTSTATUS Expected)
{
    ULONG Crashed = 0;

    KtCrasherCount = 0;
    for (ULONG i = 0; i < Count; i++) {
        PEPROCESS Process = NULL;

        if (!CHECK_EQ(PsCreateProcessFromArchive("crashme.exe", Line, &Process), STATUS_SUCCESS))
            break;
        ObReferenceObject(Process); /* keep it past its end, to read its status */
        KtCrashers[KtCrasherCount++] = Process;
    }
    if (KtCrasherCount > 0 && !KtCrashersEnded())
        KiRunServiceLoop(KtCrashersEnded);
    for (ULONG i = 0; i < KtCrasherCount; i++) {
        PEPROCESS Process = KtCrashers[i];

        CHECK(Process->AddressSpace == NULL);
        if (CHECK_EQ(Process->ExitStatus, Expected))
            Crashed++;
        ObDereferenceObject(Process);
    }
    KtCrasherCount = 0;
    PspFlushDeferred();
    return Crashed;
}

static ULONG KtRunCrashers(ULONG Count)
{
    return KtRunCrashersWith(Count, u"crashme.exe", STATUS_ACCESS_VIOLATION);
}

/* What must be back after the crashers; Chunks may grow by fragmentation
 * (see above), and a chunk cut anew for objects other than pages takes its
 * memory from the untyped room. */
static void KtCheckUsage(const KT_USAGE *Before, const KT_USAGE *After)
{
    ULONG NewChunks = After->Chunks - Before->Chunks;

    CHECK_EQ(After->FreePages, Before->FreePages);
    CHECK_EQ(After->LiveObjects, Before->LiveObjects);
    CHECK_EQ(After->FreeSlots + After->Chunks, Before->FreeSlots + Before->Chunks);
    /* Fragmentation, not a leak: at most a chunk or two of holes. */
    CHECK(After->Chunks <= Before->Chunks + 2);
    /* Untyped memory: the paging structures of the dead processes included
     * (they once left holes in the frames' chunks, mm/pagingobj.c). */
    CHECK_EQ(After->UntypedPages + ((ULONGLONG)NewChunks << (20 - PAGE_SHIFT)),
             Before->UntypedPages);
    CHECK_EQ(After->PoolBlocks, Before->PoolBlocks);
    CHECK_EQ(After->PoolBytes, Before->PoolBytes);
    CHECK_EQ(After->Processes, Before->Processes);
    CHECK_EQ(After->Threads, Before->Threads);
    CHECK_EQ(After->ProcessHandles, Before->ProcessHandles);
    CHECK_EQ(After->ThreadHandles, Before->ThreadHandles);
    if (CHECK_EQ(After->Types, Before->Types)) {
        for (ULONG i = 0; i < After->Types; i++) {
            CHECK_EQ(After->TypeObjects[i], Before->TypeObjects[i]);
            CHECK_EQ(After->TypeHandles[i], Before->TypeHandles[i]);
        }
    }
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
    KtCheckUsage(&Before, &After);
}

/* Processes of seven threads (crashme.exe -t), as a driver process has,
 * crashing and, with -x, exiting. */
KTEST(ps_crash_teardown_threaded_processes)
{
    static const WCHAR *const Lines[2] = {u"crashme.exe -t", u"crashme.exe -t -x"};
    static const NTSTATUS Ends[2] = {STATUS_ACCESS_VIOLATION, (NTSTATUS)0x0e0e0e0e};

    for (ULONG Kind = 0; Kind < 2; Kind++) {
        KT_USAGE Before, After;
        ULONG Ended = 0;

        if (!CHECK_EQ(KtRunCrashersWith(KT_CRASH_BATCH, Lines[Kind], Ends[Kind]), KT_CRASH_BATCH))
            return;
        KtMeasure(&Before);
        for (ULONG Done = 0; Done < 3 * KT_CRASH_BATCH; Done += KT_CRASH_BATCH)
            Ended += KtRunCrashersWith(KT_CRASH_BATCH, Lines[Kind], Ends[Kind]);
        KtMeasure(&After);
        CHECK_EQ(Ended, 3 * KT_CRASH_BATCH);
        KtCheckUsage(&Before, &After);
    }
}
