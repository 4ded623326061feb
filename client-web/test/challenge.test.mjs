// The challenge pages' shared helpers (src/challenge/common.js): ISO weeks,
// the week labels people read, kilograms typed with a decimal comma, masses.
//   npm test   (node --test; Node 18 or later)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isoWeek,
  weekMonday,
  shiftWeek,
  weekLabel,
  weekCompact,
  addDays,
  parseKg,
  mass,
  co2eSaved,
  wasteSaved,
  points,
} from '../src/challenge/common.js';

const nbsp = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('ISO 8601 weeks, across year ends', () => {
  assert.equal(isoWeek('2026-11-23'), '2026-W48'); // a Monday
  assert.equal(isoWeek('2026-11-29'), '2026-W48'); // its Sunday
  assert.equal(isoWeek('2026-11-30'), '2026-W49');
  assert.equal(isoWeek('2027-01-01'), '2026-W53'); // 2026 has 53 weeks
  assert.equal(isoWeek('2021-01-03'), '2020-W53');
  assert.equal(isoWeek('2024-12-30'), '2025-W01');
  assert.equal(isoWeek('2026-09-01'), '2026-W36');
});

test('the Monday of a week, and moving by weeks', () => {
  assert.equal(weekMonday('2026-W48'), '2026-11-23');
  assert.equal(weekMonday('2025-W01'), '2024-12-30');
  assert.equal(weekMonday('2026-W53'), '2026-12-28');
  assert.equal(weekMonday('nonsense'), null);
  assert.equal(shiftWeek('2027-W01', -1), '2026-W53');
  assert.equal(shiftWeek('2026-W53', 1), '2027-W01');
  assert.equal(shiftWeek('2026-W48', -12), '2026-W36');
  for (let d = '2026-08-01'; d < '2027-08-01'; d = addDays(d, 1)) {
    assert.equal(isoWeek(weekMonday(isoWeek(d))), isoWeek(d), d);
  }
});

test('weeks as French reads them', () => {
  assert.equal(weekLabel('2026-W48'), 'Semaine du 23 au 29 novembre');
  assert.equal(weekLabel('2026-W49'), 'Semaine du 30 novembre au 6 décembre');
  assert.equal(weekLabel('2026-W53'), 'Semaine du 28 décembre 2026 au 3 janvier 2027');
  assert.equal(weekLabel('2027-W09'), 'Semaine du 1er au 7 mars');
  assert.equal(weekLabel('2026-W48', true), 'la semaine du 23 au 29 novembre');
  assert.equal(weekCompact('2026-W48'), '23–29 nov.');
  assert.equal(weekCompact('2026-W49'), '30 nov.–6 déc.');
});

test('kilograms typed with a comma or a dot become integer grams', () => {
  assert.equal(parseKg('1,5'), 1500);
  assert.equal(parseKg('1.5'), 1500);
  assert.equal(parseKg(' 2 '), 2000);
  assert.equal(parseKg('0,125'), 125);
  assert.equal(parseKg(',5'), 500);
  assert.equal(parseKg('.5'), 500);
  assert.ok(Number.isNaN(parseKg('1,2345')), 'below the gram');
  assert.ok(Number.isNaN(parseKg('-1')));
  assert.ok(Number.isNaN(parseKg('deux')));
  assert.ok(Number.isNaN(parseKg('')));
});

test('masses, savings and points in French', () => {
  assert.equal(nbsp(mass(300)), '300 g');
  assert.equal(nbsp(mass(4200)), '4,2 kg');
  assert.equal(nbsp(mass(10000)), '10 kg');
  assert.equal(nbsp(mass(250000)), '250 kg');
  assert.equal(nbsp(mass(1_500_000)), '1,5 t');
  assert.equal(nbsp(co2eSaved(4150)), '≈ 4,2 kg CO₂e évités');
  assert.equal(nbsp(wasteSaved(300)), '≈ 300 g de déchets évités');
  assert.equal(points(0), '0 point');
  assert.equal(points(1), '1 point');
  assert.equal(points(15), '15 points');
  assert.equal(nbsp(points(1500)), '1 500 points');
});
