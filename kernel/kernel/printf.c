/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kprintf: the kernel's formatted output to the debug serial port. Supports
 * what kernel messages need and nothing more: %d %i %u %x %X %p %s %c %%,
 * the l/ll/z length modifiers, a field width and zero padding ("%08lx",
 * "%-10s"), and a precision for strings ("%.24s"). Unknown conversions are printed verbatim so a
 * bad format string can never make the kernel read a wrong argument type silently.
 */
#include <types.h>
#include <util.h>
#include <stdarg.h>

typedef struct fmt_spec {
    int width;
    int precision; /* -1: none */
    bool zero, left, is_long;
} fmt_spec_t;

static int put_padded(const char *s, int len, const fmt_spec_t *f)
{
    int pad = f->width > len ? f->width - len : 0;
    int n = 0;
    if (!f->left) {
        for (; pad > 0; pad--, n++)
            kputchar(f->zero ? '0' : ' ');
    }
    for (int i = 0; i < len; i++, n++)
        kputchar(s[i]);
    for (; pad > 0; pad--, n++)
        kputchar(' ');
    return n;
}

static int put_number(word_t v, unsigned base, bool neg, const fmt_spec_t *f)
{
    char buf[24];
    int i = sizeof(buf);
    do {
        buf[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg) {
        /* A zero-padded negative number keeps its sign in front. */
        if (f->zero && f->width > 0) {
            kputchar('-');
            fmt_spec_t g = *f;
            g.width--;
            return 1 + put_padded(&buf[i], sizeof(buf) - i, &g);
        }
        buf[--i] = '-';
    }
    return put_padded(&buf[i], sizeof(buf) - i, f);
}

static const char *parse_spec(const char *p, fmt_spec_t *f)
{
    *f = (fmt_spec_t){.precision = -1};
    for (;; p++) {
        if (*p == '0')
            f->zero = true;
        else if (*p == '-')
            f->left = true;
        else
            break;
    }
    while (*p >= '0' && *p <= '9')
        f->width = f->width * 10 + (*p++ - '0');
    if (*p == '.') {
        f->precision = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            f->precision = f->precision * 10 + (*p - '0');
    }
    while (*p == 'l' || *p == 'z') {
        f->is_long = true;
        p++;
    }
    return p;
}

static int put_conversion(char c, const fmt_spec_t *f, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': {
        sword_t v = f->is_long ? va_arg(*ap, long) : va_arg(*ap, int);
        return put_number(v < 0 ? -(word_t)v : (word_t)v, 10, v < 0, f);
    }
    case 'u':
        return put_number(f->is_long ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned), 10,
                          false, f);
    case 'x':
    case 'X':
        return put_number(f->is_long ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned), 16,
                          false, f);
    case 'p': {
        fmt_spec_t g = {.width = 16, .zero = true};
        kputchar('0');
        kputchar('x');
        return 2 + put_number((word_t)va_arg(*ap, void *), 16, false, &g);
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (!s)
            s = "(null)";
        return put_padded(s, (int)strnlen(s, f->precision >= 0 ? (size_t)f->precision : 4096), f);
    }
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        return put_padded(&ch, 1, f);
    }
    case '%':
        kputchar('%');
        return 1;
    default:
        kputchar('%');
        kputchar(c);
        return 2;
    }
}

int vkprintf(const char *fmt, va_list ap)
{
    int n = 0;
    va_list cp;
    va_copy(cp, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            kputchar(*p);
            n++;
            continue;
        }
        fmt_spec_t f;
        p = parse_spec(p + 1, &f);
        if (!*p)
            break;
        n += put_conversion(*p, &f, &cp);
    }
    va_end(cp);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vkprintf(fmt, ap);
    va_end(ap);
    return n;
}
