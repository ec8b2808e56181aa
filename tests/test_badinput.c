/* test_badinput.c — bad input never crashes kaohe and never loses or
 * half-writes data.
 *
 * A table of bad inputs, each run through the real binary: the exit code,
 * the message code, where it points (file:line:col) and a piece of its
 * Chinese text.  Then the inputs too big to keep as fixtures (a 1 MB
 * field, a line of 100,000 columns), encodings that must score exactly
 * like their UTF-8 twin, a full disk, and runs killed half-way.
 *
 * The binary is build/kaohe next to the test binary's directory (so the
 * sanitizer build tests its own kaohe), or $KAOHE.  Fixtures are in
 * tests/data/bad/ (see its README); paths are relative to the repository
 * root, where make runs the tests.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lang.h"

extern char **environ;

#define D "tests/data/bad/"
#define SCHEME D "scheme.kh"
#define EVENTS D "events.csv"
#define ROSTER D "roster.csv"

/* ------------------------------------------------------------ running */

typedef struct kh_proc {
    int status;          /* exit code, or 128 + signal */
    char *out, *err;     /* NUL-terminated */
    size_t outlen, errlen;
} kh_proc;

/* $KAOHE, else the kaohe beside the directory of this test binary. */
static void kh_bad_binary(char *buf, size_t cap)
{
    const char *env = getenv("KAOHE");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return;
    }
    ssize_t n = readlink("/proc/self/exe", buf, cap - 16);
    cr_assert(n > 0, "cannot find the test binary");
    buf[n] = '\0';
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(buf, '/');
        cr_assert_not_null(slash);
        *slash = '\0';
    }
    strcat(buf, "/kaohe");
}

static char *kh_bad_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        cr_assert_not_null(buf);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Start kaohe with args (NULL-terminated), stdout and stderr into files. */
static pid_t kh_bad_spawn(const char *const *args, const char *outp, const char *errp)
{
    char bin[4096];
    const char *argv[64];
    int n = 0;
    kh_bad_binary(bin, sizeof bin);
    argv[n++] = bin;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s: %s", bin, strerror(rc));
    return pid;
}

static int kh_bad_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        cr_assert_eq(errno, EINTR);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void kh_bad_run(kh_proc *p, const char *const *args)
{
    char outp[] = "/tmp/kh-bad-out-XXXXXX", errp[] = "/tmp/kh-bad-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    p->status = kh_bad_wait(kh_bad_spawn(args, outp, errp));
    p->out = kh_bad_slurp(outp, &p->outlen);
    p->err = kh_bad_slurp(errp, &p->errlen);
    unlink(outp);
    unlink(errp);
}

static void kh_proc_free(kh_proc *p)
{
    free(p->out);
    free(p->err);
}

/* A fresh directory under /tmp for generated files. */
static void kh_bad_tmpdir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/kh-bad-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void kh_bad_rmdir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ------------------------------------------------------------ the table */

typedef struct kh_bad {
    const char *name;       /* what is wrong */
    const char *args[12];   /* kaohe's arguments, NULL-terminated */
    int exit;
    const char *sev;        /* 错误 警告 提示 */
    const char *code;
    const char *where;      /* file:line:col, or NULL for a message about a whole file */
    const char *text;       /* a piece of the Chinese message */
} kh_bad;

#define SCORE(ev) "score", SCHEME, "--events", (ev), "--roster", ROSTER
#define SCORE_R(ro) "score", SCHEME, "--events", EVENTS, "--roster", (ro)
#define CLEAN "读入事件7条，计分7条；未计分：人员不在名单中0条、无对应考核项0条、不在考核期内0条、有错误0条"

