/* astprint.c — `kaohe ast`: the tree in a stable text form.
 *
 * One node per line, indented by depth, each with its location as
 * line:col-line:col.  Golden tests compare this text, so keep it stable:
 * no pointers, no hash order.
 */
#include "lang.h"

typedef struct kh_pr {
    FILE *out;
    const kh_source *src;
} kh_pr;

static void loc(kh_pr *p, kh_span sp)
{
    int l1, c1, l2, c2;
    kh_source_linecol(p->src, sp.off, &l1, &c1);
    kh_source_linecol(p->src, sp.off + sp.len, &l2, &c2);
    fprintf(p->out, " @%d:%d-%d:%d", l1, c1, l2, c2);
}

static void dec(kh_pr *p, kh_dec v)
{
    char b[48];
    kh_dec_format(v, b, sizeof b);
    fputs(b, p->out);
}

static void indent(kh_pr *p, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", p->out);
}

static const char *cmp_name(kh_cmp c)
{
    switch (c) {
    case KH_CMP_GE: return ">=";
    case KH_CMP_GT: return ">";
    case KH_CMP_LE: return "<=";
    case KH_CMP_LT: return "<";
    case KH_CMP_EQ: return "=";
    }
    return "?";
}

static const char *unit_name(kh_unit u)
{
    switch (u) {
    case KH_UNIT_NONE: return "";
    case KH_UNIT_POINT: return "分";
    case KH_UNIT_YUAN: return "元";
    }
    return "";
}

static void qty(kh_pr *p, const kh_qty *q)
{
    dec(p, q->value);
    if (q->pct)
        fputs("%", p->out);
    if (q->points)
        fputs("个百分点", p->out);
    else if (q->quant)
        fputs(q->quant, p->out);
}

static void range(kh_pr *p, const kh_range *r)
{
    const char *pc = r->pct ? "%" : "";
    fputs(r->has_lo ? (r->lo_incl ? "[" : "(") : "(", p->out);
    if (r->has_lo) {
        dec(p, r->lo);
        fputs(pc, p->out);
    } else {
        fputs("-inf", p->out);
    }
    fputs(", ", p->out);
    if (r->has_hi) {
        dec(p, r->hi);
        fputs(pc, p->out);
    } else {
        fputs("+inf", p->out);
    }
    fputs(r->has_hi ? (r->hi_incl ? "]" : ")") : ")", p->out);
}

static const char *clause_name(kh_clause_kind k)
{
    switch (k) {
    case KH_CL_PER: return "per";
    case KH_CL_ALL_OR_NONE: return "all-or-none";
    case KH_CL_THRESHOLD: return "threshold";
    case KH_CL_TARGET: return "target";
    case KH_CL_SHORTFALL: return "shortfall";
    case KH_CL_EXCESS: return "excess";
    case KH_CL_BAND: return "band";
    case KH_CL_EVALUATOR: return "evaluator";
    case KH_CL_SCALE: return "scale";
    case KH_CL_TIER: return "tier";
    case KH_CL_DEDUPE: return "dedupe";
    case KH_CL_MISSING: return "missing-members";
    case KH_CL_FLOOR: return "floor";
    case KH_CL_NO_FLOOR: return "no-floor";
    case KH_CL_CAP: return "cap";
    case KH_CL_FULL: return "full";
    case KH_CL_BASE: return "base";
    case KH_CL_RANK: return "rank";
    case KH_CL_QUOTA: return "quota";
    case KH_CL_RATE_AS: return "rate-as";
    case KH_CL_FLAG: return "flag";
    case KH_CL_NOTE: return "note";
    case KH_CL_INVALID: return "invalid";
    }
    return "?";
}

static const char *effect_name(kh_eff_kind k)
{
    switch (k) {
    case KH_EFF_DEDUCT: return "deduct";
    case KH_EFF_ADD: return "add";
    case KH_EFF_SET: return "set";
    case KH_EFF_FULL: return "full";
    case KH_EFF_ZERO: return "zero";
    case KH_EFF_PROPORTIONAL: return "proportional";
    }
    return "?";
}

