/* zcboardbench: cost of the leaderboards. Part 1: the order-statistic index
 * (lbindex) at 70,000 entries — update, rank, top 20 — against naive arrays,
 * at several sizes (O(log n) against O(n)). Part 2 (--data-dir): the board
 * module on a seeded store — load, per-check-in update, rendering, a tick. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>
#include <sodium.h>

#include "actions.h"
#include "board.h"
#include "channels.h"
#include "city.h"
#include "config.h"
#include "lbindex.h"
#include "node.h"
#include "schema.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"

#define OPS_PER_RUN  1000
#define DEFAULT_RUNS 201

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	uint64_t x = rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median of per-operation times over the runs, and the 10th/90th percentiles. */
struct timing {
	double p10, p50, p90;
};

static struct timing summarise(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dbl_cmp);
	return (struct timing){v[n / 10], v[n / 2], v[n * 9 / 10]};
}

/* Keeps the optimiser from dropping results. */
static volatile uint64_t sink;

/* ---- the entries: a season's points (many ties), random 16-byte keys ---- */

struct entry {
	int64_t score;
	unsigned char key[LBINDEX_KEY];
};

static void make_entries(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* Points after ~11 weeks: most between 0 and 600, a long tail. */
		uint64_t r = rnd();
		e[i].score = (int64_t)((r % 600) + ((r >> 32) % 8 == 0 ? (r >> 40) % 900 : 0));
		uint64_t a = rnd(), b = rnd();
		memcpy(e[i].key, &a, 8);
		memcpy(e[i].key + 8, &b, 8);
	}
}

/* ---- naive references ---- */

/* Sorted array (score descending, key ascending): rank by binary search,
 * update by memmove. */
static int entry_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return memcmp(x->key, y->key, LBINDEX_KEY);
}

