/* The store's schema version and the migrations that bring an older data dir
 * up to date, applied in one write transaction when a node or a command opens
 * the store. */
#ifndef ZC_SCHEMA_H
#define ZC_SCHEMA_H

#include "err.h"

struct store;

#define SCHEMA_VERSION 6

/* Applies the missing migration steps; refuses a data dir written by a newer
 * zcnode (ZC_ERR_STORE, logged). */
enum zc_err schema_migrate(struct store *st);

#endif
