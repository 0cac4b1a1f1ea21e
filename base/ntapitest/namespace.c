/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object namespace: NtCreate/OpenDirectoryObject, NtCreate/Open/
 * QuerySymbolicLinkObject, NtQueryDirectoryObject, NtMakeTemporaryObject and
 * the name and type classes of NtQueryObject. Names good and bad (empty and
 * NULL names, relative names without a root, empty components, trailing
 * backslashes: the statuses Windows returns, as the Wine and ReactOS tests of
 * these services record them), roots of every kind, links in the middle and
 * at the end of a name, OBJ_OPENIF, case sensitivity, the lifetime of
 * temporary and permanent names, the directory listing's layout and the
 * standard tree. Every test makes its own names under \BaseNamedObjects
 * (prefix ns-) and closes what it opens, so its names go with it. The order
 * of a directory listing is not Windows' (a hash order there): tests only
 * look for names, never at their positions.
 */
#include "ntapitest.h"

#define DIRECTORY_QUERY          0x0001u
#define DIRECTORY_TRAVERSE       0x0002u
#define DIRECTORY_ALL_ACCESS     (STANDARD_RIGHTS_REQUIRED | 0xFu)
#define SYMBOLIC_LINK_QUERY      0x0001u
#define SYMBOLIC_LINK_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | 0x1u)
#define DELETE                   0x00010000u

#define NS_MADE_UP_HANDLE ((HANDLE)(ULONG_PTR)0x123450)
#define NS_COUNT(a)       (sizeof(a) / sizeof((a)[0]))

typedef struct _OBJECT_DIRECTORY_INFORMATION {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION;
_Static_assert(sizeof(OBJECT_DIRECTORY_INFORMATION) == 32, "OBJECT_DIRECTORY_INFORMATION");

typedef struct _OBJECT_TYPE_INFORMATION {
    UNICODE_STRING TypeName;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG TotalPagedPoolUsage;
    ULONG TotalNonPagedPoolUsage;
    ULONG TotalNamePoolUsage;
    ULONG TotalHandleTableUsage;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    ULONG HighWaterPagedPoolUsage;
    ULONG HighWaterNonPagedPoolUsage;
    ULONG HighWaterNamePoolUsage;
    ULONG HighWaterHandleTableUsage;
    ULONG InvalidAttributes;
    ULONG GenericMapping[4];
    ULONG ValidAccessMask;
    BOOLEAN SecurityRequired;
    BOOLEAN MaintainHandleCount;
    UCHAR TypeIndex;
    CHAR ReservedByte;
    ULONG PoolType;
    ULONG DefaultPagedPoolCharge;
    ULONG DefaultNonPagedPoolCharge;
} OBJECT_TYPE_INFORMATION;
_Static_assert(sizeof(OBJECT_TYPE_INFORMATION) == 0x68, "OBJECT_TYPE_INFORMATION");

/* ---- helpers ----------------------------------------------------------------------------- */

static USHORT NsLength(PCWSTR Text)
{
    USHORT Length = 0;

    while (Text[Length] != 0)
        Length++;
    return (USHORT)(Length * sizeof(WCHAR));
}

static VOID NsString(UNICODE_STRING *String, PCWSTR Text)
{
    String->Buffer = (PWSTR)Text;
    String->Length = NsLength(Text);
    String->MaximumLength = String->Length + sizeof(WCHAR);
}

static BOOLEAN NsEqual(const UNICODE_STRING *String, PCWSTR Text)
{
    return String->Length == NsLength(Text) && memcmp(String->Buffer, Text, String->Length) == 0;
}

/* OBJECT_ATTRIBUTES for Text (NULL: no name) under Root. */
static VOID NsAttributes(OBJECT_ATTRIBUTES *Attributes, UNICODE_STRING *Name, PCWSTR Text,
                         HANDLE Root, ULONG Flags)
{
    NtapiInitializeObjectAttributes(Attributes);
    Attributes->RootDirectory = Root;
    Attributes->Attributes = Flags;
    if (Text != NULL) {
        NsString(Name, Text);
        Attributes->ObjectName = Name;
    }
}

static NTSTATUS NsCreateDirectory(HANDLE *Handle, PCWSTR Text, HANDLE Root, ULONG Flags)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, Root, Flags);
    return NtCreateDirectoryObject(Handle, DIRECTORY_ALL_ACCESS, &Attributes);
}

static NTSTATUS NsOpenDirectory(HANDLE *Handle, PCWSTR Text, HANDLE Root, ULONG Flags)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, Root, Flags);
    return NtOpenDirectoryObject(Handle, DIRECTORY_QUERY, &Attributes);
}

static NTSTATUS NsCreateLink(HANDLE *Handle, PCWSTR Text, HANDLE Root, ULONG Flags, PCWSTR To)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, Root, Flags);
    NsString(&Target, To);
    return NtCreateSymbolicLinkObject(Handle, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &Target);
}

static NTSTATUS NsOpenLink(HANDLE *Handle, PCWSTR Text, HANDLE Root)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, Root, 0);
    return NtOpenSymbolicLinkObject(Handle, SYMBOLIC_LINK_QUERY, &Attributes);
}

/* Create and open Text under Root: both must give Expected (as Wine's
 * check_create_open_dir). */
static VOID NsCheckCreateOpen(PCWSTR Text, HANDLE Root, NTSTATUS Expected)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, Text, Root, 0), Expected);
    if (Handle != NULL && NT_SUCCESS(Expected))
        NtClose(Handle);
    CHECK_STATUS(NsOpenDirectory(&Handle, Text, Root, 0), Expected);
    if (Handle != NULL && NT_SUCCESS(Expected))
        NtClose(Handle);
}

static VOID NsClose(HANDLE Handle)
{
    if (Handle != NULL)
        NtClose(Handle);
}

