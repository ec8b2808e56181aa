/* gen.c — random valid schemes, event logs and rosters for the
 * differential test of the two engines.
 *
 * Everything is a function of the seed.  A scheme uses the constructs of
 * docs/reference.md: the header lines (考核对象, 满分, 基础分, 分数上限不含本数,
 * 计分单位：元, 加权计入, 考核周期), sections and sub-sections with bases, 满分,
 * 扣完为止, 倒扣分 and caps, a bonus section, and items built from every
 * clause form: per occurrence (with steps, leader shares), all or nothing,
 * thresholds, role / unit / size alternatives, targets with shortfall or
 * excess, percentage points, bands with and without gaps, proportional
 * bands, evaluators with ranges, 折合 and 按N%计入, tiers with 同项按最高级别,
 * 缺N人; then grades (ranges, ranks, quotas), vetoes and prerequisites.
 * Numbers have up to three decimals and are sometimes written with
 * full-width digits, Chinese numerals or Traditional keywords.
 *
 * The events use the scheme's labels, unknown labels, roster and unknown
 * persons, counts, decimals, rates and scores (some out of range), known
 * and unknown levels, colliding 编号 and dates in several formats.  Some
 * schemes leave out leader shares and some logs leave out broken rows, so
 * that kh_score's direct path (person schemes, clean logs) is exercised
 * as well as its full one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* ------------------------------------------------------------- random */

