/* source.c — rule files as text: loading, checking, line and column.
 *
 * A kh_source is the whole file as one NUL-terminated string.  Loading
 * refuses what is not a UTF-8 text file (binary, UTF-16, GBK, too large)
 * with a diagnostic a personnel officer can act on.  Line and column are
 * computed on demand by scanning; the newline count uses 16-byte vectors
 * so that a 10 MB file with many diagnostics stays fast.
 */
#include "lang.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define KH_SOURCE_MAX ((size_t)256 * 1024 * 1024)
#define KH_SOURCE_CHUNK ((size_t)64 * 1024)

static const kh_msg kh_source_msgs[] = {
    {"E001", "文件不存在：%1", "file not found: %1",
     "请检查文件名和所在文件夹是否写对", "check the file name and its folder"},
    {"E002", "「%1」是文件夹（目录），不是文件", "%1 is a directory, not a file",
     "请指定文件夹里的规则文件，例如 %1/scheme.kh",
     "name the rule file inside it, e.g. %1/scheme.kh"},
    {"E003", "%1 第%2行第%3列：不是有效的 UTF-8 文本",
     "%1:%2:%3: not valid UTF-8 text",
     "请在编辑器中将文件另存为 UTF-8 编码；GBK 编码的规则文件需要先转换，"
     "例如 iconv -f GBK -t UTF-8",
     "save the file as UTF-8 in your editor; GBK rule files must be converted "
     "first, e.g. iconv -f GBK -t UTF-8"},
    {"E004", "%1 看起来是二进制文件，不是规则文本",
     "%1 looks like a binary file, not rule text",
     "规则文件应是纯文本；Word 或 Excel 文件请把内容复制到记事本，另存为 UTF-8",
     "rule files are plain text; copy the content of a Word or Excel file "
     "into a text editor and save it as UTF-8"},
    {"E005", "无法打开文件：%1（%2）", "cannot open %1: %2",
     "请检查是否有读取这个文件的权限", "check that you may read this file"},
    {"E006", "文件太大：%1（超过 256 MB）", "file too large: %1 (over 256 MB)",
     "规则文件通常只有几千字；请确认没有选错文件",
     "rule files are usually a few pages; check that this is the right file"},
    {"E007", "内存不足，无法读取 %1", "out of memory reading %1", NULL, NULL},
    {"E008", "读取文件时出错：%1（%2）", "error reading %1: %2", NULL, NULL},
    {"E009", "%1 是 UTF-16 编码，不是 UTF-8", "%1 is UTF-16 encoded, not UTF-8",
     "请在编辑器中将文件另存为 UTF-8 编码（记事本中的“Unicode”就是 UTF-16）",
     "save the file as UTF-8 in your editor (Notepad's \"Unicode\" is UTF-16)"},
};

enum {
    KH_SRC_E_MISSING, KH_SRC_E_DIR, KH_SRC_E_UTF8, KH_SRC_E_BINARY,
    KH_SRC_E_OPEN, KH_SRC_E_TOO_LARGE, KH_SRC_E_NOMEM, KH_SRC_E_READ,
    KH_SRC_E_UTF16
};

static const kh_span kh_source_nospan = {0, 0};

static void kh_source_error(kh_diags *d, int which, const char *a1,
                            const char *a2, const char *a3)
{
    if (!d)
        return;
    /* out of memory is the program's failure, not the file's */
    if (which == KH_SRC_E_NOMEM)
        d->oom = true;
    kh_diag_add(d, KH_ERROR, &kh_source_msgs[which], NULL, kh_source_nospan, a1, a2, a3);
}

/* ------------------------------------------------------------ UTF-8 */

