/* Leaderboards in memory. Participants live in an open-addressed hash table
 * keyed by their random id (already uniform, so its first bytes are the hash);
 * teams in an array addressed by index with a hash from their id. Group scores
 * are means in thousandths so that ranks separate teams a rounded mean would
 * tie. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcast.h"
#include "board.h"
#include "channels.h"
#include "city.h"
#include "lbindex.h"
#include "log.h"
#include "node.h"
#include "store.h"
#include "timeutil.h"

#define MAX_HOODS REC_MAX_NEIGHBOURHOODS
#define NO_TEAM	  0 /* team slots hold index + 1 */

struct bmember {
	unsigned char id[SECRETS_ID_BYTES];
	uint64_t points, co2e_g, waste_g;
	uint32_t team[TEAM_KIND__COUNT];
	int16_t hood;  /* -1 none */
	uint8_t state; /* 0 free, 1 used, 2 deleted */
	bool hidden;
};

struct bteam {
	unsigned char id[REC_TEAM_ID_BYTES];
	char name[REC_TEAM_NAME_BYTES];
	uint8_t kind;
	bool used;
	uint32_t members;
	uint64_t points, co2e_g; /* sums over members */
};

struct bgroup {
	uint32_t members;
	uint64_t points, co2e_g;
};

struct board {
	char season[REC_SEASON_ID_BYTES];
	struct bmember *m;
	size_t mcap, mused, mdead; /* mcap a power of two */
	struct bteam *t;
	size_t tcap, tn;
	uint32_t *thash; /* index + 1, 0 = empty; tmask + 1 slots */
	size_t tmask, tlive, ttomb;
	uint32_t tfree; /* a freed team slot + 1, chained through .members */
	struct bgroup hood[MAX_HOODS];
	struct lbindex *ix[BOARD_KIND__COUNT][SCOPE__COUNT];
	uint64_t version[BOARD_KIND__COUNT][SCOPE__COUNT];
	int64_t updated_at[BOARD_KIND__COUNT][SCOPE__COUNT];
	bool dirty[BOARD_KIND__COUNT][SCOPE__COUNT];
};

static const char *const kind_names[] = {"points", "co2e"};
static const char *const scope_names[] = {"individual", "team", "neighbourhood"};
static const char *const team_kind_names[] = {"household", "association", "neighbourhood"};

const char *board_kind_name(enum board_kind k)
{
	return kind_names[k];
}

const char *board_scope_name(enum board_scope s)
{
	return scope_names[s];
}

const char *board_team_kind_name(enum team_kind k)
{
	return team_kind_names[k];
}

static bool parse(const char *s, const char *const *names, int n, int *out)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

bool board_kind_parse(const char *s, enum board_kind *out)
{
	int i;
	if (!parse(s, kind_names, BOARD_KIND__COUNT, &i))
		return false;
	*out = (enum board_kind)i;
	return true;
}

bool board_scope_parse(const char *s, enum board_scope *out)
{
	int i;
	if (!parse(s, scope_names, SCOPE__COUNT, &i))
		return false;
	*out = (enum board_scope)i;
	return true;
}

bool board_team_kind_parse(const char *s, enum team_kind *out)
{
	int i;
	if (!parse(s, team_kind_names, TEAM_KIND__COUNT, &i))
		return false;
	*out = (enum team_kind)i;
	return true;
}

const char *board_season(const struct board *b)
{
	return b ? b->season : "";
}

/* ---- participants' hash table ---- */

static size_t hash_of(const unsigned char *id, size_t n)
{
	uint64_t h;
	memcpy(&h, id, sizeof(h));
	return (size_t)(h * 0x9e3779b97f4a7c15ull >> 16) % n;
}

static struct bmember *member_find(const struct board *b, const unsigned char *id)
{
	if (!b || !b->mcap)
		return NULL;
	for (size_t i = hash_of(id, b->mcap), probes = 0; probes < b->mcap;
	     i = (i + 1) & (b->mcap - 1), probes++) {
		struct bmember *m = &b->m[i];
		if (m->state == 0)
			return NULL;
		if (m->state == 1 && memcmp(m->id, id, SECRETS_ID_BYTES) == 0)
			return m;
	}
	return NULL;
}

