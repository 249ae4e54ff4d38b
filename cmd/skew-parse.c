/*
 * skew-parse: log lines -> NDJSON (or TSV) events, one trailer per input.
 * Options, messages and exit statuses live here; the work is in parse/.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evw.h"
#include "fmt.h"
#include "prs.h"
#include "rec.h"

static const char synopsis[] =
"usage: skew-parse [-q] [-f FORMAT | -e PATTERN] [-k start|end] [--tz ZONE]\n"
"                  [--year YEAR] [--dur-unit s|ms|us] [--strict]\n"
"                  [--tsv | -t ndjson|tsv] [--source NAME] [FILE ...]\n"
"       skew-parse --list-formats\n"
"       skew-parse -h | --help | --version\n";

static const char options[] =
"\n"
"Read log lines and write one event per matched line as NDJSON (or TSV),\n"
"then one trailer record per input.  FILE \"-\" or no FILE: standard input.\n"
"Gzip-compressed input is read transparently.\n"
"\n"
"  -f, --from FORMAT     a preset format (default pid-tid-ts); see --list-formats\n"
"  -e, --pattern PATTERN a PCRE2 pattern with named groups ts (required),\n"
"                        pid, tid, id, kind and dur\n"
"  -k, --kind start|end  which end of a request the times mark (default:\n"
"                        the format's; a kind group overrides per line)\n"
"      --tz ZONE         zone of naive times: +09:00 or Asia/Tokyo (default UTC)\n"
"      --year YEAR       the year of syslog times (required with -f syslog)\n"
"      --dur-unit UNIT   unit of a dur group: s (default), ms or us\n"
"      --strict          stop with status 2 at the first line skipped\n"
"      --tsv             write TSV with a header line (same as -t tsv)\n"
"  -t, --to FORMAT       ndjson (default) or tsv\n"
"      --source NAME     the name of standard input in records (default stdin)\n"
"      --list-formats    print the presets: name, the end each time marks,\n"
"                        and pattern\n"
"  -q, --quiet           errors only: no per-input summary\n"
"  -h, --help            this help\n"
"      --version         print the version\n"
"\n"
"Exit status: 0 success; 2 usage error, an input missing, unreadable or\n"
"with no line matching, or --strict and a line skipped.\n";

enum {
	OPT_TZ = 256, OPT_YEAR, OPT_DUR_UNIT, OPT_STRICT, OPT_TSV, OPT_SOURCE,
	OPT_LIST, OPT_VERSION
};

static const struct option longopts[] = {
	{ "from",		required_argument,	NULL, 'f' },
	{ "pattern",		required_argument,	NULL, 'e' },
	{ "kind",		required_argument,	NULL, 'k' },
	{ "tz",			required_argument,	NULL, OPT_TZ },
	{ "year",		required_argument,	NULL, OPT_YEAR },
	{ "dur-unit",		required_argument,	NULL, OPT_DUR_UNIT },
	{ "strict",		no_argument,		NULL, OPT_STRICT },
	{ "tsv",		no_argument,		NULL, OPT_TSV },
	{ "to",			required_argument,	NULL, 't' },
	{ "source",		required_argument,	NULL, OPT_SOURCE },
	{ "list-formats",	no_argument,		NULL, OPT_LIST },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

/* Standard output written out, or the reason it was not. */
static int
flushed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_OK;
	cli_error("write error: %s", strerror(errno));
	return EXIT_INVALID;
}

static int
list_formats(void)
{
	const struct fmt_info *fi;

	for (size_t i = 0; (fi = fmt_preset_info(i)) != NULL; i++) {
		printf("%s%s\n", fi->name, i == 0 ? " (default)" : "");
		printf("    time marks: %s\n", fi->marks);
		printf("    pattern:    %s\n", fi->pattern);
		if (fi->scanner)
			printf("    matched by a hand-written scanner that "
			    "accepts the same lines\n");
	}
	return flushed();
}

