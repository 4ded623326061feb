/* The HTTP API as route handlers see it: a request already read (method, path,
 * query, body, bearer token, client address) and a response to fill. The
 * route table, authentication and role checks live in api.c; no
 * libwebsockets here, so the whole API can be driven from unit tests. */
#ifndef ZC_API_H
#define ZC_API_H

#include <stdbool.h>
#include <stddef.h>

#include "jbuf.h"
#include "jdec.h"
#include "node.h"
#include "records.h"

enum api_method { API_GET, API_POST, API_PUT, API_PATCH, API_DELETE, API_HEAD, API_OTHER };

struct api_req {
	struct node *node;
	enum api_method method;
	char path[256];
	/* The query's name=value pairs, already URL-decoded by lws, each
	 * NUL-terminated and back to back; an empty one ends the list. */
	char query[512];
	bool query_overflow; /* the query did not fit: answered 414 */
	char param[128];     /* the {} segment of the matched route */
	char param2[128];    /* the second {} segment, for routes with two */
	const char *body;    /* request body (NUL-terminated), may be empty */
	size_t body_len;
	bool body_json;	    /* Content-Type is application/json */
	char body_type[64]; /* Content-Type's media type, lowercase; "" if none */
	char token[160];    /* bearer token, "" when none */
	char peer[64];	    /* client address (rate limits) */
	bool via_fed;	    /* came in on the federation port */
	int fed_peer;	    /* there: the calling peer's index, -1 for none pinned */
	/* set by authentication */
	struct participant participant;
	struct admin_session session;
	/* response */
	int status;
	struct jbuf *resp;	  /* body; initialised by the caller with LWS_PRE headroom */
	const char *content_type; /* default application/json */
	const char *route;	  /* route template for metrics */
	unsigned retry_after;	  /* seconds, for 429 */
	bool attachment;	  /* Content-Disposition: attachment (export) */
	bool immutable;		  /* cacheable for a year (content-addressed), not no-store */
	/* deferred answers (write queue) */
	struct wq_job *pending;		   /* set by api_defer */
	void (*resume)(struct api_req *r); /* set by the transport */
};

struct wq_job;

#define WS_PLAN_BODY_MAX  (512u << 10) /* a workshop plan's body, bytes */
#define WS_IMAGE_BODY_MAX (1u << 20)   /* a slide image's body, bytes */

/* The largest body a request to path may send (max_body_bytes, or the own
 * cap of the few routes that need more). */
size_t api_body_cap(const struct node *n, const char *path);
/* Routes a complete request and fills the response. */
void api_dispatch(struct api_req *r);

