/* Binary layouts of the records kept in LMDB, with their encoders and
 * decoders. Each record starts with a format byte so a later schema can read
 * old rows. Pure: decoders check every length against the buffer. */
#ifndef ZC_RECORDS_H
#define ZC_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jbuf.h"
#include "secrets.h"

#define REC_NICKNAME_BYTES     97  /* 24 code points × 4 bytes + NUL */
#define REC_NAME_BYTES	       129 /* neighbourhood, city, season names: 32 cp × 4 + NUL */
#define REC_USERNAME_BYTES     33
#define REC_PWHASH_BYTES       128 /* crypto_pwhash_STRBYTES */
#define REC_MAX_NEIGHBOURHOODS 64
#define REC_SEASON_ID_BYTES    33

enum rec_role { ROLE_ADMIN = 1, ROLE_ANIMATOR = 2, ROLE_MODERATOR = 3 };

/* Token kinds in STORE_TOKENS. */
enum rec_token_kind { TOKEN_PARTICIPANT = 1, TOKEN_RECOVERY = 2, TOKEN_INVITE = 3 };

struct participant {
	unsigned char id[SECRETS_ID_BYTES];
	char nickname[REC_NICKNAME_BYTES];
	char neighbourhood[REC_NAME_BYTES]; /* "" = none */
	uint8_t household_size;
	char lang[3];
	bool hidden;
	uint8_t weekly_goal; /* check-ins a week, 1–21 */
	int64_t created_at;
	unsigned char token_hash[SECRETS_HASH_BYTES];
	unsigned char recovery_hash[SECRETS_HASH_BYTES];
};

struct admin_account {
	char username[REC_USERNAME_BYTES];
	enum rec_role role;
	int64_t created_at;
	char pwhash[REC_PWHASH_BYTES];
};

struct admin_session {
	char username[REC_USERNAME_BYTES];
	enum rec_role role;
	int64_t expires_at;
};

struct city {
	char name[REC_NAME_BYTES];
	uint32_t population;
	unsigned n_neighbourhoods;
	char neighbourhoods[REC_MAX_NEIGHBOURHOODS][REC_NAME_BYTES];
};

struct season {
	char id[REC_SEASON_ID_BYTES];
	char name[REC_NAME_BYTES];
	char starts_on[11];
	char ends_on[11];
};

/* Each encoder appends the record to out (reset first); each decoder returns
 * false for a truncated or unknown record. */
void rec_participant_encode(const struct participant *p, struct jbuf *out);
bool rec_participant_decode(const void *buf, size_t len, struct participant *p);
void rec_admin_encode(const struct admin_account *a, struct jbuf *out);
bool rec_admin_decode(const void *buf, size_t len, struct admin_account *a);
void rec_session_encode(const struct admin_session *s, struct jbuf *out);
bool rec_session_decode(const void *buf, size_t len, struct admin_session *s);
void rec_city_encode(const struct city *c, struct jbuf *out);
bool rec_city_decode(const void *buf, size_t len, struct city *c);
void rec_season_encode(const struct season *s, struct jbuf *out);
bool rec_season_decode(const void *buf, size_t len, struct season *s);

/* Role names: "admin", "animator", "moderator". */
const char *rec_role_name(enum rec_role role);
bool rec_role_parse(const char *name, enum rec_role *out);

#endif
