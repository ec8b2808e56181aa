/* ingest.c — the fast, parallel reader of clean event logs (see ingest.h).
 *
 * The file is mapped and cut at line starts into one share per thread.
 * Pass 1 splits every record, skips blank ones and counts each share's
 * events per person; the counts give every (share, person) pair its own
 * range of positions in person order.  Pass 2 reads the records again,
 * parses and interns their fields, and writes each event at the next
 * position of its range, so the columns come out clustered by person with
 * every person's events in file order.  Strings are interned per share;
 * the shares' tables are then merged in file order and the ids the later
 * shares wrote are mapped to the merged ones, range by range.
 *
 * Pages of the file are let go as soon as a pass is past them, so memory
 * holds the columns, not the text.  A record the CSV reader would treat in
 * any way but the plain one makes the reader decline (ingest.h).
 *
 * This file holds the intern tables and the two passes; ingestrun.c runs
 * them and merges the shares' results.
 */
#include "ingestrd.h"

/* ------------------------------------------------------------ memory */

/* Allocation from the shares goes through one lock: kh_alloc counts. */
static void *kh_ix_alloc(kh_ix *ix, size_t n, bool zero)
{
    pthread_mutex_lock(&ix->lock);
    void *p = zero ? kh_calloc_big(ix->a, 1, n) : kh_malloc_big(ix->a, n);
    pthread_mutex_unlock(&ix->lock);
    return p;
}

static void *kh_ix_realloc(kh_ix *ix, void *p, size_t n)
{
    pthread_mutex_lock(&ix->lock);
    void *q = kh_realloc(ix->a, p, n);
    pthread_mutex_unlock(&ix->lock);
    return q;
}

/* Copy s into the share's arena (blocks outlive the read). */
static const char *kh_ix_keep(kh_ix_share *sh, const char *s, size_t n)
{
    kh_ix *ix = sh->ix;
    if (sh->aleft < n + 1) {
        size_t sz = n + 1 > ((size_t)1 << 16) ? n + 1 : (size_t)1 << 16;
        char *blk = kh_ix_alloc(ix, sz, false);
        if (!blk)
            return NULL;
        pthread_mutex_lock(&ix->lock);
        bool ok = true;
        if (ix->nblocks == ix->capblocks) {
            size_t nc = ix->capblocks ? ix->capblocks * 2 : 64;
            void **nb = kh_realloc(ix->a, ix->blocks, nc * sizeof *nb);
            ok = nb != NULL;
            if (ok) {
                ix->blocks = nb;
                ix->capblocks = nc;
            }
        }
        if (ok)
            ix->blocks[ix->nblocks++] = blk;
        else
            kh_free(blk);
        pthread_mutex_unlock(&ix->lock);
        if (!ok)
            return NULL;
        sh->arena = blk;
        sh->aleft = sz;
    }
    char *p = sh->arena;
    memcpy(p, s, n);
    p[n] = '\0';
    sh->arena += n + 1;
    sh->aleft -= n + 1;
    return p;
}

/* ------------------------------------------------------------ strings */

static inline uint64_t kh_ix_ld8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

static inline uint64_t kh_ix_ld4(const char *s)
{
    uint32_t w;
    memcpy(&w, s, 4);
    return w;
}

/* The first 16 bytes of s[0..n), zero-padded, reading nothing past n
 * (little-endian: byte i is bits 8i..8i+7). */
static inline void kh_ix_head(const char *s, uint32_t n, uint64_t *w0, uint64_t *w1)
{
    *w1 = 0;
    if (n >= 16) {
        *w0 = kh_ix_ld8(s);
        *w1 = kh_ix_ld8(s + 8);
    } else if (n > 8) {
        *w0 = kh_ix_ld8(s);
        *w1 = kh_ix_ld8(s + n - 8) >> (8 * (16 - n));
    } else if (n == 8) {
        *w0 = kh_ix_ld8(s);
    } else if (n >= 4) {
        *w0 = kh_ix_ld4(s) | ((kh_ix_ld4(s + n - 4) >> (8 * (8 - n))) << 32);
    } else {
        uint64_t w = 0;
        for (uint32_t i = 0; i < n; i++)
            w |= (uint64_t)(unsigned char)s[i] << (8 * i);
        *w0 = w;
    }
}

