/* Weigh-ins are stored per stream so a household may weigh the bins it has,
 * and a week's total counts only what was weighed. Figures shown per person
 * use the household size recorded with the week, so a change of household
 * does not rewrite the past. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkins.h"
#include "city.h"
#include "node.h"
#include "store.h"
#include "timeutil.h"
#include "utf8.h"
#include "waste.h"

const char *const waste_streams[REC_WASTE_STREAMS] = {"residual", "recyclables", "glass",
						      "biowaste"};

static uint64_t per_person(const struct waste_week *w)
{
	return w->total_g / (w->household_size ? w->household_size : 1);
}

void waste_summary(const struct waste_week *weeks, size_t n, struct waste_summary *out)
{
	uint64_t sum = 0;
	memset(out, 0, sizeof(*out));
	if (n >= WASTE_BASELINE_WEEKS) {
		for (size_t i = 0; i < WASTE_BASELINE_WEEKS; i++)
			sum += per_person(&weeks[i]);
		out->has_baseline = true;
		out->baseline_per_person_g = (uint32_t)(sum / WASTE_BASELINE_WEEKS);
	}
	if (out->has_baseline && out->baseline_per_person_g > 0 && n > WASTE_BASELINE_WEEKS) {
		/* The most recent weeks after the baseline, at most three. */
		size_t after = n - WASTE_BASELINE_WEEKS;
		size_t k = after < WASTE_RECENT_WEEKS ? after : WASTE_RECENT_WEEKS;
		sum = 0;
		for (size_t i = n - k; i < n; i++)
			sum += per_person(&weeks[i]);
		int64_t recent = (int64_t)(sum / k), base = out->baseline_per_person_g;
		out->has_change = true;
		/* Rounded to the nearest percent, halves away from zero. */
		int64_t num = (recent - base) * 100;
		out->change_pct = (int32_t)((num >= 0 ? num + base / 2 : num - base / 2) / base);
	}
	if (n >= 1) {
		size_t k = n < WASTE_PROJECTION_WEEKS ? n : WASTE_PROJECTION_WEEKS;
		sum = 0;
		for (size_t i = n - k; i < n; i++)
			sum += per_person(&weeks[i]);
		out->has_projection = true;
		out->per_person_year_kg = (uint32_t)((sum * 52 / k + 500) / 1000);
	}
}

/* Whether an ISO week shares a day with the season. */
static bool week_in_season(const struct season *s, uint32_t week)
{
	int64_t start, end, mon = time_week_monday(week);
	if (!s || !time_parse_day(s->starts_on, &start) || !time_parse_day(s->ends_on, &end))
		return false;
	return mon + 6 >= start && mon <= end;
}

enum zc_err waste_record(struct node *n, const unsigned char *pid, uint32_t week,
			 const uint32_t streams[REC_WASTE_STREAMS], bool *created, const char **why,
			 const char **code)
{
	unsigned char key[REC_KEY_MAX];
	size_t kl = rec_key_id_u32(pid, week, key);
	struct store_txn *txn;
	struct rec_waste w;
	struct participant p;
	const void *v;
	size_t vl;
	bool any = false;
	struct jbuf rec;
	enum zc_err err;

	*code = "invalid_field";
	for (int i = 0; i < REC_WASTE_STREAMS; i++) {
		if (streams[i] == REC_NO_WEIGHT)
			continue;
		any = true;
		if (streams[i] > WASTE_STREAM_MAX_G) {
			*why = "a stream is over 100000 g (100 kg) for one week";
			return ZC_ERR_INVALID;
		}
	}
	if (!any) {
		*why = "weigh at least one stream";
		return ZC_ERR_INVALID;
	}
	if (week > time_iso_week(time_local_day(time_now_s()))) {
		*why = "the week is after the current week";
		*code = "date_in_future";
		return ZC_ERR_INVALID;
	}
	if (!week_in_season(city_season_today(n), week)) {
		*why = "the week is outside the current season";
		*code = "outside_season";
		return ZC_ERR_INVALID;
	}
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_PARTICIPANTS, pid, SECRETS_ID_BYTES, &v, &vl);
	if (err == ZC_OK && !rec_participant_decode(v, vl, &p))
		err = ZC_ERR_STORE;
	if (err)
		goto fail;
	err = store_get(txn, STORE_WASTE, key, kl, &v, &vl);
	*created = err == ZC_ERR_NOT_FOUND;
	if (*created) {
		memset(&w, 0, sizeof(w));
		for (int i = 0; i < REC_WASTE_STREAMS; i++)
			w.stream_g[i] = REC_NO_WEIGHT;
		w.household_size = p.household_size;
	} else if (err || !rec_waste_decode(v, vl, &w)) {
		err = err ? err : ZC_ERR_STORE;
		goto fail;
	}
	bool edit = false;
	for (int i = 0; i < REC_WASTE_STREAMS; i++) {
		if (streams[i] == REC_NO_WEIGHT)
			continue;
		if (w.stream_g[i] != REC_NO_WEIGHT)
			edit = true; /* a stream weighed twice: the second replaces it */
		w.stream_g[i] = streams[i];
	}
	if (edit)
		w.edits++;
	w.updated_at = time_now_s();
	jbuf_init(&rec, 0);
	rec_waste_encode(&w, &rec);
	err = store_put(txn, STORE_WASTE, key, kl, jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	if (!err && *created)
		err = checkins_progress_event(n, txn, pid, PROGRESS_WEIGHED_WEEK);
	if (err)
		goto fail;
	return store_commit(txn);
fail:
	store_abort(txn);
	return err;
}

