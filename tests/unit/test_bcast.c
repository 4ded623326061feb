/* Unit tests for broadcast channels: encode once, wake only idle subscribers,
 * coalesce into batches, lag detection, bounded memory, state skipping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bcast.h"

#define HEAD 16

static int wakes;

static void on_wake(void *owner, void *arg)
{
	(void)owner;
	(void)arg;
	wakes++;
}

static char *take(struct bcast_sub *s, size_t max, enum bcast_next *r)
{
	static char out[1 << 20];
	unsigned char *frame = NULL;
	size_t len = 0;
	*r = bcast_next(s, max, &frame, &len);
	if (*r != BCAST_FRAME)
		return NULL;
	memcpy(out, frame, len);
	out[len] = '\0';
	return out;
}

static void event_then_batch(void **state)
{
	(void)state;
	struct bcast_channel *ch =
	    bcast_channel_new("workshop:7", BCAST_EVENT_LOG, 8, HEAD, on_wake, NULL);
	struct bcast_sub a, b;
	enum bcast_next r;
	wakes = 0;
	assert_int_equal(bcast_subscribe(ch, &a, &a, false, 0), ZC_OK);
	assert_int_equal(bcast_subscribe(ch, &b, &b, false, 0), ZC_OK);
	assert_false(bcast_pending(&a));
	assert_int_equal(bcast_publish(ch, "{\"n\":1}", 7), 1);
	assert_int_equal(wakes, 2);
	/* Busy subscribers are not woken again. */
	assert_int_equal(bcast_publish(ch, "{\"n\":2}", 7), 2);
	assert_int_equal(bcast_publish(ch, "{\"n\":3}", 7), 3);
	assert_int_equal(wakes, 2);
	assert_true(bcast_pending(&a));
	assert_string_equal(
	    take(&a, 65536, &r),
	    "{\"type\":\"batch\",\"channel\":\"workshop:7\",\"events\":[{\"seq\":1,"
	    "\"data\":{\"n\":1}},{\"seq\":2,\"data\":{\"n\":2}},{\"seq\":3,\"data\":{"
	    "\"n\":3}}]}");
	assert_false(bcast_pending(&a));
	assert_null(take(&a, 65536, &r));
	assert_int_equal(r, BCAST_NONE);
	/* b gets the very same batch, from the channel's cache. */
	unsigned char *fa, *fb;
	size_t la, lb;
	bcast_publish(ch, "{\"n\":4}", 7);
	assert_int_equal(bcast_next(&b, 65536, &fb, &lb), BCAST_FRAME);
	assert_int_equal(bcast_next(&a, 65536, &fa, &la), BCAST_FRAME);
	assert_null(take(&a, 65536, &r));
	/* One pending event goes out as its shared event frame. */
	assert_int_equal(la, strlen("{\"type\":\"event\",\"channel\":\"workshop:7\",\"seq\":4,"
				    "\"data\":{\"n\":4}}"));
	assert_memory_equal(fa, "{\"type\":\"event\",\"channel\":\"workshop:7\",\"seq\":4,", 45);
	assert_int_equal(bcast_channel_subscribers(ch), 2);
	bcast_unsubscribe(&a);
	bcast_unsubscribe(&a);
	assert_int_equal(bcast_channel_subscribers(ch), 1);
	bcast_channel_free(ch);
	assert_null(b.ch);
}

static void batch_respects_max_bytes(void **state)
{
	(void)state;
	struct bcast_channel *ch = bcast_channel_new("c", BCAST_EVENT_LOG, 64, HEAD, NULL, NULL);
	struct bcast_sub s;
	enum bcast_next r;
	char data[128];
	bcast_subscribe(ch, &s, &s, false, 0);
	for (int i = 1; i <= 20; i++) {
		int n = snprintf(data, sizeof(data), "{\"i\":%d,\"pad\":\"%040d\"}", i, 0);
		bcast_publish(ch, data, (size_t)n);
	}
	int events = 0, frames = 0;
	char *f;
	while ((f = take(&s, 300, &r)) != NULL) {
		frames++;
		assert_true(strlen(f) <= 300 || strstr(f, "\"type\":\"event\""));
		for (char *p = f; (p = strstr(p, "\"i\":")); p++)
			events++;
	}
	assert_int_equal(events, 20);
	assert_true(frames > 1 && frames < 20);
	bcast_channel_free(ch);
}

