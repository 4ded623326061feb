/* Challenge rules. Every number a participant can see explained lives here,
 * next to its reason, and docs/challenge.md states the same rules in words. */
#include <stddef.h>

#include "game.h"

/* Takes at most what is left under cap; returns what was taken. */
static uint32_t take(uint32_t *used, uint32_t cap, uint32_t want, bool *capped)
{
	uint32_t left = *used >= cap ? 0 : cap - *used;
	uint32_t got = want < left ? want : left;
	if (got < want)
		*capped = true;
	*used += got;
	return got;
}

void game_credit(struct game_week *w, uint32_t goal, uint32_t points, uint32_t co2e_g,
		 uint32_t waste_g, struct game_credit *out)
{
	out->capped = false;
	out->goal_now = false;
	out->co2e_g = take(&w->co2e_g, GAME_CAP_CO2E_G, co2e_g, &out->capped);
	out->waste_g = take(&w->waste_g, GAME_CAP_WASTE_G, waste_g, &out->capped);
	/* The cap applies to the actions' points; the week's goal bonus, once
	 * earned, sits on top of it. */
	uint32_t bonus = w->goal_met ? GAME_GOAL_BONUS : 0;
	uint32_t base = w->points - bonus;
	out->points = take(&base, GAME_CAP_POINTS, points, &out->capped);
	w->points = base + bonus;
	w->checkins++;
	if (goal < 1)
		goal = 1;
	if (!w->goal_met && w->checkins >= goal) {
		/* The bonus rewards regularity, so the points cap does not eat it. */
		w->goal_met = true;
		out->goal_now = true;
		out->points += GAME_GOAL_BONUS;
		w->points += GAME_GOAL_BONUS;
	}
}

void game_streak(uint64_t active, unsigned this_week, struct game_streak *out)
{
	unsigned run = 0;
	out->best = 0;
	out->current = 0;
	if (this_week >= GAME_SEASON_WEEKS)
		this_week = GAME_SEASON_WEEKS - 1;
	for (unsigned i = 0; i <= this_week; i++) {
		run = (active >> i) & 1 ? run + 1 : 0;
		if (run > out->best)
			out->best = (uint16_t)run;
	}
	/* This week still counts as "in progress": the streak is the run ending
	 * this week, or else the run ending last week. */
	unsigned end = (active >> this_week) & 1 ? this_week : this_week - (this_week > 0);
	if (!((active >> end) & 1))
		return;
	for (unsigned i = end + 1; i-- > 0 && ((active >> i) & 1);)
		out->current++;
}

static const char *const badge_ids[BADGE__COUNT] = {
    [BADGE_PREMIER_PAS] = "premier-pas",
    [BADGE_DIX_GESTES] = "dix-gestes",
    [BADGE_CINQUANTE] = "cinquante-gestes",
    [BADGE_SERIE_4] = "serie-4",
    [BADGE_SERIE_12] = "serie-12",
    [BADGE_CENT_KILOS] = "cent-kilos",
    [BADGE_UNE_TONNE] = "une-tonne",
    [BADGE_PESEUR] = "peseur",
    [BADGE_EMPREINTE] = "empreinte",
    [BADGE_EQUIPE] = "equipe",
    [BADGE_OBJECTIF_4] = "objectif-4",
    [BADGE_TOUCHE_A_TOUT] = "touche-a-tout",
    [BADGE_ZERO_DECHET_10] = "zero-dechet-10",
};

const char *game_badge_id(unsigned badge)
{
	return badge < BADGE__COUNT ? badge_ids[badge] : NULL;
}

uint32_t game_badges(const struct game_stats *s)
{
	uint32_t b = 0;
#define EARN(cond, badge)                                                                          \
	do {                                                                                       \
		if (cond)                                                                          \
			b |= 1u << (badge);                                                        \
	} while (0)
	EARN(s->checkins >= 1, BADGE_PREMIER_PAS);
	EARN(s->checkins >= 10, BADGE_DIX_GESTES);
	EARN(s->checkins >= 50, BADGE_CINQUANTE);
	EARN(s->best_streak >= 4, BADGE_SERIE_4);
	EARN(s->best_streak >= 12, BADGE_SERIE_12);
	EARN(s->co2e_g >= 100000, BADGE_CENT_KILOS);
	EARN(s->co2e_g >= 1000000, BADGE_UNE_TONNE);
	EARN(s->weighed_weeks >= 3, BADGE_PESEUR);
	EARN(s->footprint, BADGE_EMPREINTE);
	EARN(s->team, BADGE_EQUIPE);
	EARN(s->goals_met >= 4, BADGE_OBJECTIF_4);
	EARN((s->categories & 0x1f) == 0x1f, BADGE_TOUCHE_A_TOUT);
	EARN(s->waste_g >= 10000, BADGE_ZERO_DECHET_10);
#undef EARN
	return b;
}

/* Levels grow roughly ×2.5: a few weeks of steady actions reach "Arbuste", a
 * full season of them "Forêt". */
static const struct game_level levels[] = {
    {"graine", "Graine", "Seed", "🌰", 0},
    {"pousse", "Pousse", "Sprout", "🌱", 50},
    {"jeune-plant", "Jeune plant", "Seedling", "🌿", 150},
    {"arbuste", "Arbuste", "Shrub", "🪴", 400},
    {"arbre", "Arbre", "Tree", "🌳", 900},
    {"foret", "Forêt", "Forest", "🌲", 2000},
};
#define LEVELS (sizeof(levels) / sizeof(levels[0]))

