/* The analysis parameters: one table gives each key its type, default, unit,
 * meaning and source, so that defaults, `--set key=value`, config files, the
 * JSON recorded in `runs` and the documentation cannot drift apart. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "shiptrace/analysis.h"
#include "shiptrace/config.h"

#define R(key, def, unit, doc, src) \
	{#key, ST_PARAM_REAL, offsetof(st_params, key), def, unit, doc, src}

static const st_param_info_t aInfo[] = {
	R(seg_max_speed_kn, "30", "kn",
	  "a position is not the same ship as the previous one when the implied speed between them is above this",
	  "Global Fishing Watch pipe-segment (max_speed)"),
	R(seg_max_silence_h, "24", "h",
	  "a silence longer than this starts a new segment of the same track",
	  "Global Fishing Watch segmenter (max_hours)"),
	R(port_enter_km, "3", "km",
	  "entry radius of a port that has none of its own (user ports without radius, unknown harbour size)",
	  "Global Fishing Watch anchorages (port entry < 3 km)"),
	R(port_exit_margin_km, "1", "km",
	  "a vessel leaves a port when farther than its radius plus this",
	  "Global Fishing Watch anchorages (exit > 4 km for a 3 km entry)"),
	R(port_stop_start_kn, "0.2", "kn",
	  "a stop in port starts below this speed",
	  "Global Fishing Watch anchorages (port stop begin)"),
	R(port_stop_end_kn, "0.5", "kn",
	  "a stop in port ends above this speed",
	  "Global Fishing Watch anchorages (port stop end)"),
	R(port_anchorage_km, "10", "km",
	  "a stop outside a port's radius but within radius + this counts as a call at that port (anchored outside)",
	  "shiptrace: anchorages lie within a few nautical miles of port limits"),
	R(gap_min_h, "6", "h", "silences at least this long are reported as gaps",
	  "Global Fishing Watch AIS gap events"),
	R(gap_flag_h, "12", "h", "gaps at least this long are flagged",
	  "Global Fishing Watch disabling events (>= 12 h)"),
	R(gap_port_speed_kn, "12", "kn",
	  "plausible speed for reaching a port of concern during a gap",
	  "shiptrace: service speed of small general cargo ships"),
	R(gap_port_min_stay_h, "12", "h",
	  "minimum stay at a port of concern for it to count as possible during a gap",
	  "shiptrace: time to load or unload a small cargo ship"),
	R(enc_max_dist_m, "500", "m", "encounter: the two vessels are closer than this",
	  "Global Fishing Watch encounters"),
	R(enc_min_h, "2", "h", "encounter: for at least this long",
	  "Global Fishing Watch encounters"),
	R(enc_max_sog_kn, "2", "kn", "encounter: both vessels slower than this",
	  "Global Fishing Watch encounters"),
	R(enc_min_port_km, "10", "km", "encounter: at least this far from any port",
	  "Global Fishing Watch encounters"),
	R(loiter_max_sog_kn, "2", "kn", "loitering: slower than this",
	  "Global Fishing Watch loitering"),
	R(loiter_min_h, "2", "h", "loitering: for at least this long",
	  "Global Fishing Watch loitering"),
	R(loiter_min_shore_nm, "20", "nm",
	  "loitering: at least this far from shore; the distance to the nearest gazetteer port stands in for the distance to shore",
	  "Global Fishing Watch loitering (>= 20 nm from shore)"),
	R(slow_max_gap_h, "2", "h",
	  "a silence longer than this breaks a slow run (encounters, loitering)",
	  "shiptrace: interpolation over longer silences is guesswork"),
	{"ports_of_concern", ST_PARAM_TEXT, offsetof(st_params, ports_of_concern), "KP", "",
	 "ports of concern: comma-separated port names, UN/LOCODEs or ISO 3166 country codes",
	 "the case: every port in North Korea"},
};
#undef R

const st_param_info_t *st_param_info(int *pN)
{
	*pN = (int)(sizeof aInfo / sizeof aInfo[0]);
	return aInfo;
}

static int set_value(st_params *p, const st_param_info_t *pI, const char *zVal,
                     char *zErr, size_t nErr)
{
	char *pField = (char *)p + pI->offset;
	if (pI->type == ST_PARAM_TEXT) {
		size_t n = strlen(zVal);
		if (n >= ST_PARAM_TEXT_MAX) {
			snprintf(zErr, nErr, "%s: value longer than %d bytes", pI->zKey,
			         ST_PARAM_TEXT_MAX - 1);
			return 0;
		}
		memcpy(pField, zVal, n + 1);
		return 1;
	}
	char *zEnd;
	errno = 0;
	double v = strtod(zVal, &zEnd);
	while (isspace((unsigned char)*zEnd))
		zEnd++;
	if (zEnd == zVal || *zEnd || errno || !isfinite(v) || v < 0) {
		snprintf(zErr, nErr, "%s: '%s' is not a non-negative number", pI->zKey, zVal);
		return 0;
	}
	memcpy(pField, &v, sizeof v);
	return 1;
}

void st_params_default(st_params *p)
{
	char zErr[8];
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < sizeof aInfo / sizeof aInfo[0]; i++)
		set_value(p, &aInfo[i], aInfo[i].zDefault, zErr, sizeof zErr);
}

st_status st_params_set(st_params *p, const char *zKeyValue, char *zErr,
                        size_t nErr)
{
	char zBuf[ST_PARAM_TEXT_MAX + 128];
	if (strlen(zKeyValue) >= sizeof zBuf) {
		snprintf(zErr, nErr, "setting too long");
		return ST_ECONFIG;
	}
	strcpy(zBuf, zKeyValue);
	char *zEq = strchr(zBuf, '=');
	if (!zEq) {
		snprintf(zErr, nErr, "'%s' is not key=value", zKeyValue);
		return ST_ECONFIG;
	}
	*zEq = 0;
	char *zKey = st_trim(zBuf), *zVal = st_trim(zEq + 1);
	for (size_t i = 0; i < sizeof aInfo / sizeof aInfo[0]; i++) {
		if (strcmp(aInfo[i].zKey, zKey))
			continue;
		return set_value(p, &aInfo[i], zVal, zErr, nErr) ? ST_OK : ST_ECONFIG;
	}
	snprintf(zErr, nErr, "unknown parameter '%s'", zKey);
	return ST_ECONFIG;
}

static st_status params_line(void *ctx, char *zLine, char *zMsg, size_t nMsg)
{
	return st_params_set(ctx, zLine, zMsg, nMsg);
}

/* One config file may serve every stage: keys before any "[section]"
 * header and under "[analyze]" are this stage's; other sections (e.g.
 * "[provenance]") belong to other stages and are skipped. */
st_status st_params_load(st_params *p, const char *zPath, char *zErr, size_t nErr)
{
	return st_config_read(zPath, "analyze", 1, params_line, p, zErr, nErr);
}

char *st_params_json(const st_params *p)
{
	cJSON *pObj = cJSON_CreateObject();
	if (!pObj)
		return NULL;
	for (size_t i = 0; i < sizeof aInfo / sizeof aInfo[0]; i++) {
		const char *pField = (const char *)p + aInfo[i].offset;
		cJSON *pV;
		if (aInfo[i].type == ST_PARAM_TEXT) {
			pV = cJSON_CreateString(pField);
		} else {
			double v;
			memcpy(&v, pField, sizeof v);
			pV = cJSON_CreateNumber(v);
		}
		if (!pV || !cJSON_AddItemToObject(pObj, aInfo[i].zKey, pV)) {
			cJSON_Delete(pV);
			cJSON_Delete(pObj);
			return NULL;
		}
	}
	char *z = cJSON_PrintUnformatted(pObj);
	cJSON_Delete(pObj);
	return z;
}
