/* test_parse.c — the front end reads what staff write, and says precisely
 * what is wrong when it cannot. */
#include "helpers.h"

#define HEAD "考核方案：测试\n一、工作（基本分20分）\n"

static const kh_clause *first_clause(const kh_scheme *s)
{
    cr_assert(s->nsections > 0);
    cr_assert(s->sections[0].nitems > 0);
    cr_assert(s->sections[0].items[0].nclauses > 0);
    return &s->sections[0].items[0].clauses[0];
}

Test(parse, header_section_item_and_base)
{
    kh_fixture f;
    kh_fx_parse(&f, "考核方案：某某单位\n考核对象：个人\n满分：100分\n分数上限不含本数\n"
                    "一、学习（基本分15分，扣完为止）\n  1. 无故不参加学习：每次扣1分\n");
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_str_eq(f.s->name, "某某单位");
    cr_assert(f.s->has_full);
    cr_assert_eq(f.s->full, 100000);
    cr_assert(f.s->upper_exclusive);
    const kh_section *sec = &f.s->sections[0];
    cr_assert_str_eq(sec->title, "学习");
    cr_assert(sec->attrs.has_base);
    cr_assert_eq(sec->attrs.base, 15000);
    cr_assert(sec->attrs.floor);
    cr_assert_str_eq(sec->items[0].label, "无故不参加学习");
    const kh_clause *c = first_clause(f.s);
    cr_assert_eq(c->kind, KH_CL_PER);
    cr_assert_eq(c->effects[0].kind, KH_EFF_DEDUCT);
    cr_assert_eq(c->effects[0].amount, 1000);
    kh_fx_free(&f);
}

Test(parse, per_occurrence_with_verb_between)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 无故不参加学习：每缺席1次扣1分\n  2. 迟报：迟报一次扣0.2分\n");
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(first_clause(f.s)->kind, KH_CL_PER);
    const kh_clause *c = &f.s->sections[0].items[1].clauses[0];
    cr_assert_eq(c->kind, KH_CL_PER);
    cr_assert_eq(c->step.value, 1000);
    cr_assert_eq(c->effects[0].amount, 200);
    kh_fx_free(&f);
}

Test(parse, traditional_keywords)
{
    kh_fixture f;
    kh_fx_parse(&f, "考核方案：測試\n一、重點目標考評（50分）\n"
                    "  1. 抽檢合格率（10分）：不低於90%，低於1個百分點扣1分，扣完為止\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_item *it = &f.s->sections[0].items[0];
    cr_assert_eq(it->nclauses, 3);
    cr_assert_eq(it->clauses[0].kind, KH_CL_TARGET);
    cr_assert_eq(it->clauses[1].kind, KH_CL_SHORTFALL);
    cr_assert(it->clauses[1].step.points);
    cr_assert_eq(it->clauses[2].kind, KH_CL_FLOOR);
    kh_fx_free(&f);
}

Test(parse, full_width_digits_and_punctuation)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1． 迟到：每次扣０．５分\n");
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(first_clause(f.s)->effects[0].amount, 500);
    kh_fx_free(&f);
}

Test(parse, chinese_numerals_before_measure_words)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 学习心得：应达两篇，每少一篇扣1分\n"
                         "  2. 党校远程学习：达不到三次以上的扣0.5分\n"
                         "  3. 读书笔记：少于3万字的扣1分\n"
                         "  4. 参训率：低于百分之八十的扣1分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_section *sec = &f.s->sections[0];
    cr_assert_eq(sec->items[0].clauses[0].alts[0].value.value, 2000);
    const kh_clause *c = &sec->items[1].clauses[0];
    cr_assert_eq(c->kind, KH_CL_THRESHOLD);
    cr_assert_eq(c->alts[0].cmp, KH_CMP_LT);
    cr_assert_eq(c->alts[0].value.value, 3000);
    cr_assert_eq(sec->items[2].clauses[0].alts[0].value.value, 30000000);
    cr_assert(sec->items[3].clauses[0].alts[0].value.pct);
    cr_assert_eq(sec->items[3].clauses[0].alts[0].value.value, 80000);
    kh_fx_free(&f);
}

Test(parse, words_with_numerals_stay_words)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 稿件：同一稿件被不同机关录用的，按最高计分1次\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_item *it = &f.s->sections[0].items[0];
    cr_assert_eq(it->clauses[0].kind, KH_CL_NOTE);
    cr_assert_eq(it->clauses[1].kind, KH_CL_DEDUPE);
    kh_fx_free(&f);
}

