/*
 * jsonline: -f json, a log of one JSON object a line (bunyan, pino, zap,
 * caddy, logrus, Docker's json-file, Elastic's ECS, Rust's tracing).  It
 * finds, in one line, the fields a format's named groups would capture,
 * as a struct format_cap.
 *
 * The time is the value of the first present (not null) of the keys
 * timestamp, time, ts, @timestamp, t, date, unless --field ts=KEY names
 * another.  A string is read as a timestamp (ts_parse, TS_AUTO), unless it
 * is all digits with an optional fraction: then, as a number, it is an
 * epoch.  An epoch number with a fraction (or an exponent that leaves one)
 * is seconds; a whole one is read by its count of digits after leading
 * zeros: 9-11 seconds, 12-14 milliseconds, 15-17 microseconds, 18-20
 * nanoseconds; any other count is a skipped line (bad_timestamp).  The
 * other groups come from keys --field NAME=KEY names; pid also, by
 * default, from the key "pid" (bunyan and pino write one).  A KEY with a
 * dot, "a.b", is the flat key "a.b" when the object has it, else the key
 * b of the object at a (and so on for more dots).
 *
 * The line is read by cJSON for its structure; every number's text is
 * read back from the line (jsonin_find()), never through a double: a pid
 * of 20 digits stays as written, a dur of 0.1 is exactly 0.1 s.  Strings
 * are as decoded, NUL bytes included.
 *
 * A struct jsonline is owned by its creator (jsonline_new, jsonline_free)
 * and not to be shared between threads.  What jsonline_match() captures
 * points into the line or into the jsonline, valid until the next match.
 */
#ifndef SKEW_JSONLINE_H
#define SKEW_JSONLINE_H

#include <stddef.h>

#include "base/diag.h"
#include "format.h"

/* What --list-formats says -f json reads. */
#define JSONLINE_ABOUT	"one JSON object a line; ts from the first of " \
	"timestamp, time, ts, @timestamp, t, date; pid from pid; --field " \
	"NAME=KEY for others"

struct jsonline;

/*
 * From the --field maps, each "NAME=KEY" with NAME one of ts, pid, tid,
 * id, kind, dur, route, status and KEY not empty.  Returns NULL with *d
 * filled (DIAG_USAGE) for a map that is not that, or a NAME given twice.
 * The map texts are copied.
 */
struct jsonline	*jsonline_new(const char *const *maps, size_t n,
		    struct diag *d);
void		 jsonline_free(struct jsonline *j);

/*
 * Read line s[0..n).  Returns 1 with *c filled (c->has_t and c->t when
 * the time was an epoch number; else c->ts is the text to parse),
 * FORMAT_SKIP with c->skip and *d (DIAG_NOMATCH, d->col 0) saying why the
 * line is skipped (not_json, no_ts_key, bad_timestamp, bad_field), or -1
 * with *d filled (DIAG_NOMEM).
 */
int		 jsonline_match(struct jsonline *j, const char *s, size_t n,
		    struct format_cap *c, struct diag *d);

#endif