static bool kh_source_has_bom(const char *t, size_t n)
{
    return n >= 3 && (unsigned char)t[0] == 0xEF &&
           (unsigned char)t[1] == 0xBB && (unsigned char)t[2] == 0xBF;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t kh_source_utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/* Offset of the first invalid UTF-8 byte, or n when the text is valid.
 * Runs of ASCII are skipped eight bytes at a time. */
size_t kh_utf8_check(const char *t, size_t n)
{
    const unsigned char *p = (const unsigned char *)t;
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (n - i >= 8 && (memcpy(&w, p + i, 8), (w & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        size_t len = kh_source_utf8_len(p + i, n - i);
        if (!len)
            return i;
        i += len;
    }
    return n;
}

/* ------------------------------------------------------ line, column */

/* Number of '\n' bytes in p[0..n). */
static size_t kh_source_count_nl(const char *p, size_t n)
{
    typedef unsigned char kh_v16 __attribute__((vector_size(16)));
    kh_v16 nl;
    size_t count = 0, i = 0;
    memset(&nl, '\n', sizeof nl);
    while (n - i >= 16) {
        kh_v16 acc = {0};
        size_t blocks = (n - i) / 16;
        if (blocks > 255)
            blocks = 255;
        for (size_t b = 0; b < blocks; b++, i += 16) {
            kh_v16 x;
            memcpy(&x, p + i, 16);
            acc -= (kh_v16)(x == nl);
        }
        for (int k = 0; k < 16; k++)
            count += acc[k];
    }
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

/* Number of characters (code points) in p[0..n): bytes that do not
 * continue a multi-byte sequence. */
static int kh_source_count_chars(const char *p, size_t n)
{
    int chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)p[i] & 0xC0) != 0x80;
    return chars;
}

static uint32_t kh_source_clamp(const kh_source *src, uint32_t off)
{
    return off > src->len ? (uint32_t)src->len : off;
}

bool kh_source_index(kh_alloc *a, kh_source *src)
{
    size_t n = 1 + kh_source_count_nl(src->text, src->len);
    uint32_t *v = kh_malloc(a, n * sizeof *v);
    if (!v)
        return false;
    size_t k = 0;
    v[k++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            v[k++] = (uint32_t)(i + 1);
    kh_free(src->lines);
    src->lines = v;
    src->nlines = k;
    return true;
}

/* Index of the line containing off, from the line index. */
static size_t kh_source_find_line(const kh_source *src, uint32_t off)
{
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Offset where the line containing off begins (after a leading BOM). */
static uint32_t kh_source_line_start(const kh_source *src, uint32_t off)
{
    uint32_t s = off;
    if (src->lines)
        s = src->lines[kh_source_find_line(src, off)];
    else
        while (s > 0 && src->text[s - 1] != '\n')
            s--;
    if (s == 0 && kh_source_has_bom(src->text, src->len))
        s = off < 3 ? off : 3;
    return s;
}

void kh_source_linecol(const kh_source *src, uint32_t off, int *line, int *col)
{
    if (!src || !src->text) {
        *line = 1;
        *col = 1;
        return;
    }
    off = kh_source_clamp(src, off);
    uint32_t start = kh_source_line_start(src, off);
    *line = src->lines ? 1 + (int)kh_source_find_line(src, off) : 1 + (int)kh_source_count_nl(src->text, start);
    *col = 1 + kh_source_count_chars(src->text + start, off - start);
}

void kh_source_line(const kh_source *src, uint32_t off, uint32_t *start, uint32_t *len)
{
    if (!src || !src->text) {
        *start = 0;
        *len = 0;
        return;
    }
    off = kh_source_clamp(src, off);
    uint32_t s = kh_source_line_start(src, off);
    uint32_t e = off;
    while (e < src->len && src->text[e] != '\n')
        e++;
    if (e > s && src->text[e - 1] == '\r')
        e--;
    *start = s;
    *len = e > s ? e - s : 0;
}

/* ----------------------------------------------------------- loading */

bool kh_source_from_string(kh_alloc *a, const char *path, const char *text,
                           size_t len, kh_source *out)
{
    memset(out, 0, sizeof *out);
    char *p = kh_strndup(a, path ? path : "", strlen(path ? path : ""));
    char *t = p ? kh_malloc(a, len + 1) : NULL;
    if (!t) {
        kh_free(p);
        return false;
    }
    if (len)
        memcpy(t, text, len);
    t[len] = '\0';
    out->path = p;
    out->text = t;
    out->len = len;
    kh_source_index(a, out);
    return true;
}

void kh_source_free(kh_source *src)
{
    if (!src)
        return;
    kh_free(src->path);
    kh_free(src->text);
    kh_free(src->lines);
    memset(src, 0, sizeof *src);
}

/* Open path for reading, reporting why it cannot be read.  *size is the
 * expected size (0 when unknown, e.g. a pipe). */
static FILE *kh_source_open(kh_diags *d, const char *path, size_t *size)
{
    struct stat st;
    *size = 0;
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            kh_source_error(d, KH_SRC_E_MISSING, path, NULL, NULL);
        else
            kh_source_error(d, KH_SRC_E_OPEN, path, strerror(e), NULL);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        kh_source_error(d, KH_SRC_E_DIR, path, NULL, NULL);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > KH_SOURCE_MAX) {
        kh_source_error(d, KH_SRC_E_TOO_LARGE, path, NULL, NULL);
        return NULL;
    }
    if (S_ISREG(st.st_mode))
        *size = (size_t)st.st_size;
    FILE *f = fopen(path, "rb");
    if (!f)
        kh_source_error(d, KH_SRC_E_OPEN, path, strerror(errno), NULL);
    return f;
}

/* Grow buf so that it holds at least need bytes. */
static bool kh_source_reserve(kh_alloc *a, char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : need;
    if (ncap < need)
        ncap = need;
    char *nb = kh_realloc(a, *buf, ncap);
    if (!nb)
        return false;
    *buf = nb;
    *cap = ncap;
    return true;
}

/* Read the whole stream into a NUL-terminated buffer; hint is the
 * expected size, so that a regular file is read into one allocation. */
static bool kh_source_slurp(kh_alloc *a, kh_diags *d, const char *path,
                            FILE *f, size_t hint, char **text, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        size_t want = (n < hint ? hint : n) + KH_SOURCE_CHUNK + 1;
        if (!kh_source_reserve(a, &buf, &cap, want)) {
            kh_source_error(d, KH_SRC_E_NOMEM, path, NULL, NULL);
            break;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > KH_SOURCE_MAX) {
            kh_source_error(d, KH_SRC_E_TOO_LARGE, path, NULL, NULL);
            break;
        }
        if (got == 0 && ferror(f)) {
            kh_source_error(d, KH_SRC_E_READ, path, strerror(errno), NULL);
            break;
        }
        if (got == 0) {
            buf[n] = '\0';
            *text = buf;
            *len = n;
            return true;
        }
    }
    kh_free(buf);
    return false;
}

static bool kh_source_is_utf16(const char *t, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    return n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

/* Report the first invalid byte by line and column. */
static void kh_source_bad_utf8(kh_diags *d, const char *path,
                               const char *text, size_t len, size_t bad)
{
    kh_source tmp = {(char *)path, (char *)text, len, NULL, 0};
    int line, col;
    char lbuf[24], cbuf[24];
    kh_source_linecol(&tmp, (uint32_t)bad, &line, &col);
    snprintf(lbuf, sizeof lbuf, "%d", line);
    snprintf(cbuf, sizeof cbuf, "%d", col);
    kh_source_error(d, KH_SRC_E_UTF8, path, lbuf, cbuf);
}

/* Check that the text is UTF-8 text; record why not. */
static bool kh_source_check_text(kh_diags *d, const char *path,
                                 const char *text, size_t len)
{
    if (kh_source_is_utf16(text, len)) {
        kh_source_error(d, KH_SRC_E_UTF16, path, NULL, NULL);
        return false;
    }
    if (memchr(text, '\0', len)) {
        kh_source_error(d, KH_SRC_E_BINARY, path, NULL, NULL);
        return false;
    }
    size_t bad = kh_utf8_check(text, len);
    if (bad < len) {
        kh_source_bad_utf8(d, path, text, len, bad);
        return false;
    }
    return true;
}

bool kh_source_load(kh_alloc *a, kh_diags *d, const char *path, kh_source *out)
{
    char *text = NULL;
    size_t len = 0, hint;
    memset(out, 0, sizeof *out);
    FILE *f = kh_source_open(d, path, &hint);
    if (!f)
        return false;
    bool ok = kh_source_slurp(a, d, path, f, hint, &text, &len);
    fclose(f);
    if (!ok)
        return false;
    if (!kh_source_check_text(d, path, text, len)) {
        kh_free(text);
        return false;
    }
    char *p = kh_strndup(a, path, strlen(path));
    if (!p) {
        kh_source_error(d, KH_SRC_E_NOMEM, path, NULL, NULL);
        kh_free(text);
        return false;
    }
    out->path = p;
    out->text = text;
    out->len = len;
    kh_source_index(a, out);
    return true;
}
