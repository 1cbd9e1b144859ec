/* CSV reader for decoded AIS exports. One table of column names per known
 * layout (NOAA MarineCadastre, Danish Maritime Authority) or the user's
 * mapping gives each semantic column its field index; a row is split
 * without copying unless it has quotes, and values are parsed from the
 * field slices in place. The "not available" conventions of the sources
 * (empty fields, heading 511, speed 102.3, course 360, "Unknown") become
 * the record's NAN / -1 / "". Rows lacking a usable identity, time or
 * position are rejected, never guessed. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv/csv.h"
#include "shiptrace/time.h"

enum {
	C_MMSI, C_TIME, C_LAT, C_LON, C_SOG, C_COG, C_HEADING, C_STATUS,
	C_NAME, C_IMO, C_CALLSIGN, C_SHIPTYPE, C_CARGO, C_LENGTH, C_WIDTH,
	C_DRAUGHT, C_DEST, C_ETA, C_CLASS, C_BOW, C_STERN, C_PORT, C_STARBOARD,
	C_COUNT
};

/* Keys of the mapping string, in column order, then accepted aliases. */
static const char *const azKey[C_COUNT] = {
	"mmsi", "time", "lat", "lon", "sog", "cog", "heading", "status",
	"name", "imo", "callsign", "shiptype", "cargo", "length", "width",
	"draught", "destination", "eta", "class", "to_bow", "to_stern",
	"to_port", "to_starboard"};

typedef struct colname {
	int col;
	const char *zName;
} colname;

static const colname aAlias[] = {
	{C_STATUS, "nav_status"}, {C_SHIPTYPE, "ship_type"}, {C_DRAUGHT, "draft"},
	{C_TIME, "timestamp"}, {C_LAT, "latitude"}, {C_LON, "longitude"},
	{C_SOG, "speed"}, {C_COG, "course"}, {-1, NULL}};

/* NOAA MarineCadastre: the 2015-2023 header and the snake_case one of the
 * 2024 files. "Cargo" is left out: it repeats VesselType's code space. */
static const colname aNoaa[] = {
	{C_MMSI, "MMSI"}, {C_TIME, "BaseDateTime"}, {C_TIME, "base_date_time"},
	{C_LAT, "LAT"}, {C_LAT, "latitude"}, {C_LON, "LON"}, {C_LON, "longitude"},
	{C_SOG, "SOG"}, {C_COG, "COG"}, {C_HEADING, "Heading"},
	{C_NAME, "VesselName"}, {C_NAME, "vessel_name"}, {C_IMO, "IMO"},
	{C_CALLSIGN, "CallSign"}, {C_CALLSIGN, "call_sign"},
	{C_SHIPTYPE, "VesselType"}, {C_SHIPTYPE, "vessel_type"},
	{C_STATUS, "Status"}, {C_LENGTH, "Length"}, {C_WIDTH, "Width"},
	{C_DRAUGHT, "Draft"}, {C_CLASS, "TransceiverClass"},
	{C_CLASS, "transceiver"}, {-1, NULL}};

/* Danish Maritime Authority (web.ais.dk/aisdata). */
static const colname aDma[] = {
	{C_TIME, "# Timestamp"}, {C_TIME, "Timestamp"}, {C_CLASS, "Type of mobile"},
	{C_MMSI, "MMSI"}, {C_LAT, "Latitude"}, {C_LON, "Longitude"},
	{C_STATUS, "Navigational status"}, {C_SOG, "SOG"}, {C_COG, "COG"},
	{C_HEADING, "Heading"}, {C_IMO, "IMO"}, {C_CALLSIGN, "Callsign"},
	{C_NAME, "Name"}, {C_SHIPTYPE, "Ship type"}, {C_CARGO, "Cargo type"},
	{C_WIDTH, "Width"}, {C_LENGTH, "Length"}, {C_DRAUGHT, "Draught"},
	{C_DEST, "Destination"}, {C_ETA, "ETA"}, {C_BOW, "A"}, {C_STERN, "B"},
	{C_PORT, "C"}, {C_STARBOARD, "D"}, {-1, NULL}};

enum { TIME_ISO, TIME_FMT, TIME_EPOCH, TIME_EPOCH_MS };

#define MAX_HEADER 4096
#define SCRATCH (65536 + ST__CSV_MAX_ROW)

struct st__csv {
	st_format fmt;
	char delim;
	bool header;           /* a header line is expected */
	bool ready;
	int aCol[C_COUNT];     /* field index, or -1 */
	char *azName[C_COUNT]; /* mapped column names (owned) */
	int nField;            /* fields per row; 0 when any number will do */
	int timeKind;
	char zTimeFmt[64];
	char *zScratch;
	char *zRow;            /* a row whose quoted field spans lines */
	size_t nRow;
	int nRowLines;
	uint64_t rowLine;
	char zHeader[MAX_HEADER];
	size_t nHeader;
	st_nmea_stats stats;
};

/* ---- small parsers over (pointer, length) slices ---- */

static void trim(const char **pz, size_t *pn)
{
	const char *z = *pz;
	size_t n = *pn;
	while (n && (*z == ' ' || *z == '\t')) {
		z++;
		n--;
	}
	while (n && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	*pz = z;
	*pn = n;
}

static bool eq_nocase(const char *z, size_t n, const char *zLit)
{
	size_t k = strlen(zLit);
	if (k != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)z[i]) != tolower((unsigned char)zLit[i]))
			return false;
	return true;
}

