/* csvrows.c — the rows of the event log and of the roster.
 *
 * csv.c hands over records split into fields under a header; here each row
 * becomes an event or a roster entry, or is skipped with an error that says
 * why.  See csv.h for what the two tables hold.
 */
#include "csvrd.h"
#include "strmap.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ event log */

enum { KH_EV_PERSON, KH_EV_DEPT, KH_EV_DATE, KH_EV_ITEM, KH_EV_VALUE, KH_EV_LEVEL, KH_EV_KEY, KH_EV_NCOLS };

static const kh_csv_col kh_eventlog_cols[KH_EV_NCOLS] = {
    {{"人员", "人員", "person", NULL}},
    {{"部门", "部門", "dept", NULL}},
    {{"日期", "date", NULL, NULL}},
    {{"事项", "事項", "item", NULL}},
    {{"数量", "數量", "value", NULL}},
    {{"级别", "級別", "level", NULL}},
    {{"编号", "編號", "key", NULL}},
};

static const kh_csv_table kh_eventlog_table = {
    kh_eventlog_cols, KH_EV_NCOLS,
    "人员/person、部门/dept、日期/date、事项/item、数量/value、级别/level、编号/key"};

/* 事项 is required; so is 人员 unless there is a 部门 (unit schemes). */
static bool kh_eventlog_required(kh_csv *c, const int *idx, kh_span header)
{
    bool ok = true;
    if (idx[KH_EV_ITEM] < 0) {
        kh_csv_require(c, header, "事项", kh_eventlog_table.known);
        ok = false;
    }
    if (idx[KH_EV_PERSON] < 0 && idx[KH_EV_DEPT] < 0) {
        kh_csv_require(c, header, "人员", kh_eventlog_table.known);
        ok = false;
    }
    return ok;
}

/* Report why 数量 cannot be read. */
static void kh_eventlog_bad_value(kh_csv *c, kh_span sp, const char *s, size_t n, kh_csv_val why)
{
    static const int which[] = {
        [KH_CSV_VAL_BAD] = KH_CSV_E_VALUE, [KH_CSV_VAL_NEG] = KH_CSV_E_NEGATIVE,
        [KH_CSV_VAL_DECIMALS] = KH_CSV_E_DECIMALS, [KH_CSV_VAL_BIG] = KH_CSV_E_TOO_BIG};
    char q[KH_CSV_QUOTE_MAX + 8];
    kh_csv_quote(s, n, q, sizeof q);
    kh_csv_diag(c, KH_ERROR, which[why], sp, q, NULL, NULL);
}

/* 数量 and 日期 of the current record into e; false (reported) if bad. */
static bool kh_eventlog_numbers(kh_csv *c, const int *idx, kh_raw_event *e)
{
    bool ok = true;
    e->value = KH_DEC_ONE;
    e->value_pct = false;
    e->date = INT32_MIN;
    if (idx[KH_EV_VALUE] >= 0) {
        const kh_csv_field *f = &c->f[idx[KH_EV_VALUE]];
        kh_csv_val why = kh_csv_parse_value(f->val, f->vlen, &e->value, &e->value_pct);
        if (why != KH_CSV_VAL_OK) {
            kh_eventlog_bad_value(c, kh_csv_field_span(f), f->val, f->vlen, why);
            ok = false;
        }
    }
    if (idx[KH_EV_DATE] >= 0 && c->f[idx[KH_EV_DATE]].vlen) {
        const kh_csv_field *f = &c->f[idx[KH_EV_DATE]];
        if (!kh_csv_parse_date(f->val, f->vlen, &e->date)) {
            char q[KH_CSV_QUOTE_MAX + 8];
            kh_csv_quote(f->val, f->vlen, q, sizeof q);
            kh_csv_diag(c, KH_ERROR, KH_CSV_E_DATE, kh_csv_field_span(f), q, NULL, NULL);
            ok = false;
        }
    }
    return ok;
}

