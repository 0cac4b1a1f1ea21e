/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PE32+ image structures (spec/nt-abi.md §4): the DOS and NT headers, the
 * section table, the import, export, base relocation, TLS, delay-import,
 * debug and load-configuration directories, and the x64 unwind data of the
 * exception directory (RUNTIME_FUNCTION, UNWIND_INFO). ntos's image-section
 * parser and ntdll's loader and unwinder read images through these; all
 * addresses inside are RVAs except in the TLS and load-config directories,
 * which hold virtual addresses (and therefore carry base relocations).
 */
#pragma once

#include <nt/types.h>

#define IMAGE_DOS_SIGNATURE 0x5A4D     /* "MZ" */
#define IMAGE_NT_SIGNATURE  0x00004550 /* "PE\0\0" */

typedef struct _IMAGE_DOS_HEADER {
    USHORT e_magic;
    USHORT e_cblp;
    USHORT e_cp;
    USHORT e_crlc;
    USHORT e_cparhdr;
    USHORT e_minalloc;
    USHORT e_maxalloc;
    USHORT e_ss;
    USHORT e_sp;
    USHORT e_csum;
    USHORT e_ip;
    USHORT e_cs;
    USHORT e_lfarlc;
    USHORT e_ovno;
    USHORT e_res[4];
    USHORT e_oemid;
    USHORT e_oeminfo;
    USHORT e_res2[10];
    LONG e_lfanew; /* file offset of IMAGE_NT_HEADERS64 */
} IMAGE_DOS_HEADER, *PIMAGE_DOS_HEADER;

_Static_assert(offsetof(IMAGE_DOS_HEADER, e_lfanew) == 0x3c, "IMAGE_DOS_HEADER.e_lfanew");
_Static_assert(sizeof(IMAGE_DOS_HEADER) == 0x40, "IMAGE_DOS_HEADER size");

#define IMAGE_FILE_MACHINE_AMD64 0x8664
#define IMAGE_FILE_MACHINE_I386  0x014c

#define IMAGE_FILE_RELOCS_STRIPPED     0x0001
#define IMAGE_FILE_EXECUTABLE_IMAGE    0x0002
#define IMAGE_FILE_LINE_NUMS_STRIPPED  0x0004
#define IMAGE_FILE_LARGE_ADDRESS_AWARE 0x0020
#define IMAGE_FILE_DEBUG_STRIPPED      0x0200
#define IMAGE_FILE_SYSTEM              0x1000
#define IMAGE_FILE_DLL                 0x2000

typedef struct _IMAGE_FILE_HEADER {
    USHORT Machine;
    USHORT NumberOfSections;
    ULONG TimeDateStamp;
    ULONG PointerToSymbolTable;
    ULONG NumberOfSymbols;
    USHORT SizeOfOptionalHeader;
    USHORT Characteristics;
} IMAGE_FILE_HEADER, *PIMAGE_FILE_HEADER;

_Static_assert(offsetof(IMAGE_FILE_HEADER, TimeDateStamp) == 4, "IFH.TimeDateStamp");
_Static_assert(offsetof(IMAGE_FILE_HEADER, SizeOfOptionalHeader) == 16, "IFH.SizeOfOptHdr");
_Static_assert(offsetof(IMAGE_FILE_HEADER, Characteristics) == 18, "IFH.Characteristics");
_Static_assert(sizeof(IMAGE_FILE_HEADER) == 0x14, "IMAGE_FILE_HEADER size");

typedef struct _IMAGE_DATA_DIRECTORY {
    ULONG VirtualAddress;
    ULONG Size;
} IMAGE_DATA_DIRECTORY, *PIMAGE_DATA_DIRECTORY;

_Static_assert(sizeof(IMAGE_DATA_DIRECTORY) == 8, "IMAGE_DATA_DIRECTORY");

