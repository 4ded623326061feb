/* LMDB environment and transactions. One environment per node, named databases
 * opened once in store_open, migrations applied there, no MDB_NOSYNC: a
 * committed write survives kill -9 and power loss. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "log.h"
#include "metrics.h"
#include "store.h"
#include "timeutil.h"

#define STORE_FULL_HOLD_US (300ull * 1000000)

struct store {
	MDB_env *env;
	MDB_dbi dbi[STORE_DB__COUNT];
	bool full;	  /* the last write commit hit MDB_MAP_FULL */
	uint64_t full_us; /* monotonic time of the last MDB_MAP_FULL, 0 = never */
};

struct store_txn {
	struct store *st;
	MDB_txn *txn;
	bool write;
	bool nested; /* a child: its commit only merges into the parent */
};

struct store_iter {
	MDB_cursor *cur;
	MDB_cursor_op next_op;
	MDB_cursor_op first_op;
	const void *start;
	size_t slen;
	bool started;
};

static const char *const db_names[STORE_DB__COUNT] = {
    [STORE_META] = "meta",
    [STORE_PARTICIPANTS] = "participants",
    [STORE_NICKNAMES] = "nicknames",
    [STORE_TOKENS] = "tokens",
    [STORE_ADMINS] = "admins",
    [STORE_SESSIONS] = "sessions",
    [STORE_AUDIT] = "audit",
    [STORE_DENYLIST] = "denylist",
    [STORE_SEASONS] = "seasons",
    [STORE_ACTIONS] = "actions",
    [STORE_PROGRESS] = "progress",
    [STORE_WEEKS] = "weeks",
    [STORE_CHECKINS] = "checkins",
    [STORE_FOOTPRINTS] = "footprints",
    [STORE_WASTE] = "waste",
    [STORE_COMMITMENTS] = "commitments",
    [STORE_TEAMS] = "teams",
    [STORE_TEAM_NAMES] = "team_names",
    [STORE_TEAM_MEMBERS] = "team_members",
    [STORE_MEMBER_TEAMS] = "member_teams",
    [STORE_REFERENCES] = "references",
    [STORE_WORKSHOPS] = "workshops",
    [STORE_WS_REGS] = "ws_registrations",
    [STORE_WS_WAITLIST] = "ws_waitlist",
    [STORE_WS_ATTEND] = "ws_attendance",
    [STORE_WS_EVENTS] = "ws_events",
    [STORE_WS_ITEMS] = "ws_items",
    [STORE_WS_PART] = "ws_participant_rows",
    [STORE_WS_BY_PID] = "ws_by_participant",
    [STORE_WS_IMAGES] = "ws_images",
    [STORE_FED_LOG] = "fed_log",
    [STORE_FED_HEADS] = "fed_heads",
    [STORE_FED_WEEKS] = "fed_weeks",
    [STORE_FED_EQUIV] = "fed_equiv",
    [STORE_FED_LEDGER] = "fed_ledger",
};

static enum zc_err map_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return ZC_OK;
	case MDB_NOTFOUND:
		return ZC_ERR_NOT_FOUND;
	case MDB_KEYEXIST:
		return ZC_ERR_EXISTS;
	case MDB_MAP_FULL:
		return ZC_ERR_STORE_FULL;
	case MDB_BAD_VALSIZE:
		return ZC_ERR_TOO_LARGE;
	default:
		log_event(LOG_ERROR, "lmdb_error", "rc=%d message=\"%s\"", rc, mdb_strerror(rc));
		return ZC_ERR_STORE;
	}
}

enum zc_err store_open(const char *dir, uint64_t map_size, struct store **out)
{
	struct store *st = calloc(1, sizeof(*st));
	MDB_txn *txn = NULL;
	int rc;

