/* compiler.h — AST → IR → engines, and the linter.
 *
 * The IR is the single meaning of a scheme.  It is a straight-line program
 * per entity (person or unit): every instruction defines one register, its
 * own index, from earlier registers, the entity's measures and attributes.
 * There are no jumps; conditions are KH_OP_SELECT.  Two engines run it: the
 * interpreter (the reference) and the JIT; anything beyond arithmetic is a
 * helper function both call.  Everything that looks across entities (rank,
 * grades, quotas, vetoes) happens afterwards in runtime/, from the output row.
 */
#ifndef KH_COMPILER_H
#define KH_COMPILER_H

#include "../lang/lang.h"

/* ------------------------------------------------------------------ IR */

typedef enum kh_op {
    KH_OP_CONST,    /* r = imm */
    KH_OP_SUM,      /* r = Σ 数量 of the entity's events of measure imm */
    KH_OP_COUNT,    /* r = number of those events (× 1000) */
    KH_OP_MEAN,     /* r = mean 数量 of those events, half up to 0.001; 0 if none */
    KH_OP_ATTR,     /* r = entity attribute imm (kh_attr) */
    KH_OP_TIER,     /* r = helper: tier table imm applied to its measure's events */
    KH_OP_MEMBERS,  /* r = helper: number of members with an event of measure imm (× 1000) */
    KH_OP_MSTEPS,   /* r = helper: Σ over members of whole steps b of each member's gap to target a;
                       imm = measure | KH_MSTEPS_EXCESS | KH_MSTEPS_RATE (a leader's share) */
    KH_OP_ADD,      /* r = a + b */
    KH_OP_SUB,      /* r = a − b */
    KH_OP_MUL,      /* r = a × b, half up to 0.001 */
    KH_OP_DIV,      /* r = a ÷ b, half up to 0.001; 0 when b = 0 */
    KH_OP_STEPS,    /* r = ⌊a ÷ b⌋ × 1000 for a ≥ 0, b > 0; 0 otherwise */
    KH_OP_MIN,      /* r = min(a, b) */
    KH_OP_MAX,      /* r = max(a, b) */
    KH_OP_LT,       /* r = a < b ? 1000 : 0 */
    KH_OP_LE,       /* r = a ≤ b ? 1000 : 0 */
    KH_OP_EQ,       /* r = a == b ? 1000 : 0 */
    KH_OP_SELECT,   /* r = a ≠ 0 ? b : c */
    KH_OP_FLOOR,    /* r = max(a, 0): 扣完为止 (kept apart from MAX for explanations) */
    KH_OP_CAP,      /* r = min(a, b): an upper cap (加分不超过) */
    KH_OP_OUT       /* out[imm] = a; r = a */
} kh_op;
#define KH_OP_COUNT_ 22
#define KH_MSTEPS_EXCESS (1 << 24)   /* gap = x − target (else target − x) */
#define KH_MSTEPS_RATE (1 << 25)     /* x = the member's mean (else sum) */
#define KH_MSTEPS_MEASURE 0xFFFFFF

typedef enum kh_attr {
    KH_ATTR_ROLE,   /* 1 + index of the entity's 职务 in ir->roles, 0 if none */
    KH_ATTR_UNIT,   /* 1 + index of the entity's 部门 in ir->units, 0 if none */
    KH_ATTR_SIZE    /* members of the entity's unit × 1000 */
} kh_attr;

/* What an instruction means to a reader of `kaohe explain`. */
typedef enum kh_note {
    KH_N_NONE,
    KH_N_MEASURE,   /* a measure was read */
    KH_N_CLAUSE,    /* value of one clause */
    KH_N_ITEM,      /* an item's score */
    KH_N_SECTION,   /* a section's score */
    KH_N_FLOOR,     /* an item's floor (owner: item) */
    KH_N_CAP,       /* an item's cap on additions (owner: item) */
    KH_N_SEC_FLOOR, /* a section's floor (owner: section) */
    KH_N_SEC_CAP,   /* a section's cap (owner: section) */
    KH_N_BONUS,     /* the bonus total */
    KH_N_TOTAL      /* the total */
} kh_note;

typedef struct kh_ins {
    kh_op op;
    int32_t a, b, c;        /* operand registers (instruction indexes), −1 if unused */
    int64_t imm;
    kh_span span;           /* the clause, item or section it comes from */
    kh_note note;
    int32_t owner;          /* ir->sections for SECTION/SEC_*, else ir->items; −1 if none */
} kh_ins;

