/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * halprobe.exe: the hardware access of a driver process, from its side,
 * for the executive's self-tests (ntos/tests/halport.c, halirq.c,
 * halmem.c), which start it with EPROCESS.DriverHost set (or not). The
 * first word after the program name picks the probe:
 *
 *   ports       in/out in every form, ins/outs with and without REP and
 *               both directions, mov to/from cr8, cli/sti (driver)
 *   denied      `in` from the PIT, a port drivers may not use (driver)
 *   timer       a control word for PIT channel 0 on port 0x43 (driver)
 *   privileged  `in` from port 0x80 (an ordinary process)
 *   cr8         `mov cr8` (an ordinary process)
 *   insfault    `rep insb` into an unmapped page (driver): an access violation
 *   irq         the refusals of NtDriverConnectInterrupt, then IRQ 8
 *               connected, and a long sleep (driver)
 *   memory      NtDriverQueryDisplay, NtDriverMapIoSpace on VGA memory,
 *               contiguous memory, physical addresses (driver)
 *
 * The process ends with STATUS_SUCCESS when every check held, or with
 * HALPROBE_FAILED + the line of the first that did not; a privileged
 * instruction that is not emulated ends it with the exception's code.
 */
#include <ntnative.h>
#include <nt/iohost.h>

#define HALPROBE_FAILED ((NTSTATUS)0xE0010000)
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define CMOS_SCRATCH    0x7e /* CMOS RAM nothing reads after boot */
#define CMOS_SECONDS    0x00
#define CMOS_STATUS_B   0x0b
#define PCI_ADDRESS     0xcf8
#define PCI_DATA        0xcfc
#define PCI_ENABLE      0x80000000u
#define PCI_INTEL       0x8086
#define POST_PORT       0x80

NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER Interval);
NTSYSAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                              PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSAPI NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID SecurityDescriptor,
                                            BOOLEAN CreateSuspended, ULONG ZeroBits,
                                            SIZE_T StackReserve, SIZE_T StackCommit,
                                            PVOID StartAddress, PVOID Parameter,
                                            PHANDLE ThreadHandle, PCLIENT_ID ClientId);
#include <ntsvc.h> /* the NtDriver* prototypes, generated from services.def */

#define PROBE(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            NtTerminateProcess(NtCurrentProcess(), HALPROBE_FAILED + __LINE__);                    \
    } while (0)

/* ---- the instructions, each in one form ----------------------------------------------- */

static UCHAR InImmediate71(void)
{
    UCHAR Value;
    __asm__ volatile("inb $0x71, %0" : "=a"(Value));
    return Value;
}

static void OutImmediate70(UCHAR Value)
{
    __asm__ volatile("outb %0, $0x70" ::"a"(Value));
}

static UCHAR InByte(USHORT Port)
{
    UCHAR Value;
    __asm__ volatile("inb %1, %0" : "=a"(Value) : "Nd"(Port));
    return Value;
}

static void OutByte(USHORT Port, UCHAR Value)
{
    __asm__ volatile("outb %0, %1" ::"a"(Value), "Nd"(Port));
}

static USHORT InWord(USHORT Port)
{
    USHORT Value;
    __asm__ volatile("inw %1, %0" : "=a"(Value) : "Nd"(Port));
    return Value;
}

static ULONG InDword(USHORT Port)
{
    ULONG Value;
    __asm__ volatile("inl %1, %0" : "=a"(Value) : "Nd"(Port));
    return Value;
}

static void OutDword(USHORT Port, ULONG Value)
{
    __asm__ volatile("outl %0, %1" ::"a"(Value), "Nd"(Port));
}

static UCHAR ReadCmos(UCHAR Register)
{
    OutByte(CMOS_INDEX, Register);
    return InByte(CMOS_DATA);
}

static void WriteCmos(UCHAR Register, UCHAR Value)
{
    OutImmediate70(Register);
    OutByte(CMOS_DATA, Value);
}

/* ---- ports ---------------------------------------------------------------------------- */

static void ProbeCmos(void)
{
    UCHAR Old = ReadCmos(CMOS_SCRATCH), Seconds, StatusB;

    WriteCmos(CMOS_SCRATCH, 0xa5);
    OutImmediate70(CMOS_SCRATCH);
    PROBE(InImmediate71() == 0xa5);
    WriteCmos(CMOS_SCRATCH, 0x5a);
    PROBE(ReadCmos(CMOS_SCRATCH) == 0x5a);
    WriteCmos(CMOS_SCRATCH, Old);
    PROBE(ReadCmos(CMOS_SCRATCH) == Old);
    /* The clock's seconds, in BCD unless status B says binary. */
    StatusB = ReadCmos(CMOS_STATUS_B);
    Seconds = ReadCmos(CMOS_SECONDS);
    if (StatusB & 4)
        PROBE(Seconds < 60);
    else
        PROBE((Seconds & 0xf) < 10 && (Seconds >> 4) < 6);
}

