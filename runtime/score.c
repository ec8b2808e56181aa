/* score.c — from files to scores: entities from the roster, events interned
 * against the IR and grouped by entity, one engine run per entity, then
 * ranks and grades.
 *
 * Nothing is dropped silently: an event for a person not in the roster, an
 * 事项 no rule reads, a 级别 no tier names, an event outside --period, is
 * counted and reported with its line (the first few one by one, then a
 * summary), and --strict turns them into errors.
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

static const kh_msg m_unknown_person = {"R101", "人员「%1」不在名单中，此条记录未计分",
                                        "person 「%1」 is not in the roster; the event is not counted",
                                        "在名单中加上此人，或更正人员名称", "add the person to the roster or correct the name"};
static const kh_msg m_unknown_item = {"R102", "事项「%1」在规则中没有对应的考核项，此条记录未计分",
                                      "no rule reads 事项 「%1」; the event is not counted",
                                      "事项名称应与规则中考核项的名称一致", "事项 must match an item label of the scheme"};
static const kh_msg m_out_of_range = {"R103", "评分「%1」超出「%2」的范围 %3",
                                      "score 「%1」 is outside the range of 「%2」 %3", NULL, NULL};
static const kh_msg m_unknown_level = {"R104", "级别「%1」不在「%2」的分级中，此条记录得0分",
                                       "level 「%1」 is not one 「%2」 scores; the event earns 0",
                                       "级别应为：%3", "levels are: %3"};
static const kh_msg m_unknown_leader = {"R105", "「%1」的分管领导「%2」不在名单中",
                                        "the leader 「%2」 of 「%1」 is not in the roster", NULL, NULL};
static const kh_msg m_no_date = {"R106", "此条记录没有日期，无法判断是否属于%1",
                                 "this event has no date, so it cannot be placed in %1", NULL, NULL};
static const kh_msg m_more = {"R109", "还有%1条同类记录（%2）未逐条列出", "%1 more events like this (%2) not listed",
                              NULL, NULL};
static const kh_msg m_no_leader = {"R107", "「%1」没有分管领导，由分管领导承担的扣分无人承担",
                                   "「%1」 has no leader; the leader's share of this deduction falls on nobody",
                                   "在名单的「分管领导」列填写", "fill in the 分管领导 column of the roster"};
static const kh_msg m_nomem = {"R190", "内存不足", "out of memory", NULL, NULL};
static const kh_msg m_empty_roster = {"R110", "名单中没有任何人员", "the roster lists nobody", NULL, NULL};
static const kh_msg m_bad_period = {"U010", "无法识别的考核期「%1」", "cannot read period 「%1」",
                                    "可写：2023、2023H1、2023H2、2023Q1…2023Q4、2023-05",
                                    "use 2023, 2023H1, 2023H2, 2023Q1..2023Q4 or 2023-05"};

enum { KH_LIST_MAX = 20 };

typedef struct kh_sc {
    kh_alloc *a;
    kh_diags *d;
    const kh_score_opts *o;
    kh_scored *sc;
    kh_strmap persons, units, items, keys;
    int32_t *item_first;          /* per interned label: first measure with it, chained by next */
    int32_t *measure_next;
    int32_t *person_entity;       /* roster entry → entity */
    int32_t *person_leader;       /* roster entry → roster entry of leader, −1 */
    size_t listed[8];
    size_t more[8];
    bool oom;
} kh_sc;

/* ------------------------------------------------------------- periods */

static bool date_of(int y, int m, int d, int32_t *days)
{
    char b[32];
    snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
    return kh_csv_parse_date(b, strlen(b), days);
}

bool kh_period_parse(const char *s, int32_t *lo, int32_t *hi)
{
    int y = 0, k = 0, n = 0;
    size_t len = strlen(s);
    if (sscanf(s, "%4d%n", &y, &n) != 1 || n != 4 || y < 1900 || y > 2999)
        return false;
    int m0 = 1, m1 = 13;
    if (len == 4) {
    } else if (len == 6 && (s[4] == 'H' || s[4] == 'h') && (s[5] == '1' || s[5] == '2')) {
        k = s[5] - '0';
        m0 = k == 1 ? 1 : 7;
        m1 = m0 + 6;
    } else if (len == 6 && (s[4] == 'Q' || s[4] == 'q') && s[5] >= '1' && s[5] <= '4') {
        k = s[5] - '0';
        m0 = 3 * (k - 1) + 1;
        m1 = m0 + 3;
    } else if (len == 7 && s[4] == '-' && sscanf(s + 5, "%2d", &k) == 1 && k >= 1 && k <= 12) {
        m0 = k;
        m1 = k + 1;
    } else {
        return false;
    }
    if (!date_of(y, m0, 1, lo))
        return false;
    return m1 == 13 ? date_of(y + 1, 1, 1, hi) : date_of(y, m1, 1, hi);
}

