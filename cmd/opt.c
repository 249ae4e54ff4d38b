#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "analysis.h"
#include "cli.h"
#include "base/dur.h"
#include "detect.h"
#include "format.h"
#include "opt.h"
#include "report.h"
#include "stats.h"

/* Where the help of every option begins: the options line up in every
 * program. */
#define HELP_COL	27
#define MAX_OPTS	64

/* ---- The tables. ---- */

/* Reading (skew-parse's, and skew's for its logs). */
static const struct opt_def d_from = { "from", 'f', OPT_FORMAT, "FORMAT",
	NULL, 0, "auto (default: chosen from the first lines),\n"
	"a preset, or auto:NAME; the list:\nskew-parse --list-formats" };
static const struct opt_def d_pattern = { "pattern", 'e', OPT_TEXT,
	"PATTERN", NULL, 0, "a PCRE2 pattern with named groups ts (required),\n"
	"pid, tid, id, kind and dur" };
static const struct opt_def d_field = { "field", OPT_FIELD, OPT_TEXT,
	"NAME=KEY", NULL, OPT_REPEAT,
	"-f json: read group NAME (ts, pid, tid, id,\n"
	"kind, dur, route, status) from KEY; a.b: the\nflat key, else b in a" };
static const struct opt_def d_kind = { "kind", 'k', OPT_WORD, "start|end",
	"start end", 0, "which end of a request the times mark (default:\n"
	"the format's; a kind group overrides per line)" };
static const struct opt_def d_tz = { "tz", OPT_TZ, OPT_TEXT, "ZONE", NULL, 0,
	"zone of naive times: +09:00 or Asia/Tokyo\n(default UTC)" };
static const struct opt_def d_year = { "year", OPT_YEAR, OPT_TEXT, "YEAR",
	NULL, 0, "the year of times whose lines carry none, at\n"
	"each input's first line (required then: -f\n"
	"syslog); +1 when the month goes back six or more" };
static const struct opt_def d_time_format = { "time-format", OPT_TIME_FORMAT,
	OPT_TEXT, "FMT", NULL, 0, "read times as FMT (%Y-%m-%d %H:%M:%S.%f%z ...):\n"
	"with -e its ts group; alone, each line's start" };
static const struct opt_def d_date = { "date", OPT_DATE, OPT_TEXT,
	"YYYY-MM-DD", NULL, 0, "the day of times of day alone, at each input's\n"
	"first line; +1 when the time goes back 12 h or more" };
static const struct opt_def d_tz_abbrev = { "tz-abbrev", OPT_TZ_ABBREV,
	OPT_TEXT, "NAME=OFFSET", NULL, OPT_REPEAT, "read zone abbreviation NAME "
	"as OFFSET\n"
	"(PDT=-07:00); repeat for more" };
static const struct opt_def d_dur_unit = { "dur-unit", OPT_DUR_UNIT, OPT_WORD,
	"UNIT", "s ms us ns", 0, "unit of a dur group without its own: s "
	"(default),\n"
	"ms, us or ns" };
static const struct opt_def d_strict = { "strict", OPT_STRICT, OPT_NONE, NULL,
	NULL, 0, "stop with status 2 at the first line skipped" };
/* --strict where an input can come incomplete (its trailer never came):
 * said in each program for what it can find missing; skew's covers a
 * skipped line too.  Never provenance: it changes the status only. */
static const struct opt_def d_strict_align = { "strict", OPT_STRICT, OPT_NONE,
	NULL, NULL, 0, "exit 2 when an input's events came without\n"
	"its trailer (its source did not finish)" };
static const struct opt_def d_strict_fit = { "strict", OPT_STRICT, OPT_NONE,
	NULL, NULL, 0, "exit 2 when an input came incomplete (its\n"
	"trailers or align record missing)" };
static const struct opt_def d_strict_skew = { "strict", OPT_STRICT, OPT_NONE,
	NULL, NULL, 0, "stop with status 2 at the first line skipped,\n"
	"or when an input's events came without its\ntrailer" };

/* skew-parse's output. */
static const struct opt_def d_tsv = { "tsv", OPT_TSV, OPT_NONE, NULL, NULL, 0,
	"write TSV with a header line (same as -t tsv)" };
static const struct opt_def d_to_events = { "to", 't', OPT_WORD, "FORMAT",
	"ndjson tsv", 0, "ndjson (default) or tsv" };
static const struct opt_def d_source = { "source", OPT_SOURCE, OPT_TEXT,
	"NAME", NULL, 0, "the name of standard input in records\n"
	"(default stdin)" };
static const struct opt_def d_list = { "list-formats", OPT_LIST_FORMATS,
	OPT_NONE, NULL, NULL, 0, "print the presets: name, the end each time "
	"marks,\nand pattern" };

/* skew's arrival logs. */
static const struct opt_def d_arrivals = { "arrivals", 'a', OPT_FILE, "FILE",
	NULL, OPT_REPEAT, "an arrival log (its times mark starts): one FILE\n"
	"per -a; repeat -a for more" };
