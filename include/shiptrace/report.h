/* The case report: one self-contained HTML file (inline SVG and CSS, no
 * script, no network) that an editor or a panel member reads and prints:
 * findings with confidence and evidence, maps, a timeline, the lag
 * histogram and permutation test, vessel cards, a site table, and the
 * sources and parameters that reproduce it. It reads the store only. */
#ifndef SHIPTRACE_REPORT_H
#define SHIPTRACE_REPORT_H

#include <stdio.h>
#include "shiptrace/store.h"

typedef struct st_report_opts {
	const char *zTitle;     /* NULL: a title from the case */
	const char *zCaseName;  /* shown as the case file */
	int simulated;          /* label as simulated even if no source says so */
} st_report_opts;

/* Writes the report to out. Returns ST_OK, or an error with zErr set
 * (e.g. the case has not been traced). */
st_status st_report_write(st_store *s, FILE *out, const st_report_opts *o,
                          char *zErr, size_t nErr);

#endif
