/* scoredirect.c — scoring without building events one by one: straight
 * from a cache clustered by person (kh_kev) or from the fast CSV reader's
 * columns, with the IR applied to the cache's string ids once (kh_direct)
 * rather than to every event.
 */
#include "scoreint.h"

/* -------------------------------------------------- straight from a cache */

/* Scoring from a cache without materialising events: each person's events
 * are contiguous in the cache, sorted by item, then 编号; an item's run is
 * copied once per measure that reads it, in measure order, into a small
 * buffer the engine reads.  The IR is applied to the cache's string ids
 * once, not per event.  Used when the result is the same as the full path
 * by construction: a person scheme with no leader shares, no event that
 * could be out of range, carry an unknown level or miss a date the period
 * needs.  Unknown persons and items are reported in file order, as the
 * CSV path reports them. */

static bool direct_measures(kh_sc *x)
{
    const kh_kev *k = &x->sc->kev;
    kh_direct *dx = &x->dx;
    const kh_ir *ir = x->sc->ir;
    dx->nitems = k->str[KH_KEV_S_ITEM].n;
    dx->mfirst = kh_malloc(x->a, (dx->nitems + 1) * sizeof *dx->mfirst);
    dx->mlist = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *dx->mlist);
    dx->mitem = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *dx->mitem);
    if (!dx->mfirst || !dx->mlist || !dx->mitem)
        return false;
    for (int32_t m = 0; m < ir->nmeasures; m++)
        dx->mitem[m] = -1;
    int32_t at = 0;
    for (uint32_t t = 0; t < dx->nitems; t++) {
        const char *s = kh_kev_str(k, KH_KEV_S_ITEM, t);
        int32_t l = kh_strmap_get(&x->items, s, strlen(s));
        dx->mfirst[t] = at;
        for (int32_t m = l >= 0 ? x->item_first[l] : -1; m >= 0; m = x->measure_next[m]) {
            int32_t j = at++;
            dx->mitem[m] = (int32_t)t;
            while (j > dx->mfirst[t] && dx->mlist[j - 1] > m) {
                dx->mlist[j] = dx->mlist[j - 1];
                j--;
            }
            dx->mlist[j] = m;
        }
        if (at - dx->mfirst[t] > dx->maxm)
            dx->maxm = at - dx->mfirst[t];
    }
    dx->mfirst[dx->nitems] = at;
    if (!dx->need)              /* kh_sc_fast_csv may have made it */
        dx->need = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *dx->need);
    dx->fast = kh_malloc(x->a, (dx->nitems + 1) * sizeof *dx->fast);
    dx->slow = kh_malloc(x->a, (dx->nitems + 1) * sizeof *dx->slow);
    dx->needs = kh_malloc(x->a, ((size_t)ir->nmeasures + 1) * sizeof *dx->needs);
    if (!dx->need || !dx->fast || !dx->slow || !dx->needs)
        return false;
    kh_ir_needs_events(ir, dx->need);
    for (int32_t m = 0; m < ir->nmeasures; m++)
        if (dx->need[m])
            dx->needs[dx->nneeds++] = m;
    for (uint32_t t = 0; t < dx->nitems; t++) {
        dx->slow[t] = false;
        for (int32_t j = dx->mfirst[t]; j < dx->mfirst[t + 1]; j++)
            dx->slow[t] |= dx->need[dx->mlist[j]];
        bool one = dx->mfirst[t + 1] - dx->mfirst[t] == 1;
        dx->fast[t] = one && !dx->slow[t] ? dx->mlist[dx->mfirst[t]] : -1;
    }
    return true;
}

static bool direct_levels(kh_sc *x)
{
    const kh_kev *k = &x->sc->kev;
    kh_direct *dx = &x->dx;
    dx->nlevels = k->str[KH_KEV_S_LEVEL].n;
    dx->levmap = kh_malloc(x->a, (dx->nlevels + 1) * sizeof *dx->levmap);
    dx->levev = kh_malloc(x->a, (dx->nlevels + 1) * sizeof *dx->levev);
    if (!dx->levmap || !dx->levev)
        return false;
    for (uint32_t v = 0; v < dx->nlevels; v++) {
        dx->levmap[v] = kh_sc_level_of(x->sc->ir, kh_kev_str(k, KH_KEV_S_LEVEL, v));
        dx->levev[v] = dx->levmap[v] < 0 ? -1 : dx->levmap[v];
    }
    return true;
}

