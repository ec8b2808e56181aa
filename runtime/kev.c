/* kev.c — the binary event cache: building it from an event log, writing
 * it, mapping it back, refusing it when its sources have changed, and
 * turning it back into what the CSV reader would have produced.
 *
 * A cache is one image: a header and 64-byte aligned sections.  Built in
 * memory, the image is a single allocation; opened from disk, it is the
 * file mapped read-only.  Either way kh_kev_attach checks the header and
 * points the columns into it, so both are read by the same code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "kev.h"
#include "outfile.h"
#include "strmap.h"

static const kh_msg m_kev_open = {"K001", "无法读取事件缓存「%1」：%2", "cannot read the event cache 「%1」: %2",
                                  NULL, NULL};
static const kh_msg m_kev_magic = {"K002", "「%1」不是事件缓存文件（.kev）", "「%1」 is not an event cache (.kev)",
                                   "事件缓存由 kaohe ingest 生成", "event caches are written by kaohe ingest"};
static const kh_msg m_kev_version = {"K003", "事件缓存「%1」由另一版本的 kaohe 生成，不能使用",
                                     "the event cache 「%1」 was written by another version of kaohe",
                                     "请重新运行 kaohe ingest 生成缓存", "run kaohe ingest again"};
static const kh_msg m_kev_damaged = {"K004", "事件缓存「%1」已损坏（%2）", "the event cache 「%1」 is damaged (%2)",
                                     "请删除它，重新运行 kaohe ingest", "delete it and run kaohe ingest again"};
static const kh_msg m_kev_stale = {"K005", "事件缓存「%1」已过期：生成缓存后，事件记录「%2」已被修改",
                                   "the event cache 「%1」 is out of date: the event log 「%2」 has changed since",
                                   "请重新运行：kaohe ingest %2 --roster 名单文件 -o %1",
                                   "run again: kaohe ingest %2 --roster ROSTER -o %1"};
static const kh_msg m_kev_gone = {"K006", "找不到生成事件缓存「%1」所用的事件记录「%2」",
                                  "the event log 「%2」 that the cache 「%1」 was built from is gone",
                                  "缓存要与原始记录一起保存；请重新运行 kaohe ingest",
                                  "keep the log next to its cache, or run kaohe ingest again"};
static const kh_msg m_kev_roster = {"K007", "名单「%2」与生成事件缓存「%1」时所用的名单（%3）不同",
                                    "the roster 「%2」 is not the one the cache 「%1」 was built with (%3)",
                                    "名单有改动时，请重新运行 kaohe ingest", "when the roster changes, run kaohe ingest again"};
static const kh_msg m_kev_write = {"K008", "无法写入事件缓存「%1」：%2", "cannot write the event cache 「%1」: %2",
                                   "原文件（如有）保持不变", "the old file, if any, is unchanged"};
static const kh_msg m_kev_nomem = {"K009", "内存不足，无法生成事件缓存", "out of memory building the event cache",
                                   NULL, NULL};
static const kh_msg m_kev_big = {"K010", "事件太多（%1条），一个缓存最多容纳约40亿条",
                                 "too many events (%1); a cache holds about four billion", "请按年度拆分",
                                 "split the log by year"};

#define KH_KEV_MAGIC "KHKEV\r\n\x1a"
#define KH_KEV_ORDER 0x01020304u
#define KH_KEV_HASH_SPAN ((uint64_t)1 << 20)

enum {
    KH_KEV_SEC_FIRST, KH_KEV_SEC_ITEM, KH_KEV_SEC_LEVEL, KH_KEV_SEC_KEY, KH_KEV_SEC_PERSON, KH_KEV_SEC_DEPT,
    KH_KEV_SEC_LINE, KH_KEV_SEC_SPAN, KH_KEV_SEC_VALUE, KH_KEV_SEC_DATE, KH_KEV_SEC_PCT, KH_KEV_SEC_ORDER,
    KH_KEV_SEC_BY_ITEM, KH_KEV_SEC_ITEM_FIRST, KH_KEV_SEC_STATS, KH_KEV_SEC_STR_OFF,
    KH_KEV_SEC_STR_TEXT = KH_KEV_SEC_STR_OFF + KH_KEV_NSTRS, KH_KEV_SEC_PATHS = KH_KEV_SEC_STR_TEXT + KH_KEV_NSTRS,
    KH_KEV_NSEC
};

enum { KH_KEV_F_PERSON = 1, KH_KEV_F_DEPT = 2, KH_KEV_F_DATE = 4, KH_KEV_F_LEVEL = 8, KH_KEV_F_KEY = 16,
       KH_KEV_F_VALUE = 32, KH_KEV_F_CRLF = 64 };

static const char *const kh_kev_encodings[] = {"UTF-8", "UTF-8 (BOM)", "GB18030", "GBK"};

typedef struct kh_kev_header {
    char magic[8];
    uint32_t version, byte_order;
    uint64_t file_size, nev, nent, rows, skipped, nodate;
    uint32_t flags, encoding;
    uint64_t nstr[KH_KEV_NSTRS];
    kh_kev_ident events_id, roster_id;
    uint64_t sec_off[KH_KEV_NSEC], sec_len[KH_KEV_NSEC];
} kh_kev_header;

#define KH_KEV_ALIGN 64u
#define KH_KEV_HEADER_SIZE (((sizeof(kh_kev_header) + KH_KEV_ALIGN - 1) / KH_KEV_ALIGN) * KH_KEV_ALIGN)

static void kh_kev_diag(kh_diags *d, const kh_msg *m, const char *a1, const char *a2, const char *a3)
{
    kh_diag_add(d, KH_ERROR, m, NULL, (kh_span){0, 0}, a1, a2, a3);
}

/* ----------------------------------------------------------- identity */

