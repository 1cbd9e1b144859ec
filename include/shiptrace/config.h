/* Config files and small text helpers shared by the stages. A config file
 * holds "key = value" lines, '#' comments and "[section]" headers; one file
 * can serve every stage, each reading its own section. */
#ifndef SHIPTRACE_CONFIG_H
#define SHIPTRACE_CONFIG_H

#include <stddef.h>
#include "shiptrace/status.h"

/* Called for each "key = value" line of the section asked for, with the
 * line trimmed; returns ST_OK or an error with a message in zMsg. */
typedef st_status (*st_config_fn)(void *ctx, char *zLine, char *zMsg, size_t nMsg);

/* Reads zPath and calls xLine for every line under "[zSection]", and for
 * lines before any section header when bareIsMine. Errors (not a regular
 * file, unreadable, line too long, bad header, xLine's error) come back
 * with "FILE:LINE: why" in zErr. */
st_status st_config_read(const char *zPath, const char *zSection, int bareIsMine,
                         st_config_fn xLine, void *ctx, char *zErr, size_t nErr);

/* Trims white space (including CR and LF) from both ends, in place;
 * returns the first kept character. */
char *st_trim(char *z);

/* "62,400" for 62400.3: a number rounded and grouped by thousands. */
char *st_thousands(double v, char *zBuf, size_t n);

#endif
