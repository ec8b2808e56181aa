/* measure.c — run a command several times; print the median wall time and
 * the largest peak memory of its runs.
 *
 *     measure RUNS [-o OUT] [-e ERR] -- COMMAND ARG...
 *
 * prints "MEDIAN_MS MAX_RSS_KB" on stdout.  The command's stdout goes to OUT
 * (default /dev/null) and its stderr to ERR (default /dev/null); with
 * several runs they hold the last run's.  Exits non-zero when a run fails.
 * Part of `make bench`; not part of kaohe.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One run; its wall time and peak memory. */
static int run_once(char **cmd, const char *out, const char *err, double *ms, long *rss)
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0)
            _exit(126);
        dup2(fo, 1);
        dup2(fe, 2);
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *ms = now_ms() - t0;
    *rss = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null", *err = "/dev/null";
    int i = 2;
    if (argc < 4) {
        fprintf(stderr, "usage: measure RUNS [-o OUT] [-e ERR] -- COMMAND ARG...\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc)
            return 2;
        if (strcmp(argv[i], "-o") == 0)
            out = argv[i + 1];
        else if (strcmp(argv[i], "-e") == 0)
            err = argv[i + 1];
        else
            return 2;
    }
    if (i >= argc - 1 || runs < 1 || runs > 99)
        return 2;
    double ms[99];
    long peak = 0;
    for (int r = 0; r < runs; r++) {
        long rss = 0;
        int rc = run_once(argv + i + 1, out, err, &ms[r], &rss);
        if (rc != 0) {
            fprintf(stderr, "measure: %s exited with %d\n", argv[i + 1], rc);
            return 1;
        }
        if (rss > peak)
            peak = rss;
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    double med = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    printf("%.1f %ld\n", med, peak);
    return 0;
}
