/* bench/lines_bench: the floor under `shiptrace decode`. Walks a file with
 * the line source every reader uses (src/lib/io: the file mapped, each line
 * found and handed out) and does nothing with the lines but count them and
 * add up one byte of each, so that the time is what reading the input costs
 * before any framing or decoding. bench/decode.sh runs it beside the
 * decoders on the same corpus.
 *   usage: lines_bench FILE   (prints lines and bytes) */
#include <stdio.h>
#include "io/lines.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: lines_bench FILE\n");
		return 2;
	}
	char zErr[512];
	st__lines *p = NULL;
	if (st__lines_open(&p, argv[1], 0, 0, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "lines_bench: %s\n", zErr);
		return 1;
	}
	const char *z;
	size_t n;
	unsigned long long nLine = 0, nByte = 0, sum = 0;
	st_status rc;
	while ((rc = st__lines_next(p, &z, &n)) == ST_OK || rc == ST_ETOOLONG) {
		nLine++;
		nByte += n;
		if (n)
			sum += (unsigned char)z[n - 1];
	}
	st__lines_close(p);
	if (rc != ST_ENOTFOUND) {
		fprintf(stderr, "lines_bench: %s: read error\n", argv[1]);
		return 1;
	}
	printf("%llu lines, %llu bytes (check %llu)\n", nLine, nByte, sum);
	return 0;
}
