// The WebSocket client (src/challenge/live.js) against a fake socket and
// fake timers: hello, subscriptions resumed with `after` the last event seen
// (a phone switching networks), replays not delivered twice, `lagging`
// answered by a subscription without `after`, requests settled by their
// `ref`, and a dead connection given up when the network goes or a ping
// goes unanswered.
//   npm test   (node --test; Node 18 or later)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openLive, seqBook } from '../src/challenge/live.js';

class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 3;
  static made = [];

  constructor(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = FakeSocket.CONNECTING;
    this.sent = [];
    this.listeners = {};
    this.closedWith = null;
    FakeSocket.made.push(this);
  }

  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }

  emit(type, event = {}) {
    for (const fn of this.listeners[type] || []) fn(event);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code) {
    this.closedWith = code;
    this.readyState = FakeSocket.CLOSED;
    this.emit('close', { code });
  }

  // What the node and the network do.
  open() {
    this.readyState = FakeSocket.OPEN;
    this.emit('open');
  }

  receive(frame) {
    this.emit('message', { data: JSON.stringify(frame) });
  }

  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.emit('close', { code: 1006 });
  }

  last(type) {
    return this.sent.filter((f) => f.type === type).at(-1);
  }
}

function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    setTimeout(fn, ms) {
      pending.set(next, { fn, at: now + ms, every: 0 });
      return next++;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    setInterval(fn, ms) {
      pending.set(next, { fn, at: now + ms, every: ms });
      return next++;
    },
    clearInterval(id) {
      pending.delete(id);
    },
    /** Moves the clock on by ms, running what falls due. */
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, timer] = due;
        now = timer.at;
        if (timer.every) timer.at += timer.every;
        else pending.delete(id);
        timer.fn();
      }
      now = end;
    },
  };
}

function fakeWindow() {
  const listeners = {};
  return {
    addEventListener(type, fn) {
      (listeners[type] ||= new Set()).add(fn);
    },
    removeEventListener(type, fn) {
      if (listeners[type]) listeners[type].delete(fn);
    },
    fire(type) {
      for (const fn of listeners[type] || []) fn();
    },
  };
}

function start(options = {}) {
  FakeSocket.made = [];
  const timers = fakeTimers();
  const env = fakeWindow();
  const got = { events: [], subscribed: [], resets: [], states: [] };
  const live = openLive({
    token: 'zcp_test',
    socket: FakeSocket,
    url: 'ws://node.test/ws',
    env,
    timers,
    random: () => 0,
    onState: (s) => got.states.push(s),
    onSubscribed: (channel, frame) => got.subscribed.push(frame),
    onEvent: (channel, data, seq) => got.events.push(seq),
    onReset: (channel) => got.resets.push(channel),
    ...options,
  });
  const socket = () => FakeSocket.made.at(-1);
  const welcome = () => {
    socket().open();
    socket().receive({ type: 'welcome', role: 'participant', id: 'p1' });
  };
  return { live, timers, env, got, socket, welcome };
}

test('hello with the token, then the subscription; `after` only once an event was seen', () => {
  const { live, socket, welcome } = start();
  live.subscribe('workshop:12');
  assert.equal(socket().protocol, 'zcnode.v1');
  assert.equal(socket().sent.length, 0, 'nothing before the socket opens');
  welcome();
  assert.deepEqual(socket().sent[0], { type: 'hello', token: 'zcp_test' });
  assert.deepEqual(socket().last('subscribe'), { type: 'subscribe', channel: 'workshop:12' });
});

test('a dropped connection comes back with backoff and resumes after the last event seen', () => {
  const { live, timers, got, socket, welcome } = start();
  live.subscribe('workshop:12');
  welcome();
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 40, state: { status: 'live' }, me: {} });
  socket().receive({ type: 'event', channel: 'workshop:12', seq: 41, data: { kind: 'tally' } });
  socket().receive({ type: 'batch', channel: 'workshop:12', events: [{ seq: 42, data: {} }, { seq: 43, data: {} }] });
  assert.deepEqual(got.events, [41, 42, 43]);
  const first = socket();
  first.drop();
  assert.equal(got.states.at(-1), 'retrying');
  assert.equal(FakeSocket.made.length, 1, 'no new socket before the backoff');
  timers.advance(499);
  assert.equal(FakeSocket.made.length, 1);
  timers.advance(1);
  assert.equal(FakeSocket.made.length, 2, 'a new socket after half the first second (jitter 0)');
  welcome();
  assert.deepEqual(socket().last('subscribe'), { type: 'subscribe', channel: 'workshop:12', after: 43 });
  // The node replays from 43 on: what was seen is not delivered twice.
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 45 });
  socket().receive({ type: 'batch', channel: 'workshop:12', events: [{ seq: 43, data: {} }, { seq: 44, data: {} }, { seq: 45, data: {} }] });
  assert.deepEqual(got.events, [41, 42, 43, 44, 45]);
  assert.equal(got.subscribed.length, 2);
});