uint64_t kh_dg_next(kh_dg_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int kh_dg_below(kh_dg_rng *r, int n)
{
    return n <= 1 ? 0 : (int)(kh_dg_next(r) % (uint64_t)n);
}

bool kh_dg_chance(kh_dg_rng *r, int pct)
{
    return kh_dg_below(r, 100) < pct;
}

uint64_t kh_dg_mix(uint64_t seed, uint64_t k)
{
    kh_dg_rng r = {seed ^ (k * 0xd1b54a32d192ed03ULL)};
    kh_dg_next(&r);
    return kh_dg_next(&r);
}

static int kh_dg_between(kh_dg_rng *r, int lo, int hi)
{
    return lo + kh_dg_below(r, hi - lo + 1);
}

#define KH_DG_PICK(r, arr) ((arr)[kh_dg_below((r), (int)(sizeof(arr) / sizeof((arr)[0])))])

/* ------------------------------------------------------------ buffers */

void kh_dg_buf_init(kh_dg_buf *b, kh_alloc *a)
{
    memset(b, 0, sizeof *b);
    b->a = a;
}

void kh_dg_buf_free(kh_dg_buf *b)
{
    kh_free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void kh_dg_buf_clear(kh_dg_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = 0;
}

static bool kh_dg_reserve(kh_dg_buf *b, size_t more)
{
    if (b->oom)
        return false;
    if (b->n + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = kh_realloc(b->a, b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void kh_dg_putn(kh_dg_buf *b, const char *s, size_t n)
{
    if (!kh_dg_reserve(b, n))
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void kh_dg_puts(kh_dg_buf *b, const char *s)
{
    kh_dg_putn(b, s, strlen(s));
}

void kh_dg_vprintf(kh_dg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !kh_dg_reserve(b, (size_t)n))
        return;
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
}

void kh_dg_printf(kh_dg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kh_dg_vprintf(b, fmt, ap);
    va_end(ap);
}

/* --------------------------------------------------------------- pools */

static const char *const kh_dg_l_count[] = {
    "无故不参加学习", "未按要求制定计划", "执法证据不充足", "案件被法院撤销", "材料迟报", "公文超期未阅",
    "会议通知失误", "值班缺岗", "擅自离岗", "工作日饮酒", "违反纪律被通报", "不服从工作安排",
    "网络学习未完成", "学习强国被通报", "信访办理不及时", "泄密或文件丢失", "迟到", "早退", "旷工",
    "作风被通报", "安全事故", "出租房屋影响考核", "政策文件发布不及时", "党政信息网收发失误"};
static const char *const kh_dg_l_good[] = {"知识竞赛获得名次", "报名知识竞赛", "业务培训授课", "网站发布意见建议",
                                           "制定重点任务规划", "被评为优秀调研文章", "创新工作获推广",
                                           "代表参与全省竞赛", "竞赛取得名次", "撰写信息被采用"};
static const char *const kh_dg_l_words[] = {"学习笔记字数", "读书笔记字数", "调研报告字数", "心得体会字数"};
static const char *const kh_dg_l_docs[] = {"学习心得篇数", "信息报送条数", "民政系统用稿篇数", "调研文章篇数",
                                           "采用信息篇数", "党校学习次数", "讲课次数", "走访次数",
                                           "宣传稿件篇数", "培训参加次数"};
static const char *const kh_dg_l_rate[] = {"工作动态发布完成率", "网站更新完成率", "抽检合格率", "落实教材比例",
                                           "首席统计员设置完成率", "参训率", "规范化合格面", "整改完成率",
                                           "请假时间比例", "任务完成率"};
static const char *const kh_dg_l_hours[] = {"无故脱岗时长", "加班时长", "超时未到岗时长"};
static const char *const kh_dg_l_score[] = {"述职", "分管领导评分", "班子综合评议", "群众测评", "专班考核",
                                            "民主测评", "工作创新创优", "材料报送质量", "台账更新质量"};
static const char *const kh_dg_l_tier[] = {"获得表彰", "稿件被采用", "理论文章发表", "采稿奖励", "获得个人荣誉",
                                           "典型发言", "获得科室表彰"};
static const char *const kh_dg_l_flag[] = {"制定学习计划", "撰写调研报告", "改进工作平台", "开展集中学习研讨",
                                           "邀请专家授课", "参与执法监察", "完成社区共建任务", "完成扶贫任务",
                                           "完成文明创建任务", "规范化管理合格", "创建示范单位", "组建调查队",
                                           "所属人员制定学习计划", "所属人员业务备课"};
static const char *const kh_dg_l_veto[] = {"受警告以上处分", "拒不服从组织决定", "玩忽职守经督促不改", "被通报批评",
                                           "发生重大责任事故"};
static const char *const kh_dg_l_prereq[] = {"依法办理档案登记", "档案集中统一管理", "按规定移交档案",
                                             "报送公开文件", "两年内无安全事故"};
static const char *const kh_dg_l_unknown[] = {"未知事项", "其他工作", "临时任务", "学习笔记"};

static const char *const kh_dg_titles[] = {"政治理论和业务学习", "业务工作", "中心工作", "日常工作考核",
                                           "述职测评", "党建工作", "信息调研", "电子政务", "作风建设",
                                           "综治信访", "重点目标考评", "工作环节考评", "廉洁自律", "材料上报"};
static const char *const kh_dg_subtitles[] = {"学习教育", "调查研究", "机关效能", "业务技能", "业务培训",
                                              "知识竞赛", "建言献策", "理论文章", "文明创建", "信息报送"};
static const char *const kh_dg_roles[] = {"班子成员", "干部职工", "科长", "科员", "信息员", "管理员"};
static const char *const kh_dg_units[] = {"办公室", "执法科", "综合科", "社救局", "扶贫办", "政策法规科",
                                          "应急救援科", "档案室"};
static const char *const kh_dg_people_pool[] = {"王建国", "刘志强", "陈静", "赵丽娜", "孙浩", "周明辉",
                                                "吴晓燕", "郑凯", "黄丽萍", "林峰", "何雪梅", "马俊",
                                                "高远", "罗敏"};
static const char *const kh_dg_strangers[] = {"李四", "路人甲", "王五"};
static const char *const kh_dg_cn[] = {"零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"};
static const char *const kh_dg_secnum[] = {"一", "二", "三", "四", "五", "六", "七", "八"};
static const char *const kh_dg_circled[] = {"①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"};

/* ----------------------------------------------------------- the state */

/* The label pools, for kh_dg.used. */
enum { KH_DG_P_COUNT, KH_DG_P_GOOD, KH_DG_P_WORDS, KH_DG_P_DOCS, KH_DG_P_RATE, KH_DG_P_HOURS, KH_DG_P_SCORE,
       KH_DG_P_TIER, KH_DG_P_FLAG, KH_DG_P_N };

typedef struct kh_dg {
    kh_dg_rng *r;
    kh_dg_buf *out;
    kh_dg_meta *m;
    bool unit;          /* 考核对象：部门 */
    bool plain;         /* no leader shares (so the direct scoring path can take it) */
    bool yuan;          /* 计分单位：元 */
    bool ascii;         /* half-width punctuation */
    bool trad;          /* Traditional keywords now and then */
    unsigned used[KH_DG_P_N];   /* per pool: which entries are taken (bit k) */
    int fresh;          /* labels invented when a pool runs dry */
    char names[KH_DG_MAX_LABELS][48];
} kh_dg;


static void kh_dg_put(kh_dg *g, const char *s)
{
    kh_dg_puts(g->out, s);
}

static const char *kh_dg_colon(kh_dg *g)
{
    return g->ascii && kh_dg_chance(g->r, 50) ? ":" : "：";
}

static const char *kh_dg_comma(kh_dg *g)
{
    return g->ascii && kh_dg_chance(g->r, 50) ? "," : "，";
}

static const char *kh_dg_semi(kh_dg *g)
{
    int k = kh_dg_below(g->r, 10);
    return k < 6 ? "；" : k < 8 ? kh_dg_comma(g) : g->ascii ? ";" : "。";
}

static const char *kh_dg_lp(kh_dg *g)
{
    return g->ascii && kh_dg_chance(g->r, 50) ? "(" : "（";
}

static const char *kh_dg_rp(kh_dg *g)
{
    return g->ascii && kh_dg_chance(g->r, 50) ? ")" : "）";
}

static const char *kh_dg_kw(kh_dg *g, const char *simplified, const char *traditional)
{
    return g->trad && kh_dg_chance(g->r, 50) ? traditional : simplified;
}

/* A number as the user might write it: ASCII, sometimes full-width. */
static void kh_dg_num(kh_dg *g, kh_dec v)
{
    char b[48];
    kh_dec_format(v, b, sizeof b);
    if (!kh_dg_chance(g->r, 4)) {
        kh_dg_put(g, b);
        return;
    }
    for (const char *p = b; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            char fw[4] = {(char)0xEF, (char)0xBC, (char)(0x90 + (*p - '0')), 0};
            kh_dg_put(g, fw);
        } else if (*p == '.') {
            kh_dg_put(g, "．");
        } else {
            kh_dg_putn(g->out, p, 1);
        }
    }
}

/* A small whole count before a 量词: Arabic or Chinese numerals. */
static void kh_dg_count(kh_dg *g, int n)
{
    if (n >= 1 && n <= 10 && kh_dg_chance(g->r, 25))
        kh_dg_put(g, n == 2 && kh_dg_chance(g->r, 50) ? "二" : kh_dg_cn[n]);
    else
        kh_dg_num(g, (kh_dec)n * KH_DEC_ONE);
}

/* n (0..100) in Chinese numerals: 八十, 一百, 六十五. */
static void kh_dg_cn_number(kh_dg *g, int n)
{
    if (n >= 100) {
        kh_dg_put(g, "一百");
        return;
    }
    static const char *const digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n >= 10) {
        if (n >= 20)
            kh_dg_put(g, digit[n / 10]);
        kh_dg_put(g, "十");
        if (n % 10)
            kh_dg_put(g, digit[n % 10]);
        return;
    }
    kh_dg_put(g, digit[n]);
}

/* n% as 80% or, now and then, 百分之八十. */
static void kh_dg_pct(kh_dg *g, int n)
{
    if (n >= 1 && n <= 100 && kh_dg_chance(g->r, 8)) {
        kh_dg_put(g, "百分之");
        kh_dg_cn_number(g, n);
    } else {
        kh_dg_num(g, (kh_dec)n * KH_DEC_ONE);
        kh_dg_put(g, "%");
    }
}

/* An amount of points (or 元 in money schemes), up to three decimals. */
static kh_dec kh_dg_amount(kh_dg *g)
{
    static const kh_dec pts[] = {1000, 2000, 3000, 5000, 500, 100, 200, 250, 1500, 50, 10000, 125, 333, 1, 4000, 8000};
    static const kh_dec money[] = {50000, 100000, 200000, 60000, 400000, 12500, 1000};
    static const kh_dec huge[] = {123456789123, 999999999999999, 4000000000000000000LL};
    if (kh_dg_chance(g->r, 1))
        return KH_DG_PICK(g->r, huge);
    if (g->yuan && kh_dg_chance(g->r, 85))
        return KH_DG_PICK(g->r, money);
    if (kh_dg_chance(g->r, 8))
        return kh_dg_between(g->r, 1, 9999);
    return KH_DG_PICK(g->r, pts);
}

static const char *kh_dg_unit(kh_dg *g)
{
    bool yuan = g->yuan ? !kh_dg_chance(g->r, 5) : kh_dg_chance(g->r, 2);
    return yuan ? "元" : "分";
}

/* N分 / N元 */
static void kh_dg_amt(kh_dg *g, kh_dec v)
{
    if (v % KH_DEC_ONE == 0 && v > 0 && v <= 10 * KH_DEC_ONE && kh_dg_chance(g->r, 5)) {
        kh_dg_put(g, kh_dg_cn[v / KH_DEC_ONE]);
    } else {
        kh_dg_num(g, v);
    }
    kh_dg_put(g, kh_dg_unit(g));
}

/* Points of an item or a section: whole, sometimes with decimals. */
static kh_dec kh_dg_points(kh_dg *g, int lo, int hi)
{
    kh_dec p = (kh_dec)kh_dg_between(g->r, lo, hi) * KH_DEC_ONE;
    if (kh_dg_chance(g->r, 10))
        p += KH_DG_PICK(g->r, ((const kh_dec[]){500, 250, 5}));
    return p;
}

/* ------------------------------------------------------------- labels */

static void kh_dg_meta_add(kh_dg *g, const char *label, kh_dg_kind kind, kh_dec lo, kh_dec hi)
{
    kh_dg_meta *m = g->m;
    for (int i = 0; i < m->nlabels; i++)
        if (strcmp(m->labels[i].label, label) == 0) {
            if (kind == KH_DG_SCORE || kind == KH_DG_TIER)
                m->labels[i] = (kh_dg_label){label, kind, lo, hi};
            return;
        }
    if (m->nlabels < KH_DG_MAX_LABELS)
        m->labels[m->nlabels++] = (kh_dg_label){label, kind, lo, hi};
}

/* A label from a pool not used yet in this scheme (or an invented one). */
static const char *kh_dg_label_from(kh_dg *g, int pool, const char *const *v, int n)
{
    if (g->used[pool] && kh_dg_chance(g->r, 3)) {   /* two items reading one 事项 */
        for (int tries = 0; tries < 32; tries++) {
            int k = kh_dg_below(g->r, n < 32 ? n : 32);
            if (g->used[pool] & (1u << k))
                return v[k];
        }
    }
    for (int tries = 0; tries < 8; tries++) {
        int k = kh_dg_below(g->r, n);
        if (k < 32 && !(g->used[pool] & (1u << k))) {
            g->used[pool] |= 1u << k;
            return v[k];
        }
    }
    if (g->fresh >= KH_DG_MAX_LABELS)
        return v[0];
    char *s = g->names[g->fresh];
    snprintf(s, sizeof g->names[0], "%s其%d", v[kh_dg_below(g->r, n)], ++g->fresh);
    return s;
}

#define KH_DG_LABEL(g, pool, arr) kh_dg_label_from((g), (pool), (arr), (int)(sizeof(arr) / sizeof((arr)[0])))

static const char *kh_dg_role(kh_dg *g)
{
    const char *w = KH_DG_PICK(g->r, kh_dg_roles);
    kh_dg_meta *m = g->m;
    for (int i = 0; i < m->nroles; i++)
        if (m->roles[i] == w)
            return w;
    if (m->nroles < KH_DG_MAX_NAMES)
        m->roles[m->nroles++] = w;
    return w;
}

static const char *kh_dg_unitname(kh_dg *g)
{
    const char *w = KH_DG_PICK(g->r, kh_dg_units);
    kh_dg_meta *m = g->m;
    for (int i = 0; i < m->nunits; i++)
        if (m->units[i] == w)
            return w;
    if (m->nunits < KH_DG_MAX_NAMES)
        m->units[m->nunits++] = w;
    return w;
}

/* Who an alternative names: a role, or a unit in unit schemes. */
static const char *kh_dg_who(kh_dg *g)
{
    return g->unit ? kh_dg_unitname(g) : kh_dg_role(g);
}

/* ---------------------------------------------------------- item heads */

/* What an item is worth, as its attributes say. */
typedef struct kh_dg_head {
    kh_dec points;      /* 0: none */
    bool full;          /* （满分N分） rather than a base */
} kh_dg_head;

/* Indent, number, label. */
static void kh_dg_item_start(kh_dg *g, int index, const char *label)
{
    kh_dg_put(g, "  ");
    switch (kh_dg_below(g->r, 8)) {
    case 0: break;
    case 1: kh_dg_printf(g->out, "%d、", index + 1); break;
    case 2: kh_dg_printf(g->out, "%s%d%s", kh_dg_lp(g), index + 1, kh_dg_rp(g)); break;
    case 3: kh_dg_put(g, kh_dg_circled[index % 10]); break;
    default: kh_dg_printf(g->out, "%d. ", index + 1); break;
    }
    kh_dg_put(g, label);
}

/* （基础分N分） / （满分N分） / （N分）, maybe with 扣完为止 or 倒扣分. */
static kh_dg_head kh_dg_item_attrs(kh_dg *g, int want)
{
    kh_dg_head h = {0, false};
    if (want == 0)
        return h;
    h.points = kh_dg_points(g, 1, 15);
    h.full = want == 2;
    kh_dg_put(g, kh_dg_lp(g));
    if (h.full) {
        kh_dg_put(g, kh_dg_kw(g, "满分", "滿分"));
    } else {
        switch (kh_dg_below(g->r, 4)) {
        case 0: kh_dg_put(g, "基本分"); break;
        case 1: kh_dg_put(g, kh_dg_kw(g, "基础分", "基礎分")); break;
        case 2: kh_dg_put(g, "分值"); break;
        default: break;   /* （5分）: the item's points */
        }
    }
    kh_dg_num(g, h.points);
    kh_dg_put(g, "分");
    if (kh_dg_chance(g->r, 12)) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_kw(g, "扣完为止", "扣完為止"));
    } else if (kh_dg_chance(g->r, 8)) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_kw(g, "实行倒扣分", "實行倒扣分"));
    }
    kh_dg_put(g, kh_dg_rp(g));
    return h;
}

/* ，扣完为止 / ，实行倒扣分 / ，最高加N分 after an item's clauses. */
static void kh_dg_tail(kh_dg *g, bool adds)
{
    if (kh_dg_chance(g->r, 4))
        kh_dg_printf(g->out, "%s备注：以文件为准%s", kh_dg_lp(g), kh_dg_rp(g));
    int k = kh_dg_below(g->r, 12);
    if (k == 0) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_kw(g, "扣完为止", "扣完為止"));
    } else if (k == 1) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "实行倒扣分");
    } else if (k <= 3 && adds) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_chance(g->r, 50) ? "最高加" : "加分不超过");
        kh_dg_amt(g, kh_dg_amount(g));
    }
}

