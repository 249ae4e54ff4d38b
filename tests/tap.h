/*
 * tap.h: a minimal Test Anything Protocol producer for the unit tests,
 * in the manner of libtap: plan(), ok(), is_int(), is_str(), is_double(),
 * done_testing().  Each failure prints file:line, what was got and what was
 * expected as TAP diagnostics ("# ...") so that prove shows them.
 *
 * Header-only: each test program is one translation unit that includes it.
 */
#ifndef SKEW_TAP_H
#define SKEW_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static inline int
tap_result(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass)
		printf("#   Failed test at %s:%d\n", file, line);
	fflush(stdout);
	return pass;
}

static inline int
ok_at(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	return r;
}

static inline int
is_int_at(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_result(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return r;
}

static inline int
is_str_at(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass, r;

	pass = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	r = tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: \"%s\"\n#     expected: \"%s\"\n",
		    got ? got : "(null)", want ? want : "(null)");
	return r;
}

/* Exact when tol is 0; a tolerance must be justified where it is used. */
static inline int
is_double_at(double got, double want, double tol, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass, r;

	if (tol == 0)
		pass = got == want;
	else
		pass = fabs(got - want) <= tol;
	va_start(ap, fmt);
	r = tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: %.17g\n#     expected: %.17g (tolerance %g)\n",
		    got, want, tol);
	return r;
}

#define ok(pass, ...)		ok_at(!!(pass), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(g, w, ...)	is_int_at((g), (w), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(g, w, ...)	is_str_at((g), (w), __FILE__, __LINE__, __VA_ARGS__)
#define is_double(g, w, tol, ...) \
	is_double_at((g), (w), (tol), __FILE__, __LINE__, __VA_ARGS__)

/* xorshift64*: a test's random inputs, the same on every run from the
 * same seed (*state, never 0). */
static inline uint64_t
tap_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/* Print the plan when none was given and return the exit status. */
static inline int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run) {
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
		return 255;
	}
	if (tap_failed)
		printf("# failed %d of %d tests\n", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}

#endif
