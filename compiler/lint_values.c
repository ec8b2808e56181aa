/* lint_values.c — what each IR register can hold: an interval and a
 * granularity, computed op by op; and integer lattices over them. */

#include "lint.h"
/* ---------------------------------------------------- interval values */

__extension__ typedef __int128 kh_lt_wide;

static kh_dec clampw(kh_lt_wide x)
{
    if (x >= LT_INF)
        return LT_INF;
    if (x <= -LT_INF)
        return -LT_INF;
    return (kh_dec)x;
}

static bool is_inf(kh_dec x)
{
    return x >= LT_INF || x <= -LT_INF;
}

/* a + b for a bound; an infinite operand decides (toward lo or hi). */
static kh_dec add_bound(kh_dec a, kh_dec b, bool hi)
{
    bool pa = a >= LT_INF || b >= LT_INF, na = a <= -LT_INF || b <= -LT_INF;
    if (pa && na)
        return hi ? LT_INF : -LT_INF;
    if (pa)
        return LT_INF;
    if (na)
        return -LT_INF;
    return clampw((kh_lt_wide)a + b);
}

/* a × b as kh_dec_mul rounds it (half away from zero, 0.001). */
static kh_dec mul_bound(kh_dec a, kh_dec b)
{
    if (a == 0 || b == 0)
        return 0;
    if (is_inf(a) || is_inf(b))
        return ((a < 0) != (b < 0)) ? -LT_INF : LT_INF;
    kh_lt_wide p = (kh_lt_wide)a * b;
    kh_lt_wide q = (p < 0 ? -p : p);
    q = (q + KH_DEC_ONE / 2) / KH_DEC_ONE;
    return clampw(p < 0 ? -q : q);
}

