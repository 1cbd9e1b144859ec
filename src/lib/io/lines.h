/* A streaming line source over a file, stdin or a memory block, shared by
 * every reader. Compression (gzip, zstd or none) is detected from the first
 * bytes, never from the file name, so pipes and misnamed files work. Lines
 * are handed out as pointers into one large buffer, without a copy and
 * without their CR/LF (for a plain regular file, pointers into its
 * mapping); a line longer than the bound is reported and skipped, so memory
 * stays bounded whatever the input. */
#ifndef ST_IO_LINES_H
#define ST_IO_LINES_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/reader.h"

#define ST__LINES_BUF (1u << 20)     /* decompressed bytes per refill */
#define ST__LINES_MAX_LINE 65536u    /* default bound on one line */

typedef struct st__lines st__lines;

/* Opens zPath ("-" for standard input). nBuf and nMaxLine of 0 take the
 * defaults; tests pass small values to exercise the refill paths. On error
 * returns a negative status with a message naming the file in zErr. */
st_status st__lines_open(st__lines **ppLines, const char *zPath, size_t nBuf,
                         size_t nMaxLine, char *zErr, size_t nErr);

/* The same over n bytes at p, which must outlive the source; zName is used
 * in messages. Compression is detected as for files. Plain text with the
 * default buffer (nBuf 0) is not copied: lines point into p. */
st_status st__lines_open_mem(st__lines **ppLines, const void *p, size_t n,
                             const char *zName, size_t nBuf, size_t nMaxLine,
                             char *zErr, size_t nErr);

/* Next line. Returns ST_OK with *pzLine and *pnLine set (valid until the next
 * call; no terminator, CR stripped); ST_ETOOLONG for a line longer than the
 * bound, with its first nMaxLine bytes, after which reading goes on at the
 * following line; ST_ENOTFOUND at the end; ST_EIO on a read or
 * decompression error (message from st__lines_errmsg). Each ST_OK or
 * ST_ETOOLONG counts one line. */
st_status st__lines_next(st__lines *p, const char **pzLine, size_t *pnLine);

/* Makes up to nWant bytes of decompressed input visible at *pz without
 * consuming them, for format detection. *pn may be less at end of input,
 * or when a pipe has no more for now and at least one line is there. */
st_status st__lines_peek(st__lines *p, size_t nWant, const char **pz, size_t *pn);

/* xIdle(pCtx) is called before a read that would block on a pipe,
 * terminal or socket (never for regular files or memory). */
void st__lines_set_idle(st__lines *p, void (*xIdle)(void *), void *pCtx);

uint64_t st__lines_lineno(const st__lines *p);   /* lines returned so far */
uint64_t st__lines_bytes(const st__lines *p);    /* decompressed bytes read */
st_compression st__lines_compression(const st__lines *p);
const char *st__lines_name(const st__lines *p);  /* file name, "<stdin>" */
const char *st__lines_errmsg(const st__lines *p);
void st__lines_close(st__lines *p);

#endif
