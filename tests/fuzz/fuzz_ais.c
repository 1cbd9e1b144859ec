/* libFuzzer target for the AIS payload decoder: the first byte chooses the
 * fill bits, the rest is taken as an armoured payload of any length and any
 * characters. The decoder must never read outside the payload (ASan, on an
 * exact-size copy) and whatever it accepts must be a message of type 1-27
 * with fields inside their widths, which renders as JSON (scaled and not)
 * within a bounded buffer and normalises to a record. For the types the
 * encoder writes, encoding the message and decoding it again must give the
 * same JSON: a field read from the wrong bits or written back to them
 * shows up there. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shiptrace/ais.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const st_ais_msg *m, st_ais_json_opts *jo)
{
	static char a[16384], b[16384];
	char armour[ST_AIS_MAX_BITS / 6 + 8];
	size_t nChar = 0;
	unsigned fill = 0;
	if (st_ais_encode(m, armour, sizeof armour, &nChar, &fill) != ST_OK)
		return; /* a type the encoder does not write */
	st_ais_msg m2;
	if (st_ais_decode(armour, nChar, fill, &m2) != ST_OK)
		abort();
	jo->scaled = false;
	int na = st_ais_json(m, jo, a, sizeof a);
	int nb = st_ais_json(&m2, jo, b, sizeof b);
	if (na != nb || memcmp(a, b, (size_t)na) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char json[16384];
	if (size < 1)
		return 0;
	unsigned fill = data[0] % 6;
	size_t nChar = size - 1;
	/* Exact-size copy so ASan sees any read past the payload. */
	char *payload = malloc(nChar ? nChar : 1);
	if (!payload)
		return 0;
	memcpy(payload, data + 1, nChar);
	st_ais_msg m;
	if (st_ais_decode(payload, nChar, fill, &m) == ST_OK) {
		if (m.type < 1 || m.type > 27)
			abort();
		/* Every field must be within its width: a decoder reading the
		 * wrong bits tends to show it here first. */
		if (m.repeat > 3 || m.mmsi > 0x3fffffffu)
			abort();
		st_ais_json_opts jo = {0};
		jo.rxtime = ST_TIME_NONE;
		for (int scaled = 0; scaled < 2; scaled++) {
			jo.scaled = scaled;
			int n = st_ais_json(&m, &jo, json, sizeof json);
			if (n < 0 || (size_t)n >= sizeof json || json[n - 1] != '}')
				abort();
		}
		st_record rec;
		st_rec_kind kind = st_ais_to_record(&m, ST_TIME_NONE, &rec);
		if (kind != ST_REC_POSITION && kind != ST_REC_STATIC &&
		    kind != ST_REC_OTHER)
			abort();
		round_trip(&m, &jo);
	}
	free(payload);
	return 0;
}
