/* fuzz_score.c — the whole scoring run on arbitrary input: a rule file,
 * an event log and a roster in one input, separated by lines "=====".
 *
 * The scheme is parsed and lowered (its errors demoted, as
 * --allow-errors does), the files are read, every entity is scored by the
 * interpreter, ranked and graded; the report is written in every format
 * and the first entities are explained.  Nothing may crash, and the
 * verdicts must be consistent: ranks from 1, grades in range. */
#include "fuzz.h"
#include "score.h"

enum { KH_FUZZ_EXPLAIN = 8 };

static void kh_fuzz_verdicts(const kh_scored *sc)
{
    for (size_t i = 0; i < sc->nent; i++) {
        const kh_verdict *v = &sc->verdicts[i];
        KH_FUZZ_ASSERT(v->rank >= 1 && (size_t)v->rank <= sc->nent);
        KH_FUZZ_ASSERT(v->grade >= -1 && v->grade < sc->ir->ngrades);
        KH_FUZZ_ASSERT(v->score_grade >= -1 && v->score_grade < sc->ir->ngrades);
        KH_FUZZ_ASSERT(v->remarks != NULL);
    }
}

static void kh_fuzz_score(FILE *out, const kh_ir *ir, const char *events, const char *roster, kh_diags *d)
{
    kh_score_opts o = {0};
    o.events = events;
    o.roster = roster;
    o.engine = KH_ENGINE_INTERP;
    kh_scored sc;
    if (kh_score(NULL, d, ir, &o, &sc)) {
        kh_fuzz_verdicts(&sc);
        kh_report(out, &sc, KH_FMT_TABLE);
        kh_report(out, &sc, KH_FMT_CSV);
        kh_report(out, &sc, KH_FMT_JSON);
        /* explain needs each entity's events kept one by one */
        for (size_t i = 0; sc.first && i < sc.nent && i < KH_FUZZ_EXPLAIN; i++)
            kh_explain(out, &sc, i);
    }
    kh_fuzz_render(out, d);
    kh_scored_free(&sc);
}

/* Demote the scheme's errors to warnings: score what can be scored. */
static void kh_fuzz_allow_errors(kh_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == KH_ERROR) {
            d->v[i].sev = KH_WARNING;
            d->nerrors--;
            d->nwarnings++;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n1, n2, rest2;
    const uint8_t *p2, *p3;
    if (!kh_fuzz_split(data, size, "=====", &n1, &p2, &rest2) ||
        !kh_fuzz_split(p2, rest2, "=====", &n2, &p3, &(size_t){0}))
        return 0;
    size_t n3 = size - (size_t)(p3 - data);
    char sp[64], ep[64], rp[64];
    int f1 = kh_fuzz_file(data, n1, sp, sizeof sp);
    int f2 = kh_fuzz_file(p2, n2, ep, sizeof ep);
    int f3 = kh_fuzz_file(p3, n3, rp, sizeof rp);
    FILE *null = fopen("/dev/null", "w");
    FILE *out = null ? null : stderr;
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_source src;
    if (f1 >= 0 && f2 >= 0 && f3 >= 0 && kh_source_load(NULL, &d, sp, &src)) {
        kh_scheme *s = kh_parse(NULL, &d, &src);
        KH_FUZZ_ASSERT(s != NULL);
        kh_check(NULL, &d, s);
        kh_fuzz_allow_errors(&d);
        kh_ir *ir = kh_lower(NULL, &d, s);
        if (ir)
            kh_fuzz_score(out, ir, ep, rp, &d);
        kh_ir_free(ir);
        kh_scheme_free(s);
        kh_source_free(&src);
    }
    kh_diags_free(&d);
    if (null)
        fclose(null);
    for (int *f = (int[]){f1, f2, f3, -2}; *f != -2; f++)
        if (*f >= 0)
            close(*f);
    return 0;
}
