/* RFC 4180 records over an in-memory buffer (the record's extent found
 * here, with its bounds; its fields split by the shared st_csv_split), and
 * whole-file reads
 * with the encoding conversions lists need (latin-1 and Windows-1252 to
 * UTF-8). Lists are read whole because they are small (the OFAC SDN list is
 * 4 MB) and because it lets a bad record be skipped by going back to the
 * line after its start, which a streaming reader could not do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/registry.h"
#include "shiptrace/csv.h"
#include "registry/csvrec.h"

void st__csvrec_init(st__csvrec *c, const char *zBuf, size_t nBuf, char delim)
{
	memset(c, 0, sizeof *c);
	c->zBuf = zBuf;
	c->nBuf = nBuf;
	c->line = 1;
	c->delim = delim ? delim : ',';
}

void st__csvrec_free(st__csvrec *c)
{
	free(c->zRec);
	c->zRec = NULL;
	c->nRecCap = 0;
}

/* Skips to just after the next newline at or after pos; returns the new
 * position. */
static size_t after_newline(const st__csvrec *c, size_t pos)
{
	const char *p = memchr(c->zBuf + pos, '\n', c->nBuf - pos);
	return p ? (size_t)(p - c->zBuf) + 1 : c->nBuf;
}

st_status st__csvrec_next(st__csvrec *c)
{
	if (c->pos >= c->nBuf)
		return ST_ENOTFOUND;
	size_t start = c->pos;
	size_t nNeed = 0;
	/* The record's unquoted text is never longer than its raw text. */
	{
		size_t end = start;
		int inq = 0;
		uint64_t lines = 0;
		while (end < c->nBuf) {
			char ch = c->zBuf[end];
			if (ch == '"')
				inq = !inq;
			else if (ch == '\n') {
				lines++;
				if (!inq)
					break;
				if (lines >= ST__CSV_MAX_SPAN)
					break;
			}
			end++;
			if (end - start > ST__CSV_MAX_RECORD)
				break;
		}
		nNeed = end - start;
		c->recLine = c->line;
		c->zRaw = c->zBuf + start;
		c->nRaw = nNeed;
		if (end - start > ST__CSV_MAX_RECORD) {
			c->pos = after_newline(c, start);
			c->line++;
			return ST_ETOOLONG;
		}
		if (inq) {
			/* Unterminated quote: resume on the next line. */
			c->nRaw = after_newline(c, start) - start;
			c->pos = after_newline(c, start);
			c->line++;
			return ST_EMALFORMED;
		}
	}
	if (nNeed + 1 > c->nRecCap) {
		size_t cap = nNeed + 1 < 256 ? 256 : nNeed + 1;
		char *z = realloc(c->zRec, cap);
		if (!z)
			return ST_ENOMEM;
		c->zRec = z;
		c->nRecCap = cap;
	}
	/* The fields themselves: the project's shared splitter, on a copy. */
	memcpy(c->zRec, c->zBuf + start, nNeed);
	c->zRec[nNeed] = '\0';
	char *azField[ST__CSV_MAX_FIELDS];
	int nField = st_csv_split(c->zRec, c->delim, azField, ST__CSV_MAX_FIELDS);
	if (nField > ST__CSV_MAX_FIELDS) {
		c->pos = after_newline(c, start);
		c->line++;
		return ST_ETOOLONG;
	}
	c->nField = nField;
	for (int i = 0; i < nField; i++) {
		c->azField[i] = azField[i];
		c->anField[i] = strlen(azField[i]);
	}
	uint64_t nl = 0;
	for (size_t i = 0; i < nNeed; i++)
		nl += c->zBuf[start + i] == '\n';
	c->pos = start + nNeed;
	if (c->pos < c->nBuf && c->zBuf[c->pos] == '\n')
		c->pos++, nl++;
	else if (c->pos >= c->nBuf)
		nl++; /* last line without a newline */
	c->recLines = nl ? nl : 1;
	c->line += c->recLines;
	return ST_OK;
}

int st__field_is(const char *z, size_t n, const char *zWord)
{
	size_t m = strlen(zWord);
	if (n != m)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char a = z[i], b = zWord[i];
		if (a >= 'a' && a <= 'z')
			a = (char)(a - 32);
		if (b >= 'a' && b <= 'z')
			b = (char)(b - 32);
		if (a != b)
			return 0;
	}
	return 1;
}

/* Windows-1252 code points of 0x80..0x9F (0 = undefined, kept as U+FFFD). */
static const unsigned short aCp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

static int is_encoding(const char *z, const char *const *az)
{
	for (; *az; az++)
		if (st__field_is(z, strlen(z), *az))
			return 1;
	return 0;
}

st_status st__read_file(const char *zPath, const char *zEncoding, size_t nMax,
                        char **pzOut, size_t *pnOut, char *zErr, size_t nErr)
{
	static const char *const azLatin1[] = {"latin-1", "latin1", "iso-8859-1",
	                                       "iso8859-1", "l1", NULL};
	static const char *const azCp1252[] = {"cp1252", "windows-1252", NULL};
	static const char *const azUtf8[] = {"utf-8", "utf8", NULL};
	int enc = 0; /* 0 utf-8, 1 latin-1, 2 cp1252 */
	*pzOut = NULL;
	*pnOut = 0;
	if (zEncoding && *zEncoding) {
		if (is_encoding(zEncoding, azLatin1))
			enc = 1;
		else if (is_encoding(zEncoding, azCp1252))
			enc = 2;
		else if (!is_encoding(zEncoding, azUtf8)) {
			snprintf(zErr, nErr, "%s: unknown encoding '%s' (utf-8, latin-1, cp1252)",
			         zPath, zEncoding);
			return ST_EINVAL;
		}
	}
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return errno == ENOENT ? ST_ENOTFOUND : ST_EIO;
	}
	size_t cap = 1 << 16, n = 0;
	char *z = malloc(cap);
	if (!z) {
		fclose(f);
		return ST_ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= nMax) {
				snprintf(zErr, nErr, "%s: larger than %zu bytes", zPath, nMax);
				free(z);
				fclose(f);
				return ST_ETOOLONG;
			}
			size_t c2 = cap * 2 > nMax ? nMax : cap * 2;
			char *z2 = realloc(z, c2);
			if (!z2) {
				free(z);
				fclose(f);
				return ST_ENOMEM;
			}
			z = z2;
			cap = c2;
		}
		size_t got = fread(z + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(zErr, nErr, "%s: read error", zPath);
		free(z);
		return ST_EIO;
	}
	if (enc == 0) {
		if (n >= 3 && !memcmp(z, "\xEF\xBB\xBF", 3)) {
			memmove(z, z + 3, n - 3);
			n -= 3;
		}
		if (n == cap) {
			char *z2 = realloc(z, cap + 1);
			if (!z2) {
				free(z);
				return ST_ENOMEM;
			}
			z = z2;
		}
		z[n] = '\0'; /* callers may treat the text as a string */
		*pzOut = z;
		*pnOut = n;
		return ST_OK;
	}
	char *o = malloc(n * 3 + 1);
	if (!o) {
		free(z);
		return ST_ENOMEM;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)z[i];
		unsigned cp = ch;
		if (enc == 2 && ch >= 0x80 && ch < 0xA0)
			cp = aCp1252[ch - 0x80] ? aCp1252[ch - 0x80] : 0xFFFD;
		m += put_utf8(o + m, cp);
	}
	o[m] = '\0';
	free(z);
	*pzOut = o;
	*pnOut = m;
	return ST_OK;
}
