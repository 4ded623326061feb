/* HTTP routes of workshops: the public list, slide images, registration and
 * the room's check-in for participants; creation, editing, plans, image
 * uploads, attendance and the participation dataset for staff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admins.h"
#include "api.h"
#include "participants.h"
#include "ratelimit.h"
#include "secrets.h"
#include "timeutil.h"
#include "wlive.h"
#include "workshops.h"

/* The {} segment as a workshop id (1 to 2^32 - 1, no leading zero). */
static bool param_id(struct api_req *r, uint32_t *id)
{
	const char *p = r->param;
	uint64_t v = 0;
	if (!*p || *p == '0' || strlen(p) > 10)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > 0xffffffffull)
		goto bad;
	*id = (uint32_t)v;
	return true;
bad:
	api_error(r, 404, "not_found", "no such workshop");
	return false;
}

static void problem_answer(struct api_req *r, const struct ws_problem *why)
{
	api_error(r, why->status, why->code, "%s", why->message);
}

static bool load(struct api_req *r, uint32_t id, struct workshop *w)
{
	enum zc_err err = workshops_get(r->node, id, w);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such workshop");
		return false;
	}
	return api_store_ok(r, err);
}

static bool when_arg(struct api_req *r, enum ws_when *when)
{
	char v[16];
	bool present = false;
	if (!api_query_arg(r, "when", v, sizeof(v), &present))
		return false;
	*when = WS_WHEN_UPCOMING;
	if (!present || strcmp(v, "upcoming") == 0)
		return true;
	if (strcmp(v, "past") == 0)
		*when = WS_WHEN_PAST;
	else if (strcmp(v, "all") == 0)
		*when = WS_WHEN_ALL;
	else {
		api_error(r, 422, "invalid_field", "when must be upcoming, past or all");
		return false;
	}
	return true;
}

/* The optional participant token of public routes. */
static bool optional_participant(struct api_req *r, bool *have)
{
	*have = false;
	if (!r->token[0])
		return true;
	if (participants_auth(r->node, r->token, &r->participant) != ZC_OK) {
		api_error(r, 401, "invalid_token", "unknown or revoked token");
		return false;
	}
	*have = true;
	return true;
}

void api_workshops_list(struct api_req *r)
{
	enum ws_when when;
	long limit = 50;
	bool have;
	if (!when_arg(r, &when) || !api_query_limit(r, 100, &limit) ||
	    !optional_participant(r, &have))
		return;
	if (api_store_ok(r, workshops_list_json(r->node, when, (unsigned)limit, false,
						have ? r->participant.id : NULL, r->resp)))
		r->status = 200;
}

void api_workshops_get(struct api_req *r)
{
	uint32_t id;
	struct workshop w;
	bool have;
	if (!param_id(r, &id) || !optional_participant(r, &have) || !load(r, id, &w))
		return;
	workshop_json(&w, false, true, r->resp);
	if (have && !api_store_ok(r, workshops_me_json(r->node, &w, r->participant.id, r->resp))) {
		workshop_free(&w);
		return;
	}
	jbuf_putc(r->resp, '}');
	r->status = 200;
	workshop_free(&w);
}

static const char *reg_text(uint8_t reg)
{
	return reg == WS_REG_ROOM	  ? "room"
	       : reg == WS_REG_ONLINE	  ? "online"
	       : reg == WS_REG_WAITLISTED ? "waitlisted"
					  : NULL;
}

void api_workshops_register(struct api_req *r)
{
	uint32_t id;
	char mode[8 * 4 + 1];
	struct ws_me me;
	struct ws_problem why;
	const struct jdec_field f[] = {
	    {.name = "mode",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 8,
	     .out = mode,
	     .out_cap = sizeof(mode)},
	};
	if (!param_id(r, &id) || !api_decode(r, f, 1))
		return;
	if (strcmp(mode, "room") != 0 && strcmp(mode, "online") != 0) {
		api_error(r, 422, "invalid_field", "mode must be room or online");
		return;
	}
	int status = workshops_register(r->node, id, r->participant.id, mode[0] == 'r', &me, &why);
	if (status >= 300) {
		problem_answer(r, &why);
		return;
	}
	r->status = status;
	jbuf_puts(r->resp, "{\"registration\":");
	jbuf_json_str(r->resp, reg_text(me.reg));
	jbuf_json_key(r->resp, "waitlist_position");
	if (me.position)
		jbuf_json_int(r->resp, me.position);
	else
		jbuf_puts(r->resp, "null");
	jbuf_putc(r->resp, '}');
}

