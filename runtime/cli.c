/* cli.c — the commands of kaohe, one function each.  Nothing below this
 * layer prints: libraries return diagnostics, this file renders them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"
#include "outfile.h"
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

/* Out of memory is said last, and without allocating: the list of
 * diagnostics may have lost some. */
static void render_oom(kh_cli *cli, const kh_diags *d)
{
    static const kh_msg m_oom = {"I002", "内存不足，运行中止；以上信息可能不全",
                                 "out of memory; stopped, and the messages above may be incomplete", NULL, NULL};
    kh_diag last = {KH_ERROR, &m_oom, NULL, {0, 0}, {NULL, NULL, NULL}, NULL, NULL};
    if (d->oom)
        kh_diag_render(cli->err, &last, cli->lang);
}

static void render_all(kh_cli *cli, kh_diags *d)
{
    kh_diags_sort(d);
    for (size_t i = 0; i < d->n; i++)
        kh_diag_render(cli->err, &d->v[i], cli->lang);
    render_oom(cli, d);
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

/* Progress of reading a large log, on a terminal only: one line redrawn. */
static void show_progress(void *ctx, int percent)
{
    kh_cli *cli = ctx;
    if (percent >= 100)
        fputs("\r\033[K", cli->err);
    else
        fprintf(cli->err, "\r%s %d%%", cli->lang == KH_EN ? "reading the event log" : "读入事件记录", percent);
    fflush(cli->err);
}

static bool on_terminal(const kh_cli *cli)
{
    return isatty(fileno(cli->err)) != 0;
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
            if (f->counterexample &&
                !(c->counterexample = kh_strndup(&cli->alloc, f->counterexample, strlen(f->counterexample))))
                d->oom = true;
        }
    }
    if (ld.oom)
        d->oom = true;
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
    bool stats;
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
        else if (strcmp(o, "--threads") == 0) {
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || !end || *end || n < 1 || n > 64)
                return usage2(cli, &m_bad_value, o, v ? v : "");
            a->o.threads = (int)n;
        }
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
            else if (strcmp(o, "--stats") == 0)
                a->stats = true;
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
    a->o.detail = explain;
    return KH_EXIT_OK;
}

