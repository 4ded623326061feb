// A modal confirmation built on <dialog>: the browser traps focus, Escape
// cancels, and focus returns to the control that opened it.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

/**
 * Asks a yes/no question. Resolves true only when the confirm button is used.
 * Focus starts on Cancel, so a stray Enter never destroys anything.
 */
export function confirmDialog({ title, text, confirmLabel, danger = false }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = 'dialog-title';
    const textId = 'dialog-text';
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, t('common.cancel'));
    const confirm = h(
      'button',
      { type: 'button', class: ['button', danger ? 'button-danger' : 'button-primary'] },
      confirmLabel,
    );
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title),
      h('p', { id: textId }, text),
      h('div', { class: 'actions' }, cancel, confirm),
    );
    let answered = false;
    const finish = (answer) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && typeof opener.focus === 'function' && opener.isConnected) opener.focus();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    dialog.addEventListener('close', () => finish(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
