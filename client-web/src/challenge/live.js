// The node's WebSocket (/ws, subprotocol zcnode.v1; docs/api.md
// "WebSocket"): says hello with the participant's token (or as a guest),
// keeps the wanted channels subscribed across reconnections, and hands over
// the frames: `snapshot` (state channels such as leaderboards), `event` and
// `batch` (event-log channels; a batch is unpacked into events, and the last
// sequence number seen is sent back as `after` on reconnection). A lost
// connection is retried with exponential backoff and jitter.

const PROTOCOL = 'zcnode.v1';
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const PING_EVERY_MS = 45000;

/** ws(s)://host/…/ws next to the page (the app may live under a path). */
function socketUrl() {
  const u = new URL('ws', document.baseURI);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = '';
  u.search = '';
  return u.href;
}

/**
 * Opens a live connection. Callbacks:
 *   onState(state)  'connecting' | 'live' | 'retrying' (with the delay in ms)
 *   onSnapshot(channel, data, version)
 *   onEvent(channel, data, seq)          (one call per event, batches unpacked)
 *   onReset(channel)                     events were missed: reload the state
 * Returns {subscribe(channel), unsubscribe(channel), close()}.
 */
export function openLive({ token = null, onState = () => {}, onSnapshot = () => {}, onEvent = () => {}, onReset = () => {} } = {}) {
  const wanted = new Set();
  const lastSeq = new Map(); // channel → last event seq received
  let ws = null;
  let welcomed = false;
  let closed = false;
  let attempt = 0;
  let retryTimer = null;
  let pingTimer = null;
  let helloToken = token;
  let guestNow = false; // the token was refused: reconnect at once as a guest

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN && welcomed) {
      try {
        ws.send(JSON.stringify(frame));
      } catch {
        // the close handler reconnects
      }
    }
  }

  function subscribeFrame(channel) {
    const frame = { type: 'subscribe', channel };
    if (lastSeq.has(channel)) frame.after = lastSeq.get(channel);
    return frame;
  }

  function schedule() {
    if (closed || retryTimer) return;
    // Full backoff doubled each attempt, then a random part of it
    // (jitter), so a restarted node is not hit by every browser at once.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    attempt += 1;
    onState('retrying', delay);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function stopPing() {
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = null;
  }

  function handle(frame) {
    switch (frame.type) {
      case 'welcome':
        welcomed = true;
        attempt = 0;
        onState('live');
        for (const channel of wanted) send(subscribeFrame(channel));
        break;
      case 'snapshot':
        if (wanted.has(frame.channel)) onSnapshot(frame.channel, frame.data, frame.version);
        break;
      case 'event':
        if (wanted.has(frame.channel)) {
          lastSeq.set(frame.channel, frame.seq);
          onEvent(frame.channel, frame.data, frame.seq);
        }
        break;
      case 'batch':
        if (wanted.has(frame.channel) && Array.isArray(frame.events)) {
          for (const e of frame.events) {
            lastSeq.set(frame.channel, e.seq);
            onEvent(frame.channel, e.data, e.seq);
          }
        }
        break;
      case 'error': {
        const code = frame.error && frame.error.code;
        if (!welcomed && (code === 'invalid_token' || code === 'token_expired') && helloToken) {
          // The token is no longer valid: watch as a guest instead.
          helloToken = null;
          guestNow = true;
          if (ws) ws.close();
        } else if (code === 'lagging' && frame.channel) {
          // Too far behind the ring: reload the state, then subscribe afresh.
          lastSeq.delete(frame.channel);
          onReset(frame.channel);
          if (wanted.has(frame.channel)) send(subscribeFrame(frame.channel));
        }
        break;
      }
      default:
        break; // subscribed, unsubscribed, pong
    }
  }

  function connect() {
    if (closed) return;
    welcomed = false;
    onState('connecting');
    let socket;
    try {
      socket = new WebSocket(socketUrl(), PROTOCOL);
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
      pingTimer = setInterval(() => send({ type: 'ping' }), PING_EVERY_MS);
    });
    socket.addEventListener('message', (e) => {
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
      if (!closed) {
        if (guestNow) {
          guestNow = false;
          connect();
        } else schedule();
      }
    });
    // 'error' is always followed by 'close'.
  }

  function online() {
    if (closed || ws) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    attempt = 0;
    connect();
  }
  window.addEventListener('online', online);

  connect();

  return {
    subscribe(channel) {
      if (wanted.has(channel)) return;
      wanted.add(channel);
      send(subscribeFrame(channel));
    },
    unsubscribe(channel) {
      if (!wanted.delete(channel)) return;
      lastSeq.delete(channel);
      send({ type: 'unsubscribe', channel });
    },
    close() {
      closed = true;
      window.removeEventListener('online', online);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      stopPing();
      if (ws) {
        const socket = ws;
        ws = null;
        // Closing a socket still connecting makes browsers log an error:
        // the 'open' handler closes it instead.
        if (socket.readyState !== WebSocket.CONNECTING) socket.close(1000);
      }
    },
  };
}
