/* Broadcast channels: each message is encoded once, with headroom for
 * libwebsockets' LWS_PRE, into a per-channel ring; every subscriber keeps only a
 * position. Event-log channels keep the last `ring_size` events (and at most
 * BCAST_RING_BYTES bytes) and report a subscriber that fell behind the ring as
 * lagging; state channels keep only the newest snapshot, so slow subscribers
 * skip to it. Subscribers sit on an idle list (caught up) or a busy list
 * (something pending): publish walks only the idle list, to wake exactly the
 * subscribers that need waking. Pure: no libwebsockets. */
#ifndef ZC_BCAST_H
#define ZC_BCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define BCAST_NAME_MAX	  64	      /* channel name, bytes, NUL excluded */
#define BCAST_DATA_MAX	  65536	      /* one event's or snapshot's data, bytes */
#define BCAST_RING_BYTES  (16u << 20) /* encoded bytes an event-log ring may hold */
#define BCAST_BATCH_SLOTS 4	      /* batches cached per channel, by start position */

enum bcast_kind { BCAST_EVENT_LOG, BCAST_STATE };

struct bcast_channel;

/* One connection's subscription to one channel; the caller embeds it and owns
 * its memory. Fields are private to bcast. */
struct bcast_sub {
	struct bcast_channel *ch;      /* NULL when not subscribed */
	struct bcast_sub *prev, *next; /* the channel's idle or busy list */
	void *owner;		       /* passed to the wake callback */
	uint64_t pos : 63;	       /* event-log: next seq to send; state: version sent */
	uint64_t busy : 1;	       /* on the busy list */
};

/* Called by publish for each subscriber that had nothing pending, so the
 * caller can ask for a writable callback on `owner`. */
typedef void (*bcast_wake_fn)(void *owner, void *arg);

/* Creates a channel. `name` must be 1..BCAST_NAME_MAX bytes of printable ASCII
 * without '"' or '\\'; ring_size is ignored for state channels. Returns NULL
 * for an invalid name or ring size 0. */
struct bcast_channel *bcast_channel_new(const char *name, enum bcast_kind kind, size_t ring_size,
					size_t headroom, bcast_wake_fn wake, void *wake_arg);
/* Frees the channel and its ring; remaining subscribers are detached (their
 * `ch` becomes NULL). */
void bcast_channel_free(struct bcast_channel *ch);

const char *bcast_channel_name(const struct bcast_channel *ch);
enum bcast_kind bcast_channel_kind(const struct bcast_channel *ch);
size_t bcast_channel_subscribers(const struct bcast_channel *ch);
/* Event-log: the seq the next event will get (events are numbered from 1);
 * state: the current snapshot version (0 = no snapshot yet). */
uint64_t bcast_head(const struct bcast_channel *ch);
/* Event-log: the oldest seq still in the ring (== head when empty). */
uint64_t bcast_oldest(const struct bcast_channel *ch);
/* Before any publish: makes the next event's seq (or the next snapshot's
 * version minus one) continue from a channel restored from storage. */
void bcast_set_head(struct bcast_channel *ch, uint64_t next);
/* Bytes the channel holds in encoded messages. */
size_t bcast_channel_bytes(const struct bcast_channel *ch);

/* Publishes data (a JSON object, data_len ≤ BCAST_DATA_MAX, trusted to be valid
 * JSON) and wakes idle subscribers. Event-log: encodes
 * {"type":"event","channel":…,"seq":N,"data":…} and returns N. State: encodes
 * {"type":"snapshot","channel":…,"version":V,"data":…}, replaces the previous
 * snapshot and returns V. Returns 0 when data_len is over the cap. */
uint64_t bcast_publish(struct bcast_channel *ch, const char *data, size_t data_len);

/* Subscribes sub (which must not be subscribed; it is cleared first, so a
 * refused sub has a NULL ch). Event-log: with has_after the
 * first event sent is after+1 (clamped to head); ZC_ERR_LIMIT when after+1 is
 * older than the ring holds (the caller must resync the client another way).
 * Without has_after only new events are sent. State: the current snapshot, if
 * any, is sent first. */
enum zc_err bcast_subscribe(struct bcast_channel *ch, struct bcast_sub *sub, void *owner,
			    bool has_after, uint64_t after);
/* Detaches sub from its channel; harmless when not subscribed. */
void bcast_unsubscribe(struct bcast_sub *sub);

enum bcast_next {
	BCAST_NONE,    /* nothing to send */
	BCAST_FRAME,   /* *frame / *len hold one frame to write */
	BCAST_LAGGING, /* event-log: the subscriber is behind the ring's oldest event */
};

/* True when sub has something to send (or is lagging). O(1). */
bool bcast_pending(const struct bcast_sub *sub);

/* The next frame for sub, and advances its position as if it were written.
 * One pending event is returned as its shared encoded frame; several are
 * coalesced into one {"type":"batch","channel":…,"events":[{"seq":N,"data":…},…]}
 * frame of as many consecutive events as fit in max_bytes (at least one).
 * Batches are cached per channel (BCAST_BATCH_SLOTS start positions), so
 * subscribers at the same position share one encoding. State: the newest
 * snapshot if the subscriber has not had it. The frame is borrowed until the
 * next call on this channel and always has the channel's headroom writable
 * before it. */
enum bcast_next bcast_next(struct bcast_sub *sub, size_t max_bytes, unsigned char **frame,
			   size_t *len);

/* Event-log: replaces the data of event `seq` while the ring still holds it
 * (an erasure scrubs what a participant wrote); subscribers not yet past it
 * get the new text. False when the ring no longer holds it. */
bool bcast_replace(struct bcast_channel *ch, uint64_t seq, const char *data, size_t data_len);

#endif