static void member_grow(struct board *b);

static struct bmember *member_insert(struct board *b, const unsigned char *id)
{
	if ((b->mused + b->mdead + 1) * 10 > b->mcap * 7)
		member_grow(b);
	for (size_t i = hash_of(id, b->mcap);; i = (i + 1) & (b->mcap - 1)) {
		struct bmember *m = &b->m[i];
		if (m->state != 1) {
			if (m->state == 2)
				b->mdead--;
			memset(m, 0, sizeof(*m));
			memcpy(m->id, id, SECRETS_ID_BYTES);
			m->state = 1;
			m->hood = -1;
			b->mused++;
			return m;
		}
	}
}

static void member_grow(struct board *b)
{
	struct bmember *old = b->m;
	size_t oldcap = b->mcap;
	size_t cap = oldcap ? oldcap : 1024;
	while ((b->mused + 1) * 10 > cap * 5)
		cap *= 2;
	b->m = calloc(cap, sizeof(*b->m));
	if (!b->m)
		abort();
	b->mcap = cap;
	b->mused = b->mdead = 0;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].state != 1)
			continue;
		struct bmember *m = member_insert(b, old[i].id);
		*m = old[i];
	}
	free(old);
}

/* ---- teams ---- */

static size_t team_hash(const unsigned char *id, size_t mask)
{
	uint64_t h;
	memcpy(&h, id, sizeof(h));
	return (size_t)(h * 0x9e3779b97f4a7c15ull >> 20) & mask;
}

static uint32_t team_find(const struct board *b, const unsigned char *id)
{
	if (!b || !b->thash)
		return NO_TEAM;
	for (size_t i = team_hash(id, b->tmask);; i = (i + 1) & b->tmask) {
		uint32_t slot = b->thash[i];
		if (slot == 0)
			return NO_TEAM;
		if (slot != UINT32_MAX && memcmp(b->t[slot - 1].id, id, REC_TEAM_ID_BYTES) == 0)
			return slot;
	}
}

static void team_rehash(struct board *b, size_t slots)
{
	free(b->thash);
	b->thash = calloc(slots, sizeof(*b->thash));
	if (!b->thash)
		abort();
	b->tmask = slots - 1;
	b->ttomb = 0;
	for (size_t i = 0; i < b->tn; i++) {
		if (!b->t[i].used)
			continue;
		size_t h = team_hash(b->t[i].id, b->tmask);
		while (b->thash[h])
			h = (h + 1) & b->tmask;
		b->thash[h] = (uint32_t)(i + 1);
	}
}

/* ---- index maintenance ---- */

static void mark(struct board *b, enum board_kind k, enum board_scope s)
{
	b->version[k][s]++;
	b->updated_at[k][s] = time_now_s();
	b->dirty[k][s] = true;
}

static void key16(const unsigned char *src, size_t n, unsigned char key[LBINDEX_KEY])
{
	memset(key, 0, LBINDEX_KEY);
	memcpy(key, src, n);
}

static int64_t mean_milli(uint64_t sum, uint32_t members)
{
	return members ? (int64_t)(sum * 1000 / members) : 0;
}

/* Removes (sign -1) or inserts (sign +1) a group's entries in both boards. */
static void group_index(struct board *b, enum board_scope s, const unsigned char *key,
			uint32_t members, uint64_t points, uint64_t co2e_g, int sign)
{
	if (!members)
		return;
	int64_t score[2] = {mean_milli(points, members), mean_milli(co2e_g, members)};
	for (int k = 0; k < BOARD_KIND__COUNT; k++) {
		if (sign > 0)
			lbindex_insert(b->ix[k][s], score[k], key);
		else
			lbindex_remove(b->ix[k][s], score[k], key);
		mark(b, (enum board_kind)k, s);
	}
}

