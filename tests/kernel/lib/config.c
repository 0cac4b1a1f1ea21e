/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The in-image configuration block. seL4 hands the root task neither the
 * kernel command line nor any boot module but its own image, so run-time
 * parameters (fuzz seed and iteration count, test filters) are patched into
 * this block of the ELF file by the host (tools/rtconfig.py) before boot.
 * Layout: the 16-byte magic "NEREID-CONFIG-V1" then 240 bytes holding a
 * NUL-terminated string of space-separated `key=value` words.
 */
#include "roottask.h"

#define RT_CONFIG_MAGIC_LEN 16
#define RT_CONFIG_SIZE      256

/* In .data so it is in the file and the host can patch it; used, so kept. */
__attribute__((used, aligned(16))) char rt_config_block[RT_CONFIG_SIZE] = "NEREID-CONFIG-V1";

const char *rt_config_string(void)
{
    /* Keep the compiler from folding the block's initial (empty) contents. */
    const char *p = rt_config_block;
    __asm__("" : "+r"(p));
    return p + RT_CONFIG_MAGIC_LEN;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;

    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return false;
    for (; len; len--, s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

uint64_t rt_config_u64(const char *key, uint64_t dflt)
{
    const char *s = rt_config_string();
    const char *end = rt_config_block + RT_CONFIG_SIZE;
    size_t klen = strlen(key);

    while (s < end && *s) {
        const char *w = s;
        while (s < end && *s && *s != ' ')
            s++;
        if ((size_t)(s - w) > klen && strncmp(w, key, klen) == 0 && w[klen] == '=') {
            uint64_t v;
            if (parse_u64(w + klen + 1, (size_t)(s - w) - klen - 1, &v))
                return v;
        }
        while (s < end && *s == ' ')
            s++;
    }
    return dflt;
}
