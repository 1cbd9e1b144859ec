/* The streaming NMEA 0183 AIS decoder: classifies each line (blank or
 * comment, metadata, AIS sentence, other NMEA, garbage), verifies the
 * checksums, validates the AIS fields, reassembles multi-sentence messages
 * in a fixed table inside the decoder and hands complete payloads to
 * st_ais_decode(). Every line fed is counted in exactly one bucket of
 * st_nmea_stats. The common lines take fast paths (a bare single sentence,
 * other bare sentences and fragments, $PGHP time records, a sentence behind
 * one tag block) with fixed-offset checks and wide checksum and armour
 * tests; anything they do not recognise falls through to the general
 * parser, which gives the same answer for every line they accept
 * (tests/unit/test_nmea_fast.c compares the two line by line). */
#include <stdlib.h>
#include <string.h>
#include "shiptrace/ais.h"
#include "shiptrace/nmea.h"
#include "nmea/nmea_int.h"

/* The fast path for the commonest line is inlined into st_nmea_feed and
 * the others kept out of it, so that the function every line enters saves
 * few registers and sets up a small frame. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define HOT_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define HOT_INLINE inline
#endif

/* Longest source kept: what st_nmea_meta.source holds. */
#define MAX_SRC 31

/* One message being reassembled. nNext is the fragment number expected
 * next; 0 marks a free slot. */
typedef struct slot {
	uint64_t aLine[9];      /* line numbers of the fragments held */
	uint64_t lastLine;      /* for the staleness rule */
	st_time_ms t;
	uint32_t gId;
	uint16_t nPay;
	uint8_t nTotal, nNext;
	char talker[2];
	char channel, seq;
	bool own, hasGroup;
	uint8_t nSrc;
	char zSrc[MAX_SRC];
	char aPay[ST_NMEA_MAX_PAYLOAD];
} slot;

struct st_nmea {
	st_nmea_stats stats;
	st_nmea_reject_fn xReject;
	void *pRejectCtx;
	/* Time and source announced by a $PGHP or lone tag-block line for
	 * the line that follows it. */
	bool bPending;
	st_time_ms tPending;
	uint8_t nPendSrc;
	char zPendSrc[MAX_SRC];
	unsigned nUsed;
	uint64_t oldest;        /* no used slot's lastLine is below this */
	st__nmea_clock clock;   /* what the $PGHP fast path remembers */
	bool bReference;        /* general parser only (st__nmea_reference) */
	st_ais_msg scratch;     /* when the caller passes no output */
	slot aSlot[ST_NMEA_SLOTS];
};

/* What the line around the sentence said. */
typedef struct linectx {
	st_time_ms t;
	const char *zSrc;
	size_t nSrc;
	bool hasGroup;
	uint32_t gId;
} linectx;

/* The fields of one AIS sentence. */
typedef struct sentence {
	const char *zPay;
	size_t nPay;
	unsigned nTotal, nNum, fill;
	char talker[2];
	char channel, seq;
	bool own;
} sentence;

static const st_status aRejStatus[ST_REJ_COUNT] = {
	[ST_REJ_BADSUM] = ST_EBADSUM,         [ST_REJ_MALFORMED] = ST_EMALFORMED,
	[ST_REJ_ORPHAN] = ST_EORPHAN,         [ST_REJ_STALE] = ST_ESTALE,
	[ST_REJ_NOTAIS] = ST_ENOTAIS,         [ST_REJ_UNPARSEABLE] = ST_EUNPARSEABLE,
	[ST_REJ_TOOLONG] = ST_ETOOLONG,
};

const char *st_reject_name(st_reject r)
{
	static const char *const azName[ST_REJ_COUNT] = {
		[ST_REJ_BADSUM] = "bad_checksum",
		[ST_REJ_MALFORMED] = "malformed",
		[ST_REJ_ORPHAN] = "orphan_fragment",
		[ST_REJ_STALE] = "stale_fragment",
		[ST_REJ_NOTAIS] = "non_ais_nmea",
		[ST_REJ_UNPARSEABLE] = "unparseable",
		[ST_REJ_TOOLONG] = "too_long",
	};
	if ((unsigned)r >= ST_REJ_COUNT)
		return "unknown";
	return azName[r];
}

