/* Small conveniences over the store interface for the stages that read
 * a case: whether a table is there (a case may not have run every stage),
 * and the case target as it may be printed (a PostgreSQL URL can carry a
 * password, which must never reach a terminal, a log or a report). */
#include <stdio.h>
#include <string.h>
#include "shiptrace/store.h"

char *st_store_display_name(const char *zTarget, char *zOut, size_t nOut)
{
	const char *zScheme = strstr(zTarget, "://");
	const char *zAt = zScheme ? strchr(zScheme + 3, '@') : NULL;
	const char *zColon = zScheme ? strchr(zScheme + 3, ':') : NULL;
	if (!zScheme || !zAt || !zColon || zColon > zAt) {
		snprintf(zOut, nOut, "%s", zTarget);
		return zOut;
	}
	snprintf(zOut, nOut, "%.*s:***%s", (int)(zColon - zTarget), zTarget, zAt);
	return zOut;
}

typedef struct has_ctx {
	const char *zTable;
	int found;
} has_ctx;

static int has_cb(void *ctx, const char *zTable, int64_t nRow, int isSpatial)
{
	has_ctx *h = ctx;
	(void)nRow;
	(void)isSpatial;
	if (strcmp(zTable, h->zTable))
		return 0;
	h->found = 1;
	return 1;
}

int st_store_has_table(st_store *s, const char *zTable)
{
	has_ctx h = {zTable, 0};
	st_store_tables(s, has_cb, &h);
	return h.found;
}
