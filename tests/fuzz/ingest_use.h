/* ingest_use.h — how the fast reader's tests and its fuzz target say the
 * rules use each item (kh_ingest_opts.use): 迟到 through its totals,
 * 获得表彰 event by event, anything else not at all. */
#ifndef KH_INGEST_USE_H
#define KH_INGEST_USE_H

#include <string.h>

#include "ingest.h"

static inline kh_ingest_use kh_test_item_use(void *ctx, const char *item, size_t len)
{
    (void)ctx;
    if (len == strlen("迟到") && memcmp(item, "迟到", len) == 0)
        return KH_INGEST_TOTALS;
    if (len == strlen("获得表彰") && memcmp(item, "获得表彰", len) == 0)
        return KH_INGEST_EVENTS;
    return KH_INGEST_UNREAD;
}

#endif