static const struct opt_def d_arr_from = { "arrivals-from", OPT_ARR_FROM,
	OPT_FORMAT, "FORMAT", NULL, 0, "the arrival logs' format, as -f "
	"(default auto)" };
static const struct opt_def d_arr_pattern = { "arrivals-pattern",
	OPT_ARR_PATTERN, OPT_TEXT, "PATTERN", NULL, 0,
	"a PCRE2 pattern for the arrival logs" };

/* Runs and pairs. */
static const struct opt_def d_gap = { "gap", 'g', OPT_TEXT, "DURATION", NULL,
	0, "split runs where the next event is more than\n"
	"DURATION away (default: read from the data)" };
static const struct opt_def d_offset = { "offset", 'o', OPT_HINT,
	"[SRC=]DURATION|auto", "auto", OPT_REPEAT, "add DURATION to every "
	"start's time; SRC=DURATION:\nto every event of input SRC (a host's "
	"clock;\nrepeat for more); auto: the smallest shift of\nthe starts "
	"that nests every pair, less -s's T\n(only a bound on the clocks' "
	"offset)" };
static const struct opt_def d_timeout = { "timeout", OPT_TIMEOUT, OPT_TEXT,
	"DURATION", NULL, 0, "a start with no end stops counting as in\n"
	"flight after DURATION (default: 10 times the\np99 latency, at least 1 s)" };
/* skew-align's -s: skew's is the statistics' (d_service), which its
 * --offset auto reads the same way. */
static const struct opt_def d_service_align = { "service-time", 's',
	OPT_TEXT, "LIST", NULL, 0, "--offset auto: each pair lasts T at least (of\n"
	"a list, the least; read as skew-fit reads it)" };

/* Statistics. */
static const struct opt_def d_service = { "service-time", 's', OPT_TEXT,
	"LIST", NULL, OPT_DOC, "service time T: one for every run, or one per "
	"run" };
static const struct opt_def d_conc = { "concurrency", 'c', OPT_TEXT, "LIST",
	NULL, OPT_DOC, "true requests per run (logs that hold a sample)" };
static const struct opt_def d_runs = { "run", 'r', OPT_TEXT, "LIST", NULL,
	OPT_DOC, "keep only these runs" };
static const struct opt_def d_no_series = { "no-series", OPT_NO_SERIES,
	OPT_NONE, NULL, NULL, OPT_DOC, "leave each run's plot series out" };
static const struct opt_def d_window = { "window", OPT_WINDOW, OPT_TEXT,
	"DURATION", NULL, OPT_DOC, "the traffic block's windows (default: the\n"
	"shortest of 1s, 10s, 1m, 5m that is 10 p90\nlatencies or more and gives "
	"30 windows\nwith completions)" };
static const struct opt_def d_by = { "by", OPT_BY, OPT_WORD, "route",
	"route", OPT_DOC, "judge each route apart: one run of the\n"
	"document per run and route" };
static const struct opt_def d_keep_errors = { "keep-errors", OPT_KEEP_ERRORS,
	OPT_NONE, NULL, NULL, OPT_DOC, "let responses with status >= 400 set "
	"T\n(left out of T by default)" };
static const struct opt_def d_fail_on = { "fail-on", OPT_FAIL_ON, OPT_WORD,
	"VERDICT", "partial serialized", 0, "exit 1 when a run is VERDICT or "
	"worse:\npartial or serialized" };
static const struct opt_def d_pretty = { "pretty", 'p', OPT_NONE, NULL, NULL,
	0, "indent the document" };

/* The report.  skew's -t also takes json, the fit document itself. */
static const struct opt_def d_to_report = { "to", 't', OPT_WORD, "FORMAT",
	"text markdown md html svg", 0, "text (default), markdown (or md), html "
	"or svg" };
static const struct opt_def d_to_skew = { "to", 't', OPT_WORD, "FORMAT",
	"text markdown md html svg json", 0, "text (default), markdown (or md), "
	"html, svg, or\njson (the fit document itself)" };
static const struct opt_def d_plot = { "plot", 'p', OPT_WORD, "PLOT",
	"rank spread inflight usl latency-inflight throughput", 0, "the plot "
	"of -t svg: rank, spread (default),\ninflight, usl, latency-inflight "
	"or throughput;\nalone it implies -t svg" };
static const struct opt_def d_color = { "color", OPT_COLOR, OPT_WORD, "WHEN",
	"auto always never", 0, "colour the text: auto (default: a terminal\n"
	"and NO_COLOR unset), always or never" };
static const struct opt_def d_colour = { "colour", OPT_COLOR, OPT_WORD,
	"WHEN", "auto always never", OPT_ALIAS, NULL };
static const struct opt_def d_plot_run = { "run", 'r', OPT_TEXT, "N", NULL,
	0, "rank, inflight and latency-inflight plots: run N\nonly "
	"(default: every run, overlaid)" };

/* Every program's. */
static const struct opt_def d_quiet = { "quiet", 'q', OPT_NONE, NULL, NULL, 0,
	"errors only" };
