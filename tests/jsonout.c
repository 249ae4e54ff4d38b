/*
 * jsonout: JSON string escapes, U+FFFD per maximal invalid subpart (the
 * examples of Unicode 15 section 3.9, table 3-8 and around it), TSV
 * escapes, integers at their limits, doubles that read back bit for bit,
 * and flushing to a FILE.
 */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "tap.h"

static char out[4096];

/* What jsonout_str writes for s[0..n), as a C string; *bad the U+FFFD count. */
static const char *
str(const char *s, size_t n, size_t *bad)
{
	struct jsonout w;

	jsonout_init(&w, NULL);
	jsonout_str(&w, s, n);
	snprintf(out, sizeof(out), "%.*s", (int)w.len, w.buf ? w.buf : "");
	if (bad != NULL)
		*bad = w.bad;
	jsonout_free(&w);
	return out;
}

static const char *
tsv(const char *s, size_t n)
{
	struct jsonout w;

	jsonout_init(&w, NULL);
	jsonout_tsv(&w, s, n);
	snprintf(out, sizeof(out), "%.*s", (int)w.len, w.buf ? w.buf : "");
	jsonout_free(&w);
	return out;
}

#define S(lit)	(lit), sizeof(lit) - 1

static void
test_escapes(void)
{
	size_t bad;

	is_str(str(S(""), &bad), "\"\"", "empty string");
	is_str(str(S("plain"), &bad), "\"plain\"", "plain ASCII");
	is_str(str(S("a\"b\\c"), &bad), "\"a\\\"b\\\\c\"", "quote, backslash");
	is_str(str(S("\n\t\r\b\f"), &bad), "\"\\n\\t\\r\\b\\f\"",
	    "short escapes");
	is_str(str(S("\x01\x1f"), &bad), "\"\\u0001\\u001f\"",
	    "other controls as \\u00XX");
	is_str(str("a\0b", 3, &bad), "\"a\\u0000b\"", "NUL escaped");
	is_str(str(S("\x7f/"), &bad), "\"\x7f/\"",
	    "DEL and slash need no escape");
	is_int((long long)bad, 0, "nothing replaced");
}

static void
test_utf8(void)
{
	size_t bad;

	is_str(str(S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), &bad),
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	    "2-, 3- and 4-byte sequences pass through");
	is_int((long long)bad, 0, "valid UTF-8: no replacement");
	/* Unicode 15, table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 is
	 * 61 FFFD FFFD FFFD 62 FFFD 63 FFFD FFFD 64. */
	is_str(str(S("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64"),
	    &bad), "\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd\xef\xbf\xbd" "d\"", "table 3-8");
	is_int((long long)bad, 6, "table 3-8: six replacements");
	/* A surrogate's ED A0 is not a maximal subpart: ED alone is, then
	 * A0 and 80 are lone continuation bytes. */
	is_str(str(S("\xed\xa0\x80"), &bad),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "surrogate: three");
	is_int((long long)bad, 3, "surrogate: 3 counted");
	is_str(str(S("\xc0\xaf"), &bad), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "overlong C0 AF: two");
	is_str(str(S("\xf4\x90\x80\x80"), &bad),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "above U+10FFFF: four");
	is_str(str(S("x\xe2\x82"), &bad), "\"x\xef\xbf\xbd\"",
	    "truncated at the end: one for the maximal subpart E2 82");
	is_int((long long)bad, 1, "truncated: 1 counted");
	is_str(str(S("\xe2\x82(\""), &bad), "\"\xef\xbf\xbd(\\\"\"",
	    "truncated before ASCII, then an escape");
	is_str(str(S("\xff\xfe"), &bad), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "FF FE: two");
}

/* The one validator (jsonout_utf8_len, also report/words.c's): lengths of
 * well-formed sequences, minus the maximal subpart of ill-formed ones. */
