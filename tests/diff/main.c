/* main.c — `make fuzz-diff`: N random pairs scored by both engines.
 *
 *   build/tests/fuzz-diff [-n N] [-s SEED] [--per K] [--out DIR] [--keep K]
 *   build/tests/fuzz-diff --case DIR [options.txt's settings as flags]
 *                                        (re-run a saved pair)
 *   build/tests/fuzz-diff --print I      (print pair I's three files)
 *
 * Pair i uses scheme ⌊i / K⌋ (K = 100 by default: compiling a scheme costs
 * far more than scoring it, so each scheme serves K event logs).  Scheme s
 * and pair i are generated from streams derived from SEED, so a pair is
 * reproduced by its number alone.  A disagreement is saved, minimised,
 * under DIR (build/diff-fail); the run ends with `N passed, M failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "diff.h"

typedef struct kh_fz {
    kh_alloc alloc;
    long n, per, keep;
    uint64_t seed;
    const char *out;
    char tmp[64];           /* events, roster, .so of the current pair */
    char cache[64];         /* the JIT's compile cache */
    char scratch[64];       /* for the minimiser */
    long passed, failed, rejected_schemes, rejected_pairs, saved;
    bool oom;               /* generating a pair ran out of memory: stop */
} kh_fz;

static double kh_fz_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -------------------------------------------------------- generation */

/* The options of scheme s's JIT side: optimisation level, cache or .so. */
static void kh_fz_scheme_opts(kh_fz *z, long s, kh_dd_opts *o)
{
    kh_dg_rng r = {kh_dg_mix(z->seed ^ 0x6f707473ULL, (uint64_t)s)};
    static const int levels[] = {1, 1, 1, 2, 0, 3};
    memset(o, 0, sizeof *o);
    o->cache_dir = z->cache;
    o->opt_level = levels[kh_dg_below(&r, 6)];
    o->use_so = kh_dg_chance(&r, 20);
}

static void kh_fz_scheme_text(kh_fz *z, long s, kh_dg_buf *text, kh_dg_meta *m)
{
    kh_dg_rng r = {kh_dg_mix(z->seed, (uint64_t)s)};
    kh_dg_buf_clear(text);
    kh_dg_scheme(&r, text, m);
}

/* Pair i's roster, events and the options that vary per pair. */
static void kh_fz_pair_text(kh_fz *z, long i, const kh_dg_meta *m, kh_dg_buf *roster, kh_dg_buf *events,
                            kh_dd_opts *o)
{
    static const char *const periods[] = {"2023", "2023H1", "2023H2", "2023Q1", "2023Q3", "2023-05", "2022"};
    kh_dg_rng r = {kh_dg_mix(z->seed ^ 0x70616972ULL, (uint64_t)i)};
    kh_dg_people p;
    kh_dg_buf_clear(roster);
    kh_dg_buf_clear(events);
    kh_dg_roster(&r, m, roster, &p);
    kh_dg_events(&r, m, &p, events);
    o->period = kh_dg_chance(&r, 25) ? periods[kh_dg_below(&r, 7)] : NULL;
    o->strict = kh_dg_chance(&r, 10);
    o->detail = kh_dg_chance(&r, 35);
    o->threads = kh_dg_below(&r, 3);
}

/* ------------------------------------------------------------ failures */

static void kh_fz_save_file(const char *dir, const char *name, const kh_dg_buf *b)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (!kh_dd_write(p, b->p ? b->p : "", b->n))
        fprintf(stderr, "cannot write %s\n", p);
}

