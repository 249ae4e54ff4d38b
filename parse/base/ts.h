/*
 * ts: timestamps, exact to the nanosecond.
 *
 * A time of record never passes through a double: it is whole seconds since
 * the epoch (UTC) and nanoseconds, plus the number of fraction digits the log
 * wrote, so that it can be printed back with exactly those digits.  All
 * calendar arithmetic is hand-written (no strptime, no mktime), except that an
 * IANA zone name is resolved with the C library's zone data (see ts_zone_new).
 *
 * No function here allocates, except ts_zone_new(); a struct ts_zone is owned
 * by its creator and freed with ts_zone_free().
 */
#ifndef SKEW_TS_H
#define SKEW_TS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"

/*
 * A time, or a duration (a difference of times, a gap, an offset): whole
 * seconds and nanoseconds, 16 bytes.  nsec is always 0 .. 999999999, also
 * for a negative duration (-0.5 s is sec -1, nsec 500000000).  The seconds
 * are 64-bit, so no arithmetic below can overflow over the range every
 * stage accepts (TS_SEC_MIN .. TS_SEC_MAX): its widest difference is about
 * 2.5e11 s, where a signed 64-bit count of nanoseconds would overflow after
 * 292 years (in 2262).
 */
struct ts {
	int64_t	sec;	/* seconds since 1970-01-01T00:00:00Z */
	int32_t	nsec;	/* 0 .. 999999999 */
	uint8_t	digits;	/* fraction digits as logged, 0 .. 9 */
	uint8_t	flags;	/* TS_F* */
};

/* Nanoseconds in a second. */
#define TS_NS		1000000000

/*
 * The range of times every stage accepts, the contract's years 1970-9999:
 * 1970-01-01T00:00:00Z (TS_SEC_MIN) to 9999-12-31T23:59:59.999999999Z
 * (TS_SEC_MAX and any nsec).  ts_check() is the one test of it.
 */
#define TS_SEC_MIN	INT64_C(0)
#define TS_SEC_MAX	INT64_C(253402300799)

/* The local time fell in a DST fold (it happened twice); the earlier was taken. */
#define TS_FFOLD	0x01
/* The local time fell in a DST gap (it never happened); shifted forward. */
#define TS_FGAP		0x02

/*
 * Which form a timestamp's text has.  TS_AUTO recognises ISO/Python,
 * CLF and epoch seconds (with a fraction, or 10 digits) by their shape.
 */
enum ts_form {
	TS_AUTO = 0,
	TS_ISO,		/* 2023-11-01 23:10:04.806247, T or space, , or . */
	TS_CLF,		/* 01/Nov/2023:23:10:04 +0000, brackets optional */
	TS_EPOCH,	/* 1698880204.806247 */
	TS_EPOCH_MS,	/* 1698880204806 */
	TS_SYSLOG	/* Nov  1 23:10:04 (year from ts_opt.year) */
};

struct ts_zone;

/*
 * The last minute ts_parse() read in the common ISO shape: its text
 * ("2023-11-01 23:10", the first 16 bytes) and what it came to.  Lines of a
 * log mostly share their minute, so the date is checked and counted once a
 * minute rather than once a line.  Zero-initialised means empty.  Owned by
 * the caller; the memo is written by every ts_parse() given it, so it is
 * not to be shared between threads.
 */
struct ts_memo {
	uint64_t	 key[2];	/* the 16 bytes, as read */
	int64_t		 base;		/* that minute, local, in seconds */
	int		 ok;		/* key and base are set */
};

struct ts_opt {
	enum ts_form	 form;
	struct ts_zone	*zone;	/* for naive times; NULL means UTC */
	int		 year;	/* TS_SYSLOG's year; 0 means 1970 (the parser
				 * reads syslog with ts_syslog_parts() and
				 * ts_resolve() instead, for its turnovers) */
	struct ts_memo	*memo;	/* NULL: none; else ts_parse writes it */
	/* TS_AUTO: the advice ending the message for a number of no epoch
	 * unit; NULL: "say its shape with --time-format" (a reader where
	 * that option does not apply names what does). */
	const char	*shape_hint;
};

/*
 * Eight bytes at s as a number whose lowest byte is s[0], whatever the
 * machine's byte order: the scanners' word-at-a-time tests are written
 * for that order.
 */
