/* libFuzzer target: the strict request decoder with a registration-like field table. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jbuf.h"
#include "jdec.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char nick[97], hood[129], list[4 * 64];
	int64_t n = 0;
	bool flag = false, is_null = false;
	size_t count = 0;
	struct jbuf raw;
	struct jdec_error e;
	jbuf_init(&raw, 0);
	const struct jdec_field fields[] = {
	    {.name = "nickname",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 24,
	     .out = nick,
	     .out_cap = sizeof(nick)},
	    {.name = "neighbourhood",
	     .type = JDEC_STRING_NULL,
	     .min_len = 1,
	     .max_len = 32,
	     .out = hood,
	     .out_cap = sizeof(hood),
	     .is_null = &is_null},
	    {.name = "household_size", .type = JDEC_INT, .min = 1, .max = 20, .out = &n},
	    {.name = "hidden", .type = JDEC_BOOL, .out = &flag},
	    {.name = "data", .type = JDEC_OBJECT_RAW, .out = &raw},
	    {.name = "list",
	     .type = JDEC_STRING_ARRAY,
	     .min_len = 1,
	     .max_len = 8,
	     .max = 4,
	     .out = list,
	     .out_cap = 64,
	     .count = &count},
	};
	if (jdec_object((const char *)data, size, fields, sizeof(fields) / sizeof(fields[0]), &e) ==
	    JDEC_OK) {
		/* Whatever was accepted must be valid UTF-8 and within its bounds. */
		if (!utf8_valid(nick, strlen(nick)) || n < 0 || n > 20 || count > 4)
			__builtin_trap();
	}
	jbuf_fini(&raw);
	return 0;
}
