/* libFuzzer target: the canonical JSON parser. Whatever it accepts must write back to
 * exactly the same bytes (parse then write is the identity), also after a deep copy,
 * and every object's keys must come back strictly sorted and findable. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canon.h"
#include "jbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_tree(const struct canon_value *v, int depth)
{
	if (depth > CANON_MAX_DEPTH)
		__builtin_trap();
	size_t n = canon_count(v);
	for (size_t i = 0; i < n; i++) {
		if (canon_type(v) == CANON_OBJECT) {
			const char *k = canon_key(v, i);
			if (i > 0 && strcmp(canon_key(v, i - 1), k) >= 0)
				__builtin_trap();
			if (canon_get(v, k) != canon_item(v, i))
				__builtin_trap();
		}
		check_tree(canon_item(v, i), depth + 1);
	}
}

static void same_text(const struct canon_value *v, const uint8_t *data, size_t size)
{
	struct jbuf out;
	jbuf_init(&out, 0);
	if (!canon_write(v, &out) || out.len != size || memcmp(jbuf_data(&out), data, size) != 0)
		__builtin_trap();
	jbuf_fini(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct canon_doc *d = NULL;
	size_t at = 0;
	enum canon_err e = canon_parse((const char *)data, size, &d, &at);
	if (e != CANON_OK) {
		if (d || at > size || strcmp(canon_err_name(e), "unknown") == 0)
			__builtin_trap();
		return 0;
	}
	same_text(canon_root(d), data, size);
	check_tree(canon_root(d), 0);

	struct canon_doc *c = canon_new();
	struct canon_value *copy = canon_copy(c, canon_root(d));
	canon_free(d); /* the copy owns its memory */
	if (!copy)
		__builtin_trap();
	same_text(copy, data, size);
	canon_free(c);
	return 0;
}