static const kh_bad kh_bad_rows[] = {
    /* files that cannot be used at all */
    {"missing events file", {SCORE(D "no-such-file.csv")}, 1, "错误", "R001", NULL, "找不到文件：" D "no-such-file.csv"},
    {"events path is a directory", {SCORE(D)}, 1, "错误", "R002", NULL, "是文件夹，不是文件"},
    {"empty events file", {SCORE(D "empty.csv")}, 1, "错误", "R003", NULL, "是空的，没有表头也没有数据"},
    {"binary garbage (an .xlsx)", {SCORE(D "binary.csv")}, 1, "错误", "R004", NULL, "看起来是二进制文件"},
    {"bytes neither UTF-8 nor GB18030", {SCORE(D "invalid_utf8.csv")}, 1, "错误", "R005", NULL,
     "第3行有无法识别的字节（0xFF 0xFF）"},
    {"missing roster", {SCORE_R(D "no-such-roster.csv")}, 1, "错误", "R001", NULL, "找不到文件"},
    {"missing scheme", {"check", D "no-such-scheme.kh", NULL}, 1, "错误", "E001", NULL, "文件不存在"},
    {"scheme path is a directory", {"check", D, NULL}, 1, "错误", "E002", NULL, "是文件夹（目录），不是文件"},
    {"empty scheme", {"check", D "scheme_empty.kh", NULL}, 1, "错误", "E030", D "scheme_empty.kh:1:1", "规则文件是空的"},
    {"binary scheme", {"check", D "scheme_binary.kh", NULL}, 1, "错误", "E004", NULL, "看起来是二进制文件"},
    {"scheme not UTF-8", {"check", D "scheme_invalid_utf8.kh", NULL}, 1, "错误", "E003", NULL,
     "第2行第7列：不是有效的 UTF-8 文本"},
    /* encodings and line ends Excel writes: read as they are */
    {"GBK without --encoding is detected", {SCORE(D "events_gbk.csv")}, 0, "提示", "R121", NULL, CLEAN},
    {"GB18030 events", {SCORE(D "events_gb18030.csv")}, 0, "提示", "R121", NULL, CLEAN},
    {"GB18030 roster", {SCORE_R(D "roster_gb18030.csv")}, 0, "提示", "R121", NULL, CLEAN},
    {"UTF-8 with BOM", {SCORE(D "events_bom.csv")}, 0, "提示", "R121", NULL, CLEAN},
    {"CRLF line ends", {SCORE(D "events_crlf.csv")}, 0, "提示", "R121", NULL, CLEAN},
    {"newline inside a quoted field", {SCORE(D "quoted_newline.csv")}, 0, "提示", "R121", NULL, "读入事件2条，计分2条"},
    /* rows and headers */
    {"unterminated quote", {SCORE(D "unterminated_quote.csv")}, 1, "错误", "R019", D "unterminated_quote.csv:3:15",
     "引号没有闭合"},
    {"extra column", {SCORE(D "extra_columns.csv")}, 1, "错误", "R020", D "extra_columns.csv:3:1",
     "这一行有 7 个字段，表头有 6 个"},
    {"missing columns", {SCORE(D "missing_columns.csv")}, 1, "错误", "R020", D "missing_columns.csv:3:1",
     "这一行有 4 个字段，表头有 6 个"},
    {"unknown header is ignored", {SCORE(D "unknown_header.csv")}, 0, "警告", "R016", D "unknown_header.csv:1:19",
     "不认识的列「备注」"},
    {"duplicated header", {SCORE(D "dup_header.csv")}, 1, "错误", "R018", D "dup_header.csv:1:13",
     "列「人员」出现了两次（第1列和第5列）"},
    {"数量 not a number", {SCORE(D "value_text.csv")}, 1, "错误", "R022", D "value_text.csv:2:18", "数量「两次」不是数字"},
    {"negative 数量", {SCORE(D "value_negative.csv")}, 1, "错误", "R023", D "value_negative.csv:2:18",
     "数量「-3」是负数"},
    {"impossible date", {SCORE(D "date_impossible.csv")}, 1, "错误", "R026", D "date_impossible.csv:2:4",
     "日期「2023-02-30」不是有效的日期"},
    /* meaning */
    {"unknown 级别", {SCORE(D "level_unknown.csv")}, 0, "警告", "R104", D "level_unknown.csv:2:1",
     "级别「乡级」不在「获得表彰」的分级中"},
    {"unknown 级别 under --strict", {SCORE(D "level_unknown.csv"), "--strict"}, 1, "错误", "R104",
     D "level_unknown.csv:2:1", "级别「乡级」"},
    {"evaluator's score out of range", {SCORE(D "score_out_of_range.csv")}, 1, "错误", "R103",
     D "score_out_of_range.csv:2:1", "评分「12」超出「述职」的范围 0–10"},
    {"person twice in the roster", {SCORE_R(D "roster_twice.csv")}, 1, "错误", "R029", D "roster_twice.csv:4:1",
     "人员「张三」在名单中出现了两次（第2行已有）"},
    {"event for a person not in the roster", {SCORE(D "person_unknown.csv")}, 0, "警告", "R101",
     D "person_unknown.csv:3:1", "人员「赵六」不在名单中"},
    {"person not in the roster under --strict", {SCORE(D "person_unknown.csv"), "--strict"}, 1, "错误", "R101",
     D "person_unknown.csv:3:1", "人员「赵六」不在名单中"},
    {"explain someone not scored", {"explain", SCHEME, "--events", EVENTS, "--roster", ROSTER, "--person", "赵六"}, 1,
     "错误", "U007", NULL, "找不到「赵六」"},
    /* output */
    {"output to a full disk", {SCORE(EVENTS), "-o", "/dev/full"}, 1, "错误", "R201", NULL, "无法写入「/dev/full」"},
    {"output into a missing folder", {SCORE(EVENTS), "-o", D "no-such-dir/out.csv"}, 1, "错误", "R201", NULL,
     "无法写入「" D "no-such-dir/out.csv」"},
    /* usage */
    {"unknown option", {SCORE(EVENTS), "--color"}, 2, "错误", "U002", NULL, "不认识的选项「--color」"},
    {"missing --roster", {"score", SCHEME, "--events", EVENTS}, 2, "错误", "U004", NULL, "缺少选项 --roster"},
    {"unknown command", {"grade", SCHEME}, 2, "错误", "U003", NULL, "不认识的命令「grade」"},
    {"unknown --format", {SCORE(EVENTS), "--format", "xlsx"}, 2, "错误", "U005", NULL, "选项 --format 的值「xlsx」无法识别"},
};

