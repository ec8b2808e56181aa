/* explain.c — `kaohe explain`: the account a staff member reads when
 * appealing.  It reruns the reference interpreter for one entity, keeps
 * every register, and walks the IR in the order of the scheme: each section
 * and item, the events that moved it, the value of each clause as the user
 * wrote it, every floor and cap that changed something, the total, the rank
 * and how the grade was decided.
 */
#include <string.h>

#include "score.h"

typedef struct kh_ex {
    FILE *out;
    const kh_scored *sc;
    const kh_ir *ir;
    size_t who;
    kh_dec *regs;
} kh_ex;

static void num(FILE *out, kh_dec v, bool sign)
{
    char b[48];
    kh_dec_format(v, b, sizeof b);
    if (sign && v > 0)
        fputc('+', out);
    fputs(b, out);
}

static void quote(kh_ex *x, kh_span sp)
{
    const kh_source *src = x->ir->src;
    uint32_t n = sp.len;
    const char *t = src->text + sp.off;
    /* one line at most */
    for (uint32_t i = 0; i < n; i++)
        if (t[i] == '\n' || t[i] == '\r') {
            n = i;
            break;
        }
    fprintf(x->out, "「%.*s」", (int)n, t);
}

static void indent(kh_ex *x, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", x->out);
}

/* The events of one item for this entity, with where they came from. */
static void item_events(kh_ex *x, int32_t item, int depth)
{
    const kh_scored *sc = x->sc;
    const kh_ir *ir = x->ir;
    const char *label = ir->items[item].label;
    for (size_t e = sc->first[x->who]; e < sc->first[x->who + 1]; e++) {
        const kh_event *ev = &sc->ev[e];
        const kh_measure *m = &ir->measures[ev->measure];
        if (strcmp(m->label, label) != 0)
            continue;
        const kh_raw_event *re = &sc->log.ev[sc->raw[e]];
        char date[32];
        kh_csv_date_format(ev->date, date, sizeof date);
        indent(x, depth);
        fprintf(x->out, "第%u行", ev->line);
        if (date[0])
            fprintf(x->out, " %s", date);
        fprintf(x->out, " %s 数量", re->item);
        num(x->out, ev->value, false);
        if (re->value_pct)
            fputc('%', x->out);
        if (re->level[0])
            fprintf(x->out, " 级别%s", re->level);
        if (re->key[0])
            fprintf(x->out, " 编号%s", re->key);
        if (m->leader)
            fprintf(x->out, "（%s的事项，由分管领导承担）", re->person);
        if (sc->ir->subject == KH_SUBJ_UNIT && re->person[0])
            fprintf(x->out, "（%s）", re->person);
        fputc('\n', x->out);
    }
}

static bool item_has_events(kh_ex *x, int32_t item)
{
    const kh_scored *sc = x->sc;
    for (size_t e = sc->first[x->who]; e < sc->first[x->who + 1]; e++)
        if (strcmp(x->ir->measures[sc->ev[e].measure].label, x->ir->items[item].label) == 0)
            return true;
    return false;
}

static kh_dec item_value(kh_ex *x, int32_t it)
{
    const kh_ir *ir = x->ir;
    int32_t value = -1;
    for (int32_t i = 0; i < ir->nins; i++)
        if (ir->ins[i].note == KH_N_ITEM && ir->ins[i].owner == it && ir->ins[i].op != KH_OP_OUT)
            value = i;
    return value >= 0 ? x->regs[value] : 0;
}

/* An item worth telling: it has events, moved from where it starts, or is
 * worth points of its own (an item left at 0 of its 5 points matters). */
static bool item_worth_telling(kh_ex *x, int32_t it)
{
    const kh_ir_item *ii = &x->ir->items[it];
    return ii->has_points || item_value(x, it) != ii->start || item_has_events(x, it);
}

static void item(kh_ex *x, int32_t it, int depth)
{
    const kh_ir *ir = x->ir;
    indent(x, depth);
    fprintf(x->out, "%s %s：", ir->items[it].path, ir->items[it].label);
    num(x->out, item_value(x, it), false);
    fputs("分\n", x->out);
    item_events(x, it, depth + 2);
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        if (p->owner != it)
            continue;
        if (p->note == KH_N_CLAUSE) {
            indent(x, depth + 1);
            quote(x, p->span);
            fputs("：", x->out);
            num(x->out, x->regs[i], true);
            fputc('\n', x->out);
        } else if ((p->note == KH_N_FLOOR || p->note == KH_N_CAP) && x->regs[p->a] != x->regs[i]) {
            indent(x, depth + 1);
            fputs(p->note == KH_N_FLOOR ? "扣完为止：" : "加分上限：", x->out);
            num(x->out, x->regs[p->a], false);
            fputs(" → ", x->out);
            num(x->out, x->regs[i], false);
            fputc('\n', x->out);
        }
    }
}