/* PCI configuration space of 00:00.0, the host bridge (Intel on QEMU):
 * the address register holds a dword, the data reads as words too. */
static void ProbePci(void)
{
    ULONG Id;

    OutDword(PCI_ADDRESS, PCI_ENABLE);
    PROBE(InDword(PCI_ADDRESS) == PCI_ENABLE);
    Id = InDword(PCI_DATA);
    PROBE((Id & 0xffff) == PCI_INTEL);
    PROBE(InWord(PCI_DATA) == PCI_INTEL);
    PROBE(InWord(PCI_DATA + 2) == Id >> 16);
}

static void ProbeStrings(void)
{
    UCHAR Bytes[16];
    USHORT Words[2];
    UCHAR *Cursor;
    ULONG_PTR Count;

    for (ULONG i = 0; i < sizeof(Bytes); i++)
        Bytes[i] = 0xee;
    WriteCmos(CMOS_SCRATCH, 0x3c);
    OutByte(CMOS_INDEX, CMOS_SCRATCH);
    Cursor = Bytes, Count = 8;
    __asm__ volatile("rep insb" : "+D"(Cursor), "+c"(Count) : "d"(CMOS_DATA) : "memory");
    PROBE(Cursor == Bytes + 8 && Count == 0);
    for (ULONG i = 0; i < 8; i++)
        PROBE(Bytes[i] == 0x3c);
    PROBE(Bytes[8] == 0xee);
    /* Downwards: two bytes ending at Bytes[9]. */
    Cursor = &Bytes[9], Count = 2;
    __asm__ volatile("std; rep insb; cld" : "+D"(Cursor), "+c"(Count) : "d"(CMOS_DATA) : "memory");
    PROBE(Cursor == &Bytes[7] && Count == 0 && Bytes[9] == 0x3c && Bytes[10] == 0xee);
    /* One element without REP, then outs to the POST port. */
    Cursor = &Bytes[12];
    __asm__ volatile("insb" : "+D"(Cursor) : "d"(CMOS_DATA) : "memory");
    PROBE(Cursor == &Bytes[13] && Bytes[12] == 0x3c);
    Cursor = Bytes, Count = sizeof(Bytes);
    __asm__ volatile("rep outsb" : "+S"(Cursor), "+c"(Count) : "d"(POST_PORT) : "memory");
    PROBE(Cursor == Bytes + sizeof(Bytes) && Count == 0);
    OutDword(PCI_ADDRESS, PCI_ENABLE);
    Cursor = (UCHAR *)Words, Count = 2;
    __asm__ volatile("rep insw" : "+D"(Cursor), "+c"(Count) : "d"(PCI_DATA) : "memory");
    PROBE(Words[0] == PCI_INTEL && Cursor == (UCHAR *)&Words[2]);
}

/* PIT channel 2 (the speaker's; no gate, no sound): a count written
 * through the shared command port, latched and read back. */
static void ProbePitChannel2(void)
{
    USHORT Count;

    OutByte(0x43, 0xb6); /* channel 2, lobyte/hibyte, square wave */
    OutByte(0x42, 0x34);
    OutByte(0x42, 0x12);
    OutByte(0x43, 0x80); /* latch channel 2 */
    Count = InByte(0x42);
    Count |= (USHORT)InByte(0x42) << 8;
    PROBE(Count <= 0x1234);
}

static UCHAR TebIrql(void)
{
    return ((volatile UCHAR *)NtCurrentTeb())[IO_HOST_TEB_IRQL];
}

static void ProbeCr8(void)
{
    ULONG_PTR Value = 2, Read = 99;

    __asm__ volatile("mov %0, %%cr8" ::"r"(Value));
    PROBE(TebIrql() == 2);
    __asm__ volatile("mov %%cr8, %0" : "=r"(Read));
    PROBE(Read == 2);
    /* r9 needs REX.B on both sides. */
    __asm__ volatile("mov $15, %%r9; mov %%r9, %%cr8; xor %%r9, %%r9; mov %%cr8, %%r9; mov %%r9, %0"
                     : "=r"(Read)
                     :
                     : "r9");
    PROBE(Read == 15 && TebIrql() == 15);
    Value = 0;
    __asm__ volatile("mov %0, %%cr8" ::"r"(Value));
    PROBE(TebIrql() == 0);
    __asm__ volatile("cli; sti");
}

/* ---- interrupts ---------------------------------------------------------------------------- */

static volatile NTSTATUS OtherThreadStatus;

