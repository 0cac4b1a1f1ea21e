/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of RtlIsNameInExpression (ntdll/rtl/expr.c), the matcher of
 * NtQueryDirectoryFile's masks (dirctl branch): the documented meaning of
 * `*`, `?` and the DOS wildcards `<` (DOS_STAR), `>` (DOS_QM) and `"`
 * (DOS_DOT), case (an upper-case expression against any name), an upcase
 * table, and names too long to match.
 */
#include <stdlib.h>
#include "rtl_test.h"

static BOOLEAN rt_match(PCWSTR Expression, PCWSTR Name, BOOLEAN IgnoreCase)
{
    UNICODE_STRING e, n;

    RtlInitUnicodeString(&e, Expression);
    RtlInitUnicodeString(&n, Name);
    return RtlIsNameInExpression(&e, &n, IgnoreCase, NULL);
}

static const char *star_and_question(void)
{
    CHECK(rt_match(u"*", u"", FALSE) && rt_match(u"*", u"a.b.c", FALSE));
    CHECK(rt_match(u"*.SYS", u"null.sys", TRUE) && !rt_match(u"*.SYS", u"ntdll.dll", TRUE));
    CHECK(rt_match(u"N?LL.SYS", u"null.sys", TRUE) && !rt_match(u"N?LL.SYS", u"nul.sys", TRUE));
    CHECK(!rt_match(u"?", u"", FALSE) && rt_match(u"??", u"ab", FALSE));
    CHECK(rt_match(u"*A*B", u"xaxxb", FALSE) == FALSE); /* case kept: lower a */
    CHECK(rt_match(u"*A*B", u"XAXXB", FALSE) && !rt_match(u"*A*B", u"XAXXBC", FALSE));
    CHECK(rt_match(u"**x", u"abcx", FALSE) && rt_match(u"", u"", FALSE) &&
          !rt_match(u"", u"a", FALSE));
    return NULL;
}

static const char *case_rules(void)
{
    WCHAR *table = malloc(65536 * sizeof(WCHAR));

    CHECK(rt_match(u"NTDLL.DLL", u"ntdll.DLL", TRUE));
    CHECK(!rt_match(u"NTDLL.DLL", u"ntdll.DLL", FALSE));
    /* With IgnoreCase the expression is not upcased: lower case there never matches. */
    CHECK(!rt_match(u"ntdll.dll", u"ntdll.dll", TRUE));
    if (table == NULL)
        return "no memory";
    for (ULONG i = 0; i < 65536; i++)
        table[i] = (WCHAR)i;
    table[u'q'] = u'Z'; /* a table of its own is used as given */
    {
        UNICODE_STRING e, n;
        RtlInitUnicodeString(&e, u"Z");
        RtlInitUnicodeString(&n, u"q");
        BOOLEAN ok = RtlIsNameInExpression(&e, &n, TRUE, table);
        free(table);
        CHECK(ok);
    }
    return NULL;
}

static const char *dos_wildcards(void)
{
    CHECK(rt_match(u"<.DLL", u"a.b.dll", TRUE) && rt_match(u"<.DLL", u"a.dll", TRUE));
    CHECK(!rt_match(u"<", u"a.b", FALSE) && rt_match(u"<", u"ab", FALSE));
    CHECK(rt_match(u"A>", u"A", FALSE) && rt_match(u"A>>>", u"A", FALSE));
    CHECK(rt_match(u">>>.TXT", u"AB.TXT", FALSE) && !rt_match(u">.TXT", u"AB.TXT", FALSE));
    CHECK(rt_match(u"A\"", u"A", FALSE) && rt_match(u"A\"B", u"A.B", FALSE));
    CHECK(!rt_match(u"A\"B", u"AXB", FALSE));
    return NULL;
}

static const char *long_names(void)
{
    SIZE_T n = RTL_MAX_EXPRESSION_NAME + 1;
    WCHAR *name = malloc((n + 1) * sizeof(WCHAR));
    BOOLEAN at_limit, past_limit;

    if (name == NULL)
        return "no memory";
    for (SIZE_T i = 0; i < n; i++)
        name[i] = u'a';
    name[n] = 0;
    past_limit = rt_match(u"*", name, FALSE);
    name[n - 1] = 0;
    at_limit = rt_match(u"*A", name, TRUE);
    free(name);
    CHECK(!past_limit && at_limit);
    return NULL;
}

const rtl_test expr_tests[] = {
    {"expr_star_and_question", star_and_question},
    {"expr_case_rules", case_rules},
    {"expr_dos_wildcards", dos_wildcards},
    {"expr_long_names", long_names},
    {NULL, NULL},
};
