/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Safe access to a process's memory, and its page faults. ntos reads and
 * writes user memory page by page through the physmap: each page is looked
 * up in the software page table (materialising demand-zero pages), so a
 * bad address, length or protection gives STATUS_ACCESS_VIOLATION and
 * never a fault in ntos. The same lookup serves the VM faults of user
 * threads.
 */
#include "mi.h"

/* True when [Start, Start + Length) is a non-wrapping range of user space. */
static bool MiUserRange(ULONG_PTR Start, SIZE_T Length)
{
    return Start <= MM_USER_TOP && Length <= MM_USER_TOP - Start + 1;
}

/* The ntos address of user address Va, or NULL. */
static char *MiUserPointer(PEPROCESS Process, ULONG_PTR Va, bool Write)
{
    PMMPFN Pfn;

    if (Process == NULL || Process->AddressSpace == NULL)
        return NULL;
    Pfn = MmLookupUserPage(Process->AddressSpace, Va, Write);
    if (Pfn == NULL)
        return NULL;
    return (char *)MmPageAddress(Pfn) + (Va & (PAGE_SIZE - 1));
}

static bool MiGrowCallerStack(PEPROCESS Process, ULONG_PTR Va);

/* Copy Length bytes between ntos memory and user memory at Va. */
static NTSTATUS MiCopyUser(PEPROCESS Process, ULONG_PTR Va, void *Buffer, SIZE_T Length,
                           bool ToUser)
{
    char *Local = Buffer;

    if (Length == 0)
        return STATUS_SUCCESS;
    if (!MiUserRange(Va, Length))
        return STATUS_ACCESS_VIOLATION;
    while (Length > 0) {
        SIZE_T Chunk = PAGE_SIZE - (Va & (PAGE_SIZE - 1));
        char *User = MiUserPointer(Process, Va, ToUser);
        if (User == NULL && MiGrowCallerStack(Process, Va))
            User = MiUserPointer(Process, Va, ToUser);
        if (Chunk > Length)
            Chunk = Length;
        if (User == NULL)
            return STATUS_ACCESS_VIOLATION;
        if (ToUser)
            memcpy(User, Local, Chunk);
        else
            memcpy(Local, User, Chunk);
        Va += Chunk;
        Local += Chunk;
        Length -= Chunk;
    }
    return STATUS_SUCCESS;
}

NTSTATUS MmCopyFromUser(PEPROCESS Process, void *Dst, ULONG_PTR UserSrc, SIZE_T Len)
{
    return MiCopyUser(Process, UserSrc, Dst, Len, false);
}

NTSTATUS MmCopyToUser(PEPROCESS Process, ULONG_PTR UserDst, const void *Src, SIZE_T Len)
{
    return MiCopyUser(Process, UserDst, (void *)Src, Len, true);
}

/* The bytes a read of Va finds: a committed page never touched reads as
 * zeroes without being materialised, so reading a large untouched range
 * costs no memory. */
static const char *MiReadPointer(PEPROCESS Process, ULONG_PTR Va)
{
    static const char MiZeroPage[PAGE_SIZE];
    MMPTE *Pte;

    if (Process == NULL || Process->AddressSpace == NULL || Va > MM_USER_TOP)
        return NULL;
    Pte = MiGetPte(Process->AddressSpace, PAGE_ALIGN_DOWN(Va), false);
    if (Pte && (Pte->Flags & MI_PTE_COMMITTED) && Pte->Pfn == NULL &&
        MiProtectionAllows(Pte->Protect, false)) {
        MMVAD *Vad = MiFindVad(Process->AddressSpace, Va);
        if (Vad && Vad->Section == NULL) /* a view's page comes from its section */
            return MiZeroPage + (Va & (PAGE_SIZE - 1));
    }
    return MiUserPointer(Process, Va, false);
}

/*
 * Copy between two processes' memory (NtReadVirtualMemory,
 * NtWriteVirtualMemory), one piece at a time so that no piece crosses a
 * page of either side: *Copied counts the bytes done, exactly, when a page
 * of either side is not accessible (STATUS_PARTIAL_COPY).
 */
