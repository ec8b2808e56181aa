/* jitcache.c — the native engine's files: the on-disk compile cache and the
 * shared objects written by `kaohe compile`.
 *
 * A compiled scheme is keyed by a hash of its IR text (kh_ir_print), kaohe's
 * version, the code generator's version and the optimisation level, so any
 * change to what the code computes or how it is built picks a new file.
 * Files are written under a temporary name in their final directory and
 * renamed into place: a reader sees the old file or the new one, never half
 * of one.  Every shared object carries the string
 *
 *     kh_abi = "kaohe-abi-3 <kaohe version> <IR hash>"
 *
 * which is checked before its code is trusted.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jitcache.h"

/* The contract between the generated code and the runtime: the mirrored
 * structs and what the code expects of them.  It is part of every cache
 * key and of every object's ABI string, so it must change whenever the
 * code generator's output changes for the same IR (new field read, helper
 * dropped or added), or a cache would serve code of the old contract. */
#define KH_JC_ABI_TAG "kaohe-abi-3"

/* ------------------------------------------------------------ hashing */

/* 128-bit FNV-1a. */
__extension__ typedef unsigned __int128 kh_jc_u128;

typedef struct kh_jc_fnv {
    kh_jc_u128 h;
} kh_jc_fnv;

static void kh_jc_fnv_init(kh_jc_fnv *f)
{
    f->h = ((kh_jc_u128)0x6c62272e07bb0142ULL << 64) | 0x62b821756295c58dULL;
}

static void kh_jc_fnv_add(kh_jc_fnv *f, const void *p, size_t n)
{
    const kh_jc_u128 prime = ((kh_jc_u128)0x0000000001000000ULL << 64) | 0x000000000000013bULL;
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= s[i];
        f->h *= prime;
    }
}

static void kh_jc_fnv_hex(const kh_jc_fnv *f, char out[KH_JC_HASH])
{
    snprintf(out, KH_JC_HASH, "%016llx%016llx", (unsigned long long)(f->h >> 64), (unsigned long long)f->h);
}

/* The IR text is hashed as it is printed, through a stream that keeps
 * nothing but the hash. */
static ssize_t kh_jc_sink(void *cookie, const char *buf, size_t n)
{
    kh_jc_fnv_add(cookie, buf, n);
    return (ssize_t)n;
}

bool kh_jc_ir_hash(const kh_ir *ir, char out[KH_JC_HASH])
{
    kh_jc_fnv f;
    kh_jc_fnv_init(&f);
    cookie_io_functions_t io = {.read = NULL, .write = kh_jc_sink, .seek = NULL, .close = NULL};
    FILE *fp = fopencookie(&f, "w", io);
    if (!fp)
        return false;
    kh_ir_print(fp, ir);
    bool ok = !ferror(fp);
    if (fclose(fp) != 0)
        ok = false;
    if (ok)
        kh_jc_fnv_hex(&f, out);
    return ok;
}

void kh_jc_key(const char *ir_hash, const int gen_version[3], int opt_level, char out[KH_JC_HASH])
{
    char text[256];
    /* kaohe's level, not GCC's -O number (jit.c maps one to the other) */
    int n = snprintf(text, sizeof text, "%s\n%s\nkaohe %s\nlibgccjit %d.%d.%d\nlevel %d\n", ir_hash, KH_JC_ABI_TAG,
                     KH_VERSION, gen_version[0], gen_version[1], gen_version[2], opt_level);
    kh_jc_fnv f;
    kh_jc_fnv_init(&f);
    kh_jc_fnv_add(&f, text, n > 0 && (size_t)n < sizeof text ? (size_t)n : strlen(text));
    kh_jc_fnv_hex(&f, out);
}

void kh_jc_abi(const char *ir_hash, char out[KH_JC_ABI])
{
    snprintf(out, KH_JC_ABI, "%s %s %s", KH_JC_ABI_TAG, KH_VERSION, ir_hash);
}

/* ---------------------------------------------------------- directories */

