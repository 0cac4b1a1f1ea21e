/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KUSER_SHARED_DATA's kernel alias (ke/kuser.c): the loader's patch of
 * the ddk's inline loads from 0xFFFFF780000000xx, and the copy's times
 * kept current. The code is built by hand here (the bytes gcc emits for
 * KeQuerySystemTime and KeQueryTickCount, spec/nt-abi.md §6) and run.
 */
#include "ktest.h"

#include <ntimage.h>

NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE Process, PVOID *Base, ULONG_PTR ZeroBits,
                                                PSIZE_T Size, ULONG Type, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE Process, PVOID *Base, PSIZE_T Size, ULONG Type);

/* movabs $0xfffff78000000014,%rax; mov (%rax),%rax; ret   (KeQuerySystemTime) */
static const UCHAR KTestSystemTimeCode[] = {0x48, 0xB8, 0x14, 0x00, 0x00, 0x00, 0x80,
                                            0xF7, 0xFF, 0xFF, 0x48, 0x8B, 0x00, 0xC3};
/* movabs 0xfffff78000000320,%rax; ret   (KeQueryTickCount's load) */
static const UCHAR KTestTickCode[] = {0x48, 0xA1, 0x20, 0x03, 0x00, 0x00,
                                      0x80, 0xF7, 0xFF, 0xFF, 0xC3};
/* The same address after an opcode that takes no 64-bit immediate: left alone. */
static const UCHAR KTestDecoy[] = {0x90, 0x14, 0x00, 0x00, 0x00, 0x80, 0xF7, 0xFF, 0xFF};

/* Not an immediate of this code (the image-wide patch below would take it). */
static const volatile ULONG64 KTestDecoyValue = 0xFFFFF78000000014ull;

TEST(kuser, alias_references_patched)
{
    PVOID Base = NULL;
    SIZE_T Size = PAGE_SIZE;
    PUCHAR Code;
    LONGLONG (*SystemTime)(VOID), (*Ticks)(VOID);
    LARGE_INTEGER Now;
    LONGLONG T1, T2;
    PUCHAR Copy;

    if (!CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                              MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE),
                      STATUS_SUCCESS))
        return;
    Code = Base;
    memcpy(Code, KTestSystemTimeCode, sizeof(KTestSystemTimeCode));
    memcpy(Code + 32, KTestTickCode, sizeof(KTestTickCode));
    memcpy(Code + 64, KTestDecoy, sizeof(KTestDecoy));
    CHECK_EQ(KiPatchSharedUserData(Code, 128), 2);
    Copy = KiSharedUserDataCopy();
    CHECK_EQ(*(ULONG64 UNALIGNED *)(Code + 2), (ULONG64)(ULONG_PTR)(Copy + 0x14));
    CHECK_EQ(*(ULONG64 UNALIGNED *)(Code + 34), (ULONG64)(ULONG_PTR)(Copy + 0x320));
    CHECK_EQ(*(ULONG64 UNALIGNED *)(Code + 65), KTestDecoyValue);
    /* The copy starts as the real page (the version fields, for one). */
    CHECK_EQ(((PKUSER_SHARED_DATA)Copy)->NtMajorVersion,
             ((PKUSER_SHARED_DATA)0x7FFE0000)->NtMajorVersion);
    SystemTime = (PVOID)Code;
    Ticks = (PVOID)(Code + 32);
    KeQuerySystemTimePrecise(&Now);
    T1 = SystemTime();
    CHECK(T1 > Now.QuadPart - 10000000 && T1 <= Now.QuadPart + 10000000);
    T1 = Ticks();
    KTestSleep(200);
    T2 = Ticks();
    /* Ticks of KeQueryTimeIncrement (15.625 ms): about 12 in 200 ms. */
    CHECK(T2 - T1 >= 6);
    CHECK(T2 - T1 <= 40);
    CHECK(SystemTime() > Now.QuadPart);
    Size = 0;
    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

/* ---- what gcc makes of the ddk's inline time routines, patched in place ---------------
 * The probes sit between two markers in .text$ktkuser_* (grouped sections,
 * sorted by name), so the test knows the range to hand to the patcher, as
 * the loader hands it a driver's code section. They must not run before. */

__attribute__((section(".text$ktkuser_a"), used, noinline)) static VOID KTestProbeStart(VOID)
{
}

