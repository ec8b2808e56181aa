/* interp.c — the reference interpreter of the IR, and the runtime helpers
 * that both engines call.
 *
 * The interpreter defines what a scheme means: the JIT must produce the same
 * output row, byte for byte.  Anything beyond register arithmetic lives in a
 * kh_rt_* helper so that the two engines share one implementation of it.
 */
#include "compiler.h"

/* ------------------------------------------------------------ helpers */

/* First event of measure m; events are sorted by measure, then key. */
static int64_t first_of(const kh_entity_in *in, int32_t m)
{
    int64_t lo = 0, hi = in->nev;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (in->ev[mid].measure < m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* a + b as the native engine computes it: two's complement, wrapping
 * (defined, unlike signed overflow in C) when 数量 are absurdly large. */
static kh_dec wrap_add(kh_dec a, kh_dec b)
{
    return (kh_dec)((uint64_t)a + (uint64_t)b);
}

void kh_rt_totals(const kh_entity_in *in, kh_dec *agg, int32_t nmeasures)
{
    for (int32_t m = 0; m < 2 * nmeasures; m++)
        agg[m] = 0;
    for (int64_t i = 0; i < in->nev; i++) {
        int32_t m = in->ev[i].measure;
        if (m < 0 || m >= nmeasures)
            continue;
        kh_totals_add(agg, m, in->ev[i].value);
    }
}

kh_dec kh_rt_sum(const kh_entity_in *in, int32_t measure)
{
    if (in->agg)
        return in->agg[2 * (size_t)measure];
    kh_dec s = 0;
    for (int64_t i = first_of(in, measure); i < in->nev && in->ev[i].measure == measure; i++)
        s = wrap_add(s, in->ev[i].value);
    return s;
}

kh_dec kh_rt_count(const kh_entity_in *in, int32_t measure)
{
    if (in->agg)
        return in->agg[2 * (size_t)measure + 1];
    int64_t i = first_of(in, measure), j = i;
    while (j < in->nev && in->ev[j].measure == measure)
        j++;
    return (kh_dec)(j - i) * KH_DEC_ONE;
}

kh_dec kh_rt_mean(const kh_entity_in *in, int32_t measure)
{
    kh_dec n = kh_rt_count(in, measure);
    return n ? kh_dec_div(kh_rt_sum(in, measure), n) : 0;
}

static kh_dec tier_amount(const kh_tiertab *t, const kh_event *e)
{
    if (e->level < 0)
        return 0;
    return kh_dec_mul(t->amount[e->level], e->value);
}

/* Σ amount(level) × 数量; with dedupe, events sharing a 编号 count once, at
 * the largest amount among them.  Events without a 编号 each count. */
kh_dec kh_rt_tier(const kh_entity_in *in, const kh_tiertab *t)
{
    kh_dec s = 0;
    int64_t i = first_of(in, t->measure);
    while (i < in->nev && in->ev[i].measure == t->measure) {
        kh_dec best = tier_amount(t, &in->ev[i]);
        int64_t j = i + 1;
        if (t->dedupe && in->ev[i].key >= 0) {
            for (; j < in->nev && in->ev[j].measure == t->measure && in->ev[j].key == in->ev[i].key; j++) {
                kh_dec v = tier_amount(t, &in->ev[j]);
                if (v > best)
                    best = v;
            }
        }
        s = wrap_add(s, best);
        i = j;
    }
    return s;
}

/* Distinct members with at least one event of the measure; events of the
 * unit itself (member −1) are no member's. */
kh_dec kh_rt_members(const kh_entity_in *in, int32_t measure)
{
    int64_t start = first_of(in, measure), n = 0;
    for (int64_t i = start; i < in->nev && in->ev[i].measure == measure; i++) {
        if (in->ev[i].member < 0)
            continue;
        int64_t k = start;
        while (k < i && in->ev[k].member != in->ev[i].member)
            k++;
        if (k == i)
            n++;
    }
    return (kh_dec)n * KH_DEC_ONE;
}

/* A leader's share of a target: for each member (subordinate) with events
 * of the measure, the whole steps of their own gap to the target, summed.
 * Members are found by scanning, as in kh_rt_members. */
kh_dec kh_rt_msteps(const kh_entity_in *in, int32_t measure_mode, kh_dec target, kh_dec step)
{
    int32_t measure = measure_mode & KH_MSTEPS_MEASURE;
    bool excess = (measure_mode & KH_MSTEPS_EXCESS) != 0, rate = (measure_mode & KH_MSTEPS_RATE) != 0;
    int64_t start = first_of(in, measure), end = start;
    while (end < in->nev && in->ev[end].measure == measure)
        end++;
    __int128 total = 0;
    for (int64_t i = start; i < end; i++) {
        int32_t m = in->ev[i].member;
        int64_t k = start;
        while (k < i && in->ev[k].member != m)
            k++;
        if (m < 0 || k < i)
            continue;
        kh_dec sum = 0, n = 0;
        for (int64_t j = i; j < end; j++)
            if (in->ev[j].member == m) {
                sum = wrap_add(sum, in->ev[j].value);
                n += KH_DEC_ONE;
            }
        kh_dec x = rate ? kh_dec_div(sum, n) : sum;
        __int128 gap = excess ? (__int128)x - target : (__int128)target - x;
        if (gap > 0 && step > 0)
            total += (gap / step) * KH_DEC_ONE;
        if (total > KH_DEC_MAX)
            total = KH_DEC_MAX;   /* saturate: the result is never negative */
    }
    return (kh_dec)total;
}

/* -------------------------------------------------------- interpreter */

static kh_dec attr(const kh_entity_in *in, int64_t which)
{
    switch ((kh_attr)which) {
    case KH_ATTR_ROLE: return in->role;
    case KH_ATTR_UNIT: return in->unit;
    case KH_ATTR_SIZE: return in->size;
    }
    return 0;
}

static kh_dec steps(kh_dec a, kh_dec b)
{
    return (a >= 0 && b > 0) ? (kh_dec)((uint64_t)(a / b) * (uint64_t)KH_DEC_ONE) : 0;
}

/* Does p read one of the IR's measures?  (A measure past the end has no
 * events, and no totals to read.) */
static bool measured(const kh_ir *ir, const kh_ins *p)
{
    return p->imm >= 0 && p->imm < ir->nmeasures;
}

void kh_interp(const kh_ir *ir, const kh_entity_in *in, kh_dec *r, kh_dec *out)
{
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        kh_dec a = p->a >= 0 ? r[p->a] : 0;
        kh_dec b = p->b >= 0 ? r[p->b] : 0;
        kh_dec c = p->c >= 0 ? r[p->c] : 0;
        kh_dec v = 0;
        switch (p->op) {
        case KH_OP_CONST:   v = p->imm; break;
        case KH_OP_SUM:     v = measured(ir, p) ? kh_rt_sum(in, (int32_t)p->imm) : 0; break;
        case KH_OP_COUNT:   v = measured(ir, p) ? kh_rt_count(in, (int32_t)p->imm) : 0; break;
        case KH_OP_MEAN:    v = measured(ir, p) ? kh_rt_mean(in, (int32_t)p->imm) : 0; break;
        case KH_OP_ATTR:    v = attr(in, p->imm); break;
        case KH_OP_TIER:    v = kh_rt_tier(in, &ir->tiers[p->imm]); break;
        case KH_OP_MEMBERS: v = kh_rt_members(in, (int32_t)p->imm); break;
        case KH_OP_MSTEPS:  v = kh_rt_msteps(in, (int32_t)p->imm, a, b); break;
        case KH_OP_ADD:     v = wrap_add(a, b); break;
        case KH_OP_SUB:     v = (kh_dec)((uint64_t)a - (uint64_t)b); break;
        case KH_OP_MUL:     v = kh_dec_mul(a, b); break;
        case KH_OP_DIV:     v = kh_dec_div(a, b); break;
        case KH_OP_STEPS:   v = steps(a, b); break;
        case KH_OP_MIN:     v = a < b ? a : b; break;
        case KH_OP_MAX:     v = a > b ? a : b; break;
        case KH_OP_LT:      v = a < b ? KH_DEC_ONE : 0; break;
        case KH_OP_LE:      v = a <= b ? KH_DEC_ONE : 0; break;
        case KH_OP_EQ:      v = a == b ? KH_DEC_ONE : 0; break;
        case KH_OP_SELECT:  v = a != 0 ? b : c; break;
        case KH_OP_FLOOR:   v = a > 0 ? a : 0; break;
        case KH_OP_CAP:     v = a < b ? a : b; break;
        case KH_OP_OUT:     v = a; out[p->imm] = a; break;
        }
        r[i] = v;
    }
}
