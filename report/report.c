#include <math.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "report.h"
#include "words.h"

const char *const report_plots[] = { "rank", "spread", "inflight", "usl",
    "latency-inflight", "throughput", NULL };

/* Past this many runs, -t html draws one overlaid rank (and in-flight)
 * plot instead of one plot a run: a page of a hundred plots helps nobody. */
#define PER_RUN_PLOTS	12

/* Past this many runs, the verdicts of runs with the same shape, verdict
 * and reason template share one line, with ranges: a day of access log
 * cut into 84 runs must not say the same thing 84 times.  Up to it, each
 * run is listed (the article's five runs, every experiment of a few). */
#define PER_RUN_VERDICTS	PER_RUN_PLOTS

/* Sentences built once in plain text, then escaped for each format. */
#define WORDS_MAX	24
struct words {
	size_t	n;
	char	s[WORDS_MAX][640];
};

static void say(struct words *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct words *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n >= WORDS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(w->s[w->n], sizeof(w->s[0]), fmt, ap);
	va_end(ap);
	w->n++;
}

static const struct stats *
largest(const struct analysis *doc)
{
	const struct stats *big = &doc->runs[0];

	for (size_t i = 1; i < doc->nruns; i++)
		if (doc->runs[i].n >= big->n)
			big = &doc->runs[i];
	return big;
}

static const char *
count_word(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* How many runs had each verdict: "5 parallel", "1 parallel, 5 partial". */
static void
verdict_counts(const struct analysis *doc, char *buf, size_t sz)
{
	static const enum verdict order[] = { VERDICT_PARALLEL,
	    VERDICT_PARTIAL, VERDICT_SERIALIZED, VERDICT_UNKNOWN };
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < 4; k++) {
		size_t c = 0;

		for (size_t i = 0; i < doc->nruns; i++)
			c += doc->runs[i].verdict == order[k];
		if (c > 0 && len < sz)
			len += (size_t)snprintf(buf + len, sz - len, "%s%zu %s",
			    len ? ", " : "", c, stats_verdict_name(order[k]));
	}
}

/* The one sentence a reader takes away. */
static void
summary(const struct analysis *doc, struct words *w)
{
	const struct stats *r = largest(doc);
	const struct analysis_skew *s = &doc->skew;
	const struct analysis_skew_t *t = &doc->skew_t;
	char b1[WORDS_LEN], b2[WORDS_LEN], what[640], tail[320];

	if (r->verdict == VERDICT_PARALLEL)
		snprintf(what, sizeof(what), "%zu requests ran in parallel",
		    r->n);
	else if (r->verdict == VERDICT_PARTIAL && r->has_pool)
		snprintf(what, sizeof(what), "%zu requests ran in %s waves "
		    "behind a pool of %zu", r->n, words_count(b1, sizeof(b1),
		    words_opt(r->has_waves, (double)r->waves)), r->pool);
	else if (r->verdict == VERDICT_PARTIAL)
		snprintf(what, sizeof(what), "%zu requests ran partly in "
		    "parallel", r->n);
	else if (r->verdict == VERDICT_SERIALIZED)
		snprintf(what, sizeof(what), "%zu requests were served one at "
		    "a time", r->n);
	else
		snprintf(what, sizeof(what), "%zu %s: the verdict is %s (%s)",
		    r->n, count_word(r->n, "request", "requests"),
		    stats_verdict_name(r->verdict), r->reason);
	if (r->shape == SHAPE_OPEN)
		snprintf(what, sizeof(what), "%zu %s of open traffic, %s: %s",
		    r->n, count_word(r->n, "request", "requests"),
		    stats_verdict_name(r->verdict), r->reason);
	if (r->n == 0) {
		/* No run has a completion: the log holds arrivals only. */
		uint64_t starts = 0;

		for (size_t i = 0; i < doc->nruns; i++)
			starts += doc->runs[i].unmatched_starts;
		snprintf(what, sizeof(what), "No completions, nothing to "
		    "judge: %" PRIu64 " %s in %zu %s, and no end or duration "
		    "of any request (a duration per request, such as nginx's "
		    "$request_time or Apache's %%D, would give each its end)",
		    starts, starts == 1 ? "arrival" : "arrivals", doc->nruns,
		    count_word(doc->nruns, "run", "runs"));
	}
	tail[0] = '\0';
	if (s->fitted) {
		const char *dep = "";

		if (plot_flat(s))
			;
		else if (t->depends == ANALYSIS_FALSE)
			dep = " and does not depend on the service time";
		else if (t->depends == ANALYSIS_TRUE)
			snprintf(tail, sizeof(tail), " and by %s per second of "
			    "service time", words_dur(b2, sizeof(b2), t->c));
		/* A negative slope is data worth saying plainly, not "grows
		 * -600 ms"; a slope whose interval spans 0 is no slope. */
		if (plot_flat(s))
			snprintf(what + strlen(what), sizeof(what) -
			    strlen(what), "; the completion spread does not "
			    "grow measurably with the number of requests (the "
			    "95 %% interval of its slope spans 0)");
		else
			snprintf(what + strlen(what), sizeof(what) -
			    strlen(what), "; the completion spread %s %s per "
			    "extra request%s%s", s->b < 0 ? "shrinks" : "grows",
			    words_dur(b1, sizeof(b1), fabs(s->b)),
			    s->has_ci ? "" : " (a line through two runs, no "
			    "interval to judge it by)", dep);
	}
	say(w, "%s%s.", what, tail);
}

/* Whether the run's origin was judged from its two slopes (else from its
 * latency percentiles): which numbers the sentence quotes. */
static int
by_slopes(const struct stats *r)
{
	return r->has_slopes && r->arrival.ok && r->latslope.ok;
}

/* skew-fit's judgement of where a run's stagger comes from, in words. */
static const char *
origin_words(const struct stats *r)
{
	switch (r->origin) {
	case STATS_ORIGIN_NEGLIGIBLE:
		return "too small to matter: the whole run finished within a "
		    "tenth of a service time, so nothing waited to speak of";
	case STATS_ORIGIN_ADMISSION:
		return by_slopes(r) ? "the stagger is admission (requests "
		    "were let in one after another and served in parallel), "
		    "not service" : "the requests were served in the same "
		    "time each, so the spread comes from when they were "
		    "admitted, not from service";
	case STATS_ORIGIN_SERVICE:
		return "the stagger is service: requests waited for each "
		    "other inside the server";
	case STATS_ORIGIN_BOTH:
		return by_slopes(r) ? "admission and service both "
		    "contribute" : "latencies vary about as much as the "
		    "spread, so service contributes to it";
	default:
		return NULL;
	}
}

static int open_any(const struct analysis *doc);
static int all_open(const struct analysis *doc);

