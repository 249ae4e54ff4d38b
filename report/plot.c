#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"
#include "words.h"

/* Tableau's ten colours: distinct for most colour-blind readers too. */
static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
};

#define W	640.0
#define H	380.0
#define ML	76.0	/* room for the y tick labels and the y label */
#define MR	24.0
#define MT	48.0	/* the title and a note */
#define MB	56.0	/* the x tick labels and the x label */
#define LEGEND_MAX 10	/* past this, the legend says "+ k more runs" */
#define POINTS_MAX 100	/* past this many points, a run is a line */

const char *
plot_colour(size_t k)
{
	return palette[k % (sizeof(palette) / sizeof(palette[0]))];
}

struct frame {
	struct words_ticks	 xt, yt;
	const char	*id;
};

static double
px(const struct frame *f, double x)
{
	return ML + (x - f->xt.lo) / (f->xt.hi - f->xt.lo) * (W - ML - MR);
}

static double
py(const struct frame *f, double y)
{
	return H - MB - (y - f->yt.lo) / (f->yt.hi - f->yt.lo) * (H - MT - MB);
}

/* Legend entries are collected first and drawn last, on top. */
enum mark { MARK_POINT, MARK_LINE, MARK_DASH, MARK_BAND };
struct legend {
	size_t		 n;
	struct {
		enum mark	 mark;
		const char	*colour;
		char		 label[80];
	} e[LEGEND_MAX + 4];
};

static void
legend_add(struct legend *l, enum mark m, const char *colour,
    const char *label)
{
	if (l->n >= sizeof(l->e) / sizeof(l->e[0]))
		return;
	l->e[l->n].mark = m;
	l->e[l->n].colour = colour;
	snprintf(l->e[l->n].label, sizeof(l->e[0].label), "%s", label);
	l->n++;
}

/* A run drawn as a line, named while the legend has room. */
static void
legend_run(struct legend *l, size_t drawn, const char *colour,
    const struct stats *r)
{
	char label[80];

	if (drawn >= LEGEND_MAX)
		return;
	snprintf(label, sizeof(label), "run %lu: n = %zu",
	    (unsigned long)r->run, r->n);
	legend_add(l, MARK_LINE, colour, label);
}

/* The runs drawn past the legend's room, counted, not hidden. */
static void
legend_more(struct legend *l, size_t drawn)
{
	char label[80];

	if (drawn <= LEGEND_MAX)
		return;
	snprintf(label, sizeof(label), "+ %zu more runs", drawn - LEGEND_MAX);
	legend_add(l, MARK_LINE, "#ffffff", label);
}

/* Where the legend goes: the corner the data leave empty. */
enum corner { TOP_LEFT, TOP_RIGHT, BOTTOM_RIGHT };

static void
legend_draw(struct jsonout *w, const struct legend *l, enum corner at)
{
	size_t wid = 0;
	double x, y, bw, bh;

	if (l->n == 0)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (words_width(l->e[i].label) > wid)
			wid = words_width(l->e[i].label);
	/* About 6.5 px a character at 11 px sans-serif. */
	bw = 34 + 6.5 * (double)wid;
	bh = 8 + 16 * (double)l->n;
	x = at == TOP_LEFT ? ML + 6 : W - MR - bw - 6;
	y = at == BOTTOM_RIGHT ? H - MB - bh - 6 : MT + 6;
	words_printf(w, "<g font-size=\"11\"><rect x=\"%.1f\" y=\"%.1f\" "
	    "width=\"%.1f\" height=\"%.1f\" fill=\"#ffffff\" "
	    "fill-opacity=\"0.9\" stroke=\"#cccccc\"/>\n", x, y, bw, bh);
	for (size_t i = 0; i < l->n; i++) {
		double cy = y + 12 + 16 * (double)i;
		const char *c = l->e[i].colour;

		switch (l->e[i].mark) {
		case MARK_POINT:
			words_printf(w, "<circle cx=\"%.1f\" cy=\"%.1f\" "
			    "r=\"3\" fill=\"%s\"/>", x + 14, cy, c);
			break;
		case MARK_LINE:
		case MARK_DASH:
			words_printf(w, "<line x1=\"%.1f\" y1=\"%.1f\" "
			    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			    "stroke-width=\"2\"%s/>", x + 5, cy, x + 23, cy, c,
			    l->e[i].mark == MARK_DASH ?
			    " stroke-dasharray=\"5 3\"" : "");
			break;
		case MARK_BAND:
			words_printf(w, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"18\" height=\"8\" fill=\"%s\" "
			    "fill-opacity=\"0.2\"/>",
			    x + 5, cy - 4, c);
			break;
		}
		words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#222222\">",
		    x + 29, cy + 4);
		words_xml(w, l->e[i].label);
		jsonout_cstr(w, "</text>\n");
	}
	jsonout_cstr(w, "</g>\n");
}

/* The opening: svg element, accessible title and description, background,
 * heading and an optional note under it. */
