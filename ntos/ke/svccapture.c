/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Probing and capturing the arguments of system services. The generated
 * unmarshallers (build/ntos/ntsvc_table.c) call these before a handler runs,
 * so a handler only ever sees ntos copies or checked wrappers (svc.h). Every
 * failure here is the caller's: it becomes the service's NTSTATUS, never an
 * assertion. Captured strings live in pool memory until the unmarshaller
 * releases them after the handler.
 */

#include <string.h>
#include <svc.h>

#define KI_CAPTURE_TAG 0x7043694bu /* "KiCp" */

/* [Address, Address + Size) lies in the part of user space services accept. */
static BOOLEAN KipUserRangeValid(ULONG_PTR Address, SIZE_T Size)
{
    if (Address < KI_USER_PROBE_LOW || Address >= KI_USER_PROBE_END)
        return FALSE;
    return Size <= KI_USER_PROBE_END - Address;
}

NTSTATUS KiProbeUser(PEPROCESS Process, ULONG_PTR Address, SIZE_T Size, ULONG Align,
                     BOOLEAN Optional, NTSTATUS NullStatus, KI_PROBE_MODE Mode)
{
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG_PTR Page;
    UCHAR Byte;

    ASSERT(Align != 0 && (Align & (Align - 1)) == 0);
    if (Address == 0)
        return Optional ? STATUS_SUCCESS : NullStatus;
    if (Address & (Align - 1))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (Size == 0)
        return STATUS_SUCCESS;
    if (!KipUserRangeValid(Address, Size))
        return STATUS_ACCESS_VIOLATION;
    if (Mode != KI_PROBE_WRITE)
        return STATUS_SUCCESS;
    /* One byte of every page the object touches is read and written back
     * (as Windows' ProbeForWrite does), so a read-only out page fails here,
     * before the handler acts, and not at write-back when its effect (a new
     * handle, say) could no longer be undone. */
    for (Page = PAGE_ALIGN_DOWN(Address); Page < Address + Size; Page += PAGE_SIZE) {
        ULONG_PTR At = Page < Address ? Address : Page;
        Status = MmCopyFromUser(Process, &Byte, At, 1);
        if (NT_SUCCESS(Status))
            Status = MmCopyToUser(Process, At, &Byte, 1);
        if (!NT_SUCCESS(Status))
            break;
    }
    return Status;
}

NTSTATUS KiProbeUserBuffer(ULONG_PTR Address, SIZE_T Length, BOOLEAN Optional, NTSTATUS NullStatus,
                           USER_BUFFER *Buffer)
{
    Buffer->Address = 0;
    Buffer->Length = 0;
    if (Address == 0 && Length != 0 && !Optional)
        return NullStatus;
    if (Address == 0 || Length == 0) {
        /* Nothing will be touched; keep the address for the handler. */
        Buffer->Address = Address;
        return STATUS_SUCCESS;
    }
    if (!KipUserRangeValid(Address, Length))
        return STATUS_ACCESS_VIOLATION;
    Buffer->Address = Address;
    Buffer->Length = Length;
    return STATUS_SUCCESS;
}

NTSTATUS KiProbeClassBuffer(USER_BUFFER Buffer, ULONG Align, KI_PROBE_MODE Mode)
{
    ASSERT(Align != 0 && (Align & (Align - 1)) == 0);
    if (Buffer.Length == 0)
        return STATUS_SUCCESS;
    if (Buffer.Address & (Align - 1))
        return STATUS_DATATYPE_MISALIGNMENT;
    /* Windows' probe only bounds the end: the first 64 KiB pass it and
     * fault when touched. */
    if (Buffer.Address >= KI_USER_PROBE_END || Buffer.Length > KI_USER_PROBE_END - Buffer.Address)
        return STATUS_ACCESS_VIOLATION;
    if (Mode != KI_PROBE_WRITE)
        return STATUS_SUCCESS;
    if (Buffer.Address < KI_USER_PROBE_LOW)
        return STATUS_ACCESS_VIOLATION;
    return KiProbeUser(KeGetCurrentThread()->Process, Buffer.Address, Buffer.Length, 1, FALSE,
                       STATUS_ACCESS_VIOLATION, KI_PROBE_WRITE);
}

