/* Unit tests for the privacy mechanisms: exact Bernoulli coins, the discrete
 * Laplace sampler against its exact pmf (chi-square, mean, variance, symmetry),
 * releases with deterministic randomness, interval half-widths and the budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "dp.h"

/* Reference values independent of the code under test, computed once with
 * Python's decimal module at 50 digits (e^(−1/t) and e^(−γ)), and the
 * chi-square critical values (upper tail 1e-4) with a regularised incomplete
 * gamma function checked against df 1 → 15.1367, df 2 → −2·ln(1e-4) and
 * df 10 → 35.5640. Floating point is fine here: only the sampler must avoid it. */
#define EXP_M1	 0.36787944117144232  /* e^(−1): scale 1 */
#define EXP_M04	 0.67032004603563930  /* e^(−0.4): scale 5/2 */
#define EXP_M001 0.99004983374916805  /* e^(−0.01): scale 100 */
#define EXP_M03	 0.74081822068171787  /* e^(−0.3) */
#define EXP_M05	 0.60653065971263342  /* e^(−0.5) */
#define EXP_M27	 0.067205512739749765 /* e^(−2.7) */
#define CHI2_DF1 15.1367

#define SAMPLES 200000

/* rng that yields 0, 1, 2, … (mod upper) and counts its calls. */
struct counter {
	uint32_t next;
	unsigned calls;
};

static uint32_t counting_rng(void *ctx, uint32_t upper)
{
	struct counter *c = ctx;
	c->calls++;
	return c->next++ % upper;
}

/* Every coin with probability below 1 comes up false, so U takes its largest
 * value, V = 0 and the sign is +: dlap(s/d) = ⌊(s − 1)/d⌋ (s/d in lowest terms). */
static uint32_t max_rng(void *ctx, uint32_t upper)
{
	(void)ctx;
	return upper - 1;
}

/* What zero noise needs: U = 0 (draw 0 for the uniform over s > 2 values), which
 * is kept since e^0 = 1; V = 0, i.e. the first Bernoulli(exp(−1)) fails, which
 * it does when its Bernoulli(1/2) step draws 1; and the sign B = 0 (draw 1 of 2,
 * since B = 1 with Y = 0 would only start over). Draws over 2 values are the
 * only ones at those steps, so: 0 for a range above 2, else the top value. */
static uint32_t zero_noise_rng(void *ctx, uint32_t upper)
{
	(void)ctx;
	return upper > 2 ? 0 : upper - 1;
}

static uint32_t refusing_rng(void *ctx, uint32_t upper)
{
	(void)ctx;
	(void)upper;
	fail_msg("no draw expected");
	return 0;
}

/* randombytes_uniform, recording the smallest and largest range asked for. */
struct watch {
	uint32_t min_upper, max_upper;
	uint64_t calls;
};

