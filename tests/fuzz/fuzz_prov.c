/* libFuzzer target for the provenance inputs: the first byte picks the
 * reader (shipment records through a fixed map, places/facilities CSV or
 * GeoJSON, or the name key), the rest is the file. Records and places are
 * read from a memory file so the real file paths run; every line must come
 * back as a record or a reject, never a crash. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shiptrace/names.h"
#include "shiptrace/places.h"
#include "shiptrace/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_row(void *ctx, const st_shipment *s)
{
	(void)s;
	(*(uint64_t *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which = data[0] % 3;
	if (which == 2) {
		char *z = malloc(size);
		char zKey[64], zNorm[64];
		if (!z)
			return 0;
		memcpy(z, data + 1, size - 1);
		z[size - 1] = 0;
		st_name_key(z, zKey, sizeof zKey);
		st_name_normalize(z, zNorm, sizeof zNorm);
		free(z);
		return 0;
	}
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	char zPath[64], zErr[256];
	snprintf(zPath, sizeof zPath, "/proc/self/fd/%d", fd);
	if (which == 0) {
		st_records_map m;
		memset(&m, 0, sizeof m);
		strcpy(m.record_id, "id");
		strcpy(m.date, "date");
		strcpy(m.origin, "from");
		strcpy(m.destination, "to");
		strcpy(m.cargo_text, "cargo");
		strcpy(m.weight, "kg");
		strcpy(m.units, "unit");
		strcpy(m.date_format, "%d.%m.%Y %H:%M");
		strcpy(m.timezone, "+10:00");
		strcpy(m.weight_unit, "kg");
		strcpy(m.encoding, (data[0] & 4) ? "WINDOWS-1251" : "UTF-8");
		m.delimiter = ';';
		m.header_lines = 1;
		uint64_t n = 0;
		st_records_stats st;
		if (st_records_read(zPath, &m, on_row, NULL, &n, &st, zErr, sizeof zErr) == ST_OK &&
		    st.records + st.rejected + st.blank + 1 > st.lines)
			abort(); /* a line counted twice */
	} else {
		st_places *p = st_places_new();
		size_t nAdd, nBad;
		if (p) {
			st_places_read(p, zPath, NULL, NULL, &nAdd, &nBad, zErr, sizeof zErr);
			double d;
			st_places_nearest(p, 55.0, 37.0, true, &d);
			st_places_find(p, "Vostochny");
			st_places_free(p);
		}
	}
	close(fd);
	return 0;
}
