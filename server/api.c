/* Route table, authentication, role checks and the response helpers shared by
 * every handler. A route says who may call it; handlers never re-check roles,
 * so a missing check cannot hide in one handler. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admins.h"
#include "api.h"
#include "fedlog.h"
#include "log.h"
#include "participants.h"
#include "ratelimit.h"
#include "timeutil.h"

enum auth_need { AUTH_NONE, AUTH_PARTICIPANT, AUTH_STAFF, AUTH_PEER };

#define R_ADMIN	    (1u << ROLE_ADMIN)
#define R_ANIMATOR  (1u << ROLE_ANIMATOR)
#define R_MODERATOR (1u << ROLE_MODERATOR)
#define R_ANY_STAFF (R_ADMIN | R_ANIMATOR | R_MODERATOR)

struct route {
	enum api_method method;
	const char *pattern; /* "{}" matches one path segment */
	enum auth_need auth;
	unsigned roles;
	void (*fn)(struct api_req *r);
};

static const struct route routes[] = {
    {API_GET, "/healthz", AUTH_NONE, 0, api_healthz},
    {API_GET, "/metrics", AUTH_NONE, 0, api_metrics},
    {API_GET, "/api/v1/city", AUTH_NONE, 0, api_city},
    {API_POST, "/api/v1/participants", AUTH_NONE, 0, api_register},
    {API_POST, "/api/v1/participants/recover", AUTH_NONE, 0, api_recover},
    {API_GET, "/api/v1/me", AUTH_PARTICIPANT, 0, api_me_get},
    {API_PATCH, "/api/v1/me", AUTH_PARTICIPANT, 0, api_me_patch},
    {API_DELETE, "/api/v1/me", AUTH_PARTICIPANT, 0, api_me_delete},
    {API_GET, "/api/v1/me/export", AUTH_PARTICIPANT, 0, api_me_export},
    {API_GET, "/api/v1/actions", AUTH_NONE, 0, api_actions_list},
    {API_GET, "/api/v1/game", AUTH_NONE, 0, api_game},
    {API_GET, "/api/v1/waste/references", AUTH_NONE, 0, api_waste_references},
    {API_GET, "/api/v1/leaderboard", AUTH_NONE, 0, api_leaderboard},
    {API_GET, "/api/v1/intercity", AUTH_NONE, 0, api_intercity},
    {API_GET, "/api/v1/admin/federation", AUTH_STAFF, R_ADMIN, api_admin_federation},
    {API_POST, "/api/v1/admin/federation/publish", AUTH_STAFF, R_ADMIN,
     api_admin_federation_publish},
    {API_POST, "/zcfed/1/inbox", AUTH_PEER, 0, api_fed_inbox},
    {API_GET, "/zcfed/1/log/{}/entries", AUTH_PEER, 0, api_fed_log},
    {API_GET, "/api/v1/me/commitments", AUTH_PARTICIPANT, 0, api_me_commitments_get},
    {API_POST, "/api/v1/me/commitments", AUTH_PARTICIPANT, 0, api_me_commitments_post},
    {API_DELETE, "/api/v1/me/commitments/{}", AUTH_PARTICIPANT, 0, api_me_commitments_delete},
    {API_POST, "/api/v1/me/checkins", AUTH_PARTICIPANT, 0, api_me_checkins_post},
    {API_GET, "/api/v1/me/checkins", AUTH_PARTICIPANT, 0, api_me_checkins_get},
    {API_GET, "/api/v1/me/progress", AUTH_PARTICIPANT, 0, api_me_progress},
    {API_POST, "/api/v1/me/footprint", AUTH_PARTICIPANT, 0, api_me_footprint_post},
    {API_GET, "/api/v1/me/footprint", AUTH_PARTICIPANT, 0, api_me_footprint_get},
    {API_POST, "/api/v1/me/waste", AUTH_PARTICIPANT, 0, api_me_waste_post},
    {API_GET, "/api/v1/me/waste", AUTH_PARTICIPANT, 0, api_me_waste_get},
    {API_GET, "/api/v1/me/teams", AUTH_PARTICIPANT, 0, api_me_teams},
    {API_POST, "/api/v1/teams", AUTH_PARTICIPANT, 0, api_teams_create},
    {API_POST, "/api/v1/teams/join", AUTH_PARTICIPANT, 0, api_teams_join},
    {API_GET, "/api/v1/teams/{}", AUTH_NONE, 0, api_teams_get},
    {API_POST, "/api/v1/teams/{}/leave", AUTH_PARTICIPANT, 0, api_teams_leave},
    {API_POST, "/api/v1/teams/{}/invite", AUTH_PARTICIPANT, 0, api_teams_invite},
    {API_PUT, "/api/v1/teams/{}/captain", AUTH_PARTICIPANT, 0, api_teams_captain},
    {API_DELETE, "/api/v1/teams/{}/members/{}", AUTH_PARTICIPANT, 0, api_teams_remove_member},
    {API_GET, "/api/v1/workshops", AUTH_NONE, 0, api_workshops_list},
    {API_GET, "/api/v1/workshops/{}", AUTH_NONE, 0, api_workshops_get},
    {API_POST, "/api/v1/workshops/{}/registration", AUTH_PARTICIPANT, 0, api_workshops_register},
    {API_DELETE, "/api/v1/workshops/{}/registration", AUTH_PARTICIPANT, 0,
     api_workshops_unregister},
    {API_POST, "/api/v1/workshops/{}/checkin", AUTH_PARTICIPANT, 0, api_workshops_checkin},
    {API_GET, "/api/v1/workshops/{}/images/{}", AUTH_NONE, 0, api_workshops_image},
    {API_GET, "/api/v1/admin/workshops", AUTH_STAFF, R_ANY_STAFF, api_admin_workshops_list},
    {API_POST, "/api/v1/admin/workshops", AUTH_STAFF, R_ADMIN | R_ANIMATOR,
     api_admin_workshops_create},
    {API_PATCH, "/api/v1/admin/workshops/{}", AUTH_STAFF, R_ADMIN | R_ANIMATOR,
     api_admin_workshops_patch},
    {API_PUT, "/api/v1/admin/workshops/{}/plan", AUTH_STAFF, R_ADMIN | R_ANIMATOR,
     api_admin_workshops_plan},
    {API_POST, "/api/v1/admin/workshops/{}/images", AUTH_STAFF, R_ADMIN | R_ANIMATOR,
     api_admin_workshops_image},
    {API_GET, "/api/v1/admin/workshops/{}/attendance", AUTH_STAFF, R_ANY_STAFF,
     api_admin_workshops_attendance},
    {API_GET, "/api/v1/admin/attendance", AUTH_STAFF, R_ANY_STAFF, api_admin_attendance},
    {API_POST, "/api/v1/admin/login", AUTH_NONE, 0, api_admin_login},
    {API_POST, "/api/v1/admin/logout", AUTH_STAFF, R_ANY_STAFF, api_admin_logout},
    {API_GET, "/api/v1/admin/session", AUTH_STAFF, R_ANY_STAFF, api_admin_session},
    {API_GET, "/api/v1/admin/stats", AUTH_STAFF, R_ANY_STAFF, api_admin_stats},
    {API_GET, "/api/v1/admin/accounts", AUTH_STAFF, R_ADMIN, api_admin_accounts_list},
    {API_POST, "/api/v1/admin/accounts", AUTH_STAFF, R_ADMIN, api_admin_accounts_create},
    {API_DELETE, "/api/v1/admin/accounts/{}", AUTH_STAFF, R_ADMIN, api_admin_accounts_delete},
    {API_PATCH, "/api/v1/admin/accounts/{}", AUTH_STAFF, R_ADMIN, api_admin_accounts_patch},
    {API_POST, "/api/v1/admin/password", AUTH_STAFF, R_ANY_STAFF, api_admin_password},
    {API_GET, "/api/v1/admin/participants", AUTH_STAFF, R_ADMIN | R_MODERATOR,
     api_admin_participants_list},
    {API_PATCH, "/api/v1/admin/participants/{}", AUTH_STAFF, R_ADMIN | R_MODERATOR,
     api_admin_participants_patch},
    {API_DELETE, "/api/v1/admin/participants/{}", AUTH_STAFF, R_ADMIN | R_MODERATOR,
     api_admin_participants_delete},
    {API_GET, "/api/v1/admin/denylist", AUTH_STAFF, R_ADMIN | R_MODERATOR, api_admin_denylist_list},
    {API_POST, "/api/v1/admin/denylist", AUTH_STAFF, R_ADMIN | R_MODERATOR, api_admin_denylist_add},
    {API_DELETE, "/api/v1/admin/denylist/{}", AUTH_STAFF, R_ADMIN | R_MODERATOR,
     api_admin_denylist_delete},
    {API_GET, "/api/v1/admin/city", AUTH_STAFF, R_ADMIN, api_admin_city_get},
    {API_PUT, "/api/v1/admin/city", AUTH_STAFF, R_ADMIN, api_admin_city_put},
    {API_POST, "/api/v1/admin/seasons", AUTH_STAFF, R_ADMIN, api_admin_seasons_create},
    {API_GET, "/api/v1/admin/seasons", AUTH_STAFF, R_ADMIN, api_admin_seasons_list},
    {API_DELETE, "/api/v1/admin/seasons/{}", AUTH_STAFF, R_ADMIN, api_admin_seasons_delete},
    {API_GET, "/api/v1/admin/audit", AUTH_STAFF, R_ADMIN, api_admin_audit},
    {API_GET, "/api/v1/admin/teams", AUTH_STAFF, R_ADMIN | R_MODERATOR, api_admin_teams_list},
    {API_PATCH, "/api/v1/admin/teams/{}", AUTH_STAFF, R_ADMIN | R_MODERATOR, api_admin_teams_patch},
    {API_DELETE, "/api/v1/admin/teams/{}", AUTH_STAFF, R_ADMIN | R_MODERATOR,
     api_admin_teams_delete},
    {API_GET, "/api/v1/admin/actions", AUTH_STAFF, R_ANY_STAFF, api_admin_actions_list},
    {API_POST, "/api/v1/admin/actions", AUTH_STAFF, R_ADMIN, api_admin_actions_create},
    {API_PATCH, "/api/v1/admin/actions/{}", AUTH_STAFF, R_ADMIN, api_admin_actions_patch},
    {API_DELETE, "/api/v1/admin/actions/{}", AUTH_STAFF, R_ADMIN, api_admin_actions_retire},
    {API_PUT, "/api/v1/admin/waste/references/{}", AUTH_STAFF, R_ADMIN, api_admin_references_put},
    {API_DELETE, "/api/v1/admin/waste/references/{}", AUTH_STAFF, R_ADMIN,
     api_admin_references_delete},
    {API_POST, "/api/v1/admin/debug/publish", AUTH_STAFF, R_ADMIN, api_admin_debug_publish},
};