static void team_change(struct board *b, uint32_t slot, int64_t dmembers, int64_t dpoints,
			int64_t dco2e)
{
	struct bteam *t = &b->t[slot - 1];
	unsigned char key[LBINDEX_KEY];
	key16(t->id, REC_TEAM_ID_BYTES, key);
	group_index(b, SCOPE_TEAM, key, t->members, t->points, t->co2e_g, -1);
	t->members = (uint32_t)((int64_t)t->members + dmembers);
	t->points = (uint64_t)((int64_t)t->points + dpoints);
	t->co2e_g = (uint64_t)((int64_t)t->co2e_g + dco2e);
	group_index(b, SCOPE_TEAM, key, t->members, t->points, t->co2e_g, +1);
}

static void hood_change(struct board *b, int hood, int64_t dmembers, int64_t dpoints, int64_t dco2e)
{
	if (hood < 0 || hood >= MAX_HOODS)
		return;
	struct bgroup *g = &b->hood[hood];
	unsigned char key[LBINDEX_KEY], idx = (unsigned char)hood;
	key16(&idx, 1, key);
	group_index(b, SCOPE_NEIGHBOURHOOD, key, g->members, g->points, g->co2e_g, -1);
	g->members = (uint32_t)((int64_t)g->members + dmembers);
	g->points = (uint64_t)((int64_t)g->points + dpoints);
	g->co2e_g = (uint64_t)((int64_t)g->co2e_g + dco2e);
	group_index(b, SCOPE_NEIGHBOURHOOD, key, g->members, g->points, g->co2e_g, +1);
}

static void individual_index(struct board *b, const struct bmember *m, int sign)
{
	if (m->hidden)
		return;
	int64_t score[2] = {(int64_t)m->points, (int64_t)m->co2e_g};
	for (int k = 0; k < BOARD_KIND__COUNT; k++) {
		if (sign > 0)
			lbindex_insert(b->ix[k][SCOPE_INDIVIDUAL], score[k], m->id);
		else
			lbindex_remove(b->ix[k][SCOPE_INDIVIDUAL], score[k], m->id);
		mark(b, (enum board_kind)k, SCOPE_INDIVIDUAL);
	}
}

/* ---- changes ---- */

void board_participant_add(struct board *b, const unsigned char *id, bool hidden, int hood)
{
	if (!b)
		return;
	if (member_find(b, id))
		return;
	struct bmember *m = member_insert(b, id);
	m->hidden = hidden;
	m->hood = (int16_t)(hood >= 0 && hood < MAX_HOODS ? hood : -1);
	individual_index(b, m, +1);
	hood_change(b, m->hood, +1, 0, 0);
}

void board_participant_remove(struct board *b, const unsigned char *id)
{
	if (!b)
		return;
	struct bmember *m = member_find(b, id);
	if (!m)
		return;
	individual_index(b, m, -1);
	hood_change(b, m->hood, -1, -(int64_t)m->points, -(int64_t)m->co2e_g);
	for (int k = 0; k < TEAM_KIND__COUNT; k++)
		if (m->team[k] != NO_TEAM)
			team_change(b, m->team[k], -1, -(int64_t)m->points, -(int64_t)m->co2e_g);
	m->state = 2;
	b->mused--;
	b->mdead++;
}

void board_participant_renamed(struct board *b, const unsigned char *id)
{
	const struct bmember *m = member_find(b, id);
	if (!m || m->hidden)
		return;
	/* Only the names changed: republish the boards that show them. */
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		mark(b, (enum board_kind)k, SCOPE_INDIVIDUAL);
}

void board_participant_profile(struct board *b, const unsigned char *id, bool hidden, int hood)
{
	if (!b)
		return;
	struct bmember *m = member_find(b, id);
	if (!m)
		return;
	hood = hood >= 0 && hood < MAX_HOODS ? hood : -1;
	if (hidden != m->hidden) {
		individual_index(b, m, -1);
		m->hidden = hidden;
		individual_index(b, m, +1);
	}
	if (hood != m->hood) {
		hood_change(b, m->hood, -1, -(int64_t)m->points, -(int64_t)m->co2e_g);
		m->hood = (int16_t)hood;
		hood_change(b, m->hood, +1, (int64_t)m->points, (int64_t)m->co2e_g);
	}
}

