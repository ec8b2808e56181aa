/* lower.c — AST → IR: the exact meaning of every construct.
 *
 * Each item becomes straight-line code that reads its measures and computes
 * its score; sections add their items, apply caps and floors; the total adds
 * the sections and the capped bonus.  The order (docs/reference.md §3):
 *
 *   item    = start + earned + additions(capped) − deductions, floored
 *   section = start + Σ children, additions capped, floored
 *   total   = 基础分 + Σ sections + bonus(capped)
 *
 * where an item starts at its points unless a clause earns them (a band, an
 * all-or-nothing, an evaluator's score, a 得N分 threshold), and a section
 * starts at its base unless its children carry points of their own (then its
 * number is the declared total, which the linter checks).
 */
#include <string.h>

#include "compiler.h"

static const kh_msg m_nomem = {"E040", "内存不足", "out of memory", NULL, NULL};

typedef struct kh_lw {
    kh_diags *d;
    const kh_scheme *s;
    kh_ir *ir;
    kh_arena *ar;
    int capins, capmeas, capcols, capitems, capsecs, caplevels, caproles, capunits, captiers;
    int32_t zero;             /* register holding 0 */
} kh_lw;

/* ------------------------------------------------------------ emitting */

static bool grow(kh_lw *w, void **v, int32_t *n, int *cap, size_t elem)
{
    int nn = *n;
    bool ok = kh_arena_grow(w->ar, v, &nn, cap, elem);
    return ok;
}

static int32_t emit(kh_lw *w, kh_op op, int32_t a, int32_t b, int32_t c, int64_t imm, kh_span sp, kh_note note,
                    int32_t owner)
{
    kh_ir *ir = w->ir;
    if (!grow(w, (void **)&ir->ins, &ir->nins, &w->capins, sizeof *ir->ins))
        return w->zero >= 0 ? w->zero : 0;
    kh_ins *p = &ir->ins[ir->nins];
    p->op = op;
    p->a = a;
    p->b = b;
    p->c = c;
    p->imm = imm;
    p->span = sp;
    p->note = note;
    p->owner = owner;
    return ir->nins++;
}

static int32_t K(kh_lw *w, kh_dec v, kh_span sp)
{
    if (v == 0 && w->zero >= 0)
        return w->zero;
    return emit(w, KH_OP_CONST, -1, -1, -1, v, sp, KH_N_NONE, -1);
}

static int32_t op2(kh_lw *w, kh_op op, int32_t a, int32_t b, kh_span sp)
{
    /* x + 0, 0 + x and x − 0 need no instruction */
    if (w->zero >= 0 && (op == KH_OP_ADD || op == KH_OP_SUB) && b == w->zero)
        return a;
    if (w->zero >= 0 && op == KH_OP_ADD && a == w->zero)
        return b;
    return emit(w, op, a, b, -1, 0, sp, KH_N_NONE, -1);
}

static int32_t sel(kh_lw *w, int32_t cond, int32_t a, int32_t b, kh_span sp)
{
    return emit(w, KH_OP_SELECT, cond, a, b, 0, sp, KH_N_NONE, -1);
}

static char *dup(kh_lw *w, const char *s)
{
    return s ? kh_arena_strndup(w->ar, s, strlen(s)) : NULL;
}

/* ------------------------------------------------------------ interning */

static int32_t measure(kh_lw *w, const char *label, bool leader, kh_span sp)
{
    kh_ir *ir = w->ir;
    for (int32_t i = 0; i < ir->nmeasures; i++)
        if (ir->measures[i].leader == leader && strcmp(ir->measures[i].label, label) == 0)
            return i;
    if (!grow(w, (void **)&ir->measures, &ir->nmeasures, &w->capmeas, sizeof *ir->measures))
        return 0;
    kh_measure *m = &ir->measures[ir->nmeasures];
    memset(m, 0, sizeof *m);
    m->label = dup(w, label);
    m->leader = leader;
    m->span = sp;
    return ir->nmeasures++;
}

