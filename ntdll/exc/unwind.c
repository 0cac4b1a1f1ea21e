/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x64 virtual unwinding from the exception directory (.pdata) of the loaded
 * images: finding the image and the RUNTIME_FUNCTION of an address over the
 * PEB loader list (RtlPcToFileHeader is the loader's, ldr/module.c), and
 * RtlVirtualUnwind, which takes a CONTEXT one frame up
 * by undoing the prologue its UNWIND_INFO describes (every unwind code,
 * chained infos), or by emulating the epilogue when the address is in one
 * (the Windows rule: an optional `add rsp, n` or `lea rsp, [fp + n]`, pops
 * of nonvolatile registers, then `ret` or a jump out of the function).
 *
 * An address outside every image is looked up in the function tables
 * added at run time (dyntable.c).
 *
 * FIXME: the loader list is read without the loader lock (an exception
 * must not wait for a thread that holds it); a module unloaded by another
 * thread meanwhile is not guarded against.
 */
#include "excp.h"

extern IMAGE_DOS_HEADER __ImageBase; /* ntdll's own (the linker's symbol) */

/* The exception directory of the image at Base (NULL when it has none). */
static PRUNTIME_FUNCTION RtlpExceptionDirectory(ULONG64 Base, ULONG *Count)
{
    PIMAGE_DOS_HEADER Dos = (PIMAGE_DOS_HEADER)Base;
    PIMAGE_NT_HEADERS64 Nt = (PIMAGE_NT_HEADERS64)(Base + Dos->e_lfanew);
    PIMAGE_DATA_DIRECTORY Dir;

    if (Nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXCEPTION)
        return NULL;
    Dir = &Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXCEPTION];
    if (Dir->VirtualAddress == 0 || Dir->Size < sizeof(RUNTIME_FUNCTION))
        return NULL;
    *Count = Dir->Size / sizeof(RUNTIME_FUNCTION);
    return (PRUNTIME_FUNCTION)(Base + Dir->VirtualAddress);
}

/* The base and size of the loaded image that holds Pc, 0 for none. Before
 * the loader has a list, ntdll knows only itself. */
