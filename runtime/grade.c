/* grade.c — ranks, grades, quotas, vetoes and prerequisites across the
 * entities of one scheme (LANGUAGE.md §2 rows 22–26 and §3; docs/reference.md
 * §7–§9).
 *
 * Order: rank every entity by total → set aside entities missing a
 * prerequisite → grades best first, entities in rank order, with quotas →
 * vetoes → quota minimums.
 *
 * Choices the language leaves open, written down here and tested in
 * tests/test_grade.c:
 * - Rank: competition ranking by the total, best first; equal totals share
 *   the better rank (1, 2, 2, 4).  Every entity is ranked, including those
 *   missing a prerequisite.  Equal totals keep input order.
 * - "The number scored" behind 前N% and 不超过N% is n, every entity ranked,
 *   including those missing a prerequisite.
 * - 排名前N名: rank ≤ ⌊N⌋.  前N%: rank ≤ ⌊n × N%⌋, rounded down: 12 × 20% =
 *   2.4 → ranks 1 and 2; 3 × 20% = 0.6 → nobody.  Tied entities share a rank,
 *   so they pass or fail a rank condition together.
 * - Quotas: 限N名 admits ⌊N⌋, N-M名 at most ⌊M⌋, 不超过N% at most
 *   ⌊n × N%⌋.  Entities are considered in rank order, all entities with the
 *   same total at once; such a group that starts below the limit is admitted
 *   whole, and when it overshoots, each of its entities and the scheme notes
 *   say so (「优秀」名额3名，因并列第3名实际4名).
 * - An entity that meets a grade whose quota is full falls through to the
 *   next grade it meets (备注 「优秀」名额已满).  One that meets no grade gets
 *   none (未达到任何等次); one whose every met grade was full gets none
 *   (未评定等次) after its 名额已满 remarks.
 * - Prerequisites: an entity without an event of every prerequisite gets no
 *   grade and takes no quota place; it is still ranked and still gets its
 *   veto remarks.
 * - Vetoes apply after quotas, in the order written.  A cap makes the grade
 *   the worse of the two; an entity without a grade stays without one; a
 *   capped entity keeps the quota place it took (quotas are not re-run).
 * - A quota minimum (2-3名 → 2) is checked on the final grades, after
 *   vetoes, and a shortfall is a note about the scheme, not about an entity.
 *   Nothing is checked when nobody is scored.
 * - A scheme without grades only ranks; prerequisite and veto remarks still
 *   appear.
 * All comparisons are on exact kh_dec values.
 */
#include "grade.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KH_GRADE_SEP "; "
#define KH_GRADE_TEXT 4096    /* longest sentence of explain, or of a veto remark */
#define KH_GRADE_FMT(f, a) __attribute__((format(printf, f, a)))

typedef struct kh_grade_key {
    kh_dec total;
    size_t idx;
} kh_grade_key;

typedef struct kh_grade_ctx {
    kh_alloc *a;
    const kh_ir *ir;
    const kh_dec *rows;
    size_t n;
    kh_verdict *v;
    size_t *order;      /* entity indexes, best total first */
    int64_t *taken;     /* per grade: entities admitted so far */
    char *scheme;       /* notes about the whole scheme; NULL while empty */
} kh_grade_ctx;

/* ------------------------------------------------------------ cells */

static kh_dec kh_grade_cell(const kh_ir *ir, const kh_dec *rows, size_t i, int32_t col)
{
    if (col < 0 || col >= ir->ncols)
        return 0;
    return rows[i * (size_t)ir->ncols + (size_t)col];
}

static kh_dec kh_grade_total(const kh_ir *ir, const kh_dec *rows, size_t i)
{
    return kh_grade_cell(ir, rows, i, ir->total_col);
}

static const char *kh_grade_unit(const kh_ir *ir)
{
    return ir->unit == KH_UNIT_YUAN ? "元" : "分";
}

/* ----------------------------------------------------------- limits */

