// A live workshop as the page holds it (docs/api.md, "Live workshops"): the
// `state` of the subscription's answer, then every event of the channel
// applied in order (`tally` carries counts; reactions in a tally are counts
// since the previous one), and the reader's own answers, votes and quiz
// points (`me`). Pure: no DOM, no clock of its own (callers pass `now`), so
// node tests drive it (test/workshop.test.mjs).

export const REACTIONS = ['clap', 'heart', 'idea', 'wow', 'laugh', 'thumbs_up'];
export const CHAT_KEEP = 100;

function zeros(n) {
  return Array.from({ length: n }, () => 0);
}

function list(v) {
  return Array.isArray(v) ? v : [];
}

function int(v, fallback = 0) {
  return Number.isFinite(v) ? v : fallback;
}

/** The reader's part, from `me` in any of the shapes the node may send. */
export function normalizeMe(me) {
  const out = { answers: {}, points: {}, total: 0, votes: new Set(), participant: null, muted: false };
  if (!me || typeof me !== 'object') return out;
  out.muted = me.muted === true;
  if (typeof me.participant === 'string') out.participant = me.participant;
  else if (typeof me.id === 'string') out.participant = me.id;
  const answers = me.answers;
  if (Array.isArray(answers)) {
    for (const a of answers) {
      if (!a || a.item === undefined) continue;
      out.answers[a.item] = list(a.choices);
      if (Number.isFinite(a.points)) out.points[a.item] = a.points;
    }
  } else if (answers && typeof answers === 'object') {
    for (const [item, v] of Object.entries(answers)) {
      if (Array.isArray(v)) out.answers[item] = v;
      else if (v && typeof v === 'object') {
        out.answers[item] = list(v.choices);
        if (Number.isFinite(v.points)) out.points[item] = v.points;
      }
    }
  }
  const perItem = me.quiz_points || me.quiz;
  if (perItem && typeof perItem === 'object' && !Array.isArray(perItem)) {
    for (const [item, p] of Object.entries(perItem)) if (Number.isFinite(p)) out.points[item] = p;
  }
  const votes = me.votes;
  if (Array.isArray(votes)) votes.forEach((q) => out.votes.add(Number(q)));
  else if (votes && typeof votes === 'object') {
    for (const [q, up] of Object.entries(votes)) if (up) out.votes.add(Number(q));
  }
  const total = [me.quiz_points, me.points, me.quiz_total].find(Number.isFinite);
  out.total = total !== undefined ? total : Object.values(out.points).reduce((a, b) => a + b, 0);
  return out;
}

/** A model with nothing known yet (before the subscription's answer). */
export function emptyModel() {
  return {
    seq: null,
    status: 'scheduled',
    step: null,
    poll: null,
    quiz: null,
    quizTop: [],
    questions: [],
    chat: [],
    presence: 0,
    reactions: Object.fromEntries(REACTIONS.map((r) => [r, 0])),
    announce: null,
    me: normalizeMe(null),
    // Server time minus this device's (ms), learnt from a quiz's opening.
    clockOffset: 0,
  };
}

function pollOf(p) {
  if (!p) return null;
  const options = list(p.options);
  const counts = Array.isArray(p.counts) ? p.counts.slice() : zeros(options.length);
  return {
    item: p.item,
    question: p.question || {},
    options,
    multiple: Boolean(p.multiple),
    open: p.open !== false,
    counts,
    voters: int(p.voters),
  };
}

function quizOf(q, deadline) {
  if (!q) return null;
  const options = list(q.options);
  return {
    item: q.item,
    question: q.question || {},
    options,
    open: q.open !== false,
    closesAt: q.closes_at || null,
    seconds: Number.isFinite(q.seconds) ? q.seconds : null,
    deadline, // this device's clock (ms) at which answers stop
    answers: int(q.answers),
    correct: Array.isArray(q.correct) ? q.correct : null,
    counts: Array.isArray(q.counts) ? q.counts : null,
  };
}

function questionOf(q) {
  return {
    id: q.id,
    text: q.text || '',
    nickname: q.nickname || '',
    votes: int(q.votes),
    pinned: Boolean(q.pinned),
    answered: Boolean(q.answered),
  };
}

/**
 * The device time (ms) at which a quiz closes: from `seconds` when the
 * opening was just received (the device's clock may be wrong, the delay is
 * right), else from `closes_at` corrected by the offset learnt so far.
 */
