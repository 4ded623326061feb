/* Unit tests for workshop records: the staff's bodies, plans, the binary
 * record and the public view that never shows the answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "workshop_rec.h"

#define CREATE                                                                                     \
	"{\"title\":{\"fr\":\"Cuisiner\",\"en\":\"Cooking\"},\"kind\":\"hybrid\","                 \
	"\"starts_at\":\"2026-12-03T18:00:00Z\",\"ends_at\":\"2026-12-03T19:30:00Z\","             \
	"\"capacity\":30,\"video_url\":\"https://video.example/w/1\"}"

#define PLAN                                                                                       \
	"{\"items\":[{\"kind\":\"slide\",\"title\":{\"fr\":\"Bienvenue\"},\"body\":{\"fr\":"       \
	"\"L1\\nL2\"}},"                                                                           \
	"{\"kind\":\"poll\",\"question\":{\"fr\":\"Q?\"},\"options\":[{\"fr\":\"a\"},{\"fr\":"     \
	"\"b\"}],"                                                                                 \
	"\"multiple\":true},"                                                                      \
	"{\"kind\":\"quiz\",\"question\":{\"fr\":\"Z?\"},\"options\":[{\"fr\":\"x\"},{\"fr\":"     \
	"\"y\"},"                                                                                  \
	"{\"fr\":\"z\"}],\"correct\":[2],\"seconds\":15,\"points\":20}]}"

static void create_then_round_trip(void **state)
{
	(void)state;
	struct workshop w, back;
	struct ws_problem why;
	struct jbuf rec, view;
	memset(&w, 0, sizeof(w));
	assert_true(workshop_apply_json(&w, CREATE, strlen(CREATE), true, &why));
	assert_int_equal(w.kind, WS_HYBRID);
	assert_int_equal(w.capacity, 30);
	assert_int_equal(w.ends_at - w.starts_at, 5400);
	assert_true(workshop_plan_json(&w, PLAN, strlen(PLAN), &why));
	assert_int_equal(w.nitems, 3);
	assert_int_equal(w.items[2].correct, 1u << 2);
	jbuf_init(&rec, 0);
	workshop_encode(&w, &rec);
	assert_true(workshop_decode(jbuf_data(&rec), rec.len, &back));
	assert_string_equal(back.title.en, "Cooking");
	assert_string_equal(back.items[0].body.fr, "L1\nL2");
	assert_int_equal(back.items[2].points, 20);
	/* A damaged record is refused, not read past its end. */
	struct workshop cut;
	assert_false(workshop_decode(jbuf_data(&rec), rec.len - 1, &cut));
	assert_false(workshop_decode(jbuf_data(&rec), rec.len / 2, &cut));
	/* The public view shows questions, never the correct answers. */
	jbuf_init(&view, 0);
	workshop_json(&back, false, true, &view);
	assert_null(strstr(jbuf_data(&view), "correct"));
	assert_null(strstr(jbuf_data(&view), "checkin_code"));
	jbuf_reset(&view);
	workshop_json(&back, true, true, &view);
	assert_non_null(strstr(jbuf_data(&view), "\"correct\":[2]"));
	jbuf_fini(&view);
	jbuf_fini(&rec);
	workshop_free(&back);
	workshop_free(&w);
}

