/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * io/selftest_ring.c: the self-test of the request path (io/selftest.h).
 * dhtest.sys is loaded and started as NtProcessStartup does, then driven
 * through a ring area of the test's own, playing ntos: requests go in,
 * IopDrainRequests turns them into IRPs, the completions that come back
 * are checked (statuses, byte counts, file cookies, interim PENDING
 * records, cancel, unload).
 */

#include "iop.h"
#include "selftest.h"

NTSYSAPI NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                                 POBJECT_ATTRIBUTES ObjectAttributes);

#define DHTEST_IOCTL_REVERSE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_HOLD    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_RELEASE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_SUM     CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define DHTEST_IOCTL_MODE    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define IOP_ST_RING_SIZE 0x4000
#define IOP_ST_DATA      0x1000

static IO_HOST_RING_HEADER *IopStRing;
static PDEVICE_OBJECT IopStDevice;

static PUCHAR IopStData(ULONG Offset)
{
    return (PUCHAR)IopStRing + IOP_ST_DATA + Offset;
}

static BOOLEAN IopStMakeRing(VOID)
{
    IopStRing = IopAllocate(IOP_ST_RING_SIZE);
    if (IopStRing == NULL)
        return FALSE;
    IopStRing->RequestCount = 8;
    IopStRing->RequestOffset = 0x100;
    IopStRing->CompletionCount = 16;
    IopStRing->CompletionOffset = 0x600;
    IopStRing->DataOffset = IOP_ST_DATA;
    IopStRing->DataSize = IOP_ST_RING_SIZE - IOP_ST_DATA;
    IopHostInfo.RingBase = (ULONG64)(ULONG_PTR)IopStRing;
    IopHostInfo.RingSize = IOP_ST_RING_SIZE;
    return TRUE;
}

/* One request of Operation for MajorFunction, with its Parameters. */
static VOID IopStPush(ULONG64 Id, UCHAR Operation, UCHAR Major, ULONG64 File,
                      const ULONG64 Parameters[4], PVOID SystemBuffer)
{
    IO_HOST_REQUEST *Slot = (IO_HOST_REQUEST *)((PUCHAR)IopStRing + IopStRing->RequestOffset) +
                            (IopStRing->RequestTail & (IopStRing->RequestCount - 1));

    RtlZeroMemory(Slot, sizeof(*Slot));
    Slot->Id = Id;
    Slot->Operation = Operation;
    Slot->MajorFunction = Major;
    Slot->Device = (ULONG64)(ULONG_PTR)IopStDevice;
    Slot->File = File;
    if (Parameters != NULL)
        RtlCopyMemory(Slot->Parameters, Parameters, sizeof(Slot->Parameters));
    Slot->SystemBuffer = (ULONG64)(ULONG_PTR)SystemBuffer;
    Slot->CancelId = Operation == IO_HOST_OP_CANCEL ? Parameters[0] : 0;
    IopStRing->RequestTail++;
}

/* The last request pushed, to change a field before it is drained. */
static IO_HOST_REQUEST *IopStLast(VOID)
{
    return (IO_HOST_REQUEST *)((PUCHAR)IopStRing + IopStRing->RequestOffset) +
           ((IopStRing->RequestTail - 1) & (IopStRing->RequestCount - 1));
}

static BOOLEAN IopStPop(IO_HOST_COMPLETION *Completion)
{
    if (IopStRing->CompletionHead == IopStRing->CompletionTail)
        return FALSE;
    *Completion = *((IO_HOST_COMPLETION *)((PUCHAR)IopStRing + IopStRing->CompletionOffset) +
                    (IopStRing->CompletionHead & (IopStRing->CompletionCount - 1)));
    IopStRing->CompletionHead++;
    return TRUE;
}

/* Serve what was pushed; no request here unloads the driver. */
static VOID IopStDrain(VOID)
{
    ST_CHECK(!IopDrainRequests());
}

/* Expect the next completion of Id with Status. */
static BOOLEAN IopStExpect(ULONG64 Id, NTSTATUS Status, IO_HOST_COMPLETION *Completion)
{
    IO_HOST_COMPLETION Local;

    if (Completion == NULL)
        Completion = &Local;
    if (!ST_CHECK(IopStPop(Completion)))
        return FALSE;
    return ST_CHECK_EQ(Completion->Id, Id) && ST_CHECK_EQ((ULONG)Completion->Status, (ULONG)Status);
}

