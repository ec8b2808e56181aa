/* jit.c — the native engine: a scheme's IR becomes machine code through
 * libgccjit.
 *
 * Each scheme is one gcc_jit_context holding one exported function
 *
 *     void kh_entity(const kh_entity_in *in, kh_dec *out);
 *
 * with the contract of kh_interp, as straight-line code: nothing about the
 * IR is looked at while it runs.  Reading events is the kh_rt_* helpers'
 * job, called by name (the host binary exports them), so the two engines
 * share that code; DIV calls kh_dec_div.  Everything else is inline and
 * branch-free: comparisons, selections, minima and maxima, MUL (rounded in
 * 64 bits when the product fits, kh_dec_mul beyond).
 *
 * GCC's time grows with the code it is given, and lowered IR is verbose, so
 * the generator does the obvious work itself: instructions on constants are
 * computed (exactly as kh_interp would), a + 0 and the like become their
 * operand, and every register carries bounds on its values, so that a floor
 * of something never negative, a cap above a value's maximum or a test the
 * bounds decide needs no code.  What is left gets one local per register,
 * in as few statements as it can (GCC's cost is per statement, over a
 * hundred passes): signed arithmetic wraps under -fwrapv instead of going
 * through unsigned, max(x, 0) and min(x, 0) are a mask of x's sign, and a
 * product saturates by comparing x, not a 128-bit product, with the limit.
 * GCC runs at -Og (kh_jit_gcc_options): its other passes find nothing to
 * do in straight-line code.
 *
 * The generated code holds no host address: tier tables are emitted as data
 * of their own, so the code can be written to a shared object, cached on
 * disk (jitcache.c) and loaded by another process.  This is the only file
 * that includes libgccjit.h.
 */
#include <libgccjit.h>
#include <stddef.h>
#include <string.h>

#include "compiler.h"
#include "jitcache.h"

/* The generated code mirrors these two host structures field by field. */
_Static_assert(offsetof(kh_entity_in, ev) == 0 && offsetof(kh_entity_in, nev) == 8 &&
                   offsetof(kh_entity_in, role) == 16 && offsetof(kh_entity_in, unit) == 20 &&
                   offsetof(kh_entity_in, size) == 24 && offsetof(kh_entity_in, agg) == 32 &&
                   sizeof(kh_entity_in) == 40,
               "kh_entity_in changed: update kh_jg_types");
_Static_assert(offsetof(kh_tiertab, measure) == 0 && offsetof(kh_tiertab, amount) == 8 &&
                   offsetof(kh_tiertab, dedupe) == 16 && offsetof(kh_tiertab, span) == 20 &&
                   sizeof(kh_tiertab) == 32,
               "kh_tiertab changed: update kh_jg_types");

struct kh_jit {
    gcc_jit_result *result; /* compiled in memory, or */
    void *handle;           /* loaded from a shared object */
    kh_entity_fn fn;
};

/* ---------------------------------------------------- generation state */

typedef struct kh_jg {
    gcc_jit_context *cx;
    const kh_ir *ir;
    gcc_jit_type *t_void, *t_bool, *t_i32, *t_u32, *t_i64, *t_u64, *t_i128;
    gcc_jit_type *t_in, *t_tier;            /* the mirrored structs (const) */
    gcc_jit_field *f_in[6], *f_tier[4];
    gcc_jit_function *rt_totals, *rt_members, *rt_msteps, *rt_tier, *dec_mul, *dec_div;
    gcc_jit_function *mul;                  /* the inline MUL */
    gcc_jit_lvalue **tiers;                 /* one table per ir->tiers */
    gcc_jit_function *fn;
    gcc_jit_block *blk;
    gcc_jit_rvalue *in, *out;
    gcc_jit_rvalue *agg;                    /* the entity's totals (kh_entity_in.agg) */
    struct kh_jv *val;                      /* what each register holds */
} kh_jg;

/* A register as the generator knows it: a local, or a constant. */
typedef struct kh_jv {
    gcc_jit_rvalue *rv;     /* the local's value; NULL when constant */
    kh_dec k;               /* the constant */
    kh_dec lo, hi;          /* every value it takes lies in [lo, hi] */
} kh_jv;

static gcc_jit_rvalue *kh_jg_long(kh_jg *g, gcc_jit_type *t, long v)
{
    return gcc_jit_context_new_rvalue_from_long(g->cx, t, v);
}

static gcc_jit_rvalue *kh_jg_cast(kh_jg *g, gcc_jit_rvalue *v, gcc_jit_type *t)
{
    return gcc_jit_context_new_cast(g->cx, NULL, v, t);
}

static gcc_jit_rvalue *kh_jg_bin(kh_jg *g, enum gcc_jit_binary_op op, gcc_jit_type *t, gcc_jit_rvalue *a,
                                 gcc_jit_rvalue *b)
{
    return gcc_jit_context_new_binary_op(g->cx, NULL, op, t, a, b);
}

static gcc_jit_rvalue *kh_jg_cmp(kh_jg *g, enum gcc_jit_comparison op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
    return gcc_jit_context_new_comparison(g->cx, NULL, op, a, b);
}

/* --------------------------------------------------------------- types */

static gcc_jit_field *kh_jg_field(kh_jg *g, gcc_jit_type *t, const char *name)
{
    return gcc_jit_context_new_field(g->cx, NULL, t, name);
}

static void kh_jg_types(kh_jg *g)
{
    gcc_jit_context *cx = g->cx;
    g->t_void = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_VOID);
    g->t_bool = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_BOOL);
    g->t_i32 = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_INT32_T);
    g->t_u32 = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_UINT32_T);
    g->t_i64 = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_INT64_T);
    g->t_u64 = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_UINT64_T);
    g->t_i128 = gcc_jit_context_get_type(cx, GCC_JIT_TYPE_INT128_T);

    gcc_jit_type *cvoidp = gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_void));
    g->f_in[0] = kh_jg_field(g, cvoidp, "ev");
    g->f_in[1] = kh_jg_field(g, g->t_i64, "nev");
    g->f_in[2] = kh_jg_field(g, g->t_i32, "role");
    g->f_in[3] = kh_jg_field(g, g->t_i32, "unit");
    g->f_in[4] = kh_jg_field(g, g->t_i64, "size");
    g->f_in[5] = kh_jg_field(g, gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_i64)), "agg");
    gcc_jit_struct *in = gcc_jit_context_new_struct_type(cx, NULL, "kh_entity_in", 6, g->f_in);
    g->t_in = gcc_jit_type_get_const(gcc_jit_struct_as_type(in));

    gcc_jit_field *span[2] = {kh_jg_field(g, g->t_u32, "off"), kh_jg_field(g, g->t_u32, "len")};
    gcc_jit_struct *sp = gcc_jit_context_new_struct_type(cx, NULL, "kh_span", 2, span);
    g->f_tier[0] = kh_jg_field(g, g->t_i32, "measure");
    g->f_tier[1] = kh_jg_field(g, gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_i64)), "amount");
    g->f_tier[2] = kh_jg_field(g, g->t_bool, "dedupe");
    g->f_tier[3] = kh_jg_field(g, gcc_jit_struct_as_type(sp), "span");
    gcc_jit_struct *tt = gcc_jit_context_new_struct_type(cx, NULL, "kh_tiertab", 4, g->f_tier);
    g->t_tier = gcc_jit_type_get_const(gcc_jit_struct_as_type(tt));
}

