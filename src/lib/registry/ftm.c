/* Reader for OpenSanctions / FollowTheMoney entities, one JSON object per
 * line: {"id", "schema", "properties": {prop: [values]}, "target"}. Things
 * (Vessel, Company, Organization, LegalEntity, PublicBody, Person, Airplane)
 * become entries; interval schemata (Ownership, Directorship, UnknownLink,
 * Associate, Family, Employment, Membership, Representation, Succession)
 * and the Vessel's own owner/operator properties become links; a Sanction
 * marks its entity listed and adds its program. Relationships may come
 * before the entities they join, so they resolve after the last line. An
 * entity is listed when the export marks it a target, when its topics say
 * "sanction", or when a Sanction names it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "shiptrace/registry.h"
#include "registry/csvrec.h"
#include "registry/internal.h"

#define FTM_MAX_LINE (4u << 20)
#define FTM_MAX_ALIAS 128

typedef struct edge {
	char *zFrom, *zTo, *zKind;  /* zTo NULL for a Sanction: zKind = program */
	uint64_t line;
} edge;

typedef struct edges {
	edge *a;
	size_t n, nCap;
} edges;

static int edge_add(edges *E, const char *zFrom, const char *zTo,
                    const char *zKind, uint64_t line)
{
	if (E->n == E->nCap) {
		size_t cap = E->nCap ? E->nCap * 2 : 256;
		edge *a = realloc(E->a, cap * sizeof *a);
		if (!a)
			return -1;
		E->a = a;
		E->nCap = cap;
	}
	edge *e = &E->a[E->n];
	e->zFrom = strdup(zFrom);
	e->zTo = zTo ? strdup(zTo) : NULL;
	e->zKind = strdup(zKind ? zKind : "");
	e->line = line;
	E->n++;
	if (!e->zFrom || (zTo && !e->zTo) || !e->zKind)
		return -1;
	return 0;
}

/* First string value of a property, or NULL. */
static const char *prop1(const cJSON *props, const char *zProp)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(props, zProp);
	if (cJSON_IsString(a))
		return a->valuestring;
	if (!cJSON_IsArray(a))
		return NULL;
	const cJSON *v = cJSON_GetArrayItem(a, 0);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Every string value of a property joined with "; " into zOut. */
static void prop_join(const cJSON *props, const char *zProp, char *zOut, size_t nOut)
{
	size_t m = 0;
	zOut[0] = '\0';
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(props, zProp);
	const cJSON *v;
	cJSON_ArrayForEach(v, a)
	{
		if (!cJSON_IsString(v) || m + 3 >= nOut)
			continue;
		m += (size_t)snprintf(zOut + m, nOut - m, "%s%s", m ? "; " : "", v->valuestring);
		if (m >= nOut)
			m = nOut - 1;
	}
}

static const struct {
	const char *zSchema;
	const char *zFrom, *zTo;
} aRel[] = {
	{"Ownership", "owner", "asset"},
	{"Directorship", "director", "organization"},
	{"UnknownLink", "subject", "object"},
	{"Associate", "person", "associate"},
	{"Family", "person", "relative"},
	{"Employment", "employee", "employer"},
	{"Membership", "member", "organization"},
	{"Representation", "agent", "client"},
	{"Succession", "predecessor", "successor"},
};

static st_entity_kind thing_kind(const char *z)
{
	if (!strcmp(z, "Vessel"))
		return ST_ENT_VESSEL;
	if (!strcmp(z, "Person"))
		return ST_ENT_PERSON;
	if (!strcmp(z, "Airplane"))
		return ST_ENT_AIRCRAFT;
	if (!strcmp(z, "Company") || !strcmp(z, "Organization") ||
	    !strcmp(z, "LegalEntity") || !strcmp(z, "PublicBody"))
		return ST_ENT_ORGANIZATION;
	return 0;
}

static void lower_into(const char *z, char *zOut, size_t nOut)
{
	size_t i = 0, m = 0;
	for (; z[i] && m + 2 < nOut; i++) {
		char ch = z[i];
		if (ch >= 'A' && ch <= 'Z') {
			if (i > 0)
				zOut[m++] = '_';
			ch = (char)(ch + 32);
		}
		zOut[m++] = ch;
	}
	zOut[m] = '\0';
}

/* Adds every name-like value (name beyond the first, alias, weakAlias,
 * previousName) as an alias. */
static int collect_aliases(const cJSON *props, const char *zName,
                           const char **az, int n)
{
	static const char *const azProp[] = {"name", "alias", "previousName",
	                                     "weakAlias", NULL};
	for (const char *const *p = azProp; *p; p++) {
		const cJSON *v;
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(props, *p);
		cJSON_ArrayForEach(v, a)
		{
			if (!cJSON_IsString(v) || !*v->valuestring || n >= FTM_MAX_ALIAS)
				continue;
			if (zName && !strcmp(v->valuestring, zName))
				continue;
			az[n++] = v->valuestring;
		}
	}
	return n;
}

