/* Routes of the federation: the peer-facing zcfed/1 endpoints (served only on
 * the federation port, to pinned peers), the public inter-city board and the
 * admins' view and on-demand publish. The work is in federation/. */
#include <stdlib.h>
#include <string.h>

#include "admins.h"
#include "api.h"
#include "federation.h"
#include "fedlog.h"
#include "timeutil.h"

static void reply(struct api_req *r, int status, const struct jbuf *body,
		  const struct fed_answer *why)
{
	if (status >= 200 && status < 300) {
		r->status = status;
		jbuf_put(r->resp, jbuf_data(body), body->len);
	} else {
		api_error(r, status, why->code, "%s", why->message);
	}
}

void api_fed_inbox(struct api_req *r)
{
	struct jbuf out;
	struct fed_answer why = {0};
	jbuf_init(&out, 0);
	int status = fed_inbox(r->node, r->fed_peer, r->body, r->body_len, &out, &why);
	reply(r, status, &out, &why);
	jbuf_fini(&out);
}

/* A non-negative decimal integer of at most 16 digits. */
static bool parse_count(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16 || strspn(s, "0123456789") != n)
		return false;
	*out = strtoull(s, NULL, 10);
	return true;
}

void api_fed_log(struct api_req *r)
{
	char after_s[32] = "0";
	bool present;
	uint64_t after;
	long limit = FED_PAGE_MAX;
	struct jbuf out;
	struct fed_answer why = {0};
	if (!api_query_arg(r, "after", after_s, sizeof(after_s), &present))
		return;
	if (!parse_count(present ? after_s : "0", &after)) {
		api_error(r, 422, "invalid_after", "after must be a sequence number (0 or more)");
		return;
	}
	if (!api_query_limit(r, FED_PAGE_MAX, &limit))
		return;
	jbuf_init(&out, 0);
	int status =
	    fed_log_page(r->node, r->fed_peer, r->param, after, (unsigned)limit, &out, &why);
	reply(r, status, &out, &why);
	jbuf_fini(&out);
}

void api_intercity(struct api_req *r)
{
	r->status = 200;
	fed_intercity_json(r->node, r->resp);
}

void api_admin_federation(struct api_req *r)
{
	if (api_store_ok(r, fed_status_json(r->node, r->resp)))
		r->status = 200;
}

void api_admin_federation_publish(struct api_req *r)
{
	char week_s[16] = "";
	const struct jdec_field fields[] = {
	    {.name = "week",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 8,
	     .max_len = 8,
	     .out = week_s,
	     .out_cap = sizeof(week_s)},
	};
	uint32_t week;
	struct jbuf out;
	struct fed_answer why = {0};
	if (!api_decode(r, fields, 1))
		return;
	if (!time_parse_week(week_s, &week)) {
		api_error(r, 422, "invalid_week", "week must be an ISO week like 2026-W47");
		return;
	}
	jbuf_init(&out, 0);
	int status = fed_publish(r->node, week, &out, &why);
	if (status == 201)
		admins_audit(r->node->store, r->session.username, "federation_publish", week_s);
	reply(r, status, &out, &why);
	jbuf_fini(&out);
}
