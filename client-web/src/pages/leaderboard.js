// Classements (#/classements): points or CO2e avoided, for participants,
// teams or neighbourhoods; the top 20 with shared ranks, and the reader's own
// place. The list follows the node live: the page subscribes to the shown
// board's WebSocket channel (leaderboard:<board>:<scope>), redraws the table
// on each snapshot with the changed rows highlighted, and fetches "Votre
// place" again shortly after. Loaded lazily with its messages.
import { h } from '../dom.js';
import { t, lang, addMessages, formatDateTime } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { points, mass, formatInt, pageShell, dropSession } from '../challenge/common.js';
import { openLive } from '../challenge/live.js';
import fr from '../i18n/leaderboard.fr.js';
import en from '../i18n/leaderboard.en.js';

addMessages({ fr, en });

const BOARDS = ['points', 'co2e'];
const SCOPES = ['individual', 'team', 'neighbourhood'];
const TOP = 20;
const ME_DELAY_MS = 800; // "Votre place" is fetched again this long after a change
const HIGHLIGHT_MS = 4000;
const ANNOUNCE_EVERY_MS = 30000;

// The choice is kept for the visit.
let board = 'points';
let scope = 'individual';

const channelOf = (b, s) => `leaderboard:${b}:${s}`;

function ordinal(n) {
  const form = new Intl.PluralRules(lang(), { type: 'ordinal' }).select(n);
  return t(`lb.ordinal.${['one', 'two', 'few'].includes(form) ? form : 'other'}`, { n: formatInt(n) });
}

