/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile check of constants.h as the kernel uses it: freestanding,
 * -mcmodel=kernel, no red zone, no SSE. Only constants.h is included, and
 * the numbers are used where the kernel needs compile-time constants.
 */
#include <sel4/constants.h>

_Static_assert(seL4_SysCall == -1 && seL4_SysDebugNameThread == -14, "§3");
_Static_assert(nArchInvocationLabels == 53, "§11.2");

static const unsigned char label_is_tcb[nArchInvocationLabels] = {
    [TCBReadRegisters] = 1,
    [TCBSetFlags] = 1,
};

#if seL4_PageBits != 12 || seL4_MsgMaxLength != 120 || SEL4_CONFIG_MCS
#error "constants.h must be usable in #if"
#endif

int kernel_test_decode(unsigned long label)
{
    switch (label) {
    case UntypedRetype:
        return seL4_UntypedObject;
    case X86IRQIssueIRQHandlerMSI:
        return seL4_X86_PageDirectoryObject;
    default:
        return label < nArchInvocationLabels ? label_is_tcb[label] : seL4_IllegalOperation;
    }
}
