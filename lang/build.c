/* build.c — grammar actions: turn parse-time pieces into the located AST.
 *
 * The grammar says what was written; this file says what it means.  Each
 * clause is classified here (per occurrence, threshold, band, …), effect-only
 * clauses take the condition of the clause before them, attributes in （…）
 * become kh_attrs, and every line lands in its section, grade table, veto
 * list or prerequisite list.
 */
#include <string.h>

#include "parse.h"
#include "parser.h"

/* ------------------------------------------------------------ messages */

const kh_msg kh_m_syntax = {"E010", "这里不应出现「%3」", "unexpected 「%3」 here",
                            "此处应为：%1", "expected here: %1"};
const kh_msg kh_m_syntax_eol = {"E011", "这一行没有写完", "this line is incomplete",
                                "行尾之前应为：%1", "expected before the end of the line: %1"};
const kh_msg kh_m_missing_amount = {"E020", "缺少分值：「%3」没有写明多少分",
                                    "missing amount: 「%3」 does not say how many points",
                                    "写成「扣1分」「加2分」这样的形式", "write it as 扣1分 or 加2分"};
const kh_msg kh_m_unknown_unit = {"E021", "不认识的单位「%3」", "unknown unit 「%3」",
                                  "分值的单位应为「分」或「元」", "amounts are in 分 (points) or 元 (yuan)"};
const kh_msg kh_m_unit_fen = {"E021", "不认识的单位「%3」", "unknown unit 「%3」",
                              "是否应为「分」？", "did you mean 分?"};
const kh_msg kh_m_missing_unit = {"E022", "「%3」后面缺少单位", "「%3」 has no unit",
                                  "在数字后写上「分」或「元」", "write 分 or 元 after the number"};
const kh_msg kh_m_missing_step = {"E023", "缺少数量：「%3」没有写明每少多少",
                                  "missing quantity: 「%3」 does not say per how many",
                                  "写成「每少1次扣1分」这样的形式", "write it as 每少1次扣1分"};
const kh_msg kh_m_dedupe_count = {"E024", "缺少次数：「%3」没有写明加几次",
                                  "missing count: 「%3」 does not say how many times",
                                  "应为「加分一次」", "write 加分一次"};
const kh_msg kh_m_empty = {"E030", "规则文件是空的", "the rule file is empty",
                           "至少写明「考核方案：名称」和一个考核项", "write at least 考核方案：NAME and one item"};
const kh_msg kh_m_no_name = {"E031", "缺少方案名称", "the scheme has no name",
                             "在第一行写「考核方案：名称」", "start with 考核方案：NAME"};
const kh_msg kh_m_item_outside = {"E032", "考核项「%3」不在任何章节之下",
                                  "item 「%3」 is not inside a section",
                                  "在它前面写一个章节，如「一、基础工作（基本分20分）」",
                                  "put a section heading such as 一、TITLE（基本分20分） before it"};
const kh_msg kh_m_bad_value = {"E033", "「%3」的写法无法识别", "cannot read 「%3」", NULL, NULL};
const kh_msg kh_m_no_effect = {"E034", "「%3」没有说明扣分还是加分", "「%3」 says neither deduct nor add",
                               "写明「扣N分」「加N分」或「得N分」", "say 扣N分, 加N分 or 得N分"};
const kh_msg kh_m_unexpected_in_block = {"E035", "「%3」不能写在%1中", "「%3」 does not belong in %1", NULL, NULL};
const kh_msg kh_m_bad_subject = {"E036", "考核对象应为「个人」「部门」或「单位」，而不是「%3」",
                                 "考核对象 must be 个人, 部门 or 单位, not 「%3」", NULL, NULL};
const kh_msg kh_m_bad_unit_header = {"E037", "计分单位应为「分」或「元」，而不是「%3」",
                                     "计分单位 must be 分 or 元, not 「%3」", NULL, NULL};
const kh_msg kh_m_bad_period = {"E038", "考核周期应为「年度」「半年」「季度」或「月度」，而不是「%3」",
                                "考核周期 must be 年度, 半年, 季度 or 月度, not 「%3」", NULL, NULL};
const kh_msg kh_m_too_deep = {"E039", "小节「%3」不在任何章节之下", "sub-section 「%3」 is not inside a section", NULL, NULL};
const kh_msg kh_m_nomem = {"E040", "内存不足", "out of memory", NULL, NULL};
const kh_msg kh_m_bad_number = {"E041", "数字「%3」太大或无法识别", "number 「%3」 is too large or unreadable", NULL, NULL};
const kh_msg kh_m_bad_attr = {"E042", "括号中的「%3」不是分值设置", "「%3」 in parentheses is not a score setting",
                              "可写：基本分15分、满分10分、扣完为止、倒扣分、加分不超过10分、1—3分",
                              "allowed: 基本分15分, 满分10分, 扣完为止, 倒扣分, 加分不超过10分, 1—3分"};
const kh_msg kh_m_tier_count = {"E043", "「分别」后的分值个数（%1）与级别个数（%2）不同",
                                "分别 gives %1 amounts for %2 levels", NULL, NULL};
const kh_msg kh_m_dup_header = {"W001", "「%3」已经写过，以这里为准", "「%3」 was already given; this one wins", NULL, NULL};
const kh_msg kh_m_empty_item = {"W002", "考核项「%3」没有计分规则", "item 「%3」 has no scoring rule",
                                "在「：」后写明如何计分，如「每次扣1分」", "say how it scores after ：, e.g. 每次扣1分"};

/* ---------------------------------------------------------- utilities */

kh_span kh_span_join(kh_span a, kh_span b)
{
    if (a.len == 0 && b.off > a.off + a.len)
        a.off = a.off;
    uint32_t lo = a.off < b.off ? a.off : b.off;
    uint32_t hi = a.off + a.len > b.off + b.len ? a.off + a.len : b.off + b.len;
    kh_span r = {lo, hi - lo};
    return r;
}

