/*
 * skew: the whole pipeline in one process (parse, align, fit, report), from
 * the same libraries as skew-parse, skew-align, skew-fit and skew-report and
 * with their options, for the common case.  See man/skew.1.
 *
 * Every input is read before anything is written, so that every missing or
 * unreadable log is named; a fault in any of them is exit 2 and no report:
 * an analysis of some of the logs would be a different answer.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_errno.h>

#include "align.h"
#include "analysis.h"
#include "cli.h"
#include "dur.h"
#include "fitdoc.h"
#include "jw.h"
#include "prs.h"
#include "report.h"
#include "stats.h"

static const char usage_text[] =
"usage: skew [-q] [-f FORMAT | -e PATTERN] [-k start|end] [--tz ZONE]\n"
"            [--year YEAR] [--dur-unit s|ms|us] [--strict]\n"
"            [-a FILE ...] [--arrivals-from FORMAT | --arrivals-pattern PATTERN]\n"
"            [-g DURATION] [-o DURATION|auto]\n"
"            [-s DURATION[,...]] [-c N[,...]] [-r N[,...]] [--no-series]\n"
"            [--fail-on partial|serialized]\n"
"            [-t text|markdown|html|svg|json] [--plot rank|spread|inflight|usl]\n"
"            [--color=auto|always|never] [LOG ...]\n"
"       skew -h | --help | --version\n"
"\n"
"Read server logs (completions, by default) and optional arrival logs, split\n"
"them into runs, pair arrivals with completions, fit the statistics and print\n"
"the report: skew-parse | skew-align | skew-fit | skew-report in one process.\n"
"No LOG, or LOG \"-\": standard input.\n"
"\n"
"Reading (as skew-parse):\n"
"  -f, --from FORMAT        the logs' preset format (default pid-tid-ts)\n"
"  -e, --pattern PATTERN    a PCRE2 pattern with named groups instead\n"
"  -k, --kind start|end     which end of a request the logs' times mark\n"
"      --tz ZONE            zone of naive times (default UTC)\n"
"      --year YEAR          the year of syslog times\n"
"      --dur-unit UNIT      unit of a dur group: s (default), ms or us\n"
"      --strict             stop with status 2 at the first line skipped\n"
"  -a, --arrivals FILE      an arrival log (its times mark starts); repeatable\n"
"      --arrivals-from FORMAT  the arrival logs' preset format (default ts)\n"
"      --arrivals-pattern PATTERN  a PCRE2 pattern for the arrival logs\n"
"Runs and pairs (as skew-align):\n"
"  -g, --gap DURATION       split runs at idle gaps longer than DURATION\n"
"                           (default: read from the data)\n"
"  -o, --offset DURATION|auto  add DURATION to every arrival's time; auto:\n"
"                           the smallest offset that nests every pair\n"
"Statistics (as skew-fit):\n"
"  -s, --service-time LIST  service time T: one for every run, or one per run\n"
"  -c, --concurrency LIST   true requests per run (logs that hold a sample)\n"
"  -r, --run LIST           keep only these runs\n"
"      --no-series          leave the plot series out (-t json)\n"
"      --fail-on VERDICT    exit 1 when a run is VERDICT or worse:\n"
"                           partial or serialized\n"
"Output (as skew-report):\n"
"  -t, --to FORMAT          text (default), markdown, html, svg, or json (the\n"
"                           fit document itself)\n"
"      --plot PLOT          -t svg: rank, spread (default), inflight or usl\n"
"      --color WHEN         auto (default: a terminal and NO_COLOR unset),\n"
"                           always or never\n"
"  -q, --quiet              errors only\n"
"  -h, --help               this text\n"
"      --version            the version\n"
"\n"
"DURATION: seconds (1.5) or a number with a unit: ns, us, ms, s, m, h.\n"
"Exit status: 0 success; 1 --fail-on matched; 2 usage error or an input\n"
"missing, unreadable or invalid (2 wins over 1).\n";

enum {
	OPT_TZ = 256, OPT_YEAR, OPT_DUR_UNIT, OPT_STRICT, OPT_ARR_FROM,
	OPT_ARR_PATTERN, OPT_NO_SERIES, OPT_FAIL_ON, OPT_PLOT, OPT_COLOR,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "from",		required_argument,	NULL, 'f' },
	{ "pattern",		required_argument,	NULL, 'e' },
	{ "kind",		required_argument,	NULL, 'k' },
	{ "tz",			required_argument,	NULL, OPT_TZ },
	{ "year",		required_argument,	NULL, OPT_YEAR },
	{ "dur-unit",		required_argument,	NULL, OPT_DUR_UNIT },
	{ "strict",		no_argument,		NULL, OPT_STRICT },
	{ "arrivals",		required_argument,	NULL, 'a' },
	{ "arrivals-from",	required_argument,	NULL, OPT_ARR_FROM },
	{ "arrivals-pattern",	required_argument,	NULL, OPT_ARR_PATTERN },
	{ "gap",		required_argument,	NULL, 'g' },
	{ "offset",		required_argument,	NULL, 'o' },
	{ "service-time",	required_argument,	NULL, 's' },
	{ "concurrency",	required_argument,	NULL, 'c' },
	{ "run",		required_argument,	NULL, 'r' },
	{ "no-series",		no_argument,		NULL, OPT_NO_SERIES },
	{ "fail-on",		required_argument,	NULL, OPT_FAIL_ON },
	{ "to",			required_argument,	NULL, 't' },
	{ "plot",		required_argument,	NULL, OPT_PLOT },
	{ "color",		required_argument,	NULL, OPT_COLOR },
	{ "colour",		required_argument,	NULL, OPT_COLOR },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

struct opts {
	struct prs_opt	 logs, arrivals;
	const char	**arr;		/* --arrivals files */
	size_t		 narr;
	struct aln_opt	 aln;
	struct fit_opt	 fit;
	struct ts	*service;
	long		*conc, *runs;
	int		 fail_on;	/* enum verdict, or -1 */
	int		 json;		/* -t json: the fit document */
	struct report_opt rep;
	const char	*color;
	char		**prov;		/* every option, "--name=value" */
	size_t		 nprov;
};

