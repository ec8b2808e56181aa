/* strmap.h — interning strings to dense integers (internal to runtime/). */
#ifndef KH_STRMAP_H
#define KH_STRMAP_H

#include "lang.h"

typedef struct kh_strmap {
    kh_alloc *alloc;
    const char **keys;        /* borrowed: callers keep the strings alive */
    uint32_t *lens;
    int32_t *slots;           /* open addressing: index into keys, −1 empty */
    size_t n, cap, nslots;
} kh_strmap;

void kh_strmap_init(kh_strmap *m, kh_alloc *a);
void kh_strmap_free(kh_strmap *m);
/* Index of s, or −1. */
int32_t kh_strmap_get(const kh_strmap *m, const char *s, size_t len);
/* Index of s, adding it when new; −1 only when memory runs out. */
int32_t kh_strmap_put(kh_strmap *m, const char *s, size_t len);

#endif
