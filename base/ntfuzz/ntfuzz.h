/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared declarations of ntfuzz.exe, the hostile test process of suite
 * nt-fuzz: the service table generated from ntos/services.def, the raw
 * service call, the memory the fuzzer owns (scratch areas its arguments may
 * point into, the arena the memory services may change), the argument
 * generator and the record of one call.
 */
#pragma once

#include <ntnative.h>

#define NTFUZZ_MAX_PARAMS   16
#define NTFUZZ_MAX_STATUSES 24
#define NTFUZZ_PAGE         0x1000ull

/* The generated table: the enum NTFUZZ_KIND of the generator's parameter
 * kinds and NTFUZZ_SERVICE_COUNT (the table itself only where
 * NTFUZZ_DEFINE_TABLE is defined: args.c). */
#include "svctable.h"

/* Room for per-service figures: every number of the table, plus one slot
 * for the requests no service has (out of range or the wrong word count). */
#define NTFUZZ_MAX_SERVICES 256
_Static_assert(NTFUZZ_SERVICE_COUNT < NTFUZZ_MAX_SERVICES, "NTFUZZ_MAX_SERVICES");

typedef struct _NTFUZZ_PARAM {
    UCHAR Kind;          /* NTFUZZ_KIND */
    UCHAR Opt;           /* the pointer may be NULL */
    UCHAR Align;         /* align=N of the .def, 0 if none */
    CHAR LenParam;       /* inbuf/outbuf: index of the length parameter, else -1 */
    USHORT Size;         /* value/in/out/inout: sizeof the type */
    UCHAR ReturnsHandle; /* an out HANDLE: the service hands back a handle */
} NTFUZZ_PARAM;

typedef struct _NTFUZZ_SERVICE {
    const char *Name;
    ULONG Number;
    ULONG ParamCount;
    ULONG StatusCount;
    NTFUZZ_PARAM Params[NTFUZZ_MAX_PARAMS];
    NTSTATUS Statuses[NTFUZZ_MAX_STATUSES]; /* the declared ones */
} NTFUZZ_SERVICE;

extern const NTFUZZ_SERVICE *const NtfuzzTable;
extern const ULONG NtfuzzServiceCount;

/* What a generated argument word is, so the checker knows what to expect. */
enum NTFUZZ_PTR_CLASS {
    PTR_VALID,    /* whole object readable and writable by the caller */
    PTR_NULL,     /* 0 */
    PTR_BAD,      /* clearly bad: tiny, kernel half, non-canonical, unmapped */
    PTR_PARTIAL,  /* starts valid, runs into an unmapped page */
    PTR_READONLY, /* valid to read, read-only page */
    PTR_ARENA,    /* in the arena the memory services change: unknown */
};

/* One call as issued, kept for the report. */
typedef struct _NTFUZZ_CALL {
    ULONG64 Index;
    ULONG Number;
    ULONG Count;       /* argument words sent (message length) */
    ULONG ExtraCaps;   /* extra caps of the message (0..3) */
    ULONG_PTR Caps[3]; /* their cap pointers */
    ULONG_PTR Args[NTFUZZ_MAX_PARAMS];
    UCHAR Class[NTFUZZ_MAX_PARAMS]; /* NTFUZZ_PTR_CLASS of pointer args */
    BOOLEAN Valid;                  /* number in range and count right */
} NTFUZZ_CALL;

/* ---- syscall.c ---- */

/* One service request straight on the thread's endpoint (not through
 * ntdll): label Number, Count words of Args; returns the reply's MR0. */
NTSTATUS NtfuzzRawCall(ULONG64 Number, const ULONG_PTR *Args, ULONG Count);
/* The same with a message length of Words (Count words written, at most
 * 120; a longer length is the kernel's to clamp) and ExtraCaps (0..3) cap
 * pointers Caps put in the IPC buffer. */
NTSTATUS NtfuzzRawCallEx(ULONG64 Number, const ULONG_PTR *Args, ULONG Count, ULONG Words,
                         ULONG ExtraCaps, const ULONG_PTR *Caps);

/* ---- memory.c ---- */

/* Sets up the scratch areas and the arena; FALSE if the system refused. */
BOOLEAN NtfuzzSetUpMemory(VOID);
/* A pointer of a random class to room for Size bytes; *Class says which. */
ULONG_PTR NtfuzzPointer(ULONG64 Size, UCHAR *Class, BOOLEAN AllowArena);
/* A pointer and a length for an inbuf/outbuf; never lets a valid pointer's
 * range reach memory the fuzzer lives on. */
VOID NtfuzzBuffer(ULONG_PTR *Pointer, ULONG_PTR *Length, UCHAR *Class);
/* An address for the memory services: in the arena or clearly bad, never
 * the fuzzer's own image, stack, heap or scratch. */
ULONG_PTR NtfuzzMemoryServiceAddress(VOID);
/* The stack scratch area of the current call (set by the caller's frame). */
VOID NtfuzzSetStackScratch(PUCHAR Base, ULONG Size);
/* TRUE if the read-only area still holds what it was built with. */
BOOLEAN NtfuzzReadOnlyIntact(VOID);
BOOLEAN NtfuzzWritable(ULONG_PTR Pointer, ULONG64 Size);
/* A target near the end of the committed straddle page. */
ULONG_PTR NtfuzzStraddleTarget(VOID);
/* Bytes a memory service may reach from Address without touching the
 * fuzzer's own memory (~0: unmapped memory follows). */
ULONG_PTR NtfuzzTargetRoom(ULONG_PTR Address);
/* TRUE if Address is in the arena. */
BOOLEAN NtfuzzInArena(ULONG_PTR Address);

/* ---- random.c ---- */

/* Per call: TRUE for a mostly well-formed request (one argument in a few
 * still hostile), so calls get past the probes into the handlers. */
extern BOOLEAN NtfuzzGentle;

VOID NtfuzzSeed(ULONG64 Seed);
ULONG64 NtfuzzRandom(VOID);
static inline ULONG64 NtfuzzBelow(ULONG64 N)
{
    return N ? NtfuzzRandom() % N : 0;
}
static inline BOOLEAN NtfuzzChance(ULONG Percent)
{
    return NtfuzzBelow(100) < Percent;
}
/* TRUE if this argument should be hostile (always, outside gentle calls). */
BOOLEAN NtfuzzHostile(VOID);
ULONG_PTR NtfuzzValue(ULONG Size);
ULONG_PTR NtfuzzLength(VOID);

/* ---- args.c ---- */

/* Fills Call with a random request; FALSE if the policy skipped it. */
BOOLEAN NtfuzzGenerate(NTFUZZ_CALL *Call);
/* After the call: remember handles and allocations it returned. */
VOID NtfuzzHarvest(const NTFUZZ_CALL *Call, NTSTATUS Status);
/* Closes harvested handles and frees harvested memory. */
VOID NtfuzzReleaseHarvest(VOID);
/* Service number by name, or -1. */
LONG NtfuzzServiceNumber(const char *Name);

/* ---- ntfuzz.c ---- */

VOID NtfuzzPrint(const char *Format, ...);
