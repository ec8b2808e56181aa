/* test_lint.c — the linter finds the arithmetic mistakes of real schemes
 * (totals that do not add up, gaps and overlaps, amounts beyond an item,
 * totals without a grade, double counting, lost numbers) and stays silent
 * on sound ones. */
#include "helpers.h"

/* Parse, check, lower and lint a scheme. */
static void lint_text(kh_fixture *f, const char *text)
{
    kh_fx_lower(f, text);
    kh_lint(NULL, &f->d, f->s, f->ir);
}

static size_t nfindings(const kh_fixture *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->d.n; i++)
        if (f->d.v[i].lint_class)
            n++;
    return n;
}

static size_t ncode(const kh_fixture *f, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->d.n; i++)
        if (strcmp(f->d.v[i].msg->code, code) == 0)
            n++;
    return n;
}

/* The finding with this code: its class, line and counterexample. */
static const kh_diag *expect(const kh_fixture *f, const char *code, const char *cls, int line, const char *cx)
{
    const kh_diag *dg = kh_fx_diag(f, code);
    cr_assert_not_null(dg, "no finding %s", code);
    cr_assert_str_eq(dg->lint_class, cls);
    cr_assert_eq(kh_fx_line(f, dg), line, "%s on line %d, not %d", code, kh_fx_line(f, dg), line);
    if (cx) {
        cr_assert_not_null(dg->counterexample, "%s has no counterexample", code);
        cr_assert_str_eq(dg->counterexample, cx);
    } else {
        cr_assert_null(dg->counterexample);
    }
    return dg;
}

static void expect_message(const kh_diag *dg, const char *zh)
{
    char buf[1024];
    kh_diag_message(dg, KH_ZH, buf, sizeof buf);
    cr_assert_str_eq(buf, zh);
}

#define HEAD "考核方案：测试\n考核对象：个人\n"

/* ------------------------------------------------------ sound schemes */

static const char *const SOUND_PERSON =
    "考核方案：某局干部年度考核\n"
    "考核对象：个人\n"
    "满分：100分\n"
    "分数上限不含本数\n"
    "一、学习（基本分20分，扣完为止）\n"
    "  1. 无故不参加学习：每次扣1分\n"
    "  2. 学习心得：应达2篇，每少1篇扣1分\n"
    "二、工作（满分50分）\n"
    "  1. 执法计划（10分）：未落实不得分\n"
    "  2. 案卷合格率（满分20分）：90%以上得满分，80%至90%得15分，60%至80%得10分，60%以下不得分\n"
    "  3. 述职：评分，满分20分\n"
    "三、测评（基本分30分）\n"
    "  1. 民主测评：评分，满分15分\n"
    "  2. 领导评分：评分，满分15分\n"
    "四、加分项（加分不超过5分）\n"
    "  1. 获得表彰：国家级加5分，省级加3分，市级加2分；同项按最高级别加分一次\n"
    "  2. 信息采用：每篇加0.5分\n"
    "等次：\n"
    "  优秀：90分以上，且排名前20%\n"
    "  称职：60分以上\n"
    "  不称职：60分以下\n"
    "一票否决：\n"
    "  受警告以上处分：评定为称职\n";

static const char *const SOUND_UNIT =
    "考核方案：某局科室考核\n"
    "考核对象：部门\n"
    "满分：100分\n"
    "一、基础工作（满分40分）\n"
    "  1. 制定学习计划（10分）：未落实不得分\n"
    "  2. 所属人员学习计划（10分）：缺1人扣1分\n"
    "  3. 信息报送（20分）：不少于12篇（3人以上部门18篇），每少1篇扣1分\n"
    "二、业务工作（基本分60分）\n"
    "  1. 工作失误：每次扣2分\n"
    "  2. 被通报批评：每次扣5分\n"
    "三、加分（加分不超过10分）\n"
    "  1. 工作创新：每项加2分\n"
    "等次：\n"
    "  优秀：90分以上，限3名\n"
    "  良好：80分以上\n"
    "  合格：60分至79分\n"
    "  不合格：59分以下\n";

Test(lint, sound_person_scheme_has_no_findings)
{
    kh_fixture f;
    lint_text(&f, SOUND_PERSON);
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(nfindings(&f), 0, "%zu findings on a sound scheme", nfindings(&f));
    cr_assert_eq(f.d.n, 0);
    kh_fx_free(&f);
}

