/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_DEVICE_CONTROL: the IOCTL_SERIAL_* requests (all METHOD_BUFFERED),
 * with the checks and statuses of Windows' serial driver: a buffer shorter
 * than the record gives STATUS_BUFFER_TOO_SMALL, a bad value
 * STATUS_INVALID_PARAMETER, an unknown code STATUS_INVALID_PARAMETER.
 * What this UART driver cannot do gives STATUS_NOT_SUPPORTED (README.md):
 * automatic XON/XOFF, DTR/RTS handshaking and transmit toggle, error and
 * break character replacement, DSR sensitivity, abort on error, LSR/MST
 * insertion, the XOFF counter.
 */
#include "serial.h"

#define SERIAL_CONTROL_SUPPORTED                                                                   \
    (SERIAL_DTR_CONTROL | SERIAL_CTS_HANDSHAKE | SERIAL_DSR_HANDSHAKE | SERIAL_DCD_HANDSHAKE)
#define SERIAL_FLOW_SUPPORTED (SERIAL_RTS_CONTROL | SERIAL_NULL_STRIPPING | SERIAL_XOFF_CONTINUE)

typedef struct _SERIAL_REQUEST {
    PSERIAL_EXTENSION Ext;
    PIRP Irp;
    ULONG InLength, OutLength;
    PVOID Buffer; /* the system buffer: input, then output */
} SERIAL_REQUEST;

