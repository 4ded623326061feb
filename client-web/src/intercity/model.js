// The inter-city board (GET /intercity, channel `intercity`) as the page
// reads it, apart from the DOM so node tests can check it: the node's JSON
// checked and given safe defaults, a scale shared by every city's interval
// bar, the places of an interval on it, and how long ago a city reported.
// The figures stay in the node's units (grams, counts); only the page rounds.

/** The six metrics of a statement, in the node's names. */
export const METRICS = ['active', 'co2e_avoided_g', 'waste_avoided_g', 'checkins', 'attendance_online', 'attendance_physical'];
export const STATUSES = ['verified', 'stale', 'flagged'];
const WEEK_RE = /^\d{4}-W\d{2}$/;

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

function str(v, fallback = '') {
  return typeof v === 'string' ? v : fallback;
}

/** {value, low, high}, each a number ≥ 0, low ≤ value ≤ high. */
function figure(f) {
  const value = num(f && f.value);
  const low = Math.min(num(f && f.low), value);
  const high = Math.max(num(f && f.high), value);
  return { value, low, high };
}

function figures(obj, names) {
  const out = {};
  for (const m of names) out[m] = figure(obj && typeof obj === 'object' ? obj[m] : null);
  return out;
}

function city(c) {
  const totals = {};
  for (const m of METRICS) totals[m] = num(c.totals && c.totals[m]);
  const weeks = Math.floor(num(c.weeks));
  return {
    origin: str(c.origin),
    name: str(c.city) || str(c.origin),
    own: c.own === true,
    population: Math.floor(num(c.population)),
    rank: Math.max(1, Math.floor(num(c.rank))),
    tie: c.tie === true,
    status: STATUSES.includes(c.status) ? c.status : 'stale',
    updatedAt: str(c.updated_at),
    lastWeek: WEEK_RE.test(str(c.last_week)) ? c.last_week : '',
    weeks,
    suppressedWeeks: Math.min(weeks, Math.floor(num(c.suppressed_weeks))),
    totals,
    per1000: figures(c.per_1000, METRICS),
    perActive: figures(c.per_active, METRICS.slice(1)),
  };
}

/**
 * The board from the node's JSON: {season: {id, from, to}, cities: […]} in
 * the node's order (its ranking), or null when `data` is not a board.
 */
export function readBoard(data) {
  if (!data || typeof data !== 'object' || !Array.isArray(data.cities)) return null;
  const s = data.season && typeof data.season === 'object' ? data.season : {};
  return {
    season: {
      id: str(s.id),
      from: WEEK_RE.test(str(s.from)) ? s.from : '',
      to: WEEK_RE.test(str(s.to)) ? s.to : '',
    },
    cities: data.cities.filter((c) => c && typeof c === 'object' && typeof c.origin === 'string').map(city),
  };
}

// Ends of a scale, times a power of ten: round, and each halved reads well
// (the axis shows 0, the middle and the end).
const SCALE_STEPS = [1, 1.2, 1.6, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The end of a scale that holds every city's interval of `metric` per 1,000
 * inhabitants: the highest bound rounded up to a round figure, so the axis
 * reads well; 0 when no city has a figure yet.
 */
export function scaleMax(cities, metric = 'co2e_avoided_g') {
  let top = 0;
  for (const c of cities) top = Math.max(top, c.per1000[metric].high);
  if (top <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(top));
  const step = SCALE_STEPS.find((k) => top <= k * power * (1 + 1e-9));
  return Number((step * power).toPrecision(12)); // 0.3, not 0.30000000000000004
}

/** Where an interval lies on a scale from 0 to max, in percent of its width (0 to 100). */
export function barPlace(fig, max) {
  if (!(max > 0)) return { low: 0, high: 0, value: 0 };
  const at = (v) => Math.min(100, Math.max(0, (v / max) * 100));
  return { low: at(fig.low), high: at(fig.high), value: at(fig.value) };
}

/** True when the two intervals share a point (the node calls such cities a tie). */
export function overlap(a, b) {
  return a.low <= b.high && b.low <= a.high;
}

/** Average active participants in a published week, or null when no week was published with figures. */
export function activePerWeek(c) {
  const counted = c.weeks - c.suppressedWeeks;
  return counted > 0 ? Math.round(c.totals.active / counted) : null;
}

/** True when the city has figures (at least one week above the publication threshold). */
export function hasFigures(c) {
  return c.weeks - c.suppressedWeeks > 0;
}

/**
 * How long ago an RFC 3339 instant was, for Intl.RelativeTimeFormat:
 * {value (≤ 0), unit} in the largest whole unit, or null for a bad date.
 * Under 45 seconds, and for a clock a little ahead, it is "now" (0 seconds).
 */
export function ago(iso, now = Date.now()) {
  const at = Date.parse(iso);
  if (!iso || Number.isNaN(at)) return null;
  const s = Math.max(0, (now - at) / 1000);
  if (s < 45) return { value: 0, unit: 'second' };
  if (s < 3600) return { value: -Math.max(1, Math.floor(s / 60)), unit: 'minute' };
  if (s < 86400) return { value: -Math.max(1, Math.floor(s / 3600)), unit: 'hour' };
  return { value: -Math.floor(s / 86400), unit: 'day' };
}
