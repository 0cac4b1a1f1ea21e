/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtShutdownSystem: every action Windows does not define is
 * INVALID_PARAMETER and nothing shuts down (the test goes on). The three
 * real actions end the machine; suite nt-shutdown (tests/system/) checks
 * them from outside.
 */
#include "ntapitest.h"

TEST(shutdown, invalid_actions)
{
    static const ULONG Actions[] = {3, 4, 0x100, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu};

    for (ULONG i = 0; i < sizeof(Actions) / sizeof(Actions[0]); i++)
        CHECK_STATUS(NtShutdownSystem(Actions[i]), STATUS_INVALID_PARAMETER);
}
