/* outfile.h — output files written whole or not at all.
 *
 * A regular file is written under no name (O_TMPFILE) and named only when
 * complete, so a failed or killed run leaves the old file, if any, as it
 * was and no partial file beside it.  Where the file system cannot do
 * that, a hidden temporary name in the same directory stands in.  A new
 * file gets the usual permissions (0666 less the umask); a file replaced
 * keeps its own.  Devices and pipes (/dev/stdout, a FIFO) are written
 * directly.
 */
#ifndef KH_OUTFILE_H
#define KH_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct kh_outfile {
    const char *path;
    int fd;
    FILE *f;                    /* kh_outfile_stream's, if asked for */
    bool special;               /* a device or a pipe: written in place */
    bool named;                 /* written under tmp (no O_TMPFILE here) */
    char tmp[4096];
} kh_outfile;

/* 0, or the errno that stopped it. */
int kh_outfile_open(kh_outfile *o, const char *path);
/* The file as a stdio stream (owned by o); NULL with errno on failure. */
FILE *kh_outfile_stream(kh_outfile *o);
/* Both at once: 0 with o->f ready, or the errno with nothing left open. */
int kh_outfile_open_stream(kh_outfile *o, const char *path);
/* Flush, sync, and put the file in place; 0 or an errno.  The file is
 * closed either way, and on failure nothing is left behind. */
int kh_outfile_commit(kh_outfile *o);
/* Close and discard what was written. */
void kh_outfile_abort(kh_outfile *o);

#endif
