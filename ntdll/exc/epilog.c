/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Epilogues in virtual unwinding. x64 unwind data does not describe
 * epilogues (version 1); the rule compilers follow is that one is exactly:
 * an optional `add rsp, imm` or `lea rsp, [frame register + disp]`, pops of
 * nonvolatile registers, then `ret` (`rep ret`, `ret n`) or a jump that
 * leaves the function (a tail call). Code at the address that matches it
 * is in an epilogue: what is left of it is executed on the CONTEXT.
 */
#include "excp.h"

typedef struct _RTLP_EPILOG {
    PUCHAR Pc;
    ULONG64 Begin, End; /* the function, for jumps */
} RTLP_EPILOG;

/* `add rsp, imm8/imm32` or `lea rsp, [FrameRegister + disp8/disp32]`:
 * the new Rsp, or FALSE when the code is not one of them. */
static BOOLEAN RtlpEpilogStackAdjust(RTLP_EPILOG *E, PUNWIND_INFO Info, PCONTEXT Context,
                                     PULONG64 NewRsp)
{
    PUCHAR P = E->Pc;
    UCHAR Rex = P[0];

    if (Rex == 0x48 && P[1] == 0x83 && P[2] == 0xc4) {
        *NewRsp = Context->Rsp + (LONG64)(CHAR)P[3];
        E->Pc += 4;
        return TRUE;
    }
    if (Rex == 0x48 && P[1] == 0x81 && P[2] == 0xc4) {
        *NewRsp = Context->Rsp + (LONG64) * (LONG *)&P[3];
        E->Pc += 7;
        return TRUE;
    }
    if ((Rex == 0x48 || Rex == 0x49) && P[1] == 0x8d && (P[2] & 0x38) == 0x20 &&
        Info->FrameRegister != 0) {
        ULONG Base = (P[2] & 7) | ((Rex & 1) << 3);
        UCHAR Mod = P[2] >> 6;
        if (Base != Info->FrameRegister || (P[2] & 7) == 4 || (Mod != 1 && Mod != 2))
            return FALSE;
        *NewRsp =
            (&Context->Rax)[Base] + (Mod == 1 ? (LONG64)(CHAR)P[3] : (LONG64) * (LONG *)&P[3]);
        E->Pc += Mod == 1 ? 4 : 7;
        return TRUE;
    }
    return FALSE;
}

/* A `pop reg`: its register number, or -1. */
static LONG RtlpEpilogPop(RTLP_EPILOG *E)
{
    PUCHAR P = E->Pc;

    if (P[0] >= 0x58 && P[0] <= 0x5f) {
        E->Pc += 1;
        return P[0] - 0x58;
    }
    if (P[0] == 0x41 && P[1] >= 0x58 && P[1] <= 0x5f) {
        E->Pc += 2;
        return 8 + P[1] - 0x58;
    }
    return -1;
}

/* The instruction that ends an epilogue. */
static BOOLEAN RtlpEpilogEnd(RTLP_EPILOG *E)
{
    PUCHAR P = E->Pc;
    ULONG64 Target;

    if (P[0] == 0xc3 || P[0] == 0xc2 || (P[0] == 0xf3 && P[1] == 0xc3))
        return TRUE;
    if (P[0] == 0xff && P[1] == 0x25)
        return TRUE; /* jmp [rip + disp32]: an import */
    if (P[0] == 0x48 && P[1] == 0xff && P[2] == 0x25)
        return TRUE;
    if (P[0] == 0xe9)
        Target = (ULONG64)P + 5 + *(LONG *)&P[1];
    else if (P[0] == 0xeb)
        Target = (ULONG64)P + 2 + (CHAR)P[1];
    else
        return FALSE;
    return Target < E->Begin || Target >= E->End; /* a tail call leaves the function */
}

BOOLEAN RtlpUnwindEpilog(ULONG64 ImageBase, ULONG64 ControlPc, PRUNTIME_FUNCTION FunctionEntry,
                         PUNWIND_INFO Info, PCONTEXT Context,
                         PKNONVOLATILE_CONTEXT_POINTERS ContextPointers)
{
    RTLP_EPILOG E = {(PUCHAR)ControlPc, ImageBase + FunctionEntry->BeginAddress,
                     ImageBase + FunctionEntry->EndAddress};
    ULONG64 Rsp = Context->Rsp;
    LONG Pops[16], Count = 0, Register;

    RtlpEpilogStackAdjust(&E, Info, Context, &Rsp);
    while (Count < 16 && (Register = RtlpEpilogPop(&E)) >= 0)
        Pops[Count++] = Register;
    if (!RtlpEpilogEnd(&E))
        return FALSE;
    /* It is an epilogue: finish it. */
    for (LONG i = 0; i < Count; i++, Rsp += 8) {
        (&Context->Rax)[Pops[i]] = *(PULONG64)Rsp;
        if (ContextPointers)
            ContextPointers->IntegerContext[Pops[i]] = (PULONG64)Rsp;
    }
    Context->Rip = *(PULONG64)Rsp;
    Context->Rsp = Rsp + 8;
    return TRUE;
}
