/* jitcache.h — internal to compiler/: the native engine's files on disk.
 *
 * The compile cache (one shared object per scheme, keyed by a hash of its IR
 * text and of everything else that shapes the code), the temporary-file-
 * then-rename discipline for writing them, and loading a shared object with
 * its ABI check.  Nothing here knows about the code generator; jit.c passes
 * in what it needs (its version, the optimisation level).
 */
#ifndef KH_JITCACHE_H
#define KH_JITCACHE_H

#include "compiler.h"

/* A hash in hex: 32 digits and a NUL. */
#define KH_JC_HASH 33
/* Longest path the cache builds (longer ones disable it). */
#define KH_JC_PATH 4096
/* Longest ABI string: "kaohe-abi-3 <version> <hash>". */
#define KH_JC_ABI 128

/* The symbols every compiled scheme defines. */
#define KH_JC_SYM_FN "kh_entity"
#define KH_JC_SYM_ABI "kh_abi"

/* Hash of the IR's text form (kh_ir_print).  False if it cannot be printed. */
bool kh_jc_ir_hash(const kh_ir *ir, char out[KH_JC_HASH]);
/* Cache key: the IR hash, kaohe's version, the code generator's version
 * (major, minor, patch) and the optimisation level. */
void kh_jc_key(const char *ir_hash, const int gen_version[3], int opt_level, char out[KH_JC_HASH]);
/* The ABI string a shared object built from this IR carries. */
void kh_jc_abi(const char *ir_hash, char out[KH_JC_ABI]);

/* The cache directory: opt_dir when given, else $XDG_CACHE_HOME/kaohe, else
 * $HOME/.cache/kaohe; created if missing.  False when caching is disabled
 * (opt_dir is "") or the directory cannot be made. */
bool kh_jc_dir(const char *opt_dir, char out[KH_JC_PATH]);
/* dir/<key>.so; false when too long. */
bool kh_jc_path(const char *dir, const char *key, char out[KH_JC_PATH]);

/* Create an empty temporary file next to final (same directory, so the
 * rename is atomic).  False with a message when the directory is not
 * writable. */
bool kh_jc_temp(const char *final, char out[KH_JC_PATH], char *err, size_t errcap);
/* Move a finished temporary file into place; removes it on failure. */
bool kh_jc_commit(const char *temp, const char *final, char *err, size_t errcap);
void kh_jc_discard(const char *temp);

typedef enum kh_jc_status {
    KH_JC_OK,
    KH_JC_MISSING,          /* no such file */
    KH_JC_BROKEN,           /* not loadable, or not a compiled scheme */
    KH_JC_OTHER_SCHEME,     /* built from another scheme */
    KH_JC_OTHER_VERSION     /* built by another version of kaohe */
} kh_jc_status;

/* dlopen a shared object, check its ABI string against ir_hash and find its
 * entry point.  On anything but KH_JC_OK nothing stays loaded and err says
 * why. */
kh_jc_status kh_jc_open(const char *path, const char *ir_hash, void **handle, kh_entity_fn *fn, char *err,
                        size_t errcap);
void kh_jc_close(void *handle);

/* Milliseconds on a monotonic clock, for kh_jit_stats. */
double kh_jc_now_ms(void);
/* snprintf into err when err is non-NULL. */
void kh_jc_err(char *err, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