/* Question 1: admission or service, and the service time's part. */
static void
origin(const struct analysis *doc, struct words *w)
{
	const struct analysis_skew_t *t = &doc->skew_t;
	char b1[WORDS_LEN], b2[WORDS_LEN], b3[WORDS_LEN];
	size_t said = 0, more = 0, starts = 0, open = 0;

	/* The runs judged from their slopes first, then those judged from
	 * their latencies alone (sampled runs). */
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < doc->nruns; i++) {
			const struct stats *r = &doc->runs[i];
			const char *why = origin_words(r);

			if (why == NULL || by_slopes(r) != pass)
				continue;
			if (said >= 6) {
				more++;
				continue;
			}
			if (pass)
				say(w, "Run %lu: arrivals came %s apart per "
				    "request and latency grew %s per request: "
				    "%s.", (unsigned long)r->run,
				    words_dur(b1, sizeof(b1), r->arrival.b),
				    words_dur(b2, sizeof(b2), r->latslope.b),
				    why);
			else
				say(w, "Run %lu: each matched request took %s "
				    "(median) to %s (max) from arrival to "
				    "completion, while completions spread over "
				    "%s: %s.", (unsigned long)r->run,
				    words_dur(b1, sizeof(b1), r->p50),
				    words_dur(b2, sizeof(b2), r->lmax),
				    words_dur(b3, sizeof(b3), r->spread), why);
			said++;
		}
	if (more > 0)
		say(w, "%zu more %s these measurements too, not listed here "
		    "(see the fit document).", more,
		    more == 1 ? "run has" : "runs have");
	if (!t->fitted && all_open(doc))
		;	/* said once, under "Across runs" */
	else if (!t->fitted)
		say(w, "The dependence on the service time was not fitted: %s.",
		    t->reason);
	else if (t->depends == ANALYSIS_NULL)
		say(w, "Across runs, spread = a + b n + c T gives c = %s s of "
		    "spread per second of service time, without a standard "
		    "error to judge it by.", words_sig(b1, sizeof(b1), t->c, 3));
	else
		say(w, "Across runs, spread = a + b n + c T gives c = %s "
		    "(standard error %s) s of spread per second of service "
		    "time: %s.", words_sig(b1, sizeof(b1), t->c, 3),
		    words_sig(b2, sizeof(b2), t->c_se, 3),
		    t->depends == ANALYSIS_FALSE ? "within two standard errors "
		    "of zero, so the spread does not depend on the service "
		    "time and is not serialized work" : "clearly not zero, so "
		    "the spread grows with the service time, a sign of "
		    "serialized work");
	for (size_t i = 0; i < doc->nruns; i++) {
		starts += doc->runs[i].has_inflight;
		open += doc->runs[i].shape == SHAPE_OPEN;
	}
	if (said == 0 && open > 0 && open == doc->nruns)
		say(w, "Every run is open traffic: requests arrived on their "
		    "own schedule, so there is no stagger of a burst to "
		    "explain; latency against the number in flight at arrival "
		    "says whether requests waited for each other.");
	else if (said == 0 && starts == 0)
		say(w, "Start times were not logged, so admission and "
		    "service cannot be told apart; log arrivals too (skew "
		    "--arrivals) to answer this.");
	else if (said == 0)
		say(w, "Start times were logged, but no run has enough "
		    "matched requests to tell admission from service.");
}


/* The traffic block in words: throughput against concurrency over the
 * windows of the whole input, and the USL fitted to them. */
static void
traffic_words(const struct analysis *doc, struct words *w)
{
	const struct analysis_traffic *tr = &doc->traffic;
	const struct analysis_usl *u = &tr->usl;
	char b1[WORDS_LEN], b2[WORDS_LEN], b3[WORDS_LEN], b4[WORDS_LEN];

	if (!tr->fitted) {
		say(w, "Throughput against concurrency was not measured: %s.",
		    tr->reason);
		return;
	}
	if (!u->fitted) {
		say(w, "The whole input in %zu windows of %s: the Universal "
		    "Scalability Law of throughput against concurrency was not "
		    "fitted: %s.", tr->windows, words_dur(b1, sizeof(b1),
		    tr->window), u->reason);
		return;
	}
	say(w, "The whole input in %zu windows of %s: throughput X against "
	    "concurrency N follows the Universal Scalability Law with lambda "
	    "%s requests/s, sigma %s (contention), kappa %s (coherence)%s%s%s.",
	    tr->windows, words_dur(b1, sizeof(b1), tr->window),
	    words_sig(b2, sizeof(b2), u->lambda, 4),
	    words_sig(b3, sizeof(b3), u->sigma, 4),
	    words_sig(b4, sizeof(b4), u->kappa, 4),
	    !u->has_peak ? (u->kappa <= 0 ? "; with kappa <= 0 it predicts "
	    "no peak" : "; it gives no peak") : "; it predicts the most "
	    "throughput at N = ", !u->has_peak ? "" : words_sig(b1,
	    sizeof(b1), u->peak_n, 4), u->peak_beyond == ANALYSIS_TRUE ?
	    ", beyond the windows measured: an extrapolation" : "");
	for (size_t i = 0; i < u->warnings.n; i++)
		say(w, "Warning from the USL fit on the windows: %s.",
		    u->warnings.s[i]);
}

/* Question 2: where the limit is. */
static void
limit(const struct analysis *doc, struct words *w)
{
	const struct analysis_skew *s = &doc->skew;
	const struct analysis_usl *u = &doc->usl;
	char b1[WORDS_LEN], b2[WORDS_LEN], b3[WORDS_LEN], b4[WORDS_LEN];
	double tm = NAN;

	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].has_T && (isnan(tm) || doc->runs[i].T < tm))
			tm = doc->runs[i].T;
	if (!s->fitted && all_open(doc))
		;	/* said once, under "Across runs" */
	else if (!s->fitted)
		say(w, "No line across runs: %s.", s->reason);
	else if (plot_flat(s))
		say(w, "The spread does not grow measurably with n: the 95 %% "
		    "interval of b (%s to %s per request) spans 0, so the line "
		    "gives no n at which the spread reaches the service time.",
		    words_dur(b1, sizeof(b1), s->ci_lo),
		    words_dur(b2, sizeof(b2), s->ci_hi));
	else if (s->has_reach && s->n_reach < 1)
		/* An n below one request is no concurrency: the line is
		 * above the service time from the first request on. */
		say(w, "The fitted spread is above the shortest service time "
		    "(%s) already at n = 1, so it gives no n at which it is "
		    "reached.", words_dur(b1, sizeof(b1), tm));
	else if (s->has_reach)
		say(w, "The fitted spread reaches the shortest service time "
		    "(%s) at n = %s: past about that many concurrent requests "
		    "the last one waits longer than a whole service time. %s "
		    "(n = %zu).", words_dur(b1, sizeof(b1), tm),
		    words_sig(b2, sizeof(b2), s->n_reach, 4),
		    s->reached == ANALYSIS_TRUE ? "The largest run is already "
		    "past it" : "The largest run measured is below it",
		    largest(doc)->n);
	else if (s->b <= 0)
		say(w, "The spread does not grow with n (b = %s per request), "
		    "so it never reaches the service time.",
		    words_dur(b1, sizeof(b1), s->b));
	else if (s->reach_why[0] != '\0')
		say(w, "No n at which the fitted spread reaches the service "
		    "time: %s.", s->reach_why);
	else
		say(w, "The service time is not known, so the line gives no "
		    "limit.");
	if (open_any(doc))
		traffic_words(doc, w);
	if (!u->fitted) {
		if (!all_open(doc))
			say(w, "The Universal Scalability Law was not fitted: "
			    "%s.", u->reason);
		return;
	}
	say(w, "The Universal Scalability Law fitted to the runs' "
	    "parallelism gives lambda %s, sigma %s (contention), kappa %s "
	    "(coherence)%s%s%s.",
	    words_sig(b1, sizeof(b1), u->lambda, 4),
	    words_sig(b2, sizeof(b2), u->sigma, 4),
	    words_sig(b3, sizeof(b3), u->kappa, 4),
	    !u->has_peak ? (u->kappa <= 0 ? "; with kappa <= 0 it "
	    "predicts no peak" : "; it gives no peak") :
	    "; it predicts the most parallelism at n = ",
	    !u->has_peak ? "" : words_sig(b4, sizeof(b4), u->peak_n, 4),
	    u->peak_beyond == ANALYSIS_TRUE ? ", beyond the largest run "
	    "measured: an extrapolation" : "");
	for (size_t i = 0; i < u->warnings.n; i++)
		say(w, "Warning from the USL fit: %s.", u->warnings.s[i]);
}

