/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process environment block and what hangs off it: PEB (0x7c8 bytes,
 * Windows 10 19H1), the loader's PEB_LDR_DATA and LDR_DATA_TABLE_ENTRY, and
 * RTL_USER_PROCESS_PARAMETERS with CURDIR and RTL_DRIVE_LETTER_CURDIR
 * (spec/nt-abi.md §2.2-2.4). ntos builds the PEB and the process parameters
 * in the new process; ntdll's loader owns the rest. Pointer fields hold user
 * addresses; in unnormalised process parameters the string Buffers are
 * offsets from the block (Flags bit RTL_USER_PROC_PARAMS_NORMALIZED clear).
 */
#pragma once

#include <nt/types.h>

typedef struct _RTL_BALANCED_NODE {
    union {
        struct _RTL_BALANCED_NODE *Children[2];
        struct {
            struct _RTL_BALANCED_NODE *Left;
            struct _RTL_BALANCED_NODE *Right;
        };
    };
    ULONG_PTR ParentValue; /* parent pointer; low bits: Red / Balance */
} RTL_BALANCED_NODE, *PRTL_BALANCED_NODE;

_Static_assert(sizeof(RTL_BALANCED_NODE) == 0x18, "RTL_BALANCED_NODE");

/* ---- loader data ------------------------------------------------------------- */

typedef struct _PEB_LDR_DATA {
    ULONG Length;
    BOOLEAN Initialized;
    HANDLE SsHandle;
    LIST_ENTRY InLoadOrderModuleList;           /* -> LDR_DATA_TABLE_ENTRY + 0x00 */
    LIST_ENTRY InMemoryOrderModuleList;         /* -> LDR_DATA_TABLE_ENTRY + 0x10 */
    LIST_ENTRY InInitializationOrderModuleList; /* -> LDR_DATA_TABLE_ENTRY + 0x20 */
    PVOID EntryInProgress;
    BOOLEAN ShutdownInProgress;
    HANDLE ShutdownThreadId;
} PEB_LDR_DATA, *PPEB_LDR_DATA;

_Static_assert(offsetof(PEB_LDR_DATA, Initialized) == 0x04, "PEB_LDR_DATA.Initialized");
_Static_assert(offsetof(PEB_LDR_DATA, SsHandle) == 0x08, "PEB_LDR_DATA.SsHandle");
_Static_assert(offsetof(PEB_LDR_DATA, InLoadOrderModuleList) == 0x10, "PEB_LDR_DATA.InLoad");
_Static_assert(offsetof(PEB_LDR_DATA, InMemoryOrderModuleList) == 0x20, "PEB_LDR_DATA.InMem");
_Static_assert(offsetof(PEB_LDR_DATA, InInitializationOrderModuleList) == 0x30,
               "PEB_LDR_DATA.InInit");
_Static_assert(offsetof(PEB_LDR_DATA, EntryInProgress) == 0x40, "PEB_LDR_DATA.EntryInProgress");
_Static_assert(offsetof(PEB_LDR_DATA, ShutdownInProgress) == 0x48, "PEB_LDR_DATA.Shutdown");
_Static_assert(offsetof(PEB_LDR_DATA, ShutdownThreadId) == 0x50, "PEB_LDR_DATA.ShutdownThread");
_Static_assert(sizeof(PEB_LDR_DATA) == 0x58, "PEB_LDR_DATA size");

typedef struct _LDR_DATA_TABLE_ENTRY {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    PVOID DllBase;
    PVOID EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName; /* DOS path */
    UNICODE_STRING BaseDllName;
    ULONG Flags;
    USHORT ObsoleteLoadCount;
    USHORT TlsIndex;
    LIST_ENTRY HashLinks;
    ULONG TimeDateStamp;
    PVOID EntryPointActivationContext;
    PVOID Lock;
    PVOID DdagNode;
    LIST_ENTRY NodeModuleLink;
    PVOID LoadContext;
    PVOID ParentDllBase;
    PVOID SwitchBackContext;
    RTL_BALANCED_NODE BaseAddressIndexNode;
    RTL_BALANCED_NODE MappingInfoIndexNode;
    ULONG_PTR OriginalBase;
    LARGE_INTEGER LoadTime;
    ULONG BaseNameHashValue;
    ULONG LoadReason;
    ULONG ImplicitPathOptions;
    ULONG ReferenceCount;
    ULONG DependentLoadFlags;
    UCHAR SigningLevel;
} LDR_DATA_TABLE_ENTRY, *PLDR_DATA_TABLE_ENTRY;

