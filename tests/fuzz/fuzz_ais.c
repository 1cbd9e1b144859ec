/* libFuzzer target for the AIS payload decoder: the first byte chooses the
 * fill bits, the rest is taken as an armoured payload of any length and any
 * characters. The decoder must never read outside the payload (ASan, on an
 * exact-size copy) and whatever it accepts must be a message of type 1-27
 * with fields inside their widths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shiptrace/ais.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	}
	free(payload);
	return 0;
}
