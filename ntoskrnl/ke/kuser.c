/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KUSER_SHARED_DATA through its kernel alias. The amd64 ddk inlines
 * KeQuerySystemTime, KeQueryTickCount, KeQueryInterruptTime and
 * SharedUserData-> reads as loads from 0xFFFFF78000000000 + offset, loaded
 * into a register by `movabs` (48 B8+r imm64) or read directly by the
 * moffs64 forms of `mov` (A0-A3 with an 8-byte address). No user process
 * can map that address, so the loader hands each executable section of a
 * driver image to KiPatchSharedUserData before it runs (the pages it
 * patches are made writable for the moment, then get their protection
 * back): every such
 * immediate is redirected to the same offset in KiSharedData, the
 * runtime's page-aligned copy of KUSER_SHARED_DATA (0x7FFE0000, which ntos
 * refreshes only when a process starts). Once an image has such a
 * reference the DPC thread refreshes the copy's SystemTime, InterruptTime
 * and TickCount every clock tick (KeQueryTimeIncrement, so TickCount counts
 * the ticks drivers multiply by it).
 *
 * The scan is by pattern: an 8-byte value in the alias page right after a
 * movabs or moffs opcode. Data that happens to look like that inside
 * code would be rewritten too; compilers put no data in .text on amd64.
 */
#include "ntoskrnl.h"

#define KI_USER_SHARED_DATA_ALIAS 0xFFFFF78000000000ull
#define KI_USER_SHARED_DATA_USER  0x7FFE0000ull
#define KI_TIME_INCREMENT         156250

/* Read from memory, never an immediate in this code: the patcher must not
 * find (and rewrite) its own constant when the image it scans is its own. */
static const volatile ULONG64 KipAliasBase = KI_USER_SHARED_DATA_ALIAS;

static __attribute__((aligned(PAGE_SIZE))) UCHAR KiSharedData[PAGE_SIZE];
static volatile LONG KiSharedDataCopied;
volatile LONG KiSharedUserDataUsers;

static VOID KipCopySharedData(VOID)
{
    if (InterlockedCompareExchange(&KiSharedDataCopied, 1, 0) == 0)
        memcpy(KiSharedData, (PVOID)KI_USER_SHARED_DATA_USER, PAGE_SIZE);
}

PVOID KiSharedUserDataCopy(VOID)
{
    KipCopySharedData();
    return KiSharedData;
}

/* The order of nt-abi §2.6 for a reader that checks High1Time == High2Time:
 * High2Time first, then LowPart and High1Time in one 64-bit store. */
static VOID KipStoreTime(volatile KSYSTEM_TIME *Time, LONGLONG Value)
{
    Time->High2Time = (LONG)(Value >> 32);
    *(volatile LONGLONG *)Time = Value;
}

VOID KiRefreshSharedUserData(VOID)
{
    PKUSER_SHARED_DATA Data = (PKUSER_SHARED_DATA)KiSharedData;
    LONGLONG Interrupt = KiQueryInterruptTime();
    LARGE_INTEGER Now;

    KipCopySharedData();
    NtQuerySystemTime(&Now);
    KipStoreTime(&Data->InterruptTime, Interrupt);
    KipStoreTime(&Data->SystemTime, Now.QuadPart);
    KipStoreTime(&Data->TickCount, Interrupt / KI_TIME_INCREMENT);
}

/* Whether the 8 bytes at Code[i] are an alias address behind an opcode that takes one. */
static BOOLEAN KipIsAliasReference(PUCHAR Code, SIZE_T i)
{
    ULONG64 Value = *(ULONG64 UNALIGNED *)(Code + i);
    UCHAR Opcode;

    if ((Value & ~(ULONG64)(PAGE_SIZE - 1)) != KipAliasBase || i < 1)
        return FALSE;
    Opcode = Code[i - 1];
    if (Opcode >= 0xB8 && Opcode <= 0xBF) /* movabs r64, imm64: needs REX.W */
        return i >= 2 && (Code[i - 2] & 0xF8) == 0x48;
    return Opcode >= 0xA0 && Opcode <= 0xA3; /* mov al/eax/rax <-> moffs64 */
}

/* Write the 8 bytes at Address, making its page(s) writable for the moment
 * (code sections are usually mapped execute-read). */
static BOOLEAN KipWriteCode(PUCHAR Address, ULONG64 Value)
{
    PVOID Base = Address;
    SIZE_T Size = sizeof(Value);
    ULONG Old, Ignored;

    if (!NT_SUCCESS(
            NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_EXECUTE_READWRITE, &Old)))
        return FALSE;
    *(ULONG64 UNALIGNED *)Address = Value;
    Base = Address;
    Size = sizeof(Value);
    NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, Old, &Ignored);
    return TRUE;
}

ULONG KiPatchSharedUserData(PVOID Code, SIZE_T Size)
{
    PUCHAR Bytes = Code;
    ULONG Patched = 0;

    if (Size < 9)
        return 0;
    KipCopySharedData();
    for (SIZE_T i = 1; i + 8 <= Size; i++) {
        ULONG64 Value;

        if (!KipIsAliasReference(Bytes, i))
            continue;
        Value = *(ULONG64 UNALIGNED *)(Bytes + i);
        if (!KipWriteCode(Bytes + i,
                          (ULONG64)(ULONG_PTR)KiSharedData + (Value & (PAGE_SIZE - 1)))) {
            DbgPrint("ntoskrnl: cannot patch the KUSER_SHARED_DATA reference at %p\n", Bytes + i);
            continue;
        }
        Patched++;
        i += 7;
    }
    if (Patched) {
        KiRefreshSharedUserData();
        if (InterlockedIncrement(&KiSharedUserDataUsers) == 1)
            KiKickDpcThread(); /* start the refresh */
    }
    return Patched;
}
