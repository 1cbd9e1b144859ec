/* The HTML case report. Everything is read from the store with portable
 * SQL into small text tables, then written as one HTML file with inline
 * SVG: two maps on an equirectangular projection over Natural Earth
 * borders (data/basemap), a timeline, a lag histogram, and tables. No
 * script and no external resource, so the file opens offline, archives
 * well and prints to PDF as it looks on screen. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "shiptrace/report.h"
#include "shiptrace/config.h"
#include "shiptrace/analysis.h"
#include "shiptrace/names.h"
#include "shiptrace/time.h"

#ifndef ST_VERSION
#define ST_VERSION "unknown"
#endif

#define MAX_ROWS 2000000

/* ---- text tables from the store ----------------------------------------- */

typedef struct tab {
	int nCol;
	size_t nRow, nAlloc;
	char **az; /* nRow * nCol, NULL for SQL NULL */
} tab;

static int tab_row(void *ctx, int nCol, const char *const *azVal, const char *const *azCol)
{
	tab *t = ctx;
	(void)azCol;
	if (t->nRow == MAX_ROWS)
		return 1;
	if (t->nRow == t->nAlloc) {
		size_t n = t->nAlloc ? t->nAlloc * 2 : 64;
		char **a = realloc(t->az, n * (size_t)nCol * sizeof *a);
		if (!a)
			return 1;
		t->az = a;
		t->nAlloc = n;
	}
	t->nCol = nCol;
	for (int i = 0; i < nCol; i++)
		t->az[t->nRow * (size_t)nCol + (size_t)i] = azVal[i] ? strdup(azVal[i]) : NULL;
	t->nRow++;
	return 0;
}

static void tab_free(tab *t)
{
	for (size_t i = 0; i < t->nRow * (size_t)t->nCol; i++)
		free(t->az[i]);
	free(t->az);
	memset(t, 0, sizeof *t);
}

static const char *cell(const tab *t, size_t r, int c)
{
	const char *z = r < t->nRow && c < t->nCol ? t->az[r * (size_t)t->nCol + (size_t)c] : NULL;
	return z ? z : "";
}

static double dcell(const tab *t, size_t r, int c)
{
	return atof(cell(t, r, c));
}

/* Runs zSql into t; a missing table gives an empty result, since a case
 * may not have run every stage. */
static void q(st_store *s, tab *t, const char *zFmt, ...)
{
	char zSql[4096], zErr[256];
	va_list ap;
	va_start(ap, zFmt);
	vsnprintf(zSql, sizeof zSql, zFmt, ap);
	va_end(ap);
	memset(t, 0, sizeof *t);
	st_store_query(s, zSql, tab_row, t, zErr, sizeof zErr);
}

/* ---- output helpers ------------------------------------------------------ */

static void esc(FILE *f, const char *z)
{
	for (; z && *z; z++) {
		switch (*z) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*z, f);
		}
	}
}

/* "2023-09-05T04:30:00.000Z" -> "2023-09-05 04:30" */
static const char *short_time(const char *z, char *zBuf, size_t n)
{
	st_time_ms t = st_time_parse(z);
	if (t == ST_TIME_NONE) {
		snprintf(zBuf, n, "%s", z);
		return zBuf;
	}
	int y, mo, d, h, mi, s;
	st_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, NULL);
	snprintf(zBuf, n, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
	return zBuf;
}

static double days_of(const char *z)
{
	st_time_ms t = st_time_parse(z);
	return t == ST_TIME_NONE ? NAN : (double)t / 86400000.0;
}

/* ---- maps ---------------------------------------------------------------- */

typedef struct proj {
	double lon0, lon1, lat0, lat1;
	double w, h;
} proj;

static void proj_init(proj *p, double lon0, double lon1, double lat0, double lat1, double w)
{
	p->lon0 = lon0;
	p->lon1 = lon1;
	p->lat0 = lat0;
	p->lat1 = lat1;
	p->w = w;
	double k = cos((lat0 + lat1) / 2 * M_PI / 180);
	p->h = w * (lat1 - lat0) / ((lon1 - lon0) * k);
}

static double px(const proj *p, double lon)
{
	return (lon - p->lon0) / (p->lon1 - p->lon0) * p->w;
}

static double py(const proj *p, double lat)
{
	return (p->lat1 - lat) / (p->lat1 - p->lat0) * p->h;
}

/* Country borders and coastlines from the shipped Natural Earth file. */
static void draw_basemap(FILE *f, const proj *p, const cJSON *pBase)
{
	const cJSON *aFeat = cJSON_GetObjectItemCaseSensitive(pBase, "features");
	const cJSON *ft;
	fputs("<g class=\"land\">", f);
	cJSON_ArrayForEach(ft, aFeat)
	{
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(ft, "geometry");
		const cJSON *aPoly = cJSON_GetObjectItemCaseSensitive(g, "coordinates");
		const cJSON *poly;
		int open = 0;
		cJSON_ArrayForEach(poly, aPoly)
		{
			const cJSON *ring;
			cJSON_ArrayForEach(ring, poly)
			{
				double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
				const cJSON *pt;
				cJSON_ArrayForEach(pt, ring)
				{
					double lon = cJSON_GetArrayItem(pt, 0)->valuedouble;
					double lat = cJSON_GetArrayItem(pt, 1)->valuedouble;
					x0 = fmin(x0, lon), x1 = fmax(x1, lon);
					y0 = fmin(y0, lat), y1 = fmax(y1, lat);
				}
				if (x1 < p->lon0 || x0 > p->lon1 || y1 < p->lat0 || y0 > p->lat1)
					continue;
				if (!open) {
					fputs("<path d=\"", f);
					open = 1;
				}
				int first = 1;
				double lx = 1e9, ly = 1e9;
				cJSON_ArrayForEach(pt, ring)
				{
					double x = px(p, cJSON_GetArrayItem(pt, 0)->valuedouble);
					double y = py(p, cJSON_GetArrayItem(pt, 1)->valuedouble);
					if (!first && fabs(x - lx) < 0.4 && fabs(y - ly) < 0.4)
						continue; /* sub-pixel detail only weighs */
					fprintf(f, "%s%.1f %.1f", first ? "M" : "L", x, y);
					first = 0;
					lx = x, ly = y;
				}
				fputs("Z", f);
			}
		}
		if (open)
			fputs("\"/>", f);
	}
	fputs("</g>\n", f);
}

static void svg_open(FILE *f, const proj *p, const char *zLabel)
{
	fprintf(f, "<svg class=\"map\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", p->w, p->h);
	esc(f, zLabel);
	fprintf(f, "\"><rect class=\"sea\" width=\"%.0f\" height=\"%.0f\"/>\n", p->w, p->h);
}

static void label(FILE *f, double x, double y, const char *zClass, const char *zText)
{
	fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", zClass, x, y);
	esc(f, zText);
	fputs("</text>", f);
}

/* ---- the report ---------------------------------------------------------- */