kh_ix_key kh_ix_keyof(const char *s, uint32_t n)
{
    kh_ix_key k;
    kh_ix_head(s, n, &k.w0, &k.w1);
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    h = (h ^ k.w0) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
    h = (h ^ k.w1) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    for (uint32_t i = 16; i < n; i += 8) {
        uint64_t w = i + 8 <= n ? kh_ix_ld8(s + i) : kh_ix_ld8(s + n - 8) >> (8 * (i + 8 - n));
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    h ^= h >> 33;               /* mix the high bits down: slots use the low ones */
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    k.h = h ? h : 1;
    return k;
}

/* Slot of s in t, or of the free slot where it goes. */
uint32_t kh_ix_probe(const kh_ix_tab *t, const char *s, uint32_t n, const kh_ix_key *k)
{
    uint32_t mask = t->nslots - 1, i = (uint32_t)k->h & mask;
    for (;;) {
        const kh_ix_slot *x = &t->slot[i];
        if (!x->hash)
            return i;
        if (x->hash == k->h && x->len == n && x->w0 == k->w0 && x->w1 == k->w1 &&
            (n <= 16 || memcmp(t->str[x->id] + 16, s + 16, n - 16) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

void kh_ix_fill(kh_ix_tab *t, uint32_t i, uint32_t id)
{
    kh_ix_slot *x = &t->slot[i];
    x->hash = t->hash[id];
    x->id = id;
    x->len = t->len[id];
    kh_ix_head(t->str[id], x->len, &x->w0, &x->w1);
}

bool kh_ix_grow(kh_ix *ix, kh_ix_tab *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64, nslots = cap * 2;
    const char **str = kh_ix_realloc(ix, (void *)t->str, cap * sizeof *str);
    if (!str)
        return false;
    t->str = str;
    uint32_t *len = kh_ix_realloc(ix, t->len, cap * sizeof *len);
    if (!len)
        return false;
    t->len = len;
    uint64_t *hash = kh_ix_realloc(ix, t->hash, cap * sizeof *hash);
    if (!hash)
        return false;
    t->hash = hash;
    kh_ix_slot *slot = kh_ix_alloc(ix, nslots * sizeof *slot, true);
    if (!slot)
        return false;
    pthread_mutex_lock(&ix->lock);
    kh_free(t->slot);
    pthread_mutex_unlock(&ix->lock);
    t->slot = slot;
    t->nslots = nslots;
    t->cap = cap;
    for (uint32_t k = 0; k < t->n; k++) {
        kh_ix_key key = {t->hash[k], 0, 0};
        kh_ix_head(t->str[k], t->len[k], &key.w0, &key.w1);
        kh_ix_fill(t, kh_ix_probe(t, t->str[k], t->len[k], &key), k);
    }
    return true;
}

/* Text the CSV reader would read as this string: valid UTF-8, no NUL and
 * no lone CR (which it would turn into a line end). */
static bool kh_ix_clean(const char *s, size_t n)
{
    return !memchr(s, '\0', n) && !memchr(s, '\r', n) && kh_utf8_check(s, n) == n;
}

/* Id of s in t, adding a copy when new; −1: out of memory, −2: s is not
 * clean text. */
static int64_t kh_ix_put(kh_ix_share *sh, kh_ix_tab *t, const char *s, uint32_t n)
{
    if ((t->n + 1) * 2 > t->nslots && !kh_ix_grow(sh->ix, t))
        return -1;
    kh_ix_key key = kh_ix_keyof(s, n);
    uint32_t i = kh_ix_probe(t, s, n, &key);
    if (t->slot[i].hash)
        return (int64_t)t->slot[i].id;
    if (!kh_ix_clean(s, n))
        return -2;
    const char *copy = kh_ix_keep(sh, s, n);
    if (!copy)
        return -1;
    t->str[t->n] = copy;
    t->len[t->n] = n;
    t->hash[t->n] = key.h;
    kh_ix_fill(t, i, t->n);
    return (int64_t)t->n++;
}

void kh_ix_tab_free(kh_ix_tab *t)
{
    kh_free((void *)t->str);
    kh_free(t->len);
    kh_free(t->hash);
    kh_free(t->slot);
    memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------- splitting */

static bool kh_ix_blank_at(const char *s, uint32_t n, uint32_t *k)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t')) {
        *k = 1;
        return true;
    }
    if (n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
        *k = 3;
        return true;
    }
    return false;
}

static bool kh_ix_blank_end(const char *s, uint32_t n, uint32_t *k)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        *k = 1;
        return true;
    }
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE3 && (unsigned char)s[n - 2] == 0x80 &&
        (unsigned char)s[n - 1] == 0x80) {
        *k = 3;
        return true;
    }
    return false;
}

static kh_ix_field kh_ix_trim(const char *v, uint32_t n)
{
    uint32_t k;
    if (!n || (v[0] != ' ' && v[0] != '\t' && v[0] != '\xE3' && v[n - 1] != ' ' && v[n - 1] != '\t' &&
               v[n - 1] != '\x80'))
        return (kh_ix_field){v, n};
    while (kh_ix_blank_at(v, n, &k)) {
        v += k;
        n -= k;
    }
    while (kh_ix_blank_end(v, n, &k))
        n -= k;
    return (kh_ix_field){v, n};
}

static bool kh_ix_unquote_room(kh_ix_share *sh, size_t more)
{
    if (sh->ulen + more <= sh->ucap)
        return true;
    size_t cap = sh->ucap ? sh->ucap * 2 : 4096;
    while (cap < sh->ulen + more)
        cap *= 2;
    char *nb = kh_ix_realloc(sh->ix, sh->ubuf, cap);
    if (!nb) {
        sh->oom = true;
        return false;
    }
    sh->ubuf = nb;
    sh->ucap = cap;
    return true;
}

/* The first ',' or line end in [p, end), or end. */
static inline const char *kh_ix_delim(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n');
    for (; p + 16 <= end; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)));
        if (m)
            return p + __builtin_ctz(m);
    }
#endif
    while (p < end && *p != ',' && *p != '\n')
        p++;
    return p;
}

/* A quoted field at q (on the quote); *p ends on its delimiter.  The text
 * goes to the share's buffer. */
