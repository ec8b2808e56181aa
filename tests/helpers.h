/* helpers.h — small fixtures shared by the Criterion tests. */
#ifndef KH_TEST_HELPERS_H
#define KH_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <string.h>

#include "compiler.h"

/* A scheme parsed (and checked) from a string, with what it owns. */
typedef struct kh_fixture {
    kh_source src;
    kh_diags d;
    kh_scheme *s;
    kh_ir *ir;
} kh_fixture;

static inline void kh_fx_parse(kh_fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    kh_diags_init(&f->d, NULL);
    cr_assert(kh_source_from_string(NULL, "test.kh", text, strlen(text), &f->src));
    f->s = kh_parse(NULL, &f->d, &f->src);
    cr_assert_not_null(f->s);
    kh_check(NULL, &f->d, f->s);
}

static inline void kh_fx_lower(kh_fixture *f, const char *text)
{
    kh_fx_parse(f, text);
    f->ir = kh_lower(NULL, &f->d, f->s);
    cr_assert_not_null(f->ir);
}

static inline void kh_fx_free(kh_fixture *f)
{
    kh_ir_free(f->ir);
    kh_scheme_free(f->s);
    kh_diags_free(&f->d);
    kh_source_free(&f->src);
}

/* The first diagnostic with this code, or NULL. */
static inline const kh_diag *kh_fx_diag(const kh_fixture *f, const char *code)
{
    for (size_t i = 0; i < f->d.n; i++)
        if (strcmp(f->d.v[i].msg->code, code) == 0)
            return &f->d.v[i];
    return NULL;
}

static inline int kh_fx_line(const kh_fixture *f, const kh_diag *dg)
{
    int l, c;
    kh_source_linecol(&f->src, dg->span.off, &l, &c);
    return l;
}

static inline int kh_fx_col(const kh_fixture *f, const kh_diag *dg)
{
    int l, c;
    kh_source_linecol(&f->src, dg->span.off, &l, &c);
    return c;
}

#endif

/* ------------------------------------------------------------ scoring */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "score.h"

typedef struct kh_run {
    kh_fixture f;
    kh_scored sc;
    char dir[64];
    bool ok;
} kh_run;

static inline void kh_write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Score a scheme over an event log and a roster given as strings. */
static inline void kh_run_score(kh_run *r, const char *scheme, const char *events, const char *roster,
                                const kh_score_opts *extra)
{
    memset(r, 0, sizeof *r);
    kh_fx_lower(&r->f, scheme);
    cr_assert_eq(r->f.d.nerrors, 0, "the scheme has errors");
    strcpy(r->dir, "/tmp/kh-test-XXXXXX");
    cr_assert_not_null(mkdtemp(r->dir));
    char ep[128], rp[128];
    snprintf(ep, sizeof ep, "%s/events.csv", r->dir);
    snprintf(rp, sizeof rp, "%s/roster.csv", r->dir);
    kh_write_file(ep, events);
    kh_write_file(rp, roster);
    kh_score_opts o = {0};
    if (extra)
        o = *extra;
    o.events = ep;
    o.roster = rp;
    if (!o.engine)
        o.engine = KH_ENGINE_INTERP;
    r->ok = kh_score(NULL, &r->f.d, r->f.ir, &o, &r->sc);
    unlink(ep);
    unlink(rp);
    rmdir(r->dir);
}

static inline void kh_run_free(kh_run *r)
{
    kh_scored_free(&r->sc);
    kh_fx_free(&r->f);
}

/* The value of the output column titled `title` (first match) for `who`. */
static inline kh_dec kh_run_col(const kh_run *r, const char *who, const char *title)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0, "no entity %s", who);
    const kh_ir *ir = r->sc.ir;
    for (int32_t c = 0; c < ir->ncols; c++)
        if (ir->cols[c].title && strcmp(ir->cols[c].title, title) == 0)
            return r->sc.rows[(size_t)e * (size_t)ir->ncols + (size_t)c];
    cr_assert(false, "no column %s", title);
    return 0;
}

static inline kh_dec kh_run_total(const kh_run *r, const char *who)
{
    return kh_run_col(r, who, "总分");
}

static inline const char *kh_run_grade(const kh_run *r, const char *who)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0);
    int32_t g = r->sc.verdicts[e].grade;
    return g >= 0 ? r->sc.ir->grades[g].name : "";
}

static inline int32_t kh_run_rank(const kh_run *r, const char *who)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0);
    return r->sc.verdicts[e].rank;
}

static inline const char *kh_run_remarks(const kh_run *r, const char *who)
{
    ptrdiff_t e = kh_scored_find(&r->sc, who);
    cr_assert(e >= 0);
    return r->sc.verdicts[e].remarks ? r->sc.verdicts[e].remarks : "";
}
