/* Sanctions lists in memory, and what shiptrace does with them: readers for
 * the OFAC SDN legacy CSV, any CSV list through a column mapping, and
 * OpenSanctions / FollowTheMoney JSON lines; screening of vessel identities
 * (MMSI, IMO, call sign, name, each with the time range it was in use)
 * against the entries; and the graph of ownership and "linked to" edges the
 * lists carry, walked to find the listed parties a vessel is tied to.
 * Everything except the file readers is a pure function of its inputs. */
#ifndef SHIPTRACE_SANCTIONS_H
#define SHIPTRACE_SANCTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "shiptrace/status.h"
#include "shiptrace/record.h"
#include "shiptrace/store.h"

typedef enum {
	ST_ENT_VESSEL = 1,
	ST_ENT_ORGANIZATION,
	ST_ENT_PERSON,
	ST_ENT_AIRCRAFT,
	ST_ENT_OTHER
} st_entity_kind;

const char *st_entity_kind_name(st_entity_kind k); /* "vessel", ... */
st_entity_kind st_entity_kind_parse(const char *z); /* inverse; OTHER if unknown */

/* One entry of a list, or one party a list names without designating it
 * (listed = 0: an owner in OFAC's Vess_owner column, an FtM company that
 * owns a sanctioned ship). Strings are UTF-8 and owned by the st_lists. */
typedef struct st_list_entry {
	const char *zList;       /* list name, e.g. "OFAC SDN" */
	const char *zEntryId;    /* id within the list (OFAC ent_num, FtM id) */
	st_entity_kind kind;
	int listed;              /* 1 designated by the list, 0 named only */
	const char *zName;
	const char *const *azAlias;
	int nAlias;
	uint32_t imo;            /* IMO ship number with a valid check digit, or 0 */
	uint32_t mmsi;           /* 9-digit MMSI as the list gives it, or 0 */
	const char *zCallSign;   /* "" when none, likewise below */
	const char *zFlag;
	const char *zProgram;
	const char *zVesselType;
	const char *zRemarks;
	const char *zSource;     /* file it came from */
	uint64_t line;           /* line of that file (0 when made by a link) */
} st_list_entry;

/* An edge between two entries: "linked_to" (OFAC Remarks), "owner" (OFAC
 * Vess_owner, FtM Vessel.owner), "ownership", "directorship", "operator",
 * "unknown_link", ... (FtM interval schemata, lowercased). Undirected for
 * reachability; iFrom is the subject as the list states it. */
typedef struct st_list_link {
	int iFrom, iTo;
	const char *zKind;
	const char *zText;       /* the words of the list it came from */
	uint64_t line;
} st_list_link;

typedef struct st_lists st_lists;

st_status st_lists_new(st_lists **ppLists);
void st_lists_free(st_lists *p);
int st_lists_count(const st_lists *p);
const st_list_entry *st_lists_entry(const st_lists *p, int i);
int st_lists_link_count(const st_lists *p);
const st_list_link *st_lists_link(const st_lists *p, int i);

/* Adds an entry, copying every string; *piEntry (may be NULL) gets its
 * index. Used by the readers and to rebuild lists from a case store. */
st_status st_lists_add(st_lists *p, const st_list_entry *e, int *piEntry);
st_status st_lists_add_link(st_lists *p, int iFrom, int iTo, const char *zKind,
                            const char *zText, uint64_t line);
/* Index of the entry with this list and id, or -1. */
int st_lists_find(const st_lists *p, const char *zList, const char *zEntryId);

typedef enum {
	ST_LIST_AUTO = 0,   /* by content: JSON lines, the OFAC 12 columns, else CSV */
	ST_LIST_OFAC,
	ST_LIST_CSV,        /* needs a column mapping */
	ST_LIST_FTM
} st_list_format;

const char *st_list_format_name(st_list_format f);

/* Called for every row that could not be read: file, line and why. */
typedef void (*st_list_reject_fn)(void *ctx, const char *zFile, uint64_t line,
                                  const char *zWhy);

typedef struct st_list_opts {
	st_list_format format;
	const char *zListName;   /* default: "OFAC SDN", or the mapping's list,
	                            or "OpenSanctions" */
	const char *zMap;        /* CSV mapping: "key=Column,..." or a file of
	                            key=value lines; see docs/screening.md */
	st_list_reject_fn xReject;
	void *pRejectCtx;
} st_list_opts;

/* Every line of the input is in exactly one of rows, skipped or rejected
 * (a quoted CSV field may make one row span several lines). */
typedef struct st_list_stats {
	st_list_format format;
	uint64_t nLine;          /* physical lines */
	uint64_t nRow;           /* rows read (header excluded) */
	uint64_t nHeader;        /* header lines */
	uint64_t nSkipped;       /* blank lines, end-of-file marks, FtM schemata
	                            that carry nothing for screening */
	uint64_t nRejected;      /* rows that could not be read */
	uint64_t nEntry;         /* entries added (rows merged by id count once) */
	uint64_t nVessel;
	uint64_t nParty;         /* named-only parties added from links */
	uint64_t nLink;
	uint64_t nLinkUnresolved;/* links whose target could not be found */
	uint64_t nBadImo;        /* IMO numbers failing the check digit (dropped) */
	uint64_t nBadMmsi;       /* MMSIs of the wrong length (dropped) */
	uint64_t nOddMmsi;       /* nine digits but not a ship station's by
	                            structure (kept: ships transmit them) */
	uint64_t nTruncated;     /* OFAC rows whose Remarks hit the 1000-char cap */
} st_list_stats;