static bool is_space_at(const char *s, size_t n, size_t i, size_t *w)
{
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
        *w = 1;
        return true;
    }
    if (i + 2 < n + 0 && (unsigned char)s[i] == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80) {
        *w = 3;
        return true;
    }
    return false;
}

/* Trimmed copy of the source text under a span. */
char *kh_b_text(kh_pstate *ps, kh_span sp)
{
    const char *s = ps->src->text + sp.off;
    size_t n = sp.len, w;
    while (n && is_space_at(s, n, 0, &w)) {
        s += w;
        n -= w;
    }
    while (n) {
        if (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')
            n--;
        else if (n >= 3 && (unsigned char)s[n - 3] == 0xE3 && (unsigned char)s[n - 2] == 0x80 &&
                 (unsigned char)s[n - 1] == 0x80)
            n -= 3;
        else
            break;
    }
    return kh_arena_strndup(ps->arena, s, n);
}

static bool text_has(kh_pstate *ps, kh_span sp, const char *needle)
{
    size_t nl = strlen(needle);
    const char *s = ps->src->text + sp.off;
    for (uint32_t i = 0; i + nl <= sp.len; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return true;
    return false;
}

void kh_b_error(kh_pstate *ps, const kh_msg *m, kh_span sp, const char *a1, const char *a2)
{
    char quote[96];
    size_t n = sp.len < 60 ? sp.len : 60;
    /* do not cut a UTF-8 character in half */
    while (n < sp.len && n > 0 && ((unsigned char)ps->src->text[sp.off + n] & 0xC0) == 0x80)
        n--;
    memcpy(quote, ps->src->text + sp.off, n);
    quote[n] = 0;
    if (n < sp.len)
        strcat(quote, "…");
    kh_diag_add(ps->diags, KH_ERROR, m, ps->src, sp, a1, a2, quote);
}

static void warn(kh_pstate *ps, const kh_msg *m, kh_span sp)
{
    kh_diag *d = NULL;
    kh_b_error(ps, m, sp, NULL, NULL);
    /* kh_b_error records an error; downgrade the entry it just made */
    if (ps->diags->n) {
        d = &ps->diags->v[ps->diags->n - 1];
        if (d->msg == m && d->sev == KH_ERROR) {
            d->sev = KH_WARNING;
            ps->diags->nerrors--;
            ps->diags->nwarnings++;
        }
    }
}

static void nomem(kh_pstate *ps)
{
    kh_span sp = {0, 0};
    ps->diags->oom = true;
    kh_diag_add(ps->diags, KH_ERROR, &kh_m_nomem, NULL, sp, NULL, NULL, NULL);
}

/* First UTF-8 character of a span. */
static kh_span first_char(kh_pstate *ps, kh_span sp)
{
    unsigned char c = (unsigned char)ps->src->text[sp.off];
    uint32_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > sp.len)
        n = sp.len;
    kh_span r = {sp.off, n};
    return r;
}

void kh_b_unknown_unit(kh_pstate *ps, kh_span words)
{
    kh_span c = first_char(ps, words);
    bool fen = c.len == 3 && memcmp(ps->src->text + c.off, "份", 3) == 0;
    kh_b_error(ps, fen ? &kh_m_unit_fen : &kh_m_unknown_unit, c, NULL, NULL);
}

/* ---------------------------------------------------------- numbers */

static int digit_at(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c >= '0' && c <= '9') {
        (*i)++;
        return c - '0';
    }
    if (*i + 2 < n + 1 && c == 0xEF && (unsigned char)s[*i + 1] == 0xBC &&
        (unsigned char)s[*i + 2] >= 0x90 && (unsigned char)s[*i + 2] <= 0x99) {
        int d = (unsigned char)s[*i + 2] - 0x90;
        *i += 3;
        return d;
    }
    return -1;
}

static bool starts(const char *s, size_t n, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    return i + l <= n && memcmp(s + i, lit, l) == 0;
}

/* 12, 0.5, １２, 3万, 80%, 1.5万% */
bool kh_num_arabic(const char *s, size_t n, kh_dec *out, bool *pct)
{
    size_t i = 0;
    kh_dec v = 0;
    int d, frac = -1;
    *pct = false;
    while (i < n) {
        size_t at = i;
        if ((d = digit_at(s, n, &i)) >= 0) {
            if (frac >= 3)
                return false;
            if (v > KH_DEC_MAX / 10)
                return false;
            v = v * 10 + d;
            if (frac >= 0)
                frac++;
            continue;
        }
        i = at;
        if (s[i] == '.' && frac < 0) {
            frac = 0;
            i++;
        } else if (starts(s, n, i, "．") && frac < 0) {
            frac = 0;
            i += 3;
        } else {
            break;
        }
    }
    if (frac < 0)
        frac = 0;
    for (; frac < 3; frac++) {
        if (v > KH_DEC_MAX / 10)
            return false;
        v *= 10;
    }
    if (starts(s, n, i, "万") || starts(s, n, i, "萬")) {
        if (v > KH_DEC_MAX / 10000)
            return false;
        v *= 10000;
        i += 3;
    }
    if (i < n && s[i] == '%') {
        *pct = true;
        i++;
    } else if (starts(s, n, i, "％")) {
        *pct = true;
        i += 3;
    }
    *out = v;
    return i == n;
}

static int cn_digit(const char *s, size_t n, size_t i, size_t *w)
{
    static const struct { const char *t; int v; } tab[] = {
        {"零", 0}, {"〇", 0}, {"一", 1}, {"二", 2}, {"两", 2}, {"兩", 2}, {"三", 3}, {"四", 4},
        {"五", 5}, {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9},
        {"十", 10}, {"百", 100}, {"千", 1000}, {"万", 10000}, {"萬", 10000}, {"半", -2},
    };
    for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++)
        if (starts(s, n, i, tab[k].t)) {
            *w = strlen(tab[k].t);
            return tab[k].v;
        }
    return -1;
}

