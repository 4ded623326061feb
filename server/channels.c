/* Channel registry. Channels are few and fixed for now, so a small array
 * searched linearly is the simplest correct index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels.h"

#define CHANNELS_MAX 16

struct channels {
	struct bcast_channel *ch[CHANNELS_MAX];
	size_t n;
};

static void add(struct channels *c, const char *name, enum bcast_kind kind, size_t ring,
		size_t headroom, bcast_wake_fn wake, void *arg)
{
	struct bcast_channel *ch = bcast_channel_new(name, kind, ring, headroom, wake, arg);
	if (!ch || c->n == CHANNELS_MAX)
		abort(); /* names and counts here are compile-time constants */
	c->ch[c->n++] = ch;
}

struct channels *channels_new(const struct zc_config *cfg, size_t headroom, bcast_wake_fn wake,
			      void *wake_arg)
{
	static const char *const boards[] = {"points", "co2e"};
	static const char *const scopes[] = {"individual", "team", "neighbourhood"};
	struct channels *c = calloc(1, sizeof(*c));
	char name[BCAST_NAME_MAX + 1];
	if (!c)
		abort();
	for (size_t b = 0; b < 2; b++) {
		for (size_t s = 0; s < 3; s++) {
			snprintf(name, sizeof(name), "leaderboard:%s:%s", boards[b], scopes[s]);
			add(c, name, BCAST_STATE, 1, headroom, wake, wake_arg);
		}
	}
	add(c, "intercity", BCAST_STATE, 1, headroom, wake, wake_arg);
	if (cfg->test_hooks) {
		add(c, "test:events", BCAST_EVENT_LOG, cfg->ws_ring_size, headroom, wake, wake_arg);
		add(c, "test:state", BCAST_STATE, 1, headroom, wake, wake_arg);
	}
	return c;
}

void channels_free(struct channels *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		bcast_channel_free(c->ch[i]);
	free(c);
}

struct bcast_channel *channels_find(struct channels *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(bcast_channel_name(c->ch[i]), name) == 0)
			return c->ch[i];
	return NULL;
}
