/* libFuzzer target for the streaming NMEA decoder: the input is split into
 * lines (on LF, so CR, NUL and every other byte reach the decoder) and each
 * line is fed to st_nmea_feed exactly as a reader would, then the decoder is
 * finished and its statistics checked. Seeds come from the shared NMEA
 * corpora (tests/fuzz/corpus/nmea); the sanitizers catch any read out of
 * bounds, and the accounting checks below abort when a line goes missing,
 * which a crash-only fuzzer would not notice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiptrace/ais.h"
#include "shiptrace/nmea.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const st_ais_msg *m, const st_nmea_meta *meta)
{
	/* A decoded message must carry a valid type, and its JSON must fit a
	 * generous buffer: the writer never overruns or truncates silently. */
	static char buf[16384];
	if (m->type < 1 || m->type > 27)
		abort();
	st_ais_json_opts jo = {0};
	jo.scaled = (m->mmsi & 1) != 0;
	jo.rxtime = meta->t;
	jo.source = meta->source;
	int n = st_ais_json(m, &jo, buf, sizeof buf);
	if (n < 0 || (size_t)n >= sizeof buf)
		abort();
	if (memchr(meta->source, 0, sizeof meta->source) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	st_nmea *dec = st_nmea_new();
	if (!dec)
		return 0;
	/* The decoder must not read past the length it is given, so each line
	 * is copied into a buffer of exactly that size: ASan then flags any
	 * over-read, including a hunt for a terminating NUL. */
	uint64_t nLine = 0, nOk = 0;
	size_t i = 0;
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t len = nl ? (size_t)(nl - (data + i)) + 1 : size - i;
		char *line = malloc(len ? len : 1);
		if (!line)
			break;
		memcpy(line, data + i, len);
		st_ais_msg msg;
		st_nmea_meta meta;
		st_reject why = ST_REJ_COUNT;
		st_status rc = st_nmea_feed(dec, line, len, &msg, &meta, &why);
		if (rc == ST_OK) {
			check_message(&msg, &meta);
			nOk++;
		} else if (rc < 0 && (unsigned)why >= ST_REJ_COUNT) {
			abort(); /* a rejected line must name its bucket */
		}
		free(line);
		nLine++;
		i += len;
	}
	st_nmea_finish(dec);
	const st_nmea_stats *s = st_nmea_get_stats(dec);
	if (s->lines != nLine || s->messages != nOk)
		abort();
	uint64_t nType = 0;
	for (int t = 0; t < 28; t++)
		nType += s->by_type[t];
	if (nType != s->messages)
		abort();
	st_nmea_free(dec);
	return 0;
}
