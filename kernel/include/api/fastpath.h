/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fastpath (spec §13.9): Call and ReplyRecv between two threads in
 * the common case, with exactly the result of the slow path
 * (handleSyscall, schedule, activateThread). kernel/api/fastpath.c.
 *
 * Contract with c_handle_syscall (kernel/arch/x86_64/c_traps.c): call
 * fastpath_call for RDX = seL4_SysCall and fastpath_reply_recv for
 * RDX = seL4_SysReplyRecv, with cptr = saved RDI and msgInfo = saved RSI,
 * *after* the entry bookkeeping the slow path also needs (FS/GS base saved
 * into the context, REG_FAULTIP = address of the `syscall`) and before
 * handleSyscall. If the fast case applies the function switches threads and
 * leaves through restore_user_context() (it does not return); otherwise it
 * returns having changed nothing, and the caller continues with the slow
 * path.
 */
#pragma once

#include <types.h>

void fastpath_call(word_t cptr, word_t msgInfo);
void fastpath_reply_recv(word_t cptr, word_t msgInfo);