Test(parse, lost_number_is_missing_amount)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 迟到：迟到一次扣分\n");
    const kh_diag *dg = kh_fx_diag(&f, "E020");
    cr_assert_not_null(dg);
    cr_assert_eq(kh_fx_line(&f, dg), 3);
    cr_assert_eq(kh_fx_col(&f, dg), 13);
    char msg[256];
    kh_diag_message(dg, KH_ZH, msg, sizeof msg);
    cr_assert_str_eq(msg, "缺少分值：「扣分」没有写明多少分");
    cr_assert_eq(f.d.nerrors, 1);
    kh_fx_free(&f);
}

Test(parse, unknown_unit_suggests_fen)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 考试未达优秀：扣0.5份\n");
    const kh_diag *dg = kh_fx_diag(&f, "E021");
    cr_assert_not_null(dg);
    char hint[128];
    cr_assert(kh_diag_hint(dg, KH_ZH, hint, sizeof hint));
    cr_assert_str_eq(hint, "是否应为「分」？");
    kh_diag_hint(dg, KH_EN, hint, sizeof hint);
    cr_assert_str_eq(hint, "did you mean 分?");
    cr_assert_eq(kh_fx_col(&f, dg), 17);
    kh_fx_free(&f);
}

Test(parse, shortfall_without_count_is_missing_step)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 集体活动：每少参与次扣1分\n");
    cr_assert_not_null(kh_fx_diag(&f, "E023"));
    kh_fx_free(&f);
}

Test(parse, highest_level_without_count)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 荣誉：国家级加10分；同项内容按最高级别加分次\n");
    cr_assert_not_null(kh_fx_diag(&f, "E024"));
    kh_fx_free(&f);
}

Test(parse, errors_recover_at_next_item)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 迟到：迟到一次扣分\n  2. 早退：早退一次扣分\n  3. 旷工：旷工1天扣2分\n");
    cr_assert_eq(f.d.nerrors, 2);
    cr_assert_eq(f.s->sections[0].nitems, 3);
    cr_assert_eq(f.s->sections[0].items[2].clauses[0].kind, KH_CL_PER);
    kh_fx_free(&f);
}

Test(parse, role_dependent_targets)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 读书笔记字数：班子成员3万字以上、干部职工2万字以上得1分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_clause *c = first_clause(f.s);
    cr_assert_eq(c->kind, KH_CL_THRESHOLD);
    cr_assert_eq(c->nalts, 2);
    cr_assert_eq(c->alts[0].who_kind, KH_WHO_ROLE);
    cr_assert_str_eq(c->alts[0].who, "班子成员");
    cr_assert_eq(c->alts[0].value.value, 30000000);
    cr_assert_str_eq(c->alts[1].who, "干部职工");
    kh_fx_free(&f);
}

Test(parse, unit_overrides_in_parentheses)
{
    kh_fixture f;
    kh_fx_parse(&f, "考核方案：宣传\n考核对象：部门\n一、信息（基本分10分）\n"
                    "  1. 信息报送：不少于2条（其中社救局不少于3条、扶贫和移民办不少于1条），每少完成1篇扣50元\n"
                    "  2. 信息采用：12篇以上（2人部门15篇、3人以上部门18篇）得2分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_clause *c = first_clause(f.s);
    cr_assert_eq(c->kind, KH_CL_TARGET);
    cr_assert_eq(c->nalts, 3);
    cr_assert_eq(c->alts[0].who_kind, KH_WHO_DEFAULT);
    cr_assert_eq(c->alts[1].who_kind, KH_WHO_UNIT);
    cr_assert_str_eq(c->alts[1].who, "社救局");
    const kh_clause *d = &f.s->sections[0].items[1].clauses[0];
    cr_assert_eq(d->alts[1].who_kind, KH_WHO_SIZE);
    cr_assert_eq(d->alts[1].size_n, 2000);
    cr_assert_eq(d->alts[2].size_cmp, KH_CMP_GE);
    cr_assert_eq(d->alts[2].cmp, KH_CMP_GE);
    kh_fx_free(&f);
}

Test(parse, leader_shares_a_deduction)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 作风被通报：通报一次分管领导扣1分，责任人扣2分\n"
                         "  2. 信访不满意：每出现一起分管领导和办理人员各扣1分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_item *it = &f.s->sections[0].items[0];
    cr_assert_eq(it->clauses[0].effects[0].to, KH_TO_LEADER);
    cr_assert_eq(it->clauses[1].kind, KH_CL_PER);
    cr_assert(it->clauses[1].inherited);
    cr_assert_eq(it->clauses[1].effects[0].to, KH_TO_SELF);
    cr_assert_eq(f.s->sections[0].items[1].clauses[0].effects[0].to, KH_TO_BOTH);
    kh_fx_free(&f);
}