static uint64_t kh_kev_mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* Hash len bytes at off into h. */
static bool kh_kev_hash_range(int fd, uint64_t off, uint64_t len, uint64_t *h)
{
    char buf[1 << 16];
    while (len) {
        size_t want = len < sizeof buf ? (size_t)len : sizeof buf;
        ssize_t got = pread(fd, buf, want, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EIO;
            return false;
        }
        size_t i = 0, n = (size_t)got;
        for (; i + 8 <= n; i += 8) {
            uint64_t w;
            memcpy(&w, buf + i, 8);
            *h = kh_kev_mix(*h, w);
        }
        for (; i < n; i++)
            *h = kh_kev_mix(*h, (unsigned char)buf[i]);
        off += (uint64_t)got;
        len -= (uint64_t)got;
    }
    return true;
}

bool kh_kev_identify(const char *path, kh_kev_ident *id)
{
    memset(id, 0, sizeof *id);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0;
    if (ok) {
        id->size = (uint64_t)st.st_size;
        id->mtime_sec = (int64_t)st.st_mtim.tv_sec;
        id->mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
        uint64_t h = kh_kev_mix(0x6B6576, id->size);
        uint64_t head = id->size < KH_KEV_HASH_SPAN ? id->size : KH_KEV_HASH_SPAN;
        ok = kh_kev_hash_range(fd, 0, head, &h);
        if (ok && id->size > KH_KEV_HASH_SPAN) {
            uint64_t tail = id->size - KH_KEV_HASH_SPAN < KH_KEV_HASH_SPAN ? id->size - KH_KEV_HASH_SPAN
                                                                           : KH_KEV_HASH_SPAN;
            ok = kh_kev_hash_range(fd, id->size - tail, tail, &h);
        }
        id->hash = h;
    }
    int err = errno;
    close(fd);
    errno = err;
    return ok;
}

static bool kh_kev_same(const kh_kev_ident *x, const kh_kev_ident *y)
{
    return x->size == y->size && x->mtime_sec == y->mtime_sec && x->mtime_nsec == y->mtime_nsec &&
           x->hash == y->hash;
}

/* ------------------------------------------------------------- attach */

/* Element size and count each section must have, from the header. */
static uint64_t kh_kev_expect(const kh_kev_header *h, int s)
{
    uint64_t n = h->nev;
    switch (s) {
    case KH_KEV_SEC_FIRST: return 8 * (h->nent + 2);
    case KH_KEV_SEC_ITEM: case KH_KEV_SEC_LEVEL: case KH_KEV_SEC_KEY: case KH_KEV_SEC_PERSON:
    case KH_KEV_SEC_DEPT: case KH_KEV_SEC_LINE: case KH_KEV_SEC_DATE: case KH_KEV_SEC_ORDER:
    case KH_KEV_SEC_BY_ITEM:
        return 4 * n;
    case KH_KEV_SEC_SPAN: case KH_KEV_SEC_VALUE: return 8 * n;
    case KH_KEV_SEC_PCT: return n;
    case KH_KEV_SEC_ITEM_FIRST: return 8 * (h->nstr[KH_KEV_S_ITEM] + 1);
    case KH_KEV_SEC_STATS: return sizeof(kh_kev_item_stats) * h->nstr[KH_KEV_S_ITEM];
    default: break;
    }
    if (s >= KH_KEV_SEC_STR_OFF && s < KH_KEV_SEC_STR_OFF + KH_KEV_NSTRS)
        return 8 * (h->nstr[s - KH_KEV_SEC_STR_OFF] + 1);
    return UINT64_MAX;      /* string text and paths: their own length */
}

static bool kh_kev_monotone(const uint64_t *v, uint64_t n, uint64_t last)
{
    if (v[0] != 0 || v[n] != last)
        return false;
    for (uint64_t i = 0; i < n; i++)
        if (v[i] > v[i + 1])
            return false;
    return true;
}

/* Every string of a table ends with its NUL. */
static bool kh_kev_strs_ok(const kh_kev_strs *t)
{
    if (t->off[0] != 0)
        return false;
    for (uint64_t i = 0; i < t->n; i++)
        if (t->off[i] >= t->off[i + 1] || t->text[t->off[i + 1] - 1] != '\0')
            return false;
    return true;
}

static bool kh_kev_paths(kh_kev *k, const char *p, uint64_t len)
{
    const char *end = p + len, *v[3];
    for (int i = 0; i < 3; i++) {
        const char *z = memchr(p, '\0', (size_t)(end - p));
        if (!z)
            return false;
        v[i] = p;
        p = z + 1;
    }
    k->events_path = v[0];
    k->events_abs = v[1];
    k->roster_path = v[2];
    return true;
}

static const void *kh_kev_sec(const kh_kev_header *h, const char *base, int s)
{
    return base + h->sec_off[s];
}

static void kh_kev_columns(kh_kev *k, const kh_kev_header *h, const char *b)
{
    k->first = kh_kev_sec(h, b, KH_KEV_SEC_FIRST);
    k->item = kh_kev_sec(h, b, KH_KEV_SEC_ITEM);
    k->level = kh_kev_sec(h, b, KH_KEV_SEC_LEVEL);
    k->key = kh_kev_sec(h, b, KH_KEV_SEC_KEY);
    k->person = kh_kev_sec(h, b, KH_KEV_SEC_PERSON);
    k->dept = kh_kev_sec(h, b, KH_KEV_SEC_DEPT);
    k->line = kh_kev_sec(h, b, KH_KEV_SEC_LINE);
    k->span = kh_kev_sec(h, b, KH_KEV_SEC_SPAN);
    k->value = kh_kev_sec(h, b, KH_KEV_SEC_VALUE);
    k->date = kh_kev_sec(h, b, KH_KEV_SEC_DATE);
    k->pct = kh_kev_sec(h, b, KH_KEV_SEC_PCT);
    k->order = kh_kev_sec(h, b, KH_KEV_SEC_ORDER);
    k->by_item = kh_kev_sec(h, b, KH_KEV_SEC_BY_ITEM);
    k->item_first = kh_kev_sec(h, b, KH_KEV_SEC_ITEM_FIRST);
    k->stats = kh_kev_sec(h, b, KH_KEV_SEC_STATS);
}

