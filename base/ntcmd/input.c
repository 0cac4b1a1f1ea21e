/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The input devices: \Device\Serial0 (bytes from the 16550 driver) and
 * \Device\KeyboardClass0 (KEYBOARD_INPUT_DATA records from kbdclass).
 * Each open device has one asynchronous NtReadFile outstanding with its
 * own event; NtWaitForMultipleObjects takes whichever completes first, so
 * both work at once. Keys decoded from a completed read queue up here.
 * While no device can be opened (the drivers are not loaded, or not
 * written yet) the shell says so once and tries again every second; a
 * device whose read fails is closed and looked for again the same way.
 * Bytes given ahead (ntcmd /k <file>) come first, as if typed on the
 * serial line. While a program runs in the foreground the devices stay
 * open and read (CmdWaitForeground): Ctrl-C ends the program, other keys
 * wait in the queue for the next prompt. A shell run in the foreground
 * asks for the devices (the serial line is exclusive): it signals the
 * event its parent named after it (CmdHandoverName), and the parent closes
 * them until that shell ends.
 */
#include "ntcmd.h"

#define CMD_INPUT_BYTES 64
#define CMD_KEY_QUEUE   128

typedef struct _CMD_INPUT_DEVICE {
    PCWSTR Name;
    BOOLEAN Keyboard;
    BOOLEAN Pending;
    HANDLE File;
    HANDLE Event;
    IO_STATUS_BLOCK Io;
    union {
        UCHAR Bytes[CMD_INPUT_BYTES];
        KEYBOARD_INPUT_DATA Records[CMD_INPUT_BYTES / sizeof(KEYBOARD_INPUT_DATA)];
    } Buffer;
} CMD_INPUT_DEVICE;

static CMD_INPUT_DEVICE CmdDevices[] = {
    {.Name = u"\\Device\\Serial0", .Keyboard = FALSE},
    {.Name = u"\\Device\\KeyboardClass0", .Keyboard = TRUE},
};

static CMD_KEY CmdQueue[CMD_KEY_QUEUE];
static ULONG CmdQueueHead, CmdQueueTail;
static BOOLEAN CmdToldNoDevice;
static const UCHAR *CmdTyped;
static ULONG CmdTypedLeft;

VOID CmdTypeAhead(const UCHAR *Bytes, ULONG Length)
{
    CmdTyped = Bytes;
    CmdTypedLeft = Length;
}

static VOID CmdQueueKey(const CMD_KEY *Key)
{
    if (CmdQueueTail - CmdQueueHead < CMD_KEY_QUEUE)
        CmdQueue[CmdQueueTail++ % CMD_KEY_QUEUE] = *Key;
}

static VOID CmdConsumeRead(CMD_INPUT_DEVICE *Device);

/* Close a device; a read still outstanding is cancelled first, and what it
 * had read by then is kept. */
static VOID CmdCloseDevice(CMD_INPUT_DEVICE *Device)
{
    LARGE_INTEGER Second = {.QuadPart = -10000000LL};
    IO_STATUS_BLOCK Cancel;

    if (Device->Pending) {
        NtCancelIoFile(Device->File, &Cancel);
        if (NtWaitForSingleObject(Device->Event, FALSE, &Second) == STATUS_SUCCESS &&
            NT_SUCCESS(Device->Io.Status))
            CmdConsumeRead(Device);
    }
    NtClose(Device->File);
    NtClose(Device->Event);
    Device->File = Device->Event = NULL;
    Device->Pending = FALSE;
}

static BOOLEAN CmdInputWanted; /* keys were read from the devices: the shell is interactive */
static BOOLEAN CmdAskedParent; /* CmdAskForDevices done (once a process) */

VOID CmdReleaseInput(void)
{
    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        if (CmdDevices[i].File)
            CmdCloseDevice(&CmdDevices[i]);
    }
}

