/* test_jit.c — the native engine agrees with the interpreter, byte for byte,
 * and its compile cache and shared objects behave. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler.h"
#include "helpers.h"

#define KT_MAXINS 8192
#define KT_NMEAS 6
#define KT_NLEVELS 5
#define KT_NTIERS 3
#define KT_NCOLS 24
#define KT_MAXCOLS 4096
#define KT_MAXEV 48
#define KT_SENTINEL ((kh_dec)0x5a5a5a5a5a5a5a5aLL)

/* ------------------------------------------------------ building IR */

/* A hand-built IR with room for everything the tests need. */
typedef struct kt_ir {
    kh_ir ir;
    kh_ins ins[KT_MAXINS];
    kh_measure meas[KT_NMEAS];
    char *levels[KT_NLEVELS];
    kh_tiertab tiers[KT_NTIERS];
    kh_dec amount[KT_NTIERS][KT_NLEVELS];
    kh_col cols[KT_MAXCOLS];
    int32_t nextcol;
} kt_ir;

static kt_ir *kt_new(const char *name)
{
    static char *const labels[KT_NMEAS] = {"出勤", "稿件", "评分", "获奖", "通报", "培训"};
    static char *const levels[KT_NLEVELS] = {"国家级", "省级", "市级", "县级", "区级"};
    kt_ir *t = calloc(1, sizeof *t);
    cr_assert_not_null(t);
    t->ir.name = (char *)name;
    t->ir.ins = t->ins;
    t->ir.measures = t->meas;
    t->ir.nmeasures = KT_NMEAS;
    for (int i = 0; i < KT_NMEAS; i++)
        t->meas[i].label = labels[i];
    t->ir.levels = t->levels;
    t->ir.nlevels = KT_NLEVELS;
    for (int i = 0; i < KT_NLEVELS; i++)
        t->levels[i] = levels[i];
    t->ir.tiers = t->tiers;
    t->ir.cols = t->cols;
    t->ir.ncols = KT_NCOLS;
    for (int i = 0; i < KT_MAXCOLS; i++) {
        t->cols[i].kind = KH_COL_ITEM;
        t->cols[i].title = "项";
    }
    t->ir.total_col = t->ir.bonus_col = t->ir.weighted_col = -1;
    return t;
}

static int32_t kt_op(kt_ir *t, kh_op op, int32_t a, int32_t b, int32_t c, int64_t imm)
{
    cr_assert_lt(t->ir.nins, KT_MAXINS);
    kh_ins *p = &t->ins[t->ir.nins];
    *p = (kh_ins){.op = op, .a = a, .b = b, .c = c, .imm = imm, .owner = -1};
    return t->ir.nins++;
}

static int32_t kt_k(kt_ir *t, kh_dec v)
{
    return kt_op(t, KH_OP_CONST, -1, -1, -1, v);
}

static int32_t kt_bin(kt_ir *t, kh_op op, kh_dec a, kh_dec b)
{
    int32_t ra = kt_k(t, a), rb = kt_k(t, b);
    return kt_op(t, op, ra, rb, -1, 0);
}

/* Store register r in the next output slot; returns the slot. */
static int32_t kt_out(kt_ir *t, int32_t r)
{
    cr_assert_lt(t->nextcol, KT_MAXCOLS);
    int32_t col = t->nextcol++;
    if (col >= t->ir.ncols)
        t->ir.ncols = col + 1;
    kt_op(t, KH_OP_OUT, r, -1, -1, col);
    return col;
}

static int32_t kt_tier(kt_ir *t, int32_t measure, bool dedupe, const kh_dec amounts[KT_NLEVELS])
{
    int32_t k = t->ir.ntiers++;
    memcpy(t->amount[k], amounts, sizeof t->amount[k]);
    t->tiers[k] = (kh_tiertab){.measure = measure, .amount = t->amount[k], .dedupe = dedupe};
    return k;
}

/* --------------------------------------------------------- entities */

typedef struct kt_rng {
    uint64_t s;
} kt_rng;

