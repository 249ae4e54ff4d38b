/*
 * skew-align: events -> requests, grouped in runs.
 *
 * Reads skew-parse's event NDJSON from the files named (or standard input),
 * aligns them with analyze/align.c and writes request NDJSON
 * (analyze/request.c).  Any fault in the input stops it with exit 2 and no
 * output: a partial set of events would give wrong runs, which is worse than
 * none.
 */
#include <stdio.h>
#include <unistd.h>

#include "align.h"
#include "cli.h"
#include "base/jsonout.h"
#include "opt.h"
#include "request.h"

static int
add_line(void *ctx, const char *line, size_t n, struct diag *d)
{
	return align_add_line(ctx, line, n, d);
}

/* Read every input into a, then write the requests: the exit status. */
static int
align_into(struct align *a, const struct opts *o, int argc, char *argv[])
{
	struct align_stats st;
	struct reqset rs;
	struct diag d;
	struct jsonout w;
	uint64_t blank = 0;
	int rc;

	if ((rc = cli_ndjson_all(argc, argv, add_line, a, &blank)) != EXIT_OK)
		return rc;
	diag_clear(&d);
	if (align_finish(a, &rs, &d) == -1)
		return cli_fail(&d);
	/* An input whose trailer never came: said; with --strict, an
	 * error and nothing written. */
	if (cli_incomplete(&rs, o->strict) == -1) {
		reqset_free(&rs);
		return EXIT_INVALID;
	}
	jsonout_init(&w, stdout);
	/* As skew-parse does: the records are formatted here while the
	 * writer thread writes the ones before (or here, when no thread). */
	(void)jsonout_async(&w);
	if (request_write_all(&rs, &w) == -1)
		rc = cli_write_error(w.err);
	jsonout_free(&w);
	align_stats(a, &st);
	cli_align_summary(&rs, &st, o->aln.offset_mode, blank);
	reqset_free(&rs);
	return rc;
}

static int
align_all(const struct opts *o, int argc, char *argv[])
{
	struct align *a;
	struct diag d;
	int rc;

	diag_clear(&d);
	if ((a = align_new(&o->aln, &d)) == NULL)
		return cli_fail(&d);
	rc = align_into(a, o, argc, argv);
	align_free(a);
	return rc;
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew_align, argc, argv, align_all);
}