#define KH_BAD_NROWS (sizeof kh_bad_rows / sizeof kh_bad_rows[0])

/* The parameter is a row number: a test runs in a process of its own,
 * where the table's pointers are valid but the parent's would not be. */
ParameterizedTestParameters(badinput, table)
{
    static int rows[KH_BAD_NROWS];
    for (size_t i = 0; i < KH_BAD_NROWS; i++)
        rows[i] = (int)i;
    return cr_make_param_array(int, rows, KH_BAD_NROWS);
}

static bool kh_bad_is_output_command(const kh_bad *row)
{
    return strcmp(row->args[0], "score") == 0 || strcmp(row->args[0], "explain") == 0;
}

ParameterizedTest(int *i, badinput, table)
{
    const kh_bad *row = &kh_bad_rows[*i];
    kh_proc p;
    char head[512];
    kh_bad_run(&p, row->args);
    cr_assert_eq(p.status, row->exit, "%s: exit %d, expected %d\n%s", row->name, p.status, row->exit, p.err);
    if (row->where)
        snprintf(head, sizeof head, "%s: %s[%s]: ", row->where, row->sev, row->code);
    else
        snprintf(head, sizeof head, "kaohe: %s[%s]: ", row->sev, row->code);
    cr_assert_not_null(strstr(p.err, head), "%s: no 「%s」 in\n%s", row->name, head, p.err);
    const char *line = strstr(p.err, head);
    const char *eol = strchr(line, '\n');
    cr_assert_not_null(strstr(line, row->text), "%s: no 「%s」 in\n%s", row->name, row->text, p.err);
    cr_assert(eol == NULL || strstr(line, row->text) < eol, "%s: 「%s」 is not in the message line", row->name,
              row->text);
    if (row->exit != 0 && kh_bad_is_output_command(row))
        cr_assert_eq(p.outlen, 0, "%s: a failed run printed results:\n%s", row->name, p.out);
    if (row->exit == 0)
        cr_assert_gt(p.outlen, 0, "%s: no results", row->name);
    kh_proc_free(&p);
}

/* ------------------------------------------------- generated inputs */

static void kh_bad_write(const char *path, const char *head, const char *body, size_t n, const char *tail)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(head, f);
    fwrite(body, 1, n, f);
    fputs(tail, f);
    cr_assert_eq(fclose(f), 0);
}

