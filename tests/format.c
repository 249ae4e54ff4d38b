/*
 * format: presets on hand-checked lines, custom patterns and their errors,
 * and the hand-written scanners against their PCRE2 patterns on many lines
 * (the article's, generated variants and garbage): same verdict, same spans.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "tap.h"

static char got[4096];

/* The captured span as a string, "(none)" when absent. */
static const char *
span(const struct record_str *r)
{
	if (r->s == NULL)
		return "(none)";
	snprintf(got, sizeof(got), "%.*s", (int)r->n, r->s);
	return got;
}

static int
m(struct format *f, const char *line, struct format_cap *c)
{
	return format_match(f, line, strlen(line), c, NULL);
}

static struct format *
preset(const char *name, int flags)
{
	struct diag d;
	struct format *f;

	diag_clear(&d);
	if ((f = format_preset(name, flags, &d)) == NULL) {
		printf("Bail out! preset %s: %s\n", name, d.msg);
		exit(1);
	}
	return f;
}

static void
test_presets(void)
{
	struct format_cap c;
	struct format *f;

	f = preset("pid-tid-ts", 0);
	ok(format_scanner(f), "pid-tid-ts uses its scanner");
	is_int(m(f, "65432: 123145499639808: 2023-11-01 23:10:04.806247", &c),
	    1, "article line matches");
	is_str(span(&c.pid), "65432", "pid");
	is_str(span(&c.tid), "123145499639808", "tid");
	is_str(span(&c.ts), "2023-11-01 23:10:04.806247", "ts");
	is_str(span(&c.id), "(none)", "no id");
	is_int(m(f, "65432: 1: 2023-11-01 23:10:05", &c), 1,
	    "no fraction (Python prints none at microsecond 0)");
	is_str(span(&c.ts), "2023-11-01 23:10:05", "ts without fraction");
	is_int(m(f, "1: 2: 2023-11-01T23:10:05+09:00 \t", &c), 1,
	    "T, offset, trailing blanks");
	is_str(span(&c.ts), "2023-11-01T23:10:05+09:00", "ts with offset");
	is_int(m(f, "PID 12", &c), 0, "garbage");
	is_int(m(f, "65432: 123: 2023-11-01 23:10:04.806247 x", &c), 0,
	    "text after the timestamp");
	is_int(m(f, "65432:123: 2023-11-01 23:10:04", &c), 0, "no space");
	is_int(m(f, "", &c), 0, "empty line");
	format_free(f);

	f = preset("ts", 0);
	is_int(m(f, "2023-11-01 23:30:45.443161", &c), 1, "ts: bare");
	is_str(span(&c.ts), "2023-11-01 23:30:45.443161", "ts: span");
	is_int(m(f, "INFO:     127.0.0.1:50123 - \"GET / HTTP/1.1\" 200 OK",
	    &c), 0, "ts: uvicorn access line");
	format_free(f);

	f = preset("iso", 0);
	is_int(m(f, "2023-11-01T23:30:45Z GET /x 200", &c), 1, "iso: text after");
	is_str(span(&c.ts), "2023-11-01T23:30:45Z", "iso: span");
	is_int(m(f, "2023-11-01T23:30:45Zx", &c), 0, "iso: no separator");
	format_free(f);

	f = preset("python-logging", 0);
	ok(!format_scanner(f), "python-logging: PCRE2");
	is_int(m(f, "2023-11-01 23:10:04,806 INFO done", &c), 1,
	    "python-logging");
	is_str(span(&c.ts), "2023-11-01 23:10:04,806", "python-logging: ts");
	is_int(m(f, "2023-11-01 23:10:04.806 INFO done", &c), 0,
	    "python-logging: a dot is not asctime");
	format_free(f);

	f = preset("clf", 0);
	is_int(format_kind(f), RECORD_START, "clf marks the arrival");
	is_int(m(f, "127.0.0.1 - frank [01/Nov/2023:23:10:04 +0000] \"GET / "
	    "HTTP/1.1\" 200 123 \"-\" \"curl/8\"", &c), 1, "clf combined");
	is_str(span(&c.ts), "01/Nov/2023:23:10:04 +0000", "clf: ts");
	format_free(f);

	f = preset("nginx-timed", 0);
	is_int(m(f, "1698880204.806 0.031 127.0.0.1 GET /", &c), 1,
	    "nginx-timed");
	is_str(span(&c.ts), "1698880204.806", "nginx-timed: ts");
	is_str(span(&c.dur), "0.031", "nginx-timed: dur");
	is_int(format_kind(f), RECORD_END, "nginx-timed marks the end");
	format_free(f);

	f = preset("epoch", 0);
	is_int(m(f, "1698880204.806247", &c), 1, "epoch");
	is_int(m(f, "1698880204.806247 x", &c), 1, "epoch, text after");
	is_int(m(f, "1698880204.", &c), 0, "epoch: dot without digits");
	format_free(f);

	f = preset("epoch-ms", 0);
	is_int(m(f, "1698880204806 x", &c), 1, "epoch-ms");
	is_int(m(f, "169888020480", &c), 0, "epoch-ms: 12 digits");
	format_free(f);

	f = preset("syslog", 0);
	is_int(m(f, "Nov  1 23:10:04 host app[123]: done", &c), 1, "syslog");
	is_str(span(&c.ts), "Nov  1 23:10:04", "syslog: ts");
	is_str(span(&c.pid), "123", "syslog: pid");
	is_int(m(f, "Nov  1 23:10:04 host kernel: x", &c), 1,
	    "syslog without pid");
	is_str(span(&c.pid), "(none)", "syslog: no pid");
	format_free(f);
}

