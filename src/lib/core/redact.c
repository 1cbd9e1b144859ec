/* Case targets as they may be printed: a PostgreSQL URL can carry a
 * password (postgresql://user:secret@host/db), which must never reach a
 * terminal, a log or a report. */
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
