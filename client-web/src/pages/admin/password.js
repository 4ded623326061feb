// "Mon mot de passe": every staff member changes their own password. The
// node ends the account's other sessions; this one stays open.
import { h } from '../../dom.js';
import { t } from '../../i18n/index.js';
import { api } from '../../api.js';
import { errorField } from '../../errors.js';
import { alertRegion } from '../../ui/form.js';
import { length, showProblems, send, panelForm, textField } from './common.js';

function passwordField(labelKey, name, autocomplete, hintKey) {
  return textField(labelKey, { type: 'password', name, autocomplete, maxlength: '128' }, { hintKey });
}

export default function passwordPanel(ctx) {
  function render() {
    const current = passwordField('admin.currentPassword', 'current_password', 'current-password');
    const fresh = passwordField('admin.newPassword', 'new_password', 'new-password', 'admin.newPasswordHint');
    const again = passwordField('admin.confirmPassword', 'confirm_password', 'new-password');
    const fields = [current, fresh, again];
    const alert = alertRegion();
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.changePassword'));

    async function onsubmit(event) {
      event.preventDefault();
      ctx.say(null);
      fields.forEach((f) => f.setError(null));
      const [cur, next, confirm] = fields.map((f) => f.control.value);
      const problems = [];
      if (!cur) problems.push([current, 'validation.required']);
      if (length(next) < 12 || length(next) > 128) problems.push([fresh, 'validation.password']);
      else if (next === cur) problems.push([fresh, 'admin.passwordSame']);
      if (confirm !== next) problems.push([again, 'admin.passwordMismatch']);
      if (showProblems(problems)) return;
      const res = await send(ctx, {
        call: (tok) => api.adminPassword(tok, cur, next),
        alert,
        button,
        busyKey: 'admin.changingPassword',
        overrides: { invalid_credentials: 'admin.currentPasswordWrong' },
        fieldFor: (err) => (err.code === 'invalid_credentials' ? current : errorField(err) === 'password' ? fresh : null),
      });
      if (res === false) return;
      ctx.say('admin.passwordChanged');
      ctx.redraw(ctx.statusSelector); // fresh, empty fields
    }

    return panelForm(
      { onsubmit, alert, button },
      // Lets password managers file the new password under the right account.
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: ctx.me.username, hidden: true, readonly: true }),
      h('p', null, t('admin.passwordIntro')),
      fields.map((f) => f.el),
    );
  }
  return { render };
}
