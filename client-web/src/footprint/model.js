// The footprint computation, shared by the Web Worker (footprint-worker.js)
// and the Node test (test/footprint.test.mjs): ADEME's Nos Gestes Climat
// model (publicodes rules, loaded as JSON) evaluated by the publicodes
// engine. No DOM and no worker API here, so both can import it.
//
// Answers are kept as plain values keyed by rule name:
//   number  -> a quantity in the rule's own unit (km, h/semaine, repas/semaine…)
//   boolean -> a yes/no rule ('oui' / 'non' for publicodes)
//   string  -> the chosen option of a "une possibilité" rule
// A rule without an answer keeps the model's default ("je ne sais pas").
import Engine from 'publicodes';
import { ASKED_CATEGORIES } from './constants.js';

export { ASKED_CATEGORIES };

/** The five categories sent to the node, and their rule names in the model. */
export const CATEGORIES = [
  ['transport', 'transport'],
  ['alimentation', 'alimentation'],
  ['logement', 'logement'],
  ['divers', 'divers'],
  ['services_societaux', 'services sociétaux'],
];

/** The model's top rule: the yearly footprint in kgCO2e. */
export const TOTAL_RULE = 'bilan';

// The main questions of each category: what a citizen can answer in 5 to 10
// minutes on a phone. Everything else keeps the model's default. They are
// asked in the model's own order within each category (see orderedQuestions);
// a question is skipped while the engine finds it not applicable or without
// effect on the result (e.g. the car's size for someone who never drives).
export const MAIN_QUESTIONS = [
  'transport . voiture . utilisateur',
  'transport . voiture . km',
  'transport . voiture . voyageurs',
  'transport . voiture . motorisation',
  'transport . voiture . gabarit',
  'transport . vacances',
  'transport . transports commun',
  'transport . transports commun . bus . heures par semaine',
  'transport . transports commun . métro ou tram . heures par semaine',
  'transport . train . km',
  'transport . mobilité douce',
  'transport . deux roues . usager',
  'transport . deux roues . km',
  'transport . avion . usager',
  'transport . avion . vols annuels',
  'transport . avion . vols amortis',
  'alimentation . plats',
  'alimentation . petit déjeuner . type',
  'alimentation . local . consommation',
  'alimentation . de saison . consommation',
  'alimentation . déchets . quantité jetée',
  'alimentation . boisson . chaude',
  'alimentation . boisson . eau en bouteille . consommateur',
  'alimentation . boisson . sucrées . litres',
  'alimentation . boisson . alcool . litres',
  'logement . vacances',
  'logement . habitants',
  'logement . surface',
  'logement . type',
  'logement . âge',
  'logement . climatisation . présent',
  'logement . chauffage . mode',
  'logement . chauffage . principal',
  'logement . chauffage . collectif',
  'divers . électroménager . appareils',
  'divers . textile . volume',
  'divers . tabac . consommation par semaine',
  'divers . numérique . internet . durée journalière',
  'divers . numérique . appareils',
  'divers . ameublement . préservation',
  'divers . animaux domestiques . empreinte',
];

const quietLogger = { log() {}, warn() {}, error() {} };

/** kgCO2e (a float from the model) -> whole grams. */
export function kgToGrams(kg) {
  return typeof kg === 'number' && Number.isFinite(kg) ? Math.round(kg * 1000) : 0;
}

