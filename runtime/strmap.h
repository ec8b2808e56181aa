/* strmap.h — interning strings to dense integers (internal to runtime/). */
#ifndef KH_STRMAP_H
#define KH_STRMAP_H

#include "lang.h"

/* A slot of the open-addressing table: the key's index (−1 when empty) and
 * its hash, compared before the key's bytes are. */
typedef struct kh_strmap_slot {
    int32_t k;
    uint32_t hash;
} kh_strmap_slot;

typedef struct kh_strmap {
    kh_alloc *alloc;
    const char **keys;        /* borrowed: callers keep the strings alive */
    uint32_t *lens;
    kh_strmap_slot *slots;    /* at most half full */
    size_t n, cap, nslots;
} kh_strmap;

void kh_strmap_init(kh_strmap *m, kh_alloc *a);
void kh_strmap_free(kh_strmap *m);
/* Room for n keys in all, so that adding them allocates nothing more;
 * false when memory runs out (the map is unchanged and still usable). */
bool kh_strmap_reserve(kh_strmap *m, size_t n);
/* Index of s, or −1. */
int32_t kh_strmap_get(const kh_strmap *m, const char *s, size_t len);
/* Index of s, adding it when new; −1 only when memory runs out. */
int32_t kh_strmap_put(kh_strmap *m, const char *s, size_t len);

/* The hash the map uses, for tables of strings kept elsewhere: reads
 * s[0..len) only, eight bytes at a time. */
uint64_t kh_strmap_hash(const char *s, size_t len);

#endif
