/* Challenge records. Counters are stored at full width (u64 for season
 * totals) so no realistic season can overflow them. */
#include <string.h>

#include "recio.h"
#include "records_challenge.h"

void rec_action_encode(const struct rec_action *a, const char *const text[7], struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, a->id);
	recio_put_u16(out, a->num);
	recio_put_u8(out, a->category);
	recio_put_u8(out, a->frequency);
	recio_put_u32(out, a->co2e_g);
	recio_put_u32(out, a->waste_g);
	recio_put_u16(out, a->points);
	recio_put_u8(out, a->retired ? 1 : 0);
	recio_put_i64(out, a->updated_at);
	for (int i = 0; i < 7; i++)
		recio_put_str(out, text[i]);
}

bool rec_action_decode(const void *buf, size_t len, struct rec_action *a)
{
	struct recio_reader r;
	memset(a, 0, sizeof(*a));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, a->id, sizeof(a->id));
	a->num = recio_get_u16(&r);
	a->category = recio_get_u8(&r);
	a->frequency = recio_get_u8(&r);
	a->co2e_g = recio_get_u32(&r);
	a->waste_g = recio_get_u32(&r);
	a->points = recio_get_u16(&r);
	a->retired = recio_get_u8(&r) != 0;
	a->updated_at = recio_get_i64(&r);
	for (int i = 0; i < 7; i++)
		a->text[i].s = recio_get_strview(&r, REC_ACTION_TEXT_MAX, &a->text[i].n);
	return recio_finish(&r);
}

void rec_progress_encode(const struct rec_progress *p, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, p->season);
	recio_put_i64(out, (int64_t)p->points);
	recio_put_i64(out, (int64_t)p->co2e_g);
	recio_put_i64(out, (int64_t)p->waste_g);
	recio_put_u32(out, p->checkins);
	recio_put_i64(out, (int64_t)p->active_weeks);
	recio_put_u16(out, p->best_streak);
	recio_put_u16(out, p->goals_met);
	recio_put_u32(out, p->weighed_weeks);
	recio_put_u8(out, p->categories);
	for (int i = 0; i < GAME_CATEGORIES; i++)
		recio_put_u16(out, p->cat_checkins[i]);
	recio_put_u32(out, p->badges);
	recio_put_u8(out, BADGE__COUNT);
	for (int i = 0; i < BADGE__COUNT; i++)
		recio_put_i64(out, p->badge_at[i]);
	recio_put_u8(out, (uint8_t)((p->footprint ? 1 : 0) | (p->team ? 2 : 0)));
}

bool rec_progress_decode(const void *buf, size_t len, struct rec_progress *p)
{
	struct recio_reader r;
	memset(p, 0, sizeof(*p));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, p->season, sizeof(p->season));
	p->points = (uint64_t)recio_get_i64(&r);
	p->co2e_g = (uint64_t)recio_get_i64(&r);
	p->waste_g = (uint64_t)recio_get_i64(&r);
	p->checkins = recio_get_u32(&r);
	p->active_weeks = (uint64_t)recio_get_i64(&r);
	p->best_streak = recio_get_u16(&r);
	p->goals_met = recio_get_u16(&r);
	p->weighed_weeks = recio_get_u32(&r);
	p->categories = recio_get_u8(&r);
	for (int i = 0; i < GAME_CATEGORIES; i++)
		p->cat_checkins[i] = recio_get_u16(&r);
	p->badges = recio_get_u32(&r);
	/* Rows written before a badge was added hold fewer times: read what is
	 * there, the newer badges start unearned. */
	unsigned nb = recio_get_u8(&r);
	for (unsigned i = 0; i < nb; i++) {
		int64_t at = recio_get_i64(&r);
		if (i < BADGE__COUNT)
			p->badge_at[i] = at;
	}
	uint8_t flags = recio_get_u8(&r);
	p->footprint = flags & 1;
	p->team = flags & 2;
	return recio_finish(&r);
}

void rec_week_encode(const struct game_week *w, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_u32(out, w->checkins);
	recio_put_u32(out, w->points);
	recio_put_u32(out, w->co2e_g);
	recio_put_u32(out, w->waste_g);
	recio_put_u8(out, w->goal_met ? 1 : 0);
}

bool rec_week_decode(const void *buf, size_t len, struct game_week *w)
{
	struct recio_reader r;
	memset(w, 0, sizeof(*w));
	if (!recio_start(&r, buf, len))
		return false;
	w->checkins = recio_get_u32(&r);
	w->points = recio_get_u32(&r);
	w->co2e_g = recio_get_u32(&r);
	w->waste_g = recio_get_u32(&r);
	w->goal_met = recio_get_u8(&r) != 0;
	return recio_finish(&r);
}

void rec_checkin_encode(const struct rec_checkin *c, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_u32(out, (uint32_t)c->day);
	recio_put_i64(out, c->at);
	recio_put_u32(out, c->points);
	recio_put_u32(out, c->co2e_g);
	recio_put_u32(out, c->waste_g);
	recio_put_u8(out, c->capped ? 1 : 0);
}

bool rec_checkin_decode(const void *buf, size_t len, struct rec_checkin *c)
{
	struct recio_reader r;
	memset(c, 0, sizeof(*c));
	if (!recio_start(&r, buf, len))
		return false;
	c->day = (int32_t)recio_get_u32(&r);
	c->at = recio_get_i64(&r);
	c->points = recio_get_u32(&r);
	c->co2e_g = recio_get_u32(&r);
	c->waste_g = recio_get_u32(&r);
	c->capped = recio_get_u8(&r) != 0;
	return recio_finish(&r);
}

