// The footprint the app computes (src/footprint/model.js, the module the Web
// Worker runs) against the Nos Gestes Climat model evaluated directly with
// publicodes: same model file, same publicodes, same situation.
//   npm test   (node --test; Node 18 or later)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Engine from 'publicodes';
import { createFootprint, toSituation, MAIN_QUESTIONS, CATEGORIES } from '../src/footprint/model.js';
import { MODEL_DEFAULT_G, MODEL_DEFAULT_TOTAL_G } from '../src/footprint/constants.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ngc = join(root, 'node_modules', '@incubateur-ademe', 'nosgestesclimat');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const modelVersion = JSON.parse(readFileSync(join(ngc, 'package.json'), 'utf8')).version;
const publicodesVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'publicodes', 'package.json'), 'utf8')).version;
const load = (lang) => JSON.parse(readFileSync(join(ngc, 'public', `co2-model.FR-lang.${lang}.json`), 'utf8'));
const rulesFr = load('fr');
const rulesEn = load('en');
const quiet = { log() {}, warn() {}, error() {} };

/** The model evaluated directly: kgCO2e of bilan and of each category. */
function direct(rules, situation) {
  const engine = new Engine(rules, { logger: quiet });
  engine.setSituation(situation);
  const categories = {};
  for (const [key, rule] of CATEGORIES) categories[key] = engine.evaluate(rule).nodeValue;
  return { bilan: engine.evaluate('bilan').nodeValue, categories };
}

function checkAgainst(app, model) {
  let sum = 0;
  for (const [key] of CATEGORIES) {
    assert.equal(app.categories[key], Math.round(model.categories[key] * 1000), `category ${key}`);
    sum += app.categories[key];
  }
  assert.equal(app.total_g, sum, 'total_g is the sum of the categories');
  assert.ok(Math.abs(app.total_g - model.bilan * 1000) <= 3, `total_g ${app.total_g} vs bilan ${model.bilan} kg`);
  for (const v of [app.total_g, ...Object.values(app.categories)]) assert.ok(Number.isInteger(v) && v >= 0);
}

// A participant who drives to work in their own petrol car, eats vegetarian
// and lives alone in a small flat with collective heating; "je ne sais pas"
// everywhere else.
const ANSWERS = {
  'transport . voiture . utilisateur': 'propriétaire',
  'transport . voiture . km': 8000,
  'transport . voiture . voyageurs': 1,
  'transport . voiture . motorisation': 'thermique',
  'transport . avion . usager': 'jamais',
  'transport . transports commun . métro ou tram . présent': true,
  'transport . transports commun . bus . présent': false,
  'transport . train . usager': false,
  'alimentation . plats . végétalien . nombre': 3,
  'alimentation . plats . végétarien . nombre': 11,
  'alimentation . plats . viande blanche . nombre': 0,
  'alimentation . plats . viande rouge . nombre': 0,
  'alimentation . plats . poisson gras . nombre': 0,
  'alimentation . plats . poisson blanc . nombre': 0,
  'logement . type': 'appartement',
  'logement . surface': 30,
  'logement . habitants': 1,
  'logement . chauffage . mode': 'collectif',
  'alimentation . boisson . type de lait': "lait d'avoine", // an option with an apostrophe
};
// The same situation written by hand in publicodes' syntax.
const SITUATION = {
  'transport . voiture . utilisateur': "'propriétaire'",
  'transport . voiture . km': 8000,
  'transport . voiture . voyageurs': 1,
  'transport . voiture . motorisation': "'thermique'",
  'transport . avion . usager': "'jamais'",
  'transport . transports commun . métro ou tram . présent': 'oui',
  'transport . transports commun . bus . présent': 'non',
  'transport . train . usager': 'non',
  'alimentation . plats . végétalien . nombre': 3,
  'alimentation . plats . végétarien . nombre': 11,
  'alimentation . plats . viande blanche . nombre': 0,
  'alimentation . plats . viande rouge . nombre': 0,
  'alimentation . plats . poisson gras . nombre': 0,
  'alimentation . plats . poisson blanc . nombre': 0,
  'logement . type': "'appartement'",
  'logement . surface': 30,
  'logement . habitants': 1,
  'logement . chauffage . mode': "'collectif'",
  'alimentation . boisson . type de lait': '"lait d\'avoine"',
};

test('pinned versions: the model and publicodes are the ones package.json names', () => {
  assert.equal(pkg.devDependencies['@incubateur-ademe/nosgestesclimat'], modelVersion);
  assert.equal(pkg.devDependencies.publicodes, publicodesVersion);
  assert.match(modelVersion, /^[0-9A-Za-z.+-]{1,32}$/);
});

test('default situation: the app sends the model default total, in grams', () => {
  const app = createFootprint(rulesFr, { modelVersion }).evaluate();
  checkAgainst(app, direct(rulesFr, {}));
  assert.equal(app.model_version, modelVersion);
  // Model 4.10.2's average French footprint, 8287.159… kgCO2e: a new model
  // version must be looked at (and this number updated) on purpose.
  assert.equal(app.total_g, 8287159);
  assert.deepEqual(app.categories, {
    transport: 1997182,
    alimentation: 2045847,
    logement: 1659207,
    divers: 1186742,
    services_societaux: 1398181,
  });
  // The dashboard's "model average" per category is this default profile.
  assert.deepEqual(app.categories, MODEL_DEFAULT_G);
  assert.equal(app.total_g, MODEL_DEFAULT_TOTAL_G);
});