/* ------------------------------------------------------------- imports */

/* An imported function kh_dec NAME(const kh_entity_in *, T). */
static gcc_jit_function *kh_jg_import_rt(kh_jg *g, const char *name, gcc_jit_type *arg)
{
    gcc_jit_param *p[2] = {
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_in), "in"),
        gcc_jit_context_new_param(g->cx, NULL, arg, "arg"),
    };
    return gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_IMPORTED, g->t_i64, name, 2, p, 0);
}

/* An imported function kh_dec NAME(kh_dec, kh_dec). */
static gcc_jit_function *kh_jg_import_dec(kh_jg *g, const char *name)
{
    gcc_jit_param *p[2] = {
        gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "a"),
        gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "b"),
    };
    return gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_IMPORTED, g->t_i64, name, 2, p, 0);
}

/* kh_dec kh_rt_msteps(const kh_entity_in *, int32_t, kh_dec, kh_dec) */
static gcc_jit_function *kh_jg_import_msteps(kh_jg *g)
{
    gcc_jit_param *p[4] = {
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_in), "in"),
        gcc_jit_context_new_param(g->cx, NULL, g->t_i32, "mm"),
        gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "target"),
        gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "step"),
    };
    return gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_IMPORTED, g->t_i64, "kh_rt_msteps", 4, p, 0);
}

/* void kh_rt_totals(const kh_entity_in *, kh_dec *, int32_t) */
static gcc_jit_function *kh_jg_import_totals(kh_jg *g)
{
    gcc_jit_param *p[3] = {
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_in), "in"),
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_i64), "agg"),
        gcc_jit_context_new_param(g->cx, NULL, g->t_i32, "nmeasures"),
    };
    return gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_IMPORTED, g->t_void, "kh_rt_totals", 3, p, 0);
}

static void kh_jg_imports(kh_jg *g)
{
    g->rt_totals = kh_jg_import_totals(g);
    g->rt_members = kh_jg_import_rt(g, "kh_rt_members", g->t_i32);
    g->rt_msteps = kh_jg_import_msteps(g);
    g->rt_tier = kh_jg_import_rt(g, "kh_rt_tier", gcc_jit_type_get_pointer(g->t_tier));
    g->dec_mul = kh_jg_import_dec(g, "kh_dec_mul");
    g->dec_div = kh_jg_import_dec(g, "kh_dec_div");
}

/* ---------------------------------------------------------------- data */

/* An array of integers initialised from bytes: const T name[n]. */
static gcc_jit_lvalue *kh_jg_blob(kh_jg *g, enum gcc_jit_global_kind kind, gcc_jit_type *elem, int n,
                                  const char *name, const void *bytes, size_t nbytes)
{
    gcc_jit_type *t = gcc_jit_context_new_array_type(g->cx, NULL, elem, n);
    gcc_jit_lvalue *v = gcc_jit_context_new_global(g->cx, NULL, kind, t, name);
    return gcc_jit_global_set_initializer(v, bytes, nbytes);
}

/* const char kh_abi[] = "kaohe-abi-3 <version> <IR hash>"; */
static void kh_jg_abi(kh_jg *g, const char *ir_hash)
{
    char abi[KH_JC_ABI];
    kh_jc_abi(ir_hash, abi);
    gcc_jit_type *c = gcc_jit_context_get_type(g->cx, GCC_JIT_TYPE_CHAR);
    kh_jg_blob(g, GCC_JIT_GLOBAL_EXPORTED, c, (int)strlen(abi) + 1, KH_JC_SYM_ABI, abi, strlen(abi) + 1);
}

/* One tier table: its amounts, and a kh_tiertab pointing at them. */
static gcc_jit_lvalue *kh_jg_tier(kh_jg *g, int32_t k)
{
    const kh_tiertab *t = &g->ir->tiers[k];
    const kh_dec none = 0;
    int n = g->ir->nlevels > 0 ? g->ir->nlevels : 1;
    const void *bytes = g->ir->nlevels > 0 ? (const void *)t->amount : (const void *)&none;
    char name[40];
    snprintf(name, sizeof name, "kh_tier_amount_%d", (int)k);
    gcc_jit_lvalue *amount = kh_jg_blob(g, GCC_JIT_GLOBAL_INTERNAL, g->t_i64, n, name, bytes,
                                        (size_t)n * sizeof(kh_dec));
    gcc_jit_rvalue *first = gcc_jit_lvalue_get_address(
        gcc_jit_context_new_array_access(g->cx, NULL, gcc_jit_lvalue_as_rvalue(amount), kh_jg_long(g, g->t_i32, 0)),
        NULL);
    gcc_jit_rvalue *vals[4] = {
        kh_jg_long(g, g->t_i32, t->measure),
        kh_jg_cast(g, first, gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_i64))),
        kh_jg_long(g, g->t_bool, t->dedupe ? 1 : 0),
        NULL,
    };
    snprintf(name, sizeof name, "kh_tier_%d", (int)k);
    gcc_jit_lvalue *tab = gcc_jit_context_new_global(g->cx, NULL, GCC_JIT_GLOBAL_INTERNAL, g->t_tier, name);
    gcc_jit_rvalue *init = gcc_jit_context_new_struct_constructor(g->cx, NULL, gcc_jit_type_unqualified(g->t_tier),
                                                                  4, g->f_tier, vals);
    return gcc_jit_global_set_initializer_rvalue(tab, init);
}

/* ------------------------------------------------------------ MUL inline */

/* Into block b of function f: return lo × 1000⁻¹ rounded half away from
 * zero, for a product lo that fits in 64 bits (so no saturation either):
 * s = lo < 0 ? ~0 : 0;  m = |lo|;  q = m / 1000 + (m % 1000 ≥ 500);  ±q. */
static void kh_jg_mul_round(kh_jg *g, gcc_jit_function *f, gcc_jit_block *b, gcc_jit_rvalue *lo)
{
    gcc_jit_lvalue *s = gcc_jit_function_new_local(f, NULL, g->t_u64, "s");
    gcc_jit_lvalue *m = gcc_jit_function_new_local(f, NULL, g->t_u64, "m");
    gcc_jit_lvalue *q = gcc_jit_function_new_local(f, NULL, g->t_u64, "q");
    gcc_jit_rvalue *sv = gcc_jit_lvalue_as_rvalue(s), *mv = gcc_jit_lvalue_as_rvalue(m);
    gcc_jit_rvalue *qv = gcc_jit_lvalue_as_rvalue(q), *k1000 = kh_jg_long(g, g->t_u64, KH_DEC_ONE);
    gcc_jit_rvalue *sign = kh_jg_bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->t_i64, lo, kh_jg_long(g, g->t_i64, 63));
    gcc_jit_block_add_assignment(b, NULL, s, kh_jg_cast(g, sign, g->t_u64));
    gcc_jit_rvalue *flip = kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, kh_jg_cast(g, lo, g->t_u64), sv);
    gcc_jit_block_add_assignment(b, NULL, m, kh_jg_bin(g, GCC_JIT_BINARY_OP_MINUS, g->t_u64, flip, sv));
    gcc_jit_block_add_assignment(b, NULL, q, kh_jg_bin(g, GCC_JIT_BINARY_OP_DIVIDE, g->t_u64, mv, k1000));
    gcc_jit_rvalue *rem = kh_jg_bin(g, GCC_JIT_BINARY_OP_MINUS, g->t_u64, mv,
                                    kh_jg_bin(g, GCC_JIT_BINARY_OP_MULT, g->t_u64, qv, k1000));
    gcc_jit_rvalue *up = kh_jg_cmp(g, GCC_JIT_COMPARISON_GE, rem, kh_jg_long(g, g->t_u64, KH_DEC_ONE / 2));
    gcc_jit_block_add_assignment_op(b, NULL, q, GCC_JIT_BINARY_OP_PLUS, kh_jg_cast(g, up, g->t_u64));
    gcc_jit_rvalue *back = kh_jg_bin(g, GCC_JIT_BINARY_OP_MINUS, g->t_u64,
                                     kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_u64, qv, sv), sv);
    gcc_jit_block_end_with_return(b, NULL, kh_jg_cast(g, back, g->t_i64));
}

