/* libFuzzer target for the readers, CSV side first: the input is written
 * to a temporary file and read back through st_reader_open/st_reader_next,
 * the same path `shiptrace decode` takes. The first byte picks how the
 * format is chosen (detected, or forced to NOAA, DMA or a mapped layout),
 * so header detection, every CSV parser and the compression sniffing (a
 * gzip or zstd magic number is just more bytes to the fuzzer) are all
 * reached. Records must be consistent with the statistics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shiptrace/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char zTmp[4096];

static void cleanup(void)
{
	if (zTmp[0])
		unlink(zTmp);
}

/* tmpfs when there is one: rewriting a file on disk for every input costs
 * more than parsing it. */
static const char *tmp_dir(void)
{
	const char *z = getenv("TMPDIR");
	if (z && *z)
		return z;
	return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

static int write_input(const uint8_t *data, size_t size)
{
	if (!zTmp[0]) {
		snprintf(zTmp, sizeof zTmp, "%s/st-fuzz-csv-%ld.csv", tmp_dir(), (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(zTmp, "wb");
	if (!f)
		return -1;
	size_t put = size ? fwrite(data, 1, size, f) : 0;
	if (fclose(f) != 0 || put != size)
		return -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const st_format aFormat[] = {
		ST_FMT_UNKNOWN, ST_FMT_NOAA_CSV, ST_FMT_DMA_CSV, ST_FMT_MAPPED_CSV,
		ST_FMT_UNKNOWN, ST_FMT_UNKNOWN, ST_FMT_NMEA, ST_FMT_UNKNOWN
	};
	if (size < 1)
		return 0;
	if (write_input(data + 1, size - 1) != 0)
		return 0;
	st_reader_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.force_format = aFormat[data[0] & 7];
	if (opts.force_format == ST_FMT_MAPPED_CSV)
		opts.csv_map = "mmsi=id,time=ts,lat=y,lon=x,sog=speed,cog=course,"
		               "heading=hdg,name=name";
	char zErr[256];
	st_reader *r = NULL;
	if (st_reader_open(&r, zTmp, &opts, zErr, sizeof zErr) != ST_OK || !r)
		return 0;
	st_record rec;
	uint64_t nRec = 0;
	st_status rc;
	while ((rc = st_reader_next(r, &rec, zErr, sizeof zErr)) == ST_OK) {
		if (rec.kind != ST_REC_POSITION && rec.kind != ST_REC_STATIC &&
		    rec.kind != ST_REC_OTHER)
			abort();
		nRec++;
	}
	if (rc != ST_ENOTFOUND && memchr(zErr, 0, sizeof zErr) == NULL)
		abort(); /* an error must come with a terminated message */
	if (rc == ST_ENOTFOUND && st_reader_get_stats(r)->records != nRec)
		abort();
	st_reader_close(r);
	return 0;
}
