// Labelled form controls with a hint and an error message wired through
// aria-describedby, so screen readers read the rules and the problem.
import { h, uid } from '../dom.js';
import { t } from '../i18n/index.js';

function labelText(labelKey, optional) {
  const label = t(labelKey);
  return optional ? t('field.optional', { label }) : label;
}

/**
 * Builds one field around `control` (an input or select already created).
 * Returns {el, control, setError(text|null)}.
 */
export function field({ labelKey, hintKey, hintText, optional = false, control }) {
  const id = control.id || uid('f');
  control.id = id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hintTextValue = hintText || (hintKey ? t(hintKey) : '');
  const hint = hintTextValue ? h('p', { class: 'hint', id: hintId }, hintTextValue) : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const describe = () => {
    const ids = [];
    if (hint) ids.push(hintId);
    if (!error.hidden) ids.push(errorId);
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  describe();
  const el = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText(labelKey, optional)),
    control,
    hint,
    error,
  );
  return {
    el,
    control,
    setError(text) {
      error.textContent = text || '';
      error.hidden = !text;
      if (text) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe();
    },
  };
}

/** A checkbox with its label after it (and an optional hint). */
export function checkbox({ labelKey, hintKey, checked = false, name }) {
  const id = uid('c');
  const input = h('input', { type: 'checkbox', id, name, checked });
  const hint = hintKey ? h('p', { class: 'hint', id: `${id}-hint` }, t(hintKey)) : null;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  const el = h('div', { class: 'field field-check' }, input, h('label', { for: id }, t(labelKey)), hint);
  return { el, control: input };
}

/** A <select> with options [{value, label}], one selected value and more attributes. */
export function select(name, options, selected, attrs) {
  const el = h('select', { name, ...attrs });
  for (const o of options) {
    el.appendChild(h('option', { value: o.value, selected: o.value === selected }, o.label));
  }
  return el;
}

/** A region that announces errors at once (role=alert). */
export function alertRegion() {
  return h('div', { class: 'notice notice-error', role: 'alert', hidden: true });
}

/** A region that announces status changes politely (role=status). */
export function statusRegion() {
  return h('div', { class: 'notice notice-ok', role: 'status', 'aria-live': 'polite', hidden: true });
}

/** Sets (or clears, with null) the text of an alert or status region. */
export function say(region, text) {
  region.textContent = text || '';
  region.hidden = !text;
}

/** Marks a submit button busy: disabled, with a "working…" label. */
export function busy(button, isBusy, busyKey) {
  if (isBusy) {
    button.dataset.label = button.textContent;
    button.textContent = t(busyKey);
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  } else {
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
