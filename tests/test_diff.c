/* test_diff.c — the interpreter and the JIT agree on random schemes, event
 * logs and rosters, through the whole pipeline (tests/diff/); the random
 * schemes are valid and use every construct; and every disagreement the
 * differential run has found stays fixed. */
#include <criterion/criterion.h>
#include <string.h>

#include "diff/diff.h"

/* ------------------------------------------------------------ fixtures */

/* A private directory for the pair's files and the JIT's cache. */
typedef struct kh_tdiff {
    char dir[64], cache[64];
    kh_dd_opts o;
} kh_tdiff;

static void kh_tdiff_init(kh_tdiff *t)
{
    cr_assert(kh_dd_tempdir(t->dir));
    cr_assert(kh_dd_tempdir(t->cache));
    memset(&t->o, 0, sizeof t->o);
    t->o.cache_dir = t->cache;
    t->o.opt_level = 1;
}

static void kh_tdiff_done(kh_tdiff *t)
{
    kh_dd_rmdir(t->dir);
    kh_dd_rmdir(t->cache);
}

/* Both engines on one pair given as texts, with every event kept (explain
 * compared too) and without (the direct path), the JIT on one thread and
 * on two; the pair must agree each time. */
static void kh_tdiff_agree(kh_tdiff *t, const char *scheme, const char *events, const char *roster)
{
    kh_dg_buf why;
    kh_dg_buf_init(&why, NULL);
    for (int k = 0; k < 2; k++) {
        t->o.detail = k == 0;
        t->o.threads = k + 1;
        kh_dg_buf_clear(&why);
        kh_dd_verdict v = kh_dd_texts(NULL, t->dir, scheme, events, roster, &t->o, &why);
        cr_assert_eq(v, KH_DD_SAME, "detail %d: %s", k == 0, why.p ? why.p : "(no detail)");
    }
    kh_dg_buf_free(&why);
}

/* ------------------------------------------------------ random pairs */

Test(diff, random_pairs_agree_through_the_whole_pipeline)
{
    static const char *const periods[] = {NULL, NULL, NULL, "2023H1", "2023Q3", "2023-05"};
    kh_tdiff t;
    kh_tdiff_init(&t);
    char ep[128], rp[128], sp[128];
    snprintf(ep, sizeof ep, "%s/events.csv", t.dir);
    snprintf(rp, sizeof rp, "%s/roster.csv", t.dir);
    snprintf(sp, sizeof sp, "%s/scheme.so", t.dir);
    kh_dg_buf text, roster, events, why;
    kh_dg_buf_init(&text, NULL);
    kh_dg_buf_init(&roster, NULL);
    kh_dg_buf_init(&events, NULL);
    kh_dg_buf_init(&why, NULL);
    int pairs = 0;
    for (uint64_t s = 0; s < 6; s++) {
        kh_dg_rng r = {kh_dg_mix(20240611, s)};
        kh_dg_meta m;
        kh_dg_buf_clear(&text);
        kh_dg_scheme(&r, &text, &m);
        kh_dd_scheme ds;
        cr_assert(kh_dd_load(NULL, &ds, text.p, text.n), "scheme %d rejected:\n%s\n%s", (int)s, text.p, ds.why.p);
        t.o.use_so = s == 5;
        t.o.opt_level = (int)(s % 4);
        kh_dg_buf_clear(&why);
        cr_assert(kh_dd_prepare(&ds, &t.o, sp, &why), "%s", why.p);
        for (int i = 0; i < 50; i++, pairs++) {
            kh_dg_people p;
            kh_dg_buf_clear(&roster);
            kh_dg_buf_clear(&events);
            kh_dg_roster(&r, &m, &roster, &p);
            kh_dg_events(&r, &m, &p, &events);
            t.o.period = periods[i % 6];
            t.o.strict = i % 10 == 9;
            t.o.detail = i % 2 == 0;
            t.o.threads = i % 3;
            cr_assert(kh_dd_write(ep, events.p, events.n) && kh_dd_write(rp, roster.p, roster.n));
            kh_dg_buf_clear(&why);
            kh_dd_verdict v = kh_dd_compare(NULL, &ds, ep, rp, &t.o, &why);
            cr_assert_eq(v, KH_DD_SAME, "scheme %d pair %d:\n%s\n%s\n%s\n%s", (int)s, i, why.p, text.p, roster.p,
                         events.p);
        }
        kh_dd_unload(&ds);
    }
    cr_assert_eq(pairs, 300);
    kh_dg_buf_free(&text);
    kh_dg_buf_free(&roster);
    kh_dg_buf_free(&events);
    kh_dg_buf_free(&why);
    kh_tdiff_done(&t);
}

