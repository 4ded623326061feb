// What the workshop pages (#/ateliers, #/ateliers/<id>) and the console's
// workshop panel share: their messages (i18n/workshops.*.js), dates in the
// city's time zone, kinds and statuses as tags, and the registration card
// (room or online, waitlist, cancel, "J'y suis" with the room's code).
import { h } from '../dom.js';
import { t, lang, addMessages } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { field, alertRegion, statusRegion, say, busy } from '../ui/form.js';
import { openDialog, confirmDialog } from '../ui/dialog.js';
import { zoneOr, foreignZone, dayIn } from './time.js';
import fr from '../i18n/workshops.fr.js';
import en from '../i18n/workshops.en.js';

addMessages({ fr, en });

export const KINDS = ['online', 'physical', 'hybrid'];

/** The refusals of the workshop routes and frames, worded for the reader. */
export const ERRORS = {
  workshop_closed: 'ws.err.closed',
  invalid_code: 'ws.err.invalidCode',
  checkin_closed: 'ws.err.checkinClosed',
  muted: 'ws.err.muted',
  not_open: 'ws.err.notOpen',
  already_answered: 'ws.err.alreadyAnswered',
  invalid_choice: 'ws.err.invalidChoice',
  rate_limited: 'ws.err.rateLimited',
  network: 'ws.err.network',
  not_found: 'ws.err.notFound',
  forbidden: 'ws.err.forbidden',
  item_in_use: 'ws.err.itemInUse',
};

/** errorText with the workshop wordings (an ApiError or a LiveError). */
export function wsError(err, more = {}) {
  if (err && err.code === 'rate_limited' && err.retryAfter) return errorText(err);
  return errorText(err, { ...ERRORS, ...more });
}

/** The text of a {fr, en} object from the node in the current language. */
export function local(obj) {
  if (!obj || typeof obj !== 'object') return '';
  return obj[lang()] || obj.fr || obj.en || '';
}

export function formatInt(n) {
  return new Intl.NumberFormat(lang()).format(n);
}

