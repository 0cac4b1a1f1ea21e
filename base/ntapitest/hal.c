/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hardware-access services of driver processes (NtDriverConnectInterrupt
 * .. NtDriverQueryDisplay, services 104-111, Nereid's own): an ordinary
 * process gets STATUS_ACCESS_DENIED from each, whatever its arguments, and
 * nothing is done for it. What a driver process gets is tested by the
 * executive's self-tests (ntos/tests/halport.c, halirq.c) and, once
 * drivers load, by drivers/test/haltest.
 */
#include "ntapitest.h"
#include "ntapiexc.h"

#include <nt/iohost.h>

NTSYSAPI NTSTATUS NTAPI NtDriverConnectInterrupt(ULONG Vector, BOOLEAN LevelSensitive,
                                                 BOOLEAN ActiveLow, ULONG_PTR *NotificationCap,
                                                 ULONG_PTR *HandlerCap);
NTSYSAPI NTSTATUS NTAPI NtDriverDisconnectInterrupt(ULONG Vector);
NTSYSAPI NTSTATUS NTAPI NtDriverMapIoSpace(ULONG_PTR PhysicalAddress, SIZE_T NumberOfBytes,
                                           ULONG CacheType, ULONG_PTR *BaseAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes);
NTSYSAPI NTSTATUS NTAPI NtDriverAllocateContiguousMemory(SIZE_T NumberOfBytes,
                                                         ULONG_PTR HighestAcceptable,
                                                         ULONG_PTR *BaseAddress,
                                                         ULONG_PTR *PhysicalAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverFreeContiguousMemory(PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverQueryPhysicalAddress(PVOID VirtualAddress,
                                                     ULONG_PTR *PhysicalAddress);
NTSYSAPI NTSTATUS NTAPI NtDriverQueryDisplay(PVOID Info, ULONG Length);

TEST(hal, interrupt_services_denied)
{
    ULONG_PTR Notification = 0x1111, Handler = 0x2222;

    CHECK_STATUS(NtDriverConnectInterrupt(8, FALSE, FALSE, &Notification, &Handler),
                 STATUS_ACCESS_DENIED);
    CHECK_EQ(Notification, 0x1111);
    CHECK_EQ(Handler, 0x2222);
    CHECK_STATUS(NtDriverConnectInterrupt(99, FALSE, FALSE, &Notification, &Handler),
                 STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverDisconnectInterrupt(8), STATUS_ACCESS_DENIED);
}

TEST(hal, memory_services_denied)
{
    static ULONG Page[1024] __attribute__((aligned(4096)));
    ULONG_PTR Base = 0x3333, Physical = 0x4444;

    CHECK_STATUS(NtDriverMapIoSpace(0xb8000, 4096, 0, &Base), STATUS_ACCESS_DENIED);
    CHECK_EQ(Base, 0x3333);
    CHECK_STATUS(NtDriverUnmapIoSpace(Page, 4096), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtDriverAllocateContiguousMemory(4096, ~0ull, &Base, &Physical),
                 STATUS_ACCESS_DENIED);
    CHECK_EQ(Base, 0x3333);
    CHECK_EQ(Physical, 0x4444);
    CHECK_STATUS(NtDriverFreeContiguousMemory(Page), STATUS_ACCESS_DENIED);
    Page[0] = 1;
    CHECK_STATUS(NtDriverQueryPhysicalAddress(Page, &Physical), STATUS_ACCESS_DENIED);
    CHECK_EQ(Physical, 0x4444);
}

TEST(hal, display_denied)
{
    DRIVER_DISPLAY_INFO Display = {.Kind = 77};

    CHECK_STATUS(NtDriverQueryDisplay(&Display, sizeof(Display)), STATUS_ACCESS_DENIED);
    CHECK_EQ(Display.Kind, 77);
    CHECK_STATUS(NtDriverQueryDisplay(&Display, 1), STATUS_ACCESS_DENIED);
}

/* Port I/O of an ordinary process is a privileged instruction; ntos
 * emulates it for driver processes only. */
static LONG NTAPI NtapiHalPortHandler(PEXCEPTION_POINTERS Pointers)
{
    if (Pointers->ExceptionRecord->ExceptionCode != STATUS_PRIVILEGED_INSTRUCTION)
        return EXCEPTION_CONTINUE_SEARCH;
    Pointers->ContextRecord->Rip += 2; /* in al, 0x80 */
    Pointers->ContextRecord->Rax = 0x5a;
    return EXCEPTION_CONTINUE_EXECUTION;
}

TEST(hal, port_io_is_privileged)
{
    PVOID Handler = RtlAddVectoredExceptionHandler(1, NtapiHalPortHandler);
    UCHAR Value = 0;

    if (!CHECK(Handler != NULL))
        return;
    __asm__ volatile("inb $0x80, %0" : "=a"(Value));
    CHECK_EQ(Value, 0x5a);
    RtlRemoveVectoredExceptionHandler(Handler);
}
