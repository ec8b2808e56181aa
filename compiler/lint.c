/* lint.c — the linter: arithmetic mistakes in a scheme, found before anyone
 * is scored.
 *
 * Each finding is a diagnostic with a class a personnel officer recognises:
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
#include <stdlib.h>
#include <string.h>

#include "compiler.h"

/* ------------------------------------------------------------ messages */

static const kh_msg m_nomem = {"E040", "内存不足", "out of memory", NULL, NULL};

static const kh_msg m_sec_sum = {
    "L001", "「%1」写明%2分，但其下各项分值合计%3分", "「%1」 declares %2 points but its items add up to %3",
    "核对各项的分值，或改正章节的分值", "check the items' points or the section's"};
static const kh_msg m_full_sum = {
    "L002", "满分写明%1分，但各部分分值合计%2分（不含加分项）",
    "满分 is %1 but the sections add up to %2 (bonus excluded)",
    "核对各部分的分值，或改正满分", "check the sections' points or the 满分"};
static const kh_msg m_sec_low = {
    "L003", "「%1」满分%2分，但其下各项最多只能得%3分", "「%1」 is worth %2 points but its items give at most %3",
    "补上缺少的得分规则，或改正满分", "add the missing scoring rules or correct the points"};
static const kh_msg m_sec_high = {
    "L004", "「%1」满分%2分，但其下各项合计最多可得%3分", "「%1」 is worth %2 points but its items give up to %3",
    "超出满分的部分不计；核对各项的得分规则", "points above 满分 are dropped; check the items' rules"};
static const kh_msg m_earn_low = {
    "L005", "「%1」分值%2分，但按它的得分规则最多只能得%3分",
    "「%1」 is worth %2 points but its scoring rules give at most %3",
    "补上得满分的条件，或改正本项分值", "add the rule that earns full points, or correct the item's points"};
static const kh_msg m_earn_high = {
    "L006", "「%1」分值%2分，但它的各条得分规则合计最多可得%3分",
    "「%1」 is worth %2 points but its scoring rules together give up to %3",
    "核对各条得分规则，或改正本项分值", "check the scoring rules or the item's points"};
static const kh_msg m_band_gap = {
    "L007", "「%1」的分档有空缺：%2", "the bands of 「%1」 leave a gap: %2",
    "补上缺少的一档，或让相邻两档首尾相接，如「80%以上」与「70%至80%」，并写「分数上限不含本数」",
    "add the missing band, or make neighbouring bands meet, e.g. 80%以上 and 70%至80% with 分数上限不含本数"};
static const kh_msg m_band_overlap = {
    "L009", "「%1」中「%2」与「%3」两档重叠", "in 「%1」 the bands 「%2」 and 「%3」 overlap",
    "计分时按先写的一档；请调整边界使各档互不重叠",
    "the band written first wins; adjust the bounds so the bands do not overlap"};
static const kh_msg m_over_item = {
    "L011", "「%1」给%2分，超过本项分值%3分", "「%1」 gives %2 points, more than the item's %3",
    "核对这一档的分值，或改正本项分值", "check this amount or the item's points"};
static const kh_msg m_over_cap = {
    "L012", "单项加分%1分已超过「%2」的加分上限%3分", "one award of %1 exceeds the cap of %3 on 「%2」",
    "核对加分分值或加分上限", "check the amount or the cap"};
static const kh_msg m_cap_idle = {
    "L013", "加分上限%1分不会起作用：「%2」最多只能加%3分", "the cap of %1 never applies: 「%2」 adds at most %3",
    "删去上限，或核对加分规则", "remove the cap or check the bonus rules"};
static const kh_msg m_floor_idle = {
    "L014", "「%1」写了扣完为止，但其中没有扣分规则", "「%1」 says 扣完为止 but has no deduction",
    "删去扣完为止，或补上扣分规则", "remove 扣完为止 or add the deductions"};
static const kh_msg m_grade_gap = {
    "L008", "等次表的分数范围有空缺：%1的得分不属于任何等次", "the grade table leaves a gap: totals %1 get no grade",
    "让相邻等次首尾相接，如「90分以上」与「60分至90分」，并写「分数上限不含本数」",
    "make neighbouring grades meet, e.g. 90分以上 and 60分至90分 with 分数上限不含本数"};
static const kh_msg m_grade_overlap = {
    "L010", "等次「%1」与「%2」的分数范围重叠", "grades 「%1」 and 「%2」 overlap",
    "评定时按先写的等次；请调整边界，或写「分数上限不含本数」",
    "the grade written first wins; adjust the bounds or write 分数上限不含本数"};
static const kh_msg m_grade_outside = {
    "L015", "总分可能为%1，但没有哪个等次的分数范围包含它", "a total of %1 is possible but no grade covers it",
    "补上这一段分数的等次", "add a grade for these totals"};
static const kh_msg m_grade_cond = {
    "L016", "「%1」的条件「%2」不满足时，%3的得分没有等次可评",
    "when 「%1」's condition 「%2」 fails, a total of %3 gets no grade",
    "让下一个等次的分数范围包含这些分数", "let the next grade's range include these totals"};
static const kh_msg m_grade_unreach = {
    "L017", "等次「%1」要求%2，但总分只可能在%3", "grade 「%1」 requires %2, but totals lie in %3",
    "核对这个等次的分数", "check this grade's range"};
static const kh_msg m_grade_shadow = {
    "L018", "等次「%1」的分数范围已被前面的等次全部占用，永远评不到",
    "grade 「%1」 is fully covered by the grades before it and is never given",
    "调整等次的顺序或分数范围", "reorder the grades or adjust their ranges"};
static const kh_msg m_quota_minmax = {
    "L019", "等次「%1」的名额下限%2大于上限%3", "grade 「%1」 has a minimum quota of %2 above its maximum %3",
    NULL, NULL};
static const kh_msg m_quota_sum = {
    "L020", "各等次的比例名额合计%1%，超过100%", "the percentage quotas add up to %1%, over 100%",
    "核对各等次的比例", "check the percentages"};
static const kh_msg m_dup = {
    "L021", "事项「%1」已由第%2行的考核项计分，同一条记录会计分两次",
    "事项 「%1」 is already scored by the item on line %2; one record would count twice",
    "合并这两项，或给它们不同的事项名称", "merge the items or give them different labels"};
static const kh_msg m_lost_number = {
    "L022", "「%1」缺少数字：条件没有写明多少", "「%1」 lacks a number: the condition does not say how much",
    "写明数字，如「少于10000字」", "write the number, e.g. 少于10000字"};
static const kh_msg m_invalid = {
    "L023", "「%1」缺少数值，无法计分", "「%1」 lacks a number and cannot be scored",
    "写明分值，如「扣1分」", "write the amount, e.g. 扣1分"};
static const kh_msg m_level = {
    "L024", "级别「%1」不是标准级别", "level 「%1」 is not a standard level",
    "标准级别：国家级、省级、市级、县级、区级", "standard levels: 国家级 省级 市级 县级 区级"};
static const kh_msg m_no_trigger = {
    "L025", "考核项「%1」没有任何记录能触发的计分规则，所有人都得%2分",
    "no event can change item 「%1」: everyone gets %2",
    "写明如何计分，如「每次扣1分」「未落实不得分」", "say how it scores, e.g. 每次扣1分 or 未落实不得分"};
static const kh_msg m_empty_section = {
    "L026", "「%1」下没有考核项，所有人都得%2分", "「%1」 has no items: everyone gets %2",
    "补上这一部分的考核项", "add the items of this part"};

static const kh_msg m_no_items = {
    "L027", "方案没有任何考核项，所有人总分都是%1分", "the scheme has no items: every total is %1",
    "写出各部分和考核项", "write the sections and their items"};

static const char *const C_POINTS = "分值不符";
static const char *const C_GAP = "区间空缺";
static const char *const C_OVERLAP = "区间重叠";
static const char *const C_EXCESS = "超出分值";
static const char *const C_GRADE = "等次缺口";
static const char *const C_DUP = "重复计分";
static const char *const C_MISSING = "缺少数值";
static const char *const C_UNDEF = "未定义";

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
    int32_t *out_reg[2];        /* [0] items, [1] sections: register written to the output, −1 */
    int32_t *last_cap[2];       /* the last KH_OP_CAP of each item / section, −1 */
} kh_lt;

/* -------------------------------------------------------- text helpers */

static void fmt_dec(kh_dec v, char *buf, size_t cap)
{
    kh_dec_format(v, buf, cap);
}

/* "89.5", "79.5%", "-1" */
static void fmt_value(kh_dec v, bool pct, char *buf, size_t cap)
{
    fmt_dec(v, buf, cap);
    if (pct) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%%");
    }
}

/* Source text under a span, trimmed, at most cap−4 bytes, cut on a
 * character boundary with … when shortened. */
