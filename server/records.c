/* Record encoders and decoders: fixed-width little-endian integers and
 * length-prefixed strings, read back with bounds checks so a damaged row is
 * refused instead of overrunning a buffer. */
#include <string.h>

#include "records.h"

#define FMT_V1 1

struct reader {
	const unsigned char *p;
	size_t left;
	bool ok;
};

static void put_u8(struct jbuf *b, uint8_t v)
{
	jbuf_put(b, &v, 1);
}

static void put_u32(struct jbuf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	jbuf_put(b, x, 4);
}

static void put_i64(struct jbuf *b, int64_t sv)
{
	uint64_t v = (uint64_t)sv;
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	jbuf_put(b, x, 8);
}

static void put_str(struct jbuf *b, const char *s)
{
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	jbuf_put(b, s, n);
}

static const unsigned char *take(struct reader *r, size_t n)
{
	if (!r->ok || r->left < n) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static uint8_t get_u8(struct reader *r)
{
	const unsigned char *p = take(r, 1);
	return p ? p[0] : 0;
}

static uint32_t get_u32(struct reader *r)
{
	const unsigned char *p = take(r, 4);
	return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24
		 : 0;
}

static int64_t get_i64(struct reader *r)
{
	const unsigned char *p = take(r, 8);
	uint64_t v = 0;
	if (!p)
		return 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return (int64_t)v;
}

static void get_str(struct reader *r, char *out, size_t cap)
{
	uint32_t n = get_u32(r);
	const unsigned char *p;
	if (!r->ok || n >= cap || memchr(r->p, 0, n < r->left ? n : r->left)) {
		r->ok = false;
		out[0] = '\0';
		return;
	}
	p = take(r, n);
	if (!p) {
		out[0] = '\0';
		return;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

static void get_bytes(struct reader *r, void *out, size_t n)
{
	const unsigned char *p = take(r, n);
	if (p)
		memcpy(out, p, n);
}

static bool start(struct reader *r, const void *buf, size_t len)
{
	r->p = buf;
	r->left = len;
	r->ok = true;
	return get_u8(r) == FMT_V1;
}

static bool finish(const struct reader *r)
{
	return r->ok && r->left == 0;
}

void rec_participant_encode(const struct participant *p, struct jbuf *out)
{
	jbuf_reset(out);
	put_u8(out, FMT_V1);
	jbuf_put(out, p->id, sizeof(p->id));
	put_i64(out, p->created_at);
	put_u8(out, p->household_size);
	put_u8(out, p->hidden ? 1 : 0);
	put_str(out, p->lang);
	put_str(out, p->nickname);
	put_str(out, p->neighbourhood);
	jbuf_put(out, p->token_hash, sizeof(p->token_hash));
	jbuf_put(out, p->recovery_hash, sizeof(p->recovery_hash));
}

bool rec_participant_decode(const void *buf, size_t len, struct participant *p)
{
	struct reader r;
	memset(p, 0, sizeof(*p));
	if (!start(&r, buf, len))
		return false;
	get_bytes(&r, p->id, sizeof(p->id));
	p->created_at = get_i64(&r);
	p->household_size = get_u8(&r);
	p->hidden = get_u8(&r) != 0;
	get_str(&r, p->lang, sizeof(p->lang));
	get_str(&r, p->nickname, sizeof(p->nickname));
	get_str(&r, p->neighbourhood, sizeof(p->neighbourhood));
	get_bytes(&r, p->token_hash, sizeof(p->token_hash));
	get_bytes(&r, p->recovery_hash, sizeof(p->recovery_hash));
	return finish(&r);
}

void rec_admin_encode(const struct admin_account *a, struct jbuf *out)
{
	jbuf_reset(out);
	put_u8(out, FMT_V1);
	put_str(out, a->username);
	put_u8(out, (uint8_t)a->role);
	put_i64(out, a->created_at);
	put_str(out, a->pwhash);
}

bool rec_admin_decode(const void *buf, size_t len, struct admin_account *a)
{
	struct reader r;
	memset(a, 0, sizeof(*a));
	if (!start(&r, buf, len))
		return false;
	get_str(&r, a->username, sizeof(a->username));
	a->role = (enum rec_role)get_u8(&r);
	a->created_at = get_i64(&r);
	get_str(&r, a->pwhash, sizeof(a->pwhash));
	return finish(&r) && rec_role_name(a->role) != NULL;
}

void rec_session_encode(const struct admin_session *s, struct jbuf *out)
{
	jbuf_reset(out);
	put_u8(out, FMT_V1);
	put_str(out, s->username);
	put_u8(out, (uint8_t)s->role);
	put_i64(out, s->expires_at);
}

bool rec_session_decode(const void *buf, size_t len, struct admin_session *s)
{
	struct reader r;
	memset(s, 0, sizeof(*s));
	if (!start(&r, buf, len))
		return false;
	get_str(&r, s->username, sizeof(s->username));
	s->role = (enum rec_role)get_u8(&r);
	s->expires_at = get_i64(&r);
	return finish(&r) && rec_role_name(s->role) != NULL;
}

void rec_city_encode(const struct city *c, struct jbuf *out)
{
	jbuf_reset(out);
	put_u8(out, FMT_V1);
	put_str(out, c->name);
	put_u32(out, c->population);
	put_u32(out, c->n_neighbourhoods);
	for (unsigned i = 0; i < c->n_neighbourhoods; i++)
		put_str(out, c->neighbourhoods[i]);
}

bool rec_city_decode(const void *buf, size_t len, struct city *c)
{
	struct reader r;
	memset(c, 0, sizeof(*c));
	if (!start(&r, buf, len))
		return false;
	get_str(&r, c->name, sizeof(c->name));
	c->population = get_u32(&r);
	c->n_neighbourhoods = get_u32(&r);
	if (c->n_neighbourhoods > REC_MAX_NEIGHBOURHOODS)
		return false;
	for (unsigned i = 0; i < c->n_neighbourhoods; i++)
		get_str(&r, c->neighbourhoods[i], sizeof(c->neighbourhoods[i]));
	return finish(&r);
}

void rec_season_encode(const struct season *s, struct jbuf *out)
{
	jbuf_reset(out);
	put_u8(out, FMT_V1);
	put_str(out, s->id);
	put_str(out, s->name);
	put_str(out, s->starts_on);
	put_str(out, s->ends_on);
}

bool rec_season_decode(const void *buf, size_t len, struct season *s)
{
	struct reader r;
	memset(s, 0, sizeof(*s));
	if (!start(&r, buf, len))
		return false;
	get_str(&r, s->id, sizeof(s->id));
	get_str(&r, s->name, sizeof(s->name));
	get_str(&r, s->starts_on, sizeof(s->starts_on));
	get_str(&r, s->ends_on, sizeof(s->ends_on));
	return finish(&r);
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