static uint64_t kt_next(kt_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static int64_t kt_between(kt_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(kt_next(r) % (uint64_t)(hi - lo + 1));
}

typedef struct kt_entity {
    kh_event ev[KT_MAXEV];
    kh_entity_in in;
} kt_entity;

static int kt_by_measure_key(const void *x, const void *y)
{
    const kh_event *a = x, *b = y;
    if (a->measure != b->measure)
        return a->measure < b->measure ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static kh_dec kt_value(kt_rng *r)
{
    switch (kt_between(r, 0, 5)) {
    case 0: return 1000;
    case 1: return kt_between(r, 0, 5) * 1000;
    case 2: return kt_between(r, -3000, 3000);
    case 3: return kt_between(r, 0, 100000);
    case 4: return kt_between(r, 1, 999);
    default: return kt_between(r, -1000000000, 1000000000);
    }
}

/* Random events over an IR's measures and levels, sorted as the engines
 * expect. */
static void kt_random_entity(kt_rng *r, const kh_ir *ir, kt_entity *e)
{
    int64_t n = kt_between(r, 0, KT_MAXEV);
    for (int64_t i = 0; i < n; i++)
        e->ev[i] = (kh_event){
            .measure = (int32_t)kt_between(r, 0, ir->nmeasures - 1),
            .level = (int32_t)kt_between(r, -1, ir->nlevels - 1),
            .key = (int32_t)kt_between(r, -1, 3),
            .member = (int32_t)kt_between(r, -1, 3),
            .value = kt_value(r),
            .line = (uint32_t)i + 2,
            .date = INT32_MIN,
        };
    qsort(e->ev, (size_t)n, sizeof e->ev[0], kt_by_measure_key);
    e->in = (kh_entity_in){.ev = e->ev, .nev = n, .role = (int32_t)kt_between(r, 0, ir->nroles),
                           .unit = (int32_t)kt_between(r, 0, ir->nunits), .size = kt_between(r, 0, 9) * 1000};
}

/* ---------------------------------------------------------- engines */

static const kh_jit_opts kt_memory = {.opt_level = KH_JIT_LEVEL, .cache_dir = ""};

static kh_jit *kt_compile(kt_ir *t, const kh_jit_opts *o)
{
    char err[512] = "";
    kh_jit *j = kh_jit_compile(&t->ir, o, NULL, err, sizeof err);
    cr_assert_not_null(j, "compile failed: %s", err);
    cr_assert_not_null(kh_jit_fn(j));
    return j;
}

/* Run both engines on one entity and demand identical rows; the JIT's row
 * (ir->ncols slots) is left in out. */
static void kt_both(const kh_ir *ir, kh_jit *j, const kh_entity_in *in, kh_dec *out)
{
    kh_dec *regs = malloc(sizeof(kh_dec) * (size_t)(ir->nins + 1));
    kh_dec *ref = malloc(sizeof(kh_dec) * (size_t)(ir->ncols + 1));
    cr_assert(regs && ref);
    for (int32_t i = 0; i < ir->ncols; i++)
        ref[i] = out[i] = KT_SENTINEL;
    kh_interp(ir, in, regs, ref);
    kh_jit_fn(j)(in, out);
    for (int32_t i = 0; i < ir->ncols; i++)
        cr_assert_eq(out[i], ref[i], "slot %d: jit %lld, interpreter %lld", i, (long long)out[i],
                     (long long)ref[i]);
    free(regs);
    free(ref);
}

/* Both engines on n random entities. */
static void kt_agree(const kh_ir *ir, kh_jit *j, uint64_t seed, int n)
{
    kt_rng r = {seed};
    kt_entity e;
    kh_dec *out = malloc(sizeof(kh_dec) * (size_t)(ir->ncols + 1));
    cr_assert_not_null(out);
    for (int i = 0; i < n; i++) {
        kt_random_entity(&r, ir, &e);
        kt_both(ir, j, &e.in, out);
    }
    free(out);
}

/* ----------------------------------------------------- arithmetic */

/* One case of a two-operand op: a op b = want. */
typedef struct kt_case {
    kh_dec a, b, want;
} kt_case;

#define KT_MAXCASES ((KT_NCOLS - 1) / 2)

/* Check op on every case, with operands the compiler cannot see (a is the
 * entity's size, b the sum of its one event) and with each operand in turn
 * a constant of the program: slot 0 is a op b, slot 1 + 2k is a op b_k and
 * slot 2 + 2k is a_k op b. */
static void kt_binary(kh_op op, const kt_case *cs, int n)
{
    cr_assert_leq(n, KT_MAXCASES);
    kt_ir *t = kt_new("运算");
    int32_t a = kt_op(t, KH_OP_ATTR, -1, -1, -1, KH_ATTR_SIZE);
    int32_t b = kt_op(t, KH_OP_SUM, -1, -1, -1, 0);
    kt_out(t, kt_op(t, op, a, b, -1, 0));
    for (int k = 0; k < n; k++) {
        kt_out(t, kt_op(t, op, a, kt_k(t, cs[k].b), -1, 0));
        kt_out(t, kt_op(t, op, kt_k(t, cs[k].a), b, -1, 0));
    }
    kh_jit *j = kt_compile(t, &kt_memory);
    for (int k = 0; k < n; k++) {
        kh_event ev = {.measure = 0, .level = -1, .key = -1, .value = cs[k].b};
        kh_entity_in in = {.ev = &ev, .nev = 1, .size = cs[k].a};
        kh_dec out[KT_NCOLS];
        kt_both(&t->ir, j, &in, out);
        long long x = cs[k].a, y = cs[k].b;
        cr_assert_eq(out[0], cs[k].want, "%s %lld, %lld: %lld", kh_op_name(op), x, y, (long long)out[0]);
        cr_assert_eq(out[1 + 2 * k], cs[k].want, "%s %lld, const %lld", kh_op_name(op), x, y);
        cr_assert_eq(out[2 + 2 * k], cs[k].want, "%s const %lld, %lld", kh_op_name(op), x, y);
    }
    kh_jit_free(j);
    free(t);
}

Test(jit, mul_rounds_half_away_from_zero)
{
    static const kt_case cs[] = {
        {1500, 1500, 2250},            /* 1.5 × 1.5 */
        {-1, 500, -1},                 /* −0.0005 → −0.001 */
        {1, 500, 1},                   /* 0.0005 → 0.001 */
        {-1, 499, 0},                  /* −0.000499 → 0 */
        {-2500, 1100, -2750},
        {-333, 1500, -500},            /* −0.4995 → −0.5 */
        {-7, -500, 4},                 /* 0.0035 → 0.004 */
        {5000, 3000, 15000},           /* whole: no rounding */
        {-4000, 2000, -8000},
        {KH_DEC_MAX, 2000, KH_DEC_MAX}, /* saturates */
        {-KH_DEC_MAX, 3000, -KH_DEC_MAX},
    };
    kt_binary(KH_OP_MUL, cs, sizeof cs / sizeof cs[0]);
}

Test(jit, mul_saturates_and_rounds_beyond_64_bits)
{
    const kt_case cs[] = {
        {INT64_MIN / 2, 2, kh_dec_mul(INT64_MIN / 2, 2)}, /* product −2^63 still fits */
        {INT64_MAX, INT64_MAX, KH_DEC_MAX},
        {INT64_MIN, INT64_MAX, -KH_DEC_MAX},
        {KH_DEC_MAX / 2, 3000, KH_DEC_MAX},
        {3037000500LL, 3037000500LL, kh_dec_mul(3037000500LL, 3037000500LL)}, /* just past 2^63 */
        {-9223372036854775LL, 1000, -9223372036854775LL},
        {9223372036854776LL, 999, kh_dec_mul(9223372036854776LL, 999)},
    };
    kt_binary(KH_OP_MUL, cs, sizeof cs / sizeof cs[0]);
}

Test(jit, div_rounds_and_gives_zero_for_zero_divisor)
{
    static const kt_case cs[] = {
        {1000, 3000, 333}, {2000, 3000, 667},   {-2000, 3000, -667}, {1, 2000, 1},
        {5000, 0, 0},      {-7000, -2000, 3500}, {0, 5, 0},          {KH_DEC_MAX, 1, KH_DEC_MAX},
    };
    kt_binary(KH_OP_DIV, cs, sizeof cs / sizeof cs[0]);
}

Test(jit, steps_count_whole_steps_of_nonnegative_amounts_only)
{
    static const kt_case cs[] = {
        {2500, 1000, 2000}, {-500, 1000, 0},    {2500, 0, 0},    {2500, -1000, 0},
        {999, 1000, 0},     {30000, 10000, 3000}, {-3000, -1000, 0}, {3000, 1500, 2000},
        {0, 1000, 0},       {7, 3, 2000},
    };
    kt_binary(KH_OP_STEPS, cs, sizeof cs / sizeof cs[0]);
}

Test(jit, add_sub_min_max_cap_compare)
{
    static const kt_case add[] = {{7000, -2000, 5000}, {0, 0, 0}, {-1, 1, 0}, {KH_DEC_MAX, KH_DEC_MAX, 2 * KH_DEC_MAX}};
    static const kt_case sub[] = {{-2000, 7000, -9000}, {5, 5, 0}, {0, -KH_DEC_MAX, KH_DEC_MAX}};
    static const kt_case min[] = {{7000, -2000, -2000}, {3, 3, 3}, {-5, 5, -5}};
    static const kt_case max[] = {{7000, -2000, 7000}, {3, 3, 3}, {-5, 5, 5}};
    static const kt_case cap[] = {{7000, 3000, 3000}, {1000, 3000, 1000}};
    static const kt_case lt[] = {{-2000, 7000, 1000}, {7000, 7000, 0}, {7001, 7000, 0}};
    static const kt_case le[] = {{-2000, 7000, 1000}, {7000, 7000, 1000}, {7001, 7000, 0}};
    static const kt_case eq[] = {{7000, 7000, 1000}, {7000, -7000, 0}, {0, 0, 1000}};
    kt_binary(KH_OP_ADD, add, 4);
    kt_binary(KH_OP_SUB, sub, 3);
    kt_binary(KH_OP_MIN, min, 3);
    kt_binary(KH_OP_MAX, max, 3);
    kt_binary(KH_OP_CAP, cap, 2);
    kt_binary(KH_OP_LT, lt, 3);
    kt_binary(KH_OP_LE, le, 3);
    kt_binary(KH_OP_EQ, eq, 3);
}

/* Run t at every level on one entity whose only event has value x (so SUM
 * of measure 0 is x, a value the compiler cannot see): both engines must
 * agree, and the JIT's row is left in out[level]. */
static void kt_levels_on(kt_ir *t, kh_dec x, kh_dec out[4][KT_MAXCOLS], kh_jit *j[4])
{
    kh_event ev = {.measure = 0, .level = -1, .key = -1, .value = x};
    kh_entity_in in = {.ev = &ev, .nev = 1};
    for (int level = 0; level < 4; level++)
        kt_both(&t->ir, j[level], &in, out[level]);
}

static void kt_compile_levels(kt_ir *t, kh_jit *j[4])
{
    for (int level = 0; level < 4; level++) {
        kh_jit_opts o = {.opt_level = level, .cache_dir = ""};
        j[level] = kt_compile(t, &o);
    }
}

/* x × k for a whole k saturates at ±KH_DEC_MAX exactly where kh_dec_mul
 * does: just inside and just past h = KH_DEC_MAX ÷ |k| on either side,
 * for x unbounded, never negative, never positive and bounded, with k
 * whose h × |k| falls short of the limit (3, 7) and k that divide it. */
Test(jit, whole_multiples_saturate_where_kh_dec_mul_does)
{
    static const kh_dec ks[] = {1, -1, 2, -3, 7, -7, 1000000, 4000000000000000LL};
    for (size_t n = 0; n < sizeof ks / sizeof ks[0]; n++) {
        kh_dec k = ks[n], h = KH_DEC_MAX / (k < 0 ? -k : k);
        kt_ir *t = kt_new("整倍");
        int32_t x = kt_op(t, KH_OP_SUM, -1, -1, -1, 0);
        int32_t kk = kt_k(t, k * KH_DEC_ONE);
        int32_t forms[4] = {
            x,                                                      /* unbounded */
            kt_op(t, KH_OP_FLOOR, x, -1, -1, 0),                    /* ≥ 0 */
            kt_op(t, KH_OP_MIN, x, kt_k(t, 0), -1, 0),              /* ≤ 0 */
            kt_op(t, KH_OP_CAP, kt_op(t, KH_OP_MAX, x, kt_k(t, -5), -1, 0), kt_k(t, 5), -1, 0), /* ±0.005 */
        };
        int32_t slot[4][2];
        for (int f = 0; f < 4; f++) {
            slot[f][0] = kt_out(t, kt_op(t, KH_OP_MUL, forms[f], kk, -1, 0));
            slot[f][1] = kt_out(t, kt_op(t, KH_OP_MUL, kk, forms[f], -1, 0));
        }
        kh_jit *j[4];
        kt_compile_levels(t, j);
        const kh_dec xs[] = {0, 1, -1, h - 1, h, h + 1, -h + 1, -h, -h - 1, INT64_MAX, INT64_MIN, KH_DEC_MAX};
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            kh_dec out[4][KT_MAXCOLS];
            kt_levels_on(t, xs[i], out, j);
            kh_dec v[4] = {xs[i], xs[i] > 0 ? xs[i] : 0, xs[i] < 0 ? xs[i] : 0,
                           xs[i] < -5 ? -5 : xs[i] > 5 ? 5 : xs[i]};
            for (int level = 0; level < 4; level++)
                for (int f = 0; f < 4; f++) {
                    kh_dec want = kh_dec_mul(v[f], k * KH_DEC_ONE);
                    cr_assert_eq(out[level][slot[f][0]], want, "level %d: %lld × %lld", level, (long long)v[f],
                                 (long long)k);
                    cr_assert_eq(out[level][slot[f][1]], want);
                }
        }
        for (int level = 0; level < 4; level++)
            kh_jit_free(j[level]);
        free(t);
    }
}

/* Sums, differences and whole steps wrap around as the host's unsigned
 * arithmetic does (the interpreter's), at every level. */
Test(jit, sums_and_steps_wrap_like_the_host)
{
    kt_ir *t = kt_new("回绕");
    int32_t x = kt_op(t, KH_OP_SUM, -1, -1, -1, 0);
    int32_t add = kt_out(t, kt_op(t, KH_OP_ADD, x, kt_k(t, 5000), -1, 0));
    int32_t sub = kt_out(t, kt_op(t, KH_OP_SUB, kt_k(t, -5000), x, -1, 0));
    int32_t twice = kt_out(t, kt_op(t, KH_OP_ADD, x, x, -1, 0));
    int32_t steps = kt_out(t, kt_op(t, KH_OP_STEPS, x, kt_k(t, 3), -1, 0));
    kh_jit *j[4];
    kt_compile_levels(t, j);
    static const kh_dec xs[] = {INT64_MAX, INT64_MAX - 4999, INT64_MIN, INT64_MIN + 4999, -1, 0, 7};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        kh_dec out[4][KT_MAXCOLS];
        kt_levels_on(t, xs[i], out, j);
        uint64_t u = (uint64_t)xs[i];
        for (int level = 0; level < 4; level++) {
            cr_assert_eq(out[level][add], (kh_dec)(u + 5000), "level %d, x %lld", level, (long long)xs[i]);
            cr_assert_eq(out[level][sub], (kh_dec)((uint64_t)-5000 - u));
            cr_assert_eq(out[level][twice], (kh_dec)(u + u));
            cr_assert_eq(out[level][steps], xs[i] >= 0 ? (kh_dec)((uint64_t)(xs[i] / 3) * 1000) : 0);
        }
    }
    for (int level = 0; level < 4; level++)
        kh_jit_free(j[level]);
    free(t);
}