void board_scores_add(struct board *b, const unsigned char *id, uint64_t points, uint64_t co2e_g,
		      uint64_t waste_g)
{
	if (!b)
		return;
	struct bmember *m = member_find(b, id);
	if (!m)
		return;
	individual_index(b, m, -1);
	m->points += points;
	m->co2e_g += co2e_g;
	m->waste_g += waste_g;
	individual_index(b, m, +1);
	hood_change(b, m->hood, 0, (int64_t)points, (int64_t)co2e_g);
	for (int k = 0; k < TEAM_KIND__COUNT; k++)
		if (m->team[k] != NO_TEAM)
			team_change(b, m->team[k], 0, (int64_t)points, (int64_t)co2e_g);
}

void board_team_add(struct board *b, const unsigned char *team, enum team_kind kind,
		    const char *name)
{
	if (!b)
		return;
	if (team_find(b, team) != NO_TEAM)
		return;
	uint32_t slot;
	if (b->tfree) {
		slot = b->tfree;
		b->tfree = b->t[slot - 1].members;
	} else {
		if (b->tn == b->tcap) {
			size_t cap = b->tcap ? b->tcap * 2 : 256;
			struct bteam *t = realloc(b->t, cap * sizeof(*t));
			if (!t)
				abort();
			b->t = t;
			b->tcap = cap;
		}
		slot = (uint32_t)++b->tn;
	}
	struct bteam *t = &b->t[slot - 1];
	memset(t, 0, sizeof(*t));
	memcpy(t->id, team, REC_TEAM_ID_BYTES);
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->kind = (uint8_t)kind;
	t->used = true;
	b->tlive++;
	/* Keep at least half the slots empty, tombstones counted, so a probe for
	 * an absent team always ends. */
	if (!b->thash || (b->tlive + b->ttomb + 1) * 2 > b->tmask + 1) {
		size_t slots = 1024;
		while (slots < (b->tlive + 1) * 4)
			slots *= 2;
		team_rehash(b, slots);
	} else {
		size_t h = team_hash(team, b->tmask);
		while (b->thash[h] && b->thash[h] != UINT32_MAX)
			h = (h + 1) & b->tmask;
		if (b->thash[h] == UINT32_MAX)
			b->ttomb--;
		b->thash[h] = slot;
	}
}

void board_team_remove(struct board *b, const unsigned char *team)
{
	if (!b)
		return;
	uint32_t slot = team_find(b, team);
	if (slot == NO_TEAM)
		return;
	struct bteam *t = &b->t[slot - 1];
	unsigned char key[LBINDEX_KEY];
	key16(t->id, REC_TEAM_ID_BYTES, key);
	group_index(b, SCOPE_TEAM, key, t->members, t->points, t->co2e_g, -1);
	/* Members still pointing here (none when the teams module empties a team
	 * first) are detached. */
	for (size_t i = 0; i < b->mcap; i++)
		if (b->m[i].state == 1 && b->m[i].team[t->kind] == slot)
			b->m[i].team[t->kind] = NO_TEAM;
	for (size_t h = team_hash(team, b->tmask);; h = (h + 1) & b->tmask) {
		if (b->thash[h] == slot) {
			b->thash[h] = UINT32_MAX; /* tombstone */
			b->ttomb++;
			break;
		}
	}
	t->used = false;
	t->members = b->tfree;
	b->tfree = slot;
	b->tlive--;
}

void board_team_renamed(struct board *b, const unsigned char *team, const char *name)
{
	uint32_t slot = team_find(b, team);
	if (slot == NO_TEAM)
		return;
	snprintf(b->t[slot - 1].name, sizeof(b->t[slot - 1].name), "%s", name);
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		mark(b, (enum board_kind)k, SCOPE_TEAM);
}

