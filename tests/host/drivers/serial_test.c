/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of serial.sys's UART, read, wait and write code
 * (drivers/serial/serial/{uart,read,wait,write,ioctl}.c) against a simulated
 * 16550 behind the port doubles of fake.c, under ASan/UBSan: the settings
 * read at load and the baud divisor, the ISR filling the ring, every
 * SERIAL_TIMEOUTS form of a read (at once, full length, first byte, total,
 * interval), a timer DPC that comes after its read ended, cancel, the wait
 * mask, line errors, queue overrun, NULL stripping, resize, a write's
 * bytes on the line, and the IOCTL_SERIAL_* requests with their checks. Suite "drivers"
 * (drivers_test.c runs it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "drvtest.h"
#include "serial.h"

/* ---- the simulated 16550 at COM1 ------------------------------------------------------ */

static struct {
    UCHAR Rx[512];
    ULONG RxHead, RxCount;
    UCHAR Ier, Lcr, Mcr, Msr, Scr, Dll, Dlm, Fcr, LsrErrors;
    UCHAR Tx[512];
    ULONG TxCount;
} Uart;

static UCHAR UartRead(unsigned int Port)
{
    BOOLEAN Dlab = (Uart.Lcr & LCR_DLAB) != 0;
    UCHAR Lsr;
    switch (Port - SERIAL_PORT_BASE) {
    case UART_RBR:
        if (Dlab)
            return Uart.Dll;
        if (!Uart.RxCount)
            return 0;
        Uart.RxCount--;
        return Uart.Rx[Uart.RxHead++ % sizeof(Uart.Rx)];
    case UART_IER:
        return Dlab ? Uart.Dlm : Uart.Ier;
    case UART_IIR:
        if ((Uart.Ier & IER_RLS) && Uart.LsrErrors)
            return 0xC0 | IIR_RLS;
        if ((Uart.Ier & IER_RDA) && Uart.RxCount)
            return 0xC0 | IIR_RDA;
        return 0xC0 | IIR_NONE;
    case UART_LCR:
        return Uart.Lcr;
    case UART_MCR:
        return Uart.Mcr;
    case UART_LSR:
        Lsr = (Uart.RxCount ? LSR_DR : 0) | Uart.LsrErrors | LSR_THRE | 0x40;
        Uart.LsrErrors = 0;
        return Lsr;
    case UART_MSR:
        return Uart.Msr;
    default:
        return Uart.Scr;
    }
}

static VOID UartWrite(unsigned int Port, UCHAR Value)
{
    BOOLEAN Dlab = (Uart.Lcr & LCR_DLAB) != 0;
    switch (Port - SERIAL_PORT_BASE) {
    case UART_THR:
        if (Dlab)
            Uart.Dll = Value;
        else if (Uart.TxCount < sizeof(Uart.Tx))
            Uart.Tx[Uart.TxCount++] = Value;
        break;
    case UART_IER:
        if (Dlab)
            Uart.Dlm = Value;
        else
            Uart.Ier = Value;
        break;
    case UART_FCR:
        Uart.Fcr = Value;
        if (Value & 0x02)
            Uart.RxCount = 0;
        break;
    case UART_LCR:
        Uart.Lcr = Value;
        break;
    case UART_MCR:
        Uart.Mcr = Value;
        break;
    case UART_SCR:
        Uart.Scr = Value;
        break;
    }
}

/* ---- fixture -------------------------------------------------------------------------------- */

static SERIAL_EXTENSION Ext;
static DEVICE_OBJECT Device = {&Ext};

static void Setup(void)
{
    memset(&Uart, 0, sizeof(Uart));
    Uart.Dll = 1; /* what the kernel programs: 115200 8N1 */
    Uart.Lcr = 0x03;
    Uart.Msr = MSR_CTS | MSR_DSR | MSR_DCD;
    FakeReset(UartRead, UartWrite);
    memset(&Ext, 0, sizeof(Ext));
    Ext.Base = (PUCHAR)SERIAL_PORT_BASE;
    KeInitializeSpinLock(&Ext.Lock);
    InitializeListHead(&Ext.ReadQueue);
    KeInitializeDpc(&Ext.RxDpc, SerialRxDpc, &Ext);
    KeInitializeDpc(&Ext.TotalDpc, SerialTotalTimeoutDpc, &Ext);
    KeInitializeDpc(&Ext.IntervalDpc, SerialIntervalTimeoutDpc, &Ext);
    KeInitializeTimer(&Ext.TotalTimer);
    KeInitializeTimer(&Ext.IntervalTimer);
    Ext.RxBuffer = malloc(SERIAL_DEFAULT_BUFFER); /* the driver frees it on a resize */
    Ext.RxSize = SERIAL_DEFAULT_BUFFER;
    SerialReadInitialSettings(&Ext);
    Ext.Interrupt = (PKINTERRUPT)&Uart; /* never dereferenced by the doubles */
    Ext.Open = TRUE;
    SerialEnableInterrupts(&Ext);
}

/* Bytes on the line: the UART interrupts, the ISR runs, then its DPC. */
static void Arrive(const char *Bytes, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        Uart.Rx[(Uart.RxHead + Uart.RxCount++) % sizeof(Uart.Rx)] = (UCHAR)Bytes[i];
    SerialIsr(Ext.Interrupt, &Ext);
    if (Ext.RxDpc.Queued)
        FakeRunDpc(&Ext.RxDpc);
}

static void SetTimeouts(ULONG Interval, ULONG Multiplier, ULONG Constant)
{
    SERIAL_TIMEOUTS T = {Interval, Multiplier, Constant, 0, 0};
    Ext.Timeouts = T;
}

static NTSTATUS StartRead(PIRP Irp, UCHAR *Buffer, ULONG Length)
{
    memset(Irp, 0, sizeof(*Irp));
    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Irp->Stack.Parameters.Read.Length = Length;
    return SerialRead(&Ext, Irp);
}

static NTSTATUS StartWait(PIRP Irp, ULONG *Events)
{
    memset(Irp, 0, sizeof(*Irp));
    Irp->AssociatedIrp.SystemBuffer = Events;
    return SerialWaitOnMask(&Ext, Irp);
}

static BOOLEAN Done(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    return Irp->Completions == 1 && Irp->IoStatus.Status == Status &&
           Irp->IoStatus.Information == Information;
}

/* ---- tests ------------------------------------------------------------------------------------
 */

static void TestSettingsAndBaud(void)
{
    EXPECT(Ext.BaudRate == 115200 && Ext.Lcr == 0x03 && Uart.Lcr == 0x03);
    EXPECT(SerialSetBaud(&Ext, 9600) == STATUS_SUCCESS);
    EXPECT(Uart.Dll == 12 && Uart.Dlm == 0 && Uart.Lcr == 0x03 && Ext.BaudRate == 9600);
    EXPECT(SerialSetBaud(&Ext, 50) == STATUS_SUCCESS && Uart.Dll == 0x00 && Uart.Dlm == 0x09);
    EXPECT(SerialSetBaud(&Ext, 110) == STATUS_SUCCESS); /* divisor 1047: 0.03% off */
    EXPECT(SerialSetBaud(&Ext, 12345) == STATUS_INVALID_PARAMETER);
    EXPECT(SerialSetBaud(&Ext, 0) == STATUS_INVALID_PARAMETER);
    EXPECT(SerialSetBaud(&Ext, 1) == STATUS_INVALID_PARAMETER); /* divisor past 16 bits */
    EXPECT(Ext.BaudRate == 110);
    EXPECT(Ext.TxBurst == SERIAL_TX_BURST); /* the simulated UART reports its FIFO */
    EXPECT(Uart.Ier == (IER_RDA | IER_RLS | IER_MS) && (Uart.Mcr & MCR_OUT2));
}

static void TestReadAtOnce(void)
{
    UCHAR Buffer[8];
    IRP Irp;
    SetTimeouts(MAXULONG, 0, 0);
    EXPECT(StartRead(&Irp, Buffer, 8) == STATUS_PENDING && Done(&Irp, STATUS_SUCCESS, 0));
    Arrive("ab", 2);
    StartRead(&Irp, Buffer, 8);
    EXPECT(Done(&Irp, STATUS_SUCCESS, 2) && memcmp(Buffer, "ab", 2) == 0);
    EXPECT(!Ext.TotalTimer.Armed && IsListEmpty(&Ext.ReadQueue));
}

static void TestReadFullLength(void)
{
    UCHAR Buffer[4], Rest[4];
    IRP Irp, Next;
    SetTimeouts(0, 0, 0);
    StartRead(&Irp, Buffer, 4);
    EXPECT(Irp.Completions == 0 && !Ext.TotalTimer.Armed);
    Arrive("ab", 2);
    EXPECT(Irp.Completions == 0 && Irp.IoStatus.Information == 2);
    Arrive("cde", 3);
    EXPECT(Done(&Irp, STATUS_SUCCESS, 4) && memcmp(Buffer, "abcd", 4) == 0);
    SetTimeouts(MAXULONG, 0, 0);
    StartRead(&Next, Rest, 4);
    EXPECT(Done(&Next, STATUS_SUCCESS, 1) && Rest[0] == 'e');
}

static void TestReadFirstByte(void)
{
    UCHAR Buffer[8];
    IRP Irp;
    SetTimeouts(MAXULONG, MAXULONG, 100);
    StartRead(&Irp, Buffer, 8);
    EXPECT(Irp.Completions == 0);
    EXPECT(Ext.TotalTimer.Armed && Ext.TotalTimer.Due == -100 * 10000);
    Arrive("x", 1);
    EXPECT(Done(&Irp, STATUS_SUCCESS, 1) && Buffer[0] == 'x');
    EXPECT(!Ext.TotalTimer.Armed);
    StartRead(&Irp, Buffer, 8);
    FakeExpire(&Ext.TotalTimer);
    FakeRunDpc(&Ext.TotalDpc);
    EXPECT(Done(&Irp, STATUS_TIMEOUT, 0));
}

static void TestReadTotalTimeout(void)
{
    UCHAR Buffer[4];
    IRP Irp;
    SetTimeouts(0, 10, 20);
    StartRead(&Irp, Buffer, 4);
    EXPECT(Ext.TotalTimer.Armed && Ext.TotalTimer.Due == -(10 * 4 + 20) * 10000);
    Arrive("k", 1);
    EXPECT(Irp.Completions == 0);
    FakeExpire(&Ext.TotalTimer);
    FakeRunDpc(&Ext.TotalDpc);
    EXPECT(Done(&Irp, STATUS_TIMEOUT, 1) && Buffer[0] == 'k');
}

static void TestReadIntervalTimeout(void)
{
    UCHAR Buffer[4];
    IRP Irp;
    SetTimeouts(5, 0, 0);
    StartRead(&Irp, Buffer, 4);
    EXPECT(!Ext.IntervalTimer.Armed); /* the interval starts with the first byte */
    Arrive("a", 1);
    EXPECT(Ext.IntervalTimer.Armed && Ext.IntervalTimer.Due == -5 * 10000);
    Arrive("b", 1);
    EXPECT(Irp.Completions == 0);
    FakeExpire(&Ext.IntervalTimer);
    FakeRunDpc(&Ext.IntervalDpc);
    EXPECT(Done(&Irp, STATUS_TIMEOUT, 2) && memcmp(Buffer, "ab", 2) == 0);
}

static void TestStaleTimerDpc(void)
{
    UCHAR A[1], B[1];
    IRP First, Second;
    SetTimeouts(0, 0, 50);
    StartRead(&First, A, 1);
    FakeExpire(&Ext.TotalTimer); /* expired, its DPC not yet run ... */
    Arrive("z", 1);              /* ... when the byte completes the read */
    EXPECT(Done(&First, STATUS_SUCCESS, 1));
    StartRead(&Second, B, 1);
    FakeRunDpc(&Ext.TotalDpc);
    EXPECT(Second.Completions == 0); /* the next read's timer is its own */
    FakeCancel(&Device, &Second);
    /* Again with a next read that has no total time-out at all. */
    StartRead(&First, A, 1);
    FakeExpire(&Ext.TotalTimer);
    Arrive("y", 1);
    EXPECT(Done(&First, STATUS_SUCCESS, 1));
    SetTimeouts(0, 0, 0);
    StartRead(&Second, B, 1);
    FakeRunDpc(&Ext.TotalDpc);
    EXPECT(Second.Completions == 0);
    FakeCancel(&Device, &Second);
}

static void TestReadCancel(void)
{
    UCHAR A[4], B[4];
    IRP First, Second;
    SetTimeouts(0, 0, 0);
    StartRead(&First, A, 4);
    StartRead(&Second, B, 2);
    Arrive("ab", 2);
    FakeCancel(&Device, &First);
    EXPECT(Done(&First, STATUS_CANCELLED, 2)); /* with the bytes it got */
    EXPECT(!FakeCancelLockHeld());
    Arrive("cd", 2);
    EXPECT(Done(&Second, STATUS_SUCCESS, 2) && memcmp(B, "cd", 2) == 0);
    StartRead(&First, A, 4);
    StartRead(&Second, B, 4);
    SerialCancelAllReads(&Ext);
    EXPECT(Done(&First, STATUS_CANCELLED, 0) && Done(&Second, STATUS_CANCELLED, 0));
    EXPECT(IsListEmpty(&Ext.ReadQueue));
}

static void TestWaitMask(void)
{
    ULONG Events = 0, Other = 0;
    IRP Wait, Second;
    EXPECT(SerialSetWaitMask(&Ext, 0x2000) == STATUS_INVALID_PARAMETER);
    EXPECT(StartWait(&Wait, &Events) == STATUS_INVALID_PARAMETER); /* no mask */
    EXPECT(SerialSetWaitMask(&Ext, SERIAL_EV_RXCHAR | SERIAL_EV_TXEMPTY) == STATUS_SUCCESS);
    EXPECT(StartWait(&Wait, &Events) == STATUS_PENDING);
    EXPECT(StartWait(&Second, &Other) == STATUS_INVALID_PARAMETER); /* one at a time */
    Arrive("q", 1);
    EXPECT(Done(&Wait, STATUS_SUCCESS, sizeof(ULONG)) && Events == SERIAL_EV_RXCHAR);
    Arrive("r", 1);
    EXPECT(StartWait(&Wait, &Events) == STATUS_SUCCESS && Events == SERIAL_EV_RXCHAR);
    EXPECT(StartWait(&Wait, &Events) == STATUS_PENDING);
    EXPECT(SerialSetWaitMask(&Ext, SERIAL_EV_RXCHAR) == STATUS_SUCCESS);
    EXPECT(Done(&Wait, STATUS_SUCCESS, sizeof(ULONG)) && Events == 0);
    EXPECT(StartWait(&Wait, &Events) == STATUS_PENDING);
    FakeCancel(&Device, &Wait);
    EXPECT(Done(&Wait, STATUS_CANCELLED, 0) && Ext.WaitIrp == NULL);
}

static void TestLineErrorsAndEvents(void)
{
    ULONG Events = 0;
    IRP Wait;
    SerialSetWaitMask(&Ext, SERIAL_EV_ERR | SERIAL_EV_PERR | SERIAL_EV_RXFLAG);
    Uart.LsrErrors = LSR_OE | LSR_PE;
    EXPECT(SerialIsr(Ext.Interrupt, &Ext));
    FakeRunDpc(&Ext.RxDpc);
    EXPECT(Ext.Errors == (SERIAL_ERROR_OVERRUN | SERIAL_ERROR_PARITY));
    Ext.Chars.EventChar = '!';
    Arrive("!", 1);
    EXPECT(StartWait(&Wait, &Events) == STATUS_SUCCESS);
    EXPECT(Events == (SERIAL_EV_ERR | SERIAL_EV_PERR | SERIAL_EV_RXFLAG));
    EXPECT(SerialIsr(Ext.Interrupt, &Ext) == FALSE); /* nothing pending: not ours */
}

static void TestOverrunAndStripping(void)
{
    char Chunk[200];
    memset(Chunk, 'o', sizeof(Chunk));
    for (int i = 0; i < 21; i++)
        Arrive(Chunk, sizeof(Chunk));
    EXPECT(Ext.RxCount == SERIAL_DEFAULT_BUFFER);
    EXPECT(Ext.Stats.BufferOverrunErrorCount == 21 * 200 - SERIAL_DEFAULT_BUFFER);
    EXPECT(Ext.Errors & SERIAL_ERROR_QUEUEOVERRUN);
    EXPECT(Ext.History & SERIAL_EV_RX80FULL);
    SerialClearRing(&Ext);
    EXPECT(Ext.RxCount == 0);
    Ext.HandFlow.FlowReplace = SERIAL_NULL_STRIPPING;
    Arrive("a\0b", 3);
    EXPECT(Ext.RxCount == 2 && Ext.Stats.ReceivedCount == 21 * 200 + 3);
}

static void TestResize(void)
{
    UCHAR Buffer[4];
    IRP Irp;
    Arrive("xyz", 3);
    EXPECT(SerialResizeRing(&Ext, 100) == STATUS_SUCCESS && Ext.RxSize == SERIAL_DEFAULT_BUFFER);
    EXPECT(SerialResizeRing(&Ext, 8192) == STATUS_SUCCESS && Ext.RxSize == 8192);
    EXPECT(SerialResizeRing(&Ext, SERIAL_MAX_BUFFER + 1) == STATUS_INSUFFICIENT_RESOURCES);
    SetTimeouts(MAXULONG, 0, 0);
    StartRead(&Irp, Buffer, 4);
    EXPECT(Done(&Irp, STATUS_SUCCESS, 3) && memcmp(Buffer, "xyz", 3) == 0);
}

static void TestWrite(void)
{
    char Data[40];
    ULONG Events = 0;
    IRP Irp, Wait;
    for (int i = 0; i < 40; i++)
        Data[i] = (char)('A' + i % 26);
    SerialSetWaitMask(&Ext, SERIAL_EV_TXEMPTY);
    memset(&Irp, 0, sizeof(Irp));
    Irp.AssociatedIrp.SystemBuffer = Data;
    Irp.Stack.Parameters.Write.Length = sizeof(Data);
    EXPECT(SerialWrite(&Ext, &Irp) == STATUS_SUCCESS);
    EXPECT(Done(&Irp, STATUS_SUCCESS, sizeof(Data)));
    EXPECT(Uart.TxCount == sizeof(Data) && memcmp(Uart.Tx, Data, sizeof(Data)) == 0);
    EXPECT(Ext.Stats.TransmittedCount == sizeof(Data) && Ext.WritePending == 0);
    EXPECT(StartWait(&Wait, &Events) == STATUS_SUCCESS && Events == SERIAL_EV_TXEMPTY);
}

static NTSTATUS Ioctl(ULONG Code, PVOID Buffer, ULONG In, ULONG Out, ULONG_PTR *Information)
{
    IRP Irp;
    memset(&Irp, 0, sizeof(Irp));
    Irp.AssociatedIrp.SystemBuffer = Buffer;
    Irp.Stack.Parameters.DeviceIoControl.OutputBufferLength = Out;
    Irp.Stack.Parameters.DeviceIoControl.InputBufferLength = In;
    Irp.Stack.Parameters.DeviceIoControl.IoControlCode = Code;
    NTSTATUS Status = SerialDeviceControl(&Ext, &Irp);
    if (Information)
        *Information = Irp.IoStatus.Information;
    if (Status != STATUS_PENDING)
        EXPECT(Irp.Completions == 1 && Irp.IoStatus.Status == Status);
    return Status;
}

static BOOLEAN LineControlIs(UCHAR StopBits, UCHAR Parity, UCHAR WordLength)
{
    SERIAL_LINE_CONTROL Lc = {0};
    ULONG_PTR Info = 0;
    return Ioctl(IOCTL_SERIAL_GET_LINE_CONTROL, &Lc, 0, sizeof(Lc), &Info) == STATUS_SUCCESS &&
           Info == sizeof(Lc) && Lc.StopBits == StopBits && Lc.Parity == Parity &&
           Lc.WordLength == WordLength;
}

static void TestIoctlBaudAndLine(void)
{
    SERIAL_BAUD_RATE Baud = {9600};
    SERIAL_LINE_CONTROL Lc = {STOP_BITS_2, EVEN_PARITY, 7};
    ULONG_PTR Info = 99;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_BAUD_RATE, &Baud, sizeof(Baud), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.Dll == 12);
    Baud.BaudRate = 0;
    EXPECT(Ioctl(IOCTL_SERIAL_GET_BAUD_RATE, &Baud, 0, sizeof(Baud), &Info) == STATUS_SUCCESS);
    EXPECT(Baud.BaudRate == 9600 && Info == sizeof(Baud));
    EXPECT(Ioctl(IOCTL_SERIAL_SET_BAUD_RATE, &Baud, 2, 0, NULL) == STATUS_BUFFER_TOO_SMALL);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_BAUD_RATE, &Baud, 0, 2, &Info) == STATUS_BUFFER_TOO_SMALL);
    EXPECT(Info == 0);
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.Lcr == 0x1E && LineControlIs(STOP_BITS_2, EVEN_PARITY, 7));
    Lc = (SERIAL_LINE_CONTROL){STOP_BITS_1_5, MARK_PARITY, 5};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.Lcr == 0x2C && LineControlIs(STOP_BITS_1_5, MARK_PARITY, 5));
    Lc = (SERIAL_LINE_CONTROL){STOP_BIT_1, SPACE_PARITY, 8};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.Lcr == 0x3B && LineControlIs(STOP_BIT_1, SPACE_PARITY, 8));
    Lc = (SERIAL_LINE_CONTROL){STOP_BITS_1_5, NO_PARITY, 8};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    Lc = (SERIAL_LINE_CONTROL){STOP_BITS_2, NO_PARITY, 5};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    Lc = (SERIAL_LINE_CONTROL){STOP_BIT_1, 5, 8};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    EXPECT(Uart.Lcr == 0x3B); /* refused settings change nothing */
}