#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES     16
#define IMAGE_DIRECTORY_ENTRY_EXPORT         0
#define IMAGE_DIRECTORY_ENTRY_IMPORT         1
#define IMAGE_DIRECTORY_ENTRY_RESOURCE       2
#define IMAGE_DIRECTORY_ENTRY_EXCEPTION      3
#define IMAGE_DIRECTORY_ENTRY_SECURITY       4 /* a file offset, never mapped */
#define IMAGE_DIRECTORY_ENTRY_BASERELOC      5
#define IMAGE_DIRECTORY_ENTRY_DEBUG          6
#define IMAGE_DIRECTORY_ENTRY_ARCHITECTURE   7
#define IMAGE_DIRECTORY_ENTRY_GLOBALPTR      8
#define IMAGE_DIRECTORY_ENTRY_TLS            9
#define IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG    10
#define IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT   11
#define IMAGE_DIRECTORY_ENTRY_IAT            12
#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT   13
#define IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR 14

#define IMAGE_NT_OPTIONAL_HDR64_MAGIC 0x20b

#define IMAGE_SUBSYSTEM_UNKNOWN     0
#define IMAGE_SUBSYSTEM_NATIVE      1
#define IMAGE_SUBSYSTEM_WINDOWS_GUI 2
#define IMAGE_SUBSYSTEM_WINDOWS_CUI 3

#define IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA 0x0020
#define IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE    0x0040
#define IMAGE_DLLCHARACTERISTICS_NX_COMPAT       0x0100

typedef struct _IMAGE_OPTIONAL_HEADER64 {
    USHORT Magic;
    UCHAR MajorLinkerVersion;
    UCHAR MinorLinkerVersion;
    ULONG SizeOfCode;
    ULONG SizeOfInitializedData;
    ULONG SizeOfUninitializedData;
    ULONG AddressOfEntryPoint;
    ULONG BaseOfCode;
    ULONGLONG ImageBase;
    ULONG SectionAlignment;
    ULONG FileAlignment;
    USHORT MajorOperatingSystemVersion;
    USHORT MinorOperatingSystemVersion;
    USHORT MajorImageVersion;
    USHORT MinorImageVersion;
    USHORT MajorSubsystemVersion;
    USHORT MinorSubsystemVersion;
    ULONG Win32VersionValue;
    ULONG SizeOfImage;
    ULONG SizeOfHeaders;
    ULONG CheckSum;
    USHORT Subsystem;
    USHORT DllCharacteristics;
    ULONGLONG SizeOfStackReserve;
    ULONGLONG SizeOfStackCommit;
    ULONGLONG SizeOfHeapReserve;
    ULONGLONG SizeOfHeapCommit;
    ULONG LoaderFlags;
    ULONG NumberOfRvaAndSizes;
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} IMAGE_OPTIONAL_HEADER64, *PIMAGE_OPTIONAL_HEADER64;

#define IOH_ASSERT(f, o) _Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, f) == (o), "IOH." #f)
IOH_ASSERT(SizeOfCode, 0x04);
IOH_ASSERT(AddressOfEntryPoint, 0x10);
IOH_ASSERT(BaseOfCode, 0x14);
IOH_ASSERT(ImageBase, 0x18);
IOH_ASSERT(SectionAlignment, 0x20);
IOH_ASSERT(FileAlignment, 0x24);
IOH_ASSERT(MajorOperatingSystemVersion, 0x28);
IOH_ASSERT(MajorSubsystemVersion, 0x30);
IOH_ASSERT(Win32VersionValue, 0x34);
IOH_ASSERT(SizeOfImage, 0x38);
IOH_ASSERT(SizeOfHeaders, 0x3c);
IOH_ASSERT(CheckSum, 0x40);
IOH_ASSERT(Subsystem, 0x44);
IOH_ASSERT(DllCharacteristics, 0x46);
IOH_ASSERT(SizeOfStackReserve, 0x48);
IOH_ASSERT(SizeOfStackCommit, 0x50);
IOH_ASSERT(SizeOfHeapReserve, 0x58);
IOH_ASSERT(SizeOfHeapCommit, 0x60);
IOH_ASSERT(LoaderFlags, 0x68);
IOH_ASSERT(NumberOfRvaAndSizes, 0x6c);
IOH_ASSERT(DataDirectory, 0x70);
_Static_assert(sizeof(IMAGE_OPTIONAL_HEADER64) == 0xf0, "IMAGE_OPTIONAL_HEADER64 size");
#undef IOH_ASSERT

