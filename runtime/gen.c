/* gen.c — `kaohe gen`: a synthetic event log and roster drawn from a
 * scheme's own items and levels, for benchmarks and tests.
 *
 * The log looks like a year of exports: one row per event, dates running
 * through the year, most people with few events and a few with many, award
 * items with their levels and a 编号 that now and then comes back at another
 * level (the same award reported twice).  Evaluator items get scores inside
 * their range.  Everything follows from the options: a counter-based
 * generator (splitmix64) seeded by --seed, integer arithmetic only, so the
 * same options write the same bytes on any machine.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "gen.h"
#include "outfile.h"

static const kh_msg m_gen_write = {"G001", "无法写入「%1」：%2", "cannot write 「%1」: %2", NULL, NULL};
static const kh_msg m_gen_nomem = {"G002", "内存不足，无法生成数据", "out of memory generating data", NULL, NULL};
static const kh_msg m_gen_noitem = {"G003", "规则中没有任何考核项，无法生成事件",
                                    "the scheme reads no item; no event can be generated", NULL, NULL};

/* ------------------------------------------------------------ random */

typedef struct kh_gen_rng {
    uint64_t s;
} kh_gen_rng;

static uint64_t kh_gen_next(kh_gen_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n ≥ 1 (multiply-shift; the bias is below 2^-32). */
static uint64_t kh_gen_below(kh_gen_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)kh_gen_next(r) * n) >> 64);
}

/* ------------------------------------------------------------- names */

static const char *const kh_gen_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈"};
static const char *const kh_gen_given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "力", "鹏", "燕", "红",
    "峰", "波", "宁", "斌", "凯", "晓", "亮", "琳", "欣", "颖", "婷", "雪", "慧", "珊", "玲", "丹",
    "宇", "浩", "凡", "博", "志", "鑫", "海", "荣", "新", "春", "梅", "兰"};
#define KH_GEN_NS (sizeof kh_gen_surnames / sizeof *kh_gen_surnames)
#define KH_GEN_NG (sizeof kh_gen_given / sizeof *kh_gen_given)

void kh_gen_person_name(uint64_t i, char *buf, size_t cap)
{
    uint64_t per = KH_GEN_NS * KH_GEN_NG * KH_GEN_NG;
    uint64_t j = i % per * 7919u % per;     /* 7919 is prime to per: a bijection */
    const char *s = kh_gen_surnames[j % KH_GEN_NS];
    const char *g1 = kh_gen_given[(j / KH_GEN_NS) % KH_GEN_NG];
    const char *g2 = kh_gen_given[(j / (KH_GEN_NS * KH_GEN_NG)) % KH_GEN_NG];
    if (i < per)
        snprintf(buf, cap, "%s%s%s", s, g1, g2);
    else
        snprintf(buf, cap, "%s%s%s%llu", s, g1, g2, (unsigned long long)(i / per));
}

/* ------------------------------------------------------------ writer */

/* A buffered file writer that remembers the first error. */
typedef struct kh_gen_out {
    kh_outfile file;
    FILE *f;
    const char *path;
    char buf[1 << 16];
    size_t n;
    int err;
} kh_gen_out;

static void kh_gen_flush(kh_gen_out *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->f) != w->n)
        w->err = errno ? errno : EIO;
    w->n = 0;
}

static void kh_gen_put(kh_gen_out *w, const char *s, size_t len)
{
    if (w->n + len > sizeof w->buf)
        kh_gen_flush(w);
    if (len > sizeof w->buf) {
        if (!w->err && fwrite(s, 1, len, w->f) != len)
            w->err = errno ? errno : EIO;
        return;
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
}

static void kh_gen_puts(kh_gen_out *w, const char *s)
{
    kh_gen_put(w, s, strlen(s));
}

/* A CSV field, quoted when it holds a comma, quote or line end. */
static void kh_gen_field(kh_gen_out *w, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        kh_gen_puts(w, s);
        return;
    }
    kh_gen_put(w, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            kh_gen_put(w, "\"", 1);
        kh_gen_put(w, s, 1);
    }
    kh_gen_put(w, "\"", 1);
}

