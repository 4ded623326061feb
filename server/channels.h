/* The node's WebSocket channels by name: today the six leaderboard state
 * channels, the inter-city board and, with test hooks on, the `test:events` event-log channel. */
#ifndef ZC_CHANNELS_H
#define ZC_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>

#include "bcast.h"
#include "config.h"

struct channels;

/* Creates the channels the configuration calls for. */
struct channels *channels_new(const struct zc_config *cfg, size_t headroom, bcast_wake_fn wake,
			      void *wake_arg);
/* Frees every channel (subscribers are detached first). */
void channels_free(struct channels *c);
/* The channel with this name, or NULL. */
struct bcast_channel *channels_find(struct channels *c, const char *name);

#endif