/* 一 两 十 十二 二十 三百 三万 半 */
bool kh_num_chinese(const char *s, size_t n, kh_dec *out)
{
    int64_t total = 0, section = 0, digit = 0;
    size_t i = 0, w;
    bool any = false;
    while (i < n) {
        int v = cn_digit(s, n, i, &w);
        if (v < 0 && v != -2)
            return false;
        i += w;
        any = true;
        if (v == -2) { /* 半: a half */
            if (i != n || total || section || digit)
                return false;
            *out = KH_DEC_ONE / 2;
            return true;
        }
        if (v < 10) {
            digit = v;
        } else if (v == 10000) {
            total = (total + section + digit) * 10000;
            section = digit = 0;
        } else {
            section += (digit ? digit : 1) * v;
            digit = 0;
        }
        if (total > 1000000000000LL)
            return false;
    }
    if (!any)
        return false;
    *out = (total + section + digit) * KH_DEC_ONE;
    return true;
}

kh_qty kh_b_qty(kh_pstate *ps, const kh_tokval *num, kh_span quant, bool points)
{
    kh_qty q = {0};
    q.value = num->num;
    q.pct = num->pct;
    q.points = points;
    q.quant = quant.len ? kh_b_text(ps, quant) : NULL;
    q.span = kh_span_join(num->span, quant.len ? quant : num->span);
    return q;
}

/* ------------------------------------------------------- parse pieces */

kh_pclause *kh_b_clause(kh_pstate *ps, int extra, kh_span sp)
{
    kh_pclause *pc = kh_arena_alloc(ps->arena, sizeof *pc);
    if (!pc) {
        nomem(ps);
        return NULL;
    }
    pc->extra = extra;
    pc->c.kind = extra >= 0 ? (kh_clause_kind)extra : KH_CL_NOTE;
    pc->c.span = sp;
    return pc;
}

void kh_b_clauses_add(kh_pstate *ps, kh_pclauses *l, kh_pclause *c)
{
    if (!l || !c)
        return;
    if (!kh_arena_grow(ps->arena, (void **)&l->v, &l->n, &l->cap, sizeof *l->v)) {
        nomem(ps);
        return;
    }
    l->v[l->n++] = c;
}

void kh_b_effect_add(kh_pstate *ps, kh_peffs *l, const kh_effect *e)
{
    if (!l)
        return;
    if (!kh_arena_grow(ps->arena, (void **)&l->v, &l->n, &l->cap, sizeof *l->v)) {
        nomem(ps);
        return;
    }
    l->v[l->n++] = *e;
}

void kh_b_alt_add(kh_pstate *ps, kh_pcond *c, const kh_palt *a)
{
    if (!c)
        return;
    if (!kh_arena_grow(ps->arena, (void **)&c->alts, &c->nalts, &c->capalts, sizeof *c->alts)) {
        nomem(ps);
        return;
    }
    c->alts[c->nalts++] = *a;
}

/* Put the alternative written first in front of those gathered after it. */
void kh_b_alt_first(kh_pstate *ps, kh_pcond *c, const kh_paval *v, kh_span sp)
{
    kh_palt a = {0};
    a.val = *v;
    a.span = sp;
    kh_b_alt_add(ps, c, &a);
    if (!c || c->nalts < 2)
        return;
    kh_palt t = c->alts[c->nalts - 1];
    memmove(c->alts + 1, c->alts, (size_t)(c->nalts - 1) * sizeof *c->alts);
    c->alts[0] = t;
}

static const struct { const char *in, *out; } kh_levels[] = {
    {"国家级", "国家级"}, {"國家級", "国家级"}, {"国家", "国家级"}, {"國家", "国家级"},
    {"省级", "省级"}, {"省級", "省级"}, {"省", "省级"},
    {"市级", "市级"}, {"市級", "市级"}, {"市", "市级"},
    {"县级", "县级"}, {"縣級", "县级"}, {"县", "县级"}, {"縣", "县级"},
    {"区级", "区级"}, {"區級", "区级"}, {"区", "区级"}, {"區", "区级"},
};

const char *kh_level_name(const char *name, size_t len)
{
    for (size_t k = 0; k < sizeof kh_levels / sizeof kh_levels[0]; k++)
        if (strlen(kh_levels[k].in) == len && memcmp(name, kh_levels[k].in, len) == 0)
            return kh_levels[k].out;
    return NULL;
}

int kh_level_rank(const char *canonical)
{
    static const char *const order[] = {"国家级", "省级", "市级", "县级", "区级"};
    for (int i = 0; i < 5; i++)
        if (strcmp(canonical, order[i]) == 0)
            return i;
    return -1;
}

static const char *level_name(kh_pstate *ps, kh_span sp)
{
    const char *n = kh_level_name(ps->src->text + sp.off, sp.len);
    return n ? n : kh_b_text(ps, sp);
}

static void tier_add(kh_pstate *ps, kh_pclause *pc, const char *level, kh_dec amount, kh_span sp)
{
    if (!pc)
        return;
    if (!kh_arena_grow(ps->arena, (void **)&pc->c.tiers, &pc->c.ntiers, &pc->capt, sizeof *pc->c.tiers)) {
        nomem(ps);
        return;
    }
    kh_tier *t = &pc->c.tiers[pc->c.ntiers++];
    t->level = (char *)level;
    t->amount = amount;
    t->span = sp;
}

void kh_b_tiers_each(kh_pstate *ps, kh_pclause *pc, const kh_plevels *lv, kh_dec amount, kh_span sp)
{
    for (int i = 0; i < lv->n; i++)
        tier_add(ps, pc, level_name(ps, lv->v[i]), amount, sp);
}

