/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KUSER_SHARED_DATA's kernel alias (ke/kuser.c): the loader's patch of
 * the ddk's inline loads from 0xFFFFF780000000xx, and the copy's times
 * kept current. The code is built by hand here (the bytes gcc emits for
 * KeQuerySystemTime and KeQueryTickCount, spec/nt-abi.md §6) and run.
 */
#include "ktest.h"

NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE Process, PVOID *Base, ULONG_PTR ZeroBits,
                                                PSIZE_T Size, ULONG Type, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE Process, PVOID *Base, PSIZE_T Size,
                                            ULONG Type);

/* movabs $0xfffff78000000014,%rax; mov (%rax),%rax; ret   (KeQuerySystemTime) */
static const UCHAR KTestSystemTimeCode[] = {0x48, 0xB8, 0x14, 0x00, 0x00, 0x00, 0x80, 0xF7,
                                            0xFF, 0xFF, 0x48, 0x8B, 0x00, 0xC3};
/* movabs 0xfffff78000000320,%rax; ret   (KeQueryTickCount's load) */
static const UCHAR KTestTickCode[] = {0x48, 0xA1, 0x20, 0x03, 0x00, 0x00,
                                      0x80, 0xF7, 0xFF, 0xFF, 0xC3};
/* The same address after an opcode that takes no 64-bit immediate: left alone. */
static const UCHAR KTestDecoy[] = {0x90, 0x14, 0x00, 0x00, 0x00, 0x80, 0xF7, 0xFF, 0xFF};

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
    CHECK_EQ(*(ULONG64 UNALIGNED *)(Code + 65), 0xFFFFF78000000014ull);
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
