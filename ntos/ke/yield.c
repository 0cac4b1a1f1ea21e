/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtYieldExecution. The caller is blocked in its seL4_Call while ntos runs,
 * so ntos cannot give its time slice away for it: the service only answers,
 * and the ntdll stub (services.def: `ntdll yield`) then calls seL4_Yield,
 * which moves the thread to the end of its priority's ready queue.
 */

#include <ntsvc.h>

NTSTATUS NtYieldExecution(void)
{
    return STATUS_SUCCESS;
}
