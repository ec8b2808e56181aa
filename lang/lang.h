/* lang.h — the rule-language front end: source text → checked, located AST.
 *
 * This is the only public header of lang/.  It holds the pieces every later
 * phase shares: exact decimals, source spans, diagnostics as data, the AST.
 * Nothing here prints; the CLI renders diagnostics.
 */
#ifndef KH_LANG_H
#define KH_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KH_VERSION "0.1.0"

/* ---------------------------------------------------------------- memory */

/* All allocation goes through these, so tests can fail the Nth allocation.
 * They return NULL on failure; callers report KH_E_NOMEM. */
typedef struct kh_alloc {
    long fail_at;   /* fail the allocation with this ordinal (1-based); 0 = never */
    long count;     /* allocations so far */
} kh_alloc;

void *kh_malloc(kh_alloc *a, size_t n);
void *kh_calloc(kh_alloc *a, size_t n, size_t size);
void *kh_realloc(kh_alloc *a, void *p, size_t n);
char *kh_strndup(kh_alloc *a, const char *s, size_t n);
void kh_free(void *p);
/* A large array about to be filled (event columns, score rows): as
 * kh_malloc / kh_calloc, and from 8 MiB up backed by huge pages where the
 * system has them and mapped at once, in one system call rather than a
 * page fault per 4 KiB.  Freed with kh_free. */
void *kh_malloc_big(kh_alloc *a, size_t n);
void *kh_calloc_big(kh_alloc *a, size_t n, size_t size);

/* Bump allocation for trees whose nodes live and die together (the AST,
 * the IR): freed in one call, so error paths cannot leak. */
typedef struct kh_arena {
    kh_alloc *alloc;
    struct kh_arena_block *head;
    bool failed;              /* an allocation failed */
} kh_arena;

void kh_arena_init(kh_arena *ar, kh_alloc *a);
void *kh_arena_alloc(kh_arena *ar, size_t n);          /* zeroed; NULL on failure */
char *kh_arena_strndup(kh_arena *ar, const char *s, size_t n);
/* Make room for one more element in an array *v of *n elements and *cap room. */
bool kh_arena_grow(kh_arena *ar, void **v, int *n, int *cap, size_t elem);
void kh_arena_free(kh_arena *ar);

/* ------------------------------------------------------ exact decimals */

/* A score, count or amount in integer thousandths: 1.5 分 == 1500. */
typedef int64_t kh_dec;
#define KH_DEC_ONE ((kh_dec)1000)
#define KH_DEC_MAX ((kh_dec)4000000000000000000LL)

/* Parse ASCII or full-width digits with an optional '.'/'．' and at most
 * three decimals.  Returns false on anything else or on overflow. */
bool kh_dec_parse(const char *s, size_t n, kh_dec *out);
/* Shortest exact text: 1500 → "1.5", 2000 → "2", -250 → "-0.25". */
int kh_dec_format(kh_dec v, char *buf, size_t cap);
/* a × b rounded half away from zero to 0.001. */
kh_dec kh_dec_mul(kh_dec a, kh_dec b);
/* a ÷ b rounded half away from zero to 0.001; b == 0 gives 0. */
kh_dec kh_dec_div(kh_dec a, kh_dec b);

/* ------------------------------------------------------ sources, spans */

/* A span is a byte range in one source; line/col are computed on demand. */
typedef struct kh_span {
    uint32_t off, len;
} kh_span;

typedef struct kh_source {
    char *path;   /* as given on the command line */
    char *text;   /* NUL-terminated copy of the file */
    size_t len;
    uint32_t *lines;   /* start offset of each line, or NULL (then lines are found by scanning) */
    size_t nlines;
} kh_source;

/* Build the line index that makes kh_source_linecol O(log n); the loaders
 * call it.  Returns false when memory runs out (the source still works). */
bool kh_source_index(kh_alloc *a, kh_source *src);

/* Line (1-based) and column (1-based, in characters) of byte offset off. */
void kh_source_linecol(const kh_source *src, uint32_t off, int *line, int *col);
/* The whole line containing off: start offset and byte length (no newline). */
void kh_source_line(const kh_source *src, uint32_t off, uint32_t *start, uint32_t *len);

/* --------------------------------------------------------- diagnostics */

typedef enum kh_severity { KH_NOTE, KH_WARNING, KH_ERROR } kh_severity;