/* Copy Length bytes of a user string into new pool memory. */
static NTSTATUS KipCaptureStringBuffer(PEPROCESS Process, ULONG_PTR UserBuffer, USHORT Length,
                                       PWSTR *Buffer)
{
    NTSTATUS Status;
    PWSTR Copy;

    *Buffer = NULL;
    if (Length == 0)
        return STATUS_SUCCESS;
    if (UserBuffer & 1)
        return STATUS_DATATYPE_MISALIGNMENT;
    if (!KipUserRangeValid(UserBuffer, Length))
        return STATUS_ACCESS_VIOLATION;
    Copy = ExAllocatePoolWithTag(Length, KI_CAPTURE_TAG);
    if (Copy == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = MmCopyFromUser(Process, Copy, UserBuffer, Length);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Copy, KI_CAPTURE_TAG);
        return Status;
    }
    *Buffer = Copy;
    return STATUS_SUCCESS;
}

NTSTATUS KiCaptureUnicodeString(PEPROCESS Process, ULONG_PTR UserAddress, UNICODE_STRING *Captured,
                                NTSTATUS BadStatus)
{
    NTSTATUS Status;
    UNICODE_STRING User;

    memset(Captured, 0, sizeof(*Captured));
    Status = KiProbeUser(Process, UserAddress, sizeof(User), 4, FALSE, STATUS_ACCESS_VIOLATION,
                         KI_PROBE_READ);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmCopyFromUser(Process, &User, UserAddress, sizeof(User));
    if (!NT_SUCCESS(Status))
        return Status;
    if ((User.Length & 1) || User.Length > User.MaximumLength)
        return BadStatus;
    Status =
        KipCaptureStringBuffer(Process, (ULONG_PTR)User.Buffer, User.Length, &Captured->Buffer);
    if (!NT_SUCCESS(Status))
        return Status;
    Captured->Length = User.Length;
    Captured->MaximumLength = User.Length;
    return STATUS_SUCCESS;
}

void KiReleaseUnicodeString(UNICODE_STRING *Captured)
{
    if (Captured->Buffer != NULL)
        ExFreePoolWithTag(Captured->Buffer, KI_CAPTURE_TAG);
    memset(Captured, 0, sizeof(*Captured));
}

NTSTATUS KiCaptureObjectAttributes(PEPROCESS Process, ULONG_PTR UserAddress,
                                   CAPTURED_OBJECT_ATTRIBUTES *Captured, NTSTATUS BadStatus)
{
    NTSTATUS Status;
    OBJECT_ATTRIBUTES User;

    memset(Captured, 0, sizeof(*Captured));
    Status = KiProbeUser(Process, UserAddress, sizeof(User), 4, FALSE, STATUS_ACCESS_VIOLATION,
                         KI_PROBE_READ);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmCopyFromUser(Process, &User, UserAddress, sizeof(User));
    if (!NT_SUCCESS(Status))
        return Status;
    if (User.Length != sizeof(OBJECT_ATTRIBUTES) || (User.Attributes & ~OBJ_VALID_ATTRIBUTES))
        return STATUS_INVALID_PARAMETER;
    if (User.ObjectName != NULL) {
        Status =
            KiCaptureUnicodeString(Process, (ULONG_PTR)User.ObjectName, &Captured->Name, BadStatus);
        if (!NT_SUCCESS(Status))
            return Status;
        Captured->ObjectName = &Captured->Name;
    }
    Captured->RootDirectory = User.RootDirectory;
    Captured->Attributes = User.Attributes;
    Captured->SecurityDescriptor.Value = (ULONG_PTR)User.SecurityDescriptor;
    Captured->SecurityQualityOfService.Value = (ULONG_PTR)User.SecurityQualityOfService;
    return STATUS_SUCCESS;
}

void KiReleaseObjectAttributes(CAPTURED_OBJECT_ATTRIBUTES *Captured)
{
    KiReleaseUnicodeString(&Captured->Name);
    memset(Captured, 0, sizeof(*Captured));
}
