/* test_outfile.c — output files are written whole or not at all
 * (runtime/outfile.c): nothing appears under the name until the file is
 * complete, a failed write leaves the old file as it was and no stray
 * file beside it, and permissions are the ones a user expects. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* A fresh directory under /tmp, removed (with what is in it) at the end. */
static void of_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/kh-outfile-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static int of_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void of_clean(const char *dir, const char *file)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    unlink(p);
    rmdir(dir);
}

static void of_slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void of_write(const char *path, const char *text)
{
    kh_outfile o;
    cr_assert_eq(kh_outfile_open(&o, path), 0);
    FILE *f = kh_outfile_stream(&o);
    cr_assert_not_null(f);
    fputs(text, f);
    cr_assert_eq(kh_outfile_commit(&o), 0);
}

Test(outfile, nothing_under_the_name_until_committed)
{
    char dir[64], path[128], buf[64];
    of_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    kh_outfile o;
    cr_assert_eq(kh_outfile_open(&o, path), 0);
    fputs("a,b\n", kh_outfile_stream(&o));
    cr_assert_neq(access(path, F_OK), 0, "the file has a name before it is complete");
    cr_assert_eq(kh_outfile_commit(&o), 0);
    of_slurp(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "a,b\n");
    cr_assert_eq(of_entries(dir), 1, "a temporary file was left beside the output");
    of_clean(dir, "out.csv");
}

Test(outfile, an_abandoned_write_keeps_the_old_file)
{
    char dir[64], path[128], buf[64];
    of_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    of_write(path, "old\n");
    kh_outfile o;
    cr_assert_eq(kh_outfile_open(&o, path), 0);
    fputs("half of the new", kh_outfile_stream(&o));
    kh_outfile_abort(&o);
    of_slurp(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "old\n");
    cr_assert_eq(of_entries(dir), 1);
    of_clean(dir, "out.csv");
}

Test(outfile, a_new_file_is_readable_by_others_as_the_umask_allows)
{
    char dir[64], path[128];
    of_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    mode_t old = umask(022);
    of_write(path, "x\n");
    umask(old);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644, "mode %o", (unsigned)(st.st_mode & 0777));
    of_clean(dir, "out.csv");
}

Test(outfile, a_replaced_file_keeps_its_permissions)
{
    char dir[64], path[128], buf[64];
    of_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    of_write(path, "old\n");
    cr_assert_eq(chmod(path, 0640), 0);
    of_write(path, "new\n");
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640, "mode %o", (unsigned)(st.st_mode & 0777));
    of_slurp(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "new\n");
    of_clean(dir, "out.csv");
}

Test(outfile, a_full_device_fails_the_commit)
{
    kh_outfile o;
    cr_assert_eq(kh_outfile_open(&o, "/dev/full"), 0);
    FILE *f = kh_outfile_stream(&o);
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", f);
    cr_assert_eq(kh_outfile_commit(&o), ENOSPC);
}

Test(outfile, a_missing_directory_or_a_directory_is_refused)
{
    kh_outfile o;
    cr_assert_eq(kh_outfile_open(&o, "/tmp/kh-no-such-dir/x/out.csv"), ENOENT);
    kh_outfile_abort(&o);
    cr_assert_eq(kh_outfile_open(&o, "/tmp"), EISDIR);
    kh_outfile_abort(&o);
    cr_assert_eq(kh_outfile_open(&o, "/tmp/"), EISDIR);
    kh_outfile_abort(&o);
}

Test(outfile, a_name_without_a_directory_goes_in_the_current_one)
{
    char dir[64], cwd[512], buf[64];
    of_dir(dir, sizeof dir);
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    of_write("plain.csv", "p\n");
    of_slurp("plain.csv", buf, sizeof buf);
    cr_assert_eq(chdir(cwd), 0);
    cr_assert_str_eq(buf, "p\n");
    cr_assert_eq(of_entries(dir), 1);
    of_clean(dir, "plain.csv");
}
