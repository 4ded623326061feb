/* The node's LMDB environment: every named database opened once at start,
 * short transactions, online backup (schema versions live in schema.c). The
 * only module that sees MDB_* types. Values handed out by store_get and the
 * iterator are borrowed until the transaction ends. */
#ifndef ZC_STORE_H
#define ZC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum store_db {
	STORE_META,	    /* schema version, init mark, city profile */
	STORE_PARTICIPANTS, /* id(16) → participant record */
	STORE_NICKNAMES,    /* folded nickname → id(16) */
	STORE_TOKENS,	    /* keyed hash(32) → kind(1) + id(16) */
	STORE_ADMINS,	    /* username → admin record */
	STORE_SESSIONS,	    /* keyed hash(32) → session record */
	STORE_AUDIT,	    /* seq (u64 big-endian) → JSON entry */
	STORE_DENYLIST,	    /* folded word → "" */
	STORE_SEASONS,	    /* season id → season record */
	STORE_ACTIONS,	    /* action id → action record */
	STORE_PROGRESS,	    /* participant id → progress of the season */
	STORE_WEEKS,	    /* participant id | ISO week → credited week */
	STORE_CHECKINS,	    /* participant id | action num | period → check-in */
	STORE_FOOTPRINTS,   /* participant id | time µs → footprint snapshot */
	STORE_WASTE,	    /* participant id | ISO week → weigh-in */
	STORE_COMMITMENTS,  /* participant id | action num → since */
	STORE_TEAMS,	    /* team id (8) → team record */
	STORE_TEAM_NAMES,   /* kind (1) | folded name → team id */
	STORE_TEAM_MEMBERS, /* team id (8) | participant id → joined at */
	STORE_MEMBER_TEAMS, /* participant id | kind (1) → team id */
	STORE_REFERENCES,   /* reference id → waste reference figure */
	STORE_WORKSHOPS,    /* workshop id (u32 BE) → workshop record */
	STORE_WS_REGS,	    /* workshop id | participant id → registration */
	STORE_WS_WAITLIST,  /* workshop id | registered at (µs, BE) | participant id → "" */
	STORE_WS_ATTEND,    /* workshop id | participant id → attendance */
	STORE_WS_EVENTS,    /* workshop id | seq (u64 BE) → event data (JSON) */
	STORE_WS_ITEMS,	    /* workshop id | kind (1) | number (u32 BE) → session item */
	STORE_WS_PART,	    /* workshop id | participant id | kind (1) | number → row */
	STORE_WS_BY_PID,    /* participant id | workshop id → "" (for erasure) */
	STORE_WS_IMAGES,    /* workshop id | SHA-256 (32) → image type (1) + bytes */
	STORE_FED_LOG,	    /* origin | 0 | seq (u64 BE) → SHA-256 of payload (32) + envelope */
	STORE_FED_HEADS,    /* origin → federation head record (fedlog.c) */
	STORE_FED_WEEKS,    /* origin | 0 | ISO week (u32 BE) → seq (u64 BE) */
	STORE_FED_EQUIV,    /* origin | 0 | seq (u64 BE) → the two conflicting envelopes */
	STORE_FED_LEDGER,   /* year (u32 BE) → ε spent there, thousandths (u64 BE) */
	STORE_DB__COUNT
};

struct store;
struct store_txn;
struct store_iter;

/* Opens (creating if needed) the environment in dir with the given map size. */
enum zc_err store_open(const char *dir, uint64_t map_size, struct store **out);
/* Closes the environment (no transaction may be open). */
void store_close(struct store *st);

/* Starts a read or write transaction. */
enum zc_err store_begin(struct store *st, bool write, struct store_txn **out);
/* Starts a transaction nested in a write transaction: committing it merges its
 * changes into the parent (nothing is durable before the parent commits),
 * aborting it undoes only its own changes. */
enum zc_err store_begin_nested(struct store_txn *parent, struct store_txn **out);
/* Commits (durably, for writes) and frees the transaction; on error it is
 * aborted. Commit latency of writes goes to the metrics. */
enum zc_err store_commit(struct store_txn *txn);
/* Aborts and frees the transaction. */
void store_abort(struct store_txn *txn);

/* Looks key up; ZC_ERR_NOT_FOUND when absent. */
enum zc_err store_get(struct store_txn *txn, enum store_db db, const void *key, size_t klen,
		      const void **val, size_t *vlen);
/* Stores key → val; with `unique` an existing key is ZC_ERR_EXISTS. */
enum zc_err store_put(struct store_txn *txn, enum store_db db, const void *key, size_t klen,
		      const void *val, size_t vlen, bool unique);
/* Deletes key; ZC_ERR_NOT_FOUND when absent. */
enum zc_err store_del(struct store_txn *txn, enum store_db db, const void *key, size_t klen);
/* Deletes every entry whose key starts with prefix; *deleted (may be NULL)
 * gets how many. */
enum zc_err store_del_prefix(struct store_txn *txn, enum store_db db, const void *prefix,
			     size_t plen, uint64_t *deleted);
/* Number of entries in db. */
enum zc_err store_count(struct store_txn *txn, enum store_db db, uint64_t *out);
/* The last key of db (for sequence numbers); ZC_ERR_NOT_FOUND when empty. */
enum zc_err store_last(struct store_txn *txn, enum store_db db, const void **key, size_t *klen);

/* Iterates db in key order from the first key ≥ start (or the first key when
 * start is NULL), or in reverse when `reverse`: from the last key before start
 * (or the last key when start is NULL). */
enum zc_err store_iter_new(struct store_txn *txn, enum store_db db, const void *start, size_t slen,
			   bool reverse, struct store_iter **out);
/* Next entry; ZC_ERR_NOT_FOUND at the end. */
enum zc_err store_iter_next(struct store_iter *it, const void **key, size_t *klen, const void **val,
			    size_t *vlen);
void store_iter_free(struct store_iter *it);

/* Bytes in use (pages × page size) and the map size. */
void store_size(struct store *st, uint64_t *used, uint64_t *map);
/* True when the last write failed because the map is full, or one did in the
 * last five minutes. */
bool store_is_full(const struct store *st);
/* Copies the environment, compacted, into the directory `dest` (which must
 * exist and be empty) while the node keeps running. */
enum zc_err store_backup(struct store *st, const char *dest);

#endif
