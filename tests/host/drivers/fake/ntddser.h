/* SPDX-License-Identifier: BSD-2-Clause */
/* The serial records and values of ntddser.h the host-tested serial code
 * uses (tests/host/drivers), with Windows' layouts and values. */
#pragma once

#include <ntddk.h>

typedef struct _SERIAL_TIMEOUTS {
    ULONG ReadIntervalTimeout, ReadTotalTimeoutMultiplier, ReadTotalTimeoutConstant;
    ULONG WriteTotalTimeoutMultiplier, WriteTotalTimeoutConstant;
} SERIAL_TIMEOUTS, *PSERIAL_TIMEOUTS;

typedef struct _SERIAL_HANDFLOW {
    ULONG ControlHandShake, FlowReplace;
    LONG XonLimit, XoffLimit;
} SERIAL_HANDFLOW, *PSERIAL_HANDFLOW;

typedef struct _SERIAL_CHARS {
    UCHAR EofChar, ErrorChar, BreakChar, EventChar, XonChar, XoffChar;
} SERIAL_CHARS, *PSERIAL_CHARS;

typedef struct _SERIALPERF_STATS {
    ULONG ReceivedCount, TransmittedCount, FrameErrorCount, SerialOverrunErrorCount;
    ULONG BufferOverrunErrorCount, ParityErrorCount;
} SERIALPERF_STATS, *PSERIALPERF_STATS;

#define SERIAL_CTS_HANDSHAKE  0x00000008
#define SERIAL_DSR_HANDSHAKE  0x00000010
#define SERIAL_DCD_HANDSHAKE  0x00000020
#define SERIAL_NULL_STRIPPING 0x00000008

#define SERIAL_EV_RXCHAR   0x0001
#define SERIAL_EV_RXFLAG   0x0002
#define SERIAL_EV_TXEMPTY  0x0004
#define SERIAL_EV_CTS      0x0008
#define SERIAL_EV_DSR      0x0010
#define SERIAL_EV_RLSD     0x0020
#define SERIAL_EV_BREAK    0x0040
#define SERIAL_EV_ERR      0x0080
#define SERIAL_EV_RING     0x0100
#define SERIAL_EV_PERR     0x0200
#define SERIAL_EV_RX80FULL 0x0400

#define SERIAL_ERROR_BREAK        0x00000001
#define SERIAL_ERROR_FRAMING      0x00000002
#define SERIAL_ERROR_OVERRUN      0x00000004
#define SERIAL_ERROR_QUEUEOVERRUN 0x00000008
#define SERIAL_ERROR_PARITY       0x00000010