typedef struct _IMAGE_NT_HEADERS64 {
    ULONG Signature;
    IMAGE_FILE_HEADER FileHeader;
    IMAGE_OPTIONAL_HEADER64 OptionalHeader;
} IMAGE_NT_HEADERS64, *PIMAGE_NT_HEADERS64;

_Static_assert(offsetof(IMAGE_NT_HEADERS64, FileHeader) == 4, "INH.FileHeader");
_Static_assert(offsetof(IMAGE_NT_HEADERS64, OptionalHeader) == 0x18, "INH.OptionalHeader");
_Static_assert(sizeof(IMAGE_NT_HEADERS64) == 0x108, "IMAGE_NT_HEADERS64 size");

/* The section table follows the optional header, whatever its declared size. */
#define IMAGE_FIRST_SECTION(nt)                                                                    \
    ((PIMAGE_SECTION_HEADER)((PUCHAR) &                                                            \
                             (nt)->OptionalHeader + (nt)->FileHeader.SizeOfOptionalHeader))

#define IMAGE_SIZEOF_SHORT_NAME 8

#define IMAGE_SCN_CNT_CODE               0x00000020
#define IMAGE_SCN_CNT_INITIALIZED_DATA   0x00000040
#define IMAGE_SCN_CNT_UNINITIALIZED_DATA 0x00000080
#define IMAGE_SCN_MEM_DISCARDABLE        0x02000000
#define IMAGE_SCN_MEM_NOT_CACHED         0x04000000
#define IMAGE_SCN_MEM_NOT_PAGED          0x08000000
#define IMAGE_SCN_MEM_SHARED             0x10000000
#define IMAGE_SCN_MEM_EXECUTE            0x20000000
#define IMAGE_SCN_MEM_READ               0x40000000
#define IMAGE_SCN_MEM_WRITE              0x80000000U

typedef struct _IMAGE_SECTION_HEADER {
    UCHAR Name[IMAGE_SIZEOF_SHORT_NAME];
    union {
        ULONG PhysicalAddress;
        ULONG VirtualSize;
    } Misc;
    ULONG VirtualAddress;
    ULONG SizeOfRawData;
    ULONG PointerToRawData;
    ULONG PointerToRelocations;
    ULONG PointerToLinenumbers;
    USHORT NumberOfRelocations;
    USHORT NumberOfLinenumbers;
    ULONG Characteristics;
} IMAGE_SECTION_HEADER, *PIMAGE_SECTION_HEADER;

_Static_assert(offsetof(IMAGE_SECTION_HEADER, VirtualAddress) == 0x0c, "ISH.VirtualAddress");
_Static_assert(offsetof(IMAGE_SECTION_HEADER, PointerToRawData) == 0x14, "ISH.PointerToRawData");
_Static_assert(offsetof(IMAGE_SECTION_HEADER, Characteristics) == 0x24, "ISH.Characteristics");
_Static_assert(sizeof(IMAGE_SECTION_HEADER) == 0x28, "IMAGE_SECTION_HEADER size");

/* ---- imports and exports -------------------------------------------------------- */

typedef struct _IMAGE_IMPORT_DESCRIPTOR {
    union {
        ULONG Characteristics;
        ULONG OriginalFirstThunk; /* RVA of the lookup table; 0: use FirstThunk */
    };
    ULONG TimeDateStamp; /* 0 not bound, -1 bound through directory 11 */
    ULONG ForwarderChain;
    ULONG Name;       /* RVA of the ASCII DLL name */
    ULONG FirstThunk; /* RVA of the IAT */
} IMAGE_IMPORT_DESCRIPTOR, *PIMAGE_IMPORT_DESCRIPTOR;

_Static_assert(offsetof(IMAGE_IMPORT_DESCRIPTOR, Name) == 0x0c, "IID.Name");
_Static_assert(offsetof(IMAGE_IMPORT_DESCRIPTOR, FirstThunk) == 0x10, "IID.FirstThunk");
_Static_assert(sizeof(IMAGE_IMPORT_DESCRIPTOR) == 0x14, "IMAGE_IMPORT_DESCRIPTOR size");

