/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Root task of the kernel conformance suite (suite `kernel`): sets up the
 * per-test environment (env.c) and runs every TEST of this folder, in file
 * and source order. An optional `filter=<substring>` word in the in-image
 * configuration block (tools/rtconfig.py) runs only the matching tests.
 * Each file's header says which part of spec/sel4-abi.md it covers.
 */
#include "conf.h"

static char filter[64];

static const char *config_filter(void)
{
    const char *s = rt_config_string();
    for (; *s; s++) {
        if ((s == rt_config_string() || s[-1] == ' ') && strncmp(s, "filter=", 7) == 0) {
            size_t n = 0;
            s += 7;
            while (s[n] && s[n] != ' ' && n + 1 < sizeof(filter)) {
                filter[n] = s[n];
                n++;
            }
            filter[n] = 0;
            return filter;
        }
    }
    return NULL;
}

int main(seL4_BootInfo *bi)
{
    (void)bi;
    env_init();
    return rt_run_tests("kernel", config_filter()) ? 1 : 0;
}
