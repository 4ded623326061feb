/* libFuzzer target: WebSocket client frames (wsmsg_decode, and jdec beneath it). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wsmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsmsg m;
	struct jdec_error e;
	if (wsmsg_decode((const char *)data, size, &m, &e)) {
		/* A decoded message is always NUL-terminated within its buffers. */
		if (memchr(m.token, 0, sizeof(m.token)) == NULL ||
		    memchr(m.channel, 0, sizeof(m.channel)) == NULL)
			__builtin_trap();
	} else if (wsmsg_error_code(&e) == NULL) {
		__builtin_trap();
	}
	return 0;
}
