/* lint_ranges.c — band tables and the grade table: gaps, overlaps,
 * unreachable grades, found on integer lattices. */

#include "lint.h"
/* ------------------------------------------------------ statutory */

/* 以下 and A至B include their upper bound unless 分数上限不含本数
 * (lower.c statutory()). */
static kh_range statutory(const kh_scheme *s, kh_range r)
{
    if (s->upper_exclusive && r.has_hi && r.hi_incl && !(r.has_lo && r.lo == r.hi))
        r.hi_incl = false;
    return r;
}

/* ---------------------------------------------------------- bands */


bool kh_lt_clause_is_rate(const kh_clause *c)
{
    if (c->range.pct || c->step.pct || c->step.points)
        return true;
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].value.pct)
            return true;
    return false;
}

static bool is_numeral_at(const char *t, size_t n, size_t i, size_t *w)
{
    static const char *const cn[] = {"一", "二", "两", "兩", "三", "四", "五", "六", "七", "八", "九",
                                     "十", "百", "千", "万", "萬", "零", "〇", "．"};
    if ((t[i] >= '0' && t[i] <= '9') || t[i] == '.') {
        *w = 1;
        return true;
    }
    if (i + 3 <= n && (unsigned char)t[i] == 0xEF && (unsigned char)t[i + 1] == 0xBC &&
        (unsigned char)t[i + 2] >= 0x90 && (unsigned char)t[i + 2] <= 0x99) {
        *w = 3;
        return true;
    }
    for (size_t k = 0; k < sizeof cn / sizeof cn[0]; k++)
        if (i + strlen(cn[k]) <= n && memcmp(t + i, cn[k], strlen(cn[k])) == 0) {
            *w = strlen(cn[k]);
            return true;
        }
    return false;
}

/* Connectives that may follow a number in a range: 70%至79%, 3次以上. */
static bool range_connective(const char *t, size_t n)
{
    static const char *const ok[] = {"%", "％", "至", "-", "—", "－", "~", "～", "以", "及", "到"};
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
        if (strlen(ok[k]) <= n && memcmp(t, ok[k], strlen(ok[k])) == 0)
            return true;
    return false;
}

/* Whether the numbers in a range's text are counted (3次以上: 1) or
 * measured (1万字, 2小时: −1), or carry no 量词 (0); the 量词 goes to q. */
static int range_counting(const kh_lt *lt, kh_span sp, char *q, size_t qcap)
{
    const char *t = lt->s->src->text + sp.off;
    size_t n = sp.len, i = 0, w;
    int res = 0;
    while (i < n) {
        if (!is_numeral_at(t, n, i, &w)) {
            i++;
            continue;
        }
        while (i < n && is_numeral_at(t, n, i, &w))
            i += w;
        if (i >= n)
            break;
        size_t cl = ((unsigned char)t[i] < 0x80) ? 1 : ((unsigned char)t[i] < 0xE0) ? 2 : 3;
        bool c2 = cl == 3 && i + 6 <= n && kh_lt_counting_quant(t + i, 6);
        bool c1 = !c2 && i + cl <= n && kh_lt_counting_quant(t + i, cl);
        if (c1 || c2) {
            if (q[0] == 0)
                snprintf(q, qcap, "%.*s", (int)(c2 ? 6 : cl), t + i);
            res = res < 0 ? -1 : 1;
        } else if (!range_connective(t + i, n - i)) {
            res = -1;
        }
    }
    return res;
}

static kh_range range_of_cmp(kh_cmp c, kh_dec v, bool pct)
{
    kh_range r = {0};
    r.pct = pct;
    switch (c) {
    case KH_CMP_GE: r.has_lo = r.lo_incl = true; r.lo = v; break;
    case KH_CMP_GT: r.has_lo = true; r.lo = v; break;
    case KH_CMP_LE: r.has_hi = r.hi_incl = true; r.hi = v; break;
    case KH_CMP_LT: r.has_hi = true; r.hi = v; break;
    case KH_CMP_EQ:
        r.has_lo = r.has_hi = r.lo_incl = r.hi_incl = true;
        r.lo = r.hi = v;
        break;
    }
    return r;
}

