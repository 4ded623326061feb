/* Unit tests for zcfed/1 statements and the statement logs: payload round
 * trip and field checks; offering envelopes to a real LMDB store — accepted,
 * duplicate, equivocation, week republished, gap, bad prev, unknown origin and
 * key, forged signature, issued in the future — and the pages served. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "b64url.h"
#include "canon.h"
#include "dsse.h"
#include "fedlog.h"
#include "schema.h"
#include "statement.h"
#include "store.h"
#include "timeutil.h"

static char dir[64];
static struct zc_config cfg;
static struct fed_trust trust;
static unsigned char peer_pk[32], peer_sk[64], other_pk[32], other_sk[64];

static int setup(void **state)
{
	struct store *st;
	snprintf(dir, sizeof(dir), "/tmp/zcfedlog-XXXXXX");
	if (!mkdtemp(dir) || store_open(dir, 16u << 20, &st) != ZC_OK ||
	    schema_migrate(st) != ZC_OK)
		return -1;
	crypto_sign_keypair(peer_pk, peer_sk);
	crypto_sign_keypair(other_pk, other_sk);
	config_defaults(&cfg);
	snprintf(cfg.fed_origin, sizeof(cfg.fed_origin), "here");
	cfg.npeers = 1;
	snprintf(cfg.peers[0].origin, sizeof(cfg.peers[0].origin), "vanves");
	memcpy(cfg.peers[0].key[0], peer_pk, 32);
	cfg.peers[0].nkeys = 1;
	memset(&trust, 0, sizeof(trust));
	trust.cfg = &cfg;
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	char path[128];
	store_close(*state);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void stmt_init(struct fed_stmt *s, uint64_t seq, const unsigned char prev[32], uint32_t week)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->origin, sizeof(s->origin), "vanves");
	snprintf(s->city, sizeof(s->city), "Vanves");
	s->seq = seq;
	if (prev)
		memcpy(s->prev, prev, 32);
	s->issued_at = time_now_s();
	dsse_keyid(peer_pk, s->keyid);
	snprintf(s->season, sizeof(s->season), "2026-2027");
	s->week = week;
	s->population = 28000;
	memcpy(s->privacy, dp_default_metrics, sizeof(s->privacy));
	s->suppress_below = 10;
	for (unsigned i = 0; i < DP_METRICS; i++)
		s->metric[i] = 100 * (int64_t)i - 50;
}

/* Signs s with sk into a parsed envelope (as received); *hash = its payload's. */
static struct canon_doc *envelope(const struct fed_stmt *s, const unsigned char *sk,
				  unsigned char hash[32])
{
	struct jbuf payload, env;
	struct canon_doc *d = canon_new(), *out = NULL;
	jbuf_init(&payload, 0);
	jbuf_init(&env, 0);
	assert_true(stmt_encode(s, &payload));
	if (hash)
		stmt_hash((const unsigned char *)jbuf_data(&payload), payload.len, hash);
	const struct canon_value *e = dsse_sign(
	    d, DSSE_TYPE_STATEMENT, (const unsigned char *)jbuf_data(&payload), payload.len, sk);
	assert_non_null(e);
	assert_true(canon_write(e, &env));
	assert_int_equal(canon_parse(jbuf_data(&env), env.len, &out, NULL), CANON_OK);
	canon_free(d);
	jbuf_fini(&payload);
	jbuf_fini(&env);
	return out;
}

static struct fed_outcome offer(struct store *st, struct canon_doc *d)
{
	struct store_txn *txn;
	struct fed_outcome oc;
	assert_int_equal(store_begin(st, true, &txn), ZC_OK);
	assert_int_equal(fedlog_offer(txn, &trust, canon_root(d), time_now_s(), &oc), ZC_OK);
	assert_int_equal(store_commit(txn), ZC_OK);
	canon_free(d);
	return oc;
}

static uint64_t head_seq(struct store *st, bool *equivocated)
{
	struct store_txn *txn;
	struct fed_head h;
	assert_int_equal(store_begin(st, false, &txn), ZC_OK);
	assert_int_equal(fedlog_head(txn, "vanves", &h), ZC_OK);
	store_abort(txn);
	if (equivocated)
		*equivocated = h.equivocated;
	return h.seq;
}

static void statement_round_trip(void **state)
{
	(void)state;
	struct fed_stmt s, back;
	struct jbuf p;
	const char *detail;
	unsigned char prev[32];
	memset(prev, 7, sizeof(prev));
	stmt_init(&s, 2, prev, 202647);
	jbuf_init(&p, 0);
	assert_true(stmt_encode(&s, &p));
	assert_null(stmt_decode((const unsigned char *)jbuf_data(&p), p.len, &back, &detail));
	assert_int_equal(back.seq, 2);
	assert_int_equal(back.week, 202647);
	assert_memory_equal(back.prev, prev, 32);
	assert_string_equal(back.origin, "vanves");
	assert_int_equal(back.metric[DP_ACTIVE], -50);
	assert_int_equal(back.privacy[DP_CO2E].clip, dp_default_metrics[DP_CO2E].clip);
	/* Suppressed: metrics null. */
	s.suppressed = true;
	jbuf_reset(&p);
	assert_true(stmt_encode(&s, &p));
	assert_non_null(strstr(jbuf_data(&p), "\"metrics\":null"));
	assert_null(stmt_decode((const unsigned char *)jbuf_data(&p), p.len, &back, NULL));
	assert_true(back.suppressed);
	jbuf_fini(&p);
}