static int
on_rec(void *ctx, const struct rec *r)
{
	struct diag d;

	diag_clear(&d);
	return aln_add_rec(ctx, r, &d);
}

/* Parse one log into the aligner.  Returns 0, or -1 having said why. */
static int
read_log(struct prs *p, struct aln *a, const char *path)
{
	struct rec_input in;
	struct diag d;
	int rc;

	diag_clear(&d);
	rc = prs_input(p, path, NULL, on_rec, a, &in, &d);
	if (in.sha256[0] != '\0')
		cli_parse_summary(&in, prs_first_reason(p));
	if (rc == -1)
		cli_diag(&d);
	else {
		diag_clear(&d);
		if ((rc = aln_add_input(a, &in, &d)) == -1)
			cli_diag(&d);
	}
	rec_input_free(&in);
	return rc;
}

static int
to_word(const char *w, struct opts *o)
{
	static const struct {
		const char	*word;
		enum report_to	 to;
	} tos[] = {
		{ "text", REPORT_TEXT }, { "markdown", REPORT_MARKDOWN },
		{ "html", REPORT_HTML }, { "svg", REPORT_SVG }
	};

	o->json = strcmp(w, "json") == 0;
	if (o->json)
		return 0;
	for (size_t i = 0; i < sizeof(tos) / sizeof(tos[0]); i++)
		if (strcmp(w, tos[i].word) == 0) {
			o->rep.to = tos[i].to;
			return 0;
		}
	return -1;
}