/* The current record as an event; false (reported) if it must be skipped. */
static bool kh_eventlog_row(kh_csv *c, const int *idx, kh_raw_event *e)
{
    bool ok = true;
    e->line = c->rec_line;
    e->span = c->rec;
    e->person = kh_csv_get(c, idx, KH_EV_PERSON);
    e->dept = kh_csv_get(c, idx, KH_EV_DEPT);
    e->item = kh_csv_get(c, idx, KH_EV_ITEM);
    e->level = kh_csv_get(c, idx, KH_EV_LEVEL);
    e->key = kh_csv_get(c, idx, KH_EV_KEY);
    if (!*e->item) {
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_NO_ITEM, kh_csv_span(c, idx, KH_EV_ITEM), NULL, NULL, NULL);
        ok = false;
    }
    if (!*e->person && !*e->dept) {
        kh_span sp = kh_csv_span(c, idx, idx[KH_EV_PERSON] >= 0 ? KH_EV_PERSON : KH_EV_DEPT);
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_NO_PERSON, sp, NULL, NULL, NULL);
        ok = false;
    }
    return kh_eventlog_numbers(c, idx, e) && ok;
}

static void kh_eventlog_columns(kh_eventlog *log, const int *idx)
{
    log->has_person = idx[KH_EV_PERSON] >= 0;
    log->has_dept = idx[KH_EV_DEPT] >= 0;
    log->has_date = idx[KH_EV_DATE] >= 0;
    log->has_level = idx[KH_EV_LEVEL] >= 0;
    log->has_key = idx[KH_EV_KEY] >= 0;
    log->has_value = idx[KH_EV_VALUE] >= 0;
}

/* Allocate room for n records of size sz; false (reported) on failure. */
static void *kh_csv_alloc_rows(kh_csv *c, size_t n, size_t sz)
{
    void *p = n <= SIZE_MAX / sz ? kh_malloc_big(c->a, n * sz) : NULL;
    if (!p)
        kh_csv_nomem(c);
    return p;
}

/* Step 4 for events: every record after the header. */
static bool kh_eventlog_rows(kh_csv *c, const int *idx, size_t nhead, kh_eventlog *log)
{
    kh_csv_next_rc rc;
    log->ev = kh_csv_alloc_rows(c, kh_csv_max_records(c), sizeof *log->ev);
    if (!log->ev)
        return false;
    while ((rc = kh_csv_next(c)) != KH_CSV_EOF) {
        if (rc == KH_CSV_NOMEM) {
            kh_csv_nomem(c);
            return false;
        }
        if (rc == KH_CSV_REC && kh_csv_blank_record(c))
            continue;
        log->rows++;
        if (kh_csv_check_shape(c, rc, nhead) && kh_eventlog_row(c, idx, &log->ev[log->n]))
            log->n++;
        else
            log->skipped++;
    }
    if (log->rows == 0)
        kh_csv_diag(c, KH_WARNING, KH_CSV_W_NO_ROWS, c->rec, c->src->path, NULL, NULL);
    return true;
}

bool kh_eventlog_read(kh_alloc *a, kh_diags *d, const char *path,
                      const char *encoding, kh_eventlog *out)
{
    kh_csv c;
    int idx[KH_EV_NCOLS];
    size_t nhead = 0;
    memset(out, 0, sizeof *out);
    if (!kh_csv_load(a, d, path, encoding, &out->src, &out->encoding, &out->crlf))
        return false;
    if (!kh_csv_init(&c, a, d, &out->src))
        return false;
    out->store = c.store;
    bool ok = kh_csv_header(&c, &kh_eventlog_table, idx, &nhead);
    if (ok || idx[KH_EV_ITEM] >= 0 || idx[KH_EV_PERSON] >= 0 || idx[KH_EV_DEPT] >= 0)
        ok = kh_eventlog_required(&c, idx, c.rec) && ok;
    if (ok) {
        kh_eventlog_columns(out, idx);
        ok = kh_eventlog_rows(&c, idx, nhead, out);
    }
    kh_csv_fini(&c);
    return ok;
}

void kh_eventlog_free(kh_eventlog *log)
{
    if (!log)
        return;
    kh_source_free(&log->src);
    kh_free(log->ev);
    kh_free(log->store);
    memset(log, 0, sizeof *log);
}

/* --------------------------------------------------------------- roster */

