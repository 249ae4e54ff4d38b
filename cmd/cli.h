/*
 * cli: what every skew program shares: exit statuses, messages on standard
 * error in err(3) form prefixed with the program's name, the step from a
 * library error to its message and status, --color and strict number
 * parsing for options (their tables are in opt.h).  Only cmd/ uses this;
 * the libraries never print or exit.
 */
#ifndef SKEW_CLI_H
#define SKEW_CLI_H

#include <stdio.h>

#include "align.h"
#include "base/diag.h"
#include "input.h"
#include "trailer.h"
#include "reqset.h"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_CHECK = 1,		/* a check the user asked for failed */
	EXIT_INVALID = 2	/* usage error, unreadable or invalid input */
};

/* Set once at the start of main: the name messages begin with, argv[0]'s
 * last component.  argv[0] is set to it too, so that getopt's own messages
 * ("unrecognized option") begin with the same name.  A pipe on standard
 * input or output is given CLI_PIPE_SIZE bytes of buffer, when it can be. */
#define CLI_PIPE_SIZE	(1024 * 1024)
void	cli_init(char *argv[]);
extern const char *cli_prog;
extern int cli_quiet;		/* -q: errors only */

/* The name of standard input in records and messages, everywhere (as
 * skew-parse's trailers have always written it). */
#define CLI_STDIN	"stdin"

/*
 * Progress on standard error while the n named paths, then the narr of
 * more, are read (parse/progress.h), or NULL when it is not wanted: stderr
 * not a terminal, -q, standard input among the inputs (or none named), or
 * out_tty (the output streams to the terminal during the reading).  Every
 * message erases the line before it is written; cli_progress_end() erases
 * and frees it.  SKEW_PROGRESS_AFTER_MS (tests only) lowers the delay of
 * a second before it appears.
 */
struct progress;
struct progress *cli_progress_start(int out_tty, int n, char *paths[],
	    size_t narr, const char *arr[]);
void	cli_progress_end(void);

/* "prog: message" on stderr.  cli_warn is silent under -q; cli_error is not. */
void	cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: src:line: message" from a filled diag (src and line when set). */
void	cli_diag(const struct diag *d);

/* A usage error: the message, then "Try 'prog --help'."; returns EXIT_INVALID. */
int	cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* After getopt has said what was wrong: "Try 'prog --help' ..." on
 * stderr; returns EXIT_INVALID. */
int	cli_try_help(void);

/* "prog: write error: reason" (err: an errno; 0 is taken as EIO);
 * returns EXIT_INVALID. */
int	cli_write_error(int err);

/* Standard output flushed: EXIT_OK, or EXIT_INVALID having said why
 * (--help and --version on /dev/full or a closed stdout, too). */
int	cli_flushed(void);

/* A library error as its message and exit status: a usage error (with
 * "Try ...") for DIAG_USAGE and DIAG_PATTERN not tied to an input (d->src
 * NULL), otherwise "prog: src:line: message".  Returns EXIT_INVALID. */
int	cli_fail(const struct diag *d);

/* --color=auto|always|never against a stream: 1 to colour, 0 not, -1 when
 * the word is none of the three.  auto: a terminal and NO_COLOR unset. */
int	cli_color(const char *when, FILE *fp);

/* Strict whole-string numbers for options: -1 on anything else, with *why
 * set to the reason ("not a number", "out of range"). */
int	cli_long(const char *s, long min, long max, long *out, const char **why);

/* Read NDJSON records through input_records() (parse/input.h), standard input
 * named "stdin".  Returns 0, or EXIT_INVALID having said why. */
int	cli_ndjson(const char *path, input_record_fn *fn, void *ctx,
	    uint64_t *blank);

/* skew-fit's end of one input (reqset_end()): what is missing said on
 * stderr (as errors when strict), and counted in *incomplete.  Returns
 * 0, or EXIT_INVALID when out of memory (said). */
int	cli_fit_input_end(struct reqset *rs, const char *path, int strict,
	    size_t *incomplete);

/* skew-align and skew: say on stderr which inputs are incomplete (their
 * trailer made up from their events).  Returns -1 when there are any and
 * strict is set (each said as an error, even under -q), else 0. */
int	cli_incomplete(const struct reqset *rs, int strict);

/* cli_ndjson over each of the n paths in turn, or standard input when n
 * is 0, stopping at the first fault. */
int	cli_ndjson_all(int n, char *paths[], input_record_fn *fn, void *ctx,
	    uint64_t *blank);

/* --fail-on: EXIT_CHECK, having said so, when the worst verdict (an enum
 * verdict) is fail_on or worse; EXIT_OK otherwise or when fail_on is -1. */
int	cli_fail_on(int fail_on, int worst);

/* The fit document of a on standard output, one line (pretty: indented),
 * exactly as skew-fit prints it: EXIT_OK, or EXIT_INVALID having said
 * why. */
struct analysis;
int	cli_fit_print(const struct analysis *a, int pretty);

/* What skew-parse says of one input on stderr (unless -q): its counts,
 * why its first skipped line was skipped, and, when more lines were
 * skipped for another reason, the commonest reason with its first line
 * (p: the parser that read it, for the reasons' words). */
struct parser;
void	cli_parse_summary(const struct trailer *in, const struct parser *p);

/* What skew-align says of the runs on stderr (unless -q). */
void	cli_align_summary(const struct reqset *rs, const struct align_stats *st,
	    int offset_mode, uint64_t blank);

#endif