void board_member_join(struct board *b, const unsigned char *team, const unsigned char *id)
{
	if (!b)
		return;
	uint32_t slot = team_find(b, team);
	struct bmember *m = member_find(b, id);
	if (slot == NO_TEAM || !m)
		return;
	uint8_t kind = b->t[slot - 1].kind;
	if (m->team[kind] == slot)
		return;
	if (m->team[kind] != NO_TEAM)
		team_change(b, m->team[kind], -1, -(int64_t)m->points, -(int64_t)m->co2e_g);
	m->team[kind] = slot;
	team_change(b, slot, +1, (int64_t)m->points, (int64_t)m->co2e_g);
}

void board_member_leave(struct board *b, const unsigned char *team, const unsigned char *id)
{
	if (!b)
		return;
	uint32_t slot = team_find(b, team);
	struct bmember *m = member_find(b, id);
	if (slot == NO_TEAM || !m)
		return;
	uint8_t kind = b->t[slot - 1].kind;
	if (m->team[kind] != slot)
		return;
	m->team[kind] = NO_TEAM;
	team_change(b, slot, -1, -(int64_t)m->points, -(int64_t)m->co2e_g);
}

bool board_team_stats(const struct board *b, const unsigned char *team, uint32_t *members,
		      uint64_t *points_avg, uint64_t *co2e_avg_g)
{
	uint32_t slot = team_find(b, team);
	if (slot == NO_TEAM)
		return false;
	const struct bteam *t = &b->t[slot - 1];
	*members = t->members;
	*points_avg = t->members ? t->points / t->members : 0;
	*co2e_avg_g = t->members ? t->co2e_g / t->members : 0;
	return true;
}

bool board_member_totals(const struct board *b, const unsigned char *id, uint64_t *points,
			 uint64_t *co2e_g, uint64_t *waste_g)
{
	const struct bmember *m = member_find(b, id);
	if (!m)
		return false;
	*points = m->points;
	*co2e_g = m->co2e_g;
	*waste_g = m->waste_g;
	return true;
}

/* ---- loading ---- */

void board_free(struct board *b)
{
	if (!b)
		return;
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		for (int s = 0; s < SCOPE__COUNT; s++)
			lbindex_free(b->ix[k][s]);
	free(b->m);
	free(b->t);
	free(b->thash);
	free(b);
}

/* Reads participants, their season totals, teams and memberships; the
 * indexes are filled once at the end rather than entry by entry. */
static enum zc_err load_rows(struct node *n, struct board *b, struct store_txn *txn)
{
	struct store_iter *it;
	const void *k, *v;
	size_t kl, vl;
	enum zc_err err;

	err = store_iter_new(txn, STORE_PARTICIPANTS, NULL, 0, false, &it);
	if (err)
		return err;
	struct participant p;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		if (!rec_participant_decode(v, vl, &p))
			continue;
		struct bmember *m = member_insert(b, p.id);
		m->hidden = p.hidden;
		m->hood = (int16_t)city_neighbourhood_index(n, p.neighbourhood);
	}
	store_iter_free(it);

	if (b->season[0]) {
		err = store_iter_new(txn, STORE_PROGRESS, NULL, 0, false, &it);
		if (err)
			return err;
		struct rec_progress pr;
		while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
			struct bmember *m;
			if (kl != SECRETS_ID_BYTES || !rec_progress_decode(v, vl, &pr) ||
			    strcmp(pr.season, b->season) != 0 || !(m = member_find(b, k)))
				continue;
			m->points = pr.points;
			m->co2e_g = pr.co2e_g;
			m->waste_g = pr.waste_g;
		}
		store_iter_free(it);
	}

	err = store_iter_new(txn, STORE_TEAMS, NULL, 0, false, &it);
	if (err)
		return err;
	struct rec_team t;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK)
		if (rec_team_decode(v, vl, &t))
			board_team_add(b, t.id, (enum team_kind)t.kind, t.name);
	store_iter_free(it);

	err = store_iter_new(txn, STORE_MEMBER_TEAMS, NULL, 0, false, &it);
	if (err)
		return err;
	while (store_iter_next(it, &k, &kl, &v, &vl) == ZC_OK) {
		struct bmember *m;
		uint32_t slot;
		if (kl != SECRETS_ID_BYTES + 1 || vl != REC_TEAM_ID_BYTES ||
		    !(m = member_find(b, k)) || (slot = team_find(b, v)) == NO_TEAM)
			continue;
		struct bteam *tm = &b->t[slot - 1];
		m->team[tm->kind] = slot;
		tm->members++;
		tm->points += m->points;
		tm->co2e_g += m->co2e_g;
	}
	store_iter_free(it);
	return ZC_OK;
}