static void
open_svg(struct jsonout *w, const char *id, int standalone, const char *title,
    const char *desc, const char *note)
{
	words_printf(w, "<svg%s width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 "
	    "%.0f %.0f\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
	    "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
	    "font-size=\"12\">\n",
	    standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "",
	    W, H, W, H, id, id);
	words_printf(w, "<title id=\"%s-title\">", id);
	words_xml(w, title);
	words_printf(w, "</title>\n<desc id=\"%s-desc\">", id);
	words_xml(w, desc);
	jsonout_cstr(w, "</desc>\n");
	words_printf(w, "<rect width=\"%.0f\" height=\"%.0f\" "
	    "fill=\"#ffffff\"/>\n", W, H);
	words_printf(w, "<text x=\"%.1f\" y=\"20\" font-size=\"14\" "
	    "font-weight=\"bold\" fill=\"#222222\">", ML);
	words_xml(w, title);
	jsonout_cstr(w, "</text>\n");
	if (note != NULL && *note != '\0') {
		words_printf(w, "<text x=\"%.1f\" y=\"37\" font-size=\"11\" "
		    "fill=\"#a33a00\">", ML);
		words_xml(w, note);
		jsonout_cstr(w, "</text>\n");
	}
}

/* Grid, ticks, axes and their labels; then the clipped plotting area
 * begins (closed by end_area()). */
static void
axes(struct jsonout *w, const struct frame *f, const char *xlabel,
    const char *ylabel)
{
	char b[WORDS_LEN];

	jsonout_cstr(w, "<g stroke=\"#e6e6e6\" stroke-width=\"1\">\n");
	for (int k = 0; k < f->xt.n; k++) {
		double x = px(f, f->xt.lo + k * f->xt.step);

		words_printf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", x, MT, x, H - MB);
	}
	for (int k = 0; k < f->yt.n; k++) {
		double y = py(f, f->yt.lo + k * f->yt.step);

		words_printf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", ML, y, W - MR, y);
	}
	jsonout_cstr(w, "</g>\n<g fill=\"#444444\" font-size=\"11\">\n");
	for (int k = 0; k < f->xt.n; k++)
		words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">%s</text>\n",
		    px(f, f->xt.lo + k * f->xt.step), H - MB + 16,
		    words_tick(b, sizeof(b), &f->xt, k));
	for (int k = 0; k < f->yt.n; k++)
		words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>\n", ML - 6,
		    py(f, f->yt.lo + k * f->yt.step) + 4,
		    words_tick(b, sizeof(b), &f->yt, k));
	jsonout_cstr(w, "</g>\n");
	words_printf(w, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" "
	    "stroke=\"#333333\"/>\n", ML, MT, H - MB, W - MR);
	words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "fill=\"#222222\">", ML + (W - ML - MR) / 2, H - 14);
	words_xml(w, xlabel);
	words_printf(w, "</text>\n<text transform=\"rotate(-90)\" x=\"%.1f\" "
	    "y=\"18\" text-anchor=\"middle\" fill=\"#222222\">",
	    -(MT + (H - MT - MB) / 2));
	words_xml(w, ylabel);
	jsonout_cstr(w, "</text>\n");
	/* The clip reaches a point's radius past the axes, so that points
	 * on the edge of the domain are drawn whole. */
	words_printf(w, "<clipPath id=\"%s-clip\"><rect x=\"%.1f\" y=\"%.1f\" "
	    "width=\"%.1f\" height=\"%.1f\"/></clipPath>\n<g clip-path="
	    "\"url(#%s-clip)\">\n", f->id, ML - 5, MT - 5, W - ML - MR + 10,
	    H - MT - MB + 10, f->id);
}

static void
end_area(struct jsonout *w)
{
	jsonout_cstr(w, "</g>\n");
}

static void
point(struct jsonout *w, const struct frame *f, double x, double y, double r,
    const char *c)
{
	words_printf(w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
	    "fill=\"%s\"/>\n", px(f, x), py(f, y), r, c);
}

static void
segment(struct jsonout *w, const struct frame *f, double x1, double y1, double x2,
    double y2, const char *c, int dash)
{
	words_printf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"%s\"%s/>\n", px(f, x1), py(f, y1),
	    px(f, x2), py(f, y2), c, dash ? "1.5" : "2",
	    dash ? " stroke-dasharray=\"6 4\"" : "");
}

/* Runs drawn: all, or the one asked for. */
static int
chosen(const struct stats *r, long run)
{
	return run == 0 || r->run == run;
}

static int
has_rank(const struct stats *r)
{
	return r->has_series && r->nrank > 0;
}

static int
has_inflight(const struct stats *r)
{
	return r->has_series && r->inflight != NULL && r->ninflight > 0;
}

static int
has_by_inflight(const struct stats *r)
{
	return r->has_by_inflight && r->nby_inflight > 0;
}

int
plot_check(const struct analysis *doc, const char *plot, long run,
    struct diag *d)
{
	const struct stats *r = NULL;
	int (*has)(const struct stats *) = NULL;
	const char *what = NULL, *why = NULL;