void api_error(struct api_req *r, int status, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->status = status;
	r->content_type = "application/json";
	jbuf_reset(r->resp);
	jbuf_puts(r->resp, "{\"error\":{\"code\":");
	jbuf_json_str(r->resp, code);
	jbuf_json_key(r->resp, "message");
	/* Messages may quote client input; keep the response valid UTF-8 JSON. */
	jbuf_json_str(r->resp, msg);
	jbuf_puts(r->resp, "}}");
}

bool api_decode(struct api_req *r, const struct jdec_field *fields, size_t n)
{
	struct jdec_error e;
	if (!r->body_json) {
		api_error(r, 415, "unsupported_media_type",
			  "the body must be JSON (Content-Type: application/json)");
		return false;
	}
	if (jdec_object(r->body, r->body_len, fields, n, &e) == JDEC_OK)
		return true;
	api_error(r, jdec_http_status(e.status), jdec_code(e.status), "%s", e.message);
	return false;
}

bool api_store_ok(struct api_req *r, enum zc_err err)
{
	if (err == ZC_OK)
		return true;
	if (err == ZC_ERR_STORE_FULL) {
		log_event(LOG_ERROR, "storage_full", "hint=\"raise map_size_mb\"");
		api_error(r, 507, "storage_full", "the node's storage is full");
	} else {
		api_error(r, 500, "internal_error", "internal error");
	}
	return false;
}