/* Most rows of a roster are plain lines (no quotes, the header's number of
 * fields, a name): they are split where they lie and their values copied
 * straight into the entries' text.  Any other row — quoted fields, a blank
 * name, the wrong number of fields — goes through the general splitter,
 * which reports what is wrong with it.
 *
 * The entries' text is packed: each name once; a 部门, 职务 or 分管领导 that
 * repeats a recent one is shared rather than copied again.
 *
 * Names are checked for repeats a few rows behind the reading, so that the
 * slot a name needs is on its way from memory while the next rows are
 * split.  A row that reports anything first settles the rows before it,
 * so that diagnostics come in file order. */

enum { KH_RO_PERSON, KH_RO_DEPT, KH_RO_ROLE, KH_RO_LEADER, KH_RO_NCOLS };

static const kh_csv_col kh_roster_cols[KH_RO_NCOLS] = {
    {{"人员", "人員", "person", NULL}},
    {{"部门", "部門", "dept", NULL}},
    {{"职务", "職務", "role", NULL}},
    {{"分管领导", "分管領導", "leader", NULL}},
};

static const kh_csv_table kh_roster_table = {
    kh_roster_cols, KH_RO_NCOLS, "人员/person、部门/dept、职务/role、分管领导/leader"};

/* Entries' text, chunk by chunk; the newest chunk comes first. */
struct kh_roster_chunk {
    struct kh_roster_chunk *next;
    size_t cap, used;
    char text[];
};

enum {
    KH_ROSTER_AHEAD = 16,       /* rows read ahead of the check of their names */
    KH_ROSTER_RECENT = 256,     /* values remembered per shared column */
    KH_ROSTER_NSHARED = KH_RO_NCOLS - 1
};

/* Names checked so far: open addressing over entry indices (+1; 0 is
 * free).  The table holds at most 2^31 slots, so the hash's low 32 bits,
 * kept in the slot, place a name as well as the whole hash would. */
typedef struct kh_roster_slot {
    uint32_t entry;
    uint32_t hash;              /* compared before the name */
} kh_roster_slot;

/* A row whose name is not checked yet.  Its entry sits at a provisional
 * index, at or after the one it ends up with. */
typedef struct kh_roster_wait {
    uint32_t entry, hash;
    kh_span at;                 /* the name, for a diagnostic */
} kh_roster_wait;

typedef struct kh_roster_recent {
    const char *s;
    size_t n;
} kh_roster_recent;

/* A value of the current row: its text (not NUL-terminated) and place. */
typedef struct kh_roster_cell {
    const char *s;
    size_t n;
    kh_span at;
} kh_roster_cell;

/* A roster being read. */
typedef struct kh_roster_rd {
    kh_csv *c;
    kh_roster *r;
    const int *idx;
    size_t nhead;
    kh_roster_slot *slot;
    size_t cap;                 /* slots: a power of two, over twice the records */
    kh_roster_wait wait[KH_ROSTER_AHEAD];
    size_t head, nwait;         /* the rows waiting, a ring */
    size_t next;                /* provisional index of the next row */
    size_t done;                /* text in chunks before the newest */
    kh_roster_recent recent[KH_ROSTER_NSHARED][KH_ROSTER_RECENT];
    kh_roster_recent last[KH_ROSTER_NSHARED];   /* the previous row's */
    bool oom;
} kh_roster_rd;

/* Size of a new chunk of text: what the rest of the file should need at
 * the rate so far, and a little more; modest before there is a rate. */
static size_t kh_roster_chunk_size(const kh_roster_rd *rd)
{
    const struct kh_roster_chunk *ch = rd->r->text;
    size_t len = rd->c->src->len, pos = rd->c->pos;
    if (!ch || pos == 0) {
        size_t first = len / 64 + 4096;
        return first < ((size_t)256 << 10) ? first : (size_t)256 << 10;
    }
    size_t est = (rd->done + ch->used) / pos * (len - pos) +
                 (rd->done + ch->used) % pos * (len - pos) / pos;
    return est + est / 16 + 4096;
}

