/* fuzz_jit.c — scheme → IR → native code on arbitrary rule files.
 *
 * The scheme is lowered as `score --allow-errors` does (its broken clauses
 * reported and left out), compiled with libgccjit
 * (no on-disk cache) and run over a few made-up entities whose events are
 * derived from the input bytes, next to the reference interpreter.  The
 * native engine must compile every valid IR and agree with the
 * interpreter on every output slot, byte for byte. */
#include <signal.h>

#include "fuzz.h"

enum { KH_FUZZ_ENTITIES = 4, KH_FUZZ_MAX_INS = 3000, KH_FUZZ_MAX_EV = 4096 };

/* FNV-1a of the input: the seed for the made-up events. */
static uint64_t kh_fuzz_hash(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t kh_fuzz_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Values an event log may carry: counts, rates, scores, word counts. */
static kh_dec kh_fuzz_value(uint64_t r)
{
    static const kh_dec v[] = {0, 1000, 2000, 500, 3000, 75000, 80000, 100000, 10000000, 20000000, 1, 999};
    return v[r % (sizeof v / sizeof v[0])];
}

/* Events of entity e, sorted by measure, then key, then member. */
static int64_t kh_fuzz_events(const kh_ir *ir, uint64_t *s, int e, kh_event *ev, int64_t cap)
{
    int64_t n = 0;
    for (int32_t m = 0; m < ir->nmeasures; m++) {
        int k = (int)(kh_fuzz_next(s) % 4);
        for (int j = 0; j < k && n < cap; j++) {
            kh_event *x = &ev[n++];
            memset(x, 0, sizeof *x);
            x->measure = m;
            x->key = j == 0 ? -1 : j < 3 ? 0 : j;
            x->member = e + j;
            x->value = kh_fuzz_value(kh_fuzz_next(s));
            x->level = ir->nlevels ? (int32_t)(kh_fuzz_next(s) % (uint64_t)(ir->nlevels + 1)) - 1 : -1;
            x->line = (uint32_t)(n + 1);
            x->date = INT32_MIN;
        }
    }
    return n;
}

static void kh_fuzz_compare(const kh_ir *ir, uint64_t seed)
{
    kh_jit_opts o = {1, "", false};
    char err[512];
    /* libFuzzer's timeout alarm would interrupt the wait for the assembler
     * inside libgccjit, whose driver then exits the process; the alarm is
     * held back until the compile is done. */
    sigset_t alarm, old;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alarm, &old);
    kh_jit *j = kh_jit_compile(ir, &o, NULL, err, sizeof err);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (!j)
        fprintf(stderr, "native compilation failed: %s\n", err);
    KH_FUZZ_ASSERT(j != NULL && kh_jit_fn(j) != NULL);
    kh_entity_fn fn = kh_jit_fn(j);
    size_t nc = (size_t)ir->ncols + 1;
    kh_dec *regs = calloc((size_t)ir->nins + 1, sizeof *regs);
    kh_dec *a = calloc(nc, sizeof *a), *b = calloc(nc, sizeof *b);
    kh_event *ev = calloc(KH_FUZZ_MAX_EV, sizeof *ev);
    KH_FUZZ_ASSERT(regs && a && b && ev);
    for (int e = 0; e < KH_FUZZ_ENTITIES; e++) {
        kh_entity_in in = {ev, kh_fuzz_events(ir, &seed, e, ev, KH_FUZZ_MAX_EV), 0, 0, 0, NULL};
        in.role = (int32_t)(e % (ir->nroles + 1));
        in.unit = (int32_t)(e % (ir->nunits + 1));
        in.size = (kh_dec)(e + 1) * KH_DEC_ONE;
        memset(a, 0x5a, nc * sizeof *a);
        memset(b, 0x5a, nc * sizeof *b);
        kh_interp(ir, &in, regs, a);
        fn(&in, b);
        for (int32_t c = 0; c < ir->ncols; c++) {
            if (a[c] != b[c])
                fprintf(stderr, "entity %d slot %d: interp %lld, jit %lld\n", e, (int)c, (long long)a[c],
                        (long long)b[c]);
            KH_FUZZ_ASSERT(a[c] == b[c]);
        }
    }
    free(ev);
    free(a);
    free(b);
    free(regs);
    kh_jit_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = kh_fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_source src;
    if (kh_source_load(NULL, &d, path, &src)) {
        kh_scheme *s = kh_parse(NULL, &d, &src);
        KH_FUZZ_ASSERT(s != NULL);
        kh_check(NULL, &d, s);
        for (size_t i = 0; i < d.n; i++)
            d.v[i].sev = KH_WARNING;
        d.nerrors = 0;
        kh_ir *ir = kh_lower(NULL, &d, s);
        if (ir && ir->nins <= KH_FUZZ_MAX_INS)
            kh_fuzz_compare(ir, kh_fuzz_hash(data, size) | 1);
        kh_ir_free(ir);
        kh_scheme_free(s);
        kh_source_free(&src);
    }
    kh_diags_free(&d);
    close(fd);
    return 0;
}
