/* zcfed/1 on the node: identity, weekly statements, inbox and log routes,
 * pulled pages, and the inter-city leaderboard. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <sodium.h>

#include "b64url.h"
#include "bcast.h"
#include "canon.h"
#include "channels.h"
#include "city.h"
#include "cli.h"
#include "dp.h"
#include "dsse.h"
#include "federation.h"
#include "fedlog.h"
#include "fedsync.h"
#include "fedtls.h"
#include "log.h"
#include "node.h"
#include "records_challenge.h"
#include "secrets.h"
#include "store.h"
#include "timeutil.h"
#include "tls_cert.h"
#include "workshops.h"

#define FED_START_GRACE_S  20
#define FED_CATCH_UP_WEEKS 4 /* closed weeks a restarted node publishes by itself */

struct federation {
	unsigned char *sk;	/* sodium_malloc: Ed25519 secret key (64 bytes, pk inside) */
	unsigned char *sk_next; /* the next key during a rotation, else NULL */
	struct fed_trust trust;
	char keyid[DSSE_KEYID_LEN + 1];
	struct fedsync *sync;
	uint32_t published_through; /* last closed week known published (auto publish) */
	int64_t publish_retry_at;   /* after a failed auto publish, seconds */
	bool board_dirty;
	uint32_t board_week; /* the ISO week the board was last drawn in */
};

bool fed_enabled(const struct node *n)
{
	return n->fed != NULL;
}

void fed_tls_paths(const struct node *n, char *cert, char *key, size_t cap)
{
	if (n->cfg.fed_cert[0])
		snprintf(cert, cap, "%s", n->cfg.fed_cert);
	else
		node_path(n, "tls/fed.crt", cert, cap);
	if (n->cfg.fed_key[0])
		snprintf(key, cap, "%s", n->cfg.fed_key);
	else
		node_path(n, "tls/fed.key", key, cap);
}

/* Reads a 32-byte identity seed (0600) into locked memory and derives the key
 * pair: *sk (sodium_malloc, read-only) and pk. ZC_ERR_NOT_FOUND when absent. */
static enum zc_err load_seed(const char *path, unsigned char **sk, unsigned char pk[32])
{
	struct stat st;
	unsigned char *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	enum zc_err err = fd < 0 && errno == ENOENT ? ZC_ERR_NOT_FOUND : ZC_ERR_IO;
	if (!seed)
		abort();
	if (fd < 0 || fstat(fd, &st) != 0)
		goto out;
	if (st.st_mode & 077) {
		log_event(LOG_ERROR, "identity_key_exposed", "path=%s hint=\"chmod 600\"", path);
		err = ZC_ERR_DENIED;
		goto out;
	}
	if (read(fd, seed, crypto_sign_SEEDBYTES) != crypto_sign_SEEDBYTES)
		goto out;
	*sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (!*sk)
		abort();
	crypto_sign_seed_keypair(pk, *sk, seed);
	sodium_mprotect_readonly(*sk);
	err = ZC_OK;
out:
	if (fd >= 0)
		close(fd);
	sodium_free(seed);
	return err;
}

/* The identity, and during a key rotation the next key (identity.next.key:
 * statements are signed by both) or after one the previous public key
 * (identity.old.pub: our older statements still verify). */
static enum zc_err load_identity(struct node *n, struct federation *f)
{
	char path[CONFIG_PATH_MAX + 32];
	struct fed_trust *t = &f->trust;
	node_path(n, "identity.key", path, sizeof(path));
	enum zc_err err = load_seed(path, &f->sk, t->own_pk);
	if (err)
		return err;
	node_path(n, "identity.next.key", path, sizeof(path));
	err = load_seed(path, &f->sk_next, t->own_other[t->n_own_other]);
	if (err == ZC_OK)
		t->n_own_other++;
	else if (err != ZC_ERR_NOT_FOUND)
		return err;
	node_path(n, "identity.old.pub", path, sizeof(path));
	char text[80];
	if (secrets_read_public(path, text, t->own_other[t->n_own_other]))
		t->n_own_other++;
	return ZC_OK;
}

enum zc_err fed_open(struct node *n)
{
	if (!n->cfg.fed_origin[0])
		return ZC_OK;
	for (unsigned i = 0; i < n->cfg.npeers; i++)
		if (strcmp(n->cfg.peers[i].origin, n->cfg.fed_origin) == 0) {
			log_event(LOG_ERROR, "federation_self_peer",
				  "origin=%s hint=\"a peer line names this node's own fed_origin\"",
				  n->cfg.fed_origin);
			return ZC_ERR_CONFIG;
		}
	struct federation *f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	f->trust.cfg = &n->cfg;
	/* A data dir made before federation existed has no federation key pair. */
	char cert[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX];
	fed_tls_paths(n, cert, key, sizeof(cert));
	if (access(cert, F_OK) != 0 && access(key, F_OK) != 0 && !n->cfg.fed_cert[0]) {
		if (tls_cert_create(key, cert, NULL, FED_CERT_DAYS) != ZC_OK) {
			free(f);
			return ZC_ERR_IO;
		}
		log_event(LOG_INFO, "federation_cert_created", "path=%s", cert);
	}
	enum zc_err err = load_identity(n, f);
	if (err) {
		free(f);
		return err;
	}
	dsse_keyid(f->trust.own_pk, f->keyid);
	f->board_dirty = true;
	n->fed = f;
	log_event(LOG_INFO, "federation_on", "origin=%s keyid=%s peers=%u", n->cfg.fed_origin,
		  f->keyid, n->cfg.npeers);
	return ZC_OK;
}

