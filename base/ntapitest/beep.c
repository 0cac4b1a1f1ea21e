/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * beep.sys (drivers/misc/beep) through the native API: IOCTL_BEEP_SET
 * (0x00010000) with BEEP_SET_PARAMETERS, the checks of Windows' beep
 * driver: a tone in 0x25..0x7FFF Hz starts and the request completes at
 * once, Frequency 0 or Duration 0 stops, other frequencies (whatever the
 * duration) and short buffers are STATUS_INVALID_PARAMETER. QEMU's PC speaker is silent
 * without an audio back end, so the tone itself is not heard by the test.
 */
#include "ntdriver.h"

#define IOCTL_BEEP_SET NTAPI_CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _BEEP_SET_PARAMETERS {
    ULONG Frequency, Duration;
} BEEP_SET_PARAMETERS;

static NTSTATUS BeepSet(HANDLE Beep, ULONG Frequency, ULONG Duration, ULONG Length)
{
    BEEP_SET_PARAMETERS P = {Frequency, Duration};
    return NtapiDeviceIoControl(Beep, IOCTL_BEEP_SET, &P, Length, NULL, 0, NULL);
}

/* A tone programs PIT channel 2: ntos's port emulation lets a driver use
 * port 0x42 and channel-2 control words on 0x43 (ntos/io/halport.c). */
TEST(beep, set_and_stop)
{
    HANDLE Beep = NtapiLoadAndOpen(L"Beep", L"\\Device\\Beep");
    if (!Beep)
        return;
    CHECK_EQ(IOCTL_BEEP_SET, 0x00010000);
    CHECK_STATUS(BeepSet(Beep, 440, 20, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    CHECK_STATUS(BeepSet(Beep, 0x25, 10, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    CHECK_STATUS(BeepSet(Beep, 0x7FFF, 10, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    CHECK_STATUS(BeepSet(Beep, 0, 0, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    CHECK_STATUS(BeepSet(Beep, 440, 0, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    CHECK_STATUS(BeepSet(Beep, 0, 100, sizeof(BEEP_SET_PARAMETERS)), STATUS_SUCCESS);
    NtClose(Beep);
}

TEST(beep, bad_parameters)
{
    HANDLE Beep = NtapiLoadAndOpen(L"Beep", L"\\Device\\Beep");
    if (!Beep)
        return;
    CHECK_STATUS(BeepSet(Beep, 0x24, 10, sizeof(BEEP_SET_PARAMETERS)), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(BeepSet(Beep, 0x8000, 10, sizeof(BEEP_SET_PARAMETERS)), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(BeepSet(Beep, 0x24, 0, sizeof(BEEP_SET_PARAMETERS)), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(BeepSet(Beep, 440, 10, 4), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiDeviceIoControl(Beep, NTAPI_CTL_CODE(FILE_DEVICE_BEEP, 1, 0, 0), NULL, 0,
                                      NULL, 0, NULL),
                 STATUS_INVALID_PARAMETER);
    NtClose(Beep);
}
