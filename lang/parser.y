/* parser.y — grammar of the rule language.
 *
 * The grammar is line-oriented: a file is a sequence of lines, each a header,
 * a section or item heading with its clauses, or a block keyword (等次：…).
 * The builder (build.c) places each line in the tree, so a broken line never
 * hides the lines after it: `line: error T_NL` resumes at the next line and
 * `clause: error` at the next ， or ；.  Actions only assemble parse-time
 * pieces; build.c decides what they mean.
 */
%define api.pure full
%define api.prefix {kh_yy}
%define api.location.type {kh_span}
%define parse.error custom
%locations
%expect 0
%lex-param {void *scanner}
%parse-param {void *scanner} {kh_pstate *ps}

%code requires {
#include "parse.h"
}

%code provides {
#define YYSTYPE KH_YYSTYPE
#define YYLTYPE KH_YYLTYPE
int kh_yylex(KH_YYSTYPE *lvalp, KH_YYLTYPE *llocp, void *scanner);
}

%code {
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                           \
    do {                                                                      \
        if (N) (Cur) = kh_span_join(YYRHSLOC(Rhs, 1), YYRHSLOC(Rhs, N));      \
        else { (Cur).off = YYRHSLOC(Rhs, 0).off + YYRHSLOC(Rhs, 0).len; (Cur).len = 0; } \
    } while (0)

/* Bison calls this only when its stack is exhausted. */
static void kh_yyerror(KH_YYLTYPE *loc, void *scanner, kh_pstate *ps, const char *msg)
{
    (void)scanner;
    (void)msg;
    kh_b_error(ps, &kh_m_nomem, *loc, NULL, NULL);
}

static kh_pclause *CL(kh_pstate *ps, int extra, kh_span sp) { return kh_b_clause(ps, extra, sp); }

/* A node from the arena; when memory runs out the parse stops at once
 * (kh_yyparse returns 2, which kh_parse reports). */
#define NODE(v) do { if (!((v) = kh_arena_alloc(ps->arena, sizeof *(v)))) YYNOMEM; } while (0)

static kh_effect eff(int kind, int to, kh_dec amount, kh_unit unit, kh_span sp);

/* 80%以上8分: a bare amount after a condition is the band's value */
static void bare_amount(kh_pstate *ps, kh_pclause *pc, const kh_pamt *a, kh_span sp)
{
    kh_peffs *l = kh_arena_alloc(ps->arena, sizeof *l);
    kh_effect e = eff(KH_EFF_SET, KH_TO_SELF, a->amount, a->unit, sp);
    kh_b_effect_add(ps, l, &e);
    if (l) {
        pc->c.effects = l->v;
        pc->c.neffects = l->n;
    }
}

static kh_paval aval_of(kh_qty q, kh_span sp)
{
    kh_paval v = {0};
    v.q = q;
    v.span = sp;
    return v;
}

static kh_effect eff(int kind, int to, kh_dec amount, kh_unit unit, kh_span sp)
{
    kh_effect e = {0};
    e.kind = (kh_eff_kind)kind;
    e.to = (kh_target)to;
    e.amount = amount;
    e.unit = unit;
    e.span = sp;
    return e;
}
}

%union {
    kh_tokval tok;
    kh_span span;
    kh_qty qty;
    kh_paval aval;
    kh_palt alt;
    kh_pcond *cond;
    kh_pclause *cl;
    kh_pclauses *cls;
    kh_peffs *effs;
    kh_effect eff;
    kh_pamt amt;
    kh_pamts amts;
    kh_plevels lvls;
    int verb;
}

