/*
 * opt: the options of every skew program, said once.
 *
 * An option group is one stage's options (reading, runs and pairs,
 * statistics, output): its table (long name, short letter, argument, help,
 * the words its argument takes), the handler that stores what was given in
 * a struct opts, and a check run once all options are read.  A program is
 * a list of groups: each stage program has its stage's group, the common
 * one (-q, -h, --version) and a few of its own; skew has the four stage
 * groups together, so an option means the same thing in every program.
 * getopt's strings, --help, the provenance list and the shell completions
 * (cmd/mkcompletion.c) are all made from these tables.
 *
 * Ownership: opt_parse() keeps pointers into argv (never copied); the lists
 * it allocates are freed by opts_free().
 */
#ifndef SKEW_OPT_H
#define SKEW_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "align.h"
#include "parser.h"
#include "base/ts.h"

/* Option keys beyond the short letters. */
enum opt_key {
	OPT_TZ = 256, OPT_YEAR, OPT_DUR_UNIT, OPT_STRICT, OPT_TSV, OPT_SOURCE,
	OPT_LIST_FORMATS, OPT_ARR_FROM, OPT_ARR_PATTERN, OPT_NO_SERIES,
	OPT_FAIL_ON, OPT_COLOR, OPT_VERSION, OPT_FIELD, OPT_WINDOW, OPT_BY,
	OPT_KEEP_ERRORS
};

/* What an option's argument is, for the completions. */
enum opt_arg {
	OPT_NONE,		/* no argument */
	OPT_TEXT,		/* free text: nothing to complete */
	OPT_WORD,		/* one of def->words, checked by opt_parse */
	OPT_HINT,		/* def->words suggested; other text allowed */
	OPT_FILE,		/* a file name */
	OPT_FORMAT		/* a preset format name (format_preset_info) */
};

/* def->flags */
#define OPT_DOC		0x1	/* changes the fit document: provenance */
#define OPT_ALIAS	0x2	/* another spelling: not in help or completions */
#define OPT_REPEAT	0x4	/* may be given more than once, each adding */

struct opt_def {
	const char	*name;		/* the long name, without "--" */
	int		 key;		/* short letter, or an enum opt_key */
	enum opt_arg	 arg;
	const char	*meta;		/* the argument in the help: FORMAT */
	const char	*words;		/* OPT_WORD, OPT_HINT: space-separated */
	unsigned	 flags;
	const char	*help;		/* lines separated by '\n' */
};

struct opt_prog;

/* Everything the programs' options set. */
struct opts {
	const struct opt_prog *prog;	/* the program reading them */
	int		 word;		/* see struct opt_group's set */
	struct parser_opt	 logs;		/* reading: -f, -e, -k, --tz, ... */
	int		 strict;	/* --strict: an incomplete input is
					 * exit 2 (skew-align, skew-fit, skew) */
	int		 tsv;		/* skew-parse: -t tsv, --tsv */
	struct parser_opt	 arrivals;	/* skew: -a's logs */
	const char	**arr;		/* skew: -a FILE, in order */
	const char	**fields;	/* --field NAME=KEY, in order */
	size_t		 narr;
	struct align_opt	 aln;		/* runs and pairs: -g, -o */
	struct ts	*service;	/* statistics: -s (allocated) */
	size_t		 nservice;
	long		*conc, *runs;	/* -c, -r (allocated) */
	size_t		 nconc, nruns;
	int		 no_series;
	int		 has_window;	/* --window */
	struct ts	 window;
	int		 by_route;	/* --by route */
	int		 keep_errors;	/* --keep-errors */
	int		 fail_on;	/* enum verdict, or -1 */
	int		 pretty;	/* skew-fit -p */
	int		 to;		/* output: enum report_to */
	int		 json;		/* skew -t json: the fit document */
	const char	*plot;		/* --plot, or NULL */
	int		 plot_run;	/* skew-report -r N, or 0 */
	const char	*color;		/* --color's word, or NULL: auto */
	char		**prov;		/* OPT_DOC options as "--name=value" */
	size_t		 nprov;
};

struct opt_prog;

struct opt_group {
	const char	*title;		/* heading in --help */
	/* Store one option (o->word: its argument's index in def->words
	 * for OPT_WORD): -1 to go on, else the exit status (having said
	 * why, or printed what -h and --version print). */
	int		(*set)(struct opts *o, const struct opt_def *def,
			    const char *arg);
	/* After the last option: -1 to go on, else the exit status.  May be
	 * NULL. */
	int		(*check)(struct opts *o);
	const struct opt_def *const *defs;	/* NULL-terminated */
};

struct opt_prog {
	const char	*name;
	const char	*synopsis;	/* after "usage: NAME", its lines
					 * each under the first */
	const char	*forms;		/* another form of the command, or
					 * NULL (-h is said by opt_help) */
	const struct opt_group *const *groups;	/* NULL-terminated */
	const char	*about;		/* what it does, in a paragraph */
	const char	*epilog;	/* DURATION, exit statuses */
};

extern const struct opt_prog opt_skew_parse, opt_skew_align, opt_skew_fit,
    opt_skew_report, opt_skew;
/* Every program, NULL-terminated (the completions, the tests). */
extern const struct opt_prog *const opt_progs[];

/*
 * Read argv's options for program p into *o (set to the defaults first).
 * Returns -1 when the program should go on, with optind at the first
 * operand; otherwise the exit status, having said why (or printed --help
 * or --version).  Free *o with opts_free() in either case.
 */
int	opt_parse(const struct opt_prog *p, int argc, char *argv[],
	    struct opts *o);
void	opts_free(struct opts *o);

/* A program's main: GSL's error handler off, cli_init(), opt_parse() with
 * p, then run with the operands; returns the exit status. */
int	opt_main(const struct opt_prog *p, int argc, char *argv[],
	    int (*run)(const struct opts *o, int argc, char *argv[]));

/* The statistics' options as skew-fit's library takes them; *fo points
 * into *o. */
struct analysis_opt;
void	opt_fit(const struct opts *o, struct analysis_opt *fo);

/* p's --help text on fp.  Returns 0, or -1 with errno set on a failed
 * write. */
int	opt_help(const struct opt_prog *p, FILE *fp);

#endif
