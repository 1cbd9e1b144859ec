/* The simulator's non-AIS outputs: shipment records in Russian (CSV in
 * Windows-1251 or UTF-8, local time, kilograms) with the map that tells
 * the provenance engine how to read them, the places and facilities files,
 * and ground_truth.json, which says what really happened: every vessel,
 * port visit (seen on AIS or dark), voyage, AIS-off period, receiver
 * outage, encounter and delivery, and for every record the arrival its
 * cargo came on. Ground truth is streamed with fprintf rather than built
 * as a cJSON tree because at large --scale it lists millions of visits. */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/time.h"
#include "sim_int.h"

#define DAY_MS (24 * 3600000LL)

/* ---- small writers ----------------------------------------------------- */

static void json_str(FILE *f, const char *z)
{
	fputc('"', f);
	for (; z && *z; z++) {
		unsigned char c = (unsigned char)*z;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_time(FILE *f, st_time_ms t)
{
	char z[40];
	st_time_format(t, z, sizeof z);
	fprintf(f, "\"%s\"", z);
}

/* One CSV field: quoted when it holds the delimiter, a quote or a line
 * break, with quotes doubled (RFC 4180). */
static void csv_field(char *zLine, size_t n, size_t *pAt, const char *z, char delim, bool first)
{
	size_t at = *pAt;
	if (!first && at + 1 < n)
		zLine[at++] = delim;
	bool q = strchr(z, delim) || strchr(z, '"') || strchr(z, '\n') || strchr(z, '\r');
	if (q && at + 1 < n)
		zLine[at++] = '"';
	for (; *z && at + 2 < n; z++) {
		if (*z == '"')
			zLine[at++] = '"';
		zLine[at++] = *z;
	}
	if (q && at + 1 < n)
		zLine[at++] = '"';
	zLine[at] = 0;
	*pAt = at;
}

/* Writes a UTF-8 line, converted to the records' encoding. */
static int put_line(FILE *f, iconv_t cd, const char *zLine)
{
	if (cd == (iconv_t)-1)
		return fputs(zLine, f) < 0 ? -1 : 0;
	char out[4096];
	char *pIn = (char *)zLine, *pOut = out;
	size_t nIn = strlen(zLine), nOut = sizeof out;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &pIn, &nIn, &pOut, &nOut) == (size_t)-1)
		return -1;
	return fwrite(out, 1, sizeof out - nOut, f) == sizeof out - nOut ? 0 : -1;
}

static const char *site_fac_kind(const sim *p, int iPort)
{
	int k = p->aPort[iPort].iFacility;
	return k >= 0 ? p->aFac[k].zKind : "";
}

/* ---- records ------------------------------------------------------------ */