/* ⌊count × pct%⌋ for pct in thousandths of a percent (0..100%), without
 * overflow: count = q·100000 + r gives q·pct + ⌊r·pct ÷ 100000⌋. */
static int64_t kh_grade_share(size_t count, kh_dec pct)
{
    const int64_t per = 100 * KH_DEC_ONE;
    if (pct <= 0)
        return 0;
    if (pct > per)
        pct = per;
    int64_t c = (int64_t)count;
    return (c / per) * pct + (c % per) * pct / per;
}

/* ⌊N⌋ of a count in thousandths; never negative. */
static int64_t kh_grade_whole(kh_dec v)
{
    return v <= 0 ? 0 : v / KH_DEC_ONE;
}

int64_t kh_grade_rank_limit(const kh_ir_grade *g, size_t count)
{
    if (!g->has_rank)
        return KH_GRADE_UNLIMITED;
    return g->rank_pct ? kh_grade_share(count, g->rank) : kh_grade_whole(g->rank);
}

int64_t kh_grade_quota_limit(const kh_ir_grade *g, size_t count)
{
    if (!g->has_quota)
        return KH_GRADE_UNLIMITED;
    return g->quota_pct ? kh_grade_share(count, g->quota) : kh_grade_whole(g->quota);
}

int64_t kh_grade_quota_min(const kh_ir_grade *g, size_t count)
{
    if (!g->has_quota || g->quota_min <= 0)
        return 0;
    return g->quota_pct ? kh_grade_share(count, g->quota_min) : kh_grade_whole(g->quota_min);
}

bool kh_grade_in_range(const kh_range *r, kh_dec x)
{
    if (r->has_lo && (r->lo_incl ? x < r->lo : x <= r->lo))
        return false;
    if (r->has_hi && (r->hi_incl ? x > r->hi : x >= r->hi))
        return false;
    return true;
}

/* Score and rank conditions of g (not its quota). */
static bool kh_grade_meets(const kh_ir_grade *g, kh_dec total, int32_t rank, size_t n)
{
    if (g->has_range && !kh_grade_in_range(&g->range, total))
        return false;
    return (int64_t)rank <= kh_grade_rank_limit(g, n);
}

/* ----------------------------------------------------------- text */

/* Cut a truncated string back to its last whole UTF-8 character. */
static void kh_grade_utf8_trim(char *s)
{
    size_t len = strlen(s), i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (i - 1) < want)
        s[i - 1] = '\0';
}

/* printf into a fixed buffer, truncating on a character boundary. */
KH_GRADE_FMT(3, 4)
static void kh_grade_fmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (k < 0)
        buf[0] = '\0';
    else if ((size_t)k >= cap)
        kh_grade_utf8_trim(buf);
}

static const char *kh_grade_num(kh_dec v, char *buf, size_t cap)
{
    kh_dec_format(v, buf, cap);
    return buf;
}

/* Append printf-style text to the owned string *s (NULL = empty).  On
 * failure *s is left as it was. */
static bool kh_grade_vcat(kh_alloc *a, char **s, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int add = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (add < 0)
        return false;
    size_t old = *s ? strlen(*s) : 0;
    char *p = kh_realloc(a, *s, old + (size_t)add + 1);
    if (!p)
        return false;
    vsnprintf(p + old, (size_t)add + 1, fmt, ap);
    *s = p;
    return true;
}

KH_GRADE_FMT(3, 4)
static bool kh_grade_cat(kh_alloc *a, char **s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = kh_grade_vcat(a, s, fmt, ap);
    va_end(ap);
    return ok;
}

/* Append one remark, after a separator unless *s is empty. */
KH_GRADE_FMT(3, 4)
static bool kh_grade_remark(kh_alloc *a, char **s, const char *fmt, ...)
{
    if (*s && **s && !kh_grade_cat(a, s, "%s", KH_GRADE_SEP))
        return false;
    va_list ap;
    va_start(ap, fmt);
    bool ok = kh_grade_vcat(a, s, fmt, ap);
    va_end(ap);
    return ok;
}

