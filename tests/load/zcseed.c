/* zcseed: fills a data dir (after `zcnode init` and `zcnode admin load-demo`)
 * with N participants and, optionally, a season of check-ins written with the
 * node's own record encoders and keys, so benchmarks start from a city-sized
 * store in seconds; can also write bearer tokens for load generators. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <sodium.h>

#include "actions.h"
#include "checkins.h"
#include "city.h"
#include "denylist.h"
#include "game.h"
#include "nickname.h"
#include "node.h"
#include "participants.h"
#include "records_challenge.h"
#include "schema.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"

/* Why not the public API: check-ins may only be back-dated 7 days, so a past
 * season cannot be replayed through it, and registrations are rate-limited per
 * address. Writing rows here reuses the node's encoders and key layouts, and
 * the credit rules of game.c, so what the node reads back is what it would
 * have written itself. */

struct opts {
	const char *data_dir;
	unsigned long participants;
	double per_week; /* mean check-ins per participant-week */
	bool season;
	const char *until; /* last day of seeded check-ins */
	unsigned long tokens;
	const char *tokens_out;
	unsigned hidden_pct, no_hood_pct;
	unsigned long batch;
	uint64_t seed;
	uint64_t map_size_mb;
	const char *timezone;
};

struct pseed {
	unsigned char id[SECRETS_ID_BYTES];
	uint32_t index; /* order of creation: names and the tokens file */
};

struct stats {
	unsigned long participants, hidden, with_hood, renamed, checkins, capped, weeks, progress,
	    tokens_written, commits;
	uint64_t points;
};

/* ---- a small deterministic generator (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static double rnd_unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* ---- nicknames: two words and a base-36 serial, unique by construction ---- */

static const char *const first_words[] = {
    "Colibri",	"Mésange", "Renard",   "Tilleul", "Castor",  "Héron",  "Abeille", "Loutre",
    "Chêne",	"Saule",   "Hérisson", "Martin",  "Cigogne", "Lièvre", "Bouleau", "Moineau",
    "Écureuil", "Faucon",  "Glycine",  "Érable",  "Platane", "Pinson", "Fougère", "Grive"};
static const char *const second_words[] = {"Vert",   "Sobre",  "Agile",	  "Solaire", "Calme",
					   "Malin",  "Rapide", "Discret", "Joyeux",  "Curieux",
					   "Frugal", "Urbain", "Zen",	  "Léger",   "Tenace"};

static void nickname_for(uint32_t index, unsigned attempt, char *out, size_t cap)
{
	char serial[16];
	size_t nf = sizeof(first_words) / sizeof(first_words[0]);
	size_t ns = sizeof(second_words) / sizeof(second_words[0]);
	uint32_t v = index * 7u + attempt;
	int i = (int)sizeof(serial) - 1;
	serial[i] = '\0';
	do {
		serial[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v && i > 0);
	snprintf(out, cap, "%s%s-%s", first_words[(index + attempt) % nf],
		 second_words[(index / nf + attempt) % ns], serial + i);
}

/* ---- the season's check-ins of one participant ---- */

struct planned {
	int32_t day;
	uint16_t action; /* index into the catalogue array */
	uint32_t period;
};

static int by_day(const void *a, const void *b)
{
	const struct planned *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return 0;
}

/* As checkins.c keys them: the day, the ISO week, or the season's first day
 * for once-a-season actions. */
static uint32_t period_of(const struct rec_action *a, int64_t day, int64_t season_start)
{
	if (a->frequency == ACTION_DAILY)
		return (uint32_t)day;
	if (a->frequency == ACTION_WEEKLY)
		return time_iso_week(day);
	return (uint32_t)season_start;
}

static bool planned_has(const struct planned *p, size_t n, uint16_t action, uint32_t period)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].action == action && p[i].period == period)
			return true;
	return false;
}

