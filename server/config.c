/* Configuration: one table names every option with its type, bounds and place
 * in struct zc_config, so parsing, validation and defaults cannot drift apart. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "b64url.h"
#include "config.h"

#define CONFIG_FILE_MAX 65536

enum opt_type {
	OPT_STR,
	OPT_ADDRS,
	OPT_ZONE,
	OPT_ORIGINS,
	OPT_PATH,
	OPT_BOOL,
	OPT_INT,
	OPT_U64,
	OPT_SIZE,
	OPT_UNSIGNED,
	OPT_LEVEL,
	OPT_ORIGIN_NAME,
	OPT_URL
};

struct option {
	const char *name;
	enum opt_type type;
	size_t offset, size;
	uint64_t min, max;
};

#define O(name, type, field, min, max)                                                             \
	{                                                                                          \
#name, type, offsetof(struct zc_config, field),                                    \
		    sizeof(((struct zc_config *)0)->field), min, max                               \
	}

static const struct option options[] = {
    O(listen, OPT_STR, listen, 0, 0),
    O(port, OPT_INT, port, 0, 65535),
    O(plain_http, OPT_BOOL, plain_http, 0, 0),
    O(tls_cert, OPT_PATH, tls_cert, 0, 0),
    O(tls_key, OPT_PATH, tls_key, 0, 0),
    O(static_dir, OPT_PATH, static_dir, 0, 0),
    O(map_size_mb, OPT_U64, map_size_mb, 1, 1048576),
    O(max_body_bytes, OPT_SIZE, max_body_bytes, 1024, 1048576),
    O(registrations_per_hour, OPT_UNSIGNED, registrations_per_hour, 1, 100000),
    O(registration_burst, OPT_UNSIGNED, registration_burst, 1, 1000),
    O(login_attempts_per_minute, OPT_UNSIGNED, login_attempts_per_minute, 1, 1000),
    O(admin_session_hours, OPT_UNSIGNED, admin_session_hours, 1, 720),
    O(metrics_allow, OPT_ADDRS, metrics_allow, 0, 0),
    O(trust_proxy, OPT_BOOL, trust_proxy, 0, 0),
    O(timezone, OPT_ZONE, timezone, 0, 0),
    O(log_level, OPT_LEVEL, log_level, 0, 0),
    O(test_hooks, OPT_BOOL, test_hooks, 0, 0),
    O(ws_ring_size, OPT_UNSIGNED, ws_ring_size, 16, 1048576),
    O(ws_max_message, OPT_SIZE, ws_max_message, 256, 65536),
    O(ws_max_subscriptions, OPT_UNSIGNED, ws_max_subscriptions, 1, 64),
    O(ws_messages_per_second, OPT_UNSIGNED, ws_messages_per_second, 1, 10000),
    O(ws_max_pending, OPT_UNSIGNED, ws_max_pending, 1, 1024),
    O(ws_stall_timeout_s, OPT_UNSIGNED, ws_stall_timeout_s, 1, 3600),
    O(ws_presence_checkpoint_s, OPT_UNSIGNED, ws_presence_checkpoint_s, 1, 3600),
    O(video_frame_src, OPT_ORIGINS, video_frame_src, 0, 0),
    O(fed_origin, OPT_ORIGIN_NAME, fed_origin, 0, 0),
    O(fed_port, OPT_INT, fed_port, 0, 65535),
    O(fed_url, OPT_URL, fed_url, 0, 0),
    O(fed_cert, OPT_PATH, fed_cert, 0, 0),
    O(fed_key, OPT_PATH, fed_key, 0, 0),
    O(fed_pull_interval_s, OPT_UNSIGNED, fed_pull_interval_s, 1, 86400),
    O(fed_backoff_min_s, OPT_UNSIGNED, fed_backoff_min_s, 1, 3600),
    O(fed_backoff_max_s, OPT_UNSIGNED, fed_backoff_max_s, 1, 86400),
    O(fed_budget_milli, OPT_U64, fed_budget_milli, 1, 1000000000),
    O(fed_auto_publish, OPT_BOOL, fed_auto_publish, 0, 0),
};

void config_defaults(struct zc_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = 8443;
	snprintf(c->static_dir, sizeof(c->static_dir), "client-web/dist");
	c->map_size_mb = 4096;
	c->max_body_bytes = 16384;
	c->registrations_per_hour = 120;
	c->registration_burst = 30;
	c->login_attempts_per_minute = 10;
	c->admin_session_hours = 12;
	snprintf(c->log_level, sizeof(c->log_level), "info");
	snprintf(c->timezone, sizeof(c->timezone), "Europe/Paris");
	snprintf(c->metrics_allow, sizeof(c->metrics_allow), "127.0.0.1,::1");
	c->ws_ring_size = 1024;
	c->ws_max_message = 4096;
	c->ws_max_subscriptions = 16;
	c->ws_messages_per_second = 20;
	c->ws_max_pending = 32;
	c->ws_stall_timeout_s = 60;
	c->ws_presence_checkpoint_s = 60;
	c->fed_port = 8444;
	c->fed_pull_interval_s = 900;
	c->fed_backoff_min_s = 30;
	c->fed_backoff_max_s = 3600;
	c->fed_budget_milli = 60000;
	c->fed_auto_publish = true;
}

bool config_origin_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CONFIG_ORIGIN_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_u64(const char *v, uint64_t *out)
{
	char *end;
	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

/* An address to bind: empty, or characters of an IPv4/IPv6 literal or host name. */
static bool listen_valid(const char *v)
{
	for (const char *p = v; *p; p++)
		if (!strchr("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:-",
			    *p))
			return false;
	return true;
}

