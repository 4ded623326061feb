/* Client frame decoding on top of the strict request decoder: one pass reads
 * every field any type may carry, then the type decides which were allowed. */
#include <stdio.h>
#include <string.h>

#include "wsmsg.h"

#define MAX_SAFE_INT 9007199254740991LL

static bool refuse(struct jdec_error *err, enum jdec_status st, const char *field, const char *msg)
{
	err->status = st;
	snprintf(err->field, sizeof(err->field), "%s", field);
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return false;
}

bool wsmsg_decode(const char *buf, size_t len, struct wsmsg *out, struct jdec_error *err)
{
	char type[52];
	int64_t after = 0;
	bool has_token = false, has_channel = false, has_after = false;
	const struct jdec_field fields[] = {
	    {.name = "type",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 12,
	     .out = type,
	     .out_cap = sizeof(type)},
	    {.name = "token",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 100,
	     .out = out->token,
	     .out_cap = sizeof(out->token),
	     .present = &has_token},
	    {.name = "channel",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = BCAST_NAME_MAX,
	     .out = out->channel,
	     .out_cap = sizeof(out->channel),
	     .present = &has_channel},
	    {.name = "after",
	     .type = JDEC_INT,
	     .min = 0,
	     .max = MAX_SAFE_INT,
	     .out = &after,
	     .present = &has_after},
	};
	memset(out, 0, sizeof(*out));
	if (jdec_object(buf, len, fields, sizeof(fields) / sizeof(fields[0]), err) != JDEC_OK)
		return false;
	if (strcmp(type, "hello") == 0) {
		out->type = WSMSG_HELLO;
		if (has_channel || has_after)
			return refuse(err, JDEC_UNKNOWN_FIELD, has_channel ? "channel" : "after",
				      "hello takes only a token");
	} else if (strcmp(type, "subscribe") == 0) {
		out->type = WSMSG_SUBSCRIBE;
		if (has_token)
			return refuse(err, JDEC_UNKNOWN_FIELD, "token", "unknown field 'token'");
		if (!has_channel)
			return refuse(err, JDEC_MISSING_FIELD, "channel", "channel is required");
	} else if (strcmp(type, "unsubscribe") == 0) {
		out->type = WSMSG_UNSUBSCRIBE;
		if (has_token || has_after)
			return refuse(err, JDEC_UNKNOWN_FIELD, has_token ? "token" : "after",
				      "unsubscribe takes only a channel");
		if (!has_channel)
			return refuse(err, JDEC_MISSING_FIELD, "channel", "channel is required");
	} else if (strcmp(type, "ping") == 0) {
		out->type = WSMSG_PING;
		if (has_token || has_channel || has_after)
			return refuse(err, JDEC_UNKNOWN_FIELD, "ping", "ping takes no fields");
	} else {
		return refuse(err, JDEC_UNKNOWN_FIELD, "type", "unknown message type");
	}
	out->has_after = has_after;
	out->after = (uint64_t)after;
	return true;
}

const char *wsmsg_error_code(const struct jdec_error *err)
{
	if (err->status == JDEC_UNKNOWN_FIELD && strcmp(err->field, "type") == 0)
		return "unknown_type";
	if (err->status == JDEC_INVALID_UTF8 || err->status == JDEC_NOT_OBJECT ||
	    err->status == JDEC_DUPLICATE)
		return "malformed_json";
	return jdec_code(err->status);
}
