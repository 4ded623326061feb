// Pieces shared by the staff console's panels.
import { h, uid, replaceChildren } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { errorText } from '../../errors.js';
import { field, select, say, busy } from '../../ui/form.js';
import { confirmDialog } from '../../ui/dialog.js';

export const ROLES = ['admin', 'animator', 'moderator'];

export function roleName(role) {
  return ROLES.includes(role) ? t(`admin.roleName.${role}`) : role;
}

/** A definition list of [labelKey, value, id?] rows. */
export function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([key, value, id]) => h('div', null, h('dt', null, t(key)), h('dd', { id }, value))),
  );
}

/** A small button; `label` is the visible text, `ariaLabel` the fuller name. */
export function smallButton(label, onclick, { danger = false, ariaLabel, attrs } = {}) {
  return h(
    'button',
    {
      type: 'button',
      class: ['button', 'button-small', danger ? 'button-danger' : 'button-secondary'],
      'aria-label': ariaLabel,
      onclick,
      ...attrs,
    },
    label,
  );
}

/** The "Refresh" row at the end of a panel. */
export function refreshActions(ctx) {
  return h('div', { class: 'actions' }, smallButton(t('admin.refresh'), () => ctx.reload()));
}

/**
 * A labelled, required text input without autocomplete or spellcheck; `attrs`
 * add or override attributes. With `bind: [object, key]` the value comes
 * from object[key] and goes back to it as the reader types. `area` makes it
 * a <textarea>; `hintText` is a hint already in words.
 */
export function textField(labelKey, attrs, { hintKey, hintText, bind, area = false } = {}) {
  const control = area
    ? h('textarea', { rows: '3', autocomplete: 'off', required: true, ...attrs })
    : h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true, ...attrs });
  if (bind) {
    control.value = bind[0][bind[1]];
    control.addEventListener('input', () => {
      bind[0][bind[1]] = control.value;
    });
  }
  return field({ labelKey, hintKey, hintText, control });
}

/** A whole-number field from `min` to `max` (its value a string in bind[0][bind[1]]). */
export function intField(labelKey, name, [min, max], { bind, hintText } = {}) {
  const range = { min: String(min), max: String(max), step: '1' };
  return textField(labelKey, { type: 'number', name, inputmode: 'numeric', ...range, class: 'input-medium' }, { bind, hintText });
}