static bool kh_ix_quoted(kh_ix_share *sh, const char *q, const char *end, const char **p, const char **v,
                         uint32_t *n)
{
    size_t at = sh->ulen;
    q++;
    for (;;) {
        const char *z = memchr(q, '"', (size_t)(end - q));
        if (!z || memchr(q, '\n', (size_t)(z - q)) || memchr(q, '\r', (size_t)(z - q)))
            return false;               /* unterminated, or a line break inside quotes */
        if (!kh_ix_unquote_room(sh, (size_t)(z - q) + 1))
            return false;
        memcpy(sh->ubuf + sh->ulen, q, (size_t)(z - q));
        sh->ulen += (size_t)(z - q);
        q = z + 1;
        if (q < end && *q == '"') {
            sh->ubuf[sh->ulen++] = '"';
            q++;
            continue;
        }
        break;
    }
    const char *r = q, *rv;
    while (r < end && *r != ',' && *r != '\n')
        r++;
    rv = r > q && r[-1] == '\r' && r < end && *r == '\n' ? r - 1 : r;   /* CR LF ends the line */
    if (memchr(q, '\r', (size_t)(rv - q)) || !kh_ix_unquote_room(sh, (size_t)(rv - q)))
        return false;
    memcpy(sh->ubuf + sh->ulen, q, (size_t)(rv - q));
    sh->ulen += (size_t)(rv - q);
    *p = r;
    *v = sh->ubuf + at;
    *n = (uint32_t)(sh->ulen - at);
    return true;
}

/* A field's text v[0..n), ended by p (a ',' or '\n', or the end), into
 * f[*nf].  −1: decline (a CR not ending the line, too many fields); 1: it
 * was the record's last, and *next and *rend are set; 0: more follow. */
static int kh_ix_field_end(kh_ix_share *sh, const char *v, uint32_t n, const char *p, const char *end,
                           kh_ix_field *f, int *nf, const char **next, const char **rend)
{
    bool last = p >= end || *p == '\n';
    if (n && v[n - 1] == '\r') {
        if (!last || p >= end)
            return -1;                  /* a lone CR: the CSV reader makes it a line end */
        n--;
    }
    if (*nf == KH_IX_MAXF)
        return -1;
    f[(*nf)++] = kh_ix_trim(v, n);
    if (!last)
        return 0;
    *rend = p > sh->ix->map && p < end && p[-1] == '\r' ? p - 1 : p;
    *next = p < end ? p + 1 : end;
    return 1;
}

#ifdef __SSE2__
/* The 64 bytes at s as two masks: bit i of *delim where s[i] is ',' or
 * '\n', of *quote where it is '"'. */
static inline void kh_ix_marks(const char *s, uint64_t *delim, uint64_t *quote)
{
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), qt = _mm_set1_epi8('"');
    uint64_t d = 0, q = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i dv = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl));
        d |= (uint64_t)(uint32_t)_mm_movemask_epi8(dv) << (16 * k);
        q |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qt)) << (16 * k);
    }
    *delim = d;
    *quote = q;
}

/* kh_ix_split for a line without a quote, its delimiters found 64 bytes
 * at a time rather than field by field; −2: the line has a quote, or ends
 * within 64 bytes of the end of the file (kh_ix_split's own loop takes
 * those). */
static int kh_ix_split_plain(kh_ix_share *sh, const char *p, const char *end, kh_ix_field *f,
                             const char **next, const char **rend)
{
    int nf = 0;
    const char *v = p;
    for (const char *b = p;; b += 64) {
        if (end - b < 64)
            return -2;
        uint64_t d, q;
        kh_ix_marks(b, &d, &q);
        for (; d; d &= d - 1) {
            const char *z = b + __builtin_ctzll(d);
            bool last = *z == '\n';
            if (last && (q & (((uint64_t)1 << (z - b)) - 1)))
                return -2;
            int done = kh_ix_field_end(sh, v, (uint32_t)(z - v), z, end, f, &nf, next, rend);
            if (done)
                return done < 0 ? -1 : nf;
            v = z + 1;
        }
        if (q)
            return -2;                  /* a quote in a block wholly within the line */
    }
}
#endif

/* The record at p into f; *next: the next line; *rend: the record's end
 * (before CR LF).  Returns the number of fields, or −1 to decline. */
static int kh_ix_split(kh_ix_share *sh, const char *p, const char *end, kh_ix_field *f, const char **next,
                       const char **rend)
{
#ifdef __SSE2__
    int plain = kh_ix_split_plain(sh, p, end, f, next, rend);
    if (plain != -2)
        return plain;
#endif
    int nf = 0;
    for (;;) {
        const char *v = p, *q = p;
        uint32_t n;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q == '"') {
            if (!kh_ix_quoted(sh, q, end, &p, &v, &n))
                return -1;
        } else {
            p = kh_ix_delim(p, end);
            n = (uint32_t)(p - v);
        }
        int done = kh_ix_field_end(sh, v, n, p, end, f, &nf, next, rend);
        if (done)
            return done < 0 ? -1 : nf;
        p++;
    }
}

static bool kh_ix_blank(const kh_ix_field *f, int nf)
{
    for (int i = 0; i < nf; i++)
        if (f[i].n)
            return false;
    return true;
}

/* ------------------------------------------------------------- header */