/* The sentence for a veto that applies to an entity whose grade is g;
 * returns the grade after it. */
static int32_t kh_grade_veto_text(const kh_ir *ir, const kh_ir_veto *vt, int32_t g,
                                  char *buf, size_t cap)
{
    const char *label = vt->label ? vt->label : "";
    if (vt->cap_grade < 0 || vt->cap_grade >= ir->ngrades) {
        if (vt->flag)
            kh_grade_fmt(buf, cap, "「%s」一票否决：%s", label, vt->flag);
        else
            kh_grade_fmt(buf, cap, "「%s」一票否决", label);
        return g;
    }
    const char *to = ir->grades[vt->cap_grade].name;
    const char *tail = vt->flag ? "；" : "";
    const char *flag = vt->flag ? vt->flag : "";
    if (g < 0) {
        kh_grade_fmt(buf, cap, "「%s」一票否决：等次最高为「%s」%s%s", label, to, tail, flag);
        return g;
    }
    if (g < vt->cap_grade) {
        kh_grade_fmt(buf, cap, "「%s」一票否决：由「%s」改评为「%s」%s%s", label,
                     ir->grades[g].name, to, tail, flag);
        return vt->cap_grade;
    }
    kh_grade_fmt(buf, cap, "「%s」一票否决：等次最高为「%s」，维持「%s」%s%s", label, to,
                 ir->grades[g].name, tail, flag);
    return g;
}

/* ------------------------------------------------------------ ranks */

