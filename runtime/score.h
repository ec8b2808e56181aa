/* score.h — scoring a scheme over an event log and a roster (internal to
 * runtime/).  kh_score reads both files, interns every event against the
 * IR, groups events by entity, runs an engine per entity, then ranks and
 * grades.  The result keeps everything explain and the reports need. */
#ifndef KH_SCORE_H
#define KH_SCORE_H

#include "runtime.h"
#include "csv.h"
#include "grade.h"
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
} kh_score_opts;

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
    bool have_roster, have_log;
    kh_entity *ent;
    size_t nent;
    kh_event *ev;               /* grouped by entity, then measure, key, member */
    size_t nev;
    size_t *first;              /* [nent + 1]: events of entity i are ev[first[i] .. first[i+1]) */
    uint32_t *raw;              /* [nev]: index into log.ev */
    char **keys;                /* interned 编号 */
    kh_dec *rows;               /* nent × ir->ncols */
    kh_verdict *verdicts;
    char *scheme_remarks;
    const char *engine_used;    /* "interp" / "jit" */
    char jit_error[512];        /* why the JIT was not used, when it failed */
    size_t counted, unknown_person, unknown_item, outside_period, rejected, unknown_level;
    int32_t period_lo, period_hi;   /* days, [lo, hi) when a period is chosen */
    bool has_period;
} kh_scored;

/* Returns false when nothing can be scored (unreadable files, no roster,
 * bad period); diagnostics say why.  Row-level problems are diagnostics. */
bool kh_score(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_score_opts *o, kh_scored *out);
void kh_scored_free(kh_scored *sc);

/* Parse --period into [lo, hi) days. */
bool kh_period_parse(const char *s, int32_t *lo, int32_t *hi);

/* Find an entity by id; −1 when absent. */
ptrdiff_t kh_scored_find(const kh_scored *sc, const char *id);

typedef enum kh_format { KH_FMT_TABLE, KH_FMT_CSV, KH_FMT_JSON } kh_format;

/* report.c */
void kh_report(FILE *out, const kh_scored *sc, kh_format fmt);
/* explain.c */
void kh_explain(FILE *out, const kh_scored *sc, size_t who);

#endif
