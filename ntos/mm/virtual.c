/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual memory services: NtAllocateVirtualMemory,
 * NtFreeVirtualMemory, NtProtectVirtualMemory, NtQueryVirtualMemory,
 * NtReadVirtualMemory, NtWriteVirtualMemory and NtFlushInstructionCache
 * on a process named by handle (NtCurrentProcess() included). This file owns
 * Windows' argument rules (which flag combinations, which
 * STATUS_INVALID_PARAMETER_n, the 64 KiB granularity of reservations, page
 * rounding of everything else, ZeroBits) and the rounded base and size
 * reported back; the address-space work is mm's (space.c, protect.c).
 */
#include "mi.h"

#include <ob.h>
#include <svc.h>

#include "ntsvc.h"

#define MEM_VALID_ALLOCATE                                                                         \
    (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_TOP_DOWN | MEM_WRITE_WATCH | MEM_PHYSICAL |        \
     MEM_RESET_UNDO | MEM_LARGE_PAGES)

#define PROCESS_VM_OPERATION      0x0008u
#define PROCESS_VM_READ           0x0010u
#define PROCESS_VM_WRITE          0x0020u
#define PROCESS_QUERY_INFORMATION 0x0400u

#define MI_GRANULARITY         0x10000ull
#define MI_HIGHEST_VAD         (MM_USER_TOP - PAGE_SIZE) /* the top page is never reserved */
#define MI_MAX_ZERO_BITS       21                        /* 22..31 are invalid, >= 32 a mask */
#define MemoryBasicInformation 0

/* MEMORY_BASIC_INFORMATION as x64 Windows lays it out. */
typedef struct _MI_MEMORY_BASIC_INFORMATION {
    ULONG_PTR BaseAddress;
    ULONG_PTR AllocationBase;
    ULONG AllocationProtect;
    USHORT PartitionId;
    USHORT Reserved;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
    ULONG Padding;
} MI_MEMORY_BASIC_INFORMATION;
_Static_assert(sizeof(MI_MEMORY_BASIC_INFORMATION) == 0x30, "MEMORY_BASIC_INFORMATION");

/*
 * Windows' protection rule: exactly one base protection, and at most one
 * of PAGE_GUARD / PAGE_NOCACHE / PAGE_WRITECOMBINE, none of them with
 * PAGE_NOACCESS. Private memory cannot be copy-on-write.
 */
static bool MiValidUserProtection(ULONG Protect, bool Private)
{
    ULONG Base = Protect & 0xff, Modifiers = Protect & ~0xffu;

    if (!MiValidProtection(Protect))
        return false;
    if ((Modifiers & (Modifiers - 1)) != 0 || (Modifiers != 0 && Base == PAGE_NOACCESS))
        return false;
    return !(Private && (Base & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY)));
}

/* The process behind Handle with Access, and its address space. */
static NTSTATUS MiReferenceProcess(HANDLE Handle, ACCESS_MASK Access, PEPROCESS *Process)
{
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, PsProcessType, Access, (PVOID *)Process);

    if (!NT_SUCCESS(Status))
        return Status;
    if ((*Process)->AddressSpace == NULL) {
        ObDereferenceObject(*Process);
        return STATUS_PROCESS_IS_TERMINATING;
    }
    return STATUS_SUCCESS;
}

/*
 * ZeroBits: 0 = anywhere; 1..21 = the address must fit in 32 - ZeroBits
 * bits (21 leaves nothing above the first 64 KiB: STATUS_NO_MEMORY);
 * 22..31 are invalid; from 32 on (64-bit Windows) it is a mask whose
 * leading zeros the address must keep.
 */
NTSTATUS MiZeroBitsLimit(ULONG_PTR ZeroBits, ULONG_PTR *Highest)
{
    if (ZeroBits == 0)
        *Highest = MI_HIGHEST_VAD;
    else if (ZeroBits <= MI_MAX_ZERO_BITS)
        *Highest = (1ull << (32 - ZeroBits)) - 1;
    else if (ZeroBits < 32)
        return STATUS_INVALID_PARAMETER_3;
    else
        *Highest = ~0ull >> __builtin_clzll(ZeroBits);
    return STATUS_SUCCESS;
}

