/*
 * progress: one updating line on a terminal while named files are read,
 * for example
 *
 *	skew-parse: 26% 312 MiB of 1.20 GiB, 2.31M events, 104 MiB/s, 9s left
 *
 * It is the one module of parse/ that writes, and only to the descriptor
 * its caller gives (standard error, a terminal): the caller decides whether
 * to show progress at all (progress_wanted()), and erases the line with
 * progress_clear() before writing anything else there, so that messages are
 * never mixed into it; the next update draws it again.
 *
 * The line is shown only once the work has taken `after` seconds, and
 * redrawn at most PROGRESS_EVERY times a second; an update is a clock read
 * and a comparison otherwise, so it may be called per block read, never per
 * line.  Bytes are as stored (compressed, for gzip), of the sum of the
 * named regular files' sizes; events are counted by the caller.
 *
 * A struct progress is made by progress_new() and freed, its line erased,
 * with progress_free(); progress_free(NULL) does nothing.  It holds no
 * locks: use it from one thread.
 */
#ifndef SKEW_PROGRESS_H
#define SKEW_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* The delay before the line appears, in seconds, and the most redraws a
 * second: a line that changes faster cannot be read. */
#define PROGRESS_AFTER	1.0
#define PROGRESS_EVERY	4

struct progress;

/* Whether any of the n paths is "-": standard input. */
int		 progress_stdin(size_t n, const char *const paths[]);

/*
 * Whether to show progress: standard error is a terminal (err_tty), not
 * -q (quiet), the output does not stream to that terminal while the inputs
 * are read (out_tty), and the inputs are all named (n > 0, none "-"): a
 * program reading standard input is a stage of a pipeline, whose stages
 * share one terminal.  Returns 1 or 0.
 */
int		 progress_wanted(int err_tty, int out_tty, int quiet, size_t n,
		    const char *const paths[]);

/*
 * A line prefixed "name: " (not copied: it must outlive the struct),
 * drawn on fd after `after` seconds from now.  Returns NULL when out of
 * memory (no progress then: it is never needed for the work).
 */
struct progress	*progress_new(const char *name, int fd, double after);

/* Erase the line and free p. */
void		 progress_free(struct progress *p);

/* Count path in the total when it is a regular file; returns 1 when it
 * was, 0 otherwise (a FIFO, a device, a file that cannot be read). */
int		 progress_add(struct progress *p, const char *path);

/*
 * The input being read has given bytes and events so far: draw the line
 * if it is due.  progress_tick() is the same at a given time (seconds
 * since progress_new(); tests), progress_update() reads the clock.
 */
void		 progress_update(struct progress *p, uint64_t bytes,
		    uint64_t events);
void		 progress_tick(struct progress *p, uint64_t bytes,
		    uint64_t events, double elapsed);

/* An input read to its end, with its bytes and events (added to those of
 * the inputs before it). */
void		 progress_done(struct progress *p, uint64_t bytes,
		    uint64_t events);

/* Erase the line if it is shown (p may be NULL). */
void		 progress_clear(struct progress *p);

/* Whether the line is on the terminal now. */
int		 progress_shown(const struct progress *p);

/*
 * The line itself, at most width - 1 characters (the last column left
 * free, so that no terminal wraps it) and NUL-terminated in buf[cap]:
 * "name: 26% 312 MiB of 1.20 GiB, 2.31M events, 104 MiB/s, 9s left".
 * The percentage and the size left out when total is 0; the rate and the
 * time left when nothing has been read yet or no time has passed.
 * Returns its length.
 */
size_t		 progress_format(char *buf, size_t cap, const char *name,
		    uint64_t bytes, uint64_t total, uint64_t events,
		    double secs, size_t width);

/* The parts of the line: "312 MiB" (1024-based units, three significant
 * figures), "2.31M" (events, 1000-based), "9s", "3m05s", "2h03m". */
void		 progress_size(char *buf, size_t cap, double bytes);
void		 progress_count(char *buf, size_t cap, uint64_t n);
void		 progress_time(char *buf, size_t cap, double secs);

#endif