static void TestIoctlTimeoutsAndChars(void)
{
    SERIAL_TIMEOUTS Set = {1, 2, 3, 4, 5}, Got = {0};
    SERIAL_CHARS Chars = {1, 2, 3, 4, 5, 6}, GotChars = {0};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_TIMEOUTS, &Set, sizeof(Set), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_TIMEOUTS, &Got, 0, sizeof(Got), NULL) == STATUS_SUCCESS);
    EXPECT(memcmp(&Set, &Got, sizeof(Set)) == 0);
    Set = (SERIAL_TIMEOUTS){MAXULONG, MAXULONG, MAXULONG, 0, 0};
    EXPECT(Ioctl(IOCTL_SERIAL_SET_TIMEOUTS, &Set, sizeof(Set), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    EXPECT(Ext.Timeouts.ReadIntervalTimeout == 1);
    EXPECT(Ioctl(IOCTL_SERIAL_SET_CHARS, &Chars, sizeof(Chars), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_CHARS, &GotChars, 0, sizeof(GotChars), NULL) == STATUS_SUCCESS);
    EXPECT(memcmp(&Chars, &GotChars, sizeof(Chars)) == 0);
}

static void TestIoctlHandFlow(void)
{
    SERIAL_HANDFLOW Hf = {SERIAL_DTR_CONTROL, SERIAL_RTS_CONTROL, 100, 100}, Bad;
    Ext.HandFlow = Hf;
    Bad = Hf;
    Bad.ControlHandShake = SERIAL_DTR_MASK;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_HANDFLOW, &Bad, sizeof(Bad), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    Bad = Hf;
    Bad.XoffLimit = SERIAL_DEFAULT_BUFFER + 1;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_HANDFLOW, &Bad, sizeof(Bad), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    Bad = Hf;
    Bad.FlowReplace |= SERIAL_AUTO_TRANSMIT;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_HANDFLOW, &Bad, sizeof(Bad), 0, NULL) == STATUS_NOT_SUPPORTED);
    Bad = Hf;
    Bad.ControlHandShake = SERIAL_DTR_HANDSHAKE;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_HANDFLOW, &Bad, sizeof(Bad), 0, NULL) == STATUS_NOT_SUPPORTED);
    Hf.ControlHandShake = SERIAL_CTS_HANDSHAKE; /* DTR off, output on CTS */
    Hf.FlowReplace = 0;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_HANDFLOW, &Hf, sizeof(Hf), 0, NULL) == STATUS_SUCCESS);
    EXPECT((Uart.Mcr & (MCR_DTR | MCR_RTS)) == 0 && (Uart.Mcr & MCR_OUT2));
    memset(&Bad, 0, sizeof(Bad));
    EXPECT(Ioctl(IOCTL_SERIAL_GET_HANDFLOW, &Bad, 0, sizeof(Bad), NULL) == STATUS_SUCCESS);
    EXPECT(memcmp(&Bad, &Hf, sizeof(Hf)) == 0);
}

