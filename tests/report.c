/*
 * Unit tests of the report library: number formatting, axis ticks,
 * escaping, reading the fit document defensively, the confidence band, and
 * properties of every format (no NaN, deterministic, self-contained).
 * Expected values are worked out by hand in the comments, or by the Python
 * named there; run from the top of the tree (prove does).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fitdoc.h"
#include "plot.h"
#include "report.h"
#include "words.h"
#include "tap.h"

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static cJSON *
load(const char *path)
{
	char *s = slurp(path);
	cJSON *j = s ? cJSON_Parse(s) : NULL;

	free(s);
	if (j == NULL)
		printf("# cannot read %s\n", path);
	return j;
}

/* Render into a NUL-terminated string (caller frees), or NULL with *d. */
static char *
render(const cJSON *fit, enum report_to to, const char *plot, int color,
    struct diag *d)
{
	struct report_opt o = { .to = to, .plot = plot, .color = color };
	struct jsonout w;
	char *s;

	struct analysis a;
	int rc;

	diag_clear(d);
	jsonout_init(&w, NULL);
	if (fitdoc_read(fit, &a, d) == -1) {
		jsonout_free(&w);
		return NULL;
	}
	rc = report_render(&a, &o, &w, d);
	analysis_free(&a);
	if (rc == -1) {
		if (w.len != 0)
			printf("# %zu bytes written before an error\n", w.len);
		jsonout_free(&w);
		return NULL;
	}
	jsonout_char(&w, '\0');
	s = w.buf;
	return s;
}

/* word as a whole word (not inside "inflight" or "finance"). */
static int
has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)) != NULL; p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}

static void
test_numbers(void)
{
	char b[WORDS_LEN];

	is_str(words_sig(b, sizeof(b), 0.0516686, 3), "0.0517", "sig 3 of 0.0516686");
	is_str(words_sig(b, sizeof(b), 194.07, 4), "194.1", "sig 4 of 194.07");
	is_str(words_sig(b, sizeof(b), 9.996, 3), "10.0", "rounding carries: 9.996 -> 10.0");
	is_str(words_sig(b, sizeof(b), -27.322, 3), "-27.3", "negative");
	is_str(words_sig(b, sizeof(b), 0, 3), "0", "zero");
	is_str(words_sig(b, sizeof(b), NAN, 3), "-", "null is -, never nan");
	is_str(words_sig(b, sizeof(b), 123456, 3), "123456", "no exponent for large integers");
	is_str(words_sig(b, sizeof(b), 1e-7, 2), "1e-07", "tiny values in %g");
	is_str(words_fix(b, sizeof(b), -0.0001, 2), "0.00", "-0.00 reads 0.00");
	is_str(words_fix(b, sizeof(b), 2.5, 0), "2", "%.0f rounds half to even in C");
	is_str(words_count(b, sizeof(b), 17034), "17034", "count");
	is_str(words_count(b, sizeof(b), 2.5), "2.50", "non-integral count");

	is_str(words_dur(b, sizeof(b), 0.0516686), "51.7 ms", "ms");
	is_str(words_dur(b, sizeof(b), 10.263887), "10.3 s", "s");
	is_str(words_dur(b, sizeof(b), 0.0005), "500 µs", "µs");
	is_str(words_dur(b, sizeof(b), 0.9996), "1.00 s", "999.6 ms rounds to 1.00 s");
	is_str(words_dur(b, sizeof(b), 0.00099996), "1.00 ms", "999.96 µs rounds to 1.00 ms");
	is_str(words_dur(b, sizeof(b), -0.027322), "-27.3 ms", "negative duration");
	is_str(words_dur(b, sizeof(b), 0), "0 s", "zero duration");
	is_str(words_dur(b, sizeof(b), NAN), "-", "null duration");
	is_str(words_dur(b, sizeof(b), 30), "30.0 s", "three digits");
}

