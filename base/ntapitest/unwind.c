/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * x64 virtual unwinding: RtlVirtualUnwind over unwind info built here by
 * hand in a made-up "image" (every unwind code, prologue offsets,
 * chained info, epilogues, handler data) with a made-up stack, and
 * RtlLookupFunctionEntry / RtlPcToFileHeader over the loaded images (hits
 * in the program and in ntdll, misses outside any image) and over function
 * tables added at run time (RtlAddFunctionTable / RtlDeleteFunctionTable).
 */
#include "ntapiexc.h"

#define UNW(op, info) ((UCHAR)((op) | ((info) << 4)))
#define REG_RAX       0
#define REG_RBX       3
#define REG_RBP       5
#define REG_RSI       6

#define NTAPI_FUNCTION_BEGIN 0x100
#define NTAPI_INFO_RVA       0x20

static UCHAR NtapiImage[0x400] __attribute__((aligned(16)));
static ULONG64 NtapiStack[80] __attribute__((aligned(16)));
static CONTEXT NtapiContext;
static KNONVOLATILE_CONTEXT_POINTERS NtapiPointers;
static PVOID NtapiHandlerData;
static ULONG64 NtapiFrame;

/* A function at NTAPI_FUNCTION_BEGIN..+0x100 of nops whose UNWIND_INFO is
 * Info (header and codes); the CONTEXT's rsp at NtapiStack. */
static VOID NtapiPrepare(const UCHAR *Info, ULONG Size)
{
    PRUNTIME_FUNCTION Function = (PRUNTIME_FUNCTION)NtapiImage;

    memset(NtapiImage, 0x90, sizeof(NtapiImage));
    Function->BeginAddress = NTAPI_FUNCTION_BEGIN;
    Function->EndAddress = NTAPI_FUNCTION_BEGIN + 0x100;
    Function->UnwindData = NTAPI_INFO_RVA;
    for (ULONG i = 0; i < Size; i++)
        NtapiImage[NTAPI_INFO_RVA + i] = Info[i];
    memset(NtapiStack, 0, sizeof(NtapiStack));
    memset(&NtapiContext, 0, sizeof(NtapiContext));
    memset(&NtapiPointers, 0, sizeof(NtapiPointers));
    NtapiContext.Rsp = (ULONG64)NtapiStack;
    NtapiHandlerData = NULL;
    NtapiFrame = 0;
}

static PEXCEPTION_ROUTINE NtapiUnwindAt(ULONG Type, ULONG Offset)
{
    return RtlVirtualUnwind(Type, (ULONG64)NtapiImage,
                            (ULONG64)NtapiImage + NTAPI_FUNCTION_BEGIN + Offset,
                            (PRUNTIME_FUNCTION)NtapiImage, &NtapiContext, &NtapiHandlerData,
                            &NtapiFrame, &NtapiPointers);
}

/* push rbp (ends at 1); push rbx (ends at 2). */
static const UCHAR NtapiPushInfo[] = {
    1, 2, 2, 0, 2, UNW(UWOP_PUSH_NONVOL, REG_RBX), 1, UNW(UWOP_PUSH_NONVOL, REG_RBP)};

TEST(unwind, push_nonvol)
{
    NtapiPrepare(NtapiPushInfo, sizeof(NtapiPushInfo));
    NtapiStack[0] = 0xb1, NtapiStack[1] = 0xb2, NtapiStack[2] = 0x401000;
    CHECK(NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x10) == NULL);
    CHECK_EQ(NtapiContext.Rbx, 0xb1);
    CHECK_EQ(NtapiContext.Rbp, 0xb2);
    CHECK_EQ(NtapiContext.Rip, 0x401000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[3]);
    CHECK_EQ(NtapiFrame, (ULONG64)NtapiStack);
    CHECK_EQ(NtapiPointers.IntegerContext[REG_RBX], &NtapiStack[0]);
    CHECK_EQ(NtapiPointers.IntegerContext[REG_RBP], &NtapiStack[1]);
}