static VOID NTAPI DisconnectFromOtherThread(PVOID Vector)
{
    OtherThreadStatus = NtDriverDisconnectInterrupt((ULONG)(ULONG_PTR)Vector);
    NtTerminateThread(NtCurrentThread(), STATUS_SUCCESS);
}

/* Another thread than the holder only asks for the line back (PENDING):
 * the line stays until the holder gives it back. */
static void ProbeDisconnectFromOtherThread(void)
{
    ULONG_PTR Notification, Handler;
    HANDLE Thread;

    PROBE(NtDriverConnectInterrupt(10, 0, 0, &Notification, &Handler) == STATUS_SUCCESS);
    PROBE(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, DisconnectFromOtherThread,
                              (PVOID)10, &Thread, NULL) == STATUS_SUCCESS);
    PROBE(NtWaitForSingleObject(Thread, FALSE, NULL) == STATUS_SUCCESS);
    NtClose(Thread);
    PROBE(OtherThreadStatus == STATUS_PENDING);
    PROBE(NtDriverConnectInterrupt(10, 0, 0, &Notification, &Handler) ==
          STATUS_DEVICE_ALREADY_ATTACHED);
    PROBE(NtDriverDisconnectInterrupt(10) == STATUS_SUCCESS);
}

static void ProbeInterrupt(void)
{
    ULONG_PTR Notification = 0, Handler = 0;
    LARGE_INTEGER Long = {.QuadPart = -36000000000ll}; /* an hour */

    PROBE(NtDriverConnectInterrupt(0, 0, 0, &Notification, &Handler) ==
          STATUS_DEVICE_ALREADY_ATTACHED);
    PROBE(NtDriverConnectInterrupt(2, 0, 0, &Notification, &Handler) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverConnectInterrupt(24, 0, 0, &Notification, &Handler) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverConnectInterrupt(8, 0, 0, NULL, &Handler) == STATUS_ACCESS_VIOLATION);
    PROBE(NtDriverDisconnectInterrupt(8) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverConnectInterrupt(9, 0, 0, &Notification, &Handler) == STATUS_SUCCESS);
    /* Above the ring's notifications (slots 3 and 4). */
    PROBE(Notification >= 5 && Notification < 16 && Handler >= 5 && Handler < 16 &&
          Notification != Handler);
    PROBE(NtDriverConnectInterrupt(9, 0, 0, &Notification, &Handler) ==
          STATUS_DEVICE_ALREADY_ATTACHED);
    PROBE(NtDriverDisconnectInterrupt(9) == STATUS_SUCCESS);
    PROBE(NtDriverDisconnectInterrupt(9) == STATUS_INVALID_PARAMETER);
    ProbeDisconnectFromOtherThread();
    /* The test takes over from here: it waits for IRQ 8 itself. */
    PROBE(NtDriverConnectInterrupt(8, 0, 0, &Notification, &Handler) == STATUS_SUCCESS);
    NtDelayExecution(FALSE, &Long);
}

/* ---- memory ---------------------------------------------------------------------------------- */

static void ProbeDisplay(void)
{
    DRIVER_DISPLAY_INFO Display;

    PROBE(NtDriverQueryDisplay(&Display, sizeof(Display) - 1) == STATUS_INFO_LENGTH_MISMATCH);
    PROBE(NtDriverQueryDisplay((PVOID)0x10, sizeof(Display)) == STATUS_ACCESS_VIOLATION);
    PROBE(NtDriverQueryDisplay(&Display, sizeof(Display)) == STATUS_SUCCESS);
    /* QEMU started with -kernel: no loader record, so VGA text. */
    PROBE(Display.Kind == DRIVER_DISPLAY_VGA_TEXT && Display.PhysicalAddress == 0xb8000 &&
          Display.Width == 80 && Display.Height == 25 && Display.Pitch == 160);
}

/* The last 96 bytes of VGA text memory's first page, past the 80x25
 * screen: mapped twice, a write through one shows through the other. */
static void ProbeIoSpace(void)
{
    const ULONG_PTR Phys = 0xb8000 + 4000;
    ULONG_PTR First, Second, Back;

    PROBE(NtDriverMapIoSpace(Phys, 0, 0, &First) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverMapIoSpace(Phys, 96, 3, &First) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverMapIoSpace(0x200000, 4096, 0, &First) == STATUS_CONFLICTING_ADDRESSES);
    PROBE(NtDriverMapIoSpace(Phys, 96, 0, &First) == STATUS_SUCCESS);
    PROBE(NtDriverMapIoSpace(Phys, 96, 1, &Second) == STATUS_SUCCESS);
    PROBE(First != Second && (First & 0xfff) == 4000 && (Second & 0xfff) == 4000);
    *(volatile ULONG *)First = 0x1e5a1e48;
    PROBE(*(volatile ULONG *)Second == 0x1e5a1e48);
    *(volatile ULONG *)(Second + 4) = 0x07210769;
    PROBE(*(volatile ULONG *)(First + 4) == 0x07210769);
    PROBE(NtDriverQueryPhysicalAddress((PVOID)(First + 8), &Back) == STATUS_SUCCESS);
    PROBE(Back == Phys + 8);
    PROBE(NtDriverUnmapIoSpace((PVOID)Second, 96) == STATUS_SUCCESS);
    PROBE(NtDriverUnmapIoSpace((PVOID)Second, 96) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverQueryPhysicalAddress((PVOID)Second, &Back) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverUnmapIoSpace((PVOID)First, 0) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverUnmapIoSpace((PVOID)First, 96) == STATUS_SUCCESS);
}

