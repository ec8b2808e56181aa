/* alloc.c — the allocation wrappers every module uses.
 *
 * A kh_alloc counts allocations so that a test can make the Nth one fail
 * and check that the caller reports the failure without crashing or
 * leaking.  A NULL kh_alloc means plain allocation without counting.
 */
#include "lang.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Count one allocation; false when this one is to fail. */
static bool kh_alloc_tick(kh_alloc *a)
{
    if (!a)
        return true;
    a->count++;
    return a->fail_at == 0 || a->count != a->fail_at;
}

void *kh_malloc(kh_alloc *a, size_t n)
{
    if (!kh_alloc_tick(a))
        return NULL;
    return malloc(n ? n : 1);
}

void *kh_calloc(kh_alloc *a, size_t n, size_t size)
{
    if (!kh_alloc_tick(a))
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

void *kh_realloc(kh_alloc *a, void *p, size_t n)
{
    if (!kh_alloc_tick(a))
        return NULL;
    return realloc(p, n ? n : 1);
}

char *kh_strndup(kh_alloc *a, const char *s, size_t n)
{
    size_t len = 0;
    while (len < n && s[len])
        len++;
    char *r = kh_malloc(a, len + 1);
    if (!r)
        return NULL;
    memcpy(r, s, len);
    r[len] = '\0';
    return r;
}

void kh_free(void *p)
{
    free(p);
}

/* Ask for huge pages under [p, p + n) and have it mapped now.  Both are
 * hints: where the kernel lacks them the memory faults in as usual. */
static void kh_alloc_ready(void *p, size_t n)
{
    const uintptr_t huge = (uintptr_t)1 << 21;
    if (!p || n < ((size_t)8 << 20))
        return;
    uintptr_t b = ((uintptr_t)p + huge - 1) & ~(huge - 1), e = ((uintptr_t)p + n) & ~(huge - 1);
    if (e <= b)
        return;
#ifdef MADV_HUGEPAGE
    madvise((void *)b, e - b, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
    madvise((void *)b, e - b, MADV_POPULATE_WRITE);
#endif
}

void *kh_malloc_big(kh_alloc *a, size_t n)
{
    void *p = kh_malloc(a, n);
    kh_alloc_ready(p, n);
    return p;
}

void *kh_calloc_big(kh_alloc *a, size_t n, size_t size)
{
    void *p = kh_calloc(a, n, size);
    if (p && n && size <= SIZE_MAX / n)
        kh_alloc_ready(p, n * size);
    return p;
}
