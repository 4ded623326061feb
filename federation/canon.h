/* Canonical JSON for zcfed/1: a strict parser that accepts exactly one text per
 * value (the writer's output) and a builder/writer producing that text. Signed
 * federation payloads are verified over their exact bytes, so any second spelling
 * of the same value is refused rather than normalised.
 *
 * The canonical form: one value, no white space outside strings, no BOM, nothing
 * after the value; object keys sorted by their UTF-8 bytes (memcmp, a prefix
 * first) and unique; integers only, -?(0|[1-9][0-9]*), within +/-(2^53-1), never
 * -0; literals true, false, null; strings of strict UTF-8 without U+0000, where
 * only \" \\ \b \t \n \f \r and \u00xx (lowercase hex, for the other controls
 * U+0001..U+001F) are escaped and everything else, DEL included, is written raw.
 * Limits: depth 16, input 1 MiB, strings (and keys) 64 KiB decoded, 10,000
 * members or elements per container.
 *
 * Error names (stable: the node sends them in federation error replies):
 *   ok, syntax, not_canonical_whitespace, byte_order_mark, trailing_data,
 *   not_canonical_key_order, duplicate_key, not_canonical_number,
 *   integer_out_of_range, float_not_allowed, not_canonical_escape,
 *   control_character, invalid_utf8, nul_in_string, too_deep, too_large,
 *   string_too_long, too_many_items
 * When a text breaks several rules, the error is the one met first in byte order.
 *
 * Memory: a canon_doc owns every value created in it (parsed or built) and every
 * string it returns; canon_free releases them all at once. Out-of-memory aborts. */
#ifndef ZC_CANON_H
#define ZC_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf;

#define CANON_MAX_DEPTH	 16
#define CANON_MAX_INPUT	 (1024 * 1024)
#define CANON_MAX_STRING (64 * 1024)
#define CANON_MAX_ITEMS	 10000
#define CANON_MAX_INT	 INT64_C(9007199254740991) /* 2^53 - 1 */

/* CANON_ABSENT is canon_type(NULL): a missing member is never mistaken for null. */
enum canon_type {
	CANON_NULL,
	CANON_BOOL,
	CANON_INT,
	CANON_STRING,
	CANON_ARRAY,
	CANON_OBJECT,
	CANON_ABSENT
};

enum canon_err {
	CANON_OK = 0,
	CANON_ERR_SYNTAX,      /* syntax: not JSON (also empty input, bad escape) */
	CANON_ERR_WHITESPACE,  /* not_canonical_whitespace: space, tab, CR or LF between tokens */
	CANON_ERR_BOM,	       /* byte_order_mark: the text starts with EF BB BF */
	CANON_ERR_TRAILING,    /* trailing_data: bytes after the value */
	CANON_ERR_KEY_ORDER,   /* not_canonical_key_order: a key sorts before the previous one */
	CANON_ERR_DUPLICATE,   /* duplicate_key: a key appears twice in one object */
	CANON_ERR_NUMBER,      /* not_canonical_number: -0, leading zero, leading + */
	CANON_ERR_RANGE,       /* integer_out_of_range: beyond +/-(2^53-1) */
	CANON_ERR_FLOAT,       /* float_not_allowed: fraction or exponent */
	CANON_ERR_ESCAPE,      /* not_canonical_escape: \/, \u0041, \u001F, \u00e9, \ud800... */
	CANON_ERR_CONTROL,     /* control_character: a raw byte 01..1F in a string */
	CANON_ERR_UTF8,	       /* invalid_utf8: overlong, surrogate, > U+10FFFF, truncated */
	CANON_ERR_NUL,	       /* nul_in_string: \u0000 or a raw 00 byte in a string or key */
	CANON_ERR_TOO_DEEP,    /* too_deep: more than CANON_MAX_DEPTH nested containers */
	CANON_ERR_TOO_LARGE,   /* too_large: input longer than CANON_MAX_INPUT */
	CANON_ERR_STRING_LONG, /* string_too_long: a string or key above CANON_MAX_STRING */
	CANON_ERR_TOO_MANY,    /* too_many_items: a container above CANON_MAX_ITEMS */
	CANON_ERR__COUNT
};

/* The stable snake_case name of an error ("not_canonical_key_order"; never NULL). */
const char *canon_err_name(enum canon_err e);

struct canon_doc;
struct canon_value;

/* Parses buf[0..len) and checks it is canonical. On success *out is a new document (free
 * with canon_free; out may be NULL to validate only); on error *out is NULL and *err_at
 * (may be NULL) is the byte offset of the offending token or byte. */