static NTSTATUS IopStOpenLink(VOID)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\??\\DhTest");
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Handle;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenSymbolicLinkObject(&Handle, 1 /* SYMBOLIC_LINK_QUERY */, &Attributes);
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

/* IoGetDeviceObjectPointer through the link: a local open of dhtest's
 * device (its create counted in the extension's first ULONG, Opens),
 * closed by the last dereference. A name of no local device cannot be
 * reached yet. */
static VOID IopStDevicePointer(VOID)
{
    UNICODE_STRING Link = RTL_CONSTANT_STRING(L"\\??\\DhTest");
    UNICODE_STRING Other = RTL_CONSTANT_STRING(L"\\Device\\Null");
    PULONG Opens = IopStDevice->DeviceExtension;
    PDEVICE_OBJECT Device;
    PFILE_OBJECT File;

    if (!ST_CHECK_EQ(IoGetDeviceObjectPointer(&Link, FILE_READ_DATA, &File, &Device),
                     STATUS_SUCCESS))
        return;
    ST_CHECK(Device == IopStDevice && File->DeviceObject == IopStDevice);
    ST_CHECK_EQ(*Opens, 1);
    ST_CHECK_EQ(ObpPointerCount(File), 1);
    ObReferenceObject(File);
    ObDereferenceObject(File);
    ST_CHECK_EQ(*Opens, 1);
    ST_CHECK(IopIsOpenFileObject(File));
    ObDereferenceObject(File); /* the last: IRP_MJ_CLEANUP, IRP_MJ_CLOSE */
    ST_CHECK_EQ(*Opens, 0);
    ST_CHECK(!IopIsOpenFileObject(File));
    ST_CHECK_EQ(IoGetDeviceObjectPointer(&Other, FILE_READ_DATA, &File, &Device),
                STATUS_NOT_IMPLEMENTED);
}

/* Load and start dhtest.sys as NtProcessStartup would, and check what
 * ntos would hear: the device's flags, then DriverEntry's status. */
static BOOLEAN IopStStartDriver(VOID)
{
    UNICODE_STRING Image = RTL_CONSTANT_STRING(L"dhtest.sys");
    UNICODE_STRING Key = RTL_CONSTANT_STRING(L"\\Registry\\Machine\\System\\DhTest");
    IO_HOST_COMPLETION Completion;
    IOP_DRIVER_SECTION *Section;
    PDRIVER_INITIALIZE Entry;
    PVOID Base;
    SIZE_T Size;

    if (!ST_CHECK_EQ(IopCreateDriverObject(&IopDriverObject), STATUS_SUCCESS) ||
        !ST_CHECK_EQ(LdrpLoadDriverImage(&Image, &Base, &Size, &Entry), STATUS_SUCCESS))
        return FALSE;
    if (!ST_CHECK_EQ(IopDescribeDriverImage(IopDriverObject, Base, Size, Entry, &Image),
                     STATUS_SUCCESS))
        return FALSE;
    ST_CHECK(IopDriverObject->DriverStart == Base && IopDriverObject->DriverInit == Entry);
    Section = IopDriverObject->DriverSection;
    ST_CHECK(Section->DllBase == Base && Section->SizeOfImage == Size);
    ST_CHECK(Section->BaseDllName.Length == Image.Length && Section->ExceptionTable != NULL);
    ST_CHECK_EQ(Entry(IopDriverObject, &Key), STATUS_SUCCESS);
    IopStDevice = IopDriverObject->DeviceObject;
    if (!ST_CHECK(IopStDevice != NULL))
        return FALSE;
    ST_CHECK(IopStDevice->Flags & DO_BUFFERED_IO);
    ST_CHECK(IopStDevice->Flags & DO_DEVICE_HAS_NAME);
    ST_CHECK(IopDriverObject->DriverUnload != NULL);
    ST_CHECK_EQ(IopStOpenLink(), STATUS_SUCCESS);
    IopStDevicePointer();
    IopReportDriverEntry(STATUS_SUCCESS);
    if (IopStExpect(IO_HOST_ID_DEVICE_FLAGS, STATUS_SUCCESS, &Completion)) {
        ST_CHECK(Completion.Cookie == (ULONG64)(ULONG_PTR)IopStDevice);
        ST_CHECK(Completion.Information & DO_BUFFERED_IO);
        ST_CHECK(!(Completion.Information & DO_DEVICE_INITIALIZING));
    }
    IopStExpect(0, STATUS_SUCCESS, NULL);
    return TRUE;
}