/* kh_dec kh_mul(kh_dec a, kh_dec b), internal to the generated code: when
 * a × b fits in 64 bits it is rounded here, otherwise kh_dec_mul (which
 * also saturates) does it.  Made on first use. */
static gcc_jit_function *kh_jg_mul_fn(kh_jg *g)
{
    if (g->mul)
        return g->mul;
    gcc_jit_param *ps[2] = {gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "a"),
                            gcc_jit_context_new_param(g->cx, NULL, g->t_i64, "b")};
    gcc_jit_function *f = gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_INTERNAL, g->t_i64,
                                                       "kh_mul", 2, ps, 0);
    gcc_jit_rvalue *args[2] = {gcc_jit_param_as_rvalue(ps[0]), gcc_jit_param_as_rvalue(ps[1])};
    gcc_jit_block *entry = gcc_jit_function_new_block(f, "entry");
    gcc_jit_block *fast = gcc_jit_function_new_block(f, "fast");
    gcc_jit_block *slow = gcc_jit_function_new_block(f, "slow");
    gcc_jit_lvalue *p = gcc_jit_function_new_local(f, NULL, g->t_i128, "p");
    gcc_jit_lvalue *lo = gcc_jit_function_new_local(f, NULL, g->t_i64, "lo");
    gcc_jit_rvalue *pv = gcc_jit_lvalue_as_rvalue(p), *lov = gcc_jit_lvalue_as_rvalue(lo);
    gcc_jit_block_add_assignment(entry, NULL, p,
                                 kh_jg_bin(g, GCC_JIT_BINARY_OP_MULT, g->t_i128, kh_jg_cast(g, args[0], g->t_i128),
                                           kh_jg_cast(g, args[1], g->t_i128)));
    gcc_jit_block_add_assignment(entry, NULL, lo, kh_jg_cast(g, pv, g->t_i64));
    gcc_jit_block_end_with_conditional(entry, NULL,
                                       kh_jg_cmp(g, GCC_JIT_COMPARISON_EQ, kh_jg_cast(g, lov, g->t_i128), pv),
                                       fast, slow);
    kh_jg_mul_round(g, f, fast, lov);
    gcc_jit_block_end_with_return(slow, NULL, gcc_jit_context_new_call(g->cx, NULL, g->dec_mul, 2, args));
    return g->mul = f;
}

/* ---------------------------------------------------------- registers */

/* A register as the generator knows it: a constant, or a local together
 * with bounds on every value it can take. */
static kh_jv kh_jg_const(kh_dec k)
{
    kh_jv v = {NULL, k, k, k};
    return v;
}

static kh_jv kh_jg_get(const kh_jg *g, int32_t r)
{
    return r >= 0 ? g->val[r] : kh_jg_const(0);
}

static gcc_jit_rvalue *kh_jg_rv(kh_jg *g, kh_jv v)
{
    return v.rv ? v.rv : kh_jg_long(g, g->t_i64, v.k);
}

static bool kh_jg_is(kh_jv v, kh_dec k)
{
    return !v.rv && v.k == k;
}

static bool kh_jg_same(kh_jv v, kh_jv w)
{
    return v.rv ? v.rv == w.rv : !w.rv && v.k == w.k;
}

/* A fresh local holding e; returns its value. */
static gcc_jit_rvalue *kh_jg_local(kh_jg *g, gcc_jit_type *t, const char *prefix, int32_t n, gcc_jit_rvalue *e)
{
    char name[32];
    snprintf(name, sizeof name, "%s%d", prefix, (int)n);
    gcc_jit_lvalue *l = gcc_jit_function_new_local(g->fn, NULL, t, name);
    gcc_jit_block_add_assignment(g->blk, NULL, l, e);
    return gcc_jit_lvalue_as_rvalue(l);
}

/* ------------------------------------------------------------ folding */

/* The op on constants, exactly as kh_interp computes it (sums wrap). */
static kh_dec kh_jg_fold(kh_op op, kh_dec a, kh_dec b, kh_dec c)
{
    switch (op) {
    case KH_OP_ADD: return (kh_dec)((uint64_t)a + (uint64_t)b);
    case KH_OP_SUB: return (kh_dec)((uint64_t)a - (uint64_t)b);
    case KH_OP_MUL: return kh_dec_mul(a, b);
    case KH_OP_DIV: return kh_dec_div(a, b);
    case KH_OP_STEPS: return a >= 0 && b > 0 ? (kh_dec)((uint64_t)(a / b) * (uint64_t)KH_DEC_ONE) : 0;
    case KH_OP_MIN: case KH_OP_CAP: return a < b ? a : b;
    case KH_OP_MAX: return a > b ? a : b;
    case KH_OP_LT: return a < b ? KH_DEC_ONE : 0;
    case KH_OP_LE: return a <= b ? KH_DEC_ONE : 0;
    case KH_OP_EQ: return a == b ? KH_DEC_ONE : 0;
    case KH_OP_SELECT: return a != 0 ? b : c;
    case KH_OP_FLOOR: return a > 0 ? a : 0;
    case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER:
    case KH_OP_MEMBERS: case KH_OP_MSTEPS: case KH_OP_OUT:
        break;
    }
    return 0;
}

/* How many of a, b, c the op reads. */
static int kh_jg_arity(kh_op op)
{
    switch (op) {
    case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER:
    case KH_OP_MEMBERS:
        return 0;
    case KH_OP_FLOOR: case KH_OP_OUT:
        return 1;
    case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS: case KH_OP_MIN:
    case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: case KH_OP_CAP: case KH_OP_MSTEPS:
        return 2;
    case KH_OP_SELECT:
        return 3;
    }
    return 0;
}

/* ------------------------------------------------------------- bounds */

static kh_dec kh_jg_min2(kh_dec x, kh_dec y)
{
    return x < y ? x : y;
}

static kh_dec kh_jg_max2(kh_dec x, kh_dec y)
{
    return x > y ? x : y;
}

/* Bounds of a ± b, or of everything when the sum may wrap. */
static void kh_jg_range_add(kh_jv a, kh_jv b, bool sub, kh_jv *r)
{
    bool wrap = sub ? __builtin_sub_overflow(a.lo, b.hi, &r->lo) || __builtin_sub_overflow(a.hi, b.lo, &r->hi)
                    : __builtin_add_overflow(a.lo, b.lo, &r->lo) || __builtin_add_overflow(a.hi, b.hi, &r->hi);
    if (wrap) {
        r->lo = INT64_MIN;
        r->hi = INT64_MAX;
    }
}

