/* test_score.c — every construct of LANGUAGE.md §2, scored at its
 * boundaries by the reference interpreter.  Each test writes its arithmetic
 * out so a reader can check the expected number by hand. */
#include "helpers.h"

#define ROSTER "人员,部门,职务,分管领导\n甲,办公室,干部职工,丙\n乙,办公室,干部职工,丙\n丙,办公室,班子成员,\n"
#define EV "人员,日期,事项,数量,级别,编号\n"

static kh_dec D(double v)   /* test literals only: exact for the values used */
{
    return (kh_dec)(v * 1000 + (v >= 0 ? 0.5 : -0.5));
}

/* 1 基本分: the section starts at its base; nobody has events. */
Test(score, base_score_with_no_events)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（基本分15分）\n  1. 缺席：每次扣1分\n", EV, ROSTER, NULL);
    cr_assert(r.ok);
    cr_assert_eq(kh_run_col(&r, "甲", "学习"), D(15));
    cr_assert_eq(kh_run_total(&r, "丙"), D(15));
    kh_run_free(&r);
}

/* 2 每次扣1分: 15 − 1×(1+2) = 12; 每缺席2次扣1分: 15 − ⌊3/2⌋ = 14. */
Test(score, per_occurrence_deduction_and_step)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（基本分15分）\n  1. 缺席：每次扣1分\n二、会议（基本分15分）\n  1. 迟到：每迟到2次扣1分\n",
                 EV "甲,2023-01-01,缺席,,,\n甲,2023-02-01,缺席,2,,\n甲,2023-01-01,迟到,3,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "学习"), D(12));
    cr_assert_eq(kh_run_col(&r, "甲", "会议"), D(14));
    cr_assert_eq(kh_run_col(&r, "乙", "学习"), D(15));
    kh_run_free(&r);
}

/* 3, 6 每人每次加5分 three times = 15, capped by 加分不超过10分. */
Test(score, per_occurrence_bonus_capped)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、工作（基本分10分）\n  1. 缺席：每次扣1分\n二、加分项（加分不超过10分）\n  1. 授课：每人每次加5分\n",
                 EV "甲,2023-01-01,授课,,,\n甲,2023-02-01,授课,2,,\n乙,2023-02-01,授课,1,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "加分"), D(10));
    cr_assert_eq(kh_run_total(&r, "甲"), D(20));
    cr_assert_eq(kh_run_col(&r, "乙", "加分"), D(5));
    kh_run_free(&r);
}

/* 4, 5 扣完为止 floors 5 − 8 at 0; 实行倒扣分 lets it reach −3. */
Test(score, floor_versus_negative_allowed)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、纪律（基本分5分，扣完为止）\n  1. 旷工：每次扣2分\n"
                     "二、文明（基本分5分）\n  1. 无故不参加：每次扣2分，并实行倒扣分\n",
                 EV "甲,2023-01-01,旷工,4,,\n甲,2023-01-01,无故不参加,4,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "纪律"), 0);
    cr_assert_eq(kh_run_col(&r, "甲", "文明"), D(-3));
    kh_run_free(&r);
}

/* 7 未落实不得分: the item's 10 points with one event, else 0. */
Test(score, all_or_nothing)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（20分）\n  1. 学习计划（10分）：未落实不得分\n  2. 调研报告（10分）：未落实不得分\n",
                 EV "甲,2023-01-01,学习计划,,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "学习计划"), D(10));
    cr_assert_eq(kh_run_col(&r, "甲", "调研报告"), 0);
    cr_assert_eq(kh_run_total(&r, "甲"), D(10));
    cr_assert_eq(kh_run_total(&r, "乙"), 0);
    kh_run_free(&r);
}

/* 8, 9 国家级10、省级8、市级5; the same 编号 at two levels counts once at
 * the higher: 10 (A1) + 5 (A2) = 15; without the rule 10 + 8 + 5 = 23. */