static int32_t intern(kh_lw *w, char ***v, int32_t *n, int *cap, const char *name)
{
    for (int32_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return i;
    if (!grow(w, (void **)v, n, cap, sizeof **v))
        return 0;
    (*v)[*n] = dup(w, name);
    return (*n)++;
}

static int32_t col(kh_lw *w, kh_col_kind kind, const char *title, int32_t index, bool top, kh_span sp)
{
    kh_ir *ir = w->ir;
    if (!grow(w, (void **)&ir->cols, &ir->ncols, &w->capcols, sizeof *ir->cols))
        return 0;
    kh_col *c = &ir->cols[ir->ncols];
    c->kind = kind;
    c->title = dup(w, title);
    c->index = index;
    c->top = top;
    c->span = sp;
    return ir->ncols++;
}

static void out(kh_lw *w, int32_t reg, int32_t column, kh_span sp, kh_note note, int32_t owner)
{
    emit(w, KH_OP_OUT, reg, -1, -1, column, sp, note, owner);
}

/* ------------------------------------------------------------ measures */

/* Σ 数量, or the mean when the quantity is a rate. */
static int32_t read_measure(kh_lw *w, const char *label, bool leader, bool rate, kh_span sp, int32_t owner)
{
    int32_t m = measure(w, label, leader, sp);
    return emit(w, rate ? KH_OP_MEAN : KH_OP_SUM, -1, -1, -1, m, sp, KH_N_MEASURE, owner);
}

static int32_t count_measure(kh_lw *w, const char *label, kh_span sp, int32_t owner)
{
    int32_t m = measure(w, label, false, sp);
    return emit(w, KH_OP_COUNT, -1, -1, -1, m, sp, KH_N_MEASURE, owner);
}

/* ------------------------------------------------------- comparisons */

static int32_t compare(kh_lw *w, int32_t x, kh_cmp c, int32_t t, kh_span sp)
{
    switch (c) {
    case KH_CMP_GE: return op2(w, KH_OP_LE, t, x, sp);
    case KH_CMP_GT: return op2(w, KH_OP_LT, t, x, sp);
    case KH_CMP_LE: return op2(w, KH_OP_LE, x, t, sp);
    case KH_CMP_LT: return op2(w, KH_OP_LT, x, t, sp);
    case KH_CMP_EQ: return op2(w, KH_OP_EQ, x, t, sp);
    }
    return w->zero;
}

/* 以下 and A至B include their upper bound unless 分数上限不含本数. */
static kh_range statutory(kh_lw *w, kh_range r)
{
    if (w->s->upper_exclusive && r.has_hi && r.hi_incl && !(r.has_lo && r.lo == r.hi))
        r.hi_incl = false;
    return r;
}

static int32_t in_range(kh_lw *w, int32_t x, kh_range r, kh_span sp)
{
    r = statutory(w, r);
    int32_t lo = -1, hi = -1;
    if (r.has_lo)
        lo = r.lo_incl ? op2(w, KH_OP_LE, K(w, r.lo, sp), x, sp) : op2(w, KH_OP_LT, K(w, r.lo, sp), x, sp);
    if (r.has_hi)
        hi = r.hi_incl ? op2(w, KH_OP_LE, x, K(w, r.hi, sp), sp) : op2(w, KH_OP_LT, x, K(w, r.hi, sp), sp);
    if (lo >= 0 && hi >= 0)
        return op2(w, KH_OP_MIN, lo, hi, sp);
    if (lo >= 0)
        return lo;
    if (hi >= 0)
        return hi;
    return K(w, KH_DEC_ONE, sp);
}

/* Does this entity match an alternative's who? */
static int32_t who_test(kh_lw *w, const kh_alt *a)
{
    kh_ir *ir = w->ir;
    switch (a->who_kind) {
    case KH_WHO_DEFAULT:
        return K(w, KH_DEC_ONE, a->span);
    case KH_WHO_ROLE: {
        int32_t r = intern(w, &ir->roles, &ir->nroles, &w->caproles, a->who);
        int32_t attr = emit(w, KH_OP_ATTR, -1, -1, -1, KH_ATTR_ROLE, a->span, KH_N_NONE, -1);
        return op2(w, KH_OP_EQ, attr, K(w, r + 1, a->span), a->span);
    }
    case KH_WHO_UNIT: {
        int32_t u = intern(w, &ir->units, &ir->nunits, &w->capunits, a->who);
        int32_t attr = emit(w, KH_OP_ATTR, -1, -1, -1, KH_ATTR_UNIT, a->span, KH_N_NONE, -1);
        return op2(w, KH_OP_EQ, attr, K(w, u + 1, a->span), a->span);
    }
    case KH_WHO_SIZE: {
        int32_t size = emit(w, KH_OP_ATTR, -1, -1, -1, KH_ATTR_SIZE, a->span, KH_N_NONE, -1);
        return compare(w, size, a->size_cmp, K(w, a->size_n, a->span), a->span);
    }
    }
    return w->zero;
}

static int default_alt(const kh_clause *c)
{
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].who_kind == KH_WHO_DEFAULT)
            return i;
    return 0;
}

/* 1000 when the measure meets the alternative that applies to this entity. */
static int32_t alt_cond(kh_lw *w, const kh_clause *c, int32_t x)
{
    int d = default_alt(c);
    int32_t res = compare(w, x, c->alts[d].cmp, K(w, c->alts[d].value.value, c->alts[d].span), c->alts[d].span);
    for (int i = c->nalts - 1; i >= 0; i--) {
        if (i == d)
            continue;
        const kh_alt *a = &c->alts[i];
        int32_t t = compare(w, x, a->cmp, K(w, a->value.value, a->span), a->span);
        res = sel(w, who_test(w, a), t, res, a->span);
    }
    return res;
}

