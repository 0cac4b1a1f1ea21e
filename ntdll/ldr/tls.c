/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Static TLS of loaded images (IMAGE_TLS_DIRECTORY64, nt-abi §4.4). Each
 * module with a TLS directory gets an index (written to *AddressOfIndex,
 * kept in its entry's TlsIndex); each thread gets a vector of
 * LDRP_TLS_SLOTS pointers (TEB->ThreadLocalStoragePointer) whose slot
 * Index points at the thread's copy of that module's template (the raw
 * data, then SizeOfZeroFill zero bytes), allocated from the process heap.
 * The loader keeps every thread's vector on a list, so a DLL loaded later
 * gets its copy in every thread and an unloaded one gives them back.
 * TLS callbacks (AddressOfCallBacks, a NULL-terminated array of VAs) are
 * called with the module's base and the reason. The directory's VAs are
 * checked against the image before use. Callers hold the loader lock.
 */
#include "ldrp.h"

#define LDRP_TLS_SLOTS 64

typedef struct _LDRP_TLS_VECTOR {
    LIST_ENTRY Links;
    HANDLE ThreadId;
    PVOID Slots[LDRP_TLS_SLOTS];
} LDRP_TLS_VECTOR, *PLDRP_TLS_VECTOR;

static PLDR_DATA_TABLE_ENTRY LdrpTlsModules[LDRP_TLS_SLOTS];
static LIST_ENTRY LdrpTlsVectors = {&LdrpTlsVectors, &LdrpTlsVectors};

/* A VA inside the module: its RVA checked for Length bytes, or NULL. */
static PVOID LdrpImageVa(PLDR_DATA_TABLE_ENTRY Module, ULONGLONG Va, SIZE_T Length)
{
    ULONGLONG Rva = Va - (ULONG_PTR)Module->DllBase;

    if (Va < (ULONG_PTR)Module->DllBase || Rva > 0xffffffffull)
        return NULL;
    return LdrpImageRange(Module, (ULONG)Rva, Length);
}

/* The module's TLS directory, checked, or NULL (none, or a bad one with
 * *Status set). */
static PIMAGE_TLS_DIRECTORY64 LdrpTlsDirectory(PLDR_DATA_TABLE_ENTRY Module, NTSTATUS *Status)
{
    PIMAGE_TLS_DIRECTORY64 Tls;
    ULONG Rva, Size;

    *Status = LdrpImageDirectory(Module, IMAGE_DIRECTORY_ENTRY_TLS, (PVOID *)&Tls, &Rva, &Size);
    if (!NT_SUCCESS(*Status) || !Tls)
        return NULL;
    if (Size < sizeof(*Tls) || !LdrpImageRange(Module, Rva, sizeof(*Tls)) ||
        Tls->EndAddressOfRawData < Tls->StartAddressOfRawData ||
        (Tls->EndAddressOfRawData > Tls->StartAddressOfRawData &&
         !LdrpImageVa(Module, Tls->StartAddressOfRawData,
                      Tls->EndAddressOfRawData - Tls->StartAddressOfRawData)) ||
        (Tls->AddressOfIndex && !LdrpImageVa(Module, Tls->AddressOfIndex, sizeof(ULONG))) ||
        Tls->SizeOfZeroFill > 0x1000000) {
        DbgPrint("LDR: %wZ has a bad TLS directory\n", &Module->BaseDllName);
        *Status = STATUS_INVALID_IMAGE_FORMAT;
        return NULL;
    }
    return Tls;
}

/* A new copy of Module's template for one thread. */
static PVOID LdrpTlsBlock(PLDR_DATA_TABLE_ENTRY Module)
{
    NTSTATUS Status;
    PIMAGE_TLS_DIRECTORY64 Tls = LdrpTlsDirectory(Module, &Status);
    SIZE_T Raw = Tls->EndAddressOfRawData - Tls->StartAddressOfRawData;
    PUCHAR Block = RtlAllocateHeap(LdrpHeap(), 0, Raw + Tls->SizeOfZeroFill + 1);

    if (!Block)
        return NULL;
    memcpy(Block, (PVOID)(ULONG_PTR)Tls->StartAddressOfRawData, Raw);
    memset(Block + Raw, 0, Tls->SizeOfZeroFill + 1);
    return Block;
}

NTSTATUS LdrpAddTlsModule(PLDR_DATA_TABLE_ENTRY Module)
{
    PIMAGE_TLS_DIRECTORY64 Tls;
    PLIST_ENTRY Link;
    NTSTATUS Status;
    ULONG Index;

    Tls = LdrpTlsDirectory(Module, &Status);
    if (!Tls)
        return Status;
    for (Index = 0; Index < LDRP_TLS_SLOTS && LdrpTlsModules[Index]; Index++)
        ;
    if (Index == LDRP_TLS_SLOTS)
        return STATUS_NO_MEMORY; /* FIXME: a growable vector */
    for (Link = LdrpTlsVectors.Flink; Link != &LdrpTlsVectors; Link = Link->Flink) {
        PLDRP_TLS_VECTOR Vector = (PLDRP_TLS_VECTOR)Link;
        Vector->Slots[Index] = LdrpTlsBlock(Module);
        if (!Vector->Slots[Index])
            goto nomemory;
    }
    LdrpTlsModules[Index] = Module;
    Module->TlsIndex = (USHORT)Index;
    if (Tls->AddressOfIndex)
        *(PULONG)(ULONG_PTR)Tls->AddressOfIndex = Index;
    return STATUS_SUCCESS;
nomemory:
    for (Link = LdrpTlsVectors.Flink; Link != &LdrpTlsVectors; Link = Link->Flink) {
        PLDRP_TLS_VECTOR Vector = (PLDRP_TLS_VECTOR)Link;
        RtlFreeHeap(LdrpHeap(), 0, Vector->Slots[Index]);
        Vector->Slots[Index] = NULL;
    }
    return STATUS_NO_MEMORY;
}

VOID LdrpRemoveTlsModule(PLDR_DATA_TABLE_ENTRY Module)
{
    ULONG Index = Module->TlsIndex;
    PLIST_ENTRY Link;

    if (Index >= LDRP_TLS_SLOTS || LdrpTlsModules[Index] != Module)
        return;
    for (Link = LdrpTlsVectors.Flink; Link != &LdrpTlsVectors; Link = Link->Flink) {
        PLDRP_TLS_VECTOR Vector = (PLDRP_TLS_VECTOR)Link;
        RtlFreeHeap(LdrpHeap(), 0, Vector->Slots[Index]);
        Vector->Slots[Index] = NULL;
    }
    LdrpTlsModules[Index] = NULL;
    Module->TlsIndex = 0;
}

NTSTATUS LdrpAllocateThreadTls(void)
{
    PLDRP_TLS_VECTOR Vector = RtlAllocateHeap(LdrpHeap(), HEAP_ZERO_MEMORY, sizeof(*Vector));
    PTEB Teb = NtdllpCurrentTeb();
    ULONG Index;

    if (!Vector)
        return STATUS_NO_MEMORY;
    Vector->ThreadId = Teb->ClientId.UniqueThread;
    for (Index = 0; Index < LDRP_TLS_SLOTS; Index++) {
        if (!LdrpTlsModules[Index])
            continue;
        Vector->Slots[Index] = LdrpTlsBlock(LdrpTlsModules[Index]);
        if (!Vector->Slots[Index])
            goto nomemory;
    }
    Vector->Links.Flink = &LdrpTlsVectors;
    Vector->Links.Blink = LdrpTlsVectors.Blink;
    LdrpTlsVectors.Blink->Flink = &Vector->Links;
    LdrpTlsVectors.Blink = &Vector->Links;
    Teb->ThreadLocalStoragePointer = Vector->Slots;
    return STATUS_SUCCESS;
nomemory:
    while (Index--)
        RtlFreeHeap(LdrpHeap(), 0, Vector->Slots[Index]);
    RtlFreeHeap(LdrpHeap(), 0, Vector);
    return STATUS_NO_MEMORY;
}

VOID LdrpFreeThreadTls(void)
{
    PTEB Teb = NtdllpCurrentTeb();
    PLDRP_TLS_VECTOR Vector;
    ULONG Index;

    if (!Teb->ThreadLocalStoragePointer)
        return;
    Vector = (PLDRP_TLS_VECTOR)((PUCHAR)Teb->ThreadLocalStoragePointer -
                                offsetof(LDRP_TLS_VECTOR, Slots));
    Teb->ThreadLocalStoragePointer = NULL;
    Vector->Links.Blink->Flink = Vector->Links.Flink;
    Vector->Links.Flink->Blink = Vector->Links.Blink;
    for (Index = 0; Index < LDRP_TLS_SLOTS; Index++)
        RtlFreeHeap(LdrpHeap(), 0, Vector->Slots[Index]);
    RtlFreeHeap(LdrpHeap(), 0, Vector);
}

VOID LdrpCallTlsCallbacks(PLDR_DATA_TABLE_ENTRY Module, ULONG Reason)
{
    NTSTATUS Status;
    PIMAGE_TLS_DIRECTORY64 Tls = LdrpTlsDirectory(Module, &Status);
    PULONGLONG Callback;
    ULONG Count;

    if (!Tls || !Tls->AddressOfCallBacks)
        return;
    for (Count = 0; Count < 256; Count++) {
        Callback = LdrpImageVa(Module, Tls->AddressOfCallBacks + Count * 8ull, 8);
        if (!Callback || !*Callback)
            return;
        if (!LdrpImageVa(Module, *Callback, 1)) {
            DbgPrint("LDR: %wZ: TLS callback %p lies outside the image\n", &Module->BaseDllName,
                     (PVOID)(ULONG_PTR)*Callback);
            return;
        }
        ((PIMAGE_TLS_CALLBACK)(ULONG_PTR)*Callback)(Module->DllBase, Reason, NULL);
    }
}