/* Rounding and saturation are monotone, so a product's extremes lie at the
 * corners of its operands' bounds. */
static void kh_jg_range_mul(kh_jv a, kh_jv b, kh_jv *r)
{
    kh_dec p[4] = {kh_dec_mul(a.lo, b.lo), kh_dec_mul(a.lo, b.hi), kh_dec_mul(a.hi, b.lo), kh_dec_mul(a.hi, b.hi)};
    r->lo = r->hi = p[0];
    for (int i = 1; i < 4; i++) {
        r->lo = kh_jg_min2(r->lo, p[i]);
        r->hi = kh_jg_max2(r->hi, p[i]);
    }
}

/* Bounds on what instruction p yields, from its operands' bounds. */
static void kh_jg_range(const kh_ins *p, kh_jv a, kh_jv b, kh_jv c, kh_jv *r)
{
    r->lo = INT64_MIN;
    r->hi = INT64_MAX;
    switch (p->op) {
    case KH_OP_CONST: r->lo = r->hi = p->imm; break;
    case KH_OP_SUM: case KH_OP_TIER: break;
    case KH_OP_MEAN: case KH_OP_DIV: r->lo = -KH_DEC_MAX; r->hi = KH_DEC_MAX; break;
    case KH_OP_COUNT: case KH_OP_MEMBERS: case KH_OP_MSTEPS: r->lo = 0; break;
    case KH_OP_ATTR:
        if (p->imm == KH_ATTR_ROLE || p->imm == KH_ATTR_UNIT) {
            r->lo = INT32_MIN;
            r->hi = INT32_MAX;
        } else if (p->imm != KH_ATTR_SIZE) {
            r->lo = r->hi = 0;
        }
        break;
    case KH_OP_ADD: kh_jg_range_add(a, b, false, r); break;
    case KH_OP_SUB: kh_jg_range_add(a, b, true, r); break;
    case KH_OP_MUL: kh_jg_range_mul(a, b, r); break;
    case KH_OP_STEPS: /* ⌊a ÷ b⌋ × 1000 ≤ a once b ≥ 1 */
        if (b.lo >= KH_DEC_ONE) {
            r->lo = 0;
            r->hi = kh_jg_max2(a.hi, 0);
        }
        break;
    case KH_OP_MIN: case KH_OP_CAP: r->lo = kh_jg_min2(a.lo, b.lo); r->hi = kh_jg_min2(a.hi, b.hi); break;
    case KH_OP_MAX: r->lo = kh_jg_max2(a.lo, b.lo); r->hi = kh_jg_max2(a.hi, b.hi); break;
    case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: r->lo = 0; r->hi = KH_DEC_ONE; break;
    case KH_OP_SELECT: r->lo = kh_jg_min2(b.lo, c.lo); r->hi = kh_jg_max2(b.hi, c.hi); break;
    case KH_OP_FLOOR: r->lo = kh_jg_max2(a.lo, 0); r->hi = kh_jg_max2(a.hi, 0); break;
    case KH_OP_OUT: r->lo = a.lo; r->hi = a.hi; break;
    }
}

/* ----------------------------------------------------- simplification */

/* An operand, or a constant, that the result is known to equal. */
typedef enum kh_jg_same_as { KH_JG_CODE, KH_JG_A, KH_JG_B, KH_JG_C, KH_JG_ZERO, KH_JG_ONE } kh_jg_same_as;

static kh_jg_same_as kh_jg_pick(bool first, kh_jg_same_as x, bool second, kh_jg_same_as y)
{
    return first ? x : second ? y : KH_JG_CODE;
}

/* What the bounds and identities say about an op on non-constants. */
static kh_jg_same_as kh_jg_known(kh_op op, kh_jv a, kh_jv b, kh_jv c)
{
    (void)c;
    switch (op) {
    case KH_OP_ADD: return kh_jg_pick(kh_jg_is(b, 0), KH_JG_A, kh_jg_is(a, 0), KH_JG_B);
    case KH_OP_SUB: return kh_jg_pick(kh_jg_is(b, 0), KH_JG_A, false, KH_JG_CODE);
    case KH_OP_MUL: /* 1 × x is x unless x saturates */
        if (kh_jg_is(a, 0) || kh_jg_is(b, 0))
            return KH_JG_ZERO;
        return kh_jg_pick(kh_jg_is(b, KH_DEC_ONE) && a.lo >= -KH_DEC_MAX && a.hi <= KH_DEC_MAX, KH_JG_A,
                          kh_jg_is(a, KH_DEC_ONE) && b.lo >= -KH_DEC_MAX && b.hi <= KH_DEC_MAX, KH_JG_B);
    case KH_OP_DIV: return kh_jg_pick(kh_jg_is(a, 0) || kh_jg_is(b, 0), KH_JG_ZERO, false, KH_JG_CODE);
    case KH_OP_STEPS: return kh_jg_pick(a.hi < 0 || b.hi <= 0, KH_JG_ZERO, false, KH_JG_CODE);
    case KH_OP_MIN: case KH_OP_CAP:
        return kh_jg_pick(a.hi <= b.lo || kh_jg_same(a, b), KH_JG_A, b.hi <= a.lo, KH_JG_B);
    case KH_OP_MAX: return kh_jg_pick(a.lo >= b.hi || kh_jg_same(a, b), KH_JG_A, b.lo >= a.hi, KH_JG_B);
    case KH_OP_LT: return kh_jg_pick(a.hi < b.lo, KH_JG_ONE, a.lo >= b.hi, KH_JG_ZERO);
    case KH_OP_LE: return kh_jg_pick(a.hi <= b.lo, KH_JG_ONE, a.lo > b.hi, KH_JG_ZERO);
    case KH_OP_EQ: return kh_jg_pick(a.hi < b.lo || b.hi < a.lo, KH_JG_ZERO, false, KH_JG_CODE);
    case KH_OP_SELECT:
        return kh_jg_pick(a.lo > 0 || a.hi < 0 || kh_jg_same(b, c), KH_JG_B, a.lo == 0 && a.hi == 0, KH_JG_C);
    case KH_OP_FLOOR: return kh_jg_pick(a.lo >= 0, KH_JG_A, a.hi <= 0, KH_JG_ZERO);
    case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER:
    case KH_OP_MEMBERS: case KH_OP_MSTEPS: case KH_OP_OUT:
        break;
    }
    return KH_JG_CODE;
}

/* When no code is needed for p — its operands are constants, or its result
 * is one of them or a known constant — say what it is. */
static bool kh_jg_simplify(const kh_ins *p, kh_jv a, kh_jv b, kh_jv c, kh_jv *r)
{
    int n = kh_jg_arity(p->op);
    /* MSTEPS reads events as well as its operands: never folded */
    if (p->op == KH_OP_CONST || p->op == KH_OP_OUT || p->op == KH_OP_MSTEPS)
        return false;
    if (n > 0 && !a.rv && (n < 2 || !b.rv) && (n < 3 || !c.rv)) {
        *r = kh_jg_const(kh_jg_fold(p->op, a.k, b.k, c.k));
        return true;
    }
    switch (n > 0 ? kh_jg_known(p->op, a, b, c) : KH_JG_CODE) {
    case KH_JG_CODE: return false;
    case KH_JG_A: *r = a; return true;
    case KH_JG_B: *r = b; return true;
    case KH_JG_C: *r = c; return true;
    case KH_JG_ZERO: *r = kh_jg_const(0); return true;
    case KH_JG_ONE: *r = kh_jg_const(KH_DEC_ONE); return true;
    }
    return false;
}

