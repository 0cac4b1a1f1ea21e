/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * serial.sys (drivers/serial/serial) through the native API: \Device\Serial0
 * and \??\COM1, the IOCTL_SERIAL_* round trips (baud rate, line control,
 * time-outs, handflow, wait mask, properties) with the statuses of
 * Windows' serial driver, reads that return at once or time out as
 * SERIAL_TIMEOUTS say, a read that pends and is cancelled, the exclusive
 * open, a write to the line, and a loopback (the UART's MCR loop bit: what
 * is written comes back through the receive interrupt; QEMU's 16550 keeps
 * interrupting in loop mode).
 */
#include "ntdriver.h"

#define SERIAL_IOCTL(Function)                                                                     \
    NTAPI_CTL_CODE(FILE_DEVICE_SERIAL_PORT, Function, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_BAUD_RATE     SERIAL_IOCTL(1)
#define IOCTL_SERIAL_SET_LINE_CONTROL  SERIAL_IOCTL(3)
#define IOCTL_SERIAL_SET_TIMEOUTS      SERIAL_IOCTL(7)
#define IOCTL_SERIAL_GET_TIMEOUTS      SERIAL_IOCTL(8)
#define IOCTL_SERIAL_SET_DTR           SERIAL_IOCTL(9)
#define IOCTL_SERIAL_CLR_DTR           SERIAL_IOCTL(10)
#define IOCTL_SERIAL_SET_WAIT_MASK     SERIAL_IOCTL(17)
#define IOCTL_SERIAL_GET_WAIT_MASK     SERIAL_IOCTL(16)
#define IOCTL_SERIAL_WAIT_ON_MASK      SERIAL_IOCTL(18)
#define IOCTL_SERIAL_PURGE             SERIAL_IOCTL(19)
#define IOCTL_SERIAL_GET_BAUD_RATE     SERIAL_IOCTL(20)
#define IOCTL_SERIAL_GET_LINE_CONTROL  SERIAL_IOCTL(21)
#define IOCTL_SERIAL_GET_HANDFLOW      SERIAL_IOCTL(24)
#define IOCTL_SERIAL_SET_HANDFLOW      SERIAL_IOCTL(25)
#define IOCTL_SERIAL_GET_MODEMSTATUS   SERIAL_IOCTL(26)
#define IOCTL_SERIAL_GET_COMMSTATUS    SERIAL_IOCTL(27)
#define IOCTL_SERIAL_GET_PROPERTIES    SERIAL_IOCTL(29)
#define IOCTL_SERIAL_GET_DTRRTS        SERIAL_IOCTL(30)
#define IOCTL_SERIAL_SET_MODEM_CONTROL SERIAL_IOCTL(38)
#define IOCTL_SERIAL_GET_MODEM_CONTROL SERIAL_IOCTL(37)

#define SERIAL_EV_RXCHAR     0x0001
#define SERIAL_EV_TXEMPTY    0x0004
#define SERIAL_PURGE_RXCLEAR 0x0008
#define SERIAL_DTR_STATE     0x1
#define SERIAL_IOC_MCR_DTR   0x01
#define SERIAL_IOC_MCR_RTS   0x02
#define SERIAL_IOC_MCR_OUT2  0x08
#define SERIAL_IOC_MCR_LOOP  0x10
#define SERIAL_DTR_CONTROL   0x01
#define SERIAL_AUTO_TRANSMIT 0x01
#define SERIAL_RTS_CONTROL   0x40
#define MAXULONG_            0xFFFFFFFFu

typedef struct _SERIAL_LINE_CONTROL {
    UCHAR StopBits, Parity, WordLength;
} SERIAL_LINE_CONTROL;

typedef struct _SERIAL_TIMEOUTS {
    ULONG ReadIntervalTimeout, ReadTotalTimeoutMultiplier, ReadTotalTimeoutConstant;
    ULONG WriteTotalTimeoutMultiplier, WriteTotalTimeoutConstant;
} SERIAL_TIMEOUTS;

typedef struct _SERIAL_HANDFLOW {
    ULONG ControlHandShake, FlowReplace;
    LONG XonLimit, XoffLimit;
} SERIAL_HANDFLOW;

typedef struct _SERIAL_STATUS {
    ULONG Errors, HoldReasons, AmountInInQueue, AmountInOutQueue;
    BOOLEAN EofReceived, WaitForImmediate;
} SERIAL_STATUS;
_Static_assert(sizeof(SERIAL_STATUS) == 20, "SERIAL_STATUS");

typedef struct _SERIAL_COMMPROP {
    USHORT PacketLength, PacketVersion;
    ULONG ServiceMask, Reserved1, MaxTxQueue, MaxRxQueue, MaxBaud, ProvSubType;
    ULONG ProvCapabilities, SettableParams, SettableBaud;
    USHORT SettableData, SettableStopParity;
    ULONG CurrentTxQueue, CurrentRxQueue, ProvSpec1, ProvSpec2;
    WCHAR ProvChar[1];
} SERIAL_COMMPROP;
_Static_assert(sizeof(SERIAL_COMMPROP) == 64, "SERIAL_COMMPROP");

static HANDLE SerialOpen(VOID)
{
    return NtapiLoadAndOpen(L"Serial", L"\\Device\\Serial0");
}

static NTSTATUS SerialSetTimeouts(HANDLE Port, ULONG Interval, ULONG Multiplier, ULONG Constant)
{
    SERIAL_TIMEOUTS T = {Interval, Multiplier, Constant, 0, 0};
    return NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_TIMEOUTS, &T, sizeof(T), NULL, 0, NULL);
}

