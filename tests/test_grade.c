/* test_grade.c — ranks, grades, quotas, vetoes and prerequisites across
 * entities (runtime/grade.c), on small hand-built IR. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"

/* Whole points in thousandths; fractions are written in thousandths. */
#define P(x) ((kh_dec)(x) * KH_DEC_ONE)

/* ---------------------------------------------------------- fixture */

typedef struct fx {
    kh_ir ir;
    kh_ir_grade grades[8];
    kh_ir_veto vetoes[8];
    kh_ir_prereq prereqs[16];
    kh_col cols[32];
} fx;

static int32_t fx_col(fx *f, kh_col_kind kind, char *title, int32_t index)
{
    int32_t c = f->ir.ncols++;
    f->cols[c] = (kh_col){ .kind = kind, .title = title, .index = index };
    return c;
}

/* An IR with one output slot, the total, and nothing else. */
static void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    f->ir.name = "测试方案";
    f->ir.unit = KH_UNIT_POINT;
    f->ir.grades = f->grades;
    f->ir.vetoes = f->vetoes;
    f->ir.prereqs = f->prereqs;
    f->ir.cols = f->cols;
    f->ir.total_col = fx_col(f, KH_COL_TOTAL, "总分", -1);
    f->ir.bonus_col = -1;
    f->ir.weighted_col = -1;
}

static kh_ir_grade *fx_grade(fx *f, char *name)
{
    kh_ir_grade *g = &f->grades[f->ir.ngrades++];
    g->name = name;
    return g;
}

static kh_range at_least(kh_dec lo)
{
    return (kh_range){ .has_lo = true, .lo_incl = true, .lo = lo };
}

static kh_range between(kh_dec lo, kh_dec hi, bool hi_incl)
{
    return (kh_range){ .has_lo = true, .lo_incl = true, .lo = lo,
                       .has_hi = true, .hi_incl = hi_incl, .hi = hi };
}

static kh_range below(kh_dec hi)
{
    return (kh_range){ .has_hi = true, .hi_incl = false, .hi = hi };
}

static kh_ir_grade *fx_scored(fx *f, char *name, kh_range r)
{
    kh_ir_grade *g = fx_grade(f, name);
    g->has_range = true;
    g->range = r;
    return g;
}

static void with_rank_pct(kh_ir_grade *g, kh_dec pct)
{
    g->has_rank = true;
    g->rank = pct;
    g->rank_pct = true;
}

static void with_quota(kh_ir_grade *g, int min, int max)
{
    g->has_quota = true;
    g->quota = P(max);
    g->quota_min = P(min);
}

/* Returns the output slot holding the veto's event count. */
static int32_t fx_veto(fx *f, char *label, int32_t cap, char *flag)
{
    int32_t k = f->ir.nvetoes++;
    int32_t col = fx_col(f, KH_COL_VETO, label, k);
    f->vetoes[k] = (kh_ir_veto){ .label = label, .col = col, .cap_grade = cap, .flag = flag };
    return col;
}

static int32_t fx_prereq(fx *f, char *label)
{
    int32_t k = f->ir.nprereqs++;
    int32_t col = fx_col(f, KH_COL_PREREQ, label, k);
    f->prereqs[k] = (kh_ir_prereq){ .label = label, .col = col };
    return col;
}

/* The grade table of seed 002 with 分数上限不含本数: 优秀 95分以上且排名前20%,
 * 称职 80 ≤ x < 95, 基本称职 60 ≤ x < 80, 不称职 x < 60. */
static void fx_seed002(fx *f)
{
    with_rank_pct(fx_scored(f, "优秀", at_least(P(95))), P(20));
    fx_scored(f, "称职", between(P(80), P(95), false));
    fx_scored(f, "基本称职", between(P(60), P(80), false));
    fx_scored(f, "不称职", below(P(60)));
}

/* Four grades by score only: 优秀 ≥ 90, 称职 ≥ 80, 基本称职 ≥ 60, 不称职 < 60. */
static void fx_four(fx *f)
{
    fx_scored(f, "优秀", at_least(P(90)));
    fx_scored(f, "称职", at_least(P(80)));
    fx_scored(f, "基本称职", at_least(P(60)));
    fx_scored(f, "不称职", below(P(60)));
}

/* Rows for n entities with these totals; other slots 0. */
static kh_dec *rows_of(const fx *f, const kh_dec *totals, size_t n)
{
    kh_dec *rows = calloc(n ? n * (size_t)f->ir.ncols : 1, sizeof *rows);
    cr_assert_not_null(rows);
    for (size_t i = 0; i < n; i++)
        rows[i * (size_t)f->ir.ncols + (size_t)f->ir.total_col] = totals[i];
    return rows;
}

static void set_cell(const fx *f, kh_dec *rows, size_t i, int32_t col, kh_dec v)
{
    rows[i * (size_t)f->ir.ncols + (size_t)col] = v;
}

/* Grade, asserting success; scheme notes into *scheme when given. */
static void grade(const fx *f, const kh_dec *rows, size_t n, kh_verdict *v, char **scheme)
{
    kh_alloc a = { 0 };
    cr_assert(kh_grade_assign(&a, &f->ir, rows, n, v, scheme));
    for (size_t i = 0; i < n; i++)
        cr_assert_not_null(v[i].remarks);
}

/* ------------------------------------------------------ score ranges */

Test(grade, yishang_includes_exactly_95_and_not_94_999)
{
    fx f;
    fx_init(&f);
    fx_scored(&f, "优秀", at_least(P(95)));
    fx_scored(&f, "称职", between(P(80), P(95), false));
    kh_dec totals[] = { P(95), 94999 };
    kh_dec *rows = rows_of(&f, totals, 2);
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_eq(v[1].grade, 1);
    cr_assert_str_eq(v[0].remarks, "");
    cr_assert_str_eq(v[1].remarks, "");
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, upper_exclusive_band_stops_below_95)
{
    fx f;
    fx_init(&f);
    fx_scored(&f, "称职", between(P(80), P(95), false));
    kh_dec totals[] = { P(95), 94999, P(80), 79999 };
    kh_dec *rows = rows_of(&f, totals, 4);
    kh_verdict v[4];
    grade(&f, rows, 4, v, NULL);
    cr_assert_eq(v[0].grade, -1);
    cr_assert_str_eq(v[0].remarks, "未达到任何等次");
    cr_assert_eq(v[1].grade, 0);
    cr_assert_eq(v[2].grade, 0);
    cr_assert_eq(v[3].grade, -1);
    cr_assert_str_eq(v[3].remarks, "未达到任何等次");
    kh_grade_free(v, 4);
    free(rows);
}

