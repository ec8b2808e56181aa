/* test_gen.c — `kaohe gen`: synthetic logs are deterministic, exactly as
 * long as asked, drawn from the scheme's own items and levels, skewed
 * across people, and score without a single rejected row. */
#include <sys/stat.h>

#include "helpers.h"
#include "gen.h"

static const char *const gen_scheme =
    "考核方案：测试方案\n"
    "考核对象：个人\n"
    "满分：100分\n"
    "\n"
    "一、日常工作（基本分20分）\n"
    "  1. 迟到：每次扣1分\n"
    "  2. 述职：评分，满分10分\n"
    "二、加分项（加分不超过10分）\n"
    "  1. 获得表彰：国家级奖10分、省级奖8分、市级奖5分；同项内容按最高级别加分一次，不重复加分\n";

typedef struct gen_fx {
    kh_fixture f;
    char dir[64], ev[128], ro[128];
} gen_fx;

static void gen_fx_run(gen_fx *g, uint64_t persons, uint64_t events, uint64_t seed)
{
    kh_fx_lower(&g->f, gen_scheme);
    strcpy(g->dir, "/tmp/kh-gen-XXXXXX");
    cr_assert_not_null(mkdtemp(g->dir));
    snprintf(g->ev, sizeof g->ev, "%s/events.csv", g->dir);
    snprintf(g->ro, sizeof g->ro, "%s/roster.csv", g->dir);
    kh_gen_opts o = {persons, events, seed, 2023, g->ev, g->ro};
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_gen(NULL, &d, g->f.ir, &o));
    cr_assert_eq(d.n, 0);
    kh_diags_free(&d);
}

static void gen_fx_free(gen_fx *g)
{
    unlink(g->ev);
    unlink(g->ro);
    rmdir(g->dir);
    kh_fx_free(&g->f);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = 0;
    fclose(f);
    *n = (size_t)len;
    return buf;
}

Test(gen, same_seed_writes_the_same_bytes)
{
    gen_fx a, b;
    gen_fx_run(&a, 50, 2000, 7);
    gen_fx_run(&b, 50, 2000, 7);
    size_t na, nb, ra, rb;
    char *ta = slurp(a.ev, &na), *tb = slurp(b.ev, &nb);
    char *sa = slurp(a.ro, &ra), *sb = slurp(b.ro, &rb);
    cr_assert_eq(na, nb);
    cr_assert(memcmp(ta, tb, na) == 0);
    cr_assert_eq(ra, rb);
    cr_assert(memcmp(sa, sb, ra) == 0);
    free(ta), free(tb), free(sa), free(sb);
    gen_fx_free(&a);
    gen_fx_free(&b);
}

Test(gen, another_seed_writes_another_log)
{
    gen_fx a, b;
    gen_fx_run(&a, 50, 2000, 7);
    gen_fx_run(&b, 50, 2000, 8);
    size_t na, nb;
    char *ta = slurp(a.ev, &na), *tb = slurp(b.ev, &nb);
    cr_assert(na != nb || memcmp(ta, tb, na) != 0);
    free(ta), free(tb);
    gen_fx_free(&a);
    gen_fx_free(&b);
}

Test(gen, rows_items_levels_and_dates_are_the_schemes)
{
    gen_fx g;
    gen_fx_run(&g, 40, 3000, 1);
    kh_eventlog log;
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert(kh_eventlog_read(NULL, &d, g.ev, NULL, &log));
    cr_assert_eq(d.nerrors, 0);
    cr_assert_eq(log.n, 3000, "exactly the rows asked for");
    int32_t jan1, dec31;
    cr_assert(kh_csv_parse_date("2023-01-01", 10, &jan1));
    cr_assert(kh_csv_parse_date("2023-12-31", 10, &dec31));
    cr_assert_eq(log.ev[0].date, jan1);
    cr_assert_eq(log.ev[log.n - 1].date, dec31);
    size_t awards = 0, repeats = 0;
    for (size_t i = 0; i < log.n; i++) {
        const kh_raw_event *e = &log.ev[i];
        bool award = strcmp(e->item, "获得表彰") == 0;
        cr_assert(award || strcmp(e->item, "迟到") == 0 || strcmp(e->item, "述职") == 0, "item %s", e->item);
        if (i)
            cr_assert_geq(e->date, log.ev[i - 1].date, "dates run through the year");
        if (award) {
            awards++;
            cr_assert(strcmp(e->level, "国家级") == 0 || strcmp(e->level, "省级") == 0 ||
                      strcmp(e->level, "市级") == 0, "level %s", e->level);
            cr_assert(e->key[0]);
            if (i && strcmp(e->key, log.ev[i - 1].key) == 0) {
                repeats++;
                cr_assert_str_eq(e->person, log.ev[i - 1].person);
                cr_assert_str_neq(e->level, log.ev[i - 1].level, "a repeat comes at another level");
            }
        } else {
            cr_assert_str_eq(e->level, "");
        }
        if (strcmp(e->item, "述职") == 0)
            cr_assert(e->value >= 0 && e->value <= 10 * KH_DEC_ONE);
    }
    cr_assert_gt(awards, 0);
    cr_assert_gt(repeats, 0, "some 编号 come back at another level");
    kh_eventlog_free(&log);
    kh_diags_free(&d);
    gen_fx_free(&g);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

Test(gen, most_people_few_events_a_few_many)
{
    gen_fx g;
    gen_fx_run(&g, 1000, 100000, 3);
    kh_fixture *f = &g.f;
    kh_score_opts o = {0};
    o.events = g.ev;
    o.roster = g.ro;
    o.engine = KH_ENGINE_INTERP;
    o.detail = true;            /* keep the grouped events to count them */
    kh_scored sc;
    cr_assert(kh_score(NULL, &f->d, f->ir, &o, &sc));
    cr_assert_eq(sc.nent, 1000);
    cr_assert_eq(sc.counted, 100000, "every generated row is scored");
    cr_assert_eq(sc.unknown_person + sc.unknown_item + sc.rejected + sc.outside_period, 0);
    size_t *per = calloc(sc.nent, sizeof *per);
    for (size_t i = 0; i < sc.nent; i++)
        per[i] = sc.first[i + 1] - sc.first[i];
    qsort(per, sc.nent, sizeof *per, cmp_size);
    size_t mean = sc.nev / sc.nent;
    cr_assert_lt(per[sc.nent / 2], mean, "the median person has fewer events than the mean");
    cr_assert_gt(per[sc.nent - 1], 5 * mean, "the busiest person has many times the mean");
    free(per);
    kh_scored_free(&sc);
    gen_fx_free(&g);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

Test(gen, person_names_are_unique)
{
    enum { N = 200000, W = 24 };
    char(*names)[W] = malloc((size_t)N * W);
    for (uint64_t i = 0; i < N; i++)
        kh_gen_person_name(i, names[i], W);
    qsort(names, N, W, cmp_name);
    for (size_t i = 1; i < N; i++)
        cr_assert_str_neq(names[i - 1], names[i]);
    free(names);
}

Test(gen, unwritable_path_is_a_diagnostic)
{
    kh_fixture f;
    kh_fx_lower(&f, gen_scheme);
    kh_gen_opts o = {10, 10, 1, 2023, "/nonexistent-dir/e.csv", NULL};
    kh_diags d;
    kh_diags_init(&d, NULL);
    cr_assert_not(kh_gen(NULL, &d, f.ir, &o));
    cr_assert_eq(d.nerrors, 1);
    cr_assert_str_eq(d.v[0].msg->code, "G001");
    kh_diags_free(&d);
    kh_fx_free(&f);
}
