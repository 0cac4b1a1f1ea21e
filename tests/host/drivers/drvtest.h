/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The framework of the drivers' host tests (suite "drivers"): each file
 * exports a table of tests with its own set-up; drivers_test.c runs them
 * and prints the serial protocol of docs/layout.md. EXPECT records the
 * first failed check of a test and never leaves it.
 */
#pragma once

#include <stddef.h>

typedef struct _DRV_TEST {
    const char *Name;
    void (*Run)(void);
} DRV_TEST;

typedef struct _DRV_TEST_FILE {
    void (*Setup)(void);
    void (*Teardown)(void); /* after each test, or NULL */
    const DRV_TEST *Tests;
    size_t Count;
} DRV_TEST_FILE;

extern const DRV_TEST_FILE ConsoleTestFile, KeyboardTestFile, SerialTestFile;
extern const DRV_TEST_FILE FramebufferTestFile; /* shell branch */

/* fake.c: the simulated device's ports, and what the test drives itself. */
typedef unsigned char FAKE_PORT_READ(unsigned int Port);
typedef void FAKE_PORT_WRITE(unsigned int Port, unsigned char Value);
struct _DEVICE_OBJECT;
struct _IRP;
struct _KDPC;
struct _KTIMER;
void FakeReset(FAKE_PORT_READ *Read, FAKE_PORT_WRITE *Write);
unsigned char FakeCancelLockHeld(void);
void FakeCancel(struct _DEVICE_OBJECT *Device, struct _IRP *Irp); /* IoCancelIrp's part */
void FakeRunDpc(struct _KDPC *Dpc);
void FakeExpire(struct _KTIMER *Timer); /* signalled, its DPC queued */

void DrvTestExpect(int Ok, const char *What, int Line);
#define EXPECT(c) DrvTestExpect(!!(c), #c, __LINE__)