/* Copies s[0..n) into out (cap bytes with the NUL); false when it does not fit.
 * lws has URL-decoded the path and the query already: decoding again would
 * turn "%2541" into "A". */
static bool copy_part(const char *s, size_t n, char *out, size_t cap)
{
	if (n + 1 > cap || memchr(s, '\0', n))
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* The value of query parameter `name`, or NULL. */
static const char *query_find(const struct api_req *r, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	for (const char *p = r->query; *p; p += strlen(p) + 1) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			*vlen = strlen(p + nl + 1);
			return p + nl + 1;
		}
	}
	return NULL;
}

bool api_query(const struct api_req *r, const char *name, char *out, size_t cap)
{
	size_t vlen;
	const char *v = query_find(r, name, &vlen);
	return v && copy_part(v, vlen, out, cap);
}

bool api_query_arg(struct api_req *r, const char *name, char *out, size_t cap, bool *present)
{
	size_t vlen;
	const char *v = query_find(r, name, &vlen);
	*present = v != NULL;
	if (v && !copy_part(v, vlen, out, cap)) {
		api_error(r, 422, "invalid_field", "%s is too long", name);
		return false;
	}
	return true;
}

bool api_query_limit(struct api_req *r, long max, long *limit)
{
	char arg[24], *end;
	bool present;
	if (!api_query_arg(r, "limit", arg, sizeof(arg), &present))
		return false;
	if (!present)
		return true;
	long v = strtol(arg, &end, 10);
	if (*end || end == arg || v < 1 || v > max) {
		api_error(r, 422, "invalid_field", "limit must be between 1 and %ld", max);
		return false;
	}
	*limit = v;
	return true;
}

