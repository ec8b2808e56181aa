/* test_grade.c — ranks, grades, quotas, vetoes and prerequisites across
 * entities (runtime/grade.c), on small hand-built IR. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"

/* Whole points in thousandths; fractions are written in thousandths. */
#define P(x) ((kh_dec)(x) * KH_DEC_ONE)

/* ---------------------------------------------------------- fixture */

typedef struct fx {
    kh_ir ir;
    kh_ir_grade grades[8];
    kh_ir_veto vetoes[4];
    kh_ir_prereq prereqs[4];
    kh_col cols[12];
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

Test(grade, running_out_of_memory_leaves_nothing_behind)
{
    fx f;
    fx_init(&f);
    with_quota(fx_scored(&f, "优秀", at_least(P(90))), 2, 3);
    fx_scored(&f, "称职", at_least(P(60)));
    int32_t col = fx_veto(&f, "被通报", -1, "取消评先评优资格");
    int32_t pq = fx_prereq(&f, "考勤记录");
    kh_dec totals[] = { P(100), P(99), P(98), P(98), P(97), P(50) };
    kh_dec *rows = rows_of(&f, totals, 6);
    for (size_t i = 0; i < 5; i++)
        set_cell(&f, rows, i, pq, P(1));
    set_cell(&f, rows, 4, col, P(1));
    kh_verdict v[6];
    long fail = 1;
    for (;; fail++) {
        kh_alloc a = { .fail_at = fail };
        char *scheme = (char *)"unchanged";
        bool ok = kh_grade_assign(&a, &f.ir, rows, 6, v, &scheme);
        if (ok) {
            kh_free(scheme);
            kh_grade_free(v, 6);
            break;
        }
        cr_assert_null(scheme);
        for (size_t i = 0; i < 6; i++)
            cr_assert_null(v[i].remarks);
        cr_assert(fail < 1000);
    }
    cr_assert_gt(fail, 5, "every allocation site was failed once");
    free(rows);
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
