/* zcnode: parse the command line and configuration → open secrets and store →
 * serve until a stop signal → close. Subcommands live in cli.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "actions.h"
#include "admins.h"
#include "board.h"
#include "channels.h"
#include "city.h"
#include "cli.h"
#include "config.h"
#include "federation.h"
#include "log.h"
#include "metrics.h"
#include "node.h"
#include "ratelimit.h"
#include "schema.h"
#include "secrets.h"
#include "server.h"
#include "store.h"
#include "timeutil.h"
#include "wq.h"
#include "wlive.h"
#include "ws.h"

#include <libwebsockets.h>

static const char help[] =
    "zcnode " ZC_VERSION " — a city node of the Défi Zéro Carbone\n"
    "\n"
    "usage:\n"
    "  zcnode --data-dir DIR [--config FILE] [--port N] [--plain-http] [--check-config]\n"
    "  zcnode init --data-dir DIR [--host NAME]\n"
    "  zcnode admin add --data-dir DIR --username NAME [--role admin|animator|moderator]\n"
    "  zcnode admin reset-password --data-dir DIR --username NAME\n"
    "  zcnode admin set-role --data-dir DIR --username NAME --role admin|animator|moderator\n"
    "  zcnode admin list|stats|load-demo --data-dir DIR\n"
    "  zcnode backup --data-dir DIR --output NEWDIR\n"
    "  zcnode federation show|rotate-key|finish-rotation --data-dir DIR [--config FILE]\n"
    "  (admin and backup also take --config FILE, for the node's map_size_mb)\n"
    "\n"
    "  --port 0 picks a free port; the node prints `zcnode ready port=N` once listening.\n"
    "  --plain-http serves without TLS (behind a reverse proxy, or for tests).\n"
    "  --check-config validates the configuration and exits.\n"
    "  With fed_origin set, the federation port (fed_port, 0 = any free) is printed first\n"
    "  as `zcnode federation port=N`; `federation show` prints what peer cities pin.\n"
    "  The configuration file is documented in docs/zcnode.conf.example.\n";

struct serve_opts {
	const char *data_dir, *config, *port;
	bool plain_http, check_config;
};

static int parse_serve(int argc, char **argv, struct serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return 0;
		} else if (strcmp(a, "--plain-http") == 0) {
			o->plain_http = true;
		} else if (strcmp(a, "--check-config") == 0) {
			o->check_config = true;
		} else if (i + 1 < argc && strcmp(a, "--data-dir") == 0) {
			o->data_dir = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--config") == 0) {
			o->config = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--port") == 0) {
			o->port = argv[++i];
		} else {
			fprintf(stderr, "zcnode: unexpected argument '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (!o->data_dir && !o->check_config) {
		fprintf(stderr, "zcnode: --data-dir is required (see --help)\n");
		return 2;
	}
	return -1;
}

static int load_config(struct node *n, const struct serve_opts *o)
{
	char err[256];
	config_defaults(&n->cfg);
	if (o->config && config_load(&n->cfg, o->config, err, sizeof(err)) != ZC_OK) {
		fprintf(stderr, "zcnode: %s: %s\n", o->config, err);
		return 2;
	}
	if (o->port && config_set(&n->cfg, "port", o->port, err, sizeof(err)) != ZC_OK) {
		fprintf(stderr, "zcnode: --port: %s\n", err);
		return 2;
	}
	if (o->plain_http)
		n->cfg.plain_http = true;
	enum log_level lvl;
	if (log_parse_level(n->cfg.log_level, &lvl))
		log_set_level(lvl);
	return 0;
}

/* Reports one problem found by --check-config; returns 1 for counting. */
static int problem(const char *what, const char *path, const char *why)
{
	fprintf(stderr, "zcnode: %s %s: %s\n", what, path, why);
	return 1;
}

/* Checks what the node will need at start: the files of the data dir (when
 * given), the TLS pair and the web client. Exit code 0 when all is well. */