static NTSTATUS SerialNeedInput(SERIAL_REQUEST *R, ULONG Size)
{
    return R->InLength < Size ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

/* Check the output length and say how much the answer fills. */
static NTSTATUS SerialNeedOutput(SERIAL_REQUEST *R, ULONG Size)
{
    if (R->OutLength < Size)
        return STATUS_BUFFER_TOO_SMALL;
    R->Irp->IoStatus.Information = Size;
    return STATUS_SUCCESS;
}

static NTSTATUS SerialSetLineControl(SERIAL_REQUEST *R)
{
    const SERIAL_LINE_CONTROL *Lc = R->Buffer;
    static const UCHAR ParityBits[] = {0x00, 0x08, 0x18, 0x28, 0x38}; /* none odd even mark space */
    if (Lc->WordLength < 5 || Lc->WordLength > 8 || Lc->Parity > SPACE_PARITY)
        return STATUS_INVALID_PARAMETER;
    if (Lc->StopBits > STOP_BITS_2 || (Lc->StopBits == STOP_BITS_1_5 && Lc->WordLength != 5) ||
        (Lc->StopBits == STOP_BITS_2 && Lc->WordLength == 5))
        return STATUS_INVALID_PARAMETER;
    UCHAR Lcr = (Lc->WordLength - 5) | ParityBits[Lc->Parity] | (Lc->StopBits ? 0x04 : 0);
    SerialSetLcr(R->Ext, Lcr, 0x3F);
    return STATUS_SUCCESS;
}

static VOID SerialGetLineControl(SERIAL_REQUEST *R)
{
    SERIAL_LINE_CONTROL *Lc = R->Buffer;
    UCHAR Lcr = R->Ext->Lcr;
    static const UCHAR Parity[] = {NO_PARITY, ODD_PARITY,  NO_PARITY, EVEN_PARITY,
                                   NO_PARITY, MARK_PARITY, NO_PARITY, SPACE_PARITY};
    Lc->WordLength = (Lcr & 0x03) + 5;
    Lc->Parity = Parity[(Lcr >> 3) & 7];
    Lc->StopBits = !(Lcr & 0x04) ? STOP_BIT_1 : Lc->WordLength == 5 ? STOP_BITS_1_5 : STOP_BITS_2;
}

/* Raise or drop DTR and RTS as the handflow's control modes say. */
static VOID SerialApplyHandFlow(PSERIAL_EXTENSION Ext)
{
    UCHAR Set = 0, Clear = 0;
    if ((Ext->HandFlow.ControlHandShake & SERIAL_DTR_MASK) == SERIAL_DTR_CONTROL)
        Set |= MCR_DTR;
    else
        Clear |= MCR_DTR;
    if ((Ext->HandFlow.FlowReplace & SERIAL_RTS_MASK) == SERIAL_RTS_CONTROL)
        Set |= MCR_RTS;
    else
        Clear |= MCR_RTS;
    SerialSetMcr(Ext, Set, Clear);
}

static NTSTATUS SerialSetHandFlow(SERIAL_REQUEST *R)
{
    const SERIAL_HANDFLOW *Hf = R->Buffer;
    PSERIAL_EXTENSION Ext = R->Ext;
    if ((Hf->ControlHandShake & SERIAL_CONTROL_INVALID) ||
        (Hf->FlowReplace & SERIAL_FLOW_INVALID) ||
        (Hf->ControlHandShake & SERIAL_DTR_MASK) == SERIAL_DTR_MASK)
        return STATUS_INVALID_PARAMETER;
    if (Hf->XonLimit < 0 || (ULONG)Hf->XonLimit > Ext->RxSize || Hf->XoffLimit < 0 ||
        (ULONG)Hf->XoffLimit > Ext->RxSize)
        return STATUS_INVALID_PARAMETER;
    if ((Hf->ControlHandShake & ~SERIAL_CONTROL_SUPPORTED) ||
        (Hf->FlowReplace & ~SERIAL_FLOW_SUPPORTED))
        return STATUS_NOT_SUPPORTED;
    Ext->HandFlow = *Hf;
    SerialApplyHandFlow(Ext);
    return STATUS_SUCCESS;
}

static NTSTATUS SerialSetTimeouts(SERIAL_REQUEST *R)
{
    const SERIAL_TIMEOUTS *T = R->Buffer;
    if (T->ReadIntervalTimeout == MAXULONG && T->ReadTotalTimeoutMultiplier == MAXULONG &&
        T->ReadTotalTimeoutConstant == MAXULONG)
        return STATUS_INVALID_PARAMETER;
    R->Ext->Timeouts = *T;
    return STATUS_SUCCESS;
}

/* Settings: baud rate, line control, special characters, handflow, time-outs. */
static NTSTATUS SerialSettingsIoctl(SERIAL_REQUEST *R, ULONG Code)
{
    PSERIAL_EXTENSION Ext = R->Ext;
    NTSTATUS Status;
    switch (Code) {
    case IOCTL_SERIAL_SET_BAUD_RATE:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_BAUD_RATE))))
            return Status;
        return SerialSetBaud(Ext, ((PSERIAL_BAUD_RATE)R->Buffer)->BaudRate);
    case IOCTL_SERIAL_GET_BAUD_RATE:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_BAUD_RATE))))
            return Status;
        ((PSERIAL_BAUD_RATE)R->Buffer)->BaudRate = Ext->BaudRate;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_LINE_CONTROL:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_LINE_CONTROL))))
            return Status;
        return SerialSetLineControl(R);
    case IOCTL_SERIAL_GET_LINE_CONTROL:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_LINE_CONTROL))))
            return Status;
        SerialGetLineControl(R);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_CHARS:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_CHARS))))
            return Status;
        Ext->Chars = *(PSERIAL_CHARS)R->Buffer;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_CHARS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_CHARS))))
            return Status;
        *(PSERIAL_CHARS)R->Buffer = Ext->Chars;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_HANDFLOW:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_HANDFLOW))))
            return Status;
        return SerialSetHandFlow(R);
    case IOCTL_SERIAL_GET_HANDFLOW:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_HANDFLOW))))
            return Status;
        *(PSERIAL_HANDFLOW)R->Buffer = Ext->HandFlow;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_TIMEOUTS:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_TIMEOUTS))))
            return Status;
        return SerialSetTimeouts(R);
    case IOCTL_SERIAL_GET_TIMEOUTS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_TIMEOUTS))))
            return Status;
        *(PSERIAL_TIMEOUTS)R->Buffer = Ext->Timeouts;
        return STATUS_SUCCESS;
    }
    return STATUS_INVALID_PARAMETER;
}

typedef struct _SERIAL_SYNC_READ {
    PSERIAL_EXTENSION Ext;
    PVOID Out;
} SERIAL_SYNC_READ;

static BOOLEAN SerialModemStatusSync(PVOID Context)
{
    SERIAL_SYNC_READ *Sync = Context;
    Sync->Ext->Msr = SerialReadRegister(Sync->Ext, UART_MSR);
    *(PULONG)Sync->Out = Sync->Ext->Msr;
    return TRUE;
}

