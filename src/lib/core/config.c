/* The config file reader every stage shares, and number grouping for the
 * sentences findings and reports print. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "shiptrace/config.h"

#define MAX_LINE 4096

char *st_trim(char *z)
{
	while (isspace((unsigned char)*z))
		z++;
	size_t n = strlen(z);
	while (n > 0 && isspace((unsigned char)z[n - 1]))
		z[--n] = 0;
	return z;
}

st_status st_config_read(const char *zPath, const char *zSection, int bareIsMine,
                         st_config_fn xLine, void *ctx, char *zErr, size_t nErr)
{
	struct stat st;
	if (stat(zPath, &st) != 0) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(zErr, nErr, "%s: not a regular file", zPath);
		return ST_EIO;
	}
	FILE *f = fopen(zPath, "r");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	char zLine[MAX_LINE], zMsg[256];
	int iLine = 0, mine = bareIsMine;
	st_status rc = ST_OK;
	while (fgets(zLine, sizeof zLine, f)) {
		iLine++;
		size_t n = strlen(zLine);
		if (n == sizeof zLine - 1 && zLine[n - 1] != '\n') {
			snprintf(zErr, nErr, "%s:%d: line too long", zPath, iLine);
			rc = ST_ECONFIG;
			break;
		}
		char *zHash = strchr(zLine, '#');
		if (zHash)
			*zHash = 0;
		char *z = st_trim(zLine);
		if (!*z)
			continue;
		if (*z == '[') {
			char *zEnd = strchr(z, ']');
			if (!zEnd || zEnd[1]) {
				snprintf(zErr, nErr, "%s:%d: bad section header", zPath, iLine);
				rc = ST_ECONFIG;
				break;
			}
			*zEnd = 0;
			mine = !strcmp(st_trim(z + 1), zSection);
			continue;
		}
		if (!mine)
			continue; /* another stage's section */
		zMsg[0] = 0;
		if ((rc = xLine(ctx, z, zMsg, sizeof zMsg)) != ST_OK) {
			snprintf(zErr, nErr, "%s:%d: %s", zPath, iLine, zMsg);
			break;
		}
	}
	if (rc == ST_OK && ferror(f)) {
		snprintf(zErr, nErr, "%s: read error", zPath);
		rc = ST_EIO;
	}
	fclose(f);
	return rc;
}

char *st_thousands(double v, char *zBuf, size_t n)
{
	char z[64];
	snprintf(z, sizeof z, "%.0f", v);
	size_t len = strlen(z), j = 0;
	for (size_t i = 0; i < len && j + 2 < n; i++) {
		zBuf[j++] = z[i];
		if (z[i] != '-' && (len - i - 1) % 3 == 0 && i + 1 < len)
			zBuf[j++] = ',';
	}
	if (n)
		zBuf[j < n ? j : n - 1] = 0;
	return zBuf;
}
