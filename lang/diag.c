/* diag.c — diagnostics as data: recording, ordering, wording, rendering.
 *
 * Every phase records diagnostics with a catalogue entry and a span; this
 * file fills in the arguments, sorts them and prints them the way a
 * compiler does: the place, the message, the user's own line with an
 * underline that stays aligned under Chinese text, and a hint.
 */
#include "lang.h"

#include <string.h>

#define KH_DIAG_DEFAULT_LIMIT 1000
#define KH_DIAG_TAB 4
/* A source line wider than this many columns is shown as a window around
 * the span, cut with "…", so that a megabyte-long CSV row prints one
 * screenful, not a megabyte. */
#define KH_DIAG_LINE_MAX 240
/* Columns of the window before the span, and the window's width. */
#define KH_DIAG_CONTEXT 60
#define KH_DIAG_WINDOW 200

/* --------------------------------------------------------- recording */

void kh_diags_init(kh_diags *d, kh_alloc *a)
{
    memset(d, 0, sizeof *d);
    d->alloc = a;
}

static void kh_diag_clear(kh_diag *dg)
{
    for (int i = 0; i < 3; i++)
        kh_free(dg->args[i]);
    kh_free(dg->counterexample);
}

void kh_diags_free(kh_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        kh_diag_clear(&d->v[i]);
    kh_free(d->v);
    d->v = NULL;
    d->n = d->cap = 0;
}

static bool kh_diags_grow(kh_diags *d)
{
    if (d->n < d->cap)
        return true;
    size_t ncap = d->cap ? d->cap * 2 : 16;
    kh_diag *nv = kh_realloc(d->alloc, d->v, ncap * sizeof *nv);
    if (!nv)
        return false;
    d->v = nv;
    d->cap = ncap;
    return true;
}

/* Copy the three arguments; false (nothing kept) on allocation failure. */
static bool kh_diag_copy_args(kh_alloc *a, kh_diag *dg, const char *args[3])
{
    for (int i = 0; i < 3; i++) {
        dg->args[i] = NULL;
        if (!args[i])
            continue;
        dg->args[i] = kh_strndup(a, args[i], strlen(args[i]));
        if (!dg->args[i]) {
            for (int j = 0; j < i; j++)
                kh_free(dg->args[j]);
            return false;
        }
    }
    return true;
}

kh_diag *kh_diag_add(kh_diags *d, kh_severity sev, const kh_msg *msg,
                     const kh_source *src, kh_span span,
                     const char *a1, const char *a2, const char *a3)
{
    size_t limit = d->limit ? d->limit : KH_DIAG_DEFAULT_LIMIT;
    const char *args[3] = {a1, a2, a3};
    if (sev == KH_ERROR)
        d->nerrors++;
    else if (sev == KH_WARNING)
        d->nwarnings++;
    if (d->n >= limit)
        return NULL;
    if (!kh_diags_grow(d)) {
        d->oom = true;
        return NULL;
    }
    kh_diag *dg = &d->v[d->n];
    memset(dg, 0, sizeof *dg);
    if (!kh_diag_copy_args(d->alloc, dg, args)) {
        d->oom = true;
        return NULL;
    }
    dg->sev = sev;
    dg->msg = msg;
    dg->src = src;
    dg->span = span;
    d->n++;
    return dg;
}

/* ----------------------------------------------------------- sorting */

/* Diagnostics about no file first, then by path, then by offset. */
static int kh_diag_cmp(const kh_diag *x, const kh_diag *y)
{
    if (x->src != y->src) {
        if (!x->src || !y->src)
            return x->src ? 1 : -1;
        int c = strcmp(x->src->path ? x->src->path : "",
                       y->src->path ? y->src->path : "");
        if (c)
            return c;
    }
    if (x->span.off != y->span.off)
        return x->span.off < y->span.off ? -1 : 1;
    return 0;
}

static void kh_diags_merge(kh_diag *v, kh_diag *tmp, size_t lo, size_t mid, size_t hi)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = kh_diag_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < hi)
        tmp[k++] = v[j++];
    memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
}

static void kh_diags_merge_sort(kh_diag *v, kh_diag *tmp, size_t lo, size_t hi)
{
    if (hi - lo < 2)
        return;
    size_t mid = lo + (hi - lo) / 2;
    kh_diags_merge_sort(v, tmp, lo, mid);
    kh_diags_merge_sort(v, tmp, mid, hi);
    kh_diags_merge(v, tmp, lo, mid, hi);
}

