/* arena.c — bump allocation for the AST: a scheme's nodes live and die
 * together, so the tree is freed in one call and parse errors never leak. */
#include <string.h>

#include "parse.h"

typedef struct kh_arena_block {
    struct kh_arena_block *next;
    size_t used, cap;
    max_align_t data[];
} kh_arena_block;

void kh_arena_init(kh_arena *ar, kh_alloc *a)
{
    ar->alloc = a;
    ar->head = NULL;
    ar->failed = false;
}

void *kh_arena_alloc(kh_arena *ar, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    kh_arena_block *b = ar->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 32768 ? n : 32768;
        b = kh_malloc(ar->alloc, sizeof *b + cap);
        if (!b) {
            ar->failed = true;
            return NULL;
        }
        b->next = ar->head;
        b->used = 0;
        b->cap = cap;
        ar->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *kh_arena_strndup(kh_arena *ar, const char *s, size_t n)
{
    char *p = kh_arena_alloc(ar, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

bool kh_arena_grow(kh_arena *ar, void **v, int *n, int *cap, size_t elem)
{
    if (*n < *cap)
        return true;
    int ncap = *cap ? *cap * 2 : 4;
    void *nv = kh_arena_alloc(ar, (size_t)ncap * elem);
    if (!nv)
        return false;
    if (*n)
        memcpy(nv, *v, (size_t)*n * elem);
    *v = nv;
    *cap = ncap;
    return true;
}

void kh_arena_free(kh_arena *ar)
{
    kh_arena_block *b = ar->head;
    while (b) {
        kh_arena_block *next = b->next;
        kh_free(b);
        b = next;
    }
    ar->head = NULL;
}
