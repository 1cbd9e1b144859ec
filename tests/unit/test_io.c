/* The line source: the same lines come out of a real file whether it is
 * read plain, gzip- or zstd-compressed (compressed here, in the test), in
 * one buffer or through a tiny one; CRLF, a missing final newline, overlong
 * lines, truncated and corrupt streams, and unopenable paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "io/lines.h"

#define KYST ST_SHARED_DATA "/ais/kystverket-2019-08-07-1000lines.nm4"
#define PYAIS ST_SHARED_DATA "/ais/pyais-nmea_data_sample.txt"

static char *slurp(const char *zPath, size_t *pn)
{
	FILE *f = fopen(zPath, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	p[n] = 0;
	*pn = (size_t)n;
	return p;
}

static void spill(const char *zPath, const void *p, size_t n)
{
	FILE *f = fopen(zPath, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* Reads every line of src and checks it against the expected text split
 * on LF with one trailing CR removed. Returns the number of lines. */
static uint64_t check_lines(st__lines *src, const char *zText, size_t nText)
{
	const char *z = zText, *zEnd = zText + nText;
	uint64_t n = 0;
	while (z < zEnd) {
		const char *zNl = memchr(z, '\n', (size_t)(zEnd - z));
		size_t len = zNl ? (size_t)(zNl - z) : (size_t)(zEnd - z);
		size_t want = len && z[len - 1] == '\r' ? len - 1 : len;
		const char *zLine;
		size_t nLine;
		assert_int_equal(st__lines_next(src, &zLine, &nLine), ST_OK);
		assert_int_equal(nLine, want);
		assert_memory_equal(zLine, z, want);
		n++;
		assert_int_equal(st__lines_lineno(src), n);
		z += len + (zNl ? 1 : 0);
	}
	const char *zLine;
	size_t nLine;
	assert_int_equal(st__lines_next(src, &zLine, &nLine), ST_ENOTFOUND);
	assert_int_equal(st__lines_next(src, &zLine, &nLine), ST_ENOTFOUND);
	return n;
}

static uint64_t read_file(const char *zPath, size_t nBuf, st_compression want,
                          const char *zText, size_t nText)
{
	st__lines *src;
	char zErr[256];
	assert_int_equal(st__lines_open(&src, zPath, nBuf, 0, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st__lines_compression(src), want);
	uint64_t n = check_lines(src, zText, nText);
	assert_int_equal(st__lines_bytes(src), nText);
	st__lines_close(src);
	return n;
}

static void test_plain_real_files(void **state)
{
	(void)state;
	size_t n;
	char *z = slurp(KYST, &n);
	/* 1000 lines, the last one without a newline. */
	assert_int_equal(read_file(KYST, 0, ST_COMP_NONE, z, n), 1000);
	/* A 7-byte buffer forces a refill inside nearly every line. */
	assert_int_equal(read_file(KYST, 7, ST_COMP_NONE, z, n), 1000);
	free(z);
	z = slurp(PYAIS, &n);
	assert_non_null(memchr(z, '\r', n)); /* this corpus is CRLF */
	assert_int_equal(read_file(PYAIS, 0, ST_COMP_NONE, z, n), 898);
	free(z);
}

static void test_gzip(void **state)
{
	(void)state;
	size_t n;
	char *z = slurp(KYST, &n);
	char zTmp[] = "/tmp/st_io_gzXXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	close(fd);
	/* Two members: the first half and the rest, as `cat a.gz b.gz`. */
	gzFile g = gzopen(zTmp, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, z, (unsigned)(n / 2)), (int)(n / 2));
	gzclose(g);
	g = gzopen(zTmp, "ab");
	assert_int_equal(gzwrite(g, z + n / 2, (unsigned)(n - n / 2)), (int)(n - n / 2));
	gzclose(g);
	assert_int_equal(read_file(zTmp, 0, ST_COMP_GZIP, z, n), 1000);
	assert_int_equal(read_file(zTmp, 100, ST_COMP_GZIP, z, n), 1000);

	/* Cut the compressed file short: the lines before the cut come out,
	 * then an error that names the file. */
	size_t nGz;
	char *pGz = slurp(zTmp, &nGz);
	st__lines *src;
	char zErr[256];
	assert_int_equal(st__lines_open_mem(&src, pGz, nGz / 3, "cut.gz", 0, 0,
	                                    zErr, sizeof zErr), ST_OK);
	const char *zLine;
	size_t nLine;
	st_status rc;
	uint64_t nOk = 0;
	while ((rc = st__lines_next(src, &zLine, &nLine)) == ST_OK)
		nOk++;
	assert_int_equal(rc, ST_EIO);
	assert_true(nOk > 0 && nOk < 1000);
	assert_non_null(strstr(st__lines_errmsg(src), "cut.gz"));
	st__lines_close(src);

	/* Corrupt bytes in the middle of the deflate data. */
	for (size_t i = nGz / 2; i < nGz / 2 + 64; i++)
		pGz[i] ^= 0x5a;
	assert_int_equal(st__lines_open_mem(&src, pGz, nGz, "bad.gz", 0, 0,
	                                    zErr, sizeof zErr), ST_OK);
	while ((rc = st__lines_next(src, &zLine, &nLine)) == ST_OK)
		;
	assert_int_equal(rc, ST_EIO);
	st__lines_close(src);
	free(pGz);
	unlink(zTmp);
	free(z);
}

