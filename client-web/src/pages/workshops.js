// Ateliers (#/ateliers): the city's workshops, upcoming or past, online, in
// a room or both; each with its date in the city's time zone, the seats left
// in the room, the reader's registration (room, online, waitlist position),
// the buttons to register, cancel or say "J'y suis" with the room's code,
// and the way into the live workshop (#/ateliers/<id>). Loaded lazily with
// its messages.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { pageShell, loadingOrError, dropSession } from '../challenge/common.js';
import {
  local,
  whenText,
  kindTag,
  statusTag,
  seatsText,
  registrationCard,
  announceIn,
  cityZone,
  wsError,
  plural,
} from '../workshop/common.js';

const WHEN = ['upcoming', 'past'];

// The tab is kept for the visit.
let when = 'upcoming';

export default function workshopsPage(app) {
  let list = null;
  let loadError = null;
  let zone = 'Europe/Paris';
  let left = false;
  let request = 0;
  let pendingStatus = null; // [workshop id, text] announced after the next draw

  function load(focus) {
    const who = session.participant();
    const mine = (request += 1);
    loadError = null;
    return Promise.all([api.workshops({ when, limit: 50 }, who ? who.token : undefined), cityZone(app)]).then(
      ([body, z]) => {
        if (left || mine !== request) return;
        zone = z;
        list = body && Array.isArray(body.workshops) ? body.workshops : [];
        app.rerender(focus);
        if (pendingStatus) {
          announceIn(`ws-reg-status-${pendingStatus[0]}`, pendingStatus[1]);
          pendingStatus = null;
        }
      },
      (err) => {
        if (left || mine !== request) return;
        if (err.status === 401 && who) {
          dropSession(app);
          load(focus);
          return;
        }
        loadError = wsError(err);
        app.rerender();
      },
    );
  }

  function choose(next) {
    if (next === when) return;
    when = next;
    list = null;
    app.rerender(`#ws-tab-${next}`);
    load(`#ws-tab-${next}`);
  }

  function tabs() {
    const onKey = (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      e.preventDefault();
      choose(when === 'upcoming' ? 'past' : 'upcoming');
    };
    return h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': t('ws.listTabs') },
      WHEN.map((w) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `ws-tab-${w}`,
            class: 'tab',
            'aria-selected': w === when ? 'true' : 'false',
            'aria-controls': 'ws-list',
            tabindex: w === when ? '0' : '-1',
            onclick: () => choose(w),
            onkeydown: onKey,
          },
          t(`ws.tab.${w}`),
        ),
      ),
    );
  }

  function card(w) {
    const titleId = `ws-title-${w.id}`;
    const reg = registrationCard(w, {
      headingLevel: 'h3',
      onChange(fresh, text) {
        if (fresh) list = list.map((x) => (x.id === w.id ? fresh : x));
        pendingStatus = [w.id, text];
        app.rerender();
        announceIn(`ws-reg-status-${w.id}`, text);
        pendingStatus = null;
      },
      lost() {
        dropSession(app);
        load();
      },
    });
    const online = w.kind !== 'physical' && w.online_registered > 0 ? plural('ws.onlineCount', w.online_registered) : null;
    return h(
      'li',
      { class: 'card ws-card', dataset: { workshop: String(w.id), kind: w.kind, status: w.status } },
      h('h2', { id: titleId, class: 'ws-card-title' }, h('a', { href: `#/ateliers/${w.id}` }, local(w.title))),
      h('p', { class: 'ws-tags' }, kindTag(w.kind), statusTag(w.status)),
      h('p', { class: 'ws-when' }, whenText(w, zone)),
      w.kind !== 'online' || online ? h('p', { class: 'ws-seats' }, w.kind !== 'online' ? seatsText(w) : null, online ? [w.kind !== 'online' ? ' · ' : '', online] : null) : null,
      w.status === 'live'
        ? h('p', null, h('a', { class: 'button button-primary', href: `#/ateliers/${w.id}` }, t('ws.joinLive')))
        : h('p', null, h('a', { href: `#/ateliers/${w.id}`, 'aria-describedby': titleId }, t('ws.details'))),
      reg,
    );
  }

  function body() {
    if (list === null) return loadingOrError(loadError, () => load());
    if (!list.length) return h('p', { class: 'muted' }, t(`ws.empty.${when}`));
    return h('ul', { class: 'ws-list' }, list.map(card));
  }

  function render() {
    return pageShell(
      'page-workshops',
      t('ws.title'),
      h('p', { class: 'lead' }, t('ws.lead')),
      tabs(),
      h('div', { id: 'ws-list', role: 'tabpanel', 'aria-labelledby': `ws-tab-${when}` }, body()),
    );
  }

  load();
  return {
    title: () => t('ws.title'),
    render,
    leave() {
      left = true;
    },
  };
}