Test(badinput, megabyte_field_is_quoted_short_and_shown_as_a_window, .timeout = 30)
{
    char dir[64], ev[96];
    size_t n = (size_t)1 << 20;
    char *big = malloc(n);
    memset(big, '9', n);
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    kh_bad_write(ev, "人员,日期,事项,数量,级别,编号\n张三,2023-01-05,迟到,", big, n, "x,,\n");
    free(big);
    kh_proc p;
    kh_bad_run(&p, (const char *[]){SCORE(ev), NULL});
    cr_assert_eq(p.status, 1);
    char head[160];
    snprintf(head, sizeof head, "%s:2:18: 错误[R022]: 数量「", ev);
    cr_assert_not_null(strstr(p.err, head), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "…」不是数字"), "the value is quoted shortened");
    cr_assert_lt(p.errlen, 4096, "a 1 MB field printed %zu bytes of messages", p.errlen);
    cr_assert_eq(p.outlen, 0);
    kh_proc_free(&p);
    kh_bad_rmdir(dir);
}

Test(badinput, hundred_thousand_columns_are_one_located_error, .timeout = 30)
{
    char dir[64], ev[96];
    size_t n = 100000 * 7;
    char *wide = malloc(n);
    for (size_t i = 0; i < 100000; i++)
        memcpy(wide + i * 7, "张三,", 7);
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    kh_bad_write(ev, "人员,日期,事项,数量,级别,编号\n", wide, n - 1, "\n张三,2023-01-05,迟到,1,,\n");
    free(wide);
    kh_proc p;
    kh_bad_run(&p, (const char *[]){SCORE(ev), NULL});
    cr_assert_eq(p.status, 1);
    char head[160];
    snprintf(head, sizeof head, "%s:2:1: 错误[R021]: 这一行的字段超过 10000 个", ev);
    cr_assert_not_null(strstr(p.err, head), "%.2000s", p.err);
    cr_assert_not_null(strstr(p.err, "读入事件2条，计分1条"), "the next row is still read");
    cr_assert_lt(p.errlen, 4096);
    kh_proc_free(&p);
    kh_bad_rmdir(dir);
}

Test(badinput, long_line_is_rendered_as_a_window_around_the_span)
{
    /* 3000 columns of text, the span in the middle */
    size_t n = 3000;
    char *text = malloc(n + 1);
    memset(text, 'a', n);
    memcpy(text + 1500, "BAD", 3);
    text[n] = '\0';
    kh_source src;
    cr_assert(kh_source_from_string(NULL, "long.csv", text, n, &src));
    kh_diags d;
    kh_diags_init(&d, NULL);
    static const kh_msg m = {"T001", "坏", "bad", NULL, NULL};
    kh_diag_add(&d, KH_ERROR, &m, &src, (kh_span){1500, 3}, NULL, NULL, NULL);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    kh_diag_render(f, &d.v[0], KH_ZH);
    fclose(f);
    cr_assert_lt(len, 800, "rendered %zu bytes", len);
    const char *l2 = strchr(out, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    const char *bad = strstr(l2, "BAD"), *caret = strchr(l3, '^');
    cr_assert_not_null(bad);
    cr_assert_not_null(strstr(l2, "| …a"), "cut at the start: %s", out);
    cr_assert_not_null(strstr(l2, "a…\n"), "cut at the end: %s", out);
    /* the caret stands under B: same column, "…" counting one */
    int col_bad = kh_text_width(l2, (size_t)(bad - l2));
    cr_assert_eq(kh_text_width(l3, (size_t)(caret - l3)), col_bad);
    cr_assert_eq(strncmp(caret, "^~~\n", 4), 0);
    free(out);
    kh_diags_free(&d);
    kh_source_free(&src);
    free(text);
}

/* ------------------------------------------------------------ twins */

/* Every encoding and line end Excel writes scores exactly like UTF-8. */
Test(badinput, bom_crlf_and_gb18030_twins_score_exactly_like_utf8)
{
    static const char *const twins[] = {D "events_bom.csv", D "events_crlf.csv", D "events_bom_crlf.csv",
                                        D "events_gb18030.csv", D "events_gbk.csv"};
    static const char *const formats[] = {"table", "csv", "json"};
    for (size_t f = 0; f < 3; f++) {
        kh_proc ref;
        kh_bad_run(&ref, (const char *[]){SCORE(EVENTS), "--format", formats[f], NULL});
        cr_assert_eq(ref.status, 0);
        cr_assert_not_null(strstr(ref.out, "27.5"), "张三 scores 27.5:\n%s", ref.out);
        for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++) {
            kh_proc p;
            kh_bad_run(&p, (const char *[]){SCORE(twins[i]), "--format", formats[f], NULL});
            cr_assert_eq(p.status, 0, "%s: %s", twins[i], p.err);
            cr_assert_str_eq(p.out, ref.out, "%s (%s) differs from its UTF-8 twin", twins[i], formats[f]);
            kh_proc_free(&p);
        }
        kh_proc p;
        kh_bad_run(&p, (const char *[]){SCORE_R(D "roster_gb18030.csv"), "--format", formats[f], NULL});
        cr_assert_str_eq(p.out, ref.out, "the GB18030 roster differs from its UTF-8 twin");
        kh_proc_free(&p);
        kh_proc_free(&ref);
    }
}

