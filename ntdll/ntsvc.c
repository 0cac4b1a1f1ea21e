/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The transport of ntdll's system service stubs (build/ntdll/ntsvc_stubs.c,
 * generated from ntos/services.def): one seL4_Call on the thread's service
 * endpoint with label = the service number and MR0.. = the arguments as
 * words; ntos answers with MR0 = the NTSTATUS. MR4 and up travel in the
 * thread's IPC buffer, which ntos places right after the TEB (ntos/README.md),
 * so libsel4 finds it through GS without a TEB field of its own.
 */

#include "ntdllp.h"

/* The IPC buffer of the calling thread: TEB + 0x2000. */
#define NTDLLP_IPC_BUFFER_OFFSET 0x2000
#define SEL4_IPC_BUFFER_GETTER                                                                     \
    ((seL4_IPCBuffer *)((ULONG_PTR)NtdllpCurrentTeb() + NTDLLP_IPC_BUFFER_OFFSET))
#include <sel4/sel4.h>

/* The service endpoint cap in every process's CSpace (ntos ke.h KI_SERVICE_SLOT). */
#define NTDLLP_SERVICE_SLOT 1
/* Most words a request carries (the generator's limit on parameters). */
#define NTDLLP_MAX_ARGS 16

NTSTATUS NtdllpSystemCall(ULONG Number, const ULONG_PTR *Args, ULONG Count);
VOID NtdllpYieldProcessor(VOID);

NTSTATUS NtdllpSystemCall(ULONG Number, const ULONG_PTR *Args, ULONG Count)
{
    seL4_Word Mr[4] = {0, 0, 0, 0};
    seL4_MessageInfo_t Info;
    ULONG Index;

    if (Count > NTDLLP_MAX_ARGS)
        return STATUS_INVALID_PARAMETER;
    for (Index = 0; Index < Count; Index++) {
        if (Index < 4)
            Mr[Index] = Args[Index];
        else
            seL4_SetMR((int)Index, Args[Index]);
    }
    Info = seL4_MessageInfo_new(Number, 0, 0, Count);
    seL4_CallWithMRs(NTDLLP_SERVICE_SLOT, Info, &Mr[0], &Mr[1], &Mr[2], &Mr[3]);
    return (NTSTATUS)Mr[0];
}

VOID NtdllpYieldProcessor(VOID)
{
    seL4_Yield();
}