%token <tok> T_NL "换行" T_TEXT "文字" T_COLON "「：」" T_COMMA "「，」" T_SEMI "「；」"
%token <tok> T_PERIOD "「。」" T_DUN "「、」" T_LPAREN "「（」" T_RPAREN "「）」" T_TO "「至」"
%token <tok> T_NOTE "括号说明" T_NUM "数字" T_QUANT "量词" T_POINTS "「个百分点」"
%token <tok> T_SUFFIX "「以上」或「以下」" T_FEN "「分」" T_YUAN "「元」"
%token <tok> T_EACH "「每」" T_SHORT "「每少」" T_DEDUCT "「扣」" T_ADD "「加」" T_AWARD "「奖励」"
%token <tok> T_GET "「得」" T_FULL "「满分」" T_BASE "「基本分」" T_NOSCORE "「不得分」"
%token <tok> T_PROP "「用系数计算得分」" T_FLOOR "「扣完为止」" T_NOFLOOR "「倒扣分」"
%token <tok> T_CAPKW "「加分不超过」" T_MAX "「最高」" T_HIGHEST "「按最高级别」" T_NODUP "「不重复加分」"
%token <tok> T_EVAL "「评分」" T_RATEAS "「评定为」" T_FLAG "「取消…资格」" T_SCALE "「折合」"
%token <tok> T_BY "「按」" T_INTO "「计入」" T_RANK "「排名前」" T_QUOTA "「限」"
%token <tok> T_LEADER "「分管领导」" T_BOTH "「各」" T_MISSING "「缺」" T_EXCESS "「超额」"
%token <tok> T_RESP "「分别」" T_TARGET "「应达」" T_CMP "比较词" T_LEVEL "级别"
%token <tok> T_WORD "词语" T_CHAR "字"
%token <tok> T_SECNUM "章节编号" T_SUBNUM "小节编号" T_ITEMNUM "条目编号"
%token <tok> T_H_NAME "「考核方案：」" T_H_SUBJECT "「考核对象：」" T_H_FULL "「满分：」"
%token <tok> T_H_BASE "「基础分：」" T_H_UNIT "「计分单位：」" T_H_PERIOD "「考核周期：」"
%token <tok> T_H_WEIGHT "「加权计入：」" T_H_UPPER_EXCL "「分数上限不含本数」"
%token <tok> T_B_GRADES "「等次：」" T_B_VETO "「一票否决：」" T_B_PREREQ "「必备条件：」"

%type <span> words label
%type <tok> num_opt
%type <qty> qtyb
%type <aval> aval
%type <alt> alt palt
%type <cond> cond each shortc excessc palts alts
%type <cl> clause body tiers tier
%type <cls> clauses clauses_opt attrs attrs_opt
%type <effs> effects
%type <eff> effect
%type <amt> amount tamount
%type <amts> ttail tamounts
%type <lvls> levels
%type <verb> verb
%type <tok> who

%%

file
    : lines                                  { kh_b_finish(ps); }
    ;

lines
    : %empty
    | lines line
    ;

/* line -> header | heading | block | error */
line
    : T_NL
    | header T_NL
    | num_opt label attrs_opt T_NL                     { kh_b_item(ps, $1, $2, $3, NULL, @$); }
    | num_opt label attrs_opt T_COLON clauses_opt T_NL { kh_b_item(ps, $1, $2, $3, $5, @$); }
    | T_B_GRADES T_NL                        { kh_b_block(ps, KH_BLK_GRADES, @1); }
    | T_B_VETO T_NL                          { kh_b_block(ps, KH_BLK_VETO, @1); }
    | T_B_PREREQ T_NL                        { kh_b_block(ps, KH_BLK_PREREQ, @1); }
    | error T_NL                             { yyerrok; }
    ;

header
    : T_H_NAME T_TEXT                        { kh_b_header_text(ps, T_H_NAME, @1, @2); }
    | T_H_SUBJECT T_TEXT                     { kh_b_header_text(ps, T_H_SUBJECT, @1, @2); }
    | T_H_UNIT T_TEXT                        { kh_b_header_text(ps, T_H_UNIT, @1, @2); }
    | T_H_PERIOD T_TEXT                      { kh_b_header_text(ps, T_H_PERIOD, @1, @2); }
    | T_H_FULL aval                          { kh_b_header_num(ps, T_H_FULL, @1, &$2); }
    | T_H_BASE aval                          { kh_b_header_num(ps, T_H_BASE, @1, &$2); }
    | T_H_WEIGHT aval                        { kh_b_header_num(ps, T_H_WEIGHT, @1, &$2); }
    | T_H_UPPER_EXCL                         { kh_b_upper_exclusive(ps, @1); }
    | T_H_NAME                               { kh_b_error(ps, &kh_m_bad_value, @1, NULL, NULL); }
    ;