/* Whether Text names an object (of any type) right now. */
static BOOLEAN NsExists(PCWSTR Text)
{
    HANDLE Handle;
    NTSTATUS Status = NsOpenDirectory(&Handle, Text, NULL, 0);

    NsClose(Handle);
    return Status != STATUS_OBJECT_NAME_NOT_FOUND;
}

/* ---- unnamed objects, NULL and empty names ---------------------------------------------- */

TEST(namespace, create_without_attributes)
{
    HANDLE Handle = NULL;

    CHECK_STATUS(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, NULL), STATUS_SUCCESS);
    CHECK(Handle != NULL);
    NsClose(Handle);
}

TEST(namespace, open_without_attributes)
{
    HANDLE Handle = NULL;

    CHECK_STATUS(NtOpenDirectoryObject(&Handle, DIRECTORY_QUERY, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtOpenSymbolicLinkObject(&Handle, SYMBOLIC_LINK_QUERY, NULL),
                 STATUS_INVALID_PARAMETER);
}

TEST(namespace, null_name_without_root)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, NULL, NULL, 0), STATUS_SUCCESS);
    NsClose(Handle);
    CHECK_STATUS(NsOpenDirectory(&Handle, NULL, NULL, 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_STATUS(NsOpenLink(&Handle, NULL, NULL), STATUS_OBJECT_PATH_SYNTAX_BAD);
}

TEST(namespace, null_name_with_root)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, NULL, NS_MADE_UP_HANDLE, 0),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NsOpenDirectory(&Handle, NULL, NS_MADE_UP_HANDLE, 0), STATUS_OBJECT_NAME_INVALID);
}

TEST(namespace, empty_name)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, L"", NULL, 0), STATUS_SUCCESS);
    NsClose(Handle);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"", NULL, 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    /* An empty name makes an unnamed object: the root is not even looked at. */
    CHECK_STATUS(NsCreateDirectory(&Handle, L"", NS_MADE_UP_HANDLE, 0), STATUS_SUCCESS);
    NsClose(Handle);
}

TEST(namespace, odd_name_length)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    HANDLE Handle = NULL;

    NsAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ns-odd", NULL, 0);
    Name.Length = 7;
    CHECK_STATUS(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NtOpenDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes),
                 STATUS_OBJECT_NAME_INVALID);
}

TEST(namespace, null_handle_pointer)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    NsAttributes(&Attributes, &Name, L"\\BaseNamedObjects", NULL, 0);
    CHECK_STATUS(NtCreateDirectoryObject(NULL, DIRECTORY_QUERY, &Attributes),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtOpenDirectoryObject(NULL, DIRECTORY_QUERY, &Attributes),
                 STATUS_ACCESS_VIOLATION);
}

/* ---- malformed names ---------------------------------------------------------------------- */

TEST(namespace, relative_name_without_root)
{
    NsCheckCreateOpen(L"BaseNamedObjects", NULL, STATUS_OBJECT_PATH_SYNTAX_BAD);
}

TEST(namespace, trailing_backslash)
{
    NsCheckCreateOpen(L"\\BaseNamedObjects\\", NULL, STATUS_OBJECT_NAME_INVALID);
}

TEST(namespace, empty_components)
{
    NsCheckCreateOpen(L"\\\\BaseNamedObjects", NULL, STATUS_OBJECT_NAME_INVALID);
    NsCheckCreateOpen(L"\\BaseNamedObjects\\\\ns-x", NULL, STATUS_OBJECT_NAME_INVALID);
}

TEST(namespace, missing_parent)
{
    NsCheckCreateOpen(L"\\BaseNamedObjects\\ns-missing\\", NULL, STATUS_OBJECT_PATH_NOT_FOUND);
    NsCheckCreateOpen(L"\\BaseNamedObjects\\ns-missing\\ns-x", NULL, STATUS_OBJECT_PATH_NOT_FOUND);
    NsCheckCreateOpen(L"\\ns-missing\\ns-x", NULL, STATUS_OBJECT_PATH_NOT_FOUND);
}

