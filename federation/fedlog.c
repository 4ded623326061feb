/* Statement logs in LMDB: verify, chain, store; pages for peers; the privacy
 * ledger. Keys put the origin first, so one origin's log is one ordered range:
 * origin bytes, a 0 byte, then a big-endian number (seq or week). */
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "dsse.h"
#include "fedlog.h"
#include "store.h"

#define FED_KEY_MAX	 (CONFIG_ORIGIN_MAX + 1 + 8)
#define HEAD_REC_LEN	 (8 + STMT_HASH_BYTES + 8 + 1)
#define HEAD_EQUIVOCATED 1u

const char *fed_result_name(enum fed_result r)
{
	static const char *const names[] = {"accepted", "duplicate", "conflict", "rejected"};
	return names[r];
}

/* origin | 0 | number (n bytes, big-endian). */
static size_t key_of(const char *origin, uint64_t num, size_t n, unsigned char out[FED_KEY_MAX])
{
	size_t ol = strlen(origin);
	memcpy(out, origin, ol);
	out[ol] = 0;
	if (n == 8)
		bytes_put_be64(out + ol + 1, num);
	else
		bytes_put_be32(out + ol + 1, (uint32_t)num);
	return ol + 1 + n;
}

enum zc_err fedlog_head(struct store_txn *txn, const char *origin, struct fed_head *out)
{
	const void *v;
	size_t vl;
	memset(out, 0, sizeof(*out));
	snprintf(out->origin, sizeof(out->origin), "%s", origin);
	enum zc_err err = store_get(txn, STORE_FED_HEADS, origin, strlen(origin), &v, &vl);
	if (err == ZC_ERR_NOT_FOUND)
		return ZC_OK;
	if (err)
		return err;
	if (vl != HEAD_REC_LEN)
		return ZC_ERR_STORE;
	const unsigned char *p = v;
	out->seq = bytes_get_be64(p);
	memcpy(out->hash, p + 8, STMT_HASH_BYTES);
	out->updated_at = (int64_t)bytes_get_be64(p + 8 + STMT_HASH_BYTES);
	out->equivocated = p[8 + STMT_HASH_BYTES + 8] & HEAD_EQUIVOCATED;
	return ZC_OK;
}

static enum zc_err head_put(struct store_txn *txn, const struct fed_head *h)
{
	unsigned char rec[HEAD_REC_LEN];
	bytes_put_be64(rec, h->seq);
	memcpy(rec + 8, h->hash, STMT_HASH_BYTES);
	bytes_put_be64(rec + 8 + STMT_HASH_BYTES, (uint64_t)h->updated_at);
	rec[8 + STMT_HASH_BYTES + 8] = h->equivocated ? HEAD_EQUIVOCATED : 0;
	return store_put(txn, STORE_FED_HEADS, h->origin, strlen(h->origin), rec, sizeof(rec),
			 false);
}