num_opt
    : %empty                                 { $$.span = @$; $$.kind = KH_NUM_NONE; }
    | T_SECNUM                               { $$ = $1; $$.kind = KH_NUM_SECTION; }
    | T_SUBNUM                               { $$ = $1; $$.kind = KH_NUM_SUB; }
    | T_ITEMNUM                              { $$ = $1; $$.kind = KH_NUM_ITEM; }
    ;

label
    : T_TEXT                                 { $$ = @1; }
    | label T_TEXT                           { $$ = kh_span_join($1, @2); }
    ;

attrs_opt
    : %empty                                 { $$ = NULL; }
    | attrs                                  { $$ = $1; }
    ;

attrs
    : T_LPAREN clauses T_RPAREN              { $$ = $2; }
    ;

clauses_opt
    : %empty                                 { $$ = NULL; }
    | clauses                                { $$ = $1; }
    ;

clauses
    : clause                                 { NODE($$); kh_b_clauses_add(ps, $$, $1); }
    | clauses sep clause                     { $$ = $1; kh_b_clauses_add(ps, $$, $3); }
    | clauses sep                            { $$ = $1; }
    ;

sep : T_COMMA | T_SEMI | T_PERIOD ;

/* clause -> [words] body | words | note */
clause
    : words                                  { $$ = CL(ps, KH_CL_NOTE, @1); }
    | words body                             { $$ = $2; if ($$) { $$->words = $1; $$->c.span = @$; kh_b_classify(ps, $$); } }
    | body                                   { $$ = $1; if ($$) { $$->c.span = @$; kh_b_classify(ps, $$); } }
    | T_NOTE                                 { $$ = CL(ps, KH_CL_NOTE, @1); }
    | clause T_NOTE                          { $$ = $1; }
    | error                                  { $$ = NULL; }
    ;

words
    : T_CHAR                                 { $$ = @1; }
    | T_WORD                                 { $$ = @1; }
    | words T_CHAR                           { $$ = kh_span_join($1, @2); }
    | words T_WORD                           { $$ = kh_span_join($1, @2); }
    ;