static int check_config(struct node *n, const struct serve_opts *o)
{
	char cert[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX], secret[CONFIG_PATH_MAX];
	struct stat st;
	int bad = 0;

	if (o->data_dir) {
		snprintf(n->data_dir, sizeof(n->data_dir), "%s", o->data_dir);
		node_path(n, "node.secret", secret, sizeof(secret));
		if (stat(secret, &st) != 0)
			bad += problem("node secret", secret, "missing (run zcnode init)");
		else if (st.st_mode & 077)
			bad += problem("node secret", secret,
				       "readable by group or others (chmod 600)");
	}
	if (!n->cfg.plain_http) {
		if (n->cfg.tls_cert[0])
			snprintf(cert, sizeof(cert), "%s", n->cfg.tls_cert);
		else if (o->data_dir)
			node_path(n, "tls/node.crt", cert, sizeof(cert));
		else
			cert[0] = '\0';
		if (n->cfg.tls_key[0])
			snprintf(key, sizeof(key), "%s", n->cfg.tls_key);
		else if (o->data_dir)
			node_path(n, "tls/node.key", key, sizeof(key));
		else
			key[0] = '\0';
		if (cert[0] && access(cert, R_OK) != 0)
			bad += problem("TLS certificate", cert, strerror(errno));
		if (key[0] && access(key, R_OK) != 0)
			bad += problem("TLS key", key, strerror(errno));
		else if (key[0] && stat(key, &st) == 0 && (st.st_mode & 077))
			bad += problem("TLS key", key, "readable by group or others (chmod 600)");
	}
	/* Federation: the identity key, the federation pair, and peers that are
	 * not this node. */
	for (unsigned i = 0; n->cfg.fed_origin[0] && i < n->cfg.npeers; i++)
		if (strcmp(n->cfg.peers[i].origin, n->cfg.fed_origin) == 0)
			bad += problem("peer", n->cfg.peers[i].origin,
				       "is this node's own fed_origin");
	if (n->cfg.fed_origin[0] && o->data_dir) {
		char ident[CONFIG_PATH_MAX + 16];
		node_path(n, "identity.key", ident, sizeof(ident));
		if (stat(ident, &st) != 0)
			bad += problem("identity key", ident, "missing (run zcnode init)");
		else if (st.st_mode & 077)
			bad += problem("identity key", ident,
				       "readable by group or others (chmod 600)");
		fed_tls_paths(n, cert, key, sizeof(cert));
		/* Absent both: the node makes the pair at start. */
		if (access(cert, F_OK) == 0 || access(key, F_OK) == 0) {
			if (access(cert, R_OK) != 0)
				bad += problem("federation certificate", cert, strerror(errno));
			if (stat(key, &st) != 0)
				bad += problem("federation key", key, strerror(errno));
			else if (st.st_mode & 077)
				bad += problem("federation key", key,
					       "readable by group or others (chmod 600)");
		}
	}
	char zone[128];
	snprintf(zone, sizeof(zone), "/usr/share/zoneinfo/%s", n->cfg.timezone);
	if (access(zone, R_OK) != 0)
		bad += problem("time zone", n->cfg.timezone,
			       "unknown here (install tzdata, or check the name)");
	if (stat(n->cfg.static_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		fprintf(stderr,
			"zcnode: warning: static_dir %s is not a directory: the web app "
			"will not be served\n",
			n->cfg.static_dir);
	if (bad)
		return 1;
	printf("config ok\n");
	return 0;
}

/* Dates and ISO weeks of the challenge are local to the city. */
static void apply_timezone(const char *zone)
{
	char path[128];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
	if (access(path, R_OK) != 0)
		log_event(LOG_WARN, "timezone_missing",
			  "zone=%s hint=\"install tzdata; dates fall back to UTC\"", zone);
	setenv("TZ", zone, 1);
	tzset();
}

static int serve(struct node *n)
{
	char db[CONFIG_PATH_MAX];
	struct store_txn *txn;
	int rc = 1;

	metrics_init(time_now_s());
	n->started_at = time_now_s();
	apply_timezone(n->cfg.timezone);
	if (secrets_open(n->data_dir, &n->secrets) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot load %s/node.secret (run zcnode init)\n",
			n->data_dir);
		return 1;
	}
	node_path(n, "db", db, sizeof(db));
	enum zc_err err = store_open(db, n->cfg.map_size_mb << 20, &n->store);
	if (err == ZC_OK)
		err = schema_migrate(n->store);
	if (err) {
		fprintf(stderr, "zcnode: cannot open the store: %s\n", zc_strerror(err));
		goto out;
	}
	if (city_load(n) != ZC_OK || store_begin(n->store, false, &txn) != ZC_OK)
		goto out;
	store_count(txn, STORE_PARTICIPANTS, &n->participants);
	store_abort(txn);
	metrics_gauge_set(METRICS_PARTICIPANTS, (int64_t)n->participants);
	unsigned purged = 0;
	admins_sessions_purge(n->store, time_now_s(), &purged);
	n->register_limit = ratelimit_new(n->cfg.registration_burst,
					  3600000u / n->cfg.registrations_per_hour, 65536);
	n->login_limit = ratelimit_new(n->cfg.login_attempts_per_minute,
				       60000u / n->cfg.login_attempts_per_minute, 65536);
	n->join_limit = ratelimit_new(10, 6000, 65536);
	n->code_limit = ratelimit_new(10, 360000, 65536); /* 10 wrong codes, then 1 per 6 min */
	n->channels = channels_new(&n->cfg, LWS_PRE, ws_wake, NULL);
	n->wlive = wlive_new(n, LWS_PRE, ws_wake, NULL);
	const struct season *season = city_season_today(n);
	if (actions_load(n) != ZC_OK || board_load(n, season ? season->id : NULL) != ZC_OK) {
		fprintf(stderr, "zcnode: cannot load the challenge from the store\n");
		goto out;
	}
	err = fed_open(n);
	if (err) {
		if (err == ZC_ERR_CONFIG)
			fprintf(stderr, "zcnode: a peer line names this node's own fed_origin\n");
		else
			fprintf(stderr,
				"zcnode: cannot load %s/identity.key for federation (0600, 32 "
				"bytes; made by zcnode init)\n",
				n->data_dir);
		goto out;
	}
	/* A batch is committed when the loop pass ends, or at this size. */
	n->wq = wq_new(n->store, 4096);
	log_event(LOG_INFO, "start",
		  "version=" ZC_VERSION " data_dir=%s participants=%llu expired_sessions_purged=%u",
		  n->data_dir, (unsigned long long)n->participants, purged);
	rc = server_run(n) == ZC_OK ? 0 : 1;
out:
	wq_free(n->wq); /* flushes what the last pass queued */
	fed_close(n);
	wlive_free(n->wlive);
	board_free(n->board);
	actions_free(n->actions);
	channels_free(n->channels);
	ratelimit_free(n->register_limit);
	ratelimit_free(n->login_limit);
	ratelimit_free(n->join_limit);
	ratelimit_free(n->code_limit);
	store_close(n->store);
	secrets_close(n->secrets);
	log_event(LOG_INFO, "stopped", "exit=%d", rc);
	return rc;
}

int main(int argc, char **argv)
{
	struct serve_opts o;
	static struct node n;
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "zcnode: libsodium failed to initialise\n");
		return 1;
	}
	if (argc >= 2 && strcmp(argv[1], "init") == 0)
		return cli_init(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "admin") == 0)
		return cli_admin(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "backup") == 0)
		return cli_backup(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "federation") == 0)
		return cli_federation(argc, argv);

	rc = parse_serve(argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = load_config(&n, &o);
	if (rc)
		return rc;
	if (o.check_config)
		return check_config(&n, &o);
	snprintf(n.data_dir, sizeof(n.data_dir), "%s", o.data_dir);
	return serve(&n);
}
