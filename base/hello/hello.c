/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello.exe, the first native NT program: proof that ntos starts a PE
 * image, that ntdll's loader snaps its imports and calls its entry point,
 * and that system services work. It prints a fixed greeting, then a line
 * computed at run time (its image base from the PEB and its command line
 * from the process parameters), then what the loader recorded (the module
 * list of Peb->Ldr, and whether LdrGetDllHandle/LdrGetProcedureAddress find
 * the very NtDisplayString it imported), all with NtDisplayString, and
 * ends with the exit status HELLO_EXIT_STATUS that the nt-boot test checks.
 */
#include <ntnative.h>

#define HELLO_EXIT_STATUS 0x1234

static NTSTATUS HelloDisplay(PCSTR Text)
{
    WCHAR Wide[256];
    UNICODE_STRING String;
    ULONG Bytes = 0;

    RtlMultiByteToUnicodeN(Wide, sizeof(Wide), &Bytes, Text, (ULONG)strlen(Text));
    String.Buffer = Wide;
    String.Length = (USHORT)Bytes;
    String.MaximumLength = sizeof(Wide);
    return NtDisplayString(&String);
}

/* The command line, or "(none)" when ntos gave no process parameters. */
static NTSTATUS HelloDisplayCommandLine(PPEB Peb)
{
    static WCHAR None[] = u"(none)";
    UNICODE_STRING String = {sizeof(None) - sizeof(WCHAR), sizeof(None), None};

    if (Peb->ProcessParameters && Peb->ProcessParameters->CommandLine.Buffer)
        String = Peb->ProcessParameters->CommandLine;
    return NtDisplayString(&String);
}

/* "hello: modules <name> <name>..., LdrGetProcedureAddress ok|failed". */
static NTSTATUS HelloDisplayLoader(PPEB Peb)
{
    static WCHAR NtdllName[] = u"ntdll.dll";
    UNICODE_STRING Ntdll = {sizeof(NtdllName) - sizeof(WCHAR), sizeof(NtdllName), NtdllName};
    ANSI_STRING Name = {15, 16, "NtDisplayString"};
    PLIST_ENTRY Head = &Peb->Ldr->InLoadOrderModuleList, Link;
    PVOID Base = NULL, Address = NULL;
    CHAR Line[160];
    int Length;

    Length = _snprintf(Line, sizeof(Line), "hello: modules");
    for (Link = Head->Flink; Link != Head && Length > 0; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Module = (PLDR_DATA_TABLE_ENTRY)Link;
        Length += _snprintf(Line + Length, sizeof(Line) - Length, " %wZ", &Module->BaseDllName);
    }
    HelloDisplay(Line);
    if (NT_SUCCESS(LdrGetDllHandle(NULL, NULL, &Ntdll, &Base)) &&
        NT_SUCCESS(LdrGetProcedureAddress(Base, &Name, 0, &Address)) &&
        Address == (PVOID)&NtDisplayString)
        return HelloDisplay(", LdrGetProcedureAddress ok\n");
    return HelloDisplay(", LdrGetProcedureAddress failed\n");
}

NTSTATUS NtProcessStartup(PPEB Peb)
{
    CHAR Line[128];

    HelloDisplay("Hello from a native NT program\n");
    _snprintf(Line, sizeof(Line),
              "hello: image base %p, peb %p, command line: ", Peb->ImageBaseAddress, (PVOID)Peb);
    HelloDisplay(Line);
    HelloDisplayCommandLine(Peb);
    HelloDisplay("\n");
    HelloDisplayLoader(Peb);
    NtTerminateProcess(NtCurrentProcess(), HELLO_EXIT_STATUS);
    return HELLO_EXIT_STATUS;
}