body
    : effects                                { $$ = CL(ps, -1, @1); if ($$) { $$->c.effects = $1->v; $$->c.neffects = $1->n; } }
    | cond                                   { $$ = CL(ps, -1, @1); if ($$) $$->cond = *$1; }
    | cond words                             { $$ = CL(ps, -1, @1); if ($$) $$->cond = *$1; }
    | cond effects                           { $$ = CL(ps, -1, @1); if ($$) { $$->cond = *$1; $$->c.effects = $2->v; $$->c.neffects = $2->n; } }
    | cond words effects                     { $$ = CL(ps, -1, @1); if ($$) { $$->cond = *$1; $$->c.effects = $3->v; $$->c.neffects = $3->n; } }
    | cond words tamount                     { $$ = CL(ps, -1, @1); if ($$) { $$->cond = *$1; bare_amount(ps, $$, &$3, @3); } }
    | cond tamount                           { $$ = CL(ps, -1, @1); if ($$) { $$->cond = *$1; bare_amount(ps, $$, &$2, @2); } }
    | tiers                                  { $$ = $1; }
    | levels T_RESP verb tamounts            { $$ = CL(ps, KH_CL_TIER, @$); kh_b_tiers_resp(ps, $$, &$1, &$4, @3); }
    | levels tmid T_RESP verb tamounts       { $$ = CL(ps, KH_CL_TIER, @$); kh_b_tiers_resp(ps, $$, &$1, &$5, @4); }
    | T_SHORT words effects                  { $$ = CL(ps, KH_CL_INVALID, @$); kh_b_error(ps, &kh_m_missing_step, @$, NULL, NULL); }
    | T_HIGHEST                              { $$ = CL(ps, KH_CL_DEDUPE, @1); }
    | T_NODUP                                { $$ = CL(ps, KH_CL_DEDUPE, @1); }
    | T_NODUP words                          { $$ = CL(ps, KH_CL_DEDUPE, @1); }
    | T_FLOOR                                { $$ = CL(ps, KH_CL_FLOOR, @1); }
    | T_NOFLOOR                              { $$ = CL(ps, KH_CL_NO_FLOOR, @1); }
    | T_CAPKW tamount                         { $$ = CL(ps, KH_CL_CAP, @$); if ($$) { $$->c.range.hi = $2.amount; $$->c.range.has_hi = $2.ok; } }
    | T_MAX T_ADD tamount                     { $$ = CL(ps, KH_CL_CAP, @$); if ($$) { $$->c.range.hi = $3.amount; $$->c.range.has_hi = $3.ok; } }
    | T_EVAL                                 { $$ = CL(ps, KH_CL_EVALUATOR, @1); }
    | T_EVAL aval T_TO aval                  { $$ = CL(ps, KH_CL_EVALUATOR, @$); if ($$) { $$->cond.kind = KH_PC_RANGE; $$->cond.lo = $2; $$->cond.hi = $4; } }
    | T_FULL tamount                          { $$ = CL(ps, KH_CL_FULL, @$); if ($$) { $$->c.range.hi = $2.amount; $$->c.range.has_hi = $2.ok; } }
    | T_BASE T_NUM                           { $$ = CL(ps, KH_CL_BASE, @$); if ($$) { $$->c.range.lo = $2.num; $$->c.range.has_lo = true; } }
    | T_BASE tamount                          { $$ = CL(ps, KH_CL_BASE, @$); if ($$) { $$->c.range.lo = $2.amount; $$->c.range.has_lo = $2.ok; } }
    | T_SCALE tamount                         { $$ = CL(ps, KH_CL_SCALE, @$); if ($$) { $$->c.scale = $2.amount; } }
    | T_BY T_NUM T_INTO                      { $$ = CL(ps, KH_CL_SCALE, @$); if ($$) { $$->c.scale = $2.num; $$->c.scale_pct = true; } }
    | T_RANK qtyb                            { $$ = CL(ps, KH_CL_RANK, @$); if ($$) { $$->c.step = $2; } }
    | T_RANK qtyb words                      { $$ = CL(ps, KH_CL_RANK, @$); if ($$) { $$->c.step = $2; } }
    | T_QUOTA qtyb                           { $$ = CL(ps, KH_CL_QUOTA, @$); if ($$) { $$->c.step = $2; } }
    | T_QUOTA qtyb T_TO qtyb                 { $$ = CL(ps, KH_CL_QUOTA, @$); if ($$) { $$->c.step = $4; $$->c.range.lo = $2.value; $$->c.range.has_lo = true; } }
    | T_RATEAS words                         { $$ = CL(ps, KH_CL_RATE_AS, @$); if ($$) $$->c.range.span = $2; }
    | T_RATEAS words T_LPAREN words T_RPAREN { $$ = CL(ps, KH_CL_RATE_AS, @$); if ($$) $$->c.range.span = $2; }
    | T_FLAG                                 { $$ = CL(ps, KH_CL_FLAG, @1); }
    ;

/* cond -> each | aval [alts] | range | shortfall | excess | 缺N人 | 应达N */
cond
    : each                                   { $$ = $1; }
    | aval                                   { NODE($$); $$->kind = KH_PC_AVAL; $$->span = @1;
                                               kh_palt a = {0}; a.val = $1; a.span = @1; kh_b_alt_add(ps, $$, &a); }
    | aval alts                              { $$ = $2; $$->span = @$; kh_b_alt_first(ps, $$, &$1, @1); }
    | aval T_LPAREN palts T_RPAREN           { $$ = $3; $$->span = @$; $$->paren = true; kh_b_alt_first(ps, $$, &$1, @1); }
    | aval T_TO aval                         { NODE($$); $$->kind = KH_PC_RANGE; $$->span = @$; $$->lo = $1; $$->hi = $3; }
    | shortc                                 { $$ = $1; }
    | excessc                                { $$ = $1; }
    | T_MISSING qtyb                         { NODE($$); $$->kind = KH_PC_MISSING; $$->span = @$; $$->step = $2; $$->has_step = true; }
    | T_TARGET aval                          { NODE($$); $$->kind = KH_PC_AVAL; $$->span = @$;
                                               kh_palt a = {0}; a.val = $2; a.val.has_cmp = true; a.val.cmp = KH_CMP_GE; a.span = @2; kh_b_alt_add(ps, $$, &a); }
    ;

