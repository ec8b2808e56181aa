/* check.c — meanings the grammar cannot check: a shortfall needs a target,
 * a veto must name a grade, a band worth 满分 needs the item's points, …
 * Arithmetic conflicts (totals, gaps, overlaps) are the linter's business.
 */
#include <string.h>

#include "lang.h"

static const kh_msg m_no_target = {"E050", "「%1」需要一个目标数，但本项没有写",
                                   "「%1」 needs a target, but the item gives none",
                                   "在前面写出目标，如「应达2篇」或「不少于90%」",
                                   "state the target first, e.g. 应达2篇 or 不少于90%"};
static const kh_msg m_unknown_grade = {"E051", "一票否决中的等次「%1」不在等次表中",
                                       "veto names grade 「%1」, which is not in the grade table",
                                       "等次表中有：%2", "the grade table has: %2"};
static const kh_msg m_no_points = {"E052", "「%1」要用本项的分值，但本项没有写分值",
                                   "「%1」 needs the item's points, but the item has none",
                                   "在考核项后写明分值，如「（5分）」", "give the item's points, e.g. （5分）"};
static const kh_msg m_eval_range = {"E053", "评分项「%1」没有写明分数范围",
                                    "evaluator item 「%1」 has no score range",
                                    "写成「评分，满分10分」或「（1—3分）」", "write 评分，满分10分 or （1—3分）"};
static const kh_msg m_unit_mix = {"W010", "「%1」以%2计，而本方案以%3计分",
                                  "「%1」 is in %2 but the scheme counts in %3", NULL, NULL};
static const kh_msg m_grade_empty = {"W011", "等次「%1」没有任何条件", "grade 「%1」 has no condition", NULL, NULL};
static const kh_msg m_missing_unit_scheme = {"W012", "「缺N人」只用于考核对象为部门的方案",
                                             "缺N人 only applies to unit schemes",
                                             "在开头写「考核对象：部门」", "add 考核对象：部门"};

bool kh_clause_earns(const kh_clause *c)
{
    switch (c->kind) {
    case KH_CL_BAND: case KH_CL_ALL_OR_NONE: case KH_CL_EVALUATOR:
        return true;
    case KH_CL_THRESHOLD:
        return c->neffects && c->effects[0].kind == KH_EFF_SET;
    case KH_CL_PER: case KH_CL_TARGET: case KH_CL_SHORTFALL: case KH_CL_EXCESS: case KH_CL_SCALE:
    case KH_CL_TIER: case KH_CL_DEDUPE: case KH_CL_MISSING: case KH_CL_FLOOR: case KH_CL_NO_FLOOR:
    case KH_CL_CAP: case KH_CL_FULL: case KH_CL_BASE: case KH_CL_RANK: case KH_CL_QUOTA:
    case KH_CL_RATE_AS: case KH_CL_FLAG: case KH_CL_NOTE: case KH_CL_INVALID:
        return false;
    }
    return false;
}

typedef struct kh_ck {
    kh_diags *d;
    const kh_scheme *s;
    bool ok;
} kh_ck;

static void err(kh_ck *ck, const kh_msg *m, kh_span sp, const char *a1, const char *a2)
{
    kh_diag_add(ck->d, KH_ERROR, m, ck->s->src, sp, a1, a2, NULL);
    ck->ok = false;
}

static void warn(kh_ck *ck, const kh_msg *m, kh_span sp, const char *a1, const char *a2, const char *a3)
{
    kh_diag_add(ck->d, KH_WARNING, m, ck->s->src, sp, a1, a2, a3);
}

