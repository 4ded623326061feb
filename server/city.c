/* City profile and seasons. The profile is read on every registration (the
 * neighbourhood check), so it is mirrored in memory; seasons are few and read
 * from the store when asked. */
#include <stdio.h>
#include <string.h>

#include "city.h"
#include "game.h"
#include "store.h"
#include "timeutil.h"
#include "utf8.h"

#define CITY_KEY "city"

enum zc_err city_load(struct node *n)
{
	struct store_txn *txn;
	const void *v;
	size_t vl;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	memset(&n->city, 0, sizeof(n->city));
	err = store_get(txn, STORE_META, CITY_KEY, strlen(CITY_KEY), &v, &vl);
	if (err == ZC_OK && !rec_city_decode(v, vl, &n->city))
		err = ZC_ERR_STORE;
	store_abort(txn);
	return err == ZC_ERR_NOT_FOUND ? ZC_OK : err;
}

static bool name_valid(const char *s)
{
	return utf8_text_ok(s, 32, false);
}

enum zc_err city_save(struct node *n, const struct city *c)
{
	struct store_txn *txn;
	struct jbuf rec;
	enum zc_err err;

	if (!name_valid(c->name) || c->n_neighbourhoods > REC_MAX_NEIGHBOURHOODS)
		return ZC_ERR_INVALID;
	for (unsigned i = 0; i < c->n_neighbourhoods; i++) {
		if (!name_valid(c->neighbourhoods[i]))
			return ZC_ERR_INVALID;
		for (unsigned j = 0; j < i; j++)
			if (strcmp(c->neighbourhoods[i], c->neighbourhoods[j]) == 0)
				return ZC_ERR_INVALID;
	}
	jbuf_init(&rec, 0);
	rec_city_encode(c, &rec);
	err = store_begin(n->store, true, &txn);
	if (!err) {
		err = store_put(txn, STORE_META, CITY_KEY, strlen(CITY_KEY), jbuf_data(&rec),
				rec.len, false);
		if (err)
			store_abort(txn);
		else
			err = store_commit(txn);
	}
	jbuf_fini(&rec);
	if (err == ZC_OK)
		n->city = *c;
	return err;
}

enum zc_err city_season_put(struct node *n, const struct season *s)
{
	struct store_txn *txn;
	struct jbuf rec;
	int64_t d0, d1;
	size_t idl = strlen(s->id);
	enum zc_err err;

	if (idl < 1 || idl > 32 || !name_valid(s->name) || !time_parse_day(s->starts_on, &d0) ||
	    !time_parse_day(s->ends_on, &d1) || d1 < d0)
		return ZC_ERR_INVALID;
	/* Streaks keep one bit per week of the season. */
	if (time_week_monday(time_iso_week(d1)) - time_week_monday(time_iso_week(d0)) >=
	    7 * GAME_SEASON_WEEKS)
		return ZC_ERR_INVALID;
	for (size_t i = 0; i < idl; i++) {
		char c = s->id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return ZC_ERR_INVALID;
	}
	jbuf_init(&rec, 0);
	rec_season_encode(s, &rec);
	err = store_begin(n->store, true, &txn);
	if (!err) {
		err = store_put(txn, STORE_SEASONS, s->id, idl, jbuf_data(&rec), rec.len, false);
		if (err)
			store_abort(txn);
		else
			err = store_commit(txn);
	}
	jbuf_fini(&rec);
	n->season_day = -1;
	return err;
}

enum zc_err city_season_current(struct node *n, const char *day, struct season *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct season s;
	enum zc_err err = store_begin(n->store, false, &txn), found = ZC_ERR_NOT_FOUND;
	if (err)
		return err;
	err = store_iter_new(txn, STORE_SEASONS, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		/* ISO dates compare correctly as strings. */
		if (rec_season_decode(v, vl, &s) && strcmp(s.starts_on, day) <= 0 &&
		    strcmp(day, s.ends_on) <= 0) {
			*out = s;
			found = ZC_OK;
			break;
		}
	}
	store_iter_free(it);
	store_abort(txn);
	return found;
}

enum zc_err city_seasons_json(struct node *n, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct season s;
	bool first = true;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_SEASONS, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"seasons\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_season_decode(v, vl, &s))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		city_season_json(&s, out);
	}
	jbuf_puts(out, "]}");
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}