TEST(serial, baud_rate_round_trip)
{
    HANDLE Port = SerialOpen();
    ULONG Baud = 0, Saved = 0;
    ULONG_PTR Info;
    if (!Port)
        return;
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_BAUD_RATE, NULL, 0, &Saved,
                                      sizeof(Saved), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(ULONG));
    CHECK_EQ(Saved, 115200); /* what the kernel programmed: divisor 1 */
    Baud = 9600;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_BAUD_RATE, &Baud, sizeof(Baud), NULL, 0, NULL),
        STATUS_SUCCESS);
    Baud = 0;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_BAUD_RATE, NULL, 0, &Baud, sizeof(Baud), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Baud, 9600);
    Baud = 12345; /* 115200 / 9 = 12800: 3.7% off */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_BAUD_RATE, &Baud, sizeof(Baud), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Baud = 0;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_BAUD_RATE, &Baud, sizeof(Baud), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_BAUD_RATE, &Baud, 2, NULL, 0, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_BAUD_RATE, NULL, 0, &Baud, 2, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_BAUD_RATE, &Saved, sizeof(Saved), NULL,
                                      0, NULL),
                 STATUS_SUCCESS);
    NtClose(Port);
}

TEST(serial, line_control_round_trip)
{
    HANDLE Port = SerialOpen();
    SERIAL_LINE_CONTROL Saved = {0}, Lc = {2 /* two stop bits */, 2 /* even */, 7}, Got = {0};
    ULONG_PTR Info;
    if (!Port)
        return;
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_LINE_CONTROL, NULL, 0, &Saved,
                                      sizeof(Saved), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(SERIAL_LINE_CONTROL));
    CHECK(Saved.WordLength == 8 && Saved.Parity == 0 && Saved.StopBits == 0); /* 8N1 */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_LINE_CONTROL, NULL, 0, &Got, sizeof(Got), NULL),
        STATUS_SUCCESS);
    /* Back to 8N1 before a check can print on the line. */
    NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_LINE_CONTROL, &Saved, sizeof(Saved), NULL, 0, NULL);
    CHECK(Got.WordLength == 7 && Got.Parity == 2 && Got.StopBits == 2);
    Lc.WordLength = 9;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Lc.WordLength = 8;
    Lc.StopBits = 1; /* 1.5 stop bits go with 5 data bits only */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Lc.StopBits = 0;
    Lc.Parity = 5;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_LINE_CONTROL, &Lc, sizeof(Lc), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    NtClose(Port);
}

TEST(serial, timeouts_round_trip)
{
    HANDLE Port = SerialOpen();
    SERIAL_TIMEOUTS Set = {MAXULONG_, 0, 0, 7, 11}, Got = {0};
    ULONG_PTR Info;
    if (!Port)
        return;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_TIMEOUTS, &Set, sizeof(Set), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_TIMEOUTS, NULL, 0, &Got, sizeof(Got), &Info),
        STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(SERIAL_TIMEOUTS));
    CHECK(memcmp(&Set, &Got, sizeof(Set)) == 0);
    CHECK_STATUS(SerialSetTimeouts(Port, MAXULONG_, MAXULONG_, MAXULONG_),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_TIMEOUTS, &Set, 8, NULL, 0, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    NtClose(Port);
}