	if (plot == NULL)
		plot = "spread";
	if (run != 0 && (r = analysis_run(doc, run)) == NULL)
		return diag_set(d, DIAG_USAGE, "--run %ld: the document has "
		    "no run %ld", run, run);
	if (strcmp(plot, "spread") == 0)
		return 0;
	if (strcmp(plot, "usl") == 0) {
		if (!doc->usl.fitted)
			return diag_set(d, DIAG_USAGE, "--plot usl: the USL "
			    "was not fitted: %s", doc->usl.reason);
		return 0;
	}
	if (strcmp(plot, "throughput") == 0) {
		if (!doc->traffic.fitted)
			return diag_set(d, DIAG_USAGE, "--plot throughput: the "
			    "traffic was not measured: %s", doc->traffic.reason);
		if (!doc->traffic.has_series || doc->traffic.nseries == 0)
			return diag_set(d, DIAG_USAGE, "--plot throughput: the "
			    "traffic block has no series (the fit was made with "
			    "--no-series)");
		return 0;
	}
	if (strcmp(plot, "rank") == 0) {
		has = has_rank;
		what = "rank series";
		why = "the fit was made with --no-series";
	} else if (strcmp(plot, "inflight") == 0) {
		has = has_inflight;
		what = "in-flight series";
		why = "start times were not known";
	} else if (strcmp(plot, "latency-inflight") == 0) {
		has = has_by_inflight;
		what = "latency by requests in flight";
		why = "it is measured on open traffic with start times";
	} else
		return diag_set(d, DIAG_USAGE, "--plot %s: expected rank, "
		    "spread, inflight, usl, latency-inflight or throughput",
		    plot);
	if (r != NULL) {
		if (!has(r))
			return diag_set(d, DIAG_USAGE, "--plot %s: no %s in "
			    "run %ld (%s)", plot, what, run, why);
		return 0;
	}
	for (size_t i = 0; i < doc->nruns; i++)
		if (has(&doc->runs[i]))
			return 0;
	/* No series at all says why better than the missing starts. */
	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].has_series)
			return diag_set(d, DIAG_USAGE, "--plot %s: no %s in any "
			    "run (%s)", plot, what, why);
	return diag_set(d, DIAG_USAGE, "--plot %s: no %s in any run (the fit "
	    "was made with --no-series)", plot, what);
}

/* The fitted stagger line of a run at rank x.  Least squares passes
 * through the centroid of the points, which the series gives.  (A sampled
 * run has no line: its points are not at the run's ranks.) */
static double
stagger_at(const struct stats *r, double x, double cx, double cy)
{
	return cy + r->stagger.b * (x - cx);
}

/*
 * Append to desc (dl bytes used) one sentence a run drawn, by one(), while
 * there is room; the rest are counted, not hidden.
 */
static void
desc_runs(char *desc, size_t sz, size_t dl, const struct analysis *doc,
    long run, int (*has)(const struct stats *),
    void (*one)(char *, size_t, const struct stats *))
{
	size_t total = 0, k = 0;

	for (size_t i = 0; i < doc->nruns; i++)
		total += chosen(&doc->runs[i], run) && has(&doc->runs[i]);
	for (size_t i = 0; i < doc->nruns && dl < sz; i++) {
		const struct stats *r = &doc->runs[i];

		if (!chosen(r, run) || !has(r))
			continue;
		if (dl > sz - 200) {
			snprintf(desc + dl, sz - dl, " And %zu more runs.",
			    total - k);
			return;
		}
		one(desc + dl, sz - dl, r);
		dl += strlen(desc + dl);
		k++;
	}
}

static void
rank_desc(char *buf, size_t sz, const struct stats *r)
{
	char b1[WORDS_LEN], b2[WORDS_LEN];

	snprintf(buf, sz, " Run %lu: %zu requests over %s, %s per request.",
	    (unsigned long)r->run, r->n, words_dur(b1, sizeof(b1),
	    words_opt(r->has_spread, r->spread)), words_dur(b2, sizeof(b2),
	    words_opt(r->stagger.ok, r->stagger.b)));
}

static void
by_inflight_desc(char *buf, size_t sz, const struct stats *r)
{
	char b1[WORDS_LEN];

	snprintf(buf, sz, " Run %lu: %zu counts, up to %zu in flight, median "
	    "latency at none in flight %s.", (unsigned long)r->run,
	    r->nby_inflight, r->by_inflight[r->nby_inflight - 1].inflight,
	    words_dur(b1, sizeof(b1), r->by_inflight[0].p50));
}

