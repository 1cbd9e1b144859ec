/* Line source: raw bytes come from a file descriptor or a memory block,
 * pass through zlib or libzstd when the first bytes carry their magic, and
 * land in one buffer of nBuf + nMaxLine bytes. A line is returned as a
 * pointer into that buffer; only the unfinished tail of the buffer is moved
 * to the front on a refill, and newlines are found 64 bytes at a time
 * into a bit mask from which lines are handed out. A plain
 * regular file is mapped instead, and its lines point into the mapping. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "io/lines.h"

#define RAW_BUF (256u * 1024u) /* compressed bytes per read */
#define MAP_RELEASE (4u << 20)   /* mapped bytes read before dropping them */

struct st__lines {
	int fd;                     /* -1 for a memory source */
	bool ownFd;
	bool mayBlock;              /* fd is a pipe, terminal or socket */
	void (*xIdle)(void *);
	void *pIdleCtx;
	const unsigned char *pMem;  /* memory source */
	size_t nMem, iMem;
	st_compression comp;
	unsigned char *aRaw;        /* compressed input (gzip, zstd only) */
	size_t nRaw, iRaw;
	bool rawEof;
	z_stream z;
	bool zInit;
	bool zEnd;                  /* last gzip member ended cleanly */
	ZSTD_DStream *pZstd;
	size_t zstdHint;            /* 0 when the last zstd frame is flushed */
	char *aBuf;                 /* decompressed data */
	bool bBorrowed;             /* aBuf is the caller's memory block or
	                               the file's mapping */
	size_t nMap;                /* bytes mapped at aBuf, 0 when not mapped */
	size_t iRelease;            /* iStart at which to drop read pages */
	size_t iReleased;           /* mapped bytes before this are dropped */
	size_t nAlloc, iStart, nEnd;
	size_t nMaxLine;
	uint64_t nlMask;            /* bit k: aBuf[iScan - 64 + k] is an unread
	                               newline (only bits past iStart set) */
	size_t iScan;               /* bytes before this are scanned */
	bool eof;                   /* no more decompressed data will come */
	bool skipping;              /* discarding the rest of an overlong line */
	st_status errRc;            /* sticky: reported once the buffer is used up */
	uint64_t nLine;
	uint64_t nByte;
	char zName[256];
	char zErr[320];
};

static st_status fail(st__lines *p, const char *zWhat)
{
	snprintf(p->zErr, sizeof p->zErr, "%s: %s", p->zName, zWhat);
	p->errRc = ST_EIO;
	p->eof = true; /* nothing more will come */
	return ST_EIO;
}

/* Reads up to n raw bytes. Returns the count, 0 at end, -1 on error. */
static long raw_read(st__lines *p, void *dst, size_t n)
{
	if (p->fd < 0) {
		size_t k = p->nMem - p->iMem;
		if (k > n)
			k = n;
		memcpy(dst, p->pMem + p->iMem, k);
		p->iMem += k;
		return (long)k;
	}
	if (p->xIdle && p->mayBlock) {
		struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
		if (poll(&pfd, 1, 0) == 0)
			p->xIdle(p->pIdleCtx);
	}
	for (;;) {
		ssize_t k = read(p->fd, dst, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR)
			return -1;
	}
}

/* Tops up the compressed input buffer when it is empty. */
static st_status raw_fill(st__lines *p)
{
	if (p->iRaw < p->nRaw || p->rawEof)
		return ST_OK;
	long k = raw_read(p, p->aRaw, RAW_BUF);
	if (k < 0)
		return fail(p, strerror(errno));
	p->iRaw = 0;
	p->nRaw = (size_t)k;
	if (k == 0)
		p->rawEof = true;
	return ST_OK;
}

static st_status fill_gzip(st__lines *p, size_t room)
{
	size_t got = 0;
	while (got == 0) {
		st_status rc = raw_fill(p);
		if (rc)
			return rc;
		size_t nIn = p->nRaw - p->iRaw;
		if (p->zEnd) {
			if (nIn == 0) {
				p->eof = true;
				return ST_OK;
			}
			/* Concatenated members are one stream (RFC 1952 2.2), as
			 * gzip -d reads them; anything else after a member is not. */
			if (p->aRaw[p->iRaw] != 0x1f) {
				p->eof = true;
				return fail(p, "trailing garbage after gzip stream");
			}
			inflateReset(&p->z);
			p->zEnd = false;
		}
		p->z.next_in = p->aRaw + p->iRaw;
		p->z.avail_in = (uInt)nIn;
		p->z.next_out = (Bytef *)p->aBuf + p->nEnd;
		p->z.avail_out = (uInt)room;
		int zrc = inflate(&p->z, Z_NO_FLUSH);
		p->iRaw = p->nRaw - p->z.avail_in;
		got = room - p->z.avail_out;
		if (zrc == Z_STREAM_END) {
			p->zEnd = true;
		} else if (zrc == Z_BUF_ERROR && nIn == 0) {
			/* Input exhausted and nothing pending: the member never
			 * reached its trailer. */
			p->eof = true;
			p->nEnd += got;
			return fail(p, "truncated gzip stream");
		} else if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			p->eof = true;
			return fail(p, p->z.msg ? p->z.msg : "corrupt gzip data");
		}
	}
	p->nEnd += got;
	return ST_OK;
}

