/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory for driver processes (docs/io.md): device memory mapped into a
 * driver (NtDriverMapIoSpace / NtDriverUnmapIoSpace), physically
 * contiguous RAM (NtDriverAllocateContiguousMemory / Free), the physical
 * address behind a driver's page (NtDriverQueryPhysicalAddress) and what
 * the boot loader left for the display (NtDriverQueryDisplay).
 *
 * Device memory is what seL4 hands over as device untypeds (the bootinfo's
 * untypeds with isDevice set: every physical range that is not RAM). A
 * frame at a given address is carved out of them the only way seL4
 * allows, by retyping in address order: each untyped has a watermark, the
 * gap below the wanted page is filled with untyped children of aligned
 * power-of-two sizes (HALP_UNTYPED nodes, carved the same way when a later
 * request falls inside one), then the frame is retyped at the watermark.
 * Device frames are made once and kept for good, each with an MMPFN
 * (MmRegisterDevicePage) whose reference hal holds, so mm maps them into
 * processes and copies through them like RAM; a mapping is a reservation
 * in the driver with those pages mapped, released by unmapping or with
 * the driver's address space.
 *
 * CacheType becomes the mapping's memory type (MmNonCached: PCD,
 * MmWriteCombined: the PAT bit, through PAGE_NOCACHE / PAGE_WRITECOMBINE).
 * FIXME: ntos's own physmap alias of a device frame stays write-back;
 * ranges above 64 GiB (the PFN database's reach) are refused.
 */
#include "halp.h"

#include <ex.h>
#include <string.h>

#include "ntsvc.h"

#define HALP_MAX_MAP_PAGES 16384 /* 64 MiB */
#define HALP_CACHE_TYPES   3     /* MmNonCached, MmCached, MmWriteCombined */
#define HALP_VGA_TEXT      0xb8000ull
#define HALP_VBE_LINEAR    0x4000 /* vbeMode bit: the linear framebuffer is in use */
#define HALP_MB_EGA_TEXT   2      /* multiboot 2 framebuffer type */

typedef struct _HALP_UNTYPED {
    seL4_CPtr Cap;
    seL4_Word Paddr, Watermark;
    UCHAR SizeBits;
    struct _HALP_UNTYPED *Children, *Sibling;
} HALP_UNTYPED;

typedef struct _HALP_FRAME {
    seL4_Word Paddr;
    PMMPFN Pfn;
    struct _HALP_FRAME *Next;
} HALP_FRAME;

/* A range given to a driver: its reservation's base and size. */
typedef struct _HALP_MAPPING {
    PEPROCESS Process;
    ULONG_PTR Base;
    SIZE_T Size;
    bool Contiguous;
    struct _HALP_MAPPING *Next;
} HALP_MAPPING;

/* MEMORY_CACHING_TYPE (MmNonCached, MmCached, MmWriteCombined) as the
 * protection modifier mm maps with (mm/pte.c). */
static const ULONG HalpCacheProtection[HALP_CACHE_TYPES] = {PAGE_NOCACHE, 0, PAGE_WRITECOMBINE};

static HALP_UNTYPED *HalpDeviceRoots; /* made from the bootinfo at first use */
static HALP_FRAME *HalpFrames;
static HALP_MAPPING *HalpMappings;

/* ---- device frames ------------------------------------------------------------------- */

static HALP_UNTYPED *HalpNewNode(seL4_CPtr Cap, seL4_Word Paddr, UCHAR SizeBits)
{
    HALP_UNTYPED *Node = ExAllocatePoolWithTag(sizeof(*Node), HALP_TAG);

    if (Node != NULL)
        *Node =
            (HALP_UNTYPED){.Cap = Cap, .Paddr = Paddr, .Watermark = Paddr, .SizeBits = SizeBits};
    return Node;
}

static NTSTATUS HalpLoadDeviceUntypeds(void)
{
    const seL4_BootInfo *BootInfo = KeQueryBootInfo();
    seL4_Word Count;

    if (HalpDeviceRoots != NULL)
        return STATUS_SUCCESS;
    Count = BootInfo->untyped.end - BootInfo->untyped.start;
    for (seL4_Word i = 0; i < Count; i++) {
        const seL4_UntypedDesc *Desc = &BootInfo->untypedList[i];
        if (!Desc->isDevice || Desc->sizeBits < PAGE_SHIFT)
            continue;
        HALP_UNTYPED *Node = HalpNewNode(BootInfo->untyped.start + i, Desc->paddr, Desc->sizeBits);
        if (Node == NULL)
            return STATUS_INSUFFICIENT_RESOURCES; /* FIXME: the list stays partial */
        Node->Sibling = HalpDeviceRoots;
        HalpDeviceRoots = Node;
    }
    return STATUS_SUCCESS;
}

static bool HalpNodeHolds(const HALP_UNTYPED *Node, seL4_Word Paddr)
{
    return Paddr >= Node->Paddr && Paddr - Node->Paddr < (1ull << Node->SizeBits);
}

static HALP_UNTYPED *HalpFindNode(HALP_UNTYPED *List, seL4_Word Paddr)
{
    for (HALP_UNTYPED *Node = List; Node; Node = Node->Sibling)
        if (HalpNodeHolds(Node, Paddr))
            return Node;
    return NULL;
}

/* Untyped children of Node from its watermark up to Paddr: the largest
 * aligned block each time, so seL4 places each at the watermark. */
static NTSTATUS HalpFillTo(HALP_UNTYPED *Node, seL4_Word Paddr)
{
    while (Node->Watermark < Paddr) {
        UCHAR Bits = PAGE_SHIFT;
        while (Bits + 1 < Node->SizeBits && (Node->Watermark & ((2ull << Bits) - 1)) == 0 &&
               Node->Watermark + (2ull << Bits) <= Paddr)
            Bits++;
        seL4_CPtr Cap;
        NTSTATUS Status = MmRetypeUntyped(Node->Cap, seL4_UntypedObject, Bits, &Cap);
        if (!NT_SUCCESS(Status))
            return Status;
        HALP_UNTYPED *Child = HalpNewNode(Cap, Node->Watermark, Bits);
        if (Child == NULL)
            return STATUS_INSUFFICIENT_RESOURCES; /* FIXME: the block is lost */
        Child->Sibling = Node->Children;
        Node->Children = Child;
        Node->Watermark += 1ull << Bits;
    }
    return STATUS_SUCCESS;
}

/* Retype the frame at Paddr out of the device untyped tree. */
static NTSTATUS HalpCarveFrame(seL4_Word Paddr, seL4_CPtr *Frame)
{
    HALP_UNTYPED *Node = HalpFindNode(HalpDeviceRoots, Paddr);
    NTSTATUS Status;

    if (Node == NULL)
        return STATUS_CONFLICTING_ADDRESSES; /* RAM, the kernel's, or nothing */
    while (Paddr < Node->Watermark) {
        Node = HalpFindNode(Node->Children, Paddr);
        if (Node == NULL)
            return STATUS_INSUFFICIENT_RESOURCES; /* a frame made already: not here */
    }
    Status = HalpFillTo(Node, Paddr);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmRetypeUntyped(Node->Cap, seL4_X86_4K, 0, Frame);
    if (!NT_SUCCESS(Status))
        return Status;
    Node->Watermark += PAGE_SIZE;
    seL4_X86_Page_GetAddress_t Address = seL4_X86_Page_GetAddress(*Frame);
    ASSERT(Address.error == seL4_NoError && Address.paddr == Paddr); /* the watermark model */
    return STATUS_SUCCESS;
}

/* The MMPFN of the device frame at Paddr, made at its first use. */
static NTSTATUS HalpDeviceFrame(seL4_Word Paddr, PMMPFN *Pfn)
{
    HALP_FRAME *Record;
    seL4_CPtr Frame;
    NTSTATUS Status;

    for (Record = HalpFrames; Record; Record = Record->Next)
        if (Record->Paddr == Paddr) {
            *Pfn = Record->Pfn;
            return STATUS_SUCCESS;
        }
    Record = ExAllocatePoolWithTag(sizeof(*Record), HALP_TAG);
    if (Record == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = HalpLoadDeviceUntypeds();
    if (NT_SUCCESS(Status))
        Status = HalpCarveFrame(Paddr, &Frame);
    if (NT_SUCCESS(Status))
        Status = MmRegisterDevicePage(Frame, Paddr, Pfn); /* FIXME: Frame is lost on failure */
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Record, HALP_TAG);
        return Status;
    }
    *Record = (HALP_FRAME){.Paddr = Paddr, .Pfn = *Pfn, .Next = HalpFrames};
    HalpFrames = Record;
    return STATUS_SUCCESS;
}

