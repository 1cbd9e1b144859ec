/* From raw AIS messages to the normalised records the rest of shiptrace
 * reads: degrees, knots and metres, with NAN / -1 where the message says
 * "not available". Position-bearing types become st_position, identity and
 * voyage types st_static_report; the raw message stays attached. */
#include <math.h>
#include <string.h>
#include "shiptrace/ais.h"

/* Degrees from 1/10000 minute; NAN for the "not available" codes and for
 * anything outside the globe (some senders use other out-of-range values
 * as "unknown"). A position with one coordinate missing is no position,
 * so both become NAN together. */
static void set_latlon(st_position *p, int lon, int lat, double div)
{
	double dLon = lon / div, dLat = lat / div;
	if (!(dLon >= -180.0 && dLon <= 180.0 && dLat >= -90.0 && dLat <= 90.0)) {
		p->lon = NAN;
		p->lat = NAN;
	} else {
		p->lon = dLon;
		p->lat = dLat;
	}
}

/* Speed in 1/10 knot: 1023 is not available, 1022 means "102.2 or more"
 * and is kept as 102.2. */
static float tenths_speed(unsigned v)
{
	return v == ST_AIS_SPEED_NA ? NAN : (float)v / 10.0f;
}

static float tenths_course(unsigned v)
{
	return v >= ST_AIS_COURSE_NA ? NAN : (float)v / 10.0f;
}

static int16_t heading(unsigned v)
{
	return v > 359 ? -1 : (int16_t)v;
}

static void copy_text(char *zDst, size_t nDst, const char *zSrc)
{
	size_t n = strlen(zSrc);
	if (n >= nDst)
		n = nDst - 1;
	memcpy(zDst, zSrc, n);
	zDst[n] = 0;
}

static void init_position(st_position *p, const st_ais_msg *m, st_time_ms t)
{
	p->mmsi = m->mmsi;
	p->t = t;
	p->lat = p->lon = NAN;
	p->sog = p->cog = NAN;
	p->heading = -1;
	p->nav_status = -1;
	p->msg_type = (uint8_t)m->type;
	p->cls = 0;
}

static void init_static(st_static_report *s, const st_ais_msg *m, st_time_ms t)
{
	memset(s, 0, sizeof *s);
	s->mmsi = m->mmsi;
	s->t = t;
	s->ship_type = -1;
	s->to_bow = s->to_stern = s->to_port = s->to_starboard = -1;
	s->draught = NAN;
	s->eta_hour = 24;
	s->eta_minute = 60;
	s->msg_type = (uint8_t)m->type;
	s->part = -1;
}

/* Ship type 0 is ITU's "not available". */
static int ship_type(unsigned v)
{
	return v == 0 ? -1 : (int)v;
}

static void fill_common(const st_ais_msg *m, st_time_ms t, st_record *out,
                        st_rec_kind kind)
{
	out->kind = kind;
	out->mmsi = m->mmsi;
	out->t = t;
	out->ais = m;
	out->source = NULL;
	out->line = 0;
}