VOID CmdHandoverName(ULONG_PTR Pid, PWSTR Buffer, ULONG Chars, PUNICODE_STRING Name)
{
    CHAR Narrow[64];

    _snprintf(Narrow, sizeof(Narrow) - 1, "\\BaseNamedObjects\\NereidShellInput-%lu", (ULONG)Pid);
    Narrow[sizeof(Narrow) - 1] = 0;
    CmdWiden(Narrow, Buffer, Chars, Name);
}

/* A device is taken: when our parent is a shell that runs us in the
 * foreground it made the event named after us; signal it, and give it a
 * moment to close its devices. TRUE when it was asked. Once a process: a
 * device taken later is someone else's. */
static BOOLEAN CmdAskForDevices(void)
{
    LARGE_INTEGER Moment = {.QuadPart = -2000000LL}; /* 200 ms */
    WCHAR Buffer[64];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Event;

    if (CmdAskedParent)
        return FALSE;
    CmdAskedParent = TRUE;
    CmdHandoverName((ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess, Buffer, ARRAYSIZE(Buffer),
                    &Name);
    NtProgObjectAttributes(&Attributes, &Name, 0, NULL);
    if (!NT_SUCCESS(NtOpenEvent(&Event, 0x0002 /* EVENT_MODIFY_STATE */, &Attributes)))
        return FALSE;
    NtSetEvent(Event, NULL);
    NtClose(Event);
    NtDelayExecution(FALSE, &Moment);
    return TRUE;
}

/* Open the device for asynchronous reads (no FILE_SYNCHRONOUS_IO_*). */
static BOOLEAN CmdOpenDevice(CMD_INPUT_DEVICE *Device)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Io;
    NTSTATUS Status;

    RtlInitUnicodeString(&Name, Device->Name);
    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    Status = NtCreateEvent(&Device->Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    if (!NT_SUCCESS(Status))
        return FALSE;
    Status = NtOpenFile(&Device->File, FILE_READ_DATA | FILE_READ_ATTRIBUTES, &Attributes, &Io,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, 0);
    if ((Status == STATUS_ACCESS_DENIED || Status == STATUS_SHARING_VIOLATION) &&
        CmdAskForDevices())
        Status = NtOpenFile(&Device->File, FILE_READ_DATA | FILE_READ_ATTRIBUTES, &Attributes, &Io,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, 0);
    if (!NT_SUCCESS(Status)) {
        NtClose(Device->Event);
        Device->File = Device->Event = NULL;
        return FALSE;
    }
    return TRUE;
}

/* Turn a completed read into keys. */
static VOID CmdConsumeRead(CMD_INPUT_DEVICE *Device)
{
    ULONG_PTR Bytes = Device->Io.Information, i;
    CMD_KEY Key;

    if (Bytes > sizeof(Device->Buffer))
        Bytes = sizeof(Device->Buffer);
    if (Device->Keyboard) {
        for (i = 0; i < Bytes / sizeof(KEYBOARD_INPUT_DATA); i++) {
            if (CmdKeyboardRecord(&Device->Buffer.Records[i], &Key))
                CmdQueueKey(&Key);
        }
    } else {
        for (i = 0; i < Bytes; i++) {
            if (CmdSerialByte(Device->Buffer.Bytes[i], &Key))
                CmdQueueKey(&Key);
        }
    }
}

/* Start a read; a read that completes at once is consumed at once. The
 * serial line is read a byte at a time: with the default timeouts a serial
 * read ends only when its buffer is full, and one byte is always full. A
 * keyboard read ends with whatever records are there. Devices ignore the
 * offset, but a file opened for asynchronous I/O must give one. */
static VOID CmdStartRead(CMD_INPUT_DEVICE *Device)
{
    LARGE_INTEGER Offset = {.QuadPart = 0};
    NTSTATUS Status;

    Device->Io.Status = STATUS_PENDING;
    Device->Io.Information = 0;
    Status = NtReadFile(Device->File, Device->Event, NULL, NULL, &Device->Io, &Device->Buffer,
                        Device->Keyboard ? sizeof(Device->Buffer.Records) : 1, &Offset, NULL);
    if (Status == STATUS_PENDING) {
        Device->Pending = TRUE;
    } else if (NT_SUCCESS(Status)) {
        CmdConsumeRead(Device);
    } else {
        CmdCloseDevice(Device);
    }
}

/* Open what can be opened; the number of open devices. */
static ULONG CmdOpenDevices(void)
{
    ULONG Open = 0;

    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        if (CmdDevices[i].File == NULL)
            CmdOpenDevice(&CmdDevices[i]);
        Open += CmdDevices[i].File != NULL;
    }
    return Open;
}