/* The values a band or threshold applies to, as the lowering tests them:
 * a range under the statutory rule, or the default alternative's
 * comparison (alternatives are compared as written). */
kh_range kh_lt_clause_range(const kh_scheme *s, const kh_clause *c)
{
    if (!c->nalts)
        return statutory(s, c->range);
    int d = 0;
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].who_kind == KH_WHO_DEFAULT) {
            d = i;
            break;
        }
    return range_of_cmp(c->alts[d].cmp, c->alts[d].value.value, c->alts[d].value.pct);
}

void kh_lt_bands_scale(kh_lt *lt, kh_bands *b)
{
    int counting = 1;
    bool any_quant = false;
    for (int i = 0; i < b->n; i++) {
        int rc = range_counting(lt, b->c[i]->range.span, b->quant, sizeof b->quant);
        if (rc < 0)
            counting = -1;
        else if (rc > 0)
            any_quant = true;
    }
    b->g = (!b->pct && counting > 0 && any_quant) ? KH_DEC_ONE : 1;
    if (b->pct)
        b->quant[0] = 0;
}

void kh_lt_bands_collect(kh_lt *lt, const kh_item *it, kh_bands *b)
{
    memset(b, 0, sizeof *b);
    b->it = it;
    b->pts = kh_lt_item_points(it);
    for (int i = 0; i < it->nclauses && b->n < LT_MAXIV; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_BAND) {
            b->c[b->n++] = c;
            b->pct = b->pct || kh_lt_clause_is_rate(c);
        }
    }
    kh_lt_bands_scale(lt, b);
    for (int i = 0; i < b->n; i++) {
        kh_range r = kh_lt_clause_range(lt->s, b->c[i]);
        b->k[i] = kh_lt_kiv_of_range(&r, b->g);
    }
    for (int i = 0; b->n && i < it->nclauses && b->nextra < LT_MAXIV; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_THRESHOLD && c->neffects && kh_lt_clause_is_rate(c) == b->pct) {
            kh_range r = kh_lt_clause_range(lt->s, c);
            b->xc[b->nextra] = c;
            b->extra[b->nextra++] = kh_lt_kiv_of_range(&r, b->g);
        }
    }
}

/* "比率为79.5%" / "数量为6次" */
void kh_lt_band_value_text(const kh_bands *b, kh_dec v, char *buf, size_t cap)
{
    char num[48];
    kh_lt_fmt_value(v, b->pct, num, sizeof num);
    snprintf(buf, cap, "%s为%s%s", b->pct ? "比率" : "数量", num, b->pct ? "" : b->quant);
}

/* What a band gives, comparable between bands: kind and amount. */
void kh_lt_band_result(const kh_clause *c, kh_dec p, int *kind, kh_dec *amount)
{
    *kind = KH_EFF_SET;
    *amount = 0;
    if (!c->neffects)
        return;
    const kh_effect *e = &c->effects[0];
    switch (e->kind) {
    case KH_EFF_SET: *amount = e->amount; break;
    case KH_EFF_FULL: *amount = p; break;
    case KH_EFF_ZERO: break;
    case KH_EFF_PROPORTIONAL: *kind = KH_EFF_PROPORTIONAL; break;
    case KH_EFF_DEDUCT: case KH_EFF_ADD: *amount = e->amount; break;
    }
}

static void band_result_text(const kh_bands *b, const kh_clause *c, char *buf, size_t cap)
{
    int kind;
    kh_dec amount;
    kh_lt_band_result(c, b->pts.p, &kind, &amount);
    if (kind == KH_EFF_PROPORTIONAL) {
        snprintf(buf, cap, "按系数计算");
        return;
    }
    char num[32];
    kh_lt_fmt_dec(amount, num, sizeof num);
    snprintf(buf, cap, "%s分", num);
}

