#define _GNU_SOURCE 1	/* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "fitdoc.h"
#include "parser.h"
#include "input.h"
#include "progress.h"
#include "reqset.h"
#include "stats.h"

const char *cli_prog = "skew";
int cli_quiet;
static struct progress *progress;	/* erased before every message */

static void	cli_pipes(void);

void
cli_init(char *argv[])
{
	char *slash = strrchr(argv[0], '/');

	if (slash != NULL)
		argv[0] = slash + 1;
	cli_prog = argv[0];
	cli_pipes();
}

/*
 * A pipe on standard input or output holds 64 KiB: the records of a stage
 * pipeline (skew-parse | skew-align | skew-fit, hundreds of megabytes)
 * would cross it in thousands of turns, each a wake-up of the other side.
 * Given 1 MiB (Linux's limit for a user, F_SETPIPE_SZ), they cross in
 * sixteen times fewer.  Where that cannot be had, the pipe stays as it
 * is: only the speed differs.
 */
static void
cli_pipes(void)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	for (int fd = STDIN_FILENO; fd <= STDOUT_FILENO; fd++)
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			(void)fcntl(fd, F_SETPIPE_SZ, CLI_PIPE_SIZE);
#endif
}

static void
vmsg(const char *fmt, va_list ap)
{
	progress_clear(progress);
	fprintf(stderr, "%s: ", cli_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void
cli_diag(const struct diag *d)
{
	const char *msg = d->msg[0] ? d->msg : diag_name(d->code);

	if (d->src != NULL && d->line > 0)
		cli_error("%s:%lu: %s%s%s", d->src, d->line, msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
	else if (d->src != NULL)
		cli_error("%s: %s%s%s", d->src, msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
	else
		cli_error("%s%s%s", msg,
		    d->err ? ": " : "", d->err ? strerror(d->err) : "");
}

struct progress *
cli_progress_start(int out_tty, int n, char *paths[], size_t narr,
    const char *arr[])
{
	const char *env = getenv("SKEW_PROGRESS_AFTER_MS"), *why;
	double after = PROGRESS_AFTER;
	long ms;

	if (n < 0 || !progress_wanted(isatty(STDERR_FILENO), out_tty,
	    cli_quiet, (size_t)n, (const char *const *)paths) ||
	    progress_stdin(narr, arr))
		return NULL;
	if (env != NULL && cli_long(env, 0, 1000, &ms, &why) == -1)
		cli_warn("SKEW_PROGRESS_AFTER_MS is %s: %s", env, why);
	else if (env != NULL)
		after = (double)ms / 1000;
	if ((progress = progress_new(cli_prog, STDERR_FILENO, after)) == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		progress_add(progress, paths[i]);
	for (size_t i = 0; i < narr; i++)
		progress_add(progress, arr[i]);
	return progress;
}

void
cli_progress_end(void)
{
	progress_free(progress);
	progress = NULL;
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return cli_try_help();
}

int
cli_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_prog);
	return EXIT_INVALID;
}

int
cli_write_error(int err)
{
	cli_error("write error: %s", strerror(err ? err : EIO));
	return EXIT_INVALID;
}

int
cli_flushed(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return cli_write_error(errno);
	return EXIT_OK;
}

int
cli_fail(const struct diag *d)
{
	/* A bad option or pattern is the command line's fault; the same
	 * found in an input (d->src set: a plot the document cannot give, a
	 * pattern that fails on a line) is the input's. */
	if ((d->code == DIAG_USAGE || d->code == DIAG_PATTERN) && d->src == NULL)
		return cli_usage_error("%s", d->msg);
	cli_diag(d);
	return EXIT_INVALID;
}

int
cli_color(const char *when, FILE *fp)
{
	const char *nc;

	if (when == NULL || strcmp(when, "auto") == 0)
		return isatty(fileno(fp)) &&
		    ((nc = getenv("NO_COLOR")) == NULL || *nc == '\0');
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return -1;
}

int
cli_long(const char *s, long min, long max, long *out, const char **why)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0') {
		*why = "not a whole number";
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_ndjson(const char *path, input_record_fn *fn, void *ctx, uint64_t *blank)
{
	struct diag d;

	diag_clear(&d);
	if (input_records(path, strcmp(path, "-") == 0 ? CLI_STDIN : path, fn, ctx,
	    blank, &d) == -1) {
		cli_diag(&d);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

/* One input's trailer made up from its events, said on stderr. */
static void
say_incomplete(const struct trailer *in, int strict)
{
	const char *fmt = "%s: incomplete: %llu events came without its "
	    "trailer (its source did not finish, or a filter dropped the "
	    "trailer)%s";

	if (strict)
		cli_error(fmt, in->src, (unsigned long long)in->events, "");
	else
		cli_warn(fmt, in->src, (unsigned long long)in->events,
		    "; listed with \"complete\": false");
}

int
cli_fit_input_end(struct reqset *rs, const char *path, int strict,
    size_t *incomplete)
{
	const char *name = strcmp(path, "-") == 0 ? CLI_STDIN : path;
	size_t mark = rs->in_mark;
	struct diag d;
	int rc;

	diag_clear(&d);
	if ((rc = reqset_end(rs, name, &d)) == -1) {
		cli_diag(&d);
		return EXIT_INVALID;
	}
	for (size_t i = mark; i < rs->ninputs; i++)
		if (rs->inputs[i].incomplete) {
			say_incomplete(&rs->inputs[i], strict);
			(*incomplete)++;
		}
	if (rc == REQSET_NO_ALIGN) {
		(strict ? cli_error : cli_warn)("%s: no align record: "
		    "skew-align did not finish, or a filter dropped its "
		    "trailer", name);
		(*incomplete)++;
	}
	return EXIT_OK;
}

int
cli_incomplete(const struct reqset *rs, int strict)
{
	int n = 0;

	for (size_t i = 0; i < rs->ninputs; i++)
		if (rs->inputs[i].incomplete) {
			say_incomplete(&rs->inputs[i], strict);
			n++;
		}
	return n > 0 && strict ? -1 : 0;
}

int
cli_ndjson_all(int n, char *paths[], input_record_fn *fn, void *ctx,
    uint64_t *blank)
{
	int rc = EXIT_OK;

	if (n == 0)
		return cli_ndjson("-", fn, ctx, blank);
	for (int i = 0; i < n && rc == EXIT_OK; i++)
		rc = cli_ndjson(paths[i], fn, ctx, blank);
	return rc;
}

int
cli_fail_on(int fail_on, int worst)
{
	if (fail_on < 0 || worst < fail_on)
		return EXIT_OK;
	cli_warn("a run's verdict is %s (--fail-on %s)",
	    stats_verdict_name((enum verdict)worst),
	    stats_verdict_name((enum verdict)fail_on));
	return EXIT_CHECK;
}

int
cli_fit_print(const struct analysis *a, int pretty)
{
	struct diag d;
	cJSON *doc = NULL;
	char *text = NULL;
	int rc = EXIT_INVALID;

	diag_clear(&d);
	if (fitdoc_write_as(a, pretty ? FITDOC_PRETTY : FITDOC_COMPACT, &doc,
	    &d) == -1 || (text = pretty ?
	    cJSON_Print(doc) : cJSON_PrintUnformatted(doc)) == NULL)
		cli_error("out of memory");
	else if (puts(text) == EOF)
		cli_write_error(errno);
	else
		rc = cli_flushed();
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

void
cli_parse_summary(const struct trailer *in, const struct parser *p)
{
	const char *why = parser_first_reason(p), *most;
	int top = -1;
	char extra[128] = "";
	int n = 0;

	if (in->bad_utf8 > 0)
		n = snprintf(extra, sizeof(extra), ", %llu invalid UTF-8 "
		    "sequences written as U+FFFD",
		    (unsigned long long)in->bad_utf8);
	if (in->fold > 0 && n >= 0 && (size_t)n < sizeof(extra))
		snprintf(extra + n, sizeof(extra) - (size_t)n,
		    ", %llu in a DST fold (the earlier time taken)",
		    (unsigned long long)in->fold);
	cli_warn("%s: %llu events, %llu skipped, %llu blank%s", in->src,
	    (unsigned long long)in->events, (unsigned long long)in->skipped,
	    (unsigned long long)in->blank, extra);
	if (in->year_turnovers > 0)
		cli_warn("%s: the year (or, with --date, the day) turned over "
		    "%llu time%s", in->src,
		    (unsigned long long)in->year_turnovers,
		    in->year_turnovers == 1 ? "" : "s");
	if (in->year_on_line > 0)
		cli_warn("%s: note: %llu time%s had %s own year on the line, "
		    "used rather than --year", in->src,
		    (unsigned long long)in->year_on_line,
		    in->year_on_line == 1 ? "" : "s",
		    in->year_on_line == 1 ? "its" : "their");
	if (in->first_skipped != NULL && why != NULL)
		cli_warn("%s:%llu: first skipped line: %s", in->src,
		    (unsigned long long)in->first_skipped_line, why);
	/* The commonest reason (the earlier on a tie), when it is not the
	 * first line's: a header line must not hide why the rest went. */
	for (int c = 0; c < SKIP_NCODES; c++)
		if (in->reasons[c].count > 0 && (top == -1 ||
		    in->reasons[c].count > in->reasons[top].count ||
		    (in->reasons[c].count == in->reasons[top].count &&
		    in->reasons[c].first_line < in->reasons[top].first_line)))
			top = c;
	if (top != -1 && in->reasons[top].first_line !=
	    in->first_skipped_line && (most = parser_reason(p, top)) != NULL)
		cli_warn("%s:%llu: most skipped lines (%llu, %s): %s", in->src,
		    (unsigned long long)in->reasons[top].first_line,
		    (unsigned long long)in->reasons[top].count,
		    skip_name(top), most);
}

void
cli_align_summary(const struct reqset *rs, const struct align_stats *st,
    int offset_mode, uint64_t blank)
{
	char g[TS_EPOCH_MAX], off[TS_EPOCH_MAX];

	ts_epoch(&rs->info.gap, g);
	ts_epoch(&rs->info.offset, off);
	if (blank > 0)
		cli_warn("%llu blank lines skipped", (unsigned long long)blank);
	if (st->unknown_keys > 0)
		cli_warn("%llu keys that skew-align does not know were ignored",
		    (unsigned long long)st->unknown_keys);
	cli_warn("%zu run%s, gap %s s (%s), %llu event%s, %llu unmatched "
	    "starts, %llu unmatched ends%s%s%s%s", rs->info.runs,
	    rs->info.runs == 1 ? "" : "s", g,
	    rs->info.gap_given ? "given" : rs->info.gap_timeout ?
	    "the timeout: no break in the data" : st->gap_broke ?
	    "from the data" : "from the data: no break",
	    (unsigned long long)rs->info.events,
	    rs->info.events == 1 ? "" : "s",
	    (unsigned long long)rs->info.unmatched_starts,
	    (unsigned long long)rs->info.unmatched_ends,
	    offset_mode != ALIGN_OFFSET_NONE ? ", offset " : "",
	    offset_mode != ALIGN_OFFSET_NONE ? off : "",
	    offset_mode != ALIGN_OFFSET_NONE ? " s" : "",
	    offset_mode == ALIGN_OFFSET_AUTO ? " (auto)" :
	    offset_mode == ALIGN_OFFSET_GIVEN ? " (given)" : "");
	/* --timeout: said when given or when it did something, as the
	 * align record carries it. */
	if (rs->info.has_timeout && (rs->info.timeout_given ||
	    rs->info.timed_out > 0 || rs->info.gap_timeout)) {
		ts_epoch(&rs->info.timeout, off);
		cli_warn("timeout %s s (%s): %llu start%s with no end in time "
		    "stopped counting as in flight", off,
		    rs->info.timeout_given ? "given" :
		    "10 times the p99 latency, at least 1 s",
		    (unsigned long long)rs->info.timed_out,
		    rs->info.timed_out == 1 ? "" : "s");
	}
	/* --offset SRC=DURATION: each input's clock, as corrected. */
	for (size_t k = 0; k < rs->info.nsrcoff; k++) {
		ts_epoch(&rs->info.srcoff[k].off, off);
		cli_warn("%s: every event moved by %s s (--offset %s=)",
		    rs->info.srcoff[k].src, off, rs->info.srcoff[k].src);
	}
}
