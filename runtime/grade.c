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
 *
 * How, in a few passes over n entities, O(n), with little memory besides
 * the verdicts themselves:
 * - Entities with the same total form a group; the groups in order of total
 *   give the competition ranks.  When the totals span at most about n
 *   thousandths (the usual case), entities are counted by total in a table
 *   indexed by (best total − total); otherwise a stable radix sort of
 *   (best total − total, entity) orders them.
 * - Grades and quotas are decided once per group: all eligible members of a
 *   group are treated alike and get the same remarks.
 * - Only an entity missing a prerequisite or hit by a veto has remarks of
 *   its own; they depend only on which prerequisites and vetoes, its group's
 *   remarks and its grade, so equal ones are written once.
 * - Every entity's remarks live in one block owned through v[0].remarks:
 *   entity 0's, "", each group's shared remarks, then the rest.
 */
#include "grade.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KH_GRADE_SEP "; "
#define KH_GRADE_TEXT 4096    /* longest sentence of explain, or of a veto remark */
#define KH_GRADE_DIGIT 11     /* widest radix digit, in bits */
#define KH_GRADE_TABLE 65536  /* count by total directly when its span ≤ n + this */
#define KH_GRADE_SHARE 4096   /* most entries in the table of shared remarks */
#define KH_GRADE_AHEAD 64     /* rows read ahead in a pass over the rows */
#define KH_GRADE_NONE UINT32_MAX  /* no entry in the table of shared remarks */
#define KH_GRADE_FMT(f, a) __attribute__((format(printf, f, a)))

/* One entity in the ranking sort. */
typedef struct kh_grade_pair {
    uint64_t key;       /* best total − its total: ascending is best first */
    size_t idx;
} kh_grade_pair;

/* The entities with one total: a place in the ranking. */
typedef struct kh_grade_grp {
    kh_dec total;
    int32_t rank;       /* competition rank of every member */
    int32_t grade;      /* the grade its eligible members get; −1 none */
    int64_t eligible;   /* members meeting every prerequisite */
    int64_t plain;      /* of them, those no veto applies to */
    size_t text;        /* remark shared by its eligible members: text.p + text, */
    size_t len;         /* len bytes, then NUL; len 0 = none */
} kh_grade_grp;

/* A growing byte buffer. */
typedef struct kh_grade_buf {
    char *p;
    size_t len, cap;
} kh_grade_buf;

/* The remark of one veto for an entity whose grade so far is g, and the
 * grade after it. */
typedef struct kh_grade_sent {
    size_t off, len;    /* in ctx.pieces */
    int32_t next;
} kh_grade_sent;

/* An entity with remarks of its own: a missing prerequisite or a veto. */
typedef struct kh_grade_mine {
    uint64_t miss;      /* prerequisite k missing: bit k (when ctx.keyed) */
    uint64_t hits;      /* veto k applying: bit k (when ctx.keyed) */
    uint32_t idx;       /* the entity */
    uint32_t share;     /* its entry in ctx.own; KH_GRADE_NONE if none */
} kh_grade_mine;

/* What decides the remarks of such an entity: equal keys, equal remarks. */
typedef struct kh_grade_key {
    uint64_t miss, hits;
    size_t text;        /* its group's shared remark (offset); SIZE_MAX none */
    int32_t score_grade;
} kh_grade_key;

/* One entry of the table of remarks shared by several such entities. */
typedef struct kh_grade_own {
    kh_grade_key key;
    bool used;
    size_t len;         /* length of the remarks */
    char *at;           /* where they were written; NULL until then */
} kh_grade_own;

/* While grading, v[i].grade holds whether a veto applies to entity i (0 or
 * 1) and v[i].score_grade the low 32 bits of (entity 0's total − its total),
 * then its group; kh_grade_place sets both to their final values.
 * v[i].rank and v[i].eligible are final once the groups are known. */
