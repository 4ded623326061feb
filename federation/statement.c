/* zcfed/1 weekly statements: building the canonical payload and checking a
 * received one field by field (canonical JSON rules are canon.c's). */
#include <string.h>

#include <sodium.h>

#include "b64url.h"
#include "canon.h"
#include "statement.h"
#include "timeutil.h"

#define STMT_TYPE "zcfed.week"

static const char *const top_keys[] = {"city",	     "issued_at", "keyid",   "metrics", "origin",
				       "population", "prev",	  "privacy", "season",	"seq",
				       "suppressed", "type",	  "v",	     "week"};
static const char *const privacy_keys[] = {"mechanism", "metrics", "suppress_below"};
static const char *const param_keys[] = {"clip", "epsilon_milli"};

void stmt_hash(const unsigned char *payload, size_t n, unsigned char out[STMT_HASH_BYTES])
{
	crypto_hash_sha256(out, payload, n);
}

static bool zero_hash(const unsigned char h[STMT_HASH_BYTES])
{
	static const unsigned char zero[STMT_HASH_BYTES];
	return memcmp(h, zero, STMT_HASH_BYTES) == 0;
}

bool stmt_encode(const struct fed_stmt *s, struct jbuf *out)
{
	struct canon_doc *d = canon_new();
	if (!d)
		return false;
	struct canon_value *root = canon_new_object(d), *privacy = canon_new_object(d),
			   *params = canon_new_object(d), *metrics = NULL;
	char prev[64] = "", week[TIME_WEEK_LEN];
	bool ok = root && privacy && params;
	if (!zero_hash(s->prev))
		b64url_encode(s->prev, STMT_HASH_BYTES, prev, sizeof(prev));
	time_format_week(s->week, week);
	for (unsigned i = 0; ok && i < DP_METRICS; i++) {
		struct canon_value *p = canon_new_object(d);
		ok = p && canon_set_int(d, p, "clip", s->privacy[i].clip) &&
		     canon_set_int(d, p, "epsilon_milli", s->privacy[i].eps_milli) &&
		     canon_set(d, params, dp_default_metrics[i].name, p);
	}
	if (ok && !s->suppressed) {
		metrics = canon_new_object(d);
		for (unsigned i = 0; metrics && i < DP_METRICS; i++)
			ok = ok &&
			     canon_set_int(d, metrics, dp_default_metrics[i].name, s->metric[i]);
		ok = ok && metrics && canon_set(d, root, "metrics", metrics);
	} else if (ok) {
		ok = canon_set_null(d, root, "metrics");
	}
	ok = ok && canon_set_str(d, privacy, "mechanism", "discrete_laplace", 16) &&
	     canon_set(d, privacy, "metrics", params) &&
	     canon_set_int(d, privacy, "suppress_below", s->suppress_below) &&
	     canon_set_str(d, root, "city", s->city, strlen(s->city)) &&
	     canon_set_int(d, root, "issued_at", s->issued_at) &&
	     canon_set_str(d, root, "keyid", s->keyid, strlen(s->keyid)) &&
	     canon_set_str(d, root, "origin", s->origin, strlen(s->origin)) &&
	     canon_set_int(d, root, "population", s->population) &&
	     canon_set_str(d, root, "prev", prev, strlen(prev)) &&
	     canon_set(d, root, "privacy", privacy) &&
	     canon_set_str(d, root, "season", s->season, strlen(s->season)) &&
	     canon_set_int(d, root, "seq", (int64_t)s->seq) &&
	     canon_set_bool(d, root, "suppressed", s->suppressed) &&
	     canon_set_str(d, root, "type", STMT_TYPE, strlen(STMT_TYPE)) &&
	     canon_set_int(d, root, "v", STMT_VERSION) &&
	     canon_set_str(d, root, "week", week, strlen(week)) && canon_write(root, out);
	canon_free(d);
	return ok;
}

/* An integer field within [min, max]. */
static bool get_range(const struct canon_value *o, const char *key, int64_t min, int64_t max,
		      int64_t *out)
{
	return canon_get_int(o, key, out) && *out >= min && *out <= max;
}

/* A string field copied into out (cap bytes, NUL included); false when absent,
 * not a string or too long. */
static bool get_text(const struct canon_value *o, const char *key, char *out, size_t cap)
{
	size_t len;
	const char *s = canon_get_str(o, key, &len);
	if (!s || len >= cap)
		return false;
	memcpy(out, s, len + 1);
	return true;
}

#define BAD(field)                                                                                 \
	do {                                                                                       \
		if (detail)                                                                        \
			*detail = field;                                                           \
		code = "bad_statement";                                                            \
		goto out;                                                                          \
	} while (0)