/* Options into *o; returns -1 to go on, or the exit status. */
static int
options(int argc, char *argv[], struct opts *o)
{
	struct diag d;
	const char *why;
	size_t n;
	long v;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:e:k:a:g:o:s:c:r:t:qh",
	    longopts, NULL)) != -1) {
		diag_clear(&d);
		switch (ch) {
		case 'f':
			o->logs.format = optarg;
			break;
		case 'e':
			o->logs.pattern = optarg;
			break;
		case 'k':
			if (cli_kind(optarg, &o->logs) == -1)
				return cli_usage_error("--kind is \"%s\": "
				    "expected start or end", optarg);
			break;
		case OPT_TZ:
			o->logs.tz = o->arrivals.tz = optarg;
			break;
		case OPT_YEAR:
			if (cli_long(optarg, 1970, 9999, &v, &why) == -1)
				return cli_usage_error("--year is %s: %s "
				    "(1970-9999)", optarg, why);
			o->logs.year = o->arrivals.year = (int)v;
			break;
		case OPT_DUR_UNIT:
			if (cli_dur_unit(optarg, &o->logs) == -1)
				return cli_usage_error("--dur-unit is \"%s\": "
				    "expected s, ms or us", optarg);
			o->arrivals.dur_unit = o->logs.dur_unit;
			break;
		case OPT_STRICT:
			o->logs.strict = o->arrivals.strict = 1;
			break;
		case 'a':
			o->arr[o->narr++] = optarg;
			break;
		case OPT_ARR_FROM:
			o->arrivals.format = optarg;
			break;
		case OPT_ARR_PATTERN:
			o->arrivals.pattern = optarg;
			o->arrivals.format = NULL;
			break;
		case 'g':
			if (dur_parse(optarg, 0, &o->aln.gap, &d) == -1)
				return cli_usage_error("--gap is %s: %s",
				    optarg, d.msg);
			o->aln.gap_given = 1;
			break;
		case 'o':
			if (strcmp(optarg, "auto") == 0) {
				o->aln.offset_mode = ALN_OFFSET_AUTO;
				break;
			}
			if (dur_parse(optarg, 1, &o->aln.offset, &d) == -1)
				return cli_usage_error("--offset is %s: %s "
				    "(or \"auto\")", optarg, d.msg);
			o->aln.offset_mode = ALN_OFFSET_GIVEN;
			break;
		case 's':
			free(o->service);
			if (cli_dur_list("--service-time", optarg, &o->service,
			    &n) != EXIT_OK)
				return EXIT_INVALID;
			o->fit.nservice = n;
			break;
		case 'c':
			free(o->conc);
			if (cli_long_list("--concurrency", optarg, &o->conc,
			    &n) != EXIT_OK)
				return EXIT_INVALID;
			o->fit.nconcurrency = n;
			break;
		case 'r':
			free(o->runs);
			if (cli_long_list("--run", optarg, &o->runs, &n) !=
			    EXIT_OK)
				return EXIT_INVALID;
			o->fit.nruns = n;
			break;
		case OPT_NO_SERIES:
			o->fit.no_series = 1;
			break;
		case OPT_FAIL_ON:
			o->fail_on = verdict_parse(optarg);
			if (o->fail_on != VERDICT_PARTIAL &&
			    o->fail_on != VERDICT_SERIALIZED)
				return cli_usage_error("--fail-on is \"%s\": "
				    "expected partial or serialized", optarg);
			break;
		case 't':
			if (to_word(optarg, o) == -1)
				return cli_usage_error("--to is \"%s\": expected "
				    "text, markdown, html, svg or json", optarg);
			break;
		case OPT_PLOT:
			o->rep.plot = optarg;
			break;
		case OPT_COLOR:
			if (cli_color(optarg, stdout) == -1)
				return cli_usage_error("--color is \"%s\": "
				    "expected auto, always or never", optarg);
			o->color = optarg;
			break;
		case 'q':
			cli_quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return fflush(stdout) == 0 ? EXIT_OK : EXIT_INVALID;
		case OPT_VERSION:
			cli_version();
			return EXIT_OK;
		default:
			return cli_try_help();
		}
		/* Provenance: every option that changes the answer, as given. */
		if (ch != 'q' && ch != 'h' && ch != OPT_COLOR &&
		    (o->prov[o->nprov++] = cli_opt_text(longopts, ch,
		    optarg)) == NULL) {
			cli_error("out of memory");
			return EXIT_INVALID;
		}
	}
	if (o->rep.plot != NULL && o->rep.to != REPORT_SVG && !o->json)
		o->rep.to = REPORT_SVG;
	return -1;
}

/*
 * Write the analysis as asked: the fit document (-t json), exactly as
 * skew-fit prints it, or the report rendered from the analysis itself,
 * which is what skew-report reads back from that document (fitdoc.h:
 * read(write(a)) == a), so that `skew -t html` and skew-fit | skew-report
 * draw the same numbers.  Returns the exit status.
 */