/* The target that applies to this entity. */
static int32_t alt_value(kh_lw *w, const kh_clause *c)
{
    int d = default_alt(c);
    int32_t res = K(w, c->alts[d].value.value, c->alts[d].span);
    for (int i = c->nalts - 1; i >= 0; i--) {
        if (i == d)
            continue;
        res = sel(w, who_test(w, &c->alts[i]), K(w, c->alts[i].value.value, c->alts[i].span), res, c->alts[i].span);
    }
    return res;
}

static bool clause_is_rate(const kh_clause *c)
{
    if (c->range.pct || c->step.pct || c->step.points)
        return true;
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].value.pct)
            return true;
    return false;
}

/* ---------------------------------------------------------------- items */

typedef struct kh_acc {
    int32_t earned, adds, deds;     /* registers; deds holds a negative sum */
} kh_acc;

static void acc_add(kh_lw *w, int32_t *into, int32_t v, kh_span sp)
{
    *into = op2(w, KH_OP_ADD, *into, v, sp);
}

typedef struct kh_itemctx {
    const kh_item *it;
    int32_t index;            /* ir->items */
    bool has_points;
    kh_dec points;
    const kh_clause *target;  /* last TARGET or THRESHOLD with alternatives */
    bool dedupe;
    bool earning;
    kh_acc acc;
} kh_itemctx;

/* What an explanation quotes for one effect: the clause, or just the effect
 * when the clause has several (分管领导扣1分、责任人扣2分). */
static kh_span effect_span(const kh_clause *c, const kh_effect *e)
{
    return c->neffects > 1 ? e->span : c->span;
}

/* Put one effect's value (amount × n) where it belongs. */
static void apply_effect(kh_lw *w, kh_itemctx *ic, const kh_effect *e, int32_t n, kh_span sp)
{
    /* deductions are negative from here on, so explanations show their sign */
    kh_dec amount = e->kind == KH_EFF_DEDUCT ? -e->amount : e->amount;
    int32_t v = op2(w, KH_OP_MUL, K(w, amount, e->span), n, sp);
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, sp, KH_N_CLAUSE, ic->index);
    switch (e->kind) {
    case KH_EFF_DEDUCT: acc_add(w, &ic->acc.deds, v, sp); break;
    case KH_EFF_ADD: acc_add(w, &ic->acc.adds, v, sp); break;
    case KH_EFF_SET: acc_add(w, ic->earning ? &ic->acc.earned : &ic->acc.adds, v, sp); break;
    case KH_EFF_FULL: case KH_EFF_ZERO: case KH_EFF_PROPORTIONAL: break;
    }
}

/* Per occurrence: amount × Σ数量 (÷ step in whole steps when step > 1). */
static void lower_per(kh_lw *w, kh_itemctx *ic, const kh_clause *c)
{
    for (int k = 0; k < c->neffects; k++) {
        const kh_effect *e = &c->effects[k];
        for (int who = KH_TO_SELF; who <= KH_TO_LEADER; who <<= 1) {
            if (!(e->to & who))
                continue;
            int32_t x = read_measure(w, ic->it->label, who == KH_TO_LEADER, false, c->span, ic->index);
            int32_t n = c->step.value == KH_DEC_ONE || c->step.value == 0
                            ? x
                            : op2(w, KH_OP_STEPS, x, K(w, c->step.value, c->step.span), c->span);
            kh_effect one = *e;
            if (one.kind == KH_EFF_SET)
                one.kind = KH_EFF_ADD;
            apply_effect(w, ic, &one, n, effect_span(c, e));
        }
    }
}

static void lower_threshold(kh_lw *w, kh_itemctx *ic, const kh_clause *c)
{
    int32_t x = read_measure(w, ic->it->label, false, clause_is_rate(c), c->span, ic->index);
    int32_t cond = c->nalts ? alt_cond(w, c, x) : in_range(w, x, c->range, c->span);
    for (int k = 0; k < c->neffects; k++)
        apply_effect(w, ic, &c->effects[k], cond, effect_span(c, &c->effects[k]));
}