/* max and min against 0 (and a floor, and a cap at 0) at the ends of the
 * number range, either operand the constant. */
Test(jit, max_and_min_against_zero_at_the_extremes)
{
    kt_ir *t = kt_new("正负");
    int32_t x = kt_op(t, KH_OP_SUM, -1, -1, -1, 0), z = kt_k(t, 0);
    int32_t hi[3] = {kt_out(t, kt_op(t, KH_OP_MAX, x, z, -1, 0)), kt_out(t, kt_op(t, KH_OP_MAX, z, x, -1, 0)),
                     kt_out(t, kt_op(t, KH_OP_FLOOR, x, -1, -1, 0))};
    int32_t lo[3] = {kt_out(t, kt_op(t, KH_OP_MIN, x, z, -1, 0)), kt_out(t, kt_op(t, KH_OP_MIN, z, x, -1, 0)),
                     kt_out(t, kt_op(t, KH_OP_CAP, x, z, -1, 0))};
    kh_jit *j[4];
    kt_compile_levels(t, j);
    static const kh_dec xs[] = {INT64_MIN, INT64_MIN + 1, -KH_DEC_MAX, -1, 0, 1, KH_DEC_MAX, INT64_MAX};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        kh_dec out[4][KT_MAXCOLS];
        kt_levels_on(t, xs[i], out, j);
        for (int level = 0; level < 4; level++)
            for (int f = 0; f < 3; f++) {
                cr_assert_eq(out[level][hi[f]], xs[i] > 0 ? xs[i] : 0, "level %d, x %lld", level, (long long)xs[i]);
                cr_assert_eq(out[level][lo[f]], xs[i] < 0 ? xs[i] : 0, "level %d, x %lld", level, (long long)xs[i]);
            }
    }
    for (int level = 0; level < 4; level++)
        kh_jit_free(j[level]);
    free(t);
}