export default function leaderboardPage(app) {
  let data = null; // {entries, count, updated_at} of the shown board
  let me = null; // `me` of GET /leaderboard for the shown board
  let profile = null; // GET /me (hidden, nickname)
  let myTeams = null; // ids of the reader's teams
  let loadError = null;
  let left = false;
  let liveState = 'connecting';
  let live = null;
  let meTimer = null;
  let lastAnnounce = 0;
  let highlight = new Set(); // row keys changed by the last snapshot
  let highlightTimer = null;
  let request = 0; // the latest GET, so late answers for another tab are dropped
  let tableSlot = null;
  let meSlot = null;
  let liveEl = null;

  const announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

  const key = (e) => `${e.name}\u0000${e.members || ''}`;

  function fetchBoard(withList) {
    const who = session.participant();
    const mine = (request += 1);
    const b = board;
    const s = scope;
    api.leaderboard({ board: b, scope: s, limit: TOP }, who ? who.token : undefined).then(
      (body) => {
        if (left || mine !== request) return;
        me = body.me === undefined ? null : body.me;
        // A snapshot may have brought a newer version meanwhile.
        if (!data || (withList && !(body.version < data.version))) data = body;
        loadError = null;
        drawTable();
        drawMe();
      },
      (err) => {
        if (left || mine !== request) return;
        if (err.status === 401) {
          // A dead token: drop it and watch as a guest.
          dropSession(app);
          fetchBoard(withList);
          return;
        }
        if (!data) {
          loadError = errorText(err);
          drawTable();
        }
      },
    );
  }

  function loadProfile() {
    const who = session.participant();
    if (!who) return;
    Promise.all([api.me(who.token), api.myTeams(who.token).catch(() => null)]).then(
      ([p, tm]) => {
        if (left) return;
        profile = p;
        myTeams = tm && Array.isArray(tm.teams) ? tm.teams.map((x) => x.id) : [];
        app.rerender();
      },
      () => {},
    );
  }

  function onSnapshot(channel, snap) {
    if (left || channel !== channelOf(board, scope) || !snap || !Array.isArray(snap.entries)) return;
    if (data && typeof snap.version === 'number' && snap.version < data.version) return;
    const before = new Map((data && data.entries ? data.entries : []).map((e) => [key(e), e]));
    const changed = new Set();
    for (const e of snap.entries) {
      const old = before.get(key(e));
      if (!old || old.score !== e.score || old.rank !== e.rank) changed.add(key(e));
    }
    const first = data === null;
    data = { ...snap };
    if (!first && changed.size) {
      highlight = changed;
      if (highlightTimer) clearTimeout(highlightTimer);
      highlightTimer = setTimeout(() => {
        highlight = new Set();
        if (tableSlot) tableSlot.querySelectorAll('.lb-changed').forEach((r) => r.classList.remove('lb-changed'));
      }, HIGHLIGHT_MS);
      const now = Date.now();
      if (now - lastAnnounce > ANNOUNCE_EVERY_MS) {
        lastAnnounce = now;
        announcer.textContent = t('lb.updated');
      }
    }
    drawTable();
    if (session.participant() && (changed.size || first)) {
      if (meTimer) clearTimeout(meTimer);
      meTimer = setTimeout(() => {
        meTimer = null;
        if (!left) fetchBoard(false);
      }, ME_DELAY_MS);
    }
  }

  function setLive(state) {
    liveState = state;
    drawLive();
  }

  function drawLive() {
    if (!liveEl) return;
    liveEl.className = `live live-${liveState}`;
    liveEl.dataset.state = liveState;
    liveEl.replaceChildren(
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      t(liveState === 'live' ? 'lb.live' : liveState === 'connecting' ? 'lb.connecting' : 'lb.retrying'),
    );
  }

  function scoreText(score) {
    if (board === 'points') return points(score);
    return t('lb.co2e', { amount: mass(score) });
  }

  function isMine(e) {
    if (!profile) return false;
    if (scope === 'individual') return e.name === profile.nickname;
    if (scope === 'neighbourhood') return profile.neighbourhood && e.name === profile.neighbourhood;
    return Array.isArray(myTeams) && myTeams.includes(e.id);
  }

  function table() {
    if (!data) {
      if (loadError) return h('div', { class: 'notice notice-error', role: 'alert' }, loadError);
      return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
    }
    const entries = Array.isArray(data.entries) ? data.entries : [];
    if (!entries.length) return h('p', { class: 'muted' }, t(`lb.empty.${scope}`));
    const group = scope !== 'individual';
    const ties = new Map();
    for (const e of entries) ties.set(e.rank, (ties.get(e.rank) || 0) + 1);
    const caption = t('lb.caption', { board: t(`lb.board.${board}`), scope: t(`lb.scope.${scope}`), n: Math.min(TOP, entries.length) });
    return [
      h(
        'div',
        { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption },
        h(
          'table',
          { class: 'lb-table', 'aria-label': caption, dataset: { board, scope } },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col', class: 'num nowrap' }, t('lb.rank')),
              h('th', { scope: 'col' }, t(`lb.name.${scope}`)),
              h('th', { scope: 'col', class: 'num' }, t(group ? `lb.scoreMean.${board}` : `lb.score.${board}`)),
              group ? h('th', { scope: 'col', class: 'num' }, t('lb.members')) : null,
            ),
          ),
          h(
            'tbody',
            null,
            entries.map((e) =>
              h(
                'tr',
                {
                  class: [highlight.has(key(e)) && 'lb-changed', isMine(e) && 'lb-mine'],
                  dataset: { name: e.name, score: String(e.score) },
                },
                h(
                  'td',
                  { class: 'num' },
                  formatInt(e.rank),
                  ties.get(e.rank) > 1 ? h('span', { class: 'tie' }, ` ${t('lb.tie')}`) : null,
                ),
                h('th', { scope: 'row' }, e.name, isMine(e) ? h('span', { class: 'muted' }, ` ${t(scope === 'individual' ? 'lb.you' : 'lb.yours')}`) : null),
                h('td', { class: 'num lb-score' }, board === 'points' ? formatInt(e.score) : mass(e.score)),
                group ? h('td', { class: 'num' }, formatInt(e.members || 0)) : null,
              ),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted lb-foot' },
        t('lb.count', { count: formatInt(data.count || entries.length) }),
        data.updated_at ? ` ${t('lb.updatedAt', { at: formatDateTime(data.updated_at, 'short') })}` : '',
      ),
    ];
  }

  function drawTable() {
    if (tableSlot && tableSlot.isConnected) tableSlot.replaceChildren(...[table()].flat().filter(Boolean));
  }

  function mePart() {
    const who = session.participant();
    if (!who) {
      return [
        h('p', null, t('lb.meGuest')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-secondary', href: '#/rejoindre' }, t('lb.join'))),
      ];
    }
    if (me === null && data === null) return h('p', { class: 'loading' }, t('common.loading'));
    if (scope === 'individual') {
      if (!me) return h('p', null, t('lb.meNone'));
      if (me.hidden) return h('p', null, t('lb.meHiddenRank', { rank: ordinal(me.rank), score: scoreText(me.score) }));
      return h('p', { id: 'lb-me-line' }, t('lb.meRank', { rank: ordinal(me.rank), count: formatInt(data ? data.count : me.rank), score: scoreText(me.score) }));
    }
    if (scope === 'team') {
      const list = Array.isArray(me) ? me : [];
      if (!list.length) {
        return [h('p', null, t('lb.meNoTeam')), h('p', null, h('a', { href: '#/equipes' }, t('lb.toTeams')))];
      }
      return h(
        'ul',
        { class: 'lb-me-list' },
        list.map((x) => h('li', null, t('lb.meTeam', { name: x.name || '', rank: ordinal(x.rank), score: scoreText(x.score) }))),
      );
    }
    if (!me) return [h('p', null, t('lb.meNoHood')), h('p', null, h('a', { href: '#/profil' }, t('lb.toProfile')))];
    return h('p', null, t('lb.meHood', { name: me.neighbourhood, rank: ordinal(me.rank), score: scoreText(me.score) }));
  }

  function drawMe() {
    if (meSlot && meSlot.isConnected) meSlot.replaceChildren(...[mePart()].flat().filter(Boolean));
  }

  function choose(nextBoard, nextScope, focusId) {
    if (nextBoard === board && nextScope === scope) return;
    if (live) live.unsubscribe(channelOf(board, scope));
    board = nextBoard;
    scope = nextScope;
    data = null;
    me = null;
    loadError = null;
    highlight = new Set();
    if (live) live.subscribe(channelOf(board, scope));
    fetchBoard(true);
    app.rerender(focusId ? `#${focusId}` : undefined);
  }

  function tabs() {
    const onKey = (e) => {
      // From the focused tab (the selected one, with roving tabindex).
      const i = Math.max(0, SCOPES.indexOf(e.currentTarget.id.replace('lb-tab-', '')));
      let next = null;
      if (e.key === 'ArrowRight') next = SCOPES[(i + 1) % SCOPES.length];
      else if (e.key === 'ArrowLeft') next = SCOPES[(i + SCOPES.length - 1) % SCOPES.length];
      else if (e.key === 'Home') next = SCOPES[0];
      else if (e.key === 'End') next = SCOPES[SCOPES.length - 1];
      if (next) {
        e.preventDefault();
        choose(board, next, `lb-tab-${next}`);
      }
    };
    return h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': t('lb.scopeLabel') },
      SCOPES.map((s) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `lb-tab-${s}`,
            class: 'tab',
            'aria-selected': s === scope ? 'true' : 'false',
            'aria-controls': 'lb-panel',
            tabindex: s === scope ? '0' : '-1',
            onclick: () => choose(board, s, `lb-tab-${s}`),
            onkeydown: onKey,
          },
          t(`lb.scope.${s}`),
        ),
      ),
    );
  }

  function boardSwitch() {
    return h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': t('lb.boardLabel') },
      BOARDS.map((b) =>
        h(
          'button',
          {
            type: 'button',
            id: `lb-board-${b}`,
            class: 'segment',
            'aria-pressed': b === board ? 'true' : 'false',
            onclick: () => choose(b, scope, `lb-board-${b}`),
          },
          t(`lb.board.${b}`),
        ),
      ),
    );
  }

  function render() {
    liveEl = h('p', { class: 'live', id: 'lb-live' });
    tableSlot = h('div', { class: 'lb-list' }, table());
    meSlot = h('div', { class: 'lb-me-body' }, mePart());
    const page = pageShell(
      'page-leaderboard',
      t('lb.title'),
      h('p', { class: 'lead' }, t('lb.lead')),
      h('p', null, h('a', { href: '#/inter-villes' }, t('lb.toIntercity'))),
      profile && profile.hidden
        ? h(
            'div',
            { class: 'notice notice-info', id: 'lb-hidden' },
            h('p', null, t('lb.hidden')),
            h('p', null, h('a', { href: '#/profil' }, t('lb.hiddenLink'))),
          )
        : null,
      liveEl,
      announcer,
      boardSwitch(),
      tabs(),
      h(
        'div',
        { id: 'lb-panel', role: 'tabpanel', 'aria-labelledby': `lb-tab-${scope}`, class: 'tab-panel' },
        h('section', { class: 'card lb-me', 'aria-labelledby': 'lb-me-title', id: 'lb-me' }, h('h2', { id: 'lb-me-title' }, t('lb.meTitle')), meSlot),
        tableSlot,
        scope !== 'individual' ? h('p', { class: 'muted' }, t('lb.meanNote')) : null,
      ),
    );
    drawLive();
    return page;
  }

  function start() {
    const who = session.participant();
    live = openLive({
      token: who ? who.token : null,
      onState: setLive,
      onSnapshot,
    });
    live.subscribe(channelOf(board, scope));
    fetchBoard(true);
    loadProfile();
  }

  start();
  return {
    title: () => t('lb.title'),
    render,
    leave() {
      left = true;
      if (live) live.close();
      if (meTimer) clearTimeout(meTimer);
      if (highlightTimer) clearTimeout(highlightTimer);
    },
  };
}