TEST(namespace, open_missing_name)
{
    HANDLE Handle;

    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-none", NULL, 0),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NsOpenLink(&Handle, L"\\ns-none", NULL), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(namespace, name_through_non_directory)
{
    HANDLE Handle;

    /* \ObjectTypes\Directory is a type object: names end there. */
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\ObjectTypes\\Directory\\ns-x", NULL, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\ObjectTypes\\Directory", NULL, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
}

/* ---- creating and opening ------------------------------------------------------------------ */

TEST(namespace, create_then_open)
{
    HANDLE Created, Opened;

    CHECK_STATUS(NsCreateDirectory(&Created, L"\\BaseNamedObjects\\ns-dir", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Opened, L"\\BaseNamedObjects\\ns-dir", NULL, 0), STATUS_SUCCESS);
    CHECK(Opened != NULL && Opened != Created);
    NsClose(Opened);
    NsClose(Created);
}

TEST(namespace, temporary_name_goes_with_last_handle)
{
    HANDLE First, Second;

    CHECK_STATUS(NsCreateDirectory(&First, L"\\BaseNamedObjects\\ns-temp", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Second, L"\\BaseNamedObjects\\ns-temp", NULL, 0), STATUS_SUCCESS);
    NsClose(First);
    CHECK(NsExists(L"\\BaseNamedObjects\\ns-temp")); /* a handle is left */
    NsClose(Second);
    CHECK(!NsExists(L"\\BaseNamedObjects\\ns-temp"));
}

TEST(namespace, name_collision)
{
    HANDLE First, Second;

    CHECK_STATUS(NsCreateDirectory(&First, L"\\BaseNamedObjects\\ns-coll", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsCreateDirectory(&Second, L"\\BaseNamedObjects\\ns-coll", NULL, 0),
                 STATUS_OBJECT_NAME_COLLISION);
    CHECK(Second == NULL);
    NsClose(First);
}

TEST(namespace, openif_opens_existing)
{
    HANDLE First, Second, Child, Found;

    CHECK_STATUS(NsCreateDirectory(&First, L"\\BaseNamedObjects\\ns-oif", NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsCreateDirectory(&Second, L"\\BaseNamedObjects\\ns-oif", NULL, OBJ_OPENIF),
                 STATUS_OBJECT_NAME_EXISTS);
    CHECK(Second != NULL && Second != First);
    /* The same directory: what is made through one is found through the other. */
    CHECK_STATUS(NsCreateDirectory(&Child, L"ns-child", Second, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Found, L"ns-child", First, 0), STATUS_SUCCESS);
    NsClose(Found);
    NsClose(Child);
    NsClose(Second);
    NsClose(First);
}

TEST(namespace, openif_other_type)
{
    HANDLE Directory, Link;

    CHECK_STATUS(NsCreateDirectory(&Directory, L"\\BaseNamedObjects\\ns-oift", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsCreateLink(&Link, L"\\BaseNamedObjects\\ns-oift", NULL, OBJ_OPENIF,
                              L"\\BaseNamedObjects"),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(Link == NULL);
    NsClose(Directory);
}

TEST(namespace, root_directory_name)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, L"\\", NULL, 0), STATUS_OBJECT_NAME_COLLISION);
    CHECK_STATUS(NsCreateDirectory(&Handle, L"\\", NULL, OBJ_OPENIF), STATUS_OBJECT_NAME_EXISTS);
    NsClose(Handle);
    CHECK_STATUS(NsCreateLink(&Handle, L"\\", NULL, 0, L"\\BaseNamedObjects"),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\", NULL, 0), STATUS_SUCCESS);
    NsClose(Handle);
}

TEST(namespace, case_sensitivity)
{
    HANDLE Directory, Handle;

    CHECK_STATUS(NsCreateDirectory(&Directory, L"\\BaseNamedObjects\\ns-Case", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-case", NULL, 0),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(
        NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-case", NULL, OBJ_CASE_INSENSITIVE),
        STATUS_SUCCESS);
    NsClose(Handle);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BASENamedObjects\\ns-Case", NULL, 0),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_STATUS(
        NsOpenDirectory(&Handle, L"\\BASENAMEDOBJECTS\\NS-CASE", NULL, OBJ_CASE_INSENSITIVE),
        STATUS_SUCCESS);
    NsClose(Handle);
    /* A different case is a different name without OBJ_CASE_INSENSITIVE... */
    CHECK_STATUS(NsCreateDirectory(&Handle, L"\\BaseNamedObjects\\ns-CASE", NULL, 0),
                 STATUS_SUCCESS);
    NsClose(Handle);
    /* ...and the same one with it. */
    CHECK_STATUS(
        NsCreateDirectory(&Handle, L"\\BaseNamedObjects\\ns-case", NULL, OBJ_CASE_INSENSITIVE),
        STATUS_OBJECT_NAME_COLLISION);
    NsClose(Directory);
}

/* ---- RootDirectory ------------------------------------------------------------------------ */

TEST(namespace, relative_to_root)
{
    HANDLE Root, Child, Handle;

    CHECK_STATUS(NsOpenDirectory(&Root, L"\\BaseNamedObjects", NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsCreateDirectory(&Child, L"ns-rel", Root, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-rel", NULL, 0), STATUS_SUCCESS);
    NsClose(Handle);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"ns-rel", Root, 0), STATUS_SUCCESS);
    NsClose(Handle);
    NsClose(Child);
    NsClose(Root);
}

TEST(namespace, root_bad_names)
{
    HANDLE Root;

    CHECK_STATUS(NsOpenDirectory(&Root, L"\\BaseNamedObjects", NULL, 0), STATUS_SUCCESS);
    NsCheckCreateOpen(L"", Root, STATUS_SUCCESS); /* open: the root itself */
    NsCheckCreateOpen(L"\\", Root, STATUS_OBJECT_PATH_SYNTAX_BAD);
    NsCheckCreateOpen(L"\\ns-x", Root, STATUS_OBJECT_PATH_SYNTAX_BAD);
    NsCheckCreateOpen(L"\\ns-x\\", Root, STATUS_OBJECT_PATH_SYNTAX_BAD);
    NsCheckCreateOpen(L"ns-missing\\", Root, STATUS_OBJECT_PATH_NOT_FOUND);
    NsClose(Root);
}

TEST(namespace, root_of_namespace_as_root)
{
    HANDLE Root, Handle;

    CHECK_STATUS(NsOpenDirectory(&Root, L"\\", NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\", Root, 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"BaseNamedObjects", Root, 0), STATUS_SUCCESS);
    NsClose(Handle);
    NsClose(Root);
}

TEST(namespace, root_bad_handle)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateDirectory(&Handle, L"ns-x", NS_MADE_UP_HANDLE, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"ns-x", NS_MADE_UP_HANDLE, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"", NS_MADE_UP_HANDLE, 0), STATUS_INVALID_HANDLE);
}

TEST(namespace, root_wrong_type)
{
    HANDLE Process = NtapiOpenSelfProcess(PROCESS_QUERY_INFORMATION), Handle;

    if (!CHECK(Process != NULL))
        return;
    CHECK_STATUS(NsCreateDirectory(&Handle, L"ns-x", Process, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"ns-x", Process, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"", Process, 0), STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Process);
}

TEST(namespace, root_symbolic_link)
{
    HANDLE Link, Handle;

    CHECK_STATUS(NsOpenLink(&Link, L"\\DosDevices", NULL), STATUS_SUCCESS);
    /* A link as a root: a name under it does not start a path. */
    CHECK_STATUS(NsCreateDirectory(&Handle, L"one more level", Link, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenDirectory(&Handle, L"ns-x", Link, 0), STATUS_OBJECT_TYPE_MISMATCH);
    /* The empty name is the link itself. */
    CHECK_STATUS(NsOpenLink(&Handle, L"", Link), STATUS_SUCCESS);
    NsClose(Handle);
    NsClose(Link);
}

/* ---- symbolic links ------------------------------------------------------------------------- */

TEST(namespace, link_query_target)
{
    static const WCHAR Target[] = L"\\BaseNamedObjects";
    WCHAR Buffer[64];
    UNICODE_STRING Read;
    HANDLE Link;
    ULONG Length;

    CHECK_STATUS(NsCreateLink(&Link, L"\\BaseNamedObjects\\ns-qlink", NULL, 0, Target),
                 STATUS_SUCCESS);
    memset(Buffer, 0xaa, sizeof(Buffer));
    Read.Buffer = Buffer;
    Read.Length = 0;
    Read.MaximumLength = sizeof(Buffer);
    Length = 0xdeadbeef;
    CHECK_STATUS(NtQuerySymbolicLinkObject(Link, &Read, &Length), STATUS_SUCCESS);
    CHECK(NsEqual(&Read, Target));
    CHECK_EQ(Length, sizeof(Target));
    CHECK_EQ(Buffer[NS_COUNT(Target) - 1], 0);
    Read.MaximumLength = Read.Length;
    Length = 0xdeadbeef;
    CHECK_STATUS(NtQuerySymbolicLinkObject(Link, &Read, &Length), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Length, sizeof(Target));
    Read.MaximumLength = 0;
    Length = 0xdeadbeef;
    CHECK_STATUS(NtQuerySymbolicLinkObject(Link, &Read, &Length), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(Length, sizeof(Target));
    Read.MaximumLength = sizeof(Target);
    CHECK_STATUS(NtQuerySymbolicLinkObject(Link, &Read, NULL), STATUS_SUCCESS);
    NsClose(Link);
}

TEST(namespace, link_query_wrong_handle)
{
    WCHAR Buffer[32];
    UNICODE_STRING Read = {0, sizeof(Buffer), Buffer};
    HANDLE Directory;

    CHECK_STATUS(NtQuerySymbolicLinkObject(NS_MADE_UP_HANDLE, &Read, NULL), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NsOpenDirectory(&Directory, L"\\BaseNamedObjects", NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtQuerySymbolicLinkObject(Directory, &Read, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Directory);
}

TEST(namespace, link_followed_in_the_middle)
{
    HANDLE Link, Created, Opened;

    CHECK_STATUS(
        NsCreateLink(&Link, L"\\BaseNamedObjects\\ns-mlink", NULL, 0, L"\\BaseNamedObjects"),
        STATUS_SUCCESS);
    CHECK_STATUS(NsCreateDirectory(&Created, L"\\BaseNamedObjects\\ns-mlink\\ns-via", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Opened, L"\\BaseNamedObjects\\ns-via", NULL, 0), STATUS_SUCCESS);
    NsClose(Opened);
    /* Through \DosDevices, itself a link to \??. */
    CHECK_STATUS(NsOpenDirectory(&Opened, L"\\DosDevices\\ns-none\\ns-x", NULL, 0),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    NsClose(Created);
    NsClose(Link);
}

TEST(namespace, link_followed_at_the_end)
{
    HANDLE Link, Opened;
    UCHAR Buffer[256];
    UNICODE_STRING *Name = (UNICODE_STRING *)Buffer;

    CHECK_STATUS(
        NsCreateLink(&Link, L"\\BaseNamedObjects\\ns-elink", NULL, 0, L"\\BaseNamedObjects"),
        STATUS_SUCCESS);
    CHECK_STATUS(NsOpenDirectory(&Opened, L"\\BaseNamedObjects\\ns-elink", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Opened, ObjectNameInformation, Buffer, sizeof(Buffer), NULL),
                 STATUS_SUCCESS);
    CHECK(NsEqual(Name, L"\\BaseNamedObjects"));
    NsClose(Opened);
    /* NtOpenSymbolicLinkObject opens the link itself. */
    CHECK_STATUS(NsOpenLink(&Opened, L"\\BaseNamedObjects\\ns-elink", NULL), STATUS_SUCCESS);
    NsClose(Opened);
    NsClose(Link);
}

TEST(namespace, link_loop_fails)
{
    HANDLE A, B, Handle;
    NTSTATUS Status;

    CHECK_STATUS(
        NsCreateLink(&A, L"\\BaseNamedObjects\\ns-loopA", NULL, 0, L"\\BaseNamedObjects\\ns-loopB"),
        STATUS_SUCCESS);
    CHECK_STATUS(
        NsCreateLink(&B, L"\\BaseNamedObjects\\ns-loopB", NULL, 0, L"\\BaseNamedObjects\\ns-loopA"),
        STATUS_SUCCESS);
    Status = NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-loopA", NULL, 0);
    /* Windows stops a loop after a bounded number of reparses; the status
     * is not recorded in the public tests, only that it fails. */
    CHECK(!NT_SUCCESS(Status));
    NsClose(B);
    NsClose(A);
}

TEST(namespace, open_link_type_mismatch)
{
    HANDLE Handle;

    CHECK_STATUS(NsOpenLink(&Handle, L"\\BaseNamedObjects", NULL), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(Handle == NULL);
}

TEST(namespace, link_bad_arguments)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    HANDLE Handle = NULL;

    NsString(&Target, L"\\DosDevices");
    CHECK_STATUS(NtCreateSymbolicLinkObject(&Handle, SYMBOLIC_LINK_QUERY, NULL, &Target),
                 STATUS_ACCESS_VIOLATION);
    NsAttributes(&Attributes, &Name, NULL, NULL, 0);
    memset(&Target, 0, sizeof(Target));
    CHECK_STATUS(NtCreateSymbolicLinkObject(&Handle, SYMBOLIC_LINK_QUERY, &Attributes, &Target),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtCreateSymbolicLinkObject(&Handle, SYMBOLIC_LINK_QUERY, &Attributes, NULL),
                 STATUS_ACCESS_VIOLATION);
}

TEST(namespace, link_bad_names)
{
    HANDLE Handle;

    CHECK_STATUS(NsCreateLink(&Handle, L"BaseNamedObjects", NULL, 0, L"->Somewhere"),
                 STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_STATUS(NsOpenLink(&Handle, L"BaseNamedObjects", NULL), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_STATUS(NsCreateLink(&Handle, L"\\BaseNamedObjects\\", NULL, 0, L"->Somewhere"),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NsOpenLink(&Handle, L"\\BaseNamedObjects\\", NULL), STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NsCreateLink(&Handle, L"\\BaseNamedObjects\\ns-no\\", NULL, 0, L"->Somewhere"),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_STATUS(NsOpenLink(&Handle, L"\\BaseNamedObjects\\ns-no\\", NULL),
                 STATUS_OBJECT_PATH_NOT_FOUND);
}

/* ---- permanent and temporary names ---------------------------------------------------------- */

/* OBJ_PERMANENT as for a Windows process holding SeCreatePermanentPrivilege
 * (every Nereid process until se/ exists). */
TEST(namespace, permanent_name_outlives_handles)
{
    HANDLE Handle, Again;

    CHECK_STATUS(NsCreateDirectory(&Handle, L"\\BaseNamedObjects\\ns-perm", NULL, OBJ_PERMANENT),
                 STATUS_SUCCESS);
    NsClose(Handle);
    CHECK(NsExists(L"\\BaseNamedObjects\\ns-perm"));
    /* Opened again with every right (DELETE among them)... */
    CHECK_STATUS(NsCreateDirectory(&Again, L"\\BaseNamedObjects\\ns-perm", NULL, OBJ_OPENIF),
                 STATUS_OBJECT_NAME_EXISTS);
    /* ...and made temporary again: the name goes with the last handle. */
    CHECK_STATUS(NtMakeTemporaryObject(Again), STATUS_SUCCESS);
    CHECK(NsExists(L"\\BaseNamedObjects\\ns-perm"));
    NsClose(Again);
    CHECK(!NsExists(L"\\BaseNamedObjects\\ns-perm"));
}

TEST(namespace, make_temporary_rejects)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    HANDLE Handle = NULL;

    CHECK_STATUS(NtMakeTemporaryObject(NS_MADE_UP_HANDLE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtMakeTemporaryObject(NULL), STATUS_INVALID_HANDLE);
    /* It needs DELETE access. */
    NsAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ns-tmpacc", NULL, OBJ_PERMANENT);
    CHECK_STATUS(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes), STATUS_SUCCESS);
    CHECK_STATUS(NtMakeTemporaryObject(Handle), STATUS_ACCESS_DENIED);
    NsClose(Handle);
    CHECK(NsExists(L"\\BaseNamedObjects\\ns-tmpacc"));
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-tmpacc", NULL, 0),
                 STATUS_SUCCESS);
    NsClose(Handle);
    Attributes.Attributes = 0;
    CHECK_STATUS(NtOpenDirectoryObject(&Handle, DELETE, &Attributes), STATUS_SUCCESS);
    CHECK_STATUS(NtMakeTemporaryObject(Handle), STATUS_SUCCESS);
    NsClose(Handle);
    CHECK(!NsExists(L"\\BaseNamedObjects\\ns-tmpacc"));
}

TEST(namespace, exclusive_with_inherit)
{
    HANDLE Handle;

    /* OBJ_EXCLUSIVE opens only objects made exclusive. */
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects", NULL, OBJ_EXCLUSIVE),
                 STATUS_INVALID_PARAMETER);

    CHECK_STATUS(NsCreateDirectory(&Handle, L"\\BaseNamedObjects\\ns-excl", NULL,
                                   OBJ_EXCLUSIVE | OBJ_INHERIT),
                 STATUS_INVALID_PARAMETER);
    CHECK(!NsExists(L"\\BaseNamedObjects\\ns-excl"));
}

/* ---- NtQueryDirectoryObject ----------------------------------------------------------------- */

/* A directory with two children: a directory "a" and a link "bb". */
static HANDLE NsMakeListing(HANDLE *A, HANDLE *B)
{
    HANDLE Directory;

    if (!NT_SUCCESS(NsCreateDirectory(&Directory, L"\\BaseNamedObjects\\ns-list", NULL, 0)))
        return NULL;
    NsCreateDirectory(A, L"a", Directory, 0);
    NsCreateLink(B, L"bb", Directory, 0, L"\\BaseNamedObjects");
    return Directory;
}

static BOOLEAN NsIsListed(const OBJECT_DIRECTORY_INFORMATION *Info, PCWSTR Name, PCWSTR Type)
{
    return NsEqual(&Info->Name, Name) && NsEqual(&Info->TypeName, Type) &&
           Info->Name.MaximumLength == Info->Name.Length + sizeof(WCHAR) &&
           Info->Name.Buffer[Info->Name.Length / sizeof(WCHAR)] == 0;
}

TEST(namespace, query_directory_one_by_one)
{
    ULONG Buffer[64], Context = 77, Length = 0, Seen = 0, Round;
    OBJECT_DIRECTORY_INFORMATION *Info = (OBJECT_DIRECTORY_INFORMATION *)Buffer;
    HANDLE A = NULL, B = NULL, Directory = NsMakeListing(&A, &B);

    if (!CHECK(Directory != NULL && A != NULL && B != NULL))
        goto out;
    for (Round = 0; Round < 2; Round++) {
        CHECK_STATUS(NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), TRUE, Round == 0,
                                            &Context, &Length),
                     STATUS_SUCCESS);
        CHECK_EQ(Context, Round + 1);
        if (NsIsListed(Info, L"a", L"Directory")) {
            Seen |= 1;
            CHECK_EQ(Length, 2 * sizeof(*Info) + NsLength(L"a") + NsLength(L"Directory") +
                                 2 * sizeof(WCHAR));
        } else if (NsIsListed(Info, L"bb", L"SymbolicLink")) {
            Seen |= 2;
        }
        CHECK(Info[1].Name.Buffer == NULL && Info[1].TypeName.Length == 0); /* terminator */
    }
    CHECK_EQ(Seen, 3);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), TRUE, FALSE, &Context, &Length),
        STATUS_NO_MORE_ENTRIES);
    CHECK_EQ(Context, 2);
out:
    NsClose(B);
    NsClose(A);
    NsClose(Directory);
}

TEST(namespace, query_directory_all_at_once)
{
    ULONG Buffer[64], Context = 0, Length = 0, Strings;
    OBJECT_DIRECTORY_INFORMATION *Info = (OBJECT_DIRECTORY_INFORMATION *)Buffer;
    HANDLE A = NULL, B = NULL, Directory = NsMakeListing(&A, &B);

    if (!CHECK(Directory != NULL && A != NULL && B != NULL))
        goto out;
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Context, 2);
    Strings = NsLength(L"a") + NsLength(L"bb") + NsLength(L"Directory") +
              NsLength(L"SymbolicLink") + 4 * sizeof(WCHAR);
    CHECK_EQ(Length, 3 * sizeof(*Info) + Strings);
    CHECK(
        (NsIsListed(&Info[0], L"a", L"Directory") &&
         NsIsListed(&Info[1], L"bb", L"SymbolicLink")) ||
        (NsIsListed(&Info[1], L"a", L"Directory") && NsIsListed(&Info[0], L"bb", L"SymbolicLink")));
    CHECK(Info[2].Name.Length == 0 && Info[2].Name.Buffer == NULL);
    /* The strings follow the records, inside the buffer. */
    CHECK((UCHAR *)Info[0].Name.Buffer >= (UCHAR *)&Info[3] &&
          (UCHAR *)Info[1].TypeName.Buffer < (UCHAR *)Buffer + Length);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, FALSE, &Context, &Length),
        STATUS_NO_MORE_ENTRIES);
out:
    NsClose(B);
    NsClose(A);
    NsClose(Directory);
}

TEST(namespace, query_directory_small_buffer)
{
    ULONG Buffer[64], Context = 0, Length = 0;
    HANDLE A = NULL, B = NULL, Directory = NsMakeListing(&A, &B);
    ULONG First = 2 * sizeof(OBJECT_DIRECTORY_INFORMATION) + 2 * sizeof(WCHAR);

    if (!CHECK(Directory != NULL && A != NULL && B != NULL))
        goto out;
    /* One entry asked for and it does not fit: what it needs. */
    CHECK_STATUS(NtQueryDirectoryObject(Directory, Buffer, 40, TRUE, TRUE, &Context, &Length),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK(Length == First + NsLength(L"a") + NsLength(L"Directory") ||
          Length == First + NsLength(L"bb") + NsLength(L"SymbolicLink"));
    /* Room for one entry of the two: MORE_ENTRIES, then the other. */
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, First + 40, FALSE, TRUE, &Context, &Length),
        STATUS_MORE_ENTRIES);
    CHECK_EQ(Context, 1);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, FALSE, &Context, &Length),
        STATUS_SUCCESS);
    CHECK_EQ(Context, 2);