typedef struct rpt {
	st_store *s;
	FILE *f;
	cJSON *pBase;
	int simulated;
	tab find, attr, flows, sites, fac, months, lags, sig, runs, srcs, arr, sel, places;
	tab vessels;
} rpt;

static const char *conf_class(const char *z)
{
	if (!strcmp(z, "high"))
		return "c-high";
	if (!strcmp(z, "medium"))
		return "c-med";
	return "c-low";
}

static const char zCss[] =
	"body{font:15px/1.45 'DejaVu Sans',Helvetica,Arial,sans-serif;color:#1b1b1b;max-width:1100px;margin:0 auto;padding:24px}"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #1b1b1b;padding-bottom:3px;margin-top:34px}"
	"h3{font-size:16px;margin:18px 0 6px}.sub{color:#555;margin:0 0 14px}"
	".sim{background:#fff3cd;border:2px solid #b8860b;padding:8px 12px;font-weight:bold;margin:10px 0}"
	"ol.findings li{margin:6px 0}.badge{display:inline-block;min-width:58px;text-align:center;font-size:12px;"
	"font-weight:bold;border-radius:3px;padding:1px 5px;margin-right:6px;color:#fff}"
	".c-high{background:#b30000}.c-med{background:#d9822b}.c-low{background:#6b7b8c}"
	"a{color:#0b5394}table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}"
	"th,td{border-bottom:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td{overflow-wrap:anywhere}"
	"svg{width:100%;height:auto;display:block;border:1px solid #999;margin:6px 0}"
	".sea{fill:#dcebf5}.land path{fill:#f4f1ea;stroke:#9a9a9a;stroke-width:.6}"
	".trk{fill:none;stroke-width:1.1;stroke-opacity:.85}.gap{stroke:#c00;stroke-width:1.4;stroke-dasharray:5 3;fill:none}"
	".dark{stroke:#c00;stroke-width:.8;stroke-dasharray:1 3;stroke-opacity:.7;fill:none}"
	".port{fill:#1b1b1b}.poc{fill:#c00}.call{fill:#fff;stroke-width:1.5}"
	".flow{stroke:#b30000;stroke-opacity:.55;fill:none;stroke-linecap:round}"
	".site{fill:#1b1b1b}.fac{fill:#6a3d9a}.fac-s{fill:#c00}"
	".lbl{font-size:11px;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px}"
	".lbl-b{font-size:13px;font-weight:bold;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px}"
	".axis{font-size:11px;fill:#333}.grid{stroke:#ddd}.empty{fill:#eee}.win{fill:#f6c9c9;fill-opacity:.45}"
	".bar-a{fill:#b30000}.bar-u{fill:#9aa5b1}.arr{stroke-width:2}.legend{font-size:12px}"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px}"
	".card{border:1px solid #bbb;border-radius:4px;padding:8px 10px;break-inside:avoid}"
	".card h3{margin:0 0 4px}.mono{font-family:'DejaVu Sans Mono',monospace;font-size:12px;word-break:break-all}"
	"details{margin:4px 0 8px}summary{cursor:pointer}"
	"@media print{body{max-width:none;padding:0;font-size:12px}h2{break-after:avoid}svg,table,.card{break-inside:avoid}"
	"a{color:inherit;text-decoration:none}details{display:block}}";

static const char *azPalette[] = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
                                  "#17becf", "#bcbd22", "#ff7f0e"};

/* Colour of a vessel: by its rank among the vessels with attributions. */
static const char *vessel_colour(const tab *pVes, const char *zMmsi)
{
	for (size_t i = 0; i < pVes->nRow; i++)
		if (!strcmp(cell(pVes, i, 0), zMmsi))
			return azPalette[i % (sizeof azPalette / sizeof azPalette[0])];
	return "#555";
}

/* Where a named place is: places table first, then the gazetteer. */
static int place_xy(rpt *r, const st_gazetteer *g, const char *zName, double *pLat, double *pLon)
{
	char zKey[128], zK2[128];
	st_name_key(zName, zKey, sizeof zKey);
	for (size_t i = 0; i < r->places.nRow; i++) {
		st_name_key(cell(&r->places, i, 0), zK2, sizeof zK2);
		int hit = !strcmp(zKey, zK2);
		if (!hit) {
			/* aliases, '|' or ';' separated */
			char zA[1024];
			snprintf(zA, sizeof zA, "%s", cell(&r->places, i, 1));
			char *zSave = NULL;
			for (char *z = strtok_r(zA, "|;", &zSave); z && !hit; z = strtok_r(NULL, "|;", &zSave)) {
				st_name_key(z, zK2, sizeof zK2);
				hit = !strcmp(zKey, zK2);
			}
		}
		if (hit) {
			*pLat = dcell(&r->places, i, 3);
			*pLon = dcell(&r->places, i, 4);
			return 1;
		}
	}
	for (int i = 0; g && i < g->nPort; i++) {
		st_name_key(g->aPort[i].zName, zK2, sizeof zK2);
		if (!strcmp(zKey, zK2)) {
			*pLat = g->aPort[i].lat;
			*pLon = g->aPort[i].lon;
			return 1;
		}
	}
	return 0;
}

/* The sea map: the origin ports and the ports of concern, the tracks of
 * the vessels with attributions, their dark gaps and their calls. */