Test(grade, inclusive_band_keeps_95)
{
    fx f;
    fx_init(&f);
    fx_scored(&f, "称职", between(P(80), P(95), true));
    kh_dec totals[] = { P(95), 95001 };
    kh_dec *rows = rows_of(&f, totals, 2);
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_eq(v[1].grade, -1);
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, exclusive_lower_bound_chaoguo)
{
    kh_range r = { .has_lo = true, .lo_incl = false, .lo = P(60) };
    cr_assert_not(kh_grade_in_range(&r, P(60)));
    cr_assert(kh_grade_in_range(&r, 60001));
    kh_range open = { 0 };
    cr_assert(kh_grade_in_range(&open, -P(1000)));
}

/* ------------------------------------------------------------- ranks */

Test(grade, competition_ranking_1_2_2_4)
{
    fx f;
    fx_init(&f);
    kh_dec totals[] = { P(90), P(100), P(95), P(95), P(80) };
    kh_dec *rows = rows_of(&f, totals, 5);
    kh_verdict v[5];
    grade(&f, rows, 5, v, NULL);
    int32_t want[] = { 4, 1, 2, 2, 5 };
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(v[i].rank, want[i], "entity %zu rank %d", i, v[i].rank);
    size_t *order = kh_grade_order(NULL, v, 5);
    cr_assert_not_null(order);
    size_t want_order[] = { 1, 2, 3, 0, 4 };
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(order[i], want_order[i]);
    kh_free(order);
    kh_grade_free(v, 5);
    free(rows);
}

Test(grade, rank_does_not_depend_on_input_order_and_ties_keep_it)
{
    fx f;
    fx_init(&f);
    /* The same totals as above, shuffled. */
    kh_dec totals[] = { P(95), P(80), P(100), P(90), P(95) };
    kh_dec *rows = rows_of(&f, totals, 5);
    kh_verdict v[5];
    grade(&f, rows, 5, v, NULL);
    int32_t want[] = { 2, 5, 1, 4, 2 };
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(v[i].rank, want[i]);
    size_t *order = kh_grade_order(NULL, v, 5);
    size_t want_order[] = { 2, 0, 4, 3, 1 };
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(order[i], want_order[i]);
    kh_free(order);
    kh_grade_free(v, 5);
    free(rows);
}

Test(grade, tenths_that_add_up_tie_exactly)
{
    fx f;
    fx_init(&f);
    kh_dec totals[] = { 100 + 200, 300 };   /* 0.1 + 0.2 and 0.3 */
    kh_dec *rows = rows_of(&f, totals, 2);
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].rank, 1);
    cr_assert_eq(v[1].rank, 1);
    kh_grade_free(v, 2);
    free(rows);
}

/* ------------------------------------------------- rank conditions */

Test(grade, top_20_percent_rounds_down)
{
    kh_ir_grade g = { 0 };
    with_rank_pct(&g, P(20));
    cr_assert_eq(kh_grade_rank_limit(&g, 12), 2);   /* 2.4 */
    cr_assert_eq(kh_grade_rank_limit(&g, 10), 2);
    cr_assert_eq(kh_grade_rank_limit(&g, 14), 2);   /* 2.8 */
    cr_assert_eq(kh_grade_rank_limit(&g, 15), 3);
    cr_assert_eq(kh_grade_rank_limit(&g, 3), 0);    /* 0.6: nobody */
    cr_assert_eq(kh_grade_rank_limit(&g, 0), 0);
    kh_ir_grade top3 = { .has_rank = true, .rank = P(3) };
    cr_assert_eq(kh_grade_rank_limit(&top3, 100), 3);
    kh_ir_grade none = { 0 };
    cr_assert_eq(kh_grade_rank_limit(&none, 100), KH_GRADE_UNLIMITED);
}

/* 12 people, all above 95; 前20% = ranks 1..2. */
static void top20_of_12(const kh_dec *top4, int32_t *got)
{
    fx f;
    fx_init(&f);
    with_rank_pct(fx_scored(&f, "优秀", at_least(P(95))), P(20));
    fx_scored(&f, "称职", at_least(P(80)));
    kh_dec totals[12];
    for (size_t i = 0; i < 12; i++)
        totals[i] = i < 4 ? top4[i] : P(96) - (kh_dec)i;
    kh_dec *rows = rows_of(&f, totals, 12);
    kh_verdict v[12];
    grade(&f, rows, 12, v, NULL);
    for (size_t i = 0; i < 12; i++)
        got[i] = v[i].grade;
    kh_grade_free(v, 12);
    free(rows);
}

Test(grade, top_20_percent_of_12_with_tie_on_rank_2_admits_both)
{
    kh_dec top4[] = { P(100), P(99), P(99), P(98) };   /* ranks 1, 2, 2, 4 */
    int32_t got[12];
    top20_of_12(top4, got);
    cr_assert_eq(got[0], 0);
    cr_assert_eq(got[1], 0);
    cr_assert_eq(got[2], 0);
    cr_assert_eq(got[3], 1);
    for (size_t i = 4; i < 12; i++)
        cr_assert_eq(got[i], 1);
}

Test(grade, top_20_percent_of_12_with_tie_on_rank_3_admits_neither)
{
    kh_dec top4[] = { P(100), P(99), P(98), P(98) };   /* ranks 1, 2, 3, 3 */
    int32_t got[12];
    top20_of_12(top4, got);
    cr_assert_eq(got[0], 0);
    cr_assert_eq(got[1], 0);
    cr_assert_eq(got[2], 1);
    cr_assert_eq(got[3], 1);
}

Test(grade, top_percent_of_one_entity_admits_nobody)
{
    fx f;
    fx_init(&f);
    fx_seed002(&f);
    kh_dec totals[] = { P(100) };
    kh_dec *rows = rows_of(&f, totals, 1);
    kh_verdict v[1];
    grade(&f, rows, 1, v, NULL);
    cr_assert_eq(v[0].rank, 1);
    /* 1 × 20% = 0.2 → no rank qualifies; 100 is outside 80 ≤ x < 95. */
    cr_assert_eq(v[0].grade, -1);
    cr_assert_str_eq(v[0].remarks, "未达到任何等次");
    kh_grade_free(v, 1);
    free(rows);
}