static kh_dec gcd_dec(kh_dec a, kh_dec b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        kh_dec t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static kh_lv lv_const(kh_dec c)
{
    kh_lv v = {c, c, c < 0 ? -c : c, false};
    return v;
}

static kh_lv lv_span(kh_dec lo, kh_dec hi, kh_dec g, bool ev)
{
    kh_lv v = {lo, hi, g, ev};
    return v;
}

/* Granularity of c × (multiples of g), as kh_dec_mul computes it. */
static kh_dec mul_gran(kh_dec c, kh_dec g)
{
    if (c == 0 || g == 0)
        return 0;
    kh_lt_wide p = (kh_lt_wide)(c < 0 ? -c : c) * g;
    if (p % KH_DEC_ONE || p / KH_DEC_ONE >= LT_INF)
        return 1;
    return (kh_dec)(p / KH_DEC_ONE);
}

static kh_lv lv_mul(kh_lv a, kh_lv b)
{
    kh_dec c[4] = {mul_bound(a.lo, b.lo), mul_bound(a.lo, b.hi), mul_bound(a.hi, b.lo), mul_bound(a.hi, b.hi)};
    kh_lv r = {c[0], c[0], 1, a.ev || b.ev};
    for (int i = 1; i < 4; i++) {
        r.lo = c[i] < r.lo ? c[i] : r.lo;
        r.hi = c[i] > r.hi ? c[i] : r.hi;
    }
    if (a.lo == a.hi)
        r.g = mul_gran(a.lo, b.g);
    else if (b.lo == b.hi)
        r.g = mul_gran(b.lo, a.g);
    else if (a.g % KH_DEC_ONE == 0 && b.g % KH_DEC_ONE == 0)
        r.g = mul_gran(a.g, b.g);
    if (r.lo == 0 && r.hi == 0)
        r.g = 0;
    return r;
}

static kh_lv lv_div(kh_lv a, kh_lv b)
{
    kh_lv r = {-LT_INF, LT_INF, 1, a.ev || b.ev};
    if (b.lo != b.hi || b.lo == 0 || is_inf(b.lo))
        return r;
    kh_dec x = is_inf(a.lo) ? a.lo : kh_dec_div(a.lo, b.lo);
    kh_dec y = is_inf(a.hi) ? a.hi : kh_dec_div(a.hi, b.lo);
    if (b.lo < 0) {
        kh_dec t = -x;
        x = -y;
        y = t;
    }
    r.lo = x;
    r.hi = y;
    return r;
}

/* ⌊a ÷ b⌋ × 1000 for a ≥ 0, b > 0, else 0. */
static kh_lv lv_steps(kh_lv a, kh_lv b)
{
    kh_lv r = {0, LT_INF, KH_DEC_ONE, a.ev || b.ev};
    if (b.lo <= 0 || is_inf(b.hi))
        return r;
    if (a.lo > 0 && !is_inf(a.lo))
        r.lo = (a.lo / b.hi) * KH_DEC_ONE;
    if (!is_inf(a.hi))
        r.hi = a.hi > 0 ? clampw((kh_lt_wide)(a.hi / b.lo) * KH_DEC_ONE) : 0;
    if (r.hi == 0)
        r.g = 0;
    return r;
}

/* 1000 when the comparison holds: decided when the intervals allow. */
static kh_lv lv_cmp(kh_op op, kh_lv a, kh_lv b)
{
    bool yes = false, no = false;
    switch (op) {
    case KH_OP_LT: yes = a.hi < b.lo; no = a.lo >= b.hi; break;
    case KH_OP_LE: yes = a.hi <= b.lo; no = a.lo > b.hi; break;
    case KH_OP_EQ: yes = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo; no = a.hi < b.lo || b.hi < a.lo; break;
    case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER:
    case KH_OP_MEMBERS: case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
    case KH_OP_MIN: case KH_OP_MAX: case KH_OP_SELECT: case KH_OP_FLOOR: case KH_OP_CAP: case KH_OP_OUT:
    case KH_OP_MSTEPS:
        break;
    }
    if (yes)
        return lv_span(KH_DEC_ONE, KH_DEC_ONE, KH_DEC_ONE, a.ev || b.ev);
    if (no)
        return lv_span(0, 0, 0, a.ev || b.ev);
    return lv_span(0, KH_DEC_ONE, KH_DEC_ONE, a.ev || b.ev);
}

static kh_lv lv_join(kh_lv a, kh_lv b)
{
    kh_lv r = {a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi, gcd_dec(a.g, b.g), a.ev || b.ev};
    return r;
}

static kh_lv lv_select(kh_lv c, kh_lv b, kh_lv e)
{
    kh_lv r;
    if (c.lo > 0 || c.hi < 0)
        r = b;
    else if (c.lo == 0 && c.hi == 0)
        r = e;
    else
        r = lv_join(b, e);
    r.ev = r.ev || c.ev;
    return r;
}

static kh_lv lv_minmax(kh_lv a, kh_lv b, bool max)
{
    kh_lv r = {0, 0, gcd_dec(a.g, b.g), a.ev || b.ev};
    if (max) {
        r.lo = a.lo > b.lo ? a.lo : b.lo;
        r.hi = a.hi > b.hi ? a.hi : b.hi;
    } else {
        r.lo = a.lo < b.lo ? a.lo : b.lo;
        r.hi = a.hi < b.hi ? a.hi : b.hi;
    }
    return r;
}

static kh_lv lv_addsub(kh_lv a, kh_lv b, bool sub)
{
    kh_dec blo = sub ? -b.hi : b.lo, bhi = sub ? -b.lo : b.hi;
    kh_lv r = {add_bound(a.lo, blo, false), add_bound(a.hi, bhi, true), gcd_dec(a.g, b.g), a.ev || b.ev};
    return r;
}

/* ------------------------------------------------- reading the tree */

bool kh_lt_counting_quant(const char *q, size_t n)
{
    static const char *const counts[] = {"次", "项", "項", "起", "篇", "条", "條", "件", "宗", "天", "人",
                                         "个", "個", "名", "本", "户", "戶", "处", "處", "家", "批",
                                         "例", "场", "場", "轮", "輪", "人次", "篇次", "期", "位"};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        if (strlen(counts[k]) == n && memcmp(q, counts[k], n) == 0)
            return true;
    return false;
}

/* The item a clause belongs to: the clause with this span, or NULL. */
static const kh_clause *clause_at(const kh_item *it, kh_span sp)
{
    for (int i = 0; it && i < it->nclauses; i++)
        if (it->clauses[i].span.off == sp.off && it->clauses[i].span.len == sp.len)
            return &it->clauses[i];
    return NULL;
}

/* Σ 数量 read by a clause: whole (1000) or possibly fractional (1). */
static kh_dec sum_gran(const kh_lt *lt, const kh_ins *p)
{
    if (p->owner < 0 || p->owner >= lt->nitems)
        return 1;
    const kh_clause *c = clause_at(lt->items[p->owner], p->span);
    if (!c || c->kind != KH_CL_PER || c->step.pct || c->step.points)
        return 1;
    if (!c->step.quant || kh_lt_counting_quant(c->step.quant, strlen(c->step.quant)))
        return KH_DEC_ONE;
    return 1;
}

static kh_lv lv_measure(const kh_lt *lt, const kh_ins *p)
{
    const kh_ir *ir = lt->ir;
    switch (p->op) {
    case KH_OP_SUM:
        return lv_span(0, LT_INF, sum_gran(lt, p), true);
    case KH_OP_COUNT:
    case KH_OP_MEMBERS:
    case KH_OP_MSTEPS:
        return lv_span(0, LT_INF, KH_DEC_ONE, true);
    case KH_OP_MEAN: {
        const kh_measure *m = p->imm >= 0 && p->imm < ir->nmeasures ? &ir->measures[p->imm] : NULL;
        if (m && m->has_range)
            return lv_span(m->lo < 0 ? m->lo : 0, m->hi > 0 ? m->hi : 0, 1, true);
        return lv_span(0, LT_INF, 1, true);
    }
    case KH_OP_TIER: {
        kh_lv r = lv_span(0, 0, 0, true);
        const kh_tiertab *t = p->imm >= 0 && p->imm < ir->ntiers ? &ir->tiers[p->imm] : NULL;
        for (int32_t l = 0; t && t->amount && l < ir->nlevels && l < 64; l++)
            if (t->amount[l] > 0) {
                r.hi = LT_INF;
                r.g = gcd_dec(r.g, t->amount[l]);
            }
        return r;
    }
    case KH_OP_ATTR:
        return lv_span(0, LT_INF, p->imm == KH_ATTR_SIZE ? KH_DEC_ONE : 1, false);
    case KH_OP_CONST: case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
    case KH_OP_MIN: case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: case KH_OP_SELECT:
    case KH_OP_FLOOR: case KH_OP_CAP: case KH_OP_OUT:
        break;
    }
    return lv_span(-LT_INF, LT_INF, 1, true);
}

static kh_lv reg(const kh_lt *lt, int32_t r, int32_t before)
{
    if (r < 0 || r >= before)
        return lv_const(0);
    return lt->v[r];
}

kh_lv kh_lt_lv_ins(const kh_lt *lt, int32_t i)
{
    const kh_ins *p = &lt->ir->ins[i];
    kh_lv a = reg(lt, p->a, i), b = reg(lt, p->b, i), c = reg(lt, p->c, i);
    switch (p->op) {
    case KH_OP_CONST: return lv_const(p->imm);
    case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER: case KH_OP_MEMBERS:
    case KH_OP_MSTEPS:
        return lv_measure(lt, p);
    case KH_OP_ADD: return lv_addsub(a, b, false);
    case KH_OP_SUB: return lv_addsub(a, b, true);
    case KH_OP_MUL: return lv_mul(a, b);
    case KH_OP_DIV: return lv_div(a, b);
    case KH_OP_STEPS: return lv_steps(a, b);
    case KH_OP_MIN: case KH_OP_CAP: return lv_minmax(a, b, false);
    case KH_OP_MAX: return lv_minmax(a, b, true);
    case KH_OP_FLOOR: return lv_minmax(a, lv_const(0), true);
    case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: return lv_cmp(p->op, a, b);
    case KH_OP_SELECT: return lv_select(a, b, c);
    case KH_OP_OUT: return a;
    }
    return lv_span(-LT_INF, LT_INF, 1, true);
}

/* The register an output slot receives, or −1. */
int32_t kh_lt_out_reg(const kh_lt *lt, int32_t col)
{
    for (int32_t i = 0; col >= 0 && i < lt->ir->nins; i++)
        if (lt->ir->ins[i].op == KH_OP_OUT && lt->ir->ins[i].imm == col)
            return lt->ir->ins[i].a;
    return -1;
}

/* The value an item or section reaches (its OUT with that note), or NULL. */
const kh_lv *kh_lt_owner_value(const kh_lt *lt, kh_note note, int32_t owner)
{
    int k = note == KH_N_SECTION ? 1 : 0;
    int32_t n = k ? lt->ir->nsections : lt->ir->nitems;
    if ((note != KH_N_ITEM && note != KH_N_SECTION) || owner < 0 || owner >= n || !lt->kh_lt_out_reg[k])
        return NULL;
    int32_t r = lt->kh_lt_out_reg[k][owner];
    return r >= 0 ? &lt->v[r] : NULL;
}

/* ------------------------------------------------ integer lattices */



int64_t kh_lt_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return -kh_lt_floor_div(-a, b);
}

