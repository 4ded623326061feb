/* A workshop as stored and shown: its definition (bilingual texts, kind,
 * times, room capacity, video link, check-in code), its counters and its
 * plan (slides, polls, quizzes); decoding of the staff's JSON bodies with every
 * rule of the API, the binary record, and the public and staff JSON views.
 * Pure: no store, no clock beyond what callers pass. */
#ifndef ZC_WORKSHOP_REC_H
#define ZC_WORKSHOP_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jbuf.h"
#include "jdec.h"

#define WS_TITLE_MAX	120 /* code points */
#define WS_DESC_MAX	2000
#define WS_SLIDE_MAX	2000
#define WS_OPTION_MAX	120
#define WS_ITEMS_MAX	100
#define WS_OPTIONS_MAX	8
#define WS_QUIZ_OPTIONS 6
#define WS_URL_MAX	300 /* bytes */
#define WS_IMAGE_MAX	80  /* bytes of an image name */
#define WS_CODE_LEN	6   /* characters of the room's check-in code */
#define WS_CAPACITY_MAX 10000
#define WS_LENGTH_MAX_S (12 * 3600)

enum ws_kind { WS_ONLINE, WS_PHYSICAL, WS_HYBRID };
enum ws_status { WS_SCHEDULED, WS_LIVE, WS_ENDED, WS_CANCELLED };
enum ws_item_kind { WSI_SLIDE, WSI_POLL, WSI_QUIZ };

/* A text in French (required) and English (may be NULL). Heap strings. */
struct ws_text {
	char *fr, *en;
};

struct ws_item {
	uint8_t kind;
	struct ws_text title; /* slide title, or the poll's or quiz's question */
	struct ws_text body;  /* slide body */
	char image[WS_IMAGE_MAX + 1];
	uint8_t noptions;
	struct ws_text options[WS_OPTIONS_MAX];
	bool multiple;	 /* poll: several choices */
	uint8_t correct; /* quiz: bit i = option i is correct */
	uint16_t seconds, points;
	bool used; /* opened or shown in the live session: frozen */
};

struct workshop {
	uint32_t id;
	struct ws_text title, description;
	uint8_t kind, status;
	int64_t starts_at, ends_at; /* seconds since the epoch */
	uint32_t capacity;	    /* room seats; 0 for an online workshop */
	char video_url[WS_URL_MAX + 1];
	char checkin_code[WS_CODE_LEN + 1];
	uint32_t room, waitlisted, online; /* registrations */
	int64_t created_at, live_since, ended_at;
	uint16_t nitems;
	struct ws_item *items;
};

void workshop_free(struct workshop *w);
/* Deep copy (dst is overwritten). */
void workshop_copy(struct workshop *dst, const struct workshop *src);

const char *workshop_kind_name(uint8_t kind);
const char *workshop_status_name(uint8_t status);

/* The binary record. */
void workshop_encode(const struct workshop *w, struct jbuf *out);
bool workshop_decode(const void *buf, size_t len, struct workshop *w);

/* What a decode refused: HTTP status, code and message (field named). */
struct ws_problem {
	int status;
	char code[32];
	char message[200];
};

/* Applies a staff body to w: creation (every required field) when `create`,
 * else a patch of the fields present. On refusal w is left unchanged and *why
 * says what. */
bool workshop_apply_json(struct workshop *w, const char *body, size_t len, bool create,
			 struct ws_problem *why);
/* Replaces w's plan from {"items":[…]}; items already `used` must come back
 * identical (else 409 item_in_use). */
bool workshop_plan_json(struct workshop *w, const char *body, size_t len, struct ws_problem *why);

/* JSON view, left open (no closing brace) so the caller can add fields such
 * as "me". `staff` adds the check-in code and the correct answers. */
void workshop_json(const struct workshop *w, bool staff, bool with_plan, struct jbuf *out);
/* One item's public part (what participants see when it is shown). */
void workshop_item_json(const struct ws_item *it, unsigned index, bool staff, struct jbuf *out);
/* The item's members after "item" and "kind", each preceded by a comma. */
void workshop_item_fields(const struct ws_item *it, bool staff, struct jbuf *out);
/* {"fr":…,"en":…} (en omitted when absent). */
void workshop_text_json(const struct ws_text *t, struct jbuf *out);

/* The extension of an image name the node gives an upload ("<64 lowercase hex
 * of its SHA-256>" then ".png", ".jpg" or ".webp"): that extension, or NULL
 * when name is anything else. */
const char *ws_image_name_ext(const char *name);

#endif
