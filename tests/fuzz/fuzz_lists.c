/* libFuzzer target for the list readers and what runs on their output: the
 * first byte picks the reader (OFAC legacy CSV, mapped CSV with a fixed
 * mapping, FollowTheMoney lines, or detection), the rest is the file. The
 * loaded entries are then indexed, screened against identities made from
 * their own identifiers, and walked from the first entry, so hostile lists
 * reach every path a real run takes. Loading must never fail for anything
 * but memory: bad rows are rejected and counted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shiptrace/sanctions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const st_list_format aFmt[4] = {ST_LIST_OFAC, ST_LIST_CSV, ST_LIST_FTM,
	                                       ST_LIST_AUTO};
	if (size < 1)
		return 0;
	/* Exact-size copy: ASan flags any read past the block. */
	char *p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, size - 1);
	st_list_opts o = {0};
	o.format = aFmt[data[0] & 3];
	if (o.format == ST_LIST_CSV)
		o.zMap = "name=name,aliases=aliases,imo=imo,mmsi=mmsi,call_sign=call_sign,"
		         "entry_id=id,linked_entities=linked,kind=kind";
	st_lists *pL;
	st_list_stats s;
	char zErr[256];
	if (st_lists_new(&pL) != ST_OK) {
		free(p);
		return 0;
	}
	st_status rc = st_lists_load_buffer(pL, "fuzz", p, size - 1, &o, &s, zErr, sizeof zErr);
	if (rc != ST_OK && rc != ST_ENOMEM && rc != ST_ECONFIG && rc != ST_EFORMAT)
		abort();
	if (s.nRejected > s.nRow)
		abort();
	st_screen_index *x;
	if (st_screen_index_build(&x, pL) == ST_OK) {
		int n = st_lists_count(pL);
		st_vessel_ident a[8];
		int nId = 0;
		for (int i = 0; i < n && nId < 8; i++) {
			const st_list_entry *e = st_lists_entry(pL, i);
			a[nId] = (st_vessel_ident){e->mmsi, e->imo, e->zName, e->zCallSign,
			                           0, 1, i};
			nId++;
		}
		st_screen_hit *aHit;
		int nHit;
		if (st_screen(x, a, nId, &aHit, &nHit, NULL) == ST_OK)
			free(aHit);
		st_reach *aR;
		int nR;
		if (n > 0 && st_links_reach(x, 0, 3, &aR, &nR) == ST_OK)
			st_reach_free(aR, nR);
		st_screen_index_free(x);
	}
	st_lists_free(pL);
	free(p);
	return 0;
}