static st_status fill_zstd(st__lines *p, size_t room)
{
	ZSTD_outBuffer out = {p->aBuf + p->nEnd, room, 0};
	while (out.pos == 0) {
		st_status rc = raw_fill(p);
		if (rc)
			return rc;
		size_t nIn = p->nRaw - p->iRaw;
		if (nIn == 0 && p->zstdHint == 0) {
			/* Every frame so far is complete and flushed. */
			p->eof = true;
			return ST_OK;
		}
		ZSTD_inBuffer in = {p->aRaw, p->nRaw, p->iRaw};
		size_t zrc = ZSTD_decompressStream(p->pZstd, &out, &in);
		p->iRaw = in.pos;
		if (ZSTD_isError(zrc)) {
			p->eof = true;
			return fail(p, ZSTD_getErrorName(zrc));
		}
		p->zstdHint = zrc;
		if (out.pos == 0 && nIn == 0) {
			p->eof = true;
			return fail(p, "truncated zstd stream");
		}
	}
	p->nEnd += out.pos;
	return ST_OK;
}

static inline int ctz64(uint64_t m)
{
#if defined(__GNUC__)
	return __builtin_ctzll(m);
#else
	int k = 0;
	while (!(m & 1)) {
		m >>= 1;
		k++;
	}
	return k;
#endif
}

/* Newlines among the 64 bytes at z, as a mask (bit k for z[k]). Lines
 * are about 50 bytes, so finding each with memchr paid a call and its
 * setup per line; one scan per 64 bytes serves one or two lines. */
static inline uint64_t nl_mask64(const char *z)
{
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n');
	uint64_t m0 = (uint16_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)z), nl));
	uint64_t m1 = (uint16_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(z + 16)), nl));
	uint64_t m2 = (uint16_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(z + 32)), nl));
	uint64_t m3 = (uint16_t)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(z + 48)), nl));
	return m0 | m1 << 16 | m2 << 32 | m3 << 48;
#else
	/* A word at a time: a byte of w ^ "\n\n..." is zero exactly where
	 * the newlines are; the high bit of t marks those bytes, with no
	 * false hits (the carry-free form of the zero-byte test). */
	const uint64_t k7f = 0x7F7F7F7F7F7F7F7Full;
	uint64_t m = 0;
	int i, b;
	for (i = 0; i < 8; i++) {
		uint64_t w = 0, t;
		for (b = 0; b < 8; b++)
			w |= (uint64_t)(unsigned char)z[8 * i + b] << (8 * b);
		w ^= 0x0A0A0A0A0A0A0A0Aull;
		t = ~(((w & k7f) + k7f) | w | k7f);
		while (t) {
			int iBit = ctz64(t);
			m |= (uint64_t)1 << (8 * i + iBit / 8);
			t &= t - 1;
		}
	}
	return m;
#endif
}

/* The first unread newline at or after iStart, or NULL if there is none
 * before nEnd. The mask covers the 64 bytes before iScan; a block short
 * of 64 bytes at the end of the data is searched with memchr, and
 * scanned again once a refill has moved and extended the data. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *find_nl_tail(st__lines *p, size_t iAt)
{
	if (iAt >= p->nEnd) /* nothing left (and aBuf may be NULL when empty) */
		return NULL;
	const char *zNl = memchr(p->aBuf + iAt, '\n', p->nEnd - iAt);
	p->iScan = zNl ? (size_t)(zNl - p->aBuf) + 1 : p->nEnd;
	return (char *)zNl;
}

static inline char *find_nl(st__lines *p)
{
	while (p->nlMask == 0) {
		size_t iAt = p->iScan > p->iStart ? p->iScan : p->iStart;
		if (iAt + 64 > p->nEnd)
			return find_nl_tail(p, iAt);
		p->nlMask = nl_mask64(p->aBuf + iAt);
		p->iScan = iAt + 64;
	}
	int k = ctz64(p->nlMask);
	p->nlMask &= p->nlMask - 1;
	return p->aBuf + (p->iScan - 64 + (size_t)k);
}

