/* Status codes for every libshiptrace call. One X-macro table gives the
 * enum and the messages, so the two can never drift apart. Errors are
 * negative; ST_OK is zero; ST_EAGAIN means "nothing yet, feed more". */
#ifndef SHIPTRACE_STATUS_H
#define SHIPTRACE_STATUS_H

#define ST_STATUS_TABLE(X)                                                     \
	X(ST_OK, 0, "success")                                                 \
	X(ST_EAGAIN, 1, "more input needed")                                   \
	X(ST_ENOMEM, -1, "out of memory")                                      \
	X(ST_EINVAL, -2, "invalid argument")                                   \
	X(ST_EIO, -3, "input/output error")                                    \
	X(ST_EBADSUM, -4, "bad checksum")                                      \
	X(ST_EMALFORMED, -5, "malformed fields")                               \
	X(ST_EORPHAN, -6, "orphan fragment")                                   \
	X(ST_ESTALE, -7, "stale fragment")                                     \
	X(ST_ENOTAIS, -8, "non-AIS NMEA")                                      \
	X(ST_EUNPARSEABLE, -9, "unparseable line")                             \
	X(ST_ETOOLONG, -10, "line too long")                                   \
	X(ST_EUNSUPPORTED, -11, "unsupported")                                 \
	X(ST_EFORMAT, -12, "unknown format")                                   \
	X(ST_ESTORE, -13, "case store error")                                  \
	X(ST_ENOTCASE, -14, "not a shiptrace case")                            \
	X(ST_ECONNECT, -15, "cannot connect to server")                        \
	X(ST_ENOTFOUND, -16, "not found")                                      \
	X(ST_EEXIST, -17, "already present")                                   \
	X(ST_ECONFIG, -18, "bad configuration")

typedef enum {
#define ST__ENUM(name, val, msg) name = val,
	ST_STATUS_TABLE(ST__ENUM)
#undef ST__ENUM
} st_status;

/* Returns a static English message for a status code; never NULL. */
const char *st_strerror(st_status rc);

#endif
