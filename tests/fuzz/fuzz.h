/* fuzz.h — what the fuzz targets share: the input as a file the readers
 * can open by name, a sink for rendered diagnostics, and checks that turn
 * a broken invariant into a crash the fuzzer keeps.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer binary; built with gcc and driver.c
 * it replays files (the regression inputs under tests/fuzz/regress/).
 */
#ifndef KH_FUZZ_H
#define KH_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compiler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: print why and abort, so the input is kept. */
#define KH_FUZZ_ASSERT(cond)                                                        \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                \
        }                                                                           \
    } while (0)

/* The bytes as an anonymous in-memory file, named /proc/self/fd/N in path.
 * Returns the descriptor (close it when done) or −1. */
static inline int kh_fuzz_file(const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("kh-fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

/* Every diagnostic must lie inside its source and render in both
 * languages; the text goes to out (/dev/null). */
static inline void kh_fuzz_render(FILE *out, kh_diags *d)
{
    kh_diags_sort(d);
    for (size_t i = 0; i < d->n; i++) {
        const kh_diag *dg = &d->v[i];
        KH_FUZZ_ASSERT(dg->msg && dg->msg->code && dg->msg->zh && dg->msg->en);
        if (dg->src) {
            KH_FUZZ_ASSERT(dg->src->text);
            KH_FUZZ_ASSERT((size_t)dg->span.off + dg->span.len <= dg->src->len);
        }
        kh_diag_render(out, dg, KH_ZH);
        kh_diag_render(out, dg, KH_EN);
    }
    KH_FUZZ_ASSERT(!d->oom);
}

/* Split data at the first line that is exactly `mark`: the part before
 * (without its newline) and after.  False when the mark is absent. */
static inline bool kh_fuzz_split(const uint8_t *data, size_t size, const char *mark, size_t *head,
                                 const uint8_t **rest, size_t *rest_len)
{
    size_t m = strlen(mark);
    for (size_t i = 0; i + m <= size; i++) {
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, mark, m) == 0 &&
            (i + m == size || data[i + m] == '\n')) {
            *head = i ? i - 1 : 0;
            size_t after = i + m + (i + m < size);
            *rest = data + after;
            *rest_len = size - after;
            return true;
        }
    }
    return false;
}

#endif