static void after_and_lagging(void **state)
{
	(void)state;
	struct bcast_channel *ch = bcast_channel_new("c", BCAST_EVENT_LOG, 4, HEAD, NULL, NULL);
	struct bcast_sub s, late, slow;
	enum bcast_next r;
	bcast_subscribe(ch, &slow, &slow, false, 0);
	for (int i = 0; i < 6; i++)
		bcast_publish(ch, "{}", 2);
	/* Ring of 4 holds seqs 3..6. */
	assert_int_equal(bcast_head(ch), 7);
	assert_int_equal(bcast_oldest(ch), 3);
	assert_int_equal(bcast_subscribe(ch, &s, &s, true, 1), ZC_ERR_LIMIT);
	assert_null(s.ch);
	assert_int_equal(bcast_subscribe(ch, &s, &s, true, 4), ZC_OK);
	char *f = take(&s, 65536, &r);
	assert_non_null(strstr(f, "{\"seq\":5,"));
	assert_non_null(strstr(f, "{\"seq\":6,"));
	assert_null(strstr(f, "{\"seq\":4,"));
	/* after beyond the head is clamped: nothing pending, only new events. */
	assert_int_equal(bcast_subscribe(ch, &late, &late, true, 1000), ZC_OK);
	assert_false(bcast_pending(&late));
	/* The subscriber that never read is now behind the ring. */
	assert_true(bcast_pending(&slow));
	assert_null(take(&slow, 65536, &r));
	assert_int_equal(r, BCAST_LAGGING);
	bcast_channel_free(ch);
}

static void ring_bytes_bounded(void **state)
{
	(void)state;
	static char big[BCAST_DATA_MAX];
	struct bcast_channel *ch =
	    bcast_channel_new("c", BCAST_EVENT_LOG, 100000, HEAD, NULL, NULL);
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 1] = '}';
	for (int i = 0; i < 600; i++)
		assert_true(bcast_publish(ch, big, sizeof(big)) > 0);
	assert_true(bcast_channel_bytes(ch) <= BCAST_RING_BYTES + BCAST_DATA_MAX * 2);
	assert_true(bcast_oldest(ch) > 1);
	assert_int_equal(bcast_publish(ch, big, sizeof(big) + 0), 601);
	bcast_channel_free(ch);
}

static void oversize_refused(void **state)
{
	(void)state;
	static char big[BCAST_DATA_MAX + 1];
	struct bcast_channel *ch = bcast_channel_new("c", BCAST_STATE, 0, HEAD, NULL, NULL);
	assert_int_equal(bcast_publish(ch, big, sizeof(big)), 0);
	assert_int_equal(bcast_publish(ch, "", 0), 0);
	bcast_channel_free(ch);
}

static void state_skips_to_newest(void **state)
{
	(void)state;
	struct bcast_channel *ch =
	    bcast_channel_new("leaderboard:points:individual", BCAST_STATE, 0, HEAD, on_wake, NULL);
	struct bcast_sub s, fresh;
	enum bcast_next r;
	wakes = 0;
	bcast_subscribe(ch, &s, &s, false, 0);
	assert_false(bcast_pending(&s));
	bcast_publish(ch, "{\"v\":1}", 7);
	bcast_publish(ch, "{\"v\":2}", 7);
	bcast_publish(ch, "{\"v\":3}", 7);
	assert_int_equal(wakes, 1);
	assert_string_equal(take(&s, 65536, &r),
			    "{\"type\":\"snapshot\",\"channel\":\"leaderboard:points:individual\","
			    "\"version\":3,\"data\":{\"v\":3}}");
	assert_null(take(&s, 65536, &r));
	/* A new subscriber gets the current snapshot at once. */
	bcast_subscribe(ch, &fresh, &fresh, false, 0);
	assert_true(bcast_pending(&fresh));
	assert_non_null(strstr(take(&fresh, 65536, &r), "\"version\":3"));
	bcast_channel_free(ch);
}

