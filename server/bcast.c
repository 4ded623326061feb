/* The fan-out core. Freeing ring entries needs no subscriber walk: an entry
 * dies when its slot is reused or the byte cap pushes it out, and a subscriber
 * whose position is then older than the ring is lagging — detected in O(1)
 * when it next asks for a frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bcast.h"

struct bcast_msg {
	unsigned char *mem; /* headroom, then the encoded frame */
	size_t len;	    /* frame bytes */
	size_t data_off;    /* where the data object starts in the frame */
	size_t data_len;
	uint64_t seq;
};

struct bcast_list {
	struct bcast_sub *first;
};

/* One coalesced frame of the events [from, to), built for max bytes. */
struct bcast_batch {
	unsigned char *mem; /* headroom, then the frame */
	size_t cap, len;
	uint64_t from, to;
	size_t max;
	bool capped; /* it stopped before the head for lack of room */
};

struct bcast_channel {
	char name[BCAST_NAME_MAX + 1];
	char name_json[BCAST_NAME_MAX + 3]; /* the name quoted, ready to copy */
	enum bcast_kind kind;
	size_t headroom;
	bcast_wake_fn wake;
	void *wake_arg;
	struct bcast_list idle, busy;
	size_t nsubs;
	/* event-log */
	struct bcast_msg *ring;
	size_t ring_size;
	uint64_t head, oldest; /* next seq; oldest seq held */
	size_t bytes;
	/* state */
	struct bcast_msg snap;
	uint64_t version;
	/* the last batches built: in one pass, subscribers served before a
	 * publish and those a slow socket held back sit at other positions than
	 * the rest, interleaved in the order lws serves sockets */
	struct bcast_batch batch[BCAST_BATCH_SLOTS];
	unsigned batch_next; /* the slot the next build replaces */
};

static bool name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > BCAST_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] < 0x21 || name[i] > 0x7e || name[i] == '"' || name[i] == '\\')
			return false;
	return true;
}

struct bcast_channel *bcast_channel_new(const char *name, enum bcast_kind kind, size_t ring_size,
					size_t headroom, bcast_wake_fn wake, void *wake_arg)
{
	if (!name_valid(name) || (kind == BCAST_EVENT_LOG && ring_size == 0))
		return NULL;
	struct bcast_channel *ch = calloc(1, sizeof(*ch));
	if (!ch)
		abort();
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	snprintf(ch->name_json, sizeof(ch->name_json), "\"%s\"", name);
	ch->kind = kind;
	ch->headroom = headroom;
	ch->wake = wake;
	ch->wake_arg = wake_arg;
	ch->head = ch->oldest = 1;
	if (kind == BCAST_EVENT_LOG) {
		ch->ring = calloc(ring_size, sizeof(*ch->ring));
		if (!ch->ring)
			abort();
		ch->ring_size = ring_size;
	}
	return ch;
}

