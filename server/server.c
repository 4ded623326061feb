/* Context, vhost, mounts and the service loop. Signals only set a flag and
 * wake the loop; all work, including shutdown, happens on the loop thread.
 * Security headers are vhost-wide so API, static files and errors all carry
 * them. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <libwebsockets.h>
#include <openssl/ssl.h>

#include "board.h"
#include "channels.h"
#include "city.h"
#include "federation.h"
#include "http.h"
#include "log.h"
#include "server.h"
#include "timeutil.h"
#include "wlive.h"
#include "ws.h"
#include "wq.h"

static volatile sig_atomic_t stop_requested;
static struct lws_context *running_ctx;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (running_ctx)
		lws_cancel_service(running_ctx);
}

static void lws_log(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_event(level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws", "message=\"%.*s\"", (int)n, line);
}

/* Lets the node hold as many connections as the hard limit allows. */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		log_event(LOG_INFO, "nofile_limit", "limit=%llu", (unsigned long long)rl.rlim_cur);
}

/* The policy of every response; frame-src lists the video players the city
 * allows (video_frame_src), 'none' by default. */
#define CSP_HEAD                                                                                   \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-src "
#define CSP_TAIL "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const struct lws_protocol_vhost_options hdr_hsts = {
    NULL, NULL, "strict-transport-security:", "max-age=31536000"};
static const struct lws_protocol_vhost_options hdr_coop = {
    NULL, NULL, "cross-origin-opener-policy:", "same-origin"};
static const struct lws_protocol_vhost_options hdr_perm = {
    &hdr_coop, NULL, "permissions-policy:", "camera=(), microphone=(), geolocation=()"};
static const struct lws_protocol_vhost_options hdr_ref = {&hdr_perm, NULL,
							  "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options hdr_xfo = {&hdr_ref, NULL,
							  "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options hdr_nosniff = {&hdr_xfo, NULL,
							      "x-content-type-options:", "nosniff"};
static char csp[sizeof(CSP_HEAD CSP_TAIL) + sizeof(((struct zc_config *)0)->video_frame_src)];
static struct lws_protocol_vhost_options hdr_csp = {&hdr_nosniff, NULL,
						    "content-security-policy:", csp};

/* Fills csp for cfg (its video_frame_src was checked by config_set). */
static void build_csp(const struct zc_config *cfg)
{
	const char *src = cfg->video_frame_src + strspn(cfg->video_frame_src, " ");
	snprintf(csp, sizeof(csp), "%s%s%s", CSP_HEAD, *src ? src : "'none'", CSP_TAIL);
}

static const struct lws_protocol_vhost_options mime_html = {NULL, NULL, ".html",
							    "text/html; charset=utf-8"};
static const struct lws_protocol_vhost_options mime_map = {&mime_html, NULL, ".map",
							   "application/json"};
static const struct lws_protocol_vhost_options mime_txt = {&mime_map, NULL, ".txt",
							   "text/plain; charset=utf-8"};
static const struct lws_protocol_vhost_options mime_mjs = {&mime_txt, NULL, ".mjs",
							   "text/javascript"};
static const struct lws_protocol_vhost_options mime_manifest = {&mime_mjs, NULL, ".webmanifest",
								"application/manifest+json"};

static const struct lws_protocols protocols[] = {
    {.name = HTTP_PROTOCOL_NAME}, /* filled from http_protocol at start */
    {.name = WS_PROTOCOL_NAME},
    {.name = WS_PRESENTER_PROTOCOL_NAME},
    {NULL, NULL, 0, 0, 0, NULL, 0}};

struct mounts {
	struct lws_http_mount api, healthz, metrics, assets, root;
	char root_dir[PATH_MAX], assets_dir[PATH_MAX + 8];
};

static void set_callback_mount(struct lws_http_mount *m, const char *point,
			       const struct lws_http_mount *next)
{
	memset(m, 0, sizeof(*m));
	m->mount_next = next;
	m->mountpoint = point;
	m->mountpoint_len = (unsigned char)strlen(point);
	m->origin = HTTP_PROTOCOL_NAME;
	m->origin_protocol = LWSMPRO_CALLBACK;
}

