/* test_csv.c — reading event logs and rosters: encodings, quoting, columns,
 * row diagnostics with their lines, dates, 数量, roster duplicates, finding
 * roster names; and the string map the runtime interns with. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "strmap.h"

#define DATA "tests/data/csv/"

/* ------------------------------------------------------------ helpers */

/* Number of diagnostics with this code (on this line when line > 0). */
static int count_diag(const kh_diags *d, const char *code, int line)
{
    int k = 0;
    for (size_t i = 0; i < d->n; i++) {
        const kh_diag *dg = &d->v[i];
        if (strcmp(dg->msg->code, code) != 0)
            continue;
        if (line > 0) {
            int l = 0, c = 0;
            cr_assert_not_null(dg->src, "%s has no source", code);
            kh_source_linecol(dg->src, dg->span.off, &l, &c);
            if (l != line)
                continue;
        }
        k++;
    }
    return k;
}

static const kh_diag *find_diag(const kh_diags *d, const char *code)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->v[i].msg->code, code) == 0)
            return &d->v[i];
    cr_assert_fail("no diagnostic %s", code);
    return NULL;
}

/* The message of the first diagnostic with this code, in a language. */
static void message_of(const kh_diags *d, const char *code, kh_lang lang, char *buf, size_t cap)
{
    kh_diag_message(find_diag(d, code), lang, buf, cap);
}

/* The text a diagnostic's span covers. */
static void span_text(const kh_diag *dg, char *buf, size_t cap)
{
    size_t n = dg->span.len < cap - 1 ? dg->span.len : cap - 1;
    memcpy(buf, dg->src->text + dg->span.off, n);
    buf[n] = '\0';
}