/* Room for need more bytes of text; false when memory runs out. */
static bool kh_roster_room(kh_roster_rd *rd, size_t need)
{
    struct kh_roster_chunk *ch = rd->r->text;
    if (ch && ch->cap - ch->used >= need)
        return true;
    size_t cap = kh_roster_chunk_size(rd);
    if (cap < need)
        cap = need;
    struct kh_roster_chunk *nc = kh_malloc_big(rd->c->a, sizeof *nc + cap);
    if (!nc) {
        rd->oom = true;
        return false;
    }
    nc->next = ch;
    nc->cap = cap;
    nc->used = 0;
    rd->done += ch ? ch->used : 0;
    rd->r->text = nc;
    return true;
}

/* s[0..n) as NUL-terminated text of the entries; NULL when memory runs out. */
static const char *kh_roster_copy(kh_roster_rd *rd, const char *s, size_t n)
{
    if (!kh_roster_room(rd, n + 1))
        return NULL;
    struct kh_roster_chunk *ch = rd->r->text;
    char *p = ch->text + ch->used;
    memcpy(p, s, n);
    p[n] = '\0';
    ch->used += n + 1;
    return p;
}

/* A value of shared column col: a recent copy of it, or a new copy. */
static const char *kh_roster_shared(kh_roster_rd *rd, int col, const char *s, size_t n)
{
    kh_roster_recent *last = &rd->last[col];
    if (n == 0)
        return kh_csv_empty;
    if (last->n == n && memcmp(last->s, s, n) == 0)
        return last->s;         /* rows come grouped, as a rule */
    kh_roster_recent *x = &rd->recent[col][kh_strmap_hash(s, n) & (KH_ROSTER_RECENT - 1)];
    if (x->n != n || memcmp(x->s, s, n) != 0) {
        const char *p = kh_roster_copy(rd, s, n);
        if (!p)
            return NULL;
        *x = (kh_roster_recent){p, n};
    }
    *last = *x;
    return x->s;
}

/* The slot of name (hash h) among the names checked, or the free slot
 * where it belongs. */
static size_t kh_roster_probe(const kh_roster_rd *rd, const char *name, uint32_t h)
{
    const kh_roster_slot *s = rd->slot;
    const kh_roster_entry *p = rd->r->p;
    size_t mask = rd->cap - 1, i = h & mask;
    while (s[i].entry && (s[i].hash != h || strcmp(p[s[i].entry - 1].person, name) != 0))
        i = (i + 1) & mask;
    return i;
}

/* Report e's name as a repeat of first's. */
static void kh_roster_repeat(kh_roster_rd *rd, const kh_roster_entry *e,
                             const kh_roster_entry *first, kh_span at)
{
    char line[24], q[KH_CSV_QUOTE_MAX + 8];
    snprintf(line, sizeof line, "%u", (unsigned)first->line);
    kh_csv_quote(e->person, strlen(e->person), q, sizeof q);
    kh_csv_diag(rd->c, KH_ERROR, KH_CSV_E_DUP_PERSON, at, q, line, NULL);
    kh_csv_diag(rd->c, KH_NOTE, KH_CSV_N_FIRST, first->span, q, NULL, NULL);
}

/* Check the oldest waiting row's name: a new name makes the row the next
 * entry; a repeat is reported and the row skipped. */
static void kh_roster_settle(kh_roster_rd *rd)
{
    kh_roster *r = rd->r;
    kh_roster_wait w = rd->wait[rd->head];
    rd->head = (rd->head + 1) % KH_ROSTER_AHEAD;
    rd->nwait--;
    size_t i = kh_roster_probe(rd, r->p[w.entry].person, w.hash);
    if (rd->slot[i].entry) {
        kh_roster_repeat(rd, &r->p[w.entry], &r->p[rd->slot[i].entry - 1], w.at);
        r->skipped++;
        return;
    }
    if (w.entry != r->n)
        r->p[r->n] = r->p[w.entry];
    rd->slot[i] = (kh_roster_slot){(uint32_t)(r->n + 1), w.hash};
    r->n++;
}

static void kh_roster_settle_all(kh_roster_rd *rd)
{
    while (rd->nwait)
        kh_roster_settle(rd);
    rd->next = rd->r->n;
}

/* The current row as the next entry, its name to be checked a few rows
 * on (rd->oom when memory runs out). */