static void test_zstd(void **state)
{
	(void)state;
	size_t n;
	char *z = slurp(PYAIS, &n);
	size_t nCap = ZSTD_compressBound(n);
	char *pZ = malloc(nCap * 2);
	assert_non_null(pZ);
	/* Two frames back to back, as `zstd` writes for concatenated input. */
	size_t n1 = ZSTD_compress(pZ, nCap, z, n / 3, 3);
	assert_false(ZSTD_isError(n1));
	size_t n2 = ZSTD_compress(pZ + n1, nCap, z + n / 3, n - n / 3, 19);
	assert_false(ZSTD_isError(n2));
	char zTmp[] = "/tmp/st_io_zsXXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	close(fd);
	spill(zTmp, pZ, n1 + n2);
	assert_int_equal(read_file(zTmp, 0, ST_COMP_ZSTD, z, n), 898);
	assert_int_equal(read_file(zTmp, 33, ST_COMP_ZSTD, z, n), 898);

	st__lines *src;
	char zErr[256];
	const char *zLine;
	size_t nLine;
	st_status rc;
	assert_int_equal(st__lines_open_mem(&src, pZ, n1 + n2 - 10, "cut.zst", 0, 0,
	                                    zErr, sizeof zErr), ST_OK);
	while ((rc = st__lines_next(src, &zLine, &nLine)) == ST_OK)
		;
	assert_int_equal(rc, ST_EIO);
	assert_non_null(strstr(st__lines_errmsg(src), "truncated zstd"));
	st__lines_close(src);
	unlink(zTmp);
	free(pZ);
	free(z);
}

/* A plain file of about 12 MiB: mapped with the default buffer, so the
 * pages already read are dropped three times along the way; read through
 * a 4 KiB buffer, so that lines straddle thousands of refills. Both must
 * give back every line exactly. */
static void test_large_plain_file(void **state)
{
	(void)state;
	size_t nOne;
	char *zOne = slurp(KYST, &nOne);
	int nRep = (int)((12u << 20) / nOne) + 1;
	size_t n = nOne * (size_t)nRep;
	char *z = malloc(n);
	assert_non_null(z);
	for (int i = 0; i < nRep; i++)
		memcpy(z + (size_t)i * nOne, zOne, nOne);
	/* The corpus lacks a final newline: each copy but the last ends in
	 * one, in place of its last byte, so that copies do not join. */
	for (int i = 0; i < nRep - 1; i++)
		z[(size_t)(i + 1) * nOne - 1] = '\n';
	char zTmp[] = "/tmp/st_io_bigXXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	close(fd);
	spill(zTmp, z, n);
	uint64_t nLine = read_file(zTmp, 0, ST_COMP_NONE, z, n);
	assert_int_equal(nLine, 1000 * (uint64_t)nRep);
	assert_int_equal(read_file(zTmp, 4096, ST_COMP_NONE, z, n), nLine);
	unlink(zTmp);
	free(z);
	free(zOne);
}

static void test_line_ends_and_overlong(void **state)
{
	(void)state;
	/* Made-up input: mixed endings, blank lines, an overlong line that
	 * fits in the buffer and one that does not, no final newline. */
	char aLong[300];
	memset(aLong, 'x', sizeof aLong);
	char zIn[1024];
	int n = snprintf(zIn, sizeof zIn, "a\r\n\nbb\n%.*s\r\nccc\n\r\n%.40s\nlast",
	                 300, aLong, aLong);
	for (size_t nBuf = 4; nBuf <= 4096; nBuf *= 4) {
		st__lines *src;
		char zErr[128];
		assert_int_equal(st__lines_open_mem(&src, zIn, (size_t)n, "t", nBuf, 32,
		                                    zErr, sizeof zErr), ST_OK);
		const char *z;
		size_t len;
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 1);
		assert_memory_equal(z, "a", 1);
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 0);
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 2);
		assert_int_equal(st__lines_next(src, &z, &len), ST_ETOOLONG);
		assert_int_equal(len, 32);
		assert_memory_equal(z, aLong, 32);
		assert_int_equal(st__lines_lineno(src), 4);
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 3);
		assert_memory_equal(z, "ccc", 3);
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 0);
		assert_int_equal(st__lines_next(src, &z, &len), ST_ETOOLONG);
		assert_int_equal(st__lines_next(src, &z, &len), ST_OK);
		assert_int_equal(len, 4);
		assert_memory_equal(z, "last", 4);
		assert_int_equal(st__lines_lineno(src), 8);
		assert_int_equal(st__lines_next(src, &z, &len), ST_ENOTFOUND);
		st__lines_close(src);
	}
}

