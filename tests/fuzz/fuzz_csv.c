/* fuzz_csv.c — the event-log and roster readers on arbitrary bytes.
 *
 * The same bytes are read as an event log (encoding detected, then forced
 * to GBK) and as a roster.  Whatever the bytes, every row is either read
 * or skipped with a diagnostic, the text handed on is valid UTF-8, spans
 * lie inside the converted file, and 数量 is never negative. */
#include "csv.h"
#include "fuzz.h"

static void kh_fuzz_utf8(const char *s)
{
    size_t n = strlen(s);
    KH_FUZZ_ASSERT(kh_utf8_check(s, n) == n);
}

static void kh_fuzz_span(const kh_source *src, kh_span sp)
{
    KH_FUZZ_ASSERT((size_t)sp.off + sp.len <= src->len);
}

static void kh_fuzz_events(FILE *out, const char *path, const char *encoding)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_eventlog log;
    bool ok = kh_eventlog_read(NULL, &d, path, encoding, &log);
    if (ok) {
        KH_FUZZ_ASSERT(log.rows == log.n + log.skipped);
        KH_FUZZ_ASSERT(log.skipped <= d.nerrors);
        for (size_t i = 0; i < log.n; i++) {
            const kh_raw_event *e = &log.ev[i];
            kh_fuzz_span(&log.src, e->span);
            KH_FUZZ_ASSERT(e->line >= 1);
            KH_FUZZ_ASSERT(e->value >= 0);
            KH_FUZZ_ASSERT(e->item[0] && (e->person[0] || e->dept[0]));
            kh_fuzz_utf8(e->person);
            kh_fuzz_utf8(e->dept);
            kh_fuzz_utf8(e->item);
            kh_fuzz_utf8(e->level);
            kh_fuzz_utf8(e->key);
            char date[32];
            kh_csv_date_format(e->date, date, sizeof date);
            if (e->date != INT32_MIN) {
                int32_t back;
                KH_FUZZ_ASSERT(kh_csv_parse_date(date, strlen(date), &back) && back == e->date);
            }
        }
    } else {
        KH_FUZZ_ASSERT(d.nerrors > 0);
    }
    kh_fuzz_render(out, &d);
    kh_eventlog_free(&log);
    kh_diags_free(&d);
}

static void kh_fuzz_roster(FILE *out, const char *path)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_roster r;
    bool ok = kh_roster_read(NULL, &d, path, NULL, &r);
    if (ok) {
        KH_FUZZ_ASSERT(r.rows == r.n + r.skipped);
        for (size_t i = 0; i < r.n; i++) {
            kh_fuzz_span(&r.src, r.p[i].span);
            KH_FUZZ_ASSERT(r.p[i].person[0]);
            kh_fuzz_utf8(r.p[i].person);
            kh_fuzz_utf8(r.p[i].dept);
            kh_fuzz_utf8(r.p[i].role);
            kh_fuzz_utf8(r.p[i].leader);
            for (size_t j = 0; j < i; j++)
                KH_FUZZ_ASSERT(strcmp(r.p[i].person, r.p[j].person) != 0);
        }
    } else {
        KH_FUZZ_ASSERT(d.nerrors > 0);
    }
    kh_fuzz_render(out, &d);
    kh_roster_free(&r);
    kh_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = kh_fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    FILE *out = null ? null : stderr;
    kh_fuzz_events(out, path, NULL);
    kh_fuzz_events(out, path, "gbk");
    kh_fuzz_roster(out, path);
    /* the date reader on its own, over the first line */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    int32_t days;
    if (kh_csv_parse_date((const char *)data, n, &days)) {
        char date[32];
        kh_csv_date_format(days, date, sizeof date);
        KH_FUZZ_ASSERT(strlen(date) == 10);
    }
    if (null)
        fclose(null);
    close(fd);
    return 0;
}