void kh_b_tiers_resp(kh_pstate *ps, kh_pclause *pc, const kh_plevels *lv, const kh_pamts *am, kh_span sp)
{
    if (am->n != lv->n) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", am->n);
        snprintf(b, sizeof b, "%d", lv->n);
        kh_b_error(ps, &kh_m_tier_count, sp, a, b);
    }
    for (int i = 0; i < lv->n; i++)
        tier_add(ps, pc, level_name(ps, lv->v[i]), i < am->n ? am->v[i] : 0, lv->v[i]);
}

void kh_b_tiers_merge(kh_pstate *ps, kh_pclause *into, kh_pclause *from)
{
    if (!into || !from)
        return;
    for (int i = 0; i < from->c.ntiers; i++)
        tier_add(ps, into, from->c.tiers[i].level, from->c.tiers[i].amount, from->c.tiers[i].span);
}

/* ------------------------------------------------------ classification */

static kh_range range_of_aval(const kh_paval *v)
{
    kh_range r = {0};
    r.pct = v->q.pct;
    r.span = v->span;
    kh_cmp c = v->has_cmp ? v->cmp : KH_CMP_EQ;
    switch (c) {
    case KH_CMP_GE: r.has_lo = r.lo_incl = true; r.lo = v->q.value; break;
    case KH_CMP_GT: r.has_lo = true; r.lo = v->q.value; break;
    case KH_CMP_LE: r.has_hi = r.hi_incl = true; r.hi = v->q.value; break;
    case KH_CMP_LT: r.has_hi = true; r.hi = v->q.value; break;
    case KH_CMP_EQ:
        r.has_lo = r.has_hi = r.lo_incl = r.hi_incl = true;
        r.lo = r.hi = v->q.value;
        break;
    }
    return r;
}

/* A range written either way round: 79%至70% is 70%..79%. */
static kh_range range_of_pair(const kh_paval *a, const kh_paval *b, kh_span sp)
{
    kh_range r = {0};
    kh_dec x = a->q.value, y = b->q.value;
    r.has_lo = r.has_hi = r.lo_incl = r.hi_incl = true;
    r.lo = x < y ? x : y;
    r.hi = x < y ? y : x;
    r.pct = a->q.pct || b->q.pct;
    r.span = sp;
    return r;
}

static bool counting_quant(const char *q)
{
    static const char *const counts[] = {"次", "项", "項", "起", "篇", "条", "條", "件", "宗", "天", "人",
                                         "个", "個", "名", "本", "户", "戶", "处", "處", "家", "批",
                                         "例", "场", "場", "轮", "輪", "人次", "篇次", "期", "位"};
    if (!q)
        return false;
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        if (strcmp(q, counts[k]) == 0)
            return true;
    return false;
}

static bool earns(const kh_effect *e)
{
    return e->kind == KH_EFF_SET || e->kind == KH_EFF_FULL || e->kind == KH_EFF_ZERO ||
           e->kind == KH_EFF_PROPORTIONAL;
}

static kh_who_kind who_kind_for(kh_pstate *ps)
{
    return ps->s->subject == KH_SUBJ_UNIT ? KH_WHO_UNIT : KH_WHO_ROLE;
}

/* Strip 其中 and 的 around a who: （其中社救局不少于3条） → 社救局. */
static char *who_text(kh_pstate *ps, kh_span sp)
{
    char *t = kh_b_text(ps, sp);
    if (t && strncmp(t, "其中", 6) == 0)
        t += 6;
    return t;
}

static void fill_alts(kh_pstate *ps, kh_pclause *pc)
{
    kh_pcond *c = &pc->cond;
    pc->c.alts = kh_arena_alloc(ps->arena, (size_t)c->nalts * sizeof *pc->c.alts);
    if (!pc->c.alts) {
        nomem(ps);
        return;
    }
    pc->c.nalts = c->nalts;
    kh_cmp first = c->alts[0].val.has_cmp ? c->alts[0].val.cmp : KH_CMP_GE;
    for (int i = 0; i < c->nalts; i++) {
        kh_palt *pa = &c->alts[i];
        kh_alt *a = &pc->c.alts[i];
        a->value = pa->val.q;
        a->cmp = pa->val.has_cmp ? pa->val.cmp : first;
        a->span = pa->span;
        kh_span who = pa->who;
        if (i == 0 && !c->paren && c->nalts > 1 && pc->words.len)
            who = pc->words;
        if (pa->has_size) {
            a->who_kind = KH_WHO_SIZE;
            a->size_n = pa->size.q.value;
            a->size_cmp = pa->size.has_cmp ? pa->size.cmp : KH_CMP_EQ;
        } else if (who.len) {
            a->who_kind = who_kind_for(ps);
            a->who = who_text(ps, who);
        } else {
            a->who_kind = KH_WHO_DEFAULT;
        }
    }
}