static int kh_grade_key_cmp(const void *pa, const void *pb)
{
    const kh_grade_key *x = pa, *y = pb;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sort by total, best first, and give competition ranks. */
static bool kh_grade_rank_all(kh_grade_ctx *c)
{
    kh_grade_key *keys = kh_calloc(c->a, c->n, sizeof *keys);
    c->order = kh_calloc(c->a, c->n, sizeof *c->order);
    if (!keys || !c->order) {
        kh_free(keys);
        return false;
    }
    for (size_t i = 0; i < c->n; i++) {
        keys[i].total = kh_grade_total(c->ir, c->rows, i);
        keys[i].idx = i;
    }
    qsort(keys, c->n, sizeof *keys, kh_grade_key_cmp);
    for (size_t p = 0; p < c->n; p++) {
        c->order[p] = keys[p].idx;
        bool tied = p > 0 && keys[p].total == keys[p - 1].total;
        c->v[keys[p].idx].rank = tied ? c->v[keys[p - 1].idx].rank : (int32_t)(p + 1);
    }
    kh_free(keys);
    return true;
}

/* ---------------------------------------------------- prerequisites */

static bool kh_grade_prereq_one(kh_grade_ctx *c, size_t i)
{
    const kh_ir *ir = c->ir;
    kh_verdict *v = &c->v[i];
    for (int32_t k = 0; k < ir->nprereqs; k++) {
        const kh_ir_prereq *pq = &ir->prereqs[k];
        if (kh_grade_cell(ir, c->rows, i, pq->col) > 0)
            continue;
        const char *label = pq->label ? pq->label : "";
        bool ok = v->eligible ? kh_grade_remark(c->a, &v->remarks, "不具备评定条件：%s", label)
                              : kh_grade_cat(c->a, &v->remarks, "、%s", label);
        v->eligible = false;
        if (!ok)
            return false;
    }
    return true;
}

static bool kh_grade_prereqs(kh_grade_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (!kh_grade_prereq_one(c, i))
            return false;
    return true;
}

/* ----------------------------------------------------------- grades */

/* The first grade whose conditions hold and whose quota has room; −1. */
static int32_t kh_grade_pick(const kh_grade_ctx *c, kh_dec total, int32_t rank)
{
    const kh_ir *ir = c->ir;
    for (int32_t g = 0; g < ir->ngrades; g++) {
        const kh_ir_grade *gr = &ir->grades[g];
        if (kh_grade_meets(gr, total, rank, c->n) &&
            c->taken[g] < kh_grade_quota_limit(gr, c->n))
            return g;
    }
    return -1;
}

/* Remarks of one entity of a group that got grade g (−1 none). */
static bool kh_grade_member(kh_grade_ctx *c, size_t i, int32_t g, bool tie)
{
    const kh_ir *ir = c->ir;
    kh_verdict *v = &c->v[i];
    kh_dec total = kh_grade_total(ir, c->rows, i);
    int32_t end = g >= 0 ? g : ir->ngrades;
    bool met = false;
    v->score_grade = g;
    for (int32_t k = 0; k < end; k++) {
        if (!kh_grade_meets(&ir->grades[k], total, v->rank, c->n))
            continue;
        met = true;
        if (!kh_grade_remark(c->a, &v->remarks, "「%s」名额已满", ir->grades[k].name))
            return false;
    }
    if (g < 0)
        return kh_grade_remark(c->a, &v->remarks, "%s", met ? "未评定等次" : "未达到任何等次");
    if (!tie)
        return true;
    return kh_grade_remark(c->a, &v->remarks, "「%s」名额%lld名，因并列第%d名实际%lld名",
                           ir->grades[g].name,
                           (long long)kh_grade_quota_limit(&ir->grades[g], c->n),
                           (int)v->rank, (long long)c->taken[g]);
}

/* Grade the eligible entities of order[p..q), all with the same total. */
static bool kh_grade_group(kh_grade_ctx *c, size_t p, size_t q)
{
    const kh_ir *ir = c->ir;
    size_t first = c->order[p];
    int32_t rank = c->v[first].rank;
    int64_t m = 0;
    for (size_t k = p; k < q; k++)
        m += c->v[c->order[k]].eligible;
    if (m == 0)
        return true;
    int32_t g = kh_grade_pick(c, kh_grade_total(ir, c->rows, first), rank);
    bool tie = false;
    if (g >= 0) {
        c->taken[g] += m;
        tie = c->taken[g] > kh_grade_quota_limit(&ir->grades[g], c->n);
    }
    for (size_t k = p; k < q; k++)
        if (c->v[c->order[k]].eligible && !kh_grade_member(c, c->order[k], g, tie))
            return false;
    if (!tie)
        return true;
    return kh_grade_remark(c->a, &c->scheme, "「%s」名额%lld名，因并列第%d名实际评定%lld名",
                           ir->grades[g].name,
                           (long long)kh_grade_quota_limit(&ir->grades[g], c->n),
                           (int)rank, (long long)c->taken[g]);
}

static bool kh_grade_grades(kh_grade_ctx *c)
{
    if (c->ir->ngrades == 0)
        return true;
    c->taken = kh_calloc(c->a, (size_t)c->ir->ngrades, sizeof *c->taken);
    if (!c->taken)
        return false;
    size_t p = 0;
    while (p < c->n) {
        kh_dec t = kh_grade_total(c->ir, c->rows, c->order[p]);
        size_t q = p + 1;
        while (q < c->n && kh_grade_total(c->ir, c->rows, c->order[q]) == t)
            q++;
        if (!kh_grade_group(c, p, q))
            return false;
        p = q;
    }
    return true;
}

/* ----------------------------------------------------------- vetoes */

static bool kh_grade_veto_one(kh_grade_ctx *c, size_t i)
{
    const kh_ir *ir = c->ir;
    kh_verdict *v = &c->v[i];
    int32_t g = v->score_grade;
    char buf[KH_GRADE_TEXT];
    for (int32_t k = 0; k < ir->nvetoes; k++) {
        const kh_ir_veto *vt = &ir->vetoes[k];
        if (kh_grade_cell(ir, c->rows, i, vt->col) <= 0)
            continue;
        g = kh_grade_veto_text(ir, vt, g, buf, sizeof buf);
        if (!kh_grade_remark(c->a, &v->remarks, "%s", buf))
            return false;
    }
    v->grade = g;
    return true;
}

static bool kh_grade_vetoes(kh_grade_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (!kh_grade_veto_one(c, i))
            return false;
    return true;
}

/* --------------------------------------------------------- minimums */

/* Quota minimums, on the final grades: notes about the scheme. */
static bool kh_grade_minimums(kh_grade_ctx *c)
{
    const kh_ir *ir = c->ir;
    if (c->n == 0 || ir->ngrades == 0)
        return true;
    memset(c->taken, 0, (size_t)ir->ngrades * sizeof *c->taken);
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].grade >= 0)
            c->taken[c->v[i].grade]++;
    for (int32_t g = 0; g < ir->ngrades; g++) {
        int64_t least = kh_grade_quota_min(&ir->grades[g], c->n);
        if (c->taken[g] >= least)
            continue;
        if (!kh_grade_remark(c->a, &c->scheme, "「%s」至少应评定%lld名，实际评定%lld名",
                             ir->grades[g].name, (long long)least, (long long)c->taken[g]))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ entry */

/* Every entity without remarks gets "". */
static bool kh_grade_finish(kh_grade_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (!c->v[i].remarks && !(c->v[i].remarks = kh_strndup(c->a, "", 0)))
            return false;
    return true;
}

static void kh_grade_init(kh_verdict *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].rank = 0;
        v[i].grade = -1;
        v[i].score_grade = -1;
        v[i].eligible = true;
        v[i].remarks = NULL;
    }
}

