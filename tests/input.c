/*
 * input: line splitting (CRLF, no final newline, blank lines), the line limit
 * (small limits, lines across blocks, the real 16 MiB limit generated at
 * run time), gzip (members back to back, corrupt, truncated, trailing
 * garbage), SHA-256 against known digests, missing files and read errors.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "input.h"
#include "tap.h"

static char line[8192];

/* The next line as a string ("<EOF>", "<ERR>", "<LONG n>" otherwise). */
static const char *
next(struct input *r, struct diag *d)
{
	struct input_line l;
	int st = input_next(r, &l, d);

	if (st == INPUT_EOF)
		return "<EOF>";
	if (st == INPUT_ERR)
		return "<ERR>";
	if (st == INPUT_TOOLONG) {
		snprintf(line, sizeof(line), "<LONG %llu>",
		    (unsigned long long)l.full);
		return line;
	}
	snprintf(line, sizeof(line), "%.*s", (int)l.n, l.s);
	return line;
}

/* Read to the end; "<EOF>" or "<ERR>". */
static const char *
drain(struct input *r, struct diag *d)
{
	const char *s;

	while (strcmp(s = next(r, d), "<EOF>") != 0 && strcmp(s, "<ERR>") != 0)
		;
	return s;
}

static struct input *
mem(const char *s, size_t n, size_t maxline)
{
	struct diag d;
	struct input *r;

	diag_clear(&d);
	if ((r = input_open_mem(s, n, maxline, &d)) == NULL) {
		printf("Bail out! input_open_mem: %s\n", d.msg);
		exit(1);
	}
	return r;
}