/* A host name of DNS labels (letters, digits, inner hyphens; 1-63 bytes each),
 * of which the first may be "*" when at least one other follows. */
static bool host_valid(const char *h, size_t len)
{
	size_t labels = 0;
	bool wild = false;
	while (len) {
		size_t l = 0;
		while (l < len && h[l] != '.')
			l++;
		if (l == 1 && h[0] == '*' && labels == 0)
			wild = true;
		else {
			if (l == 0 || l > 63 || h[0] == '-' || h[l - 1] == '-')
				return false;
			for (size_t i = 0; i < l; i++)
				if (!isalnum((unsigned char)h[i]) && h[i] != '-')
					return false;
		}
		labels++;
		if (l == len)
			break;
		if (l + 1 == len)
			return false; /* a trailing dot */
		h += l + 1;
		len -= l + 1;
	}
	return labels > (wild ? 1u : 0u);
}

/* One origin of a source list: https://, a host, an optional port; no path,
 * no quote, nothing else a policy could read. */
static bool origin_valid(const char *o, size_t len)
{
	static const char scheme[] = "https://";
	const size_t sl = sizeof(scheme) - 1;
	if (len <= sl || strncmp(o, scheme, sl) != 0)
		return false;
	const char *host = o + sl, *colon = memchr(host, ':', len - sl);
	size_t hl = colon ? (size_t)(colon - host) : len - sl;
	if (!host_valid(host, hl))
		return false;
	if (!colon)
		return true;
	size_t pl = len - sl - hl - 1, port = 0;
	if (pl == 0 || pl > 5)
		return false;
	for (size_t i = 0; i < pl; i++) {
		if (colon[1 + i] < '0' || colon[1 + i] > '9')
			return false;
		port = port * 10 + (size_t)(colon[1 + i] - '0');
	}
	return port >= 1 && port <= 65535;
}

bool config_origins_valid(const char *list)
{
	const char *p = list;
	for (;;) {
		p += strspn(p, " ");
		if (!*p)
			return true;
		size_t len = strcspn(p, " ");
		if (!origin_valid(p, len))
			return false;
		p += len;
	}
}