Test(parse, tiers_and_respective_amounts)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 表彰：国家级加10分、省级8分、市级5分\n"
                         "  2. 稿件：省、市、区每篇分别奖励3分、2分、1分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_clause *c = first_clause(f.s);
    cr_assert_eq(c->kind, KH_CL_TIER);
    cr_assert_eq(c->ntiers, 3);
    cr_assert_str_eq(c->tiers[1].level, "省级");
    cr_assert_eq(c->tiers[1].amount, 8000);
    const kh_clause *d = &f.s->sections[0].items[1].clauses[0];
    cr_assert_eq(d->ntiers, 3);
    cr_assert_str_eq(d->tiers[2].level, "区级");
    cr_assert_eq(d->tiers[2].amount, 1000);
    kh_fx_free(&f);
}

Test(parse, bands_written_high_first)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 教材落实率（5分）：达80%以上的赐予满分；79%至70%的赐予8分；29%以下的0分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_item *it = &f.s->sections[0].items[0];
    cr_assert_eq(it->clauses[0].kind, KH_CL_BAND);
    cr_assert_eq(it->clauses[0].effects[0].kind, KH_EFF_FULL);
    cr_assert_eq(it->clauses[1].range.lo, 70000);
    cr_assert_eq(it->clauses[1].range.hi, 79000);
    cr_assert_eq(it->clauses[2].range.hi, 29000);
    kh_fx_free(&f);
}

Test(parse, grades_vetoes_prerequisites)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 迟到：每次扣1分\n等次：\n  优秀：95分以上，且排名前20%\n  称职：80分至95分\n"
                         "  良好：限3-4名\n一票否决：\n  受警告以上处分：评定为称职\n  被通报：取消当年评先评优资格\n"
                         "必备条件：\n  1. 依法办理档案登记\n");
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_eq(f.s->ngrades, 3);
    cr_assert_eq(f.s->grades[0].nconds, 2);
    cr_assert_eq(f.s->grades[0].conds[1].kind, KH_GC_RANK);
    cr_assert_eq(f.s->grades[2].conds[0].kind, KH_GC_QUOTA);
    cr_assert_eq(f.s->grades[2].conds[0].n, 4000);
    cr_assert_eq(f.s->grades[2].conds[0].n_min, 3000);
    cr_assert_str_eq(f.s->vetoes[0].cap_grade, "称职");
    cr_assert_not_null(f.s->vetoes[1].flag);
    cr_assert_eq(f.s->nprereqs, 1);
    kh_fx_free(&f);
}

Test(parse, veto_to_unknown_grade)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 迟到：每次扣1分\n等次：\n  优秀：95分以上\n一票否决：\n  处分：评定为基本称职\n");
    cr_assert_not_null(kh_fx_diag(&f, "E051"));
    kh_fx_free(&f);
}

Test(parse, empty_file)
{
    kh_fixture f;
    kh_fx_parse(&f, "");
    cr_assert_not_null(kh_fx_diag(&f, "E030"));
    kh_fx_free(&f);
}

Test(parse, crlf_and_comments)
{
    kh_fixture f;
    kh_fx_parse(&f, "# 说明\r\n考核方案：测试\r\n注：这是注释\r\n一、工作（基本分20分）\r\n  1. 迟到：每次扣1分\r\n");
    cr_assert_eq(f.d.nerrors, 0);
    cr_assert_str_eq(f.s->sections[0].items[0].label, "迟到");
    kh_fx_free(&f);
}

/* Reference §2: a bare N分 after a condition is the band's value. */
Test(parse, bare_amount_after_a_condition_is_a_band)
{
    kh_fixture f;
    kh_fx_parse(&f, HEAD "  1. 落实率（5分）：80%以上5分，50%以下0分\n");
    cr_assert_eq(f.d.nerrors, 0);
    const kh_item *it = &f.s->sections[0].items[0];
    cr_assert_eq(it->clauses[0].kind, KH_CL_BAND);
    cr_assert_eq(it->clauses[0].effects[0].amount, 5000);
    cr_assert_eq(it->clauses[1].kind, KH_CL_BAND);
    kh_fx_free(&f);
}