/* Lowest and highest lattice index any band reaches. */
static kh_kiv bands_hull(const kh_bands *b)
{
    kh_kiv h = {K_POS, K_NEG};
    for (int i = 0; i < b->n; i++) {
        h.lo = b->k[i].lo < h.lo ? b->k[i].lo : h.lo;
        h.hi = b->k[i].hi > h.hi ? b->k[i].hi : h.hi;
    }
    return h;
}

/* The interval checked for gaps: from the lowest band (never below 0) to
 * the highest one, and up to 100% on a rate. */
static kh_kiv bands_domain(const kh_bands *b)
{
    kh_kiv d = bands_hull(b);
    if (d.lo < 0)
        d.lo = 0;
    if (b->pct) {
        int64_t full = kh_lt_floor_div(100 * KH_DEC_ONE, b->g);
        if (d.hi >= K_POS)
            d.hi = full;
        else if (d.hi < full)
            d.hi = full;
    }
    return d;
}

/* The band or threshold whose range ends just below (above) a gap. */
static const kh_clause *gap_neighbour(const kh_bands *b, kh_kiv gap, bool above)
{
    const kh_clause *best = NULL;
    int64_t at = 0;
    for (int i = 0; i < b->n + b->nextra; i++) {
        kh_kiv k = i < b->n ? b->k[i] : b->extra[i - b->n];
        const kh_clause *c = i < b->n ? b->c[i] : b->xc[i - b->n];
        if (!above && k.hi < gap.lo && (!best || k.hi > at)) {
            best = c;
            at = k.hi;
        }
        if (above && k.lo > gap.hi && (!best || k.lo < at)) {
            best = c;
            at = k.lo;
        }
    }
    return best;
}

/* 「70%至79%」与「80%以上」之间 */
static void gap_describe(const kh_lt *lt, const kh_bands *b, kh_kiv gap, char *buf, size_t cap)
{
    const kh_clause *below = gap_neighbour(b, gap, false), *above = gap_neighbour(b, gap, true);
    char lo[96] = "", hi[96] = "";
    if (below)
        kh_lt_span_text(lt, below->nalts ? below->alts[0].span : below->range.span, lo, sizeof lo);
    if (above)
        kh_lt_span_text(lt, above->nalts ? above->alts[0].span : above->range.span, hi, sizeof hi);
    if (below && above)
        snprintf(buf, cap, "「%s」与「%s」之间", lo, hi);
    else if (below)
        snprintf(buf, cap, "「%s」以上%s", lo, b->pct ? "至100%" : "");
    else
        snprintf(buf, cap, "「%s」以下", hi);
}

/* 区间空缺: a value between the bands that no band (nor threshold beside
 * them) covers.  One kh_lt_finding per table; the message lists the gaps. */
void kh_lt_lint_band_gaps(kh_lt *lt, const kh_bands *b)
{
    if (b->n < 2)
        return;
    kh_kset cover = {0}, gaps = {0};
    for (int i = 0; i < b->n; i++)
        kh_lt_kset_add(&cover, b->k[i], i);
    for (int i = 0; i < b->nextra; i++)
        kh_lt_kset_add(&cover, b->extra[i], -1);
    kh_lt_kset_gaps(&cover, bands_domain(b), &gaps);
    if (!gaps.n)
        return;
    char where[600] = "", one[256], cx[160], val[96];
    size_t w = 0;
    for (int i = 0; i < gaps.n && i < 6; i++) {
        gap_describe(lt, b, gaps.v[i], one, sizeof one);
        int k = snprintf(where + w, sizeof where - w, "%s%s", i ? "；" : "", one);
        if (k < 0 || (size_t)k >= sizeof where - w)
            break;
        w += (size_t)k;
    }
    kh_lt_band_value_text(b, kh_lt_nice_value(gaps.v[0], b->g), val, sizeof val);
    snprintf(cx, sizeof cx, "%s时不属于任何区间", val);
    kh_span sp = kh_lt_span_join(b->c[0]->span, b->c[b->n - 1]->span);
    kh_lt_finding(lt, KH_ERROR, &kh_lt_m_band_gap, KH_LT_GAP, sp, b->it->label, where, NULL, cx);
}

