/* report.c — the score table: aligned text for a terminal, CSV for Excel
 * (UTF-8 with a byte-order mark so Excel reads it right), or JSON.
 *
 * Rows come in rank order (ties keep roster order).  Columns: 人员 (单位 for
 * unit schemes), 部门, one per top-level section, 加分, 总分, 加权分 when the
 * scheme has a weight, 排名, 等次, 备注.
 *
 * A report may have a million rows, so the text is built in one block of
 * memory handed to fwrite when full (a failed write stops the report; the
 * caller sees it through ferror), numbers are formatted by hand, and the
 * rows, read in rank order rather than memory order, are copied out a
 * chunk at a time before they are formatted (see gather).
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

enum {
    KH_REP_BUF = 512 * 1024,    /* output block */
    KH_REP_NUM = 32,            /* room for any formatted number and its NUL */
    KH_REP_CHUNK = 256,         /* rows gathered at a time */
};

/* ------------------------------------------------------------ output */

typedef struct kh_rep_out {
    FILE *f;
    char *buf;                  /* KH_REP_BUF bytes */
    size_t n;
    bool failed;                /* a write failed: the rest is dropped */
} kh_rep_out;

static void kh_rep_flush(kh_rep_out *o)
{
    if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->f) != o->n)
        o->failed = true;
    o->n = 0;
}

/* At least need (≤ KH_REP_BUF) free bytes at the end of the block. */
static char *kh_rep_room(kh_rep_out *o, size_t need)
{
    if (KH_REP_BUF - o->n < need)
        kh_rep_flush(o);
    return o->buf + o->n;
}