struct season_frame {
	char id[REC_SEASON_ID_BYTES];
	int64_t start, until;  /* days */
	int64_t season_monday; /* Monday of the first ISO week */
	unsigned weeks;
};

/* Plans a participant's check-ins over the season: a personal rate around the
 * mean, some quiet weeks, a late start for some. Returns how many. */
static size_t plan_checkins(const struct opts *o, const struct season_frame *sf,
			    const struct rec_action *acts, size_t nacts, struct planned **buf,
			    size_t *cap)
{
	size_t n = 0;
	double rate = o->per_week * (0.25 + 1.5 * rnd_unit());
	unsigned first_week = rnd_unit() < 0.3 ? rnd_below(sf->weeks) : 0;
	for (unsigned w = first_week; w < sf->weeks; w++) {
		int64_t monday = sf->season_monday + 7 * (int64_t)w;
		int64_t d0 = monday < sf->start ? sf->start : monday;
		int64_t d1 = monday + 6 > sf->until ? sf->until : monday + 6;
		if (d1 < d0 || rnd_unit() < 0.15)
			continue;
		unsigned k = (unsigned)rate + (rnd_unit() < rate - (unsigned)rate);
		for (unsigned c = 0; c < k; c++) {
			for (int attempt = 0; attempt < 8; attempt++) {
				uint16_t ai = (uint16_t)rnd_below((uint32_t)nacts);
				int64_t day = d0 + rnd_below((uint32_t)(d1 - d0 + 1));
				uint32_t period = period_of(&acts[ai], day, sf->start);
				if (planned_has(*buf, n, ai, period))
					continue;
				if (n == *cap) {
					*cap = *cap ? *cap * 2 : 256;
					*buf = realloc(*buf, *cap * sizeof(**buf));
					if (!*buf)
						abort();
				}
				(*buf)[n++] = (struct planned){(int32_t)day, ai, period};
				break;
			}
		}
	}
	qsort(*buf, n, sizeof(**buf), by_day);
	return n;
}

struct week_slot {
	uint32_t week;
	struct game_week w;
};

/* Applies the planned check-ins in date order with the node's rules and
 * writes check-in, week and progress rows. */
static enum zc_err write_season(struct store_txn *txn, const struct season_frame *sf,
				const struct rec_action *acts, const unsigned char *pid,
				uint8_t goal, const struct planned *pl, size_t n, struct stats *s)
{
	struct rec_progress pr;
	struct week_slot weeks[GAME_SEASON_WEEKS];
	unsigned nweeks = 0;
	unsigned char key[REC_KEY_MAX];
	struct jbuf rec;
	enum zc_err err = ZC_OK;

	memset(&pr, 0, sizeof(pr));
	snprintf(pr.season, sizeof(pr.season), "%s", sf->id);
	jbuf_init(&rec, 0);
	for (size_t i = 0; i < n && !err; i++) {
		const struct rec_action *a = &acts[pl[i].action];
		uint32_t week = time_iso_week(pl[i].day);
		struct week_slot *ws = NULL;
		for (unsigned k = 0; k < nweeks; k++)
			if (weeks[k].week == week)
				ws = &weeks[k];
		if (!ws) {
			if (nweeks == GAME_SEASON_WEEKS)
				continue;
			ws = &weeks[nweeks++];
			memset(ws, 0, sizeof(*ws));
			ws->week = week;
		}
		struct game_credit cr;
		game_credit(&ws->w, goal, a->points, a->co2e_g, a->waste_g, &cr);
		/* Recorded on the day itself, between 07:00 and 22:00 local time. */
		int64_t at = (int64_t)pl[i].day * 86400 + 6 * 3600 + rnd_below(15 * 3600);
		struct rec_checkin c = {.day = pl[i].day,
					.at = at,
					.points = cr.points,
					.co2e_g = cr.co2e_g,
					.waste_g = cr.waste_g,
					.capped = cr.capped};
		pr.points += cr.points;
		pr.co2e_g += cr.co2e_g;
		pr.waste_g += cr.waste_g;
		pr.checkins++;
		pr.categories |= (uint8_t)(1u << a->category);
		if (a->category < GAME_CATEGORIES)
			pr.cat_checkins[a->category]++;
		pr.goals_met += cr.goal_now;
		int64_t idx = (time_week_monday(week) - sf->season_monday) / 7;
		if (idx >= 0 && idx < GAME_SEASON_WEEKS)
			pr.active_weeks |= 1ull << idx;
		struct game_streak st;
		game_streak(pr.active_weeks, idx < 0 ? 0 : (unsigned)idx, &st);
		if (st.best > pr.best_streak)
			pr.best_streak = st.best;
		checkins_award(&pr, at);

		rec_checkin_encode(&c, &rec);
		size_t kl = rec_key_checkin(pid, a->num, pl[i].period, key);
		err = store_put(txn, STORE_CHECKINS, key, kl, jbuf_data(&rec), rec.len, true);
		s->checkins++;
		s->capped += c.capped;
		s->points += cr.points;
	}
	for (unsigned k = 0; k < nweeks && !err; k++) {
		rec_week_encode(&weeks[k].w, &rec);
		size_t kl = rec_key_id_u32(pid, weeks[k].week, key);
		err = store_put(txn, STORE_WEEKS, key, kl, jbuf_data(&rec), rec.len, false);
		s->weeks++;
	}
	if (!err && n) {
		rec_progress_encode(&pr, &rec);
		err = store_put(txn, STORE_PROGRESS, pid, SECRETS_ID_BYTES, jbuf_data(&rec),
				rec.len, false);
		s->progress++;
	}
	jbuf_fini(&rec);
	return err;
}

