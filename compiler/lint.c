/* lint.c — the linter: the checks on the tree and its entry point, kh_lint.
 * How it works is described in lint.h. */

#include "lint.h"
/* ------------------------------------------------------------ messages */

const kh_msg kh_lt_m_nomem = {"E040", "内存不足", "out of memory", NULL, NULL};

const kh_msg kh_lt_m_sec_sum = {
    "L001", "「%1」写明%2分，但其下各项分值合计%3分", "「%1」 declares %2 points but its items add up to %3",
    "核对各项的分值，或改正章节的分值", "check the items' points or the section's"};
const kh_msg kh_lt_m_full_sum = {
    "L002", "满分写明%1分，但各部分分值合计%2分（不含加分项）",
    "满分 is %1 but the sections add up to %2 (bonus excluded)",
    "核对各部分的分值，或改正满分", "check the sections' points or the 满分"};
const kh_msg kh_lt_m_sec_low = {
    "L003", "「%1」满分%2分，但其下各项最多只能得%3分", "「%1」 is worth %2 points but its items give at most %3",
    "补上缺少的得分规则，或改正满分", "add the missing scoring rules or correct the points"};
const kh_msg kh_lt_m_sec_high = {
    "L004", "「%1」满分%2分，但其下各项合计最多可得%3分", "「%1」 is worth %2 points but its items give up to %3",
    "超出满分的部分不计；核对各项的得分规则", "points above 满分 are dropped; check the items' rules"};
const kh_msg kh_lt_m_earn_low = {
    "L005", "「%1」分值%2分，但按它的得分规则最多只能得%3分",
    "「%1」 is worth %2 points but its scoring rules give at most %3",
    "补上得满分的条件，或改正本项分值", "add the rule that earns full points, or correct the item's points"};
const kh_msg kh_lt_m_earn_high = {
    "L006", "「%1」分值%2分，但它的各条得分规则合计最多可得%3分",
    "「%1」 is worth %2 points but its scoring rules together give up to %3",
    "核对各条得分规则，或改正本项分值", "check the scoring rules or the item's points"};
const kh_msg kh_lt_m_band_gap = {
    "L007", "「%1」的分档有空缺：%2", "the bands of 「%1」 leave a gap: %2",
    "补上缺少的一档，或让相邻两档首尾相接，如「80%以上」与「70%至80%」，并写「分数上限不含本数」",
    "add the missing band, or make neighbouring bands meet, e.g. 80%以上 and 70%至80% with 分数上限不含本数"};
const kh_msg kh_lt_m_band_overlap = {
    "L009", "「%1」中「%2」与「%3」两档重叠", "in 「%1」 the bands 「%2」 and 「%3」 overlap",
    "计分时按先写的一档；请调整边界使各档互不重叠",
    "the band written first wins; adjust the bounds so the bands do not overlap"};
const kh_msg kh_lt_m_over_item = {
    "L011", "「%1」给%2分，超过本项分值%3分", "「%1」 gives %2 points, more than the item's %3",
    "核对这一档的分值，或改正本项分值", "check this amount or the item's points"};
const kh_msg kh_lt_m_over_cap = {
    "L012", "单项加分%1分已超过「%2」的加分上限%3分", "one award of %1 exceeds the cap of %3 on 「%2」",
    "核对加分分值或加分上限", "check the amount or the cap"};
const kh_msg kh_lt_m_cap_idle = {
    "L013", "加分上限%1分不会起作用：「%2」最多只能加%3分", "the cap of %1 never applies: 「%2」 adds at most %3",
    "删去上限，或核对加分规则", "remove the cap or check the bonus rules"};
const kh_msg kh_lt_m_floor_idle = {
    "L014", "「%1」写了扣完为止，但其中没有扣分规则", "「%1」 says 扣完为止 but has no deduction",
    "删去扣完为止，或补上扣分规则", "remove 扣完为止 or add the deductions"};
