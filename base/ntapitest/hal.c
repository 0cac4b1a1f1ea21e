/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hardware-access services of driver processes (NtDriverConnectInterrupt
 * .. NtDriverQueryDisplay, services 104-111, Nereid's own): an ordinary
 * process gets STATUS_ACCESS_DENIED from each, whatever its arguments, and
 * nothing is done for it. What a driver process gets is tested by the
 * executive's self-tests (ntos/tests/halport.c, halirq.c) and by
 * drivers/test/haltest, whose tests run inside the driver through the
 * runtime's HAL, interrupt and io-space routines (ntoskrnl/hal/,
 * io/interrupt.c, mm/iospace.c) and report a HALTEST_RESULT per control
 * code: the RTC's periodic interrupt on IRQ 8 with its ISR and DPC, VGA
 * memory mapped twice, contiguous memory, PCI bus data and stalls.
 */
#include "ntapitest.h"
#include "ntapiexc.h"
#include "ntfile.h"
#include "../../drivers/test/haltest/haltest.h"

#include <nt/iohost.h>

#include <ntsvc.h> /* the NtDriver* prototypes, generated from services.def */

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

/* ---- drivers/test/haltest --------------------------------------------------------------- */

#define HALTEST_KEY L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\HalTest"

static UNICODE_STRING NtapiHalString(PCWSTR Text)
{
    UNICODE_STRING String;
    USHORT Length = 0;

    while (Text[Length])
        Length++;
    String.Length = String.MaximumLength = Length * sizeof(WCHAR);
    String.Buffer = (PWSTR)Text;
    return String;
}

/* The result of one of haltest's control codes (NULL handle: not loaded). */
static BOOLEAN NtapiHalTest(ULONG Code, HALTEST_RESULT *Result)
{
    UNICODE_STRING Key = NtapiHalString(HALTEST_KEY), Device = NtapiHalString(L"\\Device\\HalTest");
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;
    NTSTATUS Status = NtLoadDriver(&Key);

    if (!CHECK(Status == STATUS_SUCCESS || Status == STATUS_IMAGE_ALREADY_LOADED))
        return FALSE;
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &Device;
    if (!CHECK_STATUS(NtCreateFile(&Handle, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, 0,
                                   FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0),
                      STATUS_SUCCESS))
        return FALSE;
    memset(Result, 0xcc, sizeof(*Result));
    Status = NtDeviceIoControlFile(Handle, NULL, NULL, NULL, &Iosb, Code, NULL, 0, Result,
                                   sizeof(*Result));
    NtClose(Handle);
    return CHECK_STATUS(Status, STATUS_SUCCESS) && CHECK_EQ(Iosb.Information, sizeof(*Result));
}

TEST(hal, driver_rtc_interrupt)
{
    HALTEST_RESULT Result;

    if (!NtapiHalTest(IOCTL_HALTEST_RTC, &Result))
        return;
    CHECK_EQ(Result.Failed, 0);
    CHECK_EQ(Result.Vector, 8);
    CHECK(Result.Irql > 2 && Result.Irql < 12); /* a device level, below SYNCH_LEVEL */
    CHECK(Result.Count >= HALTEST_INTERRUPTS);
    CHECK(Result.DpcRuns >= 1);
    CHECK(Result.SharerCalls >= HALTEST_INTERRUPTS);
}

TEST(hal, driver_rtc_interrupt_again)
{
    HALTEST_RESULT Result;

    /* The line was given back: it connects again. */
    if (NtapiHalTest(IOCTL_HALTEST_RTC, &Result))
        CHECK_EQ(Result.Failed, 0);
}

TEST(hal, driver_vga_io_space)
{
    HALTEST_RESULT Result;

    if (!NtapiHalTest(IOCTL_HALTEST_VGA, &Result))
        return;
    CHECK_EQ(Result.Failed, 0);
    CHECK_EQ(Result.Physical, 0xb8000 + 4000);
}

TEST(hal, driver_contiguous_memory)
{
    HALTEST_RESULT Result;

    if (!NtapiHalTest(IOCTL_HALTEST_CONTIG, &Result))
        return;
    CHECK_EQ(Result.Failed, 0);
    CHECK_EQ(Result.Count, 3);
    CHECK(Result.Physical != 0 && (Result.Physical & 0xfff) == 0);
}

TEST(hal, driver_bus_data_and_stall)
{
    HALTEST_RESULT Result;

    if (!NtapiHalTest(IOCTL_HALTEST_BUS, &Result))
        return;
    CHECK_EQ(Result.Failed, 0);
    CHECK_EQ(Result.Pci & 0xffff, 0x8086);
}
