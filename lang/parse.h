/* parse.h — internal to lang/: what the lexer, the grammar and the tree
 * builder share.  The scanner is reentrant and the parser pure; everything
 * they need hangs off kh_pstate, passed as the scanner's extra data.
 */
#ifndef KH_PARSE_H
#define KH_PARSE_H

#include "lang.h"

/* ----------------------------------------------------- token values */

typedef enum kh_tokkind {
    KH_TK_NONE,
    KH_TK_CMP_GE, KH_TK_CMP_GT, KH_TK_CMP_LE, KH_TK_CMP_LT, KH_TK_CMP_NOT_GE
} kh_tokkind;

enum { KH_NUM_NONE, KH_NUM_SECTION, KH_NUM_SUB, KH_NUM_ITEM };

typedef struct kh_tokval {
    kh_span span;
    kh_dec num;
    bool pct;
    int kind;                /* kh_cmp for comparison tokens, kh_who etc. */
} kh_tokval;

/* Parse-time pieces the grammar assembles and build.c turns into AST. */
typedef enum kh_pcond_kind {
    KH_PC_NONE,
    KH_PC_EACH,      /* 每…次 */
    KH_PC_AVAL,      /* a (compared) quantity, maybe with alternatives */
    KH_PC_RANGE,     /* A至B */
    KH_PC_SHORT,     /* 每少N篇 */
    KH_PC_EXCESS,    /* 超额每N篇 */
    KH_PC_MISSING    /* 缺N人 */
} kh_pcond_kind;

typedef struct kh_paval {
    bool has_cmp;
    kh_cmp cmp;
    kh_qty q;
    bool has_unit;           /* written with 分 or 元 */
    kh_unit unit;
    kh_span span;
} kh_paval;

typedef struct kh_palt {
    kh_span who;             /* empty when none */
    bool has_size;
    kh_paval size;           /* 2人 / 3人以上 */
    kh_paval val;
    kh_span span;
} kh_palt;

typedef struct kh_pcond {
    kh_pcond_kind kind;
    kh_span span;
    kh_qty step;             /* EACH/SHORT/EXCESS/MISSING */
    bool has_step;
    kh_palt *alts; int nalts, capalts;
    kh_paval lo, hi;         /* RANGE */
    bool paren;              /* alternatives were in （…）: the first is the default */
} kh_pcond;

typedef struct kh_pamt { kh_dec amount; kh_unit unit; kh_span span; bool ok, missing; } kh_pamt;
typedef struct kh_pamts { kh_dec v[16]; int n; kh_unit unit; } kh_pamts;
typedef struct kh_plevels { kh_span v[16]; int n; } kh_plevels;

typedef struct kh_peffs {
    kh_effect *v; int n, cap;
} kh_peffs;

typedef struct kh_ptiers {
    kh_tier *v; int n, cap;
} kh_ptiers;

/* A clause under construction. */
typedef struct kh_pclause {
    kh_clause c;
    kh_span words;           /* leading words, may be empty */
    kh_pcond cond;
    int extra;               /* KH_CL_* for keyword clauses, −1 for generic ones */
    bool effect_only;        /* resolved against the previous clause by the item */
    int capt;                /* growable capacity for tiers */
} kh_pclause;

typedef struct kh_pclauses {
    kh_pclause **v; int n, cap;
} kh_pclauses;

/* --------------------------------------------------------- parse state */

typedef enum kh_block { KH_BLK_BODY, KH_BLK_GRADES, KH_BLK_VETO, KH_BLK_PREREQ } kh_block;

typedef struct kh_pstate {
    kh_alloc *alloc;
    kh_diags *diags;
    const kh_source *src;
    kh_arena *arena;
    kh_scheme *s;
    /* scanner */
    uint32_t off;            /* byte offset of the next token */
    uint32_t swallow_start;  /* start of a token built over several rules */
    int swallow_tok;
    int swallow_ret;         /* start condition to return to */
    /* builder */
    kh_block block;
    int cur_sec, cur_sub;    /* indexes, −1 none */
    int capsec, capsub, capitem;
    int capgrades, capvetoes, capprereqs;
    bool seen_item_in_sub;
} kh_pstate;

/* build.c: grammar actions */
kh_span kh_span_join(kh_span a, kh_span b);
char *kh_b_text(kh_pstate *ps, kh_span sp);           /* trimmed copy of source text */
void kh_b_header_text(kh_pstate *ps, int which, kh_span key, kh_span val);
void kh_b_header_num(kh_pstate *ps, int which, kh_span key, const kh_paval *v);
void kh_b_upper_exclusive(kh_pstate *ps, kh_span sp);
void kh_b_item(kh_pstate *ps, kh_tokval num, kh_span label, kh_pclauses *attrs, kh_pclauses *clauses, kh_span whole);
void kh_b_block(kh_pstate *ps, kh_block b, kh_span sp);
kh_pclause *kh_b_clause(kh_pstate *ps, int extra, kh_span sp);
void kh_b_classify(kh_pstate *ps, kh_pclause *pc);
void kh_b_clauses_add(kh_pstate *ps, kh_pclauses *l, kh_pclause *c);
void kh_b_effect_add(kh_pstate *ps, kh_peffs *l, const kh_effect *e);
void kh_b_tiers_each(kh_pstate *ps, kh_pclause *pc, const kh_plevels *lv, kh_dec amount, kh_span sp);
void kh_b_tiers_resp(kh_pstate *ps, kh_pclause *pc, const kh_plevels *lv, const kh_pamts *am, kh_span sp);
void kh_b_tiers_merge(kh_pstate *ps, kh_pclause *into, kh_pclause *from);
void kh_b_alt_add(kh_pstate *ps, kh_pcond *c, const kh_palt *a);
void kh_b_alt_first(kh_pstate *ps, kh_pcond *c, const kh_paval *v, kh_span sp);
kh_qty kh_b_qty(kh_pstate *ps, const kh_tokval *num, kh_span quant, bool points);
void kh_b_error(kh_pstate *ps, const kh_msg *m, kh_span sp, const char *a1, const char *a2);
void kh_b_unknown_unit(kh_pstate *ps, kh_span words);
void kh_b_finish(kh_pstate *ps);

/* The parser's diagnostics. */
extern const kh_msg kh_m_syntax, kh_m_syntax_eol, kh_m_missing_amount, kh_m_unknown_unit,
    kh_m_missing_unit, kh_m_missing_step, kh_m_dedupe_count, kh_m_empty,
    kh_m_no_name, kh_m_item_outside, kh_m_bad_value, kh_m_no_effect,
    kh_m_unexpected_in_block, kh_m_bad_subject, kh_m_bad_unit_header,
    kh_m_bad_period, kh_m_too_deep, kh_m_nomem, kh_m_bad_number;

/* Number helpers for the lexer. */
bool kh_num_arabic(const char *s, size_t n, kh_dec *out, bool *pct);
bool kh_num_chinese(const char *s, size_t n, kh_dec *out);

#endif
