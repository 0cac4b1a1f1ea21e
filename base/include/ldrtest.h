/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The test DLLs of the loader tests (base/ntapitest/ldr.c, tls.c):
 * ldrtestdll.dll (DllMain and a TLS callback that record what they were
 * called with; imports ldrdepdll.dll), ldrdepdll.dll (a DLL with a
 * relocated pointer and an attach count) and ldrfaildll.dll (its DllMain
 * refuses DLL_PROCESS_ATTACH).
 */
#pragma once

#include <ntnative.h>

#define LDRTEST_KIND_DLLMAIN 1
#define LDRTEST_KIND_TLS     2
#define LDRTEST_MAX_EVENTS   64
#define LDRTEST_TLS_MAGIC    0x7151ab1eu

typedef struct _LDRTEST_EVENT {
    ULONG Kind;           /* LDRTEST_KIND_* */
    ULONG Reason;         /* DLL_PROCESS_ATTACH ... */
    BOOLEAN ReservedSet;  /* the third argument was not NULL */
    BOOLEAN LoaderLocked; /* the caller held the loader lock */
    BOOLEAN OwnBase;      /* the first argument was the DLL's base */
    BOOLEAN DepAttached;  /* ldrdepdll.dll had been attached */
    HANDLE ThreadId;
} LDRTEST_EVENT;

/* The per-thread data of ldrtestdll.dll's TLS template. */
typedef struct _LDRTEST_TLS {
    ULONG Magic; /* LDRTEST_TLS_MAGIC in the template */
    ULONG Value; /* 5 in the template */
} LDRTEST_TLS;
#define LDRTEST_TLS_ZERO_FILL 16

/* ldrtestdll.dll */
typedef ULONG (*LDRTEST_GET_EVENTS)(const LDRTEST_EVENT **Events);
typedef VOID (*LDRTEST_SET_DETACH_TARGET)(volatile ULONG *Target); /* gets 0x100 | Reason */
typedef LDRTEST_TLS *(*LDRTEST_THREAD_DATA)(VOID);                 /* the caller's copy */
typedef int (*LDRTEST_DEP_SUM)(int A, int B); /* through its import of ldrdepdll */

/* ldrdepdll.dll */
typedef int (*LDRDEP_ADD)(int A, int B);
typedef BOOLEAN (*LDRDEP_RELOCATED)(VOID);
typedef LONG (*LDRDEP_ATTACHED)(VOID);