static uint32_t total_of(const struct rec_waste *w)
{
	uint32_t t = 0;
	for (int i = 0; i < REC_WASTE_STREAMS; i++)
		if (w->stream_g[i] != REC_NO_WEIGHT)
			t += w->stream_g[i];
	return t;
}

static void week_object(uint32_t week, const struct rec_waste *w, struct jbuf *out)
{
	char wk[TIME_WEEK_LEN], at[TIME_RFC3339_LEN];
	uint32_t total = total_of(w);
	time_format_week(week, wk);
	time_rfc3339(w->updated_at, at);
	jbuf_puts(out, "{\"week\":");
	jbuf_json_str(out, wk);
	for (int i = 0; i < REC_WASTE_STREAMS; i++) {
		char key[32];
		snprintf(key, sizeof(key), "%s_g", waste_streams[i]);
		jbuf_json_key(out, key);
		if (w->stream_g[i] == REC_NO_WEIGHT)
			jbuf_puts(out, "null");
		else
			jbuf_json_int(out, w->stream_g[i]);
	}
	jbuf_json_key(out, "total_g");
	jbuf_json_int(out, total);
	jbuf_json_key(out, "household_size");
	jbuf_json_int(out, w->household_size);
	jbuf_json_key(out, "per_person_g");
	jbuf_json_int(out, total / w->household_size);
	jbuf_json_key(out, "edits");
	jbuf_json_int(out, w->edits);
	jbuf_json_key(out, "updated_at");
	jbuf_json_str(out, at);
	jbuf_putc(out, '}');
}

enum zc_err waste_week_json(struct node *n, const unsigned char *pid, uint32_t week,
			    struct jbuf *out)
{
	unsigned char key[REC_KEY_MAX];
	size_t kl = rec_key_id_u32(pid, week, key);
	struct store_txn *txn;
	struct rec_waste w;
	const void *v;
	size_t vl;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_WASTE, key, kl, &v, &vl);
	if (err == ZC_OK && !rec_waste_decode(v, vl, &w))
		err = ZC_ERR_STORE;
	if (err == ZC_OK)
		week_object(week, &w, out);
	store_abort(txn);
	return err;
}

enum zc_err waste_json(struct node *n, const unsigned char *pid, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, count = 0, cap = 0;
	struct waste_week *weeks = NULL;
	struct rec_waste w;
	struct waste_summary s;
	const struct season *season = city_season_today(n);
	bool listed = false;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_WASTE, pid, SECRETS_ID_BYTES, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"weeks\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl != SECRETS_ID_BYTES + 4 || memcmp(k, pid, SECRETS_ID_BYTES) != 0)
			break;
		if (!rec_waste_decode(v, vl, &w))
			continue;
		uint32_t week =
		    (uint32_t)rec_key_be((const unsigned char *)k + SECRETS_ID_BYTES, 4);
		if (listed)
			jbuf_putc(out, ',');
		listed = true;
		week_object(week, &w, out);
		/* The baseline and change are about this season's effort. */
		if (!week_in_season(season, week))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 32;
			struct waste_week *grown = realloc(weeks, cap * sizeof(*weeks));
			if (!grown)
				abort();
			weeks = grown;
		}
		weeks[count++] = (struct waste_week){week, total_of(&w), w.household_size};
	}
	store_iter_free(it);
	store_abort(txn);
	waste_summary(weeks, count, &s);
	jbuf_puts(out, "],\"baseline\":");
	if (s.has_baseline) {
		jbuf_puts(out, "{\"weeks\":[");
		for (size_t i = 0; i < WASTE_BASELINE_WEEKS; i++) {
			char wk[TIME_WEEK_LEN];
			time_format_week(weeks[i].week, wk);
			if (i)
				jbuf_putc(out, ',');
			jbuf_json_str(out, wk);
		}
		jbuf_puts(out, "],\"per_person_week_g\":");
		jbuf_json_int(out, s.baseline_per_person_g);
		jbuf_putc(out, '}');
	} else {
		jbuf_puts(out, "null");
	}
	jbuf_puts(out, ",\"change_pct\":");
	if (s.has_change)
		jbuf_json_int(out, s.change_pct);
	else
		jbuf_puts(out, "null");
	jbuf_puts(out, ",\"per_person_year_kg\":");
	if (s.has_projection)
		jbuf_json_int(out, s.per_person_year_kg);
	else
		jbuf_puts(out, "null");
	jbuf_putc(out, ',');
	free(weeks);
	/* The references, as GET /waste/references gives them, minus the braces. */
	struct jbuf refs;
	jbuf_init(&refs, 0);
	err = waste_references_json(n, &refs);
	if (!err)
		jbuf_put(out, jbuf_data(&refs) + 1, refs.len - 1);
	jbuf_fini(&refs);
	return err;
}

