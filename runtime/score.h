/* score.h — scoring a scheme over an event log and a roster (internal to
 * runtime/).  kh_score reads both files, interns every event against the
 * IR, groups events by entity, runs an engine per entity, then ranks and
 * grades.  The result keeps everything explain and the reports need.
 *
 * The event log may be a CSV export or a cache written by `kaohe ingest`
 * (kev.h); from a cache, and when nothing needs the events one by one
 * afterwards, each person's events are read straight from the cache's
 * columns as the engine runs.  Engines run in parallel over ranges of
 * entities; the result does not depend on the number of threads. */
#ifndef KH_SCORE_H
#define KH_SCORE_H

#include "runtime.h"
#include "csv.h"
#include "grade.h"
#include "ingest.h"
#include "strmap.h"

typedef enum kh_engine { KH_ENGINE_AUTO, KH_ENGINE_INTERP, KH_ENGINE_JIT } kh_engine;

typedef struct kh_score_opts {
    const char *events, *roster;
    const char *encoding;       /* NULL: detect */
    const char *period;         /* NULL, "2023", "2023H1", "2023Q3", "2023-05" */
    const char *compiled;       /* a .so from `kaohe compile` */
    bool strict;                /* unknown persons/items/levels are errors */
    kh_engine engine;
    const kh_jit_opts *jit;
    int threads;                /* engine threads; 0: one per core */
    bool detail;                /* keep every event for explain (ev, raw, log.ev) */
    int narrow;                 /* rows: 0 narrow when large, 1 always narrow, −1 whole */
    void (*progress)(void *pctx, int percent);     /* reading a large CSV; may be NULL */
    void *pctx;
} kh_score_opts;

/* Where the time went, for `score --stats` and the benchmarks. */
typedef struct kh_score_times {
    double read_ms;             /* reading the roster and the event log / opening the cache */
    double group_ms;            /* interning and grouping events (CSV and full paths) */
    double compile_ms;          /* compiling or loading the native code */
    double map_ms;              /* mapping a cache's columns before the engine reads them */
    double engine_ms;           /* running the engine over every entity */
    double grade_ms;            /* ranks and grades */
    int threads;                /* engine threads used */
    bool direct;                /* scored straight from a cache's columns */
} kh_score_times;

typedef struct kh_entity {
    const char *id;             /* person, or unit name in unit schemes */
    const char *dept;
    int32_t role, unit;         /* as KH_ATTR_ROLE / KH_ATTR_UNIT */
    kh_dec size;
    uint32_t line;              /* roster line */
} kh_entity;

typedef struct kh_scored {
    const kh_ir *ir;
    kh_roster roster;
    kh_eventlog log;
    kh_kev kev;                 /* when the events came from a cache, or the fast reader */
    kh_ingest ingest;           /* the fast reader's columns (kev points into them) */
    bool have_roster, have_log, have_kev, have_ingest;
    kh_entity *ent;
    size_t nent;
    kh_event *ev;               /* grouped by entity, then measure, key, member */
    size_t nev;
    size_t *first;              /* [nent + 1]: events of entity i are ev[first[i] .. first[i+1]) */
    uint32_t *raw;              /* [nev]: index into log.ev */
    char **keys;                /* interned 编号 */
    kh_dec *rows;               /* nent × cols->ncols, in the columns of cols */
    const kh_ir *cols;          /* ir, or (narrow rows) ir with only the columns the report
                                   and the grades read: see narrow_rows in score.c */
    kh_ir *narrow;              /* that view when rows are narrow, owned; NULL */
    int32_t *keep;              /* [narrow->ncols]: the ir column each kept one holds */
    kh_verdict *verdicts;
    char *scheme_remarks;
    const char *engine_used;    /* "interp" / "jit" */
    char jit_error[512];        /* why the JIT was not used, when it failed */
    size_t counted, unknown_person, unknown_item, outside_period, rejected, unknown_level;
    int32_t period_lo, period_hi;   /* days, [lo, hi) when a period is chosen */
    bool has_period;
    kh_score_times times;
} kh_scored;

/* Returns false when nothing can be scored (unreadable files, no roster,
 * bad period, a stale cache); diagnostics say why.  Row-level problems are
 * diagnostics.  Scoring from a cache gives the same rows, ranks, grades and
 * diagnostics as scoring from the CSV it was built from. */
bool kh_score(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_score_opts *o, kh_scored *out);
void kh_scored_free(kh_scored *sc);

/* Parse --period into [lo, hi) days. */
bool kh_period_parse(const char *s, int32_t *lo, int32_t *hi);

/* Find an entity by id; −1 when absent. */
ptrdiff_t kh_scored_find(const kh_scored *sc, const char *id);

typedef enum kh_format { KH_FMT_TABLE, KH_FMT_CSV, KH_FMT_JSON } kh_format;

/* report.c */
void kh_report(FILE *out, const kh_scored *sc, kh_format fmt);
/* As kh_report, through a's allocations; false, with nothing written, when
 * memory runs out. */
bool kh_report_alloc(kh_alloc *a, FILE *out, const kh_scored *sc, kh_format fmt);
/* explain.c */
void kh_explain(FILE *out, const kh_scored *sc, size_t who);
bool kh_explain_alloc(kh_alloc *a, FILE *out, const kh_scored *sc, size_t who);

#endif