TEST(serial, read_returns_at_once)
{
    HANDLE Port = SerialOpen();
    UCHAR Buffer[16];
    ULONG_PTR Info = 99;
    if (!Port)
        return;
    CHECK_STATUS(SerialSetTimeouts(Port, MAXULONG_, 0, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceRead(Port, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    CHECK_EQ(Info, 0); /* nobody types on the test's serial line */
    CHECK_STATUS(NtapiDeviceRead(Port, Buffer, 0, &Info), STATUS_SUCCESS);
    NtClose(Port);
}

TEST(serial, read_total_timeout)
{
    HANDLE Port = SerialOpen();
    UCHAR Buffer[16];
    ULONG_PTR Info = 99;
    if (!Port)
        return;
    CHECK_STATUS(SerialSetTimeouts(Port, 0, 0, 50), STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceRead(Port, Buffer, sizeof(Buffer), &Info), STATUS_TIMEOUT);
    CHECK_EQ(Info, 0);
    /* The "first byte or time-out" form times out the same way. */
    CHECK_STATUS(SerialSetTimeouts(Port, MAXULONG_, MAXULONG_, 50), STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceRead(Port, Buffer, sizeof(Buffer), &Info), STATUS_TIMEOUT);
    CHECK_EQ(Info, 0);
    NtClose(Port);
}

TEST(serial, read_pends_until_cancelled)
{
    HANDLE Port = SerialOpen();
    HANDLE Event = NtapiCreateIoEvent();
    IO_STATUS_BLOCK Iosb, CancelIosb;
    LARGE_INTEGER Short = {.QuadPart = -200 * 10000LL};
    UCHAR Buffer[4];
    if (!Port || !CHECK(Event != NULL))
        goto out;
    CHECK_STATUS(SerialSetTimeouts(Port, 0, 0, 0), STATUS_SUCCESS); /* wait for all 4 bytes */
    NTSTATUS Started = NtapiStartRead(Port, Event, &Iosb, Buffer, sizeof(Buffer));
    CHECK_STATUS(Started, STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Short), STATUS_TIMEOUT);
    CHECK_STATUS(NtCancelIoFile(Port, &CancelIosb), STATUS_SUCCESS);
    CHECK_STATUS(NtapiFinishIo(Port, Event, Started, &Iosb, 5000), STATUS_CANCELLED);
    CHECK_EQ(Iosb.Information, 0);
out:
    if (Event)
        NtClose(Event);
    if (Port)
        NtClose(Port);
}

TEST(serial, exclusive_open)
{
    HANDLE Port = SerialOpen(), Second = NULL;
    if (!Port)
        return;
    CHECK_STATUS(NtapiOpenDevice(L"\\Device\\Serial0", GENERIC_READ | SYNCHRONIZE, &Second),
                 STATUS_ACCESS_DENIED);
    if (Second)
        NtClose(Second);
    NtClose(Port);
    /* The name the driver links, once the first handle is gone. */
    CHECK_STATUS(NtapiOpenDevice(L"\\??\\COM1", GENERIC_READ | SYNCHRONIZE, &Second),
                 STATUS_SUCCESS);
    if (Second)
        NtClose(Second);
}

TEST(serial, write_reaches_the_line)
{
    static const char Line[] = "serial: a line written through \\Device\\Serial0\r\n";
    HANDLE Port = SerialOpen();
    ULONG_PTR Info = 0;
    ULONG Events = 0, Mask = SERIAL_EV_TXEMPTY;
    if (!Port)
        return;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_WAIT_MASK, &Mask, sizeof(Mask), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceWrite(Port, Line, sizeof(Line) - 1, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(Line) - 1);
    /* The transmitter went empty after it: the wait returns at once. */
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_WAIT_ON_MASK, NULL, 0, &Events,
                                      sizeof(Events), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(ULONG));
    CHECK_EQ(Events, SERIAL_EV_TXEMPTY);
    CHECK_STATUS(NtapiDeviceWrite(Port, Line, 0, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info, 0);
    NtClose(Port);
}

TEST(serial, loopback_write_then_read)
{
    static const UCHAR Data[] = {'l', 'o', 'o', 'p', 0x00, 0xFF};
    HANDLE Port = SerialOpen();
    UCHAR Buffer[sizeof(Data)] = {0};
    ULONG Mcr = SERIAL_IOC_MCR_LOOP | SERIAL_IOC_MCR_DTR | SERIAL_IOC_MCR_RTS | SERIAL_IOC_MCR_OUT2;
    ULONG Got = 0, Purge = SERIAL_PURGE_RXCLEAR, Saved = 0;
    ULONG_PTR Info;
    if (!Port)
        return;
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_MODEM_CONTROL, NULL, 0, &Saved,
                                      sizeof(Saved), NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_PURGE, &Purge, sizeof(Purge), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(SerialSetTimeouts(Port, MAXULONG_, MAXULONG_, 1000), STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_MODEM_CONTROL, &Mcr, sizeof(Mcr), NULL,
                                      0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceWrite(Port, Data, sizeof(Data), &Info), STATUS_SUCCESS);
    for (ULONG Round = 0; Round < 8 && Got < sizeof(Data); Round++) {
        if (!NT_SUCCESS(NtapiDeviceRead(Port, Buffer + Got, sizeof(Data) - Got, &Info)))
            break;
        Got += (ULONG)Info;
    }
    NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_MODEM_CONTROL, &Saved, sizeof(Saved), NULL, 0,
                         NULL);
    CHECK_EQ(Got, sizeof(Data));
    CHECK(memcmp(Buffer, Data, sizeof(Data)) == 0);
    NtClose(Port);
}

TEST(serial, wait_mask)
{
    HANDLE Port = SerialOpen();
    ULONG Mask = SERIAL_EV_RXCHAR | SERIAL_EV_TXEMPTY, Got = 0;
    if (!Port)
        return;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_WAIT_MASK, &Mask, sizeof(Mask), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_WAIT_MASK, NULL, 0, &Got, sizeof(Got), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Got, Mask);
    Mask = 0x2000; /* past SERIAL_EV_EVENT2 */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_WAIT_MASK, &Mask, sizeof(Mask), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Mask = 0;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_WAIT_MASK, &Mask, sizeof(Mask), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_WAIT_ON_MASK, NULL, 0, &Got, sizeof(Got), NULL),
        STATUS_INVALID_PARAMETER); /* nothing to wait for */
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_WAIT_ON_MASK, NULL, 0, &Got, 2, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    NtClose(Port);
}

