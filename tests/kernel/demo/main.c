/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo root task that `make run` boots until the executive exists. It
 * prints a summary of the bootinfo (untypeds, slots, extra chunks), starts a
 * second thread and plays a short Call/ReplyRecv ping-pong with it over a
 * badged endpoint, reporting both steps in the test protocol (suite `demo`,
 * which `make test` checks when it boots the ISO). With `snapshot=1` in its
 * in-image configuration (tools/rtconfig.py) it then builds a ring of
 * SNAPSHOT_RING small CNodes, each holding a cap to the next (more CNodes
 * than the kernel's dump walks, and a cycle), and calls
 * seL4_DebugSnapshot, whose capDL dump the kernel-boot suite checks
 * (tests/boot/run.py, case boot_debug_snapshot). Then it echoes what is
 * typed on the serial line, polling COM1 through an IOPort cap; `q` powers
 * QEMU off.
 */
#include "roottask.h"

#define PING_ROUNDS   5
#define PING_BADGE    0x42
#define COM1          0x3f8
#define COM1_LSR      (COM1 + 5)
#define SNAPSHOT_RING 80

static const char *chunk_name(seL4_Word id)
{
    switch (id) {
    case SEL4_BOOTINFO_HEADER_X86_VBE:
        return "VBE";
    case SEL4_BOOTINFO_HEADER_X86_MBMMAP:
        return "memory map";
    case SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP:
        return "ACPI RSDP";
    case SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER:
        return "framebuffer";
    case SEL4_BOOTINFO_HEADER_X86_TSC_FREQ:
        return "TSC frequency";
    default:
        return "unknown";
    }
}

static void print_untypeds(const seL4_BootInfo *bi)
{
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    uint64_t ram = 0, dev = 0, nram = 0;

    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *ud = &bi->untypedList[i];
        uint64_t size = ud->sizeBits < 64 ? 1ull << ud->sizeBits : 0;
        if (ud->isDevice) {
            dev += size;
        } else {
            ram += size;
            nram++;
        }
    }
    printf("  untypeds      %lu caps [%lu, %lu): %llu RAM (%llu KiB), %llu device\n", n,
           bi->untyped.start, bi->untyped.end, (unsigned long long)nram,
           (unsigned long long)(ram >> 10), (unsigned long long)(n - nram));
    printf("  device memory %llu MiB (of the 2^47 physical space, not RAM)\n",
           (unsigned long long)(dev >> 20));
}

static void print_mmap(const seL4_BootInfoHeader *h)
{
    const seL4_X86_BootInfo_mmap *m = (const seL4_X86_BootInfo_mmap *)h;
    uint32_t len = m->mmap_length;

    for (uint32_t i = 0; i < 50 && (i + 1) * sizeof(m->mmap[0]) <= len; i++)
        printf("      %016llx +%012llx type %u\n", (unsigned long long)m->mmap[i].base_addr,
               (unsigned long long)m->mmap[i].length, m->mmap[i].type);
}

static void print_chunk(const seL4_BootInfoHeader *h)
{
    printf("  extra chunk   id %lu (%s), %lu bytes\n", h->id, chunk_name(h->id), h->len);
    if (h->id == SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP) {
        const seL4_X86_BootInfo_RSDP *r = (const seL4_X86_BootInfo_RSDP *)h;
        printf("      revision %u, RSDT 0x%x, XSDT 0x%llx\n", r->rsdp.revision,
               r->rsdp.rsdt_address, (unsigned long long)r->rsdp.xsdt_address);
    } else if (h->id == SEL4_BOOTINFO_HEADER_X86_MBMMAP) {
        print_mmap(h);
    } else if (h->id == SEL4_BOOTINFO_HEADER_X86_TSC_FREQ) {
        printf("      %u MHz\n", rt_tsc_mhz());
    } else if (h->id == SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER) {
        const seL4_X86_BootInfo_fb *fb = (const seL4_X86_BootInfo_fb *)h;
        printf("      0x%llx %ux%u, %u bpp, pitch %u, type %u\n", (unsigned long long)fb->addr,
               fb->width, fb->height, fb->bpp, fb->pitch, fb->type);
    }
}

static void print_bootinfo(const seL4_BootInfo *bi)
{
    const char *base = (const char *)bi + (1ul << seL4_BootInfoFrameBits);

    printf("bootinfo at %p, IPC buffer %p, node %lu of %lu\n", (void *)bi, (void *)bi->ipcBuffer,
           bi->nodeID, bi->numNodes);
    printf("  empty slots   [%lu, %lu) of 2^%lu\n", bi->empty.start, bi->empty.end,
           bi->initThreadCNodeSizeBits);
    printf("  image frames  [%lu, %lu), paging [%lu, %lu), extra pages [%lu, %lu)\n",
           bi->userImageFrames.start, bi->userImageFrames.end, bi->userImagePaging.start,
           bi->userImagePaging.end, bi->extraBIPages.start, bi->extraBIPages.end);
    print_untypeds(bi);
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(base + off);
        if (h->len < sizeof(*h))
            break;
        print_chunk(h);
        off += h->len;
    }
}