const kh_msg kh_lt_m_grade_gap = {
    "L008", "等次表的分数范围有空缺：%1的得分不属于任何等次", "the grade table leaves a gap: totals %1 get no grade",
    "让相邻等次首尾相接，如「90分以上」与「60分至90分」，并写「分数上限不含本数」",
    "make neighbouring grades meet, e.g. 90分以上 and 60分至90分 with 分数上限不含本数"};
const kh_msg kh_lt_m_grade_overlap = {
    "L010", "等次「%1」与「%2」的分数范围重叠", "grades 「%1」 and 「%2」 overlap",
    "评定时按先写的等次；请调整边界，或写「分数上限不含本数」",
    "the grade written first wins; adjust the bounds or write 分数上限不含本数"};
const kh_msg kh_lt_m_grade_outside = {
    "L015", "总分可能为%1，但没有哪个等次的分数范围包含它", "a total of %1 is possible but no grade covers it",
    "补上这一段分数的等次", "add a grade for these totals"};
const kh_msg kh_lt_m_grade_cond = {
    "L016", "「%1」的条件「%2」不满足时，%3的得分没有等次可评",
    "when 「%1」's condition 「%2」 fails, a total of %3 gets no grade",
    "让下一个等次的分数范围包含这些分数", "let the next grade's range include these totals"};
const kh_msg kh_lt_m_grade_unreach = {
    "L017", "等次「%1」要求%2，但总分只可能在%3", "grade 「%1」 requires %2, but totals lie in %3",
    "核对这个等次的分数", "check this grade's range"};
const kh_msg kh_lt_m_grade_shadow = {
    "L018", "等次「%1」的分数范围已被前面的等次全部占用，永远评不到",
    "grade 「%1」 is fully covered by the grades before it and is never given",
    "调整等次的顺序或分数范围", "reorder the grades or adjust their ranges"};
const kh_msg kh_lt_m_quota_minmax = {
    "L019", "等次「%1」的名额下限%2大于上限%3", "grade 「%1」 has a minimum quota of %2 above its maximum %3",
    NULL, NULL};
const kh_msg kh_lt_m_quota_sum = {
    "L020", "各等次的比例名额合计%1%，超过100%", "the percentage quotas add up to %1%, over 100%",
    "核对各等次的比例", "check the percentages"};
const kh_msg kh_lt_m_dup = {
    "L021", "事项「%1」已由第%2行的考核项计分，同一条记录会计分两次",
    "事项 「%1」 is already scored by the item on line %2; one record would count twice",
    "合并这两项，或给它们不同的事项名称", "merge the items or give them different labels"};
const kh_msg kh_lt_m_lost_number = {
    "L022", "「%1」缺少数字：条件没有写明多少", "「%1」 lacks a number: the condition does not say how much",
    "写明数字，如「少于10000字」", "write the number, e.g. 少于10000字"};
const kh_msg kh_lt_m_invalid = {
    "L023", "「%1」缺少数值，无法计分", "「%1」 lacks a number and cannot be scored",
    "写明分值，如「扣1分」", "write the amount, e.g. 扣1分"};
const kh_msg kh_lt_m_level = {
    "L024", "级别「%1」不是标准级别", "level 「%1」 is not a standard level",
    "标准级别：国家级、省级、市级、县级、区级", "standard levels: 国家级 省级 市级 县级 区级"};
const kh_msg kh_lt_m_no_trigger = {
    "L025", "考核项「%1」没有任何记录能触发的计分规则，所有人都得%2分",
    "no event can change item 「%1」: everyone gets %2",
    "写明如何计分，如「每次扣1分」「未落实不得分」", "say how it scores, e.g. 每次扣1分 or 未落实不得分"};
const kh_msg kh_lt_m_empty_section = {
    "L026", "「%1」下没有考核项，所有人都得%2分", "「%1」 has no items: everyone gets %2",
    "补上这一部分的考核项", "add the items of this part"};

const kh_msg kh_lt_m_no_items = {
    "L027", "方案没有任何考核项，所有人总分都是%1分", "the scheme has no items: every total is %1",
    "写出各部分和考核项", "write the sections and their items"};