each
    : T_EACH T_QUANT                         { NODE($$); $$->kind = KH_PC_EACH; $$->span = @$;
                                               kh_tokval one = $2; one.num = KH_DEC_ONE; $$->step = kh_b_qty(ps, &one, @2, false); $$->has_step = true; }
    | T_EACH qtyb                            { NODE($$); $$->kind = KH_PC_EACH; $$->span = @$; $$->step = $2; $$->has_step = true; }
    | T_EACH words qtyb                      { NODE($$); $$->kind = KH_PC_EACH; $$->span = @$; $$->step = $3; $$->has_step = true; }
    | each T_EACH T_QUANT                    { $$ = $1; $$->span = @$; kh_tokval one = $3; one.num = KH_DEC_ONE; $$->step = kh_b_qty(ps, &one, @3, false); }
    | each T_EACH qtyb                       { $$ = $1; $$->span = @$; $$->step = $3; }
    ;

shortc
    : T_SHORT qtyb                           { NODE($$); $$->kind = KH_PC_SHORT; $$->span = @$; $$->step = $2; $$->has_step = true; }
    | T_SHORT words qtyb                     { NODE($$); $$->kind = KH_PC_SHORT; $$->span = @$; $$->step = $3; $$->has_step = true; }
    ;

excessc
    : T_EXCESS qtyb                          { NODE($$); $$->kind = KH_PC_EXCESS; $$->span = @$; $$->step = $2; $$->has_step = true; }
    | T_EXCESS T_EACH qtyb                   { NODE($$); $$->kind = KH_PC_EXCESS; $$->span = @$; $$->step = $3; $$->has_step = true; }
    | T_EXCESS words qtyb                    { NODE($$); $$->kind = KH_PC_EXCESS; $$->span = @$; $$->step = $3; $$->has_step = true; }
    ;

alts
    : T_DUN alt                              { NODE($$); $$->kind = KH_PC_AVAL; kh_b_alt_add(ps, $$, &$2); }
    | alts T_DUN alt                         { $$ = $1; kh_b_alt_add(ps, $$, &$3); }
    ;

alt
    : words aval                             { $$ = (kh_palt){0}; $$.who = $1; $$.val = $2; $$.span = @$; }
    ;

palts
    : palt                                   { NODE($$); $$->kind = KH_PC_AVAL; kh_b_alt_add(ps, $$, &$1); }
    | palts T_DUN palt                       { $$ = $1; kh_b_alt_add(ps, $$, &$3); }
    ;

palt
    : aval                                   { $$ = (kh_palt){0}; $$.val = $1; $$.span = @$; }
    | words aval                             { $$ = (kh_palt){0}; $$.who = $1; $$.val = $2; $$.span = @$; }
    | aval words aval                        { $$ = (kh_palt){0}; $$.has_size = true; $$.size = $1; $$.who = $2; $$.val = $3; $$.span = @$; }
    ;

aval
    : qtyb                                   { $$ = aval_of($1, @1); }
    | qtyb T_SUFFIX                          { $$ = aval_of($1, @$); $$.has_cmp = true; $$.cmp = (kh_cmp)$2.kind; }
    | T_CMP qtyb                             { $$ = aval_of($2, @$); $$.has_cmp = true; $$.cmp = (kh_cmp)$1.kind; }
    | T_CMP qtyb T_SUFFIX                    { $$ = aval_of($2, @$); $$.has_cmp = true;
                                               /* 达不到三次以上: below three */
                                               $$.cmp = ($1.kind == KH_CMP_LT && $3.kind == KH_CMP_GE) ? KH_CMP_LT : (kh_cmp)$1.kind; }
    ;

