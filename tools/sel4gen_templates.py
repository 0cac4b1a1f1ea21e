# SPDX-License-Identifier: BSD-2-Clause
#
# sel4gen_templates: the fixed C text of Nereid's generated libsel4 headers,
# used by tools/sel4gen.py. It owns the parts that do not come from
# libsel4/sel4.abi: the prologues of types.h and syscalls.h (64-bit types, IPC
# buffer access, the test hook), the C templates of the stub shapes that
# `stub` lines name, and the helpers of sel4.h.


TYPES_PROLOGUE = """#pragma once

#include <sel4/constants.h>

/* 64-bit types: `long` is 64 bits under LP64 (SysV ELF), `long long` under
 * LLP64 (Microsoft x64 PE). The ABI only cares about the width. */
#if defined(__LP64__)
typedef unsigned long sel4_u64_t;
typedef long sel4_s64_t;
#else
typedef unsigned long long sel4_u64_t;
typedef long long sel4_s64_t;
#endif
"""



SYSCALLS_PROLOGUE = r"""#pragma once

#include <sel4/types.h>

/*
 * Where the IPC buffer pointer lives (§6). By default a thread-local
 * variable, __sel4_ipc_buffer; one translation unit of the program defines it
 * by defining SEL4_IPC_BUFFER_DEFINE before including this header. A program
 * that keeps the pointer elsewhere (a PE image, in its TEB) defines
 * SEL4_IPC_BUFFER_GETTER as an expression of type seL4_IPCBuffer *, and may
 * define SEL4_IPC_BUFFER_SETTER(p) to provide seL4_SetIPCBuffer.
 */
#if defined(SEL4_IPC_BUFFER_GETTER)
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return (SEL4_IPC_BUFFER_GETTER);
}
#if defined(SEL4_IPC_BUFFER_SETTER)
static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *p)
{
    SEL4_IPC_BUFFER_SETTER(p);
}
#endif
#else
#if defined(SEL4_IPC_BUFFER_DEFINE)
__thread seL4_IPCBuffer *__sel4_ipc_buffer;
#else
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;
#endif
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}
static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *p)
{
    __sel4_ipc_buffer = p;
}
#endif

/* Message registers MR4 and up live in the IPC buffer (§5.2, §5.3); MR0..3
 * travel in registers but have slots there too, which the stubs below fill. */
static inline seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}
static inline void seL4_SetMR(int i, seL4_Word v)
{
    seL4_GetIPCBuffer()->msg[i] = v;
}
static inline seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}
static inline void seL4_SetUserData(seL4_Word v)
{
    seL4_GetIPCBuffer()->userData = v;
}
/* Badge of unwrapped extra cap i of a received message (§13.7). */
static inline seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}
static inline seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}
/* Extra cap i of the next message sent (§5.3). */
static inline void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}
static inline void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                          seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    if (receiveCNode != seL4_Null)
        *receiveCNode = b->receiveCNode;
    if (receiveIndex != seL4_Null)
        *receiveIndex = b->receiveIndex;
    if (receiveDepth != seL4_Null)
        *receiveDepth = b->receiveDepth;
}
/* Where a cap received by the next Recv is put (§13.7). */
static inline void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                          seL4_Word receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->receiveCNode = receiveCNode;
    b->receiveIndex = receiveIndex;
    b->receiveDepth = receiveDepth;
}

/*
 * SEL4_SYSCALL_HOOK: host tests define it as the name of a function
 * `void f(seL4_SyscallRegs *)` that plays the kernel; the stubs then call it
 * instead of executing `syscall`.
 */
#if defined(SEL4_SYSCALL_HOOK)
typedef struct seL4_SyscallRegs {
    seL4_Word rdx, rdi, rsi, r10, r8, r9, r15;
} seL4_SyscallRegs;
void SEL4_SYSCALL_HOOK(seL4_SyscallRegs *regs);
#endif
"""


# Each stub shape: (C signature, body). {sys} is the syscall constant, {conv}
# the convention. Bodies use the names rdi, rsi, m0..m3 for the registers.
LOAD_IPCBUF = """    seL4_Word len = seL4_MessageInfo_get_length(msgInfo);
    seL4_Word m0 = len > 0 ? seL4_GetMR(0) : 0, m1 = len > 1 ? seL4_GetMR(1) : 0;
    seL4_Word m2 = len > 2 ? seL4_GetMR(2) : 0, m3 = len > 3 ? seL4_GetMR(3) : 0;
"""
LOAD_MRS = """    seL4_Word len = seL4_MessageInfo_get_length(msgInfo);
    seL4_Word m0 = (mr0 != seL4_Null && len > 0) ? *mr0 : 0;
    seL4_Word m1 = (mr1 != seL4_Null && len > 1) ? *mr1 : 0;
    seL4_Word m2 = (mr2 != seL4_Null && len > 2) ? *mr2 : 0;
    seL4_Word m3 = (mr3 != seL4_Null && len > 3) ? *mr3 : 0;
"""
ZERO_MRS = "    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;\n"
STORE_IPCBUF = """    seL4_MessageInfo_t out = {{{{rsi}}}};
    seL4_Word got = seL4_MessageInfo_get_length(out);
    if (got > 0)
        seL4_SetMR(0, m0);
    if (got > 1)
        seL4_SetMR(1, m1);
    if (got > 2)
        seL4_SetMR(2, m2);
    if (got > 3)
        seL4_SetMR(3, m3);
"""
STORE_MRS = """    seL4_MessageInfo_t out = {{{{rsi}}}};
    if (mr0 != seL4_Null)
        *mr0 = m0;
    if (mr1 != seL4_Null)
        *mr1 = m1;
    if (mr2 != seL4_Null)
        *mr2 = m2;
    if (mr3 != seL4_Null)
        *mr3 = m3;
"""
MRPTRS = "seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3"
CALL = "    sel4_x64_sys_{conv}({sys}, &rdi, &rsi, &m0, &m1, &m2, &m3);\n"
SENDER = "    if (sender != seL4_Null)\n        *sender = rdi;\n"

