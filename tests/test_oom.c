/* test_oom.c — allocation failures, the SQLite way: run a command once to
 * count its allocations, then again with the 1st failing, the 2nd, … until
 * a run makes fewer allocations than the one it was told to fail.
 *
 * Every run must either come out exactly as the run without failures
 * (the failure was absorbed, e.g. a line index that is only a speed-up)
 * or end with exit code 3 and a clear "内存不足" message and print no
 * results; and it must give back every byte it took.
 *
 * The commands go through kh_cli_run with the allocator of kh_cli, in
 * this process, with stdout and stderr captured.  `make test` runs the
 * loop over the bad-input fixture scheme and one example; `make oom`
 * (KH_OOM_ALL=1) over check, lint, score and explain of every example.
 */
#include <criterion/criterion.h>
#include <malloc.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

extern char **environ;

/* Bytes in use: from the sanitizer's allocator when there is one, else
 * from glibc's (exact only with its per-thread cache off: see below). */
extern size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

/* glibc counts blocks parked in its per-thread cache as in use, and the
 * cache can only be turned off when a process starts.  So, unless a
 * sanitizer counts for us, a test reruns itself in a fresh process of
 * this binary with the cache off.  True when it did (and passed). */
static bool kh_oom_delegate(const char *test)
{
    if (__sanitizer_get_current_allocated_bytes || getenv("KH_OOM_CHILD"))
        return false;
    char filter[128];
    snprintf(filter, sizeof filter, "oom/%s", test);
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 3, sizeof *env);
    cr_assert_not_null(env);
    /* leave out the variables that make a test binary a worker of its parent */
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "BXFI_", 5) != 0 && strncmp(environ[i], "IS_SANDBOX=", 11) != 0)
            env[k++] = environ[i];
    env[k++] = "GLIBC_TUNABLES=glibc.malloc.tcache_count=0";
    env[k++] = "KH_OOM_CHILD=1";
    char *argv[] = {"unit", "--filter", filter, "--jobs", "1", "--short-filename", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, env);
    free(env);
    cr_assert_eq(rc, 0, "cannot rerun the test binary");
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed in its own process (see above)", filter);
    return true;
}

static size_t kh_oom_in_use(void)
{
    if (__sanitizer_get_current_allocated_bytes)
        return __sanitizer_get_current_allocated_bytes();
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

typedef struct kh_oom_run {
    int rc;
    long count;          /* allocations the run asked for */
    char *out, *err;
    size_t outlen, errlen;
} kh_oom_run;

static void kh_oom_exec(kh_oom_run *r, const char *const *args, long fail_at)
{
    char *argv[32];
    int argc = 0;
    while (args[argc] && argc < 31) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    kh_cli cli;
    kh_cli_init(&cli);
    cli.alloc.fail_at = fail_at;
    cli.out = open_memstream(&r->out, &r->outlen);
    cli.err = open_memstream(&r->err, &r->errlen);
    cr_assert(cli.out && cli.err);
    r->rc = kh_cli_run(&cli, argc, argv);
    fclose(cli.out);
    fclose(cli.err);
    r->count = cli.alloc.count;
}

static void kh_oom_free(kh_oom_run *r)
{
    free(r->out);
    free(r->err);
}

static bool kh_oom_same(const kh_oom_run *a, const kh_oom_run *b)
{
    return a->rc == b->rc && a->outlen == b->outlen && a->errlen == b->errlen &&
           memcmp(a->out, b->out, a->outlen) == 0 && memcmp(a->err, b->err, a->errlen) == 0;
}

/* What a command line is, for messages. */
static void kh_oom_name(const char *const *args, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; args[i] && n + 1 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "", args[i]);
}

/* Fail allocation 1, 2, … of the command; returns how many runs it took. */
static long kh_oom_loop(const char *const *args)
{
    char name[512];
    kh_oom_name(args, name, sizeof name);
    kh_oom_run base;
    kh_oom_exec(&base, args, 0);          /* also warms up what libc keeps */
    cr_assert_neq(base.rc, KH_EXIT_INTERNAL, "%s fails without any allocation failure:\n%s", name, base.err);
    cr_assert_gt(base.count, 0, "%s allocates nothing through kh_alloc", name);
    long n;
    for (n = 1;; n++) {
        size_t before = kh_oom_in_use();
        kh_oom_run r;
        kh_oom_exec(&r, args, n);
        bool hit = r.count >= n;
        if (!hit || kh_oom_same(&r, &base)) {
            cr_assert(kh_oom_same(&r, &base), "%s: allocation %ld: the run differs from the one without failures",
                      name, n);
        } else {
            cr_assert_eq(r.rc, KH_EXIT_INTERNAL, "%s: allocation %ld failed: exit %d, expected 3\n%.3000s", name, n,
                         r.rc, r.err);
            cr_assert_not_null(strstr(r.err, "内存不足"), "%s: allocation %ld failed without saying so:\n%.3000s", name,
                               n, r.err);
            if (strcmp(args[0], "score") == 0 || strcmp(args[0], "explain") == 0)
                cr_assert_eq(r.outlen, 0, "%s: allocation %ld failed but results were printed", name, n);
        }
        kh_oom_free(&r);
        size_t after = kh_oom_in_use();
        cr_assert_eq(after, before, "%s: allocation %ld failed and %zd bytes were not freed", name, n,
                     (ssize_t)(after - before));
        if (!hit)
            break;
    }
    kh_oom_free(&base);
    return n;
}

