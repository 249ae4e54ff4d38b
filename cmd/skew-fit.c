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

#include "cli.h"
#include "doc.h"
#include "dur.h"
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
    "      --fail-on VERDICT    exit 1 when a run is VERDICT or worse\n"
    "                           (unknown < parallel < partial < "
    "serialized)\n"
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

static size_t
list_len(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++)
		if (*s == ',')
			n++;
	return n;
}

/* A comma-separated list of whole numbers from 1, strictly parsed. */
static int
long_list(const char *opt, const char *arg, long **out, size_t *n)
{
	size_t max = list_len(arg), k = 0;
	char *copy, *p, *tok;
	const char *why;

	if ((*out = calloc(max, sizeof(**out))) == NULL ||
	    (copy = strdup(arg)) == NULL) {
		cli_error("out of memory");
		return -1;
	}
	for (p = copy; (tok = strsep(&p, ",")) != NULL; k++) {
		if (cli_long(tok, 1, 1000000000L, &(*out)[k], &why) == -1) {
			cli_usage_error("%s is \"%s\": %s (a list of whole "
			    "numbers from 1)", opt, tok, why);
			free(copy);
			return -1;
		}
	}
	free(copy);
	*n = k;
	return 0;
}

static int
read_input(struct reqset *rs, const char *name, FILE *fp, uint64_t *blank)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	struct diag d;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		if (len == 0) {
			(*blank)++;
			continue;
		}
		diag_clear(&d);
		if (reqread_line(rs, line, (size_t)len, &d) == -1) {
			d.src = name;
			d.line = lineno;
			cli_diag(&d);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		cli_error("%s: %s", name, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct fit_opt fo = { 0 };
	struct reqset rs;
	struct ts *service = NULL;
	long *conc = NULL, *runs = NULL;
	const char **opts = NULL;
	size_t nopts = 0, nservice = 0, nconc = 0, nruns = 0;
	uint64_t blank = 0;
	int ch, pretty = 0, fail_on = -1, status = EXIT_INVALID, worst;
	struct diag d;
	cJSON *doc = NULL;
	char *text = NULL;

	gsl_set_error_handler_off();
	cli_init(argv[0]);
	/* getopt names the program by argv[0] in its own messages: make it
	 * the name every other message uses. */
	argv[0] = (char *)cli_prog;
	memset(&rs, 0, sizeof(rs));
	/* diag_clear() keeps src and line: start them empty. */
	memset(&d, 0, sizeof(d));
	/* Each option is kept as "--name=value" for the provenance. */
	if ((opts = calloc((size_t)argc + 1, sizeof(*opts))) == NULL) {
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	while ((ch = getopt_long(argc, argv, "s:c:r:pqh", longopts, NULL)) !=
	    -1) {
		char *o = NULL;

		switch (ch) {
		case 's':
			free(service);
			diag_clear(&d);
			nservice = list_len(optarg);
			if ((service = calloc(nservice, sizeof(*service))) ==
			    NULL) {
				cli_error("out of memory");
				goto out;
			}
			if (dur_parse_list(optarg, service, nservice,
			    &nservice, &d) == -1) {
				cli_usage_error("--service-time is \"%s\": %s",
				    optarg, d.msg);
				goto out;
			}
			break;
		case 'c':
			free(conc);
			conc = NULL;
			if (long_list("--concurrency", optarg, &conc, &nconc) ==
			    -1)
				goto out;
			break;
		case 'r':
			free(runs);
			runs = NULL;
			if (long_list("--run", optarg, &runs, &nruns) == -1)
				goto out;
			break;
		case OPT_NO_SERIES:
			fo.no_series = 1;
			break;
		case OPT_FAIL_ON:
			if ((fail_on = verdict_parse(optarg)) == -1) {
				cli_usage_error("--fail-on is \"%s\": expected "
				    "unknown, parallel, partial or serialized",
				    optarg);
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
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", cli_prog);
			goto out;
		}
		/* Provenance: every option, as given. */
		for (const struct option *lo = longopts; lo->name != NULL; lo++)
			if (lo->val == ch) {
				size_t sz = strlen(lo->name) + 4 +
				    (optarg ? strlen(optarg) : 0);

				if ((o = malloc(sz)) == NULL) {
					cli_error("out of memory");
					goto out;
				}
				snprintf(o, sz, "--%s%s%s", lo->name,
				    optarg ? "=" : "", optarg ? optarg : "");
				opts[nopts++] = o;
				break;
			}
	}
	argc -= optind;
	argv += optind;

	diag_clear(&d);
	if (reqread_init(&rs, &d) == -1) {
		cli_diag(&d);
		goto out;
	}
	if (argc == 0) {
		if (read_input(&rs, "-", stdin, &blank) == -1)
			goto out;
	}
	for (int i = 0; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") == 0 ? stdin :
		    fopen(argv[i], "r");
		int r;

		if (fp == NULL) {
			cli_error("%s: %s", argv[i], strerror(errno));
			goto out;
		}
		r = read_input(&rs, argv[i], fp, &blank);
		if (fp != stdin)
			fclose(fp);
		if (r == -1)
			goto out;
	}
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
	fo.argv_options = opts;
	fo.noptions = nopts;
	diag_clear(&d);
	if (fit_document(&rs, &fo, &doc, &d) == -1) {
		if (d.code == DIAG_USAGE)
			cli_usage_error("%s", d.msg);
		else
			cli_diag(&d);
		goto out;
	}
	if ((text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc)) ==
	    NULL) {
		cli_error("out of memory");
		goto out;
	}
	if (puts(text) == EOF || fflush(stdout) == EOF) {
		cli_error("standard output: %s", strerror(errno));
		goto out;
	}
	status = EXIT_OK;
	worst = fit_worst_verdict(doc);
	if (fail_on >= 0 && worst >= fail_on) {
		cli_warn("a run's verdict is %s (--fail-on %s)",
		    verdict_name((enum verdict)worst),
		    verdict_name((enum verdict)fail_on));
		status = EXIT_CHECK;
	}
out:
	cJSON_free(text);
	cJSON_Delete(doc);
	reqset_free(&rs);
	for (size_t i = 0; i < nopts; i++)
		free((void *)opts[i]);
	free(opts);
	free(service);
	free(conc);
	free(runs);
	return status;
}