static void
test_utf8_len(void)
{
	static const struct {
		const char *s;
		long want;
	} c[] = {
		{ "a", 1 }, { "\xc3\xa9", 2 }, { "\xe2\x82\xac", 3 },
		{ "\xf0\x9f\x98\x80", 4 }, { "\xc0\xaf", -1 },
		{ "\xe0\x80\x80", -1 }, { "\xed\xa0\x80", -1 },
		{ "\xf0\x9f\x98", -3 }, { "\xf4\x90\x80\x80", -1 },
		{ "\xe2\x82", -2 }, { "\xff", -1 }, { "\x80", -1 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		is_int(jsonout_utf8_len((const unsigned char *)c[i].s,
		    strlen(c[i].s)), c[i].want, "jsonout_utf8_len case %zu", i);
}

static void
test_tsv(void)
{
	is_str(tsv(S("a\tb\nc\\d\re")), "a\\tb\\nc\\\\d\\re", "TSV escapes");
	is_str(tsv(S("\"q\" \x01")), "\"q\" \x01",
	    "TSV leaves quotes and other controls");
	is_str(tsv(S("\xff")), "\xef\xbf\xbd", "TSV: U+FFFD");
}

static const char *
num(int which, int64_t v)
{
	struct jsonout w;

	jsonout_init(&w, NULL);
	if (which)
		jsonout_i64(&w, v);
	else
		jsonout_u64(&w, (uint64_t)v);
	snprintf(out, sizeof(out), "%.*s", (int)w.len, w.buf);
	jsonout_free(&w);
	return out;
}

static void
test_ints(void)
{
	struct jsonout w;

	is_str(num(0, 0), "0", "u64 0");
	is_str(num(0, (int64_t)UINT64_MAX), "18446744073709551615",
	    "u64 max");
	is_str(num(1, INT64_MIN), "-9223372036854775808", "i64 min");
	is_str(num(1, -1), "-1", "i64 -1");
	is_str(num(1, INT64_MAX), "9223372036854775807", "i64 max");
	jsonout_init(&w, NULL);
	jsonout_u64(&w, 17);
	jsonout_char(&w, ',');
	jsonout_cstr(&w, "x");
	jsonout_raw(&w, "yz", 2);
	ok(w.len == 6 && memcmp(w.buf, "17,xyz", 6) == 0, "appends in order");
	jsonout_free(&w);
	jsonout_free(NULL);
}

/* xorshift64*: the same doubles on every run. */
static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	return tap_rnd(&rng);
}

/*
 * The fast path for whole nanoseconds against the general path
 * (snprintf/strtod): the analysis's times and durations, decimals of 0 to 9
 * fraction digits at every magnitude, near the fast path's bounds, and
 * values one ulp off a decimal (not whole nanoseconds).
 */
static void
test_dtoa_ns(void)
{
	static const double edges[] = {
		1e-4, 0.00010000000000000002, 9.999999999999999e-05, 1e6,
		999999.999999999, 999999.99999999988, 0.000100001, 0.5, 1, 2.5,
		0.0025, 12.000000001, 100000, 123456.789012345, 0.001,
		-0.0025, -999999.999999999, -1e-4, 4503599.627370496,
		0.30000000000000004, 1e-9, 5e-5
	};
	char a[JSONOUT_DTOA_MAX], b[JSONOUT_DTOA_MAX];
	long diff = 0, fast = 0, n = 0;

	for (size_t k = 0; k < sizeof(edges) / sizeof(*edges); k++) {
		n++;
		diff += strcmp(jsonout_dtoa(edges[k], a),
		    jsonout_dtoa_general(edges[k], b)) != 0;
	}
	for (int i = 0; i < 400000; i++) {
		uint64_t r = rnd();
		int digits = (int)(r % 10), mag = (int)((r >> 8) % 16);
		double p10 = pow(10, digits), v;
		uint64_t m = (rnd() % (uint64_t)pow(10, mag)) + 1;

		v = (double)m / p10;
		if (r & (1u << 20))
			v = -v;
		if (r & (1u << 21))	/* one ulp off: not a decimal */
			v = nextafter(v, 2 * v);
		jsonout_dtoa(v, a);
		jsonout_dtoa_general(v, b);
		diff += strcmp(a, b) != 0;
		fast += fabs(v) >= 1e-4 && fabs(v) < 1e6 &&
		    (double)llround(fabs(v) * 1e9) / 1e9 == fabs(v);
		n++;
	}
	is_int(diff, 0, "whole-nanosecond doubles: the fast path writes what "
	    "snprintf/strtod write (%ld values)", n);
	ok(fast > 100000, "and the fast path took many of them (%ld)", fast);
}

static void
test_doubles(void)
{
	char buf[JSONOUT_DTOA_MAX];
	long bad = 0, longer = 0;

	is_str(jsonout_dtoa(0.1, buf), "0.1", "0.1 shortest");
	is_str(jsonout_dtoa(0.1 + 0.2, buf), "0.30000000000000004",
	    "0.1 + 0.2 is not 0.3 (cJSON would say 0.3)");
	is_str(jsonout_dtoa(1698880204.806247, buf), "1698880204.806247",
	    "an epoch time");
	is_str(jsonout_dtoa(-0.0, buf), "-0", "negative zero");
	is_str(jsonout_dtoa(NAN, buf), "null", "NaN is null");
	is_str(jsonout_dtoa(INFINITY, buf), "null", "infinity is null");
	ok(strtod(jsonout_dtoa(5e-324, buf), NULL) == 5e-324, "smallest subnormal");
	ok(strtod(jsonout_dtoa(DBL_MAX, buf), NULL) == DBL_MAX, "DBL_MAX");
	for (int i = 0; i < 200000; i++) {
		uint64_t b = rnd();
		double v;

		memcpy(&v, &b, sizeof(v));
		if (!isfinite(v))
			continue;
		jsonout_dtoa(v, buf);
		if (strtod(buf, NULL) != v)
			bad++;
		/* The first of %.15g, %.16g, %.17g that reads back. */
		for (int prec = 15; prec <= 17; prec++) {
			char s2[40];

			snprintf(s2, sizeof(s2), "%.*g", prec, v);
			if (strtod(s2, NULL) == v) {
				if (strcmp(s2, buf) != 0)
					longer++;
				break;
			}
		}
	}
	is_int(bad, 0, "random doubles read back bit for bit");
	is_int(longer, 0, "the first of %%.15g/%%.16g/%%.17g that reads back");
	test_dtoa_ns();
}

static void
test_flush(void)
{
	FILE *fp = tmpfile();
	struct jsonout w;
	char back[64] = "";

	if (fp == NULL) {
		ok(0, "tmpfile");
		return;
	}
	jsonout_init(&w, fp);
	jsonout_cstr(&w, "hello ");
	jsonout_str(&w, S("w"));
	is_int(jsonout_maybe_flush(&w), 0, "small buffer: no flush yet");
	is_int(jsonout_flush(&w), 0, "flush");
	rewind(fp);
	if (fgets(back, sizeof(back), fp) == NULL)
		back[0] = '\0';
	is_str(back, "hello \"w\"", "written to the FILE");
	jsonout_free(&w);
	fclose(fp);
}

/* Write the same records (k lines of growing length) through w. */
static void
records(struct jsonout *w, int k)
{
	for (int i = 0; i < k; i++) {
		jsonout_raw(w, "{\"n\":", 5);
		jsonout_u64(w, (uint64_t)i);
		jsonout_raw(w, ",\"s\":", 5);
		jsonout_str(w, "0123456789abcdefghij", (size_t)(i % 21));
		jsonout_raw(w, "}\n", 2);
		jsonout_maybe_flush(w);
	}
}

/*
 * The writer thread: the same bytes as writing in the caller's thread,
 * over many handovers (about 45 MB in 1 MiB buffers), flushed in the
 * middle and at the end; and a write error (the FILE /dev/full) comes back
 * from jsonout_flush() as it does without the thread.
 */
static void
test_async(void)
{
	FILE *a = tmpfile(), *b = tmpfile(), *full;
	struct jsonout wa, wb;
	long na, nb, differ = 0;

	if (a == NULL || b == NULL) {
		ok(0, "tmpfile");
		return;
	}
	jsonout_init(&wa, a);
	jsonout_init(&wb, b);
	is_int(jsonout_async(&wa), 0, "async: a writer thread");
	is_int(jsonout_async(&wa), 0, "async: asked twice, still the one");
	records(&wa, 1000000);
	records(&wb, 1000000);
	is_int(jsonout_flush(&wa), 0, "async: flush in the middle");
	records(&wa, 500000);
	records(&wb, 500000);
	is_int(jsonout_flush(&wa), 0, "async: flush at the end");
	is_int(jsonout_flush(&wb), 0, "sync: flush");
	na = ftell(a);
	nb = ftell(b);
	ok(na > 40000000, "async: %ld bytes written (many buffers)", na);
	is_int(na, nb, "async and sync wrote as many bytes");
	rewind(a);
	rewind(b);
	for (long i = 0; i < nb; i++)
		if (getc(a) != getc(b)) {
			differ = i + 1;
			break;
		}
	is_int(differ, 0, "async and sync wrote the same bytes");
	jsonout_free(&wa);
	jsonout_free(&wb);
	fclose(a);
	fclose(b);

	if ((full = fopen("/dev/full", "w")) == NULL) {
		ok(0, "open /dev/full");
		return;
	}
	setvbuf(full, NULL, _IONBF, 0);
	jsonout_init(&wa, full);
	is_int(jsonout_async(&wa), 0, "async: a writer for /dev/full");
	records(&wa, 200000);
	is_int(jsonout_flush(&wa), -1, "async: a failed write fails the flush");
	is_int(wa.err, ENOSPC, "async: and says why (ENOSPC)");
	is_int(jsonout_maybe_flush(&wa), -1, "async: the error is sticky");
	jsonout_free(&wa);
	/* One small record: the error comes back from the flush's wait,
	 * not from a handover. */
	jsonout_init(&wa, full);
	is_int(jsonout_async(&wa), 0, "async: again");
	records(&wa, 1);
	is_int(jsonout_flush(&wa), -1, "async: one record to /dev/full fails the "
	    "flush");
	is_int(wa.err, ENOSPC, "async: ENOSPC");
	jsonout_free(&wa);
	fclose(full);
}

/* A reader at the far end of a pipe that takes its time: a write into
 * the pipe blocks, so the writer thread is still busy when the next
 * buffer is ready. */
struct sink {
	int		 fd;
	FILE		*out;	/* what arrived */
};

static void *
slow_reader(void *arg)
{
	struct sink *k = arg;
	char buf[65536];
	ssize_t got;

	while ((got = read(k->fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)got, k->out);
		usleep(200);
	}
	return NULL;
}

/* Records through a slow pipe, async; the bytes that arrive go to
 * dst, which the caller compares.  free_early: jsonout_free() without a flush
 * (what was handed over must arrive all the same); *held is then what was
 * not handed over. */
static int
through_pipe(FILE *dst, int count, int free_early, size_t *held)
{
	struct sink k;
	pthread_t th;
	struct jsonout w;
	FILE *fp;
	int fds[2];

	if (pipe(fds) == -1)
		return -1;
	k.fd = fds[0];
	k.out = dst;
	if ((fp = fdopen(fds[1], "w")) == NULL ||
	    pthread_create(&th, NULL, slow_reader, &k) != 0)
		return -1;
	jsonout_init(&w, fp);
	if (jsonout_async(&w) == -1)
		return -1;
	records(&w, count);
	*held = w.len;
	if (!free_early)
		jsonout_flush(&w);
	jsonout_free(&w);
	fclose(fp);
	pthread_join(th, NULL);
	close(fds[0]);
	return 0;
}

/*
 * A slow reader: every buffer arrives, whole and in order (the handover
 * waits for the writer); jsonout_free() without a flush still writes the buffer
 * the writer holds, and only the one being filled is dropped, as it is
 * without the thread.
 */
static void
test_async_slow(void)
{
	FILE *want = tmpfile(), *got = tmpfile(), *got2 = tmpfile();
	struct jsonout w;
	size_t held = 0;
	long nw, ng;
	int differ = 0;

	if (want == NULL || got == NULL || got2 == NULL) {
		ok(0, "tmpfile");
		return;
	}
	jsonout_init(&w, want);
	records(&w, 300000);
	jsonout_flush(&w);
	jsonout_free(&w);
	is_int(through_pipe(got, 300000, 0, &held), 0, "slow pipe: set up");
	fflush(got);
	nw = ftell(want);
	ng = ftell(got);
	is_int(ng, nw, "slow pipe: every byte arrived (%ld)", nw);
	rewind(want);
	rewind(got);
	for (long i = 0; i < nw && !differ; i++)
		differ = getc(want) != getc(got);
	ok(!differ, "slow pipe: the same bytes, in order");

	is_int(through_pipe(got2, 300000, 1, &held), 0, "free early: set up");
	fflush(got2);
	ok(held > 0, "free early: %zu bytes not handed over", held);
	is_int(ftell(got2), nw - (long)held, "free early: all that was "
	    "handed over arrived");
	fclose(want);
	fclose(got);
	fclose(got2);
}

/* jsonout_bad_utf8 counts what jsonout_str replaces, without writing: the same
 * number on valid text, each kind of fault, and truncated sequences. */
static void
test_bad_count(void)
{
	static const char *const cases[] = {
		"plain ascii", "caf\xc3\xa9", "\xff", "a\xc3", "\xe0\x80\x80",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98",
		"x\xc3\xa9\xff\xfe\xe2\x82", "\xc0\xaf", ""
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonout w;

		jsonout_init(&w, NULL);
		jsonout_str(&w, cases[i], strlen(cases[i]));
		is_int((long long)jsonout_bad_utf8(cases[i], strlen(cases[i])),
		    (long long)w.bad, "jsonout_bad_utf8 agrees with jsonout_str, case %zu",
		    i);
		jsonout_free(&w);
	}
	/* By hand: \xff, \xfe and the truncated \xe2\x82, three. */
	is_int((long long)jsonout_bad_utf8(cases[8], strlen(cases[8])), 3,
	    "jsonout_bad_utf8 counts each maximal subpart once");
}

/* One byte as jsonout_str() writes it when it stands alone (a byte from
 * 0x80 alone is not UTF-8: U+FFFD). */
static size_t
ref_esc(unsigned char b, char *p)
{
	switch (b) {
	case '"':  memcpy(p, "\\\"", 2); return 2;
	case '\\': memcpy(p, "\\\\", 2); return 2;
	case '\b': memcpy(p, "\\b", 2); return 2;
	case '\f': memcpy(p, "\\f", 2); return 2;
	case '\n': memcpy(p, "\\n", 2); return 2;
	case '\r': memcpy(p, "\\r", 2); return 2;
	case '\t': memcpy(p, "\\t", 2); return 2;
	}
	if (b < 0x20)
		return (size_t)sprintf(p, "\\u%04x", b);
	if (b >= 0x80) {
		memcpy(p, "\xef\xbf\xbd", 3);
		return 3;
	}
	*p = (char)b;
	return 1;
}

/*
 * jsonout_str() goes eight bytes a step past bytes it need not look at:
 * runs of 0 to 40 plain bytes with one byte of every value at each place,
 * against the text made here byte by byte (and the bad byte counted).
 */
static void
test_str_words(void)
{
	int fails = 0, n = 0;

	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at <= len; at++)
			for (int b = 0; b < 256; b++) {
				struct jsonout w;
				char *in = malloc(len + 1), want[300];
				size_t k, wn = 0;

				for (k = 0; k < len; k++)
					in[k] = (char)('a' + k % 26);
				if (at < len)
					in[at] = (char)b;
				want[wn++] = '"';
				for (k = 0; k < len; k++)
					wn += ref_esc((unsigned char)in[k],
					    want + wn);
				want[wn++] = '"';
				jsonout_init(&w, NULL);
				jsonout_str(&w, in, len);
				if ((w.len != wn || memcmp(w.buf, want, wn) != 0 ||
				    w.bad != (at < len && b >= 0x80)) &&
				    fails++ == 0)
					tap_diag("jsonout_str: %zu bytes, %d at "
					    "%zu", len, b, at);
				jsonout_free(&w);
				free(in);
				n++;
			}
	is_int(fails, 0, "jsonout_str: %d strings with one byte of each value "
	    "at each place", n);
}

int
main(void)
{
	test_bad_count();
	test_escapes();
	test_str_words();
	test_utf8();
	test_utf8_len();
	test_tsv();
	test_ints();
	test_doubles();
	test_flush();
	test_async();
	test_async_slow();
	return done_testing();
}
