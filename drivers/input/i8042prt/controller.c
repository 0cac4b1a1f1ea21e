/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 8042 and the keyboard behind it: controller set-up (keyboard
 * interrupt on, translation to scan code set 1, the mouse port's interrupt
 * off: nothing here serves it), keyboard commands with their ACK, and the
 * ISR that turns set-1 bytes into KEYBOARD_INPUT_DATA records.
 *
 * Every access waits with a bound, so a machine without a controller or
 * keyboard fails a request instead of hanging the driver. The controller's
 * reset line (reboot) is ntos's, not this driver's.
 */
#include "i8042prt.h"

#define I8042_POLL_STALL_US 50
#define I8042_POLL_TRIES    400 /* 20 ms */

static BOOLEAN I8042WaitInputEmpty(VOID)
{
    for (ULONG i = 0; i < I8042_POLL_TRIES; i++) {
        if (!(READ_PORT_UCHAR(I8042_STATUS) & I8042_IBF))
            return TRUE;
        KeStallExecutionProcessor(I8042_POLL_STALL_US);
    }
    return FALSE;
}

/* Wait for a byte at 0x60; *Status gets the status register with it. */
static BOOLEAN I8042WaitOutput(PUCHAR Byte, PUCHAR Status)
{
    for (ULONG i = 0; i < I8042_POLL_TRIES; i++) {
        UCHAR St = READ_PORT_UCHAR(I8042_STATUS);
        if (St & I8042_OBF) {
            *Status = St;
            *Byte = READ_PORT_UCHAR(I8042_DATA);
            return TRUE;
        }
        KeStallExecutionProcessor(I8042_POLL_STALL_US);
    }
    return FALSE;
}

static BOOLEAN I8042WriteCommand(UCHAR Command)
{
    if (!I8042WaitInputEmpty())
        return FALSE;
    WRITE_PORT_UCHAR(I8042_COMMAND, Command);
    return TRUE;
}

static BOOLEAN I8042WriteData(UCHAR Data)
{
    if (!I8042WaitInputEmpty())
        return FALSE;
    WRITE_PORT_UCHAR(I8042_DATA, Data);
    return TRUE;
}

/* Before the interrupt is connected (DriverEntry): nothing else reads 0x60. */
NTSTATUS I8042InitializeController(VOID)
{
    UCHAR Status, Config;
    for (ULONG i = 0; i < 32 && (READ_PORT_UCHAR(I8042_STATUS) & I8042_OBF); i++)
        (void)READ_PORT_UCHAR(I8042_DATA); /* what the firmware left */
    if (READ_PORT_UCHAR(I8042_STATUS) == 0xFF)
        return STATUS_NO_SUCH_DEVICE; /* nothing decodes the port */
    if (!I8042WriteCommand(CTRL_READ_CONFIG) || !I8042WaitOutput(&Config, &Status))
        return STATUS_IO_TIMEOUT;
    Config |= CONFIG_KEYBOARD_INTERRUPT | CONFIG_TRANSLATE;
    Config &= ~(CONFIG_KEYBOARD_DISABLED | CONFIG_MOUSE_INTERRUPT);
    if (!I8042WriteCommand(CTRL_WRITE_CONFIG) || !I8042WriteData(Config))
        return STATUS_IO_TIMEOUT;
    if (!I8042WriteCommand(CTRL_ENABLE_KEYBOARD))
        return STATUS_IO_TIMEOUT;
    return STATUS_SUCCESS;
}

/*
 * One set-1 byte from the keyboard, under the interrupt lock: 0xE0 and
 * 0xE1 prefix the next code (KEY_E0, KEY_E1; Pause is E1 1D 45 E1 9D C5:
 * its first code carries KEY_E1, the second none), bit 7 is the break.
 * 0x00 and 0xFF are the keyboard's overrun/error codes.
 */
static VOID I8042ProcessByte(PI8042_EXTENSION Ext, UCHAR Byte)
{
    if (Byte == 0x00 || Byte == 0xFF)
        return;
    if (Byte == 0xE0 || Byte == 0xE1) {
        Ext->Prefix = Byte;
        Ext->E1Left = Byte == 0xE1 ? 2 : 0;
        return;
    }
    KEYBOARD_INPUT_DATA Record = {0};
    Record.MakeCode = Byte & 0x7F;
    Record.Flags = (Byte & 0x80) ? KEY_BREAK : KEY_MAKE;
    if (Ext->Prefix == 0xE0)
        Record.Flags |= KEY_E0;
    else if (Ext->Prefix == 0xE1 && Ext->E1Left == 2)
        Record.Flags |= KEY_E1;
    if (Ext->Prefix == 0xE1 && Ext->E1Left > 1) {
        Ext->E1Left--; /* the pair's second code follows, still under E1 */
    } else {
        Ext->Prefix = 0;
        Ext->E1Left = 0;
    }
    if (Ext->IsrCount == I8042_ISR_RECORDS) {
        Ext->IsrDropped++;
        return;
    }
    Ext->IsrRecords[Ext->IsrCount++] = Record;
}