/* ------------------------------------------------------------ quotas */

Test(grade, quota_2_to_3_with_tie_at_third_admits_all_and_says_so)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 2, 3);
    fx_scored(&f, "称职", at_least(P(60)));
    kh_dec totals[] = { P(100), P(99), P(98), P(98), P(97) };
    kh_dec *rows = rows_of(&f, totals, 5);
    kh_verdict v[5];
    char *scheme;
    grade(&f, rows, 5, v, &scheme);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(v[i].grade, 0, "entity %zu", i);
    cr_assert_str_eq(v[0].remarks, "");
    cr_assert_str_eq(v[1].remarks, "");
    cr_assert_str_eq(v[2].remarks, "「优秀」名额3名，因并列第3名实际4名");
    cr_assert_str_eq(v[3].remarks, "「优秀」名额3名，因并列第3名实际4名");
    cr_assert_eq(v[4].grade, 1);
    cr_assert_str_eq(v[4].remarks, "「优秀」名额已满");
    cr_assert_str_eq(scheme, "「优秀」名额3名，因并列第3名实际评定4名");
    kh_free(scheme);
    kh_grade_free(v, 5);
    free(rows);
}

Test(grade, quota_full_falls_through_to_the_next_grade_met)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(95))), 0, 1);
    with_quota(fx_scored(&f, "良好", at_least(P(90))), 0, 1);
    fx_scored(&f, "合格", at_least(P(60)));
    kh_dec totals[] = { P(97), P(99), P(98), P(91) };
    kh_dec *rows = rows_of(&f, totals, 4);
    kh_verdict v[4];
    char *scheme;
    grade(&f, rows, 4, v, &scheme);
    cr_assert_eq(v[1].grade, 0);
    cr_assert_eq(v[2].grade, 1);
    cr_assert_str_eq(v[2].remarks, "「优秀」名额已满");
    cr_assert_eq(v[0].grade, 2);
    cr_assert_str_eq(v[0].remarks, "「优秀」名额已满; 「良好」名额已满");
    cr_assert_eq(v[3].grade, 2);
    cr_assert_str_eq(v[3].remarks, "「良好」名额已满");
    cr_assert_str_eq(scheme, "");
    kh_free(scheme);
    kh_grade_free(v, 4);
    free(rows);
}

Test(grade, every_met_quota_full_leaves_no_grade)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 0, 1);
    kh_dec totals[] = { P(99), P(95) };
    kh_dec *rows = rows_of(&f, totals, 2);
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_eq(v[1].grade, -1);
    cr_assert_str_eq(v[1].remarks, "「优秀」名额已满; 未评定等次");
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, quota_minimum_not_reached_is_a_scheme_note)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(95))), 2, 3);
    fx_scored(&f, "称职", at_least(P(0)));
    kh_dec totals[] = { P(99), P(80), P(70) };
    kh_dec *rows = rows_of(&f, totals, 3);
    kh_verdict v[3];
    char *scheme;
    grade(&f, rows, 3, v, &scheme);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_str_eq(v[0].remarks, "");
    cr_assert_str_eq(v[1].remarks, "");
    cr_assert_str_eq(scheme, "「优秀」至少应评定2名，实际评定1名");
    kh_free(scheme);
    kh_grade_free(v, 3);
    free(rows);
}

Test(grade, quota_minimum_counts_grades_after_vetoes)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 2, 3);
    fx_scored(&f, "称职", at_least(0));
    int32_t cap = fx_veto(&f, "受警告以上处分", 1, NULL);
    kh_dec totals[] = { P(99), P(98), P(97), P(50) };
    kh_dec *rows = rows_of(&f, totals, 4);
    set_cell(&f, rows, 0, cap, P(1));
    set_cell(&f, rows, 2, cap, P(1));
    set_cell(&f, rows, 3, cap, P(1));
    kh_verdict v[4];
    char *scheme;
    grade(&f, rows, 4, v, &scheme);
    cr_assert_eq(v[0].score_grade, 0);
    cr_assert_eq(v[0].grade, 1);
    cr_assert_eq(v[1].grade, 0);
    cr_assert_eq(v[2].grade, 1);
    cr_assert_eq(v[3].grade, 1);
    cr_assert_str_eq(scheme, "「优秀」至少应评定2名，实际评定1名");
    kh_free(scheme);
    kh_grade_free(v, 4);
    free(rows);
}

Test(grade, quota_percent_of_those_scored_rounds_down)
{
    fx f;
    fx_init(&f);
    kh_ir_grade *g = fx_scored(&f, "优秀", at_least(P(0)));
    g->has_quota = true;
    g->quota = P(20);
    g->quota_pct = true;
    fx_scored(&f, "称职", at_least(P(0)));
    cr_assert_eq(kh_grade_quota_limit(g, 12), 2);
    cr_assert_eq(kh_grade_quota_min(g, 12), 0);
    kh_dec totals[12];
    for (size_t i = 0; i < 12; i++)
        totals[i] = P(100) - P(i);
    kh_dec *rows = rows_of(&f, totals, 12);
    kh_verdict v[12];
    grade(&f, rows, 12, v, NULL);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_eq(v[1].grade, 0);
    cr_assert_eq(v[2].grade, 1);
    cr_assert_str_eq(v[2].remarks, "「优秀」名额已满");
    kh_grade_free(v, 12);
    free(rows);
}

/* ------------------------------------------------------------ vetoes */

