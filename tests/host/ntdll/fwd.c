/* SPDX-License-Identifier: BSD-2-Clause */
/* A DLL whose exports are mostly forwarders (fwd.def), for ldr_test.c. */
int FwdReal(void)
{
    return 42;
}
