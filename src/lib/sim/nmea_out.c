/* NMEA 0183 AIS sentence writer: the armoured payload of one message split
 * into !xxVDM fragments of at most 60 characters (so a type 5 takes two
 * sentences, as transmitters send it), each with its checksum, a rolling
 * sequential message id for multi-part messages, and an IEC 61162-450 tag
 * block carrying the receive time (c:) and the receiving station (s:).
 * Multi-part messages also get a g: group field so that readers which
 * group by tag block can reassemble them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "shiptrace/sim.h"

void st_nmea_out_init(st_nmea_out *w, const char *zTalker)
{
	memset(w, 0, sizeof *w);
	snprintf(w->talker, sizeof w->talker, "%s",
	         zTalker && strlen(zTalker) == 2 ? zTalker : "AI");
	w->nextGroup = 1;
}

unsigned st_nmea_checksum(const char *z, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		c ^= (unsigned char)z[i];
	return c;
}

/* Appends a formatted piece; returns false once the buffer is full so the
 * caller can give up with -1 instead of writing a truncated sentence. */
static int append(char *buf, size_t n, size_t *pAt, const char *zFmt, ...)
	__attribute__((format(printf, 4, 5)));
static int append(char *buf, size_t n, size_t *pAt, const char *zFmt, ...)
{
	va_list ap;
	if (*pAt >= n)
		return 0;
	va_start(ap, zFmt);
	int k = vsnprintf(buf + *pAt, n - *pAt, zFmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= n - *pAt)
		return 0;
	*pAt += (size_t)k;
	return 1;
}

int st_nmea_out_format(st_nmea_out *w, const char *zPayload, size_t nChar,
                       unsigned fill, char channel, st_time_ms t,
                       const char *zSource, char *buf, size_t n)
{
	size_t at = 0;
	size_t nFrag = nChar ? (nChar + ST_NMEA_OUT_MAX_PAYLOAD - 1) / ST_NMEA_OUT_MAX_PAYLOAD : 1;
	if (!buf || n == 0 || nFrag > 9 || fill > 5)
		return -1;
	if (!w->talker[0])
		st_nmea_out_init(w, NULL);
	if (w->nextGroup == 0)
		w->nextGroup = 1;
	unsigned seq = w->nextSeq % 10;
	unsigned group = w->nextGroup;
	if (nFrag > 1) {
		w->nextSeq = (seq + 1) % 10;
		w->nextGroup = group % 9999 + 1;
	}
	for (size_t i = 0; i < nFrag; i++) {
		size_t off = i * ST_NMEA_OUT_MAX_PAYLOAD;
		size_t len = nChar - off < ST_NMEA_OUT_MAX_PAYLOAD ? nChar - off : ST_NMEA_OUT_MAX_PAYLOAD;
		if (t != ST_TIME_NONE) {
			char tag[96];
			int k;
			long long sec = (long long)(t >= 0 ? t / 1000 : (t - 999) / 1000);
			if (nFrag > 1)
				k = snprintf(tag, sizeof tag, "g:%zu-%zu-%u,c:%lld", i + 1, nFrag, group, sec);
			else
				k = snprintf(tag, sizeof tag, "c:%lld", sec);
			if (k > 0 && zSource && zSource[0] && (size_t)k < sizeof tag)
				k += snprintf(tag + k, sizeof tag - (size_t)k, ",s:%s", zSource);
			if (k < 0 || (size_t)k >= sizeof tag)
				return -1;
			if (!append(buf, n, &at, "\\%s*%02X\\", tag, st_nmea_checksum(tag, (size_t)k)))
				return -1;
		}
		size_t start = at;
		if (!append(buf, n, &at, "!%sVDM,%zu,%zu,", w->talker, nFrag, i + 1))
			return -1;
		if (nFrag > 1 && !append(buf, n, &at, "%u", seq))
			return -1;
		if (!append(buf, n, &at, ",%s,%.*s,%u", channel ? (char[]){channel, 0} : "",
		            (int)len, zPayload + off, i + 1 == nFrag ? fill : 0))
			return -1;
		unsigned sum = st_nmea_checksum(buf + start + 1, at - start - 1);
		if (!append(buf, n, &at, "*%02X\r\n", sum))
			return -1;
	}
	return (int)at;
}
