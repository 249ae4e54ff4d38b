/*
 * mkcompletion: the bash and zsh completions of a skew program, written
 * from the option tables the program itself reads (cmd/opt.c), so that
 * the completions cannot drift from the options.  A build-time tool, never
 * installed:
 *
 *	mkcompletion bash|zsh PROGRAM > FILE
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "opt.h"

/* The words an option's argument completes to, space-separated, into buf;
 * NULL when it completes to a file or to nothing. */
static const char *
words(const struct opt_def *d, char *buf, size_t sz)
{
	const struct format_info *fi;
	size_t len = 0;

	if (d->arg == OPT_WORD || d->arg == OPT_HINT)
		return d->words;
	if (d->arg != OPT_FORMAT)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; (fi = format_preset_info(i)) != NULL && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s",
		    i ? " " : "", fi->name);
	return buf;
}

/* Each option shown in --help, in order, to fn. */
static void
each(const struct opt_prog *p, void (*fn)(const struct opt_def *d))
{
	for (const struct opt_group *const *g = p->groups; *g != NULL; g++)
		for (const struct opt_def *const *d = (*g)->defs; *d != NULL;
		    d++)
			if (!((*d)->flags & OPT_ALIAS))
				fn(*d);
}

/* ---- bash ---- */

/* bash_pattern: the kind of argument to list, how many there are, and
 * whether to print them (or only count them). */
static enum opt_arg kind;
static int with_arg, emit;

static void
bash_name(const struct opt_def *d)
{
	if (d->key < 256)
		printf(" -%c", d->key);
	printf(" --%s", d->name);
}

/* The options of one kind of argument, as a case pattern. */
static void
bash_pattern(const struct opt_def *d)
{
	if (d->arg != kind)
		return;
	if (emit && d->key < 256)
		printf("%s-%c", with_arg ? "|" : "", d->key);
	if (emit)
		printf("%s--%s", with_arg || d->key < 256 ? "|" : "", d->name);
	with_arg++;
}

static void
bash_words(const struct opt_def *d)
{
	char buf[1024];
	const char *w = words(d, buf, sizeof(buf));

	if (w == NULL)
		return;
	printf("\t");
	if (d->key < 256)
		printf("-%c|", d->key);
	printf("--%s)\n\t\tCOMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n"
	    "\t\treturn 0;;\n", d->name, w);
}

static void
bash(const struct opt_prog *p, const char *fn)
{
	printf("# bash completion for %s: written by mkcompletion from the "
	    "option tables\n# of skew's cmd/opt.c (do not edit).\n", p->name);
	printf("%s()\n{\n\tlocal cur prev\n\n"
	    "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\t# --name=value: bash makes \"=\" a word of its own.\n"
	    "\tif [[ $cur == = ]]; then\n\t\tcur=\n"
	    "\telif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then\n"
	    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n\tfi\n"
	    "\tcase $prev in\n", fn);
	each(p, bash_words);
	/* The options that take a file, then those that take free text. */
	for (int k = 0; k < 2; k++) {
		kind = k == 0 ? OPT_FILE : OPT_TEXT;
		with_arg = emit = 0;
		each(p, bash_pattern);
		if (with_arg == 0)
			continue;
		with_arg = 0;
		emit = 1;
		printf("\t");
		each(p, bash_pattern);
		printf(")\n\t\tCOMPREPLY=(%s)\n\t\treturn 0;;\n",
		    k == 0 ? "$(compgen -f -- \"$cur\")" : "");
	}
	printf("\tesac\n\tif [[ $cur == -* ]]; then\n"
	    "\t\tCOMPREPLY=($(compgen -W '");
	each(p, bash_name);
	printf(" ' -- \"$cur\"))\n\t\treturn 0\n\tfi\n"
	    "\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n}\n"
	    "complete -o filenames -F %s %s\n", fn, p->name);
}

/* ---- zsh ---- */

/* s in a single-quoted word, within a [description]: ' and the brackets
 * escaped, lines joined. */
static void
zsh_text(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else if (*s == '[' || *s == ']' || *s == '\\')
			printf("\\%c", *s);
		else
			putchar(*s == '\n' ? ' ' : *s);
}

static void
zsh_spec(const struct opt_def *d)
{
	char buf[1024];
	const char *w = words(d, buf, sizeof(buf));
	const char *arg = d->arg == OPT_NONE ? "" : "=";

	fputs("\t", stdout);
	/* Repeatable: '*' before the spec, in the same quotes when the
	 * option has no short letter ('*--field=...'). */
	if ((d->flags & OPT_REPEAT) && d->key < 256)
		fputs("'*'", stdout);
	else if (d->key < 256)
		printf("'(-%c --%s)'", d->key, d->name);
	if (d->key < 256)
		printf("{-%c%s,--%s%s}'", d->key, *arg ? "+" : "", d->name,
		    arg);
	else
		printf("'%s--%s%s", (d->flags & OPT_REPEAT) ? "*" : "",
		    d->name, arg);
	putchar('[');
	zsh_text(d->help);
	putchar(']');
	if (d->arg != OPT_NONE) {
		printf(":%s:", d->meta);
		if (w != NULL) {
			putchar('(');
			zsh_text(w);
			putchar(')');
		} else if (d->arg == OPT_FILE)
			fputs("_files", stdout);
		else
			putchar(' ');
	}
	fputs("' \\\n", stdout);
}

static void
zsh(const struct opt_prog *p)
{
	printf("#compdef %s\n# zsh completion for %s: written by mkcompletion "
	    "from the option tables\n# of skew's cmd/opt.c (do not edit).\n"
	    "_arguments -s -S \\\n", p->name, p->name);
	each(p, zsh_spec);
	printf("\t'*:file:_files'\n");
}

int
main(int argc, char *argv[])
{
	const struct opt_prog *p = NULL;
	char fn[64];

	cli_init(argv);
	for (size_t i = 0; argc == 3 && opt_progs[i] != NULL; i++)
		if (strcmp(argv[2], opt_progs[i]->name) == 0)
			p = opt_progs[i];
	if (p == NULL || (strcmp(argv[1], "bash") != 0 &&
	    strcmp(argv[1], "zsh") != 0)) {
		cli_error("usage: mkcompletion bash|zsh PROGRAM");
		return EXIT_INVALID;
	}
	/* A shell function's name: "_skew_parse". */
	snprintf(fn, sizeof(fn), "_%s", p->name);
	for (char *c = fn; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
	if (argv[1][0] == 'b')
		bash(p, fn);
	else
		zsh(p);
	return cli_flushed();
}