static void kh_roster_add(kh_roster_rd *rd, const kh_roster_cell *cell)
{
    const kh_roster_cell *who = &cell[KH_RO_PERSON];
    if (rd->nwait == KH_ROSTER_AHEAD)
        kh_roster_settle(rd);
    kh_roster_entry *e = &rd->r->p[rd->next];
    e->line = rd->c->rec_line;
    e->span = rd->c->rec;
    e->person = kh_roster_copy(rd, who->s, who->n);
    e->dept = kh_roster_shared(rd, KH_RO_DEPT - 1, cell[KH_RO_DEPT].s, cell[KH_RO_DEPT].n);
    e->role = kh_roster_shared(rd, KH_RO_ROLE - 1, cell[KH_RO_ROLE].s, cell[KH_RO_ROLE].n);
    e->leader = kh_roster_shared(rd, KH_RO_LEADER - 1, cell[KH_RO_LEADER].s, cell[KH_RO_LEADER].n);
    if (rd->oom)
        return;
    uint32_t h = (uint32_t)kh_strmap_hash(who->s, who->n);
    __builtin_prefetch(&rd->slot[h & (rd->cap - 1)], 1);
    rd->wait[(rd->head + rd->nwait) % KH_ROSTER_AHEAD] = (kh_roster_wait){(uint32_t)rd->next, h, who->at};
    rd->nwait++;
    rd->next++;
}

/* Column k of a plain record, split by kh_csv_split_plain. */
static kh_roster_cell kh_roster_plain_cell(const kh_roster_rd *rd, int k)
{
    kh_roster_cell x = {kh_csv_empty, 0, rd->c->rec};
    if (rd->idx[k] >= 0) {
        const kh_csv_field *f = &rd->c->f[rd->idx[k]];
        kh_csv_plain_value(rd->c, f, &x.s, &x.n);
        x.at = kh_csv_field_span(f);
    }
    return x;
}

/* Column k of a record read by kh_csv_next. */
static kh_roster_cell kh_roster_cell_of(const kh_roster_rd *rd, int k)
{
    kh_roster_cell x = {kh_csv_empty, 0, rd->c->rec};
    if (rd->idx[k] >= 0) {
        const kh_csv_field *f = &rd->c->f[rd->idx[k]];
        x = (kh_roster_cell){f->val, f->vlen, kh_csv_field_span(f)};
    }
    return x;
}

/* The next record, when it is plain and names someone; false leaves it
 * to kh_roster_general. */
static bool kh_roster_plain(kh_roster_rd *rd)
{
    kh_roster_cell cell[KH_RO_NCOLS];
    size_t eol;
    if (!kh_csv_split_plain(rd->c, rd->nhead, &eol))
        return false;
    cell[KH_RO_PERSON] = kh_roster_plain_cell(rd, KH_RO_PERSON);
    if (!cell[KH_RO_PERSON].n)
        return false;           /* a blank row, or a row without a name */
    kh_csv_take_plain(rd->c, rd->nhead, eol);
    for (int k = KH_RO_PERSON + 1; k < KH_RO_NCOLS; k++)
        cell[k] = kh_roster_plain_cell(rd, k);
    rd->r->rows++;
    kh_roster_add(rd, cell);
    return true;
}

/* The next record through the general splitter, reported when it cannot
 * be used.  The rows waiting are settled first, to keep reports in order. */
static void kh_roster_general(kh_roster_rd *rd)
{
    kh_csv *c = rd->c;
    kh_roster_cell cell[KH_RO_NCOLS];
    kh_roster_settle_all(rd);
    kh_csv_next_rc rc = kh_csv_next(c);
    rd->oom = rc == KH_CSV_NOMEM;
    if (rc == KH_CSV_NOMEM || rc == KH_CSV_EOF || (rc == KH_CSV_REC && kh_csv_blank_record(c)))
        return;
    rd->r->rows++;
    if (!kh_csv_check_shape(c, rc, rd->nhead)) {
        rd->r->skipped++;
        return;
    }
    for (int k = 0; k < KH_RO_NCOLS; k++)
        cell[k] = kh_roster_cell_of(rd, k);
    if (!cell[KH_RO_PERSON].n) {
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_NO_PERSON, cell[KH_RO_PERSON].at, NULL, NULL, NULL);
        rd->r->skipped++;
        return;
    }
    kh_roster_add(rd, cell);
}