/* ---- Tables, shared by the three text formats. ---- */

#define COLS	13
struct tab {
	size_t		 ncol, nrow;
	const char	*head[COLS];
	int		 left[COLS];
	char		(*cell)[COLS][WORDS_LEN];
};

static int
tab_new(struct tab *t, size_t rows)
{
	memset(t, 0, sizeof(*t));
	t->cell = calloc(rows ? rows : 1, sizeof(*t->cell));
	return t->cell == NULL ? -1 : 0;
}

static void
col(struct tab *t, const char *head, int left)
{
	t->head[t->ncol] = head;
	t->left[t->ncol] = left;
	t->ncol++;
}

/* Little's law in a cell: the mean in flight against X R, "ok" when
 * skew-fit found them within 10 %. */
static void
little(char *cell, const struct stats *r)
{
	char a[WORDS_LEN], b[WORDS_LEN];

	if (r->ll_state != 1)
		snprintf(cell, WORDS_LEN, "-");
	else
		snprintf(cell, WORDS_LEN, "%s: %s vs %s", r->ll_ok ? "ok" :
		    "off",
		    words_sig(a, sizeof(a), r->ll_mean, 3),
		    words_sig(b, sizeof(b), r->ll_xr, 3));
}

/* Run i's route when the runs were split by route (skew-fit --by
 * route), else NULL: two rows of "run 1" need it to be told apart. */
static const char *
route_of(const struct analysis *doc, size_t i)
{
	return doc->by_route && doc->routes != NULL ? doc->routes[i] : NULL;
}

/* Requests left unpaired are said, never dropped in silence. */
static const char *
unmatched(char *buf, size_t sz, const struct stats *r)
{
	buf[0] = '\0';
	if (r->unmatched_starts > 0 || r->unmatched_ends > 0)
		snprintf(buf, sz, " (unmatched: %llu %s, %llu %s)",
		    (unsigned long long)r->unmatched_starts,
		    count_word(r->unmatched_starts, "start", "starts"),
		    (unsigned long long)r->unmatched_ends,
		    count_word(r->unmatched_ends, "end", "ends"));
	return buf;
}

static int
open_any(const struct analysis *doc)
{
	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].shape == SHAPE_OPEN)
			return 1;
	return 0;
}

/* Every run with a completion is open traffic: the cross-run fits,
 * which are of bursts, had nothing to fit (analyze/ left them out). */
static int
all_open(const struct analysis *doc)
{
	size_t open = 0;

	for (size_t i = 0; i < doc->nruns; i++) {
		if (doc->runs[i].shape == SHAPE_OPEN)
			open++;
		else if (doc->runs[i].n > 0)
			return 0;
	}
	return open > 0;
}

static void
runs_table(const struct analysis *doc, int wide, struct tab *t)
{
	/* Open runs have no spread, stagger or parallelism: their
	 * throughput and what overlapped say what they were. */
	int open = open_any(doc);

	col(t, "run", 0);
	col(t, "n", 0);
	col(t, "service time", 0);
	col(t, "spread", 0);
	col(t, "stagger/request", 0);
	col(t, "parallelism", 0);
	if (open)
		col(t, "req/s", 0);
	if (wide) {
		col(t, "serialization", 0);
		col(t, "waves", 0);
	}
	if (wide || open)
		col(t, "max in flight", 0);
	if (wide) {
		col(t, "latency p50", 0);
		col(t, "Little's law", 0);
	}
	col(t, "verdict", 1);
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];
		char (*c)[WORDS_LEN] = t->cell[i];
		size_t k = 0;

		if (route_of(doc, i) != NULL)
			snprintf(c[k++], WORDS_LEN, "%lu %.*s",
			    (unsigned long)r->run, WORDS_LEN - 24,
			    route_of(doc, i));
		else
			snprintf(c[k++], WORDS_LEN, "%lu",
			    (unsigned long)r->run);
		snprintf(c[k++], WORDS_LEN, "%zu%s", r->n,
		    r->sampled ? "*" : "");
		words_dur(c[k++], WORDS_LEN, words_opt(r->has_T, r->T));
		words_dur(c[k++], WORDS_LEN, words_opt(r->has_spread, r->spread));
		if (!r->stagger.ok)
			snprintf(c[k++], WORDS_LEN, "-");
		else if (wide && r->stagger.has_se) {
			char a[WORDS_LEN], b[WORDS_LEN];

			snprintf(c[k++], WORDS_LEN, "%s ± %s",
			    words_dur(a, sizeof(a), r->stagger.b),
			    words_dur(b, sizeof(b), r->stagger.b_se));
		} else
			words_dur(c[k++], WORDS_LEN, r->stagger.b);
		words_sig(c[k++], WORDS_LEN, words_opt(r->has_parallelism,
		    r->parallelism), 3);
		if (open)
			words_sig(c[k++], WORDS_LEN, words_opt(r->has_throughput,
			    r->throughput), 3);
		if (wide) {
			words_sig(c[k++], WORDS_LEN,
			    words_opt(r->has_serialization, r->serialization),
			    3);
			if (r->has_waves && r->has_pool)
				snprintf(c[k++], WORDS_LEN, "%zu of %zu",
				    r->waves, r->pool);
			else
				words_count(c[k++], WORDS_LEN, words_opt(
				    r->has_waves, (double)r->waves));
		}
		if (wide || open)
			words_count(c[k++], WORDS_LEN, words_opt(r->has_inflight,
			    (double)r->max_inflight));
		if (wide) {
			words_dur(c[k++], WORDS_LEN, words_opt(r->has_latency,
			    r->p50));
			little(c[k++], r);
		}
		snprintf(c[k++], WORDS_LEN, "%s", stats_verdict_name(r->verdict));
	}
	t->nrow = doc->nruns;
}

static const char *
colour_of(const char *verdict)
{
	if (strcmp(verdict, "parallel") == 0)
		return "\033[32m";
	if (strcmp(verdict, "partial") == 0)
		return "\033[33m";
	if (strcmp(verdict, "serialized") == 0)
		return "\033[31m";
	return "\033[2m";
}

static void
pad(struct jsonout *w, size_t n)
{
	while (n-- > 0)
		jsonout_char(w, ' ');
}

static void
tab_text(struct jsonout *w, const struct tab *t, int colour, int verdict_col)
{
	size_t wid[COLS];

	for (size_t k = 0; k < t->ncol; k++) {
		wid[k] = words_width(t->head[k]);
		for (size_t i = 0; i < t->nrow; i++)
			if (words_width(t->cell[i][k]) > wid[k])
				wid[k] = words_width(t->cell[i][k]);
	}
	if (colour)
		jsonout_cstr(w, "\033[1m");
	for (size_t k = 0; k < t->ncol; k++) {
		size_t g = wid[k] - words_width(t->head[k]);

		jsonout_cstr(w, k ? "  " : "");
		if (!t->left[k])
			pad(w, g);
		jsonout_cstr(w, t->head[k]);
		if (t->left[k] && k + 1 < t->ncol)
			pad(w, g);
	}
	jsonout_cstr(w, colour ? "\033[0m\n" : "\n");
	for (size_t i = 0; i < t->nrow; i++) {
		for (size_t k = 0; k < t->ncol; k++) {
			const char *s = t->cell[i][k];
			size_t g = wid[k] - words_width(s);
			int c = colour && (int)k == verdict_col;

			jsonout_cstr(w, k ? "  " : "");
			if (!t->left[k])
				pad(w, g);
			if (c)
				jsonout_cstr(w, colour_of(s));
			words_text(w, s);
			if (c)
				jsonout_cstr(w, "\033[0m");
			if (t->left[k] && k + 1 < t->ncol)
				pad(w, g);
		}
		jsonout_char(w, '\n');
	}
}