void api_defer(struct api_req *r, struct wq_job *job)
{
	r->pending = job;
}

void api_answer(struct api_req *r, int status, const char *code, const struct jbuf *body)
{
	static const struct {
		const char *code, *message;
	} texts[] = {
	    {"invalid_token", "unknown or revoked token"},
	    {"storage_full", "the node's storage is full"},
	    {"internal_error", "internal error"},
	};
	if (body && body->len) {
		r->status = status;
		r->content_type = "application/json";
		jbuf_reset(r->resp);
		jbuf_put(r->resp, jbuf_data(body), body->len);
	} else {
		const char *message = "error";
		for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
			if (code && strcmp(code, texts[i].code) == 0)
				message = texts[i].message;
		api_error(r, status, code ? code : "internal_error", "%s", message);
	}
	if (r->resume)
		r->resume(r);
}

bool api_rate_limit(struct api_req *r, struct ratelimit *rl)
{
	uint64_t wait_ms = ratelimit_take(rl, r->peer, time_mono_us() / 1000);
	if (wait_ms == 0)
		return true;
	r->retry_after = (unsigned)((wait_ms + 999) / 1000);
	api_error(r, 429, "rate_limited", "too many requests; retry in %u s", r->retry_after);
	return false;
}

/* Matches path against pattern: each "{}" matches one non-empty segment, the
 * first copied into param, the second into param2. */
static bool match(const char *pattern, const char *path, char *param, char *param2, size_t cap)
{
	char *outs[2] = {param, param2};
	int holes = 0;
	while (*pattern) {
		const char *hole = strstr(pattern, "{}");
		if (!hole)
			return strcmp(pattern, path) == 0;
		size_t pre = (size_t)(hole - pattern);
		if (holes == 2 || strncmp(pattern, path, pre) != 0)
			return false;
		const char *seg = path + pre, *slash = strchr(seg, '/');
		size_t seglen = slash ? (size_t)(slash - seg) : strlen(seg);
		if (seglen == 0 || !copy_part(seg, seglen, outs[holes++], cap))
			return false;
		pattern = hole + 2;
		path = seg + seglen;
	}
	return *path == '\0';
}