/* The modem lines: DTR, RTS, break, modem control and status. */
static NTSTATUS SerialModemIoctl(SERIAL_REQUEST *R, ULONG Code)
{
    PSERIAL_EXTENSION Ext = R->Ext;
    NTSTATUS Status;
    SERIAL_SYNC_READ Sync = {Ext, R->Buffer};
    switch (Code) {
    case IOCTL_SERIAL_SET_DTR:
    case IOCTL_SERIAL_CLR_DTR:
        if ((Ext->HandFlow.ControlHandShake & SERIAL_DTR_MASK) == SERIAL_DTR_HANDSHAKE)
            return STATUS_INVALID_PARAMETER;
        SerialSetMcr(Ext, Code == IOCTL_SERIAL_SET_DTR ? MCR_DTR : 0, MCR_DTR);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_RTS:
    case IOCTL_SERIAL_CLR_RTS:
        if ((Ext->HandFlow.FlowReplace & SERIAL_RTS_MASK) == SERIAL_RTS_HANDSHAKE ||
            (Ext->HandFlow.FlowReplace & SERIAL_RTS_MASK) == SERIAL_TRANSMIT_TOGGLE)
            return STATUS_INVALID_PARAMETER;
        SerialSetMcr(Ext, Code == IOCTL_SERIAL_SET_RTS ? MCR_RTS : 0, MCR_RTS);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_BREAK_ON:
    case IOCTL_SERIAL_SET_BREAK_OFF:
        SerialSetLcr(Ext, Code == IOCTL_SERIAL_SET_BREAK_ON ? LCR_BREAK : 0, LCR_BREAK);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_DTRRTS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(ULONG))))
            return Status;
        *(PULONG)R->Buffer = Ext->Mcr & (SERIAL_DTR_STATE | SERIAL_RTS_STATE);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_MODEM_CONTROL:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(ULONG))))
            return Status;
        *(PULONG)R->Buffer = Ext->Mcr & 0x1F;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_SET_MODEM_CONTROL:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(ULONG))))
            return Status;
        /* OUT2 stays on: on a PC it gates the UART's interrupt line. */
        SerialSetMcr(Ext, (*(PULONG)R->Buffer & 0x1F) | MCR_OUT2, 0x1F);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_MODEMSTATUS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(ULONG))))
            return Status;
        SerialSynchronize(Ext, SerialModemStatusSync, &Sync);
        return STATUS_SUCCESS;
    }
    return STATUS_INVALID_PARAMETER;
}

static BOOLEAN SerialCommStatusSync(PVOID Context)
{
    SERIAL_SYNC_READ *Sync = Context;
    PSERIAL_EXTENSION Ext = Sync->Ext;
    PSERIAL_STATUS St = Sync->Out;
    RtlZeroMemory(St, sizeof(*St));
    St->Errors = Ext->Errors;
    Ext->Errors = 0;
    St->AmountInInQueue = Ext->RxCount;
    St->AmountInOutQueue = Ext->WritePending;
    UCHAR Msr = Ext->Msr;
    ULONG Hs = Ext->HandFlow.ControlHandShake;
    if ((Hs & SERIAL_CTS_HANDSHAKE) && !(Msr & MSR_CTS))
        St->HoldReasons |= SERIAL_TX_WAITING_FOR_CTS;
    if ((Hs & SERIAL_DSR_HANDSHAKE) && !(Msr & MSR_DSR))
        St->HoldReasons |= SERIAL_TX_WAITING_FOR_DSR;
    if ((Hs & SERIAL_DCD_HANDSHAKE) && !(Msr & MSR_DCD))
        St->HoldReasons |= SERIAL_TX_WAITING_FOR_DCD;
    if (Ext->Lcr & LCR_BREAK)
        St->HoldReasons |= SERIAL_TX_WAITING_ON_BREAK;
    return TRUE;
}

static BOOLEAN SerialStatsSync(PVOID Context)
{
    SERIAL_SYNC_READ *Sync = Context;
    if (Sync->Out)
        *(PSERIALPERF_STATS)Sync->Out = Sync->Ext->Stats;
    else
        RtlZeroMemory(&Sync->Ext->Stats, sizeof(Sync->Ext->Stats));
    return TRUE;
}

