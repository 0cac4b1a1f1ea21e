/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hal.dll's port and register routines. On x64 the ddk inlines them, so
 * a stock driver rarely imports them; hal.dll and ntoskrnl.exe export
 * them anyway, and so does the runtime. The port routines execute the
 * instructions themselves: in a driver process each one faults and ntos
 * performs it (ntos/io/halport.c), as for the ddk's inline forms; the
 * string forms are one `rep ins` / `rep outs`, emulated in batches. The
 * register routines are plain volatile accesses to memory the driver
 * mapped with MmMapIoSpace, with a full fence like the ddk's.
 *
 * The ddk already defines these names as inline functions, so the
 * exported definitions carry the names as assembler labels.
 */
#include "halp.h"

#define HALP_EXPORT(Name) __asm__(#Name)

NTKRNL_EXPORT UCHAR NTAPI HalpReadPortUchar(PUCHAR Port) HALP_EXPORT(READ_PORT_UCHAR);
NTKRNL_EXPORT UCHAR NTAPI HalpReadPortUchar(PUCHAR Port)
{
    UCHAR Value;
    __asm__ volatile("inb %w1, %0" : "=a"(Value) : "Nd"((USHORT)(ULONG_PTR)Port));
    return Value;
}

NTKRNL_EXPORT USHORT NTAPI HalpReadPortUshort(PUSHORT Port) HALP_EXPORT(READ_PORT_USHORT);
NTKRNL_EXPORT USHORT NTAPI HalpReadPortUshort(PUSHORT Port)
{
    USHORT Value;
    __asm__ volatile("inw %w1, %0" : "=a"(Value) : "Nd"((USHORT)(ULONG_PTR)Port));
    return Value;
}

NTKRNL_EXPORT ULONG NTAPI HalpReadPortUlong(PULONG Port) HALP_EXPORT(READ_PORT_ULONG);
NTKRNL_EXPORT ULONG NTAPI HalpReadPortUlong(PULONG Port)
{
    ULONG Value;
    __asm__ volatile("inl %w1, %0" : "=a"(Value) : "Nd"((USHORT)(ULONG_PTR)Port));
    return Value;
}

NTKRNL_EXPORT VOID NTAPI HalpWritePortUchar(PUCHAR Port, UCHAR Value) HALP_EXPORT(WRITE_PORT_UCHAR);
NTKRNL_EXPORT VOID NTAPI HalpWritePortUchar(PUCHAR Port, UCHAR Value)
{
    __asm__ volatile("outb %0, %w1" : : "a"(Value), "Nd"((USHORT)(ULONG_PTR)Port));
}

NTKRNL_EXPORT VOID NTAPI HalpWritePortUshort(PUSHORT Port, USHORT Value)
    HALP_EXPORT(WRITE_PORT_USHORT);
NTKRNL_EXPORT VOID NTAPI HalpWritePortUshort(PUSHORT Port, USHORT Value)
{
    __asm__ volatile("outw %0, %w1" : : "a"(Value), "Nd"((USHORT)(ULONG_PTR)Port));
}

NTKRNL_EXPORT VOID NTAPI HalpWritePortUlong(PULONG Port, ULONG Value) HALP_EXPORT(WRITE_PORT_ULONG);
NTKRNL_EXPORT VOID NTAPI HalpWritePortUlong(PULONG Port, ULONG Value)
{
    __asm__ volatile("outl %0, %w1" : : "a"(Value), "Nd"((USHORT)(ULONG_PTR)Port));
}

/* ---- string forms ------------------------------------------------------------------------ */