static void kh_kev_header_fields(kh_kev *k, const kh_kev_header *h)
{
    k->nev = h->nev;
    k->nent = h->nent;
    k->rows = h->rows;
    k->skipped = h->skipped;
    k->nodate = h->nodate;
    k->has_person = h->flags & KH_KEV_F_PERSON;
    k->has_dept = h->flags & KH_KEV_F_DEPT;
    k->has_date = h->flags & KH_KEV_F_DATE;
    k->has_level = h->flags & KH_KEV_F_LEVEL;
    k->has_key = h->flags & KH_KEV_F_KEY;
    k->has_value = h->flags & KH_KEV_F_VALUE;
    k->crlf = h->flags & KH_KEV_F_CRLF;
    k->encoding = kh_kev_encodings[h->encoding];
    k->events_id = h->events_id;
    k->roster_id = h->roster_id;
}

/* Check an image and point k into it; *why says what is wrong. */
static bool kh_kev_attach(kh_kev *k, const char *b, uint64_t size, const char **why)
{
    const kh_kev_header *h = (const kh_kev_header *)b;
    *why = "文件不完整";
    if (size < KH_KEV_HEADER_SIZE || h->file_size != size)
        return false;
    *why = "目录越界";
    if (h->encoding >= sizeof kh_kev_encodings / sizeof *kh_kev_encodings || h->nev >= INT32_MAX ||
        h->nent >= INT32_MAX - 1)
        return false;
    for (int t = 0; t < KH_KEV_NSTRS; t++)
        if (h->nstr[t] > h->nev + 1 + (t == KH_KEV_S_PERSON ? h->nent : 0))
            return false;
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        if (h->sec_off[s] % KH_KEV_ALIGN || h->sec_off[s] < KH_KEV_HEADER_SIZE || h->sec_off[s] > size ||
            h->sec_len[s] > size - h->sec_off[s])
            return false;
        if (s >= KH_KEV_SEC_STR_OFF && s < KH_KEV_SEC_STR_OFF + KH_KEV_NSTRS) {
            kh_kev_strs *t = &k->str[s - KH_KEV_SEC_STR_OFF];
            t->n = h->nstr[s - KH_KEV_SEC_STR_OFF];
            t->off = kh_kev_sec(h, b, s);
            t->text = kh_kev_sec(h, b, s + KH_KEV_NSTRS);
        }
    }
    /* in directory order: a table's offsets are checked before its text */
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        uint64_t want = kh_kev_expect(h, s);
        if (s >= KH_KEV_SEC_STR_TEXT && s < KH_KEV_SEC_STR_TEXT + KH_KEV_NSTRS) {
            const kh_kev_strs *t = &k->str[s - KH_KEV_SEC_STR_TEXT];
            want = t->off[t->n];
        }
        if (want != UINT64_MAX && h->sec_len[s] != want)
            return false;
    }
    *why = "内容不一致";
    kh_kev_columns(k, h, b);
    if (!kh_kev_monotone(k->first, h->nent + 1, h->nev) ||
        !kh_kev_monotone(k->item_first, h->nstr[KH_KEV_S_ITEM], h->nev))
        return false;
    for (int t = 0; t < KH_KEV_NSTRS; t++)
        if (!kh_kev_strs_ok(&k->str[t]) || k->str[t].n == 0)
            return false;
    if (!kh_kev_paths(k, kh_kev_sec(h, b, KH_KEV_SEC_PATHS), h->sec_len[KH_KEV_SEC_PATHS]))
        return false;
    kh_kev_header_fields(k, h);
    return true;
}

/* ------------------------------------------------------------- layout */

typedef struct kh_kev_layout {
    kh_kev_header h;
    uint64_t size;
} kh_kev_layout;

static void kh_kev_place(kh_kev_layout *l)
{
    uint64_t at = KH_KEV_HEADER_SIZE;
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        l->h.sec_off[s] = at;
        at += (l->h.sec_len[s] + KH_KEV_ALIGN - 1) / KH_KEV_ALIGN * KH_KEV_ALIGN;
    }
    l->size = at;
    l->h.file_size = at;
}

/* ------------------------------------------------------------ building */

/* What the build works on: the log interned, in file order. */
typedef struct kh_kev_b {
    kh_alloc *a;
    const kh_eventlog *log;
    size_t n;
    kh_strmap s[KH_KEV_NSTRS];
    uint32_t *id[KH_KEV_NSTRS];     /* [n] per table, file order */
    uint32_t *cluster;              /* [n] */
    uint32_t *idx;                  /* [n] file index at each cluster position */
    uint64_t nent;
} kh_kev_b;

static const char *kh_kev_field(const kh_raw_event *e, int t)
{
    switch (t) {
    case KH_KEV_S_PERSON: return e->person;
    case KH_KEV_S_DEPT: return e->dept;
    case KH_KEV_S_ITEM: return e->item;
    case KH_KEV_S_LEVEL: return e->level;
    default: return e->key;
    }
}

static bool kh_kev_intern(kh_kev_b *b)
{
    for (int t = 0; t < KH_KEV_NSTRS; t++) {
        kh_strmap_init(&b->s[t], b->a);
        b->id[t] = kh_malloc(b->a, (b->n + 1) * sizeof *b->id[t]);
        if (!b->id[t] || kh_strmap_put(&b->s[t], "", 0) != 0)
            return false;
    }
    for (size_t i = 0; i < b->n; i++)
        for (int t = 0; t < KH_KEV_NSTRS; t++) {
            const char *s = kh_kev_field(&b->log->ev[i], t);
            int32_t v = kh_strmap_put(&b->s[t], s, strlen(s));
            if (v < 0)
                return false;
            b->id[t][i] = (uint32_t)v;
        }
    return true;
}

