// The footprint Web Worker: loads the Nos Gestes Climat model (JSON, fetched
// from this origin) and answers the questionnaire's messages, so the page is
// never blocked while publicodes evaluates (several hundred milliseconds per
// change on a phone). Built by build.mjs as its own classic script
// (assets/footprint-worker-<hash>.js); __MODELS__ names the model files next
// to it, per language, and __MODEL_VERSION__ is the npm package's version.
//
// Messages: {id, cmd, args} in, {id, ok: true, value} or {id, ok: false,
// error} out. Commands:
//   init {lang, answers}  -> {questions, state}    (loads the model for lang)
//   answer {values}       -> state                 ({rule: value}; null unsets)
//   unset {rules}         -> state
//   evaluate              -> {model_version, total_g, categories}
/* global __MODELS__, __MODEL_VERSION__ */
import { createFootprint } from './model.js';

const MODELS = __MODELS__;
const MODEL_VERSION = __MODEL_VERSION__;

let footprint = null;
let loadedLang = null;

async function loadModel(lang) {
  const file = MODELS[lang] || MODELS.fr;
  const res = await fetch(new URL(file, self.location.href).href, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`model: HTTP ${res.status}`);
  return res.json();
}

const commands = {
  async init({ lang, answers }) {
    if (!footprint || loadedLang !== lang) {
      const rules = await loadModel(lang);
      footprint = createFootprint(rules, { modelVersion: MODEL_VERSION });
      loadedLang = lang;
    }
    footprint.setAnswers(answers || {});
    return { questions: footprint.questions(), state: footprint.state() };
  },
  answer({ values }) {
    footprint.answer(values);
    return footprint.state();
  },
  unset({ rules }) {
    footprint.unset(rules);
    return footprint.state();
  },
  evaluate() {
    return footprint.evaluate();
  },
};

// One message at a time, in order: a change is evaluated before the next one.
let queue = Promise.resolve();

self.addEventListener('message', (event) => {
  const { id, cmd, args } = event.data || {};
  queue = queue.then(async () => {
    try {
      const fn = commands[cmd];
      if (!fn) throw new Error(`unknown command ${cmd}`);
      if (cmd !== 'init' && !footprint) throw new Error('not initialised');
      const value = await fn(args || {});
      self.postMessage({ id, ok: true, value });
    } catch (err) {
      self.postMessage({ id, ok: false, error: String((err && err.message) || err) });
    }
  });
});