/* In the prologue only what already ran is undone. */
TEST(unwind, inside_prologue)
{
    NtapiPrepare(NtapiPushInfo, sizeof(NtapiPushInfo));
    NtapiStack[0] = 0xb2, NtapiStack[1] = 0x402000;
    NtapiContext.Rbx = 0x77;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 1); /* after push rbp, before push rbx */
    CHECK_EQ(NtapiContext.Rbp, 0xb2);
    CHECK_EQ(NtapiContext.Rbx, 0x77);
    CHECK_EQ(NtapiContext.Rip, 0x402000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[2]);
}

TEST(unwind, alloc_small)
{
    static const UCHAR Info[] = {1, 4, 1, 0, 4, UNW(UWOP_ALLOC_SMALL, 4)}; /* sub rsp, 0x28 */

    NtapiPrepare(Info, sizeof(Info));
    NtapiStack[5] = 0x403000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rip, 0x403000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[6]);
}

TEST(unwind, alloc_large)
{
    /* sub rsp, 0x100: size / 8 in the next slot. */
    static const UCHAR Scaled[] = {1, 7, 2, 0, 7, UNW(UWOP_ALLOC_LARGE, 0), 0x20, 0};
    /* sub rsp, 0x108: the unscaled size in the next two slots. */
    static const UCHAR Unscaled[] = {1, 7, 3, 0, 7, UNW(UWOP_ALLOC_LARGE, 1), 0x08, 0x01, 0, 0};

    NtapiPrepare(Scaled, sizeof(Scaled));
    NtapiStack[0x20] = 0x404000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rip, 0x404000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[0x21]);
    NtapiPrepare(Unscaled, sizeof(Unscaled));
    NtapiStack[0x21] = 0x405000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rip, 0x405000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[0x22]);
}

/* push rbp (1); lea rbp, [rsp + 0x10] (6): frame register rbp, offset 1
 * (16 bytes). The body moved rsp (alloca): unwinding starts from rbp. */
static const UCHAR NtapiFpInfo[] = {
    1, 6, 2, 0x10 | REG_RBP, 6, UNW(UWOP_SET_FPREG, 0), 1, UNW(UWOP_PUSH_NONVOL, REG_RBP)};

TEST(unwind, set_fpreg)
{
    NtapiPrepare(NtapiFpInfo, sizeof(NtapiFpInfo));
    NtapiStack[10] = 0xbb, NtapiStack[11] = 0x406000;
    NtapiContext.Rbp = (ULONG64)&NtapiStack[12]; /* rsp after the push + 16 */
    NtapiContext.Rsp = (ULONG64)&NtapiStack[2];  /* lower: the body allocated more */
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiFrame, (ULONG64)&NtapiStack[10]);
    CHECK_EQ(NtapiContext.Rbp, 0xbb);
    CHECK_EQ(NtapiContext.Rip, 0x406000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[12]);
}

/* Before the frame register is set, the establisher frame is rsp. */
TEST(unwind, set_fpreg_in_prologue)
{
    NtapiPrepare(NtapiFpInfo, sizeof(NtapiFpInfo));
    NtapiStack[0] = 0xbc, NtapiStack[1] = 0x407000;
    NtapiContext.Rbp = 0x1234;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 1);
    CHECK_EQ(NtapiFrame, (ULONG64)NtapiStack);
    CHECK_EQ(NtapiContext.Rbp, 0xbc);
    CHECK_EQ(NtapiContext.Rip, 0x407000);
}

/* sub rsp, 0x28 (4); mov [rsp + 0x10], rsi (9): the save is relative to
 * the frame (rsp after the prologue), scaled by 8, or unscaled in 32 bits. */
