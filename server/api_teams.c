/* Team routes. Refusals come back from teams.c with their status and code;
 * joins are rate-limited per participant so invite codes cannot be guessed. */
#include <stdlib.h>
#include <string.h>

#include "admins.h"
#include "api.h"
#include "participants.h"
#include "ratelimit.h"
#include "teams.h"
#include "timeutil.h"

/* The "name" member of a team body, in the buffer `buf` (an array). */
#define TEAM_NAME_FIELD(buf)                                                                       \
	{                                                                                          \
		.name = "name", .type = JDEC_STRING, .required = true, .min_len = 1,               \
		.max_len = TEAM_NAME_MAX, .out = (buf), .out_cap = sizeof(buf)                     \
	}

static bool team_ok(struct api_req *r, enum zc_err err, const struct team_problem *why)
{
	if (err == ZC_ERR_INVALID) {
		api_error(r, why->status, why->code, "%s", why->message);
		return false;
	}
	return api_store_ok(r, err);
}

/* The {} of a /teams/{}/… route as a team id; 404 when it cannot be one. */
static bool team_param(struct api_req *r, unsigned char team[REC_TEAM_ID_BYTES])
{
	if (teams_id_parse(r->param, team))
		return true;
	api_error(r, 404, "not_found", "no such team");
	return false;
}

static void reply_team(struct api_req *r, int status, const unsigned char *team)
{
	jbuf_reset(r->resp);
	if (api_store_ok(r, teams_json(r->node, team, r->participant.id, r->resp)))
		r->status = status;
}

void api_teams_create(struct api_req *r)
{
	char name[TEAM_NAME_MAX * 4 + 1], kind_name[32];
	enum team_kind kind;
	unsigned char team[REC_TEAM_ID_BYTES];
	struct team_problem why;
	const struct jdec_field f[] = {
	    TEAM_NAME_FIELD(name),
	    {.name = "kind",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 16,
	     .out = kind_name,
	     .out_cap = sizeof(kind_name)},
	};
	if (!api_decode(r, f, 2))
		return;
	if (!board_team_kind_parse(kind_name, &kind)) {
		api_error(r, 422, "invalid_field",
			  "kind must be household, association or "
			  "neighbourhood");
		return;
	}
	if (team_ok(r, teams_create(r->node, r->participant.id, name, kind, team, &why), &why))
		reply_team(r, 201, team);
}

void api_me_teams(struct api_req *r)
{
	if (api_store_ok(r, teams_mine_json(r->node, r->participant.id, r->resp)))
		r->status = 200;
}

void api_teams_get(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES];
	struct participant p;
	const unsigned char *viewer = NULL;
	if (!team_param(r, team))
		return;
	/* Members see more (code, members): the token is optional. */
	if (r->token[0] && participants_auth(r->node, r->token, &p) == ZC_OK)
		viewer = p.id;
	enum zc_err err = teams_json(r->node, team, viewer, r->resp);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such team");
		return;
	}
	if (api_store_ok(r, err))
		r->status = 200;
}

void api_teams_join(struct api_req *r)
{
	char code[64], who[SECRETS_ID_HEX];
	unsigned char team[REC_TEAM_ID_BYTES];
	struct team_problem why;
	const struct jdec_field f[] = {
	    {.name = "invite_code",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 16,
	     .out = code,
	     .out_cap = sizeof(code)},
	};
	if (!api_decode(r, f, 1))
		return;
	secrets_id_hex(r->participant.id, who);
	uint64_t wait = ratelimit_take(r->node->join_limit, who, time_mono_us() / 1000);
	if (wait) {
		r->retry_after = (unsigned)((wait + 999) / 1000);
		api_error(r, 429, "rate_limited", "too many attempts; retry in %u s",
			  r->retry_after);
		return;
	}
	if (team_ok(r, teams_join(r->node, r->participant.id, code, team, &why), &why))
		reply_team(r, 200, team);
}

void api_teams_leave(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES];
	struct team_problem why;
	if (team_param(r, team) &&
	    team_ok(r, teams_leave(r->node, r->participant.id, team, &why), &why))
		r->status = 204;
}

void api_teams_invite(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES];
	char code[16];
	struct team_problem why;
	if (!team_param(r, team) ||
	    !team_ok(r, teams_new_invite(r->node, r->participant.id, team, code, &why), &why))
		return;
	r->status = 200;
	jbuf_puts(r->resp, "{\"invite_code\":");
	jbuf_json_str(r->resp, code);
	jbuf_putc(r->resp, '}');
}

void api_teams_captain(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES], member[SECRETS_ID_BYTES];
	char hex[64];
	struct team_problem why;
	const struct jdec_field f[] = {
	    {.name = "member",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = hex,
	     .out_cap = sizeof(hex)},
	};
	if (!team_param(r, team) || !api_decode(r, f, 1))
		return;
	if (!secrets_id_parse(hex, member)) {
		api_error(r, 422, "invalid_field", "member must be a participant id");
		return;
	}
	if (team_ok(r, teams_set_captain(r->node, r->participant.id, team, member, &why), &why))
		reply_team(r, 200, team);
}

void api_teams_remove_member(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES], member[SECRETS_ID_BYTES];
	struct team_problem why;
	if (!teams_id_parse(r->param, team) || !secrets_id_parse(r->param2, member)) {
		api_error(r, 404, "not_found", "no such team member");
		return;
	}
	if (team_ok(r, teams_remove_member(r->node, r->participant.id, team, member, &why), &why))
		r->status = 204;
}

/* ---- staff moderation ---- */

void api_admin_teams_list(struct api_req *r)
{
	char q[TEAM_NAME_MAX * 4 + 1] = "";
	long limit = 50;
	bool has_q;
	if (!api_query_limit(r, 200, &limit) || !api_query_arg(r, "q", q, sizeof(q), &has_q))
		return;
	enum zc_err err = teams_list_json(r->node, has_q ? q : NULL, (size_t)limit, r->resp);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "q must hold at least one letter or digit");
		return;
	}
	if (api_store_ok(r, err))
		r->status = 200;
}

void api_admin_teams_patch(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES];
	char name[TEAM_NAME_MAX * 4 + 1];
	struct team_problem why;
	const struct jdec_field f[] = {
	    TEAM_NAME_FIELD(name),
	};
	if (!team_param(r, team) || !api_decode(r, f, 1))
		return;
	bool changed;
	if (!team_ok(r, teams_rename(r->node, team, name, &why, &changed), &why))
		return;
	jbuf_reset(r->resp);
	if (api_store_ok(r, teams_json(r->node, team, NULL, r->resp)))
		r->status = 200;
	if (changed)
		admins_audit(r->node->store, r->session.username, "team_rename", r->param);
}

void api_admin_teams_delete(struct api_req *r)
{
	unsigned char team[REC_TEAM_ID_BYTES];
	struct team_problem why;
	if (!team_param(r, team) || !team_ok(r, teams_delete(r->node, team, &why), &why))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "team_delete", r->param);
}