static void span_text(const kh_lt *lt, kh_span sp, char *buf, size_t cap)
{
    const kh_source *src = lt->s->src;
    buf[0] = 0;
    if (!src || !src->text || sp.off > src->len || cap < 8)
        return;
    if (sp.off + sp.len > src->len)
        sp.len = (uint32_t)(src->len - sp.off);
    const char *t = src->text + sp.off;
    size_t n = sp.len;
    while (n && (*t == ' ' || *t == '\t')) {
        t++;
        n--;
    }
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' || t[n - 1] == '\n'))
        n--;
    size_t k = n < cap - 4 ? n : cap - 4;
    while (k > 0 && k < n && ((unsigned char)t[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, t, k);
    buf[k] = 0;
    if (k < n)
        strcat(buf, "…");
}

static int span_line(const kh_lt *lt, kh_span sp)
{
    int line = 0, col = 0;
    if (lt->s->src)
        kh_source_linecol(lt->s->src, sp.off, &line, &col);
    return line;
}

static kh_span span_join(kh_span a, kh_span b)
{
    uint32_t lo = a.off < b.off ? a.off : b.off;
    uint32_t ea = a.off + a.len, eb = b.off + b.len;
    kh_span r = {lo, (ea > eb ? ea : eb) - lo};
    return r;
}

/* A line's span from its label on (a line without a number may start
 * with the comments before it). */
static kh_span from_label(kh_span label, kh_span whole)
{
    uint32_t end = whole.off + whole.len;
    if (label.off < whole.off || label.off > end)
        return whole;
    kh_span r = {label.off, end - label.off};
    return r;
}

/* An item's line: numbered items start at their number, others at the label. */
static kh_span item_span(const kh_item *it)
{
    return it->number ? it->span : from_label(it->label_span, it->span);
}

/* Record a finding.  cx, when given, becomes the counterexample. */
static void finding(kh_lt *lt, kh_severity sev, const kh_msg *m, const char *cls, kh_span sp, const char *a1,
                    const char *a2, const char *a3, const char *cx)
{
    kh_diag *dg = kh_diag_add(lt->d, sev, m, lt->s->src, sp, a1, a2, a3);
    if (!dg)
        return;
    dg->lint_class = cls;
    if (cx) {
        dg->counterexample = kh_strndup(lt->d->alloc, cx, strlen(cx));
        if (!dg->counterexample)
            lt->d->oom = true;
    }
}

/* ---------------------------------------------------- interval values */

__extension__ typedef __int128 kh_lt_wide;

static kh_dec clampw(kh_lt_wide x)
{
    if (x >= LT_INF)
        return LT_INF;
    if (x <= -LT_INF)
        return -LT_INF;
    return (kh_dec)x;
}

static bool is_inf(kh_dec x)
{
    return x >= LT_INF || x <= -LT_INF;
}

/* a + b for a bound; an infinite operand decides (toward lo or hi). */
static kh_dec add_bound(kh_dec a, kh_dec b, bool hi)
{
    bool pa = a >= LT_INF || b >= LT_INF, na = a <= -LT_INF || b <= -LT_INF;
    if (pa && na)
        return hi ? LT_INF : -LT_INF;
    if (pa)
        return LT_INF;
    if (na)
        return -LT_INF;
    return clampw((kh_lt_wide)a + b);
}

/* a × b as kh_dec_mul rounds it (half away from zero, 0.001). */
static kh_dec mul_bound(kh_dec a, kh_dec b)
{
    if (a == 0 || b == 0)
        return 0;
    if (is_inf(a) || is_inf(b))
        return ((a < 0) != (b < 0)) ? -LT_INF : LT_INF;
    kh_lt_wide p = (kh_lt_wide)a * b;
    kh_lt_wide q = (p < 0 ? -p : p);
    q = (q + KH_DEC_ONE / 2) / KH_DEC_ONE;
    return clampw(p < 0 ? -q : q);
}

static kh_dec gcd_dec(kh_dec a, kh_dec b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        kh_dec t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static kh_lv lv_const(kh_dec c)
{
    kh_lv v = {c, c, c < 0 ? -c : c, false};
    return v;
}

static kh_lv lv_span(kh_dec lo, kh_dec hi, kh_dec g, bool ev)
{
    kh_lv v = {lo, hi, g, ev};
    return v;
}

/* Granularity of c × (multiples of g), as kh_dec_mul computes it. */
static kh_dec mul_gran(kh_dec c, kh_dec g)
{
    if (c == 0 || g == 0)
        return 0;
    kh_lt_wide p = (kh_lt_wide)(c < 0 ? -c : c) * g;
    if (p % KH_DEC_ONE || p / KH_DEC_ONE >= LT_INF)
        return 1;
    return (kh_dec)(p / KH_DEC_ONE);
}

static kh_lv lv_mul(kh_lv a, kh_lv b)
{
    kh_dec c[4] = {mul_bound(a.lo, b.lo), mul_bound(a.lo, b.hi), mul_bound(a.hi, b.lo), mul_bound(a.hi, b.hi)};
    kh_lv r = {c[0], c[0], 1, a.ev || b.ev};
    for (int i = 1; i < 4; i++) {
        r.lo = c[i] < r.lo ? c[i] : r.lo;
        r.hi = c[i] > r.hi ? c[i] : r.hi;
    }
    if (a.lo == a.hi)
        r.g = mul_gran(a.lo, b.g);
    else if (b.lo == b.hi)
        r.g = mul_gran(b.lo, a.g);
    else if (a.g % KH_DEC_ONE == 0 && b.g % KH_DEC_ONE == 0)
        r.g = mul_gran(a.g, b.g);
    if (r.lo == 0 && r.hi == 0)
        r.g = 0;
    return r;
}

static kh_lv lv_div(kh_lv a, kh_lv b)
{
    kh_lv r = {-LT_INF, LT_INF, 1, a.ev || b.ev};
    if (b.lo != b.hi || b.lo == 0 || is_inf(b.lo))
        return r;
    kh_dec x = is_inf(a.lo) ? a.lo : kh_dec_div(a.lo, b.lo);
    kh_dec y = is_inf(a.hi) ? a.hi : kh_dec_div(a.hi, b.lo);
    if (b.lo < 0) {
        kh_dec t = -x;
        x = -y;
        y = t;
    }
    r.lo = x;
    r.hi = y;
    return r;
}

/* ⌊a ÷ b⌋ × 1000 for a ≥ 0, b > 0, else 0. */
static kh_lv lv_steps(kh_lv a, kh_lv b)
{
    kh_lv r = {0, LT_INF, KH_DEC_ONE, a.ev || b.ev};
    if (b.lo <= 0 || is_inf(b.hi))
        return r;
    if (a.lo > 0 && !is_inf(a.lo))
        r.lo = (a.lo / b.hi) * KH_DEC_ONE;
    if (!is_inf(a.hi))
        r.hi = a.hi > 0 ? clampw((kh_lt_wide)(a.hi / b.lo) * KH_DEC_ONE) : 0;
    if (r.hi == 0)
        r.g = 0;
    return r;
}

/* 1000 when the comparison holds: decided when the intervals allow. */
static kh_lv lv_cmp(kh_op op, kh_lv a, kh_lv b)
{
    bool yes = false, no = false;
    switch (op) {
    case KH_OP_LT: yes = a.hi < b.lo; no = a.lo >= b.hi; break;
    case KH_OP_LE: yes = a.hi <= b.lo; no = a.lo > b.hi; break;
    case KH_OP_EQ: yes = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo; no = a.hi < b.lo || b.hi < a.lo; break;
    case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER:
    case KH_OP_MEMBERS: case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
    case KH_OP_MIN: case KH_OP_MAX: case KH_OP_SELECT: case KH_OP_FLOOR: case KH_OP_CAP: case KH_OP_OUT:
        break;
    }
    if (yes)
        return lv_span(KH_DEC_ONE, KH_DEC_ONE, KH_DEC_ONE, a.ev || b.ev);
    if (no)
        return lv_span(0, 0, 0, a.ev || b.ev);
    return lv_span(0, KH_DEC_ONE, KH_DEC_ONE, a.ev || b.ev);
}

static kh_lv lv_join(kh_lv a, kh_lv b)
{
    kh_lv r = {a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi, gcd_dec(a.g, b.g), a.ev || b.ev};
    return r;
}

static kh_lv lv_select(kh_lv c, kh_lv b, kh_lv e)
{
    kh_lv r;
    if (c.lo > 0 || c.hi < 0)
        r = b;
    else if (c.lo == 0 && c.hi == 0)
        r = e;
    else
        r = lv_join(b, e);
    r.ev = r.ev || c.ev;
    return r;
}

static kh_lv lv_minmax(kh_lv a, kh_lv b, bool max)
{
    kh_lv r = {0, 0, gcd_dec(a.g, b.g), a.ev || b.ev};
    if (max) {
        r.lo = a.lo > b.lo ? a.lo : b.lo;
        r.hi = a.hi > b.hi ? a.hi : b.hi;
    } else {
        r.lo = a.lo < b.lo ? a.lo : b.lo;
        r.hi = a.hi < b.hi ? a.hi : b.hi;
    }
    return r;
}

static kh_lv lv_addsub(kh_lv a, kh_lv b, bool sub)
{
    kh_dec blo = sub ? -b.hi : b.lo, bhi = sub ? -b.lo : b.hi;
    kh_lv r = {add_bound(a.lo, blo, false), add_bound(a.hi, bhi, true), gcd_dec(a.g, b.g), a.ev || b.ev};
    return r;
}

/* ------------------------------------------------- reading the tree */

static bool counting_quant(const char *q, size_t n)
{
    static const char *const counts[] = {"次", "项", "項", "起", "篇", "条", "條", "件", "宗", "天", "人",
                                         "个", "個", "名", "本", "户", "戶", "处", "處", "家", "批",
                                         "例", "场", "場", "轮", "輪", "人次", "篇次", "期", "位"};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        if (strlen(counts[k]) == n && memcmp(q, counts[k], n) == 0)
            return true;
    return false;
}

/* The item a clause belongs to: the clause with this span, or NULL. */
static const kh_clause *clause_at(const kh_item *it, kh_span sp)
{
    for (int i = 0; it && i < it->nclauses; i++)
        if (it->clauses[i].span.off == sp.off && it->clauses[i].span.len == sp.len)
            return &it->clauses[i];
    return NULL;
}

/* Σ 数量 read by a clause: whole (1000) or possibly fractional (1). */
static kh_dec sum_gran(const kh_lt *lt, const kh_ins *p)
{
    if (p->owner < 0 || p->owner >= lt->nitems)
        return 1;
    const kh_clause *c = clause_at(lt->items[p->owner], p->span);
    if (!c || c->kind != KH_CL_PER || c->step.pct || c->step.points)
        return 1;
    if (!c->step.quant || counting_quant(c->step.quant, strlen(c->step.quant)))
        return KH_DEC_ONE;
    return 1;
}

static kh_lv lv_measure(const kh_lt *lt, const kh_ins *p)
{
    const kh_ir *ir = lt->ir;
    switch (p->op) {
    case KH_OP_SUM:
        return lv_span(0, LT_INF, sum_gran(lt, p), true);
    case KH_OP_COUNT:
    case KH_OP_MEMBERS:
        return lv_span(0, LT_INF, KH_DEC_ONE, true);
    case KH_OP_MEAN: {
        const kh_measure *m = p->imm >= 0 && p->imm < ir->nmeasures ? &ir->measures[p->imm] : NULL;
        if (m && m->has_range)
            return lv_span(m->lo < 0 ? m->lo : 0, m->hi > 0 ? m->hi : 0, 1, true);
        return lv_span(0, LT_INF, 1, true);
    }
    case KH_OP_TIER: {
        kh_lv r = lv_span(0, 0, 0, true);
        const kh_tiertab *t = p->imm >= 0 && p->imm < ir->ntiers ? &ir->tiers[p->imm] : NULL;
        for (int32_t l = 0; t && t->amount && l < ir->nlevels && l < 64; l++)
            if (t->amount[l] > 0) {
                r.hi = LT_INF;
                r.g = gcd_dec(r.g, t->amount[l]);
            }
        return r;
    }
    case KH_OP_ATTR:
        return lv_span(0, LT_INF, p->imm == KH_ATTR_SIZE ? KH_DEC_ONE : 1, false);
    case KH_OP_CONST: case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
    case KH_OP_MIN: case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: case KH_OP_SELECT:
    case KH_OP_FLOOR: case KH_OP_CAP: case KH_OP_OUT:
        break;
    }
    return lv_span(-LT_INF, LT_INF, 1, true);
}

static kh_lv reg(const kh_lt *lt, int32_t r, int32_t before)
{
    if (r < 0 || r >= before)
        return lv_const(0);
    return lt->v[r];
}

static kh_lv lv_ins(const kh_lt *lt, int32_t i)
{
    const kh_ins *p = &lt->ir->ins[i];
    kh_lv a = reg(lt, p->a, i), b = reg(lt, p->b, i), c = reg(lt, p->c, i);
    switch (p->op) {
    case KH_OP_CONST: return lv_const(p->imm);
    case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR: case KH_OP_TIER: case KH_OP_MEMBERS:
        return lv_measure(lt, p);
    case KH_OP_ADD: return lv_addsub(a, b, false);
    case KH_OP_SUB: return lv_addsub(a, b, true);
    case KH_OP_MUL: return lv_mul(a, b);
    case KH_OP_DIV: return lv_div(a, b);
    case KH_OP_STEPS: return lv_steps(a, b);
    case KH_OP_MIN: case KH_OP_CAP: return lv_minmax(a, b, false);
    case KH_OP_MAX: return lv_minmax(a, b, true);
    case KH_OP_FLOOR: return lv_minmax(a, lv_const(0), true);
    case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: return lv_cmp(p->op, a, b);
    case KH_OP_SELECT: return lv_select(a, b, c);
    case KH_OP_OUT: return a;
    }
    return lv_span(-LT_INF, LT_INF, 1, true);
}

/* The register an output slot receives, or −1. */
static int32_t out_reg(const kh_lt *lt, int32_t col)
{
    for (int32_t i = 0; col >= 0 && i < lt->ir->nins; i++)
        if (lt->ir->ins[i].op == KH_OP_OUT && lt->ir->ins[i].imm == col)
            return lt->ir->ins[i].a;
    return -1;
}

/* The value an item or section reaches (its OUT with that note), or NULL. */
static const kh_lv *owner_value(const kh_lt *lt, kh_note note, int32_t owner)
{
    int k = note == KH_N_SECTION ? 1 : 0;
    int32_t n = k ? lt->ir->nsections : lt->ir->nitems;
    if ((note != KH_N_ITEM && note != KH_N_SECTION) || owner < 0 || owner >= n || !lt->out_reg[k])
        return NULL;
    int32_t r = lt->out_reg[k][owner];
    return r >= 0 ? &lt->v[r] : NULL;
}

/* ------------------------------------------------------------- points */

typedef struct kh_pts {
    bool has;
    kh_dec p;
} kh_pts;

/* What an item is worth, read as lower.c reads it. */
static kh_pts item_points(const kh_item *it)
{
    kh_pts r = {false, 0};
    if (it->attrs.has_full)
        r = (kh_pts){true, it->attrs.full};
    else if (it->attrs.has_base)
        r = (kh_pts){true, it->attrs.base};
    else if (it->attrs.has_range && it->attrs.range.has_hi)
        r = (kh_pts){true, it->attrs.range.hi};
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_FULL && c->range.has_hi)
            r = (kh_pts){true, c->range.hi};
        if (c->kind == KH_CL_EVALUATOR && c->range.has_hi && !r.has)
            r = (kh_pts){true, c->range.hi};
    }
    return r;
}

/* The span that states an item's points, for underlining. */
static kh_span item_points_span(const kh_item *it)
{
    if (it->attrs.has_full && it->attrs.full_span.len)
        return it->attrs.full_span;
    if (it->attrs.has_base && it->attrs.base_span.len)
        return it->attrs.base_span;
    return item_span(it);
}


static bool item_earning(const kh_item *it)
{
    for (int i = 0; i < it->nclauses; i++)
        if (kh_clause_earns(&it->clauses[i]))
            return true;
    return false;
}

/* An item's share of its section: its points, rescaled by 折合/按N%计入. */
static kh_dec item_share(const kh_item *it, kh_dec p)
{
    const kh_clause *scale = NULL;
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_SCALE)
            scale = &it->clauses[i];
    if (!scale)
        return p;
    if (scale->scale_pct)
        return kh_dec_mul(kh_dec_mul(p, scale->scale), 10);
    return p ? scale->scale : p;
}

