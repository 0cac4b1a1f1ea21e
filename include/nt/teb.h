/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The thread environment block (TEB, 0x1838 bytes, Windows 10 19H1 layout)
 * and its first part, NT_TIB. The GS base of a user thread points at its
 * TEB and NtTib.Self holds the TEB's own address: that is the one field
 * gcc, mingw and the Wine DLLs read through %gs (spec/nt-abi.md §2.1). ntos
 * fills Self, ProcessEnvironmentBlock, ClientId, ExceptionList (-1),
 * StackBase/StackLimit, DeallocationStack, ActivationContextStackPointer and
 * StaticUnicodeString before a thread's first instruction; the rest belongs
 * to ntdll and the DLLs above it. Pointer fields hold user addresses.
 */
#pragma once

#include <nt/types.h>

struct _PEB;
struct _EXCEPTION_REGISTRATION_RECORD;

typedef struct _NT_TIB {
    struct _EXCEPTION_REGISTRATION_RECORD *ExceptionList; /* (void *)-1 ends the chain */
    PVOID StackBase;                                      /* highest address + 1 */
    PVOID StackLimit;                                     /* lowest committed address */
    PVOID SubSystemTib;
    union {
        PVOID FiberData;
        ULONG Version;
    };
    PVOID ArbitraryUserPointer;
    struct _NT_TIB *Self;
} NT_TIB, *PNT_TIB;

_Static_assert(sizeof(NT_TIB) == 0x38, "NT_TIB");
_Static_assert(offsetof(NT_TIB, StackBase) == 0x08, "NT_TIB.StackBase");
_Static_assert(offsetof(NT_TIB, StackLimit) == 0x10, "NT_TIB.StackLimit");
_Static_assert(offsetof(NT_TIB, SubSystemTib) == 0x18, "NT_TIB.SubSystemTib");
_Static_assert(offsetof(NT_TIB, FiberData) == 0x20, "NT_TIB.FiberData");
_Static_assert(offsetof(NT_TIB, ArbitraryUserPointer) == 0x28, "NT_TIB.ArbitraryUserPointer");
_Static_assert(offsetof(NT_TIB, Self) == 0x30, "NT_TIB.Self");

typedef struct _ACTIVATION_CONTEXT_STACK {
    PVOID ActiveFrame;
    LIST_ENTRY FrameListCache;
    ULONG Flags;
    ULONG NextCookieSequenceNumber;
    ULONG StackId;
} ACTIVATION_CONTEXT_STACK, *PACTIVATION_CONTEXT_STACK;

_Static_assert(sizeof(ACTIVATION_CONTEXT_STACK) == 0x28, "ACTIVATION_CONTEXT_STACK");

typedef struct _GDI_TEB_BATCH {
    ULONG Offset;
    ULONG_PTR HDC;
    ULONG Buffer[310];
} GDI_TEB_BATCH;

_Static_assert(sizeof(GDI_TEB_BATCH) == 0x4e8, "GDI_TEB_BATCH");

