/* lint.h — the linter (internal to compiler/): arithmetic mistakes in a scheme, found before anyone
 * is scored.
 *
 * Each kh_lt_finding is a diagnostic with a class a personnel officer recognises:
 *
 *   分值不符  totals that do not add up (section, 满分, an item's own points)
 *   区间空缺  a value that no band of an item, or no grade range, covers
 *   区间重叠  a value covered twice with different results
 *   超出分值  a band or amount worth more than its item or its cap; a cap or
 *             扣完为止 that can never take effect
 *   等次缺口  a possible total that gets no grade; a grade nobody can reach;
 *             contradictory quotas
 *   重复计分  one 事项 consumed by two items
 *   缺少数值  a condition whose number was lost
 *   未定义    a rule that no event can trigger; a level that is not standard
 *
 * The linter agrees with the lowering because it reads the IR.  Every
 * register gets an interval [lo, hi] and a granularity g (every value the
 * register can take is a multiple of g thousandths), computed op by op;
 * the total's interval and g give the possible totals.  Ranges are read with
 * the same statutory rule as lower.c: 以上/以下/A至B include the number,
 * 超过/不满/低于 exclude it, and under 分数上限不含本数 every upper bound
 * (except a single point) is exclusive.
 *
 * Which values are fractional.  Constants, sums and products of amounts keep
 * their granularity.  An event's 数量 is whole when the clause counts it
 * with a counting 量词 (次 篇 项 人 起 件 …) or with none (one occurrence);
 * otherwise (字 % 分 小时 …) it may be fractional.  Tier tables count awards
 * (whole).  Means (evaluator scores, rates), divisions and proportional
 * bands are fractional (g = 0.001).  A band table on a rate (%) is
 * fractional; on a count (3次以上) whole.  So 79 < x < 80 is a gap in a
 * table on a rate and none in a table on a count of events.
 *
 * Grades.  The possible totals run from the IR's lowest to its highest
 * total, on multiples of its g.  A total that no grade's range covers is a
 * gap (区间空缺 between two written ranges, 等次缺口 outside them); a total
 * covered only by grades with a rank or quota condition gets no grade when
 * the condition fails (等次缺口).  A grade whose range misses every possible
 * total, or lies under earlier unconditional grades, is never given.
 *
 * Points.  What an item or section is worth: its written points; an item
 * without points counts what its earning clauses (bands, 得N分, 未落实不得分,
 * evaluator scores) give at most.  A 满分 bounds its item or section in the
 * lowering; the linter compares the rules with the value before that bound,
 * so rules that overshoot are still reported.
 *
 * Precision over recall: band tables are checked between their lowest and
 * highest band (and up to 100% for rates), since "below the lowest band
 * nothing" is the usual reading, and thresholds written beside the bands
 * count as cover; additive tables (tiers, thresholds with 加) are never
 * checked for gaps; a later grade or band that overlaps an earlier one only
 * because both are open on the same side ("90分以上…80分以上…") is the
 * usual first-match cascade and is not reported, nor is a grade range that
 * overlaps a grade with a rank or quota condition (it is the fallback).
 * Parser diagnostics are not repeated: a clause the parser or checker
 * already reported gets no finding for the same fault.
 */
#ifndef KH_LINT_H
#define KH_LINT_H

#include <stdlib.h>
#include <string.h>

#include "compiler.h"

/* finding classes and messages (lint.c) */
extern const char *const KH_LT_POINTS;
extern const char *const KH_LT_GAP;
extern const char *const KH_LT_OVERLAP;
extern const char *const KH_LT_EXCESS;
extern const char *const KH_LT_GRADE;
extern const char *const KH_LT_DUP;
extern const char *const KH_LT_MISSING;
extern const char *const KH_LT_UNDEF;
extern const kh_msg kh_lt_m_nomem;
extern const kh_msg kh_lt_m_sec_sum;
extern const kh_msg kh_lt_m_full_sum;
extern const kh_msg kh_lt_m_sec_low;
extern const kh_msg kh_lt_m_sec_high;
extern const kh_msg kh_lt_m_earn_low;
extern const kh_msg kh_lt_m_earn_high;
extern const kh_msg kh_lt_m_band_gap;
extern const kh_msg kh_lt_m_band_overlap;
extern const kh_msg kh_lt_m_over_item;
extern const kh_msg kh_lt_m_over_cap;
extern const kh_msg kh_lt_m_cap_idle;
extern const kh_msg kh_lt_m_floor_idle;
extern const kh_msg kh_lt_m_grade_gap;
extern const kh_msg kh_lt_m_grade_overlap;
extern const kh_msg kh_lt_m_grade_outside;
extern const kh_msg kh_lt_m_grade_cond;
extern const kh_msg kh_lt_m_grade_unreach;
extern const kh_msg kh_lt_m_grade_shadow;
extern const kh_msg kh_lt_m_quota_minmax;
extern const kh_msg kh_lt_m_quota_sum;
extern const kh_msg kh_lt_m_dup;
extern const kh_msg kh_lt_m_lost_number;
extern const kh_msg kh_lt_m_invalid;
extern const kh_msg kh_lt_m_level;
extern const kh_msg kh_lt_m_no_trigger;
extern const kh_msg kh_lt_m_empty_section;
extern const kh_msg kh_lt_m_no_items;

