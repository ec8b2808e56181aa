/* ingest.h — reading a large event log fast (internal to runtime/).
 *
 * A parallel reader for the common case of an event log: UTF-8, one record
 * per line, a header the CSV reader would accept without a word, every row
 * valid.  It maps the file, splits it at line boundaries over all cores
 * and reads it in two passes: the first counts each person's events (and
 * notes whose each event is), the second writes every event straight to
 * its place in a person-clustered store, so nothing is sorted afterwards.
 * For scoring the store is one record per event (kh_kev_rec); for a cache
 * it is a wide record per event, turned into kev.h's columns at the end.
 * Strings are interned per thread, then merged in file order, so ids do
 * not depend on the number of threads.
 *
 * Whenever the file is anything else — another encoding, a quoted line
 * break, a bad date, a header the CSV reader would warn about — the reader
 * declines, and the caller reads the file with kh_eventlog_read, which
 * reports everything with the user's line.  The fast reader never reports
 * a problem of the file itself; it only decides whether it may be trusted.
 */
#ifndef KH_INGEST_H
#define KH_INGEST_H

#include "kev.h"

typedef enum kh_ingest_mode {
    KH_INGEST_CACHE,            /* every column, for `kaohe ingest` */
    KH_INGEST_SCORE             /* what scoring reads, for `kaohe score E.csv` */
} kh_ingest_mode;

/* An event scoring reports one by one (SCORE mode). */
typedef struct kh_ingest_note {
    uint32_t line;
    kh_span span;
    const char *text;           /* the unknown item, or the unknown person (or 部门) */
} kh_ingest_note;

/* SCORE mode: how scoring uses an item.  An item read only through its
 * totals needs no 编号 per event, so the reader does not keep them. */
typedef enum kh_ingest_use {
    KH_INGEST_UNREAD,           /* no rule reads it */
    KH_INGEST_TOTALS,           /* only its sums and counts are read */
    KH_INGEST_EVENTS            /* some rule reads its events one by one */
} kh_ingest_use;

typedef struct kh_ingest_opts {
    kh_ingest_mode mode;
    int threads;                /* 0: one per core */
    const kh_roster *roster;
    /* SCORE mode: how the rules use each item, and the period */
    kh_ingest_use (*use)(void *ctx, const char *item, size_t len);
    void *ctx;
    bool has_period;
    int32_t lo, hi;
    size_t list_max;            /* notes kept per kind */
    /* how far the reading is, 0–100, now and then from one thread; may be NULL */
    void (*progress)(void *pctx, int percent);
    void *pctx;
} kh_ingest_opts;

typedef struct kh_ingest {
    kh_kev kev;                 /* in memory; SCORE mode: only events of roster persons */
    /* SCORE mode: events not stored, counted, the first few kept */
    uint64_t unknown_item;      /* in the period, an item no rule reads */
    uint64_t unknown_person;    /* in the period, a read item, a person not in the roster */
    uint64_t outside_unmatched; /* outside the period, a person not in the roster */
    uint64_t outside_listed;    /* outside the period, a person in it: stored as a record
                                   of item 0 (""), which no rule reads */
    kh_ingest_note *notes[2];   /* [0] unknown persons, [1] unknown items; file order */
    size_t nnotes[2];
    /* private */
    void **own;                 /* every block the result holds */
    size_t nown, capown;
} kh_ingest;

typedef enum kh_ingest_rc {
    KH_INGEST_OK,
    KH_INGEST_DECLINED,         /* read it with kh_eventlog_read instead */
    KH_INGEST_NOMEM
} kh_ingest_rc;

/* Read path; on KH_INGEST_OK call kh_ingest_free when done. */
kh_ingest_rc kh_ingest_read(kh_alloc *a, const char *path, const kh_ingest_opts *o, kh_ingest *out);
void kh_ingest_free(kh_ingest *g);

/* The same as the CSV reader's date parser on "YYYY-MM-DD", faster. */
bool kh_ingest_date(const char *s, size_t n, int32_t *days);

#endif
