/* report.c — the score table: aligned text for a terminal, CSV for Excel
 * (UTF-8 with a byte-order mark so Excel reads it right), or JSON.
 *
 * Rows come in rank order (ties keep roster order).  Columns: 人员 (单位 for
 * unit schemes), 部门, one per top-level section, 加分, 总分, 加权分 when the
 * scheme has a weight, 排名, 等次, 备注.
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

typedef struct kh_table {
    const kh_scored *sc;
    size_t ncol;
    const char **head;        /* room for every column: a scheme may have many sections */
    int32_t *src;             /* ir column, or a kh_tcol below */
    int *width;               /* terminal columns of each column */
    size_t *order;
} kh_table;

enum { KH_TC_ID = -1, KH_TC_DEPT = -2, KH_TC_RANK = -3, KH_TC_GRADE = -4, KH_TC_NOTE = -5 };
/* Columns besides the sections: 人员 部门 加分 总分 加权分 排名 等次 备注. */
enum { KH_TC_FIXED = 8 };

static void add_col(kh_table *t, const char *head, int32_t src)
{
    t->head[t->ncol] = head;
    t->src[t->ncol++] = src;
}

static void table_free(kh_table *t)
{
    kh_free(t->head);
    kh_free(t->src);
    kh_free(t->width);
    kh_free(t->order);
}

static int by_rank(const void *pa, const void *pb, void *ctx)
{
    const kh_scored *sc = ctx;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int32_t ra = sc->verdicts[a].rank, rb = sc->verdicts[b].rank;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return a < b ? -1 : a > b;
}

static bool table_init(kh_alloc *a, kh_table *t, const kh_scored *sc)
{
    const kh_ir *ir = sc->ir;
    size_t room = (size_t)ir->ncols + KH_TC_FIXED;
    memset(t, 0, sizeof *t);
    t->sc = sc;
    t->head = kh_malloc(a, room * sizeof *t->head);
    t->src = kh_malloc(a, room * sizeof *t->src);
    t->width = kh_malloc(a, room * sizeof *t->width);
    t->order = kh_malloc(a, (sc->nent + 1) * sizeof *t->order);
    if (!t->head || !t->src || !t->width || !t->order) {
        table_free(t);
        return false;
    }
    add_col(t, ir->subject == KH_SUBJ_UNIT ? "单位" : "人员", KH_TC_ID);
    if (ir->subject != KH_SUBJ_UNIT)
        add_col(t, "部门", KH_TC_DEPT);
    for (int32_t c = 0; c < ir->ncols; c++)
        if (ir->cols[c].kind == KH_COL_SECTION && ir->cols[c].top)
            add_col(t, ir->cols[c].title, c);
    if (ir->bonus_col >= 0)
        add_col(t, "加分", ir->bonus_col);
    add_col(t, "总分", ir->total_col);
    if (ir->weighted_col >= 0)
        add_col(t, "加权分", ir->weighted_col);
    add_col(t, "排名", KH_TC_RANK);
    if (ir->ngrades)
        add_col(t, "等次", KH_TC_GRADE);
    add_col(t, "备注", KH_TC_NOTE);
    for (size_t i = 0; i < sc->nent; i++)
        t->order[i] = i;
    qsort_r(t->order, sc->nent, sizeof *t->order, by_rank, (void *)sc);
    return true;
}

/* The text of one cell. */
static const char *cell(const kh_table *t, size_t row, size_t c, char *buf, size_t cap)
{
    const kh_scored *sc = t->sc;
    const kh_ir *ir = sc->ir;
    int32_t s = t->src[c];
    switch (s) {
    case KH_TC_ID: return sc->ent[row].id;
    case KH_TC_DEPT: return sc->ent[row].dept;
    case KH_TC_RANK:
        snprintf(buf, cap, "%d", sc->verdicts[row].rank);
        return buf;
    case KH_TC_GRADE: {
        int32_t g = sc->verdicts[row].grade;
        return g >= 0 ? ir->grades[g].name : "";
    }
    case KH_TC_NOTE: return sc->verdicts[row].remarks ? sc->verdicts[row].remarks : "";
    default:
        kh_dec_format(sc->rows[row * (size_t)ir->ncols + (size_t)s], buf, cap);
        return buf;
    }
}

