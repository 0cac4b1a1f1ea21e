/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of ntcmd's pure part (base/ntcmd/cmdcore.h), built with the
 * build machine's compiler under ASan/UBSan: the serial decoder (bytes and
 * VT100/xterm sequences to keys), the keyboard decoder (set-1 make codes
 * with Shift, Ctrl and Caps Lock), and the word, command, number and path
 * rules. Prints TEST-PASS/TEST-FAIL ntcmd.<name> and SUITE-END ntcmd.
 * Expected values are what a terminal sends, what a PC keyboard means and
 * what the shell's README promises, never read off the code.
 */
#include <stdio.h>
#include <string.h>

#include "../../../base/ntcmd/cmdcore.h"

typedef const char *(*ntcmd_test_fn)(void);

#define STR2(x) #x
#define STR(x)  STR2(x)
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return __FILE__ ":" STR(__LINE__) ": " #cond;                                          \
    } while (0)

/* ---- serial bytes -------------------------------------------------------------------------- */

/* Feed Bytes; the keys that came out go to Keys (at most Max); their count. */
static int serial(const char *Bytes, size_t Length, CMD_KEY *Keys, int Max)
{
    int Count = 0;

    for (size_t i = 0; i < Length; i++) {
        CMD_KEY Key;

        if (CmdSerialByte((UCHAR)Bytes[i], &Key) && Count < Max)
            Keys[Count++] = Key;
    }
    return Count;
}

/* The one key a sequence gives, or CmdKeyNone when it gives none or several. */
static CMD_KEY_KIND serial_one(const char *Bytes)
{
    CMD_KEY Keys[4];

    return serial(Bytes, strlen(Bytes), Keys, 4) == 1 ? Keys[0].Kind : CmdKeyNone;
}

static const char *test_serial_printable(void)
{
    CMD_KEY Keys[8];

    CHECK(serial("a Z~", 4, Keys, 8) == 4);
    CHECK(Keys[0].Kind == CmdKeyChar && Keys[0].Char == 'a');
    CHECK(Keys[1].Kind == CmdKeyChar && Keys[1].Char == ' ');
    CHECK(Keys[2].Char == 'Z' && Keys[3].Char == '~');
    /* Other control characters and bytes above 0x7e type nothing. */
    CHECK(serial("\x02\x7e\x80\xff", 4, Keys, 8) == 1 && Keys[0].Char == '~');
    return NULL;
}

static const char *test_serial_enter(void)
{
    CMD_KEY Keys[8];

    /* The decoder sees one stream: "x" keeps a CR from pairing with the
     * next check's LF. */
    CHECK(serial_one("x\r") == CmdKeyNone); /* two keys */
    CHECK(serial_one("x") == CmdKeyChar);
    CHECK(serial_one("\n") == CmdKeyEnter);
    CHECK(serial_one("\r") == CmdKeyEnter);
    CHECK(serial_one("x") == CmdKeyChar);
    /* CR LF is one Enter, CR CR two, LF LF two. */
    CHECK(serial("\r\n", 2, Keys, 8) == 1 && Keys[0].Kind == CmdKeyEnter);
    CHECK(serial("\r\r", 2, Keys, 8) == 2);
    CHECK(serial("x\n\n", 3, Keys, 8) == 3 && Keys[1].Kind == CmdKeyEnter);
    return NULL;
}

static const char *test_serial_editing(void)
{
    CHECK(serial_one("\x7f") == CmdKeyBackspace);
    CHECK(serial_one("\x08") == CmdKeyBackspace);
    CHECK(serial_one("\x01") == CmdKeyHome);
    CHECK(serial_one("\x05") == CmdKeyEnd);
    CHECK(serial_one("\x03") == CmdKeyCancel);
    return NULL;
}

static const char *test_serial_cursor_keys(void)
{
    CHECK(serial_one("\x1b[A") == CmdKeyUp);
    CHECK(serial_one("\x1b[B") == CmdKeyDown);
    CHECK(serial_one("\x1b[C") == CmdKeyRight);
    CHECK(serial_one("\x1b[D") == CmdKeyLeft);
    /* Application cursor mode. */
    CHECK(serial_one("\x1bOA") == CmdKeyUp);
    CHECK(serial_one("\x1bOD") == CmdKeyLeft);
    return NULL;
}