/* A payload edited by hand: each bad field is named. */
static void statement_field_checks(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to, *field;
	} cases[] = {
	    {"\"v\":1", "\"v\":2", "v"},
	    {"\"week\":\"2026-W47\"", "\"week\":\"2026-W99\"", "week"},
	    {"\"origin\":\"vanves\"", "\"origin\":\"Vanves\"", "origin"},
	    {"\"population\":28000", "\"population\":0", "population"},
	    {"\"seq\":1", "\"seq\":0", "seq"},
	    {"\"prev\":\"\"", "\"prev\":\"AAAA\"", "prev"},
	    {"\"suppressed\":false", "\"suppressed\":1", "suppressed"},
	    {"\"type\":\"zcfed.week\"", "\"type\":\"zcfed.year\"", "type"},
	    {"\"week\":\"2026-W47\"}", "\"week\":\"2026-W47\",\"zz\":0}", "unknown_field"},
	};
	struct fed_stmt s, back;
	struct jbuf p;
	stmt_init(&s, 1, NULL, 202647);
	jbuf_init(&p, 0);
	assert_true(stmt_encode(&s, &p));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[4096], *at = strstr(jbuf_data(&p), cases[i].from);
		const char *detail = NULL;
		assert_non_null(at);
		size_t pre = (size_t)(at - jbuf_data(&p));
		int n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pre, jbuf_data(&p), cases[i].to,
				 at + strlen(cases[i].from));
		const char *code =
		    stmt_decode((const unsigned char *)buf, (size_t)n, &back, &detail);
		assert_non_null(code);
		assert_string_equal(code, "bad_statement");
		assert_string_equal(detail, cases[i].field);
	}
	/* Not canonical: a space. */
	char spaced[4096];
	int n = snprintf(spaced, sizeof(spaced), " %s", jbuf_data(&p));
	assert_string_equal(stmt_decode((const unsigned char *)spaced, (size_t)n, &back, NULL),
			    "payload_not_canonical");
	jbuf_fini(&p);
}

static void chain_duplicate_conflicts(void **state)
{
	struct store *st = *state;
	struct fed_stmt s;
	struct fed_outcome oc;
	unsigned char h1[32], h2[32];
	bool eq;

	/* seq 2 before seq 1: a gap, nothing stored. */
	unsigned char some[32];
	memset(some, 9, sizeof(some));
	stmt_init(&s, 2, some, 202645);
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "gap");
	assert_int_equal(head_seq(st, NULL), 0);

	stmt_init(&s, 1, NULL, 202645);
	oc = offer(st, envelope(&s, peer_sk, h1));
	assert_int_equal(oc.result, FED_ACCEPTED);
	assert_int_equal(head_seq(st, NULL), 1);
	/* The same again: a duplicate, no change. */
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_DUPLICATE);
	assert_int_equal(head_seq(st, NULL), 1);

	/* seq 2 naming a wrong previous hash. */
	unsigned char wrong[32];
	memset(wrong, 1, sizeof(wrong));
	stmt_init(&s, 2, wrong, 202646);
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "bad_prev");

	stmt_init(&s, 2, h1, 202646);
	oc = offer(st, envelope(&s, peer_sk, h2));
	assert_int_equal(oc.result, FED_ACCEPTED);

	/* Another seq 2 (other figures): equivocation, proof kept, origin flagged. */
	stmt_init(&s, 2, h1, 202646);
	s.metric[DP_CO2E] += 1;
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_CONFLICT);
	assert_string_equal(oc.code, "equivocation");
	assert_int_equal(head_seq(st, &eq), 2);
	assert_true(eq);

	/* seq 3 for week 46 again: kept in the chain, flagged, never counted. */
	stmt_init(&s, 3, h2, 202646);
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_CONFLICT);
	assert_string_equal(oc.code, "week_republished");
	assert_int_equal(head_seq(st, NULL), 3);
	struct store_txn *txn;
	uint64_t seq;
	assert_int_equal(store_begin(st, false, &txn), ZC_OK);
	assert_int_equal(fedlog_week_seq(txn, "vanves", 202646, &seq), ZC_OK);
	assert_int_equal(seq, 2);
	struct jbuf page, proofs;
	jbuf_init(&page, 0);
	jbuf_init(&proofs, 0);
	assert_int_equal(fedlog_page(txn, "vanves", 1, 100, &page), ZC_OK);
	struct canon_doc *d;
	assert_int_equal(canon_parse(jbuf_data(&page), page.len, &d, NULL), CANON_OK);
	assert_int_equal(canon_count(canon_get(canon_root(d), "entries")), 2);
	int64_t head;
	assert_true(canon_get_int(canon_root(d), "head", &head));
	assert_int_equal(head, 3);
	canon_free(d);
	assert_int_equal(fedlog_equivocations_json(txn, &proofs), ZC_OK);
	assert_non_null(strstr(jbuf_data(&proofs), "\"seq\":2"));
	assert_non_null(strstr(jbuf_data(&proofs), "\"seq\":3"));
	store_abort(txn);
	jbuf_fini(&page);
	jbuf_fini(&proofs);
}

