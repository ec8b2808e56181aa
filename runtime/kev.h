/* kev.h — the binary event cache, `.kev` (internal to runtime/).
 *
 * `kaohe ingest` reads an event log once and writes what scoring needs as
 * columns of fixed-width integers, with the events of each person stored
 * together; `kaohe score --events X.kev` maps the file and scores from it
 * without parsing anything.  The cache knows nothing of any scheme: item,
 * level and 编号 are ids into string tables, so one cache serves every
 * version of the rules.
 *
 * Layout (host byte order, checked by a marker; every section 64-byte
 * aligned, found through the header's directory):
 *
 *   header     magic "KHKEV\r\n\x1a", version, sizes, the event log's and
 *              the roster's identity (size, mtime, a hash of the first and
 *              last MiB), what the CSV reader saw (columns, encoding, rows)
 *   clusters   u64[nent + 2]: events of roster entry c are [c, c+1); the
 *              last cluster holds events whose person is not in the roster
 *   columns    one array per field, in cluster order: item, level, key,
 *              person, dept (u32 string ids; id 0 is ""), value (i64
 *              thousandths), date (i32 days), line, span (u32 pairs), pct
 *   order      u32[nev]: the position of the file's i-th event
 *   by item    positions grouped by item, each group in file order, and
 *              per-item statistics (count, value range, levels seen)
 *   strings    five tables: offsets u64[n + 1] and NUL-terminated text
 *
 * Within a cluster, events keep their file order.
 *
 * The file is refused (with a diagnostic saying what to do) when it is not
 * a cache, is of another version or byte order, is truncated, or when the
 * event log or roster it was built from has changed since.
 */
#ifndef KH_KEV_H
#define KH_KEV_H

#include <string.h>

#include "csv.h"

#define KH_KEV_VERSION 1u

/* What a source file was when the cache was built. */
typedef struct kh_kev_ident {
    uint64_t size;
    int64_t mtime_sec, mtime_nsec;
    uint64_t hash;              /* of the first and the last MiB */
} kh_kev_ident;

/* A string table: string i is text + off[i], NUL-terminated. */
typedef struct kh_kev_strs {
    uint64_t n;
    const uint64_t *off;
    const char *text;
} kh_kev_strs;

enum { KH_KEV_S_PERSON, KH_KEV_S_DEPT, KH_KEV_S_ITEM, KH_KEV_S_LEVEL, KH_KEV_S_KEY, KH_KEV_NSTRS };

/* Per item id: what the scorer may need to know before it looks at events. */
typedef struct kh_kev_item_stats {
    uint64_t count, nodate;
    int64_t vmin, vmax;         /* 数量 range (0, 0 when count is 0) */
    uint64_t levels;            /* bit l: level id l seen (l < 63); bit 63: an id ≥ 63 */
} kh_kev_item_stats;

/* Count an event of 数量 value, date and level id into its item's stats. */
static inline void kh_kev_stats_add(kh_kev_item_stats *x, int64_t value, int32_t date, uint32_t level)
{
    if (!x->count || value < x->vmin)
        x->vmin = value;
    if (!x->count || value > x->vmax)
        x->vmax = value;
    x->count++;
    x->nodate += date == INT32_MIN;
    x->levels |= level < 63 ? (uint64_t)1 << level : (uint64_t)1 << 63;
}

/* One event as the fast CSV reader keeps it for scoring (ingest.h): the
 * columns scoring reads, side by side, so that placing an event at its
 * person's position costs one cache line, not four.  No date: the reader
 * has applied the period already.  16 bytes: item and level share a word,
 * so a log read this way has fewer than KH_KEV_REC_ITEMS distinct 事项 and
 * KH_KEV_REC_LEVELS distinct 级别 (the reader declines any other). */
#define KH_KEV_REC_ITEMS (1u << 20)
#define KH_KEV_REC_LEVELS (1u << 12)

typedef struct kh_kev_rec {
    uint32_t item_level;        /* item | level << 20 */
    uint32_t key;
    int64_t value;
} kh_kev_rec;

static inline kh_kev_rec kh_kev_rec_make(uint32_t item, uint32_t level, uint32_t key, int64_t value)
{
    return (kh_kev_rec){item | level << 20, key, value};
}

static inline uint32_t kh_kev_rec_item(const kh_kev_rec *r)
{
    return r->item_level & (KH_KEV_REC_ITEMS - 1);
}

static inline uint32_t kh_kev_rec_level(const kh_kev_rec *r)
{
    return r->item_level >> 20;
}