const char *stmt_decode(const unsigned char *payload, size_t n, struct fed_stmt *out,
			const char **detail)
{
	struct canon_doc *doc = NULL;
	const char *code = NULL;
	char text[64];
	int64_t v;
	memset(out, 0, sizeof(*out));
	if (detail)
		*detail = "";
	if (n > STMT_PAYLOAD_MAX) {
		if (detail)
			*detail = "payload";
		return "payload_too_large";
	}
	enum canon_err ce = canon_parse((const char *)payload, n, &doc, NULL);
	if (ce != CANON_OK) {
		if (detail)
			*detail = canon_err_name(ce);
		return "payload_not_canonical";
	}
	const struct canon_value *root = canon_root(doc), *m, *p, *pm;
	if (canon_type(root) != CANON_OBJECT)
		BAD("payload");
	const char *extra =
	    canon_unknown_key(root, top_keys, sizeof(top_keys) / sizeof(top_keys[0]));
	if (extra)
		BAD("unknown_field");
	if (!get_range(root, "v", STMT_VERSION, STMT_VERSION, &v))
		BAD("v");
	if (!get_text(root, "type", text, sizeof(text)) || strcmp(text, STMT_TYPE) != 0)
		BAD("type");
	if (!get_text(root, "origin", out->origin, sizeof(out->origin)) ||
	    !config_origin_name_valid(out->origin))
		BAD("origin");
	if (!get_text(root, "city", out->city, sizeof(out->city)) || !out->city[0])
		BAD("city");
	if (!get_range(root, "seq", 1, INT64_C(9007199254740991), &v))
		BAD("seq");
	out->seq = (uint64_t)v;
	if (!get_text(root, "prev", text, sizeof(text)))
		BAD("prev");
	if (out->seq == 1
		? text[0] != '\0'
		: b64url_decode(text, strlen(text), out->prev, STMT_HASH_BYTES) != STMT_HASH_BYTES)
		BAD("prev");
	if (!get_range(root, "issued_at", 0, INT64_C(9007199254740991), &out->issued_at))
		BAD("issued_at");
	if (!get_text(root, "keyid", out->keyid, sizeof(out->keyid)) ||
	    strlen(out->keyid) != DSSE_KEYID_LEN)
		BAD("keyid");
	if (!get_text(root, "season", out->season, sizeof(out->season)))
		BAD("season");
	if (!get_text(root, "week", text, sizeof(text)) || !time_parse_week(text, &out->week))
		BAD("week");
	if (!get_range(root, "population", 1, 100000000, &v))
		BAD("population");
	out->population = (uint32_t)v;
	if (!(p = canon_get(root, "suppressed")) || !canon_bool(p, &out->suppressed))
		BAD("suppressed");
	m = canon_get(root, "metrics");
	if (!m || (out->suppressed ? canon_type(m) != CANON_NULL : canon_type(m) != CANON_OBJECT))
		BAD("metrics");
	if (!out->suppressed) {
		const char *names[DP_METRICS];
		for (unsigned i = 0; i < DP_METRICS; i++)
			names[i] = dp_default_metrics[i].name;
		if ((extra = canon_unknown_key(m, names, DP_METRICS)))
			BAD("unknown_field");
		for (unsigned i = 0; i < DP_METRICS; i++)
			if (!get_range(m, names[i], -INT64_C(9007199254740991),
				       INT64_C(9007199254740991), &out->metric[i]))
				BAD(names[i]);
	}
	p = canon_get(root, "privacy");
	if (!p || canon_type(p) != CANON_OBJECT ||
	    canon_unknown_key(p, privacy_keys, sizeof(privacy_keys) / sizeof(privacy_keys[0])))
		BAD("privacy");
	if (!get_text(p, "mechanism", text, sizeof(text)) || strcmp(text, "discrete_laplace") != 0)
		BAD("privacy.mechanism");
	if (!get_range(p, "suppress_below", 0, 1000000, &v))
		BAD("privacy.suppress_below");
	out->suppress_below = (uint32_t)v;
	pm = canon_get(p, "metrics");
	if (!pm || canon_type(pm) != CANON_OBJECT || canon_count(pm) != DP_METRICS)
		BAD("privacy.metrics");
	for (unsigned i = 0; i < DP_METRICS; i++) {
		const struct canon_value *q = canon_get(pm, dp_default_metrics[i].name);
		int64_t clip, eps;
		if (!q || canon_type(q) != CANON_OBJECT || canon_unknown_key(q, param_keys, 2) ||
		    !get_range(q, "clip", 1, UINT32_MAX, &clip) ||
		    !get_range(q, "epsilon_milli", 1, 1000000, &eps))
			BAD("privacy.metrics");
		out->privacy[i].name = dp_default_metrics[i].name;
		out->privacy[i].clip = (uint32_t)clip;
		out->privacy[i].eps_milli = (uint32_t)eps;
	}
out:
	canon_free(doc);
	return code;
}