static const char *test_serial_home_end_delete(void)
{
    CHECK(serial_one("\x1b[H") == CmdKeyHome);
    CHECK(serial_one("\x1b[F") == CmdKeyEnd);
    CHECK(serial_one("\x1bOH") == CmdKeyHome);
    CHECK(serial_one("\x1bOF") == CmdKeyEnd);
    CHECK(serial_one("\x1b[1~") == CmdKeyHome); /* VT220 */
    CHECK(serial_one("\x1b[7~") == CmdKeyHome); /* rxvt */
    CHECK(serial_one("\x1b[4~") == CmdKeyEnd);
    CHECK(serial_one("\x1b[8~") == CmdKeyEnd);
    CHECK(serial_one("\x1b[3~") == CmdKeyDelete);
    return NULL;
}

static const char *test_serial_unknown_sequences(void)
{
    CMD_KEY Keys[8];

    /* Insert, F5 and a modified arrow's parameters: no key, and the bytes
     * after them are read afresh. */
    CHECK(serial("\x1b[2~x", 5, Keys, 8) == 1 && Keys[0].Char == 'x');
    CHECK(serial("\x1b[15~y", 6, Keys, 8) == 1 && Keys[0].Char == 'y');
    CHECK(serial("\x1b[1;5Cz", 7, Keys, 8) == 2 && Keys[0].Kind == CmdKeyRight &&
          Keys[1].Char == 'z');
    return NULL;
}

/* ---- keyboard records ---------------------------------------------------------------------- */

static BOOLEAN press(USHORT Code, USHORT Flags, CMD_KEY *Key)
{
    KEYBOARD_INPUT_DATA Data = {0, Code, Flags, 0, 0};

    return CmdKeyboardRecord(&Data, Key);
}

/* The character of a make code, or 0 when it gives no character. */
static char typed(USHORT Code)
{
    CMD_KEY Key;

    if (!press(Code, KEY_MAKE, &Key) || Key.Kind != CmdKeyChar)
        return 0;
    return Key.Char;
}

static const char *test_keyboard_letters_digits(void)
{
    CMD_KEY Key;

    CHECK(typed(0x1e) == 'a' && typed(0x2c) == 'z' && typed(0x10) == 'q');
    CHECK(typed(0x02) == '1' && typed(0x0b) == '0' && typed(0x39) == ' ');
    CHECK(typed(0x0c) == '-' && typed(0x2b) == '\\' && typed(0x35) == '/');
    /* A release types nothing. */
    CHECK(!press(0x1e, KEY_BREAK, &Key));
    return NULL;
}

static const char *test_keyboard_shift(void)
{
    CMD_KEY Key;
    char a, one, slash;

    CHECK(!press(0x2a, KEY_MAKE, &Key)); /* left Shift */
    a = typed(0x1e);
    one = typed(0x02);
    slash = typed(0x35);
    CHECK(!press(0x2a, KEY_BREAK, &Key));
    CHECK(a == 'A' && one == '!' && slash == '?');
    CHECK(typed(0x1e) == 'a');
    CHECK(!press(0x36, KEY_MAKE, &Key)); /* right Shift */
    a = typed(0x28);
    CHECK(!press(0x36, KEY_BREAK, &Key));
    CHECK(a == '"');
    return NULL;
}

static const char *test_keyboard_caps_lock(void)
{
    CMD_KEY Key;
    char a, one, shifted;

    CHECK(!press(0x3a, KEY_MAKE, &Key));
    CHECK(!press(0x3a, KEY_BREAK, &Key));
    a = typed(0x1e);
    one = typed(0x02);
    press(0x2a, KEY_MAKE, &Key);
    shifted = typed(0x1e);
    press(0x2a, KEY_BREAK, &Key);
    /* Caps Lock again turns it off. */
    press(0x3a, KEY_MAKE, &Key);
    press(0x3a, KEY_BREAK, &Key);
    CHECK(a == 'A' && one == '1' && shifted == 'a');
    CHECK(typed(0x1e) == 'a');
    return NULL;
}

