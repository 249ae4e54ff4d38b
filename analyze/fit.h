/*
 * fit: least-squares fits with GSL for skew-fit.
 *
 *   fit_linear()  y = a + b x (gsl_fit_linear), standard errors, r^2 and a
 *                 95 % interval for b from Student's t
 *   fit_multi()   y = X c (gsl_multifit_linear_tsvd), refusing a design
 *                 matrix of deficient rank
 *   fit_usl()     the Universal Scalability Law by nonlinear least squares
 *                 (gsl_multifit_nlinear, trust region)
 *
 * A fit that cannot be made (too few points, all x equal, no convergence)
 * is not an error: the call returns 0 with ok = 0 and why[] saying so in
 * words, ready for {"fitted": false, "reason": why}.  -1 (with *d filled)
 * is kept for allocation failures.  Every number in a result with ok set is
 * finite; every has_* flag says whether its numbers may be printed.
 * The caller must have called gsl_set_error_handler_off().  No function
 * keeps state between calls; results own no memory.
 */
#ifndef SKEW_FIT_H
#define SKEW_FIT_H

#include <stddef.h>

#include "base/diag.h"

#define FIT_WHY		160
#define FIT_PMAX	4

struct fit_line {
	int	ok;		/* a and b computed (2+ distinct x) */
	size_t	n;		/* points used */
	double	a, b;
	int	has_se;		/* a_se, b_se (3+ points) */
	double	a_se, b_se;
	int	has_ci;		/* b_lo, b_hi: 95 % interval (3+ points) */
	double	b_lo, b_hi;
	int	has_r2;		/* r2 (y not all equal) */
	double	r2;
	char	why[FIT_WHY];	/* when !ok */
};

/* y = a + b x over n points.  Cannot fail: what could not be computed
 * (fewer than 2 points, one x, GSL's failure) is f->ok = 0 with f->why. */
void	fit_linear(const double *x, const double *y, size_t n,
	    struct fit_line *f);

struct fit_multi {
	int	ok;
	size_t	n, p;
	double	c[FIT_PMAX];
	int	has_se;		/* n > p */
	double	se[FIT_PMAX];
	int	has_r2;
	double	r2;
	char	why[FIT_WHY];
};

/*
 * y = X c, X row-major n x p (p <= FIT_PMAX, its first column the
 * intercept's ones when r^2 is to mean the usual thing).  Refused (ok = 0)
 * when n < p or the columns are linearly dependent.  -1 only when out of
 * memory.
 */
int	fit_multi(const double *X, const double *y, size_t n, size_t p,
	    struct fit_multi *f, struct diag *d);

struct fit_usl {
	int	ok;
	size_t	n;		/* points */
	size_t	distinct;	/* distinct concurrencies */
	double	lambda, sigma, kappa;
	int	has_se;
	double	lambda_se, sigma_se, kappa_se;
	int	has_r2;
	double	r2;
	size_t	iter;
	char	why[FIT_WHY];
};

/* Minimum distinct concurrencies for fit_usl(): three parameters, and
 * enough points left over for the fit to say something. */
#define FIT_USL_MIN	6

/*
 * p(n) = lambda n / (1 + sigma (n - 1) + kappa n (n - 1)) fitted to the
 * points (n[i], p[i]), each n at least 1 (a run of n requests).  Refused
 * below FIT_USL_MIN distinct n or when the solver does not converge.  -1
 * only when out of memory.
 */
int	fit_usl(const double *n, const double *p, size_t m,
	    struct fit_usl *f, struct diag *d);

/*
 * What fit_usl_rules() takes for a point: the smallest n (runs: 1 request;
 * the traffic's windows: any time-average above 0), and how distinct
 * concurrencies are counted: after rounding n to the nearest multiple of
 * round (0: as they are).  A time-average differs in every window, so
 * without rounding six windows would always count as six concurrencies.
 */
struct fit_usl_rules {
	double	nmin;
	double	round;
};

/* fit_usl() with the rules r: fit_usl() is r = { 1, 0 }. */
int	fit_usl_rules(const double *n, const double *p, size_t m,
	    const struct fit_usl_rules *r, struct fit_usl *f, struct diag *d);

#endif