/* cluster[i]: the roster entry of event i's person, or nent. */
static bool kh_kev_match(kh_kev_b *b, const kh_roster *r)
{
    const kh_strmap *ps = &b->s[KH_KEV_S_PERSON];
    uint32_t *of = kh_malloc(b->a, (ps->n + 1) * sizeof *of);
    b->cluster = kh_malloc(b->a, (b->n + 1) * sizeof *b->cluster);
    bool ok = of && b->cluster;
    for (size_t p = 0; ok && p < ps->n; p++) {
        int32_t e = p ? kh_roster_find(r, ps->keys[p], ps->lens[p]) : -1;
        of[p] = e >= 0 ? (uint32_t)e : (uint32_t)r->n;
    }
    for (size_t i = 0; ok && i < b->n; i++)
        b->cluster[i] = of[b->id[KH_KEV_S_PERSON][i]];
    b->nent = r->n;
    kh_free(of);
    return ok;
}

/* idx: file indices by cluster, each cluster in file order (a stable
 * counting sort). */
static bool kh_kev_sort(kh_kev_b *b)
{
    b->idx = kh_malloc(b->a, (b->n + 1) * sizeof *b->idx);
    uint64_t *at = kh_calloc(b->a, b->nent + 2, sizeof *at);
    bool ok = b->idx && at;
    for (size_t i = 0; ok && i < b->n; i++)
        at[b->cluster[i] + 1]++;
    for (uint64_t c = 0; ok && c <= b->nent; c++)
        at[c + 1] += at[c];
    for (size_t i = 0; ok && i < b->n; i++)
        b->idx[at[b->cluster[i]]++] = (uint32_t)i;
    kh_free(at);
    return ok;
}

static uint64_t kh_kev_text_size(const kh_strmap *m)
{
    uint64_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += m->lens[i] + 1;
    return n;
}

static void kh_kev_plan(kh_kev_b *b, kh_kev_layout *l, uint64_t paths_len)
{
    kh_kev_header *h = &l->h;
    memset(l, 0, sizeof *l);
    h->nev = b->n;
    h->nent = b->nent;
    for (int t = 0; t < KH_KEV_NSTRS; t++)
        h->nstr[t] = b->s[t].n;
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        if (s >= KH_KEV_SEC_STR_TEXT && s < KH_KEV_SEC_STR_TEXT + KH_KEV_NSTRS)
            h->sec_len[s] = kh_kev_text_size(&b->s[s - KH_KEV_SEC_STR_TEXT]);
        else if (s == KH_KEV_SEC_PATHS)
            h->sec_len[s] = paths_len;
        else
            h->sec_len[s] = kh_kev_expect(h, s);
    }
    kh_kev_place(l);
}

static void kh_kev_fill_strings(kh_kev_b *b, const kh_kev_header *h, char *img)
{
    for (int t = 0; t < KH_KEV_NSTRS; t++) {
        uint64_t *off = (uint64_t *)(img + h->sec_off[KH_KEV_SEC_STR_OFF + t]);
        char *text = img + h->sec_off[KH_KEV_SEC_STR_TEXT + t];
        uint64_t at = 0;
        for (size_t i = 0; i < b->s[t].n; i++) {
            off[i] = at;
            memcpy(text + at, b->s[t].keys[i], b->s[t].lens[i]);
            at += b->s[t].lens[i];
            text[at++] = '\0';
        }
        off[b->s[t].n] = at;
    }
}

/* Columns in cluster order, and where each file event went. */
static void kh_kev_fill_columns(kh_kev_b *b, const kh_kev_header *h, char *img)
{
    kh_kev k;
    kh_kev_columns(&k, h, img);
    uint32_t *col[KH_KEV_NSTRS] = {(uint32_t *)k.person, (uint32_t *)k.dept, (uint32_t *)k.item,
                                   (uint32_t *)k.level, (uint32_t *)k.key};
    uint64_t *first = (uint64_t *)k.first;
    uint32_t *line = (uint32_t *)k.line, *span = (uint32_t *)k.span, *order = (uint32_t *)k.order;
    int64_t *value = (int64_t *)k.value;
    int32_t *date = (int32_t *)k.date;
    uint8_t *pct = (uint8_t *)k.pct;
    memset(first, 0, (b->nent + 2) * sizeof *first);
    for (size_t p = 0; p < b->n; p++) {
        uint32_t s = b->idx[p];
        const kh_raw_event *e = &b->log->ev[s];
        for (int t = 0; t < KH_KEV_NSTRS; t++)
            col[t][p] = b->id[t][s];
        line[p] = e->line;
        span[2 * p] = e->span.off;
        span[2 * p + 1] = e->span.len;
        value[p] = e->value;
        date[p] = e->date;
        pct[p] = e->value_pct;
        order[s] = (uint32_t)p;
        first[b->cluster[s] + 1]++;
    }
    for (uint64_t c = 0; c <= b->nent; c++)
        first[c + 1] += first[c];
}

static void kh_kev_fill_items(kh_kev_b *b, const kh_kev_header *h, char *img)
{
    kh_kev k;
    kh_kev_columns(&k, h, img);
    uint64_t ni = b->s[KH_KEV_S_ITEM].n;
    uint64_t *ifirst = (uint64_t *)k.item_first;
    uint32_t *by = (uint32_t *)k.by_item;
    kh_kev_item_stats *st = (kh_kev_item_stats *)k.stats;
    const uint32_t *item = b->id[KH_KEV_S_ITEM], *level = b->id[KH_KEV_S_LEVEL];
    memset(ifirst, 0, (ni + 1) * sizeof *ifirst);
    memset(st, 0, ni * sizeof *st);
    for (size_t s = 0; s < b->n; s++) {
        const kh_raw_event *e = &b->log->ev[s];
        kh_kev_stats_add(&st[item[s]], e->value, e->date, level[s]);
        ifirst[item[s] + 1]++;
    }
    for (uint64_t i = 0; i < ni; i++)
        ifirst[i + 1] += ifirst[i];
    for (size_t s = 0; s < b->n; s++)
        by[ifirst[item[s]]++] = k.order[s];
    for (uint64_t i = ni; i > 0; i--)
        ifirst[i] = ifirst[i - 1];
    ifirst[0] = 0;
}

