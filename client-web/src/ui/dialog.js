// Modal dialogs built on <dialog>: the browser traps focus, Escape cancels,
// and focus returns to the control that opened it (or to `returnFocus()`
// when the page redrew that control meanwhile).
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { busy } from './form.js';

let dialogCount = 0;

/**
 * Opens a dialog with a title, a text, optional `content` (form fields) and
 * Cancel / confirm buttons; the whole is one form, so Enter in a field confirms.
 * `onConfirm()` may be async: while it runs the confirm button is busy; when
 * it returns false the dialog stays open (it has shown the problem), otherwise
 * the dialog closes and resolves to its result (true when undefined).
 * Cancelling resolves to false. Focus starts on `initialFocus`, or on Cancel,
 * so a stray Enter never destroys anything.
 */
export function openDialog({ title, text, content, confirmLabel, busyKey, danger = false, initialFocus, onConfirm }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    dialogCount += 1;
    const titleId = `dialog-title-${dialogCount}`;
    const textId = `dialog-text-${dialogCount}`;
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, t('common.cancel'));
    const confirm = h(
      'button',
      { type: 'submit', class: ['button', danger ? 'button-danger' : 'button-primary'] },
      confirmLabel,
    );
    let working = false;
    let answered = false;
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          if (working) return;
          let result = true;
          if (onConfirm) {
            working = true;
            busy(confirm, true, busyKey || 'common.working');
            try {
              result = await onConfirm();
            } finally {
              working = false;
              busy(confirm, false);
            }
            if (result === false) return;
          }
          finish(result === undefined ? true : result);
        },
      },
      h('h2', { id: titleId }, title),
      h('p', { id: textId }, text),
      content,
      h('div', { class: 'actions' }, cancel, confirm),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId }, form);
    function finish(answer) {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && typeof opener.focus === 'function' && opener.isConnected) opener.focus();
      resolve(answer);
    }
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (!working) finish(false);
    });
    dialog.addEventListener('close', () => finish(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    (initialFocus || cancel).focus();
  });
}

/** Asks a yes/no question. Resolves true only when the confirm button is used. */
export function confirmDialog({ title, text, confirmLabel, danger = false }) {
  return openDialog({ title, text, confirmLabel, danger });
}