/* ------------------------------------------------------------ reporting */

static void report(kh_sc *x, int kind, kh_severity sev, const kh_msg *m, kh_span sp, const char *a1,
                   const char *a2, const char *a3)
{
    if (x->o->strict && sev == KH_WARNING)
        sev = KH_ERROR;
    if (x->listed[kind] < KH_LIST_MAX || sev == KH_ERROR) {
        x->listed[kind]++;
        kh_diag_add(x->d, sev, m, &x->sc->log.src, sp, a1, a2, a3);
    } else {
        x->more[kind]++;
    }
}

static void report_more(kh_sc *x)
{
    static const char *const what[] = {"人员不在名单中", "事项无对应考核项", "级别未定义", "", "", "", "", ""};
    for (int k = 0; k < 3; k++) {
        if (!x->more[k])
            continue;
        char n[32];
        snprintf(n, sizeof n, "%zu", x->more[k]);
        kh_span none = {0, 0};
        kh_diag_add(x->d, x->o->strict ? KH_ERROR : KH_WARNING, &m_more, &x->sc->log.src, none, n, what[k], NULL);
    }
}

/* ------------------------------------------------------------- entities */

static int32_t intern_name(char **names, int32_t n, const char *s)
{
    for (int32_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i + 1;
    return 0;
}

static bool build_entities(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    const kh_roster *r = &sc->roster;
    x->person_entity = kh_calloc(x->a, r->n + 1, sizeof *x->person_entity);
    x->person_leader = kh_calloc(x->a, r->n + 1, sizeof *x->person_leader);
    sc->ent = kh_calloc(x->a, r->n + 1, sizeof *sc->ent);
    if (!x->person_entity || !x->person_leader || !sc->ent)
        return false;
    /* unit sizes: members per 部门 */
    kh_strmap_init(&x->units, x->a);
    size_t *size = kh_calloc(x->a, r->n + 1, sizeof *size);
    if (!size)
        return false;
    for (size_t i = 0; i < r->n; i++) {
        int32_t u = kh_strmap_put(&x->units, r->p[i].dept, strlen(r->p[i].dept));
        if (u < 0) {
            kh_free(size);
            return false;
        }
        size[u]++;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (kh_strmap_put(&x->persons, r->p[i].person, strlen(r->p[i].person)) < 0) {
            kh_free(size);
            return false;
        }
    }
    if (ir->subject == KH_SUBJ_UNIT) {
        for (size_t u = 0; u < x->units.n; u++) {
            kh_entity *e = &sc->ent[sc->nent++];
            e->id = x->units.keys[u];
            e->dept = e->id;
            e->unit = intern_name(ir->units, ir->nunits, e->id);
            e->size = (kh_dec)size[u] * KH_DEC_ONE;
        }
        for (size_t i = 0; i < r->n; i++)
            x->person_entity[i] = kh_strmap_get(&x->units, r->p[i].dept, strlen(r->p[i].dept));
    } else {
        for (size_t i = 0; i < r->n; i++) {
            kh_entity *e = &sc->ent[sc->nent];
            e->id = r->p[i].person;
            e->dept = r->p[i].dept;
            e->role = intern_name(ir->roles, ir->nroles, r->p[i].role);
            e->unit = intern_name(ir->units, ir->nunits, r->p[i].dept);
            e->size = (kh_dec)size[kh_strmap_get(&x->units, e->dept, strlen(e->dept))] * KH_DEC_ONE;
            e->line = r->p[i].line;
            x->person_entity[i] = (int32_t)sc->nent++;
        }
    }
    kh_free(size);
    for (size_t i = 0; i < r->n; i++) {
        x->person_leader[i] = -1;
        if (!r->p[i].leader[0])
            continue;
        int32_t l = kh_strmap_get(&x->persons, r->p[i].leader, strlen(r->p[i].leader));
        if (l < 0)
            kh_diag_add(x->d, x->o->strict ? KH_ERROR : KH_WARNING, &m_unknown_leader, &r->src, r->p[i].span,
                        r->p[i].person, r->p[i].leader, NULL);
        x->person_leader[i] = l;
    }
    return true;
}

/* --------------------------------------------------------------- events */

/* Measures by label: item_first[label] → first measure, measure_next → more. */
static bool index_measures(kh_sc *x)
{
    const kh_ir *ir = x->sc->ir;
    kh_strmap_init(&x->items, x->a);
    x->item_first = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *x->item_first);
    x->measure_next = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *x->measure_next);
    if (!x->item_first || !x->measure_next)
        return false;
    for (int32_t m = 0; m < ir->nmeasures; m++) {
        size_t before = x->items.n;
        int32_t l = kh_strmap_put(&x->items, ir->measures[m].label, strlen(ir->measures[m].label));
        if (l < 0)
            return false;
        if (x->items.n > before)
            x->item_first[l] = -1;
        x->measure_next[m] = x->item_first[l];
        x->item_first[l] = m;
    }
    return true;
}