static void refused_envelopes(void **state)
{
	struct store *st = *state;
	struct fed_stmt s;
	struct fed_outcome oc;

	/* Signed by a key vanves never had. */
	stmt_init(&s, 1, NULL, 202645);
	dsse_keyid(other_pk, s.keyid);
	oc = offer(st, envelope(&s, other_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "unknown_key");

	/* Names vanves' key but signed by another: a forgery. */
	stmt_init(&s, 1, NULL, 202645);
	oc = offer(st, envelope(&s, other_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_non_null(oc.code);

	/* An origin nobody pinned. */
	stmt_init(&s, 1, NULL, 202645);
	snprintf(s.origin, sizeof(s.origin), "gotham");
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "unknown_origin");

	/* Ten minutes ahead of our clock. */
	stmt_init(&s, 1, NULL, 202645);
	s.issued_at = time_now_s() + 600;
	oc = offer(st, envelope(&s, peer_sk, NULL));
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "issued_in_future");
	assert_int_equal(head_seq(st, NULL), 0);
}

/* A payload byte changed after signing fails the signature. */
static void tampered_payload(void **state)
{
	struct store *st = *state;
	struct fed_stmt s;
	struct jbuf payload, env;
	struct canon_doc *d = canon_new(), *parsed;
	stmt_init(&s, 1, NULL, 202645);
	jbuf_init(&payload, 0);
	jbuf_init(&env, 0);
	assert_true(stmt_encode(&s, &payload));
	const struct canon_value *e =
	    dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)jbuf_data(&payload),
		      payload.len, peer_sk);
	assert_true(canon_write(e, &env));
	/* Swap the signed payload for one with other figures, same envelope. */
	s.metric[DP_CO2E] = 999999;
	struct jbuf forged;
	char b64[8192];
	jbuf_init(&forged, 0);
	assert_true(stmt_encode(&s, &forged));
	b64url_encode((const unsigned char *)jbuf_data(&forged), forged.len, b64, sizeof(b64));
	char *start = strstr(jbuf_data(&env), "\"payload\":\"") + 11, *end = strchr(start, '"');
	struct jbuf out;
	jbuf_init(&out, 0);
	jbuf_put(&out, jbuf_data(&env), (size_t)(start - jbuf_data(&env)));
	jbuf_puts(&out, b64);
	jbuf_puts(&out, end);
	assert_int_equal(canon_parse(jbuf_data(&out), out.len, &parsed, NULL), CANON_OK);
	struct fed_outcome oc = offer(st, parsed);
	assert_int_equal(oc.result, FED_REJECTED);
	assert_string_equal(oc.code, "bad_signature");
	canon_free(d);
	jbuf_fini(&payload);
	jbuf_fini(&env);
	jbuf_fini(&forged);
	jbuf_fini(&out);
}

static void ledger(void **state)
{
	struct store *st = *state;
	struct store_txn *txn;
	uint64_t spent;
	assert_int_equal(store_begin(st, true, &txn), ZC_OK);
	assert_int_equal(fedlog_ledger_get(txn, 2026, &spent), ZC_OK);
	assert_int_equal(spent, 0);
	assert_int_equal(fedlog_ledger_add(txn, 2026, 1000), ZC_OK);
	assert_int_equal(fedlog_ledger_add(txn, 2026, 1000), ZC_OK);
	assert_int_equal(fedlog_ledger_add(txn, 2027, 5), ZC_OK);
	assert_int_equal(fedlog_ledger_get(txn, 2026, &spent), ZC_OK);
	assert_int_equal(spent, 2000);
	assert_int_equal(store_commit(txn), ZC_OK);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(statement_round_trip),
	    cmocka_unit_test(statement_field_checks),
	    cmocka_unit_test_setup_teardown(chain_duplicate_conflicts, setup, teardown),
	    cmocka_unit_test_setup_teardown(refused_envelopes, setup, teardown),
	    cmocka_unit_test_setup_teardown(tampered_payload, setup, teardown),
	    cmocka_unit_test_setup_teardown(ledger, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