/* ------------------------------------------------------- the generator */

Test(diff, generator_is_a_function_of_the_seed)
{
    kh_dg_buf a, b, c;
    kh_dg_buf_init(&a, NULL);
    kh_dg_buf_init(&b, NULL);
    kh_dg_buf_init(&c, NULL);
    kh_dg_meta m;
    kh_dg_rng r1 = {42}, r2 = {42}, r3 = {43};
    kh_dg_scheme(&r1, &a, &m);
    kh_dg_scheme(&r2, &b, &m);
    kh_dg_scheme(&r3, &c, &m);
    cr_assert_str_eq(a.p, b.p);
    cr_assert_str_neq(a.p, c.p);
    kh_dg_buf_free(&a);
    kh_dg_buf_free(&b);
    kh_dg_buf_free(&c);
}

/* What the generated schemes used, as the parser read them. */
typedef struct kh_tcover {
    int clause[KH_CL_INVALID + 1];
    int effect[KH_EFF_PROPORTIONAL + 1];
    int who[KH_WHO_SIZE + 1];
    int to_leader, to_both, scale_pct, scale_points, inherited;
    int sec_base, sec_full, sec_floor, sec_nofloor, sec_cap, subsections, bonus;
    int item_base, item_full, item_range, item_declared, item_nofloor, item_floor;
    int gcond[KH_GC_QUOTA + 1];
    int veto_cap, veto_flag, prereq;
    int unit_subject, yuan, upper_exclusive, weight, period, full, base;
} kh_tcover;

static void kh_tcover_item(kh_tcover *cv, const kh_item *it)
{
    cv->item_base += it->attrs.has_base && !it->attrs.declared;
    cv->item_declared += it->attrs.declared;
    cv->item_full += it->attrs.has_full;
    cv->item_range += it->attrs.has_range;
    cv->item_nofloor += it->attrs.no_floor;
    cv->item_floor += it->attrs.floor;
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        cv->clause[c->kind]++;
        cv->inherited += c->inherited;
        cv->scale_pct += c->kind == KH_CL_SCALE && c->scale_pct;
        cv->scale_points += c->kind == KH_CL_SCALE && !c->scale_pct;
        for (int k = 0; k < c->nalts; k++)
            cv->who[c->alts[k].who_kind]++;
        for (int k = 0; k < c->neffects; k++) {
            cv->effect[c->effects[k].kind]++;
            cv->to_leader += c->effects[k].to == KH_TO_LEADER;
            cv->to_both += c->effects[k].to == KH_TO_BOTH;
        }
    }
}

static void kh_tcover_section(kh_tcover *cv, const kh_section *s)
{
    cv->sec_base += s->attrs.has_base;
    cv->sec_full += s->attrs.has_full;
    cv->sec_floor += s->attrs.floor;
    cv->sec_nofloor += s->attrs.no_floor;
    cv->sec_cap += s->attrs.has_cap;
    cv->bonus += s->bonus;
    cv->subsections += s->depth;
    for (int i = 0; i < s->nitems; i++)
        kh_tcover_item(cv, &s->items[i]);
    for (int i = 0; i < s->nsubs; i++)
        kh_tcover_section(cv, &s->subs[i]);
}

static void kh_tcover_scheme(kh_tcover *cv, const kh_scheme *s)
{
    cv->unit_subject += s->subject == KH_SUBJ_UNIT;
    cv->yuan += s->unit == KH_UNIT_YUAN;
    cv->upper_exclusive += s->upper_exclusive;
    cv->weight += s->has_weight;
    cv->period += s->has_period;
    cv->full += s->has_full;
    cv->base += s->has_base;
    for (int i = 0; i < s->nsections; i++)
        kh_tcover_section(cv, &s->sections[i]);
    for (int g = 0; g < s->ngrades; g++)
        for (int k = 0; k < s->grades[g].nconds; k++)
            cv->gcond[s->grades[g].conds[k].kind]++;
    for (int v = 0; v < s->nvetoes; v++) {
        cv->veto_cap += s->vetoes[v].cap_grade != NULL;
        cv->veto_flag += s->vetoes[v].flag != NULL;
    }
    cv->prereq += s->nprereqs;
}

