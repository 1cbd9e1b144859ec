/* UTC time helpers: ISO 8601 in and out, civil date arithmetic without the
 * C library's time zone state (timegm is not in C11). */
#ifndef SHIPTRACE_TIME_H
#define SHIPTRACE_TIME_H

#include <stddef.h>
#include "shiptrace/record.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t st_days_from_civil(int y, int m, int d);

/* Milliseconds for a UTC civil time; no range checking beyond arithmetic. */
st_time_ms st_time_from_civil(int y, int mo, int d, int h, int mi, double s);

/* Split a time into UTC fields; msec gets the millisecond part. */
void st_time_to_civil(st_time_ms t, int *y, int *mo, int *d, int *h, int *mi,
                      int *s, int *msec);

/* Writes "YYYY-MM-DDTHH:MM:SSZ", or with ".sss" when milliseconds are not
 * zero, into buf (at least 32 bytes). Returns buf. ST_TIME_NONE gives "". */
char *st_time_format(st_time_ms t, char *buf, size_t n);

/* Parses "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with an optional "Z" or
 * "+hh[:mm]"/"-hh[:mm]" offset (no offset means UTC), or a bare date.
 * Returns ST_TIME_NONE on failure. */
st_time_ms st_time_parse(const char *z);

#endif
