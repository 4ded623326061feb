/* zcnode error codes: one enum for the whole node, with a human text for each.
 * Every module returns these; the HTTP layer maps them to statuses. */
#ifndef ZC_ERR_H
#define ZC_ERR_H

enum zc_err {
	ZC_OK = 0,
	ZC_ERR_INVALID,	   /* an argument or input value is invalid */
	ZC_ERR_NOT_FOUND,  /* no such record */
	ZC_ERR_EXISTS,	   /* a unique key is already taken */
	ZC_ERR_TOO_LARGE,  /* input above a documented cap */
	ZC_ERR_NOMEM,	   /* allocation failed (only where we do not abort) */
	ZC_ERR_IO,	   /* file system or socket error */
	ZC_ERR_STORE,	   /* LMDB reported an unexpected error */
	ZC_ERR_STORE_FULL, /* LMDB map is full (MDB_MAP_FULL) */
	ZC_ERR_CRYPTO,	   /* libsodium or OpenSSL failed */
	ZC_ERR_CONFIG,	   /* configuration file or option error */
	ZC_ERR_DENIED,	   /* credentials wrong or role insufficient */
	ZC_ERR_EXPIRED,	   /* token or session expired */
	ZC_ERR_LIMIT,	   /* rate or count limit reached */
	ZC_ERR__COUNT
};

/* Human-readable text for an error code (never NULL). */
const char *zc_strerror(enum zc_err err);

#endif