static void
test_ticks(void)
{
	struct words_ticks t;
	char b[WORDS_LEN];

	/* 200 / 8 = 25, nice -> 20: 0, 20, ..., 200. */
	words_ticks(0, 200, 8, &t);
	is_double(t.step, 20, 0, "step of [0, 200] / 8");
	is_int(t.n, 11, "11 ticks");
	is_double(t.lo, 0, 0, "from 0");
	is_double(t.hi, 200, 0, "to 200");
	is_int(t.dec, 0, "no decimals");
	/* 10.37 / 6 = 1.73, nice -> 2: 0 .. 12. */
	words_ticks(0, 10.371266, 6, &t);
	is_double(t.step, 2, 0, "step 2");
	is_double(t.hi, 12, 0, "widened to 12");
	is_int(t.n, 7, "7 ticks");
	/* 0.203 / 6 = 0.0338, nice -> 0.05: 0 .. 0.25, two decimals. */
	words_ticks(0, 0.202623, 6, &t);
	is_double(t.step, 0.05, 1e-15, "step 0.05");
	is_int(t.n, 6, "6 ticks");
	is_int(t.dec, 2, "two decimals");
	is_str(words_tick(b, sizeof(b), &t, 1), "0.05", "second tick label");
	is_str(words_tick(b, sizeof(b), &t, 5), "0.25", "last tick label");
	/* -0.2 .. 1.431: 1.631 / 8 = 0.204, nice -> 0.2. */
	words_ticks(-0.2, 1.431, 8, &t);
	is_double(t.step, 0.2, 1e-15, "step 0.2");
	is_str(words_tick(b, sizeof(b), &t, 0), "-0.2", "negative first tick");
	is_str(words_tick(b, sizeof(b), &t, 1), "0.0", "zero is not -0.0");
	is_int(t.n, 10, "-0.2 .. 1.6 is 10 ticks");
	/* Degenerate: one value, zero, not finite. */
	words_ticks(5, 5, 6, &t);
	ok(t.lo <= 5 && t.hi >= 5 && t.n >= 2 && t.hi > t.lo,
	    "one value: a range around it (%g .. %g, %d ticks)", t.lo, t.hi, t.n);
	words_ticks(0, 0, 6, &t);
	ok(t.lo == 0 && t.hi == 1 && t.n >= 2, "zero range: [0, 1]");
	words_ticks(NAN, 1, 6, &t);
	ok(t.lo == 0 && t.hi == 1 && t.n >= 2, "NaN: [0, 1]");
	words_ticks(1, 0, 4, &t);
	ok(t.lo == 0 && t.hi == 1, "reversed bounds are swapped");
	words_ticks(-1e308, 1e308, 6, &t);
	ok(t.n == 2 && isfinite(t.lo) && isfinite(t.hi) && t.hi > t.lo,
	    "a range wider than DBL_MAX: two finite ticks");
	words_ticks(1e17, 1e17 + 100, 6, &t);
	ok(t.n >= 2 && t.n <= 14, "a step lost in the bounds' precision: "
	    "a bounded count (%d)", t.n);
}

static void
test_escape(void)
{
	struct jsonout w;

	jsonout_init(&w, NULL);
	words_xml(&w, "a<b & \"c\" 'd' > µ");
	jsonout_char(&w, '\0');
	is_str(w.buf, "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt; µ", "XML entities, UTF-8 kept");
	w.len = 0;
	words_xml(&w, "x\001y\377z\n");
	jsonout_char(&w, '\0');
	is_str(w.buf, "x\xef\xbf\xbdy\xef\xbf\xbdz\n", "control and non-UTF-8 bytes become U+FFFD");
	w.len = 0;
	words_xml(&w, "\xed\xa0\x80");
	jsonout_char(&w, '\0');
	is_str(w.buf, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "a surrogate is not UTF-8");
	w.len = 0;
	words_md(&w, "a|b*c_<d&e\nf");
	jsonout_char(&w, '\0');
	is_str(w.buf, "a\\|b\\*c\\_&lt;d&amp;e f", "Markdown cell escaping");
	w.len = 0;
	words_text(&w, "\033[31mred\007");
	jsonout_char(&w, '\0');
	is_str(w.buf, "?[31mred?", "no escape sequences reach the terminal");
	jsonout_free(&w);
	is_int((long long)words_width("µs"), 2, "width counts code points");
	is_int((long long)words_width("± 1"), 3, "width of ±");
}