/* Would an event of item t, at some level the cache has seen with it, be
 * out of range or at a level a tier does not know? */
static bool direct_item_clean(const kh_sc *x, uint32_t t)
{
    const kh_kev *k = &x->sc->kev;
    const kh_direct *dx = &x->dx;
    const kh_ir *ir = x->sc->ir;
    const kh_kev_item_stats *st = &k->stats[t];
    for (int32_t j = dx->mfirst[t]; st->count && j < dx->mfirst[t + 1]; j++) {
        const kh_measure *ms = &ir->measures[dx->mlist[j]];
        if (ms->has_range && (st->vmin < ms->lo || st->vmax > ms->hi))
            return false;
        if (!kh_sc_measure_has_tier(ir, dx->mlist[j]))
            continue;
        for (uint32_t v = 0; v < dx->nlevels; v++) {
            uint64_t bit = v < 63 ? (uint64_t)1 << v : (uint64_t)1 << 63;
            if ((st->levels & bit) && dx->levmap[v] == -2)
                return false;
        }
    }
    return true;
}

/* What the direct path needs of the scheme and the command. */
static bool direct_shape(const kh_sc *x)
{
    const kh_ir *ir = x->sc->ir;
    if (x->o->detail || ir->subject != KH_SUBJ_PERSON)
        return false;
    for (int32_t m = 0; m < ir->nmeasures; m++)
        if (ir->measures[m].leader)
            return false;
    return true;
}

/* Can this scheme be scored straight from the cache?  (Allocation failures
 * answer false: the full path then reports them.) */
bool kh_sc_direct_possible(kh_sc *x)
{
    const kh_scored *sc = x->sc;
    if (!direct_shape(x) || (sc->has_period && sc->kev.nodate))
        return false;
    if (!direct_measures(x) || !direct_levels(x))
        return false;
    for (uint32_t t = 0; t < x->dx.nitems; t++)
        if (!direct_item_clean(x, t))
            return false;
    return true;
}

static bool direct_in_period(const kh_scored *sc, int32_t d)
{
    return !sc->has_period || (d >= sc->period_lo && d < sc->period_hi);
}

/* One event's fields from either layout: the cache's columns, or the
 * fast reader's records.  Called with a constant aos, so each loop below
 * is compiled once per layout. */
typedef struct kh_dev {
    uint32_t item, level, key;
    int32_t date;
    int64_t value;
} kh_dev;

static inline uint32_t dev_item(const kh_kev *k, uint64_t p, bool aos)
{
    return aos ? kh_kev_rec_item(&k->recs[p]) : k->item[p];
}

/* The records carry no date: the fast reader applied the period. */
static inline kh_dev dev_get(const kh_kev *k, uint64_t p, bool aos)
{
    if (aos) {
        const kh_kev_rec *r = &k->recs[p];
        return (kh_dev){kh_kev_rec_item(r), kh_kev_rec_level(r), r->key, INT32_MIN, r->value};
    }
    return (kh_dev){k->item[p], k->level[p], k->key[p], k->date[p], k->value[p]};
}

/* Total cluster [b, e)'s events per measure into agg[], count the events
 * of measures in need per measure into at[], and the events outside the
 * period.  Returns how many events go to the engine one by one. */
