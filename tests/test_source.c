/* test_source.c — loading rule files and locating offsets in them. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang.h"

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/kh_test_source_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(source, .init = make_dir, .fini = remove_dir);

/* Write bytes to dir/name and return the path (static buffer). */
static const char *write_file(const char *name, const char *bytes, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

/* Load a file expected to fail; return its only diagnostic's message. */
static void expect_failure(const char *path, const char *code, kh_lang lang,
                           char *msg, size_t cap)
{
    kh_diags d;
    kh_source src;
    kh_diags_init(&d, NULL);
    cr_assert_not(kh_source_load(NULL, &d, path, &src));
    cr_assert_null(src.text);
    cr_assert_eq(d.n, 1);
    cr_assert_eq(d.nerrors, 1);
    cr_assert_str_eq(d.v[0].msg->code, code);
    cr_assert_null(d.v[0].src);
    kh_diag_message(&d.v[0], lang, msg, cap);
    kh_diags_free(&d);
}

Test(source, loads_a_text_file)
{
    const char *text = "考核方案：测试\n满分：100分\n";
    const char *path = write_file("ok.kh", text, strlen(text));
    kh_diags d;
    kh_source src;
    kh_diags_init(&d, NULL);
    cr_assert(kh_source_load(NULL, &d, path, &src));
    cr_assert_eq(d.n, 0);
    cr_assert_str_eq(src.path, path);
    cr_assert_eq(src.len, strlen(text));
    cr_assert_str_eq(src.text, text);
    kh_source_free(&src);
    cr_assert_null(src.text);
    kh_diags_free(&d);
}

Test(source, loads_file_larger_than_one_read)
{
    size_t n = 300000;
    char *text = malloc(n);
    for (size_t i = 0; i < n; i++)
        text[i] = (i % 50 == 49) ? '\n' : (char)('a' + i % 26);
    const char *path = write_file("long.kh", text, n);
    kh_source src;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_source_load(NULL, &d, path, &src));
    cr_assert_eq(src.len, n);
    cr_assert(memcmp(src.text, text, n) == 0);
    cr_assert_eq(src.text[n], '\0');
    kh_source_free(&src);
    kh_diags_free(&d);
    free(text);
}

Test(source, loads_file_of_unknown_size)
{
    kh_source src;
    kh_diags d;
    kh_diags_init(&d, NULL);
    /* /proc files report size 0 but have content */
    cr_assert(kh_source_load(NULL, &d, "/proc/self/status", &src));
    cr_assert_gt(src.len, 0);
    cr_assert_not_null(strstr(src.text, "Name:"));
    kh_source_free(&src);
    kh_diags_free(&d);
}

Test(source, empty_file_loads)
{
    const char *path = write_file("empty.kh", "", 0);
    kh_source src;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_source_load(NULL, &d, path, &src));
    cr_assert_eq(src.len, 0);
    cr_assert_str_eq(src.text, "");
    kh_source_free(&src);
    kh_diags_free(&d);
}

Test(source, missing_file)
{
    char msg[256], path[128];
    snprintf(path, sizeof path, "%s/nope.kh", dir);
    expect_failure(path, "E001", KH_ZH, msg, sizeof msg);
    char want[256];
    snprintf(want, sizeof want, "文件不存在：%s", path);
    cr_assert_str_eq(msg, want);
    snprintf(path, sizeof path, "%s/no/such/dir/x.kh", dir);
    expect_failure(path, "E001", KH_EN, msg, sizeof msg);
}

Test(source, directory_is_not_a_file)
{
    char msg[256], want[256];
    expect_failure(dir, "E002", KH_ZH, msg, sizeof msg);
    snprintf(want, sizeof want, "「%s」是文件夹（目录），不是文件", dir);
    cr_assert_str_eq(msg, want);
}

Test(source, nul_bytes_mean_binary)
{
    char msg[256];
    const char *path = write_file("bin.kh", "abc\0def\n", 8);
    expect_failure(path, "E004", KH_ZH, msg, sizeof msg);
    cr_assert(strstr(msg, "二进制"));
}