static NTSTATUS MiCheckAllocationType(ULONG Type)
{
    if ((Type & ~MEM_VALID_ALLOCATE) || !(Type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET)))
        return STATUS_INVALID_PARAMETER_5;
    if ((Type & MEM_RESET) && Type != MEM_RESET)
        return STATUS_INVALID_PARAMETER_5; /* MEM_RESET goes alone */
    if ((Type & MEM_WRITE_WATCH) && !(Type & MEM_RESERVE))
        return STATUS_INVALID_PARAMETER_5;
    if ((Type & MEM_LARGE_PAGES) && !(Type & MEM_COMMIT))
        return STATUS_INVALID_PARAMETER_5;
    if ((Type & MEM_PHYSICAL) && Type != (MEM_PHYSICAL | MEM_RESERVE))
        return STATUS_INVALID_PARAMETER_5;
    /* FIXME: write watches, AWE regions, large pages and MEM_RESET_UNDO. */
    if (Type & (MEM_WRITE_WATCH | MEM_PHYSICAL | MEM_LARGE_PAGES | MEM_RESET_UNDO))
        return STATUS_NOT_IMPLEMENTED;
    return STATUS_SUCCESS;
}

/* A new reservation (committed too with MEM_COMMIT): 64 KiB aligned base. */
static NTSTATUS MiAllocateReserve(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T *Size,
                                  ULONG_PTR Highest, ULONG Type, ULONG Protect)
{
    ULONG_PTR Start, End;
    NTSTATUS Status;

    if (*Base == 0) {
        End = ROUND_TO_PAGES(*Size);
        Status = MiFindFreeRangeBelow(Space, End, Highest, (Type & MEM_TOP_DOWN) != 0, &Start);
        if (!NT_SUCCESS(Status))
            return Status;
        End += Start;
    } else {
        Start = *Base & ~(MI_GRANULARITY - 1);
        End = ROUND_TO_PAGES(*Base + *Size);
        if (Start < KI_USER_PROBE_LOW)
            return STATUS_INVALID_PARAMETER_2;
    }
    Status = MiInsertVad(Space, Start, End, Protect);
    if (!NT_SUCCESS(Status))
        return Status;
    MiFindVad(Space, Start)->Flags |= MI_VAD_ALLOCATED;
    if (Type & MEM_COMMIT) {
        Status = MmCommitRange(Space, Start, End - Start, Protect);
        if (!NT_SUCCESS(Status)) {
            MmReleaseRange(Space, Start);
            return Status;
        }
    }
    *Base = Start;
    *Size = End - Start;
    return STATUS_SUCCESS;
}

/* Whether every page of [Start, End) is committed. */
static bool MiRangeCommitted(MMADDRESS_SPACE *Space, ULONG_PTR Start, ULONG_PTR End)
{
    for (ULONG_PTR Va = Start; Va < End; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED))
            return false;
    }
    return true;
}

/* Commit pages of an existing reservation. Pages already committed take
 * the new protection, as on Windows. */
static NTSTATUS MiAllocateCommit(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T *Size,
                                 ULONG Protect)
{
    ULONG_PTR Start = PAGE_ALIGN_DOWN(*Base), End = ROUND_TO_PAGES(*Base + *Size);
    MMVAD *Vad = MiFindVad(Space, Start);
    ULONG Old;
    NTSTATUS Status;

    if (Vad == NULL || End > Vad->End || (Vad->Flags & MI_VAD_SYSTEM))
        return STATUS_CONFLICTING_ADDRESSES;
    if (Vad->Section != NULL && MiRangeCommitted(Space, Start, End))
        return STATUS_ALREADY_COMMITTED; /* a view of a committed section */
    Status = MmCommitRange(Space, Start, End - Start, Protect);
    if (NT_SUCCESS(Status))
        Status = MmProtectRange(Space, Start, End - Start, Protect, &Old);
    if (!NT_SUCCESS(Status))
        return Status;
    *Base = Start;
    *Size = End - Start;
    return STATUS_SUCCESS;
}

/* MEM_RESET: the contents of committed pages are no longer needed. They
 * are dropped (the next touch finds zeroes, which Windows allows); the
 * pages stay committed with their protection. */