static const char *to_name(kh_target t)
{
    switch (t) {
    case KH_TO_SELF: return "self";
    case KH_TO_LEADER: return "leader";
    case KH_TO_BOTH: return "leader+self";
    }
    return "?";
}

static const char *who_name(kh_who_kind k)
{
    switch (k) {
    case KH_WHO_DEFAULT: return "default";
    case KH_WHO_ROLE: return "role";
    case KH_WHO_UNIT: return "unit";
    case KH_WHO_SIZE: return "size";
    }
    return "?";
}

static void clause(kh_pr *p, const kh_clause *c, int depth)
{
    indent(p, depth);
    fprintf(p->out, "clause %s", clause_name(c->kind));
    if (c->inherited)
        fputs(" inherited", p->out);
    switch (c->kind) {
    case KH_CL_PER: case KH_CL_SHORTFALL: case KH_CL_EXCESS: case KH_CL_MISSING:
        fputs(" step=", p->out);
        qty(p, &c->step);
        break;
    case KH_CL_BAND: case KH_CL_EVALUATOR:
        fputs(" range=", p->out);
        range(p, &c->range);
        break;
    case KH_CL_THRESHOLD: case KH_CL_TARGET:
        if (!c->nalts) {
            fputs(" range=", p->out);
            range(p, &c->range);
        }
        break;
    case KH_CL_SCALE:
        fputs(" to=", p->out);
        dec(p, c->scale);
        fputs(c->scale_pct ? "%" : "分", p->out);
        break;
    case KH_CL_ALL_OR_NONE: case KH_CL_TIER: case KH_CL_DEDUPE: case KH_CL_FLOOR: case KH_CL_NO_FLOOR:
    case KH_CL_CAP: case KH_CL_FULL: case KH_CL_BASE: case KH_CL_RANK: case KH_CL_QUOTA:
    case KH_CL_RATE_AS: case KH_CL_FLAG: case KH_CL_NOTE: case KH_CL_INVALID:
        break;
    }
    if (c->words)
        fprintf(p->out, " words=\"%s\"", c->words);
    loc(p, c->span);
    fputc('\n', p->out);
    for (int i = 0; i < c->nalts; i++) {
        const kh_alt *a = &c->alts[i];
        indent(p, depth + 1);
        fprintf(p->out, "alt %s", who_name(a->who_kind));
        if (a->who)
            fprintf(p->out, " \"%s\"", a->who);
        if (a->who_kind == KH_WHO_SIZE) {
            fprintf(p->out, " size%s", cmp_name(a->size_cmp));
            dec(p, a->size_n);
        }
        fprintf(p->out, " %s", cmp_name(a->cmp));
        qty(p, &a->value);
        loc(p, a->span);
        fputc('\n', p->out);
    }
    for (int i = 0; i < c->ntiers; i++) {
        indent(p, depth + 1);
        fprintf(p->out, "tier %s ", c->tiers[i].level);
        dec(p, c->tiers[i].amount);
        loc(p, c->tiers[i].span);
        fputc('\n', p->out);
    }
    for (int i = 0; i < c->neffects; i++) {
        const kh_effect *e = &c->effects[i];
        indent(p, depth + 1);
        fprintf(p->out, "effect %s", effect_name(e->kind));
        if (e->kind == KH_EFF_DEDUCT || e->kind == KH_EFF_ADD || e->kind == KH_EFF_SET) {
            fputc(' ', p->out);
            dec(p, e->amount);
            fputs(unit_name(e->unit), p->out);
        }
        fprintf(p->out, " %s", to_name(e->to));
        loc(p, e->span);
        fputc('\n', p->out);
    }
}

