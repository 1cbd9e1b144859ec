/* `shiptrace simulate SCENARIO.json -o DIR [--seed N] [--scale K] [--itu]`:
 * writes a simulated case (AIS, shipment records, places, facilities,
 * ground truth) from a scenario file, and prints what it wrote. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "shiptrace/sim.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace simulate SCENARIO.json -o DIR [--seed N] [--scale K] [--itu]\n"
	        "                          [--no-background-truth]\n"
	        "  -o DIR        output directory (created): ais.nmea, records.csv,\n"
	        "                records.map.json, places.csv, facilities.csv, ground_truth.json\n"
	        "  --seed N      override the scenario's seed (same seed, same bytes)\n"
	        "  --scale K     multiply background traffic by K (K > 0, may be fractional)\n"
	        "  --itu         true ITU-R M.1371 reporting intervals, whatever the scenario says\n"
	        "  --no-background-truth  leave background vessels' visits and voyages out\n"
	        "                of ground_truth.json (for very large --scale runs)\n"
	        "Everything written is SIMULATED and labelled so. See docs/simulator.md.\n");
}

int st_cmd_simulate(int argc, char **argv)
{
	st_sim_opts o;
	const char *zScenario = NULL;
	memset(&o, 0, sizeof o);
	o.scale = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			o.zOutDir = argv[++i];
		} else if (!strcmp(a, "--seed") && i + 1 < argc) {
			char *zEnd;
			errno = 0;
			o.seed = strtoull(argv[++i], &zEnd, 10);
			if (errno || *zEnd || argv[i][0] == '-') {
				fprintf(stderr, "shiptrace simulate: bad --seed '%s'\n", argv[i]);
				return 2;
			}
			o.seedSet = true;
		} else if (!strcmp(a, "--scale") && i + 1 < argc) {
			char *zEnd;
			o.scale = strtod(argv[++i], &zEnd);
			if (*zEnd || !(o.scale > 0) || o.scale > 1e6) {
				fprintf(stderr, "shiptrace simulate: bad --scale '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(a, "--itu")) {
			o.itu = true;
		} else if (!strcmp(a, "--no-background-truth")) {
			o.noTruthDetail = true;
		} else if (a[0] == '-' || zScenario) {
			fprintf(stderr, "shiptrace simulate: unexpected argument '%s'\n", a);
			usage(stderr);
			return 2;
		} else {
			zScenario = a;
		}
	}
	if (!zScenario || !o.zOutDir) {
		usage(stderr);
		return 2;
	}
	st_sim_stats s;
	char zErr[512];
	st_status rc = st_sim_run(zScenario, &o, &s, zErr, sizeof zErr);
	if (rc != ST_OK) {
		fprintf(stderr, "shiptrace simulate: %s\n", zErr[0] ? zErr : st_strerror(rc));
		return 1;
	}
	printf("SIMULATED case written to %s\n", o.zOutDir);
	printf("  vessels              %llu\n", (unsigned long long)s.nVessel);
	printf("  position reports     %llu (not sent while dark: %llu, lost: %llu)\n",
	       (unsigned long long)s.nPosition, (unsigned long long)s.nDark, (unsigned long long)s.nLost);
	printf("  static reports       %llu\n", (unsigned long long)s.nStatic);
	printf("  NMEA sentences       %llu\n", (unsigned long long)s.nSentence);
	printf("  shuttle deliveries   %llu (dark at the port of concern: %llu)\n",
	       (unsigned long long)s.nDelivery, (unsigned long long)s.nDeliveryDark);
	printf("  shipment records     %llu (explosives: %llu, %.1f t to %u sites; unexplained: %llu)\n",
	       (unsigned long long)s.nRecord, (unsigned long long)s.nExplosive, s.explosivesKg / 1000.0,
	       s.nSite, (unsigned long long)s.nUnexplained);
	return 0;
}