static void wake_loop(void *arg)
{
	struct node *n = arg;
	if (n->lws_context)
		lws_cancel_service(n->lws_context);
}

static void head_to_sync(const struct fed_head *h, void *arg)
{
	fedsync_set_head(arg, h->origin, h->seq);
}

void fed_start(struct node *n)
{
	struct federation *f = n->fed;
	char cert[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX];
	struct store_txn *txn;
	if (!f || !n->cfg.npeers)
		return;
	fed_tls_paths(n, cert, key, sizeof(cert));
	f->sync = fedsync_start(&n->cfg, cert, key, wake_loop, n);
	if (f->sync && store_begin(n->store, false, &txn) == ZC_OK) {
		fedlog_heads(txn, head_to_sync, f->sync);
		store_abort(txn);
	}
}

void fed_stop(struct node *n)
{
	if (n->fed) {
		fedsync_stop(n->fed->sync);
		n->fed->sync = NULL;
	}
}

void fed_close(struct node *n)
{
	struct federation *f = n->fed;
	if (!f)
		return;
	fed_stop(n);
	sodium_free(f->sk);
	sodium_free(f->sk_next);
	free(f);
	n->fed = NULL;
}

/* -- aggregates of one week --------------------------------------------------------- */

struct attendee {
	unsigned char pid[SECRETS_ID_BYTES];
	bool online, physical, seen;
};

struct attendees {
	struct attendee *a;
	size_t n, cap;
};

static void add_attendee(const unsigned char *pid, bool online, bool physical, void *arg)
{
	struct attendees *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->a = realloc(l->a, l->cap * sizeof(*l->a));
		if (!l->a)
			abort();
	}
	memcpy(l->a[l->n].pid, pid, SECRETS_ID_BYTES);
	l->a[l->n].online = online;
	l->a[l->n].physical = physical;
	l->a[l->n].seen = false;
	l->n++;
}

static int cmp_attendee(const void *a, const void *b)
{
	return memcmp(((const struct attendee *)a)->pid, ((const struct attendee *)b)->pid,
		      SECRETS_ID_BYTES);
}

/* One participant's check-ins recorded in the week, being summed. */
struct contribution {
	unsigned char pid[SECRETS_ID_BYTES];
	uint64_t co2e, waste, checkins;
};

/* Adds one participant-week to the sums, clipped: active 1, CO2e, waste and
 * check-ins to their bounds, one online and one room attendance at most. */
static void add_contribution(const struct contribution *c, struct attendees *l,
			     const struct dp_metric *m, uint64_t sum[DP_METRICS])
{
	struct attendee key, *a;
	memcpy(key.pid, c->pid, SECRETS_ID_BYTES);
	a = l->n ? bsearch(&key, l->a, l->n, sizeof(*l->a), cmp_attendee) : NULL;
	sum[DP_ACTIVE] += dp_clip(1, m[DP_ACTIVE].clip);
	sum[DP_CO2E] += dp_clip(c->co2e, m[DP_CO2E].clip);
	sum[DP_WASTE] += dp_clip(c->waste, m[DP_WASTE].clip);
	sum[DP_CHECKINS] += dp_clip(c->checkins, m[DP_CHECKINS].clip);
	if (a) {
		a->seen = true;
		sum[DP_ONLINE] += dp_clip(a->online, m[DP_ONLINE].clip);
		sum[DP_PHYSICAL] += dp_clip(a->physical, m[DP_PHYSICAL].clip);
	}
}

/* The week's sums. Check-ins count in the week they were *recorded* (credited
 * amounts, caps included), not the week they are dated: a check-in dated in a
 * week already published goes into the next statement instead of being lost,
 * and a published week never changes. Workshops count in the week they start.
 * A participant is active with a check-in or an attendance in the week. */
