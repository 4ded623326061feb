/* Decoding of the frames WebSocket clients send (hello, subscribe,
 * unsubscribe, ping, checkin, and the workshop frames), strictly: unknown types, unknown or missing
 * fields and wrong types are errors. Pure: no libwebsockets. */
#ifndef ZC_WSMSG_H
#define ZC_WSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcast.h"
#include "jdec.h"

enum wsmsg_type {
	WSMSG_HELLO,
	WSMSG_SUBSCRIBE,
	WSMSG_UNSUBSCRIBE,
	WSMSG_PING,
	WSMSG_CHECKIN,
	/* in a workshop (channel "workshop:<id>") */
	WSMSG_ANSWER,
	WSMSG_ASK,
	WSMSG_VOTE,
	WSMSG_CHAT,
	WSMSG_REACT,
	WSMSG_PUBLISH,
};

#define WSMSG_TEXT_MAX	  500 /* code points of a chat message */
#define WSMSG_CHOICES_MAX 8

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
	/* workshop frames */
	bool has_ref, has_item, has_text, has_question, has_message, has_participant;
	bool has_value, has_up, has_choices;
	int64_t item, question, message;
	int64_t choices[WSMSG_CHOICES_MAX];
	size_t nchoices;
	char text[WSMSG_TEXT_MAX * 4 + 1];
	char reaction[16 * 4 + 1];
	char participant[32 * 4 + 1];
	bool up, value;
};

/* Decodes one client frame. On failure fills err; err->status JDEC_UNKNOWN_FIELD
 * with field "type" means an unknown message type (code "unknown_type"). */
bool wsmsg_decode(const char *buf, size_t len, struct wsmsg *out, struct jdec_error *err);
/* The error code to send for a decode failure. */
const char *wsmsg_error_code(const struct jdec_error *err);

#endif
