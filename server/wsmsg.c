/* Client frame decoding on top of the strict request decoder: one pass reads
 * every field any type may carry, then a table says which fields each type
 * allows and requires. */
#include <stdio.h>
#include <string.h>

#include "wsmsg.h"

#define MAX_SAFE_INT 9007199254740991LL

enum {
	F_TOKEN = 1 << 0,
	F_CHANNEL = 1 << 1,
	F_AFTER = 1 << 2,
	F_REF = 1 << 3,
	F_ACTION = 1 << 4,
	F_DATE = 1 << 5,
	F_ITEM = 1 << 6,
	F_CHOICES = 1 << 7,
	F_TEXT = 1 << 8,
	F_QUESTION = 1 << 9,
	F_UP = 1 << 10,
	F_REACTION = 1 << 11,
	F_MESSAGE = 1 << 12,
	F_PARTICIPANT = 1 << 13,
	F_VALUE = 1 << 14,
};
#define NFIELDS 15

static const char *const field_names[NFIELDS] = {
    "token", "channel",	 "after", "ref",      "action",	 "date",	"item", "choices",
    "text",  "question", "up",	  "reaction", "message", "participant", "value"};

static const struct {
	const char *name;
	enum wsmsg_type type;
	unsigned allowed, required;
} types[] = {
    {"hello", WSMSG_HELLO, F_TOKEN, 0},
    {"subscribe", WSMSG_SUBSCRIBE, F_CHANNEL | F_AFTER, F_CHANNEL},
    {"unsubscribe", WSMSG_UNSUBSCRIBE, F_CHANNEL, F_CHANNEL},
    {"ping", WSMSG_PING, 0, 0},
    {"checkin", WSMSG_CHECKIN, F_REF | F_ACTION | F_DATE, F_REF | F_ACTION},
    {"answer", WSMSG_ANSWER, F_CHANNEL | F_REF | F_ITEM | F_CHOICES,
     F_CHANNEL | F_ITEM | F_CHOICES},
    {"ask", WSMSG_ASK, F_CHANNEL | F_REF | F_TEXT, F_CHANNEL | F_TEXT},
    {"vote", WSMSG_VOTE, F_CHANNEL | F_REF | F_QUESTION | F_UP, F_CHANNEL | F_QUESTION},
    {"chat", WSMSG_CHAT, F_CHANNEL | F_REF | F_TEXT, F_CHANNEL | F_TEXT},
    {"react", WSMSG_REACT, F_CHANNEL | F_REF | F_REACTION, F_CHANNEL | F_REACTION},
    {"publish", WSMSG_PUBLISH,
     F_CHANNEL | F_REF | F_ACTION | F_ITEM | F_TEXT | F_QUESTION | F_MESSAGE | F_PARTICIPANT |
	 F_VALUE,
     F_CHANNEL | F_ACTION},
};

static bool refuse(struct jdec_error *err, enum jdec_status st, const char *field, const char *msg)
{
	err->status = st;
	snprintf(err->field, sizeof(err->field), "%s", field);
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return false;
}

bool wsmsg_decode(const char *buf, size_t len, struct wsmsg *out, struct jdec_error *err)
{
	char type[52], msg[96];
	int64_t after = 0;
	bool has[NFIELDS] = {false};
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
	     .present = &has[0]},
	    {.name = "channel",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = BCAST_NAME_MAX,
	     .out = out->channel,
	     .out_cap = sizeof(out->channel),
	     .present = &has[1]},
	    {.name = "after",
	     .type = JDEC_INT,
	     .min = 0,
	     .max = MAX_SAFE_INT,
	     .out = &after,
	     .present = &has[2]},
	    {.name = "ref",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = WSMSG_REF_MAX,
	     .out = out->ref,
	     .out_cap = sizeof(out->ref),
	     .present = &has[3]},
	    {.name = "action",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 40,
	     .out = out->action,
	     .out_cap = sizeof(out->action),
	     .present = &has[4]},
	    {.name = "date",
	     .type = JDEC_STRING,
	     .min_len = 10,
	     .max_len = 10,
	     .out = out->date,
	     .out_cap = sizeof(out->date),
	     .present = &has[5]},
	    {.name = "item",
	     .type = JDEC_INT,
	     .min = 0,
	     .max = 9999,
	     .out = &out->item,
	     .present = &has[6]},
	    {.name = "choices",
	     .type = JDEC_INT_ARRAY,
	     .min = 0,
	     .max = 99,
	     .max_len = WSMSG_CHOICES_MAX,
	     .out = out->choices,
	     .count = &out->nchoices,
	     .present = &has[7]},
	    {.name = "text",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = WSMSG_TEXT_MAX,
	     .out = out->text,
	     .out_cap = sizeof(out->text),
	     .present = &has[8]},
	    {.name = "question",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = 0xffffffffLL,
	     .out = &out->question,
	     .present = &has[9]},
	    {.name = "up", .type = JDEC_BOOL, .out = &out->up, .present = &has[10]},
	    {.name = "reaction",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 16,
	     .out = out->reaction,
	     .out_cap = sizeof(out->reaction),
	     .present = &has[11]},
	    {.name = "message",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = 0xffffffffLL,
	     .out = &out->message,
	     .present = &has[12]},
	    {.name = "participant",
	     .type = JDEC_STRING,
	     .min_len = 32,
	     .max_len = 32,
	     .out = out->participant,
	     .out_cap = sizeof(out->participant),
	     .present = &has[13]},
	    {.name = "value", .type = JDEC_BOOL, .out = &out->value, .present = &has[14]},
	};
	memset(out, 0, sizeof(*out));
	if (jdec_object(buf, len, fields, sizeof(fields) / sizeof(fields[0]), err) != JDEC_OK)
		return false;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		if (strcmp(type, types[t].name) != 0)
			continue;
		for (unsigned f = 0; f < NFIELDS; f++) {
			if (has[f] && !(types[t].allowed & (1u << f))) {
				snprintf(msg, sizeof(msg), "%s does not take '%s'", types[t].name,
					 field_names[f]);
				return refuse(err, JDEC_UNKNOWN_FIELD, field_names[f], msg);
			}
			if (!has[f] && (types[t].required & (1u << f))) {
				snprintf(msg, sizeof(msg), "%s is required", field_names[f]);
				return refuse(err, JDEC_MISSING_FIELD, field_names[f], msg);
			}
		}
		out->type = types[t].type;
		out->has_after = has[2];
		out->after = (uint64_t)after;
		out->has_ref = has[3];
		out->has_item = has[6];
		out->has_choices = has[7];
		out->has_text = has[8];
		out->has_question = has[9];
		out->has_up = has[10];
		out->has_message = has[12];
		out->has_participant = has[13];
		out->has_value = has[14];
		return true;
	}
	return refuse(err, JDEC_UNKNOWN_FIELD, "type", "unknown message type");
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