/* ------------------------------------------------------------ context */

#define LT_INF KH_DEC_MAX
#define LT_MAXIV 64

/* What a register can hold: lo..hi (±LT_INF unbounded), every value a
 * multiple of g (g = 0: always 0), and whether any event can change it. */
typedef struct kh_lv {
    kh_dec lo, hi, g;
    bool ev;
} kh_lv;

typedef struct kh_lt {
    kh_alloc *a;
    kh_diags *d;
    const kh_scheme *s;
    const kh_ir *ir;            /* NULL: only the checks on the tree */
    size_t nbefore;             /* diagnostics recorded before linting */
    kh_lv *v;                   /* per IR register */
    const kh_item **items;      /* tree items in IR order */
    const kh_section **secs;    /* tree sections in IR order */
    int nitems, nsecs;
    int32_t *kh_lt_out_reg[2];        /* [0] items, [1] sections: register written to the output, −1 */
    int32_t *last_cap[2];       /* the last KH_OP_CAP of each item / section, −1 */
} kh_lt;


/* Values are multiples of g; a lattice interval [lo, hi] of indexes k
 * stands for the values k·g.  K_NEG/K_POS: unbounded. */
#define K_POS (INT64_MAX / 4)
#define K_NEG (-K_POS)

typedef struct kh_pts {
    bool has;
    kh_dec p;
} kh_pts;

typedef struct kh_kiv {
    int64_t lo, hi;
} kh_kiv;

typedef struct kh_kset {
    kh_kiv v[LT_MAXIV];
    int tag[LT_MAXIV];          /* who put it there (band or grade index) */
    int n;
} kh_kset;

/* An item's band table, with the thresholds beside it that also give a
 * value on the same measure (they cover values, but add, so they are not
 * checked for overlaps). */
typedef struct kh_bands {
    const kh_item *it;
    const kh_clause *c[LT_MAXIV];
    kh_kiv k[LT_MAXIV];
    int n;
    const kh_clause *xc[LT_MAXIV];  /* thresholds on the same scale */
    kh_kiv extra[LT_MAXIV];
    int nextra;
    bool pct;
    kh_dec g;
    char quant[16];             /* the 量词 of a count, for messages */
    kh_pts pts;
} kh_bands;

/* shared between the linter's files */
void kh_lt_fmt_dec(kh_dec v, char *buf, size_t cap);
void kh_lt_fmt_value(kh_dec v, bool pct, char *buf, size_t cap);
void kh_lt_span_text(const kh_lt *lt, kh_span sp, char *buf, size_t cap);
kh_span kh_lt_span_join(kh_span a, kh_span b);
kh_span kh_lt_from_label(kh_span label, kh_span whole);
void kh_lt_finding(kh_lt *lt, kh_severity sev, const kh_msg *m, const char *cls, kh_span sp, const char *a1, const char *a2, const char *a3, const char *cx);
kh_pts kh_lt_item_points(const kh_item *it);
bool kh_lt_counting_quant(const char *q, size_t n);
kh_lv kh_lt_lv_ins(const kh_lt *lt, int32_t i);
int32_t kh_lt_out_reg(const kh_lt *lt, int32_t col);
const kh_lv *kh_lt_owner_value(const kh_lt *lt, kh_note note, int32_t owner);
int64_t kh_lt_floor_div(int64_t a, int64_t b);
kh_kiv kh_lt_kiv_of_range(const kh_range *r, kh_dec g);
kh_kiv kh_lt_kiv_of_lv(kh_lv v, kh_dec g);
kh_kiv kh_lt_kiv_meet(kh_kiv a, kh_kiv b);
bool kh_lt_kiv_empty(kh_kiv k);
void kh_lt_kset_add(kh_kset *s, kh_kiv k, int tag);
void kh_lt_kset_gaps(const kh_kset *cover, kh_kiv dom, kh_kset *gaps);
kh_dec kh_lt_nice_value(kh_kiv k, kh_dec g);
bool kh_lt_clause_is_rate(const kh_clause *c);
kh_range kh_lt_clause_range(const kh_scheme *s, const kh_clause *c);
void kh_lt_bands_scale(kh_lt *lt, kh_bands *b);
void kh_lt_bands_collect(kh_lt *lt, const kh_item *it, kh_bands *b);
void kh_lt_band_value_text(const kh_bands *b, kh_dec v, char *buf, size_t cap);
void kh_lt_band_result(const kh_clause *c, kh_dec p, int *kind, kh_dec *amount);
void kh_lt_lint_band_gaps(kh_lt *lt, const kh_bands *b);
void kh_lt_lint_band_overlaps(kh_lt *lt, const kh_bands *b);
void kh_lt_lint_quotas(kh_lt *lt);
void kh_lt_lint_grades(kh_lt *lt);

#endif