kh_kiv kh_lt_kiv_of_range(const kh_range *r, kh_dec g)
{
    kh_kiv k = {K_NEG, K_POS};
    if (r->has_lo) {
        k.lo = ceil_div(r->lo, g);
        if (!r->lo_incl && k.lo * g == r->lo)
            k.lo++;
    }
    if (r->has_hi) {
        k.hi = kh_lt_floor_div(r->hi, g);
        if (!r->hi_incl && k.hi * g == r->hi)
            k.hi--;
    }
    return k;
}

kh_kiv kh_lt_kiv_of_lv(kh_lv v, kh_dec g)
{
    kh_kiv k = {v.lo <= -LT_INF ? K_NEG : ceil_div(v.lo, g), v.hi >= LT_INF ? K_POS : kh_lt_floor_div(v.hi, g)};
    return k;
}

kh_kiv kh_lt_kiv_meet(kh_kiv a, kh_kiv b)
{
    kh_kiv r = {a.lo > b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi};
    return r;
}

bool kh_lt_kiv_empty(kh_kiv k)
{
    return k.lo > k.hi;
}

void kh_lt_kset_add(kh_kset *s, kh_kiv k, int tag)
{
    if (!kh_lt_kiv_empty(k) && s->n < LT_MAXIV) {
        s->v[s->n] = k;
        s->tag[s->n++] = tag;
    }
}