static bool sec_declared(const kh_section *sec, kh_dec *out)
{
    if (sec->attrs.has_full) {
        *out = sec->attrs.full;
        return true;
    }
    if (sec->attrs.has_base) {
        *out = sec->attrs.base;
        return true;
    }
    return false;
}

static kh_span sec_points_span(const kh_section *sec)
{
    if (sec->attrs.has_full && sec->attrs.full_span.len)
        return sec->attrs.full_span;
    if (sec->attrs.has_base && sec->attrs.base_span.len)
        return sec->attrs.base_span;
    return sec->span;
}

static kh_dec sec_worth(const kh_section *sec, bool *carries);
static bool already_reported(const kh_lt *lt, kh_span sp);
static bool item_worth(const kh_item *it, kh_dec *out);

/* Σ of the children's points; *carries when any child has points. */
static kh_dec sec_children(const kh_section *sec, bool *carries)
{
    kh_dec sum = 0;
    *carries = false;
    for (int i = 0; i < sec->nitems; i++) {
        kh_dec w;
        if (item_worth(&sec->items[i], &w))
            sum += w;
        if (item_points(&sec->items[i]).has)
            *carries = true;
    }
    for (int i = 0; i < sec->nsubs; i++) {
        bool c = false;
        sum += sec_worth(&sec->subs[i], &c);
        *carries = *carries || c;
    }
    return sum;
}

/* What a section is worth: its declared number, else its children's sum. */
static kh_dec sec_worth(const kh_section *sec, bool *carries)
{
    kh_dec decl;
    if (sec_declared(sec, &decl)) {
        *carries = true;
        return decl;
    }
    return sec_children(sec, carries);
}

/* 分值不符: a section's declared points against its children's. */
static void lint_section_sum(kh_lt *lt, const kh_section *sec)
{
    kh_dec decl;
    bool carries = false;
    if (!sec->bonus && sec_declared(sec, &decl)) {
        kh_dec sum = sec_children(sec, &carries);
        if (carries && sum != decl) {
            char a[48], b[48];
            fmt_dec(decl, a, sizeof a);
            fmt_dec(sum, b, sizeof b);
            finding(lt, KH_WARNING, &m_sec_sum, C_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
        }
    }
    for (int i = 0; i < sec->nsubs; i++)
        lint_section_sum(lt, &sec->subs[i]);
}

/* 分值不符: 满分 against the sections (bonus sections excluded). */
static void lint_full(kh_lt *lt)
{
    const kh_scheme *s = lt->s;
    if (!s->has_full || !s->nsections)
        return;
    kh_dec sum = s->has_base ? s->base : 0;
    for (int i = 0; i < s->nsections; i++) {
        bool c = false;
        if (!s->sections[i].bonus)
            sum += sec_worth(&s->sections[i], &c);
    }
    if (sum != s->full) {
        char a[48], b[48];
        fmt_dec(s->full, a, sizeof a);
        fmt_dec(sum, b, sizeof b);
        finding(lt, KH_WARNING, &m_full_sum, C_POINTS, s->full_span.len ? s->full_span : s->name_span, a, b, NULL,
                NULL);
    }
}

/* ------------------------------------------------ integer lattices */

/* Values are multiples of g; a lattice interval [lo, hi] of indexes k
 * stands for the values k·g.  K_NEG/K_POS: unbounded. */
#define K_POS (INT64_MAX / 4)
#define K_NEG (-K_POS)

typedef struct kh_kiv {
    int64_t lo, hi;
} kh_kiv;

typedef struct kh_kset {
    kh_kiv v[LT_MAXIV];
    int tag[LT_MAXIV];          /* who put it there (band or grade index) */
    int n;
} kh_kset;

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return -floor_div(-a, b);
}

static kh_kiv kiv_of_range(const kh_range *r, kh_dec g)
{
    kh_kiv k = {K_NEG, K_POS};
    if (r->has_lo) {
        k.lo = ceil_div(r->lo, g);
        if (!r->lo_incl && k.lo * g == r->lo)
            k.lo++;
    }
    if (r->has_hi) {
        k.hi = floor_div(r->hi, g);
        if (!r->hi_incl && k.hi * g == r->hi)
            k.hi--;
    }
    return k;
}

static kh_kiv kiv_of_lv(kh_lv v, kh_dec g)
{
    kh_kiv k = {v.lo <= -LT_INF ? K_NEG : ceil_div(v.lo, g), v.hi >= LT_INF ? K_POS : floor_div(v.hi, g)};
    return k;
}

static kh_kiv kiv_meet(kh_kiv a, kh_kiv b)
{
    kh_kiv r = {a.lo > b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi};
    return r;
}

static bool kiv_empty(kh_kiv k)
{
    return k.lo > k.hi;
}

static void kset_add(kh_kset *s, kh_kiv k, int tag)
{
    if (!kiv_empty(k) && s->n < LT_MAXIV) {
        s->v[s->n] = k;
        s->tag[s->n++] = tag;
    }
}

static void kset_sort(kh_kset *s)
{
    for (int i = 1; i < s->n; i++)
        for (int j = i; j > 0 && s->v[j].lo < s->v[j - 1].lo; j--) {
            kh_kiv t = s->v[j];
            int tg = s->tag[j];
            s->v[j] = s->v[j - 1];
            s->tag[j] = s->tag[j - 1];
            s->v[j - 1] = t;
            s->tag[j - 1] = tg;
        }
}

/* The parts of dom that nothing in cover covers, in order. */
static void kset_gaps(const kh_kset *cover, kh_kiv dom, kh_kset *gaps)
{
    kh_kset c = *cover;
    kset_sort(&c);
    gaps->n = 0;
    int64_t cur = dom.lo;
    for (int i = 0; i < c.n && cur <= dom.hi; i++) {
        if (c.v[i].lo > cur) {
            kh_kiv g = {cur, c.v[i].lo - 1 < dom.hi ? c.v[i].lo - 1 : dom.hi};
            kset_add(gaps, g, -1);
        }
        if (c.v[i].hi >= cur)
            cur = c.v[i].hi >= K_POS ? K_POS + 1 : c.v[i].hi + 1;
    }
    if (cur <= dom.hi)
        kset_add(gaps, (kh_kiv){cur, dom.hi}, -1);
}

static kh_dec lcm_dec(kh_dec a, kh_dec b)
{
    kh_dec g = gcd_dec(a, b);
    kh_lt_wide l = (kh_lt_wide)(a / g) * b;
    return l >= LT_INF / 1000 ? 0 : (kh_dec)l;
}

/* The plainest value of the lattice interval k: the first whole number in
 * it, else the first half, tenth, hundredth, thousandth.  Counting down
 * from the top when it is unbounded below. */
static kh_dec nice_value(kh_kiv k, kh_dec g)
{
    static const kh_dec steps[] = {1000, 500, 100, 10, 1};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        kh_dec st = lcm_dec(steps[i], g);
        if (!st)
            continue;
        if (k.lo <= K_NEG && k.hi >= K_POS)
            return 0;
        if (k.lo <= K_NEG)
            return floor_div(k.hi * g, st) * st;
        kh_dec v = ceil_div(k.lo * g, st) * st;
        if (k.hi >= K_POS || v <= k.hi * g)
            return v;
    }
    return k.lo > K_NEG ? k.lo * g : k.hi * g;
}

