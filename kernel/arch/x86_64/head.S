/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The first code that runs. Owns the multiboot 1 and 2 headers (spec §19.1),
 * the 32-bit entry from the loader, the CPU feature checks of spec §19.4,
 * the boot page tables and the switch to long mode; it ends by calling
 * boot_sys(magic, mbi) on the kernel stack. Runs at physical addresses with
 * paging off, so everything up to the long-mode jump lives in .boot.phys
 * (linked virtual = physical, see linker.ld). Any failure prints one line
 * on COM1 and halts: a bad loader or CPU must never triple-fault silently.
 */
#define MSR_EFER 0xc0000080

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 3 /* page-aligned modules, memory info; use the ELF headers */
#define MB2_MAGIC 0xe85250d6
#define MB2_HEADER_LEN 48 /* the fixed part, the framebuffer tag and its padding, the end tag */
#define MB2_TAG_FRAMEBUFFER 5
#define MB2_TAG_OPTIONAL 1
#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289
#define COM1 0x3f8

#define CR0_PE 0x1
#define CR0_WP 0x10000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_PGE 0x80
#define EFER_SCE 0x1
#define EFER_LME 0x100
#define PTE_TABLE 0x3   /* present, writable */
#define PTE_HUGE 0x83   /* present, writable, 1 GiB page */

    .section .mbh, "a"
    .balign 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)
    .long 0, 0, 0, 0, 0 /* address fields: unused without flag bit 16 */
    .long 0, 0, 0, 0    /* graphics mode: none requested */

    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long 0 /* i386 */
    .long MB2_HEADER_LEN
    .long 0x100000000 - (MB2_MAGIC + MB2_HEADER_LEN)
    /* The kernel accepts a linear framebuffer (an optional tag: a loader
     * without graphics boots us anyway). Without this tag GRUB on a PC
     * always sets VGA text mode; with it GRUB sets this mode (else the
     * best it has) and the mode reaches the root task as the FRAMEBUFFER
     * chunk. QEMU's -kernel loader ignores it (text mode stays). */
    .word MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
    .long 20
    .long 1024, 768, 32 /* width, height, depth */
    .balign 8
    .word 0, 0 /* end tag */
    .long 8

    .section .boot.phys, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl    $boot_stack_top, %esp
    movl    %eax, boot_magic
    movl    %ebx, boot_mbi
    cmpl    $MB1_BOOT_MAGIC, %eax
    je      1f
    cmpl    $MB2_BOOT_MAGIC, %eax
    je      1f
    movl    $msg_magic, %esi
    jmp     fail32
1:  call    check_cpu
    call    build_page_tables
    jmp     enter_long_mode

/* Print the NUL-terminated string at %esi on COM1 and halt forever. */
fail32:
    call    print32
2:  cli
    hlt
    jmp     2b

print32:
    lodsb
    testb   %al, %al
    jz      4f
    movb    %al, %bl
    movl    $100000, %ecx /* bounded wait: a missing UART must not hang us */
3:  movw    $COM1 + 5, %dx
    inb     %dx, %al
    testb   $0x20, %al
    jnz     5f
    loop    3b
5:  movw    $COM1, %dx
    movb    %bl, %al
    outb    %al, %dx
    jmp     print32
4:  ret

/* Spec §19.4: long mode, 1 GiB pages and SYSCALL (CPUID 0x80000001 EDX bits
 * 29, 26, 11) and FSGSBASE (CPUID 7 EBX bit 0) are required. */
check_cpu:
    movl    $0x80000000, %eax
    cpuid
    cmpl    $0x80000001, %eax
    jb      no_long_mode
    movl    $0x80000001, %eax
    cpuid
    btl     $29, %edx
    jnc     no_long_mode
    movl    $msg_gbpages, %esi
    btl     $26, %edx
    jnc     fail32
    movl    $msg_syscall, %esi
    btl     $11, %edx
    jnc     fail32
    xorl    %eax, %eax
    cpuid
    movl    $msg_fsgsbase, %esi
    cmpl    $7, %eax
    jb      fail32
    movl    $7, %eax
    xorl    %ecx, %ecx
    cpuid
    movl    $msg_fsgsbase, %esi
    btl     $0, %ebx
    jnc     fail32
    ret
no_long_mode:
    movl    $msg_long_mode, %esi
    jmp     fail32

