/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * i8042prt.sys and kbdclass.sys (drivers/input) through the native API:
 * \Device\KeyboardClass0's reads of whole KEYBOARD_INPUT_DATA records
 * (length checks as Windows' kbdclass, a read that pends until cancelled)
 * and the keyboard IOCTLs kbdclass forwards to \Device\KeyboardPort0
 * (attributes, LEDs, typematic), and the port device's own reads. Nothing
 * types during the suite (QEMU's monitor `sendkey` is not driven by the
 * harness), so no test expects a key.
 */
#include "ntdriver.h"

#define KEYBOARD_IOCTL(Function)                                                                   \
    NTAPI_CTL_CODE(FILE_DEVICE_KEYBOARD, Function, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_QUERY_ATTRIBUTES            KEYBOARD_IOCTL(0x0000)
#define IOCTL_KEYBOARD_SET_TYPEMATIC               KEYBOARD_IOCTL(0x0001)
#define IOCTL_KEYBOARD_SET_INDICATORS              KEYBOARD_IOCTL(0x0002)
#define IOCTL_KEYBOARD_QUERY_TYPEMATIC             KEYBOARD_IOCTL(0x0008)
#define IOCTL_KEYBOARD_QUERY_INDICATORS            KEYBOARD_IOCTL(0x0010)
#define IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION KEYBOARD_IOCTL(0x0020)

#define KEYBOARD_CAPS_LOCK_ON 4
#define KEYBOARD_NUM_LOCK_ON  2

typedef struct _KEYBOARD_INPUT_DATA {
    USHORT UnitId, MakeCode, Flags, Reserved;
    ULONG ExtraInformation;
} KEYBOARD_INPUT_DATA;
_Static_assert(sizeof(KEYBOARD_INPUT_DATA) == 12, "KEYBOARD_INPUT_DATA");

typedef struct _KEYBOARD_TYPEMATIC_PARAMETERS {
    USHORT UnitId, Rate, Delay;
} KEYBOARD_TYPEMATIC_PARAMETERS;

typedef struct _KEYBOARD_INDICATOR_PARAMETERS {
    USHORT UnitId, LedFlags;
} KEYBOARD_INDICATOR_PARAMETERS;

typedef struct _KEYBOARD_ATTRIBUTES {
    UCHAR Type, Subtype; /* KEYBOARD_ID */
    USHORT KeyboardMode, NumberOfFunctionKeys, NumberOfIndicators, NumberOfKeysTotal;
    ULONG InputDataQueueLength;
    KEYBOARD_TYPEMATIC_PARAMETERS KeyRepeatMinimum, KeyRepeatMaximum;
} KEYBOARD_ATTRIBUTES;
_Static_assert(sizeof(KEYBOARD_ATTRIBUTES) == 28, "KEYBOARD_ATTRIBUTES");

/* The class device alone: it serves reads without a port driver. */
static HANDLE KeyboardClassOpen(VOID)
{
    return NtapiLoadAndOpen(L"kbdclass", L"\\Device\\KeyboardClass0");
}

static HANDLE KeyboardOpen(VOID)
{
    /* The port first: kbdclass finds it by name. */
    if (!CHECK_STATUS(NtapiLoadDriver(L"i8042prt"), STATUS_SUCCESS))
        return NULL;
    return NtapiLoadAndOpen(L"kbdclass", L"\\Device\\KeyboardClass0");
}

/* kbdclass's thread opens the port after its start: wait for the first
 * forwarded IOCTL to stop saying DEVICE_NOT_CONNECTED. */
static NTSTATUS KeyboardAttributes(HANDLE Keyboard, KEYBOARD_ATTRIBUTES *A, ULONG_PTR *Info)
{
    LARGE_INTEGER Pause = {.QuadPart = -100 * 10000LL};
    NTSTATUS Status = STATUS_DEVICE_NOT_CONNECTED;
    for (ULONG i = 0; i < 50 && Status == STATUS_DEVICE_NOT_CONNECTED; i++) {
        Status = NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_QUERY_ATTRIBUTES, NULL, 0, A,
                                      sizeof(*A), Info);
        if (Status == STATUS_DEVICE_NOT_CONNECTED)
            NtDelayExecution(FALSE, &Pause);
    }
    return Status;
}

TEST(keyboard, query_attributes)
{
    HANDLE Keyboard = KeyboardOpen();
    KEYBOARD_ATTRIBUTES A;
    ULONG_PTR Info = 0;
    if (!Keyboard)
        return;
    memset(&A, 0xCC, sizeof(A));
    CHECK_STATUS(KeyboardAttributes(Keyboard, &A, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(KEYBOARD_ATTRIBUTES));
    CHECK_EQ(A.Type, 4); /* enhanced 101/102-key */
    CHECK_EQ(A.KeyboardMode, 1);
    CHECK_EQ(A.NumberOfIndicators, 3);
    CHECK(A.KeyRepeatMinimum.Rate <= A.KeyRepeatMaximum.Rate);
    CHECK_STATUS(
        NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_QUERY_ATTRIBUTES, NULL, 0, &A, 8, NULL),
        STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, NTAPI_CTL_CODE(FILE_DEVICE_BEEP, 0, 0, 0), NULL, 0,
                                      NULL, 0, NULL),
                 STATUS_INVALID_DEVICE_REQUEST);
    NtClose(Keyboard);
}