/* ------------------------------------------------------- item recipes */

/* 每次扣1分 and friends: amount × Σ数量 (in steps). */
static void kh_dg_it_per(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_COUNT, kh_dg_l_count);
    kh_dg_meta_add(g, label, KH_DG_COUNT, 0, 3 * KH_DEC_ONE);
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 15) ? 1 : 0);
    kh_dg_put(g, kh_dg_colon(g));
    bool leader = !g->plain && (!g->unit || kh_dg_chance(g->r, 10));
    switch (kh_dg_below(g->r, leader ? 11 : 8)) {
    case 0: kh_dg_put(g, kh_dg_kw(g, "每次扣", "每次扣")); kh_dg_amt(g, kh_dg_amount(g)); break;
    case 1:
        kh_dg_printf(g->out, "每%s", KH_DG_PICK(g->r, ((const char *const[]){"缺席", "发现", "出现", "超期或未阅处"})));
        kh_dg_count(g, 1);
        kh_dg_put(g, "次扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 2:
        kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"迟报", "通报", "发现", "失误"})));
        kh_dg_count(g, 1);
        kh_dg_put(g, "次扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 3:
        kh_dg_put(g, "每");
        kh_dg_count(g, kh_dg_between(g->r, 2, 3));
        kh_dg_put(g, "次扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 4:
        kh_dg_printf(g->out, "每%s扣", KH_DG_PICK(g->r, ((const char *const[]){"项", "起", "人", "件", "項"})));
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 5:
        kh_dg_put(g, "出现");
        kh_dg_count(g, 1);
        kh_dg_put(g, "起扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 6:
        kh_dg_put(g, "扣");   /* an effect alone: per occurrence */
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 7:
        if (kh_dg_chance(g->r, 50)) {
            kh_dg_put(g, "每半小时扣");
            kh_dg_amt(g, kh_dg_amount(g));
            kh_dg_meta_add(g, label, KH_DG_HOURS, 0, 4 * KH_DEC_ONE);
            break;
        }
        kh_dg_put(g, "有关责任人每人扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 8:
        kh_dg_put(g, "通报一次分管领导扣");
        kh_dg_amt(g, kh_dg_amount(g));
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_chance(g->r, 50) ? "责任人扣" : "本人扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    case 9:
        kh_dg_put(g, "每出现一起分管领导和责任人各扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    default:
        kh_dg_put(g, "每次分管领导扣");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    }
    kh_dg_tail(g, false);
}

/* 每人每次加5分, 采稿1篇奖励50元 … */
static void kh_dg_it_add(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_GOOD, kh_dg_l_good);
    kh_dg_meta_add(g, label, KH_DG_COUNT, 0, 3 * KH_DEC_ONE);
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 10) ? 1 : 0);
    kh_dg_put(g, kh_dg_colon(g));
    switch (kh_dg_below(g->r, 6)) {
    case 0: kh_dg_put(g, "每人每次加"); break;
    case 1: kh_dg_put(g, "每篇加"); break;
    case 2: kh_dg_put(g, "另加"); break;
    case 3: kh_dg_put(g, "每项规划加"); break;
    case 4: kh_dg_put(g, "采稿"); kh_dg_count(g, 1); kh_dg_put(g, "篇奖励"); break;
    default: kh_dg_put(g, "每"); kh_dg_count(g, 2); kh_dg_put(g, "次再加"); break;
    }
    kh_dg_amt(g, kh_dg_amount(g));
    kh_dg_tail(g, true);
}

/* 未落实不得分 (with more clauses), 完成的得1分, 得5分. */
static void kh_dg_it_all(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_FLAG, kh_dg_l_flag);
    kh_dg_item_start(g, index, label);
    int form = kh_dg_below(g->r, 6);
    kh_dg_kind kind = KH_DG_FLAG;
    if (form <= 2) {
        kh_dg_item_attrs(g, form == 2 ? 2 : 1);
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, kh_dg_chance(g->r, 70) ? "未落实不得分" : "未完成不得分");
        int more = kh_dg_below(g->r, 5);
        if (more == 1) {
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"每人每次加", "授课每人每次加", "每项规划加"})));
            kh_dg_amt(g, kh_dg_amount(g));
            kind = KH_DG_COUNT;
        } else if (more == 2 && (g->unit || kh_dg_chance(g->r, 10))) {
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, "缺");
            kh_dg_count(g, kh_dg_chance(g->r, 80) ? 1 : 2);
            kh_dg_put(g, "人扣");
            kh_dg_amt(g, kh_dg_amount(g));
        } else if (more == 3) {
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, "市级刊物加");
            kh_dg_amt(g, kh_dg_amount(g));
            kh_dg_put(g, "、省级刊物加");
            kh_dg_amt(g, kh_dg_amount(g));
            kh_dg_put(g, "、国家级刊物加");
            kh_dg_amt(g, kh_dg_amount(g));
            kind = KH_DG_TIER;
        }
    } else if (form == 3) {
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, "完成的得");
        kh_dg_amt(g, kh_dg_amount(g));
    } else if (form == 4) {
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, "得");
        kh_dg_amt(g, kh_dg_amount(g));
    } else {
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, "完成的得");
        kh_dg_amt(g, kh_dg_amount(g));
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "少于");
        kh_dg_count(g, 1);
        kh_dg_put(g, "次的扣");
        kh_dg_amt(g, kh_dg_amount(g));
    }
    kh_dg_meta_add(g, label, kind, 0, KH_DEC_ONE);
}

/* A comparison phrase around n 量词: 少于N次 / N次以上 / 达不到N次以上 … */
static void kh_dg_compare(kh_dg *g, int form, kh_dec n, const char *q)
{
    static const char *const pre[] = {"少于", "不满", "超过", "高于", "不超过", "低于", "多于", "达到", "不足",
                                      "不少于", "达不到"};
    if (form < 11) {
        kh_dg_put(g, pre[form]);
        kh_dg_num(g, n);
        kh_dg_put(g, q);
        if (form == 10)
            kh_dg_put(g, "以上");
    } else {
        kh_dg_num(g, n);
        kh_dg_put(g, q);
        kh_dg_put(g, form == 11 ? "以上" : "以下");
    }
}

/* 少于1万字的扣2分, 超过1小时的扣1分, 3次以上得1分 … */
static void kh_dg_it_threshold(kh_dg *g, int index)
{
    int what = kh_dg_below(g->r, 3);
    const char *label;
    const char *q;
    kh_dec n;
    if (what == 0) {
        label = KH_DG_LABEL(g, KH_DG_P_WORDS, kh_dg_l_words);
        kh_dg_meta_add(g, label, KH_DG_WORDS, 0, 40000 * KH_DEC_ONE);
        q = "万字";
        n = kh_dg_between(g->r, 1, 3) * KH_DEC_ONE;
    } else if (what == 1) {
        label = KH_DG_LABEL(g, KH_DG_P_HOURS, kh_dg_l_hours);
        kh_dg_meta_add(g, label, KH_DG_HOURS, 0, 4 * KH_DEC_ONE);
        q = KH_DG_PICK(g->r, ((const char *const[]){"小时", "小時", "天"}));
        n = kh_dg_between(g->r, 1, 3) * KH_DEC_ONE / (kh_dg_chance(g->r, 20) ? 2 : 1);
    } else {
        label = KH_DG_LABEL(g, KH_DG_P_DOCS, kh_dg_l_docs);
        kh_dg_meta_add(g, label, KH_DG_COUNT, 0, 5 * KH_DEC_ONE);
        q = KH_DG_PICK(g->r, ((const char *const[]){"次", "篇", "条", "项"}));
        n = kh_dg_between(g->r, 1, 4) * KH_DEC_ONE;
    }
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 20) ? kh_dg_between(g->r, 1, 2) : 0);
    kh_dg_put(g, kh_dg_colon(g));
    int clauses = kh_dg_between(g->r, 1, 3);
    for (int i = 0; i < clauses; i++) {
        if (i)
            kh_dg_put(g, kh_dg_semi(g));
        int form = kh_dg_below(g->r, 13);
        kh_dg_compare(g, form, n + (kh_dec)kh_dg_below(g->r, 3) * KH_DEC_ONE, q);
        if (kh_dg_chance(g->r, 70))
            kh_dg_put(g, "的");
        switch (kh_dg_below(g->r, 5)) {
        case 0: kh_dg_put(g, "得"); break;
        case 1: kh_dg_put(g, "加"); break;
        default: kh_dg_put(g, "扣"); break;
        }
        kh_dg_amt(g, kh_dg_amount(g));
        if (kh_dg_chance(g->r, 15)) {   /* an effect alone repeats the condition */
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, kh_dg_chance(g->r, 50) && !g->unit && !g->plain ? "分管领导扣" : "责任人扣");
            kh_dg_amt(g, kh_dg_amount(g));
        }
    }
    kh_dg_tail(g, true);
}