/* Keep a disagreeing pair (and its minimised form) under z->out. */
static void kh_fz_save(kh_fz *z, long i, const kh_dd_opts *o, kh_dg_buf *scheme, kh_dg_buf *events,
                       kh_dg_buf *roster, const kh_dg_buf *why)
{
    char dir[512];
    mkdir(z->out, 0755);
    snprintf(dir, sizeof dir, "%s/seed%llu-pair%ld", z->out, (unsigned long long)z->seed, i);
    mkdir(dir, 0755);
    kh_dg_buf opts;
    kh_dg_buf_init(&opts, &z->alloc);
    kh_dg_printf(&opts, "opt_level %d\nuse_so %d\nperiod %s\nstrict %d\ndetail %d\nthreads %d\n", o->opt_level,
                 o->use_so, o->period ? o->period : "", o->strict, o->detail, o->threads);
    kh_fz_save_file(dir, "options.txt", &opts);
    kh_fz_save_file(dir, "why.txt", why);
    kh_fz_save_file(dir, "scheme.kh", scheme);
    kh_fz_save_file(dir, "events.csv", events);
    kh_fz_save_file(dir, "roster.csv", roster);
    int tries = kh_dd_minimise(&z->alloc, z->scratch, scheme, events, roster, o);
    kh_fz_save_file(dir, "min-scheme.kh", scheme);
    kh_fz_save_file(dir, "min-events.csv", events);
    kh_fz_save_file(dir, "min-roster.csv", roster);
    kh_dg_buf_clear(&opts);
    kh_dd_texts(&z->alloc, z->scratch, scheme->p ? scheme->p : "", events->p ? events->p : "",
                roster->p ? roster->p : "", o, &opts);
    kh_fz_save_file(dir, "min-why.txt", &opts);
    kh_dg_buf_free(&opts);
    printf("  saved %s (minimised in %d tries)\n", dir, tries);
}

/* --------------------------------------------------------------- loop */

/* Pairs [from, to) of scheme s. */
static void kh_fz_scheme(kh_fz *z, long s, long from, long to, kh_dg_buf *bufs)
{
    kh_dg_meta m;
    kh_dd_opts o;
    kh_dd_scheme ds;
    char ep[128], rp[128], sp[128];
    snprintf(ep, sizeof ep, "%s/events.csv", z->tmp);
    snprintf(rp, sizeof rp, "%s/roster.csv", z->tmp);
    snprintf(sp, sizeof sp, "%s/scheme.so", z->tmp);
    kh_fz_scheme_text(z, s, &bufs[0], &m);
    kh_fz_scheme_opts(z, s, &o);
    if (bufs[0].oom) {
        z->oom = true;
        return;
    }
    kh_dg_buf *why = &bufs[3];
    kh_dg_buf_clear(why);
    if (!kh_dd_load(&z->alloc, &ds, bufs[0].p, bufs[0].n)) {
        z->rejected_schemes++;
        z->rejected_pairs += to - from;
        if (z->rejected_schemes <= 5)
            printf("scheme %ld rejected by the front end:\n%s\n%s\n", s, bufs[0].p, ds.why.p ? ds.why.p : "");
        kh_dd_unload(&ds);
        return;
    }
    bool ready = kh_dd_prepare(&ds, &o, sp, why);
    for (long i = from; i < to; i++) {
        kh_fz_pair_text(z, i, &m, &bufs[1], &bufs[2], &o);
        if (bufs[1].oom || bufs[2].oom) {
            z->oom = true;
            break;
        }
        kh_dd_verdict v = KH_DD_DIFFERENT;
        if (ready && kh_dd_write(ep, bufs[2].p, bufs[2].n) && kh_dd_write(rp, bufs[1].p, bufs[1].n)) {
            kh_dg_buf_clear(why);
            v = kh_dd_compare(&z->alloc, &ds, ep, rp, &o, why);
        }
        if (v == KH_DD_SAME) {
            z->passed++;
            continue;
        }
        z->failed++;
        printf("pair %ld (scheme %ld) DISAGREES: %s", i, s, why->p ? why->p : "\n");
        if (z->saved < z->keep) {
            z->saved++;
            kh_dg_buf sch;
            kh_dg_buf_init(&sch, &z->alloc);
            kh_dg_puts(&sch, bufs[0].p);
            kh_fz_save(z, i, &o, &sch, &bufs[2], &bufs[1], why);
            kh_dg_buf_free(&sch);
        }
    }
    kh_dd_unload(&ds);
}