/* ------------------------------------------------------ expressions */

/* cond ? x : y without a branch: y ^ ((x ^ y) & −cond).  y is read twice,
 * so it must be a local or a constant. */
static gcc_jit_rvalue *kh_jg_select(kh_jg *g, gcc_jit_rvalue *cond, gcc_jit_rvalue *x, gcc_jit_rvalue *y)
{
    gcc_jit_rvalue *mask = gcc_jit_context_new_unary_op(g->cx, NULL, GCC_JIT_UNARY_OP_MINUS, g->t_i64,
                                                        kh_jg_cast(g, cond, g->t_i64));
    gcc_jit_rvalue *diff = kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_i64, x, y);
    return kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_i64, y,
                     kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_i64, diff, mask));
}

/* a OP b with two's-complement wrap-around, as the host computes it: the
 * context compiles with -fwrapv, so signed arithmetic wraps and needs no
 * detour through unsigned (three conversions fewer per op). */
static gcc_jit_rvalue *kh_jg_wrap(kh_jg *g, enum gcc_jit_binary_op op, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
    return kh_jg_bin(g, op, g->t_i64, a, b);
}

/* cond ? 1000 : 0 */
static gcc_jit_rvalue *kh_jg_truth(kh_jg *g, gcc_jit_rvalue *cond)
{
    return kh_jg_bin(g, GCC_JIT_BINARY_OP_MULT, g->t_i64, kh_jg_cast(g, cond, g->t_i64),
                     kh_jg_long(g, g->t_i64, KH_DEC_ONE));
}

static gcc_jit_rvalue *kh_jg_zero(kh_jg *g)
{
    return kh_jg_long(g, g->t_i64, 0);
}

/* ⌊a ÷ b⌋ × 1000 for a ≥ 0, b > 0, else 0.  Tests the bounds do not
 * settle are made at run time, the divisor made safe before dividing. */
static gcc_jit_rvalue *kh_jg_steps(kh_jg *g, kh_jv a, kh_jv b)
{
    gcc_jit_rvalue *av = kh_jg_rv(g, a), *bv = kh_jg_rv(g, b), *div = bv, *ok = NULL;
    if (a.lo < 0)
        ok = kh_jg_cmp(g, GCC_JIT_COMPARISON_GE, av, kh_jg_zero(g));
    if (b.lo <= 0) {
        gcc_jit_rvalue *bpos = kh_jg_cmp(g, GCC_JIT_COMPARISON_GT, bv, kh_jg_zero(g));
        div = kh_jg_select(g, bpos, bv, kh_jg_long(g, g->t_i64, 1));
        bpos = kh_jg_cmp(g, GCC_JIT_COMPARISON_GT, bv, kh_jg_zero(g));
        ok = ok ? kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_bool, ok, bpos) : bpos;
    }
    gcc_jit_rvalue *q = kh_jg_bin(g, GCC_JIT_BINARY_OP_DIVIDE, g->t_i64, av, div);
    gcc_jit_rvalue *steps = kh_jg_wrap(g, GCC_JIT_BINARY_OP_MULT, q, kh_jg_long(g, g->t_i64, KH_DEC_ONE));
    return ok ? kh_jg_select(g, ok, steps, kh_jg_zero(g)) : steps;
}

/* top or −top by x's sign, without a branch: (top ^ m) − m, m = x >> 63. */
static gcc_jit_rvalue *kh_jg_signed(kh_jg *g, gcc_jit_rvalue *x, kh_dec top)
{
    gcc_jit_rvalue *m = kh_jg_bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->t_i64, x, kh_jg_long(g, g->t_i64, 63));
    gcc_jit_rvalue *flip = kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_XOR, g->t_i64, kh_jg_long(g, g->t_i64, top), m);
    return kh_jg_wrap(g, GCC_JIT_BINARY_OP_MINUS, flip, m);
}

/* x × k for a whole k: kh_dec_mul(x, k × 1000) needs no rounding, only the
 * saturation at ±KH_DEC_MAX.  With h = ⌊KH_DEC_MAX ÷ |k|⌋, |x × k| ≤
 * KH_DEC_MAX exactly when |x| ≤ h, so the product is x × k inside [−h, h]
 * and ±KH_DEC_MAX (by the signs of x and k) outside: two 64-bit tests, one
 * when x's bounds rule out a side, none when they rule out both. */
static gcc_jit_rvalue *kh_jg_mul_whole(kh_jg *g, int32_t i, kh_jv x, kh_dec k)
{
    if (k == 0) /* folded before it gets here; kept out of the division */
        return kh_jg_zero(g);
    kh_dec h = KH_DEC_MAX / (k < 0 ? -k : k);
    kh_dec top = k < 0 ? -KH_DEC_MAX : KH_DEC_MAX; /* what x > h gives */
    gcc_jit_rvalue *kv = kh_jg_long(g, g->t_i64, k);
    if (x.lo >= -h && x.hi <= h)
        return kh_jg_bin(g, GCC_JIT_BINARY_OP_MULT, g->t_i64, x.rv, kv);
    gcc_jit_rvalue *w = kh_jg_local(g, g->t_i64, "w", i, kh_jg_wrap(g, GCC_JIT_BINARY_OP_MULT, x.rv, kv));
    if (x.lo >= -h)
        return kh_jg_select(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_GT, x.rv, kh_jg_long(g, g->t_i64, h)),
                            kh_jg_long(g, g->t_i64, top), w);
    if (x.hi <= h)
        return kh_jg_select(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_LT, x.rv, kh_jg_long(g, g->t_i64, -h)),
                            kh_jg_long(g, g->t_i64, -top), w);
    /* both sides: x + h, unsigned, exceeds 2h exactly when x is outside [−h, h] */
    gcc_jit_rvalue *shifted = kh_jg_wrap(g, GCC_JIT_BINARY_OP_PLUS, x.rv, kh_jg_long(g, g->t_i64, h));
    gcc_jit_rvalue *off = kh_jg_cmp(g, GCC_JIT_COMPARISON_GT, kh_jg_cast(g, shifted, g->t_u64),
                                    kh_jg_long(g, g->t_u64, 2 * h));
    return kh_jg_select(g, off, kh_jg_signed(g, x.rv, top), w);
}

static gcc_jit_rvalue *kh_jg_call2(kh_jg *g, gcc_jit_function *f, gcc_jit_rvalue *x, gcc_jit_rvalue *y)
{
    gcc_jit_rvalue *args[2] = {x, y};
    return gcc_jit_context_new_call(g->cx, NULL, f, 2, args);
}

/* MUL: by a whole constant inline, otherwise the rounding multiply. */
static gcc_jit_rvalue *kh_jg_mul(kh_jg *g, int32_t i, kh_jv a, kh_jv b)
{
    if (!a.rv && a.k % KH_DEC_ONE == 0)
        return kh_jg_mul_whole(g, i, b, a.k / KH_DEC_ONE);
    if (!b.rv && b.k % KH_DEC_ONE == 0)
        return kh_jg_mul_whole(g, i, a, b.k / KH_DEC_ONE);
    return kh_jg_call2(g, kh_jg_mul_fn(g), kh_jg_rv(g, a), kh_jg_rv(g, b));
}

