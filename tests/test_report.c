/* test_report.c — the score table in its three formats (runtime/report.c):
 * rows in rank order with ties in roster order, CSV quoting, JSON escapes,
 * terminal alignment with wide characters, numbers, a failed write and
 * running out of memory. */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define SCHEME "考核方案：t\n一、学习（基本分15分）\n  1. 缺席：每次扣1分\n"
#define EV "人员,日期,事项,数量,级别,编号\n"
#define BOM "\xEF\xBB\xBF"

/* The report of r in fmt, as an owned string. */
static char *report(const kh_run *r, kh_format fmt)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert_not_null(f);
    cr_assert(kh_report_alloc(NULL, f, &r->sc, fmt));
    cr_assert_eq(ferror(f), 0);
    fclose(f);
    return buf;
}

static void expect_report(const kh_run *r, kh_format fmt, const char *want)
{
    char *got = report(r, fmt);
    cr_assert_str_eq(got, want);
    free(got);
}

/* Entity who's value in the output column titled title. */
static kh_dec *cell(kh_run *r, const char *who, const char *title)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0);
    const kh_ir *ir = r->sc.ir;
    for (int32_t c = 0; c < ir->ncols; c++)
        if (ir->cols[c].title && strcmp(ir->cols[c].title, title) == 0)
            return &r->sc.rows[(size_t)e * (size_t)ir->ncols + (size_t)c];
    cr_assert(false, "no column %s", title);
    return NULL;
}

/* Remarks a test puts in place of an entity's own.  The verdicts' remarks
 * are one block owned through the first verdict (grade.h), so the test's
 * strings are kept apart and the originals go back before the run is
 * freed (free_run). */
typedef struct rp_marks {
    kh_verdict *v[4];
    char *was[4], *text[4];
    int n;
} rp_marks;

static void set_remarks(kh_run *r, rp_marks *m, const char *who, const char *text)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0);
    cr_assert_lt(m->n, 4);
    kh_verdict *v = &r->sc.verdicts[e];
    m->v[m->n] = v;
    m->was[m->n] = v->remarks;
    m->text[m->n] = kh_strndup(NULL, text, strlen(text));
    cr_assert_not_null(m->text[m->n]);
    v->remarks = m->text[m->n++];
}

static void free_run(kh_run *r, rp_marks *m)
{
    while (m->n > 0) {
        m->n--;
        m->v[m->n]->remarks = m->was[m->n];
        kh_free(m->text[m->n]);
    }
    kh_run_free(r);
}

Test(report, rows_in_rank_order_ties_in_roster_order)
{
    kh_run r;
    kh_run_score(&r, SCHEME, EV "甲,2023-01-01,缺席,3,,\n丙,2023-01-01,缺席,3,,\n",
                 "人员,部门\n甲,一科\n乙,二科\n丙,三科\n丁,四科\n", NULL);
    cr_assert(r.ok);
    expect_report(&r, KH_FMT_CSV,
                  BOM "人员,部门,学习,总分,排名,备注\n"
                      "乙,二科,15,15,1,\n"
                      "丁,四科,15,15,1,\n"
                      "甲,一科,12,12,3,\n"
                      "丙,三科,12,12,3,\n");
    kh_run_free(&r);
}

Test(report, csv_quotes_only_cells_that_need_it)
{
    kh_run r;
    rp_marks marks = {0};
    kh_run_score(&r, SCHEME, EV "\"张,三\",2023-01-01,缺席,2,,\n",
                 "人员,部门\n\"张,三\",办公室\n\"李\"\"四\",综合科\n王五,\"A\"\"B,C\"\n", NULL);
    cr_assert(r.ok);
    set_remarks(&r, &marks, "王五", "第一行\r\n第二行");
    expect_report(&r, KH_FMT_CSV,
                  BOM "人员,部门,学习,总分,排名,备注\n"
                      "\"李\"\"四\",综合科,15,15,1,\n"
                      "王五,\"A\"\"B,C\",15,15,1,\"第一行\r\n第二行\"\n"
                      "\"张,三\",办公室,13,13,3,\n");
    free_run(&r, &marks);
}

Test(report, json_escapes_quotes_backslashes_and_control_characters)
{
    kh_run r;
    rp_marks marks = {0};
    kh_run_score(&r, SCHEME, EV, "人员,部门\n甲,办公室\n", NULL);
    cr_assert(r.ok);
    r.sc.ent[0].dept = "a\tb\x01\"c\\d/é\x7f";
    set_remarks(&r, &marks, "甲", "行一\n行二\x1f");
    expect_report(&r, KH_FMT_JSON,
                  "{\"scheme\": \"t\", \"rows\": [\n"
                  "  {\"人员\": \"甲\", \"部门\": \"a\\u0009b\\u0001\\\"c\\\\d/é\x7f\", \"学习\": 15, \"总分\": 15, "
                  "\"排名\": 1, \"备注\": \"行一\\u000a行二\\u001f\"}\n"
                  "], \"summary\": {\"events\": 0, \"counted\": 0, \"unknown_person\": 0, \"unknown_item\": 0, "
                  "\"outside_period\": 0, \"rejected\": 0}}\n");
    free_run(&r, &marks);
}

