/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two kinds of thread queue: the ready queues (one doubly linked FIFO
 * per priority, threaded through schedNext/schedPrev, with the two-level
 * bitmap of model/statedata.h marking the non-empty ones) and the endpoint /
 * notification wait queues (threaded through epNext/epPrev; the queue head
 * lives in the endpoint or notification and is passed by value). tcb_t has
 * no "queued" flag: a thread is in a ready queue exactly when it has a
 * predecessor or heads the queue of its priority, so both links are cleared
 * whenever a thread leaves a queue. A queued thread's priority does not
 * change (setPriority dequeues first), and there is one domain (spec §1.1),
 * so the queue of a thread is always ksReadyQueues[tcb->priority].
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <object/tcb.h>

static tcb_queue_t *readyQueueOf(tcb_t *tcb)
{
    kassert(tcb->priority < CONFIG_NUM_PRIORITIES); /* decode bounds priorities by the MCP */
    return &ksReadyQueues[tcb->priority];
}

static bool isQueuedReady(tcb_t *tcb)
{
    return tcb->schedPrev != NULL || readyQueueOf(tcb)->head == tcb;
}

/* To the front: the thread runs next among its peers (preempted or woken). */
void tcbSchedEnqueue(tcb_t *tcb)
{
    if (isQueuedReady(tcb))
        return;
    tcb_queue_t *q = readyQueueOf(tcb);
    if (q->head == NULL) {
        addToBitmap(tcb->priority);
        q->end = tcb;
    } else {
        q->head->schedPrev = tcb;
    }
    tcb->schedPrev = NULL;
    tcb->schedNext = q->head;
    q->head = tcb;
}

/* To the back: the thread waits for its peers (Yield, end of time slice). */
void tcbSchedAppend(tcb_t *tcb)
{
    if (isQueuedReady(tcb))
        return;
    tcb_queue_t *q = readyQueueOf(tcb);
    if (q->head == NULL) {
        addToBitmap(tcb->priority);
        q->head = tcb;
    } else {
        q->end->schedNext = tcb;
    }
    tcb->schedPrev = q->end;
    tcb->schedNext = NULL;
    q->end = tcb;
}

void tcbSchedDequeue(tcb_t *tcb)
{
    if (!isQueuedReady(tcb))
        return;
    tcb_queue_t *q = readyQueueOf(tcb);
    if (tcb->schedPrev)
        tcb->schedPrev->schedNext = tcb->schedNext;
    else
        q->head = tcb->schedNext;
    if (tcb->schedNext)
        tcb->schedNext->schedPrev = tcb->schedPrev;
    else
        q->end = tcb->schedPrev;
    if (q->head == NULL)
        removeFromBitmap(tcb->priority);
    tcb->schedPrev = tcb->schedNext = NULL;
}

/* Endpoint and notification queues are FIFO (spec §13.2). */
tcb_queue_t tcbEPAppend(tcb_t *tcb, tcb_queue_t queue)
{
    if (queue.head == NULL)
        queue.head = tcb;
    else
        queue.end->epNext = tcb;
    tcb->epPrev = queue.end;
    tcb->epNext = NULL;
    queue.end = tcb;
    return queue;
}

tcb_queue_t tcbEPDequeue(tcb_t *tcb, tcb_queue_t queue)
{
    if (tcb->epPrev)
        tcb->epPrev->epNext = tcb->epNext;
    else
        queue.head = tcb->epNext;
    if (tcb->epNext)
        tcb->epNext->epPrev = tcb->epPrev;
    else
        queue.end = tcb->epPrev;
    tcb->epPrev = tcb->epNext = NULL;
    return queue;
}
