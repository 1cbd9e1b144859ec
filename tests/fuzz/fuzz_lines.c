/* libFuzzer target for the line source every reader stands on: the input
 * is read as a memory block through st__lines_open_mem, so plain, gzip and
 * zstd data (detected from the first bytes) all reach the splitter. The
 * first byte picks a small refill buffer and line bound, so lines straddle
 * refills and overlong lines are cut, the paths real files hit only at
 * megabyte scale. Every line handed out must lie inside its bound and hold
 * no CR/LF terminator; and plain input read in place (no buffer, newlines
 * found by the block scan straight on the block) must give the same
 * lines, byte for byte, as through the small buffer. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every line of p[0..n) and returns a hash of the sequence of
 * statuses, lengths and bytes (FNV-1a); *pnLine gets the count. */
static uint64_t hash_lines(const uint8_t *p, size_t n, size_t nBuf, size_t nMax,
                           uint64_t *pnLine)
{
	char zErr[256];
	st__lines *src = NULL;
	uint64_t h = 14695981039346656037u;
	*pnLine = 0;
	if (st__lines_open_mem(&src, p, n, "fuzz", nBuf, nMax, zErr, sizeof zErr) != ST_OK)
		return 0;
	const char *z;
	size_t len;
	st_status rc;
	while ((rc = st__lines_next(src, &z, &len)) == ST_OK || rc == ST_ETOOLONG) {
		h = (h ^ (uint64_t)(rc + 7)) * 1099511628211u;
		h = (h ^ len) * 1099511628211u;
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)z[i]) * 1099511628211u;
		(*pnLine)++;
	}
	h = (h ^ (uint64_t)(rc + 7)) * 1099511628211u;
	st__lines_close(src);
	return h;
}

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
	bool bCompressed = (size >= 3 && data[1] == 0x1f && data[2] == 0x8b) ||
	                   (size >= 5 && data[1] == 0x28 && data[2] == 0xb5 &&
	                    data[3] == 0x2f && data[4] == 0xfd);
	if (!bCompressed) {
		uint64_t nA, nB;
		if (hash_lines(p, size - 1, nBuf, nMax, &nA) !=
		        hash_lines(p, size - 1, 0, nMax, &nB) || nA != nB)
			abort();
	}
	free(p);
	return 0;
}