static void lower_short_excess(kh_lw *w, kh_itemctx *ic, const kh_clause *c, bool excess)
{
    if (!ic->target)
        return;   /* kh_check reported it */
    bool rate = clause_is_rate(c) || clause_is_rate(ic->target);
    int32_t t = ic->target->nalts ? alt_value(w, ic->target)
                                  : K(w, ic->target->range.has_lo ? ic->target->range.lo : ic->target->range.hi,
                                      ic->target->span);
    int32_t step = K(w, c->step.value ? c->step.value : KH_DEC_ONE, c->step.span);
    int32_t n_self = -1, n_leader = -1;
    for (int k = 0; k < c->neffects; k++) {
        const kh_effect *e = &c->effects[k];
        if ((e->to & KH_TO_SELF) && n_self < 0) {
            int32_t x = read_measure(w, ic->it->label, false, rate, c->span, ic->index);
            int32_t gap = excess ? op2(w, KH_OP_SUB, x, t, c->span) : op2(w, KH_OP_SUB, t, x, c->span);
            gap = op2(w, KH_OP_MAX, gap, w->zero, c->span);
            n_self = op2(w, KH_OP_STEPS, gap, step, c->span);
        }
        if ((e->to & KH_TO_LEADER) && n_leader < 0) {
            /* the leader answers for each subordinate's own gap */
            int32_t m = measure(w, ic->it->label, true, c->span);
            int64_t mode = m | (excess ? KH_MSTEPS_EXCESS : 0) | (rate ? KH_MSTEPS_RATE : 0);
            n_leader = emit(w, KH_OP_MSTEPS, t, step, -1, mode, c->span, KH_N_MEASURE, ic->index);
        }
        if (e->to & KH_TO_SELF)
            apply_effect(w, ic, e, n_self, effect_span(c, e));
        if (e->to & KH_TO_LEADER)
            apply_effect(w, ic, e, n_leader, effect_span(c, e));
    }
}

static void lower_missing(kh_lw *w, kh_itemctx *ic, const kh_clause *c)
{
    int32_t m = measure(w, ic->it->label, false, c->span);
    int32_t have = emit(w, KH_OP_MEMBERS, -1, -1, -1, m, c->span, KH_N_MEASURE, ic->index);
    int32_t size = emit(w, KH_OP_ATTR, -1, -1, -1, KH_ATTR_SIZE, c->span, KH_N_NONE, -1);
    int32_t miss = op2(w, KH_OP_MAX, op2(w, KH_OP_SUB, size, have, c->span), w->zero, c->span);
    int32_t n = op2(w, KH_OP_STEPS, miss, K(w, c->step.value ? c->step.value : KH_DEC_ONE, c->step.span), c->span);
    for (int k = 0; k < c->neffects; k++)
        apply_effect(w, ic, &c->effects[k], n, effect_span(c, &c->effects[k]));
}

static void lower_all_or_none(kh_lw *w, kh_itemctx *ic, const kh_clause *c)
{
    int32_t cnt = count_measure(w, ic->it->label, c->span, ic->index);
    int32_t done = op2(w, KH_OP_LT, w->zero, cnt, c->span);
    kh_dec v = ic->points;
    if (c->neffects && c->effects[0].kind == KH_EFF_SET)
        v = c->effects[0].amount;
    int32_t r = op2(w, KH_OP_MUL, K(w, v, c->span), done, c->span);
    r = emit(w, KH_OP_ADD, r, w->zero, -1, 0, c->span, KH_N_CLAUSE, ic->index);
    acc_add(w, &ic->acc.earned, r, c->span);
}

/* The value a band gives when it matches. */
static int32_t band_value(kh_lw *w, kh_itemctx *ic, const kh_clause *c, int32_t x)
{
    if (!c->neffects)
        return w->zero;
    const kh_effect *e = &c->effects[0];
    switch (e->kind) {
    case KH_EFF_SET: return K(w, e->amount, e->span);
    case KH_EFF_FULL: return K(w, ic->points, e->span);
    case KH_EFF_ZERO: return w->zero;
    case KH_EFF_PROPORTIONAL: {
        /* points × rate%, rounded once at the end */
        int32_t p = op2(w, KH_OP_MUL, K(w, ic->points, e->span), x, e->span);
        return op2(w, KH_OP_MUL, p, K(w, 10, e->span), e->span);
    }
    case KH_EFF_DEDUCT: case KH_EFF_ADD: break;
    }
    return K(w, e->amount, e->span);
}

/* All bands of an item form one table: the first band holding the value wins. */
static void lower_bands(kh_lw *w, kh_itemctx *ic)
{
    const kh_item *it = ic->it;
    int first = -1;
    bool rate = false;
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_BAND) {
            if (first < 0)
                first = i;
            rate = rate || clause_is_rate(&it->clauses[i]);
        }
    if (first < 0)
        return;
    int32_t x = read_measure(w, it->label, false, rate, it->clauses[first].span, ic->index);
    int32_t v = w->zero;
    for (int i = it->nclauses - 1; i >= 0; i--) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind != KH_CL_BAND)
            continue;
        int32_t hit = in_range(w, x, c->range, c->span);
        v = sel(w, hit, band_value(w, ic, c, x), v, c->span);
    }
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, it->clauses[first].span, KH_N_CLAUSE, ic->index);
    acc_add(w, &ic->acc.earned, v, it->clauses[first].span);
}

static void lower_evaluator(kh_lw *w, kh_itemctx *ic, const kh_clause *c)
{
    int32_t m = measure(w, ic->it->label, false, c->span);
    kh_measure *ms = &w->ir->measures[m];
    kh_range r = c->range.has_hi ? c->range : ic->it->attrs.range;
    if (r.has_hi) {
        ms->has_range = true;
        ms->lo = r.has_lo ? r.lo : 0;
        ms->hi = r.hi;
    } else if (ic->has_points) {
        ms->has_range = true;
        ms->lo = 0;
        ms->hi = ic->points;
    }
    int32_t v = emit(w, KH_OP_MEAN, -1, -1, -1, m, c->span, KH_N_MEASURE, ic->index);
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, c->span, KH_N_CLAUSE, ic->index);
    acc_add(w, &ic->acc.earned, v, c->span);
}