test('the answers become the publicodes situation written by hand', () => {
  assert.deepEqual(toSituation(ANSWERS), SITUATION);
});

test('fixed situation: the app equals a direct evaluation of bilan', () => {
  const footprint = createFootprint(rulesFr, { modelVersion });
  footprint.setAnswers(ANSWERS);
  const app = footprint.evaluate();
  checkAgainst(app, direct(rulesFr, SITUATION));
  assert.equal(app.total_g, 7770393);
  assert.ok(app.total_g < 8287159, 'a vegetarian in a small flat is below the average');
});

test('the English model gives the same numbers', () => {
  const fr = createFootprint(rulesFr, { modelVersion });
  const en = createFootprint(rulesEn, { modelVersion });
  fr.setAnswers(ANSWERS);
  en.setAnswers(ANSWERS);
  assert.deepEqual(en.evaluate(), fr.evaluate());
});

test('"je ne sais pas" leaves the rule to the model default', () => {
  const footprint = createFootprint(rulesFr, { modelVersion });
  footprint.answer({ 'logement . surface': 30, 'logement . habitants': 1 });
  const answered = footprint.evaluate().total_g;
  footprint.unset(['logement . surface', 'logement . habitants']);
  assert.equal(footprint.evaluate().total_g, 8287159);
  assert.notEqual(answered, 8287159);
  footprint.answer({ 'logement . surface': 30 });
  footprint.answer({ 'logement . surface': null });
  assert.equal(footprint.evaluate().total_g, 8287159);
});

test('every main question is in the model, with its text, unit and choices', () => {
  const fr = createFootprint(rulesFr, { modelVersion }).questions();
  const en = createFootprint(rulesEn, { modelVersion }).questions();
  assert.equal(fr.length, MAIN_QUESTIONS.length);
  assert.deepEqual(new Set(fr.map((q) => q.rule)), new Set(MAIN_QUESTIONS));
  const order = ['transport', 'alimentation', 'logement', 'divers'];
  for (let i = 1; i < fr.length; i += 1) {
    assert.ok(order.indexOf(fr[i - 1].category) <= order.indexOf(fr[i].category), 'grouped by category');
  }
  for (const [i, q] of fr.entries()) {
    assert.ok(q.text.length > 5, `${q.rule} has a question`);
    assert.ok(['choice', 'boolean', 'number', 'counts', 'select'].includes(q.kind), `${q.rule}: ${q.kind}`);
    if (q.kind === 'choice') {
      assert.ok(q.options.length >= 2 && q.options.every((o) => o.label && o.value), `${q.rule} options`);
    }
    if (q.kind === 'counts' || q.kind === 'select') assert.ok(q.items.length >= 2, `${q.rule} items`);
    assert.equal(en[i].rule, q.rule);
    assert.equal(en[i].kind, q.kind);
  }
  const byRule = (list, rule) => list.find((q) => q.rule === rule);
  assert.equal(byRule(fr, 'transport . voiture . km').unit, 'km');
  assert.equal(byRule(fr, 'logement . type').kind, 'choice');
  assert.equal(byRule(fr, 'transport . transports commun').kind, 'select');
  assert.ok(byRule(fr, 'transport . transports commun').items.some((i) => i.rule === 'transport . train . usager'));
  assert.equal(byRule(fr, 'alimentation . plats').kind, 'counts');
  assert.equal(byRule(en, 'transport . voiture . km').text, 'How far do you travel per year by car?');
  assert.equal(byRule(fr, 'transport . voiture . km').text, 'Quelle distance parcourez-vous à l\'année en voiture ?');
});

test('questions follow applicability: no car questions for someone who never drives', () => {
  const footprint = createFootprint(rulesFr, { modelVersion });
  let { relevant } = footprint.state();
  assert.ok(relevant.includes('transport . voiture . utilisateur'));
  assert.ok(!relevant.includes('transport . voiture . km'), 'km has no effect before the car question is answered');
  footprint.answer({ 'transport . voiture . utilisateur': 'propriétaire' });
  ({ relevant } = footprint.state());
  assert.ok(relevant.includes('transport . voiture . km') && relevant.includes('transport . voiture . motorisation'));
  footprint.answer({ 'transport . voiture . km': 5000, 'transport . voiture . utilisateur': 'jamais' });
  ({ relevant } = footprint.state());
  assert.ok(!relevant.includes('transport . voiture . km') && !relevant.includes('transport . voiture . motorisation'));
  footprint.answer({ 'transport . deux roues . usager': false, 'logement . type': 'maison' });
  const state = footprint.state();
  assert.ok(state.relevant.includes('transport . deux roues . usager'), 'an answered "non" stays in the questionnaire');
  assert.ok(!state.relevant.includes('transport . deux roues . km'));
  assert.deepEqual(state.hiddenOptions['logement . chauffage . mode'], ['collectif'], 'no collective heating for a house');
});
