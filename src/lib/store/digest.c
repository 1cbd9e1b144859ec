/* SHA-256 of input files, so that a case records exactly which bytes it was
 * built from and a file is never ingested twice. OpenSSL's libcrypto does
 * the hashing: it uses the CPU's SHA extensions where there are any, which
 * keeps this extra pass over the file far cheaper than the ingest itself;
 * st_sha256_start runs the pass on a thread of its own, so that an ingest
 * can read the file at the same time. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "shiptrace/store.h"

st_status st_sha256_file(const char *zPath, char zHex[65], uint64_t *pSize,
                         char *zErr, size_t nErr)
{
	zHex[0] = 0;
	FILE *f = fopen(zPath, "rb");
	if (!f) {
		snprintf(zErr, nErr, "%s: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		fclose(f);
		snprintf(zErr, nErr, "%s: cannot start SHA-256", zPath);
		return ST_ENOMEM;
	}
	unsigned char aBuf[1 << 16];
	uint64_t nTotal = 0;
	size_t n;
	while ((n = fread(aBuf, 1, sizeof aBuf, f)) > 0) {
		EVP_DigestUpdate(ctx, aBuf, n);
		nTotal += n;
	}
	int bad = ferror(f);
	int err = errno;
	fclose(f);
	unsigned char aMd[EVP_MAX_MD_SIZE];
	unsigned int nMd = 0;
	EVP_DigestFinal_ex(ctx, aMd, &nMd);
	EVP_MD_CTX_free(ctx);
	if (bad) {
		snprintf(zErr, nErr, "%s: read error: %s", zPath, strerror(err));
		return ST_EIO;
	}
	for (unsigned i = 0; i < 32 && i < nMd; i++)
		snprintf(zHex + 2 * i, 3, "%02x", aMd[i]);
	if (pSize)
		*pSize = nTotal;
	return ST_OK;
}

/* ---- on a thread of its own ---------------------------------------------- */

struct st_sha256_job {
	pthread_t th;
	char *zPath;
	char zHex[65];
	uint64_t size;
	st_status rc;
	char zErr[512];
	atomic_int done;
};

static void *job_main(void *arg)
{
	st_sha256_job *j = arg;
	j->rc = st_sha256_file(j->zPath, j->zHex, &j->size, j->zErr,
	                       sizeof j->zErr);
	atomic_store_explicit(&j->done, 1, memory_order_release);
	return NULL;
}

st_sha256_job *st_sha256_start(const char *zPath)
{
	st_sha256_job *j = calloc(1, sizeof *j);
	if (!j || !(j->zPath = strdup(zPath))) {
		free(j);
		return NULL;
	}
	atomic_init(&j->done, 0);
	if (pthread_create(&j->th, NULL, job_main, j)) {
		free(j->zPath);
		free(j);
		return NULL;
	}
	return j;
}

int st_sha256_ready(st_sha256_job *j)
{
	return atomic_load_explicit(&j->done, memory_order_acquire);
}

st_status st_sha256_finish(st_sha256_job *j, char zHex[65], uint64_t *pSize,
                           char *zErr, size_t nErr)
{
	pthread_join(j->th, NULL);
	st_status rc = j->rc;
	memcpy(zHex, j->zHex, sizeof j->zHex);
	if (pSize)
		*pSize = j->size;
	if (rc != ST_OK)
		snprintf(zErr, nErr, "%s", j->zErr);
	free(j->zPath);
	free(j);
	return rc;
}