/* Write bytes to a fresh temporary file; returns its path (caller frees). */
static char *temp_file(const char *bytes, size_t n)
{
    char *path = strdup("/tmp/kh_test_csv_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, bytes, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Read events from text; the log and diagnostics are the caller's to free. */
static bool events_from(const char *text, kh_eventlog *log, kh_diags *d)
{
    char *path = temp_file(text, strlen(text));
    kh_diags_init(d, NULL);
    bool ok = kh_eventlog_read(NULL, d, path, NULL, log);
    unlink(path);
    free(path);
    return ok;
}

static void assert_event(const kh_raw_event *e, uint32_t line, const char *person,
                         const char *dept, const char *date, const char *item,
                         kh_dec value, bool pct, const char *level, const char *key)
{
    char buf[16];
    kh_csv_date_format(e->date, buf, sizeof buf);
    cr_assert_eq(e->line, line, "line %u, expected %u", e->line, line);
    cr_assert_str_eq(e->person, person);
    cr_assert_str_eq(e->dept, dept);
    cr_assert_str_eq(buf, date);
    cr_assert_str_eq(e->item, item);
    cr_assert_eq(e->value, value, "value %lld, expected %lld", (long long)e->value, (long long)value);
    cr_assert_eq(e->value_pct, pct);
    cr_assert_str_eq(e->level, level);
    cr_assert_str_eq(e->key, key);
}

/* The six events of events_utf8.csv and its twins. */
static void assert_reference_events(const kh_eventlog *log)
{
    cr_assert_eq(log->n, 6);
    cr_assert_eq(log->skipped, 0);
    assert_event(&log->ev[0], 2, "张三", "办公室", "2023-03-05", "无故不参加学习", 1000, false, "", "");
    assert_event(&log->ev[1], 3, "李四", "业务科", "2023-03-06", "学习笔记字数", 12000000, false, "", "");
    assert_event(&log->ev[2], 4, "王五", "业务科", "2023-04-01", "获得表彰", 1000, false, "省级", "B-7");
    assert_event(&log->ev[3], 5, "赵\"六\"", "办公室", "2023-05-20", "稿件被采用", 2000, false, "市级", "稿件,甲");
    assert_event(&log->ev[4], 6, "李䶮", "办公室", "2023-06-01", "完成率", 75000, true, "", "第一行\n第二行");
    assert_event(&log->ev[5], 8, "𠮷田", "业务科", "", "述职", 8500, false, "", "");
    cr_assert(log->has_person && log->has_dept && log->has_date);
    cr_assert(log->has_value && log->has_level && log->has_key);
}

static void read_ok(const char *path, const char *enc, kh_eventlog *log, kh_diags *d)
{
    kh_diags_init(d, NULL);
    cr_assert(kh_eventlog_read(NULL, d, path, enc, log), "reading %s failed", path);
    cr_assert_eq(d->nerrors, 0);
}

/* Read a file expected to be unusable.  Its diagnostics may refer to
 * log->src: free the log after them. */
static void read_fails(const char *path, const char *enc, kh_eventlog *log, kh_diags *d)
{
    kh_diags_init(d, NULL);
    cr_assert_not(kh_eventlog_read(NULL, d, path, enc, log), "%s read", path);
    cr_assert_geq(d->nerrors, 1);
}

/* ---------------------------------------------------------- encodings */

Test(csv, utf8_file_reads_every_field)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_utf8.csv", NULL, &log, &d);
    cr_assert_str_eq(log.encoding, "UTF-8");
    cr_assert_not(log.crlf);
    assert_reference_events(&log);
    cr_assert_eq(d.n, 0);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, excel_utf8_with_bom_and_crlf_gives_the_same_records)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_bom_crlf.csv", NULL, &log, &d);
    cr_assert_str_eq(log.encoding, "UTF-8 (BOM)");
    cr_assert(log.crlf);
    assert_reference_events(&log);
    /* Spans refer to the text without the BOM; the record has no CR. */
    cr_assert_eq(log.ev[0].span.off, strlen("人员,部门,日期,事项,数量,级别,编号\r\n"));
    cr_assert_eq(log.ev[0].span.len, strlen("张三,办公室,2023-03-05,无故不参加学习,,,"));
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, gb18030_twin_gives_identical_records)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_gb18030.csv", NULL, &log, &d);
    cr_assert_str_eq(log.encoding, "GB18030");
    assert_reference_events(&log);
    /* The source is the converted text, so diagnostics show UTF-8 lines. */
    cr_assert_eq(strncmp(log.src.text, "人员,部门", strlen("人员,部门")), 0);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, gbk_export_detected_without_flag)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_gbk.csv", NULL, &log, &d);
    cr_assert_str_eq(log.encoding, "GB18030");
    cr_assert(log.crlf);
    cr_assert_eq(log.n, 3);
    assert_event(&log.ev[0], 2, "张三", "", "2023-03-05", "学习心得", 2000, false, "", "");
    assert_event(&log.ev[1], 3, "李四", "", "2023-03-06", "无故不参加学习", 1000, false, "", "");
    assert_event(&log.ev[2], 4, "王五", "", "2023-03-07", "稿件被采用", 1000, false, "", "");
    cr_assert_not(log.has_dept);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, forced_gbk_reads_a_gbk_file)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_gbk.csv", "GBK", &log, &d);
    cr_assert_str_eq(log.encoding, "GBK");
    cr_assert_eq(log.n, 3);
    cr_assert_str_eq(log.ev[2].item, "稿件被采用");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, forced_gb18030_reads_four_byte_characters)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_gb18030.csv", "gb18030", &log, &d);
    assert_reference_events(&log);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, forced_utf8_on_a_gb_file_says_where)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256];
    read_fails(DATA "events_gbk.csv", "utf-8", &log, &d);
    cr_assert_eq(count_diag(&d, "R011", 0), 1);
    message_of(&d, "R011", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, DATA "events_gbk.csv 第1行不是有效的 UTF-8 编码文本");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, unknown_encoding_name_is_refused)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256];
    read_fails(DATA "events_utf8.csv", "latin1", &log, &d);
    message_of(&d, "R010", KH_EN, msg, sizeof msg);
    cr_assert_str_eq(msg, "unknown encoding \"latin1\"");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, bytes_neither_utf8_nor_gb18030_are_located)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256];
    read_fails(DATA "bad_encoding.csv", NULL, &log, &d);
    cr_assert_eq(d.n, 1);
    message_of(&d, "R005", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, DATA "bad_encoding.csv 第3行有无法识别的字节（0xFF 0xFE）："
                          "既不是 UTF-8 也不是 GB18030/GBK 编码");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, utf16_unicode_text_is_named)
{
    kh_eventlog log;
    kh_diags d;
    read_fails(DATA "utf16.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R006", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

/* ------------------------------------------------------- file problems */

Test(csv, missing_file_directory_empty_and_binary)
{
    kh_eventlog log;
    kh_diags d;
    read_fails(DATA "no_such_file.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R001", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
    read_fails(DATA, NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R002", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
    read_fails(DATA "empty.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R003", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
    read_fails(DATA "only_bom.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R003", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
    read_fails(DATA "binary.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R004", 0), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, blank_lines_only_is_empty)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert_not(events_from("\n\r\n,,,\n  \n", &log, &d));
    cr_assert_eq(count_diag(&d, "R003", 0), 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

/* -------------------------------------------------------------- header */

Test(csv, english_headers_in_another_order)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "events_english.csv", NULL, &log, &d);
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.n, 2);
    assert_event(&log.ev[0], 2, "张三", "办公室", "2023-01-02", "学习心得", 2000, false, "", "");
    assert_event(&log.ev[1], 3, "李四", "业务科", "2023-02-03", "获得表彰", 1000, false, "国家级", "K1");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, traditional_header_names_are_known)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人員,事項,數量,級別,編號\n張三,獲得表彰,1,省級,A\n", &log, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.n, 1);
    cr_assert_str_eq(log.ev[0].level, "省級");
    cr_assert_str_eq(log.ev[0].key, "A");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, unknown_and_unnamed_columns_are_warned_and_ignored)
{
    kh_eventlog log;
    kh_diags d;
    char msg[512], at[64];
    read_ok(DATA "events_unknown_col.csv", NULL, &log, &d);
    cr_assert_eq(d.nwarnings, 2);
    message_of(&d, "R016", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "不认识的列「备注」，这一列的内容将被忽略");
    span_text(find_diag(&d, "R016"), at, sizeof at);
    cr_assert_str_eq(at, "备注");
    message_of(&d, "R017", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "第4列没有列名，这一列的内容将被忽略");
    cr_assert_eq(log.n, 1);
    cr_assert_str_eq(log.ev[0].item, "学习心得");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, missing_item_column_names_it_and_lists_known_names)
{
    kh_eventlog log;
    kh_diags d;
    char msg[512];
    read_fails(DATA "missing_item.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R015", 1), 1);
    message_of(&d, "R015", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "缺少必需的列「事项」");
    cr_assert(kh_diag_hint(find_diag(&d, "R015"), KH_ZH, msg, sizeof msg));
    cr_assert_not_null(strstr(msg, "事项/item"));
    cr_assert_not_null(strstr(msg, "编号/key"));
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, missing_person_column_without_dept)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256];
    read_fails(DATA "missing_person.csv", NULL, &log, &d);
    message_of(&d, "R015", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "缺少必需的列「人员」");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, unit_events_need_no_person_column)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "unit_events.csv", NULL, &log, &d);
    cr_assert_not(log.has_person);
    cr_assert_eq(log.n, 1);
    cr_assert_str_eq(log.ev[0].person, "");
    cr_assert_str_eq(log.ev[0].dept, "办公室");
    cr_assert_eq(log.ev[0].value, 3000);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, duplicated_header_column)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256], at[32];
    read_fails(DATA "dup_header.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R018", 1), 1);
    message_of(&d, "R018", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "列「事项」出现了两次（第2列和第4列）");
    span_text(find_diag(&d, "R018"), at, sizeof at);
    cr_assert_str_eq(at, "事项");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, data_without_header_is_reported)
{
    kh_eventlog log;
    kh_diags d;
    read_fails(DATA "no_header.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R013", 1), 1);
    cr_assert_eq(d.nwarnings, 0, "no unknown-column warnings for data");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, tab_separated_file_is_named)
{
    kh_eventlog log;
    kh_diags d;
    read_fails(DATA "tabs.csv", NULL, &log, &d);
    cr_assert_eq(count_diag(&d, "R014", 1), 1);
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, header_only_warns)
{
    kh_eventlog log;
    kh_diags d;
    read_ok(DATA "header_only.csv", NULL, &log, &d);
    cr_assert_eq(log.n, 0);
    cr_assert_eq(count_diag(&d, "R031", 1), 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

/* ------------------------------------------------------------- records */

Test(csv, every_bad_row_is_reported_on_its_line_and_counted)
{
    kh_eventlog log;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, DATA "events_bad_rows.csv", NULL, &log));
    cr_assert_eq(count_diag(&d, "R026", 2), 1);   /* 2023-02-30 */
    cr_assert_eq(count_diag(&d, "R022", 3), 1);   /* abc */
    cr_assert_eq(count_diag(&d, "R023", 4), 1);   /* -2 */
    cr_assert_eq(count_diag(&d, "R024", 5), 1);   /* 1.2345 */
    cr_assert_eq(count_diag(&d, "R027", 6), 1);   /* empty 事项 */
    cr_assert_eq(count_diag(&d, "R028", 7), 1);   /* empty 人员 */
    cr_assert_eq(count_diag(&d, "R020", 8), 1);   /* 3 fields */
    cr_assert_eq(count_diag(&d, "R020", 9), 1);   /* 5 fields */
    cr_assert_eq(count_diag(&d, "R025", 12), 1);  /* too large */
    cr_assert_eq(count_diag(&d, "R019", 14), 1);  /* unterminated quote */
    cr_assert_eq(d.nerrors, 10);
    cr_assert_eq(log.rows, 13);
    cr_assert_eq(log.skipped, 10);
    cr_assert_eq(log.n, 3);
    /* The quoted newline in line 10 does not shift the lines after it. */
    assert_event(&log.ev[0], 10, "郑十", "", "2023-03-01", "学习\n心得", 1000, false, "", "");
    assert_event(&log.ev[1], 13, "陈二", "", "2023-03-01", "学习心得", 1000, false, "", "");
    assert_event(&log.ev[2], 15, "蒋四", "", "2023-03-01", "学习心得", 2000, false, "", "");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, row_messages_quote_the_value_and_point_at_the_field)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256], at[64];
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, DATA "events_bad_rows.csv", NULL, &log));
    message_of(&d, "R026", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "日期「2023-02-30」不是有效的日期；这一行已跳过");
    span_text(find_diag(&d, "R026"), at, sizeof at);
    cr_assert_str_eq(at, "2023-02-30");
    message_of(&d, "R022", KH_EN, msg, sizeof msg);
    cr_assert_str_eq(msg, "value \"abc\" is not a number; row skipped");
    message_of(&d, "R020", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "这一行有 3 个字段，表头有 4 个；这一行已跳过");
    span_text(find_diag(&d, "R020"), at, sizeof at);
    cr_assert_str_eq(at, "孙八,2023-03-01,学习心得");
    const kh_diag *q = find_diag(&d, "R019");
    int line = 0, col = 0;
    kh_source_linecol(q->src, q->span.off, &line, &col);
    cr_assert_eq(line, 14);
    cr_assert_eq(col, 15);
    cr_assert_eq(q->src->text[q->span.off], '"');
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, several_problems_in_one_row_skip_it_once)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,日期,事项,数量\n张三,2023-13-01,,x\n", &log, &d));
    cr_assert_eq(count_diag(&d, "R026", 2), 1);
    cr_assert_eq(count_diag(&d, "R027", 2), 1);
    cr_assert_eq(count_diag(&d, "R022", 2), 1);
    cr_assert_eq(log.skipped, 1);
    cr_assert_eq(log.n, 0);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, quoting_rules)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,事项,编号\n"
                          "\"a,b\",\"say \"\"hi\"\"\",\"\"\n"
                          "c, \"d,e\" ,x\"y\n"
                          "\"f\"g,\"\n\n\",\"\"\"\"\n", &log, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.n, 3);
    cr_assert_str_eq(log.ev[0].person, "a,b");
    cr_assert_str_eq(log.ev[0].item, "say \"hi\"");
    cr_assert_str_eq(log.ev[0].key, "");
    cr_assert_str_eq(log.ev[1].item, "d,e");
    cr_assert_str_eq(log.ev[1].key, "x\"y");
    cr_assert_str_eq(log.ev[2].person, "fg");
    cr_assert_str_eq(log.ev[2].item, "\n\n");
    cr_assert_str_eq(log.ev[2].key, "\"");
    cr_assert_eq(log.ev[2].line, 4);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, blank_rows_are_not_rows_and_lines_stay_right)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("\n人员,事项\n\n,\n 张三 ,\t学习心得\u3000\n", &log, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.rows, 1);
    cr_assert_eq(log.n, 1);
    cr_assert_eq(log.ev[0].line, 5);
    cr_assert_str_eq(log.ev[0].person, "张三");
    cr_assert_str_eq(log.ev[0].item, "学习心得");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, old_mac_line_ends)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,事项\r张三,学习心得\r李四,学习心得", &log, &d));
    cr_assert_eq(log.n, 2);
    cr_assert_eq(log.ev[1].line, 3);
    cr_assert_str_eq(log.ev[1].person, "李四");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, empty_person_allowed_when_dept_given)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,部门,事项\n,办公室,信息报送\n,,信息报送\n", &log, &d));
    cr_assert_eq(log.n, 1);
    cr_assert_str_eq(log.ev[0].dept, "办公室");
    cr_assert_eq(count_diag(&d, "R028", 3), 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

/* -------------------------------------------------------------- 数量 */

Test(csv, value_forms)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,事项,数量\n"
                          "a,x,\n"
                          "a,x,75%\n"
                          "a,x,75.5 ％\n"
                          "a,x,2.5\n"
                          "a,x,０.１２５\n"
                          "a,x,\"1,234,567.5\"\n"
                          "a,x,0\n", &log, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.n, 7);
    const kh_dec want[] = {1000, 75000, 75500, 2500, 125, 1234567500, 0};
    const bool pct[] = {false, true, true, false, false, false, false};
    for (size_t i = 0; i < 7; i++) {
        cr_assert_eq(log.ev[i].value, want[i], "row %zu: %lld", i, (long long)log.ev[i].value);
        cr_assert_eq(log.ev[i].value_pct, pct[i], "row %zu", i);
    }
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, value_problems)
{
    kh_eventlog log;
    kh_diags d;
    cr_assert(events_from("人员,事项,数量\n"
                          "a,x,三\n"
                          "a,x,%\n"
                          "a,x,\"1,5\"\n"
                          "a,x,1e3\n"
                          "a,x,－1\n"
                          "a,x,-0.5%\n"
                          "a,x,0.0001\n", &log, &d));
    cr_assert_eq(log.n, 0);
    cr_assert_eq(log.skipped, 7);
    cr_assert_eq(count_diag(&d, "R022", 2), 1);
    cr_assert_eq(count_diag(&d, "R022", 3), 1);
    cr_assert_eq(count_diag(&d, "R022", 4), 1);
    cr_assert_eq(count_diag(&d, "R022", 5), 1);
    cr_assert_eq(count_diag(&d, "R023", 6), 1);
    cr_assert_eq(count_diag(&d, "R023", 7), 1);
    cr_assert_eq(count_diag(&d, "R024", 8), 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

Test(csv, long_garbage_value_is_quoted_shortened)
{
    kh_eventlog log;
    kh_diags d;
    char text[400], msg[512];
    strcpy(text, "人员,事项,数量\na,x,");
    for (int i = 0; i < 100; i++)
        strcat(text, "数");
    strcat(text, "\n");
    cr_assert(events_from(text, &log, &d));
    message_of(&d, "R022", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "数量「数数数数数数数数数数数数数数数数数数数数…」不是数字；这一行已跳过");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

/* -------------------------------------------------------------- dates */

static int32_t date_of(const char *s)
{
    int32_t days = 12345;
    cr_assert(kh_csv_parse_date(s, strlen(s), &days), "rejected %s", s);
    return days;
}

static void date_bad(const char *s)
{
    int32_t days = 12345;
    cr_assert_not(kh_csv_parse_date(s, strlen(s), &days), "accepted %s", s);
    cr_assert_eq(days, 12345);
}

Test(csv, dates_in_every_format)
{
    int32_t want = date_of("2023-03-05");
    cr_assert_eq(date_of("2023/3/5"), want);
    cr_assert_eq(date_of("2023-3-5"), want);
    cr_assert_eq(date_of("2023/03/05"), want);
    cr_assert_eq(date_of("2023.3.5"), want);
    cr_assert_eq(date_of("2023年3月5日"), want);
    cr_assert_eq(date_of("２０２３年３月５日"), want);
    cr_assert_eq(date_of(" 2023-03-05 "), want);
    cr_assert_eq(date_of("2023/3/5 9:30"), want);
    cr_assert_eq(date_of("2023/3/5 09:30:59"), want);
    cr_assert_eq(date_of("1970-01-01"), 0);
    cr_assert_eq(date_of("1969-12-31"), -1);
    cr_assert_eq(date_of("2000-03-01"), 11017);
    cr_assert_eq(date_of("2024-02-29") - date_of("2024-02-28"), 1);
    cr_assert_eq(date_of("2024-03-01") - date_of("2024-02-29"), 1);
}

Test(csv, impossible_and_malformed_dates)
{
    date_bad("2023-02-30");
    date_bad("2023-02-29");
    date_bad("1900-02-29");
    date_bad("2023-04-31");
    date_bad("2023-13-01");
    date_bad("2023-00-10");
    date_bad("2023-01-00");
    date_bad("2023-3/5");
    date_bad("23-3-5");
    date_bad("2023-003-05");
    date_bad("2023年3月5");
    date_bad("2023-03-05 25:00");
    date_bad("2023-03-05x");
    date_bad("45000");
    date_bad("");
    cr_assert_eq(date_of("2000-02-29") + 1, date_of("2000-03-01"));
}

Test(csv, date_format_round_trips)
{
    char buf[16];
    const char *days[] = {"1970-01-01", "2000-02-29", "2023-12-31", "1999-01-01", "2100-03-01"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        kh_csv_date_format(date_of(days[i]), buf, sizeof buf);
        cr_assert_str_eq(buf, days[i]);
    }
    kh_csv_date_format(INT32_MIN, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
}

/* ------------------------------------------------------------- sizes */

/* A header of n columns "c1,c2,…" (unknown names) with 事项 first. */
static char *wide_text(size_t n, size_t *len)
{
    char *t = malloc(n * 12 + 64);
    size_t k = (size_t)sprintf(t, "人员,事项");
    for (size_t i = 2; i < n; i++)
        k += (size_t)sprintf(t + k, ",c%zu", i);
    k += (size_t)sprintf(t + k, "\n");
    *len = k;
    return t;
}

Test(csv, hundred_thousand_columns_are_refused_not_slow, .timeout = 10)
{
    kh_eventlog log;
    kh_diags d;
    size_t len;
    char *t = wide_text(100000, &len);
    char *path = temp_file(t, len);
    kh_diags_init(&d, NULL);
    cr_assert_not(kh_eventlog_read(NULL, &d, path, NULL, &log));
    cr_assert_eq(count_diag(&d, "R021", 1), 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
}

Test(csv, row_with_too_many_fields_is_skipped, .timeout = 10)
{
    kh_eventlog log;
    kh_diags d;
    size_t n = 100000;
    char *t = malloc(n * 2 + 128);
    size_t k = (size_t)sprintf(t, "人员,事项\n张三");
    for (size_t i = 0; i < n; i++)
        t[k++] = ',';
    k += (size_t)sprintf(t + k, "\n李四,学习心得\n");
    char *path = temp_file(t, k);
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, path, NULL, &log));
    cr_assert_eq(count_diag(&d, "R021", 2), 1);
    cr_assert_eq(d.nerrors, 1);
    cr_assert_eq(log.n, 1);
    cr_assert_eq(log.ev[0].line, 3);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
}

Test(csv, megabyte_fields_are_read_whole, .timeout = 10)
{
    kh_eventlog log;
    kh_diags d;
    size_t big = 3u << 20;
    char *t = malloc(2 * big + 128);
    size_t k = (size_t)sprintf(t, "人员,事项,编号\n张三,学习心得,\"");
    for (size_t i = 0; i < big; i++)
        t[k++] = i % 1000 == 999 ? '\n' : i % 100 == 0 ? '"' : 'x';
    /* every '"' inside is written doubled */
    size_t w = 0;
    char *u = malloc(2 * big + 128);
    for (size_t i = 0; i < k; i++) {
        u[w++] = t[i];
        if (t[i] == '"' && i > strlen("人员,事项,编号\n张三,学习心得,"))
            u[w++] = '"';
    }
    w += (size_t)sprintf(u + w, "\"\n李四,学习心得,%s\n", "k");
    char *path = temp_file(u, w);
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, path, NULL, &log));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(log.n, 2);
    cr_assert_eq(strlen(log.ev[0].key), big);
    cr_assert_eq(log.ev[0].key[0], '"');
    cr_assert_eq(log.ev[0].key[1], 'x');
    cr_assert_eq(log.ev[1].line, 2 + big / 1000 + 1);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
    free(u);
}

/* Every allocation can fail: the reader reports it and frees what it had. */
Test(csv, allocation_failures_are_reported)
{
    int failures = 0;
    for (long k = 1; k < 200; k++) {
        kh_alloc a = {k, 0};
        kh_eventlog log;
        kh_diags d;
        kh_diags_init(&d, NULL);
        bool ok = kh_eventlog_read(&a, &d, DATA "events_gb18030.csv", NULL, &log);
        if (!ok) {
            cr_assert_eq(count_diag(&d, "R009", 0), 1, "allocation %ld", k);
            failures++;
        } else {
            assert_reference_events(&log);
        }
        kh_eventlog_free(&log);
        kh_diags_free(&d);
        if (ok && a.count < k)
            break;
    }
    cr_assert_geq(failures, 4);
}

/* -------------------------------------------------------------- roster */

Test(csv, roster_reads_every_column)
{
    kh_roster r;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_roster_read(NULL, &d, DATA "roster.csv", NULL, &r));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(r.n, 4);
    cr_assert(r.has_dept && r.has_role && r.has_leader);
    cr_assert_eq(r.p[0].line, 2);
    cr_assert_str_eq(r.p[0].person, "张三");
    cr_assert_str_eq(r.p[0].dept, "办公室");
    cr_assert_str_eq(r.p[0].role, "干部职工");
    cr_assert_str_eq(r.p[0].leader, "李四");
    cr_assert_str_eq(r.p[1].leader, "");
    cr_assert_str_eq(r.p[3].person, "赵\"六\"");
    kh_roster_free(&r);
    kh_diags_free(&d);
}