TEST(unwind, save_nonvol)
{
    static const UCHAR Near[] = {
        1, 9, 3, 0, 9, UNW(UWOP_SAVE_NONVOL, REG_RSI), 2, 0, 4, UNW(UWOP_ALLOC_SMALL, 4)};
    static const UCHAR Far[] = {1,    9, 4, 0, 9, UNW(UWOP_SAVE_NONVOL_FAR, REG_RSI),
                                0x18, 0, 0, 0, 4, UNW(UWOP_ALLOC_SMALL, 4),
                                0,    0};

    NtapiPrepare(Near, sizeof(Near));
    NtapiStack[2] = 0x5151, NtapiStack[5] = 0x408000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rsi, 0x5151);
    CHECK_EQ(NtapiPointers.IntegerContext[REG_RSI], &NtapiStack[2]);
    CHECK_EQ(NtapiContext.Rip, 0x408000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[6]);
    NtapiPrepare(Far, sizeof(Far));
    NtapiStack[3] = 0x5252, NtapiStack[5] = 0x409000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rsi, 0x5252);
    CHECK_EQ(NtapiContext.Rip, 0x409000);
}

/* movaps [rsp + 0x10], xmm6 (scaled by 16) / [rsp + 0x20] (unscaled). */
TEST(unwind, save_xmm128)
{
    static const UCHAR Near[] = {
        1, 9, 3, 0, 9, UNW(UWOP_SAVE_XMM128, 6), 1, 0, 4, UNW(UWOP_ALLOC_SMALL, 6)};
    static const UCHAR Far[] = {1,    9, 4, 0, 9, UNW(UWOP_SAVE_XMM128_FAR, 7),
                                0x20, 0, 0, 0, 4, UNW(UWOP_ALLOC_SMALL, 6),
                                0,    0};

    NtapiPrepare(Near, sizeof(Near));
    NtapiStack[2] = 0x6666, NtapiStack[3] = 0x6767, NtapiStack[7] = 0x40a000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Xmm6.Low, 0x6666);
    CHECK_EQ(NtapiContext.Xmm6.High, 0x6767);
    CHECK_EQ(NtapiPointers.FloatingContext[6], (PM128A)&NtapiStack[2]);
    CHECK_EQ(NtapiContext.Rip, 0x40a000);
    NtapiPrepare(Far, sizeof(Far));
    NtapiStack[4] = 0x7777, NtapiStack[7] = 0x40b000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Xmm7.Low, 0x7777);
    CHECK_EQ(NtapiContext.Rip, 0x40b000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[8]);
}

/* A machine frame gives rip and rsp (after an error code with info 1). */
TEST(unwind, push_machframe)
{
    static const UCHAR Plain[] = {1, 1, 1, 0, 1, UNW(UWOP_PUSH_MACHFRAME, 0), 0, 0};
    static const UCHAR WithCode[] = {1, 1, 1, 0, 1, UNW(UWOP_PUSH_MACHFRAME, 1), 0, 0};

    NtapiPrepare(Plain, sizeof(Plain));
    NtapiStack[0] = 0x40c000, NtapiStack[3] = 0x7000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rip, 0x40c000);
    CHECK_EQ(NtapiContext.Rsp, 0x7000);
    NtapiPrepare(WithCode, sizeof(WithCode));
    NtapiStack[0] = 0xe, NtapiStack[1] = 0x40d000, NtapiStack[4] = 0x8000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rip, 0x40d000);
    CHECK_EQ(NtapiContext.Rsp, 0x8000);
}

/* Chained info: this part allocates, the parent (another RUNTIME_FUNCTION
 * after the codes) pushed rbx. */
TEST(unwind, chained_info)
{
    static const UCHAR Info[] = {1 | (UNW_FLAG_CHAININFO << 3), 4, 1, 0, 4,
                                 UNW(UWOP_ALLOC_SMALL, 4), 0, 0,
                                 /* parent: begin 0x80, end 0xa0, info 0x40 */
                                 0x80, 0, 0, 0, 0xa0, 0, 0, 0, 0x40, 0, 0, 0};
    static const UCHAR Parent[] = {1, 1, 1, 0, 1, UNW(UWOP_PUSH_NONVOL, REG_RBX)};

    NtapiPrepare(Info, sizeof(Info));
    for (ULONG i = 0; i < sizeof(Parent); i++)
        NtapiImage[0x40 + i] = Parent[i];
    NtapiStack[5] = 0xb3, NtapiStack[6] = 0x40e000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x20);
    CHECK_EQ(NtapiContext.Rbx, 0xb3);
    CHECK_EQ(NtapiContext.Rip, 0x40e000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[7]);
}