Test(lint, sound_unit_scheme_has_no_findings)
{
    kh_fixture f;
    lint_text(&f, SOUND_UNIT);
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(nfindings(&f), 0, "%zu findings on a sound scheme", nfindings(&f));
    kh_fx_free(&f);
}

Test(lint, linting_without_ir_checks_the_tree_only)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "一、工作（满分20分）\n  1. 甲（10分）：未落实不得分\n");
    kh_lint(NULL, &f.d, f.s, NULL);
    expect(&f, "L001", "分值不符", 3, NULL);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 分值不符 */

Test(lint, section_points_differ_from_its_items)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分20分）\n  1. 甲（10分）：未落实不得分\n  2. 乙（5分）：未落实不得分\n");
    const kh_diag *dg = expect(&f, "L001", "分值不符", 3, NULL);
    cr_assert_eq(dg->sev, KH_WARNING);
    expect_message(dg, "「工作」写明20分，但其下各项分值合计15分");
    kh_fx_free(&f);
}

Test(lint, section_points_equal_to_its_items)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分20分）\n  1. 甲（10分）：未落实不得分\n  2. 乙（10分）：未落实不得分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, item_without_points_counts_what_it_earns)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分15分）\n  1. 甲：评分，满分10分\n  2. 参训率：达到100%得5分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, full_score_differs_from_sections)
{
    kh_fixture f;
    lint_text(&f, HEAD "满分：100分\n一、学习（基本分40分）\n  1. 缺席：每次扣1分\n"
                       "二、工作（基本分50分）\n  1. 失误：每次扣2分\n"
                       "三、加分项（加分不超过10分）\n  1. 表彰：每次加2分\n");
    const kh_diag *dg = expect(&f, "L002", "分值不符", 3, NULL);
    expect_message(dg, "满分写明100分，但各部分分值合计90分（不含加分项）");
    kh_fx_free(&f);
}

Test(lint, full_score_equal_to_sections_bonus_excluded)
{
    kh_fixture f;
    lint_text(&f, HEAD "满分：100分\n一、学习（基本分50分）\n  1. 缺席：每次扣1分\n"
                       "二、工作（基本分50分）\n  1. 失误：每次扣2分\n"
                       "三、加分项（加分不超过10分）\n  1. 表彰：每次加2分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, section_rules_cannot_reach_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、共性目标（满分4分）\n  1. 被通报：少于1次的得1分，每次扣1分\n"
                       "  2. 宣教任务：完成的得1分\n");
    const kh_diag *dg = expect(&f, "L003", "分值不符", 3, NULL);
    expect_message(dg, "「共性目标」满分4分，但其下各项最多只能得2分");
    kh_fx_free(&f);
}

Test(lint, section_rules_reach_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、共性目标（满分4分）\n  1. 被通报：少于1次的得2分，每次扣1分\n"
                       "  2. 宣教任务：完成的得2分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, section_rules_overshoot_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、电子政务（满分2分）\n  1. 公文失误：少于1次的得1分\n  2. 网站更新：完成的得1分\n"
                       "  3. 会议通知：完成的得1分\n");
    const kh_diag *dg = expect(&f, "L004", "分值不符", 3, NULL);
    expect_message(dg, "「电子政务」满分2分，但其下各项合计最多可得3分");
    kh_fx_free(&f);
}

Test(lint, item_rules_cannot_reach_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分4分）\n  1. 理论学习（4分）：完成的得1分\n");
    const kh_diag *dg = expect(&f, "L005", "分值不符", 4, NULL);
    expect_message(dg, "「理论学习」分值4分，但按它的得分规则最多只能得1分");
    kh_fx_free(&f);
}

Test(lint, item_whose_full_points_only_deductions_can_touch)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、纪律（满分5分）\n  1. 考勤（满分5分）：每次扣1分\n");
    const kh_diag *dg = expect(&f, "L005", "分值不符", 4, NULL);
    expect_message(dg, "「考勤」分值5分，但按它的得分规则最多只能得0分");
    kh_fx_free(&f);
}

