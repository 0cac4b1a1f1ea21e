/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications and bound notifications (spec §13.5, §13.6).
 * kernel/object/notification.c. */
#pragma once

#include <structures.h>

void sendSignal(notification_t *ntfnPtr, word_t badge);
void receiveSignal(tcb_t *thread, cap_t cap, bool isBlocking);
void cancelAllSignals(notification_t *ntfnPtr);
void cancelSignal(tcb_t *threadPtr, notification_t *ntfnPtr);
/* A bound, active notification delivers its word instead of a message. */
void completeSignal(notification_t *ntfnPtr, tcb_t *tcb);
void bindNotification(tcb_t *tcb, notification_t *ntfnPtr);
void unbindNotification(tcb_t *tcb);
void unbindMaybeNotification(notification_t *ntfnPtr);
