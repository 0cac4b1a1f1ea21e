/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Function tables added at run time (RtlAddFunctionTable,
 * RtlDeleteFunctionTable): unwind data for code outside every loaded image
 * (generated code). RtlLookupFunctionEntry searches them when no image
 * holds the address; their entries need not be sorted.
 *
 * FIXME: registrations live in a table of RTLP_MAX_DYNAMIC_TABLES (the add
 * fails when it is full) until ntdll has a heap; RtlInstallFunctionTableCallback
 * is not there.
 */
#include "excp.h"

#define RTLP_MAX_DYNAMIC_TABLES 64

typedef struct _RTLP_DYNAMIC_TABLE {
    PRUNTIME_FUNCTION Table; /* NULL: a free slot */
    ULONG Count;
    ULONG64 Base;
    ULONG64 Low, High; /* what the entries cover, for a quick test */
} RTLP_DYNAMIC_TABLE;

static RTLP_DYNAMIC_TABLE RtlpDynamicTables[RTLP_MAX_DYNAMIC_TABLES];
static volatile LONG RtlpDynamicLock;

static VOID RtlpLockDynamic(VOID)
{
    while (__sync_lock_test_and_set(&RtlpDynamicLock, 1))
        __asm__ volatile("pause");
}

static VOID RtlpUnlockDynamic(VOID)
{
    __sync_lock_release(&RtlpDynamicLock);
}

BOOLEAN NTAPI RtlAddFunctionTable(PRUNTIME_FUNCTION FunctionTable, ULONG EntryCount,
                                  ULONG64 BaseAddress)
{
    ULONG64 Low = ~0ull, High = 0;
    BOOLEAN Added = FALSE;

    if (FunctionTable == NULL)
        return FALSE;
    for (ULONG i = 0; i < EntryCount; i++) {
        if (BaseAddress + FunctionTable[i].BeginAddress < Low)
            Low = BaseAddress + FunctionTable[i].BeginAddress;
        if (BaseAddress + FunctionTable[i].EndAddress > High)
            High = BaseAddress + FunctionTable[i].EndAddress;
    }
    RtlpLockDynamic();
    for (ULONG i = 0; i < RTLP_MAX_DYNAMIC_TABLES && !Added; i++) {
        if (RtlpDynamicTables[i].Table != NULL)
            continue;
        RtlpDynamicTables[i] =
            (RTLP_DYNAMIC_TABLE){FunctionTable, EntryCount, BaseAddress, Low, High};
        Added = TRUE;
    }
    RtlpUnlockDynamic();
    return Added;
}

BOOLEAN NTAPI RtlDeleteFunctionTable(PRUNTIME_FUNCTION FunctionTable)
{
    BOOLEAN Deleted = FALSE;

    RtlpLockDynamic();
    for (ULONG i = 0; i < RTLP_MAX_DYNAMIC_TABLES && !Deleted; i++) {
        if (FunctionTable != NULL && RtlpDynamicTables[i].Table == FunctionTable) {
            RtlpDynamicTables[i].Table = NULL;
            Deleted = TRUE;
        }
    }
    RtlpUnlockDynamic();
    return Deleted;
}

PRUNTIME_FUNCTION RtlpLookupDynamicFunctionEntry(ULONG64 ControlPc, PULONG64 ImageBase)
{
    PRUNTIME_FUNCTION Found = NULL;

    RtlpLockDynamic();
    for (ULONG i = 0; i < RTLP_MAX_DYNAMIC_TABLES && Found == NULL; i++) {
        RTLP_DYNAMIC_TABLE *T = &RtlpDynamicTables[i];
        if (T->Table == NULL || ControlPc < T->Low || ControlPc >= T->High)
            continue;
        for (ULONG j = 0; j < T->Count; j++) {
            if (ControlPc - T->Base >= T->Table[j].BeginAddress &&
                ControlPc - T->Base < T->Table[j].EndAddress) {
                Found = &T->Table[j];
                *ImageBase = T->Base;
                break;
            }
        }
    }
    RtlpUnlockDynamic();
    return Found;
}