Test(lint, item_with_a_base_starts_at_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、纪律（满分5分）\n  1. 考勤（基本分5分）：每次扣1分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, best_band_below_the_items_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n一、工作（满分10分）\n"
                       "  1. 合格率（满分10分）：90%以上得8分，90%以下得5分\n");
    const kh_diag *dg = expect(&f, "L005", "分值不符", 5, NULL);
    expect_message(dg, "「合格率」分值10分，但按它的得分规则最多只能得8分");
    kh_fx_free(&f);
}

Test(lint, item_rules_together_overshoot_its_points)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分3分）\n  1. 学习（3分）：完成的得2分，评分1—2分\n");
    const kh_diag *dg = expect(&f, "L006", "分值不符", 4, NULL);
    expect_message(dg, "「学习」分值3分，但它的各条得分规则合计最多可得4分");
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 区间空缺 */

Test(lint, fractional_gap_between_rate_bands)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 教材比例（满分5分）：80%以上得满分；79%至60%得3分；低于60%不得分\n");
    const kh_diag *dg = expect(&f, "L007", "区间空缺", 4, "比率为79.5%时不属于任何区间");
    cr_assert_eq(dg->sev, KH_ERROR);
    expect_message(dg, "「教材比例」的分档有空缺：「79%至60%」与「80%以上」之间");
    kh_fx_free(&f);
}

Test(lint, adjacent_rate_bands_without_gap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 教材比例（满分5分）：80%以上得满分；60%至80%得3分；低于60%不得分\n"
                       "分数上限不含本数\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, gap_at_an_excluded_bound)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、统计（满分5分）\n"
                       "  1. 设置完成率（满分5分）：全部完成得5分，41%-99%用系数计算得分，低于40%的不得分\n");
    const kh_diag *dg = expect(&f, "L007", "区间空缺", 4, "比率为40%时不属于任何区间");
    expect_message(dg, "「设置完成率」的分档有空缺：「低于40%」与「41%-99%」之间；「41%-99%」与「全部完成」之间");
    kh_fx_free(&f);
}

Test(lint, counted_bands_at_adjacent_whole_numbers_have_no_gap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 授课（满分5分）：3次以上得5分；1至2次得3分；0次得0分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, measured_bands_at_adjacent_whole_numbers_leave_a_gap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 值班时长（满分5分）：3小时以上得5分；1至2小时得3分；0小时得0分\n");
    expect(&f, "L007", "区间空缺", 4, "数量为0.5时不属于任何区间");
    kh_fx_free(&f);
}

Test(lint, additive_threshold_table_may_have_gaps)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、加分项（加分不超过2分）\n  1. 信息采用：达到10篇以上的加1分，达到20篇以上的加2分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, fractional_gap_in_grade_table)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：迟报一次扣0.5分\n"
                       "等次：\n  全面完成：90分以上\n  基本完成：89分至60分\n  未完成：59分以下\n");
    cr_assert_eq(ncode(&f, "L008"), 2);
    const kh_diag *dg = expect(&f, "L008", "区间空缺", 7, "得分为59.5时不属于任何等次");
    cr_assert_eq(dg->sev, KH_ERROR);
    expect_message(dg, "等次表的分数范围有空缺：「59分以下」与「89分至60分」之间的得分不属于任何等次");
    const kh_diag *second = NULL;
    for (size_t i = 0; i < f.d.n; i++)
        if (strcmp(f.d.v[i].msg->code, "L008") == 0 && &f.d.v[i] != dg)
            second = &f.d.v[i];
    cr_assert_not_null(second);
    cr_assert_eq(kh_fx_line(&f, second), 6);
    cr_assert_str_eq(second->counterexample, "得分为89.5时不属于任何等次");
    kh_fx_free(&f);
}