/* Fills an error response {"error":{"code","message"}}. */
void api_error(struct api_req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Decodes the JSON body against fields; on failure fills the error response and
 * returns false. */
bool api_decode(struct api_req *r, const struct jdec_field *fields, size_t n);
/* Maps a store-level error to a response (500, 507…); returns false if err set. */
bool api_store_ok(struct api_req *r, enum zc_err err);
/* Reads query argument `name` into out (URL-decoded); false when absent. */
bool api_query(const struct api_req *r, const char *name, char *out, size_t cap);
/* Reads optional query argument `name` into out; *present says whether it was
 * given. Answers 422 and returns false when it is too long or badly encoded. */
bool api_query_arg(struct api_req *r, const char *name, char *out, size_t cap, bool *present);
/* Reads the optional `limit` argument into *limit (left as is when absent);
 * answers 422 and returns false unless it is an integer from 1 to max. */
bool api_query_limit(struct api_req *r, long max, long *limit);
/* Leaves the response to job: the transport waits for api_answer. */
void api_defer(struct api_req *r, struct wq_job *job);
/* Completes a deferred request: status and body (or, without a body, the error
 * of that status and code). */
void api_answer(struct api_req *r, int status, const char *code, const struct jbuf *body);
/* Applies a per-address rate limit; fills 429 and returns false when exceeded. */
bool api_rate_limit(struct api_req *r, struct ratelimit *rl);

/* Route handlers, by area (api_participants.c, api_admin.c, api_ops.c). */
void api_healthz(struct api_req *r);
void api_metrics(struct api_req *r);
void api_city(struct api_req *r);
void api_register(struct api_req *r);
void api_recover(struct api_req *r);
void api_me_get(struct api_req *r);
void api_me_patch(struct api_req *r);
void api_me_delete(struct api_req *r);
void api_me_export(struct api_req *r);
void api_admin_login(struct api_req *r);
void api_admin_logout(struct api_req *r);
void api_admin_session(struct api_req *r);
void api_admin_stats(struct api_req *r);
void api_admin_accounts_list(struct api_req *r);
void api_admin_accounts_create(struct api_req *r);
void api_admin_accounts_delete(struct api_req *r);
void api_admin_accounts_patch(struct api_req *r);
void api_admin_password(struct api_req *r);
void api_admin_participants_list(struct api_req *r);
void api_admin_participants_delete(struct api_req *r);
void api_admin_participants_patch(struct api_req *r);
void api_admin_denylist_list(struct api_req *r);
void api_admin_denylist_add(struct api_req *r);
void api_admin_denylist_delete(struct api_req *r);
void api_admin_city_get(struct api_req *r);
void api_admin_city_put(struct api_req *r);
void api_admin_seasons_create(struct api_req *r);
void api_admin_seasons_list(struct api_req *r);
void api_admin_seasons_delete(struct api_req *r);
void api_admin_audit(struct api_req *r);
void api_admin_debug_publish(struct api_req *r);
/* api_federation.c */
void api_fed_inbox(struct api_req *r);
void api_fed_log(struct api_req *r);
void api_intercity(struct api_req *r);
void api_admin_federation(struct api_req *r);
void api_admin_federation_publish(struct api_req *r);
/* api_challenge.c */
void api_actions_list(struct api_req *r);
void api_game(struct api_req *r);
void api_me_commitments_get(struct api_req *r);
void api_me_commitments_post(struct api_req *r);
void api_me_commitments_delete(struct api_req *r);
void api_me_checkins_post(struct api_req *r);
void api_me_checkins_get(struct api_req *r);
void api_me_progress(struct api_req *r);
void api_me_footprint_post(struct api_req *r);
void api_me_footprint_get(struct api_req *r);
void api_me_waste_post(struct api_req *r);
void api_me_waste_get(struct api_req *r);
void api_waste_references(struct api_req *r);
void api_leaderboard(struct api_req *r);
void api_admin_actions_list(struct api_req *r);
void api_admin_actions_create(struct api_req *r);
void api_admin_actions_patch(struct api_req *r);
void api_admin_actions_retire(struct api_req *r);
void api_admin_references_put(struct api_req *r);
void api_admin_references_delete(struct api_req *r);
/* api_teams.c */
void api_teams_create(struct api_req *r);
void api_me_teams(struct api_req *r);
void api_teams_get(struct api_req *r);
void api_teams_join(struct api_req *r);
void api_teams_leave(struct api_req *r);
void api_teams_invite(struct api_req *r);
void api_teams_captain(struct api_req *r);
void api_teams_remove_member(struct api_req *r);
void api_admin_teams_list(struct api_req *r);
void api_admin_teams_patch(struct api_req *r);
void api_admin_teams_delete(struct api_req *r);
/* api_workshops.c */
void api_workshops_list(struct api_req *r);
void api_workshops_get(struct api_req *r);
void api_workshops_register(struct api_req *r);
void api_workshops_unregister(struct api_req *r);
void api_workshops_checkin(struct api_req *r);
void api_workshops_image(struct api_req *r);
void api_admin_workshops_list(struct api_req *r);
void api_admin_workshops_create(struct api_req *r);
void api_admin_workshops_patch(struct api_req *r);
void api_admin_workshops_plan(struct api_req *r);
void api_admin_workshops_image(struct api_req *r);
void api_admin_workshops_attendance(struct api_req *r);
void api_admin_attendance(struct api_req *r);

#endif