NTSTATUS MiCopyProcessMemory(PEPROCESS From, ULONG_PTR FromVa, PEPROCESS To, ULONG_PTR ToVa,
                             SIZE_T Length, SIZE_T *Copied)
{
    *Copied = 0;
    if (!MiUserRange(FromVa, Length) || !MiUserRange(ToVa, Length))
        return STATUS_ACCESS_VIOLATION;
    while (*Copied < Length) {
        SIZE_T Chunk = Length - *Copied;
        const char *Source;
        char *Target;

        if (Chunk > PAGE_SIZE - (FromVa & (PAGE_SIZE - 1)))
            Chunk = PAGE_SIZE - (FromVa & (PAGE_SIZE - 1));
        if (Chunk > PAGE_SIZE - (ToVa & (PAGE_SIZE - 1)))
            Chunk = PAGE_SIZE - (ToVa & (PAGE_SIZE - 1));
        Source = MiReadPointer(From, FromVa);
        Target = Source ? MiUserPointer(To, ToVa, true) : NULL;
        if (Target == NULL)
            return STATUS_PARTIAL_COPY;
        memmove(Target, Source, Chunk); /* the same page when a process copies onto itself */
        FromVa += Chunk;
        ToVa += Chunk;
        *Copied += Chunk;
    }
    return STATUS_SUCCESS;
}

/* NT_TIB.StackLimit in the TEB (x64). */
#define MI_TEB_STACK_LIMIT 0x10

/*
 * The guard page Va of the thread's own stack (the reservation holding
 * StackBase - 1): the stack grows. The guard moves one page down and the
 * stack limit (ETHREAD and TEB) follows, as long as one page stays
 * reserved below the new guard; otherwise STATUS_STACK_OVERFLOW, the
 * touched page being usable for the handler (Windows' rule).
 */