BOOLEAN I8042Isr(PKINTERRUPT Interrupt, PVOID Context)
{
    PI8042_EXTENSION Ext = Context;
    BOOLEAN Ours = FALSE;
    for (ULONG i = 0; i < 16; i++) {
        UCHAR Status = READ_PORT_UCHAR(I8042_STATUS);
        if (!(Status & I8042_OBF))
            break;
        UCHAR Byte = READ_PORT_UCHAR(I8042_DATA);
        Ours = TRUE;
        if (!(Status & I8042_AUXB))
            I8042ProcessByte(Ext, Byte); /* mouse bytes: no mouse driver, dropped */
    }
    if (Ours)
        KeInsertQueueDpc(&Ext->Dpc, NULL, NULL);
    return Ours;
}

typedef struct _I8042_SYNC_TAKE {
    PI8042_EXTENSION Ext;
    KEYBOARD_INPUT_DATA Records[I8042_ISR_RECORDS];
    ULONG Count;
} I8042_SYNC_TAKE;

static BOOLEAN I8042TakeSync(PVOID Context)
{
    I8042_SYNC_TAKE *Take = Context;
    PI8042_EXTENSION Ext = Take->Ext;
    Take->Count = Ext->IsrCount;
    RtlCopyMemory(Take->Records, Ext->IsrRecords, Ext->IsrCount * sizeof(KEYBOARD_INPUT_DATA));
    Ext->IsrCount = 0;
    return TRUE;
}

/* The ISR's DPC: move its records to the port queue and serve the reads. */
VOID I8042Dpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    PI8042_EXTENSION Ext = Context;
    I8042_SYNC_TAKE Take;
    Take.Ext = Ext;
    KeSynchronizeExecution(Ext->Interrupt, I8042TakeSync, &Take);
    if (Take.Count)
        KbdQueueInsert(&Ext->Queue, Take.Records, Take.Count);
}

typedef struct _I8042_SYNC_SEND {
    PI8042_EXTENSION Ext;
    UCHAR Bytes[2];
    NTSTATUS Status;
} I8042_SYNC_SEND;

/* Send one byte to the keyboard and wait for its ACK (resending on
 * RESEND); key bytes that arrive meanwhile go to the ISR's records. */
static NTSTATUS I8042SendByte(PI8042_EXTENSION Ext, UCHAR Value)
{
    for (ULONG Try = 0; Try < 3; Try++) {
        if (!I8042WriteData(Value))
            return STATUS_IO_TIMEOUT;
        for (;;) {
            UCHAR Byte, Status;
            if (!I8042WaitOutput(&Byte, &Status))
                return STATUS_IO_TIMEOUT;
            if (Status & I8042_AUXB)
                continue;
            if (Byte == KBD_ACK)
                return STATUS_SUCCESS;
            if (Byte == KBD_RESEND)
                break;
            I8042ProcessByte(Ext, Byte);
        }
    }
    return STATUS_IO_DEVICE_ERROR;
}

/* Under the interrupt lock, so the ISR cannot take the ACK. */
static BOOLEAN I8042SendSync(PVOID Context)
{
    I8042_SYNC_SEND *Send = Context;
    Send->Status = I8042SendByte(Send->Ext, Send->Bytes[0]);
    if (NT_SUCCESS(Send->Status))
        Send->Status = I8042SendByte(Send->Ext, Send->Bytes[1]);
    return TRUE;
}

/* A keyboard command with its one data byte (LEDs 0xED, typematic 0xF3). */
NTSTATUS I8042SendToKeyboard(PI8042_EXTENSION Ext, UCHAR Command, UCHAR Data)
{
    I8042_SYNC_SEND Send = {Ext, {Command, Data}, STATUS_SUCCESS};
    KeSynchronizeExecution(Ext->Interrupt, I8042SendSync, &Send);
    if (Ext->IsrCount)
        KeInsertQueueDpc(&Ext->Dpc, NULL, NULL); /* keys typed meanwhile */
    return Send.Status;
}

/* The 0xF3 byte: delay (250, 500, 750, 1000 ms) in bits 5-6 and the rate
 * code in bits 0-4 whose characters a second, 240 / ((8 + A) * 2^B) with
 * A = bits 0-2, B = bits 3-4, come nearest to Rate. */
UCHAR I8042TypematicByte(ULONG Rate, ULONG Delay)
{
    ULONG Best = 0, BestDiff = MAXULONG;
    for (ULONG Code = 0; Code < 32; Code++) {
        ULONG Tenths = 2400 / ((8 + (Code & 7)) << ((Code >> 3) & 3));
        ULONG Diff = Tenths > Rate * 10 ? Tenths - Rate * 10 : Rate * 10 - Tenths;
        if (Diff < BestDiff) {
            Best = Code;
            BestDiff = Diff;
        }
    }
    ULONG DelayCode = (Delay + 125) / 250;
    DelayCode = DelayCode ? DelayCode - 1 : 0;
    return (UCHAR)((DelayCode > 3 ? 3 : DelayCode) << 5 | Best);
}