/* Decide what a generic clause means from its condition and effects. */
void kh_b_classify(kh_pstate *ps, kh_pclause *pc)
{
    if (!pc || pc->extra >= 0) {
        if (pc && pc->extra == KH_CL_EVALUATOR && pc->cond.kind == KH_PC_RANGE)
            pc->c.range = range_of_pair(&pc->cond.lo, &pc->cond.hi, pc->cond.span);
        if (pc && pc->extra == KH_CL_DEDUPE && text_has(ps, pc->c.span, "分次") &&
            !text_has(ps, pc->c.span, "一次") && !text_has(ps, pc->c.span, "1次"))
            kh_b_error(ps, &kh_m_dedupe_count, pc->c.span, NULL, NULL);
        return;
    }
    pc->c.words = pc->words.len ? kh_b_text(ps, pc->words) : NULL;
    bool has_eff = pc->c.neffects > 0;
    bool earn = has_eff && earns(&pc->c.effects[0]);
    kh_pcond *c = &pc->cond;
    pc->effect_only = false;
    switch (c->kind) {
    case KH_PC_NONE:
        pc->effect_only = true;
        pc->c.kind = KH_CL_PER;   /* until the item resolves it */
        pc->c.step.value = KH_DEC_ONE;
        break;
    case KH_PC_EACH:
        pc->c.kind = has_eff ? KH_CL_PER : KH_CL_NOTE;
        pc->c.step = c->step;
        break;
    case KH_PC_AVAL: {
        const kh_paval *v = &c->alts[0].val;
        if (!has_eff) {
            pc->c.kind = KH_CL_TARGET;
            fill_alts(ps, pc);
            pc->c.range = range_of_aval(v);
        } else if (v->q.points && v->has_cmp && (v->cmp == KH_CMP_LT || v->cmp == KH_CMP_LE) && !earn) {
            /* 低于1个百分点扣1分: per point below the target */
            pc->c.kind = KH_CL_SHORTFALL;
            pc->c.step = v->q;
        } else if (earn && c->nalts == 1) {
            pc->c.kind = KH_CL_BAND;
            pc->c.range = range_of_aval(v);
        } else if (!v->has_cmp && c->nalts == 1 && counting_quant(v->q.quant) && !earn) {
            /* 迟报一次扣0.2分, 采稿1篇奖励50元 */
            pc->c.kind = KH_CL_PER;
            pc->c.step = v->q;
        } else {
            pc->c.kind = KH_CL_THRESHOLD;
            fill_alts(ps, pc);
            pc->c.range = range_of_aval(v);
        }
        break;
    }
    case KH_PC_RANGE:
        pc->c.range = range_of_pair(&c->lo, &c->hi, c->span);
        pc->c.kind = !has_eff ? KH_CL_TARGET : earn ? KH_CL_BAND : KH_CL_THRESHOLD;
        break;
    case KH_PC_SHORT:
        pc->c.kind = KH_CL_SHORTFALL;
        pc->c.step = c->step;
        break;
    case KH_PC_EXCESS:
        pc->c.kind = KH_CL_EXCESS;
        pc->c.step = c->step;
        break;
    case KH_PC_MISSING:
        pc->c.kind = KH_CL_MISSING;
        pc->c.step = c->step;
        break;
    }
    if (!has_eff && (c->kind == KH_PC_SHORT || c->kind == KH_PC_EXCESS || c->kind == KH_PC_MISSING))
        kh_b_error(ps, &kh_m_no_effect, pc->c.span, NULL, NULL);
}

/* An effect-only clause takes the condition of the clause before it;
 * the first clause of an item falls back to a sensible default. */
static void resolve_effect_only(kh_pstate *ps, kh_pclause *pc, kh_pclause *prev)
{
    if (!pc->c.neffects)
        return;   /* memory ran out while its effects were added; the parse fails */
    const kh_effect *e = &pc->c.effects[0];
    if (prev && prev->c.kind != KH_CL_NOTE && prev->c.kind != KH_CL_DEDUPE &&
        prev->c.kind != KH_CL_FLOOR && prev->c.kind != KH_CL_NO_FLOOR && prev->c.kind != KH_CL_CAP &&
        prev->c.kind != KH_CL_TIER && prev->c.kind != KH_CL_ALL_OR_NONE && prev->cond.kind != KH_PC_NONE) {
        kh_effect *effs = pc->c.effects;
        int neff = pc->c.neffects;
        kh_span sp = pc->c.span, words = pc->words;
        kh_pcond cond = prev->cond;
        *pc = *prev;
        pc->c.effects = effs;
        pc->c.neffects = neff;
        pc->c.span = sp;
        pc->words = words;
        pc->cond = cond;
        pc->c.tiers = NULL;
        pc->c.ntiers = 0;
        kh_b_classify(ps, pc);
        pc->c.inherited = true;
        return;
    }
    if (e->kind == KH_EFF_ZERO) {
        pc->c.kind = KH_CL_ALL_OR_NONE;
    } else if (e->kind == KH_EFF_SET && pc->words.len &&
               (text_has(ps, pc->words, "全部完成") || text_has(ps, pc->words, "全面完成"))) {
        pc->c.kind = KH_CL_BAND;   /* 全部完成得5分: a rate of 100% */
        pc->c.range.has_lo = pc->c.range.lo_incl = true;
        pc->c.range.lo = 100 * KH_DEC_ONE;
        pc->c.range.pct = true;
        pc->c.range.span = pc->words;
    } else if (e->kind == KH_EFF_SET || e->kind == KH_EFF_FULL) {
        pc->c.kind = KH_CL_ALL_OR_NONE;   /* 得1分: when the item has an event */
    } else if (e->kind == KH_EFF_PROPORTIONAL) {
        kh_b_error(ps, &kh_m_bad_value, pc->c.span, NULL, NULL);
        pc->c.kind = KH_CL_INVALID;
    } else {
        pc->c.kind = KH_CL_PER;
        pc->c.step.value = KH_DEC_ONE;
    }
}

/* ------------------------------------------------------------- headers */

static bool text_is(kh_pstate *ps, kh_span sp, const char *const *alts)
{
    char *t = kh_b_text(ps, sp);
    for (; t && *alts; alts++)
        if (strcmp(t, *alts) == 0)
            return true;
    return false;
}

