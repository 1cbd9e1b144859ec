/* libFuzzer target for the line source every reader stands on: the input
 * is read as a memory block through st__lines_open_mem, so plain, gzip and
 * zstd data (detected from the first bytes) all reach the splitter. The
 * first byte picks a small refill buffer and line bound, so lines straddle
 * refills and overlong lines are cut, the paths real files hit only at
 * megabyte scale. Every line handed out must lie inside its bound and hold
 * no CR/LF terminator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nBuf = 16u << (data[0] & 7);        /* 16 bytes .. 2 KiB */
	size_t nMax = 8u << ((data[0] >> 3) & 7);  /* 8 bytes .. 1 KiB */
	/* Exact-size copy: ASan flags any read past the block. */
	uint8_t *p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, size - 1);
	char zErr[256];
	st__lines *src = NULL;
	if (st__lines_open_mem(&src, p, size - 1, "fuzz", nBuf, nMax, zErr,
	                       sizeof zErr) == ST_OK) {
		const char *z;
		size_t n;
		st_status rc;
		uint64_t nLine = 0;
		while ((rc = st__lines_next(src, &z, &n)) == ST_OK || rc == ST_ETOOLONG) {
			if (n > nMax)
				abort();
			if (rc == ST_OK && n > 0 && memchr(z, '\n', n))
				abort();
			if (n > 0)
				(void)*(volatile const char *)(z + n - 1);
			nLine++;
		}
		if (st__lines_lineno(src) != nLine)
			abort();
		st__lines_close(src);
	}
	free(p);
	return 0;
}