/* Tier tables of an item merge into one; 同项按最高级别 applies to it. */
static void lower_tiers(kh_lw *w, kh_itemctx *ic)
{
    const kh_item *it = ic->it;
    kh_ir *ir = w->ir;
    int first = -1;
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_TIER && first < 0)
            first = i;
    if (first < 0)
        return;
    /* every level any table names, in the standard order first */
    static const char *const std[] = {"国家级", "省级", "市级", "县级", "区级"};
    for (int i = 0; i < 5; i++)
        intern(w, &ir->levels, &ir->nlevels, &w->caplevels, std[i]);
    for (int i = 0; i < it->nclauses; i++)
        for (int k = 0; it->clauses[i].kind == KH_CL_TIER && k < it->clauses[i].ntiers; k++)
            intern(w, &ir->levels, &ir->nlevels, &w->caplevels, it->clauses[i].tiers[k].level);
    if (!grow(w, (void **)&ir->tiers, &ir->ntiers, &w->captiers, sizeof *ir->tiers))
        return;
    kh_tiertab *t = &ir->tiers[ir->ntiers];
    memset(t, 0, sizeof *t);
    t->measure = measure(w, it->label, false, it->clauses[first].span);
    t->dedupe = ic->dedupe;
    t->span = it->clauses[first].span;
    /* levels may still grow for later items: size the table generously */
    t->amount = kh_arena_alloc(w->ar, 64 * sizeof *t->amount);
    if (!t->amount)
        return;
    for (int i = 0; i < it->nclauses; i++)
        for (int k = 0; it->clauses[i].kind == KH_CL_TIER && k < it->clauses[i].ntiers; k++) {
            int32_t l = intern(w, &ir->levels, &ir->nlevels, &w->caplevels, it->clauses[i].tiers[k].level);
            if (l < 64)
                t->amount[l] = it->clauses[i].tiers[k].amount;
        }
    int32_t tab = ir->ntiers++;
    int32_t v = emit(w, KH_OP_TIER, -1, -1, -1, tab, t->span, KH_N_MEASURE, ic->index);
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, t->span, KH_N_CLAUSE, ic->index);
    acc_add(w, &ic->acc.adds, v, t->span);
}

static void item_points(kh_itemctx *ic)
{
    const kh_item *it = ic->it;
    if (it->attrs.has_full) {
        ic->has_points = true;
        ic->points = it->attrs.full;
    } else if (it->attrs.has_base) {
        ic->has_points = true;
        ic->points = it->attrs.base;
    } else if (it->attrs.has_range && it->attrs.range.has_hi) {
        ic->has_points = true;
        ic->points = it->attrs.range.hi;
    }
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_FULL && c->range.has_hi) {
            ic->has_points = true;
            ic->points = c->range.hi;
        }
        if (c->kind == KH_CL_EVALUATOR && c->range.has_hi && !ic->has_points) {
            ic->has_points = true;
            ic->points = c->range.hi;
        }
        if (c->kind == KH_CL_DEDUPE)
            ic->dedupe = true;
        if (kh_clause_earns(c))
            ic->earning = true;
    }
    /* an item with a range in （1—3分） and no clauses is scored by an evaluator */
}

static bool item_no_floor(const kh_item *it)
{
    if (it->attrs.no_floor)
        return true;
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_NO_FLOOR)
            return true;
    return false;
}