static bool has_nocase(const char *z, size_t n, const char *zLit)
{
	size_t k = strlen(zLit);
	for (size_t i = 0; i + k <= n; i++)
		if (eq_nocase(z + i, k, zLit))
			return true;
	return false;
}

/* Values exporters write for "nothing here". */
static bool is_na(const char *z, size_t n)
{
	if (n == 0)
		return true;
	/* Called for every field of every row: the first letter settles
	 * nearly all of them. */
	switch (z[0] | 0x20) {
	case 'n':
		return eq_nocase(z, n, "NA") || eq_nocase(z, n, "N/A") ||
		       eq_nocase(z, n, "null") || eq_nocase(z, n, "nan") ||
		       eq_nocase(z, n, "none");
	case 'u':
		return eq_nocase(z, n, "unknown") || eq_nocase(z, n, "undefined");
	default:
		return false;
	}
}

static const double aPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                1e16, 1e17, 1e18};

/* Decimal number. The common "-12.345" shape is done by hand (exact: the
 * digits fit in 2^53 and the power of ten is exact, so one division rounds
 * correctly); anything else goes through strtod on a bounded copy. */
static bool parse_double(const char *z, size_t n, double *pOut)
{
	size_t i = 0;
	bool neg = false;
	if (n && (z[0] == '-' || z[0] == '+')) {
		neg = z[0] == '-';
		i = 1;
	}
	uint64_t m = 0;
	int nDigit = 0, nFrac = 0;
	bool dot = false;
	for (; i < n; i++) {
		char c = z[i];
		if (c >= '0' && c <= '9') {
			if (nDigit >= 15)
				goto slow;
			m = m * 10 + (uint64_t)(c - '0');
			nDigit++;
			nFrac += dot;
		} else if (c == '.' && !dot) {
			dot = true;
		} else {
			goto slow;
		}
	}
	if (nDigit == 0)
		return false;
	double v = (double)m / aPow10[nFrac];
	*pOut = neg ? -v : v;
	return true;
slow:;
	char zBuf[64];
	if (n == 0 || n >= sizeof zBuf)
		return false;
	memcpy(zBuf, z, n);
	zBuf[n] = 0;
	if (strspn(zBuf, "0123456789+-.eE") < n) /* no hex, inf or nan */
		return false;
	char *zEnd;
	double d = strtod(zBuf, &zEnd);
	if (*zEnd || !isfinite(d))
		return false;
	*pOut = d;
	return true;
}

/* Unsigned integer of at most nMax digits; a ".0" tail some exporters add
 * to integer columns is accepted. */
static bool parse_uint(const char *z, size_t n, int nMax, uint64_t *pOut)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < n && z[i] >= '0' && z[i] <= '9'; i++) {
		if ((int)i >= nMax)
			return false;
		v = v * 10 + (uint64_t)(z[i] - '0');
	}
	if (i == 0)
		return false;
	if (i < n && z[i] == '.') {
		for (i++; i < n && z[i] == '0'; i++)
			;
	}
	if (i != n)
		return false;
	*pOut = v;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int aDay[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return aDay[m - 1];
}

static bool civil_ok(int y, int mo, int d, int h, int mi, double s)
{
	return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
	       d <= days_in_month(y, mo) && h >= 0 && h <= 23 && mi >= 0 &&
	       mi <= 59 && s >= 0 && s < 61;
}

static int take_digits(const char *z, size_t n, size_t *pi, int nMin, int nMax,
                       int *pOut)
{
	int v = 0, k = 0;
	while (*pi < n && k < nMax && z[*pi] >= '0' && z[*pi] <= '9') {
		v = v * 10 + (z[*pi] - '0');
		(*pi)++;
		k++;
	}
	*pOut = v;
	return k >= nMin;
}

/* A strptime subset: %Y %y %m %d %H %M %S (with an optional fraction),
 * %s (Unix seconds) and %%; other characters match themselves. */
static bool parse_time_fmt(const char *zFmt, const char *z, size_t n, st_time_ms *pT,
                           int *pMonth, int *pDay, int *pHour, int *pMin)
{
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
	double frac = 0;
	size_t i = 0;
	for (const char *f = zFmt; *f; f++) {
		if (*f != '%') {
			if (i >= n || z[i] != *f)
				return false;
			i++;
			continue;
		}
		f++;
		bool ok = true;
		switch (*f) {
		case 'Y': ok = take_digits(z, n, &i, 4, 4, &y); break;
		case 'y':
			ok = take_digits(z, n, &i, 2, 2, &y);
			y += y < 70 ? 2000 : 1900; /* POSIX strptime's pivot */
			break;
		case 'm': ok = take_digits(z, n, &i, 1, 2, &mo); break;
		case 'd': ok = take_digits(z, n, &i, 1, 2, &d); break;
		case 'H': ok = take_digits(z, n, &i, 1, 2, &h); break;
		case 'M': ok = take_digits(z, n, &i, 1, 2, &mi); break;
		case 'S':
			ok = take_digits(z, n, &i, 1, 2, &sec);
			if (ok && i < n && z[i] == '.' && f[1] != '.') {
				size_t j = i + 1;
				double scale = 0.1;
				while (j < n && z[j] >= '0' && z[j] <= '9') {
					frac += scale * (z[j] - '0');
					scale /= 10;
					j++;
				}
				i = j;
			}
			break;
		case 's': {
			double v;
			size_t j = i;
			while (j < n && ((z[j] >= '0' && z[j] <= '9') || z[j] == '.' || z[j] == '-'))
				j++;
			if (!parse_double(z + i, j - i, &v) || fabs(v) > 1e11)
				return false;
			*pT = llround(v * 1000.0);
			i = j;
			if (i != n)
				return false;
			if (pMonth) {
				int yy, ss, ms;
				st_time_to_civil(*pT, &yy, pMonth, pDay, pHour, pMin, &ss, &ms);
			}
			return true;
		}
		case '%':
			ok = i < n && z[i] == '%';
			i++;
			break;
		default: return false;
		}
		if (!ok)
			return false;
	}
	if (i != n || !civil_ok(y, mo, d, h, mi, sec + frac))
		return false;
	*pT = st_time_from_civil(y, mo, d, h, mi, sec + frac);
	if (pMonth) {
		*pMonth = mo;
		*pDay = d;
		*pHour = h;
		*pMin = mi;
	}
	return true;
}

