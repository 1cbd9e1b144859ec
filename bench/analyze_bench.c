/* Benchmark driver for the behaviour stages: replicates the real AMSA tracks
 * (../shared/data/tracks) with shifted MMSIs, times and latitudes until the
 * model holds N positions, then times each stage on one core and prints
 * key=value lines that bench/analyze.sh turns into a report. With --csv it
 * also writes the first M replicated positions as CSV for the peers
 * (PostGIS, geopandas) and times shiptrace's port-call step on exactly
 * those M positions.
 *
 * Replication: copy k of the tracks belongs to group k / 64 and slot k % 64;
 * its MMSI is 100000000 + k, its times move by group * 366 days + slot * 37
 * minutes and its latitudes by slot * 0.0015 degrees (167 m). Copies of the
 * same track sit two slots apart, 333 m and 74 minutes, so the encounter
 * stage has real work (pairs within 500 m) while the number of close pairs
 * stays linear. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "shiptrace/analysis.h"
#include "shiptrace/time.h"

#define SLOTS 64
#define DAY_MS 86400000LL

/* CPU time of this process: on a shared machine wall time mostly measures
 * the neighbours. Wall time is reported beside it. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char z[256];
	long kb = -1;
	while (f && fgets(z, sizeof z, f))
		if (!strncmp(z, "VmHWM:", 6))
			kb = atol(z + 6);
	if (f)
		fclose(f);
	return kb;
}

typedef struct base {
	st_position *a;
	size_t n, nCap;
} base;

static void load_track(base *b, const char *zPath)
{
	FILE *f = fopen(zPath, "r");
	if (!f) {
		fprintf(stderr, "analyze_bench: %s: cannot open\n", zPath);
		exit(1);
	}
	char z[512];
	int first = 1;
	while (fgets(z, sizeof z, f)) {
		if (first) {
			first = 0;
			continue;
		}
		char *az[8] = {0};
		int k = 0;
		for (char *p = z; k < 8 && p;) {
			az[k++] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = 0;
		}
		if (k < 6)
			continue;
		if (b->n == b->nCap) {
			b->nCap = b->nCap ? 2 * b->nCap : 8192;
			b->a = realloc(b->a, b->nCap * sizeof *b->a);
			if (!b->a)
				exit(1);
		}
		st_position *p = &b->a[b->n];
		memset(p, 0, sizeof *p);
		p->mmsi = (uint32_t)strtoul(az[0], NULL, 10);
		p->t = st_time_parse(az[1]);
		p->lat = atof(az[2]);
		p->lon = atof(az[3]);
		p->sog = az[4][0] ? (float)atof(az[4]) : NAN;
		p->cog = az[5][0] ? (float)atof(az[5]) : NAN;
		p->cls = 'B';
		if (p->t != ST_TIME_NONE)
			b->n++;
	}
	fclose(f);
}

/* Copy k of base track positions, in (mmsi, time) order when k rises. */
static void replica(const st_position *p, size_t k, st_position *q)
{
	size_t group = k / SLOTS, slot = k % SLOTS;
	*q = *p;
	q->mmsi = 100000000u + (uint32_t)k;
	q->t = p->t + (int64_t)group * 366 * DAY_MS + (int64_t)slot * 37 * 60000;
	q->lat = p->lat + (double)slot * 0.0015;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: analyze_bench SHARED_DATA PORTS_CSV N [--csv OUT M]\n");
		return 2;
	}
	const char *zShared = argv[1], *zPorts = argv[2];
	size_t nWant = (size_t)strtoull(argv[3], NULL, 10);
	const char *zCsv = NULL;
	size_t nCsv = 0;
	if (argc >= 7 && !strcmp(argv[4], "--csv")) {
		zCsv = argv[5];
		nCsv = (size_t)strtoull(argv[6], NULL, 10);
	}
	char zPath[2048], zErr[256];
	base b = {0};
	/* one vessel per track; the tracks of a copy are consecutive MMSIs */
	snprintf(zPath, sizeof zPath, "%s/tracks/amsa-503000530-2014.csv", zShared);
	load_track(&b, zPath);
	size_t nFirst = b.n;
	snprintf(zPath, sizeof zPath, "%s/tracks/amsa-503000720-2014.csv", zShared);
	load_track(&b, zPath);

	st_params p;
	st_params_default(&p);
	st_gazetteer g;
	st_gazetteer_init(&g);
	if (st_gazetteer_load_csv(&g, zPorts, zErr, sizeof zErr) != ST_OK) {
		fprintf(stderr, "analyze_bench: %s\n", zErr);
		return 1;
	}
	st_gazetteer_mark_concern(&g, p.ports_of_concern);
	st_gazetteer_index(&g, &p);

	/* the model: copies 2k (Sydney track) and 2k+1 (Brisbane track) */
	st_model m;
	st_model_init(&m);
	double t0 = now_s();
	size_t nCopy = 0;
	int64_t id = 1;
	while (m.nPos < nWant) {
		size_t lo = nCopy % 2 ? nFirst : 0, hi = nCopy % 2 ? b.n : nFirst;
		for (size_t i = lo; i < hi; i++) {
			st_position q;
			replica(&b.a[i], nCopy, &q);
			if (st_model_add(&m, &q, id++) != ST_OK) {
				fprintf(stderr, "analyze_bench: out of memory at %zu\n", m.nPos);
				return 1;
			}
		}
		nCopy++;
	}
	st_model_finish(&m);
	double tBuild = now_s() - t0;

	st_events e;
	st_events_init(&e);
	double aT[6], w0 = wall_s();
	t0 = now_s();
	st_stage_segments(&m, &p, &e);
	aT[0] = now_s() - t0;
	t0 = now_s();
	st_stage_port_calls(&m, &g, &p, &e);
	aT[1] = now_s() - t0;
	t0 = now_s();
	st_stage_voyages(&m, &p, &e);
	aT[2] = now_s() - t0;
	t0 = now_s();
	st_stage_gaps(&m, &g, &p, &e);
	aT[3] = now_s() - t0;
	t0 = now_s();
	st_stage_encounters(&m, &g, &p, &e);
	aT[4] = now_s() - t0;
	t0 = now_s();
	st_stage_loitering(&m, &g, &p, &e);
	aT[5] = now_s() - t0;
	double tWall = wall_s() - w0;

	double n = (double)m.nPos;
	printf("positions=%zu\nvessels=%zu\ncopies=%zu\n", m.nPos, m.nVessel, nCopy);
	printf("model_bytes_per_position=%.2f\n", st_model_bytes_per_position(&m));
	printf("segment_bytes_per_position=4\n");
	printf("build_s=%.3f\n", tBuild);
	static const char *const az[6] = {"segments", "port_calls", "voyages", "gaps",
	                                  "encounters", "loitering"};
	for (int k = 0; k < 6; k++)
		printf("%s_s=%.3f\n%s_pos_per_s=%.0f\n", az[k], aT[k], az[k], n / aT[k]);
	double tMain = aT[0] + aT[1] + aT[3] + aT[4];
	printf("seg_calls_gaps_enc_s=%.3f\nseg_calls_gaps_enc_pos_per_s=%.0f\n", tMain, n / tMain);
	printf("seg_calls_gaps_pos_per_s=%.0f\n", n / (aT[0] + aT[1] + aT[3]));
	printf("all_stages_cpu_s=%.3f\nall_stages_wall_s=%.3f\n",
	       aT[0] + aT[1] + aT[2] + aT[3] + aT[4] + aT[5], tWall);
	printf("n_segments=%zu\nn_port_calls=%zu\nn_voyages=%zu\nn_gaps=%zu\nn_encounters=%zu\n"
	       "n_loitering=%zu\nn_encounter_samples=%zu\n",
	       e.nSeg, e.nCall, e.nVoyage, e.nGap, e.nEnc, e.nLoiter, e.nSample);
	printf("peak_rss_mb=%.0f\n", (double)peak_rss_kb() / 1024.0);
	printf("peak_rss_bytes_per_position=%.1f\n", (double)peak_rss_kb() * 1024.0 / n);
	st_events_free(&e);
	st_model_free(&m);

	if (zCsv) {
		/* the first M positions, for the peers, and our port calls on them */
		FILE *f = fopen(zCsv, "w");
		if (!f) {
			fprintf(stderr, "analyze_bench: %s: cannot write\n", zCsv);
			return 1;
		}
		fprintf(f, "id,mmsi,t,lat,lon,sog\n");
		st_model_init(&m);
		id = 1;
		for (size_t k = 0; m.nPos < nCsv; k++) {
			size_t lo = k % 2 ? nFirst : 0, hi = k % 2 ? b.n : nFirst;
			for (size_t i = lo; i < hi && m.nPos < nCsv; i++) {
				st_position q;
				replica(&b.a[i], k, &q);
				st_model_add(&m, &q, id);
				fprintf(f, "%lld,%u,%.3f,%.7f,%.7f,%.1f\n", (long long)id, q.mmsi,
				        (double)q.t / 1000.0, q.lat, q.lon, isnan(q.sog) ? -1.0 : q.sog);
				id++;
			}
		}
		fclose(f);
		st_model_finish(&m);
		st_events_init(&e);
		t0 = now_s();
		st_stage_segments(&m, &p, &e);
		printf("subset_segments_s=%.4f\n", now_s() - t0);
		t0 = now_s();
		w0 = wall_s();
		st_stage_port_calls(&m, &g, &p, &e);
		double tCalls = now_s() - t0, tCallsWall = wall_s() - w0;
		printf("subset_port_calls_wall_s=%.4f\n", tCallsWall);
		printf("subset_positions=%zu\nsubset_port_calls=%zu\nsubset_port_calls_s=%.4f\n"
		       "subset_port_calls_pos_per_s=%.0f\n",
		       m.nPos, e.nCall, tCalls, (double)m.nPos / tCalls);
		st_events_free(&e);
		st_model_free(&m);
	}
	st_gazetteer_free(&g);
	free(b.a);
	return 0;
}
