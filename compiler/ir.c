/* ir.c — the IR's text form (`kaohe ir`), used by golden tests and as the
 * key of the compile cache: two schemes with the same text compute the same
 * thing.  Spans are printed as line:col so the text also says where each
 * instruction came from. */
#include "compiler.h"

const char *kh_op_name(kh_op op)
{
    switch (op) {
    case KH_OP_CONST: return "const";
    case KH_OP_SUM: return "sum";
    case KH_OP_COUNT: return "count";
    case KH_OP_MEAN: return "mean";
    case KH_OP_ATTR: return "attr";
    case KH_OP_TIER: return "tier";
    case KH_OP_MEMBERS: return "members";
    case KH_OP_MSTEPS: return "msteps";
    case KH_OP_ADD: return "add";
    case KH_OP_SUB: return "sub";
    case KH_OP_MUL: return "mul";
    case KH_OP_DIV: return "div";
    case KH_OP_STEPS: return "steps";
    case KH_OP_MIN: return "min";
    case KH_OP_MAX: return "max";
    case KH_OP_LT: return "lt";
    case KH_OP_LE: return "le";
    case KH_OP_EQ: return "eq";
    case KH_OP_SELECT: return "select";
    case KH_OP_FLOOR: return "floor";
    case KH_OP_CAP: return "cap";
    case KH_OP_OUT: return "out";
    }
    return "?";
}

static const char *note_name(kh_note n)
{
    switch (n) {
    case KH_N_NONE: return NULL;
    case KH_N_MEASURE: return "measure";
    case KH_N_CLAUSE: return "clause";
    case KH_N_ITEM: return "item";
    case KH_N_SECTION: return "section";
    case KH_N_FLOOR: return "floor";
    case KH_N_CAP: return "cap";
    case KH_N_SEC_FLOOR: return "floor";
    case KH_N_SEC_CAP: return "cap";
    case KH_N_BONUS: return "bonus";
    case KH_N_TOTAL: return "total";
    }
    return NULL;
}

static const char *col_name(kh_col_kind k)
{
    switch (k) {
    case KH_COL_ITEM: return "item";
    case KH_COL_SECTION: return "section";
    case KH_COL_BONUS: return "bonus";
    case KH_COL_TOTAL: return "total";
    case KH_COL_WEIGHTED: return "weighted";
    case KH_COL_VETO: return "veto";
    case KH_COL_PREREQ: return "prereq";
    }
    return "?";
}

static void dec(FILE *out, kh_dec v)
{
    char b[48];
    kh_dec_format(v, b, sizeof b);
    fputs(b, out);
}

static void at(FILE *out, const kh_ir *ir, kh_span sp)
{
    int l, c;
    if (!ir->src || (sp.off == 0 && sp.len == 0))
        return;
    kh_source_linecol(ir->src, sp.off, &l, &c);
    fprintf(out, " @%d:%d", l, c);
}

static void operands(FILE *out, const kh_ins *p)
{
    switch (p->op) {
    case KH_OP_CONST: dec(out, p->imm); break;
    case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_MEMBERS:
        fprintf(out, "m%lld", (long long)p->imm);
        break;
    case KH_OP_ATTR: {
        static const char *const names[] = {"role", "unit", "size"};
        fputs(p->imm >= 0 && p->imm < 3 ? names[p->imm] : "?", out);
        break;
    }
    case KH_OP_TIER: fprintf(out, "t%lld", (long long)p->imm); break;
    case KH_OP_MSTEPS:
        fprintf(out, "m%lld%s%s, %%%d, %%%d", (long long)(p->imm & KH_MSTEPS_MEASURE),
                (p->imm & KH_MSTEPS_EXCESS) ? " excess" : " shortfall", (p->imm & KH_MSTEPS_RATE) ? " rate" : "",
                p->a, p->b);
        break;
    case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS: case KH_OP_MIN:
    case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ: case KH_OP_CAP:
        fprintf(out, "%%%d, %%%d", p->a, p->b);
        break;
    case KH_OP_SELECT: fprintf(out, "%%%d, %%%d, %%%d", p->a, p->b, p->c); break;
    case KH_OP_FLOOR: fprintf(out, "%%%d", p->a); break;
    case KH_OP_OUT: fprintf(out, "c%lld, %%%d", (long long)p->imm, p->a); break;
    }
}

