/* Reader for the OFAC SDN list in its legacy 12-column CSV (sdn.csv):
 * ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
 * Tonnage, GRT, Vess_flag, Vess_owner, Remarks. No header; latin-1; `-0-`
 * (often with a trailing space) for empty; CRLF; a DOS end-of-file byte
 * (0x1A) alone on the last line. Identifiers and relations live inside
 * Remarks as "; "-separated phrases: "Vessel Registration Identification IMO
 * 9179842", "MMSI 273382620", "Linked To: M LEASING LLC.", "a.k.a. 'X'".
 * Quirks of the real file handled here: a few vessels give their IMO number
 * without the "IMO" label ("Vessel Registration Identification 8606173."),
 * which is accepted only when the check digit holds, and one (NS LEADER)
 * uses the companies' label "Identification Number IMO"; companies carry IMO
 * *company* numbers ("Identification Number IMO 5342883") that must never be
 * read as ship numbers; several programs arrive as "A] [B"; Remarks are cut
 * at 1000 characters, so the last phrase of such a row is not trusted; and
 * a "Linked To" name often lacks the final period of the entry it names
 * ("S.A" for "S.A."), so links resolve by normalised name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/registry.h"
#include "registry/csvrec.h"
#include "registry/internal.h"

#define OFAC_REMARKS_CAP 1000
#define OFAC_MAX_ALIAS 64

typedef struct pending_link {
	int iFrom;
	uint64_t line;
	char *zName;      /* malloc'd */
} pending_link;

