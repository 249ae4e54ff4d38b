/*
 * fmt: log formats.  A format finds, in one line, the timestamp and the
 * optional identities (pid, tid, id), kind and duration, as spans of the
 * line; it interprets nothing (timestamps are ts_parse()'s business).
 *
 * A format is a preset by name or a custom PCRE2 pattern with named groups
 * ts (required), pid, tid, id, kind and dur.  Every preset has a PCRE2
 * pattern; the commonest (pid-tid-ts, ts, iso) are also matched by a
 * hand-written scanner that accepts exactly the same lines, because
 * they are the hot path.
 *
 * A struct fmt is owned by its creator and freed with fmt_free().  It keeps
 * one PCRE2 match data that every fmt_match() reuses, so a format is not to
 * be shared between threads.  Captured spans point into the caller's line.
 */
#ifndef SKEW_FMT_H
#define SKEW_FMT_H

#include <stddef.h>

#include "base/diag.h"
#include "trailer.h"
#include "base/ts.h"

struct fmt_cap {
	struct rec_str	ts, pid, tid, id, kind, dur;
	int		plain;	/* pid, tid and id are digits or absent */
};

/* What --list-formats prints about a preset. */
struct fmt_info {
	const char	*name;
	const char	*pattern;	/* the PCRE2 pattern */
	enum ts_form	 form;		/* how its ts group is read */
	enum rec_kind	 kind;		/* which end its time marks */
	const char	*marks;		/* that, in words */
	int		 scanner;	/* also has a hand-written scanner */
};

/* The presets, in the order --list-formats prints them; NULL past the end. */
const struct fmt_info *fmt_preset_info(size_t i);

/* fmt_preset() flag: use the PCRE2 pattern even where a scanner exists
 * (tests compare the two). */
#define FMT_PCRE	0x01

/*
 * A preset by name.  Returns NULL and fills *d (DIAG_USAGE) when no preset
 * has that name.  Free with fmt_free().
 */
struct fmt	*fmt_preset(const char *name, int flags, struct diag *d);

/*
 * Compile a custom pattern once.  The caller frees the result with
 * fmt_free(); on failure returns NULL and fills *d (DIAG_PATTERN): the PCRE2
 * message with the offset, a missing ts group, or an unknown group name.
 * The pattern text is copied.  Its timestamps are read as TS_AUTO and its
 * default kind is REC_END.
 */
struct fmt	*fmt_compile(const char *pattern, struct diag *d);

void		 fmt_free(struct fmt *f);

/* fmt_match()'s answer for a line PCRE2 gave up on. */
#define FMT_LIMIT	2

/*
 * Match one line s[0..n).  Returns 1 and fills *c (absent groups have
 * s == NULL), 0 when the line does not match, FMT_LIMIT with *d filled
 * (DIAG_NOMATCH, d->col 0: "the pattern could not be matched within
 * PCRE2's limits: match limit exceeded") when the line ran into one of
 * PCRE2's limits (backtracking, depth, heap, JIT stack), or -1 with *d
 * filled (DIAG_PATTERN) when PCRE2 fails otherwise.  Allocates nothing.
 */
int		 fmt_match(struct fmt *f, const char *s, size_t n,
		    struct fmt_cap *c, struct diag *d);

/*
 * Why s[0..n) does not match, in *d (DIAG_NOMATCH, d->col set), in the
 * form 'expected a timestamp, got "PID 12"'.  Call only after fmt_match()
 * returned 0; slower than matching, so only for lines that are reported.
 */
void		 fmt_why(const struct fmt *f, const char *s, size_t n,
		    struct diag *d);

const char	*fmt_name(const struct fmt *f);	/* preset name or "custom" */
enum ts_form	 fmt_form(const struct fmt *f);
enum rec_kind	 fmt_kind(const struct fmt *f);	/* the default kind */
int		 fmt_jit(const struct fmt *f);	/* PCRE2 JIT in use */
int		 fmt_scanner(const struct fmt *f);	/* a scanner in use */

#endif