static int kh_fz_run(kh_fz *z)
{
    kh_dg_buf bufs[4];
    for (int k = 0; k < 4; k++)
        kh_dg_buf_init(&bufs[k], &z->alloc);
    double t0 = kh_fz_now();
    long every = z->n / 20 > 1000 ? z->n / 20 : 1000;
    printf("fuzz-diff: %ld pairs, seed %llu, %ld event logs per scheme\n", z->n, (unsigned long long)z->seed, z->per);
    fflush(stdout);
    for (long i = 0; i < z->n && !z->oom;) {
        long s = i / z->per, to = (s + 1) * z->per < z->n ? (s + 1) * z->per : z->n;
        kh_fz_scheme(z, s, i, to, bufs);
        long before = i;
        i = to;
        if (i / every != before / every || i == z->n) {
            double dt = kh_fz_now() - t0;
            printf("  %ld/%ld pairs: %ld passed, %ld failed, %ld rejected (%.0f pairs/s)\n", i, z->n, z->passed,
                   z->failed, z->rejected_pairs, dt > 0 ? (double)i / dt : 0.0);
            fflush(stdout);
        }
    }
    double dt = kh_fz_now() - t0;
    if (z->oom)
        printf("out of memory: stopped early\n");
    printf("%ld passed, %ld failed", z->passed, z->failed);
    if (z->rejected_pairs)
        printf(", %ld not run (%ld schemes rejected by the front end)", z->rejected_pairs, z->rejected_schemes);
    printf(" — %.1f s, %.0f pairs/s, %ld schemes\n", dt, dt > 0 ? (double)z->n / dt : 0.0,
           (z->n + z->per - 1) / z->per);
    for (int k = 0; k < 4; k++)
        kh_dg_buf_free(&bufs[k]);
    return z->failed || z->rejected_schemes || z->oom ? 1 : 0;
}

/* ------------------------------------------------------- other modes */

static char *kh_fz_slurp(kh_fz *z, const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    kh_dg_buf b;
    kh_dg_buf_init(&b, &z->alloc);
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        kh_dg_putn(&b, chunk, k);
    fclose(f);
    if (!b.p)
        kh_dg_puts(&b, "");
    return b.p;
}

static void kh_fz_free3(char *a, char *b, char *c)
{
    kh_free(a);
    kh_free(b);
    kh_free(c);
}

/* Re-run a saved pair (min-*.csv when present). */
/* The options of a --case run. */
typedef struct kh_fz_caseopts {
    const char *period;
    bool strict, so, detail;
    int level, threads;
} kh_fz_caseopts;

static int kh_fz_case(kh_fz *z, const char *dir, const kh_fz_caseopts *c)
{
    char *s = kh_fz_slurp(z, dir, "min-scheme.kh");
    char *e = kh_fz_slurp(z, dir, "min-events.csv");
    char *r = kh_fz_slurp(z, dir, "min-roster.csv");
    if (!s || !e || !r) {
        kh_fz_free3(s, e, r);
        s = kh_fz_slurp(z, dir, "scheme.kh");
        e = kh_fz_slurp(z, dir, "events.csv");
        r = kh_fz_slurp(z, dir, "roster.csv");
    }
    if (!s || !e || !r) {
        fprintf(stderr, "%s: no scheme.kh, events.csv and roster.csv\n", dir);
        kh_fz_free3(s, e, r);
        return 2;
    }
    kh_dd_opts o = {z->cache, c->level, c->so, c->period, c->strict, c->detail, c->threads};
    kh_dg_buf why;
    kh_dg_buf_init(&why, &z->alloc);
    kh_dd_verdict v = kh_dd_texts(&z->alloc, z->scratch, s, e, r, &o, &why);
    printf("%s\n%s", v == KH_DD_SAME ? "same" : v == KH_DD_REJECTED ? "rejected" : "DIFFERENT", why.p ? why.p : "");
    kh_dg_buf_free(&why);
    kh_fz_free3(s, e, r);
    return v == KH_DD_SAME ? 0 : 1;
}

