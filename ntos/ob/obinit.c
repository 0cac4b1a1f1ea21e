/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The start of the namespace (ObInitSystem, ob.h): the Directory and
 * SymbolicLink types, the root directory and the standard tree Windows has
 * at boot: \??, \GLOBAL?? (\?? is a plain directory: no per-session device
 * maps yet), \Device, \Driver, \ObjectTypes (every type, named as it is
 * registered), \KnownDlls, \BaseNamedObjects, \KernelObjects and the link
 * \DosDevices -> \??. Every name made here is permanent.
 */

#include "obp.h"

POBJECT_DIRECTORY ObpRootDirectory;
static POBJECT_DIRECTORY ObpTypeDirectory;

static const char *const ObpStandardDirectories[] = {
    "\\??",        "\\GLOBAL??",         "\\Device",        "\\Driver",
    "\\KnownDlls", "\\BaseNamedObjects", "\\KernelObjects", "\\ObjectTypes",
};

/* A permanent directory at Path; the namespace keeps the only reference. */
static NTSTATUS ObpCreateStandardDirectory(const char *Path, POBJECT_DIRECTORY *Out)
{
    POBJECT_DIRECTORY Directory;
    NTSTATUS Status;

    Status = ObCreateObject(ObpDirectoryObjectType, sizeof(*Directory), (PVOID *)&Directory);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObInsertPermanentObject(Directory, Path);
    if (NT_SUCCESS(Status) && Out != NULL)
        *Out = Directory;
    ObDereferenceObject(Directory);
    return Status;
}

void ObpNameType(POBJECT_TYPE Type)
{
    WCHAR Name[64];
    ULONG Length;

    if (ObpTypeDirectory == NULL)
        return;
    Length = ObpTypeName(Type, Name, sizeof(Name));
    /* A second type of the same name (the self-tests make some) stays
     * unnamed: the first keeps \ObjectTypes\<name>. */
    if (Length == 0 || Length > sizeof(Name) ||
        ObpLookupDirectoryEntry(ObpTypeDirectory, Name, (USHORT)Length, TRUE) != NULL)
        return;
    if (NT_SUCCESS(ObpInsertDirectoryEntry(ObpTypeDirectory, Type, Name, (USHORT)Length)))
        ObpHeader(Type)->Flags |= OBP_FLAG_PERMANENT | OBP_FLAG_SYSTEM;
}

/* \DosDevices, the old name of \??. */
static NTSTATUS ObpCreateDosDevicesLink(void)
{
    static const WCHAR Target[] = {'\\', '?', '?'};
    PVOID Link;
    NTSTATUS Status = ObpCreateSymbolicLink(Target, sizeof(Target), &Link);

    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObInsertPermanentObject(Link, "\\DosDevices");
    ObDereferenceObject(Link);
    return Status;
}

NTSTATUS ObInitSystem(void)
{
    POBJECT_TYPE Type;
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;

    if (ObpRootDirectory != NULL)
        return STATUS_SUCCESS;
    Status = ObpCreateDirectoryType();
    if (NT_SUCCESS(Status))
        Status = ObpCreateSymbolicLinkType();
    if (NT_SUCCESS(Status))
        Status = ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY),
                                (PVOID *)&ObpRootDirectory);
    for (Index = 0; NT_SUCCESS(Status) && Index < ARRAYSIZE(ObpStandardDirectories); Index++)
        Status = ObpCreateStandardDirectory(
            ObpStandardDirectories[Index],
            Index + 1 == ARRAYSIZE(ObpStandardDirectories) ? &ObpTypeDirectory : NULL);
    if (NT_SUCCESS(Status))
        Status = ObpCreateDosDevicesLink();
    for (Type = ObpFirstType(); NT_SUCCESS(Status) && Type != NULL; Type = ObpNextType(Type))
        ObpNameType(Type);
    return Status;
}
