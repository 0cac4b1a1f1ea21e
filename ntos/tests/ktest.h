/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The self-test framework of ntos (suite ntos-core): KTEST(name) { ... }
 * registers a test in the ntos_tests section (ntos.ld), CHECK and CHECK_EQ
 * report a failure and carry on. Each test prints one protocol line
 * (docs/layout.md): TEST-PASS ntos-core.<name> or TEST-FAIL ...: why.
 */
#pragma once

#include "../ke/kep.h"
#include "../mm/mi.h"

typedef struct _KTEST {
    const char *Name;
    void (*Routine)(void);
} KTEST;

#define KTEST(name)                                                                                \
    static void KtTest_##name(void);                                                               \
    static const KTEST KtDescriptor_##name                                                         \
        __attribute__((used, section("ntos_tests"), aligned(16))) = {#name, KtTest_##name};        \
    static void KtTest_##name(void)

bool KtCheck(bool Ok, const char *File, int Line, const char *Expression);
bool KtCheckEq(uint64_t a, uint64_t b, const char *File, int Line, const char *Expression);

#define CHECK(c)       KtCheck(!!(c), __FILE__, __LINE__, #c)
#define CHECK_EQ(a, b) KtCheckEq((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a " == " #b)