static void
hexdigest(const void *s, size_t n, char hex[65])
{
	unsigned char md[32];
	unsigned int len = 0;

	EVP_Digest(s, n, md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

static void
test_split(void)
{
	static const char in[] = "a\nb\r\n\n  \nlast\r";
	struct input *r = mem(in, sizeof(in) - 1, 0);
	struct input_line l;
	struct diag d;
	char hex[65];

	diag_clear(&d);
	is_str(next(r, &d), "a", "line 1");
	is_str(next(r, &d), "b", "CRLF stripped");
	is_str(next(r, &d), "", "empty line");
	is_str(next(r, &d), "  ", "blank line kept as is");
	ok(input_next(r, &l, &d) == INPUT_LINE && l.n == 4 &&
	    memcmp(l.s, "last", 4) == 0 && l.no == 5,
	    "last line without newline, CR stripped, number 5");
	is_str(next(r, &d), "<EOF>", "then EOF");
	is_str(next(r, &d), "<EOF>", "EOF again");
	is_int((long long)input_bytes(r), (long long)sizeof(in) - 1, "bytes");
	ok(!input_gzip(r), "plain text is not gzip");
	input_close(r);

	r = mem("", 0, 0);
	is_str(next(r, &d), "<EOF>", "empty input: EOF at once");
	input_sha256(r, hex, &d);
	/* FIPS 180-2: SHA-256 of the empty string. */
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855", "SHA-256 of nothing");
	input_close(r);

	r = mem("abc", 3, 0);
	is_str(next(r, &d), "abc", "one line, no newline");
	is_str(next(r, &d), "<EOF>", "then EOF");
	input_sha256(r, hex, &d);
	/* FIPS 180-2, appendix B.1. */
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2"
	    "0015ad", "SHA-256 of abc");
	input_close(r);

	r = mem("\n", 1, 0);
	is_str(next(r, &d), "", "a lone newline is one empty line");
	is_str(next(r, &d), "<EOF>", "and nothing more");
	input_close(r);

	r = mem("x\0y\n", 4, 0);
	ok(input_next(r, &l, &d) == INPUT_LINE && l.n == 3 && l.s[1] == '\0',
	    "NUL bytes stay in the line");
	input_close(r);
}

static void
test_limit(void)
{
	static const char in[] = "12345678\n123456789\n123456789\r\nabc\n"
	    "1234567890123";
	struct input *r = mem(in, sizeof(in) - 1, 9);
	struct diag d;
	struct input_line l;

	diag_clear(&d);
	is_str(next(r, &d), "12345678", "under the limit");
	is_str(next(r, &d), "123456789", "at the limit");
	is_str(next(r, &d), "123456789", "at the limit, CR not counted");
	is_str(next(r, &d), "abc", "short line");
	ok(input_next(r, &l, &d) == INPUT_TOOLONG && l.full == 13 && l.no == 5,
	    "last line, too long, no newline: full 13, number 5");
	is_str(next(r, &d), "<EOF>", "EOF");
	input_close(r);
}

/* Lines longer than a read block: kept whole under the limit, skipped
 * over it, with the lines around them intact. */
static void
test_long(void)
{
	size_t big = 3 * 1024 * 1024, n = 0;
	char *in = malloc(2 * big + 64);
	struct input_line l;
	struct diag d;
	struct input *r;

	if (in == NULL)
		exit(1);
	memcpy(in, "first\n", 6);
	n = 6;
	memset(in + n, 'a', big);
	n += big;
	in[n++] = '\n';
	memset(in + n, 'b', big - 1);
	n += big - 1;
	memcpy(in + n, "\r\nlast\n", 7);
	n += 7;
	diag_clear(&d);

	r = mem(in, n, 4 * 1024 * 1024);
	is_str(next(r, &d), "first", "before a 3 MiB line");
	ok(input_next(r, &l, &d) == INPUT_LINE && l.n == big && l.s[0] == 'a' &&
	    l.s[big - 1] == 'a', "3 MiB line whole under a 4 MiB limit");
	ok(input_next(r, &l, &d) == INPUT_LINE && l.n == big - 1 && l.s[0] == 'b',
	    "3 MiB - 1 line, CRLF");
	is_str(next(r, &d), "last", "after");
	input_close(r);

	r = mem(in, n, 1024 * 1024);
	is_str(next(r, &d), "first", "1 MiB limit: before");
	ok(input_next(r, &l, &d) == INPUT_TOOLONG && l.full == big && l.n > 0 &&
	    l.n <= INPUT_PREFIX && l.s[0] == 'a' && l.no == 2,
	    "3 MiB line skipped, its length and first bytes given");
	ok(input_next(r, &l, &d) == INPUT_TOOLONG && l.full == big && l.no == 3,
	    "3 MiB - 1 + CR: skipped, length %llu", (unsigned long long)l.full);
	is_str(next(r, &d), "last", "1 MiB limit: the line after");
	is_str(next(r, &d), "<EOF>", "EOF");
	input_close(r);
	free(in);
}

/* The real limit, 16 MiB, on lines generated here rather than committed. */
static void
test_16mib(void)
{
	size_t lim = INPUT_MAXLINE, n = 0;
	char *in = malloc(2 * lim + 64);
	struct input_line l;
	struct diag d;
	struct input *r;

	if (in == NULL)
		exit(1);
	memset(in, 'x', lim);
	n = lim;
	in[n++] = '\n';
	memset(in + n, 'y', lim + 1);
	n += lim + 1;
	memcpy(in + n, "\nok", 3);
	n += 3;
	diag_clear(&d);
	r = mem(in, n, 0);
	ok(input_next(r, &l, &d) == INPUT_LINE && l.n == lim,
	    "a line of exactly 16 MiB is read");
	ok(input_next(r, &l, &d) == INPUT_TOOLONG && l.full == lim + 1,
	    "16 MiB + 1 is too long");
	is_str(next(r, &d), "ok", "the next line is intact");
	input_close(r);
	free(in);
}

/* gzip-compress s into out (a complete member); returns its length. */
static size_t
gz(const char *s, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	z.next_in = (unsigned char *)(uintptr_t)s;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		exit(1);
	n = z.total_out;
	deflateEnd(&z);
	return n;
}

static void
test_gzip(void)
{
	unsigned char buf[4096];
	char hex[65], want[65];
	size_t n, m;
	struct diag d;
	struct input *r;

	diag_clear(&d);
	n = gz("a\nb\r\n", 5, buf, sizeof(buf));
	r = mem((char *)buf, n, 0);
	is_str(next(r, &d), "a", "gzip: line 1");
	ok(input_gzip(r), "gzip detected");
	is_str(next(r, &d), "b", "gzip: CRLF line 2");
	is_str(next(r, &d), "<EOF>", "gzip: EOF");
	is_int((long long)input_bytes(r), (long long)n, "bytes as stored");
	input_sha256(r, hex, &d);
	hexdigest(buf, n, want);
	is_str(hex, want, "SHA-256 of the compressed bytes");
	input_close(r);

	m = gz("b\nc", 3, buf + n, sizeof(buf) - n);
	r = mem((char *)buf, n + m, 0);
	is_str(next(r, &d), "a", "two members: a");
	is_str(next(r, &d), "b", "two members: b (second member)");
	is_str(next(r, &d), "b", "two members: b");
	is_str(next(r, &d), "c", "two members: c");
	is_str(next(r, &d), "<EOF>", "two members: EOF");
	input_close(r);

	r = mem((char *)buf, n - 3, 0);
	is_str(drain(r, &d), "<ERR>", "truncated gzip is an error, not EOF");
	ok(strstr(d.msg, "unexpected end") != NULL, "truncated: %s", d.msg);
	is_str(next(r, &d), "<ERR>", "errors are sticky");
	input_close(r);

	diag_clear(&d);
	memcpy(buf + n, "xyz", 3);
	r = mem((char *)buf, n + 3, 0);
	is_str(drain(r, &d), "<ERR>", "garbage after a member is an error");
	ok(strstr(d.msg, "corrupt gzip") != NULL, "garbage: %s", d.msg);
	input_close(r);

	diag_clear(&d);
	n = gz("hello\n", 6, buf, sizeof(buf));
	buf[n - 6] ^= 0xff;	/* the CRC */
	r = mem((char *)buf, n, 0);
	is_str(drain(r, &d), "<ERR>", "bad CRC is an error");
	is_int(d.code, DIAG_IO, "bad CRC: DIAG_IO");
	input_close(r);
}

/* Many lines through gzip: output produced in many inflate calls. */
static void
test_gzip_big(void)
{
	size_t nlines = 200000, n = 0, cap = nlines * 16, zn;
	char *text = malloc(cap);
	unsigned char *z = malloc(cap);
	struct input_line l;
	struct diag d;
	struct input *r;
	size_t got = 0, bad = 0;

	if (text == NULL || z == NULL)
		exit(1);
	for (size_t i = 0; i < nlines; i++)
		n += (size_t)snprintf(text + n, cap - n, "%zu\n", i);
	zn = gz(text, n, z, cap);
	diag_clear(&d);
	r = mem((char *)z, zn, 0);
	while (input_next(r, &l, &d) == INPUT_LINE) {
		char want[24];
		int k = snprintf(want, sizeof(want), "%zu", got);

		if ((size_t)k != l.n || memcmp(want, l.s, l.n) != 0)
			bad++;
		got++;
	}
	is_int((long long)got, (long long)nlines, "gzip: %zu lines", nlines);
	is_int((long long)bad, 0, "gzip: every line as written");
	input_close(r);
	free(text);
	free(z);
}

static void
test_files(void)
{
	struct diag d;
	struct input *r;

	diag_clear(&d);
	ok(input_open("/nonexistent/skew.log", 0, &d) == NULL, "missing file");
	is_int(d.err, ENOENT, "missing file: ENOENT");
	is_int(d.code, DIAG_IO, "missing file: DIAG_IO");

	diag_clear(&d);
	r = input_open("tests", 0, &d);
	ok(r != NULL, "a directory opens");
	if (r != NULL) {
		is_str(next(r, &d), "<ERR>", "reading a directory: an error, "
		    "not EOF");
		is_int(d.err, EISDIR, "EISDIR");
		input_close(r);
	}

	diag_clear(&d);
	r = input_open("testdata/article/run1-n4-sleep10s.log", 0, &d);
	ok(r != NULL, "article file opens");
	if (r != NULL) {
		int k = 0;

		while (strcmp(next(r, &d), "<EOF>") != 0)
			k++;
		is_int(k, 4, "article run 1: 4 lines");
		is_int((long long)input_bytes(r), 204, "204 bytes (4 x 51)");
		input_close(r);
	}
	input_close(NULL);
}

/* What input_records() handed on, one "line:text" each, joined by "|". */
struct seen {
	char	 buf[512];
	int	 fail_at;	/* return -1 at this line; 0: never */
};

static int
record(void *ctx, const char *s, size_t n, struct diag *d)
{
	struct seen *v = ctx;
	size_t k = strlen(v->buf);

	snprintf(v->buf + k, sizeof(v->buf) - k, "%s%lu:%.*s",
	    k ? "|" : "", d->line, (int)n, s);
	if (v->fail_at != 0 && d->line == (unsigned long)v->fail_at)
		return diag_set(d, DIAG_JSON, "refused");
	return 0;
}

/* A temporary file holding s[0..n); its name in path. */
static void
tmpfile_with(char *path, size_t sz, const void *s, size_t n)
{
	FILE *fp;

	snprintf(path, sz, "/tmp/skew-rd-test-%ld", (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL || fwrite(s, 1, n, fp) != n ||
	    fclose(fp) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/*
 * A file through the reader thread (its lines handed out of the ring's
 * blocks where they lie whole in one) against the same bytes in memory
 * (copied into the line buffer): the same statuses, lines, numbers and
 * lengths, bytes and SHA-256.  Lines of 0 to 300 bytes, some CRLF, a CR
 * and its LF on either side of a block's end (the thread reads 256 KiB
 * at a time), lines longer than a block, and lines over the limit (200
 * KiB here) with no CR (whose reported length depends on where the
 * blocks fall); one text without a final newline, one ending on a
 * block's end.
 */
static int
same_lines(const char *path, const char *s, size_t n, size_t maxline,
    long *lines)
{
	struct input *f, *m = mem(s, n, maxline);
	struct input_line a, b;
	struct diag d;
	char ha[65], hb[65];
	int sa, sb, good = 1;

	diag_clear(&d);
	if ((f = input_open(path, maxline, &d)) == NULL)
		return 0;
	do {
		sa = input_next(f, &a, &d);
		sb = input_next(m, &b, &d);
		if (sa != sb || (sa > 0 && (a.n != b.n || a.no != b.no ||
		    a.full != b.full || memcmp(a.s, b.s, a.n) != 0))) {
			tap_diag("line %llu: status %d, %d; length %zu, %zu",
			    (unsigned long long)b.no, sa, sb, a.n, b.n);
			good = 0;
			break;
		}
		*lines += sa > 0;
	} while (sa > 0);
	good &= input_bytes(f) == n && input_sha256(f, ha, &d) == 0 &&
	    input_sha256(m, hb, &d) == 0 && strcmp(ha, hb) == 0;
	input_close(f);
	input_close(m);
	return good;
}

static void
test_blocks(void)
{
	const size_t blk = 256 * 1024, cap = 13 * blk;
	char *s = malloc(cap), path[64];
	uint64_t x = 0x2545f4914f6cdd1dULL;
	size_t n = 0, next_edge = blk;
	long lines = 0;
	int good;

	if (s == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	while (n < cap - 400 * 1024) {
		size_t len, k;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = x % 300;
		if (x % 499 == 0)
			len = 100 * 1024 + (size_t)(x >> 20) % (200 * 1024);
		/* Now and then a CRLF whose CR ends a block. */
		if (n + len + 2 > next_edge) {
			if (x % 3 == 0 && next_edge > n + 1 &&
			    next_edge - n < 100 * 1024) {
				len = next_edge - n - 1;
				memset(s + n, 'e', len);
				s[n + len] = '\r';
				s[n + len + 1] = '\n';
				n += len + 2;
				next_edge += blk;
				continue;
			}
			next_edge += blk;
		}
		for (k = 0; k < len; k++)
			s[n + k] = (char)('a' + (int)((x >> (k % 50)) % 26));
		n += len;
		if (len < 100 * 1024 && (x >> 8) % 5 == 0)
			s[n++] = '\r';
		s[n++] = '\n';
	}
	tmpfile_with(path, sizeof(path), s, n - 1);
	good = same_lines(path, s, n - 1, 200 * 1024, &lines);
	ok(good, "blocks: %ld lines of %zu bytes without a final newline, as "
	    "read from memory", lines, n - 1);
	/* Exactly four blocks, the last byte a newline. */
	memset(s + 4 * blk - 40, 'z', 39);
	s[4 * blk - 1] = '\n';
	tmpfile_with(path, sizeof(path), s, 4 * blk);
	lines = 0;
	good = same_lines(path, s, 4 * blk, 200 * 1024, &lines);
	ok(good, "blocks: %ld lines ending on a block's end, as read from "
	    "memory", lines);
	lines = 0;
	good = same_lines(path, s, 4 * blk, 0, &lines);
	ok(good, "blocks: the same under the 16 MiB limit (%ld lines)", lines);
	unlink(path);
	free(s);
}

/* skew-align's and skew-fit's line loop: blanks, CRLF, gzip, errors with
 * file:line, and the whole-text reader skew-report uses. */
static void
test_records(void)
{
	static const char text[] = "{\"a\":1}\r\n  \t\n\n{\"b\":2}\n{\"c\":3}";
	unsigned char gzb[4096];
	char path[64];
	struct seen v;
	struct input_text t;
	struct diag d;
	uint64_t blanks = 0;
	size_t n;

	memset(&v, 0, sizeof(v));
	diag_clear(&d);
	tmpfile_with(path, sizeof(path), text, sizeof(text) - 1);
	is_int(input_records(path, "in.ndjson", record, &v, &blanks, &d), 0,
	    "records: read");
	is_str(v.buf, "1:{\"a\":1}|4:{\"b\":2}|5:{\"c\":3}", "records: line "
	    "numbers, CR stripped, no final newline needed");
	is_int((long long)blanks, 2, "records: two blank lines counted");

	memset(&v, 0, sizeof(v));
	v.fail_at = 4;
	diag_clear(&d);
	is_int(input_records(path, "in.ndjson", record, &v, &blanks, &d), -1,
	    "records: the callback's refusal stops the input");
	ok(d.line == 4 && strcmp(d.src, "in.ndjson") == 0 &&
	    strcmp(d.msg, "refused") == 0 && strstr(v.buf, "5:") == NULL,
	    "records: refused at in.ndjson:4, line 5 never read");

	n = gz(text, sizeof(text) - 1, gzb, sizeof(gzb));
	tmpfile_with(path, sizeof(path), gzb, n);
	memset(&v, 0, sizeof(v));
	diag_clear(&d);
	is_int(input_records(path, "in.gz", record, &v, &blanks, &d), 0,
	    "records: gzip read");
	is_str(v.buf, "1:{\"a\":1}|4:{\"b\":2}|5:{\"c\":3}", "records: gzip "
	    "gives the same lines");

	diag_clear(&d);
	is_int(input_slurp(path, "doc.gz", 1024, &t, &d), 0, "slurp: gzip read");
	is_str(t.s, "{\"a\":1}\n  \t\n\n{\"b\":2}\n{\"c\":3}\n", "slurp: the "
	    "text, lines ended by newlines");
	ok(t.bytes == n && strlen(t.sha256) == 64, "slurp: bytes and SHA-256 "
	    "as stored");
	free(t.s);

	tmpfile_with(path, sizeof(path), gzb, n - 5);
	memset(&v, 0, sizeof(v));
	diag_clear(&d);
	is_int(input_records(path, "cut.gz", record, &v, &blanks, &d), -1,
	    "records: a cut gzip stream is an error");
	ok(strcmp(d.src, "cut.gz") == 0 && d.line >= 1 &&
	    strstr(d.msg, "gzip") != NULL, "records: said at cut.gz:%lu: %s",
	    d.line, d.msg);
	diag_clear(&d);
	is_int(input_slurp(path, "cut.gz", 1024, &t, &d), -1, "slurp: a cut gzip "
	    "stream is an error");
	ok(t.s == NULL && strstr(d.msg, "gzip") != NULL, "slurp: %s", d.msg);

	diag_clear(&d);
	is_int(input_records("/nonexistent/x.ndjson", "x.ndjson", record, &v,
	    &blanks, &d), -1, "records: a missing file");
	ok(d.err == ENOENT && strcmp(d.src, "x.ndjson") == 0,
	    "records: ENOENT, named");
	unlink(path);
}

int
main(void)
{
	test_split();
	test_limit();
	test_long();
	test_16mib();
	test_gzip();
	test_gzip_big();
	test_files();
	test_blocks();
	test_records();
	return done_testing();
}