static int32_t lower_item(kh_lw *w, const kh_item *it, int32_t section, const char *path, bool *carries)
{
    kh_ir *ir = w->ir;
    int capitems = w->capitems;
    if (!grow(w, (void **)&ir->items, &ir->nitems, &capitems, sizeof *ir->items))
        return w->zero;
    w->capitems = capitems;
    kh_ir_item *ii = &ir->items[ir->nitems];
    ii->label = dup(w, it->label);
    ii->path = dup(w, path);
    ii->section = section;
    ii->span = it->span;
    kh_itemctx ic = {0};
    ic.it = it;
    ic.index = ir->nitems++;
    item_points(&ic);
    ic.acc.earned = ic.acc.adds = ic.acc.deds = w->zero;
    bool floor = false, evaluated = false;
    const kh_clause *scale = NULL;
    kh_dec cap = 0;
    bool has_cap = it->attrs.has_cap;
    if (has_cap)
        cap = it->attrs.cap;
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        switch (c->kind) {
        case KH_CL_PER: lower_per(w, &ic, c); break;
        case KH_CL_ALL_OR_NONE: lower_all_or_none(w, &ic, c); break;
        case KH_CL_THRESHOLD:
            if (c->nalts)
                ic.target = c;
            lower_threshold(w, &ic, c);
            break;
        case KH_CL_TARGET: ic.target = c; break;
        case KH_CL_BAND:
            if (c->range.has_lo && !c->range.has_hi)
                ic.target = c;   /* 12篇以上得2分: the target of 超额… */
            break;
        case KH_CL_SHORTFALL: lower_short_excess(w, &ic, c, false); break;
        case KH_CL_EXCESS: lower_short_excess(w, &ic, c, true); break;
        case KH_CL_MISSING: lower_missing(w, &ic, c); break;
        case KH_CL_EVALUATOR: lower_evaluator(w, &ic, c); evaluated = true; break;
        case KH_CL_SCALE: scale = c; break;
        case KH_CL_FLOOR: floor = true; break;
        case KH_CL_CAP: has_cap = true; cap = c->range.hi; break;
        case KH_CL_TIER: case KH_CL_DEDUPE: case KH_CL_NO_FLOOR: case KH_CL_FULL:
        case KH_CL_BASE: case KH_CL_RANK: case KH_CL_QUOTA: case KH_CL_RATE_AS: case KH_CL_FLAG:
        case KH_CL_NOTE: case KH_CL_INVALID:
            break;
        }
    }
    if (!evaluated && !it->nclauses && it->attrs.has_range) {
        kh_clause c = {0};
        c.kind = KH_CL_EVALUATOR;
        c.span = it->span;
        c.range = it->attrs.range;
        lower_evaluator(w, &ic, &c);
        ic.earning = true;
    }
    lower_bands(w, &ic);
    lower_tiers(w, &ic);

    kh_span sp = it->span;
    /* a base (基本分15分, （15分）) is where deductions start; 满分 only bounds */
    int32_t start = (it->attrs.has_base && !ic.earning) ? K(w, it->attrs.base, sp) : w->zero;
    ir->items[ic.index].start = (it->attrs.has_base && !ic.earning) ? it->attrs.base : 0;
    ir->items[ic.index].has_points = ic.has_points;
    int32_t adds = ic.acc.adds;
    if (has_cap)
        adds = emit(w, KH_OP_CAP, adds, K(w, cap, sp), -1, 0, sp, KH_N_CAP, ic.index);
    int32_t v = op2(w, KH_OP_ADD, start, ic.acc.earned, sp);
    v = op2(w, KH_OP_ADD, v, adds, sp);
    v = op2(w, KH_OP_ADD, v, ic.acc.deds, sp);
    if ((floor || it->attrs.floor || ic.has_points) && !item_no_floor(it))
        v = emit(w, KH_OP_FLOOR, v, -1, -1, 0, sp, KH_N_FLOOR, ic.index);
    if (it->attrs.has_full)
        v = emit(w, KH_OP_CAP, v, K(w, it->attrs.full, sp), -1, 0, sp, KH_N_CAP, ic.index);
    if (scale) {
        if (scale->scale_pct) {
            v = op2(w, KH_OP_MUL, v, K(w, scale->scale, scale->span), scale->span);
            v = op2(w, KH_OP_MUL, v, K(w, 10, scale->span), scale->span);
        } else if (ic.has_points && ic.points) {
            v = op2(w, KH_OP_MUL, v, K(w, scale->scale, scale->span), scale->span);
            v = op2(w, KH_OP_DIV, v, K(w, ic.points, scale->span), scale->span);
        }
    }
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, sp, KH_N_ITEM, ic.index);
    out(w, v, col(w, KH_COL_ITEM, it->label, ic.index, false, sp), sp, KH_N_ITEM, ic.index);
    *carries = ic.has_points;
    return v;
}

/* ------------------------------------------------------------- sections */

static bool section_no_floor(const kh_section *sec)
{
    if (sec->attrs.no_floor)
        return true;
    for (int i = 0; i < sec->nitems; i++)
        if (item_no_floor(&sec->items[i]))
            return true;
    for (int i = 0; i < sec->nsubs; i++)
        if (section_no_floor(&sec->subs[i]))
            return true;
    return false;
}