static void map_sea(rpt *r, const st_gazetteer *g)
{
	FILE *f = r->f;
	st_store *s = r->s;
	/* the extent: every port of concern and origin port called at by the
	 * vessels with attributions, padded */
	tab calls;
	q(s, &calls, "SELECT p.mmsi, p.port_name, p.port_of_concern, p.evidence, p.arrival FROM port_calls p "
	              "WHERE p.mmsi IN (SELECT DISTINCT mmsi FROM attributions) AND "
	              "(p.port_of_concern = 1 OR p.id IN (SELECT port_call_id FROM attributions)) ORDER BY p.id");
	double lat0 = 90, lat1 = -90, lon0 = 180, lon1 = -180;
	tab cpos;
	memset(&cpos, 0, sizeof cpos);
	char zIds[8192] = "";
	for (size_t i = 0; i < calls.nRow; i++) {
		const char *zEv = cell(&calls, i, 3);
		const char *zP = strstr(zEv, "positions:");
		if (!zP)
			continue;
		size_t n = strlen(zIds);
		if (n + 24 < sizeof zIds)
			snprintf(zIds + n, sizeof zIds - n, "%s%lld", n ? "," : "", atoll(zP + 10));
	}
	if (zIds[0])
		q(s, &cpos, "SELECT id, lat, lon FROM positions WHERE id IN (%s)", zIds);
	for (size_t i = 0; i < cpos.nRow; i++) {
		lat0 = fmin(lat0, dcell(&cpos, i, 1)), lat1 = fmax(lat1, dcell(&cpos, i, 1));
		lon0 = fmin(lon0, dcell(&cpos, i, 2)), lon1 = fmax(lon1, dcell(&cpos, i, 2));
	}
	if (lat0 > lat1) {
		tab_free(&calls);
		tab_free(&cpos);
		return;
	}
	double padLon = fmax(1.2, (lon1 - lon0) * 0.25), padLat = fmax(0.8, (lat1 - lat0) * 0.25);
	proj p;
	proj_init(&p, lon0 - padLon, lon1 + padLon, lat0 - padLat, lat1 + padLat, 1000);
	fputs("<h3>At sea: the ports, the vessels' tracks, their dark gaps and calls</h3>\n", f);
	svg_open(f, &p, "Map of the origin ports and ports of concern with vessel tracks and dark gaps");
	draw_basemap(f, &p, r->pBase);

	/* tracks, thinned to about 1 point per 2 px, broken at silences */
	for (size_t v = 0; v < r->vessels.nRow; v++) {
		tab pos;
		q(s, &pos, "SELECT lat, lon, time FROM positions WHERE mmsi = %s ORDER BY time",
		  cell(&r->vessels, v, 0));
		fprintf(f, "<path class=\"trk\" stroke=\"%s\" d=\"", vessel_colour(&r->vessels, cell(&r->vessels, v, 0)));
		double lx = -1e9, ly = -1e9, lt = -1e9;
		for (size_t i = 0; i < pos.nRow; i++) {
			double lat = dcell(&pos, i, 0), lon = dcell(&pos, i, 1), t = days_of(cell(&pos, i, 2));
			if (lon < p.lon0 || lon > p.lon1 || lat < p.lat0 || lat > p.lat1) {
				lt = -1e9;
				continue;
			}
			double x = px(&p, lon), y = py(&p, lat);
			int brk = t - lt > 0.25;
			if (!brk && hypot(x - lx, y - ly) < 2)
				continue;
			fprintf(f, "%s%.1f %.1f", brk ? "M" : "L", x, y);
			lx = x, ly = y, lt = t;
		}
		fputs("\"/>\n", f);
		tab_free(&pos);
	}
	/* dark gaps that could hide a port-of-concern call */
	tab gaps;
	q(s, &gaps, "SELECT g.evidence, g.possible_ports FROM gaps g WHERE g.n_possible > 0 AND g.mmsi IN "
	            "(SELECT DISTINCT mmsi FROM attributions)");
	for (size_t i = 0; i < gaps.nRow; i++) {
		const char *zP = strstr(cell(&gaps, i, 0), "positions:");
		if (!zP)
			continue;
		long long a = atoll(zP + 10);
		const char *zC = strchr(zP, ',');
		long long b = zC ? atoll(zC + 1) : a;
		tab ends;
		q(s, &ends, "SELECT lat, lon FROM positions WHERE id IN (%lld,%lld) ORDER BY id", a, b);
		if (ends.nRow == 2) {
			double x0 = px(&p, dcell(&ends, 0, 1)), y0 = py(&p, dcell(&ends, 0, 0));
			fprintf(f, "<path class=\"gap\" d=\"M%.1f %.1fL%.1f %.1f\"/>", x0, y0,
			        px(&p, dcell(&ends, 1, 1)), py(&p, dcell(&ends, 1, 0)));
			/* the dark trip it could hide: to the nearest possible port */
			double best = 1e18, bx = 0, by = 0;
			char zList[1024];
			snprintf(zList, sizeof zList, "%s", cell(&gaps, i, 1));
			char *zSave = NULL;
			for (char *z = strtok_r(zList, ";", &zSave); z && g; z = strtok_r(NULL, ";", &zSave)) {
				while (*z == ' ')
					z++;
				char *zParen = strstr(z, " (");
				if (zParen)
					*zParen = 0;
				for (int k = 0; k < g->nPort; k++) {
					if (strcmp(g->aPort[k].zName, z))
						continue;
					double x = px(&p, g->aPort[k].lon), y = py(&p, g->aPort[k].lat);
					double d = hypot(x - x0, y - y0);
					if (d < best)
						best = d, bx = x, by = y;
				}
			}
			if (best < 1e18)
				fprintf(f, "<path class=\"dark\" d=\"M%.1f %.1fL%.1f %.1f\"/>", x0, y0, bx, by);
		}
		tab_free(&ends);
	}
	fputs("\n", f);
	/* calls */
	for (size_t i = 0; i < calls.nRow; i++) {
		const char *zP = strstr(cell(&calls, i, 3), "positions:");
		if (!zP)
			continue;
		long long id = atoll(zP + 10);
		for (size_t k = 0; k < cpos.nRow; k++) {
			if (atoll(cell(&cpos, k, 0)) != id)
				continue;
			fprintf(f, "<circle class=\"call\" stroke=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>",
			        vessel_colour(&r->vessels, cell(&calls, i, 0)), px(&p, dcell(&cpos, k, 2)),
			        py(&p, dcell(&cpos, k, 1)));
			esc(f, cell(&calls, i, 1));
			fputs("</title></circle>", f);
		}
	}
	/* ports: the gazetteer's ports in view, those of concern in red */
	for (int i = 0; g && i < g->nPort; i++) {
		const st_port *pt = &g->aPort[i];
		if (pt->lon < p.lon0 || pt->lon > p.lon1 || pt->lat < p.lat0 || pt->lat > p.lat1)
			continue;
		int poc = !strcmp(pt->zCountry, "KP");
		double x = px(&p, pt->lon), y = py(&p, pt->lat);
		fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\"/>",
		        poc ? "poc" : "port", x - 3.5, y - 3.5);
		label(f, x + 6, y - 5, poc ? "lbl-b" : "lbl", pt->zName);
	}
	fputs("\n", f);
	/* legend */
	fprintf(f, "<g class=\"legend\" transform=\"translate(10,%.0f)\">", p.h - 18.0 * ((double)r->vessels.nRow + 4) - 6);
	fprintf(f, "<rect x=\"-4\" y=\"-14\" width=\"335\" height=\"%.0f\" fill=\"#fff\" fill-opacity=\".85\"/>",
	        18.0 * ((double)r->vessels.nRow + 4) + 4);
	double y = 0;
	for (size_t v = 0; v < r->vessels.nRow; v++, y += 18) {
		fprintf(f, "<path class=\"trk\" stroke=\"%s\" d=\"M0 %.0fh24\" stroke-width=\"3\"/>",
		        vessel_colour(&r->vessels, cell(&r->vessels, v, 0)), y - 4);
		fprintf(f, "<text x=\"30\" y=\"%.0f\">", y);
		esc(f, cell(&r->vessels, v, 2)[0] ? cell(&r->vessels, v, 2) : cell(&r->vessels, v, 0));
		fputs(" track</text>", f);
	}
	fprintf(f, "<path class=\"gap\" d=\"M0 %.0fh24\"/><text x=\"30\" y=\"%.0f\">dark gap that could hide a "
	           "port-of-concern call</text>", y - 4, y);
	y += 18;
	fprintf(f, "<path class=\"dark\" d=\"M0 %.0fh24\" style=\"stroke-width:2\"/><text x=\"30\" y=\"%.0f\">the "
	           "dark trip it could hide (nearest such port)</text>", y - 4, y);
	y += 18;
	fprintf(f, "<rect class=\"poc\" x=\"8\" y=\"%.0f\" width=\"7\" height=\"7\"/><text x=\"30\" y=\"%.0f\">port of "
	           "concern</text>", y - 10, y);
	y += 18;
	fprintf(f, "<circle class=\"call\" stroke=\"#333\" cx=\"12\" cy=\"%.0f\" r=\"4\"/><text x=\"30\" y=\"%.0f\">port "
	           "call on the attributed voyages</text></g>", y - 5, y);
	fputs("</svg>\n", f);
	tab_free(&gaps);
	tab_free(&calls);
	tab_free(&cpos);
}