static enum zc_err week_sums(struct store_txn *txn, uint32_t week, const struct dp_metric *m,
			     uint64_t sum[DP_METRICS])
{
	struct attendees l = {0};
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	memset(sum, 0, DP_METRICS * sizeof(sum[0]));
	enum zc_err err = workshops_week_attendees(txn, week, add_attendee, &l);
	if (err)
		goto out;
	/* One row per participant: merge their workshops of the week. */
	if (l.n)
		qsort(l.a, l.n, sizeof(*l.a), cmp_attendee);
	size_t w = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (w && memcmp(l.a[w - 1].pid, l.a[i].pid, SECRETS_ID_BYTES) == 0) {
			l.a[w - 1].online |= l.a[i].online;
			l.a[w - 1].physical |= l.a[i].physical;
		} else {
			l.a[w++] = l.a[i];
		}
	}
	l.n = w;
	/* Check-in keys start with the participant id: one participant's rows
	 * are contiguous. */
	err = store_iter_new(txn, STORE_CHECKINS, NULL, 0, false, &it);
	if (err)
		goto out;
	struct contribution c = {0};
	bool open = false;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct rec_checkin rc;
		if (kl < SECRETS_ID_BYTES || !rec_checkin_decode(v, vl, &rc) ||
		    time_iso_week(time_local_day(rc.at)) != week)
			continue;
		if (open && memcmp(c.pid, k, SECRETS_ID_BYTES) != 0) {
			add_contribution(&c, &l, m, sum);
			open = false;
		}
		if (!open) {
			memset(&c, 0, sizeof(c));
			memcpy(c.pid, k, SECRETS_ID_BYTES);
			open = true;
		}
		c.co2e += rc.co2e_g;
		c.waste += rc.waste_g;
		c.checkins++;
	}
	if (open)
		add_contribution(&c, &l, m, sum);
	store_iter_free(it);
	for (size_t i = 0; i < l.n; i++) {
		if (l.a[i].seen)
			continue;
		sum[DP_ACTIVE] += dp_clip(1, m[DP_ACTIVE].clip);
		sum[DP_ONLINE] += dp_clip(l.a[i].online, m[DP_ONLINE].clip);
		sum[DP_PHYSICAL] += dp_clip(l.a[i].physical, m[DP_PHYSICAL].clip);
	}
out:
	free(l.a);
	return err;
}

/* -- publishing ----------------------------------------------------------------------- */

static uint32_t current_week(void)
{
	return time_iso_week(time_local_day(time_now_s()));
}

static uint32_t previous_week(uint32_t week)
{
	return time_iso_week(time_week_monday(week) - 1);
}

static void answer(struct fed_answer *why, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void answer(struct fed_answer *why, const char *code, const char *fmt, ...)
{
	va_list ap;
	why->code = code;
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof(why->message), fmt, ap);
	va_end(ap);
}

/* After a statement is stored (ours or a peer's): tell the sync thread, and
 * redraw the board. */
static void stored(struct node *n, const char *origin, uint64_t seq, const char *env, size_t len,
		   int from_peer)
{
	struct federation *f = n->fed;
	f->board_dirty = true;
	if (f->sync) {
		fedsync_set_head(f->sync, origin, seq);
		fedsync_push(f->sync, env, len, from_peer);
	}
}

