/* Discrete-Laplace noise for the weekly federation statements, drawn by an exact
 * sampler from uniform integers only, with suppression of small cells and the
 * ε-budget arithmetic. The display helpers at the end (interval half-width,
 * variance) are the only code here that uses floating point. */
#include <math.h>
#include <stdlib.h>

#include <sodium.h>

#include "dp.h"

const struct dp_metric dp_default_metrics[DP_METRICS] = {
    [DP_ACTIVE] = {"active", 1, 200},
    [DP_CO2E] = {"co2e_avoided_g", 10000, 200},
    [DP_WASTE] = {"waste_avoided_g", 5000, 200},
    [DP_CHECKINS] = {"checkins", 20, 200},
    [DP_ONLINE] = {"attendance_online", 1, 100},
    [DP_PHYSICAL] = {"attendance_physical", 1, 100},
};

uint32_t dp_rng_sodium(void *ctx, uint32_t upper)
{
	(void)ctx;
	return randombytes_uniform(upper);
}

/*
 * The sampler follows Canonne, Kamath and Steinke, "The Discrete Gaussian for
 * Differential Privacy", NeurIPS 2020 (arXiv:2004.00010), Algorithms 1 and 2.
 * Every probability is a ratio of integers and every coin is a uniform integer
 * compared with a numerator, so the output distribution is exactly the stated
 * one: no rounding of floating-point densities can leak (Mironov, CCS 2012,
 * showed how textbook floating-point Laplace noise does).
 *
 * Bernoulli(exp(−γ)), γ = n/d ∈ [0, 1]: draw A_k ~ Bernoulli(γ/k) for
 * k = 1, 2, … until the first A_k = 0 and call that index K. Then
 * P(K > k) = γ^k / k!, and P(K odd) = 1 − γ + γ²/2! − γ³/3! + … = e^(−γ).
 * For γ > 1, e^(−γ) = e^(−1)^⌊γ⌋ · e^(−(γ − ⌊γ⌋)): that many independent
 * Bernoulli(exp(−1)) coins, then one for the fractional part; the first
 * failure ends it, so the expected number of coins stays below 1/(1 − e^(−1)).
 *
 * Discrete Laplace of scale t = s/d (P(Y = y) ∝ e^(−|y|/t)): draw U uniform
 * in {0 … s−1} and keep it with probability e^(−U/s); count V, the successes
 * of Bernoulli(exp(−1)) before the first failure. X = U + s·V then has
 * P(X = x) ∝ e^(−x/s) on all of ℕ, so Y = ⌊X/d⌋ is geometric with
 * P(Y = y) ∝ e^(−y·d/s). A fair sign B is attached and (B = 1, Y = 0) is
 * rejected so that zero is not counted twice.
 */

/* A uniform integer in [0, upper), upper ≥ 1, also for ranges one draw cannot cover. */
static uint64_t uniform64(uint64_t upper, dp_rng rng, void *ctx)
{
	uint64_t skip, r;

	if (upper == 1)
		return 0;
	if (upper <= UINT32_MAX)
		return rng(ctx, (uint32_t)upper);
	/* rng cannot be asked for 2^32 outcomes, so build 64 bits from four 16-bit
	 * draws and reject the lowest 2^64 mod upper values, leaving a whole number
	 * of copies of every residue. */
	skip = (0 - upper) % upper;
	do {
		r = 0;
		for (int i = 0; i < 4; i++)
			r = r << 16 | rng(ctx, UINT32_C(1) << 16);
	} while (r < skip);
	return r % upper;
}

static bool bernoulli64(uint64_t num, uint64_t den, dp_rng rng, void *ctx)
{
	if (num == 0)
		return false;
	if (num >= den)
		return true;
	return uniform64(den, rng, ctx) < num;
}

bool dp_bernoulli(uint32_t num, uint32_t den, dp_rng rng, void *ctx)
{
	if (den == 0)
		abort();
	return bernoulli64(num, den, rng, ctx);
}

/* Bernoulli(n / (d·k)) for n ≤ d: one draw while d·k fits, else the product of
 * two independent coins, which has the same probability. */
static bool bernoulli_over_k(uint64_t n, uint64_t d, uint64_t k, dp_rng rng, void *ctx)
{
	if (d <= UINT64_MAX / k)
		return bernoulli64(n, d * k, rng, ctx);
	return bernoulli64(n, d, rng, ctx) && bernoulli64(1, k, rng, ctx);
}

/* Bernoulli(exp(−n/d)) for n ≤ d (Algorithm 1, γ ≤ 1). */
static bool bernoulli_exp_upto1(uint64_t n, uint64_t d, dp_rng rng, void *ctx)
{
	uint64_t k = 1;

	while (bernoulli_over_k(n, d, k, rng, ctx))
		k++;
	return k % 2 == 1;
}

