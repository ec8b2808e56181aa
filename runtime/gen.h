/* gen.h — synthetic event logs and rosters drawn from a scheme (internal
 * to runtime/), for benchmarks and tests. */
#ifndef KH_GEN_H
#define KH_GEN_H

#include "../compiler/compiler.h"

typedef struct kh_gen_opts {
    uint64_t persons;           /* roster size, ≥ 1 */
    uint64_t events;            /* event rows, exactly */
    uint64_t seed;
    int year;                   /* dates fall in this year; 0: 2023 */
    const char *events_path;
    const char *roster_path;    /* NULL: no roster written */
} kh_gen_opts;

/* Write the event log (and the roster).  The same options give the same
 * bytes on every machine.  Returns false with a diagnostic when a file
 * cannot be written or memory runs out. */
bool kh_gen(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_gen_opts *o);

/* The name of roster entry i (unique for every i). */
void kh_gen_person_name(uint64_t i, char *buf, size_t cap);

#endif