st_nmea *st_nmea_new(void)
{
	st_nmea *dec = calloc(1, sizeof *dec);
	if (dec)
		dec->tPending = ST_TIME_NONE;
	return dec;
}

void st_nmea_free(st_nmea *dec)
{
	free(dec);
}

void st_nmea_set_reject_fn(st_nmea *dec, st_nmea_reject_fn fn, void *ctx)
{
	dec->xReject = fn;
	dec->pRejectCtx = ctx;
}

void st__nmea_reference(st_nmea *dec, bool on)
{
	dec->bReference = on;
}

const st_nmea_stats *st_nmea_get_stats(const st_nmea *dec)
{
	return &dec->stats;
}

static st_status reject(st_nmea *dec, uint64_t iLine, st_reject why,
                        const char *z, size_t n, st_reject *pRej)
{
	dec->stats.rejected[why]++;
	if (dec->xReject)
		dec->xReject(dec->pRejectCtx, iLine, why, z, n);
	if (pRej)
		*pRej = why;
	return aRejStatus[why];
}

/* Rejects every line a slot holds and frees it. */
static void drop_slot(st_nmea *dec, slot *sl, st_reject why)
{
	unsigned nHeld = sl->nNext - 1u;
	for (unsigned i = 0; i < nHeld; i++) {
		dec->stats.rejected[why]++;
		if (dec->xReject)
			dec->xReject(dec->pRejectCtx, sl->aLine[i], why, NULL, 0);
	}
	dec->stats.held -= nHeld;
	sl->nNext = 0;
	dec->nUsed--;
}

/* Drops the messages not continued within ST_NMEA_STALE_LINES lines.
 * dec->oldest spares the scan until one of them can be stale. */
static void sweep_stale(st_nmea *dec, uint64_t iLine)
{
	if (iLine - dec->oldest <= ST_NMEA_STALE_LINES)
		return;
	uint64_t oldest = iLine;
	for (unsigned i = 0; i < ST_NMEA_SLOTS && dec->nUsed; i++) {
		slot *sl = &dec->aSlot[i];
		if (!sl->nNext)
			continue;
		if (iLine - sl->lastLine > ST_NMEA_STALE_LINES)
			drop_slot(dec, sl, ST_REJ_STALE);
		else if (sl->lastLine < oldest)
			oldest = sl->lastLine;
	}
	dec->oldest = oldest;
}

void st_nmea_finish(st_nmea *dec)
{
	for (unsigned i = 0; i < ST_NMEA_SLOTS && dec->nUsed; i++)
		if (dec->aSlot[i].nNext)
			drop_slot(dec, &dec->aSlot[i], ST_REJ_STALE);
	dec->bPending = false;
}

/* Copies n <= 32 bytes with two overlapping fixed-size moves: a variable
 * memcpy of a few bytes costs more than the rest of a sentence. */