static int
render(const struct analysis *a, const struct opts *o)
{
	struct report_opt rep = o->rep;
	struct diag d;
	struct jw w;
	cJSON *doc = NULL;
	char *text = NULL;
	int rc = EXIT_OK;

	diag_clear(&d);
	if (o->json) {
		if (fitdoc_write(a, &doc, &d) == -1 ||
		    (text = cJSON_PrintUnformatted(doc)) == NULL) {
			cli_error("out of memory");
			rc = EXIT_INVALID;
		} else if (puts(text) == EOF || fflush(stdout) == EOF) {
			cli_error("standard output: %s", strerror(errno));
			rc = EXIT_INVALID;
		}
		cJSON_free(text);
		cJSON_Delete(doc);
		return rc;
	}
	rep.color = cli_color(o->color, stdout) == 1;
	jw_init(&w, stdout);
	if (report_render(a, &rep, &w, &d) == -1) {
		if (d.code == DIAG_USAGE)
			cli_usage_error("%s", d.msg);
		else
			cli_diag(&d);
		rc = EXIT_INVALID;
	} else if (jw_flush(&w) == -1) {
		cli_error("standard output: %s", strerror(w.err));
		rc = EXIT_INVALID;
	}
	jw_free(&w);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct prs *lp = NULL, *ap = NULL;
	struct aln *a = NULL;
	struct aln_stats st;
	struct reqset rs;
	struct diag d;
	struct analysis an = { 0 };
	int rc, failed = 0, worst;

	gsl_set_error_handler_off();
	cli_init(argv);
	memset(&o, 0, sizeof(o));
	memset(&rs, 0, sizeof(rs));
	o.fail_on = -1;
	o.arrivals.format = "ts";
	o.arrivals.kind_given = 1;
	o.arrivals.kind = REC_START;
	o.arr = calloc((size_t)argc + 1, sizeof(*o.arr));
	o.prov = calloc((size_t)argc + 1, sizeof(*o.prov));
	if (o.arr == NULL || o.prov == NULL) {
		cli_error("out of memory");
		rc = EXIT_INVALID;
		goto out;
	}
	if ((rc = options(argc, argv, &o)) != -1)
		goto out;
	rc = EXIT_INVALID;

	diag_clear(&d);
	if ((lp = prs_new(&o.logs, &d)) == NULL ||
	    (o.narr > 0 && (ap = prs_new(&o.arrivals, &d)) == NULL)) {
		if (d.code == DIAG_USAGE || d.code == DIAG_PATTERN)
			cli_usage_error("%s", d.msg);
		else
			cli_diag(&d);
		goto out;
	}
	if ((a = aln_new(&o.aln, &d)) == NULL) {
		cli_diag(&d);
		goto out;
	}
	if (optind == argc)
		failed |= read_log(lp, a, "-") == -1;
	for (int i = optind; i < argc; i++)
		failed |= read_log(lp, a, argv[i]) == -1;
	for (size_t i = 0; i < o.narr; i++)
		failed |= read_log(ap, a, o.arr[i]) == -1;
	if (failed)
		goto out;

	diag_clear(&d);
	if (aln_finish(a, &rs, &d) == -1) {
		cli_diag(&d);
		goto out;
	}
	aln_stats(a, &st);
	cli_align_summary(&rs, &st, o.aln.offset_mode, 0);

	o.fit.service = o.service;
	o.fit.concurrency = o.conc;
	o.fit.runs = o.runs;
	o.fit.argv_options = (const char *const *)o.prov;
	o.fit.noptions = o.nprov;
	diag_clear(&d);
	if (analysis_build(&rs, &o.fit, &an, &d) == -1) {
		if (d.code == DIAG_USAGE)
			cli_usage_error("%s", d.msg);
		else
			cli_diag(&d);
		goto out;
	}
	if ((rc = render(&an, &o)) != EXIT_OK)
		goto out;
	worst = analysis_worst_verdict(&an);
	if (o.fail_on >= 0 && worst >= o.fail_on) {
		cli_warn("a run's verdict is %s (--fail-on %s)",
		    verdict_name((enum verdict)worst),
		    verdict_name((enum verdict)o.fail_on));
		rc = EXIT_CHECK;
	}
out:
	analysis_free(&an);
	reqset_free(&rs);
	aln_free(a);
	prs_free(lp);
	prs_free(ap);
	free(o.arr);
	for (size_t i = 0; i < o.nprov; i++)
		free(o.prov[i]);
	free(o.prov);
	free(o.service);
	free(o.conc);
	free(o.runs);
	return rc;
}