/* ------------------------------------------------------ statutory */

/* 以下 and A至B include their upper bound unless 分数上限不含本数
 * (lower.c statutory()). */
static kh_range statutory(const kh_scheme *s, kh_range r)
{
    if (s->upper_exclusive && r.has_hi && r.hi_incl && !(r.has_lo && r.lo == r.hi))
        r.hi_incl = false;
    return r;
}

/* ---------------------------------------------------------- bands */

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

static bool clause_is_rate(const kh_clause *c)
{
    if (c->range.pct || c->step.pct || c->step.points)
        return true;
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].value.pct)
            return true;
    return false;
}

static bool is_numeral_at(const char *t, size_t n, size_t i, size_t *w)
{
    static const char *const cn[] = {"一", "二", "两", "兩", "三", "四", "五", "六", "七", "八", "九",
                                     "十", "百", "千", "万", "萬", "零", "〇", "．"};
    if ((t[i] >= '0' && t[i] <= '9') || t[i] == '.') {
        *w = 1;
        return true;
    }
    if (i + 3 <= n && (unsigned char)t[i] == 0xEF && (unsigned char)t[i + 1] == 0xBC &&
        (unsigned char)t[i + 2] >= 0x90 && (unsigned char)t[i + 2] <= 0x99) {
        *w = 3;
        return true;
    }
    for (size_t k = 0; k < sizeof cn / sizeof cn[0]; k++)
        if (i + strlen(cn[k]) <= n && memcmp(t + i, cn[k], strlen(cn[k])) == 0) {
            *w = strlen(cn[k]);
            return true;
        }
    return false;
}

/* Connectives that may follow a number in a range: 70%至79%, 3次以上. */
static bool range_connective(const char *t, size_t n)
{
    static const char *const ok[] = {"%", "％", "至", "-", "—", "－", "~", "～", "以", "及", "到"};
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
        if (strlen(ok[k]) <= n && memcmp(t, ok[k], strlen(ok[k])) == 0)
            return true;
    return false;
}

/* Whether the numbers in a range's text are counted (3次以上: 1) or
 * measured (1万字, 2小时: −1), or carry no 量词 (0); the 量词 goes to q. */
static int range_counting(const kh_lt *lt, kh_span sp, char *q, size_t qcap)
{
    const char *t = lt->s->src->text + sp.off;
    size_t n = sp.len, i = 0, w;
    int res = 0;
    while (i < n) {
        if (!is_numeral_at(t, n, i, &w)) {
            i++;
            continue;
        }
        while (i < n && is_numeral_at(t, n, i, &w))
            i += w;
        if (i >= n)
            break;
        size_t cl = ((unsigned char)t[i] < 0x80) ? 1 : ((unsigned char)t[i] < 0xE0) ? 2 : 3;
        bool c2 = cl == 3 && i + 6 <= n && counting_quant(t + i, 6);
        bool c1 = !c2 && i + cl <= n && counting_quant(t + i, cl);
        if (c1 || c2) {
            if (q[0] == 0)
                snprintf(q, qcap, "%.*s", (int)(c2 ? 6 : cl), t + i);
            res = res < 0 ? -1 : 1;
        } else if (!range_connective(t + i, n - i)) {
            res = -1;
        }
    }
    return res;
}

static kh_range range_of_cmp(kh_cmp c, kh_dec v, bool pct)
{
    kh_range r = {0};
    r.pct = pct;
    switch (c) {
    case KH_CMP_GE: r.has_lo = r.lo_incl = true; r.lo = v; break;
    case KH_CMP_GT: r.has_lo = true; r.lo = v; break;
    case KH_CMP_LE: r.has_hi = r.hi_incl = true; r.hi = v; break;
    case KH_CMP_LT: r.has_hi = true; r.hi = v; break;
    case KH_CMP_EQ:
        r.has_lo = r.has_hi = r.lo_incl = r.hi_incl = true;
        r.lo = r.hi = v;
        break;
    }
    return r;
}

/* The values a band or threshold applies to, as the lowering tests them:
 * a range under the statutory rule, or the default alternative's
 * comparison (alternatives are compared as written). */
static kh_range clause_range(const kh_scheme *s, const kh_clause *c)
{
    if (!c->nalts)
        return statutory(s, c->range);
    int d = 0;
    for (int i = 0; i < c->nalts; i++)
        if (c->alts[i].who_kind == KH_WHO_DEFAULT) {
            d = i;
            break;
        }
    return range_of_cmp(c->alts[d].cmp, c->alts[d].value.value, c->alts[d].value.pct);
}

static void bands_scale(kh_lt *lt, kh_bands *b)
{
    int counting = 1;
    bool any_quant = false;
    for (int i = 0; i < b->n; i++) {
        int rc = range_counting(lt, b->c[i]->range.span, b->quant, sizeof b->quant);
        if (rc < 0)
            counting = -1;
        else if (rc > 0)
            any_quant = true;
    }
    b->g = (!b->pct && counting > 0 && any_quant) ? KH_DEC_ONE : 1;
    if (b->pct)
        b->quant[0] = 0;
}

static void bands_collect(kh_lt *lt, const kh_item *it, kh_bands *b)
{
    memset(b, 0, sizeof *b);
    b->it = it;
    b->pts = item_points(it);
    for (int i = 0; i < it->nclauses && b->n < LT_MAXIV; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_BAND) {
            b->c[b->n++] = c;
            b->pct = b->pct || clause_is_rate(c);
        }
    }
    bands_scale(lt, b);
    for (int i = 0; i < b->n; i++) {
        kh_range r = clause_range(lt->s, b->c[i]);
        b->k[i] = kiv_of_range(&r, b->g);
    }
    for (int i = 0; b->n && i < it->nclauses && b->nextra < LT_MAXIV; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_THRESHOLD && c->neffects && clause_is_rate(c) == b->pct) {
            kh_range r = clause_range(lt->s, c);
            b->xc[b->nextra] = c;
            b->extra[b->nextra++] = kiv_of_range(&r, b->g);
        }
    }
}

/* "比率为79.5%" / "数量为6次" */
static void band_value_text(const kh_bands *b, kh_dec v, char *buf, size_t cap)
{
    char num[48];
    fmt_value(v, b->pct, num, sizeof num);
    snprintf(buf, cap, "%s为%s%s", b->pct ? "比率" : "数量", num, b->pct ? "" : b->quant);
}

/* What a band gives, comparable between bands: kind and amount. */
static void band_result(const kh_clause *c, kh_dec p, int *kind, kh_dec *amount)
{
    *kind = KH_EFF_SET;
    *amount = 0;
    if (!c->neffects)
        return;
    const kh_effect *e = &c->effects[0];
    switch (e->kind) {
    case KH_EFF_SET: *amount = e->amount; break;
    case KH_EFF_FULL: *amount = p; break;
    case KH_EFF_ZERO: break;
    case KH_EFF_PROPORTIONAL: *kind = KH_EFF_PROPORTIONAL; break;
    case KH_EFF_DEDUCT: case KH_EFF_ADD: *amount = e->amount; break;
    }
}

static void band_result_text(const kh_bands *b, const kh_clause *c, char *buf, size_t cap)
{
    int kind;
    kh_dec amount;
    band_result(c, b->pts.p, &kind, &amount);
    if (kind == KH_EFF_PROPORTIONAL) {
        snprintf(buf, cap, "按系数计算");
        return;
    }
    char num[32];
    fmt_dec(amount, num, sizeof num);
    snprintf(buf, cap, "%s分", num);
}

/* Lowest and highest lattice index any band reaches. */
static kh_kiv bands_hull(const kh_bands *b)
{
    kh_kiv h = {K_POS, K_NEG};
    for (int i = 0; i < b->n; i++) {
        h.lo = b->k[i].lo < h.lo ? b->k[i].lo : h.lo;
        h.hi = b->k[i].hi > h.hi ? b->k[i].hi : h.hi;
    }
    return h;
}

/* The interval checked for gaps: from the lowest band (never below 0) to
 * the highest one, and up to 100% on a rate. */
static kh_kiv bands_domain(const kh_bands *b)
{
    kh_kiv d = bands_hull(b);
    if (d.lo < 0)
        d.lo = 0;
    if (b->pct) {
        int64_t full = floor_div(100 * KH_DEC_ONE, b->g);
        if (d.hi >= K_POS)
            d.hi = full;
        else if (d.hi < full)
            d.hi = full;
    }
    return d;
}

/* The band or threshold whose range ends just below (above) a gap. */
static const kh_clause *gap_neighbour(const kh_bands *b, kh_kiv gap, bool above)
{
    const kh_clause *best = NULL;
    int64_t at = 0;
    for (int i = 0; i < b->n + b->nextra; i++) {
        kh_kiv k = i < b->n ? b->k[i] : b->extra[i - b->n];
        const kh_clause *c = i < b->n ? b->c[i] : b->xc[i - b->n];
        if (!above && k.hi < gap.lo && (!best || k.hi > at)) {
            best = c;
            at = k.hi;
        }
        if (above && k.lo > gap.hi && (!best || k.lo < at)) {
            best = c;
            at = k.lo;
        }
    }
    return best;
}

/* 「70%至79%」与「80%以上」之间 */
static void gap_describe(const kh_lt *lt, const kh_bands *b, kh_kiv gap, char *buf, size_t cap)
{
    const kh_clause *below = gap_neighbour(b, gap, false), *above = gap_neighbour(b, gap, true);
    char lo[96] = "", hi[96] = "";
    if (below)
        span_text(lt, below->nalts ? below->alts[0].span : below->range.span, lo, sizeof lo);
    if (above)
        span_text(lt, above->nalts ? above->alts[0].span : above->range.span, hi, sizeof hi);
    if (below && above)
        snprintf(buf, cap, "「%s」与「%s」之间", lo, hi);
    else if (below)
        snprintf(buf, cap, "「%s」以上%s", lo, b->pct ? "至100%" : "");
    else
        snprintf(buf, cap, "「%s」以下", hi);
}

/* 区间空缺: a value between the bands that no band (nor threshold beside
 * them) covers.  One finding per table; the message lists the gaps. */
static void lint_band_gaps(kh_lt *lt, const kh_bands *b)
{
    if (b->n < 2)
        return;
    kh_kset cover = {0}, gaps = {0};
    for (int i = 0; i < b->n; i++)
        kset_add(&cover, b->k[i], i);
    for (int i = 0; i < b->nextra; i++)
        kset_add(&cover, b->extra[i], -1);
    kset_gaps(&cover, bands_domain(b), &gaps);
    if (!gaps.n)
        return;
    char where[600] = "", one[256], cx[160], val[96];
    size_t w = 0;
    for (int i = 0; i < gaps.n && i < 6; i++) {
        gap_describe(lt, b, gaps.v[i], one, sizeof one);
        int k = snprintf(where + w, sizeof where - w, "%s%s", i ? "；" : "", one);
        if (k < 0 || (size_t)k >= sizeof where - w)
            break;
        w += (size_t)k;
    }
    band_value_text(b, nice_value(gaps.v[0], b->g), val, sizeof val);
    snprintf(cx, sizeof cx, "%s时不属于任何区间", val);
    kh_span sp = span_join(b->c[0]->span, b->c[b->n - 1]->span);
    finding(lt, KH_ERROR, &m_band_gap, C_GAP, sp, b->it->label, where, NULL, cx);
}

