/* Internals of the AIS payload decoder shared with its tests: the
 * de-armouring step on its own, in the form the build uses (SSE2 where the
 * compiler targets it) and in the portable form every build keeps, so that
 * a test can hold the two against each other at every length. */
#ifndef ST_AIS_INT_H
#define ST_AIS_INT_H

#include <stddef.h>
#include <stdint.h>

/* Bytes a de-armouring may write for nChar characters: the data, rounded
 * up, plus up to 16 bytes of zeros or scratch after it. */
#define ST__AIS_DEARMOUR_BYTES(nChar) (((nChar) * 6 + 7) / 8 + 16)

/* De-armours nChar payload characters into a, MSB first, six bits each.
 * Returns non-zero if any character is outside the armour ('0'..'W',
 * '`'..'w'); a then holds garbage. a must have ST__AIS_DEARMOUR_BYTES
 * room. */
unsigned st__ais_dearmour(const char *z, size_t nChar, uint8_t *a);
unsigned st__ais_dearmour_portable(const char *z, size_t nChar, uint8_t *a);

/* The 168 bits of a 28-character payload as three 64-bit words, MSB
 * first (bits 168..191 zero); returns non-zero on a character outside the
 * armour. */
unsigned st__ais_words28(const char *z, uint64_t w[3]);
unsigned st__ais_words28_portable(const char *z, uint64_t w[3]);

#endif
