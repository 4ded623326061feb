/* The challenge's rules in one place: caps per participant-week, the weekly
 * goal bonus, the streak rule, badges and levels. Pure: no store, no clock (the
 * caller passes weeks), so every rule is unit-tested directly. */
#ifndef ZC_GAME_H
#define ZC_GAME_H

#include <stdbool.h>
#include <stdint.h>

#include "jbuf.h"

#define GAME_CAP_CO2E_G	  10000 /* CO2e credited per participant-week (design §6) */
#define GAME_CAP_WASTE_G  5000	/* waste credited per participant-week (design §6) */
#define GAME_CAP_POINTS	  500	/* points credited per participant-week */
#define GAME_GOAL_BONUS	  20	/* points for reaching the weekly goal, once a week */
#define GAME_GOAL_DEFAULT 3	/* check-ins a week */
#define GAME_GOAL_MAX	  21
#define GAME_SEASON_WEEKS 64 /* weeks a season may span (one bit each) */
#define GAME_CATEGORIES	  5

/* One participant's week, as the caps see it. */
struct game_week {
	uint32_t checkins;
	uint32_t points; /* credited, the goal bonus included (it is not capped) */
	uint32_t co2e_g; /* credited */
	uint32_t waste_g;
	bool goal_met;
};

/* What one check-in earned. */
struct game_credit {
	uint32_t points, co2e_g, waste_g;
	bool capped;   /* something was cut by a cap */
	bool goal_now; /* this check-in reached the weekly goal (bonus included) */
};

/* Adds one check-in worth (points, co2e_g, waste_g) to week w under the caps
 * and the weekly goal; *out says what was credited. */
void game_credit(struct game_week *w, uint32_t goal, uint32_t points, uint32_t co2e_g,
		 uint32_t waste_g, struct game_credit *out);

/* Streaks: a week is active when it holds at least one check-in. Bit i of
 * `active` is the season's week i (0 = the season's first week). */
struct game_streak {
	uint16_t current; /* active weeks in a row ending this week, or last week
			   * when this week has no check-in yet */
	uint16_t best;	  /* longest run of the season */
};
void game_streak(uint64_t active, unsigned this_week, struct game_streak *out);

enum game_badge {
	BADGE_PREMIER_PAS,    /* first check-in */
	BADGE_DIX_GESTES,     /* 10 check-ins */
	BADGE_CINQUANTE,      /* 50 check-ins */
	BADGE_SERIE_4,	      /* 4 active weeks in a row */
	BADGE_SERIE_12,	      /* 12 active weeks in a row */
	BADGE_CENT_KILOS,     /* 100 kg CO2e avoided */
	BADGE_UNE_TONNE,      /* 1 t CO2e avoided */
	BADGE_PESEUR,	      /* 3 weighed weeks: a waste baseline */
	BADGE_EMPREINTE,      /* a footprint saved */
	BADGE_EQUIPE,	      /* in a team */
	BADGE_OBJECTIF_4,     /* weekly goal reached 4 times */
	BADGE_TOUCHE_A_TOUT,  /* check-ins in all five categories */
	BADGE_ZERO_DECHET_10, /* 10 kg of waste avoided */
	BADGE__COUNT
};

/* What the badges are judged on. */
struct game_stats {
	uint32_t checkins;
	uint64_t co2e_g, waste_g;
	uint16_t best_streak;
	uint32_t weighed_weeks;
	uint16_t goals_met;
	uint8_t categories; /* bit per category with a check-in */
	bool footprint, team;
};

/* The set of badges (bit per enum game_badge) the stats deserve. */
uint32_t game_badges(const struct game_stats *s);
/* The badge's identifier ("premier-pas"), or NULL when out of range. */
const char *game_badge_id(unsigned badge);

struct game_level {
	const char *id, *name_fr, *name_en, *icon;
	uint32_t min_points;
};
/* The level reached with these points; *next_at gets the next threshold (0 at
 * the top). */
const struct game_level *game_level(uint64_t points, uint32_t *next_at);

/* Appends the rules object of GET /api/v1/game to out. */
void game_rules_json(struct jbuf *out);

#endif
