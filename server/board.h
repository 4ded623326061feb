/* The season's leaderboards and aggregates, in memory: every participant's
 * season totals, the per-member means of teams and neighbourhoods, and six
 * ordered indexes (points and CO2e × individual, team, neighbourhood). Rebuilt
 * from the store at start; afterwards changed only by the deltas of committed
 * writes, applied on the loop in commit order. Boards that changed are
 * published as snapshots at most 4 times a second. */
#ifndef ZC_BOARD_H
#define ZC_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "jbuf.h"
#include "records_challenge.h"

struct node;
struct board;

enum board_kind { BOARD_POINTS, BOARD_CO2E, BOARD_KIND__COUNT };
enum board_scope { SCOPE_INDIVIDUAL, SCOPE_TEAM, SCOPE_NEIGHBOURHOOD, SCOPE__COUNT };
enum team_kind { TEAM_HOUSEHOLD, TEAM_ASSOCIATION, TEAM_NEIGHBOURHOOD, TEAM_KIND__COUNT };

#define BOARD_PUBLISH_MS   250 /* at most 4 snapshots a second per board */
#define BOARD_SNAPSHOT_TOP 20

/* Builds the boards of the season `season_id` (NULL: no season, all zero) from
 * the store into n->board (replacing it). */
enum zc_err board_load(struct node *n, const char *season_id);
void board_free(struct board *b);
/* The season the boards are about ("" when none). */
const char *board_season(const struct board *b);

/* A participant appears (registration) or disappears (erasure: their totals
 * leave their teams and neighbourhood too). */
void board_participant_add(struct board *b, const unsigned char *id, bool hidden, int hood);
void board_participant_remove(struct board *b, const unsigned char *id);
/* The profile changed: hidden flag or neighbourhood index (-1 none). */
void board_participant_profile(struct board *b, const unsigned char *id, bool hidden, int hood);
/* The participant's nickname changed: boards showing it are republished. */
void board_participant_renamed(struct board *b, const unsigned char *id);
/* A committed check-in credited these amounts. */
void board_scores_add(struct board *b, const unsigned char *id, uint64_t points, uint64_t co2e_g,
		      uint64_t waste_g);

void board_team_add(struct board *b, const unsigned char *team, enum team_kind kind,
		    const char *name);
void board_team_remove(struct board *b, const unsigned char *team);
/* A team was renamed: boards showing it are republished. */
void board_team_renamed(struct board *b, const unsigned char *team, const char *name);
void board_member_join(struct board *b, const unsigned char *team, const unsigned char *id);
void board_member_leave(struct board *b, const unsigned char *team, const unsigned char *id);

/* A team's size and means (false when unknown). */
bool board_team_stats(const struct board *b, const unsigned char *team, uint32_t *members,
		      uint64_t *points_avg, uint64_t *co2e_avg_g);
/* A participant's season totals (false when unknown). */
bool board_member_totals(const struct board *b, const unsigned char *id, uint64_t *points,
			 uint64_t *co2e_g, uint64_t *waste_g);

/* Appends the board object of GET /leaderboard (limit entries; "me" for the
 * participant `me` when not NULL). */
void board_json(struct node *n, enum board_kind kind, enum board_scope scope, size_t limit,
		const unsigned char *me, struct jbuf *out);
/* Publishes the boards that changed since the last call as snapshots on
 * their channels; called every BOARD_PUBLISH_MS. */
void board_tick(struct node *n);
/* True when a board changed since its last snapshot (board_tick has work). */
bool board_dirty(const struct node *n);

bool board_kind_parse(const char *s, enum board_kind *out);
bool board_scope_parse(const char *s, enum board_scope *out);
const char *board_kind_name(enum board_kind k);
const char *board_scope_name(enum board_scope s);
const char *board_team_kind_name(enum team_kind k);
bool board_team_kind_parse(const char *s, enum team_kind *out);

#endif