/* Each case: a change to the article document, and the message. */
static void
test_bad_docs(void)
{
	static const struct {
		const char	*json;
		const char	*msg;
	} lit[] = {
		{ "[]", "expected a fit document (an object), got an array" },
		{ "{\"skew_fit\":3}", "skew_fit: expected 1 or 2 (the versions of the document this program reads), got 3" },
		{ "{\"skew_fit\":1}", "runs: expected an array, got nothing" },
		{ "{\"skew_fit\":1,\"runs\":[]}", "runs: expected at least one run, got an empty array" },
		{ "{\"skew_fit\":1,\"runs\":[{\"run\":1,\"n\":1e999}]}", "runs[0].n: expected a finite number, got a number" },
		{ "{\"skew_fit\":1,\"runs\":[{\"run\":1.5}]}", "runs[0].run: expected a run number (a whole number), got a number" },
	};
	struct diag d;
	cJSON *doc, *runs, *r;
	char *out;

	for (size_t i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		doc = cJSON_Parse(lit[i].json);
		out = render(doc, REPORT_TEXT, NULL, 0, &d);
		ok(out == NULL && d.code == DIAG_JSON, "invalid: %s", lit[i].json);
		is_str(d.msg, lit[i].msg, "its message");
		free(out);
		cJSON_Delete(doc);
	}

#define MUTATE(what_, msg_, code_) do {				\
	if ((doc = load("testdata/fit/article.json")) == NULL)		\
		break;							\
	runs = cJSON_GetObjectItem(doc, "runs");			\
	(void)runs;							\
	code_;								\
	out = render(doc, REPORT_HTML, NULL, 0, &d);			\
	ok(out == NULL && d.code == DIAG_JSON, "invalid: %s", what_);	\
	is_str(d.msg, msg_, "its message");				\
	free(out);							\
	cJSON_Delete(doc);						\
} while (0)
	MUTATE("runs[2].spread a string",
	    "runs[2].spread: expected a number or null, got a string",
	    r = cJSON_GetArrayItem(runs, 2);
	    cJSON_ReplaceItemInObject(r, "spread", cJSON_CreateString("5.1")));
	MUTATE("runs[0].verdict missing",
	    "runs[0].verdict: expected \"unknown\", \"parallel\", \"partial\" "
	    "or \"serialized\", got nothing",
	    cJSON_DeleteItemFromObject(cJSON_GetArrayItem(runs, 0), "verdict"));
	MUTATE("runs[1].series.rank[3] with one number",
	    "runs[1].series.rank[3]: expected [number, number], got an array",
	    r = cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(runs, 1), "series"), "rank");
	    cJSON_ReplaceItemInArray(r, 3, cJSON_Parse("[1]")));
	MUTATE("usl not fitted without a reason",
	    "usl.reason: expected a string of at most 255 bytes, got nothing",
	    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(doc, "usl"), "reason"));
	MUTATE("skew.b_ci95 of one number",
	    "skew.b_ci95: expected [number, number] or null, got an array",
	    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(doc, "skew"), "b_ci95",
	    cJSON_Parse("[1]")));
	MUTATE("runs[0].stagger a string",
	    "runs[0].stagger: expected an object or a number, got a string",
	    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(runs, 0), "stagger",
	    cJSON_CreateString("5")));
	MUTATE("runs[3].service_time a boolean",
	    "runs[3].service_time: expected a number or null, got a boolean",
	    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(runs, 3),
	    "service_time", cJSON_CreateTrue()));
	MUTATE("provenance.inputs[0].src missing",
	    "provenance.inputs[0].src: expected a string, got nothing",
	    cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(doc, "provenance"), "inputs"), 0), "src"));
	MUTATE("skew missing", "skew: expected an object, got nothing",
	    cJSON_DeleteItemFromObject(doc, "skew"));
	MUTATE("runs[4].latency.p90 missing",
	    "runs[4].latency.p90: expected a number, got nothing",
	    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(runs, 4), "latency"), "p90"));
#undef MUTATE
}

/* The fit document at path read into *a; 0, or -1 (said). */
static int
load_an(const char *path, struct analysis *a)
{
	cJSON *j = load(path);
	struct diag d;
	int rc;

	diag_clear(&d);
	memset(a, 0, sizeof(*a));
	if (j == NULL)
		return -1;
	if ((rc = fitdoc_read(j, a, &d)) == -1)
		printf("# %s: %s\n", path, d.msg);
	cJSON_Delete(j);
	return rc;
}

