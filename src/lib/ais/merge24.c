/* Joining type 24 part B to its part A, as gpsd does: the caller's small
 * circular cache remembers the last part A names by MMSI, and a part B
 * that matches one gets the name. Class B units send A and B close
 * together, but other stations' messages interleave, hence several slots. */
#include <string.h>
#include "shiptrace/ais.h"

bool st_ais_type24_merge(st_ais_type24_cache *pCache, st_ais_msg *m)
{
	unsigned i;
	if (m->type != 24 || m->mmsi == 0)
		return false;
	if (m->type24.part == 0) {
		i = pCache->iNext % ST_AIS_TYPE24_SLOTS;
		pCache->aMmsi[i] = m->mmsi;
		memcpy(pCache->azName[i], m->type24.shipname,
		       sizeof pCache->azName[i]);
		pCache->azName[i][sizeof pCache->azName[i] - 1] = 0;
		pCache->iNext = (i + 1) % ST_AIS_TYPE24_SLOTS;
		return false;
	}
	if (m->type24.part != 1)
		return false;
	for (i = 0; i < ST_AIS_TYPE24_SLOTS; i++) {
		if (pCache->aMmsi[i] == m->mmsi) {
			memcpy(m->type24.shipname, pCache->azName[i],
			       sizeof m->type24.shipname);
			pCache->aMmsi[i] = 0;
			return true;
		}
	}
	return false;
}