/* The land map: flows from the origin ports to the destination sites,
 * width by tonnage, and the facilities of interest. */
static void map_land(rpt *r, const st_gazetteer *g)
{
	FILE *f = r->f;
	if (r->sites.nRow == 0)
		return;
	double lat0 = 90, lat1 = -90, lon0 = 180, lon1 = -180;
	for (size_t i = 0; i < r->sites.nRow; i++) {
		lat0 = fmin(lat0, dcell(&r->sites, i, 1)), lat1 = fmax(lat1, dcell(&r->sites, i, 1));
		lon0 = fmin(lon0, dcell(&r->sites, i, 2)), lon1 = fmax(lon1, dcell(&r->sites, i, 2));
	}
	double aOLat[16], aOLon[16];
	int nO = 0;
	tab origins;
	q(r->s, &origins, "SELECT DISTINCT origin FROM flows");
	for (size_t i = 0; i < origins.nRow && nO < 16; i++)
		if (place_xy(r, g, cell(&origins, i, 0), &aOLat[nO], &aOLon[nO])) {
			lat0 = fmin(lat0, aOLat[nO]), lat1 = fmax(lat1, aOLat[nO]);
			lon0 = fmin(lon0, aOLon[nO]), lon1 = fmax(lon1, aOLon[nO]);
			nO++;
		}
	proj p;
	proj_init(&p, lon0 - 4, lon1 + 4, lat0 - 3, lat1 + 3, 1000);
	fputs("<h3>Inland: where the cargo went, and the facilities near it</h3>\n", f);
	svg_open(f, &p, "Map of flows from the origin ports to the destination sites");
	draw_basemap(f, &p, r->pBase);
	double tMax = 1;
	for (size_t i = 0; i < r->flows.nRow; i++)
		tMax = fmax(tMax, dcell(&r->flows, i, 2));
	for (size_t i = 0; i < r->flows.nRow; i++) {
		double la, lo, sla = NAN, slo = NAN;
		if (!place_xy(r, g, cell(&r->flows, i, 0), &la, &lo))
			continue;
		for (size_t k = 0; k < r->sites.nRow; k++)
			if (!strcmp(cell(&r->sites, k, 0), cell(&r->flows, i, 1)))
				sla = dcell(&r->sites, k, 1), slo = dcell(&r->sites, k, 2);
		if (isnan(sla))
			continue;
		double x0 = px(&p, lo), y0 = py(&p, la), x1 = px(&p, slo), y1 = py(&p, sla);
		/* a gentle arc so flows to neighbouring sites stay apart */
		double mx = (x0 + x1) / 2, my = (y0 + y1) / 2 - 0.12 * fabs(x1 - x0);
		char zT[32];
		fprintf(f, "<path class=\"flow\" stroke-width=\"%.1f\" d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\"><title>",
		        1 + 7 * sqrt(dcell(&r->flows, i, 2) / tMax), x0, y0, mx, my, x1, y1);
		esc(f, cell(&r->flows, i, 0));
		fputs(" to ", f);
		esc(f, cell(&r->flows, i, 1));
		fprintf(f, ": %s t</title></path>\n", st_thousands(dcell(&r->flows, i, 2), zT, sizeof zT));
	}
	for (size_t i = 0; i < r->fac.nRow; i++) {
		double x = px(&p, dcell(&r->fac, i, 3)), y = py(&p, dcell(&r->fac, i, 2));
		int sanc = atoi(cell(&r->fac, i, 4));
		fprintf(f, "<path class=\"%s\" d=\"M%.1f %.1fl5 9h-10z\"><title>", sanc ? "fac-s" : "fac", x, y - 6);
		esc(f, cell(&r->fac, i, 0));
		fputs("</title></path>", f);
	}
	for (size_t i = 0; i < r->sites.nRow; i++) {
		double x = px(&p, dcell(&r->sites, i, 2)), y = py(&p, dcell(&r->sites, i, 1));
		fprintf(f, "<circle class=\"site\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", x, y);
		label(f, x + 5, y + 12, "lbl", cell(&r->sites, i, 0));
	}
	for (int i = 0; i < nO; i++) {
		double x = px(&p, aOLon[i]), y = py(&p, aOLat[i]);
		fprintf(f, "<rect class=\"port\" x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\"/>", x - 4, y - 4);
		label(f, x - 60, y - 8 - 14.0 * i, "lbl-b", cell(&origins, (size_t)i, 0));
	}
	fprintf(f, "<g class=\"legend\" transform=\"translate(10,%.0f)\"><rect x=\"-4\" y=\"-14\" width=\"260\" "
	           "height=\"76\" fill=\"#fff\" fill-opacity=\".85\"/>"
	           "<path class=\"flow\" stroke-width=\"6\" d=\"M0 -4h24\"/><text x=\"30\" y=\"0\">flow, width by tonnage</text>"
	           "<circle class=\"site\" cx=\"12\" cy=\"13\" r=\"3\"/><text x=\"30\" y=\"18\">destination site</text>"
	           "<path class=\"fac\" d=\"M12 26l5 9h-10z\"/><text x=\"30\" y=\"36\">facility of interest</text>"
	           "<path class=\"fac-s\" d=\"M12 44l5 9h-10z\"/><text x=\"30\" y=\"54\">sanctioned facility</text></g>",
	        p.h - 70);
	fputs("</svg>\n", f);
	tab_free(&origins);
}

/* The timeline: per origin port, the qualifying arrivals (ticks, by
 * confidence) with their windows, and the outbound tonnage per day
 * (attributed or not); months with nothing are shaded. */