/* ISO 8601. "YYYY-MM-DDTHH:MM:SS" (NOAA's shape) without a copy; other
 * forms through st_time_parse. */
static bool parse_time_iso(const char *z, size_t n, st_time_ms *pT)
{
	if (n == 19 && z[4] == '-' && z[7] == '-' && (z[10] == 'T' || z[10] == ' ') &&
	    z[13] == ':' && z[16] == ':')
		return parse_time_fmt(z[10] == 'T' ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S",
		                      z, n, pT, NULL, NULL, NULL, NULL);
	char zBuf[64];
	if (n >= sizeof zBuf)
		return false;
	memcpy(zBuf, z, n);
	zBuf[n] = 0;
	st_time_ms t = st_time_parse(zBuf);
	if (t == ST_TIME_NONE)
		return false;
	*pT = t;
	return true;
}

static void copy_text(char *zOut, size_t nOut, const char *z, size_t n)
{
	/* AIS text pads with '@'; some exports keep it. */
	while (n && (z[n - 1] == '@' || z[n - 1] == ' '))
		n--;
	if (is_na(z, n))
		n = 0;
	if (n >= nOut)
		n = nOut - 1;
	memcpy(zOut, z, n);
	zOut[n] = 0;
}

/* DMA writes the navigational status as words; match on their stems so
 * spelling variants ("manoeuvrability") still land. */
static int status_from_text(const char *z, size_t n)
{
	static const struct {
		const char *zStem;
		int code;
	} aStat[] = {
		{"using engine", 0}, {"at anchor", 1}, {"not under command", 2},
		{"restricted", 3}, {"constrained", 4}, {"moored", 5}, {"aground", 6},
		{"fishing", 7}, {"sailing", 8}, {"hsc", 9}, {"wig", 10},
		{"towing astern", 11}, {"pushing ahead", 12}, {"towing alongside", 12},
		{"ais-sart", 14}, {"sart", 14}, {"reserved for future use", 13},
		{"unknown", 15}, {"not defined", 15}, {NULL, 0}};
	for (int i = 0; aStat[i].zStem; i++)
		if (has_nocase(z, n, aStat[i].zStem))
			return aStat[i].code;
	return -1;
}

/* DMA ship type words to the first code of their ITU-R M.1371 range
 * (Table 53); the cargo hazard category adds its digit where the range
 * has one. */
static int shiptype_from_text(const char *z, size_t n, const char *zCargo,
                              size_t nCargo)
{
	static const struct {
		const char *zName;
		int code;
	} aType[] = {
		{"Fishing", 30}, {"Towing", 31}, {"Towing long/wide", 32},
		{"Dredging", 33}, {"Diving", 34}, {"Military", 35}, {"Sailing", 36},
		{"Pleasure", 37}, {"WIG", 20}, {"HSC", 40}, {"Pilot", 50},
		{"SAR", 51}, {"Tug", 52}, {"Port tender", 53},
		{"Anti-pollution", 54}, {"Law enforcement", 55}, {"Spare 1", 56},
		{"Spare 2", 57}, {"Medical", 58}, {"Not party to conflict", 59},
		{"Passenger", 60}, {"Cargo", 70}, {"Tanker", 80}, {"Other", 90},
		{NULL, 0}};
	int code = -1;
	for (int i = 0; aType[i].zName; i++)
		if (eq_nocase(z, n, aType[i].zName))
			code = aType[i].code;
	if (code >= 0 && code % 10 == 0 && nCargo) {
		if (has_nocase(zCargo, nCargo, "category x"))
			code += 1;
		else if (has_nocase(zCargo, nCargo, "category y"))
			code += 2;
		else if (has_nocase(zCargo, nCargo, "category z"))
			code += 3;
		else if (has_nocase(zCargo, nCargo, "category os"))
			code += 4;
	}
	return code;
}

/* ---- set-up ---- */

