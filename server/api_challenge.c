/* Challenge routes: actions, commitments, check-ins (answered after their
 * batch commits), progress, rules, footprint, waste, leaderboards, and the
 * staff routes that edit the catalogue and the reference figures. */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "admins.h"
#include "api.h"
#include "board.h"
#include "checkins.h"
#include "commitments.h"
#include "footprint.h"
#include "game.h"
#include "participants.h"
#include "timeutil.h"
#include "waste.h"

#define FIELDS(f) (sizeof(f) / sizeof((f)[0]))

void api_actions_list(struct api_req *r)
{
	const struct jbuf *j = actions_json(r->node->actions, false);
	r->status = 200;
	jbuf_put(r->resp, jbuf_data(j), j->len);
}

void api_game(struct api_req *r)
{
	r->status = 200;
	game_rules_json(r->resp);
}

/* ---- commitments ---- */

void api_me_commitments_get(struct api_req *r)
{
	if (api_store_ok(r, commitments_list_json(r->node, r->participant.id, r->resp)))
		r->status = 200;
}

void api_me_commitments_post(struct api_req *r)
{
	char action[REC_ACTION_ID_BYTES * 4];
	const struct jdec_field fields[] = {
	    {.name = "action",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = action,
	     .out_cap = sizeof(action)},
	};
	if (!api_decode(r, fields, FIELDS(fields)))
		return;
	const struct action *a = actions_find(r->node->actions, action);
	if (!a || a->retired) {
		api_error(r, 422, "unknown_action", "no such action in use");
		return;
	}
	int64_t since;
	enum zc_err err = commitments_add(r->node, r->participant.id, a, &since);
	if (err == ZC_ERR_EXISTS) {
		api_error(r, 409, "conflict", "already committed to this action");
		return;
	}
	if (err == ZC_ERR_LIMIT) {
		api_error(r, 409, "too_many_commitments", "at most %d commitments",
			  COMMITMENTS_MAX);
		return;
	}
	if (!api_store_ok(r, err))
		return;
	char at[TIME_RFC3339_LEN];
	time_rfc3339(since, at);
	r->status = 201;
	jbuf_puts(r->resp, "{\"action\":");
	jbuf_json_str(r->resp, a->id);
	jbuf_json_key(r->resp, "since");
	jbuf_json_str(r->resp, at);
	jbuf_putc(r->resp, '}');
}

void api_me_commitments_delete(struct api_req *r)
{
	const struct action *a = actions_find(r->node->actions, r->param);
	enum zc_err err = a ? commitments_remove(r->node, r->participant.id, a) : ZC_ERR_NOT_FOUND;
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "not committed to this action");
		return;
	}
	if (api_store_ok(r, err))
		r->status = 204;
}

/* ---- check-ins ---- */

static void checkin_answer(void *owner, int status, const char *code, const struct jbuf *body)
{
	api_answer(owner, status, code, body);
}

void api_me_checkins_post(struct api_req *r)
{
	char action[REC_ACTION_ID_BYTES * 4], date[TIME_DAY_LEN * 4];
	bool has_date = false;
	struct checkin_req q;
	struct checkin_problem why;
	const struct jdec_field fields[] = {
	    {.name = "action",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = action,
	     .out_cap = sizeof(action)},
	    {.name = "date",
	     .type = JDEC_STRING,
	     .min_len = 10,
	     .max_len = 10,
	     .out = date,
	     .out_cap = sizeof(date),
	     .present = &has_date},
	};
	if (!api_decode(r, fields, FIELDS(fields)))
		return;
	if (!checkins_validate(r->node, r->participant.id, action, has_date ? date : NULL, &q,
			       &why)) {
		api_error(r, why.status, why.code, "%s", why.message);
		return;
	}
	api_defer(r, checkins_submit(r->node, &q, checkin_answer, r));
}

void api_me_checkins_get(struct api_req *r)
{
	char arg[16];
	uint32_t week = 0;
	if (api_query(r, "week", arg, sizeof(arg)) && !time_parse_week(arg, &week)) {
		api_error(r, 422, "invalid_field", "week must be YYYY-Www");
		return;
	}
	if (api_store_ok(r, checkins_list_json(r->node, r->participant.id, week, 100, r->resp)))
		r->status = 200;
}

void api_me_progress(struct api_req *r)
{
	if (api_store_ok(r, checkins_progress_json(r->node, r->participant.id, r->resp)))
		r->status = 200;
}

/* ---- footprint ---- */

