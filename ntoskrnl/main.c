/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c: NtProcessStartup, the first code of a driver process
 * (docs/io.md). ntos starts the process with the command line
 * `ntoskrnl.exe <image> <service key>`; the runtime asks ntos for its rings
 * (NtDriverInitialize), prepares the thread, builds the DRIVER_OBJECT, loads
 * the image, runs DriverEntry, tells ntos how it went (a completion of Id
 * 0, iohost.h) and serves IRPs until the driver is unloaded.
 */

#include <ntoskrnl.h>

#include "io/selftest.h"

/* Nereid's own service (ntos/services.def 97); ntdll's generated stub. */
NTSYSAPI NTSTATUS NTAPI NtDriverInitialize(PVOID Info, ULONG Length);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);

PDRIVER_OBJECT IopDriverObject;
DRIVER_HOST_INFO IopHostInfo;
CHAR IopDriverPrefix[32];

static WCHAR KrnlpImageName[IO_HOST_NAME_CHARS];
static WCHAR KrnlpServiceKey[IO_HOST_NAME_CHARS];
static UNICODE_STRING KrnlpRegistryPath;

/* Copy the next blank-separated word of *Cursor (End bounds it) into Word
 * (Chars slots, NUL-terminated); FALSE if there is none or it is too long. */
static BOOLEAN KrnlpNextWord(PCWSTR *Cursor, PCWSTR End, PWCHAR Word, ULONG Chars)
{
    PCWSTR Text = *Cursor;
    ULONG Length = 0;

    while (Text < End && (*Text == L' ' || *Text == L'\t'))
        Text++;
    while (Text < End && *Text != L' ' && *Text != L'\t') {
        if (Length + 1 >= Chars)
            return FALSE;
        Word[Length++] = *Text++;
    }
    Word[Length] = 0;
    *Cursor = Text;
    return Length != 0;
}

/* `ntoskrnl.exe <image> <service key>`: the image name and the key, which
 * DriverEntry gets as its RegistryPath. STATUS_MORE_ENTRIES for
 * `ntoskrnl.exe -selftest` (io/selftest.h). */
static NTSTATUS KrnlpParseCommandLine(PVOID Peb)
{
    PVOID Parameters = *(PVOID *)((PUCHAR)Peb + KRNL_PEB_PROCESS_PARAMETERS);
    PUNICODE_STRING CommandLine;
    WCHAR Program[IO_HOST_NAME_CHARS];
    PCWSTR Cursor, End;

    if (Parameters == NULL)
        return STATUS_INVALID_PARAMETER;
    CommandLine = (PUNICODE_STRING)((PUCHAR)Parameters + KRNL_PARAMETERS_COMMAND_LINE);
    Cursor = CommandLine->Buffer;
    End = Cursor + CommandLine->Length / sizeof(WCHAR);
    if (Cursor == NULL || !KrnlpNextWord(&Cursor, End, Program, IO_HOST_NAME_CHARS) ||
        !KrnlpNextWord(&Cursor, End, KrnlpImageName, IO_HOST_NAME_CHARS))
        return STATUS_INVALID_PARAMETER;
    if (wcscmp(KrnlpImageName, L"-selftest") == 0)
        return STATUS_MORE_ENTRIES;
    if (!KrnlpNextWord(&Cursor, End, KrnlpServiceKey, IO_HOST_NAME_CHARS))
        return STATUS_INVALID_PARAMETER;
    RtlInitUnicodeString(&KrnlpRegistryPath, KrnlpServiceKey);
    return STATUS_SUCCESS;
}

/* "\Driver\Null" -> "Null": the prefix of the driver's debug output. */
static VOID KrnlpSetDriverPrefix(VOID)
{
    const uint16_t *Name = IopHostInfo.DriverName, *Last = Name;
    ULONG Index;

    for (Index = 0; Index < IO_HOST_NAME_CHARS && Name[Index]; Index++)
        if (Name[Index] == L'\\')
            Last = &Name[Index + 1];
    for (Index = 0; Index + 1 < sizeof(IopDriverPrefix) && Last[Index]; Index++)
        IopDriverPrefix[Index] = Last[Index] < 0x80 ? (CHAR)Last[Index] : '?';
    IopDriverPrefix[Index] = 0;
}

/* The thread's KTHREAD and the TEB fields of iohost.h (IRQL
 * PASSIVE_LEVEL, processor 0), krnlrt's. */
static NTSTATUS KrnlpInitializeThread(VOID)
{
    return KiInitializeHostThread();
}

/* Load the image and run DriverEntry; the status is DriverEntry's, or the
 * loader's when the image did not load. */
static NTSTATUS KrnlpStartDriver(VOID)
{
    UNICODE_STRING ImageName;
    PDRIVER_INITIALIZE Entry;
    PVOID Base;
    SIZE_T Size;
    NTSTATUS Status;

    Status = IopCreateDriverObject(&IopDriverObject);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlInitUnicodeString(&ImageName, KrnlpImageName);
    Status = LdrpLoadDriverImage(&ImageName, &Base, &Size, &Entry);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopDescribeDriverImage(IopDriverObject, Base, Size, Entry, &ImageName);
    if (!NT_SUCCESS(Status))
        return Status;
    IopDriverObject->DriverExtension->ServiceKeyName = KrnlpRegistryPath;
    Status = Entry(IopDriverObject, &KrnlpRegistryPath);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("DriverEntry failed: 0x%08lx\n", (ULONG)Status);
        return Status;
    }
    IopRunReinitialization(IopDriverObject);
    return Status;
}

NTSTATUS NtProcessStartup(PVOID Peb)
{
    NTSTATUS Status;

    Status = KrnlpParseCommandLine(Peb);
    if (Status == STATUS_MORE_ENTRIES) {
        /* `ntoskrnl.exe -selftest`: an ordinary process testing itself. */
        Status = KrnlpInitializeThread();
        if (NT_SUCCESS(Status))
            Status = (NTSTATUS)KrnlRunSelfTest();
        goto out;
    }
    if (!NT_SUCCESS(Status))
        goto out;
    Status = NtDriverInitialize(&IopHostInfo, sizeof(IopHostInfo));
    if (!NT_SUCCESS(Status))
        goto out;
    KrnlpSetDriverPrefix();
    Status = KrnlpInitializeThread();
    if (!NT_SUCCESS(Status))
        goto out;
    Status = KrnlpStartDriver();
    IopReportDriverEntry(Status);
    if (!NT_SUCCESS(Status))
        goto out;
    Status = IopRunIrpLoop();
out:
    NtTerminateProcess(NtCurrentProcess(), Status);
    return Status;
}
