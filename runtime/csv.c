/* csv.c — reading a CSV table: the event log's and the roster's.
 *
 * A file goes through four steps, the first three here and the last in
 * csvrows.c:
 *   1. load: the bytes, refused with a reason when they are not a text table
 *      (missing, a directory, empty, binary, UTF-16, too large);
 *   2. decode: UTF-8 as it is, otherwise GB18030 converted to UTF-8, so that
 *      everything after works on UTF-8 and diagnostics show the user's line;
 *   3. split: RFC 4180 records and fields in one pass, the field text copied
 *      (quotes unescaped) into one buffer the size of the file, at the same
 *      offsets, so no field needs an allocation of its own; the roster
 *      splits its plain lines in place instead and keeps only the values it
 *      needs (see "roster" in csvrows.c);
 *   4. interpret: the header names the columns; each row becomes an event or
 *      a roster entry, or is skipped with an error saying why.
 *
 * Everything is linear in the size of the file: a line of 100,000 fields or
 * a field of many megabytes costs what its bytes cost.
 */
#include "csvrd.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Raw file limit: the converted text must fit the 32-bit offsets of spans,
 * and GB18030 → UTF-8 grows text by at most half. */
#define KH_CSV_FILE_MAX ((size_t)1 << 30)
#define KH_CSV_CHUNK ((size_t)64 * 1024)

/* ------------------------------------------------------------ messages */

static const kh_msg kh_csv_msgs[] = {
    {"R001", "找不到文件：%1", "file not found: %1",
     "请检查文件名和所在文件夹是否写对", "check the file name and its folder"},
    {"R002", "「%1」是文件夹，不是文件", "%1 is a directory, not a file",
     "请指定文件夹里的 CSV 文件", "name the CSV file inside it"},
    {"R003", "%1 是空的，没有表头也没有数据", "%1 is empty: no header, no data",
     "第一行应是表头，例如：人员,日期,事项,数量",
     "the first line must be the header, e.g. person,date,item,value"},
    {"R004", "%1 看起来是二进制文件，不是 CSV 文本",
     "%1 looks like a binary file, not CSV text",
     "Excel 工作簿（.xlsx、.xls）请在 Excel 中用“另存为”保存成“CSV（逗号分隔）”",
     "save an Excel workbook (.xlsx, .xls) with \"Save As\" → \"CSV (Comma delimited)\""},
    {"R005", "%1 第%2行有无法识别的字节（%3）：既不是 UTF-8 也不是 GB18030/GBK 编码",
     "%1 line %2 has bytes that are neither UTF-8 nor GB18030/GBK (%3)",
     "文件可能已损坏，或是用其他编码保存的；请在 Excel 中重新另存为“CSV UTF-8（逗号分隔）”",
     "the file may be damaged or in another encoding; save it again from Excel "
     "as \"CSV UTF-8 (Comma delimited)\""},
    {"R006", "%1 是 UTF-16 编码（Excel 的“Unicode 文本”），不能作为 CSV 读取",
     "%1 is UTF-16 (Excel's \"Unicode Text\"), not CSV",
     "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”",
     "save it from Excel as \"CSV UTF-8 (Comma delimited)\" or \"CSV (Comma delimited)\""},
    {"R007", "无法读取文件：%1（%2）", "cannot read %1: %2",
     "请检查是否有读取这个文件的权限", "check that you may read this file"},
    {"R008", "文件太大：%1（超过 1 GB）", "file too large: %1 (over 1 GB)",
     "kaohe 一次读入一个不超过 1 GB 的文件：导出时只保留计分用到的列（人员、部门、日期、事项、数量、级别、编号），"
     "或按考核期分别导出、分别计分",
     "kaohe reads one file of at most 1 GB: export only the columns scoring reads (person, dept, date, "
     "item, value, level, key), or export and score each period separately"},
    {"R009", "内存不足，无法读取 %1", "out of memory reading %1", NULL, NULL},
    {"R010", "不认识的编码名称「%1」", "unknown encoding \"%1\"",
     "可用的编码：auto（自动识别）、utf-8、gbk、gb18030",
     "known encodings: auto (detect), utf-8, gbk, gb18030"},
    {"R011", "%1 第%2行不是有效的 %3 编码文本", "%1 line %2 is not valid %3 text",
     "去掉编码选项让程序自动识别，或指定文件实际的编码",
     "leave out the encoding option to detect it, or give the file's real encoding"},
    {"R012", "本机不支持 %1 编码转换，无法读取 %2", "this system cannot convert %1; cannot read %2",
     "请安装完整的 glibc 字符集转换模块（gconv），或把文件另存为 UTF-8",
     "install glibc's character set modules (gconv), or save the file as UTF-8"},
    {"R013", "第一行不是表头：没有一个可识别的列名", "the first line is not a header: no column name is known",
     "表头可用的列名：%1", "known column names: %1"},
    {"R014", "表头是用制表符分隔的，不是逗号", "the header is separated by tabs, not commas",
     "请在 Excel 中另存为“CSV（逗号分隔）”", "save it from Excel as \"CSV (Comma delimited)\""},
    {"R015", "缺少必需的列「%1」", "required column \"%1\" is missing",
     "表头可用的列名：%2", "known column names: %2"},
    {"R016", "不认识的列「%1」，这一列的内容将被忽略", "unknown column \"%1\": its content is ignored",
     "表头可用的列名：%2", "known column names: %2"},
    {"R017", "第%1列没有列名，这一列的内容将被忽略", "column %1 has no name: its content is ignored",
     NULL, NULL},
    {"R018", "列「%1」出现了两次（第%2列和第%3列）", "column \"%1\" appears twice (columns %2 and %3)",
     "请删除或改名其中一列", "delete or rename one of them"},
    {"R019", "引号没有闭合：从这里开始的字段到文件末尾都没有结束的引号；这一行已跳过",
     "unterminated quote: no closing quote from here to the end of the file; row skipped",
     "字段内容里的英文双引号要写成两个（\"\"）",
     "write a double quote inside a field as two (\"\")"},
    {"R020", "这一行有 %1 个字段，表头有 %2 个；这一行已跳过",
     "this row has %1 fields but the header has %2; row skipped",
     "内容里有英文逗号的字段要用英文双引号括起来，例如 \"1,000\"",
     "put a field that contains a comma in double quotes, e.g. \"1,000\""},
    {"R021", "这一行的字段超过 %1 个，无法读取；这一行已跳过",
     "this row has more than %1 fields and cannot be read; row skipped",
     "请检查文件是否真是 CSV 表格", "check that the file is really a CSV table"},
    {"R022", "数量「%1」不是数字；这一行已跳过", "value \"%1\" is not a number; row skipped",
     "数量应写成数字，例如 3、2.5、75%；空着表示 1",
     "write a number such as 3, 2.5 or 75%; empty means 1"},
    {"R023", "数量「%1」是负数；这一行已跳过", "value \"%1\" is negative; row skipped",
     "数量是次数、字数、比率或评分，不能为负；扣分由规则决定",
     "a value counts occurrences, words, a rate or a score and cannot be negative; "
     "the rules decide deductions"},
    {"R024", "数量「%1」的小数超过三位；这一行已跳过",
     "value \"%1\" has more than three decimals; row skipped",
     "最多保留三位小数，例如 0.125", "keep at most three decimals, e.g. 0.125"},
    {"R025", "数量「%1」太大；这一行已跳过", "value \"%1\" is too large; row skipped", NULL, NULL},
    {"R026", "日期「%1」不是有效的日期；这一行已跳过", "date \"%1\" is not a valid date; row skipped",
     "日期可写成 2023-03-05、2023/3/5、2023.3.5 或 2023年3月5日",
     "write dates as 2023-03-05, 2023/3/5, 2023.3.5 or 2023年3月5日"},
    {"R027", "事项为空；这一行已跳过", "the item is empty; row skipped",
     "事项要与考核方案中的条目名称一致", "the item must name an item of the scheme"},
    {"R028", "人员为空；这一行已跳过", "the person is empty; row skipped", NULL, NULL},
    {"R029", "人员「%1」在名单中出现了两次（第%2行已有）；这一行已跳过",
     "person \"%1\" is listed twice (already on line %2); row skipped",
     "同名的两个人请用编号或加注部门区分", "tell namesakes apart by an id or by adding their department"},
    {"R030", "「%1」第一次出现在这里", "\"%1\" is first listed here", NULL, NULL},
    {"R031", "%1 只有表头，没有数据行", "%1 has a header but no rows", NULL, NULL},
};