out:
    NsClose(B);
    NsClose(A);
    NsClose(Directory);
}

TEST(namespace, query_directory_empty)
{
    ULONG Buffer[16], Context = 5, Length = 0;
    HANDLE Directory;

    CHECK_STATUS(NsCreateDirectory(&Directory, NULL, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Length),
        STATUS_NO_MORE_ENTRIES);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), TRUE, TRUE, &Context, &Length),
        STATUS_NO_MORE_ENTRIES);
    NsClose(Directory);
}

TEST(namespace, query_directory_wrong_handles)
{
    ULONG Buffer[16], Context = 0;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    HANDLE Link, Directory;

    CHECK_STATUS(NtQueryDirectoryObject(NS_MADE_UP_HANDLE, Buffer, sizeof(Buffer), FALSE, TRUE,
                                        &Context, NULL),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQueryDirectoryObject(NtCurrentProcess(), Buffer, sizeof(Buffer), FALSE, TRUE,
                                        &Context, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsOpenLink(&Link, L"\\DosDevices", NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryDirectoryObject(Link, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Link);
    /* DIRECTORY_QUERY is needed. */
    NsAttributes(&Attributes, &Name, L"\\BaseNamedObjects", NULL, 0);
    CHECK_STATUS(NtOpenDirectoryObject(&Directory, DIRECTORY_TRAVERSE, &Attributes),
                 STATUS_SUCCESS);
    CHECK_STATUS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, NULL),
        STATUS_ACCESS_DENIED);
    NsClose(Directory);
}

/* Whether Directory lists Name with type Type (one entry at a time). */
static BOOLEAN NsListed(HANDLE Directory, PCWSTR Name, PCWSTR Type)
{
    ULONG Buffer[128], Context = 0;
    BOOLEAN Restart = TRUE;

    while (NT_SUCCESS(
        NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), TRUE, Restart, &Context, NULL))) {
        if (NsIsListed((OBJECT_DIRECTORY_INFORMATION *)Buffer, Name, Type))
            return TRUE;
        Restart = FALSE;
    }
    return FALSE;
}

