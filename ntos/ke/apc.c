/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Alerts and user APCs (ke.h). Not there yet: no thread is ever alerted and
 * no APC can be queued, so an alertable wait always goes on.
 */
#include "kep.h"

NTSTATUS KeCheckAlertable(PETHREAD Thread)
{
    (void)Thread;
    return STATUS_SUCCESS;
}

NTSTATUS KeInsertUserApc(PETHREAD Thread, ULONG_PTR Routine, ULONG_PTR Argument1,
                         ULONG_PTR Argument2, ULONG_PTR Argument3)
{
    (void)Thread, (void)Routine, (void)Argument1, (void)Argument2, (void)Argument3;
    return STATUS_NOT_IMPLEMENTED; /* FIXME: user APC delivery */
}