static void timeline(rpt *r)
{
	FILE *f = r->f;
	if (r->months.nRow == 0)
		return;
	/* the span: whole months of the monthly table */
	int y0, m0, y1, m1;
	if (sscanf(cell(&r->months, 0, 0), "%d-%d", &y0, &m0) != 2 ||
	    sscanf(cell(&r->months, r->months.nRow - 1, 0), "%d-%d", &y1, &m1) != 2)
		return;
	double d0 = (double)st_days_from_civil(y0, m0, 1);
	double d1 = (double)st_days_from_civil(m1 == 12 ? y1 + 1 : y1, m1 == 12 ? 1 : m1 + 1, 1);
	tab origins;
	q(r->s, &origins, "SELECT DISTINCT origin FROM monthly ORDER BY origin DESC");
	const double W = 1000, left = 90, right = 10, rowH = 110;
	double H = 30 + rowH * (double)origins.nRow + 20;
	double wPlot = W - left - right;
#define TX(d) (left + ((d)-d0) / (d1 - d0) * wPlot)
	fputs("<h3>Timeline: qualifying arrivals and the explosives that left after them</h3>\n", f);
	fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Timeline of arrivals and outbound tonnage\">\n", W, H);
	/* daily tonnage per origin for the scale */
	size_t nDay = (size_t)(d1 - d0) + 1;
	double *aA = calloc(nDay * (origins.nRow ? origins.nRow : 1), sizeof *aA);
	double *aU = calloc(nDay * (origins.nRow ? origins.nRow : 1), sizeof *aU);
	double tMax = 1;
	for (size_t i = 0; aA && aU && i < r->sel.nRow; i++) {
		double d = floor(days_of(cell(&r->sel, i, 2)));
		if (isnan(d) || d < d0 || d >= d1)
			continue;
		for (size_t o = 0; o < origins.nRow; o++)
			if (!strcmp(cell(&origins, o, 0), cell(&r->sel, i, 3))) {
				double *a = atoi(cell(&r->sel, i, 6)) ? aA : aU;
				a[o * nDay + (size_t)(d - d0)] += dcell(&r->sel, i, 5);
				double t = aA[o * nDay + (size_t)(d - d0)] + aU[o * nDay + (size_t)(d - d0)];
				tMax = fmax(tMax, t);
			}
	}
	for (size_t o = 0; o < origins.nRow; o++) {
		double top = 30 + rowH * (double)o, base = top + rowH - 30;
		const char *zO = cell(&origins, o, 0);
		/* empty months */
		for (size_t k = 0; k < r->months.nRow; k++) {
			if (strcmp(cell(&r->months, k, 1), zO) || atoi(cell(&r->months, k, 2)) || atoi(cell(&r->months, k, 3)))
				continue;
			int yy, mm;
			sscanf(cell(&r->months, k, 0), "%d-%d", &yy, &mm);
			double a = (double)st_days_from_civil(yy, mm, 1);
			double b = (double)st_days_from_civil(mm == 12 ? yy + 1 : yy, mm == 12 ? 1 : mm + 1, 1);
			fprintf(f, "<rect class=\"empty\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\"/>"
			           "<text class=\"axis\" x=\"%.1f\" y=\"%.0f\">no arrival, no cargo</text>",
			        TX(a), top, TX(b) - TX(a), rowH - 30, TX(a) + 4, top + 14);
		}
		/* windows and arrivals */
		for (size_t i = 0; i < r->arr.nRow; i++) {
			if (strcmp(cell(&r->arr, i, 5), zO) || !atoi(cell(&r->arr, i, 8)))
				continue;
			double d = days_of(cell(&r->arr, i, 6));
			fprintf(f, "<rect class=\"win\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\"/>", TX(d), top,
			        TX(d + 7) - TX(d), rowH - 30);
		}
		for (size_t i = 0; i < r->arr.nRow; i++) {
			if (strcmp(cell(&r->arr, i, 5), zO) || !atoi(cell(&r->arr, i, 8)))
				continue;
			double d = days_of(cell(&r->arr, i, 6));
			char zT[32];
			fprintf(f, "<line class=\"arr\" stroke=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"><title>",
			        vessel_colour(&r->vessels, cell(&r->arr, i, 1)), TX(d), TX(d), top - 6, base);
			esc(f, cell(&r->arr, i, 3));
			fprintf(f, " arrived %s (%s)</title></line>", short_time(cell(&r->arr, i, 6), zT, sizeof zT),
			        cell(&r->arr, i, 10));
		}
		/* tonnage bars */
		for (size_t k = 0; aA && aU && k < nDay; k++) {
			double a = aA[o * nDay + k], u = aU[o * nDay + k];
			if (a + u <= 0)
				continue;
			double hA = a / tMax * (rowH - 40), hU = u / tMax * (rowH - 40);
			double x = TX(d0 + (double)k);
			double bw = fmax(1.2, TX(d0 + 1) - TX(d0) - 0.4);
			if (a > 0)
				fprintf(f, "<rect class=\"bar-a\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", x, base - hA, bw, hA);
			if (u > 0)
				fprintf(f, "<rect class=\"bar-u\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", x,
				        base - hA - hU, bw, hU);
		}
		fprintf(f, "<line class=\"grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\"/>", left, W - right, base, base);
		label(f, 4, top + (rowH - 30) / 2, "lbl-b", zO);
	}
	/* months along the bottom */
	for (int y = y0, m = m0; y * 12 + m <= y1 * 12 + m1; m = m == 12 ? 1 : m + 1, y += m == 1) {
		double d = (double)st_days_from_civil(y, m, 1);
		static const char *azM[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"24\" y2=\"%.0f\"/>"
		           "<text class=\"axis\" x=\"%.1f\" y=\"%.0f\">%s %d</text>",
		        TX(d), TX(d), H - 16, TX(d) + 3, H - 4, azM[m - 1], y);
	}
	fprintf(f, "<text class=\"axis\" x=\"%.0f\" y=\"14\">ticks: qualifying arrivals (colour = vessel); pink: the "
	           "7-day window after each; bars: tonnes leaving per day, red attributed, grey not "
	           "(tallest bar %.0f t)</text>",
	        left, tMax);
	fputs("</svg>\n", f);
#undef TX
	free(aA);
	free(aU);
	tab_free(&origins);
}

static void lag_chart(rpt *r)
{
	FILE *f = r->f;
	if (r->lags.nRow == 0)
		return;
	const double W = 1000, H = 220, left = 40, base = 180;
	double nMax = 1;
	for (size_t i = 0; i < r->lags.nRow; i++)
		nMax = fmax(nMax, dcell(&r->lags, i, 1));
	size_t nBin = r->lags.nRow;
	double bw = (W - left - 10) / (double)nBin;
	fputs("<svg viewBox=\"0 0 1000 220\" role=\"img\" aria-label=\"Histogram of lags\">\n", f);
	for (size_t i = 0; i < nBin; i++) {
		int day = atoi(cell(&r->lags, i, 0));
		double n = dcell(&r->lags, i, 1);
		double h = n / nMax * (base - 20);
		double x = left + bw * (double)i;
		fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %.0f records</title></rect>",
		        day >= 0 && day < 7 ? "bar-a" : "bar-u", x + 1, base - h, bw - 2, h,
		        day < 0 ? "30 days or more, or no arrival before" : "lag in days", n);
		if (n > 0)
			fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\">%.0f</text>", x + 2, base - h - 3, n);
		if (day < 0)
			fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.0f\">30+</text>", x + 2, base + 14);
		else if (day % 5 == 0)
			fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.0f\">%d</text>", x + 2, base + 14, day);
	}
	fprintf(f, "<line class=\"grid\" x1=\"%.0f\" x2=\"990\" y1=\"%.0f\" y2=\"%.0f\"/>", left, base, base);
	fprintf(f, "<text class=\"axis\" x=\"%.0f\" y=\"%.0f\">days from the latest qualifying arrival to the record "
	           "(red: inside the 7-day window)</text></svg>\n",
	        left, H - 8);
}