qtyb
    : T_NUM                                  { $$ = kh_b_qty(ps, &$1, (kh_span){@1.off + @1.len, 0}, false); }
    | T_NUM T_QUANT                          { $$ = kh_b_qty(ps, &$1, @2, false); $$.span = @$; }
    | T_NUM T_POINTS                         { $$ = kh_b_qty(ps, &$1, @2, true); $$.span = @$; }
    | T_NUM T_FEN                            { $$ = kh_b_qty(ps, &$1, @2, false); $$.span = @$; }
    | T_NUM T_YUAN                           { $$ = kh_b_qty(ps, &$1, @2, false); $$.span = @$; }
    ;

effects
    : effect                                 { NODE($$); kh_b_effect_add(ps, $$, &$1); }
    | effects T_DUN effect                   { $$ = $1; kh_b_effect_add(ps, $$, &$3); }
    | effects effect                         { $$ = $1; kh_b_effect_add(ps, $$, &$2); }
    ;

/* effect -> [who] verb amount | 得满分 | 不得分 | 用系数计算得分 */
effect
    : verb amount                            { $$ = eff($1, KH_TO_SELF, $2.amount, $2.unit, @$);
                                               if ($2.missing) kh_b_error(ps, &kh_m_missing_amount, @$, NULL, NULL); }
    | who verb amount                        { $$ = eff($2, $1.kind, $3.amount, $3.unit, @$);
                                               if ($3.missing) kh_b_error(ps, &kh_m_missing_amount, @$, NULL, NULL); }
    | verb T_FULL                            { $$ = eff(KH_EFF_FULL, KH_TO_SELF, 0, KH_UNIT_NONE, @$); }
    | verb                                   { $$ = eff($1, KH_TO_SELF, 0, KH_UNIT_NONE, @$);
                                               kh_b_error(ps, &kh_m_missing_amount, @1, NULL, NULL); }
    | T_NOSCORE                              { $$ = eff(KH_EFF_ZERO, KH_TO_SELF, 0, KH_UNIT_NONE, @$); }
    | T_PROP                                 { $$ = eff(KH_EFF_PROPORTIONAL, KH_TO_SELF, 0, KH_UNIT_NONE, @$); }
    ;

who
    : T_LEADER                               { $$ = $1; $$.kind = KH_TO_LEADER; }
    | T_LEADER T_BOTH                        { $$ = $1; $$.kind = KH_TO_LEADER; }
    | T_LEADER words T_BOTH                  { $$ = $1; $$.kind = KH_TO_BOTH; }
    | T_LEADER T_DUN words T_BOTH            { $$ = $1; $$.kind = KH_TO_BOTH; }
    | T_BOTH                                 { $$ = $1; $$.kind = KH_TO_SELF; }
    ;

verb
    : T_DEDUCT                               { $$ = KH_EFF_DEDUCT; }
    | T_ADD                                  { $$ = KH_EFF_ADD; }
    | T_AWARD                                { $$ = KH_EFF_ADD; }
    | T_GET                                  { $$ = KH_EFF_SET; }
    ;

/* an amount whose unit is missing or unknown is reported and counts 0:
 * a broken clause scores nothing under --allow-errors */
