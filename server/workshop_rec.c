/* Workshop records: staff JSON in, binary record, JSON views out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recio.h"
#include "timeutil.h"
#include "utf8.h"
#include "workshop_rec.h"

static const char *const kind_names[] = {"online", "physical", "hybrid"};
static const char *const status_names[] = {"scheduled", "live", "ended", "cancelled"};
static const char *const item_names[] = {"slide", "poll", "quiz"};

const char *workshop_kind_name(uint8_t kind)
{
	return kind < 3 ? kind_names[kind] : "online";
}

const char *workshop_status_name(uint8_t status)
{
	return status < 4 ? status_names[status] : "scheduled";
}

static char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static void text_free(struct ws_text *t)
{
	free(t->fr);
	free(t->en);
	t->fr = t->en = NULL;
}

static void text_copy(struct ws_text *dst, const struct ws_text *src)
{
	dst->fr = xstrdup(src->fr);
	dst->en = xstrdup(src->en);
}

static bool text_equal(const struct ws_text *a, const struct ws_text *b)
{
	bool fr = (!a->fr && !b->fr) || (a->fr && b->fr && strcmp(a->fr, b->fr) == 0);
	bool en = (!a->en && !b->en) || (a->en && b->en && strcmp(a->en, b->en) == 0);
	return fr && en;
}

static void item_free(struct ws_item *it)
{
	text_free(&it->title);
	text_free(&it->body);
	for (unsigned i = 0; i < WS_OPTIONS_MAX; i++)
		text_free(&it->options[i]);
}

static void item_copy(struct ws_item *dst, const struct ws_item *src)
{
	*dst = *src;
	text_copy(&dst->title, &src->title);
	text_copy(&dst->body, &src->body);
	for (unsigned i = 0; i < WS_OPTIONS_MAX; i++)
		text_copy(&dst->options[i], &src->options[i]);
}

static bool item_equal(const struct ws_item *a, const struct ws_item *b)
{
	if (a->kind != b->kind || a->noptions != b->noptions || a->multiple != b->multiple ||
	    a->correct != b->correct || a->seconds != b->seconds || a->points != b->points ||
	    strcmp(a->image, b->image) != 0 || !text_equal(&a->title, &b->title) ||
	    !text_equal(&a->body, &b->body))
		return false;
	for (unsigned i = 0; i < a->noptions; i++)
		if (!text_equal(&a->options[i], &b->options[i]))
			return false;
	return true;
}

static void items_free(struct ws_item *items, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		item_free(&items[i]);
	free(items);
}

void workshop_free(struct workshop *w)
{
	text_free(&w->title);
	text_free(&w->description);
	items_free(w->items, w->nitems);
	w->items = NULL;
	w->nitems = 0;
}

void workshop_copy(struct workshop *dst, const struct workshop *src)
{
	*dst = *src;
	text_copy(&dst->title, &src->title);
	text_copy(&dst->description, &src->description);
	dst->items = NULL;
	if (src->nitems) {
		dst->items = calloc(src->nitems, sizeof(*dst->items));
		if (!dst->items)
			abort();
		for (unsigned i = 0; i < src->nitems; i++)
			item_copy(&dst->items[i], &src->items[i]);
	}
}

/* ---- binary record ---- */

static void put_text(struct jbuf *b, const struct ws_text *t)
{
	recio_put_str(b, t->fr ? t->fr : "");
	recio_put_str(b, t->en ? t->en : "");
}