void kh_ir_print(FILE *out, const kh_ir *ir)
{
    fprintf(out, "scheme \"%s\" subject=%s unit=%s%s\n", ir->name, ir->subject == KH_SUBJ_UNIT ? "unit" : "person",
            ir->unit == KH_UNIT_YUAN ? "元" : "分", ir->upper_exclusive ? " upper-exclusive" : "");
    for (int32_t i = 0; i < ir->nmeasures; i++) {
        const kh_measure *m = &ir->measures[i];
        fprintf(out, "measure m%d \"%s\"%s", i, m->label, m->leader ? " leader" : "");
        if (m->has_range) {
            fputs(" range=[", out);
            dec(out, m->lo);
            fputs(", ", out);
            dec(out, m->hi);
            fputs("]", out);
        }
        fputc('\n', out);
    }
    for (int32_t i = 0; i < ir->nlevels; i++)
        fprintf(out, "level l%d \"%s\"\n", i, ir->levels[i]);
    for (int32_t i = 0; i < ir->nroles; i++)
        fprintf(out, "role %d \"%s\"\n", i + 1, ir->roles[i]);
    for (int32_t i = 0; i < ir->nunits; i++)
        fprintf(out, "unit %d \"%s\"\n", i + 1, ir->units[i]);
    for (int32_t i = 0; i < ir->ntiers; i++) {
        const kh_tiertab *t = &ir->tiers[i];
        fprintf(out, "tier t%d m%d%s", i, t->measure, t->dedupe ? " dedupe" : "");
        for (int32_t l = 0; l < ir->nlevels; l++)
            if (t->amount[l]) {
                fprintf(out, " l%d=", l);
                dec(out, t->amount[l]);
            }
        fputc('\n', out);
    }
    for (int32_t i = 0; i < ir->ncols; i++)
        fprintf(out, "col c%d %s \"%s\"%s\n", i, col_name(ir->cols[i].kind), ir->cols[i].title ? ir->cols[i].title : "",
                ir->cols[i].top ? " top" : "");
    for (int32_t i = 0; i < ir->ngrades; i++) {
        const kh_ir_grade *g = &ir->grades[i];
        fprintf(out, "grade g%d \"%s\"", i, g->name);
        if (g->has_range) {
            fputs(" score", out);
            fputs(g->range.has_lo ? (g->range.lo_incl ? "[" : "(") : "(", out);
            if (g->range.has_lo)
                dec(out, g->range.lo);
            fputs(",", out);
            if (g->range.has_hi)
                dec(out, g->range.hi);
            fputs(g->range.has_hi ? (g->range.hi_incl ? "]" : ")") : ")", out);
        }
        if (g->has_rank) {
            fputs(" rank<=", out);
            dec(out, g->rank);
            fputs(g->rank_pct ? "%" : "", out);
        }
        if (g->has_quota) {
            fputs(" quota=", out);
            if (g->quota_min) {
                dec(out, g->quota_min);
                fputc('-', out);
            }
            dec(out, g->quota);
            fputs(g->quota_pct ? "%" : "", out);
        }
        fputc('\n', out);
    }
    for (int32_t i = 0; i < ir->nvetoes; i++) {
        const kh_ir_veto *v = &ir->vetoes[i];
        fprintf(out, "veto \"%s\" c%d", v->label, v->col);
        if (v->cap_grade >= 0)
            fprintf(out, " cap=g%d", v->cap_grade);
        if (v->flag)
            fprintf(out, " flag=\"%s\"", v->flag);
        fputc('\n', out);
    }
    for (int32_t i = 0; i < ir->nprereqs; i++)
        fprintf(out, "prereq \"%s\" c%d\n", ir->prereqs[i].label, ir->prereqs[i].col);
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        fprintf(out, "%%%d = %s ", i, kh_op_name(p->op));
        operands(out, p);
        const char *n = note_name(p->note);
        if (n) {
            fprintf(out, "  ; %s", n);
            bool sec = p->note == KH_N_SECTION || p->note == KH_N_SEC_FLOOR || p->note == KH_N_SEC_CAP;
            if (p->owner >= 0 && sec && p->owner < ir->nsections)
                fprintf(out, " %s", ir->sections[p->owner].path);
            else if (p->owner >= 0 && !sec && p->owner < ir->nitems)
                fprintf(out, " %s", ir->items[p->owner].path);
        }
        at(out, ir, p->span);
        fputc('\n', out);
    }
}

void kh_ir_needs_events(const kh_ir *ir, bool *need)
{
    for (int32_t m = 0; m < ir->nmeasures; m++)
        need[m] = false;
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        int64_t m = -1;
        switch (p->op) {
        case KH_OP_TIER:
            if (p->imm >= 0 && p->imm < ir->ntiers)
                m = ir->tiers[p->imm].measure;
            break;
        case KH_OP_MEMBERS: m = p->imm; break;
        case KH_OP_MSTEPS: m = p->imm & KH_MSTEPS_MEASURE; break;
        case KH_OP_CONST: case KH_OP_SUM: case KH_OP_COUNT: case KH_OP_MEAN: case KH_OP_ATTR:
        case KH_OP_ADD: case KH_OP_SUB: case KH_OP_MUL: case KH_OP_DIV: case KH_OP_STEPS:
        case KH_OP_MIN: case KH_OP_MAX: case KH_OP_LT: case KH_OP_LE: case KH_OP_EQ:
        case KH_OP_SELECT: case KH_OP_FLOOR: case KH_OP_CAP: case KH_OP_OUT:
            break;
        }
        if (m >= 0 && m < ir->nmeasures)
            need[m] = true;
    }
}