static int32_t lower_section(kh_lw *w, const kh_section *sec, int32_t parent, const char *path, bool *carries)
{
    kh_ir *ir = w->ir;
    int capsecs = w->capsecs;
    if (!grow(w, (void **)&ir->sections, &ir->nsections, &capsecs, sizeof *ir->sections))
        return w->zero;
    w->capsecs = capsecs;
    int32_t idx = ir->nsections++;
    kh_ir_section *is = &ir->sections[idx];
    is->title = dup(w, sec->title);
    is->path = dup(w, path);
    is->parent = parent;
    is->bonus = sec->bonus;
    is->span = sec->span;

    /* children with points of their own are scores; the others are
     * additions and deductions, and only additions count against a cap */
    bool any_points = false;
    int32_t scored = w->zero, adds = w->zero, deds = w->zero;
    char sub[128];
    int n = sec->nitems + sec->nsubs;
    for (int i = 0; i < n; i++) {
        bool cp = false;
        int32_t v;
        if (i < sec->nitems) {
            snprintf(sub, sizeof sub, "%s.%d", path, i + 1);
            v = lower_item(w, &sec->items[i], idx, sub, &cp);
        } else {
            const kh_section *ss = &sec->subs[i - sec->nitems];
            snprintf(sub, sizeof sub, "%s.%s", path, ss->number ? ss->number : "?");
            v = lower_section(w, ss, idx, sub, &cp);
        }
        any_points = any_points || cp;
        if (cp && !sec->bonus) {
            scored = op2(w, KH_OP_ADD, scored, v, sec->span);
            continue;
        }
        adds = op2(w, KH_OP_ADD, adds, op2(w, KH_OP_MAX, v, w->zero, sec->span), sec->span);
        deds = op2(w, KH_OP_ADD, deds, op2(w, KH_OP_MIN, v, w->zero, sec->span), sec->span);
    }
    bool base = sec->attrs.has_base && !any_points && !sec->bonus;
    int32_t start = base ? K(w, sec->attrs.base, sec->span) : w->zero;
    ir->sections[idx].start = base ? sec->attrs.base : 0;
    if (sec->attrs.has_cap)
        adds = emit(w, KH_OP_CAP, adds, K(w, sec->attrs.cap, sec->span), -1, 0, sec->span, KH_N_SEC_CAP, idx);
    int32_t v = op2(w, KH_OP_ADD, op2(w, KH_OP_ADD, start, adds, sec->span), deds, sec->span);
    v = op2(w, KH_OP_ADD, v, scored, sec->span);
    if ((base || sec->attrs.floor || sec->attrs.has_full) && !section_no_floor(sec))
        v = emit(w, KH_OP_FLOOR, v, -1, -1, 0, sec->span, KH_N_SEC_FLOOR, idx);
    if (sec->attrs.has_full)   /* （满分4分）: the section earns at most 4 */
        v = emit(w, KH_OP_CAP, v, K(w, sec->attrs.full, sec->span), -1, 0, sec->span, KH_N_SEC_CAP, idx);
    v = emit(w, KH_OP_ADD, v, w->zero, -1, 0, sec->span, KH_N_SECTION, idx);
    out(w, v, col(w, KH_COL_SECTION, sec->title, idx, parent < 0 && !sec->bonus, sec->span), sec->span,
        KH_N_SECTION, idx);
    *carries = sec->attrs.has_base || sec->attrs.has_full || any_points;
    return v;
}

/* ------------------------------------------------ grades, vetoes, … */

static void lower_grades(kh_lw *w)
{
    const kh_scheme *s = w->s;
    kh_ir *ir = w->ir;
    if (!s->ngrades)
        return;
    ir->grades = kh_arena_alloc(w->ar, (size_t)s->ngrades * sizeof *ir->grades);
    if (!ir->grades)
        return;
    ir->ngrades = s->ngrades;
    for (int i = 0; i < s->ngrades; i++) {
        const kh_grade *g = &s->grades[i];
        kh_ir_grade *ig = &ir->grades[i];
        ig->name = dup(w, g->name);
        ig->span = g->span;
        for (int k = 0; k < g->nconds; k++) {
            const kh_gcond *c = &g->conds[k];
            switch (c->kind) {
            case KH_GC_SCORE:
                ig->has_range = true;
                ig->range = statutory(w, c->range);
                break;
            case KH_GC_RANK:
                ig->has_rank = true;
                ig->rank = c->n;
                ig->rank_pct = c->pct;
                break;
            case KH_GC_QUOTA:
                ig->has_quota = true;
                ig->quota = c->n;
                ig->quota_min = c->n_min;
                ig->quota_pct = c->pct;
                break;
            }
        }
    }
}

static void lower_vetoes(kh_lw *w)
{
    const kh_scheme *s = w->s;
    kh_ir *ir = w->ir;
    if (s->nvetoes) {
        ir->vetoes = kh_arena_alloc(w->ar, (size_t)s->nvetoes * sizeof *ir->vetoes);
        if (!ir->vetoes)
            return;
        ir->nvetoes = s->nvetoes;
    }
    for (int i = 0; i < s->nvetoes; i++) {
        const kh_veto *v = &s->vetoes[i];
        kh_ir_veto *iv = &ir->vetoes[i];
        iv->label = dup(w, v->label);
        iv->flag = dup(w, v->flag);
        iv->span = v->span;
        iv->cap_grade = -1;
        for (int g = 0; v->cap_grade && g < ir->ngrades; g++)
            if (strcmp(ir->grades[g].name, v->cap_grade) == 0)
                iv->cap_grade = g;
        iv->col = col(w, KH_COL_VETO, v->label, i, false, v->span);
        int32_t n = count_measure(w, v->label, v->span, -1);
        out(w, n, iv->col, v->span, KH_N_NONE, -1);
    }
    if (s->nprereqs) {
        ir->prereqs = kh_arena_alloc(w->ar, (size_t)s->nprereqs * sizeof *ir->prereqs);
        if (!ir->prereqs)
            return;
        ir->nprereqs = s->nprereqs;
    }
    for (int i = 0; i < s->nprereqs; i++) {
        const kh_prereq *p = &s->prereqs[i];
        kh_ir_prereq *ip = &ir->prereqs[i];
        ip->label = dup(w, p->label);
        ip->span = p->span;
        ip->col = col(w, KH_COL_PREREQ, p->label, i, false, p->span);
        int32_t n = count_measure(w, p->label, p->span, -1);
        out(w, n, ip->col, p->span, KH_N_NONE, -1);
    }
}