static const struct lws_http_mount *build_mounts(struct mounts *m, const struct node *n)
{
	const struct lws_http_mount *first;
	memset(m, 0, sizeof(*m));
	set_callback_mount(&m->api, "/api", NULL);
	set_callback_mount(&m->healthz, "/healthz", &m->api);
	set_callback_mount(&m->metrics, "/metrics", &m->healthz);
	first = &m->metrics;
	if (!realpath(n->cfg.static_dir, m->root_dir)) {
		log_event(LOG_WARN, "static_dir_missing", "path=%s hint=\"build the web client\"",
			  n->cfg.static_dir);
		return first;
	}
	snprintf(m->assets_dir, sizeof(m->assets_dir), "%s/assets", m->root_dir);
	/* Hashed asset names never change content: cache them for a year. */
	m->assets.mount_next = first;
	m->assets.mountpoint = "/assets";
	m->assets.mountpoint_len = 7;
	m->assets.origin = m->assets_dir;
	m->assets.origin_protocol = LWSMPRO_FILE;
	m->assets.cache_max_age = 31536000;
	m->assets.cache_reusable = 1;
	m->assets.cache_intermediaries = 1;
	m->assets.extra_mimetypes = &mime_manifest;
	/* Everything else (index.html, sw.js, manifest) is revalidated every time. */
	m->root.mount_next = &m->assets;
	m->root.mountpoint = "/";
	m->root.mountpoint_len = 1;
	m->root.origin = m->root_dir;
	m->root.def = "index.html";
	m->root.origin_protocol = LWSMPRO_FILE;
	/* lws sends no-store for a zero max-age; a short one with must-revalidate
	 * lets browsers keep the files and revalidate them by ETag (304). */
	m->root.cache_max_age = 60;
	m->root.cache_reusable = 1;
	m->root.cache_revalidate = 1;
	m->root.extra_mimetypes = &mime_manifest;
	return &m->root;
}

/* Two timers. The publisher runs only when a board or a workshop has something
 * to send, at most once every BOARD_PUBLISH_MS: an idle node with thousands of
 * connections is not woken four times a second for nothing (each wake costs a
 * poll() over every socket). The season check runs every second. */
static struct {
	lws_sorted_usec_list_t sul; /* first: the callback gets its address */
	struct node *n;
	bool armed;    /* sul is scheduled */
	uint64_t last; /* when it last ran (time_mono_us) */
} publisher;

static struct {
	lws_sorted_usec_list_t sul;
	struct node *n;
} every_second;

#define SEASON_CHECK_MS 1000

static void publish_due(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	publisher.armed = false;
	publisher.last = time_mono_us();
	board_tick(publisher.n);
	wlive_tick(publisher.n);
}

/* After each service pass: schedule the publisher if something waits for it. */
static void publisher_arm(struct node *n)
{
	if (publisher.armed || !(board_dirty(n) || wlive_dirty(n)))
		return;
	uint64_t due = publisher.last + BOARD_PUBLISH_MS * 1000u, now = time_mono_us();
	publisher.armed = true;
	lws_sul_schedule(n->lws_context, 0, &publisher.sul, publish_due,
			 due > now ? (lws_usec_t)(due - now) : 0);
}

/* Starts the new season's boards when the season of today is another one:
 * every second, and after a pass that edited the seasons (city.c then resets
 * season_day), so a season an admin just created counts at once. */
static void season_follow(struct node *n)
{
	const struct season *s = city_season_today(n);
	const char *id = s ? s->id : "";
	if (strcmp(id, board_season(n->board)) != 0) {
		log_event(LOG_INFO, "season_change", "from=%s to=%s",
			  board_season(n->board)[0] ? board_season(n->board) : "none",
			  id[0] ? id : "none");
		board_load(n, s ? s->id : NULL);
	}
}

/* Wakes the loop every second, so the day's change is seen on an idle node,
 * and checkpoints workshop presence. */
static void each_second(lws_sorted_usec_list_t *sul)
{
	season_follow(every_second.n);
	fed_tick(every_second.n);
	wlive_checkpoint(every_second.n,
			 (int64_t)every_second.n->cfg.ws_presence_checkpoint_s * 1000000);
	lws_sul_schedule(every_second.n->lws_context, 0, sul, each_second,
			 SEASON_CHECK_MS * LWS_US_PER_MS);
}

/* Both vhosts' TLS: 1.2 or later, ECDHE with AEAD ciphers, the server's order. */
static void set_tls(struct lws_context_creation_info *info, const char *cert, const char *key,
		    const char *alpn)
{
	info->ssl_cert_filepath = cert;
	info->ssl_private_key_filepath = key;
	info->ssl_options_set = SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 |
				SSL_OP_NO_TLSv1_1 | SSL_OP_CIPHER_SERVER_PREFERENCE;
	info->ssl_cipher_list = "ECDHE+AESGCM:ECDHE+CHACHA20";
	info->alpn = alpn;
}

/* The federation port (zcfed/1): its own vhost, TLS 1.2+ always (even when
 * the public port is plain HTTP behind a proxy), a client certificate
 * required and accepted only when a configured peer pins its key
 * (http.c answers lws' verification callback with fedtls_verify_client). Only
 * /zcfed/ is mounted; browsers never meet a certificate request. */