static void
test_plot_check(void)
{
	struct analysis art, deg;
	struct report_opt o = { .to = REPORT_SVG };
	struct diag d;
	struct jsonout w;

	if (load_an("testdata/fit/article.json", &art) == -1 ||
	    load_an("testdata/fit/degenerate.json", &deg) == -1) {
		ok(0, "the documents load");
		return;
	}
	jsonout_init(&w, NULL);
	o.plot = "usl";
	diag_clear(&d);
	ok(report_render(&art, &o, &w, &d) == -1 && d.code == DIAG_USAGE,
	    "usl plot of an unfitted USL is a usage error");
	is_str(d.msg, "--plot usl: the USL was not fitted: 3 distinct concurrencies; 6 needed", "says why");
	o.plot = "inflight";
	ok(report_render(&deg, &o, &w, &d) == -1 && d.code == DIAG_USAGE,
	    "inflight plot without starts is a usage error");
	is_str(d.msg, "--plot inflight: no in-flight series in any run (start times were not known)", "says why");
	o.plot = "inflight";
	o.run = 2;
	ok(report_render(&art, &o, &w, &d) == -1, "run 2 has no starts");
	is_str(d.msg, "--plot inflight: no in-flight series in run 2 (start times were not known)", "says which run");
	o.run = 5;
	ok(report_render(&art, &o, &w, &d) == 0, "run 5 has starts");
	o.run = 9;
	ok(report_render(&art, &o, &w, &d) == -1 && d.code == DIAG_USAGE, "no run 9");
	is_str(d.msg, "--run 9: the document has no run 9", "says so");
	o.run = 0;
	o.plot = "pie";
	ok(report_render(&art, &o, &w, &d) == -1 && d.code == DIAG_USAGE, "no pie");
	jsonout_free(&w);
	analysis_free(&art);
	analysis_free(&deg);
}

static void
test_band(void)
{
	struct analysis doc;

	if (load_an("testdata/fit/article.json", &doc) == -1) {
		ok(0, "article loads");
		return;
	}
	/*
	 * The classic band t s sqrt(1/N + (n - mean)^2 / Sxx) from the raw
	 * spreads, in Python (statistics-free OLS, t(0.975, 3) =
	 * 3.182446305284263): 0.142599 at n = 0, 0.074163 at the mean
	 * 120.8, 0.108980 at 200.  The tolerance covers the eight digits
	 * given here.
	 */
	is_double(plot_band(&doc, 0), 0.14259867, 2e-5, "band at n = 0");
	is_double(plot_band(&doc, 120.8), 0.07416292, 1e-5, "band at the mean n");
	is_double(plot_band(&doc, 200), 0.10897996, 2e-5, "band at n = 200");
	doc.skew.has_ci = 0;
	ok(isnan(plot_band(&doc, 100)), "no interval, no band");
	analysis_free(&doc);
	analysis_free(NULL);
}