static int write_records(sim *p, const char *zDir)
{
	char zPath[4096];
	snprintf(zPath, sizeof zPath, "%s/records.csv", zDir);
	FILE *f = fopen(zPath, "wb");
	if (!f)
		return st__sim_err(p, "cannot write %s", zPath);
	iconv_t cd = (iconv_t)-1;
	if (!strcmp(p->zEncoding, "windows-1251")) {
		cd = iconv_open("WINDOWS-1251", "UTF-8");
		if (cd == (iconv_t)-1) {
			fclose(f);
			return st__sim_err(p, "iconv cannot convert to windows-1251");
		}
	}
	static const char *azHead[] = {
		"Номер документа", "Дата отправления", "Станция отправления", "Станция назначения",
		"Код груза (ЕТСНГ)", "Наименование груза", "Вес, кг", "Ед. изм.",
		"Кол-во вагонов", "Грузоотправитель", "Грузополучатель", "Примечание"};
	char zLine[2048];
	size_t at = 0;
	char delim = p->zDelim[0];
	int rc = 0;
	for (size_t i = 0; i < sizeof azHead / sizeof *azHead; i++)
		csv_field(zLine, sizeof zLine - 2, &at, azHead[i], delim, i == 0);
	strcat(zLine, "\r\n");
	rc |= put_line(f, cd, zLine);
	for (int i = 0; i < p->nRec && rc == 0; i++) {
		const sim_record *r = &p->aRec[i];
		int y, mo, d, h, mi, s, ms;
		st_time_to_civil(r->t + (st_time_ms)p->tzMinutes * 60000, &y, &mo, &d, &h, &mi, &s, &ms);
		char zDate[32], zKg[32], zWag[16];
		snprintf(zDate, sizeof zDate, "%02d.%02d.%04d %02d:%02d", d, mo, y, h, mi);
		snprintf(zKg, sizeof zKg, "%lld", (long long)r->kg);
		snprintf(zWag, sizeof zWag, "%d", r->nWagon);
		const sim_cargo *c = r->explosive ? &p->aExplo[r->iCargo] : &p->aOther[r->iCargo];
		const char *zFrom = r->explosive ? (r->iConsignor >= 0 ? p->azConsignor[r->iConsignor] : "")
		                                 : "АО «Портовый оператор» (вымышленный)";
		const char *zTo = r->explosive ? (r->iConsignee >= 0 ? p->azConsignee[r->iConsignee] : "")
		                               : (r->iConsignee >= 0 ? p->azOtherConsignee[r->iConsignee] : "");
		const char *az[] = {r->zId, zDate, p->aPort[r->iOrigin].zRu, p->aPort[r->iDest].zRu,
		                    c->zCode, c->zText, zKg, "кг", zWag, zFrom, zTo,
		                    "СМОДЕЛИРОВАНО (SIMULATED)"};
		at = 0;
		for (size_t k = 0; k < sizeof az / sizeof *az; k++)
			csv_field(zLine, sizeof zLine - 2, &at, az[k], delim, k == 0);
		strcat(zLine, "\r\n");
		rc |= put_line(f, cd, zLine);
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (fclose(f) || rc)
		return st__sim_err(p, "write error on %s", zPath);

	/* the map for `shiptrace ingest --kind records --map` */
	cJSON *m = cJSON_CreateObject();
	cJSON_AddBoolToObject(m, "simulated", 1);
	cJSON_AddStringToObject(m, "comment", "SIMULATED shipment records written by shiptrace simulate; not real data. "
	                        "\"Кол-во вагонов\" (wagons) is an extra column no key maps.");
	cJSON_AddStringToObject(m, "record_id", azHead[0]);
	cJSON_AddStringToObject(m, "date", azHead[1]);
	cJSON_AddStringToObject(m, "origin", azHead[2]);
	cJSON_AddStringToObject(m, "destination", azHead[3]);
	cJSON_AddStringToObject(m, "cargo_code", azHead[4]);
	cJSON_AddStringToObject(m, "cargo_text", azHead[5]);
	cJSON_AddStringToObject(m, "weight", azHead[6]);
	cJSON_AddStringToObject(m, "units", azHead[7]);
	cJSON_AddStringToObject(m, "consignor", azHead[9]);
	cJSON_AddStringToObject(m, "consignee", azHead[10]);
	cJSON_AddStringToObject(m, "date_format", "%d.%m.%Y %H:%M");
	cJSON_AddStringToObject(m, "timezone", p->zTz);
	cJSON_AddStringToObject(m, "weight_unit", "kg");
	cJSON_AddStringToObject(m, "delimiter", p->zDelim);
	cJSON_AddStringToObject(m, "encoding", p->zEncoding);
	char *z = cJSON_Print(m);
	cJSON_Delete(m);
	snprintf(zPath, sizeof zPath, "%s/records.map.json", zDir);
	f = fopen(zPath, "wb");
	if (!f || !z || fprintf(f, "%s\n", z) < 0 || fclose(f)) {
		free(z);
		return st__sim_err(p, "write error on %s", zPath);
	}
	free(z);
	return 0;
}

static int write_places(sim *p, const char *zDir)
{
	char zPath[4096], zLine[2048], zNum[32];
	snprintf(zPath, sizeof zPath, "%s/places.csv", zDir);
	FILE *f = fopen(zPath, "wb");
	if (!f)
		return st__sim_err(p, "cannot write %s", zPath);
	fputs("name,aliases,kind,country,lat,lon,note\n", f);
	for (int i = 0; i < p->nPort; i++) {
		const sim_port *pt = &p->aPort[i];
		char zAl[400];
		snprintf(zAl, sizeof zAl, "%s%s%s", pt->zRu, pt->zAliases[0] ? "|" : "", pt->zAliases);
		char zNote[256];
		snprintf(zNote, sizeof zNote, "SIMULATED scenario %s%s%s", p->zName, pt->zNote[0] ? ": " : "", pt->zNote);
		size_t at = 0;
		csv_field(zLine, sizeof zLine, &at, pt->zName, ',', true);
		csv_field(zLine, sizeof zLine, &at, zAl, ',', false);
		csv_field(zLine, sizeof zLine, &at, pt->zKind, ',', false);
		csv_field(zLine, sizeof zLine, &at, pt->zCountry, ',', false);
		snprintf(zNum, sizeof zNum, "%.5f", pt->lat);
		csv_field(zLine, sizeof zLine, &at, zNum, ',', false);
		snprintf(zNum, sizeof zNum, "%.5f", pt->lon);
		csv_field(zLine, sizeof zLine, &at, zNum, ',', false);
		csv_field(zLine, sizeof zLine, &at, zNote, ',', false);
		fprintf(f, "%s\n", zLine);
	}
	if (ferror(f) | fclose(f))
		return st__sim_err(p, "write error on %s", zPath);

	snprintf(zPath, sizeof zPath, "%s/facilities.csv", zDir);
	if (!(f = fopen(zPath, "wb")))
		return st__sim_err(p, "cannot write %s", zPath);
	fputs("name,kind,lat,lon,sanctioned,list_entry,note\n", f);
	for (int i = 0; i < p->nFac; i++) {
		const sim_facility *fa = &p->aFac[i];
		char zNote[256];
		snprintf(zNote, sizeof zNote, "SIMULATED scenario %s%s%s", p->zName, fa->zNote[0] ? ": " : "", fa->zNote);
		size_t at = 0;
		csv_field(zLine, sizeof zLine, &at, fa->zName, ',', true);
		csv_field(zLine, sizeof zLine, &at, fa->zKind, ',', false);
		snprintf(zNum, sizeof zNum, "%.5f", fa->lat);
		csv_field(zLine, sizeof zLine, &at, zNum, ',', false);
		snprintf(zNum, sizeof zNum, "%.5f", fa->lon);
		csv_field(zLine, sizeof zLine, &at, zNum, ',', false);
		csv_field(zLine, sizeof zLine, &at, fa->sanctioned ? "yes" : "no", ',', false);
		csv_field(zLine, sizeof zLine, &at, fa->zListEntry, ',', false);
		csv_field(zLine, sizeof zLine, &at, zNote, ',', false);
		fprintf(f, "%s\n", zLine);
	}
	if (ferror(f) | fclose(f))
		return st__sim_err(p, "write error on %s", zPath);
	return 0;
}

/* ---- ground truth --------------------------------------------------------- */

static void visit_id(char *z, size_t n, const sim_vessel *v, int iStop)
{
	snprintf(z, n, "%u-%d", v->mmsi, iStop);
}

static bool voyage_dark(const sim_vessel *v, st_time_ms t0, st_time_ms t1)
{
	for (int i = 0; i < v->nDark; i++)
		if (v->aDark[i].t0 < t1 && v->aDark[i].t1 > t0)
			return true;
	return false;
}

static int write_truth(sim *p, const char *zDir, const st_sim_opts *opts, st_sim_stats *pStats)
{
	char zPath[4096], zId[48];
	snprintf(zPath, sizeof zPath, "%s/ground_truth.json", zDir);
	FILE *f = fopen(zPath, "wb");
	if (!f)
		return st__sim_err(p, "cannot write %s", zPath);
	fprintf(f, "{\n\"simulated\": true,\n\"note\": \"SIMULATED ground truth of a scenario written by shiptrace simulate; "
	           "nothing here describes real events beyond the public facts the scenario cites\",\n");
	fprintf(f, "\"scenario\": ");
	json_str(f, p->zName);
	fprintf(f, ",\n\"seed\": %llu,\n\"scale\": %g,\n\"start\": ", (unsigned long long)p->seed, p->scale);
	json_time(f, p->tStart);
	fprintf(f, ",\n\"end\": ");
	json_time(f, p->tEnd);
	fprintf(f, ",\n\"reporting\": {\"mode\": \"%s\", \"underway_s\": %d, \"moored_s\": %d, "
	           "\"class_b_underway_s\": %d, \"class_b_slow_s\": %d, \"static_s\": %d},\n",
	        p->itu ? "itu" : "thinned", p->underwayS, p->mooredS, p->bUnderwayS, p->bSlowS, p->staticS);
	fprintf(f, "\"window_days\": %g,\n", p->windowDays);

	/* summary first: what the published figures are compared with */
	double exKg = 0, unKg = 0;
	int nEx = 0, nUn = 0;
	int *aSiteN = calloc((size_t)p->nPort + 1, sizeof *aSiteN);
	double *aSiteKg = calloc((size_t)p->nPort + 1, sizeof *aSiteKg);
	if (!aSiteN || !aSiteKg) {
		free(aSiteN);
		free(aSiteKg);
		fclose(f);
		return st__sim_err(p, "out of memory");
	}
	for (int i = 0; i < p->nRec; i++) {
		const sim_record *r = &p->aRec[i];
		if (!r->explosive)
			continue;
		nEx++;
		exKg += (double)r->kg;
		aSiteN[r->iDest]++;
		aSiteKg[r->iDest] += (double)r->kg;
		if (r->iDelivery < 0)
			nUn++, unKg += (double)r->kg;
	}
	int nSite = 0, nDarkDel = 0;
	for (int i = 0; i < p->nPort; i++)
		nSite += aSiteN[i] > 0;
	for (int d = 0; d < p->nDel; d++)
		nDarkDel += p->aDel[d].dark;
	pStats->nDelivery = (uint64_t)p->nDel;
	pStats->nDeliveryDark = (uint64_t)nDarkDel;
	pStats->nExplosive = (uint64_t)nEx;
	pStats->nUnexplained = (uint64_t)nUn;
	pStats->explosivesKg = exKg;
	pStats->nSite = (unsigned)nSite;
	pStats->nRecord = (uint64_t)p->nRec;
	fprintf(f, "\"summary\": {\n \"deliveries\": %d,\n \"deliveries_dark_at_origin\": %d,\n"
	           " \"explosives_records\": %d,\n \"explosives_t\": %.3f,\n \"explosives_unexplained_records\": %d,\n"
	           " \"explosives_unexplained_t\": %.3f,\n \"records\": %d,\n \"sites\": %d,\n \"sites_by_facility_kind\": {",
	        p->nDel, nDarkDel, nEx, exKg / 1000, nUn, unKg / 1000, p->nRec, nSite);
	/* sites counted by the kind of facility of interest they are near */
	int first = 1;
	for (int k = 0; k < p->nFac; k++) {
		bool seenBefore = false;
		for (int j = 0; j < k; j++)
			seenBefore |= !strcmp(p->aFac[j].zKind, p->aFac[k].zKind);
		if (seenBefore)
			continue;
		int n = 0;
		for (int i = 0; i < p->nPort; i++)
			if (aSiteN[i] && p->aPort[i].iFacility >= 0 && !strcmp(site_fac_kind(p, i), p->aFac[k].zKind))
				n++;
		fprintf(f, "%s", first ? "" : ", ");
		json_str(f, p->aFac[k].zKind);
		fprintf(f, ": %d", n);
		first = 0;
	}
	fprintf(f, "},\n \"per_site\": [");
	first = 1;
	for (int i = 0; i < p->nPort; i++) {
		if (!aSiteN[i])
			continue;
		const sim_port *pt = &p->aPort[i];
		fprintf(f, "%s\n  {\"site\": ", first ? "" : ",");
		json_str(f, pt->zId);
		fprintf(f, ", \"name\": ");
		json_str(f, pt->zName);
		fprintf(f, ", \"name_ru\": ");
		json_str(f, pt->zRu);
		fprintf(f, ", \"records\": %d, \"t\": %.3f, \"facility\": ", aSiteN[i], aSiteKg[i] / 1000);
		if (pt->iFacility >= 0) {
			const sim_facility *fa = &p->aFac[pt->iFacility];
			json_str(f, fa->zName);
			fprintf(f, ", \"facility_kind\": ");
			json_str(f, fa->zKind);
			fprintf(f, ", \"facility_km\": %.2f, \"sanctioned\": %s",
			        st__sim_dist_km(pt->lat, pt->lon, fa->lat, fa->lon), fa->sanctioned ? "true" : "false");
		} else {
			fprintf(f, "null");
		}
		fprintf(f, "}");
		first = 0;
	}
	free(aSiteN);
	free(aSiteKg);
	/* per month and origin: arrivals and explosives leaving */
	fprintf(f, "\n ],\n \"monthly\": [");
	first = 1;
	int y0, m0, y1, m1, dd, hh, mi, ss, ms;
	st_time_to_civil(p->tStart, &y0, &m0, &dd, &hh, &mi, &ss, &ms);
	st_time_to_civil(p->tEnd - 1, &y1, &m1, &dd, &hh, &mi, &ss, &ms);
	for (int y = y0, m = m0; y * 12 + m <= y1 * 12 + m1; m = m % 12 + 1, y += m == 1) {
		st_time_ms a = st_time_from_civil(y, m, 1, 0, 0, 0);
		st_time_ms b = st_time_from_civil(y + (m == 12), m % 12 + 1, 1, 0, 0, 0);
		for (int i = 0; i < p->nPort; i++) {
			if (strcmp(p->aPort[i].zKind, "port"))
				continue;
			int nArr = 0, nRec = 0;
			double kg = 0;
			for (int d = 0; d < p->nDel; d++) {
				const sim_stop *s = &p->aVessel[p->aDel[d].iVessel].aStop[p->aDel[d].iStopArrival];
				nArr += s->iPort == i && s->tArr >= a && s->tArr < b;
			}
			for (int k = 0; k < p->nRec; k++) {
				const sim_record *r = &p->aRec[k];
				if (r->explosive && r->iOrigin == i && r->t >= a && r->t < b)
					nRec++, kg += (double)r->kg;
			}
			bool origin = nArr > 0 || nRec > 0;
			for (int d = 0; d < p->nDel && !origin; d++)
				origin = p->aVessel[p->aDel[d].iVessel].aStop[p->aDel[d].iStopArrival].iPort == i;
			if (!origin)
				continue;
			fprintf(f, "%s\n  {\"month\": \"%04d-%02d\", \"port\": ", first ? "" : ",", y, m);
			json_str(f, p->aPort[i].zId);
			fprintf(f, ", \"shuttle_arrivals\": %d, \"explosives_records\": %d, \"explosives_t\": %.3f}", nArr, nRec, kg / 1000);
			first = 0;
		}
	}
	fprintf(f, "\n ]\n},\n");

	/* vessels */
	fprintf(f, "\"vessels\": [");
	for (int i = 0; i < p->nVessel; i++) {
		const sim_vessel *v = &p->aVessel[i];
		fprintf(f, "%s\n {\"mmsi\": %u, \"imo\": %u, \"name\": ", i ? "," : "", v->mmsi, v->imo);
		json_str(f, v->zName);
		fprintf(f, ", \"id\": ");
		json_str(f, v->zId);
		fprintf(f, ", \"role\": ");
		json_str(f, v->zRole);
		fprintf(f, ", \"class\": \"%c\", \"shiptype\": %u, \"flag\": ", v->cls, v->shiptype);
		json_str(f, v->zFlag);
		fprintf(f, ", \"identity\": \"%s\", \"reports_sent\": %llu, \"reports_received\": %llu}",
		        v->invented ? "invented" : v->mmsiPlaceholder ? "real name and IMO; placeholder MMSI" : "as given",
		        (unsigned long long)v->nSent, (unsigned long long)v->nReceived);
	}
	fprintf(f, "\n],\n\"port_visits\": [");
	first = 1;
	for (int i = 0; i < p->nVessel; i++) {
		const sim_vessel *v = &p->aVessel[i];
		if (opts->noTruthDetail && v->background)
			continue;
		for (int k = 0; k < v->nStop; k++) {
			const sim_stop *s = &v->aStop[k];
			if (s->kind != STOP_PORT || s->tArr >= p->tEnd || s->tDep <= p->tStart)
				continue;
			visit_id(zId, sizeof zId, v, k);
			fprintf(f, "%s\n {\"id\": \"%s\", \"mmsi\": %u, \"port\": ", first ? "" : ",", zId, v->mmsi);
			json_str(f, p->aPort[s->iPort].zId);
			fprintf(f, ", \"country\": ");
			json_str(f, p->aPort[s->iPort].zCountry);
			fprintf(f, ", \"arrive\": ");
			json_time(f, s->tArr);
			fprintf(f, ", \"depart\": ");
			json_time(f, s->tDep);
			fprintf(f, ", \"before_start\": %s, \"ais_on\": %s, \"seen\": %s, \"reports\": %llu, \"delivery\": ",
			        s->tArr < p->tStart ? "true" : "false", s->dark ? "false" : "true",
			        s->nSeen ? "true" : "false", (unsigned long long)s->nSeen);
			if (s->iDelivery >= 0)
				fprintf(f, "%d}", s->iDelivery);
			else
				fprintf(f, "null}");
			first = 0;
		}
	}
	fprintf(f, "\n],\n\"voyages\": [");
	first = 1;
	for (int i = 0; i < p->nVessel; i++) {
		const sim_vessel *v = &p->aVessel[i];
		if (opts->noTruthDetail && v->background)
			continue;
		int prev = -1;
		for (int k = 0; k < v->nStop; k++) {
			const sim_stop *s = &v->aStop[k];
			if (s->kind != STOP_PORT)
				continue;
			if (prev >= 0 && s->tArr > p->tStart && v->aStop[prev].tDep < p->tEnd) {
				const sim_stop *a = &v->aStop[prev];
				fprintf(f, "%s\n {\"mmsi\": %u, \"from\": ", first ? "" : ",", v->mmsi);
				json_str(f, p->aPort[a->iPort].zId);
				fprintf(f, ", \"depart\": ");
				json_time(f, a->tDep);
				fprintf(f, ", \"to\": ");
				json_str(f, p->aPort[s->iPort].zId);
				fprintf(f, ", \"arrive\": ");
				json_time(f, s->tArr);
				fprintf(f, ", \"sea_stops\": %d, \"dark\": %s}", k - prev - 1,
				        voyage_dark(v, a->tArr, s->tDep) ? "true" : "false");
				first = 0;
			}
			prev = k;
		}
	}
	fprintf(f, "\n],\n\"dark_periods\": [");
	first = 1;
	for (int i = 0; i < p->nVessel; i++) {
		const sim_vessel *v = &p->aVessel[i];
		for (int k = 0; k < v->nDark; k++) {
			fprintf(f, "%s\n {\"mmsi\": %u, \"start\": ", first ? "" : ",", v->mmsi);
			json_time(f, v->aDark[k].t0);
			fprintf(f, ", \"end\": ");
			json_time(f, v->aDark[k].t1);
			fprintf(f, ", \"reason\": ");
			json_str(f, v->aDark[k].zWhy);
			fprintf(f, "}");
			first = 0;
		}
	}
	fprintf(f, "\n],\n\"receiver_outages\": [");
	first = 1;
	for (int i = 0; i < p->nRx; i++)
		for (int k = 0; k < p->aRx[i].nOut; k++) {
			fprintf(f, "%s\n {\"receiver\": ", first ? "" : ",");
			json_str(f, p->aRx[i].zName);
			fprintf(f, ", \"start\": ");
			json_time(f, p->aRx[i].aOut[k][0]);
			fprintf(f, ", \"end\": ");
			json_time(f, p->aRx[i].aOut[k][1]);
			fprintf(f, "}");
			first = 0;
		}
	fprintf(f, "\n],\n\"encounters\": [");
	for (int i = 0; i < p->nEnc; i++) {
		const sim_encounter *e = &p->aEnc[i];
		fprintf(f, "%s\n {\"mmsi_a\": %u, \"mmsi_b\": %u, \"lat\": %.5f, \"lon\": %.5f, \"start\": ",
		        i ? "," : "", p->aVessel[e->iA].mmsi, p->aVessel[e->iB].mmsi, e->lat, e->lon);
		json_time(f, e->t0);
		fprintf(f, ", \"end\": ");
		json_time(f, e->t1);
		fprintf(f, ", \"hours\": %.2f}", (double)(e->t1 - e->t0) / 3600000.0);
	}
	fprintf(f, "\n],\n\"deliveries\": [");
	for (int d = 0; d < p->nDel; d++) {
		const sim_delivery *dl = &p->aDel[d];
		const sim_vessel *v = &p->aVessel[dl->iVessel];
		const sim_stop *so = &v->aStop[dl->iStopOrigin], *sa = &v->aStop[dl->iStopArrival];
		fprintf(f, "%s\n {\"id\": %d, \"mmsi\": %u, \"imo\": %u, \"name\": ", d ? "," : "", d, v->mmsi, v->imo);
		json_str(f, v->zName);
		fprintf(f, ", \"origin_port\": ");
		json_str(f, p->aPort[so->iPort].zId);
		visit_id(zId, sizeof zId, v, dl->iStopOrigin);
		fprintf(f, ", \"origin_visit\": \"%s\", \"origin_arrive\": ", zId);
		json_time(f, so->tArr);
		fprintf(f, ", \"origin_depart\": ");
		json_time(f, so->tDep);
		fprintf(f, ", \"dark_at_origin\": %s, \"origin_seen\": %s, \"port\": ", dl->dark ? "true" : "false",
		        so->nSeen ? "true" : "false");
		json_str(f, p->aPort[sa->iPort].zId);
		visit_id(zId, sizeof zId, v, dl->iStopArrival);
		fprintf(f, ", \"arrival_visit\": \"%s\", \"arrive\": ", zId);
		json_time(f, sa->tArr);
		fprintf(f, ", \"arrival_seen\": %s}", sa->nSeen ? "true" : "false");
	}
	fprintf(f, "\n],\n\"records\": [");
	for (int i = 0; i < p->nRec; i++) {
		const sim_record *r = &p->aRec[i];
		fprintf(f, "%s\n {\"record_id\": ", i ? "," : "");
		json_str(f, r->zId);
		fprintf(f, ", \"explosives\": %s, \"origin\": ", r->explosive ? "true" : "false");
		json_str(f, p->aPort[r->iOrigin].zId);
		fprintf(f, ", \"destination\": ");
		json_str(f, p->aPort[r->iDest].zId);
		fprintf(f, ", \"depart\": ");
		json_time(f, r->t);
		fprintf(f, ", \"kg\": %lld, \"arrival\": ", (long long)r->kg);
		if (r->iDelivery >= 0) {
			const sim_delivery *dl = &p->aDel[r->iDelivery];
			const sim_vessel *v = &p->aVessel[dl->iVessel];
			const sim_stop *sa = &v->aStop[dl->iStopArrival];
			visit_id(zId, sizeof zId, v, dl->iStopArrival);
			fprintf(f, "{\"mmsi\": %u, \"imo\": %u, \"port\": ", v->mmsi, v->imo);
			json_str(f, p->aPort[sa->iPort].zId);
			fprintf(f, ", \"arrive\": ");
			json_time(f, sa->tArr);
			fprintf(f, ", \"visit\": \"%s\", \"delivery\": %d, \"lag_days\": %.3f}", zId, r->iDelivery,
			        (double)(r->t - sa->tArr) / DAY_MS);
		} else {
			fprintf(f, "null");
		}
		fprintf(f, "}");
	}
	fprintf(f, "\n]\n}\n");
	if (ferror(f) | fclose(f))
		return st__sim_err(p, "write error on %s", zPath);
	return 0;
}

int st__sim_write_files(sim *p, const char *zDir, const st_sim_opts *opts, st_sim_stats *pStats)
{
	if (write_records(p, zDir) || write_places(p, zDir) || write_truth(p, zDir, opts, pStats))
		return -1;
	return 0;
}
