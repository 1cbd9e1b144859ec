/* Shipment records in, through a column map. Lines are converted to UTF-8
 * with iconv (glibc), split with the shared CSV splitter, and every data
 * line either becomes a shipment or is rejected with its line and reason.
 * Local times become UTC here, at the edge, so nothing downstream ever
 * sees a local time. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "shiptrace/records.h"
#include "shiptrace/csv.h"
#include "shiptrace/time.h"

#define MAX_LINE 65536
#define MAX_FIELDS 256

static int copy_str(char *zDst, size_t n, const cJSON *v)
{
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= n)
		return 0;
	strcpy(zDst, v->valuestring);
	return 1;
}

st_status st_records_map_load(const char *zPath, st_records_map *m,
                              char *zErr, size_t nErr)
{
	memset(m, 0, sizeof *m);
	strcpy(m->date_format, "iso");
	strcpy(m->timezone, "UTC");
	strcpy(m->weight_unit, "t");
	m->delimiter = ',';
	m->header_lines = 1;
	strcpy(m->encoding, "UTF-8");

	FILE *f = fopen(zPath, "rb");
	if (!f) {
		snprintf(zErr, nErr, "%s: cannot open: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	char *zBuf = malloc(1 << 20);
	size_t n = zBuf ? fread(zBuf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!zBuf)
		return ST_ENOMEM;
	zBuf[n] = 0;
	cJSON *pRoot = cJSON_Parse(zBuf);
	free(zBuf);
	if (!cJSON_IsObject(pRoot)) {
		snprintf(zErr, nErr, "%s: not a JSON object", zPath);
		cJSON_Delete(pRoot);
		return ST_ECONFIG;
	}
	static const struct {
		const char *zKey;
		size_t off, n;
	} aKey[] = {
#define K(name) {#name, offsetof(st_records_map, name), sizeof(((st_records_map *)0)->name)}
		K(record_id), K(date), K(origin), K(destination), K(cargo_code),
		K(cargo_text), K(weight), K(units), K(consignor), K(consignee),
		K(date_format), K(timezone), K(weight_unit), K(encoding),
#undef K
	};
	st_status rc = ST_OK;
	const cJSON *v;
	cJSON_ArrayForEach(v, pRoot)
	{
		size_t i;
		if (!strcmp(v->string, "delimiter")) {
			if (!cJSON_IsString(v) || strlen(v->valuestring) != 1) {
				snprintf(zErr, nErr, "%s: \"delimiter\" must be one character", zPath);
				rc = ST_ECONFIG;
				break;
			}
			m->delimiter = v->valuestring[0];
			continue;
		}
		if (!strcmp(v->string, "simulated")) {
			m->simulated = cJSON_IsTrue(v);
			continue;
		}
		if (v->string[0] == '_' || !strcmp(v->string, "comment") || !strcmp(v->string, "note"))
			continue; /* annotations */
		if (!strcmp(v->string, "header_lines")) {
			if (!cJSON_IsNumber(v) || v->valueint < 1 || v->valueint > 100) {
				snprintf(zErr, nErr, "%s: \"header_lines\" must be a number from 1 to 100", zPath);
				rc = ST_ECONFIG;
				break;
			}
			m->header_lines = v->valueint;
			continue;
		}
		for (i = 0; i < sizeof aKey / sizeof aKey[0]; i++)
			if (!strcmp(v->string, aKey[i].zKey))
				break;
		if (i == sizeof aKey / sizeof aKey[0]) {
			snprintf(zErr, nErr, "%s: unknown key \"%s\"", zPath, v->string);
			rc = ST_ECONFIG;
			break;
		}
		if (!copy_str((char *)m + aKey[i].off, aKey[i].n, v)) {
			snprintf(zErr, nErr, "%s: \"%s\" must be a short string", zPath, v->string);
			rc = ST_ECONFIG;
			break;
		}
	}
	cJSON_Delete(pRoot);
	if (rc == ST_OK && (!m->date[0] || !m->origin[0] || !m->weight[0])) {
		snprintf(zErr, nErr, "%s: the map must name at least the date, origin and weight columns", zPath);
		rc = ST_ECONFIG;
	}
	if (rc == ST_OK && strcasecmp(m->weight_unit, "kg") && strcasecmp(m->weight_unit, "t")) {
		snprintf(zErr, nErr, "%s: weight_unit must be \"kg\" or \"t\"", zPath);
		rc = ST_ECONFIG;
	}
	return rc;
}

static int read_int(const char **pz, int nMax, int *out)
{
	int v = 0, n = 0;
	while (n < nMax && isdigit((unsigned char)**pz)) {
		v = v * 10 + (**pz - '0');
		(*pz)++;
		n++;
	}
	*out = v;
	return n > 0;
}