/* ------------------------------------------------------------ fixtures */

#define BAD "tests/data/bad/"

Test(oom, check_of_a_clean_scheme)
{
    if (kh_oom_delegate("check_of_a_clean_scheme"))
        return;
    kh_oom_loop((const char *[]){"check", BAD "scheme.kh", NULL});
}

Test(oom, lint_of_a_clean_scheme)
{
    if (kh_oom_delegate("lint_of_a_clean_scheme"))
        return;
    kh_oom_loop((const char *[]){"lint", BAD "scheme.kh", NULL});
}

Test(oom, score_with_every_format, .timeout = 120)
{
    if (kh_oom_delegate("score_with_every_format"))
        return;
    static const char *const fmts[] = {"table", "csv", "json"};
    for (int i = 0; i < 3; i++)
        kh_oom_loop((const char *[]){"score", BAD "scheme.kh", "--events", BAD "events.csv", "--roster",
                                     BAD "roster.csv", "--format", fmts[i], NULL});
}

Test(oom, score_of_gb18030_files_with_rejected_rows, .timeout = 120)
{
    if (kh_oom_delegate("score_of_gb18030_files_with_rejected_rows"))
        return;
    kh_oom_loop((const char *[]){"score", BAD "scheme.kh", "--events", BAD "events_gb18030.csv", "--roster",
                                 BAD "roster_gb18030.csv", NULL});
    kh_oom_loop((const char *[]){"score", BAD "scheme.kh", "--events", BAD "unterminated_quote.csv", "--roster",
                                 BAD "roster_twice.csv", NULL});
}

Test(oom, explain_one_person, .timeout = 120)
{
    if (kh_oom_delegate("explain_one_person"))
        return;
    kh_oom_loop((const char *[]){"explain", BAD "scheme.kh", "--events", BAD "events.csv", "--roster",
                                 BAD "roster.csv", "--person", "李四", NULL});
}

Test(oom, check_and_lint_of_a_seed_with_mistakes, .timeout = 120)
{
    if (kh_oom_delegate("check_and_lint_of_a_seed_with_mistakes"))
        return;
    kh_oom_loop((const char *[]){"check", "examples/002-lianghua/scheme.kh", NULL});
    kh_oom_loop((const char *[]){"lint", "examples/002-lianghua/scheme.kh", "--format", "json", NULL});
}

/* ------------------------------------------------- every example (make oom) */

/* Does the scheme score units (考核对象：单位)? */
static bool kh_oom_units(const char *scheme)
{
    FILE *f = fopen(scheme, "r");
    cr_assert_not_null(f);
    char line[1024];
    bool units = false;
    while (fgets(line, sizeof line, f))
        units = units || strstr(line, "考核对象：单位") || strstr(line, "考核對象：單位");
    fclose(f);
    return units;
}

/* The first person of a roster, or their unit (the roster's second
 * column) when the scheme scores units. */
static void kh_oom_first(const char *scheme, const char *roster, char *buf, size_t cap)
{
    FILE *f = fopen(roster, "r");
    cr_assert_not_null(f);
    char line[512];
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_assert_not_null(fgets(line, sizeof line, f));
    fclose(f);
    char *field = line;
    if (kh_oom_units(scheme))
        field += strcspn(field, ",") + 1;
    field[strcspn(field, ",\r\n")] = '\0';
    snprintf(buf, cap, "%s", field);
}

Test(oom, every_example_every_command, .timeout = 3600)
{
    const char *all = getenv("KH_OOM_ALL");
    if (!all || strcmp(all, "1") != 0)
        cr_skip_test("runs under make oom (KH_OOM_ALL=1)");
    if (kh_oom_delegate("every_example_every_command"))
        return;
    static const char *const ex[] = {
        "000-wuge-bumen", "000-wuge-geren", "001-gangwei-mubiao", "002-lianghua", "003-anjian-jichu",
        "003-dangan-mubiao", "003-minzheng-xuanchuan", "003-tongji-jiceng", "003-xuexixing-jiguan",
        "004-jibengong",
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        char s[128], e[128], r[128], who[512];
        snprintf(s, sizeof s, "examples/%s/scheme.kh", ex[i]);
        snprintf(e, sizeof e, "examples/%s/events.csv", ex[i]);
        snprintf(r, sizeof r, "examples/%s/roster.csv", ex[i]);
        kh_oom_first(s, r, who, sizeof who);
        long runs = kh_oom_loop((const char *[]){"check", s, NULL});
        runs += kh_oom_loop((const char *[]){"lint", s, NULL});
        runs += kh_oom_loop((const char *[]){"score", s, "--events", e, "--roster", r, "--allow-errors", NULL});
        runs += kh_oom_loop((const char *[]){"explain", s, "--events", e, "--roster", r, "--allow-errors",
                                             "--person", who, NULL});
        printf("  oom %-24s %ld runs\n", ex[i], runs);
    }
}