static inline uint64_t direct_total_as(kh_work *w, uint64_t b, uint64_t e, bool aos)
{
    const kh_direct *dx = &w->x->dx;
    const kh_kev *k = &w->x->sc->kev;
    const kh_scored *sc = w->x->sc;
    const int32_t *mfirst = dx->mfirst, *mlist = dx->mlist, *fast = dx->fast;
    const bool *need = dx->need;
    const bool period = sc->has_period;
    const uint32_t ni = dx->nitems;
    uint64_t *at = w->at, *pos = w->pos, counted = 0, slow = 0;
    size_t npos = 0;
    kh_dec *agg = w->agg;
    for (uint64_t p = b; p < e; p++) {
        if (!aos && (p & 15) == 0) {
            /* a page-cache mapping: 4 KiB pages stop the hardware prefetcher */
            __builtin_prefetch(&k->value[p + 256]);
            __builtin_prefetch(&k->value[p + 264]);
            __builtin_prefetch(&k->item[p + 512]);
        }
        uint32_t t = dev_item(k, p, aos);
        if (t >= ni) {
            w->damaged = true;
            continue;
        }
        if (!aos && period && !direct_in_period(sc, k->date[p])) {
            w->outside++;
            continue;
        }
        kh_dec v = aos ? k->recs[p].value : k->value[p];
        int32_t m = fast[t];
        if (m >= 0) {
            kh_totals_add(agg, m, v);
            counted++;
            continue;
        }
        for (int32_t j = mfirst[t]; j < mfirst[t + 1]; j++) {
            m = mlist[j];
            kh_totals_add(agg, m, v);
            if (need[m]) {
                at[m]++;
                slow++;
            }
        }
        if (dx->slow[t]) {
            pos[npos++] = p;
            if (!aos) {
                /* direct_place_as reads these columns next: start them now */
                __builtin_prefetch(&k->level[p]);
                __builtin_prefetch(&k->key[p]);
                __builtin_prefetch(&k->date[p]);
            }
        }
        counted += mfirst[t] < mfirst[t + 1];
    }
    w->counted += counted;
    w->npos = npos;
    return slow;
}

/* Place the events direct_total_as noted (w->pos) at their measure's
 * slot; at[m] ends at the end of measure m's events. */
static inline void direct_place_as(kh_work *w, int32_t member, bool aos)
{
    const kh_direct *dx = &w->x->dx;
    const kh_kev *k = &w->x->sc->kev;
    const int32_t *levev = dx->levev, *mfirst = dx->mfirst, *mlist = dx->mlist;
    const bool *need = dx->need;
    const uint32_t nl = dx->nlevels;
    uint64_t *at = w->at;
    for (size_t i = 0; i < w->npos; i++) {
        kh_dev d = dev_get(k, w->pos[i], aos);
        uint32_t t = d.item;
        if (d.level >= nl) {
            w->damaged = true;
            d.level = 0;
        }
        for (int32_t j = mfirst[t]; j < mfirst[t + 1]; j++) {
            if (!need[mlist[j]])
                continue;
            kh_event *ev = &w->buf[at[mlist[j]]++];
            ev->measure = mlist[j];
            ev->level = levev[d.level];
            ev->key = (int32_t)d.key - 1;
            ev->member = member;
            ev->value = d.value;
            ev->line = 0;       /* lines are for explanations, which take the full path */
            ev->date = d.date;
        }
    }
}

static uint64_t direct_total(kh_work *w, uint64_t b, uint64_t e)
{
    if (w->x->sc->kev.recs)
        return direct_total_as(w, b, e, true);
    return direct_total_as(w, b, e, false);
}

static void direct_place(kh_work *w, int32_t member)
{
    if (w->x->sc->kev.recs)
        direct_place_as(w, member, true);
    else
        direct_place_as(w, member, false);
}

/* Sort v[0..n) by key, stably (equal keys keep their file order). */
static void direct_sort_keys(kh_event *v, kh_event *tmp, size_t n)
{
    if (n <= 24) {
        for (size_t i = 1; i < n; i++) {
            kh_event x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1].key > x.key) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    direct_sort_keys(v, tmp, h);
    direct_sort_keys(v + h, tmp, n - h);
    if (v[h - 1].key <= v[h].key)
        return;
    memcpy(tmp, v, n * sizeof *v);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        v[o++] = tmp[j].key < tmp[i].key ? tmp[j++] : tmp[i++];
    while (i < h)
        v[o++] = tmp[i++];
    while (j < n)
        v[o++] = tmp[j++];
}

/* Cluster c as the engine wants it: every measure's totals in w->agg,
 * and the events of measures in need in w->buf, grouped by measure in
 * measure order, then sorted by 编号.  Returns how many events that is. */
