// Message catalogues and formatting. French is the default and the fallback;
// the choice is remembered on the device and reflected in <html lang>.
import fr from './fr.js';
import en from './en.js';
import { frenchTypography } from './typography.js';

export const LANGS = ['fr', 'en'];
const STORAGE_KEY = 'zcnode.lang';
const catalogues = { fr: mapValues(fr, frenchTypography), en };
const listeners = new Set();

function mapValues(cat, fn) {
  const out = {};
  for (const [k, v] of Object.entries(cat)) out[k] = fn(v);
  return out;
}

function stored() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

let current = stored() || 'fr';

export function lang() {
  return current;
}

/** Switches the interface language, remembers it and notifies listeners. */
export function setLang(next) {
  if (!LANGS.includes(next)) return;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this visit.
  }
  if (next === current) return;
  current = next;
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn(next));
}

/** Registers fn(lang) to run after every language change. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Adds a lazily loaded page's messages ({fr, en}, checked by build.mjs like
 * the main catalogues), so its texts stay out of the first bundle.
 */
export function addMessages(parts) {
  for (const code of LANGS) {
    const extra = parts[code] || {};
    Object.assign(catalogues[code], code === 'fr' ? mapValues(extra, frenchTypography) : extra);
  }
}

/** Looks a message up and fills its {placeholders}. */
export function t(key, vars) {
  let msg = catalogues[current][key];
  if (msg === undefined) msg = catalogues.fr[key];
  if (msg === undefined) return key;
  if (!vars) return msg;
  return msg.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** True when the catalogue has this key (used for codes sent by the server). */
export function has(key) {
  return key in catalogues.fr;
}

/** Formats an RFC 3339 instant as a local date and time in the current language. */
export function formatDateTime(iso, dateStyle = 'long') {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current, { dateStyle, timeStyle: 'short' }).format(d);
}

/** Formats a date (an RFC 3339 instant or YYYY-MM-DD) without time. */
export function formatDate(value, style = 'long') {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  const opts = { dateStyle: style };
  if (day) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(current, opts).format(d);
}

export function formatNumber(n) {
  return new Intl.NumberFormat(current).format(n);
}

/** Formats a byte count with a binary unit (units from the catalogue). */
export function formatBytes(n) {
  const units = t('units.bytes').split('|');
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  const digits = i === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(current, { maximumFractionDigits: digits }).format(v)}\u00a0${units[i]}`;
}