Test(source, utf16_is_named)
{
    char msg[256];
    const char *path = write_file("u16.kh", "\xFF\xFE" "a\0b\0", 6);
    expect_failure(path, "E009", KH_EN, msg, sizeof msg);
    cr_assert(strstr(msg, "UTF-16"));
}

Test(source, invalid_utf8_reports_line_and_column)
{
    char msg[256], want[256];
    const char *bytes = "第一行\n  中文\xFFxyz\n";
    const char *path = write_file("bad.kh", bytes, strlen(bytes));
    expect_failure(path, "E003", KH_ZH, msg, sizeof msg);
    snprintf(want, sizeof want, "%s 第2行第5列：不是有效的 UTF-8 文本", path);
    cr_assert_str_eq(msg, want);
    expect_failure(path, "E003", KH_EN, msg, sizeof msg);
    snprintf(want, sizeof want, "%s:2:5: not valid UTF-8 text", path);
    cr_assert_str_eq(msg, want);
}

Test(source, gbk_text_is_invalid_utf8_with_conversion_hint)
{
    kh_diags d;
    kh_source src;
    char hint[512];
    const char *gbk = "\xBF\xBC\xBA\xCB\n"; /* 考核 in GBK */
    const char *path = write_file("gbk.kh", gbk, strlen(gbk));
    kh_diags_init(&d, NULL);
    cr_assert_not(kh_source_load(NULL, &d, path, &src));
    cr_assert_str_eq(d.v[0].msg->code, "E003");
    cr_assert(kh_diag_hint(&d.v[0], KH_ZH, hint, sizeof hint));
    cr_assert(strstr(hint, "UTF-8"));
    cr_assert(strstr(hint, "GBK"));
    kh_diags_free(&d);
}

Test(source, rejects_overlong_surrogate_and_truncated_sequences)
{
    static const char *bad[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "ab\xE4\xB8", "\x80"};
    char msg[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *path = write_file("seq.kh", bad[i], strlen(bad[i]));
        expect_failure(path, "E003", KH_EN, msg, sizeof msg);
    }
    const char *good = "\xF0\x9F\x98\x80 \xE4\xB8\xAD \xC2\xA9";
    const char *path = write_file("good.kh", good, strlen(good));
    kh_source src;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_source_load(NULL, &d, path, &src));
    kh_source_free(&src);
    kh_diags_free(&d);
}