Test(score, same_key_at_two_levels_counts_once_at_the_higher)
{
    const char *ev = EV "甲,2023-01-01,表彰,,国家级,A1\n甲,2023-02-01,表彰,,省级,A1\n甲,2023-03-01,表彰,,市级,A2\n"
                       "乙,2023-03-01,表彰,,省級,\n乙,2023-03-01,表彰,,省级,\n";
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、加分项\n  1. 表彰：国家级加10分，省级加8分，市级加5分；同项按最高级别加分一次\n", ev, ROSTER,
                 NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "表彰"), D(15));
    cr_assert_eq(kh_run_col(&r, "乙", "表彰"), D(16), "events without 编号 each count; 省級 is 省级");
    kh_run_free(&r);
    kh_run_score(&r, "考核方案：t\n一、加分项\n  1. 表彰：国家级加10分，省级加8分，市级加5分\n", ev, ROSTER, NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "表彰"), D(23));
    kh_run_free(&r);
}

/* 10 少于1万字的扣2分: 9999 is fewer, 10000 is not; no record is 0 words. */
Test(score, threshold_counts_missing_measure_as_zero)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（基本分10分）\n  1. 学习笔记字数：少于1万字的扣2分\n",
                 EV "甲,2023-01-01,学习笔记字数,9999,,\n乙,2023-01-01,学习笔记字数,10000,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8));
    cr_assert_eq(kh_run_total(&r, "乙"), D(10));
    cr_assert_eq(kh_run_total(&r, "丙"), D(8));
    kh_run_free(&r);
}

/* 以上 includes its number, 超过 excludes it. */
Test(score, yishang_includes_chaoguo_excludes)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、加分项\n  1. 培训学时：40小时以上的加1分\n  2. 加班时长：超过40小时的加1分\n",
                 EV "甲,2023-01-01,培训学时,40,,\n甲,2023-01-01,加班时长,40,,\n乙,2023-01-01,加班时长,40.5,,\n", ROSTER,
                 NULL);
    cr_assert_eq(kh_run_col(&r, "甲", "培训学时"), D(1));
    cr_assert_eq(kh_run_col(&r, "甲", "加班时长"), 0);
    cr_assert_eq(kh_run_col(&r, "乙", "加班时长"), D(1));
    kh_run_free(&r);
}

/* 11 应达2篇，每少1篇扣1分: 0 → −2, 1 → −1, 3 → 0. */
Test(score, shortfall_per_unit)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（基本分10分）\n  1. 学习心得：应达2篇，每少1篇扣1分\n",
                 EV "乙,2023-01-01,学习心得,1,,\n丙,2023-01-01,学习心得,3,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8));
    cr_assert_eq(kh_run_total(&r, "乙"), D(9));
    cr_assert_eq(kh_run_total(&r, "丙"), D(10));
    kh_run_free(&r);
}

/* 12 不低于90%，低于1个百分点扣1分，扣完为止: 87.5% is 2.5 points short
 * → 2 whole steps → 8; 95% → 10; nothing reported → 0% → floored at 0. */
Test(score, shortfall_in_percentage_points)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、重点（10分）\n  1. 抽检合格率（10分）：不低于90%，低于1个百分点扣1分，扣完为止\n",
                 EV "甲,2023-01-01,抽检合格率,87.5%,,\n乙,2023-01-01,抽检合格率,95,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8));
    cr_assert_eq(kh_run_total(&r, "乙"), D(10));
    cr_assert_eq(kh_run_total(&r, "丙"), 0);
    kh_run_free(&r);
}

/* 13 12篇以上得2分，超额每10篇加0.1分，最高加1分: 35 → 2 + 0.2; 200 → 2 + 1. */
Test(score, excess_per_step_capped)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、信息（3分）\n  1. 信息采用（2分）：12篇以上得2分，超额每10篇加0.1分，最高加1分\n",
                 EV "甲,2023-01-01,信息采用,35,,\n乙,2023-01-01,信息采用,200,,\n丙,2023-01-01,信息采用,11,,\n", ROSTER,
                 NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(2.2));
    cr_assert_eq(kh_run_total(&r, "乙"), D(3));
    cr_assert_eq(kh_run_total(&r, "丙"), 0);
    kh_run_free(&r);
}

