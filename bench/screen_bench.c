/* Benchmark driver for screening: the real OFAC SDN list topped up with
 * made-up vessel entries to M entries, and N made-up vessel identities of
 * which a fixed share carries a listed IMO, a listed MMSI, or only a listed
 * name; times the index build and st_screen (best of R runs, one core) and
 * prints key=value lines for bench/screen.sh. With an output directory it
 * also writes the same identities and entries as CSV (IMO, MMSI, normalised
 * name) so the script can time the same matching done as an SQL join.
 *
 * Made-up identities: vessel k has MMSI 200000000 + k and, for k % 200 == 0,
 * a listed vessel's IMO; for k % 200 == 1 a listed vessel's MMSI (no IMO);
 * for k % 100 == 2 a listed vessel's name (no IMO); otherwise an IMO-like
 * number outside the lists and the name "BENCH k". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "shiptrace/registry.h"
#include "shiptrace/sanctions.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The k-th 7-digit number with a valid IMO check digit from base. */
static uint32_t make_imo(uint32_t six)
{
	uint32_t d[6], v = six;
	for (int i = 5; i >= 0; i--) {
		d[i] = v % 10;
		v /= 10;
	}
	uint32_t s = 0;
	for (int i = 0; i < 6; i++)
		s += d[i] * (uint32_t)(7 - i);
	return six * 10 + s % 10;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: screen_bench OFAC.csv N_VESSELS M_ENTRIES [RUNS] [CSV_DIR]\n");
		return 2;
	}
	int nVessel = atoi(argv[2]), nEntry = atoi(argv[3]);
	int nRun = argc > 4 ? atoi(argv[4]) : 5;
	const char *zDir = argc > 5 ? argv[5] : NULL;
	st_lists *p;
	char zErr[256];
	double t0 = now_s();
	if (st_lists_new(&p) || st_lists_load(p, argv[1], NULL, NULL, zErr, sizeof zErr)) {
		fprintf(stderr, "%s\n", zErr);
		return 1;
	}
	double tLoad = now_s() - t0;
	/* Top up with made-up vessels (IMOs from 100000x, never a real ship's
	 * number range used by the OFAC file's vessels: those start at 5..9). */
	char zName[64], zId[32];
	for (int k = 0; st_lists_count(p) < nEntry; k++) {
		st_list_entry e = {0};
		snprintf(zName, sizeof zName, "MADE UP LISTED %d", k);
		snprintf(zId, sizeof zId, "bench-%d", k);
		e.zList = "BENCH";
		e.zEntryId = zId;
		e.kind = ST_ENT_VESSEL;
		e.listed = 1;
		e.zName = zName;
		e.imo = make_imo(100000 + (uint32_t)k);
		e.mmsi = 600000000u + (uint32_t)k;
		if (st_lists_add(p, &e, NULL))
			return 1;
	}
	/* The listed vessels to draw from. */
	int nL = 0;
	int *aL = malloc((size_t)st_lists_count(p) * sizeof *aL);
	for (int i = 0; i < st_lists_count(p); i++)
		if (st_lists_entry(p, i)->kind == ST_ENT_VESSEL && st_lists_entry(p, i)->imo)
			aL[nL++] = i;
	st_vessel_ident *a = calloc((size_t)nVessel, sizeof *a);
	char (*azName)[24] = calloc((size_t)nVessel, sizeof *azName);
	for (int k = 0; k < nVessel; k++) {
		const st_list_entry *e = st_lists_entry(p, aL[k % nL]);
		a[k].mmsi = 200000000u + (uint32_t)k;
		a[k].tFrom = 0;
		a[k].tTo = 1;
		a[k].id = k + 1;
		snprintf(azName[k], sizeof azName[k], "BENCH %d", k);
		a[k].zName = azName[k];
		a[k].imo = make_imo(300000 + (uint32_t)(k % 600000));
		if (k % 200 == 0)
			a[k].imo = e->imo;
		else if (k % 200 == 1 && e->mmsi) {
			a[k].mmsi = e->mmsi;
			a[k].imo = 0;
		} else if (k % 100 == 2) {
			a[k].zName = e->zName;
			a[k].imo = 0;
		}
	}
	double best = 1e9, bestIdx = 1e9;
	int nHit = 0;
	for (int r = 0; r < nRun; r++) {
		st_screen_index *x;
		double t1 = now_s();
		if (st_screen_index_build(&x, p))
			return 1;
		double t2 = now_s();
		st_screen_hit *aHit;
		if (st_screen(x, a, nVessel, &aHit, &nHit, NULL))
			return 1;
		double t3 = now_s();
		free(aHit);
		st_screen_index_free(x);
		if (t3 - t2 < best)
			best = t3 - t2;
		if (t2 - t1 < bestIdx)
			bestIdx = t2 - t1;
	}
	printf("entries=%d\nvessels=%d\nlist_load_s=%.4f\nindex_s=%.4f\nscreen_s=%.4f\n"
	       "hits=%d\nvessels_per_s=%.0f\n", st_lists_count(p), nVessel, tLoad,
	       bestIdx, best, nHit, nVessel / best);
	if (zDir) {
		char zPath[1024];
		snprintf(zPath, sizeof zPath, "%s/entries.csv", zDir);
		FILE *f = fopen(zPath, "w");
		fprintf(f, "entry,imo,mmsi,name\n");
		for (int i = 0; i < st_lists_count(p); i++) {
			const st_list_entry *e = st_lists_entry(p, i);
			if (e->kind != ST_ENT_VESSEL)
				continue;
			char zN[256];
			st_vessel_name(e->zName, zN, sizeof zN);
			fprintf(f, "%d,%u,%u,\"%s\"\n", i, e->imo, e->mmsi, zN);
			for (int j = 0; j < e->nAlias; j++) {
				st_vessel_name(e->azAlias[j], zN, sizeof zN);
				fprintf(f, "%d,%u,%u,\"%s\"\n", i, e->imo, e->mmsi, zN);
			}
		}
		fclose(f);
		snprintf(zPath, sizeof zPath, "%s/vessels.csv", zDir);
		f = fopen(zPath, "w");
		fprintf(f, "id,mmsi,imo,name\n");
		for (int k = 0; k < nVessel; k++) {
			char zN[256];
			st_vessel_name(a[k].zName, zN, sizeof zN);
			fprintf(f, "%d,%u,%u,\"%s\"\n", k, a[k].mmsi, a[k].imo, zN);
		}
		fclose(f);
	}
	free(a);
	free(azName);
	free(aL);
	st_lists_free(p);
	return 0;
}