static bool measure_has_tier(const kh_ir *ir, int32_t m)
{
    for (int32_t t = 0; t < ir->ntiers; t++)
        if (ir->tiers[t].measure == m)
            return true;
    return false;
}

static void levels_list(const kh_ir *ir, char *buf, size_t cap)
{
    size_t w = 0;
    buf[0] = 0;
    for (int32_t i = 0; i < ir->nlevels; i++) {
        int k = snprintf(buf + w, cap - w, "%s%s", i ? "、" : "", ir->levels[i]);
        if (k < 0 || (size_t)k >= cap - w)
            break;
        w += (size_t)k;
    }
}

static int32_t level_of(const kh_ir *ir, const char *s)
{
    if (!s[0])
        return -1;
    const char *canon = kh_level_name(s, strlen(s));
    if (!canon)
        canon = s;
    for (int32_t i = 0; i < ir->nlevels; i++)
        if (strcmp(ir->levels[i], canon) == 0)
            return i;
    return -2;
}

typedef struct kh_tmp_event {
    kh_event e;
    int32_t entity;
    uint32_t raw;
} kh_tmp_event;

static int cmp_tmp(const void *pa, const void *pb)
{
    const kh_tmp_event *a = pa, *b = pb;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    if (a->e.measure != b->e.measure)
        return a->e.measure < b->e.measure ? -1 : 1;
    if (a->e.key != b->e.key)
        return a->e.key < b->e.key ? -1 : 1;
    if (a->e.member != b->e.member)
        return a->e.member < b->e.member ? -1 : 1;
    return a->raw < b->raw ? -1 : a->raw > b->raw;
}

static bool push(kh_sc *x, kh_tmp_event **v, size_t *n, size_t *cap, const kh_tmp_event *t)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 1024;
        kh_tmp_event *nv = kh_realloc(x->a, *v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = *t;
    return true;
}

/* The roster entry an event belongs to, or −1. */
static int32_t event_person(kh_sc *x, const kh_raw_event *re)
{
    if (!re->person[0])
        return -1;
    return kh_strmap_get(&x->persons, re->person, strlen(re->person));
}

static bool in_range(const kh_measure *m, kh_dec v)
{
    return !m->has_range || (v >= m->lo && v <= m->hi);
}