static bool same_band_result(const kh_bands *b, int i, int j)
{
    int ki, kj;
    kh_dec ai, aj;
    band_result(b->c[i], b->pts.p, &ki, &ai);
    band_result(b->c[j], b->pts.p, &kj, &aj);
    return ki == kj && ai == aj;
}

/* Two ranges both open on the same side: the usual first-match cascade. */
static bool cascade(const kh_range *x, const kh_range *y)
{
    return (!x->has_hi && !y->has_hi) || (!x->has_lo && !y->has_lo);
}

static void band_overlap(kh_lt *lt, const kh_bands *b, int i, int j, kh_kiv both)
{
    char ti[96], tj[96], vi[64], vj[64], val[96], cx[320];
    span_text(lt, b->c[i]->range.span, ti, sizeof ti);
    span_text(lt, b->c[j]->range.span, tj, sizeof tj);
    band_result_text(b, b->c[i], vi, sizeof vi);
    band_result_text(b, b->c[j], vj, sizeof vj);
    band_value_text(b, nice_value(both, b->g), val, sizeof val);
    snprintf(cx, sizeof cx, "%s时同时属于两档，分别得%s和%s", val, vi, vj);
    finding(lt, KH_ERROR, &m_band_overlap, C_OVERLAP, b->c[j]->span, b->it->label, ti, tj, cx);
}

/* 区间重叠: two bands that give different values to one value. */
static void lint_band_overlaps(kh_lt *lt, const kh_bands *b)
{
    kh_kiv nonneg = {0, K_POS};
    for (int j = 1; j < b->n; j++)
        for (int i = 0; i < j; i++) {
            kh_kiv both = kiv_meet(kiv_meet(b->k[i], b->k[j]), nonneg);
            if (kiv_empty(both) || same_band_result(b, i, j))
                continue;
            if (both.lo != both.hi && cascade(&b->c[i]->range, &b->c[j]->range))
                continue;
            band_overlap(lt, b, i, j, both);
            break;
        }
}

/* ------------------------------------------------ earning an item */

/* What one band gives at most (proportional: points × its top rate). */
static kh_dec band_amount(const kh_clause *c, kh_dec p)
{
    int kind;
    kh_dec v;
    band_result(c, p, &kind, &v);
    if (kind == KH_EFF_PROPORTIONAL)
        v = (c->range.has_hi && c->range.hi <= 100 * KH_DEC_ONE) ? kh_dec_mul(kh_dec_mul(p, c->range.hi), 10) : p;
    return v;
}

/* What one earning clause other than a band gives at most. */
static kh_dec earn_amount(const kh_item *it, const kh_clause *c, kh_dec p)
{
    kh_dec v = 0;
    if (c->kind == KH_CL_ALL_OR_NONE) {
        v = (c->neffects && c->effects[0].kind == KH_EFF_SET) ? c->effects[0].amount : p;
    } else if (c->kind == KH_CL_EVALUATOR) {
        const kh_range *r = c->range.has_hi ? &c->range : &it->attrs.range;
        v = r->has_hi ? r->hi : p;
    } else if (c->kind == KH_CL_THRESHOLD) {
        for (int k = 0; k < c->neffects; k++)
            if (c->effects[k].kind == KH_EFF_SET)
                v += c->effects[k].amount;
    }
    return v;
}

/* The most an item's earning clauses give: the best band (the first
 * matching band wins, so only one counts) plus every all-or-nothing,
 * evaluator and 得N分 threshold. */
static kh_dec earn_max(const kh_item *it, kh_dec p)
{
    kh_dec best = 0, sum = 0;
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        if (c->kind == KH_CL_BAND) {
            kh_dec v = band_amount(c, p);
            best = v > best ? v : best;
        } else if (kh_clause_earns(c)) {
            sum += earn_amount(it, c, p);
        }
    }
    return best + sum;
}

/* An item's worth for its section's sum: its points, else what its
 * earning clauses give; false when it has neither. */
static bool item_worth(const kh_item *it, kh_dec *out)
{
    kh_pts p = item_points(it);
    if (p.has) {
        *out = item_share(it, p.p);
        return true;
    }
    if (item_earning(it)) {
        *out = earn_max(it, 0);
        return true;
    }
    return false;
}

/* 超出分值: one clause alone gives more than the item is worth. */
static void over_item(kh_lt *lt, const kh_clause *c, kh_dec amount, kh_dec p, const char *what)
{
    char txt[160], a[48], b[48], cx[256];
    span_text(lt, c->span, txt, sizeof txt);
    fmt_dec(amount, a, sizeof a);
    fmt_dec(p, b, sizeof b);
    if (what)
        snprintf(cx, sizeof cx, "%s时得%s分，超过本项分值%s分", what, a, b);
    finding(lt, KH_ERROR, &m_over_item, C_EXCESS, c->span, txt, a, b, what ? cx : NULL);
}

/* A value a band or threshold applies to, as the counterexample says it. */
static void clause_example(kh_lt *lt, const kh_bands *b, const kh_clause *c, char *buf, size_t cap)
{
    kh_bands one = *b;
    if (!b->n) {
        one.n = 1;
        one.c[0] = c;
        one.pct = clause_is_rate(c);
        bands_scale(lt, &one);
    }
    kh_range r = clause_range(lt->s, c);
    kh_kiv k = kiv_of_range(&r, one.g), in = kiv_meet(k, (kh_kiv){0, K_POS});
    band_value_text(&one, nice_value(kiv_empty(in) ? k : in, one.g), buf, cap);
}

/* Each clause that alone gives more than the item's points p. */
static bool over_clauses(kh_lt *lt, const kh_bands *b, kh_dec p)
{
    bool over = false;
    const kh_item *it = b->it;
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        kh_dec v = 0;
        bool ranged = c->kind == KH_CL_BAND || c->kind == KH_CL_THRESHOLD;
        if (c->kind == KH_CL_BAND)
            v = band_amount(c, p);
        else if (kh_clause_earns(c))
            v = earn_amount(it, c, p);
        if (v <= p)
            continue;
        char what[96];
        if (ranged)
            clause_example(lt, b, c, what, sizeof what);
        over_item(lt, c, v, p, ranged ? what : NULL);
        over = true;
    }
    return over;
}

static void item_points_differ(kh_lt *lt, const kh_item *it, kh_dec p, kh_dec max)
{
    char a[48], c[48];
    fmt_dec(p, a, sizeof a);
    fmt_dec(max, c, sizeof c);
    finding(lt, KH_WARNING, max < p ? &m_earn_low : &m_earn_high, C_POINTS, item_points_span(it), it->label, a, c,
            NULL);
}

/* 超出分值 / 分值不符 on an item with points: one clause worth more than
 * the item; earning clauses that cannot reach, or overshoot, its points. */
static void lint_item_earning(kh_lt *lt, const kh_item *it)
{
    kh_bands b;
    bands_collect(lt, it, &b);
    lint_band_gaps(lt, &b);
    lint_band_overlaps(lt, &b);
    if (!b.pts.has)
        return;
    if (over_clauses(lt, &b, b.pts.p) || !item_earning(it))
        return;
    kh_dec max = earn_max(it, b.pts.p);
    if (max > b.pts.p || (!lt->ir && max < b.pts.p))
        item_points_differ(lt, it, b.pts.p, max);
}

/* ---------------------------------------------------- bonus vs cap */

typedef struct kh_cap {
    bool has;
    kh_dec cap;
    const char *name;           /* the scope's title or label */
} kh_cap;

static kh_cap item_cap(const kh_item *it)
{
    kh_cap c = {it->attrs.has_cap, it->attrs.cap, it->label};
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_CAP && it->clauses[i].range.has_hi) {
            c.has = true;
            c.cap = it->clauses[i].range.hi;
        }
    return c;
}

/* The nearest cap (item, sub-section, section) that amount exceeds. */
static const kh_cap *cap_exceeded(const kh_cap *caps, int n, kh_dec amount)
{
    for (int i = 0; i < n; i++)
        if (caps[i].has && amount > caps[i].cap)
            return &caps[i];
    return NULL;
}

static void over_cap(kh_lt *lt, const kh_cap *caps, int n, kh_dec amount, kh_span sp)
{
    const kh_cap *c = cap_exceeded(caps, n, amount);
    if (!c)
        return;
    char a[48], b[48];
    fmt_dec(amount, a, sizeof a);
    fmt_dec(c->cap, b, sizeof b);
    finding(lt, KH_WARNING, &m_over_cap, C_EXCESS, sp, a, c->name, b, NULL);
}

/* Is this effect an addition under the lowering? */
static bool adds(const kh_clause *c, const kh_effect *e, bool earning)
{
    if (e->kind == KH_EFF_ADD)
        return c->kind == KH_CL_PER || c->kind == KH_CL_THRESHOLD || c->kind == KH_CL_EXCESS ||
               c->kind == KH_CL_SHORTFALL || c->kind == KH_CL_MISSING;
    if (e->kind == KH_EFF_SET)
        return c->kind == KH_CL_PER || (c->kind == KH_CL_THRESHOLD && !earning);
    return false;
}

static void lint_item_caps(kh_lt *lt, const kh_item *it, const kh_cap *outer, int nouter)
{
    kh_cap caps[4];
    int n = 0;
    caps[n++] = item_cap(it);
    for (int i = 0; i < nouter && n < 4; i++)
        caps[n++] = outer[i];
    bool earning = item_earning(it);
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        for (int k = 0; k < c->neffects; k++)
            if (adds(c, &c->effects[k], earning))
                over_cap(lt, caps, n, c->effects[k].amount, c->effects[k].span);
        for (int k = 0; c->kind == KH_CL_TIER && k < c->ntiers; k++)
            over_cap(lt, caps, n, c->tiers[k].amount, c->tiers[k].span);
    }
}

/* ------------------------------------------------------ the tree walk */

static void lint_items_in(kh_lt *lt, const kh_section *sec, const kh_cap *outer, int nouter)
{
    kh_cap caps[3];
    int n = 0;
    caps[n++] = (kh_cap){sec->attrs.has_cap, sec->attrs.cap, sec->title};
    for (int i = 0; i < nouter && n < 3; i++)
        caps[n++] = outer[i];
    for (int i = 0; i < sec->nitems; i++) {
        lint_item_earning(lt, &sec->items[i]);
        lint_item_caps(lt, &sec->items[i], caps, n);
    }
    for (int i = 0; i < sec->nsubs; i++)
        lint_items_in(lt, &sec->subs[i], caps, n);
}