static void test_peek_and_errors(void **state)
{
	(void)state;
	st__lines *src;
	char zErr[256];
	const char *z;
	size_t n;
	assert_int_equal(st__lines_open(&src, KYST, 0, 0, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st__lines_peek(src, 4096, &z, &n), ST_OK);
	assert_true(n >= 4096);
	assert_memory_equal(z, "\\c:1565218798*53\\!BSVDM", 23);
	/* Peeking consumed nothing. */
	assert_int_equal(st__lines_next(src, &z, &n), ST_OK);
	assert_memory_equal(z, "\\c:1565218798*53\\!BSVDM", 23);
	st__lines_close(src);

	assert_int_equal(st__lines_open(&src, "no/such/file.nm4", 0, 0, zErr, sizeof zErr),
	                 ST_EIO);
	assert_null(src);
	assert_non_null(strstr(zErr, "no/such/file.nm4"));
	assert_int_equal(st__lines_open(&src, ST_SHARED_DATA, 0, 0, zErr, sizeof zErr),
	                 ST_EIO);
	assert_non_null(strstr(zErr, "directory"));

	/* Empty and tiny inputs, compressed-looking prefixes too short to be. */
	assert_int_equal(st__lines_open_mem(&src, "", 0, "e", 0, 0, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st__lines_next(src, &z, &n), ST_ENOTFOUND);
	st__lines_close(src);
	assert_int_equal(st__lines_open_mem(&src, "\x1f", 1, "e", 0, 0, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st__lines_compression(src), ST_COMP_NONE);
	assert_int_equal(st__lines_next(src, &z, &n), ST_OK);
	assert_int_equal(n, 1);
	st__lines_close(src);
	assert_int_equal(st__lines_open_mem(&src, "\x1f\x8b", 2, "g", 0, 0, zErr, sizeof zErr), ST_OK);
	assert_int_equal(st__lines_compression(src), ST_COMP_GZIP);
	assert_int_equal(st__lines_next(src, &z, &n), ST_EIO);
	st__lines_close(src);
}

static void count_idle(void *ctx)
{
	(*(int *)ctx)++;
}

/* A live feed on standard input: detection does not wait for 64 KiB, and
 * the idle hook runs while the writer pauses. */
static void test_pipe_live(void **state)
{
	(void)state;
	int aFd[2];
	assert_int_equal(pipe(aFd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(aFd[0]);
		if (write(aFd[1], "first\n", 6) != 6)
			_exit(1);
		usleep(300 * 1000);
		if (write(aFd[1], "second\n", 7) != 7)
			_exit(1);
		_exit(0);
	}
	close(aFd[1]);
	int saved = dup(0);
	assert_int_equal(dup2(aFd[0], 0), 0);
	close(aFd[0]);
	alarm(10); /* a hang here fails the test instead of stalling CI */
	st__lines *src;
	char zErr[128];
	assert_int_equal(st__lines_open(&src, "-", 0, 0, zErr, sizeof zErr), ST_OK);
	int nIdle = 0;
	st__lines_set_idle(src, count_idle, &nIdle);
	const char *z;
	size_t n;
	assert_int_equal(st__lines_peek(src, 65536, &z, &n), ST_OK);
	assert_true(n >= 6 && n < 65536);
	assert_int_equal(st__lines_next(src, &z, &n), ST_OK);
	assert_memory_equal(z, "first", 5);
	assert_int_equal(st__lines_next(src, &z, &n), ST_OK);
	assert_memory_equal(z, "second", 6);
	assert_int_equal(st__lines_next(src, &z, &n), ST_ENOTFOUND);
	assert_true(nIdle >= 1);
	alarm(0);
	st__lines_close(src);
	dup2(saved, 0);
	close(saved);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Reads every line of src and checks it against a reference split of
 * zText: on LF, one trailing CR removed, a last line without LF kept, a
 * line longer than nMax (after the CR) reported once as too long with its
 * first nMax bytes. */
static void check_bounded(st__lines *src, const char *zText, size_t nText, size_t nMax)
{
	const char *z = zText, *zEnd = zText + nText;
	uint64_t n = 0;
	while (z < zEnd) {
		const char *zNl = memchr(z, '\n', (size_t)(zEnd - z));
		size_t len = zNl ? (size_t)(zNl - z) : (size_t)(zEnd - z);
		size_t want = len && z[len - 1] == '\r' ? len - 1 : len;
		const char *zLine;
		size_t nLine;
		st_status rc = st__lines_next(src, &zLine, &nLine);
		if (want > nMax) {
			assert_int_equal(rc, ST_ETOOLONG);
			want = nMax;
		} else {
			assert_int_equal(rc, ST_OK);
		}
		assert_int_equal(nLine, want);
		assert_memory_equal(zLine, z, want);
		n++;
		assert_int_equal(st__lines_lineno(src), n);
		z += len + (zNl ? 1 : 0);
	}
	const char *zLine;
	size_t nLine;
	assert_int_equal(st__lines_next(src, &zLine, &nLine), ST_ENOTFOUND);
	assert_int_equal(st__lines_lineno(src), n);
}

/* One text through every way in: borrowed memory (exactly sized, so ASan
 * sees any read past it), copied memory through buffers from 1 byte to
 * larger than the text, and a mapped file. */
static void check_every_source(const char *zText, size_t nText, size_t nMax)
{
	static const size_t aBuf[] = {0, 1, 7, 63, 64, 65, 200, 4096};
	char zErr[256];
	st__lines *src;
	char *zCopy = malloc(nText ? nText : 1);
	assert_non_null(zCopy);
	memcpy(zCopy, zText, nText);
	for (size_t i = 0; i < sizeof aBuf / sizeof aBuf[0]; i++) {
		assert_int_equal(st__lines_open_mem(&src, zCopy, nText, "t", aBuf[i], nMax,
		                                    zErr, sizeof zErr), ST_OK);
		check_bounded(src, zCopy, nText, nMax);
		st__lines_close(src);
	}
	free(zCopy);
	char zTmp[] = "/tmp/st_io_blkXXXXXX";
	int fd = mkstemp(zTmp);
	assert_true(fd >= 0);
	close(fd);
	spill(zTmp, zText, nText);
	assert_int_equal(st__lines_open(&src, zTmp, 0, nMax, zErr, sizeof zErr), ST_OK);
	check_bounded(src, zText, nText, nMax);
	st__lines_close(src);
	unlink(zTmp);
}

/* Newlines are found 64 bytes at a time: lines of every length from 0 to
 * 130 back to back put a newline at every offset of a 16- and a 64-byte
 * block, with and without CR, NUL bytes, and a final newline; random
 * texts mix empty, boundary-length and overlong lines; and the empty
 * text has no line at all. */
static void test_block_boundaries(void **state)
{
	(void)state;
	char *z = malloc(20000);
	assert_non_null(z);
	check_every_source("", 0, 100);
	{
		/* No block at all: an empty source, not a read of NULL. */
		st__lines *src;
		char zErr[64];
		const char *zLine;
		size_t nLine;
		assert_int_equal(st__lines_open_mem(&src, NULL, 0, "t", 0, 0, zErr, sizeof zErr),
		                 ST_OK);
		assert_int_equal(st__lines_next(src, &zLine, &nLine), ST_ENOTFOUND);
		st__lines_close(src);
	}
	for (size_t len = 0; len <= 130; len++) {
		for (int iForm = 0; iForm < 3; iForm++) {
			size_t n = 0;
			for (int k = 0; k < 5; k++) {
				for (size_t i = 0; i < len; i++)
					z[n++] = iForm == 2 && i % 3 == 0 ? '\0' : (char)('a' + (i + (size_t)k) % 26);
				if (iForm == 1 && len > 0)
					z[n - 1] = '\r';
				z[n++] = '\n';
			}
			check_every_source(z, n, 100);
			check_every_source(z, n - 1, 100); /* no final newline */
		}
	}
	static const size_t aLen[] = {0, 1, 15, 16, 17, 31, 32, 33, 62, 63, 64, 65,
	                              99, 100, 101, 102, 127, 128, 129, 250};
	uint32_t seed = 99;
	for (int iRound = 0; iRound < 60; iRound++) {
		size_t n = 0;
		while (n < 3000) {
			seed = seed * 1103515245u + 12345u;
			size_t len = aLen[(seed >> 16) % (sizeof aLen / sizeof aLen[0])];
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				unsigned r = (seed >> 16) % 40;
				z[n++] = r == 0 ? '\0' : r == 1 ? '\r' : (char)('!' + r);
			}
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 4 == 0)
				z[n++] = '\r';
			z[n++] = '\n';
		}
		seed = seed * 1103515245u + 12345u;
		check_every_source(z, n - (seed >> 16) % 2, 100);
	}
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_real_files),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_large_plain_file),
		cmocka_unit_test(test_line_ends_and_overlong),
		cmocka_unit_test(test_peek_and_errors),
		cmocka_unit_test(test_pipe_live),
		cmocka_unit_test(test_block_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