/* 14 bands on a rate, written high first. */
Test(score, bands_on_a_rate)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、基础（5分）\n  1. 教材落实率（5分）：达80%以上的赐予满分；79%至70%的赐予4分；69%至60%的赐予3分；59%以下的0分\n",
                 EV "甲,2023-01-01,教材落实率,80%,,\n乙,2023-01-01,教材落实率,70,,\n丙,2023-01-01,教材落实率,59,,\n",
                 ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(5));
    cr_assert_eq(kh_run_total(&r, "乙"), D(4));
    cr_assert_eq(kh_run_total(&r, "丙"), 0);
    kh_run_free(&r);
}

/* 15 全部完成得5分，41%-99%用系数计算得分，低于40%的不得分:
 * 75% → 5 × 0.75 = 3.75; 66.667% → 3.33335 → 3.333 and 66.67% → 3.3335 → 3.334
 * (half up at the fourth decimal); 100% → 5. */
Test(score, proportional_rounds_half_up_once)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、基础（5分）\n  1. 首席统计员设置（5分）：全部完成得5分，41%-99%用系数计算得分，低于40%的不得分\n",
                 EV "甲,2023-01-01,首席统计员设置,75%,,\n乙,2023-01-01,首席统计员设置,66.667,,\n丙,2023-01-01,首席统计员设置,100,,\n",
                 ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(3.75));
    cr_assert_eq(kh_run_total(&r, "乙"), D(3.333));
    cr_assert_eq(kh_run_total(&r, "丙"), D(5));
    kh_run_free(&r);
    kh_run_score(&r, "考核方案：t\n一、基础（5分）\n  1. 首席统计员设置（5分）：全部完成得5分，41%-99%用系数计算得分，低于40%的不得分\n",
                 EV "甲,2023-01-01,首席统计员设置,66.67,,\n乙,2023-01-01,首席统计员设置,40.5,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(3.334));
    cr_assert_eq(kh_run_total(&r, "乙"), 0, "40.5% falls between the bands: the linter reports that gap");
    kh_run_free(&r);
}

/* 16 评分，满分10分: the mean of the scores; 11 is rejected with its line. */
Test(score, evaluator_mean_and_range_check)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、述职测评（10分）\n  1. 述职：评分，满分10分\n",
                 EV "甲,2023-12-01,述职,9,,\n甲,2023-12-01,述职,10,,\n乙,2023-12-01,述职,11,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(9.5));
    cr_assert_eq(kh_run_total(&r, "乙"), 0);
    const kh_diag *dg = kh_fx_diag(&r.f, "R103");
    cr_assert_not_null(dg);
    cr_assert_eq(r.sc.rejected, 1);
    kh_run_free(&r);
}

/* 17 评分，满分100分，折合10分: 85 → 8.5; 加权计入：20%: 总分 × 0.2. */
Test(score, weighted_scores)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n加权计入：20%\n一、民主测评（10分）\n  1. 群众测评：评分，满分100分，折合10分\n",
                 EV "甲,2023-12-01,群众测评,85,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8.5));
    cr_assert_eq(kh_run_col(&r, "甲", "加权分"), D(1.7));
    kh_run_free(&r);
}

/* 18 班子成员3万字以上、干部职工2万字以上得1分: 25000 words earns the
 * point for 干部职工 甲 but not for 班子成员 丙. */
Test(score, role_dependent_target)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、学习（1分）\n  1. 读书笔记字数（1分）：班子成员3万字以上、干部职工2万字以上得1分\n",
                 EV "甲,2023-01-01,读书笔记字数,25000,,\n丙,2023-01-01,读书笔记字数,25000,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(1));
    cr_assert_eq(kh_run_total(&r, "丙"), 0);
    kh_run_free(&r);
}

/* 19 通报一次分管领导扣1分，责任人扣2分: 甲 10 − 2; 甲's leader 丙 10 − 1. */
Test(score, leader_shares_the_deduction)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、作风（基本分10分）\n  1. 作风被通报：通报一次分管领导扣1分，责任人扣2分\n",
                 EV "甲,2023-01-01,作风被通报,,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8));
    cr_assert_eq(kh_run_total(&r, "丙"), D(9));
    cr_assert_eq(kh_run_total(&r, "乙"), D(10));
    kh_run_free(&r);
}