static void build_indexes(struct board *b)
{
	unsigned char key[LBINDEX_KEY];
	for (size_t i = 0; i < b->mcap; i++) {
		struct bmember *m = &b->m[i];
		if (m->state != 1)
			continue;
		if (!m->hidden) {
			lbindex_insert(b->ix[BOARD_POINTS][SCOPE_INDIVIDUAL], (int64_t)m->points,
				       m->id);
			lbindex_insert(b->ix[BOARD_CO2E][SCOPE_INDIVIDUAL], (int64_t)m->co2e_g,
				       m->id);
		}
		if (m->hood >= 0) {
			struct bgroup *g = &b->hood[m->hood];
			g->members++;
			g->points += m->points;
			g->co2e_g += m->co2e_g;
		}
	}
	for (size_t i = 0; i < b->tn; i++) {
		struct bteam *t = &b->t[i];
		if (!t->used)
			continue;
		key16(t->id, REC_TEAM_ID_BYTES, key);
		group_index(b, SCOPE_TEAM, key, t->members, t->points, t->co2e_g, +1);
	}
	for (int h = 0; h < MAX_HOODS; h++) {
		unsigned char idx = (unsigned char)h;
		key16(&idx, 1, key);
		group_index(b, SCOPE_NEIGHBOURHOOD, key, b->hood[h].members, b->hood[h].points,
			    b->hood[h].co2e_g, +1);
	}
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		for (int s = 0; s < SCOPE__COUNT; s++)
			mark(b, (enum board_kind)k, (enum board_scope)s);
}

enum zc_err board_load(struct node *n, const char *season_id)
{
	struct board *b = calloc(1, sizeof(*b));
	struct store_txn *txn;
	if (!b)
		abort();
	snprintf(b->season, sizeof(b->season), "%s", season_id ? season_id : "");
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		for (int s = 0; s < SCOPE__COUNT; s++)
			b->ix[k][s] = lbindex_new();
	enum zc_err err = store_begin(n->store, false, &txn);
	if (!err) {
		err = load_rows(n, b, txn);
		store_abort(txn);
	}
	if (err) {
		board_free(b);
		return err;
	}
	build_indexes(b);
	/* Versions continue across a reload so clients never see them go back. */
	if (n->board)
		for (int k = 0; k < BOARD_KIND__COUNT; k++)
			for (int s = 0; s < SCOPE__COUNT; s++)
				b->version[k][s] += n->board->version[k][s];
	board_free(n->board);
	n->board = b;
	log_event(LOG_INFO, "boards_loaded", "season=%s participants=%zu teams=%zu",
		  b->season[0] ? b->season : "none", b->mused, b->tlive);
	return ZC_OK;
}

/* ---- rendering ---- */

static void entry_name(struct node *n, struct store_txn *txn, enum board_scope s,
		       const unsigned char *key, struct jbuf *out)
{
	if (s == SCOPE_INDIVIDUAL) {
		const void *v;
		size_t vl;
		struct participant p;
		if (txn &&
		    store_get(txn, STORE_PARTICIPANTS, key, SECRETS_ID_BYTES, &v, &vl) == ZC_OK &&
		    rec_participant_decode(v, vl, &p))
			jbuf_json_str(out, p.nickname);
		else
			jbuf_json_str(out, NULL);
	} else if (s == SCOPE_TEAM) {
		uint32_t slot = team_find(n->board, key);
		jbuf_json_str(out, slot != NO_TEAM ? n->board->t[slot - 1].name : NULL);
	} else {
		unsigned h = key[0];
		jbuf_json_str(out, h < n->city.n_neighbourhoods ? n->city.neighbourhoods[h] : NULL);
	}
}

