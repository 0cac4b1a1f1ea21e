/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * I/O completion ports: NtCreateIoCompletion / NtOpenIoCompletion (named
 * and unnamed, rights and their generic mapping), NtSetIoCompletion and
 * NtRemoveIoCompletion (FIFO packets, time-outs zero, relative and
 * absolute, the outputs left alone on a time-out, a remove woken by
 * another thread, the most recent of two waiters served first, a waiter
 * that ends, NumberOfConcurrentThreads holding packets back while the
 * port's threads run), NtQueryIoCompletion (depth, class, exact length, alignment),
 * a wait on the port handle (signalled while packets are queued, taking
 * none), bad handles and rights, and files bound to a port with
 * FileCompletionInformation (a store-file read queues a packet with the
 * file's key and the read's ApcContext; none without an ApcContext; an
 * APC routine refused; a second binding refused).
 */
#include "ntfile.h"
#include "pstest.h"
#include "synch.h"
#include "ntdriver.h"

#define IO_COMPLETION_QUERY_STATE  0x0001u
#define IO_COMPLETION_MODIFY_STATE 0x0002u
#define IO_COMPLETION_ALL_ACCESS   0x001F0003u
#define READ_CONTROL               0x00020000u
#define GENERIC_EXECUTE            0x20000000u

#define IoCompletionBasicInformation 0
#define FileCompletionInformation    30

#define NTAPI_PORT_LONG_WAIT (-2000 * NTAPI_MS)

typedef struct _IO_COMPLETION_BASIC_INFORMATION {
    LONG Depth;
} IO_COMPLETION_BASIC_INFORMATION;

typedef struct _FILE_COMPLETION_INFORMATION {
    HANDLE Port;
    PVOID Key;
} FILE_COMPLETION_INFORMATION;
_Static_assert(sizeof(FILE_COMPLETION_INFORMATION) == 16, "FILE_COMPLETION_INFORMATION");

/* What a remove gave. */
typedef struct _NTAPI_PACKET {
    ULONG_PTR Key, ApcContext;
    IO_STATUS_BLOCK Iosb;
} NTAPI_PACKET;

static HANDLE NtapiPort(ACCESS_MASK Access)
{
    HANDLE Port = NULL;

    if (!NT_SUCCESS(NtCreateIoCompletion(&Port, Access, NULL, 0)))
        return NULL;
    return Port;
}

static LONG NtapiPortDepth(HANDLE Port)
{
    IO_COMPLETION_BASIC_INFORMATION Info = {-1};

    if (!NT_SUCCESS(
            NtQueryIoCompletion(Port, IoCompletionBasicInformation, &Info, sizeof(Info), NULL)))
        return -1;
    return Info.Depth;
}

/* Remove with a time-out in 100 ns units (0: poll; negative: relative). */
static NTSTATUS NtapiRemove(HANDLE Port, LONGLONG Timeout, NTAPI_PACKET *Packet)
{
    LARGE_INTEGER Time = {.QuadPart = Timeout};

    return NtRemoveIoCompletion(Port, &Packet->Key, &Packet->ApcContext, &Packet->Iosb, &Time);
}

static VOID NtapiPortSleepMs(LONG Ms)
{
    LARGE_INTEGER Delay = {.QuadPart = -Ms * NTAPI_MS};

    NtDelayExecution(FALSE, &Delay);
}

/* ---- creation and names -------------------------------------------------------------------- */

TEST(iocomp, create_unnamed_empty)
{
    HANDLE Port = NULL;

    CHECK_STATUS(NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, NULL, 0), STATUS_SUCCESS);
    CHECK(Port != NULL);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    CHECK_EQ(NtapiGrantedAccess(Port), IO_COMPLETION_ALL_ACCESS);
    CHECK_STATUS(NtClose(Port), STATUS_SUCCESS);
    /* Any number of concurrent threads is accepted. */
    CHECK_STATUS(NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, NULL, 1000), STATUS_SUCCESS);
    NtClose(Port);
}

