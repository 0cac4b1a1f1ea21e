/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waits on dispatcher objects (ke.h). Not there yet: no wait is alertable,
 * so there is never one to abort.
 */
#include "kep.h"

void KeAbortAlertableWait(PETHREAD Thread, NTSTATUS Status)
{
    (void)Thread, (void)Status;
}
