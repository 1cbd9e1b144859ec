/* `shiptrace decode`: reads AIS in any supported input format and writes
 * one JSON object per message (gpsd's AIS JSON) or one CSV row per position
 * report, with every rejected line reported on stderr and the statistics
 * of the run. Output goes through one large buffer written with write(2):
 * at millions of lines a second, stdio's per-call cost would dominate. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "shiptrace/ais.h"
#include "shiptrace/reader.h"
#include "shiptrace/time.h"

#define OUT_BUF (1u << 20)
#define OUT_ROOM 8192  /* the most one record can need */
#define REJECT_SHOW 80 /* characters of a rejected line shown */

typedef struct outbuf {
	char *a;
	size_t n;
	bool failed;
} outbuf;

typedef struct decode_opts {
	bool csv, none, scaled, stats, strict, quiet;
	st_reader_opts ropts;
} decode_opts;

typedef struct decode_run {
	decode_opts o;
	outbuf out;
	st_reader *pReader;    /* the one being read, for reject details */
	char lastCls;          /* class of the last CSV position, for its static */
	uint32_t lastMmsi;
} decode_run;

static void out_flush(outbuf *b)
{
	size_t i = 0;
	while (i < b->n && !b->failed) {
		ssize_t k = write(1, b->a + i, b->n - i);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			b->failed = true;
			fprintf(stderr, "shiptrace decode: cannot write output: %s\n", strerror(errno));
			break;
		}
		i += (size_t)k;
	}
	b->n = 0;
}

/* Room for one record at the end of the buffer. */
static char *out_room(outbuf *b)
{
	if (OUT_BUF - b->n < OUT_ROOM)
		out_flush(b);
	return b->a + b->n;
}

/* ---- formatting ---- */

