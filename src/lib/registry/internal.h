/* Internal to registry/: the string arena every list string lives in, the
 * open-addressing multimaps (integer and string keys, duplicates allowed)
 * that make screening a few hash probes per vessel, and the helpers the
 * list readers share. */
#ifndef SHIPTRACE_REGISTRY_INTERNAL_H
#define SHIPTRACE_REGISTRY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/sanctions.h"

/* Chunked arena: strings never move once copied, so entries can point into
 * it while it grows. */
typedef struct st__arena_blk st__arena_blk;
typedef struct st__arena {
	st__arena_blk *pHead;
} st__arena;

void *st__arena_alloc(st__arena *a, size_t n);
char *st__arena_strndup(st__arena *a, const char *z, size_t n);
void st__arena_free(st__arena *a);

/* Multimap from a non-zero 32-bit key to int values. */
typedef struct st__imap {
	uint32_t *aKey;
	int *aVal;               /* -1 = empty slot */
	size_t nSlot;            /* power of two */
	size_t nUsed;
} st__imap;

int st__imap_add(st__imap *m, uint32_t key, int val); /* 0 ok, -1 ENOMEM */
/* First slot holding key at or after the probe start, or (size_t)-1; pass
 * the previous slot + 1 to continue. */
size_t st__imap_find(const st__imap *m, uint32_t key, size_t from);
void st__imap_free(st__imap *m);

/* Multimap from a string (not copied: it must outlive the map) to ints. */
typedef struct st__smap {
	uint64_t *aHash;
	const char **azKey;
	int *aVal;
	size_t nSlot;
	size_t nUsed;
} st__smap;

uint64_t st__hash(const char *z, size_t n);
int st__smap_add(st__smap *m, const char *zKey, int val);
size_t st__smap_find(const st__smap *m, const char *zKey, uint64_t h, size_t from);
void st__smap_free(st__smap *m);

/* Lists internals the readers use. */
st__arena *st__lists_arena(st_lists *p);
/* Entry of a list by normalised name (primary or alias), or -1. */
int st__lists_find_name(st_lists *p, const char *zList, const char *zNorm);
/* Writable entry, for readers that learn an entry is listed after adding
 * it (an FtM Sanction entity naming it). */
st_list_entry *st__lists_entry_mut(st_lists *p, int i);
/* Finds or adds a named-only party for a link target. */
int st__lists_party(st_lists *p, const char *zList, const char *zName,
                    const char *zSource, st_entity_kind kind);

/* Reader entry points (lists.c dispatches to them). */
typedef struct st__list_ctx {
	st_lists *pLists;
	const char *zFile;
	const st_list_opts *pOpts;
	st_list_stats *pStats;
	char *zErr;
	size_t nErr;
} st__list_ctx;

void st__list_reject(st__list_ctx *c, uint64_t line, const char *zFmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

st_status st__ofac_load(st__list_ctx *c, const char *zBuf, size_t nBuf);
st_status st__csvlist_load(st__list_ctx *c, const char *zBuf, size_t nBuf);
st_status st__ftm_load(st__list_ctx *c, const char *zBuf, size_t nBuf);

/* Splits a mapping spec into key/value pairs in a caller's buffer; the
 * spec is either inline ("k=v,k=v") or the text of a file (one k=v per
 * line, '#' comments). */
#define ST__MAP_MAX 32
typedef struct st__map {
	int n;
	const char *azKey[ST__MAP_MAX];
	const char *azVal[ST__MAP_MAX];
	char *zText;             /* owned copy */
} st__map;
st_status st__map_parse(st__map *m, const char *zSpec, char *zErr, size_t nErr);
const char *st__map_get(const st__map *m, const char *zKey);
void st__map_free(st__map *m);

#endif