Test(csv, roster_gb18030_twin_is_identical)
{
    kh_roster r, g;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_roster_read(NULL, &d, DATA "roster.csv", NULL, &r));
    cr_assert(kh_roster_read(NULL, &d, DATA "roster_gb18030.csv", NULL, &g));
    cr_assert_str_eq(g.encoding, "GB18030");
    cr_assert_eq(r.n, g.n);
    for (size_t i = 0; i < r.n; i++) {
        cr_assert_eq(r.p[i].line, g.p[i].line);
        cr_assert_str_eq(r.p[i].person, g.p[i].person);
        cr_assert_str_eq(r.p[i].dept, g.p[i].dept);
        cr_assert_str_eq(r.p[i].role, g.p[i].role);
        cr_assert_str_eq(r.p[i].leader, g.p[i].leader);
    }
    kh_roster_free(&r);
    kh_roster_free(&g);
    kh_diags_free(&d);
}

Test(csv, roster_duplicates_are_errors_with_the_first_line)
{
    kh_roster r;
    kh_diags d;
    char msg[256], at[32];
    kh_diags_init(&d, NULL);
    cr_assert(kh_roster_read(NULL, &d, DATA "roster_dup.csv", NULL, &r));
    cr_assert_not(r.has_leader);
    cr_assert_eq(r.n, 2);
    cr_assert_eq(r.rows, 5);
    cr_assert_eq(r.skipped, 3);
    cr_assert_eq(count_diag(&d, "R029", 4), 1);
    cr_assert_eq(count_diag(&d, "R029", 6), 1);
    cr_assert_eq(count_diag(&d, "R030", 2), 2);
    cr_assert_eq(count_diag(&d, "R028", 5), 1);
    message_of(&d, "R029", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "人员「张三」在名单中出现了两次（第2行已有）；这一行已跳过");
    span_text(find_diag(&d, "R029"), at, sizeof at);
    cr_assert_str_eq(at, "张三");
    cr_assert_eq(find_diag(&d, "R030")->sev, KH_NOTE);
    cr_assert_str_eq(r.p[0].person, "张三");
    cr_assert_str_eq(r.p[0].dept, "办公室");
    cr_assert_str_eq(r.p[1].person, "李四");
    kh_roster_free(&r);
    kh_diags_free(&d);
}

