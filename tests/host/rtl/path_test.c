/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of DOS path handling (path.c, pathname.c): path types, DOS device
 * names, full path names against a given current directory, and NT names.
 */
#include "rtl_test.h"

static UNICODE_STRING cwd_drive, cwd_unc;

static VOID set_cwds(void)
{
    RtlInitUnicodeString(&cwd_drive, u"C:\\work\\dir\\");
    RtlInitUnicodeString(&cwd_unc, u"\\\\server\\share\\sub\\");
}

/* Full path of name against cwd equals expect (NULL: must fail). */
static BOOLEAN full_is(PCWSTR name, PCUNICODE_STRING cwd, PCWSTR expect)
{
    WCHAR buf[260];
    ULONG n = RtlpGetFullPathName(name, cwd, sizeof(buf), buf, NULL);

    if (!expect)
        return n == 0;
    return n == RtlpWideLength(expect) * sizeof(WCHAR) && rt_wide_equal(buf, expect);
}

static const char *path_type(void)
{
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\server\\share") == RtlPathTypeUncAbsolute);
    CHECK(RtlDetermineDosPathNameType_U(u"//server") == RtlPathTypeUncAbsolute);
    CHECK(RtlDetermineDosPathNameType_U(u"C:\\x") == RtlPathTypeDriveAbsolute);
    CHECK(RtlDetermineDosPathNameType_U(u"c:/x") == RtlPathTypeDriveAbsolute);
    CHECK(RtlDetermineDosPathNameType_U(u"C:x") == RtlPathTypeDriveRelative);
    CHECK(RtlDetermineDosPathNameType_U(u"C:") == RtlPathTypeDriveRelative);
    CHECK(RtlDetermineDosPathNameType_U(u"\\x") == RtlPathTypeRooted);
    CHECK(RtlDetermineDosPathNameType_U(u"x\\y") == RtlPathTypeRelative);
    CHECK(RtlDetermineDosPathNameType_U(u"") == RtlPathTypeRelative);
    return NULL;
}

static const char *path_type_devices(void)
{
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\.\\C:") == RtlPathTypeLocalDevice);
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\?\\C:\\x") == RtlPathTypeLocalDevice);
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\.") == RtlPathTypeRootLocalDevice);
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\?") == RtlPathTypeRootLocalDevice);
    CHECK(RtlDetermineDosPathNameType_U(u"\\\\.x") == RtlPathTypeUncAbsolute);
    return NULL;
}

static const char *dos_device_plain(void)
{
    CHECK(RtlIsDosDeviceName_U(u"NUL") == 6);
    CHECK(RtlIsDosDeviceName_U(u"con") == 6);
    CHECK(RtlIsDosDeviceName_U(u"COM1") == 8);
    CHECK(RtlIsDosDeviceName_U(u"lpt9") == 8);
    CHECK(RtlIsDosDeviceName_U(u"COM0") == 0);
    CHECK(RtlIsDosDeviceName_U(u"CONX") == 0 && RtlIsDosDeviceName_U(u"file") == 0);
    return NULL;
}

static const char *dos_device_in_path(void)
{
    CHECK(RtlIsDosDeviceName_U(u"C:\\dir\\nul.txt") == ((14u << 16) | 6));
    CHECK(RtlIsDosDeviceName_U(u"c:aux") == ((4u << 16) | 6));
    CHECK(RtlIsDosDeviceName_U(u"PRN:") == 6);
    CHECK(RtlIsDosDeviceName_U(u"nul:.txt") == 6);
    CHECK(RtlIsDosDeviceName_U(u"NUL  ") == 6);
    CHECK(RtlIsDosDeviceName_U(u"dir\\com3.log") == ((8u << 16) | 8));
    return NULL;
}

static const char *dos_device_not(void)
{
    CHECK(RtlIsDosDeviceName_U(u"\\\\server\\share\\nul") == 0);
    CHECK(RtlIsDosDeviceName_U(u"\\\\.\\CON") == ((8u << 16) | 6));
    CHECK(RtlIsDosDeviceName_U(u"\\\\.\\NUL") == 0);
    CHECK(RtlIsDosDeviceName_U(u"nul\\x") == 0);
    CHECK(RtlIsDosDeviceName_U(u"") == 0);
    return NULL;
}

static const char *full_relative(void)
{
    set_cwds();
    CHECK(full_is(u"file.txt", &cwd_drive, u"C:\\work\\dir\\file.txt"));
    CHECK(full_is(u"a/b\\c", &cwd_drive, u"C:\\work\\dir\\a\\b\\c"));
    CHECK(full_is(u"sub\\", &cwd_drive, u"C:\\work\\dir\\sub\\"));
    return NULL;
}