static void
tab_md(struct jsonout *w, const struct tab *t)
{
	for (size_t k = 0; k < t->ncol; k++) {
		jsonout_cstr(w, "| ");
		words_md(w, t->head[k]);
		jsonout_char(w, ' ');
	}
	jsonout_cstr(w, "|\n");
	for (size_t k = 0; k < t->ncol; k++)
		jsonout_cstr(w, t->left[k] ? "|:---" : "|---:");
	jsonout_cstr(w, "|\n");
	for (size_t i = 0; i < t->nrow; i++) {
		for (size_t k = 0; k < t->ncol; k++) {
			jsonout_cstr(w, "| ");
			words_md(w, t->cell[i][k]);
			jsonout_char(w, ' ');
		}
		jsonout_cstr(w, "|\n");
	}
}

static void
tab_html(struct jsonout *w, const struct tab *t, int verdict_col)
{
	/* A wide table scrolls inside its box instead of widening the
	 * page. */
	jsonout_cstr(w, "<div class=\"tw\"><table>\n<thead><tr>");
	for (size_t k = 0; k < t->ncol; k++) {
		jsonout_cstr(w, t->left[k] ? "<th class=\"l\">" : "<th>");
		words_xml(w, t->head[k]);
		jsonout_cstr(w, "</th>");
	}
	jsonout_cstr(w, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < t->nrow; i++) {
		jsonout_cstr(w, "<tr>");
		for (size_t k = 0; k < t->ncol; k++) {
			if ((int)k == verdict_col) {
				jsonout_cstr(w, "<td class=\"l v-");
				words_xml(w, t->cell[i][k]);
				jsonout_cstr(w, "\">");
			} else
				jsonout_cstr(w, t->left[k] ? "<td class=\"l\">" :
				    "<td>");
			words_xml(w, t->cell[i][k]);
			jsonout_cstr(w, "</td>");
		}
		jsonout_cstr(w, "</tr>\n");
	}
	jsonout_cstr(w, "</tbody>\n</table></div>\n");
}

/* The cross-run models as rows: model, estimate, interval, r2, notes. */
static void
fits_table(const struct analysis *doc, struct tab *t)
{
	const struct analysis_skew *s = &doc->skew;
	const struct analysis_skew_t *m = &doc->skew_t;
	const struct analysis_usl *u = &doc->usl;
	char a[WORDS_LEN], b[WORDS_LEN];
	size_t i = 0;

	col(t, "model", 1);
	col(t, "coefficient", 1);
	col(t, "estimate", 0);
	col(t, "uncertainty", 1);
	col(t, "r2", 0);
#define ROW(model, coef) do {						\
	snprintf(t->cell[i][0], WORDS_LEN, "%s", (model));		\
	snprintf(t->cell[i][1], WORDS_LEN, "%s", (coef));		\
	snprintf(t->cell[i][2], WORDS_LEN, "-");				\
	snprintf(t->cell[i][3], WORDS_LEN, "-");				\
	snprintf(t->cell[i][4], WORDS_LEN, "-");				\
} while (0)
	if (s->fitted) {
		ROW("spread = a + b n", "b, per request");
		words_dur(t->cell[i][2], WORDS_LEN, s->b);
		if (s->has_ci)
			snprintf(t->cell[i][3], WORDS_LEN, "95 %%: %s to %s",
			    words_dur(a, sizeof(a), s->ci_lo),
			    words_dur(b, sizeof(b), s->ci_hi));
		else if (s->has_b_se)
			snprintf(t->cell[i][3], WORDS_LEN, "± %s (stderr)",
			    words_dur(a, sizeof(a), s->b_se));
		words_sig(t->cell[i][4], WORDS_LEN, words_opt(s->has_r2, s->r2),
		    4);
		i++;
		ROW("", "a");
		words_dur(t->cell[i][2], WORDS_LEN, s->a);
		if (s->has_a_se)
			snprintf(t->cell[i][3], WORDS_LEN, "± %s (stderr)",
			    words_dur(a, sizeof(a), s->a_se));
		i++;
		ROW("", "n reaching T");
		/* Never a negative n, nor one read from a flat line: the
		 * reason goes where the interval would. */
		if (plot_flat(s))
			snprintf(t->cell[i][3], WORDS_LEN, "b spans 0");
		else if (s->has_reach && s->n_reach < 1)
			snprintf(t->cell[i][3], WORDS_LEN, "above T at n = 1");
		else if (!s->has_reach && s->reach_why[0] != '\0')
			snprintf(t->cell[i][3], WORDS_LEN, "%.*s",
			    WORDS_LEN - 1, s->reach_why);
		else
			words_sig(t->cell[i][2], WORDS_LEN,
			    words_opt(s->has_reach, s->n_reach), 4);
		i++;
	} else {
		ROW("spread = a + b n", "not fitted");
		i++;
	}
	if (m->fitted) {
		ROW("spread = a + b n + c T", "c, s per s of T");
		words_sig(t->cell[i][2], WORDS_LEN, m->c, 3);
		if (m->has_c_se)
			snprintf(t->cell[i][3], WORDS_LEN, "± %s (stderr)",
			    words_sig(a, sizeof(a), m->c_se, 3));
		words_sig(t->cell[i][4], WORDS_LEN, words_opt(m->has_r2, m->r2),
		    4);
		i++;
		ROW("", "b, per request");
		words_dur(t->cell[i][2], WORDS_LEN, m->b);
		i++;
	} else {
		ROW("spread = a + b n + c T", "not fitted");
		i++;
	}
	if (u->fitted) {
		const char *nm[] = { "lambda", "sigma", "kappa" };
		double v[] = { u->lambda, u->sigma, u->kappa };
		double e[] = { words_opt(u->has_lambda_se, u->lambda_se),
		    words_opt(u->has_sigma_se, u->sigma_se),
		    words_opt(u->has_kappa_se, u->kappa_se) };

		for (size_t k = 0; k < 3; k++) {
			ROW(k == 0 ? "USL p(n)" : "", nm[k]);
			words_sig(t->cell[i][2], WORDS_LEN, v[k], 4);
			if (!isnan(e[k]))
				snprintf(t->cell[i][3], WORDS_LEN,
				    "± %s (stderr)", words_sig(a, sizeof(a), e[k],
				    3));
			if (k == 0)
				words_sig(t->cell[i][4], WORDS_LEN,
				    words_opt(u->has_r2, u->r2), 4);
			i++;
		}
		ROW("", "peak n");
		words_sig(t->cell[i][2], WORDS_LEN, words_opt(u->has_peak,
		    u->peak_n), 4);
		i++;
	} else {
		ROW("USL p(n)", "not fitted");
		i++;
	}
#undef ROW
	t->nrow = i;
}