static void list_remove(struct bcast_list *l, struct bcast_sub *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		l->first = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

static void list_push(struct bcast_list *l, struct bcast_sub *s)
{
	s->prev = NULL;
	s->next = l->first;
	if (l->first)
		l->first->prev = s;
	l->first = s;
}

static void detach_all(struct bcast_list *l)
{
	struct bcast_sub *s = l->first;
	while (s) {
		struct bcast_sub *next = s->next;
		s->ch = NULL;
		s->prev = s->next = NULL;
		s->busy = false;
		s = next;
	}
	l->first = NULL;
}

static void msg_free(struct bcast_msg *m)
{
	free(m->mem);
	memset(m, 0, sizeof(*m));
}

void bcast_channel_free(struct bcast_channel *ch)
{
	if (!ch)
		return;
	detach_all(&ch->idle);
	detach_all(&ch->busy);
	for (size_t i = 0; i < ch->ring_size; i++)
		msg_free(&ch->ring[i]);
	free(ch->ring);
	msg_free(&ch->snap);
	for (unsigned i = 0; i < BCAST_BATCH_SLOTS; i++)
		free(ch->batch[i].mem);
	free(ch);
}

const char *bcast_channel_name(const struct bcast_channel *ch)
{
	return ch->name;
}

enum bcast_kind bcast_channel_kind(const struct bcast_channel *ch)
{
	return ch->kind;
}

size_t bcast_channel_subscribers(const struct bcast_channel *ch)
{
	return ch->nsubs;
}

uint64_t bcast_head(const struct bcast_channel *ch)
{
	return ch->kind == BCAST_EVENT_LOG ? ch->head : ch->version;
}

uint64_t bcast_oldest(const struct bcast_channel *ch)
{
	return ch->oldest;
}

void bcast_set_head(struct bcast_channel *ch, uint64_t next)
{
	if (next == 0)
		next = 1;
	if (ch->kind == BCAST_EVENT_LOG) {
		ch->head = ch->oldest = next;
	} else {
		ch->version = next - 1;
	}
}

size_t bcast_channel_bytes(const struct bcast_channel *ch)
{
	size_t n = ch->bytes;
	for (unsigned i = 0; i < BCAST_BATCH_SLOTS; i++)
		n += ch->batch[i].cap;
	return n;
}

/* Encodes prefix + seq/version + data + '}' into m. */
static void encode(struct bcast_channel *ch, struct bcast_msg *m, const char *type,
		   const char *counter, uint64_t n, const char *data, size_t data_len)
{
	char head[BCAST_NAME_MAX + 96];
	int hl = snprintf(head, sizeof(head),
			  "{\"type\":\"%s\",\"channel\":%s,\"%s\":%llu,\"data\":", type,
			  ch->name_json, counter, (unsigned long long)n);
	m->len = (size_t)hl + data_len + 1;
	m->mem = malloc(ch->headroom + m->len);
	if (!m->mem)
		abort();
	unsigned char *f = m->mem + ch->headroom;
	memcpy(f, head, (size_t)hl);
	memcpy(f + hl, data, data_len);
	f[hl + data_len] = '}';
	m->data_off = (size_t)hl;
	m->data_len = data_len;
	m->seq = n;
}

static void drop_oldest(struct bcast_channel *ch)
{
	struct bcast_msg *m = &ch->ring[ch->oldest % ch->ring_size];
	ch->bytes -= m->len;
	msg_free(m);
	ch->oldest++;
}

static void wake_idle(struct bcast_channel *ch)
{
	struct bcast_sub *s = ch->idle.first;
	ch->idle.first = NULL;
	while (s) {
		struct bcast_sub *next = s->next;
		s->busy = true;
		list_push(&ch->busy, s);
		if (ch->wake)
			ch->wake(s->owner, ch->wake_arg);
		s = next;
	}
}

uint64_t bcast_publish(struct bcast_channel *ch, const char *data, size_t data_len)
{
	uint64_t n;
	if (data_len > BCAST_DATA_MAX || data_len == 0)
		return 0;
	if (ch->kind == BCAST_STATE) {
		msg_free(&ch->snap);
		n = ++ch->version;
		encode(ch, &ch->snap, "snapshot", "version", n, data, data_len);
		ch->bytes = ch->snap.len;
	} else {
		n = ch->head;
		if (ch->head - ch->oldest == ch->ring_size)
			drop_oldest(ch);
		struct bcast_msg *m = &ch->ring[n % ch->ring_size];
		encode(ch, m, "event", "seq", n, data, data_len);
		ch->bytes += m->len;
		ch->head++;
		while (ch->bytes > BCAST_RING_BYTES && ch->oldest < ch->head - 1)
			drop_oldest(ch);
	}
	wake_idle(ch);
	return n;
}

bool bcast_pending(const struct bcast_sub *sub)
{
	const struct bcast_channel *ch = sub->ch;
	if (!ch)
		return false;
	return ch->kind == BCAST_STATE ? sub->pos < ch->version : sub->pos < ch->head;
}

enum zc_err bcast_subscribe(struct bcast_channel *ch, struct bcast_sub *sub, void *owner,
			    bool has_after, uint64_t after)
{
	uint64_t pos;
	memset(sub, 0, sizeof(*sub));
	if (ch->kind == BCAST_STATE) {
		pos = 0;
	} else if (!has_after) {
		pos = ch->head;
	} else {
		pos = after >= ch->head ? ch->head : after + 1;
		if (pos < ch->oldest)
			return ZC_ERR_LIMIT;
	}
	sub->ch = ch;
	sub->owner = owner;
	sub->pos = pos;
	ch->nsubs++;
	if (bcast_pending(sub)) {
		/* The caller asks for a writable callback after subscribing. */
		sub->busy = true;
		list_push(&ch->busy, sub);
	} else {
		list_push(&ch->idle, sub);
	}
	return ZC_OK;
}

void bcast_unsubscribe(struct bcast_sub *sub)
{
	struct bcast_channel *ch = sub->ch;
	if (!ch)
		return;
	list_remove(sub->busy ? &ch->busy : &ch->idle, sub);
	ch->nsubs--;
	sub->ch = NULL;
	sub->busy = false;
}

static void batch_put(struct bcast_batch *b, size_t headroom, const void *p, size_t n)
{
	if (headroom + b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < headroom + b->len + n)
			cap *= 2;
		unsigned char *m = realloc(b->mem, cap);
		if (!m)
			abort();
		b->mem = m;
		b->cap = cap;
	}
	memcpy(b->mem + headroom + b->len, p, n);
	b->len += n;
}