static void
test_custom(void)
{
	struct format_cap c;
	struct diag d;
	struct format *f;

	diag_clear(&d);
	f = format_compile("^(?<id>\\w+) (?<kind>\\w+) (?<ts>\\S+ \\S+)"
	    "(?: (?<dur>[0-9.]+))?$", &d);
	ok(f != NULL, "custom pattern compiles");
	if (f == NULL)
		return;
	is_int(m(f, "r1 start 2023-11-01 23:10:04.1", &c), 1, "custom match");
	is_str(span(&c.id), "r1", "custom id");
	is_str(span(&c.kind), "start", "custom kind");
	is_str(span(&c.ts), "2023-11-01 23:10:04.1", "custom ts");
	is_str(span(&c.dur), "(none)", "optional dur absent");
	is_int(m(f, "r1 end 2023-11-01 23:10:04.1 0.5", &c), 1, "with dur");
	is_str(span(&c.dur), "0.5", "dur captured");
	is_int(m(f, "nothing", &c), 0, "custom no match");
	diag_clear(&d);
	format_why(f, "nothing", 7, &d);
	is_str(d.msg, "expected a line matching the pattern, got \"nothing\"",
	    "custom: why");
	is_int(format_form(f), TS_AUTO, "custom times are TS_AUTO");
	format_free(f);

	diag_clear(&d);
	ok(format_compile("^(?<pid>\\d+)", &d) == NULL, "no ts group: refused");
	is_int(d.code, DIAG_PATTERN, "no ts group: DIAG_PATTERN");
	ok(strstr(d.msg, "no (?<ts>...) group") != NULL, "no ts: says so");

	diag_clear(&d);
	ok(format_compile("(?<ts>[0-9", &d) == NULL, "bad pattern refused");
	ok(strstr(d.msg, "offset 10") != NULL, "error names the offset: %s",
	    d.msg);

	diag_clear(&d);
	ok(format_compile("(?<ts>\\S+) (?<pdi>\\d+)", &d) == NULL,
	    "unknown group name refused");
	ok(strstr(d.msg, "\"pdi\"") != NULL, "names the unknown group");

	diag_clear(&d);
	ok(format_preset("nope", 0, &d) == NULL, "unknown preset");
	is_int(d.code, DIAG_USAGE, "unknown preset: usage");
}

/*
 * A line the pattern cannot match within PCRE2's limits is FORMAT_LIMIT with
 * the reason, not a failure of the pattern: the match limit (catastrophic
 * backtracking, JIT or not) and, with the JIT, its stack (a long line
 * under a repeated group).
 */