typedef struct _IMAGE_IMPORT_BY_NAME {
    USHORT Hint;
    CHAR Name[1];
} IMAGE_IMPORT_BY_NAME, *PIMAGE_IMPORT_BY_NAME;

_Static_assert(offsetof(IMAGE_IMPORT_BY_NAME, Name) == 2, "IMAGE_IMPORT_BY_NAME.Name");

#define IMAGE_ORDINAL_FLAG64 0x8000000000000000ULL
#define IMAGE_ORDINAL64(o)   ((o)&0xffff)

typedef struct _IMAGE_THUNK_DATA64 {
    union {
        ULONGLONG ForwarderString;
        ULONGLONG Function;
        ULONGLONG Ordinal;
        ULONGLONG AddressOfData; /* RVA of IMAGE_IMPORT_BY_NAME */
    } u1;
} IMAGE_THUNK_DATA64, *PIMAGE_THUNK_DATA64;

_Static_assert(sizeof(IMAGE_THUNK_DATA64) == 8, "IMAGE_THUNK_DATA64");

typedef struct _IMAGE_EXPORT_DIRECTORY {
    ULONG Characteristics;
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG Name;
    ULONG Base; /* first ordinal */
    ULONG NumberOfFunctions;
    ULONG NumberOfNames;
    ULONG AddressOfFunctions;    /* RVAs, indexed by ordinal - Base */
    ULONG AddressOfNames;        /* RVAs of names, sorted by byte value */
    ULONG AddressOfNameOrdinals; /* USHORT index into AddressOfFunctions */
} IMAGE_EXPORT_DIRECTORY, *PIMAGE_EXPORT_DIRECTORY;

_Static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, Name) == 0x0c, "IED.Name");
_Static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, Base) == 0x10, "IED.Base");
_Static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfFunctions) == 0x1c, "IED.AoF");
_Static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNameOrdinals) == 0x24, "IED.AoNO");
_Static_assert(sizeof(IMAGE_EXPORT_DIRECTORY) == 0x28, "IMAGE_EXPORT_DIRECTORY size");

typedef struct _IMAGE_DELAYLOAD_DESCRIPTOR {
    ULONG Attributes; /* 1: RVA based */
    ULONG DllNameRVA;
    ULONG ModuleHandleRVA;
    ULONG ImportAddressTableRVA;
    ULONG ImportNameTableRVA;
    ULONG BoundImportAddressTableRVA;
    ULONG UnloadInformationTableRVA;
    ULONG TimeDateStamp;
} IMAGE_DELAYLOAD_DESCRIPTOR, *PIMAGE_DELAYLOAD_DESCRIPTOR;

_Static_assert(sizeof(IMAGE_DELAYLOAD_DESCRIPTOR) == 0x20, "IMAGE_DELAYLOAD_DESCRIPTOR size");

/* ---- base relocations --------------------------------------------------------------- */

#define IMAGE_REL_BASED_ABSOLUTE 0
#define IMAGE_REL_BASED_HIGH     1
#define IMAGE_REL_BASED_LOW      2
#define IMAGE_REL_BASED_HIGHLOW  3
#define IMAGE_REL_BASED_DIR64    10

/* A block: this header, then USHORT entries (type << 12 | offset in page). */
typedef struct _IMAGE_BASE_RELOCATION {
    ULONG VirtualAddress;
    ULONG SizeOfBlock;
} IMAGE_BASE_RELOCATION, *PIMAGE_BASE_RELOCATION;

_Static_assert(sizeof(IMAGE_BASE_RELOCATION) == 8, "IMAGE_BASE_RELOCATION");

/* ---- TLS, debug, load configuration ----------------------------------------------------- */

typedef struct _IMAGE_TLS_DIRECTORY64 {
    ULONGLONG StartAddressOfRawData; /* VAs, not RVAs */
    ULONGLONG EndAddressOfRawData;
    ULONGLONG AddressOfIndex;
    ULONGLONG AddressOfCallBacks; /* NULL-terminated array of PIMAGE_TLS_CALLBACK */
    ULONG SizeOfZeroFill;
    ULONG Characteristics; /* alignment in bits 20-23 */
} IMAGE_TLS_DIRECTORY64, *PIMAGE_TLS_DIRECTORY64;