static bool place_event(kh_sc *x, size_t i, kh_tmp_event **tv, size_t *tn, size_t *tcap)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    const kh_raw_event *re = &sc->log.ev[i];
    char buf[64], lv[256];
    if (sc->has_period) {
        if (re->date == INT32_MIN) {
            kh_diag_add(x->d, KH_ERROR, &m_no_date, &sc->log.src, re->span, x->o->period, NULL, NULL);
            sc->rejected++;
            return true;
        }
        if (re->date < sc->period_lo || re->date >= sc->period_hi) {
            sc->outside_period++;
            return true;
        }
    }
    int32_t label = kh_strmap_get(&x->items, re->item, strlen(re->item));
    if (label < 0) {
        sc->unknown_item++;
        report(x, 1, KH_WARNING, &m_unknown_item, re->span, re->item, NULL, NULL);
        return true;
    }
    int32_t person = event_person(x, re);
    int32_t entity = -1, member = 0;
    if (person >= 0) {
        entity = x->person_entity[person];
        member = person;
    } else if (ir->subject == KH_SUBJ_UNIT && !re->person[0] && re->dept[0]) {
        entity = kh_strmap_get(&x->units, re->dept, strlen(re->dept));
        member = -1;
    }
    if (entity < 0) {
        sc->unknown_person++;
        report(x, 0, KH_WARNING, &m_unknown_person, re->span, re->person[0] ? re->person : re->dept, NULL, NULL);
        return true;
    }
    int32_t level = level_of(ir, re->level);
    int32_t key = -1;
    if (re->key[0]) {
        key = kh_strmap_put(&x->keys, re->key, strlen(re->key));
        if (key < 0)
            return false;
    }
    bool counted = false;
    for (int32_t m = x->item_first[label]; m >= 0; m = x->measure_next[m]) {
        const kh_measure *ms = &ir->measures[m];
        if (!in_range(ms, re->value)) {
            char range[96], lo[32], hi[32];
            kh_dec_format(ms->lo, lo, sizeof lo);
            kh_dec_format(ms->hi, hi, sizeof hi);
            snprintf(range, sizeof range, "%s–%s", lo, hi);
            kh_dec_format(re->value, buf, sizeof buf);
            kh_diag_add(x->d, KH_ERROR, &m_out_of_range, &sc->log.src, re->span, buf, ms->label, range);
            sc->rejected++;
            return true;
        }
        if (level == -2 && measure_has_tier(ir, m)) {
            levels_list(ir, lv, sizeof lv);
            sc->unknown_level++;
            report(x, 2, KH_WARNING, &m_unknown_level, re->span, re->level, ms->label, lv);
        }
        int32_t to = entity;
        if (ms->leader) {
            if (ir->subject == KH_SUBJ_UNIT || person < 0)
                continue;
            int32_t l = x->person_leader[person];
            if (l < 0) {
                if (!sc->roster.p[person].leader[0])
                    kh_diag_add(x->d, KH_WARNING, &m_no_leader, &sc->log.src, re->span, re->person, NULL, NULL);
                continue;
            }
            to = x->person_entity[l];
        }
        kh_tmp_event t = {0};
        t.e.measure = m;
        t.e.level = level < 0 ? -1 : level;
        t.e.key = key;
        t.e.member = member;
        t.e.value = re->value;
        t.e.line = re->line;
        t.e.date = re->date;
        t.entity = to;
        t.raw = (uint32_t)i;
        if (!push(x, tv, tn, tcap, &t))
            return false;
        counted = true;
    }
    if (counted)
        sc->counted++;
    return true;
}

static bool group_events(kh_sc *x)
{
    kh_scored *sc = x->sc;
    kh_tmp_event *tv = NULL;
    size_t tn = 0, tcap = 0;
    kh_strmap_init(&x->keys, x->a);
    for (size_t i = 0; i < sc->log.n; i++)
        if (!place_event(x, i, &tv, &tn, &tcap)) {
            kh_free(tv);
            return false;
        }
    report_more(x);
    qsort(tv, tn, sizeof *tv, cmp_tmp);
    sc->ev = kh_malloc(x->a, (tn + 1) * sizeof *sc->ev);
    sc->raw = kh_malloc(x->a, (tn + 1) * sizeof *sc->raw);
    sc->first = kh_calloc(x->a, sc->nent + 1, sizeof *sc->first);
    if (!sc->ev || !sc->raw || !sc->first) {
        kh_free(tv);
        return false;
    }
    size_t e = 0;
    for (size_t i = 0; i < tn; i++) {
        while (e < (size_t)tv[i].entity)
            sc->first[++e] = i;
        sc->ev[i] = tv[i].e;
        sc->raw[i] = tv[i].raw;
    }
    while (e < sc->nent)
        sc->first[++e] = tn;
    sc->nev = tn;
    kh_free(tv);
    /* keep the 编号 strings for explanations */
    sc->keys = kh_malloc(x->a, (x->keys.n + 1) * sizeof *sc->keys);
    if (!sc->keys)
        return false;
    for (size_t k = 0; k < x->keys.n; k++)
        sc->keys[k] = (char *)x->keys.keys[k];
    return true;
}

/* --------------------------------------------------------------- engines */

static void entity_in(const kh_scored *sc, size_t i, kh_entity_in *in)
{
    in->ev = sc->ev + sc->first[i];
    in->nev = (int64_t)(sc->first[i + 1] - sc->first[i]);
    in->role = sc->ent[i].role;
    in->unit = sc->ent[i].unit;
    in->size = sc->ent[i].size;
}

/* Choose the engine in one place: the JIT when asked for, or when the work
 * is large enough to pay back its compile time; else the interpreter.  A
 * JIT failure falls back to the interpreter unless the JIT was required. */
