// The live workshop's pure parts: the state a page holds, built from the
// subscription's answer and the channel's events (src/workshop/model.js);
// the quiz countdown; workshop dates in the city's time zone
// (src/workshop/time.js); which video links may play in the page
// (src/workshop/video.js).
//   npm test   (node --test; Node 18 or later)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyModel,
  fromSubscribed,
  applyEvent,
  applyAnswerAck,
  applyVoteAck,
  normalizeMe,
  quizDeadline,
  secondsLeft,
  clock,
  percentages,
  sortQuestions,
  quizVerdict,
} from '../src/workshop/model.js';
import { wallToUtc, utcToWall, dayIn } from '../src/workshop/time.js';
import { embedUrl, frameSources, frameAllowed } from '../src/workshop/video.js';

const NOW = Date.parse('2026-12-03T18:10:00Z');

function subscribed() {
  return {
    type: 'subscribed',
    channel: 'workshop:12',
    seq: 40,
    state: {
      status: 'live',
      step: { item: 0, slide: { title: { fr: 'Bienvenue' }, body: { fr: 'Bonjour' } } },
      poll: { item: 1, question: { fr: 'Qui ?' }, options: [{ fr: 'A' }, { fr: 'B' }, { fr: 'C' }], multiple: false, open: true, counts: [3, 1, 0], voters: 4 },
      quiz: null,
      quiz_top: [],
      questions: [
        { id: 7, text: 'Pourquoi ?', nickname: 'Léa', votes: 2, pinned: false, answered: false },
        { id: 8, text: 'Comment ?', nickname: 'Sam', votes: 5, pinned: false, answered: false },
      ],
      chat: [{ id: 31, text: 'Salut', nickname: 'Léa', at: '2026-12-03T18:05:00Z' }],
      presence: { online: 12 },
      reactions: { clap: 4, heart: 1, idea: 0, wow: 0, laugh: 0, thumbs_up: 2 },
    },
    me: { answers: { 1: [0] }, votes: [7], quiz_points: {}, points: 0 },
  };
}

test('the subscription’s state becomes the page’s model', () => {
  const m = fromSubscribed(subscribed(), NOW);
  assert.equal(m.seq, 40);
  assert.equal(m.status, 'live');
  assert.equal(m.step.slide.title.fr, 'Bienvenue');
  assert.deepEqual(m.poll.counts, [3, 1, 0]);
  assert.equal(m.poll.open, true);
  assert.deepEqual(m.questions.map((q) => q.id), [8, 7], 'most votes first');
  assert.equal(m.presence, 12);
  assert.equal(m.reactions.clap, 4);
  assert.deepEqual(m.me.answers[1], [0]);
  assert.ok(m.me.votes.has(7));
});

test('events apply in order; one already applied (a replay) changes nothing', () => {
  const m = fromSubscribed(subscribed(), NOW);
  assert.deepEqual([...applyEvent(m, { kind: 'tally', poll: { item: 1, counts: [3, 2, 1] }, presence: { online: 15 } }, 41, NOW)].sort(), ['poll', 'presence']);
  assert.deepEqual(m.poll.counts, [3, 2, 1]);
  assert.equal(m.poll.voters, 4, 'voters kept when the tally leaves them out');
  assert.equal(m.presence, 15);
  assert.equal(applyEvent(m, { kind: 'tally', presence: { online: 99 } }, 41, NOW).size, 0);
  assert.equal(applyEvent(m, { kind: 'tally', presence: { online: 99 } }, 30, NOW).size, 0);
  assert.equal(m.presence, 15);
  assert.equal(m.seq, 41);
});

test('reactions in a tally are counts since the previous one; votes and presence are totals', () => {
  const m = fromSubscribed(subscribed(), NOW);
  applyEvent(m, { kind: 'tally', reactions: { clap: 3, heart: 2 } }, 41, NOW);
  applyEvent(m, { kind: 'tally', reactions: { clap: 1 }, votes: { 7: 9 } }, 42, NOW);
  assert.equal(m.reactions.clap, 8);
  assert.equal(m.reactions.heart, 3);
  assert.deepEqual(m.questions.map((q) => [q.id, q.votes]), [[7, 9], [8, 5]], 're-sorted by votes');
});

