/* One reader over every AIS input: it opens the line source (which
 * settles compression), looks at the first lines to settle the format,
 * then hands each line to the NMEA decoder or the CSV reader and returns
 * normalised records. Rejected lines never stop reading: they go to the
 * caller's callback with file and line number and are counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/ais.h"
#include "shiptrace/reader.h"
#include "io/lines.h"
#include "csv/csv.h"

#define DETECT_BYTES 65536  /* how far format detection looks */
#define DETECT_LINES 20     /* non-blank lines it looks at */

struct st_reader {
	st__lines *pLines;
	st_format fmt;
	st_reject_fn xReject;
	void *pRejectCtx;
	const char *zDetail;
	bool done;
	st_nmea *pNmea;
	st_ais_msg msg;
	st_nmea_meta meta;
	st__csv *pCsv;
	st__csv_out csvOut;
	bool pendingStatic;         /* csvOut.aRec[1] still to be returned */
	st_reader_stats stats;
};

const char *st_format_name(st_format f)
{
	switch (f) {
	case ST_FMT_NMEA: return "nmea";
	case ST_FMT_NOAA_CSV: return "noaa_csv";
	case ST_FMT_DMA_CSV: return "dma_csv";
	case ST_FMT_MAPPED_CSV: return "mapped_csv";
	default: return "unknown";
	}
}

const char *st_compression_name(st_compression c)
{
	switch (c) {
	case ST_COMP_GZIP: return "gzip";
	case ST_COMP_ZSTD: return "zstd";
	default: return "none";
	}
}

st_format st_format_from_name(const char *z)
{
	if (!strcmp(z, "nmea"))
		return ST_FMT_NMEA;
	if (!strcmp(z, "noaa") || !strcmp(z, "noaa_csv"))
		return ST_FMT_NOAA_CSV;
	if (!strcmp(z, "dma") || !strcmp(z, "dma_csv"))
		return ST_FMT_DMA_CSV;
	if (!strcmp(z, "csv") || !strcmp(z, "mapped_csv"))
		return ST_FMT_MAPPED_CSV;
	return ST_FMT_UNKNOWN;
}

/* The start of an NMEA sentence: '!' or '$', four or five upper-case
 * letters, digits or dashes (talker and type, "PGHP", "--VDM"), a comma;
 * or a tag block: '\\', a field letter, a colon. A stray '!' or '$' at
 * the start of binary data is not enough. */
static bool nmea_head(const char *z, size_t n)
{
	if (z[0] == '\\')
		return n > 3 && ((z[1] >= 'a' && z[1] <= 'z') || (z[1] >= 'A' && z[1] <= 'Z')) &&
		       z[2] == ':';
	size_t i = 1;
	while (i < n && i <= 6 && ((z[i] >= 'A' && z[i] <= 'Z') || (z[i] >= '0' && z[i] <= '9') || z[i] == '-'))
		i++;
	return i >= 5 && i <= 6 && i < n && z[i] == ',';
}

/* An NMEA line: a sentence ('!', '$'), a tag block ('\\'), or a sentence
 * behind a leading receive timestamp ("1234567890.12 !AIVDM..."); text,
 * not binary. */
static bool looks_nmea(const char *z, size_t n)
{
	if (n < 7)
		return false;
	for (size_t k = 0; k < n && k < 96; k++)
		if ((unsigned char)z[k] < 0x20 && z[k] != '\t')
			return false;
	if (z[0] == '!' || z[0] == '\\' || z[0] == '$')
		return nmea_head(z, n);
	size_t i = 0;
	while (i < n && ((z[i] >= '0' && z[i] <= '9') || z[i] == '.'))
		i++;
	if (i == 0)
		return false;
	while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == ',' || z[i] == ';'))
		i++;
	return i < n && (z[i] == '!' || z[i] == '\\') && nmea_head(z + i, n - i);
}

