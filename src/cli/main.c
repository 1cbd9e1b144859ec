/* `shiptrace COMMAND [ARGS]`: dispatch to one file per command. Commands
 * are declared weak so that the table lists every command of the design
 * while a build only offers those whose file is present. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

#define ST_WEAK __attribute__((weak))
ST_WEAK int st_cmd_decode(int argc, char **argv);
ST_WEAK int st_cmd_ingest(int argc, char **argv);
ST_WEAK int st_cmd_info(int argc, char **argv);
ST_WEAK int st_cmd_analyze(int argc, char **argv);
ST_WEAK int st_cmd_screen(int argc, char **argv);
ST_WEAK int st_cmd_trace(int argc, char **argv);
ST_WEAK int st_cmd_simulate(int argc, char **argv);
ST_WEAK int st_cmd_report(int argc, char **argv);

static const struct {
	const char *zName;
	int (*xCmd)(int, char **);
	const char *zHelp;
} aCmd[] = {
	{"decode", st_cmd_decode, "decode AIS (NMEA, CSV) to JSON lines or CSV"},
	{"ingest", st_cmd_ingest, "load files into a case (GeoPackage or PostGIS)"},
	{"info", st_cmd_info, "summarise a case"},
	{"analyze", st_cmd_analyze, "segments, port calls, voyages, gaps, encounters, loitering"},
	{"screen", st_cmd_screen, "screen vessels against sanctions lists; risk indicators"},
	{"trace", st_cmd_trace, "cargo provenance: tie shipment records to arrivals"},
	{"simulate", st_cmd_simulate, "write a simulated case from a scenario"},
	{"report", st_cmd_report, "write a self-contained HTML report of a case"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: shiptrace COMMAND [ARGS]   (shiptrace COMMAND --help)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof aCmd / sizeof aCmd[0]; i++)
		if (aCmd[i].xCmd)
			fprintf(f, "  %-9s %s\n", aCmd[i].zName, aCmd[i].zHelp);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("shiptrace %s\n", ST_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof aCmd / sizeof aCmd[0]; i++)
		if (aCmd[i].xCmd && !strcmp(argv[1], aCmd[i].zName))
			return aCmd[i].xCmd(argc - 1, argv + 1);
	fprintf(stderr, "shiptrace: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