/* A catalogue entry: each phase keeps a static table of these.  Templates
 * use %1 %2 %3 for the diagnostic's arguments; hints may be NULL. */
typedef struct kh_msg {
    const char *code;          /* "E020" */
    const char *zh, *en;
    const char *hint_zh, *hint_en;
} kh_msg;

typedef struct kh_diag {
    kh_severity sev;
    const kh_msg *msg;
    const kh_source *src;      /* may be NULL for diagnostics about no file */
    kh_span span;
    char *args[3];             /* owned, may be NULL */
    /* lint findings only */
    const char *lint_class;    /* "区间空缺", … or NULL */
    char *counterexample;      /* owned, may be NULL */
} kh_diag;

typedef struct kh_diags {
    kh_alloc *alloc;
    kh_diag *v;
    size_t n, cap;
    size_t nerrors, nwarnings;
    size_t limit;              /* stop recording after this many (0 = 1000) */
    bool oom;                  /* an allocation failed while recording */
} kh_diags;

void kh_diags_init(kh_diags *d, kh_alloc *a);
void kh_diags_free(kh_diags *d);
/* Record a diagnostic; args may be NULL.  Returns the new entry or NULL. */
kh_diag *kh_diag_add(kh_diags *d, kh_severity sev, const kh_msg *msg,
                     const kh_source *src, kh_span span,
                     const char *a1, const char *a2, const char *a3);
/* Order by source, then offset (stable). */
void kh_diags_sort(kh_diags *d);

typedef enum kh_lang { KH_ZH, KH_EN } kh_lang;

/* Message and hint of a diagnostic in a language; hint may be NULL.
 * Written into buf (truncated to cap). */
void kh_diag_message(const kh_diag *dg, kh_lang lang, char *buf, size_t cap);
bool kh_diag_hint(const kh_diag *dg, kh_lang lang, char *buf, size_t cap);
/* Render as `file:line:col: 错误[E020]: message`, the source line, an
 * underline, and the hint. */
void kh_diag_render(FILE *out, const kh_diag *dg, kh_lang lang);
const char *kh_severity_name(kh_severity s, kh_lang lang);
/* Offset of the first byte of t[0..n) that is not valid UTF-8 (overlong
 * forms and surrogates included), or n. */
size_t kh_utf8_check(const char *t, size_t n);
/* Terminal columns of UTF-8 text: CJK and full-width characters take 2. */
int kh_text_width(const char *s, size_t n);

/* ----------------------------------------------------------------- AST */

typedef enum kh_subject { KH_SUBJ_PERSON, KH_SUBJ_UNIT } kh_subject;
typedef enum kh_unit { KH_UNIT_NONE, KH_UNIT_POINT /* 分 */, KH_UNIT_YUAN /* 元 */ } kh_unit;
typedef enum kh_period { KH_PERIOD_YEAR, KH_PERIOD_HALF, KH_PERIOD_QUARTER, KH_PERIOD_MONTH } kh_period;

/* Comparison of a measure x with a number n. */
typedef enum kh_cmp {
    KH_CMP_GE,  /* 以上 不少于 不低于 达到 */
    KH_CMP_GT,  /* 超过 高于 多于 */
    KH_CMP_LE,  /* 以下 不超过 */
    KH_CMP_LT,  /* 不满 低于 少于 不足 达不到…以上 */
    KH_CMP_EQ   /* N% alone */
} kh_cmp;

/* A number with what it counts: 3 篇, 80 %, 1 个百分点, 10000 字. */
typedef struct kh_qty {
    kh_dec value;
    bool pct;           /* written with % or 百分之 */
    bool points;        /* 个百分点 */
    char *quant;        /* 量词 as written (次 篇 项 …), may be NULL */
    kh_span span;
} kh_qty;

/* A range of values: bands, grade thresholds. */
typedef struct kh_range {
    bool has_lo, has_hi;
    bool lo_incl, hi_incl;
    kh_dec lo, hi;
    bool pct;
    kh_span span;
} kh_range;

/* Who an alternative target applies to. */
typedef enum kh_who_kind {
    KH_WHO_DEFAULT,     /* no who */
    KH_WHO_ROLE,        /* 班子成员 — roster 职务 */
    KH_WHO_UNIT,        /* 社救局 — roster 部门 */
    KH_WHO_SIZE         /* 2人部门, 3人以上部门 — unit size */
} kh_who_kind;