static int
on_rec(void *ctx, const struct rec *r)
{
	return evw_event(ctx, r);
}

int
main(int argc, char *argv[])
{
	struct prs_opt o;
	struct prs *p;
	struct evw ev;
	struct diag d;
	const char *why;
	long v;
	int ch, tsv = 0, status = EXIT_OK;

	cli_init(argv);
	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	d.src = NULL;
	d.line = 0;
	while ((ch = getopt_long(argc, argv, "f:e:k:t:qh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.format = optarg;
			break;
		case 'e':
			o.pattern = optarg;
			break;
		case 'k':
			if (cli_kind(optarg, &o) == -1)
				return cli_usage_error("--kind is \"%s\": "
				    "expected start or end", optarg);
			break;
		case OPT_TZ:
			o.tz = optarg;
			break;
		case OPT_YEAR:
			if (cli_long(optarg, 1970, 9999, &v, &why) == -1)
				return cli_usage_error("year is %s: %s "
				    "(1970-9999)", optarg, why);
			o.year = (int)v;
			break;
		case OPT_DUR_UNIT:
			if (cli_dur_unit(optarg, &o) == -1)
				return cli_usage_error("--dur-unit is \"%s\": "
				    "expected s, ms or us", optarg);
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_TSV:
			tsv = 1;
			break;
		case 't':
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "ndjson") == 0)
				tsv = 0;
			else
				return cli_usage_error("output format is "
				    "\"%s\": expected ndjson or tsv", optarg);
			break;
		case OPT_SOURCE:
			o.source = optarg;
			break;
		case OPT_LIST:
			return list_formats();
		case 'q':
			cli_quiet = 1;
			break;
		case 'h':
			fputs(synopsis, stdout);
			fputs(options, stdout);
			return flushed();
		case OPT_VERSION:
			cli_version();
			return EXIT_OK;
		default:
			return cli_try_help();
		}
	}
	argc -= optind;
	argv += optind;
	if ((p = prs_new(&o, &d)) == NULL) {
		if (d.code == DIAG_USAGE || d.code == DIAG_PATTERN)
			return cli_usage_error("%s", d.msg);
		cli_diag(&d);
		return EXIT_INVALID;
	}
	evw_init(&ev, stdout, tsv);
	/* Without a thread the events are written all the same. */
	(void)evw_async(&ev);
	for (int i = 0; i < (argc > 0 ? argc : 1); i++) {
		const char *path = argc > 0 ? argv[i] : "-";
		const char *name = strcmp(path, "-") == 0 ?
		    (o.source ? o.source : "stdin") : path;
		struct rec_input in;
		int rc;

		if (evw_begin(&ev, name) == -1)
			break;
		rc = prs_input(p, path, name, on_rec, &ev, &in, &d);
		/* The trailer only for an input read to its end: its
		 * bytes and SHA-256 must describe the whole of it. */
		if (in.sha256[0] != '\0')
			evw_trailer(&ev, &in);
		/* Out per input, so a pipeline sees each input whole; and
		 * no summary of events that could not be written. */
		evw_finish(&ev);
		if (ev.w.err != 0) {
			rec_input_free(&in);
			break;
		}
		if (in.sha256[0] != '\0')
			cli_parse_summary(&in, prs_first_reason(p));
		if (rc == -1) {
			cli_diag(&d);
			status = EXIT_INVALID;
		}
		rec_input_free(&in);
		/* --strict stops everything at the first skipped line;
		 * so does a pattern that cannot be matched. */
		if (rc == -1 && ((o.strict && d.line > 0) ||
		    d.code == DIAG_PATTERN || d.code == DIAG_NOMEM))
			break;
	}
	if (ev.w.err != 0) {
		cli_error("write error: %s", strerror(ev.w.err));
		status = EXIT_INVALID;
	}
	evw_free(&ev);
	prs_free(p);
	return status;
}
