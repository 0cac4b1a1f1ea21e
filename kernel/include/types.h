/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Basic kernel types, compiler helpers and bit utilities. Every kernel file
 * includes this first. The kernel is freestanding C11 (GNU dialect) compiled
 * with -mcmodel=kernel and without SSE.
 */
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <sel4/constants.h>

typedef uint64_t word_t;
typedef int64_t sword_t;
typedef uint64_t paddr_t; /* a physical address */
typedef uint64_t vptr_t;  /* a user virtual address */
typedef uint64_t pptr_t;  /* a kernel pointer into the physical window */
typedef word_t cptr_t;
typedef word_t prio_t;
typedef word_t dom_t;
typedef word_t irq_t;

#define BIT(n)           (1ull << (n))
#define MASK(n)          (BIT(n) - 1ull)
#define ROUND_DOWN(x, n) ((x) & ~MASK(n))
#define ROUND_UP(x, n)   (((x) + MASK(n)) & ~MASK(n))
#define IS_ALIGNED(x, n) (((x)&MASK(n)) == 0)
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#define NORETURN     __attribute__((noreturn))
#define PACKED       __attribute__((packed))
#define ALIGN(n)     __attribute__((aligned(n)))
#define UNUSED       __attribute__((unused))
#define FORCE_INLINE inline __attribute__((always_inline))
#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)
#define SECTION(s)   __attribute__((section(s)))
#define BOOT_CODE    SECTION(".boot.text")
#define BOOT_DATA    SECTION(".boot.data")
#define BOOT_BSS     SECTION(".boot.bss")

/*
 * Result of every kernel operation that may fail. Decode functions record
 * the details of a failure in current_syscall_error / current_lookup_fault /
 * current_fault (model/statedata.h) before returning one of these.
 */
typedef enum exception {
    EXCEPTION_NONE = 0,
    EXCEPTION_FAULT,         /* current_fault holds a fault for the thread */
    EXCEPTION_LOOKUP_FAULT,  /* current_lookup_fault describes the failure */
    EXCEPTION_SYSCALL_ERROR, /* current_syscall_error describes it */
    EXCEPTION_PREEMPTED,     /* an interrupt is pending: restart later */
} exception_t;

/* Kernel virtual memory layout (see kernel/README.md). */
#define PPTR_BASE       0xffff800000000000ull /* physical window: 512 GiB, 1 GiB pages */
#define PPTR_TOP        0xffff808000000000ull
#define KERNEL_ELF_BASE 0xffffffff80000000ull /* kernel image: KERNEL_ELF_BASE + paddr */
#define PADDR_TOP       (PPTR_TOP - PPTR_BASE)

static inline pptr_t paddr_to_pptr(paddr_t p)
{
    return p + PPTR_BASE;
}
static inline paddr_t pptr_to_paddr(pptr_t p)
{
    return p - PPTR_BASE;
}
static inline paddr_t kimg_to_paddr(const void *p)
{
    return (word_t)p - KERNEL_ELF_BASE;
}
/* Any kernel pointer (window or image) to its physical address. */
static inline paddr_t addr_to_paddr(const void *p)
{
    word_t a = (word_t)p;
    return a >= KERNEL_ELF_BASE ? a - KERNEL_ELF_BASE : a - PPTR_BASE;
}
