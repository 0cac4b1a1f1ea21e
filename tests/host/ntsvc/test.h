/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host test program of suite `ntsvc`: registration and checks, and the
 * test doubles (fake.c) standing in for the parts of ntos the system
 * service code calls: mm's user-memory copy and pool, ke's current thread,
 * console and boot info. User memory is an identity-mapped arena: a "user
 * address" is the host address of a byte in it, so tests build arguments
 * with plain C; the arena's last page is read-only and any address outside
 * it is unmapped.
 */
#pragma once

#include <stdio.h>
#include <string.h>
#include <ntsvc.h>
#include <ob.h>
#include <mm.h>

typedef void (*TEST_FUNCTION)(void);
void TestRegister(const char *Name, TEST_FUNCTION Function);
extern char TestFailure[512];

#define TEST(name)                                                                                 \
    static void Test_##name(void);                                                                 \
    __attribute__((constructor)) static void Register_##name(void)                                 \
    {                                                                                              \
        TestRegister(#name, Test_##name);                                                          \
    }                                                                                              \
    static void Test_##name(void)

#define FAIL_AT(...)                                                                               \
    do {                                                                                           \
        if (TestFailure[0] == 0)                                                                   \
            snprintf(TestFailure, sizeof(TestFailure), __VA_ARGS__);                               \
    } while (0)

/* Checks end the test at the first failure. */
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            FAIL_AT("%s:%d: %s", __FILE__, __LINE__, #c);                                          \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            FAIL_AT("%s:%d: %s == %lld, expected %s == %lld", __FILE__, __LINE__, #a, a_, #b, b_); \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK_STATUS(expr, want) CHECK_EQ((ULONG)(expr), (ULONG)(want))

/* ---- fakes (fake.c) ---------------------------------------------------------------- */

#define FAKE_USER_PAGES 16
extern UCHAR FakeUserArena[FAKE_USER_PAGES * PAGE_SIZE];
#define FAKE_READONLY_PAGE ((ULONG_PTR)&FakeUserArena[(FAKE_USER_PAGES - 1) * PAGE_SIZE])
/* Inside the range services accept, outside the arena. */
#define FAKE_UNMAPPED ((ULONG_PTR)0x20000)

/* Bump allocation in the arena's writable pages (zeroed, 16-aligned). */
ULONG_PTR UserAlloc(SIZE_T Size);
/* A UNICODE_STRING in user memory describing an ASCII text copied there. */
ULONG_PTR UserUnicodeString(const char *Text);

extern PEPROCESS FakeProcess;
extern PETHREAD FakeThread;
extern POBJECT_TYPE FakeEventType; /* a plain type with a delete counter */
extern ULONG FakeEventDeletes;
extern char FakeConsole[4096];
extern SIZE_T FakeConsoleLength;
extern SIZE_T FakePoolBlocks;
extern LONG FakePoolFailAfter; /* -1: never; n: the allocation after n more fails */
extern seL4_BootInfo *KiBootInfo;
void FakeEnableTsc(ULONG Mhz);
/* The fake boot information (KiBootInfo points at it once FakeEnableTsc ran). */
seL4_BootInfo *FakeBootInfoBlock(void);
/* The CMOS clock registers KiReadCmosClock reports, and its status. */
#include "../../../ntos/ke/kitime.h"
extern KI_CMOS_CLOCK FakeCmos;
extern NTSTATUS FakeCmosStatus;
extern ULONG FakeCmosReads;

/* Call a service through the dispatcher as the fake thread: Call(Number,
 * Count, args...); each argument is converted to a word as the ntdll stub
 * converts it (so -1 is the full-width pseudo-handle). */
NTSTATUS CallArray(seL4_Word Number, ULONG Count, const seL4_Word *Args);
#define Call(Number, Count, ...)                                                                   \
    CallArray((Number), (Count), (const seL4_Word[seL4_MsgMaxLength]){__VA_ARGS__})
/* Another process object (type PsProcessType), as ps/ would make one. */
PEPROCESS FakeCreateProcess(void);