Test(source, too_large_file_is_refused_before_reading)
{
    char path[128], msg[256];
    snprintf(path, sizeof path, "%s/huge.kh", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(ftruncate(fileno(f), (off_t)256 * 1024 * 1024 + 1), 0);
    fclose(f);
    expect_failure(path, "E006", KH_ZH, msg, sizeof msg);
    cr_assert(strstr(msg, "256"));
}

Test(source, allocation_failures_are_reported)
{
    const char *text = "考核方案：测试\n";
    const char *path = write_file("oom.kh", text, strlen(text));
    for (long fail = 1; fail <= 2; fail++) {
        kh_alloc a = {fail, 0};
        kh_diags d;
        kh_source src;
        kh_diags_init(&d, NULL);
        cr_assert_not(kh_source_load(&a, &d, path, &src), "fail_at %ld", fail);
        cr_assert_eq(d.n, 1);
        cr_assert_str_eq(d.v[0].msg->code, "E007");
        cr_assert_null(src.text);
        kh_diags_free(&d);
    }
    /* the third allocation is the line index: without it the source still
     * works, lines are found by scanning */
    kh_alloc a = {3, 0};
    kh_source src;
    cr_assert(kh_source_load(&a, NULL, path, &src));
    cr_assert_eq(a.count, 3);
    cr_assert_null(src.lines);
    int line, col;
    kh_source_linecol(&src, 22, &line, &col);
    cr_assert_eq(line, 2);
    cr_assert_eq(col, 1);
    kh_source_free(&src);
    kh_alloc b = {4, 0};
    cr_assert(kh_source_load(&b, NULL, path, &src));
    cr_assert_eq(b.count, 3);
    cr_assert_not_null(src.lines);
    kh_source_free(&src);
}

Test(source, from_string_copies_and_terminates)
{
    char text[] = "abcdef";
    kh_source src;
    cr_assert(kh_source_from_string(NULL, "s.kh", text, 3, &src));
    text[0] = 'z';
    cr_assert_str_eq(src.text, "abc");
    cr_assert_str_eq(src.path, "s.kh");
    cr_assert_eq(src.len, 3);
    kh_source_free(&src);
    kh_alloc a = {2, 0};
    cr_assert_not(kh_source_from_string(&a, "s.kh", text, 3, &src));
    cr_assert_null(src.text);
}

Test(source, linecol_counts_characters_not_bytes)
{
    kh_source src;
    const char *text = "ab\n中文x\n\n扣";
    cr_assert(kh_source_from_string(NULL, "t.kh", text, strlen(text), &src));
    int line, col;
    kh_source_linecol(&src, 0, &line, &col);
    cr_assert(line == 1 && col == 1);
    kh_source_linecol(&src, 2, &line, &col);         /* the newline itself */
    cr_assert(line == 1 && col == 3);
    kh_source_linecol(&src, 3, &line, &col);
    cr_assert(line == 2 && col == 1);
    kh_source_linecol(&src, 9, &line, &col);         /* x after 中文 */
    cr_assert(line == 2 && col == 3, "got %d:%d", line, col);
    kh_source_linecol(&src, 11, &line, &col);        /* empty line */
    cr_assert(line == 3 && col == 1);
    kh_source_linecol(&src, 22, &line, &col);        /* end of text */
    cr_assert(line == 4 && col == 2);
    kh_source_linecol(&src, 999, &line, &col);       /* past the end: clamped */
    cr_assert(line == 4 && col == 2);
    kh_source_free(&src);
}

Test(source, bom_is_not_a_column)
{
    const char *bytes = "\xEF\xBB\xBF考核\n满分";
    const char *path = write_file("bom.kh", bytes, strlen(bytes));
    kh_source src;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_source_load(NULL, &d, path, &src));
    int line, col;
    kh_source_linecol(&src, 3, &line, &col);
    cr_assert(line == 1 && col == 1);
    kh_source_linecol(&src, 6, &line, &col);
    cr_assert(line == 1 && col == 2);
    uint32_t start, len;
    kh_source_line(&src, 6, &start, &len);
    cr_assert(start == 3 && len == 6);
    kh_source_linecol(&src, 10, &line, &col);
    cr_assert(line == 2 && col == 1);
    kh_source_free(&src);
    kh_diags_free(&d);
}

Test(source, line_bounds_without_newline_or_cr)
{
    kh_source src;
    const char *text = "一行\r\n二行\nlast";
    cr_assert(kh_source_from_string(NULL, "t.kh", text, strlen(text), &src));
    uint32_t start, len;
    kh_source_line(&src, 3, &start, &len);
    cr_assert(start == 0 && len == 6);
    kh_source_line(&src, 6, &start, &len);           /* the \r */
    cr_assert(start == 0 && len == 6);
    kh_source_line(&src, 8, &start, &len);
    cr_assert(start == 8 && len == 6);
    kh_source_line(&src, 17, &start, &len);
    cr_assert(start == 15 && len == 4);
    kh_source_free(&src);
}

Test(source, linecol_is_fast_on_large_files, .timeout = 20)
{
    size_t lines = 400000, n = lines * 25;           /* 10 MB */
    char *text = malloc(n + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (i % 25 == 24) ? '\n' : 'a';
    text[n] = '\0';
    kh_source src = {"big.kh", text, n, NULL, 0};
    int line = 0, col = 0;
    for (int k = 0; k < 1000; k++)
        kh_source_linecol(&src, (uint32_t)(n - 3), &line, &col);
    cr_assert_eq(line, (int)lines);
    cr_assert_eq(col, 23);
    free(text);
}
