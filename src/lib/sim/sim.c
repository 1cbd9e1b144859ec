/* st_sim_run: load a scenario, plan it, stream the AIS, then write the
 * records, places, facilities and ground truth. The AIS goes first because
 * the ground truth reports which port visits the receivers actually saw.
 * Everything is written into a scratch directory inside the output
 * directory and moved into place only when all of it succeeded, so a
 * failed run (disk full, say) never leaves a half-written case behind. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sim_int.h"

static const char *const azOut[] = {
	"ais.nmea", "records.csv", "records.map.json", "places.csv",
	"facilities.csv", "ground_truth.json"};

st_status st_sim_run(const char *zScenario, const st_sim_opts *opts,
                     st_sim_stats *pStats, char *zErr, size_t nErr)
{
	sim s;
	st_sim_stats dummy;
	char zWork[4096], zPath[4200], zFinal[4200];
	if (!pStats)
		pStats = &dummy;
	memset(pStats, 0, sizeof *pStats);
	if (!zScenario || !opts || !opts->zOutDir || !zErr || nErr == 0)
		return ST_EINVAL;
	zErr[0] = 0;
	memset(&s, 0, sizeof s);
	s.zScenario = zScenario;
	s.zErr = zErr;
	s.nErr = nErr;
	st_status rc = ST_OK;
	if (st__sim_load(&s, zScenario, opts) || st__sim_plan(&s)) {
		st__sim_free(&s);
		return ST_ECONFIG;
	}
	snprintf(zWork, sizeof zWork, "%s/.simulating", opts->zOutDir);
	if ((mkdir(opts->zOutDir, 0777) && errno != EEXIST) || (mkdir(zWork, 0777) && errno != EEXIST)) {
		snprintf(zErr, nErr, "%s: cannot create directory: %s", opts->zOutDir, strerror(errno));
		st__sim_free(&s);
		return ST_EIO;
	}
	pStats->nVessel = (uint64_t)s.nVessel;
	snprintf(zPath, sizeof zPath, "%s/ais.nmea", zWork);
	if (st__sim_write_ais(&s, zPath, pStats) || st__sim_write_files(&s, zWork, opts, pStats))
		rc = ST_EIO;
	for (size_t i = 0; i < sizeof azOut / sizeof *azOut; i++) {
		snprintf(zPath, sizeof zPath, "%s/%s", zWork, azOut[i]);
		snprintf(zFinal, sizeof zFinal, "%s/%s", opts->zOutDir, azOut[i]);
		if (rc != ST_OK) {
			unlink(zPath);
		} else if (rename(zPath, zFinal)) {
			snprintf(zErr, nErr, "%s: cannot move into place: %s", zFinal, strerror(errno));
			rc = ST_EIO;
		}
	}
	rmdir(zWork);
	st__sim_free(&s);
	return rc;
}