static NTSTATUS MiGrowStack(PETHREAD Thread, MMVAD *Stack, ULONG_PTR Va, ULONG Protect)
{
    MMADDRESS_SPACE *Space = Thread->Process->AddressSpace;
    ULONG_PTR Below = Va - PAGE_SIZE;
    MMPTE *Pte;

    if (Below <= Stack->Start + PAGE_SIZE)
        return STATUS_STACK_OVERFLOW;
    Pte = MiGetPte(Space, Below, true);
    if (Pte == NULL)
        return STATUS_NO_MEMORY;
    if (!(Pte->Flags & MI_PTE_COMMITTED)) {
        Pte->Flags |= MI_PTE_COMMITTED;
        Pte->Protect = (uint16_t)(Protect | PAGE_GUARD);
        MiChargeCommit(Space, 1); /* stack growth is charged but never refused */
    } else if (!(Pte->Protect & PAGE_GUARD)) {
        /* Committed already: it becomes the guard, as Windows' commit of
         * the next guard page re-protects a committed page. */
        ULONG Old;
        NTSTATUS Status = MmProtectRange(Space, Below, PAGE_SIZE, Protect | PAGE_GUARD, &Old);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Thread->StackLimit = Va;
    if (Thread->TebAddress != 0)
        MmCopyToUser(Thread->Process, Thread->TebAddress + MI_TEB_STACK_LIMIT, &Va, sizeof(Va));
    return STATUS_SUCCESS;
}

/*
 * A guard page is a one-shot alarm: the first touch by a thread clears
 * PAGE_GUARD and raises STATUS_GUARD_PAGE_VIOLATION in it, except on the
 * thread's own stack, where the guard moves down instead (MiGrowStack).
 * ntos's own accesses (MmCopyFromUser, MmCopyToUser) fire only the guard
 * of the calling thread's own stack (MiGrowCallerStack), so that a
 * service writing into a buffer on the caller's stack grows it as the
 * caller's own touch would; any other guard page fails them as an
 * inaccessible page would.
 */
static NTSTATUS MiFireGuardPage(PETHREAD Thread, ULONG_PTR Va, MMPTE *Pte)
{
    MMADDRESS_SPACE *Space = Thread->Process->AddressSpace;
    MMVAD *Vad = MiFindVad(Space, Va);
    MMVAD *Stack = Thread->StackBase ? MiFindVad(Space, Thread->StackBase - 1) : NULL;

    Pte->Protect &= ~PAGE_GUARD;
    if (Vad == NULL || Vad != Stack)
        return STATUS_GUARD_PAGE_VIOLATION;
    return MiGrowStack(Thread, Stack, Va, Pte->Protect);
}

/* The guard page Va of Thread's own stack, or NULL. */
static MMPTE *MiStackGuardPte(PETHREAD Thread, ULONG_PTR Va)
{
    MMADDRESS_SPACE *Space = Thread->Process ? Thread->Process->AddressSpace : NULL;
    MMPTE *Pte;
    MMVAD *Stack;

    if (Space == NULL || Thread->StackBase == 0)
        return NULL;
    Pte = MiGetPte(Space, Va, false);
    if (Pte == NULL || !(Pte->Flags & MI_PTE_COMMITTED) || !(Pte->Protect & PAGE_GUARD))
        return NULL;
    Stack = MiFindVad(Space, Thread->StackBase - 1);
    return Stack != NULL && MiFindVad(Space, Va) == Stack ? Pte : NULL;
}

NTSTATUS MmGrowUserStack(PETHREAD Thread, ULONG_PTR Va, SIZE_T Size)
{
    ULONG_PTR Page, Low = PAGE_ALIGN_DOWN(Va);

    if (Size == 0 || Va + Size < Va)
        return STATUS_SUCCESS;
    /* From the top down: each grown page leaves the guard on the next. */
    for (Page = PAGE_ALIGN_DOWN(Va + Size - 1);; Page -= PAGE_SIZE) {
        MMPTE *Pte = MiStackGuardPte(Thread, Page);
        if (Pte != NULL) {
            NTSTATUS Status = MiFireGuardPage(Thread, Page, Pte);
            if (!NT_SUCCESS(Status))
                return Status;
        }
        if (Page == Low)
            return STATUS_SUCCESS;
    }
}

/* ntos touches Va for the calling thread: true when Va was the guard page of
 * that thread's own stack and the stack grew (the copy then retries). */
static bool MiGrowCallerStack(PEPROCESS Process, ULONG_PTR Va)
{
    PETHREAD Thread = KeGetCurrentThread();

    if (Thread == NULL || Thread->Process != Process ||
        MiStackGuardPte(Thread, PAGE_ALIGN_DOWN(Va)) == NULL)
        return false;
    return NT_SUCCESS(MmGrowUserStack(Thread, Va, 1));
}

NTSTATUS MmHandleFault(PETHREAD Thread, ULONG_PTR Address, bool Write, bool Execute)
{
    MMADDRESS_SPACE *Space;
    MMPTE *Pte;
    ULONG_PTR Va = PAGE_ALIGN_DOWN(Address);
    bool WasPresent;

    if (Thread == NULL || Thread->Process == NULL || Thread->Process->AddressSpace == NULL ||
        Address > MM_USER_TOP)
        return STATUS_ACCESS_VIOLATION;
    Space = Thread->Process->AddressSpace;
    Space->PageFaults++;
    MiPageFaultTotal++;
    Pte = MiGetPte(Space, Va, false);
    if (Pte && (Pte->Flags & MI_PTE_COMMITTED) && (Pte->Protect & PAGE_GUARD)) {
        NTSTATUS Status = MiFireGuardPage(Thread, Va, Pte);
        if (!NT_SUCCESS(Status))
            return Status; /* raised in the thread; its retry finds the page accessible */
    }
    WasPresent = Pte != NULL && Pte->Pfn != NULL;
    if (MmLookupUserPage(Space, Va, Write) == NULL)
        return STATUS_ACCESS_VIOLATION;
    /* A fault on a page that was mapped and allows the access means seL4
     * lost the mapping we recorded: map it again (a remap of the same cap). */
    if (WasPresent)
        return MiMapPte(Space, Va, Pte);
    return STATUS_SUCCESS;
}