static void refusals_change_nothing(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "{\"kind\":\"online\",\"starts_at\":\"2026-12-03T18:00:00Z\",\"ends_at\":\"2026-12-"
	    "03T19:"
	    "00:00Z\"}",
	    "{\"title\":{\"en\":\"x\"},\"kind\":\"online\",\"starts_at\":\"2026-12-03T18:00:00Z\","
	    "\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"online\",\"starts_at\":\"2026-12-03T18:00:00Z\","
	    "\"ends_at\":\"2026-12-03T18:00:00Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"online\",\"starts_at\":\"2026-12-03T08:00:00Z\","
	    "\"ends_at\":\"2026-12-03T20:00:01Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"online\",\"capacity\":3,\"starts_at\":\"2026-12-"
	    "03T18:"
	    "00:00Z\",\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"physical\",\"starts_at\":\"2026-12-03T18:00:"
	    "00Z\","
	    "\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"online\",\"video_url\":\"http://"
	    "a.b\",\"starts_at\":"
	    "\"2026-12-03T18:00:00Z\",\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	    "{\"title\":{\"fr\":\"x\"},\"kind\":\"online\",\"starts_at\":\"2026-12-03 18:00:00\","
	    "\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	    "{\"title\":{\"fr\":\"\\u0007\"},\"kind\":\"online\",\"starts_at\":\"2026-12-03T18:00:"
	    "00Z\","
	    "\"ends_at\":\"2026-12-03T19:00:00Z\"}",
	};
	struct ws_problem why;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct workshop w;
		memset(&w, 0, sizeof(w));
		assert_false(workshop_apply_json(&w, bad[i], strlen(bad[i]), true, &why));
		assert_int_equal(why.status, 422);
		assert_null(w.title.fr);
	}
	static const char *const bad_plans[] = {
	    "{\"items\":[{\"kind\":\"poll\",\"question\":{\"fr\":\"Q\"},\"options\":[{\"fr\":\"a\"}"
	    "]}]}",
	    "{\"items\":[{\"kind\":\"quiz\",\"question\":{\"fr\":\"Q\"},\"options\":[{\"fr\":\"a\"}"
	    ",{"
	    "\"fr\":\"b\"}],\"correct\":[2]}]}",
	    "{\"items\":[{\"kind\":\"quiz\",\"question\":{\"fr\":\"Q\"},\"options\":[{\"fr\":\"a\"}"
	    ",{"
	    "\"fr\":\"b\"}]}]}",
	    "{\"items\":[{\"kind\":\"slide\",\"title\":{\"fr\":\"T\"},\"options\":[]}]}",
	    "{\"items\":[{\"kind\":\"poll\",\"question\":{\"fr\":\"Q\"},\"options\":[\"a\",\"b\"]}]"
	    "}",
	    "{\"items\":[{\"kind\":\"video\"}]}",
	};
	struct workshop w;
	memset(&w, 0, sizeof(w));
	assert_true(workshop_apply_json(&w, CREATE, strlen(CREATE), true, &why));
	assert_true(workshop_plan_json(&w, PLAN, strlen(PLAN), &why));
	for (size_t i = 0; i < sizeof(bad_plans) / sizeof(bad_plans[0]); i++) {
		assert_false(workshop_plan_json(&w, bad_plans[i], strlen(bad_plans[i]), &why));
		assert_int_equal(w.nitems, 3);
	}
	/* An item used live is frozen: changing it is a conflict. */
	w.items[1].used = true;
	const char *changed = "{\"items\":[{\"kind\":\"slide\",\"title\":{\"fr\":\"Bienvenue\"}}]}";
	assert_false(workshop_plan_json(&w, changed, strlen(changed), &why));
	assert_int_equal(why.status, 409);
	assert_string_equal(why.code, "item_in_use");
	assert_true(workshop_plan_json(&w, PLAN, strlen(PLAN), &why));
	assert_true(w.items[1].used);
	workshop_free(&w);
}

static void image_names(void **state)
{
	(void)state;
	char name[80];
	const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	snprintf(name, sizeof(name), "%s.png", hex);
	assert_string_equal(ws_image_name_ext(name), ".png");
	snprintf(name, sizeof(name), "%s.jpg", hex);
	assert_string_equal(ws_image_name_ext(name), ".jpg");
	snprintf(name, sizeof(name), "%s.webp", hex);
	assert_string_equal(ws_image_name_ext(name), ".webp");
	static const char *const bad[] = {".jpeg", ".PNG", ".png.", ".pngx", "", ".gif"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", hex, bad[i]);
		assert_null(ws_image_name_ext(name));
	}
	snprintf(name, sizeof(name), "%.63s.png", hex); /* one hex digit short */
	assert_null(ws_image_name_ext(name));
	snprintf(name, sizeof(name), "%sa.png", hex); /* one too many */
	assert_null(ws_image_name_ext(name));
	snprintf(name, sizeof(name), "%s.png", hex);
	name[10] = 'A'; /* uppercase hex */
	assert_null(ws_image_name_ext(name));
	name[10] = '/';
	assert_null(ws_image_name_ext(name));
	assert_null(ws_image_name_ext("../x.png"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(image_names),
	    cmocka_unit_test(create_then_round_trip),
	    cmocka_unit_test(refusals_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