Test(diff, generated_schemes_are_valid_and_use_every_construct)
{
    kh_tcover cv;
    memset(&cv, 0, sizeof cv);
    kh_dg_buf text;
    kh_dg_buf_init(&text, NULL);
    for (uint64_t s = 0; s < 300; s++) {
        kh_dg_rng r = {kh_dg_mix(7, s)};
        kh_dg_meta m;
        kh_dg_buf_clear(&text);
        kh_dg_scheme(&r, &text, &m);
        kh_dd_scheme ds;
        cr_assert(kh_dd_load(NULL, &ds, text.p, text.n), "scheme %d rejected:\n%s\n%s", (int)s, text.p, ds.why.p);
        kh_tcover_scheme(&cv, ds.s);
        kh_dd_unload(&ds);
    }
    kh_dg_buf_free(&text);
    static const kh_clause_kind item_kinds[] = {
        KH_CL_PER, KH_CL_ALL_OR_NONE, KH_CL_THRESHOLD, KH_CL_TARGET, KH_CL_SHORTFALL, KH_CL_EXCESS, KH_CL_BAND,
        KH_CL_EVALUATOR, KH_CL_SCALE, KH_CL_TIER, KH_CL_DEDUPE, KH_CL_MISSING, KH_CL_FLOOR, KH_CL_NO_FLOOR,
        KH_CL_CAP, KH_CL_FULL, KH_CL_NOTE};
    for (size_t k = 0; k < sizeof item_kinds / sizeof item_kinds[0]; k++)
        cr_expect_gt(cv.clause[item_kinds[k]], 0, "no clause of kind %d", (int)item_kinds[k]);
    cr_expect_eq(cv.clause[KH_CL_INVALID], 0);
    for (int e = KH_EFF_DEDUCT; e <= KH_EFF_PROPORTIONAL; e++)
        cr_expect_gt(cv.effect[e], 0, "no effect of kind %d", e);
    for (int w = KH_WHO_DEFAULT; w <= KH_WHO_SIZE; w++)
        cr_expect_gt(cv.who[w], 0, "no alternative for who %d", w);
    for (int g = KH_GC_SCORE; g <= KH_GC_QUOTA; g++)
        cr_expect_gt(cv.gcond[g], 0, "no grade condition %d", g);
    cr_expect_gt(cv.to_leader, 0);
    cr_expect_gt(cv.to_both, 0);
    cr_expect_gt(cv.scale_pct, 0);
    cr_expect_gt(cv.scale_points, 0);
    cr_expect_gt(cv.inherited, 0);
    cr_expect_gt(cv.sec_base, 0);
    cr_expect_gt(cv.sec_full, 0);
    cr_expect_gt(cv.sec_floor, 0);
    cr_expect_gt(cv.sec_nofloor, 0);
    cr_expect_gt(cv.sec_cap, 0);
    cr_expect_gt(cv.subsections, 0);
    cr_expect_gt(cv.bonus, 0);
    cr_expect_gt(cv.item_base, 0);
    cr_expect_gt(cv.item_declared, 0);
    cr_expect_gt(cv.item_full, 0);
    cr_expect_gt(cv.item_range, 0);
    cr_expect_gt(cv.item_floor, 0);
    cr_expect_gt(cv.item_nofloor, 0);
    cr_expect_gt(cv.veto_cap, 0);
    cr_expect_gt(cv.veto_flag, 0);
    cr_expect_gt(cv.prereq, 0);
    cr_expect_gt(cv.unit_subject, 0);
    cr_expect_gt(cv.yuan, 0);
    cr_expect_gt(cv.upper_exclusive, 0);
    cr_expect_gt(cv.weight, 0);
    cr_expect_gt(cv.period, 0);
    cr_expect_gt(cv.full, 0);
    cr_expect_gt(cv.base, 0);
}

