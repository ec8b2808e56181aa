/* cli.c — the commands of kaohe, one function each.  Nothing below this
 * layer prints: libraries return diagnostics, this file renders them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"
#include "score.h"

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

static int usage2(kh_cli *cli, const kh_msg *m, const char *a1, const char *a2)
{
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_span none = {0, 0};
    kh_diag_add(&d, KH_ERROR, m, NULL, none, a1, a2, NULL);
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

/* The linter's errors are part of check; its warnings are for `lint`. */
static void lint_errors(kh_cli *cli, kh_diags *d, const kh_scheme *s)
{
    kh_ir *ir = kh_lower(&cli->alloc, d, s);
    if (!ir)
        return;
    kh_diags ld;
    kh_diags_init(&ld, &cli->alloc);
    /* the linter sees what was already said, so it does not say it again */
    for (size_t i = 0; i < d->n; i++)
        kh_diag_add(&ld, d->v[i].sev, d->v[i].msg, d->v[i].src, d->v[i].span, d->v[i].args[0], d->v[i].args[1],
                    d->v[i].args[2]);
    size_t before = ld.n;
    kh_lint(&cli->alloc, &ld, s, ir);
    for (size_t i = before; i < ld.n; i++) {
        const kh_diag *f = &ld.v[i];
        if (f->sev != KH_ERROR)
            continue;
        kh_diag *c = kh_diag_add(d, f->sev, f->msg, f->src, f->span, f->args[0], f->args[1], f->args[2]);
        if (c) {
            c->lint_class = f->lint_class;
            if (f->counterexample)
                c->counterexample = kh_strndup(&cli->alloc, f->counterexample, strlen(f->counterexample));
        }
    }
    kh_diags_free(&ld);
    kh_ir_free(ir);
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
        if (load_scheme(cli, &d, a.files[i], &l))
            lint_errors(cli, &d, l.s);
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

/* ------------------------------------------------------- score, explain */

static const kh_msg m_need = {"U004", "缺少选项 %1", "missing option %1", NULL, NULL};
static const kh_msg m_bad_value = {"U005", "选项 %1 的值「%2」无法识别", "option %1: cannot use 「%2」", NULL, NULL};
static const kh_msg m_scheme_errors = {"U006", "规则文件有错误，不能计分", "the rule file has errors; nothing is scored",
                                       "先用 kaohe check 改正；若确要忽略有错的条款计分，加 --allow-errors",
                                       "fix them (kaohe check), or pass --allow-errors to score without the broken clauses"};
static const kh_msg m_no_person = {"U007", "找不到「%1」", "「%1」 is not among those scored", NULL, NULL};
static const kh_msg m_write = {"R201", "无法写入「%1」：%2", "cannot write 「%1」: %2", "原文件（如有）保持不变",
                               "the old file, if any, is unchanged"};
static const kh_msg m_jit = {"I001", "本机代码编译失败：%1", "native compilation failed: %1", NULL, NULL};
static const kh_msg m_jit_fallback = {"W020", "本机代码编译失败，改用解释器：%1",
                                      "native compilation failed; using the interpreter: %1", NULL, NULL};
static const kh_msg m_data_errors = {"R120", "事件记录或名单有错误，结果未输出", "the event log or roster has errors; no result is written",
                                     NULL, NULL};
static const kh_msg m_summary = {"R121", "读入事件%1条，计分%2条；未计分：%3",
                                 "read %1 events, counted %2; not counted: %3", NULL, NULL};

typedef struct kh_sargs {
    const char *scheme, *out, *person;
    kh_score_opts o;
    kh_format fmt;
    bool allow_errors;
} kh_sargs;

static int parse_score_args(kh_cli *cli, int argc, char **argv, kh_sargs *a, bool explain)
{
    memset(a, 0, sizeof *a);
    a->o.engine = KH_ENGINE_AUTO;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(o, "--events") == 0 || strcmp(o, "-e") == 0)
            a->o.events = v;
        else if (strcmp(o, "--roster") == 0 || strcmp(o, "-r") == 0)
            a->o.roster = v;
        else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0)
            a->out = v;
        else if (strcmp(o, "--person") == 0 || strcmp(o, "--unit") == 0)
            a->person = v;
        else if (strcmp(o, "--period") == 0)
            a->o.period = v;
        else if (strcmp(o, "--encoding") == 0)
            a->o.encoding = v;
        else if (strcmp(o, "--compiled") == 0)
            a->o.compiled = v;
        else if (strcmp(o, "--lang") == 0)
            ;
        else if (strcmp(o, "--format") == 0) {
            if (!v)
                return usage(cli, &m_need, o);
            if (strcmp(v, "csv") == 0)
                a->fmt = KH_FMT_CSV;
            else if (strcmp(v, "json") == 0)
                a->fmt = KH_FMT_JSON;
            else if (strcmp(v, "table") == 0)
                a->fmt = KH_FMT_TABLE;
            else
                return usage2(cli, &m_bad_value, o, v);
        } else if (strcmp(o, "--engine") == 0) {
            if (!v)
                return usage(cli, &m_need, o);
            if (strcmp(v, "jit") == 0)
                a->o.engine = KH_ENGINE_JIT;
            else if (strcmp(v, "interp") == 0)
                a->o.engine = KH_ENGINE_INTERP;
            else if (strcmp(v, "auto") == 0)
                a->o.engine = KH_ENGINE_AUTO;
            else
                return usage2(cli, &m_bad_value, o, v);
        } else {
            takes = false;
            if (strcmp(o, "--strict") == 0)
                a->o.strict = true;
            else if (strcmp(o, "--allow-errors") == 0)
                a->allow_errors = true;
            else if (o[0] == '-' && o[1])
                return usage(cli, &m_usage_opt, o);
            else if (!a->scheme)
                a->scheme = o;
            else
                return usage(cli, &m_usage_opt, o);
        }
        if (takes) {
            if (!v)
                return usage(cli, &m_need, o);
            i++;
        }
    }
    if (!a->scheme)
        return usage(cli, &m_usage_file, NULL);
    if (!a->o.events)
        return usage(cli, &m_need, "--events");
    if (!a->o.roster)
        return usage(cli, &m_need, "--roster");
    if (explain && !a->person)
        return usage(cli, &m_need, "--person");
    return KH_EXIT_OK;
}

