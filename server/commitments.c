/* Commitments are a few rows per participant, keyed by action number so the
 * list comes out in catalogue order. */
#include <string.h>

#include "actions.h"
#include "commitments.h"
#include "node.h"
#include "records_challenge.h"
#include "recio.h"
#include "store.h"
#include "timeutil.h"

enum zc_err commitments_list_json(struct node *n, const unsigned char *pid, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	bool first = true;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_COMMITMENTS, pid, SECRETS_ID_BYTES, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"commitments\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct recio_reader r;
		char since[TIME_RFC3339_LEN];
		if (kl != SECRETS_ID_BYTES + 2 || memcmp(k, pid, SECRETS_ID_BYTES) != 0)
			break;
		const struct action *a = actions_by_num(
		    n->actions,
		    (uint16_t)rec_key_be((const unsigned char *)k + SECRETS_ID_BYTES, 2));
		if (!a || !recio_start(&r, v, vl))
			continue;
		int64_t at = recio_get_i64(&r);
		if (!recio_finish(&r))
			continue;
		time_rfc3339(at, since);
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		jbuf_puts(out, "{\"action\":");
		jbuf_json_str(out, a->id);
		jbuf_json_key(out, "since");
		jbuf_json_str(out, since);
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "]}");
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}

enum zc_err commitments_add(struct node *n, const unsigned char *pid, const struct action *a,
			    int64_t *since)
{
	unsigned char key[REC_KEY_MAX];
	size_t kl = rec_key_id_u16(pid, a->num, key);
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t ikl, vl, count = 0;
	struct jbuf rec;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_COMMITMENTS, pid, SECRETS_ID_BYTES, false, &it);
	if (err)
		goto out;
	while (store_iter_next(it, &k, &ikl, &v, &vl) == ZC_OK && ikl == SECRETS_ID_BYTES + 2 &&
	       memcmp(k, pid, SECRETS_ID_BYTES) == 0)
		count++;
	store_iter_free(it);
	if (count >= COMMITMENTS_MAX) {
		err = ZC_ERR_LIMIT;
		goto out;
	}
	*since = time_now_s();
	jbuf_init(&rec, 0);
	recio_put_u8(&rec, RECIO_FMT_V1);
	recio_put_i64(&rec, *since);
	err = store_put(txn, STORE_COMMITMENTS, key, kl, jbuf_data(&rec), rec.len, true);
	jbuf_fini(&rec);
	if (err)
		goto out;
	return store_commit(txn);
out:
	store_abort(txn);
	return err;
}

enum zc_err commitments_remove(struct node *n, const unsigned char *pid, const struct action *a)
{
	unsigned char key[REC_KEY_MAX];
	size_t kl = rec_key_id_u16(pid, a->num, key);
	struct store_txn *txn;
	enum zc_err err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_COMMITMENTS, key, kl);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err commitments_erase(struct store_txn *txn, const unsigned char *pid)
{
	return store_del_prefix(txn, STORE_COMMITMENTS, pid, SECRETS_ID_BYTES, NULL);
}