/* Thousands of names, then a duplicate far from its first: still found,
 * with its first line. */
Test(csv, roster_duplicate_found_after_the_table_grows)
{
    enum { N = 5000 };
    size_t cap = 64 + (size_t)N * 32, len = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    len += (size_t)snprintf(text + len, cap - len, "人员,部门\n");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len, "人员%d,第%d科\n", i, i % 40);
    len += (size_t)snprintf(text + len, cap - len, "人员3700,第1科\n");
    char *path = temp_file(text, len);
    kh_roster r;
    kh_diags d;
    char msg[256];
    kh_diags_init(&d, NULL);
    cr_assert(kh_roster_read(NULL, &d, path, NULL, &r));
    cr_assert_eq(r.n, N);
    cr_assert_eq(r.skipped, 1);
    cr_assert_eq(count_diag(&d, "R029", N + 2), 1);
    message_of(&d, "R029", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "人员「人员3700」在名单中出现了两次（第3702行已有）；这一行已跳过");
    cr_assert_str_eq(r.p[N - 1].person, "人员4999");
    kh_roster_free(&r);
    kh_diags_free(&d);
    unlink(path);
    free(path);
    free(text);
}

Test(csv, roster_without_person_column)
{
    kh_roster r;
    kh_diags d;
    char msg[256];
    kh_diags_init(&d, NULL);
    cr_assert_not(kh_roster_read(NULL, &d, DATA "roster_no_person.csv", NULL, &r));
    message_of(&d, "R015", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "缺少必需的列「人员」");
    kh_roster_free(&r);
    kh_diags_free(&d);
}

