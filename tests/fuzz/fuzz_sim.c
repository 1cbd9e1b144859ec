/* libFuzzer target for the simulator's scenario reader and planner: the
 * input is a scenario (JSON), loaded from memory and planned in full
 * (itineraries, deliveries, records) under a budget of planned items so
 * that a hostile scenario asking for years of one-minute port calls ends
 * in an error, not a timeout. Nothing is written: the output stage only
 * walks what the planner made. Loading must fail only with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exact-size copy: ASan flags any read past the block. */
	char *z = malloc(size ? size : 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	sim s;
	char zErr[256];
	memset(&s, 0, sizeof s);
	zErr[0] = 0;
	s.zScenario = "fuzz";
	s.zErr = zErr;
	s.nErr = sizeof zErr;
	s.nItemMax = 20000;
	st_sim_opts o;
	memset(&o, 0, sizeof o);
	o.scale = 1e-6; /* one copy of each background entry */
	int rc = st__sim_load_text(&s, z, size, &o);
	if (rc == 0)
		rc = st__sim_plan(&s);
	if (rc != 0 && !zErr[0])
		abort(); /* every failure says why */
	st__sim_free(&s);
	free(z);
	return 0;
}