void kh_b_header_text(kh_pstate *ps, int which, kh_span key, kh_span val)
{
    kh_scheme *s = ps->s;
    static const char *const person[] = {"个人", "個人", "人员", "人員", NULL};
    static const char *const unit[] = {"部门", "部門", "单位", "單位", "科室", "股室", NULL};
    static const char *const fen[] = {"分", NULL};
    static const char *const yuan[] = {"元", NULL};
    static const char *const year[] = {"年度", "全年", "年", NULL};
    static const char *const half[] = {"半年", NULL};
    static const char *const quarter[] = {"季度", NULL};
    static const char *const month[] = {"月度", "每月", "月", NULL};
    switch (which) {
    case T_H_NAME:
        if (s->name)
            warn(ps, &kh_m_dup_header, key);
        s->name = kh_b_text(ps, val);
        s->name_span = val;
        break;
    case T_H_SUBJECT:
        s->subject_span = val;
        if (text_is(ps, val, person))
            s->subject = KH_SUBJ_PERSON;
        else if (text_is(ps, val, unit))
            s->subject = KH_SUBJ_UNIT;
        else
            kh_b_error(ps, &kh_m_bad_subject, val, NULL, NULL);
        break;
    case T_H_UNIT:
        s->unit_span = val;
        if (text_is(ps, val, fen))
            s->unit = KH_UNIT_POINT;
        else if (text_is(ps, val, yuan))
            s->unit = KH_UNIT_YUAN;
        else
            kh_b_error(ps, &kh_m_bad_unit_header, val, NULL, NULL);
        break;
    case T_H_PERIOD:
        s->period_span = val;
        s->has_period = true;
        if (text_is(ps, val, year))
            s->period = KH_PERIOD_YEAR;
        else if (text_is(ps, val, half))
            s->period = KH_PERIOD_HALF;
        else if (text_is(ps, val, quarter))
            s->period = KH_PERIOD_QUARTER;
        else if (text_is(ps, val, month))
            s->period = KH_PERIOD_MONTH;
        else {
            s->has_period = false;
            kh_b_error(ps, &kh_m_bad_period, val, NULL, NULL);
        }
        break;
    default:
        break;
    }
}

void kh_b_header_num(kh_pstate *ps, int which, kh_span key, const kh_paval *v)
{
    kh_scheme *s = ps->s;
    (void)key;
    switch (which) {
    case T_H_FULL:
        s->has_full = true;
        s->full = v->q.value;
        s->full_span = v->span;
        break;
    case T_H_BASE:
        s->has_base = true;
        s->base = v->q.value;
        s->base_span = v->span;
        break;
    case T_H_WEIGHT:
        s->has_weight = true;
        s->weight = v->q.value;
        s->weight_span = v->span;
        if (!v->q.pct)
            kh_b_error(ps, &kh_m_bad_value, v->span, NULL, NULL);
        break;
    default:
        break;
    }
}

void kh_b_upper_exclusive(kh_pstate *ps, kh_span sp)
{
    ps->s->upper_exclusive = true;
    ps->s->upper_exclusive_span = sp;
}

void kh_b_block(kh_pstate *ps, kh_block b, kh_span sp)
{
    ps->block = b;
    if (b == KH_BLK_GRADES)
        ps->s->grades_span = sp;
}

/* --------------------------------------------------------------- tree */

/* Attributes in （…） after a title or label. */
static void read_attrs(kh_pstate *ps, kh_pclauses *l, kh_attrs *at)
{
    for (int i = 0; l && i < l->n; i++) {
        kh_pclause *pc = l->v[i];
        if (!pc)
            continue;
        switch (pc->c.kind) {
        case KH_CL_BASE:
            at->has_base = true;
            at->base = pc->c.range.lo;
            at->base_span = pc->c.span;
            break;
        case KH_CL_FULL:
            at->has_full = true;
            at->full = pc->c.range.hi;
            at->full_span = pc->c.span;
            break;
        case KH_CL_FLOOR:
            at->floor = true;
            break;
        case KH_CL_NO_FLOOR:
            at->no_floor = true;
            break;
        case KH_CL_CAP:
            at->has_cap = true;
            at->cap = pc->c.range.hi;
            at->cap_span = pc->c.span;
            break;
        case KH_CL_TARGET:
            if (pc->cond.kind == KH_PC_AVAL && pc->cond.nalts == 1 && !pc->cond.alts[0].val.has_cmp &&
                !pc->cond.alts[0].val.q.pct) {
                at->has_base = true;          /* （15分） */
                at->base = pc->cond.alts[0].val.q.value;
                at->base_span = pc->c.span;
                at->declared = true;
            } else if (pc->cond.kind == KH_PC_RANGE) {
                at->has_range = true;         /* （1—3分）: an evaluator's range */
                at->range = pc->c.range;
            } else {
                kh_b_error(ps, &kh_m_bad_attr, pc->c.span, NULL, NULL);
            }
            break;
        case KH_CL_NOTE:
            break;
        case KH_CL_PER: case KH_CL_ALL_OR_NONE: case KH_CL_THRESHOLD: case KH_CL_SHORTFALL:
        case KH_CL_EXCESS: case KH_CL_BAND: case KH_CL_EVALUATOR: case KH_CL_SCALE: case KH_CL_TIER:
        case KH_CL_DEDUPE: case KH_CL_MISSING: case KH_CL_RANK: case KH_CL_QUOTA: case KH_CL_RATE_AS:
        case KH_CL_FLAG: case KH_CL_INVALID:
            kh_b_error(ps, &kh_m_bad_attr, pc->c.span, NULL, NULL);
            break;
        }
    }
}

/* Resolve effect-only clauses and copy the list into the item. */
static void item_clauses(kh_pstate *ps, kh_pclauses *l, kh_clause **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!l || !l->n)
        return;
    kh_clause *v = kh_arena_alloc(ps->arena, (size_t)l->n * sizeof *v);
    if (!v) {
        nomem(ps);
        return;
    }
    kh_pclause *prev = NULL;
    for (int i = 0; i < l->n; i++) {
        kh_pclause *pc = l->v[i];
        if (!pc)
            continue;
        if (pc->effect_only)
            resolve_effect_only(ps, pc, prev);
        if (pc->c.kind != KH_CL_NOTE || pc->c.words)
            prev = pc;
        if (pc->c.kind == KH_CL_NOTE && !pc->c.words && pc->words.len)
            pc->c.words = kh_b_text(ps, pc->words);
        if (pc->c.kind == KH_CL_NOTE && !pc->c.words)
            pc->c.words = kh_b_text(ps, pc->c.span);
        v[(*n)++] = pc->c;
    }
    *out = v;
}