/* The report, written whole or not at all (outfile.h). */
static int write_output(kh_cli *cli, kh_diags *d, const char *path, const kh_scored *sc, kh_format fmt)
{
    kh_span none = {0, 0};
    kh_outfile o;
    int err = kh_outfile_open_stream(&o, path);
    if (err) {
        kh_diag_add(d, KH_ERROR, &m_write, NULL, none, path, strerror(err), NULL);
        return KH_EXIT_INPUT;
    }
    if (!kh_report_alloc(&cli->alloc, o.f, sc, fmt)) {
        d->oom = true;
        kh_outfile_abort(&o);
        return KH_EXIT_INTERNAL;
    }
    err = kh_outfile_commit(&o);
    if (err) {
        kh_diag_add(d, KH_ERROR, &m_write, NULL, none, path, strerror(err), NULL);
        return KH_EXIT_INPUT;
    }
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

/* --stats: where the time went, on stderr, one line. */
static void print_stats(kh_cli *cli, const kh_scored *sc)
{
    const kh_score_times *t = &sc->times;
    size_t n = sc->log.n + sc->log.skipped;
    double ev_s = t->engine_ms > 0 ? (double)n / (t->engine_ms / 1e3) : 0;
    fprintf(cli->err,
            "统计：读入 %.1f ms，分组 %.1f ms，编译 %.1f ms，映射 %.1f ms，计分 %.1f ms（%s，%d线程，%s，%.0f 事件/秒），"
            "等次 %.1f ms\n",
            t->read_ms, t->group_ms, t->compile_ms, t->map_ms, t->engine_ms, sc->engine_used ? sc->engine_used : "-",
            t->threads, t->direct ? "直接读缓存" : "逐条", ev_s, t->grade_ms);
}

static int score_or_explain(kh_cli *cli, int argc, char **argv, bool explain)
{
    kh_sargs a;
    int rc = parse_score_args(cli, argc, argv, &a, explain);
    if (rc)
        return rc;
    kh_jit_opts jo = {KH_JIT_LEVEL, NULL, false};
    a.o.jit = &jo;
    if (on_terminal(cli)) {
        a.o.progress = show_progress;
        a.o.pctx = cli;
    }
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
        if (d.oom) {
            /* no result from a run that lost something to memory */
        } else if (d.nerrors) {
            kh_diag_add(&d, KH_ERROR, &m_data_errors, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
        } else if (explain) {
            ptrdiff_t who = kh_scored_find(&sc, a.person);
            if (who < 0) {
                kh_diag_add(&d, KH_ERROR, &m_no_person, NULL, (kh_span){0, 0}, a.person, NULL, NULL);
            } else {
                if (kh_explain_alloc(&cli->alloc, cli->out, &sc, (size_t)who))
                    rc = KH_EXIT_OK;
                else
                    d.oom = true;
            }
        } else if (a.out) {
            rc = write_output(cli, &d, a.out, &sc, a.fmt);
        } else {
            if (kh_report_alloc(&cli->alloc, cli->out, &sc, a.fmt))
                rc = KH_EXIT_OK;
            else
                d.oom = true;
        }
    } else if (sc.jit_error[0]) {
        kh_diag_add(&d, KH_ERROR, &m_jit, NULL, (kh_span){0, 0}, sc.jit_error, NULL, NULL);
        rc = KH_EXIT_INTERNAL;
    }
    if (d.oom)
        rc = KH_EXIT_INTERNAL;
    render_all(cli, &d);
    if (a.stats && sc.rows)
        print_stats(cli, &sc);
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
            render_oom(cli, &d);
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
        kh_jit_opts jo = {KH_JIT_LEVEL, NULL, stats};
        if (kh_jit_write_so(ir, &jo, out, err, sizeof err)) {
            rc = KH_EXIT_OK;
            if (stats) {
                kh_jit_stats cold = {0}, warm = {0};
                kh_jit_opts nocache = {KH_JIT_LEVEL, "", false};
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

/* A whole number for an option; false (reported) when it is not one. */
static bool parse_count(kh_cli *cli, const char *opt, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long x = v && *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
    if (!v || !end || *end || errno || x < lo || x > hi) {
        usage2(cli, &m_bad_value, opt, v ? v : "");
        return false;
    }
    *out = x;
    return true;
}

/* gen SCHEME --persons N --events M [--seed S] [--year Y] -o E.csv [--roster-out R.csv] */
static int cmd_gen(kh_cli *cli, int argc, char **argv)
{
    kh_gen_opts go = {1000, 100000, 1, 0, NULL, NULL};
    const char *scheme = NULL;
    uint64_t year = 2023;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(o, "--persons") == 0)
            ok = parse_count(cli, o, v, 1, 100000000, &go.persons);
        else if (strcmp(o, "--events") == 0)
            ok = parse_count(cli, o, v, 0, 4000000000ULL, &go.events);
        else if (strcmp(o, "--seed") == 0)
            ok = parse_count(cli, o, v, 0, UINT64_MAX, &go.seed);
        else if (strcmp(o, "--year") == 0)
            ok = parse_count(cli, o, v, 1900, 2999, &year);
        else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0)
            go.events_path = v;
        else if (strcmp(o, "--roster-out") == 0)
            go.roster_path = v;
        else if (strcmp(o, "--lang") == 0)
            ;
        else if (o[0] == '-' && o[1])
            return usage(cli, &m_usage_opt, o);
        else if (!scheme) {
            scheme = o;
            continue;
        } else
            return usage(cli, &m_usage_opt, o);
        if (!ok)
            return KH_EXIT_USAGE;
        if (!v)
            return usage(cli, &m_need, o);
        i++;
    }
    if (!scheme)
        return usage(cli, &m_usage_file, NULL);
    if (!go.events_path)
        return usage(cli, &m_need, "-o");
    go.year = (int)year;
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    kh_loaded l;
    kh_ir *ir = scheme_ir(cli, &d, scheme, true, &l);
    int rc = KH_EXIT_INPUT;
    if (ir) {
        /* the scheme's own findings are for check and score, not here */
        kh_diags_free(&d);
        kh_diags_init(&d, &cli->alloc);
        if (kh_gen(&cli->alloc, &d, ir, &go))
            rc = KH_EXIT_OK;
    }
    if (d.oom)
        rc = KH_EXIT_INTERNAL;
    render_all(cli, &d);
    kh_ir_free(ir);
    unload(&l);
    kh_diags_free(&d);
    return rc;
}

static const kh_msg m_ingest_done = {"R123", "已生成事件缓存「%1」：事件%2条，名单%3人",
                                     "wrote the event cache 「%1」: %2 events, %3 persons in the roster", NULL, NULL};

/* ingest E.csv --roster R.csv -o E.kev [--encoding X] [--threads N] */
static int cmd_ingest(kh_cli *cli, int argc, char **argv)
{
    const char *events = NULL, *roster = NULL, *out = NULL, *encoding = NULL, *threads = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = strcmp(o, "--roster") == 0 || strcmp(o, "-r") == 0    ? &roster
                            : strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0 ? &out
                            : strcmp(o, "--encoding") == 0                        ? &encoding
                            : strcmp(o, "--threads") == 0                         ? &threads
                                                                                  : NULL;
        if (slot || strcmp(o, "--lang") == 0) {
            if (!v)
                return usage(cli, &m_need, o);
            if (slot)
                *slot = v;
            i++;
        } else if (o[0] == '-' && o[1])
            return usage(cli, &m_usage_opt, o);
        else if (!events)
            events = o;
        else
            return usage(cli, &m_usage_opt, o);
    }
    if (!events)
        return usage(cli, &m_usage_file, NULL);
    if (!roster)
        return usage(cli, &m_need, "--roster");
    if (!out)
        return usage(cli, &m_need, "-o");
    uint64_t nthreads = 0;
    if (threads && !parse_count(cli, "--threads", threads, 1, 64, &nthreads))
        return KH_EXIT_USAGE;
    kh_kev_ingest_opts io = {encoding, (int)nthreads, on_terminal(cli) ? show_progress : NULL, cli};
    kh_diags d;
    kh_diags_init(&d, &cli->alloc);
    uint64_t nev = 0, nent = 0;
    int rc = KH_EXIT_INPUT;
    if (kh_kev_ingest(&cli->alloc, &d, events, roster, &io, out, &nev, &nent)) {
        char n1[32], n2[32];
        snprintf(n1, sizeof n1, "%llu", (unsigned long long)nev);
        snprintf(n2, sizeof n2, "%llu", (unsigned long long)nent);
        kh_diag_add(&d, KH_NOTE, &m_ingest_done, NULL, (kh_span){0, 0}, out, n1, n2);
        rc = KH_EXIT_OK;
    }
    if (d.oom)
        rc = KH_EXIT_INTERNAL;
    render_all(cli, &d);
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

/* The commands, in the order --help lists them: each with how it is
 * called and what it does, so that the help cannot leave one out. */
typedef struct kh_cli_cmd {
    const char *name;
    int (*fn)(kh_cli *, int, char **);
    const char *synopsis;       /* after the name; continuation lines start with '\n' */
    const char *zh, *en;
} kh_cli_cmd;

static const kh_cli_cmd kh_cli_cmds[] = {
    {"check", cmd_check, "FILE…", "检查规则文件（语法、含义与冲突），有错误时退出码为1",
     "check rule files (syntax, meaning, conflicts); exit 1 on errors"},
    {"ast", cmd_ast, "FILE", "打印语法树", "print the syntax tree"},
    {"ir", cmd_ir, "FILE", "打印中间表示", "print the intermediate representation"},
    {"lint", cmd_lint, "FILE… [--format json]", "检查规则冲突（分值不符、区间空缺、等次缺口……）",
     "find conflicts (totals, band gaps, unreachable grades, ...)"},
    {"score", cmd_score,
     "SCHEME --events E.csv|E.kev --roster R.csv [-o OUT]\n"
     "[--format table|csv|json] [--period 2023H1] [--strict] [--allow-errors]\n"
     "[--engine auto|interp|jit] [--compiled scheme.so] [--threads N] [--stats]\n"
     "[--encoding auto|utf-8|gbk|gb18030]",
     "计算得分、排名和等次", "scores, ranks and grades"},
    {"explain", cmd_explain, "SCHEME --events E.csv --roster R.csv --person ID", "逐项说明一个人的得分",
     "explain one person's total item by item"},
    {"compile", cmd_compile, "SCHEME -o scheme.so [--stats]", "编译为本机代码，供 score --compiled 使用",
     "compile to native code for score --compiled"},
    {"ingest", cmd_ingest, "E.csv --roster R.csv -o E.kev [--threads N] [--encoding …]",
     "生成事件缓存，供 score --events E.kev 反复计分", "an event cache, for scoring again and again"},
    {"gen", cmd_gen, "SCHEME --persons N --events M -o E.csv\n[--roster-out R.csv] [--seed S] [--year Y]",
     "按规则生成模拟的事件记录和名单（试算、性能测试）",
     "a synthetic event log and roster drawn from the scheme"},
};

#define KH_CLI_NCMDS (sizeof kh_cli_cmds / sizeof kh_cli_cmds[0])

void kh_cli_usage(const kh_cli *cli, FILE *f)
{
    bool en = cli->lang == KH_EN;
    fputs(en ? "usage: kaohe <command> [options] FILE...\n\ncommands:\n"
             : "用法：kaohe <命令> [选项] 文件…\n\n命令：\n",
          f);
    for (size_t i = 0; i < KH_CLI_NCMDS; i++) {
        const kh_cli_cmd *c = &kh_cli_cmds[i];
        fprintf(f, "  %s ", c->name);
        for (const char *p = c->synopsis, *nl; p; p = nl ? nl + 1 : NULL) {
            nl = strchr(p, '\n');
            fprintf(f, "%.*s\n        ", nl ? (int)(nl - p) : (int)strlen(p), p);
        }
        fprintf(f, "%s\n", en ? c->en : c->zh);
    }
    fputs(en ? "\noptions:\n"
               "  --lang zh|en    language of messages (default Chinese)\n"
               "  --help          show this help\n"
               "  --version       show the version\n"
               "\nexit codes: 0 ok; 1 bad input (rule errors, rejected data, conflicts); 2 usage; "
               "3 internal error\n"
             : "\n选项：\n"
               "  --lang zh|en    提示信息的语言（默认中文）\n"
               "  --help          显示本帮助\n"
               "  --version       显示版本\n"
               "\n退出码：0 成功；1 输入有问题（规则错误、数据被拒、冲突）；2 用法错误；3 内部错误\n",
          f);
}

int kh_cli_run(kh_cli *cli, int argc, char **argv)
{
    for (size_t i = 0; i < KH_CLI_NCMDS; i++)
        if (strcmp(argv[0], kh_cli_cmds[i].name) == 0)
            return kh_cli_cmds[i].fn(cli, argc, argv);
    static const kh_msg m_cmd = {"U003", "不认识的命令「%1」", "unknown command 「%1」", NULL, NULL};
    return usage(cli, &m_cmd, argv[0]);
}