static void kh_rep_put(kh_rep_out *o, const char *s, size_t len)
{
    if (len > KH_REP_BUF - o->n) {
        kh_rep_flush(o);
        if (len >= KH_REP_BUF) {
            if (!o->failed && fwrite(s, 1, len, o->f) != len)
                o->failed = true;
            return;
        }
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void kh_rep_puts(kh_rep_out *o, const char *s)
{
    kh_rep_put(o, s, strlen(s));
}

static void kh_rep_putc(kh_rep_out *o, char c)
{
    if (o->n == KH_REP_BUF)
        kh_rep_flush(o);
    o->buf[o->n++] = c;
}

/* k copies of c (k ≤ 0: none). */
static void kh_rep_fill(kh_rep_out *o, char c, int k)
{
    while (k > 0) {
        if (o->n == KH_REP_BUF)
            kh_rep_flush(o);
        size_t m = KH_REP_BUF - o->n;
        if (m > (size_t)k)
            m = (size_t)k;
        memset(o->buf + o->n, c, m);
        o->n += m;
        k -= (int)m;
    }
}

/* ------------------------------------------------------------ numbers */

/* v in decimal at buf (≥ KH_REP_NUM bytes, no NUL); returns the length. */
static size_t kh_rep_fmt_uint(uint64_t v, char *buf)
{
    char tmp[KH_REP_NUM], *end = tmp + sizeof tmp, *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(buf, p, (size_t)(end - p));
    return (size_t)(end - p);
}

static size_t kh_rep_fmt_int(int64_t v, char *buf)
{
    if (v >= 0)
        return kh_rep_fmt_uint((uint64_t)v, buf);
    buf[0] = '-';
    return 1 + kh_rep_fmt_uint((uint64_t)0 - (uint64_t)v, buf + 1);
}

static void kh_rep_size(kh_rep_out *o, size_t v)
{
    char *p = kh_rep_room(o, KH_REP_NUM);
    o->n += kh_rep_fmt_uint(v, p);
}

/* The length of kh_dec_format's text for v, without building it: a sign,
 * the integer digits, then a point and one to three decimals unless they
 * are all zero. */
static int kh_rep_dec_len(kh_dec v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = mag / 1000;
    unsigned fp = (unsigned)(mag % 1000);
    int n = v < 0;
    do {
        n++;
        ip /= 10;
    } while (ip);
    if (fp)
        n += fp % 100 == 0 ? 2 : fp % 10 == 0 ? 3 : 4;
    return n;
}

/* ------------------------------------------------------------ strings */

/* Bytes that end the plain part of a CSV field: NUL and what needs quotes. */
static const unsigned char kh_rep_csv_stop[256] = {
    [0] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};

/* Bytes that end the plain part of a JSON string: NUL, control characters,
 * '"' and '\\'. */
static const unsigned char kh_rep_json_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* s as one CSV field: quoted, with '"' doubled, only when it holds a
 * comma, a quote or a line break. */
static void kh_rep_csv(kh_rep_out *o, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (!kh_rep_csv_stop[u[i]])
        i++;
    if (!u[i]) {
        kh_rep_put(o, s, i);
        return;
    }
    kh_rep_putc(o, '"');
    const char *q;
    while ((q = strchr(s, '"')) != NULL) {
        kh_rep_put(o, s, (size_t)(q - s) + 1);
        kh_rep_putc(o, '"');
        s = q + 1;
    }
    kh_rep_puts(o, s);
    kh_rep_putc(o, '"');
}

/* The escape for a JSON stop byte other than NUL, at e (6 bytes); returns
 * its length: \" \\ or \u00XX. */
static size_t kh_rep_json_escape(unsigned char ch, char *e)
{
    static const char hex[] = "0123456789abcdef";
    e[0] = '\\';
    if (ch == '"' || ch == '\\') {
        e[1] = (char)ch;
        return 2;
    }
    memcpy(e + 1, "u00", 3);
    e[4] = hex[ch >> 4];
    e[5] = hex[ch & 15];
    return 6;
}

static void kh_rep_json(kh_rep_out *o, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    kh_rep_putc(o, '"');
    for (;;) {
        size_t i = 0;
        while (!kh_rep_json_stop[u[i]])
            i++;
        kh_rep_put(o, (const char *)u, i);
        if (!u[i])
            break;
        char e[6];
        kh_rep_put(o, e, kh_rep_json_escape(u[i], e));
        u += i + 1;
    }
    kh_rep_putc(o, '"');
}

/* s as a JSON string at dst (room for 6 × strlen(s) + 2); returns the length. */
static size_t kh_rep_json_to(char *dst, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    dst[n++] = '"';
    for (; *u; u++)
        if (kh_rep_json_stop[*u])
            n += kh_rep_json_escape(*u, dst + n);
        else
            dst[n++] = (char)*u;
    dst[n++] = '"';
    return n;
}

/* Terminal columns of s, and its length at *len.  kh_text_width decides;
 * the loop only spares it the common text of a report, printable ASCII
 * (one column) and the CJK ideographs U+3400–U+4DBF and U+4E00–U+9FFF
 * (two), and hands it the whole string at the first other byte. */
static int kh_rep_width(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int w = 0;
    for (;;) {
        unsigned char b = u[i];
        if (b >= 0x20 && b < 0x7F) {
            i++;
            w++;
            continue;
        }
        if (b == 0) {
            *len = i;
            return w;
        }
        if (b >= 0xE3 && b <= 0xE9 && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
            if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)) {
                i += 3;
                w += 2;
                continue;
            }
        }
        break;
    }
    *len = i + strlen(s + i);
    return kh_text_width(s, *len);
}

/* ------------------------------------------------------------ columns */

/* A chunk of rows in rank order: what they show, copied out of the
 * entities, verdicts and score rows. */
typedef struct kh_rep_rows {
    size_t n;
    const char *id[KH_REP_CHUNK], *dept[KH_REP_CHUNK], *note[KH_REP_CHUNK];
    int32_t rank[KH_REP_CHUNK], grade[KH_REP_CHUNK];
    kh_dec *val;                /* [KH_REP_CHUNK × nval]: the ir columns shown */
} kh_rep_rows;

