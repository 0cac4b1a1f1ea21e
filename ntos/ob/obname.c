/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Name lookup in the object namespace: from the root directory (an
 * absolute name) or from ObjectAttributes->RootDirectory, component by
 * component through directories, following symbolic links in any component
 * (and at the last one unless the caller opens links), handing the rest of
 * the name to an object whose type has a parse procedure, and, for an
 * insert, naming the new object at the last component. The statuses are
 * the ones Windows gives for each malformed name (see ob/README.md).
 */

#include <string.h>
#include "obp.h"

/* Where a lookup stands: the referenced object reached and the name left.
 * Separator: a backslash was consumed, so a component must follow (a
 * trailing backslash is an empty component). */
typedef struct _OBP_CURSOR {
    PVOID Object;
    const WCHAR *Name;
    ULONG Length; /* bytes */
    BOOLEAN Separator;
    WCHAR *Reparse; /* pool copy of the name after a link, or NULL */
    ULONG Reparses;
} OBP_CURSOR;

/* Start at the root directory with an absolute Name (leading backslash). */
static NTSTATUS ObpStartAbsolute(OBP_CURSOR *Cursor, const WCHAR *Name, ULONG Length)
{
    if (Length == 0 || Name[0] != L'\\')
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (ObpRootDirectory == NULL)
        return STATUS_OBJECT_PATH_NOT_FOUND; /* before ObInitSystem */
    ObReferenceObject(ObpRootDirectory);
    Cursor->Object = ObpRootDirectory;
    Cursor->Name = Name + 1;
    Cursor->Length = Length - sizeof(WCHAR);
    Cursor->Separator = FALSE;
    return STATUS_SUCCESS;
}

/* Start at the root handle (any object a lookup can go on from). */
static NTSTATUS ObpStartRelative(const OBP_LOOKUP *Lookup, OBP_CURSOR *Cursor)
{
    const UNICODE_STRING *Name = Lookup->Name;
    POBJECT_TYPE Type;
    PVOID Root;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(Lookup->RootHandle, NULL, 0, &Root);
    if (!NT_SUCCESS(Status))
        return Status;
    Type = ObGetObjectType(Root);
    if (Name->Length > 0 && Name->Buffer[0] == L'\\')
        Status = STATUS_OBJECT_PATH_SYNTAX_BAD;
    else if (Type != ObpDirectoryObjectType && Type != ObpSymbolicLinkObjectType &&
             Type->TypeInfo.ParseProcedure == NULL)
        Status = STATUS_OBJECT_TYPE_MISMATCH;
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(Root);
        return Status;
    }
    Cursor->Object = Root;
    Cursor->Name = Name->Buffer;
    Cursor->Length = Name->Length;
    Cursor->Separator = FALSE;
    return STATUS_SUCCESS;
}

/* The new object's name is taken by Existing: open it (OPENIF, same type)
 * or fail. */
static NTSTATUS ObpNameTaken(const OBP_LOOKUP *Lookup, PVOID Existing, PVOID *Found)
{
    if (ObGetObjectType(Existing) != ObGetObjectType(Lookup->InsertObject))
        return STATUS_OBJECT_TYPE_MISMATCH;
    if (!(Lookup->Attributes & OBJ_OPENIF))
        return STATUS_OBJECT_NAME_COLLISION;
    ObReferenceObject(Existing);
    *Found = Existing;
    return STATUS_OBJECT_NAME_EXISTS;
}

/* One step in a directory. STATUS_PENDING: go on from Cursor. */
static NTSTATUS ObpStepDirectory(const OBP_LOOKUP *Lookup, OBP_CURSOR *Cursor, PVOID *Found)
{
    ULONG Component = 0;
    BOOLEAN Last;
    PVOID Child;
    NTSTATUS Status;

    if (Cursor->Length == 0) {
        if (Cursor->Separator)
            return STATUS_OBJECT_NAME_INVALID;
        if (Lookup->InsertObject != NULL)
            return ObpNameTaken(Lookup, Cursor->Object, Found);
        ObReferenceObject(Cursor->Object);
        *Found = Cursor->Object;
        return STATUS_SUCCESS;
    }
    while (Component < Cursor->Length / sizeof(WCHAR) && Cursor->Name[Component] != L'\\')
        Component++;
    if (Component == 0)
        return STATUS_OBJECT_NAME_INVALID;
    Last = Component * sizeof(WCHAR) == Cursor->Length;
    Child = ObpLookupDirectoryEntry(Cursor->Object, Cursor->Name, (USHORT)(Component * 2),
                                    (Lookup->Attributes & OBJ_CASE_INSENSITIVE) != 0);
    if (Last && Lookup->InsertObject != NULL) {
        if (Child != NULL)
            return ObpNameTaken(Lookup, Child, Found);
        Status = ObpInsertDirectoryEntry(Cursor->Object, Lookup->InsertObject, Cursor->Name,
                                         (USHORT)Cursor->Length);
        if (NT_SUCCESS(Status)) {
            ObReferenceObject(Lookup->InsertObject);
            *Found = Lookup->InsertObject;
        }
        return Status;
    }
    if (Child == NULL)
        return Last ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND;
    ObReferenceObject(Child);
    ObDereferenceObject(Cursor->Object);
    Cursor->Object = Child;
    Cursor->Name += Component + (Last ? 0 : 1);
    Cursor->Length -= Component * sizeof(WCHAR) + (Last ? 0 : sizeof(WCHAR));
    Cursor->Separator = !Last;
    return STATUS_PENDING;
}