/* --------------------------------------------------- caps and floors */

static bool has_deduction(const kh_item *it)
{
    for (int i = 0; i < it->nclauses; i++)
        for (int k = 0; k < it->clauses[i].neffects; k++)
            if (it->clauses[i].effects[k].kind == KH_EFF_DEDUCT)
                return true;
    return false;
}

static bool sec_has_deduction(const kh_section *sec)
{
    for (int i = 0; i < sec->nitems; i++)
        if (has_deduction(&sec->items[i]))
            return true;
    for (int i = 0; i < sec->nsubs; i++)
        if (sec_has_deduction(&sec->subs[i]))
            return true;
    return false;
}

static const kh_clause *floor_clause(const kh_item *it)
{
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_FLOOR)
            return &it->clauses[i];
    return NULL;
}

/* 超出分值: 扣完为止 said on something with no deduction. */
static void lint_floors_in(kh_lt *lt, const kh_section *sec)
{
    if (sec->attrs.floor && !sec_has_deduction(sec))
        finding(lt, KH_WARNING, &m_floor_idle, C_EXCESS, sec->span, sec->title, NULL, NULL, NULL);
    for (int i = 0; i < sec->nitems; i++) {
        const kh_item *it = &sec->items[i];
        const kh_clause *fc = floor_clause(it);
        if ((fc || it->attrs.floor) && !has_deduction(it))
            finding(lt, KH_WARNING, &m_floor_idle, C_EXCESS, fc ? fc->span : item_span(it), it->label, NULL, NULL,
                    NULL);
    }
    for (int i = 0; i < sec->nsubs; i++)
        lint_floors_in(lt, &sec->subs[i]);
}

/* Where an item's cap was written. */
static kh_span item_cap_span(const kh_item *it)
{
    kh_span sp = it->attrs.has_cap ? it->attrs.cap_span : item_span(it);
    for (int i = 0; i < it->nclauses; i++)
        if (it->clauses[i].kind == KH_CL_CAP)
            sp = it->clauses[i].span;
    return sp.len ? sp : item_span(it);
}

/* Is the CAP at i the bound of a 满分 (the last cap of an item or section
 * that declares 满分), rather than a cap on additions? */
static bool full_cap(const kh_lt *lt, int32_t i)
{
    const kh_ins *p = &lt->ir->ins[i];
    if (p->op != KH_OP_CAP || p->owner < 0)
        return false;
    if (p->note == KH_N_CAP && (p->owner >= lt->nitems || !lt->items[p->owner]->attrs.has_full))
        return false;
    if (p->note == KH_N_SEC_CAP && (p->owner >= lt->nsecs || !lt->secs[p->owner]->attrs.has_full))
        return false;
    if (p->note != KH_N_CAP && p->note != KH_N_SEC_CAP)
        return false;
    int k = p->note == KH_N_SEC_CAP ? 1 : 0;
    return lt->last_cap[k] && lt->last_cap[k][p->owner] == i;
}

/* What an item or section reaches before its 满分 bounds it. */
static const kh_lv *value_unbounded(const kh_lt *lt, kh_note note, int32_t owner)
{
    int k = note == KH_N_ITEM ? 0 : 1;
    int32_t n = k ? lt->ir->nsections : lt->ir->nitems;
    if (owner >= 0 && owner < n && lt->last_cap[k]) {
        int32_t i = lt->last_cap[k][owner];
        if (i >= 0 && lt->ir->ins[i].a >= 0 && lt->ir->ins[i].a < i && full_cap(lt, i))
            return &lt->v[lt->ir->ins[i].a];
    }
    return owner_value(lt, note, owner);
}

/* 超出分值: a cap on additions (KH_OP_CAP) that they never reach. */
static void lint_caps(kh_lt *lt)
{
    const kh_ir *ir = lt->ir;
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        if (p->op != KH_OP_CAP || p->a < 0 || p->a >= i || p->b < 0 || p->b >= i || full_cap(lt, i))
            continue;
        kh_lv x = lt->v[p->a], c = lt->v[p->b];
        if (c.lo != c.hi || x.hi >= LT_INF || x.hi > c.lo)
            continue;
        const char *name = NULL;
        kh_span sp = p->span;
        if (p->note == KH_N_CAP && p->owner >= 0 && p->owner < lt->nitems) {
            name = lt->items[p->owner]->label;
            sp = item_cap_span(lt->items[p->owner]);
        } else if (p->note == KH_N_SEC_CAP && p->owner >= 0 && p->owner < lt->nsecs) {
            name = lt->secs[p->owner]->title;
            sp = lt->secs[p->owner]->attrs.cap_span.len ? lt->secs[p->owner]->attrs.cap_span : lt->secs[p->owner]->span;
        }
        if (!name)
            continue;
        char a[48], b[48];
        fmt_dec(c.lo, a, sizeof a);
        fmt_dec(x.hi > 0 ? x.hi : 0, b, sizeof b);
        finding(lt, KH_WARNING, &m_cap_idle, C_EXCESS, sp, a, name, b, NULL);
    }
}

/* 分值不符: an item with points that, as lowered, never reaches them
 * (rescaled items are left alone: their value is on another scale). */
static void lint_item_max(kh_lt *lt)
{
    for (int i = 0; i < lt->nitems; i++) {
        const kh_item *it = lt->items[i];
        kh_pts p = item_points(it);
        const kh_lv *v = value_unbounded(lt, KH_N_ITEM, i);
        bool scaled = false;
        for (int k = 0; k < it->nclauses; k++)
            scaled = scaled || it->clauses[k].kind == KH_CL_SCALE;
        if (p.has && v && v->ev && !scaled && v->hi < p.p && !already_reported(lt, item_span(it)))
            item_points_differ(lt, it, p.p, v->hi > 0 ? v->hi : 0);
    }
}

/* 分值不符: a section worth 满分N whose items (without points of their
 * own) can earn less, or more, than N. */