Test(badinput, gb18030_twin_explains_exactly_like_utf8)
{
    kh_proc a, b;
    kh_bad_run(&a, (const char *[]){"explain", SCHEME, "--events", EVENTS, "--roster", ROSTER, "--person", "李四", NULL});
    kh_bad_run(&b, (const char *[]){"explain", SCHEME, "--events", D "events_gb18030.csv", "--roster",
                                    D "roster_gb18030.csv", "--person", "李四", NULL});
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert_str_eq(a.out, b.out);
    cr_assert_not_null(strstr(a.out, "编号A1"), "the events are listed:\n%s", a.out);
    kh_proc_free(&a);
    kh_proc_free(&b);
}

/* ------------------------------------------------- output never half-written */

Test(badinput, failed_run_leaves_the_old_output_untouched)
{
    char dir[64], out[96];
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/result.csv", dir);
    kh_bad_write(out, "上次的结果\n", "", 0, "");
    kh_proc p;
    kh_bad_run(&p, (const char *[]){SCORE(D "value_text.csv"), "-o", out, NULL});
    cr_assert_eq(p.status, 1);
    char *now = kh_bad_slurp(out, NULL);
    cr_assert_str_eq(now, "上次的结果\n");
    free(now);
    kh_proc_free(&p);
    kh_bad_run(&p, (const char *[]){SCORE(D "value_text.csv"), "-o", D "never-written.csv", NULL});
    cr_assert_eq(access(D "never-written.csv", F_OK), -1, "a failed run created its output file");
    kh_proc_free(&p);
    kh_bad_rmdir(dir);
}

/* Files big enough that writing the result takes a while. */
static void kh_bad_big_inputs(const char *dir, char *ev, char *ro, size_t cap, int persons)
{
    snprintf(ev, cap, "%s/events.csv", dir);
    snprintf(ro, cap, "%s/roster.csv", dir);
    FILE *e = fopen(ev, "w"), *r = fopen(ro, "w");
    cr_assert(e && r);
    fputs("人员,部门,职务\n", r);
    fputs("人员,日期,事项,数量,级别,编号\n", e);
    for (int i = 0; i < persons; i++) {
        fprintf(r, "员工%06d,部门%d,科员\n", i, i % 40);
        fprintf(e, "员工%06d,2023-03-%02d,迟到,%d,,\n", i, 1 + i % 28, 1 + i % 3);
        fprintf(e, "员工%06d,2023-12-20,述职,%d.5,,\n", i, i % 10);
    }
    cr_assert_eq(fclose(e), 0);
    cr_assert_eq(fclose(r), 0);
}

