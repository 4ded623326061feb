/* Catalogue storage and mirror. Edits are rare (staff), reads constant
 * (every check-in, every page load), hence a full reload after each edit and
 * a cached rendering of the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "node.h"
#include "store.h"
#include "timeutil.h"
#include "utf8.h"

struct actions {
	struct action list[ACTIONS_MAX];
	size_t n;
	struct jbuf json_public, json_all;
};

static const char *const category_names[ACTION_CATEGORY__COUNT] = {
    "transport", "alimentation", "logement", "consommation", "dechets"};
static const char *const frequency_names[] = {"daily", "weekly", "once"};

const char *actions_category_name(unsigned c)
{
	return c < ACTION_CATEGORY__COUNT ? category_names[c] : "?";
}

const char *actions_frequency_name(unsigned f)
{
	return f < 3 ? frequency_names[f] : "?";
}

static bool parse_name(const char *s, const char *const *names, int n, int *out)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

bool actions_category_parse(const char *s, int *out)
{
	return parse_name(s, category_names, ACTION_CATEGORY__COUNT, out);
}

bool actions_frequency_parse(const char *s, int *out)
{
	return parse_name(s, frequency_names, 3, out);
}

void actions_free(struct actions *a)
{
	if (!a)
		return;
	jbuf_fini(&a->json_public);
	jbuf_fini(&a->json_all);
	free(a);
}

const struct action *actions_find(const struct actions *a, const char *id)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (strcmp(a->list[i].id, id) == 0)
			return &a->list[i];
	return NULL;
}

const struct action *actions_by_num(const struct actions *a, uint16_t num)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->list[i].num == num)
			return &a->list[i];
	return NULL;
}

const struct jbuf *actions_json(const struct actions *a, bool all)
{
	return all ? &a->json_all : &a->json_public;
}

static void text_pair(struct jbuf *out, const char *key, const struct rec_action *r, int fr)
{
	jbuf_json_key(out, key);
	jbuf_puts(out, "{\"fr\":");
	jbuf_json_strn(out, r->text[fr].s, r->text[fr].n);
	jbuf_puts(out, ",\"en\":");
	jbuf_json_strn(out, r->text[fr + 1].s, r->text[fr + 1].n);
	jbuf_putc(out, '}');
}

static void render(struct jbuf *out, const struct rec_action *r, bool with_retired)
{
	jbuf_puts(out, "{\"id\":");
	jbuf_json_str(out, r->id);
	jbuf_json_key(out, "category");
	jbuf_json_str(out, actions_category_name(r->category));
	text_pair(out, "title", r, ACTION_TITLE_FR);
	text_pair(out, "why", r, ACTION_WHY_FR);
	text_pair(out, "how", r, ACTION_HOW_FR);
	jbuf_json_key(out, "co2e_g");
	jbuf_json_int(out, r->co2e_g);
	jbuf_json_key(out, "waste_g");
	jbuf_json_int(out, r->waste_g);
	jbuf_json_key(out, "frequency");
	jbuf_json_str(out, actions_frequency_name(r->frequency));
	jbuf_json_key(out, "points");
	jbuf_json_int(out, r->points);
	jbuf_json_key(out, "source");
	jbuf_json_strn(out, r->text[ACTION_SOURCE].s, r->text[ACTION_SOURCE].n);
	if (with_retired) {
		jbuf_json_key(out, "retired");
		jbuf_json_bool(out, r->retired);
	}
	jbuf_putc(out, '}');
}

enum zc_err actions_load(struct node *n)
{
	struct actions *a = calloc(1, sizeof(*a));
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct rec_action r;
	if (!a)
		abort();
	jbuf_init(&a->json_public, 0);
	jbuf_init(&a->json_all, 0);
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err) {
		actions_free(a);
		return err;
	}
	err = store_iter_new(txn, STORE_ACTIONS, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		actions_free(a);
		return err;
	}
	jbuf_puts(&a->json_public, "{\"actions\":[");
	jbuf_puts(&a->json_all, "{\"actions\":[");
	size_t shown = 0;
	while (a->n < ACTIONS_MAX && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_action_decode(v, vl, &r))
			continue;
		struct action *x = &a->list[a->n];
		memcpy(x->id, r.id, sizeof(x->id));
		x->num = r.num;
		x->category = r.category;
		x->frequency = r.frequency;
		x->co2e_g = r.co2e_g;
		x->waste_g = r.waste_g;
		x->points = r.points;
		x->retired = r.retired;
		if (a->n)
			jbuf_putc(&a->json_all, ',');
		render(&a->json_all, &r, true);
		if (!r.retired) {
			if (shown++)
				jbuf_putc(&a->json_public, ',');
			render(&a->json_public, &r, false);
		}
		a->n++;
	}
	jbuf_puts(&a->json_public, "]}");
	jbuf_puts(&a->json_all, "]}");
	store_iter_free(it);
	store_abort(txn);
	actions_free(n->actions);
	n->actions = a;
	return ZC_OK;
}

static bool id_valid(const char *id)
{
	size_t l = strlen(id);
	if (l < 3 || l > 40 || id[0] == '-' || id[l - 1] == '-')
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == l;
}

/* Limits in code points of the seven texts. */
static const size_t text_max[7] = {80, 80, 1000, 1000, 1000, 1000, 300};

/* Titles and the source are one line; why/how may have several. */
static bool text_valid(int i, const char *s)
{
	return utf8_text_ok(s, (long)text_max[i], i >= 2 && i <= 5);
}