static void findings(rpt *r)
{
	FILE *f = r->f;
	fputs("<h2 id=\"findings\">Findings</h2>\n<p class=\"sub\">Every finding is <b>suspected</b>: it says what the "
	      "data supports and how strongly, and links to its evidence.</p>\n<ol class=\"findings\">\n",
	      f);
	for (size_t i = 0; i < r->find.nRow; i++) {
		fprintf(f, "<li><span class=\"badge %s\">%s</span>", conf_class(cell(&r->find, i, 1)), cell(&r->find, i, 1));
		esc(f, cell(&r->find, i, 0));
		fprintf(f, " <a href=\"#ev-%zu\">evidence</a></li>\n", i + 1);
	}
	fputs("</ol>\n", f);
}

/* The ids an evidence string ("records:5,7;port_calls:12") gives for one
 * table, as an SQL list "5,7" (digits and commas only); 0 when none. */
static int evidence_ids(const char *zEv, const char *zKind, char *zIds, size_t nIds)
{
	char zTag[64];
	snprintf(zTag, sizeof zTag, "%s:", zKind);
	const char *zAt = strstr(zEv, zTag);
	size_t n = 0;
	for (const char *z = zAt ? zAt + strlen(zTag) : ""; *z && *z != ';' && n + 1 < nIds; z++)
		if ((*z >= '0' && *z <= '9') || *z == ',')
			zIds[n++] = *z;
	while (n > 0 && zIds[n - 1] == ',')
		n--; /* an id cut by the buffer's end would be a wrong id */
	zIds[n] = 0;
	return n > 0 && zIds[0] != ',';
}

/* The evidence of each finding, resolved into rows a reader can check. */
static void evidence(rpt *r)
{
	FILE *f = r->f;
	fputs("<h2 id=\"evidence\">Evidence</h2>\n<p class=\"sub\">Row ids refer to the tables of the case file "
	      "(open it in QGIS or with sqlite3).</p>\n",
	      f);
	for (size_t i = 0; i < r->find.nRow; i++) {
		fprintf(f, "<details id=\"ev-%zu\"><summary>Finding %zu: <span class=\"mono\">", i + 1, i + 1);
		esc(f, cell(&r->find, i, 2));
		fputs("</span></summary>\n", f);
		/* port calls named in the evidence */
		const char *zEv = cell(&r->find, i, 2);
		char zIds[256];
		if (evidence_ids(zEv, "port_calls", zIds, sizeof zIds)) {
			tab pc;
			q(r->s, &pc, "SELECT id, mmsi, port_name, arrival, departure, how FROM port_calls WHERE id IN (%s) ORDER BY arrival",
			  zIds);
			fputs("<table><tr><th>port call</th><th>MMSI</th><th>port</th><th>arrival</th><th>departure</th><th>seen as</th></tr>\n", f);
			for (size_t k = 0; k < pc.nRow; k++) {
				char zA[32], zD[32];
				fprintf(f, "<tr><td>%s</td><td>%s</td><td>", cell(&pc, k, 0), cell(&pc, k, 1));
				esc(f, cell(&pc, k, 2));
				fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", short_time(cell(&pc, k, 3), zA, sizeof zA),
				        short_time(cell(&pc, k, 4), zD, sizeof zD), cell(&pc, k, 5));
			}
			fputs("</table>\n", f);
			tab_free(&pc);
		}
		if (evidence_ids(zEv, "records", zIds, sizeof zIds)) {
			tab rc;
			q(r->s, &rc, "SELECT id, record_id, time, origin, destination, cargo_text, tonnes FROM records "
			             "WHERE id IN (%s) ORDER BY time", zIds);
			fputs("<table><tr><th>record</th><th>document</th><th>left (UTC)</th><th>from</th><th>to</th>"
			      "<th>cargo</th><th>tonnes</th></tr>\n", f);
			for (size_t k = 0; k < rc.nRow; k++) {
				char zA[32];
				fprintf(f, "<tr><td>%s</td><td>", cell(&rc, k, 0));
				esc(f, cell(&rc, k, 1));
				fprintf(f, "</td><td>%s</td><td>", short_time(cell(&rc, k, 2), zA, sizeof zA));
				esc(f, cell(&rc, k, 3));
				fputs("</td><td>", f);
				esc(f, cell(&rc, k, 4));
				fputs("</td><td>", f);
				esc(f, cell(&rc, k, 5));
				fprintf(f, "</td><td class=\"n\">%.1f</td></tr>\n", dcell(&rc, k, 6));
			}
			fputs("</table>\n", f);
			tab_free(&rc);
		}
		fputs("</details>\n", f);
	}
}

static void vessel_cards(rpt *r)
{
	FILE *f = r->f;
	st_store *s = r->s;
	fputs("<h2 id=\"vessels\">Vessels</h2>\n<div class=\"cards\">\n", f);
	int hasScreen = st_store_has_table(s, "screening"), hasRisk = st_store_has_table(s, "vessel_risk");
	for (size_t v = 0; v < r->vessels.nRow; v++) {
		const char *zM = cell(&r->vessels, v, 0);
		char zT[32];
		fprintf(f, "<div class=\"card\"><h3 style=\"color:%s\">", vessel_colour(&r->vessels, zM));
		esc(f, cell(&r->vessels, v, 2)[0] ? cell(&r->vessels, v, 2) : "unnamed vessel");
		fputs("</h3><table>", f);
		fprintf(f, "<tr><th>MMSI</th><td>%s</td></tr><tr><th>IMO</th><td>%s</td></tr>", zM,
		        cell(&r->vessels, v, 1)[0] ? cell(&r->vessels, v, 1) : "not reported");
		fputs("<tr><th>call sign</th><td>", f);
		esc(f, cell(&r->vessels, v, 3));
		fprintf(f, "</td></tr><tr><th>flag (from MMSI)</th><td>%s</td></tr><tr><th>AIS ship type</th><td>%s</td></tr>",
		        cell(&r->vessels, v, 4), cell(&r->vessels, v, 5));
		fprintf(f, "<tr><th>attributed</th><td>%s t in %s records after %s arrivals</td></tr></table>\n",
		        st_thousands(dcell(&r->vessels, v, 6), zT, sizeof zT), cell(&r->vessels, v, 7), cell(&r->vessels, v, 8));
		if (hasScreen) {
			tab sc;
			q(s, &sc, "SELECT list, entry_name, match_kind, score, why FROM screening WHERE mmsi = %s ORDER BY score DESC LIMIT 6", zM);
			fputs("<b>Screening</b>", f);
			if (sc.nRow == 0)
				fputs(": no list entry matched<br>", f);
			else
				fputs("<ul>", f);
			for (size_t k = 0; k < sc.nRow; k++) {
				fputs("<li>", f);
				esc(f, cell(&sc, k, 2));
				fputs(" match on ", f);
				esc(f, cell(&sc, k, 0));
				fputs(": ", f);
				esc(f, cell(&sc, k, 1));
				fputs(" <span class=\"sub\">(", f);
				esc(f, cell(&sc, k, 4));
				fputs(")</span></li>", f);
			}
			if (sc.nRow)
				fputs("</ul>", f);
			tab_free(&sc);
		}
		if (hasRisk) {
			tab rk;
			q(s, &rk, "SELECT indicator, detail FROM vessel_risk WHERE mmsi = %s ORDER BY id LIMIT 10", zM);
			if (rk.nRow) {
				fputs("<b>Risk indicators</b><ul>", f);
				for (size_t k = 0; k < rk.nRow; k++) {
					fputs("<li>", f);
					esc(f, cell(&rk, k, 0));
					if (cell(&rk, k, 1)[0]) {
						/* long lists of linked entities are cut at an item
						 * boundary; the case table holds them whole */
						char zD[320];
						const char *zFull = cell(&rk, k, 1);
						size_t nFull = strlen(zFull);
						if (nFull > 250) {
							memcpy(zD, zFull, 250);
							zD[250] = 0;
							char *zCut = strrchr(zD, ';');
							strcpy(zCut ? zCut : zD + 250, "; ...");
						} else {
							memcpy(zD, zFull, nFull + 1);
						}
						fputs(": ", f);
						esc(f, zD);
					}
					fputs("</li>", f);
				}
				fputs("</ul>", f);
			}
			tab_free(&rk);
		}
		fputs("</div>\n", f);
	}
	fputs("</div>\n", f);
}