void api_workshops_unregister(struct api_req *r)
{
	uint32_t id;
	struct ws_problem why;
	if (!param_id(r, &id))
		return;
	int status = workshops_unregister(r->node, id, r->participant.id, &why);
	if (status != 204) {
		problem_answer(r, &why);
		return;
	}
	r->status = 204;
}

void api_workshops_checkin(struct api_req *r)
{
	uint32_t id;
	char code[16 * 4 + 1];
	struct ws_me me;
	struct ws_problem why;
	const struct jdec_field f[] = {
	    {.name = "code",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 16,
	     .out = code,
	     .out_cap = sizeof(code)},
	};
	if (!param_id(r, &id) || !api_decode(r, f, 1))
		return;
	/* Ten wrong codes per participant and workshop, then wait. */
	char key[48], hex[SECRETS_ID_HEX];
	secrets_id_hex(r->participant.id, hex);
	snprintf(key, sizeof(key), "%u:%s", id, hex);
	uint64_t now = time_mono_us() / 1000;
	uint64_t wait = ratelimit_peek(r->node->code_limit, key, now);
	if (wait) {
		r->retry_after = (unsigned)((wait + 999) / 1000);
		api_error(r, 429, "rate_limited", "too many wrong codes: try again later");
		return;
	}
	int status = workshops_checkin(r->node, id, r->participant.id, code, &me, &why);
	if (status >= 300) {
		if (strcmp(why.code, "invalid_code") == 0)
			ratelimit_take(r->node->code_limit, key, now);
		problem_answer(r, &why);
		return;
	}
	r->status = status;
	jbuf_puts(r->resp, "{\"checked_in\":true,\"mode\":");
	jbuf_json_str(r->resp, me.online ? "both" : "physical");
	jbuf_putc(r->resp, '}');
}

void api_workshops_image(struct api_req *r)
{
	uint32_t id;
	enum ws_image type;
	if (!param_id(r, &id))
		return;
	enum zc_err err = workshops_image_get(r->node, id, r->param2, &type, r->resp);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such image");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 200;
	r->content_type = workshops_image_mime(type);
	r->immutable = true; /* the name is the content's hash */
}

/* ---- staff ---- */

void api_admin_workshops_list(struct api_req *r)
{
	enum ws_when when;
	long limit = 100;
	if (!when_arg(r, &when) || !api_query_limit(r, 100, &limit))
		return;
	if (api_store_ok(r,
			 workshops_list_json(r->node, when, (unsigned)limit, true, NULL, r->resp)))
		r->status = 200;
}

void api_admin_workshops_create(struct api_req *r)
{
	struct workshop w;
	struct ws_problem why;
	memset(&w, 0, sizeof(w));
	if (!r->body_json && r->body_len) {
		api_error(r, 415, "unsupported_media_type", "the body must be application/json");
		return;
	}
	if (!workshop_apply_json(&w, r->body, r->body_len, true, &why)) {
		problem_answer(r, &why);
		return;
	}
	if (!api_store_ok(r, workshops_create(r->node, &w))) {
		workshop_free(&w);
		return;
	}
	char target[16];
	snprintf(target, sizeof(target), "%u", w.id);
	admins_audit(r->node->store, r->session.username, "workshop_create", target);
	r->status = 201;
	workshop_json(&w, true, true, r->resp);
	jbuf_putc(r->resp, '}');
	workshop_free(&w);
}

static bool apply_patch(struct workshop *w, const struct api_req *r, struct ws_problem *why)
{
	return workshop_apply_json(w, r->body, r->body_len, false, why);
}

static bool apply_plan(struct workshop *w, const struct api_req *r, struct ws_problem *why)
{
	return workshop_plan_json(w, r->body, r->body_len, why);
}