static kh_section *cur_container_section(kh_pstate *ps)
{
    if (ps->cur_sec < 0)
        return NULL;
    kh_section *sec = &ps->s->sections[ps->cur_sec];
    if (ps->cur_sub >= 0)
        return &sec->subs[ps->cur_sub];
    return sec;
}

static bool is_bonus_title(const char *t)
{
    return t && (strstr(t, "加分") || strstr(t, "獎勵") || strstr(t, "奖励"));
}

static void new_section(kh_pstate *ps, kh_tokval num, kh_span label, kh_pclauses *attrs, kh_span whole)
{
    kh_scheme *s = ps->s;
    if (!kh_arena_grow(ps->arena, (void **)&s->sections, &s->nsections, &ps->capsec, sizeof *s->sections)) {
        nomem(ps);
        return;
    }
    kh_section *sec = &s->sections[s->nsections++];
    memset(sec, 0, sizeof *sec);
    sec->title = kh_b_text(ps, label);
    sec->title_span = label;
    sec->span = whole;
    sec->number = kh_b_text(ps, num.span);
    read_attrs(ps, attrs, &sec->attrs);
    sec->bonus = is_bonus_title(sec->title) || (sec->attrs.has_cap && !sec->attrs.has_base);
    ps->cur_sec = s->nsections - 1;
    ps->cur_sub = -1;
    ps->capsub = 0;
    ps->capitem = 0;
    ps->block = KH_BLK_BODY;
}

static void new_sub(kh_pstate *ps, kh_tokval num, kh_span label, kh_pclauses *attrs, kh_span whole)
{
    if (ps->cur_sec < 0) {
        kh_b_error(ps, &kh_m_too_deep, label, NULL, NULL);
        return;
    }
    kh_section *sec = &ps->s->sections[ps->cur_sec];
    if (!kh_arena_grow(ps->arena, (void **)&sec->subs, &sec->nsubs, &ps->capsub, sizeof *sec->subs)) {
        nomem(ps);
        return;
    }
    kh_section *sub = &sec->subs[sec->nsubs++];
    memset(sub, 0, sizeof *sub);
    sub->title = kh_b_text(ps, label);
    sub->title_span = label;
    sub->span = whole;
    sub->number = kh_b_text(ps, num.span);
    sub->depth = 1;
    sub->bonus = sec->bonus;
    read_attrs(ps, attrs, &sub->attrs);
    ps->cur_sub = sec->nsubs - 1;
    ps->capitem = 0;
}

static void new_item(kh_pstate *ps, kh_tokval num, kh_span label, kh_pclauses *attrs, kh_pclauses *clauses,
                     kh_span whole)
{
    kh_section *box = cur_container_section(ps);
    if (!box) {
        kh_b_error(ps, &kh_m_item_outside, label, NULL, NULL);
        return;
    }
    if (!kh_arena_grow(ps->arena, (void **)&box->items, &box->nitems, &ps->capitem, sizeof *box->items)) {
        nomem(ps);
        return;
    }
    kh_item *it = &box->items[box->nitems++];
    memset(it, 0, sizeof *it);
    it->label = kh_b_text(ps, label);
    it->label_span = label;
    it->span = whole;
    it->number = num.kind == KH_NUM_ITEM ? kh_b_text(ps, num.span) : NULL;
    read_attrs(ps, attrs, &it->attrs);
    item_clauses(ps, clauses, &it->clauses, &it->nclauses);
    if (!clauses && !it->attrs.has_range)
        warn(ps, &kh_m_empty_item, label);
}

static void new_grade(kh_pstate *ps, kh_span label, kh_pclauses *l, kh_span whole)
{
    kh_scheme *s = ps->s;
    if (!kh_arena_grow(ps->arena, (void **)&s->grades, &s->ngrades, &ps->capgrades, sizeof *s->grades)) {
        nomem(ps);
        return;
    }
    kh_grade *g = &s->grades[s->ngrades++];
    memset(g, 0, sizeof *g);
    g->name = kh_b_text(ps, label);
    g->name_span = label;
    g->span = whole;
    int cap = 0;
    for (int i = 0; l && i < l->n; i++) {
        kh_pclause *pc = l->v[i];
        if (!pc || pc->c.kind == KH_CL_NOTE)
            continue;
        kh_gcond gc = {0};
        gc.span = pc->c.span;
        if (pc->c.kind == KH_CL_TARGET && pc->cond.kind == KH_PC_RANGE && pc->c.range.pct == false &&
            pc->cond.hi.q.quant && strcmp(pc->cond.hi.q.quant, "名") == 0) {
            gc.kind = KH_GC_QUOTA;   /* 优秀：2-3名 */
            gc.n = pc->c.range.hi;
            gc.n_min = pc->c.range.lo;
        } else if (pc->c.kind == KH_CL_TARGET && pc->cond.kind == KH_PC_AVAL && pc->cond.alts[0].val.q.quant &&
                   strcmp(pc->cond.alts[0].val.q.quant, "名") == 0) {
            gc.kind = KH_GC_QUOTA;   /* 优秀：3名 / 不超过3名 */
            gc.n = pc->cond.alts[0].val.q.value;
        } else if (pc->c.kind == KH_CL_TARGET && pc->cond.kind == KH_PC_AVAL && pc->cond.alts[0].val.q.pct &&
                   pc->cond.alts[0].val.has_cmp && pc->cond.alts[0].val.cmp == KH_CMP_LE) {
            gc.kind = KH_GC_QUOTA;   /* 不超过20% */
            gc.n = pc->cond.alts[0].val.q.value;
            gc.pct = true;
        } else if (pc->c.kind == KH_CL_TARGET) {
            gc.kind = KH_GC_SCORE;
            gc.range = pc->c.range;
        } else if (pc->c.kind == KH_CL_RANK) {
            gc.kind = KH_GC_RANK;
            gc.n = pc->c.step.value;
            gc.pct = pc->c.step.pct;
        } else if (pc->c.kind == KH_CL_QUOTA) {
            gc.kind = KH_GC_QUOTA;
            gc.n = pc->c.step.value;
            gc.n_min = pc->c.range.has_lo ? pc->c.range.lo : 0;
            gc.pct = pc->c.step.pct;
        } else {
            kh_b_error(ps, &kh_m_unexpected_in_block, pc->c.span, "等次表", NULL);
            continue;
        }
        if (!kh_arena_grow(ps->arena, (void **)&g->conds, &g->nconds, &cap, sizeof *g->conds)) {
            nomem(ps);
            return;
        }
        g->conds[g->nconds++] = gc;
    }
}