/* Writes one action; num 0 asks for the next free number. */
static enum zc_err put_action(struct store_txn *txn, struct rec_action *r,
			      const char *const text[7])
{
	struct jbuf rec;
	jbuf_init(&rec, 0);
	rec_action_encode(r, text, &rec);
	enum zc_err err =
	    store_put(txn, STORE_ACTIONS, r->id, strlen(r->id), jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	return err;
}

/* The next free action number in txn. */
static enum zc_err next_num(struct store_txn *txn, uint16_t *out, size_t *count)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct rec_action r;
	uint16_t max = 0;
	*count = 0;
	enum zc_err err = store_iter_new(txn, STORE_ACTIONS, NULL, 0, false, &it);
	if (err)
		return err;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (rec_action_decode(v, vl, &r) && r.num > max)
			max = r.num;
		(*count)++;
	}
	store_iter_free(it);
	*out = (uint16_t)(max + 1);
	return ZC_OK;
}

enum zc_err actions_save(struct node *n, const struct action_input *in, bool create,
			 const char **why, bool *changed)
{
	struct store_txn *txn;
	struct rec_action r;
	const char *text[7];
	char *copies[7] = {NULL};
	const void *v;
	size_t vl, count;
	enum zc_err err;
	struct jbuf before;

	*why = NULL;
	*changed = false;
	jbuf_init(&before, 0);
	if (!id_valid(in->id)) {
		*why = "id must be 3 to 40 of a-z 0-9 - (not starting or ending with -)";
		return ZC_ERR_INVALID;
	}
	for (int i = 0; i < 7; i++) {
		if (in->text[i] && !text_valid(i, in->text[i])) {
			*why =
			    "a text is blank, has control characters or is over its length limit";
			return ZC_ERR_INVALID;
		}
	}
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_ACTIONS, in->id, strlen(in->id), &v, &vl);
	if (create && err == ZC_OK) {
		err = ZC_ERR_EXISTS;
		goto fail;
	}
	if (!create && err == ZC_ERR_NOT_FOUND)
		goto fail;
	if (err && err != ZC_ERR_NOT_FOUND)
		goto fail;
	if (create) {
		memset(&r, 0, sizeof(r));
		snprintf(r.id, sizeof(r.id), "%s", in->id);
		err = next_num(txn, &r.num, &count);
		if (err)
			goto fail;
		if (count >= ACTIONS_MAX) {
			err = ZC_ERR_LIMIT;
			goto fail;
		}
		for (int i = 0; i < 7; i++)
			text[i] = in->text[i];
	} else {
		if (!rec_action_decode(v, vl, &r)) {
			err = ZC_ERR_STORE;
			goto fail;
		}
		jbuf_put(&before, v, vl);
		/* The stored texts are borrowed from the transaction: keep copies of
		 * those that stay, since the put below may move the pages. */
		for (int i = 0; i < 7; i++) {
			if (in->text[i]) {
				text[i] = in->text[i];
				continue;
			}
			copies[i] = strndup(r.text[i].s ? r.text[i].s : "", r.text[i].n);
			if (!copies[i])
				abort();
			text[i] = copies[i];
		}
	}
	if (!create && in->frequency >= 0 && in->frequency != r.frequency) {
		/* Check-ins are unique per period of the frequency: changing it would
		 * let an action be checked in twice, or refuse what was allowed. */
		*why = "frequency cannot change; retire this action and create a new one";
		err = ZC_ERR_INVALID;
		goto fail;
	}
	if (in->category >= 0)
		r.category = (uint8_t)in->category;
	if (in->frequency >= 0)
		r.frequency = (uint8_t)in->frequency;
	if (in->co2e_g >= 0)
		r.co2e_g = (uint32_t)in->co2e_g;
	if (in->waste_g >= 0)
		r.waste_g = (uint32_t)in->waste_g;
	if (in->points >= 0)
		r.points = (uint16_t)in->points;
	if (in->retired >= 0)
		r.retired = in->retired != 0;
	struct jbuf after;
	jbuf_init(&after, 0);
	rec_action_encode(&r, text, &after);
	/* An edit that changes nothing writes nothing (and is not audited). */
	*changed = create || after.len != before.len ||
		   memcmp(jbuf_data(&after), jbuf_data(&before), before.len) != 0;
	jbuf_fini(&after);
	if (*changed) {
		r.updated_at = time_now_s();
		err = put_action(txn, &r, text);
	}
	for (int i = 0; i < 7; i++) {
		free(copies[i]);
		copies[i] = NULL;
	}
	jbuf_fini(&before);
	if (err)
		goto fail;
	if (!*changed) {
		store_abort(txn);
		return ZC_OK;
	}
	err = store_commit(txn);
	if (err)
		return err;
	return actions_load(n);
fail:
	for (int i = 0; i < 7; i++)
		free(copies[i]);
	jbuf_fini(&before);
	store_abort(txn);
	return err;
}

enum zc_err actions_seed(struct store_txn *txn)
{
	uint16_t num;
	size_t count;
	enum zc_err err = next_num(txn, &num, &count);
	if (err)
		return err;
	for (const struct action_seed *s = action_seed; s->id; s++) {
		const void *v;
		size_t vl;
		if (store_get(txn, STORE_ACTIONS, s->id, strlen(s->id), &v, &vl) == ZC_OK)
			continue;
		struct rec_action r;
		memset(&r, 0, sizeof(r));
		snprintf(r.id, sizeof(r.id), "%s", s->id);
		r.num = num++;
		r.category = (uint8_t)s->category;
		r.frequency = (uint8_t)s->frequency;
		r.co2e_g = s->co2e_g;
		r.waste_g = s->waste_g;
		r.points = s->points;
		r.updated_at = time_now_s();
		const char *const text[7] = {s->title_fr, s->title_en, s->why_fr, s->why_en,
					     s->how_fr,	  s->how_en,   s->source};
		err = put_action(txn, &r, text);
		if (err)
			return err;
	}
	return ZC_OK;
}