enum canon_err canon_parse(const char *buf, size_t len, struct canon_doc **out, size_t *err_at);
/* The document's root value (NULL for a builder document without canon_set_root). */
const struct canon_value *canon_root(const struct canon_doc *d);
/* Frees the document and every value and string in it; NULL is a no-op. */
void canon_free(struct canon_doc *d);

/* Reading. Every accessor accepts NULL and returns NULL/false/0 on a type mismatch. */
enum canon_type canon_type(const struct canon_value *v);
/* The value of key in obj; NULL if absent or obj is not an object. */
const struct canon_value *canon_get(const struct canon_value *obj, const char *key);
/* The integer at key; false if absent or not an integer. */
bool canon_get_int(const struct canon_value *obj, const char *key, int64_t *out);
/* The NUL-terminated decoded string at key (*len, may be NULL, its byte length); NULL
 * if absent or not a string. */
const char *canon_get_str(const struct canon_value *obj, const char *key, size_t *len);
/* The boolean in v; false if v is not a boolean. */
bool canon_bool(const struct canon_value *v, bool *out);
/* The integer in v; false if v is not an integer. */
bool canon_int(const struct canon_value *v, int64_t *out);
/* The NUL-terminated decoded text of string v; NULL if v is not a string. */
const char *canon_str(const struct canon_value *v, size_t *len);
/* Number of elements of an array or members of an object (0 for scalars). */
size_t canon_count(const struct canon_value *v);
/* Element i of an array, or the value of member i of an object (members in key order). */
const struct canon_value *canon_item(const struct canon_value *v, size_t i);
/* The key of member i of an object, in canonical (bytewise sorted) order. */
const char *canon_key(const struct canon_value *obj, size_t i);
/* The first key of obj (in key order) not among allowed[0..n), or NULL when every key is
 * allowed or obj is not an object (check the type first). */
const char *canon_unknown_key(const struct canon_value *obj, const char *const *allowed, size_t n);

/* Building. Values are created in a document and belong to it; a child given to
 * canon_set/canon_push must come from the same document (use canon_copy otherwise).
 * Objects keep their members sorted, so the writer never reorders. */

/* A new empty document (free with canon_free). */
struct canon_doc *canon_new(void);
/* A new empty object in d. */
struct canon_value *canon_new_object(struct canon_doc *d);
/* A new empty array in d. */
struct canon_value *canon_new_array(struct canon_doc *d);
/* A string value holding a copy of s[0..len); NULL if not strict UTF-8, contains NUL, or
 * is longer than CANON_MAX_STRING. */
struct canon_value *canon_new_str(struct canon_doc *d, const char *s, size_t len);
/* An integer value; NULL if v is beyond +/-(2^53-1). */
struct canon_value *canon_new_int(struct canon_doc *d, int64_t v);
/* A boolean value. */
struct canon_value *canon_new_bool(struct canon_doc *d, bool v);
/* A null value. */
struct canon_value *canon_new_null(struct canon_doc *d);

/* Setters add key to obj; they return false (and change nothing) when obj is not an
 * object, the key is already present, the key or string is not strict UTF-8 without
 * NUL or is too long, the integer is out of range, or obj is full. */
bool canon_set_int(struct canon_doc *d, struct canon_value *obj, const char *key, int64_t v);
bool canon_set_str(struct canon_doc *d, struct canon_value *obj, const char *key, const char *s,
		   size_t len);
bool canon_set_bool(struct canon_doc *d, struct canon_value *obj, const char *key, bool v);
bool canon_set_null(struct canon_doc *d, struct canon_value *obj, const char *key);
bool canon_set(struct canon_doc *d, struct canon_value *obj, const char *key,
	       struct canon_value *child);
/* Appends child to arr; false when arr is not an array, child is NULL or arr is full. */
bool canon_push(struct canon_doc *d, struct canon_value *arr, struct canon_value *child);
/* A deep copy of v (from any document) into d, so parsed values can be embedded; NULL if v
 * is NULL or nested deeper than CANON_MAX_DEPTH. */
struct canon_value *canon_copy(struct canon_doc *d, const struct canon_value *v);
/* Makes v (a value of d) the document's root. */
void canon_set_root(struct canon_doc *d, struct canon_value *v);

/* Appends the canonical text of v to out. Returns false, leaving out as it was, when v
 * nests deeper than CANON_MAX_DEPTH (or loops) or its text exceeds CANON_MAX_INPUT: the
 * parser would refuse such a text. */
bool canon_write(const struct canon_value *v, struct jbuf *out);

#endif
