// Récupérer mon compte: a recovery code in, a new token and a new code out.
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { field, alertRegion, say, busy } from '../ui/form.js';
import { recoveryCodeView } from '../ui/recovery-code.js';

export default function recoverPage(app) {
  let code = '';
  let secrets = null;
  let sending = false;

  async function submit(event, input, alert, button) {
    event.preventDefault();
    if (sending) return;
    say(alert, null);
    input.setError(null);
    const value = code.trim();
    if (!value) {
      input.setError(t('validation.codeEmpty'));
      input.control.focus();
      return;
    }
    sending = true;
    busy(button, true, 'recover.submitting');
    try {
      const res = await api.recover(value);
      session.setParticipant({ token: res.token, id: res.id });
      secrets = { nickname: res.nickname, recovery_code: res.recovery_code };
      code = '';
      app.refreshChrome();
      app.rerender('#code-title');
    } catch (err) {
      busy(button, false);
      if (err.code === 'invalid_credentials') {
        input.setError(errorText(err));
        input.control.focus();
      } else {
        say(alert, errorText(err));
      }
    } finally {
      sending = false;
    }
  }

  function render() {
    if (secrets) {
      return h(
        'div',
        { class: 'page page-recover' },
        h('h1', null, t('recover.title')),
        recoveryCodeView({
          secrets,
          recovered: true,
          onContinue: () => {
            secrets = null;
            app.navigate('#/profil');
          },
        }),
      );
    }
    const input = field({
      labelKey: 'recover.field',
      hintKey: 'recover.hint',
      control: h('input', {
        type: 'text',
        name: 'recovery_code',
        value: code,
        required: true,
        maxlength: '40',
        autocomplete: 'off',
        autocapitalize: 'characters',
        spellcheck: 'false',
        class: 'input-code',
        oninput: (e) => {
          code = e.target.value;
        },
      }),
    });
    const alert = alertRegion();
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('recover.submit'));
    return h(
      'div',
      { class: 'page page-recover' },
      h('h1', null, t('recover.title')),
      h('p', { class: 'lead' }, t('recover.intro')),
      h(
        'form',
        { class: 'card form', novalidate: true, onsubmit: (e) => submit(e, input, alert, button) },
        input.el,
        alert,
        h('div', { class: 'actions' }, button),
      ),
      h('p', { class: 'aside' }, t('recover.lost'), ' ', h('a', { href: '#/rejoindre' }, t('recover.joinLink'))),
    );
  }

  return {
    title: () => t('recover.title'),
    render,
    leave() {
      secrets = null;
    },
  };
}
