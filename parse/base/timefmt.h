/*
 * timefmt: strptime-style time formats (--time-format), skew's own code:
 * no strptime, no mktime, no locale.
 *
 * A format is compiled once (timefmt_compile) and read many times
 * (timefmt_read), which fills a struct ts_parts with what the text says;
 * ts_resolve() (base/ts.h) then decides the year, the day and the zone.
 *
 * Directives:
 *   %Y  four-digit year          %y  two digits: 70-99 19xx, 00-69 20xx
 *   %m  month, 1 or 2 digits      %d  day, 1 or 2 digits
 *   %e  day, space-padded          %j  day of the year, 1 to 3 digits
 *   %b  month name (Jan or January, any case)
 *   %a  weekday name (Sun or Sunday, any case; read, not checked)
 *   %H  hour 00-23                 %I  hour 01-12, with %p AM or PM
 *   %M  minute                     %S  second (60 as a leap second)
 *   %f  fraction, 1 to 9 digits, exact (more is not a fraction)
 *   %z  Z, +hh, +hhmm or +hh:mm    %Z  a zone abbreviation (letters)
 *   %s  epoch seconds, with an optional .fraction
 *   %s3 %s6 %s9  epoch milliseconds, microseconds, nanoseconds
 *   %%  a '%'
 * Two-digit fields take two digits when two are there (so %m%d reads
 * "1223").  A space in the format matches one or more spaces or tabs;
 * any other byte matches itself.
 *
 * A struct timefmt is owned by its creator (timefmt_free()); it is only
 * read by timefmt_read(), so it may be shared between threads.
 */
#ifndef SKEW_TIMEFMT_H
#define SKEW_TIMEFMT_H

#include <stddef.h>

#include "base/diag.h"
#include "base/ts.h"

struct timefmt;

/*
 * Compile fmt.  Returns NULL with *d filled (DIAG_USAGE, d->col the
 * 1-based offset of the bad directive) for an unknown or incomplete
 * directive, %I without %p (or %p without %I), or a format that reads no
 * time at all.
 */
struct timefmt	*timefmt_compile(const char *fmt, struct diag *d);
void		 timefmt_free(struct timefmt *f);

/* timefmt_read()'s answer when the text does not fit the format. */
#define TIMEFMT_NOFIT	((size_t)-1)

/*
 * Read the format from the start of s[0..n): returns the bytes it took
 * (text may follow) and fills *p, or TIMEFMT_NOFIT with *d (may be NULL)
 * saying why (DIAG_TS, d->col the 1-based column).  Ranges of single
 * fields (month 1-12, hour 0-23, ...) are checked here; whether the day
 * exists in its month is ts_resolve()'s.  Allocates nothing.
 */
size_t		 timefmt_read(const struct timefmt *f, const char *s,
		    size_t n, struct ts_parts *p, struct diag *d);

/* What the format reads: TIMEFMT_HAS_* bits. */
#define TIMEFMT_HAS_YEAR	0x01	/* %Y, %y, or an epoch */
#define TIMEFMT_HAS_DATE	0x02	/* a month and day, or %j */
#define TIMEFMT_HAS_ZONE	0x04	/* %z or %Z */
#define TIMEFMT_HAS_EPOCH	0x08
int		 timefmt_has(const struct timefmt *f);

#endif
