/* `shiptrace ingest CASE FILE ...`: loads input files into a case (a
 * GeoPackage path or a postgresql:// URL). Every file is checked before
 * the case is created or touched, so a typo or an unknown format leaves
 * nothing behind; each file then goes in as one transaction, named in
 * `sources` with its SHA-256 so that the same bytes are never loaded
 * twice. The --kind table says which loader handles a file; kinds other
 * than AIS are provided by later stages through weak symbols. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "ingest.h"
#include "shiptrace/reader.h"
#include "shiptrace/store.h"

#define REJECT_SHOW 80 /* characters of a rejected line shown */

/* ---- AIS ----------------------------------------------------------------- */

/* The SHA-256 of an AIS file is computed on a thread of its own while the
 * file goes in (the hash takes a tenth of the ingest's time, and the
 * reading thread has time to spare): the sources row gets it at the end of
 * the ingest. A file already in the case is found as soon as its hash is
 * done, a small part of the way in, and its ingest is rolled back. */
typedef struct known_source {
	int64_t id;
	char sha256[65];
} known_source;

typedef struct hash_check {
	st_sha256_job *pJob;      /* NULL once finished */
	known_source *a;          /* the sources already in the case */
	size_t n, cap;
	int64_t dupId;            /* the source with the same bytes, or 0 */
	int failed;               /* the hash could not be computed */
} hash_check;

static int keep_known(void *ctx, int nCol, const char *const *azVal,
                      const char *const *azCol)
{
	(void)azCol;
	hash_check *h = ctx;
	if (nCol < 2 || !azVal[0] || !azVal[1])
		return 0;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		known_source *a = realloc(h->a, cap * sizeof *a);
		if (!a)
			return 1;
		h->a = a;
		h->cap = cap;
	}
	h->a[h->n].id = strtoll(azVal[0], NULL, 10);
	snprintf(h->a[h->n].sha256, sizeof h->a[h->n].sha256, "%s", azVal[1]);
	h->n++;
	return 0;
}

/* Waits for the hash; fills src->sha256 and h->dupId. Returns 0, or 1
 * after printing why the file cannot be hashed. */
static int hash_done(hash_check *h, st_source_info *src)
{
	if (!h->pJob)
		return h->failed;
	char zErr[512];
	st_status rc = st_sha256_finish(h->pJob, src->sha256, NULL, zErr,
	                                sizeof zErr);
	h->pJob = NULL;
	if (rc != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		h->failed = 1;
		src->sha256[0] = 0;
		return 1;
	}
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->a[i].sha256, src->sha256))
			h->dupId = h->a[i].id;
	return 0;
}

static void say_duplicate(const char *zPath, int64_t id, const char *zSha256)
{
	fprintf(stderr, "%s: already in the case (source %lld, SHA-256 %.12s...), "
	        "skipped\n", zPath, (long long)id, zSha256);
}

typedef struct ais_run {
	const st_ingest_opts *o;
	st_reader *pReader;
	/* while the file's hash is not known, the rejected lines wait in
	 * pHold (a memory stream), to be shown only if the file goes in */
	hash_check *h;
	st_source_info *src;
	FILE *pHold;
	char *zHold;
	size_t nHold;
} ais_run;

/* Rejected lines held this long make the ingest wait for the hash. */
#define HOLD_MAX (1 << 20)

/* Waits for the hash if it is not known yet, then shows the rejected
 * lines held (or drops them: the file will not go in). */
static void settle(ais_run *pRun)
{
	if (!pRun->h)
		return;
	hash_done(pRun->h, pRun->src);
	if (!pRun->pHold)
		return;
	fclose(pRun->pHold);
	pRun->pHold = NULL;
	if (!pRun->h->dupId && !pRun->h->failed)
		fwrite(pRun->zHold, 1, pRun->nHold, stderr);
	free(pRun->zHold);
	pRun->zHold = NULL;
}

