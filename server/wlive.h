/* Live workshop sessions: the channel `workshop:<id>` of each workshop, its
 * state (step, poll, quiz, Q&A, chat, reactions, presence), the messages
 * participants and staff send in it, and its event log. Every accepted
 * message is applied in the write queue's transaction — its rows and events
 * stored — then acknowledged, then published (commit, acknowledge, publish).
 * Counters that change often (tallies, votes, reactions, presence) go out as
 * one coalesced `tally` event per tick. */
#ifndef ZC_WLIVE_H
#define ZC_WLIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "bcast.h"
#include "err.h"
#include "jbuf.h"
#include "node.h"
#include "wsmsg.h"

struct store_txn;
struct wlive;

/* Who sends a message: a participant (pid set), staff (role set), a guest. */
struct wlive_actor {
	const unsigned char *pid; /* NULL unless a participant */
	unsigned staff_role;	  /* enum rec_role + 1 for staff, 0 otherwise */
};

/* The answer to one message: status 200 with data (the ack's data object), or
 * an error code and message. Called once, possibly after a commit. */
typedef void (*wlive_reply_fn)(void *owner, int status, const char *code, const char *message,
			       const struct jbuf *data);

struct wlive *wlive_new(struct node *n, size_t headroom, bcast_wake_fn wake, void *wake_arg);
/* Writes the presence of everyone still connected into attendance, then frees. */
void wlive_free(struct wlive *l);

/* The channel of a "workshop:<id>" name (the session is loaded from the store
 * on first use), or NULL when there is no such workshop or it was cancelled. */
struct bcast_channel *wlive_channel(struct node *n, const char *name);
/* A subscription to a workshop channel began or ended (presence, attendance). */
void wlive_joined(struct node *n, struct bcast_channel *ch, const unsigned char *pid);
void wlive_left(struct node *n, struct bcast_channel *ch, const unsigned char *pid);
/* Appends ,"state":{…} (when `state`: a subscribe without `after`; with
 * ,"muted":[…] for a `moderator`, i.e. staff who may mute) and, for a
 * participant, ,"me":{…} to a subscribed reply. */
void wlive_subscribed_json(struct node *n, struct bcast_channel *ch, const unsigned char *pid,
			   bool moderator, bool state, struct jbuf *out);
/* Handles a workshop frame (answer, ask, vote, chat, react, publish). */
void wlive_message(struct node *n, const struct wsmsg *m, const struct wlive_actor *who,
		   wlive_reply_fn reply, void *owner);
/* Every BOARD_PUBLISH_MS: coalesced tallies and quiz timers. */
void wlive_tick(struct node *n);
/* Writes the presence of live sessions into attendance when period_us has
 * passed since their last checkpoint (called every second). */
void wlive_checkpoint(struct node *n, int64_t period_us);
/* True when a session has tallies or presence to send (wlive_tick has work). */
bool wlive_dirty(const struct node *n);
/* The staff changed a workshop (definition, plan, status): reload its copy. */
void wlive_workshop_changed(struct node *n, uint32_t id);
/* Erasure, inside the erasing transaction: the question or chat message
 * (kind 'Q' or 'C', number) loses its text and author, in its row and in the
 * stored event that carried it. */
enum zc_err wlive_scrub_item(struct store_txn *txn, uint32_t id, unsigned kind, uint32_t num);
/* After an erasure committed: forget the participant in loaded sessions. */
void wlive_forget(struct node *n, const unsigned char *pid);

#endif