static bool kh_ix_name_is(const char *want, const kh_ix_field *f)
{
    size_t n = strlen(want);
    if (n != f->n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = want[i], b = f->v[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

static int kh_ix_column(const kh_ix_field *f)
{
    for (int k = 0; k < KH_IX_NCOLS; k++)
        for (int j = 0; j < 3 && kh_ix_names[k][j]; j++)
            if (kh_ix_name_is(kh_ix_names[k][j], f))
                return k;
    return -1;
}

/* The header: every field a known column, once; what the CSV reader
 * needs present, present. */
bool kh_ix_header(kh_ix *ix)
{
    kh_ix_field f[KH_IX_MAXF];
    const char *text = ix->map + ix->bom, *end = ix->map + ix->size, *next, *rend;
    ix->sh[0].ulen = 0;
    int nf = kh_ix_split(&ix->sh[0], text, end, f, &next, &rend);
    if (nf <= 0 || kh_ix_blank(f, nf) || next >= end)
        return false;
    for (int k = 0; k < KH_IX_NCOLS; k++)
        ix->idx[k] = -1;
    for (int i = 0; i < nf; i++) {
        int k = kh_ix_column(&f[i]);
        if (k < 0 || ix->idx[k] >= 0 || !kh_ix_clean(f[i].v, f[i].n))
            return false;
        ix->idx[k] = i;
    }
    if (ix->idx[KH_IX_ITEM] < 0 || (ix->idx[KH_IX_PERSON] < 0 && ix->idx[KH_IX_DEPT] < 0))
        return false;
    ix->nhead = nf;
    ix->crlf = next - 1 > text && next[-1] == '\n' && next[-2] == '\r';
    ix->body = (size_t)(next - ix->map);
    ix->head_lines = 1;
    return true;
}

/* ------------------------------------------------------------- fields */

static const kh_ix_field kh_ix_none = {"", 0};

static const kh_ix_field *kh_ix_col(const kh_ix *ix, const kh_ix_field *f, int k)
{
    return ix->idx[k] >= 0 ? &f[ix->idx[k]] : &kh_ix_none;
}

/* 数量 as the CSV reader reads it, when written plainly: digits, an
 * optional point and decimals, an optional %.  False: decline. */
static bool kh_ix_value(const kh_ix_field *f, kh_dec *v, bool *pct)
{
    uint32_t n = f->n;
    *pct = false;
    if (!n) {
        *v = KH_DEC_ONE;
        return true;
    }
    if (f->v[n - 1] == '%') {
        *pct = true;
        n--;
    }
    if (!n || n > 18)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if ((f->v[i] < '0' || f->v[i] > '9') && f->v[i] != '.')
            return false;
    return kh_dec_parse(f->v, n, v) && *v >= 0;
}

bool kh_ingest_date(const char *s, size_t n, int32_t *days)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return kh_csv_parse_date(s, n, days);
    int v[8];
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++) {
        if (s[at[i]] < '0' || s[at[i]] > '9')
            return false;
        v[i] = s[at[i]] - '0';
    }
    return kh_csv_civil_days(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5], v[6] * 10 + v[7],
                             days);
}

/* 日期: INT32_MIN when empty; false: decline. */
static bool kh_ix_date(kh_ix_share *sh, const kh_ix_field *f, int32_t *days)
{
    if (!f->n) {
        *days = INT32_MIN;
        return true;
    }
    if (sh->dcache && sh->dlen == f->n && memcmp(sh->dcache, f->v, f->n) == 0) {
        *days = sh->dday;
        return true;
    }
    if (memchr(f->v, '\r', f->n) || !kh_ingest_date(f->v, f->n, days))
        return false;
    sh->dcache = f->v;
    sh->dlen = f->n;
    sh->dday = *days;
    return true;
}

/* ------------------------------------------------------------ pass 1 */

/* Map the next windows in one go (a page fault per page costs more), and
 * let go of the pages before p: this pass will not read them again. */
static void kh_ix_release(kh_ix_share *sh, const char *p, bool done)
{
    kh_ix *ix = sh->ix;
    size_t at = (size_t)(p - ix->map), page = (size_t)sysconf(_SC_PAGESIZE);
    if (sh->t == 0 && ix->o->progress && sh->e > sh->b) {
        int pct = (ix->pass - 1) * 50 + (int)(50 * (at - sh->b) / (sh->e - sh->b));
        if (pct != ix->shown && pct < 100) {
            ix->shown = pct;
            ix->o->progress(ix->o->pctx, pct);
        }
    }
    if (done || at - sh->released >= KH_IX_WINDOW) {
        size_t from = (sh->released + page - 1) / page * page, to = at / page * page;
        if (to > from)
            madvise((void *)(ix->map + from), to - from, MADV_DONTNEED);
        sh->released = at;
    }
#ifdef MADV_POPULATE_READ
    if (!done && at + KH_IX_WINDOW > sh->populated && sh->populated < sh->e) {
        size_t from = sh->populated / page * page;
        size_t to = at + 2 * KH_IX_WINDOW < sh->e ? at + 2 * KH_IX_WINDOW : sh->e;
        if (to > from)
            madvise((void *)(ix->map + from), to - from, MADV_POPULATE_READ);
        sh->populated = to;
    }
#endif
}

static bool kh_ix_stopped(kh_ix_share *sh)
{
    if (sh->bad || sh->oom)
        atomic_store(&sh->ix->stop, true);
    return atomic_load_explicit(&sh->ix->stop, memory_order_relaxed);
}