/* select and floor on values known only at run time: the size picks, the
 * sum is chosen or floored. */
Test(jit, select_and_floor_at_run_time)
{
    kt_ir *t = kt_new("选择");
    int32_t a = kt_op(t, KH_OP_ATTR, -1, -1, -1, KH_ATTR_SIZE);
    int32_t b = kt_op(t, KH_OP_SUM, -1, -1, -1, 0);
    int32_t pick = kt_out(t, kt_op(t, KH_OP_SELECT, a, b, kt_k(t, -2000), 0));
    int32_t pick2 = kt_out(t, kt_op(t, KH_OP_SELECT, a, kt_k(t, 7000), b, 0));
    int32_t floor = kt_out(t, kt_op(t, KH_OP_FLOOR, b, -1, -1, 0));
    int32_t none = kt_out(t, kt_op(t, KH_OP_SUB, -1, b, -1, 0)); /* a missing operand reads 0 */
    kh_jit *j = kt_compile(t, &kt_memory);
    static const kh_dec sizes[] = {0, -1, 3000}, sums[] = {-5000, 0, 4500};
    for (int k = 0; k < 3; k++) {
        kh_event ev = {.measure = 0, .level = -1, .key = -1, .value = sums[k]};
        kh_entity_in in = {.ev = &ev, .nev = 1, .size = sizes[k]};
        kh_dec out[KT_NCOLS];
        kt_both(&t->ir, j, &in, out);
        cr_assert_eq(out[pick], sizes[k] ? sums[k] : -2000);
        cr_assert_eq(out[pick2], sizes[k] ? 7000 : sums[k]);
        cr_assert_eq(out[floor], sums[k] > 0 ? sums[k] : 0);
        cr_assert_eq(out[none], -sums[k]);
    }
    kh_jit_free(j);
    free(t);
}

Test(jit, constant_programs_fold_to_the_same_row)
{
    kt_ir *t = kt_new("常量");
    int32_t c0 = kt_out(t, kt_bin(t, KH_OP_MUL, -333, 1500));
    int32_t c1 = kt_out(t, kt_bin(t, KH_OP_DIV, 2000, 3000));
    int32_t c2 = kt_out(t, kt_bin(t, KH_OP_STEPS, 2500, 1000));
    int32_t c3 = kt_out(t, kt_op(t, KH_OP_SELECT, kt_k(t, 0), kt_k(t, 1), kt_k(t, 2), 0));
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_entity_in in = {0};
    kh_dec out[KT_NCOLS];
    kt_both(&t->ir, j, &in, out);
    cr_assert_eq(out[c0], -500);
    cr_assert_eq(out[c1], 667);
    cr_assert_eq(out[c2], 2000);
    cr_assert_eq(out[c3], 2);
    kh_jit_free(j);
    free(t);
}

Test(jit, attributes_read_role_unit_and_size)
{
    kt_ir *t = kt_new("属性");
    int32_t role = kt_out(t, kt_op(t, KH_OP_ATTR, -1, -1, -1, KH_ATTR_ROLE));
    int32_t unit = kt_out(t, kt_op(t, KH_OP_ATTR, -1, -1, -1, KH_ATTR_UNIT));
    int32_t size = kt_out(t, kt_op(t, KH_OP_ATTR, -1, -1, -1, KH_ATTR_SIZE));
    int32_t bad = kt_out(t, kt_op(t, KH_OP_ATTR, -1, -1, -1, 7));
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_entity_in in = {.role = 2, .unit = 3, .size = 5000};
    kh_dec out[KT_NCOLS];
    kt_both(&t->ir, j, &in, out);
    cr_assert_eq(out[role], 2);
    cr_assert_eq(out[unit], 3);
    cr_assert_eq(out[size], 5000);
    cr_assert_eq(out[bad], 0);
    kh_jit_free(j);
    free(t);
}

/* ---------------------------------------------------------- helpers */

/* Events of measure 1 (稿件): keys 0, 0, 1 and one without a key. */
static const kh_event kt_papers[] = {
    {.measure = 0, .level = -1, .key = -1, .member = 0, .value = 1000},
    {.measure = 1, .level = -1, .key = -1, .member = 2, .value = 1000},
    {.measure = 1, .level = 2, .key = 0, .member = 0, .value = 1000},
    {.measure = 1, .level = 0, .key = 0, .member = 1, .value = 1000},
    {.measure = 1, .level = 1, .key = 1, .member = 1, .value = 2500},
    {.measure = 1, .level = 4, .key = 3, .member = -1, .value = 500},
    {.measure = 3, .level = 0, .key = 0, .member = 0, .value = 1000},
};

Test(jit, measures_are_read_through_the_shared_helpers)
{
    kt_ir *t = kt_new("读取");
    int32_t sum = kt_out(t, kt_op(t, KH_OP_SUM, -1, -1, -1, 1));
    int32_t count = kt_out(t, kt_op(t, KH_OP_COUNT, -1, -1, -1, 1));
    int32_t mean = kt_out(t, kt_op(t, KH_OP_MEAN, -1, -1, -1, 1));
    int32_t members = kt_out(t, kt_op(t, KH_OP_MEMBERS, -1, -1, -1, 1));
    int32_t empty = kt_out(t, kt_op(t, KH_OP_MEAN, -1, -1, -1, 2));
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_entity_in in = {.ev = kt_papers, .nev = sizeof kt_papers / sizeof kt_papers[0]};
    kh_dec out[KT_NCOLS];
    kt_both(&t->ir, j, &in, out);
    cr_assert_eq(out[sum], 6000);
    cr_assert_eq(out[count], 5000);
    cr_assert_eq(out[mean], 1200);
    cr_assert_eq(out[members], 3000);
    cr_assert_eq(out[empty], 0);
    kh_jit_free(j);
    free(t);
}