st_status st_parse_date(const char *zText, const char *zFmt, int *y, int *mo,
                        int *d, int *h, int *mi, int *s)
{
	*y = *mo = *d = 0;
	*h = *mi = *s = 0;
	while (*zText == ' ')
		zText++;
	if (!strcasecmp(zFmt, "iso")) {
		st_time_ms t = st_time_parse(zText);
		if (t == ST_TIME_NONE)
			return ST_EMALFORMED;
		int ms;
		st_time_to_civil(t, y, mo, d, h, mi, s, &ms);
		return ST_OK;
	}
	const char *z = zText;
	for (const char *f = zFmt; *f; f++) {
		if (*f != '%') {
			if (*z != *f)
				return ST_EMALFORMED;
			z++;
			continue;
		}
		f++;
		int ok = 0;
		switch (*f) {
		case 'd': ok = read_int(&z, 2, d); break;
		case 'm': ok = read_int(&z, 2, mo); break;
		case 'Y': ok = read_int(&z, 4, y); break;
		case 'y': ok = read_int(&z, 2, y); *y += 2000; break;
		case 'H': ok = read_int(&z, 2, h); break;
		case 'M': ok = read_int(&z, 2, mi); break;
		case 'S': ok = read_int(&z, 2, s); break;
		case '%': ok = *z == '%'; z++; break;
		default: return ST_EINVAL;
		}
		if (!ok)
			return ST_EMALFORMED;
	}
	while (*z == ' ')
		z++;
	if (*z || *mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59 || *s > 60)
		return ST_EMALFORMED;
	static const int aDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*d > aDays[*mo - 1] || (*mo == 2 && *d == 29 && !leap))
		return ST_EMALFORMED;
	return ST_OK;
}

st_status st_local_to_utc(int y, int mo, int d, int h, int mi, int s,
                          const char *zZone, st_time_ms *pOut)
{
	st_time_ms tLocal = st_time_from_civil(y, mo, d, h, mi, s);
	if (!zZone[0] || !strcasecmp(zZone, "UTC") || !strcmp(zZone, "Z")) {
		*pOut = tLocal;
		return ST_OK;
	}
	if (zZone[0] == '+' || zZone[0] == '-') {
		int oh = 0, om = 0;
		const char *z = zZone + 1;
		if (!read_int(&z, 2, &oh))
			return ST_ECONFIG;
		if (*z == ':')
			z++;
		if (*z && !read_int(&z, 2, &om))
			return ST_ECONFIG;
		if (*z || oh > 14 || om > 59)
			return ST_ECONFIG;
		int sign = zZone[0] == '-' ? -1 : 1;
		*pOut = tLocal - (st_time_ms)sign * (oh * 60 + om) * 60000;
		return ST_OK;
	}
	/* An IANA zone: ask the system tz database through mktime. TZ is
	 * process state, so it is set and restored around the call; the
	 * records reader runs on one thread. */
	char zPath[256];
	snprintf(zPath, sizeof zPath, "/usr/share/zoneinfo/%s", zZone);
	if (strstr(zZone, "..") || access(zPath, R_OK) != 0)
		return ST_ECONFIG;
	char *zOld = getenv("TZ");
	char zSave[128] = "";
	if (zOld)
		snprintf(zSave, sizeof zSave, "%s", zOld);
	setenv("TZ", zZone, 1);
	tzset();
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (zOld)
		setenv("TZ", zSave, 1);
	else
		unsetenv("TZ");
	tzset();
	if (t == (time_t)-1)
		return ST_EMALFORMED;
	*pOut = (st_time_ms)t * 1000;
	return ST_OK;
}

/* "1 234,5", "1234.5", "12 500" -> double; returns 0 if not a number. */
static int parse_weight(const char *z, double *out)
{
	char buf[64];
	size_t j = 0;
	int nComma = 0, nDot = 0;
	for (; *z && j + 1 < sizeof buf; z++) {
		unsigned char c = (unsigned char)*z;
		if (c == ' ' || c == '\t')
			continue;
		if (c == 0xC2 && (unsigned char)z[1] == 0xA0) { /* no-break space */
			z++;
			continue;
		}
		if (c == ',')
			nComma++;
		if (c == '.')
			nDot++;
		buf[j++] = (char)c;
	}
	buf[j] = 0;
	/* A single comma with no dot is the Russian decimal separator. */
	if (nComma == 1 && nDot == 0)
		for (size_t i = 0; i < j; i++)
			if (buf[i] == ',')
				buf[i] = '.';
	if (nComma > 1 || (nComma && nDot))
		return 0;
	char *end;
	double v = strtod(buf, &end);
	if (end == buf || *end || !isfinite(v) || v < 0)
		return 0;
	*out = v;
	return 1;
}