/* Copies a field into zOut with `-0-` and surrounding blanks removed. */
static size_t clean_field(const char *z, size_t n, char *zOut, size_t nOut)
{
	while (n && (*z == ' ' || *z == '\t'))
		z++, n--;
	while (n && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	if (n == 3 && !memcmp(z, "-0-", 3))
		n = 0;
	if (n >= nOut)
		n = nOut - 1;
	memcpy(zOut, z, n);
	zOut[n] = '\0';
	return n;
}

static int starts_with(const char *z, const char *zPrefix)
{
	return !strncmp(z, zPrefix, strlen(zPrefix));
}

/* Reads the digits following zAt (after blanks); returns their count. */
static int read_digits(const char *z, uint32_t *pVal, int nMax)
{
	while (*z == ' ')
		z++;
	int n = 0;
	uint32_t v = 0;
	while (z[n] >= '0' && z[n] <= '9') {
		if (n < nMax)
			v = v * 10 + (uint32_t)(z[n] - '0');
		n++;
	}
	*pVal = v;
	return n;
}

/* Strips a trailing period and surrounding single quotes of an alias. */
static void strip_alias(char *z)
{
	size_t n = strlen(z);
	while (n && (z[n - 1] == '.' || z[n - 1] == ' '))
		z[--n] = '\0';
	if (n >= 2 && z[0] == '\'' && z[n - 1] == '\'') {
		memmove(z, z + 1, n - 2);
		z[n - 2] = '\0';
	}
}

st_status st__ofac_load(st__list_ctx *c, const char *zBuf, size_t nBuf)
{
	st_list_stats *s = c->pStats;
	const char *zList = c->pOpts->zListName ? c->pOpts->zListName : "OFAC SDN";
	st__csvrec csv;
	st__csvrec_init(&csv, zBuf, nBuf, ',');
	pending_link *aPend = NULL;
	size_t nPend = 0, nPendCap = 0;
	st_status rc = ST_OK;
	char zName[512], zType[32], zProg[512], zCall[64], zVtype[128], zFlag[128];
	char zOwner[512], zId[32];
	char *zRem = malloc(ST__CSV_MAX_RECORD + 1);
	char *zSeg = malloc(ST__CSV_MAX_RECORD + 1);
	char **azAlias = malloc(OFAC_MAX_ALIAS * sizeof *azAlias);
	if (!zRem || !zSeg || !azAlias) {
		rc = ST_ENOMEM;
		goto done;
	}
	for (;;) {
		st_status r = st__csvrec_next(&csv);
		if (r == ST_ENOTFOUND)
			break;
		if (r == ST_ENOMEM) {
			rc = r;
			goto done;
		}
		if (r != ST_OK) {
			s->nLine++;
			s->nRow++;
			st__list_reject(c, csv.recLine, "%s", r == ST_EMALFORMED ?
			                "unterminated quote" : "row too long");
			continue;
		}
		s->nLine += csv.recLines;
		if (csv.nField == 1 && (csv.anField[0] == 0 ||
		    (csv.anField[0] == 1 && csv.azField[0][0] == '\x1a'))) {
			s->nSkipped++; /* blank line, or the DOS end-of-file mark */
			continue;
		}
		s->nRow++;
		if (csv.nField != 12) {
			st__list_reject(c, csv.recLine, "expected 12 fields, found %d",
			                csv.nField);
			continue;
		}
		uint32_t ent;
		size_t nIdLen = csv.anField[0];
		if (nIdLen == 0 || nIdLen > 10 || (int)nIdLen != read_digits(csv.azField[0], &ent, 10)) {
			st__list_reject(c, csv.recLine, "ent_num '%.20s' is not a number",
			                csv.azField[0]);
			continue;
		}
		if (!clean_field(csv.azField[1], csv.anField[1], zName, sizeof zName)) {
			st__list_reject(c, csv.recLine, "empty SDN_Name");
			continue;
		}
		clean_field(csv.azField[2], csv.anField[2], zType, sizeof zType);
		st_entity_kind kind;
		if (!*zType)
			kind = ST_ENT_ORGANIZATION; /* OFAC leaves entities untyped */
		else if (!strcmp(zType, "individual"))
			kind = ST_ENT_PERSON;
		else if (!strcmp(zType, "vessel"))
			kind = ST_ENT_VESSEL;
		else if (!strcmp(zType, "aircraft"))
			kind = ST_ENT_AIRCRAFT;
		else {
			st__list_reject(c, csv.recLine, "unknown SDN_Type '%.20s'", zType);
			continue;
		}
		/* "UKRAINE-EO13661] [CYBER2" is two programs. */
		size_t nProg = clean_field(csv.azField[3], csv.anField[3], zProg, sizeof zProg);
		for (char *p = strstr(zProg, "] ["); p; p = strstr(p, "] [")) {
			memcpy(p, "; ", 2);
			memmove(p + 2, p + 3, nProg - (size_t)(p + 3 - zProg) + 1);
			nProg--;
		}
		clean_field(csv.azField[5], csv.anField[5], zCall, sizeof zCall);
		clean_field(csv.azField[6], csv.anField[6], zVtype, sizeof zVtype);
		clean_field(csv.azField[9], csv.anField[9], zFlag, sizeof zFlag);
		clean_field(csv.azField[10], csv.anField[10], zOwner, sizeof zOwner);
		size_t nRem = clean_field(csv.azField[11], csv.anField[11], zRem,
		                          ST__CSV_MAX_RECORD + 1);
		int truncated = nRem >= OFAC_REMARKS_CAP;
		if (truncated)
			s->nTruncated++;

		st_list_entry e = {0};
		snprintf(zId, sizeof zId, "%u", ent);
		e.zList = zList;
		e.zEntryId = zId;
		e.kind = kind;
		e.listed = 1;
		e.zName = zName;
		e.zCallSign = zCall;
		e.zFlag = zFlag;
		e.zProgram = zProg;
		e.zVesselType = zVtype;
		e.zRemarks = zRem;
		e.zSource = c->zFile;
		e.line = csv.recLine;
		int nAlias = 0;
		size_t nPend0 = nPend;
		/* Walk the phrases of Remarks. */
		memcpy(zSeg, zRem, nRem + 1);
		char *zNext = zSeg;
		while (zNext && *zNext) {
			char *zPh = zNext;
			char *zSemi = strchr(zPh, ';');
			if (zSemi) {
				*zSemi = '\0';
				zNext = zSemi + 1;
			} else {
				zNext = NULL;
				if (truncated)
					break; /* cut mid-phrase: not trusted */
			}
			while (*zPh == ' ')
				zPh++;
			if (starts_with(zPh, "a.k.a. ") || starts_with(zPh, "f.k.a. ") ||
			    starts_with(zPh, "n.k.a. ")) {
				char *zA = zPh + 7;
				strip_alias(zA);
				if (*zA && nAlias < OFAC_MAX_ALIAS)
					azAlias[nAlias++] = zA;
			} else if (starts_with(zPh, "Linked To: ")) {
				char *zL = zPh + 11;
				size_t n = strlen(zL);
				while (n && (zL[n - 1] == '.' || zL[n - 1] == ' '))
					n--;
				if (!n)
					continue;
				if (nPend == nPendCap) {
					size_t cap = nPendCap ? nPendCap * 2 : 1024;
					pending_link *a = realloc(aPend, cap * sizeof *a);
					if (!a) {
						rc = ST_ENOMEM;
						goto done;
					}
					aPend = a;
					nPendCap = cap;
				}
				aPend[nPend].iFrom = -1;
				aPend[nPend].line = csv.recLine;
				aPend[nPend].zName = strndup(zL, n);
				if (!aPend[nPend].zName) {
					rc = ST_ENOMEM;
					goto done;
				}
				nPend++;
			} else if (kind == ST_ENT_VESSEL &&
			           (starts_with(zPh, "Vessel Registration Identification ") ||
			            starts_with(zPh, "Identification Number IMO "))) {
				/* NS LEADER, a vessel, uses the companies' label. */
				char *zV = zPh + (zPh[0] == 'V' ? 35 : 22);
				int labelled = starts_with(zV, "IMO");
				if (labelled)
					zV += 3;
				uint32_t v;
				int nd = read_digits(zV, &v, 10);
				if (nd == 7 && st_imo_valid(v))
					e.imo = v;
				else if (labelled)
					s->nBadImo++;
				/* an unlabelled number that is not a valid IMO is a
				 * national registration number: kept in Remarks only */
			} else if (kind == ST_ENT_VESSEL && starts_with(zPh, "MMSI ")) {
				uint32_t v;
				int nd = read_digits(zPh + 5, &v, 10);
				if (nd == 9) {
					e.mmsi = v;
					if (st_mmsi_classify(v, NULL) != ST_MMSI_SHIP)
						s->nOddMmsi++;
				} else
					s->nBadMmsi++;
			}
		}
		e.azAlias = (const char *const *)azAlias;
		e.nAlias = nAlias;
		int iEntry;
		if (st_lists_find(c->pLists, zList, zId) >= 0) {
			st__list_reject(c, csv.recLine, "ent_num %s appears twice", zId);
			for (size_t k = nPend0; k < nPend; k++)
				free(aPend[k].zName);
			nPend = nPend0;
			continue;
		}
		if ((rc = st_lists_add(c->pLists, &e, &iEntry)))
			goto done;
		for (size_t k = nPend0; k < nPend; k++)
			aPend[k].iFrom = iEntry;
		s->nEntry++;
		if (kind == ST_ENT_VESSEL)
			s->nVessel++;
		if (*zOwner) {
			int n0 = st_lists_count(c->pLists);
			int iOwner = st__lists_party(c->pLists, zList, zOwner, c->zFile,
			                             ST_ENT_ORGANIZATION);
			if (st_lists_count(c->pLists) > n0)
				s->nParty++;
			if (iOwner == -2) {
				rc = ST_ENOMEM;
				goto done;
			}
			if (iOwner >= 0 && iOwner != iEntry) {
				if ((rc = st_lists_add_link(c->pLists, iEntry, iOwner, "owner",
				                            zOwner, csv.recLine)))
					goto done;
				s->nLink++;
			}
		}
	}
	/* Links resolve once every entry is known: the entry a row names may
	 * come later in the file. */
	for (size_t k = 0; k < nPend; k++) {
		char zNorm[512];
		const char *zL = aPend[k].zName;
		st_vessel_name(zL, zNorm, sizeof zNorm);
		int iTo = st__lists_find_name(c->pLists, zList, zNorm);
		char zText[600];
		snprintf(zText, sizeof zText, "Linked To: %s", zL);
		if (iTo < 0) {
			s->nLinkUnresolved++;
			int n0 = st_lists_count(c->pLists);
			iTo = st__lists_party(c->pLists, zList, zL, c->zFile, ST_ENT_OTHER);
			if (iTo == -2) {
				rc = ST_ENOMEM;
				goto done;
			}
			if (st_lists_count(c->pLists) > n0)
				s->nParty++;
		}
		if (iTo < 0 || iTo == aPend[k].iFrom)
			continue;
		if ((rc = st_lists_add_link(c->pLists, aPend[k].iFrom, iTo, "linked_to",
		                            zText, aPend[k].line)))
			goto done;
		s->nLink++;
	}
done:
	for (size_t k = 0; k < nPend; k++)
		free(aPend[k].zName);
	free(aPend);
	free(zRem);
	free(zSeg);
	free(azAlias);
	st__csvrec_free(&csv);
	return rc;
}
