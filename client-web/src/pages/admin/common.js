// Pieces shared by the staff console's panels.
import { h, uid } from '../../dom.js';
import { t } from '../../i18n/index.js';
import { errorText } from '../../errors.js';
import { field, say, busy } from '../../ui/form.js';
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
 * from object[key] and goes back to it as the reader types.
 */
export function textField(labelKey, attrs, { hintKey, bind } = {}) {
  const control = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', required: true, ...attrs });
  if (bind) {
    control.value = bind[0][bind[1]];
    control.addEventListener('input', () => {
      bind[0][bind[1]] = control.value;
    });
  }
  return field({ labelKey, hintKey, control });
}

/** Code points in s (what the node counts as characters). */
export function length(s) {
  return Array.from(s).length;
}

/** Shows each problem ([field, key, vars]) at its field and focuses the first; true when there was one. */
export function showProblems(problems) {
  problems.forEach(([f, key, vars]) => f.setError(t(key, vars)));
  if (problems.length) problems[0][0].control.focus();
  return problems.length > 0;
}

/**
 * Sends a request for a panel: `button` (if any) is busy meanwhile. Returns
 * the answer (null for 204), or false after showing the refusal at the field
 * `fieldFor(err)` returns, else in `alert`. `overrides` as for errorText.
 */
export async function send(ctx, { call, alert, button, busyKey = 'common.working', fieldFor = () => null, overrides }) {
  let res = null;
  say(alert, null);
  if (button) busy(button, true, busyKey);
  const ok = await ctx.act(
    async (tok) => {
      res = await call(tok);
    },
    (err) => {
      const f = fieldFor(err);
      const text = errorText(err, overrides);
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

/** A panel's form: an optional [tag, titleKey] heading naming it, the children, the alert, the submit button. */
export function panelForm({ title, className = 'form', onsubmit, alert, button }, ...children) {
  const titleId = title ? uid('form-title') : undefined;
  return h(
    'form',
    { class: className, novalidate: true, 'aria-labelledby': titleId, onsubmit },
    title ? h(title[0], { id: titleId }, t(title[1])) : null,
    children,
    alert,
    h('div', { class: 'actions' }, button),
  );
}