static void
test_formats(void)
{
	static const char *const docs[] = { "article", "pool", "degenerate" };
	static const enum report_to tos[] = { REPORT_TEXT, REPORT_MARKDOWN,
	    REPORT_HTML };
	static const char *const plots[] = { "rank", "spread", "inflight",
	    "usl" };
	char path[64];
	struct diag d;

	for (size_t i = 0; i < 3; i++) {
		cJSON *doc;

		snprintf(path, sizeof(path), "testdata/fit/%s.json", docs[i]);
		if ((doc = load(path)) == NULL) {
			ok(0, "%s loads", path);
			continue;
		}
		for (size_t k = 0; k < 3 + 4; k++) {
			enum report_to to = k < 3 ? tos[k] : REPORT_SVG;
			const char *plot = k < 3 ? NULL : plots[k - 3];
			char *a = render(doc, to, plot, 0, &d);
			char *b = render(doc, to, plot, 0, &d);

			if (a == NULL) {
				/* Only plots the document cannot give. */
				ok(d.code == DIAG_USAGE, "%s %s: %s", docs[i],
				    plot ? plot : "", d.msg);
				free(b);
				continue;
			}
			ok(b != NULL && strcmp(a, b) == 0,
			    "%s format %zu: byte-identical twice", docs[i], k);
			ok(!has_word(a, "nan") && !has_word(a, "NaN") &&
			    !has_word(a, "inf") && !has_word(a, "-nan"),
			    "%s format %zu: no nan or inf", docs[i], k);
			ok(strstr(a, "skew-report " SKEW_VERSION) != NULL,
			    "%s format %zu: provenance", docs[i], k);
			if (to == REPORT_HTML)
				ok(strstr(a, "<script") == NULL &&
				    strstr(a, "http") == NULL &&
				    strstr(a, "src=") == NULL &&
				    strstr(a, "href=") == NULL &&
				    strstr(a, "@import") == NULL,
				    "%s html: no scripts, no links", docs[i]);
			if (to == REPORT_SVG)
				ok(strncmp(a, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0 &&
				    strstr(a, "role=\"img\"") != NULL &&
				    strstr(a, "<title id=") != NULL &&
				    strstr(a, "<desc id=") != NULL,
				    "%s %s: standalone, accessible", docs[i], plot);
			free(a);
			free(b);
		}
		cJSON_Delete(doc);
	}
}

static void
test_words(void)
{
	cJSON *art = load("testdata/fit/article.json");
	cJSON *pool = load("testdata/fit/pool.json");
	struct diag d;
	cJSON *r;
	char *s;

	/* b = 0.0516686 s = 51.7 ms; c = 0.001611 within 2 x 0.0043661 of
	 * zero; the largest run (the last of n = 200) is parallel. */
	s = render(art, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "200 requests ran in parallel; the completion "
	    "spread grows 51.7 ms per extra request and does not depend on the "
	    "service time.\n") != NULL, "article: the sentence");
	/* n_reaching_service_time 194.07 with four digits; 200 >= 194. */
	ok(s != NULL && strstr(s, "at n = 194.1: ") != NULL &&
	    strstr(s, "The largest run is already past it (n = 200).") != NULL,
	    "article: where the limit is");
	/* Run 5: p50 30.0 s, max 30.1 s, spread 10.4 s: 0.1 < 10.4 / 4. */
	ok(s != NULL && strstr(s, "so the spread comes from when they were "
	    "admitted, not from service") != NULL, "article: admission");
	ok(s != NULL && strstr(s, "\033") == NULL, "no colour unless asked");
	ok(s != NULL && strstr(s, "  2  100*") != NULL, "sampled n is starred");
	free(s);
	s = render(art, REPORT_TEXT, NULL, 1, &d);
	ok(s != NULL && strstr(s, "\033[32mparallel\033[0m") != NULL,
	    "colour when asked: parallel in green");
	free(s);
	s = render(art, REPORT_MARKDOWN, NULL, 0, &d);
	ok(s != NULL && strstr(s, "|---:|---:|") != NULL &&
	    strstr(s, "| 1 | 4 | 10.0 s | 203 ms | 70.1 ms ± 7.80 ms | 3.92 |") != NULL,
	    "markdown: run 1's row (spread 0.202623, slope 0.070107 ± 0.007797)");
	free(s);
	/* The pool (testdata/real/pool8, T = 0.25 s): run 6 has n = 64, 8
	 * waves of 8; b = 0.0315697 s a request (about T / 8). */
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "64 requests ran in 8 waves behind a pool "
	    "of 8; the completion spread grows 31.6 ms per extra request.\n")
	    != NULL, "pool: the sentence");
	ok(s != NULL && strstr(s, "with kappa <= 0 it predicts no peak.") !=
	    NULL, "pool: USL without a peak (kappa -0.0000274)");
	free(s);
	/* usl-real: sigma 0.02, kappa 0.001: peak sqrt(0.98 / 0.001) =
	 * 31.305, within the runs (up to n = 64). */
	{
		cJSON *u = load("testdata/fit/usl-real.json");

		s = u != NULL ? render(u, REPORT_TEXT, NULL, 0, &d) : NULL;
		ok(s != NULL && strstr(s, "it predicts the most parallelism "
		    "at n = 31.30.\n") != NULL, "usl-real: USL peak, not an "
		    "extrapolation");
		cJSON_Delete(u);
	}
	free(s);
	/* The headline for the other verdicts of the largest run. */
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(pool, "runs"), 5);
	cJSON_ReplaceItemInObject(r, "verdict", cJSON_CreateString("serialized"));
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "\n64 requests were served one at a time; ")
	    != NULL, "serialized: the sentence");
	free(s);
	cJSON_ReplaceItemInObject(r, "verdict", cJSON_CreateString("partial"));
	cJSON_ReplaceItemInObject(r, "pool_size", cJSON_CreateNull());
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "\n64 requests ran partly in parallel; ")
	    != NULL, "partial without a pool: the sentence");
	free(s);
	cJSON_ReplaceItemInObject(r, "pool_size", cJSON_CreateNumber(8));

	/* Tolerated shapes: a slope as an object, or not fitted; unmatched
	 * requests are said in the verdict line. */
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pool,
	    "runs"), 1), "arrival_stagger",
	    cJSON_Parse("{\"slope\": 0.001, \"stderr\": 0.0001}"));
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pool,
	    "runs"), 2), "latency_slope",
	    cJSON_Parse("{\"fitted\": false, \"reason\": \"sampled run\"}"));
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(pool,
	    "runs"), 0), "unmatched_starts", cJSON_CreateNumber(3));
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "Run 2: arrivals came 1.00 ms apart") != NULL,
	    "a slope given as an object is read");
	ok(s != NULL && strstr(s, "Run 3: arrivals") == NULL,
	    "a slope not fitted is null");
	ok(s != NULL && strstr(s, "within 0.005 s (unmatched: 3 starts, 0 ends)\n")
	    != NULL, "unmatched starts are said");
	free(s);
	s = render(pool, REPORT_MARKDOWN, NULL, 0, &d);
	/* Run 1: latency p50 0.256103 s, mean_inflight and x_times_r both
	 * 7.94238, ok. */
	ok(s != NULL && strstr(s, "| 256 ms | ok: 7.94 vs 7.94 | parallel |") != NULL,
	    "Little's law column");
	free(s);
	cJSON_Delete(art);
	cJSON_Delete(pool);
}