static void site_table(rpt *r)
{
	FILE *f = r->f;
	fputs("<h2 id=\"sites\">Destination sites</h2>\n<table><tr><th>site</th><th>tonnes</th><th>records</th>"
	      "<th>first</th><th>last</th><th>nearest facility of interest</th><th>km</th><th>near</th><th>sanctioned</th></tr>\n",
	      f);
	for (size_t i = 0; i < r->sites.nRow; i++) {
		char zT[32], zA[32], zB[32];
		fputs("<tr><td>", f);
		esc(f, cell(&r->sites, i, 0));
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%.10s</td><td class=\"n\">%.10s</td><td>",
		        st_thousands(dcell(&r->sites, i, 3), zT, sizeof zT), cell(&r->sites, i, 4),
		        short_time(cell(&r->sites, i, 5), zA, sizeof zA), short_time(cell(&r->sites, i, 6), zB, sizeof zB));
		esc(f, cell(&r->sites, i, 7));
		fputs(" <span class=\"sub\">", f);
		esc(f, cell(&r->sites, i, 8));
		fprintf(f, "</span></td><td class=\"n\">%.1f</td><td>%s</td><td>%s", dcell(&r->sites, i, 9),
		        atoi(cell(&r->sites, i, 10)) ? "yes" : "no", atoi(cell(&r->sites, i, 11)) ? "<b>yes</b> " : "no");
		esc(f, cell(&r->sites, i, 12));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void month_table(rpt *r)
{
	FILE *f = r->f;
	fputs("<h3>Month by month</h3>\n<table><tr><th>month</th><th>origin</th><th>qualifying arrivals</th>"
	      "<th>records</th><th>tonnes attributed</th><th>tonnes not attributed</th></tr>\n",
	      f);
	for (size_t i = 0; i < r->months.nRow; i++) {
		char zA[32], zU[32];
		int empty = !atoi(cell(&r->months, i, 2)) && !atoi(cell(&r->months, i, 3));
		fprintf(f, "<tr%s><td>%s</td><td>", empty ? " class=\"empty\" style=\"background:#eee\"" : "",
		        cell(&r->months, i, 0));
		esc(f, cell(&r->months, i, 1));
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		        cell(&r->months, i, 2), cell(&r->months, i, 3), st_thousands(dcell(&r->months, i, 4), zA, sizeof zA),
		        st_thousands(dcell(&r->months, i, 5), zU, sizeof zU));
	}
	fputs("</table>\n", f);
}

static void sources(rpt *r)
{
	FILE *f = r->f;
	fputs("<h2 id=\"reproduce\">Sources, parameters, version</h2>\n<table><tr><th>#</th><th>file</th><th>kind</th>"
	      "<th>format</th><th>bytes</th><th>lines</th><th>accepted</th><th>rejected</th><th>SHA-256</th></tr>\n",
	      f);
	for (size_t i = 0; i < r->srcs.nRow; i++) {
		fprintf(f, "<tr><td>%s</td><td>", cell(&r->srcs, i, 0));
		esc(f, cell(&r->srcs, i, 1));
		fputs("</td><td>", f);
		esc(f, cell(&r->srcs, i, 2));
		fputs("</td><td>", f);
		esc(f, cell(&r->srcs, i, 3));
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		           "<td class=\"mono\">%s</td></tr>\n",
		        cell(&r->srcs, i, 4), cell(&r->srcs, i, 6), cell(&r->srcs, i, 7), cell(&r->srcs, i, 8),
		        cell(&r->srcs, i, 5));
	}
	fputs("</table>\n<table><tr><th>stage</th><th>finished</th><th>version</th><th>parameters</th></tr>\n", f);
	for (size_t i = 0; i < r->runs.nRow; i++) {
		char zT[32];
		fputs("<tr><td>", f);
		esc(f, cell(&r->runs, i, 0));
		fprintf(f, "</td><td>%s</td><td>", short_time(cell(&r->runs, i, 1), zT, sizeof zT));
		esc(f, cell(&r->runs, i, 2));
		fputs("</td><td class=\"mono\">", f);
		esc(f, cell(&r->runs, i, 3));
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "</table>\n<p>Written by shiptrace %s. To reproduce: ingest the files above (their SHA-256 "
	           "identify them), then run the stages with the parameters shown.</p>\n",
	        ST_VERSION);
}