st_format st__csv_detect(const char *z, size_t n)
{
	if (n >= 3 && !memcmp(z, "\xef\xbb\xbf", 3)) {
		z += 3;
		n -= 3;
	}
	if (n > MAX_HEADER)
		return ST_FMT_UNKNOWN;
	char zScratch[MAX_HEADER];
	st__csv_field aF[ST__CSV_MAX_FIELDS];
	int nF = st__csv_split(z, n, ',', aF, ST__CSV_MAX_FIELDS, zScratch);
	if (nF < 4)
		return ST_FMT_UNKNOWN;
	bool mmsi = false, noaaTime = false, mobile = false;
	for (int i = 0; i < nF; i++) {
		const char *zF = aF[i].z;
		size_t nFl = aF[i].n;
		trim(&zF, &nFl);
		mmsi |= eq_nocase(zF, nFl, "MMSI");
		noaaTime |= eq_nocase(zF, nFl, "BaseDateTime") ||
		            eq_nocase(zF, nFl, "base_date_time");
		mobile |= eq_nocase(zF, nFl, "Type of mobile");
	}
	const char *z0 = aF[0].z;
	size_t n0 = aF[0].n;
	trim(&z0, &n0);
	if (mmsi && mobile && (eq_nocase(z0, n0, "# Timestamp") || eq_nocase(z0, n0, "Timestamp")))
		return ST_FMT_DMA_CSV;
	if (mmsi && noaaTime)
		return ST_FMT_NOAA_CSV;
	return ST_FMT_UNKNOWN;
}

static int find_key(const char *z, size_t n)
{
	for (int i = 0; i < C_COUNT; i++)
		if (eq_nocase(z, n, azKey[i]))
			return i;
	for (int i = 0; aAlias[i].zName; i++)
		if (eq_nocase(z, n, aAlias[i].zName))
			return aAlias[i].col;
	return -1;
}

static st_status parse_map(st__csv *p, const char *zMap, char *zErr, size_t nErr)
{
	const char *z = zMap;
	while (*z) {
		const char *zEnd = strchr(z, ',');
		size_t n = zEnd ? (size_t)(zEnd - z) : strlen(z);
		const char *zEq = memchr(z, '=', n);
		if (n == 0) {
			z += zEnd ? 1 : 0;
			if (!zEnd)
				break;
			continue;
		}
		if (!zEq) {
			snprintf(zErr, nErr, "column mapping: '%.*s' is not key=value", (int)n, z);
			return ST_ECONFIG;
		}
		const char *zK = z, *zV = zEq + 1;
		size_t nK = (size_t)(zEq - z), nV = n - nK - 1;
		trim(&zK, &nK);
		trim(&zV, &nV);
		if (eq_nocase(zK, nK, "delimiter")) {
			if (eq_nocase(zV, nV, "comma"))
				p->delim = ',';
			else if (eq_nocase(zV, nV, "semicolon"))
				p->delim = ';';
			else if (eq_nocase(zV, nV, "tab") || eq_nocase(zV, nV, "\\t"))
				p->delim = '\t';
			else if (eq_nocase(zV, nV, "pipe"))
				p->delim = '|';
			else if (eq_nocase(zV, nV, "space"))
				p->delim = ' ';
			else if (nV == 1 && zV[0] != '"')
				p->delim = zV[0];
			else {
				snprintf(zErr, nErr, "column mapping: bad delimiter '%.*s'", (int)nV, zV);
				return ST_ECONFIG;
			}
		} else if (eq_nocase(zK, nK, "time_format")) {
			if (eq_nocase(zV, nV, "iso"))
				p->timeKind = TIME_ISO;
			else if (eq_nocase(zV, nV, "epoch"))
				p->timeKind = TIME_EPOCH;
			else if (eq_nocase(zV, nV, "epoch_ms"))
				p->timeKind = TIME_EPOCH_MS;
			else if (nV > 0 && nV < sizeof p->zTimeFmt && memchr(zV, '%', nV)) {
				p->timeKind = TIME_FMT;
				memcpy(p->zTimeFmt, zV, nV);
				p->zTimeFmt[nV] = 0;
			} else {
				snprintf(zErr, nErr, "column mapping: bad time_format '%.*s'", (int)nV, zV);
				return ST_ECONFIG;
			}
		} else if (eq_nocase(zK, nK, "header")) {
			if (eq_nocase(zV, nV, "no") || eq_nocase(zV, nV, "0") || eq_nocase(zV, nV, "false"))
				p->header = false;
			else if (eq_nocase(zV, nV, "yes") || eq_nocase(zV, nV, "1") || eq_nocase(zV, nV, "true"))
				p->header = true;
			else {
				snprintf(zErr, nErr, "column mapping: header must be yes or no");
				return ST_ECONFIG;
			}
		} else {
			int col = find_key(zK, nK);
			if (col < 0) {
				snprintf(zErr, nErr, "column mapping: unknown key '%.*s'", (int)nK, zK);
				return ST_ECONFIG;
			}
			if (nV == 0) {
				snprintf(zErr, nErr, "column mapping: no column for '%s'", azKey[col]);
				return ST_ECONFIG;
			}
			free(p->azName[col]);
			p->azName[col] = malloc(nV + 1);
			if (!p->azName[col])
				return ST_ENOMEM;
			memcpy(p->azName[col], zV, nV);
			p->azName[col][nV] = 0;
		}
		if (!zEnd)
			break;
		z = zEnd + 1;
	}
	static const int aNeed[] = {C_MMSI, C_TIME, C_LAT, C_LON};
	for (int i = 0; i < 4; i++)
		if (!p->azName[aNeed[i]]) {
			snprintf(zErr, nErr, "column mapping: '%s' is required (mmsi, time, lat, lon)",
			         azKey[aNeed[i]]);
			return ST_ECONFIG;
		}
	if (!p->header) {
		/* Without a header, columns are given by their 1-based number. */
		for (int i = 0; i < C_COUNT; i++) {
			if (!p->azName[i])
				continue;
			uint64_t k;
			if (!parse_uint(p->azName[i], strlen(p->azName[i]), 2, &k) || k < 1 ||
			    k > ST__CSV_MAX_FIELDS) {
				snprintf(zErr, nErr,
				         "column mapping: with header=no, '%s' must be a column number 1..%d",
				         azKey[i], ST__CSV_MAX_FIELDS);
				return ST_ECONFIG;
			}
			p->aCol[i] = (int)k - 1;
		}
		p->ready = true;
	}
	return ST_OK;
}

