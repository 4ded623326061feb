/* The check-in path. Everything the reply says (credit, week, totals, streak,
 * badges) is computed inside the job's transaction from what is stored, so
 * two check-ins in one batch see each other's effect on the week's caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "checkins.h"
#include "city.h"
#include "game.h"
#include "node.h"
#include "records_challenge.h"
#include "store.h"
#include "timeutil.h"
#include "wq.h"

struct checkin_job {
	struct wq_job base;
	struct node *n;
	struct checkin_req req;
	checkin_reply_fn reply;
	/* results */
	struct rec_checkin rec;
	struct game_credit credit;
	struct game_week week;
	struct rec_progress prog;
	uint32_t new_badges;
	uint32_t period;
	uint8_t goal;
	bool exists;
};

/* The period a check-in is unique in: its day, its ISO week, or the season
 * (named by its first day, so a new season allows it again). */
static uint32_t period_of(const struct action *a, int64_t day, int64_t season_start)
{
	switch (a->frequency) {
	case ACTION_DAILY:
		return (uint32_t)day;
	case ACTION_WEEKLY:
		return time_iso_week(day);
	default:
		return (uint32_t)season_start;
	}
}

static void period_text(const struct action *a, uint32_t period, char out[TIME_DAY_LEN])
{
	if (a->frequency == ACTION_DAILY)
		time_format_day((int64_t)period, out);
	else if (a->frequency == ACTION_WEEKLY)
		time_format_week(period, out);
	else
		snprintf(out, TIME_DAY_LEN, "season");
}

bool checkins_validate(struct node *n, const unsigned char *pid, const char *action_id,
		       const char *date, struct checkin_req *out, struct checkin_problem *why)
{
	const struct action *a = actions_find(n->actions, action_id);
	int64_t today = time_local_day(time_now_s()), day = today, start, end;
	memset(out, 0, sizeof(*out));
	if (!a || a->retired) {
		*why = (struct checkin_problem){422, "unknown_action", "no such action in use"};
		return false;
	}
	if (date && !time_parse_day(date, &day)) {
		*why = (struct checkin_problem){422, "invalid_field", "date must be YYYY-MM-DD"};
		return false;
	}
	if (day > today) {
		*why = (struct checkin_problem){422, "date_in_future", "the date is after today"};
		return false;
	}
	if (day < today - CHECKINS_MAX_AGE_DAYS) {
		*why = (struct checkin_problem){422, "too_old",
						"check-ins may go back at most 7 days"};
		return false;
	}
	const struct season *s = city_season_today(n);
	if (!s || !time_parse_day(s->starts_on, &start) || !time_parse_day(s->ends_on, &end) ||
	    day < start || day > end) {
		*why = (struct checkin_problem){422, "outside_season",
						"the date is outside the current season"};
		return false;
	}
	memcpy(out->pid, pid, SECRETS_ID_BYTES);
	out->action = *a;
	out->day = day;
	snprintf(out->season, sizeof(out->season), "%s", s->id);
	out->season_start = start;
	out->season_monday = time_week_monday(time_iso_week(start));
	return true;
}

/* True when db holds a row keyed by the participant. */
static bool has_rows(struct store_txn *txn, enum store_db db, const unsigned char *pid)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	bool any = false;
	if (store_iter_new(txn, db, pid, SECRETS_ID_BYTES, false, &it) != ZC_OK)
		return false;
	if (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl >= SECRETS_ID_BYTES &&
	    memcmp(k, pid, SECRETS_ID_BYTES) == 0)
		any = true;
	store_iter_free(it);
	return any;
}

