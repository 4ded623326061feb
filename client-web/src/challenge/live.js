// The node's WebSocket (/ws, subprotocol zcnode.v1; docs/api.md
// "WebSocket"): says hello with the participant's token (or as a guest),
// keeps the wanted channels subscribed across reconnections, and hands over
// the frames: `subscribed` (with a workshop's state), `snapshot` (state
// channels such as leaderboards), `event` and `batch` (event-log channels; a
// batch is unpacked into events, and the last sequence number seen is sent
// back as `after` on reconnection). Frames sent with request() carry a `ref`
// and settle on the node's `ack` or error. A lost connection is retried with
// exponential backoff and jitter. The socket and the window are injectable so
// node tests can drive it (test/live.test.mjs).

const PROTOCOL = 'zcnode.v1';
const PRESENTER_PROTOCOL = 'zcnode.v1.presenter';
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const PING_EVERY_MS = 45000;
// A ping unanswered this long means a dead connection (a phone that moved
// from 4G to Wi-Fi keeps a socket that will never hear from the node).
const PONG_TIMEOUT_MS = 8000;
const REQUEST_TIMEOUT_MS = 15000;

/** ws(s)://host/…/ws next to the page (the app may live under a path). */
function socketUrl() {
  const u = new URL('ws', document.baseURI);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = '';
  u.search = '';
  return u.href;
}

/** An error a request settles with: {code, message} as the node sent it, or code 'network'. */
export class LiveError extends Error {
  constructor(code, message = '', data = null) {
    super(message || code);
    this.code = code;
    this.serverMessage = message;
    this.data = data;
  }
}

/**
 * The `after` bookkeeping of event-log channels, apart from the socket: the
 * last sequence number seen per channel, sent back as `after` on
 * resubscription; dropped on `lagging` (resubscribe without it and reload
 * the state) and reset by a `subscribed` reply that carries a full state.
 */
export function seqBook() {
  const last = new Map();
  return {
    /** The subscribe frame for channel: with `after` once an event was seen. */
    subscribeFrame(channel) {
      const frame = { type: 'subscribe', channel };
      if (last.has(channel)) frame.after = last.get(channel);
      return frame;
    },
    /** Records an event; false for one already seen (a replay overlapping what was kept). */
    saw(channel, seq) {
      if (typeof seq !== 'number') return true;
      const prev = last.get(channel);
      if (prev !== undefined && seq <= prev) return false;
      last.set(channel, seq);
      return true;
    },
    /** A `subscribed` reply: a full state is at `seq`, so later events follow it. */
    subscribed(frame) {
      if (frame.state !== undefined && typeof frame.seq === 'number') last.set(frame.channel, frame.seq);
    },
    forget(channel) {
      last.delete(channel);
    },
    get: (channel) => last.get(channel),
  };
}

/**
 * Opens a live connection. Callbacks:
 *   onState(state)  'connecting' | 'live' | 'retrying' (with the delay in ms)
 *   onWelcome(frame)                     {role, id?} of the hello's answer
 *   onSubscribed(channel, frame)         the subscription's answer (a workshop's state and `me`)
 *   onSnapshot(channel, data, version)
 *   onEvent(channel, data, seq)          (one call per event, batches unpacked)
 *   onReset(channel)                     events were missed: the state comes again
 *   onChannelError(channel, error)       a refusal about a channel, not tied to a request
 * Returns {subscribe(channel), unsubscribe(channel), refresh(channel), request(frame), connected(), close()}.
 */
