/* The node's configuration: defaults, a `key = value` file format with `#`
 * comments, and validation of every value. Pure apart from config_load(). */
#ifndef ZC_CONFIG_H
#define ZC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CONFIG_PATH_MAX	  512
#define CONFIG_PEERS_MAX  32
#define CONFIG_ORIGIN_MAX 64 /* a federation origin name and its NUL */

/* A peer city's node, as pinned in the config (design §6): its origin name,
 * base URL, Ed25519 identity public keys (current and, during a rotation, the
 * next) and SHA-256 pins of its TLS SubjectPublicKeyInfo (current and next). */
struct zc_peer {
	char origin[CONFIG_ORIGIN_MAX];
	char url[256]; /* https://host[:port] */
	unsigned char key[2][32];
	unsigned nkeys;
	unsigned char pin[2][32];
	unsigned npins;
};

struct zc_config {
	char listen[64];		    /* address to bind; "" = all interfaces */
	int port;			    /* 0..65535, 0 = any free port; default 8443 */
	bool plain_http;		    /* serve without TLS (tests, reverse proxy) */
	char tls_cert[CONFIG_PATH_MAX];	    /* PEM; "" = <data dir>/tls/node.crt */
	char tls_key[CONFIG_PATH_MAX];	    /* PEM; "" = <data dir>/tls/node.key */
	char static_dir[CONFIG_PATH_MAX];   /* built web client; default "client-web/dist" */
	uint64_t map_size_mb;		    /* LMDB map size; default 4096, 1..1048576 */
	size_t max_body_bytes;		    /* request body cap; default 16384, 1024..1048576 */
	unsigned registrations_per_hour;    /* per client address; default 120, 1..100000 */
	unsigned registration_burst;	    /* bucket size; default 30, 1..1000 */
	unsigned login_attempts_per_minute; /* per client address; default 10, 1..1000 */
	unsigned admin_session_hours;	    /* default 12, 1..720 */
	char metrics_allow[256]; /* client addresses that may read /metrics, comma-separated,
				    or "any"; default loopback */
	bool trust_proxy;	 /* take the client address from X-Forwarded-For */
	char timezone[64];	 /* IANA zone for dates and weeks; default Europe/Paris */
	char log_level[16];	 /* error, warn, info (default), debug */
	bool test_hooks;	 /* enables /api/v1/admin/debug/…; default false */
	unsigned ws_ring_size;	 /* events kept per event-log channel; default 4096, 16..1048576 */
	size_t ws_max_message;	 /* client WebSocket message cap; default 4096, 256..65536 */
	unsigned ws_messages_per_second;   /* per connection, burst twice that; default 20 */
	unsigned ws_max_pending;	   /* requests awaiting their commit, per connection; 32 */
	unsigned ws_stall_timeout_s;	   /* a client not reading is dropped after; 60 */
	unsigned ws_presence_checkpoint_s; /* workshop presence written every; 60 */
	unsigned ws_max_subscriptions;	   /* per connection; default 16, 1..64 */
	/* Video players the web app may embed in a frame (CSP frame-src): https
	 * origins, "https://host[:port]", or "https://" then "*." and a host for its
	 * subdomains, space-separated;
	 * "" (default) = none, the video stays a link. */
	char video_frame_src[512];

	/* Federation (zcfed/1, design §6). "" disables it: no federation port,
	 * no statements. An origin is 1–63 of [a-z0-9-], no '-' at either end. */
	char fed_origin[CONFIG_ORIGIN_MAX];
	int fed_port;	   /* mTLS port for peers; default 8444, 0 = any free */
	char fed_url[256]; /* base URL peers reach us at; "" = https://localhost:PORT */
	char fed_cert[CONFIG_PATH_MAX];		/* PEM; "" = <data dir>/tls/fed.crt */
	char fed_key[CONFIG_PATH_MAX];		/* PEM; "" = <data dir>/tls/fed.key */
	unsigned fed_pull_interval_s;		/* anti-entropy pull; default 900 */
	unsigned fed_backoff_min_s;		/* first retry after a failure; default 30 */
	unsigned fed_backoff_max_s;		/* retries back off up to; default 3600 */
	uint64_t fed_budget_milli;		/* ε a calendar year of statements may spend, in
						   thousandths; default 60000 */
	bool fed_auto_publish;			/* publish each closed ISO week; default true */
	struct zc_peer peers[CONFIG_PEERS_MAX]; /* `peer = ORIGIN URL KEY[,KEY] PIN[,PIN]` lines */
	unsigned npeers;
};

/* True when s is a valid federation origin name. */
bool config_origin_name_valid(const char *s);
/* Parses an https base URL "https://host[:port]" into host and port (443
 * when absent); false when it is anything else. */
bool config_url_parse(const char *url, char *host, size_t hostcap, int *port);

/* Fills c with the documented defaults. */
void config_defaults(struct zc_config *c);

/* Sets one option from its textual value; on error writes a message naming the
 * key into errbuf and returns ZC_ERR_CONFIG. Booleans accept true/false/yes/no/on/off/1/0. */
enum zc_err config_set(struct zc_config *c, const char *key, const char *value, char *errbuf,
		       size_t errcap);

/* Parses a whole file's text: one `key = value` per line, blank lines and lines
 * starting with '#' ignored, surrounding spaces trimmed; errors name the line
 * ("line 3: unknown option 'foo'"). */
enum zc_err config_parse(struct zc_config *c, const char *text, size_t len, char *errbuf,
			 size_t errcap);

/* True when addr is one of the comma-separated addresses of list (IPv6 case
 * and IPv4-mapped prefixes ignored), or list is "any". */
bool config_address_allowed(const char *list, const char *addr);

/* True when list is "" or space-separated https origins (host, optional port,
 * a leading "*." label allowed): nothing a Content-Security-Policy could read
 * otherwise. */
bool config_origins_valid(const char *list);

/* Reads and parses the file at path (at most 64 KiB). */
enum zc_err config_load(struct zc_config *c, const char *path, char *errbuf, size_t errcap);

#endif