TEST(namespace, standard_tree)
{
    static PCWSTR const Names[] = {
        L"\\??",          L"\\GLOBAL??",  L"\\Device",           L"\\Driver",
        L"\\ObjectTypes", L"\\KnownDlls", L"\\BaseNamedObjects", L"\\KernelObjects",
    };
    HANDLE Handle, Root;
    ULONG Index;

    for (Index = 0; Index < NS_COUNT(Names); Index++) {
        CHECK_STATUS(NsOpenDirectory(&Handle, Names[Index], NULL, 0), STATUS_SUCCESS);
        NsClose(Handle);
    }
    CHECK_STATUS(NsOpenDirectory(&Root, L"\\", NULL, 0), STATUS_SUCCESS);
    CHECK(NsListed(Root, L"BaseNamedObjects", L"Directory"));
    CHECK(NsListed(Root, L"DosDevices", L"SymbolicLink"));
    NsClose(Root);
}

TEST(namespace, object_types_listed)
{
    HANDLE Types;

    CHECK_STATUS(NsOpenDirectory(&Types, L"\\ObjectTypes", NULL, 0), STATUS_SUCCESS);
    CHECK(NsListed(Types, L"Directory", L"Type"));
    CHECK(NsListed(Types, L"SymbolicLink", L"Type"));
    CHECK(NsListed(Types, L"Type", L"Type"));
    CHECK(NsListed(Types, L"Process", L"Type"));
    CHECK(NsListed(Types, L"Thread", L"Type"));
    NsClose(Types);
}

