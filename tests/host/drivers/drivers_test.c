/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs the drivers' host tests (console_test.c, keyboard_test.c, serial_test.c) and prints
 * `TEST-PASS/TEST-FAIL drivers.<name>` and `SUITE-END drivers`; the exit
 * status is the number of failures.
 */
#include <stdio.h>

#include "drvtest.h"

static const char *Failure;
static char FailBuffer[256];

void DrvTestExpect(int Ok, const char *What, int Line)
{
    if (!Ok && !Failure) {
        snprintf(FailBuffer, sizeof(FailBuffer), "line %d: %s", Line, What);
        Failure = FailBuffer;
    }
}

int main(void)
{
    const DRV_TEST_FILE *Files[] = {&ConsoleTestFile, &KeyboardTestFile, &SerialTestFile,
                                    &FramebufferTestFile};
    int Failed = 0;
    for (size_t f = 0; f < sizeof(Files) / sizeof(Files[0]); f++) {
        for (size_t i = 0; i < Files[f]->Count; i++) {
            const DRV_TEST *Test = &Files[f]->Tests[i];
            Files[f]->Setup();
            Failure = NULL;
            Test->Run();
            if (Files[f]->Teardown)
                Files[f]->Teardown();
            if (Failure) {
                printf("TEST-FAIL drivers.%s: %s\n", Test->Name, Failure);
                Failed++;
            } else {
                printf("TEST-PASS drivers.%s\n", Test->Name);
            }
        }
    }
    printf("SUITE-END drivers\n");
    return Failed;
}