static const struct opt_def d_help = { "help", 'h', OPT_NONE, NULL, NULL, 0,
	"this text" };
static const struct opt_def d_version = { "version", OPT_VERSION, OPT_NONE,
	NULL, NULL, 0, "the version" };

/* ---- Small helpers. ---- */

/* "--NAME is "ARG": why" as a usage error. */
static int
bad(const struct opt_def *def, const char *arg, const char *why)
{
	return cli_usage_error("--%s is \"%s\": %s", def->name, arg, why);
}

/* The index of arg among def->words, or -1. */
static int
word_index(const struct opt_def *def, const char *arg)
{
	size_t n = strlen(arg);
	const char *w = def->words;

	for (int i = 0; w != NULL && *w != '\0'; i++) {
		size_t k = strcspn(w, " ");

		if (k == n && strncmp(w, arg, n) == 0)
			return i;
		w += k;
		w += *w == ' ';
	}
	return -1;
}

/* "expected a, b or c" from def->words. */
static int
bad_word(const struct opt_def *def, const char *arg)
{
	char why[256] = "expected ";
	size_t len = strlen(why);
	const char *w = def->words;

	while (*w != '\0' && len < sizeof(why)) {
		size_t k = strcspn(w, " ");
		const char *sep = w[k] == '\0' ? "" :
		    strchr(w + k + 1, ' ') == NULL ? " or " : ", ";

		len += (size_t)snprintf(why + len, sizeof(why) - len, "%.*s%s",
		    (int)k, w, sep);
		w += k;
		w += *w == ' ';
	}
	return bad(def, arg, why);
}

static size_t
list_len(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++)
		if (*s == ',')
			n++;
	return n;
}

/* A comma-separated list of whole numbers from 1 (--concurrency, --run):
 * *out allocated. */