void api_me_footprint_post(struct api_req *r)
{
	struct rec_footprint f;
	struct jbuf cats;
	int64_t total = 0, c[REC_FOOTPRINT_CATS] = {0};
	const char *why = NULL;
	const struct jdec_field fields[] = {
	    {.name = "model_version",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 32,
	     .out = f.model_version,
	     .out_cap = sizeof(f.model_version)},
	    {.name = "total_g",
	     .type = JDEC_INT,
	     .required = true,
	     .min = 0,
	     .max = 1000000000,
	     .out = &total},
	    {.name = "categories", .type = JDEC_OBJECT_RAW, .required = true, .out = &cats},
	};
	memset(&f, 0, sizeof(f));
	jbuf_init(&cats, 0);
	if (!api_decode(r, fields, FIELDS(fields)))
		goto out;
	struct jdec_field cf[REC_FOOTPRINT_CATS];
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++)
		cf[i] = (struct jdec_field){.name = footprint_categories[i],
					    .type = JDEC_INT,
					    .required = true,
					    .min = 0,
					    .max = 1000000000,
					    .out = &c[i]};
	struct jdec_error e;
	if (jdec_object(jbuf_data(&cats), cats.len, cf, REC_FOOTPRINT_CATS, &e) != JDEC_OK) {
		api_error(r, jdec_http_status(e.status), jdec_code(e.status), "categories: %s",
			  e.message);
		goto out;
	}
	f.total_g = (uint64_t)total;
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++)
		f.cat_g[i] = (uint64_t)c[i];
	enum zc_err err = footprint_add(r->node, r->participant.id, &f, &why);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "%s", why);
		goto out;
	}
	if (!api_store_ok(r, err))
		goto out;
	r->status = 201;
	footprint_snapshot_json(&f, r->resp);
out:
	jbuf_fini(&cats);
}

void api_me_footprint_get(struct api_req *r)
{
	if (api_store_ok(r, footprint_json(r->node, r->participant.id, r->resp)))
		r->status = 200;
}

/* ---- waste ---- */

void api_me_waste_post(struct api_req *r)
{
	char week[TIME_WEEK_LEN * 4];
	int64_t g[REC_WASTE_STREAMS];
	bool has[REC_WASTE_STREAMS] = {false};
	uint32_t streams[REC_WASTE_STREAMS], wk;
	const char *why = NULL;
	bool created;
	struct jdec_field fields[1 + REC_WASTE_STREAMS] = {
	    {.name = "week",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 8,
	     .max_len = 8,
	     .out = week,
	     .out_cap = sizeof(week)},
	};
	static const char *const names[REC_WASTE_STREAMS] = {"residual_g", "recyclables_g",
							     "glass_g", "biowaste_g"};
	for (int i = 0; i < REC_WASTE_STREAMS; i++)
		fields[1 + i] = (struct jdec_field){.name = names[i],
						    .type = JDEC_INT,
						    .min = 0,
						    .max = WASTE_STREAM_MAX_G,
						    .out = &g[i],
						    .present = &has[i]};
	if (!api_decode(r, fields, FIELDS(fields)))
		return;
	if (!time_parse_week(week, &wk)) {
		api_error(r, 422, "invalid_field", "week must be a real ISO week YYYY-Www");
		return;
	}
	for (int i = 0; i < REC_WASTE_STREAMS; i++)
		streams[i] = has[i] ? (uint32_t)g[i] : REC_NO_WEIGHT;
	const char *code = "invalid_field";
	enum zc_err err =
	    waste_record(r->node, r->participant.id, wk, streams, &created, &why, &code);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, code, "%s", why);
		return;
	}
	if (!api_store_ok(r, err) ||
	    !api_store_ok(r, waste_week_json(r->node, r->participant.id, wk, r->resp)))
		return;
	r->status = created ? 201 : 200;
}

void api_me_waste_get(struct api_req *r)
{
	if (api_store_ok(r, waste_json(r->node, r->participant.id, r->resp)))
		r->status = 200;
}

void api_waste_references(struct api_req *r)
{
	if (api_store_ok(r, waste_references_json(r->node, r->resp)))
		r->status = 200;
}

/* ---- leaderboards ---- */

void api_leaderboard(struct api_req *r)
{
	char arg[32];
	enum board_kind kind = BOARD_POINTS;
	enum board_scope scope = SCOPE_INDIVIDUAL;
	long limit = 10;
	struct participant p;
	const unsigned char *me = NULL;
	if (api_query(r, "board", arg, sizeof(arg)) && !board_kind_parse(arg, &kind)) {
		api_error(r, 422, "invalid_field", "board must be points or co2e");
		return;
	}
	if (api_query(r, "scope", arg, sizeof(arg)) && !board_scope_parse(arg, &scope)) {
		api_error(r, 422, "invalid_field",
			  "scope must be individual, team or neighbourhood");
		return;
	}
	if (!api_query_limit(r, 100, &limit))
		return;
	/* The token is optional here: it only adds the caller's own rank. */
	if (r->token[0]) {
		enum zc_err err = participants_auth(r->node, r->token, &p);
		if (err == ZC_ERR_DENIED) {
			api_error(r, 401, "invalid_token", "unknown or revoked token");
			return;
		}
		if (!api_store_ok(r, err))
			return;
		me = p.id;
	}
	r->status = 200;
	board_json(r->node, kind, scope, (size_t)limit, me, r->resp);
}

