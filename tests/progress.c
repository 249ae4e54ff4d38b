/*
 * progress: the line's parts (sizes in 1024-based units with three
 * significant figures, counts in 1000-based ones, times left), the line
 * whole and cut to the terminal's width, when to show it at all, and when
 * it is drawn, redrawn and erased, on a pipe with a made-up clock.
 * Expected texts are worked by hand: 256 MiB of 1 GiB read in 2 s is
 * 25 %, 128 MiB/s, and 768 MiB left at that rate is 6 s.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "tap.h"

#define MiB	((uint64_t)1024 * 1024)

static char got[4096];

static const char *
size(double b)
{
	progress_size(got, sizeof(got), b);
	return got;
}

static const char *
count(uint64_t n)
{
	progress_count(got, sizeof(got), n);
	return got;
}

static const char *
left(double s)
{
	progress_time(got, sizeof(got), s);
	return got;
}

static const char *
line(uint64_t bytes, uint64_t total, uint64_t events, double secs,
    size_t width)
{
	size_t n = progress_format(got, sizeof(got), "skew-parse", bytes,
	    total, events, secs, width);

	is_int(n, strlen(got), "  length returned %zu", n);
	return got;
}

/* What was written on the pipe since the last call, as a string. */
static const char *
drain(int fd)
{
	ssize_t k = read(fd, got, sizeof(got) - 1);

	got[k > 0 ? k : 0] = '\0';
	return got;
}

static void
parts(void)
{
	is_str(size(0), "0 B", "size 0");
	is_str(size(999), "999 B", "size 999: bytes");
	is_str(size(1000), "0.98 KiB", "size 1000: never \"1000 B\"");
	is_str(size(1024), "1.00 KiB", "size 1024");
	is_str(size(1536), "1.50 KiB", "size 1.5 KiB");
	is_str(size(10 * 1024), "10.0 KiB", "size 10 KiB: three figures");
	is_str(size(312 * MiB), "312 MiB", "size 312 MiB");
	is_str(size(1023 * 1024), "1.00 MiB", "size 1023 KiB rounds up a unit");
	is_str(size(1.2 * 1024 * MiB), "1.20 GiB", "size 1.2 GiB");
	is_str(size(3.0 * 1024 * 1024 * MiB), "3.00 TiB", "size 3 TiB");
	is_str(count(0), "0", "count 0");
	is_str(count(9999), "9999", "count 9999: exact");
	is_str(count(10000), "10.0k", "count 10000");
	is_str(count(999499), "999k", "count 999499");
	is_str(count(2310000), "2.31M", "count 2.31M");
	is_str(count(UINT64_MAX), "18.4E", "count 2^64 - 1");
	is_str(left(-1), "0s", "time negative: 0s");
	is_str(left(0), "0s", "time 0");
	is_str(left(9.4), "9s", "time 9.4 s");
	is_str(left(59.6), "1m00s", "time 59.6 s rounds to a minute");
	is_str(left(185), "3m05s", "time 185 s");
	is_str(left(7380), "2h03m", "time 7380 s");
}

static void
whole(void)
{
	is_str(line(256 * MiB, 1024 * MiB, 2310000, 2.0, 0),
	    "skew-parse: 25% 256 MiB of 1.00 GiB, 2.31M events, 128 MiB/s, "
	    "6s left", "line: percentage, sizes, events, rate, time left");
	is_str(line(256 * MiB, 0, 2310000, 2.0, 0),
	    "skew-parse: 256 MiB, 2.31M events, 128 MiB/s",
	    "line without a total: no percentage, no time left");
	is_str(line(0, 1024 * MiB, 0, 2.0, 0),
	    "skew-parse: 0% 0 B of 1.00 GiB, 0 events",
	    "line before a byte is read: no rate");
	is_str(line(MiB, 1024 * MiB, 7, 0, 0),
	    "skew-parse: 0% 1.00 MiB of 1.00 GiB, 7 events",
	    "line at time 0: no rate");
	is_str(line(2048 * MiB, 1024 * MiB, 5, 2.0, 0),
	    "skew-parse: 100% 2.00 GiB of 1.00 GiB, 5 events, 1.00 GiB/s, "
	    "0s left", "line of a file that grew: 100%, never more");
	is_str(line(256 * MiB, 1024 * MiB, 2310000, 2.0, 20),
	    "skew-parse: 25% 256", "line cut to 19 columns of 20");
	is_str(line(256 * MiB, 1024 * MiB, 2310000, 2.0, 1), "",
	    "line in 1 column: empty");
	is_int(progress_format(got, 8, "skew-parse", MiB, 1024 * MiB, 7, 1, 0),
	    7, "line in a buffer of 8: 7 characters");
	is_str(got, "skew-pa", "  and NUL-terminated");
}

