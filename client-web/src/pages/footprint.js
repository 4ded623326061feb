// Mon empreinte carbone (#/empreinte): the Nos Gestes Climat questionnaire,
// computed on the device by a Web Worker (src/footprint/worker.js), then the
// result, which the participant may save (only the totals are sent). The
// answers stay in this browser (src/footprint/storage.js). Loaded lazily
// (its own chunk) with its messages.
import { h } from '../dom.js';
import { t, lang, has, addMessages, formatDate } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { alertRegion, statusRegion, say, busy } from '../ui/form.js';
import { confirmDialog } from '../ui/dialog.js';
import { startFootprintWorker } from '../footprint/client.js';
import { loadAnswers, saveAnswers, clearAnswers } from '../footprint/storage.js';
import { ASKED_CATEGORIES, CATEGORY_KEYS, FRENCH_AVERAGE_G, TARGET_2050_G } from '../footprint/constants.js';
import fr from '../i18n/footprint.fr.js';
import en from '../i18n/footprint.en.js';

addMessages({ fr, en });

const HISTORY_SHOWN = 10;

function tonnes(g) {
  return new Intl.NumberFormat(lang(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(g / 1e6);
}

function number(v) {
  const digits = Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0;
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits }).format(v);
}

function unitText(unit) {
  if (!unit) return '';
  const key = `footprint.unit.${unit}`;
  return has(key) ? t(key) : unit;
}

/** A number typed by a person: "1,5", "1.5", "12 000". NaN when not one. */
function parseNumber(text) {
  const s = String(text).trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return Number.NaN;
  return Number(s);
}