enum zc_err waste_erase(struct store_txn *txn, const unsigned char *pid)
{
	return store_del_prefix(txn, STORE_WASTE, pid, SECRETS_ID_BYTES, NULL);
}

/* ---- reference figures ---- */

static void reference_json(const struct rec_reference *r, struct jbuf *out)
{
	jbuf_puts(out, "{\"id\":");
	jbuf_json_str(out, r->id);
	jbuf_puts(out, ",\"label\":{\"fr\":");
	jbuf_json_str(out, r->label_fr);
	jbuf_puts(out, ",\"en\":");
	jbuf_json_str(out, r->label_en);
	jbuf_puts(out, "},\"kg_per_person_year\":");
	jbuf_json_int(out, r->kg_per_person_year);
	jbuf_json_key(out, "stream");
	jbuf_json_str(out, r->stream ? "residual" : "all");
	jbuf_json_key(out, "year");
	jbuf_json_int(out, r->year);
	jbuf_json_key(out, "source");
	jbuf_json_str(out, r->source);
	jbuf_putc(out, '}');
}

enum zc_err waste_references_json(struct node *n, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct rec_reference r;
	bool first = true;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_REFERENCES, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"references\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_reference_decode(v, vl, &r))
			continue;
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		reference_json(&r, out);
	}
	jbuf_puts(out, "]}");
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}

static enum zc_err put_reference(struct store_txn *txn, const struct rec_reference *r)
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_reference_encode(r, &rec);
	enum zc_err err =
	    store_put(txn, STORE_REFERENCES, r->id, strlen(r->id), jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	return err;
}

enum zc_err waste_reference_put(struct node *n, const struct rec_reference *r, const char **why)
{
	struct store_txn *txn;
	size_t idl = strlen(r->id);
	if (idl < 1 || idl > 32 || strspn(r->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != idl) {
		*why = "id must be 1 to 32 of a-z 0-9 -";
		return ZC_ERR_INVALID;
	}
	if (!utf8_text_ok(r->label_fr, 40, false) || !utf8_text_ok(r->label_en, 40, false) ||
	    !utf8_text_ok(r->source, 300, false)) {
		*why = "labels must be 1 to 40 characters and the source 1 to 300, not blank, "
		       "without control characters";
		return ZC_ERR_INVALID;
	}
	if (r->kg_per_person_year < 1 || r->kg_per_person_year > 5000 || r->year < 1990 ||
	    r->year > 2100 || r->stream > 1) {
		*why = "kg_per_person_year must be 1 to 5000 and year 1990 to 2100";
		return ZC_ERR_INVALID;
	}
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = put_reference(txn, r);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err waste_reference_delete(struct node *n, const char *id)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_REFERENCES, id, strlen(id));
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

/* The figures the design names, checked against their sources (see
 * docs/challenge.md): Insee's 2021 figures, and ADEME's MODECOM 2017 figure
 * for residual waste that the design quotes. */
static const struct rec_reference defaults[] = {
    {"france-dma", "France, déchets ménagers", "France, household waste", 615, 0, 2021,
     "Insee Première n° 2055 (juin 2025) : déchets ménagers et assimilés collectés par le "
     "service public, 615 kg par habitant en 2021 (ADEME, collecte 2021 : 611 kg)."},
    {"idf-dma", "Île-de-France, déchets ménagers", "Île-de-France, household waste", 452, 0, 2021,
     "Insee Analyses Île-de-France n° 203 (juin 2025) : déchets ménagers et assimilés, "
     "452 kg par habitant en 2021."},
    {"france-omr-2021", "France, ordures résiduelles", "France, residual waste", 245, 1, 2021,
     "Insee Première n° 2055 (juin 2025) : ordures ménagères résiduelles, 245 kg par "
     "habitant en 2021."},
    {"france-omr-2017", "France, résiduel (2017)", "France, residual (2017)", 254, 1, 2017,
     "ADEME, campagne MODECOM 2017 de caractérisation des ordures ménagères résiduelles : "
     "254 kg par habitant."},
};

enum zc_err waste_references_seed(struct store_txn *txn)
{
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		const void *v;
		size_t vl;
		const struct rec_reference *r = &defaults[i];
		if (store_get(txn, STORE_REFERENCES, r->id, strlen(r->id), &v, &vl) == ZC_OK)
			continue;
		enum zc_err err = put_reference(txn, r);
		if (err)
			return err;
	}
	return ZC_OK;
}
