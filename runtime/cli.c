/* cli.c — the commands of kaohe, one function each.  Nothing below this
 * layer prints: libraries return diagnostics, this file renders them. */
#include <string.h>

#include "runtime.h"

static const kh_msg m_usage_file = {"U001", "缺少文件参数", "missing file argument", NULL, NULL};
static const kh_msg m_usage_opt = {"U002", "不认识的选项「%1」", "unknown option 「%1」", NULL, NULL};

void kh_cli_init(kh_cli *cli)
{
    memset(cli, 0, sizeof *cli);
    cli->lang = KH_ZH;
    cli->out = stdout;
    cli->err = stderr;
}

static void render_all(kh_cli *cli, kh_diags *d)
{
    kh_diags_sort(d);
    for (size_t i = 0; i < d->n; i++)
        kh_diag_render(cli->err, &d->v[i], cli->lang);
}

static int usage(kh_cli *cli, const kh_msg *m, const char *arg)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_span none = {0, 0};
    kh_diag_add(&d, KH_ERROR, m, NULL, none, arg, NULL, NULL);
    render_all(cli, &d);
    kh_diags_free(&d);
    return KH_EXIT_USAGE;
}

/* Files and the options every command shares. */
typedef struct kh_args {
    const char *files[256];
    int nfiles;
} kh_args;

static int parse_args(kh_cli *cli, int argc, char **argv, kh_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return usage(cli, &m_usage_opt, argv[i]);
        if (a->nfiles < 256)
            a->files[a->nfiles++] = argv[i];
    }
    if (!a->nfiles)
        return usage(cli, &m_usage_file, NULL);
    return KH_EXIT_OK;
}

/* A parsed, checked scheme with everything it owns. */
typedef struct kh_loaded {
    kh_source src;
    kh_scheme *s;
    bool loaded;
} kh_loaded;

static bool load_scheme(kh_cli *cli, kh_diags *d, const char *path, kh_loaded *l)
{
    memset(l, 0, sizeof *l);
    if (!kh_source_load(&cli->alloc, d, path, &l->src))
        return false;
    l->loaded = true;
    l->s = kh_parse(&cli->alloc, d, &l->src);
    if (!l->s)
        return false;
    kh_check(&cli->alloc, d, l->s);
    return true;
}

static void unload(kh_loaded *l)
{
    kh_scheme_free(l->s);
    if (l->loaded)
        kh_source_free(&l->src);
}

static int exit_for(const kh_diags *d)
{
    if (d->oom)
        return KH_EXIT_INTERNAL;
    return d->nerrors ? KH_EXIT_INPUT : KH_EXIT_OK;
}

/* check FILE... */
static int cmd_check(kh_cli *cli, int argc, char **argv)
{
    kh_args a;
    int rc = parse_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    int worst = KH_EXIT_OK;
    for (int i = 0; i < a.nfiles; i++) {
        kh_diags d;
        kh_diags_init(&d, &cli->alloc);
        kh_loaded l;
        load_scheme(cli, &d, a.files[i], &l);
        render_all(cli, &d);
        int r = exit_for(&d);
        if (r > worst)
            worst = r;
        unload(&l);
        kh_diags_free(&d);
    }
    return worst;
}

/* ast FILE */
static int cmd_ast(kh_cli *cli, int argc, char **argv)
{
    kh_args a;
    int rc = parse_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    kh_loaded l;
    if (load_scheme(cli, &d, a.files[0], &l))
        kh_ast_print(cli->out, l.s);
    render_all(cli, &d);
    rc = exit_for(&d);
    unload(&l);
    kh_diags_free(&d);
    return rc;
}

/* ir FILE */
static int cmd_ir(kh_cli *cli, int argc, char **argv)
{
    kh_args a;
    int rc = parse_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    kh_loaded l;
    if (load_scheme(cli, &d, a.files[0], &l) && !d.nerrors) {
        kh_ir *ir = kh_lower(&cli->alloc, &d, l.s);
        if (ir)
            kh_ir_print(cli->out, ir);
        kh_ir_free(ir);
    }
    render_all(cli, &d);
    rc = exit_for(&d);
    unload(&l);
    kh_diags_free(&d);
    return rc;
}

int kh_cli_run(kh_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(kh_cli *, int, char **);
    } cmds[] = {
        {"check", cmd_check},
        {"ast", cmd_ast},
        {"ir", cmd_ir},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[0], cmds[i].name) == 0)
            return cmds[i].fn(cli, argc, argv);
    static const kh_msg m_cmd = {"U003", "不认识的命令「%1」", "unknown command 「%1」", NULL, NULL};
    return usage(cli, &m_cmd, argv[0]);
}