/* ---- staff: catalogue ---- */

void api_admin_actions_list(struct api_req *r)
{
	const struct jbuf *j = actions_json(r->node->actions, true);
	r->status = 200;
	jbuf_put(r->resp, jbuf_data(j), j->len);
}

/* Decodes a create (all required) or an edit (any) into in. */
struct action_body {
	char id[REC_ACTION_ID_BYTES * 4], category[64], frequency[32];
	char text[7][4001];
	int64_t co2e_g, waste_g, points;
	bool retired;
	bool has_text[7], has_category, has_frequency, has_co2e, has_waste, has_points, has_retired;
};

static bool decode_action(struct api_req *r, struct action_body *b, bool create,
			  struct action_input *in)
{
	static const char *const text_names[7] = {"title_fr", "title_en", "why_fr", "why_en",
						  "how_fr",   "how_en",	  "source"};
	static const size_t text_max[7] = {80, 80, 1000, 1000, 1000, 1000, 300};
	struct jdec_field f[14];
	size_t nf = 0;
	memset(b, 0, sizeof(*b));
	if (create)
		f[nf++] = (struct jdec_field){.name = "id",
					      .type = JDEC_STRING,
					      .required = true,
					      .min_len = 3,
					      .max_len = 40,
					      .out = b->id,
					      .out_cap = sizeof(b->id)};
	f[nf++] = (struct jdec_field){.name = "category",
				      .type = JDEC_STRING,
				      .required = create,
				      .min_len = 1,
				      .max_len = 20,
				      .out = b->category,
				      .out_cap = sizeof(b->category),
				      .present = &b->has_category};
	f[nf++] = (struct jdec_field){.name = "frequency",
				      .type = JDEC_STRING,
				      .required = create,
				      .min_len = 1,
				      .max_len = 10,
				      .out = b->frequency,
				      .out_cap = sizeof(b->frequency),
				      .present = &b->has_frequency};
	for (int i = 0; i < 7; i++)
		f[nf++] = (struct jdec_field){.name = text_names[i],
					      .type = JDEC_STRING,
					      .required = create,
					      .min_len = 1,
					      .max_len = text_max[i],
					      .out = b->text[i],
					      .out_cap = sizeof(b->text[i]),
					      .present = &b->has_text[i]};
	f[nf++] = (struct jdec_field){.name = "co2e_g",
				      .type = JDEC_INT,
				      .required = create,
				      .min = 0,
				      .max = 100000,
				      .out = &b->co2e_g,
				      .present = &b->has_co2e};
	f[nf++] = (struct jdec_field){.name = "waste_g",
				      .type = JDEC_INT,
				      .required = create,
				      .min = 0,
				      .max = 50000,
				      .out = &b->waste_g,
				      .present = &b->has_waste};
	f[nf++] = (struct jdec_field){.name = "points",
				      .type = JDEC_INT,
				      .required = create,
				      .min = 1,
				      .max = 100,
				      .out = &b->points,
				      .present = &b->has_points};
	if (!create)
		f[nf++] = (struct jdec_field){.name = "retired",
					      .type = JDEC_BOOL,
					      .out = &b->retired,
					      .present = &b->has_retired};
	if (!api_decode(r, f, nf))
		return false;
	memset(in, 0, sizeof(*in));
	in->id = create ? b->id : r->param;
	in->category = in->frequency = -1;
	if (b->has_category && !actions_category_parse(b->category, &in->category)) {
		api_error(r, 422, "invalid_field",
			  "category must be transport, alimentation, logement, consommation or "
			  "dechets");
		return false;
	}
	if (b->has_frequency && !actions_frequency_parse(b->frequency, &in->frequency)) {
		api_error(r, 422, "invalid_field", "frequency must be daily, weekly or once");
		return false;
	}
	for (int i = 0; i < 7; i++)
		in->text[i] = b->has_text[i] ? b->text[i] : NULL;
	in->co2e_g = b->has_co2e ? b->co2e_g : -1;
	in->waste_g = b->has_waste ? b->waste_g : -1;
	in->points = b->has_points ? b->points : -1;
	in->retired = b->has_retired ? b->retired : -1;
	return true;
}