static const char *full_dots(void)
{
    set_cwds();
    CHECK(full_is(u".", &cwd_drive, u"C:\\work\\dir"));
    CHECK(full_is(u"..", &cwd_drive, u"C:\\work"));
    CHECK(full_is(u"..\\..\\..\\..", &cwd_drive, u"C:\\"));
    CHECK(full_is(u"a\\.\\b\\..\\c", &cwd_drive, u"C:\\work\\dir\\a\\c"));
    CHECK(full_is(u".\\", &cwd_drive, u"C:\\work\\dir\\"));
    return NULL;
}

static const char *full_absolute(void)
{
    set_cwds();
    CHECK(full_is(u"D:\\x\\y", &cwd_drive, u"D:\\x\\y"));
    CHECK(full_is(u"d:/x//y/", &cwd_drive, u"d:\\x\\y\\"));
    CHECK(full_is(u"C:\\", &cwd_drive, u"C:\\"));
    CHECK(full_is(u"C:\\..\\x", &cwd_drive, u"C:\\x"));
    return NULL;
}

static const char *full_rooted(void)
{
    set_cwds();
    CHECK(full_is(u"\\top", &cwd_drive, u"C:\\top"));
    CHECK(full_is(u"\\", &cwd_drive, u"C:\\"));
    CHECK(full_is(u"\\x", &cwd_unc, u"\\\\server\\share\\x"));
    return NULL;
}

static const char *full_drive_relative(void)
{
    set_cwds();
    CHECK(full_is(u"c:x", &cwd_drive, u"C:\\work\\dir\\x"));
    CHECK(full_is(u"E:x", &cwd_drive, u"E:\\x"));
    CHECK(full_is(u"C:", &cwd_drive, u"C:\\work\\dir"));
    return NULL;
}

static const char *full_unc(void)
{
    set_cwds();
    CHECK(full_is(u"\\\\srv\\sh\\a\\..\\b", &cwd_drive, u"\\\\srv\\sh\\b"));
    CHECK(full_is(u"\\\\srv\\sh\\..\\..", &cwd_drive, u"\\\\srv\\sh"));
    CHECK(full_is(u"x", &cwd_unc, u"\\\\server\\share\\sub\\x"));
    CHECK(full_is(u"..\\..", &cwd_unc, u"\\\\server\\share"));
    return NULL;
}

static const char *full_trailing_dots_spaces(void)
{
    set_cwds();
    CHECK(full_is(u"C:\\a\\name.  ", &cwd_drive, u"C:\\a\\name"));
    CHECK(full_is(u"C:\\a\\name...", &cwd_drive, u"C:\\a\\name"));
    CHECK(full_is(u"C:\\a.\\b", &cwd_drive, u"C:\\a\\b"));
    CHECK(full_is(u"C:\\a b\\c", &cwd_drive, u"C:\\a b\\c"));
    return NULL;
}

static const char *full_devices(void)
{
    set_cwds();
    CHECK(full_is(u"nul", &cwd_drive, u"\\\\.\\nul"));
    CHECK(full_is(u"C:\\x\\COM1.txt", &cwd_drive, u"\\\\.\\COM1"));
    CHECK(full_is(u"\\\\.\\C:\\a\\..\\b", &cwd_drive, u"\\\\.\\C:\\b"));
    CHECK(full_is(u"\\\\?\\C:\\a\\..\\b", &cwd_drive, u"\\\\?\\C:\\a\\..\\b"));
    CHECK(full_is(u"\\\\.", &cwd_drive, u"\\\\.\\"));
    return NULL;
}

static const char *full_sizes(void)
{
    WCHAR buf[32];
    ULONG need, n;

    set_cwds();
    need = RtlpGetFullPathName(u"abc", &cwd_drive, 0, NULL, NULL);
    CHECK(need == sizeof(u"C:\\work\\dir\\abc"));
    CHECK(RtlpGetFullPathName(u"abc", &cwd_drive, need - 1, buf, NULL) == need);
    n = RtlpGetFullPathName(u"abc", &cwd_drive, need, buf, NULL);
    CHECK(n == need - 2 && buf[n / 2] == 0);
    CHECK(RtlpGetFullPathName(u"", &cwd_drive, sizeof(buf), buf, NULL) == 0);
    CHECK(RtlpGetFullPathName(NULL, &cwd_drive, sizeof(buf), buf, NULL) == 0);
    return NULL;
}

static const char *full_file_part(void)
{
    WCHAR buf[64];
    PWSTR part = (PWSTR)1;

    set_cwds();
    RtlpGetFullPathName(u"x\\name.ext", &cwd_drive, sizeof(buf), buf, &part);
    CHECK(part && rt_wide_equal(part, u"name.ext"));
    RtlpGetFullPathName(u"x\\", &cwd_drive, sizeof(buf), buf, &part);
    CHECK(part == NULL);
    RtlpGetFullPathName(u"C:\\", &cwd_drive, sizeof(buf), buf, &part);
    CHECK(part == NULL);
    return NULL;
}