bool dp_bernoulli_exp(uint64_t num, uint64_t den, dp_rng rng, void *ctx)
{
	if (den == 0)
		abort();
	for (uint64_t i = num / den; i > 0; i--)
		if (!bernoulli_exp_upto1(1, 1, rng, ctx))
			return false;
	return bernoulli_exp_upto1(num % den, den, rng, ctx);
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* Algorithm 2 for scale num/den, both ≥ 1 (num up to 2^42 from dp_release). */
static int64_t dlap64(uint64_t num, uint64_t den, dp_rng rng, void *ctx)
{
	uint64_t g = gcd64(num, den);

	/* The same scale in lowest terms, so U comes from the smallest range
	 * (one 32-bit draw where possible); the output distribution is the same. */
	num /= g;
	den /= g;
	for (;;) {
		uint64_t u = uniform64(num, rng, ctx), v = 0, y;
		bool negative;

		if (!dp_bernoulli_exp(u, num, rng, ctx))
			continue;
		while (bernoulli_exp_upto1(1, 1, rng, ctx))
			v++;
		/* X = U + num·V must fit in 64 bits and Y in int64_t. Starting over
		 * otherwise needs V > 2^21, probability below e^(−2^21): the output
		 * is then discrete Laplace conditioned on that never happening. */
		if (v > (UINT64_MAX - u) / num)
			continue;
		y = (u + num * v) / den;
		if (y > (uint64_t)INT64_MAX)
			continue;
		negative = bernoulli64(1, 2, rng, ctx);
		if (negative && y == 0)
			continue;
		return negative ? -(int64_t)y : (int64_t)y;
	}
}

int64_t dp_dlap(uint32_t num, uint32_t den, dp_rng rng, void *ctx)
{
	if (num == 0 || den == 0)
		abort();
	return dlap64(num, den, rng, ctx);
}

enum zc_err dp_release(const uint64_t sum[DP_METRICS], const struct dp_metric m[DP_METRICS],
		       uint32_t suppress_below, dp_rng rng, void *ctx, struct dp_release *out)
{
	struct dp_release r;

	if (!sum || !m || !rng || !out)
		return ZC_ERR_INVALID;
	for (unsigned i = 0; i < DP_METRICS; i++)
		if (m[i].clip == 0 || m[i].eps_milli == 0 || sum[i] > (uint64_t)DP_VALUE_MAX)
			return ZC_ERR_INVALID;
	/* Noise is drawn for every metric, suppressed or not, so the number of
	 * draws does not depend on the data. */
	for (unsigned i = 0; i < DP_METRICS; i++) {
		int64_t s = (int64_t)sum[i];
		int64_t noise = dlap64((uint64_t)m[i].clip * 1000, m[i].eps_milli, rng, ctx);

		if (noise > DP_VALUE_MAX - s)
			r.value[i] = DP_VALUE_MAX;
		else if (noise < -DP_VALUE_MAX - s)
			r.value[i] = -DP_VALUE_MAX;
		else
			r.value[i] = s + noise;
	}
	/* Suppression looks at the noisy count: deciding on the true one would
	 * itself reveal whether a cell holds 9 or 10 people. */
	r.suppressed = r.value[DP_ACTIVE] < (int64_t)suppress_below;
	*out = r;
	return ZC_OK;
}

bool dp_budget_allows(uint64_t spent_milli, uint64_t cost_milli, uint64_t budget_milli)
{
	return spent_milli <= budget_milli && cost_milli <= budget_milli - spent_milli;
}

uint32_t dp_release_cost(const struct dp_metric m[DP_METRICS])
{
	uint64_t total = 0;

	for (unsigned i = 0; i < DP_METRICS; i++)
		total += m[i].eps_milli;
	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* Display only, never the sampler: interval half-widths and variances shown
 * beside published figures. */
static uint64_t halfwidth64(uint64_t num, uint64_t den, uint32_t alpha_milli)
{
	double inv_t, alpha, one_plus_q;
	uint64_t lo = 1, hi;

	if (num == 0 || alpha_milli >= 1000)
		return 0;
	if (den == 0 || alpha_milli == 0)
		return UINT64_MAX;
	inv_t = (double)den / (double)num;
	alpha = alpha_milli / 1000.0;
	one_plus_q = 1.0 + exp(-inv_t);
	/* P(|X| ≥ k) = 2·e^(−k/t) / (1 + e^(−1/t)) for k ≥ 1 falls with k; the
	 * answer is the smallest such k with P ≤ alpha, minus one. Since
	 * alpha ≥ 1/1000 and 1 + e^(−1/t) ≥ 1, k = 8t already qualifies
	 * (2·e^(−8) < 0.001). A search rather than t·ln(…) rounded up, so that
	 * the answer is the one the inequality gives in doubles. */
	hi = (num / den + 1) * 8;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (2.0 * exp(-(double)mid * inv_t) <= alpha * one_plus_q)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo - 1;
}

uint64_t dp_halfwidth(uint32_t num, uint32_t den, uint32_t alpha_milli)
{
	return halfwidth64(num, den, alpha_milli);
}

uint64_t dp_metric_halfwidth(const struct dp_metric *m, uint32_t alpha_milli)
{
	return halfwidth64((uint64_t)m->clip * 1000, m->eps_milli, alpha_milli);
}

static double variance64(uint64_t num, uint64_t den)
{
	double m;

	if (num == 0)
		return 0.0;
	if (den == 0)
		return INFINITY;
	/* expm1, not exp − 1: at large scales e^(−1/t) is within 1e-10 of 1. */
	m = expm1(-(double)den / (double)num);
	return 2.0 * (1.0 + m) / (m * m);
}

double dp_variance(uint32_t num, uint32_t den)
{
	return variance64(num, den);
}

double dp_metric_variance(const struct dp_metric *m)
{
	return variance64((uint64_t)m->clip * 1000, m->eps_milli);
}