static bool same_band_result(const kh_bands *b, int i, int j)
{
    int ki, kj;
    kh_dec ai, aj;
    kh_lt_band_result(b->c[i], b->pts.p, &ki, &ai);
    kh_lt_band_result(b->c[j], b->pts.p, &kj, &aj);
    return ki == kj && ai == aj;
}

/* Two ranges both open on the same side: the usual first-match cascade. */
static bool cascade(const kh_range *x, const kh_range *y)
{
    return (!x->has_hi && !y->has_hi) || (!x->has_lo && !y->has_lo);
}

static void band_overlap(kh_lt *lt, const kh_bands *b, int i, int j, kh_kiv both)
{
    char ti[96], tj[96], vi[64], vj[64], val[96], cx[320];
    kh_lt_span_text(lt, b->c[i]->range.span, ti, sizeof ti);
    kh_lt_span_text(lt, b->c[j]->range.span, tj, sizeof tj);
    band_result_text(b, b->c[i], vi, sizeof vi);
    band_result_text(b, b->c[j], vj, sizeof vj);
    kh_lt_band_value_text(b, kh_lt_nice_value(both, b->g), val, sizeof val);
    snprintf(cx, sizeof cx, "%s时同时属于两档，分别得%s和%s", val, vi, vj);
    kh_lt_finding(lt, KH_ERROR, &kh_lt_m_band_overlap, KH_LT_OVERLAP, b->c[j]->span, b->it->label, ti, tj, cx);
}

/* 区间重叠: two bands that give different values to one value. */
void kh_lt_lint_band_overlaps(kh_lt *lt, const kh_bands *b)
{
    kh_kiv nonneg = {0, K_POS};
    for (int j = 1; j < b->n; j++)
        for (int i = 0; i < j; i++) {
            kh_kiv both = kh_lt_kiv_meet(kh_lt_kiv_meet(b->k[i], b->k[j]), nonneg);
            if (kh_lt_kiv_empty(both) || same_band_result(b, i, j))
                continue;
            if (both.lo != both.hi && cascade(&b->c[i]->range, &b->c[j]->range))
                continue;
            band_overlap(lt, b, i, j, both);
            break;
        }
}

/* ------------------------------------------------------------ grades */

typedef struct kh_gctx {
    kh_lv total;
    kh_dec g;
    kh_kiv dom;
    kh_kiv k[LT_MAXIV];         /* each grade's range on the lattice */
    bool cond[LT_MAXIV];        /* has a rank or quota condition */
    bool ranged[LT_MAXIV];
    int n;
} kh_gctx;

/* "0分至110分" / "0分以上" */
static void domain_text(const kh_gctx *gc, char *buf, size_t cap)
{
    char lo[48], hi[48];
    kh_lt_fmt_dec(gc->total.lo, lo, sizeof lo);
    kh_lt_fmt_dec(gc->total.hi, hi, sizeof hi);
    if (gc->total.lo <= -LT_INF && gc->total.hi >= LT_INF)
        snprintf(buf, cap, "任意分数");
    else if (gc->total.hi >= LT_INF)
        snprintf(buf, cap, "%s分以上", lo);
    else if (gc->total.lo <= -LT_INF)
        snprintf(buf, cap, "%s分以下", hi);
    else
        snprintf(buf, cap, "%s分至%s分之间", lo, hi);
}

static kh_span grade_span(const kh_lt *lt, int i)
{
    if (i >= 0 && i < lt->s->ngrades)
        return kh_lt_from_label(lt->s->grades[i].name_span, lt->s->grades[i].span);
    return lt->s->grades_span;
}

