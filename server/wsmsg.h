/* Decoding of the frames WebSocket clients send (hello, subscribe,
 * unsubscribe, ping, checkin), strictly: unknown types, unknown or missing
 * fields and wrong types are errors. Pure: no libwebsockets. */
#ifndef ZC_WSMSG_H
#define ZC_WSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcast.h"
#include "jdec.h"

enum wsmsg_type { WSMSG_HELLO, WSMSG_SUBSCRIBE, WSMSG_UNSUBSCRIBE, WSMSG_PING, WSMSG_CHECKIN };

#define WSMSG_REF_MAX 64 /* bytes of a client's reference for its request */

struct wsmsg {
	enum wsmsg_type type;
	char token[160]; /* hello: "" when absent */
	char channel[BCAST_NAME_MAX + 1];
	bool has_after;
	uint64_t after;
	char ref[WSMSG_REF_MAX * 4 + 1]; /* checkin: echoed in the result */
	char action[41 * 4];		 /* checkin */
	char date[11 * 4];		 /* checkin: "" = today */
};

/* Decodes one client frame. On failure fills err; err->status JDEC_UNKNOWN_FIELD
 * with field "type" means an unknown message type (code "unknown_type"). */
bool wsmsg_decode(const char *buf, size_t len, struct wsmsg *out, struct jdec_error *err);
/* The error code to send for a decode failure. */
const char *wsmsg_error_code(const struct jdec_error *err);

#endif
