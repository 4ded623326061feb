/* Participant routes: register, recover, own profile, erase, export. */
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "game.h"
#include "log.h"
#include "nickname.h"
#include "participants.h"

/* Decoded body of POST /participants and PATCH /me. */
struct profile_body {
	char nickname[REC_NICKNAME_BYTES];
	char neighbourhood[REC_NAME_BYTES];
	char lang[8];
	int64_t household_size, weekly_goal;
	bool hidden;
	bool has_nickname, has_neighbourhood, neighbourhood_null, has_household, has_lang,
	    has_hidden, has_goal;
};

static bool decode_profile(struct api_req *r, struct profile_body *b, bool registering)
{
	const struct jdec_field fields[] = {
	    {.name = "nickname",
	     .type = JDEC_STRING,
	     .required = registering,
	     .min_len = 1,
	     .max_len = NICKNAME_MAX,
	     .out = b->nickname,
	     .out_cap = sizeof(b->nickname),
	     .present = &b->has_nickname},
	    {.name = "neighbourhood",
	     .type = JDEC_STRING_NULL,
	     .min_len = 1,
	     .max_len = 32,
	     .out = b->neighbourhood,
	     .out_cap = sizeof(b->neighbourhood),
	     .present = &b->has_neighbourhood,
	     .is_null = &b->neighbourhood_null},
	    {.name = "household_size",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = 20,
	     .out = &b->household_size,
	     .present = &b->has_household},
	    {.name = "lang",
	     .type = JDEC_STRING,
	     .min_len = 2,
	     .max_len = 2,
	     .out = b->lang,
	     .out_cap = sizeof(b->lang),
	     .present = &b->has_lang},
	    {.name = "hidden", .type = JDEC_BOOL, .out = &b->hidden, .present = &b->has_hidden},
	    {.name = "weekly_goal",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = GAME_GOAL_MAX,
	     .out = &b->weekly_goal,
	     .present = &b->has_goal},
	};
	memset(b, 0, sizeof(*b));
	/* `hidden` and `weekly_goal` are profile settings, not registration fields. */
	return api_decode(r, fields, sizeof(fields) / sizeof(fields[0]) - (registering ? 2 : 0));
}

static void to_edit(const struct profile_body *b, struct participant_edit *e)
{
	memset(e, 0, sizeof(*e));
	e->nickname = b->has_nickname ? b->nickname : NULL;
	e->set_neighbourhood = b->has_neighbourhood;
	e->neighbourhood = b->neighbourhood_null ? NULL : b->neighbourhood;
	e->household_size = b->has_household ? (int)b->household_size : 0;
	e->lang = b->has_lang ? b->lang : NULL;
	e->hidden = b->has_hidden ? (b->hidden ? 1 : 0) : -1;
	e->weekly_goal = b->has_goal ? (int)b->weekly_goal : 0;
}

/* Maps a domain outcome to a response; true when it was ZC_OK. */
static bool outcome(struct api_req *r, enum zc_err err, const struct participant_problem *why)
{
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "%s", why->message);
		return false;
	}
	if (err == ZC_ERR_EXISTS) {
		api_error(r, 409, "nickname_taken", "%s", why->message);
		return false;
	}
	return api_store_ok(r, err);
}

static void secrets_reply(struct api_req *r, int status, const struct participant *p,
			  const struct participant_secrets *sec)
{
	char id[SECRETS_ID_HEX];
	secrets_id_hex(p->id, id);
	r->status = status;
	jbuf_putc(r->resp, '{');
	jbuf_json_key(r->resp, "id");
	jbuf_json_str(r->resp, id);
	jbuf_json_key(r->resp, "token");
	jbuf_json_str(r->resp, sec->token);
	jbuf_json_key(r->resp, "recovery_code");
	jbuf_json_str(r->resp, sec->recovery);
	jbuf_json_key(r->resp, "nickname");
	jbuf_json_str(r->resp, p->nickname);
	jbuf_putc(r->resp, '}');
}

void api_register(struct api_req *r)
{
	struct profile_body b;
	struct participant_edit e;
	struct participant p;
	struct participant_secrets sec;
	struct participant_problem why = {0};

	if (!decode_profile(r, &b, true) || !api_rate_limit(r, r->node->register_limit))
		return;
	to_edit(&b, &e);
	if (!outcome(r, participants_register(r->node, &e, &p, &sec, &why), &why))
		return;
	secrets_reply(r, 201, &p, &sec);
	sodium_memzero(&sec, sizeof(sec));
	log_event(LOG_INFO, "participant_registered", "participants=%llu",
		  (unsigned long long)r->node->participants);
}

void api_recover(struct api_req *r)
{
	char code[64];
	struct participant p;
	struct participant_secrets sec;
	const struct jdec_field fields[] = {
	    {.name = "recovery_code",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = code,
	     .out_cap = sizeof(code)},
	};
	if (!api_decode(r, fields, 1) || !api_rate_limit(r, r->node->register_limit))
		return;
	enum zc_err err = participants_recover(r->node, code, &p, &sec);
	sodium_memzero(code, sizeof(code));
	if (err == ZC_ERR_DENIED) {
		api_error(r, 401, "invalid_credentials", "unknown recovery code");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	secrets_reply(r, 200, &p, &sec);
	sodium_memzero(&sec, sizeof(sec));
	log_event(LOG_INFO, "participant_recovered", "%s", "");
}

void api_me_get(struct api_req *r)
{
	r->status = 200;
	participants_profile_json(&r->participant, r->resp);
}

void api_me_patch(struct api_req *r)
{
	struct profile_body b;
	struct participant_edit e;
	struct participant_problem why = {0};
	if (!decode_profile(r, &b, false))
		return;
	to_edit(&b, &e);
	if (!outcome(r, participants_update(r->node, &r->participant, &e, &why), &why))
		return;
	r->status = 200;
	participants_profile_json(&r->participant, r->resp);
}

void api_me_delete(struct api_req *r)
{
	if (!api_store_ok(r, participants_erase(r->node, r->participant.id)))
		return;
	r->status = 204;
	log_event(LOG_INFO, "participant_erased", "participants=%llu",
		  (unsigned long long)r->node->participants);
}

void api_me_export(struct api_req *r)
{
	r->status = 200;
	r->attachment = true;
	participants_export_json(r->node, &r->participant, r->resp);
}