st_status st__ftm_load(st__list_ctx *c, const char *zBuf, size_t nBuf)
{
	st_list_stats *s = c->pStats;
	const char *zList = c->pOpts->zListName ? c->pOpts->zListName : "OpenSanctions";
	edges E = {0};
	st_status rc = ST_OK;
	size_t pos = 0;
	uint64_t line = 0;
	const char **azAlias = malloc(FTM_MAX_ALIAS * sizeof *azAlias);
	char *zLine = NULL;
	size_t nLineCap = 0;
	char zProg[1024], zFlag[256], zNotes[2048], zType[256];
	if (!azAlias)
		return ST_ENOMEM;
	int iFirst = st_lists_count(c->pLists);
	while (pos < nBuf) {
		const char *p = zBuf + pos;
		const char *nl = memchr(p, '\n', nBuf - pos);
		size_t n = nl ? (size_t)(nl - p) : nBuf - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		s->nLine++;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n == 0) {
			s->nSkipped++;
			continue;
		}
		s->nRow++;
		if (n > FTM_MAX_LINE) {
			st__list_reject(c, line, "line longer than %u bytes", FTM_MAX_LINE);
			continue;
		}
		if (n + 1 > nLineCap) {
			char *z = realloc(zLine, n + 1);
			if (!z) {
				rc = ST_ENOMEM;
				goto done;
			}
			zLine = z;
			nLineCap = n + 1;
		}
		memcpy(zLine, p, n);
		zLine[n] = '\0';
		cJSON *j = cJSON_ParseWithLength(zLine, n);
		if (!j) {
			st__list_reject(c, line, "not valid JSON");
			continue;
		}
		const cJSON *jId = cJSON_GetObjectItemCaseSensitive(j, "id");
		const cJSON *jSchema = cJSON_GetObjectItemCaseSensitive(j, "schema");
		const cJSON *props = cJSON_GetObjectItemCaseSensitive(j, "properties");
		if (!cJSON_IsString(jId) || !*jId->valuestring || !cJSON_IsString(jSchema) ||
		    !cJSON_IsObject(props)) {
			st__list_reject(c, line, "no id, schema or properties");
			cJSON_Delete(j);
			continue;
		}
		const char *zId = jId->valuestring;
		const char *zSchema = jSchema->valuestring;
		st_entity_kind kind = thing_kind(zSchema);
		if (kind) {
			const char *zName = prop1(props, "name");
			if (!zName || !*zName) {
				st__list_reject(c, line, "%s %s has no name", zSchema, zId);
				cJSON_Delete(j);
				continue;
			}
			st_list_entry e = {0};
			e.zList = zList;
			e.zEntryId = zId;
			e.kind = kind;
			const cJSON *jTarget = cJSON_GetObjectItemCaseSensitive(j, "target");
			e.listed = cJSON_IsTrue(jTarget);
			char zTopics[512];
			prop_join(props, "topics", zTopics, sizeof zTopics);
			if (strstr(zTopics, "sanction"))
				e.listed = 1;
			e.zName = zName;
			e.nAlias = collect_aliases(props, zName, azAlias, 0);
			e.azAlias = azAlias;
			if (kind == ST_ENT_VESSEL) {
				const char *zImo = prop1(props, "imoNumber");
				if (zImo) {
					uint32_t v;
					int ok = st_imo_parse(zImo, strlen(zImo), &v);
					if (ok == 1)
						e.imo = v;
					else
						s->nBadImo++;
				}
				const char *zMmsi = prop1(props, "mmsi");
				if (zMmsi) {
					size_t d = 0;
					uint32_t v = 0;
					while (zMmsi[d] >= '0' && zMmsi[d] <= '9' && d < 10)
						v = v * 10 + (uint32_t)(zMmsi[d++] - '0');
					if (d == 9 && !zMmsi[d]) {
						e.mmsi = v;
						if (st_mmsi_classify(v, NULL) != ST_MMSI_SHIP)
							s->nOddMmsi++;
					} else
						s->nBadMmsi++;
				}
			}
			const char *zCall = prop1(props, "callSign");
			e.zCallSign = zCall ? zCall : "";
			prop_join(props, "flag", zFlag, sizeof zFlag);
			if (!*zFlag)
				prop_join(props, "country", zFlag, sizeof zFlag);
			e.zFlag = zFlag;
			prop_join(props, "program", zProg, sizeof zProg);
			e.zProgram = zProg;
			prop_join(props, "type", zType, sizeof zType);
			e.zVesselType = kind == ST_ENT_VESSEL ? zType : "";
			prop_join(props, "notes", zNotes, sizeof zNotes);
			e.zRemarks = zNotes;
			e.zSource = c->zFile;
			e.line = line;
			if (st_lists_find(c->pLists, zList, zId) >= 0) {
				st__list_reject(c, line, "entity %s appears twice", zId);
				cJSON_Delete(j);
				continue;
			}
			if ((rc = st_lists_add(c->pLists, &e, NULL))) {
				cJSON_Delete(j);
				goto done;
			}
			s->nEntry++;
			if (kind == ST_ENT_VESSEL)
				s->nVessel++;
			/* A Vessel may name its owner and operator directly. */
			static const char *const azVp[] = {"owner", "operator", NULL};
			for (const char *const *vp = azVp; kind == ST_ENT_VESSEL && *vp; vp++) {
				const cJSON *a = cJSON_GetObjectItemCaseSensitive(props, *vp);
				const cJSON *v;
				cJSON_ArrayForEach(v, a)
				{
					if (cJSON_IsString(v) &&
					    edge_add(&E, zId, v->valuestring, *vp, line)) {
						cJSON_Delete(j);
						rc = ST_ENOMEM;
						goto done;
					}
				}
			}
			cJSON_Delete(j);
			continue;
		}
		if (!strcmp(zSchema, "Sanction")) {
			const char *zEnt = prop1(props, "entity");
			if (!zEnt) {
				st__list_reject(c, line, "Sanction %s names no entity", zId);
			} else {
				prop_join(props, "program", zProg, sizeof zProg);
				if (!*zProg)
					prop_join(props, "authority", zProg, sizeof zProg);
				if (edge_add(&E, zEnt, NULL, zProg, line)) {
					cJSON_Delete(j);
					rc = ST_ENOMEM;
					goto done;
				}
			}
			cJSON_Delete(j);
			continue;
		}
		size_t r;
		for (r = 0; r < sizeof aRel / sizeof aRel[0]; r++)
			if (!strcmp(zSchema, aRel[r].zSchema))
				break;
		if (r == sizeof aRel / sizeof aRel[0]) {
			s->nSkipped++; /* Address, Identification, ...: nothing to screen */
			s->nRow--;
			cJSON_Delete(j);
			continue;
		}
		const char *zFrom = prop1(props, aRel[r].zFrom);
		const char *zTo = prop1(props, aRel[r].zTo);
		if (!zFrom || !zTo) {
			st__list_reject(c, line, "%s %s lacks %s or %s", zSchema, zId,
			                aRel[r].zFrom, aRel[r].zTo);
			cJSON_Delete(j);
			continue;
		}
		char zKind[64];
		lower_into(zSchema, zKind, sizeof zKind);
		if (edge_add(&E, zFrom, zTo, zKind, line)) {
			cJSON_Delete(j);
			rc = ST_ENOMEM;
			goto done;
		}
		cJSON_Delete(j);
	}
	for (size_t k = 0; k < E.n; k++) {
		edge *e = &E.a[k];
		int iFrom = st_lists_find(c->pLists, zList, e->zFrom);
		if (iFrom < iFirst)
			iFrom = -1;
		if (!e->zTo) {
			/* Sanction */
			st_list_entry *pe = st__lists_entry_mut(c->pLists, iFrom);
			if (!pe) {
				s->nLinkUnresolved++;
				continue;
			}
			pe->listed = 1;
			if (*e->zKind && !strstr(pe->zProgram, e->zKind)) {
				char zP[1200];
				snprintf(zP, sizeof zP, "%s%s%s", pe->zProgram,
				         *pe->zProgram ? "; " : "", e->zKind);
				const char *z = st__arena_strndup(st__lists_arena(c->pLists), zP, strlen(zP));
				if (!z) {
					rc = ST_ENOMEM;
					goto done;
				}
				pe->zProgram = z;
			}
			continue;
		}
		int iTo = st_lists_find(c->pLists, zList, e->zTo);
		if (iTo < iFirst)
			iTo = -1;
		if (iFrom < 0 || iTo < 0) {
			s->nLinkUnresolved++;
			continue;
		}
		char zText[300];
		snprintf(zText, sizeof zText, "%s: %s -> %s", e->zKind, e->zFrom, e->zTo);
		if ((rc = st_lists_add_link(c->pLists, iFrom, iTo, e->zKind, zText, e->line)))
			goto done;
		s->nLink++;
	}
done:
	for (size_t k = 0; k < E.n; k++) {
		free(E.a[k].zFrom);
		free(E.a[k].zTo);
		free(E.a[k].zKind);
	}
	free(E.a);
	free(azAlias);
	free(zLine);
	return rc;
}
