/* Reader for any sanctions list published as CSV, driven by a column
 * mapping instead of code: the UK, EU and UN lists each name their columns
 * differently, and some give one row per name variant of an entry (the UK
 * list repeats the entry id with a "Name type" of primary name or alias).
 * Rows sharing an entry id merge into one entry; the first primary name is
 * the name and every other name an alias. Keys (docs/screening.md):
 * name (one column, or several joined by '+'), aliases, alias_separator,
 * name_type, imo, mmsi, call_sign, flag, program, vessel_type, remarks,
 * entry_id, list_name (a column) or list (a fixed name), kind (a column) or
 * kind_value (fixed), linked_entities, link_separator, owner, delimiter,
 * encoding, skip_lines. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shiptrace/registry.h"
#include "registry/csvrec.h"
#include "registry/internal.h"

#define MAX_NAME_COLS 8
#define MAX_NAMES 256     /* names kept per entry */
#define MAX_LINKS 64      /* linked names kept per entry */

/* One entry being assembled from its rows. */
typedef struct group {
	char *zId, *zList, *zName, *zCall, *zFlag, *zProg, *zVtype, *zRemarks;
	char *azAlias[MAX_NAMES];
	int nAlias;
	char *azLink[MAX_LINKS];
	char *azLinkKind[MAX_LINKS];
	int nLink;
	uint32_t imo, mmsi;
	st_entity_kind kind;
	uint64_t line;
} group;

typedef struct colmap {
	int aName[MAX_NAME_COLS];
	int nName;
	int iAliases, iNameType, iImo, iMmsi, iCall, iFlag, iProg, iVtype;
	int iRemarks, iId, iListName, iKind, iLinked, iOwner;
} colmap;

static void group_free(group *g)
{
	free(g->zId);
	free(g->zList);
	free(g->zName);
	free(g->zCall);
	free(g->zFlag);
	free(g->zProg);
	free(g->zVtype);
	free(g->zRemarks);
	for (int i = 0; i < g->nAlias; i++)
		free(g->azAlias[i]);
	for (int i = 0; i < g->nLink; i++) {
		free(g->azLink[i]);
		free(g->azLinkKind[i]);
	}
}

static int find_header(const st__csvrec *c, const char *zCol)
{
	if (!zCol || !*zCol)
		return -1;
	for (int i = 0; i < c->nField; i++) {
		const char *z = c->azField[i];
		size_t n = c->anField[i];
		while (n && (z[n - 1] == ' ' || z[n - 1] == '\r'))
			n--;
		while (n && *z == ' ')
			z++, n--;
		if (st__field_is(z, n, zCol))
			return i;
	}
	return -2; /* named but absent */
}

