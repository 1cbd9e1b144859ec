/* Geometry encodings of the case store and its fixed-width time text.
 * GeoPackage blobs follow the GeoPackage 1.3 "GeoPackageBinary" layout:
 * magic 'GP', version 0, a flags byte (little-endian, envelope [minx, maxx,
 * miny, maxy]), the srs_id, the envelope, then ISO WKB. PostGIS takes EWKB,
 * the same WKB with the SRID flag and value, which COPY accepts directly.
 * All encoders write little-endian explicitly, so the files are the same on
 * any host. */
#include <math.h>
#include <string.h>
#include "shiptrace/time.h"
#include "store/store_int.h"

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return p + 4;
}

static unsigned char *put_f64(unsigned char *p, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return p + 8;
}

static uint32_t get_u32(const unsigned char *p, int le)
{
	if (le)
		return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 |
	       (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static double get_f64(const unsigned char *p, int le)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[le ? i : 7 - i] << (8 * i);
	double d;
	memcpy(&d, &v, 8);
	return d;
}

static void envelope(const st_geom *g, double *e)
{
	e[0] = e[2] = INFINITY;
	e[1] = e[3] = -INFINITY;
	for (size_t i = 0; i < g->nPoint; i++) {
		double x = g->aXY[2 * i], y = g->aXY[2 * i + 1];
		if (x < e[0]) e[0] = x;
		if (x > e[1]) e[1] = x;
		if (y < e[2]) e[2] = y;
		if (y > e[3]) e[3] = y;
	}
}

/* WKB body: byte order, type, coordinates. */
static unsigned char *put_wkb(unsigned char *p, const st_geom *g,
                              uint32_t typeFlags, int32_t srid)
{
	*p++ = 1;
	p = put_u32(p, (uint32_t)g->type | typeFlags);
	if (typeFlags)
		p = put_u32(p, (uint32_t)srid);
	if (g->type == ST_GEOM_LINESTRING)
		p = put_u32(p, (uint32_t)g->nPoint);
	size_t n = g->type == ST_GEOM_POINT ? 1 : g->nPoint;
	for (size_t i = 0; i < n; i++) {
		p = put_f64(p, g->aXY[2 * i]);
		p = put_f64(p, g->aXY[2 * i + 1]);
	}
	return p;
}

static size_t wkb_size(const st_geom *g)
{
	if (g->type == ST_GEOM_POINT)
		return 21;
	return 9 + 16 * g->nPoint;
}

size_t st__gpkg_blob(const st_geom *g, int32_t srsId, unsigned char *buf,
                     size_t n)
{
	if (!g || (g->type != ST_GEOM_POINT && g->type != ST_GEOM_LINESTRING) ||
	    g->nPoint < 1 || g->nPoint > (SIZE_MAX - 64) / 16)
		return 0;
	/* A point is its own envelope: its blob carries none, as GDAL writes
	 * points (the spec makes the envelope optional), which keeps a
	 * position row 32 bytes smaller. Readers take the box from the WKB. */
	int point = g->type == ST_GEOM_POINT;
	size_t need = 8 + (point ? 0 : 32) + wkb_size(g);
	if (need > n)
		return 0;
	unsigned char *p = buf;
	*p++ = 'G';
	*p++ = 'P';
	*p++ = 0;           /* version 1 of the spec's binary format */
	/* standard, not empty, little-endian; envelope [x,y] or none */
	*p++ = point ? 0x01 : 0x03;
	p = put_u32(p, (uint32_t)srsId);
	if (!point) {
		double e[4];
		envelope(g, e);
		for (int i = 0; i < 4; i++)
			p = put_f64(p, e[i]);
	}
	p = put_wkb(p, g, 0, 0);
	return (size_t)(p - buf);
}

/* Walks the WKB of a point or linestring to its envelope. */
static int wkb_envelope(const unsigned char *p, size_t n, double *e)
{
	if (n < 5)
		return -1;
	int le = p[0] == 1;
	uint32_t type = get_u32(p + 1, le) & 0xffff;
	size_t off = 5;
	uint32_t nPt = 1;
	if (type == 2) {
		if (n < 9)
			return -1;
		nPt = get_u32(p + 5, le);
		off = 9;
	} else if (type != 1) {
		return -1;
	}
	if (nPt > (n - off) / 16)
		return -1;
	e[0] = e[2] = INFINITY;
	e[1] = e[3] = -INFINITY;
	int empty = 1;
	for (uint32_t i = 0; i < nPt; i++) {
		double x = get_f64(p + off + 16 * i, le);
		double y = get_f64(p + off + 16 * i + 8, le);
		if (isnan(x) || isnan(y))
			continue;
		empty = 0;
		if (x < e[0]) e[0] = x;
		if (x > e[1]) e[1] = x;
		if (y < e[2]) e[2] = y;
		if (y > e[3]) e[3] = y;
	}
	return empty ? 1 : 0;
}

int st__gpkg_blob_envelope(const unsigned char *p, size_t n, double *minx,
                           double *maxx, double *miny, double *maxy)
{
	if (!p || n < 8 || p[0] != 'G' || p[1] != 'P' || p[2] != 0)
		return -1;
	int flags = p[3];
	if (flags & 0x20)
		return -1;      /* extended geometry types: not ours */
	int le = flags & 1;
	int env = (flags >> 1) & 7;
	static const size_t envSize[8] = {0, 32, 48, 48, 64, 0, 0, 0};
	if (env > 4)
		return -1;
	if (n < 8 + envSize[env])
		return -1;
	if (flags & 0x10)
		return 1;       /* empty geometry */
	double e[4];
	if (env) {
		for (int i = 0; i < 4; i++)
			e[i] = get_f64(p + 8 + 8 * i, le);
	} else {
		int rc = wkb_envelope(p + 8, n - 8, e);
		if (rc)
			return rc;
	}
	*minx = e[0];
	*maxx = e[1];
	*miny = e[2];
	*maxy = e[3];
	return 0;
}

int st__gpkg_blob_point(const unsigned char *p, size_t n, double *x, double *y)
{
	if (!p || n < 8 || p[0] != 'G' || p[1] != 'P')
		return -1;
	static const size_t envSize[8] = {0, 32, 48, 48, 64, 0, 0, 0};
	size_t off = 8 + envSize[(p[3] >> 1) & 7];
	if (n < off + 21)
		return -1;
	const unsigned char *w = p + off;
	int le = w[0] == 1;
	if ((get_u32(w + 1, le) & 0xffff) != 1)
		return -1;
	*x = get_f64(w + 5, le);
	*y = get_f64(w + 13, le);
	return 0;
}

size_t st__ewkb(const st_geom *g, unsigned char *buf, size_t n)
{
	if (!g || (g->type != ST_GEOM_POINT && g->type != ST_GEOM_LINESTRING) ||
	    g->nPoint < 1 || g->nPoint > (SIZE_MAX - 64) / 16)
		return 0;
	size_t need = wkb_size(g) + 4;
	if (need > n)
		return 0;
	return (size_t)(put_wkb(buf, g, 0x20000000u, 4326) - buf);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

size_t st__time_iso(st_time_ms t, char *buf)
{
	int y, mo, d, h, mi, s, ms;
	st_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, &ms);
	if (y < 0 || y > 9999) {
		/* outside what the fixed form holds: fall back, still ISO */
		st_time_format(t, buf, 25);
		return strlen(buf);
	}
	put2(buf, y / 100);
	put2(buf + 2, y % 100);
	buf[4] = '-';
	put2(buf + 5, mo);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = 'T';
	put2(buf + 11, h);
	buf[13] = ':';
	put2(buf + 14, mi);
	buf[16] = ':';
	put2(buf + 17, s);
	buf[19] = '.';
	buf[20] = (char)('0' + ms / 100);
	put2(buf + 21, ms % 100);
	buf[23] = 'Z';
	buf[24] = 0;
	return 24;
}

static int num(const char *z, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (z[i] < '0' || z[i] > '9')
			return -1;
		v = v * 10 + (z[i] - '0');
	}
	return v;
}

st_time_ms st__time_parse(const char *z)
{
	if (z && strlen(z) == 24 && z[4] == '-' && z[7] == '-' && z[10] == 'T' &&
	    z[13] == ':' && z[16] == ':' && z[19] == '.' && z[23] == 'Z') {
		int y = num(z, 4), mo = num(z + 5, 2), d = num(z + 8, 2);
		int h = num(z + 11, 2), mi = num(z + 14, 2), s = num(z + 17, 2);
		int ms = num(z + 20, 3);
		if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
		    h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 61 &&
		    ms >= 0)
			return (st_days_from_civil(y, mo, d) * 86400 +
			        (int64_t)h * 3600 + (int64_t)mi * 60 + s) * 1000 + ms;
	}
	return z ? st_time_parse(z) : ST_TIME_NONE;
}