amount
    : T_NUM T_FEN                            { $$.amount = $1.num; $$.unit = KH_UNIT_POINT; $$.span = @$; $$.ok = true; $$.missing = false; }
    | T_NUM T_YUAN                           { $$.amount = $1.num; $$.unit = KH_UNIT_YUAN; $$.span = @$; $$.ok = true; $$.missing = false; }
    | words T_NUM T_FEN                      { $$.amount = $2.num; $$.unit = KH_UNIT_POINT; $$.span = @$; $$.ok = true; $$.missing = false; }
    | words T_NUM T_YUAN                     { $$.amount = $2.num; $$.unit = KH_UNIT_YUAN; $$.span = @$; $$.ok = true; $$.missing = false; }
    | T_FEN                                  { $$.amount = 0; $$.unit = KH_UNIT_POINT; $$.span = @$; $$.ok = false; $$.missing = true; }
    | T_YUAN                                 { $$.amount = 0; $$.unit = KH_UNIT_YUAN; $$.span = @$; $$.ok = false; $$.missing = true; }
    | T_NUM                                  { $$.amount = 0; $$.unit = KH_UNIT_NONE; $$.span = @$; $$.ok = false; $$.missing = false;
                                               kh_b_error(ps, &kh_m_missing_unit, @1, NULL, NULL); }
    | T_NUM words                            { $$.amount = 0; $$.unit = KH_UNIT_NONE; $$.span = @$; $$.ok = false; $$.missing = false;
                                               kh_b_unknown_unit(ps, @2); }
    ;

/* tiers -> tier {、 tier};  tier -> levels [words] [per] (verb amount | 分别 verb amounts) */
tiers
    : tier                                   { $$ = $1; }
    | tiers T_DUN tier                       { $$ = $1; kh_b_tiers_merge(ps, $$, $3); }
    ;

tier
    : levels ttail                           { $$ = CL(ps, KH_CL_TIER, @$); kh_b_tiers_each(ps, $$, &$1, $2.v[0], @$); }
    | levels tmid ttail                      { $$ = CL(ps, KH_CL_TIER, @$); kh_b_tiers_each(ps, $$, &$1, $3.v[0], @$); }
    ;

tmid
    : titem
    | tmid titem
    ;

titem
    : T_CHAR | T_WORD | T_EACH T_QUANT | T_NUM T_QUANT
    ;

/* one amount for every level, or 分别 one per level */
ttail
    : verb tamount                           { $$.n = 0; $$.v[$$.n++] = $2.amount; $$.unit = $2.unit; }
    | tamount                                { $$.n = 0; $$.v[$$.n++] = $1.amount; $$.unit = $1.unit; }
    ;

tamounts
    : tamount                                { $$.n = 0; $$.v[$$.n++] = $1.amount; $$.unit = $1.unit; }
    | tamounts T_DUN tamount                 { $$ = $1; if ($$.n < 16) $$.v[$$.n++] = $3.amount; }
    ;

tamount
    : T_NUM T_FEN                            { $$.amount = $1.num; $$.unit = KH_UNIT_POINT; $$.span = @$; $$.ok = true; $$.missing = false; }
    | T_NUM T_YUAN                           { $$.amount = $1.num; $$.unit = KH_UNIT_YUAN; $$.span = @$; $$.ok = true; $$.missing = false; }
    ;

levels
    : T_LEVEL                                { $$.n = 0; $$.v[$$.n++] = @1; }
    | levels T_DUN T_LEVEL                   { $$ = $1; if ($$.n < 16) $$.v[$$.n++] = @3; }
    ;

%%

/* Syntax errors name what was found, quoting the user's text, and what
 * would have fitted there. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, kh_pstate *ps)
{
    (void)scanner;
    enum { NEXP = 6 };
    yysymbol_kind_t exp[NEXP];
    int n = yypcontext_expected_tokens(ctx, exp, NEXP);
    char want[512] = "";
    size_t w = 0;
    for (int i = 0; i < n && i < NEXP; i++) {
        const char *name = yysymbol_name(exp[i]);
        int k = snprintf(want + w, sizeof want - w, "%s%s", i ? "、" : "", name);
        if (k < 0 || (size_t)k >= sizeof want - w)
            break;
        w += (size_t)k;
    }
    kh_span at = *yypcontext_location(ctx);
    yysymbol_kind_t got = yypcontext_token(ctx);
    if (got == YYSYMBOL_YYEOF || got == YYSYMBOL_T_NL)
        at.len = 0;
    bool eol = got == YYSYMBOL_YYEOF || got == YYSYMBOL_T_NL;
    kh_b_error(ps, eol ? &kh_m_syntax_eol : &kh_m_syntax, at, (n > 0 && n <= NEXP) ? want : "", NULL);
    return 0;
}
