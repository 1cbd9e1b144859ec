/* The kinds of input `shiptrace ingest` loads into a case. AIS is built
 * in; a later stage adds its kind by defining the handler declared weak in
 * cmd_ingest.c (st_ingest_kind_<kind>) in its own src/cli file, and the
 * kind becomes available without touching the dispatcher. */
#ifndef SHIPTRACE_INGEST_H
#define SHIPTRACE_INGEST_H

#include "shiptrace/store.h"

typedef struct st_ingest_opts {
	const char *zKind;        /* "ais", "list", ... */
	const char *zMap;         /* --map, or NULL */
	const char *zInputFormat; /* --input-format, or NULL */
	int quietRejects;         /* --quiet-rejects */
	const char *zListName;    /* --list-name, or NULL */
} st_ingest_opts;

/* Checks before the case is touched that zPath can be ingested (readable,
 * in a known format). Returns 0, or non-zero after printing why. */
typedef int (*st_ingest_check_fn)(const char *zPath, const st_ingest_opts *o);

/* Loads one file into the case as one transaction, recording it in
 * `sources` with src (name, size, SHA-256 already filled). Returns 0 on
 * success, non-zero after printing why (and rolling the file back). */
typedef int (*st_ingest_file_fn)(st_store *pCase, const char *zPath,
                                 st_source_info *src,
                                 const st_ingest_opts *o);

#endif