test('polls open, count and close; a new poll starts from zero', () => {
  const m = fromSubscribed(subscribed(), NOW);
  applyEvent(m, { kind: 'poll_close', item: 1, counts: [5, 2, 1], voters: 8 }, 41, NOW);
  assert.equal(m.poll.open, false);
  assert.equal(m.poll.voters, 8);
  applyEvent(m, { kind: 'poll_open', item: 4, question: { fr: 'Et vous ?' }, options: [{ fr: 'Oui' }, { fr: 'Non' }], multiple: true }, 42, NOW);
  assert.deepEqual(m.poll.counts, [0, 0]);
  applyEvent(m, { kind: 'poll_open', item: 1, question: {}, options: [{}, {}, {}], multiple: false, counts: [5, 2, 1], voters: 8 }, 43, NOW);
  assert.deepEqual(m.poll.counts, [5, 2, 1], 'a poll opened again keeps its answers');
  applyEvent(m, { kind: 'poll_open', item: 4, question: { fr: 'Et vous ?' }, options: [{ fr: 'Oui' }, { fr: 'Non' }], multiple: true, counts: [0, 0], voters: 0 }, 44, NOW);
  assert.equal(m.poll.multiple, true);
  assert.equal(m.poll.open, true);
  applyEvent(m, { kind: 'tally', poll: { item: 1, counts: [9, 9, 9] } }, 45, NOW);
  assert.deepEqual(m.poll.counts, [0, 0], 'a tally of another poll is ignored');
  applyAnswerAck(m, { item: 4, choices: [0, 1] });
  assert.deepEqual(m.me.answers[4], [0, 1]);
});

test('a quiz: countdown from its seconds, answers counted, reveal with the top and the reader’s points', () => {
  const m = fromSubscribed(subscribed(), NOW);
  // The device's clock is 30 s behind the node's: the countdown still lasts 20 s.
  const closes = new Date(NOW + 30000 + 20000).toISOString();
  applyEvent(m, { kind: 'quiz_open', item: 6, question: { fr: 'Combien ?' }, options: [{ fr: '1' }, { fr: '2' }], seconds: 20, closes_at: closes }, 41, NOW);
  assert.equal(m.quiz.deadline, NOW + 20000);
  assert.equal(m.clockOffset, 30000);
  assert.equal(secondsLeft(m.quiz.deadline, NOW + 500), 20);
  assert.equal(secondsLeft(m.quiz.deadline, NOW + 19001), 1);
  assert.equal(secondsLeft(m.quiz.deadline, NOW + 20000), 0);
  applyEvent(m, { kind: 'tally', quiz: { item: 6, answers: 3 } }, 42, NOW);
  assert.equal(m.quiz.answers, 3);
  applyAnswerAck(m, { item: 6, choices: [1] });
  assert.equal(quizVerdict(m), null, 'no verdict before the reveal');
  applyEvent(m, { kind: 'quiz_reveal', item: 6, correct: [1], counts: [1, 2], top: [{ nickname: 'Sam', points: 19 }] }, 43, NOW);
  assert.equal(m.quiz.open, false);
  assert.deepEqual(m.quiz.correct, [1]);
  assert.equal(m.quiz.answers, 3);
  assert.equal(m.quizTop[0].nickname, 'Sam');
  assert.equal(quizVerdict(m), true);
  // `me` sent again after the reveal carries the points.
  const again = fromSubscribed({ type: 'subscribed', channel: 'workshop:12', seq: 43, me: { answers: { 6: { choices: [1], points: 17 } }, points: 17 } }, NOW, m);
  assert.equal(again, m, 'a subscription answer without state keeps the model');
  assert.equal(m.me.points[6], 17);
  assert.equal(m.me.total, 17);
  assert.equal(m.quiz.correct[0], 1);
});

test('a late joiner’s quiz closes at closes_at, corrected by the offset learnt', () => {
  const closesAt = '2026-12-03T18:10:20Z';
  assert.equal(quizDeadline({ closesAt, receivedAt: NOW }), NOW + 20000);
  assert.equal(quizDeadline({ closesAt, receivedAt: NOW, clockOffset: 5000 }), NOW + 15000);
  assert.equal(quizDeadline({ closesAt, seconds: 20, receivedAt: NOW + 3000, live: true }), NOW + 23000);
  assert.equal(quizDeadline({ closesAt: 'nonsense', receivedAt: NOW }), null);
  assert.equal(secondsLeft(null, NOW), 0);
  assert.equal(clock(65), '1:05');
  assert.equal(clock(9), '0:09');
});