/* 班子成员3万字以上、干部职工2万字以上得1分，班子成员少于3万字、干部职工少于2万字的扣1分 */
static void kh_dg_it_alts(kh_dg *g, int index)
{
    bool words = kh_dg_chance(g->r, 50);
    const char *label = words ? KH_DG_LABEL(g, KH_DG_P_WORDS, kh_dg_l_words) : KH_DG_LABEL(g, KH_DG_P_DOCS, kh_dg_l_docs);
    kh_dg_meta_add(g, label, words ? KH_DG_WORDS : KH_DG_COUNT, 0, words ? 40000 * KH_DEC_ONE : 5 * KH_DEC_ONE);
    const char *q = words ? "万字" : "篇";
    int nalt = kh_dg_between(g->r, 2, 3);
    const char *who[3];
    kh_dec n[3];
    for (int i = 0; i < nalt; i++) {
        who[i] = kh_dg_who(g);
        n[i] = kh_dg_between(g->r, 1, 4) * KH_DEC_ONE;
    }
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 25) ? 2 : 0);
    kh_dg_put(g, kh_dg_colon(g));
    int clauses = kh_dg_between(g->r, 1, 2);
    for (int c = 0; c < clauses; c++) {
        if (c)
            kh_dg_put(g, kh_dg_comma(g));
        bool below = c == 1 || kh_dg_chance(g->r, 30);
        for (int i = 0; i < nalt; i++) {
            if (i)
                kh_dg_put(g, "、");
            kh_dg_put(g, who[i]);
            kh_dg_compare(g, below ? 0 : 11, n[i], q);
        }
        kh_dg_put(g, below ? "的扣" : "得");
        kh_dg_amt(g, kh_dg_amount(g));
    }
}

/* 不少于2条（其中社救局不少于3条、扶贫办不少于1条），每少完成1条扣50元;
 * 12篇以上（2人部门15篇、3人以上部门18篇）得2分；超额完成10篇的加0.1分，最高加1分 */
static void kh_dg_it_paren(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_DOCS, kh_dg_l_docs);
    kh_dg_meta_add(g, label, KH_DG_COUNT, 0, 20 * KH_DEC_ONE);
    const char *q = KH_DG_PICK(g->r, ((const char *const[]){"条", "篇", "條"}));
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 30) ? 2 : 0);
    kh_dg_put(g, kh_dg_colon(g));
    if (kh_dg_chance(g->r, 50)) {
        kh_dg_put(g, "不少于");
        kh_dg_count(g, kh_dg_between(g->r, 1, 3));
        kh_dg_put(g, q);
        kh_dg_put(g, kh_dg_lp(g));
        int nalt = kh_dg_between(g->r, 1, 2);
        for (int i = 0; i < nalt; i++) {
            kh_dg_put(g, i ? "、" : "其中");
            kh_dg_put(g, kh_dg_who(g));
            kh_dg_put(g, "不少于");
            kh_dg_count(g, kh_dg_between(g->r, 1, 4));
            kh_dg_put(g, q);
        }
        kh_dg_put(g, kh_dg_rp(g));
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "每少完成");
        kh_dg_count(g, 1);
        kh_dg_printf(g->out, "%s扣", q);
        if (kh_dg_chance(g->r, 30))
            kh_dg_put(g, "工作目标奖");
        kh_dg_amt(g, kh_dg_amount(g));
        return;
    }
    int base = kh_dg_between(g->r, 4, 12);
    kh_dg_num(g, base * KH_DEC_ONE);
    kh_dg_printf(g->out, "%s以上%s2人部门", q, kh_dg_lp(g));
    kh_dg_num(g, (base + kh_dg_between(g->r, 1, 3)) * KH_DEC_ONE);
    kh_dg_printf(g->out, "%s、3人以上部门", q);
    kh_dg_num(g, (base + kh_dg_between(g->r, 2, 6)) * KH_DEC_ONE);
    kh_dg_put(g, q);
    kh_dg_put(g, kh_dg_rp(g));
    kh_dg_put(g, "得");
    kh_dg_amt(g, kh_dg_amount(g));
    if (kh_dg_chance(g->r, 70)) {
        kh_dg_put(g, kh_dg_semi(g));
        kh_dg_put(g, "超额完成");
        kh_dg_count(g, kh_dg_between(g->r, 1, 5));
        kh_dg_printf(g->out, "%s的加", q);
        kh_dg_amt(g, kh_dg_amount(g));
        if (kh_dg_chance(g->r, 60)) {
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, "最高加");
            kh_dg_amt(g, kh_dg_amount(g));
        }
    }
}

/* The effects of a shortfall: the person, the leader, or both
 * (扣1分 / 分管领导扣1分，责任人扣2分 / 分管领导和责任人各扣1分). */
static void kh_dg_shares(kh_dg *g)
{
    int k = g->unit || g->plain ? 0 : kh_dg_below(g->r, 6);
    if (k == 3) {
        kh_dg_put(g, "分管领导扣");
        kh_dg_amt(g, kh_dg_amount(g));
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "责任人");
    } else if (k == 4) {
        kh_dg_put(g, "分管领导和责任人各");
    } else if (k == 5) {
        kh_dg_put(g, "分管领导");
    }
    kh_dg_put(g, "扣");
    kh_dg_amt(g, kh_dg_amount(g));
}

/* 应达2篇，每少1篇扣1分; 不少于3次，每差一次扣0.5分; 应达10篇，超额每5篇加0.5分 */
static void kh_dg_it_target(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_DOCS, kh_dg_l_docs);
    kh_dg_meta_add(g, label, KH_DG_COUNT, 0, 8 * KH_DEC_ONE);
    const char *q = KH_DG_PICK(g->r, ((const char *const[]){"篇", "次", "项", "條"}));
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 25) ? kh_dg_between(g->r, 1, 2) : 0);
    kh_dg_put(g, kh_dg_colon(g));
    int target = kh_dg_between(g->r, 1, 6);
    switch (kh_dg_below(g->r, 5)) {
    case 0: kh_dg_put(g, kh_dg_kw(g, "应达", "應達")); break;
    case 1: kh_dg_put(g, "不少于"); break;
    case 2: kh_dg_put(g, "要求"); break;
    case 3: kh_dg_put(g, "应完成"); break;
    default: break;   /* a bare number is the target */
    }
    kh_dg_count(g, target);
    kh_dg_put(g, q);
    int k = kh_dg_below(g->r, 10);
    if (k < 6) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"每少", "每差", "每少完成"})));
        kh_dg_count(g, kh_dg_chance(g->r, 80) ? 1 : 2);
        kh_dg_put(g, q);
        kh_dg_shares(g);
    }
    if (k >= 4) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_chance(g->r, 50) ? "超额每" : "超额完成");
        kh_dg_count(g, kh_dg_between(g->r, 1, 3));
        kh_dg_printf(g->out, "%s加", q);
        kh_dg_amt(g, kh_dg_amount(g));
        if (kh_dg_chance(g->r, 60)) {
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, "最高加");
            kh_dg_amt(g, kh_dg_amount(g));
        }
    }
    kh_dg_tail(g, false);
}

/* 不低于90%，低于1个百分点扣1分; 不低于100%的得1分；不低于100%，每差10个百分点分管领导扣0.1分… */
static void kh_dg_it_points(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_RATE, kh_dg_l_rate);
    kh_dg_meta_add(g, label, KH_DG_RATE, 0, 100 * KH_DEC_ONE);
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 40) ? kh_dg_between(g->r, 1, 2) : 0);
    kh_dg_put(g, kh_dg_colon(g));
    kh_dec target = (kh_dec)kh_dg_between(g->r, 5, 10) * 10 * KH_DEC_ONE;
    if (kh_dg_chance(g->r, 30)) {
        kh_dg_put(g, "不低于");
        kh_dg_num(g, target);
        kh_dg_put(g, "%的得");
        kh_dg_amt(g, kh_dg_amount(g));
        kh_dg_put(g, kh_dg_semi(g));
    }
    kh_dg_put(g, "不低于");
    kh_dg_num(g, target);
    kh_dg_put(g, kh_dg_chance(g->r, 80) ? "%" : "％");
    kh_dg_put(g, kh_dg_comma(g));
    if (kh_dg_chance(g->r, 40)) {
        kh_dg_put(g, "低于");
        kh_dg_count(g, 1);
        kh_dg_put(g, kh_dg_kw(g, "个百分点扣", "個百分點扣"));
        kh_dg_amt(g, kh_dg_amount(g));
    } else {
        kh_dg_put(g, "每差");
        kh_dg_num(g, (kh_dec)KH_DG_PICK(g->r, ((const int[]){1, 5, 10, 10, 3})) * KH_DEC_ONE);
        kh_dg_put(g, "个百分点");
        if (!g->unit && !g->plain && kh_dg_chance(g->r, 40)) {
            kh_dg_put(g, "分管领导扣");
            kh_dg_amt(g, kh_dg_amount(g));
            kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"部门信息员扣", "管理员扣"})));
            kh_dg_amt(g, kh_dg_amount(g));
        } else {
            kh_dg_shares(g);
        }
    }
    if (kh_dg_chance(g->r, 40)) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_kw(g, "扣完为止", "扣完為止"));
    }
}

/* One band's range over a percentage or a count: [lo, hi], hi < 0 open
 * above, lo < 0 open below. */