TEST(iocomp, generic_mapping)
{
    static const ACCESS_MASK Asked[] = {GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL,
                                        MAXIMUM_ALLOWED};
    static const ACCESS_MASK Granted[] = {
        READ_CONTROL | IO_COMPLETION_QUERY_STATE, READ_CONTROL | IO_COMPLETION_MODIFY_STATE,
        READ_CONTROL | SYNCHRONIZE, IO_COMPLETION_ALL_ACCESS, IO_COMPLETION_ALL_ACCESS};

    for (ULONG i = 0; i < sizeof(Asked) / sizeof(Asked[0]); i++) {
        HANDLE Port = NtapiPort(Asked[i]);

        CHECK(Port != NULL);
        CHECK_EQ(NtapiGrantedAccess(Port), Granted[i]);
        NtClose(Port);
    }
}

TEST(iocomp, create_bad_handle_pointer)
{
    CHECK_STATUS(NtCreateIoCompletion(NULL, IO_COMPLETION_ALL_ACCESS, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateIoCompletion(NTAPI_READONLY_POINTER, IO_COMPLETION_ALL_ACCESS, NULL, 0),
                 STATUS_ACCESS_VIOLATION);
}

TEST(iocomp, named_create_open_collision)
{
    static WCHAR Name[] = L"\\BaseNamedObjects\\NtapiTestPort";
    UNICODE_STRING String = {sizeof(Name) - 2, sizeof(Name), Name};
    OBJECT_ATTRIBUTES Attributes;
    HANDLE First = NULL, Second = NULL, Third = NULL;
    NTAPI_PACKET Packet;

    NtapiInitializeObjectAttributes(&Attributes);
    Attributes.ObjectName = &String;
    CHECK_STATUS(NtCreateIoCompletion(&First, IO_COMPLETION_ALL_ACCESS, &Attributes, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtCreateIoCompletion(&Third, IO_COMPLETION_ALL_ACCESS, &Attributes, 0),
                 STATUS_OBJECT_NAME_COLLISION);
    CHECK_STATUS(NtOpenIoCompletion(&Second, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_SUCCESS);
    /* One port behind both handles. */
    CHECK_STATUS(NtSetIoCompletion(Second, 0x51, 0x52, STATUS_SUCCESS, 3), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(First), 1);
    CHECK_STATUS(NtapiRemove(First, 0, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0x51);
    /* Another type under the name, a port under an event's name. */
    CHECK_STATUS(NtOpenEvent(&Third, EVENT_ALL_ACCESS, &Attributes), STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(First);
    NtClose(Second);
    CHECK_STATUS(NtOpenIoCompletion(&Third, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_STATUS(NtCreateEvent(&Third, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtOpenIoCompletion(&Second, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Third);
}

TEST(iocomp, open_without_name)
{
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Port = NULL;

    NtapiInitializeObjectAttributes(&Attributes);
    /* As every open by name without a name (namespace.c). */
    CHECK_STATUS(NtOpenIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, &Attributes),
                 STATUS_OBJECT_PATH_SYNTAX_BAD);
}

/* ---- packets ----------------------------------------------------------------------------- */

TEST(iocomp, set_remove_fifo)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;

    for (ULONG i = 1; i <= 3; i++)
        CHECK_STATUS(NtSetIoCompletion(Port, 0x100 + i, 0x200 + i, (NTSTATUS)(0x10 + i), i * 7),
                     STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 3);
    for (ULONG i = 1; i <= 3; i++) {
        memset(&Packet, 0xcc, sizeof(Packet));
        CHECK_STATUS(NtapiRemove(Port, 0, &Packet), STATUS_SUCCESS);
        CHECK_EQ(Packet.Key, 0x100 + i);
        CHECK_EQ(Packet.ApcContext, 0x200 + i);
        CHECK_EQ(Packet.Iosb.Status, 0x10 + i);
        CHECK_EQ(Packet.Iosb.Information, i * 7);
        CHECK_EQ(NtapiPortDepth(Port), 3 - i);
    }
    NtClose(Port);
}

TEST(iocomp, packet_carries_any_status)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;

    /* The packet's status is data: the remove itself succeeds. */
    CHECK_STATUS(NtSetIoCompletion(Port, 0, 0, STATUS_ACCESS_VIOLATION, ~(ULONG_PTR)0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtRemoveIoCompletion(Port, &Packet.Key, &Packet.ApcContext, &Packet.Iosb, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0);
    CHECK_EQ(Packet.Iosb.Status, STATUS_ACCESS_VIOLATION);
    CHECK_EQ(Packet.Iosb.Information, ~(ULONG_PTR)0);
    NtClose(Port);
}

TEST(iocomp, zero_timeout_leaves_outputs)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet = {0x1111, 0x2222, {.Status = 0x3333, .Information = 0x4444}};

    CHECK_STATUS(NtapiRemove(Port, 0, &Packet), STATUS_TIMEOUT);
    CHECK_EQ(Packet.Key, 0x1111);
    CHECK_EQ(Packet.ApcContext, 0x2222);
    CHECK_EQ(Packet.Iosb.Status, 0x3333);
    CHECK_EQ(Packet.Iosb.Information, 0x4444);
    NtClose(Port);
}

TEST(iocomp, relative_timeout)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtapiRemove(Port, -20 * NTAPI_MS, &Packet), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 20 * NTAPI_MS);
    NtClose(Port);
}

TEST(iocomp, absolute_timeout)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;
    LARGE_INTEGER Now;
    LONGLONG Start = NtapiNow();

    CHECK_STATUS(NtQuerySystemTime(&Now), STATUS_SUCCESS);
    CHECK_STATUS(NtapiRemove(Port, Now.QuadPart - 1000 * NTAPI_MS, &Packet), STATUS_TIMEOUT);
    CHECK_STATUS(NtapiRemove(Port, Now.QuadPart + 20 * NTAPI_MS, &Packet), STATUS_TIMEOUT);
    CHECK(NtapiNow() - Start >= 15 * NTAPI_MS);
    NtClose(Port);
}

static HANDLE NtapiSetterPort;

static NTSTATUS NTAPI NtapiSetLater(PVOID Key)
{
    NtapiPortSleepMs(20);
    return NtSetIoCompletion(NtapiSetterPort, (ULONG_PTR)Key, 0x77, STATUS_SUCCESS, 9);
}

TEST(iocomp, remove_waits_for_another_thread)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), Thread = NULL;
    NTAPI_PACKET Packet;

    NtapiSetterPort = Port;
    if (!CHECK_STATUS(NtapiCreateThread(NtapiSetLater, (PVOID)0xBEEF, 0, &Thread), STATUS_SUCCESS))
        return;
    CHECK_STATUS(NtapiRemove(Port, NTAPI_PORT_LONG_WAIT, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0xBEEF);
    CHECK_EQ(Packet.ApcContext, 0x77);
    CHECK_EQ(Packet.Iosb.Information, 9);
    CHECK_STATUS(NtapiWaitThread(Thread), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    NtClose(Thread);
    NtClose(Port);
}

/* A waiter thread: its exit status is the key it was given. */
static NTSTATUS NTAPI NtapiRemoveKey(PVOID Port)
{
    NTAPI_PACKET Packet;
    NTSTATUS Status = NtapiRemove(Port, NTAPI_PORT_LONG_WAIT, &Packet);

    return NT_SUCCESS(Status) && Status != STATUS_TIMEOUT ? (NTSTATUS)Packet.Key : Status;
}

TEST(iocomp, most_recent_waiter_first)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), Older = NULL, Newer = NULL;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveKey, Port, 0, &Older), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10); /* it waits */
    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveKey, Port, 0, &Newer), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    CHECK_STATUS(NtSetIoCompletion(Port, 0x11, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtSetIoCompletion(Port, 0x22, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    /* Windows wakes waiters last in, first out. */
    CHECK_STATUS(NtapiWaitThread(Newer), 0x11);
    CHECK_STATUS(NtapiWaitThread(Older), 0x22);
    CHECK_EQ(NtapiPortDepth(Port), 0); /* both went to the waiters */
    NtClose(Older);
    NtClose(Newer);
    NtClose(Port);
}

static HANDLE NtapiBlockEvent;

/* A worker: takes a packet, then blocks on NtapiBlockEvent; its exit
 * status is the key. */
static NTSTATUS NTAPI NtapiRemoveThenBlock(PVOID Port)
{
    NTAPI_PACKET Packet;
    NTSTATUS Status = NtapiRemove(Port, NTAPI_PORT_LONG_WAIT, &Packet);

    if (!NT_SUCCESS(Status) || Status == STATUS_TIMEOUT)
        return Status;
    NtapiWait(NtapiBlockEvent, NTAPI_PORT_LONG_WAIT);
    return (NTSTATUS)Packet.Key;
}

/* NumberOfConcurrentThreads 1: while one of the port's threads runs, a
 * packet stays queued although another thread waits; when the running one
 * blocks elsewhere, the waiter gets it (Windows' concurrency control). */
TEST(iocomp, concurrency_one_running_thread)
{
    HANDLE Port = NULL, First = NULL, Second = NULL;

    NtapiBlockEvent = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    CHECK_STATUS(NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, NULL, 1), STATUS_SUCCESS);
    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveKey, Port, 0, &First), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    /* The worker runs first: it takes the first packet and stays running. */
    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveThenBlock, Port, 0, &Second), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    CHECK_STATUS(NtSetIoCompletion(Port, 0x11, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    /* Second (the most recent waiter) got 0x11 and counts as running: the
     * next packet is held back from First. */
    CHECK_STATUS(NtSetIoCompletion(Port, 0x22, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 1);
    /* Second blocks on the event: First gets 0x22. */
    NtapiPortSleepMs(20);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    CHECK_STATUS(NtapiWaitThread(First), 0x22);
    CHECK_STATUS(NtSetEvent(NtapiBlockEvent, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWaitThread(Second), 0x11);
    NtClose(First);
    NtClose(Second);
    NtClose(NtapiBlockEvent);
    NtClose(Port);
}

TEST(iocomp, concurrency_two_running_threads)
{
    HANDLE Port = NULL, First = NULL, Second = NULL;

    NtapiBlockEvent = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    CHECK_STATUS(NtCreateIoCompletion(&Port, IO_COMPLETION_ALL_ACCESS, NULL, 2), STATUS_SUCCESS);
    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveThenBlock, Port, 0, &First), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveThenBlock, Port, 0, &Second), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    /* Room for two: both packets go to waiters at once. */
    CHECK_STATUS(NtSetIoCompletion(Port, 0x11, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtSetIoCompletion(Port, 0x22, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    CHECK_STATUS(NtSetEvent(NtapiBlockEvent, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWaitThread(Second), 0x11);
    CHECK_STATUS(NtapiWaitThread(First), 0x22);
    NtClose(First);
    NtClose(Second);
    NtClose(NtapiBlockEvent);
    NtClose(Port);
}

/* A thread that ends while it waits in the remove takes nothing. */
TEST(iocomp, waiter_that_ends_takes_nothing)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), Thread = NULL;
    NTAPI_PACKET Packet;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiRemoveKey, Port, 0, &Thread), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    CHECK_STATUS(NtTerminateThread(Thread, 0x99), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWaitThread(Thread), 0x99);
    /* The ended waiter is gone: the packet stays queued. */
    CHECK_STATUS(NtSetIoCompletion(Port, 0x33, 0, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 1);
    CHECK_STATUS(NtapiRemove(Port, 0, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0x33);
    NtClose(Thread);
    NtClose(Port);
}

TEST(iocomp, close_with_packets_queued)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);

    for (ULONG i = 0; i < 100; i++)
        CHECK_STATUS(NtSetIoCompletion(Port, i, i, STATUS_SUCCESS, i), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 100);
    CHECK_STATUS(NtClose(Port), STATUS_SUCCESS);
}

/* Nereid's bound (Windows charges packets to the process's quota instead):
 * at most 65,536 packets queued in all ports; closing the port gives them
 * back. */
TEST(iocomp, packet_limit)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Queued = 0;

    while (Queued < 70000 && NT_SUCCESS(Status = NtSetIoCompletion(Port, Queued, 0, 0, 0)))
        Queued++;
    CHECK_STATUS(Status, STATUS_INSUFFICIENT_RESOURCES);
    CHECK_EQ(Queued, 65536);
    CHECK_EQ(NtapiPortDepth(Port), 65536);
    NtClose(Port);
    Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    CHECK_STATUS(NtSetIoCompletion(Port, 1, 0, 0, 0), STATUS_SUCCESS);
    NtClose(Port);
}

/* ---- NtQueryIoCompletion -----------------------------------------------------------------------
 */

TEST(iocomp, query_checks)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    struct {
        ULONG Pad;
        IO_COMPLETION_BASIC_INFORMATION Info;
        UCHAR Odd[5];
    } Buffer;
    ULONG Length = 77;

    CHECK_STATUS(NtSetIoCompletion(Port, 1, 2, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryIoCompletion(Port, IoCompletionBasicInformation, &Buffer.Info,
                                     sizeof(Buffer.Info), &Length),
                 STATUS_SUCCESS);
    CHECK_EQ(Buffer.Info.Depth, 1);
    CHECK_EQ(Length, sizeof(IO_COMPLETION_BASIC_INFORMATION));
    /* Class, then the exact length, then the buffer, then the handle;
     * ReturnLength only on success. */
    Length = 77;
    CHECK_STATUS(NtQueryIoCompletion(NULL, 1, &Buffer.Info, 4, &Length), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtQueryIoCompletion(NULL, IoCompletionBasicInformation, &Buffer.Info, 8, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtQueryIoCompletion(NULL, IoCompletionBasicInformation, &Buffer.Info, 3, &Length),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_EQ(Length, 77);
    CHECK_STATUS(NtQueryIoCompletion(NULL, IoCompletionBasicInformation, &Buffer.Odd[1], 4, NULL),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtQueryIoCompletion(NULL, IoCompletionBasicInformation, NULL, 4, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        NtQueryIoCompletion(Port, IoCompletionBasicInformation, NTAPI_READONLY_POINTER, 4, NULL),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQueryIoCompletion(NULL, IoCompletionBasicInformation, &Buffer.Info, 4, &Length),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtQueryIoCompletion(Port, IoCompletionBasicInformation, &Buffer.Info, 4,
                                     (PULONG)&Buffer.Odd[1]),
                 STATUS_DATATYPE_MISALIGNMENT);
    NtClose(Port);
}

/* ---- rights and handles ------------------------------------------------------------------------
 */

TEST(iocomp, handle_rights)
{
    HANDLE Query = NtapiPort(IO_COMPLETION_QUERY_STATE);
    HANDLE Modify = NtapiPort(IO_COMPLETION_MODIFY_STATE);
    IO_COMPLETION_BASIC_INFORMATION Info;
    NTAPI_PACKET Packet;

    CHECK_STATUS(NtSetIoCompletion(Query, 1, 1, STATUS_SUCCESS, 0), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiRemove(Query, 0, &Packet), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtQueryIoCompletion(Query, 0, &Info, sizeof(Info), NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtSetIoCompletion(Modify, 1, 1, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiRemove(Modify, 0, &Packet), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryIoCompletion(Modify, 0, &Info, sizeof(Info), NULL), STATUS_ACCESS_DENIED);
    /* No SYNCHRONIZE: no wait on the handle. */
    CHECK_STATUS(NtapiWait(Modify, 0), STATUS_ACCESS_DENIED);
    NtClose(Query);
    NtClose(Modify);
}

TEST(iocomp, bad_handles)
{
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    IO_COMPLETION_BASIC_INFORMATION Info;
    NTAPI_PACKET Packet;

    CHECK_STATUS(NtSetIoCompletion(NULL, 1, 1, STATUS_SUCCESS, 0), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSetIoCompletion((HANDLE)(ULONG_PTR)0x7777770, 1, 1, STATUS_SUCCESS, 0),
                 STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtSetIoCompletion(Event, 1, 1, STATUS_SUCCESS, 0), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtSetIoCompletion(NtCurrentProcess(), 1, 1, STATUS_SUCCESS, 0),
                 STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiRemove(NULL, 0, &Packet), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiRemove(Event, 0, &Packet), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtQueryIoCompletion(Event, 0, &Info, sizeof(Info), NULL),
                 STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Event);
}

TEST(iocomp, remove_bad_pointers)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;
    LARGE_INTEGER Zero = {.QuadPart = 0};

    CHECK_STATUS(NtSetIoCompletion(Port, 1, 1, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtRemoveIoCompletion(Port, NULL, &Packet.ApcContext, &Packet.Iosb, &Zero),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(
        NtRemoveIoCompletion(Port, &Packet.Key, NTAPI_READONLY_POINTER, &Packet.Iosb, &Zero),
        STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtRemoveIoCompletion(Port, &Packet.Key, &Packet.ApcContext,
                                      (PIO_STATUS_BLOCK)((PUCHAR)&Packet.Iosb + 4), &Zero),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtRemoveIoCompletion(Port, &Packet.Key, &Packet.ApcContext, &Packet.Iosb,
                                      NTAPI_BAD_POINTER),
                 STATUS_ACCESS_VIOLATION);
    /* None of them took the packet. */
    CHECK_EQ(NtapiPortDepth(Port), 1);
    NtClose(Port);
}

/* ---- waits on the port handle --------------------------------------------------------------- */

TEST(iocomp, wait_on_port_handle)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    NTAPI_PACKET Packet;

    CHECK_STATUS(NtapiWait(Port, 0), STATUS_TIMEOUT);
    CHECK_STATUS(NtSetIoCompletion(Port, 5, 6, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    /* Signalled while a packet is queued; the wait takes none. */
    CHECK_STATUS(NtapiWait(Port, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Port, 0), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 1);
    CHECK_STATUS(NtapiRemove(Port, 0, &Packet), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWait(Port, 0), STATUS_TIMEOUT);
    NtClose(Port);
}

static NTSTATUS NTAPI NtapiWaitOnPort(PVOID Port)
{
    return NtapiWait(Port, NTAPI_PORT_LONG_WAIT);
}

TEST(iocomp, wait_on_port_woken_by_set)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), Thread = NULL;

    if (!CHECK_STATUS(NtapiCreateThread(NtapiWaitOnPort, Port, 0, &Thread), STATUS_SUCCESS))
        return;
    NtapiPortSleepMs(10);
    CHECK_STATUS(NtSetIoCompletion(Port, 5, 6, STATUS_SUCCESS, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtapiWaitThread(Thread), STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 1);
    NtClose(Thread);
    NtClose(Port);
}

/* ---- files bound to a port ----------------------------------------------------------------- */

static HANDLE NtapiOpenAsyncHello(VOID)
{
    HANDLE File = NULL;

    /* Not FILE_SYNCHRONOUS_IO_*: reads give their offset. */
    if (!NT_SUCCESS(NtapiOpenSystemFile(L"hello.exe", FILE_READ_DATA | SYNCHRONIZE, 0, &File)))
        return NULL;
    return File;
}

static NTSTATUS NtapiBind(HANDLE File, HANDLE Port, ULONG_PTR Key)
{
    FILE_COMPLETION_INFORMATION Info = {Port, (PVOID)Key};
    IO_STATUS_BLOCK Iosb;

    return NtSetInformationFile(File, &Iosb, &Info, sizeof(Info), FileCompletionInformation);
}

TEST(iocomp, file_read_queues_packet)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), File = NtapiOpenAsyncHello();
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 7};
    LARGE_INTEGER Offset = {.QuadPart = 0};
    NTAPI_PACKET Packet;
    UCHAR Buffer[16];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtapiBind(File, Port, 0x5150), STATUS_SUCCESS);
    CHECK_STATUS(NtReadFile(File, NULL, NULL, (PVOID)0xABCD, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(Iosb.Information, 16);
    CHECK(Buffer[0] == 'M' && Buffer[1] == 'Z');
    CHECK_EQ(NtapiPortDepth(Port), 1);
    CHECK_STATUS(NtapiRemove(Port, 0, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0x5150);
    CHECK_EQ(Packet.ApcContext, 0xABCD);
    CHECK_EQ(Packet.Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Packet.Iosb.Information, 16);
    /* No ApcContext: no packet (Win32's OVERLAPPED.hEvent with bit 0 set). */
    CHECK_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, 16, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    NtClose(File);
    NtClose(Port);
}

TEST(iocomp, file_port_outlives_its_handle)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), File = NtapiOpenAsyncHello(), Copy = NULL;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset = {.QuadPart = 2};
    NTAPI_PACKET Packet;
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtapiBind(File, Port, 7), STATUS_SUCCESS);
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), Port, NtCurrentProcess(), &Copy, 0, 0,
                                   DUPLICATE_SAME_ACCESS),
                 STATUS_SUCCESS);
    NtClose(Port);
    /* The file's binding keeps the port: the packet reaches the copy. */
    CHECK_STATUS(NtReadFile(File, NULL, NULL, (PVOID)1, &Iosb, Buffer, 4, &Offset, NULL),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtapiRemove(Copy, 0, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 7);
    CHECK_EQ(Packet.Iosb.Information, 4);
    NtClose(File);
    NtClose(Copy);
}

TEST(iocomp, file_bind_checks)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), File = NtapiOpenAsyncHello();
    HANDLE Other = NtapiPort(IO_COMPLETION_ALL_ACCESS);
    HANDLE QueryOnly = NtapiPort(IO_COMPLETION_QUERY_STATE);
    HANDLE Event = NtapiEvent(EVENT_ALL_ACCESS, NotificationEvent, FALSE);
    FILE_COMPLETION_INFORMATION Info = {Port, (PVOID)1};
    IO_STATUS_BLOCK Iosb;

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtSetInformationFile(File, &Iosb, &Info, 8, FileCompletionInformation),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtapiBind(File, NULL, 1), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtapiBind(File, Event, 1), STATUS_OBJECT_TYPE_MISMATCH);
    CHECK_STATUS(NtapiBind(File, QueryOnly, 1), STATUS_ACCESS_DENIED);
    CHECK_STATUS(NtapiBind(Port, Port, 1), STATUS_OBJECT_TYPE_MISMATCH); /* not a file */
    Iosb.Status = -1;
    CHECK_STATUS(NtapiBind(File, Port, 1), STATUS_SUCCESS);
    /* Once for the file's life. */
    CHECK_STATUS(NtapiBind(File, Port, 2), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtapiBind(File, Other, 2), STATUS_INVALID_PARAMETER);
    NtClose(File);
    NtClose(Port);
    NtClose(Other);
    NtClose(QueryOnly);
    NtClose(Event);
}