static void
rank_plot(struct jsonout *w, const struct analysis *doc, long run, int standalone,
    const char *id)
{
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char title[96], desc[1024], note[160];
	char label[80], yl[64];
	double xmax = 0, ymax = 0, ymin = 0, m;
	size_t drawn = 0, total = 0, dl = 0, lines = 0;
	int thinned = 0, sampled = 0, big;
	const char *u;

	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];

		if (!chosen(r, run) || !has_rank(r))
			continue;
		total++;
		thinned |= r->thinned;
		sampled |= r->sampled;
		for (size_t k = 0; k < r->nrank; k++) {
			xmax = fmax(xmax, r->rank[k].x);
			ymax = fmax(ymax, r->rank[k].y);
			ymin = fmin(ymin, r->rank[k].y);
		}
	}
	u = words_unit(fmax(ymax, -ymin), &m);
	words_ticks(0, xmax, 8, &f.xt);
	words_ticks(ymin * m, ymax * m, 6, &f.yt);
	if (run != 0)
		snprintf(title, sizeof(title), "Completion time against rank, "
		    "run %ld", run);
	else
		snprintf(title, sizeof(title), "Completion time against rank%s",
		    total > 1 ? ", all runs" : "");
	dl = (size_t)snprintf(desc, sizeof(desc), "Each point is one request: "
	    "its completion time after the run's first completion, against "
	    "its rank by completion time; dashed lines are the fitted "
	    "stagger.");
	note[0] = '\0';
	if (thinned)
		snprintf(note, sizeof(note), "Points were downsampled (at most "
		    "512 a run): every point drawn is a real completion.");
	else if (sampled)
		snprintf(note, sizeof(note), "A sampled run's points stand at "
		    "their rank among the lines seen: its true ranks, and so "
		    "its stagger line, are not known.");
	desc_runs(desc, sizeof(desc), dl, doc, run, has_rank, rank_desc);
	open_svg(w, id, standalone, title, desc, note);
	snprintf(yl, sizeof(yl), "completion time after the first (%s)", u);
	axes(w, &f, "rank by completion time", yl);
	big = total > 12;
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];
		const char *c = plot_colour(drawn);
		double cx = 0, cy = 0, rmax = 0;

		if (!chosen(r, run) || !has_rank(r))
			continue;
		for (size_t k = 0; k < r->nrank; k++) {
			cx += r->rank[k].x;
			cy += r->rank[k].y;
			rmax = fmax(rmax, r->rank[k].x);
		}
		cx /= (double)r->nrank;
		cy /= (double)r->nrank;
		if (r->nrank > POINTS_MAX || big) {
			jsonout_cstr(w, "<polyline fill=\"none\" "
			    "stroke-width=\"1.5\" stroke=\"");
			jsonout_cstr(w, c);
			jsonout_cstr(w, "\" points=\"");
			for (size_t k = 0; k < r->nrank; k++)
				words_printf(w, "%s%.1f,%.1f", k ? " " : "",
				    px(&f, r->rank[k].x),
				    py(&f, r->rank[k].y * m));
			jsonout_cstr(w, "\"/>\n");
		} else
			for (size_t k = 0; k < r->nrank; k++)
				point(w, &f, r->rank[k].x, r->rank[k].y * m,
				    2.5, c);
		/* A sample's points are not at their run's ranks: a line of
		 * spread / (n - 1) per rank drawn over them would mislead. */
		if (r->stagger.ok && !r->sampled) {
			segment(w, &f, 0, stagger_at(r, 0, cx, cy) * m, rmax,
			    stagger_at(r, rmax, cx, cy) * m, c, 1);
			lines++;
		}
		if (drawn < LEGEND_MAX) {
			snprintf(label, sizeof(label), "run %lu: n = %zu%s",
			    (unsigned long)r->run, r->n, r->sampled ?
			    " (sampled)" : "");
			legend_add(&l, r->nrank > POINTS_MAX || big ?
			    MARK_LINE : MARK_POINT, c, label);
		}
		drawn++;
	}
	end_area(w);
	legend_more(&l, drawn);
	if (lines > 0)
		legend_add(&l, MARK_DASH, "#555555", "fitted stagger");
	legend_draw(w, &l, TOP_LEFT);
}

/* Sxx, mean and count of the runs' concurrencies: what the confidence band
 * of the line needs besides b's standard error. */
static void
nstats(const struct analysis *doc, double *sxx, double *mean, double *cnt)
{
	double s = 0, q = 0;

	for (size_t i = 0; i < doc->nruns; i++)
		s += doc->runs[i].n;
	*cnt = (double)doc->nruns;
	*mean = s / *cnt;
	for (size_t i = 0; i < doc->nruns; i++)
		q += (doc->runs[i].n - *mean) * (doc->runs[i].n - *mean);
	*sxx = q;
}

/*
 * The half-width of the 95 % band of the fitted line at n.  With b's
 * standard error se and its interval [lo, hi], the t quantile is
 * (hi - b) / se, the residual variance se^2 Sxx, so the band of the mean
 * response is t se sqrt(Sxx / N + (n - mean)^2).  With the interval but no
 * standard error, only the slope's part: (hi - lo) / 2 |n - mean|.
 * NAN when there is no interval (two runs).
 */
double
plot_band(const struct analysis *doc, double n)
{
	const struct analysis_skew *s = &doc->skew;
	double sxx, mean, cnt, t;

	if (!s->fitted || !s->has_ci)
		return NAN;
	nstats(doc, &sxx, &mean, &cnt);
	if (s->has_b_se && s->b_se > 0) {
		t = (s->ci_hi - s->b) / s->b_se;
		return t * s->b_se * sqrt(sxx / cnt + (n - mean) *
		    (n - mean));
	}
	return (s->ci_hi - s->ci_lo) / 2 * fabs(n - mean);
}

int
plot_flat(const struct analysis_skew *s)
{
	return s->fitted && s->has_ci && s->ci_lo <= 0 && s->ci_hi >= 0;
}

double
plot_reach(const struct analysis_skew *s)
{
	if (!s->fitted || !s->has_reach || plot_flat(s) || s->n_reach < 1)
		return NAN;
	return s->n_reach;
}

static double
tmin(const struct analysis *doc)
{
	double t = NAN;

	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].has_T && doc->runs[i].T > 0 &&
		    (isnan(t) || doc->runs[i].T < t))
			t = doc->runs[i].T;
	return t;
}

