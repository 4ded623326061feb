/* Privacy for the weekly federation statements (design §3, §6): per
 * participant-week clipping, integer discrete-Laplace noise from an exact
 * sampler (integer arithmetic and uniform draws only), suppression of small
 * cells and the ε-budget arithmetic. Pure: no store, no network. */
#ifndef ZC_DP_H
#define ZC_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* A uniform integer in [0, upper) (upper ≥ 1). The default is randombytes_uniform;
 * tests inject a deterministic or counting source. */
typedef uint32_t (*dp_rng)(void *ctx, uint32_t upper);
/* randombytes_uniform(upper); ctx is unused (sodium_init() must have run). */
uint32_t dp_rng_sodium(void *ctx, uint32_t upper);

/* Bernoulli(num/den) exactly, 0 ≤ num ≤ den, den ≥ 1 (num > den counts as den);
 * one draw of rng(den) when 0 < num < den, none otherwise. */
bool dp_bernoulli(uint32_t num, uint32_t den, dp_rng rng, void *ctx);
/* Bernoulli(exp(-num/den)) exactly (num ≥ 0, den ≥ 1), integer-only. */
bool dp_bernoulli_exp(uint64_t num, uint64_t den, dp_rng rng, void *ctx);
/* Discrete Laplace with scale t = num/den: P(X = x) ∝ exp(-|x| / t), num, den ≥ 1,
 * num ≤ 2^32 − 1 and den ≤ 2^32 − 1. Aborts on a zero num or den: a caller that
 * got there has a bug, and no noise at all would publish the true value. */
int64_t dp_dlap(uint32_t num, uint32_t den, dp_rng rng, void *ctx);

/* Per metric: sensitivity (the clip bound, also the scale numerator) and ε in
 * thousandths; scale t = clip / (eps_milli / 1000) = clip * 1000 / eps_milli. */
struct dp_metric {
	const char *name;
	uint32_t clip;
	uint32_t eps_milli;
};
/* The six metrics with zcfed/1's defaults (names are the wire names):
 *   active 1 / 200, co2e_avoided_g 10000 / 200, waste_avoided_g 5000 / 200,
 *   checkins 20 / 200, attendance_online 1 / 100, attendance_physical 1 / 100
 * (ε per week = 1.0 in all). */
#define DP_METRICS 6
extern const struct dp_metric dp_default_metrics[DP_METRICS];
enum dp_metric_id { DP_ACTIVE, DP_CO2E, DP_WASTE, DP_CHECKINS, DP_ONLINE, DP_PHYSICAL };

#define DP_SUPPRESS_BELOW 10 /* cells with a noisy active count under this are suppressed */
#define DP_VALUE_MAX	  INT64_C(9007199254740991) /* 2^53 − 1: zcfed/1's integer range */

/* Clip one participant-week's value. */
static inline uint64_t dp_clip(uint64_t v, uint32_t bound)
{
	return v < bound ? v : bound;
}

/* Noisy release of true sums (already clipped and summed): out[i] = sum[i] + dlap(scale_i);
 * negative results are kept as they are (post-processing clamps for display only);
 * suppressed = noisy active < suppress_below (10). Every metric is noised even when
 * the cell is suppressed. A result beyond ±DP_VALUE_MAX (never seen with sane
 * scales) is clamped to it, which is post-processing. ZC_ERR_INVALID, with out
 * untouched, when a metric has clip or eps_milli 0 or a sum is above DP_VALUE_MAX. */
struct dp_release {
	int64_t value[DP_METRICS];
	bool suppressed;
};
enum zc_err dp_release(const uint64_t sum[DP_METRICS], const struct dp_metric m[DP_METRICS],
		       uint32_t suppress_below, dp_rng rng, void *ctx, struct dp_release *out);

/* Half-width of the two-sided interval holding the discrete Laplace noise of scale
 * num/den with probability ≥ 1 - alpha_milli/1000 (e.g. 50 → 95 %), as an integer:
 * the smallest h with P(|X| > h) ≤ alpha. Display only, so floating point is used
 * here (never in the sampler). 0 when num is 0 or alpha_milli ≥ 1000; UINT64_MAX
 * when den or alpha_milli is 0. */
uint64_t dp_halfwidth(uint32_t num, uint32_t den, uint32_t alpha_milli);
/* The same for one metric's noise (scale clip * 1000 / eps_milli). */
uint64_t dp_metric_halfwidth(const struct dp_metric *m, uint32_t alpha_milli);
/* Variance of discrete Laplace of scale t: 2·e^(−1/t) / (1 − e^(−1/t))^2 (display only;
 * 0 when num is 0, infinity when den is 0). */
double dp_variance(uint32_t num, uint32_t den);
/* The same for one metric's noise (scale clip * 1000 / eps_milli, no 32-bit overflow). */
double dp_metric_variance(const struct dp_metric *m);

/* Budget ledger arithmetic (the caller stores it): may a release costing cost_milli
 * happen when spent_milli is already used of budget_milli? (overflow-safe) */
bool dp_budget_allows(uint64_t spent_milli, uint64_t cost_milli, uint64_t budget_milli);
/* The ε of one release: the sum of eps_milli (saturates at UINT32_MAX). */
uint32_t dp_release_cost(const struct dp_metric m[DP_METRICS]);

#endif
