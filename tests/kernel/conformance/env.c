/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-test environment of the conformance suite. At start-up it picks a
 * RAM untyped from bootinfo as the pool and reserves a range of root CNode
 * slots. Every test allocates its objects from the pool into slots of that
 * range; afterwards the pool (and any device untyped the test used) is
 * revoked, which destroys every object and every cap derived from them, and
 * every slot of the range is deleted, which removes caps derived from the
 * initial caps (IO ports, IRQ handlers, copies). The root task's own state
 * that tests may change (priority, bound notification, pending reply cap,
 * receive path) is reset as well.
 */
#include "conf.h"

#define ENV_SLOTS      1400
#define ENV_MAX_DEVICE 4

seL4_CPtr env_pool;
seL4_Word env_pool_bits, env_pool_paddr, env_pool_index;

static seL4_CPtr slot_base, slot_next, slot_hi, slot_end;
static seL4_CPtr device_used[ENV_MAX_DEVICE];
static int n_device;
extern int c_threads_used;

void env_init(void)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    long best = -1;

    /* Smallest RAM untyped of at least 16 MiB (keeps the first reset cheap). */
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice || d->sizeBits < 24)
            continue;
        if (best < 0 || d->sizeBits < bi->untypedList[best].sizeBits)
            best = (long)i;
    }
    if (best < 0) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (!d->isDevice && (best < 0 || d->sizeBits > bi->untypedList[best].sizeBits))
                best = (long)i;
        }
    }
    if (best >= 0) {
        env_pool_index = (seL4_Word)best;
        env_pool = bi->untyped.start + (seL4_Word)best;
        env_pool_bits = bi->untypedList[best].sizeBits;
        env_pool_paddr = bi->untypedList[best].paddr;
    }
    slot_base = rt_slot_alloc_range(ENV_SLOTS);
    slot_end = slot_base ? slot_base + ENV_SLOTS : 0;
    printf("conformance: pool untyped slot %lu (2^%lu bytes), test slots [%lu, %lu)\n", env_pool,
           env_pool_bits, slot_base, slot_end);
}

void env_begin(void)
{
    slot_next = slot_base;
    slot_hi = slot_base;
    n_device = 0;
    c_threads_used = 0;
    seL4_SetIPCBuffer(rt_bootinfo->ipcBuffer);
    seL4_SetCapReceivePath(0, 0, 0);
    if (env_pool == 0)
        FAIL("no RAM untyped for the test pool");
}

void env_end(void)
{
    seL4_CPtr scratch = c_slot();

    /* Drop a reply cap the test may have left pending in the root TCB. */
    if (scratch) {
        seL4_CNode_SaveCaller(ROOT_CNODE, scratch, DEPTH);
        seL4_CNode_Delete(ROOT_CNODE, scratch, DEPTH);
    }
    seL4_TCB_UnbindNotification(ROOT_TCB);
    if (env_pool)
        seL4_CNode_Revoke(ROOT_CNODE, env_pool, DEPTH);
    for (int i = 0; i < n_device; i++)
        seL4_CNode_Revoke(ROOT_CNODE, device_used[i], DEPTH);
    for (seL4_CPtr s = slot_base; s < slot_hi; s++)
        seL4_CNode_Delete(ROOT_CNODE, s, DEPTH);
    seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, seL4_MaxPrio);
    seL4_SetCapReceivePath(0, 0, 0);
}

seL4_CPtr c_slots(seL4_Word n)
{
    seL4_CPtr s = slot_next;

    for (;;) {
        seL4_Word run = 0;
        while (run < n && s + run < slot_end && c_ident(s + run) == seL4_CapType_Null)
            run++;
        if (run == n)
            break;
        if (s + run >= slot_end) {
            FAIL("out of test slots");
            return 0;
        }
        s += run + 1; /* skip an occupied slot (left over by a failed clean-up) */
    }
    slot_next = s + n;
    if (slot_next > slot_hi)
        slot_hi = slot_next;
    return s;
}

seL4_CPtr c_slot(void)
{
    return c_slots(1);
}

seL4_CPtr c_obj(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr s = c_slot();
    seL4_Error err;

    if (!s)
        return 0;
    err = seL4_Untyped_Retype(env_pool, type, size_bits, ROOT_CNODE, 0, 0, s, 1);
    if (err != seL4_NoError) {
        FAIL("retype of type %lu (size %lu) from the pool failed: %d", type, size_bits, err);
        return 0;
    }
    return s;
}

seL4_CPtr c_untyped(seL4_Word size_bits)
{
    return c_obj(seL4_UntypedObject, size_bits);
}