int fed_publish(struct node *n, uint32_t week, struct jbuf *out, struct fed_answer *why)
{
	struct federation *f = n->fed;
	struct store_txn *txn = NULL;
	struct fed_stmt s;
	struct fed_head h;
	struct fed_outcome oc;
	struct canon_doc *doc = NULL;
	struct jbuf payload, env;
	uint64_t sums[DP_METRICS], seq, spent;
	char wk[TIME_WEEK_LEN], day[TIME_DAY_LEN];
	int status = 500;
	enum zc_err err;

	time_format_week(week, wk);
	if (!f) {
		answer(why, "federation_off", "federation is not configured on this node%s", "");
		return 404;
	}
	if (week >= current_week()) {
		answer(why, "week_not_closed",
		       "%s is not over yet: only closed weeks are published", wk);
		return 422;
	}
	if (!n->city.population) {
		answer(why, "population_unset",
		       "set the city's population first (it is in every statement)%s", "");
		return 422;
	}
	jbuf_init(&payload, 0);
	jbuf_init(&env, 0);
	memset(&s, 0, sizeof(s));
	err = store_begin(n->store, true, &txn);
	if (err)
		goto fail;
	if (fedlog_week_seq(txn, n->cfg.fed_origin, week, &seq) == ZC_OK) {
		answer(why, "already_published",
		       "%s was published already; a week is never released twice", wk);
		status = 409;
		goto out;
	}
	memcpy(s.privacy, dp_default_metrics, sizeof(s.privacy));
	err = fedlog_ledger_get(txn, week / 100, &spent);
	if (err)
		goto fail;
	if (!dp_budget_allows(spent, dp_release_cost(s.privacy), n->cfg.fed_budget_milli)) {
		answer(why, "privacy_budget_exhausted",
		       "the privacy budget of the year is spent (fed_budget_milli); %s is not "
		       "released",
		       wk);
		status = 409;
		goto out;
	}
	err = week_sums(txn, week, s.privacy, sums);
	if (!err)
		err = fedlog_head(txn, n->cfg.fed_origin, &h);
	if (err)
		goto fail;
	struct dp_release rel;
	err = dp_release(sums, s.privacy, DP_SUPPRESS_BELOW, dp_rng_sodium, NULL, &rel);
	if (err)
		goto fail;
	snprintf(s.origin, sizeof(s.origin), "%s", n->cfg.fed_origin);
	snprintf(s.city, sizeof(s.city), "%s", n->city.name[0] ? n->city.name : n->cfg.fed_origin);
	s.seq = h.seq + 1;
	memcpy(s.prev, h.hash, sizeof(s.prev));
	s.issued_at = time_now_s();
	snprintf(s.keyid, sizeof(s.keyid), "%s", f->keyid);
	time_format_day(time_week_monday(week), day);
	struct season season;
	if (city_season_current(n, day, &season) == ZC_OK)
		snprintf(s.season, sizeof(s.season), "%s", season.id);
	s.week = week;
	s.population = n->city.population;
	s.suppressed = rel.suppressed;
	memcpy(s.metric, rel.value, sizeof(s.metric));
	s.suppress_below = DP_SUPPRESS_BELOW;
	if (!stmt_encode(&s, &payload))
		goto fail;
	doc = canon_new();
	/* During a key rotation both keys sign: peers that pin either verify. */
	const unsigned char *body = (const unsigned char *)jbuf_data(&payload);
	const struct canon_value *e =
	    f->sk_next ? dsse_sign2(doc, DSSE_TYPE_STATEMENT, body, payload.len, f->sk, f->sk_next)
		       : dsse_sign(doc, DSSE_TYPE_STATEMENT, body, payload.len, f->sk);
	if (!e || !canon_write(e, &env))
		goto fail;
	/* Through the same checks as a peer's statement. */
	err = fedlog_offer(txn, &f->trust, e, time_now_s(), &oc);
	if (err)
		goto fail;
	if (oc.result != FED_ACCEPTED) {
		log_event(LOG_ERROR, "federation_own_statement_refused", "week=%s code=%s", wk,
			  oc.code ? oc.code : fed_result_name(oc.result));
		goto fail;
	}
	err = fedlog_ledger_add(txn, week / 100, dp_release_cost(s.privacy));
	if (err)
		goto fail;
	err = store_commit(txn);
	txn = NULL;
	if (err)
		goto fail;
	log_event(LOG_INFO, "federation_published", "week=%s seq=%llu suppressed=%d", wk,
		  (unsigned long long)s.seq, s.suppressed);
	stored(n, s.origin, s.seq, jbuf_data(&env), env.len, -1);
	jbuf_puts(out, "{\"week\":");
	jbuf_json_str(out, wk);
	jbuf_printf(out,
		    ",\"seq\":%llu,\"suppressed\":%s,\"statement\":", (unsigned long long)s.seq,
		    s.suppressed ? "true" : "false");
	jbuf_put(out, jbuf_data(&payload), payload.len);
	jbuf_puts(out, ",\"envelope\":");
	jbuf_put(out, jbuf_data(&env), env.len);
	jbuf_putc(out, '}');
	status = 201;
	goto out;
fail:
	answer(why, err == ZC_ERR_STORE_FULL ? "storage_full" : "internal_error",
	       "the statement could not be published%s", "");
	status = err == ZC_ERR_STORE_FULL ? 507 : 500;
out:
	store_abort(txn);
	canon_free(doc);
	jbuf_fini(&payload);
	jbuf_fini(&env);
	return status;
}

static void latest_week(const struct fed_stmt *s, void *arg)
{
	uint32_t *w = arg;
	if (s->week > *w)
		*w = s->week;
}

/* The closed weeks auto-publish owes, oldest first: the last closed week, and
 * the weeks between our newest statement and it that a stopped node missed
 * (at most FED_CATCH_UP_WEEKS). A node that never published starts with the
 * last closed week only. */
static unsigned weeks_owed(struct node *n, uint32_t last, uint32_t out[FED_CATCH_UP_WEEKS])
{
	struct store_txn *txn;
	uint32_t newest = 0, w = last;
	unsigned count = 0;
	if (store_begin(n->store, false, &txn) == ZC_OK) {
		fedlog_each(txn, n->cfg.fed_origin, latest_week, &newest);
		store_abort(txn);
	}
	while (count < FED_CATCH_UP_WEEKS && w > newest) {
		out[count++] = w;
		if (!newest)
			break;
		w = previous_week(w);
	}
	/* Oldest first, so statements follow the weeks. */
	for (unsigned i = 0; i < count / 2; i++) {
		uint32_t t = out[i];
		out[i] = out[count - 1 - i];
		out[count - 1 - i] = t;
	}
	return count;
}