/* Text of a grade's score condition as written. */
static void grade_range_text(const kh_lt *lt, int i, char *buf, size_t cap)
{
    buf[0] = 0;
    if (i < 0 || i >= lt->s->ngrades)
        return;
    const kh_grade *g = &lt->s->grades[i];
    for (int k = 0; k < g->nconds; k++)
        if (g->conds[k].kind == KH_GC_SCORE) {
            kh_lt_span_text(lt, g->conds[k].span, buf, cap);
            return;
        }
}

/* Text of a grade's first rank or quota condition. */
static void grade_cond_text(const kh_lt *lt, int i, char *buf, size_t cap)
{
    buf[0] = 0;
    if (i < 0 || i >= lt->s->ngrades)
        return;
    const kh_grade *g = &lt->s->grades[i];
    for (int k = 0; k < g->nconds; k++)
        if (g->conds[k].kind != KH_GC_SCORE) {
            kh_lt_span_text(lt, g->conds[k].span, buf, cap);
            static const char *const joins[] = {"并且", "而且", "且", "并", "並"};
            for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++)
                if (strncmp(buf, joins[j], strlen(joins[j])) == 0) {
                    memmove(buf, buf + strlen(joins[j]), strlen(buf) - strlen(joins[j]) + 1);
                    break;
                }
            return;
        }
}

static bool grades_setup(kh_lt *lt, kh_gctx *gc)
{
    const kh_ir *ir = lt->ir;
    int32_t r = kh_lt_out_reg(lt, ir->total_col);
    if (r < 0)
        return false;
    memset(gc, 0, sizeof *gc);
    gc->total = lt->v[r];
    gc->g = gc->total.g > 0 ? gc->total.g : KH_DEC_ONE;
    gc->dom = kh_lt_kiv_of_lv(gc->total, gc->g);
    gc->n = ir->ngrades < LT_MAXIV ? ir->ngrades : LT_MAXIV;
    for (int i = 0; i < gc->n; i++) {
        const kh_ir_grade *g = &ir->grades[i];
        gc->ranged[i] = g->has_range;
        gc->k[i] = g->has_range ? kh_lt_kiv_of_range(&g->range, gc->g) : (kh_kiv){K_NEG, K_POS};
        gc->cond[i] = g->has_rank || g->has_quota;
    }
    return !kh_lt_kiv_empty(gc->dom);
}

/* The grade whose range starts just above a gap, else the one ending just
 * below it: the line to underline. */
static int grade_near(const kh_gctx *gc, kh_kiv gap)
{
    int best = -1;
    for (int i = 0; i < gc->n; i++)
        if (gc->ranged[i] && gc->k[i].lo > gap.hi && (best < 0 || gc->k[i].lo < gc->k[best].lo))
            best = i;
    if (best >= 0)
        return best;
    for (int i = 0; i < gc->n; i++)
        if (gc->ranged[i] && gc->k[i].hi < gap.lo && (best < 0 || gc->k[i].hi > gc->k[best].hi))
            best = i;
    return best;
}

/* Lowest and highest lattice index the written ranges reach. */
static kh_kiv grades_hull(const kh_gctx *gc)
{
    kh_kiv h = {K_POS, K_NEG};
    for (int i = 0; i < gc->n; i++) {
        if (!gc->ranged[i])
            continue;
        h.lo = gc->k[i].lo < h.lo ? gc->k[i].lo : h.lo;
        h.hi = gc->k[i].hi > h.hi ? gc->k[i].hi : h.hi;
    }
    return h;
}

/* 「60分以下」与「80-95分」之间 */
static void grade_gap_describe(const kh_lt *lt, const kh_gctx *gc, kh_kiv gap, char *buf, size_t cap)
{
    int below = -1, above = -1;
    for (int i = 0; i < gc->n; i++) {
        if (!gc->ranged[i])
            continue;
        if (gc->k[i].hi < gap.lo && (below < 0 || gc->k[i].hi > gc->k[below].hi))
            below = i;
        if (gc->k[i].lo > gap.hi && (above < 0 || gc->k[i].lo < gc->k[above].lo))
            above = i;
    }
    char lo[96], hi[96];
    grade_range_text(lt, below, lo, sizeof lo);
    grade_range_text(lt, above, hi, sizeof hi);
    snprintf(buf, cap, "「%s」与「%s」之间", lo, hi);
}