/* IRP_MJ_CREATE with its name in the data area: the cookie is the new
 * FILE_OBJECT. A name of an odd byte count is refused. */
static ULONG64 IopStCreate(VOID)
{
    static const WCHAR Name[] = L"\\foo";
    IO_HOST_COMPLETION Completion;
    PFILE_OBJECT File;

    RtlCopyMemory(IopStData(0), Name, 8);
    IopStPush(1, IO_HOST_OP_IRP, IRP_MJ_CREATE, 0, NULL, NULL);
    IopStLast()->FileName = (ULONG64)(ULONG_PTR)IopStData(0);
    IopStLast()->FileNameLength = 8;
    IopStPush(2, IO_HOST_OP_IRP, IRP_MJ_CREATE, 0, NULL, NULL);
    IopStLast()->FileName = (ULONG64)(ULONG_PTR)Name;
    IopStLast()->FileNameLength = 7;
    IopStDrain();
    if (!IopStExpect(1, STATUS_SUCCESS, &Completion))
        return 0;
    IopStExpect(2, STATUS_INVALID_PARAMETER, NULL);
    File = IopLookupFileObject(Completion.Cookie);
    if (ST_CHECK(File != NULL)) {
        ST_CHECK(File->DeviceObject == IopStDevice);
        ST_CHECK_EQ(File->FsContext, 8);
        ST_CHECK(File->FileName.Length == 8 && memcmp(File->FileName.Buffer, Name, 8) == 0);
    }
    return Completion.Cookie;
}

static VOID IopStReadWrite(ULONG64 File)
{
    ULONG64 Read[4] = {16, 0, 5, 0}, Write[4] = {3, 0, 0, 0}, Sum[4] = {4, 0, DHTEST_IOCTL_SUM, 0};
    IO_HOST_COMPLETION Completion;
    PUCHAR Buffer = IopStData(0x100);

    IopStPush(3, IO_HOST_OP_IRP, IRP_MJ_READ, File, Read, Buffer);
    Buffer[0x100] = 1, Buffer[0x101] = 2, Buffer[0x102] = 3;
    IopStPush(4, IO_HOST_OP_IRP, IRP_MJ_WRITE, File, Write, Buffer + 0x100);
    IopStPush(5, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Sum, Buffer + 0x200);
    IopStDrain();
    if (IopStExpect(3, STATUS_SUCCESS, &Completion)) {
        ST_CHECK_EQ(Completion.Information, 16);
        ST_CHECK(Buffer[0] == 5 && Buffer[15] == 20);
    }
    if (IopStExpect(4, STATUS_SUCCESS, &Completion))
        ST_CHECK_EQ(Completion.Information, 3);
    if (IopStExpect(5, STATUS_SUCCESS, &Completion)) {
        ST_CHECK_EQ(Completion.Information, 4);
        ST_CHECK_EQ(*(PULONG)(Buffer + 0x200), 6);
    }
}

/* METHOD_BUFFERED in place; a short output; a major function dhtest does
 * not handle; a device and a file the runtime does not know. */
static VOID IopStControls(ULONG64 File)
{
    ULONG64 Mode[4] = {8, 0, DHTEST_IOCTL_MODE, 0};
    ULONG64 Reverse[4] = {3, 3, DHTEST_IOCTL_REVERSE, 0},
            Short[4] = {2, 3, DHTEST_IOCTL_REVERSE, 0};
    PUCHAR Buffer = IopStData(0x400);

    RtlCopyMemory(Buffer, "abc", 3);
    IopStPush(6, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Reverse, Buffer);
    IopStPush(7, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Short, Buffer + 0x10);
    IopStPush(8, IO_HOST_OP_IRP, IRP_MJ_FLUSH_BUFFERS, File, NULL, NULL);
    IopStPush(19, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Mode, Buffer + 0x20);
    IopStDrain();
    IopStExpect(6, STATUS_SUCCESS, NULL);
    ST_CHECK(memcmp(Buffer, "cba", 3) == 0);
    IopStExpect(7, STATUS_BUFFER_TOO_SMALL, NULL);
    IopStExpect(8, STATUS_INVALID_DEVICE_REQUEST, NULL);
    IopStExpect(19, STATUS_SUCCESS, NULL);
    /* The dispatch routine ran with UserMode as the previous mode, as the
     * IRP's requestor; the IRP thread is back in KernelMode. */
    ST_CHECK_EQ(((PULONG)(Buffer + 0x20))[0], UserMode);
    ST_CHECK_EQ(((PULONG)(Buffer + 0x20))[1], UserMode);
    ST_CHECK_EQ(ExGetPreviousMode(), KernelMode);
    IopStPush(9, IO_HOST_OP_IRP, IRP_MJ_READ, File, NULL, NULL);
    IopStLast()->Device = 0x1234;
    IopStPush(10, IO_HOST_OP_IRP, IRP_MJ_READ, File + 8, NULL, NULL);
    IopStPush(11, 7, IRP_MJ_READ, File, NULL, NULL);
    IopStDrain();
    IopStExpect(9, STATUS_INVALID_DEVICE_REQUEST, NULL);
    IopStExpect(10, STATUS_INVALID_HANDLE, NULL);
    IopStExpect(11, STATUS_INVALID_PARAMETER, NULL);
}