Test(jit, tiers_count_each_key_once_only_with_dedupe)
{
    /* 国家级 10, 省级 8, 市级 5, 区级 1 */
    static const kh_dec amounts[KT_NLEVELS] = {10000, 8000, 5000, 0, 1000};
    kt_ir *t = kt_new("级别");
    int32_t all = kt_out(t, kt_op(t, KH_OP_TIER, -1, -1, -1, kt_tier(t, 1, false, amounts)));
    int32_t once = kt_out(t, kt_op(t, KH_OP_TIER, -1, -1, -1, kt_tier(t, 1, true, amounts)));
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_entity_in in = {.ev = kt_papers, .nev = sizeof kt_papers / sizeof kt_papers[0]};
    kh_dec out[KT_NCOLS];
    kt_both(&t->ir, j, &in, out);
    /* no level: 0; key 0: 5 + 10; key 1: 8 × 2.5; key 3: 1 × 0.5 */
    cr_assert_eq(out[all], 35500);
    cr_assert_eq(out[once], 30500);
    kh_jit_free(j);
    free(t);
}

Test(jit, out_writes_its_slots_and_nothing_else)
{
    kt_ir *t = kt_new("输出");
    int32_t r = kt_k(t, 4200);
    kt_op(t, KH_OP_OUT, r, -1, -1, 3);
    int32_t again = kt_op(t, KH_OP_OUT, r, -1, -1, 5);
    kt_op(t, KH_OP_OUT, kt_op(t, KH_OP_ADD, again, again, -1, 0), -1, -1, 0);
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_entity_in in = {0};
    kh_dec out[KT_NCOLS];
    kt_both(&t->ir, j, &in, out);
    cr_assert_eq(out[3], 4200);
    cr_assert_eq(out[5], 4200);
    cr_assert_eq(out[0], 8400);
    cr_assert_eq(out[1], KT_SENTINEL);
    cr_assert_eq(out[KT_NCOLS - 1], KT_SENTINEL);
    kh_jit_free(j);
    free(t);
}

Test(jit, empty_program_compiles)
{
    kt_ir *t = kt_new("空");
    t->ir.ncols = 0;
    kh_jit *j = kt_compile(t, &kt_memory);
    kh_dec out[1] = {KT_SENTINEL};
    kh_entity_in in = {0};
    kh_jit_fn(j)(&in, out);
    cr_assert_eq(out[0], KT_SENTINEL);
    kh_jit_free(j);
    free(t);
}

/* ------------------------------------------------------------ bounds */

/* The compiler drops code whose result the bounds of its operands settle
 * (a floor of a floored value, a comparison with a capped one).  Values
 * bounded every way meet constants at and around their bounds, for inputs
 * at the edges of the number range. */
Test(jit, bounds_never_change_a_result)
{
    static const kh_dec consts[] = {-KH_DEC_MAX, -5000, -1, 0, 1, 1000, 5000, KH_DEC_MAX};
    static const kh_op ops[] = {KH_OP_MIN, KH_OP_MAX, KH_OP_LT, KH_OP_LE, KH_OP_EQ,
                                KH_OP_MUL, KH_OP_STEPS, KH_OP_ADD, KH_OP_SUB};
    static const kh_dec inputs[] = {INT64_MIN, -KH_DEC_MAX - 1, -KH_DEC_MAX, -5001, -5000, -4999, -1, 0, 1,
                                    999, 1000, 4999, 5000, 5001, KH_DEC_MAX, KH_DEC_MAX + 1, INT64_MAX};
    kt_ir *t = kt_new("边界");
    int32_t x = kt_op(t, KH_OP_SUM, -1, -1, -1, 0);
    int32_t lo5 = kt_op(t, KH_OP_MAX, x, kt_k(t, -5000), -1, 0);
    int32_t hi5 = kt_op(t, KH_OP_MIN, x, kt_k(t, 5000), -1, 0);
    int32_t band = kt_op(t, KH_OP_CAP, lo5, kt_k(t, 5000), -1, 0);
    int32_t pos = kt_op(t, KH_OP_FLOOR, x, -1, -1, 0);
    int32_t neg = kt_op(t, KH_OP_MIN, x, kt_k(t, 0), -1, 0);
    int32_t m1 = kt_op(t, KH_OP_MAX, x, kt_k(t, -1), -1, 0);
    int32_t v[] = {
        x, lo5, hi5, band, pos, neg, m1,
        kt_op(t, KH_OP_STEPS, pos, kt_k(t, 1000), -1, 0),
        kt_op(t, KH_OP_STEPS, band, kt_k(t, 1000), -1, 0),
        kt_op(t, KH_OP_STEPS, band, kt_k(t, 3000), -1, 0),
        kt_op(t, KH_OP_STEPS, band, kt_k(t, 7), -1, 0),
        kt_op(t, KH_OP_COUNT, -1, -1, -1, 0),
        kt_op(t, KH_OP_LT, x, kt_k(t, 0), -1, 0),
        kt_op(t, KH_OP_ADD, band, band, -1, 0),
        kt_op(t, KH_OP_SUB, lo5, hi5, -1, 0),
        kt_op(t, KH_OP_MUL, band, kt_k(t, 1500), -1, 0),
        kt_op(t, KH_OP_MUL, neg, kt_k(t, 1000), -1, 0),
        kt_op(t, KH_OP_MUL, hi5, kt_k(t, 2000), -1, 0),
        kt_op(t, KH_OP_DIV, x, kt_k(t, 3000), -1, 0),
        kt_op(t, KH_OP_SELECT, x, band, pos, 0),
    };
    int nv = (int)(sizeof v / sizeof v[0]);
    int32_t kc[sizeof consts / sizeof consts[0]];
    for (size_t c = 0; c < sizeof consts / sizeof consts[0]; c++)
        kc[c] = kt_k(t, consts[c]);
    for (int i = 0; i < nv; i++) {
        kt_out(t, v[i]);
        kt_out(t, kt_op(t, KH_OP_FLOOR, v[i], -1, -1, 0));
        kt_out(t, kt_op(t, KH_OP_SELECT, v[i], kt_k(t, 1000), kt_k(t, 2000), 0));
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
            for (size_t c = 0; c < sizeof consts / sizeof consts[0]; c++) {
                kt_out(t, kt_op(t, ops[o], v[i], kc[c], -1, 0));
                kt_out(t, kt_op(t, ops[o], kc[c], v[i], -1, 0));
            }
    }
    kh_jit_opts o = {.opt_level = 0, .cache_dir = ""};
    kh_jit *j = kt_compile(t, &o);
    kh_dec *out = malloc(sizeof(kh_dec) * (size_t)t->ir.ncols);
    cr_assert_not_null(out);
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        kh_event ev = {.measure = 0, .level = -1, .key = -1, .value = inputs[k]};
        kh_entity_in in = {.ev = &ev, .nev = 1};
        kt_both(&t->ir, j, &in, out);
    }
    free(out);
    kh_jit_free(j);
    free(t);
}

/* ------------------------------------------------- random programs */

static const kh_dec kt_consts[] = {0, 1, -1, 499, 500, -500, 999, 1000, -1000, 1500, 2500, 3000, 100000,
                                   -2500, 333, 20000000, KH_DEC_MAX, -KH_DEC_MAX, 10000000000000LL};

