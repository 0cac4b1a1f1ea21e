/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keyboard IOCTLs of \Device\KeyboardPort0 (kbdclass forwards its own
 * here): QUERY_ATTRIBUTES, QUERY/SET_TYPEMATIC (keyboard command 0xF3),
 * QUERY/SET_INDICATORS (0xED), QUERY_INDICATOR_TRANSLATION. A short buffer
 * gives STATUS_BUFFER_TOO_SMALL, a value outside the attributes' range
 * STATUS_INVALID_PARAMETER, an unknown code STATUS_INVALID_DEVICE_REQUEST,
 * a keyboard that does not answer STATUS_IO_TIMEOUT.
 */
#include "i8042prt.h"

/* What an enhanced 101/102-key keyboard in scan code set 1 reports. */
#define I8042_RATE_MIN  2
#define I8042_RATE_MAX  30
#define I8042_DELAY_MIN 250
#define I8042_DELAY_MAX 1000

static VOID I8042Attributes(PKEYBOARD_ATTRIBUTES A)
{
    RtlZeroMemory(A, sizeof(*A));
    A->KeyboardIdentifier.Type = 4; /* IBM enhanced (101/102-key) */
    A->KeyboardMode = 1;            /* scan code set 1 */
    A->NumberOfFunctionKeys = 12;
    A->NumberOfIndicators = 3;
    A->NumberOfKeysTotal = 101;
    A->InputDataQueueLength = I8042_QUEUE_RECORDS * sizeof(KEYBOARD_INPUT_DATA);
    A->KeyRepeatMinimum.Rate = I8042_RATE_MIN;
    A->KeyRepeatMinimum.Delay = I8042_DELAY_MIN;
    A->KeyRepeatMaximum.Rate = I8042_RATE_MAX;
    A->KeyRepeatMaximum.Delay = I8042_DELAY_MAX;
}

static NTSTATUS I8042SetTypematic(PI8042_EXTENSION Ext, const KEYBOARD_TYPEMATIC_PARAMETERS *P)
{
    if (P->Rate < I8042_RATE_MIN || P->Rate > I8042_RATE_MAX || P->Delay < I8042_DELAY_MIN ||
        P->Delay > I8042_DELAY_MAX)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS Status =
        I8042SendToKeyboard(Ext, KBD_SET_TYPEMATIC, I8042TypematicByte(P->Rate, P->Delay));
    if (NT_SUCCESS(Status))
        Ext->Typematic = *P;
    return Status;
}

static NTSTATUS I8042SetIndicators(PI8042_EXTENSION Ext, const KEYBOARD_INDICATOR_PARAMETERS *P)
{
    /* KEYBOARD_SCROLL/NUM/CAPS_LOCK_ON are the 0xED byte's bits 0-2. */
    UCHAR Leds =
        P->LedFlags & (KEYBOARD_SCROLL_LOCK_ON | KEYBOARD_NUM_LOCK_ON | KEYBOARD_CAPS_LOCK_ON);
    NTSTATUS Status = I8042SendToKeyboard(Ext, KBD_SET_LEDS, Leds);
    if (NT_SUCCESS(Status))
        Ext->Indicators = *P;
    return Status;
}

static VOID I8042IndicatorTranslation(PKEYBOARD_INDICATOR_TRANSLATION T)
{
    static const INDICATOR_LIST Keys[] = {
        {0x3A, KEYBOARD_CAPS_LOCK_ON},
        {0x45, KEYBOARD_NUM_LOCK_ON},
        {0x46, KEYBOARD_SCROLL_LOCK_ON},
    };
    T->NumberOfIndicatorKeys = 3;
    RtlCopyMemory(T->IndicatorList, Keys, sizeof(Keys));
}

#define I8042_TRANSLATION_SIZE                                                                     \
    (FIELD_OFFSET(KEYBOARD_INDICATOR_TRANSLATION, IndicatorList) + 3 * sizeof(INDICATOR_LIST))

NTSTATUS I8042DeviceControl(PI8042_EXTENSION Ext, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG In = Stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG Out = Stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID Buffer = Irp->AssociatedIrp.SystemBuffer;
    ULONG Size = 0; /* the answer's size */
    NTSTATUS Status = STATUS_SUCCESS;
    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_KEYBOARD_QUERY_ATTRIBUTES:
        if ((Size = sizeof(KEYBOARD_ATTRIBUTES)) <= Out)
            I8042Attributes(Buffer);
        break;
    case IOCTL_KEYBOARD_QUERY_TYPEMATIC:
        if ((Size = sizeof(KEYBOARD_TYPEMATIC_PARAMETERS)) <= Out)
            *(PKEYBOARD_TYPEMATIC_PARAMETERS)Buffer = Ext->Typematic;
        break;
    case IOCTL_KEYBOARD_QUERY_INDICATORS:
        if ((Size = sizeof(KEYBOARD_INDICATOR_PARAMETERS)) <= Out)
            *(PKEYBOARD_INDICATOR_PARAMETERS)Buffer = Ext->Indicators;
        break;
    case IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION:
        if ((Size = I8042_TRANSLATION_SIZE) <= Out)
            I8042IndicatorTranslation(Buffer);
        break;
    case IOCTL_KEYBOARD_SET_TYPEMATIC:
        Status = In < sizeof(KEYBOARD_TYPEMATIC_PARAMETERS) ? STATUS_BUFFER_TOO_SMALL
                                                            : I8042SetTypematic(Ext, Buffer);
        break;
    case IOCTL_KEYBOARD_SET_INDICATORS:
        Status = In < sizeof(KEYBOARD_INDICATOR_PARAMETERS) ? STATUS_BUFFER_TOO_SMALL
                                                            : I8042SetIndicators(Ext, Buffer);
        break;
    default:
        Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    if (Size > Out)
        Status = STATUS_BUFFER_TOO_SMALL;
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = NT_SUCCESS(Status) ? Size : 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}
