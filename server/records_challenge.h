/* Binary layouts of the challenge's records (actions, progress, weeks,
 * check-ins, footprints, waste, commitments, teams, reference figures) and
 * the byte layouts of their keys. Pure; built on recio. */
#ifndef ZC_RECORDS_CHALLENGE_H
#define ZC_RECORDS_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "game.h"
#include "jbuf.h"
#include "records.h"

#define REC_ACTION_ID_BYTES 41	/* 40 of [a-z0-9-] + NUL */
#define REC_TEAM_ID_BYTES   8	/* random */
#define REC_TEAM_NAME_BYTES 161 /* 40 code points × 4 + NUL */
#define REC_REF_ID_BYTES    33
#define REC_MODEL_VERSION   33
#define REC_FOOTPRINT_CATS  5
#define REC_WASTE_STREAMS   4
#define REC_NO_WEIGHT	    UINT32_MAX /* a stream not weighed */
#define REC_INVITE_LEN	    8	       /* characters of an invite code */
#define REC_INVITE_BOX	    (REC_INVITE_LEN + SECRETS_BOX_OVERHEAD)

/* One action of the catalogue. Strings are borrowed from the stored value
 * (not NUL-terminated) until the transaction ends. */
struct rec_action {
	char id[REC_ACTION_ID_BYTES];
	uint16_t num; /* stable number used in keys */
	uint8_t category, frequency;
	uint32_t co2e_g, waste_g;
	uint16_t points;
	bool retired;
	int64_t updated_at;
	struct {
		const char *s;
		size_t n;
	} text[7]; /* title_fr, title_en, why_fr, why_en, how_fr, how_en, source */
};
enum {
	ACTION_TITLE_FR,
	ACTION_TITLE_EN,
	ACTION_WHY_FR,
	ACTION_WHY_EN,
	ACTION_HOW_FR,
	ACTION_HOW_EN,
	ACTION_SOURCE
};
#define REC_ACTION_TEXT_MAX 4000 /* bytes of one text */

/* A participant's season. */
struct rec_progress {
	char season[REC_SEASON_ID_BYTES];
	uint64_t points, co2e_g, waste_g;
	uint32_t checkins;
	uint64_t active_weeks; /* bit i: the season's week i had a check-in */
	uint16_t best_streak, goals_met;
	uint32_t weighed_weeks;
	uint8_t categories;
	uint16_t cat_checkins[GAME_CATEGORIES];
	uint32_t badges;
	int64_t badge_at[BADGE__COUNT];
	bool footprint, team;
};

struct rec_checkin {
	int32_t day; /* the date checked in, days since 1970-01-01 */
	int64_t at;  /* when it was recorded */
	uint32_t points, co2e_g, waste_g;
	bool capped;
};

struct rec_footprint {
	int64_t at_us; /* also the snapshot's id */
	char model_version[REC_MODEL_VERSION];
	uint64_t total_g;
	uint64_t cat_g[REC_FOOTPRINT_CATS];
};

struct rec_waste {
	uint32_t stream_g[REC_WASTE_STREAMS]; /* REC_NO_WEIGHT when not weighed */
	uint8_t household_size;
	uint16_t edits;
	int64_t updated_at;
};

struct rec_team {
	unsigned char id[REC_TEAM_ID_BYTES];
	char name[REC_TEAM_NAME_BYTES];
	uint8_t kind;
	unsigned char captain[SECRETS_ID_BYTES];
	unsigned char invite_box[REC_INVITE_BOX]; /* the code, sealed (secrets_seal) */
	int64_t created_at;
};

struct rec_reference {
	char id[REC_REF_ID_BYTES];
	char label_fr[161], label_en[161];
	uint32_t kg_per_person_year;
	uint8_t stream; /* 0 all household waste, 1 residual */
	uint16_t year;
	char source[1201];
};

void rec_action_encode(const struct rec_action *a, const char *const text[7], struct jbuf *out);
bool rec_action_decode(const void *buf, size_t len, struct rec_action *a);
void rec_progress_encode(const struct rec_progress *p, struct jbuf *out);
bool rec_progress_decode(const void *buf, size_t len, struct rec_progress *p);
void rec_week_encode(const struct game_week *w, struct jbuf *out);
bool rec_week_decode(const void *buf, size_t len, struct game_week *w);
void rec_checkin_encode(const struct rec_checkin *c, struct jbuf *out);
bool rec_checkin_decode(const void *buf, size_t len, struct rec_checkin *c);
void rec_footprint_encode(const struct rec_footprint *f, struct jbuf *out);
bool rec_footprint_decode(const void *buf, size_t len, struct rec_footprint *f);
void rec_waste_encode(const struct rec_waste *w, struct jbuf *out);
bool rec_waste_decode(const void *buf, size_t len, struct rec_waste *w);
void rec_team_encode(const struct rec_team *t, struct jbuf *out);
bool rec_team_decode(const void *buf, size_t len, struct rec_team *t);
void rec_reference_encode(const struct rec_reference *r, struct jbuf *out);
bool rec_reference_decode(const void *buf, size_t len, struct rec_reference *r);

/* Keys: a participant id followed by big-endian numbers, so a participant's
 * rows are one contiguous, ordered range. */
#define REC_KEY_MAX (SECRETS_ID_BYTES + 8)
/* id | u32: weeks (ISO week), waste (ISO week) */
size_t rec_key_id_u32(const unsigned char *id, uint32_t v, unsigned char out[REC_KEY_MAX]);
/* id | u16 | u32: check-ins (action number, period) */
size_t rec_key_checkin(const unsigned char *id, uint16_t action, uint32_t period,
		       unsigned char out[REC_KEY_MAX]);
/* id | u16: commitments (action number) */
size_t rec_key_id_u16(const unsigned char *id, uint16_t v, unsigned char out[REC_KEY_MAX]);
/* id | i64: footprints (time in µs) */
size_t rec_key_id_i64(const unsigned char *id, int64_t v, unsigned char out[REC_KEY_MAX]);
/* Reads the big-endian number of n bytes at p. */
uint64_t rec_key_be(const unsigned char *p, size_t n);

#endif