static inline void small_copy(char *zDst, const char *zSrc, size_t n)
{
	if (n >= 16) {
		memcpy(zDst, zSrc, 16);
		memcpy(zDst + n - 16, zSrc + n - 16, 16);
	} else if (n >= 8) {
		memcpy(zDst, zSrc, 8);
		memcpy(zDst + n - 8, zSrc + n - 8, 8);
	} else if (n >= 4) {
		memcpy(zDst, zSrc, 4);
		memcpy(zDst + n - 4, zSrc + n - 4, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			zDst[i] = zSrc[i];
	}
}

static HOT_INLINE void copy_src(char *zDst, size_t nDst, const char *zSrc,
                                size_t nSrc)
{
	if (nSrc > nDst - 1)
		nSrc = nDst - 1; /* longer than any real station name */
	if (nSrc) /* most lines carry no source */
		small_copy(zDst, zSrc, nSrc);
	zDst[nSrc] = 0;
}

static HOT_INLINE void fill_meta(st_nmea_meta *m, st_time_ms t,
                                  const char *zSrc, size_t nSrc,
                                  const char *talker, char channel, bool own)
{
	m->t = t;
	copy_src(m->source, sizeof m->source, zSrc, zSrc ? nSrc : 0);
	m->talker[0] = talker[0];
	m->talker[1] = talker[1];
	m->talker[2] = 0;
	m->channel = channel;
	m->own = own;
}

static HOT_INLINE void count_message(st_nmea *dec, const st_ais_msg *out,
                                     unsigned nSentence)
{
	dec->stats.messages++;
	dec->stats.msg_sentences += nSentence;
	if (out->type < 28)
		dec->stats.by_type[out->type]++;
}

/* Talker letters: any two upper-case letters; "--" too, which AisLib's
 * recorded feeds show for a receiver with no talker configured. */
static inline bool talker_ok(char a, char b)
{
	return ((a >= 'A' && a <= 'Z') || a == '-') && ((b >= 'A' && b <= 'Z') || b == '-');
}

/* Radio channel: A and B are the AIS channels, 1 and 2 the same written as
 * numbers by some receivers. C and D appear in real recorded feeds
 * (AisLib's comment-block sample uses C); the channel is not part of the
 * payload, so such a sentence is kept rather than lost. */
static inline bool channel_ok(char c)
{
	return (c >= 'A' && c <= 'D') || c == '1' || c == '2';
}

static bool same_key(const slot *sl, const sentence *S, const linectx *L)
{
	if (sl->talker[0] != S->talker[0] || sl->talker[1] != S->talker[1] ||
	    sl->channel != S->channel || sl->seq != S->seq || sl->own != S->own ||
	    sl->nTotal != S->nTotal)
		return false;
	/* A tag-block group id tells concurrent messages apart, but only
	 * when both lines carry one: feeds often tag the first fragment only. */
	if (sl->hasGroup && L->hasGroup && sl->gId != L->gId)
		return false;
	if (sl->nSrc && L->nSrc &&
	    (sl->nSrc != (L->nSrc < MAX_SRC ? L->nSrc : MAX_SRC) ||
	     memcmp(sl->zSrc, L->zSrc, sl->nSrc) != 0))
		return false;
	return true;
}

static st_status on_fragment(st_nmea *dec, uint64_t iLine, const sentence *S,
                             const linectx *L, const char *zLine, size_t nLine,
                             st_ais_msg *out, st_nmea_meta *meta,
                             st_reject *pRej)
{
	sweep_stale(dec, iLine);
	slot *sl = NULL;
	/* The count is part of the key, so a fragment claiming another count
	 * than the message held under the same id does not match it: a first
	 * fragment replaces it, a later one is an orphan. */
	for (unsigned i = 0, nSeen = 0; nSeen < dec->nUsed && i < ST_NMEA_SLOTS; i++) {
		slot *p = &dec->aSlot[i];
		if (!p->nNext)
			continue;
		nSeen++;
		if (same_key(p, S, L)) {
			sl = p;
			break;
		}
	}
	if (S->nNum == 1) {
		if (S->nPay > ST_NMEA_MAX_PAYLOAD)
			return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
		if (sl) {
			/* A new first fragment under the same id: the held
			 * message lost the rest of its fragments. */
			drop_slot(dec, sl, ST_REJ_ORPHAN);
		} else if (dec->nUsed == ST_NMEA_SLOTS) {
			slot *pOld = &dec->aSlot[0];
			for (unsigned i = 1; i < ST_NMEA_SLOTS; i++)
				if (dec->aSlot[i].lastLine < pOld->lastLine)
					pOld = &dec->aSlot[i];
			drop_slot(dec, pOld, ST_REJ_STALE);
			sl = pOld;
		}
		if (!sl) {
			for (unsigned i = 0; i < ST_NMEA_SLOTS; i++)
				if (!dec->aSlot[i].nNext) {
					sl = &dec->aSlot[i];
					break;
				}
		}
		if (dec->nUsed++ == 0)
			dec->oldest = iLine;
		sl->nTotal = (uint8_t)S->nTotal;
		sl->nNext = 2;
		sl->aLine[0] = iLine;
		sl->lastLine = iLine;
		sl->t = L->t;
		sl->gId = L->gId;
		sl->hasGroup = L->hasGroup;
		sl->talker[0] = S->talker[0];
		sl->talker[1] = S->talker[1];
		sl->channel = S->channel;
		sl->seq = S->seq;
		sl->own = S->own;
		sl->nSrc = (uint8_t)(L->nSrc < MAX_SRC ? L->nSrc : MAX_SRC);
		small_copy(sl->zSrc, L->zSrc, sl->nSrc);
		memcpy(sl->aPay, S->zPay, S->nPay);
		sl->nPay = (uint16_t)S->nPay;
		dec->stats.held++;
		return ST_EAGAIN;
	}
	if (!sl)
		return reject(dec, iLine, ST_REJ_ORPHAN, zLine, nLine, pRej);
	if (sl->nNext != S->nNum) {
		/* Out of order or repeated: we do not reorder, so neither the
		 * held part nor this one can complete. */
		drop_slot(dec, sl, ST_REJ_ORPHAN);
		return reject(dec, iLine, ST_REJ_ORPHAN, zLine, nLine, pRej);
	}
	if (sl->nPay + S->nPay > ST_NMEA_MAX_PAYLOAD) {
		drop_slot(dec, sl, ST_REJ_MALFORMED);
		return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
	}
	memcpy(sl->aPay + sl->nPay, S->zPay, S->nPay);
	sl->nPay = (uint16_t)(sl->nPay + S->nPay);
	if (sl->t == ST_TIME_NONE)
		sl->t = L->t;
	if (!sl->nSrc && L->nSrc) {
		sl->nSrc = (uint8_t)(L->nSrc < MAX_SRC ? L->nSrc : MAX_SRC);
		small_copy(sl->zSrc, L->zSrc, sl->nSrc);
	}
	sl->aLine[sl->nNext - 1] = iLine;
	sl->lastLine = iLine;
	if (S->nNum < S->nTotal) {
		sl->nNext++;
		dec->stats.held++;
		return ST_EAGAIN;
	}
	/* Only the last fragment's fill bits count: earlier ones end on a
	 * whole character by construction. */
	if (st_ais_decode(sl->aPay, sl->nPay, S->fill, out) != ST_OK) {
		drop_slot(dec, sl, ST_REJ_MALFORMED);
		return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
	}
	fill_meta(meta, sl->t, sl->zSrc, sl->nSrc, sl->talker, sl->channel, sl->own);
	meta->line = iLine;
	meta->first_line = sl->aLine[0];
	meta->sentences = S->nTotal;
	dec->stats.held -= S->nTotal - 1u;
	sl->nNext = 0;
	dec->nUsed--;
	count_message(dec, out, S->nTotal);
	return ST_OK;
}

/* Reads the six AIS fields between the comma after the address and the
 * '*'. Returns false when any is malformed. */
static bool parse_fields(const char *p, const char *star, sentence *S)
{
	if (star - p < 9)
		return false; /* "1,1,,,X,0" is the shortest */
	if (p[0] < '1' || p[0] > '9' || p[1] != ',' || p[2] < '1' || p[2] > p[0] ||
	    p[3] != ',')
		return false;
	S->nTotal = (unsigned)(p[0] - '0');
	S->nNum = (unsigned)(p[2] - '0');
	p += 4;
	S->seq = 0;
	if (*p != ',') {
		if (*p < '0' || *p > '9' || p[1] != ',')
			return false;
		S->seq = *p++;
	}
	p++;
	S->channel = 0;
	if (*p != ',') {
		if (!channel_ok(*p) || p[1] != ',')
			return false;
		S->channel = *p++;
	}
	p++;
	/* The payload runs to the comma before the fill digit; a comma (or
	 * any other byte) inside it fails the armour test. */
	if (star - p < 3 || star[-2] != ',' || star[-1] < '0' || star[-1] > '5')
		return false;
	S->zPay = p;
	S->nPay = (size_t)(star - 2 - p);
	S->fill = (unsigned)(star[-1] - '0');
	return st__nmea_armour_ok(S->zPay, S->nPay);
}

/* The fast path: a complete single-sentence VDM, "!xxVDM,1,1,,C,payload,F*hh"
 * ending at end, checked at fixed offsets with its checksum, then decoded.
 * The payload's armour is left to st_ais_decode(), which refuses any
 * character outside it (ais.h); on any failure nothing has been counted and
 * the general parser decides the line, so this path only ever accepts and
 * every line gets the same bucket whichever path it took. */
static HOT_INLINE bool fast_single(st_nmea *dec, uint64_t iLine,
                                   const char *z, const char *end,
                                   const linectx *L, st_ais_msg *out,
                                   st_nmea_meta *meta)
{
	size_t n = (size_t)(end - z);
	if (n < 20 || z[0] != '!' || end[-3] != '*' || end[-5] != ',' ||
	    memcmp(z + 3, "VDM,1,1,,", 9) != 0 || z[13] != ',' ||
	    !channel_ok(z[12]) || !talker_ok(z[1], z[2]) || end[-4] < '0' ||
	    end[-4] > '5' ||
	    (int)st__nmea_xor(z + 1, n - 4) != st__nmea_hex2(end - 2) ||
	    st_ais_decode(z + 14, n - 19, (unsigned)(end[-4] - '0'), out) != ST_OK)
		return false;
	dec->stats.sentences++;
	fill_meta(meta, L->t, L->zSrc, L->nSrc, z + 1, z[12], false);
	meta->line = meta->first_line = iLine;
	meta->sentences = 1;
	count_message(dec, out, 1);
	return true;
}

/* The Gatehouse time record "$PGHP,1,yyyy,mm,dd,hh,mm,ss,mmm,...*hh" in
 * its usual shape, a third of the lines of a Gatehouse feed: the checksum
 * over the whole line, then the date fields read in place
 * (st__nmea_pghp_fast). Like fast_single it only ever accepts, with what
 * the general parser would do for the line; anything else is left to it. */
static NOINLINE bool pghp_fast(st_nmea *dec, const char *z, const char *end)
{
	size_t n = (size_t)(end - z);
	st_time_ms t;
	if (n < 28 || memcmp(z, "$PGHP,1,", 8) != 0 || end[-3] != '*' ||
	    (int)st__nmea_xor(z + 1, n - 4) != st__nmea_hex2(end - 2) ||
	    !st__nmea_pghp_fast(z + 8, end - 3, &dec->clock, &t))
		return false;
	dec->bPending = true;
	dec->tPending = t;
	dec->nPendSrc = 0;
	dec->stats.meta_lines++;
	return true;
}

/* Decodes a single-sentence message starting at z (the '!') whose
 * sentence ends at end, with the payload at zPay. */
static st_status single(st_nmea *dec, uint64_t iLine, const char *zPay,
                        size_t nPay, const char *z, const char *end,
                        const linectx *L, const char *zLine, size_t nLine,
                        st_ais_msg *out, st_nmea_meta *meta, st_reject *pRej)
{
	if (st_ais_decode(zPay, nPay, (unsigned)(end[-4] - '0'), out) != ST_OK)
		return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
	fill_meta(meta, L->t, L->zSrc, L->nSrc, z + 1, zPay[-2] == ',' ? 0 : zPay[-2],
	          z[5] == 'O');
	meta->line = meta->first_line = iLine;
	meta->sentences = 1;
	count_message(dec, out, 1);
	return ST_OK;
}

/* Any other well-formed AIS sentence with nothing after its checksum:
 * "!xxVDM,n,k,s,C,payload,F*hh" (fragments, VDO, a sequence id or an
 * empty channel). The checks are the ones the general parser makes before
 * it counts the sentence, so a line that passes them gets exactly what the
 * general parser would give it (held, orphaned, decoded or rejected by
 * st_ais_decode); *pRc is the status. A line that fails them is left to
 * the general parser with nothing counted. */
static NOINLINE bool fast_frag(st_nmea *dec, uint64_t iLine, const char *z,
                               const char *end, const linectx *L,
                               const char *zLine, size_t nLine,
                               st_ais_msg *out, st_nmea_meta *meta,
                               st_reject *pRej, st_status *pRc)
{
	size_t n = (size_t)(end - z);
	sentence S;
	if (n < 20 || z[0] != '!' || z[3] != 'V' || z[4] != 'D' ||
	    (z[5] != 'M' && z[5] != 'O') || z[6] != ',' || end[-3] != '*' ||
	    !talker_ok(z[1], z[2]) ||
	    (int)st__nmea_xor(z + 1, n - 4) != st__nmea_hex2(end - 2) ||
	    !parse_fields(z + 7, end - 3, &S))
		return false;
	dec->stats.sentences++;
	S.talker[0] = z[1];
	S.talker[1] = z[2];
	S.own = z[5] == 'O';
	if (S.nTotal > 1)
		*pRc = on_fragment(dec, iLine, &S, L, zLine, nLine, out, meta, pRej);
	else
		*pRc = single(dec, iLine, S.zPay, S.nPay, z, end, L, zLine, nLine,
		              out, meta, pRej);
	return true;
}

/* A sentence preceded by one tag block: "\c:1354719388*56\!BSVDM,..." is
 * read in place (the time and the block's checksum), any other block by
 * st__nmea_tagblock; then the sentence takes fast_single or fast_frag with
 * the line context the general parser would build (the block's time,
 * source and group, the pending ones where the block has none). Returns
 * false, having counted nothing, for anything else: a bad or tolerated
 * block checksum, a second block, a sentence the fast paths refuse. */
static NOINLINE bool tag_fast(st_nmea *dec, uint64_t iLine, const char *z,
                              const char *end, size_t nLine, st_ais_msg *out,
                              st_nmea_meta *meta, st_reject *pRej,
                              st_status *pRc)
{
	linectx L = {ST_TIME_NONE, NULL, 0, false, 0};
	const char *p;
	bool bTolerated = false;
	if (z[1] == 'c' && z[2] == ':') {
		/* The block is "c:<epoch>" alone when the epoch ends at a '*'
		 * followed by two hex digits and the closing backslash. */
		const char *ve;
		int64_t e = st__nmea_digits8(z + 3);
		if (e >= 0 && (unsigned)(z[11] - '0') <= 9 &&
		    (unsigned)(z[12] - '0') <= 9 && z[13] == '*') {
			/* Ten digits: seconds, as st__nmea_epoch reads them. */
			L.t = ((e * 10 + (z[11] - '0')) * 10 + (z[12] - '0')) * 1000;
			ve = z + 13;
		} else {
			L.t = st__nmea_epoch(z + 3, end, &ve);
		}
		if (L.t == ST_TIME_NONE || end - ve < 24 || ve[0] != '*' ||
		    ve[3] != '\\' ||
		    (int)st__nmea_xor(z + 1, (size_t)(ve - z - 1)) != st__nmea_hex2(ve + 1))
			return false;
		p = ve + 4;
	} else {
		st__nmea_tag tag;
		if (st__nmea_tagblock(z, end, &tag, &p) >= 0 || end - p < 20)
			return false;
		L.t = tag.t;
		L.zSrc = tag.zSrc;
		L.nSrc = tag.nSrc;
		L.hasGroup = tag.hasGroup;
		L.gId = tag.hasGroup ? tag.gId : 0;
		bTolerated = tag.tolerated;
	}
	if (dec->bPending) {
		if (L.t == ST_TIME_NONE)
			L.t = dec->tPending;
		if (!L.zSrc && dec->nPendSrc) {
			L.zSrc = dec->zPendSrc;
			L.nSrc = dec->nPendSrc;
		}
	}
	if (fast_single(dec, iLine, p, end, &L, out, meta))
		*pRc = ST_OK;
	else if (!fast_frag(dec, iLine, p, end, &L, z, nLine, out, meta, pRej, pRc))
		return false;
	if (bTolerated)
		dec->stats.tagsum_tolerated++;
	dec->bPending = false;
	return true;
}

/* Kept out of line so that st_nmea_feed stays a small function for the
 * fast path (its register saves and stack frame are paid on every line). */
static NOINLINE st_status general(st_nmea *dec, uint64_t iLine,
                                  const char *zLine, const char *end,
                                  size_t nLine, st_ais_msg *out,
                                  st_nmea_meta *meta, st_reject *pRej)
{
	const char *p = zLine;
	linectx L = {ST_TIME_NONE, NULL, 0, false, 0};

	/* Leading blanks: hand-edited files and some loggers indent. */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#') {
		dec->stats.blank_lines++;
		return ST_EAGAIN;
	}
	/* Metadata announced by the line before applies to this line only. */
	bool bPending = dec->bPending;
	dec->bPending = false;

	if (*p >= '0' && *p <= '9') {
		const char *q;
		L.t = st__nmea_epoch(p, end, &q);
		if (L.t == ST_TIME_NONE || q == end || (*q != ' ' && *q != '\t' && *q != ',' && *q != ';'))
			return reject(dec, iLine, ST_REJ_UNPARSEABLE, zLine, nLine, pRej);
		while (q < end && (*q == ' ' || *q == '\t' || *q == ',' || *q == ';'))
			q++;
		p = q;
	}
	int nTag = 0;
	while (p < end && *p == '\\') {
		st__nmea_tag tag;
		int r = st__nmea_tagblock(p, end, &tag, &p);
		if (r >= 0)
			return reject(dec, iLine, (st_reject)r, zLine, nLine, pRej);
		if (tag.tolerated)
			dec->stats.tagsum_tolerated++;
		if (tag.t != ST_TIME_NONE)
			L.t = tag.t;
		if (tag.zSrc) {
			L.zSrc = tag.zSrc;
			L.nSrc = tag.nSrc;
		}
		if (tag.hasGroup) {
			L.hasGroup = true;
			L.gId = tag.gId;
		}
		nTag++;
	}
	if (nTag && p == end) {
		/* A tag block alone on its line (AisLib's recordings) stamps
		 * the sentence on the next line. */
		dec->bPending = true;
		dec->tPending = L.t;
		dec->nPendSrc = (uint8_t)(L.nSrc < MAX_SRC ? L.nSrc : MAX_SRC);
		small_copy(dec->zPendSrc, L.zSrc, dec->nPendSrc);
		dec->stats.meta_lines++;
		return ST_EAGAIN;
	}
	if (p == end || (*p != '!' && *p != '$'))
		return reject(dec, iLine, ST_REJ_UNPARSEABLE, zLine, nLine, pRej);
	if (end - p >= 20 && end[-3] == '*' && !dec->bReference) {
		/* The common tag-block line, e.g. \c:1565218798*53\!BSVDM...
		 * The pending metadata goes into a copy: if this is not such a
		 * line, a USCG trailer below must still come before it. */
		linectx L1 = L;
		if (bPending && L1.t == ST_TIME_NONE)
			L1.t = dec->tPending;
		if (bPending && !L1.zSrc && dec->nPendSrc) {
			L1.zSrc = dec->zPendSrc;
			L1.nSrc = dec->nPendSrc;
		}
		if (fast_single(dec, iLine, p, end, &L1, out, meta))
			return ST_OK;
	}

	/* Address field: 1..6 letters or digits, then a comma. */
	const char *a = p + 1, *q = a;
	while (q < end && q - a <= 6 &&
	       ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '-'))
		q++;
	if (q == a || q == end || *q != ',' || q - a > 6)
		return reject(dec, iLine, ST_REJ_UNPARSEABLE, zLine, nLine, pRej);
	size_t nAddr = (size_t)(q - a);
	sentence S;
	/* '$' in front of VDM/VDO is read as AIS too: the lead character
	 * carries no data and the checksum covers the same bytes either way. */
	bool bAis = nAddr == 5 && a[2] == 'V' && a[3] == 'D' &&
	            (a[4] == 'M' || a[4] == 'O') && talker_ok(a[0], a[1]);
	const char *star = memchr(q, '*', (size_t)(end - q));
	if (!star) {
		/* The checksum is optional for most '$' sentences but
		 * mandatory for AIS. */
		return reject(dec, iLine, bAis ? ST_REJ_MALFORMED : ST_REJ_NOTAIS,
		              zLine, nLine, pRej);
	}
	int want = end - star >= 3 ? st__nmea_hex2(star + 1) : -1;
	if (want < 0 || (int)st__nmea_xor(p + 1, (size_t)(star - p - 1)) != want)
		return reject(dec, iLine, ST_REJ_BADSUM, zLine, nLine, pRej);
	const char *after = star + 3;
	if (!bAis) {
		if (nAddr == 4 && memcmp(a, "PGHP", 4) == 0) {
			st_time_ms t;
			int r = st__nmea_pghp(q + 1, star, &t);
			if (r < 0)
				return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
			if (r > 0) {
				dec->bPending = true;
				dec->tPending = t;
				dec->nPendSrc = 0;
			}
			dec->stats.meta_lines++;
			return ST_EAGAIN;
		}
		return reject(dec, iLine, ST_REJ_NOTAIS, zLine, nLine, pRej);
	}
	dec->stats.sentences++;
	if (after < end) {
		if (*after != ',')
			return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
		st_time_ms tTrail = ST_TIME_NONE;
		const char *zSrc = NULL;
		size_t nSrc = 0;
		st__nmea_trailer(after, end, &tTrail, &zSrc, &nSrc);
		if (L.t == ST_TIME_NONE)
			L.t = tTrail;
		if (!L.zSrc && zSrc) {
			L.zSrc = zSrc;
			L.nSrc = nSrc;
		}
	}
	if (bPending) {
		if (L.t == ST_TIME_NONE)
			L.t = dec->tPending;
		if (!L.zSrc && dec->nPendSrc) {
			L.zSrc = dec->zPendSrc;
			L.nSrc = dec->nPendSrc;
		}
	}
	if (!parse_fields(q + 1, star, &S))
		return reject(dec, iLine, ST_REJ_MALFORMED, zLine, nLine, pRej);
	S.talker[0] = a[0];
	S.talker[1] = a[1];
	S.own = a[4] == 'O';
	if (S.nTotal > 1)
		return on_fragment(dec, iLine, &S, &L, zLine, nLine, out, meta, pRej);
	return single(dec, iLine, S.zPay, S.nPay, p, star + 3, &L, zLine, nLine,
	              out, meta, pRej);
}

