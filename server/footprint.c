/* Snapshots are keyed by participant and time, so history comes out in order
 * and the oldest is the first key of the participant's range. */
#include <string.h>

#include "checkins.h"
#include "footprint.h"
#include "node.h"
#include "store.h"
#include "timeutil.h"

const char *const footprint_categories[REC_FOOTPRINT_CATS] = {
    "transport", "alimentation", "logement", "divers", "services_societaux"};

static bool version_valid(const char *v)
{
	size_t l = strlen(v);
	return l >= 1 && l <= 32 &&
	       strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.+-") == l;
}

static enum zc_err check(const struct rec_footprint *f, const char **why)
{
	uint64_t sum = 0;
	if (!version_valid(f->model_version)) {
		*why = "model_version must be 1 to 32 of 0-9 A-Z a-z . + -";
		return ZC_ERR_INVALID;
	}
	if (f->total_g < FOOTPRINT_TOTAL_MIN_G || f->total_g > FOOTPRINT_TOTAL_MAX_G) {
		*why = "total_g must be between 100000 and 100000000 (0.1 t to 100 t a year)";
		return ZC_ERR_INVALID;
	}
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++) {
		if (f->cat_g[i] > FOOTPRINT_TOTAL_MAX_G) {
			*why = "a category is over 100000000 g";
			return ZC_ERR_INVALID;
		}
		sum += f->cat_g[i];
	}
	uint64_t diff = sum > f->total_g ? sum - f->total_g : f->total_g - sum;
	if (diff > FOOTPRINT_SUM_SLACK_G) {
		*why = "the categories must add up to total_g";
		return ZC_ERR_INVALID;
	}
	return ZC_OK;
}

enum zc_err footprint_add(struct node *n, const unsigned char *pid, struct rec_footprint *f,
			  const char **why)
{
	unsigned char key[REC_KEY_MAX];
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl, count = 0;
	unsigned char oldest[REC_KEY_MAX];
	size_t oldest_len = 0;
	struct jbuf rec;
	enum zc_err err = check(f, why);
	if (err)
		return err;
	f->at_us = time_now_us();
	err = store_begin(n->store, true, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_FOOTPRINTS, pid, SECRETS_ID_BYTES, false, &it);
	if (err)
		goto fail;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK && kl == SECRETS_ID_BYTES + 8 &&
	       memcmp(k, pid, SECRETS_ID_BYTES) == 0) {
		if (!count++) {
			memcpy(oldest, k, kl);
			oldest_len = kl;
		}
	}
	store_iter_free(it);
	if (count >= FOOTPRINT_KEEP) {
		err = store_del(txn, STORE_FOOTPRINTS, oldest, oldest_len);
		if (err)
			goto fail;
	}
	jbuf_init(&rec, 0);
	rec_footprint_encode(f, &rec);
	kl = rec_key_id_i64(pid, f->at_us, key);
	err = store_put(txn, STORE_FOOTPRINTS, key, kl, jbuf_data(&rec), rec.len, false);
	jbuf_fini(&rec);
	if (!err)
		err = checkins_progress_event(n, txn, pid, PROGRESS_FOOTPRINT);
	if (err)
		goto fail;
	return store_commit(txn);
fail:
	store_abort(txn);
	return err;
}

void footprint_snapshot_json(const struct rec_footprint *f, struct jbuf *out)
{
	char at[TIME_RFC3339_LEN];
	time_rfc3339(f->at_us / 1000000, at);
	jbuf_puts(out, "{\"id\":");
	jbuf_json_int(out, f->at_us);
	jbuf_json_key(out, "at");
	jbuf_json_str(out, at);
	jbuf_json_key(out, "model_version");
	jbuf_json_str(out, f->model_version);
	jbuf_json_key(out, "total_g");
	jbuf_json_int(out, (int64_t)f->total_g);
	jbuf_puts(out, ",\"categories\":{");
	for (int i = 0; i < REC_FOOTPRINT_CATS; i++) {
		jbuf_json_key(out, footprint_categories[i]);
		jbuf_json_int(out, (int64_t)f->cat_g[i]);
	}
	jbuf_puts(out, "}}");
}

enum zc_err footprint_json(struct node *n, const unsigned char *pid, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	struct rec_footprint f, last;
	bool any = false;
	enum zc_err err = store_begin(n->store, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_FOOTPRINTS, pid, SECRETS_ID_BYTES, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"history\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl != SECRETS_ID_BYTES + 8 || memcmp(k, pid, SECRETS_ID_BYTES) != 0)
			break;
		if (!rec_footprint_decode(v, vl, &f))
			continue;
		if (any)
			jbuf_putc(out, ',');
		footprint_snapshot_json(&f, out);
		last = f;
		any = true;
	}
	store_iter_free(it);
	store_abort(txn);
	jbuf_puts(out, "],\"latest\":");
	if (any)
		footprint_snapshot_json(&last, out);
	else
		jbuf_puts(out, "null");
	jbuf_putc(out, '}');
	return ZC_OK;
}

enum zc_err footprint_erase(struct store_txn *txn, const unsigned char *pid)
{
	return store_del_prefix(txn, STORE_FOOTPRINTS, pid, SECRETS_ID_BYTES, NULL);
}
