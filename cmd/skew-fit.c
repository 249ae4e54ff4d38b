/*
 * skew-fit: request records (skew-align's NDJSON) -> one JSON document of
 * statistics per run and across runs.  See man/skew-fit.1.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "opt.h"
#include "reqset.h"
#include "stats.h"

static int
add_line(void *ctx, const char *line, size_t n, struct diag *d)
{
	return reqset_line(ctx, line, n, d);
}

/* Every input into rs, each checked for what is missing when it ends
 * (with strict, an incomplete input is exit 2): the exit status. */
static int
read_all(struct reqset *rs, int strict, int argc, char *argv[])
{
	struct diag d;
	uint64_t blank = 0;
	size_t incomplete = 0;
	int rc;

	diag_clear(&d);
	if (reqset_init(rs, &d) == -1)
		return cli_fail(&d);
	for (int i = 0; i < (argc == 0 ? 1 : argc); i++) {
		const char *path = argc == 0 ? "-" : argv[i];

		if ((rc = cli_ndjson(path, add_line, rs, &blank)) != EXIT_OK ||
		    (rc = cli_fit_input_end(rs, path, strict, &incomplete)) !=
		    EXIT_OK)
			return rc;
	}
	if (strict && incomplete > 0)
		return EXIT_INVALID;
	if (blank > 0)
		cli_warn("%llu blank line%s skipped",
		    (unsigned long long)blank, blank == 1 ? "" : "s");
	diag_clear(&d);
	if (reqset_finish(rs, &d) == -1)
		return cli_fail(&d);
	return EXIT_OK;
}

/* The fit document of rs on standard output, and the --fail-on check:
 * the exit status. */
static int
fit_print(struct reqset *rs, const struct opts *o)
{
	struct analysis_opt fo;
	struct analysis a;
	struct diag d;
	int rc;

	opt_fit(o, &fo);
	diag_clear(&d);
	if (analysis_build(rs, &fo, &a, &d) == -1)
		return cli_fail(&d);
	/* The analysis holds what it needs: the requests' room is the
	 * document's. */
	reqset_drop_requests(rs);
	if ((rc = cli_fit_print(&a, o->pretty)) == EXIT_OK)
		rc = cli_fail_on(o->fail_on, analysis_worst_verdict(&a));
	analysis_free(&a);
	return rc;
}

/* Read, fit, print: the exit status. */
static int
fit_all(const struct opts *o, int argc, char *argv[])
{
	struct reqset rs;
	int rc;

	memset(&rs, 0, sizeof(rs));
	if ((rc = read_all(&rs, o->strict, argc, argv)) == EXIT_OK)
		rc = fit_print(&rs, o);
	reqset_free(&rs);
	return rc;
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew_fit, argc, argv, fit_all);
}