void rec_footprint_encode(const struct rec_footprint *f, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_i64(out, f->at_us);
	recio_put_str(out, f->model_version);
	recio_put_i64(out, (int64_t)f->total_g);
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++)
		recio_put_i64(out, (int64_t)f->cat_g[i]);
}

bool rec_footprint_decode(const void *buf, size_t len, struct rec_footprint *f)
{
	struct recio_reader r;
	memset(f, 0, sizeof(*f));
	if (!recio_start(&r, buf, len))
		return false;
	f->at_us = recio_get_i64(&r);
	recio_get_str(&r, f->model_version, sizeof(f->model_version));
	f->total_g = (uint64_t)recio_get_i64(&r);
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++)
		f->cat_g[i] = (uint64_t)recio_get_i64(&r);
	return recio_finish(&r);
}

void rec_waste_encode(const struct rec_waste *w, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	for (int i = 0; i < REC_WASTE_STREAMS; i++)
		recio_put_u32(out, w->stream_g[i]);
	recio_put_u8(out, w->household_size);
	recio_put_u16(out, w->edits);
	recio_put_i64(out, w->updated_at);
}

bool rec_waste_decode(const void *buf, size_t len, struct rec_waste *w)
{
	struct recio_reader r;
	memset(w, 0, sizeof(*w));
	if (!recio_start(&r, buf, len))
		return false;
	for (int i = 0; i < REC_WASTE_STREAMS; i++)
		w->stream_g[i] = recio_get_u32(&r);
	w->household_size = recio_get_u8(&r);
	w->edits = recio_get_u16(&r);
	w->updated_at = recio_get_i64(&r);
	return recio_finish(&r) && w->household_size >= 1;
}

void rec_team_encode(const struct rec_team *t, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	jbuf_put(out, t->id, sizeof(t->id));
	recio_put_str(out, t->name);
	recio_put_u8(out, t->kind);
	jbuf_put(out, t->captain, sizeof(t->captain));
	jbuf_put(out, t->invite_box, sizeof(t->invite_box));
	recio_put_i64(out, t->created_at);
}

bool rec_team_decode(const void *buf, size_t len, struct rec_team *t)
{
	struct recio_reader r;
	memset(t, 0, sizeof(*t));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_bytes(&r, t->id, sizeof(t->id));
	recio_get_str(&r, t->name, sizeof(t->name));
	t->kind = recio_get_u8(&r);
	recio_get_bytes(&r, t->captain, sizeof(t->captain));
	recio_get_bytes(&r, t->invite_box, sizeof(t->invite_box));
	t->created_at = recio_get_i64(&r);
	return recio_finish(&r) && t->kind < 3;
}

void rec_reference_encode(const struct rec_reference *x, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, x->id);
	recio_put_str(out, x->label_fr);
	recio_put_str(out, x->label_en);
	recio_put_u32(out, x->kg_per_person_year);
	recio_put_u8(out, x->stream);
	recio_put_u16(out, x->year);
	recio_put_str(out, x->source);
}

bool rec_reference_decode(const void *buf, size_t len, struct rec_reference *x)
{
	struct recio_reader r;
	memset(x, 0, sizeof(*x));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, x->id, sizeof(x->id));
	recio_get_str(&r, x->label_fr, sizeof(x->label_fr));
	recio_get_str(&r, x->label_en, sizeof(x->label_en));
	x->kg_per_person_year = recio_get_u32(&r);
	x->stream = recio_get_u8(&r);
	x->year = recio_get_u16(&r);
	recio_get_str(&r, x->source, sizeof(x->source));
	return recio_finish(&r) && x->stream < 2;
}

static void put_be(unsigned char *p, uint64_t v, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

uint64_t rec_key_be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

size_t rec_key_id_u32(const unsigned char *id, uint32_t v, unsigned char out[REC_KEY_MAX])
{
	memcpy(out, id, SECRETS_ID_BYTES);
	put_be(out + SECRETS_ID_BYTES, v, 4);
	return SECRETS_ID_BYTES + 4;
}

size_t rec_key_checkin(const unsigned char *id, uint16_t action, uint32_t period,
		       unsigned char out[REC_KEY_MAX])
{
	memcpy(out, id, SECRETS_ID_BYTES);
	put_be(out + SECRETS_ID_BYTES, action, 2);
	put_be(out + SECRETS_ID_BYTES + 2, period, 4);
	return SECRETS_ID_BYTES + 6;
}

size_t rec_key_id_u16(const unsigned char *id, uint16_t v, unsigned char out[REC_KEY_MAX])
{
	memcpy(out, id, SECRETS_ID_BYTES);
	put_be(out + SECRETS_ID_BYTES, v, 2);
	return SECRETS_ID_BYTES + 2;
}

size_t rec_key_id_i64(const unsigned char *id, int64_t v, unsigned char out[REC_KEY_MAX])
{
	memcpy(out, id, SECRETS_ID_BYTES);
	/* Offset so that negative times would still sort before positive ones. */
	put_be(out + SECRETS_ID_BYTES, (uint64_t)v ^ (1ull << 63), 8);
	return SECRETS_ID_BYTES + 8;
}
