/* run.c — one differential pair: a scheme scored over an event log and a
 * roster by the interpreter and by the JIT, through the whole pipeline
 * (kh_score, kh_grade_assign, kh_report in its three formats, kh_explain
 * when every event is kept, the diagnostics), each rendered to text and
 * compared byte for byte.  The interpreter runs on one thread; the JIT on
 * as many as the options say.
 * Also the line-by-line minimiser that shrinks a disagreeing pair.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"

/* ------------------------------------------------------------ streams */

static ssize_t kh_dd_sink(void *cookie, const char *buf, size_t n)
{
    kh_dg_buf *b = cookie;
    kh_dg_putn(b, buf, n);
    return b->oom ? -1 : (ssize_t)n;
}

FILE *kh_dd_stream(kh_dg_buf *b)
{
    cookie_io_functions_t io = {.read = NULL, .write = kh_dd_sink, .seek = NULL, .close = NULL};
    return fopencookie(b, "w", io);
}

/* -------------------------------------------------------------- files */

bool kh_dd_write(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(text, 1, len, f) == len;
    if (fclose(f) != 0)
        ok = false;
    return ok;
}

bool kh_dd_tempdir(char out[64])
{
    snprintf(out, 64, "/tmp/kh-diff-XXXXXX");
    return mkdtemp(out) != NULL;
}

void kh_dd_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* ------------------------------------------------------------- schemes */

static void kh_dd_render_diags(kh_diags *d, FILE *f)
{
    kh_diags_sort(d);
    for (size_t i = 0; i < d->n; i++)
        kh_diag_render(f, &d->v[i], KH_ZH);
}

bool kh_dd_load(kh_alloc *a, kh_dd_scheme *m, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    kh_diags_init(&m->d, a);
    kh_dg_buf_init(&m->why, a);
    if (!kh_source_from_string(a, "scheme.kh", text, len, &m->src)) {
        kh_dg_puts(&m->why, "out of memory\n");
        return false;
    }
    m->have_src = true;
    kh_source_index(a, &m->src);
    m->s = kh_parse(a, &m->d, &m->src);
    if (m->s)
        kh_check(a, &m->d, m->s);
    if (m->s && !m->d.nerrors)
        m->ir = kh_lower(a, &m->d, m->s);
    if (m->ir)
        return true;
    FILE *f = kh_dd_stream(&m->why);
    if (f) {
        kh_dd_render_diags(&m->d, f);
        fclose(f);
    }
    return false;
}

void kh_dd_unload(kh_dd_scheme *m)
{
    kh_ir_free(m->ir);
    kh_scheme_free(m->s);
    kh_diags_free(&m->d);
    if (m->have_src)
        kh_source_free(&m->src);
    kh_dg_buf_free(&m->why);
    memset(m, 0, sizeof *m);
}

bool kh_dd_prepare(kh_dd_scheme *m, const kh_dd_opts *o, const char *path, kh_dg_buf *why)
{
    char err[512] = "";
    kh_jit_opts jo = {o->opt_level, o->cache_dir, false};
    m->so[0] = 0;
    if (o->use_so) {
        if (!kh_jit_write_so(m->ir, &jo, path, err, sizeof err)) {
            kh_dg_printf(why, "kh_jit_write_so: %s\n", err);
            return false;
        }
        snprintf(m->so, sizeof m->so, "%s", path);
        return true;
    }
    kh_jit *j = kh_jit_compile(m->ir, &jo, NULL, err, sizeof err);
    if (!j) {
        kh_dg_printf(why, "kh_jit_compile: %s\n", err);
        return false;
    }
    kh_jit_free(j);
    return true;
}

/* ----------------------------------------------------------- rendering */

static void kh_dd_dec(FILE *f, kh_dec v)
{
    char b[48];
    kh_dec_format(v, b, sizeof b);
    fputs(b, f);
}

/* Every output slot of every entity, and the verdicts. */
static void kh_dd_rows(FILE *f, const kh_scored *sc)
{
    const kh_ir *ir = sc->ir;
    for (size_t e = 0; e < sc->nent; e++) {
        fprintf(f, "entity %s:", sc->ent[e].id);
        for (int32_t c = 0; c < ir->ncols; c++) {
            fprintf(f, " %s=", ir->cols[c].title ? ir->cols[c].title : "?");
            kh_dd_dec(f, sc->rows[e * (size_t)ir->ncols + (size_t)c]);
        }
        const kh_verdict *v = &sc->verdicts[e];
        fprintf(f, " | rank=%d grade=%d score_grade=%d eligible=%d remarks=%s\n", v->rank, v->grade,
                v->score_grade, v->eligible, v->remarks ? v->remarks : "");
    }
    fprintf(f, "scheme remarks: %s\n", sc->scheme_remarks ? sc->scheme_remarks : "");
}

