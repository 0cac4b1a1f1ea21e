/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * i8042prt.sys: the PS/2 controller (data port 0x60, status/command port
 * 0x64, keyboard on ISA IRQ 1), keyboard side only. controller.c talks to
 * the controller and the keyboard and holds the ISR; ioctl.c serves the
 * keyboard IOCTLs; i8042prt.c is the entry and dispatch.
 *
 * Windows' port driver hands scancodes to kbdclass through a class-service
 * callback it gets with IOCTL_INTERNAL_KEYBOARD_CONNECT, a function call
 * inside one kernel. Here every driver is a process of its own, so the
 * port device serves IRP_MJ_READ of KEYBOARD_INPUT_DATA records itself
 * (drivers/include/kbdqueue.h) and kbdclass reads them across processes.
 */
#pragma once

#include <kbdqueue.h>

#define I8042_DATA    ((PUCHAR)0x60)
#define I8042_STATUS  ((PUCHAR)0x64) /* read */
#define I8042_COMMAND ((PUCHAR)0x64) /* write */
#define I8042_ISA_IRQ 1

#define I8042_OBF  0x01 /* output buffer full: a byte to read at 0x60 */
#define I8042_IBF  0x02 /* input buffer full: the controller has not taken our byte */
#define I8042_AUXB 0x20 /* the byte at 0x60 comes from the mouse port */

#define CTRL_READ_CONFIG     0x20
#define CTRL_WRITE_CONFIG    0x60
#define CTRL_ENABLE_KEYBOARD 0xAE

#define CONFIG_KEYBOARD_INTERRUPT 0x01
#define CONFIG_MOUSE_INTERRUPT    0x02
#define CONFIG_KEYBOARD_DISABLED  0x10
#define CONFIG_TRANSLATE          0x40 /* the controller turns set 2 into set 1 */

#define KBD_SET_LEDS      0xED
#define KBD_SET_TYPEMATIC 0xF3
#define KBD_ACK           0xFA
#define KBD_RESEND        0xFE

#define I8042_QUEUE_RECORDS 256 /* the port's record queue */
#define I8042_ISR_RECORDS   64  /* records the ISR keeps until its DPC runs */

typedef struct _I8042_EXTENSION {
    KBD_QUEUE Queue; /* first: kbdqueue.h's cancel routine finds it there */
    KEYBOARD_INPUT_DATA QueueStorage[I8042_QUEUE_RECORDS];
    PKINTERRUPT Interrupt;
    KSPIN_LOCK InterruptLock;
    KDPC Dpc;

    /* Guarded by the interrupt lock. */
    KEYBOARD_INPUT_DATA IsrRecords[I8042_ISR_RECORDS];
    ULONG IsrCount;
    ULONG IsrDropped;
    UCHAR Prefix; /* 0xE0 or 0xE1 seen: the next code belongs to it */
    UCHAR E1Left; /* bytes still expected after 0xE1 */

    /* Guarded by the interrupt lock too: they go to the keyboard. */
    KEYBOARD_TYPEMATIC_PARAMETERS Typematic;
    KEYBOARD_INDICATOR_PARAMETERS Indicators;
} I8042_EXTENSION, *PI8042_EXTENSION;

/* controller.c */
NTSTATUS I8042InitializeController(VOID);
KSERVICE_ROUTINE I8042Isr;
KDEFERRED_ROUTINE I8042Dpc;
NTSTATUS I8042SendToKeyboard(PI8042_EXTENSION Ext, UCHAR Command, UCHAR Data);
UCHAR I8042TypematicByte(ULONG Rate, ULONG Delay);

/* ioctl.c */
NTSTATUS I8042DeviceControl(PI8042_EXTENSION Ext, PIRP Irp);
