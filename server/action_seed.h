/* The actions catalogue every node starts with: French and English texts, the
 * savings of one occurrence and where each factor comes from. Seeded into the
 * store by the schema migration; administrators edit it afterwards. Data only. */
#ifndef ZC_ACTION_SEED_H
#define ZC_ACTION_SEED_H

#include <stdint.h>

enum action_category {
	ACTION_TRANSPORT,
	ACTION_ALIMENTATION,
	ACTION_LOGEMENT,
	ACTION_CONSOMMATION,
	ACTION_DECHETS,
	ACTION_CATEGORY__COUNT
};

enum action_frequency { ACTION_DAILY, ACTION_WEEKLY, ACTION_ONCE };

struct action_seed {
	const char *id; /* 3–40 of [a-z0-9-], stable: check-ins refer to it */
	enum action_category category;
	enum action_frequency frequency;
	const char *title_fr, *title_en; /* ≤ 80 characters */
	const char *why_fr, *why_en;	 /* why it matters, ≤ 1000 characters */
	const char *how_fr, *how_en;	 /* how to do it, ≤ 1000 characters */
	uint32_t co2e_g;		 /* CO2e avoided by one occurrence, grams */
	uint32_t waste_g;		 /* waste avoided by one occurrence, grams */
	uint16_t points;		 /* 1–100 */
	const char *source;		 /* where the factors come from, ≤ 300 characters */
};

/* The catalogue, terminated by an entry whose id is NULL. */
extern const struct action_seed action_seed[];

#endif