/* ---- mappings in the driver ---------------------------------------------------------- */

static NTSTATUS HalpRecordMapping(PEPROCESS Process, ULONG_PTR Base, SIZE_T Size, bool Contiguous)
{
    HALP_MAPPING *Mapping = ExAllocatePoolWithTag(sizeof(*Mapping), HALP_TAG);

    if (Mapping == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Mapping = (HALP_MAPPING){Process, Base, Size, Contiguous, HalpMappings};
    HalpMappings = Mapping;
    return STATUS_SUCCESS;
}

static HALP_MAPPING **HalpFindMapping(PEPROCESS Process, ULONG_PTR Base, bool Contiguous)
{
    for (HALP_MAPPING **Link = &HalpMappings; *Link; Link = &(*Link)->Next)
        if ((*Link)->Process == Process && (*Link)->Base == Base &&
            (*Link)->Contiguous == Contiguous)
            return Link;
    return NULL;
}

static void HalpUnmap(HALP_MAPPING **Link, bool Release)
{
    HALP_MAPPING *Mapping = *Link;

    if (Release && Mapping->Process->AddressSpace)
        MmReleaseRange(Mapping->Process->AddressSpace, Mapping->Base);
    *Link = Mapping->Next;
    ExFreePoolWithTag(Mapping, HALP_TAG);
}

void HalpReleaseMemory(PEPROCESS Process)
{
    /* The address space goes right after: its pages go with it. */
    for (HALP_MAPPING **Link = &HalpMappings; *Link;) {
        if ((*Link)->Process == Process)
            HalpUnmap(Link, false);
        else
            Link = &(*Link)->Next;
    }
}

/* Reserve Pages pages in the driver and map Frames(i) at each with
 * Protect (PAGE_READWRITE, with PAGE_NOCACHE or PAGE_WRITECOMBINE). */
static NTSTATUS HalpMapPages(PEPROCESS Process, ULONG Pages, PMMPFN (*Frames)(void *, ULONG),
                             void *Context, ULONG Protect, ULONG_PTR *Base)
{
    MMADDRESS_SPACE *Space = Process->AddressSpace;
    NTSTATUS Status;

    *Base = 0;
    Status = MmReserveRange(Space, Base, (SIZE_T)Pages * PAGE_SIZE, PAGE_READWRITE, false);
    if (!NT_SUCCESS(Status))
        return Status;
    for (ULONG i = 0; i < Pages && NT_SUCCESS(Status); i++) {
        PMMPFN Pfn = Frames(Context, i);
        Status = Pfn ? MmMapPage(Space, *Base + (ULONG_PTR)i * PAGE_SIZE, Pfn, Protect)
                     : STATUS_INSUFFICIENT_RESOURCES;
    }
    if (NT_SUCCESS(Status))
        Status = HalpRecordMapping(Process, *Base, (SIZE_T)Pages * PAGE_SIZE, false);
    if (!NT_SUCCESS(Status))
        MmReleaseRange(Space, *Base);
    return Status;
}

static PMMPFN HalpDevicePageAt(void *Context, ULONG Index)
{
    PMMPFN Pfn;

    return NT_SUCCESS(HalpDeviceFrame(*(seL4_Word *)Context + (seL4_Word)Index * PAGE_SIZE, &Pfn))
               ? Pfn
               : NULL;
}

static PMMPFN HalpRunPageAt(void *Context, ULONG Index)
{
    return MmContiguousPage(Context, Index);
}

NTSTATUS NtDriverMapIoSpace(ULONG_PTR PhysicalAddress, SIZE_T NumberOfBytes, ULONG CacheType,
                            ULONG_PTR *BaseAddress)
{
    PETHREAD Thread = HalpDriverThread();
    seL4_Word First = PAGE_ALIGN_DOWN(PhysicalAddress);
    ULONG_PTR Base;
    SIZE_T Pages;
    NTSTATUS Status;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    if (NumberOfBytes == 0 || CacheType >= HALP_CACHE_TYPES ||
        PhysicalAddress + NumberOfBytes < PhysicalAddress)
        return STATUS_INVALID_PARAMETER;
    Pages = (ROUND_TO_PAGES(PhysicalAddress + NumberOfBytes) - First) / PAGE_SIZE;
    if (Pages > HALP_MAX_MAP_PAGES)
        return STATUS_INVALID_PARAMETER;
    /* Every page first: a range that is partly RAM maps nothing. */
    for (SIZE_T i = 0; i < Pages; i++)
        if (HalpDevicePageAt(&First, (ULONG)i) == NULL)
            return STATUS_CONFLICTING_ADDRESSES;
    Status = HalpMapPages(Thread->Process, (ULONG)Pages, HalpDevicePageAt, &First,
                          PAGE_READWRITE | HalpCacheProtection[CacheType], &Base);
    if (NT_SUCCESS(Status))
        *BaseAddress = Base + (PhysicalAddress - First);
    return Status;
}

NTSTATUS NtDriverUnmapIoSpace(USER_ADDRESS BaseAddress, SIZE_T NumberOfBytes)
{
    PETHREAD Thread = HalpDriverThread();
    HALP_MAPPING **Link;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    Link = HalpFindMapping(Thread->Process, PAGE_ALIGN_DOWN(BaseAddress.Value), false);
    if (Link == NULL || NumberOfBytes == 0 ||
        NumberOfBytes > (*Link)->Size - (BaseAddress.Value & (PAGE_SIZE - 1)))
        return STATUS_INVALID_PARAMETER;
    HalpUnmap(Link, true);
    return STATUS_SUCCESS;
}

/* ---- contiguous memory ------------------------------------------------------------------ */

NTSTATUS NtDriverAllocateContiguousMemory(SIZE_T NumberOfBytes, ULONG_PTR HighestAcceptable,
                                          ULONG_PTR *BaseAddress, ULONG_PTR *PhysicalAddress)
{
    PETHREAD Thread = HalpDriverThread();
    SIZE_T Pages = ROUND_TO_PAGES(NumberOfBytes) / PAGE_SIZE;
    PMMPFN Run;
    ULONG_PTR Base;
    NTSTATUS Status;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    if (NumberOfBytes == 0 || NumberOfBytes > (SIZE_T)HALP_MAX_MAP_PAGES * PAGE_SIZE ||
        HighestAcceptable < PAGE_SIZE - 1)
        return STATUS_INVALID_PARAMETER;
    Status = MmAllocateContiguousPages((ULONG)Pages, HighestAcceptable, &Run);
    if (!NT_SUCCESS(Status))
        return Status == STATUS_INVALID_PARAMETER ? STATUS_NO_MEMORY : Status;
    Status = HalpMapPages(Thread->Process, (ULONG)Pages, HalpRunPageAt, Run, PAGE_READWRITE, &Base);
    /* The mapping holds the pages now (or nothing does: they are free). */
    for (SIZE_T i = 0; i < Pages; i++)
        MmDereferencePage(MmContiguousPage(Run, (ULONG)i));
    if (!NT_SUCCESS(Status))
        return Status;
    (*HalpFindMapping(Thread->Process, Base, false))->Contiguous = true;
    *BaseAddress = Base;
    *PhysicalAddress = MmPagePhysical(Run);
    return STATUS_SUCCESS;
}

NTSTATUS NtDriverFreeContiguousMemory(USER_ADDRESS BaseAddress)
{
    PETHREAD Thread = HalpDriverThread();
    HALP_MAPPING **Link;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    Link = HalpFindMapping(Thread->Process, BaseAddress.Value, true);
    if (Link == NULL)
        return STATUS_INVALID_PARAMETER;
    HalpUnmap(Link, true);
    return STATUS_SUCCESS;
}

NTSTATUS NtDriverQueryPhysicalAddress(USER_ADDRESS VirtualAddress, ULONG_PTR *PhysicalAddress)
{
    PETHREAD Thread = HalpDriverThread();
    PMMPFN Pfn;

    if (Thread == NULL)
        return STATUS_ACCESS_DENIED;
    Pfn = MmLookupUserPage(Thread->Process->AddressSpace, VirtualAddress.Value, false);
    if (Pfn == NULL)
        return STATUS_INVALID_PARAMETER;
    *PhysicalAddress = MmPagePhysical(Pfn) + (VirtualAddress.Value & (PAGE_SIZE - 1));
    return STATUS_SUCCESS;
}

/* ---- the display --------------------------------------------------------------------------- */

/* The multiboot 2 framebuffer record as the kernel passes it on (§20.5). */
typedef struct __attribute__((packed)) _HALP_MB_FRAMEBUFFER {
    seL4_BootInfoHeader Header;
    uint64_t Address;
    uint32_t Pitch, Width, Height;
    uint8_t Bpp, Type;
} HALP_MB_FRAMEBUFFER;

static void HalpTextDisplay(DRIVER_DISPLAY_INFO *Info, uint64_t Address, uint32_t Width,
                            uint32_t Height)
{
    *Info = (DRIVER_DISPLAY_INFO){.Kind = DRIVER_DISPLAY_VGA_TEXT,
                                  .Width = Width,
                                  .Height = Height,
                                  .Pitch = Width * 2,
                                  .PhysicalAddress = Address,
                                  .Size = (uint64_t)Width * Height * 2};
}

/* The usual pixel layouts; multiboot's record carries no colour fields. */
static void HalpDefaultColours(DRIVER_DISPLAY_INFO *Info)
{
    if (Info->BitsPerPixel == 16)
        Info->RedShift = 11, Info->RedSize = 5, Info->GreenShift = 5, Info->GreenSize = 6,
        Info->BlueShift = 0, Info->BlueSize = 5;
    else
        Info->RedShift = 16, Info->RedSize = 8, Info->GreenShift = 8, Info->GreenSize = 8,
        Info->BlueShift = 0, Info->BlueSize = 8;
}

static bool HalpMultibootDisplay(const seL4_BootInfo *BootInfo, DRIVER_DISPLAY_INFO *Info)
{
    const HALP_MB_FRAMEBUFFER *Fb =
        (const void *)seL4_BootInfo_FindChunk(BootInfo, SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER);

    if (Fb == NULL || Fb->Header.len < sizeof(*Fb) || Fb->Address == 0)
        return false;
    if (Fb->Type == HALP_MB_EGA_TEXT) {
        HalpTextDisplay(Info, Fb->Address, Fb->Width, Fb->Height);
        return true;
    }
    *Info = (DRIVER_DISPLAY_INFO){.Kind = DRIVER_DISPLAY_FRAMEBUFFER,
                                  .Width = Fb->Width,
                                  .Height = Fb->Height,
                                  .Pitch = Fb->Pitch,
                                  .BitsPerPixel = Fb->Bpp,
                                  .PhysicalAddress = Fb->Address,
                                  .Size = (uint64_t)Fb->Pitch * Fb->Height};
    HalpDefaultColours(Info);
    return true;
}

/* A VBE mode with its linear framebuffer (mode info block, VBE 2.0+). */
static bool HalpVbeDisplay(const seL4_BootInfo *BootInfo, DRIVER_DISPLAY_INFO *Info)
{
    const seL4_X86_BootInfo_VBE *Vbe =
        (const void *)seL4_BootInfo_FindChunk(BootInfo, SEL4_BOOTINFO_HEADER_X86_VBE);
    const uint8_t *Mode;
    uint32_t Address;

    if (Vbe == NULL || !(Vbe->vbeMode & HALP_VBE_LINEAR))
        return false;
    Mode = Vbe->vbeModeInfoBlock;
    memcpy(&Address, Mode + 0x28, sizeof(Address));
    if (Address == 0)
        return false;
    *Info = (DRIVER_DISPLAY_INFO){.Kind = DRIVER_DISPLAY_FRAMEBUFFER,
                                  .Width = Mode[0x12] | Mode[0x13] << 8,
                                  .Height = Mode[0x14] | Mode[0x15] << 8,
                                  .Pitch = Mode[0x10] | Mode[0x11] << 8,
                                  .BitsPerPixel = Mode[0x19],
                                  .PhysicalAddress = Address,
                                  .RedSize = Mode[0x1f],
                                  .RedShift = Mode[0x20],
                                  .GreenSize = Mode[0x21],
                                  .GreenShift = Mode[0x22],
                                  .BlueSize = Mode[0x23],
                                  .BlueShift = Mode[0x24]};
    Info->Size = (uint64_t)Info->Pitch * Info->Height;
    return true;
}

void HalpDescribeDisplay(const seL4_BootInfo *BootInfo, DRIVER_DISPLAY_INFO *Display)
{
    /* Without a record of the loader's, the PC's VGA text mode. */
    if (!HalpMultibootDisplay(BootInfo, Display) && !HalpVbeDisplay(BootInfo, Display))
        HalpTextDisplay(Display, HALP_VGA_TEXT, 80, 25);
}

NTSTATUS NtDriverQueryDisplay(USER_BUFFER Info, ULONG Length)
{
    DRIVER_DISPLAY_INFO Display;

    if (HalpDriverThread() == NULL)
        return STATUS_ACCESS_DENIED;
    if (Length != sizeof(Display))
        return STATUS_INFO_LENGTH_MISMATCH;
    HalpDescribeDisplay(KeQueryBootInfo(), &Display);
    return MmCopyToUser(KeGetCurrentThread()->Process, Info.Address, &Display, sizeof(Display));
}