bool config_url_parse(const char *url, char *host, size_t hostcap, int *port)
{
	static const char scheme[] = "https://";
	size_t len = strlen(url), sl = sizeof(scheme) - 1;
	if (!origin_valid(url, len))
		return false;
	const char *h = url + sl, *colon = strchr(h, ':');
	size_t hl = colon ? (size_t)(colon - h) : len - sl;
	if (hl >= hostcap || h[0] == '*')
		return false;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = colon ? (int)strtol(colon + 1, NULL, 10) : 443;
	return true;
}

/* One or two comma-separated unpadded base64url encodings of 32 bytes. */
static bool parse_keys(const char *v, size_t len, unsigned char out[2][32], unsigned *n)
{
	*n = 0;
	while (len) {
		const char *comma = memchr(v, ',', len);
		size_t l = comma ? (size_t)(comma - v) : len;
		if (*n == 2 || b64url_decode(v, l, out[*n], 32) != 32)
			return false;
		(*n)++;
		if (!comma)
			break;
		len -= l + 1;
		v += l + 1;
		if (!len)
			return false;
	}
	return *n > 0;
}

/* `peer = ORIGIN URL KEY[,NEXT_KEY] PIN[,NEXT_PIN]`, fields separated by spaces. */
static enum zc_err add_peer(struct zc_config *c, const char *value, char *errbuf, size_t errcap)
{
	const char *f[4], *p = value;
	size_t fl[4], nf = 0;
	while (*p && nf < 5) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		size_t l = strcspn(p, " \t");
		if (nf == 4) {
			nf = 5;
			break;
		}
		f[nf] = p;
		fl[nf++] = l;
		p += l;
	}
	if (nf != 4) {
		snprintf(errbuf, errcap,
			 "peer: expected 'ORIGIN URL KEY[,NEXT_KEY] PIN[,NEXT_PIN]' "
			 "(zcnode federation show prints it)");
		return ZC_ERR_CONFIG;
	}
	if (c->npeers == CONFIG_PEERS_MAX) {
		snprintf(errbuf, errcap, "peer: at most %d peers", CONFIG_PEERS_MAX);
		return ZC_ERR_CONFIG;
	}
	struct zc_peer *pe = &c->peers[c->npeers];
	char host[256];
	int port;
	memset(pe, 0, sizeof(*pe));
	if (fl[0] >= sizeof(pe->origin) || fl[1] >= sizeof(pe->url)) {
		snprintf(errbuf, errcap, "peer: origin or URL too long");
		return ZC_ERR_CONFIG;
	}
	memcpy(pe->origin, f[0], fl[0]);
	memcpy(pe->url, f[1], fl[1]);
	if (!config_origin_name_valid(pe->origin)) {
		snprintf(errbuf, errcap, "peer: '%s' is not an origin name (a-z, 0-9, '-')",
			 pe->origin);
		return ZC_ERR_CONFIG;
	}
	if (!config_url_parse(pe->url, host, sizeof(host), &port)) {
		snprintf(errbuf, errcap, "peer %s: '%s' is not a URL like https://host:8444",
			 pe->origin, pe->url);
		return ZC_ERR_CONFIG;
	}
	if (!parse_keys(f[2], fl[2], pe->key, &pe->nkeys)) {
		snprintf(errbuf, errcap,
			 "peer %s: the identity key must be one or two base64url keys of 32 "
			 "bytes, comma-separated",
			 pe->origin);
		return ZC_ERR_CONFIG;
	}
	if (!parse_keys(f[3], fl[3], pe->pin, &pe->npins)) {
		snprintf(errbuf, errcap,
			 "peer %s: the TLS pin must be one or two base64url SHA-256 values, "
			 "comma-separated",
			 pe->origin);
		return ZC_ERR_CONFIG;
	}
	for (unsigned i = 0; i < c->npeers; i++)
		if (strcmp(c->peers[i].origin, pe->origin) == 0) {
			snprintf(errbuf, errcap, "peer %s: configured twice", pe->origin);
			return ZC_ERR_CONFIG;
		}
	c->npeers++;
	return ZC_OK;
}

