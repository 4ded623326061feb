/* Encoders and decoders of the identity records: participants, staff accounts
 * and sessions, the city profile and seasons (primitives in recio.c). */
#include <string.h>

#include "game.h"
#include "records.h"
#include "recio.h"

void rec_participant_encode(const struct participant *p, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	jbuf_put(out, p->id, sizeof(p->id));
	recio_put_i64(out, p->created_at);
	recio_put_u8(out, p->household_size);
	recio_put_u8(out, p->hidden ? 1 : 0);
	recio_put_str(out, p->lang);
	recio_put_str(out, p->nickname);
	recio_put_str(out, p->neighbourhood);
	jbuf_put(out, p->token_hash, sizeof(p->token_hash));
	jbuf_put(out, p->recovery_hash, sizeof(p->recovery_hash));
	recio_put_u8(out, p->weekly_goal);
}

bool rec_participant_decode(const void *buf, size_t len, struct participant *p)
{
	struct recio_reader r;
	memset(p, 0, sizeof(*p));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_bytes(&r, p->id, sizeof(p->id));
	p->created_at = recio_get_i64(&r);
	p->household_size = recio_get_u8(&r);
	p->hidden = recio_get_u8(&r) != 0;
	recio_get_str(&r, p->lang, sizeof(p->lang));
	recio_get_str(&r, p->nickname, sizeof(p->nickname));
	recio_get_str(&r, p->neighbourhood, sizeof(p->neighbourhood));
	recio_get_bytes(&r, p->token_hash, sizeof(p->token_hash));
	recio_get_bytes(&r, p->recovery_hash, sizeof(p->recovery_hash));
	/* Rows written before the weekly goal existed end here. */
	p->weekly_goal = r.ok && r.left ? recio_get_u8(&r) : GAME_GOAL_DEFAULT;
	return recio_finish(&r) && p->weekly_goal >= 1 && p->weekly_goal <= GAME_GOAL_MAX;
}

void rec_admin_encode(const struct admin_account *a, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, a->username);
	recio_put_u8(out, (uint8_t)a->role);
	recio_put_i64(out, a->created_at);
	recio_put_str(out, a->pwhash);
}

bool rec_admin_decode(const void *buf, size_t len, struct admin_account *a)
{
	struct recio_reader r;
	memset(a, 0, sizeof(*a));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, a->username, sizeof(a->username));
	a->role = (enum rec_role)recio_get_u8(&r);
	a->created_at = recio_get_i64(&r);
	recio_get_str(&r, a->pwhash, sizeof(a->pwhash));
	return recio_finish(&r) && rec_role_name(a->role) != NULL;
}

void rec_session_encode(const struct admin_session *s, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, s->username);
	recio_put_u8(out, (uint8_t)s->role);
	recio_put_i64(out, s->expires_at);
}

bool rec_session_decode(const void *buf, size_t len, struct admin_session *s)
{
	struct recio_reader r;
	memset(s, 0, sizeof(*s));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, s->username, sizeof(s->username));
	s->role = (enum rec_role)recio_get_u8(&r);
	s->expires_at = recio_get_i64(&r);
	return recio_finish(&r) && rec_role_name(s->role) != NULL;
}

void rec_city_encode(const struct city *c, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, c->name);
	recio_put_u32(out, c->population);
	recio_put_u32(out, c->n_neighbourhoods);
	for (unsigned i = 0; i < c->n_neighbourhoods; i++)
		recio_put_str(out, c->neighbourhoods[i]);
}

bool rec_city_decode(const void *buf, size_t len, struct city *c)
{
	struct recio_reader r;
	memset(c, 0, sizeof(*c));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, c->name, sizeof(c->name));
	c->population = recio_get_u32(&r);
	c->n_neighbourhoods = recio_get_u32(&r);
	if (c->n_neighbourhoods > REC_MAX_NEIGHBOURHOODS)
		return false;
	for (unsigned i = 0; i < c->n_neighbourhoods; i++)
		recio_get_str(&r, c->neighbourhoods[i], sizeof(c->neighbourhoods[i]));
	return recio_finish(&r);
}

void rec_season_encode(const struct season *s, struct jbuf *out)
{
	jbuf_reset(out);
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_str(out, s->id);
	recio_put_str(out, s->name);
	recio_put_str(out, s->starts_on);
	recio_put_str(out, s->ends_on);
}

bool rec_season_decode(const void *buf, size_t len, struct season *s)
{
	struct recio_reader r;
	memset(s, 0, sizeof(*s));
	if (!recio_start(&r, buf, len))
		return false;
	recio_get_str(&r, s->id, sizeof(s->id));
	recio_get_str(&r, s->name, sizeof(s->name));
	recio_get_str(&r, s->starts_on, sizeof(s->starts_on));
	recio_get_str(&r, s->ends_on, sizeof(s->ends_on));
	return recio_finish(&r);
}

const char *rec_role_name(enum rec_role role)
{
	switch (role) {
	case ROLE_ADMIN:
		return "admin";
	case ROLE_ANIMATOR:
		return "animator";
	case ROLE_MODERATOR:
		return "moderator";
	}
	return NULL;
}

bool rec_role_parse(const char *name, enum rec_role *out)
{
	static const enum rec_role roles[] = {ROLE_ADMIN, ROLE_ANIMATOR, ROLE_MODERATOR};
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(name, rec_role_name(roles[i])) == 0) {
			*out = roles[i];
			return true;
		}
	}
	return false;
}