#define LDR_ASSERT(f, o) _Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, f) == (o), "LDR." #f)
LDR_ASSERT(InMemoryOrderLinks, 0x10);
LDR_ASSERT(InInitializationOrderLinks, 0x20);
LDR_ASSERT(DllBase, 0x30);
LDR_ASSERT(EntryPoint, 0x38);
LDR_ASSERT(SizeOfImage, 0x40);
LDR_ASSERT(FullDllName, 0x48);
LDR_ASSERT(BaseDllName, 0x58);
LDR_ASSERT(Flags, 0x68);
LDR_ASSERT(ObsoleteLoadCount, 0x6c);
LDR_ASSERT(TlsIndex, 0x6e);
LDR_ASSERT(HashLinks, 0x70);
LDR_ASSERT(TimeDateStamp, 0x80);
LDR_ASSERT(EntryPointActivationContext, 0x88);
LDR_ASSERT(Lock, 0x90);
LDR_ASSERT(DdagNode, 0x98);
LDR_ASSERT(NodeModuleLink, 0xa0);
LDR_ASSERT(LoadContext, 0xb0);
LDR_ASSERT(ParentDllBase, 0xb8);
LDR_ASSERT(SwitchBackContext, 0xc0);
LDR_ASSERT(BaseAddressIndexNode, 0xc8);
LDR_ASSERT(MappingInfoIndexNode, 0xe0);
LDR_ASSERT(OriginalBase, 0xf8);
LDR_ASSERT(LoadTime, 0x100);
LDR_ASSERT(BaseNameHashValue, 0x108);
LDR_ASSERT(LoadReason, 0x10c);
LDR_ASSERT(ImplicitPathOptions, 0x110);
LDR_ASSERT(ReferenceCount, 0x114);
LDR_ASSERT(DependentLoadFlags, 0x118);
LDR_ASSERT(SigningLevel, 0x11c);
_Static_assert(sizeof(LDR_DATA_TABLE_ENTRY) == 0x120, "LDR_DATA_TABLE_ENTRY size");
#undef LDR_ASSERT

/* ---- process parameters -------------------------------------------------------- */

typedef struct _CURDIR {
    UNICODE_STRING DosPath; /* ends in a backslash */
    HANDLE Handle;          /* open handle to the directory */
} CURDIR, *PCURDIR;

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags;
    USHORT Length;
    ULONG TimeStamp;
    STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR, *PRTL_DRIVE_LETTER_CURDIR;

_Static_assert(sizeof(CURDIR) == 0x18, "CURDIR");
_Static_assert(offsetof(CURDIR, Handle) == 0x10, "CURDIR.Handle");
_Static_assert(sizeof(RTL_DRIVE_LETTER_CURDIR) == 0x18, "RTL_DRIVE_LETTER_CURDIR");
_Static_assert(offsetof(RTL_DRIVE_LETTER_CURDIR, TimeStamp) == 4, "DLCURDIR.TimeStamp");
_Static_assert(offsetof(RTL_DRIVE_LETTER_CURDIR, DosPath) == 8, "DLCURDIR.DosPath");

#define RTL_MAX_DRIVE_LETTERS           32
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;
    ULONG Length;
    ULONG Flags;
    ULONG DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput;
    HANDLE StandardOutput;
    HANDLE StandardError;
    CURDIR CurrentDirectory;
    UNICODE_STRING DllPath;
    UNICODE_STRING ImagePathName;
    UNICODE_STRING CommandLine;
    PWSTR Environment; /* NAME=VALUE\0...\0\0 */
    ULONG StartingX;
    ULONG StartingY;
    ULONG CountX;
    ULONG CountY;
    ULONG CountCharsX;
    ULONG CountCharsY;
    ULONG FillAttribute;
    ULONG WindowFlags;
    ULONG ShowWindowFlags;
    UNICODE_STRING WindowTitle;
    UNICODE_STRING DesktopInfo;
    UNICODE_STRING ShellInfo;
    UNICODE_STRING RuntimeData;
    RTL_DRIVE_LETTER_CURDIR CurrentDirectories[RTL_MAX_DRIVE_LETTERS];
    ULONG_PTR EnvironmentSize;
    ULONG_PTR EnvironmentVersion;
    PVOID PackageDependencyData;
    ULONG ProcessGroupId;
    ULONG LoaderThreads;
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;