enum zc_err config_set(struct zc_config *c, const char *key, const char *value, char *errbuf,
		       size_t errcap)
{
	const struct option *o = NULL;
	if (strcmp(key, "peer") == 0)
		return add_peer(c, value, errbuf, errcap);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strcmp(options[i].name, key) == 0)
			o = &options[i];
	if (!o) {
		snprintf(errbuf, errcap, "unknown option '%s'", key);
		return ZC_ERR_CONFIG;
	}
	char *field = (char *)c + o->offset;
	uint64_t n;
	bool b;
	switch (o->type) {
	case OPT_STR:
	case OPT_ZONE:
	case OPT_ADDRS:
	case OPT_ORIGINS:
	case OPT_PATH:
	case OPT_ORIGIN_NAME:
	case OPT_URL:
		if (strlen(value) >= o->size) {
			snprintf(errbuf, errcap, "%s: value longer than %zu bytes", key,
				 o->size - 1);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_STR && !listen_valid(value)) {
			snprintf(errbuf, errcap, "%s: '%s' is not an address", key, value);
			return ZC_ERR_CONFIG;
		}
		/* A zone name, never a path: no "..", no leading '/'. */
		if (o->type == OPT_ZONE &&
		    (value[0] == '\0' || value[0] == '/' || strstr(value, "..") ||
		     strspn(value,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-") !=
			 strlen(value))) {
			snprintf(errbuf, errcap,
				 "%s: '%s' is not a time zone name like Europe/Paris", key, value);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_ADDRS && strcmp(value, "any") != 0 &&
		    strspn(value, "0123456789abcdefABCDEF.:, ") != strlen(value)) {
			snprintf(errbuf, errcap, "%s: '%s' is not a list of addresses or \"any\"",
				 key, value);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_ORIGINS && !config_origins_valid(value)) {
			snprintf(errbuf, errcap,
				 "%s: '%s' is not a space-separated list of https origins like "
				 "https://peertube.example.org",
				 key, value);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_ORIGIN_NAME && value[0] && !config_origin_name_valid(value)) {
			snprintf(errbuf, errcap,
				 "%s: '%s' must be 1-63 of a-z, 0-9 and '-', not starting or "
				 "ending with '-'",
				 key, value);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_URL && value[0]) {
			char host[256];
			int port;
			if (!config_url_parse(value, host, sizeof(host), &port)) {
				snprintf(
				    errbuf, errcap,
				    "%s: '%s' is not a URL like https://zcnode.example.org:8444",
				    key, value);
				return ZC_ERR_CONFIG;
			}
		}
		memcpy(field, value, strlen(value) + 1);
		return ZC_OK;
	case OPT_BOOL:
		if (!parse_bool(value, &b)) {
			snprintf(errbuf, errcap, "%s: '%s' is not true or false", key, value);
			return ZC_ERR_CONFIG;
		}
		*(bool *)field = b;
		return ZC_OK;
	case OPT_LEVEL:
		if (strcmp(value, "error") && strcmp(value, "warn") && strcmp(value, "info") &&
		    strcmp(value, "debug")) {
			snprintf(errbuf, errcap, "%s: must be error, warn, info or debug", key);
			return ZC_ERR_CONFIG;
		}
		snprintf(field, o->size, "%s", value);
		return ZC_OK;
	case OPT_INT:
	case OPT_U64:
	case OPT_SIZE:
	case OPT_UNSIGNED:
		if (!parse_u64(value, &n) || n < o->min || n > o->max) {
			snprintf(errbuf, errcap, "%s: '%s' must be an integer from %llu to %llu",
				 key, value, (unsigned long long)o->min,
				 (unsigned long long)o->max);
			return ZC_ERR_CONFIG;
		}
		if (o->type == OPT_INT)
			*(int *)field = (int)n;
		else if (o->type == OPT_U64)
			*(uint64_t *)field = n;
		else if (o->type == OPT_SIZE)
			*(size_t *)field = (size_t)n;
		else
			*(unsigned *)field = (unsigned)n;
		return ZC_OK;
	}
	return ZC_ERR_CONFIG;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

enum zc_err config_parse(struct zc_config *c, const char *text, size_t len, char *errbuf,
			 size_t errcap)
{
	char line[1024], msg[512];
	size_t pos = 0;
	unsigned lineno = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		if (l >= sizeof(line)) {
			snprintf(errbuf, errcap, "line %u: longer than %zu bytes", lineno,
				 sizeof(line) - 1);
			return ZC_ERR_CONFIG;
		}
		memcpy(line, text + pos, l);
		line[l] = '\0';
		pos += l + (nl ? 1 : 0);
		if (memchr(line, '\0', l)) {
			snprintf(errbuf, errcap, "line %u: NUL byte", lineno);
			return ZC_ERR_CONFIG;
		}
		/* '#' at the start of a line, or after a space or tab, starts a
		 * comment: "port = 8443  # HTTPS" must not make the value "8443  #…". */
		for (char *h = strchr(line, '#'); h; h = strchr(h + 1, '#')) {
			if (h == line || h[-1] == ' ' || h[-1] == '\t') {
				*h = '\0';
				break;
			}
		}
		char *s = trim(line);
		if (*s == '\0')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(errbuf, errcap, "line %u: expected 'key = value'", lineno);
			return ZC_ERR_CONFIG;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (config_set(c, key, value, msg, sizeof(msg)) != ZC_OK) {
			snprintf(errbuf, errcap, "line %u: %s", lineno, msg);
			return ZC_ERR_CONFIG;
		}
	}
	return ZC_OK;
}