static const char *test_keyboard_control_keys(void)
{
    CMD_KEY Key;
    BOOLEAN Cancel, Home;

    CHECK(press(0x1c, KEY_MAKE, &Key) && Key.Kind == CmdKeyEnter);
    CHECK(press(0x0e, KEY_MAKE, &Key) && Key.Kind == CmdKeyBackspace);
    CHECK(!press(0x01, KEY_MAKE, &Key)); /* Esc */
    CHECK(!press(0x0f, KEY_MAKE, &Key)); /* Tab */
    press(0x1d, KEY_MAKE, &Key);         /* Ctrl */
    Cancel = press(0x2e, KEY_MAKE, &Key) && Key.Kind == CmdKeyCancel;
    Home = press(0x1e, KEY_MAKE, &Key) && Key.Kind == CmdKeyHome;
    press(0x1d, KEY_BREAK, &Key);
    CHECK(Cancel && Home);
    CHECK(typed(0x2e) == 'c');
    return NULL;
}

static const char *test_keyboard_extended_keys(void)
{
    CMD_KEY Key;

    CHECK(press(0x48, KEY_E0, &Key) && Key.Kind == CmdKeyUp);
    CHECK(press(0x50, KEY_E0, &Key) && Key.Kind == CmdKeyDown);
    CHECK(press(0x4b, KEY_E0, &Key) && Key.Kind == CmdKeyLeft);
    CHECK(press(0x4d, KEY_E0, &Key) && Key.Kind == CmdKeyRight);
    CHECK(press(0x47, KEY_E0, &Key) && Key.Kind == CmdKeyHome);
    CHECK(press(0x4f, KEY_E0, &Key) && Key.Kind == CmdKeyEnd);
    CHECK(press(0x53, KEY_E0, &Key) && Key.Kind == CmdKeyDelete);
    CHECK(press(0x1c, KEY_E0, &Key) && Key.Kind == CmdKeyEnter); /* keypad Enter */
    CHECK(!press(0x48, KEY_E0 | KEY_BREAK, &Key));
    /* Right Ctrl (E0 1D) is Ctrl too. */
    press(0x1d, KEY_E0, &Key);
    CHECK(press(0x2e, KEY_MAKE, &Key) && Key.Kind == CmdKeyCancel);
    press(0x1d, KEY_E0 | KEY_BREAK, &Key);
    /* The keypad's 8 without Num Lock is Up. */
    CHECK(press(0x48, KEY_MAKE, &Key) && Key.Kind == CmdKeyUp);
    return NULL;
}

/* ---- words, commands, numbers, paths -------------------------------------------------------- */

static const char *test_split_words(void)
{
    static CMD_ARGS Args;
    const char *Line = "echo  a \"b c\" d\"e f\"";

    CmdSplit(Line, &Args);
    CHECK(Args.Argc == 4);
    CHECK(strcmp(Args.Argv[0], "echo") == 0 && strcmp(Args.Argv[1], "a") == 0);
    CHECK(strcmp(Args.Argv[2], "b c") == 0 && strcmp(Args.Argv[3], "de f") == 0);
    CHECK(Args.Argv[4] == NULL);
    CHECK(strcmp(Args.Rest, "a \"b c\" d\"e f\"") == 0);
    CmdSplit(" \t ", &Args);
    CHECK(Args.Argc == 0 && strcmp(Args.Rest, "") == 0);
    CmdSplit("ver", &Args);
    CHECK(Args.Argc == 1 && strcmp(Args.Rest, "") == 0);
    return NULL;
}

static const char *test_split_limits(void)
{
    static CMD_ARGS Args;
    static char Long[4 * CMD_LINE_MAX];

    /* More words than CMD_ARGS_MAX: the rest are not taken, Argv ends in NULL. */
    for (int i = 0; i < 2 * CMD_ARGS_MAX; i++)
        strcat(Long, "w ");
    CmdSplit(Long, &Args);
    CHECK(Args.Argc == CMD_ARGS_MAX - 1 && Args.Argv[Args.Argc] == NULL);
    /* A word longer than the word buffer is cut, never overflows. */
    memset(Long, 'x', sizeof(Long) - 1);
    CmdSplit(Long, &Args);
    CHECK(Args.Argc == 1 && strlen(Args.Argv[0]) < CMD_LINE_MAX);
    return NULL;
}

static const char *test_next_command(void)
{
    char Piece[64];
    const char *Line = "echo a & echo \"x&y\" &z";

    Line = CmdNextCommand(Line, Piece, sizeof(Piece));
    CHECK(strcmp(Piece, "echo a ") == 0);
    Line = CmdNextCommand(Line, Piece, sizeof(Piece));
    CHECK(strcmp(Piece, " echo \"x&y\" ") == 0);
    Line = CmdNextCommand(Line, Piece, sizeof(Piece));
    CHECK(strcmp(Piece, "z") == 0 && *Line == 0);
    /* Cut to the buffer, NUL-terminated. */
    CmdNextCommand("abcdefgh", Piece, 4);
    CHECK(strcmp(Piece, "abc") == 0);
    return NULL;
}

