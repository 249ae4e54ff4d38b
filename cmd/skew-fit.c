/*
 * skew-fit: request records (skew-align's NDJSON) -> one JSON document of
 * statistics per run and across runs.  See man/skew-fit.1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "analysis.h"
#include "cli.h"
#include "dur.h"
#include "fitdoc.h"
#include "reqread.h"
#include "stats.h"

static const char usage_text[] =
    "usage: skew-fit [-pq] [-s DURATION[,...]] [-c N[,...]] [-r N[,...]]\n"
    "                [--no-series] [--fail-on VERDICT] "
    "[FILE ...]\n"
    "  -s, --service-time LIST  service time T: one for every run, or one "
    "per run\n"
    "  -c, --concurrency LIST   true requests per run (logs that hold a "
    "sample)\n"
    "  -r, --run LIST           keep only these runs\n"
    "      --no-series          leave each run's plot series out\n"
    "      --fail-on VERDICT    exit 1 when a run is VERDICT or worse:\n"
    "                           partial or serialized\n"
    "  -p, --pretty             indent the document\n"
    "  -q, --quiet              errors only\n"
    "  -h, --help               this text\n"
    "      --version            the version\n";

enum {
	OPT_NO_SERIES = 256,
	OPT_FAIL_ON,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "service-time",	required_argument,	NULL,	's' },
	{ "concurrency",	required_argument,	NULL,	'c' },
	{ "run",		required_argument,	NULL,	'r' },
	{ "no-series",		no_argument,		NULL,	OPT_NO_SERIES },
	{ "fail-on",		required_argument,	NULL,	OPT_FAIL_ON },
	{ "pretty",		no_argument,		NULL,	'p' },
	{ "quiet",		no_argument,		NULL,	'q' },
	{ "help",		no_argument,		NULL,	'h' },
	{ "version",		no_argument,		NULL,	OPT_VERSION },
	{ NULL,			0,			NULL,	0 }
};

static int
add_line(void *ctx, const char *line, size_t n, struct diag *d)
{
	return reqread_line(ctx, line, n, d);
}

int
main(int argc, char *argv[])
{
	struct fit_opt fo = { 0 };
	struct reqset rs;
	struct ts *service = NULL;
	long *conc = NULL, *runs = NULL;
	char **opts = NULL;
	size_t nopts = 0, nservice = 0, nconc = 0, nruns = 0;
	uint64_t blank = 0;
	int ch, pretty = 0, fail_on = -1, status = EXIT_INVALID, worst;
	struct diag d;
	struct analysis a = { 0 };
	cJSON *doc = NULL;
	char *text = NULL;

	gsl_set_error_handler_off();
	cli_init(argv);
	memset(&rs, 0, sizeof(rs));
	diag_clear(&d);
	/* Each option is kept as "--name=value" for the provenance. */
	if ((opts = calloc((size_t)argc + 1, sizeof(*opts))) == NULL) {
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	while ((ch = getopt_long(argc, argv, "s:c:r:pqh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			free(service);
			if (cli_dur_list("--service-time", optarg, &service,
			    &nservice) != EXIT_OK)
				goto out;
			break;
		case 'c':
			free(conc);
			if (cli_long_list("--concurrency", optarg, &conc,
			    &nconc) != EXIT_OK)
				goto out;
			break;
		case 'r':
			free(runs);
			if (cli_long_list("--run", optarg, &runs, &nruns) !=
			    EXIT_OK)
				goto out;
			break;
		case OPT_NO_SERIES:
			fo.no_series = 1;
			break;
		case OPT_FAIL_ON:
			fail_on = verdict_parse(optarg);
			if (fail_on != VERDICT_PARTIAL &&
			    fail_on != VERDICT_SERIALIZED) {
				cli_usage_error("--fail-on is \"%s\": expected "
				    "partial or serialized", optarg);
				goto out;
			}
			break;
		case 'p':
			pretty = 1;
			break;
		case 'q':
			cli_quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = EXIT_OK;
			goto out;
		case OPT_VERSION:
			cli_version();
			status = EXIT_OK;
			goto out;
		default:
			/* getopt has said what was wrong. */
			cli_try_help();
			goto out;
		}
		/* Provenance: every option, as given. */
		if ((opts[nopts++] = cli_opt_text(longopts, ch, optarg)) ==
		    NULL) {
			cli_error("out of memory");
			goto out;
		}
	}
	argc -= optind;
	argv += optind;

	diag_clear(&d);
	if (reqread_init(&rs, &d) == -1) {
		cli_diag(&d);
		goto out;
	}
	if (argc == 0 && cli_ndjson("-", add_line, &rs, &blank) != EXIT_OK)
		goto out;
	for (int i = 0; i < argc; i++)
		if (cli_ndjson(argv[i], add_line, &rs, &blank) != EXIT_OK)
			goto out;
	if (blank > 0)
		cli_warn("%llu blank line%s skipped",
		    (unsigned long long)blank, blank == 1 ? "" : "s");
	diag_clear(&d);
	if (reqread_finish(&rs, &d) == -1) {
		cli_diag(&d);
		goto out;
	}

	fo.service = service;
	fo.nservice = nservice;
	fo.concurrency = conc;
	fo.nconcurrency = nconc;
	fo.runs = runs;
	fo.nruns = nruns;
	fo.argv_options = (const char *const *)opts;
	fo.noptions = nopts;
	diag_clear(&d);
	if (analysis_build(&rs, &fo, &a, &d) == -1) {
		if (d.code == DIAG_USAGE)
			cli_usage_error("%s", d.msg);
		else
			cli_diag(&d);
		goto out;
	}
	if (fitdoc_write(&a, &doc, &d) == -1 || (text = pretty ?
	    cJSON_Print(doc) : cJSON_PrintUnformatted(doc)) == NULL) {
		cli_error("out of memory");
		goto out;
	}
	if (puts(text) == EOF || fflush(stdout) == EOF) {
		cli_error("standard output: %s", strerror(errno));
		goto out;
	}
	status = EXIT_OK;
	worst = analysis_worst_verdict(&a);
	if (fail_on >= 0 && worst >= fail_on) {
		cli_warn("a run's verdict is %s (--fail-on %s)",
		    verdict_name((enum verdict)worst),
		    verdict_name((enum verdict)fail_on));
		status = EXIT_CHECK;
	}
out:
	cJSON_free(text);
	cJSON_Delete(doc);
	analysis_free(&a);
	reqset_free(&rs);
	for (size_t i = 0; i < nopts; i++)
		free(opts[i]);
	free(opts);
	free(service);
	free(conc);
	free(runs);
	return status;
}