static void save_action(struct api_req *r, bool create)
{
	struct action_body *b = malloc(sizeof(*b));
	struct action_input in;
	const char *why;
	if (!b)
		abort();
	if (!decode_action(r, b, create, &in))
		goto out;
	bool changed;
	enum zc_err err = actions_save(r->node, &in, create, &why, &changed);
	if (err == ZC_ERR_INVALID)
		api_error(r, 422, "invalid_field", "%s", why);
	else if (err == ZC_ERR_EXISTS)
		api_error(r, 409, "conflict", "an action with this id exists");
	else if (err == ZC_ERR_NOT_FOUND)
		api_error(r, 404, "not_found", "no such action");
	else if (err == ZC_ERR_LIMIT)
		api_error(r, 409, "too_many_actions", "the catalogue holds at most %d actions",
			  ACTIONS_MAX);
	else if (api_store_ok(r, err)) {
		r->status = create ? 201 : 200;
		jbuf_puts(r->resp, "{\"id\":");
		jbuf_json_str(r->resp, in.id);
		jbuf_putc(r->resp, '}');
		if (changed)
			admins_audit(r->node->store, r->session.username,
				     create ? "action_create" : "action_edit", in.id);
	}
out:
	free(b);
}

void api_admin_actions_create(struct api_req *r)
{
	save_action(r, true);
}

void api_admin_actions_patch(struct api_req *r)
{
	save_action(r, false);
}

void api_admin_actions_retire(struct api_req *r)
{
	struct action_input in;
	const char *why;
	memset(&in, 0, sizeof(in));
	in.id = r->param;
	in.category = in.frequency = -1;
	in.co2e_g = in.waste_g = in.points = -1;
	in.retired = 1;
	bool changed;
	enum zc_err err = actions_save(r->node, &in, false, &why, &changed);
	if (err == ZC_ERR_NOT_FOUND || err == ZC_ERR_INVALID) {
		api_error(r, 404, "not_found", "no such action");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	if (changed) /* retiring a retired action is not news */
		admins_audit(r->node->store, r->session.username, "action_retire", r->param);
}

/* ---- staff: waste reference figures ---- */

void api_admin_references_put(struct api_req *r)
{
	struct rec_reference x;
	char stream[16];
	int64_t kg = 0, year = 0;
	const char *why;
	const struct jdec_field f[] = {
	    {.name = "label_fr",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = x.label_fr,
	     .out_cap = sizeof(x.label_fr)},
	    {.name = "label_en",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 40,
	     .out = x.label_en,
	     .out_cap = sizeof(x.label_en)},
	    {.name = "kg_per_person_year",
	     .type = JDEC_INT,
	     .required = true,
	     .min = 1,
	     .max = 5000,
	     .out = &kg},
	    {.name = "stream",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 10,
	     .out = stream,
	     .out_cap = sizeof(stream)},
	    {.name = "year",
	     .type = JDEC_INT,
	     .required = true,
	     .min = 1990,
	     .max = 2100,
	     .out = &year},
	    {.name = "source",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 300,
	     .out = x.source,
	     .out_cap = sizeof(x.source)},
	};
	memset(&x, 0, sizeof(x));
	if (!api_decode(r, f, FIELDS(f)))
		return;
	if (strcmp(stream, "all") != 0 && strcmp(stream, "residual") != 0) {
		api_error(r, 422, "invalid_field", "stream must be all or residual");
		return;
	}
	if (strlen(r->param) >= sizeof(x.id)) {
		api_error(r, 422, "invalid_field", "id must be 1 to 32 of a-z 0-9 -");
		return;
	}
	memcpy(x.id, r->param, strlen(r->param) + 1);
	x.kg_per_person_year = (uint32_t)kg;
	x.year = (uint16_t)year;
	x.stream = strcmp(stream, "residual") == 0;
	enum zc_err err = waste_reference_put(r->node, &x, &why);
	if (err == ZC_ERR_INVALID) {
		api_error(r, 422, "invalid_field", "%s", why);
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 200;
	jbuf_puts(r->resp, "{\"id\":");
	jbuf_json_str(r->resp, x.id);
	jbuf_putc(r->resp, '}');
	admins_audit(r->node->store, r->session.username, "reference_put", x.id);
}

void api_admin_references_delete(struct api_req *r)
{
	enum zc_err err = waste_reference_delete(r->node, r->param);
	if (err == ZC_ERR_NOT_FOUND) {
		api_error(r, 404, "not_found", "no such reference");
		return;
	}
	if (!api_store_ok(r, err))
		return;
	r->status = 204;
	admins_audit(r->node->store, r->session.username, "reference_delete", r->param);
}