static void new_veto(kh_pstate *ps, kh_span label, kh_pclauses *l, kh_span whole)
{
    kh_scheme *s = ps->s;
    if (!kh_arena_grow(ps->arena, (void **)&s->vetoes, &s->nvetoes, &ps->capvetoes, sizeof *s->vetoes)) {
        nomem(ps);
        return;
    }
    kh_veto *v = &s->vetoes[s->nvetoes++];
    memset(v, 0, sizeof *v);
    v->label = kh_b_text(ps, label);
    v->label_span = label;
    v->span = whole;
    for (int i = 0; l && i < l->n; i++) {
        kh_pclause *pc = l->v[i];
        if (!pc || pc->c.kind == KH_CL_NOTE)
            continue;
        if (pc->c.kind == KH_CL_RATE_AS) {
            v->cap_grade = kh_b_text(ps, pc->c.range.span);
            v->cap_span = pc->c.range.span;
        } else if (pc->c.kind == KH_CL_FLAG) {
            v->flag = kh_b_text(ps, pc->c.span);
        } else {
            kh_b_error(ps, &kh_m_unexpected_in_block, pc->c.span, "一票否决", NULL);
        }
    }
    if (!v->cap_grade && !v->flag)
        kh_b_error(ps, &kh_m_no_effect, whole, NULL, NULL);
}

static void new_prereq(kh_pstate *ps, kh_span label, kh_pclauses *l, kh_span whole)
{
    kh_scheme *s = ps->s;
    if (l && l->n)
        kh_b_error(ps, &kh_m_unexpected_in_block, l->v[0] ? l->v[0]->c.span : whole, "必备条件", NULL);
    if (!kh_arena_grow(ps->arena, (void **)&s->prereqs, &s->nprereqs, &ps->capprereqs, sizeof *s->prereqs)) {
        nomem(ps);
        return;
    }
    kh_prereq *p = &s->prereqs[s->nprereqs++];
    p->label = kh_b_text(ps, label);
    p->span = label;
}

/* The span without surrounding blanks. */
static kh_span trim_span(kh_pstate *ps, kh_span sp)
{
    const char *s = ps->src->text;
    size_t w;
    while (sp.len && is_space_at(s + sp.off, sp.len, 0, &w)) {
        sp.off += (uint32_t)w;
        sp.len -= (uint32_t)w;
    }
    while (sp.len && (s[sp.off + sp.len - 1] == ' ' || s[sp.off + sp.len - 1] == '\t' ||
                      s[sp.off + sp.len - 1] == '\r' || s[sp.off + sp.len - 1] == '\n'))
        sp.len--;
    return sp;
}

/* Place one heading or item line. */
void kh_b_item(kh_pstate *ps, kh_tokval num, kh_span label, kh_pclauses *attrs, kh_pclauses *clauses,
               kh_span whole)
{
    label = trim_span(ps, label);
    whole = trim_span(ps, whole);
    if (num.kind == KH_NUM_NONE && whole.off < label.off)
        whole = kh_span_join(label, (kh_span){whole.off + whole.len, 0});
    if (num.kind == KH_NUM_SECTION) {
        new_section(ps, num, label, attrs, whole);
        if (clauses && clauses->n)
            kh_b_error(ps, &kh_m_unexpected_in_block, clauses->v[0] ? clauses->v[0]->c.span : whole, "章节标题", NULL);
        return;
    }
    switch (ps->block) {
    case KH_BLK_GRADES:
        new_grade(ps, label, clauses, whole);
        return;
    case KH_BLK_VETO:
        new_veto(ps, label, clauses, whole);
        return;
    case KH_BLK_PREREQ:
        new_prereq(ps, label, clauses, whole);
        return;
    case KH_BLK_BODY:
        break;
    }
    if (num.kind == KH_NUM_SUB) {
        new_sub(ps, num, label, attrs, whole);
        if (clauses && clauses->n) {
            /* （一）标题：clauses — a sub-section that is also its own item */
            kh_tokval none = num;
            none.kind = KH_NUM_NONE;
            new_item(ps, none, label, NULL, clauses, whole);
        }
        return;
    }
    new_item(ps, num, label, attrs, clauses, whole);
}

void kh_b_finish(kh_pstate *ps)
{
    kh_scheme *s = ps->s;
    kh_span start = {0, 0};
    if (!s->nsections && !s->name && !s->ngrades) {
        kh_b_error(ps, &kh_m_empty, start, NULL, NULL);
        return;
    }
    if (!s->name)
        kh_b_error(ps, &kh_m_no_name, start, NULL, NULL);
}