static void lint_section_max(kh_lt *lt)
{
    for (int i = 0; i < lt->nsecs; i++) {
        const kh_section *sec = lt->secs[i];
        bool carries = false;
        const kh_lv *v = value_unbounded(lt, KH_N_SECTION, i);
        if (sec->bonus || !sec->attrs.has_full || !v || (!sec->nitems && !sec->nsubs))
            continue;
        sec_children(sec, &carries);
        if (carries || v->hi == sec->attrs.full || v->hi >= LT_INF)
            continue;
        char a[48], b[48];
        fmt_dec(sec->attrs.full, a, sizeof a);
        fmt_dec(v->hi, b, sizeof b);
        if (v->hi < sec->attrs.full) {
            finding(lt, KH_WARNING, &m_sec_low, C_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
            continue;
        }
        finding(lt, KH_WARNING, &m_sec_high, C_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
    }
}

/* ------------------------------------------------------------ grades */

typedef struct kh_gctx {
    kh_lv total;
    kh_dec g;
    kh_kiv dom;
    kh_kiv k[LT_MAXIV];         /* each grade's range on the lattice */
    bool cond[LT_MAXIV];        /* has a rank or quota condition */
    bool ranged[LT_MAXIV];
    int n;
} kh_gctx;

/* "0分至110分" / "0分以上" */
static void domain_text(const kh_gctx *gc, char *buf, size_t cap)
{
    char lo[48], hi[48];
    fmt_dec(gc->total.lo, lo, sizeof lo);
    fmt_dec(gc->total.hi, hi, sizeof hi);
    if (gc->total.lo <= -LT_INF && gc->total.hi >= LT_INF)
        snprintf(buf, cap, "任意分数");
    else if (gc->total.hi >= LT_INF)
        snprintf(buf, cap, "%s分以上", lo);
    else if (gc->total.lo <= -LT_INF)
        snprintf(buf, cap, "%s分以下", hi);
    else
        snprintf(buf, cap, "%s分至%s分之间", lo, hi);
}

static kh_span grade_span(const kh_lt *lt, int i)
{
    if (i >= 0 && i < lt->s->ngrades)
        return from_label(lt->s->grades[i].name_span, lt->s->grades[i].span);
    return lt->s->grades_span;
}

/* Text of a grade's score condition as written. */
static void grade_range_text(const kh_lt *lt, int i, char *buf, size_t cap)
{
    buf[0] = 0;
    if (i < 0 || i >= lt->s->ngrades)
        return;
    const kh_grade *g = &lt->s->grades[i];
    for (int k = 0; k < g->nconds; k++)
        if (g->conds[k].kind == KH_GC_SCORE) {
            span_text(lt, g->conds[k].span, buf, cap);
            return;
        }
}

/* Text of a grade's first rank or quota condition. */
static void grade_cond_text(const kh_lt *lt, int i, char *buf, size_t cap)
{
    buf[0] = 0;
    if (i < 0 || i >= lt->s->ngrades)
        return;
    const kh_grade *g = &lt->s->grades[i];
    for (int k = 0; k < g->nconds; k++)
        if (g->conds[k].kind != KH_GC_SCORE) {
            span_text(lt, g->conds[k].span, buf, cap);
            static const char *const joins[] = {"并且", "而且", "且", "并", "並"};
            for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++)
                if (strncmp(buf, joins[j], strlen(joins[j])) == 0) {
                    memmove(buf, buf + strlen(joins[j]), strlen(buf) - strlen(joins[j]) + 1);
                    break;
                }
            return;
        }
}

static bool grades_setup(kh_lt *lt, kh_gctx *gc)
{
    const kh_ir *ir = lt->ir;
    int32_t r = out_reg(lt, ir->total_col);
    if (r < 0)
        return false;
    memset(gc, 0, sizeof *gc);
    gc->total = lt->v[r];
    gc->g = gc->total.g > 0 ? gc->total.g : KH_DEC_ONE;
    gc->dom = kiv_of_lv(gc->total, gc->g);
    gc->n = ir->ngrades < LT_MAXIV ? ir->ngrades : LT_MAXIV;
    for (int i = 0; i < gc->n; i++) {
        const kh_ir_grade *g = &ir->grades[i];
        gc->ranged[i] = g->has_range;
        gc->k[i] = g->has_range ? kiv_of_range(&g->range, gc->g) : (kh_kiv){K_NEG, K_POS};
        gc->cond[i] = g->has_rank || g->has_quota;
    }
    return !kiv_empty(gc->dom);
}

/* The grade whose range starts just above a gap, else the one ending just
 * below it: the line to underline. */
static int grade_near(const kh_gctx *gc, kh_kiv gap)
{
    int best = -1;
    for (int i = 0; i < gc->n; i++)
        if (gc->ranged[i] && gc->k[i].lo > gap.hi && (best < 0 || gc->k[i].lo < gc->k[best].lo))
            best = i;
    if (best >= 0)
        return best;
    for (int i = 0; i < gc->n; i++)
        if (gc->ranged[i] && gc->k[i].hi < gap.lo && (best < 0 || gc->k[i].hi > gc->k[best].hi))
            best = i;
    return best;
}

/* Lowest and highest lattice index the written ranges reach. */
static kh_kiv grades_hull(const kh_gctx *gc)
{
    kh_kiv h = {K_POS, K_NEG};
    for (int i = 0; i < gc->n; i++) {
        if (!gc->ranged[i])
            continue;
        h.lo = gc->k[i].lo < h.lo ? gc->k[i].lo : h.lo;
        h.hi = gc->k[i].hi > h.hi ? gc->k[i].hi : h.hi;
    }
    return h;
}

/* 「60分以下」与「80-95分」之间 */
static void grade_gap_describe(const kh_lt *lt, const kh_gctx *gc, kh_kiv gap, char *buf, size_t cap)
{
    int below = -1, above = -1;
    for (int i = 0; i < gc->n; i++) {
        if (!gc->ranged[i])
            continue;
        if (gc->k[i].hi < gap.lo && (below < 0 || gc->k[i].hi > gc->k[below].hi))
            below = i;
        if (gc->k[i].lo > gap.hi && (above < 0 || gc->k[i].lo < gc->k[above].lo))
            above = i;
    }
    char lo[96], hi[96];
    grade_range_text(lt, below, lo, sizeof lo);
    grade_range_text(lt, above, hi, sizeof hi);
    snprintf(buf, cap, "「%s」与「%s」之间", lo, hi);
}

/* 区间空缺 inside the written ranges, 等次缺口 outside them. */
static void lint_grade_gaps(kh_lt *lt, const kh_gctx *gc, kh_kset *gaps)
{
    kh_kset all = {0};
    for (int i = 0; i < gc->n; i++)
        kset_add(&all, gc->k[i], i);
    kset_gaps(&all, gc->dom, gaps);
    kh_kiv hull = grades_hull(gc);
    for (int i = 0; i < gaps->n; i++) {
        kh_kiv gap = gaps->v[i];
        char v[48], cx[160];
        fmt_dec(nice_value(gap, gc->g), v, sizeof v);
        snprintf(cx, sizeof cx, "得分为%s时不属于任何等次", v);
        kh_span sp = grade_span(lt, grade_near(gc, gap));
        if (gap.lo > hull.lo && gap.hi < hull.hi) {
            char where[256];
            grade_gap_describe(lt, gc, gap, where, sizeof where);
            finding(lt, KH_ERROR, &m_grade_gap, C_GAP, sp, where, NULL, NULL, cx);
        } else
            finding(lt, KH_ERROR, &m_grade_outside, C_GRADE, sp, v, NULL, NULL, cx);
    }
}

/* 等次缺口: totals covered only by grades whose rank or quota may fail. */
static void lint_grade_conditions(kh_lt *lt, const kh_gctx *gc, const kh_kset *gaps)
{
    kh_kset unc = *gaps, left = {0};
    for (int i = 0; i < gc->n; i++)
        if (!gc->cond[i])
            kset_add(&unc, gc->k[i], i);
    kset_gaps(&unc, gc->dom, &left);
    for (int i = 0; i < left.n; i++) {
        kh_dec v = nice_value(left.v[i], gc->g);
        int who = -1;
        for (int j = 0; j < gc->n && who < 0; j++)
            if (gc->cond[j] && gc->k[j].lo <= v / gc->g && v / gc->g <= gc->k[j].hi)
                who = j;
        if (who < 0)
            continue;
        char num[48], cond[96], cx[256], range[160];
        fmt_dec(v, num, sizeof num);
        grade_cond_text(lt, who, cond, sizeof cond);
        kh_kiv in = left.v[i];
        if (in.hi >= K_POS || in.lo == in.hi)
            snprintf(range, sizeof range, "%s分", num);
        else {
            char hi[48];
            fmt_dec(in.hi * gc->g, hi, sizeof hi);
            snprintf(range, sizeof range, "%s分至%s分", num, hi);
        }
        if (in.hi >= K_POS)
            strncat(range, "以上", sizeof range - strlen(range) - 1);
        if (lt->ir->grades[who].has_rank)
            snprintf(cx, sizeof cx, "得分为%s且不满足「%s」时不属于任何等次", num, cond);
        else
            snprintf(cx, sizeof cx, "得分为%s且「%s」名额已满时不属于任何等次", num, cond);
        finding(lt, KH_ERROR, &m_grade_cond, C_GRADE, grade_span(lt, who), lt->ir->grades[who].name, cond, range,
                cx);
    }
}

static void grade_overlap(kh_lt *lt, const kh_gctx *gc, int i, int j, kh_kiv both)
{
    char v[48], cx[256];
    fmt_dec(nice_value(both, gc->g), v, sizeof v);
    snprintf(cx, sizeof cx, "得分为%s时同时属于「%s」和「%s」", v, lt->ir->grades[i].name, lt->ir->grades[j].name);
    finding(lt, KH_ERROR, &m_grade_overlap, C_OVERLAP, grade_span(lt, j), lt->ir->grades[i].name,
            lt->ir->grades[j].name, NULL, cx);
}

/* 区间重叠: a boundary shared by two grades, or unconditional grades that
 * overlap beyond a first-match cascade. */
static void lint_grade_overlaps(kh_lt *lt, const kh_gctx *gc, const bool *hidden)
{
    for (int j = 1; j < gc->n; j++) {
        if (!gc->ranged[j] || hidden[j])
            continue;
        for (int i = 0; i < j; i++) {
            if (!gc->ranged[i])
                continue;
            kh_kiv both = kiv_meet(kiv_meet(gc->k[i], gc->k[j]), gc->dom);
            if (kiv_empty(both))
                continue;
            bool point = both.lo == both.hi;
            bool casc = cascade(&lt->ir->grades[i].range, &lt->ir->grades[j].range);
            if (point || (!gc->cond[i] && !gc->cond[j] && !casc)) {
                grade_overlap(lt, gc, i, j, both);
                break;
            }
        }
    }
}

/* 等次缺口: grades outside the possible totals, or hidden by earlier ones;
 * hidden[j] says so (an overlap would only repeat it). */
static void lint_grade_reach(kh_lt *lt, const kh_gctx *gc, bool *hidden)
{
    for (int j = 0; j < gc->n; j++) {
        hidden[j] = false;
        if (!gc->ranged[j])
            continue;
        kh_kiv mine = kiv_meet(gc->k[j], gc->dom);
        char r[96], dom[160];
        if (kiv_empty(mine)) {
            grade_range_text(lt, j, r, sizeof r);
            domain_text(gc, dom, sizeof dom);
            finding(lt, KH_ERROR, &m_grade_unreach, C_GRADE, grade_span(lt, j), lt->ir->grades[j].name, r, dom,
                    NULL);
            hidden[j] = true;
            continue;
        }
        kh_kset before = {0}, left = {0};
        for (int i = 0; i < j; i++)
            if (!gc->cond[i])
                kset_add(&before, gc->k[i], i);
        kset_gaps(&before, mine, &left);
        hidden[j] = !left.n;
        if (hidden[j])
            finding(lt, KH_ERROR, &m_grade_shadow, C_GRADE, grade_span(lt, j), lt->ir->grades[j].name, NULL, NULL,
                    NULL);
    }
}

/* 等次缺口: quotas that contradict themselves or each other. */
static void lint_quotas(kh_lt *lt)
{
    const kh_ir *ir = lt->ir;
    kh_dec pct = 0;
    bool reported = false;
    for (int i = 0; i < ir->ngrades; i++) {
        const kh_ir_grade *g = &ir->grades[i];
        if (!g->has_quota)
            continue;
        if (g->quota_min > g->quota) {
            char a[48], b[48];
            fmt_dec(g->quota_min, a, sizeof a);
            fmt_dec(g->quota, b, sizeof b);
            finding(lt, KH_ERROR, &m_quota_minmax, C_GRADE, grade_span(lt, i), g->name, a, b, NULL);
        }
        if (g->quota_pct)
            pct += g->quota;
        if (pct > 100 * KH_DEC_ONE && !reported) {
            char a[48];
            fmt_dec(pct, a, sizeof a);
            finding(lt, KH_ERROR, &m_quota_sum, C_GRADE, grade_span(lt, i), a, NULL, NULL, NULL);
            reported = true;
        }
    }
}

static void lint_grades(kh_lt *lt)
{
    kh_gctx gc;
    if (!lt->ir->ngrades || !grades_setup(lt, &gc))
        return;
    kh_kset gaps = {0};
    lint_grade_gaps(lt, &gc, &gaps);
    lint_grade_conditions(lt, &gc, &gaps);
    bool hidden[LT_MAXIV];
    lint_grade_reach(lt, &gc, hidden);
    lint_grade_overlaps(lt, &gc, hidden);
}

/* ------------------------------------------------- double counting */

static void collect_items(const kh_section *sec, const kh_item **v, int *n, int cap)
{
    for (int i = 0; i < sec->nitems && *n < cap; i++)
        v[(*n)++] = &sec->items[i];
    for (int i = 0; i < sec->nsubs; i++)
        collect_items(&sec->subs[i], v, n, cap);
}

/* 重复计分: two items that count the same 事项. */
static int by_label(const void *pa, const void *pb)
{
    const kh_item *a = *(const kh_item *const *)pa, *b = *(const kh_item *const *)pb;
    int c = strcmp(a->label, b->label);
    if (c)
        return c;
    return a->label_span.off < b->label_span.off ? -1 : a->label_span.off > b->label_span.off;
}

/* 重复计分: items sorted by label, so equal labels are neighbours. */
static void lint_duplicates(kh_lt *lt)
{
    const kh_item **v = kh_malloc(lt->a, ((size_t)lt->nitems + 1) * sizeof *v);
    if (!v) {
        kh_diag_add(lt->d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        lt->d->oom = true;
        return;
    }
    int n = 0;
    for (int j = 0; j < lt->nitems; j++)
        if (lt->items[j]->label)
            v[n++] = lt->items[j];
    qsort(v, (size_t)n, sizeof *v, by_label);
    int first = 0;   /* start of the run of equal labels */
    for (int j = 1; j < n; j++) {
        if (strcmp(v[first]->label, v[j]->label) != 0) {
            first = j;
            continue;
        }
        char line[16];
        snprintf(line, sizeof line, "%d", span_line(lt, item_span(v[first])));
        finding(lt, KH_WARNING, &m_dup, C_DUP, v[j]->label_span, v[j]->label, line, NULL, NULL);
    }
    kh_free(v);
}

/* ------------------------------------------------- missing numbers */

/* Did the parser or the checker already say something about this span? */
static bool already_reported(const kh_lt *lt, kh_span sp)
{
    for (size_t i = 0; i < lt->nbefore && i < lt->d->n; i++) {
        const kh_diag *dg = &lt->d->v[i];
        if (dg->src != lt->s->src || dg->sev == KH_NOTE)
            continue;
        uint32_t a = dg->span.off, b = dg->span.off + dg->span.len;
        if (a < sp.off + sp.len && sp.off < (b > a ? b : a + 1))
            return true;
    }
    return false;
}

/* A comparison word directly followed by a 量词: the number between them
 * was lost (少于字的扣2分).  With a number the lexer reads a comparison,
 * so such text can only survive as words.  少于次数 / 高于人均 are words,
 * not lost numbers: the 量词 must not start a longer word. */
static bool quant_at(const char *t, size_t n)
{
    static const char *const quants[] = {"万字", "萬字", "字", "篇", "次", "项", "項", "条", "條", "件", "人",
                                         "天", "小时", "小時", "起", "%", "％"};
    static const char *const words[] = {"数", "數", "均", "幅", "员", "員", "们", "們", "为", "為"};
    for (size_t q = 0; q < sizeof quants / sizeof quants[0]; q++) {
        size_t lq = strlen(quants[q]);
        if (lq > n || memcmp(t, quants[q], lq) != 0)
            continue;
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (lq + strlen(words[w]) <= n && memcmp(t + lq, words[w], strlen(words[w])) == 0)
                return false;
        return true;
    }
    return false;
}

static bool lost_number(const char *t, size_t n)
{
    static const char *const cmps[] = {"少于", "少於", "低于", "低於", "不足", "超过", "超過", "多于", "多於",
                                       "高于", "高於", "不少于", "不少於", "不低于", "不低於", "不超过",
                                       "不超過", "达到", "達到", "不满", "不滿"};
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < sizeof cmps / sizeof cmps[0]; c++) {
            size_t lc = strlen(cmps[c]);
            if (i + lc <= n && memcmp(t + i, cmps[c], lc) == 0 && quant_at(t + i + lc, n - i - lc))
                return true;
        }
    return false;
}

static bool effect_lacks_amount(const kh_effect *e)
{
    return (e->kind == KH_EFF_DEDUCT || e->kind == KH_EFF_ADD || e->kind == KH_EFF_SET) && e->amount == 0 &&
           e->unit == KH_UNIT_NONE;
}

static void lint_clause_numbers(kh_lt *lt, const kh_clause *c)
{
    char txt[160];
    if (already_reported(lt, c->span))
        return;
    span_text(lt, c->span, txt, sizeof txt);
    if (lost_number(lt->s->src->text + c->span.off, c->span.len)) {
        finding(lt, KH_ERROR, &m_lost_number, C_MISSING, c->span, txt, NULL, NULL, NULL);
        return;
    }
    bool bad = c->kind == KH_CL_INVALID;
    for (int k = 0; k < c->neffects; k++)
        bad = bad || effect_lacks_amount(&c->effects[k]);
    if (bad)
        finding(lt, KH_ERROR, &m_invalid, C_MISSING, c->span, txt, NULL, NULL, NULL);
}

/* ---------------------------------------------------------- undefined */

static void lint_levels(kh_lt *lt, const kh_item *it)
{
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        for (int k = 0; c->kind == KH_CL_TIER && k < c->ntiers; k++)
            if (c->tiers[k].level && kh_level_rank(c->tiers[k].level) < 0)
                finding(lt, KH_WARNING, &m_level, C_UNDEF, c->tiers[k].span, c->tiers[k].level, NULL, NULL, NULL);
    }
}

