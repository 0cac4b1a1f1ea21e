/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * serial.sys: a legacy (non-PnP) driver for the 16550 UART at COM1 (I/O
 * 0x3F8, ISA IRQ 4), written against the stock ddk only. This header holds
 * the device extension and the routines the files share: serial.c (entry,
 * create/close, information requests), uart.c (the registers and the ISR),
 * read.c (the read queue and its time-outs), write.c (polled transmit),
 * ioctl.c (IOCTL_SERIAL_*) and wait.c (the wait mask).
 *
 * Locking: Ext->Lock (a spin lock, DISPATCH_LEVEL) guards the read queue,
 * the pending wait and the settings; the interrupt's spin lock
 * (KeSynchronizeExecution) guards what the ISR touches: the receive ring,
 * Errors, History, the modem status and every register access.
 */
#pragma once

#include <ntddk.h>
#include <ntddser.h>

#define SERIAL_TAG 0x6C726553 /* "Serl" in a pool dump */

/* COM1 on a PC. */
#define SERIAL_PORT_BASE 0x3F8
#define SERIAL_ISA_IRQ   4
#define SERIAL_CLOCK     115200 /* 1.8432 MHz / 16: the divisor's base */

/* 16550 registers (offsets from the base) and bits the driver uses. */
#define UART_RBR 0 /* receive buffer (read, DLAB 0) */
#define UART_THR 0 /* transmit holding (write, DLAB 0) */
#define UART_DLL 0 /* divisor low (DLAB 1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor high (DLAB 1) */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_RDA 0x01 /* received data available (and the FIFO time-out) */
#define IER_RLS 0x04 /* receiver line status */
#define IER_MS  0x08 /* modem status */

#define IIR_NONE    0x01 /* no interrupt pending */
#define IIR_FIFO_ON 0xC0 /* both set: a 16550 with its FIFO enabled */
#define IIR_ID_MASK 0x0E
#define IIR_MS      0x00
#define IIR_THRE    0x02
#define IIR_RDA     0x04
#define IIR_RLS     0x06
#define IIR_TIMEOUT 0x0C

/* FIFO on, receive FIFO cleared, interrupt at 1 byte: a terminal wants
 * each key as it comes. The transmit FIFO is left alone (the kernel's debug
 * output may have bytes in it). */
#define FCR_SETTING 0x03

#define LCR_DLAB  0x80
#define LCR_BREAK 0x40

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT2 0x08 /* gates the UART's interrupt line on a PC */
#define MCR_LOOP 0x10

#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_PE   0x04
#define LSR_FE   0x08
#define LSR_BI   0x10
#define LSR_THRE 0x20

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS  0x10
#define MSR_DSR  0x20
#define MSR_RI   0x40
#define MSR_DCD  0x80

#define SERIAL_TX_BURST       15 /* write.c: the FIFO's 16 less the kernel's one byte */
#define SERIAL_DEFAULT_BUFFER 4096
#define SERIAL_MAX_BUFFER     (1024 * 1024) /* IOCTL_SERIAL_SET_QUEUE_SIZE's ceiling */

#define SERIAL_EV_ALL 0x1FFF

