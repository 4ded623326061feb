/* Workshops in the store: definitions and plans, slide images, registrations
 * with the room's waitlist, the room's check-in code, attendance (online from
 * the live session, physical from the code) and the participation dataset. Every
 * change is one write transaction; counters in the workshop record move with
 * the rows they count. */
#ifndef ZC_WORKSHOPS_H
#define ZC_WORKSHOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "jbuf.h"
#include "node.h"
#include "workshop_rec.h"

struct store_txn;

enum ws_reg { WS_REG_NONE, WS_REG_ROOM, WS_REG_ONLINE, WS_REG_WAITLISTED };

/* A participant's relation to one workshop. */
struct ws_me {
	uint8_t reg;	   /* enum ws_reg */
	uint32_t position; /* on the waitlist, from 1; 0 otherwise */
	bool physical;	   /* checked in with the room's code */
	bool online;	   /* joined the live session */
};

enum ws_when { WS_WHEN_UPCOMING, WS_WHEN_PAST, WS_WHEN_ALL };

/* Creates w (its id, check-in code and created_at are set here). */
enum zc_err workshops_create(struct node *n, struct workshop *w);
/* Reads workshop id; ZC_ERR_NOT_FOUND when absent. */
enum zc_err workshops_get(struct node *n, uint32_t id, struct workshop *w);
enum zc_err workshops_get_txn(struct store_txn *txn, uint32_t id, struct workshop *w);
/* Stores w over its previous version; when the room grew, the waitlist moves
 * up in the same transaction (w's counters are updated). */
enum zc_err workshops_update(struct node *n, struct workshop *w);
enum zc_err workshops_put_txn(struct store_txn *txn, const struct workshop *w);

/* Appends {"workshops":[…]} to out: upcoming ones by start, past ones newest
 * first; `pid` (may be NULL) adds each one's "me". */
enum zc_err workshops_list_json(struct node *n, enum ws_when when, unsigned limit, bool staff,
				const unsigned char *pid, struct jbuf *out);
/* Appends "me":{…} (a key and its object) for pid. */
enum zc_err workshops_me_json(struct node *n, const struct workshop *w, const unsigned char *pid,
			      struct jbuf *out);
enum zc_err workshops_me(struct store_txn *txn, const struct workshop *w, const unsigned char *pid,
			 struct ws_me *me);

/* Registration. Returns the HTTP status (201 changed, 200 unchanged, else an
 * error with *why filled) and *me after it. */
int workshops_register(struct node *n, uint32_t id, const unsigned char *pid, bool room,
		       struct ws_me *me, struct ws_problem *why);
/* 204, or 404 when not registered. A freed seat goes to the waitlist's first. */
int workshops_unregister(struct node *n, uint32_t id, const unsigned char *pid,
			 struct ws_problem *why);
/* Physical check-in with the room's code: 201 first time, 200 again. */
int workshops_checkin(struct node *n, uint32_t id, const unsigned char *pid, const char *code,
		      struct ws_me *me, struct ws_problem *why);

/* Online attendance, inside a write transaction: marks pid as having joined
 * (first time at `at`) and adds `seconds` present. */
enum zc_err workshops_attend_online(struct store_txn *txn, uint32_t id, const unsigned char *pid,
				    int64_t at, uint32_t seconds);
/* {"workshop","rows":[…],"totals":{…}} for the staff. */
enum zc_err workshops_attendance_json(struct node *n, uint32_t id, struct jbuf *out);
/* The participation dataset, one row per workshop, for workshops starting in
 * ISO weeks from..to (year*100+week, inclusive). CSV (`;`) or JSON. */
enum zc_err workshops_dataset(struct node *n, uint32_t from, uint32_t to, bool csv,
			      struct jbuf *out);

/* Calls fn for each attendance at a workshop starting in ISO week `week`
 * (year*100+week): the participant, and whether they attended online or in
 * the room (a participant both online and in the room of one workshop counts
 * in the room only). */
enum zc_err workshops_week_attendees(struct store_txn *txn, uint32_t week,
				     void (*fn)(const unsigned char *pid, bool online,
						bool physical, void *arg),
				     void *arg);

/* Slide images, named by content: <64 hex of the SHA-256>.png|.jpg|.webp. */
enum ws_image { WS_IMAGE_NONE, WS_IMAGE_PNG, WS_IMAGE_JPEG, WS_IMAGE_WEBP };
#define WS_IMAGES_MAX	  200	       /* images per workshop */
#define WS_IMAGE_NAME_CAP (64 + 5 + 1) /* "<hex>.webp" and its NUL */

/* The image type data is, by its first bytes (a WebP's RIFF size must also
 * match len); WS_IMAGE_NONE when none. */
enum ws_image workshops_image_sniff(const void *data, size_t len);
/* "image/png", "image/jpeg" or "image/webp"; NULL for WS_IMAGE_NONE. */
const char *workshops_image_mime(enum ws_image type);
/* Stores image data of the given type for workshop id and writes its name.
 * Returns the HTTP status: 201 stored, 200 already there; else an error with
 * *why filled (404 no such workshop, 409 too_many_images, 507, 500). */
int workshops_image_put(struct node *n, uint32_t id, enum ws_image type, const void *data,
			size_t len, char name[WS_IMAGE_NAME_CAP], struct ws_problem *why);
/* Appends the bytes of image `name` of workshop id to out and sets *type;
 * ZC_ERR_NOT_FOUND for a name the node never gives or an image it lacks. */
enum zc_err workshops_image_get(struct node *n, uint32_t id, const char *name, enum ws_image *type,
				struct jbuf *out);

/* Notes that pid has rows in workshop id (workshops_erase finds them so). */
enum zc_err workshops_mark(struct store_txn *txn, const unsigned char *pid, uint32_t id);
/* Removes every workshop row of a participant (erasure), inside txn. */
enum zc_err workshops_erase(struct store_txn *txn, const unsigned char *pid);

/* Key layouts shared with the live session. */
#define WS_KEY_ID    4
#define WS_KEY_IDPID (4 + 16)
void workshops_key_id(uint32_t id, unsigned char out[WS_KEY_ID]);
void workshops_key_idpid(uint32_t id, const unsigned char *pid, unsigned char out[WS_KEY_IDPID]);

#endif
