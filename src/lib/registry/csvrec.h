/* Internal: RFC 4180 records out of a buffer held in memory (lists and
 * tables are small enough to read whole), with the line each record starts
 * on, so every reader in registry/ can name the file and line of a bad row.
 * A record is bounded in length and in the number of lines a quoted field
 * may span, so one stray quote cannot swallow the rest of a file. */
#ifndef SHIPTRACE_REGISTRY_CSVREC_H
#define SHIPTRACE_REGISTRY_CSVREC_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"

#define ST__CSV_MAX_FIELDS 256
#define ST__CSV_MAX_RECORD (1u << 20)  /* bytes of one record */
#define ST__CSV_MAX_SPAN 64            /* lines one quoted field may span */

typedef struct st__csvrec {
	const char *zBuf;      /* whole input, UTF-8 */
	size_t nBuf;
	size_t pos;            /* next byte to read */
	uint64_t line;         /* line the next record starts on (1-based) */
	char delim;
	/* current record */
	uint64_t recLine;      /* line the record started on */
	uint64_t recLines;     /* physical lines it took */
	char *zRec;            /* unquoted fields, each NUL-terminated */
	size_t nRecCap;
	int nField;
	const char *azField[ST__CSV_MAX_FIELDS];
	size_t anField[ST__CSV_MAX_FIELDS];
	const char *zRaw;      /* the record's raw text, for messages */
	size_t nRaw;
} st__csvrec;

void st__csvrec_init(st__csvrec *c, const char *zBuf, size_t nBuf, char delim);
void st__csvrec_free(st__csvrec *c);

/* Next record: ST_OK, ST_ENOTFOUND at the end, ST_ENOMEM, or a per-record
 * error (ST_EMALFORMED: unterminated quote; ST_ETOOLONG: too long or too
 * many fields) after which reading resumes on the line after the start of
 * the bad record, so one bad row costs one line. */
st_status st__csvrec_next(st__csvrec *c);

/* Reads a whole file into memory (at most nMax bytes), as UTF-8: a UTF-8 BOM
 * is dropped and latin-1 input is converted when zEncoding says so
 * ("latin-1", "latin1", "iso-8859-1", "cp1252", "windows-1252"; NULL or
 * "utf-8" keeps the bytes). *pzOut is malloc'd and NUL-terminated; the
 * caller frees it. */
st_status st__read_file(const char *zPath, const char *zEncoding, size_t nMax,
                        char **pzOut, size_t *pnOut, char *zErr, size_t nErr);

/* Case-insensitive ASCII compare of a field with a NUL-terminated word. */
int st__field_is(const char *z, size_t n, const char *zWord);

#endif
