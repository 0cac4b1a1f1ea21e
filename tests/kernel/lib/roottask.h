/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root-task runtime's public interface: what every test root task
 * (conformance, fuzz, bench, demo) may call. It owns start-up (stack, TLS,
 * IPC buffer), console output over seL4_DebugPutChar, the freestanding string
 * routines, a bump allocator for CSpace slots and kernel objects carved from
 * the bootinfo untypeds, helper threads in the root task's own address space,
 * the in-image configuration block, and leaving QEMU. The test framework
 * (TEST, CHECK, CHECK_EQ) is in test.h.
 *
 * Everything here is written against the seL4 ABI alone, so a root task built
 * on it runs unchanged on upstream seL4 of the reference configuration.
 */
#ifndef NEREID_ROOTTASK_H
#define NEREID_ROOTTASK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sel4/sel4.h>

/* ---- start-up -------------------------------------------------------------- */

/* Provided by each root task; its return value becomes the QEMU exit code. */
int main(seL4_BootInfo *bi);

/* The bootinfo the kernel passed in RDI; valid before main runs. */
extern seL4_BootInfo *rt_bootinfo;

/*
 * Lay out a TLS block (variant II) for a new thread inside `area` and return
 * the thread pointer to load into its FS base. The .tdata image is copied and
 * .tbss zeroed. Returns 0 when the area is too small.
 */
seL4_Word rt_tls_init(void *area, size_t size);

/* Bytes an area given to rt_tls_init needs (block, alignment slack, TP word). */
size_t rt_tls_area_size(void);

/* ---- console --------------------------------------------------------------- */

/*
 * printf over seL4_DebugPutChar. Conversions: %d %i %u %x %X %o %c %s %p %%
 * with the l/ll/z length modifiers, a width, '0' padding and '-' alignment.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int putchar(int c);
int puts(const char *s);

/* ---- freestanding C library --------------------------------------------------- */

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* ---- bootinfo --------------------------------------------------------------- */

/*
 * First extra-bootinfo chunk with the given id (SEL4_BOOTINFO_HEADER_*), or
 * NULL. The returned pointer is the chunk header; its len includes it.
 */
const seL4_BootInfoHeader *rt_bootinfo_chunk(seL4_Word id);

/* TSC frequency in MHz from the TSC extra-bootinfo chunk, 0 if absent. */
uint32_t rt_tsc_mhz(void);

/* Frame cap of the root task image page holding `vaddr` (0 if outside). */
seL4_CPtr rt_image_frame(const void *vaddr);

/* ---- slots and objects -------------------------------------------------------- */

/*
 * Slots come from bootinfo->empty, handed out upwards and never reused, so a
 * test can rely on each slot being empty when it gets it. Return 0 (the null
 * slot) once the region is used up.
 */
seL4_CPtr rt_slot_alloc(void);
seL4_CPtr rt_slot_alloc_range(seL4_Word count);
seL4_Word rt_slots_left(void);

/*
 * Retype one object of `type` (with `size_bits` for the variable-size types:
 * untyped, CNode, ignored otherwise) from the first non-device untyped that
 * has room, into a fresh slot returned in *slot. Returns seL4_NoError, or the
 * last retype error (seL4_NotEnoughMemory when no untyped has room).
 */
seL4_Error rt_alloc_object(seL4_Word type, seL4_Word size_bits, seL4_CPtr *slot);

/* log2 of the memory an object of that type occupies (0 if unknown). */
seL4_Word rt_object_size_bits(seL4_Word type, seL4_Word size_bits);

/*
 * Map the 4 KiB frame `frame` at `vaddr` in the root VSpace with `rights`,
 * creating missing page tables, page directories and PDPTs from untyped.
 */
seL4_Error rt_map_page(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights);

/* ---- helper threads ------------------------------------------------------------- */

#define RT_MAX_THREADS       8
#define RT_THREAD_STACK_SIZE (16 * 1024)

typedef void (*rt_thread_fn)(seL4_Word arg0, seL4_Word arg1);

typedef struct rt_thread {
    seL4_CPtr tcb;       /* TCB cap in the root CNode */
    seL4_CPtr ipc_frame; /* frame cap of its IPC buffer page (from the image) */
    void *ipc_buffer;    /* its IPC buffer (in the root task image) */
    int index;           /* which of the static stacks it owns */
} rt_thread_t;

/*
 * Create a thread sharing the root task's CSpace and VSpace, with its own
 * stack, TLS block and IPC buffer from a static pool (RT_MAX_THREADS, never
 * recycled), at `prio`, and start it in fn(arg0, arg1). When fn returns the
 * thread suspends itself. Returns seL4_NoError or the failing call's error.
 */
seL4_Error rt_thread_start(rt_thread_t *t, rt_thread_fn fn, seL4_Word arg0, seL4_Word arg1,
                           seL4_Word prio);

/* ---- configuration ------------------------------------------------------------- */

/*
 * The in-image configuration block: a string of `key=value` words that the
 * host patches into the ELF (tools/rtconfig.py, qemu.py --config) because
 * seL4 gives the root task neither the kernel command line nor the other boot
 * modules. Values are decimal or 0x-hex.
 */
const char *rt_config_string(void);
uint64_t rt_config_u64(const char *key, uint64_t dflt);

/* ---- leaving ----------------------------------------------------------------- */

/*
 * Power QEMU off through isa-debug-exit (port 0xf4, QEMU exit status
 * (code << 1) | 1); on a machine without that device, seL4_DebugHalt.
 */
void rt_exit(int code) __attribute__((noreturn));

/* Read the time-stamp counter (serialised with lfence on both sides). */
static inline uint64_t rt_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

#endif /* NEREID_ROOTTASK_H */