Test(csv, large_roster_finds_duplicates_in_linear_time, .timeout = 10)
{
    size_t n = 200000;
    char *t = malloc(n * 16 + 64);
    size_t k = (size_t)sprintf(t, "人员,部门\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(t + k, "p%zu,d\n", i % (n - 1));
    char *path = temp_file(t, k);
    kh_roster r;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_roster_read(NULL, &d, path, NULL, &r));
    cr_assert_eq(r.n, n - 1);
    cr_assert_eq(count_diag(&d, "R029", (int)n + 1), 1);
    kh_roster_free(&r);
    kh_diags_free(&d);
    unlink(path);
    free(path);
    free(t);
}

Test(csv, roster_allocation_failures_are_reported)
{
    int failures = 0;
    for (long k = 1; k < 200; k++) {
        kh_alloc a = {k, 0};
        kh_roster r;
        kh_diags d;
        kh_diags_init(&d, NULL);
        bool ok = kh_roster_read(&a, &d, DATA "roster_dup.csv", NULL, &r);
        if (!ok) {
            cr_assert_eq(count_diag(&d, "R009", 0), 1, "allocation %ld", k);
            failures++;
        } else {
            cr_assert_eq(r.n, 2);
            cr_assert_eq(r.skipped, 3);
        }
        kh_roster_free(&r);
        kh_diags_free(&d);
        if (ok && a.count < k)
            break;
    }
    cr_assert_geq(failures, 4);
}