/* A staff edit of workshop {}: apply, store (moving the waitlist up when the
 * room grew), audit, refresh a live session, answer the staff view. */
static void edit(struct api_req *r,
		 bool (*change)(struct workshop *, const struct api_req *, struct ws_problem *),
		 const char *audit)
{
	uint32_t id;
	struct workshop w;
	struct ws_problem why;
	if (!param_id(r, &id) || !load(r, id, &w))
		return;
	if (!change(&w, r, &why)) {
		problem_answer(r, &why);
	} else if (api_store_ok(r, workshops_update(r->node, &w))) {
		admins_audit(r->node->store, r->session.username, audit, r->param);
		wlive_workshop_changed(r->node, id);
		r->status = 200;
		workshop_json(&w, true, true, r->resp);
		jbuf_putc(r->resp, '}');
	}
	workshop_free(&w);
}

void api_admin_workshops_patch(struct api_req *r)
{
	edit(r, apply_patch, "workshop_edit");
}

void api_admin_workshops_plan(struct api_req *r)
{
	edit(r, apply_plan, "workshop_plan");
}

void api_admin_workshops_image(struct api_req *r)
{
	uint32_t id;
	char name[WS_IMAGE_NAME_CAP], target[16 + WS_IMAGE_NAME_CAP];
	struct ws_problem why;
	if (!param_id(r, &id))
		return;
	if (r->body_len == 0) {
		api_error(r, 400, "bad_request", "the body is empty: send the image's bytes");
		return;
	}
	enum ws_image type = workshops_image_sniff(r->body, r->body_len);
	const char *mime = workshops_image_mime(type);
	if (!mime) {
		api_error(r, 415, "unsupported_media_type",
			  "the body is not a PNG, JPEG or WebP image");
		return;
	}
	/* The declared type must name what the bytes are: a file renamed to the
	 * wrong extension is refused, not served under a type it never had. */
	if (strcmp(r->body_type, mime) != 0) {
		api_error(r, 415, "unsupported_media_type",
			  "the body is %s but its Content-Type is %s", mime,
			  r->body_type[0] ? r->body_type : "missing");
		return;
	}
	int status = workshops_image_put(r->node, id, type, r->body, r->body_len, name, &why);
	if (status >= 300) {
		problem_answer(r, &why);
		return;
	}
	if (status == 201) {
		snprintf(target, sizeof(target), "%u/%s", id, name);
		admins_audit(r->node->store, r->session.username, "workshop_image", target);
	}
	r->status = status;
	jbuf_puts(r->resp, "{\"name\":");
	jbuf_json_str(r->resp, name);
	jbuf_putc(r->resp, '}');
}

void api_admin_workshops_attendance(struct api_req *r)
{
	uint32_t id;
	if (!param_id(r, &id))
		return;
	enum zc_err err = workshops_attendance_json(r->node, id, r->resp);
	if (err == ZC_ERR_NOT_FOUND) {
		jbuf_reset(r->resp);
		api_error(r, 404, "not_found", "no such workshop");
		return;
	}
	if (api_store_ok(r, err))
		r->status = 200;
}

void api_admin_attendance(struct api_req *r)
{
	char from[16] = "", to[16] = "", format[8] = "";
	bool has_from, has_to, has_format;
	uint32_t wf = 0, wt = 0;
	if (!api_query_arg(r, "from", from, sizeof(from), &has_from) ||
	    !api_query_arg(r, "to", to, sizeof(to), &has_to) ||
	    !api_query_arg(r, "format", format, sizeof(format), &has_format))
		return;
	if ((has_from && !time_parse_week(from, &wf)) || (has_to && !time_parse_week(to, &wt))) {
		api_error(r, 422, "invalid_field", "from and to are ISO weeks like 2026-W48");
		return;
	}
	bool csv = has_format && strcmp(format, "csv") == 0;
	if (has_format && !csv && strcmp(format, "json") != 0) {
		api_error(r, 422, "invalid_field", "format must be json or csv");
		return;
	}
	if (!api_store_ok(r, workshops_dataset(r->node, wf, wt, csv, r->resp)))
		return;
	r->status = 200;
	if (csv)
		r->content_type = "text/csv; charset=utf-8";
}