#define RUPP_ASSERT(f, o)                                                                          \
    _Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, f) == (o), "RUPP." #f)
RUPP_ASSERT(Length, 0x004);
RUPP_ASSERT(Flags, 0x008);
RUPP_ASSERT(DebugFlags, 0x00c);
RUPP_ASSERT(ConsoleHandle, 0x010);
RUPP_ASSERT(ConsoleFlags, 0x018);
RUPP_ASSERT(StandardInput, 0x020);
RUPP_ASSERT(StandardOutput, 0x028);
RUPP_ASSERT(StandardError, 0x030);
RUPP_ASSERT(CurrentDirectory, 0x038);
RUPP_ASSERT(CurrentDirectory.Handle, 0x048);
RUPP_ASSERT(DllPath, 0x050);
RUPP_ASSERT(ImagePathName, 0x060);
RUPP_ASSERT(CommandLine, 0x070);
RUPP_ASSERT(Environment, 0x080);
RUPP_ASSERT(StartingX, 0x088);
RUPP_ASSERT(ShowWindowFlags, 0x0a8);
RUPP_ASSERT(WindowTitle, 0x0b0);
RUPP_ASSERT(DesktopInfo, 0x0c0);
RUPP_ASSERT(ShellInfo, 0x0d0);
RUPP_ASSERT(RuntimeData, 0x0e0);
RUPP_ASSERT(CurrentDirectories, 0x0f0);
RUPP_ASSERT(EnvironmentSize, 0x3f0);
RUPP_ASSERT(EnvironmentVersion, 0x3f8);
RUPP_ASSERT(PackageDependencyData, 0x400);
RUPP_ASSERT(ProcessGroupId, 0x408);
RUPP_ASSERT(LoaderThreads, 0x40c);
_Static_assert(sizeof(RTL_USER_PROCESS_PARAMETERS) == 0x410, "RUPP size");
#undef RUPP_ASSERT

/* ---- PEB ---------------------------------------------------------------------------- */

