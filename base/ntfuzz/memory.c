/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The memory ntfuzz.exe aims its pointer arguments at, and the pointers
 * themselves. Valid targets are areas the fuzzer never relies on, so a
 * service that writes there cannot hurt it: a data scratch area, a stack
 * scratch area in the frame of the call loop, the last bytes of a committed
 * page followed by a reserved (unmapped) one, so objects straddle into
 * unmapped memory, and a read-only area whose contents are checked at the
 * end (a service must never write there). The arena is a reservation the
 * memory services may commit, protect and free at will; the fuzzer never
 * touches it itself. Bad pointers are NULL, tiny, kernel-half,
 * non-canonical, unmapped user addresses and ranges running off the end of
 * user space. The fuzzer's own image, stack, PEB, TEB and IPC buffer are
 * never handed to a service that writes or changes mappings.
 */
#include "ntfuzz.h"

#define NTFUZZ_DATA_SCRATCH (4 * NTFUZZ_PAGE)
#define NTFUZZ_READONLY     (2 * NTFUZZ_PAGE)
#define NTFUZZ_ARENA_SIZE   (64 * NTFUZZ_PAGE)
#define NTFUZZ_ARENA_COMMIT (16 * NTFUZZ_PAGE)
#define MEM_COMMIT          0x1000
#define MEM_RESERVE         0x2000
#define PAGE_READWRITE      0x04

static UCHAR NtfuzzDataScratch[NTFUZZ_DATA_SCRATCH] __attribute__((aligned(4096)));
/* Zeros: also a harmless DelayInterval or Timeout when read. */
static const UCHAR NtfuzzReadOnlyArea[NTFUZZ_READONLY]
    __attribute__((aligned(4096), section(".rdata"))) = {0};
static PUCHAR NtfuzzStackScratch;
static ULONG NtfuzzStackScratchSize;
static ULONG_PTR NtfuzzStraddleStart, NtfuzzStraddleEnd; /* the end is unmapped */
static ULONG_PTR NtfuzzArena;                            /* 0: no memory services */
/* Without NtAllocateVirtualMemory the straddle area is the unused tail of the
 * IPC buffer page (seL4_IPCBuffer is 1 KiB of it), if unmapped memory follows. */
#define NTFUZZ_IPC_TAIL_START 0x2400
#define NTFUZZ_IPC_TAIL_END   0x3000

/* Reserves Reserve bytes and commits the first Commit of them (raw calls). */
static NTSTATUS NtfuzzAllocate(ULONG_PTR Reserve, ULONG_PTR Commit, ULONG_PTR *Base)
{
    LONG Number = NtfuzzServiceNumber("NtAllocateVirtualMemory");
    ULONG_PTR Address = 0, Size = Reserve;
    ULONG_PTR Args[6] = {(ULONG_PTR)NtCurrentProcess(),
                         (ULONG_PTR)&Address,
                         0,
                         (ULONG_PTR)&Size,
                         MEM_RESERVE,
                         PAGE_READWRITE};
    NTSTATUS Status;

    if (Number < 0)
        return STATUS_NOT_IMPLEMENTED;
    Status = NtfuzzRawCall(Number, Args, 6);
    if (!NT_SUCCESS(Status))
        return Status;
    *Base = Address;
    Size = Commit;
    Args[4] = MEM_COMMIT;
    return NtfuzzRawCall(Number, Args, 6);
}

/* TRUE if the word at Address cannot be read: a 2-byte NtDisplayString of it fails. */
static BOOLEAN NtfuzzUnreadable(ULONG_PTR Address)
{
    UNICODE_STRING String = {2, 2, (PWSTR)Address};
    ULONG_PTR Args[1] = {(ULONG_PTR)&String};

    return NtfuzzRawCall(NtfuzzServiceNumber("NtDisplayString"), Args, 1) ==
           STATUS_ACCESS_VIOLATION;
}