static gcc_jit_rvalue *kh_jg_measure(kh_jg *g, gcc_jit_function *f, int64_t imm)
{
    return kh_jg_call2(g, f, g->in, kh_jg_long(g, g->t_i32, (int32_t)imm));
}

/* A measure's total (slot 0) or count (slot 1): a load from the totals.
 * A measure past the end has neither. */
static gcc_jit_rvalue *kh_jg_total(kh_jg *g, int64_t measure, int slot)
{
    if (measure < 0 || measure >= g->ir->nmeasures || !g->agg)
        return kh_jg_zero(g);
    gcc_jit_rvalue *at = kh_jg_long(g, g->t_i64, (long)(2 * measure + slot));
    return gcc_jit_lvalue_as_rvalue(gcc_jit_context_new_array_access(g->cx, NULL, g->agg, at));
}

static gcc_jit_rvalue *kh_jg_attr(kh_jg *g, int64_t which)
{
    if (which < KH_ATTR_ROLE || which > KH_ATTR_SIZE)
        return kh_jg_zero(g);
    int field = 0;
    switch ((kh_attr)which) {
    case KH_ATTR_ROLE: field = 2; break;
    case KH_ATTR_UNIT: field = 3; break;
    case KH_ATTR_SIZE: field = 4; break;
    }
    gcc_jit_lvalue *v = gcc_jit_rvalue_dereference_field(g->in, NULL, g->f_in[field]);
    return kh_jg_cast(g, gcc_jit_lvalue_as_rvalue(v), g->t_i64);
}

static gcc_jit_rvalue *kh_jg_less(kh_jg *g, enum gcc_jit_comparison cmp, gcc_jit_rvalue *a, gcc_jit_rvalue *b)
{
    return kh_jg_select(g, kh_jg_cmp(g, cmp, a, b), a, b);
}

/* max(a, b) or min(a, b).  Against 0 it needs no comparison: with the
 * sign mask m = x >> 63 (all ones when x < 0), max(x, 0) = x & ~m and
 * min(x, 0) = x & m. */
static gcc_jit_rvalue *kh_jg_minmax(kh_jg *g, bool max, kh_jv a, kh_jv b)
{
    if (kh_jg_is(a, 0) || kh_jg_is(b, 0)) {
        gcc_jit_rvalue *x = kh_jg_is(b, 0) ? kh_jg_rv(g, a) : kh_jg_rv(g, b);
        gcc_jit_rvalue *m = kh_jg_bin(g, GCC_JIT_BINARY_OP_RSHIFT, g->t_i64, x, kh_jg_long(g, g->t_i64, 63));
        if (max)
            m = gcc_jit_context_new_unary_op(g->cx, NULL, GCC_JIT_UNARY_OP_BITWISE_NEGATE, g->t_i64, m);
        return kh_jg_bin(g, GCC_JIT_BINARY_OP_BITWISE_AND, g->t_i64, x, m);
    }
    return kh_jg_less(g, max ? GCC_JIT_COMPARISON_GT : GCC_JIT_COMPARISON_LT, kh_jg_rv(g, a), kh_jg_rv(g, b));
}

/* The code for instruction i, whose operands are not all constants. */
static gcc_jit_rvalue *kh_jg_value(kh_jg *g, int32_t i, const kh_ins *p, kh_jv ja, kh_jv jb, kh_jv jc)
{
    gcc_jit_rvalue *a = kh_jg_rv(g, ja), *b = kh_jg_rv(g, jb), *c = kh_jg_rv(g, jc);
    switch (p->op) {
    case KH_OP_CONST: return kh_jg_long(g, g->t_i64, p->imm);
    case KH_OP_SUM: return kh_jg_total(g, p->imm, 0);
    case KH_OP_COUNT: return kh_jg_total(g, p->imm, 1);
    case KH_OP_MEAN: return kh_jg_call2(g, g->dec_div, kh_jg_total(g, p->imm, 0), kh_jg_total(g, p->imm, 1));
    case KH_OP_ATTR: return kh_jg_attr(g, p->imm);
    case KH_OP_TIER: return kh_jg_call2(g, g->rt_tier, g->in, gcc_jit_lvalue_get_address(g->tiers[p->imm], NULL));
    case KH_OP_MEMBERS: return kh_jg_measure(g, g->rt_members, p->imm);
    case KH_OP_MSTEPS: {
        gcc_jit_rvalue *args[4] = {g->in, kh_jg_long(g, g->t_i32, (int32_t)p->imm), a, b};
        return gcc_jit_context_new_call(g->cx, NULL, g->rt_msteps, 4, args);
    }
    case KH_OP_ADD: return kh_jg_wrap(g, GCC_JIT_BINARY_OP_PLUS, a, b);
    case KH_OP_SUB: return kh_jg_wrap(g, GCC_JIT_BINARY_OP_MINUS, a, b);
    case KH_OP_MUL: return kh_jg_mul(g, i, ja, jb);
    case KH_OP_DIV: return kh_jg_call2(g, g->dec_div, a, b);
    case KH_OP_STEPS: return kh_jg_steps(g, ja, jb);
    case KH_OP_MIN: case KH_OP_CAP: return kh_jg_minmax(g, false, ja, jb);
    case KH_OP_MAX: return kh_jg_minmax(g, true, ja, jb);
    case KH_OP_LT: return kh_jg_truth(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_LT, a, b));
    case KH_OP_LE: return kh_jg_truth(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_LE, a, b));
    case KH_OP_EQ: return kh_jg_truth(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_EQ, a, b));
    case KH_OP_SELECT: return kh_jg_select(g, kh_jg_cmp(g, GCC_JIT_COMPARISON_NE, a, kh_jg_zero(g)), b, c);
    case KH_OP_FLOOR: return kh_jg_minmax(g, true, ja, kh_jg_const(0));
    case KH_OP_OUT: return a;
    }
    return NULL;
}

/* Emit instruction i.  Constants and results known from the operands need
 * no code; OUT stores; everything else gets a local r<i>. */
static void kh_jg_ins(kh_jg *g, int32_t i)
{
    const kh_ins *p = &g->ir->ins[i];
    kh_jv a = kh_jg_get(g, p->a), b = kh_jg_get(g, p->b), c = kh_jg_get(g, p->c);
    kh_jv *r = &g->val[i];
    if (p->op == KH_OP_OUT) {
        gcc_jit_rvalue *col = kh_jg_long(g, g->t_i32, (long)p->imm);
        gcc_jit_lvalue *slot = gcc_jit_context_new_array_access(g->cx, NULL, g->out, col);
        gcc_jit_block_add_assignment(g->blk, NULL, slot, kh_jg_rv(g, a));
        *r = a;
        return;
    }
    if (p->op == KH_OP_CONST) {
        *r = kh_jg_const(p->imm);
        return;
    }
    if (kh_jg_simplify(p, a, b, c, r))
        return;
    kh_jg_range(p, a, b, c, r);
    if (r->lo == r->hi) { /* settled by the bounds */
        *r = kh_jg_const(r->lo);
        return;
    }
    r->rv = kh_jg_local(g, g->t_i64, "r", i, kh_jg_value(g, i, p, a, b, c));
}