static uint32_t entry_members(const struct board *b, enum board_scope s, const unsigned char *key)
{
	if (s == SCOPE_TEAM) {
		uint32_t slot = team_find(b, key);
		return slot != NO_TEAM ? b->t[slot - 1].members : 0;
	}
	return key[0] < MAX_HOODS ? b->hood[key[0]].members : 0;
}

static int64_t shown_score(enum board_scope s, int64_t score)
{
	/* Groups are ranked on means in thousandths and shown rounded down. */
	return s == SCOPE_INDIVIDUAL ? score : score / 1000;
}

static void render(struct node *n, enum board_kind k, enum board_scope s, size_t limit,
		   struct jbuf *out)
{
	struct board *b = n->board;
	struct lbindex_entry e[100];
	char at[TIME_RFC3339_LEN];
	struct store_txn *txn = NULL;
	if (limit > 100)
		limit = 100;
	size_t got = lbindex_range(b->ix[k][s], 0, limit, e);
	time_rfc3339(b->updated_at[k][s], at);
	jbuf_puts(out, "{\"board\":");
	jbuf_json_str(out, kind_names[k]);
	jbuf_json_key(out, "scope");
	jbuf_json_str(out, scope_names[s]);
	jbuf_json_key(out, "season");
	jbuf_json_str(out, b->season[0] ? b->season : NULL);
	jbuf_json_key(out, "version");
	jbuf_json_int(out, (int64_t)b->version[k][s]);
	jbuf_json_key(out, "updated_at");
	jbuf_json_str(out, at);
	jbuf_json_key(out, "count");
	jbuf_json_int(out, (int64_t)lbindex_count(b->ix[k][s]));
	jbuf_puts(out, ",\"entries\":[");
	if (s == SCOPE_INDIVIDUAL && got && store_begin(n->store, false, &txn) != ZC_OK)
		txn = NULL;
	for (size_t i = 0; i < got; i++) {
		if (i)
			jbuf_putc(out, ',');
		jbuf_puts(out, "{\"rank\":");
		jbuf_json_int(out, (int64_t)e[i].rank);
		jbuf_json_key(out, "name");
		entry_name(n, txn, s, e[i].key, out);
		jbuf_json_key(out, "score");
		jbuf_json_int(out, shown_score(s, e[i].score));
		if (s != SCOPE_INDIVIDUAL) {
			jbuf_json_key(out, "members");
			jbuf_json_int(out, entry_members(b, s, e[i].key));
		}
		if (s == SCOPE_TEAM) {
			/* Names are unique per kind only: id and kind tell teams apart. */
			char id[REC_TEAM_ID_BYTES * 2 + 1];
			uint32_t slot = team_find(b, e[i].key);
			for (int x = 0; x < REC_TEAM_ID_BYTES; x++)
				snprintf(id + 2 * x, 3, "%02x", e[i].key[x]);
			jbuf_json_key(out, "id");
			jbuf_json_str(out, id);
			jbuf_json_key(out, "kind");
			jbuf_json_str(out, slot != NO_TEAM ? team_kind_names[b->t[slot - 1].kind]
							   : NULL);
		}
		jbuf_putc(out, '}');
	}
	jbuf_putc(out, ']');
	store_abort(txn);
}