static VOID NTAPI NtapiNoApc(PVOID Context, PIO_STATUS_BLOCK Iosb, ULONG Reserved)
{
    (VOID) Context, (VOID)Iosb, (VOID)Reserved;
}

TEST(iocomp, file_bound_refuses_apc_routine)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS), File = NtapiOpenAsyncHello();
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 7};
    LARGE_INTEGER Offset = {.QuadPart = 0};
    UCHAR Buffer[4];

    if (!CHECK(File != NULL))
        return;
    CHECK_STATUS(NtapiBind(File, Port, 1), STATUS_SUCCESS);
    CHECK_STATUS(
        NtReadFile(File, NULL, (PVOID)NtapiNoApc, (PVOID)1, &Iosb, Buffer, 4, &Offset, NULL),
        STATUS_INVALID_PARAMETER);
    CHECK_EQ(Iosb.Status, -1); /* nothing completed */
    CHECK_EQ(NtapiPortDepth(Port), 0);
    NtClose(File);
    NtClose(Port);
}

/* Device files (\Device\Null, the null driver in its driver process):
 * a write that completes queues {key, ApcContext, SUCCESS, bytes}; none
 * without an ApcContext; a read at the end fails at once (END_OF_FILE,
 * not pending), which Windows reports through the return value only: no
 * packet; an APC routine on the bound file is refused before the IRP. */