/* The second thread: answer every request with the value doubled plus one. */
static void echo_server(seL4_Word ep, seL4_Word unused)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);

    for (;;) {
        seL4_Word v = seL4_GetMR(0);
        printf("  server: got %lu with badge 0x%lx, replying %lu\n", v, badge, 2 * v + 1);
        seL4_SetMR(0, 2 * v + 1);
        seL4_SetMR(1, badge);
        info = seL4_MessageInfo_new(0, 0, 0, 2);
        info = seL4_ReplyRecv(ep, info, &badge);
    }
}

/* Set up the endpoint, its badged copy and the server thread. */
static bool start_server(seL4_CPtr *client_ep)
{
    static rt_thread_t server;
    seL4_CPtr ep;
    seL4_Error err = rt_alloc_object(seL4_EndpointObject, 0, &ep);

    if (err != seL4_NoError) {
        printf("TEST-FAIL demo.pingpong: endpoint retype failed (error %d)\n", err);
        return false;
    }
    *client_ep = rt_slot_alloc();
    err = seL4_CNode_Mint(seL4_CapInitThreadCNode, *client_ep, seL4_WordBits,
                          seL4_CapInitThreadCNode, ep, seL4_WordBits, seL4_AllRights, PING_BADGE);
    if (err == seL4_NoError)
        err = rt_thread_start(&server, echo_server, ep, 0, 254);
    if (err != seL4_NoError) {
        printf("TEST-FAIL demo.pingpong: thread set-up failed (error %d)\n", err);
        return false;
    }
    return true;
}

static void ping_pong(void)
{
    seL4_CPtr ep;
    seL4_Word v = 1;

    printf("ping-pong with a second thread (%d rounds)\n", PING_ROUNDS);
    if (!start_server(&ep))
        return;
    for (int i = 0; i < PING_ROUNDS; i++) {
        seL4_SetMR(0, v);
        seL4_MessageInfo_t reply = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        seL4_Word got = seL4_GetMR(0), badge = seL4_GetMR(1);
        printf("  client: sent %lu, got %lu (server saw badge 0x%lx)\n", v, got, badge);
        if (seL4_MessageInfo_get_length(reply) != 2 || got != 2 * v + 1 || badge != PING_BADGE) {
            printf("TEST-FAIL demo.pingpong: round %d: length %lu value %lu badge 0x%lx\n", i,
                   seL4_MessageInfo_get_length(reply), got, badge);
            return;
        }
        v = got;
    }
    printf("TEST-PASS demo.pingpong\n");
}

/* A cycle of 2-slot CNodes: slot 0 of each holds a cap to the next. */
static void build_cnode_ring(void)
{
    seL4_CPtr ring[SNAPSHOT_RING];
    seL4_Error err = seL4_NoError;

    for (int i = 0; i < SNAPSHOT_RING && err == seL4_NoError; i++)
        err = rt_alloc_object(seL4_CapTableObject, 1, &ring[i]);
    for (int i = 0; i < SNAPSHOT_RING && err == seL4_NoError; i++)
        err = seL4_CNode_Copy(ring[i], 0, 1, seL4_CapInitThreadCNode, ring[(i + 1) % SNAPSHOT_RING],
                              seL4_WordBits, seL4_AllRights);
    printf("demo: ring of %d CNodes %s (error %d)\n", SNAPSHOT_RING,
           err == seL4_NoError ? "built" : "failed", err);
}

/* Echo serial input until `q`. Polls: the demo has no interrupt set-up. */
static void echo_input(void)
{
    seL4_CPtr com1 = rt_slot_alloc();

    if (seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, COM1, COM1 + 7, seL4_CapInitThreadCNode,
                                     com1, seL4_WordBits) != seL4_NoError) {
        printf("demo: no access to COM1, halting\n");
        seL4_DebugHalt();
    }
    printf("demo: type to echo, 'q' powers off (QEMU monitor: Ctrl-A C, quit: Ctrl-A X)\n");
    for (;;) {
        seL4_X86_IOPort_In8_t lsr = seL4_X86_IOPort_In8(com1, COM1_LSR);
        if (lsr.error != seL4_NoError || !(lsr.result & 1)) {
            seL4_Yield();
            continue;
        }
        char c = (char)seL4_X86_IOPort_In8(com1, COM1).result;
        if (c == 'q')
            break;
        putchar(c == '\r' ? '\n' : c);
    }
    printf("\ndemo: bye\n");
}

int main(seL4_BootInfo *bi)
{
    printf("\nNereid demo root task\n");
    print_bootinfo(bi);
    printf("TEST-PASS demo.bootinfo\n");
    ping_pong();
    if (rt_config_u64("snapshot", 0)) {
        build_cnode_ring();
        printf("demo: seL4_DebugSnapshot\n");
        seL4_DebugSnapshot();
        printf("demo: snapshot done\n");
    }
    printf("SUITE-END demo\n");
    echo_input();
    return 0;
}
