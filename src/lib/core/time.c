/* UTC civil time conversion (Howard Hinnant's days-from-civil algorithm,
 * public domain) and a strict ISO 8601 reader/writer. Everything inside
 * shiptrace is UTC milliseconds; local times are converted at the edges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "shiptrace/time.h"

int64_t st_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

st_time_ms st_time_from_civil(int y, int mo, int d, int h, int mi, double s)
{
	int64_t days = st_days_from_civil(y, mo, d);
	return (days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60) * 1000 +
	       (int64_t)llround(s * 1000.0);
}

void st_time_to_civil(st_time_ms t, int *y, int *mo, int *d, int *h, int *mi,
                      int *s, int *msec)
{
	int64_t ms = t % 1000;
	int64_t secs = t / 1000;
	if (ms < 0) {
		ms += 1000;
		secs -= 1;
	}
	int64_t z = secs / 86400;
	int64_t sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		z -= 1;
	}
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*mo = (int)mm;
	*d = (int)dd;
	*h = (int)(sod / 3600);
	*mi = (int)(sod / 60 % 60);
	*s = (int)(sod % 60);
	if (msec)
		*msec = (int)ms;
}

char *st_time_format(st_time_ms t, char *buf, size_t n)
{
	if (t == ST_TIME_NONE) {
		if (n)
			buf[0] = 0;
		return buf;
	}
	int y, mo, d, h, mi, s, ms;
	st_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, &ms);
	if (ms)
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, s, ms);
	else
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
	return buf;
}

static int digits(const char **pz, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*pz)[i];
		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	*pz += n;
	*out = v;
	return 1;
}

st_time_ms st_time_parse(const char *z)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	double frac = 0;
	if (!z)
		return ST_TIME_NONE;
	while (*z == ' ')
		z++;
	if (!digits(&z, 4, &y) || *z++ != '-' || !digits(&z, 2, &mo) ||
	    *z++ != '-' || !digits(&z, 2, &d))
		return ST_TIME_NONE;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return ST_TIME_NONE;
	if (*z == 'T' || *z == ' ') {
		z++;
		if (!digits(&z, 2, &h) || *z++ != ':' || !digits(&z, 2, &mi))
			return ST_TIME_NONE;
		if (*z == ':') {
			z++;
			if (!digits(&z, 2, &s))
				return ST_TIME_NONE;
			if (*z == '.') {
				double scale = 0.1;
				z++;
				while (*z >= '0' && *z <= '9') {
					frac += (*z - '0') * scale;
					scale /= 10;
					z++;
				}
			}
		}
	}
	if (h > 24 || mi > 59 || s > 60)
		return ST_TIME_NONE;
	int64_t off_min = 0;
	if (*z == 'Z') {
		z++;
	} else if (*z == '+' || *z == '-') {
		int sign = *z == '-' ? -1 : 1, oh, om = 0;
		z++;
		if (!digits(&z, 2, &oh))
			return ST_TIME_NONE;
		if (*z == ':')
			z++;
		if (*z >= '0' && *z <= '9' && !digits(&z, 2, &om))
			return ST_TIME_NONE;
		off_min = sign * (oh * 60 + om);
	}
	while (*z == ' ')
		z++;
	if (*z)
		return ST_TIME_NONE;
	return st_time_from_civil(y, mo, d, h, mi, s + frac) - off_min * 60000;
}