/* Operand: an earlier register, now and then none (reads 0). */
static int32_t kt_pick(kt_rng *r, int32_t i)
{
    return kt_between(r, 0, 30) == 0 ? -1 : (int32_t)kt_between(r, 0, i - 1);
}

static void kt_random_ins(kt_ir *t, kt_rng *r)
{
    int32_t i = t->ir.nins;
    kh_op op = (kh_op)kt_between(r, 0, KH_OP_COUNT_ - 1);
    if (i < 8 || op == KH_OP_CONST) {
        kt_k(t, kt_consts[kt_between(r, 0, sizeof kt_consts / sizeof kt_consts[0] - 1)]);
        return;
    }
    int64_t imm = 0;
    switch (op) {
    case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_MEMBERS:
        imm = kt_between(r, 0, KT_NMEAS); /* one past the end: no events */
        break;
    case KH_OP_MSTEPS:
        imm = kt_between(r, 0, KT_NMEAS) | (kt_between(r, 0, 1) ? KH_MSTEPS_EXCESS : 0) |
              (kt_between(r, 0, 1) ? KH_MSTEPS_RATE : 0);
        break;
    case KH_OP_ATTR: imm = kt_between(r, 0, 3); break;
    case KH_OP_TIER: imm = kt_between(r, 0, t->ir.ntiers - 1); break;
    case KH_OP_OUT: imm = kt_between(r, 0, KT_NCOLS - 1); break;
    case KH_OP_CONST: case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
    case KH_OP_MIN: case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: case KH_OP_SELECT:
    case KH_OP_FLOOR: case KH_OP_CAP:
        break;
    }
    kt_op(t, op, kt_pick(r, i), kt_pick(r, i), kt_pick(r, i), imm);
}

static kt_ir *kt_random_program(uint64_t seed, int n)
{
    static const kh_dec a0[KT_NLEVELS] = {10000, 8000, 5000, 3000, 1000};
    static const kh_dec a1[KT_NLEVELS] = {0, 3000, 2000, 0, 1000};
    static const kh_dec a2[KT_NLEVELS] = {333, 0, 0, 0, 0};
    kt_rng r = {seed};
    kt_ir *t = kt_new("随机");
    kt_tier(t, 3, false, a0);
    kt_tier(t, 1, true, a1);
    kt_tier(t, 2, true, a2);
    while (t->ir.nins < n - KT_NCOLS)
        kt_random_ins(t, &r);
    for (int32_t c = 0; c < KT_NCOLS; c++) /* every slot written at the end */
        kt_op(t, KH_OP_OUT, (int32_t)kt_between(&r, 0, t->ir.nins - 1), -1, -1, c);
    return t;
}

Test(jit, agrees_with_interpreter_on_random_programs)
{
    for (uint64_t seed = 1; seed <= 6; seed++) {
        kt_ir *t = kt_random_program(seed * 0x9e3779b97f4a7c15ULL, 400);
        kh_jit_opts o = {.opt_level = (int)(seed % 4), .cache_dir = ""};
        kh_jit *j = kt_compile(t, &o);
        kt_agree(&t->ir, j, seed, 300);
        kh_jit_free(j);
        free(t);
    }
}

/* The entity as a reader with columns hands it over: every measure's
 * totals in agg, and only the events of measures read one by one. */
static void kt_totals(const kh_ir *ir, const kt_entity *e, kh_dec *agg, kh_event *kept, kh_entity_in *in)
{
    bool need[64];
    cr_assert_leq(ir->nmeasures, 64);
    kh_ir_needs_events(ir, need);
    memset(agg, 0, 2 * (size_t)ir->nmeasures * sizeof *agg);
    int64_t n = 0;
    for (int64_t i = 0; i < e->in.nev; i++) {
        const kh_event *v = &e->in.ev[i];
        kh_totals_add(agg, v->measure, v->value);
        if (need[v->measure])
            kept[n++] = *v;
    }
    *in = e->in;
    in->ev = kept;
    in->nev = n;
    in->agg = agg;
}

/* Score n random entities of t with their events, then with totals in
 * their place, in both engines; the rows must be equal.  Returns how many
 * entities had events the totals replaced. */
static int kt_totals_agree(kt_ir *t, uint64_t seed, int n)
{
    kh_jit *j = kt_compile(t, &kt_memory);
    const kh_ir *ir = &t->ir;
    kt_rng r = {seed};
    kt_entity e;
    kh_dec agg[2 * KT_NMEAS + 2], *full = malloc(sizeof(kh_dec) * (size_t)(ir->ncols + 1)),
                                  *part = malloc(sizeof(kh_dec) * (size_t)(ir->ncols + 1)),
                                  *regs = malloc(sizeof(kh_dec) * (size_t)(ir->nins + 1));
    kh_event kept[KT_MAXEV];
    cr_assert(full && part && regs);
    int dropped = 0;
    for (int i = 0; i < n; i++) {
        kt_random_entity(&r, ir, &e);
        for (int32_t c = 0; c < ir->ncols; c++)
            full[c] = KT_SENTINEL;
        kh_interp(ir, &e.in, regs, full);
        kh_entity_in in;
        kt_totals(ir, &e, agg, kept, &in);
        dropped += in.nev < e.in.nev;
        kt_both(ir, j, &in, part);
        for (int32_t c = 0; c < ir->ncols; c++)
            cr_assert_eq(part[c], full[c], "slot %d: with totals %lld, with events %lld", c, (long long)part[c],
                         (long long)full[c]);
    }
    free(full);
    free(part);
    free(regs);
    kh_jit_free(j);
    return dropped;
}

Test(jit, totals_in_place_of_events_give_the_same_row)
{
    static const kh_dec amounts[KT_NLEVELS] = {10000, 8000, 5000, 0, 1000};
    kt_ir *t = kt_new("合计");
    for (int64_t m = 0; m <= KT_NMEAS; m++) { /* and one past the end */
        kt_out(t, kt_op(t, KH_OP_SUM, -1, -1, -1, m));
        kt_out(t, kt_op(t, KH_OP_COUNT, -1, -1, -1, m));
        kt_out(t, kt_op(t, KH_OP_MEAN, -1, -1, -1, m));
    }
    kt_out(t, kt_op(t, KH_OP_TIER, -1, -1, -1, kt_tier(t, 1, true, amounts)));
    kt_out(t, kt_op(t, KH_OP_MEMBERS, -1, -1, -1, 2));
    cr_assert_gt(kt_totals_agree(t, 7, 300), 100, "too few entities had events the totals replace");
    free(t);
    for (uint64_t seed = 11; seed <= 14; seed++) {
        t = kt_random_program(seed * 0x9e3779b97f4a7c15ULL, 300);
        kt_totals_agree(t, seed, 200);
        free(t);
    }
}

Test(jit, every_op_appears_in_the_random_programs)
{
    bool seen[KH_OP_COUNT_] = {false};
    kt_ir *t = kt_random_program(0x9e3779b97f4a7c15ULL, 400);
    for (int32_t i = 0; i < t->ir.nins; i++)
        seen[t->ins[i].op] = true;
    for (int op = 0; op < KH_OP_COUNT_; op++)
        cr_assert(seen[op], "op %s never generated", kh_op_name((kh_op)op));
    free(t);
}