const struct game_level *game_level(uint64_t points, uint32_t *next_at)
{
	size_t i = 0;
	while (i + 1 < LEVELS && points >= levels[i + 1].min_points)
		i++;
	*next_at = i + 1 < LEVELS ? levels[i + 1].min_points : 0;
	return &levels[i];
}

struct badge_text {
	const char *icon, *name_fr, *name_en, *desc_fr, *desc_en;
};

static const struct badge_text badge_texts[BADGE__COUNT] = {
    [BADGE_PREMIER_PAS] = {"👣", "Premier pas", "First step", "Votre premier geste pointé.",
			   "Your first action checked in."},
    [BADGE_DIX_GESTES] = {"✋", "Dix gestes", "Ten actions", "10 gestes pointés dans la saison.",
			  "10 actions checked in this season."},
    [BADGE_CINQUANTE] = {"🏅", "Cinquante gestes", "Fifty actions",
			 "50 gestes pointés dans la saison.", "50 actions checked in this season."},
    [BADGE_SERIE_4] = {"🔥", "Quatre semaines", "Four weeks",
		       "Au moins un geste par semaine, 4 semaines de suite.",
		       "At least one action a week, 4 weeks in a row."},
    [BADGE_SERIE_12] = {"🚀", "Douze semaines", "Twelve weeks",
			"Au moins un geste par semaine, 12 semaines de suite.",
			"At least one action a week, 12 weeks in a row."},
    [BADGE_CENT_KILOS] = {"🌍", "100 kg évités", "100 kg avoided",
			  "100 kg de CO2e évités par vos gestes.",
			  "100 kg of CO2e avoided by your actions."},
    [BADGE_UNE_TONNE] = {"🏆", "Une tonne évitée", "One tonne avoided",
			 "1 tonne de CO2e évitée par vos gestes.",
			 "1 tonne of CO2e avoided by your actions."},
    [BADGE_PESEUR] = {"⚖️", "Peseur", "Weigher",
		      "3 semaines de pesée des déchets : votre point de départ est connu.",
		      "3 weeks of waste weigh-ins: your baseline is known."},
    [BADGE_EMPREINTE] = {"📏", "Empreinte calculée", "Footprint known",
			 "Vous avez calculé et enregistré votre empreinte carbone.",
			 "You computed and saved your carbon footprint."},
    [BADGE_EQUIPE] = {"🤝", "Esprit d'équipe", "Team spirit", "Vous avez rejoint une équipe.",
		      "You joined a team."},
    [BADGE_OBJECTIF_4] = {"🎯", "Objectifs tenus", "Goals kept",
			  "Objectif de la semaine atteint 4 fois.", "Weekly goal reached 4 times."},
    [BADGE_TOUCHE_A_TOUT] = {"🧩", "Touche-à-tout", "All-rounder",
			     "Des gestes dans les 5 catégories.", "Actions in all 5 categories."},
    [BADGE_ZERO_DECHET_10] = {"♻️", "10 kg de déchets évités", "10 kg of waste avoided",
			      "10 kg de déchets évités par vos gestes.",
			      "10 kg of waste avoided by your actions."},
};

static void fr_en(struct jbuf *out, const char *key, const char *fr, const char *en)
{
	jbuf_json_key(out, key);
	jbuf_puts(out, "{\"fr\":");
	jbuf_json_str(out, fr);
	jbuf_puts(out, ",\"en\":");
	jbuf_json_str(out, en);
	jbuf_putc(out, '}');
}

void game_rules_json(struct jbuf *out)
{
	jbuf_puts(out, "{\"levels\":[");
	for (size_t i = 0; i < LEVELS; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"id\":");
		jbuf_json_str(out, levels[i].id);
		fr_en(out, "name", levels[i].name_fr, levels[i].name_en);
		jbuf_json_key(out, "icon");
		jbuf_json_str(out, levels[i].icon);
		jbuf_json_key(out, "min_points");
		jbuf_json_int(out, levels[i].min_points);
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "],\"badges\":[");
	for (unsigned b = 0; b < BADGE__COUNT; b++) {
		const struct badge_text *t = &badge_texts[b];
		if (b)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"id\":");
		jbuf_json_str(out, badge_ids[b]);
		fr_en(out, "name", t->name_fr, t->name_en);
		fr_en(out, "description", t->desc_fr, t->desc_en);
		jbuf_json_key(out, "icon");
		jbuf_json_str(out, t->icon);
		jbuf_putc(out, '}');
	}
	jbuf_puts(out, "],\"caps\":{\"co2e_g\":");
	jbuf_json_int(out, GAME_CAP_CO2E_G);
	jbuf_puts(out, ",\"waste_g\":");
	jbuf_json_int(out, GAME_CAP_WASTE_G);
	jbuf_puts(out, ",\"points\":");
	jbuf_json_int(out, GAME_CAP_POINTS);
	jbuf_puts(out, "},\"goal_bonus_points\":");
	jbuf_json_int(out, GAME_GOAL_BONUS);
	fr_en(out, "streak_rule",
	      "Une semaine compte dès qu'elle a au moins un geste pointé. La série est le nombre "
	      "de semaines actives d'affilée jusqu'à cette semaine ; tant que la semaine en cours "
	      "n'a pas encore de geste, la série s'arrête à la semaine dernière sans être perdue.",
	      "A week counts once it has at least one action checked in. The streak is the "
	      "number of active weeks in a row up to this week; while the current week has no "
	      "action yet, the streak ends last week without being lost.");
	jbuf_putc(out, '}');
}
