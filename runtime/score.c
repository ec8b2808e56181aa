/* score.c — from files to scores: entities from the roster, events interned
 * against the IR and grouped by entity, one engine run per entity, then
 * ranks and grades.
 *
 * Nothing is dropped silently: an event for a person not in the roster, an
 * 事项 no rule reads, a 级别 no tier names, an event outside --period, is
 * counted and reported with its line (the first few one by one, then a
 * summary), and --strict turns them into errors.
 */
#include "scoreint.h"

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

void kh_sc_report(kh_sc *x, int kind, kh_severity sev, const kh_msg *m, kh_span sp, const char *a1,
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

void kh_sc_report_more(kh_sc *x)
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

/* Each roster entry's unit (interned 部门) into uof[], members per unit
 * into *size.  A 部门 that is the very string of the entry before (the
 * roster reader shares repeated values) is not looked up again. */
static bool units_of(kh_sc *x, int32_t *uof, uint32_t **size)
{
    const kh_roster *r = &x->sc->roster;
    kh_strmap_init(&x->units, x->a);
    for (size_t i = 0; i < r->n; i++) {
        const kh_roster_entry *p = &r->p[i];
        uof[i] = i && p->dept == p[-1].dept ? uof[i - 1] : kh_strmap_put(&x->units, p->dept, strlen(p->dept));
        if (uof[i] < 0)
            return false;
    }
    *size = kh_calloc(x->a, x->units.n + 1, sizeof **size);
    if (!*size)
        return false;
    for (size_t i = 0; i < r->n; i++)
        (*size)[uof[i]]++;
    return true;
}

/* One entity per roster entry, entry i's unit being uof[i]. */
static void person_entities(kh_sc *x, const int32_t *uof, const uint32_t *size)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    const kh_roster *r = &sc->roster;
    int32_t role = 0, unit = 0;
    for (size_t i = 0; i < r->n; i++) {
        const kh_roster_entry *p = &r->p[i];
        kh_entity *e = &sc->ent[i];
        if (!i || p->role != p[-1].role)
            role = intern_name(ir->roles, ir->nroles, p->role);
        if (!i || p->dept != p[-1].dept)
            unit = intern_name(ir->units, ir->nunits, p->dept);
        e->id = p->person;
        e->dept = p->dept;
        e->role = role;
        e->unit = unit;
        e->size = (kh_dec)size[uof[i]] * KH_DEC_ONE;
        e->line = p->line;
    }
    sc->nent = r->n;
}

/* One entity per unit, in the order the units first appear. */
static void unit_entities(kh_sc *x, const uint32_t *size)
{
    kh_scored *sc = x->sc;
    for (size_t u = 0; u < x->units.n; u++) {
        kh_entity *e = &sc->ent[sc->nent++];
        e->id = x->units.keys[u];
        e->dept = e->id;
        e->unit = intern_name(sc->ir->units, sc->ir->nunits, e->id);
        e->size = (kh_dec)size[u] * KH_DEC_ONE;
    }
}

/* person_leader[i]: the entry of entry i's 分管领导, −1 (reported) when
 * the roster does not list them. */
static void find_leaders(kh_sc *x)
{
    const kh_roster *r = &x->sc->roster;
    for (size_t i = 0; i < r->n; i++) {
        const kh_roster_entry *p = &r->p[i];
        int32_t l = -1;
        if (p->leader[0])
            l = i && p->leader == p[-1].leader ? x->person_leader[i - 1]
                                                : kh_roster_find(r, p->leader, strlen(p->leader));
        if (p->leader[0] && l < 0)
            kh_diag_add(x->d, x->o->strict ? KH_ERROR : KH_WARNING, &m_unknown_leader, &r->src, p->span,
                        p->person, p->leader, NULL);
        x->person_leader[i] = l;
    }
}