typedef struct kh_grade_ctx {
    kh_alloc *a;
    const kh_ir *ir;
    const kh_dec *rows;
    size_t n;
    kh_verdict *v;
    bool keyed;             /* ≤ 64 prerequisites and ≤ 64 vetoes: masks in kh_grade_mine */
    kh_dec first, hi;       /* entity 0's total; the best total */
    uint32_t *slot;         /* by best total − total: a count, then a group */
    kh_grade_grp *groups;   /* one per distinct total, best first */
    size_t ngroups;
    int64_t *taken;         /* per grade: entities admitted so far, later final counts */
    kh_grade_buf text;      /* the groups' shared remarks */
    size_t last, last_len;  /* the latest of them, reused when the next is the same */
    kh_grade_sent *sents;   /* [veto k][grade g + 1], ngrades + 1 per veto */
    kh_grade_buf pieces;    /* their text */
    kh_grade_mine *mine;    /* the entities with remarks of their own, in order */
    size_t nmine, mine_cap;
    kh_grade_own *own;      /* open addressing, at most half full; NULL: no sharing */
    size_t own_cap, own_used;
    size_t need;            /* bytes of the remarks block */
    char *scheme;           /* notes about the whole scheme; NULL while empty */
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

/* Ask for the total of row i ahead of a pass reaching it. */
static void kh_grade_ahead(const kh_ir *ir, const kh_dec *rows, size_t n, size_t i)
{
    if (i + KH_GRADE_AHEAD < n && ir->total_col >= 0 && ir->total_col < ir->ncols)
        __builtin_prefetch(&rows[(i + KH_GRADE_AHEAD) * (size_t)ir->ncols + (size_t)ir->total_col]);
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

/* ---------------------------------------------------------- buffers */

/* Room for k more bytes in b. */
static bool kh_grade_buf_room(kh_alloc *a, kh_grade_buf *b, size_t k)
{
    if (k <= b->cap - b->len)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (k > cap - b->len) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *p = kh_realloc(a, b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

static bool kh_grade_buf_add(kh_alloc *a, kh_grade_buf *b, const char *s, size_t k)
{
    if (!kh_grade_buf_room(a, b, k))
        return false;
    if (k)
        memcpy(b->p + b->len, s, k);
    b->len += k;
    return true;
}

static bool kh_grade_buf_str(kh_alloc *a, kh_grade_buf *b, const char *s)
{
    return kh_grade_buf_add(a, b, s, strlen(s));
}

/* printf onto the end of b (no NUL counted). */
KH_GRADE_FMT(3, 4)
static bool kh_grade_buf_fmt(kh_alloc *a, kh_grade_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0 || !kh_grade_buf_room(a, b, (size_t)k + 1))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
    return true;
}

/* ------------------------------------------------------------ ranks */

/* Remember an entity with remarks of its own. */
static bool kh_grade_mine_add(kh_grade_ctx *c, const kh_grade_mine *m)
{
    if (c->nmine == c->mine_cap) {
        size_t cap = c->mine_cap ? 2 * c->mine_cap : 256;
        kh_grade_mine *p = cap <= SIZE_MAX / sizeof *p
                               ? kh_realloc(c->a, c->mine, cap * sizeof *p) : NULL;
        if (!p)
            return false;
        c->mine = p;
        c->mine_cap = cap;
    }
    c->mine[c->nmine++] = *m;
    return true;
}

/* Prerequisites and vetoes of entity i: v's eligible and veto flag, and
 * the masks of m when keyed. */
static void kh_grade_facts(const kh_grade_ctx *c, size_t i, kh_verdict *v, kh_grade_mine *m)
{
    const kh_ir *ir = c->ir;
    v->eligible = true;
    v->grade = 0;
    for (int32_t k = 0; k < ir->nprereqs; k++) {
        if (kh_grade_cell(ir, c->rows, i, ir->prereqs[k].col) > 0)
            continue;
        v->eligible = false;
        if (c->keyed)
            m->miss |= (uint64_t)1 << k;
    }
    for (int32_t k = 0; k < ir->nvetoes; k++) {
        if (kh_grade_cell(ir, c->rows, i, ir->vetoes[k].col) <= 0)
            continue;
        v->grade = 1;
        if (c->keyed)
            m->hits |= (uint64_t)1 << k;
    }
}

/* The low 32 bits of x, as kept in an int32_t field. */
static int32_t kh_grade_low32(uint64_t x)
{
    uint32_t u = (uint32_t)x;
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - (uint32_t)INT32_MAX - 1) + INT32_MIN;
}

/* First look at every entity: its facts, the best and worst totals, and
 * (entity 0's total − its total) in v->score_grade; the worst total into
 * *lo. */
static bool kh_grade_scan(kh_grade_ctx *c, kh_dec *lo)
{
    kh_dec t0 = kh_grade_total(c->ir, c->rows, 0), low = t0, high = t0;
    for (size_t i = 0; i < c->n; i++) {
        kh_grade_ahead(c->ir, c->rows, c->n, i);
        kh_verdict *v = &c->v[i];
        kh_grade_mine m = { .idx = (uint32_t)i, .share = KH_GRADE_NONE };
        kh_dec t = kh_grade_total(c->ir, c->rows, i);
        low = t < low ? t : low;
        high = t > high ? t : high;
        v->rank = 0;
        v->score_grade = kh_grade_low32((uint64_t)t0 - (uint64_t)t);
        kh_grade_facts(c, i, v, &m);
        if ((!v->eligible || v->grade) && !kh_grade_mine_add(c, &m))
            return false;
    }
    c->first = t0;
    c->hi = high;
    *lo = low;
    return true;
}

/* The key (best total − total) of entity v when it is below 2^32. */
static uint32_t kh_grade_key32(const kh_grade_ctx *c, const kh_verdict *v)
{
    return (uint32_t)((uint64_t)c->hi - (uint64_t)c->first) + (uint32_t)v->score_grade;
}

static bool kh_grade_alloc_groups(kh_grade_ctx *c, size_t ng)
{
    c->ngroups = ng;
    c->groups = ng <= SIZE_MAX / sizeof *c->groups ? kh_malloc(c->a, ng * sizeof *c->groups)
                                                   : NULL;
    return c->groups != NULL;
}

/* Entity v joins group g. */
static void kh_grade_join(kh_grade_ctx *c, kh_verdict *v, kh_grade_grp *g)
{
    v->score_grade = (int32_t)(g - c->groups);
    v->rank = g->rank;
    g->eligible += v->eligible;
    g->plain += v->eligible && !v->grade;
}

/* Groups from the counts in c->slot, keys 0..span; each entity's group. */
static bool kh_grade_table_groups(kh_grade_ctx *c, uint64_t span)
{
    size_t ng = 0;
    for (uint64_t k = 0; k <= span; k++)
        ng += c->slot[k] != 0;
    if (!kh_grade_alloc_groups(c, ng))
        return false;
    size_t pos = 0, gi = 0;
    for (uint64_t k = 0; k <= span; k++) {
        if (c->slot[k] == 0)
            continue;
        c->groups[gi] = (kh_grade_grp){ .total = c->hi - (kh_dec)k,
                                        .rank = (int32_t)(pos + 1), .grade = -1 };
        pos += c->slot[k];
        c->slot[k] = (uint32_t)gi++;
    }
    for (size_t i = 0; i < c->n; i++)
        kh_grade_join(c, &c->v[i], &c->groups[c->slot[kh_grade_key32(c, &c->v[i])]]);
    return true;
}

/* Totals close together: count the entities of each total directly. */
static bool kh_grade_by_table(kh_grade_ctx *c, uint64_t span)
{
    c->slot = kh_calloc_big(c->a, (size_t)span + 1, sizeof *c->slot);
    if (!c->slot)
        return false;
    for (size_t i = 0; i < c->n; i++)
        c->slot[kh_grade_key32(c, &c->v[i])]++;
    return kh_grade_table_groups(c, span);
}

/* One counting pass on the digit (key >> shift) & mask, from a into b;
 * false, leaving b alone, when every key has the same digit. */
static bool kh_grade_radix_pass(const kh_grade_pair *a, kh_grade_pair *b, size_t n,
                                unsigned shift, uint64_t mask)
{
    size_t start[(size_t)1 << KH_GRADE_DIGIT] = { 0 };
    for (size_t i = 0; i < n; i++)
        start[(a[i].key >> shift) & mask]++;
    if (start[(a[0].key >> shift) & mask] == n)
        return false;
    size_t sum = 0;
    for (uint64_t d = 0; d <= mask; d++) {
        size_t k = start[d];
        start[d] = sum;
        sum += k;
    }
    for (size_t i = 0; i < n; i++)
        b[start[(a[i].key >> shift) & mask]++] = a[i];
    return true;
}

/* Stable LSD radix sort of a[0..n) (n ≥ 1) by key, every key ≤ span; b is
 * scratch room for n.  Returns whichever of a and b holds the result. */
static const kh_grade_pair *kh_grade_radix(kh_grade_pair *a, kh_grade_pair *b, size_t n,
                                           uint64_t span)
{
    unsigned bits = 0;
    while (bits < 64 && (span >> bits) != 0)
        bits++;
    unsigned passes = (bits + KH_GRADE_DIGIT - 1) / KH_GRADE_DIGIT;
    unsigned width = passes ? (bits + passes - 1) / passes : 0;
    uint64_t mask = ((uint64_t)1 << width) - 1;
    for (unsigned p = 0; p < passes; p++) {
        if (!kh_grade_radix_pass(a, b, n, p * width, mask))
            continue;
        kh_grade_pair *t = a;
        a = b;
        b = t;
    }
    return a;
}

/* Groups from the entities sorted best first (s); each entity's group. */
static bool kh_grade_sorted_groups(kh_grade_ctx *c, const kh_grade_pair *s)
{
    size_t ng = 1;
    for (size_t p = 1; p < c->n; p++)
        ng += s[p].key != s[p - 1].key;
    if (!kh_grade_alloc_groups(c, ng))
        return false;
    kh_grade_grp *g = NULL;
    for (size_t p = 0; p < c->n; p++) {
        if (p == 0 || s[p].key != s[p - 1].key) {
            g = g ? g + 1 : c->groups;
            *g = (kh_grade_grp){ .total = kh_grade_total(c->ir, c->rows, s[p].idx),
                                 .rank = (int32_t)(p + 1), .grade = -1 };
        }
        kh_grade_join(c, &c->v[s[p].idx], g);
    }
    return true;
}

/* Totals far apart: a stable radix sort of (key, entity). */
static bool kh_grade_by_sort(kh_grade_ctx *c, uint64_t span)
{
    size_t n = c->n;
    if (n > SIZE_MAX / sizeof(kh_grade_pair))
        return false;
    kh_grade_pair *a = kh_malloc_big(c->a, n * sizeof *a);
    kh_grade_pair *b = a ? kh_malloc_big(c->a, n * sizeof *b) : NULL;
    if (b) {
        for (size_t i = 0; i < n; i++) {
            kh_grade_ahead(c->ir, c->rows, n, i);
            a[i].key = (uint64_t)c->hi - (uint64_t)kh_grade_total(c->ir, c->rows, i);
            a[i].idx = i;
        }
    }
    bool ok = b && kh_grade_sorted_groups(c, kh_grade_radix(a, b, n, span));
    kh_free(a);
    kh_free(b);
    return ok;
}

/* Group the entities by total, best first, and give competition ranks;
 * equal totals keep input order. */
static bool kh_grade_rank_all(kh_grade_ctx *c)
{
    /* A rank is an int32_t: more entities could not be told apart. */
    if (c->n > (size_t)INT32_MAX)
        return false;
    c->keyed = c->ir->nprereqs <= 64 && c->ir->nvetoes <= 64;
    kh_dec lo;
    if (!kh_grade_scan(c, &lo))
        return false;
    uint64_t span = (uint64_t)c->hi - (uint64_t)lo;
    if (span <= (uint64_t)c->n + KH_GRADE_TABLE)
        return kh_grade_by_table(c, span);
    return kh_grade_by_sort(c, span);
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

/* The text at [start, text.len) becomes g's shared remark: the previous
 * group's when it reads the same, else kept with a NUL after it. */
static bool kh_grade_text_keep(kh_grade_ctx *c, kh_grade_grp *g, size_t start)
{
    kh_grade_buf *t = &c->text;
    g->text = start;
    g->len = t->len - start;
    if (g->len == 0)
        return true;
    if (g->len == c->last_len && memcmp(t->p + c->last, t->p + start, g->len) == 0) {
        t->len = start;
        g->text = c->last;
        return true;
    }
    c->last = start;
    c->last_len = g->len;
    return kh_grade_buf_add(c->a, t, "", 1);
}

/* A separator unless the text begun at start is still empty. */
static bool kh_grade_text_sep(kh_grade_ctx *c, size_t start)
{
    return c->text.len == start || kh_grade_buf_str(c->a, &c->text, KH_GRADE_SEP);
}

/* The remarks every eligible member of g gets: each better grade it meets
 * whose quota was full, then why it got no grade or that a tie overshot. */
static bool kh_grade_group_text(kh_grade_ctx *c, kh_grade_grp *g, bool tie)
{
    const kh_ir *ir = c->ir;
    kh_grade_buf *t = &c->text;
    size_t start = t->len;
    int32_t end = g->grade >= 0 ? g->grade : ir->ngrades;
    bool met = false, ok = true;
    for (int32_t k = 0; ok && k < end; k++) {
        if (!kh_grade_meets(&ir->grades[k], g->total, g->rank, c->n))
            continue;
        met = true;
        ok = kh_grade_text_sep(c, start) && kh_grade_buf_str(c->a, t, "「") &&
             kh_grade_buf_str(c->a, t, ir->grades[k].name) &&
             kh_grade_buf_str(c->a, t, "」名额已满");
    }
    if (ok && g->grade < 0)
        ok = kh_grade_text_sep(c, start) &&
             kh_grade_buf_str(c->a, t, met ? "未评定等次" : "未达到任何等次");
    else if (ok && tie)
        ok = kh_grade_text_sep(c, start) &&
             kh_grade_buf_fmt(c->a, t, "「%s」名额%lld名，因并列第%d名实际%lld名",
                              ir->grades[g->grade].name,
                              (long long)kh_grade_quota_limit(&ir->grades[g->grade], c->n),
                              (int)g->rank, (long long)c->taken[g->grade]);
    return ok && kh_grade_text_keep(c, g, start);
}

/* Grade the eligible members of g, all alike. */
static bool kh_grade_group(kh_grade_ctx *c, kh_grade_grp *g)
{
    const kh_ir *ir = c->ir;
    if (g->eligible == 0)
        return true;
    g->grade = kh_grade_pick(c, g->total, g->rank);
    bool tie = false;
    if (g->grade >= 0) {
        c->taken[g->grade] += g->eligible;
        tie = c->taken[g->grade] > kh_grade_quota_limit(&ir->grades[g->grade], c->n);
    }
    if (!kh_grade_group_text(c, g, tie))
        return false;
    if (!tie)
        return true;
    return kh_grade_remark(c->a, &c->scheme, "「%s」名额%lld名，因并列第%d名实际评定%lld名",
                           ir->grades[g->grade].name,
                           (long long)kh_grade_quota_limit(&ir->grades[g->grade], c->n),
                           (int)g->rank, (long long)c->taken[g->grade]);
}

/* Groups best first, with quotas. */
static bool kh_grade_grades(kh_grade_ctx *c)
{
    if (c->ir->ngrades == 0)
        return true;
    c->taken = kh_calloc(c->a, (size_t)c->ir->ngrades, sizeof *c->taken);
    if (!c->taken)
        return false;
    for (size_t k = 0; k < c->ngroups; k++)
        if (!kh_grade_group(c, &c->groups[k]))
            return false;
    return true;
}

/* ----------------------------------------------------------- vetoes */

/* Every veto's remark and resulting grade, for every grade before it. */
static bool kh_grade_sentences(kh_grade_ctx *c)
{
    const kh_ir *ir = c->ir;
    if (ir->nvetoes <= 0)
        return true;
    size_t w = (size_t)ir->ngrades + 1;
    c->sents = kh_malloc(c->a, (size_t)ir->nvetoes * w * sizeof *c->sents);
    if (!c->sents)
        return false;
    char buf[KH_GRADE_TEXT];
    for (int32_t k = 0; k < ir->nvetoes; k++)
        for (int32_t g = -1; g < ir->ngrades; g++) {
            kh_grade_sent *s = &c->sents[(size_t)k * w + (size_t)(g + 1)];
            s->next = kh_grade_veto_text(ir, &ir->vetoes[k], g, buf, sizeof buf);
            s->off = c->pieces.len;
            s->len = strlen(buf);
            if (!kh_grade_buf_add(c->a, &c->pieces, buf, s->len))
                return false;
        }
    return true;
}

/* Does m miss prerequisite k? */
static bool kh_grade_misses(const kh_grade_ctx *c, const kh_grade_mine *m, int32_t k)
{
    if (c->keyed)
        return (m->miss >> k) & 1;
    return kh_grade_cell(c->ir, c->rows, m->idx, c->ir->prereqs[k].col) <= 0;
}

/* Does veto k apply to m? */
static bool kh_grade_hit(const kh_grade_ctx *c, const kh_grade_mine *m, int32_t k)
{
    if (c->keyed)
        return (m->hits >> k) & 1;
    return kh_grade_cell(c->ir, c->rows, m->idx, c->ir->vetoes[k].col) > 0;
}

/* ---------------------------------------------------------- remarks */

/* Where one entity's remarks are written (dst NULL: only measured). */
typedef struct kh_grade_out {
    char *dst;
    size_t len;
} kh_grade_out;

static void kh_grade_put(kh_grade_out *o, const char *s, size_t k)
{
    if (o->dst && k)
        memcpy(o->dst + o->len, s, k);
    o->len += k;
}

/* One remark, after a separator unless it is the first. */
static void kh_grade_put_remark(kh_grade_out *o, const char *s, size_t k)
{
    if (o->len)
        kh_grade_put(o, KH_GRADE_SEP, sizeof KH_GRADE_SEP - 1);
    kh_grade_put(o, s, k);
}

/* 不具备评定条件：A、B for the prerequisites m misses. */
static void kh_grade_put_prereqs(const kh_grade_ctx *c, const kh_grade_mine *m, kh_grade_out *o)
{
    static const char head[] = "不具备评定条件：", more[] = "、";
    bool first = true;
    for (int32_t k = 0; k < c->ir->nprereqs; k++) {
        if (!kh_grade_misses(c, m, k))
            continue;
        if (first)
            kh_grade_put_remark(o, head, sizeof head - 1);
        else
            kh_grade_put(o, more, sizeof more - 1);
        const char *label = c->ir->prereqs[k].label ? c->ir->prereqs[k].label : "";
        kh_grade_put(o, label, strlen(label));
        first = false;
    }
}

/* The vetoes, in the order written, on m (NULL: none apply) whose grade so
 * far is g; their remarks into o when given.  Returns the final grade. */
static int32_t kh_grade_put_vetoes(const kh_grade_ctx *c, const kh_grade_mine *m, int32_t g,
                                   kh_grade_out *o)
{
    size_t w = (size_t)c->ir->ngrades + 1;
    for (int32_t k = 0; m && k < c->ir->nvetoes; k++) {
        if (!kh_grade_hit(c, m, k))
            continue;
        const kh_grade_sent *s = &c->sents[(size_t)k * w + (size_t)(g + 1)];
        if (o)
            kh_grade_put_remark(o, c->pieces.p + s->off, s->len);
        g = s->next;
    }
    return g;
}

/* Entity i as it stands while grading (see kh_grade_ctx). */
typedef struct kh_grade_who {
    const kh_grade_grp *g;
    bool eligible;
    int32_t score_grade;
} kh_grade_who;

static kh_grade_who kh_grade_who_is(const kh_grade_ctx *c, size_t i)
{
    const kh_verdict *v = &c->v[i];
    kh_grade_who w = { .g = &c->groups[v->score_grade], .eligible = v->eligible };
    w.score_grade = v->eligible ? w.g->grade : -1;
    return w;
}

/* All remarks of an entity: prerequisites, its group's, vetoes (m NULL:
 * none of its own); written to dst when given.  Returns their length. */
static size_t kh_grade_compose(const kh_grade_ctx *c, const kh_grade_who *w,
                               const kh_grade_mine *m, char *dst)
{
    kh_grade_out o = { .dst = dst, .len = 0 };
    if (!w->eligible)
        kh_grade_put_prereqs(c, m, &o);
    else if (w->g->len)
        kh_grade_put_remark(&o, c->text.p + w->g->text, w->g->len);
    kh_grade_put_vetoes(c, m, w->score_grade, &o);
    return o.len;
}

/* The entry of entity 0 in c->mine, NULL if none. */
static const kh_grade_mine *kh_grade_mine_first(const kh_grade_ctx *c)
{
    return c->nmine && c->mine[0].idx == 0 ? &c->mine[0] : NULL;
}

/* ----------------------------------------------------- shared remarks */

static bool kh_grade_key_eq(const kh_grade_key *x, const kh_grade_key *y)
{
    return x->miss == y->miss && x->hits == y->hits && x->text == y->text &&
           x->score_grade == y->score_grade;
}

static size_t kh_grade_key_hash(const kh_grade_key *k)
{
    uint64_t h = k->miss * UINT64_C(0x9E3779B97F4A7C15) ^ k->hits * UINT64_C(0xC2B2AE3D27D4EB4F) ^
                 (uint64_t)k->text * UINT64_C(0x165667B19E3779F9) ^ (uint32_t)k->score_grade;
    h ^= h >> 31;
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return (size_t)(h ^ (h >> 29));
}

/* A table for sharing the remarks of entities with remarks of their own,
 * when masks tell them apart. */
static bool kh_grade_own_table(kh_grade_ctx *c)
{
    if (!c->keyed || c->nmine < 2)
        return true;
    c->own_cap = 16;
    while (c->own_cap < KH_GRADE_SHARE && c->own_cap < 2 * c->nmine)
        c->own_cap *= 2;
    c->own = kh_calloc(c->a, c->own_cap, sizeof *c->own);
    return c->own != NULL;
}

/* Share m's remarks through the table when it has them or room for them:
 * true when m's are the first so entered; sets m->share. */
static bool kh_grade_own_enter(kh_grade_ctx *c, kh_grade_mine *m, const kh_grade_who *w)
{
    if (!c->own)
        return false;
    kh_grade_key k = { .miss = m->miss, .hits = m->hits, .text = SIZE_MAX,
                       .score_grade = w->score_grade };
    if (w->eligible && w->g->len)
        k.text = w->g->text;
    size_t mask = c->own_cap - 1, h = kh_grade_key_hash(&k) & mask;
    while (c->own[h].used && !kh_grade_key_eq(&c->own[h].key, &k))
        h = (h + 1) & mask;   /* ends: the table is never more than half full */
    if (c->own[h].used) {
        m->share = (uint32_t)h;
        return false;
    }
    if (c->own_used >= c->own_cap / 2)
        return false;
    c->own[h] = (kh_grade_own){ .key = k, .used = true };
    c->own_used++;
    m->share = (uint32_t)h;
    return true;
}

/* The room m's remarks take in the block: none when shared with an
 * entity counted before. */
static size_t kh_grade_own_room(kh_grade_ctx *c, kh_grade_mine *m, const kh_grade_who *w)
{
    bool first = kh_grade_own_enter(c, m, w);
    if (m->share != KH_GRADE_NONE && !first)
        return 0;
    size_t len = kh_grade_compose(c, w, m, NULL);
    if (first)
        c->own[m->share].len = len;
    return len + 1;
}

/* m's remarks: where they were written for an entity sharing them, else
 * written at *out. */
static char *kh_grade_own_write(kh_grade_ctx *c, const kh_grade_mine *m,
                                const kh_grade_who *w, char **out)
{
    kh_grade_own *o = m->share != KH_GRADE_NONE ? &c->own[m->share] : NULL;
    if (o && o->at)
        return o->at;
    char *at = *out;
    size_t len = kh_grade_compose(c, w, m, at);
    at[len] = '\0';
    *out += len + 1;
    if (o)
        o->at = at;
    return at;
}

/* --------------------------------------------------- final decisions */

/* Final grades counted into taken; the size of the remarks block:
 * entity 0's remarks, "", the groups' shared remarks, the others' own. */
static void kh_grade_settle(kh_grade_ctx *c)
{
    kh_grade_who first = kh_grade_who_is(c, 0);
    c->need = kh_grade_compose(c, &first, kh_grade_mine_first(c), NULL) + 2 + c->text.len;
    if (c->taken) {
        memset(c->taken, 0, (size_t)c->ir->ngrades * sizeof *c->taken);
        for (size_t k = 0; k < c->ngroups; k++)
            if (c->groups[k].grade >= 0)
                c->taken[c->groups[k].grade] += c->groups[k].plain;
    }
    for (size_t k = 0; k < c->nmine; k++) {
        kh_grade_mine *m = &c->mine[k];
        kh_grade_who w = kh_grade_who_is(c, m->idx);
        int32_t g = kh_grade_put_vetoes(c, m, w.score_grade, NULL);
        if (c->taken && g >= 0)
            c->taken[g]++;
        if (m->idx != 0)
            c->need += kh_grade_own_room(c, m, &w);
    }
}

/* Lay out the block: entity 0's remarks first (so that v[0].remarks owns
 * the block), "", the groups' shared remarks, the rest; and give every
 * entity its final grades and remarks. */
static void kh_grade_place(kh_grade_ctx *c, char *block)
{
    kh_grade_who first = kh_grade_who_is(c, 0);
    size_t len0 = kh_grade_compose(c, &first, kh_grade_mine_first(c), block);
    block[len0] = '\0';
    char *empty = block + len0 + 1, *shared = empty + 1;
    *empty = '\0';
    if (c->text.len)
        memcpy(shared, c->text.p, c->text.len);
    char *out = shared + c->text.len;
    /* no one's own remarks: mine is NULL, and NULL + 0 is undefined */
    const kh_grade_mine *m = c->mine, *end = m ? m + c->nmine : m;
    for (size_t i = 0; i < c->n; i++) {
        kh_grade_who w = kh_grade_who_is(c, i);
        kh_verdict *v = &c->v[i];
        const kh_grade_mine *own = m < end && m->idx == i ? m++ : NULL;
        v->score_grade = w.score_grade;
        v->grade = kh_grade_put_vetoes(c, own, w.score_grade, NULL);
        if (i == 0)
            v->remarks = block;
        else if (own)
            v->remarks = kh_grade_own_write(c, own, &w, &out);
        else
            v->remarks = w.g->len ? shared + w.g->text : empty;
    }
}

/* --------------------------------------------------------- minimums */

/* Quota minimums, on the final grades (counted in taken): notes about
 * the scheme. */
static bool kh_grade_minimums(kh_grade_ctx *c)
{
    const kh_ir *ir = c->ir;
    if (c->n == 0 || ir->ngrades == 0)
        return true;
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

/* Ranks, grades, vetoes and the size of the remarks block. */
static bool kh_grade_decide(kh_grade_ctx *c)
{
    if (c->n == 0)
        return true;
    if (!kh_grade_rank_all(c) || !kh_grade_grades(c) || !kh_grade_sentences(c) ||
        !kh_grade_own_table(c))
        return false;
    kh_grade_settle(c);
    return true;
}

/* Hand the scheme notes over ("" if none). */
static bool kh_grade_scheme(kh_grade_ctx *c, char **out)
{
    if (!out)
        return true;
    *out = c->scheme ? c->scheme : kh_strndup(c->a, "", 0);
    c->scheme = NULL;
    return *out != NULL;
}

/* The remarks block; the last allocation, so nothing fails after it. */
static bool kh_grade_remarks(kh_grade_ctx *c)
{
    if (c->n == 0)
        return true;
    char *block = kh_malloc_big(c->a, c->need);
    if (!block)
        return false;
    kh_grade_place(c, block);
    return true;
}

bool kh_grade_assign(kh_alloc *a, const kh_ir *ir, const kh_dec *rows, size_t n,
                     kh_verdict *v, char **scheme_remarks)
{
    kh_grade_ctx c = { .a = a, .ir = ir, .rows = rows, .n = n, .v = v };
    if (scheme_remarks)
        *scheme_remarks = NULL;
    bool ok = kh_grade_decide(&c) && kh_grade_minimums(&c) &&
              kh_grade_scheme(&c, scheme_remarks) && kh_grade_remarks(&c);
    if (!ok) {
        if (scheme_remarks) {
            kh_free(*scheme_remarks);
            *scheme_remarks = NULL;
        }
        for (size_t i = 0; i < n; i++)
            v[i].remarks = NULL;
    }
    kh_free(c.scheme);
    kh_free(c.slot);
    kh_free(c.groups);
    kh_free(c.taken);
    kh_free(c.text.p);
    kh_free(c.sents);
    kh_free(c.pieces.p);
    kh_free(c.mine);
    kh_free(c.own);
    return ok;
}

void kh_grade_free(kh_verdict *v, size_t n)
{
    if (n > 0)
        kh_free(v[0].remarks);
    for (size_t i = 0; i < n; i++)
        v[i].remarks = NULL;
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
