/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Drivers and the machine: driver load|unload (NtLoadDriver /
 * NtUnloadDriver on the service key of the name), beep (IOCTL_BEEP_SET on
 * \Device\Beep, then a wait of the tone's length, as Windows' Beep does)
 * and reboot / poweroff (NtShutdownSystem; on success they do not return).
 */
#include "ntcmd.h"

#define CMD_SERVICES_KEY "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

NTSTATUS CmdDriver(CMD_ARGS *Args)
{
    CHAR Key[CMD_PATH_MAX], What[CMD_PATH_MAX];
    WCHAR Wide[CMD_PATH_MAX];
    UNICODE_STRING String;
    BOOLEAN Load;
    NTSTATUS Status;

    if (Args->Argc != 3 ||
        (_stricmp(Args->Argv[1], "load") != 0 && _stricmp(Args->Argv[1], "unload") != 0)) {
        CmdPrint("usage: driver load|unload <name>\n");
        return STATUS_INVALID_PARAMETER;
    }
    Load = _stricmp(Args->Argv[1], "load") == 0;
    _snprintf(Key, sizeof(Key) - 1, CMD_SERVICES_KEY "%s", Args->Argv[2]);
    Key[sizeof(Key) - 1] = 0;
    CmdWiden(Key, Wide, ARRAYSIZE(Wide), &String);
    Status = Load ? NtLoadDriver(&String) : NtUnloadDriver(&String);
    _snprintf(What, sizeof(What) - 1, "driver %s %s", Args->Argv[1], Args->Argv[2]);
    What[sizeof(What) - 1] = 0;
    if (NT_SUCCESS(Status))
        CmdPrint("%s: done\n", What);
    else
        CmdPrintError(What, Status);
    return Status;
}

static NTSTATUS CmdBeepDevice(const BEEP_SET_PARAMETERS *Parameters)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Io;
    HANDLE Beep;
    NTSTATUS Status;

    RtlInitUnicodeString(&Name, u"\\Device\\Beep");
    NtProgObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL);
    Status = NtOpenFile(&Beep, FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE, &Attributes, &Io,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtDeviceIoControlFile(Beep, NULL, NULL, NULL, &Io, IOCTL_BEEP_SET, (PVOID)Parameters,
                                   sizeof(*Parameters), NULL, 0);
    NtClose(Beep);
    return Status;
}

NTSTATUS CmdBeep(CMD_ARGS *Args)
{
    BEEP_SET_PARAMETERS Parameters = {800, 200};
    LARGE_INTEGER Delay;
    NTSTATUS Status;

    if (Args->Argc > 3 || (Args->Argc > 1 && !CmdNumber(Args->Argv[1], &Parameters.Frequency)) ||
        (Args->Argc > 2 && !CmdNumber(Args->Argv[2], &Parameters.Duration))) {
        CmdPrint("usage: beep [hz] [ms]\n");
        return STATUS_INVALID_PARAMETER;
    }
    Status = CmdBeepDevice(&Parameters);
    if (!NT_SUCCESS(Status)) {
        CmdPrintError("beep", Status);
        return Status;
    }
    CmdPrint("beep: %lu Hz for %lu ms\n", Parameters.Frequency, Parameters.Duration);
    Delay.QuadPart = -(LONGLONG)Parameters.Duration * 10000;
    NtDelayExecution(FALSE, &Delay);
    return STATUS_SUCCESS;
}

static NTSTATUS CmdShutdown(ULONG Action, PCSTR What)
{
    NTSTATUS Status;

    CmdPrint("%s: shutting down\n", What);
    Status = NtShutdownSystem(Action);
    /* Reboot and power off do not return when they work. */
    CmdPrintError(What, Status);
    return Status;
}

NTSTATUS CmdReboot(CMD_ARGS *Args)
{
    (void)Args;
    return CmdShutdown(ShutdownReboot, "reboot");
}

NTSTATUS CmdPoweroff(CMD_ARGS *Args)
{
    (void)Args;
    return CmdShutdown(ShutdownPowerOff, "poweroff");
}