static size_t direct_events(kh_work *w, size_t c)
{
    const kh_kev *k = &w->x->sc->kev;
    const int32_t *needs = w->x->dx.needs, nneeds = w->x->dx.nneeds;
    uint64_t b = k->first[c], e = k->first[c + 1], *at = w->at, n = 0;
    memset(w->agg, 0, 2 * (size_t)w->x->sc->ir->nmeasures * sizeof *w->agg);
    if (!direct_total(w, b, e))
        return 0;
    /* only measures in need have events counted in at[] */
    for (int32_t i = 0; i < nneeds; i++) {
        uint64_t cnt = at[needs[i]];
        at[needs[i]] = n;
        n += cnt;
    }
    direct_place(w, (int32_t)c);
    uint64_t start = 0;
    for (int32_t i = 0; i < nneeds; i++) {
        int32_t m = needs[i];
        uint64_t end = at[m];
        kh_event *v = w->buf + start;
        size_t len = (size_t)(end - start);
        for (size_t j = 1; j < len; j++)
            if (v[j].key < v[j - 1].key) {
                direct_sort_keys(v, w->tmp, len);
                break;
            }
        start = end;
        at[m] = 0;
    }
    return (size_t)n;
}

static void *work_direct(void *arg)
{
    kh_work *w = arg;
    const kh_scored *sc = w->x->sc;
    for (size_t c = w->e0; c < w->e1; c++) {
        kh_entity_in in;
        in.ev = w->buf;
        in.nev = (int64_t)direct_events(w, c);
        in.role = sc->ent[c].role;
        in.unit = sc->ent[c].unit;
        in.size = sc->ent[c].size;
        in.agg = w->agg;
        kh_sc_run_one(w, &in, c);
    }
    return NULL;
}

/* Events the engines will see (for the engine choice), and the largest
 * person's share of them (for the buffers). */
static void direct_sizes(const kh_sc *x, size_t *nev, size_t *most)
{
    const kh_kev *k = &x->sc->kev;
    const kh_direct *dx = &x->dx;
    *nev = 0;
    *most = 1;
    for (uint32_t t = 0; t < dx->nitems; t++)
        *nev += (size_t)k->stats[t].count * (size_t)(dx->mfirst[t + 1] - dx->mfirst[t]);
    for (uint64_t c = 0; c < k->nent; c++)
        if (k->first[c + 1] - k->first[c] > *most)
            *most = (size_t)(k->first[c + 1] - k->first[c]);
    *most *= (size_t)(dx->maxm > 0 ? dx->maxm : 1);
}

static bool direct_engines(kh_sc *x)
{
    kh_scored *sc = x->sc;
    if (!kh_sc_narrow_rows(x))
        return false;
    size_t ncols = (size_t)sc->cols->ncols, nev, most;
    direct_sizes(x, &nev, &most);
    sc->nev = nev;
    sc->rows = kh_calloc_big(x->a, sc->nent * ncols + 1, sizeof *sc->rows);
    if (!sc->rows)
        return false;
    kh_entity_fn fn;
    kh_jit *jit;
    if (!kh_sc_choose_engine(x, nev, &jit, &fn))
        return false;
    int n = kh_sc_thread_count(x->o, sc->nent, sc->kev.nev);
    kh_work w[64];
    memset(w, 0, sizeof w);
    bool ok = kh_sc_work_alloc(x, w, n, !fn, most);
    if (ok) {
        double t0 = kh_sc_now_ms();
        bool any_need = false;
        for (int32_t m = 0; m < sc->ir->nmeasures; m++)
            any_need |= x->dx.need[m];
        kh_kev_prefault(&sc->kev, any_need, sc->has_period);
        sc->times.map_ms = kh_sc_now_ms() - t0;
        t0 = kh_sc_now_ms();
        for (int k = 0; k < n; k++)
            w[k].fn = fn;
        kh_sc_split(w, n, sc->nent, sc->kev.first, kh_sc_at_kev);
        kh_sc_run_shares(w, n, work_direct);
        sc->times.engine_ms = kh_sc_now_ms() - t0;
        sc->times.threads = n;
        for (int k = 0; k < n; k++) {
            sc->counted += w[k].counted;
            sc->outside_period += w[k].outside;
            x->damaged |= w[k].damaged;
        }
    }
    kh_sc_work_free(w, n);
    kh_jit_free(jit);
    return ok;
}

