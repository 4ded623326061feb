// Shows a participant's new recovery code once (after joining or recovering)
// and lets them go on only after they say they wrote it down.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { checkbox, alertRegion, statusRegion, say } from './form.js';
import { copyButton } from './copy.js';

/**
 * secrets: {nickname, recovery_code}; recovered: true after a recovery;
 * onContinue(): called once the box is ticked and Continue pressed.
 */
export function recoveryCodeView({ secrets, recovered, onContinue }) {
  // Groups never break inside; a narrow screen wraps between them.
  const groups = secrets.recovery_code.split('-');
  const code = h(
    'p',
    { class: 'secret-code', id: 'recovery-code', translate: 'no' },
    groups.map((g, i) => [i > 0 ? '-' : null, i > 0 ? h('wbr') : null, h('span', null, g)]),
  );
  const status = statusRegion();
  const alert = alertRegion();
  const confirmBox = checkbox({ labelKey: 'code.confirm', name: 'noted' });
  confirmBox.control.addEventListener('change', () => {
    if (confirmBox.control.checked) say(alert, null);
  });
  const cont = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      onclick: () => {
        if (!confirmBox.control.checked) {
          say(alert, t('code.mustConfirm'));
          confirmBox.control.focus();
          return;
        }
        onContinue();
      },
    },
    t('code.continue'),
  );
  return h(
    'section',
    { class: 'card card-secret', 'aria-labelledby': 'code-title' },
    h('p', { class: 'lead' }, t(recovered ? 'code.recovered' : 'code.welcome', { nickname: secrets.nickname })),
    h('h2', { id: 'code-title', tabindex: '-1' }, t('code.title')),
    h('p', null, t('code.explain'), ' ', h('strong', null, t('code.once'))),
    code,
    h('div', { class: 'actions' }, copyButton({ source: code, labelKey: 'code.copy', doneKey: 'code.copied', status })),
    status,
    confirmBox.el,
    alert,
    h('div', { class: 'actions' }, cont),
  );
}
