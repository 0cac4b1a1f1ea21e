/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The domain cap (spec §12.4, §24.8): moving a thread to another domain
 * (DomainSet_Set) and the run-time domain schedule (ScheduleConfigure and
 * ScheduleSetStart, new in 16.0.0). The schedule table lives here. With
 * one domain (spec §1.1) the schedule has no visible effect on scheduling;
 * only its validation rules are observable. An entry packs the domain into
 * the top 8 bits and the duration (ticks) into the low 56; an all-zero
 * entry is an end marker. The entry the schedule starts from never has a
 * zero duration.
 */
#include <types.h>
#include <util.h>
#include <structures.h>
#include <model/statedata.h>
#include <kernel/thread.h>
#include <object/tcb.h>
#include <object/objecttype.h>

#define DSCHED_DOMAIN_SHIFT 56
#define DSCHED_MAX_DURATION MASK(DSCHED_DOMAIN_SHIFT) /* 2^56 - 1 (spec §12.4) */

/* Entry 0: domain 0 for one tick; entry 1: the end marker. */
word_t ksDomSchedule[CONFIG_NUM_DOMAIN_SCHEDULES] = {1};
word_t ksDomScheduleStart;

_Static_assert(DOM_SCHEDULE_LENGTH >= 1, "at least one configurable entry");

static exception_t syscallError(word_t type)
{
    current_syscall_error.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

static exception_t rangeError(word_t min, word_t max)
{
    current_syscall_error.rangeErrorMin = min;
    current_syscall_error.rangeErrorMax = max;
    return syscallError(seL4_RangeError);
}

static exception_t invalidArgument(word_t n)
{
    current_syscall_error.invalidArgumentNumber = n;
    return syscallError(seL4_InvalidArgument);
}

/* MR0 = domain, cap0 = the thread. */
static exception_t decodeDomainSetSet(word_t length, word_t *buffer)
{
    if (length < 1)
        return syscallError(seL4_TruncatedMessage);
    word_t domain = getMR(ksCurThread, buffer, 0);
    if (domain >= CONFIG_NUM_DOMAINS)
        return invalidArgument(0);
    cte_t *tcbSlot = current_extra_caps.excaprefs[0];
    if (tcbSlot == NULL)
        return syscallError(seL4_TruncatedMessage);
    if (cap_get_type(tcbSlot->cap) != cap_thread_cap)
        return invalidArgument(1);
    setThreadState(ksCurThread, ThreadState_Restart);
    setDomain(cap_thread_get_tcb(tcbSlot->cap), domain);
    return EXCEPTION_NONE;
}

/* MR0 = index, MR1 = domain, MR2 = duration (one word on 64-bit). */
static exception_t decodeDomainScheduleConfigure(word_t length, word_t *buffer)
{
    if (length < 3)
        return syscallError(seL4_TruncatedMessage);
    word_t index = getMR(ksCurThread, buffer, 0);
    word_t domain = getMR(ksCurThread, buffer, 1);
    word_t duration = getMR(ksCurThread, buffer, 2);

    if (index >= DOM_SCHEDULE_LENGTH)
        return rangeError(0, DOM_SCHEDULE_LENGTH - 1);
    if (domain >= CONFIG_NUM_DOMAINS)
        return rangeError(0, CONFIG_NUM_DOMAINS - 1);
    if (duration > DSCHED_MAX_DURATION)
        return invalidArgument(2);
    if (duration == 0 && domain != 0)
        return invalidArgument(1); /* an end marker is all zero */
    if (duration == 0 && index == ksDomScheduleStart)
        return invalidArgument(2); /* the start entry must not end the schedule */
    setThreadState(ksCurThread, ThreadState_Restart);
    ksDomSchedule[index] = (domain << DSCHED_DOMAIN_SHIFT) | duration;
    return EXCEPTION_NONE;
}

/* MR0 = index of the entry to start from; the current domain period ends. */
static exception_t decodeDomainScheduleSetStart(word_t length, word_t *buffer)
{
    if (length < 1)
        return syscallError(seL4_TruncatedMessage);
    word_t index = getMR(ksCurThread, buffer, 0);
    if (index >= DOM_SCHEDULE_LENGTH)
        return rangeError(0, DOM_SCHEDULE_LENGTH - 1);
    if (ksDomSchedule[index] == 0)
        return invalidArgument(0);
    setThreadState(ksCurThread, ThreadState_Restart);
    ksDomScheduleStart = index;
    ksDomainTime = 0;
    rescheduleRequired();
    return EXCEPTION_NONE;
}

exception_t decodeDomainInvocation(word_t invLabel, word_t length, word_t *buffer)
{
    switch (invLabel) {
    case DomainSetSet:
        return decodeDomainSetSet(length, buffer);
    case DomainScheduleConfigure:
        return decodeDomainScheduleConfigure(length, buffer);
    case DomainScheduleSetStart:
        return decodeDomainScheduleSetStart(length, buffer);
    default:
        return syscallError(seL4_IllegalOperation);
    }
}
