/* Named places for the provenance stage: origin ports, destination
 * stations and sites, and facilities of interest. Names resolve through
 * st_name_key, so Cyrillic and Latin spellings and their transliteration
 * variants find the same place; a name that does not resolve is reported,
 * never guessed. */
#ifndef SHIPTRACE_PLACES_H
#define SHIPTRACE_PLACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"

typedef struct st_place {
	char zName[128];
	char zKind[48];       /* port, station, site, depot, arsenal, factory, ... */
	char zCountry[8];
	double lat, lon;
	bool sanctioned;      /* facilities: named on a sanctions list */
	char zListEntry[128]; /* facilities: the list entry that names it */
	char zAliases[512];   /* as given, ';'-separated */
} st_place;

typedef struct st_places st_places;

st_places *st_places_new(void);
void st_places_free(st_places *p);

/* Adds a place under its name and every alias (separated by ';' or '|').
 * Returns its index, or a negative status. */
int st_places_add(st_places *p, const st_place *pPlace, const char *zAliases);

/* Index of the place whose name or alias has the same key, or -1. When
 * several places share a key the first added wins (user files are read
 * before the gazetteer, so a user's place overrides). */
int st_places_find(const st_places *p, const char *zName);

size_t st_places_count(const st_places *p);
const st_place *st_places_get(const st_places *p, size_t i);

typedef void (*st_place_reject_fn)(void *ctx, const char *zFile, uint64_t line,
                                   const char *zWhy);

/* Reads a places CSV (name, aliases, kind, country, lat, lon) or a
 * facilities CSV (name, kind, lat, lon, sanctioned, list_entry; optional
 * aliases, country) by header names, or a GeoJSON FeatureCollection of
 * Points with those properties. Returns how many places were added in
 * *pnAdded; bad rows go to xReject with file and line. */
st_status st_places_read(st_places *p, const char *zPath, st_place_reject_fn xReject,
                         void *ctx, size_t *pnAdded, size_t *pnRejected,
                         char *zErr, size_t nErr);

/* Great-circle distance in metres (haversine, mean Earth radius). */
double st_distance_m(double lat1, double lon1, double lat2, double lon2);

/* Nearest place of p (optionally only those whose kind is not a port or
 * station, i.e. facilities) to a point; -1 when empty. *pDist gets metres. */
int st_places_nearest(const st_places *p, double lat, double lon,
                      bool facilitiesOnly, double *pDist);

#endif
