/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_WRITE: polled transmit. Each time the transmitter is empty
 * (LSR.THRE: with the FIFO on, the whole FIFO is empty) up to 15 bytes go
 * out in one REP OUTSB (WRITE_PORT_BUFFER_UCHAR: one emulated instruction
 * for the burst). 15, not the FIFO's 16, because the kernel's debug output
 * writes the same register after checking THRE alone: if both see it empty
 * at once, 15 of ours and 1 of the kernel's still fit. Without a FIFO
 * (an 8250: IIR bits 6-7 clear at open) a byte at a time.
 *
 * Flow control on output: with SERIAL_CTS/DSR/DCD_HANDSHAKE set (handflow),
 * a byte waits for the modem line. The write's total time-out
 * (WriteTotalTimeoutMultiplier * Length + WriteTotalTimeoutConstant ms; none
 * if both are 0) ends a held write with STATUS_TIMEOUT and the bytes sent.
 * FIXME: the write runs in the dispatch routine, so while flow control holds
 * it the driver serves no other request and cannot see it cancelled; only
 * its time-out ends it. An interrupt-driven transmit queue would fix both.
 */
#include "serial.h"

static UCHAR SerialHandshakeLines(const SERIAL_HANDFLOW *HandFlow)
{
    UCHAR Lines = 0;
    if (HandFlow->ControlHandShake & SERIAL_CTS_HANDSHAKE)
        Lines |= MSR_CTS;
    if (HandFlow->ControlHandShake & SERIAL_DSR_HANDSHAKE)
        Lines |= MSR_DSR;
    if (HandFlow->ControlHandShake & SERIAL_DCD_HANDSHAKE)
        Lines |= MSR_DCD;
    return Lines;
}

/* Wait until the UART takes a byte; FALSE if the timer expired first;
 * Status says which. */
static BOOLEAN SerialWaitTransmitter(PSERIAL_EXTENSION Ext, PKTIMER Timer, UCHAR Lines,
                                     NTSTATUS *Status)
{
    for (ULONG Spins = 0;; Spins++) {
        BOOLEAN Ready = (SerialReadRegister(Ext, UART_LSR) & LSR_THRE) != 0;
        if (Ready && Lines)
            Ready = (SerialReadRegister(Ext, UART_MSR) & Lines) == Lines;
        if (Ready)
            return TRUE;
        if (Timer && KeReadStateTimer(Timer)) {
            *Status = STATUS_TIMEOUT;
            return FALSE;
        }
        if (Spins < 64) {
            KeStallExecutionProcessor(10);
        } else {
            LARGE_INTEGER Delay;
            Delay.QuadPart = -10000; /* 1 ms: a held line, stop spinning */
            KeDelayExecutionThread(KernelMode, FALSE, &Delay);
        }
    }
}

/*
 * Send Length bytes from Data; *Sent says how many went out. Irp (may be
 * NULL) gives the time-out's length. Runs at PASSIVE_LEVEL.
 */
NTSTATUS SerialTransmit(PSERIAL_EXTENSION Ext, PIRP Irp, const UCHAR *Data, ULONG Length,
                        PULONG Sent)
{
    KTIMER Timer;
    PKTIMER Armed = NULL;
    KIRQL Irql;
    NTSTATUS Status = STATUS_SUCCESS;

    KeAcquireSpinLock(&Ext->Lock, &Irql);
    ULONGLONG Ms = (ULONGLONG)Ext->Timeouts.WriteTotalTimeoutMultiplier * Length +
                   Ext->Timeouts.WriteTotalTimeoutConstant;
    UCHAR Lines = SerialHandshakeLines(&Ext->HandFlow);
    Ext->WritePending = Length;
    KeReleaseSpinLock(&Ext->Lock, Irql);
    if (Ms) {
        LARGE_INTEGER Due;
        Due.QuadPart = -(LONGLONG)(Ms * 10000);
        KeInitializeTimer(&Timer);
        KeSetTimer(&Timer, Due, NULL);
        Armed = &Timer;
    }
    *Sent = 0;
    while (*Sent < Length) {
        if (!SerialWaitTransmitter(Ext, Armed, Lines, &Status))
            break;
        ULONG Burst = Length - *Sent < Ext->TxBurst ? Length - *Sent : Ext->TxBurst;
        WRITE_PORT_BUFFER_UCHAR(Ext->Base + UART_THR, (PUCHAR)Data + *Sent, Burst);
        *Sent += Burst;
        InterlockedExchange((PLONG)&Ext->WritePending, Length - *Sent);
    }
    if (Armed)
        KeCancelTimer(Armed);
    InterlockedExchange((PLONG)&Ext->WritePending, 0);
    Ext->Stats.TransmittedCount += *Sent; /* its one writer: the ISR counts receives */
    return Status;
}

NTSTATUS SerialWrite(PSERIAL_EXTENSION Ext, PIRP Irp)
{
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    ULONG Sent = 0;
    NTSTATUS Status = STATUS_SUCCESS;
    if (Length)
        Status = SerialTransmit(Ext, Irp, Irp->AssociatedIrp.SystemBuffer, Length, &Sent);
    if (Sent) {
        KIRQL Irql;
        LIST_ENTRY Done;
        InitializeListHead(&Done);
        KeAcquireSpinLock(&Ext->Lock, &Irql);
        SerialAddEvents(Ext, SERIAL_EV_TXEMPTY); /* polled: the last byte is in the UART */
        SerialServiceWait(Ext, &Done);
        KeReleaseSpinLock(&Ext->Lock, Irql);
        SerialCompleteList(&Done);
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Sent;
    IoCompleteRequest(Irp, IO_SERIAL_INCREMENT);
    return Status;
}