/* The clause's own text, for messages. */
static void clause_text(kh_ck *ck, kh_span sp, char *buf, size_t cap)
{
    size_t n = sp.len < cap - 4 ? sp.len : cap - 4;
    while (n > 0 && n < sp.len && ((unsigned char)ck->s->src->text[sp.off + n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, ck->s->src->text + sp.off, n);
    buf[n] = 0;
    if (n < sp.len)
        strcat(buf, "…");
}

static bool has_points(const kh_item *it)
{
    return it->attrs.has_base || it->attrs.has_full;
}

static void check_item(kh_ck *ck, const kh_item *it)
{
    bool target = false;
    kh_unit scheme_unit = ck->s->unit == KH_UNIT_YUAN ? KH_UNIT_YUAN : KH_UNIT_POINT;
    char txt[160];
    bool evaluator = it->attrs.has_range;
    for (int i = 0; i < it->nclauses; i++) {
        const kh_clause *c = &it->clauses[i];
        clause_text(ck, c->span, txt, sizeof txt);
        switch (c->kind) {
        case KH_CL_TARGET:
        case KH_CL_THRESHOLD:
            target = true;
            break;
        case KH_CL_SHORTFALL:
        case KH_CL_EXCESS:
            if (!target)
                err(ck, &m_no_target, c->span, txt, NULL);
            break;
        case KH_CL_BAND:
            target = true;   /* 12篇以上得2分 is also the target of 超额… */
            for (int k = 0; k < c->neffects; k++)
                if ((c->effects[k].kind == KH_EFF_FULL || c->effects[k].kind == KH_EFF_PROPORTIONAL) &&
                    !has_points(it))
                    err(ck, &m_no_points, c->span, txt, NULL);
            break;
        case KH_CL_ALL_OR_NONE:
            if (c->neffects && c->effects[0].kind != KH_EFF_SET && !has_points(it))
                err(ck, &m_no_points, c->span, txt, NULL);
            break;
        case KH_CL_EVALUATOR:
            evaluator = true;
            break;
        case KH_CL_MISSING:
            if (ck->s->subject != KH_SUBJ_UNIT)
                warn(ck, &m_missing_unit_scheme, c->span, NULL, NULL, NULL);
            break;
        case KH_CL_PER: case KH_CL_SCALE: case KH_CL_TIER: case KH_CL_DEDUPE: case KH_CL_FLOOR:
        case KH_CL_NO_FLOOR: case KH_CL_CAP: case KH_CL_FULL: case KH_CL_BASE: case KH_CL_RANK:
        case KH_CL_QUOTA: case KH_CL_RATE_AS: case KH_CL_FLAG: case KH_CL_NOTE: case KH_CL_INVALID:
            break;
        }
        for (int k = 0; k < c->neffects; k++) {
            kh_unit u = c->effects[k].unit;
            if (u != KH_UNIT_NONE && u != scheme_unit)
                warn(ck, &m_unit_mix, c->effects[k].span, txt, u == KH_UNIT_YUAN ? "元" : "分",
                     scheme_unit == KH_UNIT_YUAN ? "元" : "分");
        }
    }
    if (evaluator) {
        bool range = it->attrs.has_range || it->attrs.has_full || it->attrs.has_base;
        for (int i = 0; i < it->nclauses; i++)
            if (it->clauses[i].kind == KH_CL_FULL ||
                (it->clauses[i].kind == KH_CL_EVALUATOR && it->clauses[i].range.has_hi))
                range = true;
        if (!range)
            err(ck, &m_eval_range, it->label_span, it->label, NULL);
    }
}

static void check_section(kh_ck *ck, const kh_section *sec)
{
    for (int i = 0; i < sec->nitems; i++)
        check_item(ck, &sec->items[i]);
    for (int i = 0; i < sec->nsubs; i++)
        check_section(ck, &sec->subs[i]);
}

static void check_vetoes(kh_ck *ck)
{
    const kh_scheme *s = ck->s;
    char names[512] = "";
    size_t w = 0;
    for (int g = 0; g < s->ngrades; g++) {
        int k = snprintf(names + w, sizeof names - w, "%s%s", g ? "、" : "", s->grades[g].name);
        if (k < 0 || (size_t)k >= sizeof names - w)
            break;
        w += (size_t)k;
    }
    for (int i = 0; i < s->nvetoes; i++) {
        const kh_veto *v = &s->vetoes[i];
        if (!v->cap_grade)
            continue;
        bool found = false;
        for (int g = 0; g < s->ngrades; g++)
            if (strcmp(s->grades[g].name, v->cap_grade) == 0)
                found = true;
        if (!found)
            err(ck, &m_unknown_grade, v->cap_span, v->cap_grade, names);
    }
    for (int g = 0; g < s->ngrades; g++)
        if (!s->grades[g].nconds)
            warn(ck, &m_grade_empty, s->grades[g].name_span, s->grades[g].name, NULL, NULL);
}

bool kh_check(kh_alloc *a, kh_diags *d, const kh_scheme *s)
{
    (void)a;
    kh_ck ck = {d, s, true};
    for (int i = 0; i < s->nsections; i++)
        check_section(&ck, &s->sections[i]);
    check_vetoes(&ck);
    return ck.ok;
}
