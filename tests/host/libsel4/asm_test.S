/* SPDX-License-Identifier: BSD-2-Clause */
/* constants.h included from assembly: the #defines must be usable there. */
#include <sel4/constants.h>
    .text
    .globl asm_test_word_bits
asm_test_word_bits:
    movq $seL4_WordBits, %rax
    movq $seL4_UserTop, %rdx
    movq $(1 << seL4_PageBits), %rcx
    ret