void kh_jc_err(char *err, size_t errcap, const char *fmt, ...)
{
    if (!err || errcap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
}

/* snprintf that reports truncation. */
static bool kh_jc_fmt(char out[KH_JC_PATH], const char *fmt, const char *a, const char *b)
{
    int n = snprintf(out, KH_JC_PATH, fmt, a, b);
    return n > 0 && n < KH_JC_PATH;
}

/* mkdir -p; the directories it creates are private to the user. */
static bool kh_jc_mkdirs(const char *dir)
{
    char p[KH_JC_PATH];
    if (!kh_jc_fmt(p, "%s%s", dir, ""))
        return false;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return false;
        *s = '/';
    }
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
        return false;
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool kh_jc_dir(const char *opt_dir, char out[KH_JC_PATH])
{
    bool ok;
    if (opt_dir) {
        ok = opt_dir[0] != '\0' && kh_jc_fmt(out, "%s%s", opt_dir, "");
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            ok = kh_jc_fmt(out, "%s%s", xdg, "/kaohe");
        else if (home && home[0])
            ok = kh_jc_fmt(out, "%s%s", home, "/.cache/kaohe");
        else
            ok = false;
    }
    return ok && kh_jc_mkdirs(out);
}

bool kh_jc_path(const char *dir, const char *key, char out[KH_JC_PATH])
{
    char name[KH_JC_HASH + 8];
    snprintf(name, sizeof name, "%s.so", key);
    return kh_jc_fmt(out, "%s/%s", dir, name);
}

/* ------------------------------------------------------ writing files */

bool kh_jc_temp(const char *final, char out[KH_JC_PATH], char *err, size_t errcap)
{
    if (!kh_jc_fmt(out, "%s%s", final, ".tmp-XXXXXX")) {
        kh_jc_err(err, errcap, "路径太长：%s (path too long)", final);
        return false;
    }
    int fd = mkstemp(out);
    if (fd < 0) {
        kh_jc_err(err, errcap, "无法写入 %s：%s (cannot write there)", final, strerror(errno));
        return false;
    }
    close(fd);
    return true;
}

bool kh_jc_commit(const char *temp, const char *final, char *err, size_t errcap)
{
    if (rename(temp, final) == 0)
        return true;
    kh_jc_err(err, errcap, "无法写入 %s：%s (cannot write there)", final, strerror(errno));
    unlink(temp);
    return false;
}

void kh_jc_discard(const char *temp)
{
    unlink(temp);
}

/* ------------------------------------------------------------- loading */

/* Tell a foreign ABI string from ours: another scheme, or another kaohe. */
static kh_jc_status kh_jc_mismatch(const char *path, const char *have, const char *want, char *err,
                                   size_t errcap)
{
    size_t prefix = strlen(want) - (KH_JC_HASH - 1);
    if (strncmp(have, want, prefix) == 0) {
        kh_jc_err(err, errcap,
                  "%s 是由另一个考核方案编译的，不能用于本方案，请重新编译 "
                  "(%s was compiled from a different scheme; compile it again)",
                  path, path);
        return KH_JC_OTHER_SCHEME;
    }
    if (strncmp(have, KH_JC_ABI_TAG " ", sizeof KH_JC_ABI_TAG) == 0) {
        kh_jc_err(err, errcap,
                  "%s 是由另一版本的 kaohe 编译的，请重新编译 "
                  "(%s was compiled by another version of kaohe; compile it again)",
                  path, path);
        return KH_JC_OTHER_VERSION;
    }
    kh_jc_err(err, errcap, "%s 不是 kaohe 编译的方案 (%s is not a scheme compiled by kaohe)", path, path);
    return KH_JC_BROKEN;
}

/* dlopen searches the library path for names without a slash. */
static void kh_jc_dlpath(const char *path, char out[KH_JC_PATH])
{
    if (strchr(path, '/') || !kh_jc_fmt(out, "./%s%s", path, ""))
        snprintf(out, KH_JC_PATH, "%s", path);
}

/* The ABI string, read without trusting it to be terminated. */
static kh_jc_status kh_jc_check_abi(void *h, const char *path, const char *ir_hash, char *err, size_t errcap)
{
    const char *have = dlsym(h, KH_JC_SYM_ABI);
    if (!have) {
        kh_jc_err(err, errcap, "%s 不是 kaohe 编译的方案 (%s is not a scheme compiled by kaohe)", path, path);
        return KH_JC_BROKEN;
    }
    char want[KH_JC_ABI];
    kh_jc_abi(ir_hash, want);
    if (strncmp(have, want, strlen(want) + 1) != 0)
        return kh_jc_mismatch(path, have, want, err, errcap);
    return KH_JC_OK;
}

kh_jc_status kh_jc_open(const char *path, const char *ir_hash, void **handle, kh_entity_fn *fn, char *err,
                        size_t errcap)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        kh_jc_err(err, errcap, "无法打开 %s：%s (cannot open it)", path, strerror(errno));
        return errno == ENOENT ? KH_JC_MISSING : KH_JC_BROKEN;
    }
    char p[KH_JC_PATH];
    kh_jc_dlpath(path, p);
    void *h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        kh_jc_err(err, errcap, "无法加载 %s (cannot load it): %s", path, why ? why : "?");
        return KH_JC_BROKEN;
    }
    kh_jc_status s = kh_jc_check_abi(h, path, ir_hash, err, errcap);
    void *f = s == KH_JC_OK ? dlsym(h, KH_JC_SYM_FN) : NULL;
    if (s == KH_JC_OK && !f) {
        kh_jc_err(err, errcap, "%s 缺少入口 %s (no entry point)", path, KH_JC_SYM_FN);
        s = KH_JC_BROKEN;
    }
    if (s != KH_JC_OK) {
        dlclose(h);
        return s;
    }
    *handle = h;
    *fn = (kh_entity_fn)f;
    return KH_JC_OK;
}

void kh_jc_close(void *handle)
{
    if (handle)
        dlclose(handle);
}

double kh_jc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