BOOLEAN NtfuzzSetUpMemory(VOID)
{
    ULONG_PTR Straddle;
    NTSTATUS Status;

    Status = NtfuzzAllocate(2 * NTFUZZ_PAGE, NTFUZZ_PAGE, &Straddle);
    if (NT_SUCCESS(Status)) {
        NtfuzzStraddleStart = Straddle;
        NtfuzzStraddleEnd = Straddle + NTFUZZ_PAGE;
        Status = NtfuzzAllocate(NTFUZZ_ARENA_SIZE, NTFUZZ_ARENA_COMMIT, &NtfuzzArena);
        if (!NT_SUCCESS(Status))
            NtfuzzArena = 0;
    } else {
        NtfuzzStraddleStart = (ULONG_PTR)NtCurrentTeb() + NTFUZZ_IPC_TAIL_START;
        NtfuzzStraddleEnd = (ULONG_PTR)NtCurrentTeb() + NTFUZZ_IPC_TAIL_END;
    }
    if (!NtfuzzUnreadable(NtfuzzStraddleEnd)) {
        NtfuzzPrint("ntfuzz: no unmapped page after %p (NtAllocateVirtualMemory: 0x%08lx)\n",
                    (PVOID)NtfuzzStraddleEnd, (ULONG)Status);
        return FALSE;
    }
    NtfuzzPrint("ntfuzz: scratch %p, straddle %p..%p, arena %p\n", (PVOID)NtfuzzDataScratch,
                (PVOID)NtfuzzStraddleStart, (PVOID)NtfuzzStraddleEnd, (PVOID)NtfuzzArena);
    return TRUE;
}

VOID NtfuzzSetStackScratch(PUCHAR Base, ULONG Size)
{
    NtfuzzStackScratch = Base;
    NtfuzzStackScratchSize = Size;
}

BOOLEAN NtfuzzReadOnlyIntact(VOID)
{
    const volatile UCHAR *Area = NtfuzzReadOnlyArea;
    ULONG Index;

    for (Index = 0; Index < NTFUZZ_READONLY; Index++)
        if (Area[Index] != 0)
            return FALSE;
    return TRUE;
}

static BOOLEAN NtfuzzInside(ULONG_PTR Pointer, ULONG64 Size, ULONG_PTR Base, ULONG64 Room)
{
    return Pointer >= Base && Size <= Room && Pointer - Base <= Room - Size;
}

BOOLEAN NtfuzzWritable(ULONG_PTR Pointer, ULONG64 Size)
{
    return NtfuzzInside(Pointer, Size, (ULONG_PTR)NtfuzzDataScratch, NTFUZZ_DATA_SCRATCH) ||
           NtfuzzInside(Pointer, Size, (ULONG_PTR)NtfuzzStackScratch, NtfuzzStackScratchSize) ||
           NtfuzzInside(Pointer, Size, NtfuzzStraddleStart,
                        NtfuzzStraddleEnd - NtfuzzStraddleStart);
}

/* An offset into Room bytes with room for Size, often misaligned. */
static ULONG_PTR NtfuzzOffset(ULONG64 Room, ULONG64 Size)
{
    ULONG_PTR Offset = NtfuzzBelow(Room - Size + 1);

    if (NtfuzzChance(50))
        Offset &= ~7ull;
    return Offset;
}

/* A clearly bad pointer for an object of Size bytes. */
static ULONG_PTR NtfuzzBadPointer(ULONG64 Size)
{
    switch (NtfuzzBelow(6)) {
    case 0:
        return 1 + NtfuzzBelow(0xffff);
    case 1:
        return 0xffff800000000000ull + (NtfuzzRandom() & 0x00007ffffffffff8ull);
    case 2:
        return ~0ull - NtfuzzBelow(64);
    case 3:
        return 0x0000800000000000ull + (NtfuzzRandom() & 0x7fff7ffffffffff8ull);
    case 4:
        /* Runs off the end of user space. */
        return 0x0000800000000000ull - NtfuzzBelow(Size ? Size : 1) - (Size ? 0 : 1);
    default:
        /* Far above anything the executive places: never mapped. */
        return 0x0000100000000000ull + (NtfuzzRandom() & 0x00004ffffffff000ull) +
               NtfuzzBelow(NTFUZZ_PAGE);
    }
}

