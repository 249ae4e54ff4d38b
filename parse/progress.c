#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

/* Longest line drawn, whatever the terminal's width. */
#define LINEMAX		256

struct progress {
	const char	*name;
	int		 fd;
	double		 after;
	struct timespec	 t0;
	uint64_t	 total;		/* bytes of the named regular files */
	uint64_t	 done_bytes;	/* of the inputs read to their end */
	uint64_t	 done_events;
	size_t		 shown;		/* columns on the terminal now; 0: none */
	int		 drawn;		/* drawn at least once: last is set */
	double		 last;		/* when it was last drawn */
	int		 broken;	/* a write failed: draw no more */
};

int
progress_stdin(size_t n, const char *const paths[])
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], "-") == 0)
			return 1;
	return 0;
}

int
progress_wanted(int err_tty, int out_tty, int quiet, size_t n,
    const char *const paths[])
{
	return err_tty && !out_tty && !quiet && n > 0 &&
	    !progress_stdin(n, paths);
}

struct progress *
progress_new(const char *name, int fd, double after)
{
	struct progress *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->name = name;
	p->fd = fd;
	p->after = after;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	return p;
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	progress_clear(p);
	free(p);
}

int
progress_add(struct progress *p, const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	p->total += (uint64_t)st.st_size;
	return 1;
}

/* The whole of buf, or give up drawing: progress is never worth an error,
 * and a half-written line cannot be erased reliably. */
static void
put(struct progress *p, const char *buf, size_t n)
{
	while (n > 0 && !p->broken) {
		ssize_t k = write(p->fd, buf, n);

		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0) {
			p->broken = 1;
			break;
		}
		buf += k;
		n -= (size_t)k;
	}
}

/* The terminal's width, read at every redraw: it may be resized. */
static size_t
columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return 80;
	return ws.ws_col;
}

/*
 * Draw over the old line: a carriage return, the new line, and spaces over
 * what is left of the old one.  Spaces, not an escape sequence: any
 * terminal (TERM=dumb too) erases that way.
 */
static void
draw(struct progress *p, uint64_t bytes, uint64_t events, double elapsed)
{
	char out[2 * LINEMAX + 2];
	size_t n;

	out[0] = '\r';
	n = progress_format(out + 1, LINEMAX, p->name, p->done_bytes + bytes,
	    p->total, p->done_events + events, elapsed, columns(p->fd));
	if (p->shown > n) {
		memset(out + 1 + n, ' ', p->shown - n);
		put(p, out, 1 + p->shown);
	} else
		put(p, out, 1 + n);
	p->shown = n;
	p->drawn = 1;
	p->last = elapsed;
}

void
progress_tick(struct progress *p, uint64_t bytes, uint64_t events,
    double elapsed)
{
	if (p->broken || elapsed < p->after)
		return;
	/* From the last draw, shown or erased since: a message per input
	 * must not make the line flicker at every input. */
	if (p->drawn && elapsed - p->last < 1.0 / PROGRESS_EVERY)
		return;
	draw(p, bytes, events, elapsed);
}

void
progress_update(struct progress *p, uint64_t bytes, uint64_t events)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	progress_tick(p, bytes, events, (double)(now.tv_sec - p->t0.tv_sec) +
	    (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9);
}

void
progress_done(struct progress *p, uint64_t bytes, uint64_t events)
{
	p->done_bytes += bytes;
	p->done_events += events;
}

void
progress_clear(struct progress *p)
{
	char out[LINEMAX + 2];

	if (p == NULL || p->shown == 0)
		return;
	out[0] = '\r';
	memset(out + 1, ' ', p->shown);
	out[1 + p->shown] = '\r';
	put(p, out, p->shown + 2);
	p->shown = 0;
}

int
progress_shown(const struct progress *p)
{
	return p != NULL && p->shown > 0;
}

/* v in the first of n units, each base times the one before: v in the
 * smallest unit it is under 999.5 of (never "1000"), with three
 * significant figures. */
static void
scaled(char *buf, size_t cap, double v, double base,
    const char *const units[], size_t n)
{
	size_t u = 0;

	while (v >= 999.5 && u + 1 < n) {
		v /= base;
		u++;
	}
	if (v < 9.995)
		snprintf(buf, cap, "%.2f%s", v, units[u]);
	else if (v < 99.95)
		snprintf(buf, cap, "%.1f%s", v, units[u]);
	else
		snprintf(buf, cap, "%.0f%s", v, units[u]);
}

void
progress_size(char *buf, size_t cap, double bytes)
{
	static const char *const units[] = { " KiB", " MiB", " GiB", " TiB",
	    " PiB", " EiB" };

	if (bytes < 999.5)
		snprintf(buf, cap, "%.0f B", bytes);
	else
		scaled(buf, cap, bytes / 1024, 1024, units,
		    sizeof(units) / sizeof(units[0]));
}

void
progress_count(char *buf, size_t cap, uint64_t n)
{
	static const char *const units[] = { "k", "M", "G", "T", "P", "E" };

	/* Exact while it is short: a small count is read digit by digit. */
	if (n < 10000)
		snprintf(buf, cap, "%llu", (unsigned long long)n);
	else
		scaled(buf, cap, (double)n / 1000, 1000, units,
		    sizeof(units) / sizeof(units[0]));
}

void
progress_time(char *buf, size_t cap, double secs)
{
	unsigned long long s;

	s = secs > 0 ? (unsigned long long)(secs + 0.5) : 0;
	if (s < 60)
		snprintf(buf, cap, "%llus", s);
	else if (s < 3600)
		snprintf(buf, cap, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, cap, "%lluh%02llum", s / 3600, s / 60 % 60);
}

size_t
progress_format(char *buf, size_t cap, const char *name, uint64_t bytes,
    uint64_t total, uint64_t events, double secs, size_t width)
{
	char sz[32], tot[32], ev[32], rate[32], left[32];
	size_t n;
	int k;

	progress_size(sz, sizeof(sz), (double)bytes);
	progress_count(ev, sizeof(ev), events);
	if (total > 0) {
		/* A file that grew while read stays at 100%, never past. */
		unsigned pct = bytes >= total ? 100 :
		    (unsigned)((double)bytes * 100 / (double)total);

		progress_size(tot, sizeof(tot), (double)total);
		k = snprintf(buf, cap, "%s: %u%% %s of %s, %s events", name,
		    pct, sz, tot, ev);
	} else
		k = snprintf(buf, cap, "%s: %s, %s events", name, sz, ev);
	n = k < 0 ? 0 : (size_t)k >= cap ? cap - 1 : (size_t)k;
	if (bytes > 0 && secs > 0) {
		double r = (double)bytes / secs;

		progress_size(rate, sizeof(rate), r);
		if (total > 0) {
			progress_time(left, sizeof(left), bytes >= total ? 0 :
			    (double)(total - bytes) / r);
			k = snprintf(buf + n, cap - n, ", %s/s, %s left", rate,
			    left);
		} else
			k = snprintf(buf + n, cap - n, ", %s/s", rate);
		n = k < 0 ? n : n + (size_t)k >= cap ? cap - 1 : n + (size_t)k;
	}
	if (width > 0 && n > width - 1) {
		n = width - 1;
		buf[n] = '\0';
	}
	return n;
}