/* Tonnes per unit for a units cell: kg, t, and their Russian forms. */
static double unit_factor(const char *z)
{
	char k[32];
	size_t j = 0;
	for (; *z && j + 1 < sizeof k; z++)
		if (*z != ' ' && *z != '.')
			k[j++] = *z;
	k[j] = 0;
	if (!strcasecmp(k, "kg") || !strcmp(k, "кг") || !strcmp(k, "КГ"))
		return 0.001;
	if (!strcasecmp(k, "t") || !strcasecmp(k, "tonnes") || !strcasecmp(k, "tons") ||
	    !strcmp(k, "т") || !strcmp(k, "Т") || !strcmp(k, "тн"))
		return 1.0;
	return -1;
}

static void copy_field(char *zDst, size_t n, const char *zSrc)
{
	while (*zSrc == ' ')
		zSrc++;
	snprintf(zDst, n, "%s", zSrc);
	size_t k = strlen(zDst);
	while (k > 0 && zDst[k - 1] == ' ')
		zDst[--k] = 0;
}

typedef struct rd {
	FILE *f;
	iconv_t cd;
	char *zRaw, *zUtf;
	uint64_t line;
} rd;

/* Next physical line as UTF-8, or NULL at the end. Lines longer than
 * MAX_LINE are cut and flagged so the caller rejects them. */
static char *rd_line(rd *r, int *pTooLong)
{
	*pTooLong = 0;
	if (!fgets(r->zRaw, MAX_LINE, r->f))
		return NULL;
	r->line++;
	size_t n = strlen(r->zRaw);
	if (n == MAX_LINE - 1 && r->zRaw[n - 1] != '\n') {
		int c;
		*pTooLong = 1;
		while ((c = fgetc(r->f)) != EOF && c != '\n')
			;
	}
	if (r->cd == (iconv_t)-1)
		return r->zRaw;
	char *pIn = r->zRaw, *pOut = r->zUtf;
	size_t nIn = n, nOut = 4 * MAX_LINE - 1;
	iconv(r->cd, NULL, NULL, NULL, NULL);
	if (iconv(r->cd, &pIn, &nIn, &pOut, &nOut) == (size_t)-1) {
		*pTooLong = 2; /* undecodable bytes */
	}
	*pOut = 0;
	return r->zUtf;
}

