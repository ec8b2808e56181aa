/* test_diag.c — diagnostics: recording, wording, sorting, rendering. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"

static const kh_msg msg_e020 = {
    "E020", "缺少分值：「%1」后面应写明分数",
    "missing points: write a number after \"%1\"",
    "写成「扣1分」这样的形式", "write it like \"扣1分\""};
static const kh_msg msg_nohint = {"E001", "文件不存在：%1", "file not found: %1", NULL, NULL};
static const kh_msg msg_subst = {"E999", "a%1b%2c%3d%4%", "[%3|%2|%1]", NULL, NULL};
static const kh_msg msg_lint = {"L010", "区间空缺：%1", "gap between bands: %1",
                                "补上缺少的区间", "add the missing band"};

/* Render one diagnostic into a string the caller frees. */
static char *render(const kh_diag *dg, kh_lang lang)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert_not_null(f);
    kh_diag_render(f, dg, lang);
    fclose(f);
    return buf;
}

static kh_span span_of(const kh_source *src, const char *needle, size_t len)
{
    const char *p = strstr(src->text, needle);
    cr_assert_not_null(p, "needle %s", needle);
    return (kh_span){(uint32_t)(p - src->text), (uint32_t)len};
}

static void load(kh_source *src, const char *text)
{
    cr_assert(kh_source_from_string(NULL, "scheme.kh", text, strlen(text), src));
}

Test(diag, renders_chinese_with_underline_under_cjk)
{
    kh_source src;
    kh_diags d;
    load(&src, "考核方案：测试\n  1. 迟到：迟到一次扣分\n");
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_e020, &src,
                              span_of(&src, "扣分", 6), "扣", NULL, NULL);
    cr_assert_not_null(dg);
    char *out = render(dg, KH_ZH);
    cr_assert_str_eq(out,
        "scheme.kh:2:13: 错误[E020]: 缺少分值：「扣」后面应写明分数\n"
        "    2 |   1. 迟到：迟到一次扣分\n"
        "      |                    ^~~~\n"
        "      = 提示：写成「扣1分」这样的形式\n");
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, renders_english)
{
    kh_source src;
    kh_diags d;
    load(&src, "  1. 迟到：迟到一次扣分\n");
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_WARNING, &msg_e020, &src,
                              span_of(&src, "扣分", 6), "扣", NULL, NULL);
    char *out = render(dg, KH_EN);
    cr_assert_str_eq(out,
        "scheme.kh:1:13: warning[E020]: missing points: write a number after \"扣\"\n"
        "    1 |   1. 迟到：迟到一次扣分\n"
        "      |                    ^~~~\n"
        "      = hint: write it like \"扣1分\"\n");
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, tabs_expand_to_multiples_of_four)
{
    kh_source src;
    kh_diags d;
    load(&src, "\t迟到\t扣分");
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_nohint, &src,
                              span_of(&src, "扣分", 6), "x", NULL, NULL);
    char *out = render(dg, KH_ZH);
    cr_assert_str_eq(out,
        "scheme.kh:1:5: 错误[E001]: 文件不存在：x\n"
        "    1 |     迟到    扣分\n"
        "      |             ^~~~\n");
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, span_across_line_end_stops_at_first_line)
{
    kh_source src;
    kh_diags d;
    load(&src, "ab扣分\r\n下一行\n");
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_nohint, &src,
                              (kh_span){2, 20}, "x", NULL, NULL);
    char *out = render(dg, KH_EN);
    cr_assert_str_eq(out,
        "scheme.kh:1:3: error[E001]: file not found: x\n"
        "    1 | ab扣分\n"
        "      |   ^~~~\n");
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, empty_span_gets_one_caret)
{
    kh_source src;
    kh_diags d;
    load(&src, "一、学习\n满分：\n");
    kh_diags_init(&d, NULL);
    uint32_t end = (uint32_t)(strstr(src.text, "：\n") - src.text) + 3;
    kh_diag *dg = kh_diag_add(&d, KH_NOTE, &msg_nohint, &src,
                              (kh_span){end, 0}, "x", NULL, NULL);
    char *out = render(dg, KH_ZH);
    cr_assert_str_eq(out,
        "scheme.kh:2:4: 提示[E001]: 文件不存在：x\n"
        "    2 | 满分：\n"
        "      |       ^\n");
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, wide_gutter_for_long_files)
{
    kh_source src;
    kh_diags d;
    size_t lines = 12344;
    char *text = malloc(lines + 2);
    memset(text, '\n', lines);
    text[lines] = 'x';
    text[lines + 1] = '\0';
    load(&src, text);
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_nohint, &src,
                              (kh_span){(uint32_t)lines, 1}, "f", NULL, NULL);
    char *out = render(dg, KH_EN);
    cr_assert_str_eq(out,
        "scheme.kh:12345:1: error[E001]: file not found: f\n"
        " 12345 | x\n"
        "       | ^\n");
    free(out);
    free(text);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, without_source_names_the_program)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_e020, NULL, (kh_span){0, 0},
                              "扣", NULL, NULL);
    char *out = render(dg, KH_ZH);
    cr_assert_str_eq(out,
        "kaohe: 错误[E020]: 缺少分值：「扣」后面应写明分数\n"
        "      = 提示：写成「扣1分」这样的形式\n");
    free(out);
    kh_diags_free(&d);
}

