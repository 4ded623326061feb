/* The actions catalogue: stored in LMDB, mirrored in memory for the checks a
 * check-in needs on the loop (known, in use, factors, frequency), with the
 * public JSON rendered once per change rather than per request. */
#ifndef ZC_ACTIONS_H
#define ZC_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "action_seed.h"
#include "err.h"
#include "jbuf.h"
#include "records_challenge.h"

struct node;
struct store_txn;

#define ACTIONS_MAX 200

struct action {
	char id[REC_ACTION_ID_BYTES];
	uint16_t num;
	uint8_t category, frequency;
	uint32_t co2e_g, waste_g;
	uint16_t points;
	bool retired;
};

/* A create or an edit; NULL strings and negative numbers are left unchanged
 * (an edit) — a create needs them all. */
struct action_input {
	const char *id;
	int category, frequency;	 /* -1 = unchanged */
	const char *text[7];		 /* title_fr … source, see records_challenge.h */
	int64_t co2e_g, waste_g, points; /* -1 = unchanged */
	int retired;			 /* -1 = unchanged */
};

struct actions;

/* Reads the catalogue from the store into n->actions (replacing it). */
enum zc_err actions_load(struct node *n);
void actions_free(struct actions *a);
/* The action with this id, or NULL (retired ones included). */
const struct action *actions_find(const struct actions *a, const char *id);
/* The action with this number, or NULL. */
const struct action *actions_by_num(const struct actions *a, uint16_t num);
/* The cached {"actions":[…]} document: in use only, or all (staff). */
const struct jbuf *actions_json(const struct actions *a, bool all);

/* Creates or edits an action, then reloads the mirror. ZC_ERR_INVALID (see
 * *why), ZC_ERR_EXISTS (create of a known id), ZC_ERR_NOT_FOUND (edit of an
 * unknown one), ZC_ERR_LIMIT (ACTIONS_MAX reached). *changed says whether
 * anything was written: an edit to the values the action has is a no-op. */
enum zc_err actions_save(struct node *n, const struct action_input *in, bool create,
			 const char **why, bool *changed);

/* Adds the built-in catalogue's actions the store lacks (a migration step). */
enum zc_err actions_seed(struct store_txn *txn);

/* Names used on the wire. */
const char *actions_category_name(unsigned c);
bool actions_category_parse(const char *s, int *out);
const char *actions_frequency_name(unsigned f);
bool actions_frequency_parse(const char *s, int *out);

#endif
