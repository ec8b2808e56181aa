/* fuzz_ingest.c — the fast reader against the CSV reader.
 *
 * The bytes are an event log, scored against a roster of three persons.
 * The fast reader (ingest.h) may decline any file; when it takes one, the
 * CSV reader must have nothing to say about it and both must read the
 * same events: for a cache, the same events in the same places with the
 * same text, 数量, dates, lines and spans; for scoring, the events of the
 * roster's persons with their item, level, 数量 and (for an item read
 * event by event) 编号. */
#include "csv.h"
#include "fuzz.h"
#include "ingest.h"
#include "ingest_use.h"
#include "kev.h"

static const char kh_fuzz_roster_text[] = "人员,部门\n陈静,办公室\n赵丽娜,办公室\n王五,财务科\n";

static bool kh_fuzz_streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* The fast reader's cache against the CSV reader's, event by event. */
static void kh_fuzz_same_cache(const kh_kev *a, const kh_kev *b)
{
    static const int tabs[] = {KH_KEV_S_PERSON, KH_KEV_S_DEPT, KH_KEV_S_ITEM, KH_KEV_S_LEVEL, KH_KEV_S_KEY};
    KH_FUZZ_ASSERT(a->nev == b->nev && a->nent == b->nent && a->rows == b->rows && a->crlf == b->crlf);
    KH_FUZZ_ASSERT(kh_fuzz_streq(a->encoding, b->encoding));
    KH_FUZZ_ASSERT(memcmp(a->first, b->first, (a->nent + 2) * sizeof *a->first) == 0);
    for (uint64_t p = 0; p < a->nev; p++) {
        const uint32_t *ca[] = {a->person, a->dept, a->item, a->level, a->key};
        const uint32_t *cb[] = {b->person, b->dept, b->item, b->level, b->key};
        for (int t = 0; t < 5; t++)
            KH_FUZZ_ASSERT(kh_fuzz_streq(kh_kev_str(a, tabs[t], ca[t][p]), kh_kev_str(b, tabs[t], cb[t][p])));
        KH_FUZZ_ASSERT(a->value[p] == b->value[p] && a->date[p] == b->date[p] && a->line[p] == b->line[p]);
        KH_FUZZ_ASSERT(a->span[2 * p] == b->span[2 * p] && a->span[2 * p + 1] == b->span[2 * p + 1]);
        KH_FUZZ_ASSERT(a->pct[p] == b->pct[p] && a->order[p] == b->order[p]);
    }
}

/* The fast reader's score records against the CSV reader's cache: the
 * roster persons' events, in the same places. */
static void kh_fuzz_same_records(const kh_kev *s, const kh_kev *b)
{
    KH_FUZZ_ASSERT(s->nev == b->first[b->nent]);
    KH_FUZZ_ASSERT(memcmp(s->first, b->first, (b->nent + 1) * sizeof *s->first) == 0);
    for (uint64_t p = 0; p < s->nev; p++) {
        const kh_kev_rec *r = &s->recs[p];
        const char *item = kh_kev_str(b, KH_KEV_S_ITEM, b->item[p]);
        KH_FUZZ_ASSERT(kh_fuzz_streq(kh_kev_str(s, KH_KEV_S_ITEM, kh_kev_rec_item(r)), item));
        KH_FUZZ_ASSERT(
            kh_fuzz_streq(kh_kev_str(s, KH_KEV_S_LEVEL, kh_kev_rec_level(r)), kh_kev_str(b, KH_KEV_S_LEVEL, b->level[p])));
        bool keys = kh_test_item_use(NULL, item, strlen(item)) == KH_INGEST_EVENTS;
        KH_FUZZ_ASSERT(kh_fuzz_streq(kh_kev_str(s, KH_KEV_S_KEY, r->key),
                                     keys ? kh_kev_str(b, KH_KEV_S_KEY, b->key[p]) : ""));
        KH_FUZZ_ASSERT(r->value == b->value[p]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ev[64], ro[64];
    int fe = kh_fuzz_file(data, size, ev, sizeof ev);
    int fr = kh_fuzz_file((const uint8_t *)kh_fuzz_roster_text, sizeof kh_fuzz_roster_text - 1, ro, sizeof ro);
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_roster r;
    if (fe < 0 || fr < 0 || !kh_roster_read(NULL, &d, ro, NULL, &r))
        abort();
    kh_ingest fast, score;
    kh_ingest_opts oc = {KH_INGEST_CACHE, 2, &r, NULL, NULL, false, 0, 0, 0, NULL, NULL};
    kh_ingest_opts os = {KH_INGEST_SCORE, 2, &r, kh_test_item_use, NULL, false, 0, 0, 5, NULL, NULL};
    kh_ingest_rc rc = kh_ingest_read(NULL, ev, &oc, &fast);
    kh_ingest_rc rs = kh_ingest_read(NULL, ev, &os, &score);
    KH_FUZZ_ASSERT(rc != KH_INGEST_NOMEM && rs != KH_INGEST_NOMEM);
    /* scoring reads as the cache does, but for the limits of a record */
    KH_FUZZ_ASSERT(rs != KH_INGEST_OK || rc == KH_INGEST_OK);
    if (rc == KH_INGEST_OK) {
        kh_eventlog log;
        KH_FUZZ_ASSERT(kh_eventlog_read(NULL, &d, ev, NULL, &log));
        KH_FUZZ_ASSERT(d.n == 0);
        kh_kev_ident id = {0};
        kh_kev careful;
        KH_FUZZ_ASSERT(kh_kev_build(NULL, &d, &log, &r, ev, &id, ro, &id, &careful));
        kh_fuzz_same_cache(&fast.kev, &careful);
        if (rs == KH_INGEST_OK)
            kh_fuzz_same_records(&score.kev, &careful);
        else
            KH_FUZZ_ASSERT(careful.str[KH_KEV_S_ITEM].n > KH_KEV_REC_ITEMS ||
                           careful.str[KH_KEV_S_LEVEL].n > KH_KEV_REC_LEVELS);
        kh_kev_close(&careful);
        kh_eventlog_free(&log);
        kh_ingest_free(&fast);
    }
    if (rs == KH_INGEST_OK)
        kh_ingest_free(&score);
    kh_roster_free(&r);
    kh_diags_free(&d);
    close(fe);
    close(fr);
    return 0;
}
