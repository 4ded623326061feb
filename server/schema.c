/* Schema migrations. Each step moves the data from version i to i + 1 inside
 * the same write transaction as the version bump, so a crash leaves either the
 * old or the new schema, never a mix. Version 1 is the first layout (the named
 * databases store_open creates); later steps add data an older dir lacks. */
#include <stdint.h>
#include <string.h>

#include "actions.h"
#include "denylist.h"
#include "log.h"
#include "schema.h"
#include "store.h"
#include "waste.h"

#define VERSION_KEY "schema_version"

typedef enum zc_err (*migration_fn)(struct store_txn *txn);

/* 0 → 1: the databases exist once store_open has run. */
static enum zc_err to_v1(struct store_txn *txn)
{
	(void)txn;
	return ZC_OK;
}

/* 1 → 2: the default deny-list gained whole-nickname words ("=admin"); add
 * every default word a data dir lacks. */
static enum zc_err to_v2(struct store_txn *txn)
{
	return denylist_seed(txn);
}

/* 2 → 3: the challenge — the built-in actions catalogue and the waste
 * reference figures (administrators edit both afterwards). */
static enum zc_err to_v3(struct store_txn *txn)
{
	enum zc_err err = actions_seed(txn);
	return err ? err : waste_references_seed(txn);
}

/* 3 → 4: workshops. Their databases are created empty by store_open; the
 * version moves so that an older node refuses a data dir that may hold them. */
static enum zc_err to_v4(struct store_txn *txn)
{
	(void)txn;
	return ZC_OK;
}

/* 4 → 5: slide images. Their database is created empty by store_open; the
 * version moves so that an older node refuses a data dir whose plans may name
 * images it cannot serve. */
static enum zc_err to_v5(struct store_txn *txn)
{
	(void)txn;
	return ZC_OK;
}

/* 5 → 6: federation (statement logs, heads, equivocation proofs, the privacy
 * ledger). Created empty by store_open; an older node must not open a dir
 * whose published weeks it would not know about (it could publish twice). */
static enum zc_err to_v6(struct store_txn *txn)
{
	(void)txn;
	return ZC_OK;
}

static const migration_fn steps[SCHEMA_VERSION] = {to_v1, to_v2, to_v3, to_v4, to_v5, to_v6};

enum zc_err schema_migrate(struct store *st)
{
	struct store_txn *txn;
	const void *v = NULL;
	size_t vl = 0;
	uint32_t version = 0, from;
	enum zc_err err = store_begin(st, true, &txn);
	if (err)
		return err;
	err = store_get(txn, STORE_META, VERSION_KEY, strlen(VERSION_KEY), &v, &vl);
	if (err == ZC_OK && vl == sizeof(version))
		memcpy(&version, v, sizeof(version));
	else if (err != ZC_ERR_NOT_FOUND)
		goto fail;
	if (version > SCHEMA_VERSION) {
		log_event(LOG_ERROR, "schema_too_new", "found=%u supported=%u", version,
			  SCHEMA_VERSION);
		err = ZC_ERR_STORE;
		goto fail;
	}
	if (version == SCHEMA_VERSION) {
		store_abort(txn);
		return ZC_OK;
	}
	from = version;
	for (; version < SCHEMA_VERSION; version++) {
		err = steps[version](txn);
		if (err)
			goto fail;
	}
	err = store_put(txn, STORE_META, VERSION_KEY, strlen(VERSION_KEY), &version,
			sizeof(version), false);
	if (err)
		goto fail;
	err = store_commit(txn);
	if (err == ZC_OK)
		log_event(LOG_INFO, "schema_migrated", "from=%u to=%u", from, version);
	return err;
fail:
	store_abort(txn);
	return err;
}