#define HALP_READ_PORT_BUFFER(Suffix, Type, Insn)                                                  \
    NTKRNL_EXPORT VOID NTAPI HalpReadPortBuffer##Suffix(Type *Port, Type *Buffer, ULONG Count)     \
        HALP_EXPORT(READ_PORT_BUFFER_##Suffix);                                                    \
    NTKRNL_EXPORT VOID NTAPI HalpReadPortBuffer##Suffix(Type *Port, Type *Buffer, ULONG Count)     \
    {                                                                                              \
        ULONG_PTR Left = Count;                                                                    \
        __asm__ volatile("cld; rep " Insn                                                          \
                         : "+D"(Buffer), "+c"(Left)                                                \
                         : "d"((USHORT)(ULONG_PTR)Port)                                            \
                         : "memory");                                                              \
    }

#define HALP_WRITE_PORT_BUFFER(Suffix, Type, Insn)                                                 \
    NTKRNL_EXPORT VOID NTAPI HalpWritePortBuffer##Suffix(Type *Port, Type *Buffer, ULONG Count)    \
        HALP_EXPORT(WRITE_PORT_BUFFER_##Suffix);                                                   \
    NTKRNL_EXPORT VOID NTAPI HalpWritePortBuffer##Suffix(Type *Port, Type *Buffer, ULONG Count)    \
    {                                                                                              \
        ULONG_PTR Left = Count;                                                                    \
        __asm__ volatile("cld; rep " Insn                                                          \
                         : "+S"(Buffer), "+c"(Left)                                                \
                         : "d"((USHORT)(ULONG_PTR)Port)                                            \
                         : "memory");                                                              \
    }

HALP_READ_PORT_BUFFER(UCHAR, UCHAR, "insb")
HALP_READ_PORT_BUFFER(USHORT, USHORT, "insw")
HALP_READ_PORT_BUFFER(ULONG, ULONG, "insl")
HALP_WRITE_PORT_BUFFER(UCHAR, UCHAR, "outsb")
HALP_WRITE_PORT_BUFFER(USHORT, USHORT, "outsw")
HALP_WRITE_PORT_BUFFER(ULONG, ULONG, "outsl")

/* ---- device registers (memory-mapped) ------------------------------------------------------- */

#define HALP_REGISTER(Suffix, Type)                                                                \
    NTKRNL_EXPORT Type NTAPI HalpReadRegister##Suffix(volatile Type *Register)                     \
        HALP_EXPORT(READ_REGISTER_##Suffix);                                                       \
    NTKRNL_EXPORT Type NTAPI HalpReadRegister##Suffix(volatile Type *Register)                     \
    {                                                                                              \
        return *Register;                                                                          \
    }                                                                                              \
    NTKRNL_EXPORT VOID NTAPI HalpWriteRegister##Suffix(volatile Type *Register, Type Value)        \
        HALP_EXPORT(WRITE_REGISTER_##Suffix);                                                      \
    NTKRNL_EXPORT VOID NTAPI HalpWriteRegister##Suffix(volatile Type *Register, Type Value)        \
    {                                                                                              \
        *Register = Value;                                                                         \
        __sync_synchronize();                                                                      \
    }                                                                                              \
    NTKRNL_EXPORT VOID NTAPI HalpReadRegisterBuffer##Suffix(volatile Type *Register, Type *Buffer, \
                                                            ULONG Count)                           \
        HALP_EXPORT(READ_REGISTER_BUFFER_##Suffix);                                                \
    NTKRNL_EXPORT VOID NTAPI HalpReadRegisterBuffer##Suffix(volatile Type *Register, Type *Buffer, \
                                                            ULONG Count)                           \
    {                                                                                              \
        for (ULONG i = 0; i < Count; i++)                                                          \
            Buffer[i] = *Register;                                                                 \
    }                                                                                              \
    NTKRNL_EXPORT VOID NTAPI HalpWriteRegisterBuffer##Suffix(volatile Type *Register,              \
                                                             Type *Buffer, ULONG Count)            \
        HALP_EXPORT(WRITE_REGISTER_BUFFER_##Suffix);                                               \
    NTKRNL_EXPORT VOID NTAPI HalpWriteRegisterBuffer##Suffix(volatile Type *Register,              \
                                                             Type *Buffer, ULONG Count)            \
    {                                                                                              \
        for (ULONG i = 0; i < Count; i++)                                                          \
            *Register = Buffer[i];                                                                 \
        __sync_synchronize();                                                                      \
    }

HALP_REGISTER(UCHAR, UCHAR)
HALP_REGISTER(USHORT, USHORT)
HALP_REGISTER(ULONG, ULONG)
HALP_REGISTER(ULONG64, ULONG64)