static const char *full_public_uses_cwd(void)
{
    WCHAR buf[64];
    PWSTR part;

    CHECK(RtlGetFullPathName_U(u"f", sizeof(buf), buf, &part) == 2 * 13);
    CHECK(rt_wide_equal(buf, u"C:\\work\\dir\\f") && part == buf + 12);
    return NULL;
}

/* NT name of dos against cwd equals expect. */
static const char *nt_is(PCWSTR dos, PCUNICODE_STRING cwd, PCWSTR expect)
{
    UNICODE_STRING nt;
    NTSTATUS st = RtlpDosPathNameToNtPathName(dos, cwd, &nt, NULL, NULL);

    if (!NT_SUCCESS(st))
        return "conversion failed";
    if (!rt_ustr_equal(&nt, expect) || nt.MaximumLength != nt.Length + 2 ||
        nt.Buffer[nt.Length / 2] != 0) {
        RtlFreeUnicodeString(&nt);
        return "wrong NT name";
    }
    RtlFreeUnicodeString(&nt);
    return NULL;
}

static const char *nt_name_drive(void)
{
    const char *why;

    set_cwds();
    why = nt_is(u"C:\\Windows\\system32", &cwd_drive, u"\\??\\C:\\Windows\\system32");
    CHECK(!why);
    why = nt_is(u"rel\\..\\f", &cwd_drive, u"\\??\\C:\\work\\dir\\f");
    CHECK(!why);
    return NULL;
}

static const char *nt_name_unc_and_devices(void)
{
    const char *why;

    set_cwds();
    why = nt_is(u"\\\\srv\\share\\f", &cwd_drive, u"\\??\\UNC\\srv\\share\\f");
    CHECK(!why);
    why = nt_is(u"\\\\?\\C:\\a\\..\\b", &cwd_drive, u"\\??\\C:\\a\\..\\b");
    CHECK(!why);
    why = nt_is(u"\\\\.\\PhysicalDrive0", &cwd_drive, u"\\??\\PhysicalDrive0");
    CHECK(!why);
    why = nt_is(u"con", &cwd_drive, u"\\??\\con");
    CHECK(!why);
    return NULL;
}

static const char *nt_name_file_part_and_relative(void)
{
    UNICODE_STRING nt;
    RTL_RELATIVE_NAME_U rel;
    PWSTR part;

    set_cwds();
    memset(&rel, 0x55, sizeof(rel));
    CHECK(RtlpDosPathNameToNtPathName(u"C:\\d\\leaf", &cwd_drive, &nt, &part, &rel) ==
          STATUS_SUCCESS);
    CHECK(part && rt_wide_equal(part, u"leaf") && part == nt.Buffer + 9);
    CHECK(rel.RelativeName.Length == 0 && rel.RelativeName.Buffer == NULL &&
          rel.ContainingDirectory == NULL);
    RtlFreeUnicodeString(&nt);
    return NULL;
}

static const char *nt_name_errors(void)
{
    UNICODE_STRING nt;

    set_cwds();
    CHECK(RtlpDosPathNameToNtPathName(u"", &cwd_drive, &nt, NULL, NULL) ==
          STATUS_OBJECT_NAME_INVALID);
    rt_fail_next_allocation = 1;
    CHECK(RtlpDosPathNameToNtPathName(u"x", &cwd_drive, &nt, NULL, NULL) == STATUS_NO_MEMORY);
    CHECK(!RtlDosPathNameToNtPathName_U(u"", &nt, NULL, NULL));
    CHECK(RtlDosPathNameToNtPathName_U(u"x", &nt, NULL, NULL));
    CHECK(rt_ustr_equal(&nt, u"\\??\\C:\\work\\dir\\x"));
    RtlFreeUnicodeString(&nt);
    return NULL;
}

const rtl_test path_tests[] = {
    {"path_type", path_type},
    {"path_type_devices", path_type_devices},
    {"dos_device_plain", dos_device_plain},
    {"dos_device_in_path", dos_device_in_path},
    {"dos_device_not", dos_device_not},
    {"full_relative", full_relative},
    {"full_dots", full_dots},
    {"full_absolute", full_absolute},
    {"full_rooted", full_rooted},
    {"full_drive_relative", full_drive_relative},
    {"full_unc", full_unc},
    {"full_trailing_dots_spaces", full_trailing_dots_spaces},
    {"full_devices", full_devices},
    {"full_sizes", full_sizes},
    {"full_file_part", full_file_part},
    {"full_public_uses_cwd", full_public_uses_cwd},
    {"nt_name_drive", nt_name_drive},
    {"nt_name_unc_and_devices", nt_name_unc_and_devices},
    {"nt_name_file_part_and_relative", nt_name_file_part_and_relative},
    {"nt_name_errors", nt_name_errors},
    {NULL, NULL},
};
