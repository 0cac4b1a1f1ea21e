/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capDL dump of seL4_DebugSnapshot (kernel/kernel/capdl.c).
 */
#pragma once

#include <structures.h>

/* Print, on the debug serial port, a capDL spec of the objects reachable
 * from thread's TCB, CSpace and VSpace. Reads kernel state only; bounded
 * (fixed work list, no recursion); prints a `-- truncated` line if the
 * bounds cut the walk short. */
void capdlDump(tcb_t *thread);