st_rec_kind st_ais_to_static(const st_ais_msg *m, st_time_ms t, st_record *out)
{
	st_static_report *s = &out->stat;
	switch (m->type) {
	case 5:
		init_static(s, m, t);
		s->imo = m->type5.imo;
		copy_text(s->name, sizeof s->name, m->type5.shipname);
		copy_text(s->callsign, sizeof s->callsign, m->type5.callsign);
		copy_text(s->destination, sizeof s->destination,
		          m->type5.destination);
		s->ship_type = ship_type(m->type5.shiptype);
		s->to_bow = (int)m->type5.to_bow;
		s->to_stern = (int)m->type5.to_stern;
		s->to_port = (int)m->type5.to_port;
		s->to_starboard = (int)m->type5.to_starboard;
		s->draught = m->type5.draught ? (float)m->type5.draught / 10.0f : NAN;
		s->eta_month = (int)m->type5.month;
		s->eta_day = (int)m->type5.day;
		s->eta_hour = (int)m->type5.hour;
		s->eta_minute = (int)m->type5.minute;
		break;
	case 19:
		init_static(s, m, t);
		copy_text(s->name, sizeof s->name, m->type19.shipname);
		s->ship_type = ship_type(m->type19.shiptype);
		s->to_bow = (int)m->type19.to_bow;
		s->to_stern = (int)m->type19.to_stern;
		s->to_port = (int)m->type19.to_port;
		s->to_starboard = (int)m->type19.to_starboard;
		break;
	case 24:
		init_static(s, m, t);
		s->part = (int8_t)m->type24.part;
		copy_text(s->name, sizeof s->name, m->type24.shipname);
		if (m->type24.part == 1) {
			s->ship_type = ship_type(m->type24.shiptype);
			copy_text(s->callsign, sizeof s->callsign,
			          m->type24.callsign);
			/* An auxiliary craft sends its mothership's MMSI
			 * where the dimensions would be. */
			if (m->mmsi / 10000000 != 98) {
				s->to_bow = (int)m->type24.to_bow;
				s->to_stern = (int)m->type24.to_stern;
				s->to_port = (int)m->type24.to_port;
				s->to_starboard = (int)m->type24.to_starboard;
			}
		}
		break;
	default:
		return ST_REC_OTHER;
	}
	fill_common(m, t, out, ST_REC_STATIC);
	return ST_REC_STATIC;
}

st_rec_kind st_ais_to_record(const st_ais_msg *m, st_time_ms t, st_record *out)
{
	st_position *p = &out->pos;
	switch (m->type) {
	case 1:
	case 2:
	case 3:
		init_position(p, m, t);
		set_latlon(p, m->type1.lon, m->type1.lat, 600000.0);
		p->sog = tenths_speed(m->type1.speed);
		p->cog = tenths_course(m->type1.course);
		p->heading = heading(m->type1.heading);
		p->nav_status = (int8_t)m->type1.status;
		p->cls = 'A';
		break;
	case 4:
	case 11:
		init_position(p, m, t);
		set_latlon(p, m->type4.lon, m->type4.lat, 600000.0);
		break;
	case 9:
		init_position(p, m, t);
		set_latlon(p, m->type9.lon, m->type9.lat, 600000.0);
		p->sog = m->type9.speed == ST_AIS_SPEED9_NA ? NAN : (float)m->type9.speed;
		p->cog = tenths_course(m->type9.course);
		break;
	case 18:
		init_position(p, m, t);
		set_latlon(p, m->type18.lon, m->type18.lat, 600000.0);
		p->sog = tenths_speed(m->type18.speed);
		p->cog = tenths_course(m->type18.course);
		p->heading = heading(m->type18.heading);
		p->cls = 'B';
		break;
	case 19:
		init_position(p, m, t);
		set_latlon(p, m->type19.lon, m->type19.lat, 600000.0);
		p->sog = tenths_speed(m->type19.speed);
		p->cog = tenths_course(m->type19.course);
		p->heading = heading(m->type19.heading);
		p->cls = 'B';
		break;
	case 21:
		init_position(p, m, t);
		set_latlon(p, m->type21.lon, m->type21.lat, 600000.0);
		break;
	case 27:
		init_position(p, m, t);
		set_latlon(p, m->type27.lon, m->type27.lat, 600.0);
		p->sog = m->type27.speed == ST_AIS_SPEED27_NA ? NAN : (float)m->type27.speed;
		p->cog = m->type27.course > 359 ? NAN : (float)m->type27.course;
		p->nav_status = (int8_t)m->type27.status;
		break;
	case 5:
	case 24:
		return st_ais_to_static(m, t, out);
	default:
		fill_common(m, t, out, ST_REC_OTHER);
		return ST_REC_OTHER;
	}
	fill_common(m, t, out, ST_REC_POSITION);
	return ST_REC_POSITION;
}