st_status st_report_write(st_store *s, FILE *out, const st_report_opts *o, char *zErr, size_t nErr)
{
	if (!st_store_has_table(s, "findings") || !st_store_has_table(s, "attributions")) {
		snprintf(zErr, nErr, "the case has no provenance results: run shiptrace analyze and "
		         "shiptrace trace first");
		return ST_ENOTFOUND;
	}
	rpt r;
	memset(&r, 0, sizeof r);
	r.s = s;
	r.f = out;
	char zPath[1024];
	snprintf(zPath, sizeof zPath, "%s/basemap/countries-50m.geojson", st_data_dir());
	FILE *fb = fopen(zPath, "rb");
	if (fb) {
		fseek(fb, 0, SEEK_END);
		long n = ftell(fb);
		fseek(fb, 0, SEEK_SET);
		char *z = n > 0 && n < (64L << 20) ? malloc((size_t)n + 1) : NULL;
		if (z) {
			size_t got = fread(z, 1, (size_t)n, fb);
			z[got] = 0;
			r.pBase = cJSON_Parse(z);
			free(z);
		}
		fclose(fb);
	}
	st_gazetteer g;
	st_gazetteer_init(&g);
	snprintf(zPath, sizeof zPath, "%s/ports.csv", st_data_dir());
	char zMsg[256];
	if (st_gazetteer_load_csv(&g, zPath, zMsg, sizeof zMsg) != ST_OK)
		st_gazetteer_free(&g);

	q(s, &r.find, "SELECT finding, confidence, evidence FROM findings ORDER BY id");
	q(s, &r.attr, "SELECT count(*), coalesce(sum(tonnes),0), count(DISTINCT port_call_id), count(DISTINCT mmsi) FROM attributions");
	q(s, &r.flows, "SELECT origin, site, tonnes, records FROM flows ORDER BY tonnes DESC");
	q(s, &r.sites, "SELECT site, lat, lon, tonnes, records, first_date, last_date, nearest_facility, facility_kind, "
	               "facility_km, near_facility, facility_sanctioned, facility_list_entry FROM site_summary ORDER BY tonnes DESC");
	if (st_store_has_table(s, "facilities"))
		q(s, &r.fac, "SELECT name, kind, lat, lon, sanctioned FROM facilities ORDER BY id");
	if (st_store_has_table(s, "places"))
		q(s, &r.places, "SELECT name, aliases, kind, lat, lon FROM places ORDER BY id");
	q(s, &r.months, "SELECT month, origin, qualifying_arrivals, selected_records, tonnes_attributed, "
	                "tonnes_unattributed FROM monthly ORDER BY month, origin");
	q(s, &r.lags, "SELECT lag_day, records FROM lags ORDER BY CASE WHEN lag_day < 0 THEN 1000 ELSE lag_day END");
	q(s, &r.sig, "SELECT real_tonnes, mean_shifted_tonnes, shifts, at_least_as_good, p_value FROM significance");
	q(s, &r.runs, "SELECT stage, finished, version, parameters FROM runs ORDER BY id");
	q(s, &r.srcs, "SELECT id, name, kind, format, size, sha256, lines_read, messages, rejected FROM sources ORDER BY id");
	q(s, &r.arr, "SELECT port_call_id, mmsi, imo, vessel_name, ship_type, origin, arrival, prev_country, qualifies, "
	             "reason, confidence FROM arrivals ORDER BY arrival");
	q(s, &r.sel, "SELECT record_row, record_id, time, origin, destination, tonnes, attributed FROM selected_records");
	q(s, &r.vessels, "SELECT a.mmsi, max(v.imo), max(v.name), max(v.callsign), max(v.flag), max(v.ship_type), "
	                 "sum(a.tonnes), count(*), count(DISTINCT a.port_call_id) FROM attributions a "
	                 "LEFT JOIN vessels v ON v.mmsi = a.mmsi GROUP BY a.mmsi ORDER BY sum(a.tonnes) DESC");
	tab simt;
	q(s, &simt, "SELECT count(*) FROM sources WHERE format LIKE '%%simulated%%'");
	r.simulated = o->simulated || atoi(cell(&simt, 0, 0)) > 0;
	tab_free(&simt);

	FILE *f = out;
	char zT[32], zT2[32];
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	esc(f, o->zTitle ? o->zTitle : "shiptrace case report");
	fprintf(f, "%s</title>\n<style>%s</style></head><body>\n", r.simulated ? " (SIMULATED)" : "", zCss);
	fputs("<h1>", f);
	esc(f, o->zTitle ? o->zTitle : "Suspected cargo provenance: case report");
	fputs("</h1>\n<p class=\"sub\">Case file <span class=\"mono\">", f);
	esc(f, o->zCaseName ? o->zCaseName : "");
	fprintf(f, "</span> &middot; %s backend &middot; shiptrace %s</p>\n", st_store_backend(s), ST_VERSION);
	if (r.simulated)
		fputs("<div class=\"sim\">SIMULATED DATA. This case was generated by <code>shiptrace simulate</code> from a "
		      "scenario shaped by public reporting; vessels' identities and ports are real, their movements, the "
		      "shipment records, site positions and tonnages are invented. Nothing here is evidence about real "
		      "events.</div>\n",
		      f);
	/* the headline figures */
	fputs("<table><tr>", f);
	fprintf(f, "<th>attributed</th><td class=\"n\">%s t in %s records</td>",
	        st_thousands(dcell(&r.attr, 0, 1), zT, sizeof zT), cell(&r.attr, 0, 0));
	fprintf(f, "<th>arrivals</th><td class=\"n\">%s by %s vessels</td>", cell(&r.attr, 0, 2), cell(&r.attr, 0, 3));
	fprintf(f, "<th>sites</th><td class=\"n\">%zu</td>", r.sites.nRow);
	if (r.sig.nRow)
		fprintf(f, "<th>timing by chance?</th><td class=\"n\">p = %.4f (%s shifts)</td>", dcell(&r.sig, 0, 4),
		        cell(&r.sig, 0, 2));
	fputs("</tr></table>\n", f);

	findings(&r);
	fputs("<h2 id=\"maps\">Maps</h2>\n", f);
	if (r.pBase) {
		map_sea(&r, g.nPort ? &g : NULL);
		map_land(&r, g.nPort ? &g : NULL);
	} else {
		fputs("<p>The base map (data/basemap) could not be read; maps omitted.</p>\n", f);
	}
	fputs("<h2 id=\"timeline\">Timing</h2>\n", f);
	timeline(&r);
	month_table(&r);
	fputs("<h3>Lags, and could the timing be chance?</h3>\n", f);
	lag_chart(&r);
	if (r.sig.nRow)
		fprintf(f, "<p>Permutation test: the qualifying arrivals explain %s t of outbound cargo within the window "
		           "(counted on hourly bins, so it can differ slightly from the attributed total). "
		           "Shifted in time %s times, they explained %s t on average, and %s of the shifts explained as "
		           "much as the real series: p = %.4f. The smallest p-value this test can give is %.4f.</p>\n",
		        st_thousands(dcell(&r.sig, 0, 0), zT, sizeof zT), cell(&r.sig, 0, 2),
		        st_thousands(dcell(&r.sig, 0, 1), zT2, sizeof zT2), cell(&r.sig, 0, 3), dcell(&r.sig, 0, 4),
		        1.0 / (1.0 + dcell(&r.sig, 0, 2)));
	vessel_cards(&r);
	site_table(&r);
	evidence(&r);
	sources(&r);
	fputs("</body></html>\n", f);

	tab *aTab[] = {&r.find, &r.attr, &r.flows, &r.sites, &r.fac, &r.months, &r.lags, &r.sig,
	               &r.runs, &r.srcs, &r.arr, &r.sel, &r.places, &r.vessels};
	for (size_t i = 0; i < sizeof aTab / sizeof aTab[0]; i++)
		tab_free(aTab[i]);
	cJSON_Delete(r.pBase);
	st_gazetteer_free(&g);
	if (ferror(out)) {
		snprintf(zErr, nErr, "write error");
		return ST_EIO;
	}
	return ST_OK;
}
