/*
 * fuzz/opts.c: option values as the programs parse them.
 *
 * The first byte picks the program (opt_progs[], modulo their number),
 * the rest is its argv after the name, one argument a line (at most NARGS; an argument ends at a NUL too).  opt_parse() must
 * go on (-1) with every value in range: durations normalised and
 * non-negative where no sign is allowed, list values from 1 to 1e9,
 * --fail-on a verdict or none, --year 1970-9999 or none, the provenance
 * "--name[=value]" strings; or stop with an exit status 0-2.  Nothing is
 * read but argv: --tz is only stored here (its names have a target of
 * their own, fuzz/tz.c, since a name is a path to read).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
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

/* What opt_parse() left in *o when the program is to go on. */
static void
check(const struct opts *o, int argc)
{
	struct analysis_opt fo;

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
	if (o->aln.offset_mode == ALIGN_OFFSET_GIVEN)
		fz_dur_ok(&o->aln.offset, 1);
	else if (o->aln.offset_mode != ALIGN_OFFSET_NONE &&
	    o->aln.offset_mode != ALIGN_OFFSET_AUTO)
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
