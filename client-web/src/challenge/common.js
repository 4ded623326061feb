// What the challenge pages (#/actions, #/tableau-de-bord, #/dechets,
// #/equipes, #/classements, #/progression) share: their common messages
// (i18n/challenge.*.js, loaded with the first of them), quantities and dates
// as people read them, the public rules and catalogue fetched once, and the
// "join first" view. Everything here is in grams and ISO dates, as the node
// sends them; only the display rounds.
import { h } from '../dom.js';
import { t, lang, addMessages } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import fr from '../i18n/challenge.fr.js';
import en from '../i18n/challenge.en.js';

addMessages({ fr, en });

/** The action categories, in the order shown, with their icon. */
export const CATEGORIES = ['transport', 'alimentation', 'logement', 'consommation', 'dechets'];
/** The waste streams weighed, in the order shown (fields `<stream>_g`). */
export const STREAMS = ['residual', 'recyclables', 'glass', 'biowaste'];

export const CATEGORY_ICONS = {
  transport: '🚲',
  alimentation: '🥕',
  logement: '🏠',
  consommation: '🛍️',
  dechets: '♻️',
};

/** The text of a {fr, en} object from the node in the current language. */
export function local(obj) {
  if (!obj || typeof obj !== 'object') return '';
  return obj[lang()] || obj.fr || obj.en || '';
}

