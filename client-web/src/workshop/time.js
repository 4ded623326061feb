// Dates of workshops in the city's time zone (`timezone` of GET /city), not
// the device's: a workshop at 18:00 in Issy is at 18:00 for everyone reading
// about it. Conversions between a wall-clock time in that zone (what a
// datetime-local field shows) and the UTC instants the node stores. Pure.

const DEFAULT_ZONE = 'Europe/Paris';

/** A usable IANA zone name: `zone` when the platform knows it, else Europe/Paris. */
export function zoneOr(zone) {
  try {
    if (zone) {
      new Intl.DateTimeFormat('en', { timeZone: zone }).format(0);
      return zone;
    }
  } catch {
    // unknown to this browser
  }
  return DEFAULT_ZONE;
}

const formats = new Map(); // zone → Intl.DateTimeFormat (costly to build)

function wallParts(ms, zone) {
  if (!formats.has(zone)) formats.set(zone, wallFormat(zone));
  const parts = formats.get(zone).formatToParts(new Date(ms));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

function wallFormat(zone) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** The zone's offset from UTC (ms) at the instant `ms`. */
export function zoneOffset(ms, zone) {
  const p = wallParts(ms, zone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n) => String(n).padStart(2, '0');

/** 'YYYY-MM-DDTHH:MM' (a datetime-local value) of instant `iso` in `zone`. */
export function utcToWall(iso, zone) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const p = wallParts(ms, zone);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/**
 * The UTC instant ('YYYY-MM-DDTHH:MM:00Z') of wall time `wall`
 * ('YYYY-MM-DDTHH:MM') in `zone`; null when `wall` is not such a value. A
 * time skipped when clocks go forward is read with the offset from before
 * the change (02:30 on the spring night in Paris is 03:30 summer time); an
 * hour repeated in autumn is its first occurrence.
 */
export function wallToUtc(wall, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall || '');
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(asUtc)) return null;
  // The offsets in force a day before and a day after: the one that gives
  // this wall time back (the earlier instant when both do), else the one
  // from before (the time was skipped).
  const before = zoneOffset(asUtc - 86400000, zone);
  const after = zoneOffset(asUtc + 86400000, zone);
  const fits = [before, after].map((o) => asUtc - o).filter((ms) => utcToWall(new Date(ms).toISOString(), zone) === wall);
  const ms = fits.length ? Math.min(...fits) : asUtc - before;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar date 'YYYY-MM-DD' of instant `iso` in `zone`. */
export function dayIn(iso, zone) {
  return utcToWall(iso, zone).slice(0, 10);
}

/** True when the device's own zone is not `zone` (dates then say which zone they are in). */
export function foreignZone(zone) {
  try {
    return new Intl.DateTimeFormat().resolvedOptions().timeZone !== zone;
  } catch {
    return false;
  }
}
