/* runtime.h — event logs, engines, ranking, reports and the command line.
 * The only public header of runtime/. */
#ifndef KH_RUNTIME_H
#define KH_RUNTIME_H

#include "../compiler/compiler.h"

enum {
    KH_EXIT_OK = 0,
    KH_EXIT_INPUT = 1,     /* problems in the input */
    KH_EXIT_USAGE = 2,
    KH_EXIT_INTERNAL = 3
};

typedef struct kh_cli {
    kh_lang lang;
    kh_alloc alloc;
    FILE *out, *err;
} kh_cli;

void kh_cli_init(kh_cli *cli);
/* argv[0] is the command name ("check", "score", …). */
int kh_cli_run(kh_cli *cli, int argc, char **argv);
/* Every command, how it is called and what it does, in cli->lang. */
void kh_cli_usage(const kh_cli *cli, FILE *f);

#endif
