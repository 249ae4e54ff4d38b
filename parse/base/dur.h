/*
 * dur: durations on the command line (--gap, --offset, --service-time).
 *
 * "1.5" (seconds), or a number with a unit: "1500ms", "250us", "2s", "1m";
 * also "ns" and "h".  A leading '-' or '+' is accepted where allow_neg is
 * set (an offset may be negative).  Exact: the value is kept as a struct ts
 * (seconds and nanoseconds), never rounded through a double.  At most the
 * span of the range of times (TS_SEC_MAX s and 999999999 ns, from 1970 to
 * the end of 9999) either way.
 */
#ifndef SKEW_DUR_H
#define SKEW_DUR_H

#include <stddef.h>

#include "base/diag.h"
#include "base/ts.h"

/* Parse the whole NUL-terminated s.  Returns 0, or -1 with *d saying why
 * (e.g. "unknown unit \"xs\" in \"10xs\": expected ns, us, ms, s, m or h"). */
int	dur_parse(const char *s, int allow_neg, struct ts *out, struct diag *d);

/*
 * A comma-separated list of durations (--service-time 10,10,30).  Fills at
 * most max values into out and sets *n to how many the list has.  Returns
 * -1 with *d filled on a malformed element or when there are more than max.
 */
int	dur_parse_list(const char *s, struct ts *out, size_t max, size_t *n,
	    struct diag *d);

/*
 * A duration as a log wrote it (a dur group), s[0..n), exact, keeping the
 * digits the log had (scaled: "31.5" ms is 0.0315 s, four digits):
 * - digits with an optional fraction, in the unit 10^-shift s (shift 0
 *   for s, 3 ms, 6 us, 9 ns: --dur-unit);
 * - or with its own unit, read as written whatever --dur-unit says: ns,
 *   us, µs, ms, s, m, h, as Go writes them ("1.5ms", "250us", "2s"), also
 *   in a row ("1m2.5s", "1h2m").
 * Returns 0, or -1 with *why (a constant string).  Allocates nothing.
 */
int	dur_log(const char *s, size_t n, int shift, struct ts *out,
	    const char **why);

#endif
