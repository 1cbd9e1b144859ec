/* `shiptrace report CASE -o report.html [--title T] [--simulated]`: the
 * self-contained HTML report of a traced case. The file is written under a
 * temporary name and renamed, so a failed run leaves no half report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include "cli.h"
#include "shiptrace/report.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: shiptrace report CASE -o report.html [--title TEXT] [--simulated]\n"
	           "\nWrites one self-contained HTML file (no network needed to read it) with the\n"
	           "findings, maps, timeline, lag histogram, vessel cards, sites, and the sources\n"
	           "and parameters that reproduce the case. Run analyze and trace first.\n");
}

int st_cmd_report(int argc, char **argv)
{
	const char *zCase = NULL, *zOut = NULL;
	st_report_opts o = {0};
	for (int i = 1; i < argc; i++) {
		const char *z = argv[i];
		if (!strcmp(z, "--help") || !strcmp(z, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(z, "-o") || !strcmp(z, "--output")) {
			if (++i >= argc) {
				fprintf(stderr, "shiptrace report: -o needs a file\n");
				return 2;
			}
			zOut = argv[i];
		} else if (!strcmp(z, "--title")) {
			if (++i >= argc) {
				fprintf(stderr, "shiptrace report: --title needs text\n");
				return 2;
			}
			o.zTitle = argv[i];
		} else if (!strcmp(z, "--simulated")) {
			o.simulated = 1;
		} else if (z[0] == '-' && z[1]) {
			fprintf(stderr, "shiptrace report: unknown option '%s'\n", z);
			usage(stderr);
			return 2;
		} else if (!zCase) {
			zCase = z;
		} else {
			fprintf(stderr, "shiptrace report: one CASE only ('%s')\n", z);
			return 2;
		}
	}
	if (!zCase || !zOut) {
		usage(stderr);
		return 2;
	}
	char zName[1024];
	o.zCaseName = st_store_display_name(zCase, zName, sizeof zName);
	char zErr[1024];
	st_store *s = NULL;
	if (st_store_open(&s, zCase, 0, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace report: %s\n", zErr);
		return 2;
	}
	char zTmp[4096];
	snprintf(zTmp, sizeof zTmp, "%s.tmp-%ld", zOut, (long)getpid());
	FILE *f = fopen(zTmp, "wb");
	if (!f) {
		fprintf(stderr, "shiptrace report: cannot write %s\n", zOut);
		st_store_close(s);
		return 2;
	}
	st_status rc = st_report_write(s, f, &o, zErr, sizeof zErr);
	st_store_close(s);
	if (fclose(f) != 0 && rc == ST_OK) {
		rc = ST_EIO;
		snprintf(zErr, sizeof zErr, "write error");
	}
	if (rc != ST_OK || rename(zTmp, zOut) != 0) {
		remove(zTmp);
		if (rc != ST_OK)
			fprintf(stderr, "shiptrace report: %s: %s\n", zName, zErr);
		else
			fprintf(stderr, "shiptrace report: cannot write %s: %s\n", zOut, strerror(errno));
		return 1;
	}
	fprintf(stderr, "report: %s (open it in a browser; it prints to PDF)\n", zOut);
	return 0;
}