/* An event of an item no rule reads, in file order. */
typedef struct kh_cand {
    uint32_t line, pos;
} kh_cand;

static int cmp_cand(const void *pa, const void *pb)
{
    const kh_cand *a = pa, *b = pb;
    return a->line < b->line ? -1 : a->line > b->line;
}

static kh_span direct_span(const kh_kev *k, uint32_t p)
{
    return (kh_span){k->span[2 * (size_t)p], k->span[2 * (size_t)p + 1]};
}

/* Gather the in-period events of unknown items that could be listed
 * (the first few of each item, or all under --strict); count them all. */
static kh_cand *direct_unknown_cands(kh_sc *x, size_t *ncand)
{
    kh_scored *sc = x->sc;
    const kh_kev *k = &sc->kev;
    size_t cap = 64, n = 0;
    kh_cand *v = kh_malloc(x->a, cap * sizeof *v);
    for (uint32_t t = 0; v && t < x->dx.nitems; t++) {
        if (x->dx.mfirst[t] != x->dx.mfirst[t + 1] || !k->stats[t].count)
            continue;
        size_t taken = 0;
        for (uint64_t j = k->item_first[t]; v && j < k->item_first[t + 1]; j++) {
            uint32_t p = k->by_item[j];
            if (p >= k->nev) {
                x->damaged = true;
                continue;
            }
            if (!direct_in_period(sc, k->date[p]))
                continue;
            sc->unknown_item++;
            if (!x->o->strict && taken >= KH_LIST_MAX)
                continue;
            if (n == cap) {
                kh_cand *nv = kh_realloc(x->a, v, 2 * cap * sizeof *nv);
                if (!nv) {
                    kh_free(v);
                    return NULL;
                }
                v = nv;
                cap *= 2;
            }
            v[n++] = (kh_cand){k->line[p], p};
            taken++;
        }
    }
    *ncand = n;
    return v;
}

static bool direct_unknown_items(kh_sc *x)
{
    const kh_kev *k = &x->sc->kev;
    size_t n = 0;
    size_t before = x->sc->unknown_item;
    kh_cand *v = direct_unknown_cands(x, &n);
    if (!v)
        return false;
    qsort(v, n, sizeof *v, cmp_cand);
    for (size_t i = 0; i < n; i++)
        kh_sc_report(x, 1, KH_WARNING, &m_unknown_item, direct_span(k, v[i].pos),
               kh_kev_str(k, KH_KEV_S_ITEM, k->item[v[i].pos]), NULL, NULL);
    x->more[1] += x->sc->unknown_item - before - n;
    kh_free(v);
    return true;
}

/* The cluster of events whose person is not in the roster: file order. */
static void direct_unknown_persons(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_kev *k = &sc->kev;
    for (uint64_t p = k->first[k->nent]; p < k->first[k->nent + 1]; p++) {
        uint32_t t = k->item[p];
        if (!direct_in_period(sc, k->date[p])) {
            sc->outside_period++;
            continue;
        }
        if (t >= x->dx.nitems || x->dx.mfirst[t] == x->dx.mfirst[t + 1])
            continue;
        sc->unknown_person++;
        const char *who = kh_kev_str(k, KH_KEV_S_PERSON, k->person[p]);
        if (!who[0])
            who = kh_kev_str(k, KH_KEV_S_DEPT, k->dept[p]);
        kh_sc_report(x, 0, KH_WARNING, &m_unknown_person, direct_span(k, (uint32_t)p), who, NULL, NULL);
    }
}

bool kh_sc_direct_score(kh_sc *x)
{
    kh_scored *sc = x->sc;
    sc->times.direct = true;
    if (!kh_kev_to_eventlog(x->a, x->d, &sc->kev, false, &sc->log))
        return false;
    sc->have_log = true;
    sc->rejected = sc->log.skipped;
    direct_unknown_persons(x);
    if (!direct_unknown_items(x))
        return false;
    kh_sc_report_more(x);
    return direct_engines(x);
}