#define UNITS "人员,部门,职务\n甲,办公室,科员\n乙,办公室,科员\n丙,执法科,科员\n丁,社救局,科员\n"

/* 20 a department is scored from its members: 办公室 has a plan from 甲
 * (5) but 乙 has none (−1) → 4; 执法科 has none → 0 − 1 → floored at 0. */
Test(score, department_scored_from_members_with_a_member_missing)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n考核对象：部门\n一、学习（10分）\n  1. 个人学习计划（5分）：未落实不得分，缺1人扣1分\n"
                     "  2. 授课（5分）：每人每次加2分\n",
                 EV "甲,2023-01-01,个人学习计划,,,\n乙,2023-01-01,授课,,,\n乙,2023-02-01,授课,,,\n", UNITS, NULL);
    cr_assert_eq(kh_run_col(&r, "办公室", "个人学习计划"), D(4));
    cr_assert_eq(kh_run_col(&r, "执法科", "个人学习计划"), 0);
    cr_assert_eq(kh_run_col(&r, "办公室", "授课"), D(9));
    kh_run_free(&r);
}

/* 21 不少于2条（其中社救局不少于3条），每少1条扣1分: both sent 2. */
Test(score, per_unit_override)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n考核对象：部门\n一、信息（基本分10分）\n  1. 信息报送：不少于2条（其中社救局不少于3条），每少1条扣1分\n",
                 EV "甲,2023-01-01,信息报送,2,,\n丁,2023-01-01,信息报送,2,,\n", UNITS, NULL);
    cr_assert_eq(kh_run_total(&r, "办公室"), D(10));
    cr_assert_eq(kh_run_total(&r, "社救局"), D(9));
    kh_run_free(&r);
}

/* 21 12篇以上（2人部门15篇、3人以上部门18篇）得2分: 办公室 has 2 members. */
Test(score, per_unit_size_override)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n考核对象：部门\n一、信息（2分）\n  1. 信息采用（2分）：12篇以上（2人部门15篇、3人以上部门18篇）得2分\n",
                 EV "甲,2023-01-01,信息采用,14,,\n丁,2023-01-01,信息采用,12,,\n", UNITS, NULL);
    cr_assert_eq(kh_run_total(&r, "办公室"), 0, "a 2-person unit needs 15");
    cr_assert_eq(kh_run_total(&r, "社救局"), D(2), "a 1-person unit needs 12");
    kh_run_free(&r);
}

#define GRADES "等次：\n  优秀：95分以上\n  称职：80分至95分\n  基本称职：60分至80分\n  不称职：60分以下\n"

/* 22 exactly 95 vs 94.999; 0.1 + 0.2 deducted from 95.3 is exactly 95. */
Test(score, grade_boundary_is_exact)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n分数上限不含本数\n一、测评（100分）\n  1. 测评：评分，满分100分\n"
                     "二、扣分（基本分0分，倒扣分）\n  1. 小错：每次扣0.1分\n  2. 中错：每次扣0.2分\n" GRADES,
                 EV "甲,2023-12-01,测评,95,,\n乙,2023-12-01,测评,94.999,,\n丙,2023-12-01,测评,95.3,,\n"
                    "丙,2023-12-01,小错,,,\n丙,2023-12-01,中错,,,\n",
                 ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "优秀");
    cr_assert_str_eq(kh_run_grade(&r, "乙"), "称职");
    cr_assert_eq(kh_run_total(&r, "丙"), D(95));
    cr_assert_str_eq(kh_run_grade(&r, "丙"), "优秀");
    kh_run_free(&r);
}

/* 分数上限不含本数 flips 80分至95分 to 80 ≤ x < 95: 80 is 称职. */
Test(score, upper_bound_exclusive_flips_ranges)
{
    const char *ev = EV "甲,2023-12-01,测评,80,,\n乙,2023-12-01,测评,60,,\n";
    kh_run r;
    kh_run_score(&r, "考核方案：t\n分数上限不含本数\n一、测评（100分）\n  1. 测评：评分，满分100分\n" GRADES, ev, ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "称职");
    cr_assert_str_eq(kh_run_grade(&r, "乙"), "基本称职");
    kh_run_free(&r);
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n" GRADES, ev, ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "称职", "80 is in both 80至95 and 60至80; the first listed wins");
    kh_run_free(&r);
}