__attribute__((section(".text$ktkuser_b"), used, noinline)) static LONGLONG
KTestProbeSystemTime(VOID)
{
    LARGE_INTEGER Time;

    KeQuerySystemTime(&Time);
    return Time.QuadPart;
}

__attribute__((section(".text$ktkuser_b"), used, noinline)) static LONGLONG
KTestProbeTickCount(VOID)
{
    LARGE_INTEGER Ticks;

    KeQueryTickCount(&Ticks);
    return Ticks.QuadPart;
}

__attribute__((section(".text$ktkuser_b"), used, noinline)) static LONGLONG
KTestProbeInterruptTime(VOID)
{
    return KeQueryInterruptTime();
}

__attribute__((section(".text$ktkuser_b"), used, noinline)) static ULONG
KTestProbeMajorVersion(VOID)
{
    return SharedUserData->NtMajorVersion;
}

__attribute__((section(".text$ktkuser_c"), used, noinline)) static VOID KTestProbeEnd(VOID)
{
}

extern IMAGE_DOS_HEADER __ImageBase;

static SIZE_T KTestImageSize(VOID)
{
    PUCHAR Base = (PUCHAR)&__ImageBase;

    __asm__("" : "+r"(Base));
    return ((PIMAGE_NT_HEADERS64)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew))
        ->OptionalHeader.SizeOfImage;
}

/* What the loader (ldr/image.c) does: every executable section of an image. */
static ULONG KTestPatchImage(PVOID ImageBase, SIZE_T ImageSize)
{
    PUCHAR Base = ImageBase;
    PIMAGE_NT_HEADERS64 Nt;
    PIMAGE_SECTION_HEADER Section;
    ULONG Patched = 0;

    if (ImageSize < sizeof(IMAGE_DOS_HEADER) ||
        (ULONG)((PIMAGE_DOS_HEADER)Base)->e_lfanew > ImageSize - sizeof(IMAGE_NT_HEADERS64))
        return 0;
    Nt = (PIMAGE_NT_HEADERS64)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    Section = IMAGE_FIRST_SECTION(Nt);
    for (ULONG i = 0; i < Nt->FileHeader.NumberOfSections; i++, Section++) {
        ULONG Length =
            Section->Misc.VirtualSize ? Section->Misc.VirtualSize : Section->SizeOfRawData;

        if ((PUCHAR)(Section + 1) > Base + ImageSize)
            break;
        if (!(Section->Characteristics & IMAGE_SCN_MEM_EXECUTE) || Length == 0 ||
            Section->VirtualAddress >= ImageSize || Length > ImageSize - Section->VirtualAddress)
            continue;
        Patched += KiPatchSharedUserData(Base + Section->VirtualAddress, Length);
    }
    return Patched;
}

TEST(kuser, ddk_inline_time_routines_patched_in_place)
{
    PUCHAR Start = (PUCHAR)KTestProbeStart, End = (PUCHAR)KTestProbeEnd;
    LARGE_INTEGER Now;
    LONGLONG Ticks;

    __asm__("" : "+r"(Start), "+r"(End));
    if (!CHECK(Start < End && End - Start < 4096))
        return;
    /* As the loader does it: every executable section of the image (this
     * test program's own); the four probes hold the only references. */
    CHECK_EQ(KTestPatchImage(&__ImageBase, KTestImageSize()), 4);
    CHECK_EQ(KiPatchSharedUserData(Start, End - Start), 0); /* nothing left to patch */
    KeQuerySystemTimePrecise(&Now);
    CHECK(KTestProbeSystemTime() > Now.QuadPart - 10000000);
    CHECK(KTestProbeSystemTime() < Now.QuadPart + 10000000);
    CHECK(KTestProbeInterruptTime() > KTestNow() - 10000000);
    CHECK(KTestProbeInterruptTime() <= KTestNow());
    CHECK_EQ(KTestProbeMajorVersion(), 10);
    Ticks = KTestProbeTickCount();
    /* Ticks of KeQueryTimeIncrement since boot, refreshed each tick. */
    CHECK(Ticks > 0);
    CHECK(KTestNow() / KeQueryTimeIncrement() - Ticks <= 2);
    KTestSleep(100);
    CHECK(KTestProbeTickCount() - Ticks >= 3);
}