/* ---- participants ---- */

static int by_id(const void *a, const void *b)
{
	return memcmp(((const struct pseed *)a)->id, ((const struct pseed *)b)->id,
		      SECRETS_ID_BYTES);
}

static enum zc_err write_participant(struct node *n, struct store_txn *txn, const struct opts *o,
				     const struct pseed *ps, FILE *tokens, struct stats *s,
				     struct participant *out)
{
	struct participant p;
	char folded[NICKNAME_FOLD_CAP];
	unsigned char raw[SECRETS_TOKEN_RAW];
	char token[SECRETS_TOKEN_MAX], recovery[SECRETS_RECOVERY_LEN], code[21];
	enum zc_err err;

	memset(&p, 0, sizeof(p));
	memcpy(p.id, ps->id, SECRETS_ID_BYTES);
	p.household_size = (uint8_t)(1 + rnd_below(5));
	memcpy(p.lang, rnd_below(10) ? "fr" : "en", 3);
	p.hidden = rnd_below(100) < o->hidden_pct;
	p.weekly_goal = (uint8_t)(GAME_GOAL_DEFAULT - 1 + rnd_below(4));
	/* Registered during the month before the season, or in its first weeks. */
	p.created_at = time_now_s() - 86400 * (int64_t)(60 + rnd_below(60));
	if (n->city.n_neighbourhoods && rnd_below(100) >= o->no_hood_pct)
		snprintf(p.neighbourhood, sizeof(p.neighbourhood), "%s",
			 n->city.neighbourhoods[rnd_below(n->city.n_neighbourhoods)]);

	for (unsigned attempt = 0;; attempt++) {
		if (attempt == 20)
			return ZC_ERR_EXISTS;
		nickname_for(ps->index, attempt, p.nickname, sizeof(p.nickname));
		if (nickname_check(p.nickname, strlen(p.nickname)) != NICKNAME_OK ||
		    nickname_fold(p.nickname, strlen(p.nickname), folded, sizeof(folded)) < 0)
			return ZC_ERR_INVALID;
		if (denylist_match(txn, folded))
			continue;
		err = store_put(txn, STORE_NICKNAMES, folded, strlen(folded), p.id, sizeof(p.id),
				true);
		if (err == ZC_ERR_EXISTS)
			continue;
		if (err)
			return err;
		s->renamed += attempt > 0;
		break;
	}