static uint32_t kh_kev_encoding_id(const char *enc)
{
    for (uint32_t i = 0; i < sizeof kh_kev_encodings / sizeof *kh_kev_encodings; i++)
        if (enc && strcmp(enc, kh_kev_encodings[i]) == 0)
            return i;
    return 0;
}

static void kh_kev_fill_header(kh_kev_b *b, kh_kev_header *h, const kh_kev_ident *ev_id,
                               const kh_kev_ident *ro_id)
{
    const kh_eventlog *log = b->log;
    memcpy(h->magic, KH_KEV_MAGIC, 8);
    h->version = KH_KEV_VERSION;
    h->byte_order = KH_KEV_ORDER;
    h->rows = log->rows;
    h->skipped = log->skipped;
    h->flags = (log->has_person ? KH_KEV_F_PERSON : 0) | (log->has_dept ? KH_KEV_F_DEPT : 0) |
               (log->has_date ? KH_KEV_F_DATE : 0) | (log->has_level ? KH_KEV_F_LEVEL : 0) |
               (log->has_key ? KH_KEV_F_KEY : 0) | (log->has_value ? KH_KEV_F_VALUE : 0) |
               (log->crlf ? KH_KEV_F_CRLF : 0);
    h->encoding = kh_kev_encoding_id(log->encoding);
    h->events_id = *ev_id;
    h->roster_id = *ro_id;
    for (size_t s = 0; s < b->n; s++)
        h->nodate += log->ev[s].date == INT32_MIN;
}

static void kh_kev_b_free(kh_kev_b *b)
{
    for (int t = 0; t < KH_KEV_NSTRS; t++) {
        kh_strmap_free(&b->s[t]);
        kh_free(b->id[t]);
    }
    kh_free(b->cluster);
    kh_free(b->idx);
}

/* "events\0events_abs\0roster\0" into a new buffer. */
static char *kh_kev_path_block(kh_alloc *a, const char *events_path, const char *roster_path, size_t *len)
{
    char abs[PATH_MAX];
    const char *ab = realpath(events_path, abs) ? abs : events_path;
    size_t n1 = strlen(events_path) + 1, n2 = strlen(ab) + 1, n3 = strlen(roster_path) + 1;
    char *p = kh_malloc(a, n1 + n2 + n3);
    if (p) {
        memcpy(p, events_path, n1);
        memcpy(p + n1, ab, n2);
        memcpy(p + n1 + n2, roster_path, n3);
        *len = n1 + n2 + n3;
    }
    return p;
}

static bool kh_kev_image(kh_kev_b *b, kh_kev *out, const char *paths, size_t plen, const kh_kev_ident *ev_id,
                         const kh_kev_ident *ro_id)
{
    kh_kev_layout l;
    kh_kev_plan(b, &l, plen);
    char *img = kh_malloc(b->a, (size_t)l.size);
    if (!img)
        return false;
    memset(img, 0, KH_KEV_HEADER_SIZE);
    kh_kev_fill_header(b, &l.h, ev_id, ro_id);
    memcpy(img, &l.h, sizeof l.h);
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        uint64_t end = l.h.sec_off[s] + l.h.sec_len[s];
        uint64_t next = s + 1 < KH_KEV_NSEC ? l.h.sec_off[s + 1] : l.size;
        memset(img + end, 0, (size_t)(next - end));
    }
    kh_kev_fill_strings(b, &l.h, img);
    kh_kev_fill_columns(b, &l.h, img);
    kh_kev_fill_items(b, &l.h, img);
    memcpy(img + l.h.sec_off[KH_KEV_SEC_PATHS], paths, plen);
    const char *why;
    memset(out, 0, sizeof *out);
    if (!kh_kev_attach(out, img, l.size, &why)) {
        kh_free(img);
        return false;
    }
    out->alloc = b->a;
    out->map = img;
    out->map_size = (size_t)l.size;
    return true;
}

bool kh_kev_build(kh_alloc *a, kh_diags *d, const kh_eventlog *log, const kh_roster *r,
                  const char *events_path, const kh_kev_ident *ev_id, const char *roster_path,
                  const kh_kev_ident *ro_id, kh_kev *out)
{
    memset(out, 0, sizeof *out);
    if (log->n >= INT32_MAX || r->n >= INT32_MAX - 1) {
        char n[32];
        snprintf(n, sizeof n, "%zu", log->n);
        kh_kev_diag(d, &m_kev_big, n, NULL, NULL);
        return false;
    }
    kh_kev_b b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.log = log;
    b.n = log->n;
    size_t plen = 0;
    char *paths = kh_kev_path_block(a, events_path, roster_path, &plen);
    bool ok = paths && kh_kev_intern(&b) && kh_kev_match(&b, r) && kh_kev_sort(&b) &&
              kh_kev_image(&b, out, paths, plen, ev_id, ro_id);
    kh_free(paths);
    kh_kev_b_free(&b);
    if (!ok) {
        d->oom = true;
        kh_kev_diag(d, &m_kev_nomem, NULL, NULL, NULL);
    }
    return ok;
}

/* ------------------------------------------------------------ writing */