/* Field i of the current row, trimmed, as a new string ("" if absent). */
static char *field_dup(const st__csvrec *c, int i)
{
	if (i < 0 || i >= c->nField)
		return strdup("");
	const char *z = c->azField[i];
	size_t n = c->anField[i];
	while (n && (*z == ' ' || *z == '\t'))
		z++, n--;
	while (n && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\r'))
		n--;
	return strndup(z, n);
}

static int set_if_empty(char **pz, const st__csvrec *c, int i)
{
	if (*pz && **pz)
		return 0;
	char *z = field_dup(c, i);
	if (!z)
		return -1;
	free(*pz);
	*pz = z;
	return 0;
}

static int add_name(group *g, char *z)
{
	if (!z)
		return -1;
	if (!*z || g->nAlias >= MAX_NAMES || (g->zName && !strcmp(g->zName, z))) {
		free(z);
		return 0;
	}
	for (int i = 0; i < g->nAlias; i++)
		if (!strcmp(g->azAlias[i], z)) {
			free(z);
			return 0;
		}
	g->azAlias[g->nAlias++] = z;
	return 0;
}

/* Splits field i by any character of zSep and calls add for each part. */
static int split_add(group *g, const st__csvrec *c, int i, const char *zSep,
                     int isLink, const char *zKind)
{
	char *z = field_dup(c, i);
	if (!z)
		return -1;
	int rc = 0;
	for (char *p = strtok(z, zSep); p && !rc; p = strtok(NULL, zSep)) {
		while (*p == ' ')
			p++;
		size_t n = strlen(p);
		while (n && p[n - 1] == ' ')
			p[--n] = '\0';
		if (!n)
			continue;
		if (isLink) {
			if (g->nLink >= MAX_LINKS)
				continue;
			g->azLink[g->nLink] = strdup(p);
			g->azLinkKind[g->nLink] = strdup(zKind);
			if (!g->azLink[g->nLink] || !g->azLinkKind[g->nLink])
				rc = -1;
			g->nLink++;
		} else
			rc = add_name(g, strdup(p));
	}
	free(z);
	return rc;
}

static int is_alias_type(const char *z)
{
	/* "Alias", "AKA", "a.k.a.", "Alias (non-Latin script)": anything but a
	 * primary name. */
	char zU[32];
	size_t n = 0;
	for (; z[n] && n < sizeof zU - 1; n++)
		zU[n] = (char)(z[n] >= 'a' && z[n] <= 'z' ? z[n] - 32 : z[n]);
	zU[n] = '\0';
	return n && !strstr(zU, "PRIMARY") && !strstr(zU, "MAIN") &&
	       strcmp(zU, "NAME");
}

st_status st__csvlist_load(st__list_ctx *c, const char *zBuf, size_t nBuf)
{
	st_list_stats *s = c->pStats;
	st__map m;
	st_status rc;
	if (!c->pOpts->zMap) {
		snprintf(c->zErr, c->nErr, "%s: a CSV list needs a column mapping (--map)",
		         c->zFile);
		return ST_ECONFIG;
	}
	if ((rc = st__map_parse(&m, c->pOpts->zMap, c->zErr, c->nErr)))
		return rc;
	const char *zDelim = st__map_get(&m, "delimiter");
	char delim = ',';
	if (zDelim && !strcmp(zDelim, "tab"))
		delim = '\t';
	else if (zDelim && !strcmp(zDelim, "semicolon"))
		delim = ';';
	else if (zDelim && !strcmp(zDelim, "comma"))
		delim = ',';
	else if (zDelim && strlen(zDelim) == 1)
		delim = zDelim[0];
	const char *zAliasSep = st__map_get(&m, "alias_separator");
	const char *zLinkSep = st__map_get(&m, "link_separator");
	const char *zFixedList = c->pOpts->zListName ? c->pOpts->zListName
	                                             : st__map_get(&m, "list");
	const char *zKindValue = st__map_get(&m, "kind_value");
	const char *zSkip = st__map_get(&m, "skip_lines");
	int nSkip = zSkip ? atoi(zSkip) : 0;
	if (!zAliasSep || !*zAliasSep)
		zAliasSep = ";";
	if (!zLinkSep || !*zLinkSep)
		zLinkSep = ";";
	if (!zFixedList || !*zFixedList)
		zFixedList = "CSV list";

	st__csvrec csv;
	st__csvrec_init(&csv, zBuf, nBuf, delim);
	group *aGroup = NULL;
	int nGroup = 0, nGroupCap = 0;
	st__smap byId = {0};
	colmap cm;
	int nHeaderField = 0;
	memset(&cm, -1, sizeof cm);
	cm.nName = 0;

	/* Header, after any preamble lines (the UK list starts with a date). */
	for (;;) {
		st_status r = st__csvrec_next(&csv);
		if (r == ST_ENOTFOUND) {
			snprintf(c->zErr, c->nErr, "%s: no header row", c->zFile);
			rc = ST_EFORMAT;
			goto done;
		}
		if (r == ST_ENOMEM) {
			rc = r;
			goto done;
		}
		s->nLine += r == ST_OK ? csv.recLines : 1;
		s->nHeader++;
		if (nSkip-- > 0)
			continue;
		if (r != ST_OK) {
			snprintf(c->zErr, c->nErr, "%s:%llu: unreadable header", c->zFile,
			         (unsigned long long)csv.recLine);
			rc = ST_EFORMAT;
			goto done;
		}
		break;
	}
	{
		static const struct {
			const char *zKey;
			size_t off;
		} aKey[] = {
			{"aliases", offsetof(colmap, iAliases)},
			{"name_type", offsetof(colmap, iNameType)},
			{"imo", offsetof(colmap, iImo)},
			{"mmsi", offsetof(colmap, iMmsi)},
			{"call_sign", offsetof(colmap, iCall)},
			{"flag", offsetof(colmap, iFlag)},
			{"program", offsetof(colmap, iProg)},
			{"vessel_type", offsetof(colmap, iVtype)},
			{"remarks", offsetof(colmap, iRemarks)},
			{"entry_id", offsetof(colmap, iId)},
			{"list_name", offsetof(colmap, iListName)},
			{"kind", offsetof(colmap, iKind)},
			{"linked_entities", offsetof(colmap, iLinked)},
			{"owner", offsetof(colmap, iOwner)},
		};
		for (size_t k = 0; k < sizeof aKey / sizeof aKey[0]; k++) {
			const char *zCol = st__map_get(&m, aKey[k].zKey);
			int i = find_header(&csv, zCol);
			if (i == -2) {
				snprintf(c->zErr, c->nErr, "%s:%llu: mapped column '%s' (%s) is not in the header",
				         c->zFile, (unsigned long long)csv.recLine, zCol, aKey[k].zKey);
				rc = ST_ECONFIG;
				goto done;
			}
			*(int *)((char *)&cm + aKey[k].off) = i;
		}
		nHeaderField = csv.nField;
		const char *zNameSpec = st__map_get(&m, "name");
		if (!zNameSpec) {
			snprintf(c->zErr, c->nErr, "%s: the mapping has no 'name'", c->zFile);
			rc = ST_ECONFIG;
			goto done;
		}
		char zCols[512];
		snprintf(zCols, sizeof zCols, "%s", zNameSpec);
		for (char *p = strtok(zCols, "+"); p; p = strtok(NULL, "+")) {
			while (*p == ' ')
				p++;
			int i = find_header(&csv, p);
			if (i < 0 || cm.nName == MAX_NAME_COLS) {
				snprintf(c->zErr, c->nErr, "%s:%llu: name column '%s' is not in the header",
				         c->zFile, (unsigned long long)csv.recLine, p);
				rc = ST_ECONFIG;
				goto done;
			}
			cm.aName[cm.nName++] = i;
		}
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
		if (csv.nField == 1 && csv.anField[0] == 0) {
			s->nSkipped++;
			continue;
		}
		s->nRow++;
		if (csv.nField != nHeaderField) {
			st__list_reject(c, csv.recLine, "%d fields, the header has %d",
			                csv.nField, nHeaderField);
			continue;
		}
		/* The name, from one or several columns. */
		char zName[1024];
		size_t nName = 0;
		int missing = 0;
		for (int k = 0; k < cm.nName; k++) {
			int i = cm.aName[k];
			if (i >= csv.nField) {
				missing = 1;
				break;
			}
			char *z = field_dup(&csv, i);
			if (!z) {
				rc = ST_ENOMEM;
				goto done;
			}
			if (*z && nName + strlen(z) + 2 < sizeof zName)
				nName += (size_t)snprintf(zName + nName, sizeof zName - nName,
				                          "%s%s", nName ? " " : "", z);
			free(z);
		}
		zName[nName] = '\0';
		if (missing) {
			st__list_reject(c, csv.recLine, "%d fields, fewer than the header",
			                csv.nField);
			continue;
		}
		if (!nName) {
			st__list_reject(c, csv.recLine, "empty name");
			continue;
		}
		char zId[64];
		char *zIdField = cm.iId >= 0 ? field_dup(&csv, cm.iId) : NULL;
		if (cm.iId >= 0 && !zIdField) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (zIdField && *zIdField)
			snprintf(zId, sizeof zId, "%s", zIdField);
		else
			snprintf(zId, sizeof zId, "line:%llu", (unsigned long long)csv.recLine);
		free(zIdField);
		size_t sG = st__smap_find(&byId, zId, st__hash(zId, strlen(zId)), 0);
		group *g;
		if (sG != (size_t)-1)
			g = &aGroup[byId.aVal[sG]];
		else {
			if (nGroup == nGroupCap) {
				int cap = nGroupCap ? nGroupCap * 2 : 64;
				group *a = realloc(aGroup, (size_t)cap * sizeof *a);
				if (!a) {
					rc = ST_ENOMEM;
					goto done;
				}
				aGroup = a;
				nGroupCap = cap;
			}
			g = &aGroup[nGroup];
			memset(g, 0, sizeof *g);
			g->zId = strdup(zId);
			g->line = csv.recLine;
			g->kind = zKindValue ? st_entity_kind_parse(zKindValue) : ST_ENT_OTHER;
			if (!g->zId || st__smap_add(&byId, g->zId, nGroup)) {
				rc = ST_ENOMEM;
				goto done;
			}
			nGroup++;
		}
		int isAlias = 0;
		if (cm.iNameType >= 0) {
			char *zT = field_dup(&csv, cm.iNameType);
			if (!zT) {
				rc = ST_ENOMEM;
				goto done;
			}
			isAlias = is_alias_type(zT);
			free(zT);
		}
		if (!g->zName && !isAlias) {
			if (!(g->zName = strdup(zName))) {
				rc = ST_ENOMEM;
				goto done;
			}
		} else if (add_name(g, strdup(zName))) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (set_if_empty(&g->zCall, &csv, cm.iCall) ||
		    set_if_empty(&g->zFlag, &csv, cm.iFlag) ||
		    set_if_empty(&g->zProg, &csv, cm.iProg) ||
		    set_if_empty(&g->zVtype, &csv, cm.iVtype) ||
		    set_if_empty(&g->zRemarks, &csv, cm.iRemarks) ||
		    set_if_empty(&g->zList, &csv, cm.iListName)) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (cm.iAliases >= 0 && split_add(g, &csv, cm.iAliases, zAliasSep, 0, NULL)) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (cm.iLinked >= 0 && split_add(g, &csv, cm.iLinked, zLinkSep, 1, "linked_to")) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (cm.iOwner >= 0 && split_add(g, &csv, cm.iOwner, zLinkSep, 1, "owner")) {
			rc = ST_ENOMEM;
			goto done;
		}
		if (cm.iKind >= 0 && g->kind == ST_ENT_OTHER) {
			char *zK = field_dup(&csv, cm.iKind);
			if (!zK) {
				rc = ST_ENOMEM;
				goto done;
			}
			g->kind = st_entity_kind_parse(zK);
			free(zK);
		}
		if (cm.iImo >= 0 && cm.iImo < csv.nField && !g->imo) {
			const char *z = csv.azField[cm.iImo];
			size_t n = csv.anField[cm.iImo];
			uint32_t v;
			int ok = st_imo_parse(z, n, &v);
			if (ok == 1)
				g->imo = v;
			else if (n && !(n == 3 && !memcmp(z, "-0-", 3))) {
				int blank = 1;
				for (size_t k = 0; k < n; k++)
					if (z[k] != ' ')
						blank = 0;
				if (!blank)
					s->nBadImo++;
			}
		}
		if (cm.iMmsi >= 0 && cm.iMmsi < csv.nField && !g->mmsi) {
			const char *z = csv.azField[cm.iMmsi];
			size_t n = csv.anField[cm.iMmsi];
			while (n && z[n - 1] == ' ')
				n--;
			size_t d = 0;
			uint32_t v = 0;
			while (d < n && z[d] >= '0' && z[d] <= '9' && d < 10)
				v = v * 10 + (uint32_t)(z[d++] - '0');
			if (d == 9 && d == n) {
				g->mmsi = v;
				if (st_mmsi_classify(v, NULL) != ST_MMSI_SHIP)
					s->nOddMmsi++;
			} else if (n)
				s->nBadMmsi++;
		}
	}

	/* Entries first, links after: a link may name an entry further down. */
	int iFirst = st_lists_count(c->pLists);
	for (int k = 0; k < nGroup; k++) {
		group *g = &aGroup[k];
		st_list_entry e = {0};
		e.zList = g->zList && *g->zList ? g->zList : zFixedList;
		e.zEntryId = g->zId;
		if (g->kind == ST_ENT_OTHER && (g->imo || g->mmsi))
			g->kind = ST_ENT_VESSEL;
		e.kind = g->kind;
		e.listed = 1;
		e.zName = g->zName ? g->zName : (g->nAlias ? g->azAlias[0] : "");
		e.azAlias = (const char *const *)g->azAlias + (g->zName ? 0 : 1);
		e.nAlias = g->zName ? g->nAlias : (g->nAlias ? g->nAlias - 1 : 0);
		e.imo = g->imo;
		e.mmsi = g->mmsi;
		e.zCallSign = g->zCall;
		e.zFlag = g->zFlag;
		e.zProgram = g->zProg;
		e.zVesselType = g->zVtype;
		e.zRemarks = g->zRemarks;
		e.zSource = c->zFile;
		e.line = g->line;
		if (st_lists_find(c->pLists, e.zList, e.zEntryId) >= 0) {
			st__list_reject(c, g->line, "entry %s already loaded in list %s",
			                e.zEntryId, e.zList);
			continue;
		}
		if ((rc = st_lists_add(c->pLists, &e, NULL)))
			goto done;
		s->nEntry++;
		if (e.kind == ST_ENT_VESSEL)
			s->nVessel++;
	}
	for (int k = 0; k < nGroup; k++) {
		group *g = &aGroup[k];
		const char *zList = g->zList && *g->zList ? g->zList : zFixedList;
		int iFrom = st_lists_find(c->pLists, zList, g->zId);
		if (iFrom < iFirst)
			continue;
		for (int j = 0; j < g->nLink; j++) {
			char zNorm[512];
			st_vessel_name(g->azLink[j], zNorm, sizeof zNorm);
			int iTo = st__lists_find_name(c->pLists, zList, zNorm);
			if (iTo < 0) {
				s->nLinkUnresolved++;
				int n0 = st_lists_count(c->pLists);
				iTo = st__lists_party(c->pLists, zList, g->azLink[j], c->zFile,
				                      ST_ENT_OTHER);
				if (iTo == -2) {
					rc = ST_ENOMEM;
					goto done;
				}
				if (st_lists_count(c->pLists) > n0)
					s->nParty++;
			}
			if (iTo < 0 || iTo == iFrom)
				continue;
			char zText[600];
			snprintf(zText, sizeof zText, "%s: %s", g->azLinkKind[j], g->azLink[j]);
			if ((rc = st_lists_add_link(c->pLists, iFrom, iTo, g->azLinkKind[j],
			                            zText, g->line)))
				goto done;
			s->nLink++;
		}
	}
done:
	for (int k = 0; k < nGroup; k++)
		group_free(&aGroup[k]);
	free(aGroup);
	st__smap_free(&byId);
	st__csvrec_free(&csv);
	st__map_free(&m);
	return rc;
}
