/* SPDX-License-Identifier: BSD-2-Clause */
/* The control codes and the record of the pnptest driver
 * (drivers/test/pnptest), shared with base/ntapitest/pnp.c. Plain C types
 * only, so that both the ddk side and ntapitest include it. */
#pragma once

/* FILE_DEVICE_UNKNOWN, METHOD_BUFFERED, FILE_ANY_ACCESS */
#define PNPTEST_CTL(Function) ((0x22u << 16) | ((Function) << 2))

#define IOCTL_PNPTEST_RECORD PNPTEST_CTL(0x800) /* out: PNPTEST_RECORD */
#define IOCTL_PNPTEST_VETO   PNPTEST_CTL(0x801) /* in: a ULONG, non-zero: fail QUERY_REMOVE */
#define IOCTL_PNPTEST_WATCH  PNPTEST_CTL(0x802) /* pends until REMOVE; out: the record then */
#define IOCTL_PNPTEST_CRASH  PNPTEST_CTL(0x803) /* the driver faults: its process ends */

/* The status pnptest's START and a vetoed QUERY_REMOVE give. */
#define PNPTEST_START_FAILURE 0xC00000A3L /* STATUS_DEVICE_NOT_READY (service PnpFail) */
#define PNPTEST_VETO_STATUS   0xC0000184L /* STATUS_INVALID_DEVICE_STATE */

/* The interface pnptest registers: {5d7a1d2e-8f3b-4c61-9a0e-3b2c4d5e6f70}. */
#define PNPTEST_GUID_INIT                                                                          \
    {                                                                                              \
        0x5d7a1d2e, 0x8f3b, 0x4c61,                                                                \
        {                                                                                          \
            0x9a, 0x0e, 0x3b, 0x2c, 0x4d, 0x5e, 0x6f, 0x70                                         \
        }                                                                                          \
    }

#define PNPTEST_MINORS 32

typedef struct _PNPTEST_RECORD {
    unsigned int AddDeviceCalls;
    unsigned int PdoFlags, PdoStackSize, FdoStackSize;
    unsigned int PnpCount; /* IRP_MJ_PNP from ntos, in order */
    unsigned char PnpMinors[PNPTEST_MINORS];
    unsigned int PowerCount; /* IRP_MJ_POWER seen */
    unsigned int LastPowerMinor, LastPowerType, LastPowerState;
    int StartLowerStatus; /* the PDO's answer to START */
    /* the PDO's answers, asked by the driver after START */
    int CapsStatus;
    unsigned int CapsVersion, CapsSize, CapsUniqueID, CapsAddress, CapsUINumber;
    unsigned int CapsWorking, CapsShutdown; /* DeviceState[PowerSystemWorking / Shutdown] */
    int DeviceIdStatus, InstanceIdStatus, HardwareIdsStatus, CompatibleIdsStatus;
    unsigned short DeviceId[32], InstanceId[8], HardwareIds[32];
    int RelationsStatus;
    unsigned int RelationsCount, RelationIsPdo;
    int OtherRelationsStatus; /* BusRelations: not the PDO's to answer */
    int UnknownMinorStatus;   /* IRP_MN_QUERY_BUS_INFORMATION */
    /* IoGetDeviceProperty */
    int PdoNameStatus, EnumeratorStatus, DescriptionStatus, SmallBufferStatus;
    unsigned int SmallBufferLength;
    unsigned short PdoName[32], Enumerator[8];
    /* device interfaces */
    int InterfaceStatus, FdoInterfaceStatus, EnableStatus, EnableAgainStatus;
    unsigned short InterfaceLink[128];
    /* power */
    unsigned int PoFirstPrevious, PoSecondPrevious; /* PoSetPowerState D3 then D0 */
    int PoRequestStatus, PoRequestIoStatus;
    unsigned int PoRequestCompleted, PoRequestMinor, PoRequestState;
    int PoBadMinorStatus;
    unsigned int IdleDetection; /* PoRegisterDeviceForIdleDetection returned non-NULL */
    /* opens of the stack by the driver itself (ZwOpenFile) while ntos must
     * refuse them: before START, and during REMOVE (after QUERY_REMOVE) */
    int OpenBeforeStartStatus, LinkBeforeEnableStatus, OpenDuringRemoveStatus;
} PNPTEST_RECORD;