/*
 * No headline from a fit that shows nothing: a 95 % interval of b that
 * spans 0 (a day of access log: b = 1.57 ms, r2 0.0006) says the spread
 * does not grow measurably, and no n reaching the service time is read
 * from it; an n_reaching_service_time below 1 (-87 from a few spaced-out
 * lines) is never printed.
 */
static void
test_flat(void)
{
	cJSON *art = load("testdata/fit/article.json");
	cJSON *sk = cJSON_GetObjectItem(art, "skew");
	struct diag d;
	char *s;

	if (sk == NULL) {
		ok(0, "article loads");
		return;
	}
	cJSON_ReplaceItemInObject(sk, "b_ci95", cJSON_Parse("[-0.01, 0.11]"));
	s = render(art, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "200 requests ran in parallel; the completion "
	    "spread does not grow measurably with the number of requests (the "
	    "95 % interval of its slope spans 0).\n") != NULL,
	    "flat: the headline says no growth");
	ok(s != NULL && strstr(s, "grows 51.7 ms") == NULL &&
	    strstr(s, "194.1") == NULL, "flat: no slope headline, no n reached");
	ok(s != NULL && strstr(s, "the 95 % interval of b (-10.0 ms to 110 ms "
	    "per request) spans 0") != NULL, "flat: where the limit is");
	ok(s != NULL && strstr(s, "b spans 0") != NULL, "flat: the table says why");
	free(s);
	s = render(art, REPORT_HTML, NULL, 0, &d);
	ok(s != NULL && strstr(s, "n = 194") == NULL, "flat: no n marked in the plot");
	free(s);
	cJSON_ReplaceItemInObject(sk, "b_ci95", cJSON_Parse("[0.05, 0.06]"));
	cJSON_ReplaceItemInObject(sk, "n_reaching_service_time",
	    cJSON_CreateNumber(-87));
	s = render(art, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "-87") == NULL && strstr(s, "already at n = "
	    "1") != NULL && strstr(s, "above T at n = 1") != NULL,
	    "n reaching T below 1: never printed, said why");
	free(s);
	s = render(art, REPORT_HTML, NULL, 0, &d);
	ok(s != NULL && strstr(s, "-87") == NULL, "html: -87 never printed");
	free(s);
	/* Null, with skew-fit's reason: said in the table and the limit. */
	cJSON_ReplaceItemInObject(sk, "n_reaching_service_time",
	    cJSON_CreateNull());
	cJSON_ReplaceItemInObject(sk, "n_reaching_service_time_reason",
	    cJSON_CreateString("already above it at n = 1"));
	s = render(art, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "n reaching T            -  already above "
	    "it at n = 1") != NULL && strstr(s, "No n at which the fitted "
	    "spread reaches the service time: already above it at n = 1.") !=
	    NULL, "n reaching T null: its reason in the table and the words");
	free(s);
	cJSON_Delete(art);
}