/* The reasons of the blocks that were not fitted, for under the table. */
static void
unfitted(const struct analysis *doc, struct words *w)
{
	if (all_open(doc) && !doc->skew.fitted && !doc->skew_t.fitted &&
	    !doc->usl.fitted) {
		say(w, "No fit across runs: they are fits of bursts, and every "
		    "run here is open traffic (its spread is how long the "
		    "traffic lasted, not a stagger).");
		return;
	}
	if (!doc->skew.fitted)
		say(w, "spread = a + b n: %s.", doc->skew.reason);
	if (!doc->skew_t.fitted)
		say(w, "spread = a + b n + c T: %s.", doc->skew_t.reason);
	if (!doc->usl.fitted)
		say(w, "USL: %s.", doc->usl.reason);
	for (size_t i = 0; i < doc->skew.notes.n; i++)
		say(w, "spread = a + b n: %s.", doc->skew.notes.s[i]);
	for (size_t i = 0; i < doc->skew_t.notes.n; i++)
		say(w, "spread = a + b n + c T: %s.", doc->skew_t.notes.s[i]);
	for (size_t i = 0; i < doc->usl.notes.n; i++)
		say(w, "USL: %s.", doc->usl.notes.s[i]);
}

/* ---- Verdicts: one line a run, or a group of runs. ---- */

/*
 * A text's template: the text with each number (digits, with a decimal
 * point between digits) taken out, and the numbers.  Two reasons with the
 * same template say the same thing of different numbers ("4 requests of
 * 10 s finished within 0.203 s").  The template is the text skew-fit
 * wrote, compared as it stands, not a new judgement.
 */
#define TMPL_NUMS	16
struct tmpl {
	size_t	nnum;
	struct {
		size_t	at, len;	/* in the text */
		double	v;
	} num[TMPL_NUMS];
};

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
tmpl_of(const char *s, struct tmpl *t)
{
	t->nnum = 0;
	for (size_t i = 0; s[i] != '\0'; i++) {
		size_t j = i;

		if (!digit(s[i]) || (i > 0 && (digit(s[i - 1]) ||
		    s[i - 1] == '.')))
			continue;
		while (digit(s[j]) || (s[j] == '.' && digit(s[j + 1])))
			j++;
		if (t->nnum < TMPL_NUMS) {
			t->num[t->nnum].at = i;
			t->num[t->nnum].len = j - i;
			t->num[t->nnum].v = strtod(s + i, NULL);
		}
		t->nnum++;
		i = j - 1;
	}
}

/* Whether a and b are the same text but for their numbers. */
static int
same_tmpl(const char *a, const char *b)
{
	struct tmpl ta, tb;
	size_t ia = 0, ib = 0;

	tmpl_of(a, &ta);
	tmpl_of(b, &tb);
	if (ta.nnum != tb.nnum || ta.nnum > TMPL_NUMS)
		return 0;
	for (size_t k = 0; k <= ta.nnum; k++) {
		size_t ea = k < ta.nnum ? ta.num[k].at : strlen(a);
		size_t eb = k < tb.nnum ? tb.num[k].at : strlen(b);

		if (ea - ia != eb - ib || memcmp(a + ia, b + ib, ea - ia) != 0)
			return 0;
		if (k < ta.nnum) {
			ia = ea + ta.num[k].len;
			ib = eb + tb.num[k].len;
		}
	}
	return 1;
}

/* Runs a and b say the same: shape, verdict, reason and notes alike but
 * for their numbers. */
static int
same_kind(const struct stats *a, const struct stats *b)
{
	if (a->shape != b->shape || a->verdict != b->verdict ||
	    a->nnotes != b->nnotes ||
	    !same_tmpl(a->reason, b->reason))
		return 0;
	for (size_t k = 0; k < a->nnotes; k++)
		if (!same_tmpl(a->notes[k], b->notes[k]))
			return 0;
	return 1;
}

static int
same_route(const struct analysis *doc, size_t a, size_t b)
{
	const char *ra = route_of(doc, a), *rb = route_of(doc, b);

	return ra == NULL || rb == NULL ? ra == rb : strcmp(ra, rb) == 0;
}

/*
 * The group of each run: head[i] is the index of the first run of its
 * kind, head[i] == i for the first.  Every run is its own group while the
 * document has at most PER_RUN_VERDICTS runs.  Returns NULL when out of
 * memory; the caller frees.
 */
static size_t *
group_runs(const struct analysis *doc)
{
	size_t *head = calloc(doc->nruns, sizeof(*head));
	size_t *heads, nh = 0;

	if (head == NULL)
		return NULL;
	if ((heads = calloc(doc->nruns, sizeof(*heads))) == NULL) {
		free(head);
		return NULL;
	}
	for (size_t i = 0; i < doc->nruns; i++) {
		head[i] = i;
		if (doc->nruns <= PER_RUN_VERDICTS)
			continue;
		for (size_t g = 0; g < nh; g++)
			if (same_kind(&doc->runs[heads[g]], &doc->runs[i]) &&
			    same_route(doc, heads[g], i)) {
				head[i] = heads[g];
				break;
			}
		if (head[i] == i)
			heads[nh++] = i;
	}
	free(heads);
	return head;
}

/*
 * The text of run h's reason (or note, by note: -1 the reason) with each
 * number given as the range it takes over the runs of h's group: "2-9
 * requests in flight".
 */
static void
ranged(const struct analysis *doc, const size_t *head, size_t h, int note,
    char *buf, size_t sz)
{
	const char *s = note < 0 ? doc->runs[h].reason :
	    doc->runs[h].notes[note];
	struct tmpl t;
	size_t len = 0, from = 0;

	tmpl_of(s, &t);
	buf[0] = '\0';
	for (size_t k = 0; k <= t.nnum && k <= TMPL_NUMS && len < sz; k++) {
		size_t end = k < t.nnum ? t.num[k].at : strlen(s);
		double lo, hi;
		const char *ls, *hs;
		int ll, hl;

		len += (size_t)snprintf(buf + len, sz - len, "%.*s",
		    (int)(end - from), s + from);
		if (k == t.nnum || len >= sz)
			break;
		lo = hi = t.num[k].v;
		ls = hs = s + t.num[k].at;
		ll = hl = (int)t.num[k].len;
		for (size_t i = h + 1; i < doc->nruns; i++) {
			const char *o = note < 0 ? doc->runs[i].reason :
			    doc->runs[i].notes[note];
			struct tmpl u;

			if (head[i] != h)
				continue;
			tmpl_of(o, &u);
			if (u.num[k].v < lo) {
				lo = u.num[k].v;
				ls = o + u.num[k].at;
				ll = (int)u.num[k].len;
			}
			if (u.num[k].v > hi) {
				hi = u.num[k].v;
				hs = o + u.num[k].at;
				hl = (int)u.num[k].len;
			}
		}
		if (lo == hi)
			len += (size_t)snprintf(buf + len, sz - len, "%.*s", ll,
			    ls);
		else
			len += (size_t)snprintf(buf + len, sz - len,
			    "%.*s-%.*s", ll, ls, hl, hs);
		from = t.num[k].at + t.num[k].len;
	}
}

/* One line of the verdicts, in plain text, for each format to escape. */
struct vline {
	char		head[160];	/* "run 5", "84 runs (3-86)" */
	enum verdict	verdict;
	char		reason[640];
	char		um[128];
	size_t		nnotes;
	char		notes[STATS_NOTES][640];
};

/* "3-86" or "1, 3, 5-9": the run numbers of h's group, cut at about
 * sz. */
