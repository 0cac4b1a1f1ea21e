/* SPDX-License-Identifier: BSD-2-Clause */
/* The keyboard records of ntddkbd.h the host-tested driver code uses
 * (tests/host/drivers), with Windows' layouts and values. */
#pragma once

#include <ntddk.h>

typedef struct _KEYBOARD_INPUT_DATA {
    USHORT UnitId, MakeCode, Flags, Reserved;
    ULONG ExtraInformation;
} KEYBOARD_INPUT_DATA, *PKEYBOARD_INPUT_DATA;
_Static_assert(sizeof(KEYBOARD_INPUT_DATA) == 12, "KEYBOARD_INPUT_DATA");

#define KEY_MAKE  0
#define KEY_BREAK 1
#define KEY_E0    2
#define KEY_E1    4

typedef struct _KEYBOARD_TYPEMATIC_PARAMETERS {
    USHORT UnitId, Rate, Delay;
} KEYBOARD_TYPEMATIC_PARAMETERS, *PKEYBOARD_TYPEMATIC_PARAMETERS;

typedef struct _KEYBOARD_INDICATOR_PARAMETERS {
    USHORT UnitId, LedFlags;
} KEYBOARD_INDICATOR_PARAMETERS, *PKEYBOARD_INDICATOR_PARAMETERS;