_Static_assert(offsetof(IMAGE_TLS_DIRECTORY64, AddressOfCallBacks) == 0x18, "ITD.Callbacks");
_Static_assert(offsetof(IMAGE_TLS_DIRECTORY64, SizeOfZeroFill) == 0x20, "ITD.SizeOfZeroFill");
_Static_assert(sizeof(IMAGE_TLS_DIRECTORY64) == 0x28, "IMAGE_TLS_DIRECTORY64 size");

typedef void IMAGE_TLS_CALLBACK(PVOID DllHandle, ULONG Reason, PVOID Reserved);
typedef IMAGE_TLS_CALLBACK *PIMAGE_TLS_CALLBACK;

typedef struct _IMAGE_DEBUG_DIRECTORY {
    ULONG Characteristics;
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG Type;
    ULONG SizeOfData;
    ULONG AddressOfRawData;
    ULONG PointerToRawData;
} IMAGE_DEBUG_DIRECTORY, *PIMAGE_DEBUG_DIRECTORY;

_Static_assert(sizeof(IMAGE_DEBUG_DIRECTORY) == 0x1c, "IMAGE_DEBUG_DIRECTORY size");

typedef struct _IMAGE_LOAD_CONFIG_CODE_INTEGRITY {
    USHORT Flags;
    USHORT Catalog;
    ULONG CatalogOffset;
    ULONG Reserved;
} IMAGE_LOAD_CONFIG_CODE_INTEGRITY;

/* Size tells how much of this an image actually has (mingw's winnt.h stops
 * at 0x70; Windows' current layout continues well past GuardLongJump*). */
typedef struct _IMAGE_LOAD_CONFIG_DIRECTORY64 {
    ULONG Size;
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG GlobalFlagsClear;
    ULONG GlobalFlagsSet;
    ULONG CriticalSectionDefaultTimeout;
    ULONGLONG DeCommitFreeBlockThreshold;
    ULONGLONG DeCommitTotalFreeThreshold;
    ULONGLONG LockPrefixTable;
    ULONGLONG MaximumAllocationSize;
    ULONGLONG VirtualMemoryThreshold;
    ULONGLONG ProcessAffinityMask;
    ULONG ProcessHeapFlags;
    USHORT CSDVersion;
    USHORT DependentLoadFlags;
    ULONGLONG EditList;
    ULONGLONG SecurityCookie; /* VA of the /GS cookie */
    ULONGLONG SEHandlerTable;
    ULONGLONG SEHandlerCount;
    ULONGLONG GuardCFCheckFunctionPointer;
    ULONGLONG GuardCFDispatchFunctionPointer;
    ULONGLONG GuardCFFunctionTable;
    ULONGLONG GuardCFFunctionCount;
    ULONG GuardFlags;
    IMAGE_LOAD_CONFIG_CODE_INTEGRITY CodeIntegrity;
    ULONGLONG GuardAddressTakenIatEntryTable;
    ULONGLONG GuardAddressTakenIatEntryCount;
    ULONGLONG GuardLongJumpTargetTable;
    ULONGLONG GuardLongJumpTargetCount;
} IMAGE_LOAD_CONFIG_DIRECTORY64, *PIMAGE_LOAD_CONFIG_DIRECTORY64;