	secrets_new_token("zcp_", token, raw);
	secrets_hash(n->secrets, SECRETS_DOMAIN_TOKEN, raw, sizeof(raw), p.token_hash);
	secrets_new_recovery(recovery);
	secrets_normalise_recovery(recovery, code);
	secrets_hash(n->secrets, SECRETS_DOMAIN_RECOVERY, code, 20, p.recovery_hash);
	sodium_memzero(raw, sizeof(raw));

	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_participant_encode(&p, &rec);
	err =
	    store_put(txn, STORE_PARTICIPANTS, p.id, sizeof(p.id), jbuf_data(&rec), rec.len, true);
	jbuf_fini(&rec);
	if (!err)
		err = participants_put_token(txn, p.token_hash, TOKEN_PARTICIPANT, p.id);
	if (!err)
		err = participants_put_token(txn, p.recovery_hash, TOKEN_RECOVERY, p.id);
	if (err)
		return err;
	if (tokens && ps->index < o->tokens) {
		char hex[SECRETS_ID_HEX];
		secrets_id_hex(p.id, hex);
		/* index first so the file can be sorted back into creation order */
		fprintf(tokens, "%u %s %s\n", ps->index, token, hex);
		s->tokens_written++;
	}
	sodium_memzero(token, sizeof(token));
	s->participants++;
	s->hidden += p.hidden;
	s->with_hood += p.neighbourhood[0] != '\0';
	*out = p;
	return ZC_OK;
}

/* ---- catalogue ---- */

static size_t load_actions(struct store *st, struct rec_action *out, size_t cap)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, n = 0;
	if (store_begin(st, false, &txn) != ZC_OK)
		return 0;
	if (store_iter_new(txn, STORE_ACTIONS, NULL, 0, false, &it) != ZC_OK) {
		store_abort(txn);
		return 0;
	}
	while (n < cap && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_action_decode(v, vl, &out[n]) || out[n].retired)
			continue;
		/* the texts point into the transaction's pages: not kept */
		memset(out[n].text, 0, sizeof(out[n].text));
		n++;
	}
	store_iter_free(it);
	store_abort(txn);
	return n;
}