Test(diag, lint_finding_shows_class_and_counterexample)
{
    kh_source src;
    kh_diags d;
    load(&src, "  称职：80分至90分\n");
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_lint, &src,
                              span_of(&src, "80分至90分", 13), "90分至95分", NULL, NULL);
    dg->lint_class = "区间空缺";
    dg->counterexample = strdup("总分 92 分时没有等次");
    char *out = render(dg, KH_ZH);
    cr_assert_str_eq(out,
        "scheme.kh:1:6: 错误[L010 区间空缺]: 区间空缺：90分至95分\n"
        "    1 |   称职：80分至90分\n"
        "      |         ^~~~~~~~~~\n"
        "      = 反例：总分 92 分时没有等次\n"
        "      = 提示：补上缺少的区间\n");
    free(out);
    out = render(dg, KH_EN);
    cr_assert(strstr(out, "error[L010 区间空缺]: gap between bands: 90分至95分\n"));
    cr_assert(strstr(out, "      = counterexample: 总分 92 分时没有等次\n"));
    cr_assert(strstr(out, "      = hint: add the missing band\n"));
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
}

Test(diag, message_substitutes_arguments)
{
    kh_diags d;
    char buf[64];
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_subst, NULL, (kh_span){0, 0},
                              "X", NULL, "Z");
    kh_diag_message(dg, KH_ZH, buf, sizeof buf);
    cr_assert_str_eq(buf, "aXbcZd%4%");
    kh_diag_message(dg, KH_EN, buf, sizeof buf);
    cr_assert_str_eq(buf, "[Z||X]");
    cr_assert_not(kh_diag_hint(dg, KH_ZH, buf, sizeof buf));
    cr_assert_str_eq(buf, "");
    kh_diags_free(&d);
}

Test(diag, arguments_are_copied)
{
    kh_diags d;
    char arg[8] = "迟到";
    char buf[64];
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_e020, NULL, (kh_span){0, 0},
                              arg, NULL, NULL);
    strcpy(arg, "zz");
    kh_diag_message(dg, KH_ZH, buf, sizeof buf);
    cr_assert_str_eq(buf, "缺少分值：「迟到」后面应写明分数");
    cr_assert(kh_diag_hint(dg, KH_ZH, buf, sizeof buf));
    cr_assert_str_eq(buf, "写成「扣1分」这样的形式");
    kh_diags_free(&d);
}

Test(diag, truncation_keeps_whole_characters)
{
    kh_diags d;
    char buf[8];
    kh_diags_init(&d, NULL);
    kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_e020, NULL, (kh_span){0, 0},
                              "扣", NULL, NULL);
    kh_diag_message(dg, KH_ZH, buf, sizeof buf);
    cr_assert_str_eq(buf, "缺少");
    kh_diag_message(dg, KH_EN, buf, sizeof buf);
    cr_assert_str_eq(buf, "missing");
    kh_diags_free(&d);
}

Test(diag, limit_stops_recording_but_counts)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    d.limit = 3;
    for (int i = 0; i < 5; i++)
        kh_diag_add(&d, KH_ERROR, &msg_nohint, NULL, (kh_span){0, 0}, "x", NULL, NULL);
    cr_assert_null(kh_diag_add(&d, KH_WARNING, &msg_nohint, NULL, (kh_span){0, 0},
                               "x", NULL, NULL));
    cr_assert_eq(d.n, 3);
    cr_assert_eq(d.nerrors, 5);
    cr_assert_eq(d.nwarnings, 1);
    cr_assert_not(d.oom);
    kh_diags_free(&d);
}