/*
 * Past 12 runs, runs of the same verdict and reason template share one
 * line with the ranges of their numbers.  pool.json's six runs three
 * times over (runs 1-18): run 1 (parallel, 8 requests within 0.005 s)
 * and runs 2-6 (partial: 16 to 64 requests, 0.254 to 1.775 s, 2 to 8
 * waves, latency growing 23 to 31 ms) each time.
 */
static void
test_groups(void)
{
	cJSON *pool = load("testdata/fit/pool.json");
	cJSON *runs = cJSON_GetObjectItem(pool, "runs");
	struct diag d;
	char *s;
	int n;

	if (runs == NULL) {
		ok(0, "pool loads");
		return;
	}
	n = cJSON_GetArraySize(runs);
	for (int k = 1; k < 3; k++)
		for (int i = 0; i < n; i++) {
			cJSON *r = cJSON_Duplicate(cJSON_GetArrayItem(runs, i), 1);

			cJSON_ReplaceItemInObject(r, "run",
			    cJSON_CreateNumber(k * n + i + 1));
			cJSON_AddItemToArray(runs, r);
		}
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "\nVerdicts\n  3 burst runs (1, 7, 13): parallel: "
	    "8 requests of 0.25 s finished within 0.005 s\n  15 burst runs (2-6, "
	    "8-12, "
	    "14-18): partial: 16-64 requests of 0.25 s finished within "
	    "0.254-1.775 s in 2-8 waves: a pool of 8; latency grows 23-31 ms "
	    "per request: service is the limit\n\n") != NULL,
	    "18 runs: two lines, with ranges");
	free(s);
	s = render(pool, REPORT_MARKDOWN, NULL, 0, &d);
	ok(s != NULL && strstr(s, "- 3 burst runs (1, 7, 13): **parallel**: 8 "
	    "requests") != NULL && strstr(s, "- run ") == NULL,
	    "markdown: grouped too");
	free(s);
	s = render(pool, REPORT_HTML, NULL, 0, &d);
	ok(s != NULL && strstr(s, "<li>15 burst runs (2-6, 8-12, 14-18): <span "
	    "class=\"v-partial\">partial</span>: 16-64 requests") != NULL,
	    "html: grouped too");
	free(s);
	/* A run that says something else stands alone. */
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(runs, 9), "reason",
	    cJSON_CreateString("something else"));
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(runs, 10),
	    "unmatched_ends", cJSON_CreateNumber(2));
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "  14 burst runs (2-6, 8-9, 11-12, 14-18): "
	    "partial: 16-64 requests") != NULL && strstr(s, "service is the "
	    "limit (unmatched, in all: 0 starts, 2 ends)\n") != NULL &&
	    strstr(s, "\n  run 10: partial: something else\n") != NULL,
	    "a different reason is its own line; unmatched summed");
	free(s);
	/* The same verdict and reason of another shape is another kind. */
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(runs, 17), "shape",
	    cJSON_CreateString("open"));
	s = render(pool, REPORT_TEXT, NULL, 0, &d);
	ok(s != NULL && strstr(s, "  13 burst runs (2-6, 8-9, 11-12, 14-17): "
	    "partial: 16-64 requests") != NULL && strstr(s, "\n  run 18: "
	    "partial: 64 requests") != NULL, "a run of another shape stands "
	    "alone");
	if (s == NULL)
		printf("# %s\n", d.msg);
	free(s);
	cJSON_Delete(pool);
}

int
main(void)
{
	test_numbers();
	test_ticks();
	test_escape();
	test_bad_docs();
	test_plot_check();
	test_band();
	test_formats();
	test_words();
	test_flat();
	test_groups();
	return done_testing();
}