Test(grade, veto_caps_but_never_lifts)
{
    fx f;
    fx_init(&f);
    fx_four(&f);
    int32_t col = fx_veto(&f, "受警告以上处分", 2, NULL);
    kh_dec totals[] = { P(99), P(50), P(99), P(70) };
    kh_dec *rows = rows_of(&f, totals, 4);
    set_cell(&f, rows, 0, col, P(1));
    set_cell(&f, rows, 1, col, P(2));
    set_cell(&f, rows, 3, col, P(1));
    kh_verdict v[4];
    grade(&f, rows, 4, v, NULL);
    cr_assert_eq(v[0].score_grade, 0);
    cr_assert_eq(v[0].grade, 2);
    cr_assert_str_eq(v[0].remarks, "「受警告以上处分」一票否决：由「优秀」改评为「基本称职」");
    cr_assert_eq(v[1].grade, 3);
    cr_assert_str_eq(v[1].remarks, "「受警告以上处分」一票否决：等次最高为「基本称职」，维持「不称职」");
    cr_assert_eq(v[2].grade, 0);
    cr_assert_str_eq(v[2].remarks, "");
    cr_assert_eq(v[3].grade, 2);
    cr_assert_str_eq(v[3].remarks, "「受警告以上处分」一票否决：等次最高为「基本称职」，维持「基本称职」");
    kh_grade_free(v, 4);
    free(rows);
}

Test(grade, veto_flag_is_a_remark_and_keeps_the_grade)
{
    fx f;
    fx_init(&f);
    fx_four(&f);
    int32_t col = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    kh_dec totals[] = { P(95), P(85) };
    kh_dec *rows = rows_of(&f, totals, 2);
    set_cell(&f, rows, 0, col, P(1));
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].grade, 0);
    cr_assert_str_eq(v[0].remarks, "「被通报」一票否决：取消评先评优资格");
    cr_assert_eq(v[1].grade, 1);
    cr_assert_str_eq(v[1].remarks, "");
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, vetoed_entity_keeps_its_quota_place)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 0, 1);
    fx_scored(&f, "称职", at_least(P(80)));
    fx_scored(&f, "基本称职", at_least(P(0)));
    int32_t col = fx_veto(&f, "受警告以上处分", 2, NULL);
    kh_dec totals[] = { P(99), P(95) };
    kh_dec *rows = rows_of(&f, totals, 2);
    set_cell(&f, rows, 0, col, P(1));
    kh_verdict v[2];
    grade(&f, rows, 2, v, NULL);
    cr_assert_eq(v[0].grade, 2);
    cr_assert_eq(v[0].score_grade, 0);
    cr_assert_eq(v[1].grade, 1);
    cr_assert_str_eq(v[1].remarks, "「优秀」名额已满");
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, veto_on_entity_without_grade_keeps_it_without)
{
    fx f;
    fx_init(&f);
    fx_scored(&f, "优秀", at_least(P(90)));
    fx_scored(&f, "基本称职", at_least(P(60)));
    int32_t cap = fx_veto(&f, "受警告以上处分", 1, NULL);
    int32_t flag = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    kh_dec totals[] = { P(50) };
    kh_dec *rows = rows_of(&f, totals, 1);
    set_cell(&f, rows, 0, cap, P(1));
    set_cell(&f, rows, 0, flag, P(3));
    kh_verdict v[1];
    grade(&f, rows, 1, v, NULL);
    cr_assert_eq(v[0].grade, -1);
    cr_assert_str_eq(v[0].remarks, "未达到任何等次; 「受警告以上处分」一票否决：等次最高为「基本称职」; "
                                   "「被通报」一票否决：取消评先评优资格");
    kh_grade_free(v, 1);
    free(rows);
}

/* ----------------------------------------------------- prerequisites */

Test(grade, missing_prerequisite_still_gets_veto_flag)
{
    fx f;
    fx_init(&f);
    fx_four(&f);
    int32_t flag = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    fx_prereq(&f, "考勤记录");
    kh_dec totals[] = { P(95) };
    kh_dec *rows = rows_of(&f, totals, 1);
    set_cell(&f, rows, 0, flag, P(1));
    kh_verdict v[1];
    grade(&f, rows, 1, v, NULL);
    cr_assert_eq(v[0].grade, -1);
    cr_assert_str_eq(v[0].remarks, "不具备评定条件：考勤记录; 「被通报」一票否决：取消评先评优资格");
    kh_grade_free(v, 1);
    free(rows);
}

Test(grade, missing_prerequisite_gets_no_grade_and_takes_no_quota_place)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 0, 1);
    fx_scored(&f, "合格", at_least(P(0)));
    int32_t a = fx_prereq(&f, "依法办理档案登记");
    int32_t b = fx_prereq(&f, "档案集中统一管理");
    kh_dec totals[] = { P(100), P(95), P(99) };
    kh_dec *rows = rows_of(&f, totals, 3);
    set_cell(&f, rows, 1, a, P(1));
    set_cell(&f, rows, 1, b, P(1));
    set_cell(&f, rows, 2, a, P(1));
    kh_verdict v[3];
    char *scheme;
    grade(&f, rows, 3, v, &scheme);
    cr_assert_eq(v[0].rank, 1);
    cr_assert_not(v[0].eligible);
    cr_assert_eq(v[0].grade, -1);
    cr_assert_str_eq(v[0].remarks, "不具备评定条件：依法办理档案登记、档案集中统一管理");
    cr_assert_eq(v[2].rank, 2);
    cr_assert_eq(v[2].grade, -1);
    cr_assert_str_eq(v[2].remarks, "不具备评定条件：档案集中统一管理");
    cr_assert_eq(v[1].rank, 3);
    cr_assert(v[1].eligible);
    cr_assert_eq(v[1].grade, 0);
    cr_assert_str_eq(v[1].remarks, "");
    cr_assert_str_eq(scheme, "");
    kh_free(scheme);
    kh_grade_free(v, 3);
    free(rows);
}

/* ------------------------------------------------------- edge cases */

Test(grade, scheme_without_grades_only_ranks)
{
    fx f;
    fx_init(&f);
    kh_dec totals[] = { P(60), P(70) };
    kh_dec *rows = rows_of(&f, totals, 2);
    kh_verdict v[2];
    char *scheme;
    grade(&f, rows, 2, v, &scheme);
    cr_assert_eq(v[0].rank, 2);
    cr_assert_eq(v[1].rank, 1);
    cr_assert_eq(v[0].grade, -1);
    cr_assert_eq(v[1].grade, -1);
    cr_assert_str_eq(v[0].remarks, "");
    cr_assert_str_eq(v[1].remarks, "");
    cr_assert_str_eq(scheme, "");
    kh_free(scheme);
    kh_grade_free(v, 2);
    free(rows);
}