static int
long_list(const struct opt_def *def, const char *arg, long **out, size_t *n)
{
	size_t k = 0;
	char *copy, *p, *tok;
	const char *why;

	free(*out);
	if ((*out = calloc(list_len(arg), sizeof(**out))) == NULL ||
	    (copy = strdup(arg)) == NULL) {
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	for (p = copy; (tok = strsep(&p, ",")) != NULL; k++)
		if (cli_long(tok, 1, 1000000000L, &(*out)[k], &why) == -1) {
			int rc = cli_usage_error("--%s is \"%s\": %s (a list "
			    "of whole numbers from 1 to 1000000000)", def->name,
			    tok, why);

			free(copy);	/* tok points into it */
			return rc;
		}
	free(copy);
	*n = k;
	return -1;
}

/* ---- The groups' handlers. ---- */

static int
set_common(struct opts *o, const struct opt_def *def, const char *arg)
{
	(void)arg;
	switch (def->key) {
	case 'q':
		cli_quiet = 1;
		return -1;
	case 'h':
		return opt_help(o->prog, stdout) == 0 ? cli_flushed() :
		    cli_write_error(errno);
	default:
		printf("%s %s\n", cli_prog, SKEW_VERSION);
		return cli_flushed();
	}
}

/* --tz-abbrev NAME=OFFSET: NAME 1 to 7 letters, each NAME once. */
static int
set_tz_abbrev(struct opts *o, const struct opt_def *def, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct ts_abbr *a = &o->tzab[o->ntzab];
	struct diag d;
	size_t n = eq != NULL ? (size_t)(eq - arg) : 0;
	char why[sizeof(d.msg) + 32];

	if (n == 0 || n >= sizeof(a->name))
		return bad(def, arg, "expected NAME=OFFSET, NAME a zone "
		    "abbreviation of 1 to 7 letters (PDT=-07:00)");
	for (size_t k = 0; k < n; k++)
		if (!((arg[k] >= 'A' && arg[k] <= 'Z') ||
		    (arg[k] >= 'a' && arg[k] <= 'z')))
			return bad(def, arg, "expected NAME=OFFSET, NAME a zone "
			    "abbreviation of 1 to 7 letters (PDT=-07:00)");
	for (size_t k = 0; k < o->ntzab; k++)
		if (strlen(o->tzab[k].name) == n &&
		    strncmp(o->tzab[k].name, arg, n) == 0)
			return bad(def, arg, "that abbreviation was given "
			    "already");
	if (o->ntzab >= OPT_TZ_ABBREVS)
		return bad(def, arg, "too many --tz-abbrev (at most 16)");
	diag_clear(&d);
	if (ts_offset_parse(eq + 1, &a->off, &d) == -1) {
		snprintf(why, sizeof(why), "%s (after NAME=)", d.msg);
		return bad(def, arg, why);
	}
	memcpy(a->name, arg, n);
	a->name[n] = '\0';
	o->ntzab++;
	o->logs.tz_abbrev = o->tzab;
	o->logs.ntz_abbrev = o->ntzab;
	return -1;
}

static int
set_parse(struct opts *o, const struct opt_def *def, const char *arg)
{
	static const enum parser_dur_unit units[] = {
		PARSER_DUR_S, PARSER_DUR_MS, PARSER_DUR_US, PARSER_DUR_NS
	};
	const char *why;
	long v;

	switch (def->key) {
	case 'f':
		o->logs.format = arg;
		break;
	case 'e':
		o->logs.pattern = arg;
		break;
	case OPT_FIELD:
		o->fields[o->logs.nfields++] = arg;
		o->logs.fields = o->fields;
		break;
	case 'k':
		o->logs.kind = o->word == 0 ? RECORD_START : RECORD_END;
		o->logs.kind_given = 1;
		break;
	case OPT_TZ:
		o->logs.tz = arg;
		break;
	case OPT_YEAR:
		if (cli_long(arg, 1970, 9999, &v, &why) == -1) {
			char w[64];

			snprintf(w, sizeof(w), "%s (1970-9999)", why);
			return bad(def, arg, w);
		}
		o->logs.year = (int)v;
		break;
	case OPT_DUR_UNIT:
		o->logs.dur_unit = units[o->word];
		break;
	case OPT_TIME_FORMAT:
		o->logs.time_format = arg;
		break;
	case OPT_DATE:
		o->logs.date = arg;
		break;
	case OPT_TZ_ABBREV:
		return set_tz_abbrev(o, def, arg);
	default:
		/* --strict: the parser's, and the incomplete inputs'. */
		o->logs.strict = 1;
		o->strict = 1;
		break;
	}
	return -1;
}

static int
list_formats(void)
{
	const struct format_info *fi;
	const struct detect_reading *r;

	printf("auto (default)\n    chosen per input from its first %d lines "
	    "among these, said on\n    stderr, recorded as --from=auto:NAME "
	    "(which -f takes back)\n", DETECT_LINES);
	for (size_t i = 0; (fi = format_preset_info(i)) != NULL; i++) {
		printf("%s\n", fi->name);
		printf("    time marks: %s\n", fi->marks);
		printf("    %s    %s\n", fi->json ? "reads:  " : "pattern:",
		    fi->pattern);
		if (fi->scanner)
			printf("    matched by a hand-written scanner that "
			    "accepts the same lines\n");
	}
	for (size_t i = 0; (r = detect_reading(i)) != NULL; i++) {
		if (r->kind != DETECT_SHAPE)
			continue;
		printf("auto:%s\n", r->name);
		printf("    time marks: end by default (--kind start for "
		    "arrivals)\n");
		printf("    found %s, as in:\n        %s\n",
		    r->start == DETECT_AT_START ? "at the start of a line" :
		    "anywhere on a line", r->example);
		printf("    time formats, %s:\n", r->epoch ? "by the count of "
		    "digits (9-11, 12-14, 15-17, 18-20)" : "the first that fits");
		for (size_t k = 0; r->formats[k] != NULL; k++)
			printf("        %s\n", r->formats[k]);
	}
	return cli_flushed();
}

static int
set_events(struct opts *o, const struct opt_def *def, const char *arg)
{
	switch (def->key) {
	case OPT_TSV:
		o->tsv = 1;
		break;
	case 't':
		o->tsv = o->word == 1;
		break;
	case OPT_SOURCE:
		o->logs.source = arg;
		break;
	default:
		return list_formats();
	}
	return -1;
}

static int
set_arrivals(struct opts *o, const struct opt_def *def, const char *arg)
{
	switch (def->key) {
	case 'a':
		o->arr[o->narr++] = arg;
		break;
	case OPT_ARR_FROM:
		o->arrivals.format = arg;
		break;
	default:
		o->arrivals.pattern = arg;
		o->arrivals.format = NULL;
		break;
	}
	return -1;
}

/* The arrival logs are read as the others, but for their format and kind. */
static int
check_arrivals(struct opts *o)
{
	o->arrivals.tz = o->logs.tz;
	o->arrivals.year = o->logs.year;
	o->arrivals.date = o->logs.date;
	o->arrivals.tz_abbrev = o->logs.tz_abbrev;
	o->arrivals.ntz_abbrev = o->logs.ntz_abbrev;
	o->arrivals.dur_unit = o->logs.dur_unit;
	o->arrivals.strict = o->logs.strict;
	/* --field maps the JSON logs' keys; arrival logs read as JSON
	 * take them too. */
	if (o->arrivals.format != NULL &&
	    strcmp(o->arrivals.format, "json") == 0) {
		o->arrivals.fields = o->logs.fields;
		o->arrivals.nfields = o->logs.nfields;
	}
	return -1;
}

static int set_fit(struct opts *o, const struct opt_def *def,
    const char *arg);

/* --offset SRC=DURATION (eq: the last '=' of arg, so a name may hold
 * one): each source once. */
static int
set_src_offset(struct opts *o, const struct opt_def *def, const char *arg,
    const char *eq)
{
	struct src_offset *so;
	struct diag d;
	char why[sizeof(d.msg) + 32];
	size_t n = (size_t)(eq - arg);
	struct ts off;
	char *name;

	if (n == 0)
		return bad(def, arg, "expected SRC=DURATION, SRC an input's "
		    "name (its events' src)");
	for (size_t k = 0; k < o->aln.nsrcoff; k++)
		if (strlen(o->aln.srcoff[k].src) == n &&
		    strncmp(o->aln.srcoff[k].src, arg, n) == 0)
			return bad(def, arg, "that input's offset was given "
			    "already");
	diag_clear(&d);
	if (dur_parse(eq + 1, 1, &off, &d) == -1) {
		snprintf(why, sizeof(why), "%s (after SRC=)", d.msg);
		return bad(def, arg, why);
	}
	so = realloc(o->aln.srcoff, (o->aln.nsrcoff + 1) * sizeof(*so));
	if (so == NULL || (name = strndup(arg, n)) == NULL) {
		if (so != NULL)
			o->aln.srcoff = so;
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	o->aln.srcoff = so;
	so[o->aln.nsrcoff].src = name;
	so[o->aln.nsrcoff++].off = off;
	return -1;
}

static int
set_align(struct opts *o, const struct opt_def *def, const char *arg)
{
	struct diag d;
	char why[sizeof(d.msg) + 16];
	const char *eq;

	diag_clear(&d);
	if (def->key == 's')
		return set_fit(o, def, arg);
	if (def->key == 'o' && (eq = strrchr(arg, '=')) != NULL)
		return set_src_offset(o, def, arg, eq);
	if (def->key == 'g') {
		if (dur_parse(arg, 0, &o->aln.gap, &d) == -1)
			return bad(def, arg, d.msg);
		o->aln.gap_given = 1;
	} else if (def->key == OPT_TIMEOUT) {
		if (dur_parse(arg, 0, &o->aln.timeout, &d) == -1)
			return bad(def, arg, d.msg);
		if (o->aln.timeout.sec == 0 && o->aln.timeout.nsec == 0)
			return bad(def, arg, "a timeout must be above 0");
		o->aln.timeout_given = 1;
	} else if (strcmp(arg, "auto") == 0)
		o->aln.offset_mode = ALIGN_OFFSET_AUTO;
	else {
		if (dur_parse(arg, 1, &o->aln.offset, &d) == -1) {
			snprintf(why, sizeof(why), "%s (or \"auto\")", d.msg);
			return bad(def, arg, why);
		}
		o->aln.offset_mode = ALIGN_OFFSET_GIVEN;
	}
	return -1;
}

/* --offset auto subtracts the service time: the least of -s's list, so
 * that the shift stays a bound whichever run a pair is in. */
static int
check_align(struct opts *o)
{
	for (size_t k = 0; k < o->nservice; k++)
		if (k == 0 || ts_cmp(&o->service[k], &o->aln.service) < 0)
			o->aln.service = o->service[k];
	o->aln.service_given = o->nservice > 0;
	return -1;
}

static int
set_fit(struct opts *o, const struct opt_def *def, const char *arg)
{
	struct diag d;
	size_t max;

	switch (def->key) {
	case 's':
		free(o->service);
		max = list_len(arg);
		if ((o->service = calloc(max, sizeof(*o->service))) == NULL) {
			cli_error("out of memory");
			return EXIT_INVALID;
		}
		diag_clear(&d);
		if (dur_parse_list(arg, o->service, max, &o->nservice,
		    &d) == -1)
			return bad(def, arg, d.msg);
		return -1;
	case 'c':
		return long_list(def, arg, &o->conc, &o->nconc);
	case 'r':
		return long_list(def, arg, &o->runs, &o->nruns);
	case OPT_NO_SERIES:
		o->no_series = 1;
		return -1;
	case OPT_BY:
		o->by_route = 1;
		return -1;
	case OPT_KEEP_ERRORS:
		o->keep_errors = 1;
		return -1;
	case OPT_WINDOW:
		diag_clear(&d);
		if (dur_parse(arg, 0, &o->window, &d) == -1)
			return bad(def, arg, d.msg);
		if (o->window.sec == 0 && o->window.nsec == 0)
			return bad(def, arg, "a window must last some time");
		o->has_window = 1;
		return -1;
	case OPT_FAIL_ON:
		o->fail_on = stats_verdict_parse(arg);
		return -1;
	default:
		o->pretty = 1;
		return -1;
	}
}

static int
set_report(struct opts *o, const struct opt_def *def, const char *arg)
{
	static const int tos[] = {
		REPORT_TEXT, REPORT_MARKDOWN, REPORT_MARKDOWN, REPORT_HTML,
		REPORT_SVG, REPORT_TEXT
	};
	const char *why;
	long v;

	switch (def->key) {
	case 't':
		o->to = tos[o->word];
		o->json = strcmp(arg, "json") == 0;
		break;
	case 'p':
		o->plot = arg;
		break;
	case OPT_COLOR:
		o->color = arg;
		break;
	default:
		if (cli_long(arg, 1, 1000000000L, &v, &why) == -1)
			return bad(def, arg, why);
		o->plot_run = (int)v;
		break;
	}
	return -1;
}

/* -t and --plot together, as skew-report has always taken them. */
static int
check_report(struct opts *o)
{
	if (o->to == -1)
		o->to = o->plot != NULL ? REPORT_SVG : REPORT_TEXT;
	if (o->plot != NULL && (o->to != REPORT_SVG || o->json))
		return cli_usage_error("--plot %s: only with -t svg (-t html "
		    "draws every plot)", o->plot);
	return -1;
}

static int
check_plot_run(struct opts *o)
{
	if (o->plot_run != 0 && (o->plot == NULL ||
	    (strcmp(o->plot, "rank") != 0 && strcmp(o->plot, "inflight") != 0 &&
	    strcmp(o->plot, "latency-inflight") != 0)))
		return cli_usage_error("--run %d: only with --plot rank, "
		    "inflight or latency-inflight", o->plot_run);
	return -1;
}

/* ---- The groups and the programs. ---- */

/* A group: its heading, handler, check and options. */
#define DEFS(...)	((const struct opt_def *const []){ __VA_ARGS__, NULL })

/* The reading options but --strict, whose help differs by program. */
#define READING_DEFS \
	&d_from, &d_pattern, &d_field, &d_time_format, &d_kind, &d_tz, \
	&d_tz_abbrev, &d_year, &d_date, &d_dur_unit

static const struct opt_group g_parse = { "Reading", set_parse, NULL,
	DEFS(READING_DEFS, &d_strict) };
/* skew's: its --strict covers an incomplete input too. */
static const struct opt_group g_skew_parse = { "Reading", set_parse, NULL,
	DEFS(READING_DEFS, &d_strict_skew) };
/* skew-align's and skew-fit's reading: --strict alone. */
static const struct opt_group g_align_reading = { "Reading", set_parse, NULL,
	DEFS(&d_strict_align) };
static const struct opt_group g_fit_reading = { "Reading", set_parse, NULL,
	DEFS(&d_strict_fit) };
static const struct opt_group g_events = { "Output", set_events, NULL,
	DEFS(&d_tsv, &d_to_events, &d_source, &d_list) };
static const struct opt_group g_arrivals = { "Arrival logs", set_arrivals,
	check_arrivals, DEFS(&d_arrivals, &d_arr_from, &d_arr_pattern) };
static const struct opt_group g_align = { "Runs and pairs", set_align,
	check_align, DEFS(&d_gap, &d_offset, &d_timeout) };
/* skew-align's: -s for --offset auto (skew's comes with the statistics). */
static const struct opt_group g_align_service = { "Runs and pairs",
	set_align, check_align, DEFS(&d_gap, &d_offset, &d_timeout,
	&d_service_align) };
static const struct opt_group g_fit = { "Statistics", set_fit, NULL,
	DEFS(&d_service, &d_conc, &d_runs, &d_by, &d_keep_errors,
	    &d_no_series, &d_window, &d_fail_on) };
static const struct opt_group g_pretty = { "Output", set_fit, NULL,
	DEFS(&d_pretty) };
/* skew-report's and skew's: the same but for the words of -t. */
static const struct opt_group g_report = { "Output", set_report,
	check_report, DEFS(&d_to_report, &d_plot, &d_color, &d_colour) };
static const struct opt_group g_skew_report = { "Output", set_report,
	check_report, DEFS(&d_to_skew, &d_plot, &d_color, &d_colour) };
static const struct opt_group g_plot_run = { "Plots", set_report,
	check_plot_run, DEFS(&d_plot_run) };
static const struct opt_group g_common = { "General", set_common, NULL,
	DEFS(&d_quiet, &d_help, &d_version) };

#define GROUPS(...)	((const struct opt_group *const []){ __VA_ARGS__, NULL })
#define FAIL_ON_STATUS \
	"Exit status: 0 success; 1 --fail-on matched; 2 usage error or an input\n" \
	"missing, unreadable or invalid (2 wins over 1).\n"
#define DURATIONS \
	"DURATION: seconds (1.5) or a number with a unit: ns, us, ms, s, m, h.\n"

const struct opt_prog opt_skew_parse = { "skew-parse",
	"[-q] [-f FORMAT | -e PATTERN] [--field NAME=KEY]...\n"
	"[--time-format FMT] [-k start|end] [--tz ZONE]\n"
	"[--tz-abbrev NAME=OFFSET]... [--year YEAR] [--date YYYY-MM-DD]\n"
	"[--dur-unit s|ms|us|ns] [--strict]\n"
	"[--tsv | -t ndjson|tsv] [--source NAME] [FILE ...]\n",
	"--list-formats",
	GROUPS(&g_parse, &g_events, &g_common),
	"Read log lines and write one event per matched line as NDJSON (or TSV),\n"
	"then one trailer record per input.  FILE \"-\" or no FILE: standard "
	"input.\nGzip-compressed input is read transparently.\n",
	"Exit status: 0 success; 2 usage error, an input missing, unreadable or\n"
	"with no line matching, or --strict and a line skipped.\n" };

const struct opt_prog opt_skew_align = { "skew-align",
	"[-q] [--strict] [-g DURATION] [-o [SRC=]DURATION|auto]...\n"
	"[-s DURATION[,...]] [FILE ...]\n", NULL,
	GROUPS(&g_align_reading, &g_align_service, &g_common),
	"Read skew-parse events, split them into runs and pair starts with ends;\n"
	"write one request record per line (NDJSON).  FILE \"-\" or no FILE:\n"
	"standard input.\n",
	DURATIONS
	"Exit status: 0 success; 2 usage error or an input missing, unreadable\n"
	"or invalid.\n" };

const struct opt_prog opt_skew_fit = { "skew-fit",
	"[-pq] [-s DURATION[,...]] [-c N[,...]] [-r N[,...]]\n"
	"[--by route] [--keep-errors] [--no-series] [--window DURATION]\n"
	"[--fail-on partial|serialized] [--strict]\n"
	"[FILE ...]\n", NULL,
	GROUPS(&g_fit_reading, &g_fit, &g_pretty, &g_common),
	"Read skew-align's requests and write one JSON document of statistics\n"
	"per run and across runs.  FILE \"-\" or no FILE: standard input.\n",
	DURATIONS FAIL_ON_STATUS };

const struct opt_prog opt_skew_report = { "skew-report",
	"[-q] [-t text|markdown|html|svg] [-r N]\n"
	"[-p rank|spread|inflight|usl] [--color=auto|always|never]\n"
	"[FIT.json | -]\n", NULL,
	GROUPS(&g_report, &g_plot_run, &g_common),
	"Render skew-fit's document for people: a terminal summary (text),\n"
	"Markdown tables, one self-contained HTML page with SVG plots, or one\n"
	"SVG plot.  No FIT.json, or \"-\": standard input.\n",
	"Exit status: 0 success; 2 usage error or invalid input (including a\n"
	"plot that the document cannot give).\n" };

const struct opt_prog opt_skew = { "skew",
	"[-q] [-f FORMAT | -e PATTERN] [--field NAME=KEY]...\n"
	"[--time-format FMT] [-k start|end] [--tz ZONE]\n"
	"[--tz-abbrev NAME=OFFSET]... [--year YEAR] [--date YYYY-MM-DD]\n"
	"[--dur-unit s|ms|us|ns] [--strict]\n"
	"[-a FILE]... [--arrivals-from FORMAT | --arrivals-pattern PATTERN]\n"
	"[-g DURATION] [-o [SRC=]DURATION|auto]...\n"
	"[-s DURATION[,...]] [-c N[,...]] [-r N[,...]] [--by route]\n"
	"[--keep-errors] [--no-series] [--window DURATION]\n"
	"[--fail-on partial|serialized]\n"
	"[-t text|markdown|html|svg|json] [-p rank|spread|inflight|usl]\n"
	"[--color=auto|always|never] [LOG ...]\n", NULL,
	GROUPS(&g_skew_parse, &g_arrivals, &g_align, &g_fit, &g_skew_report,
	    &g_common),
	"Read server logs (completions, by default) and optional arrival logs,\n"
	"split them into runs, pair arrivals with completions, fit the "
	"statistics\nand print the report: skew-parse | skew-align | skew-fit | "
	"skew-report in\none process.  No LOG, or LOG \"-\": standard input.\n",
	DURATIONS FAIL_ON_STATUS };

const struct opt_prog *const opt_progs[] = {
	&opt_skew_parse, &opt_skew_align, &opt_skew_fit, &opt_skew_report,
	&opt_skew, NULL
};

/* ---- Reading argv. ---- */

int
opt_help(const struct opt_prog *p, FILE *fp)
{
	/* The synopsis: its lines under the first, then the other forms. */
	for (const char *l = p->synopsis; *l != '\0'; ) {
		size_t k = strcspn(l, "\n");

		fprintf(fp, "%s%*s %.*s\n", l == p->synopsis ? "usage:" : "",
		    (int)strlen(p->name) + (l == p->synopsis ? 1 : 7),
		    l == p->synopsis ? p->name : "", (int)k, l);
		l += k + (l[k] == '\n');
	}
	if (p->forms != NULL)
		fprintf(fp, "       %s %s\n", p->name, p->forms);
	fprintf(fp, "       %s -h | --help | --version\n\n%s", p->name,
	    p->about);
	for (const struct opt_group *const *g = p->groups; *g != NULL; g++) {
		fprintf(fp, "\n%s:\n", (*g)->title);
		for (const struct opt_def *const *dp = (*g)->defs; *dp != NULL;
		    dp++) {
			const struct opt_def *def = *dp;
			const char *h = def->help;
			char left[64];
			int n;

			if (def->flags & OPT_ALIAS)
				continue;
			n = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s",
			    def->key < 256 ? '-' : ' ',
			    def->key < 256 ? def->key : ' ',
			    def->key < 256 ? ", " : "  ", def->name,
			    def->meta ? " " : "", def->meta ? def->meta : "");
			fputs(left, fp);
			/* A long left side puts the help on the next line. */
			if (n > HELP_COL - 2) {
				fputc('\n', fp);
				n = 0;
			}
			for (;;) {
				size_t k = strcspn(h, "\n");

				fprintf(fp, "%*s%.*s\n", HELP_COL - n, "",
				    (int)k, h);
				if (h[k] == '\0')
					break;
				h += k + 1;
				n = 0;
			}
		}
	}
	fprintf(fp, "\n%s", p->epilog);
	return ferror(fp) ? -1 : 0;
}

static int
keep_prov(struct opts *o, const struct opt_def *def, const char *arg)
{
	size_t sz = strlen(def->name) + 4 + (arg ? strlen(arg) : 0);
	char *s;

	if ((s = malloc(sz)) == NULL) {
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	snprintf(s, sz, "--%s%s%s", def->name, arg ? "=" : "", arg ? arg : "");
	o->prov[o->nprov++] = s;
	return -1;
}

int
opt_parse(const struct opt_prog *p, int argc, char *argv[], struct opts *o)
{
	struct option lo[MAX_OPTS + 1];
	const struct opt_def *defs[MAX_OPTS];
	const struct opt_group *groups[MAX_OPTS];
	char so[2 * MAX_OPTS + 1];
	size_t n = 0, ns = 0;
	int ch, rc;

	memset(o, 0, sizeof(*o));
	o->prog = p;
	o->fail_on = -1;
	o->to = -1;
	o->arrivals.format = "auto";
	o->arrivals.kind_given = 1;
	o->arrivals.kind = RECORD_START;
	o->arr = calloc((size_t)argc + 1, sizeof(*o->arr));
	o->fields = calloc((size_t)argc + 1, sizeof(*o->fields));
	o->prov = calloc((size_t)argc + 1, sizeof(*o->prov));
	if (o->arr == NULL || o->prov == NULL || o->fields == NULL) {
		cli_error("out of memory");
		return EXIT_INVALID;
	}
	for (const struct opt_group *const *g = p->groups; *g != NULL; g++)
		for (const struct opt_def *const *dp = (*g)->defs;
		    *dp != NULL && n < MAX_OPTS; dp++, n++) {
			const struct opt_def *def = *dp;

			lo[n].name = def->name;
			lo[n].has_arg = def->arg == OPT_NONE ? no_argument :
			    required_argument;
			lo[n].flag = NULL;
			lo[n].val = def->key;
			defs[n] = def;
			groups[n] = *g;
			if (def->key < 256 && !(def->flags & OPT_ALIAS)) {
				so[ns++] = (char)def->key;
				if (def->arg != OPT_NONE)
					so[ns++] = ':';
			}
		}
	memset(&lo[n], 0, sizeof(lo[n]));
	so[ns] = '\0';
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		size_t k;

		/* getopt has said what was wrong. */
		for (k = 0; k < n && lo[k].val != ch; k++)
			;
		if (k == n)
			return cli_try_help();
		if (defs[k]->arg == OPT_WORD &&
		    (o->word = word_index(defs[k], optarg)) == -1)
			return bad_word(defs[k], optarg);
		if ((rc = groups[k]->set(o, defs[k], optarg)) != -1)
			return rc;
		/* Provenance: the options that change the document, as
		 * given, in the order given. */
		if ((defs[k]->flags & OPT_DOC) &&
		    (rc = keep_prov(o, defs[k], optarg)) != -1)
			return rc;
	}
	for (const struct opt_group *const *g = p->groups; *g != NULL; g++)
		if ((*g)->check != NULL && (rc = (*g)->check(o)) != -1)
			return rc;
	return -1;
}

int
opt_main(const struct opt_prog *p, int argc, char *argv[],
    int (*run)(const struct opts *o, int argc, char *argv[]))
{
	struct opts o;
	int rc;

	/* GSL's production setting: every status is checked instead. */
	gsl_set_error_handler_off();
	cli_init(argv);
	if ((rc = opt_parse(p, argc, argv, &o)) == -1)
		rc = run(&o, argc - optind, argv + optind);
	opts_free(&o);
	return rc;
}

void
opt_fit(const struct opts *o, struct analysis_opt *fo)
{
	memset(fo, 0, sizeof(*fo));
	fo->service = o->service;
	fo->nservice = o->nservice;
	fo->concurrency = o->conc;
	fo->nconcurrency = o->nconc;
	fo->runs = o->runs;
	fo->nruns = o->nruns;
	fo->no_series = o->no_series;
	fo->has_window = o->has_window;
	fo->window = o->window;
	fo->by_route = o->by_route;
	fo->keep_errors = o->keep_errors;
	fo->argv_options = (const char *const *)o->prov;
	fo->noptions = o->nprov;
}

void
opts_free(struct opts *o)
{
	for (size_t i = 0; i < o->nprov; i++)
		free(o->prov[i]);
	free(o->prov);
	free(o->arr);
	free(o->fields);
	for (size_t k = 0; k < o->aln.nsrcoff; k++)
		free((char *)o->aln.srcoff[k].src);
	free(o->aln.srcoff);
	free(o->service);
	free(o->conc);
	free(o->runs);
	memset(o, 0, sizeof(*o));
}