/* Moves the unread tail to the front and appends more decompressed data. */
static st_status refill(st__lines *p)
{
	if (p->eof)
		return ST_OK;
	if (p->iStart > 0) {
		memmove(p->aBuf, p->aBuf + p->iStart, p->nEnd - p->iStart);
		p->nEnd -= p->iStart;
		p->iStart = 0;
		p->nlMask = 0; /* its positions moved: scan again from the start */
		p->iScan = 0;
	}
	size_t room = p->nAlloc - p->nEnd;
	if (room == 0)
		return ST_OK;
	size_t before = p->nEnd;
	st_status rc = ST_OK;
	if (p->comp == ST_COMP_GZIP)
		rc = fill_gzip(p, room);
	else if (p->comp == ST_COMP_ZSTD)
		rc = fill_zstd(p, room);
	else {
		long k = raw_read(p, p->aBuf + p->nEnd, room);
		if (k < 0) {
			p->eof = true;
			return fail(p, strerror(errno));
		}
		if (k == 0)
			p->eof = true;
		p->nEnd += (size_t)k;
	}
	p->nByte += p->nEnd - before;
	return rc;
}

/* The pages of a mapped file already read are dropped from this process
 * (the page cache keeps them), so memory stays bounded as with read(2).
 * Only lines before the one being returned are dropped; a dropped page
 * read again would come back from the file, so this is never unsafe. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void release_mapped(st__lines *p)
{
	size_t nPage = (size_t)sysconf(_SC_PAGESIZE);
	size_t iEnd = (p->iStart - MAP_RELEASE / 2) / nPage * nPage;
	if (iEnd > p->iReleased) {
		madvise(p->aBuf + p->iReleased, iEnd - p->iReleased, MADV_DONTNEED);
		p->iReleased = iEnd;
	}
	p->iRelease = p->iStart + MAP_RELEASE;
}

/* A plain regular file is mapped rather than read: lines then point into
 * the page cache, which saves copying every byte through read(2), the
 * largest single cost of the line source. Compressed files, empty or
 * special files (whose size says nothing), and a caller's own buffer size
 * take the read path. Returns true when the file is mapped. */
static bool try_map(st__lines *p, const struct stat *pSt)
{
	if (!S_ISREG(pSt->st_mode) || pSt->st_size <= 0 ||
	    (uint64_t)pSt->st_size > (uint64_t)SIZE_MAX / 2)
		return false;
	size_t n = (size_t)pSt->st_size;
	void *pMap = mmap(NULL, n, PROT_READ, MAP_PRIVATE, p->fd, 0);
	if (pMap == MAP_FAILED)
		return false;
	const unsigned char *a = pMap;
	if ((n >= 2 && a[0] == 0x1f && a[1] == 0x8b) ||
	    (n >= 4 && a[0] == 0x28 && a[1] == 0xb5 && a[2] == 0x2f && a[3] == 0xfd)) {
		munmap(pMap, n);
		return false;
	}
	madvise(pMap, n, MADV_SEQUENTIAL);
	free(p->aBuf);
	p->aBuf = pMap;
	p->bBorrowed = true;
	p->nMap = n;
	p->iRelease = MAP_RELEASE;
	p->nAlloc = n;
	p->nEnd = n;
	p->nByte = n;
	p->eof = true;
	return true;
}

/* Reads the first bytes, recognises the compression by its magic number
 * and sets up the decompressor. */
static st_status start(st__lines *p)
{
	unsigned char aHead[4];
	size_t nHead = 0;
	while (nHead < sizeof aHead) {
		long k = raw_read(p, aHead + nHead, sizeof aHead - nHead);
		if (k < 0)
			return fail(p, strerror(errno));
		if (k == 0)
			break;
		nHead += (size_t)k;
	}
	if (nHead >= 2 && aHead[0] == 0x1f && aHead[1] == 0x8b)
		p->comp = ST_COMP_GZIP;
	else if (nHead == 4 && aHead[0] == 0x28 && aHead[1] == 0xb5 &&
	         aHead[2] == 0x2f && aHead[3] == 0xfd)
		p->comp = ST_COMP_ZSTD;
	if (p->comp == ST_COMP_NONE) {
		memcpy(p->aBuf, aHead, nHead);
		p->nEnd = nHead;
		p->nByte = nHead;
		if (nHead < sizeof aHead)
			p->eof = true;
		return ST_OK;
	}
	p->aRaw = malloc(RAW_BUF);
	if (!p->aRaw)
		return ST_ENOMEM;
	memcpy(p->aRaw, aHead, nHead);
	p->nRaw = nHead;
	if (p->comp == ST_COMP_GZIP) {
		if (inflateInit2(&p->z, 15 + 16) != Z_OK)
			return ST_ENOMEM;
		p->zInit = true;
		p->zEnd = false;
	} else {
		p->pZstd = ZSTD_createDStream();
		if (!p->pZstd)
			return ST_ENOMEM;
		ZSTD_initDStream(p->pZstd);
		p->zstdHint = 1;
	}
	return ST_OK;
}