VOID CmdAcquireInput(void)
{
    if (!CmdInputWanted)
        return;
    CmdOpenDevices();
    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        if (CmdDevices[i].File && !CmdDevices[i].Pending)
            CmdStartRead(&CmdDevices[i]);
    }
}

/* Wait for one read to complete (or a second to pass) and consume it. */
static NTSTATUS CmdWaitForInput(void)
{
    HANDLE Events[ARRAYSIZE(CmdDevices)];
    CMD_INPUT_DEVICE *Waiting[ARRAYSIZE(CmdDevices)];
    LARGE_INTEGER Second = {.QuadPart = -10000000LL};
    ULONG Count = 0;
    NTSTATUS Status;

    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        if (CmdDevices[i].File && !CmdDevices[i].Pending)
            CmdStartRead(&CmdDevices[i]);
        if (CmdDevices[i].Pending) {
            Waiting[Count] = &CmdDevices[i];
            Events[Count++] = CmdDevices[i].Event;
        }
    }
    if (CmdQueueHead != CmdQueueTail)
        return STATUS_SUCCESS;
    if (Count == 0) /* every read failed: the devices are opened again in a second */
        return NtDelayExecution(FALSE, &Second);
    /* The time-out lets a device that appears later be opened too. */
    Status = NtWaitForMultipleObjects(Count, Events, WaitAny, FALSE, &Second);
    if ((ULONG)Status - STATUS_WAIT_0 < Count) {
        CMD_INPUT_DEVICE *Device = Waiting[(ULONG)Status - STATUS_WAIT_0];

        Device->Pending = FALSE;
        if (NT_SUCCESS(Device->Io.Status))
            CmdConsumeRead(Device);
        else
            CmdCloseDevice(Device);
        return STATUS_SUCCESS;
    }
    return Status == STATUS_TIMEOUT ? STATUS_SUCCESS : Status;
}

/* Take a Ctrl-C out of the queue (the keys around it stay); TRUE if one was there. */
static BOOLEAN CmdTakeCancel(void)
{
    for (ULONG i = CmdQueueHead; i != CmdQueueTail; i++) {
        if (CmdQueue[i % CMD_KEY_QUEUE].Kind != CmdKeyCancel)
            continue;
        for (ULONG j = i; j + 1 != CmdQueueTail; j++)
            CmdQueue[j % CMD_KEY_QUEUE] = CmdQueue[(j + 1) % CMD_KEY_QUEUE];
        CmdQueueTail--;
        return TRUE;
    }
    return FALSE;
}

/* The handles to wait for while a program runs: the process, the handover
 * event, then each pending read's event (Waiting[] says whose). */
static ULONG CmdForegroundHandles(HANDLE Process, HANDLE Handover, HANDLE *Handles,
                                  CMD_INPUT_DEVICE **Waiting)
{
    ULONG Count = 0;

    Handles[Count++] = Process;
    if (Handover == NULL)
        return Count;
    Handles[Count++] = Handover;
    CmdOpenDevices();
    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        if (CmdDevices[i].File && !CmdDevices[i].Pending)
            CmdStartRead(&CmdDevices[i]);
        if (CmdDevices[i].Pending) {
            Waiting[Count - 2] = &CmdDevices[i];
            Handles[Count++] = CmdDevices[i].Event;
        }
    }
    return Count;
}