/* An IRP left pending gets an interim PENDING record; a cancel request
 * completes it through its cancel routine (and gets no record itself);
 * a released one completes with the driver's status. */
static VOID IopStPendingAndCancel(ULONG64 File)
{
    ULONG64 Hold[4] = {0, 0, DHTEST_IOCTL_HOLD, 0}, Release[4] = {0, 0, DHTEST_IOCTL_RELEASE, 0};
    ULONG64 Cancel[4] = {12, 0, 0, 0}, Unknown[4] = {99, 0, 0, 0};
    IO_HOST_COMPLETION Completion;

    IopStPush(12, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Hold, IopStData(0x600));
    IopStPush(13, IO_HOST_OP_CANCEL, 0, 0, Cancel, NULL);
    IopStPush(14, IO_HOST_OP_CANCEL, 0, 0, Unknown, NULL);
    IopStDrain();
    IopStExpect(12, STATUS_PENDING, NULL);
    IopStExpect(12, STATUS_CANCELLED, NULL);
    ST_CHECK(!IopStPop(&Completion));
    IopStPush(15, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Hold, IopStData(0x600));
    IopStPush(16, IO_HOST_OP_IRP, IRP_MJ_DEVICE_CONTROL, File, Release, IopStData(0x640));
    IopStDrain();
    IopStExpect(15, STATUS_PENDING, NULL);
    if (IopStExpect(15, STATUS_SUCCESS, &Completion))
        ST_CHECK_EQ(Completion.Information, 7);
    IopStExpect(16, STATUS_SUCCESS, NULL);
    ST_CHECK(IsListEmpty(&IopHostIrps));
}

/* The close frees the file object; the unload runs DriverUnload (its
 * device and link go) and ends the loop. */
static VOID IopStCloseAndUnload(ULONG64 File)
{
    PFILE_OBJECT FileObject = (PFILE_OBJECT)(ULONG_PTR)File;

    ObReferenceObject(FileObject); /* a driver may keep one past the close */
    IopStPush(17, IO_HOST_OP_IRP, IRP_MJ_CLOSE, File, NULL, NULL);
    IopStDrain();
    IopStExpect(17, STATUS_SUCCESS, NULL);
    ST_CHECK(IopLookupFileObject(File) == NULL);
    ST_CHECK_EQ(ObpPointerCount(FileObject), 1);
    ST_CHECK_EQ(FileObject->Type, IO_TYPE_FILE);
    ObDereferenceObject(FileObject);
    IopStPush(18, IO_HOST_OP_UNLOAD, 0, 0, NULL, NULL);
    ST_CHECK(IopDrainRequests());
    IopStExpect(18, STATUS_SUCCESS, NULL);
    ST_CHECK(IopDriverObject->DeviceObject == NULL);
    ST_CHECK(IopDriverObject->Flags & DRVO_UNLOAD_INVOKED);
    ST_CHECK_EQ(IopStOpenLink(), STATUS_OBJECT_NAME_NOT_FOUND);
}

VOID IopSelfTestRing(VOID)
{
    ULONG64 File;

    if (!ST_CHECK(IopStMakeRing()) || !IopStStartDriver())
        return;
    File = IopStCreate();
    if (File == 0)
        return;
    IopStReadWrite(File);
    IopStControls(File);
    IopStPendingAndCancel(File);
    IopStCloseAndUnload(File);
}
