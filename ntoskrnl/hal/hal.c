/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hal.dll's bus and timing routines for a driver process:
 * KeStallExecutionProcessor, the bus data of PCI configuration space,
 * bus address translation and interrupt vectors.
 *
 * - PCI configuration space (HalGetBusData, HalSetBusData and their
 *   ByOffset forms, PCIConfiguration only) through configuration
 *   mechanism 1: the address at 0xCF8, the data at 0xCFC, as port I/O that
 *   ntos performs for the driver. An empty slot reads as
 *   PCI_INVALID_VENDORID (2 bytes), a bus past 255 or any other bus type
 *   as 0 bytes, as Windows says of a bus that does not exist.
 * - Bus addresses are the physical ones (HalTranslateBusAddress: the
 *   identity for ISA, EISA, internal and PCI; the address space, port or
 *   memory, stays).
 * - Interrupt vectors are the lines themselves (halp.h): ISA IRQ n is
 *   vector n at DIRQL HALP_DIRQL(n), on processor 0; IRQ 0 is ntos's timer
 *   and lines past 23 do not exist (vector 0).
 */
#include "halp.h"

#define HALP_PCI_ADDRESS   0xcf8
#define HALP_PCI_DATA      0xcfc
#define HALP_PCI_ENABLE    0x80000000u
#define HALP_PCI_SPACE     256
#define HALP_PCI_MAX_BUS   255
#define HALP_PCI_NO_VENDOR 0xffff

NTKRNL_EXPORT VOID NTAPI KeStallExecutionProcessor(ULONG MicroSeconds)
{
    LARGE_INTEGER Frequency, Start = KeQueryPerformanceCounter(&Frequency);
    LONGLONG Ticks = (LONGLONG)MicroSeconds * Frequency.QuadPart / 1000000;

    while (KeQueryPerformanceCounter(NULL).QuadPart - Start.QuadPart < Ticks)
        YieldProcessor();
}

/* ---- PCI configuration space ---------------------------------------------------------------- */

static ULONG HalpPciAddress(ULONG Bus, PCI_SLOT_NUMBER Slot, ULONG Offset)
{
    return HALP_PCI_ENABLE | Bus << 16 | Slot.u.bits.DeviceNumber << 11 |
           Slot.u.bits.FunctionNumber << 8 | (Offset & 0xfc);
}

static ULONG HalpReadPciDword(ULONG Bus, PCI_SLOT_NUMBER Slot, ULONG Offset)
{
    WRITE_PORT_ULONG((PULONG)HALP_PCI_ADDRESS, HalpPciAddress(Bus, Slot, Offset));
    return READ_PORT_ULONG((PULONG)HALP_PCI_DATA);
}

static VOID HalpWritePciDword(ULONG Bus, PCI_SLOT_NUMBER Slot, ULONG Offset, ULONG Value)
{
    WRITE_PORT_ULONG((PULONG)HALP_PCI_ADDRESS, HalpPciAddress(Bus, Slot, Offset));
    WRITE_PORT_ULONG((PULONG)HALP_PCI_DATA, Value);
}

/* Copy Length bytes at Offset between Buffer and the function's space
 * (a dword at a time, read-modify-write for a partial one). */
static ULONG HalpPciTransfer(ULONG Bus, ULONG SlotNumber, PUCHAR Buffer, ULONG Offset, ULONG Length,
                             BOOLEAN Write)
{
    PCI_SLOT_NUMBER Slot = {.u.AsULONG = SlotNumber};
    USHORT Vendor = HALP_PCI_NO_VENDOR;

    if (Bus > HALP_PCI_MAX_BUS || Offset >= HALP_PCI_SPACE)
        return 0;
    if ((HalpReadPciDword(Bus, Slot, 0) & 0xffff) == HALP_PCI_NO_VENDOR) {
        if (Write || Length < sizeof(Vendor))
            return 0;
        RtlCopyMemory(Buffer, &Vendor, sizeof(Vendor));
        return sizeof(Vendor);
    }
    if (Length > HALP_PCI_SPACE - Offset)
        Length = HALP_PCI_SPACE - Offset;
    for (ULONG Done = 0; Done < Length;) {
        ULONG At = Offset + Done, Shift = (At & 3) * 8, Dword = HalpReadPciDword(Bus, Slot, At);
        if (Write) {
            Dword = (Dword & ~(0xffu << Shift)) | (ULONG)Buffer[Done] << Shift;
            HalpWritePciDword(Bus, Slot, At, Dword);
        } else {
            Buffer[Done] = (UCHAR)(Dword >> Shift);
        }
        Done++;
    }
    return Length;
}

NTKRNL_EXPORT ULONG NTAPI HalGetBusDataByOffset(BUS_DATA_TYPE BusDataType, ULONG BusNumber,
                                                ULONG SlotNumber, PVOID Buffer, ULONG Offset,
                                                ULONG Length)
{
    if (BusDataType != PCIConfiguration)
        return 0; /* FIXME: CMOS and the other bus data types */
    return HalpPciTransfer(BusNumber, SlotNumber, Buffer, Offset, Length, FALSE);
}

NTKRNL_EXPORT ULONG NTAPI HalGetBusData(BUS_DATA_TYPE BusDataType, ULONG BusNumber,
                                        ULONG SlotNumber, PVOID Buffer, ULONG Length)
{
    return HalGetBusDataByOffset(BusDataType, BusNumber, SlotNumber, Buffer, 0, Length);
}

NTKRNL_EXPORT ULONG NTAPI HalSetBusDataByOffset(BUS_DATA_TYPE BusDataType, ULONG BusNumber,
                                                ULONG SlotNumber, PVOID Buffer, ULONG Offset,
                                                ULONG Length)
{
    if (BusDataType != PCIConfiguration)
        return 0;
    return HalpPciTransfer(BusNumber, SlotNumber, Buffer, Offset, Length, TRUE);
}

NTKRNL_EXPORT ULONG NTAPI HalSetBusData(BUS_DATA_TYPE BusDataType, ULONG BusNumber,
                                        ULONG SlotNumber, PVOID Buffer, ULONG Length)
{
    return HalSetBusDataByOffset(BusDataType, BusNumber, SlotNumber, Buffer, 0, Length);
}

/* ---- addresses and vectors ------------------------------------------------------------------- */

static BOOLEAN HalpKnownBus(INTERFACE_TYPE InterfaceType)
{
    return InterfaceType == Internal || InterfaceType == Isa || InterfaceType == Eisa ||
           InterfaceType == PCIBus;
}

NTKRNL_EXPORT BOOLEAN NTAPI HalTranslateBusAddress(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
                                                   PHYSICAL_ADDRESS BusAddress, PULONG AddressSpace,
                                                   PPHYSICAL_ADDRESS TranslatedAddress)
{
    if (!HalpKnownBus(InterfaceType) || AddressSpace == NULL || TranslatedAddress == NULL)
        return FALSE;
    *TranslatedAddress = BusAddress;
    return TRUE;
}

NTKRNL_EXPORT ULONG NTAPI HalGetInterruptVector(INTERFACE_TYPE InterfaceType, ULONG BusNumber,
                                                ULONG BusInterruptLevel, ULONG BusInterruptVector,
                                                PKIRQL Irql, PKAFFINITY Affinity)
{
    if (!HalpKnownBus(InterfaceType) || BusInterruptLevel == 0 || BusInterruptLevel > HALP_MAX_LINE)
        return 0;
    *Irql = HALP_DIRQL(BusInterruptLevel);
    *Affinity = 1;
    return BusInterruptLevel;
}