static inline uint64_t
ts_ld8(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
#if !defined(__BYTE_ORDER__)
#error "ts_ld8 needs __BYTE_ORDER__ (GCC or Clang) to know the byte order"
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/*
 * Non-zero unless every byte of w under hi is a digit and every byte under
 * sep is its byte in sv.  hi has 0xf0 over each digit, d0 its '0' and six
 * its 0x06: a digit's high half is 3, and stays 3 with 6 added, only for
 * '0' to '9'.  A carry out of one byte comes only from a byte that has
 * already failed the first test.
 */
static inline uint64_t
ts_word_bad(uint64_t w, uint64_t hi, uint64_t d0, uint64_t six,
    uint64_t sep, uint64_t sv)
{
	return ((w & hi) ^ d0) | (((w + six) & hi) ^ d0) | ((w & sep) ^ sv);
}

/*
 * The bytes s[i..n) (i < n), at most eight of them, as ts_ld8() reads
 * them, zero past n: a zero byte is no digit, so a word test stops there.
 * Short of eight, the word that ends at n is read and shifted down
 * (within s, when n >= 8), rather than the bytes one at a time: a
 * timestamp's fraction is most often the last few bytes of its text.
 */
static inline uint64_t
ts_ld8_upto(const char *s, size_t i, size_t n)
{
	size_t k = n - i;
	uint64_t v = 0;

	if (k >= 8)
		return ts_ld8(s + i);
	if (n >= 8)
		return ts_ld8(s + n - 8) >> (8 * (8 - k));
	while (k-- > 0)
		v = v << 8 | (unsigned char)s[i + k];
	return v;
}

/* ts_word_bad()'s test of eight digits. */
static inline uint64_t
ts_digits_bad(uint64_t w)
{
	return ts_word_bad(w, UINT64_C(0xf0f0f0f0f0f0f0f0),
	    UINT64_C(0x3030303030303030), UINT64_C(0x0606060606060606), 0, 0);
}

/*
 * The first position from i that is not a digit (or n).  Eight bytes a
 * step: the lowest failing byte of a word is the first in the text (a
 * carry out of a byte only follows a failing one), and the last few
 * bytes are one word too (ts_ld8_upto()).
 */
static inline size_t
ts_skip_digits(const char *s, size_t i, size_t n)
{
	uint64_t bad;

	for (; i + 8 <= n; i += 8)
		if ((bad = ts_digits_bad(ts_ld8(s + i))) != 0)
			return i + (size_t)(__builtin_ctzll(bad) >> 3);
	/* Fewer than eight left: zeros after them stop the run. */
	if (i < n)
		return i + (size_t)(__builtin_ctzll(ts_digits_bad(
		    ts_ld8_upto(s, i, n))) >> 3);
	return n;
}

/*
 * The value of eight digits in a word as ts_ld8() reads them (the first,
 * the most significant, in the lowest byte); a byte cleared to zero
 * counts as the digit 0.  Three multiplications combine neighbours: pairs,
 * then fours, then the eight (as in fast_float's
 * parse_eight_digits_unrolled).
 */
static inline uint32_t
ts_eight_digits(uint64_t w)
{
	w = ((w & UINT64_C(0x0f0f0f0f0f0f0f0f)) * 2561) >> 8;
	w = ((w & UINT64_C(0x00ff00ff00ff00ff)) * 6553601) >> 16;
	return (uint32_t)(((w & UINT64_C(0x0000ffff0000ffff)) *
	    UINT64_C(42949672960001)) >> 32);
}

/*
 * Whether s[0..n) begins with the 19 bytes of "YYYY-MM-DD HH:MM:SS" (T or
 * a space in the middle), digits and separators where they belong; the
 * ranges are not checked.  Three words, "dddd-dd-", "dd?dd:dd" and
 * "dd:dd:dd" (the last two overlap; s[10] is tested apart), for the
 * scanners' hot path.
 */
static inline int
ts_iso_shape(const char *s, size_t n)
{
	if (n < 19 || (s[10] != 'T' && s[10] != ' '))
		return 0;
	return (ts_word_bad(ts_ld8(s), UINT64_C(0x00f0f000f0f0f0f0),
	    UINT64_C(0x0030300030303030), UINT64_C(0x0006060006060606),
	    UINT64_C(0xff0000ff00000000), UINT64_C(0x2d00002d00000000)) |
	    ts_word_bad(ts_ld8(s + 8), UINT64_C(0xf0f000f0f000f0f0),
	    UINT64_C(0x3030003030003030), UINT64_C(0x0606000606000606),
	    UINT64_C(0x0000ff0000000000), UINT64_C(0x00003a0000000000)) |
	    ts_word_bad(ts_ld8(s + 11), UINT64_C(0xf0f000f0f000f0f0),
	    UINT64_C(0x3030003030003030), UINT64_C(0x0606000606000606),
	    UINT64_C(0x0000ff0000ff0000), UINT64_C(0x00003a00003a0000))) == 0;
}

/*
 * Parse a zone for naive times: "UTC", "Z", a fixed offset ("+09:00",
 * "-0530", "+09"), or an IANA name ("Asia/Tokyo") resolved with the C
 * library's zone data under TZ and cached per hour.  Returns NULL and fills
 * *d when the name is not a zone.  The caller frees it with ts_zone_free().
 * A zone object caches, so it is not to be shared between threads.
 */
struct ts_zone	*ts_zone_new(const char *spec, struct diag *d);
void		 ts_zone_free(struct ts_zone *z);

/*
 * Parse exactly the n bytes at s (no trailing text allowed) as a timestamp
 * of the given form.  Returns 0 and fills *t, or -1 with *d saying what was
 * expected and d->col the 1-based column of the fault.
 */
int		 ts_parse(const char *s, size_t n, const struct ts_opt *o,
		    struct ts *t, struct diag *d);

/*
 * The scanners' hot path (format.c): s[0..n) begins with an ISO time
 * whose minute is the one o->memo holds ("2023-11-01 23:10", as the last
 * ts_parse() given that memo read it), its seconds, a fraction of at
 * most nine digits and Z, or neither, after: anything may follow but a
 * sign (an offset, or not: read the whole way).  Returns the length of
 * the time (the span the iso scanner takes) and
 * *t as ts_parse() reads those bytes with o; 0, *t undefined, for any
 * other text, or a time ts_parse() would refuse (the caller reads it the
 * whole way).  Reads the memo and never writes it.
 */
size_t		 ts_iso_memo(const char *s, size_t n, const struct ts_opt *o,
		    struct ts *t);

/* Longest outputs of the formatters below, with the NUL. */
#define TS_ISO_MAX	32
#define TS_EPOCH_MAX	32

/*
 * "2023-11-01T23:10:04.806247Z": UTC, with t->digits fraction digits.
 * Writes a NUL-terminated string into buf and returns its length.
 */
size_t		 ts_iso(const struct ts *t, char buf[TS_ISO_MAX]);

/* "1698880204.806247": epoch seconds with t->digits fraction digits. */
size_t		 ts_epoch(const struct ts *t, char buf[TS_EPOCH_MAX]);

/*
 * The same texts for a writer of many times in order: the text of the
 * whole second is kept in a struct ts_text (zeroed before the first) and
 * made again only when the second changes.  ts_text_set() makes c hold t's
 * texts (the fraction each time, once for both texts) and returns 1, or 0
 * for a second outside 1970-9999, which the caller writes with ts_iso() and
 * ts_epoch().  After a 1, ts_text_iso() and ts_text_epoch() write ts_iso's
 * and ts_epoch's bytes at p (room for TS_ISO_MAX / TS_EPOCH_MAX; bytes past
 * the length returned may be written, no NUL).
 */
#define TS_TEXT_SEC	19	/* "2023-11-01T23:10:04": years 1970-9999 */

struct ts_text {
	int		 ok;
	int64_t		 sec;
	size_t		 epochn;
	size_t		 fracn;
	char		 iso[24];		/* "2023-11-01T23:10:04" */
	char		 epoch[16];		/* "1698880204" */
	char		 frac[16];		/* ".806247" */
};

int		 ts_text_set(struct ts_text *c, const struct ts *t);

static inline size_t
ts_text_iso(const struct ts_text *c, char *p)
{
	memcpy(p, c->iso, 20);		/* the 19 bytes and a spare */
	memcpy(p + TS_TEXT_SEC, c->frac, 10);
	p[TS_TEXT_SEC + c->fracn] = 'Z';
	return TS_TEXT_SEC + c->fracn + 1;
}

static inline size_t
ts_text_epoch(const struct ts_text *c, char *p)
{
	memcpy(p, c->epoch, 16);	/* up to 12 digits (TS_SEC_MAX) */
	memcpy(p + c->epochn, c->frac, 10);
	return c->epochn + c->fracn;
}

/*
 * Whether t lies in the range (TS_SEC_MIN .. TS_SEC_MAX): 0, or -1 with *d
 * saying which end it passed (DIAG_TS, "time before 1970-01-01T00:00:00Z"
 * or "time after 9999-12-31T23:59:59Z", d->col 1).  Every stage applies it
 * where a time is made or shifted: ts_parse(), ts_add(), and whatever
 * makes a time otherwise (the other end of a request with a dur).
 */
int		 ts_check(const struct ts *t, struct diag *d);

/*
 * a - b, exact, in *out (digits the larger of the two, no flags).  Never
 * fails: any two times in the range, or durations as wide as it, differ by
 * far less than 64-bit seconds hold (beyond that the seconds wrap, never
 * undefined).
 */
static inline void
ts_sub(const struct ts *a, const struct ts *b, struct ts *out)
{
	/* Wrapping arithmetic: never undefined, even at the int64 ends. */
	int64_t sec = (int64_t)((uint64_t)a->sec - (uint64_t)b->sec);
	int32_t ns = a->nsec - b->nsec;

	if (ns < 0) {
		ns += TS_NS;
		sec = (int64_t)((uint64_t)sec - 1);
	}
	out->sec = sec;
	out->nsec = ns;
	out->digits = a->digits > b->digits ? a->digits : b->digits;
	out->flags = 0;
}

/*
 * The time t shifted by the duration dur (negative or not), exact, in *out
 * (digits the larger of the two, t's flags; out may be t).  Returns 0, or
 * -1 with *d filled by ts_check() when the sum is out of the range (*out
 * is then what it came to, saturated at the int64_t ends).
 */
int		 ts_add(const struct ts *t, const struct ts *dur, struct ts *out,
		    struct diag *d);

/* Negative, zero or positive as a is before, equal to or after b.  Inline,
 * with ts_sub(): both are on the analysis's per-request paths. */
static inline int
ts_cmp(const struct ts *a, const struct ts *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return (a->nsec > b->nsec) - (a->nsec < b->nsec);
}

/* The fewest fraction digits that show nsec exactly (0 for 0). */
uint8_t		 ts_min_digits(int32_t nsec);

/*
 * t as a count of nanoseconds in a double, rounded once (exact below
 * 2^53 ns, about 104 days): for ratios of durations, as a 64-bit count
 * would give them, but without its overflow after 292 years.
 */
double		 ts_ns_double(const struct ts *t);

/* t as a double; for statistics and plots, never for the time of record. */
double		 ts_double(const struct ts *t);

/* Days since 1970-01-01 of a proleptic Gregorian date (y >= 1). */
int64_t		 ts_days(int y, int m, int d);

/*
 * Reading a time in two steps: a scanner (timefmt_read(), the syslog form
 * of ts_parse()) fills a struct ts_parts with what the text says, then
 * ts_resolve() decides what it says nothing of (the year, the day, the
 * zone) by the options and the input read so far.  This is the one place
 * where years and zones are decided.
 */

/* A field the text did not give. */
#define TS_NONE		(-1)

struct ts_parts {
	int		 year;		/* 1970..9999 as written, or TS_NONE */
	int		 mon, mday;	/* 1..12, 1..31, or TS_NONE */
	int		 yday;		/* %j: 1..366, or TS_NONE */
	int		 hour, min, sec;	/* 0..23, 0..59, 0..60; hour
					 * TS_NONE: no time of day (midnight) */
	int32_t		 nsec;		/* 0..999999999 */
	uint8_t		 digits;	/* fraction digits as written */
	int		 has_off;	/* off is a numeric offset (or Z) */
	int32_t		 off;		/* seconds east */
	const char	*abbr;		/* a zone abbreviation's text, or NULL */
	size_t		 abbr_n;
	size_t		 abbr_col;	/* its 1-based column in the text */
	int		 has_epoch;	/* epoch is the whole time */
	struct ts	 epoch;
};

/* Empty parts: every field TS_NONE, no offset, abbreviation or epoch. */
void		 ts_parts_clear(struct ts_parts *p);

/* --tz-abbrev NAME=OFFSET. */
struct ts_abbr {
	char		 name[8];
	int32_t		 off;		/* seconds east */
};

/*
 * The abbreviations in the system's zone data (TZDIR, else
 * /usr/share/zoneinfo): each name with the offset(s) it has had since
 * 1970 in any zone, and a zone that uses it.  Loaded once (it reads every
 * zone file) and freed with ts_abbrset_free().
 */
struct ts_abbrset;
struct ts_abbrset *ts_abbrset_load(struct diag *d);
void		 ts_abbrset_free(struct ts_abbrset *a);

/*
 * Whether s[0..n) is a zone abbreviation there: 0 not, 1 with one offset
 * (*off), 2 with several (ambiguous; *off one of them).  *zone (may be
 * NULL) names a zone using it.  Allocates nothing.
 */
int		 ts_abbrset_find(const struct ts_abbrset *a, const char *s,
		    size_t n, int32_t *off, const char **zone);

/*
 * The options a time is decided by, set once per parser.  Zero means none
 * of each.  sys is loaded on the first abbreviation ts_resolve() meets
 * (sys_tried then set), so the rules are not const.  Owned by the caller,
 * who frees sys with ts_abbrset_free().
 */
struct ts_rules {
	struct ts_zone	*zone;		/* --tz; NULL: UTC */
	int		 year;		/* --year; 0: not given */
	int		 date_y, date_m, date_d;	/* --date; 0: not given */
	const struct ts_abbr *abbr;	/* --tz-abbrev, nabbr of them */
	size_t		 nabbr;
	struct ts_abbrset *sys;
	int		 sys_tried;
};

/*
 * One input's state: the year and day reached, the last month and time of
 * day seen, and what was counted.  ts_input_reset() at each input's start.
 */
struct ts_input {
	int		 started;
	int		 year;		/* the year of yearless times */
	int		 last_mon;
	int64_t		 day;		/* --date: days since the epoch */
	int32_t		 last_tod;	/* --date: seconds of the day */
	uint64_t	 turnovers;	/* years (or days) turned over */
	uint64_t	 backsteps;	/* months (or times) that went back
					 * less than a turnover */
	uint64_t	 year_on_line;	/* times with their own year while
					 * --year was given */
};

void		 ts_input_reset(struct ts_input *in);

/* ts_resolve()'s answer when the input as a whole cannot be read. */
#define TS_REFUSE	(-2)

/*
 * Decide the time the parts say, exact, into *out:
 * - an epoch is the time;
 * - the year: the line's; else (--year Y, or --date's year) Y at the
 *   input's first time, +1 (a turnover) when the month goes back by six
 *   or more, kept on a smaller step back (counted in backsteps); without
 *   --year or --date, TS_REFUSE ("no year on the line ...");
 * - a time of day alone (no month): --date's day, +1 when the time of day
 *   goes back by 12 hours or more; without --date, TS_REFUSE;
 * - %j's day of the year, when no month;
 * - the zone: a numeric offset; else an abbreviation: UTC, GMT, UT and Z
 *   are zero, a --tz-abbrev one its offset, one the --tz zone uses its
 *   offset there; any other TS_REFUSE by name (with the offset(s) the zone
 *   data gives it, if any); no abbreviation: the --tz zone (UTC if none);
 * - ts_check().
 * Returns 0, -1 (the line's time is wrong: *d DIAG_TS, d->col set), or
 * TS_REFUSE (*d DIAG_USAGE).  Allocates nothing after the first
 * abbreviation (which loads r->sys).
 */
int		 ts_resolve(const struct ts_parts *p, struct ts_rules *r,
		    struct ts_input *in, struct ts *out, struct diag *d);

/*
 * The offset of the zone abbreviation s[0..n) (at 1-based column col) by
 * the rules, as ts_resolve() decides it: 0 and *off, or TS_REFUSE with *d
 * naming it.  For a scanner that finds an abbreviation after a time
 * (the iso preset).
 */
int		 ts_abbr_offset(const char *s, size_t n, size_t col,
		    struct ts_rules *r, int32_t *off, struct diag *d);

/*
 * Whether s[0..n) is an abbreviation the rules know: UTC, GMT, UT, Z, a
 * --tz-abbrev one, the --tz zone's, or one in the zone data (loading it on
 * first need).  Never a log level or an HTTP method (INFO, GET): they are
 * in none of these.
 */
int		 ts_abbr_known(const char *s, size_t n, struct ts_rules *r);

/*
 * The whole NUL-terminated s as a numeric offset (Z, +hh, +hhmm,
 * +hh:mm; UTC as zero): 0 and *off (seconds east), or -1 with *d.
 */
int		 ts_offset_parse(const char *s, int32_t *off, struct diag *d);

/* TS_AUTO's choice of form for s[0..n), by its first bytes. */
enum ts_form	 ts_guess(const char *s, size_t n);

/*
 * Exactly the n bytes at s as a syslog time ("Nov  1 23:10:04", an
 * optional fraction) into *p, for ts_resolve().  Returns 0, or -1 with *d
 * (DIAG_TS, d->col).
 */
int		 ts_syslog_parts(const char *s, size_t n, struct ts_parts *p,
		    struct diag *d);

/*
 * The offset of the abbreviation s[0..n) in zone z, read from its zone
 * data: 0 and *off, or -1 when z does not use it (or with two offsets).
 */
int		 ts_zone_abbr(const struct ts_zone *z, const char *s, size_t n,
		    int32_t *off);

#endif