#define FIVE "人员,部门,职务\nA,x,y\nB,x,y\nC,x,y\nD,x,y\nE,x,y\n"

/* 23 95分以上且排名前20%: of 5 scored only rank 1 qualifies; 98 then has
 * no grade (the linter reports the gap) and competition ranks are 1,2,2,4. */
Test(score, grade_with_rank_condition)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n等次：\n  优秀：95分以上，且排名前20%\n  称职：80分至95分\n",
                 EV "A,,测评,99,,\nB,,测评,98,,\nC,,测评,98,,\nD,,测评,90,,\nE,,测评,90,,\n", FIVE, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "A"), "优秀");
    cr_assert_eq(kh_run_rank(&r, "B"), 2);
    cr_assert_eq(kh_run_rank(&r, "C"), 2);
    cr_assert_eq(kh_run_rank(&r, "D"), 4);
    cr_assert_str_eq(kh_run_grade(&r, "B"), "");
    cr_assert_str_eq(kh_run_grade(&r, "D"), "称职");
    kh_run_free(&r);
}

/* 24 优秀2-3名 with a tie at third: both tied are admitted and the remark says so. */
Test(score, quota_tie_admits_both_and_says_so)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n等次：\n  优秀：2-3名\n  良好：60分以上\n",
                 EV "A,,测评,99,,\nB,,测评,98,,\nC,,测评,97,,\nD,,测评,97,,\nE,,测评,96,,\n", FIVE, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "C"), "优秀");
    cr_assert_str_eq(kh_run_grade(&r, "D"), "优秀");
    cr_assert_str_eq(kh_run_grade(&r, "E"), "良好");
    cr_assert(strstr(kh_run_remarks(&r, "D"), "并列") != NULL, "remarks: %s", kh_run_remarks(&r, "D"));
    kh_run_free(&r);
}

/* 25 a veto caps 优秀 at 基本称职 but never lifts 不称职. */
Test(score, veto_caps_but_never_lifts)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n" GRADES "一票否决：\n  受处分：评定为基本称职\n",
                 EV "甲,,测评,99,,\n甲,,受处分,,,\n乙,,测评,50,,\n乙,,受处分,,,\n丙,,测评,99,,\n", ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "基本称职");
    cr_assert_str_eq(kh_run_grade(&r, "乙"), "不称职");
    cr_assert_str_eq(kh_run_grade(&r, "丙"), "优秀");
    kh_run_free(&r);
}

/* 26 without every prerequisite there is no grade. */
Test(score, prerequisites_missing_means_no_grade)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n等次：\n  省一级：90分以上\n必备条件：\n  1. 档案登记\n",
                 EV "甲,,测评,99,,\n甲,,档案登记,,,\n乙,,测评,99,,\n", ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "省一级");
    cr_assert_str_eq(kh_run_grade(&r, "乙"), "");
    cr_assert(strstr(kh_run_remarks(&r, "乙"), "档案登记") != NULL);
    kh_run_free(&r);
}

/* 27 schemes in 元: 采稿1篇奖励50元 × 3 = 150; 每少完成1篇扣100元 below 2. */
Test(score, money_instead_of_points)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n计分单位：元\n一、奖惩\n  1. 区政务信息采稿：采稿1篇奖励50元\n  2. 调研文章：不少于2篇，每少完成1篇扣100元\n",
                 EV "甲,,区政务信息采稿,3,,\n甲,,调研文章,1,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(50));
    cr_assert_eq(kh_run_total(&r, "乙"), D(-200));
    kh_run_free(&r);
}