typedef struct kh_alt {
    kh_who_kind who_kind;
    char *who;          /* role or unit name; NULL for default/size */
    kh_cmp size_cmp;    /* for KH_WHO_SIZE: size cmp size_n */
    kh_dec size_n;
    kh_cmp cmp;         /* how the measure compares with value */
    kh_qty value;
    kh_span span;
} kh_alt;

typedef enum kh_eff_kind {
    KH_EFF_DEDUCT,      /* 扣N分 */
    KH_EFF_ADD,         /* 加N分 奖励N元 */
    KH_EFF_SET,         /* 得N分 */
    KH_EFF_FULL,        /* 得满分 */
    KH_EFF_ZERO,        /* 不得分 */
    KH_EFF_PROPORTIONAL /* 用系数计算得分 */
} kh_eff_kind;

typedef enum kh_target {
    KH_TO_SELF = 1,     /* the person (default) */
    KH_TO_LEADER = 2,   /* roster 分管领导 */
    KH_TO_BOTH = 3
} kh_target;

typedef struct kh_effect {
    kh_eff_kind kind;
    kh_target to;
    kh_dec amount;      /* for DEDUCT/ADD/SET; positive */
    kh_unit unit;
    kh_span span;
} kh_effect;

typedef enum kh_clause_kind {
    KH_CL_PER,          /* per occurrence: 每次扣1分, 迟报一次扣0.2分 */
    KH_CL_ALL_OR_NONE,  /* 未落实不得分 */
    KH_CL_THRESHOLD,    /* 少于1万字的扣2分; alternatives by role/unit/size */
    KH_CL_TARGET,       /* 应达2篇 / 不少于90% (no effect) */
    KH_CL_SHORTFALL,    /* 每少1篇扣1分 (needs a target) */
    KH_CL_EXCESS,       /* 超额每10篇加0.1分 (needs a target) */
    KH_CL_BAND,         /* 80%以上得满分 */
    KH_CL_EVALUATOR,    /* 评分，满分10分 / 评分1—3分 */
    KH_CL_SCALE,        /* 折合10分 / 按20%计入 */
    KH_CL_TIER,         /* 国家级加10分 … */
    KH_CL_DEDUPE,       /* 同项按最高级别加分一次 */
    KH_CL_MISSING,      /* 缺1人扣1分 */
    KH_CL_FLOOR,        /* 扣完为止 */
    KH_CL_NO_FLOOR,     /* 实行倒扣分 */
    KH_CL_CAP,          /* 最高加1分 */
    KH_CL_FULL,         /* 满分10分 inside an item: its full points */
    KH_CL_BASE,         /* 基本分15分 inside attributes */
    KH_CL_RANK,         /* 排名前20% (grade tables) */
    KH_CL_QUOTA,        /* 限3名 / 2-3名 (grade tables) */
    KH_CL_RATE_AS,      /* 评定为基本称职 (vetoes) */
    KH_CL_FLAG,         /* 取消评先评优资格 (vetoes) */
    KH_CL_NOTE,         /* words only: kept for explanations, no meaning */
    KH_CL_INVALID       /* a clause that could not be read; a diagnostic says why */
} kh_clause_kind;

typedef struct kh_tier {
    char *level;        /* 国家级 省级 市级 县级 区级 as written, normalised to simplified */
    kh_dec amount;      /* per 数量 */
    kh_span span;
} kh_tier;

typedef struct kh_clause {
    kh_clause_kind kind;
    kh_span span;
    char *words;        /* leading words, for explanations; may be NULL */
    kh_qty step;        /* PER/SHORTFALL/EXCESS/MISSING: the per-what (value 1 by default) */
    kh_alt *alts;       /* THRESHOLD/TARGET: alternatives, [0] is the default */
    int nalts;
    kh_range range;     /* BAND, EVALUATOR (score range) */
    kh_dec scale;       /* SCALE: 折合 N (points) or 按 N% (pct) */
    bool scale_pct;
    kh_tier *tiers;     /* TIER */
    int ntiers;
    kh_effect *effects; /* what happens */
    int neffects;
    bool inherited;     /* effect-only clause that took the previous condition */
} kh_clause;

