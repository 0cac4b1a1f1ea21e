/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of i8042prt.sys's controller code
 * (drivers/input/i8042prt/controller.c, ioctl.c) and the keyboard record queue both
 * keyboard drivers serve reads from (drivers/include/kbdqueue.h), against
 * a simulated 8042 and keyboard behind READ/WRITE_PORT_UCHAR and the ddk
 * doubles of fake/ntddk.h, under ASan/UBSan: set-1 bytes to records (make,
 * break, E0, the E1 Pause pair, overrun codes, mouse bytes), keyboard
 * commands with ACK, RESEND, keys typed meanwhile and silence, the
 * typematic byte, controller set-up, and reads (lengths, pending, served
 * later, cancel, cleanup of one handle, a full queue). Suite "drivers".
 */
#include <stdio.h>
#include <stdlib.h>

#include "drvtest.h"

#include "i8042prt.h"

/* ---- the simulated controller and keyboard ---------------------------------------- */

static struct {
    UCHAR Out[256];
    BOOLEAN OutAux[256];
    ULONG OutHead, OutCount;
    UCHAR Config, Command;
    BOOLEAN Absent, Silent, KeyBeforeAck, Enabled;
    ULONG Resends;
    UCHAR KbdBytes[16];
    ULONG KbdCount;
} Hw;

static VOID HwPush(UCHAR Byte, BOOLEAN Aux)
{
    ULONG i = (Hw.OutHead + Hw.OutCount++) % 256;
    Hw.Out[i] = Byte;
    Hw.OutAux[i] = Aux;
}

static VOID HwKeyboardByte(UCHAR Value)
{
    if (Hw.KbdCount < sizeof(Hw.KbdBytes))
        Hw.KbdBytes[Hw.KbdCount++] = Value;
    if (Hw.Silent)
        return;
    if (Hw.KeyBeforeAck)
        HwPush(0x1C, FALSE); /* Enter pressed just then */
    if (Hw.Resends) {
        Hw.Resends--;
        HwPush(KBD_RESEND, FALSE);
        return;
    }
    HwPush(KBD_ACK, FALSE);
}

static UCHAR HwRead(unsigned int Port)
{
    if (Hw.Absent)
        return 0xFF;
    if (Port == 0x64)
        return (Hw.OutCount ? I8042_OBF : 0) |
               (Hw.OutCount && Hw.OutAux[Hw.OutHead] ? I8042_AUXB : 0);
    if (!Hw.OutCount)
        return 0;
    UCHAR Byte = Hw.Out[Hw.OutHead];
    Hw.OutHead = (Hw.OutHead + 1) % 256;
    Hw.OutCount--;
    return Byte;
}

static VOID HwWrite(unsigned int Port, UCHAR Value)
{
    if (Port == 0x64) {
        Hw.Command = Value;
        if (Value == CTRL_READ_CONFIG)
            HwPush(Hw.Config, FALSE);
        if (Value == CTRL_ENABLE_KEYBOARD)
            Hw.Enabled = TRUE;
        return;
    }
    if (Hw.Command == CTRL_WRITE_CONFIG) {
        Hw.Config = Value;
        Hw.Command = 0;
        return;
    }
    HwKeyboardByte(Value);
}

/* ---- fixture -------------------------------------------------------------------------- */

static I8042_EXTENSION Ext;
static DEVICE_OBJECT Device = {&Ext};

static void Setup(void)
{
    memset(&Hw, 0, sizeof(Hw));
    memset(&Ext, 0, sizeof(Ext));
    KbdQueueInitialize(&Ext.Queue, Ext.QueueStorage, I8042_QUEUE_RECORDS);
    Ext.Interrupt = (PKINTERRUPT)&Hw; /* never dereferenced by the doubles */
    FakeReset(HwRead, HwWrite);
}

static BOOLEAN Record(ULONG i, USHORT MakeCode, USHORT Flags)
{
    return i < Ext.IsrCount && Ext.IsrRecords[i].MakeCode == MakeCode &&
           Ext.IsrRecords[i].Flags == Flags;
}

static void Type(const UCHAR *Bytes, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        HwPush(Bytes[i], FALSE);
    I8042Isr(Ext.Interrupt, &Ext);
}