/* The roster entry of a person, or nent; k is the name's key. */
static uint32_t kh_ix_who(const kh_ix *ix, const char *v, uint32_t n, const kh_ix_key *k)
{
    if (!n)
        return (uint32_t)ix->nent;
    const kh_ix_slot *x = &ix->roster.slot[kh_ix_probe(&ix->roster, v, n, k)];
    return x->hash ? x->id : (uint32_t)ix->nent;
}

static void kh_ix_prefetch_who(const kh_ix *ix, const kh_ix_key *k)
{
    __builtin_prefetch(&ix->roster.slot[(uint32_t)k->h & (ix->roster.nslots - 1)]);
}

/* Lines go in batches: the roster lookups of a batch are started together
 * (prefetched), so their cache misses overlap instead of queueing. */
#define KH_IX_BATCH 16

/* Pass 1's view of a line: where it ends, and the person field when the
 * line is plain (no quote, as many fields as the header, a name). */
typedef struct kh_ix_line {
    const char *p, *next;
    const char *pv;
    uint32_t pn;
    kh_ix_key key;
    bool plain;
} kh_ix_line;

/* How many bytes of s[0..n) are ch. */
static uint32_t kh_ix_count(const char *s, size_t n, char ch)
{
    uint32_t c = 0;
    size_t i = 0;
#ifdef __SSE2__
    __m128i want = _mm_set1_epi8(ch);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, want));
        m = m - ((m >> 1) & 0x5555u);
        m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
        m = (m + (m >> 4)) & 0x0F0Fu;
        c += (m + (m >> 8)) & 0x1Fu;
    }
#endif
    for (; i < n; i++)
        c += s[i] == ch;
    return c;
}

#ifdef __SSE2__
/* kh_ix_scan with the line's delimiters found 64 bytes at a time; false:
 * the line ends within 64 bytes of the end of the file, for kh_ix_scan's
 * own code. */
static bool kh_ix_scan_plain(const kh_ix *ix, const char *p, const char *end, kh_ix_line *l)
{
    int want = ix->idx[KH_IX_PERSON];
    uint32_t commas = 0;
    const char *fs = p, *fe = NULL;
    bool quoted = false;
    for (const char *b = p;; b += 64) {
        if (end - b < 64)
            return false;
        uint64_t d, q;
        kh_ix_marks(b, &d, &q);
        for (; d; d &= d - 1) {
            const char *z = b + __builtin_ctzll(d);
            if (*z != '\n') {
                commas++;
                if ((int64_t)commas == want)
                    fs = z + 1;
                else if ((int64_t)commas == (int64_t)want + 1)
                    fe = z;
                continue;
            }
            quoted |= (q & (((uint64_t)1 << (z - b)) - 1)) != 0;
            l->p = p;
            l->next = z + 1;
            l->plain = false;
            if (want < 0 || quoted || commas + 1 != (uint32_t)ix->nhead)
                return true;
            if (!fe)
                fe = z;
            if (fe > fs && fe[-1] == '\r')
                return true;            /* let the careful split decide */
            kh_ix_field f = kh_ix_trim(fs, (uint32_t)(fe - fs));
            if (!f.n)
                return true;
            l->pv = f.v;
            l->pn = f.n;
            l->key = kh_ix_keyof(f.v, f.n);
            l->plain = true;
            return true;
        }
        quoted |= q != 0;
    }
}
#endif

/* Scan the line at p for pass 1. */
static void kh_ix_scan(const kh_ix *ix, const char *p, const char *end, kh_ix_line *l)
{
#ifdef __SSE2__
    if (kh_ix_scan_plain(ix, p, end, l))
        return;
#endif
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *s = nl ? nl : end;
    size_t len = (size_t)(s - p);
    int want = ix->idx[KH_IX_PERSON];
    l->p = p;
    l->next = nl ? nl + 1 : end;
    l->plain = false;
    if (!nl || want < 0 || memchr(p, '"', len) || kh_ix_count(p, len, ',') + 1 != (uint32_t)ix->nhead)
        return;
    const char *fs = p, *fe;
    for (int k = 0; k < want; k++)
        fs = (const char *)memchr(fs, ',', (size_t)(s - fs)) + 1;
    fe = memchr(fs, ',', (size_t)(s - fs));
    if (!fe)
        fe = s;
    if (fe > fs && fe[-1] == '\r')
        return;                 /* let the careful split decide */
    kh_ix_field f = kh_ix_trim(fs, (uint32_t)(fe - fs));
    if (!f.n)
        return;
    l->pv = f.v;
    l->pn = f.n;
    l->key = kh_ix_keyof(f.v, f.n);
    l->plain = true;
}

/* Count an event of roster entry c.  Pass 2 finds c again rather than
 * keep it: four bytes an event were a ninth of a scoring run's peak memory. */
static void kh_ix_counted(kh_ix_share *sh, uint32_t c)
{
    sh->count[c]++;
    sh->events++;
}

/* A line pass 1 could not take plainly: split it properly. */
static bool kh_ix_count_careful(kh_ix_share *sh, const kh_ix_line *l)
{
    kh_ix *ix = sh->ix;
    kh_ix_field f[KH_IX_MAXF];
    const char *next, *rend;
    sh->ulen = 0;
    int nf = kh_ix_split(sh, l->p, ix->map + ix->size, f, &next, &rend);
    if (nf < 0 || (!kh_ix_blank(f, nf) && nf != ix->nhead)) {
        sh->bad = !sh->oom;
        return false;
    }
    if (kh_ix_blank(f, nf))
        return true;
    const kh_ix_field *pf = kh_ix_col(ix, f, KH_IX_PERSON);
    kh_ix_key key = kh_ix_keyof(pf->v, pf->n);
    kh_ix_counted(sh, kh_ix_who(ix, pf->v, pf->n, &key));
    return true;
}