static void
run_list(const struct analysis *doc, const size_t *head, size_t h, char *buf,
    size_t sz)
{
	size_t len = 0, i = h;

	buf[0] = '\0';
	while (i < doc->nruns) {
		size_t j = i, nx;
		unsigned long a = (unsigned long)doc->runs[i].run, b = a;

		/* The next runs of the group, while their numbers follow. */
		for (nx = j + 1; nx < doc->nruns; nx++) {
			if (head[nx] != h)
				continue;
			if ((unsigned long)doc->runs[nx].run != b + 1)
				break;
			b++;
			j = nx;
		}
		if (len + 32 >= sz) {
			snprintf(buf + len, sz - len, ", ...");
			return;
		}
		len += (size_t)snprintf(buf + len, sz - len, "%s%lu", len ?
		    ", " : "", a);
		if (b > a)
			len += (size_t)snprintf(buf + len, sz - len, "-%lu", b);
		for (i = j + 1; i < doc->nruns && head[i] != h; i++)
			;
	}
}

static void
vline_fill(const struct analysis *doc, const size_t *head, size_t h,
    struct vline *v)
{
	const struct stats *r = &doc->runs[h];
	unsigned long long us = 0, ue = 0;
	size_t cnt = 0;
	char runs[120];

	for (size_t i = h; i < doc->nruns; i++)
		if (head[i] == h) {
			cnt++;
			us += doc->runs[i].unmatched_starts;
			ue += doc->runs[i].unmatched_ends;
		}
	v->verdict = r->verdict;
	v->nnotes = r->nnotes;
	v->um[0] = '\0';
	if (cnt == 1) {
		snprintf(v->head, sizeof(v->head), "run %lu%s%.100s",
		    (unsigned long)r->run, route_of(doc, h) ? ", route " : "",
		    route_of(doc, h) ? route_of(doc, h) : "");
		snprintf(v->reason, sizeof(v->reason), "%s", r->reason);
		unmatched(v->um, sizeof(v->um), r);
		for (size_t k = 0; k < r->nnotes; k++)
			snprintf(v->notes[k], sizeof(v->notes[k]), "%s",
			    r->notes[k]);
		return;
	}
	run_list(doc, head, h, runs, sizeof(runs));
	snprintf(v->head, sizeof(v->head), "%zu %s%sruns (%s)%s%.100s", cnt,
	    r->shape != SHAPE_NONE ? stats_shape_name(r->shape) : "",
	    r->shape != SHAPE_NONE ? " " : "", runs, route_of(doc, h) ?
	    ", route " : "", route_of(doc, h) ? route_of(doc, h) : "");
	ranged(doc, head, h, -1, v->reason, sizeof(v->reason));
	if (us > 0 || ue > 0)
		snprintf(v->um, sizeof(v->um), " (unmatched, in all: %llu "
		    "starts, %llu ends)", us, ue);
	for (size_t k = 0; k < r->nnotes; k++)
		ranged(doc, head, h, (int)k, v->notes[k], sizeof(v->notes[k]));
}

/* The verdicts as a list in format to (text, markdown or html), one line
 * a run or a group of runs; colour: ANSI colour for text.  -1 when out of
 * memory. */
static int
verdicts(struct jsonout *w, const struct analysis *doc, enum report_to to,
    int colour)
{
	void (*esc)(struct jsonout *, const char *) = to == REPORT_HTML ?
	    words_xml : to == REPORT_MARKDOWN ? words_md : words_text;
	size_t *head;
	struct vline v;

	if ((head = group_runs(doc)) == NULL)
		return -1;
	for (size_t i = 0; i < doc->nruns; i++) {
		const char *vn;

		if (head[i] != i)
			continue;
		vline_fill(doc, head, i, &v);
		vn = stats_verdict_name(v.verdict);
		jsonout_cstr(w, to == REPORT_HTML ? "<li>" : to ==
		    REPORT_MARKDOWN ? "- " : "  ");
		esc(w, v.head);
		jsonout_cstr(w, ": ");
		if (to == REPORT_HTML) {
			jsonout_cstr(w, "<span class=\"v-");
			esc(w, vn);
			jsonout_cstr(w, "\">");
		} else if (to == REPORT_MARKDOWN)
			jsonout_cstr(w, "**");
		else if (colour)
			jsonout_cstr(w, colour_of(vn));
		esc(w, vn);
		if (to == REPORT_HTML)
			jsonout_cstr(w, "</span>");
		else if (to == REPORT_MARKDOWN)
			jsonout_cstr(w, "**");
		else if (colour)
			jsonout_cstr(w, "\033[0m");
		jsonout_cstr(w, ": ");
		esc(w, v.reason);
		esc(w, v.um);
		for (size_t k = 0; k < v.nnotes; k++) {
			jsonout_cstr(w, to == REPORT_HTML ? "<br/><span "
			    "class=\"note\">note: " : to == REPORT_MARKDOWN ?
			    "; note: " : "\n    note: ");
			esc(w, v.notes[k]);
			if (to == REPORT_HTML)
				jsonout_cstr(w, "</span>");
		}
		jsonout_cstr(w, to == REPORT_HTML ? "</li>\n" : "\n");
	}
	free(head);
	return 0;
}

/* ---- Provenance. ---- */

static void
prov_words(const struct analysis *doc, const struct report_opt *o,
    struct words *w)
{
	char opts[512];
	size_t len = 0;

	opts[0] = '\0';
	for (size_t i = 0; i < o->noptions && len < sizeof(opts); i++)
		len += (size_t)snprintf(opts + len, sizeof(opts) - len, " %s",
		    o->options[i]);
	say(w, "report: skew-report %s%s", SKEW_VERSION, opts);
	for (size_t i = 0; i < o->ninputs; i++)
		say(w, "report input: %s, %llu bytes, sha256 %s",
		    o->inputs[i].name, o->inputs[i].bytes,
		    o->inputs[i].sha256 ? o->inputs[i].sha256 : "-");
	if (!doc->has_prov) {
		say(w, "fit: the document carries no provenance");
		return;
	}
	len = 0;
	opts[0] = '\0';
	for (size_t i = 0; i < doc->prov.noptions && len < sizeof(opts); i++)
		len += (size_t)snprintf(opts + len, sizeof(opts) - len, " %s",
		    doc->prov.options[i]);
	say(w, "fit: skew-fit %s%s", doc->prov.version ? doc->prov.version :
	    "-", len ? opts : " (no options)");
	for (size_t i = 0; i < doc->prov.ninputs; i++) {
		const struct analysis_input *in = &doc->prov.inputs[i];
		char b[4][WORDS_LEN], io[512];
		size_t il = 0;

		/* skew-parse's options, space-separated. */
		io[0] = '\0';
		for (size_t k = 0; k < in->nopts && il < sizeof(io); k++)
			il += (size_t)snprintf(io + il, sizeof(io) - il, "%s%s",
			    k ? " " : "", in->opts[k]);
		say(w, "log: %s%s, %s bytes, %s lines, %s events, %s skipped, "
		    "sha256 %s%s%s", in->src, !in->complete ? " (incomplete: "
		    "its trailer never came; counted from its events)" : "",
		    words_count(b[0], WORDS_LEN, in->bytes),
		    words_count(b[1], WORDS_LEN, in->lines),
		    words_count(b[2], WORDS_LEN, in->events),
		    words_count(b[3], WORDS_LEN, in->skipped),
		    in->sha256 ? in->sha256 : "-",
		    in->has_opts ? ", read with skew-parse " : "",
		    in->has_opts ? io : "");
	}
}

