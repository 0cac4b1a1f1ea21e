/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16550 itself: register access, the probe, the interrupt service
 * routine and the routines that run under the interrupt's spin lock
 * (KeSynchronizeExecution) because they touch what the ISR touches: the
 * receive ring, the error and event words and the line/modem registers.
 *
 * The kernel's debug output writes the same UART's transmit register by
 * polling (kernel/arch/x86_64/serial.c): this driver never reprograms the
 * divisor unless IOCTL_SERIAL_SET_BAUD_RATE asks, because while the divisor
 * latch is open (LCR.DLAB) a byte the kernel writes lands in the divisor.
 */
#include "serial.h"

UCHAR SerialReadRegister(PSERIAL_EXTENSION Ext, ULONG Register)
{
    return READ_PORT_UCHAR(Ext->Base + Register);
}

VOID SerialWriteRegister(PSERIAL_EXTENSION Ext, ULONG Register, UCHAR Value)
{
    WRITE_PORT_UCHAR(Ext->Base + Register, Value);
}

BOOLEAN SerialSynchronize(PSERIAL_EXTENSION Ext, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context)
{
    /* Before IoConnectInterrupt (DriverEntry) nothing runs concurrently. */
    if (!Ext->Interrupt)
        return Routine(Context);
    return KeSynchronizeExecution(Ext->Interrupt, Routine, Context);
}

/* A UART answers in its scratch register; an empty bus reads 0xFF. */
BOOLEAN SerialProbe(PSERIAL_EXTENSION Ext)
{
    UCHAR Saved = SerialReadRegister(Ext, UART_SCR);
    SerialWriteRegister(Ext, UART_SCR, 0x5A);
    BOOLEAN Present = SerialReadRegister(Ext, UART_SCR) == 0x5A;
    SerialWriteRegister(Ext, UART_SCR, Saved);
    return Present && SerialReadRegister(Ext, UART_LSR) != 0xFF;
}

/* What the boot left (the kernel programs 115200 8N1): read once, before
 * the interrupt is connected, so GET_BAUD_RATE never opens the latch. */
VOID SerialReadInitialSettings(PSERIAL_EXTENSION Ext)
{
    Ext->Lcr = SerialReadRegister(Ext, UART_LCR) & ~LCR_DLAB;
    Ext->Mcr = SerialReadRegister(Ext, UART_MCR);
    Ext->Msr = SerialReadRegister(Ext, UART_MSR);
    SerialWriteRegister(Ext, UART_LCR, Ext->Lcr | LCR_DLAB);
    USHORT Divisor = SerialReadRegister(Ext, UART_DLL) | (SerialReadRegister(Ext, UART_DLM) << 8);
    SerialWriteRegister(Ext, UART_LCR, Ext->Lcr);
    Ext->BaudRate = Divisor ? SERIAL_CLOCK / Divisor : SERIAL_CLOCK;
}

/* Store one received byte; called by the ISR only. */
static VOID SerialReceiveByte(PSERIAL_EXTENSION Ext, UCHAR Byte)
{
    Ext->Stats.ReceivedCount++;
    if (Byte == 0 && (Ext->HandFlow.FlowReplace & SERIAL_NULL_STRIPPING))
        return;
    Ext->History |= SERIAL_EV_RXCHAR;
    if (Byte == Ext->Chars.EventChar)
        Ext->History |= SERIAL_EV_RXFLAG;
    if (Ext->RxCount == Ext->RxSize) {
        Ext->Errors |= SERIAL_ERROR_QUEUEOVERRUN;
        Ext->Stats.BufferOverrunErrorCount++;
        Ext->History |= SERIAL_EV_ERR;
        return;
    }
    Ext->RxBuffer[(Ext->RxHead + Ext->RxCount) % Ext->RxSize] = Byte;
    Ext->RxCount++;
    if (Ext->RxCount * 5 >= Ext->RxSize * 4)
        Ext->History |= SERIAL_EV_RX80FULL;
}