static void kh_dg_band_range(kh_dg *g, int lo, int hi, bool pct, const char *q)
{
    const char *u = pct ? "%" : q;
    if (hi < 0) {
        switch (kh_dg_below(g->r, 4)) {
        case 0:
            kh_dg_put(g, "达");
            if (pct)
                kh_dg_pct(g, lo);
            else
                kh_dg_printf(g->out, "%d%s", lo, u);
            kh_dg_put(g, "以上");
            break;
        case 1: kh_dg_put(g, "不低于"); kh_dg_num(g, lo * KH_DEC_ONE); kh_dg_put(g, u); break;
        case 2: kh_dg_put(g, "超过"); kh_dg_num(g, (lo > 0 ? lo - 1 : 0) * KH_DEC_ONE); kh_dg_put(g, u); break;
        default: kh_dg_num(g, lo * KH_DEC_ONE); kh_dg_printf(g->out, "%s以上", u); break;
        }
    } else if (lo < 0) {
        switch (kh_dg_below(g->r, 3)) {
        case 0:
            kh_dg_put(g, "低于");
            if (pct)
                kh_dg_pct(g, hi + 1);
            else
                kh_dg_printf(g->out, "%d%s", hi + 1, u);
            break;
        case 1: kh_dg_put(g, "不超过"); kh_dg_num(g, hi * KH_DEC_ONE); kh_dg_put(g, u); break;
        default: kh_dg_num(g, hi * KH_DEC_ONE); kh_dg_printf(g->out, "%s以下", u); break;
        }
    } else if (lo == hi && pct && kh_dg_chance(g->r, 50)) {
        kh_dg_num(g, lo * KH_DEC_ONE);   /* N% alone: exactly */
        kh_dg_put(g, u);
    } else {
        bool high_first = kh_dg_chance(g->r, 40);
        const char *to = KH_DG_PICK(g->r, ((const char *const[]){"至", "-", "—", "到"}));
        kh_dg_num(g, (high_first ? hi : lo) * KH_DEC_ONE);
        if (pct || kh_dg_chance(g->r, 50))
            kh_dg_put(g, u);
        kh_dg_put(g, to);
        kh_dg_num(g, (high_first ? lo : hi) * KH_DEC_ONE);
        kh_dg_put(g, u);
    }
}

/* What a band gives: 得满分, N分, 不得分 … */
static void kh_dg_band_value(kh_dg *g, kh_dec v, kh_dec points)
{
    if (kh_dg_chance(g->r, 15)) {   /* 的8分: the value right after the condition */
        kh_dg_put(g, "的");
        kh_dg_num(g, v);
        kh_dg_put(g, "分");
        return;
    }
    if (kh_dg_chance(g->r, 60))
        kh_dg_put(g, "的");
    if (v == points && kh_dg_chance(g->r, 50)) {
        kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"得满分", "赐予满分", "得滿分"})));
        return;
    }
    if (v == 0 && kh_dg_chance(g->r, 60)) {
        kh_dg_put(g, kh_dg_chance(g->r, 50) ? "不得分" : "得0分");
        return;
    }
    kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"得", "赐予", "给予", "得"})));
    kh_dg_num(g, v);
    kh_dg_put(g, "分");
}

/* 80%以上得满分；79%至70%得8分；69%至60%得5分；29%以下得0分 — with or
 * without gaps, bands touching or not, over a rate or a count. */
static void kh_dg_it_bands(kh_dg *g, int index)
{
    bool pct = kh_dg_chance(g->r, 70);
    const char *label = pct ? KH_DG_LABEL(g, KH_DG_P_RATE, kh_dg_l_rate) : KH_DG_LABEL(g, KH_DG_P_DOCS, kh_dg_l_docs);
    kh_dg_meta_add(g, label, pct ? KH_DG_RATE : KH_DG_COUNT, 0, pct ? 100 * KH_DEC_ONE : 8 * KH_DEC_ONE);
    const char *q = KH_DG_PICK(g->r, ((const char *const[]){"次", "篇", "项"}));
    kh_dg_item_start(g, index, label);
    kh_dg_head h = kh_dg_item_attrs(g, kh_dg_chance(g->r, 85) ? 2 : 1);
    kh_dg_put(g, kh_dg_colon(g));
    int top = pct ? kh_dg_between(g->r, 40, 100) : kh_dg_between(g->r, 2, 8);
    int nb = kh_dg_between(g->r, 2, 5);
    if (!pct && nb > top + 1)
        nb = top + 1;
    int step = pct ? kh_dg_between(g->r, 1, top / nb) : 1;
    int b[6];   /* lower bounds, descending */
    for (int i = 0; i < nb - 1; i++)
        b[i] = top - i * step;
    bool touch = kh_dg_chance(g->r, 30), gaps = kh_dg_chance(g->r, 30);
    kh_dec v = h.points;
    for (int k = 0; k < nb; k++) {
        if (k)
            kh_dg_put(g, kh_dg_semi(g));
        int lo = k < nb - 1 ? b[k] : -1;
        int hi = k == 0 ? -1 : (touch ? b[k - 1] : b[k - 1] - 1);
        if (k > 0 && gaps && kh_dg_chance(g->r, 50))
            hi -= kh_dg_between(g->r, 1, step);   /* a gap under the band above */
        if (k > 0 && hi < 0)
            hi = 0;
        if (lo >= 0 && hi >= 0 && lo > hi)
            lo = hi;
        kh_dg_band_range(g, lo, hi, pct, q);
        kh_dg_band_value(g, v, h.points);
        v = k == nb - 2 ? 0 : v * kh_dg_between(g->r, 4, 9) / 10;
    }
}

/* 全部完成得5分，41%-99%用系数计算得分，低于40%的不得分 */
static void kh_dg_it_prop(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_RATE, kh_dg_l_rate);
    kh_dg_meta_add(g, label, KH_DG_RATE, 0, 100 * KH_DEC_ONE);
    kh_dg_item_start(g, index, label);
    kh_dg_head h = kh_dg_item_attrs(g, kh_dg_chance(g->r, 80) ? 2 : 1);
    kh_dg_put(g, kh_dg_colon(g));
    int low = kh_dg_between(g->r, 20, 60);
    bool all = kh_dg_chance(g->r, 70);
    if (all) {
        kh_dg_put(g, kh_dg_chance(g->r, 70) ? "全部完成得" : "全面完成得");
        kh_dg_num(g, h.points);
        kh_dg_put(g, "分");
        kh_dg_put(g, kh_dg_comma(g));
    }
    kh_dg_num(g, (low + (kh_dg_chance(g->r, 50) ? 1 : 0)) * KH_DEC_ONE);
    kh_dg_put(g, "%-");
    kh_dg_num(g, (all ? 99 : 100) * KH_DEC_ONE);
    kh_dg_put(g, "%");
    kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"用系数计算得分", "按比例计分", "用係數計算得分"})));
    if (kh_dg_chance(g->r, 80)) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "低于");
        kh_dg_num(g, low * KH_DEC_ONE);
        kh_dg_put(g, "%的不得分");
    }
}

/* 评分，满分10分; 评分1—3分; （1—3分）; with 折合 or 按N%计入. */
static void kh_dg_it_eval(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_SCORE, kh_dg_l_score);
    kh_dg_item_start(g, index, label);
    int form = kh_dg_below(g->r, 4);
    kh_dec lo = 0, hi = kh_dg_points(g, 1, 25);
    if (form == 1 || form == 2)
        lo = (kh_dec)kh_dg_between(g->r, 0, 2) * KH_DEC_ONE, hi = lo + (kh_dec)kh_dg_between(g->r, 1, 14) * KH_DEC_ONE;
    const char *word = KH_DG_PICK(g->r, ((const char *const[]){"评分", "打分", "测评", "評分", "评议"}));
    if (form == 0) {
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_printf(g->out, "%s%s%s", word, kh_dg_comma(g), kh_dg_kw(g, "满分", "滿分"));
        kh_dg_num(g, hi);
        kh_dg_put(g, "分");
    } else if (form == 1) {
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, word);
        kh_dg_num(g, lo);
        kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"—", "-", "至", "～"})));
        kh_dg_num(g, hi);
        kh_dg_put(g, "分");
    } else if (form == 2) {
        kh_dg_put(g, kh_dg_lp(g));
        kh_dg_num(g, lo);
        kh_dg_put(g, "—");
        kh_dg_num(g, hi);
        kh_dg_put(g, "分");
        kh_dg_put(g, kh_dg_rp(g));
        kh_dg_meta_add(g, label, KH_DG_SCORE, lo, hi);
        return;
    } else {
        kh_dg_put(g, kh_dg_lp(g));
        kh_dg_put(g, "满分");
        kh_dg_num(g, hi);
        kh_dg_put(g, "分");
        kh_dg_put(g, kh_dg_rp(g));
        kh_dg_put(g, kh_dg_colon(g));
        kh_dg_put(g, word);
    }
    kh_dg_meta_add(g, label, KH_DG_SCORE, lo, hi);
    int k = kh_dg_below(g->r, 6);
    if (k == 0) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_chance(g->r, 70) ? "折合" : "折算为");
        kh_dg_amt(g, kh_dg_points(g, 1, 20));
    } else if (k == 1) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "按");
        kh_dg_num(g, (kh_dec)kh_dg_between(g->r, 1, 10) * 10 * KH_DEC_ONE + (kh_dg_chance(g->r, 20) ? 500 : 0));
        kh_dg_put(g, "%计入");
    }
}

/* A level name, now and then in Traditional characters. */
static const char *kh_dg_level(kh_dg *g, int k)
{
    static const char *const simp[] = {"国家级", "省级", "市级", "县级", "区级"};
    static const char *const trad[] = {"國家級", "省級", "市級", "縣級", "區級"};
    return g->trad && kh_dg_chance(g->r, 50) ? trad[k] : simp[k];
}

static const char *kh_dg_dedupe(kh_dg *g)
{
    static const char *const v[] = {"同项按最高级别加分一次", "同一稿件按最高计分1次", "以录用的最高级别进行奖励",
                                    "不重复加分", "同项内容按最高级别加分一次，不重复加分",
                                    "同一稿件被不同机关录用的，按最高计分1次"};
    return KH_DG_PICK(g->r, v);
}

