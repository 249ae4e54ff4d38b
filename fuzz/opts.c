/*
 * fuzz/opts.c: option values as the programs parse them.  The first byte
 * picks the option (modulo NOPTS), the rest is its value (a C string: cut
 * at the first NUL, at most 300 bytes):
 *
 *   0 --gap          dur_parse(), no sign         (skew-align, skew)
 *   1 --offset       "auto" or dur_parse(), signed (skew-align, skew)
 *   2 --service-time cli_dur_list()               (skew-fit, skew)
 *   3 --concurrency, --run  cli_long_list()       (skew-fit, skew)
 *   4 --fail-on      verdict_parse()              (skew-fit, skew)
 *   5 --year, skew-report's --run  cli_long()     (1970-9999, 1-1e9)
 *   6 --kind, --dur-unit  cli_kind(), cli_dur_unit()
 *   7 --color        cli_color()
 *   8 -f FORMAT      fmt_preset(), then prs_new() with it
 *   9 the provenance text of an option, cli_opt_text()
 *
 * --tz names have a target of their own (fuzz/tz.c), since a name is a
 * path to read.  What must hold: a value is taken, with a result in range
 * that says what the text says, or refused with a reason; lists hold as
 * many values as the text has commas plus one.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dur.h"
#include "fmt.h"
#include "fuzz.h"
#include "prs.h"
#include "stats.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOPTS	10

static size_t
commas(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++)
		n += *s == ',';
	return n;
}

/* A duration as dur_parse() promises it: normalised, no sign unless
 * allowed. */
static void
dur_ok(const struct ts *t, int neg)
{
	if (t->nsec < 0 || t->nsec > 999999999 || t->digits > 9 ||
	    (!neg && t->sec < 0))
		abort();
}

static void
durations(const char *v, int which)
{
	struct ts t, *list = NULL;
	struct diag d;
	size_t n = 0;

	diag_clear(&d);
	if (which == 1 && strcmp(v, "auto") == 0)
		return;
	if (which < 2) {
		if (dur_parse(v, which, &t, &d) == 0)
			dur_ok(&t, which);
		else if (d.msg[0] == '\0')
			abort();
		return;
	}
	if (cli_dur_list("--service-time", v, &list, &n) == EXIT_OK) {
		if (n != commas(v))
			abort();
		for (size_t k = 0; k < n; k++)
			dur_ok(&list[k], 0);
	}
	free(list);
}

static void
numbers(const char *v, int which)
{
	const char *why = NULL;
	long *list = NULL, x;
	size_t n = 0;

	if (which == 3) {
		if (cli_long_list("--run", v, &list, &n) == EXIT_OK) {
			if (n != commas(v))
				abort();
			for (size_t k = 0; k < n; k++)
				if (list[k] < 1 || list[k] > 1000000000L)
					abort();
		}
		free(list);
		return;
	}
	if (cli_long(v, 1970, 9999, &x, &why) == 0 ? x < 1970 || x > 9999 :
	    why == NULL)
		abort();
	why = NULL;
	if (cli_long(v, 1, 1000000000L, &x, &why) == 0 ? x < 1 ||
	    x > 1000000000L : why == NULL)
		abort();
}

static void
words(const char *v, int which)
{
	struct prs_opt o;
	int k;

	memset(&o, 0, sizeof(o));
	switch (which) {
	case 4:
		/* Only the exact word of a verdict names it. */
		if ((k = verdict_parse(v)) >= 0 && (k > VERDICT_SERIALIZED ||
		    verdict_name((enum verdict)k) == NULL ||
		    strcmp(verdict_name((enum verdict)k), v) != 0))
			abort();
		break;
	case 6:
		if (cli_kind(v, &o) == 0 && (!o.kind_given ||
		    (o.kind != REC_START && o.kind != REC_END)))
			abort();
		if (cli_dur_unit(v, &o) == 0 && o.dur_unit != PRS_DUR_S &&
		    o.dur_unit != PRS_DUR_MS && o.dur_unit != PRS_DUR_US)
			abort();
		break;
	case 7:
		k = cli_color(v, stderr);
		if (k < -1 || k > 1 || (k == -1 && (strcmp(v, "auto") == 0 ||
		    strcmp(v, "always") == 0 || strcmp(v, "never") == 0)))
			abort();
		break;
	}
}

static void
format(const char *v)
{
	struct prs_opt o;
	struct diag d;
	struct fmt *f;
	struct prs *p;

	diag_clear(&d);
	if ((f = fmt_preset(v, 0, &d)) == NULL) {
		if (d.code != DIAG_USAGE || d.msg[0] == '\0')
			abort();
	} else if (strcmp(fmt_name(f), v) != 0)
		abort();
	fmt_free(f);
	memset(&o, 0, sizeof(o));
	o.format = v;
	o.year = 2023;
	diag_clear(&d);
	if ((p = prs_new(&o, &d)) == NULL && d.msg[0] == '\0')
		abort();
	prs_free(p);
}

static void
provenance(const char *v)
{
	static const struct option lo[] = {
		{ "service-time", required_argument, NULL, 's' },
		{ "no-series", no_argument, NULL, 256 },
		{ NULL, 0, NULL, 0 }
	};
	char *t = cli_opt_text(lo, 's', v), want[400];

	snprintf(want, sizeof(want), "--service-time=%s", v);
	if (t == NULL || strcmp(t, want) != 0)
		abort();
	free(t);
	if ((t = cli_opt_text(lo, 256, NULL)) == NULL ||
	    strcmp(t, "--no-series") != 0)
		abort();
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char v[301];
	size_t n;
	int which;

	if (size == 0)
		return 0;
	which = data[0] % NOPTS;
	n = size - 1 < sizeof(v) - 1 ? size - 1 : sizeof(v) - 1;
	memcpy(v, data + 1, n);
	v[n] = '\0';
	/* The cli_* functions say what was wrong on stderr. */
	fz_quiet(1);
	switch (which) {
	case 0:
	case 1:
	case 2:
		durations(v, which);
		break;
	case 3:
	case 5:
		numbers(v, which);
		break;
	case 4:
	case 6:
	case 7:
		words(v, which);
		break;
	case 8:
		format(v);
		break;
	default:
		provenance(v);
	}
	fz_quiet(0);
	return 0;
}