Test(grade, single_entity_is_first)
{
    fx f;
    fx_init(&f);
    fx_four(&f);
    kh_dec totals[] = { P(85) };
    kh_dec *rows = rows_of(&f, totals, 1);
    kh_verdict v[1];
    grade(&f, rows, 1, v, NULL);
    cr_assert_eq(v[0].rank, 1);
    cr_assert_eq(v[0].grade, 1);
    cr_assert_str_eq(v[0].remarks, "");
    kh_grade_free(v, 1);
    free(rows);
}

Test(grade, nobody_scored)
{
    fx f;
    fx_init(&f);
    fx_four(&f);
    with_quota(&f.grades[0], 2, 3);
    kh_verdict v[1] = { { .rank = 7 } };
    char *scheme = NULL;
    kh_alloc a = { 0 };
    cr_assert(kh_grade_assign(&a, &f.ir, NULL, 0, v, &scheme));
    cr_assert_str_eq(scheme, "");
    kh_free(scheme);
    size_t *order = kh_grade_order(&a, v, 0);
    cr_assert_not_null(order);
    kh_free(order);
}

/* Fail every allocation of kh_grade_assign in turn: each failure leaves
 * nothing behind.  Returns how many allocations a success took. */
static long fail_each_allocation(kh_dec scale)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90) * scale)), 2, 3);
    fx_scored(&f, "称职", at_least(P(60) * scale));
    int32_t col = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    int32_t pq = fx_prereq(&f, "考勤记录");
    kh_dec totals[] = { P(100), P(99), P(98), P(98), P(97), P(50), P(97) };
    for (size_t i = 0; i < 7; i++)
        totals[i] *= scale;
    kh_dec *rows = rows_of(&f, totals, 7);
    for (size_t i = 0; i < 5; i++)
        set_cell(&f, rows, i, pq, P(1));
    set_cell(&f, rows, 4, col, P(1));
    set_cell(&f, rows, 5, col, P(1));
    set_cell(&f, rows, 6, col, P(1));
    kh_verdict v[7];
    long fail = 1;
    for (;; fail++) {
        kh_alloc a = { .fail_at = fail };
        char *scheme = (char *)"unchanged";
        bool ok = kh_grade_assign(&a, &f.ir, rows, 7, v, &scheme);
        if (ok) {
            cr_assert_str_eq(v[4].remarks, "「优秀」名额已满; 「被通报」一票否决：取消评先评优资格");
            cr_assert_str_eq(v[6].remarks, "不具备评定条件：考勤记录; 「被通报」一票否决：取消评先评优资格");
            kh_free(scheme);
            kh_grade_free(v, 7);
            break;
        }
        cr_assert_null(scheme);
        for (size_t i = 0; i < 7; i++)
            cr_assert_null(v[i].remarks);
        kh_grade_free(v, 7);   /* harmless after a failure */
        cr_assert(fail < 1000);
    }
    free(rows);
    return fail;
}

Test(grade, running_out_of_memory_leaves_nothing_behind)
{
    /* Totals close together (counted by total) and far apart (sorted). */
    cr_assert_gt(fail_each_allocation(1), 5, "every allocation site was failed once");
    cr_assert_gt(fail_each_allocation(1000000), 5, "every allocation site was failed once");
}

Test(grade, million_entities_graded_in_rank_order)
{
    fx f;
    fx_init(&f);
    kh_ir_grade *g = fx_scored(&f, "优秀", at_least(P(0)));
    g->has_quota = true;
    g->quota = P(20);
    g->quota_pct = true;
    fx_scored(&f, "称职", at_least(P(0)));
    size_t n = 1000000;
    kh_dec *rows = calloc(n, sizeof *rows);
    kh_verdict *v = calloc(n, sizeof *v);
    cr_assert(rows && v);
    for (size_t i = 0; i < n; i++)
        rows[i] = (kh_dec)((i * 7919) % 100003);   /* many distinct, scattered */
    grade(&f, rows, n, v, NULL);
    size_t *order = kh_grade_order(NULL, v, n);
    cr_assert_not_null(order);
    size_t best = 0, out_of_order = 0;
    for (size_t p = 0; p < n; p++) {
        size_t i = order[p];
        best += v[i].grade == 0;
        if (p > 0)
            out_of_order += rows[order[p - 1]] < rows[i] || v[order[p - 1]].rank > v[i].rank;
    }
    cr_assert_eq(out_of_order, 0);
    /* ⌊1,000,000 × 20%⌋ = 200,000, plus whatever tie straddles the limit. */
    cr_assert_geq(best, 200000);
    cr_assert_lt(best, 200000 + 20);
    kh_free(order);
    kh_grade_free(v, n);
    free(v);
    free(rows);
}

/* ------------------------------------------- against a plain reference */

/* Ranks the slow, obvious way: 1 + how many have a better total. */
static int32_t *reference_ranks(const kh_dec *totals, size_t n)
{
    int32_t *rank = calloc(n ? n : 1, sizeof *rank);
    cr_assert_not_null(rank);
    for (size_t i = 0; i < n; i++) {
        rank[i] = 1;
        for (size_t j = 0; j < n; j++)
            rank[i] += totals[j] > totals[i];
    }
    return rank;
}

/* Ranks as the reference says, and kh_grade_order best first with equal
 * totals in input order. */