/* 国家级加10分，省级加8分…；同项按最高级别加分一次, and the other tier forms. */
static void kh_dg_it_tier(kh_dg *g, int index)
{
    const char *label = KH_DG_LABEL(g, KH_DG_P_TIER, kh_dg_l_tier);
    kh_dg_meta_add(g, label, KH_DG_TIER, 0, 3 * KH_DEC_ONE);
    kh_dg_item_start(g, index, label);
    kh_dg_item_attrs(g, kh_dg_chance(g->r, 10) ? 1 : 0);
    kh_dg_put(g, kh_dg_colon(g));
    int first = kh_dg_below(g->r, 3), n = kh_dg_between(g->r, 1, 5 - first);
    switch (kh_dg_below(g->r, 6)) {
    case 0:
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, kh_dg_chance(g->r, 50) ? kh_dg_comma(g) : "、");
            kh_dg_put(g, kh_dg_level(g, first + i));
            kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"加", "奖", "得"})));
            kh_dg_amt(g, kh_dg_amount(g));
        }
        break;
    case 1:
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, kh_dg_comma(g));
            kh_dg_put(g, kh_dg_level(g, first + i));
            kh_dg_put(g, "每篇");
            kh_dg_amt(g, kh_dg_amount(g));
        }
        break;
    case 2: {
        static const char *const shortn[] = {"国家", "省", "市", "县", "区"};
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, "、");
            kh_dg_put(g, shortn[first + i]);
        }
        kh_dg_put(g, "每篇分别奖励");
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, "、");
            kh_dg_amt(g, kh_dg_amount(g));
        }
        break;
    }
    case 3:
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, "、");
            kh_dg_printf(g->out, "%s刊物加", kh_dg_level(g, 4 - first - i > 0 ? 4 - first - i : 0));
            kh_dg_amt(g, kh_dg_amount(g));
        }
        break;
    case 4:
        for (int i = 0; i < n; i++) {
            if (i)
                kh_dg_put(g, kh_dg_comma(g));
            kh_dg_printf(g->out, "%s采稿", kh_dg_level(g, first + i));
            kh_dg_count(g, 1);
            kh_dg_put(g, "篇奖励");
            kh_dg_amt(g, kh_dg_amount(g));
        }
        break;
    default:
        kh_dg_put(g, kh_dg_level(g, first));
        for (int i = 1; i < n; i++) {
            kh_dg_put(g, "、");
            kh_dg_put(g, kh_dg_level(g, first + i));
        }
        kh_dg_put(g, "加");
        kh_dg_amt(g, kh_dg_amount(g));
        break;
    }
    if (kh_dg_chance(g->r, 60)) {
        kh_dg_put(g, kh_dg_semi(g));
        kh_dg_put(g, kh_dg_dedupe(g));
    }
    kh_dg_tail(g, true);
}

typedef void (*kh_dg_recipe)(kh_dg *g, int index);

/* One item of an ordinary section, or of the bonus section. */
static void kh_dg_item(kh_dg *g, int index, bool bonus)
{
    static const kh_dg_recipe any[] = {kh_dg_it_per, kh_dg_it_per, kh_dg_it_per, kh_dg_it_add, kh_dg_it_all,
                                       kh_dg_it_all, kh_dg_it_threshold, kh_dg_it_threshold, kh_dg_it_alts,
                                       kh_dg_it_paren, kh_dg_it_target, kh_dg_it_target, kh_dg_it_points,
                                       kh_dg_it_bands, kh_dg_it_bands, kh_dg_it_prop, kh_dg_it_eval,
                                       kh_dg_it_eval, kh_dg_it_tier};
    static const kh_dg_recipe plus[] = {kh_dg_it_add, kh_dg_it_add, kh_dg_it_tier, kh_dg_it_tier, kh_dg_it_tier,
                                        kh_dg_it_target, kh_dg_it_paren, kh_dg_it_threshold, kh_dg_it_per};
    if (bonus)
        KH_DG_PICK(g->r, plus)(g, index);
    else
        KH_DG_PICK(g->r, any)(g, index);
    kh_dg_put(g, "\n");
}

/* ------------------------------------------------------------ sections */

/* （基本分15分，扣完为止） and the other section attributes. */
static void kh_dg_section_attrs(kh_dg *g, bool bonus)
{
    if (bonus) {
        if (kh_dg_chance(g->r, 80)) {
            kh_dg_put(g, kh_dg_lp(g));
            kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"加分不超过", "加分上限", "最高加"})));
            kh_dg_amt(g, kh_dg_points(g, 1, 12));
            kh_dg_put(g, kh_dg_rp(g));
        }
        return;
    }
    int k = kh_dg_below(g->r, 8);
    if (k == 0)
        return;
    kh_dg_put(g, kh_dg_lp(g));
    if (k <= 3) {
        kh_dg_put(g, KH_DG_PICK(g->r, ((const char *const[]){"基本分", "基础分", "基礎分"})));
        kh_dg_num(g, kh_dg_points(g, 5, 40));
        kh_dg_put(g, "分");
    } else if (k <= 5) {
        kh_dg_put(g, kh_dg_kw(g, "满分", "滿分"));
        kh_dg_num(g, kh_dg_points(g, 5, 50));
        kh_dg_put(g, "分");
    } else {
        kh_dg_num(g, kh_dg_points(g, 5, 30));
        kh_dg_put(g, "分");
    }
    int more = kh_dg_below(g->r, 8);
    if (more == 0) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, kh_dg_kw(g, "扣完为止", "扣完為止"));
    } else if (more == 1) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "实行倒扣分");
    } else if (more == 2) {
        kh_dg_put(g, kh_dg_comma(g));
        kh_dg_put(g, "加分不超过");
        kh_dg_amt(g, kh_dg_points(g, 1, 5));
    }
    kh_dg_put(g, kh_dg_rp(g));
}

static void kh_dg_section(kh_dg *g, int index, bool bonus)
{
    const char *title = bonus ? KH_DG_PICK(g->r, ((const char *const[]){"加分项", "奖励加分", "加分项目"}))
                              : KH_DG_PICK(g->r, kh_dg_titles);
    kh_dg_printf(g->out, "%s、%s", kh_dg_secnum[index], title);
    kh_dg_section_attrs(g, bonus);
    kh_dg_put(g, "\n");
    int items = kh_dg_between(g->r, 0, 4);
    for (int i = 0; i < items; i++)
        kh_dg_item(g, i, bonus);
    int subs = items == 0 ? kh_dg_between(g->r, 1, 3) : (kh_dg_chance(g->r, 25) ? kh_dg_between(g->r, 1, 2) : 0);
    for (int s = 0; s < subs; s++) {
        kh_dg_printf(g->out, "  %s%s%s%s", kh_dg_lp(g), kh_dg_secnum[s], kh_dg_rp(g),
                     KH_DG_PICK(g->r, kh_dg_subtitles));
        if (!bonus && kh_dg_chance(g->r, 50)) {
            kh_dg_put(g, kh_dg_lp(g));
            kh_dg_put(g, kh_dg_chance(g->r, 60) ? "满分" : "基本分");
            kh_dg_num(g, kh_dg_points(g, 1, 10));
            kh_dg_put(g, "分");
            if (kh_dg_chance(g->r, 20))
                kh_dg_printf(g->out, "%s实行倒扣分", kh_dg_comma(g));
            kh_dg_put(g, kh_dg_rp(g));
        }
        kh_dg_put(g, "\n");
        int n = kh_dg_between(g->r, 1, 3);
        for (int i = 0; i < n; i++)
            kh_dg_item(g, i, bonus);
    }
}

/* ------------------------------------------------------- grades etc. */

static const char *const kh_dg_gradesets[][4] = {
    {"优秀", "称职", "基本称职", "不称职"},
    {"优秀", "良好", "合格", "不合格"},
    {"省一级", "省二级", NULL, NULL},
    {"全面完成", "基本完成", "未完成", NULL},
};

/* NAME：conditions for the k-th grade of n, thresholds t (descending). */
static void kh_dg_grade(kh_dg *g, const char *name, int k, int n, const int *t)
{
    kh_dg_printf(g->out, "  %s%s", name, kh_dg_colon(g));
    int form = kh_dg_below(g->r, 10);
    if (form == 9) {   /* a quota alone */
        int q = kh_dg_between(g->r, 1, 3);
        if (kh_dg_chance(g->r, 20))
            kh_dg_printf(g->out, "限%d-%d名", q, q + 1);
        else if (kh_dg_chance(g->r, 40))
            kh_dg_printf(g->out, "限%d名", q);
        else if (kh_dg_chance(g->r, 50))
            kh_dg_printf(g->out, "%d-%d名", q, q + kh_dg_between(g->r, 0, 2));
        else
            kh_dg_printf(g->out, "不超过%d%%", kh_dg_between(g->r, 1, 5) * 10);
        kh_dg_put(g, "\n");
        return;
    }
    if (k == 0) {
        kh_dg_printf(g->out, "%d分以上", t[0]);
    } else if (k == n - 1) {
        switch (kh_dg_below(g->r, 3)) {
        case 0: kh_dg_printf(g->out, "%d分以下", t[k - 1] - (kh_dg_chance(g->r, 50) ? 1 : 0)); break;
        case 1: kh_dg_printf(g->out, "低于%d分", t[k - 1]); break;
        default: kh_dg_printf(g->out, "不满%d分", t[k - 1]); break;
        }
    } else {
        int hi = t[k - 1], lo = t[k];
        switch (kh_dg_below(g->r, 4)) {
        case 0: kh_dg_printf(g->out, "%d分至%d分", lo, hi); break;
        case 1: kh_dg_printf(g->out, "%d-%d分", lo, hi); break;
        case 2: kh_dg_printf(g->out, "%d分至%d分", hi - 1, lo); break;
        default: kh_dg_printf(g->out, "%d分以上", lo); break;
        }
    }
    if (k == 0 && kh_dg_chance(g->r, 40)) {
        kh_dg_put(g, kh_dg_comma(g));
        if (kh_dg_chance(g->r, 50))
            kh_dg_printf(g->out, "且排名前%d%%", kh_dg_between(g->r, 1, 5) * 10);
        else
            kh_dg_printf(g->out, "且排名前%d名", kh_dg_between(g->r, 1, 4));
    }
    if (kh_dg_chance(g->r, 15))
        kh_dg_printf(g->out, "%s限%d名", kh_dg_comma(g), kh_dg_between(g->r, 1, 4));
    kh_dg_put(g, "\n");
}