	if (!st)
		abort();
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_event(LOG_ERROR, "store_mkdir", "path=%s errno=%d", dir, errno);
		free(st);
		return ZC_ERR_IO;
	}
	rc = mdb_env_create(&st->env);
	if (rc)
		goto lmdb_fail;
	mdb_env_set_maxdbs(st->env, STORE_DB__COUNT + 8);
	mdb_env_set_maxreaders(st->env, 126);
	rc = mdb_env_set_mapsize(st->env, (size_t)map_size);
	if (rc)
		goto lmdb_fail;
	rc = mdb_env_open(st->env, dir, MDB_NOTLS, 0600);
	if (rc)
		goto lmdb_fail;
	rc = mdb_txn_begin(st->env, NULL, 0, &txn);
	if (rc)
		goto lmdb_fail;
	for (int i = 0; i < STORE_DB__COUNT; i++) {
		rc = mdb_dbi_open(txn, db_names[i], MDB_CREATE, &st->dbi[i]);
		if (rc)
			goto lmdb_fail;
	}
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc)
		goto lmdb_fail;
	*out = st;
	return ZC_OK;
lmdb_fail:
	log_event(LOG_ERROR, "store_open", "path=%s message=\"%s\"", dir, mdb_strerror(rc));
	if (txn)
		mdb_txn_abort(txn);
	if (st->env)
		mdb_env_close(st->env);
	free(st);
	return rc == MDB_MAP_FULL ? ZC_ERR_STORE_FULL : ZC_ERR_STORE;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	mdb_env_close(st->env);
	free(st);
}

enum zc_err store_begin(struct store *st, bool write, struct store_txn **out)
{
	struct store_txn *t = malloc(sizeof(*t));
	if (!t)
		abort();
	t->st = st;
	t->write = write;
	t->nested = false;
	int rc = mdb_txn_begin(st->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
	if (rc) {
		free(t);
		return map_rc(rc);
	}
	*out = t;
	return ZC_OK;
}

enum zc_err store_begin_nested(struct store_txn *parent, struct store_txn **out)
{
	struct store_txn *t = malloc(sizeof(*t));
	if (!t)
		abort();
	t->st = parent->st;
	t->write = true;
	t->nested = true;
	int rc = mdb_txn_begin(parent->st->env, parent->txn, 0, &t->txn);
	if (rc) {
		free(t);
		return map_rc(rc);
	}
	*out = t;
	return ZC_OK;
}

enum zc_err store_commit(struct store_txn *txn)
{
	uint64_t t0 = time_mono_us();
	int rc = mdb_txn_commit(txn->txn);
	if (txn->write && !txn->nested) {
		metrics_commit_observe(time_mono_us() - t0);
		txn->st->full = rc == MDB_MAP_FULL;
		if (rc == MDB_MAP_FULL)
			txn->st->full_us = time_mono_us();
	}
	free(txn);
	return map_rc(rc);
}

void store_abort(struct store_txn *txn)
{
	if (!txn)
		return;
	mdb_txn_abort(txn->txn);
	free(txn);
}

enum zc_err store_get(struct store_txn *txn, enum store_db db, const void *key, size_t klen,
		      const void **val, size_t *vlen)
{
	MDB_val k = {klen, (void *)key}, v;
	int rc = mdb_get(txn->txn, txn->st->dbi[db], &k, &v);
	if (rc)
		return map_rc(rc);
	*val = v.mv_data;
	*vlen = v.mv_size;
	return ZC_OK;
}

enum zc_err store_put(struct store_txn *txn, enum store_db db, const void *key, size_t klen,
		      const void *val, size_t vlen, bool unique)
{
	MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
	int rc = mdb_put(txn->txn, txn->st->dbi[db], &k, &v, unique ? MDB_NOOVERWRITE : 0);
	if (rc == MDB_MAP_FULL) {
		txn->st->full = true;
		txn->st->full_us = time_mono_us();
	}
	return map_rc(rc);
}

enum zc_err store_del(struct store_txn *txn, enum store_db db, const void *key, size_t klen)
{
	MDB_val k = {klen, (void *)key};
	return map_rc(mdb_del(txn->txn, txn->st->dbi[db], &k, NULL));
}

enum zc_err store_del_prefix(struct store_txn *txn, enum store_db db, const void *prefix,
			     size_t plen, uint64_t *deleted)
{
	MDB_cursor *cur;
	MDB_val k = {plen, (void *)prefix}, v;
	uint64_t n = 0;
	int rc = mdb_cursor_open(txn->txn, txn->st->dbi[db], &cur);
	if (rc)
		return map_rc(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && k.mv_size >= plen && memcmp(k.mv_data, prefix, plen) == 0) {
		rc = mdb_cursor_del(cur, 0);
		if (rc)
			break;
		n++;
		/* Seek again rather than trust the cursor's position after a
		 * delete at the end of a page. */
		k.mv_size = plen;
		k.mv_data = (void *)prefix;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	}
	mdb_cursor_close(cur);
	if (deleted)
		*deleted = n;
	return rc == 0 || rc == MDB_NOTFOUND ? ZC_OK : map_rc(rc);
}

enum zc_err store_count(struct store_txn *txn, enum store_db db, uint64_t *out)
{
	MDB_stat ms;
	int rc = mdb_stat(txn->txn, txn->st->dbi[db], &ms);
	if (rc)
		return map_rc(rc);
	*out = ms.ms_entries;
	return ZC_OK;
}

enum zc_err store_last(struct store_txn *txn, enum store_db db, const void **key, size_t *klen)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn->txn, txn->st->dbi[db], &cur);
	if (rc)
		return map_rc(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc)
		return map_rc(rc);
	*key = k.mv_data;
	*klen = k.mv_size;
	return ZC_OK;
}

