/* outfile.c — output files written whole or not at all (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"

/* 0666 less the umask: what open(2) would give a new file. */
static mode_t kh_outfile_new_mode(void)
{
    mode_t m = umask(0);
    umask(m);
    return 0666 & ~m;
}

/* The directory of path, and tmp's stem "<dir>/.<name>" (hidden, so a
 * listing taken mid-run does not show it). */
static int kh_outfile_place(kh_outfile *o, char *dir, size_t cap)
{
    const char *slash = strrchr(o->path, '/');
    const char *base = slash ? slash + 1 : o->path;
    size_t dlen = slash ? (size_t)(slash - o->path) : 0;
    if (!*base)
        return EISDIR;
    if (dlen + 2 > cap)
        return ENAMETOOLONG;
    if (!slash)
        memcpy(dir, ".", 2);
    else if (dlen == 0)
        memcpy(dir, "/", 2);
    else {
        memcpy(dir, o->path, dlen);
        dir[dlen] = '\0';
    }
    int n = snprintf(o->tmp, sizeof o->tmp, "%s/.%s", dir, base);
    /* room for the suffix a name takes on */
    return n < 0 || (size_t)n + 32 >= sizeof o->tmp ? ENAMETOOLONG : 0;
}

int kh_outfile_open(kh_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->fd = -1;
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return EISDIR;
        o->special = true;
        o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        return o->fd < 0 ? errno : 0;
    }
    char dir[4096];
    int err = kh_outfile_place(o, dir, sizeof dir);
    if (err)
        return err;
    mode_t mode = exists ? st.st_mode & 07777 : kh_outfile_new_mode();
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (o->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* no O_TMPFILE on this file system: a temporary name instead */
        size_t n = strlen(o->tmp);
        memcpy(o->tmp + n, ".XXXXXX", 8);
        o->fd = mkstemp(o->tmp);
        o->named = o->fd >= 0;
    }
    if (o->fd < 0)
        return errno;
    if (fchmod(o->fd, mode) != 0) {
        err = errno;
        kh_outfile_abort(o);
        return err;
    }
    return 0;
}

FILE *kh_outfile_stream(kh_outfile *o)
{
    if (!o->f)
        o->f = fdopen(o->fd, "w");
    return o->f;
}

int kh_outfile_open_stream(kh_outfile *o, const char *path)
{
    int err = kh_outfile_open(o, path);
    if (!err && !kh_outfile_stream(o)) {
        err = errno ? errno : ENOMEM;
        kh_outfile_abort(o);
    }
    return err;
}

/* Give the unnamed file a temporary name beside its place. */
static int kh_outfile_link(kh_outfile *o)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    size_t n = strlen(o->tmp);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t salt = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 20);
    for (int tries = 0; tries < 64; tries++) {
        snprintf(o->tmp + n, sizeof o->tmp - n, ".%06llx", (unsigned long long)((salt + (uint64_t)tries) & 0xffffff));
        int rc = linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno == ENOENT)     /* no /proc: only privileged processes can do this */
            rc = linkat(o->fd, "", AT_FDCWD, o->tmp, AT_EMPTY_PATH);
        if (rc == 0) {
            o->named = true;
            return 0;
        }
        if (errno != EEXIST)
            return errno;
        o->tmp[n] = '\0';
    }
    return EEXIST;
}

/* Close the file; 0 or the errno of the first failure. */
static int kh_outfile_close(kh_outfile *o)
{
    int rc = o->f ? fclose(o->f) : o->fd >= 0 ? close(o->fd) : 0;
    int err = rc != 0 ? (errno ? errno : EIO) : 0;
    o->f = NULL;
    o->fd = -1;
    return err;
}

int kh_outfile_commit(kh_outfile *o)
{
    int err = 0;
    errno = 0;
    if (o->f && (fflush(o->f) != 0 || ferror(o->f)))
        err = errno ? errno : EIO;
    if (!err && !o->special && fsync(o->fd) != 0)
        err = errno;
    if (!err && !o->special && !o->named)
        err = kh_outfile_link(o);
    int cerr = kh_outfile_close(o);
    if (!err)
        err = cerr;
    if (!err && !o->special && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err && o->named)
        unlink(o->tmp);
    o->named = false;
    return err;
}

void kh_outfile_abort(kh_outfile *o)
{
    kh_outfile_close(o);
    if (o->named)
        unlink(o->tmp);
    o->named = false;
}
