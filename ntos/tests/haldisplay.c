/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Self-tests of NtDriverQueryDisplay's decoding (io/halmem.c) on made-up
 * bootinfo frames: the multiboot 2 framebuffer record (RGB, and EGA text),
 * the VBE record with and without its linear framebuffer, and none (VGA
 * text). QEMU's -kernel boot gives none of them, so only these tests see
 * the other paths.
 */
#include "ktest.h"

#include <string.h>

#include "../io/halp.h"

typedef struct __attribute__((packed)) _KT_MB_FRAMEBUFFER {
    seL4_BootInfoHeader Header;
    uint64_t Address;
    uint32_t Pitch, Width, Height;
    uint8_t Bpp, Type;
} KT_MB_FRAMEBUFFER;

/* A bootinfo frame with one extra record after it. */
static UCHAR KtBootInfo[2 * 4096] __attribute__((aligned(4096)));

static const seL4_BootInfo *KtMakeBootInfo(const void *Record, SIZE_T Length)
{
    seL4_BootInfo *BootInfo = (seL4_BootInfo *)KtBootInfo;

    memset(KtBootInfo, 0, sizeof(KtBootInfo));
    memcpy(KtBootInfo + 4096, Record, Length);
    BootInfo->extraLen = Length;
    return BootInfo;
}

KTEST(hal_display_multiboot_framebuffer)
{
    KT_MB_FRAMEBUFFER Fb = {
        {SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER, sizeof(Fb)}, 0xfd000000, 4096, 1024, 768, 32, 1};
    DRIVER_DISPLAY_INFO Display;

    HalpDescribeDisplay(KtMakeBootInfo(&Fb, sizeof(Fb)), &Display);
    CHECK_EQ(Display.Kind, DRIVER_DISPLAY_FRAMEBUFFER);
    CHECK_EQ(Display.PhysicalAddress, 0xfd000000);
    CHECK_EQ(Display.Width, 1024);
    CHECK_EQ(Display.Height, 768);
    CHECK_EQ(Display.Pitch, 4096);
    CHECK_EQ(Display.BitsPerPixel, 32);
    CHECK_EQ(Display.Size, 4096 * 768);
    CHECK(Display.RedShift == 16 && Display.GreenShift == 8 && Display.BlueShift == 0);
    CHECK(Display.RedSize == 8 && Display.GreenSize == 8 && Display.BlueSize == 8);
    Fb.Type = 2; /* EGA text */
    Fb.Address = 0xb8000, Fb.Width = 80, Fb.Height = 25;
    HalpDescribeDisplay(KtMakeBootInfo(&Fb, sizeof(Fb)), &Display);
    CHECK_EQ(Display.Kind, DRIVER_DISPLAY_VGA_TEXT);
    CHECK_EQ(Display.Pitch, 160);
}

KTEST(hal_display_vbe_and_none)
{
    static seL4_X86_BootInfo_VBE Vbe;
    DRIVER_DISPLAY_INFO Display;
    uint32_t Base = 0xe0000000;

    memset(&Vbe, 0, sizeof(Vbe));
    Vbe.header.id = SEL4_BOOTINFO_HEADER_X86_VBE;
    Vbe.header.len = sizeof(Vbe);
    Vbe.vbeMode = 0x4117;                                                 /* 1024x768x16, linear */
    Vbe.vbeModeInfoBlock[0x10] = 0x00, Vbe.vbeModeInfoBlock[0x11] = 0x08; /* pitch 2048 */
    Vbe.vbeModeInfoBlock[0x12] = 0x00, Vbe.vbeModeInfoBlock[0x13] = 0x04; /* 1024 */
    Vbe.vbeModeInfoBlock[0x14] = 0x00, Vbe.vbeModeInfoBlock[0x15] = 0x03; /* 768 */
    Vbe.vbeModeInfoBlock[0x19] = 16;
    Vbe.vbeModeInfoBlock[0x1f] = 5, Vbe.vbeModeInfoBlock[0x20] = 11;
    Vbe.vbeModeInfoBlock[0x21] = 6, Vbe.vbeModeInfoBlock[0x22] = 5;
    Vbe.vbeModeInfoBlock[0x23] = 5, Vbe.vbeModeInfoBlock[0x24] = 0;
    memcpy(&Vbe.vbeModeInfoBlock[0x28], &Base, sizeof(Base));
    HalpDescribeDisplay(KtMakeBootInfo(&Vbe, sizeof(Vbe)), &Display);
    CHECK_EQ(Display.Kind, DRIVER_DISPLAY_FRAMEBUFFER);
    CHECK_EQ(Display.PhysicalAddress, 0xe0000000);
    CHECK(Display.Width == 1024 && Display.Height == 768 && Display.Pitch == 2048);
    CHECK_EQ(Display.BitsPerPixel, 16);
    CHECK(Display.RedShift == 11 && Display.RedSize == 5 && Display.GreenSize == 6);
    CHECK_EQ(Display.Size, 2048 * 768);
    /* A text mode (no linear framebuffer bit): VGA text. */
    Vbe.vbeMode = 3;
    HalpDescribeDisplay(KtMakeBootInfo(&Vbe, sizeof(Vbe)), &Display);
    CHECK_EQ(Display.Kind, DRIVER_DISPLAY_VGA_TEXT);
    CHECK_EQ(Display.PhysicalAddress, 0xb8000);
    HalpDescribeDisplay(KtMakeBootInfo(&Vbe, 0), &Display);
    CHECK_EQ(Display.Kind, DRIVER_DISPLAY_VGA_TEXT);
    CHECK(Display.Width == 80 && Display.Height == 25 && Display.Size == 4000);
}
