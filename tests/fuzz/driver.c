/* driver.c — replays inputs through a fuzz target without libFuzzer:
 *
 *     build/fuzz-replay/fuzz_csv FILE_OR_DIR...
 *
 * Every file (directories are read one level deep) is passed to
 * LLVMFuzzerTestOneInput once.  A crash or a failed invariant aborts, so
 * the exit status says whether every input passed. */
#include <dirent.h>
#include <sys/stat.h>

#include "fuzz.h"

static bool kh_replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return false;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return false;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return true;
}

static bool kh_replay_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return false;
    }
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            ok = kh_replay_file(path) && ok;
            ++*count;
        }
    }
    closedir(d);
    return ok;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    bool ok = true;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            ok = kh_replay_dir(argv[i], &count) && ok;
        } else {
            ok = kh_replay_file(argv[i]) && ok;
            count++;
        }
    }
    printf("  %zu inputs replayed\n", count);
    return ok ? 0 : 1;
}