/* Read a roster from text; the roster and diagnostics are the caller's. */
static bool roster_from(const char *text, size_t len, kh_roster *r, kh_diags *d)
{
    char *path = temp_file(text, len);
    kh_diags_init(d, NULL);
    bool ok = kh_roster_read(NULL, d, path, NULL, r);
    unlink(path);
    free(path);
    return ok;
}

static void assert_entry(const kh_roster_entry *e, uint32_t line, const char *person,
                         const char *dept, const char *role, const char *leader)
{
    cr_assert_eq(e->line, line, "line %u, expected %u", e->line, line);
    cr_assert_str_eq(e->person, person);
    cr_assert_str_eq(e->dept, dept);
    cr_assert_str_eq(e->role, role);
    cr_assert_str_eq(e->leader, leader);
}

/* Plain lines and lines the general reader must take (quotes, a quoted
 * line break, blanks, a BOM, CRLF) give the same entries either way. */
Test(csv, roster_plain_and_quoted_rows_agree)
{
    static const char text[] =
        "\xEF\xBB\xBF人员,部门,职务,分管领导\r\n"
        "张三,办公室,科员,李四\r\n"
        "\"李四\",\"办公室\",科长,\r\n"
        "\xE3\x80\x80王五\xE3\x80\x80, 办公室 ,\t科员,李四\r\n"
        "\"赵\"\"六\"\"\",\"业务\r\n科\",科员,\"李四\"\r\n"
        "\r\n"
        "孙七,业务科,科员,赵\"六\"\r\n"
        "周八,业务科,科员,李四";
    kh_roster r;
    kh_diags d;
    cr_assert(roster_from(text, sizeof text - 1, &r, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_str_eq(r.encoding, "UTF-8 (BOM)");
    cr_assert_eq(r.n, 6);
    cr_assert_eq(r.rows, 6);
    assert_entry(&r.p[0], 2, "张三", "办公室", "科员", "李四");
    assert_entry(&r.p[1], 3, "李四", "办公室", "科长", "");
    assert_entry(&r.p[2], 4, "王五", "办公室", "科员", "李四");
    assert_entry(&r.p[3], 5, "赵\"六\"", "业务\r\n科", "科员", "李四");
    assert_entry(&r.p[4], 8, "孙七", "业务科", "科员", "赵\"六\"");
    assert_entry(&r.p[5], 9, "周八", "业务科", "科员", "李四");
    /* a record's span is its line without the line end */
    cr_assert_eq(r.p[0].span.len, strlen("张三,办公室,科员,李四"));
    cr_assert_eq(memcmp(r.src.text + r.p[4].span.off, "孙七,", strlen("孙七,")), 0);
    kh_roster_free(&r);
    kh_diags_free(&d);
}

/* Names are checked a few rows behind the reading: a repeat inside that
 * window is still skipped, the rows after it keep their places, and the
 * messages come in file order, interleaved with the other rows'. */
Test(csv, roster_repeats_near_each_other_keep_order)
{
    static const char text[] =
        "人员,部门\n"
        "甲,一科\n"      /* 2 */
        "乙,一科\n"      /* 3 */
        "甲,二科\n"      /* 4: repeat of 2 */
        "丙,二科\n"      /* 5 */
        ",二科\n"        /* 6: no name */
        "丁,二科,多余\n" /* 7: three fields */
        "\"乙\",三科\n"  /* 8: repeat of 3, quoted */
        "戊,三科\n"      /* 9 */
        "戊,三科\n";     /* 10: repeat of 9 at the end */
    kh_roster r;
    kh_diags d;
    char msg[256];
    cr_assert(roster_from(text, sizeof text - 1, &r, &d));
    cr_assert_eq(r.n, 4);
    cr_assert_eq(r.rows, 9);
    cr_assert_eq(r.skipped, 5);
    assert_entry(&r.p[0], 2, "甲", "一科", "", "");
    assert_entry(&r.p[1], 3, "乙", "一科", "", "");
    assert_entry(&r.p[2], 5, "丙", "二科", "", "");
    assert_entry(&r.p[3], 9, "戊", "三科", "", "");
    static const char *const order[] = {"R029", "R030", "R028", "R020", "R029", "R030", "R029", "R030"};
    static const int lines[] = {4, 2, 6, 7, 8, 3, 10, 9};
    cr_assert_eq(d.n, 8);
    for (size_t i = 0; i < d.n; i++) {
        int l = 0, c = 0;
        kh_source_linecol(d.v[i].src, d.v[i].span.off, &l, &c);
        cr_assert_str_eq(d.v[i].msg->code, order[i], "diagnostic %zu", i);
        cr_assert_eq(l, lines[i], "diagnostic %zu on line %d", i, l);
    }
    kh_diag_message(&d.v[4], KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "人员「乙」在名单中出现了两次（第3行已有）；这一行已跳过");
    span_text(&d.v[4], msg, sizeof msg);
    cr_assert_str_eq(msg, "\"乙\"");
    kh_roster_free(&r);
    kh_diags_free(&d);
}

/* Tens of thousands of rows fill several chunks of text; every value
 * survives, and a 部门 repeated by the next row is kept once. */
Test(csv, large_roster_keeps_every_value)
{
    enum { N = 60000 };
    size_t cap = 64 + (size_t)N * 64, len = 0;
    char *text = malloc(cap);
    char want[64];
    cr_assert_not_null(text);
    len += (size_t)snprintf(text + len, cap - len, "分管领导,人员,部门,职务\n");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len, "领导%d,人员%d,第%d科,职务%d\n", i / 10, i, i / 25,
                                i % 3);
    kh_roster r;
    kh_diags d;
    cr_assert(roster_from(text, len, &r, &d));
    cr_assert_eq(d.n, 0);
    cr_assert_eq(r.n, N);
    for (int i = 0; i < N; i++) {
        snprintf(want, sizeof want, "人员%d", i);
        cr_assert_str_eq(r.p[i].person, want);
        snprintf(want, sizeof want, "第%d科", i / 25);
        cr_assert_str_eq(r.p[i].dept, want);
        snprintf(want, sizeof want, "职务%d", i % 3);
        cr_assert_str_eq(r.p[i].role, want);
        snprintf(want, sizeof want, "领导%d", i / 10);
        cr_assert_str_eq(r.p[i].leader, want);
        cr_assert_eq(r.p[i].line, (uint32_t)i + 2);
    }
    cr_assert_eq(r.p[1].dept, r.p[0].dept, "a repeated 部门 is stored once");
    kh_roster_free(&r);
    kh_diags_free(&d);
    free(text);
}

Test(csv, roster_find_names_exactly)
{
    static const char text[] = "人员,部门\n张三,办公室\n张三丰,办公室\n\"李 四\",业务科\n张,业务科\n";
    kh_roster r;
    kh_diags d;
    cr_assert(roster_from(text, sizeof text - 1, &r, &d));
    cr_assert_eq(r.n, 4);
    cr_assert_eq(kh_roster_find(&r, "张三", strlen("张三")), 0);
    cr_assert_eq(kh_roster_find(&r, "张三丰", strlen("张三丰")), 1);
    cr_assert_eq(kh_roster_find(&r, "李 四", strlen("李 四")), 2);
    cr_assert_eq(kh_roster_find(&r, "张", strlen("张")), 3);
    /* the length bounds the name: "张三丰" cut after 张三 is 张三 */
    cr_assert_eq(kh_roster_find(&r, "张三丰", strlen("张三")), 0);
    cr_assert_eq(kh_roster_find(&r, "张三丰丰", strlen("张三丰丰")), -1);
    cr_assert_eq(kh_roster_find(&r, "李四", strlen("李四")), -1);
    cr_assert_eq(kh_roster_find(&r, "", 0), -1);
    kh_roster_free(&r);
    cr_assert_eq(kh_roster_find(&r, "张三", strlen("张三")), -1, "a freed roster finds nobody");
    kh_diags_free(&d);
}

/* ------------------------------------------------------------- strmap */

Test(strmap, keys_get_dense_indices_in_order)
{
    kh_strmap m;
    char key[32];
    kh_strmap_init(&m, NULL);
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof key, "键%d", i);
        cr_assert_eq(kh_strmap_put(&m, strdup(key), (size_t)n), i);
    }
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof key, "键%d", i);
        cr_assert_eq(kh_strmap_get(&m, key, (size_t)n), i);
        cr_assert_eq(kh_strmap_put(&m, key, (size_t)n), i, "an old key is not added again");
    }
    cr_assert_eq(m.n, 20000);
    cr_assert_eq(kh_strmap_get(&m, "键20000", strlen("键20000")), -1);
    for (size_t i = 0; i < m.n; i++)
        free((void *)m.keys[i]);
    kh_strmap_free(&m);
}

