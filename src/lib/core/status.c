/* Messages for st_status, generated from the same table as the enum. */
#include "shiptrace/status.h"

const char *st_strerror(st_status rc)
{
	switch (rc) {
#define ST__CASE(name, val, msg)                                               \
	case name:                                                             \
		return msg;
		ST_STATUS_TABLE(ST__CASE)
#undef ST__CASE
	}
	return "unknown status";
}