/* In an epilogue (add rsp, 0x28; pop rbx; ret) what is left of it is run,
 * and no handler is reported there. */
TEST(unwind, epilogue_add_pop_ret)
{
    static const UCHAR Info[] = {1 | (UNW_FLAG_EHANDLER << 3),
                                 5,
                                 2,
                                 0,
                                 5,
                                 UNW(UWOP_ALLOC_SMALL, 4),
                                 1,
                                 UNW(UWOP_PUSH_NONVOL, REG_RBX),
                                 0x00,
                                 0x03,
                                 0,
                                 0, /* handler RVA 0x300 */
                                 0xd1,
                                 0,
                                 0,
                                 0};
    static const UCHAR Epilog[] = {0x48, 0x83, 0xc4, 0x28, 0x5b, 0xc3};

    NtapiPrepare(Info, sizeof(Info));
    for (ULONG i = 0; i < sizeof(Epilog); i++)
        NtapiImage[NTAPI_FUNCTION_BEGIN + 0x40 + i] = Epilog[i];
    NtapiStack[5] = 0xb4, NtapiStack[6] = 0x40f000;
    CHECK(NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x40) == NULL);
    CHECK_EQ(NtapiContext.Rbx, 0xb4);
    CHECK_EQ(NtapiContext.Rip, 0x40f000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[7]);
    /* At the pop, only the pop and the ret are left. */
    NtapiPrepare(Info, sizeof(Info));
    for (ULONG i = 0; i < sizeof(Epilog); i++)
        NtapiImage[NTAPI_FUNCTION_BEGIN + 0x40 + i] = Epilog[i];
    NtapiStack[0] = 0xb5, NtapiStack[1] = 0x410000;
    CHECK(NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x44) == NULL);
    CHECK_EQ(NtapiContext.Rbx, 0xb5);
    CHECK_EQ(NtapiContext.Rip, 0x410000);
    /* Before it, in the body, the codes apply and the handler is reported. */
    NtapiPrepare(Info, sizeof(Info));
    NtapiStack[5] = 0xb6, NtapiStack[6] = 0x411000;
    CHECK_EQ(NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x30), (PEXCEPTION_ROUTINE)(NtapiImage + 0x300));
    CHECK_EQ(NtapiHandlerData, NtapiImage + NTAPI_INFO_RVA + 12);
    CHECK_EQ(*(PULONG)NtapiHandlerData, 0xd1);
    CHECK_EQ(NtapiContext.Rbx, 0xb6);
}

/* lea rsp, [rbp + 0x10]; pop rbp; ret: an epilogue of a frame-pointer function. */
TEST(unwind, epilogue_lea)
{
    static const UCHAR Epilog[] = {0x48, 0x8d, 0x65, 0x10, 0x5d, 0xc3};

    NtapiPrepare(NtapiFpInfo, sizeof(NtapiFpInfo));
    for (ULONG i = 0; i < sizeof(Epilog); i++)
        NtapiImage[NTAPI_FUNCTION_BEGIN + 0x40 + i] = Epilog[i];
    NtapiStack[10] = 0xbd, NtapiStack[11] = 0x412000;
    NtapiContext.Rbp = (ULONG64)&NtapiStack[8]; /* rbp + 0x10 = the saved rbp */
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x40);
    CHECK_EQ(NtapiContext.Rbp, 0xbd);
    CHECK_EQ(NtapiContext.Rip, 0x412000);
    CHECK_EQ(NtapiContext.Rsp, (ULONG64)&NtapiStack[12]);
}