static enum zc_err get_progress(struct store_txn *txn, const unsigned char *pid, const char *season,
				struct rec_progress *p)
{
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_PROGRESS, pid, SECRETS_ID_BYTES, &v, &vl);
	if (err == ZC_OK && !rec_progress_decode(v, vl, p))
		return ZC_ERR_STORE;
	if (err == ZC_ERR_NOT_FOUND || (err == ZC_OK && strcmp(p->season, season) != 0)) {
		/* A new season starts from zero, but what the participant already has
		 * (a team, a footprint) still counts for its badges. */
		memset(p, 0, sizeof(*p));
		snprintf(p->season, sizeof(p->season), "%s", season);
		p->team = has_rows(txn, STORE_MEMBER_TEAMS, pid);
		p->footprint = has_rows(txn, STORE_FOOTPRINTS, pid);
		return ZC_OK;
	}
	return err;
}

static enum zc_err put_progress(struct store_txn *txn, const unsigned char *pid,
				const struct rec_progress *p)
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_progress_encode(p, &rec);
	enum zc_err err =
	    store_put(txn, STORE_PROGRESS, pid, SECRETS_ID_BYTES, jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	return err;
}

uint32_t checkins_award(struct rec_progress *p, int64_t now)
{
	struct game_stats st = {
	    .checkins = p->checkins,
	    .co2e_g = p->co2e_g,
	    .waste_g = p->waste_g,
	    .best_streak = p->best_streak,
	    .weighed_weeks = p->weighed_weeks,
	    .goals_met = p->goals_met,
	    .categories = p->categories,
	    .footprint = p->footprint,
	    .team = p->team,
	};
	uint32_t fresh = game_badges(&st) & ~p->badges;
	for (unsigned b = 0; b < BADGE__COUNT; b++)
		if (fresh & (1u << b))
			p->badge_at[b] = now;
	p->badges |= fresh;
	return fresh;
}

static enum zc_err apply(struct wq_job *base, struct store_txn *txn)
{
	struct checkin_job *j = (struct checkin_job *)base;
	const struct checkin_req *q = &j->req;
	unsigned char key[REC_KEY_MAX];
	const void *v;
	size_t kl, vl;
	struct participant p;
	struct jbuf rec;
	enum zc_err err;

	err = store_get(txn, STORE_PARTICIPANTS, q->pid, SECRETS_ID_BYTES, &v, &vl);
	if (err)
		return err;
	if (!rec_participant_decode(v, vl, &p))
		return ZC_ERR_STORE;
	j->goal = p.weekly_goal;
	j->period = period_of(&q->action, q->day, q->season_start);
	kl = rec_key_checkin(q->pid, q->action.num, j->period, key);
	err = store_get(txn, STORE_CHECKINS, key, kl, &v, &vl);
	if (err == ZC_OK) {
		j->exists = rec_checkin_decode(v, vl, &j->rec);
		return j->exists ? ZC_ERR_EXISTS : ZC_ERR_STORE;
	}
	if (err != ZC_ERR_NOT_FOUND)
		return err;
	err = get_progress(txn, q->pid, q->season, &j->prog);
	if (err)
		return err;
	uint32_t week = time_iso_week(q->day);
	unsigned char wkey[REC_KEY_MAX];
	size_t wkl = rec_key_id_u32(q->pid, week, wkey);
	memset(&j->week, 0, sizeof(j->week));
	err = store_get(txn, STORE_WEEKS, wkey, wkl, &v, &vl);
	if (err == ZC_OK && !rec_week_decode(v, vl, &j->week))
		return ZC_ERR_STORE;
	if (err && err != ZC_ERR_NOT_FOUND)
		return err;

