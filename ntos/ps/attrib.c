/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PS_ATTRIBUTE_LIST, the attribute list of NtCreateThreadEx and
 * NtCreateUserProcess: captured once from the caller's memory (its
 * TotalLength must be the 8-byte header plus whole 32-byte entries), each
 * attribute checked against what the service accepts, output attributes
 * probed for writing before anything is created, and written afterwards.
 */
#include "psattr.h"

#include <ke.h>
#include <string.h>

#define PSP_ATTRIBUTE_HEADER 8
#define PSP_MAX_ATTRIBUTES   32

static NTSTATUS PspCheckAttribute(const PS_ATTRIBUTE *Attribute, ULONG Accepted)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    SIZE_T Need;

    switch (Attribute->Attribute) {
    case PS_ATTRIBUTE_CLIENT_ID:
        if (!(Accepted & PSP_ACCEPT_CLIENT_ID))
            return STATUS_INVALID_PARAMETER;
        Need = sizeof(CLIENT_ID);
        break;
    case PS_ATTRIBUTE_TEB_ADDRESS:
        if (!(Accepted & PSP_ACCEPT_TEB_ADDRESS))
            return STATUS_INVALID_PARAMETER;
        Need = sizeof(ULONG_PTR);
        break;
    case PS_ATTRIBUTE_IMAGE_NAME:
        if (!(Accepted & PSP_ACCEPT_IMAGE_NAME))
            return STATUS_INVALID_PARAMETER;
        return Attribute->Size == 0 || Attribute->Size > 0xfffe || (Attribute->Size & 1)
                   ? STATUS_INVALID_PARAMETER
                   : STATUS_SUCCESS;
    case PS_ATTRIBUTE_IMAGE_INFO:
        if (!(Accepted & PSP_ACCEPT_IMAGE_INFO))
            return STATUS_INVALID_PARAMETER;
        Need = PSP_SECTION_IMAGE_INFORMATION_SIZE;
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (Attribute->Size < Need)
        return STATUS_INVALID_PARAMETER;
    /* An output: it must be writable before anything is created. */
    return KiProbeUser(Process, Attribute->Value, Need, 1, FALSE, STATUS_ACCESS_VIOLATION,
                       KI_PROBE_WRITE);
}

NTSTATUS PspCaptureAttributes(USER_ADDRESS List, ULONG Accepted, PSP_ATTRIBUTES *Out)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;
    SIZE_T TotalLength;
    NTSTATUS Status;

    memset(Out, 0, sizeof(*Out));
    if (List.Value == 0)
        return STATUS_SUCCESS;
    Status = MmCopyFromUser(Process, &TotalLength, List.Value, sizeof(TotalLength));
    if (!NT_SUCCESS(Status))
        return Status;
    if (TotalLength < PSP_ATTRIBUTE_HEADER ||
        (TotalLength - PSP_ATTRIBUTE_HEADER) % sizeof(PS_ATTRIBUTE) != 0 ||
        (TotalLength - PSP_ATTRIBUTE_HEADER) / sizeof(PS_ATTRIBUTE) > PSP_MAX_ATTRIBUTES)
        return STATUS_INVALID_PARAMETER;
    Out->Count = (ULONG)((TotalLength - PSP_ATTRIBUTE_HEADER) / sizeof(PS_ATTRIBUTE));
    Status = MmCopyFromUser(Process, Out->Entries, List.Value + PSP_ATTRIBUTE_HEADER,
                            Out->Count * sizeof(PS_ATTRIBUTE));
    for (ULONG i = 0; NT_SUCCESS(Status) && i < Out->Count; i++)
        Status = PspCheckAttribute(&Out->Entries[i], Accepted);
    return Status;
}

const PS_ATTRIBUTE *PspFindAttribute(const PSP_ATTRIBUTES *List, ULONG_PTR Attribute)
{
    for (ULONG i = 0; i < List->Count; i++) {
        if (List->Entries[i].Attribute == Attribute)
            return &List->Entries[i];
    }
    return NULL;
}

/* Write one output attribute and its ReturnLength (if the caller gave one). */
static void PspWriteAttribute(const PS_ATTRIBUTE *Attribute, const void *Data, SIZE_T Size)
{
    PEPROCESS Process = KeGetCurrentThread()->Process;

    /* Probed writable before creation: a failure now is the caller's
     * own doing (it unmapped the page meanwhile) and is not reported. */
    MmCopyToUser(Process, Attribute->Value, Data, Size);
    if (Attribute->ReturnLength)
        MmCopyToUser(Process, Attribute->ReturnLength, &Size, sizeof(Size));
}

void PspWriteThreadAttributes(const PSP_ATTRIBUTES *List, PETHREAD Thread)
{
    for (ULONG i = 0; i < List->Count; i++) {
        const PS_ATTRIBUTE *Attribute = &List->Entries[i];

        if (Attribute->Attribute == PS_ATTRIBUTE_CLIENT_ID) {
            CLIENT_ID Id = {(HANDLE)Thread->Process->UniqueProcessId,
                            (HANDLE)Thread->UniqueThreadId};
            PspWriteAttribute(Attribute, &Id, sizeof(Id));
        } else if (Attribute->Attribute == PS_ATTRIBUTE_TEB_ADDRESS) {
            PspWriteAttribute(Attribute, &Thread->TebAddress, sizeof(Thread->TebAddress));
        }
    }
}

void PspWriteImageInfoAttribute(const PSP_ATTRIBUTES *List, const void *Info, SIZE_T Size)
{
    const PS_ATTRIBUTE *Attribute = PspFindAttribute(List, PS_ATTRIBUTE_IMAGE_INFO);

    if (Attribute)
        PspWriteAttribute(Attribute, Info, Size);
}