static ULONG64 RtlpFindImage(ULONG64 Pc, ULONG *Size)
{
    PPEB_LDR_DATA Ldr = NtdllpCurrentPeb()->Ldr;
    PLIST_ENTRY Head, Entry;

    if (Ldr == NULL || Ldr->InLoadOrderModuleList.Flink == NULL) {
        ULONG64 Base = (ULONG64)&__ImageBase;
        PIMAGE_NT_HEADERS64 Nt;
        __asm__("" : "+r"(Base)); /* the headers lie past the symbol's extent */
        Nt = (PIMAGE_NT_HEADERS64)(Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
        *Size = Nt->OptionalHeader.SizeOfImage;
        return Pc - Base < *Size ? Base : 0;
    }
    Head = &Ldr->InLoadOrderModuleList;
    for (Entry = Head->Flink; Entry != Head; Entry = Entry->Flink) {
        PLDR_DATA_TABLE_ENTRY Module = (PLDR_DATA_TABLE_ENTRY)Entry;
        if (Pc - (ULONG64)Module->DllBase < Module->SizeOfImage) {
            *Size = Module->SizeOfImage;
            return (ULONG64)Module->DllBase;
        }
    }
    return 0;
}

PRUNTIME_FUNCTION NTAPI RtlLookupFunctionEntry(ULONG64 ControlPc, PULONG64 ImageBase,
                                               PUNWIND_HISTORY_TABLE HistoryTable)
{
    ULONG Size, Count = 0, Low = 0, High;
    ULONG64 Base = RtlpFindImage(ControlPc, &Size);
    PRUNTIME_FUNCTION Table;
    ULONG Rva;

    (void)HistoryTable; /* a cache only; every lookup searches */
    *ImageBase = Base;
    if (Base == 0)
        return RtlpLookupDynamicFunctionEntry(ControlPc, ImageBase);
    if ((Table = RtlpExceptionDirectory(Base, &Count)) == NULL)
        return NULL;
    Rva = (ULONG)(ControlPc - Base);
    High = Count;
    while (Low < High) { /* the entries are sorted by BeginAddress */
        ULONG Mid = Low + (High - Low) / 2;
        if (Rva < Table[Mid].BeginAddress)
            High = Mid;
        else if (Rva >= Table[Mid].EndAddress)
            Low = Mid + 1;
        else
            return &Table[Mid];
    }
    return NULL;
}

BOOLEAN RtlpIsCodeAddress(ULONG64 Pc)
{
    ULONG Size;
    ULONG64 Base;

    return RtlpFindImage(Pc, &Size) != 0 || RtlpLookupDynamicFunctionEntry(Pc, &Base) != NULL;
}

VOID RtlpGetStackLimits(PULONG64 Low, PULONG64 High)
{
    PTEB Teb = NtdllpCurrentTeb();

    *High = (ULONG64)Teb->NtTib.StackBase;
    *Low =
        Teb->DeallocationStack ? (ULONG64)Teb->DeallocationStack : (ULONG64)Teb->NtTib.StackLimit;
}

/* ---- registers by unwind number (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15) --- */

static PULONG64 RtlpIntegerRegister(PCONTEXT Context, ULONG Number)
{
    return &Context->Rax + Number; /* the CONTEXT keeps them in this order */
}

static VOID RtlpRestoreInteger(PCONTEXT Context, PKNONVOLATILE_CONTEXT_POINTERS Pointers,
                               ULONG Number, PULONG64 Slot)
{
    *RtlpIntegerRegister(Context, Number) = *Slot;
    if (Pointers)
        Pointers->IntegerContext[Number] = Slot;
}

static VOID RtlpRestoreXmm(PCONTEXT Context, PKNONVOLATILE_CONTEXT_POINTERS Pointers, ULONG Number,
                           PM128A Slot)
{
    (&Context->Xmm0)[Number] = *Slot;
    if (Pointers)
        Pointers->FloatingContext[Number] = Slot;
}

/* Slots an unwind code takes (itself included). */
static ULONG RtlpUnwindCodeSlots(UNWIND_CODE Code)
{
    switch (Code.UnwindOp) {
    case UWOP_ALLOC_LARGE:
        return Code.OpInfo ? 3 : 2;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_XMM128:
    case UWOP_EPILOG:
        return 2;
    case UWOP_SAVE_NONVOL_FAR:
    case UWOP_SAVE_XMM128_FAR:
    case UWOP_SPARE_CODE:
        return 3;
    default:
        return 1;
    }
}

static ULONG RtlpCodeLong(PUNWIND_CODE Codes)
{
    return Codes[0].FrameOffset | ((ULONG)Codes[1].FrameOffset << 16);
}

/* Undo the codes of Info that ran before PrologOffset; Frame is the
 * establisher frame the save codes are relative to. Returns whether a
 * machine frame supplied Rip and Rsp. */
static BOOLEAN RtlpApplyUnwindCodes(PUNWIND_INFO Info, ULONG PrologOffset, ULONG64 Frame,
                                    PCONTEXT Context, PKNONVOLATILE_CONTEXT_POINTERS Pointers)
{
    PUNWIND_CODE Codes = Info->UnwindCode;
    ULONG i = 0;

    while (i < Info->CountOfCodes) {
        UNWIND_CODE Code = Codes[i];
        ULONG Slots = RtlpUnwindCodeSlots(Code);
        if (Code.CodeOffset > PrologOffset && Code.UnwindOp != UWOP_EPILOG) {
            i += Slots; /* that prologue instruction has not run yet */
            continue;
        }
        switch (Code.UnwindOp) {
        case UWOP_PUSH_NONVOL:
            RtlpRestoreInteger(Context, Pointers, Code.OpInfo, (PULONG64)Context->Rsp);
            Context->Rsp += 8;
            break;
        case UWOP_ALLOC_LARGE:
            Context->Rsp +=
                Code.OpInfo ? RtlpCodeLong(&Codes[i + 1]) : Codes[i + 1].FrameOffset * 8u;
            break;
        case UWOP_ALLOC_SMALL:
            Context->Rsp += Code.OpInfo * 8u + 8;
            break;
        case UWOP_SET_FPREG:
            Context->Rsp =
                *RtlpIntegerRegister(Context, Info->FrameRegister) - Info->FrameOffset * 16u;
            break;
        case UWOP_SAVE_NONVOL:
            RtlpRestoreInteger(Context, Pointers, Code.OpInfo,
                               (PULONG64)(Frame + Codes[i + 1].FrameOffset * 8u));
            break;
        case UWOP_SAVE_NONVOL_FAR:
            RtlpRestoreInteger(Context, Pointers, Code.OpInfo,
                               (PULONG64)(Frame + RtlpCodeLong(&Codes[i + 1])));
            break;
        case UWOP_SAVE_XMM128:
            RtlpRestoreXmm(Context, Pointers, Code.OpInfo,
                           (PM128A)(Frame + Codes[i + 1].FrameOffset * 16u));
            break;
        case UWOP_SAVE_XMM128_FAR:
            RtlpRestoreXmm(Context, Pointers, Code.OpInfo,
                           (PM128A)(Frame + RtlpCodeLong(&Codes[i + 1])));
            break;
        case UWOP_PUSH_MACHFRAME: {
            PULONG64 Machine = (PULONG64)Context->Rsp + (Code.OpInfo ? 1 : 0); /* error code */
            Context->Rip = Machine[0];
            Context->Rsp = Machine[3];
            return TRUE; /* a machine frame is the last code of its prologue */
        }
        default: /* UWOP_EPILOG describes epilogues only; the rest are not x64 codes */
            break;
        }
        i += Slots;
    }
    return FALSE;
}

/* The establisher frame: rsp after the prologue, or the frame register
 * minus its offset once the prologue has set it. */
static ULONG64 RtlpEstablisherFrame(PUNWIND_INFO Info, ULONG PrologOffset, PCONTEXT Context)
{
    ULONG64 FrameRegister;

    if (Info->FrameRegister == 0)
        return Context->Rsp;
    FrameRegister = *RtlpIntegerRegister(Context, Info->FrameRegister) - Info->FrameOffset * 16u;
    if (PrologOffset >= Info->SizeOfProlog || (Info->Flags & UNW_FLAG_CHAININFO))
        return FrameRegister;
    for (ULONG i = 0; i < Info->CountOfCodes; i += RtlpUnwindCodeSlots(Info->UnwindCode[i]))
        if (Info->UnwindCode[i].UnwindOp == UWOP_SET_FPREG &&
            Info->UnwindCode[i].CodeOffset <= PrologOffset)
            return FrameRegister;
    return Context->Rsp;
}

PEXCEPTION_ROUTINE NTAPI RtlVirtualUnwind(ULONG HandlerType, ULONG64 ImageBase, ULONG64 ControlPc,
                                          PRUNTIME_FUNCTION FunctionEntry, PCONTEXT Context,
                                          PVOID *HandlerData, PULONG64 EstablisherFrame,
                                          PKNONVOLATILE_CONTEXT_POINTERS ContextPointers)
{
    PUNWIND_INFO Info = (PUNWIND_INFO)(ImageBase + FunctionEntry->UnwindData);
    ULONG PrologOffset = (ULONG)(ControlPc - ImageBase - FunctionEntry->BeginAddress);
    PEXCEPTION_ROUTINE Handler = NULL;
    BOOLEAN Machine = FALSE;
    ULONG64 Frame;

    *HandlerData = NULL;
    *EstablisherFrame = Frame = RtlpEstablisherFrame(Info, PrologOffset, Context);
    if (PrologOffset >= Info->SizeOfProlog &&
        RtlpUnwindEpilog(ImageBase, ControlPc, FunctionEntry, Info, Context, ContextPointers))
        return NULL; /* in an epilogue: no handler runs there */
    if (PrologOffset >= Info->SizeOfProlog && (Info->Flags & HandlerType) &&
        !(Info->Flags & UNW_FLAG_CHAININFO)) {
        PULONG Tail = (PULONG)&Info->UnwindCode[(Info->CountOfCodes + 1) & ~1u];
        Handler = (PEXCEPTION_ROUTINE)(ImageBase + Tail[0]);
        *HandlerData = &Tail[1];
    }
    for (;;) {
        Machine = RtlpApplyUnwindCodes(Info, PrologOffset, Frame, Context, ContextPointers);
        if (Machine || !(Info->Flags & UNW_FLAG_CHAININFO))
            break;
        /* The parent's prologue has run entirely. */
        FunctionEntry = (PRUNTIME_FUNCTION)&Info->UnwindCode[(Info->CountOfCodes + 1) & ~1u];
        Info = (PUNWIND_INFO)(ImageBase + FunctionEntry->UnwindData);
        PrologOffset = ~0u;
    }
    if (!Machine) {
        Context->Rip = *(PULONG64)Context->Rsp;
        Context->Rsp += 8;
    }
    return Handler;
}

PEXCEPTION_ROUTINE RtlpUnwindFrame(ULONG HandlerType, PCONTEXT Context, PDISPATCHER_CONTEXT Dc,
                                   PUNWIND_HISTORY_TABLE HistoryTable)
{
    Dc->ControlPc = Context->Rip;
    Dc->FunctionEntry = RtlLookupFunctionEntry(Context->Rip, &Dc->ImageBase, HistoryTable);
    Dc->HandlerData = NULL;
    if (Dc->FunctionEntry == NULL) {
        /* A leaf function: no prologue, the return address at rsp. */
        Dc->EstablisherFrame = Context->Rsp;
        Context->Rip = *(PULONG64)Context->Rsp;
        Context->Rsp += 8;
        return NULL;
    }
    return RtlVirtualUnwind(HandlerType, Dc->ImageBase, Dc->ControlPc, Dc->FunctionEntry, Context,
                            &Dc->HandlerData, &Dc->EstablisherFrame, NULL);
}