static VOID SerialLineStatus(PSERIAL_EXTENSION Ext, UCHAR Lsr)
{
    if (Lsr & LSR_OE) {
        Ext->Errors |= SERIAL_ERROR_OVERRUN;
        Ext->Stats.SerialOverrunErrorCount++;
    }
    if (Lsr & LSR_PE) {
        Ext->Errors |= SERIAL_ERROR_PARITY;
        Ext->Stats.ParityErrorCount++;
        Ext->History |= SERIAL_EV_PERR;
    }
    if (Lsr & LSR_FE) {
        Ext->Errors |= SERIAL_ERROR_FRAMING;
        Ext->Stats.FrameErrorCount++;
    }
    if (Lsr & LSR_BI) {
        Ext->Errors |= SERIAL_ERROR_BREAK;
        Ext->History |= SERIAL_EV_BREAK;
    }
    if (Lsr & (LSR_OE | LSR_PE | LSR_FE))
        Ext->History |= SERIAL_EV_ERR;
}

static VOID SerialModemStatus(PSERIAL_EXTENSION Ext)
{
    UCHAR Msr = SerialReadRegister(Ext, UART_MSR);
    Ext->Msr = Msr;
    if (Msr & MSR_DCTS)
        Ext->History |= SERIAL_EV_CTS;
    if (Msr & MSR_DDSR)
        Ext->History |= SERIAL_EV_DSR;
    if (Msr & MSR_DDCD)
        Ext->History |= SERIAL_EV_RLSD;
    if (Msr & MSR_TERI)
        Ext->History |= SERIAL_EV_RING;
}

/* Drain the receive FIFO; bounded so a stuck "data ready" bit cannot hold
 * the interrupt thread forever. */
static VOID SerialDrainReceiver(PSERIAL_EXTENSION Ext)
{
    for (ULONG i = 0; i < 256; i++) {
        UCHAR Lsr = SerialReadRegister(Ext, UART_LSR);
        SerialLineStatus(Ext, Lsr);
        if (!(Lsr & LSR_DR))
            break;
        SerialReceiveByte(Ext, SerialReadRegister(Ext, UART_RBR));
    }
}

/*
 * The ISR (at the line's DIRQL, under the interrupt lock): serve every
 * cause the UART reports until IIR says none is left (the line is edge
 * triggered on the ISA PIC: a cause left pending would never interrupt
 * again), then leave the rest to the DPC.
 */
BOOLEAN SerialIsr(PKINTERRUPT Interrupt, PVOID Context)
{
    PSERIAL_EXTENSION Ext = Context;
    UCHAR Iir = SerialReadRegister(Ext, UART_IIR);
    if (Iir & IIR_NONE)
        return FALSE;
    for (ULONG Round = 0; !(Iir & IIR_NONE) && Round < 16; Round++) {
        switch (Iir & IIR_ID_MASK) {
        case IIR_RLS:
            SerialLineStatus(Ext, SerialReadRegister(Ext, UART_LSR));
            break;
        case IIR_RDA:
        case IIR_TIMEOUT:
            SerialDrainReceiver(Ext);
            break;
        case IIR_MS:
            SerialModemStatus(Ext);
            break;
        default: /* THRE: reading IIR acknowledged it; transmit polls */
            break;
        }
        Iir = SerialReadRegister(Ext, UART_IIR);
    }
    if (!Ext->Open)
        SerialDrainReceiver(Ext); /* a late interrupt after close: drop it */
    KeInsertQueueDpc(&Ext->RxDpc, NULL, NULL);
    return TRUE;
}