const char *const KH_LT_POINTS = "分值不符";
const char *const KH_LT_GAP = "区间空缺";
const char *const KH_LT_OVERLAP = "区间重叠";
const char *const KH_LT_EXCESS = "超出分值";
const char *const KH_LT_GRADE = "等次缺口";
const char *const KH_LT_DUP = "重复计分";
const char *const KH_LT_MISSING = "缺少数值";
const char *const KH_LT_UNDEF = "未定义";

/* -------------------------------------------------------- text helpers */

void kh_lt_fmt_dec(kh_dec v, char *buf, size_t cap)
{
    kh_dec_format(v, buf, cap);
}

/* "89.5", "79.5%", "-1" */
void kh_lt_fmt_value(kh_dec v, bool pct, char *buf, size_t cap)
{
    kh_lt_fmt_dec(v, buf, cap);
    if (pct) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%%");
    }
}

/* Source text under a span, trimmed, at most cap−4 bytes, cut on a
 * character boundary with … when shortened. */
void kh_lt_span_text(const kh_lt *lt, kh_span sp, char *buf, size_t cap)
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

kh_span kh_lt_span_join(kh_span a, kh_span b)
{
    uint32_t lo = a.off < b.off ? a.off : b.off;
    uint32_t ea = a.off + a.len, eb = b.off + b.len;
    kh_span r = {lo, (ea > eb ? ea : eb) - lo};
    return r;
}

/* A line's span from its label on (a line without a number may start
 * with the comments before it). */
kh_span kh_lt_from_label(kh_span label, kh_span whole)
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
    return it->number ? it->span : kh_lt_from_label(it->label_span, it->span);
}

/* Record a kh_lt_finding.  cx, when given, becomes the counterexample. */
void kh_lt_finding(kh_lt *lt, kh_severity sev, const kh_msg *m, const char *cls, kh_span sp, const char *a1,
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

/* ------------------------------------------------------------- points */


/* What an item is worth, read as lower.c reads it. */
kh_pts kh_lt_item_points(const kh_item *it)
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
        if (kh_lt_item_points(&sec->items[i]).has)
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
            kh_lt_fmt_dec(decl, a, sizeof a);
            kh_lt_fmt_dec(sum, b, sizeof b);
            kh_lt_finding(lt, KH_WARNING, &kh_lt_m_sec_sum, KH_LT_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
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
        kh_lt_fmt_dec(s->full, a, sizeof a);
        kh_lt_fmt_dec(sum, b, sizeof b);
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_full_sum, KH_LT_POINTS, s->full_span.len ? s->full_span : s->name_span, a, b, NULL,
                NULL);
    }
}

/* ------------------------------------------------ earning an item */

/* What one band gives at most (proportional: points × its top rate). */
static kh_dec band_amount(const kh_clause *c, kh_dec p)
{
    int kind;
    kh_dec v;
    kh_lt_band_result(c, p, &kind, &v);
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
    kh_pts p = kh_lt_item_points(it);
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
    kh_lt_span_text(lt, c->span, txt, sizeof txt);
    kh_lt_fmt_dec(amount, a, sizeof a);
    kh_lt_fmt_dec(p, b, sizeof b);
    if (what)
        snprintf(cx, sizeof cx, "%s时得%s分，超过本项分值%s分", what, a, b);
    kh_lt_finding(lt, KH_ERROR, &kh_lt_m_over_item, KH_LT_EXCESS, c->span, txt, a, b, what ? cx : NULL);
}