/** A publicodes string literal for an option name (some contain an apostrophe). */
function quote(text) {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** The situation publicodes expects, from the app's answers. */
export function toSituation(answers) {
  const situation = {};
  for (const [rule, value] of Object.entries(answers || {})) {
    if (typeof value === 'number' && Number.isFinite(value)) situation[rule] = value;
    else if (typeof value === 'boolean') situation[rule] = value ? 'oui' : 'non';
    else if (typeof value === 'string' && value !== '') situation[rule] = quote(value);
  }
  return situation;
}

/** {total_g, categories, model_version} from an engine whose situation is set. */
export function resultOf(engine, modelVersion) {
  const categories = {};
  let total = 0;
  for (const [key, rule] of CATEGORIES) {
    const g = Math.max(0, kgToGrams(engine.evaluate(rule).nodeValue));
    categories[key] = g;
    total += g;
  }
  // The sum of the rounded categories, so the node's check (the categories
  // add up to total_g within 5 g) always holds; it differs from the model's
  // own rounded total by at most 3 g.
  return { model_version: modelVersion, total_g: total, categories };
}

function numberOrNull(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function text(v) {
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Creates the engine over `rules` (the parsed model JSON). Returns an object
 * holding the situation: questions(), setAnswers(), answer(), unset(),
 * evaluate(), state().
 */
export function createFootprint(rules, { modelVersion = '', logger = quietLogger } = {}) {
  const engine = new Engine(rules, { logger });
  const parsed = engine.getParsedRules();
  const order = new Map(Object.keys(rules).map((name, i) => [name, i]));
  let answers = {};

  const exists = (name) => Object.prototype.hasOwnProperty.call(parsed, name);

  // Publicodes resolves a name relative to the rule that uses it, then to its
  // parents: 'train . usager' in 'transport . transports commun' is
  // 'transport . train . usager'.
  function resolve(context, name) {
    const parts = context.split(' . ');
    for (let i = parts.length; i > 0; i -= 1) {
      const candidate = `${parts.slice(0, i).join(' . ')} . ${name}`;
      if (exists(candidate)) return candidate;
    }
    return exists(name) ? name : null;
  }

  function raw(name) {
    return (parsed[name] && parsed[name].rawNode) || {};
  }

  function title(name) {
    const r = parsed[name];
    return r ? text(r.title) || name.split(' . ').pop() : name;
  }

  function suggestionsOf(r) {
    const out = [];
    if (r.suggestions && typeof r.suggestions === 'object') {
      for (const [label, value] of Object.entries(r.suggestions)) {
        if (typeof value === 'number') out.push({ label, value });
        else if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) out.push({ label, value: Number(value) });
        else if (value === 'oui' || value === 'non') out.push({ label, value: value === 'oui' });
      }
    }
    return out;
  }

  function optionsOf(name) {
    const r = raw(name);
    const list = Array.isArray(r['une possibilité'])
      ? r['une possibilité']
      : r['une possibilité'] && Array.isArray(r['une possibilité'].possibilités)
        ? r['une possibilité'].possibilités
        : null;
    if (!list) return null;
    return list.map((value) => ({ value, label: exists(`${name} . ${value}`) ? title(`${name} . ${value}`) : value }));
  }

  // A plain question: its kind comes from the model (options, unit,
  // suggestions, or the value the engine gives it); the rest are yes/no.
  function describeInput(name) {
    const r = raw(name);
    const options = optionsOf(name);
    const base = { rule: name, text: text(r.question) || title(name), label: title(name) };
    if (options) return { ...base, kind: 'choice', options };
    const suggestions = suggestionsOf(r);
    const numeric = typeof r.unité === 'string' || suggestions.some((s) => typeof s.value === 'number');
    let value;
    try {
      value = engine.evaluate(name).nodeValue;
    } catch {
      value = undefined;
    }
    if (numeric || typeof value === 'number') {
      return {
        ...base,
        kind: 'number',
        unit: typeof r.unité === 'string' ? r.unité : '',
        min: numberOrNull(r.plancher),
        max: numberOrNull(r.plafond),
        suggestions: suggestions.filter((s) => typeof s.value === 'number'),
      };
    }
    return { ...base, kind: 'boolean' };
  }

  function describe(name) {
    const r = raw(name);
    const mosaic = r.mosaique;
    if (mosaic && Array.isArray(mosaic.options)) {
      const items = mosaic.options
        .map((opt) => resolve(name, opt))
        .filter(Boolean)
        .map((rule) => {
          const owner = rule.split(' . ').slice(0, -1).join(' . ');
          const input = describeInput(rule);
          return { ...input, label: exists(owner) ? title(owner) : input.label };
        });
      const presets = [];
      if (mosaic.type === 'nombre' && mosaic.suggestions) {
        for (const [label, values] of Object.entries(mosaic.suggestions)) {
          if (!values || typeof values !== 'object') continue;
          const set = {};
          for (const [opt, v] of Object.entries(values)) {
            const rule = resolve(name, opt);
            if (rule && typeof v === 'number') set[rule] = v;
          }
          presets.push({ label, values: set });
        }
      }
      return {
        rule: name,
        kind: mosaic.type === 'nombre' ? 'counts' : 'select',
        text: text(r.question) || title(name),
        label: title(name),
        unit: items.length && items[0].unit ? items[0].unit : '',
        items: items.map((i) => ({ rule: i.rule, label: i.label, unit: i.unit || '', min: i.min, max: i.max })),
        presets,
      };
    }
    return describeInput(name);
  }

  function categoryOf(name) {
    const first = name.split(' . ')[0];
    return ASKED_CATEGORIES.includes(first) ? first : null;
  }

  /** The questions asked, in category order then the model's order. */
  function questions() {
    const list = MAIN_QUESTIONS.filter((n) => exists(n) && raw(n).question && categoryOf(n));
    list.sort(
      (a, b) =>
        ASKED_CATEGORIES.indexOf(categoryOf(a)) - ASKED_CATEGORIES.indexOf(categoryOf(b)) ||
        (order.get(a) ?? 0) - (order.get(b) ?? 0),
    );
    return list.map((name) => ({ ...describe(name), category: categoryOf(name) }));
  }

  const described = new Map();
  function describedOf(name) {
    if (!described.has(name)) described.set(name, describe(name));
    return described.get(name);
  }
  function inputsOf(name) {
    const d = describedOf(name);
    return d.items ? d.items.map((i) => i.rule) : [d.rule];
  }

  function applicable(name) {
    try {
      return engine.evaluate({ 'est applicable': name }).nodeValue === true;
    } catch {
      return false;
    }
  }

  function setAnswers(next) {
    answers = {};
    for (const [rule, value] of Object.entries(next || {})) {
      if (exists(rule) && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')) {
        answers[rule] = value;
      }
    }
    try {
      engine.setSituation(toSituation(answers));
    } catch {
      // An answer the engine refuses (kept from an older model, say): keep
      // the others, one at a time.
      const kept = {};
      for (const [rule, value] of Object.entries(answers)) {
        try {
          engine.setSituation(toSituation({ ...kept, [rule]: value }));
          kept[rule] = value;
        } catch {
          // dropped
        }
      }
      answers = kept;
      engine.setSituation(toSituation(answers));
    }
  }

  function evaluate() {
    return resultOf(engine, modelVersion);
  }

  /**
   * What the questionnaire needs after each change: the result, the
   * questions worth asking now (applicable, and either answered or still
   * influencing the result) and each input's value (the answer, or the
   * model's default when there is none).
   */
  function state() {
    const result = evaluate();
    const missing = engine.evaluate(TOTAL_RULE).missingVariables || {};
    const relevant = [];
    const values = {};
    for (const name of MAIN_QUESTIONS) {
      if (!exists(name)) continue;
      const { kind } = describedOf(name);
      const inputs = inputsOf(name);
      const wanted = (r) => r in answers || r in missing;
      let live;
      if (kind === 'boolean' || kind === 'select') {
        // A yes/no rule answered "non" disables its own namespace, so the
        // engine then calls it not applicable: these gateway questions are
        // asked while the engine wants them or once they are answered.
        live = inputs;
        if (!live.some(wanted)) continue;
      } else {
        live = inputs.filter((r) => applicable(r));
        if (!applicable(name) || !live.some(wanted)) continue;
      }
      relevant.push(name);
      for (const r of live) {
        const v = engine.evaluate(r).nodeValue;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') values[r] = v;
      }
    }
    // Options of a question that the engine rules out (e.g. collective
    // heating for a house).
    const hidden = {};
    for (const name of relevant) {
      const opts = optionsOf(name);
      if (!opts) continue;
      const out = opts.filter((o) => exists(`${name} . ${o.value}`) && !applicable(`${name} . ${o.value}`)).map((o) => o.value);
      if (out.length) hidden[name] = out;
    }
    return { result, relevant, values, hiddenOptions: hidden };
  }

  return {
    engine,
    questions,
    setAnswers,
    answers: () => ({ ...answers }),
    /** Sets several answers at once ({rule: value}); null or undefined unsets. */
    answer(values) {
      const next = { ...answers };
      for (const [rule, value] of Object.entries(values || {})) {
        if (value === null || value === undefined) delete next[rule];
        else next[rule] = value;
      }
      setAnswers(next);
    },
    unset(rules) {
      const next = { ...answers };
      for (const rule of rules || []) delete next[rule];
      setAnswers(next);
    },
    evaluate,
    state,
  };
}