static void on_reject(void *ctx, const char *zFile, uint64_t line,
                      st_reject why, const char *zLine, size_t n)
{
	ais_run *pRun = ctx;
	if (pRun->o->quietRejects)
		return;
	FILE *f = pRun->pHold ? pRun->pHold : stderr;
	const char *zDetail =
		pRun->pReader ? st_reader_reject_detail(pRun->pReader) : NULL;
	char zShow[REJECT_SHOW * 4 + 1];
	size_t k = 0;
	for (size_t i = 0; zLine && i < n && i < REJECT_SHOW; i++) {
		unsigned char c = (unsigned char)zLine[i];
		if (c < 0x20 || c == 0x7f)
			k += (size_t)snprintf(zShow + k, sizeof zShow - k, "\\x%02x", c);
		else
			zShow[k++] = (char)c;
	}
	zShow[k] = 0;
	if (zDetail)
		fprintf(f, "%s:%llu: %s (%s): %s\n", zFile,
		        (unsigned long long)line, st_reject_name(why), zDetail, zShow);
	else if (zLine)
		fprintf(f, "%s:%llu: %s: %s\n", zFile, (unsigned long long)line,
		        st_reject_name(why), zShow);
	else
		fprintf(f, "%s:%llu: %s: (fragment no longer held)\n", zFile,
		        (unsigned long long)line, st_reject_name(why));
	if (pRun->pHold && ftello(pRun->pHold) > HOLD_MAX)
		settle(pRun);
}

static int reader_opts(const st_ingest_opts *o, st_reader_opts *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->csv_map = o->zMap;
	if (o->zInputFormat) {
		ro->force_format = st_format_from_name(o->zInputFormat);
		if (ro->force_format == ST_FMT_UNKNOWN) {
			fprintf(stderr, "shiptrace ingest: --input-format must be nmea, "
			        "noaa, dma or csv, not '%s'\n", o->zInputFormat);
			return 1;
		}
	} else if (o->zMap) {
		ro->force_format = ST_FMT_MAPPED_CSV;
	}
	return 0;
}

