/* Strict decoding of a JSON request object against a field table: the only
 * module (with wsmsg) that touches cJSON. Refuses invalid UTF-8, NUL bytes,
 * trailing bytes, non-object tops, duplicate keys, unknown keys, wrong types,
 * missing required keys, strings over their cap and integers out of range. */
#ifndef ZC_JDEC_H
#define ZC_JDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jdec_type {
	JDEC_STRING,	   /* out: char[max_len*4+1] buffer, NUL-terminated, UTF-8 */
	JDEC_INT,	   /* out: int64_t; must be an integer within [min, max] */
	JDEC_BOOL,	   /* out: bool */
	JDEC_STRING_NULL,  /* as JDEC_STRING, but JSON null allowed (sets *is_null) */
	JDEC_OBJECT_RAW,   /* out: struct jbuf *; re-serialised compact JSON object */
	JDEC_STRING_ARRAY, /* out: char[max][out_cap] of strings, each min_len..max_len code
			    * points; at most `max` items; the count goes to *count */
	JDEC_INT_ARRAY,	   /* out: int64_t[max_len], integers each within [min, max]; at most
			    * max_len items; the count goes to *count */
	JDEC_ARRAY_RAW,	   /* out: struct jbuf *; re-serialised compact JSON array of at most
			    * max_len items (any values: see jdec_array_items) */
};

struct jdec_field {
	const char *name;
	enum jdec_type type;
	bool required;
	size_t min_len, max_len; /* strings: bounds in code points */
	int64_t min, max;	 /* integers: inclusive bounds */
	void *out;		 /* where the value goes (see enum) */
	size_t out_cap;		 /* strings: size of the out buffer in bytes */
	bool *present;		 /* optional: set true when the key was present */
	bool *is_null;		 /* JDEC_STRING_NULL: set true for null */
	size_t *count;		 /* JDEC_STRING_ARRAY: number of items decoded */
};

/* What went wrong, for the error response. */
enum jdec_status {
	JDEC_OK = 0,
	JDEC_INVALID_UTF8,  /* 400 invalid_utf8 */
	JDEC_MALFORMED,	    /* 400 malformed_json */
	JDEC_NOT_OBJECT,    /* 400 not_an_object */
	JDEC_DUPLICATE,	    /* 400 duplicate_field */
	JDEC_UNKNOWN_FIELD, /* 422 unknown_field */
	JDEC_MISSING_FIELD, /* 422 missing_field */
	JDEC_WRONG_TYPE,    /* 422 wrong_type */
	JDEC_INVALID_FIELD, /* 422 invalid_field (length or range) */
};

struct jdec_error {
	enum jdec_status status;
	char field[64];	   /* the offending field name, when there is one */
	char message[160]; /* human text, e.g. "nickname must be 3 to 24 characters" */
};

/* Decodes body[0..len) into the fields; returns JDEC_OK or fills *err. The
 * nesting depth is capped at 8. Outputs are untouched for absent keys. */
enum jdec_status jdec_object(const char *body, size_t len, const struct jdec_field *fields,
			     size_t nfields, struct jdec_error *err);

/* Splits a compact array from JDEC_ARRAY_RAW (or JDEC_OBJECT_RAW's output
 * for an array value) into its top-level items: starts[i]/lens[i] for at most
 * max items. Returns the number of items. */
size_t jdec_array_items(const char *arr, size_t len, const char **starts, size_t *lens, size_t max);

/* The string value of a top-level key of a well-formed object, whatever
 * else the object holds (to echo a request's reference in its error); false
 * when absent, not a string, longer than cap - 1 bytes, or the body is not
 * a well-formed object. */
bool jdec_peek_string(const char *body, size_t len, const char *key, char *out, size_t cap);

/* snake_case error code for a status (e.g. "unknown_field"). */
const char *jdec_code(enum jdec_status st);
/* HTTP status for a decode status (400 or 422). */
int jdec_http_status(enum jdec_status st);

#endif