/* 区间空缺 inside the written ranges, 等次缺口 outside them. */
static void lint_grade_gaps(kh_lt *lt, const kh_gctx *gc, kh_kset *gaps)
{
    kh_kset all = {0};
    for (int i = 0; i < gc->n; i++)
        kh_lt_kset_add(&all, gc->k[i], i);
    kh_lt_kset_gaps(&all, gc->dom, gaps);
    kh_kiv hull = grades_hull(gc);
    for (int i = 0; i < gaps->n; i++) {
        kh_kiv gap = gaps->v[i];
        char v[48], cx[160];
        kh_lt_fmt_dec(kh_lt_nice_value(gap, gc->g), v, sizeof v);
        snprintf(cx, sizeof cx, "得分为%s时不属于任何等次", v);
        kh_span sp = grade_span(lt, grade_near(gc, gap));
        if (gap.lo > hull.lo && gap.hi < hull.hi) {
            char where[256];
            grade_gap_describe(lt, gc, gap, where, sizeof where);
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_gap, KH_LT_GAP, sp, where, NULL, NULL, cx);
        } else
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_outside, KH_LT_GRADE, sp, v, NULL, NULL, cx);
    }
}

/* 等次缺口: totals covered only by grades whose rank or quota may fail. */
static void lint_grade_conditions(kh_lt *lt, const kh_gctx *gc, const kh_kset *gaps)
{
    kh_kset unc = *gaps, left = {0};
    for (int i = 0; i < gc->n; i++)
        if (!gc->cond[i])
            kh_lt_kset_add(&unc, gc->k[i], i);
    kh_lt_kset_gaps(&unc, gc->dom, &left);
    for (int i = 0; i < left.n; i++) {
        kh_dec v = kh_lt_nice_value(left.v[i], gc->g);
        int who = -1;
        for (int j = 0; j < gc->n && who < 0; j++)
            if (gc->cond[j] && gc->k[j].lo <= v / gc->g && v / gc->g <= gc->k[j].hi)
                who = j;
        if (who < 0)
            continue;
        char num[48], cond[96], cx[256], range[160];
        kh_lt_fmt_dec(v, num, sizeof num);
        grade_cond_text(lt, who, cond, sizeof cond);
        kh_kiv in = left.v[i];
        if (in.hi >= K_POS || in.lo == in.hi)
            snprintf(range, sizeof range, "%s分", num);
        else {
            char hi[48];
            kh_lt_fmt_dec(in.hi * gc->g, hi, sizeof hi);
            snprintf(range, sizeof range, "%s分至%s分", num, hi);
        }
        if (in.hi >= K_POS)
            strncat(range, "以上", sizeof range - strlen(range) - 1);
        if (lt->ir->grades[who].has_rank)
            snprintf(cx, sizeof cx, "得分为%s且不满足「%s」时不属于任何等次", num, cond);
        else
            snprintf(cx, sizeof cx, "得分为%s且「%s」名额已满时不属于任何等次", num, cond);
        kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_cond, KH_LT_GRADE, grade_span(lt, who), lt->ir->grades[who].name, cond, range,
                cx);
    }
}

static void grade_overlap(kh_lt *lt, const kh_gctx *gc, int i, int j, kh_kiv both)
{
    char v[48], cx[256];
    kh_lt_fmt_dec(kh_lt_nice_value(both, gc->g), v, sizeof v);
    snprintf(cx, sizeof cx, "得分为%s时同时属于「%s」和「%s」", v, lt->ir->grades[i].name, lt->ir->grades[j].name);
    kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_overlap, KH_LT_OVERLAP, grade_span(lt, j), lt->ir->grades[i].name,
            lt->ir->grades[j].name, NULL, cx);
}