static bool build_entities(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_roster *r = &sc->roster;
    uint32_t *size = NULL;
    x->person_entity = kh_calloc_big(x->a, r->n + 1, sizeof *x->person_entity);
    x->person_leader = kh_calloc_big(x->a, r->n + 1, sizeof *x->person_leader);
    sc->ent = kh_calloc_big(x->a, r->n + 1, sizeof *sc->ent);
    if (!x->person_entity || !x->person_leader || !sc->ent || !units_of(x, x->person_entity, &size))
        return false;
    if (sc->ir->subject == KH_SUBJ_UNIT) {
        unit_entities(x, size);         /* person_entity[i] is entry i's unit, its entity */
    } else {
        person_entities(x, x->person_entity, size);
        for (size_t i = 0; i < r->n; i++)
            x->person_entity[i] = (int32_t)i;
    }
    kh_free(size);
    find_leaders(x);
    return true;
}

/* --------------------------------------------------------------- events */

/* Measures by label: item_first[label] → first measure, measure_next → more. */
bool kh_sc_index_measures(kh_sc *x)
{
    const kh_ir *ir = x->sc->ir;
    if (x->item_first)
        return true;        /* done already (the fast reader asks which items are read) */
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

bool kh_sc_measure_has_tier(const kh_ir *ir, int32_t m)
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

int32_t kh_sc_level_of(const kh_ir *ir, const char *s)
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
    return kh_roster_find(&x->sc->roster, re->person, strlen(re->person));
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
        kh_sc_report(x, 1, KH_WARNING, &m_unknown_item, re->span, re->item, NULL, NULL);
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
        kh_sc_report(x, 0, KH_WARNING, &m_unknown_person, re->span, re->person[0] ? re->person : re->dept, NULL, NULL);
        return true;
    }
    int32_t level = kh_sc_level_of(ir, re->level);
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
        if (level == -2 && kh_sc_measure_has_tier(ir, m)) {
            levels_list(ir, lv, sizeof lv);
            sc->unknown_level++;
            kh_sc_report(x, 2, KH_WARNING, &m_unknown_level, re->span, re->level, ms->label, lv);
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
    kh_sc_report_more(x);
    if (tn)
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

double kh_sc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void entity_in(const kh_scored *sc, size_t i, kh_entity_in *in)
{
    in->ev = sc->ev + sc->first[i];
    in->nev = (int64_t)(sc->first[i + 1] - sc->first[i]);
    in->role = sc->ent[i].role;
    in->unit = sc->ent[i].unit;
    in->size = sc->ent[i].size;
    in->agg = NULL;
}

/* Choose the engine in one place: the JIT when asked for, or when the work
 * is large enough to pay back its compile time; else the interpreter.  A
 * JIT failure falls back to the interpreter unless the JIT was required.
 * nev is the number of engine events (an estimate is fine: it only decides
 * speed).  False when the JIT was required and failed. */
bool kh_sc_choose_engine(kh_sc *x, size_t nev, kh_jit **jit, kh_entity_fn *fn)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    *jit = NULL;
    *fn = NULL;
    /* the interpreter's cost grows with entities × instructions, the
     * helpers' with events; either way a few hundred milliseconds of it
     * pays for a compile (and a cached one costs about a millisecond) */
    size_t work = nev * (size_t)ir->nins / 10u + sc->nent * (size_t)ir->nins;
    bool want_jit = x->o->engine == KH_ENGINE_JIT || x->o->compiled ||
                    (x->o->engine == KH_ENGINE_AUTO && work > 20u * 1000u * 1000u);
    double t0 = kh_sc_now_ms();
    if (want_jit) {
        kh_jit_stats st;
        if (x->o->compiled)
            *jit = kh_jit_load_so(ir, x->o->compiled, sc->jit_error, sizeof sc->jit_error);
        else
            *jit = kh_jit_compile(ir, x->o->jit, &st, sc->jit_error, sizeof sc->jit_error);
        if (*jit)
            *fn = kh_jit_fn(*jit);
        if (!*fn && (x->o->engine == KH_ENGINE_JIT || x->o->compiled))
            return false;
    }
    sc->times.compile_ms = kh_sc_now_ms() - t0;
    sc->engine_used = *fn ? "jit" : "interp";
    return true;
}