st_status st_nmea_feed(st_nmea *dec, const char *zLine, size_t len,
                       st_ais_msg *out, st_nmea_meta *meta, st_reject *pRej)
{
	st_nmea_meta dummy;
	uint64_t iLine = ++dec->stats.lines;
	if (!out)
		out = &dec->scratch;
	if (!meta)
		meta = &dummy;
	if (dec->nUsed)
		sweep_stale(dec, iLine);
	if (len > ST_NMEA_MAX_LINE + 2) {
		dec->bPending = false;
		return reject(dec, iLine, ST_REJ_TOOLONG, zLine, len, pRej);
	}
	const char *z = zLine, *end = zLine + len;
	/* Trailing CR, LF and blanks: CRLF and LF files alike, and loggers
	 * that pad lines. */
	while (end > z && (unsigned char)end[-1] <= ' ' &&
	       (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	size_t n = (size_t)(end - z);
	if (n > ST_NMEA_MAX_LINE) {
		dec->bPending = false;
		return reject(dec, iLine, ST_REJ_TOOLONG, zLine, len, pRej);
	}

	if (dec->bReference)
		return general(dec, iLine, z, end, len, out, meta, pRej);
	/* Fast paths: a sentence with nothing around it, a $PGHP time
	 * record, a sentence after a tag block. */
	if (n >= 20 && z[0] == '!') {
		linectx L = {ST_TIME_NONE, NULL, 0, false, 0};
		if (dec->bPending) {
			L.t = dec->tPending;
			L.zSrc = dec->zPendSrc;
			L.nSrc = dec->nPendSrc;
		}
		if (fast_single(dec, iLine, z, end, &L, out, meta)) {
			dec->bPending = false;
			return ST_OK;
		}
		st_status rc;
		if (fast_frag(dec, iLine, z, end, &L, z, len, out, meta, pRej, &rc)) {
			dec->bPending = false;
			return rc;
		}
	} else if (n >= 28 && z[0] == '$') {
		if (pghp_fast(dec, z, end))
			return ST_EAGAIN;
	} else if (n >= 28 && z[0] == '\\') {
		st_status rc;
		if (tag_fast(dec, iLine, z, end, len, out, meta, pRej, &rc))
			return rc;
	}
	return general(dec, iLine, z, end, len, out, meta, pRej);
}