/** The whole number typed in `text` when it lies from min to max, else null. */
export function intIn(text, min, max) {
  const s = String(text).trim();
  if (!/^-?\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** A select of `values` (named by `labelOf`) bound to bind[0][bind[1]]. */
export function choiceField(labelKey, name, values, labelOf, bind, attrs) {
  const options = values.map((v) => ({ value: v, label: labelOf(v) }));
  const control = select(name, options, bind[0][bind[1]], attrs);
  control.addEventListener('change', () => {
    bind[0][bind[1]] = control.value;
  });
  return field({ labelKey, control });
}

// Rules of a form's values, as the node checks them: texts [name, max]
// (trimmed, 1 to max characters) and whole numbers [name, [min, max], plain]
// (`plain`: written without separators, as years are).

function rangeVars([min, max], plain) {
  const f = plain ? String : formatNumber;
  return { min: f(min), max: f(max) };
}

/**
 * Fields bound to draft[name] for these rules, labelled `${prefix}${name}`,
 * with the limits as hints; a text over 80 characters gets a <textarea>.
 */
export function ruledFields(draft, prefix, { texts = [], numbers = [] }) {
  const fields = {};
  for (const [name, max] of texts) {
    const attrs = { name, maxlength: String(max), spellcheck: max > 80 ? 'true' : 'false' };
    const hintText = t('admin.maxChars', { max: formatNumber(max) });
    fields[name] = textField(`${prefix}${name}`, attrs, { hintText, bind: [draft, name], area: max > 80 });
  }
  for (const [name, range, plain] of numbers) {
    const hintText = t('admin.intRule', rangeVars(range, plain));
    fields[name] = intField(`${prefix}${name}`, name, range, { hintText, bind: [draft, name] });
  }
  return fields;
}

/**
 * The values of draft under these rules, as the node wants them, and the
 * problems found (for showProblems, at fields[name]).
 */
export function ruledValues(draft, fields, { texts = [], numbers = [] }) {
  const value = {};
  const problems = [];
  for (const [name, max] of texts) {
    value[name] = draft[name].trim();
    const n = length(value[name]);
    if (n < 1 || n > max) problems.push([fields[name], 'admin.textRule', { max: formatNumber(max) }]);
  }
  for (const [name, range, plain] of numbers) {
    value[name] = intIn(draft[name], ...range);
    if (value[name] === null) problems.push([fields[name], 'admin.intRule', rangeVars(range, plain)]);
  }
  return { value, problems };
}

/**
 * The field (in `fields`, by request field name) that a refusal names: the
 * node's messages about one field start with its name ("points must be…").
 */
export function namedField(fields, err) {
  if (!['invalid_field', 'missing_field', 'wrong_type'].includes(err.code)) return null;
  const name = /^[a-z_]+/.exec(err.serverMessage || '');
  return name && Object.hasOwn(fields, name[0]) ? fields[name[0]] : null;
}

/** Code points in s (what the node counts as characters). */
export function length(s) {
  return Array.from(s).length;
}

/** Before a form is checked again: clears its alert, the panel's status line and the fields' errors. */
export function clearProblems(ctx, alert, fields) {
  say(alert, null);
  ctx.say(null);
  fields.forEach((f) => f.setError(null));
}

/** Shows each problem ([field, key, vars]) at its field and focuses the first in the page; true when there was one. */
export function showProblems(problems) {
  problems.forEach(([f, key, vars]) => f.setError(t(key, vars)));
  const first = problems
    .map((p) => p[0].control)
    .reduce((a, b) => (a && !(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING) ? a : b), null);
  if (first) first.focus();
  return problems.length > 0;
}

/**
 * Sends a request for a panel: `button` (if any) is busy meanwhile. Returns
 * the answer (null for 204), or false after showing the refusal at the field
 * `fieldFor(err)` returns, else in `alert`. `overrides` as for errorText;
 * `textOf(err)` replaces errorText where a panel words a refusal itself.
 */
export async function send(ctx, request) {
  const { call, alert, button, busyKey = 'common.working', fieldFor = () => null, overrides } = request;
  const textOf = request.textOf || ((err) => errorText(err, overrides));
  let res = null;
  say(alert, null);
  if (button) busy(button, true, busyKey);
  const ok = await ctx.act(
    async (tok) => {
      res = await call(tok);
    },
    (err) => {
      const f = fieldFor(err);
      const text = textOf(err);
      if (f) {
        f.setError(text);
        f.control.focus();
      } else {
        say(alert, text);
      }
    },
  );
  if (button) busy(button, false);
  return ok ? res : false;
}

/** The trimmed value of field `f`, or null after showing `problemOf(value)` (a catalogue key) at it. */
export function checkedValue(f, problemOf) {
  f.setError(null);
  const value = f.control.value.trim();
  const problem = problemOf(value);
  return showProblems(problem ? [[f, problem]] : []) ? null : value;
}

/**
 * Asks a destructive question ([titleKey, textKey, confirmKey], filled with
 * `vars`), then sends `request` as send() does; true when the change was made.
 */
export async function confirmThen(ctx, [titleKey, textKey, confirmKey], vars, request) {
  const question = { title: t(titleKey, vars), text: t(textKey, vars), confirmLabel: t(confirmKey, vars), danger: true };
  if (!(await confirmDialog(question))) return false;
  return (await send(ctx, request)) !== false;
}

/**
 * A panel's form: an optional [tag, titleKey, vars] heading naming it, the
 * children, the alert, the submit button (or buttons).
 */
export function panelForm({ title, className = 'form', onsubmit, alert, button }, ...children) {
  const titleId = title ? uid('form-title') : undefined;
  return h(
    'form',
    { class: className, novalidate: true, 'aria-labelledby': titleId, onsubmit },
    title ? h(title[0], { id: titleId }, t(title[1], title[2])) : null,
    children,
    alert,
    h('div', { class: 'actions' }, button),
  );
}

/**
 * A search form (role=search) over `typed.q`: Search sends onSearch(q) with
 * the trimmed text once it holds a letter or a digit; "Show all" empties the
 * box and sends onSearch('').
 */
export function searchForm({ labelKey, hintKey, maxlength, typed, alert, onSearch }) {
  const search = textField(
    labelKey,
    { type: 'search', name: 'q', maxlength: String(maxlength), required: false },
    { hintKey, bind: [typed, 'q'] },
  );
  const onsubmit = (event) => {
    event.preventDefault();
    const q = checkedValue(search, (v) => (v && !/[\p{L}\p{N}]/u.test(v) ? 'admin.searchInvalid' : null));
    if (q !== null) onSearch(q);
  };
  const showAll = () => {
    typed.q = '';
    search.control.value = '';
    search.setError(null);
    onSearch('');
  };
  return h(
    'form',
    { class: 'form search-form', role: 'search', novalidate: true, onsubmit },
    search.el,
    alert,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, t('admin.searchButton')),
      h('button', { type: 'button', class: 'button button-secondary', onclick: showAll }, t('admin.showAll')),
    ),
  );
}

/** Redraws `el` (a part of a panel, when still shown) with `nodes`, then focuses `selector` in the panel. */
export function refill(el, nodes, selector) {
  if (!el || !el.isConnected) return;
  replaceChildren(el, nodes);
  if (selector) {
    const target = el.closest('.panel-body').querySelector(selector);
    if (target) target.focus();
  }
}