/* 未定义: an item with rules, none of which any event can move. */
static void lint_untriggered(kh_lt *lt)
{
    for (int i = 0; i < lt->nitems; i++) {
        const kh_item *it = lt->items[i];
        const kh_lv *v = owner_value(lt, KH_N_ITEM, i);
        if (!it->nclauses || !v || v->ev || v->lo != v->hi || already_reported(lt, item_span(it)))
            continue;
        char a[48];
        fmt_dec(v->lo, a, sizeof a);
        finding(lt, KH_WARNING, &m_no_trigger, C_UNDEF, item_span(it), it->label, a, NULL, NULL);
    }
    for (int i = 0; i < lt->nsecs; i++) {
        const kh_section *sec = lt->secs[i];
        const kh_lv *v = owner_value(lt, KH_N_SECTION, i);
        if (sec->nitems || sec->nsubs || !v || v->ev || v->lo != v->hi)
            continue;
        char a[48];
        fmt_dec(v->lo, a, sizeof a);
        finding(lt, KH_WARNING, &m_empty_section, C_UNDEF, sec->span, sec->title, a, NULL, NULL);
    }
}

static void lint_items_text(kh_lt *lt)
{
    for (int i = 0; i < lt->nitems; i++) {
        const kh_item *it = lt->items[i];
        for (int k = 0; k < it->nclauses; k++)
            lint_clause_numbers(lt, &it->clauses[k]);
        lint_levels(lt, it);
    }
}

/* -------------------------------------------------------------- setup */

static void collect_secs(const kh_section *sec, const kh_section **v, int *n, int cap)
{
    if (*n < cap)
        v[(*n)++] = sec;
    for (int i = 0; i < sec->nsubs; i++)
        collect_secs(&sec->subs[i], v, n, cap);
}

static int count_items(const kh_section *sec)
{
    int n = sec->nitems;
    for (int i = 0; i < sec->nsubs; i++)
        n += count_items(&sec->subs[i]);
    return n;
}

static int count_secs(const kh_section *sec)
{
    int n = 1;
    for (int i = 0; i < sec->nsubs; i++)
        n += count_secs(&sec->subs[i]);
    return n;
}

/* Tree items and sections in the order the lowering numbers them:
 * each section, then its items, then its sub-sections. */
static bool setup_tree(kh_lt *lt)
{
    const kh_scheme *s = lt->s;
    int ni = 0, ns = 0;
    for (int i = 0; i < s->nsections; i++) {
        ni += count_items(&s->sections[i]);
        ns += count_secs(&s->sections[i]);
    }
    lt->items = kh_calloc(lt->a, (size_t)ni + 1, sizeof *lt->items);
    lt->secs = kh_calloc(lt->a, (size_t)ns + 1, sizeof *lt->secs);
    if (!lt->items || !lt->secs)
        return false;
    for (int i = 0; i < s->nsections; i++) {
        collect_items(&s->sections[i], lt->items, &lt->nitems, ni);
        collect_secs(&s->sections[i], lt->secs, &lt->nsecs, ns);
    }
    return true;
}

/* Does the IR number items and sections as the tree walk does? */
static bool ir_matches(const kh_lt *lt)
{
    const kh_ir *ir = lt->ir;
    if (ir->nitems != lt->nitems || ir->nsections != lt->nsecs)
        return false;
    for (int i = 0; i < lt->nitems; i++)
        if (ir->items[i].span.off != lt->items[i]->span.off || ir->items[i].span.len != lt->items[i]->span.len)
            return false;
    return true;
}

/* Where each item's and section's value and last cap live: one pass, so
 * later look-ups are O(1) even for schemes with many thousands of items. */
static bool index_owners(kh_lt *lt)
{
    const kh_ir *ir = lt->ir;
    int32_t n[2] = {ir->nitems, ir->nsections};
    for (int k = 0; k < 2; k++) {
        lt->out_reg[k] = kh_malloc(lt->a, ((size_t)n[k] + 1) * sizeof *lt->out_reg[k]);
        lt->last_cap[k] = kh_malloc(lt->a, ((size_t)n[k] + 1) * sizeof *lt->last_cap[k]);
        if (!lt->out_reg[k] || !lt->last_cap[k])
            return false;
        for (int32_t i = 0; i < n[k]; i++)
            lt->out_reg[k][i] = lt->last_cap[k][i] = -1;
    }
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        if (p->owner < 0)
            continue;
        if (p->op == KH_OP_OUT && (p->note == KH_N_ITEM || p->note == KH_N_SECTION) && p->a >= 0 && p->a < i) {
            int k = p->note == KH_N_SECTION;
            if (p->owner < n[k] && lt->out_reg[k][p->owner] < 0)
                lt->out_reg[k][p->owner] = p->a;
        }
        if (p->op == KH_OP_CAP && (p->note == KH_N_CAP || p->note == KH_N_SEC_CAP)) {
            int k = p->note == KH_N_SEC_CAP;
            if (p->owner < n[k])
                lt->last_cap[k][p->owner] = i;
        }
    }
    return true;
}

static bool setup_values(kh_lt *lt)
{
    lt->v = kh_calloc(lt->a, (size_t)lt->ir->nins + 1, sizeof *lt->v);
    if (!lt->v || !index_owners(lt))
        return false;
    for (int32_t i = 0; i < lt->ir->nins; i++)
        lt->v[i] = lv_ins(lt, i);
    return true;
}

static void lint_tree(kh_lt *lt)
{
    const kh_scheme *s = lt->s;
    for (int i = 0; i < s->nsections; i++)
        lint_section_sum(lt, &s->sections[i]);
    lint_full(lt);
    for (int i = 0; i < s->nsections; i++) {
        lint_items_in(lt, &s->sections[i], NULL, 0);
        lint_floors_in(lt, &s->sections[i]);
    }
    lint_duplicates(lt);
    lint_items_text(lt);
}

/* 未定义: a scheme without a single item scores everyone the same. */
static bool lint_no_items(kh_lt *lt)
{
    if (lt->nitems || lt->s->nsections)
        return lt->nitems == 0;
    int32_t r = out_reg(lt, lt->ir->total_col);
    char a[48];
    fmt_dec(r >= 0 ? lt->v[r].lo : 0, a, sizeof a);
    finding(lt, KH_WARNING, &m_no_items, C_UNDEF, lt->s->name_span, a, NULL, NULL, NULL);
    return true;
}

static void lint_ir(kh_lt *lt)
{
    lint_item_max(lt);
    lint_section_max(lt);
    lint_caps(lt);
    if (!lint_no_items(lt))
        lint_grades(lt);
    lint_quotas(lt);
    lint_untriggered(lt);
}

void kh_lint(kh_alloc *a, kh_diags *d, const kh_scheme *s, const kh_ir *ir)
{
    if (!d || !s || !s->src)
        return;
    kh_lt lt = {0};
    lt.a = a;
    lt.d = d;
    lt.s = s;
    lt.nbefore = d->n;
    if (!setup_tree(&lt)) {
        kh_diag_add(d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        d->oom = true;
    } else {
        lt.ir = ir;
        if (ir && !ir_matches(&lt))
            lt.ir = NULL;
        lint_tree(&lt);
        if (lt.ir && setup_values(&lt)) {
            lint_ir(&lt);
        } else if (lt.ir) {
            kh_diag_add(d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
            d->oom = true;
        }
    }
    kh_free(lt.v);
    for (int k = 0; k < 2; k++) {
        kh_free(lt.out_reg[k]);
        kh_free(lt.last_cap[k]);
    }
    kh_free(lt.items);
    kh_free(lt.secs);
}