/* 等次, 一票否决, 必备条件 blocks; returns how many grades were written. */
static void kh_dg_blocks(kh_dg *g, kh_dec scale)
{
    const char *const *set = kh_dg_gradesets[kh_dg_below(g->r, 4)];
    int n = 0;
    while (n < 4 && set[n])
        n++;
    bool grades = kh_dg_chance(g->r, 75);
    if (grades) {
        int top = (int)(scale / KH_DEC_ONE);
        if (top < 10)
            top = 10;
        int t[4];
        t[0] = top * kh_dg_between(g->r, 80, 95) / 100;
        for (int i = 1; i < 4; i++) {
            t[i] = t[i - 1] - 1 - kh_dg_below(g->r, top / 5 + 1);
            if (t[i] < 1)
                t[i] = 1;
        }
        kh_dg_put(g, "等次：\n");
        for (int k = 0; k < n; k++)
            kh_dg_grade(g, set[k], k, n, t);
    }
    int vetoes = kh_dg_chance(g->r, 40) ? kh_dg_between(g->r, 1, 3) : 0;
    if (vetoes)
        kh_dg_put(g, kh_dg_chance(g->r, 80) ? "一票否决：\n" : "一票否決：\n");
    for (int i = 0; i < vetoes; i++) {
        const char *label = kh_dg_chance(g->r, 25) && g->m->nlabels ? g->m->labels[kh_dg_below(g->r, g->m->nlabels)].label
                                                                     : KH_DG_PICK(g->r, kh_dg_l_veto);
        kh_dg_meta_add(g, label, KH_DG_FLAG, 0, KH_DEC_ONE);
        kh_dg_printf(g->out, "  %s%s", label, kh_dg_colon(g));
        if (grades && kh_dg_chance(g->r, 60))
            kh_dg_printf(g->out, "%s%s\n", kh_dg_chance(g->r, 70) ? "评定为" : "当年评定为", set[kh_dg_between(g->r, 1, n - 1)]);
        else
            kh_dg_put(g, kh_dg_chance(g->r, 50) ? "取消评先评优资格\n" : "取消当年各类评先评优资格\n");
    }
    int prereqs = kh_dg_chance(g->r, 20) ? kh_dg_between(g->r, 1, 3) : 0;
    if (prereqs)
        kh_dg_put(g, "必备条件：\n");
    for (int i = 0; i < prereqs; i++) {
        const char *label = KH_DG_PICK(g->r, kh_dg_l_prereq);
        kh_dg_meta_add(g, label, KH_DG_FLAG, 0, KH_DEC_ONE);
        kh_dg_printf(g->out, "  %d. %s\n", i + 1, label);
    }
}

/* -------------------------------------------------------------- scheme */

static void kh_dg_header(kh_dg *g, kh_dec *scale)
{
    kh_dg_printf(g->out, "考核方案%s随机方案%llu\n", kh_dg_colon(g), (unsigned long long)(kh_dg_next(g->r) % 100000));
    if (g->unit)
        kh_dg_printf(g->out, "%s%s%s\n", kh_dg_kw(g, "考核对象", "考核對象"), kh_dg_colon(g),
                     KH_DG_PICK(g->r, ((const char *const[]){"部门", "单位", "科室", "單位"})));
    else if (kh_dg_chance(g->r, 60))
        kh_dg_printf(g->out, "考核对象%s个人\n", kh_dg_colon(g));
    *scale = 100 * KH_DEC_ONE;
    if (kh_dg_chance(g->r, 50)) {
        *scale = kh_dg_chance(g->r, 80) ? 100 * KH_DEC_ONE : kh_dg_points(g, 20, 150);
        kh_dg_printf(g->out, "%s%s", kh_dg_kw(g, "满分", "滿分"), kh_dg_colon(g));
        kh_dg_num(g, *scale);
        kh_dg_put(g, "分\n");
    }
    if (kh_dg_chance(g->r, 10)) {
        kh_dg_printf(g->out, "基础分%s", kh_dg_colon(g));
        kh_dg_num(g, kh_dg_points(g, 50, 100));
        kh_dg_put(g, "分\n");
    }
    if (kh_dg_chance(g->r, 30))
        kh_dg_put(g, kh_dg_chance(g->r, 80) ? "分数上限不含本数\n" : "（考核分数上限不含本数）\n");
    if (g->yuan)
        kh_dg_printf(g->out, "%s%s元\n", kh_dg_kw(g, "计分单位", "計分單位"), kh_dg_colon(g));
    if (kh_dg_chance(g->r, 15)) {
        kh_dg_printf(g->out, "加权计入%s", kh_dg_colon(g));
        kh_dg_num(g, (kh_dec)kh_dg_between(g->r, 1, 10) * 10 * KH_DEC_ONE + (kh_dg_chance(g->r, 20) ? 500 : 0));
        kh_dg_put(g, "%\n");
    }
    if (kh_dg_chance(g->r, 15))
        kh_dg_printf(g->out, "考核周期%s%s\n", kh_dg_colon(g),
                     KH_DG_PICK(g->r, ((const char *const[]){"年度", "半年", "季度", "月度"})));
    if (kh_dg_chance(g->r, 20))
        kh_dg_put(g, kh_dg_chance(g->r, 50) ? "# 随机生成的方案\n" : "注：随机生成的方案，不是真实文件\n");
}

void kh_dg_scheme(kh_dg_rng *r, kh_dg_buf *out, kh_dg_meta *m)
{
    memset(m, 0, sizeof *m);
    kh_dg g = {0};
    g.r = r;
    g.out = out;
    g.m = m;
    g.unit = kh_dg_chance(r, 30);
    g.plain = !g.unit && kh_dg_chance(r, 35);
    g.yuan = kh_dg_chance(r, 10);
    g.ascii = kh_dg_chance(r, 15);
    g.trad = kh_dg_chance(r, 15);
    m->unit_subject = g.unit;
    kh_dec scale;
    kh_dg_header(&g, &scale);
    int sections = kh_dg_between(r, 1, 6);
    int bonus = kh_dg_chance(r, 50) ? kh_dg_below(r, sections + 1) : -1;
    for (int s = 0; s <= sections && s < 8; s++) {
        if (s == sections && bonus != sections)
            break;
        kh_dg_section(&g, s, s == bonus);
        if (kh_dg_chance(r, 10))
            kh_dg_put(&g, "\n");
    }
    kh_dg_blocks(&g, scale);
}

/* -------------------------------------------------------------- roster */

/* One CSV field, quoted when it must be. */
static void kh_dg_field(kh_dg_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        kh_dg_puts(b, s);
        return;
    }
    kh_dg_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            kh_dg_puts(b, "\"");
        kh_dg_putn(b, s, 1);
    }
    kh_dg_puts(b, "\"");
}

/* A CSV row of n fields in the column order perm. */
static void kh_dg_row(kh_dg_buf *b, const char *const *f, const int *perm, int n, bool crlf)
{
    for (int i = 0; i < n; i++) {
        if (i)
            kh_dg_puts(b, ",");
        kh_dg_field(b, f[perm[i]]);
    }
    kh_dg_puts(b, crlf ? "\r\n" : "\n");
}

