/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of the object namespace inside ntos (ob/obname.c, obinsert.c,
 * obdir.c, obsymlink.c, obinit.c): the standard tree ObInitSystem made,
 * lookups and their statuses, parse procedures (called with the right
 * remainder and context, also through links and at the end of a name),
 * link loops, OBJ_OPENLINK, and the lifetime of names (temporary names go
 * with the last handle, permanent ones stay until made temporary) with the
 * object counts back where they started. Handles are made in a stand-in
 * process through a stand-in request, as a service handler would.
 */
#include <string.h>
#include <ob.h>
#include <svc.h>
#include <ntsvc.h>
#include "ktest.h"
#include "../ob/obp.h"

static EPROCESS KtNsProcess = {.UniqueProcessId = 0x7770};
static ETHREAD KtNsThread = {.Process = &KtNsProcess};
static KREQUEST KtNsRequest = {.Thread = &KtNsThread};

/* Run as a request of KtNsThread (ob takes the caller from the request). */
static void KtNsEnter(void)
{
    KiCurrentRequest = &KtNsRequest;
}

static void KtNsLeave(void)
{
    ObKillProcessHandleTable(&KtNsProcess);
    KiCurrentRequest = NULL;
}

/* A UNICODE_STRING of an ASCII path in Buffer. */
static UNICODE_STRING KtNsName(const char *Path, WCHAR *Buffer)
{
    UNICODE_STRING Name;
    ULONG Index;

    for (Index = 0; Path[Index] != 0; Index++)
        Buffer[Index] = (WCHAR)(UCHAR)Path[Index];
    Name.Buffer = Buffer;
    Name.Length = Name.MaximumLength = (USHORT)(Index * sizeof(WCHAR));
    return Name;
}

static NTSTATUS KtNsLookup(const char *Path, ULONG Attributes, POBJECT_TYPE Type, PVOID *Object)
{
    WCHAR Buffer[128];
    UNICODE_STRING Name = KtNsName(Path, Buffer);

    return ObReferenceObjectByName(&Name, Attributes, Type, NULL, Object);
}

/* The status of looking Path up (any type), dropping what it found. */
static NTSTATUS KtNsStatus(const char *Path, ULONG Attributes)
{
    PVOID Object = NULL;
    NTSTATUS Status = KtNsLookup(Path, Attributes, NULL, &Object);

    if (Object != NULL)
        ObDereferenceObject(Object);
    return Status;
}

/* Drop a permanent name ntos made (what NtMakeTemporaryObject does). */
static void KtNsUnname(PVOID Object)
{
    ObpHeader(Object)->Flags &= ~OBP_FLAG_PERMANENT;
    ObpDeleteNameCheck(Object);
}

KTEST(ob_namespace_standard_tree)
{
    static const char *const Directories[] = {
        "\\",
        "\\??",
        "\\GLOBAL??",
        "\\Device",
        "\\Driver",
        "\\ObjectTypes",
        "\\KnownDlls",
        "\\BaseNamedObjects",
        "\\KernelObjects",
    };
    PVOID Object = NULL, Other = NULL;
    ULONG Index;

    for (Index = 0; Index < ARRAYSIZE(Directories); Index++) {
        CHECK_EQ(KtNsLookup(Directories[Index], 0, ObpDirectoryObjectType, &Object),
                 STATUS_SUCCESS);
        if (Object != NULL)
            ObDereferenceObject(Object);
    }
    /* Every type is an object named in \ObjectTypes, of the type "Type". */
    CHECK_EQ(KtNsLookup("\\ObjectTypes\\Directory", 0, NULL, &Object), STATUS_SUCCESS);
    CHECK(Object == ObpDirectoryObjectType);
    CHECK(Object != NULL && ObGetObjectType(Object) == ObpTypeObjectType);
    if (Object != NULL)
        ObDereferenceObject(Object);
    CHECK_EQ(KtNsLookup("\\ObjectTypes\\Type", 0, NULL, &Object), STATUS_SUCCESS);
    CHECK(Object == ObpTypeObjectType);
    if (Object != NULL)
        ObDereferenceObject(Object);
    /* \DosDevices is a link to \??. */
    CHECK_EQ(KtNsLookup("\\DosDevices", 0, NULL, &Object), STATUS_SUCCESS);
    CHECK_EQ(KtNsLookup("\\??", 0, NULL, &Other), STATUS_SUCCESS);
    CHECK(Object != NULL && Object == Other);
    if (Object != NULL)
        ObDereferenceObject(Object);
    if (Other != NULL)
        ObDereferenceObject(Other);
}