static void restored_head_and_names(void **state)
{
	(void)state;
	struct bcast_channel *ch = bcast_channel_new("c", BCAST_EVENT_LOG, 8, 0, NULL, NULL);
	bcast_set_head(ch, 41);
	assert_int_equal(bcast_publish(ch, "{}", 2), 41);
	bcast_channel_free(ch);
	assert_null(bcast_channel_new("", BCAST_STATE, 0, 0, NULL, NULL));
	assert_null(bcast_channel_new("a\"b", BCAST_STATE, 0, 0, NULL, NULL));
	assert_null(bcast_channel_new("a b", BCAST_STATE, 0, 0, NULL, NULL));
	assert_null(bcast_channel_new("c", BCAST_EVENT_LOG, 0, 0, NULL, NULL));
}

static void batches_cached_per_position(void **state)
{
	(void)state;
	struct bcast_channel *ch = bcast_channel_new("c", BCAST_EVENT_LOG, 64, HEAD, NULL, NULL);
	struct bcast_sub a1, a2, b1, b2;
	unsigned char *fa1, *fa2, *fb1, *fb2;
	size_t la1, la2, lb1, lb2;
	bcast_subscribe(ch, &a1, &a1, false, 0);
	bcast_subscribe(ch, &a2, &a2, false, 0);
	bcast_publish(ch, "{}", 2);
	bcast_publish(ch, "{}", 2);
	bcast_subscribe(ch, &b1, &b1, true, 1);
	bcast_subscribe(ch, &b2, &b2, true, 1);
	bcast_publish(ch, "{}", 2);
	/* Served alternately, as a pass over the sockets would: a at seq 1, b
	 * at seq 2; each position's batch is built once. */
	assert_int_equal(bcast_next(&a1, 65536, &fa1, &la1), BCAST_FRAME);
	assert_int_equal(bcast_next(&b1, 65536, &fb1, &lb1), BCAST_FRAME);
	assert_int_equal(bcast_next(&a2, 65536, &fa2, &la2), BCAST_FRAME);
	assert_int_equal(bcast_next(&b2, 65536, &fb2, &lb2), BCAST_FRAME);
	assert_ptr_equal(fa1, fa2);
	assert_ptr_equal(fb1, fb2);
	assert_ptr_not_equal(fa1, fb1);
	assert_non_null(memmem(fa1, la1, "{\"seq\":1,", 9));
	assert_null(memmem(fb1, lb1, "{\"seq\":1,", 9));
	assert_non_null(memmem(fb1, lb1, "{\"seq\":3,", 9));
	assert_true(bcast_channel_bytes(ch) >= 2 * 4096);
	bcast_channel_free(ch);
}

static void subscription_is_small(void **state)
{
	(void)state;
	/* Connections embed one per subscription slot: idle memory. */
	assert_true(sizeof(struct bcast_sub) <= 5 * sizeof(void *));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(event_then_batch),
	    cmocka_unit_test(batch_respects_max_bytes),
	    cmocka_unit_test(after_and_lagging),
	    cmocka_unit_test(ring_bytes_bounded),
	    cmocka_unit_test(oversize_refused),
	    cmocka_unit_test(state_skips_to_newest),
	    cmocka_unit_test(restored_head_and_names),
	    cmocka_unit_test(batches_cached_per_position),
	    cmocka_unit_test(subscription_is_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
