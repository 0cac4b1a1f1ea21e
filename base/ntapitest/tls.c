/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Static TLS of the program itself: ntapitest.exe has a TLS directory
 * (_tls_used, which the linker names in the image's TLS entry) with a
 * template and a callback, so at start-up the loader must have written its
 * index, given this thread a private copy of the template (raw data, then
 * SizeOfZeroFill zeros) in TEB->ThreadLocalStoragePointer, and called the
 * callback with DLL_PROCESS_ATTACH before the entry point. Per-thread
 * copies and DLL_THREAD_ATTACH/DETACH are seen with a second thread.
 */
#include "ntapitest.h"

NTSYSAPI PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage,
                                                  USHORT Directory, PULONG Size);

#define TLSTEST_ZERO_FILL         24
#define TLSTEST_THREAD_ALL_ACCESS 0x001fffffu

typedef struct _TLSTEST_DATA {
    ULONGLONG Magic;
    ULONG Values[6];
} TLSTEST_DATA;

typedef struct _TLSTEST_CALL {
    PVOID Base;
    ULONG Reason;
    HANDLE ThreadId;
} TLSTEST_CALL;

static TLSTEST_DATA TlsTestTemplate = {0x0123456789abcdefull, {1, 2, 3, 4, 5, 6}};
ULONG _tls_index = 0x7777; /* the loader overwrites it */
#define TLSTEST_CALLS 64   /* a ring: other tests' threads call it too */
static TLSTEST_CALL TlsTestCalls[TLSTEST_CALLS];
static TLSTEST_CALL TlsTestFirstCall;
static volatile ULONG TlsTestCallCount;

static VOID NTAPI TlsTestCallback(PVOID Base, ULONG Reason, PVOID Reserved)
{
    TLSTEST_CALL *Call = &TlsTestCalls[TlsTestCallCount % TLSTEST_CALLS];

    (void)Reserved;
    Call->Base = Base;
    Call->Reason = Reason;
    Call->ThreadId = NtCurrentTeb()->ClientId.UniqueThread;
    if (TlsTestCallCount == 0)
        TlsTestFirstCall = *Call;
    TlsTestCallCount++;
}

static PIMAGE_TLS_CALLBACK const TlsTestCallbacks[] = {TlsTestCallback, NULL};
const IMAGE_TLS_DIRECTORY64 _tls_used = {
    (ULONGLONG)&TlsTestTemplate, (ULONGLONG)(&TlsTestTemplate + 1),
    (ULONGLONG)&_tls_index,      (ULONGLONG)TlsTestCallbacks,
    TLSTEST_ZERO_FILL,           0};

static TLSTEST_DATA *TlsTestThreadData(void)
{
    PVOID *Vector = NtCurrentTeb()->ThreadLocalStoragePointer;

    return Vector && _tls_index < 64 ? Vector[_tls_index] : NULL;
}

static PVOID TlsTestImageBase(void)
{
    return NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress;
}

TEST(tls, directory_is_in_the_image)
{
    ULONG Size = 0;
    PVOID Directory = RtlImageDirectoryEntryToData(TlsTestImageBase(), TRUE, 9, &Size);

    CHECK_EQ(Directory, &_tls_used);
    CHECK_EQ(Size, sizeof(IMAGE_TLS_DIRECTORY64));
}

TEST(tls, index_written_and_vector_set)
{
    PLDR_DATA_TABLE_ENTRY Module = NULL;

    CHECK(_tls_index != 0x7777);
    CHECK(_tls_index < 64);
    CHECK(NtCurrentTeb()->ThreadLocalStoragePointer != NULL);
    CHECK_STATUS(LdrFindEntryForAddress((PVOID)TlsTestThreadData, &Module), STATUS_SUCCESS);
    CHECK(Module && Module->TlsIndex == _tls_index);
}

TEST(tls, thread_copy_of_the_template)
{
    TLSTEST_DATA *Data = TlsTestThreadData();
    PUCHAR Fill;
    ULONG Index;

    if (!CHECK(Data != NULL))
        return;
    CHECK(Data != &TlsTestTemplate);
    CHECK_EQ(((ULONG_PTR)Data) & 7, 0);
    CHECK_EQ(Data->Magic, 0x0123456789abcdefull);
    for (Index = 0; Index < 6; Index++)
        CHECK_EQ(Data->Values[Index], Index + 1);
    Fill = (PUCHAR)(Data + 1);
    for (Index = 0; Index < TLSTEST_ZERO_FILL; Index++)
        CHECK_EQ(Fill[Index], 0);
}

TEST(tls, thread_copy_is_private)
{
    TLSTEST_DATA *Data = TlsTestThreadData();

    if (!CHECK(Data != NULL))
        return;
    Data->Values[0] = 99;
    CHECK_EQ(TlsTestTemplate.Values[0], 1);
    CHECK_EQ(TlsTestThreadData()->Values[0], 99);
    Data->Values[0] = 1;
}

TEST(tls, callback_saw_process_attach)
{
    CHECK(TlsTestCallCount >= 1);
    CHECK_EQ(TlsTestFirstCall.Reason, 1); /* DLL_PROCESS_ATTACH, first */
    CHECK_EQ(TlsTestFirstCall.Base, TlsTestImageBase());
    CHECK_EQ(TlsTestFirstCall.ThreadId, NtCurrentTeb()->ClientId.UniqueThread);
}

static volatile LONG TlsTestWorkerValue;
static volatile PVOID TlsTestWorkerData;

static NTSTATUS NTAPI TlsTestWorker(PVOID Parameter)
{
    TLSTEST_DATA *Data = TlsTestThreadData();

    (void)Parameter;
    TlsTestWorkerData = Data;
    TlsTestWorkerValue = Data ? (LONG)Data->Values[0] : -1;
    return STATUS_SUCCESS;
}

TEST(tls, new_thread_gets_its_own_copy)
{
    HANDLE Thread = NULL;
    ULONG Before = TlsTestCallCount, Index;
    BOOLEAN Attach = FALSE, Detach = FALSE;

    TlsTestThreadData()->Values[0] = 42; /* this thread's copy only */
    if (!CHECK_STATUS(NtCreateThreadEx(&Thread, TLSTEST_THREAD_ALL_ACCESS, NULL, NtCurrentProcess(),
                                       (PVOID)TlsTestWorker, NULL, 0, 0, 0, 0, NULL),
                      STATUS_SUCCESS))
        goto out;
    CHECK_STATUS(NtWaitForSingleObject(Thread, FALSE, NULL), STATUS_SUCCESS);
    CHECK(TlsTestWorkerData != NULL);
    CHECK(TlsTestWorkerData != TlsTestThreadData());
    CHECK_EQ(TlsTestWorkerValue, 1); /* the template's, not ours */
    CHECK(TlsTestCallCount - Before <= TLSTEST_CALLS);
    for (Index = Before; Index < TlsTestCallCount; Index++) {
        TLSTEST_CALL *Call = &TlsTestCalls[Index % TLSTEST_CALLS];
        Attach |= Call->Reason == 2 && Call->ThreadId != NtCurrentTeb()->ClientId.UniqueThread;
        Detach |= Call->Reason == 3 && Call->ThreadId != NtCurrentTeb()->ClientId.UniqueThread;
    }
    CHECK(Attach);
    CHECK(Detach);
    NtClose(Thread);
out:
    TlsTestThreadData()->Values[0] = 1;
}