static int ais_check(const char *zPath, const st_ingest_opts *o)
{
	st_reader_opts ro;
	if (reader_opts(o, &ro))
		return 1;
	char zErr[512];
	st_reader *r = NULL;
	if (st_reader_open(&r, zPath, &ro, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	st_reader_close(r);
	return 0;
}

/* Ingests an AIS file; with h, hashes it at the same time. Returns 0, 1 on
 * failure (printed, nothing kept), 2 when its bytes are already in the
 * case (printed, nothing kept). */
static int ais_ingest_file(st_store *pCase, const char *zPath,
                           st_source_info *src, const st_ingest_opts *o,
                           hash_check *h)
{
	ais_run run = {o, NULL, h, src, NULL, NULL, 0};
	st_reader_opts ro;
	if (reader_opts(o, &ro))
		return 1;
	if (h && !o->quietRejects)
		run.pHold = open_memstream(&run.zHold, &run.nHold);
	ro.on_reject = on_reject;
	ro.reject_ctx = &run;
	char zErr[512];
	st_reader *r = NULL;
	if (st_reader_open(&r, zPath, &ro, zErr, sizeof zErr) != ST_OK) {
		settle(&run);
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		return 1;
	}
	run.pReader = r;
	src->zFormat = st_format_name(st_reader_format(r));
	int64_t sourceId = 0;
	if (st_store_ingest_begin(pCase, src, &sourceId) != ST_OK) {
		settle(&run);
		fprintf(stderr, "shiptrace ingest: %s\n", st_store_errmsg(pCase));
		st_reader_close(r);
		return 1;
	}
	st_record rec;
	st_status rc;
	uint64_t nRec = 0;
	while ((rc = st_reader_next(r, &rec, zErr, sizeof zErr)) == ST_OK) {
		if (st_store_ingest_record(pCase, &rec) != ST_OK) {
			settle(&run);
			fprintf(stderr, "shiptrace ingest: %s: %s\n", zPath,
			        st_store_errmsg(pCase));
			st_store_ingest_abort(pCase);
			st_reader_close(r);
			return 1;
		}
		if (h && h->pJob && ++nRec % 65536 == 0 && st_sha256_ready(h->pJob))
			settle(&run);
		if (h && (h->dupId || h->failed))
			break;
	}
	settle(&run);
	if (h && (h->dupId || h->failed)) {
		st_store_ingest_abort(pCase);
		st_reader_close(r);
		if (h->failed)
			return 1;
		say_duplicate(zPath, h->dupId, src->sha256);
		return 2;
	}
	if (rc != ST_ENOTFOUND) {
		fprintf(stderr, "shiptrace ingest: %s (nothing of this file was "
		        "kept)\n", zErr);
		st_store_ingest_abort(pCase);
		st_reader_close(r);
		return 1;
	}
	const st_reader_stats *pStats = st_reader_get_stats(r);
	src->lines_read = pStats->nmea.lines;
	src->messages = pStats->nmea.messages;
	uint64_t nRej = 0;
	for (int i = 0; i < ST_REJ_COUNT; i++) {
		src->rejected[i] = pStats->nmea.rejected[i];
		nRej += src->rejected[i];
	}
	if (st_store_ingest_end(pCase, src) != ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s: %s (nothing of this file was "
		        "kept)\n", zPath, st_store_errmsg(pCase));
		st_reader_close(r);
		return 1;
	}
	const st_ingest_stats *is = st_store_ingest_stats(pCase);
	fprintf(stderr, "%s: %s, %llu lines, %llu messages, %llu positions, "
	        "%llu static reports (%llu stored), %llu vessels, %llu rejected",
	        zPath, src->zFormat, (unsigned long long)src->lines_read,
	        (unsigned long long)src->messages,
	        (unsigned long long)is->positions, (unsigned long long)is->reports,
	        (unsigned long long)is->reports_stored,
	        (unsigned long long)is->vessels, (unsigned long long)nRej);
	const char *zSep = " (";
	for (int i = 0; i < ST_REJ_COUNT; i++)
		if (src->rejected[i]) {
			fprintf(stderr, "%s%s %llu", zSep, st_reject_name((st_reject)i),
			        (unsigned long long)src->rejected[i]);
			zSep = ", ";
		}
	fprintf(stderr, "%s -> source %lld\n", nRej ? ")" : "",
	        (long long)sourceId);
	st_reader_close(r);
	return 0;
}

static int ais_ingest(st_store *pCase, const char *zPath, st_source_info *src,
                      const st_ingest_opts *o)
{
	return ais_ingest_file(pCase, zPath, src, o, NULL);
}

/* An AIS file hashed while it goes in: 0 done, 1 failed, 2 skipped (its
 * bytes are in the case already); -1 when no thread could be started
 * (the caller hashes first, as for the other kinds). */
static int ais_ingest_hashing(st_store *pCase, const char *zPath,
                              st_source_info *src, const st_ingest_opts *o)
{
	hash_check h;
	memset(&h, 0, sizeof h);
	char zErr[512];
	if (st_store_query(pCase, "SELECT id, sha256 FROM sources WHERE sha256"
	                   " IS NOT NULL", keep_known, &h, zErr, sizeof zErr) !=
	    ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		free(h.a);
		return 1;
	}
	if (!(h.pJob = st_sha256_start(zPath))) {
		free(h.a);
		return -1;
	}
	src->sha256[0] = 0;
	int rc = ais_ingest_file(pCase, zPath, src, o, &h);
	if (h.pJob)   /* the ingest stopped before it needed the hash */
		hash_done(&h, src);
	free(h.a);
	return rc;
}

/* ---- kinds --------------------------------------------------------------- */

/* Later stages define these in their own src/cli file. */
#define ST_WEAK __attribute__((weak))
ST_WEAK int st_ingest_check_list(const char *, const st_ingest_opts *);
ST_WEAK int st_ingest_kind_list(st_store *, const char *, st_source_info *,
                                const st_ingest_opts *);
ST_WEAK int st_ingest_check_records(const char *, const st_ingest_opts *);
ST_WEAK int st_ingest_kind_records(st_store *, const char *, st_source_info *,
                                   const st_ingest_opts *);
ST_WEAK int st_ingest_check_places(const char *, const st_ingest_opts *);
ST_WEAK int st_ingest_kind_places(st_store *, const char *, st_source_info *,
                                  const st_ingest_opts *);
ST_WEAK int st_ingest_check_facilities(const char *, const st_ingest_opts *);
ST_WEAK int st_ingest_kind_facilities(st_store *, const char *,
                                      st_source_info *,
                                      const st_ingest_opts *);
ST_WEAK int st_ingest_check_detections(const char *, const st_ingest_opts *);
ST_WEAK int st_ingest_kind_detections(st_store *, const char *,
                                      st_source_info *,
                                      const st_ingest_opts *);

static const struct {
	const char *zKind;
	st_ingest_check_fn xCheck;
	st_ingest_file_fn xIngest;
	const char *zHelp;
} aKind[] = {
	{"ais", ais_check, ais_ingest,
	 "AIS: NMEA 0183, NOAA or DMA CSV, mapped CSV (default)"},
	{"list", st_ingest_check_list, st_ingest_kind_list,
	 "sanctions or watch lists"},
	{"records", st_ingest_check_records, st_ingest_kind_records,
	 "shipment records"},
	{"places", st_ingest_check_places, st_ingest_kind_places,
	 "ports and places of interest"},
	{"facilities", st_ingest_check_facilities, st_ingest_kind_facilities,
	 "facilities of interest"},
	{"detections", st_ingest_check_detections, st_ingest_kind_detections,
	 "vessel detections from imagery"},
};
#define N_KIND (int)(sizeof aKind / sizeof aKind[0])

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace ingest CASE FILE ... [--kind KIND] [--map MAPPING]\n"
	        "                        [--input-format F] [--list-name N] [--quiet-rejects]\n"
	        "\n"
	        "CASE is a GeoPackage path (created if absent) or a postgresql:// URL.\n"
	        "Each FILE goes in as one transaction; a file whose SHA-256 is already\n"
	        "in the case is skipped.\n"
	        "\n"
	        "  --kind KIND          what the files are:\n");
	for (int i = 0; i < N_KIND; i++)
		fprintf(f, "                         %-11s %s%s\n", aKind[i].zKind,
		        aKind[i].zHelp, aKind[i].xIngest ? "" : " (not in this build)");
	fprintf(f,
	        "  --map MAPPING        CSV column mapping, e.g. \"mmsi=ShipId,time=ts,lat=y,lon=x\"\n"
	        "  --input-format F     skip detection: nmea, noaa, dma or csv (needs --map)\n"
	        "  --list-name N        --kind list: the list's name (default from the format)\n"
	        "  --quiet-rejects      do not print rejected lines (they are still counted)\n"
	        "\n"
	        "Exit status: 0 ok, 1 a file could not be ingested (the others were),\n"
	        "2 usage, or the case or the inputs cannot be used (nothing changed).\n");
}