/* Padding* members stand where the compiler would pad; Spare* are unused. */
typedef struct _TEB {
    NT_TIB NtTib;
    PVOID EnvironmentPointer;
    CLIENT_ID ClientId;
    PVOID ActiveRpcHandle;
    PVOID ThreadLocalStoragePointer; /* array of static-TLS blocks by _tls_index */
    struct _PEB *ProcessEnvironmentBlock;
    ULONG LastErrorValue;
    ULONG CountOfOwnedCriticalSections;
    PVOID CsrClientThread;
    PVOID Win32ThreadInfo;
    ULONG User32Reserved[26];
    ULONG UserReserved[5];
    UCHAR Padding0[4];
    PVOID WOW32Reserved;
    ULONG CurrentLocale;
    ULONG FpSoftwareStatusRegister;
    PVOID ReservedForDebuggerInstrumentation[16];
    PVOID SystemReserved1[30];
    CHAR PlaceholderCompatibilityMode;
    BOOLEAN PlaceholderHydrationAlwaysExplicit;
    CHAR PlaceholderReserved[10];
    ULONG ProxiedProcessId;
    ACTIVATION_CONTEXT_STACK ActivationContextStack;
    UCHAR WorkingOnBehalfTicket[8];
    NTSTATUS ExceptionCode;
    UCHAR Padding1[4];
    PACTIVATION_CONTEXT_STACK ActivationContextStackPointer; /* -> ActivationContextStack */
    ULONG_PTR InstrumentationCallbackSp;
    ULONG_PTR InstrumentationCallbackPreviousPc;
    ULONG_PTR InstrumentationCallbackPreviousSp;
    ULONG TxFsContext;
    BOOLEAN InstrumentationCallbackDisabled;
    BOOLEAN UnalignedLoadStoreExceptions;
    UCHAR Padding2[2];
    GDI_TEB_BATCH GdiTebBatch;
    CLIENT_ID RealClientId;
    HANDLE GdiCachedProcessHandle;
    ULONG GdiClientPID;
    ULONG GdiClientTID;
    PVOID GdiThreadLocalInfo;
    ULONG_PTR Win32ClientInfo[62];
    PVOID glDispatchTable[233];
    ULONG_PTR glReserved1[29];
    PVOID glReserved2;
    PVOID glSectionInfo;
    PVOID glSection;
    PVOID glTable;
    PVOID glCurrentRC;
    PVOID glContext;
    NTSTATUS LastStatusValue;
    UCHAR Padding3[4];
    UNICODE_STRING StaticUnicodeString; /* Buffer -> StaticUnicodeBuffer */
    WCHAR StaticUnicodeBuffer[261];
    UCHAR Padding4[6];
    PVOID DeallocationStack; /* allocation base of the stack reservation */
    PVOID TlsSlots[64];
    LIST_ENTRY TlsLinks;
    PVOID Vdm;
    PVOID ReservedForNtRpc;
    PVOID DbgSsReserved[2];
    ULONG HardErrorMode;
    UCHAR Padding5[4];
    PVOID Instrumentation[16];
    PVOID WinSockData;
    ULONG GdiBatchCount;
    ULONG IdealProcessorValue;
    ULONG GuaranteedStackBytes;
    UCHAR Padding6[4];
    PVOID ReservedForPerf;
    PVOID ReservedForOle;
    ULONG WaitingOnLoaderLock;
    UCHAR Padding7[4];
    PVOID SavedPriorityState;
    ULONG_PTR ReservedForCodeCoverage;
    PVOID ThreadPoolData;
    PVOID *TlsExpansionSlots; /* 1024 slots, allocated on first use */
    PVOID DeallocationBStore;
    PVOID BStoreLimit;
    ULONG MuiGeneration;
    ULONG IsImpersonating;
    PVOID NlsCache;
    PVOID pShimData;
    ULONG HeapVirtualAffinity;
    UCHAR Padding8[4];
    HANDLE CurrentTransactionHandle;
    PVOID ActiveFrame;
    PVOID FlsData;
    PVOID PreferredLanguages;
    PVOID UserPrefLanguages;
    PVOID MergedPrefLanguages;
    ULONG MuiImpersonation;
    USHORT CrossTebFlags;
    USHORT SameTebFlags;
    PVOID TxnScopeEnterCallback;
    PVOID TxnScopeExitCallback;
    PVOID TxnScopeContext;
    ULONG LockCount;
    LONG WowTebOffset; /* 0 for a native 64-bit thread */
    PVOID ResourceRetValue;
    PVOID ReservedForWdf;
    ULONGLONG ReservedForCrt;
    GUID EffectiveContainerId;
} TEB, *PTEB;