st_status st__csv_new(st__csv **pp, st_format fmt, const char *zMap, char *zErr,
                      size_t nErr)
{
	*pp = NULL;
	st__csv *p = calloc(1, sizeof *p);
	if (!p)
		return ST_ENOMEM;
	p->fmt = fmt;
	p->delim = ',';
	p->header = true;
	for (int i = 0; i < C_COUNT; i++)
		p->aCol[i] = -1;
	p->zScratch = malloc(SCRATCH);
	p->zRow = malloc(ST__CSV_MAX_ROW);
	if (!p->zScratch || !p->zRow) {
		st__csv_free(p);
		return ST_ENOMEM;
	}
	if (fmt == ST_FMT_DMA_CSV) {
		p->timeKind = TIME_FMT;
		strcpy(p->zTimeFmt, "%d/%m/%Y %H:%M:%S");
	} else if (fmt == ST_FMT_MAPPED_CSV) {
		if (!zMap || !*zMap) {
			snprintf(zErr, nErr, "a column mapping is needed for this CSV layout");
			st__csv_free(p);
			return ST_ECONFIG;
		}
		st_status rc = parse_map(p, zMap, zErr, nErr);
		if (rc) {
			st__csv_free(p);
			return rc;
		}
	} else if (fmt != ST_FMT_NOAA_CSV) {
		st__csv_free(p);
		return ST_EINVAL;
	}
	*pp = p;
	return ST_OK;
}

bool st__csv_ready(const st__csv *p) { return p->ready; }

static st_status read_header(st__csv *p, const char *z, size_t n, char *zErr,
                             size_t nErr)
{
	if (n >= 3 && !memcmp(z, "\xef\xbb\xbf", 3)) {
		z += 3;
		n -= 3;
	}
	st__csv_field aF[ST__CSV_MAX_FIELDS];
	int nF = n < SCRATCH ? st__csv_split(z, n, p->delim, aF, ST__CSV_MAX_FIELDS, p->zScratch)
	                     : -3;
	if (nF < 0) {
		snprintf(zErr, nErr, "unreadable CSV header");
		return ST_EFORMAT;
	}
	for (int i = 0; i < nF; i++) {
		const char *zF = aF[i].z;
		size_t nFl = aF[i].n;
		trim(&zF, &nFl);
		if (p->fmt == ST_FMT_MAPPED_CSV) {
			for (int c = 0; c < C_COUNT; c++)
				if (p->azName[c] && p->aCol[c] < 0 && eq_nocase(zF, nFl, p->azName[c]))
					p->aCol[c] = i;
		} else {
			const colname *a = p->fmt == ST_FMT_DMA_CSV ? aDma : aNoaa;
			for (int k = 0; a[k].zName; k++)
				if (p->aCol[a[k].col] < 0 && eq_nocase(zF, nFl, a[k].zName))
					p->aCol[a[k].col] = i;
		}
	}
	for (int c = 0; c < C_COUNT; c++) {
		if (p->fmt == ST_FMT_MAPPED_CSV && p->azName[c] && p->aCol[c] < 0) {
			snprintf(zErr, nErr, "column '%s' (for %s) is not in the header",
			         p->azName[c], azKey[c]);
			return ST_EFORMAT;
		}
		if (c <= C_LON && p->aCol[c] < 0) {
			snprintf(zErr, nErr, "CSV header has no %s column", azKey[c]);
			return ST_EFORMAT;
		}
	}
	p->nField = nF;
	if (n < sizeof p->zHeader) {
		memcpy(p->zHeader, z, n);
		p->nHeader = n;
	}
	p->ready = true;
	return ST_OK;
}

/* ---- rows ---- */

static st_status reject(st__csv *p, st__csv_out *out, st_reject why,
                        const char *zDetail, const char *z, size_t n, uint64_t line,
                        int nLines)
{
	p->stats.rejected[why] += (uint64_t)nLines;
	out->why = why;
	out->zDetail = zDetail;
	out->zLine = z;
	out->nLine = n;
	out->line = line;
	return why == ST_REJ_MALFORMED ? ST_EMALFORMED : ST_EUNPARSEABLE;
}

static const char *field(const st__csv *p, const st__csv_field *aF, int nF,
                         int col, size_t *pn)
{
	int i = p->aCol[col];
	if (i < 0 || i >= nF) {
		*pn = 0;
		return NULL;
	}
	const char *z = aF[i].z;
	*pn = aF[i].n;
	trim(&z, pn);
	return z;
}