static void
decisions(void)
{
	const char *one[] = { "a.log" }, *dash[] = { "a.log", "-" };

	is_int(progress_wanted(1, 0, 0, 1, one), 1,
	    "wanted: a terminal, a named file");
	is_int(progress_wanted(0, 0, 0, 1, one), 0,
	    "not wanted: stderr not a terminal");
	is_int(progress_wanted(1, 1, 0, 1, one), 0,
	    "not wanted: the output streams to the terminal");
	is_int(progress_wanted(1, 0, 1, 1, one), 0, "not wanted: -q");
	is_int(progress_wanted(1, 0, 0, 0, NULL), 0,
	    "not wanted: no file named (standard input)");
	is_int(progress_wanted(1, 0, 0, 2, dash), 0,
	    "not wanted: \"-\" among the files");
	is_int(progress_stdin(1, one), 0, "stdin: not in a.log");
	is_int(progress_stdin(2, dash), 1, "stdin: \"-\"");
}

static void
drawing(void)
{
	char path[] = "/tmp/skew-progress-XXXXXX";
	char buf[1000], want[128];
	struct progress *p;
	int fds[2], fd;

	memset(buf, 'x', sizeof(buf));
	if (pipe(fds) == -1 || fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (fd = mkstemp(path)) == -1 ||
	    write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
	    (p = progress_new("t", fds[1], 1.0)) == NULL) {
		ok(0, "set-up: a pipe, a file, a progress");
		return;
	}
	close(fd);
	is_int(progress_add(p, path), 1, "add: a regular file counts");
	is_int(progress_add(p, "/dev/null"), 0, "add: a device does not");
	is_int(progress_add(p, "/nonexistent/x"), 0,
	    "add: a missing file does not");
	unlink(path);

	progress_tick(p, 100, 1, 0.5);
	is_str(drain(fds[0]), "", "tick before the delay: nothing drawn");
	is_int(progress_shown(p), 0, "  not shown");
	progress_tick(p, 500, 20, 1.0);
	is_str(drain(fds[0]), "\rt: 50% 500 B of 0.98 KiB, 20 events, "
	    "500 B/s, 1s left", "tick at the delay: drawn after a CR");
	is_int(progress_shown(p), 1, "  shown");
	progress_tick(p, 600, 30, 1.2);
	is_str(drain(fds[0]), "", "tick 0.2 s later: not redrawn");
	progress_tick(p, 600, 30, 1.25);
	is_str(drain(fds[0]), "\rt: 60% 600 B of 0.98 KiB, 30 events, "
	    "480 B/s, 1s left", "tick 0.25 s later: redrawn");
	progress_tick(p, 999, 30, 10.0);
	is_str(drain(fds[0]), "\rt: 99% 999 B of 0.98 KiB, 30 events, "
	    "100 B/s, 0s left", "a line as long: no padding");
	progress_tick(p, 0, 0, 11.0);
	snprintf(want, sizeof(want), "\r%-53s", "t: 0% 0 B of 0.98 KiB, "
	    "0 events");
	is_str(drain(fds[0]), want, "a shorter line: spaces over the old");
	progress_clear(p);
	snprintf(want, sizeof(want), "\r%31s\r", "");
	is_str(drain(fds[0]), want, "clear: CR, spaces over it all, CR");
	is_int(progress_shown(p), 0, "  not shown");
	progress_clear(p);
	is_str(drain(fds[0]), "", "clear again: nothing written");
	progress_tick(p, 10, 1, 11.1);
	is_str(drain(fds[0]), "", "after a clear, not redrawn within 0.25 s");
	progress_done(p, 400, 6);
	progress_tick(p, 100, 2, 12.5);
	is_str(drain(fds[0]), "\rt: 50% 500 B of 0.98 KiB, 8 events, "
	    "40 B/s, 13s left",
	    "the next input adds to the inputs done before it");
	progress_free(p);
	ok(strncmp(drain(fds[0]), "\r     ", 6) == 0,
	    "free: the line erased");
	progress_free(NULL);
	close(fds[0]);
	close(fds[1]);
}

int
main(void)
{
	parts();
	whole();
	decisions();
	drawing();
	return done_testing();
}