/* ---- NtQueryObject: names and types --------------------------------------------------------- */

TEST(namespace, query_object_name)
{
    static const WCHAR Full[] = L"\\BaseNamedObjects\\ns-qname";
    UCHAR Buffer[256];
    UNICODE_STRING *Name = (UNICODE_STRING *)Buffer;
    HANDLE Handle;
    ULONG Length = 0;

    CHECK_STATUS(NsCreateDirectory(&Handle, Full, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Handle, ObjectNameInformation, Buffer, sizeof(Buffer), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(UNICODE_STRING) + sizeof(Full));
    CHECK(NsEqual(Name, Full));
    CHECK(Name->Buffer == (PWSTR)(Name + 1));
    CHECK_EQ(Name->Buffer[NS_COUNT(Full) - 1], 0);
    Length = 0;
    CHECK_STATUS(NtQueryObject(Handle, ObjectNameInformation, Buffer, 0, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, sizeof(UNICODE_STRING) + sizeof(Full));
    CHECK_STATUS(
        NtQueryObject(Handle, ObjectNameInformation, Buffer, Length - sizeof(WCHAR), &Length),
        STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryObject(Handle, ObjectNameInformation, Buffer, sizeof(UNICODE_STRING), NULL),
                 STATUS_INFO_LENGTH_MISMATCH);
    NsClose(Handle);
}

TEST(namespace, query_object_name_unnamed)
{
    UCHAR Buffer[64];
    UNICODE_STRING *Name = (UNICODE_STRING *)Buffer;
    HANDLE Handle;
    ULONG Length = 0;

    CHECK_STATUS(NsCreateDirectory(&Handle, NULL, NULL, 0), STATUS_SUCCESS);
    memset(Buffer, 0xcc, sizeof(Buffer));
    CHECK_STATUS(NtQueryObject(Handle, ObjectNameInformation, Buffer, sizeof(Buffer), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Length, sizeof(UNICODE_STRING));
    CHECK(Name->Length == 0 && Name->Buffer == NULL);
    NsClose(Handle);
    memset(Buffer, 0xcc, sizeof(Buffer));
    CHECK_STATUS(
        NtQueryObject(NtCurrentProcess(), ObjectNameInformation, Buffer, sizeof(Buffer), &Length),
        STATUS_SUCCESS);
    CHECK(Name->Length == 0 && Name->Buffer == NULL);
}

TEST(namespace, query_object_type)
{
    UCHAR Buffer[256];
    OBJECT_TYPE_INFORMATION *Info = (OBJECT_TYPE_INFORMATION *)Buffer;
    HANDLE Handle;
    ULONG Length = 0;

    CHECK_STATUS(NsCreateDirectory(&Handle, NULL, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Handle, ObjectTypeInformation, Buffer, sizeof(Buffer), &Length),
                 STATUS_SUCCESS);
    CHECK(NsEqual(&Info->TypeName, L"Directory"));
    CHECK(Info->TypeName.Buffer == (PWSTR)(Info + 1));
    CHECK(Length >= sizeof(*Info) + sizeof(L"Directory"));
    CHECK_EQ(Info->ValidAccessMask, DIRECTORY_ALL_ACCESS);
    CHECK_EQ(Info->GenericMapping[3], DIRECTORY_ALL_ACCESS);
    CHECK(Info->TotalNumberOfObjects >= 1 && Info->TotalNumberOfHandles >= 1);
    CHECK(Info->TotalNumberOfObjects <= Info->HighWaterNumberOfObjects);
    CHECK(Info->TotalNumberOfHandles <= Info->HighWaterNumberOfHandles);
    CHECK_STATUS(NtQueryObject(Handle, ObjectTypeInformation, Buffer, sizeof(*Info), &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK(Length >= sizeof(*Info) + sizeof(L"Directory"));
    NsClose(Handle);
    CHECK_STATUS(
        NtQueryObject(NtCurrentProcess(), ObjectTypeInformation, Buffer, sizeof(Buffer), NULL),
        STATUS_SUCCESS);
    CHECK(NsEqual(&Info->TypeName, L"Process"));
    CHECK_STATUS(
        NtQueryObject(NS_MADE_UP_HANDLE, ObjectTypeInformation, Buffer, sizeof(Buffer), NULL),
        STATUS_INVALID_HANDLE);
}

/* ---- names of other types (events and mutants, as Wine's test_case_sensitive) ---------- */

#define NS_NOTIFICATION_EVENT 0

static NTSTATUS NsCreateEvent(HANDLE *Handle, PCWSTR Text, HANDLE Root, ULONG Flags)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, Root, Flags);
    return NtCreateEvent(Handle, GENERIC_ALL, &Attributes, NS_NOTIFICATION_EVENT, FALSE);
}

static NTSTATUS NsCreateMutant(HANDLE *Handle, PCWSTR Text, ULONG Flags)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, NULL, Flags);
    return NtCreateMutant(Handle, GENERIC_ALL, &Attributes, FALSE);
}

static NTSTATUS NsOpenMutant(HANDLE *Handle, PCWSTR Text, ULONG Flags)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    *Handle = NULL;
    NsAttributes(&Attributes, &Name, Text, NULL, Flags);
    return NtOpenMutant(Handle, GENERIC_ALL, &Attributes);
}