static BOOLEAN SerialEnableSync(PVOID Context)
{
    PSERIAL_EXTENSION Ext = Context;
    SerialWriteRegister(Ext, UART_FCR, FCR_SETTING);
    BOOLEAN Fifo = (SerialReadRegister(Ext, UART_IIR) & IIR_FIFO_ON) == IIR_FIFO_ON;
    Ext->TxBurst = Fifo ? SERIAL_TX_BURST : 1;
    Ext->Mcr |= MCR_OUT2;
    SerialWriteRegister(Ext, UART_MCR, Ext->Mcr);
    Ext->Msr = SerialReadRegister(Ext, UART_MSR);
    (void)SerialReadRegister(Ext, UART_LSR);
    while (SerialReadRegister(Ext, UART_LSR) & LSR_DR)
        (void)SerialReadRegister(Ext, UART_RBR); /* what arrived before the open */
    Ext->RxHead = Ext->RxCount = 0;
    Ext->Errors = 0;
    Ext->History = 0;
    SerialWriteRegister(Ext, UART_IER, IER_RDA | IER_RLS | IER_MS);
    return TRUE;
}

/* At open: as Windows' serial.sys, the port interrupts only while open. */
VOID SerialEnableInterrupts(PSERIAL_EXTENSION Ext)
{
    SerialSynchronize(Ext, SerialEnableSync, Ext);
}

static BOOLEAN SerialDisableSync(PVOID Context)
{
    PSERIAL_EXTENSION Ext = Context;
    SerialWriteRegister(Ext, UART_IER, 0);
    return TRUE;
}

VOID SerialDisableInterrupts(PSERIAL_EXTENSION Ext)
{
    SerialSynchronize(Ext, SerialDisableSync, Ext);
}

typedef struct _SERIAL_SYNC_BITS {
    PSERIAL_EXTENSION Ext;
    UCHAR Set, Clear;
    USHORT Divisor;
} SERIAL_SYNC_BITS;

static BOOLEAN SerialSetLcrSync(PVOID Context)
{
    SERIAL_SYNC_BITS *Bits = Context;
    PSERIAL_EXTENSION Ext = Bits->Ext;
    Ext->Lcr = (Ext->Lcr & ~Bits->Clear) | Bits->Set;
    SerialWriteRegister(Ext, UART_LCR, Ext->Lcr);
    return TRUE;
}

VOID SerialSetLcr(PSERIAL_EXTENSION Ext, UCHAR Set, UCHAR Clear)
{
    SERIAL_SYNC_BITS Bits = {Ext, Set, Clear, 0};
    SerialSynchronize(Ext, SerialSetLcrSync, &Bits);
}

static BOOLEAN SerialSetMcrSync(PVOID Context)
{
    SERIAL_SYNC_BITS *Bits = Context;
    PSERIAL_EXTENSION Ext = Bits->Ext;
    Ext->Mcr = (Ext->Mcr & ~Bits->Clear) | Bits->Set;
    SerialWriteRegister(Ext, UART_MCR, Ext->Mcr);
    return TRUE;
}

VOID SerialSetMcr(PSERIAL_EXTENSION Ext, UCHAR Set, UCHAR Clear)
{
    SERIAL_SYNC_BITS Bits = {Ext, Set, Clear, 0};
    SerialSynchronize(Ext, SerialSetMcrSync, &Bits);
}

static BOOLEAN SerialSetDivisorSync(PVOID Context)
{
    SERIAL_SYNC_BITS *Bits = Context;
    PSERIAL_EXTENSION Ext = Bits->Ext;
    SerialWriteRegister(Ext, UART_LCR, Ext->Lcr | LCR_DLAB);
    SerialWriteRegister(Ext, UART_DLL, Bits->Divisor & 0xFF);
    SerialWriteRegister(Ext, UART_DLM, Bits->Divisor >> 8);
    SerialWriteRegister(Ext, UART_LCR, Ext->Lcr);
    return TRUE;
}

