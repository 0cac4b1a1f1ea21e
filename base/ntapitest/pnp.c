/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Plug and Play for a WDM driver (docs/io.md, "Plug and Play"), with
 * drivers/test/pnptest: NtLoadDriver makes a root-enumerated PDO named
 * \Device\%08x (Windows' auto-generated names), AddDevice runs with it,
 * START goes down the stack and the device is openable by the PDO's name
 * and through its interface link \??\ROOT#PNPTEST#0000#{guid}; the root
 * PDO's answers (capabilities, IDs, relations, properties) as the driver
 * saw them; QUERY_REMOVE vetoed (the unload fails, CANCEL_REMOVE follows)
 * and accepted (QUERY_REMOVE then REMOVE, the names go); a driver whose
 * START fails does not load; a crash takes the PDO and its names; PDO
 * numbers are not reused. The power IRP of
 * NtShutdownSystem is checked by suite nt-shutdown (case pnppower).
 */
#include "ntapitest.h"
#include "ntdriver.h"
#include "../../drivers/test/pnptest/pnptest.h"

#define DO_BUS_ENUMERATED_DEVICE    0x1000
#define IRP_MN_START_DEVICE         0x00
#define IRP_MN_QUERY_REMOVE_DEVICE  0x01
#define IRP_MN_REMOVE_DEVICE        0x02
#define IRP_MN_CANCEL_REMOVE_DEVICE 0x03

static const WCHAR PnpLink[] = L"\\??\\ROOT#PNPTEST#0000#{5d7a1d2e-8f3b-4c61-9a0e-3b2c4d5e6f70}";

static BOOLEAN PnpSame(const unsigned short *Got, PCWSTR Expected, ULONG Chars)
{
    for (ULONG i = 0; i < Chars; i++)
        if (Got[i] != Expected[i])
            return FALSE;
    return TRUE;
}

static NTSTATUS PnpUnload(PCWSTR Name)
{
    WCHAR Path[128] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";
    UNICODE_STRING Key;
    ULONG n = 0, i;

    while (Path[n])
        n++;
    for (i = 0; Name[i]; i++)
        Path[n + i] = Name[i];
    Path[n + i] = 0;
    Key.Buffer = Path;
    Key.Length = Key.MaximumLength = (USHORT)((n + i) * sizeof(WCHAR));
    return NtUnloadDriver(&Key);
}

/* Load PnpTest (or find it loaded), open it through its interface link and
 * read its record. NULL if any step fails (the check says which). */
static HANDLE PnpOpen(PNPTEST_RECORD *Record)
{
    HANDLE Device = NtapiLoadAndOpen(L"PnpTest", PnpLink);
    ULONG_PTR Information = 0;

    if (Device == NULL)
        return NULL;
    memset(Record, 0xcc, sizeof(*Record));
    if (!CHECK_STATUS(NtapiDeviceIoControl(Device, IOCTL_PNPTEST_RECORD, NULL, 0, Record,
                                           sizeof(*Record), &Information),
                      STATUS_SUCCESS) ||
        !CHECK_EQ(Information, sizeof(*Record))) {
        NtClose(Device);
        return NULL;
    }
    return Device;
}

/* "\Device\" and eight lower-case hex digits; its number. */
static BOOLEAN PnpPdoNumber(const unsigned short *Name, ULONG *Number)
{
    static const WCHAR Prefix[] = L"\\Device\\";
    ULONG Value = 0;

    if (!PnpSame(Name, Prefix, 8))
        return FALSE;
    for (ULONG i = 8; i < 16; i++) {
        WCHAR c = Name[i];
        if (c >= '0' && c <= '9')
            Value = Value * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f')
            Value = Value * 16 + (c - 'a' + 10);
        else
            return FALSE;
    }
    *Number = Value;
    return Name[16] == 0 && Value != 0;
}

TEST(pnp, add_device_start_and_names)
{
    PNPTEST_RECORD Record;
    HANDLE Device = PnpOpen(&Record), ByPdo = NULL;
    WCHAR PdoName[33];
    ULONG Number = 0;

    if (Device == NULL)
        return;
    CHECK_EQ(Record.AddDeviceCalls, 1);
    CHECK(Record.PdoFlags & DO_BUS_ENUMERATED_DEVICE);
    CHECK_EQ(Record.PdoStackSize, 1);
    CHECK_EQ(Record.FdoStackSize, 2);
    CHECK(Record.PnpCount >= 1);
    CHECK_EQ(Record.PnpMinors[0], IRP_MN_START_DEVICE);
    CHECK_STATUS(Record.StartLowerStatus, STATUS_SUCCESS);
    /* before START the stack takes no opens, and the link is not there yet */
    CHECK_STATUS(Record.OpenBeforeStartStatus, STATUS_NO_SUCH_DEVICE);
    CHECK_STATUS(Record.LinkBeforeEnableStatus, STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(Record.PdoNameStatus, STATUS_SUCCESS);
    CHECK(PnpPdoNumber(Record.PdoName, &Number));
    /* the interface link, as IoRegisterDeviceInterface named it */
    CHECK_STATUS(Record.InterfaceStatus, STATUS_SUCCESS);
    CHECK(PnpSame(Record.InterfaceLink, PnpLink, sizeof(PnpLink) / sizeof(WCHAR)));
    CHECK_STATUS(Record.EnableStatus, STATUS_SUCCESS);
    CHECK_STATUS(Record.EnableAgainStatus, STATUS_OBJECT_NAME_EXISTS);
    CHECK_STATUS(Record.FdoInterfaceStatus, STATUS_INVALID_DEVICE_REQUEST);
    /* the PDO's own name opens the stack too */
    for (ULONG i = 0; i < 32; i++)
        PdoName[i] = Record.PdoName[i];
    PdoName[32] = 0;
    if (CHECK_STATUS(NtapiOpenDevice(PdoName, GENERIC_READ | SYNCHRONIZE, &ByPdo), STATUS_SUCCESS))
        NtClose(ByPdo);
    NtClose(Device);
}

TEST(pnp, root_pdo_answers)
{
    PNPTEST_RECORD Record;
    HANDLE Device = PnpOpen(&Record);

    if (Device == NULL)
        return;
    CHECK_STATUS(Record.CapsStatus, STATUS_SUCCESS);
    CHECK_EQ(Record.CapsVersion, 1);
    CHECK_EQ(Record.CapsSize, 64 /* sizeof(DEVICE_CAPABILITIES) */);
    CHECK_EQ(Record.CapsUniqueID, 1);
    CHECK_EQ(Record.CapsAddress, 0xFFFFFFFF);
    CHECK_EQ(Record.CapsUINumber, 0xFFFFFFFF);
    CHECK_EQ(Record.CapsWorking, 1 /* PowerDeviceD0 */);
    CHECK_EQ(Record.CapsShutdown, 4 /* PowerDeviceD3 */);
    CHECK_STATUS(Record.DeviceIdStatus, STATUS_SUCCESS);
    CHECK(PnpSame(Record.DeviceId, L"ROOT\\PNPTEST", 13));
    CHECK_STATUS(Record.InstanceIdStatus, STATUS_SUCCESS);
    CHECK(PnpSame(Record.InstanceId, L"0000", 5));
    CHECK_STATUS(Record.HardwareIdsStatus, STATUS_SUCCESS);
    CHECK(PnpSame(Record.HardwareIds, L"ROOT\\PNPTEST\0", 14)); /* REG_MULTI_SZ */
    CHECK_STATUS(Record.CompatibleIdsStatus, STATUS_NOT_SUPPORTED);
    CHECK_STATUS(Record.RelationsStatus, STATUS_SUCCESS);
    CHECK_EQ(Record.RelationsCount, 1);
    CHECK_EQ(Record.RelationIsPdo, 1);
    CHECK_STATUS(Record.OtherRelationsStatus, STATUS_NOT_SUPPORTED);
    CHECK_STATUS(Record.UnknownMinorStatus, STATUS_NOT_SUPPORTED);
    CHECK_STATUS(Record.EnumeratorStatus, STATUS_SUCCESS);
    CHECK(PnpSame(Record.Enumerator, L"ROOT", 5));
    CHECK_STATUS(Record.DescriptionStatus, STATUS_NOT_IMPLEMENTED); /* no registry */
    CHECK_STATUS(Record.SmallBufferStatus, STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Record.SmallBufferLength, 17 * sizeof(WCHAR)); /* "\Device\xxxxxxxx" + NUL */
    /* power: PoSetPowerState's previous states, PoRequestPowerIrp through
     * the FDO to the PDO and back to the requester */
    CHECK_EQ(Record.PoFirstPrevious, 0 /* PowerDeviceUnspecified */);
    CHECK_EQ(Record.PoSecondPrevious, 4 /* PowerDeviceD3 */);
    CHECK_STATUS(Record.PoRequestStatus, STATUS_PENDING);
    CHECK_EQ(Record.PoRequestCompleted, 1);
    CHECK_EQ(Record.PoRequestMinor, 2 /* IRP_MN_SET_POWER */);
    CHECK_EQ(Record.PoRequestState, 1 /* PowerDeviceD0 */);
    CHECK_STATUS(Record.PoRequestIoStatus, STATUS_SUCCESS);
    CHECK_STATUS(Record.PoBadMinorStatus, STATUS_INVALID_PARAMETER_2);
    CHECK(Record.PowerCount >= 1);
    CHECK_EQ(Record.LastPowerMinor, 2);
    CHECK_EQ(Record.LastPowerType, 1 /* DevicePowerState */);
    CHECK_EQ(Record.IdleDetection, 0);
    NtClose(Device);
}

TEST(pnp, query_remove_veto_keeps_driver)
{
    PNPTEST_RECORD Record;
    HANDLE Device = PnpOpen(&Record);
    ULONG On = 1, Off = 0, Count;

    if (Device == NULL)
        return;
    Count = Record.PnpCount;
    CHECK_STATUS(NtapiDeviceIoControl(Device, IOCTL_PNPTEST_VETO, &On, sizeof(On), NULL, 0, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(PnpUnload(L"PnpTest"), PNPTEST_VETO_STATUS);
    if (CHECK_STATUS(NtapiDeviceIoControl(Device, IOCTL_PNPTEST_RECORD, NULL, 0, &Record,
                                          sizeof(Record), NULL),
                     STATUS_SUCCESS) &&
        CHECK_EQ(Record.PnpCount, Count + 2)) {
        CHECK_EQ(Record.PnpMinors[Count], IRP_MN_QUERY_REMOVE_DEVICE);
        CHECK_EQ(Record.PnpMinors[Count + 1], IRP_MN_CANCEL_REMOVE_DEVICE);
    }
    NtapiDeviceIoControl(Device, IOCTL_PNPTEST_VETO, &Off, sizeof(Off), NULL, 0, NULL);
    NtClose(Device);
    /* still loaded and usable */
    Device = NULL;
    if (CHECK_STATUS(NtapiOpenDevice(PnpLink, GENERIC_READ | SYNCHRONIZE, &Device), STATUS_SUCCESS))
        NtClose(Device);
}

TEST(pnp, unload_removes_device_and_names)
{
    PNPTEST_RECORD Record, Seen;
    HANDLE Device = PnpOpen(&Record), Event = NtapiCreateIoEvent(), Again = NULL;
    IO_STATUS_BLOCK Iosb = {0};
    WCHAR PdoName[33];
    LARGE_INTEGER Timeout = {.QuadPart = -100000000ll};
    NTSTATUS Status;
    ULONG Count;

    if (Device == NULL || Event == NULL)
        goto out;
    Count = Record.PnpCount;
    for (ULONG i = 0; i < 32; i++)
        PdoName[i] = Record.PdoName[i];
    PdoName[32] = 0;
    /* a request that sees the removal from inside the driver */
    memset(&Seen, 0, sizeof(Seen));
    Status = NtDeviceIoControlFile(Device, Event, NULL, NULL, &Iosb, IOCTL_PNPTEST_WATCH, NULL, 0,
                                   &Seen, sizeof(Seen));
    if (!CHECK_STATUS(Status, STATUS_PENDING))
        goto out;
    CHECK_STATUS(PnpUnload(L"PnpTest"), STATUS_SUCCESS);
    if (CHECK_STATUS(NtWaitForSingleObject(Event, FALSE, &Timeout), STATUS_SUCCESS) &&
        CHECK_STATUS(Iosb.Status, STATUS_SUCCESS) && CHECK_EQ(Seen.PnpCount, Count + 2)) {
        CHECK_EQ(Seen.PnpMinors[Count], IRP_MN_QUERY_REMOVE_DEVICE);
        CHECK_EQ(Seen.PnpMinors[Count + 1], IRP_MN_REMOVE_DEVICE);
        /* after QUERY_REMOVE succeeded, opens are refused */
        CHECK_STATUS(Seen.OpenDuringRemoveStatus, STATUS_NO_SUCH_DEVICE);
    }
    /* the driver, the PDO's name and the interface link are gone */
    CHECK_STATUS(PnpUnload(L"PnpTest"), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiOpenDevice(PdoName, GENERIC_READ | SYNCHRONIZE, &Again),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiOpenDevice(PnpLink, GENERIC_READ | SYNCHRONIZE, &Again),
                 STATUS_OBJECT_NAME_NOT_FOUND);
out:
    if (Device)
        NtClose(Device);
    if (Event)
        NtClose(Event);
}

/* A PnP driver that crashes loses its PDO, its name and its interface
 * link with its process, and loads again. */
TEST(pnp, crash_removes_pdo)
{
    PNPTEST_RECORD Record;
    HANDLE Device = PnpOpen(&Record), Again = NULL;
    WCHAR PdoName[33];

    if (Device == NULL)
        return;
    for (ULONG i = 0; i < 32; i++)
        PdoName[i] = Record.PdoName[i];
    PdoName[32] = 0;
    CHECK_STATUS(NtapiDeviceIoControl(Device, IOCTL_PNPTEST_CRASH, NULL, 0, NULL, 0, NULL),
                 STATUS_DRIVER_PROCESS_TERMINATED);
    NtClose(Device);
    CHECK_STATUS(NtapiOpenDevice(PdoName, GENERIC_READ | SYNCHRONIZE, &Again),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtapiOpenDevice(PnpLink, GENERIC_READ | SYNCHRONIZE, &Again),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    Device = PnpOpen(&Record);
    if (Device == NULL)
        return;
    NtClose(Device);
    CHECK_STATUS(PnpUnload(L"PnpTest"), STATUS_SUCCESS);
}

TEST(pnp, start_failure_fails_load)
{
    CHECK_STATUS(NtapiLoadDriver(L"PnpFail"), PNPTEST_START_FAILURE);
    CHECK_STATUS(PnpUnload(L"PnpFail"), STATUS_OBJECT_NAME_NOT_FOUND); /* not loaded */
    CHECK_STATUS(NtapiLoadDriver(L"PnpFail"), PNPTEST_START_FAILURE);  /* nothing left behind */
}

/* Windows never hands out an auto-generated number twice. */
TEST(pnp, reload_gets_new_pdo)
{
    PNPTEST_RECORD First, Second;
    HANDLE Device = PnpOpen(&First);
    ULONG One = 0, Two = 0;

    if (Device == NULL)
        return;
    NtClose(Device);
    if (!CHECK_STATUS(PnpUnload(L"PnpTest"), STATUS_SUCCESS))
        return;
    Device = PnpOpen(&Second);
    if (Device == NULL)
        return;
    NtClose(Device);
    CHECK(PnpPdoNumber(First.PdoName, &One));
    CHECK(PnpPdoNumber(Second.PdoName, &Two));
    CHECK(Two > One);
    CHECK_EQ(Second.AddDeviceCalls, 1);
    CHECK_STATUS(PnpUnload(L"PnpTest"), STATUS_SUCCESS);
}
