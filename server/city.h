/* The city profile (name, population, neighbourhoods) and the challenge's
 * seasons, kept in the store and mirrored in struct node for fast checks. */
#ifndef ZC_CITY_H
#define ZC_CITY_H

#include <stdbool.h>

#include "err.h"
#include "jbuf.h"
#include "node.h"
#include "records.h"

/* Loads the city profile into n->city (an empty profile when none is set). */
enum zc_err city_load(struct node *n);
/* Validates and stores a profile, then mirrors it in n->city. */
enum zc_err city_save(struct node *n, const struct city *c);
/* Stores a season (validated: id [a-z0-9-] 1–32, dates real, start ≤ end, at
 * most 64 ISO weeks). */
enum zc_err city_season_put(struct node *n, const struct season *s);
/* The season containing `day` (YYYY-MM-DD); ZC_ERR_NOT_FOUND when none. */
enum zc_err city_season_current(struct node *n, const char *day, struct season *out);
/* The index of a neighbourhood in the city's list, or -1. */
int city_neighbourhood_index(const struct node *n, const char *name);
/* The season containing today (in the node's time zone), or NULL; cached in
 * n for the day and dropped whenever seasons change. */
const struct season *city_season_today(struct node *n);
/* Appends {"seasons":[…]} (every season, by id) to out. */
enum zc_err city_seasons_json(struct node *n, struct jbuf *out);
/* Deletes a season; ZC_ERR_NOT_FOUND when there is none with this id. */
enum zc_err city_season_delete(struct node *n, const char *id);
/* Appends the public profile {"name",…,"season":…} to out. */
void city_json(struct node *n, struct jbuf *out);
/* Appends a season object to out. */
void city_season_json(const struct season *s, struct jbuf *out);
/* Loads the demonstration data: Issy-les-Moulineaux, its neighbourhoods and the
 * 2026–2027 season. */
enum zc_err city_load_demo(struct node *n);

#endif