st_status st_records_read(const char *zPath, const st_records_map *m,
                          st_shipment_fn xRow, st_line_reject_fn xReject,
                          void *ctx, st_records_stats *pStats, char *zErr,
                          size_t nErr)
{
	memset(pStats, 0, sizeof *pStats);
	rd r = {0};
	r.cd = (iconv_t)-1;
	r.f = strcmp(zPath, "-") ? fopen(zPath, "rb") : stdin;
	if (!r.f) {
		snprintf(zErr, nErr, "%s: cannot open: %s", zPath, strerror(errno));
		return ST_EIO;
	}
	st_status rc = ST_OK;
	if (strcasecmp(m->encoding, "UTF-8") && strcasecmp(m->encoding, "UTF8")) {
		r.cd = iconv_open("UTF-8", m->encoding);
		if (r.cd == (iconv_t)-1) {
			snprintf(zErr, nErr, "%s: unknown encoding \"%s\"", zPath, m->encoding);
			rc = ST_ECONFIG;
			goto done;
		}
	}
	r.zRaw = malloc(MAX_LINE);
	r.zUtf = malloc(4 * MAX_LINE);
	char *zRec = malloc(4 * MAX_LINE);
	char **az = malloc(MAX_FIELDS * sizeof *az);
	if (!r.zRaw || !r.zUtf || !zRec || !az) {
		free(zRec);
		free(az);
		rc = ST_ENOMEM;
		goto done;
	}

	/* Header: the first line that is not blank and not a '#' comment. */
	int iCol[10];
	const char *const azName[10] = {m->record_id, m->date, m->origin, m->destination,
	                                m->cargo_code, m->cargo_text, m->weight, m->units,
	                                m->consignor, m->consignee};
	char *zLine;
	int tooLong, nField = 0, nSkip = m->header_lines - 1;
	while ((zLine = rd_line(&r, &tooLong)) != NULL) {
		pStats->lines++;
		if (zLine[0] == '#' || zLine[strspn(zLine, " \t\r\n")] == 0 || nSkip-- > 0) {
			pStats->blank++;
			continue;
		}
		snprintf(zRec, 4 * MAX_LINE, "%s", zLine);
		nField = st_csv_split(zRec, m->delimiter, az, MAX_FIELDS);
		break;
	}
	if (!zLine) {
		snprintf(zErr, nErr, "%s: no header line", zPath);
		rc = ST_EFORMAT;
		goto free_all;
	}
	for (int i = 0; i < 10; i++) {
		iCol[i] = -1;
		if (!azName[i][0])
			continue;
		iCol[i] = st_csv_find(az, nField < MAX_FIELDS ? nField : MAX_FIELDS, azName[i]);
		if (iCol[i] < 0) {
			snprintf(zErr, nErr, "%s:%llu: the header has no column \"%s\" named by the map",
			         zPath, (unsigned long long)r.line, azName[i]);
			rc = ST_EFORMAT;
			goto free_all;
		}
	}
	double fUnit = strcasecmp(m->weight_unit, "kg") ? 1.0 : 0.001;

	while ((zLine = rd_line(&r, &tooLong)) != NULL) {
		pStats->lines++;
		if (zLine[0] == '#' || zLine[strspn(zLine, " \t\r\n")] == 0) {
			pStats->blank++;
			continue;
		}
		uint64_t line = r.line;
		const char *zWhy = NULL;
		if (tooLong == 1)
			zWhy = "line too long";
		else if (tooLong == 2)
			zWhy = "bytes not valid in the file's encoding";
		snprintf(zRec, 4 * MAX_LINE, "%s", zLine);
		/* a quoted field may span lines */
		while (!zWhy && st_csv_open_quote(zRec, m->delimiter)) {
			char *zMore = rd_line(&r, &tooLong);
			if (!zMore) {
				zWhy = "unterminated quoted field";
				break;
			}
			pStats->lines++;
			size_t nHave = strlen(zRec);
			if (nHave + strlen(zMore) + 1 >= 4 * MAX_LINE) {
				zWhy = "record too long";
				break;
			}
			strcat(zRec, zMore);
		}
		st_shipment s;
		memset(&s, 0, sizeof s);
		s.line = line;
		int n = zWhy ? 0 : st_csv_split(zRec, m->delimiter, az, MAX_FIELDS);
		if (!zWhy && n != nField)
			zWhy = "wrong number of fields";
		int y, mo, d, h, mi, sec;
		if (!zWhy && st_parse_date(az[iCol[1]], m->date_format, &y, &mo, &d, &h, &mi, &sec) != ST_OK)
			zWhy = "date does not match date_format";
		if (!zWhy && st_local_to_utc(y, mo, d, h, mi, sec, m->timezone, &s.t) != ST_OK)
			zWhy = "time zone cannot convert this date";
		double w = 0, f = fUnit;
		if (!zWhy && !parse_weight(az[iCol[6]], &w))
			zWhy = "weight is not a number";
		if (!zWhy && iCol[7] >= 0 && az[iCol[7]][0] && (f = unit_factor(az[iCol[7]])) < 0)
			zWhy = "unknown weight unit";
		if (!zWhy && !az[iCol[2]][0])
			zWhy = "empty origin";
		if (zWhy) {
			pStats->rejected++;
			if (xReject)
				xReject(ctx, zPath, line, zWhy);
			continue;
		}
		s.tonnes = w * f;
		if (iCol[0] >= 0)
			copy_field(s.zRecordId, sizeof s.zRecordId, az[iCol[0]]);
		else
			snprintf(s.zRecordId, sizeof s.zRecordId, "line-%llu", (unsigned long long)line);
		copy_field(s.zOrigin, sizeof s.zOrigin, az[iCol[2]]);
		if (iCol[3] >= 0)
			copy_field(s.zDestination, sizeof s.zDestination, az[iCol[3]]);
		if (iCol[4] >= 0)
			copy_field(s.zCargoCode, sizeof s.zCargoCode, az[iCol[4]]);
		if (iCol[5] >= 0)
			copy_field(s.zCargoText, sizeof s.zCargoText, az[iCol[5]]);
		if (iCol[8] >= 0)
			copy_field(s.zConsignor, sizeof s.zConsignor, az[iCol[8]]);
		if (iCol[9] >= 0)
			copy_field(s.zConsignee, sizeof s.zConsignee, az[iCol[9]]);
		pStats->records++;
		if (xRow && xRow(ctx, &s))
			break;
	}
	if (ferror(r.f)) {
		snprintf(zErr, nErr, "%s:%llu: read error", zPath, (unsigned long long)r.line);
		rc = ST_EIO;
	}
free_all:
	free(zRec);
	free(az);
done:
	free(r.zRaw);
	free(r.zUtf);
	if (r.cd != (iconv_t)-1)
		iconv_close(r.cd);
	if (r.f && r.f != stdin)
		fclose(r.f);
	return rc;
}
