/* parse.c — kh_parse: run the scanner and the grammar over one source. */
#include "parse.h"
#include "parser.h"
#include "lexer.h"

kh_scheme *kh_parse(kh_alloc *a, kh_diags *d, const kh_source *src)
{
    kh_arena *ar = kh_malloc(a, sizeof *ar);
    if (!ar)
        return NULL;
    kh_arena_init(ar, a);
    kh_scheme *s = kh_arena_alloc(ar, sizeof *s);
    if (!s) {
        kh_arena_free(ar);
        kh_free(ar);
        return NULL;
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
        return NULL;
    }
    /* The grammar is line-oriented: make sure the last line ends. */
    YY_BUFFER_STATE buf = kh_yy_scan_bytes(src->text, (int)src->len, scanner);
    int rc = kh_yyparse(scanner, &ps);
    kh_yy_delete_buffer(buf, scanner);
    kh_yylex_destroy(scanner);
    if (rc == 2 || ar->failed) {
        d->oom = true;
        kh_scheme_free(s);
        return NULL;
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
