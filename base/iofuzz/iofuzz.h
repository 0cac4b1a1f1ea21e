/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * iofuzz.exe's private interface (suite io-fuzz, README.md): the random
 * source, the memory requests point into, the devices and the handle pool,
 * the batch of random requests a worker thread runs (ops.c), and the
 * supervisor (iofuzz.c).
 */
#pragma once

#include <ntnative.h>
#include <ntsvc.h>
#include <ntprog.h>
#include <nt/memory.h>

#ifndef ARRAYSIZE
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define IOFUZZ_MAX_DEVICES 32
#define IOFUZZ_MAX_HANDLES 48
#define IOFUZZ_NAME_CHARS  96
#define IOFUZZ_IOSBS       64

/* Operations of a batch (ops.c); the counters of the report are by these. */
typedef enum _IOFUZZ_OP {
    IofuzzOpOpen,
    IofuzzOpClose,
    IofuzzOpIoctl,
    IofuzzOpFsctl,
    IofuzzOpRead,
    IofuzzOpWrite,
    IofuzzOpQueryInfo,
    IofuzzOpSetInfo,
    IofuzzOpQueryVolume,
    IofuzzOpFlush,
    IofuzzOpCancel,
    IofuzzOpBindPort,
    IofuzzOpDrain,
    IofuzzOpDirectory, /* dirctl: NtQueryDirectoryFile / NtNotifyChangeDirectoryFile */
    IofuzzOpCount
} IOFUZZ_OP;

typedef struct _IOFUZZ_DEVICE {
    WCHAR Name[IOFUZZ_NAME_CHARS]; /* \Device\<name> */
    ULONG DeviceType;              /* FileFsDeviceInformation, or 0 when unknown */
    BOOLEAN MayWait;               /* reads and control codes may wait for input for ever */
    BOOLEAN IoTest;                /* iotest.sys's: the driver the suite crashes */
    ULONG64 Opens, OpensOk, Calls, Successes, Pending;
} IOFUZZ_DEVICE;

typedef struct _IOFUZZ_HANDLE {
    HANDLE Handle;
    ULONG Device;
    BOOLEAN Synchronous; /* opened with FILE_SYNCHRONOUS_IO_* */
    BOOLEAN Bound;       /* FileCompletionInformation given */
} IOFUZZ_HANDLE;

typedef struct _IOFUZZ_STATE {
    ULONG64 Seed, Calls, Issued, Skipped, Successes, Pending, Anomalies;
    ULONG64 PerOp[IofuzzOpCount], PerOpSuccess[IofuzzOpCount];
    ULONG64 ApcsRun, PacketsRemoved, RandomCrashes;
    BOOLEAN Trace;
    ULONG OpMask; /* the operations drawn (config ops=, bit per IOFUZZ_OP) */
    IOFUZZ_DEVICE Devices[IOFUZZ_MAX_DEVICES];
    ULONG DeviceCount;
    IOFUZZ_HANDLE Handles[IOFUZZ_MAX_HANDLES];
    ULONG HandleCount;
    HANDLE Events[2];
    HANDLE Port;
    /* The first anomaly. */
    ULONG64 FirstCall;
    char FirstWhy[160];
    /* The request in flight (for a hang's report). */
    ULONG64 CurrentCall;
    IOFUZZ_OP CurrentOp;
    ULONG CurrentDevice;
} IOFUZZ_STATE;

extern IOFUZZ_STATE Iofuzz;

/* random.c */
VOID IofuzzSeed(ULONG64 Seed);
ULONG64 IofuzzRandom(VOID);
ULONG IofuzzBelow(ULONG Limit);
BOOLEAN IofuzzChance(ULONG Percent);

/* memory.c: where request pointers point. Scratch: IOFUZZ_SCRATCH bytes,
 * committed, followed by reserved pages that are not (so a long length
 * runs into a fault and never into the fuzzer's own data); the fuzzer keeps
 * nothing there. The read-only page must stay zero. */
#define IOFUZZ_SCRATCH (128u * 1024)
BOOLEAN IofuzzSetUpMemory(VOID);
PUCHAR IofuzzScratch(VOID);
PVOID IofuzzReadOnly(VOID);
BOOLEAN IofuzzReadOnlyIntact(VOID);
PVOID IofuzzIosb(VOID);
/* A buffer for a request of up to Length bytes, and how clearly bad it is
 * for a non-zero length: its pages are not there (NULL, tiny, the
 * uncommitted tail: Windows' probes that touch pages fail), or it is not
 * in user space at all (kernel half, non-canonical: every probe fails). */
#define IOFUZZ_BAD_NONE     0
#define IOFUZZ_BAD_UNMAPPED 1
#define IOFUZZ_BAD_RANGE    2
PVOID IofuzzBuffer(ULONG *Length, BOOLEAN Output, ULONG *Bad);
ULONG IofuzzLength(VOID);

/* ops.c */
VOID IofuzzRunBatch(ULONG64 Count);
VOID IofuzzCloseAll(VOID);
VOID IofuzzAnomaly(const char *Format, ...);

/* iofuzz.c */
VOID IofuzzPrint(const char *Format, ...);
UNICODE_STRING IofuzzString(PCWSTR Text);
NTSTATUS IofuzzOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Options, HANDLE *Handle);