/* An open cache: mapped from a file, or built in memory.  Read-only. */
typedef struct kh_kev {
    uint64_t nev, nent;         /* events; roster entries */
    uint64_t rows, skipped, nodate;
    bool has_person, has_dept, has_date, has_level, has_key, has_value, crlf;
    const char *encoding;       /* as kh_eventlog.encoding */
    const char *events_path;    /* the event log as given to ingest */
    const char *events_abs;     /* and where it is */
    const char *roster_path;
    kh_kev_ident events_id, roster_id;

    const uint64_t *first;      /* [nent + 2] */
    const kh_kev_rec *recs;     /* [nev] in place of item, level, key, value, date; or NULL */
    const uint32_t *item, *level, *key, *person, *dept, *line, *span;
    const int64_t *value;
    const int32_t *date;
    const uint8_t *pct;
    const uint32_t *order;      /* [nev] */
    const uint32_t *by_item;    /* [nev] */
    const uint64_t *item_first; /* [items + 1] into by_item */
    const kh_kev_item_stats *stats;   /* [items] */
    kh_kev_strs str[KH_KEV_NSTRS];

    /* private */
    kh_alloc *alloc;
    void *map;                  /* the mapping, or the one block a built cache lives in */
    size_t map_size;
    bool mapped;
} kh_kev;

/* Is path a cache (by its first bytes)?  False when it cannot be read. */
bool kh_kev_sniff(const char *path);

/* The identity of a file now; false (with errno) when it cannot be read. */
bool kh_kev_identify(const char *path, kh_kev_ident *id);

/* Build a cache in memory from a log and the roster it will be scored
 * with.  ev_id and ro_id are the files' identities taken before they were
 * read.  False (diagnostic) when memory runs out. */
bool kh_kev_build(kh_alloc *a, kh_diags *d, const kh_eventlog *log, const kh_roster *r,
                  const char *events_path, const kh_kev_ident *ev_id, const char *roster_path,
                  const kh_kev_ident *ro_id, kh_kev *out);

/* How `kaohe ingest` reads (all fields may be 0/NULL). */
typedef struct kh_kev_ingest_opts {
    const char *encoding;       /* as kh_eventlog_read's */
    int threads;                /* 0: one per core */
    void (*progress)(void *pctx, int percent);
    void *pctx;
} kh_kev_ingest_opts;

/* `kaohe ingest`: read the log and roster, refuse them when they have
 * errors, build the cache and write it to out.  *nev and *nent (may be
 * NULL) get the counts.  Returns false with diagnostics. */
bool kh_kev_ingest(kh_alloc *a, kh_diags *d, const char *events, const char *roster, const kh_kev_ingest_opts *o,
                   const char *out, uint64_t *nev, uint64_t *nent);

/* Write a cache to path (through a temporary file renamed into place). */
bool kh_kev_write(kh_diags *d, const kh_kev *k, const char *path);

/* Map and check a cache file. */
bool kh_kev_open(kh_alloc *a, kh_diags *d, const char *path, kh_kev *out);

/* Refuse a cache whose event log has changed, or that was built with
 * another roster than roster_path.  kev_path names the cache in messages. */
bool kh_kev_check_sources(kh_diags *d, const kh_kev *k, const char *kev_path, const char *roster_path);

void kh_kev_close(kh_kev *k);

/* Ask the kernel to map now what scoring reads (the clusters, the item and
 * value columns, and as asked the level and key columns and the dates), in
 * one go rather than a page fault at a time.  Only a hint. */
void kh_kev_prefault(const kh_kev *k, bool levels_keys, bool dates);

/* A roster of n entries read for scoring must be the one the cache counted. */
bool kh_kev_check_roster(kh_diags *d, const kh_kev *k, const char *kev_path, size_t n);

/* The event log as the CSV reader would have: columns, rows, encoding, n,
 * and with events the raw events in file order (strings point into the
 * cache; keep it open).  src.path is set, src.text is not (see
 * kh_kev_load_text). */
bool kh_kev_to_eventlog(kh_alloc *a, kh_diags *d, const kh_kev *k, bool events, kh_eventlog *log);

/* Report a cache found damaged while it is read. */
void kh_kev_damaged(kh_diags *d, const char *kev_path, const char *why);

/* The string of id in table t ("" when the id is out of range). */
const char *kh_kev_str(const kh_kev *k, int t, uint32_t id);

/* Load the event log's text into src (path already set), decoded as the
 * CSV reader decodes it, so that diagnostics can show the user's lines. */
bool kh_kev_load_text(kh_alloc *a, const kh_kev *k, kh_source *src);

#endif