/* Reads one list file into p (appending). Rows that cannot be read are
 * reported through opts->xReject and counted; the rest load. Returns an
 * error only when the file cannot be read at all (message in zErr). */
st_status st_lists_load(st_lists *p, const char *zPath, const st_list_opts *opts,
                        st_list_stats *pStats, char *zErr, size_t nErr);
/* Same over a buffer; zName names it in messages. Used by fuzz targets. */
st_status st_lists_load_buffer(st_lists *p, const char *zName, const char *zBuf,
                               size_t nBuf, const st_list_opts *opts,
                               st_list_stats *pStats, char *zErr, size_t nErr);

/* ------------------------------------------------------------ screening */

/* One identity of a vessel as seen in the data, with the time range it was
 * reported (vessel_identities, or static reports grouped by identity). */
typedef struct st_vessel_ident {
	uint32_t mmsi;
	uint32_t imo;            /* 0 when not reported */
	const char *zName;       /* may be NULL */
	const char *zCallSign;   /* may be NULL */
	st_time_ms tFrom, tTo;
	int64_t id;              /* evidence row id, or 0 */
} st_vessel_ident;

typedef enum {
	ST_MATCH_IMO = 1,
	ST_MATCH_MMSI,
	ST_MATCH_CALLSIGN,
	ST_MATCH_NAME
} st_match_kind;

const char *st_match_kind_name(st_match_kind k); /* "imo", "mmsi", ... */

/* Fixed scores, documented in docs/screening.md: identifiers decide, a name
 * alone never does. */
#define ST_SCORE_IMO 1.0
#define ST_SCORE_MMSI_CONFIRMED 0.95  /* MMSI and the ship's IMO agree */
#define ST_SCORE_MMSI 0.8             /* MMSI; no IMO on one side */
#define ST_SCORE_CALLSIGN 0.5
#define ST_SCORE_NAME 0.3

typedef struct st_screen_hit {
	int iIdent;              /* index into the identities screened */
	int iEntry;              /* index into the lists */
	st_match_kind kind;
	double score;
	int decisive;            /* 1 when an identifier says "this ship" */
	st_time_ms tFrom, tTo;   /* when the identifier was in use by it */
	char zWhy[320];
} st_screen_hit;

typedef struct st_screen_stats {
	uint64_t nIdent;
	uint64_t nHit;
	uint64_t nMmsiConflict;  /* MMSI equal but the ship reports another IMO */
	uint64_t nNameSuppressed;/* name equal but the IMOs differ */
} st_screen_stats;

/* Hash indexes over a list set: IMO, MMSI, call sign and normalised names
 * (vessel entries only), and the link graph. The lists must outlive it. */
typedef struct st_screen_index st_screen_index;
st_status st_screen_index_build(st_screen_index **ppIdx, const st_lists *p);
void st_screen_index_free(st_screen_index *x);

/* Screens every identity; *paHit (malloc'd, caller frees) gets the hits in
 * identity order, identifier matches before name matches. */
st_status st_screen(const st_screen_index *x, const st_vessel_ident *aIdent,
                    int nIdent, st_screen_hit **paHit, int *pnHit,
                    st_screen_stats *pStats);

/* A listed entity reachable from a start entry within k links. */
typedef struct st_reach {
	int iTarget;
	int nHop;
	char *zPath;             /* "ANGARA [vessel] -linked_to- TRANSMORFLOT LLC
	                            [organization]"; malloc'd */
	char *zLinks;            /* the link indexes on the path, "3,17" */
} st_reach;

/* Breadth-first walk from iStart over the undirected link graph, at most k
 * hops; *paReach gets every listed entry reached (not iStart itself), the
 * nearest first. Free with st_reach_free. */
st_status st_links_reach(const st_screen_index *x, int iStart, int k,
                         st_reach **paReach, int *pnReach);
void st_reach_free(st_reach *a, int n);

/* ------------------------------------------------------- in the store */

/* The case tables of lists (docs/screening.md). */
extern const st_table_def st_tab_list_entries;
extern const st_table_def st_tab_entities;
extern const st_table_def st_tab_entity_links;

/* Before a transaction (PostgreSQL aborts one on a failed probe): which of
 * the three tables must be created, as bit flags for st_lists_store_write. */
st_status st_lists_store_prepare(st_store *s, int *pCreateFlags);
/* Inside the caller's transaction: creates what is missing, deletes the
 * earlier rows of every list in p, and writes p's entries and links with
 * their source id. */
st_status st_lists_store_write(st_store *s, const st_lists *p, int createFlags,
                               int64_t sourceId, char *zErr, size_t nErr);
/* Reads every list of the case into p (ST_ENOTFOUND: the case has none). */
st_status st_lists_store_read(st_store *s, st_lists *p, char *zErr, size_t nErr);

#endif
