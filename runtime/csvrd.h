/* csvrd.h — the CSV record reader shared by csv.c and csvrows.c (internal
 * to runtime/).
 *
 * csv.c loads a file (refusing what is not a text table), decodes it to
 * UTF-8, splits it into records and fields, reads the header and parses
 * values and dates; csvrows.c turns the records into events and roster
 * entries.  Nothing here is for callers outside those two files: they use
 * csv.h.
 */
#ifndef KH_CSVRD_H
#define KH_CSVRD_H

#include "csv.h"

/* How much of a user's value a message quotes. */
#define KH_CSV_QUOTE_MAX 60

static const char kh_csv_empty[] = "";

/* The messages of both files, in the order of kh_csv_msgs (csv.c). */
enum {
    KH_CSV_E_MISSING, KH_CSV_E_DIR, KH_CSV_E_EMPTY, KH_CSV_E_BINARY,
    KH_CSV_E_DECODE, KH_CSV_E_UTF16, KH_CSV_E_READ, KH_CSV_E_TOO_LARGE,
    KH_CSV_E_NOMEM, KH_CSV_E_ENCNAME, KH_CSV_E_FORCED, KH_CSV_E_ICONV,
    KH_CSV_E_NO_HEADER, KH_CSV_E_TABS, KH_CSV_E_REQUIRED, KH_CSV_W_UNKNOWN,
    KH_CSV_W_UNNAMED, KH_CSV_E_DUP_COLUMN, KH_CSV_E_QUOTE, KH_CSV_E_FIELDS,
    KH_CSV_E_TOO_MANY, KH_CSV_E_VALUE, KH_CSV_E_NEGATIVE, KH_CSV_E_DECIMALS,
    KH_CSV_E_TOO_BIG, KH_CSV_E_DATE, KH_CSV_E_NO_ITEM, KH_CSV_E_NO_PERSON,
    KH_CSV_E_DUP_PERSON, KH_CSV_N_FIRST, KH_CSV_W_NO_ROWS
};

typedef struct kh_csv_field {
    uint32_t off, len;      /* raw bytes in the source, quotes included */
    const char *val;        /* unescaped and trimmed, NUL-terminated, in the store */
    size_t vlen;
} kh_csv_field;

/* A reader over one decoded source. */
typedef struct kh_csv {
    kh_alloc *a;
    kh_diags *d;
    const kh_source *src;
    char *store;            /* src->len + 1 bytes; field text at the raw offsets */
    size_t pos;             /* next byte to read */
    uint32_t line;          /* line at pos */
    kh_csv_field *f;        /* the current record's fields, at most KH_CSV_MAX_FIELDS */
    size_t nf, cap;
    size_t nfields;         /* fields in the record, counted past the maximum */
    kh_span rec;            /* the current record, without its line end */
    uint32_t rec_line;
    uint32_t bad_quote;     /* after KH_CSV_UNTERMINATED: the opening quote */
} kh_csv;

typedef enum kh_csv_next_rc { KH_CSV_REC, KH_CSV_EOF, KH_CSV_UNTERMINATED, KH_CSV_NOMEM } kh_csv_next_rc;

/* A column: its names (simplified, traditional, English), NULL-ended. */
typedef struct kh_csv_col {
    const char *names[4];
} kh_csv_col;

typedef struct kh_csv_table {
    const kh_csv_col *cols;
    int ncols;
    const char *known;      /* the names, for hints */
} kh_csv_table;

typedef enum kh_csv_val { KH_CSV_VAL_OK, KH_CSV_VAL_BAD, KH_CSV_VAL_NEG, KH_CSV_VAL_DECIMALS, KH_CSV_VAL_BIG } kh_csv_val;

/* ------------------------------------------------------------ loading */

/* The file at path as UTF-8 text in *src, with the encoding it had. */
bool kh_csv_load(kh_alloc *a, kh_diags *d, const char *path, const char *encoding, kh_source *src, const char **enc_label, bool *crlf);
bool kh_csv_init(kh_csv *c, kh_alloc *a, kh_diags *d, const kh_source *src);
void kh_csv_fini(kh_csv *c);

/* ---------------------------------------------------------- splitting */

kh_csv_next_rc kh_csv_next(kh_csv *c);
bool kh_csv_blank_record(const kh_csv *c);
/* A plain line (no quotes, nhead fields) split where it lies; false when
 * the line needs the general splitter. */
bool kh_csv_split_plain(kh_csv *c, size_t nhead, size_t *eol);
void kh_csv_plain_value(const kh_csv *c, const kh_csv_field *f, const char **s, size_t *n);
void kh_csv_take_plain(kh_csv *c, size_t nhead, size_t eol);
/* Upper bound on the number of records: one per line. */
size_t kh_csv_max_records(const kh_csv *c);
/* True when the record can be a row of nhead fields; reported otherwise. */
bool kh_csv_check_shape(kh_csv *c, kh_csv_next_rc rc, size_t nhead);

/* ------------------------------------------------------------ columns */

bool kh_csv_header(kh_csv *c, const kh_csv_table *tb, int *idx, size_t *nhead);
void kh_csv_require(kh_csv *c, kh_span header, const char *name, const char *known);
/* Column k of the current record: its text ("" when absent), its span. */
const char *kh_csv_get(const kh_csv *c, const int *idx, int k);
kh_span kh_csv_span(const kh_csv *c, const int *idx, int k);
kh_span kh_csv_field_span(const kh_csv_field *f);

/* ------------------------------------------------------------ reports */

void kh_csv_diag(kh_csv *c, kh_severity sev, int which, kh_span span, const char *a1, const char *a2, const char *a3);
void kh_csv_nomem(kh_csv *c);
/* A user's value for a message: at most KH_CSV_QUOTE_MAX bytes, "…" when cut. */
void kh_csv_quote(const char *s, size_t n, char *buf, size_t cap);

/* 数量: empty is 1; "75%" is 75 with pct; thousands separators allowed. */
kh_csv_val kh_csv_parse_value(const char *s, size_t n, kh_dec *v, bool *pct);

#endif
