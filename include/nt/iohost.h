/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The contract between ntos and a driver process (docs/io.md): what
 * NtDriverInitialize and NtDriverQueryDisplay return, the TEB fields the
 * driver runtime and ntos's instruction emulation share, and the IRP rings.
 * Included by ntos (with Nereid's NT headers) and by ntoskrnl/ (with
 * mingw-w64's ddk headers), so it uses <stdint.h> types only and defines no
 * NT type itself.
 */
#pragma once

#include <stdint.h>

/* ---- TEB fields of driver threads (spec/nt-abi.md §6) --------------------------
 * Inline ddk code reads gs:[0x188] (KeGetCurrentThread), gs:[0x184]
 * (KeGetCurrentProcessorNumber) and gs:[0x18] (KeGetPcr); ntos emulates
 * `mov cr8` of a driver thread on the byte at IO_HOST_TEB_IRQL, which the
 * runtime's KeRaiseIrql/KeLowerIrql read and write too. All lie in
 * TEB.ReservedForDebuggerInstrumentation (0x110-0x18f), which ntdll leaves
 * alone. */
#define IO_HOST_TEB_IRQL      0x180 /* uint8_t: the thread's virtual IRQL */
#define IO_HOST_TEB_PROCESSOR 0x184 /* uint32_t: always 0 (one processor) */
#define IO_HOST_TEB_KTHREAD   0x188 /* the runtime's KTHREAD of the thread */

/* ---- NtDriverQueryDisplay --------------------------------------------------------- */

#define DRIVER_DISPLAY_NONE        0 /* no display known */
#define DRIVER_DISPLAY_VGA_TEXT    1 /* VGA text mode at 0xB8000, 80x25 */
#define DRIVER_DISPLAY_FRAMEBUFFER 2 /* a linear framebuffer (multiboot / VBE) */

typedef struct _DRIVER_DISPLAY_INFO {
    uint32_t Kind;          /* DRIVER_DISPLAY_* */
    uint32_t Width, Height; /* pixels, or characters for VGA text */
    uint32_t Pitch;         /* bytes a line */
    uint32_t BitsPerPixel;  /* 0 for text */
    uint32_t Reserved;
    uint64_t PhysicalAddress; /* what NtDriverMapIoSpace maps */
    uint64_t Size;            /* bytes */
    /* Pixel layout of a framebuffer: bit position and size of each colour. */
    uint8_t RedShift, RedSize, GreenShift, GreenSize, BlueShift, BlueSize, Pad[2];
} DRIVER_DISPLAY_INFO;

/* ---- NtDriverInitialize and the IRP rings ---------------------------------------
 * Owned by io/host.c and ntoskrnl/io/: the layout below is theirs to
 * define (DRIVER_HOST_INFO, the ring header, the request and completion
 * records, IO_HOST_REQUEST for NtDriverCallDriver). */