static char *put_u64(char *p, uint64_t v)
{
	char aTmp[24];
	int i = 0;
	do {
		aTmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		*p++ = aTmp[--i];
	return p;
}

static char *put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

/* Fixed point with at most nDec decimals, trailing zeros dropped but one
 * kept ("12.0", "57.25", "-0.5"). */
static char *put_num(char *p, double v, int nDec)
{
	static const double aScale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7};
	int64_t k = llround(v * aScale[nDec]);
	if (k < 0) {
		*p++ = '-';
		k = -k;
	}
	int64_t unit = (int64_t)aScale[nDec];
	p = put_u64(p, (uint64_t)(k / unit));
	*p++ = '.';
	int64_t frac = k % unit;
	char aDig[8];
	for (int i = nDec - 1; i >= 0; i--) {
		aDig[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	int n = nDec;
	while (n > 1 && aDig[n - 1] == '0')
		n--;
	memcpy(p, aDig, (size_t)n);
	return p + n;
}

static char *put_lit(char *p, const char *z)
{
	size_t n = strlen(z);
	memcpy(p, z, n);
	return p + n;
}

/* "YYYY-MM-DDTHH:MM:SS[.mmm]Z" without snprintf. */
static char *put_time(char *p, st_time_ms t)
{
	int y, mo, d, h, mi, s, ms;
	st_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, &ms);
	if (y < 0 || y > 9999) {
		char zBuf[40];
		return put_lit(p, st_time_format(t, zBuf, sizeof zBuf));
	}
	const int a[5] = {mo, d, h, mi, s};
	const char aSep[5] = {'-', 'T', ':', ':', 0};
	p[0] = (char)('0' + y / 1000);
	p[1] = (char)('0' + y / 100 % 10);
	p[2] = (char)('0' + y / 10 % 10);
	p[3] = (char)('0' + y % 10);
	p[4] = '-';
	p += 5;
	for (int i = 0; i < 5; i++) {
		*p++ = (char)('0' + a[i] / 10);
		*p++ = (char)('0' + a[i] % 10);
		if (aSep[i])
			*p++ = aSep[i];
	}
	if (ms) {
		*p++ = '.';
		*p++ = (char)('0' + ms / 100);
		*p++ = (char)('0' + ms / 10 % 10);
		*p++ = (char)('0' + ms % 10);
	}
	*p++ = 'Z';
	return p;
}

/* A JSON string member; names are ours, values may hold anything. */
static char *put_jstr(char *p, const char *zKey, const char *zVal)
{
	*p++ = ',';
	*p++ = '"';
	p = put_lit(p, zKey);
	*p++ = '"';
	*p++ = ':';
	*p++ = '"';
	for (const unsigned char *z = (const unsigned char *)zVal; *z; z++) {
		if (*z == '"' || *z == '\\') {
			*p++ = '\\';
			*p++ = (char)*z;
		} else if (*z < 0x20) {
			static const char aHex[] = "0123456789abcdef";
			p = put_lit(p, "\\u00");
			*p++ = aHex[*z >> 4];
			*p++ = aHex[*z & 15];
		} else {
			*p++ = (char)*z;
		}
	}
	*p++ = '"';
	return p;
}

static char *put_jint(char *p, const char *zKey, int64_t v)
{
	*p++ = ',';
	*p++ = '"';
	p = put_lit(p, zKey);
	*p++ = '"';
	*p++ = ':';
	return put_i64(p, v);
}

static char *put_jnum(char *p, const char *zKey, double v, int nDec)
{
	*p++ = ',';
	*p++ = '"';
	p = put_lit(p, zKey);
	*p++ = '"';
	*p++ = ':';
	return put_num(p, v, nDec);
}

/* The AIS message type closest to a CSV row: the transceiver class when
 * the export gives it, else what the MMSI's form says (ITU-R M.585). */
static int closest_type(char cls, uint32_t mmsi, bool stat)
{
	if (cls == 'B')
		return stat ? 24 : 18;
	if (cls == 'A')
		return stat ? 5 : 1;
	if (mmsi >= 990000000)
		return 21;                /* aid to navigation */
	if (mmsi >= 111000000 && mmsi < 112000000)
		return stat ? 5 : 9;      /* SAR aircraft */
	if (mmsi < 10000000)
		return stat ? 5 : 4;      /* 00MIDxxxx: base station */
	return stat ? 5 : 1;
}

/* A record read from a decoded CSV export as gpsd-style JSON. The values
 * are already in human units, so this is always the scaled form; members
 * the row did not give are left out rather than given gpsd's
 * not-available codes. */
static char *put_csv_json(decode_run *pRun, char *p, const st_record *r)
{
	p = put_lit(p, "{\"class\":\"AIS\"");
	if (r->kind == ST_REC_POSITION) {
		const st_position *pos = &r->pos;
		pRun->lastCls = pos->cls;
		pRun->lastMmsi = pos->mmsi;
		p = put_jint(p, "type", closest_type(pos->cls, pos->mmsi, false));
		p = put_jint(p, "mmsi", pos->mmsi);
		p = put_lit(p, ",\"scaled\":true");
		if (pos->nav_status >= 0)
			p = put_jint(p, "status", pos->nav_status);
		if (!isnan(pos->sog))
			p = put_jnum(p, "speed", pos->sog, 2);
		if (!isnan(pos->lon))
			p = put_jnum(p, "lon", pos->lon, 6);
		if (!isnan(pos->lat))
			p = put_jnum(p, "lat", pos->lat, 6);
		if (!isnan(pos->cog))
			p = put_jnum(p, "course", pos->cog, 2);
		if (pos->heading >= 0)
			p = put_jint(p, "heading", pos->heading);
	} else {
		const st_static_report *s = &r->stat;
		char cls = pRun->lastMmsi == s->mmsi ? pRun->lastCls : 0;
		p = put_jint(p, "type", closest_type(cls, s->mmsi, true));
		p = put_jint(p, "mmsi", s->mmsi);
		p = put_lit(p, ",\"scaled\":true");
		if (s->imo)
			p = put_jint(p, "imo", s->imo);
		if (s->callsign[0])
			p = put_jstr(p, "callsign", s->callsign);
		if (s->name[0])
			p = put_jstr(p, "shipname", s->name);
		if (s->ship_type >= 0)
			p = put_jint(p, "shiptype", s->ship_type);
		if (s->to_bow >= 0) {
			p = put_jint(p, "to_bow", s->to_bow);
			p = put_jint(p, "to_stern", s->to_stern);
		}
		if (s->to_port >= 0) {
			p = put_jint(p, "to_port", s->to_port);
			p = put_jint(p, "to_starboard", s->to_starboard);
		}
		if (s->eta_month) {
			char zEta[40];
			snprintf(zEta, sizeof zEta, "%02d-%02dT%02d:%02dZ", s->eta_month, s->eta_day,
			         s->eta_hour, s->eta_minute);
			p = put_jstr(p, "eta", zEta);
		}
		if (!isnan(s->draught))
			p = put_jnum(p, "draught", s->draught, 1);
		if (s->destination[0])
			p = put_jstr(p, "destination", s->destination);
	}
	if (r->t != ST_TIME_NONE) {
		p = put_lit(p, ",\"rxtime\":\"");
		p = put_time(p, r->t);
		*p++ = '"';
	}
	*p++ = '}';
	return p;
}

/* A CSV field that may need quoting (the source names are free text). */
static char *put_csv_text(char *p, const char *z)
{
	if (!strpbrk(z, ",\"\r\n"))
		return put_lit(p, z);
	*p++ = '"';
	for (; *z; z++) {
		if (*z == '"')
			*p++ = '"';
		*p++ = *z;
	}
	*p++ = '"';
	return p;
}

static char *put_csv_row(char *p, const st_record *r)
{
	const st_position *pos = &r->pos;
	p = put_u64(p, pos->mmsi);
	*p++ = ',';
	if (r->t != ST_TIME_NONE)
		p = put_time(p, r->t);
	*p++ = ',';
	if (!isnan(pos->lat))
		p = put_num(p, pos->lat, 6);
	*p++ = ',';
	if (!isnan(pos->lon))
		p = put_num(p, pos->lon, 6);
	*p++ = ',';
	if (!isnan(pos->sog))
		p = put_num(p, pos->sog, 2);
	*p++ = ',';
	if (!isnan(pos->cog))
		p = put_num(p, pos->cog, 2);
	*p++ = ',';
	if (pos->heading >= 0)
		p = put_i64(p, pos->heading);
	*p++ = ',';
	if (pos->nav_status >= 0)
		p = put_i64(p, pos->nav_status);
	*p++ = ',';
	p = put_u64(p, pos->msg_type);
	*p++ = ',';
	if (r->source)
		p = put_csv_text(p, r->source);
	return p;
}

/* The input would block (a live feed): show what we have. */
static void on_idle(void *ctx)
{
	decode_run *pRun = ctx;
	out_flush(&pRun->out);
	fflush(stderr);
}

/* ---- rejects and statistics ---- */

/* Appends the n bytes at z to the message being built in zMsg. */
static char *put_mem(char *p, const char *z, size_t n)
{
	memcpy(p, z, n);
	return p + n;
}

/* The message is assembled by hand and written with one fwrite: a few
 * percent of a noisy feed's lines are rejected, and fprintf's format
 * parsing for each one showed in profiles of `--format none`. The bytes
 * are those of "FILE:LINE: REASON[ (DETAIL)]: TEXT\n". */
static void on_reject(void *ctx, const char *zFile, uint64_t line, st_reject why,
                      const char *zLine, size_t n)
{
	static const char aHex[] = "0123456789abcdef";
	decode_run *pRun = ctx;
	if (pRun->o.quiet)
		return;
	const char *zDetail = pRun->pReader ? st_reader_reject_detail(pRun->pReader) : NULL;
	const char *zWhy = st_reject_name(why);
	char zShow[REJECT_SHOW * 4 + 1];
	size_t k = 0;
	/* Control bytes would garble the terminal: shown as \xNN. */
	for (size_t i = 0; zLine && i < n && i < REJECT_SHOW; i++) {
		unsigned char c = (unsigned char)zLine[i];
		if (c < 0x20 || c == 0x7f) {
			zShow[k++] = '\\';
			zShow[k++] = 'x';
			zShow[k++] = aHex[c >> 4];
			zShow[k++] = aHex[c & 15];
		} else {
			zShow[k++] = (char)c;
		}
	}
	zShow[k] = 0;
	if (!zLine && !zDetail) {
		memcpy(zShow, "(fragment no longer held)", 26);
		k = 25;
	}
	size_t nFile = strlen(zFile), nWhy = strlen(zWhy);
	size_t nDetail = zDetail ? strlen(zDetail) : 0;
	char zNum[24];
	size_t nNum = 0;
	{
		/* snprintf's "%llu" alone cost more than the rest of this. */
		char aRev[24];
		uint64_t v = line;
		do {
			aRev[nNum++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		for (size_t i = 0; i < nNum; i++)
			zNum[i] = aRev[nNum - 1 - i];
		zNum[nNum] = 0;
	}
	char zMsg[1024];
	if (nFile + nWhy + nDetail + nNum + k + 16 > sizeof zMsg) {
		/* Only a very long file name or detail gets here. */
		if (zDetail)
			fprintf(stderr, "%s:%s: %s (%s): %s\n", zFile, zNum, zWhy, zDetail, zShow);
		else
			fprintf(stderr, "%s:%s: %s: %s\n", zFile, zNum, zWhy, zShow);
		return;
	}
	char *p = zMsg;
	p = put_mem(p, zFile, nFile);
	*p++ = ':';
	p = put_mem(p, zNum, nNum);
	p = put_mem(p, ": ", 2);
	p = put_mem(p, zWhy, nWhy);
	if (zDetail) {
		p = put_mem(p, " (", 2);
		p = put_mem(p, zDetail, nDetail);
		*p++ = ')';
	}
	p = put_mem(p, ": ", 2);
	p = put_mem(p, zShow, k);
	*p++ = '\n';
	fwrite(zMsg, 1, (size_t)(p - zMsg), stderr);
}

static uint64_t sum_rejected(const st_nmea_stats *s)
{
	uint64_t n = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		n += s->rejected[i];
	return n;
}

static void add_stats(st_reader_stats *pTo, const st_reader_stats *pFrom)
{
	const st_nmea_stats *f = &pFrom->nmea;
	st_nmea_stats *t = &pTo->nmea;
	t->lines += f->lines;
	t->sentences += f->sentences;
	t->messages += f->messages;
	for (int i = 0; i < 28; i++)
		t->by_type[i] += f->by_type[i];
	t->meta_lines += f->meta_lines;
	t->blank_lines += f->blank_lines;
	for (int i = 0; i < ST_REJ_COUNT; i++)
		t->rejected[i] += f->rejected[i];
	t->msg_sentences += f->msg_sentences;
	t->held += f->held;
	t->tagsum_tolerated += f->tagsum_tolerated;
	pTo->records += pFrom->records;
	pTo->untimed += pFrom->untimed;
	pTo->bytes += pFrom->bytes;
}

static void print_stats(const char *zTitle, const char *zFormat, const st_reader_stats *p)
{
	const st_nmea_stats *s = &p->nmea;
	FILE *f = stderr;
	fprintf(f, "== %s%s%s\n", zTitle, zFormat ? "  " : "", zFormat ? zFormat : "");
	fprintf(f, "  %-28s %12llu\n", "bytes (uncompressed)", (unsigned long long)p->bytes);
	fprintf(f, "  %-28s %12llu\n", "lines read", (unsigned long long)s->lines);
	fprintf(f, "    %-26s %12llu\n", "in decoded messages/rows", (unsigned long long)s->msg_sentences);
	fprintf(f, "    %-26s %12llu\n", "meta (time, header)", (unsigned long long)s->meta_lines);
	fprintf(f, "    %-26s %12llu\n", "blank or comment", (unsigned long long)s->blank_lines);
	fprintf(f, "    %-26s %12llu\n", "rejected", (unsigned long long)sum_rejected(s));
	if (s->held)
		fprintf(f, "    %-26s %12llu\n", "held (incomplete)", (unsigned long long)s->held);
	fprintf(f, "  %-28s %12llu\n", "sentences (valid AIS)", (unsigned long long)s->sentences);
	fprintf(f, "  %-28s %12llu\n", "messages", (unsigned long long)s->messages);
	fprintf(f, "    %-26s %12llu\n", "without a receive time", (unsigned long long)p->untimed);
	for (int i = 1; i < 28; i++)
		if (s->by_type[i])
			fprintf(f, "    type %-21d %12llu\n", i, (unsigned long long)s->by_type[i]);
	if (s->tagsum_tolerated)
		fprintf(f, "  %-28s %12llu\n", "tag sums tolerated", (unsigned long long)s->tagsum_tolerated);
	fprintf(f, "  %-28s %12llu\n", "records", (unsigned long long)p->records);
	fprintf(f, "  rejected by reason\n");
	for (int i = 0; i < ST_REJ_COUNT; i++)
		fprintf(f, "    %-26s %12llu\n", st_reject_name((st_reject)i),
		        (unsigned long long)s->rejected[i]);
}

/* ---- the command ---- */

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace decode [--format jsonl|csv|none] [--scaled] [--stats] [--strict]\n"
	        "                        [--map MAPPING] [--input-format nmea|noaa|dma|csv]\n"
	        "                        [--quiet-rejects] [FILE ... | -]\n"
	        "\n"
	        "Decodes AIS (NMEA 0183 with tag blocks, $PGHP or USCG trailers; NOAA or\n"
	        "DMA CSV exports; other CSV through --map), plain, gzip or zstd, to JSON\n"
	        "lines in gpsd's AIS conventions or to CSV (one row per position report).\n"
	        "\n"
	        "  --format F           jsonl (default), csv, or none: decode to records\n"
	        "                       and write nothing (for benchmarks)\n"
	        "  --scaled             JSON in human units (default: raw units, as gpsdecode -u)\n"
	        "  --stats              full statistics on stderr, per file and in total\n"
	        "  --strict             exit 1 if any line was rejected\n"
	        "  --map MAPPING        CSV column mapping, e.g. \"mmsi=ShipId,time=ts,lat=y,lon=x\"\n"
	        "                       (see docs/formats.md)\n"
	        "  --input-format I     skip detection: nmea, noaa, dma or csv (needs --map)\n"
	        "  --quiet-rejects      do not print rejected lines (they are still counted)\n"
	        "\n"
	        "Exit status: 0 ok, 1 lines rejected under --strict, 2 usage, unreadable or\n"
	        "unrecognised input (the other files are still decoded).\n");
}

static int decode_file(decode_run *pRun, const char *zPath, st_reader_stats *pTotal,
                       bool *pHeaderDone)
{
	char zErr[512];
	st_reader *r;
	st_status rc = st_reader_open(&r, zPath, &pRun->o.ropts, zErr, sizeof zErr);
	if (rc) {
		fprintf(stderr, "shiptrace decode: %s\n", zErr);
		return 2;
	}
	pRun->pReader = r;
	pRun->lastMmsi = 0;
	outbuf *b = &pRun->out;
	if (pRun->o.csv && !*pHeaderDone) {
		char *p = out_room(b);
		p = put_lit(p, "mmsi,time,lat,lon,sog,cog,heading,nav_status,msg_type,source\n");
		b->n = (size_t)(p - b->a);
		*pHeaderDone = true;
	}
	st_ais_json_opts jo = {.scaled = pRun->o.scaled, .mark_untimed = true};
	st_record rec;
	int ret = 0;
	while ((rc = st_reader_next(r, &rec, zErr, sizeof zErr)) == ST_OK) {
		if (pRun->o.none)
			continue;
		char *p = out_room(b);
		if (pRun->o.csv) {
			if (rec.kind != ST_REC_POSITION)
				continue;
			p = put_csv_row(p, &rec);
		} else if (rec.ais) {
			jo.rxtime = rec.t;
			jo.source = rec.source;
			int k = st_ais_json(rec.ais, &jo, p, OUT_BUF - b->n - 1);
			if (k < 0)
				continue; /* cannot happen with OUT_ROOM free */
			p += k;
		} else {
			p = put_csv_json(pRun, p, &rec);
		}
		*p++ = '\n';
		b->n = (size_t)(p - b->a);
	}
	if (rc != ST_ENOTFOUND) {
		fprintf(stderr, "shiptrace decode: %s\n", zErr);
		ret = 2;
	}
	const st_reader_stats *s = st_reader_get_stats(r);
	if (pRun->o.stats) {
		char zFmt[64];
		snprintf(zFmt, sizeof zFmt, "(%s, %s)", st_format_name(st_reader_format(r)),
		         st_compression_name(st_reader_compression(r)));
		print_stats(st_reader_name(r), zFmt, s);
	}
	add_stats(pTotal, s);
	pRun->pReader = NULL;
	st_reader_close(r);
	return ret;
}

int st_cmd_decode(int argc, char **argv)
{
	decode_run run;
	memset(&run, 0, sizeof run);
	run.o.ropts.on_reject = on_reject;
	run.o.ropts.reject_ctx = &run;
	run.o.ropts.on_idle = on_idle;
	run.o.ropts.idle_ctx = &run;
	const char **azFile = calloc((size_t)argc + 1, sizeof *azFile);
	if (!azFile)
		return 2;
	int nFile = 0;
	bool endOpts = false;
	for (int i = 1; i < argc; i++) {
		const char *z = argv[i], *v;
		if (endOpts || z[0] != '-' || !strcmp(z, "-")) {
			azFile[nFile++] = z;
		} else if (!strcmp(z, "--")) {
			endOpts = true;
		} else if (!strcmp(z, "--help") || !strcmp(z, "-h")) {
			usage(stdout);
			free(azFile);
			return 0;
		} else if (!strcmp(z, "--scaled")) {
			run.o.scaled = true;
		} else if (!strcmp(z, "--stats")) {
			run.o.stats = true;
		} else if (!strcmp(z, "--strict")) {
			run.o.strict = true;
		} else if (!strcmp(z, "--quiet-rejects")) {
			run.o.quiet = true;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--format")) != NULL) {
			run.o.csv = !strcmp(v, "csv");
			run.o.none = !strcmp(v, "none");
			if (!run.o.csv && !run.o.none && strcmp(v, "jsonl") && strcmp(v, "json")) {
				fprintf(stderr, "shiptrace decode: --format must be jsonl, csv or none, not '%s'\n", v);
				free(azFile);
				return 2;
			}
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--map")) != NULL) {
			run.o.ropts.csv_map = v;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--input-format")) != NULL) {
			run.o.ropts.force_format = st_format_from_name(v);
			if (run.o.ropts.force_format == ST_FMT_UNKNOWN) {
				fprintf(stderr, "shiptrace decode: --input-format must be nmea, noaa, dma or csv, not '%s'\n", v);
				free(azFile);
				return 2;
			}
		} else {
			fprintf(stderr, "shiptrace decode: unknown option '%s'\n", z);
			usage(stderr);
			free(azFile);
			return 2;
		}
	}
	if (run.o.ropts.force_format == ST_FMT_MAPPED_CSV && !run.o.ropts.csv_map) {
		fprintf(stderr, "shiptrace decode: --input-format csv needs --map\n");
		free(azFile);
		return 2;
	}
	if (nFile == 0)
		azFile[nFile++] = "-";

	static char aErrBuf[1 << 16];
	setvbuf(stderr, aErrBuf, _IOFBF, sizeof aErrBuf);
	run.out.a = malloc(OUT_BUF);
	if (!run.out.a) {
		free(azFile);
		return 2;
	}
	st_reader_stats total;
	memset(&total, 0, sizeof total);
	bool headerDone = false;
	int ret = 0;
	for (int i = 0; i < nFile; i++) {
		int rc = decode_file(&run, azFile[i], &total, &headerDone);
		if (rc > ret)
			ret = rc;
	}
	out_flush(&run.out);
	if (run.out.failed)
		ret = 2;
	if (run.o.stats && nFile > 1)
		print_stats("total", NULL, &total);
	uint64_t nRej = sum_rejected(&total.nmea);
	fprintf(stderr, "shiptrace decode: %llu lines, %llu messages, %llu rejected",
	        (unsigned long long)total.nmea.lines, (unsigned long long)total.nmea.messages,
	        (unsigned long long)nRej);
	if (total.untimed)
		fprintf(stderr, ", %llu records without a receive time",
		        (unsigned long long)total.untimed);
	if (nFile > 1)
		fprintf(stderr, " (%d files)", nFile);
	fputc('\n', stderr);
	fflush(stderr);
	setvbuf(stderr, NULL, _IONBF, 0);
	if (ret == 0 && run.o.strict && nRej)
		ret = 1;
	free(run.out.a);
	free(azFile);
	return ret;
}