static double kh_bad_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A run killed at any moment leaves the output file as it was, or whole. */
Test(badinput, killed_run_leaves_no_partial_output, .timeout = 120)
{
    char dir[64], ev[96], ro[96], out[96], full[96], log[96];
    kh_bad_tmpdir(dir, sizeof dir);
    kh_bad_big_inputs(dir, ev, ro, sizeof ev, 30000);
    snprintf(out, sizeof out, "%s/result.csv", dir);
    snprintf(full, sizeof full, "%s/full.csv", dir);
    snprintf(log, sizeof log, "%s/log", dir);
    const char *args[] = {"score", SCHEME, "--events", ev, "--roster", ro, "--format", "csv", "-o", full, NULL};
    double t0 = kh_bad_now();
    cr_assert_eq(kh_bad_wait(kh_bad_spawn(args, log, log)), 0);
    double whole = kh_bad_now() - t0;
    size_t full_len;
    char *want = kh_bad_slurp(full, &full_len);
    cr_assert_gt(full_len, 500000u, "the result should take a while to write");
    args[9] = out;
    static const int sigs[] = {SIGKILL, SIGTERM, SIGINT};
    int killed = 0;
    for (int k = 1; k <= 9; k++) {
        kh_bad_write(out, "上次的结果\n", "", 0, "");
        pid_t pid = kh_bad_spawn(args, log, log);
        double at = whole * k / 10.0;
        struct timespec ts = {(time_t)at, (long)((at - (double)(time_t)at) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, sigs[k % 3]);
        int status = kh_bad_wait(pid);
        killed += status >= 128;
        size_t len;
        char *now = kh_bad_slurp(out, &len);
        bool old = strcmp(now, "上次的结果\n") == 0;
        bool whole_file = len == full_len && memcmp(now, want, len) == 0;
        cr_assert(old || whole_file, "killed at %.0f%% (status %d): result.csv has %zu bytes, neither the old file "
                  "nor the whole result", at / whole * 100, status, len);
        free(now);
    }
    cr_assert_gt(killed, 0, "no run was killed before it finished");
    free(want);
    kh_bad_rmdir(dir);
}

/* ------------------------------------------------------ big schemes */

/* 一 … 九十九 */
static void kh_bad_cn(int n, char *buf, size_t cap)
{
    static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int t = n / 10, o = n % 10;
    if (t == 0)
        snprintf(buf, cap, "%s", d[o]);
    else
        snprintf(buf, cap, "%s十%s", t == 1 ? "" : d[t], d[o]);
}

/* A scheme of many sections: the report once kept 64 columns and
 * silently left out 总分, 排名 and 备注. */
Test(badinput, seventy_sections_still_report_total_rank_and_remarks)
{
    char dir[64], sp[96], ev[96], ro[96], num[32];
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(sp, sizeof sp, "%s/scheme.kh", dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    snprintf(ro, sizeof ro, "%s/roster.csv", dir);
    FILE *f = fopen(sp, "w");
    cr_assert_not_null(f);
    fputs("考核方案：七十个部分\n考核对象：个人\n\n", f);
    for (int i = 1; i <= 70; i++) {
        kh_bad_cn(i, num, sizeof num);
        fprintf(f, "%s、部分%d（基本分1分）\n  1. 事项%d：每次扣1分\n", num, i, i);
    }
    cr_assert_eq(fclose(f), 0);
    kh_bad_write(ev, "人员,事项,数量\n张三,事项1,1\n", "", 0, "");
    kh_bad_write(ro, "人员,部门\n张三,办公室\n", "", 0, "");
    kh_proc p;
    kh_bad_run(&p, (const char *[]){"score", sp, "--events", ev, "--roster", ro, "--format", "csv", NULL});
    cr_assert_eq(p.status, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, ",部分69,部分70,总分,排名,备注\n"), "%.300s", p.out);
    cr_assert_not_null(strstr(p.out, ",1,1,69,1,\n"), "张三 scores 69 and ranks 1:\n%.300s", p.out);
    kh_proc_free(&p);
    kh_bad_rmdir(dir);
}

/* 数量 as large as the reader takes, summed past what 64 bits hold: the
 * run finishes, and both engines give the same (wrapped) numbers. */
Test(badinput, huge_quantities_overflow_alike_in_both_engines, .timeout = 60)
{
    char dir[64], ev[96];
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    kh_bad_write(ev,
                 "人员,日期,事项,数量,级别,编号\n"
                 "张三,2023-01-05,迟到,4000000000000000,,\n张三,2023-01-06,迟到,4000000000000000,,\n"
                 "张三,2023-01-07,迟到,4000000000000000,,\n张三,2023-02-01,学习笔记字数,4000000000000000,,\n"
                 "李四,2023-03-01,获得表彰,4000000000000000,国家级,\n李四,2023-03-02,获得表彰,4000000000000000,省级,\n"
                 "李四,2023-03-03,获得表彰,4000000000000000,市级,\n",
                 "", 0, "");
    kh_proc a, b;
    kh_bad_run(&a, (const char *[]){SCORE(ev), "--engine", "interp", "--format", "csv", NULL});
    kh_bad_run(&b, (const char *[]){SCORE(ev), "--engine", "jit", "--format", "csv", NULL});
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_assert_str_eq(a.out, b.out);
    kh_proc_free(&a);
    kh_proc_free(&b);
    kh_bad_rmdir(dir);
}

/* --help names every command with how to call it, and each name it gives
 * is one the command line runs (a bare command is a usage error about its
 * options, never 「unknown command」). */
Test(badinput, help_names_every_command_the_command_line_runs)
{
    static const char *const cmds[] = {"check", "ast", "ir", "lint", "score", "explain", "compile", "ingest", "gen"};
    kh_proc p;
    kh_bad_run(&p, (const char *[]){"--help", NULL});
    cr_assert_eq(p.status, 0, "%s", p.err);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "\n  %s ", cmds[i]);
        cr_assert_not_null(strstr(p.out, want), "--help does not list %s:\n%s", cmds[i], p.out);
    }
    size_t listed = 0;
    for (const char *l = strstr(p.out, "\n  "); l; l = strstr(l + 1, "\n  ")) {
        char name[32];
        size_t n = 0;
        for (const char *c = l + 3; *c >= 'a' && *c <= 'z' && n + 1 < sizeof name; c++)
            name[n++] = *c;
        name[n] = '\0';
        if (n == 0 || strncmp(name, "lang", 4) == 0)
            continue;
        listed++;
        kh_proc q;
        kh_bad_run(&q, (const char *[]){name, NULL});
        cr_assert_null(strstr(q.err, "U003"), "--help lists 「%s」, which is not a command:\n%s", name, q.err);
        kh_proc_free(&q);
    }
    cr_assert_eq(listed, sizeof cmds / sizeof cmds[0], "--help lists %zu commands", listed);
    kh_proc_free(&p);
}