static size_t sorted_find(const struct entry *v, size_t n, const struct entry *e)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (entry_order(&v[mid], e) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void sorted_update(struct entry *v, size_t n, const struct entry *old,
			  const struct entry *new_e)
{
	size_t at = sorted_find(v, n, old);
	if (at >= n)
		return; /* not there (cannot happen: old was taken from v) */
	memmove(&v[at], &v[at + 1], (n - at - 1) * sizeof(*v));
	size_t to = sorted_find(v, n - 1, new_e);
	memmove(&v[to + 1], &v[to], (n - 1 - to) * sizeof(*v));
	v[to] = *new_e;
}

/* Unsorted scores: update in O(1), rank by counting higher scores, O(n). */
static size_t scan_rank(const int64_t *scores, size_t n, int64_t s)
{
	size_t higher = 0;
	for (size_t i = 0; i < n; i++)
		higher += scores[i] > s;
	return higher + 1;
}

/* Top 20 of an unsorted array: one pass keeping the best 20 by insertion. */
static void scan_top(const struct entry *v, size_t n, struct entry top[20])
{
	size_t have = 0;
	for (size_t i = 0; i < n; i++) {
		if (have == 20 && entry_order(&v[i], &top[19]) >= 0)
			continue;
		size_t j = have < 20 ? have++ : 19;
		while (j > 0 && entry_order(&v[i], &top[j - 1]) < 0) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = v[i];
	}
}

/* ---- part 1 ---- */

struct p1_result {
	size_t n;
	struct timing upd, rank, top20, build_ms;
	struct timing s_upd, s_rank, u_rank, u_top20;
};

static void part1(size_t n, unsigned runs, bool naive, struct p1_result *res)
{
	struct entry *e = malloc(n * sizeof(*e)), *sorted = malloc(n * sizeof(*e));
	int64_t *scores = malloc(n * sizeof(*scores));
	double *t = malloc(runs * sizeof(*t));
	struct lbindex_entry out[20];
	if (!e || !sorted || !scores || !t)
		abort();
	make_entries(e, n);
	memset(res, 0, sizeof(*res));
	res->n = n;

	uint64_t t0 = now_ns();
	struct lbindex *ix = lbindex_new();
	for (size_t i = 0; i < n; i++)
		lbindex_insert(ix, e[i].score, e[i].key);
	double build = (double)(now_ns() - t0) / 1e6;
	res->build_ms = (struct timing){build, build, build};

	/* update: a check-in adds 1–50 points to a random entry */
	for (unsigned r = 0; r < runs; r++) {
		size_t pick[OPS_PER_RUN];
		int64_t add[OPS_PER_RUN];
		for (int k = 0; k < OPS_PER_RUN; k++) {
			pick[k] = rnd() % n;
			add[k] = 1 + (int64_t)(rnd() % 50);
		}
		uint64_t a = now_ns();
		for (int k = 0; k < OPS_PER_RUN; k++) {
			struct entry *x = &e[pick[k]];
			lbindex_remove(ix, x->score, x->key);
			x->score += add[k];
			lbindex_insert(ix, x->score, x->key);
		}
		t[r] = (double)(now_ns() - a) / OPS_PER_RUN;
	}
	res->upd = summarise(t, runs);

	for (unsigned r = 0; r < runs; r++) {
		int64_t q[OPS_PER_RUN];
		for (int k = 0; k < OPS_PER_RUN; k++)
			q[k] = e[rnd() % n].score;
		uint64_t a = now_ns(), acc = 0;
		for (int k = 0; k < OPS_PER_RUN; k++)
			acc += lbindex_rank(ix, q[k]);
		t[r] = (double)(now_ns() - a) / OPS_PER_RUN;
		sink += acc;
	}
	res->rank = summarise(t, runs);

	for (unsigned r = 0; r < runs; r++) {
		uint64_t a = now_ns(), acc = 0;
		for (int k = 0; k < OPS_PER_RUN; k++)
			acc += lbindex_range(ix, 0, 20, out);
		t[r] = (double)(now_ns() - a) / OPS_PER_RUN;
		sink += acc + (uint64_t)out[19].score;
	}
	res->top20 = summarise(t, runs);

	/* Sanity: the index agrees with a sort of the same entries. */
	memcpy(sorted, e, n * sizeof(*e));
	qsort(sorted, n, sizeof(*sorted), entry_order);
	lbindex_range(ix, 0, 20, out);
	for (int k = 0; k < 20 && (size_t)k < n; k++)
		if (out[k].score != sorted[k].score ||
		    memcmp(out[k].key, sorted[k].key, LBINDEX_KEY) != 0) {
			fprintf(stderr, "zcboardbench: lbindex and sort disagree at %d\n", k);
			exit(1);
		}
	lbindex_free(ix);

	if (naive) {
		unsigned nruns = runs > 21 ? 21 : runs; /* O(n) per op: fewer runs */
		int ops = n > 100000 ? 20 : OPS_PER_RUN / 10;
		for (unsigned r = 0; r < nruns; r++) {
			uint64_t a = now_ns();
			for (int k = 0; k < ops; k++) {
				size_t i = rnd() % n;
				struct entry old = sorted[i], upd = old;
				upd.score += 1 + (int64_t)(rnd() % 50);
				sorted_update(sorted, n, &old, &upd);
			}
			t[r] = (double)(now_ns() - a) / ops;
		}
		res->s_upd = summarise(t, nruns);
		for (unsigned r = 0; r < nruns; r++) {
			uint64_t a = now_ns(), acc = 0;
			for (int k = 0; k < OPS_PER_RUN; k++) {
				struct entry q = sorted[rnd() % n];
				memset(q.key, 0, LBINDEX_KEY);
				acc += sorted_find(sorted, n, &q) + 1;
			}
			t[r] = (double)(now_ns() - a) / OPS_PER_RUN;
			sink += acc;
		}
		res->s_rank = summarise(t, nruns);
		for (size_t i = 0; i < n; i++)
			scores[i] = e[i].score;
		for (unsigned r = 0; r < nruns; r++) {
			uint64_t a = now_ns(), acc = 0;
			for (int k = 0; k < ops; k++)
				acc += scan_rank(scores, n, scores[rnd() % n]);
			t[r] = (double)(now_ns() - a) / ops;
			sink += acc;
		}
		res->u_rank = summarise(t, nruns);
		for (unsigned r = 0; r < nruns; r++) {
			struct entry top[20];
			uint64_t a = now_ns();
			for (int k = 0; k < ops; k++)
				scan_top(e, n, top);
			t[r] = (double)(now_ns() - a) / ops;
			sink += (uint64_t)top[0].score;
		}
		res->u_top20 = summarise(t, nruns);
	}
	free(e);
	free(sorted);
	free(scores);
	free(t);
}

/* ---- part 2: the board module on a seeded store ---- */

static void nowake(void *owner, void *arg)
{
	(void)owner;
	(void)arg;
}

static int part2(const char *dir, unsigned runs)
{
	static struct node n;
	char path[CONFIG_PATH_MAX * 2];
	double *t = malloc(runs * sizeof(*t));
	if (!t)
		abort();
	config_defaults(&n.cfg);
	snprintf(n.data_dir, sizeof(n.data_dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/db", dir);
	if (secrets_open(dir, &n.secrets) != ZC_OK ||
	    store_open(path, n.cfg.map_size_mb << 20, &n.store) != ZC_OK ||
	    schema_migrate(n.store) != ZC_OK || city_load(&n) != ZC_OK) {
		fprintf(stderr, "zcboardbench: cannot open %s\n", dir);
		return 1;
	}
	const struct season *s = city_season_today(&n);
	n.channels = channels_new(&n.cfg, LWS_PRE, nowake, NULL);

	/* load, as at start (best of 3: the first also warms the page cache) */
	double load_ms = 1e30;
	for (int k = 0; k < 3; k++) {
		uint64_t a = now_ns();
		if (board_load(&n, s ? s->id : NULL) != ZC_OK) {
			fprintf(stderr, "zcboardbench: board_load failed\n");
			return 1;
		}
		double ms = (double)(now_ns() - a) / 1e6;
		if (ms < load_ms)
			load_ms = ms;
	}

	/* the participants' ids, to pick from */
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, np = 0, cap = 0;
	unsigned char(*ids)[SECRETS_ID_BYTES] = NULL;
	store_begin(n.store, false, &txn);
	store_iter_new(txn, STORE_PARTICIPANTS, NULL, 0, false, &it);
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl != SECRETS_ID_BYTES)
			continue;
		if (np == cap) {
			cap = cap ? cap * 2 : 4096;
			ids = realloc(ids, cap * sizeof(*ids));
			if (!ids)
				abort();
		}
		memcpy(ids[np++], k, SECRETS_ID_BYTES);
	}
	store_iter_free(it);
	store_abort(txn);
	if (!np) {
		fprintf(stderr, "zcboardbench: no participants in %s\n", dir);
		return 1;
	}

	/* one committed check-in as board.c sees it: six indexes and the means */
	for (unsigned r = 0; r < runs; r++) {
		size_t pick[OPS_PER_RUN];
		for (int q = 0; q < OPS_PER_RUN; q++)
			pick[q] = rnd() % np;
		uint64_t a = now_ns();
		for (int q = 0; q < OPS_PER_RUN; q++)
			board_scores_add(n.board, ids[pick[q]], 10 + rnd() % 40, 500 + rnd() % 3000,
					 rnd() % 500);
		t[r] = (double)(now_ns() - a) / OPS_PER_RUN;
	}
	struct timing add = summarise(t, runs);

	/* GET /leaderboard bodies: top 20 with "me", for each scope */
	struct timing render[SCOPE__COUNT];
	size_t body_len[SCOPE__COUNT];
	struct jbuf out;
	jbuf_init(&out, 0);
	for (int sc = 0; sc < SCOPE__COUNT; sc++) {
		int per = 100;
		for (unsigned r = 0; r < runs; r++) {
			size_t me[100];
			for (int q = 0; q < per; q++)
				me[q] = rnd() % np;
			uint64_t a = now_ns();
			for (int q = 0; q < per; q++) {
				jbuf_reset(&out);
				board_json(&n, BOARD_POINTS, (enum board_scope)sc, 20, ids[me[q]],
					   &out);
			}
			t[r] = (double)(now_ns() - a) / per;
		}
		render[sc] = summarise(t, runs);
		body_len[sc] = out.len;
	}
	jbuf_fini(&out);

	/* a publish tick with all six boards changed: six renders + publishes */
	unsigned truns = runs > 101 ? 101 : runs;
	for (unsigned r = 0; r < truns; r++) {
		board_scores_add(n.board, ids[rnd() % np], 10, 500, 0);
		uint64_t a = now_ns();
		board_tick(&n);
		t[r] = (double)(now_ns() - a);
	}
	struct timing tick = summarise(t, truns);

	printf("\nPart 2 — the board module on %s (%zu participants, season %s)\n", dir, np,
	       s ? s->id : "none");
	printf("  board_load at start (6 indexes, teams, neighbourhoods)   %8.1f ms (best of 3)\n",
	       load_ms);
	printf("  one check-in's board update (board_scores_add)          %8.0f ns  (p10 %.0f, "
	       "p90 %.0f)\n",
	       add.p50, add.p10, add.p90);
	static const char *const scope[] = {"individual", "team", "neighbourhood"};
	for (int sc = 0; sc < SCOPE__COUNT; sc++)
		printf("  GET /leaderboard body, points/%-13s top 20 + me     %8.0f ns  (p10 %.0f, "
		       "p90 %.0f; %zu bytes)\n",
		       scope[sc], render[sc].p50, render[sc].p10, render[sc].p90, body_len[sc]);
	printf("  snapshot tick, all 6 boards changed (render + publish)  %8.0f ns  (p10 %.0f, "
	       "p90 %.0f)\n",
	       tick.p50, tick.p10, tick.p90);
	board_free(n.board);
	actions_free(n.actions);
	channels_free(n.channels);
	store_close(n.store);
	secrets_close(n.secrets);
	free(ids);
	free(t);
	return 0;
}

static void print_row(const char *what, struct timing t, const char *unit_note)
{
	printf("  %-44s %10.0f ns  (p10 %.0f, p90 %.0f)%s\n", what, t.p50, t.p10, t.p90, unit_note);
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	unsigned runs = DEFAULT_RUNS;
	size_t n = 70000;
	bool scaling = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--entries") == 0 && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--no-scaling") == 0)
			scaling = false;
		else {
			fputs(
			    "usage: zcboardbench [--entries N] [--runs R] [--no-scaling] "
			    "[--data-dir D]\n"
			    "  Part 1: lbindex at N entries (default 70000) against naive arrays;\n"
			    "  every figure is the median over R runs (default 201) of 1000\n"
			    "  operations. Part 2 (with a seeded data dir): the board module.\n",
			    stderr);
			return 2;
		}
	}
	if (runs < 3)
		runs = 3;
	if (sodium_init() < 0)
		return 1;
	setenv("TZ", "Europe/Paris", 0);
	tzset();

	struct p1_result r;
	printf("zcboardbench: median time per operation over %u runs of %d operations; "
	       "wall-clock\n(CLOCK_MONOTONIC) on a shared 2-core VM whose CPU frequency is not "
	       "pinned: compare rows of one run, not runs of different days.\n\n",
	       runs, OPS_PER_RUN);
	part1(n, runs, true, &r);
	printf("Part 1 — leaderboard index with %zu entries (scores with many ties)\n", n);
	printf("  build by %zu inserts                                     %10.1f ms\n", n,
	       r.build_ms.p50);
	print_row("lbindex update (remove + insert)", r.upd, "");
	print_row("lbindex rank of a score", r.rank, "");
	print_row("lbindex top 20 (range 0..20)", r.top20, "");
	print_row("naive sorted array: update (2 memmoves)", r.s_upd, "  O(n)");
	print_row("naive sorted array: rank (binary search)", r.s_rank, "  O(log n)");
	print_row("naive unsorted array: rank (count higher)", r.u_rank, "  O(n)");
	print_row("naive unsorted array: top 20 (one pass)", r.u_top20, "  O(n)");

	if (scaling) {
		static const size_t sizes[] = {7000, 70000, 700000};
		printf("\nScaling (median ns per operation; a ×10 in entries should add a "
		       "constant for O(log n), multiply by ~10 for O(n))\n");
		printf("  %9s %12s %12s %12s %16s %16s\n", "entries", "lb update", "lb rank",
		       "lb top20", "sorted update", "unsorted rank");
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			part1(sizes[i], runs / 2 | 1, true, &r);
			printf("  %9zu %12.0f %12.0f %12.0f %16.0f %16.0f\n", sizes[i], r.upd.p50,
			       r.rank.p50, r.top20.p50, r.s_upd.p50, r.u_rank.p50);
		}
	}
	if (dir)
		return part2(dir, runs);
	return 0;
}
