/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fastpath (spec §13.9): Call and ReplyRecv between two threads in
 * the common case, with exactly the result of the slow path
 * (handleSyscall, schedule, activateThread). kernel/api/fastpath.c.
 *
 * Contract with syscall_entry (kernel/arch/x86_64/entry.S): call
 * fastpath_call for RDX = seL4_SysCall and fastpath_reply_recv for
 * RDX = seL4_SysReplyRecv, with cptr = the user's RDI and msgInfo = the
 * user's RSI, *after* the entry bookkeeping the slow path also needs (all
 * registers, FS/GS base and REG_FAULTIP = address of the `syscall` saved
 * into the context) and before c_handle_syscall. If the fast case applies
 * the function switches threads and leaves through
 * restore_user_context_fast() (it does not return); otherwise it returns
 * having changed nothing, and the caller continues with the slow path.
 */
#pragma once

/* seL4_SysCall and seL4_SysReplyRecv (spec §3), for entry.S; fastpath.c
 * checks them against libsel4's. */
#define FASTPATH_SYSCALL_CALL      (-1)
#define FASTPATH_SYSCALL_REPLYRECV (-2)

#ifndef __ASSEMBLER__
#include <types.h>

void fastpath_call(word_t cptr, word_t msgInfo);
void fastpath_reply_recv(word_t cptr, word_t msgInfo);
#endif
