/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of hardware access for driver processes (io/hal*.c,
 * io/README.md "Hardware access"): which ports a driver may use, the
 * interrupt lines and the memory it was given.
 */
#pragma once

#include <ntos.h>
#include <ke.h>
#include <mm.h>
#include <io.h>
#include <nt/iohost.h>

#define HALP_TAG 0x706c6148 /* 'Halp' */

/* halport.c: whether a driver may touch [Port, Port + Width); a write of
 * Value there (also PIT channel 2's control words on port 0x43). */
bool HalpPortAllowed(ULONG Port, ULONG Width);
bool HalpPortWriteAllowed(ULONG Port, ULONG Width, ULONG Value);

/* halirq.c / halmem.c: what a process that ends gives back. */
void HalpReleaseInterrupts(PEPROCESS Process);
void HalpReleaseMemory(PEPROCESS Process);

/* The calling thread when it belongs to a driver process, else NULL (the
 * NtDriver* services answer ACCESS_DENIED). */
PETHREAD HalpDriverThread(void);

/* halirq.c, for the self-tests: ntos's caps of a connected line and the
 * thread whose CSpace holds the driver's copies (false: the line is free). */
bool HalpQueryLine(ULONG Vector, PETHREAD *Thread, seL4_CPtr *Notification, seL4_CPtr *Handler);

/* halmem.c: what NtDriverQueryDisplay reports for BootInfo's extra
 * records (the self-tests pass made-up ones). */
void HalpDescribeDisplay(const seL4_BootInfo *BootInfo, DRIVER_DISPLAY_INFO *Display);