static bool numeric(int32_t src)
{
    return src >= 0 || src == KH_TC_RANK;
}

static void pad(FILE *out, int n)
{
    while (n-- > 0)
        fputc(' ', out);
}

static void put_table(FILE *out, const kh_table *t)
{
    const kh_scored *sc = t->sc;
    int *width = t->width;
    char buf[64];
    for (size_t c = 0; c < t->ncol; c++)
        width[c] = kh_text_width(t->head[c], strlen(t->head[c]));
    for (size_t r = 0; r < sc->nent; r++)
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = cell(t, t->order[r], c, buf, sizeof buf);
            int w = kh_text_width(s, strlen(s));
            if (w > width[c])
                width[c] = w;
        }
    for (size_t c = 0; c < t->ncol; c++) {
        int w = kh_text_width(t->head[c], strlen(t->head[c]));
        if (numeric(t->src[c]))
            pad(out, width[c] - w);
        fputs(t->head[c], out);
        if (c + 1 < t->ncol && !numeric(t->src[c]))
            pad(out, width[c] - w);
        fputs(c + 1 < t->ncol ? "  " : "\n", out);
    }
    for (size_t r = 0; r < sc->nent; r++)
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = cell(t, t->order[r], c, buf, sizeof buf);
            int w = kh_text_width(s, strlen(s));
            if (numeric(t->src[c]))
                pad(out, width[c] - w);
            fputs(s, out);
            if (c + 1 < t->ncol && !numeric(t->src[c]))
                pad(out, width[c] - w);
            fputs(c + 1 < t->ncol ? "  " : "\n", out);
        }
}

static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_csv(FILE *out, const kh_table *t)
{
    char buf[64];
    fputs("\xEF\xBB\xBF", out);
    for (size_t c = 0; c < t->ncol; c++) {
        csv_field(out, t->head[c]);
        fputc(c + 1 < t->ncol ? ',' : '\n', out);
    }
    for (size_t r = 0; r < t->sc->nent; r++)
        for (size_t c = 0; c < t->ncol; c++) {
            csv_field(out, cell(t, t->order[r], c, buf, sizeof buf));
            fputc(c + 1 < t->ncol ? ',' : '\n', out);
        }
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void put_json(FILE *out, const kh_table *t)
{
    const kh_scored *sc = t->sc;
    char buf[64];
    fputs("{\"scheme\": ", out);
    json_str(out, sc->ir->name);
    fputs(", \"rows\": [\n", out);
    for (size_t r = 0; r < sc->nent; r++) {
        fputs("  {", out);
        for (size_t c = 0; c < t->ncol; c++) {
            if (c)
                fputs(", ", out);
            json_str(out, t->head[c]);
            fputs(": ", out);
            const char *s = cell(t, t->order[r], c, buf, sizeof buf);
            if (numeric(t->src[c]))
                fputs(s, out);
            else
                json_str(out, s);
        }
        fputs(r + 1 < sc->nent ? "},\n" : "}\n", out);
    }
    fputs("], \"summary\": {", out);
    fprintf(out, "\"events\": %zu, \"counted\": %zu, \"unknown_person\": %zu, \"unknown_item\": %zu, "
                 "\"outside_period\": %zu, \"rejected\": %zu",
            sc->log.n + sc->log.skipped, sc->counted, sc->unknown_person, sc->unknown_item, sc->outside_period,
            sc->rejected);
    if (sc->scheme_remarks && sc->scheme_remarks[0]) {
        fputs(", \"remarks\": ", out);
        json_str(out, sc->scheme_remarks);
    }
    fputs("}}\n", out);
}

/* The report through a's allocations; false, with nothing written, when
 * memory runs out.  (Declared in score.h once the CLI uses it.) */
bool kh_report_alloc(kh_alloc *a, FILE *out, const kh_scored *sc, kh_format fmt)
{
    kh_table t;
    if (!table_init(a, &t, sc))
        return false;
    switch (fmt) {
    case KH_FMT_TABLE: put_table(out, &t); break;
    case KH_FMT_CSV: put_csv(out, &t); break;
    case KH_FMT_JSON: put_json(out, &t); break;
    }
    table_free(&t);
    return true;
}

void kh_report(FILE *out, const kh_scored *sc, kh_format fmt)
{
    kh_report_alloc(NULL, out, sc, fmt);
}