static const kh_span kh_csv_nospan = {0, 0};

/* A diagnostic about the file as a whole (no source to show yet). */
static void kh_csv_file_diag(kh_diags *d, int which, const char *a1,
                             const char *a2, const char *a3)
{
    if (!d)
        return;
    /* out of memory is the program's failure, not the file's */
    if (which == KH_CSV_E_NOMEM)
        d->oom = true;
    kh_diag_add(d, KH_ERROR, &kh_csv_msgs[which], NULL, kh_csv_nospan, a1, a2, a3);
}

/* ------------------------------------------------------ loading bytes */

/* Why stat or open failed, as a diagnostic. */
static void kh_csv_open_error(kh_diags *d, const char *path, int err)
{
    if (err == ENOENT || err == ENOTDIR)
        kh_csv_file_diag(d, KH_CSV_E_MISSING, path, NULL, NULL);
    else
        kh_csv_file_diag(d, KH_CSV_E_READ, path, strerror(err), NULL);
}

/* Open path for reading; *hint is its size when it is a regular file. */
static int kh_csv_open(kh_diags *d, const char *path, size_t *hint)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        kh_csv_open_error(d, path, errno);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        kh_csv_file_diag(d, KH_CSV_E_DIR, path, NULL, NULL);
        return -1;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > KH_CSV_FILE_MAX) {
        kh_csv_file_diag(d, KH_CSV_E_TOO_LARGE, path, NULL, NULL);
        return -1;
    }
    *hint = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        kh_csv_open_error(d, path, errno);
    return fd;
}