static bool get_time(const st__csv *p, const char *z, size_t n, st_time_ms *pT)
{
	switch (p->timeKind) {
	case TIME_FMT:
		return parse_time_fmt(p->zTimeFmt, z, n, pT, NULL, NULL, NULL, NULL);
	case TIME_EPOCH: {
		double v;
		if (!parse_double(z, n, &v) || fabs(v) > 1e11)
			return false;
		*pT = llround(v * 1000.0);
		return true;
	}
	case TIME_EPOCH_MS: {
		double v;
		if (!parse_double(z, n, &v) || fabs(v) > 1e14)
			return false;
		*pT = llround(v);
		return true;
	}
	default:
		return parse_time_iso(z, n, pT);
	}
}

/* Optional number: false only for text that is not a number at all. */
static bool opt_number(const char *z, size_t n, double *pv)
{
	*pv = NAN;
	if (!z || is_na(z, n))
		return true;
	return parse_double(z, n, pv);
}

/* The optional number in column col (NAN when absent or empty). */
static bool opt_col(const st__csv *p, const st__csv_field *aF, int nF, int col,
                    double *pv)
{
	size_t n;
	const char *z = field(p, aF, nF, col, &n);
	return opt_number(z, n, pv);
}

/* Fills the static record from the row; false when it says nothing. */
static bool row_static(const st__csv *p, const st__csv_field *aF, int nF,
                       st_static_report *s)
{
	size_t n, n2;
	const char *z;
	bool any = false;
	s->imo = 0;
	s->name[0] = s->callsign[0] = s->destination[0] = 0;
	s->ship_type = -1;
	s->to_bow = s->to_stern = s->to_port = s->to_starboard = -1;
	s->draught = NAN;
	s->eta_month = s->eta_day = 0;
	s->eta_hour = 24;
	s->eta_minute = 60;
	s->msg_type = 0;
	s->part = -1;
	if ((z = field(p, aF, nF, C_NAME, &n)) != NULL) {
		copy_text(s->name, sizeof s->name, z, n);
		any |= s->name[0] != 0;
	}
	if ((z = field(p, aF, nF, C_CALLSIGN, &n)) != NULL) {
		copy_text(s->callsign, sizeof s->callsign, z, n);
		any |= s->callsign[0] != 0;
	}
	if ((z = field(p, aF, nF, C_DEST, &n)) != NULL) {
		copy_text(s->destination, sizeof s->destination, z, n);
		any |= s->destination[0] != 0;
	}
	if ((z = field(p, aF, nF, C_IMO, &n)) != NULL) {
		if (n > 3 && eq_nocase(z, 3, "IMO")) {
			z += 3;
			n -= 3;
		}
		uint64_t v;
		/* Kept as sent, like the 30-bit AIS field, valid or not: a
		 * bogus IMO is itself a finding for later stages. */
		if (parse_uint(z, n, 10, &v) && v > 0 && v < (1u << 30)) {
			s->imo = (uint32_t)v;
			any = true;
		}
	}
	if ((z = field(p, aF, nF, C_SHIPTYPE, &n)) != NULL && !is_na(z, n)) {
		uint64_t v;
		if (parse_uint(z, n, 3, &v)) {
			/* NOAA's older files use their own codes above 99. */
			s->ship_type = v <= 99 ? (int)v : -1;
		} else {
			const char *zC = field(p, aF, nF, C_CARGO, &n2);
			s->ship_type = shiptype_from_text(z, n, zC, zC ? n2 : 0);
		}
		any |= s->ship_type > 0;
	}
	double a[4] = {NAN, NAN, NAN, NAN}, len = NAN, wid = NAN;
	static const int aDim[4] = {C_BOW, C_STERN, C_PORT, C_STARBOARD};
	for (int i = 0; i < 4; i++)
		if (!opt_col(p, aF, nF, aDim[i], &a[i]) || a[i] < 0 || a[i] > 1023)
			a[i] = NAN;
	if (!opt_col(p, aF, nF, C_LENGTH, &len) || !(len > 0 && len < 2000))
		len = NAN;
	if (!opt_col(p, aF, nF, C_WIDTH, &wid) || !(wid > 0 && wid < 1000))
		wid = NAN;
	/* Without the antenna position, the whole length goes to the bow side
	 * and the whole beam to port: the sums stay right, which is what
	 * anything downstream uses. */
	if (!isnan(a[0]) && !isnan(a[1])) {
		s->to_bow = (int)lround(a[0]);
		s->to_stern = (int)lround(a[1]);
	} else if (!isnan(len)) {
		s->to_bow = (int)lround(len);
		s->to_stern = 0;
	}
	if (!isnan(a[2]) && !isnan(a[3])) {
		s->to_port = (int)lround(a[2]);
		s->to_starboard = (int)lround(a[3]);
	} else if (!isnan(wid)) {
		s->to_port = (int)lround(wid);
		s->to_starboard = 0;
	}
	any |= s->to_bow > 0 || s->to_port > 0;
	double dr;
	if (opt_col(p, aF, nF, C_DRAUGHT, &dr) && dr > 0 && dr < 100) {
		s->draught = (float)dr;
		any = true;
	}
	if ((z = field(p, aF, nF, C_ETA, &n)) != NULL && !is_na(z, n)) {
		st_time_ms t;
		const char *zFmt = p->fmt == ST_FMT_DMA_CSV ? "%d/%m/%Y %H:%M:%S" : "%Y-%m-%dT%H:%M:%S";
		if (parse_time_fmt(zFmt, z, n, &t, &s->eta_month, &s->eta_day, &s->eta_hour,
		                   &s->eta_minute))
			any = true;
	}
	return any;
}