/* ------------------------------------------------------------- rows */

/* A run this large keeps of each row only what the report and the grades
 * read: at 1M persons every column of the 002 scheme (44) took 352 MB. */
#define KH_NARROW_CELLS ((size_t)8 << 20)

/* Does the report or the grading read column c of ir? */
static bool narrow_reads(const kh_ir *ir, int32_t c)
{
    if ((ir->cols[c].kind == KH_COL_SECTION && ir->cols[c].top) || c == ir->total_col || c == ir->bonus_col ||
        c == ir->weighted_col)
        return true;
    for (int32_t k = 0; k < ir->nvetoes; k++)
        if (ir->vetoes[k].col == c)
            return true;
    for (int32_t k = 0; k < ir->nprereqs; k++)
        if (ir->prereqs[k].col == c)
            return true;
    return false;
}

static int32_t narrow_col(const int32_t *map, int32_t c)
{
    return c < 0 ? c : map[c];
}

static void narrow_free(kh_scored *sc)
{
    if (sc->narrow) {
        kh_free(sc->narrow->cols);
        kh_free(sc->narrow->vetoes);
        kh_free(sc->narrow->prereqs);
        kh_free(sc->narrow);
    }
    kh_free(sc->keep);
    sc->narrow = NULL;
    sc->keep = NULL;
    sc->cols = sc->ir;
}

/* sc->cols: the IR itself, or for a large run (o->narrow) a copy of it
 * with only the columns narrow_reads keeps, renumbered; every other field
 * is the IR's own.  Explanations take every column and keep them all. */
bool kh_sc_narrow_rows(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_ir *ir = sc->ir;
    int want = x->o->narrow;
    if (x->o->detail || want < 0 || (want == 0 && sc->nent * (size_t)ir->ncols < KH_NARROW_CELLS) ||
        sc->narrow)
        return true;
    int32_t *map = kh_malloc(x->a, ((size_t)ir->ncols + 1) * sizeof *map);
    kh_ir *v = kh_malloc(x->a, sizeof *v);
    sc->narrow = v;
    sc->keep = kh_malloc(x->a, ((size_t)ir->ncols + 1) * sizeof *sc->keep);
    if (v) {
        *v = *ir;
        v->cols = kh_malloc(x->a, ((size_t)ir->ncols + 1) * sizeof *v->cols);
        v->vetoes = kh_malloc(x->a, ((size_t)ir->nvetoes + 1) * sizeof *v->vetoes);
        v->prereqs = kh_malloc(x->a, ((size_t)ir->nprereqs + 1) * sizeof *v->prereqs);
    }
    if (!map || !v || !sc->keep || !v->cols || !v->vetoes || !v->prereqs) {
        narrow_free(sc);
        kh_free(map);
        return false;
    }
    v->ncols = 0;
    for (int32_t c = 0; c < ir->ncols; c++) {
        map[c] = -1;
        if (narrow_reads(ir, c)) {
            map[c] = v->ncols;
            sc->keep[v->ncols] = c;
            v->cols[v->ncols++] = ir->cols[c];
        }
    }
    v->total_col = narrow_col(map, ir->total_col);
    v->bonus_col = narrow_col(map, ir->bonus_col);
    v->weighted_col = narrow_col(map, ir->weighted_col);
    for (int32_t k = 0; k < ir->nvetoes; k++) {
        v->vetoes[k] = ir->vetoes[k];
        v->vetoes[k].col = narrow_col(map, ir->vetoes[k].col);
    }
    for (int32_t k = 0; k < ir->nprereqs; k++) {
        v->prereqs[k] = ir->prereqs[k];
        v->prereqs[k].col = narrow_col(map, ir->prereqs[k].col);
    }
    kh_free(map);
    sc->cols = v;
    return true;
}