static char *get_dup(struct recio_reader *r, size_t max)
{
	size_t n;
	const char *s = recio_get_strview(r, max, &n);
	if (!r->ok || n == 0)
		return NULL;
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void get_text(struct recio_reader *r, struct ws_text *t, size_t max_cp)
{
	t->fr = get_dup(r, max_cp * 4);
	t->en = get_dup(r, max_cp * 4);
}

void workshop_encode(const struct workshop *w, struct jbuf *out)
{
	recio_put_u8(out, RECIO_FMT_V1);
	recio_put_u32(out, w->id);
	put_text(out, &w->title);
	put_text(out, &w->description);
	recio_put_u8(out, w->kind);
	recio_put_u8(out, w->status);
	recio_put_i64(out, w->starts_at);
	recio_put_i64(out, w->ends_at);
	recio_put_u32(out, w->capacity);
	recio_put_str(out, w->video_url);
	recio_put_str(out, w->checkin_code);
	recio_put_u32(out, w->room);
	recio_put_u32(out, w->waitlisted);
	recio_put_u32(out, w->online);
	recio_put_i64(out, w->created_at);
	recio_put_i64(out, w->live_since);
	recio_put_i64(out, w->ended_at);
	recio_put_u16(out, w->nitems);
	for (unsigned i = 0; i < w->nitems; i++) {
		const struct ws_item *it = &w->items[i];
		recio_put_u8(out, it->kind);
		put_text(out, &it->title);
		put_text(out, &it->body);
		recio_put_str(out, it->image);
		recio_put_u8(out, it->noptions);
		for (unsigned o = 0; o < it->noptions; o++)
			put_text(out, &it->options[o]);
		recio_put_u8(out, it->multiple);
		recio_put_u8(out, it->correct);
		recio_put_u16(out, it->seconds);
		recio_put_u16(out, it->points);
		recio_put_u8(out, it->used);
	}
}

bool workshop_decode(const void *buf, size_t len, struct workshop *w)
{
	struct recio_reader r;
	memset(w, 0, sizeof(*w));
	if (!recio_start(&r, buf, len))
		return false;
	w->id = recio_get_u32(&r);
	get_text(&r, &w->title, WS_TITLE_MAX);
	get_text(&r, &w->description, WS_DESC_MAX);
	w->kind = recio_get_u8(&r);
	w->status = recio_get_u8(&r);
	w->starts_at = recio_get_i64(&r);
	w->ends_at = recio_get_i64(&r);
	w->capacity = recio_get_u32(&r);
	recio_get_str(&r, w->video_url, sizeof(w->video_url));
	recio_get_str(&r, w->checkin_code, sizeof(w->checkin_code));
	w->room = recio_get_u32(&r);
	w->waitlisted = recio_get_u32(&r);
	w->online = recio_get_u32(&r);
	w->created_at = recio_get_i64(&r);
	w->live_since = recio_get_i64(&r);
	w->ended_at = recio_get_i64(&r);
	unsigned n = recio_get_u16(&r);
	if (!r.ok || n > WS_ITEMS_MAX || w->kind > WS_HYBRID || w->status > WS_CANCELLED)
		goto bad;
	if (n) {
		w->items = calloc(n, sizeof(*w->items));
		if (!w->items)
			abort();
	}
	w->nitems = (uint16_t)n;
	for (unsigned i = 0; i < n && r.ok; i++) {
		struct ws_item *it = &w->items[i];
		it->kind = recio_get_u8(&r);
		get_text(&r, &it->title, WS_TITLE_MAX);
		get_text(&r, &it->body, WS_SLIDE_MAX);
		recio_get_str(&r, it->image, sizeof(it->image));
		it->noptions = recio_get_u8(&r);
		if (it->noptions > WS_OPTIONS_MAX || it->kind > WSI_QUIZ)
			goto bad;
		for (unsigned o = 0; o < it->noptions; o++)
			get_text(&r, &it->options[o], WS_OPTION_MAX);
		it->multiple = recio_get_u8(&r) != 0;
		it->correct = recio_get_u8(&r);
		it->seconds = recio_get_u16(&r);
		it->points = recio_get_u16(&r);
		it->used = recio_get_u8(&r) != 0;
	}
	if (!recio_finish(&r) || !w->title.fr)
		goto bad;
	return true;
bad:
	workshop_free(w);
	return false;
}

/* ---- staff JSON in ---- */

static bool problem(struct ws_problem *why, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool problem(struct ws_problem *why, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	why->status = status;
	snprintf(why->code, sizeof(why->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof(why->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool decode_failed(struct ws_problem *why, const struct jdec_error *e)
{
	return problem(why, jdec_http_status(e->status), jdec_code(e->status), "%s", e->message);
}

/* {"fr":…,"en"?:…} from a raw object, each 1..max code points of readable
 * text. */
static bool text_from_raw(const struct jbuf *raw, const char *name, size_t max, bool multiline,
			  struct ws_text *out, struct ws_problem *why);

/* A description may be empty ({"fr":""}): no description. */
static bool desc_from_raw(const struct jbuf *raw, struct ws_text *out, struct ws_problem *why)
{
	if (raw->len == 9 && memcmp(jbuf_data(raw), "{\"fr\":\"\"}", 9) == 0) {
		out->fr = out->en = NULL;
		return true;
	}
	return text_from_raw(raw, "description", WS_DESC_MAX, true, out, why);
}

static bool text_from_raw(const struct jbuf *raw, const char *name, size_t max, bool multiline,
			  struct ws_text *out, struct ws_problem *why)
{
	size_t cap = max * 4 + 1;
	char *fr = malloc(cap), *en = malloc(cap);
	bool has_en = false;
	struct jdec_error e;
	if (!fr || !en)
		abort();
	const struct jdec_field f[] = {
	    {.name = "fr",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = max,
	     .out = fr,
	     .out_cap = cap},
	    {.name = "en",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = max,
	     .out = en,
	     .out_cap = cap,
	     .present = &has_en},
	};
	if (jdec_object(jbuf_data(raw), raw->len, f, 2, &e) != JDEC_OK) {
		problem(why, jdec_http_status(e.status), jdec_code(e.status), "%s.%s", name,
			e.message);
		goto fail;
	}
	if (!utf8_text_ok(fr, (long)max, multiline) ||
	    (has_en && !utf8_text_ok(en, (long)max, multiline))) {
		problem(why, 422, "invalid_field",
			"%s must be readable text of 1 to %zu characters (no control characters)",
			name, max);
		goto fail;
	}
	out->fr = fr;
	if (has_en) {
		out->en = en;
	} else {
		free(en);
		out->en = NULL;
	}
	return true;
fail:
	free(fr);
	free(en);
	return false;
}

static int name_index(const char *const *names, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static bool url_ok(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 || strlen(u) <= 8)
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

bool workshop_apply_json(struct workshop *w, const char *body, size_t len, bool create,
			 struct ws_problem *why)
{
	struct jbuf title, desc;
	char kind[12 * 4 + 1] = "", starts[24 * 4 + 1] = "", ends[24 * 4 + 1] = "";
	char url[WS_URL_MAX * 4 + 1] = "", status[12 * 4 + 1] = "";
	int64_t capacity = 0;
	bool has_title = false, has_desc = false, has_kind = false, has_starts = false;
	bool has_ends = false, has_cap = false, has_url = false, url_null = false;
	bool has_status = false;
	struct ws_text t_title = {0}, t_desc = {0};
	struct jdec_error e;
	bool ok = false;

	jbuf_init(&title, 0);
	jbuf_init(&desc, 0);
	const struct jdec_field f[] = {
	    {.name = "title", .type = JDEC_OBJECT_RAW, .out = &title, .present = &has_title},
	    {.name = "description", .type = JDEC_OBJECT_RAW, .out = &desc, .present = &has_desc},
	    {.name = "kind",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 12,
	     .out = kind,
	     .out_cap = sizeof(kind),
	     .present = &has_kind},
	    {.name = "starts_at",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 24,
	     .out = starts,
	     .out_cap = sizeof(starts),
	     .present = &has_starts},
	    {.name = "ends_at",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 24,
	     .out = ends,
	     .out_cap = sizeof(ends),
	     .present = &has_ends},
	    {.name = "capacity",
	     .type = JDEC_INT,
	     .min = 0,
	     .max = WS_CAPACITY_MAX,
	     .out = &capacity,
	     .present = &has_cap},
	    {.name = "video_url",
	     .type = JDEC_STRING_NULL,
	     .min_len = 1,
	     .max_len = WS_URL_MAX,
	     .out = url,
	     .out_cap = sizeof(url),
	     .present = &has_url,
	     .is_null = &url_null},
	    {.name = "status",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = 12,
	     .out = status,
	     .out_cap = sizeof(status),
	     .present = &has_status},
	};
	if (jdec_object(body, len, f, sizeof(f) / sizeof(f[0]), &e) != JDEC_OK) {
		decode_failed(why, &e);
		goto out;
	}
	if (create) {
		const char *missing = !has_title    ? "title"
				      : !has_kind   ? "kind"
				      : !has_starts ? "starts_at"
				      : !has_ends   ? "ends_at"
						    : NULL;
		if (missing) {
			problem(why, 422, "missing_field", "missing field '%s'", missing);
			goto out;
		}
		if (has_status) {
			problem(why, 422, "unknown_field",
				"status is set by the live session or a PATCH");
			goto out;
		}
	}
	if (has_title && !text_from_raw(&title, "title", WS_TITLE_MAX, false, &t_title, why))
		goto out;
	if (has_desc && !desc_from_raw(&desc, &t_desc, why))
		goto out;
	int k = w->kind;
	if (has_kind) {
		k = name_index(kind_names, 3, kind);
		if (k < 0) {
			problem(why, 422, "invalid_field",
				"kind must be online, physical or hybrid");
			goto out;
		}
		if (!create && k != w->kind) {
			problem(why, 422, "invalid_field",
				"kind cannot change once the workshop exists");
			goto out;
		}
	}
	int64_t s_at = w->starts_at, e_at = w->ends_at;
	if (has_starts && !time_parse_rfc3339(starts, &s_at)) {
		problem(why, 422, "invalid_field", "starts_at must be like 2026-12-03T18:00:00Z");
		goto out;
	}
	if (has_ends && !time_parse_rfc3339(ends, &e_at)) {
		problem(why, 422, "invalid_field", "ends_at must be like 2026-12-03T19:30:00Z");
		goto out;
	}
	if (e_at <= s_at || e_at - s_at > WS_LENGTH_MAX_S) {
		problem(why, 422, "invalid_field",
			"ends_at must be after starts_at, at most 12 hours later");
		goto out;
	}
	uint32_t cap = has_cap ? (uint32_t)capacity : (create ? 0 : w->capacity);
	if (k == WS_ONLINE && cap != 0) {
		problem(why, 422, "invalid_field",
			"capacity is for a room: an online workshop has none");
		goto out;
	}
	if (k != WS_ONLINE && cap == 0) {
		problem(why, 422, "invalid_field", "capacity must be 1 to %d seats for a room",
			WS_CAPACITY_MAX);
		goto out;
	}
	if (has_url && !url_null && (!url_ok(url) || strlen(url) > WS_URL_MAX)) {
		problem(why, 422, "invalid_field",
			"video_url must be an https:// URL of at most %d bytes", WS_URL_MAX);
		goto out;
	}
	int st = w->status;
	if (has_status) {
		if (strcmp(status, "cancelled") != 0) {
			problem(why, 422, "invalid_field",
				"status may only be set to cancelled (the live session sets the "
				"others)");
			goto out;
		}
		st = WS_CANCELLED;
	}

	/* Every field checked: apply. */
	if (has_title) {
		text_free(&w->title);
		w->title = t_title;
		t_title = (struct ws_text){0};
	}
	if (has_desc) {
		text_free(&w->description);
		w->description = t_desc;
		t_desc = (struct ws_text){0};
	}
	w->kind = (uint8_t)k;
	w->starts_at = s_at;
	w->ends_at = e_at;
	w->capacity = cap;
	if (has_url) {
		/* url_ok() let through ASCII only: at most WS_URL_MAX bytes. */
		size_t ul = url_null ? 0 : strlen(url);
		memcpy(w->video_url, url, ul);
		w->video_url[ul] = '\0';
	}
	w->status = (uint8_t)st;
	ok = true;
out:
	text_free(&t_title);
	text_free(&t_desc);
	jbuf_fini(&title);
	jbuf_fini(&desc);
	return ok;
}

/* One plan item from its JSON object. */
static bool item_from_json(const char *s, size_t len, unsigned idx, struct ws_item *it,
			   struct ws_problem *why)
{
	struct jbuf title, question, body, options;
	char kind[8 * 4 + 1] = "", image[WS_IMAGE_MAX * 4 + 1] = "";
	int64_t correct[WS_OPTIONS_MAX], seconds = 20, points = 10;
	size_t ncorrect = 0;
	bool has_title = false, has_question = false, has_body = false, has_image = false;
	bool has_options = false, has_multiple = false, has_correct = false, has_seconds = false;
	bool has_points = false, multiple = false;
	struct jdec_error e;
	bool ok = false;
	char where[32];
	snprintf(where, sizeof(where), "items[%u]", idx);

	memset(it, 0, sizeof(*it));
	jbuf_init(&title, 0);
	jbuf_init(&question, 0);
	jbuf_init(&body, 0);
	jbuf_init(&options, 0);
	const struct jdec_field f[] = {
	    {.name = "kind",
	     .type = JDEC_STRING,
	     .required = true,
	     .min_len = 1,
	     .max_len = 8,
	     .out = kind,
	     .out_cap = sizeof(kind)},
	    {.name = "title", .type = JDEC_OBJECT_RAW, .out = &title, .present = &has_title},
	    {.name = "question",
	     .type = JDEC_OBJECT_RAW,
	     .out = &question,
	     .present = &has_question},
	    {.name = "body", .type = JDEC_OBJECT_RAW, .out = &body, .present = &has_body},
	    {.name = "image",
	     .type = JDEC_STRING,
	     .min_len = 1,
	     .max_len = WS_IMAGE_MAX,
	     .out = image,
	     .out_cap = sizeof(image),
	     .present = &has_image},
	    {.name = "options",
	     .type = JDEC_ARRAY_RAW,
	     .max_len = WS_OPTIONS_MAX,
	     .out = &options,
	     .present = &has_options},
	    {.name = "multiple", .type = JDEC_BOOL, .out = &multiple, .present = &has_multiple},
	    {.name = "correct",
	     .type = JDEC_INT_ARRAY,
	     .min = 0,
	     .max = WS_OPTIONS_MAX - 1,
	     .max_len = WS_OPTIONS_MAX,
	     .out = correct,
	     .count = &ncorrect,
	     .present = &has_correct},
	    {.name = "seconds",
	     .type = JDEC_INT,
	     .min = 5,
	     .max = 120,
	     .out = &seconds,
	     .present = &has_seconds},
	    {.name = "points",
	     .type = JDEC_INT,
	     .min = 1,
	     .max = 100,
	     .out = &points,
	     .present = &has_points},
	};
	if (jdec_object(s, len, f, sizeof(f) / sizeof(f[0]), &e) != JDEC_OK) {
		problem(why, jdec_http_status(e.status), jdec_code(e.status), "%s: %s", where,
			e.message);
		goto out;
	}
	int k = name_index(item_names, 3, kind);
	if (k < 0) {
		problem(why, 422, "invalid_field", "%s.kind must be slide, poll or quiz", where);
		goto out;
	}
	it->kind = (uint8_t)k;
	/* Which fields each kind takes. */
	const char *stray = NULL;
	if (k == WSI_SLIDE)
		stray = has_question   ? "question"
			: has_options  ? "options"
			: has_multiple ? "multiple"
			: has_correct  ? "correct"
			: has_seconds  ? "seconds"
			: has_points   ? "points"
				       : NULL;
	else
		stray = has_title   ? "title"
			: has_body  ? "body"
			: has_image ? "image"
			: k == WSI_POLL && (has_correct || has_seconds || has_points)
			    ? (has_correct   ? "correct"
			       : has_seconds ? "seconds"
					     : "points")
			: k == WSI_QUIZ && has_multiple ? "multiple"
							: NULL;
	if (stray) {
		problem(why, 422, "unknown_field", "%s: a %s does not take '%s'", where, kind,
			stray);
		goto out;
	}
	if (k == WSI_SLIDE) {
		if (!has_title) {
			problem(why, 422, "missing_field", "%s: missing field 'title'", where);
			goto out;
		}
		if (!text_from_raw(&title, "title", WS_TITLE_MAX, false, &it->title, why))
			goto out;
		if (has_body && !text_from_raw(&body, "body", WS_SLIDE_MAX, true, &it->body, why))
			goto out;
		if (has_image) {
			size_t n = strlen(image);
			if (!ws_image_name_ext(image)) {
				problem(why, 422, "invalid_field",
					"%s.image must be a name returned by the image upload",
					where);
				goto out;
			}
			memcpy(it->image, image, n + 1); /* n ≤ 69 < sizeof(it->image) */
		}
		ok = true;
		goto out;
	}
	if (!has_question || !has_options) {
		problem(why, 422, "missing_field", "%s: missing field '%s'", where,
			!has_question ? "question" : "options");
		goto out;
	}
	if (!text_from_raw(&question, "question", WS_TITLE_MAX, false, &it->title, why))
		goto out;
	const char *starts[WS_OPTIONS_MAX];
	size_t lens[WS_OPTIONS_MAX];
	size_t n = jdec_array_items(jbuf_data(&options), options.len, starts, lens, WS_OPTIONS_MAX);
	size_t max = k == WSI_QUIZ ? WS_QUIZ_OPTIONS : WS_OPTIONS_MAX;
	if (n < 2 || n > max) {
		problem(why, 422, "invalid_field", "%s.options must hold 2 to %zu options", where,
			max);
		goto out;
	}
	for (size_t o = 0; o < n; o++) {
		struct jbuf one;
		jbuf_init(&one, 0);
		jbuf_put(&one, starts[o], lens[o]);
		bool is_obj = lens[o] > 0 && starts[o][0] == '{';
		bool got = is_obj && text_from_raw(&one, "option", WS_OPTION_MAX, false,
						   &it->options[o], why);
		jbuf_fini(&one);
		if (!is_obj) {
			problem(why, 422, "wrong_type", "%s.options[%zu] must be {\"fr\",\"en\"}",
				where, o);
			goto out;
		}
		if (!got)
			goto out;
	}
	it->noptions = (uint8_t)n;
	it->multiple = multiple;
	if (k == WSI_QUIZ) {
		if (!has_correct || ncorrect == 0) {
			problem(why, 422, "missing_field", "%s: a quiz needs 'correct' (1 or more)",
				where);
			goto out;
		}
		for (size_t c = 0; c < ncorrect; c++) {
			if ((size_t)correct[c] >= n) {
				problem(why, 422, "invalid_field",
					"%s.correct names option %lld of %zu", where,
					(long long)correct[c], n);
				goto out;
			}
			it->correct |= (uint8_t)(1u << correct[c]);
		}
		it->seconds = (uint16_t)seconds;
		it->points = (uint16_t)points;
	}
	ok = true;
out:
	if (!ok)
		item_free(it);
	jbuf_fini(&title);
	jbuf_fini(&question);
	jbuf_fini(&body);
	jbuf_fini(&options);
	return ok;
}

bool workshop_plan_json(struct workshop *w, const char *body, size_t len, struct ws_problem *why)
{
	struct jbuf arr;
	struct jdec_error e;
	bool ok = false;
	struct ws_item *items = NULL;
	size_t n = 0;
	jbuf_init(&arr, 0);
	const struct jdec_field f[] = {
	    {.name = "items",
	     .type = JDEC_ARRAY_RAW,
	     .required = true,
	     .max_len = WS_ITEMS_MAX,
	     .out = &arr},
	};
	if (jdec_object(body, len, f, 1, &e) != JDEC_OK) {
		decode_failed(why, &e);
		goto out;
	}
	const char **starts = calloc(WS_ITEMS_MAX, sizeof(*starts));
	size_t *lens = calloc(WS_ITEMS_MAX, sizeof(*lens));
	if (!starts || !lens)
		abort();
	n = jdec_array_items(jbuf_data(&arr), arr.len, starts, lens, WS_ITEMS_MAX);
	items = n ? calloc(n, sizeof(*items)) : NULL;
	if (n && !items)
		abort();
	size_t done = 0;
	for (; done < n; done++) {
		if (lens[done] == 0 || starts[done][0] != '{') {
			problem(why, 422, "wrong_type", "items[%zu] must be an object", done);
			break;
		}
		if (!item_from_json(starts[done], lens[done], (unsigned)done, &items[done], why))
			break;
		if (done < w->nitems && w->items[done].used) {
			if (!item_equal(&items[done], &w->items[done])) {
				item_free(&items[done]);
				problem(
				    why, 409, "item_in_use",
				    "items[%zu] was already used in the live session and cannot "
				    "change",
				    done);
				break;
			}
			items[done].used = true;
		}
	}
	free(starts);
	free(lens);
	if (done < n) {
		items_free(items, (unsigned)done);
		items = NULL;
		goto out;
	}
	for (size_t i = n; i < w->nitems; i++) {
		if (w->items[i].used) {
			items_free(items, (unsigned)n);
			items = NULL;
			problem(why, 409, "item_in_use",
				"items[%zu] was already used in the live session and cannot be "
				"removed",
				i);
			goto out;
		}
	}
	items_free(w->items, w->nitems);
	w->items = items;
	w->nitems = (uint16_t)n;
	ok = true;
out:
	jbuf_fini(&arr);
	return ok;
}

/* ---- JSON out ---- */

void workshop_text_json(const struct ws_text *t, struct jbuf *out)
{
	jbuf_puts(out, "{\"fr\":");
	jbuf_json_str(out, t->fr ? t->fr : "");
	if (t->en) {
		jbuf_json_key(out, "en");
		jbuf_json_str(out, t->en);
	}
	jbuf_putc(out, '}');
}

void workshop_item_json(const struct ws_item *it, unsigned index, bool staff, struct jbuf *out)
{
	jbuf_puts(out, "{\"item\":");
	jbuf_json_int(out, index);
	jbuf_json_key(out, "kind");
	jbuf_json_str(out, item_names[it->kind]);
	workshop_item_fields(it, staff, out);
	jbuf_putc(out, '}');
}

void workshop_item_fields(const struct ws_item *it, bool staff, struct jbuf *out)
{
	if (it->kind == WSI_SLIDE) {
		jbuf_json_key(out, "title");
		workshop_text_json(&it->title, out);
		if (it->body.fr) {
			jbuf_json_key(out, "body");
			workshop_text_json(&it->body, out);
		}
		if (it->image[0]) {
			jbuf_json_key(out, "image");
			jbuf_json_str(out, it->image);
		}
	} else {
		jbuf_json_key(out, "question");
		workshop_text_json(&it->title, out);
		jbuf_json_key(out, "options");
		jbuf_putc(out, '[');
		for (unsigned o = 0; o < it->noptions; o++) {
			if (o)
				jbuf_putc(out, ',');
			workshop_text_json(&it->options[o], out);
		}
		jbuf_putc(out, ']');
		if (it->kind == WSI_POLL) {
			jbuf_json_key(out, "multiple");
			jbuf_json_bool(out, it->multiple);
		} else {
			jbuf_json_key(out, "seconds");
			jbuf_json_int(out, it->seconds);
			jbuf_json_key(out, "points");
			jbuf_json_int(out, it->points);
			if (staff) {
				jbuf_json_key(out, "correct");
				jbuf_putc(out, '[');
				bool first = true;
				for (unsigned o = 0; o < it->noptions; o++) {
					if (!(it->correct & (1u << o)))
						continue;
					if (!first)
						jbuf_putc(out, ',');
					first = false;
					jbuf_json_int(out, o);
				}
				jbuf_putc(out, ']');
			}
		}
	}
	if (staff) {
		jbuf_json_key(out, "used");
		jbuf_json_bool(out, it->used);
	}
}

void workshop_json(const struct workshop *w, bool staff, bool with_plan, struct jbuf *out)
{
	char t[TIME_RFC3339_LEN];
	jbuf_puts(out, "{\"id\":");
	jbuf_json_int(out, w->id);
	jbuf_json_key(out, "title");
	workshop_text_json(&w->title, out);
	jbuf_json_key(out, "description");
	if (w->description.fr)
		workshop_text_json(&w->description, out);
	else
		jbuf_puts(out, "null");
	jbuf_json_key(out, "kind");
	jbuf_json_str(out, workshop_kind_name(w->kind));
	time_rfc3339(w->starts_at, t);
	jbuf_json_key(out, "starts_at");
	jbuf_json_str(out, t);
	time_rfc3339(w->ends_at, t);
	jbuf_json_key(out, "ends_at");
	jbuf_json_str(out, t);
	jbuf_json_key(out, "capacity");
	jbuf_json_int(out, w->capacity);
	jbuf_json_key(out, "video_url");
	jbuf_json_str(out, w->video_url[0] ? w->video_url : NULL);
	jbuf_json_key(out, "status");
	jbuf_json_str(out, workshop_status_name(w->status));
	jbuf_json_key(out, "room_registered");
	jbuf_json_int(out, w->room);
	jbuf_json_key(out, "waitlisted");
	jbuf_json_int(out, w->waitlisted);
	jbuf_json_key(out, "online_registered");
	jbuf_json_int(out, w->online);
	jbuf_json_key(out, "seats_left");
	jbuf_json_int(out, w->capacity > w->room ? w->capacity - w->room : 0);
	if (staff) {
		jbuf_json_key(out, "checkin_code");
		jbuf_json_str(out, w->kind == WS_ONLINE ? NULL : w->checkin_code);
	}
	if (with_plan) {
		jbuf_json_key(out, "plan");
		jbuf_putc(out, '[');
		for (unsigned i = 0; i < w->nitems; i++) {
			if (i)
				jbuf_putc(out, ',');
			workshop_item_json(&w->items[i], i, staff, out);
		}
		jbuf_putc(out, ']');
	}
	/* left open: the caller adds its fields and the closing brace */
}

const char *ws_image_name_ext(const char *name)
{
	static const char *const exts[] = {".png", ".jpg", ".webp"};
	for (size_t i = 0; i < 64; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return NULL; /* also stops at a NUL: shorter names */
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(name + 64, exts[i]) == 0)
			return exts[i];
	return NULL;
}
