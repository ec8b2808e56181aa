/* scoreint.h — scoring's shared state, for score.c (entities, events,
 * engines, rows, the API) and scoredirect.c (scoring straight from a
 * cache or from the fast CSV reader's columns).  Internal to those two
 * files; callers use score.h.
 */
#ifndef KH_SCOREINT_H
#define KH_SCOREINT_H

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "score.h"

static const kh_msg m_unknown_person = {"R101", "人员「%1」不在名单中，此条记录未计分",
                                        "person 「%1」 is not in the roster; the event is not counted",
                                        "在名单中加上此人，或更正人员名称", "add the person to the roster or correct the name"};
static const kh_msg m_unknown_item = {"R102", "事项「%1」在规则中没有对应的考核项，此条记录未计分",
                                      "no rule reads 事项 「%1」; the event is not counted",
                                      "事项名称应与规则中考核项的名称一致", "事项 must match an item label of the scheme"};

enum { KH_LIST_MAX = 20 };

/* The IR applied to a cache's string ids (see "straight from a cache"). */
typedef struct kh_direct {
    uint32_t nitems, nlevels;
    int32_t *mfirst;              /* [nitems + 1]: item t's measures are mlist[mfirst[t] .. mfirst[t+1]) */
    int32_t *mlist;               /* ascending within an item */
    int32_t *levmap;              /* [nlevels]: as level_of */
    int32_t *levev;               /* [nlevels]: as kh_event.level */
    int32_t *mitem;               /* [nmeasures]: the item id measure m reads, −1 if none */
    int32_t maxm;                 /* most measures of one item */
    bool *need;                   /* [nmeasures]: its events go to the engine one by one */
    int32_t *needs, nneeds;       /* the measures in need, ascending */
    int32_t *fast;                /* [nitems]: the one measure item t feeds when only its
                                     totals are needed; −1 otherwise */
    bool *slow;                   /* [nitems]: item t feeds a measure in need */
} kh_direct;

typedef struct kh_sc {
    kh_alloc *a;
    kh_diags *d;
    const kh_score_opts *o;
    kh_scored *sc;
    kh_strmap units, items, keys;
    int32_t *item_first;          /* per interned label: first measure with it, chained by next */
    int32_t *measure_next;
    int32_t *person_entity;       /* roster entry → entity */
    int32_t *person_leader;       /* roster entry → roster entry of leader, −1 */
    size_t listed[8];
    size_t more[8];
    kh_direct dx;
    bool oom;
    bool damaged;                 /* a cache's content did not add up */
} kh_sc;

/* One thread's share: entities [e0, e1).  Workers only read what is
 * shared and write their own rows and counters; nothing allocates. */
typedef struct kh_work {
    const kh_sc *x;
    kh_entity_fn fn;            /* NULL: the interpreter, with regs */
    kh_dec *regs;
    size_t e0, e1;
    /* direct path */
    kh_event *buf, *tmp;        /* one entity's events; scratch for sorting them */
    uint64_t *at;               /* [nmeasures + 1]: where each measure's events go */
    kh_dec *agg;                /* [2 × nmeasures]: one entity's totals (kh_entity_in.agg) */
    uint64_t *pos;              /* the cluster's events of measures in need, by position */
    size_t npos;
    uint64_t counted, outside;
    bool damaged;
    kh_dec *whole;              /* narrow rows: the engine's whole row, before the copy */
} kh_work;

/* ------------------------------------------------------------ score.c */

/* A finding about an event of kind (KH_LIST_MAX listed, then counted). */
void kh_sc_report(kh_sc *x, int kind, kh_severity sev, const kh_msg *m, kh_span sp, const char *a1,
                  const char *a2, const char *a3);
void kh_sc_report_more(kh_sc *x);
/* The IR's measures by 事项, and tiers by 级别. */
bool kh_sc_index_measures(kh_sc *x);
bool kh_sc_measure_has_tier(const kh_ir *ir, int32_t m);
int32_t kh_sc_level_of(const kh_ir *ir, const char *s);
double kh_sc_now_ms(void);
/* Engines, rows and the workers that fill them. */
bool kh_sc_choose_engine(kh_sc *x, size_t nev, kh_jit **jit, kh_entity_fn *fn);
bool kh_sc_narrow_rows(kh_sc *x);
void kh_sc_run_one(kh_work *w, const kh_entity_in *in, size_t i);
int kh_sc_thread_count(const kh_score_opts *o, size_t nent, uint64_t nev);
void kh_sc_split(kh_work *w, int n, size_t nent, const void *first, uint64_t (*at)(const void *, size_t));
uint64_t kh_sc_at_kev(const void *first, size_t i);
void kh_sc_run_shares(kh_work *w, int n, void *(*fn)(void *));
bool kh_sc_work_alloc(kh_sc *x, kh_work *w, int n, bool interp, size_t bufcap);
void kh_sc_work_free(kh_work *w, int n);

/* ------------------------------------------------------ scoredirect.c */

/* Can this run score straight from the cache?  Then do so. */
bool kh_sc_direct_possible(kh_sc *x);
bool kh_sc_direct_score(kh_sc *x);
bool kh_sc_fast_csv(kh_sc *x, bool *used);
bool kh_sc_fast_score(kh_sc *x);
void kh_sc_direct_free(kh_direct *dx);

#endif