static bool kh_kev_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Where section s of k is in memory, and its length (paths: NULL). */
static const void *kh_kev_sec_ptr(const kh_kev *k, int s)
{
    const void *v[] = {k->first, k->item, k->level, k->key, k->person, k->dept, k->line, k->span,
                       k->value, k->date, k->pct, k->order, k->by_item, k->item_first, k->stats};
    if (s < (int)(sizeof v / sizeof *v))
        return v[s];
    if (s >= KH_KEV_SEC_STR_OFF && s < KH_KEV_SEC_STR_OFF + KH_KEV_NSTRS)
        return k->str[s - KH_KEV_SEC_STR_OFF].off;
    if (s >= KH_KEV_SEC_STR_TEXT && s < KH_KEV_SEC_STR_TEXT + KH_KEV_NSTRS)
        return k->str[s - KH_KEV_SEC_STR_TEXT].text;
    return NULL;
}

/* The header that describes k. */
static void kh_kev_describe(const kh_kev *k, kh_kev_layout *l)
{
    kh_kev_header *h = &l->h;
    memset(l, 0, sizeof *l);
    memcpy(h->magic, KH_KEV_MAGIC, 8);
    h->version = KH_KEV_VERSION;
    h->byte_order = KH_KEV_ORDER;
    h->nev = k->nev;
    h->nent = k->nent;
    h->rows = k->rows;
    h->skipped = k->skipped;
    h->nodate = k->nodate;
    h->flags = (k->has_person ? KH_KEV_F_PERSON : 0) | (k->has_dept ? KH_KEV_F_DEPT : 0) |
               (k->has_date ? KH_KEV_F_DATE : 0) | (k->has_level ? KH_KEV_F_LEVEL : 0) |
               (k->has_key ? KH_KEV_F_KEY : 0) | (k->has_value ? KH_KEV_F_VALUE : 0) | (k->crlf ? KH_KEV_F_CRLF : 0);
    h->encoding = kh_kev_encoding_id(k->encoding);
    h->events_id = k->events_id;
    h->roster_id = k->roster_id;
    for (int t = 0; t < KH_KEV_NSTRS; t++)
        h->nstr[t] = k->str[t].n;
    for (int s = 0; s < KH_KEV_NSEC; s++) {
        if (s >= KH_KEV_SEC_STR_TEXT && s < KH_KEV_SEC_STR_TEXT + KH_KEV_NSTRS)
            h->sec_len[s] = k->str[s - KH_KEV_SEC_STR_TEXT].off[k->str[s - KH_KEV_SEC_STR_TEXT].n];
        else if (s == KH_KEV_SEC_PATHS)
            h->sec_len[s] = strlen(k->events_path) + strlen(k->events_abs) + strlen(k->roster_path) + 3;
        else
            h->sec_len[s] = kh_kev_expect(h, s);
    }
    kh_kev_place(l);
}

static bool kh_kev_pad(int fd, uint64_t n)
{
    static const char zero[KH_KEV_ALIGN];
    return n <= sizeof zero && kh_kev_write_all(fd, zero, (size_t)n);
}

/* Header and sections, each at its place. */
static bool kh_kev_emit(int fd, const kh_kev *k)
{
    kh_kev_layout l;
    kh_kev_describe(k, &l);
    char head[KH_KEV_HEADER_SIZE];
    memset(head, 0, sizeof head);
    memcpy(head, &l.h, sizeof l.h);
    bool ok = kh_kev_write_all(fd, head, sizeof head);
    for (int s = 0; ok && s < KH_KEV_NSEC; s++) {
        uint64_t len = l.h.sec_len[s];
        if (s == KH_KEV_SEC_PATHS) {
            const char *p[3] = {k->events_path, k->events_abs, k->roster_path};
            for (int i = 0; ok && i < 3; i++)
                ok = kh_kev_write_all(fd, p[i], strlen(p[i]) + 1);
        } else {
            ok = kh_kev_write_all(fd, kh_kev_sec_ptr(k, s), (size_t)len);
        }
        uint64_t next = s + 1 < KH_KEV_NSEC ? l.h.sec_off[s + 1] : l.size;
        ok = ok && kh_kev_pad(fd, next - l.h.sec_off[s] - len);
    }
    return ok;
}

bool kh_kev_write(kh_diags *d, const kh_kev *k, const char *path)
{
    kh_outfile o;
    int err = kh_outfile_open(&o, path);
    errno = 0;
    if (!err && !kh_kev_emit(o.fd, k)) {
        err = errno ? errno : EIO;
        kh_outfile_abort(&o);
    } else if (!err) {
        err = kh_outfile_commit(&o);
    }
    if (err)
        kh_kev_diag(d, &m_kev_write, path, strerror(err), NULL);
    return !err;
}

/* ------------------------------------------------------------- ingest */

/* May the fast reader take a file read with this encoding option? */
static bool kh_kev_utf8(const char *enc)
{
    return !enc || !*enc || strcmp(enc, "auto") == 0 || strcmp(enc, "utf-8") == 0 || strcmp(enc, "UTF-8") == 0 ||
           strcmp(enc, "utf8") == 0;
}

/* The fast reader's way: 1 written, 0 failed (reported), −1 declined. */
static int kh_kev_ingest_fast(kh_alloc *a, kh_diags *d, const kh_kev_ingest_opts *o, const char *events,
                              const kh_kev_ident *ev_id, const char *roster, const kh_kev_ident *ro_id,
                              const kh_roster *r, const char *out, uint64_t *nev, uint64_t *nent)
{
    kh_ingest_opts io = {KH_INGEST_CACHE, o->threads, r, NULL, NULL, false, 0, 0, 0, o->progress, o->pctx};
    kh_ingest g;
    kh_ingest_rc rc = kh_ingest_read(a, events, &io, &g);
    if (rc == KH_INGEST_DECLINED)
        return -1;
    if (rc == KH_INGEST_NOMEM) {
        d->oom = true;
        kh_kev_diag(d, &m_kev_nomem, NULL, NULL, NULL);
        return 0;
    }
    char abs[PATH_MAX];
    g.kev.events_path = events;
    g.kev.events_abs = realpath(events, abs) ? abs : events;
    g.kev.roster_path = roster;
    g.kev.events_id = *ev_id;
    g.kev.roster_id = *ro_id;
    bool ok = kh_kev_write(d, &g.kev, out);
    if (ok && nev)
        *nev = g.kev.nev;
    if (ok && nent)
        *nent = g.kev.nent;
    kh_ingest_free(&g);
    return ok;
}