enum zc_err city_season_delete(struct node *n, const char *id)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_SEASONS, id, strlen(id));
	if (err) {
		store_abort(txn);
		return err;
	}
	n->season_day = -1;
	return store_commit(txn);
}

int city_neighbourhood_index(const struct node *n, const char *name)
{
	for (unsigned i = 0; name[0] && i < n->city.n_neighbourhoods; i++)
		if (strcmp(n->city.neighbourhoods[i], name) == 0)
			return (int)i;
	return -1;
}

const struct season *city_season_today(struct node *n)
{
	int64_t today = time_local_day(time_now_s());
	if (n->season_day != today) {
		char day[TIME_DAY_LEN];
		time_format_day(today, day);
		n->has_season = city_season_current(n, day, &n->season) == ZC_OK;
		n->season_day = today;
	}
	return n->has_season ? &n->season : NULL;
}

void city_season_json(const struct season *s, struct jbuf *out)
{
	jbuf_putc(out, '{');
	jbuf_json_key(out, "id");
	jbuf_json_str(out, s->id);
	jbuf_json_key(out, "name");
	jbuf_json_str(out, s->name);
	jbuf_json_key(out, "starts_on");
	jbuf_json_str(out, s->starts_on);
	jbuf_json_key(out, "ends_on");
	jbuf_json_str(out, s->ends_on);
	jbuf_putc(out, '}');
}

void city_json(struct node *n, struct jbuf *out)
{
	char today[TIME_DAY_LEN];
	struct season s;
	jbuf_putc(out, '{');
	jbuf_json_key(out, "name");
	jbuf_json_str(out, n->city.name[0] ? n->city.name : NULL);
	jbuf_json_key(out, "population");
	jbuf_json_int(out, n->city.population);
	jbuf_json_key(out, "neighbourhoods");
	jbuf_putc(out, '[');
	for (unsigned i = 0; i < n->city.n_neighbourhoods; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_json_str(out, n->city.neighbourhoods[i]);
	}
	jbuf_putc(out, ']');
	/* The node's own calendar, so that clients offer the dates it accepts
	 * whatever the device's clock or time zone. */
	int64_t day = time_local_day(time_now_s());
	char week[TIME_WEEK_LEN];
	time_format_day(day, today);
	time_format_week(time_iso_week(day), week);
	jbuf_json_key(out, "today");
	jbuf_json_str(out, today);
	jbuf_json_key(out, "week");
	jbuf_json_str(out, week);
	jbuf_json_key(out, "timezone");
	jbuf_json_str(out, n->cfg.timezone);
	jbuf_json_key(out, "season");
	if (city_season_current(n, today, &s) == ZC_OK)
		city_season_json(&s, out);
	else
		jbuf_puts(out, "null");
	jbuf_putc(out, '}');
}

enum zc_err city_load_demo(struct node *n)
{
	/* Demonstration profile: the population is the round figure of the city's
	 * tender; the neighbourhood names are the commonly used district names and
	 * an administrator replaces them with the city's official list. */
	static const char *const quartiers[] = {
	    "Centre-Ville",	"Les Arches",	     "Corentin-Celton",
	    "Les Épinettes",	"Issy Val de Seine", "Île Saint-Germain",
	    "Les Hauts-d'Issy", "Fort d'Issy",	     "La Ferme",
	};
	struct city c;
	struct season s;
	enum zc_err err;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Issy-les-Moulineaux");
	c.population = 70000;
	c.n_neighbourhoods = sizeof(quartiers) / sizeof(quartiers[0]);
	for (unsigned i = 0; i < c.n_neighbourhoods; i++)
		snprintf(c.neighbourhoods[i], sizeof(c.neighbourhoods[i]), "%s", quartiers[i]);
	err = city_save(n, &c);
	if (err)
		return err;
	memset(&s, 0, sizeof(s));
	snprintf(s.id, sizeof(s.id), "2026-2027");
	snprintf(s.name, sizeof(s.name), "Défi Zéro Carbone 2026–2027");
	snprintf(s.starts_on, sizeof(s.starts_on), "2026-09-01");
	snprintf(s.ends_on, sizeof(s.ends_on), "2027-06-30");
	return city_season_put(n, &s);
}