/*
 * Identity map of the first GiB (for the jump into long mode), the kernel
 * image at KERNEL_ELF_BASE (PML4 511, PDPT 510 -> physical 0) and the 512 GiB
 * physical window at PPTR_BASE (PML4 256), all with 1 GiB pages.
 */
build_page_tables:
    movl    $boot_pml4, %edi
    movl    $(4 * 4096 / 4), %ecx
    xorl    %eax, %eax
    rep stosl
    movl    $boot_pdpt_low + PTE_TABLE, boot_pml4
    movl    $boot_pdpt_window + PTE_TABLE, boot_pml4 + 256 * 8
    movl    $boot_pdpt_high + PTE_TABLE, boot_pml4 + 511 * 8
    movl    $PTE_HUGE, boot_pdpt_low
    movl    $PTE_HUGE, boot_pdpt_high + 510 * 8
    movl    $0x40000000 + PTE_HUGE, boot_pdpt_high + 511 * 8
    xorl    %ecx, %ecx
6:  movl    %ecx, %eax
    shll    $30, %eax
    orl     $PTE_HUGE, %eax
    movl    %eax, boot_pdpt_window(, %ecx, 8)
    movl    %ecx, %eax
    shrl    $2, %eax
    movl    %eax, boot_pdpt_window + 4(, %ecx, 8)
    incl    %ecx
    cmpl    $512, %ecx
    jb      6b
    ret

enter_long_mode:
    movl    %cr4, %eax
    orl     $(CR4_PAE | CR4_PGE), %eax
    movl    %eax, %cr4
    movl    $boot_pml4, %eax
    movl    %eax, %cr3
    movl    $MSR_EFER, %ecx
    rdmsr
    orl     $(EFER_LME | EFER_SCE), %eax
    wrmsr
    movl    %cr0, %eax
    orl     $(CR0_PE | CR0_WP | CR0_PG), %eax
    movl    %eax, %cr0
    lgdt    boot_gdt_ptr
    ljmp    $0x08, $long_mode_entry

    .code64
long_mode_entry:
    movl    $0x10, %eax
    movl    %eax, %ds
    movl    %eax, %es
    movl    %eax, %ss
    xorl    %eax, %eax
    movl    %eax, %fs
    movl    %eax, %gs
    movabsq $boot_high_entry, %rax
    jmp     *%rax

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00209a0000000000 /* 64-bit code, DPL 0 */
    .quad 0x0000920000000000 /* data, DPL 0 */
boot_gdt_ptr:
    .word 3 * 8 - 1
    .long boot_gdt

msg_magic:
    .asciz "Nereid: not loaded by a multiboot loader (bad magic in EAX); halting\r\n"
msg_long_mode:
    .asciz "Nereid: this CPU has no 64-bit long mode; halting\r\n"
msg_gbpages:
    .asciz "Nereid: this CPU lacks 1 GiB pages (CPUID 0x80000001 EDX bit 26, pdpe1gb); halting\r\n"
msg_syscall:
    .asciz "Nereid: this CPU lacks SYSCALL/SYSRET (CPUID 0x80000001 EDX bit 11); halting\r\n"
msg_fsgsbase:
    .asciz "Nereid: this CPU lacks FSGSBASE (CPUID 7 EBX bit 0); halting\r\n"

    .section .boot.phys.bss, "aw", @nobits
    .balign 4096
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_window:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_stack:
    .skip 1024
boot_stack_top:
boot_magic:
    .skip 4
boot_mbi:
    .skip 4

/* Now in the higher half: clear the BSS, take the kernel stack, enter C. */
    .section .boot.text, "ax"
boot_high_entry:
    movabsq $ki_bss_start, %rdi
    movabsq $ki_bss_end, %rcx
    subq    %rdi, %rcx
    shrq    $3, %rcx
    xorl    %eax, %eax
    rep stosq
    movabsq $ki_boot_bss_start, %rdi
    movabsq $ki_boot_bss_end, %rcx
    subq    %rdi, %rcx
    shrq    $3, %rcx
    rep stosq
    movabsq $kernel_stack_top, %rsp
    xorl    %ebp, %ebp
    movl    boot_magic, %edi
    movl    boot_mbi, %esi
    movabsq $boot_sys, %rax
    call    *%rax
7:  cli
    hlt
    jmp     7b

    .section .note.GNU-stack, "", @progbits