static void section(kh_ex *x, int32_t s, int depth)
{
    const kh_ir *ir = x->ir;
    int32_t value = -1;
    for (int32_t i = 0; i < ir->nins; i++)
        if (ir->ins[i].note == KH_N_SECTION && ir->ins[i].owner == s && ir->ins[i].op != KH_OP_OUT)
            value = i;
    indent(x, depth);
    fprintf(x->out, "%s %s", ir->sections[s].path, ir->sections[s].title);
    if (ir->sections[s].start) {
        fputs("（基本分", x->out);
        num(x->out, ir->sections[s].start, false);
        fputs("分）", x->out);
    }
    fputs("：", x->out);
    num(x->out, value >= 0 ? x->regs[value] : 0, false);
    fputs("分\n", x->out);
    int quiet = 0;
    for (int32_t i = 0; i < ir->nitems; i++) {
        if (ir->items[i].section != s)
            continue;
        if (item_worth_telling(x, i))
            item(x, i, depth + 1);
        else
            quiet++;
    }
    if (quiet) {
        indent(x, depth + 1);
        fprintf(x->out, "（其余%d项没有记录，不加不扣）\n", quiet);
    }
    for (int32_t i = 0; i < ir->nsections; i++)
        if (ir->sections[i].parent == s)
            section(x, i, depth + 1);
    for (int32_t i = 0; i < ir->nins; i++) {
        const kh_ins *p = &ir->ins[i];
        if (p->owner != s || (p->note != KH_N_SEC_FLOOR && p->note != KH_N_SEC_CAP) || x->regs[p->a] == x->regs[i])
            continue;
        indent(x, depth + 1);
        fputs(p->note == KH_N_SEC_FLOOR ? "本部分扣完为止：" : "本部分加分上限：", x->out);
        num(x->out, x->regs[p->a], false);
        fputs(" → ", x->out);
        num(x->out, x->regs[i], false);
        fputc('\n', x->out);
    }
}

static void grade_line(void *ctx, const char *text)
{
    kh_ex *x = ctx;
    fprintf(x->out, "  %s\n", text);
}

/* The account through a's allocations; false, with nothing written, when
 * memory runs out.  (Declared in score.h once the CLI uses it.) */
bool kh_explain_alloc(kh_alloc *a, FILE *out, const kh_scored *sc, size_t who)
{
    const kh_ir *ir = sc->ir;
    kh_ex x = {out, sc, ir, who, NULL};
    x.regs = kh_malloc(a, ((size_t)ir->nins + 1) * sizeof *x.regs);
    kh_dec *row = kh_malloc(a, ((size_t)ir->ncols + 1) * sizeof *row);
    if (!x.regs || !row) {
        kh_free(x.regs);
        kh_free(row);
        return false;
    }
    kh_entity_in in;
    in.ev = sc->ev + sc->first[who];
    in.nev = (int64_t)(sc->first[who + 1] - sc->first[who]);
    in.role = sc->ent[who].role;
    in.unit = sc->ent[who].unit;
    in.size = sc->ent[who].size;
    in.agg = NULL;
    kh_interp(ir, &in, x.regs, row);

    const kh_entity *e = &sc->ent[who];
    fprintf(out, "%s：%s", ir->subject == KH_SUBJ_UNIT ? "单位" : "人员", e->id);
    if (ir->subject != KH_SUBJ_UNIT && e->dept[0])
        fprintf(out, "（%s）", e->dept);
    fprintf(out, "\n方案：%s\n", ir->name);
    if (sc->has_period)
        fprintf(out, "考核期：%s\n", "按 --period 所选");
    fputc('\n', out);
    for (int32_t s = 0; s < ir->nsections; s++)
        if (ir->sections[s].parent < 0)
            section(&x, s, 0);
    fputc('\n', out);
    if (ir->bonus_col >= 0) {
        fputs("加分合计：", out);
        num(out, row[ir->bonus_col], false);
        fputs("分\n", out);
    }
    fputs("总分：", out);
    num(out, row[ir->total_col], false);
    fputs(ir->unit == KH_UNIT_YUAN ? "元\n" : "分\n", out);
    if (ir->weighted_col >= 0) {
        fputs("加权分：", out);
        num(out, row[ir->weighted_col], false);
        fputs("分\n", out);
    }
    fprintf(out, "排名：第%d名（共%zu%s）\n", sc->verdicts[who].rank, sc->nent,
            ir->subject == KH_SUBJ_UNIT ? "个单位" : "人");
    if (ir->ngrades) {
        int32_t g = sc->verdicts[who].grade;
        fprintf(out, "等次：%s\n", g >= 0 ? ir->grades[g].name : "未评定");
        kh_grade_explain(sc->cols, sc->rows, sc->nent, sc->verdicts, who, grade_line, &x);
    }
    if (sc->verdicts[who].remarks && sc->verdicts[who].remarks[0])
        fprintf(out, "备注：%s\n", sc->verdicts[who].remarks);
    kh_free(x.regs);
    kh_free(row);
    return true;
}

void kh_explain(FILE *out, const kh_scored *sc, size_t who)
{
    kh_explain_alloc(NULL, out, sc, who);
}