static VOID SerialGetProperties(PSERIAL_EXTENSION Ext, PSERIAL_COMMPROP P)
{
    RtlZeroMemory(P, sizeof(*P));
    P->PacketLength = sizeof(SERIAL_COMMPROP);
    P->PacketVersion = 2;
    P->ServiceMask = SERIAL_SP_SERIALCOMM;
    P->MaxBaud = SERIAL_BAUD_USER;
    P->ProvSubType = SERIAL_SP_RS232;
    P->ProvCapabilities = SERIAL_PCF_DTRDSR | SERIAL_PCF_RTSCTS | SERIAL_PCF_CD |
                          SERIAL_PCF_TOTALTIMEOUTS | SERIAL_PCF_INTTIMEOUTS;
    P->SettableParams = SERIAL_SP_PARITY | SERIAL_SP_BAUD | SERIAL_SP_DATABITS |
                        SERIAL_SP_STOPBITS | SERIAL_SP_HANDSHAKING | SERIAL_SP_CARRIER_DETECT;
    P->SettableBaud = SERIAL_BAUD_075 | SERIAL_BAUD_110 | SERIAL_BAUD_150 | SERIAL_BAUD_300 |
                      SERIAL_BAUD_600 | SERIAL_BAUD_1200 | SERIAL_BAUD_1800 | SERIAL_BAUD_2400 |
                      SERIAL_BAUD_4800 | SERIAL_BAUD_7200 | SERIAL_BAUD_9600 | SERIAL_BAUD_14400 |
                      SERIAL_BAUD_19200 | SERIAL_BAUD_38400 | SERIAL_BAUD_56K | SERIAL_BAUD_57600 |
                      SERIAL_BAUD_115200 | SERIAL_BAUD_USER;
    P->SettableData = SERIAL_DATABITS_5 | SERIAL_DATABITS_6 | SERIAL_DATABITS_7 | SERIAL_DATABITS_8;
    P->SettableStopParity = SERIAL_STOPBITS_10 | SERIAL_STOPBITS_15 | SERIAL_STOPBITS_20 |
                            SERIAL_PARITY_NONE | SERIAL_PARITY_ODD | SERIAL_PARITY_EVEN |
                            SERIAL_PARITY_MARK | SERIAL_PARITY_SPACE;
    P->CurrentRxQueue = Ext->RxSize;
}

static NTSTATUS SerialPurge(PSERIAL_EXTENSION Ext, ULONG Mask)
{
    if (!Mask || (Mask & ~(SERIAL_PURGE_TXABORT | SERIAL_PURGE_RXABORT | SERIAL_PURGE_TXCLEAR |
                           SERIAL_PURGE_RXCLEAR)))
        return STATUS_INVALID_PARAMETER;
    if (Mask & SERIAL_PURGE_RXABORT)
        SerialCancelAllReads(Ext);
    if (Mask & SERIAL_PURGE_RXCLEAR)
        SerialClearRing(Ext);
    /* TXABORT/TXCLEAR: a write completes in its own dispatch routine, so
     * none is in progress or queued here; the transmit FIFO is left alone
     * (it may hold the kernel's debug output). */
    return STATUS_SUCCESS;
}

/* Queues and status: purge, sizes, wait mask, status, statistics, properties. */
static NTSTATUS SerialQueueIoctl(SERIAL_REQUEST *R, ULONG Code)
{
    PSERIAL_EXTENSION Ext = R->Ext;
    NTSTATUS Status;
    SERIAL_SYNC_READ Sync = {Ext, R->Buffer};
    switch (Code) {
    case IOCTL_SERIAL_PURGE:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(ULONG))))
            return Status;
        return SerialPurge(Ext, *(PULONG)R->Buffer);
    case IOCTL_SERIAL_SET_QUEUE_SIZE:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(SERIAL_QUEUE_SIZE))))
            return Status;
        return SerialResizeRing(Ext, ((PSERIAL_QUEUE_SIZE)R->Buffer)->InSize);
    case IOCTL_SERIAL_SET_WAIT_MASK:
        if (!NT_SUCCESS(Status = SerialNeedInput(R, sizeof(ULONG))))
            return Status;
        return SerialSetWaitMask(Ext, *(PULONG)R->Buffer);
    case IOCTL_SERIAL_GET_WAIT_MASK:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(ULONG))))
            return Status;
        *(PULONG)R->Buffer = Ext->WaitMask;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_COMMSTATUS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_STATUS))))
            return Status;
        SerialSynchronize(Ext, SerialCommStatusSync, &Sync);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_STATS:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIALPERF_STATS))))
            return Status;
        SerialSynchronize(Ext, SerialStatsSync, &Sync);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_CLEAR_STATS:
        Sync.Out = NULL;
        SerialSynchronize(Ext, SerialStatsSync, &Sync);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_GET_PROPERTIES:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(SERIAL_COMMPROP))))
            return Status;
        SerialGetProperties(Ext, R->Buffer);
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_CONFIG_SIZE:
        if (!NT_SUCCESS(Status = SerialNeedOutput(R, sizeof(ULONG))))
            return Status;
        *(PULONG)R->Buffer = 0;
        return STATUS_SUCCESS;
    case IOCTL_SERIAL_RESET_DEVICE:
        return STATUS_SUCCESS; /* as serial.sys: nothing to do */
    }
    return STATUS_INVALID_PARAMETER;
}