/* -------------------------------------------------------- failures */

Test(jit, malformed_ir_is_refused_with_a_message)
{
    kt_ir *t = kt_new("坏");
    kt_k(t, 1000);
    kt_op(t, KH_OP_ADD, 0, 2, -1, 0); /* reads a later register */
    char err[256] = "";
    kh_jit_stats st = {0};
    cr_assert_null(kh_jit_compile(&t->ir, &kt_memory, &st, err, sizeof err));
    cr_assert(strstr(err, "invalid IR") != NULL, "err: %s", err);
    t->ir.nins = 1;
    kt_op(t, KH_OP_OUT, 0, -1, -1, KT_NCOLS); /* no such slot */
    cr_assert_null(kh_jit_compile(&t->ir, &kt_memory, &st, err, sizeof err));
    cr_assert(strstr(err, "%1 out") != NULL, "err: %s", err);
    free(t);
}

Test(jit, running_out_of_memory_is_reported_at_every_allocation)
{
    kt_ir *t = kt_random_program(51, 100);
    kh_alloc al = {0};
    t->ir.arena.alloc = &al;
    long n = 1;
    for (;; n++) {
        al = (kh_alloc){.fail_at = n};
        char err[256] = "";
        kh_jit *j = kh_jit_compile(&t->ir, &kt_memory, NULL, err, sizeof err);
        if (j) {
            kt_agree(&t->ir, j, 52, 20);
            kh_jit_free(j);
            break;
        }
        cr_assert(strstr(err, "out of memory") != NULL, "allocation %ld: %s", n, err);
    }
    cr_assert_gt(n, 1);
    free(t);
}

/* ----------------------------------------------------------- files */

typedef struct kt_dir {
    char path[64];
} kt_dir;

static void kt_mkdtemp(kt_dir *d)
{
    strcpy(d->path, "/tmp/kh-jit-test-XXXXXX");
    cr_assert_not_null(mkdtemp(d->path));
}

static void kt_rmtree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        kt_rmtree(p);
    }
    closedir(dir);
    rmdir(path);
}

/* The only .so in dir (the cache holds one per scheme); its count. */
static int kt_only_so(const char *dir, char out[512])
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0) {
            snprintf(out, 512, "%s/%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static kh_jit *kt_cached_ir(const kh_ir *ir, const char *dir, kh_jit_stats *st)
{
    kh_jit_opts o = {.opt_level = KH_JIT_LEVEL, .cache_dir = dir};
    char err[512] = "";
    kh_jit *j = kh_jit_compile(ir, &o, st, err, sizeof err);
    cr_assert_not_null(j, "compile failed: %s", err);
    return j;
}

static kh_jit *kt_cached(kt_ir *t, const char *dir, kh_jit_stats *st)
{
    return kt_cached_ir(&t->ir, dir, st);
}

Test(jit, cache_serves_the_second_compile)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char sub[128], so[512];
    snprintf(sub, sizeof sub, "%s/a/b", d.path); /* created on demand */
    kt_ir *t = kt_random_program(42, 300);
    kh_jit_stats st;
    kh_jit *j1 = kt_cached(t, sub, &st);
    cr_assert_not(st.from_cache);
    cr_assert_gt(st.compile_ms, 0);
    cr_assert_eq(kt_only_so(sub, so), 1);
    kh_jit *j2 = kt_cached(t, sub, &st);
    cr_assert(st.from_cache);
    cr_assert_eq(st.compile_ms, 0);
    kt_agree(&t->ir, j2, 7, 100);
    kh_jit_free(j1);
    kh_jit_free(j2);
    free(t);
    kt_rmtree(d.path);
}

Test(jit, cache_recompiles_a_corrupt_object)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char so[512];
    kt_ir *t = kt_random_program(43, 300);
    kh_jit_stats st;
    kh_jit_free(kt_cached(t, d.path, &st));
    cr_assert_eq(kt_only_so(d.path, so), 1);
    FILE *f = fopen(so, "wb");
    cr_assert_not_null(f);
    fputs("not an ELF file", f);
    fclose(f);
    kh_jit *j = kt_cached(t, d.path, &st);
    cr_assert_not(st.from_cache);
    kt_agree(&t->ir, j, 8, 100);
    kh_jit_free(j);
    kh_jit_free(kt_cached(t, d.path, &st)); /* the replacement is good */
    cr_assert(st.from_cache);
    free(t);
    kt_rmtree(d.path);
}

Test(jit, cache_replaces_an_object_of_another_scheme)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char so[512], other[512];
    kt_ir *t = kt_random_program(44, 300), *u = kt_random_program(45, 300);
    kh_jit_stats st;
    kh_jit_free(kt_cached(t, d.path, &st));
    cr_assert_eq(kt_only_so(d.path, so), 1);
    snprintf(other, sizeof other, "%s/other.so", d.path);
    char err[512];
    cr_assert(kh_jit_write_so(&u->ir, &kt_memory, other, err, sizeof err), "%s", err);
    cr_assert_eq(rename(other, so), 0);
    kh_jit *j = kt_cached(t, d.path, &st);
    cr_assert_not(st.from_cache);
    kt_agree(&t->ir, j, 9, 100);
    kh_jit_free(j);
    free(t);
    free(u);
    kt_rmtree(d.path);
}

Test(jit, unwritable_cache_falls_back_to_memory)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char file[128];
    snprintf(file, sizeof file, "%s/file", d.path);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    kt_ir *t = kt_random_program(46, 200);
    kh_jit_stats st;
    kh_jit *j = kt_cached(t, file, &st); /* a file where the directory should be */
    cr_assert_not(st.from_cache);
    kt_agree(&t->ir, j, 10, 50);
    kh_jit_free(j);
    free(t);
    kt_rmtree(d.path);
}

Test(jit, written_object_scores_the_same_when_loaded)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char path[128], err[512] = "";
    snprintf(path, sizeof path, "%s/scheme.so", d.path);
    kt_ir *t = kt_random_program(47, 400);
    cr_assert(kh_jit_write_so(&t->ir, &kt_memory, path, err, sizeof err), "%s", err);
    kh_jit *j = kh_jit_load_so(&t->ir, path, err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    kt_agree(&t->ir, j, 11, 200);
    kh_jit_free(j);
    free(t);
    kt_rmtree(d.path);
}

Test(jit, loading_an_object_of_another_scheme_is_refused)
{
    kt_dir d;
    kt_mkdtemp(&d);
    char path[128], err[512] = "";
    snprintf(path, sizeof path, "%s/scheme.so", d.path);
    kt_ir *t = kt_random_program(48, 200), *u = kt_random_program(49, 200);
    cr_assert(kh_jit_write_so(&t->ir, &kt_memory, path, err, sizeof err), "%s", err);
    cr_assert_null(kh_jit_load_so(&u->ir, path, err, sizeof err));
    cr_assert(strstr(err, "different scheme") != NULL, "err: %s", err);
    cr_assert_null(kh_jit_load_so(&t->ir, "/nonexistent/scheme.so", err, sizeof err));
    cr_assert(strstr(err, "cannot open") != NULL, "err: %s", err);
    free(t);
    free(u);
    kt_rmtree(d.path);
}

