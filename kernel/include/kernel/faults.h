/* SPDX-License-Identifier: BSD-2-Clause */
/* Fault delivery to fault endpoints (spec §14). kernel/kernel/faults.c. */
#pragma once

#include <structures.h>

/* Send current_fault (already stored in tptr->fault) to tptr's handler, or
 * print a double fault and leave the thread inactive. */
void handleFault(tcb_t *tptr);
/* Write the fault message for the handler; returns its length. */
word_t setMRs_fault(tcb_t *sender, tcb_t *receiver, word_t *receiveIPCBuffer);
/* Apply the handler's reply; true if the faulting thread should restart. */
bool handleFaultReply(tcb_t *receiver, tcb_t *sender);
