/* Human texts for the node's error codes. */
#include "err.h"

const char *zc_strerror(enum zc_err err)
{
	static const char *const text[ZC_ERR__COUNT] = {
	    [ZC_OK] = "success",
	    [ZC_ERR_INVALID] = "invalid input",
	    [ZC_ERR_NOT_FOUND] = "not found",
	    [ZC_ERR_EXISTS] = "already exists",
	    [ZC_ERR_TOO_LARGE] = "too large",
	    [ZC_ERR_NOMEM] = "out of memory",
	    [ZC_ERR_IO] = "input/output error",
	    [ZC_ERR_STORE] = "storage error",
	    [ZC_ERR_STORE_FULL] = "storage full: raise map_size_mb",
	    [ZC_ERR_CRYPTO] = "cryptographic library error",
	    [ZC_ERR_CONFIG] = "configuration error",
	    [ZC_ERR_DENIED] = "access denied",
	    [ZC_ERR_EXPIRED] = "expired",
	    [ZC_ERR_LIMIT] = "limit reached",
	};
	if ((unsigned)err >= ZC_ERR__COUNT || !text[err])
		return "unknown error";
	return text[err];
}
