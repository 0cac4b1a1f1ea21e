/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The version the system reports: RtlGetVersion and RtlGetNtVersionNumbers
 * read the PEB (OSMajorVersion, OSMinorVersion, OSBuildNumber,
 * OSPlatformId, OSCSDVersion), which ntos fills in agreement with
 * KUSER_SHARED_DATA (NtMajorVersion, NtMinorVersion, NtBuildNumber); the
 * suite mask and product type come from KUSER_SHARED_DATA.
 */
#include "ldrp.h"

NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOEXW Info)
{
    const KUSER_SHARED_DATA *Shared = (const KUSER_SHARED_DATA *)KUSER_SHARED_DATA_USER_VA;
    PPEB Peb = NtdllpCurrentPeb();

    if (!Info || (Info->dwOSVersionInfoSize != sizeof(RTL_OSVERSIONINFOEXW) &&
                  Info->dwOSVersionInfoSize != RTL_OSVERSIONINFOW_SIZE))
        return STATUS_INVALID_PARAMETER;
    Info->dwMajorVersion = Peb->OSMajorVersion;
    Info->dwMinorVersion = Peb->OSMinorVersion;
    Info->dwBuildNumber = Peb->OSBuildNumber;
    Info->dwPlatformId = Peb->OSPlatformId;
    memset(Info->szCSDVersion, 0, sizeof(Info->szCSDVersion)); /* no service pack name */
    if (Info->dwOSVersionInfoSize == sizeof(RTL_OSVERSIONINFOEXW)) {
        Info->wServicePackMajor = Peb->OSCSDVersion >> 8;
        Info->wServicePackMinor = Peb->OSCSDVersion & 0xff;
        Info->wSuiteMask = (USHORT)Shared->SuiteMask;
        Info->wProductType = (UCHAR)Shared->NtProductType;
        Info->wReserved = 0;
    }
    return STATUS_SUCCESS;
}

VOID NTAPI RtlGetNtVersionNumbers(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber)
{
    PPEB Peb = NtdllpCurrentPeb();

    if (MajorVersion)
        *MajorVersion = Peb->OSMajorVersion;
    if (MinorVersion)
        *MinorVersion = Peb->OSMinorVersion;
    if (BuildNumber)
        *BuildNumber = Peb->OSBuildNumber | 0xf0000000u;
}