static void assert_ranks_and_order(const kh_dec *totals, size_t n, const kh_verdict *v)
{
    int32_t *want = reference_ranks(totals, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(v[i].rank, want[i], "entity %zu: rank %d, want %d", i, v[i].rank, want[i]);
    size_t *order = kh_grade_order(NULL, v, n);
    cr_assert_not_null(order);
    for (size_t p = 1; p < n; p++) {
        kh_dec a = totals[order[p - 1]], b = totals[order[p]];
        cr_assert(a > b || (a == b && order[p - 1] < order[p]), "order at %zu", p);
    }
    kh_free(order);
    free(want);
}

/* 1,500 entities, ties everywhere and one tie group straddling the 20%
 * line: 前20% of 1,500 = rank 300 or better.  scale spreads the totals so
 * that the same ranking comes from counting (1) or from sorting (10^6). */
static void top_share_with_ties(kh_dec scale)
{
    enum { N = 1500 };
    fx f;
    fx_init(&f);
    with_rank_pct(fx_scored(&f, "优秀", at_least(0)), P(20));
    fx_scored(&f, "合格", at_least(-P(1000000) * scale));
    kh_dec *totals = calloc(N, sizeof *totals);
    cr_assert_not_null(totals);
    /* Entity i of 1,500 in a scattered order; p is its place by value,
     * mostly in groups of 4 equal totals. */
    for (size_t i = 0; i < N; i++) {
        size_t p = (i * 7) % N;   /* 7 and 1,500 are coprime: a permutation */
        kh_dec t = 100000 - (kh_dec)(p / 4) * 10;
        if (p >= 290 && p < 310)
            t = 50000;            /* 20 tied across place 300, from rank 291 */
        else if (p >= 310 && p < 320)
            t = 49990;            /* the next group starts at rank 311 */
        else if (p >= 320)
            t = 40000 - (kh_dec)(p / 4) * 10;
        totals[i] = t * scale;
    }
    kh_dec *rows = rows_of(&f, totals, N);
    kh_verdict *v = calloc(N, sizeof *v);
    cr_assert_not_null(v);
    grade(&f, rows, N, v, NULL);
    assert_ranks_and_order(totals, N, v);
    int32_t *rank = reference_ranks(totals, N);
    size_t best = 0;
    for (size_t i = 0; i < N; i++) {
        int32_t want = rank[i] <= 300 ? 0 : 1;
        cr_assert_eq(v[i].grade, want, "entity %zu rank %d: grade %d", i, rank[i], v[i].grade);
        best += v[i].grade == 0;
        if (totals[i] == 50000 * scale)
            cr_assert_eq(v[i].rank, 291);
    }
    cr_assert_eq(best, 310, "the tie at rank 291 is admitted whole");
    free(rank);
    kh_grade_free(v, N);
    free(v);
    free(rows);
    free(totals);
}

Test(grade, top_share_ties_across_the_line_match_a_plain_ranking)
{
    top_share_with_ties(1);
}

Test(grade, top_share_ties_across_the_line_match_when_totals_are_far_apart)
{
    top_share_with_ties(1000000);
}

/* 3,000 entities with only 7 totals: equal totals keep input order, for
 * totals close together and far apart. */
Test(grade, equal_totals_keep_input_order_at_scale)
{
    enum { N = 3000 };
    static const kh_dec scales[] = { 1, 1000, 1000000000 };
    fx f;
    fx_init(&f);
    kh_dec *totals = calloc(N, sizeof *totals);
    kh_verdict *v = calloc(N, sizeof *v);
    cr_assert(totals && v);
    for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
        for (size_t i = 0; i < N; i++)
            totals[i] = ((kh_dec)((i * 37) % 7) * 2500 - 5000) * scales[s];
        kh_dec *rows = rows_of(&f, totals, N);
        grade(&f, rows, N, v, NULL);
        assert_ranks_and_order(totals, N, v);
        kh_grade_free(v, N);
        free(rows);
    }
    free(v);
    free(totals);
}

Test(grade, extreme_totals_rank_exactly)
{
    fx f;
    fx_init(&f);
    kh_dec totals[] = { INT64_MAX, INT64_MIN, 0, -1, 1, INT64_MAX, INT64_MIN + 1, INT64_MIN };
    size_t n = sizeof totals / sizeof totals[0];
    kh_dec *rows = rows_of(&f, totals, n);
    kh_verdict v[8];
    grade(&f, rows, n, v, NULL);
    int32_t want[] = { 1, 7, 4, 5, 3, 1, 6, 7 };
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(v[i].rank, want[i], "entity %zu rank %d", i, v[i].rank);
    assert_ranks_and_order(totals, n, v);
    kh_grade_free(v, n);
    free(rows);
}

/* 优秀 前10%, 良好 不超过30% by quota, 合格 for everyone else, over 1,200
 * entities in groups of 5 equal totals; checked against a walk over the
 * groups written here. */
Test(grade, quota_share_with_ties_matches_a_plain_walk)
{
    enum { N = 1200, G = 5 };
    fx f;
    fx_init(&f);
    with_rank_pct(fx_scored(&f, "优秀", at_least(0)), P(10));
    kh_ir_grade *good = fx_scored(&f, "良好", at_least(0));
    good->has_quota = true;
    good->quota = 30500;   /* 30.5% of 1,200 = 366 */
    good->quota_pct = true;
    fx_scored(&f, "合格", at_least(0));
    kh_dec totals[N];
    for (size_t i = 0; i < N; i++)
        totals[i] = (kh_dec)((i * 11) % N / G) * 10 + 1;
    kh_dec *rows = rows_of(&f, totals, N);
    kh_verdict v[N];
    char *scheme;
    grade(&f, rows, N, v, &scheme);
    int32_t *rank = reference_ranks(totals, N);
    /* Ranks 1..120 are 优秀; 良好 takes whole groups from rank 121 while
     * fewer than 366 have it: 73 groups = 365, then one more = 370. */
    for (size_t i = 0; i < N; i++) {
        int32_t r = rank[i];
        char want[256] = "";
        int32_t g = r <= 120 ? 0 : r <= 120 + 74 * G ? 1 : 2;
        if (g == 1 && r > 120 + 73 * G)
            snprintf(want, sizeof want, "「良好」名额366名，因并列第%d名实际370名", (int)r);
        if (g == 2)
            snprintf(want, sizeof want, "「良好」名额已满");
        cr_assert_eq(v[i].grade, g, "entity %zu rank %d grade %d", i, r, v[i].grade);
        cr_assert_str_eq(v[i].remarks, want, "entity %zu rank %d", i, r);
    }
    cr_assert_str_eq(scheme, "「良好」名额366名，因并列第486名实际评定370名");
    kh_free(scheme);
    free(rank);
    kh_grade_free(v, N);
    free(rows);
}

/* The remarks of 2,000 entities missing a prerequisite or hit by a veto,
 * many alike, each spelled out here. */