typedef struct _PEB {
    BOOLEAN InheritedAddressSpace;
    BOOLEAN ReadImageFileExecOptions;
    BOOLEAN BeingDebugged;
    UCHAR BitField;
    UCHAR Padding0[4];
    HANDLE Mutant;
    PVOID ImageBaseAddress;
    PPEB_LDR_DATA Ldr;
    PRTL_USER_PROCESS_PARAMETERS ProcessParameters;
    PVOID SubSystemData;
    PVOID ProcessHeap;
    PVOID FastPebLock; /* RTL_CRITICAL_SECTION * */
    PVOID AtlThunkSListPtr;
    PVOID IFEOKey;
    ULONG CrossProcessFlags;
    UCHAR Padding1[4];
    PVOID KernelCallbackTable;
    ULONG SystemReserved;
    ULONG AtlThunkSListPtr32;
    PVOID ApiSetMap;
    ULONG TlsExpansionCounter;
    UCHAR Padding2[4];
    PRTL_BITMAP TlsBitmap; /* 64 bits over TlsBitmapBits */
    ULONG TlsBitmapBits[2];
    PVOID ReadOnlySharedMemoryBase;
    PVOID SharedData;
    PVOID *ReadOnlyStaticServerData;
    PVOID AnsiCodePageData;
    PVOID OemCodePageData;
    PVOID UnicodeCaseTableData;
    ULONG NumberOfProcessors;
    ULONG NtGlobalFlag;
    LARGE_INTEGER CriticalSectionTimeout;
    SIZE_T HeapSegmentReserve;
    SIZE_T HeapSegmentCommit;
    SIZE_T HeapDeCommitTotalFreeThreshold;
    SIZE_T HeapDeCommitFreeBlockThreshold;
    ULONG NumberOfHeaps;
    ULONG MaximumNumberOfHeaps;
    PVOID *ProcessHeaps;
    PVOID GdiSharedHandleTable;
    PVOID ProcessStarterHelper;
    ULONG GdiDCAttributeList;
    UCHAR Padding3[4];
    PVOID LoaderLock; /* RTL_CRITICAL_SECTION * */
    ULONG OSMajorVersion;
    ULONG OSMinorVersion;
    USHORT OSBuildNumber;
    USHORT OSCSDVersion;
    ULONG OSPlatformId;
    ULONG ImageSubsystem;
    ULONG ImageSubsystemMajorVersion;
    ULONG ImageSubsystemMinorVersion;
    UCHAR Padding4[4];
    KAFFINITY ActiveProcessAffinityMask;
    ULONG GdiHandleBuffer[60];
    PVOID PostProcessInitRoutine;
    PRTL_BITMAP TlsExpansionBitmap; /* 1024 bits over TlsExpansionBitmapBits */
    ULONG TlsExpansionBitmapBits[32];
    ULONG SessionId;
    UCHAR Padding5[4];
    ULARGE_INTEGER AppCompatFlags;
    ULARGE_INTEGER AppCompatFlagsUser;
    PVOID pShimData;
    PVOID AppCompatInfo;
    UNICODE_STRING CSDVersion;
    PVOID ActivationContextData;
    PVOID ProcessAssemblyStorageMap;
    PVOID SystemDefaultActivationContextData;
    PVOID SystemAssemblyStorageMap;
    SIZE_T MinimumStackCommit;
    PVOID FlsCallback;
    LIST_ENTRY FlsListHead;
    PVOID FlsBitmap;
    ULONG FlsBitmapBits[4];
    ULONG FlsHighIndex;
    PVOID WerRegistrationData;
    PVOID WerShipAssertPtr;
    PVOID pContextData;
    PVOID pImageHeaderHash;
    ULONG TracingFlags;
    UCHAR Padding6[4];
    ULONGLONG CsrServerReadOnlySharedMemoryBase;
    ULONG TppWorkerpListLock;
    LIST_ENTRY TppWorkerpList;
    PVOID WaitOnAddressHashTable[128];
    PVOID TelemetryCoverageHeader;
    ULONG CloudFileFlags;
    ULONG CloudFileDiagFlags;
    CHAR PlaceholderCompatibilityMode;
    CHAR PlaceholderCompatibilityModeReserved[7];
    PVOID LeapSecondData;
    ULONG LeapSecondFlags;
    ULONG NtGlobalFlag2;
} PEB, *PPEB;

