/*
 * Tests for analyze/fit.c.  Expected values come from computations made
 * apart from the code under test, each with how it was made:
 *   [py-lr]  Python 3.11 statistics.linear_regression for slope and
 *            intercept; standard errors from s^2 = SSE / (n - 2),
 *            se(b) = sqrt(s^2 / Sxx), se(a) = sqrt(s^2 (1/n + xbar^2/Sxx));
 *            r^2 = 1 - SSE / SST (and statistics.correlation(x, y)^2 agrees
 *            to 3e-16).
 *   [py-ne]  Python fractions: the normal equations (X'X) c = X'y solved
 *            exactly, se from s^2 (X'X)^-1 with s^2 = SSE / (n - p).
 *   [table]  Student's t 0.975 quantile for 3 degrees of freedom,
 *            3.182446305284263 (any statistics table: 3.182).
 * Tolerances: 1e-12 relative where the reference used the same formula in
 * another summation order (a few ulps apart); looser ones say why.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "fit.h"
#include "tap.h"

static double
rel(double want)
{
	return fabs(want) * 1e-12;
}

static void
test_linear(void)
{
	/* The article's run 1: completions relative to the first. */
	double x[] = { 0, 1, 2, 3 };
	double y[] = { 0, 0.037059, 0.130264, 0.202623 };
	double xs[] = { 5, 5, 5 }, ys[] = { 1, 2, 3 };
	double flat[] = { 7, 7, 7, 7 };
	double lx[] = { 0, 1, 2, 3, 4 }, ly[5];
	struct fit_line f;
	struct diag d;

	diag_clear(&d);
	fit_linear(x, y, 4, &f);
	ok(f.ok, "fit_linear fits four points");
	ok(f.ok, "run 1: fitted");
	is_double(f.b, 0.0701074, rel(0.0701074), "run 1 slope [py-lr]");
	is_double(f.a, -0.012674600000000008, 1e-15, "run 1 intercept [py-lr]");
	ok(f.has_se, "run 1: 4 points give standard errors");
	is_double(f.b_se, 0.007796864133739921, rel(0.0078), "run 1 slope "
	    "stderr [py-lr]");
	is_double(f.a_se, 0.01458659713984039, rel(0.0146), "run 1 intercept "
	    "stderr [py-lr]");
	ok(f.has_r2, "run 1: r2 present");
	is_double(f.r2, 0.9758604091406103, 1e-12, "run 1 r2 [py-lr]");

	/* An exact line: y = 2 + 3x over five points. */
	for (int i = 0; i < 5; i++)
		ly[i] = 2 + 3 * lx[i];
	fit_linear(lx, ly, 5, &f);
	is_double(f.b, 3, 1e-12, "exact line: slope 3");
	is_double(f.a, 2, 1e-12, "exact line: intercept 2");
	is_double(f.b_se, 0, 1e-7, "exact line: stderr 0 (sqrt of "
	    "rounding-level residuals)");
	is_double(f.r2, 1, 1e-12, "exact line: r2 1");
	ok(f.has_ci, "exact line: 5 points give an interval");

	/* An interval: b +- t(0.975, 3) se. */
	{
		double ny[] = { 0.1, 1.9, 4.2, 5.8, 8.1 };

		fit_linear(lx, ny, 5, &f);
		is_double(f.b_hi - f.b, 3.182446305284263 * f.b_se, 1e-12,
		    "ci95 half-width is t(0.975, 3) se [table]");
		is_double(f.b - f.b_lo, f.b_hi - f.b, 1e-15,
		    "ci95 is symmetric");
		/* [py-lr] slope of ny on lx: 1.99. */
		is_double(f.b, 1.99, rel(1.99), "noisy slope [py-lr]");
	}

	/* Degenerate inputs: GSL would return a NaN slope with success. */
	fit_linear(x, y, 0, &f);
	ok(!f.ok, "no points: not fitted");
	is_str(f.why, "0 points; 2 needed for a slope", "no points: reason");
	fit_linear(x, y, 1, &f);
	ok(!f.ok, "one point: not fitted");
	is_str(f.why, "1 point; 2 needed for a slope", "one point: reason");
	fit_linear(xs, ys, 3, &f);
	ok(!f.ok, "all x equal: not fitted");
	is_str(f.why, "all 3 points at the same x", "all x equal: reason");
	fit_linear(x, y, 2, &f);
	ok(f.ok && !f.has_se && !f.has_ci, "two points: a slope, no "
	    "stderr, no interval");
	is_double(f.b, 0.037059, 1e-15, "two points: slope is the rise");
	fit_linear(x, flat, 4, &f);
	ok(f.ok && f.b == 0 && !f.has_r2, "equal y: slope 0, r2 absent");
	ok(f.has_se && f.b_se == 0, "equal y: stderr 0");
}