/* A measure: events of one 事项, seen by the person or by their leader. */
typedef struct kh_measure {
    char *label;
    bool leader;            /* events of the person's subordinates (分管领导 shares) */
    bool has_range;         /* evaluator scores must lie in [lo, hi] */
    kh_dec lo, hi;
    kh_span span;           /* first clause that reads it */
} kh_measure;

/* A tier table: amount per level, optionally counting each 编号 once at
 * its highest amount. */
typedef struct kh_tiertab {
    int32_t measure;
    kh_dec *amount;         /* [ir->nlevels]; 0 for levels the table does not name */
    bool dedupe;
    kh_span span;
} kh_tiertab;

typedef enum kh_col_kind {
    KH_COL_ITEM, KH_COL_SECTION, KH_COL_BONUS, KH_COL_TOTAL, KH_COL_WEIGHTED,
    KH_COL_VETO,            /* number of veto events (× 1000) */
    KH_COL_PREREQ           /* number of prerequisite events (× 1000) */
} kh_col_kind;

/* One slot of the output row. */
typedef struct kh_col {
    kh_col_kind kind;
    char *title;            /* section title, item label, … */
    int32_t index;          /* ir->items / ir->sections / vetoes / prereqs */
    bool top;               /* a top-level section: a column of the report */
    kh_span span;
} kh_col;

typedef struct kh_ir_item {
    char *label;
    char *path;             /* "一.1" */
    int32_t section;
    kh_dec start;           /* the value with no events: its base, or 0 */
    bool has_points;        /* the item is worth points of its own */
    kh_span span;
} kh_ir_item;

typedef struct kh_ir_section {
    char *title;
    char *path;             /* "一" / "一.（二）" */
    int32_t parent;         /* −1 at top level */
    bool bonus;
    kh_dec start;           /* its base when deductions start from it, else 0 */
    kh_span span;
} kh_ir_section;

typedef struct kh_ir_grade {
    char *name;
    bool has_range;  kh_range range;      /* on the total */
    bool has_rank;   kh_dec rank; bool rank_pct;    /* 排名前N名 / 前N% */
    bool has_quota;  kh_dec quota; kh_dec quota_min; bool quota_pct;
    kh_span span;
} kh_ir_grade;

typedef struct kh_ir_veto {
    char *label;
    int32_t col;            /* output slot holding the event count */
    int32_t cap_grade;      /* index into grades, −1 when it sets a flag */
    char *flag;
    kh_span span;
} kh_ir_veto;

typedef struct kh_ir_prereq {
    char *label;
    int32_t col;
    kh_span span;
} kh_ir_prereq;

typedef struct kh_ir {
    const kh_source *src;
    char *name;
    kh_subject subject;
    kh_unit unit;
    bool upper_exclusive;
    kh_period period;
    bool has_full; kh_dec full;
    bool has_weight; kh_dec weight;

    kh_ins *ins;            int32_t nins;
    kh_measure *measures;   int32_t nmeasures;
    char **levels;          int32_t nlevels;   /* level names, best first as the scheme ranks them */
    kh_tiertab *tiers;      int32_t ntiers;
    char **roles;           int32_t nroles;
    char **units;           int32_t nunits;
    kh_col *cols;           int32_t ncols;
    kh_ir_item *items;      int32_t nitems;
    kh_ir_section *sections; int32_t nsections;
    kh_ir_grade *grades;    int32_t ngrades;
    kh_ir_veto *vetoes;     int32_t nvetoes;
    kh_ir_prereq *prereqs;  int32_t nprereqs;
    int32_t total_col, bonus_col, weighted_col;   /* −1 when absent */
    kh_arena arena;         /* owns every array and string above */
} kh_ir;

/* Lower a checked scheme.  Returns NULL (with diagnostics) on failure. */
kh_ir *kh_lower(kh_alloc *a, kh_diags *d, const kh_scheme *s);
void kh_ir_free(kh_ir *ir);
/* Stable text form, for `kaohe ir` and golden tests. */
void kh_ir_print(FILE *out, const kh_ir *ir);
const char *kh_op_name(kh_op op);

/* ------------------------------------------------------ engine inputs */

/* One event of an entity, interned against the IR. */
typedef struct kh_event {
    int32_t measure;        /* index into ir->measures */
    int32_t level;          /* index into ir->levels, −1 none */
    int32_t key;            /* interned 编号, −1 none */
    int32_t member;         /* which member of a unit (unit schemes), else 0 */
    kh_dec value;           /* 数量 */
    uint32_t line;          /* line in the event log */
    int32_t date;           /* days since 1970-01-01, INT32_MIN if none */
} kh_event;

