/*
 * skew: the whole pipeline in one process (parse, align, fit, report), from
 * the same libraries as skew-parse, skew-align, skew-fit and skew-report and
 * with their options, for the common case.  See man/skew.1.
 *
 * Every input is read before anything is written, so that every missing or
 * unreadable log is named; a fault in any of them is exit 2 and no report:
 * an analysis of some of the logs would be a different answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "align.h"
#include "analysis.h"
#include "cli.h"
#include "base/jsonout.h"
#include "opt.h"
#include "parser.h"
#include "report.h"
#include "stats.h"

/* The aligner that events go to, and what it said when it refused one:
 * parser_input() itself knows only that the callback stopped. */
struct sink {
	struct align	*a;
	struct diag	 d;
};

static int
on_rec(void *ctx, const struct record *r)
{
	struct sink *s = ctx;

	if (align_add_rec(s->a, r, &s->d) == 0)
		return 0;
	s->d.line = (unsigned long)r->line;
	return -1;
}

/* Parse one log into the aligner.  Returns 0, or -1 having said why. */
static int
read_log(struct parser *p, struct align *a, const char *path)
{
	struct sink s = { a, { 0 } };
	struct trailer in;
	struct diag d;
	int rc;

	diag_clear(&d);
	diag_clear(&s.d);
	rc = parser_input(p, path, NULL, on_rec, &s, &in, &d);
	if (parser_choice(p) != NULL && in.src != NULL)
		cli_warn("%s: %s", in.src, parser_choice(p));
	if (in.sha256[0] != '\0')
		cli_parse_summary(&in, p);
	if (rc == -1 && s.d.code != DIAG_OK) {
		s.d.src = d.src;
		cli_fail(&s.d);
	} else if (rc == -1)
		cli_fail(&d);
	else {
		diag_clear(&d);
		if ((rc = align_add_input(a, &in, &d)) == -1)
			cli_fail(&d);
	}
	trailer_free(&in);
	return rc;
}

/*
 * The analysis of rs, written as asked, and the --fail-on check: the exit
 * status.  -t json writes the fit document exactly as skew-fit prints it;
 * a report is rendered from the analysis itself, which is what skew-report
 * reads back from that document (fitdoc.h: read(write(a)) == a), so that
 * `skew -t html` and skew-fit | skew-report draw the same numbers.
 */
static int
fit_report(struct reqset *rs, const struct opts *o)
{
	struct report_opt rep = { .to = (enum report_to)o->to };
	struct analysis a;
	struct analysis_opt fo;
	struct diag d;
	struct jsonout w;
	int rc = EXIT_INVALID;

	rep.plot = o->plot;
	rep.color = o->to == REPORT_TEXT && cli_color(o->color, stdout) == 1;
	opt_fit(o, &fo);
	diag_clear(&d);
	if (analysis_build(rs, &fo, &a, &d) == -1)
		return cli_fail(&d);
	/* The analysis holds what it needs: the requests' room is the
	 * report's. */
	reqset_drop_requests(rs);
	jsonout_init(&w, stdout);
	if (o->json)
		rc = cli_fit_print(&a, 0);
	else if (report_render(&a, &rep, &w, &d) == -1)
		cli_fail(&d);
	else if (jsonout_flush(&w) == -1)
		cli_write_error(w.err);
	else
		rc = EXIT_OK;
	if (rc == EXIT_OK)
		rc = cli_fail_on(o->fail_on, analysis_worst_verdict(&a));
	jsonout_free(&w);
	analysis_free(&a);
	return rc;
}

/* The whole pipeline: every log read and aligned, then the fit and its
 * report.  Returns the exit status. */
static int
skew_all(const struct opts *o, int argc, char *argv[])
{
	struct parser *lp = NULL, *ap = NULL;
	struct progress *pg;
	struct align *a = NULL;
	struct align_stats st;
	struct reqset rs;
	struct diag d;
	int rc = EXIT_INVALID, failed = 0;

	memset(&rs, 0, sizeof(rs));
	diag_clear(&d);
	if ((lp = parser_new(&o->logs, &d)) == NULL ||
	    (o->narr > 0 && (ap = parser_new(&o->arrivals, &d)) == NULL) ||
	    (a = align_new(&o->aln, &d)) == NULL) {
		cli_fail(&d);
		goto out;
	}
	/* The report is written after the reading: stdout may be the
	 * terminal. */
	pg = cli_progress_start(0, argc, argv, o->narr, o->arr);
	parser_set_progress(lp, pg);
	if (ap != NULL)
		parser_set_progress(ap, pg);
	if (argc == 0)
		failed |= read_log(lp, a, "-") == -1;
	for (int i = 0; i < argc; i++)
		failed |= read_log(lp, a, argv[i]) == -1;
	for (size_t i = 0; i < o->narr; i++)
		failed |= read_log(ap, a, o->arr[i]) == -1;
	cli_progress_end();
	if (failed)
		goto out;
	diag_clear(&d);
	if (align_finish(a, &rs, &d) == -1) {
		cli_fail(&d);
		goto out;
	}
	/* --strict covers an incomplete input too, as in skew-align. */
	if (cli_incomplete(&rs, o->strict) == -1)
		goto out;
	align_stats(a, &st);
	cli_align_summary(&rs, &st, o->aln.offset_mode, 0);
	rc = fit_report(&rs, o);
out:
	reqset_free(&rs);
	align_free(a);
	parser_free(lp);
	parser_free(ap);
	return rc;
}

int
main(int argc, char *argv[])
{
	return opt_main(&opt_skew, argc, argv, skew_all);
}
