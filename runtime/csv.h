/* csv.h — reading the event log and the roster (internal to runtime/).
 *
 * Both files are CSV tables with a header row, as Excel writes them: UTF-8
 * with or without a BOM, or GB18030/GBK (Excel's default export on Chinese
 * Windows), CRLF or LF line ends, RFC 4180 quoting.  Columns are found by
 * their Chinese or English names in any order.
 *
 * The whole file is read in one pass.  Field text lives in buffers owned by
 * the log or roster (one for a log; a few large chunks for a roster, where
 * each name is kept once and a repeated 部门, 职务 or 分管领导 is shared);
 * no field is allocated on its own.  Every problem is a
 * diagnostic located in the file (converted to UTF-8 when it was GB18030, so
 * that spans and the rendered lines are the user's own text); a row that
 * cannot be used is skipped, counted and reported, never dropped silently.
 *
 * Diagnostics refer to out->src: keep *out in place (do not copy the struct)
 * until they are rendered, and call the matching _free whatever the reader
 * returned.
 */
#ifndef KH_CSV_H
#define KH_CSV_H

#include "lang.h"

/* A record may have at most this many fields; more is reported, not read. */
#define KH_CSV_MAX_FIELDS 10000

typedef struct kh_raw_event {
    uint32_t line;            /* 1-based line of the record's start in the file */
    kh_span span;             /* the record's bytes in log->src, for diagnostics */
    const char *person, *dept, *item, *level, *key;   /* NUL-terminated, "" when empty/absent */
    int32_t date;             /* days since 1970-01-01; INT32_MIN when absent/empty */
    kh_dec value;             /* 数量: empty → 1000 (i.e. 1); "75%" → 75000 */
    bool value_pct;           /* written with % */
} kh_raw_event;

typedef struct kh_eventlog {
    kh_source src;            /* the file as UTF-8 text (converted if it was GB18030) */
    const char *encoding;     /* "UTF-8", "UTF-8 (BOM)", "GB18030", "GBK" (forced) */
    bool crlf;                /* the first line ends in CRLF */
    kh_raw_event *ev;
    size_t n;
    bool has_person, has_dept, has_date, has_level, has_key, has_value;
    size_t rows;              /* data rows read (blank rows aside) = n + skipped */
    size_t skipped;           /* rows skipped, each with an error diagnostic */
    char *store;              /* private: field text */
} kh_eventlog;

typedef struct kh_roster_entry {
    uint32_t line;
    kh_span span;
    const char *person, *dept, *role, *leader;   /* "" when empty/absent */
} kh_roster_entry;

typedef struct kh_roster {
    kh_source src;
    const char *encoding;
    kh_roster_entry *p;
    size_t n;
    bool has_dept, has_role, has_leader;
    size_t rows, skipped;     /* as in kh_eventlog */
    struct kh_roster_chunk *text;   /* private: the entries' text */
    struct kh_roster_slot *names;   /* private: name → entry, for kh_roster_find */
    size_t nnames;                  /* private: slots in names */
} kh_roster;

/* encoding: NULL or "auto" detects; "utf-8", "gbk", "gb18030" force.
 * Returns false when the file cannot be used at all (diagnostics say why);
 * row-level problems are error diagnostics and the row is skipped. */
bool kh_eventlog_read(kh_alloc *a, kh_diags *d, const char *path,
                      const char *encoding, kh_eventlog *out);
void kh_eventlog_free(kh_eventlog *log);
bool kh_roster_read(kh_alloc *a, kh_diags *d, const char *path,
                    const char *encoding, kh_roster *out);
void kh_roster_free(kh_roster *r);
/* The index of the entry named name[0..len), or −1: the table the reader
 * built to find repeated names, so no caller needs one of its own. */
int32_t kh_roster_find(const kh_roster *r, const char *name, size_t len);

/* YYYY-MM-DD, YYYY/M/D, YYYY-M-D, YYYY.M.D, YYYY年M月D日 (ASCII or
 * full-width digits), optionally followed by a time " H:MM[:SS]" as Excel
 * writes date-times.  Rejects impossible dates (2023-02-30). */
bool kh_csv_parse_date(const char *s, size_t n, int32_t *days);
/* y-m-d as days since 1970-01-01, when it is a real date of year 1000 on. */
bool kh_csv_civil_days(int y, int m, int d, int32_t *days);
/* YYYY-MM-DD; "" for INT32_MIN. */
void kh_csv_date_format(int32_t days, char *buf, size_t cap);

#endif