/* A jump inside the function is no epilogue: the prologue is undone. */
TEST(unwind, jump_inside_is_not_epilogue)
{
    static const UCHAR Code[] = {0x5b, 0xeb, 0x10}; /* pop rbx; jmp +0x10 (inside) */

    NtapiPrepare(NtapiPushInfo, sizeof(NtapiPushInfo));
    for (ULONG i = 0; i < sizeof(Code); i++)
        NtapiImage[NTAPI_FUNCTION_BEGIN + 0x40 + i] = Code[i];
    NtapiStack[0] = 0xb1, NtapiStack[1] = 0xb2, NtapiStack[2] = 0x413000;
    NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x40);
    CHECK_EQ(NtapiContext.Rbp, 0xb2); /* both pushes undone, not one pop */
    CHECK_EQ(NtapiContext.Rip, 0x413000);
}

/* Only the handler of the kind asked for is reported. */
TEST(unwind, handler_kind)
{
    static const UCHAR Info[] = {1 | (UNW_FLAG_UHANDLER << 3), 0, 0, 0, 0x00, 0x03, 0, 0};

    NtapiPrepare(Info, sizeof(Info));
    NtapiStack[0] = 0x414000;
    CHECK(NtapiUnwindAt(UNW_FLAG_EHANDLER, 0x10) == NULL);
    NtapiPrepare(Info, sizeof(Info));
    NtapiStack[0] = 0x414000;
    CHECK_EQ(NtapiUnwindAt(UNW_FLAG_UHANDLER, 0x10), (PEXCEPTION_ROUTINE)(NtapiImage + 0x300));
    CHECK_EQ(NtapiContext.Rip, 0x414000);
}

/* ---- lookups over the loaded images ---------------------------------------------------- */

extern PVOID __imp_RtlCaptureContext;
static __attribute__((noinline)) ULONG64 NtapiSomeFunction(ULONG64 Value)
{
    __asm__ volatile("" : "+r"(Value));
    return Value * 3 + 1;
}

TEST(unwind, lookup_function_entry_program)
{
    ULONG64 Base = 0, Address = (ULONG64)NtapiSomeFunction;
    PRUNTIME_FUNCTION Entry = RtlLookupFunctionEntry(Address + 1, &Base, NULL);

    CHECK_EQ(NtapiSomeFunction(1), 4);
    CHECK_EQ(Base, (ULONG64)NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress);
    if (CHECK(Entry != NULL)) {
        CHECK_EQ(Entry->BeginAddress, Address - Base);
        CHECK(Entry->EndAddress > Address + 1 - Base);
    }
}

TEST(unwind, lookup_function_entry_ntdll)
{
    ULONG64 Base = 0, Address = (ULONG64)__imp_RtlCaptureContext;
    PRUNTIME_FUNCTION Entry = RtlLookupFunctionEntry(Address, &Base, NULL);
    PVOID Header = NULL;

    CHECK_EQ(RtlPcToFileHeader((PVOID)Address, &Header), (PVOID)Base);
    CHECK(Base != 0 && Base != (ULONG64)NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress);
    if (CHECK(Entry != NULL))
        CHECK_EQ(Entry->BeginAddress, Address - Base);
}

TEST(unwind, lookup_function_entry_miss)
{
    ULONG64 Base = 1;
    ULONG64 Local = 0;
    PVOID Header = (PVOID)1;

    CHECK(RtlLookupFunctionEntry((ULONG64)&Local, &Base, NULL) == NULL);
    CHECK_EQ(Base, 0);
    CHECK(RtlPcToFileHeader(&Local, &Header) == NULL);
    CHECK(Header == NULL);
    Base = 1;
    CHECK(RtlLookupFunctionEntry(0x10, &Base, NULL) == NULL);
    CHECK_EQ(Base, 0);
}

/* Unwinding this test's own frame (code mingw-w64 described in .pdata)
 * lands in the runner that called it. */
TEST(unwind, own_frame)
{
    static CONTEXT Context;
    ULONG64 Base, Frame, Rsp;
    PRUNTIME_FUNCTION Entry;
    PVOID Data, Header;

    RtlCaptureContext(&Context);
    Rsp = Context.Rsp;
    Entry = RtlLookupFunctionEntry(Context.Rip, &Base, NULL);
    if (!CHECK(Entry != NULL))
        return;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, Base, Context.Rip, Entry, &Context, &Data, &Frame, NULL);
    CHECK_EQ(Frame, Rsp);
    CHECK(Context.Rsp > Rsp);
    CHECK_EQ(RtlPcToFileHeader((PVOID)Context.Rip, &Header), (PVOID)Base);
    CHECK(Context.Rip < Entry->BeginAddress + Base || Context.Rip >= Entry->EndAddress + Base);
}