static st_status make(st__lines **pp, const char *zName, size_t nBuf,
                      size_t nMaxLine, char *zErr, size_t nErr)
{
	*pp = NULL;
	st__lines *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(zErr, nErr, "%s: out of memory", zName);
		return ST_ENOMEM;
	}
	p->fd = -1;
	p->iRelease = SIZE_MAX;
	p->nMaxLine = nMaxLine ? nMaxLine : ST__LINES_MAX_LINE;
	p->nAlloc = (nBuf ? nBuf : ST__LINES_BUF) + p->nMaxLine + 1;
	p->aBuf = malloc(p->nAlloc);
	if (!p->aBuf) {
		free(p);
		snprintf(zErr, nErr, "%s: out of memory", zName);
		return ST_ENOMEM;
	}
	snprintf(p->zName, sizeof p->zName, "%s", zName);
	*pp = p;
	return ST_OK;
}

static st_status finish_open(st__lines **pp, char *zErr, size_t nErr)
{
	st_status rc = start(*pp);
	if (rc) {
		if (rc == ST_ENOMEM)
			snprintf(zErr, nErr, "%s: out of memory", (*pp)->zName);
		else
			snprintf(zErr, nErr, "%s", (*pp)->zErr);
		st__lines_close(*pp);
		*pp = NULL;
	}
	return rc;
}

st_status st__lines_open(st__lines **pp, const char *zPath, size_t nBuf,
                         size_t nMaxLine, char *zErr, size_t nErr)
{
	bool isStdin = !strcmp(zPath, "-");
	st_status rc = make(pp, isStdin ? "<stdin>" : zPath, nBuf, nMaxLine, zErr, nErr);
	if (rc)
		return rc;
	st__lines *p = *pp;
	struct stat st;
	if (isStdin) {
		p->fd = 0;
		p->mayBlock = fstat(0, &st) != 0 || !S_ISREG(st.st_mode);
	} else {
		p->fd = open(zPath, O_RDONLY);
		if (p->fd < 0) {
			snprintf(zErr, nErr, "%s: cannot open: %s", zPath, strerror(errno));
			st__lines_close(p);
			*pp = NULL;
			return ST_EIO;
		}
		p->ownFd = true;
		if (fstat(p->fd, &st) != 0)
			st.st_mode = 0;
		p->mayBlock = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
		if (S_ISDIR(st.st_mode)) {
			snprintf(zErr, nErr, "%s: cannot read: is a directory", zPath);
			st__lines_close(p);
			*pp = NULL;
			return ST_EIO;
		}
		if (nBuf == 0 && try_map(p, &st))
			return ST_OK;
#ifdef POSIX_FADV_SEQUENTIAL
		posix_fadvise(p->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	return finish_open(pp, zErr, nErr);
}

st_status st__lines_open_mem(st__lines **pp, const void *pData, size_t n,
                             const char *zName, size_t nBuf, size_t nMaxLine,
                             char *zErr, size_t nErr)
{
	st_status rc = make(pp, zName ? zName : "<memory>", nBuf, nMaxLine, zErr, nErr);
	if (rc)
		return rc;
	st__lines *p = *pp;
	const unsigned char *a = pData;
	bool bGzip = n >= 2 && a[0] == 0x1f && a[1] == 0x8b;
	bool bZstd = n >= 4 && a[0] == 0x28 && a[1] == 0xb5 && a[2] == 0x2f && a[3] == 0xfd;
	if (nBuf == 0 && !bGzip && !bZstd) {
		/* Plain text already in memory: lines point straight into it.
		 * Nothing writes to the buffer once eof is set, so borrowing
		 * the caller's const bytes is safe. */
		free(p->aBuf);
		p->aBuf = (char *)(uintptr_t)pData;
		p->bBorrowed = true;
		p->nAlloc = n;
		p->nEnd = n;
		p->nByte = n;
		p->eof = true;
		return ST_OK;
	}
	p->pMem = pData;
	p->nMem = n;
	return finish_open(pp, zErr, nErr);
}

/* Everything but the common case of st__lines_next(): the last line
 * without a newline, overlong lines, refills and the end. Kept out of line
 * so that the common case saves no registers it does not use. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static st_status next_slow(st__lines *p, const char **pzLine, size_t *pnLine)
{
	for (;;) {
		char *z = p->aBuf + p->iStart;
		size_t nAvail = p->nEnd - p->iStart;
		char *zNl = find_nl(p);
		if (p->skipping) {
			/* The overlong line was already reported; drop its rest. */
			if (zNl) {
				p->iStart += (size_t)(zNl - z) + 1;
				p->skipping = false;
				continue;
			}
			p->iStart = p->nEnd;
		} else if (zNl || (p->eof && nAvail)) {
			size_t n = zNl ? (size_t)(zNl - z) : nAvail;
			p->iStart += zNl ? n + 1 : n;
			p->nLine++;
			if (p->iStart >= p->iRelease)
				release_mapped(p);
			if (n && z[n - 1] == '\r')
				n--;
			*pzLine = z;
			if (n > p->nMaxLine) {
				*pnLine = p->nMaxLine;
				return ST_ETOOLONG;
			}
			*pnLine = n;
			return ST_OK;
		} else if (nAvail > p->nMaxLine + 1) {
			/* No end in sight within the bound (and a CR): report what we have and
			 * skip to the next newline. The bytes stay in place until the
			 * next call, so the pointer handed out is valid. */
			p->iStart = p->nEnd;
			p->skipping = true;
			p->nLine++;
			*pzLine = z;
			*pnLine = p->nMaxLine;
			return ST_ETOOLONG;
		}
		if (p->eof)
			return p->errRc ? p->errRc : ST_ENOTFOUND;
		/* A failed refill sets eof: the lines already decompressed are
		 * still handed out, and the error comes after them. */
		refill(p);
	}
}