/** A catalogue message by plural category: `${base}.one` or `${base}.other`, with {n}. */
export function plural(base, n, vars = {}) {
  const form = new Intl.PluralRules(lang()).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}`, { n: formatInt(n), ...vars });
}

/** The city's time zone (GET /city), Europe/Paris until it is known. */
export async function cityZone(app) {
  const city = await app.city();
  return zoneOr(city && city.timezone);
}

function fmt(iso, zone, opts) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return new Intl.DateTimeFormat(lang(), { timeZone: zone, ...opts }).format(d);
}

/**
 * "jeudi 3 décembre 2026, 18:00 – 19:30" in the city's zone (the end's day
 * too when it differs), and the zone's name when the device is elsewhere.
 */
export function whenText(w, zone) {
  const day = fmt(w.starts_at, zone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const time = { hour: '2-digit', minute: '2-digit' };
  const start = fmt(w.starts_at, zone, time);
  const sameDay = dayIn(w.starts_at, zone) === dayIn(w.ends_at, zone);
  const end = sameDay ? fmt(w.ends_at, zone, time) : fmt(w.ends_at, zone, { day: 'numeric', month: 'long', ...time });
  const text = t('ws.when', { day, start, end });
  return foreignZone(zone) ? t('ws.whenZone', { when: text, zone: zoneCity(zone) }) : text;
}

/** "Paris" for Europe/Paris, "New York" for America/New_York: the zone as people name it. */
export function zoneCity(zone) {
  return zone.split('/').pop().replace(/_/g, ' ');
}

/** The time of day of an instant in the city's zone: "18:05". */
export function timeIn(iso, zone) {
  return fmt(iso, zone, { hour: '2-digit', minute: '2-digit' });
}

/** A short date and time in the city's zone: "3 déc., 18:00". */
export function shortWhen(iso, zone) {
  return fmt(iso, zone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function kindTag(kind) {
  return h('span', { class: ['tag', `tag-kind-${kind}`], dataset: { kind } }, t(`ws.kind.${kind}`));
}

/** The status as a tag ("En direct", "Terminé", "Annulé"); nothing for a scheduled workshop. */
export function statusTag(status) {
  if (!status || status === 'scheduled') return null;
  return h('span', { class: ['tag', `tag-status-${status}`], dataset: { status } }, t(`ws.status.${status}`));
}

/** The check-in window: from an hour before the start to the end (the node decides; this only offers the button). */
export function checkinOpen(w, now = Date.now()) {
  const start = Date.parse(w.starts_at);
  const end = Date.parse(w.ends_at);
  return w.kind !== 'online' && w.status !== 'cancelled' && w.status !== 'ended' && now >= start - 3600000 && now <= end;
}

/** Room seats as read: "2 places restantes sur 30", "Complet (4 en liste d'attente)". */
export function seatsText(w) {
  if (w.kind === 'online') return t('ws.seatsOnline');
  if (w.seats_left > 0) return plural('ws.seatsLeft', w.seats_left, { capacity: formatInt(w.capacity) });
  return w.waitlisted > 0 ? plural('ws.fullWaitlist', w.waitlisted) : t('ws.full');
}

/** The code typed at the door: letters and digits, upper case, no spaces. */
export function normaliseCode(text) {
  return String(text).toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The registration card of workshop `w` for the reader: what they have, and
 * the buttons to change it. `onChange(w)` gets the workshop fetched again
 * after a change; `lost()` handles a refused token.
 */
export function registrationCard(w, { onChange, lost, headingLevel = 'h2' }) {
  const who = session.participant();
  const alert = alertRegion();
  const status = statusRegion();
  status.id = `ws-reg-status-${w.id}`;
  const closed = w.status === 'ended' || w.status === 'cancelled';
  const me = w.me || {};
  const reg = me.registration || null;
  const titleId = `ws-reg-title-${w.id}`;

  /** Runs fn(token); then the workshop is fetched again and `doneOf(answer)` announced. */
  async function act(button, fn, doneOf) {
    say(alert, null);
    busy(button, true, 'common.working');
    try {
      const res = await fn(who.token);
      const fresh = await api.workshop(w.id, who.token).catch(() => null);
      onChange(fresh, doneOf(res));
    } catch (err) {
      if (button.isConnected) busy(button, false);
      if (err.status === 401) {
        lost();
        return;
      }
      say(alert, wsError(err));
    }
  }

  function registered(res) {
    if (!res) return null;
    if (res.registration === 'waitlisted') {
      const n = res.waitlist_position;
      return Number.isFinite(n) ? t('ws.doneWaitlist', { position: formatInt(n) }) : t('ws.regWaitlistNoPos');
    }
    return t(res.registration === 'room' ? 'ws.doneRoom' : 'ws.doneOnline');
  }

  /** Asks before a room seat is given up (it goes to the first on the waitlist). */
  function seatGivenUp() {
    return confirmDialog({
      title: t('ws.cancelSeatTitle'),
      text: t('ws.cancelSeatText'),
      confirmLabel: t('ws.cancelSeatConfirm'),
      danger: true,
    });
  }

  function registerButton(mode, key, primary) {
    const b = h('button', { type: 'button', class: ['button', primary ? 'button-primary' : 'button-secondary'], dataset: { mode } }, t(key));
    b.addEventListener('click', async () => {
      if (reg === 'room' && mode === 'online' && !(await seatGivenUp())) return;
      act(b, (tok) => api.registerWorkshop(tok, w.id, mode), registered);
    });
    return b;
  }

  function cancelButton() {
    const b = h('button', { type: 'button', class: 'button button-secondary' }, t('ws.cancelRegistration'));
    b.addEventListener('click', async () => {
      if (reg === 'room' && !(await seatGivenUp())) return;
      act(b, (tok) => api.unregisterWorkshop(tok, w.id), () => t('ws.doneCancelled'));
    });
    return b;
  }

  function checkinButton() {
    const b = h('button', { type: 'button', class: 'button button-primary', id: `ws-checkin-${w.id}` }, t('ws.imHere'));
    b.addEventListener('click', () => checkinDialog());
    return b;
  }

  function checkinDialog() {
    const input = h('input', {
      type: 'text',
      name: 'code',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      maxlength: '12',
      class: 'input-code',
      required: true,
    });
    const f = field({ labelKey: 'ws.codeLabel', hintKey: 'ws.codeHint', control: input });
    openDialog({
      title: t('ws.checkinTitle'),
      text: t('ws.checkinText'),
      content: f.el,
      confirmLabel: t('ws.checkinConfirm'),
      initialFocus: input,
      async onConfirm() {
        f.setError(null);
        const code = normaliseCode(input.value);
        if (!code) {
          f.setError(t('ws.codeEmpty'));
          input.focus();
          return false;
        }
        try {
          const res = await api.workshopCheckin(who.token, w.id, code);
          const fresh = await api.workshop(w.id, who.token).catch(() => null);
          onChange(fresh, t(res && res.mode === 'both' ? 'ws.checkedInBoth' : 'ws.checkedIn'));
          return true;
        } catch (err) {
          if (err.status === 401) {
            lost();
            return true;
          }
          f.setError(wsError(err));
          input.focus();
          return false;
        }
      },
    });
  }

  const lines = [];
  const buttons = [];
  if (!who) {
    lines.push(h('p', null, t(closed ? 'ws.closedGuest' : 'ws.joinToRegister')));
    if (!closed) {
      buttons.push(
        h('a', { class: 'button button-primary', href: '#/rejoindre' }, t('ws.join')),
        h('a', { class: 'button button-secondary', href: '#/recuperer' }, t('ws.recover')),
      );
    }
  } else {
    if (reg === 'room') lines.push(h('p', { class: 'ws-reg-line', dataset: { registration: reg } }, t('ws.regRoom')));
    else if (reg === 'online') lines.push(h('p', { class: 'ws-reg-line', dataset: { registration: reg } }, t('ws.regOnline')));
    else if (reg === 'waitlisted') {
      const n = me.waitlist_position;
      lines.push(
        h('p', { class: 'ws-reg-line', dataset: { registration: reg } }, Number.isFinite(n) ? t('ws.regWaitlist', { position: formatInt(n) }) : t('ws.regWaitlistNoPos')),
        h('p', { class: 'muted' }, t(w.kind === 'hybrid' ? 'ws.waitlistHybrid' : 'ws.waitlistPhysical')),
      );
    } else if (!closed) lines.push(h('p', { class: 'muted' }, t('ws.regNone')));
    if (me.checked_in) lines.push(h('p', { class: 'ws-checked', id: `ws-checked-${w.id}` }, t('ws.checkedInLine')));
    if (closed) {
      lines.push(h('p', { class: 'muted' }, t(w.status === 'cancelled' ? 'ws.cancelledNote' : 'ws.endedNote')));
    } else {
      const room = w.kind !== 'online';
      const online = w.kind !== 'physical';
      const full = room && !(w.seats_left > 0);
      if (room && reg !== 'room' && reg !== 'waitlisted') buttons.push(registerButton('room', full ? 'ws.joinWaitlist' : 'ws.bookSeat', true));
      if (online && reg !== 'online') buttons.push(registerButton('online', reg === 'room' ? 'ws.switchOnline' : 'ws.followOnline', !room));
      if (reg) buttons.push(cancelButton());
      if (checkinOpen(w) && !me.checked_in) buttons.push(checkinButton());
    }
  }
  return h(
    'section',
    { class: 'card ws-reg', 'aria-labelledby': titleId, dataset: { workshop: String(w.id) } },
    h(headingLevel, { id: titleId, class: 'ws-reg-title' }, t('ws.regTitle')),
    lines,
    status,
    alert,
    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
  );
}

/** Shows `text` in the card's status line once it is in the page again. */
export function announceIn(cardId, text) {
  if (!text) return;
  const el = document.getElementById(cardId);
  if (el) say(el, text);
}
