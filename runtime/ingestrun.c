/* ingestrun.c — running the fast reader's passes over a file, merging the
 * shares' string tables and handing over the result (see ingest.c for the
 * passes themselves).
 */
#include "ingestrd.h"

/* ------------------------------------------------------------ running */

static bool kh_ix_failed(kh_ix *ix, bool *oom)
{
    for (int t = 0; t < ix->nsh; t++) {
        *oom |= ix->sh[t].oom;
        if (ix->sh[t].bad || ix->sh[t].oom)
            return true;
    }
    return false;
}

/* Cut the body into shares at line starts. */
static void kh_ix_shares(kh_ix *ix, int want)
{
    size_t body = ix->body, len = ix->size - body;
    int n = want;
    if ((size_t)n > len / ((size_t)1 << 20) + 1)
        n = (int)(len / ((size_t)1 << 20)) + 1;
    size_t b = body;
    ix->nsh = 0;
    for (int t = 0; t < n && b < ix->size; t++) {
        size_t e = t == n - 1 ? ix->size : body + len / (size_t)n * (size_t)(t + 1);
        if (e < b)
            e = b;
        const char *nl = e < ix->size ? memchr(ix->map + e, '\n', ix->size - e) : NULL;
        e = t == n - 1 || !nl ? ix->size : (size_t)(nl - ix->map) + 1;
        kh_ix_share *sh = &ix->sh[ix->nsh++];
        sh->ix = ix;
        sh->t = t;
        sh->b = b;
        sh->e = e;
        b = e;
    }
}

/* Counts → cursors: share t's events of person c go to
 * [first[c] + Σ_{s<t} count_s[c], …). */
static bool kh_ix_layout(kh_ix *ix)
{
    uint64_t nc = ix->nent + 1, stored = ix->o->mode == KH_INGEST_CACHE ? nc : ix->nent;
    ix->first = kh_calloc(ix->a, ix->nent + 2, sizeof *ix->first);
    if (!ix->first)
        return false;
    uint64_t at = 0, line = 1 + ix->head_lines, ev = 0;
    for (uint64_t c = 0; c < nc; c++) {
        ix->first[c] = at;
        for (int t = 0; t < ix->nsh; t++) {
            uint32_t n = ix->sh[t].count[c];
            ix->sh[t].count[c] = (uint32_t)at;
            at += c < stored ? n : 0;
        }
    }
    ix->first[nc] = at;
    if (ix->o->mode == KH_INGEST_SCORE)
        ix->first[nc] = ix->first[ix->nent];
    ix->nev = at;
    for (int t = 0; t < ix->nsh; t++) {
        kh_ix_share *sh = &ix->sh[t];
        sh->line0 = line;
        sh->ev0 = ev;
        line += sh->nl;
        ev += sh->events;
        sh->start = kh_malloc(ix->a, (size_t)nc * sizeof *sh->start);
        if (!sh->start)
            return false;
        memcpy(sh->start, sh->count, (size_t)nc * sizeof *sh->start);
    }
    return at < INT32_MAX;
}

static bool kh_ix_columns(kh_ix *ix)
{
    size_t n = (size_t)ix->nev + 1;
    if (ix->o->mode == KH_INGEST_SCORE) {
        ix->recs = kh_malloc_big(ix->a, n * sizeof *ix->recs);
        return ix->recs != NULL;
    }
    ix->wide = kh_malloc_big(ix->a, n * sizeof *ix->wide);
    ix->order = kh_malloc_big(ix->a, n * sizeof *ix->order);
    return ix->wide && ix->order;
}

