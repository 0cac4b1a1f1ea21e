/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Formatted output for root tasks: one formatter (format_core) that feeds
 * characters to a sink, used by printf (to seL4_DebugPutChar, i.e. the
 * kernel's debug serial port) and snprintf (to a buffer). Supports the
 * conversions listed in roottask.h; anything else is printed literally.
 */
#include "roottask.h"

typedef struct sink {
    void (*put)(struct sink *s, char c);
    char *buf;
    size_t size;
    size_t len; /* characters produced, including those that did not fit */
} sink_t;

typedef struct spec {
    int width;
    int lmod; /* 0 = int, 1 = long, 2 = long long, 3 = size_t */
    bool zero;
    bool left;
} spec_t;

static void emit(sink_t *s, char c)
{
    s->put(s, c);
    s->len++;
}

static void emit_padded(sink_t *s, const spec_t *sp, const char *digits, int ndigits, char sign)
{
    int body = ndigits + (sign ? 1 : 0);
    int pad = sp->width > body ? sp->width - body : 0;

    if (!sp->left && !sp->zero)
        for (; pad > 0; pad--)
            emit(s, ' ');
    if (sign)
        emit(s, sign);
    if (!sp->left && sp->zero)
        for (; pad > 0; pad--)
            emit(s, '0');
    while (ndigits-- > 0)
        emit(s, *digits++);
    for (; pad > 0; pad--)
        emit(s, ' ');
}

static void emit_number(sink_t *s, const spec_t *sp, uint64_t v, unsigned base, bool upper,
                        char sign)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = sizeof(tmp);

    do {
        tmp[--n] = set[v % base];
        v /= base;
    } while (v != 0);
    emit_padded(s, sp, tmp + n, (int)sizeof(tmp) - n, sign);
}

static uint64_t take_unsigned(const spec_t *sp, va_list *ap)
{
    switch (sp->lmod) {
    case 0:
        return va_arg(*ap, unsigned int);
    case 1:
        return va_arg(*ap, unsigned long);
    case 2:
        return va_arg(*ap, unsigned long long);
    default:
        return va_arg(*ap, size_t);
    }
}

static int64_t take_signed(const spec_t *sp, va_list *ap)
{
    switch (sp->lmod) {
    case 0:
        return va_arg(*ap, int);
    case 1:
        return va_arg(*ap, long);
    case 2:
        return va_arg(*ap, long long);
    default:
        return (int64_t)va_arg(*ap, size_t);
    }
}

static const char *parse_spec(const char *f, spec_t *sp)
{
    memset(sp, 0, sizeof(*sp));
    for (;; f++) {
        if (*f == '0')
            sp->zero = true;
        else if (*f == '-')
            sp->left = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == 'z') {
        sp->lmod = 3;
        f++;
    }
    while (*f == 'l' && sp->lmod < 2) {
        sp->lmod++;
        f++;
    }
    return f;
}

static void convert(sink_t *s, spec_t *sp, char conv, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = take_signed(sp, ap);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        emit_number(s, sp, mag, 10, false, v < 0 ? '-' : 0);
        break;
    }
    case 'u':
        emit_number(s, sp, take_unsigned(sp, ap), 10, false, 0);
        break;
    case 'x':
    case 'X':
        emit_number(s, sp, take_unsigned(sp, ap), 16, conv == 'X', 0);
        break;
    case 'o':
        emit_number(s, sp, take_unsigned(sp, ap), 8, false, 0);
        break;
    case 'p':
        emit(s, '0');
        emit(s, 'x');
        sp->lmod = 1;
        emit_number(s, sp, (uintptr_t)va_arg(*ap, void *), 16, false, 0);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        sp->zero = false;
        emit_padded(s, sp, &c, 1, 0);
        break;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);
        if (str == NULL)
            str = "(null)";
        sp->zero = false;
        emit_padded(s, sp, str, (int)strlen(str), 0);
        break;
    }
    default:
        emit(s, '%');
        if (conv)
            emit(s, conv);
        break;
    }
}

static void format_core(sink_t *s, const char *fmt, va_list ap)
{
    va_list cur;
    spec_t sp;

    va_copy(cur, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(s, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        if (*fmt == '%') {
            emit(s, '%');
            fmt++;
            continue;
        }
        convert(s, &sp, *fmt, &cur);
        if (*fmt)
            fmt++;
    }
    va_end(cur);
}

static void put_console(sink_t *s, char c)
{
    seL4_DebugPutChar(c);
}

static void put_buffer(sink_t *s, char c)
{
    if (s->size > 0 && s->len < s->size - 1)
        s->buf[s->len] = c;
}

int vprintf(const char *fmt, va_list ap)
{
    sink_t s = {.put = put_console};
    format_core(&s, fmt, ap);
    return (int)s.len;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    sink_t s = {.put = put_buffer, .buf = buf, .size = size};
    format_core(&s, fmt, ap);
    if (size > 0)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    seL4_DebugPutChar((char)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
    seL4_DebugPutChar('\n');
    return 0;
}