	game_credit(&j->week, p.weekly_goal, q->action.points, q->action.co2e_g, q->action.waste_g,
		    &j->credit);
	int64_t now = time_now_s();
	j->rec = (struct rec_checkin){.day = (int32_t)q->day,
				      .at = now,
				      .points = j->credit.points,
				      .co2e_g = j->credit.co2e_g,
				      .waste_g = j->credit.waste_g,
				      .capped = j->credit.capped};
	struct rec_progress *pr = &j->prog;
	pr->points += j->credit.points;
	pr->co2e_g += j->credit.co2e_g;
	pr->waste_g += j->credit.waste_g;
	pr->checkins++;
	pr->categories |= (uint8_t)(1u << q->action.category);
	if (q->action.category < GAME_CATEGORIES)
		pr->cat_checkins[q->action.category]++;
	pr->goals_met += j->credit.goal_now;
	int64_t idx = (time_week_monday(week) - q->season_monday) / 7;
	if (idx >= 0 && idx < GAME_SEASON_WEEKS)
		pr->active_weeks |= 1ull << idx;
	struct game_streak st;
	unsigned this_week =
	    (unsigned)((time_week_monday(time_iso_week(time_local_day(now))) - q->season_monday) /
		       7);
	game_streak(pr->active_weeks, this_week, &st);
	if (st.best > pr->best_streak)
		pr->best_streak = st.best;
	j->new_badges = checkins_award(pr, now);

	jbuf_init(&rec, 0);
	rec_checkin_encode(&j->rec, &rec);
	err = store_put(txn, STORE_CHECKINS, key, kl, jbuf_data(&rec), rec.len, true);
	if (!err) {
		rec_week_encode(&j->week, &rec);
		err = store_put(txn, STORE_WEEKS, wkey, wkl, jbuf_data(&rec), rec.len, false);
	}
	jbuf_fini(&rec);
	if (!err)
		err = put_progress(txn, q->pid, pr);
	return err;
}

/* The check-in's members, without the braces. */
static void checkin_fields(const struct action *a, uint32_t period, const struct rec_checkin *c,
			   struct jbuf *out)
{
	char day[TIME_DAY_LEN], per[TIME_DAY_LEN], at[TIME_RFC3339_LEN];
	time_format_day(c->day, day);
	period_text(a, period, per);
	time_rfc3339(c->at, at);
	jbuf_json_key(out, "action");
	jbuf_json_str(out, a->id);
	jbuf_json_key(out, "date");
	jbuf_json_str(out, day);
	jbuf_json_key(out, "period");
	jbuf_json_str(out, per);
	jbuf_json_key(out, "points");
	jbuf_json_int(out, c->points);
	jbuf_json_key(out, "co2e_avoided_g");
	jbuf_json_int(out, c->co2e_g);
	jbuf_json_key(out, "waste_avoided_g");
	jbuf_json_int(out, c->waste_g);
	jbuf_json_key(out, "capped");
	jbuf_json_bool(out, c->capped);
	jbuf_json_key(out, "at");
	jbuf_json_str(out, at);
}

static void checkin_json(const struct action *a, uint32_t period, const struct rec_checkin *c,
			 struct jbuf *out)
{
	jbuf_putc(out, '{');
	checkin_fields(a, period, c, out);
	jbuf_putc(out, '}');
}

static void week_json(uint32_t week, const struct game_week *w, uint8_t goal, struct jbuf *out)
{
	char wk[TIME_WEEK_LEN];
	time_format_week(week, wk);
	jbuf_puts(out, "{\"week\":");
	jbuf_json_str(out, wk);
	jbuf_json_key(out, "checkins");
	jbuf_json_int(out, w->checkins);
	jbuf_json_key(out, "points");
	jbuf_json_int(out, w->points);
	jbuf_json_key(out, "co2e_avoided_g");
	jbuf_json_int(out, w->co2e_g);
	jbuf_json_key(out, "waste_avoided_g");
	jbuf_json_int(out, w->waste_g);
	jbuf_json_key(out, "goal");
	jbuf_json_int(out, goal);
	jbuf_json_key(out, "goal_met");
	jbuf_json_bool(out, w->goal_met);
	jbuf_putc(out, '}');
}