/* Write through a temporary file renamed into place, so a failed run leaves
 * no half-written file; devices and pipes are written directly. */
static int write_output(kh_cli *cli, kh_diags *d, const char *path, const kh_scored *sc, kh_format fmt)
{
    kh_span none = {0, 0};
    struct stat st;
    bool special = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
    char tmp[4096];
    FILE *f = NULL;
    int fd = -1;
    if (special) {
        f = fopen(path, "w");
    } else {
        if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp) {
            kh_diag_add(d, KH_ERROR, &m_write, NULL, none, path, strerror(ENAMETOOLONG), NULL);
            return KH_EXIT_INPUT;
        }
        fd = mkstemp(tmp);
        if (fd >= 0)
            f = fdopen(fd, "w");
    }
    if (!f) {
        kh_diag_add(d, KH_ERROR, &m_write, NULL, none, path, strerror(errno), NULL);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return KH_EXIT_INPUT;
    }
    kh_report(f, sc, fmt);
    bool bad = ferror(f) != 0;
    if (fflush(f) != 0)
        bad = true;
    if (!special && fsync(fileno(f)) != 0)
        bad = true;
    int err = errno;
    if (fclose(f) != 0) {
        bad = true;
        err = errno;
    }
    if (!bad && !special && rename(tmp, path) != 0) {
        bad = true;
        err = errno;
    }
    if (bad) {
        if (!special)
            unlink(tmp);
        kh_diag_add(d, KH_ERROR, &m_write, NULL, none, path, strerror(err ? err : EIO), NULL);
        return KH_EXIT_INPUT;
    }
    (void)cli;
    return KH_EXIT_OK;
}

static void summary(kh_diags *d, const kh_scored *sc)
{
    char a[32], b[32], c[256];
    snprintf(a, sizeof a, "%zu", sc->log.n + sc->log.skipped);
    snprintf(b, sizeof b, "%zu", sc->counted);
    snprintf(c, sizeof c, "人员不在名单中%zu条、无对应考核项%zu条、不在考核期内%zu条、有错误%zu条", sc->unknown_person,
             sc->unknown_item, sc->outside_period, sc->rejected);
    kh_span none = {0, 0};
    kh_diag_add(d, KH_NOTE, &m_summary, NULL, none, a, b, c);
}

