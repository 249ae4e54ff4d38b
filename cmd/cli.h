/*
 * cli: what every skew program shares: exit statuses, messages on standard
 * error in err(3) form prefixed with the program's name, --color, --version
 * and strict number parsing for options.  Only cmd/ uses this; the libraries
 * never print or exit.
 */
#ifndef SKEW_CLI_H
#define SKEW_CLI_H

#include <stdio.h>

#include "diag.h"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_CHECK = 1,		/* a check the user asked for failed */
	EXIT_INVALID = 2	/* usage error, unreadable or invalid input */
};

/* Set once at the start of main: the name messages begin with. */
void	cli_init(const char *progname);
extern const char *cli_prog;
extern int cli_quiet;		/* -q: errors only */

/* "prog: message" on stderr.  cli_warn is silent under -q; cli_error is not. */
void	cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: src:line: message" from a filled diag (src and line when set). */
void	cli_diag(const struct diag *d);

/* A usage error: the message, then "Try 'prog --help'."; returns EXIT_INVALID. */
int	cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog VERSION" on stdout. */
void	cli_version(void);

/* --color=auto|always|never against a stream: 1 to colour, 0 not, -1 when
 * the word is none of the three.  auto: a terminal and NO_COLOR unset. */
int	cli_color(const char *when, FILE *fp);

/* Strict whole-string numbers for options: -1 on anything else, with *why
 * set to the reason ("not a number", "out of range"). */
int	cli_long(const char *s, long min, long max, long *out, const char **why);

#endif
