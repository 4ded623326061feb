// The live console of one workshop, in the "Ateliers" panel. It follows the
// session over the WebSocket channel workshop:<id> with the staff token
// (same state and events as participants, workshop/model.js) and sends
// `publish` frames: for admins and animators, start and end, show a slide,
// open and close a poll (live results), open a quiz and reveal its answer
// (countdown, answers, top 10), announcements; for every staff role, Q&A
// moderation (answered, pinned, hidden) and chat moderation (hide a message,
// mute and unmute its author for this session).
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { alertRegion, say } from '../../ui/form.js';
import { confirmDialog } from '../../ui/dialog.js';
import { openLive } from '../../challenge/live.js';
import { REACTIONS, emptyModel, fromSubscribed, applyEvent, secondsLeft, clock } from '../../workshop/model.js';
import { local, whenText, timeIn, kindTag, statusTag, wsError, plural } from '../../workshop/common.js';
import { REACTION_ICONS, letter, refill, bars } from '../../workshop/view.js';
import { smallButton } from './common.js';

const TICK_MS = 250;
const ANNOUNCE_MAX = 280;

export default function liveConsole({ ctx, w, zone, presenter, token, back, showCode }) {
  const channel = `workshop:${w.id}`;
  const plan = w.plan || [];
  let model = emptyModel();
  let ready = false;
  let liveState = 'connecting';
  let ticker = null;
  let closed = false;
  const muted = new Map(); // participant id → nickname, muted in this session
  const revealed = new Set(); // quiz items revealed (the state only keeps the last one)
  const used = new Set(plan.filter((it) => it.used).map((it) => it.item));
  const slots = {};
  const alert = alertRegion();
  const announceDraft = { text: '' };

  const conn = openLive({
    token,
    presenter: true,
    onState(state) {
      liveState = state;
      draw(['head']);
    },
    onSubscribed(ch, frame) {
      if (ch !== channel) return;
      const full = frame.state !== undefined;
      model = fromSubscribed(frame, Date.now(), model);
      if (full) {
        ready = true;
        // Who is muted in this session, also after this console was reloaded.
        if (Array.isArray(frame.muted)) {
          muted.clear();
          for (const m of frame.muted) muted.set(m.participant, m.nickname);
        }
        if (model.quiz && model.quiz.correct) revealed.add(model.quiz.item);
        drawAll();
      }
      tick();
    },
    onEvent(ch, data, seq) {
      if (ch !== channel || !ready) return;
      const changed = applyEvent(model, data, seq, Date.now());
      if (!changed.size) return;
      if (data.kind === 'poll_open' || data.kind === 'quiz_open' || data.kind === 'step') used.add(data.item);
      if (data.kind === 'quiz_reveal') revealed.add(data.item);
      if (data.kind === 'quiz_open') tick();
      const parts = new Set(['head']);
      if (changed.has('status')) ['controls', 'plan'].forEach((p) => parts.add(p));
      if (['step', 'poll', 'quiz'].some((p) => changed.has(p))) parts.add('plan');
      if (changed.has('questions')) parts.add('questions');
      if (changed.has('chat')) parts.add('chat');
      draw([...parts]);
    },
    onReset(ch) {
      if (ch === channel) ready = false;
    },
  });
  conn.subscribe(channel);

  /** Sends a `publish` action; shows a refusal in the console's alert. True when acknowledged. */
  async function publish(action, fields = {}, button = null) {
    say(alert, null);
    if (button) button.disabled = true;
    try {
      await conn.request({ type: 'publish', channel, action, ...fields });
      return true;
    } catch (err) {
      say(alert, wsError(err));
      return false;
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
  }

  function tick() {
    const q = model.quiz;
    const running = q && q.open && !q.correct && secondsLeft(q.deadline, Date.now()) > 0;
    if (running && !ticker) {
      ticker = setInterval(() => {
        const quiz = model.quiz;
        const s = quiz ? secondsLeft(quiz.deadline, Date.now()) : 0;
        const el = document.getElementById('ws-live-timer');
        if (el) el.textContent = s > 0 ? t('ws.quiz.left', { time: clock(s) }) : t('ws.quiz.timeUp');
        if (s <= 0 || closed) {
          clearInterval(ticker);
          ticker = null;
        }
      }, TICK_MS);
    }
  }

  // --- parts ----------------------------------------------------------------

  function head() {
    const state = !ready && liveState === 'live' ? 'connecting' : liveState;
    const line = h('p', { class: ['live', `live-${state}`], id: 'ws-live-state', dataset: { state, status: model.status } });
    line.append(h('span', { class: 'live-dot', 'aria-hidden': 'true' }), t(state === 'live' ? 'ws.live.on' : state === 'connecting' ? 'ws.live.connecting' : 'ws.live.retrying'));
    return [
      h('p', { class: 'ws-tags' }, kindTag(w.kind), statusTag(model.status) || h('span', { class: 'tag' }, t('admin.ws.scheduled'))),
      h('p', { class: 'ws-when' }, whenText(w, zone)),
      line,
      h('p', { id: 'ws-live-presence' }, plural('ws.presence', model.presence)),
      h(
        'p',
        { class: 'ws-reactions', id: 'ws-live-reactions', 'aria-label': t('ws.reactions') },
        REACTIONS.map((r) => h('span', { class: 'ws-reaction', title: t(`ws.reaction.${r}`), 'aria-label': t('ws.reactionCount', { label: t(`ws.reaction.${r}`), n: formatNumber(model.reactions[r] || 0) }) }, h('span', { 'aria-hidden': 'true' }, REACTION_ICONS[r]), ` ${formatNumber(model.reactions[r] || 0)}`)),
      ),
    ];
  }

  function controls() {
    if (!presenter) return h('p', { class: 'muted' }, t('admin.ws.moderatorNote'));
    const out = [];
    if (model.status === 'scheduled') {
      const start = h('button', { type: 'button', class: 'button button-primary', id: 'ws-live-start', dataset: { key: 'start' } }, t('admin.ws.start'));
      start.addEventListener('click', () => publish('start', {}, start));
      out.push(start);
    } else if (model.status === 'live') {
      const end = h('button', { type: 'button', class: 'button button-danger', id: 'ws-live-end', dataset: { key: 'end' } }, t('admin.ws.end'));
      end.addEventListener('click', async () => {
        const ok = await confirmDialog({ title: t('admin.ws.endTitle'), text: t('admin.ws.endText'), confirmLabel: t('admin.ws.endConfirm'), danger: true });
        if (ok) publish('end', {}, end);
      });
      out.push(end);
    } else {
      out.push(h('p', { class: 'muted' }, t('admin.ws.endedNote')));
    }
    if (w.kind !== 'online' && w.checkin_code) out.push(smallButton(t('admin.ws.showCode'), showCode, { attrs: { id: 'ws-live-code' } }));
    return h('div', { class: 'actions' }, out);
  }

  function announceForm() {
    if (!presenter) return null;
    const input = h('input', { type: 'text', id: 'ws-live-announce', maxlength: String(ANNOUNCE_MAX), autocomplete: 'off' });
    input.value = announceDraft.text;
    input.addEventListener('input', () => {
      announceDraft.text = input.value;
    });
    const button = h('button', { type: 'submit', class: 'button button-secondary' }, t('admin.ws.announce'));
    return h(
      'form',
      {
        class: 'form ws-send',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (!text || Array.from(text).length > ANNOUNCE_MAX) {
            say(alert, t('admin.textRule', { max: formatNumber(ANNOUNCE_MAX) }));
            input.focus();
            return;
          }
          if (await publish('announce', { text }, button)) {
            announceDraft.text = '';
            input.value = '';
            ctx.say('admin.ws.announced');
          }
        },
      },
      h('label', { for: input.id }, t('admin.ws.announceLabel')),
      h('div', { class: 'ws-send-row' }, input, button),
    );
  }

  function actionButton(label, action, fields, { key, danger = false, disabled = false, id } = {}) {
    const b = h('button', { type: 'button', class: ['button', 'button-small', danger ? 'button-danger' : 'button-secondary'], dataset: { key }, id, disabled }, label);
    b.addEventListener('click', () => publish(action, fields, b));
    return b;
  }

  function planItem(it, i) {
    const item = it.item === undefined ? i : it.item;
    const ended = model.status === 'ended';
    const name = it.kind === 'slide' ? local(it.title) : local(it.question);
    const parts = [h('p', { class: 'ws-plan-name' }, h('strong', null, t('admin.ws.itemTitle', { n: i + 1, kind: t(`admin.ws.kind.${it.kind}`) })), ' ', name)];
    if (it.kind === 'slide') {
      const current = model.step && model.step.item === item;
      parts.push(current ? h('span', { class: 'tag tag-open' }, t('admin.ws.onScreen')) : actionButton(t('admin.ws.stepTo'), 'step', { item }, { key: `step-${item}`, disabled: ended, id: `ws-step-${item}` }));
    } else if (it.kind === 'poll') {
      const p = model.poll && model.poll.item === item ? model.poll : null;
      if (p && p.open) {
        parts.push(actionButton(t('admin.ws.pollClose'), 'poll_close', { item }, { key: `pollc-${item}`, id: `ws-pollclose-${item}` }));
      } else {
        parts.push(actionButton(t(used.has(item) ? 'admin.ws.pollReopen' : 'admin.ws.pollOpen'), 'poll_open', { item }, { key: `pollo-${item}`, disabled: ended, id: `ws-pollopen-${item}` }));
      }
      if (p) parts.push(bars(p.options, p.counts, { idPrefix: `ws-live-poll-${item}` }), h('p', { class: 'muted', id: `ws-live-voters-${item}` }, plural('ws.voters', p.voters)));
    } else {
      const q = model.quiz && model.quiz.item === item ? model.quiz : null;
      const correct = (it.correct || []).map(letter).join(', ');
      parts.push(h('p', { class: 'hint' }, t('admin.ws.quizFacts', { correct, seconds: it.seconds, points: it.points })));
      if (q && !q.correct) {
        const s = secondsLeft(q.deadline, Date.now());
        parts.push(
          h('p', { class: 'ws-timer', id: 'ws-live-timer', role: 'timer' }, s > 0 ? t('ws.quiz.left', { time: clock(s) }) : t('ws.quiz.timeUp')),
          h('p', { id: `ws-live-answers-${item}` }, plural('ws.answers', q.answers)),
          actionButton(t('admin.ws.quizReveal'), 'quiz_reveal', { item }, { key: `reveal-${item}`, id: `ws-reveal-${item}` }),
        );
      } else if (q && q.correct) {
        parts.push(h('span', { class: 'tag tag-ok' }, t('admin.ws.revealed')), bars(q.options, q.counts || q.options.map(() => 0), { correct: q.correct, idPrefix: `ws-live-quiz-${item}` }));
        if (model.quizTop.length) {
          parts.push(h('ol', { class: 'ws-top', id: `ws-live-top-${item}` }, model.quizTop.map((e) => h('li', null, `${e.nickname} — ${plural('ws.pointsShort', e.points || 0)}`))));
        }
      } else if (revealed.has(item) || used.has(item)) {
        parts.push(h('span', { class: 'tag tag-off' }, t('admin.ws.asked')));
      } else {
        parts.push(actionButton(t('admin.ws.quizOpen'), 'quiz_open', { item }, { key: `quizo-${item}`, disabled: ended || model.status !== 'live', id: `ws-quizopen-${item}` }));
      }
    }
    return h('li', { class: 'ws-plan-item', dataset: { item: String(item), kind: it.kind } }, parts);
  }

  function planPart() {
    if (!presenter) return null;
    if (!plan.length) return h('p', { class: 'muted' }, t('admin.ws.planEmptyLive'));
    return h('ol', { class: 'ws-plan-live' }, plan.map(planItem));
  }

  function questionsPart() {
    if (!model.questions.length) return h('p', { class: 'muted' }, t('ws.qa.empty'));
    return h(
      'ul',
      { class: 'ws-questions' },
      model.questions.map((q) =>
        h(
          'li',
          { class: ['ws-q', q.pinned && 'ws-q-pinned', q.answered && 'ws-q-answered'], dataset: { question: String(q.id), votes: String(q.votes) } },
          h('span', { class: 'ws-vote ws-vote-static', 'aria-label': plural('ws.qa.votes', q.votes) }, h('span', { 'aria-hidden': 'true' }, '▲ '), formatNumber(q.votes)),
          h(
            'div',
            { class: 'ws-q-body' },
            h('p', { class: 'ws-q-text' }, q.text),
            h('p', { class: 'ws-q-meta' }, t('ws.qa.by', { nickname: q.nickname }), q.pinned ? h('span', { class: 'tag tag-pin' }, t('ws.qa.pinned')) : null, q.answered ? h('span', { class: 'tag' }, t('ws.qa.answered')) : null),
            h(
              'div',
              { class: 'row-actions' },
              actionButton(t(q.pinned ? 'admin.ws.unpin' : 'admin.ws.pin'), 'question_pin', { question: q.id, value: !q.pinned }, { key: `pin-${q.id}`, id: `ws-pin-${q.id}` }),
              actionButton(t(q.answered ? 'admin.ws.unanswered' : 'admin.ws.answered'), 'question_answered', { question: q.id, value: !q.answered }, { key: `ans-${q.id}`, id: `ws-answered-${q.id}` }),
              actionButton(t('admin.ws.hide'), 'question_hide', { question: q.id, value: true }, { key: `qhide-${q.id}`, danger: true, id: `ws-qhide-${q.id}` }),
            ),
          ),
        ),
      ),
    );
  }

  /** The participant id behind a nickname, from the attendance table (chat messages carry only nicknames). */
  async function participantOf(nickname) {
    let found = null;
    await ctx.act(async (tok) => {
      const a = await api.adminAttendance(tok, w.id);
      const row = (a.rows || []).find((r) => r.nickname === nickname);
      found = row ? row.participant : null;
    }, (err) => say(alert, wsError(err)));
    return found;
  }

  async function mute(c, button) {
    const ok = await confirmDialog({ title: t('admin.ws.muteTitle', { nickname: c.nickname }), text: t('admin.ws.muteText'), confirmLabel: t('admin.ws.muteConfirm'), danger: true });
    if (!ok) return;
    const id = c.participant || (await participantOf(c.nickname));
    if (!id) {
      say(alert, t('admin.ws.muteUnknown', { nickname: c.nickname }));
      return;
    }
    if (await publish('mute', { participant: id }, button)) {
      muted.set(id, c.nickname);
      ctx.say('admin.ws.mutedDone', { nickname: c.nickname });
      draw(['muted']);
    }
  }

  function chatPart() {
    if (!model.chat.length) return h('p', { class: 'muted' }, t('ws.chat.empty'));
    return h(
      'ol',
      { class: 'ws-chat-list' },
      model.chat
        .slice()
        .reverse()
        .map((c) => {
          const muteButton = h('button', { type: 'button', class: 'button button-small button-secondary', dataset: { key: `mute-${c.id}` }, id: `ws-mute-${c.id}` }, t('admin.ws.mute'));
          muteButton.addEventListener('click', () => mute(c, muteButton));
          return h(
            'li',
            { dataset: { message: String(c.id) } },
            h('span', { class: 'ws-chat-who' }, c.nickname),
            c.at ? h('span', { class: 'ws-chat-at' }, ` ${timeIn(c.at, zone)}`) : null,
            h('span', { class: 'ws-chat-text' }, ` ${c.text}`),
            h('div', { class: 'row-actions' }, actionButton(t('admin.ws.hide'), 'chat_hide', { message: c.id }, { key: `chide-${c.id}`, danger: true, id: `ws-chide-${c.id}` }), muteButton),
          );
        }),
    );
  }

  function mutedPart() {
    if (!muted.size) return null;
    return [
      h('h4', null, t('admin.ws.mutedTitle')),
      h(
        'ul',
        null,
        [...muted.entries()].map(([id, nickname]) => {
          const b = h('button', { type: 'button', class: 'button button-small button-secondary', dataset: { key: `unmute-${id}` } }, t('admin.ws.unmute'));
          b.addEventListener('click', async () => {
            if (await publish('unmute', { participant: id }, b)) {
              muted.delete(id);
              ctx.say('admin.ws.unmutedDone', { nickname });
              draw(['muted']);
            }
          });
          return h('li', null, nickname, ' ', b);
        }),
      ),
    ];
  }

  const PARTS = { head, controls, plan: planPart, questions: questionsPart, chat: chatPart, muted: mutedPart };

  function draw(parts) {
    for (const p of parts) if (slots[p]) refill(slots[p], PARTS[p]());
  }

  function drawAll() {
    draw(Object.keys(PARTS));
  }

  function slot(name, attrs = {}) {
    slots[name] = h('div', attrs, PARTS[name]());
    return slots[name];
  }

  function render() {
    return [
      h('h3', { id: 'ws-live-title', tabindex: '-1' }, t(presenter ? 'admin.ws.liveTitle' : 'admin.ws.moderateTitle', { title: local(w.title) })),
      slot('head', { class: 'ws-live-head' }),
      alert,
      slot('controls'),
      announceForm(),
      presenter ? h('h4', null, t('admin.ws.planLive')) : null,
      slot('plan'),
      h('h4', null, t('ws.qa.title')),
      slot('questions', { id: 'ws-live-questions' }),
      h('h4', null, t('ws.chat.title')),
      h('p', { class: 'hint' }, t('admin.ws.chatHint')),
      slot('chat', { id: 'ws-live-chat', class: 'ws-chat-box' }),
      slot('muted', { id: 'ws-live-muted' }),
      h('div', { class: 'actions' }, smallButton(t('admin.ws.back'), back, { attrs: { id: 'ws-live-back' } })),
    ];
  }

  return {
    id: w.id,
    render,
    close() {
      closed = true;
      conn.close();
      if (ticker) clearInterval(ticker);
      ticker = null;
    },
  };
}