static void
test_limits(void)
{
	struct format_cap c;
	struct diag d;
	struct format *f;
	char *line;
	size_t n;

	f = format_compile("^(?:(a+)+$|(?<ts>.*))", &d);
	ok(f != NULL, "a backtracking pattern compiles");
	if (f == NULL)
		return;
	diag_clear(&d);
	is_int(format_match(f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 31, &c, &d),
	    FORMAT_LIMIT, "(a+)+ on 30 a's and a b: FORMAT_LIMIT");
	is_int(d.code, DIAG_NOMATCH, "  DIAG_NOMATCH");
	is_str(d.msg, "the pattern could not be matched within PCRE2's "
	    "limits: match limit exceeded", "  the reason");
	is_int(format_match(f, "2023-11-01 10:00:00", 19, &c, &d), 1,
	    "  and the next line matches");
	format_free(f);

	f = format_compile("^(?<ts>\\S+ \\S+) (?:k=v |x)*done$", &d);
	ok(f != NULL, "a repeated alternation compiles");
	if (f == NULL)
		return;
	/* 5000 pairs (20 kB) match on the grown JIT stack; 500,000 (2 MB)
	 * are past it (or the interpreter's heap limit): skipped. */
	n = 20 + 4 * 500000 + 4;
	line = malloc(n + 1);
	memcpy(line, "2023-11-01 10:00:01 ", 20);
	for (int k = 0; k < 500000; k++)
		memcpy(line + 20 + 4 * k, "k=v ", 4);
	memcpy(line + n - 4, "done", 4);
	memcpy(line + 20 + 4 * 5000, "done", 4);
	diag_clear(&d);
	is_int(format_match(f, line, 20 + 4 * 5000 + 4, &c, &d), 1,
	    "5000 k=v on one line: matched");
	ok(c.ts.s == line && c.ts.n == 19, "  its time captured");
	memcpy(line + 20 + 4 * 5000, "k=v ", 4);
	diag_clear(&d);
	is_int(format_match(f, line, n, &c, &d), FORMAT_LIMIT,
	    "500,000 k=v on one line: FORMAT_LIMIT");
	if (format_jit(f))
		is_str(d.msg, "the pattern could not be matched within "
		    "PCRE2's limits: JIT stack limit reached", "  the reason");
	else
		ok(strstr(d.msg, "within PCRE2's limits") != NULL,
		    "  the reason (no JIT)");
	free(line);
	format_free(f);
}

static void
test_why(void)
{
	struct format *f = preset("pid-tid-ts", 0);
	struct diag d;

	diag_clear(&d);
	format_why(f, "PID 12", 6, &d);
	is_str(d.msg, "expected a process id, got \"PID 12\"", "why: pid");
	is_int((long long)d.col, 1, "why: column 1");
	diag_clear(&d);
	format_why(f, "12: x", 5, &d);
	is_str(d.msg, "expected a thread id, got \"x\"", "why: tid");
	is_int((long long)d.col, 5, "why: column 5");
	diag_clear(&d);
	format_why(f, "1: 2: 2023-11-01 23:10:04 x", 27, &d);
	is_str(d.msg, "expected the end of the line after the timestamp, "
	    "got \"x\"", "why: trailing text");
	diag_clear(&d);
	format_why(f, "2023-11-01 23:30:45.443161", 26, &d);
	is_str(d.msg, "expected \"PID: TID: \" before the timestamp, got "
	    "\"2023-11-01 23:30:45.443161\" (a bare timestamp: -f ts or "
	    "-f iso)", "why: a bare timestamp under pid-tid-ts");
	format_free(f);
}

/* xorshift64*: the same lines on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	return tap_rnd(&rng);
}

static const char *const seeds[] = {
	"65432: 123145499639808: 2023-11-01 23:10:04.806247",
	"65432: 123145550008320: 2023-11-01 23:10:04.843306",
	"65432: 123148857540608: 2023-11-01 23:31:25.642219",
	"65432: 1: 2023-11-01 23:10:05",
	"2023-11-01 23:30:45.443161",
	"2023-11-01T23:30:45,443161Z",
	"2023-11-01T23:30:45.4+09:00",
	"2023-11-01 23:30:45-0530 \t",
	"2023-11-01 23:30:45 GET / 200",
	"1: 2: 2023-11-01 23:10:04.123456789+00:00",
	"INFO:     127.0.0.1:50123 - \"GET / HTTP/1.1\" 200 OK",
	"PID 12",
	"",
};

/* Bytes that sit at the edges of the grammar. */
static const char alphabet[] = "0123456789:- T.,Z+\tx\r\n\0";