test('the workshop’s end closes the poll and the quiz', () => {
  const m = fromSubscribed(subscribed(), NOW);
  applyEvent(m, { kind: 'quiz_open', item: 6, question: {}, options: [{}, {}], seconds: 20, closes_at: '2026-12-03T18:10:20Z' }, 41, NOW);
  const changed = applyEvent(m, { kind: 'status', status: 'ended' }, 42, NOW);
  assert.deepEqual([...changed].sort(), ['poll', 'quiz', 'status']);
  assert.equal(m.poll.open, false);
  assert.equal(m.quiz.open, false);
});

test('questions: asked, pinned first, answered last, hidden ones gone; votes acknowledged', () => {
  const m = fromSubscribed(subscribed(), NOW);
  applyEvent(m, { kind: 'question', id: 9, text: 'Et le compost ?', nickname: 'Ali', votes: 0 }, 41, NOW);
  applyEvent(m, { kind: 'question', id: 9, text: 'Et le compost ?', nickname: 'Ali', votes: 0 }, 42, NOW);
  assert.equal(m.questions.length, 3, 'the same question once');
  applyEvent(m, { kind: 'question_update', id: 9, pinned: true }, 43, NOW);
  assert.equal(m.questions[0].id, 9);
  applyEvent(m, { kind: 'question_update', id: 8, answered: true }, 44, NOW);
  assert.deepEqual(m.questions.map((q) => q.id), [9, 7, 8]);
  applyEvent(m, { kind: 'question_update', id: 7, hidden: true }, 45, NOW);
  assert.deepEqual(m.questions.map((q) => q.id), [9, 8]);
  applyVoteAck(m, 9, true);
  applyVoteAck(m, 7, false);
  assert.ok(m.me.votes.has(9) && !m.me.votes.has(7));
  assert.deepEqual(
    sortQuestions([
      { id: 2, votes: 1, pinned: false, answered: false },
      { id: 1, votes: 1, pinned: false, answered: false },
    ]).map((q) => q.id),
    [1, 2],
    'ties: oldest first',
  );
});

test('chat: messages kept in order (the last 100), hidden ones removed; announcements', () => {
  const m = fromSubscribed(subscribed(), NOW);
  for (let i = 0; i < 120; i += 1) applyEvent(m, { kind: 'chat', id: 100 + i, text: `m${i}`, nickname: 'Sam', at: '2026-12-03T18:06:00Z' }, 41 + i, NOW);
  assert.equal(m.chat.length, 100);
  assert.equal(m.chat[99].id, 219);
  applyEvent(m, { kind: 'chat_hide', id: 219 }, 200, NOW);
  assert.equal(m.chat.at(-1).id, 218);
  assert.equal(applyEvent(m, { kind: 'chat_hide', id: 5 }, 201, NOW).size, 0);
  applyEvent(m, { kind: 'announce', text: 'Pause de 5 minutes' }, 202, NOW);
  assert.equal(m.announce.text, 'Pause de 5 minutes');
  assert.equal(applyEvent(m, { kind: 'something_new' }, 203, NOW).size, 0, 'unknown kinds are skipped');
  assert.equal(m.seq, 203);
});

test('`me` in the shapes the node may send', () => {
  assert.equal(normalizeMe(null).total, 0);
  const a = normalizeMe({ answers: [{ item: 3, choices: [2], points: 12 }], votes: { 7: true, 8: false }, participant: 'abc' });
  assert.deepEqual(a.answers[3], [2]);
  assert.equal(a.points[3], 12);
  assert.equal(a.total, 12);
  assert.deepEqual([...a.votes], [7]);
  assert.equal(a.participant, 'abc');
  const b = normalizeMe({ answers: { 3: [2] }, quiz_points: { 3: 12, 5: 4 } });
  assert.equal(b.total, 16);
  const c = normalizeMe({ answers: {}, points: 30 });
  assert.equal(c.total, 30);
  // The node's shape: quiz points per answer (null before the reveal), their total, the mute.
  const d = normalizeMe({ answers: [{ item: 1, choices: [0] }, { item: 6, choices: [1], points: null }, { item: 8, choices: [0], points: 14 }], votes: [7], quiz_points: 14, muted: true });
  assert.deepEqual(d.answers[6], [1]);
  assert.equal(d.points[6], undefined);
  assert.equal(d.points[8], 14);
  assert.equal(d.total, 14);
  assert.equal(d.muted, true);
});