bool kh_grade_assign(kh_alloc *a, const kh_ir *ir, const kh_dec *rows, size_t n,
                     kh_verdict *v, char **scheme_remarks)
{
    kh_grade_ctx c = { .a = a, .ir = ir, .rows = rows, .n = n, .v = v };
    kh_grade_init(v, n);
    if (scheme_remarks)
        *scheme_remarks = NULL;
    bool ok = (n == 0 || kh_grade_rank_all(&c)) && kh_grade_prereqs(&c) &&
              kh_grade_grades(&c) && kh_grade_vetoes(&c) && kh_grade_minimums(&c) &&
              kh_grade_finish(&c);
    if (ok && scheme_remarks)
        ok = (*scheme_remarks = c.scheme ? c.scheme : kh_strndup(a, "", 0)) != NULL;
    if (!ok || !scheme_remarks)
        kh_free(c.scheme);
    kh_free(c.order);
    kh_free(c.taken);
    if (!ok)
        kh_grade_free(v, n);
    return ok;
}

void kh_grade_free(kh_verdict *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kh_free(v[i].remarks);
        v[i].remarks = NULL;
    }
}

size_t *kh_grade_order(kh_alloc *a, const kh_verdict *v, size_t n)
{
    size_t *out = kh_calloc(a, n, sizeof *out);
    size_t *start = out ? kh_calloc(a, n + 2, sizeof *start) : NULL;
    if (!start) {
        kh_free(out);
        return NULL;
    }
    /* Counting sort by rank (1..n), stable: ties keep input order. */
    for (size_t i = 0; i < n; i++) {
        size_t r = v[i].rank < 1 ? 1 : (size_t)v[i].rank > n ? n : (size_t)v[i].rank;
        start[r + 1]++;
    }
    for (size_t r = 1; r < n + 2; r++)
        start[r] += start[r - 1];
    for (size_t i = 0; i < n; i++) {
        size_t r = v[i].rank < 1 ? 1 : (size_t)v[i].rank > n ? n : (size_t)v[i].rank;
        out[start[r]++] = i;
    }
    kh_free(start);
    return out;
}

/* ---------------------------------------------------------- explain */

typedef struct kh_grade_say {
    kh_grade_line_fn line;
    void *ctx;
    const kh_ir *ir;
    const kh_dec *rows;
    size_t n;
    const kh_verdict *v;
    size_t who;
    char buf[KH_GRADE_TEXT];
} kh_grade_say;

KH_GRADE_FMT(2, 3)
static void kh_grade_say_line(kh_grade_say *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(s->buf, sizeof s->buf, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k >= sizeof s->buf)
        kh_grade_utf8_trim(s->buf);
    s->line(s->ctx, s->buf);
}