/** A catalogue message chosen by plural category: `${base}.one` or `${base}.other`. */
export function plural(base, n, vars = {}) {
  const form = new Intl.PluralRules(lang()).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}`, { n: formatInt(n), ...vars });
}

export function formatInt(n) {
  return new Intl.NumberFormat(lang()).format(n);
}

/** A decimal number with at most `digits` decimals (and at least `min`). */
export function decimal(v, digits = 1, min = 0) {
  return new Intl.NumberFormat(lang(), { minimumFractionDigits: min, maximumFractionDigits: digits }).format(v);
}

/** A mass in grams as read: "300 g", "4,2 kg", "12 kg", "1,3 t". */
export function mass(g) {
  const abs = Math.abs(g);
  if (abs < 1000) return t('ch.unit.g', { value: formatInt(Math.round(g)) });
  if (abs < 1e6) return t('ch.unit.kg', { value: decimal(g / 1000, abs < 100000 ? 1 : 0) });
  return t('ch.unit.t', { value: decimal(g / 1e6, 1) });
}

/** Kilograms with one decimal, without the unit (tables, charts). */
export function kgValue(g, digits = 1) {
  return decimal(g / 1000, digits, digits);
}

export function co2eSaved(g) {
  return t('ch.co2eSaved', { amount: mass(g) });
}

export function wasteSaved(g) {
  return t('ch.wasteSaved', { amount: mass(g) });
}

export function points(n) {
  return plural('ch.points', n);
}

/** Kilograms typed by a person ("1,5", "1.5", "2") → integer grams; NaN when not a number. */
export function parseKg(text) {
  const s = String(text).trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{0,3})?$|^\.\d{1,3}$/.test(s)) return Number.NaN;
  return Math.round(Number(s) * 1000);
}

// --- dates and ISO weeks (all computed in UTC on calendar dates) ----------

const DAY_MS = 86400000;

function pad(n) {
  return String(n).padStart(2, '0');
}

function toIso(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function fromIso(iso) {
  return new Date(`${iso}T00:00:00Z`);
}

function deviceToday() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Days between the node's calendar and this device's (time zone, wrong clock),
// learnt from GET /city, so that the app offers the dates the node accepts.
let dayOffset = 0;

/** Aligns today() with the node's calendar (the `today` of GET /city). */
export function syncCalendar(city) {
  if (city && typeof city.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(city.today)) {
    dayOffset = Math.round((fromIso(city.today) - fromIso(deviceToday())) / DAY_MS);
  }
}

/** Today's date for the node, YYYY-MM-DD (the device's, shifted by the offset). */
export function today() {
  return dayOffset ? addDays(deviceToday(), dayOffset) : deviceToday();
}

export function addDays(iso, n) {
  return toIso(new Date(fromIso(iso).getTime() + n * DAY_MS));
}

/** The ISO 8601 week of a date: "2026-W48". */
export function isoWeek(iso) {
  const d = fromIso(iso);
  const day = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  const thursday = new Date(d.getTime() + (4 - day) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / DAY_MS / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/** The Monday of an ISO week, YYYY-MM-DD. */
export function weekMonday(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const jan4Day = jan4.getUTCDay() || 7;
  const monday1 = jan4.getTime() - (jan4Day - 1) * DAY_MS;
  return toIso(new Date(monday1 + (Number(m[2]) - 1) * 7 * DAY_MS));
}

/** The week before or after: shiftWeek('2026-W01', -1) is '2025-W53' or '2025-W52'. */
export function shiftWeek(week, n) {
  return isoWeek(addDays(weekMonday(week), n * 7));
}

function monthName(d, style = 'long') {
  return new Intl.DateTimeFormat(lang(), { month: style, timeZone: 'UTC' }).format(d);
}

/** "23", "1er décembre", "30 novembre 2026" as French writes a day in a range. */
function dayText(d, withMonth, withYear) {
  const n = d.getUTCDate();
  const day = lang() === 'fr' && n === 1 ? '1er' : String(n);
  let s = day;
  if (withMonth) s += ` ${monthName(d)}`;
  if (withYear) s += ` ${d.getUTCFullYear()}`;
  return s;
}

/**
 * "Semaine du 23 au 29 novembre" (months and years only where needed);
 * `inline` gives "la semaine du 23 au 29 novembre", for inside a sentence.
 */
export function weekLabel(week, inline = false) {
  const monday = weekMonday(week);
  if (!monday) return week;
  const a = fromIso(monday);
  const b = fromIso(addDays(monday, 6));
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
  const sameMonth = sameYear && a.getUTCMonth() === b.getUTCMonth();
  return t(inline ? 'ch.weekRangeInline' : 'ch.weekRange', { start: dayText(a, !sameMonth, !sameYear), end: dayText(b, true, !sameYear) });
}

/** "23–29 nov." or "30 nov.–6 déc." — a week in few characters (narrow lists). */
export function weekCompact(week) {
  const monday = weekMonday(week);
  if (!monday) return week;
  const a = fromIso(monday);
  const b = fromIso(addDays(monday, 6));
  const start = a.getUTCMonth() === b.getUTCMonth() ? String(a.getUTCDate()) : `${a.getUTCDate()} ${monthName(a, 'short')}`;
  return `${start}\u2013${b.getUTCDate()} ${monthName(b, 'short')}`;
}

/** "23 nov." — the Monday of a week, short (chart axes). */
export function weekShort(week) {
  const monday = weekMonday(week);
  if (!monday) return week;
  const d = fromIso(monday);
  return `${d.getUTCDate()} ${monthName(d, 'short')}`;
}

/** "lundi 23 novembre" */
export function dayLabel(iso) {
  return new Intl.DateTimeFormat(lang(), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(fromIso(iso));
}

// --- public data, fetched once per visit ----------------------------------

let gamePromise = null;
let actionsPromise = null;

/** GET /game, once; a failure is retried on the next call. */
export function loadGame() {
  if (!gamePromise) {
    gamePromise = api.game().catch((err) => {
      gamePromise = null;
      throw err;
    });
  }
  return gamePromise;
}

/** The actions in use, once: [{id, category, title, …}]. */
export function loadActions() {
  if (!actionsPromise) {
    actionsPromise = api.actions().then(
      (body) => (body && Array.isArray(body.actions) ? body.actions : []),
      (err) => {
        actionsPromise = null;
        throw err;
      },
    );
  }
  return actionsPromise;
}

// --- shared views -----------------------------------------------------------

/** A page wrapper with its h1 (focus target after navigation). */
export function pageShell(className, title, ...children) {
  return h('div', { class: `page ${className}` }, h('h1', { tabindex: '-1' }, title), ...children);
}

/** For a reader with no account on this device: why, and the two ways in. */
export function joinFirst(textKey, lost = false) {
  return [
    lost ? h('div', { class: 'notice notice-error', role: 'alert' }, t('profile.sessionLost')) : null,
    h('p', null, t(textKey)),
    h(
      'div',
      { class: 'actions actions-stack' },
      h('a', { class: 'button button-primary', href: '#/rejoindre' }, t('ch.join')),
      h('a', { class: 'button button-secondary', href: '#/recuperer' }, t('ch.recover')),
    ),
  ];
}

/** The loading line, or the error with a retry button. */
export function loadingOrError(error, retry) {
  if (!error) return h('p', { role: 'status', class: 'loading' }, t('common.loading'));
  return [
    h('div', { class: 'notice notice-error', role: 'alert' }, error),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'button button-secondary', onclick: retry }, t('common.retry')),
    ),
  ];
}

/** Drops a token the node refused and redraws the chrome. */
export function dropSession(app) {
  session.clearParticipant();
  app.refreshChrome();
}

/** A <details> with a summary and paragraphs (catalogue keys or texts). */
export function disclosure(summary, paragraphs, className = 'explain') {
  return h(
    'details',
    { class: className },
    h('summary', null, summary),
    paragraphs.map((p) => (p instanceof Node ? p : h('p', null, p))),
  );
}