test('backoff doubles up to 30 s, and starts again once welcomed', () => {
  const { live, timers, socket, welcome } = start({ random: () => 0.999999 });
  live.subscribe('workshop:12');
  const delays = [];
  for (let i = 0; i < 7; i += 1) {
    const before = FakeSocket.made.length;
    socket().drop();
    let waited = 0;
    while (FakeSocket.made.length === before) {
      timers.advance(100);
      waited += 100;
    }
    delays.push(waited);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  welcome();
  socket().drop();
  let waited = 0;
  const before = FakeSocket.made.length;
  while (FakeSocket.made.length === before) {
    timers.advance(100);
    waited += 100;
  }
  assert.equal(waited, 1000);
});

test('lagging after a reconnection: reset, then a subscription without `after`', () => {
  const { live, timers, got, socket, welcome } = start();
  live.subscribe('workshop:12');
  welcome();
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 10, state: {} });
  socket().receive({ type: 'event', channel: 'workshop:12', seq: 11, data: {} });
  socket().drop();
  timers.advance(1000);
  welcome();
  assert.equal(socket().last('subscribe').after, 11);
  socket().receive({ type: 'error', channel: 'workshop:12', error: { code: 'lagging', message: 'too far behind' } });
  assert.deepEqual(got.resets, ['workshop:12']);
  assert.deepEqual(socket().last('subscribe'), { type: 'subscribe', channel: 'workshop:12' });
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 500, state: {} });
  socket().receive({ type: 'event', channel: 'workshop:12', seq: 501, data: {} });
  assert.deepEqual(got.events, [11, 501]);
});

test('requests carry a ref and settle on their ack or error; a drop fails those waiting', async () => {
  const { live, socket, welcome } = start();
  live.subscribe('workshop:12');
  await assert.rejects(live.request({ type: 'chat', channel: 'workshop:12', text: 'x' }), { code: 'network' }, 'not connected yet');
  welcome();
  const a = live.request({ type: 'answer', channel: 'workshop:12', item: 4, choices: [1] });
  const b = live.request({ type: 'chat', channel: 'workshop:12', text: 'Bonjour' });
  const c = live.request({ type: 'ask', channel: 'workshop:12', text: 'Pourquoi ?' });
  const [fa, fb] = socket().sent.filter((f) => f.ref);
  assert.equal(fa.type, 'answer');
  assert.notEqual(fa.ref, fb.ref);
  socket().receive({ type: 'error', ref: fb.ref, channel: 'workshop:12', error: { code: 'rate_limited', message: 'slow down' } });
  socket().receive({ type: 'ack', ref: fa.ref, data: { item: 4, choices: [1] } });
  assert.deepEqual(await a, { item: 4, choices: [1] });
  await assert.rejects(b, (err) => err.code === 'rate_limited' && err.serverMessage === 'slow down');
  socket().drop();
  await assert.rejects(c, { code: 'network' });
});

test('offline gives the socket up at once; online reconnects without waiting for the backoff', () => {
  const { live, env, got, socket, welcome } = start();
  live.subscribe('workshop:12');
  welcome();
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 3, state: {} });
  socket().receive({ type: 'event', channel: 'workshop:12', seq: 4, data: {} });
  const old = socket();
  env.fire('offline');
  assert.equal(old.closedWith, 4000);
  assert.equal(got.states.at(-1), 'retrying');
  // Events still arriving on the old socket are ignored.
  old.receive({ type: 'event', channel: 'workshop:12', seq: 5, data: {} });
  assert.deepEqual(got.events, [4]);
  env.fire('online');
  assert.equal(FakeSocket.made.length, 2);
  welcome();
  assert.equal(socket().last('subscribe').after, 4);
  // Dropping the old socket late changes nothing.
  old.drop();
  assert.equal(FakeSocket.made.length, 2);
});

test('an unanswered ping gives a silent connection up (a phone that changed networks)', () => {
  const { live, timers, env, socket, welcome } = start();
  live.subscribe('workshop:12');
  welcome();
  const old = socket();
  env.fire('online'); // the network changed while the socket looked open
  assert.equal(old.last('ping').type, 'ping');
  timers.advance(7999);
  assert.equal(FakeSocket.made.length, 1);
  timers.advance(1);
  assert.equal(old.closedWith, 4000);
  timers.advance(1000);
  assert.equal(FakeSocket.made.length, 2);
  // A ping answered in time keeps the connection.
  welcome();
  env.fire('online');
  socket().receive({ type: 'pong' });
  timers.advance(10000);
  assert.equal(FakeSocket.made.length, 2);
});

test('refresh asks again for the subscription (and `me`) without losing the place', () => {
  const { live, socket, welcome } = start();
  live.subscribe('workshop:12');
  welcome();
  socket().receive({ type: 'subscribed', channel: 'workshop:12', seq: 7, state: {} });
  socket().receive({ type: 'event', channel: 'workshop:12', seq: 8, data: {} });
  live.refresh('workshop:12');
  const sent = socket().sent.slice(-2);
  assert.deepEqual(sent, [{ type: 'unsubscribe', channel: 'workshop:12' }, { type: 'subscribe', channel: 'workshop:12', after: 8 }]);
});

test('a refused token: watch as a guest', () => {
  const { live, socket } = start();
  live.subscribe('workshop:12');
  socket().open();
  socket().receive({ type: 'error', error: { code: 'invalid_token' } });
  assert.equal(FakeSocket.made.length, 2);
  socket().open();
  assert.deepEqual(socket().sent[0], { type: 'hello' });
});

test('the `after` book on its own', () => {
  const book = seqBook();
  assert.deepEqual(book.subscribeFrame('workshop:1'), { type: 'subscribe', channel: 'workshop:1' });
  book.subscribed({ channel: 'workshop:1', seq: 9, state: {} });
  assert.equal(book.subscribeFrame('workshop:1').after, 9);
  book.subscribed({ channel: 'workshop:1', seq: 20 }); // no state: events 10… follow
  assert.equal(book.get('workshop:1'), 9);
  assert.equal(book.saw('workshop:1', 10), true);
  assert.equal(book.saw('workshop:1', 10), false);
  book.forget('workshop:1');
  assert.deepEqual(book.subscribeFrame('workshop:1'), { type: 'subscribe', channel: 'workshop:1' });
});
