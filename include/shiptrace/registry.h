/* Vessel identifiers and names as registries define them: IMO ship numbers
 * with their check digit, MMSI structure (ITU-R M.585: the MID, the prefixes
 * of coast stations, SAR aircraft, handhelds, AIS-SART/MOB/EPIRB, aids to
 * navigation), and the name normalisation used to compare names across AIS and lists (case,
 * punctuation, Cyrillic transliteration, Latin accents, M/V-style prefixes).
 * Everything here is pure: no I/O. */
#ifndef SHIPTRACE_REGISTRY_H
#define SHIPTRACE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"

/* 1 when imo is a 7-digit IMO ship number whose last digit is the check
 * digit: sum of the first six digits weighted 7,6,5,4,3,2, modulo 10. */
int st_imo_valid(uint32_t imo);

/* Parses exactly seven digits (an optional leading "IMO" and spaces are
 * allowed) into *pImo. Returns 1 for a number with a valid check digit, 0
 * for one that is well formed but fails it (*pImo still set), -1 for text
 * that is not an IMO number at all (*pImo = 0). */
int st_imo_parse(const char *z, size_t n, uint32_t *pImo);

/* What an MMSI's structure says about the station (ITU-R M.585). */
typedef enum {
	ST_MMSI_INVALID = 0,   /* not 9 digits, or a prefix ITU does not assign */
	ST_MMSI_SHIP,          /* MIDXXXXXX, MID 201..775 */
	ST_MMSI_GROUP,         /* 0MIDXXXXX: group of ships */
	ST_MMSI_COAST,         /* 00MIDXXXX: coast station */
	ST_MMSI_SAR_AIRCRAFT,  /* 111MIDXXX */
	ST_MMSI_HANDHELD,      /* 8MIDXXXXX: handheld VHF with DSC/GNSS */
	ST_MMSI_CRAFT_AUX,     /* 98MIDXXXX: craft associated with a parent ship */
	ST_MMSI_ATON,          /* 99MIDXXXX: aid to navigation */
	ST_MMSI_SART,          /* 970XXYYYY: AIS-SART */
	ST_MMSI_MOB,           /* 972XXYYYY: man overboard device */
	ST_MMSI_EPIRB          /* 974XXYYYY: EPIRB-AIS */
} st_mmsi_kind;

/* Classifies a number as an MMSI; *pMid (may be NULL) gets the MID it
 * carries (0 when the kind has none). A ship MMSI needs MID 201..775. */
st_mmsi_kind st_mmsi_classify(uint32_t mmsi, int *pMid);
const char *st_mmsi_kind_name(st_mmsi_kind k); /* "ship", "coast", ... */

/* The MID table itself (data/mid.csv) and the flag of an MMSI are in
 * analysis.h (st_mid_load, st_mmsi_flag). */

/* A ship name normalised for matching into zOut (nOut bytes, always
 * NUL-terminated): st_name_normalize (names.h: Cyrillic transliterated by
 * ICAO Doc 9303, accents folded, uppercase, punctuation runs one space),
 * then a leading vessel prefix (M/V, MV, MT, M/T, MS, MY, SS, FV) dropped.
 * "m/v Ангара" and "ANGARA" both give "ANGARA". Returns the length. */
size_t st_vessel_name(const char *zIn, char *zOut, size_t nOut);

/* Converts latin-1 (ISO 8859-1) bytes to UTF-8 into zOut (nOut bytes, at
 * least 2*nIn+1 for any input). Returns the length written. */
size_t st_latin1_to_utf8(const char *zIn, size_t nIn, char *zOut, size_t nOut);

/* Path of a file shipped in data/ (the MID table, the gazetteer): under
 * $SHIPTRACE_DATA when set, else the source tree's data/ this library was
 * built from. Returns zOut. */
char *st_registry_data_file(const char *zFile, char *zOut, size_t nOut);

/* 1 when the bytes are valid UTF-8. */
int st_utf8_valid(const char *z, size_t n);

#endif