/* Stable without extra memory, for when the buffer cannot be had. */
static void kh_diags_insertion_sort(kh_diag *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        kh_diag x = v[i];
        size_t j = i;
        while (j > 0 && kh_diag_cmp(&x, &v[j - 1]) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

void kh_diags_sort(kh_diags *d)
{
    if (d->n < 2)
        return;
    kh_diag *tmp = kh_malloc(d->alloc, d->n * sizeof *tmp);
    if (!tmp) {
        kh_diags_insertion_sort(d->v, d->n);
        return;
    }
    kh_diags_merge_sort(d->v, tmp, 0, d->n);
    kh_free(tmp);
}

/* ----------------------------------------------------------- wording */

const char *kh_severity_name(kh_severity s, kh_lang lang)
{
    switch (s) {
    case KH_NOTE:
        return lang == KH_ZH ? "提示" : "note";
    case KH_WARNING:
        return lang == KH_ZH ? "警告" : "warning";
    case KH_ERROR:
        return lang == KH_ZH ? "错误" : "error";
    }
    return "?";
}

/* Cut a truncated buffer back to a whole UTF-8 character. */
static void kh_diag_trim_utf8(char *buf, size_t len)
{
    size_t end = len;
    while (end > 0 && ((unsigned char)buf[end - 1] & 0xC0) == 0x80)
        end--;
    if (end > 0 && ((unsigned char)buf[end - 1] & 0x80)) {
        unsigned char lead = (unsigned char)buf[end - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (len - (end - 1) < need)
            len = end - 1;
    }
    buf[len] = '\0';
}

/* Fill buf (cap > 0) from a template, replacing %1 %2 %3 by args. */
static void kh_diag_fill(const char *tmpl, char *const args[3], char *buf, size_t cap)
{
    size_t n = 0;
    bool cut = false;
    for (const char *p = tmpl; *p && !cut; p++) {
        const char *piece = p;
        size_t plen = 1;
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '3') {
            piece = args[p[1] - '1'] ? args[p[1] - '1'] : "";
            plen = strlen(piece);
            p++;
        }
        if (plen > cap - 1 - n) {
            plen = cap - 1 - n;
            cut = true;
        }
        memcpy(buf + n, piece, plen);
        n += plen;
    }
    if (cut)
        kh_diag_trim_utf8(buf, n);
    else
        buf[n] = '\0';
}

void kh_diag_message(const kh_diag *dg, kh_lang lang, char *buf, size_t cap)
{
    if (!cap)
        return;
    const char *t = !dg->msg ? "" : lang == KH_ZH ? dg->msg->zh : dg->msg->en;
    kh_diag_fill(t ? t : "", dg->args, buf, cap);
}

bool kh_diag_hint(const kh_diag *dg, kh_lang lang, char *buf, size_t cap)
{
    const char *t = !dg->msg ? NULL : lang == KH_ZH ? dg->msg->hint_zh : dg->msg->hint_en;
    if (cap)
        buf[0] = '\0';
    if (!t || !cap)
        return false;
    kh_diag_fill(t, dg->args, buf, cap);
    return true;
}

/* ------------------------------------------------------ display width */

/* Decode one character at p (n > 0 bytes left); invalid bytes decode as
 * themselves, one byte long. */
static size_t kh_diag_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
    if (len == 0 || len > n) {
        *cp = p[0];
        return 1;
    }
    uint32_t c = len == 1 ? p[0] : p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = p[0];
            return 1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Ranges a terminal draws two columns wide: CJK, Hangul, full-width forms. */
static const uint32_t kh_diag_wide[][2] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

static int kh_diag_char_width(uint32_t cp)
{
    for (size_t i = 0; i < sizeof kh_diag_wide / sizeof kh_diag_wide[0]; i++)
        if (cp >= kh_diag_wide[i][0] && cp <= kh_diag_wide[i][1])
            return 2;
    return 1;
}

/* Terminal column after text t[0..n) when starting at column col. */
static int kh_diag_advance(const char *t, size_t n, int col)
{
    const unsigned char *p = (const unsigned char *)t;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += kh_diag_decode(p + i, n - i, &cp);
        if (cp == '\t')
            col += KH_DIAG_TAB - col % KH_DIAG_TAB;
        else
            col += kh_diag_char_width(cp);
    }
    return col;
}

/* ---------------------------------------------------------- rendering */

static void kh_diag_put_repeat(FILE *out, char c, int n)
{
    for (int i = 0; i < n; i++)
        fputc(c, out);
}

/* The source line with tabs expanded, so that it lines up with the
 * underline whatever the terminal's tab stops. */
static void kh_diag_put_line(FILE *out, const char *t, size_t n)
{
    int col = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = kh_diag_decode((const unsigned char *)t + i, n - i, &cp);
        if (cp == '\t') {
            int next = col + KH_DIAG_TAB - col % KH_DIAG_TAB;
            kh_diag_put_repeat(out, ' ', next - col);
            col = next;
        } else {
            fwrite(t + i, 1, len, out);
            col += kh_diag_char_width(cp);
        }
        i += len;
    }
}