typedef struct _SERIAL_EXTENSION {
    PDEVICE_OBJECT DeviceObject;
    PUCHAR Base; /* I/O port base */
    PKINTERRUPT Interrupt;
    KSPIN_LOCK InterruptLock;
    KSPIN_LOCK Lock;
    BOOLEAN Open;
    BOOLEAN SymbolicLink;   /* \??\COM1 was created by us */
    BOOLEAN DeviceNameInit; /* DeviceName holds the created name */

    /* Guarded by the interrupt lock. */
    PUCHAR RxBuffer;
    ULONG RxSize, RxHead, RxCount; /* ring: RxHead is the oldest byte */
    ULONG Errors;                  /* SERIAL_ERROR_*, cleared by GET_COMMSTATUS */
    ULONG History;                 /* SERIAL_EV_* seen and not yet reported */
    ULONG IsrWaitMask;             /* the wait mask as the ISR sees it */
    UCHAR Msr, Mcr, Lcr;
    SERIALPERF_STATS Stats;

    /* Guarded by Lock. */
    ULONG BaudRate;
    SERIAL_TIMEOUTS Timeouts;
    SERIAL_HANDFLOW HandFlow;
    SERIAL_CHARS Chars;
    ULONG WaitMask;
    PIRP WaitIrp;         /* the pending IOCTL_SERIAL_WAIT_ON_MASK */
    LIST_ENTRY ReadQueue; /* pending reads; the head is being served */
    BOOLEAN ReadTimersArmed;
    BOOLEAN ReadTimedOut;
    ULONG WritePending; /* bytes of the write in progress not yet sent */
    ULONG TxBurst;      /* bytes one THRE may take: 15 with a FIFO, else 1 (write.c) */

    KDPC RxDpc; /* queued by the ISR: serve reads and waits */
    KTIMER TotalTimer;
    KDPC TotalDpc;
    KTIMER IntervalTimer;
    KDPC IntervalDpc;

    UNICODE_STRING DeviceName;
} SERIAL_EXTENSION, *PSERIAL_EXTENSION;

/* uart.c */
UCHAR SerialReadRegister(PSERIAL_EXTENSION Ext, ULONG Register);
VOID SerialWriteRegister(PSERIAL_EXTENSION Ext, ULONG Register, UCHAR Value);
BOOLEAN SerialProbe(PSERIAL_EXTENSION Ext);
VOID SerialReadInitialSettings(PSERIAL_EXTENSION Ext);
KSERVICE_ROUTINE SerialIsr;
BOOLEAN SerialSynchronize(PSERIAL_EXTENSION Ext, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context);
VOID SerialEnableInterrupts(PSERIAL_EXTENSION Ext);
VOID SerialDisableInterrupts(PSERIAL_EXTENSION Ext);
NTSTATUS SerialSetBaud(PSERIAL_EXTENSION Ext, ULONG BaudRate);
VOID SerialSetLcr(PSERIAL_EXTENSION Ext, UCHAR Set, UCHAR Clear);
VOID SerialSetMcr(PSERIAL_EXTENSION Ext, UCHAR Set, UCHAR Clear);
ULONG SerialTakeFromRing(PSERIAL_EXTENSION Ext, PUCHAR Buffer, ULONG Length);
VOID SerialClearRing(PSERIAL_EXTENSION Ext);
NTSTATUS SerialResizeRing(PSERIAL_EXTENSION Ext, ULONG NewSize);

/* read.c */
NTSTATUS SerialRead(PSERIAL_EXTENSION Ext, PIRP Irp);
VOID SerialServiceReads(PSERIAL_EXTENSION Ext, PLIST_ENTRY Done);
VOID SerialCancelAllReads(PSERIAL_EXTENSION Ext);
VOID SerialCompleteList(PLIST_ENTRY Done);
KDEFERRED_ROUTINE SerialRxDpc;
KDEFERRED_ROUTINE SerialTotalTimeoutDpc;
KDEFERRED_ROUTINE SerialIntervalTimeoutDpc;

/* write.c */
NTSTATUS SerialWrite(PSERIAL_EXTENSION Ext, PIRP Irp);
NTSTATUS SerialTransmit(PSERIAL_EXTENSION Ext, PIRP Irp, const UCHAR *Data, ULONG Length,
                        PULONG Sent);

/* wait.c */
NTSTATUS SerialSetWaitMask(PSERIAL_EXTENSION Ext, ULONG Mask);
NTSTATUS SerialWaitOnMask(PSERIAL_EXTENSION Ext, PIRP Irp);
VOID SerialServiceWait(PSERIAL_EXTENSION Ext, PLIST_ENTRY Done);
VOID SerialAddEvents(PSERIAL_EXTENSION Ext, ULONG Events);
VOID SerialCancelWait(PSERIAL_EXTENSION Ext);

/* ioctl.c */
NTSTATUS SerialDeviceControl(PSERIAL_EXTENSION Ext, PIRP Irp);
