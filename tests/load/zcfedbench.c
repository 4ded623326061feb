/* zcfedbench: cost of receiving zcfed/1 statements. A fake peer city signs N
 * weekly statements (a hash chain); they are then offered to a fresh store in
 * batches of 100 per transaction, as the inbox does: canonical parse of the
 * envelope, payload checks, Ed25519 verification, chain and duplicate checks,
 * three writes and one commit per batch. Prints statements verified and
 * applied per second (target ≥ 1,000 per core), the parts' costs, and the
 * replay (duplicate) rate. Single-threaded: the figures are per core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "b64url.h"
#include "canon.h"
#include "config.h"
#include "dp.h"
#include "dsse.h"
#include "fedlog.h"
#include "schema.h"
#include "statement.h"
#include "store.h"
#include "timeutil.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Offers envs[0..n) in batches of FED_BATCH_MAX; returns ns, counts outcomes. */
static uint64_t offer(struct store *st, const struct fed_trust *trust, struct canon_doc **docs,
		      size_t n, unsigned counts[4], uint64_t *batch_ns)
{
	uint64_t t0 = now_ns();
	for (size_t i = 0, b = 0; i < n; i += FED_BATCH_MAX, b++) {
		struct store_txn *txn;
		uint64_t b0 = now_ns();
		if (store_begin(st, true, &txn) != ZC_OK)
			exit(1);
		for (size_t j = i; j < n && j < i + FED_BATCH_MAX; j++) {
			struct fed_outcome oc;
			if (fedlog_offer(txn, trust, canon_root(docs[j]), time_now_s(), &oc) !=
			    ZC_OK)
				exit(1);
			counts[oc.result]++;
		}
		if (store_commit(txn) != ZC_OK)
			exit(1);
		if (batch_ns)
			batch_ns[b] = now_ns() - b0;
	}
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	size_t n = 10000;
	char dir[] = "/tmp/zcfedbench.XXXXXX";
	const char *where = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--statements") == 0 && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			where = argv[++i];
		else {
			fprintf(stderr, "usage: zcfedbench [--statements N] [--dir PARENT]\n"
					"  PARENT holds the temporary store (default /tmp; put it\n"
					"  on the disk a node would use).\n");
			return 2;
		}
	}
	if (sodium_init() < 0 || n == 0 || n > 1000000)
		return 1;
	char path[512];
	if (where)
		snprintf(path, sizeof(path), "%s/zcfedbench.XXXXXX", where);
	else
		snprintf(path, sizeof(path), "%s", dir);
	if (!mkdtemp(path))
		return 1;

	/* The fake peer. */
	static struct zc_config cfg;
	unsigned char pk[32], sk[64];
	crypto_sign_keypair(pk, sk);
	config_defaults(&cfg);
	snprintf(cfg.fed_origin, sizeof(cfg.fed_origin), "here");
	cfg.npeers = 1;
	snprintf(cfg.peers[0].origin, sizeof(cfg.peers[0].origin), "bench-city");
	snprintf(cfg.peers[0].url, sizeof(cfg.peers[0].url), "https://127.0.0.1:1");
	memcpy(cfg.peers[0].key[0], pk, 32);
	cfg.peers[0].nkeys = 1;
	struct fed_trust trust = {.cfg = &cfg};
	unsigned char own_sk[64];
	crypto_sign_keypair(trust.own_pk, own_sk);

	/* N chained statements, one per ISO week from 2000-W01 on. */
	struct canon_doc **docs = calloc(n, sizeof(*docs));
	size_t bytes = 0;
	unsigned char prev[STMT_HASH_BYTES] = {0};
	uint64_t s0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		struct fed_stmt s;
		struct jbuf payload, env;
		memset(&s, 0, sizeof(s));
		snprintf(s.origin, sizeof(s.origin), "bench-city");
		snprintf(s.city, sizeof(s.city), "Bench-sur-Seine");
		s.seq = i + 1;
		memcpy(s.prev, prev, sizeof(prev));
		s.issued_at = time_now_s();
		dsse_keyid(pk, s.keyid);
		snprintf(s.season, sizeof(s.season), "bench");
		s.week = (uint32_t)((2000 + i / 52) * 100 + i % 52 + 1);
		s.population = 50000;
		memcpy(s.privacy, dp_default_metrics, sizeof(s.privacy));
		s.suppress_below = 10;
		for (unsigned m = 0; m < DP_METRICS; m++)
			s.metric[m] = (int64_t)(i * 37 + m * 1000);
		jbuf_init(&payload, 0);
		jbuf_init(&env, 0);
		if (!stmt_encode(&s, &payload))
			return 1;
		stmt_hash((const unsigned char *)jbuf_data(&payload), payload.len, prev);
		struct canon_doc *d = canon_new();
		const struct canon_value *e =
		    dsse_sign(d, DSSE_TYPE_STATEMENT, (const unsigned char *)jbuf_data(&payload),
			      payload.len, sk);
		if (!e || !canon_write(e, &env))
			return 1;
		canon_free(d);
		/* Received as bytes: parse like the inbox does. */
		if (canon_parse(jbuf_data(&env), env.len, &docs[i], NULL) != CANON_OK)
			return 1;
		bytes += env.len;
		jbuf_fini(&payload);
		jbuf_fini(&env);
	}
	uint64_t sign_ns = now_ns() - s0;

	/* Verification alone, for reference. */
	uint64_t v0 = now_ns();
	for (size_t i = 0; i < n; i++) {
		struct dsse_env e;
		if (dsse_from_value(canon_root(docs[i]), &e) != DSSE_OK || !dsse_verify(&e, pk))
			return 1;
		dsse_env_free(&e);
	}
	uint64_t verify_ns = now_ns() - v0;

	struct store *st;
	if (store_open(path, 1024ull << 20, &st) != ZC_OK || schema_migrate(st) != ZC_OK)
		return 1;
	unsigned counts[4] = {0}, dup[4] = {0};
	size_t nb = (n + FED_BATCH_MAX - 1) / FED_BATCH_MAX;
	uint64_t *batch_ns = calloc(nb, sizeof(*batch_ns));
	uint64_t apply_ns = offer(st, &trust, docs, n, counts, batch_ns);
	uint64_t replay_ns = offer(st, &trust, docs, n, dup, NULL);
	qsort(batch_ns, nb, sizeof(*batch_ns), cmp_u64);

	printf("statements=%zu envelope_bytes_mean=%zu\n", n, bytes / n);
	printf("sign_per_s=%.0f\n", n / (sign_ns / 1e9));
	printf("verify_only_per_s=%.0f (canonical payload parse not included)\n",
	       n / (verify_ns / 1e9));
	printf("offer_per_s=%.0f accepted=%u rejected=%u conflict=%u duplicate=%u "
	       "(batches of %d, one commit each; batch p50=%.2f ms p99=%.2f ms)\n",
	       n / (apply_ns / 1e9), counts[FED_ACCEPTED], counts[FED_REJECTED],
	       counts[FED_CONFLICT], counts[FED_DUPLICATE], FED_BATCH_MAX, batch_ns[nb / 2] / 1e6,
	       batch_ns[nb * 99 / 100] / 1e6);
	printf("replay_per_s=%.0f duplicate=%u (same statements again: verified, no write)\n",
	       n / (replay_ns / 1e9), dup[FED_DUPLICATE]);
	for (size_t i = 0; i < n; i++)
		canon_free(docs[i]);
	free(docs);
	free(batch_ns);
	store_close(st);
	char file[600];
	snprintf(file, sizeof(file), "%s/data.mdb", path);
	unlink(file);
	snprintf(file, sizeof(file), "%s/lock.mdb", path);
	unlink(file);
	rmdir(path);
	return counts[FED_ACCEPTED] == n && dup[FED_DUPLICATE] == n ? 0 : 1;
}
