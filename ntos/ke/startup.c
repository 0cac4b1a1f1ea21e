/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C start-up of ntos's one thread: the TLS block built from the image's
 * PT_TLS template (variant II: FS base points at a word holding its own
 * address, the block lies just below), FS base loaded with wrfsbase (the
 * kernel enables CR4.FSGSBASE), the IPC buffer registered with libsel4, the
 * bootinfo kept, then KiSystemStartup (ke/main.c). Also leaving QEMU.
 */
/* This file defines libsel4's thread-local IPC buffer pointer. */
#define SEL4_IPC_BUFFER_DEFINE
#include "kep.h"

extern const char __tdata_start[], __tdata_end[], __tbss_end[];

#define KI_TLS_ALIGN 64 /* ntos.ld pads the TLS image to this */
#define KI_TLS_AREA  4096

seL4_BootInfo *KiBootInfo;

static char KiInitialTls[KI_TLS_AREA] __attribute__((aligned(KI_TLS_ALIGN)));

void KiStartup(seL4_BootInfo *BootInfo) __attribute__((noreturn, used));

static void KiHaltEarly(const char *Message)
{
    /* No TLS yet: seL4_DebugPutChar needs no IPC buffer. */
    while (*Message)
        seL4_DebugPutChar(*Message++);
    seL4_DebugHalt();
    for (;;)
        ;
}

static seL4_Word KiInitializeTls(void *Area, size_t Size)
{
    size_t Block = (size_t)(__tbss_end - __tdata_start);
    size_t Data = (size_t)(__tdata_end - __tdata_start);
    uintptr_t Start = ((uintptr_t)Area + KI_TLS_ALIGN - 1) & ~(uintptr_t)(KI_TLS_ALIGN - 1);

    if (Start + Block + sizeof(seL4_Word) > (uintptr_t)Area + Size)
        return 0;
    memcpy((void *)Start, __tdata_start, Data);
    memset((void *)(Start + Data), 0, Block - Data);
    /* The thread pointer word follows the block and names itself. */
    seL4_Word *Tp = (seL4_Word *)(Start + Block);
    *Tp = (seL4_Word)Tp;
    return (seL4_Word)Tp;
}

void KiStartup(seL4_BootInfo *BootInfo)
{
    seL4_Word Tp = KiInitializeTls(KiInitialTls, sizeof(KiInitialTls));

    if (Tp == 0)
        KiHaltEarly("ntos: TLS template larger than the initial TLS area\n");
    __asm__ volatile("wrfsbase %0" ::"r"(Tp) : "memory");
    KiBootInfo = BootInfo;
    seL4_SetIPCBuffer((seL4_IPCBuffer *)BootInfo->ipcBuffer);
    KiSystemStartup(BootInfo);
}

#define KI_QEMU_EXIT_PORT 0xf4
#define KI_QEMU_EXIT_LAST 0xf7

void KiPowerOff(int Code)
{
    seL4_CPtr Ports;

    /* isa-debug-exit: QEMU exits with (Code << 1) | 1. */
    if (NT_SUCCESS(
            KeGetIoPortCap(KI_QEMU_EXIT_PORT, KI_QEMU_EXIT_LAST - KI_QEMU_EXIT_PORT + 1, &Ports)))
        seL4_X86_IOPort_Out8(Ports, KI_QEMU_EXIT_PORT, (seL4_Word)(Code & 0x7f));
    seL4_DebugHalt();
    for (;;)
        seL4_Yield();
}