/* Attributes of a section or item, from （…） */
typedef struct kh_attrs {
    bool has_base;   kh_dec base;     kh_span base_span;    /* 基本分 / N分 / 分值 */
    bool has_full;   kh_dec full;     kh_span full_span;    /* 满分 */
    bool floor;      /* 扣完为止 said */
    bool no_floor;   /* 倒扣分 said */
    bool has_cap;    kh_dec cap;      kh_span cap_span;     /* 加分不超过 */
    bool declared;   /* the base was written as a bare （N分）: the item's points */
    bool has_range;  kh_range range;  /* （1—3分）: an evaluator's range */
} kh_attrs;

typedef struct kh_item {
    char *label;            /* the 事项 it counts */
    kh_span label_span;
    kh_span span;           /* whole item */
    char *number;           /* "1." as written, may be NULL */
    kh_attrs attrs;
    kh_clause *clauses;
    int nclauses;
} kh_item;

typedef struct kh_section {
    char *title;
    kh_span title_span;
    kh_span span;
    char *number;           /* "一、" / "（一）" */
    int depth;              /* 0 section, 1 sub-section */
    bool bonus;             /* 加分项 */
    kh_attrs attrs;
    struct kh_section *subs;
    int nsubs;
    kh_item *items;
    int nitems;
} kh_section;

typedef enum kh_cond_kind { KH_GC_SCORE, KH_GC_RANK, KH_GC_QUOTA } kh_cond_kind;

typedef struct kh_gcond {
    kh_cond_kind kind;
    kh_range range;         /* SCORE */
    kh_dec n;               /* RANK/QUOTA: count or percent */
    kh_dec n_min;           /* QUOTA 2-3名: 2 */
    bool pct;
    kh_span span;
} kh_gcond;

typedef struct kh_grade {
    char *name;
    kh_span name_span, span;
    kh_gcond *conds;
    int nconds;
} kh_grade;

typedef struct kh_veto {
    char *label;            /* the event */
    kh_span label_span, span;
    char *cap_grade;        /* 评定为X; NULL when it only sets a flag */
    kh_span cap_span;
    char *flag;             /* 取消评先评优资格; NULL when it caps */
} kh_veto;

typedef struct kh_prereq {
    char *label;
    kh_span span;
} kh_prereq;

typedef struct kh_scheme {
    const kh_source *src;
    char *name;               kh_span name_span;
    kh_subject subject;       kh_span subject_span;
    bool has_full;  kh_dec full;  kh_span full_span;
    bool has_base;  kh_dec base;  kh_span base_span;
    kh_unit unit;             kh_span unit_span;
    bool upper_exclusive;     kh_span upper_exclusive_span;
    kh_period period;         bool has_period;   kh_span period_span;
    bool has_weight; kh_dec weight; kh_span weight_span;
    kh_section *sections;     /* top level */
    int nsections;
    kh_grade *grades;         int ngrades;     kh_span grades_span;
    kh_veto *vetoes;          int nvetoes;
    kh_prereq *prereqs;       int nprereqs;
    struct kh_arena *arena;   /* owns every node above */
} kh_scheme;

/* Read a file into a source.  Returns false and records a diagnostic
 * (missing file, directory, invalid UTF-8 …) on failure. */
bool kh_source_load(kh_alloc *a, kh_diags *d, const char *path, kh_source *out);
bool kh_source_from_string(kh_alloc *a, const char *path, const char *text, size_t len, kh_source *out);
void kh_source_free(kh_source *src);

/* Parse a source.  Always returns a scheme (possibly partial) unless memory
 * runs out; problems go to d.  The scheme borrows src. */
kh_scheme *kh_parse(kh_alloc *a, kh_diags *d, const kh_source *src);
void kh_scheme_free(kh_scheme *s);

/* Check names and meanings the grammar cannot: a shortfall without a target,
 * a veto to an unknown grade, …  Records diagnostics; returns false on error. */
bool kh_check(kh_alloc *a, kh_diags *d, const kh_scheme *s);

/* Does the clause earn the item's value (a band, all-or-nothing, an
 * evaluator's score, a 得N分 threshold) rather than add or deduct? */
bool kh_clause_earns(const kh_clause *c);

/* The canonical (simplified) name of a level: 國家級, 国家 → 国家级.  Returns
 * name itself when it is not one of the five standard levels. */
const char *kh_level_name(const char *name, size_t len);
/* Rank of a standard level, 0 = 国家级 … 4 = 区级; −1 for others. */
int kh_level_rank(const char *canonical);

/* Print the AST in the stable text form used by golden tests. */
void kh_ast_print(FILE *out, const kh_scheme *s);

#endif
