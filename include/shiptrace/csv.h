/* A small RFC 4180 field splitter shared by the CSV-shaped inputs that are
 * not on the AIS fast path: sanctions lists, shipment records, places and
 * facilities. It splits one record in place; a record whose quotes are
 * still open at the end of a line continues on the next one. */
#ifndef SHIPTRACE_CSV_H
#define SHIPTRACE_CSV_H

#include <stddef.h>

/* Whether zRec ends inside a quoted field, so the next line belongs to it. */
int st_csv_open_quote(const char *zRec, char cDelim);

/* Splits zRec in place into at most nMax fields (quotes removed, "" made
 * "), trailing CR/LF ignored. Returns the number of fields found, which
 * may exceed nMax (the extra ones are not stored). */
int st_csv_split(char *zRec, char cDelim, char **azField, int nMax);

/* Index of the header field equal to zName (case-insensitive, surrounding
 * spaces and a UTF-8 byte order mark ignored), or -1. */
int st_csv_find(char *const *azField, int nField, const char *zName);

#endif