/* Keeps both envelopes of a conflict under (origin, seq) and flags the origin. */
static enum zc_err keep_proof(struct store_txn *txn, const char *origin, uint64_t seq,
			      const void *a, size_t al, const void *b, size_t bl, int64_t now)
{
	unsigned char key[FED_KEY_MAX];
	size_t kl = key_of(origin, seq, 8, key);
	struct jbuf rec;
	struct fed_head h;
	jbuf_init(&rec, 0);
	unsigned char len[4];
	bytes_put_be32(len, (uint32_t)al);
	jbuf_put(&rec, len, 4);
	jbuf_put(&rec, a, al);
	jbuf_put(&rec, b, bl);
	enum zc_err err = store_put(txn, STORE_FED_EQUIV, key, kl, jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	if (!err)
		err = fedlog_head(txn, origin, &h);
	if (!err && !h.equivocated) {
		h.equivocated = true;
		h.updated_at = now;
		err = head_put(txn, &h);
	}
	return err;
}

/* Which pinned key may sign for origin: ours for our origin, the peer's else. */
static bool key_for(const struct fed_trust *t, const char *origin, const char *keyid,
		    unsigned char pk[32])
{
	char id[DSSE_KEYID_LEN + 1];
	if (t->cfg->fed_origin[0] && strcmp(origin, t->cfg->fed_origin) == 0) {
		for (unsigned k = 0; k <= t->n_own_other; k++) {
			const unsigned char *key = k ? t->own_other[k - 1] : t->own_pk;
			dsse_keyid(key, id);
			if (strcmp(id, keyid) == 0) {
				memcpy(pk, key, 32);
				return true;
			}
		}
		return false;
	}
	for (unsigned i = 0; i < t->cfg->npeers; i++) {
		const struct zc_peer *p = &t->cfg->peers[i];
		if (strcmp(p->origin, origin) != 0)
			continue;
		for (unsigned k = 0; k < p->nkeys; k++) {
			dsse_keyid(p->key[k], id);
			if (strcmp(id, keyid) == 0) {
				memcpy(pk, p->key[k], 32);
				return true;
			}
		}
	}
	return false;
}

static bool origin_known(const struct fed_trust *t, const char *origin)
{
	if (t->cfg->fed_origin[0] && strcmp(origin, t->cfg->fed_origin) == 0)
		return true;
	for (unsigned i = 0; i < t->cfg->npeers; i++)
		if (strcmp(t->cfg->peers[i].origin, origin) == 0)
			return true;
	return false;
}

#define REJECT(c)                                                                                  \
	do {                                                                                       \
		out->result = FED_REJECTED;                                                        \
		out->code = c;                                                                     \
		goto done;                                                                         \
	} while (0)

enum zc_err fedlog_offer(struct store_txn *txn, const struct fed_trust *trust,
			 const struct canon_value *env, int64_t now, struct fed_outcome *out)
{
	struct dsse_env e;
	struct fed_stmt s;
	struct fed_head h;
	struct jbuf bytes;
	unsigned char pk[32], hash[STMT_HASH_BYTES], key[FED_KEY_MAX];
	const void *v;
	size_t vl, kl;
	enum zc_err err = ZC_OK;
	const char *why;

	memset(out, 0, sizeof(*out));
	memset(&e, 0, sizeof(e));
	jbuf_init(&bytes, 0);
	enum dsse_err de = dsse_from_value(env, &e);
	if (de != DSSE_OK)
		REJECT(dsse_err_name(de));
	if (strcmp(e.type, DSSE_TYPE_STATEMENT) != 0)
		REJECT("bad_payload_type");
	why = stmt_decode(e.payload, e.payload_len, &s, &out->detail);
	if (why)
		REJECT(why);
	snprintf(out->origin, sizeof(out->origin), "%s", s.origin);
	out->seq = s.seq;
	out->week = s.week;
	if (!origin_known(trust, s.origin))
		REJECT("unknown_origin");
	if (!key_for(trust, s.origin, s.keyid, pk))
		REJECT("unknown_key");
	if (!dsse_verify(&e, pk))
		REJECT("bad_signature");
	if (s.issued_at > now + FED_FUTURE_SKEW_S)
		REJECT("issued_in_future");
	stmt_hash(e.payload, e.payload_len, hash);
	if (!canon_write(env, &bytes))
		REJECT("bad_envelope");

	/* Known seq: the same statement again, or a second one (equivocation). */
	kl = key_of(s.origin, s.seq, 8, key);
	err = store_get(txn, STORE_FED_LOG, key, kl, &v, &vl);
	if (err == ZC_OK) {
		if (vl >= STMT_HASH_BYTES && memcmp(v, hash, STMT_HASH_BYTES) == 0) {
			out->result = FED_DUPLICATE;
			goto done;
		}
		out->result = FED_CONFLICT;
		out->code = "equivocation";
		err = keep_proof(txn, s.origin, s.seq, (const unsigned char *)v + STMT_HASH_BYTES,
				 vl - STMT_HASH_BYTES, jbuf_data(&bytes), bytes.len, now);
		goto done;
	}
	if (err != ZC_ERR_NOT_FOUND)
		goto done;
	err = fedlog_head(txn, s.origin, &h);
	if (err)
		goto done;
	if (s.seq > h.seq + 1)
		REJECT("gap");
	if (sodium_memcmp(s.prev, h.hash, STMT_HASH_BYTES) != 0)
		REJECT("bad_prev");

	/* The chain holds it. A second statement for a week it already covered
	 * is a double release: kept in the chain (later seqs build on it) but
	 * flagged, and never counted. */
	unsigned char wkey[FED_KEY_MAX], seqbe[8];
	size_t wkl = key_of(s.origin, s.week, 4, wkey);
	bytes_put_be64(seqbe, s.seq);
	const void *wv;
	size_t wvl;
	bool republished = store_get(txn, STORE_FED_WEEKS, wkey, wkl, &wv, &wvl) == ZC_OK;
	struct jbuf rec;
	jbuf_init(&rec, 0);
	jbuf_put(&rec, hash, STMT_HASH_BYTES);
	jbuf_put(&rec, jbuf_data(&bytes), bytes.len);
	err = store_put(txn, STORE_FED_LOG, key, kl, jbuf_data(&rec), rec.len, true);
	jbuf_fini(&rec);
	if (!err && !republished)
		err = store_put(txn, STORE_FED_WEEKS, wkey, wkl, seqbe, 8, true);
	if (err)
		goto done;
	h.seq = s.seq;
	memcpy(h.hash, hash, STMT_HASH_BYTES);
	h.updated_at = now;
	err = head_put(txn, &h);
	if (err)
		goto done;
	out->result = FED_ACCEPTED;
	if (republished) {
		struct jbuf first;
		jbuf_init(&first, 0);
		uint64_t fseq = bytes_get_be64(wv);
		if (fedlog_entry(txn, s.origin, fseq, &first) == ZC_OK)
			err = keep_proof(txn, s.origin, s.seq, jbuf_data(&first), first.len,
					 jbuf_data(&bytes), bytes.len, now);
		jbuf_fini(&first);
		out->result = FED_CONFLICT;
		out->code = "week_republished";
	}
done:
	dsse_env_free(&e);
	jbuf_fini(&bytes);
	return err;
}

enum zc_err fedlog_entry(struct store_txn *txn, const char *origin, uint64_t seq, struct jbuf *out)
{
	unsigned char key[FED_KEY_MAX];
	size_t kl = key_of(origin, seq, 8, key);
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_FED_LOG, key, kl, &v, &vl);
	if (err)
		return err;
	if (vl <= STMT_HASH_BYTES)
		return ZC_ERR_STORE;
	jbuf_put(out, (const unsigned char *)v + STMT_HASH_BYTES, vl - STMT_HASH_BYTES);
	return ZC_OK;
}