static void kh_grade_explain_prereqs(kh_grade_say *s)
{
    const kh_ir *ir = s->ir;
    if (ir->nprereqs == 0)
        return;
    for (int32_t k = 0; k < ir->nprereqs; k++) {
        const kh_ir_prereq *pq = &ir->prereqs[k];
        bool has = kh_grade_cell(ir, s->rows, s->who, pq->col) > 0;
        kh_grade_say_line(s, "必备条件「%s」：%s", pq->label ? pq->label : "",
                          has ? "具备" : "无记录，不具备");
    }
    if (!s->v[s->who].eligible)
        kh_grade_say_line(s, "不具备评定条件：不评定等次，不占名额");
}

/* 95分以上 / 超过80分 / 80分以上且不满95分 … */
static void kh_grade_range_text(const kh_ir *ir, const kh_range *r, char *buf, size_t cap)
{
    char lo[32], hi[32];
    const char *u = kh_grade_unit(ir);
    kh_grade_num(r->lo, lo, sizeof lo);
    kh_grade_num(r->hi, hi, sizeof hi);
    if (r->has_lo && r->has_hi)
        kh_grade_fmt(buf, cap, "%s%s%s%s且%s%s%s%s", r->lo_incl ? "" : "超过", lo, u,
                     r->lo_incl ? "以上" : "", r->hi_incl ? "" : "不满", hi, u,
                     r->hi_incl ? "以下" : "");
    else if (r->has_lo)
        kh_grade_fmt(buf, cap, "%s%s%s%s", r->lo_incl ? "" : "超过", lo, u,
                     r->lo_incl ? "以上" : "");
    else if (r->has_hi)
        kh_grade_fmt(buf, cap, "%s%s%s%s", r->hi_incl ? "" : "不满", hi, u,
                     r->hi_incl ? "以下" : "");
    else
        kh_grade_fmt(buf, cap, "任意分数");
}

static const char *kh_grade_yes(bool ok)
{
    return ok ? "满足" : "不满足";
}

static void kh_grade_explain_score(kh_grade_say *s, const kh_ir_grade *g, kh_dec total)
{
    char want[512], t[32];
    kh_grade_range_text(s->ir, &g->range, want, sizeof want);
    kh_grade_say_line(s, "「%s」需%s：实得%s%s，%s", g->name, want,
                      kh_grade_num(total, t, sizeof t), kh_grade_unit(s->ir),
                      kh_grade_yes(kh_grade_in_range(&g->range, total)));
}

static void kh_grade_explain_rankcond(kh_grade_say *s, const kh_ir_grade *g, int32_t rank)
{
    char p[32], x[32];
    int64_t limit = kh_grade_rank_limit(g, s->n);
    bool ok = (int64_t)rank <= limit;
    if (!g->rank_pct) {
        kh_grade_say_line(s, "「%s」需排名前%s名：排名第%d名，%s", g->name,
                          kh_grade_num(g->rank, p, sizeof p), (int)rank, kh_grade_yes(ok));
        return;
    }
    /* n × p% in thousandths: n·p ÷ 100, shown exactly when it is exact. */
    int64_t pct = g->rank < 0 ? 0 : g->rank > 100 * KH_DEC_ONE ? 100 * KH_DEC_ONE : g->rank;
    int64_t nn = (int64_t)s->n;
    int64_t prod = (nn / 100) * pct + (nn % 100) * pct / 100;
    bool exact = (nn % 100) * pct % 100 == 0;
    kh_grade_say_line(s, "「%s」需排名前%s%%（%zu人×%s%%%s%s，取前%lld名）：排名第%d名，%s",
                      g->name, kh_grade_num(g->rank, p, sizeof p), s->n, p,
                      exact ? "=" : "≈", kh_grade_num(prod, x, sizeof x), (long long)limit,
                      (int)rank, kh_grade_yes(ok));
}