void kh_sc_run_one(kh_work *w, const kh_entity_in *in, size_t i)
{
    const kh_scored *sc = w->x->sc;
    size_t n = (size_t)sc->cols->ncols;
    kh_dec *row = sc->rows + i * n, *out = sc->narrow ? w->whole : row;
    if (w->fn)
        w->fn(in, out);
    else
        kh_interp(sc->ir, in, w->regs, out);
    if (sc->narrow)
        for (size_t k = 0; k < n; k++)
            row[k] = out[sc->keep[k]];
}

static void *work_grouped(void *arg)
{
    kh_work *w = arg;
    for (size_t i = w->e0; i < w->e1; i++) {
        kh_entity_in in;
        entity_in(w->x->sc, i, &in);
        kh_sc_run_one(w, &in, i);
    }
    return NULL;
}

int kh_sc_thread_count(const kh_score_opts *o, size_t nent, uint64_t nev)
{
    long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1 || nev < 20000)
        n = 1;
    if (n > 64)
        n = 64;
    if ((size_t)n > nent)
        n = nent ? (long)nent : 1;
    return (int)n;
}

/* Cut [0, nent) into n ranges of about equal events; at(i) is the first
 * event of entity i (at(nent) the total). */
void kh_sc_split(kh_work *w, int n, size_t nent, const void *first, uint64_t (*at)(const void *, size_t))
{
    uint64_t total = at(first, nent);
    size_t e = 0;
    for (int k = 0; k < n; k++) {
        uint64_t goal = total / (uint64_t)n * (uint64_t)(k + 1);
        w[k].e0 = e;
        if (k == n - 1)
            e = nent;
        while (e < nent && at(first, e + 1) <= goal)
            e++;
        if (e == w[k].e0 && e < nent && k < n - 1)
            e++;
        w[k].e1 = e;
    }
}

static uint64_t at_grouped(const void *first, size_t i)
{
    return ((const size_t *)first)[i];
}

uint64_t kh_sc_at_kev(const void *first, size_t i)
{
    return ((const uint64_t *)first)[i];
}

/* Run fn over every share: the first on this thread, the others on their
 * own (inline when a thread cannot be had). */
void kh_sc_run_shares(kh_work *w, int n, void *(*fn)(void *))
{
    pthread_t tid[64];
    bool started[64] = {false};
    for (int k = 1; k < n; k++)
        started[k] = pthread_create(&tid[k], NULL, fn, &w[k]) == 0;
    fn(&w[0]);
    for (int k = 1; k < n; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            fn(&w[k]);
    }
}

/* Per-share scratch: interpreter registers, and for the direct path an
 * event buffer, a sorting buffer and a slot per measure. */
bool kh_sc_work_alloc(kh_sc *x, kh_work *w, int n, bool interp, size_t bufcap)
{
    const kh_ir *ir = x->sc->ir;
    for (int k = 0; k < n; k++) {
        w[k].x = x;
        if (interp && !(w[k].regs = kh_malloc(x->a, ((size_t)ir->nins + 1) * sizeof *w[k].regs)))
            return false;
        if (x->sc->narrow && !(w[k].whole = kh_malloc(x->a, ((size_t)ir->ncols + 1) * sizeof *w[k].whole)))
            return false;
        if (!bufcap)
            continue;
        w[k].buf = kh_malloc(x->a, bufcap * sizeof *w[k].buf);
        w[k].tmp = kh_malloc(x->a, bufcap * sizeof *w[k].tmp);
        w[k].at = kh_calloc(x->a, (size_t)ir->nmeasures + 1, sizeof *w[k].at);
        w[k].agg = kh_calloc(x->a, 2 * (size_t)ir->nmeasures + 2, sizeof *w[k].agg);
        w[k].pos = kh_malloc(x->a, bufcap * sizeof *w[k].pos);
        if (!w[k].buf || !w[k].tmp || !w[k].at || !w[k].agg || !w[k].pos)
            return false;
    }
    return true;
}