static void
mutate(char *buf, size_t *n, size_t cap)
{
	size_t i = *n ? rnd() % (*n + 1) : 0;
	char c = alphabet[rnd() % (sizeof(alphabet) - 1)];

	switch (rnd() % 4) {
	case 0:		/* delete */
		if (i < *n) {
			memmove(buf + i, buf + i + 1, *n - i - 1);
			(*n)--;
		}
		break;
	case 1:		/* insert */
		if (*n + 1 < cap) {
			memmove(buf + i + 1, buf + i, *n - i);
			buf[i] = c;
			(*n)++;
		}
		break;
	case 2:		/* replace */
		if (i < *n)
			buf[i] = c;
		break;
	default:	/* a digit for a digit: stays valid more often */
		if (i < *n && buf[i] >= '0' && buf[i] <= '9')
			buf[i] = (char)('0' + rnd() % 10);
		break;
	}
}

static int
same_span(const struct record_str *a, const struct record_str *b)
{
	return a->s == b->s && (a->s == NULL || a->n == b->n);
}

/* A span that is absent or all digits, as a claim of plain must be. */
static int
digits_only(const struct record_str *r)
{
	for (size_t i = 0; r->s != NULL && i < r->n; i++)
		if (r->s[i] < '0' || r->s[i] > '9')
			return 0;
	return 1;
}