/* CACHE mode: the wide records as the cache's columns. */
static bool kh_ix_transpose(kh_ix *ix)
{
    size_t n = (size_t)ix->nev + 1;
    ix->item = kh_malloc_big(ix->a, n * sizeof *ix->item);
    ix->level = kh_malloc_big(ix->a, n * sizeof *ix->level);
    ix->key = kh_malloc_big(ix->a, n * sizeof *ix->key);
    ix->value = kh_malloc_big(ix->a, n * sizeof *ix->value);
    ix->date = kh_malloc_big(ix->a, n * sizeof *ix->date);
    ix->person = kh_malloc_big(ix->a, n * sizeof *ix->person);
    ix->dept = kh_malloc_big(ix->a, n * sizeof *ix->dept);
    ix->line = kh_malloc_big(ix->a, n * sizeof *ix->line);
    ix->span = kh_malloc_big(ix->a, 2 * n * sizeof *ix->span);
    ix->pct = kh_malloc_big(ix->a, n * sizeof *ix->pct);
    if (!ix->item || !ix->level || !ix->key || !ix->value || !ix->date || !ix->person || !ix->dept || !ix->line ||
        !ix->span || !ix->pct)
        return false;
    for (uint64_t p = 0; p < ix->nev; p++) {
        const kh_ix_wide *w = &ix->wide[p];
        ix->item[p] = w->item;
        ix->level[p] = w->level;
        ix->key[p] = w->key;
        ix->value[p] = w->value;
        ix->date[p] = w->date;
        ix->person[p] = w->person;
        ix->dept[p] = w->dept;
        ix->line[p] = w->line;
        ix->span[2 * p] = w->span_off;
        ix->span[2 * p + 1] = w->span_len;
        ix->pct[p] = w->pct;
    }
    kh_free(ix->wide);
    ix->wide = NULL;
    return true;
}

/* ------------------------------------------------------------ merging */

/* A share's table once merged: only its size is read after, so its
 * arrays go before the next share's are merged. */
static void kh_ix_merged(kh_ix_tab *t)
{
    uint32_t n = t->n;
    kh_ix_tab_free(t);
    t->n = n;
}

/* The merged table's index while it is built: slot i holds id + 1 (0 is
 * free).  Four bytes a slot rather than an intern table's thirty-two: a
 * log of a million distinct 编号 merges in 8 MB, not 64. */
typedef struct kh_ix_index {
    uint32_t *slot;
    uint32_t mask;
} kh_ix_index;

/* Id in g of a string a share interned (clean, hashed, kept in the
 * shares' blocks, which outlive g), added when new. */
static uint32_t kh_ix_adopt(kh_ix_tab *g, kh_ix_index *x, const char *s, uint32_t n, uint64_t h)
{
    uint32_t i = (uint32_t)h & x->mask;
    for (; x->slot[i]; i = (i + 1) & x->mask) {
        uint32_t id = x->slot[i] - 1;
        if (g->hash[id] == h && g->len[id] == n && memcmp(g->str[id], s, n) == 0)
            return id;
    }
    g->str[g->n] = s;
    g->len[g->n] = n;
    g->hash[g->n] = h;
    x->slot[i] = g->n + 1;
    return g->n++;
}

/* Merge every share's table t into the empty g, in share order; remap
 * ids.  Every share's table holds "" as id 0, so g does too. */
static bool kh_ix_merge_tab(kh_ix *ix, int t, kh_ix_tab *g)
{
    uint64_t most = 0;
    for (int s = 0; s < ix->nsh; s++)
        most += ix->sh[s].tab[t].n;
    if (most >= UINT32_MAX / 4)
        return false;
    uint64_t nslots = 64;
    while (nslots < 2 * most)
        nslots *= 2;
    g->str = kh_malloc(ix->a, most * sizeof *g->str);
    g->len = kh_malloc(ix->a, most * sizeof *g->len);
    g->hash = kh_malloc(ix->a, most * sizeof *g->hash);
    kh_ix_index x = {kh_calloc(ix->a, nslots, sizeof *x.slot), (uint32_t)nslots - 1};
    if (!g->str || !g->len || !g->hash || !x.slot) {
        kh_free(x.slot);
        return false;
    }
    g->cap = (uint32_t)most;
    bool ok = true;
    for (int s = 0; ok && s < ix->nsh; s++) {
        kh_ix_share *sh = &ix->sh[s];
        kh_ix_tab *lt = &sh->tab[t];
        sh->remap[t] = kh_malloc(ix->a, ((size_t)lt->n + 1) * sizeof *sh->remap[t]);
        ok = sh->remap[t] != NULL;
        for (uint32_t k = 0; ok && k < lt->n; k++)
            sh->remap[t][k] = kh_ix_adopt(g, &x, lt->str[k], lt->len[k], lt->hash[k]);
        if (ok)
            kh_ix_merged(lt);
    }
    kh_free(x.slot);
    return ok;
}
/* Map the ids share sh wrote to the merged ones. */
static void *kh_ix_fixup(void *arg)
{
    kh_ix_share *sh = arg;
    kh_ix *ix = sh->ix;
    uint64_t nc = ix->o->mode == KH_INGEST_CACHE ? ix->nent + 1 : ix->nent;
    const uint32_t *ri = sh->remap[KH_KEV_S_ITEM], *rl = sh->remap[KH_KEV_S_LEVEL], *rk = sh->remap[KH_KEV_S_KEY],
                   *rd = sh->remap[KH_KEV_S_DEPT], *rp = sh->remap[KH_KEV_S_PERSON];
    bool cache = ix->o->mode == KH_INGEST_CACHE;
    for (uint64_t c = 0; c < nc && ix->recs; c++)
        for (uint32_t p = sh->start[c]; p < sh->count[c]; p++) {
            kh_kev_rec *x = &ix->recs[p];
            x->item_level = ri[kh_kev_rec_item(x)] | rl[kh_kev_rec_level(x)] << 20;
            x->key = rk[x->key];
        }
    for (uint64_t c = 0; c < nc && cache; c++)
        for (uint32_t p = sh->start[c]; p < sh->count[c]; p++) {
            kh_ix_wide *w = &ix->wide[p];
            w->item = ri[w->item];
            w->level = rl[w->level];
            w->key = rk[w->key];
            w->dept = rd[w->dept];
            if (w->person > ix->nent)
                w->person = (uint32_t)ix->nent + rp[w->person - ix->nent];
        }
    return NULL;
}