#define TEB_ASSERT(f, o) _Static_assert(offsetof(TEB, f) == (o), "TEB." #f)
TEB_ASSERT(NtTib.ExceptionList, 0x000);
TEB_ASSERT(NtTib.Self, 0x030);
TEB_ASSERT(EnvironmentPointer, 0x038);
TEB_ASSERT(ClientId, 0x040);
TEB_ASSERT(ActiveRpcHandle, 0x050);
TEB_ASSERT(ThreadLocalStoragePointer, 0x058);
TEB_ASSERT(ProcessEnvironmentBlock, 0x060);
TEB_ASSERT(LastErrorValue, 0x068);
TEB_ASSERT(CountOfOwnedCriticalSections, 0x06c);
TEB_ASSERT(CsrClientThread, 0x070);
TEB_ASSERT(Win32ThreadInfo, 0x078);
TEB_ASSERT(User32Reserved, 0x080);
TEB_ASSERT(UserReserved, 0x0e8);
TEB_ASSERT(WOW32Reserved, 0x100);
TEB_ASSERT(CurrentLocale, 0x108);
TEB_ASSERT(FpSoftwareStatusRegister, 0x10c);
TEB_ASSERT(ReservedForDebuggerInstrumentation, 0x110);
TEB_ASSERT(SystemReserved1, 0x190);
TEB_ASSERT(PlaceholderCompatibilityMode, 0x280);
TEB_ASSERT(ProxiedProcessId, 0x28c);
TEB_ASSERT(ActivationContextStack, 0x290);
TEB_ASSERT(ExceptionCode, 0x2c0);
TEB_ASSERT(ActivationContextStackPointer, 0x2c8);
TEB_ASSERT(GdiTebBatch, 0x2f0);
TEB_ASSERT(RealClientId, 0x7d8);
TEB_ASSERT(Win32ClientInfo, 0x800);
TEB_ASSERT(glDispatchTable, 0x9f0);
TEB_ASSERT(LastStatusValue, 0x1250);
TEB_ASSERT(StaticUnicodeString, 0x1258);
TEB_ASSERT(StaticUnicodeBuffer, 0x1268);
TEB_ASSERT(DeallocationStack, 0x1478);
TEB_ASSERT(TlsSlots, 0x1480);
TEB_ASSERT(TlsLinks, 0x1680);
TEB_ASSERT(Vdm, 0x1690);
TEB_ASSERT(ReservedForNtRpc, 0x1698);
TEB_ASSERT(DbgSsReserved, 0x16a0);
TEB_ASSERT(HardErrorMode, 0x16b0);
TEB_ASSERT(Instrumentation, 0x16b8);
TEB_ASSERT(WinSockData, 0x1738);
TEB_ASSERT(GdiBatchCount, 0x1740);
TEB_ASSERT(GuaranteedStackBytes, 0x1748);
TEB_ASSERT(ReservedForPerf, 0x1750);
TEB_ASSERT(ReservedForOle, 0x1758);
TEB_ASSERT(WaitingOnLoaderLock, 0x1760);
TEB_ASSERT(TlsExpansionSlots, 0x1780);
TEB_ASSERT(DeallocationBStore, 0x1788);
TEB_ASSERT(BStoreLimit, 0x1790);
TEB_ASSERT(MuiGeneration, 0x1798);
TEB_ASSERT(IsImpersonating, 0x179c);
TEB_ASSERT(NlsCache, 0x17a0);
TEB_ASSERT(pShimData, 0x17a8);
TEB_ASSERT(HeapVirtualAffinity, 0x17b0);
TEB_ASSERT(CurrentTransactionHandle, 0x17b8);
TEB_ASSERT(ActiveFrame, 0x17c0);
TEB_ASSERT(FlsData, 0x17c8);
TEB_ASSERT(PreferredLanguages, 0x17d0);
TEB_ASSERT(UserPrefLanguages, 0x17d8);
TEB_ASSERT(MergedPrefLanguages, 0x17e0);
TEB_ASSERT(MuiImpersonation, 0x17e8);
TEB_ASSERT(CrossTebFlags, 0x17ec);
TEB_ASSERT(SameTebFlags, 0x17ee);
TEB_ASSERT(TxnScopeEnterCallback, 0x17f0);
TEB_ASSERT(TxnScopeContext, 0x1800);
TEB_ASSERT(LockCount, 0x1808);
TEB_ASSERT(WowTebOffset, 0x180c);
TEB_ASSERT(ResourceRetValue, 0x1810);
TEB_ASSERT(ReservedForWdf, 0x1818);
TEB_ASSERT(ReservedForCrt, 0x1820);
TEB_ASSERT(EffectiveContainerId, 0x1828);
_Static_assert(sizeof(TEB) == 0x1838, "TEB size");
#undef TEB_ASSERT

/* The exception chain terminator of NtTib.ExceptionList (spec §2.9). */
#define EXCEPTION_CHAIN_END ((struct _EXCEPTION_REGISTRATION_RECORD *)-1)