static void
spread_plot(struct jsonout *w, const struct analysis *doc, int standalone,
    const char *id)
{
	const struct analysis_skew *s = &doc->skew;
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char desc[512], note[320], b1[WORDS_LEN], b2[WORDS_LEN], b3[WORDS_LEN];
	char yl[64], label[80];
	double nmax = 0, ymax = 0, ymin = 0, xend, m, tm = tmin(doc);
	double reach = plot_reach(s);
	int show_t = 0, has_band;
	const char *u;

	for (size_t i = 0; i < doc->nruns; i++) {
		nmax = fmax(nmax, doc->runs[i].n);
		if (!doc->runs[i].has_spread)
			continue;
		ymax = fmax(ymax, doc->runs[i].spread);
		ymin = fmin(ymin, doc->runs[i].spread);
	}
	xend = nmax;
	/* Show where the line meets the service time when that is near. */
	if (!isnan(reach) && reach > nmax && reach <= 1.5 * nmax)
		xend = reach;
	/* The line may dip below zero near n = 0 (a small negative a);
	 * the axis follows the data, and the line is clipped. */
	if (s->fitted)
		ymax = fmax(ymax, s->a + s->b * xend);
	if (!isnan(tm) && tm <= 1.6 * ymax && tm > 0) {
		show_t = 1;
		ymax = fmax(ymax, tm);
	}
	u = words_unit(fmax(ymax, -ymin), &m);
	words_ticks(0, xend, 8, &f.xt);
	words_ticks(ymin * m, ymax * 1.05 * m, 6, &f.yt);
	has_band = s->fitted && !isnan(plot_band(doc, 0));
	if (s->fitted)
		snprintf(desc, sizeof(desc), "Each point is one run: the "
		    "spread between its first and last completion against its "
		    "number of requests n. Fitted line: spread = %s + %s n "
		    "(r2 %s)%s.",
		    words_dur(b1, sizeof(b1), s->a), words_dur(b2, sizeof(b2),
		    s->b), words_sig(b3, sizeof(b3),
		    words_opt(s->has_r2, s->r2), 4), has_band ?
		    ", with its 95 % confidence band" : "");
	else
		snprintf(desc, sizeof(desc), "Each point is one run: the "
		    "spread between its first and last completion against its "
		    "number of requests n. No line: %s.", s->reason);
	note[0] = '\0';
	if (!s->fitted)
		snprintf(note, sizeof(note), "No fit: %s", s->reason);
	else if (!has_band)
		snprintf(note, sizeof(note), "No interval for the line%s%s",
		    s->notes.n > 0 ? ": " : "", s->notes.n > 0 ?
		    s->notes.s[0] : "");
	open_svg(w, id, standalone, "Completion spread against concurrency",
	    desc, note);
	snprintf(yl, sizeof(yl), "completion spread (%s)", u);
	axes(w, &f, "concurrency n (requests in the run)", yl);
	if (has_band) {
		jsonout_cstr(w, "<path fill=\"#1f77b4\" fill-opacity=\"0.18\" "
		    "stroke=\"none\" d=\"");
		for (int k = 0; k <= 40; k++) {
			double x = f.xt.lo + (f.xt.hi - f.xt.lo) * k / 40;

			words_printf(w, "%s%.1f %.1f", k ? "L" : "M", px(&f, x),
			    py(&f, (s->a + s->b * x + plot_band(doc, x)) * m));
		}
		for (int k = 40; k >= 0; k--) {
			double x = f.xt.lo + (f.xt.hi - f.xt.lo) * k / 40;

			words_printf(w, "L%.1f %.1f", px(&f, x),
			    py(&f, (s->a + s->b * x - plot_band(doc, x)) * m));
		}
		jsonout_cstr(w, "Z\"/>\n");
	}
	if (show_t) {
		segment(w, &f, f.xt.lo, tm * m, f.xt.hi, tm * m, "#888888", 1);
		words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"middle\" fill=\"#555555\">shortest service "
		    "time, %s</text>\n", ML + (W - ML - MR) / 2,
		    py(&f, tm * m) - 5, words_dur(b1, sizeof(b1), tm));
	}
	if (s->fitted) {
		segment(w, &f, f.xt.lo, (s->a + s->b * f.xt.lo) * m, f.xt.hi,
		    (s->a + s->b * f.xt.hi) * m, "#1f77b4", 0);
		if (show_t && !isnan(reach) && reach >= f.xt.lo &&
		    reach <= f.xt.hi) {
			point(w, &f, reach, tm * m, 4, "#d62728");
			words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" "
			    "font-size=\"11\" text-anchor=\"end\" "
			    "fill=\"#d62728\">n = %s</text>\n",
			    px(&f, reach) - 6, py(&f, tm * m) + 16,
			    words_sig(b1, sizeof(b1), reach, 3));
		}
	}
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];
		size_t same = 0;

		/* A run with no spread (arrivals only, or one completion
		 * seen of a sampled run) has no point to draw. */
		if (!r->has_spread)
			continue;
		words_printf(w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
		    "fill=\"#ff7f0e\" stroke=\"#ffffff\"/>\n", px(&f, r->n),
		    py(&f, r->spread * m));
		/* Runs of the same n would print their numbers on top of
		 * each other: each later one goes a line lower. */
		for (size_t k = 0; k < i; k++)
			same += doc->runs[k].n == r->n;
		if (doc->nruns <= 20)
			words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" "
			    "font-size=\"10\" fill=\"#555555\">%lu</text>\n",
			    px(&f, r->n) + 6, py(&f, r->spread * m) - 6 +
			    12 * (double)same, (unsigned long)r->run);
	}
	end_area(w);
	legend_add(&l, MARK_POINT, "#ff7f0e", doc->nruns <= 20 ?
	    "a run (labelled with its number)" : "a run");
	if (s->fitted) {
		snprintf(label, sizeof(label), "spread = a + b n, b = %s",
		    words_dur(b1, sizeof(b1), s->b));
		legend_add(&l, MARK_LINE, "#1f77b4", label);
	}
	if (has_band)
		legend_add(&l, MARK_BAND, "#1f77b4", "95 % confidence band");
	if (show_t)
		legend_add(&l, MARK_DASH, "#888888", "shortest service time");
	legend_draw(w, &l, TOP_LEFT);
}

