/* Provenance engine speed: N records against M arrivals at a few origin
 * ports over two years (made-up, seeded), timing qualification +
 * attribution, the permutation test, the lag histogram and the monthly
 * accounting, on one core. Usage: provenance_bench [records] [arrivals]
 * [permutations]. Prints the CPU time of each step and the total. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "shiptrace/provenance.h"
#include "shiptrace/time.h"

/* CPU time of this process: on a shared machine wall time measures the
 * neighbours; the driver is single-threaded, so this is one core's time. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 17;
}

int main(int argc, char **argv)
{
	size_t nRec = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t nArr = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	st_prov_params p;
	st_prov_params_default(&p);
	if (argc > 3)
		p.permutations = atoi(argv[3]);
	const int nPort = 4;
	const st_time_ms t0 = st_time_from_civil(2022, 1, 1, 0, 0, 0);
	const st_time_ms span = 730LL * 86400000LL;
	uint64_t s = 42;
	st_prov_arrival *aArr = calloc(nArr, sizeof *aArr);
	st_prov_record *aRec = calloc(nRec, sizeof *aRec);
	st_prov_attr *aAttr = calloc(nRec, sizeof *aAttr);
	if (!aArr || !aRec || !aAttr)
		return 1;
	for (size_t i = 0; i < nArr; i++) {
		st_prov_arrival *a = &aArr[i];
		a->id = (int64_t)i;
		a->voyage_id = -1;
		a->mmsi = 273000000u + (uint32_t)(rnd(&s) % 5000);
		a->port = (int)(rnd(&s) % nPort);
		a->t = t0 + (st_time_ms)(rnd(&s) % (uint64_t)span);
		a->ship_type = rnd(&s) % 4 ? 70 : 80;
		a->poc_call_id = rnd(&s) % 3 ? (int64_t)i : -1;
		a->poc_gap_id = rnd(&s) % 2 ? (int64_t)i : -1;
		a->last_country[0] = rnd(&s) % 5 ? 'R' : 'C';
		a->last_country[1] = a->last_country[0] == 'R' ? 'U' : 'N';
	}
	for (size_t i = 0; i < nRec; i++) {
		st_prov_record *r = &aRec[i];
		r->id = (int64_t)i;
		r->port = (int)(rnd(&s) % (nPort + 1)) - 1; /* some not from an origin */
		r->t = t0 + (st_time_ms)(rnd(&s) % (uint64_t)span);
		r->selected = rnd(&s) % 2;
		r->tonnes = 10 + (double)(rnd(&s) % 1000);
		r->site = (int)(rnd(&s) % 16);
	}
	double tA = now_s();
	size_t nAttr = 0;
	st_prov_attribute(aArr, nArr, aRec, nRec, &p, aAttr, &nAttr);
	double tB = now_s();
	st_prov_perm perm;
	st_prov_permutation(aArr, nArr, aRec, nRec, &p, &perm);
	double tC = now_s();
	int aLag[31], nBeyond;
	st_prov_lag_histogram(aArr, nArr, aRec, nRec, &p, aLag, 31, &nBeyond);
	double tD = now_s();
	st_prov_month *aMon;
	size_t nMon;
	st_prov_monthly(aArr, nArr, aRec, nRec, aAttr, nAttr, nPort, &p, &aMon, &nMon);
	double tE = now_s();
	printf("records %zu, arrivals %zu, ports %d, permutations %d\n", nRec, nArr, nPort,
	       p.permutations);
	printf("attribute     %8.3f s  (%zu attributed)\n", tB - tA, nAttr);
	printf("permutation   %8.3f s  (p = %.4f)\n", tC - tB, perm.p_value);
	printf("lag histogram %8.3f s\n", tD - tC);
	printf("monthly       %8.3f s  (%zu rows)\n", tE - tD, nMon);
	printf("total         %8.3f s\n", tE - tA);
	free(aMon);
	free(aArr);
	free(aRec);
	free(aAttr);
	return 0;
}
