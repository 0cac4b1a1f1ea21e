/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The checks the compat programs share (suite `compat`, README.md). This
 * header uses only the C language and <stdarg.h>: it is included after
 * whichever stock mingw-w64 headers a program picked (<windows.h> and
 * <winternl.h>, or the DDK's <ddk/ntifs.h>), so it must not depend on
 * either set. Output goes through ntdll's DbgPrint (declared here with its
 * Windows prototype: user-mode stock headers lack it); every check that
 * fails prints `TEST-FAIL compat.<program>_<test>: ...` once per test, a
 * test that ends with no failure prints `TEST-PASS ...`, and the program
 * ends with the number of failed tests as its exit status after the line
 * `compat: <program> done`, which tests/compat/run.py checks.
 */
#pragma once

#include <stdarg.h>

__declspec(dllimport) unsigned long __cdecl DbgPrint(const char *Format, ...);

/* The program's name, for the test names (defined by each program). */
extern const char CompatProgram[];

/* Runs Routine as test compat.<program>_<Name>. */
void CompatRun(const char *Name, void (*Routine)(void));
/* Prints the last line and ends the process with the failure count. */
__attribute__((noreturn)) void CompatFinish(void);

int CompatCheck(int Ok, const char *File, int Line, const char *Expression);
int CompatCheckEq(unsigned long long Got, unsigned long long Expected, const char *File, int Line,
                  const char *Expression);

#define CHECK(cond) CompatCheck(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b)                                                                             \
    CompatCheckEq((unsigned long long)(a), (unsigned long long)(b), __FILE__, __LINE__,            \
                  #a " == " #b)
/* An NTSTATUS compared as a 32-bit value. */
#define CHECK_STATUS(expr, expected)                                                               \
    CompatCheckEq((unsigned)(expr), (unsigned)(expected), __FILE__, __LINE__, #expr)

/* The C routines the compiler may call: mingw's libntdll.a imports none. */
void *memset(void *Destination, int Value, __SIZE_TYPE__ Count);
void *memcpy(void *Destination, const void *Source, __SIZE_TYPE__ Count);
int memcmp(const void *First, const void *Second, __SIZE_TYPE__ Count);
