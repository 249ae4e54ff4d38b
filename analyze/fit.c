#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include "fit.h"

static double
total_ss(const double *y, size_t n)
{
	double ybar = 0, sst = 0;

	for (size_t i = 0; i < n; i++)
		ybar += y[i];
	ybar /= (double)n;
	for (size_t i = 0; i < n; i++)
		sst += (y[i] - ybar) * (y[i] - ybar);
	return sst;
}

void
fit_linear(const double *x, const double *y, size_t n, struct fit_line *f)
{
	double c0, c1, cov00, cov01, cov11, sumsq, sst;
	int distinct = 0;

	memset(f, 0, sizeof(*f));
	f->n = n;
	for (size_t i = 1; i < n && !distinct; i++)
		distinct = x[i] != x[0];
	/*
	 * gsl_fit_linear returns GSL_SUCCESS with a NaN slope when n = 1 or
	 * every x is the same (GSL 2.7.1), so the precondition is ours.
	 */
	if (n < 2) {
		snprintf(f->why, FIT_WHY, "%zu point%s; 2 needed for a slope",
		    n, n == 1 ? "" : "s");
		return;
	}
	if (!distinct) {
		snprintf(f->why, FIT_WHY, "all %zu points at the same x", n);
		return;
	}
	if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11,
	    &sumsq) != GSL_SUCCESS || !isfinite(c0) || !isfinite(c1)) {
		snprintf(f->why, FIT_WHY, "the least-squares fit failed");
		return;
	}
	f->ok = 1;
	f->a = c0;
	f->b = c1;
	/* Two points fit exactly: no residual is left to estimate an error. */
	if (n >= 3 && isfinite(cov00) && isfinite(cov11) && cov00 >= 0 &&
	    cov11 >= 0) {
		double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 2));

		f->has_se = 1;
		f->a_se = sqrt(cov00);
		f->b_se = sqrt(cov11);
		if (isfinite(t)) {
			f->has_ci = 1;
			f->b_lo = c1 - t * f->b_se;
			f->b_hi = c1 + t * f->b_se;
		}
	}
	/* r^2 means nothing when y does not vary at all. */
	sst = total_ss(y, n);
	if (sst > 0 && isfinite(sumsq)) {
		f->has_r2 = 1;
		f->r2 = 1 - sumsq / sst;
	}
}

int
fit_multi(const double *X, const double *y, size_t n, size_t p,
    struct fit_multi *f, struct diag *d)
{
	gsl_matrix *mx = NULL, *cov = NULL;
	gsl_vector *vy = NULL, *c = NULL;
	gsl_multifit_linear_workspace *w = NULL;
	double chisq, sst;
	size_t rank;
	int rc = -1, st;