/* Make room for at least need bytes (plus a terminating NUL). */
static bool kh_csv_reserve(kh_alloc *a, char **buf, size_t *cap, size_t need)
{
    if (need + 1 <= *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : KH_CSV_CHUNK;
    if (ncap < need + 1)
        ncap = need + 1;
    char *nb = kh_realloc(a, *buf, ncap);
    if (!nb)
        return false;
    *buf = nb;
    *cap = ncap;
    return true;
}

/* Read everything from fd into *buf (NUL-terminated). */
static bool kh_csv_read_fd(kh_alloc *a, kh_diags *d, const char *path, int fd,
                           size_t hint, char **buf, size_t *len)
{
    size_t cap = hint ? hint + 2 : KH_CSV_CHUNK, n = 0;
    /* One spare byte past the expected size, so the read that finds the
     * end of the file needs no bigger buffer; mapped at once, as the whole
     * of it is about to be written. */
    *buf = kh_malloc_big(a, cap);
    if (!*buf)
        goto nomem;
    for (;;) {
        if (n + 1 >= cap && !kh_csv_reserve(a, buf, &cap, cap))
            goto nomem;
        ssize_t got = read(fd, *buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            kh_csv_file_diag(d, KH_CSV_E_READ, path, strerror(errno), NULL);
            break;
        }
        if (got == 0) {
            (*buf)[n] = '\0';
            *len = n;
            return true;
        }
        n += (size_t)got;
        if (n > KH_CSV_FILE_MAX) {
            kh_csv_file_diag(d, KH_CSV_E_TOO_LARGE, path, NULL, NULL);
            break;
        }
    }
    kh_free(*buf);
    *buf = NULL;
    return false;
nomem:
    kh_csv_file_diag(d, KH_CSV_E_NOMEM, path, NULL, NULL);
    kh_free(*buf);
    *buf = NULL;
    return false;
}

static bool kh_csv_slurp(kh_alloc *a, kh_diags *d, const char *path,
                         char **buf, size_t *len)
{
    size_t hint = 0;
    int fd = kh_csv_open(d, path, &hint);
    if (fd < 0)
        return false;
    bool ok = kh_csv_read_fd(a, d, path, fd, hint, buf, len);
    close(fd);
    return ok;
}

/* Refuse what is plainly not a text table. */
static bool kh_csv_check_bytes(kh_diags *d, const char *path, const char *t, size_t n)
{
    const unsigned char *u = (const unsigned char *)t;
    if (n == 0) {
        kh_csv_file_diag(d, KH_CSV_E_EMPTY, path, NULL, NULL);
        return false;
    }
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        kh_csv_file_diag(d, KH_CSV_E_UTF16, path, NULL, NULL);
        return false;
    }
    if (memchr(t, '\0', n)) {
        kh_csv_file_diag(d, KH_CSV_E_BINARY, path, NULL, NULL);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ decoding */

typedef enum kh_csv_enc {
    KH_CSV_ENC_AUTO, KH_CSV_ENC_UTF8, KH_CSV_ENC_GBK, KH_CSV_ENC_GB18030, KH_CSV_ENC_UNKNOWN
} kh_csv_enc;

static bool kh_csv_ascii_eq(const char *x, const char *y)
{
    for (; *x && *y; x++, y++) {
        char cx = *x >= 'A' && *x <= 'Z' ? (char)(*x + 32) : *x;
        char cy = *y >= 'A' && *y <= 'Z' ? (char)(*y + 32) : *y;
        if (cx != cy)
            return false;
    }
    return *x == *y;
}

static kh_csv_enc kh_csv_encoding_kind(const char *name)
{
    if (!name || !*name || kh_csv_ascii_eq(name, "auto"))
        return KH_CSV_ENC_AUTO;
    if (kh_csv_ascii_eq(name, "utf-8") || kh_csv_ascii_eq(name, "utf8"))
        return KH_CSV_ENC_UTF8;
    if (kh_csv_ascii_eq(name, "gbk") || kh_csv_ascii_eq(name, "cp936"))
        return KH_CSV_ENC_GBK;
    if (kh_csv_ascii_eq(name, "gb18030"))
        return KH_CSV_ENC_GB18030;
    return KH_CSV_ENC_UNKNOWN;
}

typedef enum kh_csv_conv { KH_CSV_CONV_OK, KH_CSV_CONV_BAD, KH_CSV_CONV_NOMEM, KH_CSV_CONV_NOCODEC } kh_csv_conv;

/* Convert in[0..n) from `from` to UTF-8 in one call.  glibc's iconv is used
 * because it implements the full GB18030 table (two- and four-byte forms,
 * characters outside the BMP) correctly; GBK is its two-byte subset.  On
 * KH_CSV_CONV_BAD, *bad is the offset of the first byte it could not take. */
static kh_csv_conv kh_csv_iconv(kh_alloc *a, const char *from, const char *in, size_t n,
                                char **out, size_t *outlen, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return KH_CSV_CONV_NOCODEC;
    size_t cap = n + n / 2 + 16;
    char *o = kh_malloc_big(a, cap);
    if (!o) {
        iconv_close(cd);
        return KH_CSV_CONV_NOMEM;
    }
    char *ip = (char *)in, *op = o;
    size_t il = n, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1 || il != 0) {
        *bad = (size_t)(ip - in);
        kh_free(o);
        return KH_CSV_CONV_BAD;
    }
    *op = '\0';
    *out = o;
    *outlen = (size_t)(op - o);
    return KH_CSV_CONV_OK;
}

/* Line (1-based) of byte off, as text. */
static void kh_csv_line_of(const char *t, size_t off, char *buf, size_t cap)
{
    size_t line = 1;
    for (const char *p = t; (p = memchr(p, '\n', (size_t)(t + off - p))) != NULL; p++)
        line++;
    snprintf(buf, cap, "%zu", line);
}

/* Neither UTF-8 nor GB18030: say where, with the bytes found there. */
static void kh_csv_decode_error(kh_diags *d, const char *path, const char *t,
                                size_t n, size_t bad)
{
    char line[24], bytes[32];
    const unsigned char *u = (const unsigned char *)t;
    kh_csv_line_of(t, bad, line, sizeof line);
    if (bad + 1 < n && u[bad + 1] >= 0x80)
        snprintf(bytes, sizeof bytes, "0x%02X 0x%02X", u[bad], u[bad + 1]);
    else
        snprintf(bytes, sizeof bytes, "0x%02X", u[bad]);
    kh_csv_file_diag(d, KH_CSV_E_DECODE, path, line, bytes);
}

static void kh_csv_forced_error(kh_diags *d, const char *path, const char *t,
                                size_t bad, const char *label)
{
    char line[24];
    kh_csv_line_of(t, bad, line, sizeof line);
    kh_csv_file_diag(d, KH_CSV_E_FORCED, path, line, label);
}

/* Decoded text and what it was. */
typedef struct kh_csv_text {
    char *t;
    size_t n;
    const char *encoding;
} kh_csv_text;

/* Convert raw (kept by the caller) from a GB encoding. */
static bool kh_csv_from_gb(kh_alloc *a, kh_diags *d, const char *path, const char *raw,
                           size_t n, kh_csv_enc enc, size_t utf8_bad, kh_csv_text *out)
{
    const char *codec = enc == KH_CSV_ENC_GBK ? "GBK" : "GB18030";
    size_t bad = 0;
    switch (kh_csv_iconv(a, codec, raw, n, &out->t, &out->n, &bad)) {
    case KH_CSV_CONV_OK:
        out->encoding = codec;
        return true;
    case KH_CSV_CONV_BAD:
        if (enc == KH_CSV_ENC_AUTO)
            kh_csv_decode_error(d, path, raw, n, bad > utf8_bad ? bad : utf8_bad);
        else
            kh_csv_forced_error(d, path, raw, bad, codec);
        return false;
    case KH_CSV_CONV_NOMEM:
        kh_csv_file_diag(d, KH_CSV_E_NOMEM, path, NULL, NULL);
        return false;
    case KH_CSV_CONV_NOCODEC:
        kh_csv_file_diag(d, KH_CSV_E_ICONV, codec, path, NULL);
        return false;
    }
    return false;
}

/* raw becomes out->t when it is UTF-8; otherwise it is converted and freed. */
static bool kh_csv_decode(kh_alloc *a, kh_diags *d, const char *path, char *raw,
                          size_t n, kh_csv_enc enc, kh_csv_text *out)
{
    if (enc == KH_CSV_ENC_AUTO || enc == KH_CSV_ENC_UTF8) {
        size_t bad = kh_utf8_check(raw, n);
        if (bad == n) {
            out->t = raw;
            out->n = n;
            out->encoding = "UTF-8";
            return true;
        }
        if (enc == KH_CSV_ENC_UTF8) {
            kh_csv_forced_error(d, path, raw, bad, "UTF-8");
            kh_free(raw);
            return false;
        }
        bool ok = kh_csv_from_gb(a, d, path, raw, n, enc, bad, out);
        kh_free(raw);
        return ok;
    }
    bool ok = kh_csv_from_gb(a, d, path, raw, n, enc, 0, out);
    kh_free(raw);
    return ok;
}

/* Drop a leading BOM; turn lone CRs (old Mac line ends) into LFs, byte for
 * byte, so that every line ends in LF and offsets do not move. */
static void kh_csv_normalise(kh_csv_text *x, bool *crlf)
{
    if (x->n >= 3 && memcmp(x->t, "\xEF\xBB\xBF", 3) == 0) {
        memmove(x->t, x->t + 3, x->n - 3 + 1);
        x->n -= 3;
        if (strcmp(x->encoding, "UTF-8") == 0)
            x->encoding = "UTF-8 (BOM)";
    }
    const char *lf = memchr(x->t, '\n', x->n);
    *crlf = lf && lf > x->t && lf[-1] == '\r';
    for (char *p = x->t; (p = memchr(p, '\r', (size_t)(x->t + x->n - p))) != NULL; p++)
        if (p[1] != '\n')
            *p = '\n';
}

static size_t kh_csv_count_nl(const char *p, size_t n)
{
    size_t k = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

/* The line index of src, as kh_source_index makes it (the start of every
 * line), found with memchr and mapped at once: a roster has a line per
 * person. */
static void kh_csv_index(kh_alloc *a, kh_source *src)
{
    const char *t = src->text, *end = t + src->len;
    size_t k = 0, n = kh_csv_count_nl(t, src->len) + 1;
    uint32_t *v = n <= SIZE_MAX / sizeof *v ? kh_malloc_big(a, n * sizeof *v) : NULL;
    if (!v)
        return;                 /* lines are then found by scanning */
    v[k++] = 0;
    for (const char *p = t; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        v[k++] = (uint32_t)(p + 1 - t);
    src->lines = v;
    src->nlines = k;
}

/* Steps 1 and 2: the file as UTF-8 text in src. */
bool kh_csv_load(kh_alloc *a, kh_diags *d, const char *path, const char *encoding,
                        kh_source *src, const char **enc_label, bool *crlf)
{
    kh_csv_enc enc = kh_csv_encoding_kind(encoding);
    char *raw = NULL;
    size_t n = 0;
    kh_csv_text x = {NULL, 0, NULL};
    if (enc == KH_CSV_ENC_UNKNOWN) {
        kh_csv_file_diag(d, KH_CSV_E_ENCNAME, encoding, NULL, NULL);
        return false;
    }
    if (!kh_csv_slurp(a, d, path, &raw, &n))
        return false;
    if (!kh_csv_check_bytes(d, path, raw, n)) {
        kh_free(raw);
        return false;
    }
    if (!kh_csv_decode(a, d, path, raw, n, enc, &x))
        return false;
    kh_csv_normalise(&x, crlf);
    src->path = kh_strndup(a, path, strlen(path));
    if (!src->path) {
        kh_csv_file_diag(d, KH_CSV_E_NOMEM, path, NULL, NULL);
        kh_free(x.t);
        return false;
    }
    src->text = x.t;
    src->len = x.n;
    kh_csv_index(a, src);
    *enc_label = x.encoding;
    if (x.n == 0) {
        kh_csv_file_diag(d, KH_CSV_E_EMPTY, path, NULL, NULL);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ splitting */

bool kh_csv_init(kh_csv *c, kh_alloc *a, kh_diags *d, const kh_source *src)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->d = d;
    c->src = src;
    c->line = 1;
    c->store = kh_malloc(a, src->len + 1);
    if (!c->store) {
        kh_csv_file_diag(d, KH_CSV_E_NOMEM, src->path, NULL, NULL);
        return false;
    }
    c->store[src->len] = '\0';
    return true;
}

void kh_csv_fini(kh_csv *c)
{
    kh_free(c->f);
    c->f = NULL;
}

/* Offset of the next ',' or '\n' from i, or of the terminating NUL. */
static size_t kh_csv_scan_plain(const char *t, size_t i)
{
    for (;; i++) {
        char ch = t[i];
        if (ch == ',' || ch == '\n' || ch == '\0')
            return i;
    }
}

/* Can a blank (below) start with ch, or end with it? */
static bool kh_csv_blank_lead(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\xE3';
}

static bool kh_csv_blank_tail(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\x80';
}

/* Is s[i..] a blank (space, tab, CR, U+3000)?  Returns its length or 0. */
static size_t kh_csv_blank_at(const char *s, size_t i, size_t n)
{
    if (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        return 1;
    if (i + 3 <= n && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Length of a blank ending at s[n-1], or 0. */
static size_t kh_csv_blank_before(const char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        return 1;
    if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Record field raw [off, off+rawlen) whose text is store[v, v+vlen). */
static bool kh_csv_push(kh_csv *c, size_t off, size_t rawlen, size_t v, size_t vlen)
{
    char *s = c->store;
    size_t k;
    if (++c->nfields > KH_CSV_MAX_FIELDS)
        return true;
    if (c->nf == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        if (ncap > KH_CSV_MAX_FIELDS)
            ncap = KH_CSV_MAX_FIELDS;
        kh_csv_field *nfv = kh_realloc(c->a, c->f, ncap * sizeof *nfv);
        if (!nfv)
            return false;
        c->f = nfv;
        c->cap = ncap;
    }
    while ((k = kh_csv_blank_at(s, v, v + vlen)) != 0) {
        v += k;
        vlen -= k;
    }
    while ((k = kh_csv_blank_before(s + v, vlen)) != 0)
        vlen -= k;
    s[v + vlen] = '\0';
    c->f[c->nf++] = (kh_csv_field){(uint32_t)off, (uint32_t)rawlen, s + v, vlen};
    return true;
}

/* A quoted field at t[*i] == '"': unescape into store from *w.  Leaves *i
 * on the delimiter after it. */
static kh_csv_next_rc kh_csv_quoted(kh_csv *c, size_t *i, size_t *w)
{
    const char *t = c->src->text;
    size_t n = c->src->len, r = *i + 1;
    for (;;) {
        const char *q = memchr(t + r, '"', n - r);
        if (!q) {
            c->bad_quote = (uint32_t)*i;
            return KH_CSV_UNTERMINATED;
        }
        size_t seg = (size_t)(q - (t + r));
        c->line += (uint32_t)kh_csv_count_nl(t + r, seg);
        memcpy(c->store + *w, t + r, seg);
        *w += seg;
        r += seg + 1;
        if (t[r] != '"')
            break;
        c->store[(*w)++] = '"';
        r++;
    }
    /* Text after the closing quote is kept as written, as Excel does. */
    size_t e = kh_csv_scan_plain(t, r);
    memcpy(c->store + *w, t + r, e - r);
    *w += e - r;
    *i = e;
    return KH_CSV_REC;
}

/* Skip the rest of the line holding an unterminated quote. */
static void kh_csv_recover(kh_csv *c, uint32_t quote_line)
{
    const char *t = c->src->text;
    const char *nl = memchr(t + c->bad_quote, '\n', c->src->len - c->bad_quote);
    c->pos = nl ? (size_t)(nl - t) + 1 : c->src->len;
    c->line = quote_line + 1;
}

/* Step 3: the next record into c->f. */
kh_csv_next_rc kh_csv_next(kh_csv *c)
{
    const char *t = c->src->text;
    size_t i = c->pos;
    if (i >= c->src->len)
        return KH_CSV_EOF;
    c->nf = c->nfields = 0;
    c->rec_line = c->line;
    for (;;) {
        size_t start = i, w = i, end, q = i;
        uint32_t line0 = c->line;
        while (t[q] == ' ' || t[q] == '\t')
            q++;
        if (t[q] == '"') {
            i = q;
            if (kh_csv_quoted(c, &i, &w) == KH_CSV_UNTERMINATED) {
                kh_csv_recover(c, line0);
                return KH_CSV_UNTERMINATED;
            }
        } else {
            i = kh_csv_scan_plain(t, i);
            memcpy(c->store + start, t + start, i - start);
            w = i;
        }
        end = i;
        if (t[i] == '\n' && end > start && t[end - 1] == '\r') {
            end--;
            w -= w > start && c->store[w - 1] == '\r';
        }
        if (!kh_csv_push(c, start, end - start, start, w - start))
            return KH_CSV_NOMEM;
        if (t[i] == ',') {
            i++;
            continue;
        }
        c->rec = (kh_span){(uint32_t)c->pos, (uint32_t)(end - c->pos)};
        if (t[i] == '\n') {
            i++;
            c->line++;
        }
        c->pos = i;
        return KH_CSV_REC;
    }
}

/* A record with no content at all: an empty line or ",,,," as Excel writes
 * for formatted but empty rows.  It carries nothing, so it is not a row. */
bool kh_csv_blank_record(const kh_csv *c)
{
    if (c->nfields > KH_CSV_MAX_FIELDS)
        return false;
    for (size_t j = 0; j < c->nf; j++)
        if (c->f[j].vlen)
            return false;
    return true;
}

/* Offset of the first ',', '"' or '\n' in t[i..n), or n.  Eight bytes at a
 * time: with x the word XOR the byte sought in every lane, (x - 0x01..) &
 * ~x has the top bit set in a lane that was equal, and the lowest such
 * lane is exact (borrows only run upwards from it). */
static size_t kh_csv_special(const char *t, size_t i, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, x, y, z;
        memcpy(&w, t + i, 8);
        x = w ^ (ones * ',');
        y = w ^ (ones * '"');
        z = w ^ (ones * '\n');
        uint64_t hit = (((x - ones) & ~x) | ((y - ones) & ~y) | ((z - ones) & ~z)) & tops;
        if (hit)
            return i + (size_t)__builtin_ctzll(hit) / 8;
    }
#endif
    while (i < n && t[i] != ',' && t[i] != '"' && t[i] != '\n')
        i++;
    return i;
}

/* The record at c->pos split into raw spans c->f[0..nhead) when it is
 * plain: one line, no quote anywhere, exactly nhead fields.  *eol is where
 * the line ends (its '\n' or the end of the text).  Nothing else about the
 * reader changes; the values are left to kh_csv_plain_value. */
bool kh_csv_split_plain(kh_csv *c, size_t nhead, size_t *eol)
{
    const char *t = c->src->text;
    size_t n = c->src->len, i = c->pos, k = 0, j;
    for (;; i = j + 1) {
        j = kh_csv_special(t, i, n);
        if ((j < n && t[j] == '"') || k == nhead)
            return false;
        c->f[k++] = (kh_csv_field){(uint32_t)i, (uint32_t)(j - i), NULL, 0};
        if (j == n || t[j] == '\n')
            break;
    }
    if (k != nhead)
        return false;
    kh_csv_field *last = &c->f[k - 1];
    if (j < n && last->len && t[j - 1] == '\r')
        last->len--;
    *eol = j;
    return true;
}

/* The value of a plain field, in the source: its raw text less the blanks
 * around it, as kh_csv_push trims. */
void kh_csv_plain_value(const kh_csv *c, const kh_csv_field *f, const char **s, size_t *n)
{
    const char *t = c->src->text + f->off;
    size_t a = 0, b = f->len, k;
    /* a blank starts with one of " \t\r\xE3" and ends with one of " \t\r\x80" */
    if (b && (kh_csv_blank_lead(t[0]) || kh_csv_blank_tail(t[b - 1]))) {
        while ((k = kh_csv_blank_at(t, a, b)) != 0)
            a += k;
        while ((k = kh_csv_blank_before(t + a, b - a)) != 0)
            b -= k;
    }
    *s = t + a;
    *n = b - a;
}

/* Step past the plain record split by kh_csv_split_plain, as kh_csv_next
 * would have. */
void kh_csv_take_plain(kh_csv *c, size_t nhead, size_t eol)
{
    const kh_csv_field *last = &c->f[nhead - 1];
    c->rec_line = c->line;
    c->rec = (kh_span){(uint32_t)c->pos, last->off + last->len - (uint32_t)c->pos};
    if (eol < c->src->len) {
        c->line++;
        eol++;
    }
    c->pos = eol;
}

/* ----------------------------------------------------- reporting helpers */

void kh_csv_diag(kh_csv *c, kh_severity sev, int which, kh_span span,
                        const char *a1, const char *a2, const char *a3)
{
    if (c->d)
        kh_diag_add(c->d, sev, &kh_csv_msgs[which], c->src, span, a1, a2, a3);
}

kh_span kh_csv_field_span(const kh_csv_field *f)
{
    return (kh_span){f->off, f->len};
}

/* A user's value for quoting in a message: at most KH_CSV_QUOTE_MAX bytes,
 * cut at a character boundary, with "…" when cut. */
void kh_csv_quote(const char *s, size_t n, char *buf, size_t cap)
{
    size_t m = n;
    if (m > KH_CSV_QUOTE_MAX) {
        m = KH_CSV_QUOTE_MAX;
        while (m > 0 && ((unsigned char)s[m] & 0xC0) == 0x80)
            m--;
    }
    snprintf(buf, cap, "%.*s%s", (int)m, s, m < n ? "…" : "");
}

void kh_csv_nomem(kh_csv *c)
{
    kh_csv_file_diag(c->d, KH_CSV_E_NOMEM, c->src->path, NULL, NULL);
}

/* Upper bound on the number of records: one per line. */
size_t kh_csv_max_records(const kh_csv *c)
{
    if (c->src->lines)
        return c->src->nlines;
    return kh_csv_count_nl(c->src->text, c->src->len) + 1;
}

/* Report a record that cannot be a row: unterminated quote (reported at
 * the quote), too many fields, or a field count unlike the header's.
 * Returns true when the record is fine. */
bool kh_csv_check_shape(kh_csv *c, kh_csv_next_rc rc, size_t nhead)
{
    char x[24], y[24];
    if (rc == KH_CSV_UNTERMINATED) {
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_QUOTE, (kh_span){c->bad_quote, 1}, NULL, NULL, NULL);
        return false;
    }
    if (c->nfields > KH_CSV_MAX_FIELDS) {
        snprintf(x, sizeof x, "%d", KH_CSV_MAX_FIELDS);
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_TOO_MANY, c->rec, x, NULL, NULL);
        return false;
    }
    if (c->nfields != nhead) {
        snprintf(x, sizeof x, "%zu", c->nfields);
        snprintf(y, sizeof y, "%zu", nhead);
        kh_csv_diag(c, KH_ERROR, KH_CSV_E_FIELDS, c->rec, x, y, NULL);
        return false;
    }
    return true;
}

/* -------------------------------------------------------------- header */

/* The column a header name means, or -1.  English names ignore case. */
static int kh_csv_match(const kh_csv_table *tb, const char *name)
{
    for (int k = 0; k < tb->ncols; k++)
        for (int j = 0; tb->cols[k].names[j]; j++)
            if (kh_csv_ascii_eq(tb->cols[k].names[j], name))
                return k;
    return -1;
}

/* The first record that is not blank; false (with a diagnostic) if none or
 * if it cannot be read. */
static bool kh_csv_first_record(kh_csv *c)
{
    kh_csv_next_rc rc;
    while ((rc = kh_csv_next(c)) == KH_CSV_REC && kh_csv_blank_record(c))
        ;
    switch (rc) {
    case KH_CSV_REC:
        break;
    case KH_CSV_EOF:
        kh_csv_file_diag(c->d, KH_CSV_E_EMPTY, c->src->path, NULL, NULL);
        return false;
    case KH_CSV_UNTERMINATED:
        kh_csv_check_shape(c, rc, 0);
        return false;
    case KH_CSV_NOMEM:
        kh_csv_nomem(c);
        return false;
    }
    return kh_csv_check_shape(c, rc, c->nfields);
}

/* Name columns by the header; idx[k] is the field of column k or -1. */
static bool kh_csv_assign(kh_csv *c, const kh_csv_table *tb, int *idx, bool *any)
{
    bool ok = true;
    char x[24], y[24];
    for (size_t j = 0; j < c->nf; j++) {
        int k = kh_csv_match(tb, c->f[j].val);
        if (k < 0)
            continue;
        *any = true;
        if (idx[k] >= 0) {
            snprintf(x, sizeof x, "%d", idx[k] + 1);
            snprintf(y, sizeof y, "%zu", j + 1);
            kh_csv_diag(c, KH_ERROR, KH_CSV_E_DUP_COLUMN, kh_csv_field_span(&c->f[j]),
                        c->f[j].val, x, y);
            ok = false;
        } else
            idx[k] = (int)j;
    }
    return ok;
}

/* Warn about each column that is ignored. */
static void kh_csv_warn_ignored(kh_csv *c, const kh_csv_table *tb)
{
    char x[24], q[KH_CSV_QUOTE_MAX + 8];
    for (size_t j = 0; j < c->nf; j++) {
        const kh_csv_field *f = &c->f[j];
        if (kh_csv_match(tb, f->val) >= 0)
            continue;
        if (f->vlen == 0) {
            snprintf(x, sizeof x, "%zu", j + 1);
            kh_csv_diag(c, KH_WARNING, KH_CSV_W_UNNAMED, kh_csv_field_span(f), x, NULL, NULL);
        } else {
            kh_csv_quote(f->val, f->vlen, q, sizeof q);
            kh_csv_diag(c, KH_WARNING, KH_CSV_W_UNKNOWN, kh_csv_field_span(f), q, tb->known, NULL);
        }
    }
}

/* Read the header: idx[k] gets the field of column k (or -1), *nhead the
 * number of fields.  False when the file cannot be read as a table. */
bool kh_csv_header(kh_csv *c, const kh_csv_table *tb, int *idx, size_t *nhead)
{
    bool any = false;
    for (int k = 0; k < tb->ncols; k++)
        idx[k] = -1;
    if (!kh_csv_first_record(c))
        return false;
    *nhead = c->nf;
    bool ok = kh_csv_assign(c, tb, idx, &any);
    if (!any) {
        bool tabs = c->nf == 1 && memchr(c->f[0].val, '\t', c->f[0].vlen);
        kh_csv_diag(c, KH_ERROR, tabs ? KH_CSV_E_TABS : KH_CSV_E_NO_HEADER, c->rec,
                    tb->known, NULL, NULL);
        return false;
    }
    kh_csv_warn_ignored(c, tb);
    return ok;
}

void kh_csv_require(kh_csv *c, kh_span header, const char *name, const char *known)
{
    kh_csv_diag(c, KH_ERROR, KH_CSV_E_REQUIRED, header, name, known, NULL);
}

/* The text of column k in the current record ("" when absent). */
const char *kh_csv_get(const kh_csv *c, const int *idx, int k)
{
    return idx[k] >= 0 ? c->f[idx[k]].val : kh_csv_empty;
}

/* The span of column k, or the record's when the column is absent. */
kh_span kh_csv_span(const kh_csv *c, const int *idx, int k)
{
    return idx[k] >= 0 ? kh_csv_field_span(&c->f[idx[k]]) : c->rec;
}

/* ------------------------------------------------------------- numbers */

/* One digit at s[*i] (ASCII or full-width), advancing; -1 if none. */
static int kh_csv_digit(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*i < n && u[*i] >= '0' && u[*i] <= '9')
        return u[(*i)++] - '0';
    if (*i + 3 <= n && u[*i] == 0xEF && u[*i + 1] == 0xBC && u[*i + 2] >= 0x90 && u[*i + 2] <= 0x99) {
        *i += 3;
        return u[*i - 1] - 0x90;
    }
    return -1;
}

/* Is s[*i..] the given ASCII char or its full-width form (U+FF00 + c - 0x20)?
 * Advances past it. */
static bool kh_csv_sym(const char *s, size_t n, size_t *i, char ch)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned int fw = 0xFF00u + (unsigned char)ch - 0x20u;
    if (*i < n && s[*i] == ch) {
        (*i)++;
        return true;
    }
    if (*i + 3 <= n && u[*i] == 0xEF && u[*i + 1] == (0x80 | ((fw >> 6) & 0x3F)) &&
        u[*i + 2] == (0x80 | (fw & 0x3F))) {
        *i += 3;
        return true;
    }
    return false;
}


/* Remove thousands separators "12,345.5" into buf; false when commas are
 * present but not in groups of three (1,5 is not a number here). */
static bool kh_csv_ungroup(const char *s, size_t n, char *buf, size_t cap, size_t *len)
{
    size_t i = 0, m = 0, run = 0;
    bool grouped = false, frac = false;
    for (; i < n; i++) {
        if (m + 1 >= cap)
            return false;
        if (s[i] == ',') {
            if (frac || run == 0 || (grouped ? run != 3 : run > 3))
                return false;
            grouped = true;
            run = 0;
            continue;
        }
        if (s[i] == '.')
            frac = true;
        else if (!frac && s[i] >= '0' && s[i] <= '9')
            run++;
        else if (!frac && s[i] != '-')
            return false;
        if (s[i] == '.' && grouped && run != 3)
            return false;
        buf[m++] = s[i];
    }
    if (grouped && !frac && run != 3)
        return false;
    *len = m;
    return true;
}

/* Why s is not a decimal kh_dec_parse takes: too many decimals, too big,
 * negative, or not a number at all. */
static kh_csv_val kh_csv_classify(const char *s, size_t n)
{
    size_t i = 0, idig = 0, fdig = 0;
    bool neg = kh_csv_sym(s, n, &i, '-');
    while (kh_csv_digit(s, n, &i) >= 0)
        idig++;
    if (idig && kh_csv_sym(s, n, &i, '.'))
        while (kh_csv_digit(s, n, &i) >= 0)
            fdig++;
    if (!idig || i != n)
        return KH_CSV_VAL_BAD;
    if (neg)
        return KH_CSV_VAL_NEG;
    return fdig > 3 ? KH_CSV_VAL_DECIMALS : KH_CSV_VAL_BIG;
}

/* 数量: empty is 1; "75%" is 75 with pct; thousands separators allowed. */
kh_csv_val kh_csv_parse_value(const char *s, size_t n, kh_dec *v, bool *pct)
{
    char buf[64];
    size_t i = 0;
    *pct = false;
    if (n == 0) {
        *v = KH_DEC_ONE;
        return KH_CSV_VAL_OK;
    }
    if (n >= 1 && s[n - 1] == '%')
        n -= 1, *pct = true;
    else if (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x85", 3) == 0)
        n -= 3, *pct = true;
    while (*pct && n > 0 && (i = kh_csv_blank_before(s, n)) != 0)
        n -= i;
    if (memchr(s, ',', n)) {
        if (!kh_csv_ungroup(s, n, buf, sizeof buf, &n))
            return KH_CSV_VAL_BAD;
        s = buf;
    }
    if (!kh_dec_parse(s, n, v))
        return kh_csv_classify(s, n);
    return *v < 0 ? KH_CSV_VAL_NEG : KH_CSV_VAL_OK;
}

/* --------------------------------------------------------------- dates */

static bool kh_csv_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int kh_csv_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && kh_csv_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar,
 * counting from a year that starts in March so that leap days come last. */
static int32_t kh_csv_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void kh_csv_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    int64_t zz = (int64_t)z + 719468;
    int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    int64_t doe = zz - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* min..max digits at s[*i] into *v. */
static bool kh_csv_digits(const char *s, size_t n, size_t *i, int min, int max, int *v)
{
    int k = 0, dg;
    *v = 0;
    while (k < max && (dg = kh_csv_digit(s, n, i)) >= 0) {
        *v = *v * 10 + dg;
        k++;
    }
    size_t j = *i;
    return k >= min && kh_csv_digit(s, n, &j) < 0;
}

static bool kh_csv_word(const char *s, size_t n, size_t *i, const char *w)
{
    size_t len = strlen(w);
    if (*i + len > n || memcmp(s + *i, w, len) != 0)
        return false;
    *i += len;
    return true;
}

/* A separator of numeric dates: '-', '/', '.' (or full-width); 0 if none. */
static char kh_csv_date_sep(const char *s, size_t n, size_t *i)
{
    static const char seps[] = "-/.";
    for (const char *p = seps; *p; p++)
        if (kh_csv_sym(s, n, i, *p))
            return *p;
    return 0;
}

/* An optional time after the date: " H:MM" or " H:MM:SS". */
static bool kh_csv_time(const char *s, size_t n, size_t *i)
{
    int h, mi, se = 0;
    if (*i == n)
        return true;
    if (!kh_csv_sym(s, n, i, ' '))
        return false;
    while (kh_csv_sym(s, n, i, ' '))
        ;
    if (!kh_csv_digits(s, n, i, 1, 2, &h) || !kh_csv_sym(s, n, i, ':') ||
        !kh_csv_digits(s, n, i, 2, 2, &mi))
        return false;
    if (kh_csv_sym(s, n, i, ':') && !kh_csv_digits(s, n, i, 2, 2, &se))
        return false;
    return h < 24 && mi < 60 && se < 60;
}

bool kh_csv_parse_date(const char *s, size_t n, int32_t *days)
{
    size_t i = 0, k;
    int y, m, d;
    while ((k = kh_csv_blank_at(s, i, n)) != 0)
        i += k;
    while ((k = kh_csv_blank_before(s, n)) != 0 && n > i)
        n -= k;
    if (!kh_csv_digits(s, n, &i, 4, 4, &y))
        return false;
    if (kh_csv_word(s, n, &i, "年")) {
        if (!kh_csv_digits(s, n, &i, 1, 2, &m) || !kh_csv_word(s, n, &i, "月") ||
            !kh_csv_digits(s, n, &i, 1, 2, &d) || !kh_csv_word(s, n, &i, "日"))
            return false;
    } else {
        char sep = kh_csv_date_sep(s, n, &i);
        if (!sep || !kh_csv_digits(s, n, &i, 1, 2, &m) || kh_csv_date_sep(s, n, &i) != sep ||
            !kh_csv_digits(s, n, &i, 1, 2, &d))
            return false;
    }
    return kh_csv_time(s, n, &i) && i == n && kh_csv_civil_days(y, m, d, days);
}

bool kh_csv_civil_days(int y, int m, int d, int32_t *days)
{
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > kh_csv_month_days(y, m))
        return false;
    *days = kh_csv_days_from_civil(y, m, d);
    return true;
}

void kh_csv_date_format(int32_t days, char *buf, size_t cap)
{
    int y, m, d;
    if (!cap)
        return;
    if (days == INT32_MIN) {
        buf[0] = '\0';
        return;
    }
    kh_csv_civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}