static void
inflight_plot(struct jsonout *w, const struct analysis *doc, long run,
    int standalone,
    const char *id)
{
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char title[96], desc[512], note[160], xl[80];
	double xmin = 0, xmax = 0, ymax = 0, m;
	size_t drawn = 0;
	int thinned = 0;
	const char *u;

	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];

		if (!chosen(r, run) || !has_inflight(r))
			continue;
		thinned |= r->thinned;
		for (size_t k = 0; k < r->ninflight; k++) {
			xmin = fmin(xmin, r->inflight[k].x);
			xmax = fmax(xmax, r->inflight[k].x);
			ymax = fmax(ymax, r->inflight[k].y);
		}
	}
	u = words_unit(fmax(xmax, -xmin), &m);
	words_ticks(xmin * m, xmax * m, 8, &f.xt);
	words_ticks(0, ymax * 1.05, 6, &f.yt);
	if (run != 0)
		snprintf(title, sizeof(title), "Requests in flight, run %ld",
		    run);
	else
		snprintf(title, sizeof(title), "Requests in flight");
	snprintf(desc, sizeof(desc), "The number of requests started and not "
	    "yet completed, over time, relative to each run's first "
	    "completion; at most %.0f at once.", ymax);
	note[0] = '\0';
	if (thinned)
		snprintf(note, sizeof(note), "Steps were downsampled (at most "
		    "512 a run).");
	open_svg(w, id, standalone, title, desc, note);
	snprintf(xl, sizeof(xl), "time since the run's first completion (%s)",
	    u);
	axes(w, &f, xl, "requests in flight");
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];
		const char *c = plot_colour(drawn);

		if (!chosen(r, run) || !has_inflight(r))
			continue;
		/* A step function: the count holds until the next event. */
		words_printf(w, "<path fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\" d=\"M%.1f %.1fV%.1f", c,
		    px(&f, r->inflight[0].x * m), py(&f, 0),
		    py(&f, r->inflight[0].y));
		for (size_t k = 1; k < r->ninflight; k++)
			words_printf(w, "H%.1fV%.1f", px(&f, r->inflight[k].x *
			    m), py(&f, r->inflight[k].y));
		jsonout_cstr(w, "\"/>\n");
		legend_run(&l, drawn++, c, r);
	}
	end_area(w);
	legend_more(&l, drawn);
	legend_draw(w, &l, TOP_RIGHT);
}

static double
usl_at(const struct analysis_usl *u, double n)
{
	double den = 1 + u->sigma * (n - 1) + u->kappa * n * (n - 1);

	return den > 0 ? u->lambda * n / den : NAN;
}

static void
usl_plot(struct jsonout *w, const struct analysis *doc, int standalone,
    const char *id)
{
	const struct analysis_usl *u = &doc->usl;
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char desc[512], b1[WORDS_LEN], b2[WORDS_LEN], b3[WORDS_LEN];
	char b4[WORDS_LEN], label[80], note[160];
	double nmax = 1, ymax = 0, xend, v;
	int pen = 0, show_peak;

	for (size_t i = 0; i < doc->nruns; i++) {
		nmax = fmax(nmax, doc->runs[i].n);
		if (doc->runs[i].has_parallelism)
			ymax = fmax(ymax, doc->runs[i].parallelism);
	}
	nmax = fmax(nmax, u->max_measured_n);
	xend = nmax * 1.1;
	show_peak = u->has_peak && u->peak_n > 0 &&
	    u->peak_n <= 3 * nmax;
	if (show_peak)
		xend = fmax(xend, u->peak_n * 1.1);
	for (int k = 0; k <= 200; k++)
		if (isfinite(v = usl_at(u, 1 + (xend - 1) * k / 200)))
			ymax = fmax(ymax, v);
	words_ticks(0, xend, 8, &f.xt);
	words_ticks(0, ymax * 1.1, 6, &f.yt);
	snprintf(desc, sizeof(desc), "Each point is one run's parallelism "
	    "n T / (spread + T) against its concurrency n; the curve is the "
	    "Universal Scalability Law fitted to them: lambda %s, sigma %s, "
	    "kappa %s%s%s.", words_sig(b1, sizeof(b1), u->lambda, 4),
	    words_sig(b2, sizeof(b2), u->sigma, 4),
	    words_sig(b3, sizeof(b3), u->kappa, 4), show_peak ?
	    ", peak at n = " : "", show_peak ? words_sig(b4, sizeof(b4),
	    u->peak_n, 3) : "");
	note[0] = '\0';
	if (u->has_peak && !show_peak)
		snprintf(note, sizeof(note), "The predicted peak (n = %s) lies "
		    "far beyond the runs and is not drawn.",
		    words_sig(b1, sizeof(b1), u->peak_n, 3));
	else if (!u->has_peak)
		snprintf(note, sizeof(note), "No peak: %s", u->kappa <= 0 ?
		    "kappa <= 0, the curve does not turn down." :
		    "the fit gives none.");
	open_svg(w, id, standalone, "Parallelism against concurrency (USL)",
	    desc, note);
	axes(w, &f, "concurrency n (requests in the run)",
	    "parallelism n T / (spread + T)");
	segment(w, &f, 0, 0, xend, u->lambda * xend, "#999999", 1);
	jsonout_cstr(w, "<path fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" "
	    "d=\"");
	for (int k = 0; k <= 200; k++) {
		double x = 1 + (xend - 1) * k / 200;

		if (!isfinite(v = usl_at(u, x)) || v > 1e6 * (ymax + 1)) {
			pen = 0;
			continue;
		}
		words_printf(w, "%s%.1f %.1f", pen ? "L" : "M", px(&f, x),
		    py(&f, v));
		pen = 1;
	}
	jsonout_cstr(w, "\"/>\n");
	if (show_peak) {
		segment(w, &f, u->peak_n, 0, u->peak_n, f.yt.hi, "#d62728", 1);
		words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "fill=\"#d62728\">peak n = %s</text>\n", px(&f, u->peak_n) +
		    5, MT + 14, words_sig(b1, sizeof(b1), u->peak_n, 3));
	}
	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].has_parallelism)
			words_printf(w, "<circle cx=\"%.1f\" cy=\"%.1f\" "
			    "r=\"4.5\" fill=\"#ff7f0e\" stroke=\"#ffffff\"/>\n",
			    px(&f, doc->runs[i].n),
			    py(&f, doc->runs[i].parallelism));
	end_area(w);
	legend_add(&l, MARK_POINT, "#ff7f0e", "a run's parallelism");
	legend_add(&l, MARK_LINE, "#2ca02c", "USL fit");
	snprintf(label, sizeof(label), "linear scaling, %s n",
	    words_sig(b1, sizeof(b1), u->lambda, 3));
	legend_add(&l, MARK_DASH, "#999999", label);
	if (show_peak)
		legend_add(&l, MARK_DASH, "#d62728", "predicted peak");
	legend_draw(w, &l, BOTTOM_RIGHT);
}

