/* st_sim_run: load a scenario, plan it, stream the AIS, then write the
 * records, places, facilities and ground truth. The AIS goes first because
 * the ground truth reports which port visits the receivers actually saw. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "sim_int.h"

st_status st_sim_run(const char *zScenario, const st_sim_opts *opts,
                     st_sim_stats *pStats, char *zErr, size_t nErr)
{
	sim s;
	st_sim_stats dummy;
	char zPath[4096];
	if (!pStats)
		pStats = &dummy;
	memset(pStats, 0, sizeof *pStats);
	if (zErr && nErr)
		zErr[0] = 0;
	if (!zScenario || !opts || !opts->zOutDir || !zErr || nErr == 0)
		return ST_EINVAL;
	memset(&s, 0, sizeof s);
	s.zScenario = zScenario;
	s.zErr = zErr;
	s.nErr = nErr;
	st_status rc = ST_OK;
	if (st__sim_load(&s, zScenario, opts) || st__sim_plan(&s)) {
		rc = ST_ECONFIG;
		goto done;
	}
	if (mkdir(opts->zOutDir, 0777) && errno != EEXIST) {
		snprintf(zErr, nErr, "%s: cannot create directory: %s", opts->zOutDir, strerror(errno));
		rc = ST_EIO;
		goto done;
	}
	pStats->nVessel = (uint64_t)s.nVessel;
	snprintf(zPath, sizeof zPath, "%s/ais.nmea", opts->zOutDir);
	if (st__sim_write_ais(&s, zPath, pStats) || st__sim_write_files(&s, opts->zOutDir, opts, pStats))
		rc = ST_EIO;
done:
	st__sim_free(&s);
	return rc;
}
