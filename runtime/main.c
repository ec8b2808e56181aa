/* main.c — the kaohe command line.
 *
 * Exit codes: 0 success; 1 problems in the input (diagnostics, rejected
 * data, lint errors); 2 usage; 3 internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

int main(int argc, char **argv)
{
    kh_cli cli;
    kh_cli_init(&cli);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc && strcmp(argv[i + 1], "en") == 0)
            cli.lang = KH_EN;
    /* --lang may come before the command too */
    int first = 1;
    while (first + 1 < argc && strcmp(argv[first], "--lang") == 0)
        first += 2;
    if (first >= argc) {
        kh_cli_usage(&cli, stderr);
        return KH_EXIT_USAGE;
    }
    const char *cmd = argv[first];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        kh_cli_usage(&cli, stdout);
        return KH_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("kaohe %s\n", KH_VERSION);
        return KH_EXIT_OK;
    }
    int rc = kh_cli_run(&cli, argc - first, argv + first);
    if (rc == KH_EXIT_USAGE)
        fputs(cli.lang == KH_EN ? "run 'kaohe --help' for usage\n" : "运行 kaohe --help 查看用法\n", stderr);
    return rc;
}