/* Code outside every image is found through a table added at run time. */
TEST(unwind, dynamic_function_table)
{
    PVOID Memory = NULL;
    SIZE_T Size = 0x10000;
    PRUNTIME_FUNCTION Table, Entry;
    ULONG64 Base, Found = 1;

    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &Memory, 0, &Size, 0x3000, 4),
                 STATUS_SUCCESS);
    if (Memory == NULL)
        return;
    Base = (ULONG64)Memory;
    Table = Memory;
    Table[0] = (RUNTIME_FUNCTION){0x100, 0x200, 0x40};
    Table[1] = (RUNTIME_FUNCTION){0x300, 0x380, 0x40};
    for (ULONG i = 0; i < sizeof(NtapiPushInfo); i++)
        ((PUCHAR)Memory)[0x40 + i] = NtapiPushInfo[i];
    CHECK(RtlLookupFunctionEntry(Base + 0x310, &Found, NULL) == NULL);
    CHECK_EQ(Found, 0);
    CHECK_EQ(RtlAddFunctionTable(Table, 2, Base), TRUE);
    Entry = RtlLookupFunctionEntry(Base + 0x310, &Found, NULL);
    CHECK_EQ(Entry, &Table[1]);
    CHECK_EQ(Found, Base);
    CHECK(RtlLookupFunctionEntry(Base + 0x250, &Found, NULL) == NULL); /* between the two */
    CHECK_EQ(RtlLookupFunctionEntry(Base + 0x100, &Found, NULL), &Table[0]);
    CHECK_EQ(RtlDeleteFunctionTable(Table), TRUE);
    CHECK_EQ(RtlDeleteFunctionTable(Table), FALSE);
    CHECK(RtlLookupFunctionEntry(Base + 0x310, &Found, NULL) == NULL);
    Size = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &Memory, &Size, 0x8000), STATUS_SUCCESS);
}

static __attribute__((noinline)) USHORT NtapiBackTraceFrom(ULONG Skip, PVOID *Trace, PULONG Hash)
{
    USHORT Count = RtlCaptureStackBackTrace(Skip, 8, Trace, Hash);

    __asm__ volatile(""); /* keep the call a call, not a tail jump */
    return Count;
}

/* The return addresses of the frames above: into NtapiBackTraceFrom's
 * caller (this test), then the runner; the hash is their sum. */
TEST(unwind, capture_stack_back_trace)
{
    PVOID Trace[8] = {0}, Skipped[8] = {0}, Base = NULL;
    PVOID Program = NtCurrentTeb()->ProcessEnvironmentBlock->ImageBaseAddress;
    ULONG Hash = 0, Sum = 0;
    USHORT Count = NtapiBackTraceFrom(0, Trace, &Hash);

    if (!CHECK(Count >= 3))
        return;
    CHECK_EQ(RtlPcToFileHeader(Trace[0], &Base), Program); /* in NtapiBackTraceFrom */
    CHECK_EQ(RtlPcToFileHeader(Trace[1], &Base), Program); /* in this test */
    CHECK_EQ(RtlPcToFileHeader(Trace[2], &Base), Program); /* in the runner */
    for (USHORT i = 0; i < Count; i++)
        Sum += (ULONG)(ULONG_PTR)Trace[i];
    CHECK_EQ(Hash, Sum);
    CHECK_EQ(NtapiBackTraceFrom(1, Skipped, NULL), Count - 1);
    CHECK_EQ(RtlPcToFileHeader(Skipped[0], &Base), Program); /* this test (another call) */
    CHECK_EQ(Skipped[1], Trace[2]);                          /* the same runner frame */
    CHECK_EQ(RtlCaptureStackBackTrace(0, 0, Skipped, NULL), 0);
}
