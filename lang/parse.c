/* parse.c — kh_parse: run the scanner and the grammar over one source. */
#include "parse.h"
#include "parser.h"
#include "lexer.h"

/* Memory ran out: say so once, and mark the run as failed by the program,
 * not by the file. */
static kh_scheme *kh_parse_nomem(kh_diags *d)
{
    d->oom = true;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].msg == &kh_m_nomem)
            return NULL;
    kh_diag_add(d, KH_ERROR, &kh_m_nomem, NULL, (kh_span){0, 0}, NULL, NULL, NULL);
    return NULL;
}

kh_scheme *kh_parse(kh_alloc *a, kh_diags *d, const kh_source *src)
{
    kh_arena *ar = kh_malloc(a, sizeof *ar);
    if (!ar)
        return kh_parse_nomem(d);
    kh_arena_init(ar, a);
    kh_scheme *s = kh_arena_alloc(ar, sizeof *s);
    if (!s) {
        kh_arena_free(ar);
        kh_free(ar);
        return kh_parse_nomem(d);
    }
    s->arena = ar;
    s->src = src;

    kh_pstate ps = {0};
    ps.alloc = a;
    ps.diags = d;
    ps.src = src;
    ps.arena = ar;
    ps.s = s;
    ps.cur_sec = ps.cur_sub = -1;

    yyscan_t scanner;
    if (kh_yylex_init_extra(&ps, &scanner) != 0) {
        kh_scheme_free(s);
        return kh_parse_nomem(d);
    }
    /* The grammar is line-oriented: make sure the last line ends. */
    YY_BUFFER_STATE buf = kh_yy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = kh_yyparse(scanner, &ps);
    kh_yy_delete_buffer(buf, scanner);
    kh_yylex_destroy(scanner);
    if (rc == 2 || ar->failed) {
        kh_scheme_free(s);
        return kh_parse_nomem(d);
    }
    return s;
}

void kh_scheme_free(kh_scheme *s)
{
    if (!s)
        return;
    kh_arena *ar = s->arena;
    kh_arena_free(ar);
    kh_free(ar);
}