/* The rates a 1.8432 MHz 16550 makes within 1%, as serial.sys accepts. */
NTSTATUS SerialSetBaud(PSERIAL_EXTENSION Ext, ULONG BaudRate)
{
    if (BaudRate == 0 || BaudRate > SERIAL_CLOCK)
        return STATUS_INVALID_PARAMETER;
    ULONG Divisor = (SERIAL_CLOCK + BaudRate / 2) / BaudRate;
    if (Divisor == 0 || Divisor > 0xFFFF)
        return STATUS_INVALID_PARAMETER;
    ULONG Actual = SERIAL_CLOCK / Divisor;
    ULONG Diff = Actual > BaudRate ? Actual - BaudRate : BaudRate - Actual;
    if ((ULONGLONG)Diff * 100 > BaudRate)
        return STATUS_INVALID_PARAMETER;
    SERIAL_SYNC_BITS Bits = {Ext, 0, 0, (USHORT)Divisor};
    SerialSynchronize(Ext, SerialSetDivisorSync, &Bits);
    Ext->BaudRate = BaudRate;
    return STATUS_SUCCESS;
}

typedef struct _SERIAL_SYNC_TAKE {
    PSERIAL_EXTENSION Ext;
    PUCHAR Buffer;
    ULONG Length, Taken;
} SERIAL_SYNC_TAKE;

static BOOLEAN SerialTakeSync(PVOID Context)
{
    SERIAL_SYNC_TAKE *Take = Context;
    PSERIAL_EXTENSION Ext = Take->Ext;
    while (Take->Taken < Take->Length && Ext->RxCount) {
        Take->Buffer[Take->Taken++] = Ext->RxBuffer[Ext->RxHead];
        Ext->RxHead = (Ext->RxHead + 1) % Ext->RxSize;
        Ext->RxCount--;
    }
    return TRUE;
}

/* Move up to Length received bytes into Buffer; returns how many. */
ULONG SerialTakeFromRing(PSERIAL_EXTENSION Ext, PUCHAR Buffer, ULONG Length)
{
    SERIAL_SYNC_TAKE Take = {Ext, Buffer, Length, 0};
    SerialSynchronize(Ext, SerialTakeSync, &Take);
    return Take.Taken;
}

static BOOLEAN SerialClearSync(PVOID Context)
{
    PSERIAL_EXTENSION Ext = Context;
    Ext->RxHead = Ext->RxCount = 0;
    SerialWriteRegister(Ext, UART_FCR, FCR_SETTING); /* the receive FIFO too */
    return TRUE;
}

VOID SerialClearRing(PSERIAL_EXTENSION Ext)
{
    SerialSynchronize(Ext, SerialClearSync, Ext);
}

typedef struct _SERIAL_SYNC_RESIZE {
    PSERIAL_EXTENSION Ext;
    PUCHAR NewBuffer, OldBuffer;
    ULONG NewSize;
} SERIAL_SYNC_RESIZE;

static BOOLEAN SerialResizeSync(PVOID Context)
{
    SERIAL_SYNC_RESIZE *Resize = Context;
    PSERIAL_EXTENSION Ext = Resize->Ext;
    ULONG Count = Ext->RxCount;
    for (ULONG i = 0; i < Count; i++)
        Resize->NewBuffer[i] = Ext->RxBuffer[(Ext->RxHead + i) % Ext->RxSize];
    Resize->OldBuffer = Ext->RxBuffer;
    Ext->RxBuffer = Resize->NewBuffer;
    Ext->RxSize = Resize->NewSize;
    Ext->RxHead = 0;
    return TRUE;
}

/* IOCTL_SERIAL_SET_QUEUE_SIZE: the ring only grows, keeping its bytes. */
NTSTATUS SerialResizeRing(PSERIAL_EXTENSION Ext, ULONG NewSize)
{
    if (NewSize <= Ext->RxSize)
        return STATUS_SUCCESS;
    if (NewSize > SERIAL_MAX_BUFFER)
        return STATUS_INSUFFICIENT_RESOURCES;
    PUCHAR Buffer = ExAllocatePoolWithTag(NonPagedPool, NewSize, SERIAL_TAG);
    if (!Buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    SERIAL_SYNC_RESIZE Resize = {Ext, Buffer, NULL, NewSize};
    SerialSynchronize(Ext, SerialResizeSync, &Resize);
    ExFreePoolWithTag(Resize.OldBuffer, SERIAL_TAG);
    return STATUS_SUCCESS;
}