static const kh_msg m_kev_errors = {"K011", "事件记录或名单有错误，未生成事件缓存",
                                    "the event log or roster has errors; no cache is written",
                                    "改正上面列出的行后重新运行", "correct the rows listed above and run again"};

bool kh_kev_ingest(kh_alloc *a, kh_diags *d, const char *events, const char *roster, const kh_kev_ingest_opts *o,
                   const char *out, uint64_t *nev, uint64_t *nent)
{
    static const kh_kev_ingest_opts none = {NULL, 0, NULL, NULL};
    if (!o)
        o = &none;
    const char *encoding = o->encoding;
    kh_kev_ident ev_id, ro_id;
    kh_roster r;
    kh_eventlog log;
    memset(&r, 0, sizeof r);
    memset(&log, 0, sizeof log);
    size_t errors = d->nerrors;
    /* identities first: a file changed while it is read makes a stale cache */
    bool idok = kh_kev_identify(events, &ev_id) && kh_kev_identify(roster, &ro_id);
    bool ok = kh_roster_read(a, d, roster, encoding, &r);
    if (ok && idok && d->nerrors == errors && kh_kev_utf8(encoding)) {
        int fast = kh_kev_ingest_fast(a, d, o, events, &ev_id, roster, &ro_id, &r, out, nev, nent);
        if (fast >= 0) {
            kh_roster_free(&r);
            return fast == 1;
        }
    }
    ok = ok && kh_eventlog_read(a, d, events, encoding, &log);
    if (ok && (d->nerrors > errors || !idok)) {
        kh_kev_diag(d, &m_kev_errors, NULL, NULL, NULL);
        ok = false;
    }
    kh_kev k;
    memset(&k, 0, sizeof k);
    if (ok)
        ok = kh_kev_build(a, d, &log, &r, events, &ev_id, roster, &ro_id, &k) && kh_kev_write(d, &k, out);
    if (ok && nev)
        *nev = k.nev;
    if (ok && nent)
        *nent = k.nent;
    kh_kev_close(&k);
    kh_eventlog_free(&log);
    kh_roster_free(&r);
    return ok;
}

/* ------------------------------------------------------------ opening */

bool kh_kev_sniff(const char *path)
{
    char m[8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = read(fd, m, 8) == 8 && memcmp(m, KH_KEV_MAGIC, 8) == 0;
    close(fd);
    return ok;
}

static bool kh_kev_check_header(kh_diags *d, const char *path, const kh_kev_header *h, uint64_t size)
{
    if (size < 8 || memcmp(h->magic, KH_KEV_MAGIC, 8) != 0) {
        kh_kev_diag(d, &m_kev_magic, path, NULL, NULL);
        return false;
    }
    if (size < KH_KEV_HEADER_SIZE) {
        kh_kev_diag(d, &m_kev_damaged, path, "文件不完整", NULL);
        return false;
    }
    if (h->byte_order != KH_KEV_ORDER || h->version != KH_KEV_VERSION) {
        kh_kev_diag(d, &m_kev_version, path, NULL, NULL);
        return false;
    }
    return true;
}

bool kh_kev_open(kh_alloc *a, kh_diags *d, const char *path, kh_kev *out)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        kh_kev_diag(d, &m_kev_open, path, strerror(errno), NULL);
        if (fd >= 0)
            close(fd);
        return false;
    }
    size_t size = (size_t)st.st_size;
    void *map = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    int err = errno;
    close(fd);
    if (map == MAP_FAILED) {
        if (!size)
            kh_kev_diag(d, &m_kev_magic, path, NULL, NULL);
        else
            kh_kev_diag(d, &m_kev_open, path, strerror(err), NULL);
        return false;
    }
    const char *why = NULL;
    if (!kh_kev_check_header(d, path, map, size))
        goto fail;
    if (!kh_kev_attach(out, map, size, &why)) {
        kh_kev_diag(d, &m_kev_damaged, path, why, NULL);
        goto fail;
    }
    out->alloc = a;
    out->map = map;
    out->map_size = size;
    out->mapped = true;
    return true;
fail:
    munmap(map, size);
    memset(out, 0, sizeof *out);
    return false;
}

static void kh_kev_advise(const kh_kev *k, const void *p, size_t len)
{
#ifdef MADV_POPULATE_READ
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t b = (uintptr_t)p & ~(page - 1), e = (uintptr_t)p + len;
    if (k->mapped && len && madvise((void *)b, (size_t)(e - b), MADV_POPULATE_READ) != 0)
        madvise((void *)b, (size_t)(e - b), MADV_WILLNEED);
#else
    (void)k, (void)p, (void)len;
#endif
}

void kh_kev_prefault(const kh_kev *k, bool levels_keys, bool dates)
{
    size_t n = (size_t)k->nev;
    kh_kev_advise(k, k->first, ((size_t)k->nent + 2) * sizeof *k->first);
    kh_kev_advise(k, k->item, n * sizeof *k->item);
    kh_kev_advise(k, k->value, n * sizeof *k->value);
    if (levels_keys) {
        kh_kev_advise(k, k->level, n * sizeof *k->level);
        kh_kev_advise(k, k->key, n * sizeof *k->key);
    }
    if (dates)
        kh_kev_advise(k, k->date, n * sizeof *k->date);
}

void kh_kev_close(kh_kev *k)
{
    if (k->mapped)
        munmap(k->map, k->map_size);
    else
        kh_free(k->map);
    memset(k, 0, sizeof *k);
}

