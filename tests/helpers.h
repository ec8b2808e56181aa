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