#define PEB_ASSERT(f, o) _Static_assert(offsetof(PEB, f) == (o), "PEB." #f)
PEB_ASSERT(BeingDebugged, 0x002);
PEB_ASSERT(BitField, 0x003);
PEB_ASSERT(Mutant, 0x008);
PEB_ASSERT(ImageBaseAddress, 0x010);
PEB_ASSERT(Ldr, 0x018);
PEB_ASSERT(ProcessParameters, 0x020);
PEB_ASSERT(SubSystemData, 0x028);
PEB_ASSERT(ProcessHeap, 0x030);
PEB_ASSERT(FastPebLock, 0x038);
PEB_ASSERT(AtlThunkSListPtr, 0x040);
PEB_ASSERT(IFEOKey, 0x048);
PEB_ASSERT(CrossProcessFlags, 0x050);
PEB_ASSERT(KernelCallbackTable, 0x058);
PEB_ASSERT(SystemReserved, 0x060);
PEB_ASSERT(AtlThunkSListPtr32, 0x064);
PEB_ASSERT(ApiSetMap, 0x068);
PEB_ASSERT(TlsExpansionCounter, 0x070);
PEB_ASSERT(TlsBitmap, 0x078);
PEB_ASSERT(TlsBitmapBits, 0x080);
PEB_ASSERT(ReadOnlySharedMemoryBase, 0x088);
PEB_ASSERT(SharedData, 0x090);
PEB_ASSERT(ReadOnlyStaticServerData, 0x098);
PEB_ASSERT(AnsiCodePageData, 0x0a0);
PEB_ASSERT(OemCodePageData, 0x0a8);
PEB_ASSERT(UnicodeCaseTableData, 0x0b0);
PEB_ASSERT(NumberOfProcessors, 0x0b8);
PEB_ASSERT(NtGlobalFlag, 0x0bc);
PEB_ASSERT(CriticalSectionTimeout, 0x0c0);
PEB_ASSERT(HeapSegmentReserve, 0x0c8);
PEB_ASSERT(HeapSegmentCommit, 0x0d0);
PEB_ASSERT(HeapDeCommitTotalFreeThreshold, 0x0d8);
PEB_ASSERT(HeapDeCommitFreeBlockThreshold, 0x0e0);
PEB_ASSERT(NumberOfHeaps, 0x0e8);
PEB_ASSERT(MaximumNumberOfHeaps, 0x0ec);
PEB_ASSERT(ProcessHeaps, 0x0f0);
PEB_ASSERT(GdiSharedHandleTable, 0x0f8);
PEB_ASSERT(ProcessStarterHelper, 0x100);
PEB_ASSERT(GdiDCAttributeList, 0x108);
PEB_ASSERT(LoaderLock, 0x110);
PEB_ASSERT(OSMajorVersion, 0x118);
PEB_ASSERT(OSMinorVersion, 0x11c);
PEB_ASSERT(OSBuildNumber, 0x120);
PEB_ASSERT(OSCSDVersion, 0x122);
PEB_ASSERT(OSPlatformId, 0x124);
PEB_ASSERT(ImageSubsystem, 0x128);
PEB_ASSERT(ImageSubsystemMajorVersion, 0x12c);
PEB_ASSERT(ImageSubsystemMinorVersion, 0x130);
PEB_ASSERT(ActiveProcessAffinityMask, 0x138);
PEB_ASSERT(GdiHandleBuffer, 0x140);
PEB_ASSERT(PostProcessInitRoutine, 0x230);
PEB_ASSERT(TlsExpansionBitmap, 0x238);
PEB_ASSERT(TlsExpansionBitmapBits, 0x240);
PEB_ASSERT(SessionId, 0x2c0);
PEB_ASSERT(AppCompatFlags, 0x2c8);
PEB_ASSERT(AppCompatFlagsUser, 0x2d0);
PEB_ASSERT(pShimData, 0x2d8);
PEB_ASSERT(AppCompatInfo, 0x2e0);
PEB_ASSERT(CSDVersion, 0x2e8);
PEB_ASSERT(ActivationContextData, 0x2f8);
PEB_ASSERT(ProcessAssemblyStorageMap, 0x300);
PEB_ASSERT(SystemDefaultActivationContextData, 0x308);
PEB_ASSERT(SystemAssemblyStorageMap, 0x310);
PEB_ASSERT(MinimumStackCommit, 0x318);
PEB_ASSERT(FlsCallback, 0x320);
PEB_ASSERT(FlsListHead, 0x328);
PEB_ASSERT(FlsBitmap, 0x338);
PEB_ASSERT(FlsBitmapBits, 0x340);
PEB_ASSERT(FlsHighIndex, 0x350);
PEB_ASSERT(WerRegistrationData, 0x358);
PEB_ASSERT(WerShipAssertPtr, 0x360);
PEB_ASSERT(TracingFlags, 0x378);
PEB_ASSERT(CsrServerReadOnlySharedMemoryBase, 0x380);
PEB_ASSERT(TppWorkerpListLock, 0x388);
PEB_ASSERT(TppWorkerpList, 0x390);
PEB_ASSERT(WaitOnAddressHashTable, 0x3a0);
PEB_ASSERT(TelemetryCoverageHeader, 0x7a0);
PEB_ASSERT(CloudFileFlags, 0x7a8);
PEB_ASSERT(CloudFileDiagFlags, 0x7ac);
PEB_ASSERT(PlaceholderCompatibilityMode, 0x7b0);
PEB_ASSERT(LeapSecondData, 0x7b8);
PEB_ASSERT(LeapSecondFlags, 0x7c0);
PEB_ASSERT(NtGlobalFlag2, 0x7c4);
_Static_assert(sizeof(PEB) == 0x7c8, "PEB size");
#undef PEB_ASSERT