static void attrs(kh_pr *p, const kh_attrs *a)
{
    if (a->has_base) {
        fputs(a->declared ? " points=" : " base=", p->out);
        dec(p, a->base);
    }
    if (a->has_full) {
        fputs(" full=", p->out);
        dec(p, a->full);
    }
    if (a->has_range) {
        fputs(" range=", p->out);
        range(p, &a->range);
    }
    if (a->has_cap) {
        fputs(" cap=", p->out);
        dec(p, a->cap);
    }
    if (a->floor)
        fputs(" floor", p->out);
    if (a->no_floor)
        fputs(" no-floor", p->out);
}

static void section(kh_pr *p, const kh_section *s, int depth)
{
    indent(p, depth);
    fprintf(p->out, "%s %s \"%s\"", depth ? "subsection" : "section", s->number ? s->number : "", s->title);
    attrs(p, &s->attrs);
    if (s->bonus)
        fputs(" bonus", p->out);
    loc(p, s->span);
    fputc('\n', p->out);
    for (int i = 0; i < s->nitems; i++) {
        const kh_item *it = &s->items[i];
        indent(p, depth + 1);
        fprintf(p->out, "item %s\"%s\"", it->number ? it->number : "", it->label);
        attrs(p, &it->attrs);
        loc(p, it->span);
        fputc('\n', p->out);
        for (int k = 0; k < it->nclauses; k++)
            clause(p, &it->clauses[k], depth + 2);
    }
    for (int i = 0; i < s->nsubs; i++)
        section(p, &s->subs[i], depth + 1);
}

void kh_ast_print(FILE *out, const kh_scheme *s)
{
    kh_pr pr = {out, s->src};
    kh_pr *p = &pr;
    fprintf(out, "scheme \"%s\"\n", s->name ? s->name : "");
    fprintf(out, "  subject %s\n", s->subject == KH_SUBJ_UNIT ? "unit" : "person");
    if (s->unit == KH_UNIT_YUAN)
        fputs("  unit 元\n", out);
    if (s->has_full) {
        fputs("  full ", out);
        dec(p, s->full);
        fputc('\n', out);
    }
    if (s->has_base) {
        fputs("  base ", out);
        dec(p, s->base);
        fputc('\n', out);
    }
    if (s->upper_exclusive)
        fputs("  upper-exclusive\n", out);
    if (s->has_period) {
        static const char *const names[] = {"year", "half", "quarter", "month"};
        fprintf(out, "  period %s\n", names[s->period]);
    }
    if (s->has_weight) {
        fputs("  weight ", out);
        dec(p, s->weight);
        fputs("%\n", out);
    }
    for (int i = 0; i < s->nsections; i++)
        section(p, &s->sections[i], 0);
    for (int i = 0; i < s->ngrades; i++) {
        const kh_grade *g = &s->grades[i];
        fprintf(out, "grade \"%s\"", g->name);
        loc(p, g->span);
        fputc('\n', out);
        for (int k = 0; k < g->nconds; k++) {
            const kh_gcond *c = &g->conds[k];
            switch (c->kind) {
            case KH_GC_SCORE:
                fputs("  score ", out);
                range(p, &c->range);
                break;
            case KH_GC_RANK:
                fputs("  rank-top ", out);
                dec(p, c->n);
                fputs(c->pct ? "%" : "名", out);
                break;
            case KH_GC_QUOTA:
                fputs("  quota ", out);
                if (c->n_min) {
                    dec(p, c->n_min);
                    fputc('-', out);
                }
                dec(p, c->n);
                fputs(c->pct ? "%" : "名", out);
                break;
            }
            loc(p, c->span);
            fputc('\n', out);
        }
    }
    for (int i = 0; i < s->nvetoes; i++) {
        const kh_veto *v = &s->vetoes[i];
        fprintf(out, "veto \"%s\"", v->label);
        if (v->cap_grade)
            fprintf(out, " cap=\"%s\"", v->cap_grade);
        if (v->flag)
            fprintf(out, " flag=\"%s\"", v->flag);
        loc(p, v->span);
        fputc('\n', out);
    }
    for (int i = 0; i < s->nprereqs; i++) {
        fprintf(out, "prereq \"%s\"", s->prereqs[i].label);
        loc(p, s->prereqs[i].span);
        fputc('\n', out);
    }
}
