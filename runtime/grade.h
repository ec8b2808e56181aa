/* grade.h — ranks, grades, quotas, vetoes and prerequisites across the
 * entities of one scheme (internal to runtime/).
 *
 * Input: one output row of ir->ncols kh_dec slots per entity, as the
 * engines fill them.  Output: a verdict per entity.  Everything here is a
 * pure function of its inputs; nothing prints.  The rules and every choice
 * the language leaves open are written down at the top of grade.c.
 */
#ifndef KH_GRADE_H
#define KH_GRADE_H

#include "../compiler/compiler.h"

/* No limit: a grade without a rank condition or without a quota. */
#define KH_GRADE_UNLIMITED INT64_MAX

typedef struct kh_verdict {
    int32_t rank;         /* 1-based competition rank by total (1, 2, 2, 4) */
    int32_t grade;        /* final grade: index into ir->grades, −1 none */
    int32_t score_grade;  /* grade from score, rank and quota, before vetoes; −1 none */
    bool eligible;        /* every prerequisite met */
    char *remarks;        /* "; "-joined remarks in Chinese; "" if none (see below) */
} kh_verdict;

/* Rank, grade and annotate n entities.  rows is n × ir->ncols, row-major.
 * Fills every field of v[0..n).  The remarks of all n entities live in one
 * allocation owned through v[0].remarks, and entities with the same
 * remarks may share one string: read them as C strings, never free or
 * change one on its own, keep v in place, and free them all at once with
 * kh_grade_free(v, n).  scheme_remarks (may be NULL) receives an owned
 * string with notes about the whole scheme (a quota minimum not reached, a
 * quota exceeded by a tie), "" if none; free it with kh_free.  Returns false
 * only when memory runs out (or n > INT32_MAX, more than a rank can count);
 * then nothing is left allocated (every remarks and *scheme_remarks are
 * NULL).  Time linear in n. */
bool kh_grade_assign(kh_alloc *a, const kh_ir *ir, const kh_dec *rows, size_t n,
                     kh_verdict *v, char **scheme_remarks);
/* Free the remarks kh_grade_assign gave v[0..n), same v and n, and set
 * them to NULL (after a failed kh_grade_assign, or twice, this is a no-op). */
void kh_grade_free(kh_verdict *v, size_t n);

/* Entity indexes best rank first; ties keep input order.  Owned array of n
 * elements (free with kh_free); NULL when memory runs out (or n == 0 and
 * the allocator fails).  O(n). */
size_t *kh_grade_order(kh_alloc *a, const kh_verdict *v, size_t n);

/* The worst rank that meets g's rank condition among count entities
 * (前3名 → 3; 前20% of 12 → 2), KH_GRADE_UNLIMITED without one. */
int64_t kh_grade_rank_limit(const kh_ir_grade *g, size_t count);
/* How many entities g's quota admits among count entities (限3名 / 2-3名
 * → 3; 不超过20% of 12 → 2), KH_GRADE_UNLIMITED without a quota. */
int64_t kh_grade_quota_limit(const kh_ir_grade *g, size_t count);
/* The least number g's quota asks for (2-3名 → 2); 0 without one. */
int64_t kh_grade_quota_min(const kh_ir_grade *g, size_t count);
/* Does x lie in r, honouring has_lo/has_hi and lo_incl/hi_incl exactly? */
bool kh_grade_in_range(const kh_range *r, kh_dec x);

/* The grading decisions for entity `who`, one Chinese sentence per call of
 * line(ctx, text): total and rank, prerequisites, each grade's conditions
 * with why they hold or not, quotas, vetoes and the final grade.  v is what
 * kh_grade_assign filled for the same ir, rows and n. */
typedef void (*kh_grade_line_fn)(void *ctx, const char *text);
void kh_grade_explain(const kh_ir *ir, const kh_dec *rows, size_t n,
                      const kh_verdict *v, size_t who,
                      kh_grade_line_fn line, void *ctx);

#endif