BOOLEAN CmdPollInterrupt(void)
{
    LARGE_INTEGER Now = {.QuadPart = 0};

    if (!CmdInputWanted)
        return FALSE;
    for (ULONG i = 0; i < ARRAYSIZE(CmdDevices); i++) {
        CMD_INPUT_DEVICE *Device = &CmdDevices[i];

        /* Read what has come (a read completes at once while bytes wait in
         * the driver) until a read pends; bounded by the queue's room. */
        for (ULONG Reads = 0; Device->File && Reads < CMD_KEY_QUEUE; Reads++) {
            if (Device->Pending) {
                if (NtWaitForSingleObject(Device->Event, FALSE, &Now) != STATUS_SUCCESS)
                    break;
                Device->Pending = FALSE;
                if (!NT_SUCCESS(Device->Io.Status)) {
                    CmdCloseDevice(Device);
                    break;
                }
                CmdConsumeRead(Device);
            }
            CmdStartRead(Device);
        }
    }
    return CmdTakeCancel();
}

VOID CmdStartInput(void)
{
    CmdInputWanted = TRUE;
    CmdAcquireInput();
}

NTSTATUS CmdWaitForeground(HANDLE Process, HANDLE Handover, BOOLEAN *Interrupted)
{
    LARGE_INTEGER Second = {.QuadPart = -10000000LL};
    HANDLE Handles[2 + ARRAYSIZE(CmdDevices)];
    CMD_INPUT_DEVICE *Waiting[ARRAYSIZE(CmdDevices)];
    NTSTATUS Status;

    *Interrupted = FALSE;
    if (!CmdInputWanted) /* /c, /s: the shell reads no device */
        Handover = NULL;
    for (;;) {
        ULONG Count = CmdForegroundHandles(Process, Handover, Handles, Waiting);

        if (CmdTakeCancel() && !*Interrupted) {
            CmdPrint("^C\n");
            *Interrupted = TRUE;
            CmdInterruptProgram(Process);
        }
        /* The time-out lets a device that appears meanwhile be opened. */
        Status =
            NtWaitForMultipleObjects(Count, Handles, WaitAny, FALSE, Handover ? &Second : NULL);
        if (Status == STATUS_WAIT_0 || !NT_SUCCESS(Status))
            return Status;
        if (Status == STATUS_WAIT_0 + 1) {
            CmdReleaseInput(); /* a shell in the foreground takes the devices */
            Handover = NULL;
        } else if (Status != STATUS_TIMEOUT && (ULONG)Status - STATUS_WAIT_0 < Count) {
            CMD_INPUT_DEVICE *Device = Waiting[(ULONG)Status - STATUS_WAIT_0 - 2];

            Device->Pending = FALSE;
            if (NT_SUCCESS(Device->Io.Status))
                CmdConsumeRead(Device);
            else
                CmdCloseDevice(Device);
        }
    }
}

NTSTATUS CmdReadKey(CMD_KEY *Key)
{
    LARGE_INTEGER Second = {.QuadPart = -10000000LL};
    NTSTATUS Status;

    while (CmdQueueHead == CmdQueueTail && CmdTypedLeft) {
        CMD_KEY Typed;

        CmdTypedLeft--;
        if (CmdSerialByte(*CmdTyped++, &Typed))
            CmdQueueKey(&Typed);
    }
    CmdInputWanted = TRUE;
    while (CmdQueueHead == CmdQueueTail) {
        if (CmdOpenDevices() == 0) {
            if (!CmdToldNoDevice)
                CmdPrint("\nntcmd: no input device (\\Device\\Serial0, \\Device\\KeyboardClass0) "
                         "yet; waiting for one\n");
            CmdToldNoDevice = TRUE;
            NtDelayExecution(FALSE, &Second);
            continue;
        }
        if (CmdToldNoDevice) {
            CMD_KEY Redraw = {CmdKeyRedraw, 0};

            CmdPrint("ntcmd: input device ready\n");
            CmdToldNoDevice = FALSE;
            CmdQueueKey(&Redraw);
            continue;
        }
        Status = CmdWaitForInput();
        if (!NT_SUCCESS(Status))
            return Status;
    }
    *Key = CmdQueue[CmdQueueHead++ % CMD_KEY_QUEUE];
    return STATUS_SUCCESS;
}