enum zc_err store_iter_new(struct store_txn *txn, enum store_db db, const void *start, size_t slen,
			   bool reverse, struct store_iter **out)
{
	struct store_iter *it = calloc(1, sizeof(*it));
	if (!it)
		abort();
	int rc = mdb_cursor_open(txn->txn, txn->st->dbi[db], &it->cur);
	if (rc) {
		free(it);
		return map_rc(rc);
	}
	it->start = start;
	it->slen = slen;
	it->first_op = reverse ? MDB_LAST : (start ? MDB_SET_RANGE : MDB_FIRST);
	it->next_op = reverse ? MDB_PREV : MDB_NEXT;
	*out = it;
	return ZC_OK;
}

enum zc_err store_iter_next(struct store_iter *it, const void **key, size_t *klen, const void **val,
			    size_t *vlen)
{
	MDB_val k = {it->slen, (void *)it->start}, v;
	int rc;
	if (!it->started && it->next_op == MDB_PREV && it->start) {
		/* Reverse from start: the last key before it. */
		rc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_RANGE);
		rc = rc == MDB_NOTFOUND ? mdb_cursor_get(it->cur, &k, &v, MDB_LAST)
		     : rc		? rc
					: mdb_cursor_get(it->cur, &k, &v, MDB_PREV);
	} else {
		rc = mdb_cursor_get(it->cur, &k, &v, it->started ? it->next_op : it->first_op);
	}
	it->started = true;
	if (rc)
		return map_rc(rc);
	*key = k.mv_data;
	*klen = k.mv_size;
	*val = v.mv_data;
	*vlen = v.mv_size;
	return ZC_OK;
}

void store_iter_free(struct store_iter *it)
{
	if (!it)
		return;
	mdb_cursor_close(it->cur);
	free(it);
}

void store_size(struct store *st, uint64_t *used, uint64_t *map)
{
	MDB_envinfo info;
	MDB_stat ms;
	mdb_env_info(st->env, &info);
	mdb_env_stat(st->env, &ms);
	*used = (uint64_t)(info.me_last_pgno + 1) * ms.ms_psize;
	*map = info.me_mapsize;
}

bool store_is_full(const struct store *st)
{
	/* A small write (a login's audit line) may still fit in a full map: stay
	 * "full" for five minutes after the last refusal so health does not flap. */
	return st->full || (st->full_us && time_mono_us() - st->full_us < STORE_FULL_HOLD_US);
}

enum zc_err store_backup(struct store *st, const char *dest)
{
	int rc = mdb_env_copy2(st->env, dest, MDB_CP_COMPACT);
	if (rc) {
		log_event(LOG_ERROR, "backup_failed", "path=%s message=\"%s\"", dest,
			  mdb_strerror(rc));
		return rc == ENOENT ? ZC_ERR_IO : ZC_ERR_STORE;
	}
	return ZC_OK;
}