test('shares add up to 100 %', () => {
  assert.deepEqual(percentages([1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(percentages([0, 0]), [0, 0]);
  assert.deepEqual(percentages([2, 0, 1]), [67, 0, 33]);
  for (const counts of [[7, 3, 5, 1], [1, 2, 3, 4, 5, 6], [99, 1]]) {
    assert.equal(percentages(counts).reduce((a, b) => a + b, 0), 100);
  }
});

test('an empty model waits for the state', () => {
  const m = emptyModel();
  assert.equal(m.seq, null);
  assert.equal(applyEvent(m, { kind: 'status', status: 'live' }, 5, NOW).size, 1);
  assert.equal(m.seq, 5);
});

test('workshop times in the city’s zone, across daylight saving changes', () => {
  const paris = 'Europe/Paris';
  assert.equal(wallToUtc('2026-12-03T18:00', paris), '2026-12-03T17:00:00Z');
  assert.equal(wallToUtc('2026-07-01T18:00', paris), '2026-07-01T16:00:00Z');
  // 02:30 does not exist on 29 March 2026 in Paris: read as 03:30 summer time.
  assert.equal(wallToUtc('2026-03-29T02:30', paris), '2026-03-29T01:30:00Z');
  // 02:30 happens twice on 25 October 2026: the first one.
  assert.equal(wallToUtc('2026-10-25T02:30', paris), '2026-10-25T00:30:00Z');
  assert.equal(wallToUtc('2026-11-01T01:30', 'America/New_York'), '2026-11-01T05:30:00Z');
  assert.equal(wallToUtc('tomorrow', paris), null);
  assert.equal(utcToWall('2026-12-03T17:00:00Z', paris), '2026-12-03T18:00');
  assert.equal(utcToWall('2026-12-03T23:30:00Z', paris), '2026-12-04T00:30');
  assert.equal(dayIn('2026-12-03T23:30:00Z', paris), '2026-12-04');
  for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 7 * 3600000 + 60000) {
    const iso = new Date(Math.floor(ms / 60000) * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const wall = utcToWall(iso, paris);
    assert.equal(utcToWall(wallToUtc(wall, paris), paris), wall, iso);
  }
});

test('video links: players that may play in the page', () => {
  assert.equal(embedUrl('https://www.youtube.com/watch?v=dQw4w9WgXcQ'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(embedUrl('https://youtu.be/dQw4w9WgXcQ'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(embedUrl('https://www.youtube.com/live/dQw4w9WgXcQ?si=x'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
  assert.equal(embedUrl('https://vimeo.com/123456789'), 'https://player.vimeo.com/video/123456789');
  assert.equal(embedUrl('https://peertube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d'), 'https://peertube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d');
  assert.equal(embedUrl('https://tube.example/videos/watch/kkGMgK9ZtnKfYAgnEtQxbv'), 'https://tube.example/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv');
  assert.equal(embedUrl('http://www.youtube.com/watch?v=dQw4w9WgXcQ'), null, 'http only: a link');
  assert.equal(embedUrl('https://visio.example.org/room/abc'), null, 'an unknown site: a link');
  assert.equal(embedUrl('javascript:alert(1)'), null);
  assert.equal(embedUrl('https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ'), null);
});

test('video frames only where the node’s Content-Security-Policy allows them', () => {
  const self = 'https://zcnode.issy.example';
  const yt = 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ';
  const pt = 'https://peertube.example.org/videos/embed/abcdefgh';
  const none = frameSources("default-src 'self'; frame-src 'none'; object-src 'none'");
  assert.equal(frameAllowed(yt, none, self), false);
  const some = frameSources("default-src 'self'; frame-src https://www.youtube-nocookie.com https://*.example.org; object-src 'none'");
  assert.equal(frameAllowed(yt, some, self), true);
  assert.equal(frameAllowed(pt, some, self), true);
  assert.equal(frameAllowed('https://player.vimeo.com/video/1', some, self), false);
  assert.equal(frameAllowed(yt, frameSources("default-src 'self'"), self), false, 'default-src applies without frame-src');
  assert.equal(frameAllowed(yt, frameSources('frame-src https:'), self), true);
  assert.equal(frameAllowed(yt, null, self), true, 'no policy at all');
});