/* Keys that differ in one byte anywhere, or only in length, are different
 * keys: every byte of a key counts, whatever its length. */
Test(strmap, every_byte_and_the_length_count)
{
    static const char base[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char v[40][40];
    kh_strmap m;
    kh_strmap_init(&m, NULL);
    cr_assert_eq(kh_strmap_put(&m, "", 0), 0);
    for (size_t len = 1; len <= 20; len++)
        cr_assert_eq(kh_strmap_put(&m, base, len), (int32_t)len);
    for (size_t len = 1; len <= 20; len++)
        cr_assert_eq(kh_strmap_get(&m, base, len), (int32_t)len);
    for (size_t i = 0; i < 20; i++) {
        memcpy(v[i], base, 20);
        v[i][i] = 'X';
        cr_assert_eq(kh_strmap_get(&m, v[i], 20), -1, "changed byte %zu", i);
        cr_assert_eq(kh_strmap_put(&m, v[i], 20), (int32_t)(21 + i));
    }
    cr_assert_eq(m.n, 41);
    kh_strmap_free(&m);
}

Test(strmap, reserve_sizes_once_and_keeps_keys)
{
    kh_strmap m;
    kh_strmap_init(&m, NULL);
    cr_assert_eq(kh_strmap_put(&m, "甲", strlen("甲")), 0);
    cr_assert(kh_strmap_reserve(&m, 5000));
    size_t nslots = m.nslots;
    const char **keys = m.keys;
    cr_assert_gt(nslots, 2 * 5000);
    cr_assert_eq(kh_strmap_get(&m, "甲", strlen("甲")), 0, "a key before the reserve is kept");
    static char names[5000][16];
    for (int i = 1; i < 5000; i++) {
        int n = snprintf(names[i], sizeof names[i], "n%d", i);
        cr_assert_eq(kh_strmap_put(&m, names[i], (size_t)n), i);
    }
    cr_assert_eq(m.nslots, nslots, "no rehash after the reserve");
    cr_assert_eq(m.keys, keys, "no growth after the reserve");
    kh_strmap_free(&m);
}

Test(strmap, reserve_reports_allocation_failure)
{
    kh_alloc a = {1, 0};
    kh_strmap m;
    kh_strmap_init(&m, &a);
    cr_assert_not(kh_strmap_reserve(&m, 100));
    cr_assert_eq(m.nslots, 0, "the map is unchanged");
    a.fail_at = 0;
    cr_assert_eq(kh_strmap_put(&m, "甲", strlen("甲")), 0, "and still usable");
    kh_strmap_free(&m);
}

Test(csv, forced_gbk_refuses_gb18030_only_characters)
{
    kh_eventlog log;
    kh_diags d;
    char msg[256];
    read_fails(DATA "events_gb18030.csv", "gbk", &log, &d);
    message_of(&d, "R011", KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, DATA "events_gb18030.csv 第6行不是有效的 GBK 编码文本");
    kh_diags_free(&d);
    kh_eventlog_free(&log);
}

Test(csv, gb18030_diagnostics_render_the_users_line_in_utf8)
{
    kh_eventlog log;
    kh_diags d;
    char *buf = NULL;
    size_t n = 0;
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, DATA "events_gb18030_bad.csv", NULL, &log));
    cr_assert_eq(d.n, 1);
    FILE *f = open_memstream(&buf, &n);
    cr_assert_not_null(f);
    kh_diag_render(f, &d.v[0], KH_ZH);
    fclose(f);
    cr_assert_str_eq(buf,
        DATA "events_gb18030_bad.csv:2:4: 错误[R026]: 日期「2023-02-30」不是有效的日期；这一行已跳过\n"
        "    2 | 张三,2023-02-30,学习心得\n"
        "      |      ^~~~~~~~~~\n"
        "      = 提示：日期可写成 2023-03-05、2023/3/5、2023.3.5 或 2023年3月5日\n");
    free(buf);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}
