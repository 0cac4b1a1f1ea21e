/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile check of the libsel4 headers as a PE image sees them: built with
 * x86_64-w64-mingw32-gcc (Microsoft x64 ABI, LLP64), with the IPC buffer
 * pointer kept outside TLS the way ntdll keeps it in the TEB. Including
 * sel4.h runs every _Static_assert of types.h under this ABI; the functions
 * below instantiate the stubs so their inline asm is compiled too.
 */
#include <stddef.h>

/* Stand-in for the TEB slot ntdll will use. */
extern void *pe_test_teb_slot;
#define SEL4_IPC_BUFFER_GETTER    ((seL4_IPCBuffer *)pe_test_teb_slot)
#define SEL4_IPC_BUFFER_SETTER(p) (pe_test_teb_slot = (p))
#include <sel4/sel4.h>

_Static_assert(sizeof(long) == 4, "this file must be built for LLP64");
_Static_assert(sizeof(seL4_Word) == 8, "seL4_Word is 64-bit under LLP64 too");
_Static_assert(offsetof(seL4_BootInfo, untypedList) == 168, "§20.4");

void *pe_test_teb_slot;

seL4_Word pe_test_call(seL4_CPtr ep, seL4_Word arg)
{
    seL4_SetMR(0, arg);
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    return seL4_MessageInfo_get_length(info) ? seL4_GetMR(0) : 0;
}

seL4_Word pe_test_server(seL4_CPtr ep)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    info = seL4_ReplyRecv(ep, info, &badge);
    seL4_Signal(ep);
    seL4_Yield();
    return badge + info.words[0];
}

int pe_test_invoke(seL4_CPtr untyped, seL4_CPtr frame)
{
    seL4_Error e =
        seL4_Untyped_Retype(untyped, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, 100, 1);
    seL4_X86_Page_GetAddress_t a = seL4_X86_Page_GetAddress(frame);
    seL4_X86_IOPort_In8_t in = seL4_X86_IOPort_In8(frame, 0x60);
    seL4_DebugPutChar('x');
    return (int)e + a.error + in.error + (int)seL4_DebugCapIdentify(frame);
}
