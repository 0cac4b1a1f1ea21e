/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The debug system calls that print kernel state (spec §21):
 * DebugDumpScheduler and DebugSnapshot must return to the caller. They run
 * last (files run in name order) because their output is long and a kernel
 * that fails while printing should not take the other tests with it.
 */
#include "conf.h"

CTEST(debug_dump_scheduler)
{
    seL4_DebugDumpScheduler();
    CHECK(true);
}

CTEST(debug_snapshot)
{
    seL4_DebugSnapshot();
    CHECK(true);
}