static void TestIoctlModemLines(void)
{
    ULONG Value = 0;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_DTR, NULL, 0, 0, NULL) == STATUS_SUCCESS && (Uart.Mcr & MCR_DTR));
    EXPECT(Ioctl(IOCTL_SERIAL_CLR_RTS, NULL, 0, 0, NULL) == STATUS_SUCCESS &&
           !(Uart.Mcr & MCR_RTS));
    EXPECT(Ioctl(IOCTL_SERIAL_GET_DTRRTS, &Value, 0, sizeof(Value), NULL) == STATUS_SUCCESS);
    EXPECT(Value == SERIAL_DTR_STATE);
    EXPECT(Ioctl(IOCTL_SERIAL_SET_BREAK_ON, NULL, 0, 0, NULL) == STATUS_SUCCESS &&
           (Uart.Lcr & LCR_BREAK));
    EXPECT(Ioctl(IOCTL_SERIAL_SET_BREAK_OFF, NULL, 0, 0, NULL) == STATUS_SUCCESS &&
           !(Uart.Lcr & LCR_BREAK));
    Value = SERIAL_IOC_MCR_LOOP;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_MODEM_CONTROL, &Value, sizeof(Value), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.Mcr == (MCR_LOOP | MCR_OUT2)); /* OUT2 kept: it gates the IRQ */
    EXPECT(Ioctl(IOCTL_SERIAL_GET_MODEM_CONTROL, &Value, 0, sizeof(Value), NULL) == STATUS_SUCCESS);
    EXPECT(Value == (MCR_LOOP | MCR_OUT2));
    Uart.Msr = MSR_CTS | MSR_RI;
    EXPECT(Ioctl(IOCTL_SERIAL_GET_MODEMSTATUS, &Value, 0, sizeof(Value), NULL) == STATUS_SUCCESS);
    EXPECT(Value == (MSR_CTS | MSR_RI));
    Ext.HandFlow.ControlHandShake = SERIAL_DTR_HANDSHAKE; /* the driver would own DTR */
    EXPECT(Ioctl(IOCTL_SERIAL_CLR_DTR, NULL, 0, 0, NULL) == STATUS_INVALID_PARAMETER);
}

