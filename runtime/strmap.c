/* strmap.c — string → dense index, open addressing over a word-at-a-time
 * hash.  Each slot keeps its key's hash, so a probe reads a key's bytes
 * only when the hashes agree: one memory access per lookup, mostly. */
#include <string.h>

#include "strmap.h"

#define KH_STRMAP_K 0x9E3779B97F4A7C15ULL

static uint64_t kh_strmap_mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * KH_STRMAP_K;
    return h ^ (h >> 32);
}

/* The last 1..7 bytes of s[0..len), as one word; every byte counts. */
static uint64_t kh_strmap_tail(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t w;
    uint32_t lo, hi;
    if (len >= 8) {
        memcpy(&w, s + len - 8, 8);
        return w;
    }
    if (len >= 4) {
        memcpy(&lo, s, 4);
        memcpy(&hi, s + len - 4, 4);
        return lo | (uint64_t)hi << 32;
    }
    return u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16;
}

uint64_t kh_strmap_hash(const char *s, size_t len)
{
    uint64_t h = (len + 1) * KH_STRMAP_K, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        h = kh_strmap_mix(h, w);
    }
    if (i < len)
        h = kh_strmap_mix(h, kh_strmap_tail(s, len));
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

void kh_strmap_init(kh_strmap *m, kh_alloc *a)
{
    memset(m, 0, sizeof *m);
    m->alloc = a;
}

void kh_strmap_free(kh_strmap *m)
{
    kh_free(m->keys);
    kh_free(m->lens);
    kh_free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Slot of s (hash h), or the empty slot where it belongs. */
static size_t kh_strmap_find(const kh_strmap *m, const char *s, size_t len, uint32_t h)
{
    size_t mask = m->nslots - 1, i = h & mask;
    for (;;) {
        const kh_strmap_slot *x = &m->slots[i];
        if (x->k < 0 || (x->hash == h && m->lens[x->k] == len && memcmp(m->keys[x->k], s, len) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

int32_t kh_strmap_get(const kh_strmap *m, const char *s, size_t len)
{
    if (!m->nslots)
        return -1;
    return m->slots[kh_strmap_find(m, s, len, (uint32_t)kh_strmap_hash(s, len))].k;
}

/* A table of nslots slots holding the keys there are; the keys are
 * distinct, so only their hashes are needed to place them. */
static bool kh_strmap_rehash(kh_strmap *m, size_t nslots)
{
    kh_strmap_slot *slots = kh_malloc_big(m->alloc, nslots * sizeof *slots);
    if (!slots)
        return false;
    memset(slots, 0xff, nslots * sizeof *slots);
    for (size_t i = 0; i < m->nslots; i++) {
        if (m->slots[i].k < 0)
            continue;
        size_t j = m->slots[i].hash & (nslots - 1);
        while (slots[j].k >= 0)
            j = (j + 1) & (nslots - 1);
        slots[j] = m->slots[i];
    }
    kh_free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return true;
}

/* Room for cap keys in keys and lens. */
static bool kh_strmap_grow_keys(kh_strmap *m, size_t cap)
{
    const char **keys = kh_realloc(m->alloc, (void *)m->keys, cap * sizeof *keys);
    if (!keys)
        return false;
    m->keys = keys;
    uint32_t *lens = kh_realloc(m->alloc, m->lens, cap * sizeof *lens);
    if (!lens)
        return false;
    m->lens = lens;
    m->cap = cap;
    return true;
}

bool kh_strmap_reserve(kh_strmap *m, size_t n)
{
    size_t nslots = m->nslots ? m->nslots : 64;
    if (n > (size_t)INT32_MAX)
        return false;
    while (nslots <= 2 * n)
        nslots *= 2;
    if (nslots > m->nslots && !kh_strmap_rehash(m, nslots))
        return false;
    return n <= m->cap || kh_strmap_grow_keys(m, n);
}

int32_t kh_strmap_put(kh_strmap *m, const char *s, size_t len)
{
    if (m->n * 2 >= m->nslots && !kh_strmap_rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
    uint32_t h = (uint32_t)kh_strmap_hash(s, len);
    size_t i = kh_strmap_find(m, s, len, h);
    if (m->slots[i].k >= 0)
        return m->slots[i].k;
    if (m->n == m->cap && !kh_strmap_grow_keys(m, m->cap ? m->cap * 2 : 32))
        return -1;
    m->keys[m->n] = s;
    m->lens[m->n] = (uint32_t)len;
    m->slots[i] = (kh_strmap_slot){(int32_t)m->n, h};
    return (int32_t)m->n++;
}