static uint32_t watching_rng(void *ctx, uint32_t upper)
{
	struct watch *w = ctx;
	if (upper < w->min_upper)
		w->min_upper = upper;
	if (upper > w->max_upper)
		w->max_upper = upper;
	w->calls++;
	return dp_rng_sodium(NULL, upper);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sum of (observed − expected)² / expected over n bins. */
static double chi_square(const unsigned *observed, const double *expected, size_t n)
{
	double stat = 0;
	for (size_t i = 0; i < n; i++) {
		double d = observed[i] - expected[i];
		stat += d * d / expected[i];
	}
	return stat;
}

static void bernoulli_steps_through_every_draw(void **state)
{
	(void)state;
	const uint32_t dens[] = {1, 2, 3, 7, 10, 100, 1000};
	for (size_t i = 0; i < sizeof(dens) / sizeof(dens[0]); i++) {
		uint32_t den = dens[i];
		for (uint32_t num = 0; num <= den; num++) {
			struct counter c = {0, 0};
			uint32_t trues = 0;
			for (uint32_t k = 0; k < den; k++)
				trues += dp_bernoulli(num, den, counting_rng, &c);
			assert_int_equal(trues, num);
			/* Certain outcomes need no draw; the others exactly one each. */
			assert_int_equal(c.calls, num == 0 || num == den ? 0 : den);
		}
	}
	assert_true(dp_bernoulli(5, 3, refusing_rng, NULL));
}

static void bernoulli_exp_certain_and_deterministic_cases(void **state)
{
	(void)state;
	/* γ = 0 is certain and draws nothing, whatever the denominator. */
	assert_true(dp_bernoulli_exp(0, 1, refusing_rng, NULL));
	assert_true(dp_bernoulli_exp(0, UINT64_MAX, refusing_rng, NULL));
	/* With every uncertain coin false, γ ≤ 1 stops at K = 1 (odd: true) while
	 * each Bernoulli(exp(−1)) reaches K = 2 (even: false). */
	assert_true(dp_bernoulli_exp(3, 10, max_rng, NULL));
	assert_false(dp_bernoulli_exp(1, 1, max_rng, NULL));
	assert_false(dp_bernoulli_exp(27, 10, max_rng, NULL));
	assert_false(dp_bernoulli_exp(UINT64_MAX, 1, max_rng, NULL));
}

/* rng that plays back a script of 16-bit draws. */
struct script {
	const uint32_t *draw;
	size_t n, next;
};

static uint32_t script_rng(void *ctx, uint32_t upper)
{
	struct script *s = ctx;
	assert_int_equal(upper, 1u << 16);
	assert_true(s->next < s->n);
	return s->draw[s->next++];
}

static void uniform_beyond_32_bits_rejects_the_biased_prefix(void **state)
{
	(void)state;
	/* A denominator above 2^32 is drawn as 64 bits from four 16-bit draws,
	 * rejecting the lowest 2^64 mod den values (here 6·2^40 of them). The
	 * script's first 64 bits are 0, which must be rejected; the next are all
	 * ones, which make the coin Bernoulli(1/den) false, so K = 1 and
	 * exp(−1/den) comes out true. Taking the 0 would make it false. */
	static const uint32_t draws[] = {0, 0, 0, 0, 0xffff, 0xffff, 0xffff, 0xffff};
	struct script s = {draws, 8, 0};
	assert_true(dp_bernoulli_exp(1, UINT64_C(10) << 40, script_rng, &s));
	assert_int_equal(s.next, 8);
}

/* Empirical frequency of dp_bernoulli_exp(num/den) against p = e^(−num/den). */
static void check_bernoulli_exp(uint64_t num, uint64_t den, double p, unsigned n)
{
	struct watch w = {UINT32_MAX, 0, 0};
	unsigned observed[2] = {0, 0};
	double expected[2] = {n * (1 - p), n * p};
	for (unsigned i = 0; i < n; i++)
		observed[dp_bernoulli_exp(num, den, watching_rng, &w)]++;
	double stat = chi_square(observed, expected, 2);
	print_message("bernoulli_exp(%llu/%llu): %u of %u true (expected %.1f), chi2 %.2f, "
		      "%.2f draws each\n",
		      (unsigned long long)num, (unsigned long long)den, observed[1], n, expected[1],
		      stat, (double)w.calls / n);
	assert_true(stat < CHI2_DF1);
	assert_true(w.min_upper >= 2);
}

static void bernoulli_exp_frequencies(void **state)
{
	(void)state;
	/* 100,000 each (a bias of one percentage point fails): the time budget
	 * goes to the discrete Laplace draws. */
	check_bernoulli_exp(3, 10, EXP_M03, SAMPLES / 2);
	check_bernoulli_exp(1, 1, EXP_M1, SAMPLES / 2);
	check_bernoulli_exp(27, 10, EXP_M27, SAMPLES / 2);
	/* Denominators beyond one 32-bit draw (built from 16-bit draws), and one
	 * where d·k overflows so each γ/k coin is split in two. Fewer samples
	 * (chi-square still at p = 1e-4): these paths cost more draws. */
	check_bernoulli_exp(UINT64_C(3) << 40, UINT64_C(10) << 40, EXP_M03, SAMPLES / 10);
	check_bernoulli_exp(UINT64_MAX / 2, UINT64_MAX, EXP_M05, SAMPLES / 10);
}

/* The largest bin index kept apart: |x| ≥ tail is one bin per side. */
#define MAX_TAIL 600

/* Draws SAMPLES values of dp_dlap(num/den) with libsodium and compares them with
 * P(x) = (1 − q)/(1 + q)·q^|x|, q = e^(−den/num). */
static void check_dlap(uint32_t num, uint32_t den, double q, unsigned df_expected, double critical)
{
	static unsigned observed[2 * MAX_TAIL + 1];
	static double expected[2 * MAX_TAIL + 1];
	static unsigned pos[MAX_TAIL + 1], neg[MAX_TAIL + 1];
	const double n = SAMPLES, c = (1 - q) / (1 + q);
	const double variance = 2 * q / ((1 - q) * (1 - q));
	struct watch w = {UINT32_MAX, 0, 0};
	double sum = 0, sum_sq = 0, pk = c;
	unsigned tail = 0, covered = 0;
	uint64_t half = dp_halfwidth(num, den, 50);

	/* Own bins while the expected count stays ≥ 5; beyond that the tails merge
	 * into the outermost bin, whose expectation n·q^tail/(1 + q) is larger still. */
	while (n * pk * q >= 5) {
		pk *= q;
		tail++;
	}
	assert_true(tail < MAX_TAIL);
	pk = c;
	for (unsigned k = 0; k < tail; k++) {
		expected[tail + k] = expected[tail - k] = n * pk;
		pk *= q;
	}
	expected[2 * tail] = expected[0] = n * pk / (1 - q); /* n·P(X ≥ tail) */
	memset(observed, 0, sizeof(observed));
	memset(pos, 0, sizeof(pos));
	memset(neg, 0, sizeof(neg));

	double started = now_ms();
	for (unsigned i = 0; i < SAMPLES; i++) {
		int64_t x = dp_dlap(num, den, watching_rng, &w);
		uint64_t a = x < 0 ? (uint64_t)-x : (uint64_t)x;
		unsigned bin = a >= tail ? tail : (unsigned)a;
		observed[x < 0 ? tail - bin : tail + bin]++;
		if (x > 0 && a <= MAX_TAIL)
			pos[a]++;
		if (x < 0 && a <= MAX_TAIL)
			neg[a]++;
		covered += a <= half;
		sum += (double)x;
		sum_sq += (double)x * (double)x;
	}

	double stat = chi_square(observed, expected, 2 * tail + 1);
	double mean = sum / n, var = (sum_sq - n * mean * mean) / (n - 1);
	print_message("dlap(%u/%u): %u bins, chi2 %.1f (critical %.1f), mean %.4f, variance %.3f "
		      "(exact %.3f), 95%% half-width %llu covers %.4f, %.2f draws each, %.0f ms\n",
		      num, den, 2 * tail + 1, stat, critical, mean, var, variance,
		      (unsigned long long)half, covered / n, (double)w.calls / n,
		      now_ms() - started);
	assert_int_equal(2 * tail, df_expected);
	assert_true(stat < critical);
	/* Mean within 5 standard errors of 0. */
	assert_true(mean * mean < 25 * variance / n);
	/* Sample variance: its standard error is about √(5/n) ≈ 0.5 % for this
	 * distribution (kurtosis 6), so 3 % is six of them. */
	assert_true(var > 0.97 * variance && var < 1.03 * variance);
	/* dp_variance agrees with the closed form. */
	assert_true(dp_variance(num, den) > variance * (1 - 1e-9) &&
		    dp_variance(num, den) < variance * (1 + 1e-9));
	/* Symmetry: all positives against all negatives, and +k against −k for the
	 * first values, each within 5 standard errors of a fair split. */
	unsigned long long all_pos = 0, all_neg = 0;
	for (unsigned k = 1; k <= MAX_TAIL; k++) {
		all_pos += pos[k];
		all_neg += neg[k];
	}
	for (unsigned k = 1; k <= 3; k++) {
		double d = (double)pos[k] - neg[k];
		assert_true(d * d < 25.0 * (pos[k] + neg[k]));
	}
	double d = (double)all_pos - (double)all_neg;
	assert_true(d * d < 25.0 * (double)(all_pos + all_neg));
	/* The 95 % half-width covers at least 95 % of draws (less 5 standard errors). */
	assert_true(covered / n > 0.95 - 0.0025);
	assert_true(w.min_upper >= 2);
}

static void dlap_scale_1(void **state)
{
	(void)state;
	check_dlap(1, 1, EXP_M1, 18, 49.1894);
}

static void dlap_scale_5_2(void **state)
{
	(void)state;
	check_dlap(5, 2, EXP_M04, 44, 87.6773);
}

static void dlap_scale_100(void **state)
{
	(void)state;
	check_dlap(100, 1, EXP_M001, 1058, 1237.6872);
}

static void dlap_deterministic_paths(void **state)
{
	(void)state;
	assert_int_equal(dp_dlap(5, 1, max_rng, NULL), 4);
	assert_int_equal(dp_dlap(1, 1, max_rng, NULL), 0);
	assert_int_equal(dp_dlap(7, 2, max_rng, NULL), 3);
	assert_int_equal(dp_dlap(10, 4, max_rng, NULL), 2); /* 5/2 in lowest terms */
	assert_int_equal(dp_dlap(UINT32_MAX, 1, max_rng, NULL), (int64_t)UINT32_MAX - 1);
	assert_int_equal(dp_dlap(1, UINT32_MAX, max_rng, NULL), 0);
	assert_int_equal(dp_dlap(50000, 1, zero_noise_rng, NULL), 0);
	assert_int_equal(dp_dlap(3, 1, zero_noise_rng, NULL), 0);
}

static void defaults_spend_one_epsilon(void **state)
{
	(void)state;
	static const char *const names[DP_METRICS] = {
	    "active",	"co2e_avoided_g",    "waste_avoided_g",
	    "checkins", "attendance_online", "attendance_physical"};
	static const uint32_t clips[DP_METRICS] = {1, 10000, 5000, 20, 1, 1};
	static const uint32_t eps[DP_METRICS] = {200, 200, 200, 200, 100, 100};
	for (unsigned i = 0; i < DP_METRICS; i++) {
		assert_string_equal(dp_default_metrics[i].name, names[i]);
		assert_int_equal(dp_default_metrics[i].clip, clips[i]);
		assert_int_equal(dp_default_metrics[i].eps_milli, eps[i]);
	}
	assert_int_equal(dp_release_cost(dp_default_metrics), 1000);
	assert_int_equal(dp_clip(0, 10000), 0);
	assert_int_equal(dp_clip(9999, 10000), 9999);
	assert_int_equal(dp_clip(10000, 10000), 10000);
	assert_int_equal(dp_clip(UINT64_MAX, 10000), 10000);
}

static void release_with_zero_noise_and_suppression(void **state)
{
	(void)state;
	uint64_t sum[DP_METRICS] = {9, 123456, 7000, 40, 3, 2};
	struct dp_release r;

	assert_int_equal(
	    dp_release(sum, dp_default_metrics, DP_SUPPRESS_BELOW, zero_noise_rng, NULL, &r),
	    ZC_OK);
	for (unsigned i = 0; i < DP_METRICS; i++)
		assert_int_equal(r.value[i], (int64_t)sum[i]);
	assert_true(r.suppressed); /* 9 < 10 */

	sum[DP_ACTIVE] = 10;
	assert_int_equal(
	    dp_release(sum, dp_default_metrics, DP_SUPPRESS_BELOW, zero_noise_rng, NULL, &r),
	    ZC_OK);
	assert_int_equal(r.value[DP_ACTIVE], 10);
	assert_false(r.suppressed);

	sum[DP_ACTIVE] = 0;
	assert_int_equal(dp_release(sum, dp_default_metrics, 0, zero_noise_rng, NULL, &r), ZC_OK);
	assert_false(r.suppressed);
}

static void release_uses_each_metrics_scale(void **state)
{
	(void)state;
	/* With max_rng each noise is ⌊(s − 1)/d⌋ for scale s/d = clip·1000/eps in
	 * lowest terms: 5, 50000, 25000, 100, 10, 10. */
	const uint64_t sum[DP_METRICS] = {1, 2, 3, 4, 5, 6};
	const int64_t noise[DP_METRICS] = {4, 49999, 24999, 99, 9, 9};
	struct dp_release r;

	assert_int_equal(dp_release(sum, dp_default_metrics, 10, max_rng, NULL, &r), ZC_OK);
	for (unsigned i = 0; i < DP_METRICS; i++)
		assert_int_equal(r.value[i], (int64_t)sum[i] + noise[i]);
	assert_true(r.suppressed); /* 1 + 4 < 10 */
}

static void release_refuses_bad_input_and_clamps(void **state)
{
	(void)state;
	struct dp_metric m[DP_METRICS];
	uint64_t sum[DP_METRICS] = {0};
	struct dp_release r, before;

	memset(&before, 0x5a, sizeof(before));
	memcpy(m, dp_default_metrics, sizeof(m));
	m[DP_WASTE].eps_milli = 0;
	r = before;
	assert_int_equal(dp_release(sum, m, 10, max_rng, NULL, &r), ZC_ERR_INVALID);
	assert_memory_equal(&r, &before, sizeof(r));
	memcpy(m, dp_default_metrics, sizeof(m));
	m[DP_CHECKINS].clip = 0;
	assert_int_equal(dp_release(sum, m, 10, max_rng, NULL, &r), ZC_ERR_INVALID);
	sum[DP_CO2E] = (uint64_t)DP_VALUE_MAX + 1;
	assert_int_equal(dp_release(sum, dp_default_metrics, 10, max_rng, NULL, &r),
			 ZC_ERR_INVALID);
	assert_int_equal(dp_release(sum, dp_default_metrics, 10, NULL, NULL, &r), ZC_ERR_INVALID);
	assert_memory_equal(&r, &before, sizeof(r));

	/* A scale of 2^32·1000 (beyond one draw) at the top of the range: the
	 * noisy value is clamped to what zcfed/1 can carry. */
	memcpy(m, dp_default_metrics, sizeof(m));
	m[DP_CO2E].clip = UINT32_MAX;
	m[DP_CO2E].eps_milli = 1;
	sum[DP_CO2E] = (uint64_t)DP_VALUE_MAX;
	assert_int_equal(dp_release(sum, m, 10, max_rng, NULL, &r), ZC_OK);
	assert_int_equal(r.value[DP_CO2E], DP_VALUE_MAX);
}

static void release_noise_has_the_metric_variance(void **state)
{
	(void)state;
	/* Real randomness end to end: the active count's noise (scale 5, variance
	 * 2q/(1 − q)² with q = e^(−0.2): 49.50) over 4000 releases, within 20 %
	 * (the estimate's standard error is about 3.5 %). */
	const uint64_t sum[DP_METRICS] = {100, 0, 0, 0, 0, 0};
	const unsigned n = 4000;
	double s = 0, s2 = 0;
	unsigned changed = 0;
	for (unsigned i = 0; i < n; i++) {
		struct dp_release r;
		assert_int_equal(dp_release(sum, dp_default_metrics, 10, dp_rng_sodium, NULL, &r),
				 ZC_OK);
		double x = (double)(r.value[DP_ACTIVE] - 100);
		s += x;
		s2 += x * x;
		changed += r.value[DP_CO2E] != 0;
	}
	double var = (s2 - s * s / n) / (n - 1);
	print_message("release: active noise variance %.2f (exact 49.50)\n", var);
	assert_true(var > 0.8 * 49.50 && var < 1.2 * 49.50);
	assert_true(changed > n * 9 / 10); /* P(co2e noise = 0) ≈ 1e-5 */
}

/* Half-widths computed at 60 digits from the closed form (smallest h with
 * 2·e^(−(h+1)/t)/(1 + e^(−1/t)) ≤ alpha). */
static void halfwidth_matches_closed_form(void **state)
{
	(void)state;
	static const struct {
		uint32_t num, den, alpha_milli;
		uint64_t half;
	} cases[] = {
	    {1, 1, 50, 3},	    {5, 2, 50, 7},	   {100, 1, 50, 300}, {5, 1, 50, 15},
	    {50000, 1, 50, 149787}, {25000, 1, 50, 74893}, {100, 1, 10, 461}, {10, 1, 50, 30},
	    {1, 1, 500, 1},	    {1, 1, 999, 0},	   {7, 3, 50, 7},     {1, 1000, 50, 0},
	    {3, 1, 1, 21},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(dp_halfwidth(cases[i].num, cases[i].den, cases[i].alpha_milli),
				 cases[i].half);
	/* At the largest scales the tail at h and h + 1 differ from alpha by a
	 * few 1e-10, within double rounding, so one either way is accepted. */
	uint64_t h = dp_halfwidth(UINT32_MAX, 1, 1);
	assert_true(h >= UINT64_C(29668583004) && h <= UINT64_C(29668583006));
	h = dp_halfwidth(UINT32_MAX, 7, 50);
	assert_true(h >= 1838081733 && h <= 1838081735);
	assert_int_equal(dp_metric_halfwidth(&dp_default_metrics[DP_CO2E], 50), 149787);
	assert_int_equal(dp_metric_halfwidth(&dp_default_metrics[DP_ACTIVE], 50), 15);

	/* The defining inequalities directly, with the exact q and q^k by products. */
	const struct {
		uint32_t num, den;
		double q;
	} scales[] = {{1, 1, EXP_M1}, {5, 2, EXP_M04}, {100, 1, EXP_M001}};
	for (size_t i = 0; i < 3; i++) {
		double q = scales[i].q, qk = 1;
		uint64_t half = dp_halfwidth(scales[i].num, scales[i].den, 50);
		for (uint64_t k = 0; k < half; k++)
			qk *= q;
		/* P(|X| ≥ half) > 5 % and P(|X| ≥ half + 1) ≤ 5 %. */
		assert_true(2 * qk / (1 + q) > 0.05);
		assert_true(2 * qk * q / (1 + q) <= 0.05);
	}

	/* Degenerate arguments. */
	assert_int_equal(dp_halfwidth(0, 1, 50), 0);
	assert_int_equal(dp_halfwidth(1, 0, 50), UINT64_MAX);
	assert_int_equal(dp_halfwidth(1, 1, 0), UINT64_MAX);
	assert_int_equal(dp_halfwidth(1, 1, 1000), 0);
}

static void halfwidth_is_monotone(void **state)
{
	(void)state;
	uint64_t prev = 0;
	for (uint32_t num = 1; num <= 3000; num++) {
		uint64_t h = dp_halfwidth(num, 1, 50);
		assert_true(h >= prev);
		prev = h;
	}
	prev = 0;
	for (uint32_t num = 1; num <= 3000; num++) {
		uint64_t h = dp_halfwidth(num, 7, 50);
		assert_true(h >= prev);
		prev = h;
	}
	prev = UINT64_MAX;
	for (uint32_t den = 1; den <= 3000; den++) {
		uint64_t h = dp_halfwidth(1000, den, 50);
		assert_true(h <= prev);
		prev = h;
	}
	prev = UINT64_MAX;
	for (uint32_t alpha = 1; alpha <= 1000; alpha++) {
		uint64_t h = dp_halfwidth(100, 1, alpha);
		assert_true(h <= prev);
		prev = h;
	}
}

/* Variances computed at 60 digits from 2q/(1 − q)², q = e^(−1/t). */
static void variance_matches_closed_form(void **state)
{
	(void)state;
	static const struct {
		uint32_t num, den;
		double var;
	} cases[] = {
	    {1, 1, 1.8413471884155845},
	    {5, 2, 12.334658248220549},
	    {100, 1, 19999.833334166662},
	    {50000, 1, 4999999999.833333},
	    {UINT32_MAX, 1, 3.6893488130239234e+19},
	    {3, 7, 0.23783389066664562},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = dp_variance(cases[i].num, cases[i].den);
		assert_true(v > cases[i].var * (1 - 1e-10) && v < cases[i].var * (1 + 1e-10));
	}
	/* Per metric, with the scale clip·1000/eps in 64 bits: co2e is 50000, and
	 * a clip of 2^32 − 1 at ε = 1 has scale 2^32 − 1 (clip·1000 overflows 32 bits). */
	double v = dp_metric_variance(&dp_default_metrics[DP_CO2E]);
	assert_true(v > 4999999999.833333 * (1 - 1e-10) && v < 4999999999.833333 * (1 + 1e-10));
	struct dp_metric wide = {"x", UINT32_MAX, 1000};
	v = dp_metric_variance(&wide);
	assert_true(v > 3.6893488130239234e+19 * (1 - 1e-10) &&
		    v < 3.6893488130239234e+19 * (1 + 1e-10));
	assert_true(dp_variance(1, 1000) < 1e-300);
	assert_true(dp_variance(0, 1) == 0);
	assert_true(dp_variance(1, 0) > 1e308);
}

static void budget_edges(void **state)
{
	(void)state;
	assert_true(dp_budget_allows(0, 1000, 1000));  /* exact fit */
	assert_true(dp_budget_allows(999, 1, 1000));   /* exact fit */
	assert_false(dp_budget_allows(1, 1000, 1000)); /* one over */
	assert_false(dp_budget_allows(0, 1001, 1000)); /* one over */
	assert_true(dp_budget_allows(1000, 0, 1000));
	assert_false(dp_budget_allows(1001, 0, 1000)); /* already over */
	/* spent + cost would wrap around to a small number */
	assert_false(dp_budget_allows(UINT64_MAX - 5, 10, UINT64_MAX));
	assert_false(dp_budget_allows(10, UINT64_MAX - 5, 1000));
	assert_false(dp_budget_allows(UINT64_MAX, UINT64_MAX, UINT64_MAX));
	assert_true(dp_budget_allows(0, UINT64_MAX, UINT64_MAX));

	/* A ledger of 3 ε takes three default weeks and refuses the fourth. */
	uint64_t spent = 0, cost = dp_release_cost(dp_default_metrics);
	unsigned weeks = 0;
	while (dp_budget_allows(spent, cost, 3000)) {
		spent += cost;
		weeks++;
	}
	assert_int_equal(weeks, 3);
	assert_int_equal(spent, 3000);

	struct dp_metric m[DP_METRICS];
	for (unsigned i = 0; i < DP_METRICS; i++)
		m[i] = (struct dp_metric){"x", 1, UINT32_MAX};
	assert_int_equal(dp_release_cost(m), UINT32_MAX);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bernoulli_steps_through_every_draw),
	    cmocka_unit_test(bernoulli_exp_certain_and_deterministic_cases),
	    cmocka_unit_test(uniform_beyond_32_bits_rejects_the_biased_prefix),
	    cmocka_unit_test(bernoulli_exp_frequencies),
	    cmocka_unit_test(dlap_scale_1),
	    cmocka_unit_test(dlap_scale_5_2),
	    cmocka_unit_test(dlap_scale_100),
	    cmocka_unit_test(dlap_deterministic_paths),
	    cmocka_unit_test(defaults_spend_one_epsilon),
	    cmocka_unit_test(release_with_zero_noise_and_suppression),
	    cmocka_unit_test(release_uses_each_metrics_scale),
	    cmocka_unit_test(release_refuses_bad_input_and_clamps),
	    cmocka_unit_test(release_noise_has_the_metric_variance),
	    cmocka_unit_test(halfwidth_matches_closed_form),
	    cmocka_unit_test(halfwidth_is_monotone),
	    cmocka_unit_test(variance_matches_closed_form),
	    cmocka_unit_test(budget_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