TEST(iocomp, device_file_completions)
{
    HANDLE Port = NtapiPort(IO_COMPLETION_ALL_ACCESS),
           File = NtapiLoadAndOpen(L"Null", L"\\Device\\Null");
    IO_STATUS_BLOCK Iosb = {.Status = -1, .Information = 7};
    LARGE_INTEGER Offset = {.QuadPart = 0};
    NTAPI_PACKET Packet;
    UCHAR Buffer[8] = {0};
    NTSTATUS Status;

    if (File == NULL)
        goto out;
    CHECK_STATUS(NtapiBind(File, Port, 0x600D), STATUS_SUCCESS);
    Status = NtWriteFile(File, NULL, NULL, (PVOID)0x42, &Iosb, Buffer, 8, &Offset, NULL);
    CHECK(Status == STATUS_SUCCESS || Status == STATUS_PENDING);
    CHECK_STATUS(NtapiRemove(Port, NTAPI_PORT_LONG_WAIT, &Packet), STATUS_SUCCESS);
    CHECK_EQ(Packet.Key, 0x600D);
    CHECK_EQ(Packet.ApcContext, 0x42);
    CHECK_EQ(Packet.Iosb.Status, STATUS_SUCCESS);
    CHECK_EQ(Packet.Iosb.Information, 8);
    CHECK_EQ(Iosb.Information, 8);
    /* No ApcContext: no packet. */
    Status = NtWriteFile(File, NULL, NULL, NULL, &Iosb, Buffer, 8, &Offset, NULL);
    CHECK(Status == STATUS_SUCCESS || Status == STATUS_PENDING);
    CHECK_STATUS(NtapiRemove(Port, -50 * NTAPI_MS, &Packet), STATUS_TIMEOUT);
    /* A synchronous failure: no packet. */
    CHECK_STATUS(NtReadFile(File, NULL, NULL, (PVOID)0x43, &Iosb, Buffer, 8, &Offset, NULL),
                 STATUS_END_OF_FILE);
    CHECK_STATUS(NtapiRemove(Port, -50 * NTAPI_MS, &Packet), STATUS_TIMEOUT);
    /* An APC routine on a bound file. */
    CHECK_STATUS(
        NtWriteFile(File, NULL, (PVOID)NtapiNoApc, (PVOID)1, &Iosb, Buffer, 8, &Offset, NULL),
        STATUS_INVALID_PARAMETER);
    CHECK_STATUS(NtDeviceIoControlFile(File, NULL, (PVOID)NtapiNoApc, (PVOID)1, &Iosb, 0x00220000,
                                       NULL, 0, NULL, 0),
                 STATUS_INVALID_PARAMETER);
    CHECK_EQ(NtapiPortDepth(Port), 0);
    NtClose(File);
out:
    NtClose(Port);
}