static bool authenticate(struct api_req *r, const struct route *rt)
{
	enum zc_err err;
	if (rt->auth == AUTH_NONE)
		return true;
	if (rt->auth == AUTH_PEER) {
		/* The TLS layer admits only pinned peers; this holds even if a
		 * route were ever mounted elsewhere. */
		if (r->via_fed && r->fed_peer >= 0)
			return true;
		api_error(r, 403, "not_a_peer", "only pinned peer nodes may call zcfed/1");
		return false;
	}
	if (!r->token[0]) {
		api_error(r, 401, "missing_token",
			  "this route needs Authorization: Bearer <token>");
		return false;
	}
	if (rt->auth == AUTH_PARTICIPANT) {
		err = participants_auth(r->node, r->token, &r->participant);
		if (err == ZC_ERR_DENIED) {
			api_error(r, 401, "invalid_token", "unknown or revoked token");
			return false;
		}
		return api_store_ok(r, err);
	}
	err = admins_session_check(r->node, r->token, &r->session);
	if (err == ZC_ERR_DENIED) {
		api_error(r, 401, "invalid_token", "unknown or revoked staff session");
		return false;
	}
	if (err == ZC_ERR_EXPIRED) {
		api_error(r, 401, "token_expired", "the staff session has expired; log in again");
		return false;
	}
	if (!api_store_ok(r, err))
		return false;
	if (!(rt->roles & (1u << r->session.role))) {
		api_error(r, 403, "forbidden", "the %s role may not do this",
			  rec_role_name(r->session.role));
		return false;
	}
	return true;
}

size_t api_body_cap(const struct node *n, const char *path)
{
	char param[128], param2[128];
	/* A workshop's plan (100 items of bilingual texts) is the one larger body. */
	if (match("/api/v1/admin/workshops/{}/plan", path, param, param2, sizeof(param)))
		return n->cfg.max_body_bytes > WS_PLAN_BODY_MAX ? n->cfg.max_body_bytes
								: WS_PLAN_BODY_MAX;
	/* A slide image: the images' own cap, whatever max_body_bytes says. */
	if (match("/api/v1/admin/workshops/{}/images", path, param, param2, sizeof(param)))
		return WS_IMAGE_BODY_MAX;
	if (strcmp(path, "/zcfed/1/inbox") == 0)
		return FED_BODY_MAX;
	return n->cfg.max_body_bytes;
}

void api_dispatch(struct api_req *r)
{
	bool path_known = false;
	r->status = 0;
	r->content_type = "application/json";
	r->route = "other";
	/* The federation port serves zcfed/1 only, and the public port never does. */
	bool fed_path = strncmp(r->path, "/zcfed/", 7) == 0;
	if (fed_path != r->via_fed) {
		api_error(r, 404, "not_found",
			  fed_path ? "zcfed/1 is served on the federation port only"
				   : "no such route");
		return;
	}
	if (r->query_overflow) {
		api_error(r, 414, "uri_too_long", "the query string is over %zu bytes",
			  sizeof(r->query) - 2);
		return;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		if (!match(rt->pattern, r->path, r->param, r->param2, sizeof(r->param)))
			continue;
		path_known = true;
		r->route = rt->pattern;
		if (rt->method != r->method && !(rt->method == API_GET && r->method == API_HEAD))
			continue;
		if (authenticate(r, rt))
			rt->fn(r);
		if (r->status == 0)
			api_error(r, 500, "internal_error", "internal error");
		return;
	}
	if (path_known)
		api_error(r, 405, "method_not_allowed", "method not allowed on %s", r->route);
	else
		api_error(r, 404, "not_found", "no such route");
}