/* A value a band or threshold applies to, as the counterexample says it. */
static void clause_example(kh_lt *lt, const kh_bands *b, const kh_clause *c, char *buf, size_t cap)
{
    kh_bands one = *b;
    if (!b->n) {
        one.n = 1;
        one.c[0] = c;
        one.pct = kh_lt_clause_is_rate(c);
        kh_lt_bands_scale(lt, &one);
    }
    kh_range r = kh_lt_clause_range(lt->s, c);
    kh_kiv k = kh_lt_kiv_of_range(&r, one.g), in = kh_lt_kiv_meet(k, (kh_kiv){0, K_POS});
    kh_lt_band_value_text(&one, kh_lt_nice_value(kh_lt_kiv_empty(in) ? k : in, one.g), buf, cap);
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
    kh_lt_fmt_dec(p, a, sizeof a);
    kh_lt_fmt_dec(max, c, sizeof c);
    kh_lt_finding(lt, KH_WARNING, max < p ? &kh_lt_m_earn_low : &kh_lt_m_earn_high, KH_LT_POINTS, item_points_span(it), it->label, a, c,
            NULL);
}

/* 超出分值 / 分值不符 on an item with points: one clause worth more than
 * the item; earning clauses that cannot reach, or overshoot, its points. */
static void lint_item_earning(kh_lt *lt, const kh_item *it)
{
    kh_bands b;
    kh_lt_bands_collect(lt, it, &b);
    kh_lt_lint_band_gaps(lt, &b);
    kh_lt_lint_band_overlaps(lt, &b);
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
    kh_lt_fmt_dec(amount, a, sizeof a);
    kh_lt_fmt_dec(c->cap, b, sizeof b);
    kh_lt_finding(lt, KH_WARNING, &kh_lt_m_over_cap, KH_LT_EXCESS, sp, a, c->name, b, NULL);
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
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_floor_idle, KH_LT_EXCESS, sec->span, sec->title, NULL, NULL, NULL);
    for (int i = 0; i < sec->nitems; i++) {
        const kh_item *it = &sec->items[i];
        const kh_clause *fc = floor_clause(it);
        if ((fc || it->attrs.floor) && !has_deduction(it))
            kh_lt_finding(lt, KH_WARNING, &kh_lt_m_floor_idle, KH_LT_EXCESS, fc ? fc->span : item_span(it), it->label, NULL, NULL,
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
    return kh_lt_owner_value(lt, note, owner);
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
        kh_lt_fmt_dec(c.lo, a, sizeof a);
        kh_lt_fmt_dec(x.hi > 0 ? x.hi : 0, b, sizeof b);
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_cap_idle, KH_LT_EXCESS, sp, a, name, b, NULL);
    }
}

/* 分值不符: an item with points that, as lowered, never reaches them
 * (rescaled items are left alone: their value is on another scale). */
static void lint_item_max(kh_lt *lt)
{
    for (int i = 0; i < lt->nitems; i++) {
        const kh_item *it = lt->items[i];
        kh_pts p = kh_lt_item_points(it);
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
        kh_lt_fmt_dec(sec->attrs.full, a, sizeof a);
        kh_lt_fmt_dec(v->hi, b, sizeof b);
        if (v->hi < sec->attrs.full) {
            kh_lt_finding(lt, KH_WARNING, &kh_lt_m_sec_low, KH_LT_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
            continue;
        }
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_sec_high, KH_LT_POINTS, sec_points_span(sec), sec->title, a, b, NULL);
    }
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
        kh_diag_add(lt->d, KH_ERROR, &kh_lt_m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
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
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_dup, KH_LT_DUP, v[j]->label_span, v[j]->label, line, NULL, NULL);
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
    kh_lt_span_text(lt, c->span, txt, sizeof txt);
    if (lost_number(lt->s->src->text + c->span.off, c->span.len)) {
        kh_lt_finding(lt, KH_ERROR, &kh_lt_m_lost_number, KH_LT_MISSING, c->span, txt, NULL, NULL, NULL);
        return;
    }
    bool bad = c->kind == KH_CL_INVALID;
    for (int k = 0; k < c->neffects; k++)
        bad = bad || effect_lacks_amount(&c->effects[k]);
    if (bad)
        kh_lt_finding(lt, KH_ERROR, &kh_lt_m_invalid, KH_LT_MISSING, c->span, txt, NULL, NULL, NULL);
}

/* ---------------------------------------------------------- undefined */

