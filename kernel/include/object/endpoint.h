/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint IPC (spec §13). kernel/object/endpoint.c. */
#pragma once

#include <structures.h>

void sendIPC(bool blocking, bool do_call, word_t badge, bool canGrant, bool canGrantReply,
             tcb_t *thread, endpoint_t *epptr);
/* cap = the endpoint cap received on (its Grant right matters for reply caps). */
void receiveIPC(tcb_t *thread, cap_t cap, bool isBlocking);
/* Remove the thread from whatever IPC it is blocked in. */
void cancelIPC(tcb_t *tptr);
/* Restart every queued thread (endpoint being deleted). */
void cancelAllIPC(endpoint_t *epptr);
/* Restart queued senders whose badge matches (CNodeCancelBadgedSends). */
void cancelBadgedSends(endpoint_t *epptr, word_t badge);
/* Kernel replies to a Call on a kernel object. */
void replyFromKernel_error(tcb_t *thread);
void replyFromKernel_success_empty(tcb_t *thread);