void *kh_ix_pass1(void *arg)
{
    kh_ix_share *sh = arg;
    kh_ix *ix = sh->ix;
    kh_ix_line l[KH_IX_BATCH];
    const char *p = ix->map + sh->b, *end = ix->map + sh->e, *fend = ix->map + ix->size;
    sh->released = sh->populated = sh->b;
    kh_ix_release(sh, p, false);
    for (uint64_t k = 0; p < end; k++) {
        if ((k & 63) == 0 && kh_ix_stopped(sh))
            return NULL;
        int n = 0;
        for (; n < KH_IX_BATCH && p < end; p = l[n++].next) {
            kh_ix_scan(ix, p, fend, &l[n]);
            if (l[n].plain)
                kh_ix_prefetch_who(ix, &l[n].key);
        }
        uint32_t c[KH_IX_BATCH];
        for (int i = 0; i < n; i++) {
            if (l[i].plain) {
                c[i] = kh_ix_who(ix, l[i].pv, l[i].pn, &l[i].key);
                __builtin_prefetch(&sh->count[c[i]], 1);
            }
        }
        for (int i = 0; i < n; i++) {
            sh->nl += l[i].next > l[i].p && l[i].next[-1] == '\n';
            if (!l[i].plain) {
                if (!kh_ix_count_careful(sh, &l[i]))
                    goto out;
                continue;
            }
            kh_ix_counted(sh, c[i]);
        }
        kh_ix_release(sh, p, false);
    }
out:
    kh_ix_release(sh, p, true);
    kh_ix_stopped(sh);
    return NULL;
}

/* ------------------------------------------------------------ pass 2 */

static bool kh_ix_note(kh_ix_share *sh, int kind, uint32_t line, kh_span span, const char *text, uint32_t n)
{
    if (sh->nnotes[kind] >= sh->ix->o->list_max)
        return true;
    if (sh->nnotes[kind] == sh->capnotes[kind]) {
        size_t nc = sh->capnotes[kind] ? sh->capnotes[kind] * 2 : 16;
        kh_ingest_note *nv = kh_ix_realloc(sh->ix, sh->notes[kind], nc * sizeof *nv);
        if (!nv)
            return false;
        sh->notes[kind] = nv;
        sh->capnotes[kind] = nc;
    }
    const char *copy = kh_ix_keep(sh, text, n);
    if (!copy)
        return false;
    sh->notes[kind][sh->nnotes[kind]++] = (kh_ingest_note){line, span, copy};
    return true;
}

/* Room for the statistics of local item id. */
static bool kh_ix_stat_room(kh_ix_share *sh, uint32_t id)
{
    if (id < sh->stcap)
        return true;
    uint32_t cap = sh->stcap ? sh->stcap * 2 : 64;
    while (cap <= id)
        cap *= 2;
    kh_kev_item_stats *st = kh_ix_realloc(sh->ix, sh->st, cap * sizeof *st);
    if (!st)
        return false;
    sh->st = st;
    uint8_t *known = kh_ix_realloc(sh->ix, sh->known, cap);
    if (!known)
        return false;
    sh->known = known;
    memset(sh->st + sh->stcap, 0, (cap - sh->stcap) * sizeof *st);
    memset(sh->known + sh->stcap, 0, cap - sh->stcap);
    sh->stcap = cap;
    return true;
}

typedef struct kh_ix_ev {
    uint32_t c, item, level, key, person, dept, line;
    kh_span span;
    kh_dec value;
    int32_t date;
    bool pct;
    bool outside;               /* SCORE mode: outside the period (kh_ix_score_filter) */
} kh_ix_ev;

static bool kh_ix_intern(kh_ix_share *sh, const kh_ix_field *f, int col, int tab, uint32_t *id)
{
    const kh_ix_field *x = kh_ix_col(sh->ix, f, col);
    if (!x->n) {
        *id = 0;
        return true;
    }
    int64_t v = kh_ix_put(sh, &sh->tab[tab], x->v, x->n);
    if (v < 0) {
        sh->bad = v == -2;
        sh->oom = v == -1;
        return false;
    }
    *id = (uint32_t)v;
    return true;
}

static void kh_ix_stat(kh_ix_share *sh, const kh_ix_ev *e)
{
    kh_kev_stats_add(&sh->st[e->item], e->value, e->date, e->level);
    sh->nodate += e->date == INT32_MIN;
}

/* How the rules use local item id (SCORE mode); asked once per item and
 * kept as the answer + 1. */
static kh_ingest_use kh_ix_use(kh_ix_share *sh, uint32_t item)
{
    const kh_ingest_opts *o = sh->ix->o;
    if (!sh->known[item])
        sh->known[item] =
            (uint8_t)(1 + o->use(o->ctx, sh->tab[KH_KEV_S_ITEM].str[item], sh->tab[KH_KEV_S_ITEM].len[item]));
    return (kh_ingest_use)(sh->known[item] - 1);
}

/* A field whose text is not kept: it must still be text the CSV reader
 * would take as it is, or the reader declines. */