NTSTATUS SerialDeviceControl(PSERIAL_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    SERIAL_REQUEST R = {Ext, Irp, Stack->Parameters.DeviceIoControl.InputBufferLength,
                        Stack->Parameters.DeviceIoControl.OutputBufferLength,
                        Irp->AssociatedIrp.SystemBuffer};
    NTSTATUS Status;
    ULONG Sent;
    Irp->IoStatus.Information = 0;
    switch (Code) {
    case IOCTL_SERIAL_WAIT_ON_MASK:
        if (!NT_SUCCESS(Status = SerialNeedOutput(&R, sizeof(ULONG))))
            break;
        Irp->IoStatus.Information = 0;
        return SerialWaitOnMask(Ext, Irp); /* completes or pends Irp itself */
    case IOCTL_SERIAL_IMMEDIATE_CHAR:
        if (!NT_SUCCESS(Status = SerialNeedInput(&R, sizeof(UCHAR))))
            break;
        Status = SerialTransmit(Ext, Irp, R.Buffer, 1, &Sent);
        break;
    case IOCTL_SERIAL_SET_XON:
    case IOCTL_SERIAL_SET_XOFF:
    case IOCTL_SERIAL_XOFF_COUNTER:
    case IOCTL_SERIAL_LSRMST_INSERT:
        Status = STATUS_NOT_SUPPORTED;
        break;
    case IOCTL_SERIAL_SET_FIFO_CONTROL:
        if (NT_SUCCESS(Status = SerialNeedInput(&R, sizeof(ULONG))))
            SerialWriteRegister(Ext, UART_FCR, (UCHAR) * (PULONG)R.Buffer);
        break;
    case IOCTL_SERIAL_SET_BAUD_RATE:
    case IOCTL_SERIAL_GET_BAUD_RATE:
    case IOCTL_SERIAL_SET_LINE_CONTROL:
    case IOCTL_SERIAL_GET_LINE_CONTROL:
    case IOCTL_SERIAL_SET_CHARS:
    case IOCTL_SERIAL_GET_CHARS:
    case IOCTL_SERIAL_SET_HANDFLOW:
    case IOCTL_SERIAL_GET_HANDFLOW:
    case IOCTL_SERIAL_SET_TIMEOUTS:
    case IOCTL_SERIAL_GET_TIMEOUTS:
        Status = SerialSettingsIoctl(&R, Code);
        break;
    case IOCTL_SERIAL_SET_DTR:
    case IOCTL_SERIAL_CLR_DTR:
    case IOCTL_SERIAL_SET_RTS:
    case IOCTL_SERIAL_CLR_RTS:
    case IOCTL_SERIAL_SET_BREAK_ON:
    case IOCTL_SERIAL_SET_BREAK_OFF:
    case IOCTL_SERIAL_GET_DTRRTS:
    case IOCTL_SERIAL_GET_MODEM_CONTROL:
    case IOCTL_SERIAL_SET_MODEM_CONTROL:
    case IOCTL_SERIAL_GET_MODEMSTATUS:
        Status = SerialModemIoctl(&R, Code);
        break;
    default: /* unknown codes end there with STATUS_INVALID_PARAMETER */
        Status = SerialQueueIoctl(&R, Code);
        break;
    }
    if (!NT_SUCCESS(Status))
        Irp->IoStatus.Information = 0;
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}