static bool kh_gen_open(kh_diags *d, kh_gen_out *w, const char *path)
{
    w->path = path;
    w->n = 0;
    w->err = kh_outfile_open_stream(&w->file, path);
    w->f = w->err ? NULL : w->file.f;
    if (w->err)
        kh_diag_add(d, KH_ERROR, &m_gen_write, NULL, (kh_span){0, 0}, path, strerror(w->err), NULL);
    return !w->err;
}

/* Put the file in place, or (after an error) discard it. */
static bool kh_gen_close(kh_diags *d, kh_gen_out *w)
{
    kh_gen_flush(w);
    if (w->err)
        kh_outfile_abort(&w->file);
    else
        w->err = kh_outfile_commit(&w->file);
    if (w->err)
        kh_diag_add(d, KH_ERROR, &m_gen_write, NULL, (kh_span){0, 0}, w->path, strerror(w->err), NULL);
    return !w->err;
}

/* ------------------------------------------------------------- items */

/* One 事项 of the scheme as the generator draws it. */
typedef struct kh_gen_item {
    const char *label;
    uint32_t weight;            /* relative frequency */
    bool has_range;             /* an evaluator's score in [lo, hi] */
    kh_dec lo, hi;
    int32_t *levels;            /* levels a tier table pays for; NULL: no level */
    int32_t nlevels;
} kh_gen_item;

typedef struct kh_gen_ctx {
    kh_alloc *a;
    const kh_ir *ir;
    const kh_gen_opts *o;
    kh_gen_rng rng;
    kh_gen_item *items;
    int32_t nitems;
    uint64_t *cum;              /* cumulative weights */
    uint64_t ndepts;
    uint64_t mult, add;         /* the person permutation p → (p·mult + add) mod N */
    char dates[366][11];
    int ndays;
    uint64_t next_key;
} kh_gen_ctx;

static bool kh_gen_is_veto(const kh_ir *ir, const char *label)
{
    for (int32_t v = 0; v < ir->nvetoes; v++)
        if (strcmp(ir->vetoes[v].label, label) == 0)
            return true;
    return false;
}

static int32_t kh_gen_find(const kh_gen_ctx *g, const char *label)
{
    for (int32_t i = 0; i < g->nitems; i++)
        if (strcmp(g->items[i].label, label) == 0)
            return i;
    return -1;
}

/* The levels tier table t pays something for (all levels when none). */
static bool kh_gen_tier_levels(kh_gen_ctx *g, kh_gen_item *it, const kh_tiertab *t)
{
    const kh_ir *ir = g->ir;
    it->levels = kh_calloc(g->a, (size_t)ir->nlevels + 1, sizeof *it->levels);
    if (!it->levels)
        return false;
    for (int32_t l = 0; l < ir->nlevels; l++)
        if (t->amount[l] != 0)
            it->levels[it->nlevels++] = l;
    if (!it->nlevels)
        for (int32_t l = 0; l < ir->nlevels; l++)
            it->levels[it->nlevels++] = l;
    return true;
}

/* Distinct labels of the measures, with what each needs. */
static bool kh_gen_items(kh_gen_ctx *g)
{
    const kh_ir *ir = g->ir;
    g->items = kh_calloc(g->a, (size_t)ir->nmeasures + 1, sizeof *g->items);
    g->cum = kh_calloc(g->a, (size_t)ir->nmeasures + 1, sizeof *g->cum);
    if (!g->items || !g->cum)
        return false;
    for (int32_t m = 0; m < ir->nmeasures; m++) {
        const kh_measure *ms = &ir->measures[m];
        int32_t i = kh_gen_find(g, ms->label);
        if (i < 0) {
            i = g->nitems++;
            g->items[i].label = ms->label;
            g->items[i].weight = kh_gen_is_veto(ir, ms->label) ? 1 : 64u / (1u + (uint32_t)i % 8u);
        }
        kh_gen_item *it = &g->items[i];
        if (ms->has_range && !it->has_range) {
            it->has_range = true;
            it->lo = ms->lo;
            it->hi = ms->hi;
            it->weight = 8;
        }
    }
    for (int32_t t = 0; t < ir->ntiers; t++) {
        kh_gen_item *it = &g->items[kh_gen_find(g, ir->measures[ir->tiers[t].measure].label)];
        if (!it->levels && ir->nlevels && !kh_gen_tier_levels(g, it, &ir->tiers[t]))
            return false;
    }
    uint64_t c = 0;
    for (int32_t i = 0; i < g->nitems; i++)
        g->cum[i] = c += g->items[i].weight;
    return true;
}