Test(grade, remarks_of_many_alike_read_as_if_written_one_by_one)
{
    enum { N = 2000 };
    fx f;
    fx_init(&f);
    fx_four(&f);
    int32_t cap = fx_veto(&f, "受警告以上处分", 2, NULL);
    int32_t flag = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    int32_t pq = fx_prereq(&f, "考勤记录");
    static const char *names[] = { "优秀", "称职", "基本称职", "不称职" };
    kh_dec totals[N];
    for (size_t i = 0; i < N; i++)
        totals[i] = (kh_dec)(i % 101) * 1000;
    kh_dec *rows = rows_of(&f, totals, N);
    for (size_t i = 0; i < N; i++) {
        set_cell(&f, rows, i, pq, i % 7 == 3 ? 0 : P(1));
        set_cell(&f, rows, i, cap, i % 5 == 1 ? P(2) : 0);
        set_cell(&f, rows, i, flag, i % 3 == 0 ? P(1) : 0);
    }
    kh_verdict v[N];
    grade(&f, rows, N, v, NULL);
    for (size_t i = 0; i < N; i++) {
        bool eligible = i % 7 != 3, capped = i % 5 == 1, flagged = i % 3 == 0;
        kh_dec t = totals[i];
        int32_t sg = !eligible ? -1 : t >= P(90) ? 0 : t >= P(80) ? 1 : t >= P(60) ? 2 : 3;
        char want[512] = "";
        if (!eligible)
            strcat(want, "不具备评定条件：考勤记录");
        if (capped) {
            if (want[0])
                strcat(want, "; ");
            size_t k = strlen(want);
            if (sg < 0)
                snprintf(want + k, sizeof want - k, "「受警告以上处分」一票否决：等次最高为「基本称职」");
            else if (sg < 2)
                snprintf(want + k, sizeof want - k,
                         "「受警告以上处分」一票否决：由「%s」改评为「基本称职」", names[sg]);
            else
                snprintf(want + k, sizeof want - k,
                         "「受警告以上处分」一票否决：等次最高为「基本称职」，维持「%s」", names[sg]);
        }
        if (flagged)
            strcat(strcat(want, want[0] ? "; " : ""), "「被通报」一票否决：取消评先评优资格");
        int32_t g = capped && sg >= 0 && sg < 2 ? 2 : sg;
        cr_assert_eq(v[i].eligible, eligible);
        cr_assert_eq(v[i].score_grade, sg, "entity %zu", i);
        cr_assert_eq(v[i].grade, g, "entity %zu", i);
        cr_assert_str_eq(v[i].remarks, want, "entity %zu", i);
    }
    kh_grade_free(v, N);
    for (size_t i = 0; i < N; i++)
        cr_assert_null(v[i].remarks);
    kh_grade_free(v, N);   /* a second time is harmless */
    free(rows);
}

/* 8,191 different sets of missing prerequisites: more different remarks
 * than are shared, so most are written one by one. */
Test(grade, thousands_of_different_remarks)
{
    enum { N = 9000, K = 13 };
    fx f;
    fx_init(&f);
    fx_four(&f);
    char labels[K][24];
    int32_t col[K];
    for (int k = 0; k < K; k++) {
        snprintf(labels[k], sizeof labels[k], "条件%d", k + 1);
        col[k] = fx_prereq(&f, labels[k]);
    }
    kh_dec *totals = calloc(N, sizeof *totals);
    cr_assert_not_null(totals);
    kh_dec *rows = rows_of(&f, totals, N);
    for (size_t i = 0; i < N; i++)
        for (int k = 0; k < K; k++)
            set_cell(&f, rows, i, col[k], ((i % 8192) >> k) & 1 ? 0 : P(1));
    kh_verdict *v = calloc(N, sizeof *v);
    cr_assert_not_null(v);
    grade(&f, rows, N, v, NULL);
    for (size_t i = 0; i < N; i++) {
        char want[512] = "";
        for (int k = 0; k < K; k++)
            if (((i % 8192) >> k) & 1)
                strcat(strcat(want, want[0] ? "、" : "不具备评定条件："), labels[k]);
        cr_assert_eq(v[i].eligible, i % 8192 == 0);
        cr_assert_eq(v[i].grade, i % 8192 == 0 ? 3 : -1);
        cr_assert_str_eq(v[i].remarks, want, "entity %zu", i);
    }
    kh_grade_free(v, N);
    free(v);
    free(rows);
    free(totals);
}

/* The same veto on the same grade, after different group remarks. */
Test(grade, same_veto_after_different_group_remarks)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 0, 1);
    fx_scored(&f, "称职", at_least(0));
    int32_t flag = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    kh_dec totals[] = { P(70), P(95), P(99), P(50), P(95), P(50) };
    kh_dec *rows = rows_of(&f, totals, 6);
    for (size_t i = 0; i < 6; i++)
        set_cell(&f, rows, i, flag, P(1));
    kh_verdict v[6];
    grade(&f, rows, 6, v, NULL);
    const char *full = "「优秀」名额已满; 「被通报」一票否决：取消评先评优资格";
    const char *plain = "「被通报」一票否决：取消评先评优资格";
    const char *want[] = { plain, full, plain, plain, full, plain };
    for (size_t i = 0; i < 6; i++) {
        cr_assert_eq(v[i].grade, i == 2 ? 0 : 1, "entity %zu", i);
        cr_assert_str_eq(v[i].remarks, want[i], "entity %zu", i);
    }
    kh_grade_free(v, 6);
    free(rows);
}