export default function footprintPage(app) {
  const stored = loadAnswers();
  let answers = stored.answers;
  let at = stored.at; // rule of the question shown (for resuming)
  let finished = stored.finished;

  let worker = null;
  let questions = null; // from the worker, in the order asked
  let questionsLang = null;
  let st = null; // {result, relevant, values, hiddenOptions}
  let loading = false;
  let loadError = false;
  let view = 'intro'; // intro | question | result
  let index = -1; // into questions
  let working = false;
  let left = false;

  let notice = null; // catalogue key of a status shown once (cleared answers)
  let saveState = null; // null | 'saved'
  let saveError = null;
  let lost = false;
  let history = null; // GET /me/footprint
  let historyError = false;

  // The running total: one element kept across redraws, so screen readers
  // announce each new estimate.
  const running = h('p', { class: 'fp-running', role: 'status', 'aria-live': 'polite' });

  function persist() {
    saveAnswers({ answers, at, finished });
  }

  function showRunning() {
    if (st) running.textContent = t('footprint.running', { total: tonnes(st.result.total_g) });
    running.removeAttribute('aria-busy');
  }

  function loadModel() {
    if (left) return;
    if (!worker) worker = startFootprintWorker();
    const wanted = lang();
    loading = true;
    loadError = false;
    worker.init(wanted, answers).then(
      (value) => {
        if (left) return;
        loading = false;
        questions = value.questions;
        questionsLang = wanted;
        st = value.state;
        showRunning();
        if (view === 'question') {
          index = questions.findIndex((q) => q.rule === at);
          if (index < 0) view = 'intro';
        }
        app.rerender();
      },
      () => {
        if (left) return;
        loading = false;
        loadError = true;
        if (worker) worker.stop();
        worker = null;
        app.rerender();
      },
    );
  }

  function loseSession() {
    session.clearParticipant();
    lost = true;
    history = null;
    app.refreshChrome();
  }

  function loadHistory() {
    const me = session.participant();
    if (!me) return;
    api.footprints(me.token).then(
      (body) => {
        history = body && Array.isArray(body.history) ? body.history : [];
        historyError = false;
        if (!left) app.rerender();
      },
      (err) => {
        if (err.status === 401) loseSession();
        else historyError = true;
        if (!left) app.rerender();
      },
    );
  }

  const isRelevant = (i) => st.relevant.includes(questions[i].rule);

  function firstRelevant(from) {
    for (let i = Math.max(0, from); i < questions.length; i += 1) if (isRelevant(i)) return i;
    return -1;
  }

  function previousRelevant(from) {
    for (let i = from - 1; i >= 0; i -= 1) if (isRelevant(i)) return i;
    return -1;
  }

  function showQuestion(i) {
    index = i;
    view = 'question';
    at = questions[i].rule;
    persist();
    app.rerender('#fp-question');
  }

  function showResult() {
    view = 'result';
    finished = true;
    at = null;
    persist();
    app.rerender('#fp-result');
  }

  function showIntro() {
    view = 'intro';
    app.rerender('h1');
  }

  function goNext() {
    const next = firstRelevant(index + 1);
    if (next < 0) showResult();
    else showQuestion(next);
  }

  /** Applies answers (values: {rule: value}, null to unset), then moves on. */
  async function commit(values, button) {
    if (working) return;
    working = true;
    busy(button, true, 'footprint.computing');
    running.setAttribute('aria-busy', 'true');
    for (const [rule, value] of Object.entries(values)) {
      if (value === null) delete answers[rule];
      else answers[rule] = value;
    }
    saveState = null;
    persist();
    try {
      st = await worker.answer(values);
      showRunning();
      if (!left) goNext();
    } catch {
      loadError = true;
      if (!left) app.rerender();
    } finally {
      working = false;
    }
  }

  // --- the question form -------------------------------------------------
  function inputsOf(q) {
    return q.items ? q.items.map((i) => i.rule) : [q.rule];
  }

  function defaultLine(q) {
    if (q.kind === 'counts' || q.kind === 'select' || q.rule in answers) return null;
    const v = st.values[q.rule];
    let text = null;
    if (q.kind === 'number' && typeof v === 'number') text = `${number(v)} ${unitText(q.unit)}`.trim();
    if (q.kind === 'choice' && typeof v === 'string') {
      const o = q.options.find((x) => x.value === v);
      text = o ? o.label : null;
    }
    if (q.kind === 'boolean' && typeof v === 'boolean') text = t(v ? 'footprint.yes' : 'footprint.no');
    return text ? h('p', { class: 'hint', id: 'fp-default' }, t('footprint.default', { value: text })) : null;
  }

  function radios(name, options, checked) {
    return h(
      'div',
      { class: 'fp-options' },
      options.map((o) =>
        h(
          'label',
          { class: 'fp-option' },
          h('input', { type: 'radio', name, value: o.value, checked: o.value === checked }),
          h('span', null, o.label),
        ),
      ),
    );
  }

  function numberInput(id, value, describedBy) {
    return h('input', {
      type: 'text',
      id,
      inputmode: 'decimal',
      autocomplete: 'off',
      class: 'input-short',
      value: value === undefined || value === null ? '' : String(value).replace('.', lang() === 'fr' ? ',' : '.'),
      'aria-describedby': describedBy || false,
    });
  }

  function questionForm() {
    const q = questions[index];
    const problem = alertRegion();
    const body = [];
    let read; // () => {values} or null after showing a problem
    const fail = (key, vars, control) => {
      say(problem, t(key, vars));
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.focus();
      }
      return null;
    };

    if (q.kind === 'choice' || q.kind === 'boolean') {
      const hidden = (st.hiddenOptions && st.hiddenOptions[q.rule]) || [];
      const options =
        q.kind === 'boolean'
          ? [
              { value: 'true', label: t('footprint.yes') },
              { value: 'false', label: t('footprint.no') },
            ]
          : q.options.filter((o) => !hidden.includes(o.value));
      const current = q.rule in answers ? String(answers[q.rule]) : null;
      body.push(radios('fp-choice', options, current));
      read = (form) => {
        const checked = form.querySelector('input[name="fp-choice"]:checked');
        if (!checked) return fail('footprint.answerNeeded', null, form.querySelector('input[name="fp-choice"]'));
        const value = q.kind === 'boolean' ? checked.value === 'true' : checked.value;
        return { [q.rule]: value };
      };
    } else if (q.kind === 'number') {
      const input = numberInput('fp-number', answers[q.rule], st.values[q.rule] !== undefined ? 'fp-default' : null);
      const label = q.unit ? t('footprint.answerIn', { unit: unitText(q.unit) }) : t('footprint.answer');
      body.push(h('div', { class: 'field' }, h('label', { for: 'fp-number' }, label), input));
      if (q.suggestions && q.suggestions.length) {
        body.push(
          h(
            'div',
            { class: 'fp-suggestions', role: 'group', 'aria-label': t('footprint.suggestions') },
            q.suggestions.map((s) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'button button-small button-secondary',
                  onclick: () => {
                    input.value = number(s.value);
                    input.focus();
                  },
                },
                `${s.label} (${number(s.value)})`,
              ),
            ),
          ),
        );
      }
      read = () => {
        if (input.value.trim() === '') return fail('footprint.numberNeeded', null, input);
        const n = parseNumber(input.value);
        const lo = typeof q.min === 'number' ? q.min : 0;
        const hi = typeof q.max === 'number' ? q.max : 1e6;
        if (!Number.isFinite(n) || n < lo || n > hi) return fail('footprint.numberRange', { min: number(lo), max: number(hi) }, input);
        return { [q.rule]: n };
      };
    } else if (q.kind === 'counts') {
      const inputs = q.items.map((item, i) => {
        const value = item.rule in answers ? answers[item.rule] : st.values[item.rule];
        const shown = typeof value === 'number' ? Math.round(value * 100) / 100 : '';
        return { item, input: numberInput(`fp-count-${i}`, shown) };
      });
      if (q.presets && q.presets.length) {
        body.push(
          h(
            'div',
            { class: 'fp-suggestions', role: 'group', 'aria-label': t('footprint.presets') },
            q.presets.map((p) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'button button-small button-secondary',
                  onclick: () => {
                    for (const { item, input } of inputs) input.value = number(p.values[item.rule] || 0);
                    inputs[0].input.focus();
                  },
                },
                p.label,
              ),
            ),
          ),
        );
      }
      const unit = unitText(q.unit);
      body.push(
        h(
          'div',
          { class: 'fp-counts' },
          inputs.map(({ item, input }) =>
            h('div', { class: 'field fp-count' }, h('label', { for: input.id }, unit ? `${item.label} (${unit})` : item.label), input),
          ),
        ),
      );
      read = () => {
        const values = {};
        for (const { item, input } of inputs) {
          const n = input.value.trim() === '' ? 0 : parseNumber(input.value);
          const hi = typeof item.max === 'number' ? item.max : 1000;
          if (!Number.isFinite(n) || n < 0 || n > hi) return fail('footprint.numberRange', { min: number(0), max: number(hi) }, input);
          values[item.rule] = n;
        }
        return values;
      };
    } else {
      // select: yes/no for each item, as checkboxes
      const boxes = q.items.map((item, i) => {
        const input = h('input', { type: 'checkbox', id: `fp-item-${i}`, checked: answers[item.rule] === true });
        return { item, input };
      });
      body.push(h('p', { class: 'hint' }, t('footprint.selectHint')));
      body.push(
        h(
          'div',
          { class: 'fp-checks' },
          boxes.map(({ item, input }) =>
            h('div', { class: 'field field-check' }, input, h('label', { for: input.id }, item.label)),
          ),
        ),
      );
      read = () => {
        const values = {};
        for (const { item, input } of boxes) values[item.rule] = input.checked;
        return values;
      };
    }

    const next = h('button', { type: 'submit', class: 'button button-primary' }, t('footprint.next'));
    const unknown = h('button', { type: 'button', class: 'button button-secondary' }, t('footprint.unknown'));
    const back = h('button', { type: 'button', class: 'button button-secondary' }, t('footprint.previous'));
    const form = h(
      'form',
      {
        class: 'card form fp-form',
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          if (working) return;
          say(problem, null);
          form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
          const values = read(form);
          if (values) commit(values, next);
        },
      },
      h(
        'fieldset',
        { class: 'fieldset fp-question' },
        h('legend', null, h('h2', { id: 'fp-question', tabindex: '-1' }, q.text)),
        defaultLine(q),
        body,
      ),
      problem,
      h('div', { class: 'actions fp-nav' }, back, unknown, next),
    );
    unknown.addEventListener('click', () => {
      if (working) return;
      const values = {};
      for (const r of inputsOf(q)) values[r] = null;
      commit(values, unknown);
    });
    back.addEventListener('click', () => {
      if (working) return;
      const prev = previousRelevant(index);
      if (prev < 0) showIntro();
      else showQuestion(prev);
    });
    return form;
  }

  function progress() {
    const q = questions[index];
    const inCategory = questions.filter((x, i) => x.category === q.category && (isRelevant(i) || i === index));
    const n = inCategory.indexOf(q) + 1;
    const category = t(`footprint.category.${q.category}`);
    const label = t('footprint.progress', { category, n, total: inCategory.length });
    return h(
      'div',
      { class: 'fp-progress' },
      h(
        'ol',
        { class: 'fp-steps', 'aria-label': t('footprint.steps') },
        ASKED_CATEGORIES.map((c) =>
          h(
            'li',
            {
              class: [c === q.category && 'fp-step-current', ASKED_CATEGORIES.indexOf(c) < ASKED_CATEGORIES.indexOf(q.category) && 'fp-step-done'],
              'aria-current': c === q.category ? 'step' : false,
            },
            t(`footprint.category.${c}`),
          ),
        ),
      ),
      h('p', { class: 'fp-progress-text', id: 'fp-progress-text' }, label),
      h('progress', { max: String(inCategory.length), value: String(n), 'aria-labelledby': 'fp-progress-text' }),
    );
  }

  // --- result --------------------------------------------------------------
  function saveSection() {
    const me = session.participant();
    if (!me) {
      return h(
        'section',
        { class: 'card', 'aria-labelledby': 'fp-save-title' },
        h('h2', { id: 'fp-save-title' }, t('footprint.save')),
        lost ? h('div', { class: 'notice notice-error', role: 'alert' }, t('profile.sessionLost')) : null,
        h('p', null, t('footprint.needAccount')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-secondary', href: '#/rejoindre' }, t('footprint.join'))),
      );
    }
    const alert = alertRegion();
    const status = statusRegion();
    status.id = 'fp-save-status';
    status.tabIndex = -1;
    if (saveState === 'saved') say(status, t('footprint.saved'));
    if (saveError) say(alert, saveError);
    const button = h('button', { type: 'button', class: 'button button-primary' }, t('footprint.save'));
    button.addEventListener('click', async () => {
      if (working) return;
      const who = session.participant();
      if (!who) return;
      working = true;
      saveError = null;
      say(alert, null);
      busy(button, true, 'footprint.saving');
      try {
        const result = await worker.evaluate();
        await api.saveFootprint(who.token, result);
        saveState = 'saved';
        working = false;
        app.rerender('#fp-save-status');
        loadHistory();
      } catch (err) {
        working = false;
        if (err.status === 401) {
          loseSession();
          app.rerender();
          return;
        }
        saveError = errorText(err);
        busy(button, false);
        say(alert, saveError);
      }
    });
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'fp-save-title' },
      h('h2', { id: 'fp-save-title' }, t('footprint.save')),
      status,
      alert,
      h(
        'div',
        { class: 'actions' },
        saveState === 'saved'
          ? h('a', { class: 'button button-secondary', href: '#/profil' }, t('footprint.toProfile'))
          : button,
      ),
    );
  }

  function comparison(total) {
    const diff = total - FRENCH_AVERAGE_G;
    const lines = [
      t('footprint.average', { value: tonnes(FRENCH_AVERAGE_G), source: t('footprint.averageSource') }),
      t(diff >= 0 ? 'footprint.above' : 'footprint.below', { value: tonnes(Math.abs(diff)) }),
      t('footprint.target', { value: tonnes(TARGET_2050_G) }),
      total > TARGET_2050_G
        ? t('footprint.toTarget', {
            factor: new Intl.NumberFormat(lang(), { maximumFractionDigits: 1 }).format(total / TARGET_2050_G),
          })
        : t('footprint.atTarget'),
    ];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'fp-compare-title' },
      h('h2', { id: 'fp-compare-title' }, t('footprint.compareTitle')),
      lines.map((l) => h('p', null, l)),
    );
  }

  function resultView() {
    const { result } = st;
    const total = result.total_g;
    return [
      h(
        'section',
        { class: 'card fp-result', 'aria-labelledby': 'fp-result' },
        h('h2', { id: 'fp-result', tabindex: '-1' }, t('footprint.resultTitle')),
        h('p', { class: 'fp-total', id: 'fp-total', dataset: { totalG: String(total) } }, t('footprint.total', { total: tonnes(total) })),
        h('h3', null, t('footprint.categoriesTitle')),
        h(
          'ul',
          { class: 'fp-categories' },
          CATEGORY_KEYS.map((key) => {
            const g = result.categories[key];
            const percent = total > 0 ? Math.round((g * 100) / total) : 0;
            return h(
              'li',
              { dataset: { category: key } },
              h(
                'span',
                { class: 'fp-category-line' },
                h('span', null, t(`footprint.category.${key}`)),
                h('strong', null, t('footprint.share', { value: tonnes(g), percent })),
              ),
              h('meter', { min: '0', max: String(total), value: String(g), 'aria-hidden': 'true' }),
            );
          }),
        ),
        h(
          'details',
          { class: 'fp-understand' },
          h('summary', null, t('footprint.understandTitle')),
          ['footprint.understand1', 'footprint.understand2', 'footprint.understand3', 'footprint.understand4'].map((k) =>
            h('p', null, t(k)),
          ),
        ),
      ),
      comparison(total),
      saveSection(),
      h(
        'div',
        { class: 'actions actions-stack' },
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            onclick: () => {
              const first = firstRelevant(0);
              if (first >= 0) showQuestion(first);
            },
          },
          t('footprint.edit'),
        ),
        clearButton(),
      ),
      historySection(),
      h('p', { class: 'muted' }, t('footprint.credit', { version: result.model_version })),
    ];
  }

  // --- intro and shared parts ---------------------------------------------
  function clearButton() {
    const button = h('button', { type: 'button', class: 'button button-danger' }, t('footprint.clear'));
    button.addEventListener('click', async () => {
      if (working) return;
      const ok = await confirmDialog({
        title: t('footprint.clearTitle'),
        text: t('footprint.clearText'),
        confirmLabel: t('footprint.clearConfirm'),
        danger: true,
      });
      if (!ok || left) return;
      const rules = Object.keys(answers);
      answers = {};
      at = null;
      finished = false;
      saveState = null;
      clearAnswers();
      working = true;
      try {
        st = await worker.unset(rules);
        showRunning();
      } catch {
        loadError = true;
      } finally {
        working = false;
      }
      notice = 'footprint.cleared';
      view = 'intro';
      app.rerender('#fp-notice');
    });
    return button;
  }

  function historySection() {
    if (!session.participant()) return null;
    let content;
    if (historyError) content = h('p', null, t('footprint.historyFailed'));
    else if (history === null) content = h('p', { class: 'loading' }, t('common.loading'));
    else if (history.length === 0) content = h('p', null, t('footprint.historyEmpty'));
    else {
      const rows = history.slice(-HISTORY_SHOWN).reverse();
      content = h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          h('caption', { class: 'table-caption' }, t('footprint.historyCaption')),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('footprint.historyDate')), h('th', { scope: 'col', class: 'num' }, t('footprint.historyTotal')))),
          h(
            'tbody',
            null,
            rows.map((s) => h('tr', null, h('td', null, formatDate(s.at)), h('td', { class: 'num' }, tonnes(s.total_g)))),
          ),
        ),
      );
    }
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'fp-history-title' },
      h('h2', { id: 'fp-history-title' }, t('footprint.historyTitle')),
      content,
    );
  }

  function introView() {
    const count = Object.keys(answers).length;
    const status = statusRegion();
    status.id = 'fp-notice';
    status.tabIndex = -1;
    if (notice) say(status, t(notice));
    const actions = [];
    if (finished) {
      actions.push(
        h('button', { type: 'button', class: 'button button-primary', onclick: () => showResult() }, t('footprint.showResult')),
      );
    }
    const resumeAt = at ? questions.findIndex((q) => q.rule === at) : -1;
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: ['button', finished ? 'button-secondary' : 'button-primary'],
          onclick: () => {
            const i = firstRelevant(resumeAt >= 0 && !finished ? resumeAt : 0);
            if (i >= 0) showQuestion(i);
            else showResult();
          },
        },
        t(finished ? 'footprint.edit' : count > 0 ? 'footprint.resume' : 'footprint.start'),
      ),
    );
    if (count > 0) actions.push(clearButton());
    return [
      status,
      count > 0 ? h('p', { class: 'muted' }, t('footprint.answered', { count })) : null,
      h('div', { class: 'actions actions-stack' }, actions),
      historySection(),
    ];
  }

  function page(...children) {
    return h(
      'div',
      { class: 'page page-footprint' },
      h('h1', { tabindex: '-1' }, t('footprint.title')),
      ...children,
    );
  }

  function render() {
    const lead = [h('p', { class: 'lead' }, t('footprint.intro')), h('p', { class: 'privacy-note' }, t('footprint.privacy'))];
    if (loadError) {
      return page(
        ...lead,
        h('div', { class: 'notice notice-error', role: 'alert' }, t('footprint.modelFailed')),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary',
              onclick: () => {
                loadModel();
                app.rerender();
              },
            },
            t('common.retry'),
          ),
        ),
      );
    }
    if (!loading && questions && questionsLang !== lang()) loadModel(); // the language changed
    if (loading || !questions) {
      return page(...lead, h('p', { role: 'status', class: 'loading' }, t('footprint.loadingModel')));
    }
    showRunning();
    if (view === 'question' && index >= 0) return page(progress(), running, questionForm());
    if (view === 'result') return page(...resultView());
    const out = page(...lead, ...introView());
    notice = null;
    return out;
  }

  loadModel();
  loadHistory();
  return {
    title: () => t('footprint.title'),
    render,
    leave() {
      left = true;
      if (worker) worker.stop();
      worker = null;
    },
  };
}