static const kh_gen_item *kh_gen_pick_item(kh_gen_ctx *g)
{
    uint64_t r = kh_gen_below(&g->rng, g->cum[g->nitems - 1]);
    int32_t lo = 0, hi = g->nitems - 1;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (g->cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return &g->items[lo];
}

/* ----------------------------------------------------------- persons */

static uint64_t kh_gen_gcd(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

/* Most draws are uniform; the rest lean quadratically towards a few
 * people, who are then scattered over the roster by a permutation. */
static uint64_t kh_gen_pick_person(kh_gen_ctx *g)
{
    uint64_t n = g->o->persons;
    uint64_t p;
    if (kh_gen_below(&g->rng, 10) < 6) {
        p = kh_gen_below(&g->rng, n);
    } else {
        uint64_t u = kh_gen_next(&g->rng) >> 32;          /* u / 2^32 in [0, 1) */
        p = (uint64_t)(((unsigned __int128)((u * u) >> 32) * n) >> 32);
    }
    return (uint64_t)(((unsigned __int128)p * g->mult + g->add) % n);
}

static void kh_gen_permutation(kh_gen_ctx *g)
{
    uint64_t n = g->o->persons;
    g->mult = 2654435761u % n;
    if (!g->mult)
        g->mult = 1;
    while (kh_gen_gcd(g->mult, n) != 1)
        g->mult++;
    g->add = (g->o->seed * 40503u) % n;
}

static uint64_t kh_gen_dept_of(const kh_gen_ctx *g, uint64_t person)
{
    return person * g->ndepts / g->o->persons;
}

static void kh_gen_dept_name(const kh_gen_ctx *g, uint64_t k, char *buf, size_t cap)
{
    if (k < (uint64_t)g->ir->nunits)
        snprintf(buf, cap, "%s", g->ir->units[k]);
    else if (k == 0)
        snprintf(buf, cap, "局领导");
    else
        snprintf(buf, cap, "第%llu科", (unsigned long long)k);
}

/* ------------------------------------------------------------ roster */

static bool kh_gen_first_of_dept(const kh_gen_ctx *g, uint64_t i)
{
    return i == 0 || kh_gen_dept_of(g, i) != kh_gen_dept_of(g, i - 1);
}

static uint64_t kh_gen_head(const kh_gen_ctx *g, uint64_t dept)
{
    /* the first i with dept_of(i) == dept */
    uint64_t n = g->o->persons;
    uint64_t i = (dept * n + g->ndepts - 1) / g->ndepts;
    while (i > 0 && kh_gen_dept_of(g, i - 1) == dept)
        i--;
    while (kh_gen_dept_of(g, i) < dept)
        i++;
    return i;
}

static const char *kh_gen_role(kh_gen_ctx *g, uint64_t i)
{
    const kh_ir *ir = g->ir;
    if (ir->nroles && kh_gen_below(&g->rng, 10) == 0)
        return ir->roles[kh_gen_below(&g->rng, (uint64_t)ir->nroles)];
    return kh_gen_first_of_dept(g, i) ? "科长" : "科员";
}

static bool kh_gen_roster(kh_gen_ctx *g, kh_diags *d)
{
    kh_gen_out *w = kh_malloc(g->a, sizeof *w);
    if (!w) {
        kh_diag_add(d, KH_ERROR, &m_gen_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        return false;
    }
    if (!kh_gen_open(d, w, g->o->roster_path)) {
        kh_free(w);
        return false;
    }
    kh_gen_rng keep = g->rng;
    g->rng.s = g->o->seed ^ 0x5EED0F0005157E5ULL;
    char name[64], dept[256], leader[64];
    kh_gen_puts(w, "人员,部门,职务,分管领导\n");
    for (uint64_t i = 0; i < g->o->persons; i++) {
        uint64_t k = kh_gen_dept_of(g, i);
        kh_gen_person_name(i, name, sizeof name);
        kh_gen_dept_name(g, k, dept, sizeof dept);
        leader[0] = 0;
        if (i > 0 && kh_gen_first_of_dept(g, i))
            kh_gen_person_name(kh_gen_below(&g->rng, kh_gen_head(g, 1 < g->ndepts ? 1 : 0)), leader,
                               sizeof leader);
        else if (i > 0)
            kh_gen_person_name(kh_gen_head(g, k), leader, sizeof leader);
        kh_gen_field(w, name);
        kh_gen_put(w, ",", 1);
        kh_gen_field(w, dept);
        kh_gen_put(w, ",", 1);
        kh_gen_field(w, kh_gen_role(g, i));
        kh_gen_put(w, ",", 1);
        kh_gen_field(w, leader);
        kh_gen_put(w, "\n", 1);
    }
    g->rng = keep;
    bool ok = kh_gen_close(d, w);
    kh_free(w);
    return ok;
}

/* ------------------------------------------------------------ events */

static void kh_gen_value(kh_gen_ctx *g, const kh_gen_item *it, char *buf, size_t cap)
{
    buf[0] = 0;
    if (it->has_range) {
        uint64_t steps = it->hi > it->lo ? (uint64_t)(it->hi - it->lo) / 500u : 0;
        kh_dec_format(it->lo + (kh_dec)kh_gen_below(&g->rng, steps + 1) * 500, buf, cap);
        return;
    }
    if (it->levels)
        return;
    uint64_t r = kh_gen_below(&g->rng, 100);
    if (r < 70)
        return;
    snprintf(buf, cap, "%s", r < 85 ? "1" : r < 93 ? "2" : r < 97 ? "3" : "0.5");
}

typedef struct kh_gen_row {
    uint64_t person;
    const kh_gen_item *it;
    int32_t level;              /* −1: none */
    uint64_t key;               /* 0: none */
    char value[32];
} kh_gen_row;

static void kh_gen_write_row(kh_gen_ctx *g, kh_gen_out *w, const kh_gen_row *r, int day, char **names)
{
    char key[48];
    kh_gen_put(w, names[r->person], strlen(names[r->person]));
    kh_gen_put(w, g->dates[day], 10);
    kh_gen_put(w, ",", 1);
    kh_gen_field(w, r->it->label);
    kh_gen_put(w, ",", 1);
    kh_gen_puts(w, r->value);
    kh_gen_put(w, ",", 1);
    if (r->level >= 0)
        kh_gen_field(w, g->ir->levels[r->level]);
    kh_gen_put(w, ",", 1);
    if (r->key) {
        int n = snprintf(key, sizeof key, "BH-%d-%06llu", g->o->year ? g->o->year : 2023,
                         (unsigned long long)r->key);
        kh_gen_put(w, key, (size_t)n);
    }
    kh_gen_put(w, "\n", 1);
}

/* One event; a repeat of an award at another level follows it now and then. */
static uint64_t kh_gen_event(kh_gen_ctx *g, kh_gen_out *w, int day, uint64_t room, char **names)
{
    kh_gen_row r;
    r.person = kh_gen_pick_person(g);
    r.it = kh_gen_pick_item(g);
    r.level = -1;
    r.key = 0;
    kh_gen_value(g, r.it, r.value, sizeof r.value);
    if (r.it->levels) {
        r.level = r.it->levels[kh_gen_below(&g->rng, (uint64_t)r.it->nlevels)];
        r.key = ++g->next_key;
    }
    kh_gen_write_row(g, w, &r, day, names);
    if (!r.it->levels || r.it->nlevels < 2 || room < 2 || kh_gen_below(&g->rng, 5) != 0)
        return 1;
    int32_t other = r.it->levels[kh_gen_below(&g->rng, (uint64_t)r.it->nlevels)];
    r.level = other != r.level ? other : r.it->levels[(other == r.it->levels[0]) ? 1 : 0];
    kh_gen_write_row(g, w, &r, day, names);
    return 2;
}

/* "name,dept," of every person, ready to copy. */
static char **kh_gen_prefixes(kh_gen_ctx *g)
{
    uint64_t n = g->o->persons;
    char **v = kh_calloc(g->a, n + 1, sizeof *v);
    if (!v)
        return NULL;
    char name[64], dept[256], line[400];
    for (uint64_t i = 0; i < n; i++) {
        kh_gen_person_name(i, name, sizeof name);
        kh_gen_dept_name(g, kh_gen_dept_of(g, i), dept, sizeof dept);
        bool q = strpbrk(dept, ",\"\r\n") != NULL;
        int len = snprintf(line, sizeof line, "%s,%s%s%s,", name, q ? "\"" : "", dept, q ? "\"" : "");
        v[i] = kh_strndup(g->a, line, (size_t)len);
        if (!v[i]) {
            for (uint64_t k = 0; k < i; k++)
                kh_free(v[k]);
            kh_free(v);
            return NULL;
        }
    }
    return v;
}

static void kh_gen_free_prefixes(char **v, uint64_t n)
{
    for (uint64_t i = 0; v && i < n; i++)
        kh_free(v[i]);
    kh_free(v);
}

static void kh_gen_dates(kh_gen_ctx *g)
{
    int y = g->o->year ? g->o->year : 2023;
    int32_t first, next;
    char b[32];
    snprintf(b, sizeof b, "%04d-01-01", y);
    kh_csv_parse_date(b, strlen(b), &first);
    snprintf(b, sizeof b, "%04d-01-01", y + 1);
    kh_csv_parse_date(b, strlen(b), &next);
    g->ndays = (int)(next - first);
    for (int k = 0; k < g->ndays; k++)
        kh_csv_date_format(first + k, g->dates[k], sizeof g->dates[k]);
}

static bool kh_gen_events(kh_gen_ctx *g, kh_diags *d)
{
    char **names = kh_gen_prefixes(g);
    kh_gen_out *w = names ? kh_malloc(g->a, sizeof *w) : NULL;
    if (!w) {
        kh_gen_free_prefixes(names, g->o->persons);
        kh_diag_add(d, KH_ERROR, &m_gen_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        return false;
    }
    bool ok = kh_gen_open(d, w, g->o->events_path);
    if (ok) {
        uint64_t m = g->o->events, nd = (uint64_t)g->ndays;
        kh_gen_puts(w, "人员,部门,日期,事项,数量,级别,编号\n");
        for (int day = 0; day < g->ndays; day++) {
            uint64_t left = m * ((uint64_t)day + 1) / nd - m * (uint64_t)day / nd;
            while (left)
                left -= kh_gen_event(g, w, day, left, names);
        }
        ok = kh_gen_close(d, w);
    }
    kh_free(w);
    kh_gen_free_prefixes(names, g->o->persons);
    return ok;
}

/* --------------------------------------------------------------- API */

bool kh_gen(kh_alloc *a, kh_diags *d, const kh_ir *ir, const kh_gen_opts *o)
{
    kh_gen_ctx g;
    memset(&g, 0, sizeof g);
    g.a = a;
    g.ir = ir;
    g.o = o;
    g.rng.s = o->seed;
    bool ok = kh_gen_items(&g);
    if (!ok)
        kh_diag_add(d, KH_ERROR, &m_gen_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
    else if (!g.nitems && o->events) {
        kh_diag_add(d, KH_ERROR, &m_gen_noitem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        ok = false;
    }
    if (ok) {
        g.ndepts = o->persons / 25 > (uint64_t)ir->nunits ? o->persons / 25 : (uint64_t)ir->nunits;
        if (g.ndepts < 1)
            g.ndepts = 1;
        if (g.ndepts > o->persons)
            g.ndepts = o->persons;
        kh_gen_permutation(&g);
        kh_gen_dates(&g);
        if (o->roster_path)
            ok = kh_gen_roster(&g, d);
        if (ok)
            ok = kh_gen_events(&g, d);
    }
    for (int32_t i = 0; g.items && i < g.nitems; i++)
        kh_free(g.items[i].levels);
    kh_free(g.items);
    kh_free(g.cum);
    return ok;
}