static struct lws_vhost *fed_vhost(struct lws_context *ctx, struct node *n,
				   const struct lws_protocols *protos, char *cert, char *key)
{
	static struct lws_http_mount mount;
	struct lws_context_creation_info info;
	fed_tls_paths(n, cert, key, CONFIG_PATH_MAX);
	memset(&mount, 0, sizeof(mount));
	mount.mountpoint = "/zcfed";
	mount.mountpoint_len = 6;
	mount.origin = HTTP_PROTOCOL_NAME;
	mount.origin_protocol = LWSMPRO_CALLBACK;
	memset(&info, 0, sizeof(info));
	info.vhost_name = "zcfed";
	info.port = n->cfg.fed_port;
	info.iface = n->cfg.listen[0] ? n->cfg.listen : NULL;
	info.protocols = protos;
	info.mounts = &mount;
	info.user = n;
	info.options =
	    LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
	if (n->cfg.listen[0] && strchr(n->cfg.listen, '.'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.keepalive_timeout = 30;
	info.timeout_secs = 30;
	set_tls(&info, cert, key, "http/1.1");
	return lws_create_vhost(ctx, &info);
}

enum zc_err server_run(struct node *n)
{
	struct lws_context_creation_info info;
	struct lws_protocols protos[4];
	struct mounts mounts;
	struct lws_protocol_vhost_options hsts;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	enum zc_err err = ZC_OK;

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	raise_nofile();
	memcpy(protos, protocols, sizeof(protos));
	protos[0] = http_protocol;
	protos[1] = ws_protocol;
	protos[2] = ws_presenter_protocol;

	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (!n->cfg.plain_http || fed_enabled(n))
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.user = n;
	ctx = lws_create_context(&info);
	if (!ctx) {
		log_event(LOG_ERROR, "lws_context_failed", "%s", "");
		return ZC_ERR_IO;
	}

	memset(&info, 0, sizeof(info));
	info.vhost_name = "zcnode";
	info.port = n->cfg.port;
	info.iface = n->cfg.listen[0] ? n->cfg.listen : NULL;
	info.protocols = protos;
	info.mounts = build_mounts(&mounts, n);
	build_csp(&n->cfg);
	info.headers = &hdr_csp;
	info.user = n;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	info.keepalive_timeout = 30;
	info.timeout_secs = 30;
	if (n->cfg.listen[0] && strchr(n->cfg.listen, '.'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	if (!n->cfg.plain_http) {
		char cert[CONFIG_PATH_MAX], key[CONFIG_PATH_MAX];
		if (n->cfg.tls_cert[0])
			snprintf(cert, sizeof(cert), "%s", n->cfg.tls_cert);
		else
			node_path(n, "tls/node.crt", cert, sizeof(cert));
		if (n->cfg.tls_key[0])
			snprintf(key, sizeof(key), "%s", n->cfg.tls_key);
		else
			node_path(n, "tls/node.key", key, sizeof(key));
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		set_tls(&info, cert, key, "h2,http/1.1");
		hsts = hdr_hsts;
		hsts.next = &hdr_csp;
		info.headers = &hsts;
		vh = lws_create_vhost(ctx, &info);
	} else {
		vh = lws_create_vhost(ctx, &info);
	}
	if (!vh) {
		log_event(LOG_ERROR, "listen_failed",
			  "port=%d hint=\"port in use, or TLS files "
			  "unreadable\"",
			  n->cfg.port);
		err = ZC_ERR_IO;
		goto out;
	}
	n->lws_context = ctx;
	n->listen_port = lws_get_vhost_listen_port(vh);
	if (fed_enabled(n)) {
		/* lws keeps pointers to these for the vhost's life. */
		static struct lws_protocols fprotos[2];
		static char fcert[CONFIG_PATH_MAX], fkey[CONFIG_PATH_MAX];
		memset(fprotos, 0, sizeof(fprotos));
		fprotos[0] = http_protocol;
		struct lws_vhost *fvh = fed_vhost(ctx, n, fprotos, fcert, fkey);
		if (!fvh) {
			log_event(LOG_ERROR, "federation_listen_failed",
				  "port=%d hint=\"port in use, or %s / %s unreadable\"",
				  n->cfg.fed_port, fcert, fkey);
			err = ZC_ERR_IO;
			goto out;
		}
		n->fed_port = lws_get_vhost_listen_port(fvh);
		log_event(LOG_INFO, "federation_ready", "port=%d origin=%s peers=%u", n->fed_port,
			  n->cfg.fed_origin, n->cfg.npeers);
		printf("zcnode federation port=%d\n", n->fed_port);
		fed_start(n);
	}

	running_ctx = ctx;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_event(LOG_INFO, "ready", "port=%d tls=%s city=\"%s\"", n->listen_port,
		  n->cfg.plain_http ? "off" : "on", n->city.name);
	printf("zcnode ready port=%d\n", n->listen_port);
	fflush(stdout);

	publisher.n = every_second.n = n;
	lws_sul_schedule(ctx, 0, &every_second.sul, each_second, SEASON_CHECK_MS * LWS_US_PER_MS);
	/* Each pass serves what is ready, then commits the writes it queued as one
	 * batch; their answers go out on the next pass. */
	while (!stop_requested) {
		if (lws_service(ctx, 0) < 0)
			break;
		wq_flush(n->wq);
		fed_drain(n);
		fed_board_refresh(n);
		if (n->season_day < 0) /* seasons were just edited */
			season_follow(n);
		publisher_arm(n);
	}
	fed_stop(n);
	lws_sul_cancel(&every_second.sul);
	lws_sul_cancel(&publisher.sul);
	publisher.armed = false;
	log_event(LOG_INFO, "shutdown", "%s", "reason=signal");
out:
	running_ctx = NULL;
	lws_context_destroy(ctx);
	n->lws_context = NULL;
	return err;
}