/* ---- main ---- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fputs("usage: zcseed --data-dir D [--participants N] [--no-season] [--per-week X]\n"
	      "              [--until YYYY-MM-DD] [--tokens N --tokens-out FILE]\n"
	      "              [--hidden-pct P] [--no-hood-pct P] [--batch N] [--seed S]\n"
	      "              [--map-size-mb M] [--timezone ZONE]\n"
	      "  Seeds a data dir made by `zcnode init` + `zcnode admin load-demo` (node stopped\n"
	      "  or running: LMDB allows both). Defaults: 70000 participants and a season of\n"
	      "  check-ins up to 8 days before today (the 8 days a check-in may be back-dated\n"
	      "  stay free for load tests): each participant gets a rate around X = 3 check-ins\n"
	      "  per active week (0.25 X to 1.75 X), skips 15 % of weeks, 30 % start late;\n"
	      "  5 % hidden, 10 % without neighbourhood, commits of 2000 participants, map\n"
	      "  1024 MiB (--map-size-mb raises the environment's map for later openers too).\n"
	      "  --tokens N writes `index token id` lines for the first N participants (0600).\n",
	      stderr);
	return 2;
}

static bool parse_args(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->participants = 70000;
	o->per_week = 3.0;
	o->season = true;
	o->hidden_pct = 5;
	o->no_hood_pct = 10;
	o->batch = 2000;
	o->seed = 20261123;
	o->map_size_mb = 1024;
	o->timezone = "Europe/Paris";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--no-season") == 0) {
			o->season = false;
			continue;
		}
		if (!v)
			return false;
		i++;
		if (strcmp(a, "--data-dir") == 0)
			o->data_dir = v;
		else if (strcmp(a, "--participants") == 0)
			o->participants = strtoul(v, NULL, 10);
		else if (strcmp(a, "--per-week") == 0)
			o->per_week = strtod(v, NULL);
		else if (strcmp(a, "--until") == 0)
			o->until = v;
		else if (strcmp(a, "--tokens") == 0)
			o->tokens = strtoul(v, NULL, 10);
		else if (strcmp(a, "--tokens-out") == 0)
			o->tokens_out = v;
		else if (strcmp(a, "--hidden-pct") == 0)
			o->hidden_pct = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--no-hood-pct") == 0)
			o->no_hood_pct = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--batch") == 0)
			o->batch = strtoul(v, NULL, 10);
		else if (strcmp(a, "--seed") == 0)
			o->seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--map-size-mb") == 0)
			o->map_size_mb = strtoull(v, NULL, 10);
		else if (strcmp(a, "--timezone") == 0)
			o->timezone = v;
		else
			return false;
	}
	if (o->batch == 0)
		o->batch = 1;
	return o->data_dir && o->participants > 0 && o->per_week >= 0 && o->per_week <= 40 &&
	       (!o->tokens || o->tokens_out);
}

int main(int argc, char **argv)
{
	static struct node n;
	struct opts o;
	struct stats s;
	struct season_frame sf;
	struct rec_action acts[ACTIONS_MAX];
	char path[CONFIG_PATH_MAX * 2];
	FILE *tokens = NULL;
	int rc = 1;

	if (!parse_args(argc, argv, &o))
		return usage();
	if (sodium_init() < 0)
		return 1;
	setenv("TZ", o.timezone, 1);
	tzset();
	rng_state = o.seed;
	memset(&s, 0, sizeof(s));
	snprintf(n.data_dir, sizeof(n.data_dir), "%s", o.data_dir);

	double t0 = now_s();
	if (secrets_open(o.data_dir, &n.secrets) != ZC_OK) {
		fprintf(stderr, "zcseed: cannot open %s/node.secret (run zcnode init)\n",
			o.data_dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/db", o.data_dir);
	if (store_open(path, o.map_size_mb << 20, &n.store) != ZC_OK ||
	    schema_migrate(n.store) != ZC_OK || city_load(&n) != ZC_OK) {
		fprintf(stderr, "zcseed: cannot open the store in %s\n", path);
		goto out;
	}
	size_t nacts = load_actions(n.store, acts, ACTIONS_MAX);
	const struct season *season = city_season_today(&n);
	memset(&sf, 0, sizeof(sf));
	if (o.season) {
		int64_t end;
		if (!season || !nacts || !time_parse_day(season->starts_on, &sf.start) ||
		    !time_parse_day(season->ends_on, &end)) {
			fprintf(stderr, "zcseed: no current season or no actions "
					"(run zcnode admin load-demo first)\n");
			goto out;
		}
		snprintf(sf.id, sizeof(sf.id), "%s", season->id);
		sf.until = time_local_day(time_now_s()) - (CHECKINS_MAX_AGE_DAYS + 1);
		if (o.until && !time_parse_day(o.until, &sf.until)) {
			fprintf(stderr, "zcseed: --until must be YYYY-MM-DD\n");
			goto out;
		}
		if (sf.until > end)
			sf.until = end;
		sf.season_monday = time_week_monday(time_iso_week(sf.start));
		sf.weeks = sf.until < sf.start
			       ? 0
			       : (unsigned)((time_week_monday(time_iso_week(sf.until)) -
					     sf.season_monday) /
						7 +
					    1);
		if (sf.weeks > GAME_SEASON_WEEKS)
			sf.weeks = GAME_SEASON_WEEKS;
	}
	if (o.tokens) {
		FILE *f;
		int fd;
		unlink(o.tokens_out);
		fd = open(o.tokens_out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			fprintf(stderr, "zcseed: cannot create %s: %s\n", o.tokens_out,
				strerror(errno));
			goto out;
		}
		tokens = f;
	}

	/* Ids sorted before writing: the participant, progress, week and
	 * check-in databases are all keyed by id first, so every batch appends
	 * near the same pages instead of touching the whole tree. */
	struct pseed *ps = calloc(o.participants, sizeof(*ps));
	struct planned *plan = NULL;
	size_t plan_cap = 0;
	if (!ps)
		abort();
	for (unsigned long i = 0; i < o.participants; i++) {
		secrets_new_id(ps[i].id);
		ps[i].index = (uint32_t)i;
	}
	qsort(ps, o.participants, sizeof(*ps), by_id);
	double t_gen = now_s();

	struct store_txn *txn = NULL;
	enum zc_err err = ZC_OK;
	for (unsigned long i = 0; i < o.participants && !err; i++) {
		struct participant p;
		if (!txn && (err = store_begin(n.store, true, &txn)) != ZC_OK)
			break;
		err = write_participant(&n, txn, &o, &ps[i], tokens, &s, &p);
		if (!err && o.season && sf.weeks) {
			size_t np = plan_checkins(&o, &sf, acts, nacts, &plan, &plan_cap);
			err = write_season(txn, &sf, acts, p.id, p.weekly_goal, plan, np, &s);
		}
		if (!err && ((i + 1) % o.batch == 0 || i + 1 == o.participants)) {
			err = store_commit(txn);
			txn = NULL;
			s.commits++;
		}
	}
	if (txn)
		store_abort(txn);
	free(plan);
	free(ps);
	if (err) {
		fprintf(stderr,
			"zcseed: writing failed: %s (written before the failing batch: %lu)\n",
			zc_strerror(err), s.participants - (s.participants % o.batch));
		goto out;
	}
	double t_end = now_s();

	uint64_t used = 0, map = 0;
	store_size(n.store, &used, &map);
	char until[TIME_DAY_LEN] = "-";
	if (o.season && sf.weeks)
		time_format_day(sf.until, until);
	printf("zcseed: data dir %s\n", o.data_dir);
	printf("  participants   %lu (hidden %lu, with a neighbourhood %lu, renamed %lu)\n",
	       s.participants, s.hidden, s.with_hood, s.renamed);
	printf("  season         %s, %u weeks up to %s, %zu actions in use\n",
	       o.season ? sf.id : "(not seeded)", sf.weeks, until, nacts);
	printf("  check-ins      %lu (capped %lu, %.2f per participant-week), week rows %lu, "
	       "progress rows %lu, points %llu\n",
	       s.checkins, s.capped,
	       s.weeks ? (double)s.checkins / (double)(s.participants * (sf.weeks ? sf.weeks : 1))
		       : 0.0,
	       s.weeks, s.progress, (unsigned long long)s.points);
	printf("  tokens         %lu written to %s\n", s.tokens_written,
	       o.tokens_out ? o.tokens_out : "-");
	printf("  commits        %lu (batches of %lu participants)\n", s.commits, o.batch);
	printf("  store          %.1f MiB in use of a %.0f MiB map\n", (double)used / 1048576.0,
	       (double)map / 1048576.0);
	printf("  time           %.2f s (ids %.2f s, writing %.2f s: %.0f participants/s, %.0f "
	       "check-ins/s)\n",
	       t_end - t0, t_gen - t0, t_end - t_gen, (double)s.participants / (t_end - t_gen),
	       (double)s.checkins / (t_end - t_gen));
	rc = 0;
out:
	if (tokens && fclose(tokens) != 0) {
		fprintf(stderr, "zcseed: writing %s failed\n", o.tokens_out);
		rc = 1;
	}
	store_close(n.store);
	secrets_close(n.secrets);
	return rc;
}