/* More vetoes than fit a mask: still applied in the order written. */
Test(grade, seventy_vetoes_apply_in_order)
{
    enum { NV = 70, N = 6 };
    fx f;
    fx_init(&f);
    fx_four(&f);
    kh_ir_veto *vt = calloc(NV, sizeof *vt);
    kh_col *cols = calloc(NV + 1, sizeof *cols);
    char labels[NV][24];
    cr_assert(vt && cols);
    cols[0] = (kh_col){ .kind = KH_COL_TOTAL, .title = "总分", .index = -1 };
    for (int k = 0; k < NV; k++) {
        snprintf(labels[k], sizeof labels[k], "否决%d", k + 1);
        cols[k + 1] = (kh_col){ .kind = KH_COL_VETO, .title = labels[k], .index = k };
        vt[k] = (kh_ir_veto){ .label = labels[k], .col = k + 1, .cap_grade = k == 66 ? 1 : -1,
                              .flag = k == 66 ? NULL : "取消资格" };
    }
    f.ir.vetoes = vt;
    f.ir.nvetoes = NV;
    f.ir.cols = cols;
    f.ir.ncols = NV + 1;
    kh_dec totals[N] = { P(95), P(95), P(85), P(50), P(95), P(95) };
    kh_dec *rows = rows_of(&f, totals, N);
    for (size_t i = 0; i < 4; i++) {
        set_cell(&f, rows, i, 1 + (int32_t)i, P(1));   /* 否决1..4 */
        set_cell(&f, rows, i, 67, P(1));                /* 否决67: at most 称职 */
        set_cell(&f, rows, i, 70, P(1));                /* 否决70 */
    }
    set_cell(&f, rows, 5, 70, P(1));
    kh_verdict v[N];
    grade(&f, rows, N, v, NULL);
    static const char *mid[] = { "由「优秀」改评为「称职」", "由「优秀」改评为「称职」",
                                 "等次最高为「称职」，维持「称职」", "等次最高为「称职」，维持「不称职」" };
    for (size_t i = 0; i < 4; i++) {
        char want[512];
        snprintf(want, sizeof want, "「否决%zu」一票否决：取消资格; 「否决67」一票否决：%s; "
                 "「否决70」一票否决：取消资格", i + 1, mid[i]);
        cr_assert_str_eq(v[i].remarks, want, "entity %zu", i);
    }
    cr_assert_eq(v[0].grade, 1);
    cr_assert_eq(v[3].grade, 3);
    cr_assert_str_eq(v[4].remarks, "");
    cr_assert_eq(v[4].grade, 0);
    cr_assert_str_eq(v[5].remarks, "「否决70」一票否决：取消资格");
    kh_grade_free(v, N);
    free(rows);
    free(cols);
    free(vt);
}

/* ----------------------------------------------------------- explain */

typedef struct lines {
    char text[8192];
} lines;

static void collect(void *ctx, const char *text)
{
    lines *l = ctx;
    strncat(l->text, text, sizeof l->text - strlen(l->text) - 2);
    strcat(l->text, "\n");
}

Test(grade, explain_says_why_excellent_was_missed)
{
    fx f;
    fx_init(&f);
    fx_seed002(&f);
    kh_dec totals[12];
    /* 99, 98, 94.5, 94, 93, …: entity 2 is third. */
    for (size_t i = 0; i < 12; i++)
        totals[i] = i < 2 ? P(99) - P(i) : P(97) - P(i);
    totals[2] = 94500;
    kh_dec *rows = rows_of(&f, totals, 12);
    kh_verdict v[12];
    grade(&f, rows, 12, v, NULL);
    cr_assert_eq(v[2].rank, 3);
    lines l = { { 0 } };
    kh_grade_explain(&f.ir, rows, 12, v, 2, collect, &l);
    cr_assert_str_eq(l.text,
                     "「优秀」需95分以上：实得94.5分，不满足\n"
                     "「优秀」需排名前20%（12人×20%=2.4，取前2名）：排名第3名，不满足\n"
                     "「称职」需80分以上且不满95分：实得94.5分，满足\n"
                     "评定为「称职」\n");
    kh_grade_free(v, 12);
    free(rows);
}

Test(grade, explain_quota_veto_and_prerequisite)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 0, 1);
    fx_scored(&f, "称职", at_least(P(60)));
    fx_scored(&f, "基本称职", at_least(P(0)));
    int32_t vt = fx_veto(&f, "受警告以上处分", 2, NULL);
    int32_t pq = fx_prereq(&f, "考勤记录");
    kh_dec totals[] = { P(99), P(95), P(98) };
    kh_dec *rows = rows_of(&f, totals, 3);
    set_cell(&f, rows, 0, pq, P(1));
    set_cell(&f, rows, 1, pq, P(1));
    set_cell(&f, rows, 1, vt, P(1));
    kh_verdict v[3];
    grade(&f, rows, 3, v, NULL);

    lines l = { { 0 } };
    kh_grade_explain(&f.ir, rows, 3, v, 1, collect, &l);
    cr_assert_str_eq(l.text,
                     "必备条件「考勤记录」：具备\n"
                     "「优秀」需90分以上：实得95分，满足\n"
                     "「优秀」条件满足，但名额1名已满，顺延\n"
                     "「称职」需60分以上：实得95分，满足\n"
                     "评定为「称职」\n"
                     "「受警告以上处分」一票否决：由「称职」改评为「基本称职」（记录1次）\n");

    lines m = { { 0 } };
    kh_grade_explain(&f.ir, rows, 3, v, 2, collect, &m);
    cr_assert_str_eq(m.text,
                     "必备条件「考勤记录」：无记录，不具备\n"
                     "不具备评定条件：不评定等次，不占名额\n"
                     "「受警告以上处分」一票否决：无此记录\n");
    kh_grade_free(v, 3);
    free(rows);
}

Test(grade, explain_tie_over_quota)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 2, 3);
    kh_dec totals[] = { P(100), P(99), P(98), P(98) };
    kh_dec *rows = rows_of(&f, totals, 4);
    kh_verdict v[4];
    grade(&f, rows, 4, v, NULL);
    lines l = { { 0 } };
    kh_grade_explain(&f.ir, rows, 4, v, 3, collect, &l);
    cr_assert_str_eq(l.text,
                     "「优秀」需90分以上：实得98分，满足\n"
                     "评定为「优秀」：名额3名，因并列第3名实际评定4名\n");
    kh_grade_free(v, 4);
    free(rows);
}

Test(grade, explain_no_grade_met_and_no_grades_at_all)
{
    fx f;
    fx_init(&f);
    fx_scored(&f, "称职", between(P(80), P(95), false));
    kh_dec totals[] = { P(95) };
    kh_dec *rows = rows_of(&f, totals, 1);
    kh_verdict v[1];
    grade(&f, rows, 1, v, NULL);
    lines l = { { 0 } };
    kh_grade_explain(&f.ir, rows, 1, v, 0, collect, &l);
    cr_assert_str_eq(l.text,
                     "「称职」需80分以上且不满95分：实得95分，不满足\n"
                     "未达到任何等次\n");
    kh_grade_free(v, 1);

    f.ir.ngrades = 0;
    grade(&f, rows, 1, v, NULL);
    lines m = { { 0 } };
    kh_grade_explain(&f.ir, rows, 1, v, 0, collect, &m);
    cr_assert_str_eq(m.text, "本方案未设等次，只排名次\n");
    kh_grade_free(v, 1);
    free(rows);
}