/* 28 --period 2023H1 counts only the first half; the year accumulates both. */
Test(score, periods_and_the_year_accumulates)
{
    const char *s = "考核方案：t\n考核周期：半年\n一、纪律（基本分10分）\n  1. 迟到：每次扣1分\n";
    const char *ev = EV "甲,2023-03-01,迟到,,,\n甲,2023-06-30,迟到,,,\n甲,2023-07-01,迟到,,,\n甲,2024-01-01,迟到,,,\n";
    kh_score_opts o = {0};
    o.period = "2023H1";
    kh_run r;
    kh_run_score(&r, s, ev, ROSTER, &o);
    cr_assert_eq(kh_run_total(&r, "甲"), D(8));
    cr_assert_eq(r.sc.outside_period, 2);
    kh_run_free(&r);
    o.period = "2023";
    kh_run_score(&r, s, ev, ROSTER, &o);
    cr_assert_eq(kh_run_total(&r, "甲"), D(7));
    kh_run_free(&r);
}

/* 30 另加10分, 取得名次的再加10分: stacked for the same person. */
Test(score, chained_bonuses_stack)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n基础分：100分\n一、竞赛加分\n  1. 参加全省竞赛：另加10分\n  2. 全省竞赛取得名次：再加10分\n",
                 EV "甲,,参加全省竞赛,,,\n甲,,全省竞赛取得名次,,,\n乙,,参加全省竞赛,,,\n", ROSTER, NULL);
    cr_assert_eq(kh_run_total(&r, "甲"), D(120));
    cr_assert_eq(kh_run_total(&r, "乙"), D(110));
    cr_assert_eq(kh_run_total(&r, "丙"), D(100));
    kh_run_free(&r);
}

/* Unknown persons and 事项 are counted and reported, never dropped. */
Test(score, unknown_person_and_item_are_reported)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、纪律（基本分10分）\n  1. 迟到：每次扣1分\n",
                 EV "无名氏,,迟到,,,\n甲,,吃饭,,,\n甲,,迟到,,,\n", ROSTER, NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.sc.unknown_person, 1);
    cr_assert_eq(r.sc.unknown_item, 1);
    cr_assert_eq(r.sc.counted, 1);
    cr_assert_not_null(kh_fx_diag(&r.f, "R101"));
    cr_assert_not_null(kh_fx_diag(&r.f, "R102"));
    cr_assert_eq(r.f.d.nerrors, 0);
    kh_run_free(&r);
    kh_score_opts o = {0};
    o.strict = true;
    kh_run_score(&r, "考核方案：t\n一、纪律（基本分10分）\n  1. 迟到：每次扣1分\n", EV "无名氏,,迟到,,,\n", ROSTER, &o);
    cr_assert_eq(r.f.d.nerrors, 1, "--strict makes them errors");
    kh_run_free(&r);
}

/* 25 取消评先评优资格 is a flag: it sets a remark and leaves the grade. */
Test(score, veto_flag_marks_without_changing_the_grade)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n一、测评（100分）\n  1. 测评：评分，满分100分\n" GRADES "一票否决：\n  被通报：取消当年各类评先评优资格\n",
                 EV "甲,,测评,99,,\n甲,,被通报,,,\n", ROSTER, NULL);
    cr_assert_str_eq(kh_run_grade(&r, "甲"), "优秀");
    cr_assert(strstr(kh_run_remarks(&r, "甲"), "取消当年各类评先评优资格") != NULL, "%s", kh_run_remarks(&r, "甲"));
    cr_assert_str_eq(kh_run_remarks(&r, "乙"), "");
    kh_run_free(&r);
}

/* 29 units reach a level by its threshold: 省一级 90, 省二级 80. */
Test(score, unit_levels_by_threshold)
{
    kh_run r;
    kh_run_score(&r, "考核方案：t\n考核对象：单位\n一、档案工作（100分）\n  1. 现场检查：评分，满分100分\n"
                     "等次：\n  省一级：90分以上\n  省二级：80分以上\n",
                 EV "甲,,现场检查,90,,\n丙,,现场检查,89.999,,\n丁,,现场检查,79,,\n", UNITS, NULL);
    cr_assert_eq(kh_run_total(&r, "办公室"), D(90));
    cr_assert_str_eq(kh_run_grade(&r, "办公室"), "省一级");
    cr_assert_str_eq(kh_run_grade(&r, "执法科"), "省二级");
    cr_assert_str_eq(kh_run_grade(&r, "社救局"), "");
    kh_run_free(&r);
}
