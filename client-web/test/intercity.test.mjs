// The inter-city board's model (src/intercity/model.js): the node's JSON
// read with safe defaults, the shared scale of the interval bars and where an
// interval falls on it, "il y a 2 h", and the page's two catalogues.
//   npm test   (node --test; Node 18 or later)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBoard, scaleMax, barPlace, overlap, activePerWeek, hasFigures, ago, METRICS } from '../src/intercity/model.js';
import fr from '../src/i18n/intercity.fr.js';
import en from '../src/i18n/intercity.en.js';

const fig = (value, low, high) => ({ value, low, high });

function nodeCity(over = {}) {
  const per1000 = {};
  for (const m of METRICS) per1000[m] = fig(10, 8, 12);
  per1000.co2e_avoided_g = fig(212000, 205000, 219000);
  const perActive = {};
  for (const m of METRICS.slice(1)) perActive[m] = fig(4000, 3500, 4500);
  return {
    origin: 'issy',
    city: 'Issy-les-Moulineaux',
    own: true,
    population: 70000,
    rank: 1,
    tie: false,
    status: 'verified',
    updated_at: '2026-11-23T08:57:30Z',
    last_week: '2026-W47',
    weeks: 12,
    suppressed_weeks: 1,
    totals: { active: 3300, co2e_avoided_g: 14840000, waste_avoided_g: 1, checkins: 2, attendance_online: 3, attendance_physical: 4 },
    per_1000: per1000,
    per_active: perActive,
    ...over,
  };
}

const board = (cities) => ({
  season: { id: '2026-2027', from: '2026-W36', to: '2026-W47' },
  ranked_by: 'co2e_avoided_g_per_1000',
  confidence: 0.95,
  cities,
});

test('the node’s board is read as sent, in its order', () => {
  const b = readBoard(board([nodeCity(), nodeCity({ origin: 'vanves', city: 'Vanves', own: false, rank: 2, status: 'stale' })]));
  assert.deepEqual(b.season, { id: '2026-2027', from: '2026-W36', to: '2026-W47' });
  assert.equal(b.cities.length, 2);
  const [issy, vanves] = b.cities;
  assert.equal(issy.name, 'Issy-les-Moulineaux');
  assert.equal(issy.own, true);
  assert.equal(issy.population, 70000);
  assert.equal(issy.lastWeek, '2026-W47');
  assert.equal(issy.weeks, 12);
  assert.equal(issy.suppressedWeeks, 1);
  assert.deepEqual(issy.per1000.co2e_avoided_g, fig(212000, 205000, 219000));
  assert.deepEqual(Object.keys(issy.per1000), METRICS);
  assert.deepEqual(Object.keys(issy.perActive), METRICS.slice(1));
  assert.equal(vanves.rank, 2);
  assert.equal(vanves.status, 'stale');
  assert.equal(vanves.own, false);
});

test('what is not a board is null; damaged cities get safe values', () => {
  assert.equal(readBoard(null), null);
  assert.equal(readBoard('x'), null);
  assert.equal(readBoard({ cities: 'no' }), null);
  const empty = readBoard({ cities: [] });
  assert.deepEqual(empty.season, { id: '', from: '', to: '' });
  assert.deepEqual(empty.cities, []);
  const b = readBoard(
    board([
      { origin: 'malakoff', status: 'hacked', rank: -3, weeks: 2, suppressed_weeks: 5, last_week: 'soon', per_1000: { co2e_avoided_g: fig('a', -1, Infinity) } },
      null,
      { city: 'no origin' },
    ]),
  );
  assert.equal(b.cities.length, 1);
  const c = b.cities[0];
  assert.equal(c.name, 'malakoff'); // no city name: the origin
  assert.equal(c.status, 'stale');
  assert.equal(c.rank, 1);
  assert.equal(c.suppressedWeeks, 2);
  assert.equal(c.lastWeek, '');
  assert.equal(c.updatedAt, '');
  assert.deepEqual(c.per1000.co2e_avoided_g, fig(0, 0, 0));
  assert.deepEqual(c.per1000.active, fig(0, 0, 0));
  assert.equal(c.totals.active, 0);
});

test('an interval always holds its estimate', () => {
  const c = readBoard(board([nodeCity({ per_1000: { co2e_avoided_g: fig(50, 60, 40) } })])).cities[0];
  assert.deepEqual(c.per1000.co2e_avoided_g, fig(50, 50, 50));
});

