// Copies a secret to the clipboard; when the browser refuses, selects it so
// the reader can copy it by hand.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { say } from './form.js';

function selectText(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

/** A button copying source.textContent, reporting in the status region. */
export function copyButton({ source, labelKey, doneKey, status }) {
  return h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary',
      onclick: async () => {
        const text = source.textContent;
        try {
          if (!navigator.clipboard) throw new Error('no clipboard');
          await navigator.clipboard.writeText(text);
          say(status, t(doneKey));
        } catch {
          selectText(source);
          say(status, t('code.copyFailed'));
        }
      },
    },
    t(labelKey),
  );
}