enum zc_err fedlog_heads(struct store_txn *txn, void (*fn)(const struct fed_head *h, void *arg),
			 void *arg)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	enum zc_err err = store_iter_new(txn, STORE_FED_HEADS, NULL, 0, false, &it);
	if (err)
		return err;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct fed_head h;
		char origin[CONFIG_ORIGIN_MAX];
		if (kl == 0 || kl >= sizeof(origin))
			continue;
		memcpy(origin, k, kl);
		origin[kl] = '\0';
		if (fedlog_head(txn, origin, &h) == ZC_OK)
			fn(&h, arg);
	}
	store_iter_free(it);
	return ZC_OK;
}

/* Iterates origin's entries after seq `after`: fn gets each stored value. */
static enum zc_err
each_entry(struct store_txn *txn, const char *origin, uint64_t after, unsigned limit,
	   bool (*fn)(uint64_t seq, const unsigned char *v, size_t vl, void *arg), void *arg)
{
	unsigned char start[FED_KEY_MAX];
	size_t sl = key_of(origin, after + 1, 8, start), ol = strlen(origin) + 1;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned n = 0;
	enum zc_err err = store_iter_new(txn, STORE_FED_LOG, start, sl, false, &it);
	if (err)
		return err;
	while (n < limit && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl != ol + 8 || memcmp(k, start, ol) != 0)
			break;
		if (vl <= STMT_HASH_BYTES)
			continue;
		n++;
		if (!fn(bytes_get_be64((const unsigned char *)k + ol), v, vl, arg))
			break;
	}
	store_iter_free(it);
	return ZC_OK;
}

struct page_ctx {
	struct jbuf *out;
	unsigned n;
};

static bool page_add(uint64_t seq, const unsigned char *v, size_t vl, void *arg)
{
	struct page_ctx *c = arg;
	(void)seq;
	if (c->n++)
		jbuf_putc(c->out, ',');
	jbuf_put(c->out, v + STMT_HASH_BYTES, vl - STMT_HASH_BYTES);
	return true;
}