seL4_CPtr c_ep(void)
{
    return c_obj(seL4_EndpointObject, 0);
}

seL4_CPtr c_ntfn(void)
{
    return c_obj(seL4_NotificationObject, 0);
}

seL4_CPtr c_tcb(void)
{
    return c_obj(seL4_TCBObject, 0);
}

seL4_CPtr c_frame(void)
{
    return c_obj(seL4_X86_4K, 0);
}

seL4_CPtr c_device_untyped(seL4_Word min_bits, seL4_Word *size_bits, seL4_Word *paddr)
{
    seL4_BootInfo *bi = rt_bootinfo;
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    long best = -1;

    /* Smallest device untyped that is big enough, above the first MiB. */
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice || d->sizeBits < min_bits || d->paddr < 0x100000)
            continue;
        if (best < 0 || d->sizeBits < bi->untypedList[best].sizeBits)
            best = (long)i;
    }
    if (best < 0 || n_device >= ENV_MAX_DEVICE)
        return 0;
    if (size_bits)
        *size_bits = bi->untypedList[best].sizeBits;
    if (paddr)
        *paddr = bi->untypedList[best].paddr;
    device_used[n_device++] = bi->untyped.start + (seL4_Word)best;
    return bi->untyped.start + (seL4_Word)best;
}

seL4_CPtr c_mint(seL4_CPtr src, seL4_Word rights, seL4_Word badge)
{
    seL4_CPtr s = c_slot();
    seL4_Error err;

    if (!s)
        return 0;
    err = seL4_CNode_Mint(ROOT_CNODE, s, DEPTH, ROOT_CNODE, src, DEPTH, c_rights(rights), badge);
    if (err != seL4_NoError) {
        FAIL("mint of slot %lu failed: %d", src, err);
        return 0;
    }
    return s;
}

seL4_CPtr c_copy(seL4_CPtr src)
{
    seL4_CPtr s = c_slot();
    seL4_Error err;

    if (!s)
        return 0;
    err = seL4_CNode_Copy(ROOT_CNODE, s, DEPTH, ROOT_CNODE, src, DEPTH, seL4_AllRights);
    if (err != seL4_NoError) {
        FAIL("copy of slot %lu failed: %d", src, err);
        return 0;
    }
    return s;
}

seL4_MessageInfo_t c_call(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word *mr,
                          seL4_Word ncaps, const seL4_CPtr *caps)
{
    seL4_Word m[4] = {0, 0, 0, 0};
    seL4_MessageInfo_t info;

    for (seL4_Word i = 0; i < ncaps && i < 3; i++)
        seL4_SetCap((int)i, caps[i]);
    for (seL4_Word i = 0; i < len && i < seL4_MsgMaxLength; i++) {
        if (i < 4)
            m[i] = mr[i];
        else
            seL4_SetMR((int)i, mr[i]);
    }
    info = seL4_CallWithMRs(cap, seL4_MessageInfo_new(label, 0, ncaps, len), &m[0], &m[1], &m[2],
                            &m[3]);
    for (int i = 0; i < 4; i++)
        seL4_SetMR(i, m[i]);
    return info;
}

seL4_Word c_invoke(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word *mr,
                   seL4_Word ncaps, const seL4_CPtr *caps)
{
    return seL4_MessageInfo_get_label(c_call(cap, label, len, mr, ncaps, caps));
}

uint64_t c_ms(uint64_t ms)
{
    uint64_t mhz = rt_tsc_mhz();
    if (mhz == 0)
        mhz = 3000;
    return ms * mhz * 1000;
}

bool c_recv(seL4_CPtr ep, seL4_Word *badge, seL4_MessageInfo_t *info, uint64_t ms)
{
    uint64_t start = rt_rdtsc(), limit = c_ms(ms);

    for (;;) {
        seL4_Word b = 0;
        seL4_MessageInfo_t in = seL4_NBRecv(ep, &b);
        if (b != 0) {
            if (badge)
                *badge = b;
            if (info)
                *info = in;
            return true;
        }
        if (rt_rdtsc() - start > limit)
            return false;
        seL4_Yield();
    }
}

bool c_wait_flag(volatile seL4_Word *flag, uint64_t ms)
{
    uint64_t start = rt_rdtsc(), limit = c_ms(ms);

    while (*flag == 0) {
        if (rt_rdtsc() - start > limit)
            return false;
        seL4_Yield();
    }
    return true;
}

void c_spin_yield(uint64_t ms)
{
    uint64_t start = rt_rdtsc(), limit = c_ms(ms);

    while (rt_rdtsc() - start < limit)
        seL4_Yield();
}