TEST(serial, handflow_and_modem_lines)
{
    HANDLE Port = SerialOpen();
    SERIAL_HANDFLOW Hf = {0}, Set;
    ULONG Lines = 0;
    if (!Port)
        return;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_HANDFLOW, NULL, 0, &Hf, sizeof(Hf), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Hf.ControlHandShake, SERIAL_DTR_CONTROL); /* serial.sys's defaults */
    CHECK_EQ(Hf.FlowReplace, SERIAL_RTS_CONTROL);
    Set = Hf;
    Set.ControlHandShake = 0x3; /* both DTR modes: invalid */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_HANDFLOW, &Set, sizeof(Set), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Set = Hf;
    Set.XonLimit = -1;
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_HANDFLOW, &Set, sizeof(Set), NULL, 0, NULL),
        STATUS_INVALID_PARAMETER);
    Set = Hf;
    Set.FlowReplace |= SERIAL_AUTO_TRANSMIT; /* XON/XOFF: not done by this driver */
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_HANDFLOW, &Set, sizeof(Set), NULL, 0, NULL),
        STATUS_NOT_SUPPORTED);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_HANDFLOW, &Hf, sizeof(Hf), NULL, 0, NULL),
        STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_CLR_DTR, NULL, 0, NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_DTRRTS, NULL, 0, &Lines, sizeof(Lines), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Lines & SERIAL_DTR_STATE, 0);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_SET_DTR, NULL, 0, NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_DTRRTS, NULL, 0, &Lines, sizeof(Lines), NULL),
        STATUS_SUCCESS);
    CHECK_EQ(Lines & SERIAL_DTR_STATE, SERIAL_DTR_STATE);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_MODEMSTATUS, NULL, 0, &Lines,
                                      sizeof(Lines), NULL),
                 STATUS_SUCCESS);
    NtClose(Port);
}

TEST(serial, properties_and_status)
{
    HANDLE Port = SerialOpen();
    SERIAL_COMMPROP Prop;
    SERIAL_STATUS Status;
    ULONG_PTR Info;
    if (!Port)
        return;
    memset(&Prop, 0xCC, sizeof(Prop));
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_PROPERTIES, NULL, 0, &Prop,
                                      sizeof(Prop), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(SERIAL_COMMPROP));
    CHECK_EQ(Prop.PacketLength, sizeof(SERIAL_COMMPROP));
    CHECK_EQ(Prop.PacketVersion, 2);
    CHECK_EQ(Prop.ServiceMask, 1);      /* SERIAL_SP_SERIALCOMM */
    CHECK_EQ(Prop.ProvSubType, 1);      /* SERIAL_SP_RS232 */
    CHECK_EQ(Prop.MaxBaud, 0x10000000); /* SERIAL_BAUD_USER */
    CHECK_EQ(Prop.CurrentRxQueue, 4096);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_PROPERTIES, NULL, 0, &Prop, 32, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceIoControl(Port, IOCTL_SERIAL_GET_COMMSTATUS, NULL, 0, &Status,
                                      sizeof(Status), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(SERIAL_STATUS));
    CHECK_EQ(Status.AmountInOutQueue, 0);
    CHECK_STATUS(NtapiDeviceIoControl(Port, SERIAL_IOCTL(0x7FF), NULL, 0, NULL, 0, NULL),
                 STATUS_INVALID_PARAMETER); /* unknown codes, as serial.sys */
    NtClose(Port);
}