/* How many took g's quota, and the worst rank among them. */
static int64_t kh_grade_takers(const kh_grade_say *s, int32_t g, int32_t *worst)
{
    int64_t m = 0;
    *worst = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].score_grade != g)
            continue;
        m++;
        if (s->v[i].rank > *worst)
            *worst = s->v[i].rank;
    }
    return m;
}

static void kh_grade_explain_got(kh_grade_say *s, int32_t g)
{
    const kh_ir_grade *gr = &s->ir->grades[g];
    if (!gr->has_quota) {
        kh_grade_say_line(s, "评定为「%s」", gr->name);
        return;
    }
    int32_t worst;
    int64_t m = kh_grade_takers(s, g, &worst);
    int64_t limit = kh_grade_quota_limit(gr, s->n);
    if (m > limit)
        kh_grade_say_line(s, "评定为「%s」：名额%lld名，因并列第%d名实际评定%lld名", gr->name,
                          (long long)limit, (int)worst, (long long)m);
    else
        kh_grade_say_line(s, "评定为「%s」：名额%lld名，实际评定%lld名", gr->name,
                          (long long)limit, (long long)m);
}

/* One grade's conditions, one line each; true when they all hold. */
static bool kh_grade_explain_conds(kh_grade_say *s, const kh_ir_grade *g, kh_dec total,
                                   int32_t rank)
{
    if (g->has_range)
        kh_grade_explain_score(s, g, total);
    if (g->has_rank)
        kh_grade_explain_rankcond(s, g, rank);
    if (!g->has_range && !g->has_rank)
        kh_grade_say_line(s, "「%s」无分数和名次条件", g->name);
    return kh_grade_meets(g, total, rank, s->n);
}

static void kh_grade_explain_grades(kh_grade_say *s)
{
    const kh_ir *ir = s->ir;
    const kh_verdict *v = &s->v[s->who];
    kh_dec total = kh_grade_total(ir, s->rows, s->who);
    bool met = false;
    for (int32_t g = 0; g < ir->ngrades; g++) {
        if (!kh_grade_explain_conds(s, &ir->grades[g], total, v->rank))
            continue;
        if (g == v->score_grade) {
            kh_grade_explain_got(s, g);
            return;
        }
        met = true;
        kh_grade_say_line(s, "「%s」条件满足，但名额%lld名已满，顺延", ir->grades[g].name,
                          (long long)kh_grade_quota_limit(&ir->grades[g], s->n));
    }
    kh_grade_say_line(s, "%s", met ? "各等次名额已满，未评定等次" : "未达到任何等次");
}

static void kh_grade_explain_vetoes(kh_grade_say *s)
{
    const kh_ir *ir = s->ir;
    int32_t g = s->v[s->who].score_grade;
    char text[KH_GRADE_TEXT], cnt[32];
    for (int32_t k = 0; k < ir->nvetoes; k++) {
        const kh_ir_veto *vt = &ir->vetoes[k];
        kh_dec times = kh_grade_cell(ir, s->rows, s->who, vt->col);
        if (times <= 0) {
            kh_grade_say_line(s, "「%s」一票否决：无此记录", vt->label ? vt->label : "");
            continue;
        }
        g = kh_grade_veto_text(ir, vt, g, text, sizeof text);
        kh_grade_say_line(s, "%s（记录%s次）", text, kh_grade_num(times, cnt, sizeof cnt));
    }
}

void kh_grade_explain(const kh_ir *ir, const kh_dec *rows, size_t n,
                      const kh_verdict *v, size_t who,
                      kh_grade_line_fn line, void *ctx)
{
    if (!line || who >= n)
        return;
    kh_grade_say s = { .line = line, .ctx = ctx, .ir = ir, .rows = rows, .n = n, .v = v,
                       .who = who };
    kh_grade_explain_prereqs(&s);
    if (ir->ngrades == 0)
        kh_grade_say_line(&s, "本方案未设等次，只排名次");
    else if (v[who].eligible)
        kh_grade_explain_grades(&s);
    kh_grade_explain_vetoes(&s);
}