static void level_json(uint64_t points, struct jbuf *out)
{
	uint32_t next;
	const struct game_level *l = game_level(points, &next);
	jbuf_puts(out, "{\"id\":");
	jbuf_json_str(out, l->id);
	jbuf_puts(out, ",\"name\":{\"fr\":");
	jbuf_json_str(out, l->name_fr);
	jbuf_puts(out, ",\"en\":");
	jbuf_json_str(out, l->name_en);
	jbuf_puts(out, "},\"icon\":");
	jbuf_json_str(out, l->icon);
	jbuf_json_key(out, "min_points");
	jbuf_json_int(out, l->min_points);
	jbuf_json_key(out, "next_at");
	if (next)
		jbuf_json_int(out, next);
	else
		jbuf_puts(out, "null");
	jbuf_putc(out, '}');
}

/* The season's week index of today, for the streak as shown now. */
static unsigned season_week_now(int64_t season_monday)
{
	int64_t now = time_week_monday(time_iso_week(time_local_day(time_now_s())));
	int64_t idx = (now - season_monday) / 7;
	return idx < 0 ? 0 : (unsigned)idx;
}

static void totals_json(const struct rec_progress *p, int64_t season_monday, struct jbuf *out)
{
	struct game_streak st;
	game_streak(p->active_weeks, season_week_now(season_monday), &st);
	jbuf_json_key(out, "totals");
	jbuf_puts(out, "{\"points\":");
	jbuf_json_int(out, (int64_t)p->points);
	jbuf_json_key(out, "co2e_avoided_g");
	jbuf_json_int(out, (int64_t)p->co2e_g);
	jbuf_json_key(out, "waste_avoided_g");
	jbuf_json_int(out, (int64_t)p->waste_g);
	jbuf_json_key(out, "checkins");
	jbuf_json_int(out, p->checkins);
	jbuf_puts(out, "},\"streak\":{\"current\":");
	jbuf_json_int(out, st.current);
	jbuf_json_key(out, "best");
	jbuf_json_int(out, p->best_streak > st.best ? p->best_streak : st.best);
	jbuf_puts(out, "},\"level\":");
	level_json(p->points, out);
}

static void badges_list(uint32_t set, struct jbuf *out)
{
	bool first = true;
	jbuf_putc(out, '[');
	for (unsigned b = 0; b < BADGE__COUNT; b++) {
		if (!(set & (1u << b)))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		jbuf_json_str(out, game_badge_id(b));
	}
	jbuf_putc(out, ']');
}

static void done(struct wq_job *base, enum zc_err err)
{
	struct checkin_job *j = (struct checkin_job *)base;
	struct jbuf body;
	int status;
	const char *code = NULL;
	jbuf_init(&body, 0);
	if (err == ZC_OK) {
		/* Committed: now the boards may move. */
		board_scores_add(j->n->board, j->req.pid, j->credit.points, j->credit.co2e_g,
				 j->credit.waste_g);
		status = 201;
		jbuf_putc(&body, '{');
		checkin_fields(&j->req.action, j->period, &j->rec, &body);
		jbuf_json_key(&body, "week");
		week_json(time_iso_week(j->req.day), &j->week, j->goal, &body);
		totals_json(&j->prog, j->req.season_monday, &body);
		jbuf_json_key(&body, "new_badges");
		badges_list(j->new_badges, &body);
		jbuf_putc(&body, '}');
	} else if (err == ZC_ERR_EXISTS) {
		status = 409;
		code = "already_checked_in";
		jbuf_puts(&body, "{\"error\":{\"code\":\"already_checked_in\",\"message\":"
				 "\"this action is already checked in for this period\"},"
				 "\"checkin\":");
		checkin_json(&j->req.action, j->period, &j->rec, &body);
		jbuf_putc(&body, '}');
	} else if (err == ZC_ERR_NOT_FOUND) {
		status = 401;
		code = "invalid_token";
	} else if (err == ZC_ERR_STORE_FULL) {
		status = 507;
		code = "storage_full";
	} else {
		status = 500;
		code = "internal_error";
	}
	if (j->base.owner)
		j->reply(j->base.owner, status, code, &body);
	jbuf_fini(&body);
	free(j);
}