Test(lint, whole_totals_at_adjacent_grades_have_no_gap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：迟报一次扣1分\n"
                       "等次：\n  全面完成：90分以上\n  基本完成：89分至60分\n  未完成：59分以下\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 区间重叠 */

Test(lint, bands_sharing_a_bound_overlap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分10分）\n  1. 合格率（满分10分）：80%以上得满分，60%至80%得6分，低于60%不得分\n");
    const kh_diag *dg = expect(&f, "L009", "区间重叠", 4, "比率为80%时同时属于两档，分别得10分和6分");
    cr_assert_eq(dg->sev, KH_ERROR);
    expect_message(dg, "「合格率」中「80%以上」与「60%至80%」两档重叠");
    kh_fx_free(&f);
}

Test(lint, bands_sharing_a_bound_do_not_overlap_when_upper_bounds_are_excluded)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n一、工作（满分10分）\n"
                       "  1. 合格率（满分10分）：80%以上得满分，60%至80%得6分，低于60%不得分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

#define GRADES_95                                                                                   \
    "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"                                                  \
    "等次：\n  优秀：95分以上\n  称职：80分至95分\n  不称职：不满80分\n"

Test(lint, grade_bound_shared_by_two_grades_overlaps)
{
    kh_fixture f;
    lint_text(&f, HEAD GRADES_95);
    const kh_diag *dg = expect(&f, "L010", "区间重叠", 7, "得分为95时同时属于「优秀」和「称职」");
    expect_message(dg, "等次「优秀」与「称职」的分数范围重叠");
    cr_assert_eq(nfindings(&f), 1);
    kh_fx_free(&f);
}

Test(lint, grade_bound_not_shared_when_upper_bounds_are_excluded)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n" GRADES_95);
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, cascading_grades_written_with_yishang_do_not_overlap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣0.5分\n"
                       "等次：\n  优秀：90分以上\n  良好：80分以上\n  合格：60分以上\n  不合格：不满60分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 超出分值 */

Test(lint, band_worth_more_than_the_item)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、建设（满分5分）\n"
                       "  1. 教材比例（满分5分）：80%以上得满分；79%至70%的赐予8分；低于70%的不得分\n");
    const kh_diag *dg = expect(&f, "L011", "超出分值", 4, "比率为70%时得8分，超过本项分值5分");
    cr_assert_eq(dg->sev, KH_ERROR);
    expect_message(dg, "「79%至70%的赐予8分」给8分，超过本项分值5分");
    kh_fx_free(&f);
}

Test(lint, band_worth_the_item_at_most)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n一、建设（满分5分）\n"
                       "  1. 教材比例（满分5分）：80%以上得满分；70%至80%的得4分；低于70%的不得分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, award_above_the_bonus_cap)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、加分项（加分不超过5分）\n  1. 表彰：国家级加10分，省级加5分\n");
    const kh_diag *dg = expect(&f, "L012", "超出分值", 4, NULL);
    expect_message(dg, "单项加分10分已超过「加分项」的加分上限5分");
    cr_assert_eq(ncode(&f, "L012"), 1);
    kh_fx_free(&f);
}

Test(lint, cap_that_can_never_bind)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分10分）\n  1. 信息采用（加分不超过5分）：达到10篇以上的加3分\n");
    const kh_diag *dg = expect(&f, "L013", "超出分值", 4, NULL);
    expect_message(dg, "加分上限5分不会起作用：「信息采用」最多只能加3分");
    kh_fx_free(&f);
}

Test(lint, cap_on_uncapped_additions_binds)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分10分）\n  1. 信息采用（加分不超过5分）：每篇加1分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, floor_without_deductions)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 执法计划（5分，扣完为止）：未落实不得分\n");
    const kh_diag *dg = expect(&f, "L014", "超出分值", 4, NULL);
    expect_message(dg, "「执法计划」写了扣完为止，但其中没有扣分规则");
    kh_fx_free(&f);
}

Test(lint, floor_with_deductions)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、学习（基本分15分，扣完为止）\n  1. 缺席：每次扣1分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 等次缺口 */

Test(lint, low_totals_without_a_grade)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n等次：\n  优秀：90分以上\n  合格：60分至89分\n");
    const kh_diag *dg = expect(&f, "L015", "等次缺口", 7, "得分为0时不属于任何等次");
    cr_assert_eq(dg->sev, KH_ERROR);
    kh_fx_free(&f);
}

Test(lint, rank_condition_failing_leaves_no_grade)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "二、加分项（加分不超过10分）\n  1. 表彰：每次加1分\n"
                       "等次：\n  优秀：95分以上，且排名前20%\n  称职：80分至95分\n  不称职：80分以下\n");
    const kh_diag *dg = expect(&f, "L016", "等次缺口", 9, "得分为95且不满足「排名前20%」时不属于任何等次");
    expect_message(dg, "「优秀」的条件「排名前20%」不满足时，95分至110分的得分没有等次可评");
    kh_fx_free(&f);
}