export function openLive({
  token = null,
  onState = () => {},
  onWelcome = () => {},
  onSubscribed = () => {},
  onSnapshot = () => {},
  onEvent = () => {},
  onReset = () => {},
  onChannelError = () => {},
  socket: Socket = typeof WebSocket === 'undefined' ? null : WebSocket,
  url = null,
  // Staff consoles use the presenter subprotocol (the node reads it in larger
  // pieces, so a burst of commands is not throttled); it refuses other tokens.
  presenter = false,
  env = typeof window === 'undefined' ? null : window,
  timers = globalThis,
  random = Math.random,
} = {}) {
  const wanted = new Set();
  const book = seqBook();
  const pending = new Map(); // ref → {resolve, reject, timer}
  let refCounter = 0;
  let ws = null;
  let welcomed = false;
  let closed = false;
  let attempt = 0;
  let retryTimer = null;
  let pingTimer = null;
  let pongTimer = null;
  let helloToken = token;
  let guestNow = false; // the token was refused: reconnect at once as a guest
  const OPEN = Socket ? Socket.OPEN : 1;
  const CONNECTING = Socket ? Socket.CONNECTING : 0;

  function send(frame) {
    if (ws && ws.readyState === OPEN && welcomed) {
      try {
        ws.send(JSON.stringify(frame));
        return true;
      } catch {
        // the close handler reconnects
      }
    }
    return false;
  }

  function settle(ref, error, data) {
    const p = pending.get(ref);
    if (!p) return false;
    pending.delete(ref);
    timers.clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(data);
    return true;
  }

  /** Every request still waiting fails: the connection that carried it is gone. */
  function failPending() {
    for (const ref of [...pending.keys()]) settle(ref, new LiveError('network'));
  }

  function schedule() {
    if (closed || retryTimer) return;
    // Full backoff doubled each attempt, then a random part of it
    // (jitter), so a restarted node is not hit by every browser at once.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
    const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
    attempt += 1;
    onState('retrying', delay);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function stopPing() {
    if (pingTimer) timers.clearInterval(pingTimer);
    pingTimer = null;
    heard();
  }

  /** Any frame from the node: the connection is alive. */
  function heard() {
    if (pongTimer) timers.clearTimeout(pongTimer);
    pongTimer = null;
  }

  /** Pings, and gives the connection up when nothing comes back in time. */
  function probe() {
    if (pongTimer || !send({ type: 'ping' })) return;
    const socket = ws;
    pongTimer = timers.setTimeout(() => {
      pongTimer = null;
      if (ws === socket) abandon();
    }, PONG_TIMEOUT_MS);
  }

  /**
   * Leaves the current socket for dead at once: a close handshake on a lost
   * network may take a minute to give up, so the socket is closed in the
   * background and its late events are ignored.
   */
  function abandon() {
    const socket = ws;
    if (!socket) return;
    ws = null;
    welcomed = false;
    stopPing();
    failPending();
    // A socket still connecting is closed by its 'open' handler (closing it
    // now makes browsers log an error).
    if (socket.readyState !== CONNECTING) {
      try {
        socket.close(4000);
      } catch {
        // already closing
      }
    }
    if (!closed) schedule();
  }

  function deliver(channel, seq, data) {
    if (book.saw(channel, seq)) onEvent(channel, data, seq);
  }

  function handle(frame) {
    switch (frame.type) {
      case 'welcome':
        welcomed = true;
        attempt = 0;
        onWelcome(frame);
        onState('live');
        for (const channel of wanted) send(book.subscribeFrame(channel));
        break;
      case 'subscribed':
        if (wanted.has(frame.channel)) {
          book.subscribed(frame);
          onSubscribed(frame.channel, frame);
        }
        break;
      case 'snapshot':
        if (wanted.has(frame.channel)) onSnapshot(frame.channel, frame.data, frame.version);
        break;
      case 'event':
        if (wanted.has(frame.channel)) deliver(frame.channel, frame.seq, frame.data);
        break;
      case 'batch':
        if (wanted.has(frame.channel) && Array.isArray(frame.events)) {
          for (const e of frame.events) deliver(frame.channel, e.seq, e.data);
        }
        break;
      case 'ack':
        if (typeof frame.ref === 'string') settle(frame.ref, null, frame.data === undefined ? null : frame.data);
        break;
      case 'error': {
        const err = frame.error || {};
        const code = err.code;
        if (typeof frame.ref === 'string' && settle(frame.ref, new LiveError(code || 'unknown', err.message || '', frame))) break;
        if (!welcomed && (code === 'invalid_token' || code === 'token_expired') && helloToken) {
          // The token is no longer valid: watch as a guest instead.
          helloToken = null;
          guestNow = true;
          if (ws) ws.close();
        } else if (code === 'lagging' && frame.channel) {
          // Too far behind the ring: subscribe afresh, without `after`; the
          // reply brings the state again.
          book.forget(frame.channel);
          onReset(frame.channel);
          if (wanted.has(frame.channel)) send(book.subscribeFrame(frame.channel));
        } else if (frame.channel && wanted.has(frame.channel)) {
          onChannelError(frame.channel, err);
        }
        break;
      }
      default:
        break; // unsubscribed, pong
    }
  }

  function connect() {
    if (closed) return;
    welcomed = false;
    onState('connecting');
    let socket;
    try {
      socket = new Socket(url || socketUrl(), presenter ? PRESENTER_PROTOCOL : PROTOCOL);
    } catch {
      schedule();
      return;
    }
    ws = socket;
    socket.addEventListener('open', () => {
      if (closed || ws !== socket) {
        socket.close(1000);
        return;
      }
      const hello = { type: 'hello' };
      if (helloToken) hello.token = helloToken;
      socket.send(JSON.stringify(hello));
      stopPing();
      pingTimer = timers.setInterval(probe, PING_EVERY_MS);
    });
    socket.addEventListener('message', (e) => {
      if (ws !== socket) return;
      heard();
      if (typeof e.data !== 'string') return;
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (frame && typeof frame.type === 'string') handle(frame);
    });
    socket.addEventListener('close', () => {
      if (ws !== socket) return;
      ws = null;
      welcomed = false;
      stopPing();
      failPending();
      if (!closed) {
        if (guestNow) {
          guestNow = false;
          connect();
        } else schedule();
      }
    });
    // 'error' is always followed by 'close'.
  }

  // Back online (a phone moving from 4G to Wi-Fi): try at once, not at the
  // end of the backoff; a socket that still looks open may be dead, so a
  // ping tells (the node answers, or the close comes).
  function online() {
    if (closed) return;
    if (ws) {
      if (welcomed) probe();
      return;
    }
    if (retryTimer) timers.clearTimeout(retryTimer);
    retryTimer = null;
    attempt = 0;
    connect();
  }
  // Offline, the socket is as good as gone: give it up and wait for the
  // network (or the backoff) to come back.
  function offline() {
    if (!closed && ws) abandon();
  }
  if (env) {
    env.addEventListener('online', online);
    env.addEventListener('offline', offline);
  }

  connect();

  return {
    subscribe(channel) {
      if (wanted.has(channel)) return;
      wanted.add(channel);
      send(book.subscribeFrame(channel));
    },
    unsubscribe(channel) {
      if (!wanted.delete(channel)) return;
      book.forget(channel);
      send({ type: 'unsubscribe', channel });
    },
    /**
     * Asks the node for the subscription's answer again: unsubscribe, then
     * subscribe with `after` (keeping the place: any event missed meanwhile
     * follows), or, with `full`, without it (the whole state again).
     */
    refresh(channel, { full = false } = {}) {
      if (!wanted.has(channel)) return;
      if (full) book.forget(channel);
      if (send({ type: 'unsubscribe', channel })) send(book.subscribeFrame(channel));
    },
    /** True while the connection is welcomed (frames can be sent). */
    connected: () => Boolean(ws && welcomed),
    /**
     * Sends `frame` with a fresh `ref`; resolves to the ack's `data`, or
     * rejects with a LiveError (the node's code, or 'network' when the
     * connection is down or drops before the answer).
     */
    request(frame) {
      refCounter += 1;
      const ref = `r${refCounter}`;
      return new Promise((resolve, reject) => {
        if (!send({ ...frame, ref })) {
          reject(new LiveError('network'));
          return;
        }
        const timer = timers.setTimeout(() => settle(ref, new LiveError('network')), REQUEST_TIMEOUT_MS);
        pending.set(ref, { resolve, reject, timer });
      });
    },
    close() {
      closed = true;
      if (env) {
        env.removeEventListener('online', online);
        env.removeEventListener('offline', offline);
      }
      if (retryTimer) timers.clearTimeout(retryTimer);
      retryTimer = null;
      stopPing();
      failPending();
      if (ws) {
        const socket = ws;
        ws = null;
        // Closing a socket still connecting makes browsers log an error:
        // the 'open' handler closes it instead.
        if (socket.readyState !== CONNECTING) socket.close(1000);
      }
    },
  };
}