/* Print pair i's files. */
static int kh_fz_print(kh_fz *z, long i)
{
    kh_dg_buf b[3];
    kh_dg_meta m;
    kh_dd_opts o;
    for (int k = 0; k < 3; k++)
        kh_dg_buf_init(&b[k], &z->alloc);
    kh_fz_scheme_text(z, i / z->per, &b[0], &m);
    kh_fz_scheme_opts(z, i / z->per, &o);
    kh_fz_pair_text(z, i, &m, &b[1], &b[2], &o);
    printf("# scheme %ld (opt_level %d, use_so %d, period %s, strict %d, detail %d, threads %d)\n%s\n# roster\n%s\n"
           "# events\n%s",
           i / z->per, o.opt_level, o.use_so, o.period ? o.period : "-", o.strict, o.detail, o.threads, b[0].p, b[1].p,
           b[2].p);
    for (int k = 0; k < 3; k++)
        kh_dg_buf_free(&b[k]);
    return 0;
}

static void kh_fz_usage(void)
{
    fputs("usage: fuzz-diff [-n N] [-s SEED] [--per K] [--out DIR] [--keep K]\n"
          "       fuzz-diff --case DIR [--period P] [--strict] [-O L] [--so] [--detail] [--threads T]\n"
          "       fuzz-diff --print I [-s SEED] [--per K]\n",
          stderr);
}

int main(int argc, char **argv)
{
    kh_fz z;
    memset(&z, 0, sizeof z);
    z.n = 1000;
    z.per = 100;
    z.keep = 10;
    z.seed = 1;
    z.out = "build/diff-fail";
    const char *casedir = NULL;
    long print = -1;
    kh_fz_caseopts co = {NULL, false, false, false, 1, 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if ((strcmp(a, "-n") == 0 || strcmp(a, "-s") == 0 || strcmp(a, "--per") == 0 || strcmp(a, "--out") == 0 ||
             strcmp(a, "--keep") == 0 || strcmp(a, "--case") == 0 || strcmp(a, "--print") == 0 ||
             strcmp(a, "--period") == 0 || strcmp(a, "-O") == 0 || strcmp(a, "--threads") == 0) && !v) {
            kh_fz_usage();
            return 2;
        }
        if (strcmp(a, "-n") == 0)
            z.n = atol(argv[++i]);
        else if (strcmp(a, "-s") == 0)
            z.seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(a, "--per") == 0)
            z.per = atol(argv[++i]);
        else if (strcmp(a, "--out") == 0)
            z.out = argv[++i];
        else if (strcmp(a, "--keep") == 0)
            z.keep = atol(argv[++i]);
        else if (strcmp(a, "--case") == 0)
            casedir = argv[++i];
        else if (strcmp(a, "--print") == 0)
            print = atol(argv[++i]);
        else if (strcmp(a, "--period") == 0)
            co.period = argv[++i];
        else if (strcmp(a, "-O") == 0)
            co.level = atoi(argv[++i]);
        else if (strcmp(a, "--threads") == 0)
            co.threads = atoi(argv[++i]);
        else if (strcmp(a, "--strict") == 0)
            co.strict = true;
        else if (strcmp(a, "--so") == 0)
            co.so = true;
        else if (strcmp(a, "--detail") == 0)
            co.detail = true;
        else {
            kh_fz_usage();
            return 2;
        }
    }
    if (z.per < 1)
        z.per = 1;
    if (print >= 0)
        return kh_fz_print(&z, print);
    if (!kh_dd_tempdir(z.tmp) || !kh_dd_tempdir(z.cache) || !kh_dd_tempdir(z.scratch)) {
        perror("fuzz-diff: temporary directory");
        return 2;
    }
    int rc = casedir ? kh_fz_case(&z, casedir, &co) : kh_fz_run(&z);
    kh_dd_rmdir(z.tmp);
    kh_dd_rmdir(z.cache);
    kh_dd_rmdir(z.scratch);
    return rc;
}