/*
 * Latency against the number of requests already in flight when a request
 * arrived (latency_by_inflight): the median and the 90th percentile of
 * each count, a line each, one colour a run.  Flat lines: load does not
 * slow requests down; lines that climb past some count: a limit there.
 */
static void
latency_inflight_plot(struct jsonout *w, const struct analysis *doc, long run,
    int standalone, const char *id)
{
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char title[96], desc[1024], yl[64];
	double xmax = 1, ymax = 0, m;
	size_t drawn = 0, total = 0, dl;
	const char *u;

	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];

		if (!chosen(r, run) || !has_by_inflight(r))
			continue;
		total++;
		for (size_t k = 0; k < r->nby_inflight; k++) {
			xmax = fmax(xmax, (double)r->by_inflight[k].inflight);
			ymax = fmax(ymax, r->by_inflight[k].p90);
		}
	}
	u = words_unit(ymax, &m);
	words_ticks(0, xmax, 8, &f.xt);
	words_ticks(0, ymax * 1.05 * m, 6, &f.yt);
	if (run != 0)
		snprintf(title, sizeof(title), "Latency against requests in "
		    "flight, run %ld", run);
	else
		snprintf(title, sizeof(title), "Latency against requests in "
		    "flight%s", total > 1 ? ", all open runs" : "");
	dl = (size_t)snprintf(desc, sizeof(desc), "For each number of "
	    "requests already in flight when a request arrived, the median "
	    "(solid) and 90th percentile (dashed) latency of the requests "
	    "that arrived so.");
	desc_runs(desc, sizeof(desc), dl, doc, run, has_by_inflight,
	    by_inflight_desc);
	open_svg(w, id, standalone, title, desc, NULL);
	snprintf(yl, sizeof(yl), "latency (%s)", u);
	axes(w, &f, "requests in flight when the request arrived", yl);
	for (size_t i = 0; i < doc->nruns; i++) {
		const struct stats *r = &doc->runs[i];
		const char *c = plot_colour(drawn);

		if (!chosen(r, run) || !has_by_inflight(r))
			continue;
		for (int q = 0; q < 2; q++) {
			words_printf(w, "<polyline fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"%s\"%s points=\"", c, q ? "1.5" :
			    "2", q ? " stroke-dasharray=\"6 4\"" : "");
			for (size_t k = 0; k < r->nby_inflight; k++) {
				const struct stats_bucket *b = &r->by_inflight[k];

				words_printf(w, "%s%.1f,%.1f", k ? " " : "",
				    px(&f, (double)b->inflight),
				    py(&f, (q ? b->p90 : b->p50) * m));
			}
			jsonout_cstr(w, "\"/>\n");
		}
		if (r->nby_inflight <= POINTS_MAX)
			for (size_t k = 0; k < r->nby_inflight; k++)
				point(w, &f, (double)r->by_inflight[k].inflight,
				    r->by_inflight[k].p50 * m, 2.5, c);
		legend_run(&l, drawn++, c, r);
	}
	end_area(w);
	legend_more(&l, drawn);
	legend_add(&l, MARK_LINE, "#555555", "median (p50)");
	legend_add(&l, MARK_DASH, "#555555", "90th percentile (p90)");
	legend_draw(w, &l, TOP_LEFT);
}

/*
 * Throughput X against concurrency N, one point a window of the whole
 * input (the traffic block's series), with the USL X(N) fitted to them:
 * Gunther's plot of production data.
 */
