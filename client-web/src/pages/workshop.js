// One workshop (#/ateliers/<id>): its date, description, video link and the
// reader's registration, and, live, the session itself over the WebSocket
// channel workshop:<id> — the current slide, the open poll (answer, change
// while open, live counts), the quiz (countdown, one answer, the correction
// with the top 10 and the reader's points), questions with up-votes, chat,
// reactions, presence and the animator's announcements. The subscription's
// answer gives the state; events are applied to it (workshop/model.js). A
// dropped connection resumes with `after` the last event seen; `lagging`
// brings the state again. Each part redraws alone, so typing is never lost.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { alertRegion, say, busy } from '../ui/form.js';
import { pageShell, loadingOrError, dropSession } from '../challenge/common.js';
import { openLive, LiveError } from '../challenge/live.js';
import {
  REACTIONS,
  emptyModel,
  fromSubscribed,
  applyEvent,
  applyAnswerAck,
  applyVoteAck,
  secondsLeft,
  clock,
  quizVerdict,
} from '../workshop/model.js';
import { embedUrl, frameAllowed, frameSourcesOfPage } from '../workshop/video.js';
import { REACTION_ICONS, letter, refill, bars } from '../workshop/view.js';
import {
  local,
  whenText,
  kindTag,
  statusTag,
  registrationCard,
  announceIn,
  cityZone,
  timeIn,
  wsError,
  plural,
  formatInt,
} from '../workshop/common.js';

const TICK_MS = 250;
const QUESTION_MAX = 280;
const CHAT_MAX = 500;

