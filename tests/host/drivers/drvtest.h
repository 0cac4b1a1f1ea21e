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
    const DRV_TEST *Tests;
    size_t Count;
} DRV_TEST_FILE;

extern const DRV_TEST_FILE ConsoleTestFile, KeyboardTestFile;

void DrvTestExpect(int Ok, const char *What, int Line);
#define EXPECT(c) DrvTestExpect(!!(c), #c, __LINE__)