ULONG_PTR NtfuzzPointer(ULONG64 Size, UCHAR *Class, BOOLEAN AllowArena)
{
    ULONG64 Pick = NtfuzzBelow(100);
    ULONG_PTR K;

    if (Size > NtfuzzStackScratchSize)
        Size = NtfuzzStackScratchSize;
    if (!NtfuzzHostile()) {
        *Class = PTR_VALID;
        if (NtfuzzChance(50))
            return ((ULONG_PTR)NtfuzzDataScratch + NtfuzzOffset(NTFUZZ_DATA_SCRATCH, Size)) &
                   ~15ull;
        return ((ULONG_PTR)NtfuzzStackScratch + NtfuzzOffset(NtfuzzStackScratchSize, Size)) &
               ~15ull;
    }
    if (Pick < 10) {
        *Class = PTR_NULL;
        return 0;
    }
    if (Pick < 35) {
        *Class = PTR_BAD;
        return NtfuzzBadPointer(Size);
    }
    if (Pick < 58) {
        *Class = PTR_VALID;
        return (ULONG_PTR)NtfuzzDataScratch + NtfuzzOffset(NTFUZZ_DATA_SCRATCH, Size);
    }
    if (Pick < 75) {
        *Class = PTR_VALID;
        return (ULONG_PTR)NtfuzzStackScratch + NtfuzzOffset(NtfuzzStackScratchSize, Size);
    }
    if (Pick < 87) {
        K = NtfuzzBelow(Size + 8);
        *Class = K >= Size ? PTR_VALID : PTR_PARTIAL;
        return NtfuzzStraddleEnd - K;
    }
    if (Pick < 94 || !AllowArena || !NtfuzzArena) {
        *Class = PTR_READONLY;
        return (ULONG_PTR)NtfuzzReadOnlyArea + NtfuzzOffset(NTFUZZ_READONLY, Size);
    }
    *Class = PTR_ARENA;
    return NtfuzzArena + NtfuzzOffset(NTFUZZ_ARENA_SIZE, Size);
}