/* Go on at the link's target followed by the rest of the name. */
static NTSTATUS ObpReparse(OBP_CURSOR *Cursor)
{
    POBJECT_SYMBOLIC_LINK Link = Cursor->Object;
    ULONG Rest = Cursor->Separator ? Cursor->Length + sizeof(WCHAR) : 0;
    ULONG Length = Link->Target.Length + Rest;
    WCHAR *Name;
    NTSTATUS Status;

    if (++Cursor->Reparses > OBP_MAX_REPARSE)
        return STATUS_OBJECT_NAME_NOT_FOUND; /* a loop of links */
    if (Length > 0xFFFE)
        return STATUS_OBJECT_NAME_INVALID;
    Name = ExAllocatePoolWithTag(Length + sizeof(WCHAR), OBP_NAME_TAG);
    if (Name == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Name, Link->Target.Buffer, Link->Target.Length);
    if (Rest != 0) {
        Name[Link->Target.Length / sizeof(WCHAR)] = L'\\';
        memcpy(Name + Link->Target.Length / sizeof(WCHAR) + 1, Cursor->Name, Cursor->Length);
    }
    ObDereferenceObject(Cursor->Object);
    Cursor->Object = NULL;
    if (Cursor->Reparse != NULL)
        ExFreePoolWithTag(Cursor->Reparse, OBP_NAME_TAG);
    Cursor->Reparse = Name;
    Status = ObpStartAbsolute(Cursor, Name, Length);
    return NT_SUCCESS(Status) ? STATUS_PENDING : Status;
}

/* One step at a symbolic link. */
static NTSTATUS ObpStepSymbolicLink(const OBP_LOOKUP *Lookup, OBP_CURSOR *Cursor, PVOID *Found)
{
    BOOLEAN AtEnd = Cursor->Length == 0 && !Cursor->Separator;

    if (AtEnd &&
        (Lookup->Type == ObpSymbolicLinkObjectType || (Lookup->Attributes & OBJ_OPENLINK))) {
        ObReferenceObject(Cursor->Object);
        *Found = Cursor->Object;
        return STATUS_SUCCESS;
    }
    /* From a root handle that is a link, the rest must start a path. */
    if (!AtEnd && !Cursor->Separator)
        return STATUS_OBJECT_TYPE_MISMATCH;
    return ObpReparse(Cursor);
}

/* One step at any other object: its parse procedure takes the rest. */
static NTSTATUS ObpStepOther(const OBP_LOOKUP *Lookup, OBP_CURSOR *Cursor, PVOID *Found)
{
    OB_PARSE_METHOD Parse = ObGetObjectType(Cursor->Object)->TypeInfo.ParseProcedure;
    UNICODE_STRING Rest;

    if (Parse != NULL && Lookup->InsertObject == NULL) {
        Rest.Buffer = (PWSTR)Cursor->Name;
        Rest.Length = Rest.MaximumLength = (USHORT)Cursor->Length;
        return Parse(Cursor->Object, &Rest, Lookup->Attributes, Lookup->DesiredAccess,
                     Lookup->ParseContext, Found);
    }
    if (Cursor->Length == 0 && !Cursor->Separator && Lookup->InsertObject == NULL) {
        ObReferenceObject(Cursor->Object);
        *Found = Cursor->Object;
        return STATUS_SUCCESS;
    }
    return STATUS_OBJECT_TYPE_MISMATCH; /* a name goes on past an object that ends names */
}

NTSTATUS ObpLookupObjectName(const OBP_LOOKUP *Lookup, PVOID *Found)
{
    OBP_CURSOR Cursor = {0};
    NTSTATUS Status;
    POBJECT_TYPE Type;

    *Found = NULL;
    if (Lookup->RootHandle != NULL)
        Status = ObpStartRelative(Lookup, &Cursor);
    else
        Status = ObpStartAbsolute(&Cursor, Lookup->Name->Buffer, Lookup->Name->Length);
    while (NT_SUCCESS(Status)) {
        Type = ObGetObjectType(Cursor.Object);
        if (Type == ObpDirectoryObjectType)
            Status = ObpStepDirectory(Lookup, &Cursor, Found);
        else if (Type == ObpSymbolicLinkObjectType)
            Status = ObpStepSymbolicLink(Lookup, &Cursor, Found);
        else
            Status = ObpStepOther(Lookup, &Cursor, Found);
        if (Status != STATUS_PENDING)
            break;
    }
    if (Cursor.Object != NULL)
        ObDereferenceObject(Cursor.Object);
    if (Cursor.Reparse != NULL)
        ExFreePoolWithTag(Cursor.Reparse, OBP_NAME_TAG);
    return Status;
}