/* ------------------------------------------- CSV straight to the columns */

/* A CSV log read by the fast reader (ingest.h) is scored like a cache:
 * the reader stores only the events of roster persons, by person, and
 * counts (and notes the first few of) the events it leaves out. */

/* How the rules use the item labelled s[0..n): x->dx.need must hold
 * kh_ir_needs_events' answer. */
static kh_ingest_use item_use(void *ctx, const char *s, size_t n)
{
    const kh_sc *x = ctx;
    int32_t l = kh_strmap_get(&x->items, s, n);
    if (l < 0)
        return KH_INGEST_UNREAD;
    for (int32_t m = x->item_first[l]; m >= 0; m = x->measure_next[m])
        if (x->dx.need[m])
            return KH_INGEST_EVENTS;
    return KH_INGEST_TOTALS;
}

static void fast_drop(kh_sc *x)
{
    kh_ingest_free(&x->sc->ingest);
    x->sc->have_ingest = false;
    memset(&x->sc->kev, 0, sizeof x->sc->kev);
    kh_sc_direct_free(&x->dx);
}

/* Read the CSV with the fast reader when the direct path can score it;
 * *used says whether it did.  False: out of memory. */
bool kh_sc_fast_csv(kh_sc *x, bool *used)
{
    kh_scored *sc = x->sc;
    const kh_score_opts *o = x->o;
    *used = false;
    if (!direct_shape(x))
        return true;
    if (!kh_sc_index_measures(x))
        return false;
    x->dx.need = kh_malloc(x->a, ((size_t)sc->ir->nmeasures + 1) * sizeof *x->dx.need);
    if (!x->dx.need)
        return false;
    kh_ir_needs_events(sc->ir, x->dx.need);
    kh_ingest_opts io = {KH_INGEST_SCORE, o->threads, &sc->roster, item_use, x, sc->has_period,
                         sc->period_lo, sc->period_hi, KH_LIST_MAX, o->progress, o->pctx};
    kh_ingest_rc rc = kh_ingest_read(x->a, o->events, &io, &sc->ingest);
    if (rc != KH_INGEST_OK)
        return rc == KH_INGEST_DECLINED;
    sc->have_ingest = true;
    sc->kev = sc->ingest.kev;
    const kh_ingest *g = &sc->ingest;
    bool all_noted = g->unknown_person == g->nnotes[0] && g->unknown_item == g->nnotes[1];
    if ((o->strict && !all_noted) || !kh_sc_direct_possible(x)) {
        fast_drop(x);
        return true;
    }
    *used = true;
    return true;
}

bool kh_sc_fast_score(kh_sc *x)
{
    kh_scored *sc = x->sc;
    const kh_ingest *g = &sc->ingest;
    sc->times.direct = true;
    if (!kh_kev_to_eventlog(x->a, x->d, &sc->kev, false, &sc->log))
        return false;
    sc->have_log = true;
    sc->rejected = sc->log.skipped;
    sc->unknown_person = g->unknown_person;
    sc->unknown_item = g->unknown_item;
    sc->outside_period = g->outside_unmatched + g->outside_listed;
    static const kh_msg *const msg[2] = {&m_unknown_person, &m_unknown_item};
    for (int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i < g->nnotes[kind]; i++)
            kh_sc_report(x, kind, KH_WARNING, msg[kind], g->notes[kind][i].span, g->notes[kind][i].text, NULL, NULL);
        x->more[kind] += (kind ? g->unknown_item : g->unknown_person) - g->nnotes[kind];
    }
    kh_sc_report_more(x);
    return direct_engines(x);
}

void kh_sc_direct_free(kh_direct *dx)
{
    kh_free(dx->mfirst);
    kh_free(dx->mlist);
    kh_free(dx->levmap);
    kh_free(dx->levev);
    kh_free(dx->mitem);
    kh_free(dx->need);
    kh_free(dx->needs);
    kh_free(dx->fast);
    kh_free(dx->slow);
    memset(dx, 0, sizeof *dx);
}
