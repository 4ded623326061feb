// Défi inter-villes (#/inter-villes): the cities of the federation ranked by
// CO2e avoided per 1,000 inhabitants, season to date, from the statements
// the node verified. Each figure comes with its 95 % interval, drawn as a bar
// on a scale shared by every city so that overlaps (ties) show. The board is
// fetched once (enough without a WebSocket) and follows the `intercity`
// state channel, whose snapshots carry the same JSON. Loaded lazily with its
// messages.
import { h } from '../dom.js';
import { t, lang, addMessages } from '../i18n/index.js';
import { request } from '../api.js';
import { errorText } from '../errors.js';
import { decimal, formatInt, mass, pageShell, plural, weekMonday, addDays } from '../challenge/common.js';
import { openLive } from '../challenge/live.js';
import { readBoard, scaleMax, barPlace, activePerWeek, hasFigures, ago } from '../intercity/model.js';
import fr from '../i18n/intercity.fr.js';
import en from '../i18n/intercity.en.js';

addMessages({ fr, en });

const CHANNEL = 'intercity';
const MAIN = 'co2e_avoided_g';
const CLOCK_MS = 60000; // "mis à jour il y a …" is rewritten this often
const ANNOUNCE_EVERY_MS = 30000;
const SVG_NS = 'http://www.w3.org/2000/svg';

function ordinal(n) {
  const form = new Intl.PluralRules(lang(), { type: 'ordinal' }).select(n);
  return t(`ic.ordinal.${['one', 'two', 'few'].includes(form) ? form : 'other'}`, { n: formatInt(n) });
}

/** Kilograms from grams, whole above 100 kg, one decimal below. */
function kg(g) {
  const v = g / 1000;
  return decimal(v, v >= 100 ? 0 : 1);
}

function agoText(iso) {
  const a = ago(iso);
  if (!a) return '';
  const style = lang() === 'fr' && a.unit !== 'day' ? 'short' : 'long';
  return new Intl.RelativeTimeFormat(lang(), { numeric: 'auto', style }).format(a.value, a.unit);
}

/** "31 août" or "31 août 2026" (UTC calendar date YYYY-MM-DD). */
function dayText(iso, withYear) {
  const opts = { day: 'numeric', month: 'long', timeZone: 'UTC' };
  if (withYear) opts.year = 'numeric';
  return new Intl.DateTimeFormat(lang(), opts).format(new Date(`${iso}T00:00:00Z`));
}

function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A city's figure on the shared scale: a bar from 0 to the estimate (the
 * longer, the better), and over it the 95 % interval as a box with the
 * estimate's mark. Geometry goes in SVG attributes (the node's CSP allows no
 * inline style); the words are in the wrapper's aria-label.
 */
function intervalBar(c, max) {
  const fig = c.per1000[MAIN];
  const at = barPlace(fig, max);
  const graphic = svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  graphic.appendChild(svg('rect', { class: 'ic-track', x: 0, y: 2, width: 100, height: 6 }));
  graphic.appendChild(svg('rect', { class: 'ic-value', x: 0, y: 2, width: at.value, height: 6 }));
  graphic.appendChild(
    svg('rect', { class: 'ic-range', x: at.low, y: 0.5, width: Math.max(at.high - at.low, 0.5), height: 9, 'vector-effect': 'non-scaling-stroke' }),
  );
  graphic.appendChild(svg('line', { class: 'ic-mark', x1: at.value, x2: at.value, y1: 0, y2: 10, 'vector-effect': 'non-scaling-stroke' }));
  return h(
    'div',
    {
      class: ['ic-bar', c.own && 'ic-bar-own'],
      role: 'img',
      'aria-label': t('ic.barLabel', { city: c.name, value: kg(fig.value), low: kg(fig.low), high: kg(fig.high) }),
    },
    graphic,
  );
}

function axis(max) {
  return h(
    'div',
    { class: 'ic-axis', 'aria-hidden': 'true' },
    [0, max / 2, max].map((v) => h('span', null, t('ic.kg', { value: kg(v) }))),
  );
}