static void TestIoctlStatusAndProperties(void)
{
    SERIAL_STATUS Status;
    SERIAL_COMMPROP Prop;
    SERIALPERF_STATS Stats;
    ULONG Size = 99;
    ULONG_PTR Info = 0;
    Arrive("abc", 3);
    Ext.Errors = SERIAL_ERROR_FRAMING;
    EXPECT(Ioctl(IOCTL_SERIAL_GET_COMMSTATUS, &Status, 0, sizeof(Status), &Info) == STATUS_SUCCESS);
    EXPECT(Info == sizeof(Status) && Status.Errors == SERIAL_ERROR_FRAMING);
    EXPECT(Status.AmountInInQueue == 3 && Status.AmountInOutQueue == 0 && Status.HoldReasons == 0);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_COMMSTATUS, &Status, 0, sizeof(Status), NULL) == STATUS_SUCCESS);
    EXPECT(Status.Errors == 0); /* reading the errors clears them */
    EXPECT(Ioctl(IOCTL_SERIAL_GET_PROPERTIES, &Prop, 0, sizeof(Prop), &Info) == STATUS_SUCCESS);
    EXPECT(Info == sizeof(Prop) && Prop.PacketLength == sizeof(Prop) && Prop.PacketVersion == 2);
    EXPECT(Prop.MaxBaud == SERIAL_BAUD_USER && Prop.CurrentRxQueue == SERIAL_DEFAULT_BUFFER);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_PROPERTIES, &Prop, 0, sizeof(Prop) - 1, NULL) ==
           STATUS_BUFFER_TOO_SMALL);
    EXPECT(Ioctl(IOCTL_SERIAL_CONFIG_SIZE, &Size, 0, sizeof(Size), NULL) == STATUS_SUCCESS &&
           Size == 0);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_STATS, &Stats, 0, sizeof(Stats), NULL) == STATUS_SUCCESS);
    EXPECT(Stats.ReceivedCount == 3);
    EXPECT(Ioctl(IOCTL_SERIAL_CLEAR_STATS, NULL, 0, 0, NULL) == STATUS_SUCCESS);
    EXPECT(Ioctl(IOCTL_SERIAL_GET_STATS, &Stats, 0, sizeof(Stats), NULL) == STATUS_SUCCESS);
    EXPECT(Stats.ReceivedCount == 0);
}