export default function workshopPage(app) {
  const id = Number(app.params && app.params[0]);
  const channel = `workshop:${id}`;
  let w = null;
  let loadError = null;
  let zone = 'Europe/Paris';
  let left = false;
  let model = emptyModel();
  let ready = false; // the state has arrived
  let live = null;
  let liveState = 'connecting';
  let nickname = null;
  let videoSources = null; // frame-src of the node's policy
  let videoShown = false;
  let ticker = null;
  let meTimer = null;
  let refreshing = false; // `me` asked for again after a quiz's reveal
  let pollPick = new Set(); // a multiple-choice poll's boxes, as ticked
  const drafts = { question: '', chat: '' };
  const slots = {};
  const announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

  const participant = () => session.participant();

  function lost() {
    dropSession(app);
    if (live) {
      live.close();
      live = null;
    }
    startLive();
    loadWorkshop();
  }

  // --- loading ----------------------------------------------------------------

  function loadWorkshop(focus) {
    const who = participant();
    return Promise.all([api.workshop(id, who ? who.token : undefined), cityZone(app)]).then(
      ([body, z]) => {
        if (left) return;
        w = body;
        zone = z;
        loadError = null;
        if (w.status === 'cancelled' && live) {
          // A cancelled workshop has no live session.
          live.close();
          live = null;
        }
        app.rerender(focus);
        if (w.video_url && embedUrl(w.video_url)) {
          frameSourcesOfPage().then((s) => {
            if (left) return;
            videoSources = s;
            draw(['video']);
          });
        }
      },
      (err) => {
        if (left) return;
        if (err.status === 401 && who) {
          lost();
          return;
        }
        loadError = err.status === 404 ? t('ws.notFound') : wsError(err);
        app.rerender();
      },
    );
  }

  function loadNickname() {
    const who = participant();
    if (!who) return;
    api.me(who.token).then(
      (me) => {
        if (left) return;
        nickname = me.nickname;
        draw(['chat', 'questions']);
      },
      () => {},
    );
  }

  // --- live -------------------------------------------------------------------

  function startLive() {
    const who = participant();
    live = openLive({
      token: who ? who.token : null,
      onState(state) {
        liveState = state;
        draw(['live']);
      },
      onWelcome(frame) {
        if (who && frame.role === 'guest' && participant()) {
          // The token was refused on the socket: the session is gone.
          dropSession(app);
          app.rerender();
        }
      },
      onSubscribed(ch, frame) {
        if (ch !== channel) return;
        const full = frame.state !== undefined;
        if (refreshing && !full && frame.me === undefined) {
          // This node sends `me` only with the whole state: ask for that.
          live.refresh(channel, { full: true });
          return;
        }
        refreshing = false;
        const wasReady = ready;
        const before = model.status;
        model = fromSubscribed(frame, Date.now(), model);
        if (full) {
          ready = true;
          if (w && model.status && model.status !== w.status) w.status = model.status;
          // The same session again (a reconnection, a refresh): redraw the
          // parts, so what the reader is typing keeps the focus.
          if (wasReady && before === model.status) draw(Object.keys(PARTS));
          else app.rerender();
        } else draw(['quiz', 'poll', 'questions']);
        tick();
      },
      onEvent(ch, data, seq) {
        if (ch !== channel || !ready) return;
        const changed = applyEvent(model, data, seq, Date.now());
        if (!changed.size) return;
        react(data, changed);
        draw(changed);
      },
      onReset(ch) {
        if (ch === channel) ready = false; // the state comes again with the next answer
      },
      onChannelError(ch, err) {
        if (ch === channel && err && err.code === 'unknown_channel') {
          ready = false;
          draw(['live']);
        }
      },
    });
    live.subscribe(channel);
  }

  /** What an event means beyond redrawing: a screen-reader line, the workshop's status, own points. */
  function react(data, changed) {
    if (changed.has('status') && w) {
      // The page's shape follows the status (the stage, the forms): redraw it all.
      w.status = model.status;
      app.rerender();
      announcer.textContent = t(`ws.live.status.${model.status}`);
    }
    if (data.kind === 'poll_open') {
      pollPick = new Set();
      announcer.textContent = t('ws.live.pollOpened');
    }
    if (data.kind === 'quiz_open') {
      announcer.textContent = t('ws.live.quizOpened', { seconds: formatInt(data.seconds || 0) });
      tick();
    }
    if (data.kind === 'quiz_reveal') {
      announcer.textContent = t('ws.live.quizRevealed');
      // The points depend on the node's clock: ask for `me` again, spread
      // over two seconds so a full room does not ask at once.
      if (participant() && model.me.answers[data.item]) {
        if (meTimer) clearTimeout(meTimer);
        meTimer = setTimeout(() => {
          meTimer = null;
          if (live && !left) {
            refreshing = true;
            live.refresh(channel);
          }
        }, Math.round(Math.random() * 2000));
      }
    }
    if (data.kind === 'announce') announcer.textContent = t('ws.live.announce', { text: data.text || '' });
  }

  /** The quiz's countdown, redrawn while a quiz is open. */
  function tick() {
    const q = model.quiz;
    const running = q && q.open && secondsLeft(q.deadline, Date.now()) > 0;
    if (running && !ticker) {
      ticker = setInterval(() => {
        const quiz = model.quiz;
        const el = slots.quiz && slots.quiz.querySelector('#ws-quiz-timer');
        const left2 = quiz ? secondsLeft(quiz.deadline, Date.now()) : 0;
        if (el) el.textContent = left2 > 0 ? t('ws.quiz.left', { time: clock(left2) }) : t('ws.quiz.timeUp');
        if (left2 <= 0) {
          clearInterval(ticker);
          ticker = null;
          draw(['quiz']);
        }
      }, TICK_MS);
    } else if (!running && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  /** Sends a frame of the channel; resolves to {ok, data} (the ack's data) or {ok: false} after showing the refusal in `alert`. */
  async function send(frame, alert, button) {
    if (alert) say(alert, null);
    if (button) busy(button, true, 'common.working');
    try {
      if (!live) throw new LiveError('network');
      return { ok: true, data: await live.request({ ...frame, channel }) };
    } catch (err) {
      if (alert) say(alert, wsError(err));
      return { ok: false, err };
    } finally {
      if (button && button.isConnected) busy(button, false);
    }
  }

  // --- parts -------------------------------------------------------------------

  function draw(parts) {
    for (const part of parts) {
      const slot = slots[part];
      const make = PARTS[part];
      if (slot && make) refill(slot, make());
    }
  }

  function liveLine() {
    const state = !ready && liveState === 'live' ? 'connecting' : liveState;
    const el = h('p', { class: ['live', `live-${state}`], id: 'ws-live', dataset: { state, seq: model.seq === null ? '' : String(model.seq) } });
    el.append(h('span', { class: 'live-dot', 'aria-hidden': 'true' }), t(state === 'live' ? 'ws.live.on' : state === 'connecting' ? 'ws.live.connecting' : 'ws.live.retrying'));
    return el;
  }

  function headerPart() {
    return [
      h('p', { class: 'ws-tags' }, kindTag(w.kind), statusTag(w.status)),
      h('p', { class: 'ws-when', id: 'ws-when' }, whenText(w, zone)),
    ];
  }

  function announcePart() {
    if (!model.announce || !model.announce.text) return null;
    return h(
      'div',
      { class: 'notice notice-info ws-announce', id: 'ws-announce-text' },
      h('p', null, h('strong', null, t('ws.announceLabel')), ' ', model.announce.text),
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary button-small',
          dataset: { key: 'announce-close' },
          onclick: () => {
            model.announce = null;
            draw(['announce']);
          },
        },
        t('ws.announceClose'),
      ),
    );
  }

  function videoPart() {
    if (!w.video_url) return null;
    const embed = embedUrl(w.video_url);
    let host = '';
    try {
      host = new URL(w.video_url).host;
    } catch {
      return null;
    }
    const safe = /^https:\/\//.test(w.video_url);
    const link = safe
      ? h('a', { href: w.video_url, target: '_blank', rel: 'noopener noreferrer', id: 'ws-video-link' }, t('ws.video.open', { host }))
      : null;
    if (!link) return null;
    const can = embed && videoSources && frameAllowed(embed, videoSources, location.origin);
    if (!can) return h('p', { class: 'ws-video' }, link);
    if (!videoShown) {
      return [
        h('p', { class: 'ws-video' }, link),
        h('p', { class: 'hint' }, t('ws.video.privacy', { host: new URL(embed).host })),
        h('div', { class: 'actions' }, h('button', {
          type: 'button',
          class: 'button button-secondary',
          dataset: { key: 'video-show' },
          onclick: () => {
            videoShown = true;
            draw(['video']);
          },
        }, t('ws.video.show'))),
      ];
    }
    return [
      h(
        'div',
        { class: 'ws-frame' },
        h('iframe', {
          src: embed,
          title: t('ws.video.frameTitle', { title: local(w.title) }),
          allow: 'fullscreen; picture-in-picture; encrypted-media',
          // The page sends no Referer; players such as YouTube's need the origin.
          referrerpolicy: 'strict-origin-when-cross-origin',
          sandbox: 'allow-scripts allow-same-origin allow-presentation allow-popups',
          loading: 'lazy',
        }),
      ),
      h('p', { class: 'ws-video' }, link),
    ];
  }

  function stagePart() {
    const step = model.step;
    if (!step || !step.slide) {
      if (model.status === 'live') return h('p', { class: 'muted' }, t('ws.stage.none'));
      return null;
    }
    const s = step.slide;
    const image = s.image
      ? h('img', {
          class: 'ws-slide-image',
          src: `api/v1/workshops/${id}/images/${encodeURIComponent(s.image)}`,
          alt: s.alt ? local(s.alt) : '',
          loading: 'lazy',
        })
      : null;
    const body = local(s.body);
    return h(
      'article',
      { class: 'ws-slide', dataset: { item: String(step.item) }, 'aria-labelledby': 'ws-slide-title' },
      h('h3', { id: 'ws-slide-title' }, local(s.title)),
      image,
      body ? body.split(/\n{2,}/).map((para) => h('p', null, para)) : null,
    );
  }

  function pollPart() {
    const p = model.poll;
    if (!p) return null;
    const who = participant();
    const mine = model.me.answers[p.item] || null;
    const alert = alertRegion();
    const controls = [];
    if (p.open && who && model.status === 'live') {
      if (!p.multiple) {
        controls.push(
          h(
            'div',
            { class: 'ws-options', role: 'group', 'aria-label': t('ws.poll.choose') },
            p.options.map((o, i) => {
              const b = h(
                'button',
                {
                  type: 'button',
                  class: 'ws-option',
                  'aria-pressed': mine && mine.includes(i) ? 'true' : 'false',
                  dataset: { key: `poll-${p.item}-${i}`, choice: String(i) },
                },
                h('span', { class: 'ws-letter', 'aria-hidden': 'true' }, letter(i)),
                local(o),
              );
              b.addEventListener('click', async () => {
                const res = await send({ type: 'answer', item: p.item, choices: [i] }, alert, null);
                if (res.ok) {
                  applyAnswerAck(model, { item: p.item, choices: [i], ...res.data });
                  draw(['poll']);
                }
              });
              return b;
            }),
          ),
        );
      } else {
        if (!pollPick.size && mine) mine.forEach((c) => pollPick.add(c));
        const boxes = p.options.map((o, i) => {
          const idFor = `ws-poll-${p.item}-${i}`;
          const box = h('input', { type: 'checkbox', id: idFor, checked: pollPick.has(i), dataset: { key: idFor } });
          box.addEventListener('change', () => {
            if (box.checked) pollPick.add(i);
            else pollPick.delete(i);
          });
          return h('div', { class: 'field field-check' }, box, h('label', { for: idFor }, `${letter(i)}. ${local(o)}`));
        });
        const submit = h('button', { type: 'submit', class: 'button button-primary', dataset: { key: 'poll-send' } }, t(mine ? 'ws.poll.change' : 'ws.poll.send'));
        controls.push(
          h(
            'form',
            {
              class: 'form',
              novalidate: true,
              onsubmit: async (e) => {
                e.preventDefault();
                const choices = [...pollPick].sort((a, b) => a - b);
                if (!choices.length) {
                  say(alert, t('ws.poll.pickOne'));
                  return;
                }
                const res = await send({ type: 'answer', item: p.item, choices }, alert, submit);
                if (res.ok) {
                  applyAnswerAck(model, { item: p.item, choices, ...res.data });
                  draw(['poll']);
                }
              },
            },
            h('fieldset', { class: 'fieldset' }, h('legend', null, t('ws.poll.chooseMany')), boxes),
            h('div', { class: 'actions' }, submit),
          ),
        );
      }
    }
    let note = null;
    if (mine && mine.length) {
      const letters = mine.map(letter).join(', ');
      note = h('p', { class: 'ws-mine', id: 'ws-poll-mine' }, t(p.open ? 'ws.poll.mineOpen' : 'ws.poll.mine', { choices: letters }));
    } else if (p.open && !who) note = h('p', { class: 'muted' }, t('ws.joinToTakePart'));
    return h(
      'section',
      { class: ['card', 'ws-poll'], 'aria-labelledby': 'ws-poll-title', dataset: { item: String(p.item), open: String(p.open) } },
      h('h2', { id: 'ws-poll-title' }, t('ws.poll.title'), ' ', h('span', { class: ['tag', p.open ? 'tag-open' : 'tag-off'] }, t(p.open ? 'ws.open' : 'ws.closed'))),
      h('p', { class: 'ws-question' }, local(p.question)),
      p.multiple ? h('p', { class: 'hint' }, t('ws.poll.multipleHint')) : null,
      controls,
      alert,
      note,
      bars(p.options, p.counts, { mine, idPrefix: 'ws-poll' }),
      h('p', { class: 'muted', id: 'ws-poll-voters' }, plural('ws.voters', p.voters)),
    );
  }

  function quizPart() {
    const q = model.quiz;
    if (!q) return null;
    const who = participant();
    const mine = model.me.answers[q.item] || null;
    const leftS = secondsLeft(q.deadline, Date.now());
    const answering = q.open && leftS > 0;
    const alert = alertRegion();
    const parts = [];
    if (q.open) {
      parts.push(h('p', { class: 'ws-timer', id: 'ws-quiz-timer', role: 'timer' }, answering ? t('ws.quiz.left', { time: clock(leftS) }) : t('ws.quiz.timeUp')));
    }
    if (answering && who && !mine && model.status === 'live') {
      parts.push(
        h('p', { class: 'hint' }, t('ws.quiz.oneAnswer')),
        h(
          'div',
          { class: 'ws-options', role: 'group', 'aria-label': t('ws.quiz.choose') },
          q.options.map((o, i) => {
            const b = h(
              'button',
              { type: 'button', class: 'ws-option', dataset: { key: `quiz-${q.item}-${i}`, choice: String(i) } },
              h('span', { class: 'ws-letter', 'aria-hidden': 'true' }, letter(i)),
              local(o),
            );
            b.addEventListener('click', async () => {
              const res = await send({ type: 'answer', item: q.item, choices: [i] }, alert, null);
              if (res.ok) {
                applyAnswerAck(model, { item: q.item, choices: [i], ...res.data });
                draw(['quiz']);
              }
            });
            return b;
          }),
        ),
      );
    } else if (q.open && !who) parts.push(h('p', { class: 'muted' }, t('ws.joinToTakePart')));
    if (mine && mine.length && !q.correct) {
      parts.push(h('p', { class: 'ws-mine', id: 'ws-quiz-mine' }, t('ws.quiz.mine', { choice: mine.map(letter).join(', ') })));
    }
    parts.push(alert);
    if (q.correct) {
      const verdict = quizVerdict(model);
      const pts = model.me.points[q.item];
      if (verdict !== null) {
        parts.push(
          h(
            'p',
            { class: ['ws-verdict', verdict ? 'ws-verdict-ok' : 'ws-verdict-no'], id: 'ws-quiz-verdict' },
            t(verdict ? 'ws.quiz.right' : 'ws.quiz.wrong'),
            Number.isFinite(pts) ? ` ${plural('ws.quiz.pointsWon', pts)}` : '',
          ),
        );
      } else if (who) parts.push(h('p', { class: 'muted' }, t('ws.quiz.noAnswer')));
      parts.push(bars(q.options, q.counts || q.options.map(() => 0), { correct: q.correct, mine, idPrefix: 'ws-quiz' }));
    } else {
      parts.push(h('p', { class: 'muted', id: 'ws-quiz-answers' }, plural('ws.answers', q.answers)));
    }
    if (who && (model.me.total > 0 || q.correct)) {
      parts.push(h('p', { class: 'ws-points', id: 'ws-my-points' }, plural('ws.quiz.myTotal', model.me.total || 0)));
    }
    if (q.correct && model.quizTop.length) parts.push(topList());
    return h(
      'section',
      { class: ['card', 'ws-quiz'], 'aria-labelledby': 'ws-quiz-title', dataset: { item: String(q.item), open: String(q.open), revealed: String(Boolean(q.correct)) } },
      h('h2', { id: 'ws-quiz-title' }, t('ws.quiz.title')),
      h('p', { class: 'ws-question' }, local(q.question)),
      parts,
    );
  }

  function topList() {
    return [
      h('h3', { id: 'ws-top-title' }, t('ws.quiz.top')),
      h(
        'ol',
        { class: 'ws-top', 'aria-labelledby': 'ws-top-title' },
        model.quizTop.map((e) =>
          h('li', { class: nickname && e.nickname === nickname ? 'ws-top-me' : null }, h('span', null, e.nickname), ' ', h('span', { class: 'ws-top-points' }, plural('ws.pointsShort', e.points || 0))),
        ),
      ),
    ];
  }

  function reactionsPart() {
    const who = participant();
    const canReact = who && model.status === 'live';
    return REACTIONS.map((r) => {
      const label = t(`ws.reaction.${r}`);
      const count = model.reactions[r] || 0;
      const content = [h('span', { 'aria-hidden': 'true' }, REACTION_ICONS[r]), h('span', { class: 'ws-reaction-count' }, formatInt(count))];
      if (!canReact) return h('span', { class: 'ws-reaction', title: label, 'aria-label': t('ws.reactionCount', { label, n: formatInt(count) }), dataset: { reaction: r } }, content);
      const b = h('button', { type: 'button', class: 'ws-reaction', 'aria-label': t('ws.reactionSend', { label, n: formatInt(count) }), dataset: { key: `react-${r}`, reaction: r } }, content);
      b.addEventListener('click', () => {
        live.request({ type: 'react', channel, reaction: r }).catch(() => {});
        b.classList.remove('ws-pop');
        // Restarts the little animation (reduced-motion users see none: app.css).
        void b.offsetWidth;
        b.classList.add('ws-pop');
      });
      return b;
    });
  }

  function presencePart() {
    return plural('ws.presence', model.presence);
  }

  function questionsPart() {
    const who = participant();
    if (!model.questions.length) return h('p', { class: 'muted' }, t('ws.qa.empty'));
    const canVote = who && model.status !== 'ended';
    return h(
      'ul',
      { class: 'ws-questions' },
      model.questions.map((q) => {
        const voted = model.me.votes.has(q.id);
        const own = nickname && q.nickname === nickname;
        let vote;
        if (canVote && !own) {
          vote = h(
            'button',
            {
              type: 'button',
              class: 'ws-vote',
              'aria-pressed': voted ? 'true' : 'false',
              'aria-label': t(voted ? 'ws.qa.unvote' : 'ws.qa.vote', { n: formatInt(q.votes) }),
              dataset: { key: `vote-${q.id}` },
            },
            h('span', { 'aria-hidden': 'true' }, '▲ '),
            formatInt(q.votes),
          );
          vote.addEventListener('click', async () => {
            const res = await send({ type: 'vote', question: q.id, up: !voted }, questionAlert, null);
            if (res.ok) {
              applyVoteAck(model, q.id, !voted);
              draw(['questions']);
            }
          });
        } else {
          vote = h('span', { class: 'ws-vote ws-vote-static', 'aria-label': plural('ws.qa.votes', q.votes) }, h('span', { 'aria-hidden': 'true' }, '▲ '), formatInt(q.votes));
        }
        return h(
          'li',
          { class: ['ws-q', q.pinned && 'ws-q-pinned', q.answered && 'ws-q-answered'], dataset: { question: String(q.id), votes: String(q.votes) } },
          vote,
          h(
            'div',
            { class: 'ws-q-body' },
            h('p', { class: 'ws-q-text' }, q.text),
            h(
              'p',
              { class: 'ws-q-meta' },
              own ? t('ws.qa.byYou') : t('ws.qa.by', { nickname: q.nickname }),
              q.pinned ? h('span', { class: 'tag tag-pin' }, t('ws.qa.pinned')) : null,
              q.answered ? h('span', { class: 'tag' }, t('ws.qa.answered')) : null,
            ),
          ),
        );
      }),
    );
  }

  const questionAlert = alertRegion();
  const chatAlert = alertRegion();

  function chatPart() {
    if (!model.chat.length) return h('p', { class: 'muted' }, t('ws.chat.empty'));
    return h(
      'ol',
      { class: 'ws-chat-list' },
      model.chat.map((c) =>
        h(
          'li',
          { dataset: { message: String(c.id) }, class: nickname && c.nickname === nickname ? 'ws-chat-mine' : null },
          h('span', { class: 'ws-chat-who' }, c.nickname),
          c.at ? h('span', { class: 'ws-chat-at' }, ` ${timeIn(c.at, zone)}`) : null,
          h('span', { class: 'ws-chat-text' }, ` ${c.text}`),
        ),
      ),
    );
  }

  const PARTS = {
    live: liveLine,
    header: () => (w ? headerPart() : null),
    announce: announcePart,
    video: () => (w ? videoPart() : null),
    step: stagePart,
    poll: pollPart,
    quiz: quizPart,
    reactions: reactionsPart,
    presence: presencePart,
    questions: questionsPart,
    chat: () => {
      const box = slots.chatBox;
      const atEnd = box && box.scrollHeight - box.scrollTop - box.clientHeight < 40;
      const out = chatPart();
      if (box && atEnd) queueMicrotask(() => (box.scrollTop = box.scrollHeight));
      return out;
    },
    registration: () => (w ? registration() : null),
    status: () => null,
    me: () => null,
  };

  function registration() {
    return registrationCard(w, {
      onChange(fresh, text) {
        if (fresh) w = fresh;
        draw(['registration', 'header']);
        announceIn(`ws-reg-status-${w.id}`, text);
      },
      lost,
    });
  }

  // --- forms ---------------------------------------------------------------

  function textForm({ name, labelKey, hintKey, max, area, buttonKey, alert, onSend }) {
    const control = h(area ? 'textarea' : 'input', {
      name,
      id: `ws-${name}`,
      maxlength: String(max),
      autocomplete: 'off',
      rows: area ? '2' : undefined,
      type: area ? undefined : 'text',
      enterkeyhint: 'send',
    });
    control.value = drafts[name];
    control.addEventListener('input', () => {
      drafts[name] = control.value;
    });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t(buttonKey));
    return h(
      'form',
      {
        class: 'form ws-send',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const text = control.value.trim();
          if (!text) {
            say(alert, t('ws.emptyText'));
            control.focus();
            return;
          }
          if (Array.from(text).length > max) {
            say(alert, t('ws.tooLong', { max: formatInt(max) }));
            return;
          }
          const ok = await onSend(text, button);
          if (ok) {
            drafts[name] = '';
            control.value = '';
            control.focus();
          }
        },
      },
      h('label', { for: control.id }, t(labelKey)),
      hintKey ? h('p', { class: 'hint', id: `${control.id}-hint` }, t(hintKey, { max: formatInt(max) })) : null,
      h('div', { class: 'ws-send-row' }, control, button),
      alert,
    );
  }

  function askForm() {
    return textForm({
      name: 'question',
      labelKey: 'ws.qa.label',
      hintKey: 'ws.qa.hint',
      max: QUESTION_MAX,
      area: true,
      buttonKey: 'ws.qa.ask',
      alert: questionAlert,
      onSend: async (text, button) => (await send({ type: 'ask', text }, questionAlert, button)).ok,
    });
  }

  function chatForm() {
    return textForm({
      name: 'chat',
      labelKey: 'ws.chat.label',
      hintKey: 'ws.chat.hint',
      max: CHAT_MAX,
      area: false,
      buttonKey: 'ws.chat.send',
      alert: chatAlert,
      onSend: async (text, button) => (await send({ type: 'chat', text }, chatAlert, button)).ok,
    });
  }

  // --- page --------------------------------------------------------------

  function slot(name, tag = 'div', attrs = {}) {
    slots[name] = h(tag, attrs, PARTS[name]());
    return slots[name];
  }

  function render() {
    if (!Number.isInteger(id) || id < 0) return pageShell('page-workshop', t('ws.title'), h('p', null, t('ws.notFound')));
    if (!w) {
      return pageShell('page-workshop', t('ws.title'), loadingOrError(loadError, () => loadWorkshop()), h('p', null, h('a', { href: '#/ateliers' }, t('ws.back'))));
    }
    const who = participant();
    const cancelled = w.status === 'cancelled';
    const inSession = ready && (model.status === 'live' || model.status === 'ended');
    const description = local(w.description);
    const page = pageShell(
      'page-workshop',
      local(w.title),
      h('p', { class: 'ws-back' }, h('a', { href: '#/ateliers' }, t('ws.back'))),
      slot('header'),
      announcer,
      cancelled ? null : slot('live'),
      slot('announce', 'div', { id: 'ws-announce', class: 'ws-announce-slot' }),
      description ? (inSession ? h('details', { class: 'explain' }, h('summary', null, t('ws.about')), h('p', null, description)) : h('p', { class: 'ws-description' }, description)) : null,
      slot('video', 'div', { id: 'ws-video' }),
      slot('registration'),
    );
    if (!cancelled) {
      if (ready && model.status === 'scheduled') page.append(h('p', { class: 'notice notice-info', id: 'ws-waiting' }, t('ws.waiting')));
      page.append(
        slot('quiz', 'div', { id: 'ws-quiz' }),
        slot('poll', 'div', { id: 'ws-poll' }),
        h('section', { class: 'card ws-stage', 'aria-labelledby': 'ws-stage-title', hidden: !inSession }, h('h2', { id: 'ws-stage-title' }, t('ws.stage.title')), slot('step', 'div', { id: 'ws-step' })),
        h(
          'section',
          { class: 'ws-room', 'aria-label': t('ws.room') },
          slot('reactions', 'div', { class: 'ws-reactions', id: 'ws-reactions', role: 'group', 'aria-label': t('ws.reactions') }),
          slot('presence', 'p', { class: 'ws-presence', id: 'ws-presence' }),
        ),
      );
      const qa = h('section', { class: 'card ws-qa', 'aria-labelledby': 'ws-qa-title' }, h('h2', { id: 'ws-qa-title' }, t('ws.qa.title')));
      const muted = who && model.me.muted ? () => h('p', { class: 'notice notice-error' }, t('ws.err.muted')) : () => null;
      qa.append(muted());
      if (who && model.status !== 'ended') qa.append(askForm());
      else if (!who) qa.append(h('p', { class: 'muted' }, t('ws.joinToTakePart')));
      qa.append(slot('questions', 'div', { id: 'ws-questions' }));
      const chat = h('section', { class: 'card ws-chat', 'aria-labelledby': 'ws-chat-title' }, h('h2', { id: 'ws-chat-title' }, t('ws.chat.title')));
      slots.chatBox = slot('chat', 'div', { id: 'ws-chat-box', class: 'ws-chat-box', tabindex: '0', role: 'log', 'aria-label': t('ws.chat.title') });
      chat.append(slots.chatBox, muted());
      if (who && model.status !== 'ended') chat.append(chatForm());
      page.append(qa, chat);
      queueMicrotask(() => {
        if (slots.chatBox && slots.chatBox.isConnected) slots.chatBox.scrollTop = slots.chatBox.scrollHeight;
      });
    }
    return page;
  }

  loadWorkshop();
  loadNickname();
  if (Number.isInteger(id) && id >= 0) startLive();
  return {
    title: () => (w ? local(w.title) : t('ws.title')),
    render,
    leave() {
      left = true;
      if (live) live.close();
      if (ticker) clearInterval(ticker);
      if (meTimer) clearTimeout(meTimer);
    },
  };
}