void fed_tick(struct node *n)
{
	struct federation *f = n->fed;
	if (!f)
		return;
	/* A new week moves the board's window and may make a city stale. */
	uint32_t week = current_week();
	if (week != f->board_week) {
		f->board_week = week;
		f->board_dirty = true;
	}
	if (!n->cfg.fed_auto_publish || !n->city.population)
		return;
	uint32_t last = previous_week(current_week()), owed[FED_CATCH_UP_WEEKS];
	int64_t now = time_now_s();
	if (f->published_through == last || now < f->publish_retry_at)
		return;
	/* With peers, give the first pulls time to bring back our own newest
	 * statements (a restored backup may lack them) before signing a new one. */
	int64_t grace = n->cfg.fed_pull_interval_s < FED_START_GRACE_S ? n->cfg.fed_pull_interval_s
								       : FED_START_GRACE_S;
	if (n->cfg.npeers && now < n->started_at + grace)
		return;
	unsigned count = weeks_owed(n, last, owed);
	for (unsigned i = 0; i < count; i++) {
		struct jbuf out;
		struct fed_answer why;
		jbuf_init(&out, 0);
		int status = fed_publish(n, owed[i], &out, &why);
		jbuf_fini(&out);
		if (status != 201 && status != 409) {
			f->publish_retry_at = now + 60;
			return;
		}
		if (status == 409 && strcmp(why.code, "already_published") != 0)
			log_event(LOG_WARN, "federation_not_published", "code=%s", why.code);
	}
	f->published_through = last;
}

/* -- inbox, pages ---------------------------------------------------------------------- */

struct offered {
	struct fed_outcome oc;
	struct jbuf env;
};

/* Offers every envelope of array `list` in one transaction; results (and
 * the bytes of the accepted ones) go to res[]. */