st_status st__lines_next(st__lines *p, const char **pzLine, size_t *pnLine)
{
	char *zNl;
	if (!p->skipping && (zNl = find_nl(p)) != NULL) {
		char *z = p->aBuf + p->iStart;
		size_t n = (size_t)(zNl - z);
		p->iStart += n + 1;
		p->nLine++;
		if (p->iStart >= p->iRelease)
			release_mapped(p);
		if (n && z[n - 1] == '\r')
			n--;
		*pzLine = z;
		if (n > p->nMaxLine) {
			*pnLine = p->nMaxLine;
			return ST_ETOOLONG;
		}
		*pnLine = n;
		return ST_OK;
	}
	return next_slow(p, pzLine, pnLine);
}

st_status st__lines_peek(st__lines *p, size_t nWant, const char **pz, size_t *pn)
{
	if (!p->bBorrowed && nWant > p->nAlloc - p->nMaxLine - 1)
		nWant = p->nAlloc - p->nMaxLine - 1;
	/* An error here is kept for st__lines_next, after the good data. A
	 * live feed is not waited on once a whole line is in hand. */
	while (p->nEnd - p->iStart < nWant && !p->eof) {
		if (p->mayBlock && memchr(p->aBuf + p->iStart, '\n', p->nEnd - p->iStart)) {
			struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
			if (poll(&pfd, 1, 0) == 0)
				break;
		}
		refill(p);
	}
	*pz = p->aBuf + p->iStart;
	*pn = p->nEnd - p->iStart;
	return ST_OK;
}

void st__lines_set_idle(st__lines *p, void (*xIdle)(void *), void *pCtx)
{
	p->xIdle = xIdle;
	p->pIdleCtx = pCtx;
}

uint64_t st__lines_lineno(const st__lines *p) { return p->nLine; }
uint64_t st__lines_bytes(const st__lines *p) { return p->nByte; }
st_compression st__lines_compression(const st__lines *p) { return p->comp; }
const char *st__lines_name(const st__lines *p) { return p->zName; }
const char *st__lines_errmsg(const st__lines *p) { return p->zErr; }

void st__lines_close(st__lines *p)
{
	if (!p)
		return;
	if (p->ownFd && p->fd >= 0)
		close(p->fd);
	if (p->zInit)
		inflateEnd(&p->z);
	if (p->pZstd)
		ZSTD_freeDStream(p->pZstd);
	free(p->aRaw);
	if (p->nMap)
		munmap(p->aBuf, p->nMap);
	else if (!p->bBorrowed)
		free(p->aBuf);
	free(p);
}
