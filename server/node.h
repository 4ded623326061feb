/* The state one running node shares between its modules: configuration, store,
 * secrets, the city profile, rate limiters and WebSocket channels. */
#ifndef ZC_NODE_H
#define ZC_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "jbuf.h"
#include "records.h"

struct store;
struct secrets;
struct ratelimit;
struct channels;
struct actions;
struct wq;
struct board;
struct wlive;
struct federation;

struct node {
	struct zc_config cfg;
	char data_dir[CONFIG_PATH_MAX];
	struct store *store;
	struct secrets *secrets;
	struct city city; /* empty name until set */
	struct ratelimit *register_limit;
	struct ratelimit *login_limit;
	struct channels *channels;
	struct actions *actions; /* the catalogue's mirror */
	struct wq *wq;		 /* group commit of check-ins */
	struct board *board;	 /* leaderboards and aggregates of the season */
	struct ratelimit *join_limit;
	struct wlive *wlive;	      /* live workshop sessions */
	struct federation *fed;	      /* zcfed/1; NULL when not configured */
	struct ratelimit *code_limit; /* wrong room codes per participant and workshop */
	/* The season of today (local day season_day), cached; see city.h. */
	struct season season;
	bool has_season;
	int64_t season_day;
	void *lws_context; /* struct lws_context *, owned by server.c */
	int64_t started_at;
	uint64_t participants; /* count, kept in step with the store */
	int listen_port;
	int fed_port; /* the federation port once listening, else 0 */
};

/* Joins the data dir and a relative name into out. */
void node_path(const struct node *n, const char *name, char *out, size_t cap);

#endif