static bool kh_ix_unkept(kh_ix_share *sh, const kh_ix_field *f, int col, uint32_t *id)
{
    const kh_ix_field *x = kh_ix_col(sh->ix, f, col);
    *id = 0;
    if (x->n && !kh_ix_clean(x->v, x->n)) {
        sh->bad = true;
        return false;
    }
    return true;
}

/* The record's fields as an event (e->c set); false: decline (or out of
 * memory).  Scoring keeps an event's 编号 only when a rule reads the
 * item's events one by one. */
static bool kh_ix_event(kh_ix_share *sh, const kh_ix_field *f, kh_ix_ev *e)
{
    kh_ix *ix = sh->ix;
    bool cache = ix->o->mode == KH_INGEST_CACHE;
    e->person = e->c < ix->nent ? e->c + 1 : 0;
    /* scoring reads the roster's 部门, not the log's: e->dept stays 0 */
    if (!kh_ix_intern(sh, f, KH_IX_ITEM, KH_KEV_S_ITEM, &e->item))
        return false;
    if (!kh_ix_stat_room(sh, e->item)) {
        sh->oom = true;
        return false;
    }
    bool keys = cache || kh_ix_use(sh, e->item) == KH_INGEST_EVENTS;
    if (!kh_ix_intern(sh, f, KH_IX_LEVEL, KH_KEV_S_LEVEL, &e->level) ||
        !(keys ? kh_ix_intern(sh, f, KH_IX_KEY, KH_KEV_S_KEY, &e->key) : kh_ix_unkept(sh, f, KH_IX_KEY, &e->key)) ||
        !(cache ? kh_ix_intern(sh, f, KH_IX_DEPT, KH_KEV_S_DEPT, &e->dept) : kh_ix_unkept(sh, f, KH_IX_DEPT, &e->dept)))
        return false;
    if (e->c == ix->nent) {     /* a roster name is clean text; another may not be */
        uint32_t u;
        if (!(cache ? kh_ix_intern(sh, f, KH_IX_PERSON, KH_KEV_S_PERSON, &u) : kh_ix_unkept(sh, f, KH_IX_PERSON, &u)))
            return false;
        e->person = u ? (uint32_t)ix->nent + u : 0;
    }
    if (!kh_ix_value(kh_ix_col(ix, f, KH_IX_VALUE), &e->value, &e->pct) ||
        !kh_ix_date(sh, kh_ix_col(ix, f, KH_IX_DATE), &e->date) || !kh_ix_col(ix, f, KH_IX_ITEM)->n ||
        (!kh_ix_col(ix, f, KH_IX_PERSON)->n && !kh_ix_col(ix, f, KH_IX_DEPT)->n)) {
        sh->bad = true;
        return false;
    }
    return true;
}

/* SCORE mode: an event that will not be scored is counted (and noted);
 * returns whether it is stored.  One of a roster person outside the period
 * keeps its place as item 0 (kh_ix_store). */
static bool kh_ix_score_filter(kh_ix_share *sh, kh_ix_ev *e, const kh_ix_field *f)
{
    kh_ix *ix = sh->ix;
    const kh_ingest_opts *o = ix->o;
    if (o->has_period && e->date == INT32_MIN) {
        sh->bad = true;         /* an error the CSV reader's path reports */
        return false;
    }
    bool in = !o->has_period || (e->date >= o->lo && e->date < o->hi);
    e->outside = !in;
    if (!in) {
        sh->outside_unmatched += e->c == ix->nent;
        sh->outside_listed += e->c < ix->nent;
        return e->c < ix->nent;
    }
    const kh_ix_field *it = kh_ix_col(ix, f, KH_IX_ITEM);
    if (kh_ix_use(sh, e->item) == KH_INGEST_UNREAD) {
        sh->unknown_item++;
        if (!kh_ix_note(sh, 1, e->line, e->span, it->v, it->n))
            sh->oom = true;
        return e->c < ix->nent;
    }
    if (e->c < ix->nent)
        return true;
    const kh_ix_field *who = kh_ix_col(ix, f, KH_IX_PERSON);
    if (!who->n)
        who = kh_ix_col(ix, f, KH_IX_DEPT);
    sh->unknown_person++;
    if (!kh_ix_note(sh, 0, e->line, e->span, who->v, who->n))
        sh->oom = true;
    return false;
}

static void kh_ix_store(kh_ix_share *sh, const kh_ix_ev *e, uint32_t pos, uint64_t fileidx)
{
    kh_ix *ix = sh->ix;
    if (ix->recs) {
        ix->recs[pos] = kh_kev_rec_make(e->outside ? 0 : e->item, e->level, e->key, e->value);
        return;
    }
    ix->wide[pos] = (kh_ix_wide){e->item, e->level, e->key, e->person, e->dept, e->line, e->span.off,
                                 e->span.len, e->value, e->date, e->pct};
    ix->order[fileidx] = pos;
}

/* Pass 2's view of a line: its fields, and the person's hash. */
typedef struct kh_ix_rec {
    kh_ix_key key;              /* of the person field */
    const char *p, *next, *rend;
    kh_ix_field f[KH_IX_MAXF];
    int nf;
    uint32_t pos;
    kh_ix_ev e;
} kh_ix_rec;