int st_cmd_ingest(int argc, char **argv)
{
	st_ingest_opts o = {.zKind = "ais"};
	const char **azArg = calloc((size_t)argc + 1, sizeof *azArg);
	if (!azArg)
		return 2;
	int nArg = 0, endOpts = 0;
	for (int i = 1; i < argc; i++) {
		const char *z = argv[i], *v;
		if (endOpts || z[0] != '-' || !strcmp(z, "-")) {
			azArg[nArg++] = z;
		} else if (!strcmp(z, "--")) {
			endOpts = 1;
		} else if (!strcmp(z, "--help") || !strcmp(z, "-h")) {
			usage(stdout);
			free(azArg);
			return 0;
		} else if (!strcmp(z, "--quiet-rejects")) {
			o.quietRejects = 1;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--kind")) != NULL) {
			o.zKind = v;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--map")) != NULL) {
			o.zMap = v;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--input-format")) != NULL) {
			o.zInputFormat = v;
		} else if ((v = st_cli_opt_value(argc, argv, &i, "--list-name")) != NULL) {
			o.zListName = v;
		} else {
			fprintf(stderr, "shiptrace ingest: unknown option or missing "
			        "value '%s'\n", z);
			usage(stderr);
			free(azArg);
			return 2;
		}
	}
	int iKind = -1;
	for (int i = 0; i < N_KIND; i++)
		if (!strcmp(o.zKind, aKind[i].zKind))
			iKind = i;
	if (iKind < 0) {
		fprintf(stderr, "shiptrace ingest: unknown --kind '%s' (one of:",
		        o.zKind);
		for (int i = 0; i < N_KIND; i++)
			fprintf(stderr, " %s", aKind[i].zKind);
		fprintf(stderr, ")\n");
		free(azArg);
		return 2;
	}
	if (!aKind[iKind].xIngest || !aKind[iKind].xCheck) {
		fprintf(stderr, "shiptrace ingest: --kind %s is not available in "
		        "this build of shiptrace\n", o.zKind);
		free(azArg);
		return 2;
	}
	if (nArg < 2) {
		usage(stderr);
		free(azArg);
		return 2;
	}
	const char *zCase = azArg[0];

	/* Every input is checked before the case is created or changed. */
	for (int i = 1; i < nArg; i++) {
		struct stat st;
		if (!strcmp(azArg[i], "-")) {
			fprintf(stderr, "shiptrace ingest: standard input cannot be "
			        "ingested (a source is recorded by its SHA-256): save it "
			        "to a file first\n");
			free(azArg);
			return 2;
		}
		int bad = stat(azArg[i], &st) != 0;
		if (bad || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "shiptrace ingest: %s: %s\n", azArg[i],
			        bad ? strerror(errno) : "not a regular file");
			free(azArg);
			return 2;
		}
		if (st.st_size == 0) {
			/* an empty file has no format to detect and nothing to add;
			 * recording it would only make every later empty file a
			 * "duplicate" */
			fprintf(stderr, "shiptrace ingest: %s: empty file, nothing to ingest\n", azArg[i]);
			free(azArg);
			return 2;
		}
		if (aKind[iKind].xCheck(azArg[i], &o)) {
			free(azArg);
			return 2;
		}
	}

	char zErr[1024];
	st_store *pCase = NULL;
	if (st_store_open(&pCase, zCase, ST_STORE_CREATE, zErr, sizeof zErr) !=
	    ST_OK) {
		fprintf(stderr, "shiptrace ingest: %s\n", zErr);
		free(azArg);
		return 2;
	}
	int nFail = 0, nDone = 0;
	for (int i = 1; i < nArg; i++) {
		st_source_info src;
		memset(&src, 0, sizeof src);
		src.zName = azArg[i];
		src.zKind = o.zKind;
		struct stat st;
		if (aKind[iKind].xIngest == ais_ingest && !stat(azArg[i], &st)) {
			src.size = (uint64_t)st.st_size;
			int rcA = ais_ingest_hashing(pCase, azArg[i], &src, &o);
			if (rcA >= 0) {
				nFail += rcA == 1;
				nDone += rcA == 0;
				continue;
			}
		}
		if (st_sha256_file(azArg[i], src.sha256, &src.size, zErr,
		                   sizeof zErr) != ST_OK) {
			fprintf(stderr, "shiptrace ingest: %s\n", zErr);
			nFail++;
			continue;
		}
		int64_t id = 0;
		st_status rc = st_store_find_source(pCase, src.sha256, &id);
		if (rc == ST_OK) {
			fprintf(stderr, "%s: already in the case (source %lld, SHA-256 "
			        "%.12s...), skipped\n", azArg[i], (long long)id,
			        src.sha256);
			continue;
		}
		if (rc != ST_ENOTFOUND) {
			fprintf(stderr, "shiptrace ingest: %s\n", st_store_errmsg(pCase));
			nFail++;
			continue;
		}
		if (aKind[iKind].xIngest(pCase, azArg[i], &src, &o))
			nFail++;
		else
			nDone++;
	}
	if (nDone == 0 && nFail > 0)
		st_store_close_discard(pCase);  /* a case made for nothing goes */
	else
		st_store_close(pCase);
	free(azArg);
	return nFail ? 1 : 0;
}