/* A kev string table from an intern table; persons: "" then the roster,
 * then the persons not in it. */
static bool kh_ix_strs(kh_ix *ix, const kh_ix_tab *g, int t, kh_kev_strs *out, void **own_off, void **own_text)
{
    const kh_roster *r = ix->o->roster;
    bool persons = t == KH_KEV_S_PERSON;
    uint64_t n = persons ? 1 + r->n + (g->n - 1) : g->n, size = 0;
    for (uint32_t k = 0; k < g->n; k++)
        size += g->len[k] + 1;
    for (size_t i = 0; persons && i < r->n; i++)
        size += strlen(r->p[i].person) + 1;
    uint64_t *off = kh_malloc(ix->a, (size_t)(n + 1) * sizeof *off);
    char *text = kh_malloc(ix->a, (size_t)size + 1);
    *own_off = off;
    *own_text = text;
    if (!off || !text)
        return false;
    uint64_t at = 0, id = 0;
    for (uint64_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        if (!persons || i == 0 || i > r->n) {
            uint32_t k = persons && i ? (uint32_t)(i - r->n) : (uint32_t)i;
            s = g->str[k];
            len = g->len[k];
        } else {
            s = r->p[i - 1].person;
            len = strlen(s);
        }
        off[id++] = at;
        memcpy(text + at, s, len);
        at += len;
        text[at++] = '\0';
    }
    off[n] = at;
    *out = (kh_kev_strs){n, off, text};
    return true;
}

/* Statistics per merged item. */
static kh_kev_item_stats *kh_ix_stats(kh_ix *ix, uint64_t nitems)
{
    kh_kev_item_stats *st = kh_calloc(ix->a, (size_t)nitems + 1, sizeof *st);
    for (int s = 0; st && s < ix->nsh; s++) {
        kh_ix_share *sh = &ix->sh[s];
        for (uint32_t k = 0; k < sh->tab[KH_KEV_S_ITEM].n && k < sh->stcap; k++) {
            const kh_kev_item_stats *x = &sh->st[k];
            kh_kev_item_stats *y = &st[sh->remap[KH_KEV_S_ITEM][k]];
            if (!x->count)
                continue;
            if (!y->count || x->vmin < y->vmin)
                y->vmin = x->vmin;
            if (!y->count || x->vmax > y->vmax)
                y->vmax = x->vmax;
            y->count += x->count;
            y->nodate += x->nodate;
            uint64_t lv = 0;
            for (uint32_t l = 0; l < 63 && l < sh->tab[KH_KEV_S_LEVEL].n; l++)
                if (x->levels & ((uint64_t)1 << l))
                    lv |= sh->remap[KH_KEV_S_LEVEL][l] < 63 ? (uint64_t)1 << sh->remap[KH_KEV_S_LEVEL][l]
                                                            : (uint64_t)1 << 63;
            y->levels |= lv | (x->levels & ((uint64_t)1 << 63) ? ~(uint64_t)0 : 0);
        }
    }
    return st;
}