/* Split a batch of lines from *p; returns how many, −1 to decline.  A
 * line with quoted text ends the batch (its text lives in the share's
 * buffer, which the next line could move). */
static int kh_ix_batch(kh_ix_share *sh, const char **p, const char *end, kh_ix_rec *r)
{
    kh_ix *ix = sh->ix;
    const char *fend = ix->map + ix->size;
    int n = 0;
    sh->ulen = 0;
    while (n < KH_IX_BATCH && *p < end && !sh->ulen) {
        kh_ix_rec *x = &r[n++];
        x->p = *p;
        x->nf = kh_ix_split(sh, *p, fend, x->f, &x->next, &x->rend);
        if (x->nf < 0) {
            sh->bad = !sh->oom;
            return -1;
        }
        *p = x->next;
        if (kh_ix_blank(x->f, x->nf))
            continue;
        if (x->nf != ix->nhead) {
            sh->bad = true;
            return -1;
        }
        const kh_ix_field *pf = kh_ix_col(ix, x->f, KH_IX_PERSON);
        x->key = kh_ix_keyof(pf->v, pf->n);
        kh_ix_prefetch_who(ix, &x->key);
    }
    return n;
}
/* Find each record's person (its roster slot is on its way since the
 * batch was split) and then its place, and start fetching that. */
static void kh_ix_places(kh_ix_share *sh, kh_ix_rec *r, int n)
{
    kh_ix *ix = sh->ix;
    bool stores_unmatched = ix->o->mode == KH_INGEST_CACHE;
    for (int i = 0; i < n; i++) {
        if (kh_ix_blank(r[i].f, r[i].nf))
            continue;
        const kh_ix_field *pf = kh_ix_col(ix, r[i].f, KH_IX_PERSON);
        r[i].e.c = kh_ix_who(ix, pf->v, pf->n, &r[i].key);
        __builtin_prefetch(&sh->count[r[i].e.c], 1);
    }
    for (int i = 0; i < n; i++) {
        if (kh_ix_blank(r[i].f, r[i].nf))
            continue;
        uint32_t c = r[i].e.c;
        sh->placed++;
        if (c < ix->nent || stores_unmatched) {
            r[i].pos = sh->count[c]++;
            if (ix->recs)
                __builtin_prefetch(&ix->recs[r[i].pos], 1);
            else
                __builtin_prefetch(&ix->wide[r[i].pos], 1);
        }
    }
}
/* Parse, count and store one record; false: stop. */
static bool kh_ix_take(kh_ix_share *sh, kh_ix_rec *x, uint64_t line, uint64_t *fileidx)
{
    kh_ix *ix = sh->ix;
    kh_ix_ev *e = &x->e;
    e->line = (uint32_t)line;
    e->span = (kh_span){(uint32_t)(x->p - ix->map - ix->bom), (uint32_t)(x->rend - x->p)};
    if (!kh_ix_event(sh, x->f, e)) {
        sh->oom |= !sh->bad;
        return false;
    }
    if (ix->o->mode == KH_INGEST_SCORE && !kh_ix_score_filter(sh, e, x->f))
        return !sh->bad && !sh->oom;
    if (ix->recs && (e->item >= KH_KEV_REC_ITEMS || e->level >= KH_KEV_REC_LEVELS)) {
        sh->bad = true;         /* more than a record can name */
        return false;
    }
    kh_ix_stat(sh, e);
    kh_ix_store(sh, e, x->pos, (*fileidx)++);
    return true;
}

void *kh_ix_pass2(void *arg)
{
    kh_ix_share *sh = arg;
    kh_ix *ix = sh->ix;
    kh_ix_rec *r = sh->recbuf;
    const char *p = ix->map + sh->b, *end = ix->map + sh->e;
    uint64_t line = sh->line0, fileidx = sh->ev0;
    sh->released = sh->populated = sh->b;
    kh_ix_release(sh, p, false);
    for (uint64_t k = 0; p < end; k++) {
        if ((k & 63) == 0 && kh_ix_stopped(sh))
            return NULL;
        int n = kh_ix_batch(sh, &p, end, r);
        if (n < 0)
            break;
        kh_ix_places(sh, r, n);
        for (int i = 0; i < n; i++, line++)
            if (!kh_ix_blank(r[i].f, r[i].nf) && !kh_ix_take(sh, &r[i], line, &fileidx))
                goto out;
        kh_ix_release(sh, p, false);
    }
    /* pass 1 counted the same records: anything else is the reader's fault */
    sh->bad |= !sh->oom && sh->placed != sh->events;
out:
    kh_ix_release(sh, p, true);
    kh_ix_stopped(sh);
    return NULL;
}

/* Each share's counts, and its tables with "" as id 0. */
bool kh_ix_counts(kh_ix *ix)
{
    for (int s = 0; s < ix->nsh; s++) {
        ix->sh[s].count = kh_calloc(ix->a, (size_t)ix->nent + 1, sizeof *ix->sh[s].count);
        if (!ix->sh[s].count)
            return false;
        for (int t = 0; t < KH_KEV_NSTRS; t++)
            if (kh_ix_put(&ix->sh[s], &ix->sh[s].tab[t], "", 0) != 0)
                return false;
        ix->sh[s].recbuf = kh_malloc(ix->a, KH_IX_BATCH * sizeof *ix->sh[s].recbuf);
        if (!ix->sh[s].recbuf)
            return false;
    }
    return true;
}
