/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * boot_sys: the kernel's C entry from head.S, and the order of boot. Reads
 * the loader's information, sets up the CPU, the kernel window, ACPI, the
 * interrupt controllers and the timer, loads and checks the root task,
 * builds its objects and bootinfo, and finally enters it. Every failure
 * before the root task runs prints why and halts.
 */
#include <types.h>
#include <util.h>
#include <model/statedata.h>
#include <arch/machine.h>
#include <arch/hardware.h>
#include <boot/boot.h>

BOOT_CODE static void init_serial(void)
{
    word_t dflt = serial_default_port();
    word_t console = cmdline_get_number("console_port", dflt);
    word_t debug = cmdline_get_number("debug_port", dflt);
    serial_init_port((uint16_t)console);
    if (debug != console)
        serial_init_port((uint16_t)debug);
    serial_set_debug_port((uint16_t)debug);
}

BOOT_CODE static void print_memory(void)
{
    kprintf("Loader: multiboot %d, command line \"%s\"\n", bootState.mb2 ? 2 : 1,
            bootState.cmdline);
    for (word_t i = 0; i < bootState.numRam; i++)
        kprintf("  RAM    0x%012lx..0x%012lx\n", bootState.ram[i].start, bootState.ram[i].end);
    for (word_t i = 0; i < bootState.numModules; i++)
        kprintf("  module 0x%012lx..0x%012lx%s\n", bootState.modules[i].start,
                bootState.modules[i].end, i == 0 ? " (root task)" : "");
    kprintf("  kernel 0x%012lx..0x%012lx (boot memory up to 0x%lx)\n", (word_t)ki_boot_start_phys,
            kimg_to_paddr(ki_end), kimg_to_paddr(ki_boot_end));
}

BOOT_CODE static void init_platform(void)
{
    if (!acpi_init(bootState.haveRsdp ? &bootState.rsdp : NULL))
        kpanic("boot: ACPI tables unusable");
    pic_disable();
    lapic_init();
    ioapic_init();
    tsc_measure_mhz();
    timer_init();
}

BOOT_CODE static void load_rootserver(void)
{
    region_t m = bootState.modules[0];
    if (m.end >= PADDR_TOP)
        kpanic("boot: module 0 lies outside the physical window");
    const uint8_t *elf = (const uint8_t *)paddr_to_pptr(m.start);
    elf_span_t span;
    if (!elf_check(elf, m.end - m.start, &span))
        halt();
    kprintf("Root task: image 0x%lx..0x%lx, entry 0x%lx\n", span.lo, span.hi, span.entry);
    create_rootserver(&span, elf, m.end - m.start);
    /* Loaded: the modules' memory is ordinary RAM from now on. */
    for (word_t i = 0; i < bootState.numModules; i++)
        mem_free(ROUND_DOWN(bootState.modules[i].start, seL4_PageBits),
                 ROUND_UP(bootState.modules[i].end, seL4_PageBits));
}

BOOT_CODE NORETURN void boot_sys(word_t magic, word_t mbi);
BOOT_CODE NORETURN void boot_sys(word_t magic, word_t mbi)
{
    /* Until the command line is read, messages go to the default port. */
    serial_init_port(serial_default_port());
    serial_set_debug_port(serial_default_port());
    init_cpu();
    init_kernel_vspace();
    if (!multiboot_parse(magic, mbi))
        kpanic("boot: cannot use the multiboot information");
    init_serial();
    kprintf("\nNereid kernel (seL4 16.0.0 ABI, x86_64 pc99)\n");
    print_memory();
    init_platform();
    mem_init();
    load_rootserver();
    create_idle_thread();
    start_rootserver();
}