/* Keep p until kh_ingest_free; false (and p freed) when the list cannot grow. */
static bool kh_ix_own(kh_ix *ix, void *p)
{
    kh_ingest *g = ix->out;
    if (!p)
        return false;
    if (g->nown == g->capown) {
        size_t nc = g->capown ? g->capown * 2 : 32;
        void **nv = kh_realloc(ix->a, g->own, nc * sizeof *nv);
        if (!nv) {
            kh_free(p);
            return false;
        }
        g->own = nv;
        g->capown = nc;
    }
    g->own[g->nown++] = p;
    return true;
}

/* By item, in file order (CACHE mode). */
static bool kh_ix_by_item(kh_ix *ix, kh_kev *k, uint64_t nitems)
{
    uint64_t *ifirst = kh_calloc(ix->a, (size_t)nitems + 1, sizeof *ifirst);
    uint32_t *by = kh_malloc(ix->a, ((size_t)ix->nev + 1) * sizeof *by);
    bool owned = kh_ix_own(ix, ifirst);
    if (!kh_ix_own(ix, by) || !owned)
        return false;
    for (uint64_t p = 0; p < ix->nev; p++)
        ifirst[ix->item[p] + 1]++;
    for (uint64_t i = 0; i < nitems; i++)
        ifirst[i + 1] += ifirst[i];
    for (uint64_t i = 0; i < ix->nev; i++) {
        uint32_t p = ix->order[i];
        by[ifirst[ix->item[p]]++] = p;
    }
    for (uint64_t i = nitems; i > 0; i--)
        ifirst[i] = ifirst[i - 1];
    ifirst[0] = 0;
    k->item_first = ifirst;
    k->by_item = by;
    return true;
}

/* ------------------------------------------------------------- result */

static void kh_ix_notes(kh_ix *ix)
{
    kh_ingest *g = ix->out;
    for (int kind = 0; kind < 2; kind++) {
        size_t n = 0;
        for (int s = 0; s < ix->nsh; s++)
            n += ix->sh[s].nnotes[kind];
        g->notes[kind] = kh_malloc(ix->a, (n + 1) * sizeof *g->notes[kind]);
        if (!g->notes[kind])
            continue;
        for (int s = 0; s < ix->nsh; s++)
            for (size_t i = 0; i < ix->sh[s].nnotes[kind] && g->nnotes[kind] < ix->o->list_max; i++)
                g->notes[kind][g->nnotes[kind]++] = ix->sh[s].notes[kind][i];
    }
    for (int s = 0; s < ix->nsh; s++) {
        g->unknown_item += ix->sh[s].unknown_item;
        g->unknown_person += ix->sh[s].unknown_person;
        g->outside_unmatched += ix->sh[s].outside_unmatched;
        g->outside_listed += ix->sh[s].outside_listed;
    }
}

static void kh_ix_kev_fields(kh_ix *ix, kh_kev *k, const char *path)
{
    k->nev = ix->nev;
    k->nent = ix->nent;
    k->first = ix->first;
    k->recs = ix->recs;
    k->item = ix->item;
    k->level = ix->level;
    k->key = ix->key;
    k->value = ix->value;
    k->date = ix->date;
    k->person = ix->person;
    k->dept = ix->dept;
    k->line = ix->line;
    k->span = ix->span;
    k->pct = ix->pct;
    k->order = ix->order;
    k->has_person = ix->idx[KH_IX_PERSON] >= 0;
    k->has_dept = ix->idx[KH_IX_DEPT] >= 0;
    k->has_date = ix->idx[KH_IX_DATE] >= 0;
    k->has_level = ix->idx[KH_IX_LEVEL] >= 0;
    k->has_key = ix->idx[KH_IX_KEY] >= 0;
    k->has_value = ix->idx[KH_IX_VALUE] >= 0;
    k->crlf = ix->crlf;
    k->encoding = ix->bom ? "UTF-8 (BOM)" : "UTF-8";
    k->events_path = path;
    k->events_abs = path;
    k->roster_path = "";
    k->alloc = ix->a;
    for (int s = 0; s < ix->nsh; s++) {
        k->rows += ix->sh[s].events;
        k->nodate += ix->sh[s].nodate;
    }
}

static void kh_ix_run_from(kh_ix *ix, int from, void *(*fn)(void *))
{
    pthread_t tid[KH_IX_THREADS];
    bool started[KH_IX_THREADS] = {false};
    for (int t = from + 1; t < ix->nsh; t++)
        started[t] = pthread_create(&tid[t], NULL, fn, &ix->sh[t]) == 0;
    if (from < ix->nsh)
        fn(&ix->sh[from]);
    for (int t = from + 1; t < ix->nsh; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(&ix->sh[t]);
    }
}