Test(jit, write_so_into_a_missing_directory_fails_cleanly)
{
    kt_ir *t = kt_random_program(50, 100);
    char err[512] = "";
    cr_assert_not(kh_jit_write_so(&t->ir, &kt_memory, "/nonexistent/dir/scheme.so", err, sizeof err));
    cr_assert(strstr(err, "cannot write") != NULL, "err: %s", err);
    free(t);
}

/* --------------------------------------------------- real schemes */

static const char kt_person_scheme[] =
    "考核方案：机关干部年度考核\n"
    "满分：100分\n"
    "一、工作实绩（基本分40分，加分不超过5分）\n"
    "  1. 信息报送：班子成员3万字以上、干部职工2万字以上得1分\n"
    "  2. 学习心得：应达2篇，每少1篇扣1分\n"
    "  3. 迟报：迟报一次扣0.2分，扣完为止\n"
    "  4. 参训率（满分5分）：80%以上得满分；79%至70%得4分；69%至60%得2分；59%以下得0分\n"
    "  5. 获奖：国家级加10分，省级加8分，市级加5分，同项按最高级别加分一次，最高加3分\n"
    "  6. 考勤（5分）：未落实不得分\n"
    "  7. 民主测评（满分10分）：评分，折合5分\n"
    "  8. 稿件：应达20篇，超额每10篇加0.1分，最高加1分\n"
    "  9. 通报：通报一次分管领导扣1分，责任人扣2分\n"
    "  10. 完成率（满分5分）：全部完成得5分；41%-99%用系数计算得分；低于40%的不得分\n"
    "二、加分项\n"
    "  1. 表彰：省级每次3分\n";

static const char kt_unit_scheme[] =
    "考核方案：部门考核\n"
    "考核对象：部门\n"
    "一、组织建设（基本分20分）\n"
    "  1. 培训：缺1人扣1分\n"
    "  2. 简报：12篇以上（2人部门15篇、3人以上部门18篇），每少1篇扣0.5分\n"
    "  3. 档案：不少于2条（其中社救局不少于3条），每少1条扣1分\n";

/* Lower a scheme from text, compile it at every level, and score random
 * entities with both engines. */
static void kt_lowered(const char *text, uint64_t seed)
{
    kh_fixture f;
    kh_fx_lower(&f, text);
    cr_assert_eq(f.d.nerrors, 0);
    for (int level = 0; level <= 3; level++) {
        kh_jit_opts o = {.opt_level = level, .cache_dir = ""};
        char err[512] = "";
        kh_jit *j = kh_jit_compile(f.ir, &o, NULL, err, sizeof err);
        cr_assert_not_null(j, "level %d: %s", level, err);
        kt_agree(f.ir, j, seed + (uint64_t)level, 400);
        kh_jit_free(j);
    }
    kh_fx_free(&f);
}

Test(jit, person_scheme_scores_like_the_interpreter)
{
    kt_lowered(kt_person_scheme, 100);
}

Test(jit, unit_scheme_scores_like_the_interpreter)
{
    kt_lowered(kt_unit_scheme, 200);
}

/* ----------------------------------------------------------- speed */

/* A 100-item scheme: ten sections of the ten kinds of item above. */
static char *kt_hundred_text(void)
{
    static const char *const forms[10] = {
        "事项%d：每次扣1分",
        "事项%d：应达2篇，每少1篇扣1分",
        "事项%d：少于3万字的扣2分",
        "事项%d（满分5分）：80%%以上得满分；79%%至70%%得4分；69%%至60%%得2分；59%%以下得0分",
        "事项%d：国家级加10分，省级加8分，市级加5分，同项按最高级别加分一次，最高加10分",
        "事项%d：迟报一次扣0.2分，扣完为止",
        "事项%d（5分）：未落实不得分",
        "事项%d（满分10分）：评分",
        "事项%d：应达20篇，超额每10篇加0.1分，最高加1分",
        "事项%d：通报一次分管领导扣1分，责任人扣2分",
    };
    static const char *const nums[10] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    size_t cap = 64 * 1024, n = 0;
    char *t = malloc(cap);
    cr_assert_not_null(t);
    n += (size_t)snprintf(t + n, cap - n, "考核方案：百项\n满分：100分\n");
    for (int sec = 0; sec < 10; sec++) {
        n += (size_t)snprintf(t + n, cap - n, "%s、第%s部分（基本分10分）\n", nums[sec], nums[sec]);
        for (int i = 0; i < 10; i++) {
            n += (size_t)snprintf(t + n, cap - n, "  %d. ", i + 1);
            n += (size_t)snprintf(t + n, cap - n, forms[(sec + i) % 10], sec * 10 + i);
            n += (size_t)snprintf(t + n, cap - n, "\n");
        }
    }
    cr_assert_lt(n, cap - 1);
    return t;
}

Test(jit, hundred_item_scheme_compiles_quickly)
{
    char *text = kt_hundred_text();
    kh_fixture f;
    kh_fx_lower(&f, text);
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(f.ir->nitems, 100);
    cr_assert_gt(f.ir->nins, 1000);
    kt_dir d;
    kt_mkdtemp(&d);
    kh_jit_stats mem[4], file, cached;
    for (int level = 0; level <= 3; level++) {
        kh_jit_opts o = {.opt_level = level, .cache_dir = ""};
        char err[512] = "";
        kh_jit *j = kh_jit_compile(f.ir, &o, &mem[level], err, sizeof err);
        cr_assert_not_null(j, "%s", err);
        kt_agree(f.ir, j, 12 + (uint64_t)level, 100);
        kh_jit_free(j);
    }
    kh_jit *j2 = kt_cached_ir(f.ir, d.path, &file);
    kh_jit *j3 = kt_cached_ir(f.ir, d.path, &cached);
    cr_log_info("%d instructions, compile in memory: -O0 %.0f ms (first in the process), -Og %.0f ms, "
                "-O1 %.0f ms, -O2 %.0f ms; -Og into the cache %.0f ms + load %.1f ms; from the cache %.1f ms",
                (int)f.ir->nins, mem[0].compile_ms, mem[1].compile_ms, mem[2].compile_ms, mem[3].compile_ms,
                file.compile_ms, file.load_ms, cached.load_ms);
    cr_assert_not(file.from_cache);
    cr_assert(cached.from_cache);
    cr_assert_lt(cached.load_ms, file.compile_ms);
    /* generous: the machine may be busy; the figures are in the log */
    cr_assert_lt(mem[KH_JIT_LEVEL].compile_ms, 5000);
    kt_agree(f.ir, j3, 16, 200);
    kh_jit_free(j2);
    kh_jit_free(j3);
    kt_rmtree(d.path);
    kh_fx_free(&f);
    free(text);
}