static bool run_engines(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    size_t ncols = (size_t)ir->ncols;
    sc->rows = kh_calloc(x->a, sc->nent * ncols + 1, sizeof *sc->rows);
    if (!sc->rows)
        return false;
    kh_entity_fn fn = NULL;
    kh_jit *jit = NULL;
    bool want_jit = x->o->engine == KH_ENGINE_JIT || x->o->compiled ||
                    (x->o->engine == KH_ENGINE_AUTO && sc->nev * (size_t)ir->nins > 200u * 1000u * 1000u);
    if (want_jit) {
        kh_jit_stats st;
        if (x->o->compiled)
            jit = kh_jit_load_so(ir, x->o->compiled, sc->jit_error, sizeof sc->jit_error);
        else
            jit = kh_jit_compile(ir, x->o->jit, &st, sc->jit_error, sizeof sc->jit_error);
        if (jit)
            fn = kh_jit_fn(jit);
        if (!fn && (x->o->engine == KH_ENGINE_JIT || x->o->compiled))
            return false;
    }
    sc->engine_used = fn ? "jit" : "interp";
    kh_dec *regs = fn ? NULL : kh_malloc(x->a, ((size_t)ir->nins + 1) * sizeof *regs);
    if (!fn && !regs) {
        kh_jit_free(jit);
        return false;
    }
    for (size_t i = 0; i < sc->nent; i++) {
        kh_entity_in in;
        entity_in(sc, i, &in);
        if (fn)
            fn(&in, sc->rows + i * ncols);
        else
            kh_interp(ir, &in, regs, sc->rows + i * ncols);
    }
    kh_free(regs);
    kh_jit_free(jit);
    return true;
}

/* ------------------------------------------------------------------ API */

bool kh_score(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_score_opts *o, kh_scored *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->ir = ir;
    kh_sc x = {0};
    x.a = a;
    x.d = d;
    x.o = o;
    x.sc = sc;
    kh_strmap_init(&x.persons, a);
    kh_strmap_init(&x.units, a);
    kh_strmap_init(&x.items, a);
    kh_strmap_init(&x.keys, a);
    bool ok = false;
    if (o->period) {
        if (!kh_period_parse(o->period, &sc->period_lo, &sc->period_hi)) {
            kh_diag_add(d, KH_ERROR, &m_bad_period, NULL, (kh_span){0, 0}, o->period, NULL, NULL);
            goto done;
        }
        sc->has_period = true;
    }
    sc->have_roster = kh_roster_read(a, d, o->roster, o->encoding, &sc->roster);
    if (!sc->have_roster)
        goto done;
    if (!sc->roster.n) {
        kh_diag_add(d, KH_ERROR, &m_empty_roster, &sc->roster.src, (kh_span){0, 0}, NULL, NULL, NULL);
        goto done;
    }
    sc->have_log = kh_eventlog_read(a, d, o->events, o->encoding, &sc->log);
    if (!sc->have_log)
        goto done;
    sc->rejected = sc->log.skipped;
    if (!build_entities(&x) || !index_measures(&x) || !group_events(&x)) {
        x.oom = true;
        goto done;
    }
    if (!run_engines(&x)) {
        if (!sc->jit_error[0])
            x.oom = true;
        goto done;
    }
    sc->verdicts = kh_calloc(a, sc->nent + 1, sizeof *sc->verdicts);
    if (!sc->verdicts || !kh_grade_assign(a, ir, sc->rows, sc->nent, sc->verdicts, &sc->scheme_remarks)) {
        x.oom = true;
        goto done;
    }
    ok = true;
done:
    if (x.oom) {
        d->oom = true;
        kh_diag_add(d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
    }
    /* the keys' strings live in the log; the map's arrays go */
    if (ok) {
        kh_free(x.keys.slots);
        kh_free(x.keys.lens);
        kh_free((void *)x.keys.keys);
    } else {
        kh_strmap_free(&x.keys);
    }
    kh_strmap_free(&x.persons);
    kh_strmap_free(&x.units);
    kh_strmap_free(&x.items);
    kh_free(x.item_first);
    kh_free(x.measure_next);
    kh_free(x.person_entity);
    kh_free(x.person_leader);
    return ok;
}

ptrdiff_t kh_scored_find(const kh_scored *sc, const char *id)
{
    for (size_t i = 0; i < sc->nent; i++)
        if (strcmp(sc->ent[i].id, id) == 0)
            return (ptrdiff_t)i;
    return -1;
}

void kh_scored_free(kh_scored *sc)
{
    if (sc->verdicts)
        kh_grade_free(sc->verdicts, sc->nent);
    kh_free(sc->scheme_remarks);
    kh_free(sc->rows);
    kh_free(sc->ev);
    kh_free(sc->raw);
    kh_free(sc->first);
    kh_free(sc->keys);
    kh_free(sc->ent);
    if (sc->have_log || sc->log.src.text)
        kh_eventlog_free(&sc->log);
    if (sc->have_roster || sc->roster.src.text)
        kh_roster_free(&sc->roster);
    memset(sc, 0, sizeof *sc);
}