/* Where SUM, COUNT and MEAN read: the caller's totals, or when it gave
 * none, totals made from its events by the shared helper:
 *
 *     const kh_dec *agg = in->agg;
 *     if (!agg) { kh_rt_totals(in, totals, nmeasures); agg = totals; }
 */
static void kh_jg_totals(kh_jg *g)
{
    bool reads = false;
    for (int32_t i = 0; i < g->ir->nins; i++) {
        const kh_ins *p = &g->ir->ins[i];
        reads |= (p->op == KH_OP_SUM || p->op == KH_OP_COUNT || p->op == KH_OP_MEAN) && p->imm >= 0 &&
                 p->imm < g->ir->nmeasures;
    }
    g->agg = NULL;
    if (!reads)
        return;
    int32_t nm = g->ir->nmeasures;
    gcc_jit_type *cp = gcc_jit_type_get_pointer(gcc_jit_type_get_const(g->t_i64));
    gcc_jit_lvalue *agg = gcc_jit_function_new_local(g->fn, NULL, cp, "agg");
    gcc_jit_type *arr = gcc_jit_context_new_array_type(g->cx, NULL, g->t_i64, 2 * nm);
    gcc_jit_lvalue *buf = gcc_jit_function_new_local(g->fn, NULL, arr, "totals");
    gcc_jit_block *fill = gcc_jit_function_new_block(g->fn, "fill");
    gcc_jit_block *body = gcc_jit_function_new_block(g->fn, "body");
    gcc_jit_block_add_assignment(g->blk, NULL, agg,
                                 gcc_jit_lvalue_as_rvalue(gcc_jit_rvalue_dereference_field(g->in, NULL, g->f_in[5])));
    gcc_jit_block_end_with_conditional(
        g->blk, NULL, kh_jg_cmp(g, GCC_JIT_COMPARISON_EQ, gcc_jit_lvalue_as_rvalue(agg), gcc_jit_context_null(g->cx, cp)),
        fill, body);
    gcc_jit_rvalue *first = gcc_jit_lvalue_get_address(
        gcc_jit_context_new_array_access(g->cx, NULL, gcc_jit_lvalue_as_rvalue(buf), kh_jg_long(g, g->t_i32, 0)), NULL);
    gcc_jit_rvalue *args[3] = {g->in, first, kh_jg_long(g, g->t_i32, nm)};
    gcc_jit_block_add_eval(fill, NULL, gcc_jit_context_new_call(g->cx, NULL, g->rt_totals, 3, args));
    gcc_jit_block_add_assignment(fill, NULL, agg, kh_jg_cast(g, first, cp));
    gcc_jit_block_end_with_jump(fill, NULL, body);
    g->blk = body;
    g->agg = gcc_jit_lvalue_as_rvalue(agg);
}

/* void kh_entity(const kh_entity_in *in, kh_dec *out) */
static void kh_jg_entity(kh_jg *g)
{
    gcc_jit_param *ps[2] = {
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_in), "in"),
        gcc_jit_context_new_param(g->cx, NULL, gcc_jit_type_get_pointer(g->t_i64), "out"),
    };
    g->fn = gcc_jit_context_new_function(g->cx, NULL, GCC_JIT_FUNCTION_EXPORTED, g->t_void, KH_JC_SYM_FN, 2, ps, 0);
    g->in = gcc_jit_param_as_rvalue(ps[0]);
    g->out = gcc_jit_param_as_rvalue(ps[1]);
    g->blk = gcc_jit_function_new_block(g->fn, "entry");
    kh_jg_totals(g);
    for (int32_t i = 0; i < g->ir->nins; i++)
        kh_jg_ins(g, i);
    gcc_jit_block_end_with_void_return(g->blk, NULL);
}

/* ------------------------------------------------------------- context */

static int kh_jit_level(const kh_jit_opts *o)
{
    int l = o ? o->opt_level : KH_JIT_LEVEL;
    return l < 0 ? 0 : l > 3 ? 3 : l;
}

/* What each level asks of GCC.  The entity function is one straight line
 * of arithmetic, loads, stores and helper calls: no loop to optimise,
 * nothing to vectorise, hardly a branch.  What it needs is what -Og keeps
 * (SSA, constant and copy propagation, redundancy elimination, dead code
 * removal, combine, register allocation); the passes -O1 and -O2 add find
 * little here.  On bench/gen-scheme.sh's 100 items -Og spent a third of
 * -O2's instructions compiling and its code ran as fast (about 0.25 µs a
 * person); on a scheme full of fractional products, which -O2 inlines
 * (kh_mul), 15% slower, a few ms per 100,000 persons.  -O0 code was 40%
 * slower and compiled hardly quicker than -Og.  So KH_JIT_LEVEL is -Og;
 * levels 2 and 3 stay for comparison and the tests.
 *
 * Every level compiles with -fwrapv: signed sums wrap as the host's
 * (the generator relies on it, see kh_jg_wrap). */
static void kh_jit_gcc_options(gcc_jit_context *cx, int level)
{
    static const int gcc_level[4] = {0, 1, 1, 2};
    gcc_jit_context_set_int_option(cx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, gcc_level[level]);
    if (level == 1)
        gcc_jit_context_add_command_line_option(cx, "-Og");
    gcc_jit_context_add_command_line_option(cx, "-fwrapv");
}

static void kh_jit_version(int v[3])
{
    v[0] = gcc_jit_version_major();
    v[1] = gcc_jit_version_minor();
    v[2] = gcc_jit_version_patchlevel();
}

/* Operands name earlier registers, slots and tables exist: what kh_interp
 * takes for granted, checked once here. */
static bool kh_jit_check(const kh_ir *ir, char *err, size_t errcap)
{
    for (int32_t k = 0; k < ir->ntiers; k++)
        if (ir->nlevels > 0 && !ir->tiers[k].amount) {
            kh_jc_err(err, errcap, "IR 无效：级别表 t%d 没有分值 (invalid IR: tier table t%d has no amounts)",
                      k, k);
            return false;
        }
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        bool ok = p->a >= -1 && p->a < i && p->b >= -1 && p->b < i && p->c >= -1 && p->c < i;
        if (p->op == KH_OP_OUT)
            ok = ok && p->imm >= 0 && p->imm < ir->ncols;
        if (p->op == KH_OP_TIER)
            ok = ok && p->imm >= 0 && p->imm < ir->ntiers;
        if (!ok) {
            kh_jc_err(err, errcap, "IR 无效：第 %d 条指令 %s (invalid IR: instruction %%%d %s)", i,
                      kh_op_name(p->op), i, kh_op_name(p->op));
            return false;
        }
    }
    return true;
}