#define ILC_ASSERT(f, o)                                                                           \
    _Static_assert(offsetof(IMAGE_LOAD_CONFIG_DIRECTORY64, f) == (o), "ILC." #f)
ILC_ASSERT(CriticalSectionDefaultTimeout, 0x14);
ILC_ASSERT(DeCommitFreeBlockThreshold, 0x18);
ILC_ASSERT(ProcessHeapFlags, 0x48);
ILC_ASSERT(EditList, 0x50);
ILC_ASSERT(SecurityCookie, 0x58);
ILC_ASSERT(SEHandlerTable, 0x60);
ILC_ASSERT(SEHandlerCount, 0x68);
ILC_ASSERT(GuardCFCheckFunctionPointer, 0x70);
ILC_ASSERT(GuardCFDispatchFunctionPointer, 0x78);
ILC_ASSERT(GuardCFFunctionTable, 0x80);
ILC_ASSERT(GuardCFFunctionCount, 0x88);
ILC_ASSERT(GuardFlags, 0x90);
ILC_ASSERT(CodeIntegrity, 0x94);
ILC_ASSERT(GuardAddressTakenIatEntryTable, 0xa0);
ILC_ASSERT(GuardLongJumpTargetCount, 0xb8);
_Static_assert(sizeof(IMAGE_LOAD_CONFIG_DIRECTORY64) == 0xc0, "ILC size");
#undef ILC_ASSERT

/* ---- x64 unwind data (exception directory) ------------------------------------------------ */

typedef struct _RUNTIME_FUNCTION {
    ULONG BeginAddress;
    ULONG EndAddress;
    ULONG UnwindData; /* RVA of UNWIND_INFO */
} RUNTIME_FUNCTION, *PRUNTIME_FUNCTION, IMAGE_RUNTIME_FUNCTION_ENTRY;

_Static_assert(sizeof(RUNTIME_FUNCTION) == 12, "RUNTIME_FUNCTION");

#define UNW_FLAG_NHANDLER  0x0
#define UNW_FLAG_EHANDLER  0x1
#define UNW_FLAG_UHANDLER  0x2
#define UNW_FLAG_CHAININFO 0x4

#define UWOP_PUSH_NONVOL     0
#define UWOP_ALLOC_LARGE     1
#define UWOP_ALLOC_SMALL     2
#define UWOP_SET_FPREG       3
#define UWOP_SAVE_NONVOL     4
#define UWOP_SAVE_NONVOL_FAR 5
#define UWOP_EPILOG          6
#define UWOP_SPARE_CODE      7
#define UWOP_SAVE_XMM128     8
#define UWOP_SAVE_XMM128_FAR 9
#define UWOP_PUSH_MACHFRAME  10

typedef union _UNWIND_CODE {
    struct {
        UCHAR CodeOffset;
        UCHAR UnwindOp : 4;
        UCHAR OpInfo : 4;
    };
    USHORT FrameOffset;
} UNWIND_CODE, *PUNWIND_CODE;

_Static_assert(sizeof(UNWIND_CODE) == 2, "UNWIND_CODE");

/* CountOfCodes slots (padded to even) follow; then a handler RVA and its
 * data, or a chained RUNTIME_FUNCTION, as Flags say. */
typedef struct _UNWIND_INFO {
    UCHAR Version : 3;
    UCHAR Flags : 5;
    UCHAR SizeOfProlog;
    UCHAR CountOfCodes;
    UCHAR FrameRegister : 4;
    UCHAR FrameOffset : 4;
    UNWIND_CODE UnwindCode[1];
} UNWIND_INFO, *PUNWIND_INFO;

_Static_assert(offsetof(UNWIND_INFO, UnwindCode) == 4, "UNWIND_INFO.UnwindCode");
_Static_assert(sizeof(UNWIND_INFO) == 6, "UNWIND_INFO size");

/* SECTION_IMAGE_INFORMATION, Windows x64: what NtQuerySection (class 1),
 * PS_ATTRIBUTE_IMAGE_INFO and RTL_USER_PROCESS_INFORMATION report of an
 * image. */
typedef struct _SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;
    SIZE_T CommittedStackSize;
    ULONG SubSystemType;
    union {
        struct {
            USHORT SubSystemMinorVersion;
            USHORT SubSystemMajorVersion;
        };
        ULONG SubSystemVersion;
    };
    union {
        struct {
            USHORT MajorOperatingSystemVersion;
            USHORT MinorOperatingSystemVersion;
        };
        ULONG OperatingSystemVersion;
    };
    USHORT ImageCharacteristics;
    USHORT DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags;
    ULONG ImageFileSize;
    ULONG CheckSum;
} SECTION_IMAGE_INFORMATION, *PSECTION_IMAGE_INFORMATION;
_Static_assert(sizeof(SECTION_IMAGE_INFORMATION) == 0x40, "SECTION_IMAGE_INFORMATION");
_Static_assert(offsetof(SECTION_IMAGE_INFORMATION, Machine) == 0x30, "SII.Machine");