static enum zc_err offer_all(struct node *n, const struct canon_value *list, struct offered *res,
			     size_t count, bool *gap)
{
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	int64_t now = time_now_s();
	for (size_t i = 0; i < count && !err; i++) {
		const struct canon_value *e = canon_item(list, i);
		jbuf_init(&res[i].env, 0);
		err = fedlog_offer(txn, &n->fed->trust, e, now, &res[i].oc);
		if (!err && res[i].oc.result != FED_REJECTED && res[i].oc.result != FED_DUPLICATE)
			canon_write(e, &res[i].env);
		if (res[i].oc.result == FED_REJECTED && strcmp(res[i].oc.code, "gap") == 0)
			*gap = true;
	}
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

static void after_offer(struct node *n, struct offered *res, size_t count, int peer)
{
	for (size_t i = 0; i < count; i++) {
		const struct fed_outcome *oc = &res[i].oc;
		if (oc->result == FED_CONFLICT)
			log_event(LOG_WARN, "federation_conflict", "origin=%s seq=%llu code=%s",
				  oc->origin, (unsigned long long)oc->seq, oc->code);
		if (res[i].env.len)
			stored(n, oc->origin, oc->seq, jbuf_data(&res[i].env), res[i].env.len,
			       peer);
		else if (oc->result == FED_CONFLICT)
			n->fed->board_dirty = true;
		jbuf_fini(&res[i].env);
	}
}

int fed_inbox(struct node *n, int peer, const char *body, size_t len, struct jbuf *out,
	      struct fed_answer *why)
{
	static const char *const allowed[] = {"envelopes"};
	struct canon_doc *doc = NULL;
	size_t at = 0;
	bool gap = false;
	int status;
	if (!n->fed) {
		answer(why, "federation_off", "federation is not configured on this node%s", "");
		return 404;
	}
	enum canon_err ce = canon_parse(body, len, &doc, &at);
	if (ce != CANON_OK) {
		why->code = "body_not_canonical";
		snprintf(why->message, sizeof(why->message),
			 "zcfed/1 bodies are canonical JSON: %s at byte %zu", canon_err_name(ce),
			 at);
		return 400;
	}
	const struct canon_value *root = canon_root(doc), *list = canon_get(root, "envelopes");
	const char *extra = canon_unknown_key(root, allowed, 1);
	if (canon_type(root) != CANON_OBJECT || extra || !list || canon_type(list) != CANON_ARRAY) {
		answer(why, "bad_body", "expected {\"envelopes\":[…]}%s", "");
		status = 422;
		goto out;
	}
	size_t count = canon_count(list);
	if (count > FED_BATCH_MAX) {
		why->code = "too_many_envelopes";
		snprintf(why->message, sizeof(why->message), "at most %d envelopes per request",
			 FED_BATCH_MAX);
		status = 413;
		goto out;
	}
	struct offered *res = calloc(count ? count : 1, sizeof(*res));
	if (!res)
		abort();
	enum zc_err err = offer_all(n, list, res, count, &gap);
	if (err) {
		for (size_t i = 0; i < count; i++)
			jbuf_fini(&res[i].env);
		free(res);
		answer(why, err == ZC_ERR_STORE_FULL ? "storage_full" : "internal_error",
		       "the statements could not be stored%s", "");
		status = err == ZC_ERR_STORE_FULL ? 507 : 500;
		goto out;
	}
	/* Canonical: {"results":[{"code"?,"origin","result","seq"}…]}. */
	jbuf_puts(out, "{\"results\":[");
	for (size_t i = 0; i < count; i++) {
		const struct fed_outcome *oc = &res[i].oc;
		if (i)
			jbuf_putc(out, ',');
		jbuf_putc(out, '{');
		if (oc->code)
			jbuf_printf(out, "\"code\":\"%s\",", oc->code);
		if (oc->result == FED_REJECTED && oc->detail && oc->detail[0])
			jbuf_printf(out, "\"detail\":\"%s\",", oc->detail);
		jbuf_printf(out, "\"origin\":\"%s\",\"result\":\"%s\",\"seq\":%llu}", oc->origin,
			    fed_result_name(oc->result), (unsigned long long)oc->seq);
	}
	jbuf_puts(out, "]}");
	after_offer(n, res, count, peer);
	free(res);
	if (n->fed->sync)
		fedsync_poke(n->fed->sync, peer, gap);
	status = 200;
out:
	canon_free(doc);
	return status;
}

static bool origin_followed(const struct node *n, const char *origin)
{
	if (strcmp(origin, n->cfg.fed_origin) == 0)
		return true;
	for (unsigned i = 0; i < n->cfg.npeers; i++)
		if (strcmp(n->cfg.peers[i].origin, origin) == 0)
			return true;
	return false;
}

int fed_log_page(struct node *n, int peer, const char *origin, uint64_t after, unsigned limit,
		 struct jbuf *out, struct fed_answer *why)
{
	struct store_txn *txn;
	if (!n->fed) {
		answer(why, "federation_off", "federation is not configured on this node%s", "");
		return 404;
	}
	if (!origin_followed(n, origin)) {
		answer(why, "unknown_origin", "this node holds no log for '%s'", origin);
		return 404;
	}
	if (n->fed->sync)
		fedsync_poke(n->fed->sync, peer, false);
	if (store_begin(n->store, false, &txn) != ZC_OK) {
		answer(why, "internal_error", "the store could not be read%s", "");
		return 500;
	}
	enum zc_err err = fedlog_page(txn, origin, after, limit, out);
	store_abort(txn);
	if (err) {
		answer(why, "internal_error", "the store could not be read%s", "");
		return 500;
	}
	return 200;
}

void fed_drain(struct node *n)
{
	if (!n->fed || !n->fed->sync)
		return;
	struct fedsync_page *p = fedsync_take(n->fed->sync);
	while (p) {
		struct fedsync_page *next = p->next;
		struct canon_doc *doc = NULL;
		const struct canon_value *list;
		bool gap = false;
		if (canon_parse(p->body, p->len, &doc, NULL) == CANON_OK &&
		    (list = canon_get(canon_root(doc), "entries")) &&
		    canon_type(list) == CANON_ARRAY && canon_count(list) <= FED_PAGE_MAX) {
			size_t count = canon_count(list);
			struct offered *res = calloc(count ? count : 1, sizeof(*res));
			if (!res)
				abort();
			if (offer_all(n, list, res, count, &gap) == ZC_OK) {
				after_offer(n, res, count, p->peer);
			} else {
				for (size_t i = 0; i < count; i++)
					jbuf_fini(&res[i].env);
			}
			free(res);
		} else {
			log_event(LOG_WARN, "federation_bad_page", "peer=%s",
				  n->cfg.peers[p->peer].origin);
		}
		canon_free(doc);
		free(p);
		p = next;
	}
}

/* -- the inter-city board -------------------------------------------------------------- */

struct city_row {
	char origin[CONFIG_ORIGIN_MAX];
	char city[STMT_CITY_MAX];
	uint32_t population;
	uint32_t last_week;
	unsigned weeks, suppressed;
	int64_t sum[DP_METRICS];
	double var[DP_METRICS];
	int64_t updated_at;
	bool flagged, own;
	double key, low, high; /* the ranking figure and its interval */
	unsigned rank;
	bool tie;
};

struct board_ctx {
	struct store_txn *txn;
	struct city_row *row;
	uint32_t from, to;
};

static void add_stmt(const struct fed_stmt *s, void *arg)
{
	struct board_ctx *c = arg;
	struct city_row *r = c->row;
	uint64_t seq;
	if (s->week < c->from || s->week > c->to)
		return;
	/* A week counts once: the statement the week index names (a second
	 * release of a week is flagged, never counted). */
	if (fedlog_week_seq(c->txn, s->origin, s->week, &seq) != ZC_OK || seq != s->seq)
		return;
	snprintf(r->city, sizeof(r->city), "%s", s->city);
	r->population = s->population;
	if (s->week > r->last_week)
		r->last_week = s->week;
	r->weeks++;
	if (s->suppressed) {
		r->suppressed++;
		return;
	}
	for (unsigned i = 0; i < DP_METRICS; i++) {
		r->sum[i] += s->metric[i];
		r->var[i] += dp_metric_variance(&s->privacy[i]);
	}
}

static int cmp_row(const void *a, const void *b)
{
	const struct city_row *x = a, *y = b;
	return x->key < y->key ? 1 : x->key > y->key ? -1 : strcmp(x->origin, y->origin);
}

/* 95 % interval half-width of a sum of independent noises of total variance
 * var (normal approximation over the season's weeks). */
static double half95(double var)
{
	return 1.96 * sqrt(var);
}

/* A figure and its 95 % interval, clamped at 0 for display. */
static void put_figure(struct jbuf *out, const char *name, double v, double hw)
{
	double lo = v - hw, hi = v + hw;
	jbuf_json_key(out, name);
	jbuf_printf(out, "{\"value\":%.1f,\"low\":%.1f,\"high\":%.1f}", v > 0 ? v : 0,
		    lo > 0 ? lo : 0, hi > 0 ? hi : 0);
}

void fed_intercity_json(struct node *n, struct jbuf *out)
{
	struct city_row rows[CONFIG_PEERS_MAX + 1];
	struct store_txn *txn;
	unsigned nrows = 0;
	uint32_t to = previous_week(current_week()), from;
	const struct season *season = city_season_today(n);
	int64_t start_day;
	char a[TIME_WEEK_LEN], b[TIME_WEEK_LEN];
	if (season && time_parse_day(season->starts_on, &start_day))
		from = time_iso_week(start_day);
	else
		from = (to / 100) * 100 + 1;
	time_format_week(from, a);
	time_format_week(to, b);
	jbuf_puts(out, "{\"season\":{\"id\":");
	jbuf_json_str(out, season ? season->id : "");
	jbuf_printf(
	    out, ",\"from\":\"%s\",\"to\":\"%s\"},\"ranked_by\":\"co2e_avoided_g_per_1000\"", a, b);
	jbuf_puts(out, ",\"confidence\":0.95,\"cities\":[");
	if (!n->fed || store_begin(n->store, false, &txn) != ZC_OK) {
		jbuf_puts(out, "]}");
		return;
	}
	for (unsigned i = 0; i <= n->cfg.npeers; i++) {
		const char *origin = i == 0 ? n->cfg.fed_origin : n->cfg.peers[i - 1].origin;
		struct city_row *r = &rows[nrows];
		struct fed_head h;
		struct board_ctx c = {txn, r, from, to};
		memset(r, 0, sizeof(*r));
		snprintf(r->origin, sizeof(r->origin), "%s", origin);
		r->own = i == 0;
		if (fedlog_head(txn, origin, &h) != ZC_OK || h.seq == 0)
			continue;
		r->updated_at = h.updated_at;
		r->flagged = h.equivocated;
		fedlog_each(txn, origin, add_stmt, &c);
		if (!r->population)
			continue;
		double per = 1000.0 / r->population;
		r->key = (double)r->sum[DP_CO2E] * per;
		double hw = half95(r->var[DP_CO2E]) * per;
		r->low = r->key - hw;
		r->high = r->key + hw;
		nrows++;
	}
	store_abort(txn);
	qsort(rows, nrows, sizeof(rows[0]), cmp_row);
	/* Ranks; a city whose interval overlaps the one above shares its rank. */
	for (unsigned i = 0; i < nrows; i++) {
		rows[i].rank = i + 1;
		if (i && rows[i].high >= rows[i - 1].low) {
			rows[i].rank = rows[i - 1].rank;
			rows[i].tie = rows[i - 1].tie = true;
		}
	}
	for (unsigned i = 0; i < nrows; i++) {
		const struct city_row *r = &rows[i];
		char updated[TIME_RFC3339_LEN], last[TIME_WEEK_LEN];
		double per = 1000.0 / r->population;
		double active = r->sum[DP_ACTIVE] > 0 ? (double)r->sum[DP_ACTIVE] : 0;
		time_rfc3339(r->updated_at, updated);
		time_format_week(r->last_week, last);
		if (i)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"origin\":");
		jbuf_json_str(out, r->origin);
		jbuf_puts(out, ",\"city\":");
		jbuf_json_str(out, r->city);
		jbuf_printf(out,
			    ",\"own\":%s,\"population\":%u,\"rank\":%u,\"tie\":%s,"
			    "\"status\":\"%s\",\"updated_at\":\"%s\",\"last_week\":\"%s\","
			    "\"weeks\":%u,\"suppressed_weeks\":%u,\"totals\":{",
			    r->own ? "true" : "false", r->population, r->rank,
			    r->tie ? "true" : "false",
			    r->flagged		? "flagged"
			    : r->last_week < to ? "stale"
						: "verified",
			    updated, r->last_week ? last : "", r->weeks, r->suppressed);
		/* Noisy sums can fall below zero; shown clamped at 0 (post-processing,
		 * which costs no privacy). */
		for (unsigned m = 0; m < DP_METRICS; m++) {
			jbuf_json_key(out, dp_default_metrics[m].name);
			jbuf_printf(out, "%lld", (long long)(r->sum[m] > 0 ? r->sum[m] : 0));
		}
		jbuf_puts(out, "},\"per_1000\":{");
		for (unsigned m = 0; m < DP_METRICS; m++) {
			put_figure(out, dp_default_metrics[m].name, (double)r->sum[m] * per,
				   half95(r->var[m]) * per);
		}
		/* Per active participant-week: the noise of the numerator over the
		 * noisy count of active participant-weeks (the count's own noise is
		 * small beside it and left out of the interval). */
		jbuf_puts(out, "},\"per_active\":{");
		for (unsigned m = DP_CO2E; m < DP_METRICS; m++) {
			put_figure(out, dp_default_metrics[m].name,
				   active ? (double)r->sum[m] / active : 0,
				   active ? half95(r->var[m]) / active : 0);
		}
		jbuf_puts(out, "}}");
	}
	jbuf_puts(out, "]}");
}