/* Builds into b the batch of events [from, ...) that fits in max_bytes. */
static void build_batch(struct bcast_channel *ch, struct bcast_batch *b, uint64_t from,
			size_t max_bytes)
{
	char item[64];
	uint64_t seq = from;
	size_t hr = ch->headroom;
	b->len = 0;
	b->capped = false;
	batch_put(b, hr, "{\"type\":\"batch\",\"channel\":", 26);
	batch_put(b, hr, ch->name_json, strlen(ch->name_json));
	batch_put(b, hr, ",\"events\":[", 11);
	for (; seq < ch->head; seq++) {
		const struct bcast_msg *m = &ch->ring[seq % ch->ring_size];
		int il = snprintf(item, sizeof(item),
				  "%s{\"seq\":%llu,\"data\":", seq == from ? "" : ",",
				  (unsigned long long)seq);
		/* Room for this item and the closing "]}". */
		if (seq > from && b->len + (size_t)il + m->data_len + 3 > max_bytes) {
			b->capped = true;
			break;
		}
		batch_put(b, hr, item, (size_t)il);
		batch_put(b, hr, m->mem + hr + m->data_off, m->data_len);
		batch_put(b, hr, "}", 1);
	}
	batch_put(b, hr, "]}", 2);
	b->from = from;
	b->to = seq;
	b->max = max_bytes;
}

/* The batch for a subscriber at pos: a cached one is what we would build
 * again if nothing was published since it was built, or if it was full. */
static const struct bcast_batch *batch_for(struct bcast_channel *ch, uint64_t pos, size_t max_bytes)
{
	for (unsigned i = 0; i < BCAST_BATCH_SLOTS; i++) {
		const struct bcast_batch *b = &ch->batch[i];
		if (b->len && b->from == pos && b->max == max_bytes &&
		    (b->to == ch->head || b->capped))
			return b;
	}
	struct bcast_batch *b = &ch->batch[ch->batch_next];
	ch->batch_next = (ch->batch_next + 1) % BCAST_BATCH_SLOTS;
	build_batch(ch, b, pos, max_bytes);
	return b;
}

static void settle(struct bcast_sub *sub)
{
	struct bcast_channel *ch = sub->ch;
	if (sub->busy && !bcast_pending(sub)) {
		list_remove(&ch->busy, sub);
		sub->busy = false;
		list_push(&ch->idle, sub);
	}
}

enum bcast_next bcast_next(struct bcast_sub *sub, size_t max_bytes, unsigned char **frame,
			   size_t *len)
{
	struct bcast_channel *ch = sub->ch;
	if (!ch)
		return BCAST_NONE;
	if (ch->kind == BCAST_STATE) {
		if (sub->pos >= ch->version) {
			settle(sub);
			return BCAST_NONE;
		}
		sub->pos = ch->version;
		*frame = ch->snap.mem + ch->headroom;
		*len = ch->snap.len;
		settle(sub);
		return BCAST_FRAME;
	}
	if (sub->pos < ch->oldest)
		return BCAST_LAGGING;
	if (sub->pos >= ch->head) {
		settle(sub);
		return BCAST_NONE;
	}
	if (ch->head - sub->pos == 1) {
		const struct bcast_msg *m = &ch->ring[sub->pos % ch->ring_size];
		*frame = m->mem + ch->headroom;
		*len = m->len;
		sub->pos++;
		settle(sub);
		return BCAST_FRAME;
	}
	const struct bcast_batch *b = batch_for(ch, sub->pos, max_bytes);
	*frame = b->mem + ch->headroom;
	*len = b->len;
	sub->pos = b->to;
	settle(sub);
	return BCAST_FRAME;
}

bool bcast_replace(struct bcast_channel *ch, uint64_t seq, const char *data, size_t data_len)
{
	if (ch->kind != BCAST_EVENT_LOG || seq < ch->oldest || seq >= ch->head || data_len == 0 ||
	    data_len > BCAST_DATA_MAX)
		return false;
	struct bcast_msg *m = &ch->ring[seq % ch->ring_size];
	ch->bytes -= m->len;
	msg_free(m);
	encode(ch, m, "event", "seq", seq, data, data_len);
	ch->bytes += m->len;
	/* Cached batches may hold the old text. */
	for (unsigned i = 0; i < BCAST_BATCH_SLOTS; i++)
		ch->batch[i].len = 0;
	return true;
}