static void TestIoctlQueueAndMisc(void)
{
    ULONG Mask = 0, Events = 0;
    SERIAL_QUEUE_SIZE Size = {8192, 0};
    UCHAR Char = 'Q';
    IRP Irp;
    Arrive("xy", 2);
    EXPECT(Ioctl(IOCTL_SERIAL_PURGE, &Mask, sizeof(Mask), 0, NULL) == STATUS_INVALID_PARAMETER);
    Mask = 0x10;
    EXPECT(Ioctl(IOCTL_SERIAL_PURGE, &Mask, sizeof(Mask), 0, NULL) == STATUS_INVALID_PARAMETER);
    Mask = SERIAL_PURGE_RXCLEAR | SERIAL_PURGE_TXCLEAR;
    EXPECT(Ioctl(IOCTL_SERIAL_PURGE, &Mask, sizeof(Mask), 0, NULL) == STATUS_SUCCESS &&
           Ext.RxCount == 0);
    EXPECT(Ioctl(IOCTL_SERIAL_SET_QUEUE_SIZE, &Size, sizeof(Size), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Ext.RxSize == 8192);
    Mask = SERIAL_EV_RXCHAR;
    EXPECT(Ioctl(IOCTL_SERIAL_SET_WAIT_MASK, &Mask, sizeof(Mask), 0, NULL) == STATUS_SUCCESS);
    Mask = 0;
    EXPECT(Ioctl(IOCTL_SERIAL_GET_WAIT_MASK, &Mask, 0, sizeof(Mask), NULL) == STATUS_SUCCESS);
    EXPECT(Mask == SERIAL_EV_RXCHAR);
    EXPECT(Ioctl(IOCTL_SERIAL_WAIT_ON_MASK, &Events, 0, 2, NULL) == STATUS_BUFFER_TOO_SMALL);
    memset(&Irp, 0, sizeof(Irp));
    Irp.AssociatedIrp.SystemBuffer = &Events;
    Irp.Stack.Parameters.DeviceIoControl.OutputBufferLength = sizeof(Events);
    Irp.Stack.Parameters.DeviceIoControl.IoControlCode = IOCTL_SERIAL_WAIT_ON_MASK;
    EXPECT(SerialDeviceControl(&Ext, &Irp) == STATUS_PENDING && Irp.Completions == 0);
    Arrive("w", 1);
    EXPECT(Done(&Irp, STATUS_SUCCESS, sizeof(ULONG)) && Events == SERIAL_EV_RXCHAR);
    EXPECT(Ioctl(IOCTL_SERIAL_IMMEDIATE_CHAR, &Char, 1, 0, NULL) == STATUS_SUCCESS);
    EXPECT(Uart.TxCount == 1 && Uart.Tx[0] == 'Q');
    EXPECT(Ioctl(IOCTL_SERIAL_SET_XOFF, NULL, 0, 0, NULL) == STATUS_NOT_SUPPORTED);
    EXPECT(Ioctl(IOCTL_SERIAL_RESET_DEVICE, NULL, 0, 0, NULL) == STATUS_SUCCESS);
    EXPECT(Ioctl(CTL_CODE(FILE_DEVICE_SERIAL_PORT, 0x7FF, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL,
                 0, 0, NULL) == STATUS_INVALID_PARAMETER);
}

static const DRV_TEST Tests[] = {
    {"serial_settings_and_baud", TestSettingsAndBaud},
    {"serial_read_at_once", TestReadAtOnce},
    {"serial_read_full_length", TestReadFullLength},
    {"serial_read_first_byte", TestReadFirstByte},
    {"serial_read_total_timeout", TestReadTotalTimeout},
    {"serial_read_interval_timeout", TestReadIntervalTimeout},
    {"serial_stale_timer_dpc", TestStaleTimerDpc},
    {"serial_read_cancel", TestReadCancel},
    {"serial_wait_mask", TestWaitMask},
    {"serial_line_errors_and_events", TestLineErrorsAndEvents},
    {"serial_overrun_and_stripping", TestOverrunAndStripping},
    {"serial_resize", TestResize},
    {"serial_write", TestWrite},
    {"serial_ioctl_baud_and_line", TestIoctlBaudAndLine},
    {"serial_ioctl_timeouts_and_chars", TestIoctlTimeoutsAndChars},
    {"serial_ioctl_handflow", TestIoctlHandFlow},
    {"serial_ioctl_modem_lines", TestIoctlModemLines},
    {"serial_ioctl_status_and_properties", TestIoctlStatusAndProperties},
    {"serial_ioctl_queue_and_misc", TestIoctlQueueAndMisc},
};

static void Teardown(void)
{
    free(Ext.RxBuffer);
}

const DRV_TEST_FILE SerialTestFile = {Setup, Teardown, Tests, sizeof(Tests) / sizeof(Tests[0])};