/* "一、" → "一"; "（二）" stays; unnumbered sections get their position. */
static void section_path(const char *number, int i, char *buf, size_t cap)
{
    size_t n = number ? strlen(number) : 0;
    static const char *const tails[] = {"、", "，", ",", "．"};
    for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
        size_t t = strlen(tails[k]);
        if (n > t && strcmp(number + n - t, tails[k]) == 0) {
            n -= t;
            break;
        }
    }
    if (n)
        snprintf(buf, cap, "%.*s", (int)n, number);
    else
        snprintf(buf, cap, "%d", i + 1);
}

kh_ir *kh_lower(kh_alloc *a, kh_diags *d, const kh_scheme *s)
{
    kh_ir *ir = kh_calloc(a, 1, sizeof *ir);
    if (!ir) {
        d->oom = true;
        kh_diag_add(d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        return NULL;
    }
    kh_arena_init(&ir->arena, a);
    kh_lw w = {0};
    w.d = d;
    w.s = s;
    w.ir = ir;
    w.ar = &ir->arena;
    w.zero = -1;
    ir->src = s->src;
    ir->name = dup(&w, s->name ? s->name : "");
    ir->subject = s->subject;
    ir->unit = s->unit == KH_UNIT_YUAN ? KH_UNIT_YUAN : KH_UNIT_POINT;
    ir->upper_exclusive = s->upper_exclusive;
    ir->period = s->period;
    ir->has_full = s->has_full;
    ir->full = s->full;
    ir->has_weight = s->has_weight;
    ir->weight = s->weight;
    ir->total_col = ir->bonus_col = ir->weighted_col = -1;
    kh_span top = {0, 0};
    w.zero = K(&w, 0, top);

    lower_grades(&w);
    int32_t total = s->has_base ? K(&w, s->base, s->base_span) : w.zero;
    int32_t bonus = w.zero;
    bool has_bonus = false;
    for (int i = 0; i < s->nsections; i++) {
        bool cp;
        char path[64];
        section_path(s->sections[i].number, i, path, sizeof path);
        int32_t v = lower_section(&w, &s->sections[i], -1, path, &cp);
        if (s->sections[i].bonus) {
            bonus = op2(&w, KH_OP_ADD, bonus, v, s->sections[i].span);
            has_bonus = true;
        } else {
            total = op2(&w, KH_OP_ADD, total, v, s->sections[i].span);
        }
    }
    if (has_bonus) {
        bonus = emit(&w, KH_OP_ADD, bonus, w.zero, -1, 0, top, KH_N_BONUS, -1);
        ir->bonus_col = col(&w, KH_COL_BONUS, "加分", -1, true, top);
        out(&w, bonus, ir->bonus_col, top, KH_N_BONUS, -1);
        total = op2(&w, KH_OP_ADD, total, bonus, top);
    }
    total = emit(&w, KH_OP_ADD, total, w.zero, -1, 0, top, KH_N_TOTAL, -1);
    ir->total_col = col(&w, KH_COL_TOTAL, "总分", -1, true, top);
    out(&w, total, ir->total_col, top, KH_N_TOTAL, -1);
    if (s->has_weight) {
        int32_t wv = op2(&w, KH_OP_MUL, total, K(&w, s->weight, s->weight_span), s->weight_span);
        wv = op2(&w, KH_OP_MUL, wv, K(&w, 10, s->weight_span), s->weight_span);
        ir->weighted_col = col(&w, KH_COL_WEIGHTED, "加权分", -1, true, s->weight_span);
        out(&w, wv, ir->weighted_col, s->weight_span, KH_N_NONE, -1);
    }
    lower_vetoes(&w);
    if (ir->arena.failed) {
        d->oom = true;
        kh_diag_add(d, KH_ERROR, &m_nomem, NULL, top, NULL, NULL, NULL);
        kh_ir_free(ir);
        return NULL;
    }
    return ir;
}

void kh_ir_free(kh_ir *ir)
{
    if (!ir)
        return;
    kh_arena_free(&ir->arena);
    kh_free(ir);
}