typedef struct kh_table {
    const kh_scored *sc;
    size_t ncol;
    const char **head;        /* room for every column: a scheme may have many sections */
    int32_t *src;             /* ir column, or a kh_tcol below */
    int32_t *slot;            /* for an ir column: its place in kh_rep_rows.val */
    int32_t *val_src;         /* [nval]: the ir column in each place of a row's val */
    size_t nval;
    int *width;               /* terminal columns of each column */
    int *head_width;          /* terminal columns of each heading */
    int *grade_width;         /* terminal columns of each grade's name */
    char **key;               /* JSON: what comes before each value in a row; [ncol + 1], */
    char *key_text;           /* NUL-terminated back to back: key[c + 1] − key[c] − 1 long */
    size_t *order;            /* entities best rank first */
    kh_rep_rows *rows;
} kh_table;

enum { KH_TC_ID = -1, KH_TC_DEPT = -2, KH_TC_RANK = -3, KH_TC_GRADE = -4, KH_TC_NOTE = -5 };
/* Columns besides the sections: 人员 部门 加分 总分 加权分 排名 等次 备注. */
enum { KH_TC_FIXED = 8 };

static void add_col(kh_table *t, const char *head, int32_t src)
{
    t->head[t->ncol] = head;
    t->slot[t->ncol] = -1;
    if (src >= 0) {
        t->slot[t->ncol] = (int32_t)t->nval;
        t->val_src[t->nval++] = src;
    }
    t->src[t->ncol++] = src;
}

static void table_free(kh_table *t)
{
    kh_free(t->head);
    kh_free(t->src);
    kh_free(t->slot);
    kh_free(t->val_src);
    kh_free(t->width);
    kh_free(t->head_width);
    kh_free(t->grade_width);
    kh_free(t->key);
    kh_free(t->key_text);
    kh_free(t->order);
    if (t->rows)
        kh_free(t->rows->val);
    kh_free(t->rows);
}

static void table_columns(kh_table *t)
{
    const kh_ir *ir = t->sc->cols;
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
}

/* JSON keys: "  {\"head\": " for the first column, ", \"head\": " after. */
static bool table_keys(kh_alloc *a, kh_table *t)
{
    size_t room = 0;
    for (size_t c = 0; c < t->ncol; c++)
        room += 6 * strlen(t->head[c]) + 8;
    t->key = kh_malloc(a, (t->ncol + 1) * sizeof *t->key);
    t->key_text = kh_malloc(a, room);
    if (!t->key || !t->key_text)
        return false;
    char *p = t->key_text;
    for (size_t c = 0; c < t->ncol; c++) {
        t->key[c] = p;
        memcpy(p, c ? ", " : "  {", c ? 2 : 3);
        p += c ? 2 : 3;
        p += kh_rep_json_to(p, t->head[c]);
        memcpy(p, ": ", 3);
        p += 3;
    }
    t->key[t->ncol] = p;
    return true;
}

static void table_widths(kh_table *t)
{
    const kh_ir *ir = t->sc->cols;
    size_t len;
    for (size_t c = 0; c < t->ncol; c++)
        t->head_width[c] = kh_rep_width(t->head[c], &len);
    for (int32_t g = 0; g < ir->ngrades; g++)
        t->grade_width[g] = kh_rep_width(ir->grades[g].name, &len);
}

static bool table_alloc(kh_alloc *a, kh_table *t, const kh_scored *sc)
{
    size_t room = (size_t)sc->cols->ncols + KH_TC_FIXED;
    t->head = kh_malloc(a, room * sizeof *t->head);
    t->src = kh_malloc(a, room * sizeof *t->src);
    t->slot = kh_malloc(a, room * sizeof *t->slot);
    t->val_src = kh_malloc(a, room * sizeof *t->val_src);
    t->width = kh_malloc(a, room * sizeof *t->width);
    t->head_width = kh_malloc(a, room * sizeof *t->head_width);
    t->grade_width = kh_malloc(a, ((size_t)sc->cols->ngrades + 1) * sizeof *t->grade_width);
    t->rows = kh_malloc(a, sizeof *t->rows);
    if (t->rows)
        t->rows->val = kh_malloc(a, KH_REP_CHUNK * room * sizeof *t->rows->val);
    t->order = kh_grade_order(a, sc->verdicts, sc->nent);
    return t->head && t->src && t->slot && t->val_src && t->width && t->head_width &&
           t->grade_width && t->rows && t->rows->val && t->order;
}