static st_status parse_row(st__csv *p, const char *z, size_t n, uint64_t line,
                           int nLines, st__csv_out *out)
{
	st__csv_field aF[ST__CSV_MAX_FIELDS];
	int nF = st__csv_split(z, n, p->delim, aF, ST__CSV_MAX_FIELDS, p->zScratch);
	if (nF == -2)
		return reject(p, out, ST_REJ_UNPARSEABLE, "text after a closing quote", z, n, line, nLines);
	if (nF == -1)
		return reject(p, out, ST_REJ_UNPARSEABLE, "unterminated quoted field", z, n, line, nLines);
	if (nF < 0 || (p->nField && nF != p->nField))
		return reject(p, out, ST_REJ_UNPARSEABLE, "wrong number of columns", z, n, line, nLines);

	st_record *r = &out->aRec[0];
	memset(r, 0, sizeof *r);
	st_position *pos = &r->pos;
	size_t nv;
	const char *zv;
	uint64_t mmsi;
	zv = field(p, aF, nF, C_MMSI, &nv);
	if (!zv || !parse_uint(zv, nv, 9, &mmsi) || mmsi == 0)
		return reject(p, out, ST_REJ_MALFORMED, "bad MMSI", z, n, line, nLines);
	st_time_ms t;
	zv = field(p, aF, nF, C_TIME, &nv);
	if (!zv || !get_time(p, zv, nv, &t))
		return reject(p, out, ST_REJ_MALFORMED, "unparseable time", z, n, line, nLines);
	double lat, lon;
	zv = field(p, aF, nF, C_LAT, &nv);
	if (!zv || !parse_double(zv, nv, &lat))
		return reject(p, out, ST_REJ_MALFORMED, "bad latitude", z, n, line, nLines);
	if (lat < -90 || lat > 90)
		return reject(p, out, ST_REJ_MALFORMED, "latitude out of range", z, n, line, nLines);
	zv = field(p, aF, nF, C_LON, &nv);
	if (!zv || !parse_double(zv, nv, &lon))
		return reject(p, out, ST_REJ_MALFORMED, "bad longitude", z, n, line, nLines);
	if (lon < -180 || lon > 180)
		return reject(p, out, ST_REJ_MALFORMED, "longitude out of range", z, n, line, nLines);

	double v;
	if (!opt_col(p, aF, nF, C_SOG, &v))
		return reject(p, out, ST_REJ_MALFORMED, "bad speed", z, n, line, nLines);
	/* 102.3 kn is AIS "not available"; 102.2 means "102.2 or more". */
	pos->sog = v >= 0 && v < 102.25 ? (float)v : NAN;
	if (!opt_col(p, aF, nF, C_COG, &v))
		return reject(p, out, ST_REJ_MALFORMED, "bad course", z, n, line, nLines);
	pos->cog = v >= 0 && v < 360 ? (float)v : NAN;
	if (!opt_col(p, aF, nF, C_HEADING, &v))
		return reject(p, out, ST_REJ_MALFORMED, "bad heading", z, n, line, nLines);
	pos->heading = v >= 0 && v < 360 ? (int16_t)(lround(v) % 360) : -1;
	pos->nav_status = -1;
	if ((zv = field(p, aF, nF, C_STATUS, &nv)) != NULL && nv) {
		uint64_t k;
		if (parse_uint(zv, nv, 2, &k))
			pos->nav_status = k <= 15 ? (int8_t)k : -1;
		else
			pos->nav_status = (int8_t)status_from_text(zv, nv);
	}
	pos->cls = 0;
	if ((zv = field(p, aF, nF, C_CLASS, &nv)) != NULL) {
		if (eq_nocase(zv, nv, "A") || eq_nocase(zv, nv, "Class A"))
			pos->cls = 'A';
		else if (eq_nocase(zv, nv, "B") || eq_nocase(zv, nv, "Class B"))
			pos->cls = 'B';
	}
	pos->mmsi = (uint32_t)mmsi;
	pos->t = t;
	pos->lat = lat;
	pos->lon = lon;
	pos->msg_type = 0;
	r->kind = ST_REC_POSITION;
	r->mmsi = (uint32_t)mmsi;
	r->t = t;
	r->line = line;
	out->nRec = 1;

	st_record *s = &out->aRec[1];
	memset(s, 0, sizeof *s);
	if (row_static(p, aF, nF, &s->stat)) {
		s->kind = ST_REC_STATIC;
		s->stat.mmsi = s->mmsi = (uint32_t)mmsi;
		s->stat.t = s->t = t;
		s->line = line;
		out->nRec = 2;
	}
	/* A row is the CSV's message; its lines are its sentences. */
	p->stats.sentences += (uint64_t)nLines;
	p->stats.msg_sentences += (uint64_t)nLines;
	p->stats.messages++;
	return ST_OK;
}