export default function intercityPage() {
  let board = null;
  let loadError = null;
  let fromLive = false; // a snapshot came: the fetch's answer is older
  let left = false;
  let liveState = 'connecting';
  let live = null;
  let clock = null;
  let lastAnnounce = 0;
  let boardSlot = null;
  let liveEl = null;
  let clockLines = []; // [element, city] of the "mis à jour" lines shown

  function updatedLine(c) {
    return [
      c.updatedAt ? `${t('ic.updated', { ago: agoText(c.updatedAt) })} · ` : '',
      plural('ic.weeks', c.weeks),
      c.suppressedWeeks ? plural('ic.suppressed', c.suppressedWeeks) : '',
    ].join('');
  }

  // Only the text of those lines changes: the rest of the page stays put
  // under a screen reader's cursor.
  function tick() {
    for (const [el, c] of clockLines) el.textContent = updatedLine(c);
  }

  const announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });

  function fetchBoard() {
    request('GET', '/intercity').then(
      (body) => {
        if (left || fromLive) return;
        board = readBoard(body);
        loadError = board ? null : t('errors.unknown');
        draw();
      },
      (err) => {
        if (left || board) return;
        loadError = errorText(err);
        draw();
      },
    );
  }

  function onSnapshot(channel, snap) {
    if (left || channel !== CHANNEL) return;
    const next = readBoard(snap);
    if (!next) return;
    const first = board === null;
    board = next;
    fromLive = true;
    loadError = null;
    draw();
    const now = Date.now();
    if (!first && now - lastAnnounce > ANNOUNCE_EVERY_MS) {
      lastAnnounce = now;
      announcer.textContent = t('ic.updatedLive');
    }
  }

  function drawLive() {
    if (!liveEl) return;
    liveEl.className = `live live-${liveState}`;
    liveEl.dataset.state = liveState;
    liveEl.replaceChildren(
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      t(liveState === 'live' ? 'ic.live' : liveState === 'connecting' ? 'ic.connecting' : 'ic.retrying'),
    );
  }

  function seasonLine() {
    const { id, from, to } = board.season;
    if (!from || !to) return null;
    const first = weekMonday(from);
    const last = addDays(weekMonday(to), 6);
    const sameYear = first.slice(0, 4) === last.slice(0, 4);
    const vars = { season: id, from: dayText(first, !sameYear), to: dayText(last, true) };
    return h('p', { class: 'season' }, t(id ? 'ic.season' : 'ic.seasonNoId', vars));
  }

  function overview(max) {
    const shown = board.cities.filter(hasFigures);
    if (!shown.length || !(max > 0)) return null;
    return h(
      'section',
      { class: 'card ic-overview', 'aria-labelledby': 'ic-chart-title' },
      h('h2', { id: 'ic-chart-title' }, t('ic.chartTitle')),
      h(
        'ol',
        { class: 'ic-rows' },
        shown.map((c) =>
          h(
            'li',
            { class: c.own ? 'ic-row-own' : null },
            h('span', { class: 'ic-row-name' }, `${ordinal(c.rank)} · ${c.name}`),
            intervalBar(c, max),
          ),
        ),
      ),
      axis(max),
      h('p', { class: 'muted ic-caption' }, t('ic.chartCaption')),
    );
  }

  function fact(label, value) {
    return h('div', null, h('dt', null, label), h('dd', null, value));
  }

  function perActive(c, metric) {
    const f = c.perActive[metric];
    return t('ic.perActiveValue', { value: mass(f.value), low: mass(f.low), high: mass(f.high) });
  }

  function cityCard(c, max) {
    const fig = c.per1000[MAIN];
    const figures = hasFigures(c);
    const active = activePerWeek(c);
    const updated = h('p', { class: 'muted ic-updated' }, updatedLine(c));
    clockLines.push([updated, c]);
    return h(
      'li',
      {
        class: ['card', 'ic-city', c.own && 'ic-own'],
        dataset: { origin: c.origin, status: c.status, rank: String(c.rank) },
      },
      h(
        'div',
        { class: 'ic-head' },
        h(
          'p',
          { class: 'ic-rank' },
          h('span', { 'aria-hidden': 'true' }, ordinal(c.rank)),
          h('span', { class: 'visually-hidden' }, t('ic.rankLabel', { rank: ordinal(c.rank) })),
        ),
        h(
          'div',
          null,
          h('h3', null, c.name),
          h(
            'p',
            { class: 'ic-tags' },
            c.tie ? h('span', { class: 'tag tag-pin ic-tie' }, t('ic.tie')) : null,
            c.own ? h('span', { class: 'tag tag-open ic-yours' }, t('ic.yours')) : null,
            c.population ? h('span', { class: 'muted ic-pop' }, t('ic.population', { n: formatInt(c.population) })) : null,
          ),
        ),
      ),
      figures
        ? [
            h(
              'p',
              { class: 'ic-main' },
              h('strong', { class: 'ic-figure' }, t('ic.kg', { value: kg(fig.value) })),
              ' ',
              h('span', null, t('ic.mainLabel')),
            ),
            max > 0 ? intervalBar(c, max) : null,
            h('p', { class: 'muted ic-interval' }, t('ic.interval', { low: kg(fig.low), high: kg(fig.high) })),
            h(
              'dl',
              { class: 'facts ic-facts' },
              fact(t('ic.co2ePerActive'), perActive(c, 'co2e_avoided_g')),
              fact(t('ic.wastePerActive'), perActive(c, 'waste_avoided_g')),
              active !== null ? fact(t('ic.activePerWeek'), formatInt(active)) : null,
              fact(
                t('ic.attendance'),
                t('ic.attendanceValue', {
                  online: decimal(c.per1000.attendance_online.value, 1),
                  physical: decimal(c.per1000.attendance_physical.value, 1),
                }),
              ),
            ),
          ]
        : h('p', { class: 'muted' }, t('ic.noFigure')),
      h(
        'div',
        { class: 'ic-status' },
        h(
          'p',
          null,
          h('span', { class: ['tag', c.status === 'verified' ? 'tag-open' : c.status === 'flagged' ? 'tag-off' : 'tag-pin'] }, t(`ic.status.${c.status}`)),
          ' ',
          t(`ic.statusText.${c.status}`),
        ),
        updated,
      ),
    );
  }

  function boardPart() {
    clockLines = [];
    if (!board) {
      if (loadError) return h('div', { class: 'notice notice-error', role: 'alert' }, loadError);
      return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
    }
    if (!board.cities.length) return [seasonLine(), h('p', { class: 'notice notice-info', id: 'ic-empty' }, t('ic.empty'))];
    const max = scaleMax(board.cities.filter(hasFigures), MAIN);
    return [
      seasonLine(),
      overview(max),
      h(
        'section',
        { 'aria-labelledby': 'ic-list-title' },
        h('h2', { id: 'ic-list-title' }, t('ic.listTitle')),
        h('ol', { class: 'ic-list' }, board.cities.map((c) => cityCard(c, max))),
      ),
    ];
  }

  function draw() {
    if (boardSlot && boardSlot.isConnected) boardSlot.replaceChildren(...[boardPart()].flat().filter(Boolean));
  }

  function render() {
    liveEl = h('p', { class: 'live', id: 'ic-live' });
    boardSlot = h('div', { class: 'ic-board', id: 'ic-board' }, boardPart());
    const page = pageShell(
      'page-intercity',
      t('ic.title'),
      h('p', { class: 'lead' }, t('ic.lead')),
      liveEl,
      announcer,
      boardSlot,
      h(
        'section',
        { class: 'card ic-explain', 'aria-labelledby': 'ic-explain-title' },
        h('h2', { id: 'ic-explain-title' }, t('ic.explainTitle')),
        ['signed', 'noise', 'small', 'bars', 'perActive'].map((k) => h('p', null, t(`ic.explain.${k}`))),
      ),
    );
    drawLive();
    return page;
  }

  // The board is public: the page watches as a guest, whoever is signed in.
  live = openLive({
    onState: (state) => {
      liveState = state;
      drawLive();
    },
    onSnapshot,
  });
  live.subscribe(CHANNEL);
  fetchBoard();
  clock = setInterval(tick, CLOCK_MS);

  return {
    title: () => t('ic.title'),
    render,
    leave() {
      left = true;
      if (live) live.close();
      clearInterval(clock);
    },
  };
}