VOID NtfuzzBuffer(ULONG_PTR *Pointer, ULONG_PTR *Length, UCHAR *Class)
{
    ULONG64 Pick = NtfuzzBelow(100);
    ULONG_PTR Room;

    if (!NtfuzzHostile()) {
        static const ULONG_PTR Sizes[] = {2, 4, 8, 16, 24, 32, 40, 44, 48, 56, 64, 0x100, 0x200};
        *Length = Sizes[NtfuzzBelow(sizeof(Sizes) / sizeof(Sizes[0]))];
        *Pointer =
            (ULONG_PTR)NtfuzzDataScratch + (NtfuzzOffset(NTFUZZ_DATA_SCRATCH, *Length) & ~15ull);
        *Class = PTR_VALID;
        return;
    }
    if (Pick < 30) {
        *Length = NtfuzzLength();
        *Pointer = NtfuzzChance(30) ? 0 : NtfuzzBadPointer(*Length < 64 ? *Length : 64);
        *Class = *Pointer ? PTR_BAD : PTR_NULL;
        return;
    }
    if (Pick < 55) {
        *Pointer = NtfuzzPointer(0, Class, FALSE);
        if (*Class == PTR_VALID || *Class == PTR_READONLY) {
            /* Never let a valid start reach past its area (the stack above it). */
            Room = NtfuzzWritable(*Pointer, 1)
                       ? ((*Pointer >= (ULONG_PTR)NtfuzzStackScratch &&
                           *Pointer < (ULONG_PTR)NtfuzzStackScratch + NtfuzzStackScratchSize)
                              ? (ULONG_PTR)NtfuzzStackScratch + NtfuzzStackScratchSize - *Pointer
                          : (*Pointer >= (ULONG_PTR)NtfuzzDataScratch &&
                             *Pointer < (ULONG_PTR)NtfuzzDataScratch + NTFUZZ_DATA_SCRATCH)
                              ? (ULONG_PTR)NtfuzzDataScratch + NTFUZZ_DATA_SCRATCH - *Pointer
                              : NtfuzzStraddleEnd - *Pointer)
                       : (ULONG_PTR)NtfuzzReadOnlyArea + NTFUZZ_READONLY - *Pointer;
            *Length = NtfuzzChance(30) ? Room : NtfuzzBelow(Room + 1);
            if (*Length > 0x400 && NtfuzzChance(50))
                *Length = NtfuzzBelow(0x41);
            if (NtfuzzStraddleEnd - *Pointer == Room)
                *Length = NtfuzzLength(); /* the unmapped page stops it */
            *Class = *Length > Room ? PTR_PARTIAL : *Class;
        } else {
            *Length = NtfuzzLength();
        }
        return;
    }
    if (Pick < 80) {
        /* The end of the committed page: any length runs into unmapped memory. */
        *Length = NtfuzzLength();
        Room = NtfuzzBelow((NtfuzzStraddleEnd - NtfuzzStraddleStart) / 2);
        *Pointer = NtfuzzStraddleEnd - Room;
        *Class = *Length > Room ? PTR_PARTIAL : PTR_VALID;
        return;
    }
    *Length = NtfuzzChance(50) ? NtfuzzLength() : NtfuzzBelow(0x200);
    *Pointer = NtfuzzArena + NtfuzzBelow(NTFUZZ_ARENA_SIZE);
    *Class = PTR_ARENA;
    if (!NtfuzzArena) {
        *Pointer = NtfuzzBadPointer(64);
        *Class = PTR_BAD;
    }
}

ULONG_PTR NtfuzzMemoryServiceAddress(VOID)
{
    ULONG64 Pick = NtfuzzBelow(100);

    if (!NtfuzzArena && Pick < 65)
        return NtfuzzBadPointer(NTFUZZ_PAGE);
    if (Pick < 50)
        return NtfuzzArena + NtfuzzBelow(NTFUZZ_ARENA_SIZE / NTFUZZ_PAGE) * NTFUZZ_PAGE;
    if (Pick < 65)
        return NtfuzzArena + NtfuzzBelow(NTFUZZ_ARENA_SIZE);
    if (Pick < 75)
        return 0;
    return NtfuzzBadPointer(NTFUZZ_PAGE);
}

ULONG_PTR NtfuzzStraddleTarget(VOID)
{
    return NtfuzzStraddleEnd - NtfuzzBelow(64);
}

/* How far from Address a range may reach without touching the fuzzer's own
 * memory: to the arena's end, or unbounded where unmapped memory follows
 * (a copy stops at the first page it cannot reach). */
ULONG_PTR NtfuzzTargetRoom(ULONG_PTR Address)
{
    if (NtfuzzInArena(Address))
        return NtfuzzArena + NTFUZZ_ARENA_SIZE - Address;
    if (Address >= NtfuzzStraddleStart && Address <= NtfuzzStraddleEnd)
        return ~0ull;
    if (Address >= 0x0000100000000000ull)
        return ~0ull;
    if (Address < 0x10000)
        return 0x10000 - Address;
    return 0;
}

BOOLEAN NtfuzzInArena(ULONG_PTR Address)
{
    return NtfuzzArena && Address >= NtfuzzArena && Address < NtfuzzArena + NTFUZZ_ARENA_SIZE;
}