bool kh_kev_check_sources(kh_diags *d, const kh_kev *k, const char *kev_path, const char *roster_path)
{
    kh_kev_ident now;
    if (!kh_kev_identify(k->events_abs, &now)) {
        kh_kev_diag(d, &m_kev_gone, kev_path, k->events_path, NULL);
        return false;
    }
    if (!kh_kev_same(&now, &k->events_id)) {
        kh_kev_diag(d, &m_kev_stale, kev_path, k->events_path, NULL);
        return false;
    }
    if (!kh_kev_identify(roster_path, &now) || !kh_kev_same(&now, &k->roster_id)) {
        kh_kev_diag(d, &m_kev_roster, kev_path, roster_path, k->roster_path);
        return false;
    }
    return true;
}

/* ------------------------------------------------- back to a raw log */

const char *kh_kev_str(const kh_kev *k, int t, uint32_t id)
{
    return id < k->str[t].n ? k->str[t].text + k->str[t].off[id] : "";
}

static bool kh_kev_ids_ok(const kh_kev *k, uint64_t p)
{
    return k->person[p] < k->str[KH_KEV_S_PERSON].n && k->dept[p] < k->str[KH_KEV_S_DEPT].n &&
           k->item[p] < k->str[KH_KEV_S_ITEM].n && k->level[p] < k->str[KH_KEV_S_LEVEL].n &&
           k->key[p] < k->str[KH_KEV_S_KEY].n;
}

void kh_kev_damaged(kh_diags *d, const char *kev_path, const char *why)
{
    kh_kev_diag(d, &m_kev_damaged, kev_path, why, NULL);
}

bool kh_kev_check_roster(kh_diags *d, const kh_kev *k, const char *kev_path, size_t n)
{
    if (n == k->nent)
        return true;
    kh_kev_diag(d, &m_kev_roster, kev_path, k->roster_path, k->roster_path);
    return false;
}

bool kh_kev_to_eventlog(kh_alloc *a, kh_diags *d, const kh_kev *k, bool events, kh_eventlog *log)
{
    memset(log, 0, sizeof *log);
    log->ev = events ? kh_malloc(a, ((size_t)k->nev + 1) * sizeof *log->ev) : NULL;
    log->src.path = kh_strndup(a, k->events_path, strlen(k->events_path));
    if ((events && !log->ev) || !log->src.path) {
        kh_kev_diag(d, &m_kev_nomem, NULL, NULL, NULL);
        return false;
    }
    for (uint64_t i = 0; events && i < k->nev; i++) {
        uint64_t p = k->order[i];
        if (p >= k->nev || !kh_kev_ids_ok(k, p)) {
            kh_kev_diag(d, &m_kev_damaged, k->events_path, "编号越界", NULL);
            return false;
        }
        kh_raw_event *e = &log->ev[i];
        e->line = k->line[p];
        e->span = (kh_span){k->span[2 * p], k->span[2 * p + 1]};
        e->person = kh_kev_str(k, KH_KEV_S_PERSON, k->person[p]);
        e->dept = kh_kev_str(k, KH_KEV_S_DEPT, k->dept[p]);
        e->item = kh_kev_str(k, KH_KEV_S_ITEM, k->item[p]);
        e->level = kh_kev_str(k, KH_KEV_S_LEVEL, k->level[p]);
        e->key = kh_kev_str(k, KH_KEV_S_KEY, k->key[p]);
        e->date = k->date[p];
        e->value = k->value[p];
        e->value_pct = k->pct[p] != 0;
    }
    log->n = (size_t)(k->rows - k->skipped);
    log->encoding = k->encoding;
    log->crlf = k->crlf;
    log->has_person = k->has_person;
    log->has_dept = k->has_dept;
    log->has_date = k->has_date;
    log->has_level = k->has_level;
    log->has_key = k->has_key;
    log->has_value = k->has_value;
    log->rows = (size_t)k->rows;
    log->skipped = (size_t)k->skipped;
    return true;
}

/* ----------------------------------------------------- the log's text */

static char *kh_kev_read_file(kh_alloc *a, const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && (buf = kh_malloc(a, (size_t)st.st_size + 1)) != NULL) {
        size_t n = 0, want = (size_t)st.st_size;
        while (n < want) {
            ssize_t r = read(fd, buf + n, want - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
        }
        buf[n] = '\0';
        *len = n;
    }
    close(fd);
    return buf;
}

/* GB18030/GBK → UTF-8, as the CSV reader converts. */
static char *kh_kev_from_gb(kh_alloc *a, const char *codec, char *raw, size_t n, size_t *len)
{
    iconv_t cd = iconv_open("UTF-8", codec);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n + n / 2 + 16, il = n, ol = cap - 1;
    char *o = kh_malloc(a, cap), *ip = raw, *op = o;
    if (o && (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)) {
        kh_free(o);
        o = NULL;
    }
    iconv_close(cd);
    if (o) {
        *op = '\0';
        *len = (size_t)(op - o);
    }
    return o;
}

bool kh_kev_load_text(kh_alloc *a, const kh_kev *k, kh_source *src)
{
    size_t n = 0;
    char *t = kh_kev_read_file(a, k->events_abs, &n);
    if (t && (strcmp(k->encoding, "GB18030") == 0 || strcmp(k->encoding, "GBK") == 0)) {
        char *u = kh_kev_from_gb(a, k->encoding, t, n, &n);
        kh_free(t);
        t = u;
    }
    if (!t)
        return false;
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) {
        memmove(t, t + 3, n - 3 + 1);
        n -= 3;
    }
    for (char *p = t; (p = memchr(p, '\r', (size_t)(t + n - p))) != NULL; p++)
        if (p[1] != '\n')
            *p = '\n';
    src->text = t;
    src->len = n;
    kh_source_index(a, src);
    return true;
}
