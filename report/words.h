/*
 * words: how the report writes numbers and text: significant digits in the C
 * locale, durations with a unit people read (s, ms, µs), "nice" axis ticks,
 * and escaping for XML (SVG/HTML), Markdown and the terminal.
 *
 * Every function writes into a caller's buffer or struct jsonout; nothing is
 * allocated and nothing is kept.  A NaN stands for JSON null throughout the
 * report and is written "-", never "nan".
 */
#ifndef SKEW_WORDS_H
#define SKEW_WORDS_H

#include <math.h>
#include <stddef.h>

#include "base/jsonout.h"

#define WORDS_LEN	48	/* enough for any words_* result */

/* A number of the analysis for the formatters: v, or NaN (written "-")
 * when its has_* flag says the document's null. */
static inline double
words_opt(int has, double v)
{
	return has ? v : NAN;
}

/* v with sig significant digits, fixed notation for 1e-6 <= |v| < 1e15
 * ("0.0517", "194", "-27.3"), %g beyond; "-" for NaN.  Returns buf. */
char	*words_sig(char *buf, size_t sz, double v, int sig);

/* A count: whole numbers without decimals ("17034"), anything else as
 * words_sig(v, 3); "-" for NaN. */
char	*words_count(char *buf, size_t sz, double v);

/* v with dec decimals ("%.*f"), "-0" written "0"; "-" for NaN. */
char	*words_fix(char *buf, size_t sz, double v, int dec);

/* Seconds as a duration with three significant digits and a unit chosen
 * by size: "10.3 s", "51.7 ms", "250 µs", "0 s"; "-" for NaN. */
char	*words_dur(char *buf, size_t sz, double s);

/* The unit for an axis whose largest absolute value is max seconds: sets
 * *mult (1, 1e3 or 1e6) and returns "s", "ms" or "µs". */
const char *words_unit(double max, double *mult);

/*
 * Axis ticks: a step of 1, 2 or 5 times a power of ten giving about target
 * intervals over [lo, hi] (Heckbert's "nice numbers"), the axis widened to
 * whole steps.  An empty or non-finite range is widened first, so the
 * result always has at least two ticks.  dec is the number of decimals
 * that shows every tick exactly.
 */
struct words_ticks {
	double	lo, hi, step;
	int	n;		/* ticks: lo, lo + step, ..., hi */
	int	dec;
};
void	 words_ticks(double lo, double hi, int target, struct words_ticks *t);

/* The k-th tick's label (k < t->n), with t->dec decimals. */
char	*words_tick(char *buf, size_t sz, const struct words_ticks *t, int k);

/* s escaped for XML text and attribute values: & < > " ' as entities,
 * control characters other than tab and newline and bytes that are not
 * UTF-8 as U+FFFD (XML 1.0 forbids them). */
void	 words_xml(struct jsonout *w, const char *s);

/* s for a Markdown table cell or list item: the punctuation that starts
 * emphasis, code, links, strike-through or a cell (\ ` * _ [ ] | ~) is
 * backslash-escaped, "<" and "&" as entities (no HTML gets through),
 * newlines as spaces. */
void	 words_md(struct jsonout *w, const char *s);

/* s for a terminal: control characters (escape sequences included) as
 * "?", so a document cannot drive the terminal. */
void	 words_text(struct jsonout *w, const char *s);

/* Display width of UTF-8 s: code points, not bytes ("µs" is two). */
size_t	 words_width(const char *s);

/* printf into w (C locale); output longer than 1 KiB is cut. */
void	 words_printf(struct jsonout *w, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
