/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NtQuerySystemInformation's Nereid class SystemNereidDeviceInformation
 * (0x4E440000, include/nt/sysinfo.h; no Windows equivalent): a record per
 * device object with its name, its driver's name and process, type and
 * flags, chained like SystemProcessInformation and with its length rules
 * (a short buffer: STATUS_INFO_LENGTH_MISMATCH and the size needed). The
 * record layout is written down here again, from the header's comment, so
 * a change of either shows.
 */
#include "ntdriver.h"

#define SystemNereidDeviceInformation 0x4E440000u
#define FILE_DEVICE_NULL              0x00000015u
#define NTAPI_SERVICES                L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"

typedef struct _NTAPI_DEVICE_RECORD {
    ULONG NextEntryOffset;
    ULONG Index;
    ULONG AttachedTo;
    ULONG AttachedDevice;
    ULONG DeviceType;
    ULONG Characteristics;
    ULONG Flags;
    ULONG Reserved;
    ULONG_PTR DriverProcessId;
    UNICODE_STRING DeviceName;
    UNICODE_STRING DriverName;
} NTAPI_DEVICE_RECORD;
_Static_assert(sizeof(NTAPI_DEVICE_RECORD) == 0x48, "SYSTEM_NEREID_DEVICE_INFORMATION");

static UCHAR NtapiDevices[0x4000] __attribute__((aligned(16)));

static BOOLEAN NtapiSameName(const UNICODE_STRING *Name, PCSTR Ascii)
{
    SIZE_T n = strlen(Ascii);

    if (Name->Length != n * sizeof(WCHAR) || Name->Buffer == NULL)
        return FALSE;
    for (SIZE_T i = 0; i < n; i++) {
        WCHAR a = Name->Buffer[i], b = (WCHAR)Ascii[i];

        if ((a >= 'a' && a <= 'z' ? a - 32 : a) != (b >= 'a' && b <= 'z' ? b - 32 : b))
            return FALSE;
    }
    return TRUE;
}

static NTAPI_DEVICE_RECORD *NtapiNextRecord(NTAPI_DEVICE_RECORD *Record)
{
    if (Record->NextEntryOffset == 0)
        return NULL;
    return (NTAPI_DEVICE_RECORD *)((UCHAR *)Record + Record->NextEntryOffset);
}

/* The record of the device named Name in NtapiDevices (Length bytes), or NULL. */
static NTAPI_DEVICE_RECORD *NtapiFindDevice(ULONG Length, PCSTR Name)
{
    NTAPI_DEVICE_RECORD *Record = Length ? (NTAPI_DEVICE_RECORD *)NtapiDevices : NULL;

    for (; Record; Record = NtapiNextRecord(Record))
        if (NtapiSameName(&Record->DeviceName, Name))
            return Record;
    return NULL;
}

static NTSTATUS NtapiQueryDevices(ULONG *Length)
{
    *Length = 0;
    return NtQuerySystemInformation(SystemNereidDeviceInformation, NtapiDevices,
                                    sizeof(NtapiDevices), Length);
}

static NTSTATUS NtapiDriverKey(BOOLEAN Load, PCWSTR Key)
{
    UNICODE_STRING Name;
    USHORT n = 0;

    while (Key[n])
        n++;
    Name.Length = Name.MaximumLength = n * sizeof(WCHAR);
    Name.Buffer = (PWSTR)Key;
    return Load ? NtLoadDriver(&Name) : NtUnloadDriver(&Name);
}

TEST(devtree, null_device_with_its_driver)
{
    NTAPI_DEVICE_RECORD *Null;
    ULONG Length;

    if (!CHECK_STATUS(NtapiLoadDriver(L"Null"), STATUS_SUCCESS))
        return;
    if (!CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS))
        return;
    Null = NtapiFindDevice(Length, "\\Device\\Null");
    if (!CHECK(Null != NULL))
        return;
    CHECK(NtapiSameName(&Null->DriverName, "\\Driver\\Null"));
    CHECK_EQ(Null->DeviceType, FILE_DEVICE_NULL);
    CHECK(Null->DriverProcessId != 0);
    CHECK(Null->DriverProcessId != (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess);
    CHECK_EQ(Null->AttachedTo, 0);
    CHECK_EQ(Null->AttachedDevice, 0);
}

