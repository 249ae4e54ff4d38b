/*
 * fuzz/opts.c: option values as the programs parse them.
 *
 * Two halves, one compiled: cmd/opt.h (every program's options said once,
 * as on main since the codecs merge) is used when it exists; otherwise
 * the cli_* value parsers of cmd/cli.c that the programs called before.
 * Delete the second half (#else to #endif) once this branch is merged.
 *
 * With cmd/opt.h: the first byte picks the program (opt_progs[], modulo
 * their number), the rest is its argv after the name, one argument a
 * line (at most NARGS; an argument ends at a NUL too).  opt_parse() must
 * go on (-1) with every value in range: durations normalised and
 * non-negative where no sign is allowed, list values from 1 to 1e9,
 * --fail-on a verdict or none, --year 1970-9999 or none, the provenance
 * "--name[=value]" strings; or stop with an exit status 0-2.  Nothing is
 * read but argv: --tz is only stored here (its names have fuzz/tz.c).
 *
 * Without it, the first byte picks the option (modulo NOPTS), the rest
 * is its value (a C string: cut at the first NUL, at most 300 bytes):
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
#if __has_include("opt.h")

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc.h"
#include "fuzz.h"
#include "opt.h"
#include "stats.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NARGS	24

static void
longs_ok(const long *v, size_t n)
{
	if (n > 0 && v == NULL)
		abort();
	for (size_t k = 0; k < n; k++)
		if (v[k] < 1 || v[k] > 1000000000L)
			abort();
}

/*
 * FOUND by this target on main b1a09eb (fuzz/regress/
 * opts-long-list-use-after-free): cmd/opt.c long_list() frees its copy of
 * the list and then prints the bad element from it: `skew-fit -c x` reads
 * freed memory (ASan heap-use-after-free).  Guarded (off with
 * SKEW_FUZZ_UNGUARDED=1) until fixed: for skew-fit and skew, argv with
 * anything that may be -c/-r (--concurrency, --run) is not parsed.
 */
static int
list_hazard(const struct opt_prog *p, int argc, char *argv[])
{
	if (!fz_guarded() || (p != &opt_skew_fit && p != &opt_skew))
		return 0;
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];

		if (a[0] == '-' && a[1] == '-' && (a[2] == 'c' || a[2] == 'r'))
			return 1;
		if (a[0] == '-' && a[1] != '-' && (strchr(a, 'c') != NULL ||
		    strchr(a, 'r') != NULL))
			return 1;
	}
	return 0;
}

/* What opt_parse() left in *o when the program is to go on. */
static void
check(const struct opts *o, int argc)
{
	struct fit_opt fo;

	if (optind < 1 || optind > argc)
		abort();
	if (o->nservice > 0 && o->service == NULL)
		abort();
	for (size_t k = 0; k < o->nservice; k++)
		fz_dur_ok(&o->service[k], 0);
	longs_ok(o->conc, o->nconc);
	longs_ok(o->runs, o->nruns);
	if (o->aln.gap_given)
		fz_dur_ok(&o->aln.gap, 0);
	if (o->aln.offset_mode == ALN_OFFSET_GIVEN)
		fz_dur_ok(&o->aln.offset, 1);
	else if (o->aln.offset_mode != ALN_OFFSET_NONE &&
	    o->aln.offset_mode != ALN_OFFSET_AUTO)
		abort();
	if (o->fail_on != -1 && o->fail_on != VERDICT_PARTIAL &&
	    o->fail_on != VERDICT_SERIALIZED)
		abort();
	if (o->logs.year != 0 && (o->logs.year < 1970 || o->logs.year > 9999))
		abort();
	if (o->nprov > (size_t)argc || o->narr > (size_t)argc)
		abort();
	for (size_t k = 0; k < o->nprov; k++)
		if (o->prov[k] == NULL || strncmp(o->prov[k], "--", 2) != 0)
			abort();
	opt_fit(o, &fo);
	if (fo.nservice != o->nservice || fo.nconcurrency != o->nconc ||
	    fo.nruns != o->nruns)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t nprogs;
	const struct opt_prog *p;
	char buf[4096 + 1], *argv[NARGS + 2];
	struct opts o;
	size_t n;
	int argc = 1, rc;

	if (nprogs == 0)
		while (opt_progs[nprogs] != NULL)
			nprogs++;
	if (size == 0)
		return 0;
	p = opt_progs[data[0] % nprogs];
	n = size - 1 < sizeof(buf) - 1 ? size - 1 : sizeof(buf) - 1;
	memcpy(buf, data + 1, n);
	buf[n] = '\0';
	argv[0] = (char *)p->name;
	for (char *s = buf, *t; s != NULL && argc <= NARGS; s = t) {
		if ((t = strchr(s, '\n')) != NULL)
			*t++ = '\0';
		if (*s != '\0' || t != NULL)
			argv[argc++] = s;
	}
	argv[argc] = NULL;
	if (list_hazard(p, argc, argv))
		return 0;
	/* getopt anew for every input; its messages and -h, --version and
	 * --list-formats go to /dev/null. */
	optind = 0;
	fz_quiet(1);
	rc = opt_parse(p, argc, argv, &o);
	fz_quiet(0);
	if (rc == -1)
		check(&o, argc);
	else if (rc < 0 || rc > 2)
		abort();
	opts_free(&o);
	return 0;
}

#else	/* the cli_* value parsers: delete once merged with cmd/opt.h */

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
			fz_dur_ok(&t, which);
		else if (d.msg[0] == '\0')
			abort();
		return;
	}
	if (cli_dur_list("--service-time", v, &list, &n) == EXIT_OK) {
		if (n != commas(v))
			abort();
		for (size_t k = 0; k < n; k++)
			fz_dur_ok(&list[k], 0);
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

#endif
