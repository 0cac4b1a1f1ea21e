/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16550 UART behind all kernel output. One port is the debug port
 * (kernel messages and seL4_DebugPutChar, spec §21); the command line
 * chooses it and the console port (spec §19.3). Output polls the transmit
 * holding register with a bound, so a missing UART slows printing down but
 * never hangs the kernel.
 */
#include <types.h>
#include <util.h>
#include <arch/machine.h>
#include <arch/hardware.h>
#include <arch/x86.h>

#define UART_THR        0 /* transmit holding register */
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define UART_LSR_THRE   BIT(5)
#define UART_LCR_DLAB   BIT(7)
#define UART_POLL_LIMIT 100000

#define BDA_COM1 0x400 /* BIOS data area: I/O base of COM1..COM4 */

static uint16_t debugPort;

uint16_t serial_default_port(void)
{
    uint16_t port = *(volatile uint16_t *)paddr_to_pptr(BDA_COM1);
    return port ? port : 0x3f8;
}

void serial_init_port(uint16_t port)
{
    if (!port)
        return;
    out8(port + UART_IER, 0); /* no UART interrupts */
    out8(port + UART_LCR, UART_LCR_DLAB);
    out8(port + 0, 1); /* divisor 1: 115200 baud */
    out8(port + 1, 0);
    out8(port + UART_LCR, 0x03); /* 8N1 */
    out8(port + UART_FCR, 0xc7); /* FIFOs on and cleared */
    out8(port + UART_MCR, 0x0b); /* DTR, RTS, OUT2 */
}

void serial_set_debug_port(uint16_t port)
{
    debugPort = port;
}

void serial_debug_putchar(uint8_t c)
{
    if (!debugPort)
        return;
    for (int i = 0; i < UART_POLL_LIMIT; i++) {
        if (in8(debugPort + UART_LSR) & UART_LSR_THRE)
            break;
    }
    out8(debugPort + UART_THR, c);
}

void kputchar(char c)
{
    if (c == '\n')
        serial_debug_putchar('\r');
    serial_debug_putchar((uint8_t)c);
}
