/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C start-up of the root task: builds the initial thread's TLS block from
 * the image's PT_TLS template (variant II: FS base points at a word holding
 * its own address, the block lies just below), loads FS base with wrfsbase
 * (the kernel enables CR4.FSGSBASE), registers the IPC buffer with libsel4,
 * runs main and leaves QEMU with its return value. Also lays out TLS blocks
 * for helper threads (thread.c).
 */
/* This file defines libsel4's thread-local IPC buffer pointer. */
#define SEL4_IPC_BUFFER_DEFINE
#include "roottask.h"

/* Linker symbols (roottask.ld). */
extern const char __tdata_start[], __tdata_end[], __tbss_end[];

/* TLS template alignment the link map guarantees (roottask.ld pads to 64). */
#define RT_TLS_ALIGN 64

/* Room for the initial thread's TLS block; conformance tests need little. */
#define RT_INITIAL_TLS_AREA 4096

seL4_BootInfo *rt_bootinfo;

static char rt_initial_tls[RT_INITIAL_TLS_AREA] __attribute__((aligned(RT_TLS_ALIGN)));

void rt_alloc_init(seL4_BootInfo *bi);
void rt_start(seL4_BootInfo *bi) __attribute__((noreturn, used));

static size_t tls_block_size(void)
{
    return (size_t)(__tbss_end - __tdata_start);
}

size_t rt_tls_area_size(void)
{
    return tls_block_size() + sizeof(seL4_Word) + RT_TLS_ALIGN;
}

seL4_Word rt_tls_init(void *area, size_t size)
{
    size_t block = tls_block_size();
    size_t tdata = (size_t)(__tdata_end - __tdata_start);
    uintptr_t start = ((uintptr_t)area + RT_TLS_ALIGN - 1) & ~(uintptr_t)(RT_TLS_ALIGN - 1);

    if (start + block + sizeof(seL4_Word) > (uintptr_t)area + size)
        return 0;
    memcpy((void *)start, __tdata_start, tdata);
    memset((void *)(start + tdata), 0, block - tdata);
    /* The thread pointer word sits right after the block and names itself. */
    seL4_Word *tp = (seL4_Word *)(start + block);
    *tp = (seL4_Word)tp;
    return (seL4_Word)tp;
}

static void halt_early(const char *msg)
{
    /* No TLS yet: seL4_DebugPutChar needs no IPC buffer. */
    while (*msg)
        seL4_DebugPutChar(*msg++);
    seL4_DebugHalt();
    for (;;)
        ;
}

void rt_start(seL4_BootInfo *bi)
{
    seL4_Word tp = rt_tls_init(rt_initial_tls, sizeof(rt_initial_tls));

    if (tp == 0)
        halt_early("roottask: TLS template larger than the initial TLS area\n");
    __asm__ volatile("wrfsbase %0" ::"r"(tp) : "memory");

    rt_bootinfo = bi;
    seL4_SetIPCBuffer((seL4_IPCBuffer *)bi->ipcBuffer);
    rt_alloc_init(bi);
    rt_exit(main(bi));
}
