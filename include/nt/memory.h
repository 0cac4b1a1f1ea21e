/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Windows' virtual memory values (winnt.h numbers): page protections and
 * the MEM_* allocation types and states, for ntos's memory manager and
 * ntdll alike (not part of nt.h: the native test programs keep records of
 * their own). Each group is guarded, so code that also sees mingw-w64's
 * winnt.h keeps that header's definitions.
 */
#pragma once

#ifndef PAGE_NOACCESS
#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100
#define PAGE_NOCACHE           0x200
#define PAGE_WRITECOMBINE      0x400
#endif

#ifndef MEM_COMMIT
#define MEM_COMMIT      0x00001000u
#define MEM_RESERVE     0x00002000u
#define MEM_DECOMMIT    0x00004000u
#define MEM_RELEASE     0x00008000u
#define MEM_PRIVATE     0x00020000u
#define MEM_MAPPED      0x00040000u
#define MEM_RESET       0x00080000u
#define MEM_TOP_DOWN    0x00100000u
#define MEM_WRITE_WATCH 0x00200000u
#define MEM_PHYSICAL    0x00400000u
#define MEM_RESET_UNDO  0x01000000u
#define MEM_IMAGE       0x01000000u
#define MEM_LARGE_PAGES 0x20000000u
#endif