struct wq_job *checkins_submit(struct node *n, const struct checkin_req *req,
			       checkin_reply_fn reply, void *owner)
{
	struct checkin_job *j = calloc(1, sizeof(*j));
	if (!j)
		abort();
	j->base.apply = apply;
	j->base.done = done;
	j->base.owner = owner;
	j->n = n;
	j->req = *req;
	j->reply = reply;
	wq_submit(n->wq, &j->base);
	return &j->base;
}

/* Reads the progress of the current season (zero when none is stored for it). */
static enum zc_err read_progress(struct store_txn *txn, const unsigned char *pid,
				 const struct season *s, struct rec_progress *p)
{
	memset(p, 0, sizeof(*p));
	if (!s)
		return ZC_OK;
	return get_progress(txn, pid, s->id, p);
}

static int64_t season_monday_of(const struct season *s)
{
	int64_t start;
	if (!s || !time_parse_day(s->starts_on, &start))
		return time_week_monday(time_iso_week(time_local_day(time_now_s())));
	return time_week_monday(time_iso_week(start));
}

enum zc_err checkins_progress_json(struct node *n, const unsigned char *pid, struct jbuf *out)
{
	const struct season *s = city_season_today(n);
	struct store_txn *txn;
	struct rec_progress p;
	struct game_week w = {0};
	struct participant part;
	const void *v;
	size_t vl;
	unsigned char wkey[REC_KEY_MAX];
	uint32_t week = time_iso_week(time_local_day(time_now_s()));
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_PARTICIPANTS, pid, SECRETS_ID_BYTES, &v, &vl);
	if (err == ZC_OK && !rec_participant_decode(v, vl, &part))
		err = ZC_ERR_STORE;
	if (!err)
		err = read_progress(txn, pid, s, &p);
	if (!err && s) {
		err = store_get(txn, STORE_WEEKS, wkey, rec_key_id_u32(pid, week, wkey), &v, &vl);
		if (err == ZC_OK && !rec_week_decode(v, vl, &w))
			err = ZC_ERR_STORE;
		if (err == ZC_ERR_NOT_FOUND)
			err = ZC_OK;
	}
	store_abort(txn);
	if (err)
		return err;

	struct game_streak st;
	game_streak(p.active_weeks, season_week_now(season_monday_of(s)), &st);
	jbuf_puts(out, "{\"season\":");
	jbuf_json_str(out, s ? s->id : NULL);
	jbuf_json_key(out, "points");
	jbuf_json_int(out, (int64_t)p.points);
	jbuf_json_key(out, "co2e_avoided_g");
	jbuf_json_int(out, (int64_t)p.co2e_g);
	jbuf_json_key(out, "waste_avoided_g");
	jbuf_json_int(out, (int64_t)p.waste_g);
	jbuf_json_key(out, "checkins");
	jbuf_json_int(out, p.checkins);
	jbuf_json_key(out, "level");
	level_json(p.points, out);
	jbuf_puts(out, ",\"streak\":{\"current\":");
	jbuf_json_int(out, st.current);
	jbuf_json_key(out, "best");
	jbuf_json_int(out, p.best_streak > st.best ? p.best_streak : st.best);
	jbuf_puts(out, "},\"badges\":[");
	bool first = true;
	for (unsigned b = 0; b < BADGE__COUNT; b++) {
		char at[TIME_RFC3339_LEN];
		if (!(p.badges & (1u << b)))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		time_rfc3339(p.badge_at[b], at);
		jbuf_puts(out, "{\"id\":");
		jbuf_json_str(out, game_badge_id(b));
		jbuf_json_key(out, "earned_at");
		jbuf_json_str(out, at);
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "],\"week\":");
	week_json(week, &w, part.weekly_goal, out);
	jbuf_puts(out, ",\"categories\":{");
	for (unsigned c = 0; c < GAME_CATEGORIES; c++) {
		jbuf_json_key(out, actions_category_name(c));
		jbuf_json_int(out, p.cat_checkins[c]);
	}
	jbuf_puts(out, "}}");
	return ZC_OK;
}