KTEST(ob_namespace_lookup_statuses)
{
    PVOID Object = NULL;

    CHECK_EQ(KtNsStatus("", 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_EQ(KtNsStatus("Device", 0), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_EQ(KtNsStatus("\\Device\\", 0), STATUS_OBJECT_NAME_INVALID);
    CHECK_EQ(KtNsStatus("\\\\Device", 0), STATUS_OBJECT_NAME_INVALID);
    CHECK_EQ(KtNsStatus("\\Device\\\\x", 0), STATUS_OBJECT_NAME_INVALID);
    CHECK_EQ(KtNsStatus("\\Nope\\x", 0), STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_EQ(KtNsStatus("\\Nope", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(KtNsStatus("\\DEVICE", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(KtNsStatus("\\DEVICE", OBJ_CASE_INSENSITIVE), STATUS_SUCCESS);
    CHECK_EQ(KtNsStatus("\\ObjectTypes\\Directory\\x", 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_EQ(KtNsLookup("\\Device", 0, ObpSymbolicLinkObjectType, &Object),
             STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(Object == NULL);
}

KTEST(ob_namespace_openlink)
{
    PVOID Object = NULL;

    CHECK_EQ(KtNsLookup("\\DosDevices", OBJ_OPENLINK, NULL, &Object), STATUS_SUCCESS);
    CHECK(Object != NULL && ObGetObjectType(Object) == ObpSymbolicLinkObjectType);
    if (Object != NULL)
        ObDereferenceObject(Object);
    /* Asking for the link type opens the link too. */
    CHECK_EQ(KtNsLookup("\\DosDevices", 0, ObpSymbolicLinkObjectType, &Object), STATUS_SUCCESS);
    if (Object != NULL)
        ObDereferenceObject(Object);
}

/* ---- parse procedures ------------------------------------------------------------------ */

static POBJECT_TYPE KtParseType;
static WCHAR KtParseSeen[64];
static ULONG KtParseSeenLength, KtParseCalls;
static PVOID KtParseSeenContext, KtParseResult;

static NTSTATUS KtParse(PVOID Object, const UNICODE_STRING *RemainingName, ULONG Attributes,
                        ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Result)
{
    KtParseCalls++;
    KtParseSeenLength = RemainingName->Length;
    if (RemainingName->Length <= sizeof(KtParseSeen))
        memcpy(KtParseSeen, RemainingName->Buffer, RemainingName->Length);
    KtParseSeenContext = ParseContext;
    if (RemainingName->Length == 2 && RemainingName->Buffer[0] == 'z')
        return STATUS_OBJECT_NAME_NOT_FOUND;
    ObReferenceObject(KtParseResult);
    *Result = KtParseResult;
    return STATUS_SUCCESS;
}

static bool KtParseSaw(const char *Expected)
{
    ULONG Index;

    for (Index = 0; Expected[Index] != 0; Index++) {
        if ((Index + 1) * sizeof(WCHAR) > KtParseSeenLength ||
            KtParseSeen[Index] != (WCHAR)Expected[Index])
            return false;
    }
    return Index * sizeof(WCHAR) == KtParseSeenLength;
}

static NTSTATUS KtParseLookup(const char *Path, PVOID Context, PVOID *Object)
{
    WCHAR Buffer[128];
    UNICODE_STRING Name = KtNsName(Path, Buffer);

    return ObReferenceObjectByName(&Name, 0, NULL, Context, Object);
}

KTEST(ob_namespace_parse_procedure)
{
    OBJECT_TYPE_INITIALIZER Init = {.PoolTag = 0x7250744b, .ParseProcedure = KtParse};
    WCHAR Target[] = {'\\', 'D', 'e', 'v', 'i', 'c', 'e', '\\', 'K', 't', 'P', 'a', 'r', 's', 'e'};
    PVOID Device = NULL, Link = NULL, Object = NULL, Context = &Init;
    ULONG Before;

    if (KtParseType == NULL)
        CHECK(NT_SUCCESS(ObCreateObjectType("KtParse", &Init, &KtParseType)));
    if (KtParseType == NULL)
        return;
    /* A type made after ObInitSystem is named at once. */
    CHECK_EQ(KtNsStatus("\\ObjectTypes\\KtParse", 0), STATUS_SUCCESS);
    Before = KtParseType->TotalNumberOfObjects;
    CHECK(NT_SUCCESS(ObCreateObject(KtParseType, 16, &Device)));
    CHECK(NT_SUCCESS(ObCreateObject(KtParseType, 16, &KtParseResult)));
    CHECK(NT_SUCCESS(ObpCreateSymbolicLink(Target, sizeof(Target), &Link)));
    if (Device == NULL || KtParseResult == NULL || Link == NULL)
        return;
    CHECK_EQ(ObInsertPermanentObject(Device, "\\Device\\KtParse"), STATUS_SUCCESS);
    CHECK_EQ(ObInsertPermanentObject(Link, "\\Device\\KtLink"), STATUS_SUCCESS);
    /* The rest of the name, without its backslash, and the caller's context. */
    CHECK_EQ(KtParseLookup("\\Device\\KtParse\\a\\b", Context, &Object), STATUS_SUCCESS);
    CHECK(Object == KtParseResult && KtParseSaw("a\\b") && KtParseSeenContext == Context);
    if (Object != NULL)
        ObDereferenceObject(Object);
    /* Nothing left: called all the same. */
    KtParseCalls = 0;
    CHECK_EQ(KtParseLookup("\\Device\\KtParse", NULL, &Object), STATUS_SUCCESS);
    CHECK(KtParseCalls == 1 && KtParseSaw("") && Object == KtParseResult);
    if (Object != NULL)
        ObDereferenceObject(Object);
    /* Through a link; the parse procedure's failure is the lookup's. */
    CHECK_EQ(KtParseLookup("\\Device\\KtLink\\c", NULL, &Object), STATUS_SUCCESS);
    CHECK(KtParseSaw("c"));
    if (Object != NULL)
        ObDereferenceObject(Object);
    CHECK_EQ(KtParseLookup("\\Device\\KtLink\\z", NULL, &Object), STATUS_OBJECT_NAME_NOT_FOUND);
    /* Names cannot be inserted past an object that parses them. */
    KtNsEnter();
    {
        PVOID Directory = NULL;
        WCHAR Buffer[64];
        UNICODE_STRING Name = KtNsName("\\Device\\KtParse\\d", Buffer);
        CAPTURED_OBJECT_ATTRIBUTES Attributes = {.ObjectName = &Name};
        HANDLE Handle;

        CHECK(NT_SUCCESS(
            ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &Directory)));
        if (Directory != NULL)
            CHECK_EQ(ObInsertObject(Directory, &Attributes, 0, &Handle),
                     STATUS_OBJECT_TYPE_MISMATCH);
    }
    KtNsLeave();
    KtNsUnname(Link);
    KtNsUnname(Device);
    CHECK_EQ(KtNsStatus("\\Device\\KtParse", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    ObDereferenceObject(Link);
    ObDereferenceObject(Device);
    ObDereferenceObject(KtParseResult);
    CHECK_EQ(KtParseType->TotalNumberOfObjects, Before);
}

/* ---- links and lifetimes ------------------------------------------------------------------- */

/* Name a new directory or link at Path in the stand-in process. */
static NTSTATUS KtNsInsert(PVOID Object, const char *Path, ULONG Attributes, ACCESS_MASK Access,
                           HANDLE *Handle)
{
    WCHAR Buffer[128];
    UNICODE_STRING Name = KtNsName(Path, Buffer);
    CAPTURED_OBJECT_ATTRIBUTES Captured = {.ObjectName = &Name, .Attributes = Attributes};

    return ObInsertObject(Object, &Captured, Access, Handle);
}

static NTSTATUS KtNsInsertLink(const char *Path, const char *To, HANDLE *Handle)
{
    WCHAR Target[128];
    UNICODE_STRING Name = KtNsName(To, Target);
    PVOID Link = NULL;
    NTSTATUS Status = ObpCreateSymbolicLink(Name.Buffer, Name.Length, &Link);

    if (!NT_SUCCESS(Status))
        return Status;
    return KtNsInsert(Link, Path, 0, 0, Handle);
}

KTEST(ob_namespace_link_loops)
{
    ULONG Links = ObpSymbolicLinkObjectType->TotalNumberOfObjects;
    HANDLE A = NULL, B = NULL, Self = NULL;

    KtNsEnter();
    CHECK_EQ(KtNsInsertLink("\\KernelObjects\\KtLoopA", "\\KernelObjects\\KtLoopB", &A),
             STATUS_SUCCESS);
    CHECK_EQ(KtNsInsertLink("\\KernelObjects\\KtLoopB", "\\KernelObjects\\KtLoopA\\x", &B),
             STATUS_SUCCESS);
    CHECK_EQ(KtNsInsertLink("\\KernelObjects\\KtSelf", "\\KernelObjects\\KtSelf", &Self),
             STATUS_SUCCESS);
    CHECK_EQ(KtNsStatus("\\KernelObjects\\KtLoopA", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(KtNsStatus("\\KernelObjects\\KtSelf\\y", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    /* The links themselves still open. */
    CHECK_EQ(KtNsStatus("\\KernelObjects\\KtSelf", OBJ_OPENLINK), STATUS_SUCCESS);
    KtNsLeave();
    CHECK_EQ(KtNsStatus("\\KernelObjects\\KtSelf", OBJ_OPENLINK), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObpSymbolicLinkObjectType->TotalNumberOfObjects, Links);
}

KTEST(ob_namespace_name_lifetime)
{
    ULONG Directories = ObpDirectoryObjectType->TotalNumberOfObjects;
    PVOID Directory = NULL, Found = NULL, Parent = NULL;
    HANDLE First = NULL, Second = NULL;
    WCHAR Full[64];
    ULONG Length;

    KtNsEnter();
    CHECK(NT_SUCCESS(ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &Directory)));
    if (Directory == NULL)
        goto out;
    CHECK_EQ(KtNsInsert(Directory, "\\BaseNamedObjects\\KtTemp", 0, DIRECTORY_ALL_ACCESS, &First),
             STATUS_SUCCESS);
    /* The name and the handle hold it; the name also holds the parent. */
    CHECK_EQ(ObGetObjectPointerCount(Directory), 2);
    CHECK_EQ(KtNsLookup("\\BaseNamedObjects", 0, NULL, &Parent), STATUS_SUCCESS);
    CHECK(ObpHeader(Directory)->Directory == Parent);
    Length = ObpQueryFullName(Directory, Full, sizeof(Full));
    CHECK_EQ(Length, 24 * sizeof(WCHAR));
    CHECK(Full[0] == '\\' && Full[17] == '\\' && Full[18] == 'K' && Full[23] == 'p');
    /* Another handle by name; closing the first keeps the name. */
    {
        WCHAR Buffer[64];
        UNICODE_STRING Name = KtNsName("\\BaseNamedObjects\\KtTemp", Buffer);
        CAPTURED_OBJECT_ATTRIBUTES Captured = {.ObjectName = &Name};
        CHECK_EQ(ObOpenObjectByName(&Captured, ObpDirectoryObjectType, DELETE, NULL, &Second),
                 STATUS_SUCCESS);
    }
    CHECK_EQ(ObCloseHandle(&KtNsProcess, First), STATUS_SUCCESS);
    CHECK_EQ(KtNsLookup("\\BaseNamedObjects\\KtTemp", 0, NULL, &Found), STATUS_SUCCESS);
    CHECK(Found == Directory);
    if (Found != NULL)
        ObDereferenceObject(Found);
    CHECK_EQ(ObCloseHandle(&KtNsProcess, Second), STATUS_SUCCESS);
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtTemp", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObpDirectoryObjectType->TotalNumberOfObjects, Directories);
out:
    if (Parent != NULL)
        ObDereferenceObject(Parent);
    KtNsLeave();
}

KTEST(ob_namespace_permanent_lifetime)
{
    ULONG Directories = ObpDirectoryObjectType->TotalNumberOfObjects;
    PVOID Directory = NULL, Child = NULL;
    HANDLE Handle = NULL, ChildHandle = NULL;

    KtNsEnter();
    CHECK(NT_SUCCESS(ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &Directory)));
    CHECK(NT_SUCCESS(ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &Child)));
    if (Directory == NULL || Child == NULL)
        goto out;
    CHECK_EQ(KtNsInsert(Directory, "\\BaseNamedObjects\\KtPerm", OBJ_PERMANENT,
                        DIRECTORY_ALL_ACCESS, &Handle),
             STATUS_SUCCESS);
    CHECK_EQ(KtNsInsert(Child, "\\BaseNamedObjects\\KtPerm\\Child", 0, 0, &ChildHandle),
             STATUS_SUCCESS);
    CHECK_EQ(ObCloseHandle(&KtNsProcess, ChildHandle), STATUS_SUCCESS);
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtPerm\\Child", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObCloseHandle(&KtNsProcess, Handle), STATUS_SUCCESS);
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtPerm", 0), STATUS_SUCCESS); /* permanent */
    {
        WCHAR Buffer[64];
        UNICODE_STRING Name = KtNsName("\\BaseNamedObjects\\KtPerm", Buffer);
        CAPTURED_OBJECT_ATTRIBUTES Captured = {.ObjectName = &Name};
        CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Handle), STATUS_SUCCESS);
        CHECK_EQ(NtMakeTemporaryObject(Handle), STATUS_ACCESS_DENIED); /* no DELETE */
        CHECK_EQ(ObCloseHandle(&KtNsProcess, Handle), STATUS_SUCCESS);
        CHECK_EQ(ObOpenObjectByName(&Captured, NULL, DELETE, NULL, &Handle), STATUS_SUCCESS);
        CHECK_EQ(NtMakeTemporaryObject(Handle), STATUS_SUCCESS);
        CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtPerm", 0), STATUS_SUCCESS); /* a handle left */
        CHECK_EQ(ObCloseHandle(&KtNsProcess, Handle), STATUS_SUCCESS);
    }
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtPerm", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObpDirectoryObjectType->TotalNumberOfObjects, Directories);
    /* The names ntos made stay, whatever a caller asks. */
    {
        WCHAR Buffer[64];
        UNICODE_STRING Name = KtNsName("\\BaseNamedObjects", Buffer);
        CAPTURED_OBJECT_ATTRIBUTES Captured = {.ObjectName = &Name};
        CHECK_EQ(ObOpenObjectByName(&Captured, NULL, DELETE, NULL, &Handle), STATUS_SUCCESS);
        CHECK_EQ(NtMakeTemporaryObject(Handle), STATUS_ACCESS_DENIED);
        CHECK_EQ(ObCloseHandle(&KtNsProcess, Handle), STATUS_SUCCESS);
        CHECK_EQ(KtNsStatus("\\BaseNamedObjects", 0), STATUS_SUCCESS);
    }
out:
    KtNsLeave();
}

KTEST(ob_namespace_openif_and_collision)
{
    ULONG Directories = ObpDirectoryObjectType->TotalNumberOfObjects;
    PVOID A = NULL, B = NULL, C = NULL, Link = NULL;
    HANDLE First = NULL, Second = NULL, Third = NULL;
    PVOID Seen = NULL;
    WCHAR Target[] = {'\\'};

    KtNsEnter();
    ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &A);
    ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &B);
    ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &C);
    ObpCreateSymbolicLink(Target, sizeof(Target), &Link);
    if (!CHECK(A != NULL && B != NULL && C != NULL && Link != NULL))
        goto out;
    CHECK_EQ(KtNsInsert(A, "\\BaseNamedObjects\\KtOif", 0, 0, &First), STATUS_SUCCESS);
    CHECK_EQ(KtNsInsert(B, "\\BaseNamedObjects\\KtOif", 0, 0, &Second),
             STATUS_OBJECT_NAME_COLLISION);
    CHECK_EQ(
        KtNsInsert(C, "\\BaseNamedObjects\\ktoif", OBJ_OPENIF | OBJ_CASE_INSENSITIVE, 0, &Third),
        STATUS_OBJECT_NAME_EXISTS);
    CHECK(NT_SUCCESS(
        ObReferenceObjectByHandleInProcess(&KtNsProcess, Third, NULL, 0, &Seen, NULL, NULL)));
    CHECK(Seen == A);
    if (Seen != NULL)
        ObDereferenceObject(Seen);
    CHECK_EQ(KtNsInsert(Link, "\\BaseNamedObjects\\KtOif", OBJ_OPENIF, 0, &Second),
             STATUS_OBJECT_TYPE_MISMATCH);
out:
    KtNsLeave(); /* closes First and Third: the name goes, A with it */
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtOif", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObpDirectoryObjectType->TotalNumberOfObjects, Directories);
}

KTEST(ob_namespace_exclusive)
{
    static EPROCESS Other = {.UniqueProcessId = 0x7774};
    ULONG Directories = ObpDirectoryObjectType->TotalNumberOfObjects;
    PVOID Directory = NULL;
    HANDLE Handle = NULL, Again = NULL;
    WCHAR Buffer[64];
    UNICODE_STRING Name = KtNsName("\\BaseNamedObjects\\KtExcl", Buffer);
    CAPTURED_OBJECT_ATTRIBUTES Captured = {.ObjectName = &Name, .Attributes = OBJ_EXCLUSIVE};

    KtNsEnter();
    CHECK(NT_SUCCESS(ObCreateObject(ObpDirectoryObjectType, sizeof(OBJECT_DIRECTORY), &Directory)));
    if (Directory == NULL)
        goto out;
    CHECK_EQ(ObInsertObject(Directory, &Captured, 0, &Handle), STATUS_SUCCESS);
    /* Its creator's process opens it again, exclusively only. */
    CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Again), STATUS_SUCCESS);
    CHECK_EQ(ObCloseHandle(&KtNsProcess, Again), STATUS_SUCCESS);
    Captured.Attributes = 0;
    CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Again), STATUS_ACCESS_DENIED);
    /* No other process opens it. */
    KtNsThread.Process = &Other;
    CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Again), STATUS_ACCESS_DENIED);
    Captured.Attributes = OBJ_EXCLUSIVE;
    CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Again), STATUS_ACCESS_DENIED);
    KtNsThread.Process = &KtNsProcess;
    CHECK_EQ(ObGetProcessHandleCount(&Other), 0);
    /* OBJ_EXCLUSIVE on an object not made exclusive. */
    Name = KtNsName("\\BaseNamedObjects", Buffer);
    CHECK_EQ(ObOpenObjectByName(&Captured, NULL, 0, NULL, &Again), STATUS_INVALID_PARAMETER);
out:
    KtNsThread.Process = &KtNsProcess;
    KtNsLeave();
    CHECK_EQ(KtNsStatus("\\BaseNamedObjects\\KtExcl", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ObpDirectoryObjectType->TotalNumberOfObjects, Directories);
}