test('one scale for every city: the highest bound, rounded up to a round figure', () => {
  const cities = (highs) => highs.map((high) => ({ per1000: { co2e_avoided_g: fig(high / 2, 0, high) } }));
  assert.equal(scaleMax(cities([219000, 150000])), 250000);
  assert.equal(scaleMax(cities([283500, 214800, 193300])), 300000);
  assert.equal(scaleMax(cities([180000])), 200000);
  assert.equal(scaleMax(cities([200000])), 200000);
  assert.equal(scaleMax(cities([200001])), 250000);
  assert.equal(scaleMax(cities([4100])), 5000);
  assert.equal(scaleMax(cities([7])), 8);
  assert.equal(scaleMax(cities([9.5])), 10);
  assert.equal(scaleMax(cities([1000])), 1000);
  assert.equal(scaleMax(cities([0.3])), 0.3);
  assert.equal(scaleMax(cities([0, 0])), 0);
  assert.equal(scaleMax([]), 0);
});

test('an interval’s place on the scale, in percent, kept inside it', () => {
  const near = (got, want) => {
    for (const k of ['low', 'high', 'value']) assert.ok(Math.abs(got[k] - want[k]) < 1e-9, `${k}: ${got[k]} ≠ ${want[k]}`);
  };
  near(barPlace(fig(212000, 205000, 219000), 250000), { low: 82, high: 87.6, value: 84.8 });
  near(barPlace(fig(0, 0, 0), 250000), { low: 0, high: 0, value: 0 });
  near(barPlace(fig(300, 200, 400), 0), { low: 0, high: 0, value: 0 });
  near(barPlace(fig(300, 200, 400), 300), { low: 200 / 3, high: 100, value: 100 });
});

test('overlapping intervals are ties', () => {
  assert.equal(overlap(fig(10, 8, 12), fig(13, 11, 15)), true);
  assert.equal(overlap(fig(10, 8, 12), fig(13, 12, 15)), true); // touching
  assert.equal(overlap(fig(10, 8, 12), fig(20, 13, 25)), false);
  assert.equal(overlap(fig(20, 13, 25), fig(10, 8, 12)), false);
});

test('active participants per published week; cities without figures', () => {
  const [issy] = readBoard(board([nodeCity()])).cities;
  assert.equal(activePerWeek(issy), 300); // 3300 over 11 weeks with figures
  assert.equal(hasFigures(issy), true);
  const [quiet] = readBoard(board([nodeCity({ weeks: 1, suppressed_weeks: 1 })])).cities;
  assert.equal(activePerWeek(quiet), null);
  assert.equal(hasFigures(quiet), false);
});

test('how long ago, in the largest whole unit', () => {
  const now = Date.parse('2026-11-23T11:00:00Z');
  assert.deepEqual(ago('2026-11-23T10:59:30Z', now), { value: 0, unit: 'second' });
  assert.deepEqual(ago('2026-11-23T11:00:30Z', now), { value: 0, unit: 'second' }); // a clock ahead
  assert.deepEqual(ago('2026-11-23T10:59:00Z', now), { value: -1, unit: 'minute' });
  assert.deepEqual(ago('2026-11-23T10:00:30Z', now), { value: -59, unit: 'minute' });
  assert.deepEqual(ago('2026-11-23T08:57:30Z', now), { value: -2, unit: 'hour' });
  assert.deepEqual(ago('2026-11-22T11:00:01Z', now), { value: -23, unit: 'hour' });
  assert.deepEqual(ago('2026-11-20T10:00:00Z', now), { value: -3, unit: 'day' });
  assert.equal(ago('', now), null);
  assert.equal(ago('yesterday', now), null);
  const text = new Intl.RelativeTimeFormat('fr', { numeric: 'auto', style: 'short' }).format(-2, 'hour');
  assert.equal(text.replace(/[\u00a0\u202f]/g, ' '), 'il y a 2 h');
});

test('the page’s catalogues have the same keys and placeholders, and none of the main catalogue’s', async () => {
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
  for (const k of Object.keys(fr)) {
    assert.ok(fr[k].trim() && en[k].trim(), k);
    assert.equal(holes(en[k]), holes(fr[k]), k);
  }
  const main = (await import('../src/i18n/fr.js')).default;
  assert.ok(main['ic.title'] && main['nav.intercity']);
  for (const k of Object.keys(fr)) assert.ok(!(k in main), `${k} is also in fr.js`);
});