static NTSTATUS MiAllocateReset(MMADDRESS_SPACE *Space, ULONG_PTR *Base, SIZE_T *Size)
{
    ULONG_PTR Start = PAGE_ALIGN_DOWN(*Base), End = ROUND_TO_PAGES(*Base + *Size);
    MMVAD *Vad = MiFindVad(Space, Start);

    if (Vad == NULL || End > Vad->End || (Vad->Flags & MI_VAD_SYSTEM))
        return STATUS_CONFLICTING_ADDRESSES;
    /* A view's pages belong to its section: they keep their contents. */
    for (ULONG_PTR Va = Start; Va < End && Vad->Section == NULL; Va += PAGE_SIZE) {
        MMPTE *Pte = MiGetPte(Space, Va, false);
        if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED) || Pte->Pfn == NULL)
            continue;
        MMPTE Kept = *Pte;
        MiClearPte(Space, Pte);
        Pte->Flags = Kept.Flags;
        Pte->Protect = Kept.Protect;
        MiChargeCommit(Space, 1); /* still committed */
    }
    *Base = Start;
    *Size = End - Start;
    return STATUS_SUCCESS;
}

NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS *BaseAddress,
                                 ULONG_PTR ZeroBits, SIZE_T *RegionSize, ULONG AllocationType,
                                 ULONG Protect)
{
    ULONG_PTR Base = BaseAddress->Value, Highest;
    SIZE_T Size = *RegionSize;
    PEPROCESS Process;
    NTSTATUS Status;

    Status = MiZeroBitsLimit(ZeroBits, &Highest);
    if (NT_SUCCESS(Status))
        Status = MiCheckAllocationType(AllocationType);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!MiValidUserProtection(Protect, AllocationType != MEM_RESET))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (Base > MI_HIGHEST_VAD)
        return STATUS_INVALID_PARAMETER_2;
    if (Size == 0 || MI_HIGHEST_VAD + 1 - Base < Size)
        return STATUS_INVALID_PARAMETER_4;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    if (AllocationType == MEM_RESET)
        Status = MiAllocateReset(Process->AddressSpace, &Base, &Size);
    else if ((AllocationType & MEM_RESERVE) || Base == 0)
        Status = MiAllocateReserve(Process->AddressSpace, &Base, &Size, Highest, AllocationType,
                                   Protect);
    else
        Status = MiAllocateCommit(Process->AddressSpace, &Base, &Size, Protect);
    ObDereferenceObject(Process);
    if (NT_SUCCESS(Status)) {
        BaseAddress->Value = Base;
        *RegionSize = Size;
    }
    return Status;
}

/* Release [Start, End) of Vad: the whole reservation, or a part of it (the
 * VAD shrinks, or splits when the part is in the middle). */