static void InitRead(PIRP Irp, KEYBOARD_INPUT_DATA *Buffer, ULONG Length, PFILE_OBJECT File)
{
    memset(Irp, 0, sizeof(*Irp));
    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Irp->Stack.Parameters.Read.Length = Length;
    Irp->Stack.FileObject = File;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void TestMakeAndBreak(void)
{
    static const UCHAR Bytes[] = {0x1E, 0x9E};
    Type(Bytes, 2);
    EXPECT(Ext.IsrCount == 2);
    EXPECT(Record(0, 0x1E, KEY_MAKE));
    EXPECT(Record(1, 0x1E, KEY_BREAK));
    EXPECT(Ext.Dpc.Queued == 1);
}

static void TestExtendedKeys(void)
{
    static const UCHAR Bytes[] = {0xE0, 0x48, 0xE0, 0xC8, 0x48};
    Type(Bytes, sizeof(Bytes));
    EXPECT(Ext.IsrCount == 3);
    EXPECT(Record(0, 0x48, KEY_E0));
    EXPECT(Record(1, 0x48, KEY_BREAK | KEY_E0));
    EXPECT(Record(2, 0x48, KEY_MAKE)); /* keypad 8: no prefix left over */
}

static void TestPause(void)
{
    static const UCHAR Bytes[] = {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E};
    Type(Bytes, sizeof(Bytes));
    EXPECT(Ext.IsrCount == 5);
    EXPECT(Record(0, 0x1D, KEY_E1));
    EXPECT(Record(1, 0x45, KEY_MAKE));
    EXPECT(Record(2, 0x1D, KEY_E1 | KEY_BREAK));
    EXPECT(Record(3, 0x45, KEY_BREAK));
    EXPECT(Record(4, 0x1E, KEY_MAKE));
}

static void TestDroppedBytes(void)
{
    HwPush(0x00, FALSE);
    HwPush(0xFF, FALSE);
    HwPush(0x08, TRUE); /* a mouse byte */
    EXPECT(I8042Isr(Ext.Interrupt, &Ext) == TRUE);
    EXPECT(Ext.IsrCount == 0);
    EXPECT(I8042Isr(Ext.Interrupt, &Ext) == FALSE); /* nothing left: not ours */
}

static void TestDpcServesReads(void)
{
    static const UCHAR Bytes[] = {0x10, 0x90, 0x11};
    KEYBOARD_INPUT_DATA Buffer[4];
    IRP First, Second, Third;
    Type(Bytes, 3);
    I8042Dpc(&Ext.Dpc, &Ext, NULL, NULL);
    EXPECT(Ext.IsrCount == 0 && Ext.Queue.Count == 3);
    InitRead(&First, Buffer, 2 * sizeof(KEYBOARD_INPUT_DATA), NULL);
    EXPECT(KbdQueueRead(&Ext.Queue, &First) == STATUS_PENDING);
    EXPECT(First.Completions == 1 && First.IoStatus.Status == STATUS_SUCCESS);
    EXPECT(First.IoStatus.Information == 2 * sizeof(KEYBOARD_INPUT_DATA));
    EXPECT(Buffer[0].MakeCode == 0x10 && Buffer[1].Flags == KEY_BREAK);
    InitRead(&Second, Buffer, 4 * sizeof(KEYBOARD_INPUT_DATA), NULL);
    KbdQueueRead(&Ext.Queue, &Second);
    EXPECT(Second.Completions == 1 && Second.IoStatus.Information == sizeof(KEYBOARD_INPUT_DATA));
    InitRead(&Third, Buffer, sizeof(KEYBOARD_INPUT_DATA), NULL);
    EXPECT(KbdQueueRead(&Ext.Queue, &Third) == STATUS_PENDING);
    EXPECT(Third.Completions == 0 && Third.PendingMarked);
    Type((const UCHAR[]){0x1C}, 1);
    I8042Dpc(&Ext.Dpc, &Ext, NULL, NULL);
    EXPECT(Third.Completions == 1 && Buffer[0].MakeCode == 0x1C);
    EXPECT(Third.CancelRoutine == NULL);
}

static void TestReadLengths(void)
{
    KEYBOARD_INPUT_DATA Buffer[2];
    IRP Irp;
    InitRead(&Irp, Buffer, 0, NULL);
    EXPECT(KbdQueueRead(&Ext.Queue, &Irp) == STATUS_SUCCESS && Irp.Completions == 1);
    InitRead(&Irp, Buffer, sizeof(KEYBOARD_INPUT_DATA) + 1, NULL);
    EXPECT(KbdQueueRead(&Ext.Queue, &Irp) == STATUS_BUFFER_TOO_SMALL);
    EXPECT(Irp.IoStatus.Status == STATUS_BUFFER_TOO_SMALL && Irp.Completions == 1);
    InitRead(&Irp, Buffer, 5, NULL);
    EXPECT(KbdQueueRead(&Ext.Queue, &Irp) == STATUS_BUFFER_TOO_SMALL);
}

static void TestCancel(void)
{
    KEYBOARD_INPUT_DATA A[1], B[1];
    IRP First, Second;
    InitRead(&First, A, sizeof(A), NULL);
    InitRead(&Second, B, sizeof(B), NULL);
    KbdQueueRead(&Ext.Queue, &First);
    KbdQueueRead(&Ext.Queue, &Second);
    FakeCancel(&Device, &First);
    EXPECT(First.Completions == 1 && First.IoStatus.Status == STATUS_CANCELLED);
    EXPECT(!FakeCancelLockHeld());
    Type((const UCHAR[]){0x2A}, 1);
    I8042Dpc(&Ext.Dpc, &Ext, NULL, NULL);
    EXPECT(Second.Completions == 1 && B[0].MakeCode == 0x2A);
    /* A read cancelled before it is queued ends at once. */
    InitRead(&First, A, sizeof(A), NULL);
    First.Cancel = TRUE;
    KbdQueueRead(&Ext.Queue, &First);
    EXPECT(First.Completions == 1 && First.IoStatus.Status == STATUS_CANCELLED);
    EXPECT(IsListEmpty(&Ext.Queue.Reads));
}

static void TestCleanupOfOneHandle(void)
{
    FILE_OBJECT F1, F2;
    KEYBOARD_INPUT_DATA A[1], B[1];
    IRP First, Second;
    InitRead(&First, A, sizeof(A), &F1);
    InitRead(&Second, B, sizeof(B), &F2);
    KbdQueueRead(&Ext.Queue, &First);
    KbdQueueRead(&Ext.Queue, &Second);
    KbdQueueCancelFile(&Ext.Queue, &F1);
    EXPECT(First.Completions == 1 && First.IoStatus.Status == STATUS_CANCELLED);
    EXPECT(Second.Completions == 0);
    KbdQueueCancelFile(&Ext.Queue, NULL);
    EXPECT(Second.Completions == 1 && IsListEmpty(&Ext.Queue.Reads));
}

static void TestFullQueue(void)
{
    KEYBOARD_INPUT_DATA Many[300];
    memset(Many, 0, sizeof(Many));
    KbdQueueInsert(&Ext.Queue, Many, 300);
    EXPECT(Ext.Queue.Count == I8042_QUEUE_RECORDS);
    EXPECT(Ext.Queue.Dropped == 300 - I8042_QUEUE_RECORDS);
}

static void TestCommands(void)
{
    EXPECT(I8042SendToKeyboard(&Ext, KBD_SET_LEDS, 0x07) == STATUS_SUCCESS);
    EXPECT(Hw.KbdCount == 2 && Hw.KbdBytes[0] == 0xED && Hw.KbdBytes[1] == 0x07);
    Hw.KbdCount = 0;
    Hw.Resends = 1;
    EXPECT(I8042SendToKeyboard(&Ext, KBD_SET_TYPEMATIC, 0x20) == STATUS_SUCCESS);
    EXPECT(Hw.KbdCount == 3 && Hw.KbdBytes[1] == 0xF3 && Hw.KbdBytes[2] == 0x20);
    Hw.KeyBeforeAck = TRUE;
    EXPECT(I8042SendToKeyboard(&Ext, KBD_SET_LEDS, 0) == STATUS_SUCCESS);
    EXPECT(Ext.IsrCount == 2 && Record(0, 0x1C, KEY_MAKE)); /* the keys were kept */
    Hw.KeyBeforeAck = FALSE;
    Hw.Silent = TRUE;
    EXPECT(I8042SendToKeyboard(&Ext, KBD_SET_LEDS, 0) == STATUS_IO_TIMEOUT);
    Hw.Silent = FALSE;
    Hw.Resends = 5;
    EXPECT(I8042SendToKeyboard(&Ext, KBD_SET_LEDS, 0) == STATUS_IO_DEVICE_ERROR);
}

static void TestTypematicByte(void)
{
    EXPECT(I8042TypematicByte(30, 250) == 0x00);
    EXPECT(I8042TypematicByte(2, 1000) == 0x7F);
    EXPECT(I8042TypematicByte(10, 500) == 0x2C); /* 10.0 characters a second */
    EXPECT(I8042TypematicByte(15, 750) == 0x48); /* 15.0 */
}

static void TestControllerSetup(void)
{
    Hw.Config = 0x32;    /* keyboard disabled, mouse interrupt on */
    HwPush(0x55, FALSE); /* left over from the firmware */
    EXPECT(I8042InitializeController() == STATUS_SUCCESS);
    EXPECT(Hw.Config == 0x61); /* keyboard interrupt, translation, mouse interrupt off */
    EXPECT(Hw.Enabled);
    EXPECT(Hw.OutCount == 0);
    Setup();
    Hw.Absent = TRUE;
    EXPECT(I8042InitializeController() == STATUS_NO_SUCH_DEVICE);
}

static NTSTATUS KbdIoctl(ULONG Code, PVOID Buffer, ULONG In, ULONG Out, ULONG_PTR *Information)
{
    IRP Irp;
    memset(&Irp, 0, sizeof(Irp));
    Irp.AssociatedIrp.SystemBuffer = Buffer;
    Irp.Stack.Parameters.DeviceIoControl.OutputBufferLength = Out;
    Irp.Stack.Parameters.DeviceIoControl.InputBufferLength = In;
    Irp.Stack.Parameters.DeviceIoControl.IoControlCode = Code;
    NTSTATUS Status = I8042DeviceControl(&Ext, &Irp);
    EXPECT(Irp.Completions == 1 && Irp.IoStatus.Status == Status);
    if (Information)
        *Information = Irp.IoStatus.Information;
    return Status;
}

static void TestIoctls(void)
{
    KEYBOARD_ATTRIBUTES A;
    KEYBOARD_TYPEMATIC_PARAMETERS T = {0, 10, 500}, GotT = {0};
    KEYBOARD_INDICATOR_PARAMETERS L = {0, KEYBOARD_CAPS_LOCK_ON | KEYBOARD_NUM_LOCK_ON}, GotL = {0};
    UCHAR Translation[64];
    PKEYBOARD_INDICATOR_TRANSLATION Tr = (PKEYBOARD_INDICATOR_TRANSLATION)Translation;
    ULONG_PTR Info = 0;
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_ATTRIBUTES, &A, 0, sizeof(A), &Info) == STATUS_SUCCESS);
    EXPECT(Info == sizeof(A) && A.KeyboardIdentifier.Type == 4 && A.KeyboardMode == 1);
    EXPECT(A.NumberOfIndicators == 3 && A.KeyRepeatMaximum.Rate == 30);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_ATTRIBUTES, &A, 0, 8, &Info) == STATUS_BUFFER_TOO_SMALL);
    EXPECT(Info == 0);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_SET_TYPEMATIC, &T, sizeof(T), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Hw.KbdCount == 2 && Hw.KbdBytes[0] == KBD_SET_TYPEMATIC && Hw.KbdBytes[1] == 0x2C);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_TYPEMATIC, &GotT, 0, sizeof(GotT), NULL) ==
           STATUS_SUCCESS);
    EXPECT(GotT.Rate == 10 && GotT.Delay == 500);
    T.Rate = 31;
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_SET_TYPEMATIC, &T, sizeof(T), 0, NULL) ==
           STATUS_INVALID_PARAMETER);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_SET_TYPEMATIC, &T, 2, 0, NULL) == STATUS_BUFFER_TOO_SMALL);
    Hw.KbdCount = 0;
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_SET_INDICATORS, &L, sizeof(L), 0, NULL) == STATUS_SUCCESS);
    EXPECT(Hw.KbdCount == 2 && Hw.KbdBytes[0] == KBD_SET_LEDS && Hw.KbdBytes[1] == 0x06);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_INDICATORS, &GotL, 0, sizeof(GotL), &Info) ==
           STATUS_SUCCESS);
    EXPECT(Info == sizeof(GotL) && GotL.LedFlags == L.LedFlags);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION, Tr, 0, sizeof(Translation),
                    &Info) == STATUS_SUCCESS);
    EXPECT(Tr->NumberOfIndicatorKeys == 3 && Tr->IndicatorList[0].MakeCode == 0x3A);
    EXPECT(Tr->IndicatorList[0].IndicatorFlags == KEYBOARD_CAPS_LOCK_ON);
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION, Tr, 0, 4, NULL) ==
           STATUS_BUFFER_TOO_SMALL);
    Hw.Silent = TRUE;
    EXPECT(KbdIoctl(IOCTL_KEYBOARD_SET_INDICATORS, &L, sizeof(L), 0, NULL) == STATUS_IO_TIMEOUT);
    EXPECT(KbdIoctl(CTL_CODE(FILE_DEVICE_KEYBOARD, 0x123, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL,
                    0, 0, NULL) == STATUS_INVALID_DEVICE_REQUEST);
}

static const DRV_TEST Tests[] = {
    {"i8042_make_and_break", TestMakeAndBreak},
    {"i8042_extended_keys", TestExtendedKeys},
    {"i8042_pause", TestPause},
    {"i8042_dropped_bytes", TestDroppedBytes},
    {"i8042_keyboard_commands", TestCommands},
    {"i8042_typematic_byte", TestTypematicByte},
    {"i8042_controller_setup", TestControllerSetup},
    {"i8042_ioctls", TestIoctls},
    {"kbdqueue_dpc_serves_reads", TestDpcServesReads},
    {"kbdqueue_read_lengths", TestReadLengths},
    {"kbdqueue_cancel", TestCancel},
    {"kbdqueue_cleanup_of_one_handle", TestCleanupOfOneHandle},
    {"kbdqueue_full_queue", TestFullQueue},
};

const DRV_TEST_FILE KeyboardTestFile = {Setup, NULL, Tests, sizeof(Tests) / sizeof(Tests[0])};