TEST(keyboard, indicators_round_trip)
{
    HANDLE Keyboard = KeyboardOpen();
    KEYBOARD_ATTRIBUTES A;
    KEYBOARD_INDICATOR_PARAMETERS Set = {0, KEYBOARD_CAPS_LOCK_ON | KEYBOARD_NUM_LOCK_ON},
                                  Got = {0};
    ULONG_PTR Info = 0;
    if (!Keyboard || !CHECK_STATUS(KeyboardAttributes(Keyboard, &A, NULL), STATUS_SUCCESS))
        goto out;
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_INDICATORS, &Set, sizeof(Set),
                                      NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_QUERY_INDICATORS, NULL, 0, &Got,
                                      sizeof(Got), &Info),
                 STATUS_SUCCESS);
    CHECK_EQ(Info, sizeof(KEYBOARD_INDICATOR_PARAMETERS));
    CHECK_EQ(Got.LedFlags, KEYBOARD_CAPS_LOCK_ON | KEYBOARD_NUM_LOCK_ON);
    Set.LedFlags = 0;
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_INDICATORS, &Set, sizeof(Set),
                                      NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_INDICATORS, &Set, 2, NULL, 0, NULL),
        STATUS_BUFFER_TOO_SMALL);
out:
    if (Keyboard)
        NtClose(Keyboard);
}

TEST(keyboard, typematic_round_trip)
{
    HANDLE Keyboard = KeyboardOpen();
    KEYBOARD_ATTRIBUTES A;
    KEYBOARD_TYPEMATIC_PARAMETERS Saved = {0}, Set = {0, 10, 500}, Got = {0};
    if (!Keyboard || !CHECK_STATUS(KeyboardAttributes(Keyboard, &A, NULL), STATUS_SUCCESS))
        goto out;
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_QUERY_TYPEMATIC, NULL, 0, &Saved,
                                      sizeof(Saved), NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_TYPEMATIC, &Set, sizeof(Set),
                                      NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_QUERY_TYPEMATIC, NULL, 0, &Got,
                                      sizeof(Got), NULL),
                 STATUS_SUCCESS);
    CHECK(Got.Rate == 10 && Got.Delay == 500);
    Set.Rate = A.KeyRepeatMaximum.Rate + 1;
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_TYPEMATIC, &Set, sizeof(Set),
                                      NULL, 0, NULL),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiDeviceIoControl(Keyboard, IOCTL_KEYBOARD_SET_TYPEMATIC, &Saved, sizeof(Saved),
                                      NULL, 0, NULL),
                 STATUS_SUCCESS);
out:
    if (Keyboard)
        NtClose(Keyboard);
}

TEST(keyboard, read_lengths)
{
    HANDLE Keyboard = KeyboardClassOpen();
    KEYBOARD_INPUT_DATA Records[2];
    ULONG_PTR Info = 99;
    if (!Keyboard)
        return;
    CHECK_STATUS(NtapiDeviceRead(Keyboard, Records, 0, &Info), STATUS_SUCCESS);
    CHECK_EQ(Info, 0);
    CHECK_STATUS(NtapiDeviceRead(Keyboard, Records, sizeof(Records[0]) + 1, &Info),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceRead(Keyboard, Records, 5, &Info), STATUS_BUFFER_TOO_SMALL);
    NtClose(Keyboard);
}

/* A read on the class device, then one on the port device: each pends
 * (no key comes) until NtCancelIoFile. */
static VOID KeyboardReadPendsAndCancels(HANDLE Device)
{
    HANDLE Event = NtapiCreateIoEvent();
    IO_STATUS_BLOCK Iosb, CancelIosb;
    LARGE_INTEGER Short = {.QuadPart = -200 * 10000LL};
    KEYBOARD_INPUT_DATA Records[4];
    if (!CHECK(Event != NULL))
        return;
    NTSTATUS Started = NtapiStartRead(Device, Event, &Iosb, Records, sizeof(Records));
    CHECK_STATUS(Started, STATUS_PENDING);
    CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Short), STATUS_TIMEOUT);
    CHECK_STATUS(NtCancelIoFile(Device, &CancelIosb), STATUS_SUCCESS);
    CHECK_STATUS(NtapiFinishIo(Device, Event, Started, &Iosb, 5000), STATUS_CANCELLED);
    CHECK_EQ(Iosb.Information, 0);
    NtClose(Event);
}

TEST(keyboard, class_read_pends_until_cancelled)
{
    HANDLE Keyboard = KeyboardClassOpen();
    if (!Keyboard)
        return;
    KeyboardReadPendsAndCancels(Keyboard);
    NtClose(Keyboard);
}

TEST(keyboard, port_read_pends_until_cancelled)
{
    HANDLE Keyboard = KeyboardOpen(), Port = NULL;
    if (!Keyboard)
        return;
    NtClose(Keyboard);
    if (CHECK_STATUS(NtapiOpenDevice(L"\\Device\\KeyboardPort0", GENERIC_READ | SYNCHRONIZE, &Port),
                     STATUS_SUCCESS)) {
        KeyboardReadPendsAndCancels(Port);
        NtClose(Port);
    }
}