static int kh_diag_gutter(int line)
{
    int w = 1;
    for (int v = line; v >= 10; v /= 10)
        w++;
    return w < 4 ? 4 : w;
}

static void kh_diag_header(FILE *out, const kh_diag *dg, kh_lang lang,
                           int line, int col)
{
    char msg[2048];
    kh_diag_message(dg, lang, msg, sizeof msg);
    if (dg->src) {
        fprintf(out, "%s:%d:%d: ", dg->src->path ? dg->src->path : "", line, col);
    } else {
        fputs("kaohe: ", out);
    }
    fprintf(out, "%s[%s", kh_severity_name(dg->sev, lang),
            dg->msg && dg->msg->code ? dg->msg->code : "");
    if (dg->lint_class)
        fprintf(out, " %s", dg->lint_class);
    fprintf(out, "]: %s\n", msg);
}

/* Bytes of the longest prefix of t[0..n) that fits in cols columns. */
static size_t kh_diag_fit(const char *t, size_t n, int cols)
{
    const unsigned char *p = (const unsigned char *)t;
    size_t i = 0;
    int col = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = kh_diag_decode(p + i, n - i, &cp);
        col += cp == '\t' ? KH_DIAG_TAB - col % KH_DIAG_TAB : kh_diag_char_width(cp);
        if (col > cols)
            break;
        i += len;
    }
    return i;
}

/* Start of the character before t + i (i > 0). */
static size_t kh_diag_prev(const char *t, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80);
    return i;
}

/* The part [*ws, *we) of the line [start, start + len) to show for a span
 * at off: all of it when it is short, else a window around off. */
static void kh_diag_window(const char *t, uint32_t start, uint32_t len, uint32_t off,
                           uint32_t *ws, uint32_t *we)
{
    *ws = start;
    *we = start + len;
    if (kh_diag_advance(t + start, len, 0) <= KH_DIAG_LINE_MAX)
        return;
    uint32_t s = off;
    while (s > start) {
        uint32_t p = (uint32_t)kh_diag_prev(t, s);
        if (p < start || kh_diag_advance(t + p, off - p, 0) > KH_DIAG_CONTEXT)
            break;
        s = p;
    }
    *ws = s;
    *we = s + (uint32_t)kh_diag_fit(t + s, start + len - s, KH_DIAG_WINDOW);
}

/* The line, then ^~~~ under the span (to the end of its first line). */
static void kh_diag_excerpt(FILE *out, const kh_diag *dg, int line, int gutter)
{
    const kh_source *src = dg->src;
    uint32_t start, len, ws, we, off = dg->span.off;
    kh_source_line(src, off, &start, &len);
    if (off < start)
        off = start;
    if (off > start + len)
        off = start + len;
    kh_diag_window(src->text, start, len, off, &ws, &we);
    if (off > we)
        off = we;
    uint32_t end = dg->span.len > we - off ? we : off + dg->span.len;
    int lead = ws > start ? 1 : 0;
    int before = lead + kh_diag_advance(src->text + ws, off - ws, 0);
    int width = kh_diag_advance(src->text + off, end - off, before - lead) - (before - lead);
    fprintf(out, " %*d | %s", gutter, line, lead ? "…" : "");
    kh_diag_put_line(out, src->text + ws, we - ws);
    fprintf(out, "%s\n %*s | ", we < start + len ? "…" : "", gutter, "");
    kh_diag_put_repeat(out, ' ', before);
    fputc('^', out);
    kh_diag_put_repeat(out, '~', width - 1);
    fputc('\n', out);
}

void kh_diag_render(FILE *out, const kh_diag *dg, kh_lang lang)
{
    int gutter = 4, line = 0, col = 0;
    char hint[2048];
    if (dg->src)
        kh_source_linecol(dg->src, dg->span.off, &line, &col);
    kh_diag_header(out, dg, lang, line, col);
    if (dg->src && dg->src->text) {
        gutter = kh_diag_gutter(line);
        kh_diag_excerpt(out, dg, line, gutter);
    }
    if (dg->counterexample)
        fprintf(out, " %*s = %s%s\n", gutter, "",
                lang == KH_ZH ? "反例：" : "counterexample: ", dg->counterexample);
    if (kh_diag_hint(dg, lang, hint, sizeof hint))
        fprintf(out, " %*s = %s%s\n", gutter, "",
                lang == KH_ZH ? "提示：" : "hint: ", hint);
}

int kh_text_width(const char *s, size_t n)
{
    return kh_diag_advance(s, n, 0);
}