TEST(namespace, other_types_case_sensitive)
{
    HANDLE Mutant, Event, Handle;

    CHECK_STATUS(NsCreateMutant(&Mutant, L"\\BaseNamedObjects\\ns-test", 0), STATUS_SUCCESS);
    /* Vista and later: a name taken by another type is a type mismatch. */
    CHECK_STATUS(NsCreateEvent(&Handle, L"\\BaseNamedObjects\\ns-test", NULL, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsCreateEvent(&Event, L"\\BaseNamedObjects\\ns-Test", NULL, 0), STATUS_SUCCESS);
    /* Both match without case: the newer name, the event, is found. */
    CHECK_STATUS(NsOpenMutant(&Handle, L"\\BaseNamedObjects\\ns-TEst", OBJ_CASE_INSENSITIVE),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Mutant);
    CHECK_STATUS(NsCreateMutant(&Mutant, L"\\BASENamedObjects\\ns-test", OBJ_CASE_INSENSITIVE),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsCreateEvent(&Handle, L"\\BASENamedObjects\\ns-test", NULL, OBJ_CASE_INSENSITIVE),
                 STATUS_OBJECT_NAME_COLLISION);
    CHECK_STATUS(NsCreateMutant(&Mutant, L"\\BASENamedObjects\\ns-test", 0),
                 STATUS_OBJECT_PATH_NOT_FOUND);
    NsClose(Event);
}

TEST(namespace, other_types_openif)
{
    HANDLE Event, Again, Handle;

    CHECK_STATUS(NsCreateEvent(&Event, L"\\BaseNamedObjects\\ns-ev", NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(NsCreateEvent(&Again, L"\\BaseNamedObjects\\ns-ev", NULL, OBJ_OPENIF),
                 STATUS_OBJECT_NAME_EXISTS);
    CHECK(Again != NULL && Again != Event);
    NsClose(Again);
    CHECK_STATUS(NsCreateMutant(&Handle, L"\\BaseNamedObjects\\ns-ev", OBJ_OPENIF),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NsCreateMutant(&Handle, L"\\", OBJ_OPENIF), STATUS_OBJECT_TYPE_MISMATCH);
    /* A directory is no event: by name, or as the root of an empty name. */
    CHECK_STATUS(NsOpenDirectory(&Handle, L"\\BaseNamedObjects\\ns-ev", NULL, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Event);
    CHECK(!NsExists(L"\\BaseNamedObjects\\ns-ev"));
}

TEST(namespace, other_types_under_a_root)
{
    HANDLE Directory, Event, Handle;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    UCHAR Buffer[256];
    UNICODE_STRING *Full = (UNICODE_STRING *)Buffer;
    OBJECT_TYPE_INFORMATION *Type = (OBJECT_TYPE_INFORMATION *)Buffer;

    CHECK_STATUS(NsCreateDirectory(&Directory, L"\\BaseNamedObjects\\ns-evdir", NULL, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NsCreateEvent(&Event, L"ns-event", Directory, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryObject(Event, ObjectNameInformation, Buffer, sizeof(Buffer), NULL),
                 STATUS_SUCCESS);
    CHECK(NsEqual(Full, L"\\BaseNamedObjects\\ns-evdir\\ns-event"));
    CHECK_STATUS(NtQueryObject(Event, ObjectTypeInformation, Buffer, sizeof(Buffer), NULL),
                 STATUS_SUCCESS);
    CHECK(NsEqual(&Type->TypeName, L"Event"));
    /* The empty name under a directory root is the directory: no event. */
    NsAttributes(&Attributes, &Name, L"", Directory, 0);
    CHECK_STATUS(NtOpenEvent(&Handle, GENERIC_ALL, &Attributes), STATUS_OBJECT_TYPE_MISMATCH);
    NsAttributes(&Attributes, &Name, L"ns-event", Directory, 0);
    CHECK_STATUS(NtOpenEvent(&Handle, GENERIC_ALL, &Attributes), STATUS_SUCCESS);
    NsClose(Handle);
    /* An event as a root: TYPE_MISMATCH (Windows 7 and later). */
    NsAttributes(&Attributes, &Name, L"", Event, 0);
    CHECK_STATUS(NtOpenEvent(&Handle, GENERIC_ALL, &Attributes), STATUS_OBJECT_TYPE_MISMATCH);
    NsClose(Event);
    NsClose(Directory);
}

/* ---- name length ---------------------------------------------------------------------------- */

static WCHAR NsLongName[32768];

TEST(namespace, name_length_limit)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    HANDLE Root, Handle = NULL;
    ULONG Index;

    for (Index = 0; Index < NS_COUNT(NsLongName); Index++)
        NsLongName[Index] = 'a';
    if (!CHECK_STATUS(NsOpenDirectory(&Root, L"\\BaseNamedObjects", NULL, 0), STATUS_SUCCESS))
        return;
    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.RootDirectory = Root;
    Attributes.ObjectName = &Name;
    Name.Buffer = NsLongName;
    Name.MaximumLength = 65534;
    /* The longest name (32766 characters) is a name like any other... */
    Name.Length = 65532;
    CHECK_STATUS(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes), STATUS_SUCCESS);
    NsClose(Handle);
    CHECK_STATUS(NtOpenDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    /* ...one more character is not. */
    Name.Length = 65534;
    CHECK_STATUS(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes),
                 STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(NtOpenDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes),
                 STATUS_OBJECT_NAME_INVALID);
    NsClose(Root);
}