/* Merge the shares' tables, map later shares' ids, build the cache's
 * string tables and statistics. */
static bool kh_ix_finish(kh_ix *ix)
{
    kh_kev *k = &ix->out->kev;
    kh_ix_tab glob[KH_KEV_NSTRS];
    memset(glob, 0, sizeof glob);
    bool ok = true;
    for (int t = 0; ok && t < KH_KEV_NSTRS; t++)
        ok = kh_ix_merge_tab(ix, t, &glob[t]);
    /* the shares' ids fit a record; the merged ones must too */
    if (ok && ix->recs &&
        (glob[KH_KEV_S_ITEM].n > KH_KEV_REC_ITEMS || glob[KH_KEV_S_LEVEL].n > KH_KEV_REC_LEVELS)) {
        ix->declined = true;
        ok = false;
    }
    if (ok)
        kh_ix_run_from(ix, 1, kh_ix_fixup);
    if (ok && ix->o->mode == KH_INGEST_CACHE)
        ok = kh_ix_transpose(ix);
    for (int t = 0; ok && t < KH_KEV_NSTRS; t++) {
        void *off = NULL, *text = NULL;
        ok = kh_ix_strs(ix, &glob[t], t, &k->str[t], &off, &text);
        bool own_off = kh_ix_own(ix, off), own_text = kh_ix_own(ix, text);
        ok = own_off && own_text && ok;
    }
    if (ok) {
        kh_kev_item_stats *st = kh_ix_stats(ix, glob[KH_KEV_S_ITEM].n);
        ok = kh_ix_own(ix, st);
        k->stats = st;
    }
    if (ok && ix->o->mode == KH_INGEST_CACHE)
        ok = kh_ix_by_item(ix, k, glob[KH_KEV_S_ITEM].n);
    if (ok && ix->o->mode == KH_INGEST_SCORE)
        kh_ix_notes(ix);
    for (int t = 0; t < KH_KEV_NSTRS; t++)
        kh_ix_tab_free(&glob[t]);
    return ok;
}

/* ------------------------------------------------------------- public */

static bool kh_ix_map(kh_ix *ix, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return false;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
              (size_t)st.st_size <= KH_IX_FILE_MAX;
    if (ok) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        ok = m != MAP_FAILED;
        if (ok) {
            ix->map = m;
            ix->size = (size_t)st.st_size;
            madvise(m, ix->size, MADV_SEQUENTIAL);
        }
    }
    close(fd);
    if (ok && ix->size >= 3 && memcmp(ix->map, "\xEF\xBB\xBF", 3) == 0)
        ix->bom = 3;
    return ok;
}

/* The roster, borrowed: its strings outlive the read. */
static bool kh_ix_roster(kh_ix *ix)
{
    const kh_roster *r = ix->o->roster;
    kh_ix_tab *t = &ix->roster;
    ix->nent = r->n;
    for (size_t i = 0; i < r->n; i++) {
        if ((t->n + 1) * 2 > t->nslots && !kh_ix_grow(ix, t))
            return false;
        uint32_t n = (uint32_t)strlen(r->p[i].person);
        kh_ix_key key = kh_ix_keyof(r->p[i].person, n);
        uint32_t at = kh_ix_probe(t, r->p[i].person, n, &key);
        if (t->slot[at].hash)
            continue;           /* the roster reader has reported it */
        t->str[t->n] = r->p[i].person;
        t->len[t->n] = n;
        t->hash[t->n] = key.h;
        kh_ix_fill(t, at, t->n);
        t->n++;
    }
    /* entry k of the table is roster entry k only when no name repeats */
    return t->n == r->n;
}

static void kh_ix_free(kh_ix *ix)
{
    for (int s = 0; s < KH_IX_THREADS; s++) {
        kh_ix_share *sh = &ix->sh[s];
        kh_free(sh->count);
        kh_free(sh->start);
        for (int t = 0; t < KH_KEV_NSTRS; t++) {
            kh_ix_tab_free(&sh->tab[t]);
            kh_free(sh->remap[t]);
        }
        kh_free(sh->st);
        kh_free(sh->known);
        kh_free(sh->notes[0]);
        kh_free(sh->notes[1]);
        kh_free(sh->ubuf);
        kh_free(sh->recbuf);
    }
    kh_ix_tab_free(&ix->roster);
    if (ix->map)
        munmap((void *)ix->map, ix->size);
    pthread_mutex_destroy(&ix->lock);
}