/* Decides the format from the first lines of input. The first line that
 * is not blank decides for CSV (its header); NMEA files may open with
 * comments or junk, so any NMEA line among the first few will do. Input
 * with no line at all is empty NMEA, which decodes to nothing. */
static st_format detect(const char *z, size_t n)
{
	if (n >= 3 && !memcmp(z, "\xef\xbb\xbf", 3)) {
		z += 3;
		n -= 3;
	}
	int nSeen = 0;
	const char *zEnd = z + n;
	while (z < zEnd && nSeen < DETECT_LINES) {
		const char *zNl = memchr(z, '\n', (size_t)(zEnd - z));
		size_t len = zNl ? (size_t)(zNl - z) : (size_t)(zEnd - z);
		const char *zLine = z;
		z += len + 1;
		while (len && (zLine[0] == ' ' || zLine[0] == '\t')) {
			zLine++;
			len--;
		}
		while (len && (zLine[len - 1] == '\r' || zLine[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		if (nSeen == 0) {
			st_format f = st__csv_detect(zLine, len);
			if (f != ST_FMT_UNKNOWN)
				return f;
		}
		if (looks_nmea(zLine, len))
			return ST_FMT_NMEA;
		nSeen++;
		if (!zNl)
			break;
	}
	return nSeen == 0 ? ST_FMT_NMEA : ST_FMT_UNKNOWN;
}

static void report(st_reader *r, st_reject why, const char *zDetail, uint64_t line,
                   const char *z, size_t n)
{
	r->zDetail = zDetail;
	if (r->xReject)
		r->xReject(r->pRejectCtx, st__lines_name(r->pLines), line, why, z, n);
	r->zDetail = NULL;
}

/* The decoder numbers lines as they are fed, which is every line of the
 * input, so its numbers are file line numbers. Fragments rejected after
 * being held come without their text. */
static void nmea_reject(void *ctx, uint64_t line, st_reject why, const char *z,
                        size_t n)
{
	report(ctx, why, NULL, line, z, n);
}

/* Reads up to and including the CSV header, so that a layout the header
 * does not fit fails at open with the file and line. */
static st_status csv_start(st_reader *r, char *zErr, size_t nErr)
{
	while (!st__csv_ready(r->pCsv)) {
		const char *z;
		size_t n;
		st_status rc = st__lines_next(r->pLines, &z, &n);
		uint64_t line = st__lines_lineno(r->pLines);
		if (rc == ST_ETOOLONG) {
			st__csv_count_reject(r->pCsv, ST_REJ_TOOLONG);
			report(r, ST_REJ_TOOLONG, NULL, line, z, n);
			continue;
		}
		if (rc == ST_ENOTFOUND) {
			snprintf(zErr, nErr, "%s: no CSV header", st__lines_name(r->pLines));
			return ST_EFORMAT;
		}
		if (rc) {
			snprintf(zErr, nErr, "%s", st__lines_errmsg(r->pLines));
			return rc;
		}
		char zWhy[200];
		rc = st__csv_feed(r->pCsv, z, n, line, &r->csvOut, zWhy, sizeof zWhy);
		if (rc == ST_EFORMAT) {
			snprintf(zErr, nErr, "%s:%llu: %s", st__lines_name(r->pLines),
			         (unsigned long long)line, zWhy);
			return rc;
		}
	}
	return ST_OK;
}

static st_status open_common(st_reader *r, const st_reader_opts *opts, char *zErr,
                             size_t nErr)
{
	const char *zName = st__lines_name(r->pLines);
	st_format f = opts ? opts->force_format : ST_FMT_UNKNOWN;
	const char *zMap = opts ? opts->csv_map : NULL;
	if (f == ST_FMT_UNKNOWN && zMap && *zMap)
		f = ST_FMT_MAPPED_CSV;
	if (f == ST_FMT_UNKNOWN) {
		const char *z;
		size_t n;
		st_status rc = st__lines_peek(r->pLines, DETECT_BYTES, &z, &n);
		if (rc) {
			snprintf(zErr, nErr, "%s", st__lines_errmsg(r->pLines));
			return rc;
		}
		/* Only whole lines are judged; a last partial one (a pipe
		 * with more to come) is left out unless it is all there is. */
		size_t nWhole = n;
		while (nWhole && z[nWhole - 1] != '\n')
			nWhole--;
		f = detect(z, nWhole ? nWhole : n);
		if (f == ST_FMT_UNKNOWN) {
			st_compression c = st__lines_compression(r->pLines);
			snprintf(zErr, nErr,
			         "%s: unknown format%s: no NMEA 0183 line and no NOAA or "
			         "DMA CSV header at the start; for another CSV layout "
			         "give a column mapping",
			         zName, c == ST_COMP_GZIP ? " (after gzip decompression)"
			                : c == ST_COMP_ZSTD ? " (after zstd decompression)" : "");
			return ST_EFORMAT;
		}
	}
	r->fmt = f;
	if (f == ST_FMT_NMEA) {
		r->pNmea = st_nmea_new();
		if (!r->pNmea) {
			snprintf(zErr, nErr, "%s: out of memory", zName);
			return ST_ENOMEM;
		}
		st_nmea_set_reject_fn(r->pNmea, nmea_reject, r);
		return ST_OK;
	}
	char zWhy[200];
	st_status rc = st__csv_new(&r->pCsv, f, zMap, zWhy, sizeof zWhy);
	if (rc) {
		snprintf(zErr, nErr, "%s: %s", zName, rc == ST_ENOMEM ? "out of memory" : zWhy);
		return rc;
	}
	return csv_start(r, zErr, nErr);
}

static st_status finish_open(st_reader **pp, st_reader *r, st_status rc,
                             const st_reader_opts *opts, char *zErr, size_t nErr)
{
	if (rc == ST_OK) {
		if (opts) {
			r->xReject = opts->on_reject;
			r->pRejectCtx = opts->reject_ctx;
			if (opts->on_idle)
				st__lines_set_idle(r->pLines, opts->on_idle, opts->idle_ctx);
		}
		rc = open_common(r, opts, zErr, nErr);
	}
	if (rc) {
		st_reader_close(r);
		*pp = NULL;
		return rc;
	}
	*pp = r;
	return ST_OK;
}

st_status st_reader_open(st_reader **pp, const char *zPath, const st_reader_opts *opts,
                         char *zErr, size_t nErr)
{
	*pp = NULL;
	st_reader *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(zErr, nErr, "%s: out of memory", zPath);
		return ST_ENOMEM;
	}
	st_status rc = st__lines_open(&r->pLines, zPath, 0, 0, zErr, nErr);
	return finish_open(pp, r, rc, opts, zErr, nErr);
}

st_status st_reader_open_mem(st_reader **pp, const void *p, size_t n, const char *zName,
                             const st_reader_opts *opts, char *zErr, size_t nErr)
{
	*pp = NULL;
	st_reader *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(zErr, nErr, "%s: out of memory", zName ? zName : "<memory>");
		return ST_ENOMEM;
	}
	st_status rc = st__lines_open_mem(&r->pLines, p, n, zName, 0, 0, zErr, nErr);
	return finish_open(pp, r, rc, opts, zErr, nErr);
}

static st_status next_nmea(st_reader *r, st_record *out, char *zErr, size_t nErr)
{
	for (;;) {
		const char *z;
		size_t n;
		st_status rc = st__lines_next(r->pLines, &z, &n);
		if (rc == ST_OK) {
			rc = st_nmea_feed(r->pNmea, z, n, &r->msg, &r->meta, NULL);
			if (rc == ST_OK) {
				st_ais_to_record(&r->msg, r->meta.t, out);
				out->source = r->meta.source[0] ? r->meta.source : NULL;
				out->ais = &r->msg;
				out->line = r->meta.line;
				return ST_OK;
			}
			continue; /* rejections come through nmea_reject() */
		}
		if (rc == ST_ETOOLONG) {
			/* More than the decoder's limit: it counts it as too long
			 * and keeps its line numbers in step with ours. */
			st_nmea_feed(r->pNmea, z, n, &r->msg, &r->meta, NULL);
			continue;
		}
		/* End of input or a read error: either way, fragments still
		 * held will never complete and are counted now. */
		st_nmea_finish(r->pNmea);
		r->done = true;
		if (rc != ST_ENOTFOUND)
			snprintf(zErr, nErr, "%s", st__lines_errmsg(r->pLines));
		return rc;
	}
}

static st_status next_csv(st_reader *r, st_record *out, char *zErr, size_t nErr)
{
	st__csv_out *o = &r->csvOut;
	if (r->pendingStatic) {
		r->pendingStatic = false;
		*out = o->aRec[1];
		return ST_OK;
	}
	for (;;) {
		const char *z;
		size_t n;
		st_status rc = st__lines_next(r->pLines, &z, &n);
		uint64_t line = st__lines_lineno(r->pLines);
		if (rc == ST_OK) {
			char zWhy[200];
			rc = st__csv_feed(r->pCsv, z, n, line, o, zWhy, sizeof zWhy);
			if (rc == ST_OK) {
				*out = o->aRec[0];
				r->pendingStatic = o->nRec > 1;
				return ST_OK;
			}
			if (rc == ST_EAGAIN)
				continue;
			if (rc == ST_EFORMAT) {
				snprintf(zErr, nErr, "%s:%llu: %s", st__lines_name(r->pLines),
				         (unsigned long long)line, zWhy);
				return rc;
			}
			report(r, o->why, o->zDetail, o->line, o->zLine, o->nLine);
			continue;
		}
		if (rc == ST_ETOOLONG) {
			st__csv_count_reject(r->pCsv, ST_REJ_TOOLONG);
			report(r, ST_REJ_TOOLONG, NULL, line, z, n);
			continue;
		}
		if (st__csv_finish(r->pCsv, o) != ST_ENOTFOUND)
			report(r, o->why, o->zDetail, o->line, o->zLine, o->nLine);
		r->done = true;
		if (rc != ST_ENOTFOUND)
			snprintf(zErr, nErr, "%s", st__lines_errmsg(r->pLines));
		return rc;
	}
}

st_status st_reader_next(st_reader *r, st_record *out, char *zErr, size_t nErr)
{
	if (r->done)
		return ST_ENOTFOUND;
	st_status rc = r->pNmea ? next_nmea(r, out, zErr, nErr) : next_csv(r, out, zErr, nErr);
	if (rc == ST_OK) {
		r->stats.records++;
		r->stats.untimed += out->t == ST_TIME_NONE;
	}
	return rc;
}

st_format st_reader_format(const st_reader *r) { return r->fmt; }

st_compression st_reader_compression(const st_reader *r)
{
	return st__lines_compression(r->pLines);
}

const char *st_reader_reject_detail(const st_reader *r) { return r->zDetail; }
const char *st_reader_name(const st_reader *r) { return st__lines_name(r->pLines); }

const st_reader_stats *st_reader_get_stats(const st_reader *r)
{
	/* Assembled on demand so the per-line paths touch only their own
	 * counters. The cast is safe: the reader owns the struct. */
	st_reader_stats *s = (st_reader_stats *)&r->stats;
	if (r->pNmea) {
		s->nmea = *st_nmea_get_stats(r->pNmea);
	} else if (r->pCsv) {
		s->nmea = *st__csv_stats(r->pCsv);
	}
	s->bytes = st__lines_bytes(r->pLines);
	return s;
}

void st_reader_close(st_reader *r)
{
	if (!r)
		return;
	if (r->pNmea)
		st_nmea_free(r->pNmea);
	st__csv_free(r->pCsv);
	st__lines_close(r->pLines);
	free(r);
}