/* Entries and the table of names, sized once for every record the file
 * can hold; false when memory runs out. */
static bool kh_roster_start(kh_roster_rd *rd, kh_csv *c, const int *idx, size_t nhead, kh_roster *r)
{
    size_t max = kh_csv_max_records(c), cap = 64;
    memset(rd, 0, sizeof *rd);
    rd->c = c;
    rd->r = r;
    rd->idx = idx;
    rd->nhead = nhead;
    if (max > UINT32_MAX / 4 || max > SIZE_MAX / sizeof *r->p)
        return false;
    while (cap <= 2 * max)
        cap *= 2;
    rd->cap = cap;
    r->p = kh_malloc_big(c->a, max * sizeof *r->p);
    rd->slot = r->p ? kh_calloc_big(c->a, cap, sizeof *rd->slot) : NULL;
    return rd->slot != NULL;
}

/* Step 4 for the roster: every record after the header. */
static bool kh_roster_rows(kh_csv *c, const int *idx, size_t nhead, kh_roster *r)
{
    kh_roster_rd rd;
    bool ok = kh_roster_start(&rd, c, idx, nhead, r);
    while (ok && !rd.oom && c->pos < c->src->len)
        if (!kh_roster_plain(&rd))
            kh_roster_general(&rd);
    if (ok && !rd.oom) {
        kh_roster_settle_all(&rd);
        r->names = rd.slot;     /* kept for kh_roster_find */
        r->nnames = rd.cap;
    } else {
        kh_free(rd.slot);
    }
    if (!ok || rd.oom)
        kh_csv_nomem(c);
    else if (r->rows == 0)
        kh_csv_diag(c, KH_WARNING, KH_CSV_W_NO_ROWS, c->rec, c->src->path, NULL, NULL);
    return ok && !rd.oom;
}

bool kh_roster_read(kh_alloc *a, kh_diags *d, const char *path,
                    const char *encoding, kh_roster *out)
{
    kh_csv c;
    int idx[KH_RO_NCOLS];
    size_t nhead = 0;
    memset(out, 0, sizeof *out);
    if (!kh_csv_load(a, d, path, encoding, &out->src, &out->encoding, &(bool){false}))
        return false;
    if (!kh_csv_init(&c, a, d, &out->src))
        return false;
    bool ok = kh_csv_header(&c, &kh_roster_table, idx, &nhead);
    if (ok && idx[KH_RO_PERSON] < 0) {
        kh_csv_require(&c, c.rec, "人员", kh_roster_table.known);
        ok = false;
    }
    if (ok) {
        out->has_dept = idx[KH_RO_DEPT] >= 0;
        out->has_role = idx[KH_RO_ROLE] >= 0;
        out->has_leader = idx[KH_RO_LEADER] >= 0;
        ok = kh_roster_rows(&c, idx, nhead, out);
    }
    kh_csv_fini(&c);
    kh_free(c.store);           /* what rows need of it is in out->text */
    return ok;
}

void kh_roster_free(kh_roster *r)
{
    if (!r)
        return;
    kh_source_free(&r->src);
    kh_free(r->p);
    kh_free(r->names);
    while (r->text) {
        struct kh_roster_chunk *next = r->text->next;
        kh_free(r->text);
        r->text = next;
    }
    memset(r, 0, sizeof *r);
}

/* Is the NUL-terminated p exactly name[0..len)?  Reads p no further than
 * its NUL. */
static bool kh_roster_named(const char *p, const char *name, size_t len)
{
    size_t j = 0;
    while (j < len && p[j] && p[j] == name[j])
        j++;
    return j == len && p[j] == '\0';
}

int32_t kh_roster_find(const kh_roster *r, const char *name, size_t len)
{
    if (!r->names)
        return -1;
    uint32_t h = (uint32_t)kh_strmap_hash(name, len);
    size_t mask = r->nnames - 1;
    for (size_t i = h & mask; r->names[i].entry; i = (i + 1) & mask) {
        const char *p = r->p[r->names[i].entry - 1].person;
        if (r->names[i].hash == h && kh_roster_named(p, name, len))
            return (int32_t)(r->names[i].entry - 1);
    }
    return -1;
}