static void
test_multi(void)
{
	/* The article's five runs: spread = a + b n + c T. */
	double n[] = { 4, 100, 100, 200, 200 }, T[] = { 10, 10, 30, 30, 30 };
	double s[] = { 0.202623, 5.100159, 5.133317, 10.263887, 10.371266 };
	double X[15], Xc[15];
	struct fit_multi f;
	struct diag d;

	diag_clear(&d);
	for (int i = 0; i < 5; i++) {
		X[3 * i] = 1;
		X[3 * i + 1] = n[i];
		X[3 * i + 2] = T[i];
		Xc[3 * i] = 1;
		Xc[3 * i + 1] = n[i];
		Xc[3 * i + 2] = 2 * n[i];	/* T moves with n */
	}
	is_int(fit_multi(X, s, 5, 3, &f, &d), 0, "fit_multi returns 0");
	ok(f.ok && f.has_se && f.has_r2, "article: fitted with stderrs");
	/* SVD against exact normal equations: 1e-9 relative. */
	is_double(f.c[0], -0.04296643377483444, 1e-10, "a [py-ne]");
	is_double(f.c[1], 0.05150476241721854, 1e-12, "b [py-ne]");
	is_double(f.c[2], 0.00161097880794702, 1e-12, "c [py-ne]");
	is_double(f.se[0], 0.0679520182787323, 1e-10, "a stderr [py-ne]");
	is_double(f.se[1], 0.0005815729796749875, 1e-12, "b stderr [py-ne]");
	is_double(f.se[2], 0.004366060133069416, 1e-12, "c stderr [py-ne]");
	is_double(f.r2, 0.9998944090147517, 1e-12, "r2 [py-ne]");

	fit_multi(Xc, s, 5, 3, &f, &d);
	ok(!f.ok, "collinear columns: refused");
	ok(strstr(f.why, "rank 2 of 3") != NULL, "collinear: reason names "
	    "the rank (%s)", f.why);
	fit_multi(X, s, 2, 3, &f, &d);
	ok(!f.ok, "fewer points than parameters: refused");
	is_str(f.why, "2 points for 3 parameters", "n < p: reason");
	fit_multi(X, s, 3, 3, &f, &d);
	ok(f.ok && !f.has_se, "n = p: fitted exactly, no stderrs");
}

static void
test_usl(void)
{
	/* Points made from the model itself with lambda 0.9, sigma 0.05,
	 * kappa 0.0005: the fit must give those back. */
	double n[] = { 1, 2, 4, 8, 16, 32, 64 }, p[7], few[] = { 1, 2, 3 };
	double noisy[7];
	struct fit_usl f;
	struct diag d;

	diag_clear(&d);
	for (int i = 0; i < 7; i++) {
		p[i] = 0.9 * n[i] / (1 + 0.05 * (n[i] - 1) +
		    0.0005 * n[i] * (n[i] - 1));
		/* +-1 % alternating: a fit that is not exact. */
		noisy[i] = p[i] * (i % 2 ? 1.01 : 0.99);
	}
	is_int(fit_usl(n, p, 7, &f, &d), 0, "fit_usl returns 0");
	ok(f.ok, "exact model points: fitted (%s)", f.why);
	is_double(f.lambda, 0.9, 1e-7, "lambda recovered");
	is_double(f.sigma, 0.05, 1e-7, "sigma recovered");
	is_double(f.kappa, 0.0005, 1e-9, "kappa recovered");
	is_double(f.r2, 1, 1e-10, "exact points: r2 1");
	ok(f.has_se, "stderrs present");

	fit_usl(n, noisy, 7, &f, &d);
	ok(f.ok && isfinite(f.lambda_se) && f.lambda_se > 0 &&
	    f.sigma_se > 0 && f.kappa_se > 0, "noisy points: positive "
	    "finite stderrs");
	ok(f.r2 < 1 && f.r2 > 0.95, "noisy points: r2 below 1 (%g)", f.r2);

	fit_usl(few, few, 3, &f, &d);
	ok(!f.ok, "three concurrencies: refused");
	is_str(f.why, "3 distinct concurrencies; 6 needed", "refusal reason");
	{
		double rep[] = { 4, 4, 4, 4, 4, 4, 4 };

		fit_usl(rep, p, 7, &f, &d);
		is_str(f.why, "1 distinct concurrency; 6 needed",
		    "seven points at one n: refused");
	}
	{
		/*
		 * Noise with one wild point, found by a search over random
		 * inputs: the solver runs out of its 200 iterations.  The
		 * fit is refused with the reason, never given as a result.
		 */
		static const double wn[] = {
			1, 2, 9, 13, 5, 11, 25, 29, 41, 37, 21, 45, 37, 53, 43
		};
		static const double wp[] = {
			0.96994033850932226, 0.4404776536280427,
			0.19945787598148634, 0.8144622537101105,
			0.50567244879001239, 0.21853538951306317,
			0.10399946852988495, 0.2143852718931929,
			0.53116526490975258, 0.58726939520070576,
			0.60346775407365294, 0.86379086043862441,
			0.3474545135299566, 0.93256590286637175, 1e12
		};

		is_int(fit_usl(wn, wp, 15, &f, &d), 0,
		    "a fit that does not converge: still returns 0");
		ok(!f.ok, "  and is not fitted");
		ok(strncmp(f.why, "the USL fit did not converge after 200 "
		    "iterations", 48) == 0, "  the reason: %s", f.why);
		is_int(f.iter, 200, "  after 200 iterations");
	}
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_linear();
	test_multi();
	test_usl();
	return done_testing();
}