static NTSTATUS MiReleasePart(MMADDRESS_SPACE *Space, MMVAD *Vad, ULONG_PTR Start, ULONG_PTR End)
{
    NTSTATUS Status;

    if (Start == Vad->Start && End == Vad->End)
        return MmReleaseRange(Space, Start);
    if (Start > Vad->Start && End < Vad->End) {
        Status = MiSplitVad(Vad, End);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = MmDecommitRange(Space, Start, End - Start); /* drops the pages */
    ASSERT(NT_SUCCESS(Status));                          /* the range lies inside Vad */
    if (Start == Vad->Start)
        Vad->Start = End;
    else
        Vad->End = Start;
    MiChargeReserve(Space, -(LONG_PTR)(End - Start));
    return STATUS_SUCCESS;
}

/*
 * The range a free acts on. Size 0 means "the whole reservation from
 * here", which needs the base to be the reservation's first page
 * (STATUS_FREE_VM_NOT_AT_BASE); a range leaving the reservation is
 * STATUS_UNABLE_TO_FREE_VM.
 */
static NTSTATUS MiFreeRange(MMADDRESS_SPACE *Space, ULONG_PTR Base, SIZE_T Size, MMVAD **Vad,
                            ULONG_PTR *Start, ULONG_PTR *End)
{
    *Start = PAGE_ALIGN_DOWN(Base);
    *Vad = MiFindVad(Space, *Start);
    if (*Vad == NULL)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (Size == 0) {
        if (*Start != (*Vad)->Start)
            return STATUS_FREE_VM_NOT_AT_BASE;
        *End = (*Vad)->End;
    } else {
        *End = ROUND_TO_PAGES(Base + Size);
    }
    return *End > (*Vad)->End ? STATUS_UNABLE_TO_FREE_VM : STATUS_SUCCESS;
}

NTSTATUS NtFreeVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS *BaseAddress, SIZE_T *RegionSize,
                             ULONG FreeType)
{
    ULONG_PTR Base = BaseAddress->Value, Start, End;
    SIZE_T Size = *RegionSize;
    PEPROCESS Process;
    MMVAD *Vad;
    NTSTATUS Status;

    if (FreeType != MEM_DECOMMIT && FreeType != MEM_RELEASE)
        return STATUS_INVALID_PARAMETER_4;
    if (Base > MI_HIGHEST_VAD)
        return STATUS_INVALID_PARAMETER_2;
    if (MI_HIGHEST_VAD + 1 - Base < Size)
        return STATUS_INVALID_PARAMETER_3;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiFreeRange(Process->AddressSpace, Base, Size, &Vad, &Start, &End);
    /* sections: a view goes with NtUnmapViewOfSection only. */
    if (NT_SUCCESS(Status) && Vad->Section != NULL)
        Status = STATUS_UNABLE_TO_DELETE_SECTION;
    else if (NT_SUCCESS(Status) && (Vad->Flags & MI_VAD_SYSTEM))
        Status = STATUS_UNABLE_TO_FREE_VM; /* neither branch: ntos's mapping */
    if (NT_SUCCESS(Status) && FreeType == MEM_RELEASE)
        Status = MiReleasePart(Process->AddressSpace, Vad, Start, End);
    else if (NT_SUCCESS(Status))
        Status = MmDecommitRange(Process->AddressSpace, Start, End - Start);
    ObDereferenceObject(Process);
    if (NT_SUCCESS(Status)) {
        BaseAddress->Value = Start;
        /* A whole-reservation decommit reports size 0 (Windows 10 1803 on). */
        *RegionSize = FreeType == MEM_DECOMMIT && Size == 0 ? 0 : End - Start;
    }
    return Status;
}

NTSTATUS NtProtectVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS *BaseAddress, SIZE_T *RegionSize,
                                ULONG NewProtect, ULONG *OldProtect)
{
    ULONG_PTR Base = BaseAddress->Value, Start, End;
    SIZE_T Size = *RegionSize;
    PEPROCESS Process;
    MMVAD *Vad;
    NTSTATUS Status;

    if (!MiValidUserProtection(NewProtect, false))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (Base > MM_USER_TOP)
        return STATUS_INVALID_PARAMETER_2;
    if (MM_USER_TOP - Base < Size)
        return STATUS_INVALID_PARAMETER_3;
    Start = PAGE_ALIGN_DOWN(Base);
    End = ROUND_TO_PAGES(Base + (Size ? Size : 1)); /* size 0: the page of Base */
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_OPERATION, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Vad = MiFindVad(Process->AddressSpace, Start);
    if (Vad && (Vad->Flags & MI_VAD_SYSTEM))
        Status = STATUS_CONFLICTING_ADDRESSES; /* neither branch: ntos's mapping */
    else if (Vad && (Vad->Flags & MI_VAD_ALLOCATED) && !MiValidUserProtection(NewProtect, true))
        Status = STATUS_INVALID_PAGE_PROTECTION;
    else
        Status = MmProtectRange(Process->AddressSpace, Start, End - Start, NewProtect, OldProtect);
    ObDereferenceObject(Process);
    if (NT_SUCCESS(Status)) {
        BaseAddress->Value = Start;
        *RegionSize = End - Start;
    }
    return Status;
}

static NTSTATUS MiQueryBasic(PEPROCESS Process, ULONG_PTR Va, USER_BUFFER Buffer)
{
    MI_MEMORY_BASIC_INFORMATION Info = {0};
    MM_REGION_INFO Region;
    bool Image;
    NTSTATUS Status = MmQueryRange(Process->AddressSpace, Va, &Region);

    if (!NT_SUCCESS(Status))
        return Status;
    Info.BaseAddress = Region.BaseAddress;
    Info.AllocationBase = Region.AllocationBase;
    Info.AllocationProtect = Region.AllocationProtect;
    Info.RegionSize = Region.RegionSize;
    Info.State = Region.State;
    Info.Protect = Region.Protect;
    /* sections: views are MEM_IMAGE or MEM_MAPPED. */
    if (Region.State == MM_STATE_FREE)
        Info.Type = 0;
    else if (MmQueryView(Process->AddressSpace, Va, &Image))
        Info.Type = Image ? MEM_IMAGE : MEM_MAPPED;
    else
        Info.Type = MEM_PRIVATE;
    return MmCopyToUser(KeGetCurrentThread()->Process, Buffer.Address, &Info, sizeof(Info));
}

