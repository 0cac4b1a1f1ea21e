/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The raw service request of ntfuzz.exe. A hostile process need not go
 * through ntdll, so the fuzzer issues the seL4 Call itself, as ntdll's
 * transport does (ntdll/ntsvc.c, ntos/README.md): endpoint cap in slot 1,
 * label = service number, length = argument words, MR0..MR3 in R10, R8, R9,
 * R15 and MR4 and up in the IPC buffer at TEB + 0x2000; the reply's MR0 is
 * the NTSTATUS. This is the one place the program knows the kernel's
 * calling convention (the syscall number of Call is -1; the kernel returns
 * with RSP undefined, so RBX keeps it). Raw requests can carry numbers out
 * of range, argument counts that do not match, message lengths beyond the
 * 120 message registers and extra capabilities, which the ntdll stubs never
 * send.
 */
#include "ntfuzz.h"

#define NTFUZZ_SERVICE_SLOT      1
#define NTFUZZ_IPC_BUFFER_OFFSET 0x2000
#define NTFUZZ_SYS_CALL          (-1ll)
#define NTFUZZ_MAX_MRS           120
#define NTFUZZ_CAPS_OFFSET       976 /* seL4_IPCBuffer.caps_or_badges */

NTSTATUS NtfuzzRawCallEx(ULONG64 Number, const ULONG_PTR *Args, ULONG Count, ULONG Words,
                         ULONG ExtraCaps, const ULONG_PTR *Caps)
{
    ULONG_PTR Ipc = (ULONG_PTR)NtCurrentTeb() + NTFUZZ_IPC_BUFFER_OFFSET;
    ULONG_PTR *Mrs = (ULONG_PTR *)(Ipc + 8);
    ULONG_PTR Word[4] = {0, 0, 0, 0};
    ULONG Index;

    for (Index = 0; Index < Count && Index < NTFUZZ_MAX_MRS; Index++) {
        if (Index < 4)
            Word[Index] = Args[Index];
        else
            Mrs[Index] = Args[Index];
    }
    for (Index = 0; Index < ExtraCaps && Index < 3; Index++)
        ((ULONG_PTR *)(Ipc + NTFUZZ_CAPS_OFFSET))[Index] = Caps[Index];
    {
        register ULONG_PTR Di __asm__("rdi") = NTFUZZ_SERVICE_SLOT;
        register ULONG_PTR Si __asm__("rsi") =
            ((Number & 0xfffffffffffffull) << 12) | ((ExtraCaps & 3ull) << 7) | (Words & 0x7full);
        register ULONG_PTR M0 __asm__("r10") = Word[0];
        register ULONG_PTR M1 __asm__("r8") = Word[1];
        register ULONG_PTR M2 __asm__("r9") = Word[2];
        register ULONG_PTR M3 __asm__("r15") = Word[3];
        register ULONG_PTR Dx __asm__("rdx") = (ULONG_PTR)NTFUZZ_SYS_CALL;

        __asm__ __volatile__("movq %%rsp, %%rbx\n\t"
                             "syscall\n\t"
                             "movq %%rbx, %%rsp"
                             : "+r"(Di), "+r"(Si), "+r"(M0), "+r"(M1), "+r"(M2), "+r"(M3)
                             : "r"(Dx)
                             : "rbx", "rcx", "r11", "memory", "cc");
        return (NTSTATUS)M0;
    }
}

NTSTATUS NtfuzzRawCall(ULONG64 Number, const ULONG_PTR *Args, ULONG Count)
{
    return NtfuzzRawCallEx(Number, Args, Count, Count, 0, NULL);
}