/* What one engine made of the pair, as text. */
static void kh_dd_render(kh_alloc *a, kh_dd_scheme *m, const char *events, const char *roster, const kh_dd_opts *o,
                         kh_engine engine, FILE *f)
{
    kh_diags d;
    kh_diags_init(&d, a);
    kh_jit_opts jo = {o->opt_level, o->cache_dir, false};
    kh_score_opts so = {0};
    so.events = events;
    so.roster = roster;
    so.period = o->period;
    so.strict = o->strict;
    so.engine = engine;
    so.jit = &jo;
    so.detail = o->detail;
    so.threads = engine == KH_ENGINE_JIT ? o->threads : 1;
    if (engine == KH_ENGINE_JIT && m->so[0])
        so.compiled = m->so;
    kh_scored sc;
    bool ok = kh_score(a, &d, m->ir, &so, &sc);
    fprintf(f, "score: %s\njit error: %s\n", ok ? "ok" : "failed", sc.jit_error);
    if (ok) {
        fprintf(f, "entities %zu events %zu counted %zu unknown person %zu item %zu level %zu outside %zu rejected %zu\n",
                sc.nent, sc.nev, sc.counted, sc.unknown_person, sc.unknown_item, sc.unknown_level,
                sc.outside_period, sc.rejected);
        kh_dd_rows(f, &sc);
        kh_report(f, &sc, KH_FMT_TABLE);
        kh_report(f, &sc, KH_FMT_CSV);
        kh_report(f, &sc, KH_FMT_JSON);
        for (size_t e = 0; o->detail && e < sc.nent && e < 3; e++)
            kh_explain(f, &sc, sc.nent - 1 - e);
    }
    fputs("diagnostics:\n", f);
    kh_dd_render_diags(&d, f);
    if (d.oom)
        fputs("out of memory\n", f);
    kh_scored_free(&sc);
    kh_diags_free(&d);
}

/* The first line where a and b differ, both versions. */
static void kh_dd_first_diff(const kh_dg_buf *x, const kh_dg_buf *y, kh_dg_buf *diff)
{
    const char *a = x->p ? x->p : "", *b = y->p ? y->p : "";
    int line = 1;
    size_t i = 0, start = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    size_t ea = start, eb = start;
    while (a[ea] && a[ea] != '\n')
        ea++;
    while (b[eb] && b[eb] != '\n')
        eb++;
    kh_dg_printf(diff, "first difference at output line %d\n  interp: %.*s\n  jit:    %.*s\n", line,
                 (int)(ea - start), a + start, (int)(eb - start), b + start);
}

kh_dd_verdict kh_dd_compare(kh_alloc *a, kh_dd_scheme *m, const char *events, const char *roster,
                            const kh_dd_opts *o, kh_dg_buf *diff)
{
    kh_dg_buf out[2];
    kh_engine eng[2] = {KH_ENGINE_INTERP, KH_ENGINE_JIT};
    for (int k = 0; k < 2; k++) {
        kh_dg_buf_init(&out[k], a);
        FILE *f = kh_dd_stream(&out[k]);
        if (!f) {
            out[k].oom = true;
            continue;
        }
        kh_dd_render(a, m, events, roster, o, eng[k], f);
        fclose(f);
    }
    bool same = !out[0].oom && !out[1].oom && out[0].n == out[1].n &&
                (out[0].n == 0 || memcmp(out[0].p, out[1].p, out[0].n) == 0);
    if (!same && diff)
        kh_dd_first_diff(&out[0], &out[1], diff);
    kh_dg_buf_free(&out[0]);
    kh_dg_buf_free(&out[1]);
    return same ? KH_DD_SAME : KH_DD_DIFFERENT;
}

kh_dd_verdict kh_dd_texts(kh_alloc *a, const char *dir, const char *scheme, const char *events,
                          const char *roster, const kh_dd_opts *o, kh_dg_buf *diff)
{
    char ep[256], rp[256], sp[256];
    snprintf(ep, sizeof ep, "%s/events.csv", dir);
    snprintf(rp, sizeof rp, "%s/roster.csv", dir);
    snprintf(sp, sizeof sp, "%s/scheme.so", dir);
    kh_dd_scheme m;
    if (!kh_dd_load(a, &m, scheme, strlen(scheme))) {
        if (diff)
            kh_dg_puts(diff, m.why.p ? m.why.p : "");
        kh_dd_unload(&m);
        return KH_DD_REJECTED;
    }
    kh_dd_verdict v = KH_DD_DIFFERENT;
    if (!kh_dd_write(ep, events, strlen(events)) || !kh_dd_write(rp, roster, strlen(roster))) {
        if (diff)
            kh_dg_printf(diff, "cannot write into %s\n", dir);
    } else if (kh_dd_prepare(&m, o, sp, diff ? diff : &m.why)) {
        v = kh_dd_compare(a, &m, ep, rp, o, diff);
    }
    unlink(ep);
    unlink(rp);
    unlink(sp);
    kh_dd_unload(&m);
    return v;
}

