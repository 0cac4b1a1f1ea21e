/* SPDX-License-Identifier: BSD-2-Clause */
/* A native program for the pe-image suite: code, data, .bss and one DIR64 relocation. */
static int Counter;
int *volatile CounterPointer = &Counter;
static char Zeroes[0x3000];

int NtProcessStartup(void *Peb)
{
    Zeroes[(unsigned long long)Peb & 0xfff] = 1;
    return *CounterPointer + Zeroes[7];
}