struct listed {
	uint16_t num;
	uint32_t period;
	struct rec_checkin rec;
};

static int newest_first(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	if (x->rec.day != y->rec.day)
		return x->rec.day > y->rec.day ? -1 : 1;
	return x->rec.at > y->rec.at ? -1 : x->rec.at < y->rec.at;
}

enum zc_err checkins_list_json(struct node *n, const unsigned char *pid, uint32_t week,
			       size_t limit, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, count = 0, cap = 0;
	struct listed *all = NULL;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_CHECKINS, pid, SECRETS_ID_BYTES, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		const unsigned char *kb = k;
		struct listed l;
		if (kl != SECRETS_ID_BYTES + 6 || memcmp(kb, pid, SECRETS_ID_BYTES) != 0)
			break;
		if (!rec_checkin_decode(v, vl, &l.rec))
			continue;
		if (week && time_iso_week(l.rec.day) != week)
			continue;
		l.num = (uint16_t)rec_key_be(kb + SECRETS_ID_BYTES, 2);
		l.period = (uint32_t)rec_key_be(kb + SECRETS_ID_BYTES + 2, 4);
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			struct listed *grown = realloc(all, cap * sizeof(*all));
			if (!grown)
				abort();
			all = grown;
		}
		all[count++] = l;
	}
	store_iter_free(it);
	store_abort(txn);
	if (count)
		qsort(all, count, sizeof(*all), newest_first);
	jbuf_puts(out, "{\"checkins\":[");
	size_t shown = 0;
	for (size_t i = 0; i < count && (!limit || shown < limit); i++) {
		const struct action *a = actions_by_num(n->actions, all[i].num);
		if (!a)
			continue; /* an action deleted from the store by hand */
		if (shown++)
			jbuf_putc(out, ',');
		checkin_json(a, all[i].period, &all[i].rec, out);
	}
	jbuf_puts(out, "]}");
	free(all);
	return ZC_OK;
}

enum zc_err checkins_erase(struct store_txn *txn, const unsigned char *pid)
{
	enum zc_err err = store_del_prefix(txn, STORE_CHECKINS, pid, SECRETS_ID_BYTES, NULL);
	if (!err)
		err = store_del_prefix(txn, STORE_WEEKS, pid, SECRETS_ID_BYTES, NULL);
	if (!err) {
		err = store_del(txn, STORE_PROGRESS, pid, SECRETS_ID_BYTES);
		if (err == ZC_ERR_NOT_FOUND)
			err = ZC_OK;
	}
	return err;
}

enum zc_err checkins_progress_event(struct node *n, struct store_txn *txn, const unsigned char *pid,
				    enum progress_event ev)
{
	const struct season *s = city_season_today(n);
	struct rec_progress p;
	if (!s)
		return ZC_OK; /* between seasons nothing is counted */
	enum zc_err err = get_progress(txn, pid, s->id, &p);
	if (err)
		return err;
	switch (ev) {
	case PROGRESS_FOOTPRINT:
		p.footprint = true;
		break;
	case PROGRESS_WEIGHED_WEEK:
		p.weighed_weeks++;
		break;
	case PROGRESS_TEAM:
		p.team = true;
		break;
	}
	checkins_award(&p, time_now_s());
	return put_progress(txn, pid, &p);
}

enum zc_err checkins_bonus(struct node *n, struct store_txn *txn, const unsigned char *pid,
			   uint32_t points)
{
	const struct season *season = city_season_today(n);
	struct rec_progress pr;
	if (!season || points == 0)
		return ZC_OK;
	enum zc_err err = get_progress(txn, pid, season->id, &pr);
	if (err)
		return err;
	pr.points += points;
	checkins_award(&pr, time_now_s());
	return put_progress(txn, pid, &pr);
}
