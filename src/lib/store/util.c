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

int st_store_has_table(st_store *s, const char *zTable)
{
	/* a catalogue lookup, not st_store_tables, which counts every row */
	if (!zTable || !*zTable || strlen(zTable) > 64)
		return 0;
	for (const char *p = zTable; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return 0;
	char zSql[320];
	if (!strcmp(st_store_backend(s), "gpkg"))
		snprintf(zSql, sizeof zSql, "SELECT count(*) FROM sqlite_master"
		         " WHERE type = 'table' AND name = '%s'", zTable);
	else
		snprintf(zSql, sizeof zSql, "SELECT count(*) FROM pg_class c JOIN"
		         " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname ="
		         " current_schema() AND c.relkind = 'r' AND c.relname = '%s'",
		         zTable);
	int64_t n = 0;
	return st_store_query_int(s, zSql, &n) == ST_OK && n > 0;
}