/* ---- The formats. ---- */

static void
heading_text(struct jsonout *w, int colour, const char *s)
{
	jsonout_cstr(w, colour ? "\n\033[1m" : "\n");
	jsonout_cstr(w, s);
	jsonout_cstr(w, colour ? "\033[0m\n" : "\n");
}

static void
lines_text(struct jsonout *w, const struct words *ws, const char *indent)
{
	for (size_t i = 0; i < ws->n; i++) {
		jsonout_cstr(w, indent);
		words_text(w, ws->s[i]);
		jsonout_char(w, '\n');
	}
}

static int
sampled_any(const struct analysis *doc)
{
	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].sampled)
			return 1;
	return 0;
}

static const char sampled_note[] = "* sampled: n was given to skew-fit "
    "(--concurrency); the log holds only some of the run's completions.";

static int
text(struct jsonout *w, const struct analysis *doc, const struct report_opt *o)
{
	struct words ws;
	struct tab t;
	char counts[160];
	int c = o->color;

	verdict_counts(doc, counts, sizeof(counts));
	if (c)
		jsonout_cstr(w, "\033[1m");
	words_printf(w, "skew: %zu %s, %s", doc->nruns,
	    count_word((double)doc->nruns, "run", "runs"), counts);
	jsonout_cstr(w, c ? "\033[0m\n" : "\n");
	ws.n = 0;
	summary(doc, &ws);
	lines_text(w, &ws, "");
	jsonout_char(w, '\n');
	if (tab_new(&t, doc->nruns) == -1)
		return -1;
	runs_table(doc, 0, &t);
	tab_text(w, &t, c, (int)t.ncol - 1);
	free(t.cell);
	if (sampled_any(doc)) {
		words_text(w, sampled_note);
		jsonout_char(w, '\n');
	}
	heading_text(w, c, "Verdicts");
	if (verdicts(w, doc, REPORT_TEXT, c) == -1)
		return -1;
	heading_text(w, c, "Across runs");
	if (tab_new(&t, 12) == -1)
		return -1;
	fits_table(doc, &t);
	tab_text(w, &t, 0, -1);
	free(t.cell);
	ws.n = 0;
	unfitted(doc, &ws);
	lines_text(w, &ws, "");
	heading_text(w, c, "Where the spread comes from");
	ws.n = 0;
	origin(doc, &ws);
	lines_text(w, &ws, "  ");
	heading_text(w, c, "Where the limit is");
	ws.n = 0;
	limit(doc, &ws);
	lines_text(w, &ws, "  ");
	heading_text(w, c, "Provenance");
	ws.n = 0;
	prov_words(doc, o, &ws);
	lines_text(w, &ws, "  ");
	return 0;
}

static void
lines_md(struct jsonout *w, const struct words *ws, const char *bullet)
{
	for (size_t i = 0; i < ws->n; i++) {
		jsonout_cstr(w, bullet);
		words_md(w, ws->s[i]);
		jsonout_char(w, '\n');
	}
}

static int
markdown(struct jsonout *w, const struct analysis *doc, const struct report_opt *o)
{
	struct words ws;
	struct tab t;
	char counts[160];

	verdict_counts(doc, counts, sizeof(counts));
	words_printf(w, "## skew: %zu %s, %s\n\n", doc->nruns,
	    count_word((double)doc->nruns, "run", "runs"), counts);
	ws.n = 0;
	summary(doc, &ws);
	lines_md(w, &ws, "");
	jsonout_char(w, '\n');
	if (tab_new(&t, doc->nruns) == -1)
		return -1;
	runs_table(doc, 1, &t);
	tab_md(w, &t);
	free(t.cell);
	if (sampled_any(doc)) {
		jsonout_char(w, '\n');
		words_md(w, sampled_note);
		jsonout_char(w, '\n');
	}
	jsonout_cstr(w, "\n### Verdicts\n\n");
	if (verdicts(w, doc, REPORT_MARKDOWN, 0) == -1)
		return -1;
	jsonout_cstr(w, "\n### Across runs\n\n");
	if (tab_new(&t, 12) == -1)
		return -1;
	fits_table(doc, &t);
	tab_md(w, &t);
	free(t.cell);
	ws.n = 0;
	unfitted(doc, &ws);
	if (ws.n > 0)
		jsonout_char(w, '\n');
	lines_md(w, &ws, "- ");
	jsonout_cstr(w, "\n### Where the spread comes from\n\n");
	ws.n = 0;
	origin(doc, &ws);
	lines_md(w, &ws, "- ");
	jsonout_cstr(w, "\n### Where the limit is\n\n");
	ws.n = 0;
	limit(doc, &ws);
	lines_md(w, &ws, "- ");
	jsonout_cstr(w, "\n<details><summary>Provenance</summary>\n\n");
	ws.n = 0;
	prov_words(doc, o, &ws);
	lines_md(w, &ws, "- ");
	jsonout_cstr(w, "\n</details>\n");
	return 0;
}

static const char css[] =
    "body{margin:0;background:#f6f7f9;color:#222;font:15px/1.5 "
    "\"DejaVu Sans\",Helvetica,Arial,sans-serif}\n"
    "main{max-width:1100px;margin:0 auto;padding:24px 32px 48px;"
    "background:#fff}\n"
    "h1{font-size:26px;margin:8px 0 4px}\n"
    "h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;"
    "padding-bottom:4px}\n"
    ".lead{font-size:17px;background:#eef5fb;border-left:4px solid "
    "#1f77b4;padding:10px 14px}\n"
    ".sub{color:#555;margin:0}\n"
    "table{border-collapse:collapse;margin:8px 0;font-size:14px}\n"
    "th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #e4e4e4;"
    "white-space:nowrap}\n"
    "th{background:#f0f2f5}\n"
    ".l{text-align:left}\n"
    ".tw{overflow-x:auto}\n"
    ".v-parallel{color:#1a7f37;font-weight:bold}\n"
    ".v-partial{color:#b35900;font-weight:bold}\n"
    ".v-serialized{color:#c62828;font-weight:bold}\n"
    ".v-unknown{color:#777;font-weight:bold}\n"
    ".plots{display:flex;flex-wrap:wrap;gap:16px}\n"
    "figure{margin:0;flex:1 1 500px;max-width:660px}\n"
    "figure svg{width:100%;height:auto;border:1px solid #e4e4e4}\n"
    "figcaption{font-size:13px;color:#555}\n"
    ".note{font-size:13px;color:#555}\n"
    ".prov{font-size:12px;color:#555;word-break:break-all}\n";

static void
para_html(struct jsonout *w, const struct words *ws, const char *tag,
    const char *cls)
{
	for (size_t i = 0; i < ws->n; i++) {
		if (cls != NULL)
			words_printf(w, "<%s class=\"%s\">", tag, cls);
		else
			words_printf(w, "<%s>", tag);
		words_xml(w, ws->s[i]);
		words_printf(w, "</%s>\n", tag);
	}
}

static void
figure(struct jsonout *w, const struct analysis *doc, const char *plot, long run,
    const char *id, const char *caption)
{
	jsonout_cstr(w, "<figure>\n");
	plot_svg(w, doc, plot, run, 0, id);
	plot_close(w);
	jsonout_cstr(w, "<figcaption>");
	words_xml(w, caption);
	jsonout_cstr(w, "</figcaption>\n</figure>\n");
}