Test(diff, event_logs_mix_known_and_unknown_rows)
{
    kh_dg_rng r = {11};
    kh_dg_meta m;
    kh_dg_buf text, roster, events;
    kh_dg_buf_init(&text, NULL);
    kh_dg_buf_init(&roster, NULL);
    kh_dg_buf_init(&events, NULL);
    bool stranger = false, unknown_item = false, label = false;
    for (int s = 0; s < 20; s++) {
        kh_dg_buf_clear(&text);
        kh_dg_scheme(&r, &text, &m);
        kh_dg_people p;
        kh_dg_buf_clear(&roster);
        kh_dg_buf_clear(&events);
        kh_dg_roster(&r, &m, &roster, &p);
        kh_dg_events(&r, &m, &p, &events);
        cr_assert_gt(p.n, 0);
        cr_assert(strstr(roster.p, p.person[0]));
        stranger = stranger || strstr(events.p, "路人甲") || strstr(events.p, "李四") || strstr(events.p, "王五");
        unknown_item = unknown_item || strstr(events.p, "未知事项") || strstr(events.p, "临时任务");
        for (int i = 0; i < m.nlabels; i++)
            label = label || strstr(events.p, m.labels[i].label);
    }
    cr_expect(stranger, "no event for a person outside the roster");
    cr_expect(unknown_item, "no event with an unknown 事项");
    cr_expect(label, "no event for the scheme's items");
    kh_dg_buf_free(&text);
    kh_dg_buf_free(&roster);
    kh_dg_buf_free(&events);
}

/* ----------------------------------------------------------- the driver */

Test(diff, driver_reports_a_scheme_the_front_end_rejects)
{
    kh_tdiff t;
    kh_tdiff_init(&t);
    kh_dg_buf why;
    kh_dg_buf_init(&why, NULL);
    kh_dd_verdict v = kh_dd_texts(NULL, t.dir, "考核方案：坏\n一、学习\n  1. 迟到：每次扣分\n", "人员,事项\n", "人员\n甲\n",
                                  &t.o, &why);
    cr_assert_eq(v, KH_DD_REJECTED);
    cr_assert(strstr(why.p, "E020"), "%s", why.p);
    kh_dg_buf_free(&why);
    kh_tdiff_done(&t);
}

Test(diff, driver_notices_when_the_native_side_differs)
{
    /* the JIT side scores with a shared object built from another scheme,
     * which kh_score refuses: the two renderings must differ */
    kh_tdiff t;
    kh_tdiff_init(&t);
    const char *one = "考核方案：一\n一、学习（基本分10分）\n  1. 迟到：每次扣1分\n";
    const char *two = "考核方案：二\n一、学习（基本分10分）\n  1. 迟到：每次扣2分\n";
    char so[128], ep[128], rp[128];
    snprintf(so, sizeof so, "%s/two.so", t.dir);
    snprintf(ep, sizeof ep, "%s/events.csv", t.dir);
    snprintf(rp, sizeof rp, "%s/roster.csv", t.dir);
    cr_assert(kh_dd_write(ep, "人员,事项\n甲,迟到\n", strlen("人员,事项\n甲,迟到\n")));
    cr_assert(kh_dd_write(rp, "人员\n甲\n", strlen("人员\n甲\n")));
    kh_dd_scheme a, b;
    kh_dg_buf why;
    kh_dg_buf_init(&why, NULL);
    cr_assert(kh_dd_load(NULL, &a, one, strlen(one)));
    cr_assert(kh_dd_load(NULL, &b, two, strlen(two)));
    t.o.use_so = true;
    cr_assert(kh_dd_prepare(&b, &t.o, so, &why), "%s", why.p);
    snprintf(a.so, sizeof a.so, "%s", so);
    cr_assert_eq(kh_dd_compare(NULL, &a, ep, rp, &t.o, &why), KH_DD_DIFFERENT);
    cr_assert(strstr(why.p, "interp:") && strstr(why.p, "jit:"), "%s", why.p);
    snprintf(a.so, sizeof a.so, "%s", "");
    t.o.use_so = false;
    cr_assert_eq(kh_dd_compare(NULL, &a, ep, rp, &t.o, NULL), KH_DD_SAME);
    kh_dd_unload(&a);
    kh_dd_unload(&b);
    kh_dg_buf_free(&why);
    kh_tdiff_done(&t);
}

/* ------------------------------------------------------ regressions */

/* A hand-written pair touching every engine path the reports show: both
 * engines agree on it (the canary for the regressions below). */