enum zc_err config_load(struct zc_config *c, const char *path, char *errbuf, size_t errcap)
{
	static char text[CONFIG_FILE_MAX + 1];
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(errbuf, errcap, "cannot open: %s", strerror(errno));
		return ZC_ERR_CONFIG;
	}
	size_t n = fread(text, 1, sizeof(text), f);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(errbuf, errcap, "cannot read the file");
		return ZC_ERR_CONFIG;
	}
	if (n > CONFIG_FILE_MAX) {
		snprintf(errbuf, errcap, "larger than %d bytes", CONFIG_FILE_MAX);
		return ZC_ERR_CONFIG;
	}
	return config_parse(c, text, n, errbuf, errcap);
}

/* True when one address text equals the other, ignoring the case of IPv6 hex
 * digits and an IPv4-mapped prefix on either side ("::ffff:127.0.0.1" is
 * 127.0.0.1 on a dual-stack socket). */
static bool same_address(const char *a, size_t al, const char *b, size_t bl)
{
	static const char mapped[] = "::ffff:";
	const size_t ml = sizeof(mapped) - 1;
	if (al > ml && strncasecmp(a, mapped, ml) == 0 && memchr(a + ml, '.', al - ml)) {
		a += ml;
		al -= ml;
	}
	if (bl > ml && strncasecmp(b, mapped, ml) == 0 && memchr(b + ml, '.', bl - ml)) {
		b += ml;
		bl -= ml;
	}
	return al == bl && strncasecmp(a, b, al) == 0;
}

bool config_address_allowed(const char *list, const char *addr)
{
	if (strcmp(list, "any") == 0)
		return true;
	size_t al = strlen(addr);
	for (const char *p = list; *p;) {
		p += strspn(p, ", ");
		size_t l = strcspn(p, ", ");
		if (l && same_address(p, l, addr, al))
			return true;
		p += l;
	}
	return false;
}