/* ----------------------------------------------------------- minimiser */

/* The lines of a text, as offsets into it. */
typedef struct kh_dd_lines {
    kh_alloc *a;
    size_t *start, *len;
    size_t n;
} kh_dd_lines;

static bool kh_dd_split(kh_alloc *a, const char *t, kh_dd_lines *l)
{
    size_t n = 1;
    for (const char *p = t; *p; p++)
        n += *p == '\n';
    l->a = a;
    l->n = 0;
    l->start = kh_malloc(a, n * sizeof *l->start);
    l->len = kh_malloc(a, n * sizeof *l->len);
    if (!l->start || !l->len)
        return false;
    size_t i = 0;
    while (t[i]) {
        size_t j = i;
        while (t[j] && t[j] != '\n')
            j++;
        l->start[l->n] = i;
        l->len[l->n++] = j - i + (t[j] == '\n');
        i = j + (t[j] == '\n');
    }
    return true;
}

static void kh_dd_lines_free(kh_dd_lines *l)
{
    kh_free(l->start);
    kh_free(l->len);
}

/* text without lines [from, to) (and without the lines dropped before). */
static void kh_dd_join(const char *t, const kh_dd_lines *l, const bool *keep, kh_dg_buf *out)
{
    kh_dg_buf_clear(out);
    for (size_t i = 0; i < l->n; i++)
        if (keep[i])
            kh_dg_putn(out, t + l->start[i], l->len[i]);
    if (!out->p)
        kh_dg_puts(out, "");
}

/* The three texts of a pair, one of which is being shrunk. */
typedef struct kh_dd_trial {
    kh_alloc *a;
    const char *dir;
    const kh_dd_opts *o;
    kh_dg_buf *part[3];
    int tries;
} kh_dd_trial;

static bool kh_dd_still(kh_dd_trial *t, int which, const kh_dg_buf *candidate)
{
    const char *v[3];
    for (int i = 0; i < 3; i++)
        v[i] = t->part[i]->p ? t->part[i]->p : "";
    v[which] = candidate->p ? candidate->p : "";
    t->tries++;
    return kh_dd_texts(t->a, t->dir, v[0], v[1], v[2], t->o, NULL) == KH_DD_DIFFERENT;
}

/* Drop chunks of lines (never the first) while the pair still disagrees. */
static bool kh_dd_shrink(kh_dd_trial *t, int which)
{
    kh_dg_buf *b = t->part[which];
    if (!b->p)
        return false;
    kh_dd_lines l;
    kh_dg_buf cand;
    kh_dg_buf_init(&cand, t->a);
    bool *keep = NULL, changed = false;
    if (!kh_dd_split(t->a, b->p, &l) || !(keep = kh_calloc(t->a, 2 * l.n + 1, sizeof *keep)))
        goto done;
    for (size_t i = 0; i < l.n; i++)
        keep[i] = true;
    for (size_t chunk = l.n / 2 ? l.n / 2 : 1;; chunk /= 2) {
        for (size_t from = 1; from < l.n; from += chunk) {
            size_t to = from + chunk < l.n ? from + chunk : l.n;
            bool any = false;
            for (size_t i = from; i < to; i++)
                any = any || keep[i];
            if (!any)
                continue;
            bool *was = keep + l.n;   /* the chunk before this try */
            for (size_t i = from; i < to; i++) {
                was[i - from] = keep[i];
                keep[i] = false;
            }
            kh_dd_join(b->p, &l, keep, &cand);
            if (kh_dd_still(t, which, &cand)) {
                changed = true;
                continue;
            }
            for (size_t i = from; i < to; i++)
                keep[i] = was[i - from];
        }
        if (chunk <= 1)
            break;
    }
    if (changed) {
        kh_dd_join(b->p, &l, keep, &cand);
        kh_dg_buf_clear(b);
        kh_dg_puts(b, cand.p);
    }
done:
    kh_free(keep);
    kh_dd_lines_free(&l);
    kh_dg_buf_free(&cand);
    return changed;
}

int kh_dd_minimise(kh_alloc *a, const char *dir, kh_dg_buf *scheme, kh_dg_buf *events, kh_dg_buf *roster,
                   const kh_dd_opts *o)
{
    kh_dd_trial t = {a, dir, o, {scheme, events, roster}, 0};
    for (int round = 0; round < 4; round++) {
        bool changed = false;
        for (int which = 1; which < 3; which++)
            changed = kh_dd_shrink(&t, which) || changed;
        changed = kh_dd_shrink(&t, 0) || changed;
        if (!changed)
            break;
    }
    return t.tries;
}
