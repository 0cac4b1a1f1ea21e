/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtClose: the service that closes a handle of the calling process.
 */

#include <ntsvc.h>
#include "obp.h"

NTSTATUS NtClose(HANDLE Handle)
{
    PETHREAD Thread = KeGetCurrentThread();

    return ObCloseHandle(Thread->Process, Handle);
}