enum zc_err fedlog_page(struct store_txn *txn, const char *origin, uint64_t after, unsigned limit,
			struct jbuf *out)
{
	struct fed_head h;
	struct page_ctx c = {out, 0};
	enum zc_err err = fedlog_head(txn, origin, &h);
	if (err)
		return err;
	/* Stored envelopes are canonical; the page around them is written in
	 * canonical order (entries < head < origin) with no whitespace. */
	jbuf_puts(out, "{\"entries\":[");
	err = each_entry(txn, origin, after, limit, page_add, &c);
	if (err)
		return err;
	jbuf_printf(out, "],\"head\":%llu,\"origin\":\"%s\"}", (unsigned long long)h.seq, origin);
	return ZC_OK;
}

struct each_ctx {
	void (*fn)(const struct fed_stmt *s, void *arg);
	void *arg;
};

static bool each_stmt(uint64_t seq, const unsigned char *v, size_t vl, void *arg)
{
	struct each_ctx *c = arg;
	struct dsse_env e;
	struct fed_stmt s;
	(void)seq;
	if (dsse_parse((const char *)v + STMT_HASH_BYTES, vl - STMT_HASH_BYTES, &e) != DSSE_OK)
		return true;
	if (!stmt_decode(e.payload, e.payload_len, &s, NULL))
		c->fn(&s, c->arg);
	dsse_env_free(&e);
	return true;
}

enum zc_err fedlog_each(struct store_txn *txn, const char *origin,
			void (*fn)(const struct fed_stmt *s, void *arg), void *arg)
{
	struct each_ctx c = {fn, arg};
	return each_entry(txn, origin, 0, UINT32_MAX, each_stmt, &c);
}

enum zc_err fedlog_equivocations_json(struct store_txn *txn, struct jbuf *out)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	unsigned n = 0;
	enum zc_err err = store_iter_new(txn, STORE_FED_EQUIV, NULL, 0, false, &it);
	if (err)
		return err;
	jbuf_putc(out, '[');
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		const unsigned char *key = k, *p = v;
		const unsigned char *zero = memchr(key, 0, kl);
		if (!zero || (size_t)(key + kl - zero) != 9 || vl < 4)
			continue;
		size_t al = bytes_get_be32(p);
		if (al > vl - 4)
			continue;
		if (n++)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"origin\":");
		jbuf_json_strn(out, k, (size_t)(zero - key));
		jbuf_printf(out, ",\"seq\":%llu,\"envelopes\":[",
			    (unsigned long long)bytes_get_be64(zero + 1));
		jbuf_put(out, p + 4, al);
		jbuf_putc(out, ',');
		jbuf_put(out, p + 4 + al, vl - 4 - al);
		jbuf_puts(out, "]}");
	}
	store_iter_free(it);
	jbuf_putc(out, ']');
	return ZC_OK;
}

enum zc_err fedlog_ledger_get(struct store_txn *txn, uint32_t year, uint64_t *spent_milli)
{
	unsigned char key[4];
	const void *v;
	size_t vl;
	bytes_put_be32(key, year);
	*spent_milli = 0;
	enum zc_err err = store_get(txn, STORE_FED_LEDGER, key, 4, &v, &vl);
	if (err == ZC_ERR_NOT_FOUND)
		return ZC_OK;
	if (err)
		return err;
	if (vl != 8)
		return ZC_ERR_STORE;
	*spent_milli = bytes_get_be64(v);
	return ZC_OK;
}

enum zc_err fedlog_ledger_add(struct store_txn *txn, uint32_t year, uint64_t milli)
{
	unsigned char key[4], val[8];
	uint64_t spent;
	enum zc_err err = fedlog_ledger_get(txn, year, &spent);
	if (err)
		return err;
	bytes_put_be32(key, year);
	bytes_put_be64(val, spent + milli);
	return store_put(txn, STORE_FED_LEDGER, key, 4, val, 8, false);
}

enum zc_err fedlog_week_seq(struct store_txn *txn, const char *origin, uint32_t week, uint64_t *seq)
{
	unsigned char key[FED_KEY_MAX];
	size_t kl = key_of(origin, week, 4, key);
	const void *v;
	size_t vl;
	enum zc_err err = store_get(txn, STORE_FED_WEEKS, key, kl, &v, &vl);
	if (err)
		return err;
	if (vl != 8)
		return ZC_ERR_STORE;
	*seq = bytes_get_be64(v);
	return ZC_OK;
}