/* Every record inside the length returned, 8-byte aligned, numbered 1, 2,
 * ...; each name's characters in the buffer after its record. */
TEST(devtree, chain_within_returned_length)
{
    NTAPI_DEVICE_RECORD *Record;
    ULONG Length, Expected = 1, End = 0;

    NtapiLoadDriver(L"Null");
    if (!CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS) || !CHECK(Length != 0))
        return;
    for (Record = (NTAPI_DEVICE_RECORD *)NtapiDevices; Record; Record = NtapiNextRecord(Record)) {
        ULONG At = (ULONG)((UCHAR *)Record - NtapiDevices);
        UCHAR *Name = (UCHAR *)Record->DeviceName.Buffer,
              *Driver = (UCHAR *)Record->DriverName.Buffer;

        CHECK_EQ(At % 8, 0);
        CHECK_EQ(Record->Index, Expected++);
        CHECK(Record->DriverName.Length != 0 && Driver > (UCHAR *)Record &&
              Driver + Record->DriverName.Length <= NtapiDevices + Length);
        CHECK(
            Record->DeviceName.Length == 0 ||
            (Name > (UCHAR *)Record && Name + Record->DeviceName.Length <= NtapiDevices + Length));
        CHECK(Record->AttachedTo == 0 || Record->AttachedTo != Record->Index);
        End = At + sizeof(*Record);
        if (!CHECK(End <= Length))
            return;
    }
    CHECK(End <= Length && Length - End < 0x200); /* the last record's names end it */
}