/* Build the context for ir; NULL (with err) when out of memory. */
static gcc_jit_context *kh_jit_build(const kh_ir *ir, int level, const char *ir_hash, char *err, size_t errcap)
{
    kh_alloc *a = ir->arena.alloc;
    kh_jg g = {.ir = ir};
    g.val = kh_calloc(a, (size_t)ir->nins + 1, sizeof *g.val);
    g.tiers = kh_calloc(a, (size_t)ir->ntiers + 1, sizeof *g.tiers);
    g.cx = g.val && g.tiers ? gcc_jit_context_acquire() : NULL;
    if (!g.cx) {
        kh_free(g.val);
        kh_free(g.tiers);
        kh_jc_err(err, errcap, "内存不足 (out of memory)");
        return NULL;
    }
    kh_jit_gcc_options(g.cx, level);
    gcc_jit_context_set_bool_print_errors_to_stderr(g.cx, 0);
    /* The code needs no C library and no start files: linking without them
     * saves a third of a small scheme's compile time. */
    gcc_jit_context_add_driver_option(g.cx, "-nostdlib");
    gcc_jit_context_add_driver_option(g.cx, "-lgcc");
    kh_jg_types(&g);
    kh_jg_imports(&g);
    kh_jg_abi(&g, ir_hash);
    for (int32_t k = 0; k < ir->ntiers; k++)
        g.tiers[k] = kh_jg_tier(&g, k);
    kh_jg_entity(&g);
    kh_free(g.val);
    kh_free(g.tiers);
    return g.cx;
}

/* Copy the context's first error (if any) before it goes. */
static bool kh_jit_failed(gcc_jit_context *cx, const char *what, char *err, size_t errcap)
{
    const char *e = gcc_jit_context_get_first_error(cx);
    if (!e)
        return false;
    kh_jc_err(err, errcap, "%s：%s", what, e);
    return true;
}

/* ------------------------------------------------------------- engines */

static kh_jit *kh_jit_new(const kh_ir *ir, char *err, size_t errcap)
{
    kh_jit *j = kh_calloc(ir->arena.alloc, 1, sizeof *j);
    if (!j)
        kh_jc_err(err, errcap, "内存不足 (out of memory)");
    return j;
}

/* Compile ir to a shared object at path (through a temporary file). */
static bool kh_jit_to_file(const kh_ir *ir, int level, const char *ir_hash, const char *path, char *err,
                           size_t errcap)
{
    char temp[KH_JC_PATH];
    if (!kh_jc_temp(path, temp, err, errcap))
        return false;
    gcc_jit_context *cx = kh_jit_build(ir, level, ir_hash, err, errcap);
    if (!cx) {
        kh_jc_discard(temp);
        return false;
    }
    gcc_jit_context_compile_to_file(cx, GCC_JIT_OUTPUT_KIND_DYNAMIC_LIBRARY, temp);
    bool bad = kh_jit_failed(cx, "编译失败 (compilation failed)", err, errcap);
    gcc_jit_context_release(cx);
    if (bad) {
        kh_jc_discard(temp);
        return false;
    }
    return kh_jc_commit(temp, path, err, errcap);
}

/* Compile ir in memory: the fallback when no cache can be written. */
static bool kh_jit_in_memory(kh_jit *j, const kh_ir *ir, int level, const char *ir_hash, char *err,
                             size_t errcap)
{
    gcc_jit_context *cx = kh_jit_build(ir, level, ir_hash, err, errcap);
    if (!cx)
        return false;
    j->result = gcc_jit_context_compile(cx);
    bool bad = kh_jit_failed(cx, "编译失败 (compilation failed)", err, errcap);
    gcc_jit_context_release(cx);
    if (!bad && !j->result)
        kh_jc_err(err, errcap, "编译失败 (compilation failed)");
    if (bad || !j->result)
        return false;
    j->fn = (kh_entity_fn)gcc_jit_result_get_code(j->result, KH_JC_SYM_FN);
    return j->fn != NULL;
}

/* Load the cached object, or compile it into the cache and load that. */
static bool kh_jit_cached(kh_jit *j, const kh_ir *ir, int level, const char *ir_hash, const char *dir,
                          kh_jit_stats *st)
{
    int ver[3];
    char key[KH_JC_HASH], path[KH_JC_PATH], why[256];
    kh_jit_version(ver);
    kh_jc_key(ir_hash, ver, level, key);
    if (!kh_jc_path(dir, key, path))
        return false;
    double t0 = kh_jc_now_ms();
    if (kh_jc_open(path, ir_hash, &j->handle, &j->fn, why, sizeof why) == KH_JC_OK) {
        st->load_ms = kh_jc_now_ms() - t0;
        st->from_cache = true;
        return true;
    }
    t0 = kh_jc_now_ms();
    if (!kh_jit_to_file(ir, level, ir_hash, path, why, sizeof why))
        return false;
    double t1 = kh_jc_now_ms();
    st->compile_ms = t1 - t0;
    if (kh_jc_open(path, ir_hash, &j->handle, &j->fn, why, sizeof why) != KH_JC_OK)
        return false;
    st->load_ms = kh_jc_now_ms() - t1;
    return true;
}

kh_jit *kh_jit_compile(const kh_ir *ir, const kh_jit_opts *o, kh_jit_stats *st, char *err, size_t errcap)
{
    kh_jit_stats s = {0, 0, false};
    char ir_hash[KH_JC_HASH], dir[KH_JC_PATH];
    int level = kh_jit_level(o);
    kh_jc_err(err, errcap, "%s", "");
    if (!kh_jit_check(ir, err, errcap))
        return NULL;
    if (!kh_jc_ir_hash(ir, ir_hash)) {
        kh_jc_err(err, errcap, "无法生成方案的 IR 文本 (cannot print the IR)");
        return NULL;
    }
    kh_jit *j = kh_jit_new(ir, err, errcap);
    if (!j)
        return NULL;
    bool ok = kh_jc_dir(o ? o->cache_dir : NULL, dir) && kh_jit_cached(j, ir, level, ir_hash, dir, &s);
    if (!ok) {
        s = (kh_jit_stats){0, 0, false};
        double t0 = kh_jc_now_ms();
        ok = kh_jit_in_memory(j, ir, level, ir_hash, err, errcap);
        s.compile_ms = kh_jc_now_ms() - t0;
    }
    if (!ok) {
        kh_jit_free(j);
        return NULL;
    }
    if (st)
        *st = s;
    return j;
}

bool kh_jit_write_so(const kh_ir *ir, const kh_jit_opts *o, const char *path, char *err, size_t errcap)
{
    char ir_hash[KH_JC_HASH];
    kh_jc_err(err, errcap, "%s", "");
    if (!kh_jit_check(ir, err, errcap))
        return false;
    if (!kh_jc_ir_hash(ir, ir_hash)) {
        kh_jc_err(err, errcap, "无法生成方案的 IR 文本 (cannot print the IR)");
        return false;
    }
    return kh_jit_to_file(ir, kh_jit_level(o), ir_hash, path, err, errcap);
}

kh_jit *kh_jit_load_so(const kh_ir *ir, const char *path, char *err, size_t errcap)
{
    char ir_hash[KH_JC_HASH];
    kh_jc_err(err, errcap, "%s", "");
    if (!kh_jc_ir_hash(ir, ir_hash)) {
        kh_jc_err(err, errcap, "无法生成方案的 IR 文本 (cannot print the IR)");
        return NULL;
    }
    kh_jit *j = kh_jit_new(ir, err, errcap);
    if (j && kh_jc_open(path, ir_hash, &j->handle, &j->fn, err, errcap) != KH_JC_OK) {
        kh_jit_free(j);
        j = NULL;
    }
    return j;
}

kh_entity_fn kh_jit_fn(const kh_jit *j)
{
    return j ? j->fn : NULL;
}

void kh_jit_free(kh_jit *j)
{
    if (!j)
        return;
    if (j->result)
        gcc_jit_result_release(j->result);
    kh_jc_close(j->handle);
    kh_free(j);
}