static void
per_run_figures(struct jsonout *w, const struct analysis *doc, const char *plot,
    int (*has)(const struct stats *), const char *what)
{
	char id[64], cap[160];
	size_t cnt = 0;

	for (size_t i = 0; i < doc->nruns; i++)
		cnt += has(&doc->runs[i]);
	if (cnt == 0)
		return;
	if (cnt > PER_RUN_PLOTS) {
		snprintf(id, sizeof(id), "%s-all", plot);
		snprintf(cap, sizeof(cap), "%s, %zu runs overlaid (more than "
		    "%d runs: one plot instead of one a run).", what, cnt,
		    PER_RUN_PLOTS);
		figure(w, doc, plot, 0, id, cap);
		return;
	}
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];

		if (!has(r))
			continue;
		/* The index, not the run number, keeps ids unique even if a
		 * document repeats a run number. */
		snprintf(id, sizeof(id), "%s-%zu", plot, i);
		snprintf(cap, sizeof(cap), "%s, run %lu.", what,
		    (unsigned long)r->run);
		figure(w, doc, plot, r->run, id, cap);
	}
}

static int
rank_ok(const struct stats *r)
{
	return r->has_series && r->nrank > 0;
}

static int
inflight_ok(const struct stats *r)
{
	return r->has_series && r->inflight != NULL && r->ninflight > 0;
}

static int
by_inflight_ok(const struct stats *r)
{
	return r->has_by_inflight && r->nby_inflight > 0;
}

static int
html(struct jsonout *w, const struct analysis *doc, const struct report_opt *o)
{
	struct words ws;
	struct tab t;
	char counts[160];
	size_t noseries = 0, spreads = 0;

	verdict_counts(doc, counts, sizeof(counts));
	jsonout_cstr(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\"/>\n"
	    "<title>skew report</title>\n<style>\n");
	jsonout_cstr(w, css);
	jsonout_cstr(w, "</style>\n</head>\n<body>\n<main>\n<h1>skew report</h1>\n");
	words_printf(w, "<p class=\"sub\">%zu %s: ", doc->nruns,
	    count_word((double)doc->nruns, "run", "runs"));
	words_xml(w, counts);
	jsonout_cstr(w, "</p>\n");
	ws.n = 0;
	summary(doc, &ws);
	para_html(w, &ws, "p", "lead");
	jsonout_cstr(w, "<h2>Runs</h2>\n");
	if (tab_new(&t, doc->nruns) == -1)
		return -1;
	runs_table(doc, 1, &t);
	tab_html(w, &t, (int)t.ncol - 1);
	free(t.cell);
	if (sampled_any(doc)) {
		jsonout_cstr(w, "<p class=\"note\">");
		words_xml(w, sampled_note);
		jsonout_cstr(w, "</p>\n");
	}
	jsonout_cstr(w, "<h2>Verdicts</h2>\n<ul>\n");
	if (verdicts(w, doc, REPORT_HTML, 0) == -1)
		return -1;
	jsonout_cstr(w, "</ul>\n<h2>Where the spread comes from</h2>\n");
	ws.n = 0;
	origin(doc, &ws);
	para_html(w, &ws, "p", NULL);
	jsonout_cstr(w, "<h2>Where the limit is</h2>\n");
	ws.n = 0;
	limit(doc, &ws);
	para_html(w, &ws, "p", NULL);
	jsonout_cstr(w, "<h2>Across runs</h2>\n");
	if (tab_new(&t, 12) == -1)
		return -1;
	fits_table(doc, &t);
	tab_html(w, &t, -1);
	free(t.cell);
	ws.n = 0;
	unfitted(doc, &ws);
	para_html(w, &ws, "p", "note");
	jsonout_cstr(w, "<h2>Plots</h2>\n<div class=\"plots\">\n");
	/* Open runs have no spread: a page of open traffic only would get
	 * an empty plot. */
	for (size_t i = 0; i < doc->nruns; i++)
		spreads += doc->runs[i].has_spread;
	if (spreads > 0 || !open_any(doc))
		figure(w, doc, "spread", 0, "spread", "Completion spread "
		    "against concurrency, one point a run, with the fitted "
		    "line.");
	if (doc->usl.fitted)
		figure(w, doc, "usl", 0, "usl", "Parallelism against "
		    "concurrency with the fitted Universal Scalability Law.");
	per_run_figures(w, doc, "rank", rank_ok, "Completion time against "
	    "rank");
	per_run_figures(w, doc, "inflight", inflight_ok, "Requests in flight");
	per_run_figures(w, doc, "latency-inflight", by_inflight_ok, "Latency "
	    "against the number of requests in flight at arrival (open "
	    "traffic)");
	if (plot_check(doc, "throughput", 0, NULL) == 0)
		figure(w, doc, "throughput", 0, "throughput", "Throughput "
		    "against concurrency, one point a window of the whole "
		    "input, with the Universal Scalability Law fitted to "
		    "them.");
	jsonout_cstr(w, "</div>\n");
	for (size_t i = 0; i < doc->nruns; i++)
		noseries += !doc->runs[i].has_series;
	if (noseries > 0)
		words_printf(w, "<p class=\"note\">%zu %s no series (skew-fit "
		    "--no-series): no rank plot for %s.</p>\n", noseries,
		    noseries == 1 ? "run has" : "runs have",
		    noseries == 1 ? "it" : "them");
	if (!doc->usl.fitted) {
		jsonout_cstr(w, "<p class=\"note\">No USL plot: ");
		words_xml(w, doc->usl.reason);
		jsonout_cstr(w, ".</p>\n");
	}
	jsonout_cstr(w, "<h2>Provenance</h2>\n<ul class=\"prov\">\n");
	ws.n = 0;
	prov_words(doc, o, &ws);
	para_html(w, &ws, "li", NULL);
	jsonout_cstr(w, "</ul>\n</main>\n</body>\n</html>\n");
	return 0;
}

static void
svg(struct jsonout *w, const struct analysis *doc, const struct report_opt *o)
{
	struct words ws;

	plot_svg(w, doc, o->plot, o->run, 1, o->plot ? o->plot : "spread");
	/* Provenance as metadata: an XML comment could not hold the "--" of
	 * the options. */
	ws.n = 0;
	prov_words(doc, o, &ws);
	jsonout_cstr(w, "<metadata>\n");
	for (size_t i = 0; i < ws.n; i++) {
		words_xml(w, ws.s[i]);
		jsonout_char(w, '\n');
	}
	jsonout_cstr(w, "</metadata>\n");
	plot_close(w);
}

int
report_render(const struct analysis *doc, const struct report_opt *o,
    struct jsonout *out, struct diag *d)
{
	int rc = 0;

	if (doc->nruns == 0)
		return diag_set(d, DIAG_DATA, "no runs to report");
	if (o->to == REPORT_SVG && plot_check(doc, o->plot, o->run, d) == -1)
		return -1;
	switch (o->to) {
	case REPORT_TEXT:
		rc = text(out, doc, o);
		break;
	case REPORT_MARKDOWN:
		rc = markdown(out, doc, o);
		break;
	case REPORT_HTML:
		rc = html(out, doc, o);
		break;
	case REPORT_SVG:
		svg(out, doc, o);
		break;
	default:
		rc = diag_set(d, DIAG_USAGE, "unknown output format %d",
		    (int)o->to);
	}
	if (rc == -1 && d != NULL && d->code == DIAG_OK)
		diag_set(d, DIAG_NOMEM, "out of memory");
	return rc;
}
