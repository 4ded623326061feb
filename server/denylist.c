/* Deny-list storage and matching. The list is small (tens to hundreds of
 * words), so matching scans it in one read; no cache to go stale when the CLI
 * changes it beside a running node. */
#include <string.h>

#include "denylist.h"
#include "nickname.h"
#include "store.h"

bool denylist_match(struct store_txn *txn, const char *folded)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	bool hit = false;
	char word[DENYLIST_WORD_MAX * 2 + 2];

	if (store_iter_new(txn, STORE_DENYLIST, NULL, 0, false, &it) != ZC_OK)
		return false;
	while (!hit && store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (kl == 0 || kl >= sizeof(word))
			continue;
		memcpy(word, k, kl);
		word[kl] = '\0';
		hit = nickname_word_matches(folded, word);
	}
	store_iter_free(it);
	return hit;
}

enum zc_err denylist_seed(struct store_txn *txn)
{
	for (const char *const *w = nickname_default_denylist; *w; w++) {
		enum zc_err err = store_put(txn, STORE_DENYLIST, *w, strlen(*w), "", 0, false);
		if (err)
			return err;
	}
	return ZC_OK;
}

/* Folds a word as nicknames are folded, keeping a leading '=' (whole-nickname
 * match); cap ≥ DENYLIST_WORD_MAX * 2 + 2. */
static enum zc_err fold_word(const char *word, char *folded, size_t cap)
{
	bool whole = word[0] == '=';
	if (whole)
		folded[0] = '=';
	long n = nickname_fold(word + whole, strlen(word + whole), folded + whole, cap - whole);
	if (n < DENYLIST_WORD_MIN || n > DENYLIST_WORD_MAX)
		return ZC_ERR_INVALID;
	return ZC_OK;
}

enum zc_err denylist_add(struct store *st, const char *word, char *folded, size_t cap)
{
	struct store_txn *txn;
	enum zc_err err = fold_word(word, folded, cap);
	if (err)
		return err;
	err = store_begin(st, true, &txn);
	if (err)
		return err;
	err = store_put(txn, STORE_DENYLIST, folded, strlen(folded), "", 0, false);
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err denylist_remove(struct store *st, const char *word)
{
	char folded[DENYLIST_WORD_MAX * 2 + 2];
	struct store_txn *txn;
	enum zc_err err = fold_word(word, folded, sizeof(folded));
	if (err)
		return ZC_ERR_NOT_FOUND;
	err = store_begin(st, true, &txn);
	if (err)
		return err;
	err = store_del(txn, STORE_DENYLIST, folded, strlen(folded));
	if (err) {
		store_abort(txn);
		return err;
	}
	return store_commit(txn);
}

enum zc_err denylist_list_json(struct store *st, struct jbuf *out)
{
	struct store_txn *txn;
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	bool first = true;
	enum zc_err err = store_begin(st, false, &txn);
	if (err)
		return err;
	err = store_iter_new(txn, STORE_DENYLIST, NULL, 0, false, &it);
	if (err) {
		store_abort(txn);
		return err;
	}
	jbuf_puts(out, "{\"words\":[");
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!first)
			jbuf_putc(out, ',');
		first = false;
		jbuf_json_strn(out, k, kl);
	}
	jbuf_puts(out, "]}");
	store_iter_free(it);
	store_abort(txn);
	return ZC_OK;
}
