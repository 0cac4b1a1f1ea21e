/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface of ntdll/ps/: the system services its code calls
 * (Windows' signatures, as the generated stubs define them) and the
 * helpers the files share.
 */
#pragma once

#include "ntdllp.h"

#include <nt/rtlps.h>

#define MEM_COMMIT  0x1000u
#define MEM_RESERVE 0x2000u
#define MEM_RELEASE 0x8000u
#ifndef PAGE_READWRITE
#define PAGE_READWRITE 0x04u
#endif

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       SIZE_T *RegionSize, ULONG AllocationType, ULONG Protect);
NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, SIZE_T *RegionSize,
                                   ULONG FreeType);
NTSTATUS NTAPI NtCreateThreadEx(HANDLE *ThreadHandle, ACCESS_MASK DesiredAccess,
                                POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
                                PVOID StartRoutine, PVOID Argument, ULONG CreateFlags,
                                SIZE_T ZeroBits, SIZE_T StackSize, SIZE_T MaximumStackSize,
                                PVOID AttributeList);
NTSTATUS NTAPI NtCreateUserProcess(HANDLE *ProcessHandle, HANDLE *ThreadHandle,
                                   ACCESS_MASK ProcessDesiredAccess,
                                   ACCESS_MASK ThreadDesiredAccess,
                                   POBJECT_ATTRIBUTES ProcessObjectAttributes,
                                   POBJECT_ATTRIBUTES ThreadObjectAttributes, ULONG ProcessFlags,
                                   ULONG ThreadFlags, PVOID ProcessParameters, PVOID CreateInfo,
                                   PVOID AttributeList);

/* Fresh zeroed committed memory of the caller (Size bytes, rounded up),
 * and its release. */
NTSTATUS RtlpAllocateBlock(SIZE_T Size, PVOID *Block);
VOID RtlpFreeBlock(PVOID Block);
/* Bytes of an environment block up to and with its final "\0\0" (2 for
 * an empty one). */
SIZE_T RtlpEnvironmentSize(PCWSTR Environment);