static void me_json(struct node *n, enum board_kind k, enum board_scope s, const unsigned char *me,
		    struct jbuf *out)
{
	struct board *b = n->board;
	const struct bmember *m = member_find(b, me);
	jbuf_json_key(out, "me");
	if (!m) {
		jbuf_puts(out, "null");
		return;
	}
	if (s == SCOPE_INDIVIDUAL) {
		int64_t score = (int64_t)(k == BOARD_POINTS ? m->points : m->co2e_g);
		jbuf_puts(out, "{\"rank\":");
		jbuf_json_int(out, (int64_t)lbindex_rank(b->ix[k][s], score));
		jbuf_json_key(out, "score");
		jbuf_json_int(out, score);
		jbuf_json_key(out, "hidden");
		jbuf_json_bool(out, m->hidden);
		jbuf_putc(out, '}');
	} else if (s == SCOPE_TEAM) {
		bool first = true;
		jbuf_putc(out, '[');
		for (int t = 0; t < TEAM_KIND__COUNT; t++) {
			if (m->team[t] == NO_TEAM)
				continue;
			const struct bteam *tm = &b->t[m->team[t] - 1];
			int64_t score =
			    mean_milli(k == BOARD_POINTS ? tm->points : tm->co2e_g, tm->members);
			char id[REC_TEAM_ID_BYTES * 2 + 1];
			for (int i = 0; i < REC_TEAM_ID_BYTES; i++)
				snprintf(id + 2 * i, 3, "%02x", tm->id[i]);
			if (!first)
				jbuf_putc(out, ',');
			first = false;
			jbuf_puts(out, "{\"team\":");
			jbuf_json_str(out, id);
			jbuf_json_key(out, "name");
			jbuf_json_str(out, tm->name);
			jbuf_json_key(out, "kind");
			jbuf_json_str(out, team_kind_names[tm->kind]);
			jbuf_json_key(out, "rank");
			jbuf_json_int(out, (int64_t)lbindex_rank(b->ix[k][s], score));
			jbuf_json_key(out, "score");
			jbuf_json_int(out, score / 1000);
			jbuf_putc(out, '}');
		}
		jbuf_putc(out, ']');
	} else if (m->hood >= 0) {
		const struct bgroup *g = &b->hood[m->hood];
		int64_t score = mean_milli(k == BOARD_POINTS ? g->points : g->co2e_g, g->members);
		jbuf_puts(out, "{\"neighbourhood\":");
		jbuf_json_str(out, n->city.neighbourhoods[m->hood]);
		jbuf_json_key(out, "rank");
		jbuf_json_int(out, (int64_t)lbindex_rank(b->ix[k][s], score));
		jbuf_json_key(out, "score");
		jbuf_json_int(out, score / 1000);
		jbuf_putc(out, '}');
	} else {
		jbuf_puts(out, "null");
	}
}

void board_json(struct node *n, enum board_kind kind, enum board_scope scope, size_t limit,
		const unsigned char *me, struct jbuf *out)
{
	render(n, kind, scope, limit, out);
	if (me)
		me_json(n, kind, scope, me, out);
	jbuf_putc(out, '}');
}

bool board_dirty(const struct node *n)
{
	const struct board *b = n->board;
	if (!b)
		return false;
	for (int k = 0; k < BOARD_KIND__COUNT; k++)
		for (int s = 0; s < SCOPE__COUNT; s++)
			if (b->dirty[k][s])
				return true;
	return false;
}

void board_tick(struct node *n)
{
	struct board *b = n->board;
	struct jbuf data;
	char name[BCAST_NAME_MAX + 1];
	if (!b)
		return;
	jbuf_init(&data, 0);
	for (int k = 0; k < BOARD_KIND__COUNT; k++) {
		for (int s = 0; s < SCOPE__COUNT; s++) {
			if (!b->dirty[k][s])
				continue;
			b->dirty[k][s] = false;
			snprintf(name, sizeof(name), "leaderboard:%s:%s", kind_names[k],
				 scope_names[s]);
			struct bcast_channel *ch = channels_find(n->channels, name);
			if (!ch)
				continue;
			jbuf_reset(&data);
			render(n, (enum board_kind)k, (enum board_scope)s, BOARD_SNAPSHOT_TOP,
			       &data);
			jbuf_putc(&data, '}');
			bcast_publish(ch, jbuf_data(&data), data.len);
		}
	}
	jbuf_fini(&data);
}