Test(diff, small_scheme_agrees)
{
    kh_tdiff t;
    kh_tdiff_init(&t);
    kh_tdiff_agree(&t,
                   "考核方案：小\n满分：100分\n一、学习（基本分15分，扣完为止）\n  1. 迟到：每次扣1分\n"
                   "  2. 心得篇数：应达2篇，每少1篇扣1分\n二、加分项（加分不超过5分）\n"
                   "  1. 获得表彰：国家级加10分，省级加8分；同项按最高级别加分一次\n"
                   "等次：\n  优秀：15分以上\n  称职：15分以下\n",
                   "人员,事项,数量,级别,编号\n甲,迟到,2,,\n乙,心得篇数,1,,\n甲,获得表彰,,省级,K1\n甲,获得表彰,,国家级,K1\n",
                   "人员,部门,职务\n甲,办公室,科员\n乙,办公室,科长\n");
    kh_tdiff_done(&t);
}

/* Found while the leader's share of a target (KH_OP_MSTEPS) was being
 * added: its operands, the target and the step, are constants, and the
 * JIT folded the instruction as if it read nothing else, so the leader
 * lost the share (甲: interpreter 7.7, JIT 8).  A helper that reads events
 * is never folded. */
Test(diff, leader_share_of_a_shortfall_is_not_folded_away)
{
    kh_tdiff t;
    kh_tdiff_init(&t);
    kh_tdiff_agree(&t,
                   "考核方案：领导分担\n一、电子政务（基本分10分）\n"
                   "  1. 网站更新完成率：不低于100%，每差10个百分点分管领导扣0.1分，管理员扣0.2分\n",
                   "人员,事项,数量\n乙,网站更新完成率,70%\n",
                   "人员,部门,职务,分管领导\n甲,办公室,科长,\n乙,办公室,科员,甲\n");
    for (int level = 0; level <= 3; level++) {
        t.o.opt_level = level;
        kh_tdiff_agree(&t,
                       "考核方案：领导分担\n一、信息调研（基本分10分）\n"
                       "  1. 采用信息篇数：应达3篇，每少1篇分管领导和责任人各扣0.5分\n",
                       "人员,事项,数量\n乙,采用信息篇数,1\n丙,采用信息篇数,2.5\n",
                       "人员,部门,职务,分管领导\n甲,办公室,科长,\n乙,办公室,科员,甲\n丙,办公室,科员,甲\n");
    }
    kh_tdiff_done(&t);
}

/* The JIT takes the leader's share to be never negative (it skips floors
 * and caps on that basis); sums of huge 数量 must not wrap it below zero in
 * the helper either, or a floor the JIT dropped would matter. */
Test(diff, leader_share_of_huge_shortfalls_agrees)
{
    kh_tdiff t;
    kh_tdiff_init(&t);
    const char *events = "人员,事项,数量\n乙,采用信息篇数,4000000000000000\n乙,采用信息篇数,4000000000000000\n"
                         "乙,采用信息篇数,4000000000000000\n丙,采用信息篇数,4000000000000000\n"
                         "丙,采用信息篇数,4000000000000000\n丙,采用信息篇数,4000000000000000\n";
    const char *roster = "人员,部门,职务,分管领导\n甲,办公室,科长,\n乙,办公室,科员,甲\n丙,办公室,科员,甲\n";
    kh_tdiff_agree(&t, "考核方案：溢出\n一、信息调研\n  1. 采用信息篇数（满分5分）：应达1篇，每少1篇分管领导扣1分\n", events,
                   roster);
    kh_tdiff_agree(&t, "考核方案：溢出\n一、信息调研（基本分5分）\n  1. 采用信息篇数：应达1篇，每少1篇扣1分\n", events, roster);
    kh_tdiff_done(&t);
}

/* An event log in which no row counts (unknown 事项, strangers, or no rows
 * at all) still scores everyone in the roster, alike in both engines; the
 * random run makes such logs one time in twenty. */
Test(diff, event_log_with_nothing_counted_agrees)
{
    kh_tdiff t;
    kh_tdiff_init(&t);
    const char *scheme = "考核方案：空\n一、学习（基本分10分）\n  1. 心得篇数：应达2篇，每少1篇扣1分\n"
                         "等次：\n  优秀：9分以上\n  一般：9分以下\n";
    const char *roster = "人员,部门,职务\n甲,办公室,科员\n乙,办公室,科长\n";
    kh_tdiff_agree(&t, scheme, "人员,事项,数量\n", roster);
    kh_tdiff_agree(&t, scheme, "人员,事项,数量\n甲,未知事项,1\n路人甲,心得篇数,3\n", roster);
    kh_tdiff_done(&t);
}