Test(lint, grades_by_quota_alone_leave_the_rest_without_a_grade)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n等次：\n  优秀：限2名\n  良好：限3名\n");
    const kh_diag *dg = expect(&f, "L016", "等次缺口", 6, "得分为0且「限2名」名额已满时不属于任何等次");
    expect_message(dg, "「优秀」的条件「限2名」不满足时，0分至100分的得分没有等次可评");
    kh_fx_free(&f);
}

Test(lint, rank_condition_with_a_fallback_grade)
{
    kh_fixture f;
    lint_text(&f, HEAD "分数上限不含本数\n一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：95分以上，且排名前20%\n  称职：80分以上\n  不称职：80分以下\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, grade_above_every_possible_total)
{
    kh_fixture f;
    lint_text(&f, HEAD "满分：100分\n分数上限不含本数\n一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：95分以上\n  称职：80-95分\n  基本称职：6080分\n  不称职：60分以下\n");
    const kh_diag *dg = expect(&f, "L017", "等次缺口", 10, NULL);
    expect_message(dg, "等次「基本称职」要求6080分，但总分只可能在0分至100分之间");
    expect(&f, "L008", "区间空缺", 9, "得分为60时不属于任何等次");
    kh_fx_free(&f);
}

Test(lint, grade_hidden_by_the_grades_before_it)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：80分以上\n  良好：85分至90分\n  不合格：不满80分\n");
    const kh_diag *dg = expect(&f, "L018", "等次缺口", 7, NULL);
    expect_message(dg, "等次「良好」的分数范围已被前面的等次全部占用，永远评不到");
    cr_assert_eq(ncode(&f, "L010"), 0);
    kh_fx_free(&f);
}

Test(lint, quota_minimum_above_maximum)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：90分以上，限5-3名\n  合格：90分以下\n");
    const kh_diag *dg = expect(&f, "L019", "等次缺口", 6, NULL);
    expect_message(dg, "等次「优秀」的名额下限5大于上限3");
    kh_fx_free(&f);
}

Test(lint, percentage_quotas_over_a_hundred)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：不超过30%\n  良好：不超过80%\n  合格：60分以上\n  不合格：不满60分\n");
    const kh_diag *dg = expect(&f, "L020", "等次缺口", 7, NULL);
    expect_message(dg, "各等次的比例名额合计110%，超过100%");
    kh_fx_free(&f);
}

Test(lint, percentage_quotas_within_a_hundred)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（基本分100分）\n  1. 迟报：每次扣1分\n"
                       "等次：\n  优秀：不超过20%\n  良好：不超过30%\n  合格：60分以上\n  不合格：不满60分\n");
    cr_assert_eq(ncode(&f, "L020"), 0);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 重复计分 */

Test(lint, one_label_counted_by_two_items)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、学习（基本分15分）\n  1. 无故缺席：每次扣1分\n二、纪律（基本分15分）\n"
                       "  1. 无故缺席：每次扣2分\n");
    const kh_diag *dg = expect(&f, "L021", "重复计分", 6, NULL);
    expect_message(dg, "事项「无故缺席」已由第4行的考核项计分，同一条记录会计分两次");
    kh_fx_free(&f);
}

Test(lint, item_label_shared_with_a_veto_is_not_double_counting)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、纪律（基本分15分）\n  1. 受处分：每次扣5分\n等次：\n  合格：0分以上\n  不合格：不满0分\n"
                       "一票否决：\n  受处分：评定为不合格\n");
    cr_assert_eq(ncode(&f, "L021"), 0);
    kh_fx_free(&f);
}

/* ---------------------------------------------------------- 缺少数值 */

Test(lint, comparison_whose_number_was_lost)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、学习（基本分15分）\n  1. 学习笔记：少于字的扣2分\n");
    const kh_diag *dg = expect(&f, "L022", "缺少数值", 4, NULL);
    cr_assert_eq(dg->sev, KH_ERROR);
    expect_message(dg, "「少于字的扣2分」缺少数字：条件没有写明多少");
    cr_assert_eq(kh_fx_col(&f, dg), 11);
    kh_fx_free(&f);
}