export function quizDeadline({ closesAt, seconds = null, receivedAt, clockOffset = 0, live = false }) {
  if (live && Number.isFinite(seconds)) return receivedAt + seconds * 1000;
  const t = Date.parse(closesAt || '');
  return Number.isNaN(t) ? null : t - clockOffset;
}

/** Whole seconds left before `deadline` (device ms), never negative; rounded up so 0 means closed. */
export function secondsLeft(deadline, now) {
  if (!Number.isFinite(deadline)) return 0;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** "0:42", "1:05": a countdown as a clock shows it. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Questions in the order shown: pinned first, then unanswered by votes, answered last; ties oldest first. */
export function sortQuestions(questions) {
  const rank = (q) => (q.pinned ? 0 : q.answered ? 2 : 1);
  return questions.slice().sort((a, b) => rank(a) - rank(b) || b.votes - a.votes || a.id - b.id);
}

/**
 * A model from the subscription's answer ({seq, state, me}); `now` is the
 * device's time. Without `state` (a resubscription with `after`), `base`
 * is kept and only `me` is taken when present.
 */
export function fromSubscribed(frame, now, base = null) {
  if (!frame.state) {
    const kept = base || emptyModel();
    if (frame.me) kept.me = normalizeMe(frame.me);
    return kept;
  }
  const s = frame.state;
  const m = emptyModel();
  if (base) m.clockOffset = base.clockOffset;
  m.seq = typeof frame.seq === 'number' ? frame.seq : null;
  m.status = s.status || 'scheduled';
  m.step = s.step || null;
  m.poll = pollOf(s.poll);
  if (s.quiz) {
    m.quiz = quizOf(s.quiz, quizDeadline({ closesAt: s.quiz.closes_at, receivedAt: now, clockOffset: m.clockOffset }));
  }
  m.quizTop = list(s.quiz_top);
  m.questions = sortQuestions(list(s.questions).filter((q) => !q.hidden).map(questionOf));
  m.chat = list(s.chat).slice(-CHAT_KEEP);
  m.presence = int(s.presence && s.presence.online);
  for (const r of REACTIONS) m.reactions[r] = int(s.reactions && s.reactions[r]);
  m.announce = s.announce && s.announce.text ? { text: s.announce.text, seq: m.seq } : null;
  if (frame.me !== undefined) m.me = normalizeMe(frame.me);
  else if (base) m.me = base.me;
  return m;
}

function findQuestion(m, id) {
  return m.questions.find((q) => q.id === id);
}

/**
 * Applies one event's `data` (seq `seq`) to `m`; `now` is the device's
 * time. Returns the set of parts that changed ('status', 'step', 'poll',
 * 'quiz', 'questions', 'chat', 'presence', 'reactions', 'announce', 'me'),
 * empty for an event already applied (seq at or below the model's).
 */
export function applyEvent(m, data, seq, now) {
  const changed = new Set();
  if (typeof seq === 'number') {
    if (m.seq !== null && seq <= m.seq) return changed;
    m.seq = seq;
  }
  if (!data || typeof data.kind !== 'string') return changed;
  switch (data.kind) {
    case 'status':
      m.status = data.status;
      changed.add('status');
      if (data.status === 'ended' || data.status === 'cancelled') {
        if (m.poll && m.poll.open) {
          m.poll.open = false;
          changed.add('poll');
        }
        if (m.quiz && m.quiz.open) {
          m.quiz.open = false;
          changed.add('quiz');
        }
      }
      break;
    case 'step':
      m.step = { item: data.item, slide: data.slide || {} };
      changed.add('step');
      break;
    case 'poll_open':
      // A poll opened again keeps its answers: the event carries its counts.
      m.poll = pollOf({ ...data, open: true, counts: Array.isArray(data.counts) ? data.counts : null, voters: int(data.voters) });
      changed.add('poll');
      break;
    case 'poll_close':
      if (m.poll && m.poll.item === data.item) {
        m.poll.open = false;
        if (Array.isArray(data.counts)) m.poll.counts = data.counts.slice();
        m.poll.voters = int(data.voters, m.poll.voters);
        changed.add('poll');
      }
      break;
    case 'quiz_open': {
      const deadline = quizDeadline({ closesAt: data.closes_at, seconds: data.seconds, receivedAt: now, live: true });
      const t = Date.parse(data.closes_at || '');
      if (deadline !== null && !Number.isNaN(t)) m.clockOffset = t - deadline;
      m.quiz = quizOf({ ...data, open: true, answers: 0, correct: null }, deadline);
      changed.add('quiz');
      break;
    }
    case 'quiz_reveal':
      if (m.quiz && m.quiz.item === data.item) {
        m.quiz.open = false;
        m.quiz.correct = list(data.correct);
        if (Array.isArray(data.counts)) {
          m.quiz.counts = data.counts;
          m.quiz.answers = data.counts.reduce((a, b) => a + b, 0);
        }
      }
      m.quizTop = list(data.top);
      changed.add('quiz');
      break;
    case 'question':
      if (!findQuestion(m, data.id)) {
        m.questions = sortQuestions([...m.questions, questionOf(data)]);
        changed.add('questions');
      }
      break;
    case 'question_update': {
      const q = findQuestion(m, data.id);
      if (!q) break;
      if (data.hidden === true) m.questions = m.questions.filter((x) => x.id !== data.id);
      if (typeof data.answered === 'boolean') q.answered = data.answered;
      if (typeof data.pinned === 'boolean') q.pinned = data.pinned;
      m.questions = sortQuestions(m.questions);
      changed.add('questions');
      break;
    }
    case 'chat':
      if (!m.chat.some((c) => c.id === data.id)) {
        m.chat.push({ id: data.id, text: data.text || '', nickname: data.nickname || '', at: data.at || null, participant: data.participant });
        if (m.chat.length > CHAT_KEEP) m.chat.splice(0, m.chat.length - CHAT_KEEP);
        changed.add('chat');
      }
      break;
    case 'chat_hide': {
      const before = m.chat.length;
      m.chat = m.chat.filter((c) => c.id !== data.id);
      if (m.chat.length !== before) changed.add('chat');
      break;
    }
    case 'announce':
      m.announce = { text: data.text || '', seq: m.seq };
      changed.add('announce');
      break;
    case 'tally':
      applyTally(m, data, changed);
      break;
    default:
      break; // a kind this version does not know: the contract may grow
  }
  return changed;
}

function applyTally(m, data, changed) {
  if (data.poll && m.poll && m.poll.item === data.poll.item) {
    if (Array.isArray(data.poll.counts)) m.poll.counts = data.poll.counts.slice();
    m.poll.voters = int(data.poll.voters, m.poll.voters);
    changed.add('poll');
  }
  if (data.quiz && m.quiz && m.quiz.item === data.quiz.item) {
    m.quiz.answers = int(data.quiz.answers, m.quiz.answers);
    changed.add('quiz');
  }
  if (data.votes && typeof data.votes === 'object') {
    let any = false;
    for (const [id, n] of Object.entries(data.votes)) {
      const q = findQuestion(m, Number(id));
      if (q && Number.isFinite(n)) {
        q.votes = n;
        any = true;
      }
    }
    if (any) {
      m.questions = sortQuestions(m.questions);
      changed.add('questions');
    }
  }
  if (data.reactions && typeof data.reactions === 'object') {
    for (const r of REACTIONS) {
      const n = data.reactions[r];
      if (Number.isFinite(n) && n > 0) m.reactions[r] += n;
    }
    changed.add('reactions');
  }
  if (data.presence && Number.isFinite(data.presence.online)) {
    m.presence = data.presence.online;
    changed.add('presence');
  }
}

/** Records the node's ack of the reader's answer ({item, choices, points?}). */
export function applyAnswerAck(m, ack) {
  if (!ack || ack.item === undefined) return;
  m.me.answers[ack.item] = list(ack.choices);
  if (Number.isFinite(ack.points)) {
    m.me.points[ack.item] = ack.points;
    m.me.total = Object.values(m.me.points).reduce((a, b) => a + b, 0);
  }
}

/** Records the reader's vote (or its withdrawal) once the node acknowledged it. */
export function applyVoteAck(m, question, up) {
  if (up) m.me.votes.add(question);
  else m.me.votes.delete(question);
}

/** Percentages of `counts` (whole numbers, by largest remainder, so they add up to 100). */
export function percentages(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return counts.map(() => 0);
  const raw = counts.map((c) => (c * 100) / total);
  const floors = raw.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - floors[i], i]).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (counts[i] > 0) {
      floors[i] += 1;
      left -= 1;
    }
  }
  return floors;
}

/** Whether the reader's answer to a revealed quiz was right (null when not answered or not revealed). */
export function quizVerdict(m) {
  const q = m.quiz;
  if (!q || !q.correct) return null;
  const mine = m.me.answers[q.item];
  if (!mine || !mine.length) return null;
  return mine.length === q.correct.length && mine.every((c) => q.correct.includes(c));
}