st_status st__csv_feed(st__csv *p, const char *z, size_t n, uint64_t line,
                       st__csv_out *out, char *zErr, size_t nErr)
{
	out->nRec = 0;
	p->stats.lines++;
	if (p->nRowLines) {
		/* Inside a quoted field that spans lines (RFC 4180 allows line
		 * breaks there): gather, within a bound. */
		if (p->nRow + 1 + n > ST__CSV_MAX_ROW || p->nRowLines >= ST__CSV_MAX_ROW_LINES) {
			int k = p->nRowLines + 1;
			p->nRowLines = 0;
			return reject(p, out, ST_REJ_UNPARSEABLE, "unterminated quoted field",
			              p->zRow, p->nRow, p->rowLine, k);
		}
		p->zRow[p->nRow++] = '\n';
		memcpy(p->zRow + p->nRow, z, n);
		p->nRow += n;
		p->nRowLines++;
		z = p->zRow;
		n = p->nRow;
		line = p->rowLine;
	} else {
		size_t i = 0;
		while (i < n && (z[i] == ' ' || z[i] == '\t'))
			i++;
		if (i == n) {
			p->stats.blank_lines++;
			return ST_EAGAIN;
		}
		if (!p->ready) {
			st_status rc = read_header(p, z, n, zErr, nErr);
			if (rc)
				return rc;
			p->stats.meta_lines++;
			return ST_EAGAIN;
		}
		if (z[i] == '#' && p->fmt != ST_FMT_DMA_CSV) {
			p->stats.blank_lines++;
			return ST_EAGAIN;
		}
		if (p->nHeader && n == p->nHeader && !memcmp(z, p->zHeader, n)) {
			/* Files joined with cat repeat the header. */
			p->stats.meta_lines++;
			return ST_EAGAIN;
		}
		if (n > SCRATCH - ST__CSV_MAX_ROW)
			return reject(p, out, ST_REJ_TOOLONG, "row too long", z, n, line, 1);
	}
	/* A row with an open quote at its end continues on the next line. */
	int nLines = p->nRowLines ? p->nRowLines : 1;
	if (memchr(z, '"', n)) {
		st__csv_field aAll[ST__CSV_MAX_FIELDS];
		int k = st__csv_split(z, n, p->delim, aAll, ST__CSV_MAX_FIELDS, p->zScratch);
		if (k == -1) {
			if (!p->nRowLines) {
				if (n > ST__CSV_MAX_ROW)
					return reject(p, out, ST_REJ_UNPARSEABLE, "unterminated quoted field",
					              z, n, line, 1);
				memcpy(p->zRow, z, n);
				p->nRow = n;
				p->nRowLines = 1;
				p->rowLine = line;
			}
			return ST_EAGAIN;
		}
	}
	p->nRowLines = 0;
	return parse_row(p, z, n, line, nLines, out);
}

st_status st__csv_finish(st__csv *p, st__csv_out *out)
{
	out->nRec = 0;
	if (!p->nRowLines)
		return ST_ENOTFOUND;
	int k = p->nRowLines;
	p->nRowLines = 0;
	return reject(p, out, ST_REJ_UNPARSEABLE, "unterminated quoted field at end of input",
	              p->zRow, p->nRow, p->rowLine, k);
}

void st__csv_count_reject(st__csv *p, st_reject why)
{
	p->stats.lines++;
	p->stats.rejected[why]++;
}

const st_nmea_stats *st__csv_stats(const st__csv *p) { return &p->stats; }

void st__csv_free(st__csv *p)
{
	if (!p)
		return;
	for (int i = 0; i < C_COUNT; i++)
		free(p->azName[i]);
	free(p->zScratch);
	free(p->zRow);
	free(p);
}

int st__csv_split(const char *z, size_t n, char delim, st__csv_field *aField,
                  int nMax, char *zScratch)
{
	int nF = 0;
	/* Fast path, one pass: fields are short, so a byte loop beats a
	 * memchr call per field. A quote anywhere sends the row to the
	 * RFC 4180 path below. */
	size_t iStart = 0, i = 0;
	for (; i < n; i++) {
		char c = z[i];
		if (c == delim) {
			if (nF == nMax)
				return -3;
			aField[nF].z = z + iStart;
			aField[nF].n = i - iStart;
			nF++;
			iStart = i + 1;
		} else if (c == '"') {
			break;
		}
	}
	if (i == n) {
		if (nF == nMax)
			return -3;
		aField[nF].z = z + iStart;
		aField[nF].n = n - iStart;
		return nF + 1;
	}
	nF = 0;
	char *w = zScratch;
	i = 0;
	for (;;) {
		if (i < n && z[i] == '"') {
			i++;
			char *zStart = w;
			for (;;) {
				if (i >= n)
					return -1;
				if (z[i] == '"') {
					if (i + 1 < n && z[i + 1] == '"') {
						*w++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*w++ = z[i++];
			}
			if (nF == nMax)
				return -3;
			aField[nF].z = zStart;
			aField[nF].n = (size_t)(w - zStart);
			nF++;
			if (i == n)
				return nF;
			if (z[i] != delim)
				return -2;
			i++;
		} else {
			size_t s = i;
			while (i < n && z[i] != delim)
				i++;
			if (nF == nMax)
				return -3;
			aField[nF].z = z + s;
			aField[nF].n = i - s;
			nF++;
			if (i == n)
				return nF;
			i++;
		}
	}
}