static void kset_sort(kh_kset *s)
{
    for (int i = 1; i < s->n; i++)
        for (int j = i; j > 0 && s->v[j].lo < s->v[j - 1].lo; j--) {
            kh_kiv t = s->v[j];
            int tg = s->tag[j];
            s->v[j] = s->v[j - 1];
            s->tag[j] = s->tag[j - 1];
            s->v[j - 1] = t;
            s->tag[j - 1] = tg;
        }
}

/* The parts of dom that nothing in cover covers, in order. */
void kh_lt_kset_gaps(const kh_kset *cover, kh_kiv dom, kh_kset *gaps)
{
    kh_kset c = *cover;
    kset_sort(&c);
    gaps->n = 0;
    int64_t cur = dom.lo;
    for (int i = 0; i < c.n && cur <= dom.hi; i++) {
        if (c.v[i].lo > cur) {
            kh_kiv g = {cur, c.v[i].lo - 1 < dom.hi ? c.v[i].lo - 1 : dom.hi};
            kh_lt_kset_add(gaps, g, -1);
        }
        if (c.v[i].hi >= cur)
            cur = c.v[i].hi >= K_POS ? K_POS + 1 : c.v[i].hi + 1;
    }
    if (cur <= dom.hi)
        kh_lt_kset_add(gaps, (kh_kiv){cur, dom.hi}, -1);
}

static kh_dec lcm_dec(kh_dec a, kh_dec b)
{
    kh_dec g = gcd_dec(a, b);
    kh_lt_wide l = (kh_lt_wide)(a / g) * b;
    return l >= LT_INF / 1000 ? 0 : (kh_dec)l;
}

/* The plainest value of the lattice interval k: the first whole number in
 * it, else the first half, tenth, hundredth, thousandth.  Counting down
 * from the top when it is unbounded below. */
kh_dec kh_lt_nice_value(kh_kiv k, kh_dec g)
{
    static const kh_dec steps[] = {1000, 500, 100, 10, 1};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        kh_dec st = lcm_dec(steps[i], g);
        if (!st)
            continue;
        if (k.lo <= K_NEG && k.hi >= K_POS)
            return 0;
        if (k.lo <= K_NEG)
            return kh_lt_floor_div(k.hi * g, st) * st;
        kh_dec v = ceil_div(k.lo * g, st) * st;
        if (k.hi >= K_POS || v <= k.hi * g)
            return v;
    }
    return k.lo > K_NEG ? k.lo * g : k.hi * g;
}