static void
throughput_plot(struct jsonout *w, const struct analysis *doc, int standalone,
    const char *id)
{
	const struct analysis_traffic *tr = &doc->traffic;
	const struct analysis_usl *u = &tr->usl;
	struct frame f = { .id = id };
	struct legend l = { 0 };
	char desc[640], note[320], b1[WORDS_LEN], b2[WORDS_LEN];
	char b3[WORDS_LEN], b4[WORDS_LEN], label[80];
	double nmax = 0, ymax = 0, xend, v;
	int pen = 0, show_peak = 0;

	for (size_t k = 0; k < tr->nseries; k++) {
		nmax = fmax(nmax, tr->series[k].x);
		ymax = fmax(ymax, tr->series[k].y);
	}
	xend = nmax > 0 ? nmax * 1.1 : 1;
	if (u->fitted) {
		show_peak = u->has_peak && u->peak_n > 0 &&
		    u->peak_n <= 3 * nmax;
		if (show_peak)
			xend = fmax(xend, u->peak_n * 1.1);
		for (int k = 1; k <= 200; k++)
			if (isfinite(v = usl_at(u, xend * k / 200)))
				ymax = fmax(ymax, v);
	}
	words_ticks(0, xend, 8, &f.xt);
	words_ticks(0, ymax * 1.1, 6, &f.yt);
	if (u->fitted)
		snprintf(desc, sizeof(desc), "Each point is one window of %s: "
		    "its throughput X (completions a second) against its "
		    "concurrency N (the time-average of requests in flight); "
		    "the curve is the Universal Scalability Law fitted to "
		    "them: lambda %s, sigma %s, kappa %s%s%s.",
		    words_dur(b1, sizeof(b1), tr->window),
		    words_sig(b2, sizeof(b2), u->lambda, 4),
		    words_sig(b3, sizeof(b3), u->sigma, 4),
		    words_sig(b4, sizeof(b4), u->kappa, 4), show_peak ?
		    ", peak at N = " : "", show_peak ? words_sig(b1, sizeof(b1),
		    u->peak_n, 3) : "");
	else
		snprintf(desc, sizeof(desc), "Each point is one window of %s: "
		    "its throughput X (completions a second) against its "
		    "concurrency N (the time-average of requests in flight). "
		    "No USL: %s.", words_dur(b1, sizeof(b1), tr->window),
		    u->reason);
	note[0] = '\0';
	if (!u->fitted)
		snprintf(note, sizeof(note), "No USL fitted: %s", u->reason);
	else if (u->has_peak && !show_peak)
		snprintf(note, sizeof(note), "The predicted peak (N = %s) lies "
		    "far beyond the windows and is not drawn.",
		    words_sig(b1, sizeof(b1), u->peak_n, 3));
	else if (!u->has_peak)
		snprintf(note, sizeof(note), "No peak: %s", u->kappa <= 0 ?
		    "kappa <= 0, the curve does not turn down." :
		    "the fit gives none.");
	else if (tr->thinned)
		snprintf(note, sizeof(note), "Windows were downsampled (at "
		    "most 512 points).");
	open_svg(w, id, standalone, "Throughput against concurrency (USL)",
	    desc, note);
	axes(w, &f, "concurrency N (mean requests in flight in a window)",
	    "throughput X (requests/s)");
	if (u->fitted) {
		segment(w, &f, 0, 0, xend, u->lambda * xend, "#999999", 1);
		jsonout_cstr(w, "<path fill=\"none\" stroke=\"#2ca02c\" "
		    "stroke-width=\"2\" d=\"");
		for (int k = 1; k <= 200; k++) {
			double x = xend * k / 200;

			if (!isfinite(v = usl_at(u, x)) ||
			    v > 1e6 * (ymax + 1)) {
				pen = 0;
				continue;
			}
			words_printf(w, "%s%.1f %.1f", pen ? "L" : "M",
			    px(&f, x), py(&f, v));
			pen = 1;
		}
		jsonout_cstr(w, "\"/>\n");
		if (show_peak) {
			segment(w, &f, u->peak_n, 0, u->peak_n, f.yt.hi,
			    "#d62728", 1);
			words_printf(w, "<text x=\"%.1f\" y=\"%.1f\" "
			    "font-size=\"11\" fill=\"#d62728\">peak N = "
			    "%s</text>\n", px(&f, u->peak_n) + 5, MT + 14,
			    words_sig(b1, sizeof(b1), u->peak_n, 3));
		}
	}
	for (size_t k = 0; k < tr->nseries; k++)
		words_printf(w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
		    "fill=\"#ff7f0e\" fill-opacity=\"0.7\"/>\n",
		    px(&f, tr->series[k].x), py(&f, tr->series[k].y));
	end_area(w);
	legend_add(&l, MARK_POINT, "#ff7f0e", "a window");
	if (u->fitted) {
		legend_add(&l, MARK_LINE, "#2ca02c", "USL fit");
		snprintf(label, sizeof(label), "linear scaling, %s N",
		    words_sig(b1, sizeof(b1), u->lambda, 3));
		legend_add(&l, MARK_DASH, "#999999", label);
		if (show_peak)
			legend_add(&l, MARK_DASH, "#d62728", "predicted peak");
	}
	legend_draw(w, &l, BOTTOM_RIGHT);
}

void
plot_svg(struct jsonout *w, const struct analysis *doc, const char *plot, long run,
    int standalone, const char *id)
{
	if (plot == NULL || strcmp(plot, "spread") == 0)
		spread_plot(w, doc, standalone, id);
	else if (strcmp(plot, "rank") == 0)
		rank_plot(w, doc, run, standalone, id);
	else if (strcmp(plot, "inflight") == 0)
		inflight_plot(w, doc, run, standalone, id);
	else if (strcmp(plot, "usl") == 0)
		usl_plot(w, doc, standalone, id);
	else if (strcmp(plot, "latency-inflight") == 0)
		latency_inflight_plot(w, doc, run, standalone, id);
	else if (strcmp(plot, "throughput") == 0)
		throughput_plot(w, doc, standalone, id);
}

void
plot_close(struct jsonout *w)
{
	jsonout_cstr(w, "</svg>\n");
}
