/* RFC 4180 splitting for the slower CSV inputs (lists, records, places).
 * In place and allocation-free: the caller owns the record buffer. */
#include <string.h>
#include <strings.h>
#include "shiptrace/csv.h"

int st_csv_open_quote(const char *zRec, char cDelim)
{
	int inQuote = 0;
	(void)cDelim;
	for (const char *z = zRec; *z; z++)
		if (*z == '"')
			inQuote = !inQuote;
	return inQuote;
}

int st_csv_split(char *zRec, char cDelim, char **azField, int nMax)
{
	size_t n = strlen(zRec);
	while (n > 0 && (zRec[n - 1] == '\n' || zRec[n - 1] == '\r'))
		zRec[--n] = 0;
	int nField = 0;
	char *z = zRec;
	for (;;) {
		char *zOut = z, *zStart = z;
		if (*z == '"') {
			z++;
			for (;;) {
				if (*z == 0)
					break;
				if (*z == '"') {
					if (z[1] == '"') {
						*zOut++ = '"';
						z += 2;
						continue;
					}
					z++;
					break;
				}
				*zOut++ = *z++;
			}
			/* text after the closing quote is kept, as spreadsheets do */
			while (*z && *z != cDelim)
				*zOut++ = *z++;
		} else {
			while (*z && *z != cDelim)
				z++;
			zOut = z;
		}
		char cEnd = *z;
		*zOut = 0;
		if (nField < nMax)
			azField[nField] = zStart;
		nField++;
		if (cEnd != cDelim)
			break;
		z++;
	}
	return nField;
}

int st_csv_find(char *const *azField, int nField, const char *zName)
{
	for (int i = 0; i < nField; i++) {
		const char *z = azField[i];
		if ((unsigned char)z[0] == 0xEF && (unsigned char)z[1] == 0xBB &&
		    (unsigned char)z[2] == 0xBF)
			z += 3;
		while (*z == ' ')
			z++;
		size_t n = strlen(z);
		while (n > 0 && z[n - 1] == ' ')
			n--;
		if (n == strlen(zName) && strncasecmp(z, zName, n) == 0)
			return i;
	}
	return -1;
}