/* QEMU's standard VGA has its linear framebuffer at 0xFD000000, high in
 * a large device untyped: a frame carved deep down, written and read. */
static void ProbeFramebuffer(void)
{
    ULONG_PTR Base, Back;

    PROBE(NtDriverMapIoSpace(0xfd000000, 4096, 2, &Base) == STATUS_SUCCESS);
    *(volatile ULONG *)(Base + 64) = 0x00ff8040;
    PROBE(*(volatile ULONG *)(Base + 64) == 0x00ff8040);
    PROBE(NtDriverQueryPhysicalAddress((PVOID)(Base + 64), &Back) == STATUS_SUCCESS);
    PROBE(Back == 0xfd000040);
    PROBE(NtDriverUnmapIoSpace((PVOID)Base, 4096) == STATUS_SUCCESS);
}

static void ProbeContiguous(void)
{
    ULONG_PTR Base, Phys, Back;

    PROBE(NtDriverAllocateContiguousMemory(0, ~0ull, &Base, &Phys) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverAllocateContiguousMemory(3 * 4096, 0xffffffff, &Base, &Phys) == STATUS_SUCCESS);
    PROBE((Phys & 0xfff) == 0 && Phys + 3 * 4096 - 1 <= 0xffffffff && (Base & 0xfff) == 0);
    for (ULONG i = 0; i < 3; i++) {
        PROBE(((volatile ULONG *)Base)[i * 1024] == 0); /* zeroed */
        ((volatile ULONG *)Base)[i * 1024] = i + 1;
        PROBE(NtDriverQueryPhysicalAddress((PVOID)(Base + i * 4096 + 12), &Back) == STATUS_SUCCESS);
        PROBE(Back == Phys + i * 4096 + 12);
    }
    PROBE(NtDriverFreeContiguousMemory((PVOID)(Base + 4096)) == STATUS_INVALID_PARAMETER);
    PROBE(NtDriverFreeContiguousMemory((PVOID)Base) == STATUS_SUCCESS);
    PROBE(NtDriverFreeContiguousMemory((PVOID)Base) == STATUS_INVALID_PARAMETER);
    /* Kept until the process ends: its address space takes it. */
    PROBE(NtDriverAllocateContiguousMemory(4096, 0xffffffff, &Base, &Phys) == STATUS_SUCCESS);
}

/* ---- start ------------------------------------------------------------------------------------
 */

static WCHAR ProbeMode(PPEB Peb)
{
    PRTL_USER_PROCESS_PARAMETERS Params = Peb->ProcessParameters;

    if (Params == NULL || Params->CommandLine.Buffer == NULL)
        return 0;
    for (ULONG i = 0; i + 1 < Params->CommandLine.Length / sizeof(WCHAR); i++)
        if (Params->CommandLine.Buffer[i] == L' ')
            return Params->CommandLine.Buffer[i + 1];
    return 0;
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    switch (ProbeMode(Peb)) {
    case L'p': /* ports */
        ProbeCmos();
        ProbePci();
        ProbeStrings();
        ProbePitChannel2();
        ProbeCr8();
        break;
    case L'd': /* denied */
        InByte(0x40);
        break;
    case L'P': /* privileged */
        InByte(POST_PORT);
        break;
    case L't': /* timer */
        OutByte(0x43, 0x30);
        break;
    case L'I': { /* insfault */
        UCHAR *Cursor = (UCHAR *)0x10;
        ULONG_PTR Count = 4;
        __asm__ volatile("rep insb" : "+D"(Cursor), "+c"(Count) : "d"(CMOS_DATA) : "memory");
        break;
    }
    case L'c': /* cr8 */
        ProbeCr8();
        break;
    case L'i': /* irq */
        ProbeInterrupt();
        break;
    case L'm': /* memory */
        ProbeDisplay();
        ProbeIoSpace();
        ProbeFramebuffer();
        ProbeContiguous();
        break;
    default:
        NtTerminateProcess(NtCurrentProcess(), STATUS_INVALID_PARAMETER);
    }
    NtTerminateProcess(NtCurrentProcess(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}
