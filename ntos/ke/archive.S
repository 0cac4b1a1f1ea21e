/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system archive (build/ntos/archive.bin, see ke/archive.c for the
 * format) linked into ntos's read-only data, page aligned like the file
 * offsets inside it.
 */
    .section .rodata.archive, "a"
    .balign 4096
    .globl KiArchiveStart
KiArchiveStart:
    .incbin NTOS_ARCHIVE_PATH
    .globl KiArchiveEnd
KiArchiveEnd:

    .section .note.GNU-stack, "", @progbits