void kh_sc_work_free(kh_work *w, int n)
{
    for (int k = 0; k < n; k++) {
        kh_free(w[k].regs);
        kh_free(w[k].whole);
        kh_free(w[k].buf);
        kh_free(w[k].tmp);
        kh_free(w[k].at);
        kh_free(w[k].agg);
        kh_free(w[k].pos);
    }
}

static bool run_engines(kh_sc *x)
{
    kh_scored *sc = x->sc;
    if (!kh_sc_narrow_rows(x))
        return false;
    size_t ncols = (size_t)sc->cols->ncols;
    sc->rows = kh_calloc_big(x->a, sc->nent * ncols + 1, sizeof *sc->rows);
    if (!sc->rows)
        return false;
    kh_entity_fn fn;
    kh_jit *jit;
    if (!kh_sc_choose_engine(x, sc->nev, &jit, &fn))
        return false;
    int n = kh_sc_thread_count(x->o, sc->nent, sc->nev);
    kh_work w[64];
    memset(w, 0, sizeof w);
    bool ok = kh_sc_work_alloc(x, w, n, !fn, 0);
    if (ok) {
        double t0 = kh_sc_now_ms();
        for (int k = 0; k < n; k++)
            w[k].fn = fn;
        kh_sc_split(w, n, sc->nent, sc->first, at_grouped);
        kh_sc_run_shares(w, n, work_grouped);
        sc->times.engine_ms = kh_sc_now_ms() - t0;
        sc->times.threads = n;
    }
    kh_sc_work_free(w, n);
    kh_jit_free(jit);
    return ok;
}

/* ------------------------------------------------------------- sources */

/* The event log: from a cache (checked against its sources) or a CSV. */
static bool open_kev(kh_sc *x)
{
    kh_scored *sc = x->sc;
    if (!kh_kev_open(x->a, x->d, x->o->events, &sc->kev))
        return false;
    sc->have_kev = true;
    return kh_kev_check_sources(x->d, &sc->kev, x->o->events, x->o->roster) &&
           kh_kev_check_roster(x->d, &sc->kev, x->o->events, sc->roster.n);
}

/* Diagnostics about cached events show the log's lines: load its text
 * now that they are known. */
static void kev_text(kh_sc *x)
{
    kh_scored *sc = x->sc;
    if ((!sc->have_kev && !sc->have_ingest) || sc->log.src.text || !sc->log.src.path)
        return;
    for (size_t i = 0; i < x->d->n; i++)
        if (x->d->v[i].src == &sc->log.src) {
            kh_kev_load_text(x->a, &sc->kev, &sc->log.src);
            return;
        }
}

/* Events grouped by entity, one way or another; false on failure. */
static bool score_events(kh_sc *x, bool *failed_input)
{
    kh_scored *sc = x->sc;
    const kh_score_opts *o = x->o;
    bool kev = kh_kev_sniff(o->events);
    double t0 = kh_sc_now_ms();
    *failed_input = true;
    if (kev && !open_kev(x))
        return false;
    if (!kev) {
        bool fast = false;
        if (!kh_sc_fast_csv(x, &fast)) {
            *failed_input = false;
            return false;
        }
        if (fast) {
            sc->times.read_ms += kh_sc_now_ms() - t0;
            *failed_input = false;
            return build_entities(x) && kh_sc_fast_score(x);
        }
        sc->have_log = kh_eventlog_read(x->a, x->d, o->events, o->encoding, &sc->log);
        if (!sc->have_log)
            return false;
    }
    sc->times.read_ms += kh_sc_now_ms() - t0;
    *failed_input = false;
    if (!build_entities(x) || !kh_sc_index_measures(x))
        return false;
    if (kev && kh_sc_direct_possible(x))
        return kh_sc_direct_score(x);
    if (kev) {
        sc->have_log = true;
        if (!kh_kev_to_eventlog(x->a, x->d, &sc->kev, true, &sc->log))
            return false;
    }
    sc->rejected = sc->log.skipped;
    t0 = kh_sc_now_ms();
    if (!group_events(x))
        return false;
    sc->times.group_ms = kh_sc_now_ms() - t0;
    return run_engines(x);
}