/* 区间重叠: a boundary shared by two grades, or unconditional grades that
 * overlap beyond a first-match cascade. */
static void lint_grade_overlaps(kh_lt *lt, const kh_gctx *gc, const bool *hidden)
{
    for (int j = 1; j < gc->n; j++) {
        if (!gc->ranged[j] || hidden[j])
            continue;
        for (int i = 0; i < j; i++) {
            if (!gc->ranged[i])
                continue;
            kh_kiv both = kh_lt_kiv_meet(kh_lt_kiv_meet(gc->k[i], gc->k[j]), gc->dom);
            if (kh_lt_kiv_empty(both))
                continue;
            bool point = both.lo == both.hi;
            bool casc = cascade(&lt->ir->grades[i].range, &lt->ir->grades[j].range);
            if (point || (!gc->cond[i] && !gc->cond[j] && !casc)) {
                grade_overlap(lt, gc, i, j, both);
                break;
            }
        }
    }
}

/* 等次缺口: grades outside the possible totals, or hidden by earlier ones;
 * hidden[j] says so (an overlap would only repeat it). */
static void lint_grade_reach(kh_lt *lt, const kh_gctx *gc, bool *hidden)
{
    for (int j = 0; j < gc->n; j++) {
        hidden[j] = false;
        if (!gc->ranged[j])
            continue;
        kh_kiv mine = kh_lt_kiv_meet(gc->k[j], gc->dom);
        char r[96], dom[160];
        if (kh_lt_kiv_empty(mine)) {
            grade_range_text(lt, j, r, sizeof r);
            domain_text(gc, dom, sizeof dom);
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_unreach, KH_LT_GRADE, grade_span(lt, j), lt->ir->grades[j].name, r, dom,
                    NULL);
            hidden[j] = true;
            continue;
        }
        kh_kset before = {0}, left = {0};
        for (int i = 0; i < j; i++)
            if (!gc->cond[i])
                kh_lt_kset_add(&before, gc->k[i], i);
        kh_lt_kset_gaps(&before, mine, &left);
        hidden[j] = !left.n;
        if (hidden[j])
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_grade_shadow, KH_LT_GRADE, grade_span(lt, j), lt->ir->grades[j].name, NULL, NULL,
                    NULL);
    }
}

/* 等次缺口: quotas that contradict themselves or each other. */
void kh_lt_lint_quotas(kh_lt *lt)
{
    const kh_ir *ir = lt->ir;
    kh_dec pct = 0;
    bool reported = false;
    for (int i = 0; i < ir->ngrades; i++) {
        const kh_ir_grade *g = &ir->grades[i];
        if (!g->has_quota)
            continue;
        if (g->quota_min > g->quota) {
            char a[48], b[48];
            kh_lt_fmt_dec(g->quota_min, a, sizeof a);
            kh_lt_fmt_dec(g->quota, b, sizeof b);
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_quota_minmax, KH_LT_GRADE, grade_span(lt, i), g->name, a, b, NULL);
        }
        if (g->quota_pct)
            pct += g->quota;
        if (pct > 100 * KH_DEC_ONE && !reported) {
            char a[48];
            kh_lt_fmt_dec(pct, a, sizeof a);
            kh_lt_finding(lt, KH_ERROR, &kh_lt_m_quota_sum, KH_LT_GRADE, grade_span(lt, i), a, NULL, NULL, NULL);
            reported = true;
        }
    }
}

void kh_lt_lint_grades(kh_lt *lt)
{
    kh_gctx gc;
    if (!lt->ir->ngrades || !grades_setup(lt, &gc))
        return;
    kh_kset gaps = {0};
    lint_grade_gaps(lt, &gc, &gaps);
    lint_grade_conditions(lt, &gc, &gaps);
    bool hidden[LT_MAXIV];
    lint_grade_reach(lt, &gc, hidden);
    lint_grade_overlaps(lt, &gc, hidden);
}