static const char *test_numbers(void)
{
    ULONG Value = 7;

    CHECK(CmdNumber("999", &Value) && Value == 999);
    CHECK(CmdNumber("0x1F", &Value) && Value == 31);
    CHECK(CmdNumber("0", &Value) && Value == 0);
    CHECK(!CmdNumber("nine", &Value) && !CmdNumber("12a", &Value));
    CHECK(!CmdNumber("", &Value) && !CmdNumber("-1", &Value) && !CmdNumber(NULL, &Value));
    return NULL;
}

static const char *resolve(const char *Current, const char *Path, const char *Expected)
{
    static char Out[CMD_PATH_MAX];

    strcpy(CmdCurrentDirectory, Current);
    if (!CmdResolvePath(Path, Out, sizeof(Out)))
        return "CmdResolvePath failed";
    return strcmp(Out, Expected) == 0 ? NULL : Out;
}

static const char *test_resolve_path(void)
{
    CHECK(resolve("\\", "Device", "\\Device") == NULL);
    CHECK(resolve("\\", "\\Device\\..\\Driver", "\\Driver") == NULL);
    CHECK(resolve("\\", "..", "\\") == NULL);
    CHECK(resolve("\\", "a\\b\\..\\c", "\\a\\c") == NULL);
    CHECK(resolve("\\Device", "Null", "\\Device\\Null") == NULL);
    CHECK(resolve("\\Device", "..\\..\\..", "\\") == NULL);
    CHECK(resolve("\\Device", ".", "\\Device") == NULL);
    CHECK(resolve("\\Device", "", "\\Device") == NULL);
    CHECK(resolve("\\", "\\Device\\", "\\Device") == NULL);
    CHECK(resolve("\\", "\\\\Device\\\\Null", "\\Device\\Null") == NULL);
    CHECK(resolve("\\A\\B", "..\\C", "\\A\\C") == NULL);
    /* "..." is a name like any other. */
    CHECK(resolve("\\", "...", "\\...") == NULL);
    strcpy(CmdCurrentDirectory, "\\");
    return NULL;
}

static const char *test_resolve_too_long(void)
{
    char Out[16], Long[64];

    strcpy(CmdCurrentDirectory, "\\");
    memset(Long, 'n', sizeof(Long) - 1);
    Long[sizeof(Long) - 1] = 0;
    CHECK(!CmdResolvePath(Long, Out, sizeof(Out)));
    CHECK(CmdResolvePath("\\abc", Out, 5) && strcmp(Out, "\\abc") == 0);
    CHECK(!CmdResolvePath("\\abcd", Out, 5));
    return NULL;
}

static const struct {
    const char *Name;
    ntcmd_test_fn Fn;
} Tests[] = {
    {"serial_printable", test_serial_printable},
    {"serial_enter", test_serial_enter},
    {"serial_editing", test_serial_editing},
    {"serial_cursor_keys", test_serial_cursor_keys},
    {"serial_home_end_delete", test_serial_home_end_delete},
    {"serial_unknown_sequences", test_serial_unknown_sequences},
    {"keyboard_letters_digits", test_keyboard_letters_digits},
    {"keyboard_shift", test_keyboard_shift},
    {"keyboard_caps_lock", test_keyboard_caps_lock},
    {"keyboard_control_keys", test_keyboard_control_keys},
    {"keyboard_extended_keys", test_keyboard_extended_keys},
    {"split_words", test_split_words},
    {"split_limits", test_split_limits},
    {"next_command", test_next_command},
    {"numbers", test_numbers},
    {"resolve_path", test_resolve_path},
    {"resolve_too_long", test_resolve_too_long},
};

int main(void)
{
    int Failed = 0;

    for (size_t i = 0; i < sizeof(Tests) / sizeof(Tests[0]); i++) {
        const char *Why = Tests[i].Fn();

        if (Why)
            printf("TEST-FAIL ntcmd.%s: %s\n", Tests[i].Name, Why);
        else
            printf("TEST-PASS ntcmd.%s\n", Tests[i].Name);
        Failed += Why != NULL;
    }
    printf("SUITE-END ntcmd\n");
    return Failed ? 1 : 0;
}