/* One entity's events, grouped and sorted by measure, then key.
 *
 * agg, when not NULL, holds for every measure m the entity's totals:
 * agg[2m] = Σ 数量 (wrapping, as KH_OP_ADD) and agg[2m + 1] = the number of
 * events × 1000.  SUM, COUNT and MEAN then read it, and ev need hold only
 * the events of measures kh_ir_needs_events marks.  A reader that has the
 * events in columns can total them in one pass instead of building ev. */
typedef struct kh_entity_in {
    const kh_event *ev;
    int64_t nev;
    int32_t role, unit;     /* as KH_ATTR_ROLE / KH_ATTR_UNIT */
    kh_dec size;            /* as KH_ATTR_SIZE */
    const kh_dec *agg;      /* [2 × ir->nmeasures], or NULL */
} kh_entity_in;

/* Count one event of value v into measure m's totals (the layout of
 * kh_entity_in.agg): what every reader that totals events calls. */
static inline void kh_totals_add(kh_dec *agg, int32_t m, kh_dec v)
{
    agg[2 * m] = (kh_dec)((uint64_t)agg[2 * m] + (uint64_t)v);   /* wrapping, as KH_OP_ADD */
    agg[2 * m + 1] += KH_DEC_ONE;
}

/* need[m] (ir->nmeasures slots) = whether some instruction reads measure
 * m's events one by one (TIER, MEMBERS, MSTEPS), not only their totals. */
void kh_ir_needs_events(const kh_ir *ir, bool *need);

/* Helpers both engines call: they cannot disagree. */
/* Fill agg[0 .. 2 × nmeasures) from in's events, as kh_entity_in.agg. */
void kh_rt_totals(const kh_entity_in *in, kh_dec *agg, int32_t nmeasures);
kh_dec kh_rt_sum(const kh_entity_in *in, int32_t measure);
kh_dec kh_rt_count(const kh_entity_in *in, int32_t measure);
kh_dec kh_rt_mean(const kh_entity_in *in, int32_t measure);
kh_dec kh_rt_tier(const kh_entity_in *in, const kh_tiertab *t);
kh_dec kh_rt_members(const kh_entity_in *in, int32_t measure);
kh_dec kh_rt_msteps(const kh_entity_in *in, int32_t measure_mode, kh_dec target, kh_dec step);

/* ------------------------------------------------------------ engines */

/* The reference interpreter.  regs has ir->nins slots (kept for explain),
 * out has ir->ncols slots. */
void kh_interp(const kh_ir *ir, const kh_entity_in *in, kh_dec *regs, kh_dec *out);

/* The native engine (libgccjit).  A compiled scheme is a function with the
 * same contract as kh_interp without regs. */
typedef struct kh_jit kh_jit;
typedef void (*kh_entity_fn)(const kh_entity_in *in, kh_dec *out);

/* The level kaohe compiles at: GCC's -Og, about as fast to run here as
 * -O2 and much quicker to compile (jit.c, kh_jit_gcc_options). */
#define KH_JIT_LEVEL 1

typedef struct kh_jit_opts {
    int opt_level;          /* 0..3: GCC's -O0, -Og, -O1, -O2; KH_JIT_LEVEL when o is NULL */
    const char *cache_dir;  /* NULL: $XDG_CACHE_HOME/kaohe or ~/.cache/kaohe; "" disables */
    bool stats;
} kh_jit_opts;

typedef struct kh_jit_stats {
    double compile_ms, load_ms;
    bool from_cache;
} kh_jit_stats;

/* Compile (or load from the cache).  On failure returns NULL and copies
 * libgccjit's first error into err. */
kh_jit *kh_jit_compile(const kh_ir *ir, const kh_jit_opts *o, kh_jit_stats *st, char *err, size_t errcap);
/* Write a shared object for `kaohe compile`. */
bool kh_jit_write_so(const kh_ir *ir, const kh_jit_opts *o, const char *path, char *err, size_t errcap);
/* Load one written by kh_jit_write_so; checks the ABI symbol and the IR hash. */
kh_jit *kh_jit_load_so(const kh_ir *ir, const char *path, char *err, size_t errcap);
kh_entity_fn kh_jit_fn(const kh_jit *j);
void kh_jit_free(kh_jit *j);

/* ------------------------------------------------------------- linter */

/* Lint a scheme; findings are diagnostics with lint_class set. */
void kh_lint(kh_alloc *a, kh_diags *d, const kh_scheme *s, const kh_ir *ir);

#endif
