/* diff.h — the differential test of the two engines, shared by the
 * standalone run (tests/diff/main.c, `make fuzz-diff`) and the Criterion
 * test (tests/test_diff.c).
 *
 * gen.c writes random valid schemes (every construct of the language
 * reference), random event logs and random rosters, all determined by a
 * seed.  run.c scores one pair (scheme, event log + roster) through the
 * whole pipeline twice, once with the interpreter and once with the JIT,
 * renders everything a user could see (the three report formats, an
 * explanation, the diagnostics, the raw output rows) and compares the two
 * renderings byte for byte.
 */
#ifndef KH_DIFF_H
#define KH_DIFF_H

#include <stdarg.h>

#include "score.h"

/* ------------------------------------------------------------- random */

/* splitmix64: tiny, fast, and every seed gives a full-period stream. */
typedef struct kh_dg_rng {
    uint64_t s;
} kh_dg_rng;

uint64_t kh_dg_next(kh_dg_rng *r);
/* Uniform in [0, n); n > 0. */
int kh_dg_below(kh_dg_rng *r, int n);
/* True with probability pct/100. */
bool kh_dg_chance(kh_dg_rng *r, int pct);
/* A seed for the k-th stream derived from a base seed. */
uint64_t kh_dg_mix(uint64_t seed, uint64_t k);

/* ------------------------------------------------------------ buffers */

/* A growable NUL-terminated string; oom is set (and text dropped) when an
 * allocation fails, and checked once at the end. */
typedef struct kh_dg_buf {
    kh_alloc *a;
    char *p;
    size_t n, cap;
    bool oom;
} kh_dg_buf;

void kh_dg_buf_init(kh_dg_buf *b, kh_alloc *a);
void kh_dg_buf_free(kh_dg_buf *b);
void kh_dg_buf_clear(kh_dg_buf *b);
void kh_dg_puts(kh_dg_buf *b, const char *s);
void kh_dg_putn(kh_dg_buf *b, const char *s, size_t n);
void kh_dg_printf(kh_dg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kh_dg_vprintf(kh_dg_buf *b, const char *fmt, va_list ap);

/* ---------------------------------------------------------- generator */

/* What the values of an event of a label look like. */
typedef enum kh_dg_kind {
    KH_DG_COUNT,    /* occurrences: 1, 2, empty */
    KH_DG_WORDS,    /* a quantity in the thousands (字) */
    KH_DG_RATE,     /* a percentage */
    KH_DG_HOURS,    /* a small measure with decimals */
    KH_DG_SCORE,    /* an evaluator's score in [lo, hi] */
    KH_DG_TIER,     /* counted by 级别, with 编号 */
    KH_DG_FLAG      /* done or not */
} kh_dg_kind;

#define KH_DG_MAX_LABELS 96
#define KH_DG_MAX_NAMES 16

typedef struct kh_dg_label {
    const char *label;
    kh_dg_kind kind;
    kh_dec lo, hi;      /* SCORE: the range; others: the typical spread */
} kh_dg_label;

/* What the event and roster generators need to know about a scheme. */
typedef struct kh_dg_meta {
    bool unit_subject;
    int nlabels;
    kh_dg_label labels[KH_DG_MAX_LABELS];
    int nroles, nunits;
    const char *roles[KH_DG_MAX_NAMES];    /* 职务 the scheme names */
    const char *units[KH_DG_MAX_NAMES];    /* 部门 the scheme names */
} kh_dg_meta;

/* A scheme, with its description, into out (appended). */
void kh_dg_scheme(kh_dg_rng *r, kh_dg_buf *out, kh_dg_meta *m);

/* The people of one pair: kept so the events can name them. */
typedef struct kh_dg_people {
    int n;
    const char *person[KH_DG_MAX_NAMES];
    const char *dept[KH_DG_MAX_NAMES];
} kh_dg_people;

/* A roster (CSV text) for a scheme. */
void kh_dg_roster(kh_dg_rng *r, const kh_dg_meta *m, kh_dg_buf *out, kh_dg_people *p);
/* An event log (CSV text) for a scheme and a roster. */
void kh_dg_events(kh_dg_rng *r, const kh_dg_meta *m, const kh_dg_people *p, kh_dg_buf *out);

/* ------------------------------------------------------------- driver */

/* A scheme parsed, checked and lowered once, scored over many pairs. */
typedef struct kh_dd_scheme {
    kh_source src;
    kh_diags d;
    kh_scheme *s;
    kh_ir *ir;
    bool have_src;
    kh_dg_buf why;          /* the front end's diagnostics when it rejected the scheme */
    char so[4096];          /* a shared object written for --compiled, or "" */
} kh_dd_scheme;

/* How to run the JIT side of a pair. */
typedef struct kh_dd_opts {
    const char *cache_dir;  /* the JIT's compile cache (a private temporary directory) */
    int opt_level;
    bool use_so;            /* score with --compiled (kh_jit_write_so) instead of the cache */
    const char *period;     /* NULL or a --period value */
    bool strict;
    bool detail;            /* keep every event (as explain needs); else the direct path may score */
    int threads;            /* the JIT side's engine threads (0: one per core); the interpreter uses one */
} kh_dd_opts;

typedef enum kh_dd_verdict {
    KH_DD_SAME,             /* both engines produced identical output */
    KH_DD_DIFFERENT,        /* they did not: a bug */
    KH_DD_REJECTED          /* the front end rejected the scheme (a generator or parser problem) */
} kh_dd_verdict;

/* Parse, check and lower text; false (with m->why) when it has errors. */
bool kh_dd_load(kh_alloc *a, kh_dd_scheme *m, const char *text, size_t len);
void kh_dd_unload(kh_dd_scheme *m);

/* Get the JIT side ready: with use_so, write the shared object to path
 * (kaohe compile); otherwise fill the cache.  False (with why) when the
 * native compiler fails, itself a disagreement. */
bool kh_dd_prepare(kh_dd_scheme *m, const kh_dd_opts *o, const char *path, kh_dg_buf *why);

/* Score events/roster (file paths) with both engines and compare.  On a
 * difference, diff (if not NULL) receives the first differing lines. */
kh_dd_verdict kh_dd_compare(kh_alloc *a, kh_dd_scheme *m, const char *events, const char *roster,
                            const kh_dd_opts *o, kh_dg_buf *diff);

/* One whole pair from texts: loads the scheme, writes the event log, the
 * roster (and with use_so the shared object) into dir, compares, removes
 * them.  For tests and the minimiser. */
kh_dd_verdict kh_dd_texts(kh_alloc *a, const char *dir, const char *scheme, const char *events,
                          const char *roster, const kh_dd_opts *o, kh_dg_buf *diff);

/* Shrink a disagreeing pair line by line (scheme, events, roster) while
 * it still disagrees; dir is a scratch directory.  The buffers are
 * rewritten in place; returns the number of tries. */
int kh_dd_minimise(kh_alloc *a, const char *dir, kh_dg_buf *scheme, kh_dg_buf *events, kh_dg_buf *roster,
                   const kh_dd_opts *o);

/* A stream that appends to b (closing it flushes). */
FILE *kh_dd_stream(kh_dg_buf *b);

/* Write text to path; false on failure. */
bool kh_dd_write(const char *path, const char *text, size_t len);
/* A private temporary directory under /tmp (template kh-diff-XXXXXX). */
bool kh_dd_tempdir(char out[64]);
/* Remove dir's files and dir itself (one level deep). */
void kh_dd_rmdir(const char *dir);

#endif
