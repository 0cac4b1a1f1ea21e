/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * console.sys (drivers/video/console) through the native API: bytes
 * written to \Device\Console read back from the screen with the driver's
 * IOCTL_CONSOLE_QUERY_SCREEN (drivers/include/nrconsole.h; from VGA memory
 * in text mode): plain text, CR/LF/BS/TAB, the VT100 subset (clear, home,
 * cursor position and moves, erase in line, attributes), wrapping and
 * scrolling, and the IOCTL's buffer checks.
 */
#include "ntdriver.h"

#define IOCTL_CONSOLE_QUERY_SCREEN                                                                 \
    NTAPI_CTL_CODE(FILE_DEVICE_CONSOLE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _CONSOLE_SCREEN_INFO {
    ULONG Kind, Columns, Rows, CursorColumn, CursorRow, Reserved;
} CONSOLE_SCREEN_INFO;

typedef struct _CONSOLE_SCREEN {
    CONSOLE_SCREEN_INFO Info;
    USHORT Cells[16000]; /* a 1280x1024 framebuffer has 160 x 64 = 10240 cells */
} CONSOLE_SCREEN;

static CONSOLE_SCREEN ConsoleScreen;

static SIZE_T ConsoleLength(PCSTR Text)
{
    SIZE_T n = 0;
    while (Text[n])
        n++;
    return n;
}

static BOOLEAN ConsoleWrite(HANDLE Console, PCSTR Text)
{
    ULONG_PTR Info = 0;
    ULONG Length = (ULONG)ConsoleLength(Text);
    return CHECK_STATUS(NtapiDeviceWrite(Console, Text, Length, &Info), STATUS_SUCCESS) &&
           CHECK_EQ(Info, Length);
}

static BOOLEAN ConsoleQuery(HANDLE Console)
{
    ULONG_PTR Info = 0;
    if (!CHECK_STATUS(NtapiDeviceIoControl(Console, IOCTL_CONSOLE_QUERY_SCREEN, NULL, 0,
                                           &ConsoleScreen, sizeof(ConsoleScreen), &Info),
                      STATUS_SUCCESS))
        return FALSE;
    return CHECK_EQ(Info, sizeof(CONSOLE_SCREEN_INFO) +
                              ConsoleScreen.Info.Rows * ConsoleScreen.Info.Columns * 2);
}

static USHORT ConsoleCell(ULONG Row, ULONG Column)
{
    return ConsoleScreen.Cells[Row * ConsoleScreen.Info.Columns + Column];
}

/* Row's characters from Column equal Text. */
static BOOLEAN ConsoleShows(ULONG Row, ULONG Column, PCSTR Text)
{
    for (ULONG i = 0; Text[i]; i++)
        if ((ConsoleCell(Row, Column + i) & 0xFF) != (UCHAR)Text[i])
            return FALSE;
    return TRUE;
}

static HANDLE ConsoleOpen(VOID)
{
    return NtapiLoadAndOpen(L"Console", L"\\Device\\Console");
}

TEST(console, write_reads_back)
{
    HANDLE Console = ConsoleOpen();
    if (!Console)
        return;
    if (ConsoleWrite(Console, "\x1b[2J\x1b[Hhello, console\r\nline 2\tx") &&
        ConsoleQuery(Console)) {
        CHECK(ConsoleScreen.Info.Kind == 1 || ConsoleScreen.Info.Kind == 2);
        CHECK(ConsoleScreen.Info.Columns >= 80 && ConsoleScreen.Info.Rows >= 25);
        CHECK(ConsoleShows(0, 0, "hello, console"));
        CHECK(ConsoleShows(1, 0, "line 2  x"));
        CHECK_EQ(ConsoleCell(0, 0) >> 8, 0x07); /* light grey on black */
        CHECK_EQ(ConsoleScreen.Info.CursorRow, 1);
        CHECK_EQ(ConsoleScreen.Info.CursorColumn, 9);
    }
    NtClose(Console);
}

TEST(console, escape_sequences)
{
    HANDLE Console = ConsoleOpen();
    if (!Console)
        return;
    /* Position, attributes, erase to the end of the line, moves, BS. */
    if (ConsoleWrite(Console, "\x1b[2J\x1b[3;5Hab\x1b[7mR\x1b[0m\x1b[1mB\x1b[0m"
                              "\x1b[5;1Habcdef\x1b[3D\x1b[K\x1b[2CZ\bY") &&
        ConsoleQuery(Console)) {
        CHECK(ConsoleShows(2, 4, "abRB"));
        CHECK_EQ(ConsoleCell(2, 6) >> 8, 0x70); /* reverse: black on grey */
        CHECK_EQ(ConsoleCell(2, 7) >> 8, 0x0F); /* bold: bright white */
        CHECK_EQ(ConsoleCell(2, 8) >> 8, 0x07);
        CHECK(ConsoleShows(4, 0, "abc  Y")); /* "def" erased, Z overwritten by Y */
        CHECK_EQ(ConsoleScreen.Info.CursorRow, 4);
        CHECK_EQ(ConsoleScreen.Info.CursorColumn, 6);
    }
    NtClose(Console);
}

TEST(console, scrolls_at_the_bottom)
{
    HANDLE Console = ConsoleOpen();
    ULONG Rows;
    if (!Console)
        return;
    if (!ConsoleWrite(Console, "\x1b[2J\x1b[Hfirst\r\nsecond") || !ConsoleQuery(Console))
        goto out;
    Rows = ConsoleScreen.Info.Rows;
    for (ULONG i = 0; i < Rows - 1; i++)
        ConsoleWrite(Console, "\n");
    if (ConsoleQuery(Console)) {
        CHECK(ConsoleShows(0, 0, "second")); /* "first" scrolled away */
        CHECK_EQ(ConsoleScreen.Info.CursorRow, Rows - 1);
        CHECK_EQ(ConsoleCell(Rows - 1, 0) & 0xFF, ' ');
    }
out:
    NtClose(Console);
}

TEST(console, query_buffer_checks)
{
    HANDLE Console = ConsoleOpen();
    ULONG_PTR Info = 0;
    if (!Console)
        return;
    CHECK_STATUS(NtapiDeviceIoControl(Console, IOCTL_CONSOLE_QUERY_SCREEN, NULL, 0, &ConsoleScreen,
                                      sizeof(CONSOLE_SCREEN_INFO) - 4, NULL),
                 STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(NtapiDeviceIoControl(Console, IOCTL_CONSOLE_QUERY_SCREEN, NULL, 0, &ConsoleScreen,
                                      sizeof(CONSOLE_SCREEN_INFO) + 10, &Info),
                 STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(Info, sizeof(CONSOLE_SCREEN_INFO) + 10);
    CHECK_STATUS(NtapiDeviceRead(Console, &ConsoleScreen, 16, NULL), STATUS_INVALID_DEVICE_REQUEST);
    NtClose(Console);
}

/* NtDisplayString's text reaches the console as well as the serial line
 * (ntos/io/console.c). */
TEST(console, display_string_drawn)
{
    UNICODE_STRING Text;
    HANDLE Console = ConsoleOpen();
    if (!Console)
        return;
    RtlInitUnicodeString(&Text, L"shown by NtDisplayString");
    if (ConsoleWrite(Console, "\x1b[2J\x1b[H") &&
        CHECK_STATUS(NtDisplayString(&Text), STATUS_SUCCESS) && ConsoleQuery(Console)) {
        CHECK(ConsoleShows(0, 0, "shown by NtDisplayString"));
        CHECK_EQ(ConsoleScreen.Info.CursorColumn, 24);
    }
    NtClose(Console);
}
