/*
 * The option tables (cmd/opt.c): within a program no letter or long name
 * stands for two options; an option whose argument is one of some words
 * lists them (they are what opt_parse accepts and what the completions
 * offer); the plots are the ones the report draws; every option shown has
 * help; and skew has every option of every stage group (its --strict
 * its own, standing for every stage's).
 */
#include <stdio.h>
#include <string.h>

#include "opt.h"
#include "report.h"
#include "tap.h"

/* The def of name in program p, or NULL. */
static const struct opt_def *
find(const struct opt_prog *p, const char *name)
{
	for (const struct opt_group *const *g = p->groups; *g != NULL; g++)
		for (const struct opt_def *const *d = (*g)->defs; *d != NULL;
		    d++)
			if (strcmp((*d)->name, name) == 0)
				return *d;
	return NULL;
}

static void
check_prog(const struct opt_prog *p)
{
	int letters[256] = { 0 }, dup_letter = 0, dup_name = 0, no_words = 0;
	int no_help = 0, n = 0;

	for (const struct opt_group *const *g = p->groups; *g != NULL; g++)
		for (const struct opt_def *const *dp = (*g)->defs;
		    *dp != NULL; dp++) {
			const struct opt_def *d = *dp;

			n++;
			if (d->key < 256 && letters[d->key]++ > 0)
				dup_letter++;
			if (find(p, d->name) != d)
				dup_name++;
			if ((d->arg == OPT_WORD || d->arg == OPT_HINT) &&
			    (d->words == NULL || *d->words == '\0'))
				no_words++;
			if (!(d->flags & OPT_ALIAS) &&
			    (d->help == NULL || *d->help == '\0'))
				no_help++;
		}
	ok(n > 3, "%s: %d options", p->name, n);
	is_int(dup_letter, 0, "%s: no letter twice", p->name);
	is_int(dup_name, 0, "%s: no long name twice", p->name);
	is_int(no_words, 0, "%s: word arguments list their words", p->name);
	is_int(no_help, 0, "%s: every option shown has help", p->name);
}

int
main(void)
{
	char plots[128] = "";
	const struct opt_def *d;
	size_t n = 0;
	int missing = 0;

	for (size_t i = 0; opt_progs[i] != NULL; i++, n++)
		check_prog(opt_progs[i]);
	is_int((long long)n, 5, "five programs");

	/* --plot's words are the report's plots, in its order. */
	for (size_t i = 0; report_plots[i] != NULL; i++)
		snprintf(plots + strlen(plots), sizeof(plots) - strlen(plots),
		    "%s%s", i ? " " : "", report_plots[i]);
	d = find(&opt_skew_report, "plot");
	is_str(d ? d->words : NULL, plots, "--plot takes the report's plots");

	/* skew is the stage groups together: every option of a stage
	 * program's groups, bar its own few, is skew's, the same def. */
	for (size_t i = 0; opt_progs[i] != &opt_skew; i++)
		for (const struct opt_group *const *g = opt_progs[i]->groups;
		    *g != NULL; g++)
			for (const struct opt_def *const *dp = (*g)->defs;
			    *dp != NULL; dp++) {
				const struct opt_def *s = find(&opt_skew,
				    (*dp)->name);
				char key[64];
				int own, widened;

				/* Each stage program's own few. */
				snprintf(key, sizeof(key), " %s:%s ",
				    opt_progs[i]->name, (*dp)->name);
				own = strstr(" skew-parse:tsv skew-parse:to "
				    "skew-parse:source skew-parse:list-formats "
				    "skew-fit:pretty skew-report:to "
				    "skew-report:run ", key) != NULL;
				/* skew's one --strict stands for each stage's:
				 * a line skipped and an input incomplete; its
				 * one -s is skew-fit's and skew-align's (for
				 * --offset auto). */
				widened = strstr(" skew-parse:strict "
				    "skew-align:strict skew-fit:strict "
				    "skew-align:service-time ", key) != NULL;

				if (!own && (widened ? s == NULL ||
				    s->key != (*dp)->key : s != *dp)) {
					tap_diag("skew lacks %s's --%s",
					    opt_progs[i]->name, (*dp)->name);
					missing++;
				}
			}
	is_int(missing, 0, "skew has every stage group's options");
	return done_testing();
}