/* ------------------------------------------------------------------ API */

bool kh_score(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_score_opts *o, kh_scored *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->ir = ir;
    sc->cols = ir;
    kh_sc x = {0};
    x.a = a;
    x.d = d;
    x.o = o;
    x.sc = sc;
    kh_strmap_init(&x.units, a);
    kh_strmap_init(&x.items, a);
    kh_strmap_init(&x.keys, a);
    bool ok = false, failed_input = false;
    if (o->period) {
        if (!kh_period_parse(o->period, &sc->period_lo, &sc->period_hi)) {
            kh_diag_add(d, KH_ERROR, &m_bad_period, NULL, (kh_span){0, 0}, o->period, NULL, NULL);
            goto done;
        }
        sc->has_period = true;
    }
    double t0 = kh_sc_now_ms();
    sc->have_roster = kh_roster_read(a, d, o->roster, o->encoding, &sc->roster);
    sc->times.read_ms = kh_sc_now_ms() - t0;
    if (!sc->have_roster)
        goto done;
    if (!sc->roster.n) {
        kh_diag_add(d, KH_ERROR, &m_empty_roster, &sc->roster.src, (kh_span){0, 0}, NULL, NULL, NULL);
        goto done;
    }
    if (!score_events(&x, &failed_input)) {
        if (!failed_input && !sc->jit_error[0] && !x.damaged)
            x.oom = true;
        goto done;
    }
    if (x.damaged)
        goto done;
    t0 = kh_sc_now_ms();
    sc->verdicts = kh_calloc_big(a, sc->nent + 1, sizeof *sc->verdicts);
    if (!sc->verdicts || !kh_grade_assign(a, sc->cols, sc->rows, sc->nent, sc->verdicts, &sc->scheme_remarks)) {
        x.oom = true;
        goto done;
    }
    sc->times.grade_ms = kh_sc_now_ms() - t0;
    ok = true;
done:
    if (x.damaged)
        kh_kev_damaged(d, o->events, "内容不一致");
    if (x.oom) {
        d->oom = true;
        kh_diag_add(d, KH_ERROR, &m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
    }
    kev_text(&x);
    /* the keys' strings live in the log; the map's arrays go */
    if (ok) {
        kh_free(x.keys.slots);
        kh_free(x.keys.lens);
        kh_free((void *)x.keys.keys);
    } else {
        kh_strmap_free(&x.keys);
    }
    kh_strmap_free(&x.units);
    kh_strmap_free(&x.items);
    kh_free(x.item_first);
    kh_free(x.measure_next);
    kh_free(x.person_entity);
    kh_free(x.person_leader);
    kh_sc_direct_free(&x.dx);
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
    kh_free(sc->verdicts);
    kh_free(sc->scheme_remarks);
    kh_free(sc->rows);
    narrow_free(sc);
    kh_free(sc->ev);
    kh_free(sc->raw);
    kh_free(sc->first);
    kh_free(sc->keys);
    kh_free(sc->ent);
    if (sc->have_log || sc->log.src.text)
        kh_eventlog_free(&sc->log);
    if (sc->have_roster || sc->roster.src.text)
        kh_roster_free(&sc->roster);
    if (sc->have_kev)
        kh_kev_close(&sc->kev);
    if (sc->have_ingest)
        kh_ingest_free(&sc->ingest);
    memset(sc, 0, sizeof *sc);
}