/* --lang en may come before the command as well as after it. */
Test(badinput, lang_before_the_command_is_honoured)
{
    kh_proc p, q;
    kh_bad_run(&p, (const char *[]){"--lang", "en", "--help", NULL});
    cr_assert_eq(p.status, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "usage: kaohe"), "%s", p.out);
    kh_bad_run(&q, (const char *[]){"--lang", "en", "grade", NULL});
    cr_assert_eq(q.status, 2, "%s", q.err);
    cr_assert_not_null(strstr(q.err, "kaohe: error[U003]: unknown command 「grade」"), "%s", q.err);
    kh_proc_free(&p);
    kh_proc_free(&q);
}

/* An event log over 1 GB is refused up front with what to do about it,
 * by scoring and by ingest alike (a sparse file: nothing is written). */
Test(badinput, an_event_log_over_a_gigabyte_says_how_to_make_it_smaller, .timeout = 60)
{
    char dir[64], ev[96], kev[96];
    kh_bad_tmpdir(dir, sizeof dir);
    snprintf(ev, sizeof ev, "%s/year.csv", dir);
    snprintf(kev, sizeof kev, "%s/year.kev", dir);
    int fd = open(ev, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    static const char head[] = "人员,日期,事项,数量\n";
    cr_assert_eq(write(fd, head, sizeof head - 1), (ssize_t)(sizeof head - 1));
    cr_assert_eq(ftruncate(fd, ((off_t)1 << 30) + 1), 0);
    close(fd);
    kh_proc p, q;
    kh_bad_run(&p, (const char *[]){SCORE(ev), NULL});
    kh_bad_run(&q, (const char *[]){"ingest", ev, "--roster", ROSTER, "-o", kev, NULL});
    const kh_proc *runs[] = {&p, &q};
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(runs[i]->status, 1, "%s", runs[i]->err);
        cr_assert_not_null(strstr(runs[i]->err, "错误[R008]: 文件太大"), "%s", runs[i]->err);
        cr_assert_not_null(strstr(runs[i]->err, "只保留计分用到的列"), "%s", runs[i]->err);
    }
    cr_assert_neq(access(kev, F_OK), 0, "no cache is written");
    kh_proc_free(&p);
    kh_proc_free(&q);
    kh_bad_rmdir(dir);
}