static void
test_equivalence(const char *name, long count)
{
	struct format *sc = preset(name, 0), *re = preset(name, FORMAT_PCRE);
	struct format_cap a, b;
	long matched = 0, differ = 0, unplain = 0;
	char buf[256];

	ok(format_scanner(sc) && !format_scanner(re), "%s: scanner vs PCRE2", name);
	for (long k = 0; k < count; k++) {
		const char *s = seeds[rnd() % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = strlen(s);
		int ra, rb;

		memcpy(buf, s, n);
		for (int j = (int)(rnd() % 4); j > 0; j--)
			mutate(buf, &n, sizeof(buf));
		/* A few lines of pure noise from the same alphabet. */
		if (rnd() % 16 == 0) {
			n = rnd() % 40;
			for (size_t i = 0; i < n; i++)
				buf[i] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		}
		ra = format_match(sc, buf, n, &a, NULL);
		rb = format_match(re, buf, n, &b, NULL);
		if (ra == 1)
			matched++;
		/* The scanner's word that its identities need no escaping. */
		if (ra == 1 && (!a.plain || !digits_only(&a.pid) ||
		    !digits_only(&a.tid) || !digits_only(&a.id)))
			unplain++;
		if (ra != rb || (ra == 1 && (!same_span(&a.ts, &b.ts) ||
		    !same_span(&a.pid, &b.pid) || !same_span(&a.tid, &b.tid)))) {
			if (differ++ < 5)
				tap_diag("%s: scanner %d, PCRE2 %d on \"%.*s\"",
				    name, ra, rb, (int)n, buf);
		}
	}
	is_int(differ, 0, "%s: %ld lines, same verdict and spans", name, count);
	is_int(unplain, 0, "%s: every match is marked plain, and its "
	    "identities are digits", name);
	/* Both outcomes must be well represented, or the test says little. */
	ok(matched > count / 20 && matched < count - count / 20,
	    "%s: %ld of %ld matched", name, matched, count);
	format_free(sc);
	format_free(re);
}

/*
 * format_set_time(): the scanner's times against ts_parse() of its ts span
 * (with a memo of its own), on the lines above and on lines that stay in a
 * few minutes (so that the one-pass path, with the memo's minute, is taken
 * most of the time), with no zone, a fixed one and one with DST (its fold
 * and gap): a time is given exactly when ts_parse() reads the span, and
 * then is what it reads; the verdict and spans are those without it.
 */
static const char *const tseeds[] = {
	"65432: 123145499639808: 2023-11-01 23:10:04.806247",
	"65432: 1: 2023-11-01 23:10:05",
	"65432: 1: 2023-11-01 23:10:59.123456789",
	"65432: 1: 2023-11-01 23:10:07.1234567890",
	"65432: 1: 2023-11-01 23:10:07.12345678",
	"65432: 1: 2023-11-01 23:10:08.Z",
	"65432: 1: 2023-11-01 23:10:60",
	"65432: 1: 2023-10-29 02:30:00.5",
	"65432: 1: 2023-03-26 02:30:00,25",
	"2023-11-01 23:10:45.443161Z",
	"2023-11-01T23:10:45,4+09:00",
	"2023-11-01 23:10:45-0530 \t",
	"2023-11-01 23:10:45+2400",
	"2023-11-01 23:10:45 GET / 200",
	"9999-12-31 23:59:59.999999999Z",
	"2023-02-29 23:10:45",
};

static int
same_time(const struct ts *a, const struct ts *b)
{
	return a->sec == b->sec && a->nsec == b->nsec &&
	    a->digits == b->digits && a->flags == b->flags;
}

static void
test_time(const char *name, const char *zone, long count)
{
	struct format *f = preset(name, 0), *plain = preset(name, 0);
	struct ts_memo mf, mr;
	struct ts_opt of = { .form = TS_ISO, .memo = &mf }, orf = of;
	struct format_cap a, b;
	struct diag d;
	struct ts t;
	long given = 0, refused = 0, differ = 0;
	const char *s0;
	char buf[256];

	memset(&mf, 0, sizeof(mf));
	memset(&mr, 0, sizeof(mr));
	orf.memo = &mr;
	if (zone != NULL && (of.zone = orf.zone = ts_zone_new(zone,
	    &d)) == NULL)
		tap_diag("zone %s: %s", zone, d.msg);
	format_set_time(f, &of);
	for (long k = 0; k < count; k++) {
		const char *s = rnd() % 2 ? seeds[rnd() % (sizeof(seeds) /
		    sizeof(seeds[0]))] : tseeds[rnd() % (sizeof(tseeds) /
		    sizeof(tseeds[0]))];
		size_t n = strlen(s);
		int ra, rb, rt;

		memcpy(buf, s, n);
		for (int j = (int)(rnd() % 3); j > 0; j--)
			mutate(buf, &n, sizeof(buf));
		ra = format_match(f, buf, n, &a, NULL);
		rb = format_match(plain, buf, n, &b, NULL);
		if (ra != rb || b.has_t || (ra == 1 &&
		    (!same_span(&a.ts, &b.ts) || !same_span(&a.pid, &b.pid) ||
		    !same_span(&a.tid, &b.tid)))) {
			if (differ++ < 5)
				tap_diag("%s: %d with times, %d without, on "
				    "\"%.*s\"", name, ra, rb, (int)n, buf);
			continue;
		}
		if (ra != 1)
			continue;
		rt = ts_parse(b.ts.s, b.ts.n, &orf, &t, NULL);
		if ((rt == 0) != (a.has_t != 0) ||
		    (rt == 0 && !same_time(&a.t, &t))) {
			if (differ++ < 5)
				tap_diag("%s: time %s, ts_parse %d on \"%.*s\"",
				    name, a.has_t ? "given" : "not given", rt,
				    (int)n, buf);
		}
		given += a.has_t != 0;
		refused += !a.has_t;
	}
	is_int(differ, 0, "%s (zone %s): %ld lines, the times as ts_parse "
	    "reads them, the spans as without", name, zone ? zone : "none",
	    count);
	ok(given > count / 10 && refused > count / 100, "%s (zone %s): %ld "
	    "times given, %ld refused", name, zone ? zone : "none", given,
	    refused);
	format_set_time(f, NULL);
	s0 = strcmp(name, "pid-tid-ts") == 0 ? tseeds[0] : tseeds[9];
	ok(format_match(f, s0, strlen(s0), &a, NULL) == 1 && !a.has_t,
	    "%s: no time after format_set_time(NULL)", name);
	ts_zone_free(of.zone);
	format_free(f);
	format_free(plain);
}

/* Every line of the article's six excerpts, as they are, through the
 * scanner and the pattern of each scanned preset. */
static void
test_article(void)
{
	static const char *const files[] = {
		"run1-n4-sleep10s.log", "run2-n100-sleep10s.log",
		"run3-n100-sleep30s.log", "run4-n200-sleep30s.log",
		"run5-n200-api30s.server.log", "run5-n200-api30s.api.log"
	};
	static const char *const names[] = { "pid-tid-ts", "ts", "iso" };
	long lines = 0, differ = 0, matched[3] = { 0, 0, 0 };
	char path[128], buf[256];

	for (size_t i = 0; i < 6; i++) {
		FILE *fp;

		snprintf(path, sizeof(path), "testdata/article/%s", files[i]);
		if ((fp = fopen(path, "r")) == NULL) {
			ok(0, "open %s", path);
			continue;
		}
		while (fgets(buf, sizeof(buf), fp) != NULL) {
			size_t n = strcspn(buf, "\r\n");

			lines++;
			for (int k = 0; k < 3; k++) {
				struct format *sc = preset(names[k], 0);
				struct format *re = preset(names[k], FORMAT_PCRE);
				struct format_cap a, b;
				int ra = format_match(sc, buf, n, &a, NULL);
				int rb = format_match(re, buf, n, &b, NULL);

				if (ra != rb || (ra == 1 &&
				    (!same_span(&a.ts, &b.ts) ||
				    !same_span(&a.pid, &b.pid) ||
				    !same_span(&a.tid, &b.tid))))
					differ++;
				matched[k] += ra == 1;
				format_free(sc);
				format_free(re);
			}
		}
		fclose(fp);
	}
	is_int(lines, 54, "the article's 54 lines");
	is_int(differ, 0, "scanners and patterns agree on every one");
	/* 44 completions are PID: TID: TIMESTAMP, 10 arrivals bare. */
	is_int(matched[0], 44, "pid-tid-ts matches the 44 completions");
	is_int(matched[1], 10, "ts matches the 10 bare arrivals");
	is_int(matched[2], 10, "iso matches the same 10");
}

/* A pattern in UTF mode on a line that is not UTF-8: PCRE2's JIT does not
 * check its subject, and crashed (found by fuzz/pattern); compiled with
 * PCRE2_MATCH_INVALID_UTF, such a line simply does not match there. */
static void
test_utf_invalid(void)
{
	struct format_cap c;
	struct diag d;
	struct format *f;

	f = format_compile("(*UTF)(?<ts>\\X)", &d);
	ok(f != NULL, "a (*UTF) pattern compiles");
	if (f == NULL)
		return;
	diag_clear(&d);
	is_int(format_match(f, "\xff", 1, &c, &d), 0,
	    "a lone 0xff byte does not match (and does not crash)");
	is_int(format_match(f, "\xe2\x82", 2, &c, &d), 0,
	    "a cut sequence does not match");
	is_int(format_match(f, "\xc3\xa9", 2, &c, &d), 1,
	    "a valid two-byte character matches");
	ok(c.ts.n == 2, "  as one character");
	format_free(f);
}

/* -f json: one line read, with the maps given. */
static int
jm(const char *const *maps, size_t nmaps, const char *line,
    struct format_cap *c)
{
	static struct format *f;
	struct diag d;
	int rc;

	/* One format for every line of a map set: what a line leaves
	 * behind must not leak into the next. */
	format_free(f);
	diag_clear(&d);
	if ((f = format_json(maps, nmaps, &d)) == NULL) {
		printf("Bail out! format_json: %s\n", d.msg);
		exit(1);
	}
	rc = format_match(f, line, strlen(line), c, &d);
	if (maps == NULL && line[0] == '\0') {
		format_free(f);
		f = NULL;
	}
	return rc;
}

/* An epoch's reading: "sec.nsec/digits", or the skip code's name. */
static const char *
jt(const char *line)
{
	struct format_cap c;
	int rc = jm(NULL, 0, line, &c);

	if (rc == FORMAT_SKIP)
		snprintf(got, sizeof(got), "skip %s", skip_name(c.skip));
	else if (rc == 1 && c.has_t)
		snprintf(got, sizeof(got), "%lld.%09d/%d", (long long)c.t.sec,
		    (int)c.t.nsec, c.t.digits);
	else if (rc == 1)
		snprintf(got, sizeof(got), "text %.*s", (int)c.ts.n, c.ts.s);
	else
		snprintf(got, sizeof(got), "rc %d", rc);
	return got;
}

static void
test_json(void)
{
	static const char *const maps[] = { "route=req.path", "status=status",
	    "dur=dur", "id=id", "tid=a.b" };
	struct format_cap c;
	struct diag d;
	struct format *f;

	/* The epoch digit-count rule at each edge, which key, and lines
	 * skipped: the line, its reading (jt()), what it shows. */
	static const struct { const char *line, *want, *what; } times[] = {
		{ "{\"ts\":\"2023-11-14T22:13:20Z\\u0000x\"}",
		    "skip bad_timestamp", "a time with a NUL: refused, not cut" },
		{ "{\"ts\":\"2023-11-14T22:13:20\\u005a\"}",
		    "text 2023-11-14T22:13:20Z", "an escaped time, decoded" },
		{ "{\"ts\":12345678}",
		    "skip bad_timestamp", "8 digits: no epoch" },
		{ "{\"ts\":123456789}",
		    "123456789.000000000/0", "9: seconds" },
		{ "{\"ts\":17000000001}",
		    "17000000001.000000000/0", "11: seconds" },
		{ "{\"ts\":170000000012}",
		    "170000000.012000000/3", "12: ms" },
		{ "{\"ts\":1745532517537}",
		    "1745532517.537000000/3", "13: ms (pino)" },
		{ "{\"ts\":17000000001234}",
		    "17000000001.234000000/3", "14: ms" },
		{ "{\"ts\":170000000012345}",
		    "170000000.012345000/6", "15: us" },
		{ "{\"ts\":17000000001234567}",
		    "17000000001.234567000/6", "17: us" },
		{ "{\"ts\":170000000012345678}",
		    "170000000.012345678/9", "18: ns" },
		{ "{\"ts\":99999999999999999999}",
		    "99999999999.999999999/9", "20 digits: ns, exact (no double holds it)" },
		{ "{\"ts\":100000000000000000000}",
		    "skip bad_timestamp", "21 digits: no epoch" },
		{ "{\"ts\":\"0001700000000\"}",
		    "1700000000.000000000/0", "a string of digits: an epoch, leading zeros not counted" },
		{ "{\"ts\":1700000000.123456789}",
		    "1700000000.123456789/9", "a fraction: seconds, nine digits exact" },
		{ "{\"ts\":1700000000.1234567891}",
		    "skip bad_timestamp", "ten fraction digits: refused" },
		{ "{\"ts\":1.5e9}",
		    "1500000000.000000000/0", "an exponent moves the point" },
		{ "{\"ts\":17.5e8}",
		    "1750000000.000000000/0", "  and a whole number comes of it" },
		{ "{\"ts\":-1700000000}",
		    "skip bad_timestamp", "negative" },
		{ "{\"ts\":1e400}",
		    "skip bad_timestamp", "an exponent past any time" },
		{ "{\"ts\":999999999999.5}",
		    "skip bad_timestamp", "after 9999" },
		{ "{\"time\":1700000001,\"timestamp\":1700000000}",
		    "1700000000.000000000/0", "timestamp before time" },
		{ "{\"timestamp\":null,\"date\":\"2023-11-14T22:13:20Z\"}",
		    "text 2023-11-14T22:13:20Z", "null is absent: the next key" },
		{ "{\"@timestamp\":\"2023-11-14T22:13:20Z\"}",
		    "text 2023-11-14T22:13:20Z", "@timestamp" },
		{ "{\"x\":\"}{\\\"ts\\\":5\",\"a\":[{\"ts\":1}],\"ts\":1700000000}",
		    "1700000000.000000000/0", "the top-level key, not one in a string or an array" },
		{ "{\"\\u0074s\":1700000000123}",
		    "1700000000.123000000/3", "an escaped key, as cJSON reads it, and its number's text" },
		{ "{\"ts\":1700000000,\"ts\":1}",
		    "1700000000.000000000/0", "a key twice: the first, as cJSON takes it" },
		{ "{\"ts\":true}",
		    "skip bad_timestamp", "a boolean time" },
		{ "{\"msg\":1}",
		    "skip no_ts_key", "no time key" },
		{ "[1]",
		    "skip not_json", "an array" },
		{ "{\"ts\":1} x",
		    "skip not_json", "text after the object" },
		{ "nope",
		    "skip not_json", "not JSON" },
		{ "",
		    "skip not_json", "empty" },
	};

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		is_str(jt(times[i].line), times[i].want, "%s", times[i].what);

	/* The groups. */
	is_int(jm(maps, 5, "{\"ts\":1700000000,\"req.path\":\"/flat\","
	    "\"req\":{\"path\":\"/nested\"},\"status\":404,\"dur\":0.1,"
	    "\"id\":12345678901234567890,\"a\":{\"b\":\"x\\u0000y\"}}", &c),
	    1, "a line with every map");
	is_str(span(&c.route), "/flat", "a.b: the flat key first");
	is_str(span(&c.status), "404", "status as its text");
	is_str(span(&c.dur), "0.1", "dur as its text: exactly 0.1");
	is_str(span(&c.id), "12345678901234567890", "a 20-digit id as written");
	ok(c.tid.n == 3 && memcmp(c.tid.s, "x\0y", 3) == 0,
	    "a NUL inside a string kept (\\u0000)");
	is_int(jm(maps, 5, "{\"ts\":1700000000,\"req\":{\"path\":"
	    "\"\\/a\\tb\"},\"dur\":2.5e-1}", &c), 1, "nested, escaped");
	is_str(span(&c.route), "/a\tb", "  the nested key, decoded");
	is_str(span(&c.dur), "0.25", "  dur's exponent applied");
	is_str(span(&c.pid), "(none)", "  no pid");
	is_int(jm(maps, 5, "{\"ts\":1700000000,\"status\":[200]}", &c),
	    FORMAT_SKIP, "an array where a status goes");
	is_str(skip_name(c.skip), "bad_field", "  bad_field");
	is_int(jm(NULL, 0, "{\"ts\":1700000000,\"pid\":{\"x\":1}}", &c), 1,
	    "pid read by default: an object there is not a reason to skip");
	is_str(span(&c.pid), "(none)", "  and no pid");
	is_int(jm(NULL, 0, "{\"ts\":1700000000,\"pid\":4242}", &c), 1,
	    "pid by default");
	is_str(span(&c.pid), "4242", "  its text");
	jm(NULL, 0, "", &c);

	/* Maps refused. */
	diag_clear(&d);
	ok((f = format_json((const char *const []){ "size=x" }, 1, &d)) ==
	    NULL && d.code == DIAG_USAGE, "a map that names no group");
	format_free(f);
	ok((f = format_json((const char *const []){ "ts=" }, 1, &d)) ==
	    NULL && d.code == DIAG_USAGE, "an empty key");
	format_free(f);
	ok((f = format_json((const char *const []){ "ts=a", "ts=b" }, 2,
	    &d)) == NULL && d.code == DIAG_USAGE, "a group mapped twice");
	format_free(f);
	f = preset("json", 0);
	ok(!format_scanner(f) && !format_jit(f), "json: neither a scanner "
	    "nor a pattern");
	format_free(f);
}

int
main(void)
{
	test_json();
	test_article();
	test_presets();
	test_custom();
	test_limits();
	test_utf_invalid();
	test_why();
	test_equivalence("pid-tid-ts", 200000);
	test_equivalence("ts", 200000);
	test_equivalence("iso", 200000);
	for (int z = 0; z < 3; z++) {
		static const char *const zones[] = { NULL, "+09:00",
			"Europe/Berlin" };

		test_time("pid-tid-ts", zones[z], 100000);
		test_time("ts", zones[z], 100000);
		test_time("iso", zones[z], 100000);
	}
	return done_testing();
}