/* Parse, check, lower: the IR of a scheme fit to score. */
static kh_ir *scheme_ir(kh_cli *cli, kh_diags *d, const char *path, bool allow_errors, kh_loaded *l)
{
    if (!load_scheme(cli, d, path, l))
        return NULL;
    if (d->nerrors && !allow_errors) {
        kh_span none = {0, 0};
        kh_diag_add(d, KH_ERROR, &m_scheme_errors, NULL, none, NULL, NULL, NULL);
        return NULL;
    }
    if (d->nerrors) {
        /* --allow-errors: the broken clauses are reported and not scored */
        for (size_t i = 0; i < d->n; i++)
            if (d->v[i].sev == KH_ERROR) {
                d->v[i].sev = KH_WARNING;
                d->nerrors--;
                d->nwarnings++;
            }
    }
    return kh_lower(&cli->alloc, d, l->s);
}

static int score_or_explain(kh_cli *cli, int argc, char **argv, bool explain)
{
    kh_sargs a;
    int rc = parse_score_args(cli, argc, argv, &a, explain);
    if (rc)
        return rc;
    /* -O1: as fast as -O2 here (the time goes into the helpers), a third quicker to compile */
    kh_jit_opts jo = {1, NULL, false};
    a.o.jit = &jo;
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    kh_loaded l;
    kh_scored sc;
    memset(&sc, 0, sizeof sc);
    kh_ir *ir = scheme_ir(cli, &d, a.scheme, a.allow_errors, &l);
    rc = KH_EXIT_INPUT;
    if (ir && kh_score(&cli->alloc, &d, ir, &a.o, &sc)) {
        if (sc.jit_error[0])
            kh_diag_add(&d, KH_WARNING, &m_jit_fallback, NULL, (kh_span){0, 0}, sc.jit_error, NULL, NULL);
        if (!explain)
            summary(&d, &sc);
        if (d.nerrors) {
            kh_diag_add(&d, KH_ERROR, &m_data_errors, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        } else if (explain) {
            ptrdiff_t who = kh_scored_find(&sc, a.person);
            if (who < 0) {
                kh_diag_add(&d, KH_ERROR, &m_no_person, NULL, (kh_span){0, 0}, a.person, NULL, NULL);
            } else {
                kh_explain(cli->out, &sc, (size_t)who);
                rc = KH_EXIT_OK;
            }
        } else if (a.out) {
            rc = write_output(cli, &d, a.out, &sc, a.fmt);
        } else {
            kh_report(cli->out, &sc, a.fmt);
            rc = KH_EXIT_OK;
        }
    } else if (sc.jit_error[0]) {
        kh_diag_add(&d, KH_ERROR, &m_jit, NULL, (kh_span){0, 0}, sc.jit_error, NULL, NULL);
        rc = KH_EXIT_INTERNAL;
    }
    if (d.oom)
        rc = KH_EXIT_INTERNAL;
    render_all(cli, &d);
    kh_scored_free(&sc);
    kh_ir_free(ir);
    unload(&l);
    kh_diags_free(&d);
    return rc;
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

/* One finding as a JSON object. */
static void kh_lint_json(FILE *out, const kh_diag *dg, kh_lang lang, bool first)
{
    char msg[1024], hint[512];
    int line = 0, col = 0;
    if (dg->src)
        kh_source_linecol(dg->src, dg->span.off, &line, &col);
    kh_diag_message(dg, lang, msg, sizeof msg);
    bool has_hint = kh_diag_hint(dg, lang, hint, sizeof hint);
    fputs(first ? "\n  {" : ",\n  {", out);
    fputs("\"class\": ", out);
    json_str(out, dg->lint_class ? dg->lint_class : "");
    fprintf(out, ", \"code\": \"%s\", \"severity\": \"%s\", \"file\": ", dg->msg->code,
            dg->sev == KH_ERROR ? "error" : dg->sev == KH_WARNING ? "warning" : "note");
    json_str(out, dg->src ? dg->src->path : "");
    fprintf(out, ", \"line\": %d, \"col\": %d, \"message\": ", line, col);
    json_str(out, msg);
    fputs(", \"counterexample\": ", out);
    if (dg->counterexample)
        json_str(out, dg->counterexample);
    else
        fputs("null", out);
    fputs(", \"suggestion\": ", out);
    if (has_hint)
        json_str(out, hint);
    else
        fputs("null", out);
    fputc('}', out);
}

/* lint FILE... [--format json]: findings only, errors exit 1. */
static int cmd_lint(kh_cli *cli, int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--format") == 0) {
            if (strcmp(argv[i + 1], "json") == 0)
                json = true;
            else if (strcmp(argv[i + 1], "text") != 0)
                return usage2(cli, &m_bad_value, argv[i], argv[i + 1]);
            memmove(argv + i, argv + i + 2, (size_t)(argc - i - 2) * sizeof *argv);
            argc -= 2;
            i--;
        }
    kh_args a;
    int rc = parse_args(cli, argc, argv, &a);
    if (rc)
        return rc;
    int worst = KH_EXIT_OK;
    bool first = true;
    if (json)
        fputs("[", cli->out);
    for (int i = 0; i < a.nfiles; i++) {
        kh_diags d;
        kh_diags_init(&d, &cli->alloc);
        kh_loaded l;
        if (load_scheme(cli, &d, a.files[i], &l)) {
            kh_ir *ir = kh_lower(&cli->alloc, &d, l.s);
            if (ir)
                kh_lint(&cli->alloc, &d, l.s, ir);
            kh_ir_free(ir);
        }
        kh_diags_sort(&d);
        if (json) {
            for (size_t k = 0; k < d.n; k++) {
                kh_lint_json(cli->out, &d.v[k], cli->lang, first);
                first = false;
            }
        } else {
            render_all(cli, &d);
        }
        int r = exit_for(&d);
        if (r > worst)
            worst = r;
        unload(&l);
        kh_diags_free(&d);
    }
    if (json)
        fputs(first ? "]\n" : "\n]\n", cli->out);
    return worst;
}

/* compile SCHEME -o scheme.so [--stats] */
static int cmd_compile(kh_cli *cli, int argc, char **argv)
{
    const char *out = NULL, *scheme = NULL;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--stats") == 0)
            stats = true;
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            i++;
        else if (argv[i][0] == '-')
            return usage(cli, &m_usage_opt, argv[i]);
        else
            scheme = argv[i];
    }
    if (!scheme)
        return usage(cli, &m_usage_file, NULL);
    if (!out)
        return usage(cli, &m_need, "-o");
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    kh_loaded l;
    int rc = KH_EXIT_INPUT;
    kh_ir *ir = scheme_ir(cli, &d, scheme, false, &l);
    if (ir) {
        char err[512] = "";
        kh_jit_opts jo = {2, NULL, stats};
        if (kh_jit_write_so(ir, &jo, out, err, sizeof err)) {
            rc = KH_EXIT_OK;
            if (stats) {
                kh_jit_stats cold = {0}, warm = {0};
                kh_jit_opts nocache = {2, "", false};
                kh_jit *j = kh_jit_compile(ir, &nocache, &cold, err, sizeof err);
                kh_jit_free(j);
                j = kh_jit_compile(ir, &jo, &warm, err, sizeof err);
                kh_jit_free(j);
                j = kh_jit_compile(ir, &jo, &warm, err, sizeof err);
                kh_jit_free(j);
                fprintf(cli->err, "编译（冷）：%.1f ms；从缓存载入：%.2f ms%s\n", cold.compile_ms + cold.load_ms,
                        warm.compile_ms + warm.load_ms, warm.from_cache ? "" : "（未命中缓存）");
            }
        } else {
            kh_diag_add(&d, KH_ERROR, &m_jit, NULL, (kh_span){0, 0}, err, NULL, NULL);
            rc = KH_EXIT_INTERNAL;
        }
    }
    render_all(cli, &d);
    kh_ir_free(ir);
    unload(&l);
    kh_diags_free(&d);
    return rc;
}

static int cmd_score(kh_cli *cli, int argc, char **argv)
{
    return score_or_explain(cli, argc, argv, false);
}

static int cmd_explain(kh_cli *cli, int argc, char **argv)
{
    return score_or_explain(cli, argc, argv, true);
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
        {"score", cmd_score},
        {"explain", cmd_explain},
        {"lint", cmd_lint},
        {"compile", cmd_compile},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[0], cmds[i].name) == 0)
            return cmds[i].fn(cli, argc, argv);
    static const kh_msg m_cmd = {"U003", "不认识的命令「%1」", "unknown command 「%1」", NULL, NULL};
    return usage(cli, &m_cmd, argv[0]);
}