static void publish_board(struct node *n)
{
	struct bcast_channel *ch = channels_find(n->channels, "intercity");
	if (!ch)
		return;
	struct jbuf data;
	jbuf_init(&data, 0);
	fed_intercity_json(n, &data);
	bcast_publish(ch, jbuf_data(&data), data.len);
	jbuf_fini(&data);
}

/* -- status ---------------------------------------------------------------------------- */

struct heads_ctx {
	struct jbuf *out;
	unsigned n;
};

static void head_json(const struct fed_head *h, void *arg)
{
	struct heads_ctx *c = arg;
	char at[TIME_RFC3339_LEN];
	time_rfc3339(h->updated_at, at);
	if (c->n++)
		jbuf_putc(c->out, ',');
	jbuf_puts(c->out, "{\"origin\":");
	jbuf_json_str(c->out, h->origin);
	jbuf_printf(c->out, ",\"seq\":%llu,\"updated_at\":\"%s\",\"equivocated\":%s}",
		    (unsigned long long)h->seq, at, h->equivocated ? "true" : "false");
}

enum zc_err fed_status_json(struct node *n, struct jbuf *out)
{
	struct federation *f = n->fed;
	struct store_txn *txn;
	char pk[64], pin[64] = "", cert[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX];
	unsigned char raw[FEDTLS_PIN_BYTES];
	uint64_t spent;
	if (!f) {
		jbuf_puts(out, "{\"enabled\":false}");
		return ZC_OK;
	}
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	b64url_encode(f->trust.own_pk, 32, pk, sizeof(pk));
	fed_tls_paths(n, cert, key, sizeof(cert));
	if (fedtls_spki_pin_file(cert, raw))
		b64url_encode(raw, sizeof(raw), pin, sizeof(pin));
	jbuf_puts(out, "{\"enabled\":true,\"origin\":");
	jbuf_json_str(out, n->cfg.fed_origin);
	jbuf_printf(out, ",\"identity_key\":\"%s\",\"keyid\":\"%s\",\"tls_spki_sha256\":\"%s\"", pk,
		    f->keyid, pin);
	uint32_t year = current_week() / 100;
	fedlog_ledger_get(txn, year, &spent);
	jbuf_printf(out,
		    ",\"privacy_ledger\":{\"year\":%u,\"spent_milli\":%llu,\"budget_milli\":%llu,"
		    "\"per_week_milli\":%u}",
		    year, (unsigned long long)spent, (unsigned long long)n->cfg.fed_budget_milli,
		    dp_release_cost(dp_default_metrics));
	jbuf_puts(out, ",\"logs\":[");
	struct heads_ctx c = {out, 0};
	fedlog_heads(txn, head_json, &c);
	jbuf_puts(out, "],\"peers\":");
	if (f->sync) {
		fedsync_status_json(f->sync, out);
	} else {
		jbuf_putc(out, '[');
		for (unsigned i = 0; i < n->cfg.npeers; i++) {
			if (i)
				jbuf_putc(out, ',');
			jbuf_puts(out, "{\"origin\":");
			jbuf_json_str(out, n->cfg.peers[i].origin);
			jbuf_putc(out, '}');
		}
		jbuf_putc(out, ']');
	}
	jbuf_puts(out, ",\"equivocations\":");
	fedlog_equivocations_json(txn, out);
	jbuf_putc(out, '}');
	store_abort(txn);
	return ZC_OK;
}

void fed_board_refresh(struct node *n)
{
	if (n->fed && n->fed->board_dirty) {
		n->fed->board_dirty = false;
		publish_board(n);
	}
}