static bool table_init(kh_alloc *a, kh_table *t, const kh_scored *sc)
{
    memset(t, 0, sizeof *t);
    t->sc = sc;
    if (!table_alloc(a, t, sc)) {
        table_free(t);
        return false;
    }
    table_columns(t);
    table_widths(t);
    if (!table_keys(a, t)) {
        table_free(t);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ cells */

static bool numeric(int32_t src)
{
    return src >= 0 || src == KH_TC_RANK;
}

/* Rows are written in rank order, which jumps around memory, and a load
 * that misses the cache while a row is being formatted stalls the writing.
 * So the rows are taken KH_REP_CHUNK at a time: short loops that do nothing
 * but copy what the chunk shows keep many misses in flight at once, then
 * the chunk is formatted from the copies. */
static void gather(const kh_table *t, kh_rep_rows *g, size_t r0)
{
    const kh_scored *sc = t->sc;
    const size_t *ord = t->order + r0;
    size_t ncols = (size_t)sc->cols->ncols, nval = t->nval;
    size_t n = sc->nent - r0 < KH_REP_CHUNK ? sc->nent - r0 : KH_REP_CHUNK;
    g->n = n;
    for (size_t k = 0; k < n; k++) {
        const kh_entity *en = &sc->ent[ord[k]];
        g->id[k] = en->id;
        g->dept[k] = en->dept;
    }
    for (size_t k = 0; k < n; k++) {
        const kh_verdict *v = &sc->verdicts[ord[k]];
        g->rank[k] = v->rank;
        g->grade[k] = v->grade;
        g->note[k] = v->remarks ? v->remarks : "";
    }
    for (size_t k = 0; k < n; k++) {
        __builtin_prefetch(g->id[k]);
        __builtin_prefetch(g->dept[k]);
        __builtin_prefetch(g->note[k]);
    }
    for (size_t k = 0; k < n; k++) {
        const kh_dec *row = sc->rows + ord[k] * ncols;
        kh_dec *val = g->val + k * nval;
        for (size_t j = 0; j < nval; j++)
            val[j] = row[t->val_src[j]];
    }
}

/* The text of row k's cell in column c, which is not numeric. */
static const char *cell_text(const kh_table *t, const kh_rep_rows *g, size_t k, size_t c)
{
    switch (t->src[c]) {
    case KH_TC_ID: return g->id[k];
    case KH_TC_DEPT: return g->dept[k];
    case KH_TC_GRADE: return g->grade[k] >= 0 ? t->sc->cols->grades[g->grade[k]].name : "";
    case KH_TC_NOTE: return g->note[k];
    default: return "";
    }
}

/* The text of row k's numeric cell in column c at buf (KH_REP_NUM bytes);
 * returns its length. */
static size_t cell_number_text(const kh_table *t, const kh_rep_rows *g, size_t k, size_t c, char *buf)
{
    if (t->src[c] == KH_TC_RANK)
        return kh_rep_fmt_int(g->rank[k], buf);
    return (size_t)kh_dec_format(g->val[k * t->nval + (size_t)t->slot[c]], buf, KH_REP_NUM);
}

static void cell_number(kh_rep_out *o, const kh_table *t, const kh_rep_rows *g, size_t k, size_t c)
{
    char *p = kh_rep_room(o, KH_REP_NUM);
    o->n += cell_number_text(t, g, k, c, p);
}

/* Terminal columns of entity e's cell in column c. */
static int entity_width(const kh_table *t, size_t e, size_t c)
{
    const kh_scored *sc = t->sc;
    int32_t src = t->src[c];
    size_t len;
    switch (src) {
    case KH_TC_ID: return kh_rep_width(sc->ent[e].id, &len);
    case KH_TC_DEPT: return kh_rep_width(sc->ent[e].dept, &len);
    case KH_TC_RANK: {
        char buf[KH_REP_NUM];
        return (int)kh_rep_fmt_int(sc->verdicts[e].rank, buf);
    }
    case KH_TC_GRADE: {
        int32_t g = sc->verdicts[e].grade;
        return g >= 0 ? t->grade_width[g] : 0;
    }
    case KH_TC_NOTE: return sc->verdicts[e].remarks ? kh_rep_width(sc->verdicts[e].remarks, &len) : 0;
    default: return kh_rep_dec_len(sc->rows[e * (size_t)sc->cols->ncols + (size_t)src]);
    }
}

/* ------------------------------------------------------------ table */

/* One cell padded to width: numbers to the right, text to the left (but
 * not the last column), then two spaces or the end of the line. */
static void table_cell(kh_rep_out *o, const char *s, size_t len, int w, int width, bool num, bool last)
{
    if (num)
        kh_rep_fill(o, ' ', width - w);
    kh_rep_put(o, s, len);
    if (last) {
        kh_rep_putc(o, '\n');
        return;
    }
    if (!num)
        kh_rep_fill(o, ' ', width - w);
    kh_rep_put(o, "  ", 2);
}

/* The widest cell of each column, heading included; any row order will
 * do, so the entities are read in memory order. */
static void table_measure(kh_table *t)
{
    const kh_scored *sc = t->sc;
    for (size_t c = 0; c < t->ncol; c++)
        t->width[c] = t->head_width[c];
    for (size_t e = 0; e < sc->nent; e++)
        for (size_t c = 0; c < t->ncol; c++) {
            int w = entity_width(t, e, c);
            if (w > t->width[c])
                t->width[c] = w;
        }
}

static void table_row(kh_rep_out *o, const kh_table *t, const kh_rep_rows *g, size_t k)
{
    char buf[KH_REP_NUM];
    for (size_t c = 0; c < t->ncol; c++) {
        bool last = c + 1 == t->ncol;
        if (numeric(t->src[c])) {
            size_t len = cell_number_text(t, g, k, c, buf);
            table_cell(o, buf, len, (int)len, t->width[c], true, last);
        } else {
            const char *s = cell_text(t, g, k, c);
            size_t len;
            int w = kh_rep_width(s, &len);
            table_cell(o, s, len, w, t->width[c], false, last);
        }
    }
}

static void put_table(kh_rep_out *o, kh_table *t)
{
    const kh_scored *sc = t->sc;
    kh_rep_rows *g = t->rows;
    table_measure(t);
    for (size_t c = 0; c < t->ncol; c++)
        table_cell(o, t->head[c], strlen(t->head[c]), t->head_width[c], t->width[c],
                   numeric(t->src[c]), c + 1 == t->ncol);
    for (size_t r0 = 0; r0 < sc->nent && !o->failed; r0 += KH_REP_CHUNK) {
        gather(t, g, r0);
        for (size_t k = 0; k < g->n; k++)
            table_row(o, t, g, k);
    }
}

/* ------------------------------------------------------------ CSV */

static void csv_row(kh_rep_out *o, const kh_table *t, const kh_rep_rows *g, size_t k)
{
    for (size_t c = 0; c < t->ncol; c++) {
        if (numeric(t->src[c]))
            cell_number(o, t, g, k, c);
        else
            kh_rep_csv(o, cell_text(t, g, k, c));
        kh_rep_putc(o, c + 1 < t->ncol ? ',' : '\n');
    }
}

static void put_csv(kh_rep_out *o, const kh_table *t)
{
    kh_rep_rows *g = t->rows;
    kh_rep_puts(o, "\xEF\xBB\xBF");
    for (size_t c = 0; c < t->ncol; c++) {
        kh_rep_csv(o, t->head[c]);
        kh_rep_putc(o, c + 1 < t->ncol ? ',' : '\n');
    }
    for (size_t r0 = 0; r0 < t->sc->nent && !o->failed; r0 += KH_REP_CHUNK) {
        gather(t, g, r0);
        for (size_t k = 0; k < g->n; k++)
            csv_row(o, t, g, k);
    }
}

/* ------------------------------------------------------------ JSON */

static void json_row(kh_rep_out *o, const kh_table *t, const kh_rep_rows *g, size_t k)
{
    for (size_t c = 0; c < t->ncol; c++) {
        kh_rep_put(o, t->key[c], (size_t)(t->key[c + 1] - t->key[c]) - 1);
        if (numeric(t->src[c]))
            cell_number(o, t, g, k, c);
        else
            kh_rep_json(o, cell_text(t, g, k, c));
    }
}

static void json_summary(kh_rep_out *o, const kh_scored *sc)
{
    static const char *const name[] = {
        "{\"events\": ", ", \"counted\": ", ", \"unknown_person\": ", ", \"unknown_item\": ",
        ", \"outside_period\": ", ", \"rejected\": ",
    };
    const size_t count[] = {
        sc->log.n + sc->log.skipped, sc->counted, sc->unknown_person, sc->unknown_item,
        sc->outside_period, sc->rejected,
    };
    for (size_t i = 0; i < sizeof count / sizeof count[0]; i++) {
        kh_rep_puts(o, name[i]);
        kh_rep_size(o, count[i]);
    }
    if (sc->scheme_remarks && sc->scheme_remarks[0]) {
        kh_rep_puts(o, ", \"remarks\": ");
        kh_rep_json(o, sc->scheme_remarks);
    }
    kh_rep_puts(o, "}}\n");
}

static void put_json(kh_rep_out *o, const kh_table *t)
{
    const kh_scored *sc = t->sc;
    kh_rep_rows *g = t->rows;
    kh_rep_puts(o, "{\"scheme\": ");
    kh_rep_json(o, sc->cols->name);
    kh_rep_puts(o, ", \"rows\": [\n");
    for (size_t r0 = 0; r0 < sc->nent && !o->failed; r0 += KH_REP_CHUNK) {
        gather(t, g, r0);
        for (size_t k = 0; k < g->n; k++) {
            json_row(o, t, g, k);
            kh_rep_puts(o, r0 + k + 1 < sc->nent ? "},\n" : "}\n");
        }
    }
    kh_rep_puts(o, "], \"summary\": ");
    json_summary(o, sc);
}

/* ------------------------------------------------------------ entry */

/* The report through a's allocations; false, with nothing written, when
 * memory runs out.  A failed write stops it early and leaves out's error
 * flag set for the caller to see with ferror. */
bool kh_report_alloc(kh_alloc *a, FILE *out, const kh_scored *sc, kh_format fmt)
{
    kh_table t;
    kh_rep_out o = { .f = out, .buf = kh_malloc(a, KH_REP_BUF) };
    if (!o.buf)
        return false;
    if (!table_init(a, &t, sc)) {
        kh_free(o.buf);
        return false;
    }
    switch (fmt) {
    case KH_FMT_TABLE: put_table(&o, &t); break;
    case KH_FMT_CSV: put_csv(&o, &t); break;
    case KH_FMT_JSON: put_json(&o, &t); break;
    }
    kh_rep_flush(&o);
    kh_free(o.buf);
    table_free(&t);
    return true;
}

void kh_report(FILE *out, const kh_scored *sc, kh_format fmt)
{
    kh_report_alloc(NULL, out, sc, fmt);
}