Test(diag, default_limit_is_1000)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    for (int i = 0; i < 1005; i++)
        kh_diag_add(&d, KH_NOTE, &msg_nohint, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
    cr_assert_eq(d.n, 1000);
    cr_assert_eq(d.nerrors, 0);
    kh_diags_free(&d);
}

Test(diag, allocation_failure_sets_oom_and_still_counts)
{
    for (long fail = 1; fail <= 3; fail++) {
        kh_alloc a = {fail, 0};
        kh_diags d;
        kh_diags_init(&d, &a);
        kh_diag *dg = kh_diag_add(&d, KH_ERROR, &msg_e020, NULL, (kh_span){0, 0},
                                  "一", "二", NULL);
        cr_assert_null(dg, "fail_at %ld", fail);
        cr_assert(d.oom);
        cr_assert_eq(d.n, 0);
        cr_assert_eq(d.nerrors, 1);
        kh_diags_free(&d);
    }
    kh_alloc ok = {4, 0};
    kh_diags d;
    kh_diags_init(&d, &ok);
    cr_assert_not_null(kh_diag_add(&d, KH_ERROR, &msg_e020, NULL, (kh_span){0, 0},
                                   "一", "二", NULL));
    cr_assert_not(d.oom);
    cr_assert_eq(ok.count, 3);
    kh_diags_free(&d);
}

Test(diag, sort_by_path_then_offset_stable)
{
    kh_source a, b;
    kh_diags d;
    cr_assert(kh_source_from_string(NULL, "a.kh", "xxxxxxxxxx", 10, &a));
    cr_assert(kh_source_from_string(NULL, "b.kh", "xxxxxxxxxx", 10, &b));
    kh_diags_init(&d, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, &b, (kh_span){1, 0}, "1", NULL, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, &a, (kh_span){5, 0}, "2", NULL, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, &a, (kh_span){2, 0}, "3", NULL, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, NULL, (kh_span){0, 0}, "4", NULL, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, &a, (kh_span){5, 0}, "5", NULL, NULL);
    kh_diag_add(&d, KH_ERROR, &msg_nohint, &a, (kh_span){2, 0}, "6", NULL, NULL);
    kh_diags_sort(&d);
    const char *want[] = {"4", "3", "6", "2", "5", "1"};
    for (int i = 0; i < 6; i++)
        cr_assert_str_eq(d.v[i].args[0], want[i], "position %d", i);
    kh_diags_free(&d);
    kh_source_free(&a);
    kh_source_free(&b);
}

Test(diag, sort_without_memory_is_still_stable)
{
    kh_source a;
    kh_alloc al = {0, 0};
    kh_diags d;
    cr_assert(kh_source_from_string(NULL, "a.kh", "xxxxxxxxxx", 10, &a));
    kh_diags_init(&d, &al);
    for (int i = 0; i < 6; i++) {
        char arg[2] = {(char)('0' + i), 0};
        kh_diag_add(&d, KH_ERROR, &msg_nohint, &a, (kh_span){(uint32_t)(i % 2), 0},
                    arg, NULL, NULL);
    }
    al.fail_at = al.count + 1;
    kh_diags_sort(&d);
    const char *want[] = {"0", "2", "4", "1", "3", "5"};
    for (int i = 0; i < 6; i++)
        cr_assert_str_eq(d.v[i].args[0], want[i], "position %d", i);
    kh_diags_free(&d);
    kh_source_free(&a);
}

Test(diag, severity_names)
{
    cr_assert_str_eq(kh_severity_name(KH_ERROR, KH_ZH), "错误");
    cr_assert_str_eq(kh_severity_name(KH_WARNING, KH_ZH), "警告");
    cr_assert_str_eq(kh_severity_name(KH_NOTE, KH_ZH), "提示");
    cr_assert_str_eq(kh_severity_name(KH_ERROR, KH_EN), "error");
    cr_assert_str_eq(kh_severity_name(KH_WARNING, KH_EN), "warning");
    cr_assert_str_eq(kh_severity_name(KH_NOTE, KH_EN), "note");
}