SHAPES = {
    "send_ipcbuf": ("void {name}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)",
                    "    seL4_Word rdi = dest, rsi = msgInfo.words[0];\n" + LOAD_IPCBUF + CALL),
    "send_mrs": ("void {name}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, " + MRPTRS + ")",
                 "    seL4_Word rdi = dest, rsi = msgInfo.words[0];\n" + LOAD_MRS + CALL),
    "reply_ipcbuf": ("void {name}(seL4_MessageInfo_t msgInfo)",
                     "    seL4_Word rdi = 0, rsi = msgInfo.words[0];\n" + LOAD_IPCBUF + CALL),
    "reply_mrs": ("void {name}(seL4_MessageInfo_t msgInfo, " + MRPTRS + ")",
                  "    seL4_Word rdi = 0, rsi = msgInfo.words[0];\n" + LOAD_MRS + CALL),
    "signal": ("void {name}(seL4_CPtr dest)",
               "    seL4_Word rdi = dest, rsi = seL4_MessageInfo_new(0, 0, 0, 1).words[0];\n"
               + ZERO_MRS + CALL),
    "recv_ipcbuf": ("seL4_MessageInfo_t {name}(seL4_CPtr src, seL4_Word *sender)",
                    "    seL4_Word rdi = src, rsi = 0;\n" + ZERO_MRS + CALL + STORE_IPCBUF
                    + SENDER + "    return out;\n"),
    "wait": ("void {name}(seL4_CPtr src, seL4_Word *sender)",
             "    seL4_Word rdi = src, rsi = 0;\n" + ZERO_MRS + CALL + STORE_IPCBUF
             + SENDER),
    "recv_mrs": ("seL4_MessageInfo_t {name}(seL4_CPtr src, seL4_Word *sender, " + MRPTRS + ")",
                 "    seL4_Word rdi = src, rsi = 0;\n" + ZERO_MRS + CALL + STORE_MRS
                 + SENDER + "    return out;\n"),
    "call_ipcbuf": ("seL4_MessageInfo_t {name}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)",
                    "    seL4_Word rdi = dest, rsi = msgInfo.words[0];\n" + LOAD_IPCBUF + CALL
                    + STORE_IPCBUF + "    return out;\n"),
    "call_mrs": ("seL4_MessageInfo_t {name}(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, "
                 + MRPTRS + ")",
                 "    seL4_Word rdi = dest, rsi = msgInfo.words[0];\n" + LOAD_MRS + CALL
                 + STORE_MRS + "    return out;\n"),
    "replyrecv_ipcbuf": ("seL4_MessageInfo_t {name}(seL4_CPtr src, seL4_MessageInfo_t msgInfo, "
                         "seL4_Word *sender)",
                         "    seL4_Word rdi = src, rsi = msgInfo.words[0];\n" + LOAD_IPCBUF
                         + CALL + STORE_IPCBUF + SENDER + "    return out;\n"),
    "replyrecv_mrs": ("seL4_MessageInfo_t {name}(seL4_CPtr src, seL4_MessageInfo_t msgInfo, "
                      "seL4_Word *sender, " + MRPTRS + ")",
                      "    seL4_Word rdi = src, rsi = msgInfo.words[0];\n" + LOAD_MRS + CALL
                      + STORE_MRS + SENDER + "    return out;\n"),
    "noargs": ("void {name}(void)", "    seL4_Word rdi = 0, rsi = 0;\n" + ZERO_MRS + CALL),
    "putchar": ("void {name}(char c)",
                "    seL4_Word rdi = (seL4_Uint8)c, rsi = 0;\n" + ZERO_MRS + CALL),
    "capidentify": ("seL4_Uint32 {name}(seL4_CPtr cap)",
                    "    seL4_Word rdi = cap, rsi = 0;\n" + ZERO_MRS + CALL
                    + "    return (seL4_Uint32)rdi;\n"),
    "namethread": ("void {name}(seL4_CPtr tcb, const char *name)",
                   "    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];\n"
                   "    seL4_Word i;\n"
                   "    for (i = 0; name[i] != 0 && i + 1 < seL4_MaxNameThreadLength; i++)\n"
                   "        dst[i] = name[i];\n"
                   "    dst[i] = 0;\n"
                   "    seL4_Word rdi = tcb, rsi = 0;\n" + ZERO_MRS + CALL),
}



SEL4_H = """#pragma once

#include <sel4/constants.h>
#include <sel4/types.h>
#include <sel4/syscalls.h>
#include <sel4/invocations.h>

/* After a frame or table Map failed with seL4_FailedLookup: how many bits
 * were left, i.e. which level is missing (SEL4_MAPPING_LOOKUP_NO_*, §18.2). */
static inline seL4_Word seL4_MappingFailedLookupLevel(void)
{
    return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL);
}

/* The bootinfo chunk of the given id after the bootinfo frame (§20.5), or
 * seL4_Null. */
static inline const seL4_BootInfoHeader *seL4_BootInfo_FindChunk(const seL4_BootInfo *bi,
                                                                  seL4_Word id)
{
    const char *p = (const char *)bi + (1ul << seL4_BootInfoFrameBits);
    const char *end = p + bi->extraLen;
    while (p + sizeof(seL4_BootInfoHeader) <= end) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->id == id)
            return h;
        if (h->len < sizeof(seL4_BootInfoHeader))
            break;
        p += h->len;
    }
    return seL4_Null;
}
"""