static void lint_levels(kh_lt *lt, const kh_item *it)
{
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        for (int k = 0; c->kind == KH_CL_TIER && k < c->ntiers; k++)
            if (c->tiers[k].level && kh_level_rank(c->tiers[k].level) < 0)
                kh_lt_finding(lt, KH_WARNING, &kh_lt_m_level, KH_LT_UNDEF, c->tiers[k].span, c->tiers[k].level, NULL, NULL, NULL);
    }
}

/* 未定义: an item with rules, none of which any event can move. */
static void lint_untriggered(kh_lt *lt)
{
    for (int i = 0; i < lt->nitems; i++) {
        const kh_item *it = lt->items[i];
        const kh_lv *v = kh_lt_owner_value(lt, KH_N_ITEM, i);
        if (!it->nclauses || !v || v->ev || v->lo != v->hi || already_reported(lt, item_span(it)))
            continue;
        char a[48];
        kh_lt_fmt_dec(v->lo, a, sizeof a);
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_no_trigger, KH_LT_UNDEF, item_span(it), it->label, a, NULL, NULL);
    }
    for (int i = 0; i < lt->nsecs; i++) {
        const kh_section *sec = lt->secs[i];
        const kh_lv *v = kh_lt_owner_value(lt, KH_N_SECTION, i);
        if (sec->nitems || sec->nsubs || !v || v->ev || v->lo != v->hi)
            continue;
        char a[48];
        kh_lt_fmt_dec(v->lo, a, sizeof a);
        kh_lt_finding(lt, KH_WARNING, &kh_lt_m_empty_section, KH_LT_UNDEF, sec->span, sec->title, a, NULL, NULL);
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
        lt->kh_lt_out_reg[k] = kh_malloc(lt->a, ((size_t)n[k] + 1) * sizeof *lt->kh_lt_out_reg[k]);
        lt->last_cap[k] = kh_malloc(lt->a, ((size_t)n[k] + 1) * sizeof *lt->last_cap[k]);
        if (!lt->kh_lt_out_reg[k] || !lt->last_cap[k])
            return false;
        for (int32_t i = 0; i < n[k]; i++)
            lt->kh_lt_out_reg[k][i] = lt->last_cap[k][i] = -1;
    }
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        if (p->owner < 0)
            continue;
        if (p->op == KH_OP_OUT && (p->note == KH_N_ITEM || p->note == KH_N_SECTION) && p->a >= 0 && p->a < i) {
            int k = p->note == KH_N_SECTION;
            if (p->owner < n[k] && lt->kh_lt_out_reg[k][p->owner] < 0)
                lt->kh_lt_out_reg[k][p->owner] = p->a;
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
        lt->v[i] = kh_lt_lv_ins(lt, i);
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
    int32_t r = kh_lt_out_reg(lt, lt->ir->total_col);
    char a[48];
    kh_lt_fmt_dec(r >= 0 ? lt->v[r].lo : 0, a, sizeof a);
    kh_lt_finding(lt, KH_WARNING, &kh_lt_m_no_items, KH_LT_UNDEF, lt->s->name_span, a, NULL, NULL, NULL);
    return true;
}

static void lint_ir(kh_lt *lt)
{
    lint_item_max(lt);
    lint_section_max(lt);
    lint_caps(lt);
    if (!lint_no_items(lt))
        kh_lt_lint_grades(lt);
    kh_lt_lint_quotas(lt);
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
        kh_diag_add(d, KH_ERROR, &kh_lt_m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        d->oom = true;
    } else {
        lt.ir = ir;
        if (ir && !ir_matches(&lt))
            lt.ir = NULL;
        lint_tree(&lt);
        if (lt.ir && setup_values(&lt)) {
            lint_ir(&lt);
        } else if (lt.ir) {
            kh_diag_add(d, KH_ERROR, &kh_lt_m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
            d->oom = true;
        }
    }
    kh_free(lt.v);
    for (int k = 0; k < 2; k++) {
        kh_free(lt.kh_lt_out_reg[k]);
        kh_free(lt.last_cap[k]);
    }
    kh_free(lt.items);
    kh_free(lt.secs);
}