Test(report, numbers_are_shortest_exact_text)
{
    kh_run r;
    kh_run_score(&r, SCHEME, EV, "人员,部门\n甲,办公室\n乙,办公室\n", NULL);
    cr_assert(r.ok);
    *cell(&r, "甲", "总分") = -250;
    *cell(&r, "乙", "总分") = 1234567;
    *cell(&r, "乙", "学习") = 100000;
    char *csv = report(&r, KH_FMT_CSV);
    cr_assert_str_eq(csv, BOM "人员,部门,学习,总分,排名,备注\n"
                              "甲,办公室,15,-0.25,1,\n"
                              "乙,办公室,100,1234.567,1,\n");
    free(csv);
    char *json = report(&r, KH_FMT_JSON);
    cr_assert_not_null(strstr(json, "\"总分\": -0.25, \"排名\": 1,"));
    cr_assert_not_null(strstr(json, "\"学习\": 100, \"总分\": 1234.567,"));
    free(json);
    expect_report(&r, KH_FMT_TABLE,
                  "人员  部门    学习      总分  排名  备注\n"
                  "甲    办公室    15     -0.25     1  \n"
                  "乙    办公室   100  1234.567     1  \n");
    kh_run_free(&r);
}

/* Widths in terminal columns: a CJK character and a full-width bracket
 * take two, ASCII one.  Numbers align right, text left; the last column
 * is not padded. */
Test(report, table_aligns_wide_characters)
{
    kh_run r;
    kh_run_score(&r, SCHEME, EV "甲,2023-01-01,缺席,3,,\n丙,2023-01-01,缺席,1,,\n",
                 "人员,部门\n甲,办公室\nBob,IT\n丙,（一）科\n", NULL);
    cr_assert(r.ok);
    expect_report(&r, KH_FMT_TABLE,
                  "人员  部门      学习  总分  排名  备注\n"
                  "Bob   IT          15    15     1  \n"
                  "丙    （一）科    14    14     2  \n"
                  "甲    办公室      12    12     3  \n");
    kh_run_free(&r);
}

Test(report, table_measures_every_row_and_long_remarks)
{
    kh_run r;
    rp_marks marks = {0};
    kh_run_score(&r, SCHEME, EV "甲,2023-01-01,缺席,20,,\n", "人员,部门\n甲,办公室\n乙,x\n", NULL);
    cr_assert(r.ok);
    set_remarks(&r, &marks, "乙", "ab");
    set_remarks(&r, &marks, "甲", "未完成");
    *cell(&r, "甲", "学习") = -5000;
    *cell(&r, "甲", "总分") = -5000;
    expect_report(&r, KH_FMT_TABLE,
                  "人员  部门    学习  总分  排名  备注\n"
                  "乙    x         15    15     1  ab\n"
                  "甲    办公室    -5    -5     2  未完成\n");
    free_run(&r, &marks);
}

Test(report, empty_roster_gives_headings_only)
{
    kh_run r;
    kh_run_score(&r, SCHEME, EV, "人员,部门\n甲,办公室\n", NULL);
    cr_assert(r.ok);
    size_t n = r.sc.nent;
    r.sc.nent = 0;
    expect_report(&r, KH_FMT_CSV, BOM "人员,部门,学习,总分,排名,备注\n");
    expect_report(&r, KH_FMT_JSON,
                  "{\"scheme\": \"t\", \"rows\": [\n], \"summary\": {\"events\": 0, \"counted\": 0, "
                  "\"unknown_person\": 0, \"unknown_item\": 0, \"outside_period\": 0, \"rejected\": 0}}\n");
    r.sc.nent = n;
    kh_run_free(&r);
}

/* A full device: the error shows in ferror (a report larger than the
 * output block fails inside kh_report_alloc) or at the latest in fflush. */
Test(report, write_to_a_full_device_fails)
{
    kh_run r;
    rp_marks marks = {0};
    kh_run_score(&r, SCHEME, EV, "人员,部门\n甲,办公室\n", NULL);
    cr_assert(r.ok);
    FILE *f = fopen("/dev/full", "w");
    cr_assert_not_null(f);
    cr_assert(kh_report_alloc(NULL, f, &r.sc, KH_FMT_CSV));
    cr_assert(ferror(f) || fflush(f) != 0);
    fclose(f);

    size_t big = (size_t)2 << 20;
    char *text = malloc(big + 1);
    cr_assert_not_null(text);
    memset(text, 'x', big);
    text[big] = '\0';
    set_remarks(&r, &marks, "甲", text);
    free(text);
    for (int fmt = KH_FMT_TABLE; fmt <= KH_FMT_JSON; fmt++) {
        f = fopen("/dev/full", "w");
        cr_assert_not_null(f);
        cr_assert(kh_report_alloc(NULL, f, &r.sc, (kh_format)fmt));
        cr_assert(ferror(f), "format %d: the failed write is not flagged", fmt);
        fclose(f);
    }
    free_run(&r, &marks);
}

/* Every allocation may fail: then false and not a byte written. */
Test(report, out_of_memory_writes_nothing)
{
    kh_run r;
    kh_run_score(&r, SCHEME, EV, "人员,部门\n甲,办公室\n乙,二科\n", NULL);
    cr_assert(r.ok);
    char *want = report(&r, KH_FMT_JSON);
    bool done = false;
    for (long k = 1; k < 100 && !done; k++) {
        kh_alloc a = { .fail_at = k };
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);
        cr_assert_not_null(f);
        done = kh_report_alloc(&a, f, &r.sc, KH_FMT_JSON);
        fclose(f);
        if (done)
            cr_assert_str_eq(buf, want);
        else
            cr_assert_eq(n, 0, "allocation %ld failed, yet %zu bytes were written", k, n);
        free(buf);
    }
    cr_assert(done);
    free(want);
    kh_run_free(&r);
}