TEST(devtree, short_buffer_gives_the_size)
{
    ULONG Needed = 0, Length = 0;
    NTAPI_DEVICE_RECORD Small;

    NtapiLoadDriver(L"Null");
    CHECK_STATUS(
        NtQuerySystemInformation(SystemNereidDeviceInformation, &Small, sizeof(Small), &Needed),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK(Needed > sizeof(Small));
    CHECK_STATUS(NtQuerySystemInformation(SystemNereidDeviceInformation, NULL, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, Needed);
    CHECK_STATUS(
        NtQuerySystemInformation(SystemNereidDeviceInformation, NtapiDevices, Needed - 1, &Length),
        STATUS_INFO_LENGTH_MISMATCH);
    /* Exactly the size needed will do, and is what comes back. */
    CHECK_STATUS(
        NtQuerySystemInformation(SystemNereidDeviceInformation, NtapiDevices, Needed, &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Length, Needed);
}

TEST(devtree, bad_buffers)
{
    ULONG Length = 0;

    CHECK_STATUS(NtQuerySystemInformation(SystemNereidDeviceInformation, NtapiDevices + 2,
                                          sizeof(NtapiDevices) - 2, &Length),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQuerySystemInformation(SystemNereidDeviceInformation, (PVOID)0x10,
                                          sizeof(NtapiDevices), &Length),
                 STATUS_ACCESS_VIOLATION);
    /* Without ReturnLength the short buffer still fails the same way. */
    CHECK_STATUS(NtQuerySystemInformation(SystemNereidDeviceInformation, NtapiDevices, 8, NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
}

/* A driver's devices leave the list with its process and come back with a
 * new one. */
TEST(devtree, unload_and_load_again)
{
    NTAPI_DEVICE_RECORD *Null;
    ULONG_PTR Before;
    ULONG Length;

    if (!CHECK_STATUS(NtapiLoadDriver(L"Null"), STATUS_SUCCESS) ||
        !CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS))
        return;
    Null = NtapiFindDevice(Length, "\\Device\\Null");
    if (!CHECK(Null != NULL))
        return;
    Before = Null->DriverProcessId;
    if (!CHECK_STATUS(NtapiDriverKey(FALSE, NTAPI_SERVICES L"Null"), STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS);
    CHECK(NtapiFindDevice(Length, "\\Device\\Null") == NULL);
    if (!CHECK_STATUS(NtapiDriverKey(TRUE, NTAPI_SERVICES L"Null"), STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS);
    Null = NtapiFindDevice(Length, "\\Device\\Null");
    if (CHECK(Null != NULL))
        CHECK(Null->DriverProcessId != 0 && Null->DriverProcessId != Before);
}

/* devstack.sys's stack: \Device\DevStackBottom, an unnamed device on it,
 * \Device\DevStackTop on that; each record names the ones below and above. */
TEST(devtree, stack_neighbours)
{
    NTAPI_DEVICE_RECORD *Bottom, *Middle, *Top;
    ULONG Length;

    if (!CHECK_STATUS(NtapiLoadDriver(L"DevStack"), STATUS_SUCCESS) ||
        !CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS))
        return;
    Bottom = NtapiFindDevice(Length, "\\Device\\DevStackBottom");
    Top = NtapiFindDevice(Length, "\\Device\\DevStackTop");
    if (!CHECK(Bottom != NULL && Top != NULL))
        goto out;
    CHECK_EQ(Bottom->AttachedTo, 0);
    CHECK(Bottom->AttachedDevice != 0 && Bottom->AttachedDevice != Top->Index);
    for (Middle = (NTAPI_DEVICE_RECORD *)NtapiDevices; Middle; Middle = NtapiNextRecord(Middle))
        if (Middle->Index == Bottom->AttachedDevice)
            break;
    if (!CHECK(Middle != NULL))
        goto out;
    CHECK_EQ(Middle->DeviceName.Length, 0); /* unnamed */
    CHECK(NtapiSameName(&Middle->DriverName, "\\Driver\\DevStack"));
    CHECK_EQ(Middle->AttachedTo, Bottom->Index);
    CHECK_EQ(Middle->AttachedDevice, Top->Index);
    CHECK_EQ(Top->AttachedTo, Middle->Index);
    CHECK_EQ(Top->AttachedDevice, 0);
    CHECK(Top->DriverProcessId == Bottom->DriverProcessId && Top->DriverProcessId != 0);
    CHECK_EQ(Bottom->DeviceType, 0x22u); /* FILE_DEVICE_UNKNOWN */
out:
    CHECK_STATUS(NtapiDriverKey(FALSE, NTAPI_SERVICES L"DevStack"), STATUS_SUCCESS);
    CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS);
    CHECK(NtapiFindDevice(Length, "\\Device\\DevStackBottom") == NULL);
}

/* A WDM driver's FDO on its root PDO (drivers/test/pnptest): the PDO is
 * \Driver\PnpManager's (no process) and the two records name each other. */
TEST(devtree, pnp_fdo_on_root_pdo)
{
    NTAPI_DEVICE_RECORD *Record, *Fdo = NULL, *Pdo = NULL;
    ULONG Length;

    if (!CHECK_STATUS(NtapiLoadDriver(L"PnpTest"), STATUS_SUCCESS) ||
        !CHECK_STATUS(NtapiQueryDevices(&Length), STATUS_SUCCESS))
        goto out;
    for (Record = (NTAPI_DEVICE_RECORD *)NtapiDevices; Record; Record = NtapiNextRecord(Record))
        if (NtapiSameName(&Record->DriverName, "\\Driver\\PnpTest") && Record->AttachedTo)
            Fdo = Record;
    if (!CHECK(Fdo != NULL))
        goto out;
    for (Record = (NTAPI_DEVICE_RECORD *)NtapiDevices; Record; Record = NtapiNextRecord(Record))
        if (Record->Index == Fdo->AttachedTo)
            Pdo = Record;
    if (!CHECK(Pdo != NULL))
        goto out;
    CHECK(NtapiSameName(&Pdo->DriverName, "\\Driver\\PnpManager"));
    CHECK_EQ(Pdo->DriverProcessId, 0);
    CHECK_EQ(Pdo->AttachedDevice, Fdo->Index);
    CHECK_EQ(Pdo->AttachedTo, 0);
    CHECK(Pdo->DeviceName.Length == 16 * sizeof(WCHAR)); /* \Device\%08x */
    CHECK(Fdo->DriverProcessId != 0);
out:
    CHECK_STATUS(NtapiDriverKey(FALSE, NTAPI_SERVICES L"PnpTest"), STATUS_SUCCESS);
}