Test(lint, comparison_with_its_number_or_with_a_word)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、学习（基本分15分）\n  1. 学习笔记：少于1万字的扣2分\n  2. 请假：超过次数限制的扣1分\n");
    cr_assert_eq(nfindings(&f), 0);
    kh_fx_free(&f);
}

Test(lint, unreadable_clause_reported_once)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、中心工作（基本分15分）\n  1. 集体活动：每少参与次扣1分\n");
    cr_assert_eq(ncode(&f, "E023"), 1);
    cr_assert_eq(ncode(&f, "L023"), 0);
    cr_assert_eq(ncode(&f, "L025"), 0);
    kh_fx_free(&f);
}

Test(lint, unreadable_clause_the_parser_did_not_report)
{
    kh_fixture f;
    kh_fx_lower(&f, HEAD "一、中心工作（基本分15分）\n  1. 集体活动：每次扣1分\n");
    f.s->sections[0].items[0].clauses[0].kind = KH_CL_INVALID;
    kh_lint(NULL, &f.d, f.s, f.ir);
    const kh_diag *dg = expect(&f, "L023", "缺少数值", 4, NULL);
    expect_message(dg, "「每次扣1分」缺少数值，无法计分");
    kh_fx_free(&f);
}

/* ------------------------------------------------------------ 未定义 */

Test(lint, item_no_event_can_change)
{
    kh_fixture f;
    lint_text(&f, HEAD "一、工作（满分5分）\n  1. 廉洁自律（5分）：认真遵守各项规定\n");
    const kh_diag *dg = expect(&f, "L025", "未定义", 4, NULL);
    cr_assert_eq(dg->sev, KH_WARNING);
    expect_message(dg, "考核项「廉洁自律」没有任何记录能触发的计分规则，所有人都得5分");
    kh_fx_free(&f);
}

Test(lint, section_without_items)
{
    kh_fixture f;
    lint_text(&f, HEAD "满分：50分\n一、岗位目标（满分50分）\n");
    const kh_diag *dg = expect(&f, "L026", "未定义", 4, NULL);
    expect_message(dg, "「岗位目标」下没有考核项，所有人都得0分");
    kh_fx_free(&f);
}

Test(lint, scheme_without_items)
{
    kh_fixture f;
    lint_text(&f, "考核方案：档案等级\n考核对象：单位\n等次：\n  省一级：90分以上\n  省二级：80分以上\n");
    const kh_diag *dg = expect(&f, "L027", "未定义", 1, NULL);
    expect_message(dg, "方案没有任何考核项，所有人总分都是0分");
    cr_assert_eq(nfindings(&f), 1);
    kh_fx_free(&f);
}

Test(lint, level_that_is_not_standard)
{
    kh_fixture f;
    kh_fx_lower(&f, HEAD "一、加分项（加分不超过10分）\n  1. 表彰：省级加5分，市级加3分\n");
    f.s->sections[0].items[0].clauses[1].tiers[0].level = "乡级";
    kh_lint(NULL, &f.d, f.s, f.ir);
    const kh_diag *dg = expect(&f, "L024", "未定义", 4, NULL);
    expect_message(dg, "级别「乡级」不是标准级别");
    kh_fx_free(&f);
}

/* ------------------------------------------------------------ robustness */

/* Fail the 1st, 2nd, … allocation until linting runs through: each
 * failure is recorded as such, and the run that succeeds finds as much as
 * an unconstrained one. */
static void survive_failures(const char *text, size_t want)
{
    kh_fixture f;
    kh_fx_lower(&f, text);
    bool finished = false;
    for (long n = 1; n < 1000 && !finished; n++) {
        kh_alloc a = {n, 0};
        kh_diags d;
        kh_diags_init(&d, &a);
        kh_lint(&a, &d, f.s, f.ir);
        finished = a.count < n;
        if (finished)
            cr_assert_eq(d.n, want);
        else
            cr_assert(d.oom, "allocation %ld failed silently", n);
        kh_diags_free(&d);
    }
    cr_assert(finished);
    kh_fx_free(&f);
}

Test(lint, every_allocation_failure_is_survived)
{
    survive_failures(SOUND_PERSON, 0);
    survive_failures(HEAD GRADES_95, 1);
    survive_failures(HEAD "一、加分项（加分不超过5分）\n  1. 表彰：国家级加10分，省级加5分\n", 1);
}
