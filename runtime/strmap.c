/* strmap.c — string → dense index, open addressing with FNV-1a. */
#include <string.h>

#include "strmap.h"

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
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

static size_t find(const kh_strmap *m, const char *s, size_t len)
{
    size_t mask = m->nslots - 1, i = (size_t)hash(s, len) & mask;
    for (;;) {
        int32_t k = m->slots[i];
        if (k < 0 || (m->lens[k] == len && memcmp(m->keys[k], s, len) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

int32_t kh_strmap_get(const kh_strmap *m, const char *s, size_t len)
{
    if (!m->nslots)
        return -1;
    return m->slots[find(m, s, len)];
}

static bool rehash(kh_strmap *m, size_t nslots)
{
    int32_t *slots = kh_malloc(m->alloc, nslots * sizeof *slots);
    if (!slots)
        return false;
    memset(slots, 0xff, nslots * sizeof *slots);
    kh_free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    for (size_t k = 0; k < m->n; k++)
        m->slots[find(m, m->keys[k], m->lens[k])] = (int32_t)k;
    return true;
}

int32_t kh_strmap_put(kh_strmap *m, const char *s, size_t len)
{
    if (m->n * 2 >= m->nslots && !rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
    size_t i = find(m, s, len);
    if (m->slots[i] >= 0)
        return m->slots[i];
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        const char **keys = kh_realloc(m->alloc, (void *)m->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        m->keys = keys;
        uint32_t *lens = kh_realloc(m->alloc, m->lens, cap * sizeof *lens);
        if (!lens)
            return -1;
        m->lens = lens;
        m->cap = cap;
    }
    m->keys[m->n] = s;
    m->lens[m->n] = (uint32_t)len;
    m->slots[i] = (int32_t)m->n;
    return (int32_t)m->n++;
}
