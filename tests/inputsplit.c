/*
 * input_records_split() (parse/input.c) against input_records(): the same
 * lines kept in the same order, blank lines counted, a line over the limit
 * and a keep that fails said the same way at the same line; and a keep that
 * fails while the input is a pipe whose writer neither writes nor closes:
 * the reading thread is interrupted, not waited for.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/batchq.h"
#include "input.h"
#include "tap.h"

struct item {
	uint64_t	 no;
	size_t		 n;
	const char	*s;
};

/* What was kept, one "no:text" a line; fail_at: keep's -1 at that line. */
struct kept {
	char		*buf;
	size_t		 len, cap;
	uint64_t	 fail_at;
};

static int
note(struct kept *k, uint64_t no, const char *s, size_t n, struct diag *d)
{
	char *q;

	if (no == k->fail_at)
		return diag_set(d, DIAG_DATA, "expected something else");
	if (k->len + n + 32 > k->cap) {
		k->cap = 2 * (k->len + n + 32);
		if ((q = realloc(k->buf, k->cap)) == NULL)
			exit(1);
		k->buf = q;
	}
	k->len += (size_t)sprintf(k->buf + k->len, "%llu:",
	    (unsigned long long)no);
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len++] = '\n';
	return 0;
}

static int
serial_fn(void *ctx, const char *line, size_t n, struct diag *d)
{
	return note(ctx, d->line, line, n, d);
}

static int
prep(void *ctx, struct batchq *q, const char *line, size_t n, uint64_t no)
{
	struct item *it;
	char *b;

	(void)ctx;
	if ((it = batchq_put(q, n, &b)) == NULL)
		return -1;
	it->no = no;
	it->n = n;
	it->s = b;
	memcpy(b, line, n);
	return 0;
}

static int
keep(void *ctx, const void *item, struct diag *d)
{
	const struct item *it = item;

	return note(ctx, it->no, it->s, it->n, d);
}

/* path read both ways, keep failing at fail_at (0: never). */
static void
both(const char *path, uint64_t fail_at, int want, const char *what)
{
	struct kept a = { NULL, 0, 0, fail_at }, b = { NULL, 0, 0, fail_at };
	struct diag da, db;
	uint64_t ba = 0, bb = 0;
	int ra, rb;

	diag_clear(&da);
	diag_clear(&db);
	ra = input_records(path, "x", serial_fn, &a, &ba, &da);
	rb = input_records_split(path, "x", serial_fn, &b, sizeof(struct item),
	    prep, NULL, keep, NULL, &bb, &db);
	is_int(ra, want, "%s: input_records() %d", what, want);
	ok(rb == ra && da.code == db.code && da.line == db.line &&
	    strcmp(da.msg, db.msg) == 0 && db.src != NULL &&
	    strcmp(db.src, "x") == 0, "%s: split, the same return and fault "
	    "(%d %lu %s | %d %lu %s)", what, ra, da.line, da.msg, rb, db.line,
	    db.msg);
	ok(a.len == b.len && (a.len == 0 || memcmp(a.buf, b.buf, a.len) == 0) &&
	    (want == -1 || ba == bb), "%s: the same lines kept (%zu bytes), "
	    "the same blank ones (%llu)", what, a.len, (unsigned long long)ba);
	free(a.buf);
	free(b.buf);
}

int
main(void)
{
	char path[] = "/tmp/skew-inputsplit-XXXXXX";
	char fifo[sizeof(path) + 8];
	struct kept k = { NULL, 0, 0, 100 };
	struct diag d;
	uint64_t blank = 0;
	struct timespec t0, t1;
	double secs;
	pid_t pid;
	FILE *fp;
	int rc, st;

	fp = tap_mkstemp(path);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, i % 101 == 0 ? " \t\n" : "line %d %.*s\n", i,
		    i % 300, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdef"
		    "ghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
		    "mnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr"
		    "stuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx"
		    "yzabcdefghijklmnopqrstuvwxyz");
	fflush(fp);
	both(path, 0, 0, "20000 lines");
	both(path, 12345, -1, "keep fails at line 12345");
	/* A line over INPUT_MAXLINE after them: the reading's fault, said
	 * after every line before it is kept. */
	for (size_t i = 0; i <= INPUT_MAXLINE; i++)
		fputc('y', fp);
	fprintf(fp, "\nafter\n");
	fflush(fp);
	both(path, 0, -1, "a line over the limit at 20001");
	fclose(fp);
	unlink(path);

	/* A pipe whose writer writes 1000 lines, then neither writes nor
	 * closes for 60 s: keep fails at line 100, and the split reader
	 * returns at once (its reading thread interrupted). */
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	unlink(fifo);
	if (mkfifo(fifo, 0600) == -1) {
		printf("Bail out! mkfifo\n");
		return 1;
	}
	if ((pid = fork()) == 0) {
		FILE *w = fopen(fifo, "w");

		for (int i = 0; w != NULL && i < 1000; i++)
			fprintf(w, "line %d\n", i);
		if (w != NULL)
			fflush(w);
		sleep(60);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	diag_clear(&d);
	rc = input_records_split(fifo, "p", serial_fn, &k, sizeof(struct item),
	    prep, NULL, keep, NULL, &blank, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	unlink(fifo);
	ok(rc == -1 && d.line == 100 && strcmp(d.msg, "expected something "
	    "else") == 0, "a pipe that stays open: keep's fault at line 100 "
	    "(%d %lu %s)", rc, d.line, d.msg);
	ok(secs < 20, "a pipe that stays open: returned in %.1f s, not after "
	    "the writer's 60", secs);
	free(k.buf);
	return done_testing();
}