static void kh_dg_shuffle(kh_dg_rng *r, int *v, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = kh_dg_below(r, i + 1), t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* The units persons belong to: those the scheme names and a few more. */
static int kh_dg_roster_units(kh_dg_rng *r, const kh_dg_meta *m, const char **units)
{
    int n = 0;
    for (int i = 0; i < m->nunits && n < 6; i++)
        units[n++] = m->units[i];
    int want = kh_dg_between(r, 2, 4);
    for (int tries = 0; n < want && tries < 20; tries++) {
        const char *u = KH_DG_PICK(r, kh_dg_units);
        bool seen = false;
        for (int i = 0; i < n; i++)
            seen = seen || units[i] == u;
        if (!seen)
            units[n++] = u;
    }
    return n;
}

void kh_dg_roster(kh_dg_rng *r, const kh_dg_meta *m, kh_dg_buf *out, kh_dg_people *p)
{
    static const char *const heads[2][4] = {{"人员", "部门", "职务", "分管领导"}, {"person", "dept", "role", "leader"}};
    const char *units[8];
    int nunits = kh_dg_roster_units(r, m, units);
    int idx[16];
    int pool = (int)(sizeof kh_dg_people_pool / sizeof kh_dg_people_pool[0]);
    for (int i = 0; i < pool; i++)
        idx[i] = i;
    kh_dg_shuffle(r, idx, pool);
    p->n = kh_dg_between(r, 1, 12);
    int cols = kh_dg_chance(r, 85) ? 4 : 3, perm[4] = {0, 1, 2, 3};
    if (kh_dg_chance(r, 20))
        kh_dg_shuffle(r, perm, cols);
    bool crlf = kh_dg_chance(r, 20), en = kh_dg_chance(r, 15);
    if (kh_dg_chance(r, 10))
        kh_dg_puts(out, "\xEF\xBB\xBF");
    kh_dg_row(out, heads[en], perm, cols, crlf);
    for (int i = 0; i < p->n; i++) {
        p->person[i] = kh_dg_people_pool[idx[i]];
        p->dept[i] = kh_dg_chance(r, 4) ? "" : units[kh_dg_below(r, nunits)];
        const char *role = kh_dg_chance(r, 10) ? "司机"
                           : m->nroles && kh_dg_chance(r, 70) ? m->roles[kh_dg_below(r, m->nroles)]
                                                             : KH_DG_PICK(r, kh_dg_roles);
        const char *leader = "";
        int k = kh_dg_below(r, 20);
        if (k < 10 && i > 0)
            leader = p->person[kh_dg_below(r, i)];
        else if (k == 10)
            leader = KH_DG_PICK(r, kh_dg_strangers);
        else if (k == 11)
            leader = p->person[i];
        const char *f[4] = {p->person[i], p->dept[i], role, leader};
        kh_dg_row(out, f, perm, cols, crlf);
    }
}

/* --------------------------------------------------------------- events */

static void kh_dg_dec(kh_dg_buf *b, kh_dec v)
{
    char t[48];
    kh_dec_format(v, t, sizeof t);
    kh_dg_puts(b, t);
}

/* A 数量 for a label of this kind, as text; clean: no broken values and
 * no score out of its range. */
static void kh_dg_value(kh_dg_rng *r, const kh_dg_label *l, bool clean, kh_dg_buf *v)
{
    int k = kh_dg_below(r, 1000);
    if (clean && k < 80)
        k += 80;
    if (k < 5) {
        kh_dg_puts(v, KH_DG_PICK(r, ((const char *const[]){"abc", "-1", "1.2345", "两", "1e3"})));
        return;
    }
    if (k < 8) {
        kh_dg_puts(v, KH_DG_PICK(r, ((const char *const[]){"4000000000000000", "999999999999.999", "3000000000000000"})));
        return;
    }
    switch (l->kind) {
    case KH_DG_COUNT:
    case KH_DG_FLAG:
    case KH_DG_TIER:
        if (k < 300)
            return;   /* empty: 1 */
        if (k < 800)
            kh_dg_printf(v, "%d", kh_dg_between(r, 0, (int)(l->hi / KH_DEC_ONE) + 1));
        else if (k < 950)
            kh_dg_dec(v, kh_dg_between(r, 1, 4000));
        else
            kh_dg_printf(v, "%d", kh_dg_between(r, 5, 40));
        return;
    case KH_DG_WORDS:
        if (k < 700)
            kh_dg_printf(v, "%d", kh_dg_between(r, 0, 40) * 1000);
        else if (k < 850)
            kh_dg_printf(v, "%d,%03d", kh_dg_between(r, 1, 40), kh_dg_below(r, 1000));
        else
            kh_dg_dec(v, kh_dg_between(r, 0, 40000000));
        return;
    case KH_DG_RATE:
        if (k < 500)
            kh_dg_printf(v, "%d%%", kh_dg_between(r, 0, 110));
        else if (k < 800)
            kh_dg_printf(v, "%d", kh_dg_between(r, 0, 100));
        else if (k < 900)
            kh_dg_puts(v, "100%");
        else {
            kh_dg_dec(v, kh_dg_between(r, 0, 100000));
            kh_dg_puts(v, "%");
        }
        return;
    case KH_DG_HOURS:
        kh_dg_dec(v, (kh_dec)kh_dg_between(r, 0, 8) * 500 + (k < 100 ? kh_dg_below(r, 500) : 0));
        return;
    case KH_DG_SCORE:
        if (k < 80) {
            kh_dg_dec(v, l->hi + (kh_dec)kh_dg_between(r, 1, 5) * 500);
        } else {
            kh_dec span = l->hi - l->lo;
            kh_dec x = l->lo + (span > 0 ? (kh_dec)(kh_dg_next(r) % (uint64_t)(span + 1)) : 0);
            if (k < 600)
                x -= x % 500;
            kh_dg_dec(v, x);
        }
        return;
    }
}

static void kh_dg_date(kh_dg_rng *r, kh_dg_buf *v)
{
    int k = kh_dg_below(r, 100);
    int mo = kh_dg_between(r, 1, 12), d = kh_dg_between(r, 1, 28);
    if (k < 10)
        return;
    if (k < 75)
        kh_dg_printf(v, "2023-%02d-%02d", mo, d);
    else if (k < 82)
        kh_dg_printf(v, "2023/%d/%d", mo, d);
    else if (k < 86)
        kh_dg_printf(v, "2023年%d月%d日", mo, d);
    else if (k < 92)
        kh_dg_printf(v, "%s-%02d", kh_dg_chance(r, 50) ? "2022-12" : "2024-01", d);
    else if (k < 94)
        kh_dg_puts(v, "2023-02-30");
    else
        kh_dg_printf(v, "2023-%02d-%02d 9:30", mo, d);
}

static void kh_dg_levelcol(kh_dg_rng *r, bool tier, bool clean, kh_dg_buf *v)
{
    static const char *const std[] = {"国家级", "省级", "市级", "县级", "区级"};
    static const char *const odd[] = {"國家級", "省級", "国家", "省", "乡级", "部级", "校级"};
    int k = kh_dg_below(r, clean ? 65 : 100);
    if (!tier && k < 90)
        return;
    if (k < 65)
        kh_dg_puts(v, KH_DG_PICK(r, std));
    else if (k < 80)
        kh_dg_puts(v, KH_DG_PICK(r, odd));
}

/* The columns of an event log, Chinese or English, some optional ones
 * left out, in a shuffled order now and then. */
typedef struct kh_dg_cols {
    int n, perm[7];
    bool en, crlf;
} kh_dg_cols;

static void kh_dg_event_header(kh_dg_rng *r, const kh_dg_meta *m, kh_dg_cols *c, kh_dg_buf *out)
{
    static const char *const heads[2][7] = {{"人员", "部门", "日期", "事项", "数量", "级别", "编号"},
                                            {"person", "dept", "date", "item", "value", "level", "key"}};
    c->n = 0;
    for (int i = 0; i < 7; i++) {
        bool optional = i == 1 || i == 2 || i == 5 || i == 6;
        if (i == 1 && m->unit_subject)
            optional = false;
        if (!optional || !kh_dg_chance(r, 8))
            c->perm[c->n++] = i;
    }
    if (kh_dg_chance(r, 20))
        kh_dg_shuffle(r, c->perm, c->n);
    c->en = kh_dg_chance(r, 15);
    c->crlf = kh_dg_chance(r, 20);
    if (kh_dg_chance(r, 10))
        kh_dg_puts(out, "\xEF\xBB\xBF");
    kh_dg_row(out, heads[c->en], c->perm, c->n, c->crlf);
}

/* Who an event belongs to: a roster person, a stranger, or (unit schemes)
 * the unit itself with 人员 left empty. */
static void kh_dg_event_who(kh_dg_rng *r, const kh_dg_meta *m, const kh_dg_people *p, const char **person,
                            const char **dept)
{
    int k = kh_dg_below(r, 100);
    if (k < 85 && p->n) {
        int i = kh_dg_below(r, p->n);
        *person = p->person[i];
        *dept = kh_dg_chance(r, 90) ? p->dept[i] : KH_DG_PICK(r, kh_dg_units);
    } else if (k < 92 && m->unit_subject && p->n) {
        *person = "";
        *dept = kh_dg_chance(r, 85) ? p->dept[kh_dg_below(r, p->n)] : KH_DG_PICK(r, kh_dg_units);
    } else {
        *person = KH_DG_PICK(r, kh_dg_strangers);
        *dept = KH_DG_PICK(r, kh_dg_units);
    }
}

void kh_dg_events(kh_dg_rng *r, const kh_dg_meta *m, const kh_dg_people *p, kh_dg_buf *out)
{
    kh_dg_cols c;
    kh_dg_event_header(r, m, &c, out);
    int n = kh_dg_chance(r, 5) ? 0 : kh_dg_between(r, 1, 12 + 10 * p->n);
    bool clean = kh_dg_chance(r, 30);
    kh_dg_buf v[7];
    for (int i = 0; i < 7; i++)
        kh_dg_buf_init(&v[i], out->a);
    for (int e = 0; e < n; e++) {
        for (int i = 0; i < 7; i++)
            kh_dg_buf_clear(&v[i]);
        const char *person = "", *dept = "";
        kh_dg_event_who(r, m, p, &person, &dept);
        kh_dg_puts(&v[0], person);
        kh_dg_puts(&v[1], dept);
        kh_dg_date(r, &v[2]);
        const kh_dg_label *l = NULL;
        if (m->nlabels && kh_dg_chance(r, 92))
            l = &m->labels[kh_dg_below(r, m->nlabels)];
        kh_dg_label unknown = {KH_DG_PICK(r, kh_dg_l_unknown), KH_DG_COUNT, 0, 2 * KH_DEC_ONE};
        if (!l)
            l = &unknown;
        kh_dg_puts(&v[3], l->label);
        kh_dg_value(r, l, clean, &v[4]);
        kh_dg_levelcol(r, l->kind == KH_DG_TIER, clean, &v[5]);
        if (kh_dg_chance(r, l->kind == KH_DG_TIER ? 60 : 8))
            kh_dg_printf(&v[6], "%s%d", kh_dg_chance(r, 80) ? "K" : "BG-2023-", kh_dg_between(r, 1, 4));
        const char *f[7];
        for (int i = 0; i < 7; i++)
            f[i] = v[i].p ? v[i].p : "";
        kh_dg_row(out, f, c.perm, c.n, c.crlf);
    }
    for (int i = 0; i < 7; i++) {
        if (v[i].oom)
            out->oom = true;
        kh_dg_buf_free(&v[i]);
    }
}
