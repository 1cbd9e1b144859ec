/* `shiptrace trace CASE [--config FILE] [--set key=value ...]`: cargo
 * provenance. Ties the shipment records in the case to the vessel arrivals
 * before them (after `shiptrace analyze`), writes the provenance tables and
 * prints the findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "shiptrace/trace.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: shiptrace trace CASE [--config FILE] [--set key=value ...]\n"
	        "\nTies shipment records (ingest --kind records) to the qualifying vessel\n"
	        "arrivals before them (analyze first) and writes attributions, flows,\n"
	        "site_summary, monthly, lags and findings. Parameters (section [provenance]\n"
	        "of the config file, or --set), see docs/provenance.md:\n"
	        "  origin_ports, cargo_match, cargo_label, window_days,\n"
	        "  require_cargo_capable, require_port_of_concern,\n"
	        "  exclude_last_port_countries, permutations, seed, shell_kg,\n"
	        "  container_t, facility_radius_km\n");
}

int st_cmd_trace(int argc, char **argv)
{
	st_prov_params p;
	st_prov_params_default(&p);
	const char *zCase = NULL;
	char zErr[1024];
	/* the config file first, so --set overrides it wherever it stands */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config")) {
			if (++i >= argc) {
				fprintf(stderr, "shiptrace trace: --config needs a file\n");
				return 2;
			}
			if (st_prov_params_load(&p, argv[i], zErr, sizeof zErr) != ST_OK) {
				fprintf(stderr, "shiptrace trace: %s\n", zErr);
				return 2;
			}
		} else if (!strcmp(argv[i], "--set")) {
			i++;
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *z = argv[i];
		if (!strcmp(z, "--help") || !strcmp(z, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(z, "--config")) {
			i++;
		} else if (!strcmp(z, "--set")) {
			if (++i >= argc || !strchr(argv[i], '=')) {
				fprintf(stderr, "shiptrace trace: --set needs key=value\n");
				return 2;
			}
			char zKey[128];
			const char *zEq = strchr(argv[i], '=');
			snprintf(zKey, sizeof zKey, "%.*s", (int)(zEq - argv[i]), argv[i]);
			if (st_prov_params_set(&p, zKey, zEq + 1, zErr, sizeof zErr) != ST_OK) {
				fprintf(stderr, "shiptrace trace: --set %s\n", zErr);
				return 2;
			}
		} else if (z[0] == '-' && z[1]) {
			fprintf(stderr, "shiptrace trace: unknown option '%s'\n", z);
			usage(stderr);
			return 2;
		} else if (!zCase) {
			zCase = z;
		} else {
			fprintf(stderr, "shiptrace trace: one CASE only ('%s')\n", z);
			return 2;
		}
	}
	if (!zCase) {
		usage(stderr);
		return 2;
	}
	st_store *s = NULL;
	if (st_store_open(&s, zCase, 0, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "shiptrace trace: %s\n", zErr);
		return 2;
	}
	char *zParams = st_prov_params_json(&p);
	st_trace_result *res = malloc(sizeof *res);
	if (!zParams || !res) {
		fprintf(stderr, "shiptrace trace: out of memory\n");
		free(zParams);
		free(res);
		st_store_close(s);
		return 2;
	}
	st_status rc = st_trace_run(s, &p, zParams, res, zErr, sizeof zErr);
	free(zParams);
	st_store_close(s);
	char zName[1024];
	zCase = st_store_display_name(zCase, zName, sizeof zName);
	if (rc != ST_OK) {
		fprintf(stderr, "shiptrace trace: %s: %s\n", zCase, zErr);
		free(res);
		return 1;
	}
	printf("trace %s: %zu records, %zu %s (%zu at the origin ports, %.1f t), "
	       "%zu arrivals at the origin ports (%zu qualifying)\n",
	       zCase, res->nRecord, res->nSelected, p.zCargoLabel, res->nAtOrigin,
	       res->tonnes_selected, res->nArrival, res->nQualifying);
	printf("  attributed %zu records, %.1f t; %zu sites, %zu near a facility; "
	       "permutation test: %d shifts, %d at least as good, p = %.4f\n",
	       res->nAttributed, res->tonnes_attributed, res->nSite, res->nSiteNearFacility,
	       res->perm.nShift, res->perm.nAtLeast, res->perm.p_value);
	printf("\nfindings (suspected; confidence; evidence in the case tables):\n");
	for (int i = 0; i < res->nFinding; i++)
		printf("  [%s] %s\n", st_confidence_name(res->aFinding[i].conf),
		       res->aFinding[i].zText);
	if (res->nUnresolvedTotal) {
		fprintf(stderr, "\n%zu place names did not resolve (add them with ingest "
		        "--kind places):\n", res->nUnresolvedTotal);
		for (int i = 0; i < res->nUnresolved; i++)
			fprintf(stderr, "  %s\n", res->azUnresolved[i]);
	}
	free(res);
	return 0;
}
