/* SPDX-License-Identifier: BSD-2-Clause */
/* The host test's view of its doubles (shim.c): call counters. */
#pragma once

#include <types.h>
#include <structures.h>
#include <model/statedata.h>
#include <object/objecttype.h>

struct shim_calls {
    int suspend, initTCB, replies, sendIPC, cancelAllIPC, cancelBadgedSends, sendSignal;
    int unbindNotification, unbindMaybeNotification, cancelAllSignals;
    int deletingIRQ, deletedIRQ;
    word_t lastBadge;
};
extern struct shim_calls shim;
/* Called from inside the cancelAllIPC double when set (stack depth probe). */
extern void (*shim_on_cancelAllIPC)(void);
/* Name of the running test, for kpanic's failure line. */
extern const char *shim_current_test;