NTSTATUS NtQueryVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS BaseAddress,
                              ULONG MemoryInformationClass, USER_BUFFER MemoryInformation,
                              SIZE_T MemoryInformationLength, SIZE_T *ReturnLength)
{
    PEPROCESS Process;
    NTSTATUS Status;

    if (BaseAddress.Value > MM_USER_TOP)
        return STATUS_INVALID_PARAMETER;
    /* FIXME: the other classes (working set, mapped file names, regions). */
    if (MemoryInformationClass != MemoryBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (MemoryInformationLength < sizeof(MI_MEMORY_BASIC_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_QUERY_INFORMATION, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MiQueryBasic(Process, BaseAddress.Value, MemoryInformation);
    ObDereferenceObject(Process);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        *ReturnLength = sizeof(MI_MEMORY_BASIC_INFORMATION);
    return Status;
}

/*
 * NtReadVirtualMemory / NtWriteVirtualMemory: both ranges must end inside
 * user space (STATUS_ACCESS_VIOLATION); nothing to copy succeeds without
 * looking at the handle, as on Windows.
 */
static NTSTATUS MiTransfer(HANDLE ProcessHandle, ULONG_PTR Va, USER_BUFFER Buffer, SIZE_T Length,
                           bool Write, SIZE_T *Done)
{
    PEPROCESS Target, Caller = KeGetCurrentThread()->Process;
    NTSTATUS Status;

    *Done = 0;
    if (Va + Length < Va || Va + Length > MM_USER_TOP + 1)
        return STATUS_ACCESS_VIOLATION;
    if (Length == 0)
        return STATUS_SUCCESS;
    Status = MiReferenceProcess(ProcessHandle, Write ? PROCESS_VM_WRITE : PROCESS_VM_READ, &Target);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Write)
        Status = MiCopyProcessMemory(Caller, Buffer.Address, Target, Va, Length, Done);
    else
        Status = MiCopyProcessMemory(Target, Va, Caller, Buffer.Address, Length, Done);
    ObDereferenceObject(Target);
    return Status;
}

NTSTATUS NtReadVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS BaseAddress, USER_BUFFER Buffer,
                             SIZE_T NumberOfBytesToRead, SIZE_T *NumberOfBytesRead)
{
    SIZE_T Done;
    NTSTATUS Status =
        MiTransfer(ProcessHandle, BaseAddress.Value, Buffer, NumberOfBytesToRead, false, &Done);

    if (NumberOfBytesRead != NULL)
        *NumberOfBytesRead = Done;
    return Status;
}

NTSTATUS NtWriteVirtualMemory(HANDLE ProcessHandle, USER_ADDRESS BaseAddress, USER_BUFFER Buffer,
                              SIZE_T NumberOfBytesToWrite, SIZE_T *NumberOfBytesWritten)
{
    SIZE_T Done;
    NTSTATUS Status =
        MiTransfer(ProcessHandle, BaseAddress.Value, Buffer, NumberOfBytesToWrite, true, &Done);

    if (NumberOfBytesWritten != NULL)
        *NumberOfBytesWritten = Done;
    return Status;
}

/*
 * x86 keeps instruction fetches coherent with stores (ntos's writes go
 * through the physmap, to the same physical page), so there is nothing to
 * flush: the service checks its arguments the way Windows does. A base
 * with length 0 is done before the handle is looked at.
 */
NTSTATUS NtFlushInstructionCache(HANDLE ProcessHandle, USER_ADDRESS BaseAddress, SIZE_T Length)
{
    PEPROCESS Process;
    NTSTATUS Status;

    if (BaseAddress.Value != 0 && Length == 0)
        return STATUS_SUCCESS;
    if (BaseAddress.Value > MM_USER_TOP)
        return STATUS_ACCESS_VIOLATION;
    Status = MiReferenceProcess(ProcessHandle, PROCESS_VM_WRITE, &Process);
    if (NT_SUCCESS(Status))
        ObDereferenceObject(Process);
    return Status;
}