/* Hand the columns and arena blocks to the result. */
static bool kh_ix_give(kh_ix *ix)
{
    void *cols[] = {ix->first, ix->item, ix->level, ix->key, ix->value, ix->date,
                    ix->person, ix->dept, ix->line, ix->span, ix->pct, ix->order, ix->recs};
    bool ok = true;
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        if (cols[i])
            ok = kh_ix_own(ix, cols[i]) && ok;
    for (size_t i = 0; i < ix->nblocks; i++)
        ok = kh_ix_own(ix, ix->blocks[i]) && ok;
    kh_free(ix->blocks);
    ix->blocks = NULL;
    ix->nblocks = ix->capblocks = 0;
    return ok;
}

static kh_ingest_rc kh_ix_read(kh_ix *ix, const char *path)
{
    bool oom = false;
    if (!kh_ix_map(ix, path))
        return KH_INGEST_DECLINED;
    if (!kh_ix_roster(ix))
        return ix->roster.n < ix->o->roster->n ? KH_INGEST_DECLINED : KH_INGEST_NOMEM;
    ix->sh[0].ix = ix;
    if (!kh_ix_header(ix))
        return ix->sh[0].oom ? KH_INGEST_NOMEM : KH_INGEST_DECLINED;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int want = ix->o->threads > 0 ? ix->o->threads : (int)(cores > 0 ? cores : 1);
    kh_ix_shares(ix, want > KH_IX_THREADS ? KH_IX_THREADS : want);
    if (!kh_ix_counts(ix))
        return KH_INGEST_NOMEM;
    ix->pass = 1;
    ix->shown = -1;
    kh_ix_run_from(ix, 0, kh_ix_pass1);
    if (kh_ix_failed(ix, &oom))
        return oom ? KH_INGEST_NOMEM : KH_INGEST_DECLINED;
    uint64_t events = 0;
    for (int s = 0; s < ix->nsh; s++)
        events += ix->sh[s].events;
    if (!events)
        return KH_INGEST_DECLINED;      /* the CSV reader says there are no rows */
    if (!kh_ix_layout(ix) || !kh_ix_columns(ix))
        return KH_INGEST_NOMEM;
    ix->pass = 2;
    kh_ix_run_from(ix, 0, kh_ix_pass2);
    if (kh_ix_failed(ix, &oom))
        return oom ? KH_INGEST_NOMEM : KH_INGEST_DECLINED;
    if (!kh_ix_finish(ix))
        return ix->declined ? KH_INGEST_DECLINED : KH_INGEST_NOMEM;
    return kh_ix_give(ix) ? KH_INGEST_OK : KH_INGEST_NOMEM;
}

kh_ingest_rc kh_ingest_read(kh_alloc *a, const char *path, const kh_ingest_opts *o, kh_ingest *out)
{
    memset(out, 0, sizeof *out);
    kh_ix *ix = kh_calloc(a, 1, sizeof *ix);
    if (!ix)
        return KH_INGEST_NOMEM;
    ix->a = a;
    ix->o = o;
    ix->out = out;
    pthread_mutex_init(&ix->lock, NULL);
    atomic_init(&ix->stop, false);
    kh_ingest_rc rc = kh_ix_read(ix, path);
    if (o->progress && ix->shown >= 0)
        o->progress(o->pctx, 100);
    if (rc == KH_INGEST_OK) {
        kh_ix_kev_fields(ix, &out->kev, path);
    } else {
        void *cols[] = {ix->first, ix->item, ix->level, ix->key, ix->value, ix->date, ix->person,
                        ix->dept,  ix->line, ix->span,  ix->pct, ix->order, ix->recs, ix->wide};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
            kh_free(cols[i]);
        for (size_t i = 0; i < ix->nblocks; i++)
            kh_free(ix->blocks[i]);
        kh_free(ix->blocks);
        kh_ingest_free(out);
    }
    kh_ix_free(ix);
    kh_free(ix);
    return rc;
}

void kh_ingest_free(kh_ingest *g)
{
    for (size_t i = 0; i < g->nown; i++)
        kh_free(g->own[i]);
    kh_free(g->own);
    kh_free(g->notes[0]);
    kh_free(g->notes[1]);
    memset(g, 0, sizeof *g);
}
