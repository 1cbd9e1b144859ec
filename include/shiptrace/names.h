/* Names as investigators meet them: ship names, port and station names in
 * Latin or Cyrillic, with punctuation and transliteration variants.
 * st_name_normalize gives a display-safe canonical form; st_name_key a
 * coarser key under which common transliteration variants of one name
 * coincide ("Восточный" = "Vostochny" = "Vostochnyy" = "VOSTOCHNYI"). */
#ifndef SHIPTRACE_NAMES_H
#define SHIPTRACE_NAMES_H

#include <stddef.h>

/* UTF-8 in; out: ASCII uppercase, Cyrillic transliterated (ICAO 9303
 * table), accents dropped for Latin-1 letters, every run of punctuation and
 * space made one space, trimmed. Returns the output length (truncated to
 * n - 1). */
size_t st_name_normalize(const char *zIn, char *zOut, size_t n);

/* The matching key: the normalised form with spaces removed and
 * transliteration variants folded (Y and J to I, KH to H, repeated letters
 * once, trailing soft signs dropped). */
size_t st_name_key(const char *zIn, char *zOut, size_t n);

#endif
