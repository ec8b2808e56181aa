/* ingestrd.h — the fast reader's state, shared by ingest.c (the passes
 * over the text) and ingestrun.c (running them, merging the shares' string
 * tables, handing over the result).  Internal to those two files; callers
 * use ingest.h.
 */
#ifndef KH_INGESTRD_H
#define KH_INGESTRD_H

#include <pthread.h>
#include <stdatomic.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "ingest.h"

#define KH_IX_MAXF 64               /* fields per record the fast reader takes */
#define KH_IX_WINDOW ((size_t)4 << 20)
#define KH_IX_FILE_MAX ((size_t)1 << 30)   /* as the CSV reader: larger files are refused there */
#define KH_IX_THREADS 64

enum { KH_IX_PERSON, KH_IX_DEPT, KH_IX_DATE, KH_IX_ITEM, KH_IX_VALUE, KH_IX_LEVEL, KH_IX_KEY, KH_IX_NCOLS };

/* The event log's column names, as the CSV reader knows them. */
static const char *const kh_ix_names[KH_IX_NCOLS][3] = {
    {"人员", "人員", "person"}, {"部门", "部門", "dept"},   {"日期", "date", NULL}, {"事项", "事項", "item"},
    {"数量", "數量", "value"},  {"级别", "級別", "level"}, {"编号", "編號", "key"}};

/* A slot of an intern table: one cache line's half holds all a lookup
 * needs for strings of up to 16 bytes (most names, items and levels). */
typedef struct kh_ix_slot {
    uint64_t hash;                  /* never 0; 0: the slot is free */
    uint32_t id, len;
    uint64_t w0, w1;                /* the string's first 16 bytes, zero-padded */
} kh_ix_slot;

/* Intern tables by kev string table (KH_KEV_S_*); the person table holds
 * only persons who are not in the roster. */
typedef struct kh_ix_tab {
    const char **str;
    uint32_t *len;
    uint64_t *hash;
    kh_ix_slot *slot;
    uint32_t n, cap, nslots;
} kh_ix_tab;

typedef struct kh_ix_field {
    const char *v;                  /* the value: unquoted and trimmed */
    uint32_t n;
} kh_ix_field;

typedef struct kh_ix kh_ix;

/* CACHE mode: one event with every field, written at its place in pass 2
 * (one cache line rather than eleven), turned into columns afterwards. */
typedef struct kh_ix_wide {
    uint32_t item, level, key, person, dept, line, span_off, span_len;
    int64_t value;
    int32_t date;
    uint8_t pct;
} kh_ix_wide;

typedef struct kh_ix_share {
    kh_ix *ix;
    int t;
    size_t b, e;                    /* records starting in [b, e) */
    uint64_t nl, events;            /* pass 1: line ends, events */
    uint64_t line0, ev0;            /* the share's first line and first event */
    uint32_t *count;                /* [nent + 1]: pass 1 counts, pass 2 cursors */
    uint32_t *start;                /* the cursors as pass 2 began */
    kh_ix_tab tab[KH_KEV_NSTRS];
    kh_kev_item_stats *st;          /* per local item */
    uint8_t *known;                 /* per local item (SCORE) */
    uint32_t stcap;
    uint32_t *remap[KH_KEV_NSTRS];  /* local id → merged id */
    kh_ingest_note *notes[2];
    size_t nnotes[2], capnotes[2];
    uint64_t unknown_item, unknown_person, outside_unmatched, outside_listed, nodate;
    char *ubuf;                     /* unquoted field text of one record */
    size_t ucap, ulen;
    char *arena;                    /* interned text */
    size_t aleft;
    size_t released;                /* pages before this are let go */
    size_t populated;               /* pages before this are mapped */
    struct kh_ix_rec *recbuf;       /* pass 2's batch */
    uint64_t placed;                /* pass 2: events placed, to match pass 1's count */
    const char *dcache;             /* the last date field and its day */
    uint32_t dlen;
    int32_t dday;
    bool bad, oom;
} kh_ix_share;

struct kh_ix {
    kh_alloc *a;
    pthread_mutex_t lock;
    const kh_ingest_opts *o;
    kh_ingest *out;
    const char *map;
    size_t size;                    /* of the mapping */
    size_t bom;                     /* 3 when the file starts with a BOM */
    size_t body;                    /* first byte after the header line */
    uint64_t head_lines;            /* line ends up to body */
    int idx[KH_IX_NCOLS];
    int nhead;
    bool crlf;
    kh_ix_tab roster;               /* person → roster index */
    uint64_t nent, nev;
    atomic_bool stop;
    bool declined;                  /* the merged tables name more than records can */
    int pass;                       /* 1 or 2, for progress */
    int shown;                      /* the last percent reported */
    int nsh;
    kh_ix_share sh[KH_IX_THREADS];
    void **blocks;                  /* every arena block, freed with the result */
    size_t nblocks, capblocks;
    /* output columns, by person (SCORE mode: records) */
    uint64_t *first;
    kh_kev_rec *recs;
    kh_ix_wide *wide;
    uint32_t *item, *level, *key, *person, *dept, *line, *span, *order;
    int64_t *value;
    int32_t *date;
    uint8_t *pct;
};

/* A string as the tables compare it: its hash and first 16 bytes. */
typedef struct kh_ix_key {
    uint64_t h, w0, w1;
} kh_ix_key;

/* ------------------------------------------------------ intern tables */

kh_ix_key kh_ix_keyof(const char *s, uint32_t n);
uint32_t kh_ix_probe(const kh_ix_tab *t, const char *s, uint32_t n, const kh_ix_key *k);
void kh_ix_fill(kh_ix_tab *t, uint32_t i, uint32_t id);
bool kh_ix_grow(kh_ix *ix, kh_ix_tab *t);
void kh_ix_tab_free(kh_ix_tab *t);

/* ------------------------------------------------------------- passes */

/* Each share's counts, and its tables with "" as id 0. */
bool kh_ix_counts(kh_ix *ix);
/* Read the header line; false when the file is not one the fast reader
 * takes. */
bool kh_ix_header(kh_ix *ix);
/* The workers: pass 1 counts events per person, pass 2 places them. */
void *kh_ix_pass1(void *arg);
void *kh_ix_pass2(void *arg);

#endif