	memset(f, 0, sizeof(*f));
	f->n = n;
	f->p = p;
	if (p == 0 || p > FIT_PMAX) {
		snprintf(f->why, FIT_WHY, "%zu parameters; 1 to %d allowed", p,
		    FIT_PMAX);
		return 0;
	}
	if (n < p) {
		snprintf(f->why, FIT_WHY, "%zu points for %zu parameters", n,
		    p);
		return 0;
	}
	if ((mx = gsl_matrix_alloc(n, p)) == NULL ||
	    (vy = gsl_vector_alloc(n)) == NULL ||
	    (c = gsl_vector_alloc(p)) == NULL ||
	    (cov = gsl_matrix_alloc(p, p)) == NULL ||
	    (w = gsl_multifit_linear_alloc(n, p)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory for a linear fit");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(mx, i, j, X[i * p + j]);
		gsl_vector_set(vy, i, y[i]);
	}
	/*
	 * The truncated SVD reports the rank: plain gsl_multifit_linear would
	 * solve a singular system (runs that differ in one variable only)
	 * and print meaningless coefficients.  Singular values below 1e-10
	 * of the largest count as zero; the columns here (1, n, T) are a few
	 * orders of magnitude apart at most.
	 */
	st = gsl_multifit_linear_tsvd(mx, vy, 1e-10, c, cov, &chisq, &rank, w);
	rc = 0;
	if (st != GSL_SUCCESS) {
		snprintf(f->why, FIT_WHY, "the least-squares fit failed: %s",
		    gsl_strerror(st));
		goto out;
	}
	if (rank < p) {
		snprintf(f->why, FIT_WHY, "the variables move together "
		    "(rank %zu of %zu): their effects cannot be separated",
		    rank, p);
		goto out;
	}
	for (size_t j = 0; j < p; j++) {
		f->c[j] = gsl_vector_get(c, j);
		if (!isfinite(f->c[j])) {
			snprintf(f->why, FIT_WHY,
			    "the fit gave no finite result");
			goto out;
		}
	}
	f->ok = 1;
	/* GSL scales cov by chisq / (n - p): undefined when the fit is exact
	 * by construction. */
	if (n > p) {
		f->has_se = 1;
		for (size_t j = 0; j < p; j++) {
			double v = gsl_matrix_get(cov, j, j);

			if (!isfinite(v) || v < 0)
				f->has_se = 0;
			else
				f->se[j] = sqrt(v);
		}
	}
	sst = total_ss(y, n);
	if (sst > 0 && isfinite(chisq)) {
		f->has_r2 = 1;
		f->r2 = 1 - chisq / sst;
	}
out:
	gsl_multifit_linear_free(w);
	gsl_matrix_free(cov);
	gsl_vector_free(c);
	gsl_vector_free(vy);
	gsl_matrix_free(mx);
	return rc;
}

struct usl_data {
	const double	*n, *p;
	size_t		 m;
};

/* The USL's denominator at n: p(n) = lambda n / usl_den(sigma, kappa, n).
 * The model and its Jacobian read it from here, so it is said once. */
static double
usl_den(double s, double k, double n)
{
	return 1 + s * (n - 1) + k * n * (n - 1);
}

static int
usl_f(const gsl_vector *x, void *arg, gsl_vector *f)
{
	const struct usl_data *u = arg;
	double l = gsl_vector_get(x, 0), s = gsl_vector_get(x, 1),
	    k = gsl_vector_get(x, 2);

	for (size_t i = 0; i < u->m; i++) {
		double n = u->n[i];
		double den = usl_den(s, k, n);

		gsl_vector_set(f, i, l * n / den - u->p[i]);
	}
	return GSL_SUCCESS;
}

static int
usl_df(const gsl_vector *x, void *arg, gsl_matrix *J)
{
	const struct usl_data *u = arg;
	double l = gsl_vector_get(x, 0), s = gsl_vector_get(x, 1),
	    k = gsl_vector_get(x, 2);

	for (size_t i = 0; i < u->m; i++) {
		double n = u->n[i];
		double den = usl_den(s, k, n);

		gsl_matrix_set(J, i, 0, n / den);
		gsl_matrix_set(J, i, 1, -l * n * (n - 1) / (den * den));
		gsl_matrix_set(J, i, 2, -l * n * n * (n - 1) / (den * den));
	}
	return GSL_SUCCESS;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
fit_usl(const double *n, const double *p, size_t m, struct fit_usl *f,
    struct diag *d)
{
	static const struct fit_usl_rules runs = { 1, 0 };

	return fit_usl_rules(n, p, m, &runs, f, d);
}

/* n as counted for the distinct concurrencies: rounded to the nearest
 * multiple of r (r > 0), or as it is. */
static double
usl_key(double n, double r)
{
	return r > 0 ? round(n / r) : n;
}

int
fit_usl_rules(const double *n, const double *p, size_t m,
    const struct fit_usl_rules *r, struct fit_usl *f, struct diag *d)
{
	const gsl_multifit_nlinear_type *T = gsl_multifit_nlinear_trust;
	gsl_multifit_nlinear_parameters fp =
	    gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_workspace *w = NULL;
	gsl_multifit_nlinear_fdf fdf;
	gsl_matrix *covar = NULL;
	gsl_vector *x0 = NULL, *wts = NULL;
	struct usl_data u = { n, p, m };
	double *sorted = NULL, chisq, scale, l0 = 0;
	int info, st, rc = -1;

	memset(f, 0, sizeof(*f));
	f->n = m;
	if (m > 0) {
		if ((sorted = malloc(m * sizeof(*sorted))) == NULL) {
			diag_set(d, DIAG_NOMEM,
			    "out of memory for the USL fit");
			return -1;
		}
		for (size_t i = 0; i < m; i++)
			sorted[i] = usl_key(n[i], r->round);
		qsort(sorted, m, sizeof(*sorted), cmp_double);
		f->distinct = 1;
		for (size_t i = 1; i < m; i++)
			if (sorted[i] != sorted[i - 1])
				f->distinct++;
		free(sorted);
	}
	if (f->distinct < FIT_USL_MIN) {
		snprintf(f->why, FIT_WHY,
		    "%zu distinct concurrenc%s; %d needed",
		    f->distinct, f->distinct == 1 ? "y" : "ies", FIT_USL_MIN);
		return 0;
	}
	for (size_t i = 0; i < m; i++) {
		if (!isfinite(n[i]) || !isfinite(p[i]) || n[i] < r->nmin ||
		    n[i] <= 0) {
			snprintf(f->why, FIT_WHY, "a point is not usable "
			    "(concurrency %s %g, or not finite)", r->nmin > 0 ?
			    "below" : "at most", r->nmin);
			return 0;
		}
		/* lambda is the throughput of one: start from the best
		 * parallelism per request measured. */
		if (p[i] / n[i] > l0)
			l0 = p[i] / n[i];
	}
	if (l0 <= 0)
		l0 = 1;

	fdf.f = usl_f;
	fdf.df = usl_df;
	fdf.fvv = NULL;
	fdf.n = m;
	fdf.p = 3;
	fdf.params = &u;
	if ((w = gsl_multifit_nlinear_alloc(T, &fp, m, 3)) == NULL ||
	    (covar = gsl_matrix_alloc(3, 3)) == NULL ||
	    (x0 = gsl_vector_alloc(3)) == NULL ||
	    (wts = gsl_vector_alloc(m)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory for the USL fit");
		goto out;
	}
	rc = 0;
	gsl_vector_set(x0, 0, l0);
	gsl_vector_set(x0, 1, 0.01);
	gsl_vector_set(x0, 2, 0.0001);
	gsl_vector_set_all(wts, 1.0);
	/* The shape of GSL's doc/examples/nlfit.c: init, drive, covariance. */
	if ((st = gsl_multifit_nlinear_winit(x0, wts, &fdf, w)) !=
	    GSL_SUCCESS) {
		snprintf(f->why, FIT_WHY, "the USL fit could not start: %s",
		    gsl_strerror(st));
		goto out;
	}
	st = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 0.0, NULL, NULL,
	    &info, w);
	f->iter = gsl_multifit_nlinear_niter(w);
	if (st != GSL_SUCCESS) {
		snprintf(f->why, FIT_WHY, "the USL fit did not converge after "
		    "%zu iterations: %s", f->iter, gsl_strerror(st));
		goto out;
	}
	f->lambda = gsl_vector_get(w->x, 0);
	f->sigma = gsl_vector_get(w->x, 1);
	f->kappa = gsl_vector_get(w->x, 2);
	if (!isfinite(f->lambda) || !isfinite(f->sigma) ||
	    !isfinite(f->kappa)) {
		snprintf(f->why, FIT_WHY, "the USL fit gave no finite result");
		goto out;
	}
	{
		gsl_vector *res = gsl_multifit_nlinear_residual(w);
		gsl_matrix *J = gsl_multifit_nlinear_jac(w);
		double sst = total_ss(p, m);

		/* Without its residual a fit cannot be judged: not fitted. */
		if ((st = gsl_blas_ddot(res, res, &chisq)) != GSL_SUCCESS ||
		    !isfinite(chisq)) {
			snprintf(f->why, FIT_WHY, "the USL fit's residual could "
			    "not be computed");
			goto out;
		}
		/* Fitted from here on; the standard errors may still be
		 * missing (then null), when the covariance cannot be had. */
		f->ok = 1;
		if (sst > 0) {
			f->has_r2 = 1;
			f->r2 = 1 - chisq / sst;
		}
		if (gsl_multifit_nlinear_covar(J, 0.0, covar) != GSL_SUCCESS)
			goto out;
	}
	/* Errors scaled by the residual standard deviation, as nlfit.c does
	 * (without its floor of 1: the contract asks for the residual
	 * variance itself). */
	scale = sqrt(chisq / (double)(m - 3));
	f->lambda_se = scale * sqrt(gsl_matrix_get(covar, 0, 0));
	f->sigma_se = scale * sqrt(gsl_matrix_get(covar, 1, 1));
	f->kappa_se = scale * sqrt(gsl_matrix_get(covar, 2, 2));
	f->has_se = isfinite(f->lambda_se) && isfinite(f->sigma_se) &&
	    isfinite(f->kappa_se);
out:
	gsl_vector_free(wts);
	gsl_vector_free(x0);
	gsl_matrix_free(covar);
	gsl_multifit_nlinear_free(w);
	return rc;
}
